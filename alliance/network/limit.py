r"""Alliance limits: the largest uniform share of demand the bank grants, for many
sub-alliances at once.

For a configuration ``b`` (a sub-alliance) with demands ``D_i`` the bank grants ``L_i = s D_i``
and ``s*`` is the largest ``s`` in [0, 1] with

.. math:: f_b(s) = \max\Big(E[\text{loss}_b(s)] - \ell^* s \textstyle\sum_i D_i,\;
          \mathrm{VaR}_\alpha[\text{loss}_b(s)] - v^* s \sum_i D_i\Big) \le 0,

the second term only when the policy has a value-at-risk limit. ``f_b(0) = 0``; the loss is
piecewise linear in ``s`` on fixed scenarios, so the Illinois variant of false position
(bracketing, superlinear on piecewise-linear functions) finds ``s*`` in a few evaluations.
All configurations advance together; every evaluation reuses the same scenarios (common
random numbers). If the admissible set is not an interval (a guarantor's failure can make
the loss jump), the root found is a boundary point of the admissible set with a feasible
point below it and an infeasible point just above it.

References
----------
Dowell, M. & Jarratt, P. (1971). A modified regula falsi method for computing the root of
an equation. *BIT*, 11, 168-174.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from alliance.errors import ConvergenceError
from alliance.network.contagion import CascadeEngine, Totals
from alliance.network.policy import BankPolicy
from alliance.network.tails import tail_quantile

__all__ = ["solve_shares", "weighted_quantile"]


@dataclass
class LimitSolution:
    share: np.ndarray  # (B,)
    totals: Totals  # at share
    f_slope: np.ndarray  # (B,) d f / d s just below s* (for the standard error)
    binding: np.ndarray  # (B,) object: "expected_loss" | "value_at_risk" | "demand"
    value_at_risk: np.ndarray | None


def weighted_quantile(losses: np.ndarray, weights: np.ndarray, alpha: float) -> np.ndarray:
    """Row-wise α-quantile of ``losses`` (B × S) under scenario ``weights`` (S,).

    The smallest loss x with P(loss > x) ≤ 1 - α, the tail probability summed over the tail
    only (:func:`alliance.network.tails.tail_quantile`). With weights that sum to 1 it is the
    smallest x with P(loss ≤ x) ≥ α (the usual VaR convention); with importance-sampling
    weights, which sum to 1 only on average, it stays consistent.

    Parameters
    ----------
    losses : numpy.ndarray
        Losses, one row per configuration (B × S), or one row (S,).
    weights : numpy.ndarray
        Scenario probabilities (S,).
    alpha : float
        The confidence α, in (0, 1).

    Returns
    -------
    numpy.ndarray
        One quantile per row (B,).

    Examples
    --------
    >>> import numpy as np
    >>> weighted_quantile(np.array([[0.0, 1.0, 2.0, 3.0]]), np.full(4, 0.25), 0.5).tolist()
    [1.0]
    """
    return np.asarray(tail_quantile(np.atleast_2d(losses), weights, alpha))


def _constraint(
    engine: CascadeEngine,
    base: np.ndarray,
    s: np.ndarray,
    total_demand: np.ndarray,
    policy: BankPolicy,
    **kw,
) -> tuple[np.ndarray, Totals, np.ndarray, np.ndarray | None]:
    var = policy.has_var_limit
    want = bool(kw.pop("losses", False)) or var
    # the search needs the expected loss only (and the scenario losses for a VaR limit)
    only = bool(kw.pop("loss_only", False)) and not want
    tot = engine.evaluate(base * s[:, None], losses=want, loss_only=only, **kw)
    g_el = tot.expected_loss - policy.el_rate * s * total_demand
    if not var:
        return g_el, tot, g_el, None
    v = weighted_quantile(tot.losses, engine.scenarios.weights, float(policy.var_alpha))
    g_var = v - float(policy.max_var_rate) * s * total_demand
    return np.maximum(g_el, g_var), tot, g_el, v


def solve_shares(
    engine: CascadeEngine,
    base: np.ndarray,
    policy: BankPolicy,
    *,
    xtol: float = 1e-7,
    max_iter: int = 200,
    details: bool = False,
    finalize: bool = True,
    subset: Callable[[np.ndarray], CascadeEngine] | None = None,
) -> LimitSolution:
    r"""Largest admissible share s* for each configuration of ``engine``.

    Parameters
    ----------
    engine : CascadeEngine
        Scenarios and configurations (B of them).
    base : numpy.ndarray
        Loans at s = 1 (B × n): the demands of the present members, 0 elsewhere.
    policy : BankPolicy
    xtol : float
        Bracket width on s at which to stop.
    max_iter : int
        Most evaluations of the bisection–secant search.
    details : bool
        Collect per-scenario losses and per-node expectations at s*.
    finalize : bool
        Evaluate the loss, slope and binding constraint at s* (False: shares only).
    subset : callable, optional
        ``subset(rows)`` returns an engine for the configurations ``rows`` of ``engine`` (same
        scenarios). When given, the search continues on the configurations not yet converged
        only, with a new engine whenever they fall below half of the current one (the cost of
        an evaluation is proportional to the configurations it holds).

    Returns
    -------
    LimitSolution
        ``share`` (B,), the totals at ``share``, the slope of the constraint, the binding
        constraint and the value at risk (with a VaR limit).

    Raises
    ------
    ConvergenceError
        If the bracket does not shrink below ``xtol`` in ``max_iter`` evaluations.

    Notes
    -----
    The search runs on :math:`g(s) = f(s)/s`, which has the sign of ``f`` and is nearly
    linear in ``s`` when the loss grows like ``s**2`` (losses start once a loan exceeds its
    collateral, the fund and the guarantees). At ``s = 0`` the model value
    :math:`g(0) = -\min(\ell^*, v^*) \sum_i D_i` (a lower bound of ``g``) is used, so the
    first step from the bracket [0, 1] is already a secant step, not a bisection. The
    bracket itself only ever moves to evaluated points, so ``s*`` is exact up to ``xtol``.

    Examples
    --------
    Worked example 1 of docs/credit_v2.md at a common share of the demands (the optimal
    allocation of :mod:`alliance.network.optimal` does better):

    >>> from alliance.network import AllianceNetwork, BankPolicy
    >>> from alliance.network.contagion import CascadeEngine
    >>> net = AllianceNetwork()
    >>> net.add_member("A", demand=200, pd=0.04, lgd=0.5)
    >>> net.add_member("B", demand=100, pd=0.0, lgd=0.5, equity=1000)
    >>> net.add_chain("B", "A", amount=40)
    >>> topo = net.topology()
    >>> engine = CascadeEngine(topo, net.scenarios("exact", rho=0.0),
    ...                        np.ones((1, topo.n), dtype=bool), 0.0)
    >>> base = np.where(topo.is_member, topo.demand, 0.0)[None, :]
    >>> solution = solve_shares(engine, base, BankPolicy(max_el_rate=0.005))
    >>> solution.share.round(6).tolist(), solution.binding.tolist()
    ([0.64], ['expected_loss'])
    """
    B = base.shape[0]
    total_demand = base.sum(axis=1)
    ftol = 1e-10 * np.maximum(total_demand, 1e-300)
    rate0 = policy.el_rate
    if policy.has_var_limit:
        rate0 = min(rate0, float(policy.max_var_rate))
    g0 = -rate0 * total_demand  # model value of g = f / s at s = 0
    lo = np.zeros(B)
    glo = g0.copy()
    hi = np.ones(B)
    fhi, _, _, _ = _constraint(engine, base, hi, total_demand, policy, loss_only=True)
    ghi = fhi.copy()
    done = (fhi <= 0) | (total_demand <= 0)
    lo[done] = 1.0
    side = np.zeros(B, dtype=np.int64)
    w_two_ago = np.full(B, np.inf)
    w_prev = np.full(B, np.inf)
    # the active configurations: positions in the full batch, and their engine and base
    act = np.flatnonzero(~done)
    eng, base_a = engine, base
    eng_rows = np.arange(B)  # configurations of ``eng``, as positions in the full batch
    it = 0
    while act.size:
        it += 1
        if it > max_iter:
            raise ConvergenceError(
                f"the alliance limit did not converge in {max_iter} evaluations "
                f"(largest bracket on the share: {float(np.max((hi - lo)[act])):.3g})"
            )
        if subset is not None and 2 * act.size <= eng_rows.size:
            eng, base_a, eng_rows = subset(act), base[act], act
        # positions of the active configurations among the rows of ``eng``
        pos = np.searchsorted(eng_rows, act)
        l_, h_, gl, gh = lo[act], hi[act], glo[act], ghi[act]
        width = h_ - l_
        with np.errstate(divide="ignore", invalid="ignore"):
            c = h_ - gh * width / (gh - gl)
        # safeguard: bisect when two steps did not halve the bracket (many kinks)
        slow = width > 0.5 * w_two_ago[act]
        bad = ~np.isfinite(c) | (c <= l_) | (c >= h_) | slow
        w_two_ago[act], w_prev[act] = w_prev[act], width
        c = np.where(bad, 0.5 * (l_ + h_), c)
        s_eng = lo[eng_rows].copy()  # converged rows of ``eng`` evaluate at their share
        s_eng[pos] = c
        f_eng, _, _, _ = _constraint(
            eng, base_a, s_eng, total_demand[eng_rows], policy, loss_only=True
        )
        fc = f_eng[pos]
        gc = fc / c
        feas = fc <= 0
        sd = side[act]
        # Illinois: halve the retained end's value when the same end is kept twice
        gh = np.where(feas & (sd == -1), 0.5 * gh, gh)
        gl = np.where(~feas & (sd == 1), 0.5 * gl, gl)
        lo[act] = np.where(feas, c, l_)
        glo[act] = np.where(feas, gc, gl)
        hi[act] = np.where(feas, h_, c)
        ghi[act] = np.where(feas, gh, gc)
        side[act] = np.where(feas, -1, 1)
        converged = (hi[act] - lo[act] <= xtol) | (feas & (fc >= -ftol[act]))
        act = act[~converged]
    share = lo
    if not finalize:
        return LimitSolution(
            share=share, totals=None, f_slope=None, binding=None, value_at_risk=None
        )
    kw = {"losses": details, "nodes": details}
    f_at, tot, g_el, var = _constraint(engine, base, share, total_demand, policy, **kw)
    # slope of the expected-loss constraint just below s* (piecewise linear: one step)
    h = np.maximum(1e-4 * share, 1e-9)
    below = np.maximum(share - h, 0.0)
    _, _, g_el_below, _ = _constraint(engine, base, below, total_demand, policy, loss_only=True)
    with np.errstate(divide="ignore", invalid="ignore"):
        slope = np.where(share - below > 0, (g_el - g_el_below) / (share - below), np.nan)
    binding = np.where(share >= 1.0, "demand", "expected_loss").astype(object)
    if var is not None:
        # decide from the infeasible side: which constraint failed just above s*
        above = np.minimum(share + np.maximum(1e-7, 10 * xtol), 1.0)
        _, _, g_el_above, _ = _constraint(engine, base, above, total_demand, policy, loss_only=True)
        binding = np.where(
            share >= 1.0, "demand", np.where(g_el_above > 0, "expected_loss", "value_at_risk")
        ).astype(object)
    return LimitSolution(share=share, totals=tot, f_slope=slope, binding=binding, value_at_risk=var)
