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

__all__ = ["AllianceSolution", "solve_alliance", "configured_topology", "ratio_scale"]


@dataclass
class AllianceSolution:
    """The solved alliance (internal; the public result is CreditMarginReport)."""

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
    """p_i / p̂_i, the ratio estimator's scale of each node's own-default losses."""
    w = sc.weights
    phat = np.asarray(sc.defaults.T.astype(float) @ w).ravel()
    with np.errstate(divide="ignore", invalid="ignore"):
        scale = np.where(phat > 0, topo.pd / phat, 1.0)
    scale = np.where(topo.pd > 0, scale, 1.0)
    return np.where(np.abs(scale - 1.0) < 1e-12, 1.0, scale)


def _weighted_se(x: np.ndarray, w: np.ndarray) -> float:
    m = float(w @ x)
    return float(np.sqrt(np.sum(w * w * (x - m) ** 2)))


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
        return self.engine.evaluate(loans[None, :], losses=want, nodes=True)

    def node_el(self, tot: Totals) -> np.ndarray:
        """Each node's expected loss under the ratio estimator."""
        nl, npl = tot.node_loss[0], tot.node_primary_loss[0]
        return self.scale * npl + (nl - npl)

    def passes(self, loans: np.ndarray, tot: Totals | None = None) -> tuple[bool, str | None]:
        tot = self.evaluate(loans) if tot is None else tot
        pol = self.policy
        total = float(loans[self.topo.is_member].sum())
        tol = 1e-9 * max(total, 1.0)
        el = self.node_el(tot)
        if pol.has_el_limit:
            if self.mech.pooling:
                if el.sum() > pol.el_rate * total + tol:
                    return False, "expected_loss"
            else:
                bad = el > pol.el_rate * loans + 1e-9 * np.maximum(loans, 1.0)
                if np.any(bad & self.topo.is_member):
                    return False, "expected_loss"
        if tot.losses is not None:
            x = tot.losses[0]
            w = self.sc.weights
            if pol.has_es_limit:
                a = float(pol.es_alpha)
                t = float(weighted_quantile(x[None, :], w, a)[0])
                es = t + float(w @ np.maximum(x - t, 0.0)) / (1 - a)
                if self.mech.pooling and es > float(pol.max_es_rate) * total + tol:
                    return False, "expected_shortfall"
            if pol.has_var_limit and self.mech.pooling:
                v = float(weighted_quantile(x[None, :], w, float(pol.var_alpha))[0])
                if v > float(pol.max_var_rate) * total + tol:
                    return False, "value_at_risk"
        return True, None


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
    mech: Mechanisms = Mechanisms(),
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
    """Programme, cumulative contagion iteration and check (see the module docstring)."""
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
    sol = solve_programme(t, sc, policy, defaults=defaults, leximin=leximin, **kw)
    if sol.status != "optimal":
        return AllianceSolution(False, lower.copy(), float(lower.sum()), float("nan"),
                                sol.failing, sol, None)
    upper_bound = sol.total
    # contagion: only guarantee calls and trade losses make defaults beyond the primary ones
    can_spread = (mech.guarantees and t.g_amt.size > 0) or (
        trade_contagion and t.t_amt is not None and t.t_amt.size > 0
    )
    iterations, added = 0, 0
    if can_spread:
        engine = CascadeEngine(
            t, sc, present[None, :], void_prob, max_pairs=chunk_defaults, backend=backend,
            pledge=mech.pledges, haircut=float(policy.receivable_haircut),
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
            nxt = solve_programme(t, sc, policy, defaults=dmat, leximin=leximin, **kw)
            if nxt.status != "optimal":
                # the cascade's defaults make even L⁰ fail: not viable with contagion
                return AllianceSolution(False, lower.copy(), float(lower.sum()), upper_bound,
                                        nxt.failing, nxt, None, iterations=iterations)
            sol = nxt
        added = int(extra.size)
    checker = _Checker(t, check_sc, policy, np.asarray(present, bool), mech, void_prob,
                       trade_contagion, backend, chunk_defaults)
    target = sol.loans
    tot = checker.evaluate(target)
    ok, why = checker.passes(target, tot)
    theta = 1.0
    if not ok:
        tot0 = checker.evaluate(lower)
        ok0, why0 = checker.passes(lower, tot0)
        if not ok0:
            return AllianceSolution(
                False, lower.copy(), float(lower.sum()), upper_bound,
                f"{why0.replace('_', ' ')} limit under the true rules at the standalone "
                "limits (participation)",
                sol, tot0, iterations=iterations, contagion_defaults_added=added,
            )
        lo_t, hi_t = 0.0, 1.0
        while hi_t - lo_t > shrink_tol:
            mid = 0.5 * (lo_t + hi_t)
            if checker.passes(lower + mid * (target - lower))[0]:
                lo_t = mid
            else:
                hi_t = mid
        theta = lo_t
        target = lower + theta * (target - lower)
        tot = checker.evaluate(target)
    node_el = checker.node_el(tot)
    total = float(target[t.is_member].sum())
    out = AllianceSolution(
        True, target, total, upper_bound, None, sol, tot,
        expected_loss=float(node_el.sum()), shrink=theta, iterations=iterations,
        contagion_defaults_added=added,
    )
    out.extra["why_shrunk"] = why
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
            h = tq + np.maximum(x - tq, 0.0) / (1 - a)
            y_es = sol.duals.get("max_es_rate", 0.0) / max(total, 1e-300)
            var += (y_es * _weighted_se(h, w)) ** 2
        out.standard_error = float(np.sqrt(var))
    return out


def _keys(mat: sp.csr_matrix, n: int) -> np.ndarray:
    coo = mat.tocoo()
    return coo.row.astype(np.int64) * n + coo.col.astype(np.int64)
