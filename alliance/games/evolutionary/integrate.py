"""Vectorised integration of multi-population replicator dynamics.

All trajectories are advanced together by an embedded Dormand–Prince 5(4) pair with a step
size of their own (per-trajectory error control), in *logit coordinates*: for population
``i`` with reference strategy ``r`` (its most used strategy at the start),
``xi[a] = log(x[a] / x[r])`` and the replicator equation becomes
``d xi[a] / dt = u[a] - u[r]``. Two things follow. States stay in the product of simplices
by construction (shares are a softmax of ``xi``), and near a pure corner the right-hand side
is almost constant, so steps grow large exactly where trajectories in share coordinates
crawl. A strategy with zero initial share has ``xi = -inf`` and keeps it, since faces of
the state space are invariant.

References
----------
Dormand, J. R., & Prince, P. J. (1980). A family of embedded Runge–Kutta formulae.
*Journal of Computational and Applied Mathematics*, 6(1), 19–26.
Hairer, E., Nørsett, S. P., & Wanner, G. (1993). *Solving Ordinary Differential Equations I*,
2nd ed., Springer, section II.4 (automatic step size control).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np

from alliance.errors import ConvergenceError

__all__ = ["PayoffKernel", "integrate_logit"]

# Dormand–Prince 5(4) tableau (Dormand & Prince 1980), FSAL.
_A = (
    (),
    (1 / 5,),
    (3 / 40, 9 / 40),
    (44 / 45, -56 / 15, 32 / 9),
    (19372 / 6561, -25360 / 2187, 64448 / 6561, -212 / 729),
    (9017 / 3168, -355 / 33, 46732 / 5247, 49 / 176, -5103 / 18656),
    (35 / 384, 0.0, 500 / 1113, 125 / 192, -2187 / 6784, 11 / 84),
)
# Difference between the 5th- and 4th-order weights: the local error estimate.
_E = (
    71 / 57600,
    0.0,
    -71 / 16695,
    71 / 1920,
    -17253 / 339200,
    22 / 525,
    -1 / 40,
)
_A_ROWS = np.zeros((7, 7))
for _i, _row in enumerate(_A):
    _A_ROWS[_i, : len(_row)] = _row
_E_ROW = np.array(_E)


class PayoffKernel:
    """Expected payoffs of every pure strategy against the others' mixes, for many states.

    Parameters
    ----------
    payoffs : ndarray, shape (k_0, ..., k_{n-1}, n)
        Float payoff table.

    Examples
    --------
    >>> import numpy as np
    >>> P = np.array([[[3, 3], [0, 5]], [[5, 0], [1, 1]]], dtype=float)  # prisoner's dilemma
    >>> half = [np.array([[0.5, 0.5]]), np.array([[0.5, 0.5]])]
    >>> [u.tolist() for u in PayoffKernel(P).utilities(half)]
    [[[1.5, 3.0]], [[1.5, 3.0]]]
    """

    def __init__(self, payoffs: np.ndarray) -> None:
        table = np.asarray(payoffs, dtype=float)
        self.shape = table.shape[:-1]
        self.n = table.shape[-1]
        # For population i: others' profile (flattened, in increasing population order) x own.
        self._tables = []
        for i in range(self.n):
            own_last = np.moveaxis(table[..., i], i, -1)
            self._tables.append(np.ascontiguousarray(own_last.reshape(-1, self.shape[i])))

    def utilities(self, shares: Sequence[np.ndarray]) -> list[np.ndarray]:
        """``u[i][m, a]``: payoff of strategy ``a`` of population ``i`` in state ``m``.

        Parameters
        ----------
        shares : sequence of ndarray
            One ``(m, k_i)`` array of strategy shares per population (rows in the simplex).

        Returns
        -------
        list of ndarray
            One ``(m, k_i)`` array per population.

        Examples
        --------
        >>> import numpy as np
        >>> P = np.array([[[3, 3], [0, 5]], [[5, 0], [1, 1]]], dtype=float)  # prisoner's dilemma
        >>> half = [np.array([[0.5, 0.5]]), np.array([[0.5, 0.5]])]
        >>> PayoffKernel(P).utilities(half)[0].tolist()
        [[1.5, 3.0]]
        """
        m = shares[0].shape[0]
        out = []
        for i in range(self.n):
            outer = None
            for j in range(self.n):
                if j == i:
                    continue
                s = shares[j]
                outer = s if outer is None else (outer[:, :, None] * s[:, None, :]).reshape(m, -1)
            out.append(outer @ self._tables[i])
        return out

    def velocity(self, shares: Sequence[np.ndarray]) -> list[np.ndarray]:
        """Replicator velocity ``x[a] * (u[a] - mean u)`` of every strategy share.

        Parameters
        ----------
        shares : sequence of ndarray
            One ``(m, k_i)`` array of strategy shares per population (rows in the simplex).

        Returns
        -------
        list of ndarray
            One ``(m, k_i)`` array per population; each row sums to 0.

        Examples
        --------
        >>> import numpy as np
        >>> P = np.array([[[3, 3], [0, 5]], [[5, 0], [1, 1]]], dtype=float)  # prisoner's dilemma
        >>> half = [np.array([[0.5, 0.5]]), np.array([[0.5, 0.5]])]
        >>> PayoffKernel(P).velocity(half)[0].tolist()
        [[-0.375, 0.375]]
        """
        u = self.utilities(shares)
        return [x * (ui - np.einsum("ma,ma->m", x, ui)[:, None]) for x, ui in zip(shares, u)]


def _softmax_blocks(xi: np.ndarray, blocks: Sequence[slice]) -> list[np.ndarray]:
    out = []
    for b in blocks:
        z = xi[:, b]
        z = np.exp(z - z.max(axis=1, keepdims=True))
        out.append(z / z.sum(axis=1, keepdims=True))
    return out


class BinarySystem:
    """Every population has two strategies: one logit per population, ``xi = log(x / (1 - x))``.

    The payoff difference ``D_i`` is multilinear in the other shares, so all of them are one
    matrix product of the monomials ``prod_{j in S} x_j`` with a coefficient table obtained
    by a Möbius transform of the payoff differences at the corners. States are stored
    transposed, shape ``(n, m)``, so every operation runs on contiguous rows.
    """

    def __init__(self, payoffs: np.ndarray) -> None:
        table = np.asarray(payoffs, dtype=float)
        n = table.shape[-1]
        # Difference u_i(first) - u_i(second) at every corner, indexed by e_j = 1 when
        # population j plays its first strategy (the flip puts the first strategy at 1).
        values = np.empty((2,) * n + (n,))
        for i in range(n):
            diff = np.take(table[..., i], 0, axis=i) - np.take(table[..., i], 1, axis=i)
            values[..., i] = np.broadcast_to(np.expand_dims(diff, i), (2,) * n)
        coef = np.flip(values, axis=tuple(range(n)))
        for j in range(n):  # Möbius transform: values at corners -> monomial coefficients
            lo = np.take(coef, [0], axis=j)
            coef = np.concatenate([lo, np.take(coef, [1], axis=j) - lo], axis=j)
        coef = coef.reshape(2**n, n)
        # Monomial c (bit j set <=> x_j is a factor) sits at row c of the buffer built in rhs;
        # coef rows are C-ordered with population 0 as the most significant bit.
        order = [sum(((c >> j) & 1) << (n - 1 - j) for j in range(n)) for c in range(2**n)]
        self.coefT = np.ascontiguousarray(coef[order].T)  # (n, 2**n)
        self.n = n

    def start(self, shares0: Sequence[np.ndarray]) -> tuple[np.ndarray, None]:
        x = np.stack([s[:, 0] for s in shares0], axis=0)
        with np.errstate(divide="ignore"):
            return np.log(x) - np.log1p(-x), None

    def shares(self, xi: np.ndarray, aux: None) -> list[np.ndarray]:
        with np.errstate(over="ignore"):
            x = 1.0 / (1.0 + np.exp(-xi))
        return [np.stack([x[i], 1.0 - x[i]], axis=1) for i in range(self.n)]

    def rhs(self, xi: np.ndarray, aux: None) -> np.ndarray:
        m = xi.shape[1]
        mono = np.empty((2**self.n, m))
        with np.errstate(over="ignore"):
            np.exp(-xi, out=mono[1 : self.n + 1])
        x = mono[1 : self.n + 1]
        x += 1.0
        np.reciprocal(x, out=x)
        x = x.copy()
        mono[0] = 1.0
        size = 1
        for j in range(self.n):
            np.multiply(mono[:size], x[j], out=mono[size : 2 * size])
            size *= 2
        return self.coefT @ mono

    def keep(self, aux: None, keep: np.ndarray) -> None:
        return None


class GeneralSystem:
    """Any numbers of strategies: logits relative to each trajectory's reference strategy."""

    def __init__(self, payoffs: np.ndarray) -> None:
        self.kernel = PayoffKernel(payoffs)
        self.blocks = []
        start = 0
        for k in self.kernel.shape:
            self.blocks.append(slice(start, start + k))
            start += k

    def start(self, shares0: Sequence[np.ndarray]) -> tuple[np.ndarray, list[np.ndarray]]:
        with np.errstate(divide="ignore"):
            logs = [np.log(s) for s in shares0]
        refs = [np.argmax(s, axis=1) for s in shares0]
        xi = np.concatenate(
            [lg - np.take_along_axis(lg, r[:, None], axis=1) for lg, r in zip(logs, refs)], axis=1
        )
        return np.ascontiguousarray(xi.T), refs

    def shares(self, xi: np.ndarray, refs: list[np.ndarray]) -> list[np.ndarray]:
        return _softmax_blocks(xi.T, self.blocks)

    def rhs(self, xi: np.ndarray, refs: list[np.ndarray]) -> np.ndarray:
        u = self.kernel.utilities(_softmax_blocks(xi.T, self.blocks))
        return np.concatenate(
            [ui - np.take_along_axis(ui, r[:, None], axis=1) for ui, r in zip(u, refs)], axis=1
        ).T

    def keep(self, refs: list[np.ndarray], keep: np.ndarray) -> list[np.ndarray]:
        return [r[keep] for r in refs]


def integrate_logit(
    payoffs: np.ndarray,
    shares0: Sequence[np.ndarray],
    times: np.ndarray,
    *,
    rtol: float,
    atol: float,
    max_steps: int,
    progress: Callable[[float], None] | None = None,
) -> list[np.ndarray]:
    """Integrate the replicator dynamics from many initial states.

    Parameters
    ----------
    payoffs : ndarray, shape (k_0, ..., k_{n-1}, n)
        Float payoff table.
    shares0 : list of ndarray, one per population, shape (m, k_i)
        Initial strategy shares (rows in the simplex).
    times : ndarray, shape (T,)
        Increasing output times; ``times[0]`` is the start.
    rtol, atol : float
        Tolerances of the local error of the logits (``rtol`` relative to the logit's size).
    max_steps : int
        Largest number of steps any trajectory may take.
    progress : callable, optional
        Called with the time reached by the slowest trajectory.

    Returns
    -------
    list of ndarray, shape (m, T, k_i)
        Shares of every strategy at every output time.

    Raises
    ------
    ConvergenceError
        If a trajectory needs more than ``max_steps`` steps.

    Examples
    --------
    The prisoner's dilemma from 90 % cooperators in both populations:

    >>> import numpy as np
    >>> P = np.array([[[3, 3], [0, 5]], [[5, 0], [1, 1]]], dtype=float)
    >>> start = [np.array([[0.9, 0.1]]), np.array([[0.9, 0.1]])]
    >>> paths = integrate_logit(P, start, np.linspace(0, 5, 11), rtol=0.0, atol=1e-9,
    ...                         max_steps=10_000)
    >>> paths[0].shape, paths[0][0, -1].round(3).tolist()
    ((1, 11, 2), [0.014, 0.986])
    """
    payoffs = np.asarray(payoffs, dtype=float)
    binary = all(k == 2 for k in payoffs.shape[:-1])
    system = BinarySystem(payoffs) if binary else GeneralSystem(payoffs)
    m = shares0[0].shape[0]
    n_out = len(times)
    result = [np.empty((m, n_out, s.shape[1])) for s in shares0]
    for r, s in zip(result, shares0):
        r[:, 0] = s
    if n_out == 1 or m == 0:
        return result

    xi, aux = system.start(shares0)  # shape (d, m)
    finite = np.isfinite(xi)
    masked = not finite.all()
    d = xi.shape[0]

    def rhs(state: np.ndarray) -> np.ndarray:
        value = system.rhs(state, aux)
        # A share at 0 (or 1) stays there: faces are invariant, and inf - inf must not appear.
        return np.where(finite, value, 0.0) if masked else value

    ids = np.arange(m)
    t = np.full(m, float(times[0]))
    out_index = np.ones(m, dtype=int)
    k1 = rhs(xi)
    span = float(times[-1] - times[0])
    speed = np.sqrt(np.mean(k1**2, axis=0))
    h = np.minimum(0.05 * (atol + rtol) ** 0.2 / np.maximum(speed, 1e-12), span)
    h = np.maximum(h, 1e-8 * span)
    stages = np.empty((7, d, m))
    steps = 0
    while ids.size:
        steps += 1
        if steps > max_steps:
            raise ConvergenceError(
                f"simulate: {ids.size} trajectories needed more than max_steps={max_steps} "
                f"steps (slowest at t = {t.min():.4g}); raise max_steps or loosen rtol"
            )
        target = times[out_index]
        h_eff = np.minimum(h, target - t)
        if stages.shape[2] != ids.size:
            stages = np.empty((7, d, ids.size))
        flat = stages.reshape(7, -1)
        stages[0] = k1
        for i in range(1, 7):
            incr = (_A_ROWS[i][:i] @ flat[:i]).reshape(d, -1)
            incr *= h_eff
            if i == 6:
                y_new = xi + incr  # the 7th stage sits at the 5th-order solution (FSAL)
                stages[6] = rhs(y_new)
            else:
                stages[i] = rhs(xi + incr)
        err_vec = (_E_ROW @ flat).reshape(d, -1)
        err_vec *= h_eff
        if rtol > 0:
            size = np.maximum(np.abs(xi), np.abs(y_new))
            if masked:
                size = np.where(finite, size, 0.0)
            err_vec /= atol + rtol * size
        else:
            err_vec /= atol
        err = np.sqrt(np.einsum("dm,dm->m", err_vec, err_vec) / d)
        accept = err <= 1.0
        with np.errstate(divide="ignore"):
            factor = np.clip(0.9 * err**-0.2, 0.2, 5.0)
        factor = np.where(accept, factor, np.minimum(factor, 1.0))
        # A step cut short to land on an output time keeps its proposed size for next time.
        h = np.where(accept & (h_eff < h), h, h_eff * factor)
        if not accept.any():
            continue
        reached = accept & (h_eff >= target - t)
        xi = np.where(accept, y_new, xi)
        k1 = np.where(accept, stages[6], k1)
        t = np.where(accept, np.where(reached, target, t + h_eff), t)
        if not reached.any():
            continue
        rows = np.flatnonzero(reached)
        sub_aux = system.keep(aux, rows) if aux is not None else None
        for r, s in zip(result, system.shares(xi[:, rows], sub_aux)):
            r[ids[rows], out_index[rows]] = s
        out_index[rows] += 1
        done = out_index >= n_out
        if done.any():
            keep = ~done
            ids, xi, k1, t, h = ids[keep], xi[:, keep], k1[:, keep], t[keep], h[keep]
            finite, out_index = finite[:, keep], out_index[keep]
            aux = system.keep(aux, keep) if aux is not None else None
        if progress is not None:
            progress(float(t.min()) if t.size else float(times[-1]))
    return result
