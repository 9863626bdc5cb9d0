"""One Nash equilibrium of a large game, by following the logit QRE branch to its limit.

The principal branch of the logit QRE correspondence (:mod:`alliance.games.solvers.qre`)
starts at the centroid and, for generic games, converges to a Nash equilibrium as the precision
grows (McKelvey and Palfrey 1995; Turocy 2005): the tracing procedure of the logit homotopy.
The limit is only approached (regret of order ``1/λ``), so the trace is *finished exactly*:
at each traced point past ``λ = 1`` the strategies played with probability above
``support_threshold`` are taken as the candidate support, the indifference equations on that
support are solved by Newton's method from the QRE point, and the trace stops at the first
point where the solution is a profile (non-negative, summing to one) whose regret is at most
``tol`` and which lies within ``LIMIT_DISTANCE`` of the traced point (so that it is the
equilibrium the branch converges to, not another one with the same support): a verified
equilibrium, not an approximation. The work grows with the number of
players and strategies only through the payoff contractions, so games far too large to
enumerate (six players with three strategies: 729 profiles, over twenty million support units
of work) are solved in seconds.

Examples
--------
A three-player game whose only equilibrium is fully mixed (Jordan's matching pennies):

>>> import numpy as np
>>> P = np.zeros((2, 2, 2, 3))
>>> for a in range(2):
...     for b in range(2):
...         for c in range(2):
...             P[a, b, c] = (a == b, b == c, c != a)
>>> profile, lam = logit_equilibrium(P)
>>> np.round(np.concatenate(profile), 12).tolist()
[0.5, 0.5, 0.5, 0.5, 0.5, 0.5]

References
----------
McKelvey, R. D. and Palfrey, T. R. (1995). Quantal response equilibria for normal form games.
*Games and Economic Behavior* 10(1), 6-38.

Turocy, T. L. (2005). A dynamic homotopy interpretation of the logistic quantal response
equilibrium correspondence. *Games and Economic Behavior* 51(2), 243-263.
"""

from __future__ import annotations

import numpy as np

from alliance.errors import ConvergenceError
from alliance.games.solvers.qre import LogitSystem, trace_branch

__all__ = ["logit_equilibrium", "polish_on_support"]


def polish_on_support(system: LogitSystem, probs: np.ndarray, support: np.ndarray,
                      max_iter: int = 20) -> np.ndarray | None:
    """Solve the indifference equations on ``support`` by Newton's method from ``probs``.

    Parameters
    ----------
    system : LogitSystem
        The game.
    probs : ndarray, shape (N,)
        Starting profile (players' blocks in order).
    support : ndarray of bool, shape (N,)
        The strategies allowed positive probability (at least one per player).
    max_iter : int, default 20
        Largest number of Newton (least-squares) steps.

    Returns
    -------
    ndarray or None
        The profile solving the equations (zero off the support), or None if Newton's method
        does not converge to one with non-negative probabilities.

    Examples
    --------
    Matching pennies on the full support: from any interior start the indifference
    equations lead to the unique equilibrium, both players mixing half-half. On the support
    of one pure strategy each there is nothing to solve.

    >>> import numpy as np
    >>> M = np.array([[1.0, -1.0], [-1.0, 1.0]])
    >>> system = LogitSystem(np.stack([M, -M], axis=-1))
    >>> start = np.array([0.6, 0.4, 0.3, 0.7])
    >>> polish_on_support(system, start, np.ones(4, dtype=bool)).round(12).tolist()
    [0.5, 0.5, 0.5, 0.5]
    >>> polish_on_support(system, start, np.array([True, False, True, False])).tolist()
    [1.0, 0.0, 1.0, 0.0]
    """
    x = np.where(support, probs, 0.0)
    blocks = system.blocks
    for b in blocks:
        x[b] /= x[b].sum()
    free = np.flatnonzero(support)
    N = system.n_strategies
    for _ in range(max_iter):
        parts = system.split(x)
        if system.n_players == 1:
            u = [system.tables[0].astype(float)]
            pairs: list[dict[int, np.ndarray]] = [{}]
        else:
            pairs = system.pair_payoffs(parts)
            n = system.n_players
            u = [pairs[i][(i + 1) % n] @ parts[(i + 1) % n] for i in range(n)]
        rows, jac_rows = [], []
        for i, b in enumerate(blocks):
            own = np.flatnonzero(support[b])
            base = own[0]
            for s in own[1:]:
                rows.append(u[i][s] - u[i][base])
                row = np.zeros(N)
                for k, m in pairs[i].items():
                    row[blocks[k]] = m[s] - m[base]
                jac_rows.append(row)
            rows.append(parts[i][own].sum() - 1.0)
            row = np.zeros(N)
            row[b.start + own] = 1.0
            jac_rows.append(row)
        residual = np.array(rows)
        jac = np.array(jac_rows)[:, free]
        if np.max(np.abs(residual)) <= 1e-14 * max(1.0, float(np.max(np.abs(system.tables[0])))):
            break
        try:
            step = np.linalg.lstsq(jac, -residual, rcond=None)[0]
        except np.linalg.LinAlgError:
            return None
        x[free] += step
        if np.linalg.norm(step) <= 1e-15:
            break
    if np.any(x < -1e-12):
        return None
    x = np.maximum(x, 0.0)
    for b in blocks:
        x[b] /= x[b].sum()
    return x


def _regret(system: LogitSystem, x: np.ndarray) -> float:
    parts = system.split(x)
    u = system.strategy_payoffs(parts)
    return float(max(np.max(ui) - np.dot(ui, p) for ui, p in zip(u, parts, strict=True)))


#: Largest distance (in probability, any strategy) between the traced QRE point and the
#: equilibrium Newton finishes it to: farther, the equilibrium is not taken to be the
#: branch's limit and the trace goes on.
LIMIT_DISTANCE = 0.05


def logit_equilibrium(
    payoffs: np.ndarray,
    *,
    tol: float = 1e-9,
    lam_max: float = 1e7,
    support_threshold: float = 1e-4,
    first_step: float = 0.03,
    max_accel: float = 1.1,
) -> tuple[list[np.ndarray], float]:
    """One Nash equilibrium: the limit of the principal logit QRE branch, finished by Newton.

    Parameters
    ----------
    payoffs : ndarray, shape ``(k_1, ..., k_n, n)``
        Finite payoffs.
    tol : float, default 1e-9
        Largest regret accepted (payoff units).
    lam_max : float, default 1e7
        Give up if no verified equilibrium is found before this precision.
    support_threshold : float, default 1e-4
        Probability above which a strategy is taken to be in the support.
    first_step, max_accel : float
        Controls of the tracer.

    Returns
    -------
    profile : list of ndarray
        One mixed strategy per player, with regret at most ``tol``.
    lam : float
        The precision at which the support was identified.

    Raises
    ------
    ConvergenceError
        If no verified equilibrium is found up to ``lam_max``.

    Examples
    --------
    The prisoners' dilemma: the branch heads for mutual defection, which is verified exactly
    once cooperation's probability falls below ``support_threshold`` times defection's.

    >>> import numpy as np
    >>> A = np.array([[3.0, 0.0], [5.0, 1.0]])
    >>> profile, lam = logit_equilibrium(np.stack([A, A.T], axis=-1))
    >>> [p.tolist() for p in profile], lam >= 1
    ([[0.0, 1.0], [0.0, 1.0]], True)
    """
    system = LogitSystem(payoffs)
    found: dict[str, object] = {}
    attempts: dict[bytes, float] = {}

    def finished(lam: float, w: np.ndarray) -> bool:
        if lam < 1.0:
            return False
        probs = np.exp(w)
        support = np.zeros(system.n_strategies, dtype=bool)
        for b in system.blocks:
            block = probs[b]
            support[b] = block >= support_threshold * block.max()
        key = support.tobytes()
        tried = attempts.get(key)
        if tried is not None and lam < 2 * tried:
            return False  # this support failed recently: retry once the QRE is much closer
        attempts[key] = lam
        x = polish_on_support(system, probs, support)
        # the equilibrium must be the one the branch is heading for: Newton from an early
        # point (lambda near 1, where every strategy is still played) can land on another
        # equilibrium with the same support, e.g. the mixed one of a coordination game
        # whose branch converges to a pure equilibrium
        if x is not None and np.max(np.abs(x - probs)) > LIMIT_DISTANCE:
            return False
        if x is not None and _regret(system, x) <= tol:
            found["profile"], found["lam"] = x, lam
            return True
        return False

    trace_branch(payoffs, lam_max, first_step=first_step, max_accel=max_accel, stop=finished)
    if "profile" not in found:
        raise ConvergenceError(
            f"the logit branch reached lambda={lam_max:g} without a verified equilibrium "
            f"(regret <= {tol:g})"
        )
    return system.split(found["profile"]), float(found["lam"])  # type: ignore[arg-type]
