"""Result values of the alliance network: cascades, alliance limits, margins and shares."""

from __future__ import annotations

import html
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from alliance.network.policy import BankPolicy

__all__ = ["CascadeResult", "AllianceLimit", "CreditMarginReport", "CreditSharesResult"]

RISKS = ("credit", "operational", "guarantor", "contagion")


def _safe_html(obj: Any, body: str | None = None) -> str:
    try:
        return body if body is not None else f"<pre>{html.escape(repr(obj))}</pre>"
    except Exception:  # never raise from a notebook hook
        return f"<pre>{html.escape(object.__repr__(obj))}</pre>"


@dataclass(frozen=True, eq=False)
class CascadeResult:
    """Outcome of guarantee contagion in one or more scenarios.

    Made by :meth:`AllianceNetwork.cascade <alliance.network.network.AllianceNetwork.cascade>`.

    Parameters
    ----------
    names : tuple of str
        Node names, in network order.
    primary : numpy.ndarray
        Bool (S × n): the defaults given to the cascade.
    default_round : numpy.ndarray
        Int (S × n): the round in which each node defaulted (0 = given, 1, 2, ... =
        through contagion), -1 if it survived.
    loss, credit, operational, guarantor, contagion : numpy.ndarray
        Per scenario: the bank's loss and its split (they sum to loss; ``contagion`` is the
        loss on loans of members that defaulted through calls or trade losses).
    fund_paid, guarantees_paid : numpy.ndarray
        Per scenario: what the alliance fund and the guarantors paid.
    rounds : numpy.ndarray
        Per scenario: number of contagion rounds (0 if no guarantor failed).
    cascade_size : numpy.ndarray
        Per scenario: number of nodes that defaulted through contagion.
    void_prob : float
        Probability that a guarantee was void.

    Examples
    --------
    >>> from alliance.network import AllianceNetwork, BankPolicy
    >>> net = AllianceNetwork()
    >>> net.add_member("A", demand=200, pd=0.04, lgd=0.5)
    >>> net.add_member("B", demand=100, pd=0.0, lgd=0.5, equity=1000)
    >>> net.add_chain("B", "A", amount=40)
    >>> res = net.cascade(["A"])  # A's loss 0.5 * 200, less B's guarantee of 40
    >>> res.defaulted, res.n_scenarios
    (['A'], 1)
    >>> res.loss_split()["total"]
    60.0
    """

    names: tuple[str, ...]
    primary: np.ndarray
    default_round: np.ndarray
    loss: np.ndarray
    credit: np.ndarray
    operational: np.ndarray
    guarantor: np.ndarray
    fund_paid: np.ndarray
    guarantees_paid: np.ndarray
    rounds: np.ndarray
    cascade_size: np.ndarray
    void_prob: float = 0.0
    contagion: np.ndarray | None = None

    @property
    def n_scenarios(self) -> int:
        """The number of scenarios S."""
        return int(self.loss.size)

    @property
    def defaulted(self) -> list[str] | list[list[str]]:
        """Names of every node that defaulted (given or contagion); one list per scenario if S > 1."""
        lists = [[self.names[i] for i in np.flatnonzero(row >= 0)] for row in self.default_round]
        return lists[0] if len(lists) == 1 else lists

    @property
    def contagion_defaults(self) -> list[str] | list[list[str]]:
        """Names of the nodes that defaulted through contagion."""
        lists = [[self.names[i] for i in np.flatnonzero(row > 0)] for row in self.default_round]
        return lists[0] if len(lists) == 1 else lists

    def loss_split(self) -> dict[str, float]:
        """Total loss and its split, summed over scenarios (a single scenario: its values).

        Returns
        -------
        dict
            ``{"credit", "operational", "guarantor", "contagion", "total"}`` → loss.

        Examples
        --------
        >>> from alliance.network import AllianceNetwork, BankPolicy
        >>> net = AllianceNetwork()
        >>> net.add_member("A", demand=200, pd=0.04, lgd=0.5)
        >>> net.add_member("B", demand=100, pd=0.0, lgd=0.5, equity=1000)
        >>> net.add_chain("B", "A", amount=40)
        >>> net.cascade(["A"]).loss_split()
        {'credit': 60.0, 'operational': 0.0, 'guarantor': 0.0, 'contagion': 0.0, 'total': 60.0}
        """
        return {
            "credit": float(self.credit.sum()),
            "operational": float(self.operational.sum()),
            "guarantor": float(self.guarantor.sum()),
            "contagion": 0.0 if self.contagion is None else float(self.contagion.sum()),
            "total": float(self.loss.sum()),
        }

    def to_frame(self) -> pd.DataFrame:
        """One row per scenario: loss, its split, fund and guarantee payments, rounds, size.

        Returns
        -------
        pandas.DataFrame
            Indexed by scenario.

        Examples
        --------
        >>> from alliance.network import AllianceNetwork, BankPolicy
        >>> net = AllianceNetwork()
        >>> net.add_member("A", demand=200, pd=0.04, lgd=0.5)
        >>> net.add_member("B", demand=100, pd=0.0, lgd=0.5, equity=1000)
        >>> net.add_chain("B", "A", amount=40)
        >>> net.cascade(["A"]).to_frame()[["loss", "guarantees_paid", "rounds"]].to_dict("records")
        [{'loss': 60.0, 'guarantees_paid': 40.0, 'rounds': 0}]
        """
        return pd.DataFrame(
            {
                "loss": self.loss,
                "credit": self.credit,
                "operational": self.operational,
                "guarantor": self.guarantor,
                "contagion": np.zeros_like(self.loss) if self.contagion is None else self.contagion,
                "fund_paid": self.fund_paid,
                "guarantees_paid": self.guarantees_paid,
                "rounds": self.rounds,
                "cascade_size": self.cascade_size,
            },
            index=pd.RangeIndex(self.n_scenarios, name="scenario"),
        )

    def __repr__(self) -> str:
        if self.n_scenarios == 1:
            split = self.loss_split()
            return (
                f"CascadeResult(defaulted={self.defaulted!r}, contagion={self.contagion_defaults!r}, "
                f"rounds={int(self.rounds[0])}, loss={split['total']:.6g}, "
                f"credit={split['credit']:.6g}, operational={split['operational']:.6g}, "
                f"guarantor={split['guarantor']:.6g})"
            )
        return (
            f"CascadeResult(scenarios={self.n_scenarios}, mean_loss={self.loss.mean():.6g}, "
            f"max_rounds={int(self.rounds.max(initial=0))}, "
            f"max_cascade_size={int(self.cascade_size.max(initial=0))})"
        )

    def _repr_html_(self) -> str:
        try:
            return f"<p>{html.escape(repr(self))}</p>" + self.to_frame().head(20).to_html()
        except Exception:
            return _safe_html(self)

    def _repr_latex_(self) -> str:
        s = self.loss_split()
        return (
            rf"$\text{{loss}} = {s['total']:.6g} = {s['credit']:.6g}_{{\text{{credit}}}}"
            rf" + {s['operational']:.6g}_{{\text{{op}}}} + {s['guarantor']:.6g}_{{\text{{guar}}}}$"
        )


@dataclass(frozen=True, eq=False)
class AllianceLimit:
    """The alliance limit L_A = s* · Σ D_i and what the bank expects to lose at it.

    Made by :func:`~alliance.network.margin.alliance_limit`.

    Parameters
    ----------
    share : float
        s*, the largest admissible uniform share of demand, in [0, 1].
    limit : float
        L_A = s* Σ D_i.
    standard_error : float
        Monte Carlo standard error of ``limit`` (delta method on the expected-loss
        constraint; 0 for exact scenarios or when s* = 1 is not binding).
    expected_loss : float
        The bank's expected loss at s*.
    loss_split : dict
        Expected loss split into credit, operational and guarantor risk (sums to the total).
    binding : str
        ``"expected_loss"``, ``"value_at_risk"`` or ``"demand"`` (s* = 1).
    total_demand : float
        Σ D_i over the members.
    value_at_risk : float or None
        The α-quantile of the loss at s* when the policy has a VaR limit.

    Examples
    --------
    >>> from alliance.network import AllianceNetwork, BankPolicy
    >>> net = AllianceNetwork()
    >>> net.add_member("A", demand=200, pd=0.04, lgd=0.5)
    >>> net.add_member("B", demand=100, pd=0.0, lgd=0.5, equity=1000)
    >>> net.add_chain("B", "A", amount=40)
    >>> lim = net.alliance_limit(BankPolicy(max_el_rate=0.005), scenarios="exact", rho=0.0,
    ...                          rule="uniform")
    >>> lim
    AllianceLimit(limit=192, standard_error=0, share=0.64, binding='expected_loss')
    >>> lim.total_demand
    300.0
    """

    share: float
    limit: float
    standard_error: float
    expected_loss: float
    loss_split: dict[str, float]
    binding: str
    total_demand: float
    value_at_risk: float | None = None

    def __repr__(self) -> str:
        return (
            f"AllianceLimit(limit={self.limit:.6g}, standard_error={self.standard_error:.3g}, "
            f"share={self.share:.6g}, binding={self.binding!r})"
        )

    def _repr_html_(self) -> str:
        return _safe_html(self)

    def _repr_latex_(self) -> str:
        return rf"$L_A = {self.limit:.6g} \pm {self.standard_error:.3g}$"


@dataclass(frozen=True, eq=False)
class CreditMarginReport:
    """The credit margin of an alliance as a whole (docs/credit_v2.md).

    Made by :func:`~alliance.network.margin.credit_margin`.

    Parameters
    ----------
    policy : BankPolicy
        The bank's policy the margin was computed under.
    standalone_total : float
        Σ L⁰_i, what the members obtain on their own.
    alliance_limit : float
        L_A, what the alliance obtains together.
    standard_error : float
        Monte Carlo standard error of L_A (hence of the margin).
    margin : float
        M = L_A − Σ L⁰_i.
    multiplier : float
        L_A / Σ L⁰_i (inf when no member obtains credit alone and L_A > 0).
    share : float
        s*, the uniform share of demand granted.
    expected_loss : float
        The bank's expected loss at L_A (version 2: the ratio estimator the limit is checked
        with, exact for exact scenarios).
    loss_split : dict
        ``{"credit", "operational", "guarantor", "contagion", "total"}``: the scenario-weighted
        mean of each scenario's split, whose parts add up to that scenario's loss.
    members : pandas.DataFrame
        One row per member: demand, pd, standalone limit, alliance loan, default
        probability including contagion, probability of default by contagion, expected loss
        on its loan, expected guarantee payments it makes.
    scenarios : dict
        How the scenarios were made (method, number, rho, sector_rho, seed, void_prob).
    binding : str
        The binding constraints, comma-separated (``"expected_loss"``, ``"demand of A"``...).
    rule : str
        ``"optimal"`` (version 2) or ``"uniform"`` (version 1: one share s of every demand).
    allocation : pandas.Series
        Each member's loan L_i (the members' credit distribution).
    upper_bound : float
        The programme's optimum (the relaxation, an upper bound); ``alliance_limit`` is the
        checked allocation's total (the lower bound and the answer).
    viable : bool
        False if no allocation meets participation and the bank's limits;
        ``failing_constraint`` then names the constraint that fails, and the alliance limit
        is the sum of the standalone limits.
    failing_constraint : str or None
        When not viable: the constraint that fails.
    shadow_prices : pandas.Series
        Extra alliance credit per unit of each parameter (ℓ*, the fund, each guarantor's
        equity, each guarantee amount, each receivable), from the programme's duals.
    margin_standard_error, multiplier_standard_error : float
        Monte Carlo standard errors of M and of the multiplier.
    payoffs : pandas.DataFrame or None
        Participation in payoffs: each member's expected payoff inside and alone, the gain,
        and the smallest budget-balanced fee that makes it at least as well off (positive:
        it receives).
    viable_in_payoffs : bool or None
        Whether such fees exist (the members' gains add up to at least zero).
    details : dict
        Programme size, contagion iterations, the check's shrink factor θ, tail measures.

    Examples
    --------
    Worked example 1 of docs/credit_v2.md:

    >>> from alliance.network import AllianceNetwork, BankPolicy
    >>> net = AllianceNetwork()
    >>> net.add_member("A", demand=200, pd=0.04, lgd=0.5)
    >>> net.add_member("B", demand=100, pd=0.0, lgd=0.5, equity=1000)
    >>> net.add_chain("B", "A", amount=40)
    >>> rep = net.credit_margin(BankPolicy(max_el_rate=0.005), scenarios="exact", rho=0.0)
    >>> rep.rule, rep.viable, round(rep.standalone_total, 6), round(rep.alliance_limit, 6)
    ('optimal', True, 100.0, 240.0)
    >>> round(rep.margin, 6), round(rep.multiplier, 6)
    (140.0, 2.4)
    """

    policy: BankPolicy
    standalone_total: float
    alliance_limit: float
    standard_error: float
    margin: float
    multiplier: float
    share: float
    expected_loss: float
    loss_split: dict[str, float]
    members: pd.DataFrame
    scenarios: dict[str, Any] = field(default_factory=dict)
    binding: str = "expected_loss"
    rule: str = "uniform"
    allocation: pd.Series | None = None
    upper_bound: float | None = None
    viable: bool = True
    failing_constraint: str | None = None
    shadow_prices: pd.Series | None = None
    margin_standard_error: float = 0.0
    multiplier_standard_error: float = 0.0
    payoffs: pd.DataFrame | None = None
    viable_in_payoffs: bool | None = None
    details: dict[str, Any] = field(default_factory=dict)

    @property
    def binding_constraints(self) -> list[str]:
        """The binding constraints as a list."""
        return [b for b in self.binding.split(", ") if b]

    @property
    def fees(self) -> pd.Series | None:
        """The smallest budget-balanced guarantee fees (positive: the member receives)."""
        return None if self.payoffs is None else self.payoffs["fee"]

    def loss_split_frame(self) -> pd.DataFrame:
        """The expected loss by risk, with each risk's share of the total.

        Returns
        -------
        pandas.DataFrame
            Indexed by risk (credit, operational, guarantor, contagion); columns
            ``expected_loss`` and ``share``.

        Examples
        --------
        >>> from alliance.network import AllianceNetwork, BankPolicy
        >>> net = AllianceNetwork()
        >>> net.add_member("A", demand=200, pd=0.04, lgd=0.5)
        >>> net.add_member("B", demand=100, pd=0.0, lgd=0.5, equity=1000)
        >>> net.add_chain("B", "A", amount=40)
        >>> rep = net.credit_margin(BankPolicy(max_el_rate=0.005), scenarios="exact", rho=0.0)
        >>> frame = rep.loss_split_frame()
        >>> list(frame.index), round(float(frame["share"].sum()), 6)
        (['credit', 'operational', 'guarantor', 'contagion'], 1.0)
        """
        total = self.loss_split["total"]
        rows = [(r, self.loss_split.get(r, 0.0)) for r in RISKS]
        df = pd.DataFrame(rows, columns=["risk", "expected_loss"]).set_index("risk")
        df["share"] = df["expected_loss"] / total if total > 0 else 0.0
        return df

    def to_frame(self) -> pd.DataFrame:
        """The member table.

        Returns
        -------
        pandas.DataFrame
            One row per member (``members``).

        Examples
        --------
        >>> from alliance.network import AllianceNetwork, BankPolicy
        >>> net = AllianceNetwork()
        >>> net.add_member("A", demand=200, pd=0.04, lgd=0.5)
        >>> net.add_member("B", demand=100, pd=0.0, lgd=0.5, equity=1000)
        >>> net.add_chain("B", "A", amount=40)
        >>> rep = net.credit_margin(BankPolicy(max_el_rate=0.005), scenarios="exact", rho=0.0)
        >>> rep.to_frame()["standalone_limit"].round(6).to_dict()
        {'A': 0.0, 'B': 100.0}
        """
        return self.members

    def to_dict(self) -> dict[str, Any]:
        """The headline numbers as a flat dict.

        Returns
        -------
        dict
            Limits, margin, multiplier, loss split (``*_risk``), binding constraints and the
            scenarios' description (``scenarios_*``).

        Examples
        --------
        >>> from alliance.network import AllianceNetwork, BankPolicy
        >>> net = AllianceNetwork()
        >>> net.add_member("A", demand=200, pd=0.04, lgd=0.5)
        >>> net.add_member("B", demand=100, pd=0.0, lgd=0.5, equity=1000)
        >>> net.add_chain("B", "A", amount=40)
        >>> rep = net.credit_margin(BankPolicy(max_el_rate=0.005), scenarios="exact", rho=0.0)
        >>> d = rep.to_dict()
        >>> round(d["margin"], 6), d["scenarios_method"]
        (140.0, 'exact')
        """
        return {
            "standalone_total": self.standalone_total,
            "alliance_limit": self.alliance_limit,
            "standard_error": self.standard_error,
            "margin": self.margin,
            "multiplier": self.multiplier,
            "share": self.share,
            "expected_loss": self.expected_loss,
            **{f"{k}_risk": v for k, v in self.loss_split.items() if k != "total"},
            "binding": self.binding,
            "rule": self.rule,
            "upper_bound": self.upper_bound,
            "viable": self.viable,
            "margin_standard_error": self.margin_standard_error,
            **{f"scenarios_{k}": v for k, v in self.scenarios.items()},
        }

    def __repr__(self) -> str:
        ls = self.loss_split
        if not self.viable:
            return (
                f"CreditMarginReport(not viable: {self.failing_constraint}; "
                f"standalone_total={self.standalone_total:.6g})"
            )
        return (
            f"CreditMarginReport(rule={self.rule!r}, standalone_total={self.standalone_total:.6g}, "
            f"alliance_limit={self.alliance_limit:.6g} ± {self.standard_error:.3g}, "
            f"margin={self.margin:.6g}, multiplier={self.multiplier:.4g}, "
            f"loss_split=(credit={ls['credit']:.4g}, operational={ls['operational']:.4g}, "
            f"guarantor={ls['guarantor']:.4g}, contagion={ls.get('contagion', 0.0):.4g}), "
            f"binding={self.binding!r})"
        )

    def _repr_latex_(self) -> str:
        return (
            rf"$M = L_A - \sum_i L_i^0 = {self.alliance_limit:.6g} - {self.standalone_total:.6g}"
            rf" = {self.margin:.6g} \; (\pm {self.standard_error:.3g})$"
        )

    def _repr_html_(self) -> str:
        try:
            head = (
                (
                    ""
                    if self.viable
                    else f"<p><b>Not viable</b>: {html.escape(str(self.failing_constraint))}</p>"
                )
                + "<table><tr><th>Σ standalone limits</th><th>alliance limit</th>"
                "<th>s.e.</th><th>margin</th><th>multiplier</th></tr>"
                f"<tr><td>{self.standalone_total:.6g}</td><td>{self.alliance_limit:.6g}</td>"
                f"<td>{self.standard_error:.3g}</td><td>{self.margin:.6g}</td>"
                f"<td>{self.multiplier:.4g}</td></tr></table>"
            )
            scen = html.escape(", ".join(f"{k}={v}" for k, v in self.scenarios.items()))
            return (
                f"<div><b>Credit margin</b> ({html.escape(repr(self.policy))}; {scen})"
                + head
                + "<p>Expected loss by risk</p>"
                + self.loss_split_frame().to_html(float_format=lambda x: f"{x:.4g}")
                + self.members.to_html(float_format=lambda x: f"{x:.4g}")
                + "</div>"
            )
        except Exception:
            return _safe_html(self)


@dataclass(frozen=True, eq=False)
class CreditSharesResult:
    """Each member's credit share: its Shapley value in v(S) = L_A(S) (Shapley 1953).

    Made by :func:`~alliance.network.shares.credit_shares`.

    Parameters
    ----------
    allocation : Allocation
        From the cooperative engine (``values``, ``standard_errors``, ``players``).
    alliance_limit : float
        v(N), the grand alliance's limit on the same scenarios.
    standalone : pandas.Series
        v({i}) for each member (its limit as a one-member alliance).
    in_core : bool
        Whether no coalition found gains by leaving (see ``core_method``).
    most_violated : tuple of str
        The coalition with the largest excess v(S) − Σ_{i∈S} x_i.
    max_excess : float
        That excess (≤ tolerance when in the core).
    core_method : str
        ``"exact"`` (all 2^n coalitions) or ``"sampled (k coalitions)"``.
    method : str
        How the Shapley value was computed.
    nucleolus : pandas.Series or None
        The nucleolus of v (Schmeidler 1969): efficient, and in the core whenever the core is
        not empty (None above ``nucleolus_max`` members).
    least_core : pandas.Series or None
        One allocation of the least core (the vertex the solver returned).
    least_core_epsilon : float or None
        The least-core value: the smallest ε with v(S) − x(S) ≤ ε for every proper S at some
        efficient x; the core is empty exactly when ε > 0.
    nucleolus_method : str or None
        ``"nucleolus"``, or ``"prenucleolus"`` when the members' own limits add up to more
        than v(N) (no imputation exists).

    Examples
    --------
    >>> from alliance.network import AllianceNetwork, BankPolicy
    >>> net = AllianceNetwork()
    >>> net.add_member("A", demand=200, pd=0.04, lgd=0.5)
    >>> net.add_member("B", demand=100, pd=0.0, lgd=0.5, equity=1000)
    >>> net.add_chain("B", "A", amount=40)
    >>> res = net.credit_shares(BankPolicy(max_el_rate=0.005), scenarios="exact", rho=0.0)
    >>> res.values.round(6).to_dict(), res.in_core, res.core_is_empty
    ({'A': 70.0, 'B': 170.0}, True, False)

    References
    ----------
    Shapley, L. S. (1953). A value for n-person games. *Contributions to the Theory of Games
    II*, Annals of Mathematics Studies 28, 307-317.

    Schmeidler, D. (1969). The nucleolus of a characteristic function game. *SIAM Journal on
    Applied Mathematics* 17(6), 1163-1170.
    """

    allocation: Any
    alliance_limit: float
    standalone: pd.Series
    in_core: bool
    most_violated: tuple[str, ...]
    max_excess: float
    core_method: str
    method: str
    nucleolus: pd.Series | None = None
    least_core: pd.Series | None = None
    least_core_epsilon: float | None = None
    nucleolus_method: str | None = None

    @property
    def core_is_empty(self) -> bool | None:
        """Whether the core is empty (least-core ε above the check's scale), None if not computed."""
        if self.least_core_epsilon is None:
            return None
        return self.least_core_epsilon > 1e-9 * max(1.0, abs(self.alliance_limit))

    @property
    def values(self) -> pd.Series:
        """The credit shares, indexed by member."""
        return pd.Series(
            np.asarray(self.allocation.values, dtype=float),
            index=list(self.allocation.players),
            name="credit_share",
        )

    def to_frame(self) -> pd.DataFrame:
        """One row per member: credit share, its standard error, standalone limit and gain.

        Returns
        -------
        pandas.DataFrame
            Columns ``credit_share, standard_error, standalone_limit, gain`` and, when
            computed, ``nucleolus`` and ``least_core``.

        Examples
        --------
        >>> from alliance.network import AllianceNetwork, BankPolicy
        >>> net = AllianceNetwork()
        >>> net.add_member("A", demand=200, pd=0.04, lgd=0.5)
        >>> net.add_member("B", demand=100, pd=0.0, lgd=0.5, equity=1000)
        >>> net.add_chain("B", "A", amount=40)
        >>> res = net.credit_shares(BankPolicy(max_el_rate=0.005), scenarios="exact", rho=0.0)
        >>> res.to_frame()["gain"].round(6).to_dict()
        {'A': 70.0, 'B': 70.0}
        """
        se = getattr(self.allocation, "standard_errors", None)
        df = pd.DataFrame({"credit_share": self.values})
        df["standard_error"] = np.zeros(len(df)) if se is None else np.asarray(se, dtype=float)
        df["standalone_limit"] = self.standalone.reindex(df.index).to_numpy()
        df["gain"] = df["credit_share"] - df["standalone_limit"]
        if self.nucleolus is not None:
            df["nucleolus"] = self.nucleolus.reindex(df.index).to_numpy()
        if self.least_core is not None:
            df["least_core"] = self.least_core.reindex(df.index).to_numpy()
        df.index.name = "member"
        return df

    def _core_text(self) -> str:
        if self.least_core_epsilon is None:
            return ""
        verdict = "empty" if self.core_is_empty else "not empty"
        return f"core {verdict} (least-core epsilon {self.least_core_epsilon:.6g})"

    def __repr__(self) -> str:
        extra = ""
        if self.nucleolus is not None:
            extra = (
                f", least_core_epsilon={self.least_core_epsilon:.6g}, "
                f"{self.nucleolus_method}={ {k: round(v, 4) for k, v in self.nucleolus.items()} }"
            )
        return (
            f"CreditSharesResult(alliance_limit={self.alliance_limit:.6g}, method={self.method!r}, "
            f"in_core={self.in_core}, max_excess={self.max_excess:.3g}, "
            f"shares={ {k: round(v, 4) for k, v in self.values.items()} }{extra})"
        )

    def _repr_html_(self) -> str:
        try:
            return (
                f"<p>Credit shares ({html.escape(self.method)}): alliance limit "
                f"{self.alliance_limit:.6g}; in core: {self.in_core} ({html.escape(self.core_method)},"
                f" max excess {self.max_excess:.3g})"
                + (f"; {html.escape(self._core_text())}" if self._core_text() else "")
                + "</p>"
                + self.to_frame().to_html(float_format=lambda x: f"{x:.4g}")
            )
        except Exception:
            return _safe_html(self)

    def _repr_latex_(self) -> str:
        return rf"$\sum_i \varphi_i = {float(self.values.sum()):.6g} = L_A$"
