r"""The Lemke–Howson algorithm for bimatrix games, with lexicographic degeneracy resolution.

Algorithm
---------
With positive payoffs (an affine shift that keeps every equilibrium, see
:mod:`alliance.games.solvers._linalg`) the best-response polytopes are written as two
dictionaries (tableaux)

.. math::

    B^\top x + s = 1, \quad A y + r = 1, \qquad x, s, y, r \ge 0,

where the variable carrying label ``k`` is ``x_k`` or ``r_k`` for ``k < m`` and ``s_{k-m}`` or
``y_{k-m}`` for ``k >= m``. Starting from the artificial equilibrium ``(0, 0)``, the
*initial label* ``k`` is dropped: its variable enters its tableau, the minimum-ratio test picks
the leaving variable, and the variable with the same label in the *other* tableau enters next
(complementary pivoting). The path ends when the label ``k`` is picked up again, at a Nash
equilibrium (Lemke & Howson 1964).

Degenerate games are handled by the **lexicographic minimum-ratio test**: ties in the ratio
test are broken by comparing the rows of ``[rhs, C^{-1}]`` divided by the pivot-column entry,
which is the same as perturbing the right-hand side by ``(eps, eps^2, ...)``; the path then
never cycles (von Stengel 2007, sec. 3.5).

Exact arithmetic uses ``fractions.Fraction`` tableaux; floats use a tolerance.

Limits
------
Lemke–Howson finds *one* equilibrium per initial label, always one of odd index; equilibria
of index ``-1`` (and most points of continua) are not reachable from ``(0, 0)``, so
:func:`lemke_howson_all` is fast but **not complete**. Paths can be exponentially long
(Savani & von Stengel 2006); ``max_pivots`` bounds them. For every equilibrium use
:func:`alliance.games.solvers.vertex.extreme_equilibria`.

References
----------
Lemke, C. E., & Howson, J. T. (1964). Equilibrium points of bimatrix games. *Journal of the
Society for Industrial and Applied Mathematics*, 12(2), 413-423.

von Stengel, B. (2007). Equilibrium computation for two-player games in strategic and
extensive form. In N. Nisan et al. (Eds.), *Algorithmic Game Theory* (ch. 3). Cambridge
University Press.

Savani, R., & von Stengel, B. (2006). Hard-to-solve bimatrix games. *Econometrica*, 74(2),
397-429.
"""

from __future__ import annotations

import numbers
from fractions import Fraction
from typing import Any

import numpy as np

from alliance.errors import ConvergenceError, ParameterError
from alliance.games.solvers._linalg import Bimatrix, bimatrix

__all__ = ["lemke_howson", "lemke_howson_all"]

_DEFAULT_MAX_PIVOTS = 100_000


def _tableaux(game: Bimatrix) -> tuple[np.ndarray, np.ndarray]:
    """The two initial tableaux; column index = label, last column = right-hand side."""
    m, n = game.shape
    if game.exact:
        a = np.vectorize(Fraction, otypes=[object])(game.A_int)
        b = np.vectorize(Fraction, otypes=[object])(game.B_int)
        one, zero = Fraction(1), Fraction(0)
        kind: Any = object
    else:
        a, b = game.A_unit, game.B_unit
        one, zero = 1.0, 0.0
        kind = np.float64
    tableau_x = np.full((n, m + n + 1), zero, dtype=kind)  # rows: B^T x + s = 1
    tableau_x[:, :m] = b.T
    tableau_x[:, m : m + n] = np.eye(n, dtype=kind) * one + zero
    tableau_x[:, -1] = one
    tableau_y = np.full((m, m + n + 1), zero, dtype=kind)  # rows: r + A y = 1
    tableau_y[:, :m] = np.eye(m, dtype=kind) * one + zero
    tableau_y[:, m : m + n] = a
    tableau_y[:, -1] = one
    return tableau_x, tableau_y


def _lexicographic_row(tableau: np.ndarray, column: int, slack: slice, tol: float) -> int:
    """The pivot row by the lexicographic minimum-ratio test."""
    pivot_column = tableau[:, column]
    candidates = np.flatnonzero(pivot_column > tol)
    if not len(candidates):  # cannot happen for positive payoffs (bounded polytopes)
        raise ConvergenceError(
            f"Lemke-Howson found an unbounded ray at column {column}; the tableau is corrupt"
        )
    keys = np.concatenate([tableau[candidates, -1:], tableau[candidates, slack]], axis=1)
    keys = keys / pivot_column[candidates][:, None]
    for k in range(keys.shape[1]):
        if len(candidates) == 1:
            break
        smallest = keys[:, k].min()
        tie = keys[:, k] <= smallest + tol if tol else keys[:, k] == smallest
        candidates, keys = candidates[tie], keys[tie]
    return int(candidates[0])


def _pivot(tableau: np.ndarray, row: int, column: int) -> None:
    tableau[row] = tableau[row] / tableau[row, column]
    factors = tableau[:, column].copy()
    factors[row] = 0
    tableau -= np.outer(factors, tableau[row])


def _check_label(initial_label: Any, m: int, n: int) -> int:
    if (
        isinstance(initial_label, bool)
        or not isinstance(initial_label, numbers.Integral)
        or not 0 <= int(initial_label) < m + n
    ):
        raise ParameterError(
            f"initial_label is {initial_label!r}; it must be an integer in [0, {m + n - 1}] "
            f"(0..{m - 1} the row player's strategies, {m}..{m + n - 1} the column player's)"
        )
    return int(initial_label)


def _check_max_pivots(max_pivots: Any) -> int:
    if max_pivots is None:
        return _DEFAULT_MAX_PIVOTS
    if (
        isinstance(max_pivots, bool)
        or not isinstance(max_pivots, numbers.Integral)
        or max_pivots < 1
    ):
        raise ParameterError(f"max_pivots is {max_pivots!r}; it must be a positive integer")
    return int(max_pivots)


def _run(game: Bimatrix, label: int, max_pivots: int, tol: float) -> tuple[Any, Any]:
    m, n = game.shape
    tableau_x, tableau_y = _tableaux(game)
    tableaux = (tableau_x, tableau_y)
    basis = (list(range(m, m + n)), list(range(m)))  # basic variable (label) of each row
    slack = (slice(m, m + n), slice(0, m))  # the columns that hold the basis inverse
    tolerance = 0.0 if game.exact else tol
    side = 0 if label < m else 1  # x_k lives in the x-tableau, y_{k-m} in the y-tableau
    entering = label
    for _ in range(max_pivots):
        tableau = tableaux[side]
        row = _lexicographic_row(tableau, entering, slack[side], tolerance)
        _pivot(tableau, row, entering)
        leaving = basis[side][row]
        basis[side][row] = entering
        if leaving == label:
            break
        entering = leaving
        side = 1 - side
    else:
        raise ConvergenceError(
            f"Lemke-Howson from initial_label={label} did not end within "
            f"max_pivots={max_pivots} pivots; raise max_pivots or try another label"
        )
    zero: Any = Fraction(0) if game.exact else 0.0
    x = [zero] * m
    y = [zero] * n
    for row, variable in enumerate(basis[0]):
        if variable < m:
            x[variable] = tableau_x[row, -1]
    for row, variable in enumerate(basis[1]):
        if variable >= m:
            y[variable - m] = tableau_y[row, -1]
    if game.exact:
        total_x, total_y = sum(x), sum(y)
        return tuple(v / total_x for v in x), tuple(v / total_y for v in y)
    xs = np.maximum(np.array(x, dtype=np.float64), 0.0)
    ys = np.maximum(np.array(y, dtype=np.float64), 0.0)
    return xs / xs.sum(), ys / ys.sum()


def lemke_howson(
    A: Any,
    B: Any,
    initial_label: int = 0,
    *,
    exact: bool | None = None,
    max_pivots: int | None = None,
    tol: float = 1e-12,
) -> tuple[Any, Any]:
    """One Nash equilibrium of ``(A, B)`` by the Lemke–Howson algorithm.

    Parameters
    ----------
    A, B : array_like, shape (m, n)
        Payoffs of the row player and of the column player.
    initial_label : int, default 0
        The label dropped first: ``0..m-1`` are the row player's strategies,
        ``m..m+n-1`` the column player's.
    exact : bool or None, default None
        Exact ``Fraction`` tableaux; ``None`` means exact when every payoff is rational
        (the rule of :func:`~alliance.games.solvers.vertex.extreme_equilibria`).
    max_pivots : int or None, default None
        Upper limit on pivots (``None``: 100000).
    tol : float, default 1e-12
        Float mode only: entries up to ``tol`` count as zero (payoffs mapped onto [1, 2]).

    Returns
    -------
    tuple
        ``(x, y)``: tuples of ``Fraction`` in exact mode, float64 arrays otherwise.

    Raises
    ------
    InvalidGameError
        Malformed payoffs (the message names ``A`` or ``B``).
    ParameterError
        ``initial_label`` or ``max_pivots`` out of range.
    ConvergenceError
        More than ``max_pivots`` pivots.

    Examples
    --------
    >>> x, y = lemke_howson([[3, 0], [0, 2]], [[2, 0], [0, 3]], initial_label=0)
    >>> [str(p) for p in x], [str(q) for q in y]
    (['1', '0'], ['1', '0'])
    >>> x, y = lemke_howson([[0.5, -1.0], [-1.0, 1.0]], [[-0.5, 1.0], [1.0, -1.0]])
    >>> x.round(4).tolist()
    [0.5714, 0.4286]

    References
    ----------
    Lemke, C. E., & Howson, J. T. (1964). Equilibrium points of bimatrix games. *Journal of
    the Society for Industrial and Applied Mathematics*, 12(2), 413-423.
    """
    game = bimatrix(A, B, exact=exact)
    m, n = game.shape
    label = _check_label(initial_label, m, n)
    return _run(game, label, _check_max_pivots(max_pivots), tol)


def lemke_howson_all(
    A: Any,
    B: Any,
    *,
    exact: bool | None = None,
    max_pivots: int | None = None,
    tol: float = 1e-12,
) -> list[tuple[Any, Any]]:
    """The equilibria reached by Lemke–Howson from every initial label, without repeats.

    Fast (``m + n`` paths) but not complete: equilibria of negative index and most extreme
    points of continua are never reached. Use
    :func:`~alliance.games.solvers.vertex.extreme_equilibria` for all of them.

    Parameters
    ----------
    A, B, exact, max_pivots, tol
        As for :func:`lemke_howson`.

    Returns
    -------
    list of tuple
        Distinct equilibria ``(x, y)``, sorted lexicographically.

    Examples
    --------
    Battle of the sexes: the two pure equilibria are reached, the mixed one (index -1) not.

    >>> [([str(p) for p in x], [str(q) for q in y])
    ...  for x, y in lemke_howson_all([[3, 0], [0, 2]], [[2, 0], [0, 3]])]
    [(['0', '1'], ['0', '1']), (['1', '0'], ['1', '0'])]
    """
    game = bimatrix(A, B, exact=exact)
    m, n = game.shape
    limit = _check_max_pivots(max_pivots)
    found = [_run(game, label, limit, tol) for label in range(m + n)]
    if game.exact:
        return sorted(set(found))
    profiles = np.array([np.concatenate(pair) for pair in found])
    order = np.lexsort(np.round(profiles, 9).T[::-1])
    distinct: list[np.ndarray] = []
    for k in order:
        if not any(np.max(np.abs(profiles[k] - p)) <= 1e-9 for p in distinct):
            distinct.append(profiles[k])
    return [(p[:m].copy(), p[m:].copy()) for p in distinct]
