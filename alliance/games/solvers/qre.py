"""The logit quantal response equilibrium correspondence, traced by path following.

At precision :math:`\\lambda \\ge 0` a logit QRE is a profile in which every player ``i``
plays each strategy ``j`` with probability proportional to :math:`\\exp(\\lambda u_{ij}(p))`,
where :math:`u_{ij}(p)` is the payoff of ``j`` against the others' mixed strategies
(McKelvey and Palfrey 1995). In log-probabilities :math:`w_{ij} = \\log p_{ij}` the QRE are the
zeros of

.. math::

    w_{ij} - w_{i0} - \\lambda\\,(u_{ij}(e^{w}) - u_{i0}(e^{w})) = 0 \\quad (j \\ge 1), \\qquad
    \\textstyle\\sum_j e^{w_{ij}} - 1 = 0,

``N`` equations in the ``N + 1`` unknowns :math:`(w, \\lambda)` (``N`` strategies in all). At
:math:`\\lambda = 0` the only solution is the centroid; the *principal branch* is the curve of
solutions through it, which for generic games reaches a Nash equilibrium as
:math:`\\lambda \\to \\infty` (Turocy 2005). Working in log-probabilities keeps the curve smooth
where probabilities vanish: along the branch the log-probability of a strategy that is not a best
reply falls linearly in :math:`\\lambda`, so the curve is asymptotically a straight line and the
steps grow geometrically.

The curve is traced by a predictor–corrector method on its arclength (Allgower and Georg
1990): an Euler step along the unit tangent (the null vector of the Jacobian, oriented to
continue the previous one, so folds where :math:`\\lambda` turns back are crossed), then Newton
iterations on the hyperplane orthogonal to the tangent. A step whose corrector does not
contract is halved; a step that converges quickly lengthens the next one by ``max_accel``.
Points at requested values of :math:`\\lambda` are solved exactly by Newton's method at that
fixed :math:`\\lambda`, started from the interpolated point of the step that crossed it.

This module works on payoff arrays ``P[i_1, ..., i_n, player]`` and returns NumPy arrays; the
game-level functions and result types are in :mod:`alliance.games.qre`.

Examples
--------
Matching pennies: the centroid is the QRE at every precision.

>>> import numpy as np
>>> P = np.zeros((2, 2, 2)); P[..., 0] = [[1, -1], [-1, 1]]; P[..., 1] = -P[..., 0]
>>> lams, log_probs = trace_branch(P, lam_max=5.0)
>>> float(lams[-1]), bool(np.allclose(np.exp(log_probs), 0.5))
(5.0, True)

References
----------
McKelvey, R. D. and Palfrey, T. R. (1995). Quantal response equilibria for normal form games.
*Games and Economic Behavior* 10(1), 6-38.

Turocy, T. L. (2005). A dynamic homotopy interpretation of the logistic quantal response
equilibrium correspondence. *Games and Economic Behavior* 51(2), 243-263.

Allgower, E. L. and Georg, K. (1990). *Numerical Continuation Methods: An Introduction*.
Springer.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence

import numpy as np

from alliance.errors import ConvergenceError

__all__ = [
    "BifurcationWarning",
    "LogitSystem",
    "trace_branch",
    "solve_at",
    "branch_tangent",
]

#: Largest residual (sup norm) accepted for a corrected point.
CORRECTOR_TOL = 1e-10
#: Largest residual accepted for a point solved at a fixed precision.
FIXED_TOL = 1e-13
#: Smallest step length before the tracer gives up.
MIN_STEP = 1e-12


class BifurcationWarning(UserWarning):
    """The traced branch crossed a bifurcation: the game is not generic.

    At a simple bifurcation the determinant of the Jacobian augmented by the tangent changes
    sign (a fold does not). The tracer keeps the smooth continuation of its direction; Gambit
    instead perturbs the game to select one of the branches, so the two may differ beyond.

    Examples
    --------
    A symmetric coordination game with equal payoffs is not generic: the uniform profile is a
    QRE at every precision, and two branches split off it at :math:`\\lambda = 2`.

    >>> import warnings
    >>> import numpy as np
    >>> P = np.stack([np.eye(2), np.eye(2)], axis=-1)
    >>> with warnings.catch_warnings(record=True) as caught:
    ...     warnings.simplefilter("always")
    ...     lams, log_probs = trace_branch(P, lam_max=10.0)
    >>> [w.category.__name__ for w in caught], np.exp(log_probs[-1]).round(6).tolist()
    (['BifurcationWarning'], [0.5, 0.5, 0.5, 0.5])
    """


class LogitSystem:
    """The logit QRE equations of one game and their Jacobian.

    Parameters
    ----------
    payoffs : ndarray, shape ``(k_1, ..., k_n, n)``
        Finite payoffs.

    Attributes
    ----------
    shape : tuple of int
    n_players, n_strategies : int
    offsets : ndarray of int
        Where each player's block starts in the flat vector of strategies.

    Examples
    --------
    >>> import numpy as np
    >>> system = LogitSystem(np.zeros((2, 3, 2)))
    >>> system.n_strategies, system.offsets.tolist()
    (5, [0, 2, 5])
    """

    def __init__(self, payoffs: np.ndarray) -> None:
        table = np.asarray(payoffs, dtype=float)
        self.shape = tuple(int(k) for k in table.shape[:-1])
        self.n_players = len(self.shape)
        self.tables = [np.ascontiguousarray(table[..., i]) for i in range(self.n_players)]
        self.offsets = np.concatenate([[0], np.cumsum(self.shape)]).astype(int)
        self.n_strategies = int(self.offsets[-1])
        # Row r of the system belongs to player owner[r]; the last row of a block is the
        # normalisation, the others compare strategy j >= 1 with strategy 0.
        self.blocks = [slice(self.offsets[i], self.offsets[i + 1]) for i in range(self.n_players)]

    # ---------------------------------------------------------------- payoffs
    def split(self, flat: np.ndarray) -> list[np.ndarray]:
        """The flat vector cut into one block per player.

        Parameters
        ----------
        flat : ndarray, shape (N,)
            One entry per strategy, players' blocks in order.

        Returns
        -------
        list of ndarray
            Views of ``flat``, one per player.

        Examples
        --------
        >>> import numpy as np
        >>> A = np.array([[2.0, 0.0], [0.0, 1.0]])      # coordination: both gain from matching
        >>> system = LogitSystem(np.stack([A, A], axis=-1))
        >>> [b.tolist() for b in system.split(np.arange(4.0))]
        [[0.0, 1.0], [2.0, 3.0]]
        """
        return [flat[b] for b in self.blocks]

    def pair_payoffs(self, probs: Sequence[np.ndarray]) -> list[dict[int, np.ndarray]]:
        """``M[i][k][j, l]``: player i's payoff from j when k plays l and the rest mix.

        Parameters
        ----------
        probs : sequence of ndarray
            One mixed strategy per player.

        Returns
        -------
        list of dict int -> ndarray
            ``M[i][k]`` of shape ``(k_i, k_k)`` for every other player ``k``: the derivative
            of player ``i``'s strategy payoffs with respect to ``k``'s probabilities.

        Examples
        --------
        With two players the matrices are the payoff tables themselves:

        >>> import numpy as np
        >>> A = np.array([[2.0, 0.0], [0.0, 1.0]])      # coordination: both gain from matching
        >>> system = LogitSystem(np.stack([A, A], axis=-1))
        >>> pairs = system.pair_payoffs(system.split(np.full(4, 0.5)))
        >>> pairs[0][1].tolist(), sorted(pairs[1])
        ([[2.0, 0.0], [0.0, 1.0]], [0])
        """
        n = self.n_players
        out: list[dict[int, np.ndarray]] = []
        for i in range(n):
            row: dict[int, np.ndarray] = {}
            for k in range(n):
                if k == i:
                    continue
                m = self.tables[i]
                # Contract from the last axis so the remaining axes keep their positions.
                for j in reversed(range(n)):
                    if j != i and j != k:
                        m = np.tensordot(m, probs[j], axes=([j], [0]))
                row[k] = m if i < k else m.T
            out.append(row)
        return out

    def strategy_payoffs(self, probs: Sequence[np.ndarray]) -> list[np.ndarray]:
        """``u[i][j]``: player i's payoff from each pure strategy against the others' mix.

        Parameters
        ----------
        probs : sequence of ndarray
            One mixed strategy per player.

        Returns
        -------
        list of ndarray
            Player ``i``'s expected payoff from each of its pure strategies.

        Examples
        --------
        >>> import numpy as np
        >>> A = np.array([[2.0, 0.0], [0.0, 1.0]])      # coordination: both gain from matching
        >>> system = LogitSystem(np.stack([A, A], axis=-1))
        >>> [u.tolist() for u in system.strategy_payoffs(system.split(np.full(4, 0.5)))]
        [[1.0, 0.5], [1.0, 0.5]]
        """
        out = []
        for i in range(self.n_players):
            u = self.tables[i]
            for j in reversed(range(self.n_players)):
                if j != i:
                    u = np.tensordot(u, probs[j], axes=([j], [0]))
            out.append(np.asarray(u))
        return out

    # ---------------------------------------------------------------- equations
    def residual(self, w: np.ndarray, lam: float) -> np.ndarray:
        """The equations at log-probabilities ``w`` and precision ``lam``.

        Parameters
        ----------
        w : ndarray, shape (N,)
            Log-probabilities, players' blocks in order.
        lam : float
            Precision :math:`\\lambda \\ge 0`.

        Returns
        -------
        ndarray, shape (N,)
            The residual ``H(w, lam)``: zero exactly at a logit QRE.

        Examples
        --------
        At :math:`\\lambda = 1` the uniform profile is not a QRE of a coordination game: the
        payoff gap of 1/2 is not matched by the log-odds of 0.

        >>> import numpy as np
        >>> A = np.array([[2.0, 0.0], [0.0, 1.0]])      # coordination: both gain from matching
        >>> system = LogitSystem(np.stack([A, A], axis=-1))
        >>> system.residual(system.centroid(), 1.0).round(6).tolist()
        [0.5, 0.0, 0.5, 0.0]
        """
        probs = self.split(np.exp(w))
        u = self.strategy_payoffs(probs)
        return self._residual(w, lam, probs, u)

    def _residual(self, w, lam, probs, u) -> np.ndarray:
        h = np.empty(self.n_strategies)
        for i, b in enumerate(self.blocks):
            wi = w[b]
            rows = h[b]
            rows[:-1] = wi[1:] - wi[0] - lam * (u[i][1:] - u[i][0])
            rows[-1] = probs[i].sum() - 1.0
        return h

    def evaluate(self, w: np.ndarray, lam: float) -> tuple[np.ndarray, np.ndarray]:
        """The residual ``H`` (N,) and the Jacobian ``[dH/dw, dH/dlam]`` (N, N + 1).

        Parameters
        ----------
        w : ndarray, shape (N,)
            Log-probabilities, players' blocks in order.
        lam : float
            Precision :math:`\\lambda \\ge 0`.

        Returns
        -------
        h : ndarray, shape (N,)
            The residual, as :meth:`residual`.
        jac : ndarray, shape (N, N + 1)
            Its derivatives in ``w`` (first ``N`` columns) and in ``lam`` (last column).

        Examples
        --------
        >>> import numpy as np
        >>> A = np.array([[2.0, 0.0], [0.0, 1.0]])      # coordination: both gain from matching
        >>> system = LogitSystem(np.stack([A, A], axis=-1))
        >>> h, jac = system.evaluate(system.centroid(), 1.0)
        >>> h.round(6).tolist(), jac.shape, jac[:, -1].tolist()
        ([0.5, 0.0, 0.5, 0.0], (4, 5), [0.5, 0.0, 0.5, 0.0])
        """
        probs = self.split(np.exp(w))
        n = self.n_players
        N = self.n_strategies
        jac = np.zeros((N, N + 1))
        if n == 1:
            u = [self.tables[0].astype(float)]
        else:
            pairs = self.pair_payoffs(probs)
            u = [pairs[i][(i + 1) % n] @ probs[(i + 1) % n] for i in range(n)]
        h = self._residual(w, lam, probs, u)
        for i, b in enumerate(self.blocks):
            k_i = self.shape[i]
            r0 = b.start
            # d/dw of w_ij - w_i0
            idx = np.arange(1, k_i)
            jac[r0 + idx - 1, r0 + idx] = 1.0
            jac[r0 : r0 + k_i - 1, r0] = -1.0
            jac[r0 + k_i - 1, b] = probs[i]
            jac[r0 : r0 + k_i - 1, N] = -(u[i][1:] - u[i][0])
            if n == 1:
                continue
            for k, m in pairs[i].items():
                bk = self.blocks[k]
                # -lam (M[j, l] - M[0, l]) p_l: the chain rule through p = exp(w)
                jac[r0 : r0 + k_i - 1, bk] = -lam * (m[1:] - m[0]) * probs[k]
        return h, jac

    def centroid(self) -> np.ndarray:
        """Log-probabilities of the uniform profile (the QRE at precision 0).

        Returns
        -------
        ndarray, shape (N,)
            ``-log(k_i)`` for each strategy of player ``i``.

        Examples
        --------
        >>> import numpy as np
        >>> LogitSystem(np.zeros((2, 4, 2))).centroid().round(6).tolist()
        [-0.693147, -0.693147, -1.386294, -1.386294, -1.386294, -1.386294]
        """
        return np.concatenate([np.full(k, -np.log(k)) for k in self.shape])

    def derivative_in_lambda(self, w: np.ndarray, lam: float) -> np.ndarray:
        """``dw/dlam`` along the solution curve, by the implicit function theorem.

        Parameters
        ----------
        w : ndarray, shape (N,)
            Log-probabilities of a QRE at ``lam``.
        lam : float
            Its precision.

        Returns
        -------
        ndarray, shape (N,)
            The rate of change of each log-probability with the precision.

        Examples
        --------
        Leaving the centroid, both players shift towards the better equilibrium ``s1``:

        >>> import numpy as np
        >>> A = np.array([[2.0, 0.0], [0.0, 1.0]])      # coordination: both gain from matching
        >>> system = LogitSystem(np.stack([A, A], axis=-1))
        >>> system.derivative_in_lambda(system.centroid(), 0.0).round(6).tolist()
        [0.25, -0.25, 0.25, -0.25]
        """
        _, jac = self.evaluate(w, lam)
        return np.linalg.solve(jac[:, :-1], -jac[:, -1])


# -------------------------------------------------------------------- path following
def branch_tangent(jac: np.ndarray, previous: np.ndarray | None = None) -> np.ndarray:
    """The unit null vector of an ``N x (N + 1)`` Jacobian, oriented along ``previous``.

    Without ``previous`` the tangent points to increasing precision (the last coordinate).

    Parameters
    ----------
    jac : ndarray, shape (N, N + 1)
        The Jacobian ``[dH/dw, dH/dlam]`` of :meth:`LogitSystem.evaluate`, of full rank.
    previous : ndarray, shape (N + 1,), optional
        The direction of travel so far; the tangent keeps its orientation (positive dot
        product), so that folds where the precision turns back are crossed.

    Returns
    -------
    ndarray, shape (N + 1,)
        The unit tangent ``t`` with ``jac @ t = 0``.

    Examples
    --------
    >>> import numpy as np
    >>> A = np.array([[2.0, 0.0], [0.0, 1.0]])
    >>> system = LogitSystem(np.stack([A, A], axis=-1))
    >>> _, jac = system.evaluate(system.centroid(), 0.0)
    >>> t = branch_tangent(jac)
    >>> t.round(6).tolist(), bool(np.allclose(jac @ t, 0))
    ([0.223607, -0.223607, 0.223607, -0.223607, 0.894427], True)
    >>> bool(branch_tangent(jac, previous=-t)[-1] < 0)
    True
    """
    q, _ = np.linalg.qr(jac.T, mode="complete")
    t = q[:, -1]
    if previous is None:
        return t if t[-1] >= 0 else -t
    return t if np.dot(t, previous) >= 0 else -t


def _orientation(jac: np.ndarray, tangent: np.ndarray) -> int:
    """Sign of det([J; t]): it flips where the branch crosses a bifurcation."""
    sign, _ = np.linalg.slogdet(np.vstack([jac, tangent]))
    return int(sign)


def _correct(system: LogitSystem, z: np.ndarray, tangent: np.ndarray, step: float,
             max_iter: int = 8) -> tuple[np.ndarray, int] | None:
    """Newton's method on the hyperplane through ``z`` orthogonal to ``tangent``."""
    N = system.n_strategies
    aug = np.empty((N + 1, N + 1))
    aug[N] = tangent
    rhs = np.zeros(N + 1)
    previous = np.inf
    for it in range(1, max_iter + 1):
        h, jac = system.evaluate(z[:N], z[N])
        aug[:N] = jac
        rhs[:N] = -h
        try:
            delta = np.linalg.solve(aug, rhs)
        except np.linalg.LinAlgError:
            return None
        size = np.linalg.norm(delta)
        # A corrector that moves far relative to the step, or stops contracting, has jumped
        # to another part of the curve or is diverging: reject and shorten the step.
        if size > 0.5 * step + 1e-9 or size > 0.5 * previous + 1e-12:
            return None
        z = z + delta
        previous = size
        if size <= 1e-11 * (1.0 + np.linalg.norm(z)):
            h = system.residual(z[:N], z[N])
            if np.max(np.abs(h)) <= CORRECTOR_TOL:
                return z, it
    h = system.residual(z[:N], z[N])
    if np.max(np.abs(h)) <= CORRECTOR_TOL:
        return z, max_iter
    return None


def solve_at(system: LogitSystem, w0: np.ndarray, lam: float, max_iter: int = 30) -> np.ndarray:
    """Newton's method for the QRE at a fixed precision, started from ``w0``.

    Parameters
    ----------
    system : LogitSystem
        The game's equations.
    w0 : ndarray, shape (N,)
        Starting log-probabilities (a nearby point of the branch).
    lam : float
        The precision, fixed.
    max_iter : int, default 30
        Largest number of Newton steps.

    Returns
    -------
    ndarray, shape (N,)
        Log-probabilities of the QRE (residual at most :data:`FIXED_TOL`).

    Raises
    ------
    ConvergenceError
        If Newton's method does not reach a residual of :data:`FIXED_TOL`.

    Examples
    --------
    At :math:`\\lambda = 1` each player of the coordination game plays ``s1`` with
    probability :math:`p = 1/(1 + e^{1 - 3p})`:

    >>> import math
    >>> import numpy as np
    >>> A = np.array([[2.0, 0.0], [0.0, 1.0]])
    >>> system = LogitSystem(np.stack([A, A], axis=-1))
    >>> w = solve_at(system, system.centroid(), 1.0)
    >>> p = float(np.exp(w[0]))
    >>> round(p, 6), abs(p - 1 / (1 + math.exp(1 - 3 * p))) < 1e-12
    (0.804154, True)
    """
    N = system.n_strategies
    w = np.array(w0, dtype=float)
    for _ in range(max_iter):
        h, jac = system.evaluate(w, lam)
        if np.max(np.abs(h)) <= FIXED_TOL:
            return w
        try:
            delta = np.linalg.solve(jac[:, :N], -h)
        except np.linalg.LinAlgError as err:
            raise ConvergenceError(
                f"the logit QRE equations are singular at lambda={lam:g} (a fold of the branch)"
            ) from err
        w = w + delta
    h = system.residual(w, lam)
    if np.max(np.abs(h)) <= 1e3 * FIXED_TOL:
        return w
    raise ConvergenceError(
        f"Newton's method for the QRE at lambda={lam:g} stopped at residual {np.max(np.abs(h)):.2e}"
    )


def trace_branch(
    payoffs: np.ndarray,
    lam_max: float = 100.0,
    *,
    targets: Sequence[float] = (),
    first_step: float = 0.03,
    max_accel: float = 1.1,
    max_steps: int = 100_000,
    stop: object = None,
) -> tuple[np.ndarray, np.ndarray] | tuple[np.ndarray, np.ndarray, dict[float, np.ndarray]]:
    """Trace the principal branch of the logit QRE correspondence from 0 to ``lam_max``.

    Parameters
    ----------
    payoffs : ndarray, shape ``(k_1, ..., k_n, n)``, or a system
        Finite payoffs (not rescaled: the precision is per payoff unit), or an object with
        the methods of :class:`LogitSystem` that the tracer uses (``n_strategies``,
        ``centroid``, ``evaluate``, ``residual``), such as the agent QRE system of an
        extensive game (:class:`alliance.games.extensive.agent_qre.AgentLogitSystem`).
    lam_max : float
        Precision at which to stop; the last point is solved exactly at ``lam_max``.
    targets : sequence of float
        Precisions at which to return the QRE (the first crossing of the branch).
    first_step, max_accel : float
        Arclength of the first step; largest factor by which a step may grow.
    max_steps : int
        Guard against runaway tracing.
    stop : callable, optional
        ``stop(lam, log_probs) -> bool``: end the trace early at the first point where it is true.

    Returns
    -------
    lams : ndarray, shape (m,)
    log_probs : ndarray, shape (m, N)
        The points of the branch: one row of log-probabilities per point, players' blocks in
        order (logarithms, so that probabilities far below the smallest float keep their
        information). With ``targets``, a third item maps each target to its log-probabilities.

    Raises
    ------
    ConvergenceError
        If the step length falls below :data:`MIN_STEP` or ``max_steps`` is exceeded.

    Examples
    --------
    >>> import numpy as np
    >>> A = np.array([[3.0, 0.0], [5.0, 1.0]])           # prisoners' dilemma
    >>> P = np.stack([A, A.T], axis=-1)
    >>> lams, log_probs = trace_branch(P, lam_max=20.0)
    >>> np.exp(log_probs[-1]).round(6).tolist()          # both defect in the limit
    [0.0, 1.0, 0.0, 1.0]
    """
    system = payoffs if hasattr(payoffs, "evaluate") else LogitSystem(payoffs)
    N = system.n_strategies
    pending = sorted(float(t) for t in targets if t <= lam_max)
    found: dict[float, np.ndarray] = {}
    z = np.concatenate([system.centroid(), [0.0]])
    while pending and pending[0] <= 0.0:
        found[pending.pop(0)] = z[:N].copy()
    lams = [0.0]
    points = [z[:N].copy()]
    _, jac = system.evaluate(z[:N], 0.0)
    tangent = branch_tangent(jac)
    orientation = _orientation(jac, tangent)
    bifurcations: list[float] = []
    step = first_step
    for _ in range(max_steps):
        if z[N] >= lam_max:
            break
        result = _correct(system, z + step * tangent, tangent, step)
        if result is None:
            step /= 2.0
            if step < MIN_STEP:
                raise ConvergenceError(
                    f"the QRE branch could not be continued beyond lambda={z[N]:.6g} "
                    "(the step length fell below 1e-12)"
                )
            continue
        new, iterations = result
        lam_old, lam_new = z[N], new[N]
        if lam_new > lam_old:
            while pending and pending[0] <= lam_new:
                target = pending.pop(0)
                s = (target - lam_old) / (lam_new - lam_old)
                found[target] = solve_at(system, (1 - s) * z[:N] + s * new[:N], target)
        if lam_new >= lam_max and lam_old < lam_max:
            s = (lam_max - lam_old) / (lam_new - lam_old)
            w = solve_at(system, (1 - s) * z[:N] + s * new[:N], lam_max)
            lams.append(lam_max)
            points.append(w)
            z = np.concatenate([w, [lam_max]])
            break
        _, jac = system.evaluate(new[:N], new[N])
        tangent = branch_tangent(jac, new - z)
        sign = _orientation(jac, tangent)
        if sign != orientation and sign != 0:
            bifurcations.append(0.5 * (z[N] + new[N]))
            orientation = sign
        z = new
        lams.append(float(z[N]))
        points.append(z[:N].copy())
        if stop is not None and stop(z[N], points[-1]):  # type: ignore[operator]
            break
        if iterations <= 3:
            step *= max_accel
    else:
        raise ConvergenceError(
            f"the QRE branch needed more than max_steps={max_steps} steps (stopped at "
            f"lambda={z[N]:.6g})"
        )
    if bifurcations:
        where = ", ".join(f"{b:.6g}" for b in bifurcations)
        warnings.warn(
            f"the logit QRE branch crosses a bifurcation near lambda = {where} (the game is not "
            "generic); the trace continues smoothly through it, which Gambit may not do",
            BifurcationWarning,
            stacklevel=2,
        )
    out = (np.array(lams), np.array(points))
    if targets:
        return out + (found,)
    return out
