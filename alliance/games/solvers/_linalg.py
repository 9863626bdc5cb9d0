"""Shared helpers of the two-player solvers: input checks, exact linear algebra, regret.

The solvers in :mod:`alliance.games.solvers.vertex` and
:mod:`alliance.games.solvers.lemke_howson` work on the *best-response polytopes* of a
bimatrix game ``(A, B)`` (row player receives ``A``, column player ``B``).  Those polytopes are
bounded only when every payoff is positive, so the payoffs are first moved by a positive affine
map of each player's payoffs, which leaves every Nash equilibrium unchanged:

* in floating point, each matrix is mapped onto ``[1, 2]`` (``(A - min A) / range + 1``), which
  keeps the linear systems well scaled whatever the payoff units;
* in exact arithmetic, each matrix is mapped onto positive *integers*
  (``(A - min A) * lcm(denominators) + 1``), so exact vertices come from integer
  (fraction-free) elimination.

The module also holds :func:`regret`, the one generic equilibrium check used by the tests.
"""

from __future__ import annotations

import math
import numbers
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

import numpy as np

from alliance.errors import InvalidGameError

__all__ = ["Bimatrix", "bimatrix", "regret", "solve_integer", "is_exact_input"]


@dataclass(frozen=True)
class Bimatrix:
    """A validated bimatrix game in the two forms the solvers need.

    Attributes
    ----------
    shape : tuple of int
        ``(m, n)``: the row player has ``m`` pure strategies, the column player ``n``.
    A, B : numpy.ndarray
        The payoffs as given (float64, or object arrays of ``Fraction`` in exact mode).
    A_unit, B_unit : numpy.ndarray
        Float64 payoffs mapped onto ``[1, 2]`` (same equilibria).
    A_int, B_int : numpy.ndarray or None
        Object arrays of positive Python ``int`` (same equilibria); ``None`` in float mode.
    exact : bool
        Whether results are to be computed and returned as ``Fraction``.
    """

    shape: tuple[int, int]
    A: np.ndarray
    B: np.ndarray
    A_unit: np.ndarray
    B_unit: np.ndarray
    A_int: np.ndarray | None
    B_int: np.ndarray | None
    exact: bool


def _as_matrix(value: Any, field: str) -> np.ndarray:
    """Return ``value`` as a 2-D object or float array, or raise naming ``field``."""
    if isinstance(value, np.ndarray):
        array = value
    else:
        try:
            array = np.asarray(value, dtype=object)
        except ValueError as err:  # ragged nested sequences
            lengths = [len(row) if hasattr(row, "__len__") else 1 for row in value]
            raise InvalidGameError(
                f"payoff matrix {field} is ragged (row lengths {lengths}); every row must "
                "have the same length"
            ) from err
    if array.size == 0:
        raise InvalidGameError(
            f"payoff matrix {field} is empty (shape {array.shape}); each player needs at least "
            "one strategy"
        )
    if (
        array.dtype == object
        and array.ndim == 1
        and any(isinstance(row, (list, tuple, np.ndarray)) for row in array)
    ):
        lengths = [len(row) if hasattr(row, "__len__") else 1 for row in array]
        raise InvalidGameError(
            f"payoff matrix {field} is ragged (row lengths {lengths}); every row must have the "
            "same length"
        )
    if array.ndim != 2:
        raise InvalidGameError(
            f"payoff matrix {field} has {array.ndim} dimension(s) (shape {array.shape}); "
            "it must be a 2-D m x n array"
        )
    if array.dtype == object:
        for index, entry in np.ndenumerate(array):
            if isinstance(entry, (list, tuple, np.ndarray)):
                raise InvalidGameError(
                    f"payoff matrix {field} is ragged: entry {index} is a sequence {entry!r}; "
                    "every entry must be a number"
                )
            if isinstance(entry, bool | np.bool_) or not isinstance(entry, numbers.Real):
                raise InvalidGameError(
                    f"payoff matrix {field} has a non-numeric entry {entry!r} at {index}; "
                    "payoffs must be real numbers"
                )
            if not isinstance(entry, numbers.Rational) and not math.isfinite(float(entry)):
                raise InvalidGameError(
                    f"payoff matrix {field} has a non-finite entry {entry!r} at {index}; "
                    "payoffs must be finite"
                )
        return array
    if array.dtype.kind in "iu":
        return array.astype(object)
    if array.dtype.kind != "f":
        raise InvalidGameError(
            f"payoff matrix {field} has dtype {array.dtype}; payoffs must be real numbers"
        )
    bad = ~np.isfinite(array)
    if bad.any():
        index = tuple(int(i) for i in np.argwhere(bad)[0])
        raise InvalidGameError(
            f"payoff matrix {field} has a non-finite entry {array[index]!r} at {index}; "
            "payoffs must be finite"
        )
    return array.astype(np.float64)


def _is_rational_entry(entry: Any) -> bool:
    if isinstance(entry, numbers.Rational):
        return True
    return float(entry).is_integer()


def is_exact_input(*matrices: np.ndarray) -> bool:
    """Whether every payoff is an integer, a rational or an integer-valued float.

    This is the rule by which ``exact=None`` (auto) switches to exact arithmetic.

    Examples
    --------
    >>> import numpy as np
    >>> is_exact_input(np.array([[1, 0], [0, 1]]), np.array([[3.0, 0.0], [0.0, 1.0]]))
    True
    >>> is_exact_input(np.array([[0.5, 0.25]]))
    False
    """
    for matrix in matrices:
        array = np.asarray(matrix)
        if array.dtype.kind in "iub":
            continue
        if array.dtype.kind == "f":
            if not np.all(np.mod(array, 1.0) == 0.0):
                return False
            continue
        if not all(_is_rational_entry(entry) for entry in array.flat):
            return False
    return True


def _to_fraction(entry: Any) -> Fraction:
    if isinstance(entry, numbers.Rational):
        return Fraction(int(entry.numerator), int(entry.denominator))
    return Fraction(float(entry))  # exact binary value of the float


def _unit(matrix: np.ndarray) -> np.ndarray:
    """Map a float matrix onto [1, 2] by a positive affine map (identity shape)."""
    low, high = matrix.min(), matrix.max()
    spread = high - low
    if spread <= 0.0:
        return np.ones_like(matrix)
    return (matrix - low) / spread + 1.0


def _unit_of_exact(matrix: np.ndarray) -> np.ndarray:
    """``_unit`` of an exact (Python int or Fraction) matrix.

    Integers beyond the float range (payoffs such as 2.2e-313 have denominators of 300
    digits) are mapped onto [1, 2] exactly first, then rounded.
    """
    try:
        return _unit(matrix.astype(np.float64))
    except OverflowError:
        low, high = min(matrix.flat), max(matrix.flat)
        spread = Fraction(high - low)
        if spread == 0:
            return np.ones(matrix.shape)
        return np.vectorize(lambda x: float((x - low) / spread) + 1.0, otypes=[float])(matrix)


def _positive_integers(matrix: np.ndarray) -> np.ndarray:
    """Map a Fraction matrix onto positive Python ints by a positive affine map."""
    low = min(matrix.flat)
    scale = 1
    for entry in matrix.flat:
        scale = math.lcm(scale, entry.denominator)
    shifted = np.empty(matrix.shape, dtype=object)
    for index, entry in np.ndenumerate(matrix):
        value = (entry - low) * scale + 1
        shifted[index] = int(value)
    return shifted


def bimatrix(A: Any, B: Any, *, exact: bool | None = None) -> Bimatrix:
    """Validate a bimatrix game and prepare its float and exact forms.

    Parameters
    ----------
    A, B : array_like, shape (m, n)
        Payoffs of the row and of the column player. Entries: ``int``, ``float``,
        ``fractions.Fraction`` (or any ``numbers.Rational``); finite.
    exact : bool or None
        ``None`` (auto): exact when :func:`is_exact_input` holds. ``True`` forces exact
        arithmetic (floats are then taken at their exact binary value).

    Returns
    -------
    Bimatrix

    Raises
    ------
    InvalidGameError
        If a matrix is ragged, empty, not 2-D, non-numeric or non-finite, or if the shapes
        of ``A`` and ``B`` differ; the message names the matrix (``A`` or ``B``).

    Examples
    --------
    >>> game = bimatrix([[1, -1], [-1, 1]], [[-1, 1], [1, -1]])
    >>> game.shape, game.exact
    ((2, 2), True)
    >>> game.A_int.tolist()
    [[3, 1], [1, 3]]
    """
    a = _as_matrix(A, "A")
    b = _as_matrix(B, "B")
    if a.shape != b.shape:
        raise InvalidGameError(
            f"payoff matrix B has shape {b.shape}; it must have the shape of A, {a.shape}"
        )
    if exact is None:
        exact = is_exact_input(a, b)
    if exact:
        a_frac = np.vectorize(_to_fraction, otypes=[object])(a)
        b_frac = np.vectorize(_to_fraction, otypes=[object])(b)
        a_int = _positive_integers(a_frac)
        b_int = _positive_integers(b_frac)
        a_unit = _unit_of_exact(a_int)
        b_unit = _unit_of_exact(b_int)
        return Bimatrix(a.shape, a_frac, b_frac, a_unit, b_unit, a_int, b_int, True)
    a_float = a.astype(np.float64)
    b_float = b.astype(np.float64)
    return Bimatrix(a.shape, a_float, b_float, _unit(a_float), _unit(b_float), None, None, False)


def solve_integer(matrix: list[list[int]], rhs: list[int]) -> tuple[list[int], int] | None:
    """Solve a square integer system exactly by fraction-free Gauss-Jordan elimination.

    Every intermediate number is a minor of the augmented matrix, so all divisions are exact
    and no fraction is ever formed; the solution is returned over a common denominator.

    Parameters
    ----------
    matrix : list of list of int
        A square ``s x s`` integer matrix.
    rhs : list of int
        The right-hand side, length ``s``.

    Returns
    -------
    tuple of (list of int, int) or None
        ``(numerators, denominator)`` with ``denominator = |det(matrix)| > 0`` and
        ``matrix @ numerators == denominator * rhs``; ``None`` when the matrix is singular.

    References
    ----------
    Bareiss, E. H. (1968). Sylvester's identity and multistep integer-preserving Gaussian
    elimination. *Mathematics of Computation*, 22(103), 565-578.

    Examples
    --------
    >>> solve_integer([[2, 1], [1, 3]], [1, 1])
    ([2, 1], 5)
    >>> solve_integer([[1, 2], [2, 4]], [1, 1]) is None
    True
    """
    size = len(rhs)
    rows = [[*row, value] for row, value in zip(matrix, rhs, strict=True)]
    previous = 1
    for k in range(size):
        pivot = next((r for r in range(k, size) if rows[r][k] != 0), None)
        if pivot is None:
            return None
        if pivot != k:
            rows[k], rows[pivot] = rows[pivot], rows[k]
        row_k = rows[k]
        akk = row_k[k]
        for i in range(size):
            if i == k:
                continue
            row_i = rows[i]
            aik = row_i[k]
            # Sylvester's identity makes each division exact
            for j in range(size + 1):
                row_i[j] = (akk * row_i[j] - aik * row_k[j]) // previous
            row_i[k] = 0
        previous = akk
    numerators = [row[size] for row in rows]
    if previous < 0:
        return [-v for v in numerators], -previous
    return numerators, previous


def regret(A: Any, B: Any, x: Any, y: Any) -> tuple[Any, Any]:
    """Each player's gain from the best pure deviation at the profile ``(x, y)``.

    Parameters
    ----------
    A, B : array_like, shape (m, n)
        Payoffs of the row and column player.
    x, y : array_like, shapes (m,) and (n,)
        Mixed strategies (floats or Fractions).

    Returns
    -------
    tuple
        ``(max_i (A y)_i - x A y, max_j (x B)_j - x B y)``; both are ``>= 0`` and both are
        zero exactly at a Nash equilibrium. Exact (``Fraction``) when every input is.

    Examples
    --------
    >>> from fractions import Fraction as F
    >>> regret([[1, -1], [-1, 1]], [[-1, 1], [1, -1]], [F(1, 2)] * 2, [F(1, 2)] * 2)
    (Fraction(0, 1), Fraction(0, 1))
    >>> regret([[1, -1], [-1, 1]], [[-1, 1], [1, -1]], [1.0, 0.0], [1.0, 0.0])
    (np.float64(0.0), np.float64(2.0))
    """
    exact = all(
        isinstance(v, numbers.Rational) for v in np.asarray(x, dtype=object).ravel()
    ) and all(isinstance(v, numbers.Rational) for v in np.asarray(y, dtype=object).ravel())
    kind = object if exact else np.float64
    if exact:
        a = np.vectorize(_to_fraction, otypes=[object])(np.asarray(A, dtype=object))
        b = np.vectorize(_to_fraction, otypes=[object])(np.asarray(B, dtype=object))
    else:
        a = np.asarray(A, dtype=np.float64)
        b = np.asarray(B, dtype=np.float64)
    xv = np.asarray(x, dtype=kind)
    yv = np.asarray(y, dtype=kind)
    row_payoffs = a.dot(yv)
    col_payoffs = xv.dot(b)
    return (max(row_payoffs) - xv.dot(row_payoffs), max(col_payoffs) - col_payoffs.dot(yv))
