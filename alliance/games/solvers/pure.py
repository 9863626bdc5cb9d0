"""Pure-strategy Nash equilibria of n-player games, vectorised over all profiles.

A profile is an equilibrium when each player's payoff equals the maximum of its payoffs
along its own axis (its best response to the others' strategies). One ``max`` per player
over the whole payoff array finds every equilibrium at once: no Python loop over profiles.

Examples
--------
>>> import numpy as np
>>> P = np.array([[[3, 3], [0, 5]], [[5, 0], [1, 1]]])   # prisoner's dilemma
>>> pure_equilibria(P).tolist()
[[1, 1]]
"""

from __future__ import annotations

import numpy as np

__all__ = ["pure_equilibria", "best_response_mask"]


def best_response_mask(payoffs: np.ndarray, tol: float = 0.0) -> np.ndarray:
    """Boolean array ``M[i0, ..., i_{n-1}, p]``: is ``i_p`` a best response of player ``p``?

    ``payoffs`` may be a float array or an object array of exact numbers (Fractions).
    """
    table = np.asarray(payoffs)
    n = table.shape[-1]
    mask = np.empty(table.shape, dtype=bool)
    for p in range(n):  # one vectorised pass per player, not per profile
        u = table[..., p]
        best = u.max(axis=p, keepdims=True)
        mask[..., p] = (u >= best - tol) if tol else (u == best)
    return mask


def pure_equilibria(payoffs: np.ndarray, tol: float = 0.0) -> np.ndarray:
    """Index profiles of every pure equilibrium, as an integer array of shape ``(k, n)``.

    Parameters
    ----------
    payoffs : ndarray
        ``P[i0, ..., i_{n-1}, player]``.
    tol : float
        A strategy within ``tol`` of the best payoff counts as a best response (floats);
        0 compares exactly (right for exact and integer payoffs).

    Returns
    -------
    ndarray of int, shape (k, n), in lexicographic order.
    """
    mask = best_response_mask(payoffs, tol)
    return np.argwhere(mask.all(axis=-1))
