"""Iterated elimination of dominated strategies in n-player games.

A strategy ``s`` of player ``p`` is *strictly dominated* when another strategy ``t`` (pure), or a
mixture ``sigma`` of the player's other remaining strategies (mixed), pays strictly more against
every remaining profile of the opponents. Pure dominance is checked for all pairs at once with
array comparisons; mixed dominance solves, for each remaining strategy, the linear programme

.. math::

    \\max_{\\sigma, \\varepsilon} \\varepsilon \\quad \\text{s.t.} \\quad
    \\sum_t \\sigma_t u_p(t, c) - u_p(s, c) \\ge \\varepsilon \\;\\; \\forall c, \\quad
    \\sigma \\ge 0, \\; \\textstyle\\sum_t \\sigma_t = 1,

whose rows ``c`` are the opponents' remaining pure profiles (HiGHS through
:func:`scipy.optimize.linprog`); ``s`` is dominated when the optimal margin ``epsilon`` is
positive. Each round removes, for every player at once, every strategy dominated in the current
game; rounds repeat until nothing is removed.

For strict dominance the surviving game does not depend on the order of removal (Gilboa, Kalai
and Zemel 1990). With ``weak=True`` a strategy is removed when another pure strategy or mixture
pays at least as much against every opponent profile and strictly more against one; the result
then depends on the order of removal, and this function uses the "all dominated strategies of all
players in each round" order (the survivors may differ from a one-at-a-time elimination).

Examples
--------
>>> import numpy as np
>>> P = np.array([[[3, 3], [0, 5]], [[5, 0], [1, 1]]])   # prisoner's dilemma
>>> kept, log = iterated_elimination(P)
>>> kept
((1,), (1,))
>>> log
[(0, 0, {1: 1.0}), (1, 0, {1: 1.0})]

References
----------
Gilboa, I., Kalai, E. and Zemel, E. (1990). On the order of eliminating dominated strategies.
*Operations Research Letters* 9(2), 85-89.

Myerson, R. B. (1991). *Game Theory: Analysis of Conflict*, section 3.9. Harvard University Press.
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any

import numpy as np
from scipy.optimize import linprog

__all__ = ["iterated_elimination", "dominated_strategies"]

#: Margins at most this (relative to the payoff range) do not count as strict dominance (floats).
_LP_TOL = 1e-9


def iterated_elimination(
    payoffs: np.ndarray,
    *,
    mixed: bool = True,
    weak: bool = False,
    exact_payoffs: np.ndarray | None = None,
) -> tuple[tuple[tuple[int, ...], ...], list[tuple[int, int, dict[int, Any]]]]:
    """Iteratively remove dominated strategies of every player.

    Parameters
    ----------
    payoffs : ndarray of float, shape ``(k_1, ..., k_n, n)``
        ``P[i_1, ..., i_n, p]`` is player ``p``'s payoff at the pure profile.
    mixed : bool, default True
        Also remove strategies dominated only by a mixture of the player's other strategies.
    weak : bool, default False
        Weak instead of strict dominance (order-dependent; see the module notes).
    exact_payoffs : ndarray of Fraction, optional
        Exact payoffs: pure-dominance comparisons are then exact, and a mixed dominator is
        returned with rational weights when a rational weighting with small denominators
        (at most 1000) is verified exactly to dominate.

    Returns
    -------
    kept : tuple of tuple of int
        For each player, the indices (in the original game) of its surviving strategies.
    log : list of (player, strategy, dominated_by)
        In order of removal; ``player`` and ``strategy`` are original indices and
        ``dominated_by`` is a dict ``{original strategy index: probability}`` describing the
        dominating strategy: ``{t: 1}`` for a pure strategy, several entries for a mixture
        (probabilities are Fractions when exact, floats otherwise).

    Examples
    --------
    The third row is dominated only by the mixture (1/2, 1/2) of the first two:

    >>> A = np.array([[3, 0], [0, 3], [1, 1]])
    >>> P = np.stack([A, -A], axis=-1)
    >>> from fractions import Fraction
    >>> kept, log = iterated_elimination(P, exact_payoffs=np.vectorize(Fraction, otypes=[object])(P))
    >>> kept
    ((0, 1), (0, 1))
    >>> log
    [(0, 2, {0: Fraction(1, 2), 1: Fraction(1, 2)})]
    """
    table = np.asarray(payoffs, dtype=float)
    n = table.shape[-1]
    alive = [list(range(k)) for k in table.shape[:-1]]
    log: list[tuple[int, int, dict[int, Any]]] = []
    while True:
        removed = []
        for p in range(n):
            if len(alive[p]) < 2:
                continue
            for s, by in dominated_strategies(
                table, alive, p, mixed=mixed, weak=weak, exact_payoffs=exact_payoffs
            ):
                removed.append((p, s, by))
        if not removed:
            break
        log.extend(removed)
        for p, s, _ in removed:
            alive[p].remove(s)
    return tuple(tuple(a) for a in alive), log


def dominated_strategies(
    payoffs: np.ndarray,
    alive: list[list[int]],
    player: int,
    *,
    mixed: bool = True,
    weak: bool = False,
    exact_payoffs: np.ndarray | None = None,
) -> list[tuple[int, dict[int, Any]]]:
    """Strategies of ``player`` dominated in the subgame of the ``alive`` strategies.

    Parameters
    ----------
    payoffs : ndarray, shape (m_1, ..., m_n, n)
        ``P[i0, ..., i_{n-1}, player]``, floats.
    alive : list of list of int
        Each player's strategies still in the game (original indices).
    player : int
        Whose strategies are tested, ``0 <= player < n``.
    mixed : bool, default True
        Also test domination by mixed strategies (a linear programme per strategy).
    weak : bool, default False
        Weak domination (never worse, somewhere better) instead of strict domination.
    exact_payoffs : ndarray of Fraction, optional
        The same table in exact numbers; comparisons are then exact (no tolerance).

    Returns
    -------
    list of (int, dict)
        ``(strategy, dominated_by)`` with original indices: ``dominated_by`` maps the
        dominating strategies to their probabilities (see :func:`iterated_elimination`).
        Never every strategy of the player.

    Examples
    --------
    In the prisoner's dilemma, cooperation (0) is strictly dominated by defection (1):

    >>> import numpy as np
    >>> P = np.array([[[3, 3], [0, 5]], [[5, 0], [1, 1]]], dtype=float)
    >>> dominated_strategies(P, [[0, 1], [0, 1]], 0)
    [(0, {1: 1.0})]
    """
    exact = exact_payoffs is not None
    source = exact_payoffs if exact else np.asarray(payoffs, dtype=float)
    mine = alive[player]
    # Rows: the player's alive strategies; columns: the opponents' alive pure profiles.
    index = [list(a) for a in alive]
    u = np.moveaxis(source[np.ix_(*index)][..., player], player, 0).reshape(len(mine), -1)
    uf = u.astype(float)
    scale = max(float(np.ptp(uf)), 1.0) if uf.size else 1.0
    tol = 0 if exact else _LP_TOL * scale
    # beats[t, s]: pure strategy t dominates s (all pairs at once).
    ge = (
        np.all(u[:, None, :] >= u[None, :, :] - tol, axis=2)
        if not exact
        else np.all(u[:, None, :] >= u[None, :, :], axis=2)
    )
    gt = u[:, None, :] > u[None, :, :] + tol
    beats = ge & np.any(gt, axis=2) if weak else np.all(gt, axis=2)
    np.fill_diagonal(beats, False)
    dominated_mask = beats.any(axis=0)
    out: list[tuple[int, dict[int, Any]]] = []
    one = Fraction(1) if exact else 1.0
    for s in np.flatnonzero(dominated_mask):
        # Name an undominated dominator: one exists, as dominance is a strict partial order.
        dominators = np.flatnonzero(beats[:, s])
        best = [t for t in dominators if not dominated_mask[t]] or list(dominators)
        out.append((mine[s], {mine[int(best[0])]: one}))
    if mixed and len(mine) > 2:
        for s in range(len(mine)):
            if dominated_mask[s]:
                continue
            weights = _mixed_dominator(uf, s, weak, scale)
            if weights is None:
                continue
            by = {mine[t]: w for t, w in weights.items()}
            if exact:
                by = _rationalise(u, s, weights, weak, mine) or by
            out.append((mine[s], by))
    out.sort(key=lambda item: item[0])
    return out


def _mixed_dominator(u: np.ndarray, s: int, weak: bool, scale: float) -> dict[int, float] | None:
    """Weights of a mixture of the other rows dominating row ``s``, or None (an LP)."""
    others = [t for t in range(u.shape[0]) if t != s]
    m = len(others)
    rows = u[others] / scale  # scaled so that the tolerance is relative to the payoff range
    target = u[s] / scale
    n_cols = rows.shape[1]
    if not weak:
        # variables (sigma_1..sigma_m, eps): maximise eps s.t. target - sigma@rows + eps <= 0
        c = np.zeros(m + 1)
        c[-1] = -1.0
        a_ub = np.hstack([-rows.T, np.ones((n_cols, 1))])
        b_ub = -target
        a_eq = np.hstack([np.ones((1, m)), np.zeros((1, 1))])
        bounds = [(0, None)] * m + [(None, 1.0)]  # eps capped: the LP stays bounded
        res = linprog(c, A_ub=a_ub, b_ub=b_ub, A_eq=a_eq, b_eq=[1.0], bounds=bounds, method="highs")
        if res.status != 0 or -res.fun <= _LP_TOL:
            return None
        sigma = res.x[:m]
    else:
        # maximise the total surplus subject to never paying less than row s
        c = -rows.sum(axis=1)
        res = linprog(
            c,
            A_ub=-rows.T,
            b_ub=-target + _LP_TOL,
            A_eq=np.ones((1, m)),
            b_eq=[1.0],
            bounds=[(0, None)] * m,
            method="highs",
        )
        if res.status != 0:
            return None
        sigma = res.x
        surplus = sigma @ rows - target
        if surplus.min() < -_LP_TOL or surplus.max() <= _LP_TOL:
            return None
    sigma = np.where(sigma > 1e-12, sigma, 0.0)
    sigma /= sigma.sum()
    return {others[i]: float(sigma[i]) for i in range(m) if sigma[i] > 0}


def _rationalise(
    u: np.ndarray, s: int, weights: dict[int, float], weak: bool, mine: list[int]
) -> dict[int, Fraction] | None:
    """Rational weights close to the LP's that dominate row ``s`` exactly, or None."""
    fr = {t: Fraction(w).limit_denominator(1000) for t, w in weights.items()}
    total = sum(fr.values())
    if total == 0:
        return None
    fr = {t: w / total for t, w in fr.items() if w}
    mix = sum((w * u[t] for t, w in fr.items()), np.zeros(u.shape[1], dtype=object) + Fraction(0))
    diff = mix - u[s]
    ok = (
        all(d >= 0 for d in diff) and any(d > 0 for d in diff) if weak else all(d > 0 for d in diff)
    )
    return {mine[t]: w for t, w in sorted(fr.items())} if ok else None
