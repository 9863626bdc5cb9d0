r"""Where the credit margin comes from: the Shapley value over the alliance's four mechanisms.

The four mechanisms (docs/credit_v2.md), each switched on or off:

* **pooling**: the bank applies its limits to the alliance's portfolio (off: member by member,
  each member's own expected loss after its own recoveries at most ℓ*·Lᵢ);
* **fund**: the mutual fund pays first (off: no fund; members keep their contributions fᵢ
  as equity);
* **guarantees**: guarantee chains pay calls (off: none);
* **pledges**: members pledge their receivables on other members (off: none). When the bank
  can verify a standalone member's receivables, pledges are no alliance mechanism: they are
  on in every configuration and their share is zero.

Trade contagion, when switched on, stays on in every configuration: it is a fact of the
network, not a mechanism. :math:`v(K) = L_A(K) - \sum_i L_i^0` with the mechanisms in ``K``
on, so :math:`v(\emptyset) = 0` (the engine reproduces the standalone limits with every
mechanism off); a configuration that is not viable gets :math:`L_A = \sum_i L_i^0`. The
decomposition of the margin M is the Shapley value of v; every configuration is solved on the
same scenarios (common random numbers), so the shares add up to M exactly.

References
----------
Shapley, L. S. (1953). A value for n-person games. *Contributions to the Theory of Games II*,
Annals of Mathematics Studies 28, 307-317.
"""

from __future__ import annotations

import html
import math
from dataclasses import dataclass
from itertools import combinations
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from alliance.errors import ParameterError
from alliance.network.allocation import MECHANISMS, Mechanisms
from alliance.network.policy import BankPolicy
from alliance.network.scenarios import ScenarioSet

if TYPE_CHECKING:
    from alliance.network.network import AllianceNetwork

__all__ = ["MarginDecomposition", "margin_decomposition"]


@dataclass(frozen=True, eq=False)
class MarginDecomposition:
    """The credit margin split over the alliance's mechanisms (Shapley value).

    Parameters
    ----------
    values : pandas.Series
        Each mechanism's share of the margin (they add up to ``margin``).
    configurations : pandas.DataFrame
        One row per set of mechanisms switched on: the alliance limit, v(K), viability.
    standalone_total : float
        Σ Lᵢ⁰.
    margin : float
        M = v(all mechanisms).

    Examples
    --------
    >>> dec = MarginDecomposition(pd.Series({"pooling": 1.0, "guarantees": 3.0}),
    ...                           pd.DataFrame(), 10.0, 4.0)
    >>> dec
    MarginDecomposition(standalone_total=10, margin=4: pooling=1, guarantees=3)
    """

    values: pd.Series
    configurations: pd.DataFrame
    standalone_total: float
    margin: float

    def to_frame(self) -> pd.DataFrame:
        """The shares with their share of the margin.

        Returns
        -------
        pandas.DataFrame
            ``contribution`` and ``share_of_margin`` by ``mechanism``.

        Examples
        --------
        >>> dec = MarginDecomposition(pd.Series({"pooling": 1.0, "guarantees": 3.0}),
        ...                           pd.DataFrame(), 10.0, 4.0)
        >>> dec.to_frame()["share_of_margin"].tolist()
        [0.25, 0.75]
        """
        df = pd.DataFrame({"contribution": self.values})
        df["share_of_margin"] = df["contribution"] / self.margin if self.margin else 0.0
        df.index.name = "mechanism"
        return df

    def plot(self, ax: Any = None, *, ylabel: str = "Credit") -> Any:
        """A waterfall from Σ Lᵢ⁰ to L_A (see :func:`alliance.figures.margin_waterfall`).

        Parameters
        ----------
        ax : matplotlib.axes.Axes, optional
            Where to draw (default: a new figure).
        ylabel : str, default "Credit"
            The y-axis label (say the currency).

        Returns
        -------
        matplotlib.axes.Axes
            The axes drawn on.

        Examples
        --------
        >>> import pandas as pd
        >>> dec = MarginDecomposition(pd.Series({"pooling": 1.0, "guarantees": 2.0}),
        ...                           pd.DataFrame(), 10.0, 3.0)
        >>> dec.plot().get_ylabel()
        'Credit'
        """
        from alliance.figures.network import margin_waterfall

        return margin_waterfall(self, ax=ax, ylabel=ylabel)

    def __repr__(self) -> str:
        parts = ", ".join(f"{k}={v:.6g}" for k, v in self.values.items())
        return (
            f"MarginDecomposition(standalone_total={self.standalone_total:.6g}, "
            f"margin={self.margin:.6g}: {parts})"
        )

    def _repr_html_(self) -> str:
        try:
            return f"<p>{html.escape(repr(self))}</p>" + self.to_frame().to_html(
                float_format=lambda x: f"{x:.4g}"
            )
        except Exception:
            return f"<pre>{html.escape(object.__repr__(self))}</pre>"


def shapley_of_subsets(players: tuple[str, ...], v: dict[frozenset, float]) -> dict[str, float]:
    """Exact Shapley value of a small game given on every subset of ``players``."""
    n = len(players)
    out = {}
    for p in players:
        others = [q for q in players if q != p]
        total = 0.0
        for k in range(n):
            wgt = math.factorial(k) * math.factorial(n - k - 1) / math.factorial(n)
            for sub in combinations(others, k):
                s = frozenset(sub)
                total += wgt * (v[s | {p}] - v[s])
        out[p] = total
    return out


def margin_decomposition(
    net: AllianceNetwork,
    policy: BankPolicy,
    *,
    scenarios: int | str | ScenarioSet = 10_000,
    rho: float = 0.12,
    seed: int | None = None,
    sector_rho: float = 0.0,
    void_prob: float = 0.0,
    trade_contagion: bool = False,
    check: Any = "fresh",
    backend: str = "numpy",
    progress: bool | None = None,
    sampling: str = "plain",
) -> MarginDecomposition:
    """Shapley value of the credit margin over pooling, fund, guarantees and pledges.

    Parameters
    ----------
    net : AllianceNetwork
    policy : BankPolicy
    scenarios, rho, seed, sector_rho, void_prob, trade_contagion, check, backend, sampling
        As in :func:`~alliance.network.margin.credit_margin`; one set of scenarios (and of
        check scenarios) serves all 16 configurations. ``sampling`` is ``"plain"`` by
        default, whatever the policy: sixteen programmes on importance-sampled scenarios
        (``sampling="importance"``) take about sixteen times one programme's time, which
        is much longer than on plain scenarios (docs/credit_v2.md, "Sampling").
    progress : bool or None, default None
        Show a progress bar (None: only in a terminal, for long work).

    Returns
    -------
    MarginDecomposition

    Examples
    --------
    Worked example 1 of docs/credit_v2.md: pooling alone gives A 33⅓, the guarantee alone
    106⅔, both 140.

    >>> from alliance.network import AllianceNetwork, BankPolicy
    >>> net = AllianceNetwork()
    >>> net.add_member("A", demand=200, pd=0.04, lgd=0.5)
    >>> net.add_member("B", demand=100, pd=0.0, lgd=0.5, equity=1000)
    >>> net.add_chain("B", "A", amount=40)
    >>> dec = margin_decomposition(net, BankPolicy(max_el_rate=0.005), scenarios="exact", rho=0.0)
    >>> dec.values.round(4).to_dict()
    {'pooling': 33.3333, 'fund': 0.0, 'guarantees': 106.6667, 'pledges': 0.0}
    """
    from tqdm.auto import tqdm

    from alliance.network.importance import default_sampling, programme_scenarios
    from alliance.network.margin import (
        check_backend,
        check_scenarios,
        check_void_prob,
        network_scenarios,
        standalone_vector,
        tail_alpha,
    )
    from alliance.network.optimal import solve_alliance

    q = check_void_prob(void_prob)
    check_backend(backend)
    alpha = tail_alpha(policy)
    sampling = default_sampling(policy, sampling)  # checks it
    topo, sc = network_scenarios(
        net, scenarios, rho, sector_rho, seed, progress, sampling=sampling, alpha=alpha
    )
    if sc.is_exact and 0.0 < q < 1.0:
        raise ParameterError(f"void_prob is {q!r}; scenarios='exact' needs void_prob 0 or 1")
    check_sc = check_scenarios(
        net,
        sc,
        check,
        scenarios=scenarios,
        rho=rho,
        sector_rho=sector_rho,
        seed=seed,
        sampling=sampling,
        alpha=alpha,
    )
    sc = programme_scenarios(sc)  # as in credit_margin
    if not 0.0 < q < 1.0:  # only the default pattern varies by scenario: merge repeats
        from alliance.network.optimal import aggregate_patterns

        same = check_sc is sc
        sc = aggregate_patterns(sc)
        check_sc = sc if same else aggregate_patterns(check_sc)
    present = np.ones(topo.n, dtype=bool)
    l0 = standalone_vector(topo, sc, policy, present)
    upper = np.where(topo.is_member, topo.demand, 0.0)
    st_total = float(l0[topo.is_member].sum())
    verifiable = policy.receivables_verifiable_standalone
    rows = []
    v: dict[frozenset, float] = {}
    subsets = [frozenset(c) for k in range(5) for c in combinations(MECHANISMS, k)]
    for K in tqdm(subsets, disable=None if progress is None else not progress, desc="mechanisms"):
        on = K | {"pledges"} if verifiable else K
        sol = solve_alliance(
            topo,
            sc,
            check_sc,
            policy,
            present=present,
            lower=l0,
            upper=upper,
            mech=Mechanisms.from_set(on),
            void_prob=q,
            trade_contagion=bool(trade_contagion),
            fund_cap=net.fund_leverage_cap,
            backend=backend,
            details=False,
        )
        limit = sol.limit if sol.viable else st_total
        v[K] = limit - st_total
        rows.append(
            {
                "mechanisms": ", ".join(m for m in MECHANISMS if m in K) or "none",
                **{m: m in K for m in MECHANISMS},
                "alliance_limit": limit,
                "v": limit - st_total,
                "upper_bound": sol.upper_bound,
                "viable": sol.viable,
                "failing_constraint": sol.failing,
            }
        )
    phi = shapley_of_subsets(MECHANISMS, v)
    values = pd.Series([phi[m] for m in MECHANISMS], index=list(MECHANISMS), name="contribution")
    values.index.name = "mechanism"
    conf = pd.DataFrame(rows).set_index("mechanisms")
    return MarginDecomposition(
        values=values,
        configurations=conf,
        standalone_total=st_total,
        margin=float(v[frozenset(MECHANISMS)]),
    )
