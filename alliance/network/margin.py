r"""Alliance limit, credit margin and their curves (docs/economics.md §3).

* **Alliance limit** :math:`L_A = s^* \sum_i D_i`, the largest uniform share ``s`` of demand
  such that the bank's expected loss after collateral, fund, guarantees and contagion is at
  most :math:`\ell^* \sum_i L_i` (and, with a VaR limit, its α-quantile at most
  :math:`v^* \sum_i L_i`). Guarantor institutions borrow nothing and are not counted.
* **Credit margin** :math:`M = L_A - \sum_i L_i^0` and multiplier :math:`L_A / \sum_i L_i^0`,
  with :math:`L_i^0` the closed-form standalone limits.

Standard errors: with Monte Carlo scenarios the error of :math:`L_A` comes from the delta
method on the expected-loss constraint,
:math:`\mathrm{se}(s^*) = \mathrm{se}(\widehat{EL}(s^*)) / |\partial_s(EL - \ell^* s \sum D)|`;
when the VaR limit binds, from sectioning (the limit recomputed on 10 disjoint batches of the
scenarios). Exact scenarios have no sampling error.

Generalisations an economist may want, all keyword arguments: correlated defaults through
``rho`` and sector factors (``sector_rho``), void guarantees (``void_prob``), a VaR limit in
the :class:`~alliance.network.policy.BankPolicy`, exact enumeration of default patterns for
small alliances (``scenarios="exact"``), a shared :class:`ScenarioSet` for common random
numbers across calls, and a Dask backend that evaluates scenario chunks in parallel threads
or, with ``chunk_scenarios`` and a ``dask.distributed`` client, draws and evaluates the
scenario chunks on a cluster (:mod:`alliance.network.distributed`).

References
----------
Vasicek, O. (2002). The distribution of loan portfolio value. *Risk*, 15(12), 160-162.

Glasserman, P. & Li, J. (2005). Importance sampling for portfolio credit risk. *Management
Science*, 51(11), 1643-1656.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
import scipy.sparse as sp

from alliance.errors import NetworkError, ParameterError
from alliance.network.contagion import CascadeEngine, Topology
from alliance.network.distributed import (
    ChunkedEngine,
    ChunkedScenarios,
    default_chunk_scenarios,
    gather_scenarios,
    resolve_client,
)
from alliance.network.importance import default_sampling, programme_scenarios
from alliance.network.limit import solve_shares
from alliance.network.policy import BankPolicy
from alliance.network.results import AllianceLimit, CascadeResult, CreditMarginReport
from alliance.network.scenarios import (
    ScenarioSet,
    exact_defaults,
    simulate_defaults,
    void_stream_key,
)
from alliance.network.standalone import standalone_limit
from alliance.numbers import as_seed

if TYPE_CHECKING:
    from alliance.network.network import AllianceNetwork

__all__ = [
    "alliance_limit",
    "credit_margin",
    "margin_curve",
    "margin_vs_density",
    "make_scenarios",
    "run_cascade",
]

BACKENDS = ("numpy", "dask")


def check_void_prob(void_prob: Any) -> float:
    try:
        q = float(void_prob)
    except (TypeError, ValueError):
        raise ParameterError(f"void_prob is {void_prob!r}; it must be a number in [0, 1]") from None
    if not 0.0 <= q <= 1.0:
        raise ParameterError(f"void_prob is {q!r}; it must lie in [0, 1]")
    return q


def _check_haircut(haircut: Any) -> float:
    try:
        h = float(haircut)
    except (TypeError, ValueError):
        raise ParameterError(f"haircut is {haircut!r}; it must be a number in [0, 1]") from None
    if not 0.0 <= h <= 1.0:
        raise ParameterError(f"haircut is {h!r}; it must lie in [0, 1]")
    return h


def check_backend(backend: str) -> str:
    if backend not in BACKENDS:
        raise ParameterError(f"backend is {backend!r}; it must be one of {BACKENDS}")
    if backend == "dask":
        try:
            import dask  # noqa: F401
        except ImportError:  # pragma: no cover - depends on the environment
            raise ImportError(
                "backend='dask' needs the optional dependency dask: pip install 'alliance[dask]'"
            ) from None
    return backend


def make_scenarios(
    topo: Topology,
    scenarios: int | str | ScenarioSet,
    *,
    rho: float = 0.12,
    sector_rho: float = 0.0,
    seed: int | None = None,
    sectors: Sequence[Any] | None = None,
    progress: bool | None = None,
    sampling: str = "plain",
    alpha: float = 0.999,
) -> ScenarioSet:
    """A ScenarioSet for ``topo``: given, enumerated (``"exact"``) or drawn (an int).

    ``sampling="importance"`` draws the Monte Carlo scenarios by importance sampling on the
    systematic factor (Glasserman & Li 2005; :mod:`alliance.network.importance`) aimed at the
    tail at ``alpha``, with each member's exposure at full demand as the proxy loss; the
    scenarios then carry likelihood-ratio weights.

    Parameters
    ----------
    topo : Topology
        The network's topology (:meth:`AllianceNetwork.topology`): default probabilities and
        node names.
    scenarios : int, "exact" or ScenarioSet
        Number of Monte Carlo scenarios, ``"exact"`` to enumerate every default pattern, or
        a ScenarioSet drawn before (returned as it is once its node count is checked).
    rho : float
        Common-factor loading in [0, 1) (Vasicek 2002).
    sector_rho : float
        Sector-factor loading (Monte Carlo scenarios only).
    seed : int, optional
        Seed of the draws.
    sectors : sequence, optional
        Each node's sector, in node order (needed when ``sector_rho > 0``).
    progress : bool or None, default None
        Show a progress bar (None: only in a terminal, for long work).
    sampling : {"plain", "importance"}
        Plain Monte Carlo or importance sampling on the systematic factor.
    alpha : float
        Confidence level importance sampling aims at.

    Returns
    -------
    ScenarioSet
        Default scenarios of every node, with their weights.

    Examples
    --------
    >>> from alliance.network import AllianceNetwork
    >>> net = AllianceNetwork()
    >>> net.add_member("A", demand=200, pd=0.04, lgd=0.5)
    >>> net.add_member("B", demand=100, pd=0.1, lgd=0.5)
    >>> sc = make_scenarios(net.topology(), "exact", rho=0.0)
    >>> sc.n_scenarios, round(float(sc.weights.sum()), 12)
    (4, 1.0)
    >>> make_scenarios(net.topology(), 500, seed=1).n_scenarios
    500
    """
    if sampling not in ("plain", "importance"):
        raise ParameterError(f"sampling is {sampling!r}; it must be 'plain' or 'importance'")
    if isinstance(scenarios, ScenarioSet):
        if scenarios.n_nodes != topo.n:
            raise ParameterError(
                f"scenarios cover {scenarios.n_nodes} nodes; the network has {topo.n}"
            )
        return scenarios
    if isinstance(scenarios, str):
        if scenarios != "exact":
            raise ParameterError(
                f"scenarios is {scenarios!r}; give a number, 'exact' or a ScenarioSet"
            )
        if sector_rho:
            raise ParameterError(
                f"sector_rho is {sector_rho!r}; scenarios='exact' supports the common factor only"
            )
        return exact_defaults(topo.pd, rho=rho, nodes=topo.names, seed=seed)
    if isinstance(scenarios, bool) or not isinstance(scenarios, (int, np.integer)):
        raise ParameterError(f"scenarios is {scenarios!r}; give a number, 'exact' or a ScenarioSet")
    extra: dict[str, Any] = {}
    if sampling == "importance":
        exposure = np.where(
            topo.is_member, topo.lgd * np.maximum(topo.demand - topo.collateral, 0.0), 0.0
        )
        extra = {"sampling": "importance", "exposure": exposure, "alpha": float(alpha)}
    return simulate_defaults(
        topo.pd,
        int(scenarios),
        rho=rho,
        sector=sectors,
        sector_rho=sector_rho,
        seed=seed,
        nodes=topo.names,
        progress=progress,
        **extra,
    )


# -- cascade ---------------------------------------------------------------------------------


def network_scenarios(
    net: AllianceNetwork,
    scenarios: Any,
    rho: float,
    sector_rho: float,
    seed: Any,
    progress: bool | None,
    sampling: str = "plain",
    alpha: float = 0.999,
) -> tuple[Topology, ScenarioSet]:
    """The network's topology and its default scenarios, with each node's sector loading.

    One place builds them so that the limit, the margin and the credit shares of the same
    call see the same scenarios (common random numbers).
    """
    topo = net.topology()
    sc = make_scenarios(
        topo,
        scenarios,
        rho=rho,
        sector_rho=sector_rho,
        seed=seed,
        sectors=[net.graph.nodes[n]["sector"] for n in topo.names],
        progress=progress,
        sampling=sampling,
        alpha=alpha,
    )
    return topo, sc


def _defaults_matrix(topo: Topology, defaulted: Any) -> np.ndarray:
    n = topo.n
    if isinstance(defaulted, np.ndarray) and defaulted.dtype == bool:
        arr = defaulted.reshape(1, -1) if defaulted.ndim == 1 else defaulted
        if arr.ndim != 2 or arr.shape[1] != n:
            raise ParameterError(
                f"defaulted has shape {defaulted.shape}; it must be ({n},) or (S, {n}) "
                "(one column per node in graph order)"
            )
        return arr
    if isinstance(defaulted, Mapping):
        defaulted = [k for k, v in defaulted.items() if v]
    if isinstance(defaulted, str):
        defaulted = [defaulted]
    index = topo.index
    row = np.zeros((1, n), dtype=bool)
    for nm in defaulted:
        if nm not in index:
            raise NetworkError(f"unknown member {nm!r} in defaulted")
        row[0, index[nm]] = True
    return row


def run_cascade(
    net: AllianceNetwork,
    defaulted: Iterable[str] | np.ndarray,
    *,
    void_prob: float = 0.0,
    seed: int | None = None,
    share: float = 1.0,
    loans: Any = None,
    pledge: bool = True,
    haircut: float = 0.0,
    trade_contagion: bool = False,
) -> CascadeResult:
    """Contagion from given defaults (see AllianceNetwork.cascade).

    Loans are ``share`` × demand, or ``loans`` (a mapping member → loan, or an array in node
    order) when given. The cascade follows docs/economics.md §3 (guarantees, the fund and
    pledged receivables absorb a defaulter's loss; a guarantor that cannot pay defaults in
    the next round).

    Parameters
    ----------
    net : AllianceNetwork
        The alliance.
    defaulted : iterable of str, mapping or bool array
        Names of the nodes that default (one scenario), a mapping name → bool, or a bool
        array (S × n nodes, in ``graph`` order) for S scenarios at once.
    void_prob : float
        Probability q in [0, 1] that a guarantee is void, drawn per chain and scenario.
    seed : int, optional
        Seed of the void draws.
    share : float
        Loans are ``share`` × demand (default 1).
    loans : mapping or array, optional
        Each member's loan instead (e.g. ``report.allocation.to_dict()``).
    pledge : bool
        Defaulters' receivables on other members are pledged to the bank (default True).
    haircut : float
        The bank's haircut in [0, 1] on pledged receivables.
    trade_contagion : bool
        Trade shortfalls reduce creditors' equity and can make them default.

    Returns
    -------
    CascadeResult
        Default rounds, losses and their split, per scenario.

    Examples
    --------
    >>> from alliance.network import AllianceNetwork
    >>> net = AllianceNetwork()
    >>> net.add_member("A", demand=200, pd=0.04, lgd=0.5)
    >>> net.add_member("B", demand=100, pd=0.0, lgd=0.5, equity=1000)
    >>> net.add_chain("B", "A", amount=40)
    >>> res = run_cascade(net, ["A"])  # A's loss 0.5 * 200, less B's guarantee of 40
    >>> round(float(res.loss[0]), 6), round(float(res.guarantees_paid[0]), 6)
    (60.0, 40.0)
    """
    q = check_void_prob(void_prob)
    share = float(share)
    if not 0.0 <= share <= 1.0:
        raise ParameterError(f"share is {share!r}; it must lie in [0, 1]")
    haircut = _check_haircut(haircut)
    topo = net.topology()
    if loans is None:
        loan_vec = share * topo.demand
    else:
        loan_vec = net._node_vector(loans, "demand", "loans")
        loan_vec = np.where(topo.is_member, loan_vec, 0.0)
        if np.any(loan_vec < 0):
            raise ParameterError("loans must be non-negative")
    prim = _defaults_matrix(topo, defaulted)
    S, n = prim.shape
    sc = ScenarioSet(
        defaults=sp.csr_matrix(prim),
        weights=np.full(S, 1.0 / S),
        method="given",
        seed=seed,
        void_key=void_stream_key(seed),
        nodes=topo.names,
    )
    engine = CascadeEngine(
        topo,
        sc,
        np.ones((1, n), dtype=bool),
        void_prob=q,
        pledge=pledge,
        haircut=haircut,
        trade_contagion=trade_contagion,
    )
    tot = engine.evaluate(loan_vec[None, :], losses=True, events=True)
    rounds = np.full((S, n), -1, dtype=np.int64)
    bs, node, rnd = tot.events
    rounds[bs, node] = rnd
    return CascadeResult(
        names=topo.names,
        primary=prim,
        default_round=rounds,
        loss=tot.losses[0],
        credit=tot.components[0, 0],
        operational=tot.components[1, 0],
        guarantor=tot.components[2, 0],
        fund_paid=tot.fund_by_scenario[0],
        guarantees_paid=tot.guarantees_by_scenario[0],
        rounds=tot.rounds[0],
        cascade_size=tot.cascade_size[0],
        void_prob=q,
        contagion=tot.components[3, 0],
    )


# -- alliance limit --------------------------------------------------------------------------
def _limit_from_topology(
    topo: Topology,
    sc: ScenarioSet,
    policy: BankPolicy,
    *,
    void_prob: float,
    backend: str,
    details: bool,
    chunk_defaults: int = 1_000_000,
    pledge: bool = True,
    trade_contagion: bool = False,
    engine: ChunkedEngine | None = None,
) -> tuple[AllianceLimit, Any]:
    if sc.is_exact and 0.0 < void_prob < 1.0:
        raise ParameterError(
            f"void_prob is {void_prob!r}; scenarios='exact' enumerates defaults only, so it "
            "needs void_prob 0 or 1 (use Monte Carlo scenarios for 0 < q < 1)"
        )
    if engine is None:
        engine = CascadeEngine(
            topo,
            sc,
            np.ones((1, topo.n), dtype=bool),
            void_prob,
            max_pairs=chunk_defaults,
            backend=backend,
            pledge=pledge,
            haircut=float(policy.receivable_haircut),
            trade_contagion=trade_contagion,
        )
    base = np.where(topo.is_member, topo.demand, 0.0)[None, :]
    sol = solve_shares(engine, base, policy, details=details)
    s = float(sol.share[0])
    total_d = float(base.sum())
    tot = sol.totals
    binding = str(sol.binding[0])
    se = 0.0
    if not sc.is_exact and binding == "expected_loss":
        var_el = max(float(tot.second_moment[0] - tot.expected_loss[0] ** 2), 0.0)
        se_el = np.sqrt(var_el / sc.n_scenarios)
        slope = float(sol.f_slope[0])
        se = float(se_el / slope * total_d) if np.isfinite(slope) and slope > 0 else 0.0
    elif not sc.is_exact and binding == "value_at_risk":
        if isinstance(engine, ChunkedEngine):
            se = _sectioning_se_chunked(engine, policy, total_d)
        else:
            se = _sectioning_se(topo, sc, policy, void_prob, total_d)
    el = float(tot.expected_loss[0])
    split = {
        "credit": float(tot.credit[0]),
        "operational": float(tot.operational[0]),
        "guarantor": float(tot.guarantor[0]),
        "contagion": float(tot.contagion[0]),
        "total": el,
    }
    var = None if sol.value_at_risk is None else float(sol.value_at_risk[0])
    return (
        AllianceLimit(
            share=s,
            limit=s * total_d,
            standard_error=se,
            expected_loss=el,
            loss_split=split,
            binding=binding,
            total_demand=total_d,
            value_at_risk=var,
        ),
        tot,
    )


def _sectioning_se(topo, sc, policy, void_prob, total_d, batches: int = 10) -> float:
    S = sc.n_scenarios
    edges = np.linspace(0, S, batches + 1).astype(int)
    shares = []
    for a, b in zip(edges[:-1], edges[1:]):  # a handful of batches, each vectorised
        sub = ScenarioSet(
            defaults=sc.defaults[a:b],
            weights=np.full(b - a, 1.0 / (b - a)),
            method=sc.method,
            rho=sc.rho,
            sector_rho=sc.sector_rho,
            seed=sc.seed,
            void_key=sc.void_key,
            nodes=sc.nodes,
        )
        eng = CascadeEngine(topo, sub, np.ones((1, topo.n), dtype=bool), void_prob)
        base = np.where(topo.is_member, topo.demand, 0.0)[None, :]
        shares.append(float(solve_shares(eng, base, policy).share[0]))
    return float(np.std(shares, ddof=1) / np.sqrt(batches) * total_d)


def _sectioning_se_chunked(engine: ChunkedEngine, policy: BankPolicy, total_d: float) -> float:
    # batches are groups of whole chunks (no redraw); a single chunk gives no error estimate
    ids = engine.chunk_ids
    if len(ids) < 2:
        return float("nan")
    groups = np.array_split(np.asarray(ids), min(10, len(ids)))
    base = np.where(engine.topo.is_member, engine.topo.demand, 0.0)[None, :]
    shares = [
        float(solve_shares(engine.batch(g.tolist()), base, policy).share[0]) for g in groups
    ]
    return float(np.std(shares, ddof=1) / np.sqrt(len(groups)) * total_d)


def alliance_limit(
    net: AllianceNetwork,
    policy: BankPolicy,
    *,
    scenarios: int | str | ScenarioSet = 10_000,
    rho: float = 0.12,
    sector_rho: float = 0.0,
    seed: int | None = None,
    void_prob: float = 0.0,
    backend: str = "numpy",
    progress: bool | None = None,
    chunk_defaults: int = 1_000_000,
    rule: str = "optimal",
    mechanisms: Any = None,
    trade_contagion: bool = False,
    check: Any = "fresh",
    leximin: bool = True,
    sampling: str | None = None,
    chunk_scenarios: int | None = None,
    client: Any = None,
) -> AllianceLimit:
    """The alliance limit L_A with its Monte Carlo standard error.

    Parameters
    ----------
    net : AllianceNetwork
        The alliance.
    policy : BankPolicy
        The bank's limits (expected loss, optionally expected shortfall and value at risk).
    scenarios : int, "exact" or ScenarioSet
        Number of Monte Carlo scenarios, ``"exact"`` to enumerate every default pattern
        (at most 16 random members), or scenarios drawn before (common random numbers).
    rho : float
        Common-factor loading in [0, 1) (default 0.12, the lower end of Basel II's corporate
        correlation).
    sector_rho : float
        Sector-factor loading (members of one sector correlate by rho + sector_rho).
    seed : int, optional
        Seed of the scenarios and of the void-guarantee draws.
    void_prob : float
        Probability q in [0, 1] that a guarantee is void (operational risk).
    backend : {"numpy", "dask"}
        ``"dask"`` evaluates scenario chunks in parallel threads (same numbers), or on a
        ``dask.distributed`` cluster with ``chunk_scenarios`` and ``client`` (see
        :func:`credit_margin`).
    progress : bool or None, default None
        Show a progress bar (None: only in a terminal, for long work).
    chunk_defaults : int
        Scenarios are processed in chunks of about this many primary defaults (memory bound).
    rule : {"optimal", "uniform"}
        Version 2's optimal allocation (default) or version 1's uniform share.
    mechanisms, trade_contagion, check, leximin, sampling, chunk_scenarios, client
        As in :func:`credit_margin`, where they are passed (under ``rule="optimal"``, or
        with ``chunk_scenarios`` or ``client``). The uniform rule on scenarios held in this
        process uses ``trade_contagion``; it has no programme, check or sampling choice, so
        a value of ``mechanisms``, ``check``, ``leximin`` or ``sampling`` other than the
        default raises a ParameterError instead of being ignored.

    Returns
    -------
    AllianceLimit
        ``share`` is L_A / Σ Dᵢ (the uniform share itself under ``rule="uniform"``).

    Examples
    --------
    Worked example 1 of docs/credit_v2.md: the optimal allocation lends 240, the uniform
    share 64 % of demand.

    >>> from alliance.network import AllianceNetwork, BankPolicy
    >>> net = AllianceNetwork()
    >>> net.add_member("A", demand=200, pd=0.04, lgd=0.5)
    >>> net.add_member("B", demand=100, pd=0.0, lgd=0.5, equity=1000)
    >>> net.add_chain("B", "A", amount=40)
    >>> policy = BankPolicy(max_el_rate=0.005)
    >>> round(alliance_limit(net, policy, scenarios="exact", rho=0.0).limit, 6)
    240.0
    >>> lim = alliance_limit(net, policy, scenarios="exact", rho=0.0, rule="uniform")
    >>> round(lim.limit, 6), round(lim.share, 6), lim.binding
    (192.0, 0.64, 'expected_loss')
    """
    check_rule(rule)
    chunked = chunk_scenarios is not None or client is not None
    if rule == "optimal" or chunked:
        rep = credit_margin(
            net,
            policy,
            scenarios=scenarios,
            rho=rho,
            sector_rho=sector_rho,
            seed=seed,
            void_prob=void_prob,
            backend=backend,
            progress=progress,
            chunk_defaults=chunk_defaults,
            rule=rule,
            mechanisms=mechanisms,
            trade_contagion=trade_contagion,
            check=check,
            leximin=leximin,
            sampling=sampling,
            chunk_scenarios=chunk_scenarios,
            client=client,
        )
        total_d = float(sum(net.graph.nodes[m]["demand"] for m in net.members))
        return AllianceLimit(
            share=rep.share,
            limit=rep.alliance_limit,
            standard_error=rep.standard_error,
            expected_loss=rep.expected_loss,
            loss_split=rep.loss_split,
            binding=rep.binding,
            total_demand=total_d,
            value_at_risk=rep.details.get("value_at_risk"),
        )
    # the uniform rule of version 1 has no programme, check or sampling choice: an argument
    # that would change nothing is refused rather than silently ignored
    for name, value, default in (
        ("mechanisms", mechanisms, None),
        ("check", check, "fresh"),
        ("leximin", leximin, True),
    ):
        if not (value is default or (isinstance(value, str) and value == default)):
            raise ParameterError(
                f"{name} is {value!r}; it applies to rule='optimal' only (the uniform rule "
                "computes one share on the scenarios drawn)"
            )
    if sampling not in (None, "plain"):
        raise ParameterError(
            f"sampling is {sampling!r}; the uniform rule draws plain scenarios (give "
            "rule='optimal' for importance sampling)"
        )
    q = check_void_prob(void_prob)
    check_backend(backend)
    topo, sc = network_scenarios(net, scenarios, rho, sector_rho, seed, progress)
    lim, _ = _limit_from_topology(
        topo,
        sc,
        policy,
        void_prob=q,
        backend=backend,
        details=False,
        chunk_defaults=chunk_defaults,
        trade_contagion=bool(trade_contagion),
    )
    return lim


def standalone_vector(
    topo: Topology, sc: ScenarioSet | None, policy: BankPolicy, present: np.ndarray | None = None
) -> np.ndarray:
    """Each node's standalone limit L⁰ (0 for institutions and absent members).

    The closed form; when the bank can verify a standalone member's receivables
    (``policy.receivables_verifiable_standalone``), members holding receivables get the
    largest loan that meets the limits member by member with their pledges (a programme on
    the scenarios, since the pledge's value depends on the debtor's default).
    """
    n = topo.n
    present = np.ones(n, dtype=bool) if present is None else np.asarray(present, dtype=bool)
    mem = topo.is_member & present
    out = np.zeros(n)
    out[mem] = standalone_limit(
        topo.demand[mem], topo.pd[mem], topo.lgd[mem], topo.collateral[mem], policy
    )
    if (
        policy.receivables_verifiable_standalone
        and sc is not None
        and topo.t_amt is not None
        and topo.t_amt.size
    ):
        from alliance.network.allocation import Mechanisms, solve_programme
        from alliance.network.optimal import configured_topology, ratio_scale

        holders = mem & (np.bincount(topo.t_tgt, minlength=n) > 0)
        if holders.any():
            mech = Mechanisms(pooling=False, fund=False, guarantees=False, pledges=True)
            t = configured_topology(topo, mech)
            sol = solve_programme(
                t,
                sc,
                policy,
                present=present,
                lower=np.where(holders, out, 0.0),
                upper=np.where(holders, topo.demand, 0.0),
                mech=mech,
                defaults=sc.defaults.tocsr().astype(bool),
                primary_scale=ratio_scale(t, sc),
                leximin=False,
            )
            if sol.status == "optimal":
                out[holders] = np.maximum(out[holders], sol.loans[holders])
    return out


def _margin_report(
    topo: Topology,
    sc: ScenarioSet,
    policy: BankPolicy,
    *,
    void_prob: float,
    backend: str,
    chunk_defaults: int = 1_000_000,
    rule: str = "optimal",
    check_sc: ScenarioSet | None = None,
    mechanisms: Any = None,
    trade_contagion: bool = False,
    fund_cap: float | None = None,
    leximin: bool = True,
    engine: ChunkedEngine | None = None,
) -> CreditMarginReport:
    if rule == "optimal":
        from alliance.network.optimal import aggregate_patterns
        from alliance.network.report_v2 import optimal_report

        check_sc = sc if check_sc is None else check_sc
        if not 0.0 < void_prob < 1.0:
            # nothing but the default pattern varies by scenario: merge identical patterns
            same = check_sc is sc
            sc = aggregate_patterns(sc)
            check_sc = sc if same else aggregate_patterns(check_sc)
        return optimal_report(
            topo,
            sc,
            check_sc,
            policy,
            void_prob=void_prob,
            backend=backend,
            chunk_defaults=chunk_defaults,
            mechanisms=mechanisms,
            trade_contagion=trade_contagion,
            fund_cap=fund_cap,
            leximin=leximin,
        )
    lim, tot = _limit_from_topology(
        topo,
        sc,
        policy,
        void_prob=void_prob,
        backend=backend,
        details=True,
        chunk_defaults=chunk_defaults,
        trade_contagion=trade_contagion,
        engine=engine,
    )
    mem = topo.is_member
    # chunked scenarios are not held here; the caller has ruled out the one case that needs
    # them (receivables verifiable standalone, a programme on the scenarios)
    standalone = standalone_vector(topo, None if engine is not None else sc, policy)[mem]
    st_total = float(standalone.sum())
    margin = lim.limit - st_total
    if st_total > 0:
        mult = lim.limit / st_total
    else:
        mult = float("inf") if lim.limit > 0 else float("nan")  # 0/0: undefined, not 1
    names = [nm for nm, m in zip(topo.names, mem) if m]
    members = pd.DataFrame(
        {
            "demand": topo.demand[mem],
            "pd": topo.pd[mem],
            "standalone_limit": standalone,
            "alliance_loan": lim.share * topo.demand[mem],
            "default_probability": tot.node_default[0][mem],
            "contagion_probability": tot.node_contagion[0][mem],
            "expected_loss": tot.node_loss[0][mem],
            "guarantee_payments": tot.node_paid[0][mem],
        },
        index=pd.Index(names, name="member"),
    )
    return CreditMarginReport(
        policy=policy,
        standalone_total=st_total,
        alliance_limit=lim.limit,
        standard_error=lim.standard_error,
        margin=margin,
        multiplier=mult,
        share=lim.share,
        expected_loss=lim.expected_loss,
        loss_split=lim.loss_split,
        members=members,
        scenarios={
            "method": sc.method,
            "n": sc.n_scenarios,
            "rho": sc.rho,
            "sector_rho": sc.sector_rho,
            "seed": sc.seed,
            "void_prob": void_prob,
            **({} if engine is None else {"chunk_scenarios": sc.chunk_scenarios}),
        },
        binding=lim.binding,
        rule="uniform",
        allocation=pd.Series(
            lim.share * topo.demand[mem], index=pd.Index(names, name="member"), name="loan"
        ),
        upper_bound=lim.limit,
        margin_standard_error=lim.standard_error,
        multiplier_standard_error=lim.standard_error / st_total if st_total > 0 else 0.0,
    )


def check_scenarios(
    net_or_topo: Any,
    sc: ScenarioSet,
    check: Any,
    *,
    scenarios: Any,
    rho: float,
    sector_rho: float,
    seed: int | None,
    sampling: str = "plain",
    alpha: float = 0.999,
) -> ScenarioSet:
    """The scenarios the allocation is checked on: the same exact enumeration, the same set
    (``check="same"`` or a ScenarioSet given as ``scenarios``), fresh Monte Carlo scenarios
    from a seed derived from ``seed`` (``check="fresh"``), or a given ScenarioSet."""
    if isinstance(check, ScenarioSet):
        return check
    if check not in ("fresh", "same"):
        raise ParameterError(f"check is {check!r}; give 'fresh', 'same' or a ScenarioSet")
    if check == "same" or sc.is_exact or isinstance(scenarios, ScenarioSet):
        return sc
    topo = net_or_topo if isinstance(net_or_topo, Topology) else net_or_topo.topology()
    fresh = fresh_seed(seed)
    sectors = None
    if not isinstance(net_or_topo, Topology):
        sectors = [net_or_topo.graph.nodes[nm]["sector"] for nm in topo.names]
    return make_scenarios(
        topo,
        sc.n_scenarios,
        rho=rho,
        sector_rho=sector_rho,
        seed=fresh,
        sectors=sectors,
        sampling=sampling,
        alpha=alpha,
    )


def fresh_seed(seed: int | None) -> int | None:
    """The seed of the check's fresh scenarios, derived from the programme's seed."""
    if seed is None:
        return None
    return int(np.random.SeedSequence([int(seed), 2026]).generate_state(1)[0])


RULES = ("optimal", "uniform")


def tail_alpha(policy: BankPolicy) -> float:
    """The confidence importance sampling aims at: the ES limit's, else the VaR's, else 99.9 %."""
    if policy.has_es_limit:
        return float(policy.es_alpha)  # type: ignore[arg-type]
    if policy.has_var_limit:
        return float(policy.var_alpha)  # type: ignore[arg-type]
    return 0.999


def check_rule(rule: str) -> str:
    if rule not in RULES:
        raise ParameterError(f"rule is {rule!r}; it must be one of {RULES}")
    return rule


def credit_margin(
    net: AllianceNetwork,
    policy: BankPolicy,
    *,
    scenarios: int | str | ScenarioSet = 10_000,
    rho: float = 0.12,
    seed: int | None = None,
    sector_rho: float = 0.0,
    void_prob: float = 0.0,
    backend: str = "numpy",
    progress: bool | None = None,
    chunk_defaults: int = 1_000_000,
    rule: str = "optimal",
    mechanisms: Any = None,
    trade_contagion: bool = False,
    check: Any = "fresh",
    leximin: bool = True,
    sampling: str | None = None,
    chunk_scenarios: int | None = None,
    client: Any = None,
) -> CreditMarginReport:
    """The credit margin of the alliance as a whole (docs/credit_v2.md).

    Parameters
    ----------
    net : AllianceNetwork
    policy : BankPolicy
        The bank's limits (expected loss ℓ*, optionally expected shortfall and value at
        risk), the haircut on pledged receivables and whether a standalone member's
        receivables are verifiable.
    scenarios, rho, sector_rho, seed, void_prob, backend, chunk_defaults
        As in :func:`alliance_limit`.
    progress : bool or None, default None
        Show a progress bar (None: only in a terminal, for long work).
    rule : {"optimal", "uniform"}
        ``"optimal"`` (version 2): the largest total credit under participation
        (L⁰ᵢ ≤ Lᵢ ≤ Dᵢ), the bank's portfolio limits and the fund's leverage cap, ties broken
        leximin on the fill ratios. ``"uniform"`` (version 1, for comparison): the largest
        share s of every member's demand.
    mechanisms : set of str, optional
        The alliance mechanisms switched on, among ``{"pooling", "fund", "guarantees",
        "pledges"}`` (default: all).
    trade_contagion : bool
        Trade shortfalls reduce the creditors' equity and can make them default (off by
        default: pᵢ already prices a member's customer risk; with it on, marginal default
        rates exceed pᵢ).
    check : {"fresh", "same"} or ScenarioSet
        Scenarios on which the programme's allocation is checked with the true rules
        (fresh Monte Carlo scenarios by default; exact scenarios are always checked on
        themselves).
    leximin : bool
        Break ties among optimal allocations leximin on the fill ratios.
    sampling : {"plain", "importance"}, optional
        How the Monte Carlo scenarios of the programme and of the check are drawn: from the
        model, or by importance sampling on the systematic factor (Glasserman & Li 2005)
        aimed at the tail of the policy's ES (or VaR) confidence, with likelihood-ratio
        weights: honest tails with few scenarios. Default
        (:func:`~alliance.network.importance.default_sampling`): importance sampling when
        the policy has an ES limit at confidence 0.99 or more, else plain.
    chunk_scenarios : int, optional
        Draw the Monte Carlo scenarios in chunks of this many scenarios, chunk ``c`` from its
        own seed (child ``c`` of ``SeedSequence(seed).spawn``; see
        :mod:`alliance.network.distributed`): the numbers are identical on every backend and
        any number of workers for the same ``chunk_scenarios`` (they differ from the
        one-piece draw without it). Memory per process grows with the chunk: about
        ``chunk_scenarios`` × Σᵢ pᵢ primary defaults, a few hundred bytes each. Default: no
        chunks, except with a ``dask.distributed`` client, where chunks hold about
        ``chunk_defaults`` primary defaults (the size used is reported in
        ``rep.scenarios["chunk_scenarios"]``).
    client : dask.distributed.Client or str, optional
        With ``backend="dask"``: the cluster (a client or a scheduler address; default the
        current default client, if any). What runs on the workers: drawing the scenario
        chunks and, under ``rule="uniform"``, every cascade evaluation of the search for
        the share and the final report (each chunk stays on its worker; the client only
        receives per-chunk totals). Under ``rule="optimal"`` the chunks are drawn on the
        workers and then gathered: the linear programme and its check with the true rules
        run in this process, in threads, on all scenarios (one LP does not split).

    Returns
    -------
    CreditMarginReport
        Σ standalone limits, the alliance limit (the checked allocation's total: the lower
        bound) and the programme's upper bound, the allocation, the margin and multiplier
        with standard errors, binding constraints and shadow prices, the expected loss split
        into credit, operational, guarantor and contagion risk, participation in payoffs, or
        "not viable" with the failing constraint.

    Examples
    --------
    Worked example 1 of docs/credit_v2.md:

    >>> from alliance.network import AllianceNetwork, BankPolicy
    >>> net = AllianceNetwork()
    >>> net.add_member("A", demand=200, pd=0.04, lgd=0.5)
    >>> net.add_member("B", demand=100, pd=0.0, lgd=0.5, equity=1000)
    >>> net.add_chain("B", "A", amount=40)
    >>> rep = credit_margin(net, BankPolicy(max_el_rate=0.005), scenarios="exact", rho=0.0)
    >>> round(rep.alliance_limit, 6), rep.allocation.round(6).to_dict()
    (240.0, {'A': 140.0, 'B': 100.0})
    >>> round(float(rep.shadow_prices["guarantee B->A"]), 6)
    2.666667
    >>> uniform = credit_margin(net, BankPolicy(max_el_rate=0.005), scenarios="exact", rho=0.0,
    ...                         rule="uniform")
    >>> round(uniform.alliance_limit, 6), round(uniform.share, 6)
    (192.0, 0.64)
    """
    q = check_void_prob(void_prob)
    check_backend(backend)
    check_rule(rule)
    # one integer seed from here on: scenarios and the check's fresh scenarios derive from it,
    # so a SeedSequence or a Generator gives the same reproducible streams as an integer
    seed = as_seed(seed)
    client = resolve_client(backend, client)
    if chunk_scenarios is not None or (client is not None and _is_count(scenarios)):
        return _chunked_margin(
            net,
            policy,
            scenarios=scenarios,
            chunk_scenarios=chunk_scenarios,
            client=client,
            rho=rho,
            sector_rho=sector_rho,
            seed=seed,
            void_prob=q,
            backend=backend,
            chunk_defaults=chunk_defaults,
            rule=rule,
            mechanisms=mechanisms,
            trade_contagion=bool(trade_contagion),
            check=check,
            leximin=leximin,
            sampling=sampling,
        )
    alpha = tail_alpha(policy)
    # an ES limit far in the tail binds on a handful of plain scenarios: the programme and the
    # check then both work on importance-sampled ones (default_sampling)
    sampling = default_sampling(policy, sampling)
    topo, sc = network_scenarios(
        net, scenarios, rho, sector_rho, seed, progress, sampling=sampling, alpha=alpha
    )
    if sc.is_exact and 0.0 < q < 1.0:
        raise ParameterError(
            f"void_prob is {q!r}; scenarios='exact' enumerates defaults only, so it "
            "needs void_prob 0 or 1 (use Monte Carlo scenarios for 0 < q < 1)"
        )
    check_sc = None
    if rule == "optimal":
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
        sc = programme_scenarios(sc)  # after the check's: those keep every scenario
    return _margin_report(
        topo,
        sc,
        policy,
        void_prob=q,
        backend=backend,
        chunk_defaults=chunk_defaults,
        rule=rule,
        check_sc=check_sc,
        mechanisms=mechanisms,
        trade_contagion=bool(trade_contagion),
        fund_cap=net.fund_leverage_cap,
        leximin=leximin,
    )


def _is_count(scenarios: Any) -> bool:
    return isinstance(scenarios, (int, np.integer)) and not isinstance(scenarios, bool)


def _chunked_margin(
    net: AllianceNetwork,
    policy: BankPolicy,
    *,
    scenarios: Any,
    chunk_scenarios: int | None,
    client: Any,
    rho: float,
    sector_rho: float,
    seed: int | None,
    void_prob: float,
    backend: str,
    chunk_defaults: int,
    rule: str,
    mechanisms: Any,
    trade_contagion: bool,
    check: Any,
    leximin: bool,
    sampling: str | None,
) -> CreditMarginReport:
    """credit_margin on chunked scenarios (module alliance.network.distributed)."""
    from dataclasses import replace

    if not _is_count(scenarios):
        raise ParameterError(
            f"scenarios is {scenarios!r}; chunk_scenarios needs a number of Monte Carlo "
            "scenarios"
        )
    explicit = sampling is not None
    sampling = default_sampling(policy, sampling)
    if sampling != "plain":
        why = "" if explicit else " (the default for an ES limit at 99 % or more)"
        raise ParameterError(
            f"sampling is {sampling!r}{why}; chunked scenarios are drawn plainly: pass "
            "sampling='plain'"
        )
    topo = net.topology()
    n_scen = int(scenarios)
    if chunk_scenarios is None:
        chunk_scenarios = default_chunk_scenarios(topo, n_scen, chunk_defaults)
    if seed is None:  # one parent seed for every chunk, reported so that it can be rerun
        seed = as_seed(np.random.SeedSequence())
    sectors = None
    if sector_rho > 0:
        sectors = tuple(net.graph.nodes[nm]["sector"] for nm in topo.names)
    spec = ChunkedScenarios(
        n_scenarios=n_scen,
        chunk_scenarios=chunk_scenarios,
        seed=int(seed),
        rho=float(rho),
        sector_rho=float(sector_rho),
        sectors=sectors,
    )
    if rule == "optimal":
        # the programme is one LP on every scenario: draw the chunks (on the workers), gather
        sc = gather_scenarios(topo, spec, backend=backend, client=client)
        if isinstance(check, ScenarioSet):
            check_sc = check
        elif check == "same":
            check_sc = sc
        elif check == "fresh":
            check_sc = gather_scenarios(
                topo, replace(spec, seed=fresh_seed(seed)), backend=backend, client=client
            )
        else:
            raise ParameterError(f"check is {check!r}; give 'fresh', 'same' or a ScenarioSet")
        rep = _margin_report(
            topo,
            sc,
            policy,
            void_prob=void_prob,
            backend=backend,
            chunk_defaults=chunk_defaults,
            rule=rule,
            check_sc=check_sc,
            mechanisms=mechanisms,
            trade_contagion=trade_contagion,
            fund_cap=net.fund_leverage_cap,
            leximin=leximin,
        )
        return replace(rep, scenarios={**rep.scenarios, "chunk_scenarios": spec.chunk_scenarios})
    has_trade = topo.t_amt is not None and topo.t_amt.size > 0
    if policy.receivables_verifiable_standalone and has_trade:
        raise ParameterError(
            "receivables_verifiable_standalone needs a programme on all scenarios for the "
            "standalone limits; use scenarios without chunk_scenarios"
        )
    engine = ChunkedEngine(
        topo,
        spec,
        np.ones((1, topo.n), dtype=bool),
        void_prob,
        backend=backend,
        client=client,
        max_pairs=chunk_defaults,
        pledge=True,
        haircut=float(policy.receivable_haircut),
        trade_contagion=trade_contagion,
    )
    try:
        return _margin_report(
            topo,
            spec,  # type: ignore[arg-type]
            policy,
            void_prob=void_prob,
            backend=backend,
            rule="uniform",
            trade_contagion=trade_contagion,
            engine=engine,
        )
    finally:
        engine.close()


def _fix_seed(seed: int | None) -> int:
    # one seed for every point of a curve: common random numbers along the curve
    seed = as_seed(seed)
    return int(np.random.SeedSequence(seed).generate_state(1)[0]) if seed is None else int(seed)


def _report_row(rep: CreditMarginReport) -> dict[str, float]:
    return {
        "standalone_total": rep.standalone_total,
        "alliance_limit": rep.alliance_limit,
        "margin": rep.margin,
        "standard_error": rep.standard_error,
        "multiplier": rep.multiplier,
        "share": rep.share,
        "expected_loss": rep.expected_loss,
        "credit": rep.loss_split["credit"],
        "operational": rep.loss_split["operational"],
        "guarantor": rep.loss_split["guarantor"],
        "contagion": rep.loss_split.get("contagion", 0.0),
    }


def margin_curve(
    net: AllianceNetwork,
    policy: BankPolicy,
    *,
    rho: Sequence[float],
    scenarios: int | str = 10_000,
    seed: int | None = None,
    sector_rho: float = 0.0,
    void_prob: float = 0.0,
    backend: str = "numpy",
    progress: bool | None = None,
) -> pd.DataFrame:
    """Credit margin against the default correlation ρ (a tidy DataFrame, one row per ρ).

    Every ρ reuses the same normal draws (one seed), so the curve is smooth in ρ. Each
    point is the version 2 credit margin (:func:`credit_margin` with its defaults) on the
    scenarios of that ρ, the allocation checked on the same scenarios.

    Parameters
    ----------
    net : AllianceNetwork
        The alliance.
    policy : BankPolicy
        The bank's limits.
    rho : sequence of float
        The common-factor loadings, each in [0, 1) (Vasicek 2002).
    scenarios : int or "exact"
        Number of Monte Carlo scenarios per point, or ``"exact"``.
    seed : int, optional
        Seed of the normal draws shared by every point (drawn once when None).
    sector_rho, void_prob, backend
        As in :func:`alliance_limit`.
    progress : bool or None, default None
        Show a progress bar over the points (None: only in a terminal, for long work).

    Returns
    -------
    pandas.DataFrame
        One row per ρ; columns ``rho, standalone_total, alliance_limit, margin,
        standard_error, multiplier, share, expected_loss, credit, operational, guarantor,
        contagion``.

    Examples
    --------
    >>> from alliance.network import AllianceNetwork, BankPolicy
    >>> net = AllianceNetwork()
    >>> net.add_member("A", demand=200, pd=0.04, lgd=0.5)
    >>> net.add_member("B", demand=100, pd=0.0, lgd=0.5, equity=1000)
    >>> net.add_chain("B", "A", amount=40)
    >>> curve = margin_curve(net, BankPolicy(max_el_rate=0.005), rho=[0.0, 0.3],
    ...                      scenarios="exact")
    >>> curve[["rho", "alliance_limit", "margin"]].round(6).values.tolist()
    [[0.0, 240.0, 140.0], [0.3, 240.0, 140.0]]
    """
    from tqdm.auto import tqdm

    q = check_void_prob(void_prob)
    check_backend(backend)
    topo = net.topology()
    seed = _fix_seed(seed)
    sectors = [net.graph.nodes[n]["sector"] for n in topo.names]
    rows = []
    # one full alliance-limit solve per correlation: a few heavy points, not a fine grid
    for r in tqdm(list(rho), disable=None if progress is None else not progress, desc="rho"):
        sc = make_scenarios(
            topo, scenarios, rho=float(r), sector_rho=sector_rho, seed=seed, sectors=sectors
        )
        rep = _margin_report(topo, sc, policy, void_prob=q, backend=backend)
        rows.append({"rho": float(r), **_report_row(rep)})
    return pd.DataFrame(rows)


def margin_vs_density(
    net: AllianceNetwork,
    policy: BankPolicy,
    *,
    density: Sequence[float],
    amount: float = 0.2,
    scenarios: int | str = 10_000,
    rho: float = 0.12,
    seed: int | None = None,
    sector_rho: float = 0.0,
    void_prob: float = 0.0,
    backend: str = "numpy",
    progress: bool | None = None,
) -> pd.DataFrame:
    """Credit margin against the density of mutual guarantees among members.

    For density d, each ordered pair of members (j, i) without a chain gets a guarantee j→i
    of ``amount`` × D_i with probability d, on top of the network's own chains. One uniform
    per pair is drawn once, so the networks are nested (a pair chained at d stays chained at
    every larger d) and all share the same default scenarios. Members' leverage caps are not
    enforced on these random chains.

    Parameters
    ----------
    net : AllianceNetwork
        The alliance.
    policy : BankPolicy
        The bank's limits.
    density : sequence of float
        Densities d in [0, 1] of the random guarantees.
    amount : float
        Each random guarantee covers ``amount`` × the borrower's demand (positive).
    scenarios : int or "exact"
        Number of Monte Carlo scenarios (one set for every density), or ``"exact"``.
    rho : float
        Common-factor loading in [0, 1) (Vasicek 2002).
    seed : int, optional
        Seed of the scenarios and of the random chains (drawn once when None).
    sector_rho, void_prob, backend
        As in :func:`alliance_limit`.
    progress : bool or None, default None
        Show a progress bar over the densities (None: only in a terminal, for long work).

    Returns
    -------
    pandas.DataFrame
        Columns ``density, guarantee_chains`` and those of :func:`margin_curve` but ``rho``.

    Examples
    --------
    At density 1 each of two members guarantees 20 % of the other's demand:

    >>> from alliance.network import AllianceNetwork, BankPolicy
    >>> net = AllianceNetwork()
    >>> net.add_member("A", demand=200, pd=0.04, lgd=0.5, equity=1000)
    >>> net.add_member("B", demand=100, pd=0.04, lgd=0.5, equity=1000)
    >>> df = margin_vs_density(net, BankPolicy(max_el_rate=0.005), density=[0.0, 1.0],
    ...                        scenarios="exact", rho=0.0, seed=1)
    >>> df["guarantee_chains"].tolist()
    [0, 2]
    >>> bool(df["alliance_limit"].iloc[1] >= df["alliance_limit"].iloc[0])
    True
    """
    from tqdm.auto import tqdm

    q = check_void_prob(void_prob)
    check_backend(backend)
    amt = float(amount)
    if not amt > 0 or not np.isfinite(amt):
        raise ParameterError(f"amount is {amount!r}; it must be a positive share of demand")
    dens = [float(d) for d in density]
    for d in dens:
        if not 0.0 <= d <= 1.0:
            raise ParameterError(f"density is {d!r}; it must lie in [0, 1]")
    seed = _fix_seed(seed)
    topo, sc = network_scenarios(net, scenarios, rho, sector_rho, seed, None)
    mem = np.flatnonzero(topo.is_member)
    jj, ii = np.meshgrid(mem, mem, indexing="ij")
    jj, ii = jj.ravel(), ii.ravel()
    off = jj != ii
    jj, ii = jj[off], ii[off]
    existing = set(
        zip(topo.g_src[np.argsort(topo.g_id)].tolist(), topo.g_tgt[np.argsort(topo.g_id)].tolist())
    )
    names_idx = {nm: k for k, nm in enumerate(topo.names)}
    existing |= {(names_idx[a], names_idx[b]) for a, b, _ in net.chains("trade")}
    if existing:
        code = jj * topo.n + ii
        ex = np.array([a * topo.n + b for a, b in existing], dtype=np.int64)
        keep = ~np.isin(code, ex)
        jj, ii = jj[keep], ii[keep]
    has_demand = topo.demand[ii] > 0
    jj, ii = jj[has_demand], ii[has_demand]
    u = np.random.default_rng(np.random.SeedSequence([seed, 7])).random(jj.size)
    order = np.argsort(topo.g_id)
    src0, tgt0, amt0 = topo.g_src[order], topo.g_tgt[order], topo.g_amt[order]
    rows = []
    for d in tqdm(dens, disable=None if progress is None else not progress, desc="density"):
        pick = u < d
        t = topo.with_guarantees(
            np.concatenate([src0, jj[pick]]),
            np.concatenate([tgt0, ii[pick]]),
            np.concatenate([amt0, amt * topo.demand[ii[pick]]]),
        )
        rep = _margin_report(t, sc, policy, void_prob=q, backend=backend)
        rows.append(
            {"density": d, "guarantee_chains": int(src0.size + pick.sum()), **_report_row(rep)}
        )
    return pd.DataFrame(rows)
