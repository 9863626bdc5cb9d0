r"""The alliance limit of version 2: programme, cumulative contagion iteration and the check.

1. Solve the relaxed programme (:mod:`alliance.network.allocation`) on the scenarios'
   primary default sets: its optimum, without contagion, is the **upper bound**.
2. Run the true rules (:mod:`alliance.network.contagion`: pro-rata fund, guarantee calls,
   trade losses, the full cascade) at the programme's allocation; add the defaults the cascade
   finds to the default sets, cumulatively (a default is never dropped, so the iteration
   cannot cycle), and solve again, until no new default appears.
3. Check the final allocation with the true rules on *check* scenarios (fresh Monte Carlo
   scenarios, or the same exact enumeration); if it fails a limit, shrink it towards the
   standalone limits, :math:`L(\theta) = L^0 + \theta (L^* - L^0)`, to the largest
   :math:`\theta` that passes (bisection). The checked allocation is the **lower bound** and
   the answer.

If no allocation meets participation and the limits, the alliance is *not viable* for this
bank, and the failing constraint is named.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

import numpy as np
import scipy.sparse as sp

from alliance.network.allocation import Mechanisms, ProgrammeSolution, solve_programme
from alliance.network.contagion import CascadeEngine, Topology, Totals
from alliance.network.limit import weighted_quantile
from alliance.network.policy import BankPolicy
from alliance.network.scenarios import ScenarioSet
from alliance.network.tails import member_tail_risk

__all__ = [
    "AllianceSolution",
    "solve_alliance",
    "solve_coalitions",
    "configured_topology",
    "ratio_scale",
]

#: Every mechanism on (the default configuration).
ALL_ON = Mechanisms()


@dataclass
class AllianceSolution:
    """The solved alliance (the public result built from it is CreditMarginReport).

    Returned by :func:`solve_alliance`.

    Parameters
    ----------
    viable : bool
        Some allocation meets participation and the bank's limits.
    loans : numpy.ndarray
        (n,) the checked allocation in node order (the standalone limits if not viable).
    limit : float
        The checked total, the alliance limit (a lower bound).
    upper_bound : float
        The programme's optimum.
    failing : str or None
        The constraint that makes the alliance not viable.
    programme : ProgrammeSolution or None
        The last solve of the programme.
    totals : Totals or None
        The true rules at the checked allocation, on the check scenarios.
    expected_loss : float
        The bank's expected loss at the checked allocation (ratio estimator).
    expected_shortfall, value_at_risk : float or None
        The portfolio's tail measures when the policy limits them.
    standard_error : float
        Monte Carlo standard error of the limit (0 for exact scenarios).
    shrink : float
        The share ``θ`` of the way from the standalone limits to the programme's allocation
        that passed the check (1: no shrinking).
    iterations : int
        Rounds of the contagion iteration.
    contagion_defaults_added : int
        (scenario, node) defaults the cascade added to the default sets.
    extra : dict
        Diagnostics: ``why_shrunk`` (the limit that made the check shrink) and
        ``tie_break``.

    Examples
    --------
    >>> import numpy as np
    >>> from alliance.network import AllianceNetwork, BankPolicy
    >>> net = AllianceNetwork()
    >>> net.add_member("A", demand=200, pd=0.04, lgd=0.5)
    >>> net.add_member("B", demand=100, pd=0.0, lgd=0.5, equity=1000)
    >>> net.add_chain("B", "A", kind="guarantee", amount=40)
    >>> topo, sc = net.topology(), net.scenarios("exact")
    >>> sol = solve_alliance(topo, sc, sc, BankPolicy(max_el_rate=0.005),
    ...                      present=np.ones(2, bool), lower=np.array([0.0, 100.0]),
    ...                      upper=topo.demand)
    >>> sol.viable, sol.loans.round(6).tolist(), round(sol.limit, 6), sol.shrink
    (True, [140.0, 100.0], 240.0, 1.0)
    """

    viable: bool
    loans: np.ndarray  # (n,) checked allocation, node order
    limit: float  # checked total (lower bound)
    upper_bound: float  # programme's optimum
    failing: str | None
    programme: ProgrammeSolution | None
    totals: Totals | None  # true rules at the checked allocation (check scenarios)
    expected_loss: float = 0.0  # ratio estimator
    expected_shortfall: float | None = None
    value_at_risk: float | None = None
    standard_error: float = 0.0
    shrink: float = 1.0  # theta of the check
    iterations: int = 0
    contagion_defaults_added: int = 0
    extra: dict = field(default_factory=dict)


def configured_topology(topo: Topology, mech: Mechanisms) -> Topology:
    """The topology the true rules see with some mechanisms off.

    Fund off: no fund, members keep their contributions as equity. Guarantees off: no
    guarantee chains. (Pledges and pooling are switches of the engine and the check.)

    Parameters
    ----------
    topo : Topology
        The network with every mechanism.
    mech : Mechanisms
        Which mechanisms are on.

    Returns
    -------
    Topology
        ``topo`` itself when the fund and the guarantees are on.

    Examples
    --------
    >>> import numpy as np
    >>> from alliance.network import AllianceNetwork, BankPolicy
    >>> net = AllianceNetwork()
    >>> net.add_member("A", demand=200, pd=0.04, lgd=0.5)
    >>> net.add_member("B", demand=100, pd=0.0, lgd=0.5, equity=1000)
    >>> net.add_chain("B", "A", kind="guarantee", amount=40)
    >>> topo, sc = net.topology(), net.scenarios("exact")
    >>> configured_topology(topo, Mechanisms(guarantees=False)).g_amt.size
    0
    """
    t = topo
    if not mech.fund:
        t = replace(
            t,
            equity=t.equity + np.where(t.is_member, t.fund, 0.0),
            fund=np.zeros(t.n),
        )
    if not mech.guarantees and t.g_amt.size:
        t = t.with_guarantees([], [], [])
    return t


def ratio_scale(topo: Topology, sc: ScenarioSet) -> np.ndarray:
    """The ratio estimator's scale of each node's own-default losses, ``p_i / p̂_i``.

    ``p̂_i`` is the node's default rate in the scenarios (weighted); the scale is 1 for
    nodes that never default, that default in no scenario, or whose rate is already exact.

    Parameters
    ----------
    topo : Topology
        The network (its ``pd``).
    sc : ScenarioSet
        The scenarios.

    Returns
    -------
    numpy.ndarray
        One scale per node.

    Examples
    --------
    ``A`` (pd 4 %) defaults in one scenario of four (``p̂ = 0.25``):

    >>> import numpy as np
    >>> from alliance.network import AllianceNetwork, BankPolicy
    >>> net = AllianceNetwork()
    >>> net.add_member("A", demand=200, pd=0.04, lgd=0.5)
    >>> net.add_member("B", demand=100, pd=0.0, lgd=0.5, equity=1000)
    >>> net.add_chain("B", "A", kind="guarantee", amount=40)
    >>> topo, sc = net.topology(), net.scenarios("exact")
    >>> import scipy.sparse as sp
    >>> from alliance.network.scenarios import ScenarioSet
    >>> four = ScenarioSet(sp.csr_matrix([[1, 0], [0, 0], [0, 0], [0, 0]], dtype=bool))
    >>> ratio_scale(topo, four).round(6).tolist(), ratio_scale(topo, sc).tolist()
    ([0.16, 1.0], [1.0, 1.0])
    """
    w = sc.weights
    phat = np.asarray(sc.defaults.T.astype(float) @ w).ravel()
    with np.errstate(divide="ignore", invalid="ignore"):
        scale = np.where(phat > 0, topo.pd / phat, 1.0)
    scale = np.where(topo.pd > 0, scale, 1.0)
    return np.where(np.abs(scale - 1.0) < 1e-12, 1.0, scale)


def _weighted_se(x: np.ndarray, w: np.ndarray, mult: np.ndarray | None = None) -> float:
    m = float(w @ x)
    if mult is None:
        # w·x is a mean of S terms S·w_s·x_s: its variance is that of those terms over S.
        # Under importance sampling (w = LR/S, summing to 1 only on average) the centring
        # must be m/S per term, not w_s·m; for plain weights 1/S the two agree.
        return float(np.sqrt(np.sum((w * x - m / x.size) ** 2)))
    return float(np.sqrt(np.sum(w * w / mult * (x - m) ** 2)))


@dataclass
class _Checker:
    """Evaluate the true rules at an allocation on the check scenarios."""

    topo: Topology
    sc: ScenarioSet
    policy: BankPolicy
    present: np.ndarray
    mech: Mechanisms
    void_prob: float
    trade_contagion: bool
    backend: str = "numpy"
    chunk_defaults: int = 1_000_000

    def __post_init__(self) -> None:
        self.engine = CascadeEngine(
            self.topo,
            self.sc,
            self.present[None, :],
            self.void_prob,
            max_pairs=self.chunk_defaults,
            backend=self.backend,
            pledge=self.mech.pledges,
            haircut=float(self.policy.receivable_haircut),
            trade_contagion=self.trade_contagion,
        )
        self.scale = ratio_scale(self.topo, self.sc)
        self.tails = self.policy.has_es_limit or self.policy.has_var_limit

    def evaluate(self, loans: np.ndarray, *, losses: bool | None = None) -> Totals:
        want = self.tails if losses is None else losses
        # member by member (pooling off) the tail limits need each member's own losses
        pairs = bool(want and not self.mech.pooling)
        return self.engine.evaluate(loans[None, :], losses=want, nodes=True, pairs=pairs)

    def node_el(self, tot: Totals) -> np.ndarray:
        """Each node's expected loss under the ratio estimator."""
        nl, npl = tot.node_loss[0], tot.node_primary_loss[0]
        return self.scale * npl + (nl - npl)

    def passes(self, loans: np.ndarray, tot: Totals | None = None) -> tuple[bool, str | None]:
        excess, why = self.excess(loans, tot)
        return excess <= 0.0, why

    def excess(self, loans: np.ndarray, tot: Totals | None = None) -> tuple[float, str | None]:
        """How far the allocation exceeds the limits (its worst limit, in units of credit;
        <= 0: it passes) and which limit that is (None if it passes)."""
        tot = self.evaluate(loans) if tot is None else tot
        pol = self.policy
        total = float(loans[self.topo.is_member].sum())
        tol = 1e-9 * max(total, 1.0)
        el = self.node_el(tot)
        worst, why = -np.inf, None

        def see(value: float, name: str) -> None:
            nonlocal worst, why
            if value > worst:
                worst = value
                why = name if value > 0 else None

        if pol.has_el_limit:
            if self.mech.pooling:
                see(el.sum() - pol.el_rate * total - tol, "expected_loss")
            else:
                over = el - pol.el_rate * loans - 1e-9 * np.maximum(loans, 1.0)
                if np.any(self.topo.is_member):
                    see(float(over[self.topo.is_member].max()), "expected_loss")
        if tot.losses is not None:
            x = tot.losses[0]
            w = self.sc.weights
            if pol.has_es_limit and self.mech.pooling:
                a = float(pol.es_alpha)
                t = float(weighted_quantile(x[None, :], w, a)[0])
                es = t + float(w @ np.maximum(x - t, 0.0)) / (1 - a)
                see(es - float(pol.max_es_rate) * total - tol, "expected_shortfall")
            if pol.has_var_limit and self.mech.pooling:
                v = float(weighted_quantile(x[None, :], w, float(pol.var_alpha))[0])
                see(v - float(pol.max_var_rate) * total - tol, "value_at_risk")
        if tot.pair_losses is not None and not self.mech.pooling:
            # without pooling the bank holds each loan to the tail limits on its own
            keys, node, loss = tot.pair_losses
            mem = self.topo.is_member & (loans > 0)
            slack = 1e-9 * np.maximum(loans, 1.0)
            n, S = self.topo.n, self.sc.n_scenarios
            if pol.has_es_limit and mem.any():
                _, es = member_tail_risk(keys % S, node, loss, self.sc.weights, pol.es_alpha, n)
                over = es - float(pol.max_es_rate) * loans - slack
                see(float(over[mem].max()), "expected_shortfall")
            if pol.has_var_limit and mem.any():
                var, _ = member_tail_risk(keys % S, node, loss, self.sc.weights, pol.var_alpha, n)
                over = var - float(pol.max_var_rate) * loans - slack
                see(float(over[mem].max()), "value_at_risk")
        return (float(worst) if np.isfinite(worst) else -1.0), why


def largest_passing_share(excess, lo: float, hi: float, g_lo: float, g_hi: float, tol: float):
    """The largest theta in [lo, hi] with ``excess(theta) <= 0``, to within ``tol``.

    ``excess(lo) = g_lo <= 0 < g_hi = excess(hi)``. The ITP method (interpolate, truncate,
    project; Oliveira & Takahashi 2021): a regula falsi step, truncated towards the midpoint
    and projected into a shrinking ball around it, so it needs at most a couple of
    evaluations more than bisection (where a tail limit makes the excess jump), and far
    fewer where the excess is piecewise linear (expected-loss limits). Returns ``lo`` with ``hi - lo <= tol``,
    ``excess(lo) <= 0 < excess(hi)`` (the bracket bisection would certify).

    References
    ----------
    Oliveira, I. F. D. & Takahashi, R. H. C. (2021). An enhancement of the bisection method
    average performance preserving minmax optimality. *ACM Transactions on Mathematical
    Software*, 47(1), 5.
    """
    eps = 0.5 * tol
    if hi - lo <= 2 * eps:
        return lo
    n_max = int(np.ceil(np.log2((hi - lo) / (2 * eps)))) + 1
    kappa1, kappa2 = 0.2 / (hi - lo), 2.0
    j = 0
    while hi - lo > 2 * eps:
        half = 0.5 * (lo + hi)
        r = eps * 2.0 ** (n_max - j) - 0.5 * (hi - lo)
        delta = kappa1 * (hi - lo) ** kappa2
        falsi = (g_hi * lo - g_lo * hi) / (g_hi - g_lo) if g_hi > g_lo else half
        sigma = np.sign(half - falsi)
        x_t = falsi + sigma * delta if delta <= abs(half - falsi) else half
        x = x_t if abs(x_t - half) <= r else half - sigma * r
        x = min(max(x, lo), hi)
        if x in (lo, hi):  # rounding: fall back to the midpoint
            x = half
        g = excess(x)
        if g <= 0.0:
            lo, g_lo = x, g
        else:
            hi, g_hi = x, g
        j += 1
    return lo


def _contagion_events(engine: CascadeEngine, loans: np.ndarray, S: int) -> np.ndarray:
    """Keys s * n + node of the defaults the cascade adds to the primary ones."""
    tot = engine.evaluate(loans[None, :], events=True)
    bs, node, rnd = tot.events
    keep = rnd > 0
    s = bs[keep] % S
    return np.unique(s * engine.topo.n + node[keep])


def solve_alliance(
    topo: Topology,
    sc: ScenarioSet,
    check_sc: ScenarioSet,
    policy: BankPolicy,
    *,
    present: np.ndarray,
    lower: np.ndarray,
    upper: np.ndarray,
    mech: Mechanisms = ALL_ON,
    void_prob: float = 0.0,
    trade_contagion: bool = False,
    fund_cap: float | None = None,
    leximin: bool = True,
    max_iterations: int = 20,
    backend: str = "numpy",
    chunk_defaults: int = 1_000_000,
    shrink_tol: float = 1e-9,
    details: bool = True,
) -> AllianceSolution:
    """Programme, cumulative contagion iteration and check (see the module docstring).

    Parameters
    ----------
    topo : Topology
        The network with every mechanism (:func:`configured_topology` is applied here).
    sc : ScenarioSet
        The scenarios of the programme and the contagion iteration.
    check_sc : ScenarioSet
        The scenarios of the check with the true rules (fresh ones, or ``sc`` when exact).
    policy : BankPolicy
        The bank's limits.
    present : numpy.ndarray
        Bool (n,): nodes in the alliance.
    lower, upper : numpy.ndarray
        (n,) bounds of each member's loan: the standalone limits (participation) and the
        demands; 0 elsewhere.
    mech : Mechanisms
        Which mechanisms are on (default: all).
    void_prob : float
        Probability ``q`` that a guarantee is void.
    trade_contagion : bool
        Trade shortfalls of defaulters reduce their creditors' equity.
    fund_cap : float, optional
        The fund's leverage cap ``m F`` on the total (with the fund on).
    leximin : bool
        Break ties leximin on the fill ratios (kept only if it passes the check).
    max_iterations : int
        Most rounds of the contagion iteration.
    backend : {"numpy", "dask"}
        Backend of the cascade engine.
    chunk_defaults : int
        Rough bound on the defaults the cascade processes at once.
    shrink_tol : float
        Tolerance on ``θ`` when the allocation is shrunk towards the standalone limits.
    details : bool
        Compute the Monte Carlo standard error of the limit.

    Returns
    -------
    AllianceSolution

    References
    ----------
    Oliveira, I. F. D. & Takahashi, R. H. C. (2021). An enhancement of the bisection method
    average performance preserving minmax optimality. *ACM Transactions on Mathematical
    Software*, 47(1), 5.

    Examples
    --------
    ``A`` is guaranteed 40 by ``B``; the bank allows an expected loss of 0.5 % of the total:

    >>> import numpy as np
    >>> from alliance.network import AllianceNetwork, BankPolicy
    >>> net = AllianceNetwork()
    >>> net.add_member("A", demand=200, pd=0.04, lgd=0.5)
    >>> net.add_member("B", demand=100, pd=0.0, lgd=0.5, equity=1000)
    >>> net.add_chain("B", "A", kind="guarantee", amount=40)
    >>> topo, sc = net.topology(), net.scenarios("exact")
    >>> sol = solve_alliance(topo, sc, sc, BankPolicy(max_el_rate=0.005),
    ...                      present=np.ones(2, bool), lower=np.array([0.0, 100.0]),
    ...                      upper=topo.demand)
    >>> round(sol.limit, 6), round(sol.upper_bound, 6), round(sol.expected_loss, 6)
    (240.0, 240.0, 1.2)
    """
    t = configured_topology(topo, mech)
    n, S = t.n, sc.n_scenarios
    scale = ratio_scale(t, sc)
    defaults = sc.defaults.tocsr().astype(bool)
    kw = dict(
        present=present,
        lower=lower,
        upper=upper,
        mech=mech,
        primary_scale=scale,
        void_prob=void_prob,
        trade_contagion=trade_contagion,
        fund_cap=fund_cap if mech.fund else None,
    )
    # the limit comes from the programme's optimal vertex; the leximin tie-break is applied at
    # the end, on the final default sets, and kept only if it passes the same check (so that a
    # sub-alliance's limit does not depend on the tie-break: credit shares stay consistent)
    sol = solve_programme(t, sc, policy, defaults=defaults, leximin=False, **kw)
    dmat = defaults
    if sol.status != "optimal":
        return AllianceSolution(
            False, lower.copy(), float(lower.sum()), float("nan"), sol.failing, sol, None
        )
    upper_bound = sol.total
    # contagion: only guarantee calls and trade losses make defaults beyond the primary ones
    can_spread = (mech.guarantees and t.g_amt.size > 0) or (
        trade_contagion and t.t_amt is not None and t.t_amt.size > 0
    )
    iterations, added = 0, 0
    if can_spread:
        engine = CascadeEngine(
            t,
            sc,
            present[None, :],
            void_prob,
            max_pairs=chunk_defaults,
            backend=backend,
            pledge=mech.pledges,
            haircut=float(policy.receivable_haircut),
            trade_contagion=trade_contagion,
        )
        base = np.unique(_keys(defaults, n))
        extra = np.empty(0, dtype=np.int64)
        for iterations in range(1, max_iterations + 1):
            new = _contagion_events(engine, sol.loans, S)
            new = np.setdiff1d(new, extra)
            new = np.setdiff1d(new, base)
            if new.size == 0:
                break
            extra = np.union1d(extra, new)
            allk = np.union1d(base, extra)
            dmat = sp.csr_matrix(
                (np.ones(allk.size, dtype=bool), (allk // n, allk % n)), shape=(S, n)
            )
            nxt = solve_programme(
                t, sc, policy, defaults=dmat, leximin=False, start=sol.loans, **kw
            )
            if nxt.status != "optimal":
                # the cascade's defaults make even L⁰ fail: not viable with contagion
                return AllianceSolution(
                    False,
                    lower.copy(),
                    float(lower.sum()),
                    upper_bound,
                    nxt.failing,
                    nxt,
                    None,
                    iterations=iterations,
                )
            sol = nxt
        added = int(extra.size)
    checker = _Checker(
        t,
        check_sc,
        policy,
        np.asarray(present, bool),
        mech,
        void_prob,
        trade_contagion,
        backend,
        chunk_defaults,
    )
    target = sol.loans
    tot = checker.evaluate(target)
    ok, why = checker.passes(target, tot)
    theta = 1.0
    tie_break = "none"
    if ok and leximin:
        lex = solve_programme(t, sc, policy, defaults=dmat, leximin=True, **kw)
        tie_break = "vertex (the leximin allocation failed the check)"
        if lex.status == "optimal":
            tot_lex = checker.evaluate(lex.loans)
            if checker.passes(lex.loans, tot_lex)[0]:
                target, tot, tie_break = lex.loans, tot_lex, "leximin"
                sol = replace(sol, loans=lex.loans)
    if not ok:
        tot0 = checker.evaluate(lower)
        ok0, why0 = checker.passes(lower, tot0)
        if not ok0:
            return AllianceSolution(
                False,
                lower.copy(),
                float(lower.sum()),
                upper_bound,
                f"{why0.replace('_', ' ')} limit under the true rules at the standalone "
                "limits (participation)",
                sol,
                tot0,
                iterations=iterations,
                contagion_defaults_added=added,
            )
        g0, _ = checker.excess(lower, tot0)
        g1, _ = checker.excess(target, tot)
        theta = largest_passing_share(
            lambda th: checker.excess(lower + th * (target - lower))[0],
            0.0,
            1.0,
            g0,
            g1,
            shrink_tol,
        )
        target = lower + theta * (target - lower)
        tot = checker.evaluate(target)
    node_el = checker.node_el(tot)
    total = float(target[t.is_member].sum())
    out = AllianceSolution(
        True,
        target,
        total,
        upper_bound,
        None,
        sol,
        tot,
        expected_loss=float(node_el.sum()),
        shrink=theta,
        iterations=iterations,
        contagion_defaults_added=added,
    )
    out.extra["why_shrunk"] = why
    out.extra["tie_break"] = tie_break
    if tot.losses is not None:
        x, w = tot.losses[0], check_sc.weights
        if policy.has_es_limit:
            a = float(policy.es_alpha)
            tq = float(weighted_quantile(x[None, :], w, a)[0])
            out.expected_shortfall = tq + float(w @ np.maximum(x - tq, 0.0)) / (1 - a)
        if policy.has_var_limit:
            out.value_at_risk = float(weighted_quantile(x[None, :], w, float(policy.var_alpha))[0])
    # Monte Carlo standard error of the limit: delta method through the limits' duals
    if not check_sc.is_exact and details:
        x = tot.losses[0] if tot.losses is not None else None
        if x is None:
            x = checker.evaluate(target, losses=True).losses[0]
        w = check_sc.weights
        var = (sol.el_dual * sol.el_standard_error) ** 2 if mech.pooling else 0.0
        if policy.has_es_limit and mech.pooling:
            a = float(policy.es_alpha)
            tq = float(weighted_quantile(x[None, :], w, a)[0])
            # only the tail term is random given tq (a constant shifts nothing when the
            # weights sum to 1, but importance weights do so only on average)
            h = np.maximum(x - tq, 0.0) / (1 - a)
            y_es = sol.duals.get("max_es_rate", 0.0) / max(total, 1e-300)
            var += (y_es * _weighted_se(h, w, multiplicity(check_sc))) ** 2
        if theta < 1.0 and why in ("expected_shortfall", "value_at_risk"):
            # the true rules' tail limit fixes the limit: delta method along the shrink ray,
            # se(L_A) = se(tail) / |d(tail - rate * total)/d theta| * d total / d theta
            var = _tail_shrink_variance(checker, lower, sol.loans, theta, why, policy)
        out.standard_error = float(np.sqrt(var))
    return out


def _tail_shrink_variance(checker, lower, target, theta, why, policy) -> float:
    from alliance.network.tails import expected_shortfall, value_at_risk

    w = checker.sc.weights
    mult = multiplicity(checker.sc)
    member = checker.topo.is_member

    def tail(th: float) -> tuple[float, float, float]:
        L = lower + th * (target - lower)
        x = checker.evaluate(L, losses=True).losses[0]
        ww = w
        if mult is not None:  # back to one entry per original scenario for the errors
            reps = mult.astype(np.int64)
            x, ww = np.repeat(x, reps), np.repeat(w / mult, reps)
        if why == "expected_shortfall":
            est, se = expected_shortfall(x, float(policy.es_alpha), ww)
            rate = float(policy.max_es_rate)
        else:
            est, se = value_at_risk(x, float(policy.var_alpha), ww)
            rate = float(policy.max_var_rate)
        return est - rate * float(L[member].sum()), se, float(L[member].sum())

    h = max(1e-3 * theta, 1e-6)
    g1, se, t1 = tail(theta)
    g0, _, t0 = tail(max(theta - h, 0.0))
    slope = (g1 - g0) / h
    dtotal = (t1 - t0) / h
    if not np.isfinite(se) or slope <= 0:
        return 0.0
    return float((se / slope * dtotal) ** 2)


def _keys(mat: sp.csr_matrix, n: int) -> np.ndarray:
    coo = mat.tocoo()
    return coo.row.astype(np.int64) * n + coo.col.astype(np.int64)


def solve_coalitions(
    topo: Topology,
    sc: ScenarioSet,
    check_sc: ScenarioSet,
    policy: BankPolicy,
    *,
    present: np.ndarray,
    lower: np.ndarray,
    upper: np.ndarray,
    fund_caps: np.ndarray | None = None,
    mech: Mechanisms = ALL_ON,
    void_prob: float = 0.0,
    trade_contagion: bool = False,
    max_iterations: int = 20,
    chunk_defaults: int = 3_000_000,
    shrink_tol: float = 1e-9,
) -> tuple[np.ndarray, np.ndarray]:
    """Alliance limits of many sub-alliances (rows of ``present``) on shared scenarios.

    One programme per sub-alliance (no tie-break: only totals matter here); the contagion
    iteration, the check and the shrinking run on all sub-alliances at once through one
    batched cascade engine. A sub-alliance that is not viable gets the sum of its members'
    standalone limits.

    Parameters
    ----------
    topo : Topology
        The network with every mechanism.
    sc : ScenarioSet
        The scenarios of the programmes and the contagion iteration.
    check_sc : ScenarioSet
        The scenarios of the check with the true rules.
    policy : BankPolicy
        The bank's limits.
    present : numpy.ndarray
        Bool (B × n): the nodes of each sub-alliance.
    lower, upper : numpy.ndarray
        (B × n) bounds of each member's loan in each sub-alliance.
    fund_caps : numpy.ndarray, optional
        (B,) the fund's leverage cap of each sub-alliance.
    mech : Mechanisms
        Which mechanisms are on (default: all).
    void_prob : float
        Probability ``q`` that a guarantee is void.
    trade_contagion : bool
        Trade shortfalls of defaulters reduce their creditors' equity.
    max_iterations : int
        Most rounds of the contagion iteration.
    chunk_defaults : int
        Rough bound on the defaults the cascade processes at once.
    shrink_tol : float
        Tolerance on the shrink share ``θ`` (bisection).

    Returns
    -------
    tuple of numpy.ndarray
        ``(limits, viable)``, one entry per sub-alliance.

    Examples
    --------
    The alliance of ``A`` and ``B``, and ``A`` alone (no guarantee: its standalone limit 0):

    >>> import numpy as np
    >>> from alliance.network import AllianceNetwork, BankPolicy
    >>> net = AllianceNetwork()
    >>> net.add_member("A", demand=200, pd=0.04, lgd=0.5)
    >>> net.add_member("B", demand=100, pd=0.0, lgd=0.5, equity=1000)
    >>> net.add_chain("B", "A", kind="guarantee", amount=40)
    >>> topo, sc = net.topology(), net.scenarios("exact")
    >>> limits, viable = solve_coalitions(
    ...     topo, sc, sc, BankPolicy(max_el_rate=0.005),
    ...     present=np.array([[True, True], [True, False]]),
    ...     lower=np.array([[0.0, 100.0], [0.0, 0.0]]),
    ...     upper=np.array([[200.0, 100.0], [200.0, 0.0]]))
    >>> limits.round(6).tolist(), viable.tolist()
    ([240.0, 0.0], [True, True])
    """
    t = configured_topology(topo, mech)
    B, n = present.shape
    S = sc.n_scenarios
    scale = ratio_scale(t, sc)
    base_def = sc.defaults.tocsr().astype(bool)
    base_keys = np.unique(_keys(base_def, n))
    loans = lower.copy()
    viable = np.ones(B, dtype=bool)
    extra: list[np.ndarray] = [np.empty(0, dtype=np.int64) for _ in range(B)]
    caps = [None] * B if fund_caps is None else list(fund_caps)

    def solve(b: int, dmat: sp.csr_matrix) -> None:
        sol = solve_programme(
            t,
            sc,
            policy,
            present=present[b],
            lower=lower[b],
            upper=upper[b],
            mech=mech,
            defaults=dmat,
            primary_scale=scale,
            void_prob=void_prob,
            trade_contagion=trade_contagion,
            fund_cap=None if caps[b] is None or not mech.fund else float(caps[b]),
            leximin=False,
        )
        if sol.status != "optimal":
            viable[b] = False
            loans[b] = lower[b]
        else:
            loans[b] = sol.loans

    for b in range(B):
        solve(b, base_def)
    can_spread = (mech.guarantees and t.g_amt.size > 0) or (
        trade_contagion and t.t_amt is not None and t.t_amt.size > 0
    )
    kw = dict(
        pledge=mech.pledges,
        haircut=float(policy.receivable_haircut),
        trade_contagion=trade_contagion,
    )
    if can_spread:
        todo = np.flatnonzero(viable)
        for _ in range(max_iterations):
            if todo.size == 0:
                break
            eng = CascadeEngine(t, sc, present[todo], void_prob, max_pairs=chunk_defaults, **kw)
            tot = eng.evaluate(loans[todo], events=True)
            bs, node, rnd = tot.events
            keep = rnd > 0
            cfg = bs[keep] // S
            key = (bs[keep] % S) * n + node[keep]
            nxt = []
            for k_, b in enumerate(todo):
                new = np.setdiff1d(np.setdiff1d(np.unique(key[cfg == k_]), extra[b]), base_keys)
                if new.size == 0:
                    continue
                extra[b] = np.union1d(extra[b], new)
                allk = np.union1d(base_keys, extra[b])
                dmat = sp.csr_matrix(
                    (np.ones(allk.size, dtype=bool), (allk // n, allk % n)), shape=(S, n)
                )
                solve(b, dmat)
                if viable[b]:
                    nxt.append(b)
            todo = np.asarray(nxt, dtype=np.int64)
    # the check with the true rules, all sub-alliances at once
    rows = np.flatnonzero(viable)
    if rows.size:
        eng = CascadeEngine(t, check_sc, present[rows], void_prob, max_pairs=chunk_defaults, **kw)
        cscale = ratio_scale(t, check_sc)
        tails = policy.has_es_limit or policy.has_var_limit
        member = t.is_member

        def passes(L: np.ndarray) -> np.ndarray:
            tot = eng.evaluate(L, nodes=True, losses=tails)
            el = cscale * tot.node_primary_loss + (tot.node_loss - tot.node_primary_loss)
            total = (L * member).sum(axis=1)
            tol = 1e-9 * np.maximum(total, 1.0)
            ok = np.ones(L.shape[0], dtype=bool)
            if policy.has_el_limit:
                if mech.pooling:
                    ok &= el.sum(axis=1) <= policy.el_rate * total + tol
                else:
                    ok &= np.all(
                        (el <= policy.el_rate * L + 1e-9 * np.maximum(L, 1.0)) | ~member, axis=1
                    )
            if tails and mech.pooling:
                w = check_sc.weights
                if policy.has_es_limit:
                    a = float(policy.es_alpha)
                    tq = weighted_quantile(tot.losses, w, a)
                    es = tq + (np.maximum(tot.losses - tq[:, None], 0.0) @ w) / (1 - a)
                    ok &= es <= float(policy.max_es_rate) * total + tol
                if policy.has_var_limit:
                    v = weighted_quantile(tot.losses, w, float(policy.var_alpha))
                    ok &= v <= float(policy.max_var_rate) * total + tol
            return ok

        target = loans[rows]
        lo_r = lower[rows]
        ok = passes(target)
        if not ok.all():
            bad = np.flatnonzero(~ok)
            ok0 = passes(np.where(ok[:, None], target, lo_r))
            dead = bad[~ok0[bad]]
            viable[rows[dead]] = False
            loans[rows[dead]] = lower[rows[dead]]
            bad = bad[ok0[bad]]
            lo_t = np.zeros(rows.size)
            hi_t = np.ones(rows.size)
            lo_t[ok] = 1.0
            lo_t[dead] = 0.0
            hi_t[dead] = 0.0
            while np.any(hi_t[bad] - lo_t[bad] > shrink_tol):
                mid = 0.5 * (lo_t + hi_t)
                th = np.where(np.isin(np.arange(rows.size), bad), mid, lo_t)
                res = passes(lo_r + th[:, None] * (target - lo_r))
                upd = np.isin(np.arange(rows.size), bad)
                lo_t = np.where(upd & res, mid, lo_t)
                hi_t = np.where(upd & ~res, mid, hi_t)
            fixed = lo_r + lo_t[:, None] * (target - lo_r)
            keep = np.isin(np.arange(rows.size), bad)
            loans[rows[keep]] = fixed[keep]
    member = t.is_member
    limits = np.where(viable, (loans * member).sum(axis=1), (lower * member).sum(axis=1))
    return limits, viable


@dataclass(frozen=True, eq=False)
class AggregatedScenarios(ScenarioSet):
    """Scenarios with identical default patterns merged into one, with summed weights.

    ``multiplicity[k]`` is how many original scenarios pattern ``k`` stands for; standard
    errors use it, so they equal those of the original scenarios. Only valid when nothing
    else varies by scenario (no void draws with 0 < q < 1).
    """

    multiplicity: np.ndarray | None = None


def aggregate_patterns(sc: ScenarioSet) -> ScenarioSet:
    """Merge scenarios with the same primary-default pattern (sum their weights).

    Programme rows, cascade evaluations and checks then run once per distinct pattern: with
    few members or rare defaults, 10⁴ scenarios have a few hundred patterns.
    """
    if isinstance(sc, AggregatedScenarios) or getattr(sc, "sampling", "plain") != "plain":
        return sc
    d = sc.defaults.tocsr().astype(bool)
    d.sort_indices()
    S, n = d.shape
    rows = np.repeat(np.arange(S), np.diff(d.indptr))
    cols = d.indices.astype(np.int64)
    # two independent sums (mod 2**64) of random column codes identify a pattern; a collision
    # has probability about S**2 * 2**-128
    rng = np.random.default_rng(20261204)
    codes = rng.integers(0, np.iinfo(np.uint64).max, size=(2, n), dtype=np.uint64)
    s1 = np.zeros(S, dtype=np.uint64)
    s2 = np.zeros(S, dtype=np.uint64)
    np.add.at(s1, rows, codes[0, cols])
    np.add.at(s2, rows, codes[1, cols])
    nnz = np.diff(d.indptr).astype(np.uint64)
    key = np.stack([s1, s2, nnz], axis=1)
    _, first, inv, counts = np.unique(
        key, axis=0, return_index=True, return_inverse=True, return_counts=True
    )
    inv = inv.ravel()
    if first.size == S:
        return sc
    w = np.bincount(inv, sc.weights, first.size)
    return AggregatedScenarios(
        defaults=d[first],
        weights=w,
        method=sc.method,
        rho=sc.rho,
        sector_rho=sc.sector_rho,
        seed=sc.seed,
        void_key=sc.void_key,
        nodes=sc.nodes,
        multiplicity=counts.astype(float),
    )


def multiplicity(sc: ScenarioSet) -> np.ndarray | None:
    """How many original scenarios each scenario stands for (None: one each)."""
    return getattr(sc, "multiplicity", None)
