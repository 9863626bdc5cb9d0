"""Small dense linear systems solved exactly (Fractions) or in floating point, and the vertices
of the polytopes they cut out.

The supports of a mixed equilibrium fix which equalities (indifference) and inequalities
(no profitable deviation) the probabilities obey; the equilibria with those supports form a
polytope, and its *vertices* are the extreme equilibria. :func:`polytope_vertices` lists them
by making as many inequalities tight as the equalities leave degrees of freedom. Entries are
``Fraction`` (exact: comparisons with zero are exact) or ``float`` (compared with
:data:`FLOAT_TOL`).

Examples
--------
The vertices of ``{x + y = 1, x >= 1/3}`` in the plane, as exact fractions:

>>> from fractions import Fraction as F
>>> polytope_vertices([[F(1), F(1)]], [F(1)], [[F(1), F(0)]], [F(1, 3)])
[[Fraction(1, 3), Fraction(2, 3)]]
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from fractions import Fraction
from typing import Any

__all__ = ["FLOAT_TOL", "is_zero", "solve_linear", "polytope_vertices"]

#: Tolerance of comparisons when a system has floating-point entries.
FLOAT_TOL = 1e-10


def is_zero(value: Any) -> bool:
    """Exactly zero for a Fraction or int, within :data:`FLOAT_TOL` for a float.

    Parameters
    ----------
    value : Fraction, int or float

    Returns
    -------
    bool

    Examples
    --------
    >>> from fractions import Fraction
    >>> is_zero(Fraction(1, 10**20)), is_zero(1e-20)
    (False, True)
    """
    if isinstance(value, (int, Fraction)):
        return value == 0
    return abs(value) <= FLOAT_TOL


def solve_linear(matrix: Sequence[Sequence[Any]], rhs: Sequence[Any]
                 ) -> tuple[list[Any], list[list[Any]]] | None:
    """One solution of ``matrix @ z = rhs`` and a basis of the null space, by Gauss–Jordan.

    Parameters
    ----------
    matrix : sequence of sequence
        ``m`` rows of ``n`` entries (Fraction, int or float).
    rhs : sequence
        ``m`` entries.

    Returns
    -------
    tuple or None
        ``(z, null)``: ``z`` solves the system (free variables at zero), ``null`` lists the
        null-space basis vectors; ``None`` when the system is inconsistent.

    Examples
    --------
    >>> from fractions import Fraction as F
    >>> solve_linear([[F(2), F(1)], [F(1), F(-1)]], [F(3), F(0)])
    ([Fraction(1, 1), Fraction(1, 1)], [])
    """
    rows = [list(r) + [b] for r, b in zip(matrix, rhs, strict=True)]
    n = len(matrix[0]) if rows else 0
    pivots: list[int] = []
    r = 0
    for c in range(n):
        best = None
        for i in range(r, len(rows)):
            if not is_zero(rows[i][c]) and (best is None or abs(rows[i][c]) > abs(rows[best][c])):
                best = i
                if isinstance(rows[i][c], (int, Fraction)):
                    break  # exact: any non-zero pivot will do
        if best is None:
            continue
        rows[r], rows[best] = rows[best], rows[r]
        p = rows[r][c]
        rows[r] = [v / p for v in rows[r]]
        for i in range(len(rows)):
            if i != r and not is_zero(rows[i][c]):
                f = rows[i][c]
                rows[i] = [a - f * b for a, b in zip(rows[i], rows[r], strict=True)]
        pivots.append(c)
        r += 1
        if r == len(rows):
            break
    if any(not is_zero(row[-1]) for row in rows[r:]):  # 0 = b with b non-zero
        return None
    zero = Fraction(0)
    z: list[Any] = [zero] * n
    for i, c in enumerate(pivots):
        z[c] = rows[i][-1]
    null = []
    for free in (c for c in range(n) if c not in pivots):
        vec: list[Any] = [zero] * n
        vec[free] = Fraction(1)
        for i, c in enumerate(pivots):
            vec[c] = -rows[i][free]
        null.append(vec)
    return z, null


def polytope_vertices(eq_matrix: Sequence[Sequence[Any]], eq_rhs: Sequence[Any],
                      ineq_matrix: Sequence[Sequence[Any]], ineq_rhs: Sequence[Any],
                      *, positive: Sequence[int] = ()) -> list[list[Any]]:
    """The vertices of ``{z : eq_matrix z = eq_rhs, ineq_matrix z >= ineq_rhs}`` at which the
    coordinates listed in ``positive`` are strictly positive.

    Parameters
    ----------
    eq_matrix, eq_rhs : sequence
        The equalities (rows of coefficients and right-hand sides).
    ineq_matrix, ineq_rhs : sequence
        The inequalities ``row @ z >= rhs``.
    positive : sequence of int
        Coordinates that must be strictly positive at a returned vertex.

    Returns
    -------
    list of list
        The vertices.

    Notes
    -----
    Each vertex is the unique solution of the equalities together with as many tight
    inequalities as the equalities leave free; the polytope must be bounded in the free
    directions (it is for probabilities). Vertices are returned once each, in the order found.

    Examples
    --------
    >>> from fractions import Fraction as F
    >>> # the segment x + y = 1, x, y >= 0: its two ends
    >>> polytope_vertices([[F(1), F(1)]], [F(1)], [[F(1), F(0)], [F(0), F(1)]], [F(0), F(0)])
    [[Fraction(0, 1), Fraction(1, 1)], [Fraction(1, 1), Fraction(0, 1)]]
    """
    base = solve_linear(eq_matrix, eq_rhs)
    if base is None:
        return []
    _, null = base
    d = len(null)
    found: list[list[Any]] = []

    def admissible(z: list[Any]) -> bool:
        if any(z[k] < 0 or is_zero(z[k]) for k in positive):
            return False
        for row, b in zip(ineq_matrix, ineq_rhs, strict=True):
            slack = sum(a * v for a, v in zip(row, z, strict=True)) - b
            if slack < 0 and not is_zero(slack):
                return False
        return True

    for tight in itertools.combinations(range(len(ineq_matrix)), d):
        solution = solve_linear(list(eq_matrix) + [ineq_matrix[k] for k in tight],
                                list(eq_rhs) + [ineq_rhs[k] for k in tight])
        if solution is None or solution[1]:
            continue
        z = solution[0]
        if admissible(z) and not any(all(is_zero(a - b) for a, b in zip(z, w, strict=True)) for w in found):
            found.append(z)
    return found
