r"""The optimal allocation of the alliance's credit: a linear programme on fixed scenarios.

The alliance limit of version 2 (docs/credit_v2.md) is the largest total credit
:math:`\sum_i L_i` over allocations with

1. participation :math:`L_i^0 \le L_i \le D_i` for every member,
2. the bank's limits on the portfolio after collateral, pledged receivables, the fund,
   guarantees and contagion: :math:`E[\text{loss}] \le \ell^* \sum_i L_i` and, if set,
   :math:`ES_\alpha[\text{loss}] \le e^* \sum_i L_i` (member by member when pooling is off),
3. the fund's leverage cap :math:`\sum_i L_i \le m F`.

**The relaxation.** On fixed scenarios and fixed default sets the loss of a defaulted member
``i`` is :math:`u_{is} = \max(0, \lambda_i (L_i - c_i - R_{is}) - \varphi_{is} -
\sum_j \gamma_{jis})`, with fund allocations :math:`\varphi_{is} \ge 0` summing to at most
``F`` in each scenario (the fund applied where it saves the bank most, instead of pro rata)
and guarantee payments :math:`0 \le \gamma_{jis} \le g_{ji}` (zero when the guarantee is void
or the guarantor defaulted on its own) with :math:`\sum_i \gamma_{jis}` at most ``j``'s
equity after its trade losses. The loss is then convex and piecewise linear in ``L``, the
expected loss is linear in the ``u``, and expected shortfall takes the Rockafellar–Uryasev
form :math:`t + E[(\text{loss} - t)^+]/(1 - \alpha)`: a linear programme, solved by HiGHS
on sparse matrices. Its optimum is an upper bound of what the true rules allow on these
scenarios (before contagion).

**Size.** Only (scenario, member) pairs where a member with a loan defaults and could lose
something (:math:`c_i + R_{is} < D_i`) enter; an equity row only where a guarantor's calls
could exceed its equity; a fund row only in scenarios where the fund is a variable. Then
three exact reductions (each leaves the set of feasible allocations, hence the optimum,
unchanged; ``reduce=False`` builds the full programme, and
``tests/network/test_allocation_speed.py`` shows both give the same optimum):

* a guarantee payment :math:`\gamma_{jis}` whose guarantor's calls in the scenario cannot
  exceed its equity appears only in its pair row, where it only lowers :math:`u`: it is
  fixed at :math:`g_{ji}`; a guarantor with a single call that can exceed its equity has
  the bound :math:`\min(g_{ji}, e_j)`, and the payment is fixed there (its shadow price
  goes to the guarantor's equity). Payments stay variables only where a guarantor's several
  calls compete for its equity;
* a pair with :math:`\lambda_i (D_i - \text{cover}) \le` its fixed payments cannot lose at
  any allocation: dropped;
* with the fund a variable, a scenario whose largest possible loss (every loan at its
  demand; the loss is nondecreasing in ``L``) is at most ``F`` loses nothing: dropped.

Dropping pairs can leave a guarantor with fewer calls, so the reductions repeat to a fixed
point (``benchmarks/results/network.md`` reports the sizes they leave). A dropped pair's
loss is 0 in the standard error below.

**Solver.** A pooled programme (expected-loss and expected-shortfall limits on the whole
portfolio) with more than :data:`CUTS_ABOVE` variables is solved by scenario cuts
(:mod:`alliance.network.cuts`): the same optimum and duals, found on a master programme over
the loans, several times faster at 10³ members and 10⁴ scenarios
(``benchmarks/results/network.md``). Limits member by member (pooling off) are solved whole.

**Expected loss estimator.** The expected loss is estimated member by member as
:math:`\sum_i p_i\, \widehat{E}[u_i \mid i \text{ defaults on its own}] +
\widehat{E}[u_i; i \text{ defaults by contagion}]` (a ratio estimator): it is exact when a
member's loss depends on its own default only, so with every mechanism off the programme
reproduces the closed-form standalone limits exactly, also with Monte Carlo scenarios, and it
removes the noise of the sampled default counts.

**Tie-break.** Among allocations within ``tie_tol`` (relative) of the largest total, the
fill ratios :math:`(L_i - L_i^0)/(D_i - L_i^0)` are maximised leximin: the smallest first,
then (with the members it blocks fixed) the next, and so on.

References
----------
Rockafellar, R. T. & Uryasev, S. (2000). Optimization of conditional value-at-risk.
*Journal of Risk*, 2(3), 21-41.
Huangfu, Q. & Hall, J. A. J. (2018). Parallelizing the dual revised simplex method.
*Mathematical Programming Computation*, 10, 119-142 (HiGHS).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from types import SimpleNamespace

import numpy as np
import scipy.sparse as sp
from scipy.optimize import linprog

from alliance.errors import ConvergenceError, ParameterError
from alliance.network.contagion import Topology, debtor_ratio, receivable_value
from alliance.network.cuts import CutProblem, CutSolution, fix_blocked, solve_by_cuts
from alliance.network.policy import BankPolicy
from alliance.network.scenarios import ScenarioSet, void_uniforms

__all__ = ["Mechanisms", "ProgrammeSolution", "solve_programme", "MECHANISMS"]

MECHANISMS = ("pooling", "fund", "guarantees", "pledges")


@dataclass(frozen=True)
class Mechanisms:
    """Which of the alliance's four mechanisms are on (docs/credit_v2.md).

    ``pooling``: the bank applies its limits to the alliance's portfolio (off: member by
    member). ``fund``: the mutual fund pays first (off: members keep their contributions as
    equity). ``guarantees``: guarantee chains pay calls. ``pledges``: members pledge their
    receivables on other members (financing chains).

    Parameters
    ----------
    pooling : bool
        The bank's limits apply to the alliance's portfolio.
    fund : bool
        The mutual fund pays first.
    guarantees : bool
        Guarantee chains pay calls.
    pledges : bool
        Members pledge their receivables on other members.

    Examples
    --------
    >>> mech = Mechanisms(guarantees=False)
    >>> sorted(mech.on)
    ['fund', 'pledges', 'pooling']
    """

    pooling: bool = True
    fund: bool = True
    guarantees: bool = True
    pledges: bool = True

    @classmethod
    def from_set(cls, on: frozenset[str] | set[str]) -> Mechanisms:
        """The mechanisms named in ``on`` switched on, the others off.

        Parameters
        ----------
        on : set of str
            Names among :data:`MECHANISMS`.

        Returns
        -------
        Mechanisms

        Examples
        --------
        >>> Mechanisms.from_set({"pooling", "fund"})
        Mechanisms(pooling=True, fund=True, guarantees=False, pledges=False)
        """
        return cls(**{m: m in on for m in MECHANISMS})

    @property
    def on(self) -> frozenset[str]:
        """The names of the mechanisms that are on."""
        return frozenset(m for m in MECHANISMS if getattr(self, m))


@dataclass
class ProgrammeSolution:
    """What one solve of the programme returns.

    Returned by :func:`solve_programme`; :func:`~alliance.network.optimal.solve_alliance`
    keeps it as the upper bound of the alliance limit.

    Parameters
    ----------
    status : str
        ``"optimal"`` or ``"infeasible"``.
    loans : numpy.ndarray
        (n,) the optimal allocation in node order, 0 for non-members and absent members.
    total : float
        The largest total credit (NaN when infeasible).
    failing : str or None
        When infeasible, the constraint that fails at the participation bounds.
    duals : dict of str to float
        Shadow prices of the bank's limits, the fund and each guarantee (the increase of
        the total per unit of the right-hand side).
    binding : list of str
        The constraints that bind at the optimum.
    el_dual : float
        Derivative of the total in the right-hand side of the pooled expected-loss row.
    el_standard_error : float
        Standard error of the expected-loss estimator at the optimum (0 for exact
        scenarios).
    n_pairs, n_rows, n_vars : int
        Size of the programme: (scenario, member) pairs, rows and variables.
    solver : str
        ``"whole"`` (HiGHS on the whole programme) or ``"scenario cuts"``
        (:mod:`alliance.network.cuts`).
    cuts, master_solves : int
        With scenario cuts: the cuts added and the master programmes solved.

    Examples
    --------
    >>> import numpy as np
    >>> from alliance.network import AllianceNetwork, BankPolicy
    >>> from alliance.network.optimal import ratio_scale
    >>> net = AllianceNetwork()
    >>> net.add_member("A", demand=200, pd=0.04, lgd=0.5)
    >>> net.add_member("B", demand=100, pd=0.0, lgd=0.5, equity=1000)
    >>> net.add_chain("B", "A", kind="guarantee", amount=40)
    >>> topo, sc = net.topology(), net.scenarios("exact")
    >>> sol = solve_programme(topo, sc, BankPolicy(max_el_rate=0.005), present=np.ones(2, bool),
    ...                       lower=np.array([0.0, 100.0]), upper=topo.demand, mech=Mechanisms(),
    ...                       defaults=sc.defaults, primary_scale=ratio_scale(topo, sc))
    >>> sol.status, sol.loans.round(6).tolist(), round(sol.total, 6)
    ('optimal', [140.0, 100.0], 240.0)
    """

    status: str  # "optimal" or "infeasible"
    loans: np.ndarray  # (n,) in node order, 0 for non-members and absent members
    total: float
    failing: str | None = None
    duals: dict[str, float] = field(default_factory=dict)
    binding: list[str] = field(default_factory=list)
    el_dual: float = 0.0  # d total / d (right-hand side of the pooled expected-loss row)
    el_standard_error: float = 0.0  # of the expected-loss estimator at the optimum
    n_pairs: int = 0
    n_rows: int = 0
    n_vars: int = 0
    solver: str = "whole"
    cuts: int = 0
    master_solves: int = 0


def _lookup(sorted_keys: np.ndarray, q: np.ndarray) -> np.ndarray:
    if sorted_keys.size == 0 or q.size == 0:
        return np.zeros(q.size, dtype=bool)
    pos = np.searchsorted(sorted_keys, q)
    pos_c = np.minimum(pos, sorted_keys.size - 1)
    return (pos < sorted_keys.size) & (sorted_keys[pos_c] == q)


def matrix_keys(mat: sp.csr_matrix, n: int) -> np.ndarray:
    """Sorted keys ``row * n + col`` of the True entries of a boolean CSR matrix."""
    coo = mat.tocoo()
    keys = coo.row.astype(np.int64) * n + coo.col.astype(np.int64)
    keys.sort()
    return keys


def expand(ptr: np.ndarray, node: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """For each entry of ``node``, the positions ``ptr[node]..ptr[node+1]``: (owner, position)."""
    lo = ptr[node]
    cnt = ptr[node + 1] - lo
    total = int(cnt.sum())
    owner = np.repeat(np.arange(node.size, dtype=np.int64), cnt)
    offs = np.cumsum(cnt) - cnt
    return owner, lo[owner] + np.arange(total, dtype=np.int64) - offs[owner]


@dataclass
class _Block:
    """Columns of one family of variables."""

    start: int
    size: int


def solve_programme(
    topo: Topology,
    sc: ScenarioSet,
    policy: BankPolicy,
    *,
    present: np.ndarray,
    lower: np.ndarray,
    upper: np.ndarray,
    mech: Mechanisms,
    defaults: sp.csr_matrix,
    primary_scale: np.ndarray,
    void_prob: float = 0.0,
    trade_contagion: bool = False,
    fund_cap: float | None = None,
    leximin: bool = True,
    tie_tol: float = 1e-9,
    max_leximin_rounds: int = 8,
    reduce: bool = True,
    method: str = "auto",
    start: np.ndarray | None = None,
) -> ProgrammeSolution:
    r"""Solve the relaxed programme on fixed default sets (see the module docstring).

    Parameters
    ----------
    topo : Topology
        The network (as :func:`~alliance.network.optimal.configured_topology` returns it).
    sc : ScenarioSet
        The scenarios (weights; primary defaults in ``sc.defaults``).
    policy : BankPolicy
        The bank's limits.
    present : numpy.ndarray
        Bool (n,): nodes in the alliance (absent members have no loan, no fund, no chains).
    lower, upper : numpy.ndarray
        (n,) bounds of each member's loan (participation and demand); 0 elsewhere.
    mech : Mechanisms
        Which mechanisms are on.
    defaults : scipy.sparse.csr_matrix
        Bool (S × n): the default sets (primary defaults plus those the cascade added).
    primary_scale : numpy.ndarray
        (n,) p_i / p̂_i of the ratio estimator (1 for exact scenarios).
    void_prob : float
        Probability ``q`` that a guarantee is void.
    trade_contagion : bool
        Guarantors' equity is reduced by their trade losses in each scenario.
    fund_cap : float, optional
        m × F, the cap on the members' total loans (only with the fund on).
    leximin : bool
        Break ties among optimal allocations leximin on the fill ratios.
    tie_tol : float
        Relative distance to the largest total within which allocations count as ties.
    max_leximin_rounds : int
        Most rounds of the leximin tie-break (each fixes the members the smallest fill
        ratio blocks).
    reduce : bool
        Apply the exact reductions (module docstring, *Size*); ``False`` builds the full
        programme, for tests that show both have the same optimum.
    method : {"auto", "lp", "cuts"}
        ``"lp"`` solves the programme whole (HiGHS); ``"cuts"`` solves a pooled programme
        by scenario cuts (:mod:`alliance.network.cuts`: the same optimum; the two are timed
        in ``benchmarks/results/network.md``); limits member by member are solved whole
        either way.
        ``"auto"`` uses the cuts above :data:`CUTS_ABOVE` variables.
    start : numpy.ndarray, optional
        (n,) loans at which the scenario cuts begin (default: the demands); a previous
        solution makes a re-solve on more default sets converge in fewer steps.

    Returns
    -------
    ProgrammeSolution
        The optimal allocation (an upper bound of what the true rules allow on these
        scenarios), or ``status="infeasible"`` with the failing constraint.

    Raises
    ------
    ConvergenceError
        If HiGHS fails on the programme.
    ParameterError
        If ``method`` is not one of the three.

    References
    ----------
    Rockafellar, R. T. & Uryasev, S. (2000). Optimization of conditional value-at-risk.
    *Journal of Risk*, 2(3), 21-41.

    Huangfu, Q. & Hall, J. A. J. (2018). Parallelizing the dual revised simplex method.
    *Mathematical Programming Computation*, 10, 119-142.

    Examples
    --------
    Member ``A`` (pd 4 %, loss given default 0.5) gets a guarantee of 40 from ``B``; the
    bank allows an expected loss of 0.5 % of the total. With ``B`` at its demand 100,
    :math:`0.04 (0.5 L_A - 40) \le 0.005 (L_A + 100)` gives :math:`L_A = 140`:

    >>> import numpy as np
    >>> from alliance.network import AllianceNetwork, BankPolicy
    >>> from alliance.network.optimal import ratio_scale
    >>> net = AllianceNetwork()
    >>> net.add_member("A", demand=200, pd=0.04, lgd=0.5)
    >>> net.add_member("B", demand=100, pd=0.0, lgd=0.5, equity=1000)
    >>> net.add_chain("B", "A", kind="guarantee", amount=40)
    >>> topo, sc = net.topology(), net.scenarios("exact")
    >>> sol = solve_programme(topo, sc, BankPolicy(max_el_rate=0.005), present=np.ones(2, bool),
    ...                       lower=np.array([0.0, 100.0]), upper=topo.demand, mech=Mechanisms(),
    ...                       defaults=sc.defaults, primary_scale=ratio_scale(topo, sc))
    >>> sol.status, sol.loans.round(6).tolist(), sol.binding[0]
    ('optimal', [140.0, 100.0], 'expected_loss')
    """
    if method not in ("auto", "lp", "cuts"):
        raise ParameterError(f"method is {method!r}; use 'auto', 'lp' or 'cuts'")
    n, S = topo.n, sc.n_scenarios
    w = np.asarray(
        getattr(sc, "weights", None)
        if getattr(sc, "weights", None) is not None
        else np.full(S, 1.0 / S),
        dtype=float,
    )
    present = np.asarray(present, dtype=bool)
    borrower = present & topo.is_member & (upper > 0)
    mem = np.flatnonzero(borrower)
    col_of = np.full(n, -1, dtype=np.int64)
    col_of[mem] = np.arange(mem.size)
    nL = mem.size
    if nL == 0:
        return ProgrammeSolution("optimal", np.zeros(n), 0.0)
    dkeys = matrix_keys(defaults, n)
    pkeys = matrix_keys(sc.defaults, n)
    fund_on = mech.fund
    F = float(topo.fund[present].sum()) if fund_on else 0.0
    equity = topo.equity.copy()
    if not fund_on:  # members keep their contributions as equity (e never includes f)
        equity = equity + np.where(topo.is_member, topo.fund, 0.0)

    # -- pairs (scenario, defaulted borrower) -------------------------------------------------
    s_p = dkeys // n
    i_p = dkeys % n
    keep = borrower[i_p] & (topo.lgd[i_p] > 0)
    s_p, i_p = s_p[keep], i_p[keep]
    cover = topo.collateral[i_p].copy()
    recv_owner = recv_pos = recv_factor = None
    if mech.pledges and topo.t_amt is not None and topo.t_amt.size:
        owner, e = expand(topo.t_in_ptr, i_p)
        k = topo.t_src[e]
        ok = present[k]
        owner, e, k = owner[ok], e[ok], k[ok]
        factor = receivable_value(  # (1 - h) x the debtor's clearing ratio (1 if it survives)
            topo,
            dkeys,
            s_p[owner],
            k,
            haircut=policy.receivable_haircut,
            loans=upper,
            present=present,
        )
        cover += np.bincount(owner, factor * topo.t_amt[e], i_p.size)
        recv_owner, recv_pos, recv_factor = owner, e, factor
    live = cover < upper[i_p] * (1 - 1e-12)  # a pair that can lose something
    if recv_owner is not None:
        remap = np.cumsum(live) - 1
        okr = live[recv_owner]
        recv_owner, recv_pos, recv_factor = (
            remap[recv_owner[okr]],
            recv_pos[okr],
            recv_factor[okr],
        )
    s_p, i_p, cover = s_p[live], i_p[live], cover[live]
    nP = s_p.size
    is_prim = _lookup(pkeys, s_p * n + i_p)

    # -- guarantee payments ---------------------------------------------------------------------
    g_owner = g_e = np.empty(0, dtype=np.int64)
    if mech.guarantees and topo.g_amt.size and nP:
        g_owner, g_e = expand(topo.in_ptr, i_p)
        j = topo.g_src[g_e]
        ok = present[j] & ~_lookup(pkeys, s_p[g_owner] * n + j)
        if void_prob >= 1.0:
            ok &= False
        elif void_prob > 0.0:
            ok &= void_uniforms(sc.void_key, s_p[g_owner], topo.g_id[g_e]) >= void_prob
        g_owner, g_e = g_owner[ok], g_e[ok]
    use_fund = fund_on and F > 0 and nP > 0
    red = _reduce(
        topo, n, s_p, i_p, cover, upper, g_owner, g_e, equity, present, dkeys,
        trade_contagion, F if use_fund else None, reduce, mech.pledges,
    )
    # the live pairs, kept for the standard error (a dropped pair's loss is 0)
    s_live, i_live, prim_live = s_p, i_p, is_prim
    kp = red.keep_pairs
    if recv_owner is not None:
        okr = red.keep_mask[recv_owner]
        recv_owner, recv_pos, recv_factor = (
            red.remap[recv_owner[okr]],
            recv_pos[okr],
            recv_factor[okr],
        )
    s_p, i_p, cover, is_prim = s_p[kp], i_p[kp], cover[kp], is_prim[kp]
    certain = red.certain[kp]
    nP = s_p.size
    a_p = w[s_p] * np.where(is_prim, primary_scale[i_p], 1.0)
    # payments fixed at a bound on kept pairs: their shadow prices are their pair rows' duals
    fx = ~red.var_g & red.keep_mask[g_owner] & (red.g_const > 0)
    fix_owner, fix_e, fix_at_eq = red.remap[g_owner[fx]], g_e[fx], red.g_at_equity[fx]
    fix_j = topo.g_src[fix_e]
    g_owner, g_e = red.remap[g_owner[red.var_g]], g_e[red.var_g]
    nG = g_owner.size
    use_fund = use_fund and nP > 0

    # -- columns ----------------------------------------------------------------------------------
    ncol = 0

    def block(size: int) -> _Block:
        nonlocal ncol
        b = _Block(ncol, size)
        ncol += size
        return b

    bL = block(nL)
    bU = block(nP)
    bPhi = block(nP if use_fund else 0)
    bG = block(nG)
    es = policy.has_es_limit
    pooled = mech.pooling
    if es:
        bT = block(1 if pooled else nL)
        scen_with = np.unique(s_p)
        bZ = block(scen_with.size if pooled else nP)
    lb = np.zeros(ncol)
    ub = np.full(ncol, np.inf)
    lb[bL.start : bL.start + nL] = lower[mem]
    ub[bL.start : bL.start + nL] = upper[mem]
    ub[bG.start : bG.start + nG] = topo.g_amt[g_e]

    rows_r: list[np.ndarray] = []
    rows_c: list[np.ndarray] = []
    rows_v: list[np.ndarray] = []
    rhs: list[np.ndarray] = []
    nrow = 0
    kinds: dict[str, tuple[int, int]] = {}

    def add(kind: str, r, c, v, b) -> None:
        nonlocal nrow
        r = np.asarray(r, dtype=np.int64)
        b = np.atleast_1d(np.asarray(b, dtype=float))
        rows_r.append(r + nrow)
        rows_c.append(np.asarray(c, dtype=np.int64))
        rows_v.append(np.asarray(v, dtype=float))
        rhs.append(b)
        kinds[kind] = (nrow, nrow + b.size)
        nrow += b.size

    # (a) pair rows: lambda L - u - phi - sum gamma <= lambda * cover + certain payments
    pr = np.arange(nP)
    r = [pr, pr]
    c = [bL.start + col_of[i_p], bU.start + pr]
    v = [topo.lgd[i_p], -np.ones(nP)]
    if use_fund:
        r.append(pr)
        c.append(bPhi.start + pr)
        v.append(-np.ones(nP))
    if nG:
        r.append(g_owner)
        c.append(bG.start + np.arange(nG))
        v.append(-np.ones(nG))
    add(
        "pair",
        np.concatenate(r),
        np.concatenate(c),
        np.concatenate(v),
        topo.lgd[i_p] * cover + certain,
    )
    # (b) fund rows: sum phi <= F per scenario
    if use_fund:
        us, inv = np.unique(s_p, return_inverse=True)
        add("fund", inv.ravel(), bPhi.start + pr, np.ones(nP), np.full(us.size, F))
    # (c) equity rows: sum gamma <= equity after trade losses, where the calls could exceed it
    eq_rows_j = np.empty(0, dtype=np.int64)
    sel = red.g_need[red.var_g]
    g_eq_row = np.full(nG, -1, dtype=np.int64)
    eq_cap = np.empty(0)
    if sel.any():
        uk, inv = np.unique(red.g_key[red.var_g][sel], return_inverse=True)
        eq_cap = red.cap_of_key(uk)
        add(
            "equity",
            inv.ravel(),
            bG.start + np.flatnonzero(sel),
            np.ones(int(sel.sum())),
            eq_cap,
        )
        eq_rows_j = uk % n
        g_eq_row[sel] = inv.ravel()
    # (d) expected-loss rows
    ell = policy.el_rate
    if policy.has_el_limit:
        if pooled:
            add(
                "expected_loss",
                np.zeros(nP + nL, dtype=np.int64),
                np.concatenate([bU.start + pr, bL.start + np.arange(nL)]),
                np.concatenate([a_p, np.full(nL, -ell)]),
                0.0,
            )
        else:
            m_p = col_of[i_p]
            add(
                "expected_loss",
                np.concatenate([m_p, np.arange(nL)]),
                np.concatenate([bU.start + pr, bL.start + np.arange(nL)]),
                np.concatenate([a_p, np.full(nL, -ell)]),
                np.zeros(nL),
            )
    # (e) expected shortfall (Rockafellar-Uryasev)
    if es:
        alpha, e_star = float(policy.es_alpha), float(policy.max_es_rate)
        if pooled:
            zpos = np.searchsorted(scen_with, s_p)
            ns = scen_with.size
            add(
                "shortfall_scenario",
                np.concatenate([zpos, np.arange(ns), np.arange(ns)]),
                np.concatenate([bU.start + pr, np.full(ns, bT.start), bZ.start + np.arange(ns)]),
                np.concatenate([np.ones(nP), -np.ones(ns), -np.ones(ns)]),
                np.zeros(ns),
            )
            add(
                "expected_shortfall",
                np.zeros(1 + ns + nL, dtype=np.int64),
                np.concatenate([[bT.start], bZ.start + np.arange(ns), bL.start + np.arange(nL)]),
                np.concatenate([[1.0], w[scen_with] / (1 - alpha), np.full(nL, -e_star)]),
                0.0,
            )
        else:
            m_p = col_of[i_p]
            add(
                "shortfall_scenario",
                np.concatenate([pr, pr, pr]),
                np.concatenate([bU.start + pr, bT.start + m_p, bZ.start + pr]),
                np.concatenate([np.ones(nP), -np.ones(nP), -np.ones(nP)]),
                np.zeros(nP),
            )
            add(
                "expected_shortfall",
                np.concatenate([np.arange(nL), m_p, np.arange(nL)]),
                np.concatenate([bT.start + np.arange(nL), bZ.start + pr, bL.start + np.arange(nL)]),
                np.concatenate([np.ones(nL), w[s_p] / (1 - alpha), np.full(nL, -e_star)]),
                np.zeros(nL),
            )
    # (f) the fund's leverage cap
    if fund_on and fund_cap is not None:
        add(
            "fund_leverage_cap",
            np.zeros(nL, dtype=np.int64),
            bL.start + np.arange(nL),
            np.ones(nL),
            fund_cap,
        )

    A = sp.csr_matrix(
        (np.concatenate(rows_v), (np.concatenate(rows_r), np.concatenate(rows_c))),
        shape=(nrow, ncol),
    )
    b = np.concatenate(rhs)
    cost = np.zeros(ncol)
    cost[bL.start : bL.start + nL] = -1.0
    bounds = np.column_stack([lb, ub])
    res = None
    if method == "cuts" or (method == "auto" and ncol > CUTS_ABOVE):
        if pooled:
            res = _by_cuts(
                CutProblem(
                    lower=lb[bL.start : bL.start + nL],
                    upper=ub[bL.start : bL.start + nL],
                    pair_loan=col_of[i_p],
                    pair_lgd=topo.lgd[i_p],
                    pair_cover=topo.lgd[i_p] * cover + certain,
                    pair_weight=a_p,
                    pair_scenario=s_p,
                    el_rate=ell if policy.has_el_limit else None,
                    es_alpha=float(policy.es_alpha) if es else None,
                    es_rate=float(policy.max_es_rate) if es else None,
                    pair_scenario_weight=w[s_p],
                    fund=F if use_fund else None,
                    leverage_cap=fund_cap if fund_on and fund_cap is not None else None,
                    guarantee_pair=g_owner,
                    guarantee_amount=topo.g_amt[g_e],
                    guarantee_equity_row=g_eq_row,
                    equity=eq_cap,
                ),
                kinds,
                nrow,
                ncol,
                bL,
                bU,
                bG,
                None if start is None else np.clip(start[mem], lower[mem], upper[mem]),
                max_leximin_rounds if leximin else 0,
                tie_tol,
            )
    if res is None:
        res = linprog(cost, A_ub=A, b_ub=b, bounds=bounds, method=lp_method(ncol))
    if res.status == 2:
        failing = _failing_constraint(
            topo, lower, mem, kinds, fund_cap, fund_on, A, b, bounds, bL, nL
        )
        return ProgrammeSolution(
            "infeasible",
            np.zeros(n),
            float("nan"),
            failing=failing,
            n_pairs=nP,
            n_rows=nrow,
            n_vars=ncol,
        )
    if res.status != 0:
        raise ConvergenceError(f"the allocation programme failed: {res.message}")
    x = res.x
    total = float(-res.fun)
    marg = res.ineqlin.marginals  # d(min cost)/d b <= 0
    umarg = res.upper.marginals
    lmarg = res.lower.marginals
    # -- shadow prices from the duals (extra credit per unit of each parameter) -----------------
    duals: dict[str, float] = {}
    binding: list[str] = []
    tol = 1e-9

    def rows(kind):
        a, z = kinds.get(kind, (0, 0))
        return slice(a, z)

    if "expected_loss" in kinds:
        y = -marg[rows("expected_loss")]
        if pooled:
            duals["max_el_rate"] = float(y[0] * x[bL.start : bL.start + nL].sum())
        else:
            duals["max_el_rate"] = float(y @ x[bL.start : bL.start + nL])
        if np.any(y > tol):
            binding.append("expected_loss")
    el_dual = float(-marg[rows("expected_loss")][0]) if "expected_loss" in kinds and pooled else 0.0
    if "expected_shortfall" in kinds:
        y = -marg[rows("expected_shortfall")]
        if pooled:
            duals["max_es_rate"] = float(y[0] * x[bL.start : bL.start + nL].sum())
        else:
            duals["max_es_rate"] = float(y @ x[bL.start : bL.start + nL])
        if np.any(y > tol):
            binding.append("expected_shortfall")
    fund_dual = 0.0
    if "fund" in kinds:
        fund_dual += float(-marg[rows("fund")].sum())
    if "fund_leverage_cap" in kinds:
        y = float(-marg[rows("fund_leverage_cap")][0])
        if y > tol:
            binding.append("fund_leverage_cap")
        cap_m = fund_cap / F if F > 0 else 0.0
        fund_dual += y * cap_m
    if fund_on:
        duals["fund"] = fund_dual
        if fund_dual > tol and "fund" in kinds:
            binding.append("fund")
    y_pair = -marg[rows("pair")]
    if "equity" in kinds or fix_at_eq.any():
        per = np.bincount(fix_j[fix_at_eq], y_pair[fix_owner[fix_at_eq]], n).astype(float)
        if "equity" in kinds:
            per += np.bincount(eq_rows_j, -marg[rows("equity")], n)
        for jj in np.flatnonzero(per > tol):
            duals[f"equity of {topo.names[jj]}"] = float(per[jj])
            binding.append(f"equity of {topo.names[jj]}")
    if red.var_g.size:
        yg = -umarg[bG.start : bG.start + nG]
        at_g = ~fix_at_eq
        gid = np.concatenate([topo.g_id[g_e], topo.g_id[fix_e[at_g]]])
        yg = np.concatenate([yg, y_pair[fix_owner[at_g]]])
        per = np.bincount(gid, yg, topo.g_amt.size)
        order = np.argsort(topo.g_id)
        for pos in range(topo.g_amt.size):
            e = order[pos]
            a_, b_ = topo.names[topo.g_src[e]], topo.names[topo.g_tgt[e]]
            duals[f"guarantee {a_}->{b_}"] = float(per[pos])
            if per[pos] > tol:
                binding.append(f"guarantee {a_}->{b_}")
    if recv_owner is not None and nP:
        contrib = y_pair[recv_owner] * topo.lgd[i_p[recv_owner]] * recv_factor
        per = np.bincount(recv_pos, contrib, topo.t_amt.size)
        for e in range(topo.t_amt.size):
            if present[topo.t_src[e]] and present[topo.t_tgt[e]]:
                a_, b_ = topo.names[topo.t_src[e]], topo.names[topo.t_tgt[e]]
                duals[f"receivable {a_}->{b_}"] = float(per[e])
    yl = -umarg[bL.start : bL.start + nL]
    yo = lmarg[bL.start : bL.start + nL]
    for k_, i in enumerate(mem):
        if yl[k_] > tol:
            binding.append(f"demand of {topo.names[i]}")
        if yo[k_] > tol:
            binding.append(f"participation of {topo.names[i]}")
    loans = np.zeros(n)
    # the solver may step outside a bound by rounding (an interior point's -1e-13): the
    # allocation keeps participation and demand exactly
    loans[mem] = np.clip(x[bL.start : bL.start + nL], lower[mem], upper[mem])
    u_live = np.zeros(s_live.size)
    u_live[kp] = x[bU.start : bU.start + nP]
    el_se = (
        _el_standard_error(u_live, s_live, i_live, prim_live, w, primary_scale, sc, n)
        if s_live.size and not sc.is_exact
        else 0.0
    )
    if leximin and isinstance(res, _CutResult):
        if res.leximin_loans is not None:
            loans = np.zeros(n)
            loans[mem] = np.clip(res.leximin_loans, lower[mem], upper[mem])
    elif leximin:
        loans = _leximin(
            cost, A, b, bounds, bL, mem, lower, upper, total, tie_tol, max_leximin_rounds, loans
        )
    return ProgrammeSolution(
        "optimal",
        loans,
        total,
        duals=duals,
        binding=binding,
        el_dual=el_dual,
        el_standard_error=el_se,
        n_pairs=nP,
        n_rows=nrow,
        n_vars=ncol,
        solver="scenario cuts" if isinstance(res, _CutResult) else "whole",
        cuts=getattr(res, "cuts", 0),
        master_solves=getattr(res, "master_solves", 0),
    )


#: Pooled programmes with more variables than this are solved by scenario cuts.
CUTS_ABOVE = 20_000


class _CutResult:
    """A scenario-cut solution laid out as scipy's ``linprog`` result of the full programme."""

    def __init__(self, sol: CutSolution, kinds, nrow, ncol, bL, bU, bG):
        self.status = 0 if sol.status == "optimal" else 2
        x = np.zeros(ncol)
        x[bL.start : bL.start + bL.size] = sol.loans
        x[bU.start : bU.start + bU.size] = sol.loss
        self.x = x
        self.fun = -float(sol.loans.sum())
        marg = np.zeros(nrow)

        def put(kind, values):
            if kind in kinds:
                a, z = kinds[kind]
                marg[a:z] = values

        put("pair", -sol.pair_dual)
        put("fund", -sol.fund_dual)
        put("equity", -sol.equity_dual)
        put("expected_loss", -sol.el_dual)
        put("expected_shortfall", -sol.es_dual)
        put("fund_leverage_cap", -sol.leverage_dual)
        upper = np.zeros(ncol)
        lower = np.zeros(ncol)
        upper[bG.start : bG.start + bG.size] = -sol.guarantee_dual
        d = sol.loan_dual
        upper[bL.start : bL.start + bL.size] = np.minimum(d, 0.0)
        lower[bL.start : bL.start + bL.size] = np.maximum(d, 0.0)
        self.ineqlin = SimpleNamespace(marginals=marg)
        self.upper = SimpleNamespace(marginals=upper)
        self.lower = SimpleNamespace(marginals=lower)
        self.message = sol.status
        self.cuts, self.master_solves = sol.cuts, sol.iterations
        self.leximin_loans = sol.leximin_loans


def _by_cuts(prob, kinds, nrow, ncol, bL, bU, bG, start, leximin_rounds, tie_tol):
    """Solve by scenario cuts; None (solve the full programme) if the master is infeasible
    (the failing constraint is then diagnosed on the full programme) or the cuts stalled."""
    sol = solve_by_cuts(prob, start=start, leximin_rounds=leximin_rounds, tie_tol=tie_tol)
    if sol.status != "optimal":
        return None
    return _CutResult(sol, kinds, nrow, ncol, bL, bU, bG)


def lp_method(n_variables: int) -> str:
    """HiGHS's dual simplex for small programmes, its interior point (with crossover) for
    larger ones.

    Measured on the reduced programmes of ``benchmarks/bench_network.py`` (2 cores, CPU
    time of one solve): 14,580 variables, interior point 1.0 s against simplex 1.8 s;
    181,382 variables, 34 s against 252 s.
    """
    return "highs-ipm" if n_variables > IPM_ABOVE else "highs"


#: Programmes with more variables than this are solved by the interior-point method.
IPM_ABOVE = 10_000


def _el_standard_error(u, s_p, i_p, is_prim, w, scale, sc, n) -> float:
    r"""Standard error of the ratio estimator of the expected loss (linearised).

    Member i's own-default part :math:`p_i \hat\mu_i` has influence
    :math:`(p_i/\hat p_i)\, d_{is} (u_{is} - \hat\mu_i)` in scenario s; the contagion part
    its plain deviations. The variance is :math:`\sum_s w_s^2 (h_s - \bar h)^2`.
    """
    phat = np.asarray(sc.defaults.T.astype(float) @ w).ravel()
    S = w.size
    h = np.zeros(S)
    prim = is_prim
    if prim.any():
        ip, sp_, up = i_p[prim], s_p[prim], u[prim]
        with np.errstate(divide="ignore", invalid="ignore"):
            mu = np.bincount(ip, w[sp_] * up, n) / np.where(phat > 0, phat, 1.0)
        h += np.bincount(sp_, scale[ip] * (up - mu[ip]), S)
    if (~prim).any():
        h += np.bincount(s_p[~prim], u[~prim], S)
    hbar = float(w @ h)
    mult = getattr(sc, "multiplicity", None)
    k = 1.0 if mult is None else mult
    return float(np.sqrt(np.sum(w * w / k * (h - hbar) ** 2)))


def _leximin(cost, A, b, bounds, bL, mem, lower, upper, total, tie_tol, max_rounds, loans):
    """Leximin fill ratios among allocations whose total is within ``tie_tol`` of the best."""
    nL = mem.size
    gap = upper[mem] - lower[mem]
    free = gap > 1e-12 * np.maximum(upper[mem], 1.0)
    if not free.any():
        return loans
    ncol = cost.size
    # total >= best (1 - tie_tol), and tau <= fill ratio of every free member not yet fixed
    tot_row = sp.csr_matrix(
        (-np.ones(nL), (np.zeros(nL, dtype=np.int64), bL.start + np.arange(nL))), shape=(1, ncol)
    )
    floor = lower[mem].copy()
    fixed = ~free
    best = loans.copy()
    last_tau = -1.0
    for _ in range(max_rounds):
        act = np.flatnonzero(~fixed)
        if act.size == 0:
            break
        k = act.size
        # variables: the programme's and tau (last column)
        A_t = sp.hstack([A, sp.csr_matrix((A.shape[0], 1))])
        tot_t = sp.hstack([tot_row, sp.csr_matrix((1, 1))])
        fill = sp.csr_matrix(
            (
                np.concatenate([-np.ones(k), gap[act]]),
                (
                    np.concatenate([np.arange(k), np.arange(k)]),
                    np.concatenate([bL.start + act, np.full(k, ncol)]),
                ),
            ),
            shape=(k, ncol + 1),
        )
        A2 = sp.vstack([A_t, tot_t, fill]).tocsr()
        b2 = np.concatenate([b, [-(total - tie_tol * max(abs(total), 1.0))], -lower[mem][act]])
        bnd = np.vstack([bounds, [[0.0, 1.0]]])
        bnd[bL.start : bL.start + nL, 0] = floor
        c2 = np.zeros(ncol + 1)
        c2[-1] = -1.0
        res = linprog(c2, A_ub=A2, b_ub=b2, bounds=bnd, method=lp_method(ncol))
        if res.status != 0:
            break
        tau = float(res.x[-1])
        best = np.zeros_like(loans)
        best[mem] = np.clip(res.x[bL.start : bL.start + nL], lower[mem], upper[mem])
        if tau >= 1.0 - 1e-12:
            break
        y = -res.ineqlin.marginals[A.shape[0] + 1 :]
        ratio = (res.x[bL.start + act] - lower[mem][act]) / gap[act]
        fix_blocked(act, y, ratio, tau, last_tau, lower[mem], upper[mem], floor, fixed)
        last_tau = tau
    return best


def _failing_constraint(topo, lower, mem, kinds, fund_cap, fund_on, A, b, bounds, bL, nL):
    """Which constraint fails at the participation point L = L⁰ (the programme is infeasible)."""
    lo = lower[mem]
    if fund_on and fund_cap is not None and lo.sum() > fund_cap * (1 + 1e-12):
        return (
            f"fund leverage cap: the standalone limits add up to {lo.sum():.6g} > "
            f"m × F = {fund_cap:.6g}"
        )
    # with the loans at L⁰, drop one limit family at a time and see which makes it feasible
    bnd = bounds.copy()
    bnd[bL.start : bL.start + nL, 1] = lo
    for kind in ("expected_loss", "expected_shortfall"):
        if kind not in kinds:
            continue
        a, z = kinds[kind]
        keep = np.ones(A.shape[0], dtype=bool)
        keep[a:z] = False
        res = linprog(np.zeros(A.shape[1]), A_ub=A[keep], b_ub=b[keep], bounds=bnd, method="highs")
        if res.status == 0:
            label = "expected loss" if kind == "expected_loss" else "expected shortfall"
            return (
                f"{label} limit: even at the standalone limits (participation) the alliance's "
                f"{label} exceeds the bank's limit"
            )
    return "the bank's limits at the standalone limits (participation)"


@dataclass
class _Reduction:
    """The exact reductions of the programme (see the module docstring, *Size*)."""

    keep_mask: np.ndarray  # (live pairs,) bool: the pair keeps its variables
    keep_pairs: np.ndarray  # indices of the kept pairs
    remap: np.ndarray  # live pair -> kept pair (-1 if dropped)
    certain: np.ndarray  # (live pairs,) guarantee payments fixed at a constant
    var_g: np.ndarray  # (gammas,) bool: a guarantee payment that stays a variable
    g_need: np.ndarray  # (gammas,) bool: its guarantor's calls can exceed its equity
    g_key: np.ndarray  # (gammas,) scenario * n + guarantor
    g_const: np.ndarray  # (gammas,) the constant of a fixed payment (0 if variable or dropped)
    g_at_equity: np.ndarray  # (gammas,) bool: fixed at the guarantor's equity (not at g)
    cap_of_key: object  # keys -> the guarantors' equity after trade losses


def _reduce(
    topo, n, s_p, i_p, cover, upper, g_owner, g_e, equity, present, dkeys,
    trade_contagion, fund, reduce, pledges,
) -> _Reduction:
    """Fix the guarantee payments that are optimal at a bound, drop pairs that cannot lose.

    Exact, each step: (i) a payment ``gamma`` whose guarantor's calls in the scenario cannot
    exceed its equity appears only in its pair row (with coefficient -1), so raising it to
    ``g`` keeps every solution feasible and changes nothing else: fix it at ``g``; a
    guarantor with a single call that can exceed its equity has the bound
    ``min(g, equity)``: fix it there. (ii) A pair with
    ``lambda (D - cover) - fixed payments <= 0`` has ``u = phi = 0`` feasible at every
    allocation (its other payments can be 0): drop it. (iii) With the fund a variable, a
    scenario whose largest possible loss (every loan at its demand; the loss is nondecreasing
    in L) is at most F has ``u = 0`` for every pair: drop the scenario. Dropping pairs can
    leave a guarantor with fewer calls, so (i)-(iii) repeat to a fixed point.
    """
    nP, nG = s_p.size, g_owner.size
    j = topo.g_src[g_e]
    g_key = s_p[g_owner] * n + j
    uk, inv = np.unique(g_key, return_inverse=True)
    inv = inv.ravel()

    def cap_of_key(keys: np.ndarray) -> np.ndarray:
        cap = equity[keys % n].copy()
        if trade_contagion and topo.t_amt is not None and topo.t_amt.size and keys.size:
            # trade losses of guarantor j in scenario s: its debtors in the default set
            owner, e = expand(topo.t_in_ptr, keys % n)
            kk = topo.t_src[e]
            hit = present[kk] & _lookup(dkeys, (keys[owner] // n) * n + kk)
            pay = debtor_ratio(
                topo, dkeys, keys[owner] // n, kk, loans=upper, pledge=pledges, present=present
            )
            lossv = np.where(hit, topo.t_amt[e] * (1.0 - pay), 0.0)
            cap = np.maximum(cap - np.bincount(owner, lossv, keys.size), 0.0)
        return cap

    cap = cap_of_key(uk)
    amt = topo.g_amt[g_e]
    keep = np.ones(nP, dtype=bool)
    gk = np.ones(nG, dtype=bool)
    room = topo.lgd[i_p] * (upper[i_p] - cover)  # the largest exposure loss of the pair
    while True:
        gsum = np.bincount(inv, amt * gk, uk.size)
        cnt = np.bincount(inv, gk.astype(float), uk.size)
        need = gsum > cap * (1 + 1e-12)
        if reduce:
            var_g = gk & need[inv] & (cnt[inv] > 1.5)
            at_eq = gk & need[inv] & ~var_g
        else:  # the full programme (for tests): every payment a variable
            var_g = gk.copy()
            at_eq = np.zeros(nG, dtype=bool)
        g_const = np.where(gk & ~var_g, np.where(at_eq, cap[inv], amt), 0.0)
        certain = np.bincount(g_owner, g_const, nP)
        if not reduce:
            break
        worst = room - certain
        dead = keep & (worst <= 0.0)
        if fund is not None:
            per_s = np.bincount(s_p, np.where(keep, np.maximum(worst, 0.0), 0.0))
            dead |= keep & (per_s[s_p] <= fund)
        if not dead.any():
            break
        keep &= ~dead
        gk &= keep[g_owner]
    kp = np.flatnonzero(keep)
    remap = np.full(nP, -1, dtype=np.int64)
    remap[kp] = np.arange(kp.size)
    return _Reduction(
        keep, kp, remap, certain, var_g, need[inv], g_key, g_const, at_eq, cap_of_key
    )
