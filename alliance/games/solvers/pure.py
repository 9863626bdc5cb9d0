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
    """Boolean array ``M[i0, ..., i_{n-1}, p]``: whether ``i_p`` is a best response of ``p``.

    Parameters
    ----------
    payoffs : ndarray, shape (m_1, ..., m_n, n)
        ``P[i0, ..., i_{n-1}, player]``: a float array or an object array of exact numbers
        (Fractions).
    tol : float, default 0
        A strategy within ``tol`` of the best payoff counts as a best response; 0 compares
        exactly.

    Returns
    -------
    ndarray of bool, same shape as ``payoffs``
        ``True`` where player ``p``'s strategy is a best response to the others' strategies.

    Examples
    --------
    The prisoner's dilemma: defection (index 1) is each player's only best response.

    >>> import numpy as np
    >>> P = np.array([[[3, 3], [0, 5]], [[5, 0], [1, 1]]])
    >>> best_response_mask(P)[..., 0].tolist()
    [[False, False], [True, True]]
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
    ndarray of int, shape (k, n)
        One row per pure equilibrium, in lexicographic order.

    Examples
    --------
    The battle of the sexes has two pure equilibria:

    >>> import numpy as np
    >>> P = np.array([[[2, 1], [0, 0]], [[0, 0], [1, 2]]])
    >>> pure_equilibria(P).tolist()
    [[0, 0], [1, 1]]
    """
    mask = best_response_mask(payoffs, tol)
    return np.argwhere(mask.all(axis=-1))
