"""The credit-margin report of version 2: allocation, bounds, shadow prices and payoffs."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from alliance.network.allocation import Mechanisms
from alliance.network.contagion import Topology, Totals
from alliance.network.policy import BankPolicy
from alliance.network.results import CreditMarginReport
from alliance.network.scenarios import ScenarioSet

__all__ = [
    "optimal_report",
    "participation_payoffs",
    "mechanisms_from",
    "Claim",
    "check_claims",
    "margin_claims",
    "allocation_table",
    "binding_table",
]


def mechanisms_from(value: Any) -> Mechanisms:
    """A :class:`Mechanisms` from None (all on), a Mechanisms, or a set of names.

    Parameters
    ----------
    value : None, Mechanisms or iterable of str
        The mechanisms switched on, among ``"pooling"``, ``"fund"``, ``"guarantees"`` and
        ``"pledges"`` (docs/credit_v2.md); None switches all on.

    Returns
    -------
    Mechanisms
        The switches; unknown names raise :class:`~alliance.errors.ParameterError`.

    Examples
    --------
    >>> sorted(mechanisms_from({"fund", "pooling"}).on)
    ['fund', 'pooling']
    >>> sorted(mechanisms_from(None).on)
    ['fund', 'guarantees', 'pledges', 'pooling']
    """
    from alliance.errors import ParameterError
    from alliance.network.allocation import MECHANISMS

    if value is None:
        return Mechanisms()
    if isinstance(value, Mechanisms):
        return value
    try:
        names = set(value)
    except TypeError:
        raise ParameterError(
            f"mechanisms is {value!r}; give a set of names among {MECHANISMS}"
        ) from None
    unknown = names - set(MECHANISMS)
    if unknown:
        raise ParameterError(
            f"mechanisms names unknown mechanism(s) {sorted(unknown)!r}; they are {MECHANISMS}"
        )
    return Mechanisms.from_set(frozenset(names))


def participation_payoffs(
    topo: Topology,
    loans: np.ndarray,
    standalone: np.ndarray,
    tot: Totals | None,
    *,
    fund_on: bool = True,
) -> tuple[pd.DataFrame, bool]:
    r"""Each member's expected payoff inside and alone, and the smallest budget-balanced fees.

    Inside: :math:`s_i L_i - E[\text{calls } i \text{ pays}] - (f_i / F) E[\text{fund payouts}]`;
    alone: :math:`s_i L_i^0`. With gains :math:`\Delta_i` (inside − alone), fees
    :math:`\tau_i` (positive: received) with :math:`\sum_i \tau_i = 0` and
    :math:`\Delta_i + \tau_i \ge 0` exist iff :math:`\sum_i \Delta_i \ge 0`. The smallest
    ones pay each loser exactly its loss, :math:`\tau_i = -\Delta_i`, and charge the
    winners in proportion to their gains.

    Parameters
    ----------
    topo : Topology
        The network's topology (surplus rates :math:`s_i`, fund contributions :math:`f_i`).
    loans : numpy.ndarray
        Each node's loan :math:`L_i` in the alliance (node order).
    standalone : numpy.ndarray
        Each node's standalone limit :math:`L_i^0` (node order).
    tot : Totals or None
        The cascade totals at ``loans`` (expected calls each member pays, fund payouts);
        None: no calls and no payouts.
    fund_on : bool
        Whether the fund mechanism is on (off: no member bears fund payouts).

    Returns
    -------
    tuple of (pandas.DataFrame, bool)
        One row per member (surplus rate, loan, standalone limit, expected calls, fund share,
        payoffs inside and alone, gain, fee; fees NaN when none exist), and whether
        budget-balanced fees exist.

    Examples
    --------
    >>> import numpy as np
    >>> from alliance.network import AllianceNetwork
    >>> net = AllianceNetwork()
    >>> net.add_member("A", demand=200, pd=0.04, lgd=0.5)
    >>> net.add_member("B", demand=100, pd=0.0, lgd=0.5, equity=1000)
    >>> topo = net.topology()
    >>> df, viable = participation_payoffs(topo, np.array([100.0, 100.0]),
    ...                                    np.array([0.0, 100.0]), None)
    >>> viable, bool((df["gain"] + df["fee"] >= 0).all()), round(float(df["fee"].sum()), 9)
    (True, True, 0.0)
    """
    mem = topo.is_member
    n = topo.n
    calls = np.zeros(n) if tot is None else tot.node_paid[0]
    F = float(topo.fund.sum()) if fund_on else 0.0
    fund_paid = 0.0 if tot is None else float(tot.fund_paid[0])
    fund_share = np.where(topo.is_member, topo.fund, 0.0) / F * fund_paid if F > 0 else np.zeros(n)
    inside = topo.surplus * loans - calls - fund_share
    alone = topo.surplus * standalone
    gain = inside - alone
    g = gain[mem]
    tol = 1e-9 * max(1.0, float(np.abs(inside[mem]).sum()) + float(np.abs(alone[mem]).sum()))
    viable = bool(g.sum() >= -tol)
    fee = np.zeros(g.size)
    if viable:
        deficit = np.maximum(-g, 0.0)
        need = deficit.sum()
        surplus = np.maximum(g, 0.0)
        fee = deficit.copy()
        if need > 0:
            fee -= surplus / surplus.sum() * need if surplus.sum() > 0 else 0.0
    names = [nm for nm, m in zip(topo.names, mem) if m]
    df = pd.DataFrame(
        {
            "surplus_rate": topo.surplus[mem],
            "loan": loans[mem],
            "standalone_limit": standalone[mem],
            "expected_calls": calls[mem],
            "fund_share": fund_share[mem],
            "payoff_inside": inside[mem],
            "payoff_alone": alone[mem],
            "gain": g,
            "fee": fee if viable else np.full(g.size, np.nan),
        },
        index=pd.Index(names, name="member"),
    )
    return df, viable


def optimal_report(
    topo: Topology,
    sc: ScenarioSet,
    check_sc: ScenarioSet,
    policy: BankPolicy,
    *,
    void_prob: float,
    backend: str = "numpy",
    chunk_defaults: int = 1_000_000,
    mechanisms: Any = None,
    trade_contagion: bool = False,
    fund_cap: float | None = None,
    leximin: bool = True,
    present: np.ndarray | None = None,
) -> CreditMarginReport:
    """The version-2 credit margin report (see :func:`~alliance.network.margin.credit_margin`).

    Solves the alliance's programme (docs/credit_v2.md), checks its allocation with the true
    rules on ``check_sc`` and gathers limits, allocation, shadow prices and participation
    payoffs.

    Parameters
    ----------
    topo : Topology
        The network's topology.
    sc : ScenarioSet
        Scenarios of the programme.
    check_sc : ScenarioSet
        Scenarios on which the allocation is checked with the true rules (``sc`` itself for
        the same scenarios).
    policy : BankPolicy
        The bank's limits.
    void_prob : float
        Probability q in [0, 1] that a guarantee is void.
    backend : {"numpy", "dask"}
        Where the check's scenario chunks are evaluated.
    chunk_defaults : int
        Scenarios are processed in chunks of about this many primary defaults.
    mechanisms : None, Mechanisms or set of str
        The mechanisms switched on (:func:`mechanisms_from`).
    trade_contagion : bool
        Trade shortfalls reduce creditors' equity and can make them default.
    fund_cap : float, optional
        Leverage cap on the fund: total credit at most this amount (None: no cap).
    leximin : bool
        Break ties among optimal allocations leximin on the fill ratios.
    present : bool array, optional
        The nodes present (default all): a sub-alliance.

    Returns
    -------
    CreditMarginReport
        The version 2 report (``rule="optimal"``).

    Examples
    --------
    >>> from alliance.network import AllianceNetwork, BankPolicy
    >>> net = AllianceNetwork()
    >>> net.add_member("A", demand=200, pd=0.04, lgd=0.5)
    >>> net.add_member("B", demand=100, pd=0.0, lgd=0.5, equity=1000)
    >>> net.add_chain("B", "A", amount=40)
    >>> from alliance.network.margin import make_scenarios
    >>> topo = net.topology()
    >>> sc = make_scenarios(topo, "exact", rho=0.0)
    >>> rep = optimal_report(topo, sc, sc, BankPolicy(max_el_rate=0.005), void_prob=0.0)
    >>> round(rep.alliance_limit, 6), rep.allocation.round(6).to_dict()
    (240.0, {'A': 140.0, 'B': 100.0})
    """
    from alliance.network.margin import standalone_vector
    from alliance.network.optimal import solve_alliance

    mech = mechanisms_from(mechanisms)
    if policy.receivables_verifiable_standalone:
        mech = Mechanisms(mech.pooling, mech.fund, mech.guarantees, True)
    n = topo.n
    present = np.ones(n, dtype=bool) if present is None else np.asarray(present, dtype=bool)
    l0 = standalone_vector(topo, sc, policy, present)
    upper = np.where(topo.is_member & present, topo.demand, 0.0)
    sol = solve_alliance(
        topo,
        sc,
        check_sc,
        policy,
        present=present,
        lower=l0,
        upper=upper,
        mech=mech,
        void_prob=void_prob,
        trade_contagion=trade_contagion,
        fund_cap=fund_cap,
        leximin=leximin,
        backend=backend,
        chunk_defaults=chunk_defaults,
    )
    mem = topo.is_member & present
    names = [nm for nm, m in zip(topo.names, mem) if m]
    idx = pd.Index(names, name="member")
    st_total = float(l0[mem].sum())
    limit = sol.limit if sol.viable else st_total
    margin = limit - st_total
    # 0/0 (nothing to lend alone and nothing together) is undefined, not a multiplier of 1
    mult = limit / st_total if st_total > 0 else (float("inf") if limit > 0 else float("nan"))
    se = sol.standard_error
    tot = sol.totals
    loans = sol.loans
    gap = upper - l0
    with np.errstate(divide="ignore", invalid="ignore"):
        fill = np.where(gap > 0, (loans - l0) / np.where(gap > 0, gap, 1.0), 1.0)
    members = pd.DataFrame(
        {
            "demand": topo.demand[mem],
            "pd": topo.pd[mem],
            "standalone_limit": l0[mem],
            "alliance_loan": loans[mem],
            "fill_ratio": fill[mem],
        },
        index=idx,
    )
    if tot is not None and tot.node_default is not None:
        members["default_probability"] = tot.node_default[0][mem]
        members["contagion_probability"] = tot.node_contagion[0][mem]
        members["expected_loss"] = tot.node_loss[0][mem]
        members["guarantee_payments"] = tot.node_paid[0][mem]
    if tot is not None:
        # the split is the scenario-weighted mean of the per-scenario split (the four parts add
        # up in every scenario); ``expected_loss`` is the ratio estimator the limit uses
        el = sol.expected_loss
        split = {
            "credit": float(tot.credit[0]),
            "operational": float(tot.operational[0]),
            "guarantor": float(tot.guarantor[0]),
            "contagion": float(tot.contagion[0]),
            "total": float(tot.expected_loss[0]),
        }
    else:
        el = 0.0
        split = {
            "credit": 0.0,
            "operational": 0.0,
            "guarantor": 0.0,
            "contagion": 0.0,
            "total": 0.0,
        }
    prog = sol.programme
    duals = {} if prog is None or not sol.viable else dict(prog.duals)
    payoffs, viable_pay = participation_payoffs(topo, loans, l0, tot, fund_on=mech.fund)
    binding = ", ".join(prog.binding) if (prog is not None and sol.viable) else "not viable"
    if sol.viable and sol.shrink < 1.0:
        # the true rules bind before the programme's limits: say which
        binding = f"{sol.extra.get('why_shrunk')} (true rules)"
    return CreditMarginReport(
        policy=policy,
        standalone_total=st_total,
        alliance_limit=limit,
        standard_error=se,
        margin=margin,
        multiplier=mult,
        share=limit / float(upper.sum()) if upper.sum() > 0 else 1.0,
        expected_loss=el,
        loss_split=split,
        members=members,
        scenarios={
            "method": sc.method,
            "n": sc.n_scenarios,
            "rho": sc.rho,
            "sector_rho": sc.sector_rho,
            "seed": sc.seed,
            "void_prob": void_prob,
            "check": "same" if check_sc is sc else f"fresh (seed {check_sc.seed})",
            "weighted": getattr(sc, "weights", None) is not None
            and not np.allclose(sc.weights, sc.weights[0]),
        },
        binding=binding,
        rule="optimal",
        allocation=pd.Series(loans[mem], index=idx, name="loan"),
        upper_bound=sol.upper_bound,
        viable=sol.viable,
        failing_constraint=sol.failing,
        shadow_prices=pd.Series(duals, name="shadow_price", dtype=float),
        margin_standard_error=se,
        multiplier_standard_error=se / st_total if st_total > 0 else 0.0,
        payoffs=payoffs,
        viable_in_payoffs=viable_pay,
        details={
            "mechanisms": sorted(mech.on),
            "trade_contagion": trade_contagion,
            "contagion_iterations": sol.iterations,
            "contagion_defaults_added": sol.contagion_defaults_added,
            "shrink": sol.shrink,
            "tie_break": sol.extra.get("tie_break"),
            "programme_pairs": 0 if prog is None else prog.n_pairs,
            "programme_rows": 0 if prog is None else prog.n_rows,
            "programme_variables": 0 if prog is None else prog.n_vars,
            "programme_solver": "" if prog is None else prog.solver,
            "programme_cuts": 0 if prog is None else prog.cuts,
            "expected_shortfall": sol.expected_shortfall,
            "value_at_risk": sol.value_at_risk,
        },
    )


# ------------------------------------------------------------------ computed sentences
# a number as Python formats it: thousands separated by commas (a comma not followed by three
# digits ends the number: "33, fund"), a decimal part, an exponent
_NUMBER = re.compile(r"[-+]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?(?:e[-+]?\d+)?")


@dataclass(frozen=True)
class Claim:
    """One sentence of a report that states a result, with the numbers it was made from.

    ``text`` is ``template.format(**values)``; :func:`check_claims` checks that the text still
    says what the values say (a test fails when a sentence and its number disagree).

    Parameters
    ----------
    template : str
        A ``str.format`` template, one ``{name:spec}`` field per number stated.
    values : dict
        The computed numbers, by field name.

    Examples
    --------
    >>> c = Claim("The margin is {margin:,.0f}.", {"margin": 1234.4})
    >>> print(c)
    The margin is 1,234.
    >>> check_claims([c])
    """

    template: str
    values: dict[str, Any]

    @property
    def text(self) -> str:
        """The sentence: the template filled with the values."""
        return self.template.format(**self.values)

    def __str__(self) -> str:
        return self.text


def check_claims(claims: list[Claim], texts: list[str] | None = None) -> None:
    """Raise ``AssertionError`` if a sentence and the numbers it was made from disagree.

    Each number field of a claim is formatted with its own spec and must appear, in order, in
    the claim's text (or in ``texts[i]`` when given: the sentence as published).

    Parameters
    ----------
    claims : list of Claim
        The claims to check.
    texts : list of str, optional
        The sentences as published, one per claim (default: each claim's own text).

    Examples
    --------
    >>> c = Claim("M = {margin:,.0f}", {"margin": 1234.4})
    >>> check_claims([c], ["M = 1,234"])
    >>> check_claims([c], ["M = 1,235"])
    Traceback (most recent call last):
    ...
    AssertionError: sentence 0 says 'M = 1,235' but margin = 1,234
    """
    import string

    for i, claim in enumerate(claims):
        text = claim.text if texts is None else texts[i]
        found = _NUMBER.findall(text)
        pos = 0
        for _, field, spec, _ in string.Formatter().parse(claim.template):
            if field is None:
                continue
            value = claim.values[field]
            if not isinstance(value, (int, float, np.floating, np.integer)):
                if str(value) not in text:
                    raise AssertionError(f"sentence {i} says {text!r} but {field} = {value}")
                continue
            want = format(value, spec or "")
            nums = _NUMBER.findall(want)
            if not nums:
                continue
            while pos < len(found) and found[pos] != nums[0]:
                pos += 1
            if pos == len(found):
                raise AssertionError(f"sentence {i} says {text!r} but {field} = {want}")
            pos += 1


def margin_claims(rep: CreditMarginReport, decomposition: Any = None) -> list[Claim]:
    """The sentences that state the version-2 credit margin's results, computed from ``rep``.

    The alliance limit and the standalone total, M and the multiplier with their Monte Carlo
    standard errors, the binding constraints (and, when the check with the true rules cut
    the programme's allocation, by how much), participation, and each mechanism's share of
    the margin when a :class:`~alliance.network.decomposition.MarginDecomposition` is given.

    Parameters
    ----------
    rep : CreditMarginReport
        A version 2 credit margin report.
    decomposition : MarginDecomposition, optional
        The margin's Shapley decomposition over the mechanisms.

    Returns
    -------
    list of Claim
        The sentences, each checkable with :func:`check_claims`.

    Examples
    --------
    >>> from alliance.network import AllianceNetwork, BankPolicy
    >>> net = AllianceNetwork()
    >>> net.add_member("A", demand=200, pd=0.04, lgd=0.5)
    >>> net.add_member("B", demand=100, pd=0.0, lgd=0.5, equity=1000)
    >>> net.add_chain("B", "A", amount=40)
    >>> rep = net.credit_margin(BankPolicy(max_el_rate=0.005), scenarios="exact", rho=0.0)
    >>> print(margin_claims(rep)[0])
    Alone the members borrow 100; together 240 ± 0 (Monte Carlo standard error).
    """
    out = [
        Claim(
            "Alone the members borrow {alone:,.0f}; together {limit:,.0f} ± {se:,.0f} "
            "(Monte Carlo standard error).",
            {"alone": rep.standalone_total, "limit": rep.alliance_limit, "se": rep.standard_error},
        )
    ]
    if not rep.viable:
        out.append(
            Claim(
                "The alliance is not viable for this bank: {why}.",
                {"why": str(rep.failing_constraint)},
            )
        )
        return out
    out.append(
        Claim(
            "The credit margin is M = {margin:,.0f} ± {mse:,.0f} and the multiplier "
            "{mult:.2f} ± {multse:.2f}.",
            {
                "margin": rep.margin,
                "mse": rep.margin_standard_error,
                "mult": rep.multiplier,
                "multse": rep.multiplier_standard_error,
            },
        )
    )
    loans = rep.allocation if rep.allocation is not None else pd.Series(dtype=float)
    l0 = rep.members["standalone_limit"]
    demand = rep.members["demand"]
    full = int((loans >= demand - 1e-6 * np.maximum(demand, 1.0)).sum())
    out.append(
        Claim(
            "Every one of the {n} members borrows at least its standalone limit "
            "(the smallest gain is {gain:,.0f}); members with their whole demand: {full}.",
            {"n": int(loans.size), "gain": float((loans - l0).min()), "full": full},
        )
    )
    shrink = float(rep.details.get("shrink", 1.0) or 1.0)
    if rep.upper_bound is not None and shrink < 1.0:
        out.append(
            Claim(
                "The programme's bound is {ub:,.0f}; the check with the true rules (pro-rata "
                "fund, full cascade) cuts the allocation towards the standalone limits by "
                "the factor {theta:.3f}, where {binding} binds.",
                {"ub": rep.upper_bound, "theta": shrink, "binding": rep.binding},
            )
        )
    else:
        out.append(Claim("Binding: {binding}.", {"binding": rep.binding}))
    sp = rep.shadow_prices if rep.shadow_prices is not None else pd.Series(dtype=float)
    sp = sp[sp.abs() > 1e-9]
    if sp.size:
        vals = {}
        parts = []
        for k, (name, v) in enumerate(sp.items()):
            vals[f"name{k}"], vals[f"price{k}"] = str(name), float(v)
            parts.append(f"{{name{k}}} {{price{k}:,.2f}}")
        out.append(
            Claim(
                "Shadow prices (extra alliance credit per unit of each parameter): "
                + ", ".join(parts)
                + ".",
                vals,
            )
        )
    else:
        out.append(
            Claim(
                "Every shadow price of the programme is {zero}: at its optimum no limit of the "
                "bank binds (only the demands), so one more unit of any parameter buys no "
                "credit in the relaxation.",
                {"zero": 0},
            )
        )
    if decomposition is not None:
        values = decomposition.values
        vals: dict[str, Any] = {}
        parts = []
        for k, (name, v) in enumerate(values.items()):
            vals[f"name{k}"], vals[f"value{k}"] = str(name), float(v)
            parts.append(f"{{name{k}}} {{value{k}:,.0f}}")
        template = (
            "Where the margin comes from (Shapley value over the mechanisms): "
            + ", ".join(parts)
        )
        out.append(Claim(template + ".", vals))
    return out


def allocation_table(rep: CreditMarginReport) -> pd.DataFrame:
    """Each member's demand, standalone limit, loan in the alliance, gain and fill ratio.

    Parameters
    ----------
    rep : CreditMarginReport
        A version 2 credit margin report (its members table has ``fill_ratio``).

    Returns
    -------
    pandas.DataFrame
        One row per member; columns ``demand, standalone_limit, alliance_loan, gain,
        fill_ratio``.

    Examples
    --------
    >>> from alliance.network import AllianceNetwork, BankPolicy
    >>> net = AllianceNetwork()
    >>> net.add_member("A", demand=200, pd=0.04, lgd=0.5)
    >>> net.add_member("B", demand=100, pd=0.0, lgd=0.5, equity=1000)
    >>> net.add_chain("B", "A", amount=40)
    >>> rep = net.credit_margin(BankPolicy(max_el_rate=0.005), scenarios="exact", rho=0.0)
    >>> allocation_table(rep)["gain"].round(6).to_dict()
    {'A': 140.0, 'B': 0.0}
    """
    df = rep.members[["demand", "standalone_limit", "alliance_loan", "fill_ratio"]].copy()
    df.insert(3, "gain", df["alliance_loan"] - df["standalone_limit"])
    return df


def binding_table(rep: CreditMarginReport) -> pd.DataFrame:
    """The binding constraints and the non-zero shadow prices (extra credit per unit).

    Parameters
    ----------
    rep : CreditMarginReport
        A credit margin report.

    Returns
    -------
    pandas.DataFrame
        Columns ``constraint, shadow_price``: first the binding constraints (price NaN),
        then every parameter with a non-zero shadow price.

    Examples
    --------
    >>> from alliance.network import AllianceNetwork, BankPolicy
    >>> net = AllianceNetwork()
    >>> net.add_member("A", demand=200, pd=0.04, lgd=0.5)
    >>> net.add_member("B", demand=100, pd=0.0, lgd=0.5, equity=1000)
    >>> net.add_chain("B", "A", amount=40)
    >>> rep = net.credit_margin(BankPolicy(max_el_rate=0.005), scenarios="exact", rho=0.0)
    >>> table = binding_table(rep)
    >>> table.loc[table["shadow_price"].isna(), "constraint"].tolist()
    ['expected_loss', 'guarantee B->A', 'demand of B']
    >>> priced = table.dropna()
    >>> dict(zip(priced["constraint"], priced["shadow_price"].round(3)))
    {'max_el_rate': 16000.0, 'guarantee B->A': 2.667}
    """
    rows = [{"constraint": b, "shadow_price": np.nan} for b in rep.binding_constraints]
    sp = rep.shadow_prices if rep.shadow_prices is not None else pd.Series(dtype=float)
    rows += [{"constraint": k, "shadow_price": float(v)} for k, v in sp.items() if abs(v) > 1e-9]
    return pd.DataFrame(rows, columns=["constraint", "shadow_price"])
