r"""Scenario cuts for the pooled allocation programme (an L-shaped method).

The programme of :mod:`alliance.network.allocation` under pooled limits is a
two-stage linear programme: the loans ``L`` come first, and in each scenario ``s`` the fund
and the guarantee payments are then applied where they save the bank most. Its scenario part
is the bank's least weighted loss in the scenario,

.. math::

    H_s(L) = \min \Big\{ \sum_{p \in s} a_p u_p :
    u_p \ge \lambda_p L_{i(p)} - r_p - \varphi_p - \textstyle\sum_{g \in p} \gamma_g,\;
    \sum_{p \in s} \varphi_p \le F,\; \text{equity and guarantee bounds},\; u, \varphi,
    \gamma \ge 0 \Big\},

convex and piecewise linear in ``L``, and the programme is
:math:`\max \sum_i L_i` subject to :math:`\sum_s H_s(L) \le \ell^* \sum_i L_i`, the
leverage cap and :math:`L^0 \le L \le D`. Its full form has a loss and a fund variable for
every (scenario, defaulted member) pair, so it grows with scenarios × defaults
(``benchmarks/results/network.md`` gives its size and times both methods side by side).

**The method.** A master programme keeps the loans and one variable :math:`\theta_s \ge 0`
per scenario, with :math:`\sum_s \theta_s \le \ell^* \sum_i L_i`, and *cuts*
:math:`\theta_s \ge H_s(\hat L) + g_s^\top (L - \hat L)`, each a supporting plane of
:math:`H_s` at a point :math:`\hat L` with a subgradient :math:`g_s` from the scenario's
duals. The master is a relaxation: its optimum bounds the programme's from above. At its
optimum :math:`L^k` every :math:`H_s(L^k)` is evaluated; where it exceeds
:math:`\theta_s^k` a cut at :math:`L^k` is added, and the master is solved again (HiGHS's
dual simplex, warm-started from the last basis). Each cut is one of the finitely many linear
pieces of :math:`H_s`, so the method ends; it stops when the scenarios' losses exceed the
master's :math:`\sum_s \theta_s` by at most ``tol`` × the loss limit, and its optimum is then
the programme's (to that tolerance) — ``tests/network/test_cuts.py`` shows it equals the
full programme's optimum on random networks.

**The scenarios' losses.** Where no guarantee payment is a variable (the exact reductions of
:mod:`~alliance.network.allocation` fix most of them), :math:`H_s` has a closed form: the
fund goes to the pairs of largest weight :math:`a_p` first (a fractional knapsack), and with
:math:`\pi_s` the weight of the pair where the fund runs out (0 if it covers every loss)
the pair duals are :math:`\min(a_p, \pi_s)` on pairs with a positive exposure loss. All such
scenarios are evaluated at once with NumPy. The scenarios where guarantors' calls compete
for their equity make one small linear programme together (the loans fixed), re-solved
warm at each step.

**Expected shortfall.** Under a pooled ES limit in the Rockafellar–Uryasev form the master
also has the threshold ``t`` and one variable :math:`\zeta_s \ge \ell_s(L) - t` per
scenario, with cuts of the scenario's least total loss :math:`\ell_s` (the same evaluators
with unit weights); see :func:`solve_by_cuts` for why the two limits can be cut separately.

**Duals.** The full programme's duals are the cuts' duals times the scenario duals each cut
was made from; the shadow prices of :mod:`~alliance.network.allocation` (fund, equity,
guarantees, receivables, the loss limit) are computed from them as from the full programme.

References
----------
Van Slyke, R. M. & Wets, R. (1969). L-shaped linear programs with applications to optimal
control and stochastic programming. *SIAM Journal on Applied Mathematics*, 17(4), 638-663.

Birge, J. R. & Louveaux, F. V. (1988). A multicut algorithm for two-stage stochastic linear
programs. *European Journal of Operational Research*, 34(3), 384-392.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass, field

import numpy as np

from alliance.errors import ConvergenceError

__all__ = ["CutProblem", "CutSolution", "fix_blocked", "solve_by_cuts"]

_quiet = False


def new_highs():
    """A silent HiGHS instance (its banner, printed by the first instance of a process, goes to
    the null device: it would otherwise land in notebooks and the tests' output)."""
    import highspy

    global _quiet
    if not _quiet:
        sys.stdout.flush()
        saved, null = os.dup(1), os.open(os.devnull, os.O_WRONLY)
        os.dup2(null, 1)
        try:
            h = highspy.Highs()
        finally:
            os.dup2(saved, 1)
            os.close(saved)
            os.close(null)
        _quiet = True
    else:
        h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    h.setOptionValue("solver", "simplex")
    h.setOptionValue("primal_feasibility_tolerance", 1e-10)
    h.setOptionValue("dual_feasibility_tolerance", 1e-10)
    return h


@dataclass
class CutProblem:
    """The pooled programme in pair form (see the module docstring).

    Parameters
    ----------
    lower, upper : numpy.ndarray
        (m,) bounds of the loans (participation and demand).
    pair_loan : numpy.ndarray
        (P,) the loan (column) of each (scenario, defaulted member) pair.
    pair_lgd : numpy.ndarray
        (P,) the member's loss given default λ.
    pair_cover : numpy.ndarray
        (P,) λ × (collateral + pledged receivables) + fixed guarantee payments: the exposure
        loss is ``max(0, λ L - cover)`` before the fund and variable payments.
    pair_weight : numpy.ndarray
        (P,) the weight of the pair's loss in the expected loss (``a_p``).
    pair_scenario : numpy.ndarray
        (P,) the pair's scenario (any integer labels).
    el_rate : float or None
        ℓ*, the expected-loss limit per unit of total credit (None: no such limit).
    fund : float or None
        The fund available in each scenario (None: no fund).
    leverage_cap : float or None
        The cap on the total loans.
    guarantee_pair : numpy.ndarray
        (G,) the pair each variable guarantee payment covers.
    guarantee_amount : numpy.ndarray
        (G,) its upper bound.
    guarantee_equity_row : numpy.ndarray
        (G,) its guarantor's equity row in ``equity`` (-1: none).
    equity : numpy.ndarray
        (E,) the guarantors' equity in each of their equity rows.
    es_alpha, es_rate : float or None
        A pooled expected-shortfall limit :math:`ES_\\alpha \\le e^* \\sum_i L_i` in the
        Rockafellar–Uryasev form (None: no such limit).
    pair_scenario_weight : numpy.ndarray or None
        (P,) the probability weight of the pair's scenario (needed with an ES limit).

    Examples
    --------
    One member (λ = 0.5, collateral worth 10 of exposure loss) defaulting in one scenario of
    weight 0.02, with a fund of 4:

    >>> import numpy as np
    >>> prob = CutProblem(lower=np.array([0.0]), upper=np.array([100.0]),
    ...     pair_loan=np.array([0]), pair_lgd=np.array([0.5]), pair_cover=np.array([10.0]),
    ...     pair_weight=np.array([0.02]), pair_scenario=np.array([0]), el_rate=0.002, fund=4.0)
    >>> prob.pair_lgd * prob.upper[prob.pair_loan] - prob.pair_cover  # exposure loss at D
    array([40.])
    """

    lower: np.ndarray
    upper: np.ndarray
    pair_loan: np.ndarray
    pair_lgd: np.ndarray
    pair_cover: np.ndarray
    pair_weight: np.ndarray
    pair_scenario: np.ndarray
    el_rate: float | None
    fund: float | None = None
    leverage_cap: float | None = None
    guarantee_pair: np.ndarray = field(default_factory=lambda: np.empty(0, np.int64))
    guarantee_amount: np.ndarray = field(default_factory=lambda: np.empty(0))
    guarantee_equity_row: np.ndarray = field(default_factory=lambda: np.empty(0, np.int64))
    equity: np.ndarray = field(default_factory=lambda: np.empty(0))
    es_alpha: float | None = None
    es_rate: float | None = None
    pair_scenario_weight: np.ndarray | None = None


@dataclass
class CutSolution:
    """The programme's optimum and duals, found by scenario cuts.

    Parameters
    ----------
    status : str
        ``"optimal"``; ``"infeasible"`` (the master programme, a relaxation, has no solution,
        so neither has the programme); or ``"stalled"`` (the cuts stopped improving before
        the tolerance was met, or ``max_iterations`` was reached: solve the programme whole).
    loans : numpy.ndarray
        (m,) the optimal loans.
    loss : numpy.ndarray
        (P,) each pair's loss after the fund and the guarantees at the optimum.
    el_dual : float
        Dual of the expected-loss limit (extra total credit per unit of its right side).
    es_dual : float
        Dual of the expected-shortfall limit.
    leverage_dual : float
        Dual of the leverage cap.
    loan_dual : numpy.ndarray
        (m,) reduced costs of the loans in the master (HiGHS's sign: < 0 at the upper
        bound, > 0 at the lower one, for the minimisation of -ΣL).
    pair_dual : numpy.ndarray
        (P,) ≥ 0: extra total credit per unit of a pair's cover (the full programme's
        pair-row dual, sign flipped).
    fund_dual : numpy.ndarray
        (S',) ≥ 0, per scenario label in ``np.unique(pair_scenario)`` order.
    equity_dual : numpy.ndarray
        (E,) ≥ 0.
    guarantee_dual : numpy.ndarray
        (G,) ≥ 0, of each variable payment's upper bound.
    leximin_loans : numpy.ndarray or None
        (m,) the leximin allocation among the ties, when asked for.
    iterations : int
        Master solves (the tie-break's included).
    cuts : int
        Cuts added in all.

    Examples
    --------
    The example of :class:`CutProblem`: the loss 0.02 (0.5 L - 10 - 4) ≤ 0.002 L gives
    L = 0.28 / 0.008 = 35; a unit more of fund lowers the expected loss by 0.02, which allows
    0.02 / 0.008 = 2.5 more credit (the full programme's dual of the fund row):

    >>> import numpy as np
    >>> prob = CutProblem(lower=np.array([0.0]), upper=np.array([100.0]),
    ...     pair_loan=np.array([0]), pair_lgd=np.array([0.5]), pair_cover=np.array([10.0]),
    ...     pair_weight=np.array([0.02]), pair_scenario=np.array([0]), el_rate=0.002, fund=4.0)
    >>> sol = solve_by_cuts(prob)
    >>> round(float(sol.loans[0]), 9), sol.loss.round(9).tolist(), sol.fund_dual.round(9).tolist()
    (35.0, [3.5], [2.5])
    """

    status: str
    loans: np.ndarray
    loss: np.ndarray
    leximin_loans: np.ndarray | None = None
    el_dual: float = 0.0
    es_dual: float = 0.0
    leverage_dual: float = 0.0
    loan_dual: np.ndarray = field(default_factory=lambda: np.empty(0))
    pair_dual: np.ndarray = field(default_factory=lambda: np.empty(0))
    fund_dual: np.ndarray = field(default_factory=lambda: np.empty(0))
    equity_dual: np.ndarray = field(default_factory=lambda: np.empty(0))
    guarantee_dual: np.ndarray = field(default_factory=lambda: np.empty(0))
    iterations: int = 0
    cuts: int = 0


class _Knapsack:
    """The scenarios whose payments are all fixed: the fund by weight (closed form)."""

    def __init__(self, pairs, scen, weight, fund):
        # within each scenario, the fund goes to the largest weights first
        order = np.lexsort((-weight[pairs], scen[pairs]))
        self.pairs = pairs[order]
        self.scen = scen[self.pairs]  # dense scenario index
        self.weight = weight[self.pairs]
        self.fund = fund
        s = self.scen
        first = np.ones(s.size, dtype=bool)
        first[1:] = s[1:] != s[:-1]
        self.group_start = np.flatnonzero(first)
        self.group = np.cumsum(first) - 1  # each pair's group (scenario in sorted order)

    def evaluate(self, x):
        """Losses, pair duals and the fund's dual at exposure losses ``x`` (in pair order)."""
        xs = x[self.pairs]
        a = self.weight
        if self.fund is None:
            return xs * 1.0, np.where(xs > 0, a, 0.0), np.zeros(self.group_start.size)
        grp = self.group
        # the exposure losses of the heavier pairs of the same scenario
        before = np.cumsum(xs) - xs
        before -= before[self.group_start][grp]
        F = self.fund
        covered = np.clip(F - before, 0.0, xs)
        u = xs - covered
        # the pair where the fund runs out: its weight is the fund's dual in the scenario
        cross = (before <= F) & (before + xs > F)
        pi = np.zeros(self.group_start.size)
        pi[grp[cross]] = a[cross]
        y = np.where(xs > 0, np.minimum(a, pi[grp]), 0.0)
        return u, y, pi


class _Competing:
    """The scenarios where guarantors' calls compete for equity: one LP, re-solved warm."""

    def __init__(self, prob: CutProblem, pairs, scen, weight):
        import highspy
        import scipy.sparse as sp

        self.pairs = pairs
        P = pairs.size
        pos = np.full(prob.pair_loan.size, -1, dtype=np.int64)
        pos[pairs] = np.arange(P)
        gsel = np.flatnonzero(pos[prob.guarantee_pair] >= 0)
        self.gsel = gsel
        gp = pos[prob.guarantee_pair[gsel]]
        us, sinv = np.unique(scen[pairs], return_inverse=True)
        self.scen_labels = us
        pair_scen = sinv.ravel()
        use_fund = prob.fund is not None
        nphi = P if use_fund else 0
        nG = gsel.size
        ncol = P + nphi + nG
        # rows: pairs, then the fund in each scenario, then the equity rows used here
        erow = prob.guarantee_equity_row[gsel]
        has_e = erow >= 0
        ue, einv = np.unique(erow[has_e], return_inverse=True)
        self.equity_rows = ue
        r = [np.arange(P)]
        c = [np.arange(P)]
        v = [-np.ones(P)]
        if use_fund:
            r += [np.arange(P), P + pair_scen]
            c += [P + np.arange(P), P + np.arange(P)]
            v += [-np.ones(P), np.ones(P)]
        nfund = us.size if use_fund else 0
        r += [gp, P + nfund + einv.ravel()]
        c += [P + nphi + np.arange(nG), (P + nphi + np.arange(nG))[has_e]]
        v += [-np.ones(nG), np.ones(int(has_e.sum()))]
        nrow = P + nfund + ue.size
        A = sp.csc_matrix(
            (np.concatenate(v), (np.concatenate(r), np.concatenate(c))), shape=(nrow, ncol)
        )
        h = new_highs()
        lp = highspy.HighsLp()
        lp.num_col_, lp.num_row_ = ncol, nrow
        cost = np.zeros(ncol)
        cost[:P] = weight[pairs]
        lp.col_cost_ = cost
        lp.col_lower_ = np.zeros(ncol)
        ub = np.full(ncol, highspy.kHighsInf)
        ub[P + nphi :] = prob.guarantee_amount[gsel]
        lp.col_upper_ = ub
        lp.row_lower_ = np.full(nrow, -highspy.kHighsInf)
        rhs = np.zeros(nrow)
        if use_fund:
            rhs[P : P + nfund] = prob.fund
        rhs[P + nfund :] = prob.equity[ue]
        lp.row_upper_ = rhs
        lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
        lp.a_matrix_.start_ = A.indptr
        lp.a_matrix_.index_ = A.indices
        lp.a_matrix_.value_ = A.data
        h.passModel(lp)
        self.h = h
        self.P, self.nphi, self.nfund = P, nphi, nfund
        self.cover = prob.pair_cover[pairs]
        self.lgd = prob.pair_lgd[pairs]
        self.loan = prob.pair_loan[pairs]

    def evaluate(self, L):
        import highspy

        P = self.P
        up = self.cover - self.lgd * L[self.loan]
        idx = np.arange(P, dtype=np.int32)
        self.h.changeRowsBounds(P, idx, np.full(P, -highspy.kHighsInf), up)
        self.h.run()
        if self.h.getModelStatus() != highspy.HighsModelStatus.kOptimal:
            raise ConvergenceError(
                "the scenarios' programme failed: "
                + self.h.modelStatusToString(self.h.getModelStatus())
            )
        sol = self.h.getSolution()
        col = np.asarray(sol.col_value)
        rd = -np.asarray(sol.row_dual)
        cd = np.asarray(sol.col_dual)
        u = col[:P]
        y = np.maximum(rd[:P], 0.0)
        pi = np.maximum(rd[P : P + self.nfund], 0.0) if self.nfund else np.zeros(0)
        rho = np.maximum(rd[P + self.nfund :], 0.0)
        sig = np.maximum(-cd[P + self.nphi :], 0.0)
        return u, y, pi, rho, sig


def solve_by_cuts(
    prob: CutProblem,
    *,
    tol: float = 1e-9,
    max_iterations: int = 500,
    start=None,
    leximin_rounds: int = 0,
    tie_tol: float = 1e-9,
) -> CutSolution:
    """Solve the pooled programme by scenario cuts (see the module docstring).

    Parameters
    ----------
    prob : CutProblem
        The programme in pair form.
    tol : float
        Stop when the scenarios' losses exceed the master's by at most ``tol`` times each
        limit's right side (``ℓ* ΣL``, ``e* ΣL``, at least 1; relative, so the test does not
        depend on the programme's scale).
    max_iterations : int
        Most master solves in one optimisation.
    start : numpy.ndarray, optional
        Loans at which the first cuts are made (default: the upper bounds).
    leximin_rounds : int
        If positive, also break ties leximin on the fill ratios (at most this many rounds;
        see :func:`~alliance.network.allocation.solve_programme`), on the same master.
    tie_tol : float
        Relative distance to the largest total within which allocations count as ties.

    Returns
    -------
    CutSolution
        The optimum and the full programme's duals.

    Notes
    -----
    Under an expected-shortfall limit each scenario also has its total loss
    :math:`\\ell_s(L) = \\min \\sum_{p \\in s} u_p` and a variable :math:`\\zeta_s \\ge
    \\ell_s(L) - t` with cuts of its own. The two limits can be cut separately because one
    recourse attains both minima at once: the coverage vectors the fund and the guarantors
    can pay form a polymatroid, on which a linear objective with positive weights (the
    estimator's) is maximised at a base, i.e. at a largest total coverage.

    Examples
    --------
    Member 0 (λ = 0.5, cover 0) defaults with weight 0.04 in one scenario; the bank allows
    an expected loss of 0.5 % of the total, and member 1 sits at its bounds (100):
    :math:`0.04 \\cdot 0.5 L_0 \\le 0.005 (L_0 + 100)` gives :math:`L_0 = 100/3`.

    >>> import numpy as np
    >>> prob = CutProblem(lower=np.array([0.0, 100.0]), upper=np.array([200.0, 100.0]),
    ...     pair_loan=np.array([0]), pair_lgd=np.array([0.5]), pair_cover=np.array([0.0]),
    ...     pair_weight=np.array([0.04]), pair_scenario=np.array([0]), el_rate=0.005)
    >>> sol = solve_by_cuts(prob)
    >>> sol.status, round(float(sol.loans[0]), 9), round(sol.el_dual, 6)
    ('optimal', 33.333333333, 66.666667)
    """
    import highspy

    m = prob.lower.size
    P = prob.pair_loan.size
    labels, first_pair, scen = np.unique(
        prob.pair_scenario, return_index=True, return_inverse=True
    )
    scen = scen.ravel()
    S = labels.size
    has_el = prob.el_rate is not None
    has_es = prob.es_rate is not None
    competing_s = np.zeros(S, dtype=bool)
    if prob.guarantee_pair.size:
        competing_s[scen[prob.guarantee_pair]] = True
    simple_pairs = np.flatnonzero(~competing_s[scen])
    comp_pairs = np.flatnonzero(competing_s[scen])
    ones = np.ones(P)
    # one evaluator per limit: the expected loss weighs pairs by the estimator, the
    # scenario's loss (for the shortfall) counts every unit alike
    weights = {}
    if has_el:
        weights["el"] = prob.pair_weight
    if has_es:
        weights["es"] = ones
    knaps = {k: _Knapsack(simple_pairs, scen, w, prob.fund) for k, w in weights.items()}
    comps = (
        {k: _Competing(prob, comp_pairs, scen, w) for k, w in weights.items()}
        if comp_pairs.size
        else {}
    )
    # the knapsacks sort by scenario first: their groups are the same scenarios in order
    k0 = next(iter(knaps.values()))
    knap_scen = k0.scen[k0.group_start] if simple_pairs.size else np.empty(0, np.int64)

    # -- the master: loans, theta_s (EL), t and zeta_s (ES); rows: the limits, the cap, cuts --
    h = new_highs()
    inf = highspy.kHighsInf
    th0 = m
    t_col = m + (S if has_el else 0)
    z0 = t_col + 1
    ncol = z0 + S if has_es else t_col
    lp = highspy.HighsLp()
    lp.num_col_ = ncol
    cost = np.zeros(ncol)
    cost[:m] = -1.0
    lp.col_cost_ = cost
    lp.col_lower_ = np.concatenate([prob.lower, np.zeros(ncol - m)])
    lp.col_upper_ = np.concatenate([prob.upper, np.full(ncol - m, inf)])
    h.passModel(lp)
    mm = np.arange(m, dtype=np.int32)
    nrow = 0
    el_row = es_row = lev_row = -1
    if has_el:
        ell = float(prob.el_rate)
        idx = np.concatenate([mm, th0 + np.arange(S, dtype=np.int32)])
        val = np.concatenate([np.full(m, -ell), np.ones(S)])
        h.addRows(1, np.array([-inf]), np.array([0.0]), idx.size, np.array([0], np.int32), idx,
                  val)
        el_row, nrow = nrow, nrow + 1
    if has_es:
        alpha, e_star = float(prob.es_alpha), float(prob.es_rate)
        w_s = np.asarray(prob.pair_scenario_weight, dtype=float)[first_pair]
        idx = np.concatenate([mm, [t_col], z0 + np.arange(S)]).astype(np.int32)
        val = np.concatenate([np.full(m, -e_star), [1.0], w_s / (1.0 - alpha)])
        h.addRows(1, np.array([-inf]), np.array([0.0]), idx.size, np.array([0], np.int32), idx,
                  val)
        es_row, nrow = nrow, nrow + 1
    if prob.leverage_cap is not None:
        h.addRows(1, np.array([-inf]), np.array([float(prob.leverage_cap)]), m,
                  np.array([0], np.int32), mm, np.ones(m))
        lev_row, nrow = nrow, nrow + 1
    first_cut_row = nrow

    # every cut's scenario duals, kept to rebuild the full programme's duals at the end
    store = {k: [] for k in ("pair", "pval", "pid", "scen", "pi", "eid", "erow", "eval", "gid",
                             "gidx", "gval")}
    n_cuts = n_solves = 0

    def losses(L):
        """Each limit's pair losses, pair duals, fund duals and scenario totals at L."""
        x = np.maximum(prob.pair_lgd * L[prob.pair_loan] - prob.pair_cover, 0.0)
        out = {}
        for k, w in weights.items():
            u, y, pi = np.zeros(P), np.zeros(P), np.zeros(S)
            extra = None
            if simple_pairs.size:
                uk, yk, pik = knaps[k].evaluate(x)
                u[knaps[k].pairs] = uk
                y[knaps[k].pairs] = yk
                pi[knap_scen] = pik
            if comps:
                c = comps[k]
                uc, yc, pic, rho, sig = c.evaluate(L)
                u[c.pairs] = uc
                y[c.pairs] = yc
                if pic.size:
                    pi[c.scen_labels] = pic
                extra = (rho, sig)
            out[k] = (u, y, pi, np.bincount(scen, w * u, S), extra)
        return out

    def add_cuts(kind, L, sel, res):
        """Rows  g·L - var_s (- t) <= -(value - g·L̂)  for the scenarios ``sel``."""
        nonlocal nrow, n_cuts
        u, y, pi, H, extra = res
        k = sel.size
        if k == 0:
            return
        cut_of = np.full(S, -1, dtype=np.int64)
        cut_of[sel] = np.arange(k)
        p = np.flatnonzero((cut_of[scen] >= 0) & (y > 0))
        cid = cut_of[scen[p]]
        order = np.argsort(cid, kind="stable")
        p, cid = p[order], cid[order]
        coef = y[p] * prob.pair_lgd[p]
        const = H[sel] - np.bincount(cid, coef * L[prob.pair_loan[p]], k)
        extra_cols = 2 if kind == "es" else 1
        cnt = np.bincount(cid, minlength=k)
        starts = np.zeros(k, dtype=np.int64)
        starts[1:] = np.cumsum(cnt + extra_cols)[:-1]
        nnz = int(cnt.sum()) + extra_cols * k
        index = np.empty(nnz, dtype=np.int32)
        value = np.empty(nnz)
        offs = np.repeat(starts, cnt) + (np.arange(p.size) - np.repeat(np.cumsum(cnt) - cnt, cnt))
        index[offs] = prob.pair_loan[p]
        value[offs] = coef
        tail = starts + cnt
        index[tail] = (th0 if kind == "el" else z0) + sel
        value[tail] = -1.0
        if kind == "es":
            index[tail + 1] = t_col
            value[tail + 1] = -1.0
        h.addRows(k, np.full(k, -inf), -const, nnz, starts.astype(np.int32), index, value)
        store["pair"].append(p)
        store["pval"].append(y[p])
        store["pid"].append(n_cuts + cid)
        store["scen"].append(sel)
        store["pi"].append(pi[sel])
        if extra is not None:
            c = comps[kind]
            rho, sig = extra
            got = np.zeros(S, dtype=bool)
            got[sel] = True
            gs = scen[prob.guarantee_pair[c.gsel]]
            if c.equity_rows.size:
                er = prob.guarantee_equity_row[c.gsel]
                has = er >= 0
                row_s = np.full(c.equity_rows.size, -1, dtype=np.int64)
                row_s[np.searchsorted(c.equity_rows, er[has])] = gs[has]
                ok = (row_s >= 0) & got[np.maximum(row_s, 0)] & (rho > 0)
                store["eid"].append(n_cuts + cut_of[row_s[ok]])
                store["erow"].append(c.equity_rows[ok])
                store["eval"].append(rho[ok])
            ok = got[gs] & (sig > 0)
            store["gid"].append(n_cuts + cut_of[gs[ok]])
            store["gidx"].append(c.gsel[ok])
            store["gval"].append(sig[ok])
        n_cuts += k
        nrow += k

    def converge(L):
        """Solve the master and add cuts until the scenarios' losses are met (or it stalls)."""
        nonlocal n_solves
        stalled, last_excess = 0, np.inf
        for _ in range(max_iterations):
            n_solves += 1
            h.run()
            ms = h.getModelStatus()
            if ms == highspy.HighsModelStatus.kInfeasible:
                return "infeasible", L, None
            if ms != highspy.HighsModelStatus.kOptimal:
                raise ConvergenceError("the master programme failed: " + h.modelStatusToString(ms))
            col = np.asarray(h.getSolution().col_value)
            L = np.clip(col[:m], prob.lower, prob.upper)
            res = losses(L)
            total = float(L.sum())
            # L is the programme's optimum once it meets the true limits (the master is a
            # relaxation with the same objective); the cuts' slack elsewhere does not matter
            gaps, bars, over = {}, {}, {}
            if has_el:
                gaps["el"] = res["el"][3] - col[th0 : th0 + S]
                bars["el"] = tol * max(ell * total, 1.0)
                over["el"] = (res["el"][3].sum() - ell * total) / bars["el"]
            if has_es:
                t = col[t_col]
                short = np.maximum(res["es"][3] - t, 0.0) * w_s / (1.0 - alpha)
                # a scenario's excess enters the limit with weight w_s / (1 - alpha)
                gaps["es"] = short - col[z0 : z0 + S] * w_s / (1.0 - alpha)
                bars["es"] = tol * max(e_star * total, 1.0)
                over["es"] = (t + short.sum() - e_star * total) / bars["es"]
            excess = max(over.values())
            if excess <= 1.0:
                return "optimal", L, res
            # a cut the master already meets to within its tolerance brings nothing new: if
            # the excess stops falling, the master's rounding, not the cuts, limits accuracy
            stalled = stalled + 1 if excess >= (1.0 - 1e-3) * last_excess else 0
            if stalled >= 5:
                return "stalled", L, res
            last_excess = excess
            for k, g in gaps.items():
                if over[k] <= 1.0:
                    continue
                sel = np.flatnonzero(g > bars[k] / max(S, 1))
                add_cuts(k, L, sel if sel.size else np.flatnonzero(g > 0), res[k])
        return "stalled", L, None

    L = np.asarray(prob.upper if start is None else start, dtype=float).copy()
    res0 = losses(L)
    for k, r in res0.items():
        add_cuts(k, L, np.flatnonzero(r[3] > 0), r)
    status, L, res = converge(L)
    loss = (res["el"] if has_el else res["es"])[0] if res is not None else np.zeros(P)
    if status != "optimal":
        return CutSolution(status, L, loss, iterations=n_solves, cuts=n_cuts)
    sol = h.getSolution()
    rd = -np.asarray(sol.row_dual)
    beta = np.maximum(rd[first_cut_row:nrow], 0.0)

    def cat(key, dt=float):
        xs = store[key]
        return np.concatenate(xs) if xs else np.empty(0, dt)

    pair_dual = np.bincount(cat("pair", np.int64), beta[cat("pid", np.int64)] * cat("pval"), P)
    fund_dual = np.bincount(cat("scen", np.int64), beta[:n_cuts] * cat("pi"), S)
    E = prob.equity.size
    equity_dual = (
        np.bincount(cat("erow", np.int64), beta[cat("eid", np.int64)] * cat("eval"), E)
        if E
        else np.zeros(0)
    )
    guarantee_dual = np.bincount(
        cat("gidx", np.int64), beta[cat("gid", np.int64)] * cat("gval"), prob.guarantee_pair.size
    )
    loan_dual = np.asarray(sol.col_dual)[:m].copy()
    lex = None
    if leximin_rounds > 0:
        lex = _leximin_by_cuts(
            h, converge, m, prob.lower, prob.upper, float(L.sum()), tie_tol, leximin_rounds, L
        )
    return CutSolution(
        "optimal",
        L,
        loss,
        leximin_loans=lex,
        el_dual=float(max(rd[el_row], 0.0)) if el_row >= 0 else 0.0,
        es_dual=float(max(rd[es_row], 0.0)) if es_row >= 0 else 0.0,
        leverage_dual=float(max(rd[lev_row], 0.0)) if lev_row >= 0 else 0.0,
        loan_dual=loan_dual,
        pair_dual=pair_dual,
        fund_dual=fund_dual,
        equity_dual=equity_dual,
        guarantee_dual=guarantee_dual,
        iterations=n_solves,
        cuts=n_cuts,
    )


def _leximin_by_cuts(h, converge, m, lower, upper, total, tie_tol, max_rounds, loans):
    """Leximin fill ratios among allocations within ``tie_tol`` of the best total, on the
    master with its cuts (the rounds of :func:`alliance.network.allocation.solve_programme`'s
    tie-break: maximise the smallest fill ratio τ of the members not yet fixed, fix those
    its duals show blocked, repeat; cuts are added in every round as the loans move)."""
    import highspy

    inf = highspy.kHighsInf
    gap = upper - lower
    free = gap > 1e-12 * np.maximum(upper, 1.0)
    if not free.any():
        return loans.copy()
    ncol = h.getNumCol()
    tau = ncol
    h.addCol(-1.0, 0.0, 1.0, 0, np.empty(0, np.int32), np.empty(0))
    h.changeColsCost(m, np.arange(m, dtype=np.int32), np.zeros(m))
    h.addRows(
        1, np.array([-inf]), np.array([-(total - tie_tol * max(abs(total), 1.0))]), m,
        np.array([0], np.int32), np.arange(m, dtype=np.int32), -np.ones(m),
    )
    floor = lower.copy()
    fixed = ~free
    best = loans.copy()
    last_tau = -1.0
    fill_rows = np.empty(0, np.int32)
    for _ in range(max_rounds):
        act = np.flatnonzero(~fixed)
        if act.size == 0:
            break
        if fill_rows.size:  # the last round's rows are switched off
            h.changeRowsBounds(
                fill_rows.size, fill_rows, np.full(fill_rows.size, -inf),
                np.full(fill_rows.size, inf),
            )
        k = act.size
        first = h.getNumRow()
        # -L_i + gap_i tau <= -lower_i for the members not yet fixed
        idx = np.empty(2 * k, np.int32)
        idx[0::2], idx[1::2] = act, tau
        val = np.empty(2 * k)
        val[0::2], val[1::2] = -1.0, gap[act]
        h.addRows(
            k, np.full(k, -inf), -lower[act], 2 * k, np.arange(0, 2 * k, 2, dtype=np.int32),
            idx, val,
        )
        fill_rows = np.arange(first, first + k, dtype=np.int32)
        h.changeColsBounds(m, np.arange(m, dtype=np.int32), floor, upper)
        status, L, _ = converge(best)
        if status != "optimal":
            break
        sol = h.getSolution()
        t = float(np.asarray(sol.col_value)[tau])
        best = L
        if t >= 1.0 - 1e-12:
            break
        y = -np.asarray(sol.row_dual)[first : first + k]
        fix_blocked(act, y, (L[act] - lower[act]) / gap[act], t, last_tau, lower, upper, floor,
                    fixed)
        last_tau = t
    return best


def fix_blocked(act, duals, ratio, tau, last_tau, lower, upper, floor, fixed) -> None:
    """One leximin round's end: fix the members the fill rows' duals show blocked at fill
    ratio ``tau`` (``floor`` and ``fixed`` updated in place; arrays over the loans).

    Shared by the whole programme's tie-break and the cuts master's. With degenerate duals
    (none positive) or no progress since ``last_tau``, every member at the smallest ratio is
    fixed, so each round fixes at least one member.

    Parameters
    ----------
    act : numpy.ndarray
        Indices of the members not yet fixed (the fill rows' order).
    duals : numpy.ndarray
        The fill rows' duals (≥ 0; positive: the row blocks τ).
    ratio : numpy.ndarray
        Their fill ratios at the round's optimum.
    tau, last_tau : float
        This round's and the previous round's smallest fill ratio.
    lower, upper : numpy.ndarray
        The loans' bounds.
    floor, fixed : numpy.ndarray
        The loans' floors and the fixed flags, updated.

    Examples
    --------
    >>> import numpy as np
    >>> floor, fixed = np.zeros(3), np.zeros(3, bool)
    >>> fix_blocked(np.arange(3), np.array([0.0, 0.5, 0.0]), np.array([0.2, 0.2, 0.9]), 0.2,
    ...             -1.0, np.zeros(3), np.full(3, 10.0), floor, fixed)
    >>> floor.tolist(), fixed.tolist()
    ([0.0, 2.0, 0.0], [False, True, False])
    """
    blocked = act[duals > 1e-9]
    if blocked.size == 0 or tau <= last_tau + 1e-9:
        # degenerate duals, or no progress: fix every member at the smallest ratio
        blocked = np.union1d(blocked, act[ratio <= tau + 1e-9])
    floor[blocked] = np.minimum(lower[blocked] + tau * (upper[blocked] - lower[blocked]),
                                upper[blocked])
    fixed[blocked] = True
