r"""Lemke's algorithm on the sequence-form linear complementarity problem of a two-player
extensive game (Koller, Megiddo and von Stengel 1996).

Model
-----
Player 1 picks a realisation plan :math:`x \ge 0` with :math:`Ex = e`, player 2 a plan
:math:`y \ge 0` with :math:`Fy = f`; they receive :math:`x^\top A y` and :math:`x^\top B y`.
``x`` is a best reply to ``y`` iff the dual of :math:`\max_x x^\top (Ay)` has a solution
:math:`p` with :math:`E^\top p \ge Ay` and :math:`x^\top(E^\top p - Ay) = 0`; likewise for
``y``. With each free dual written as a difference of non-negative parts
(:math:`p = p' - p''`) and each equality as two inequalities, a Nash equilibrium is a solution
of the LCP :math:`w = b + Mz \ge 0`, :math:`z \ge 0`, :math:`z^\top w = 0` with
:math:`z = (x, y, p', p'', q', q'')`,

.. math::

    M = \begin{pmatrix} 0 & -A & E^\top & -E^\top & 0 & 0 \\
                        -B^\top & 0 & 0 & 0 & F^\top & -F^\top \\
                        -E & 0 & & & & \\ E & 0 & & 0 & & \\
                        0 & -F & & & & \\ 0 & F & & & & \end{pmatrix}, \qquad
    b = (0, 0, e, -e, f, -f).

The size is linear in the tree, where the normal form is exponential.

Algorithm
---------
Lemke's algorithm with the covering vector :math:`d = \mathbf 1` (an artificial variable
:math:`z_0` added to every row) follows a path of almost-complementary bases from the ray
:math:`z = 0`, :math:`z_0 \to \infty` to a solution. It cannot end on a secondary ray once
the payoffs are made negative (every leaf's payoff minus a constant, which changes no
player's best replies since the leaf probabilities of any pair of plans sum to one): then
:math:`z^\top M z = -x^\top(A + B)y \ge 0`, so on a ray :math:`z_0\,d^\top z = 0`; and a ray
with :math:`z_0 = 0` would need :math:`Ex = 0`, hence :math:`x = 0`, and a dual direction
with :math:`E^\top r \ge 0`, :math:`e^\top r < 0`, which the tree structure of ``E`` rules out.
The equality rows make the LCP degenerate; the lexicographic minimum-ratio test (columns of
the basis inverse) resolves it, and all pivots are done in integers (fraction-free, each
entry the true value times the basis determinant), so rational games give exact answers.

Examples
--------
Matching pennies with player 2 moving in the dark, every payoff lowered by 2: ``E`` and ``F``
say that each player's two sequences sum to the empty one's probability 1.

>>> import numpy as np
>>> A = np.array([[0, 0, 0], [0, -1, -3], [0, -3, -1]])
>>> B = np.array([[0, 0, 0], [0, -3, -1], [0, -1, -3]])
>>> E = np.array([[1, 0, 0], [-1, 1, 1]]); e = np.array([1, 0])
>>> x, y = sequence_form_lcp(A, B, E, e, E, e)
>>> x, y
([Fraction(1, 1), Fraction(1, 2), Fraction(1, 2)], [Fraction(1, 1), Fraction(1, 2), Fraction(1, 2)])

References
----------
Koller, D., Megiddo, N. and von Stengel, B. (1996). Efficient computation of equilibria for
extensive two-person games. *Games and Economic Behavior* 14(2), 247-259.

Lemke, C. E. (1965). Bimatrix equilibrium points and mathematical programming. *Management
Science* 11(7), 681-689.

von Stengel, B. (2002). Computing equilibria for two-person games. In R. J. Aumann and
S. Hart (eds.), *Handbook of Game Theory* 3, ch. 45, 1723-1759. North-Holland.
"""

from __future__ import annotations

import math
from fractions import Fraction
from typing import Any

import numpy as np

from alliance.errors import ConvergenceError, InvalidGameError

__all__ = ["sequence_form_lcp", "MAX_PIVOTS"]

#: Largest number of pivots before Lemke's algorithm is stopped.
MAX_PIVOTS = 100_000


def _fraction(value: Any, field: str) -> Fraction:
    if isinstance(value, Fraction):
        return value
    if isinstance(value, (int, np.integer)) and not isinstance(value, bool):
        return Fraction(int(value))
    if isinstance(value, (float, np.floating)) and math.isfinite(value):
        return Fraction(float(value))  # exact: a float is a dyadic rational
    if hasattr(value, "is_Rational") and value.is_Rational:
        return Fraction(int(value.p), int(value.q))
    raise InvalidGameError(f"{field} is {value!r}; it must be a finite number")


def _integer_payoffs(A: np.ndarray, B: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """A and B as Fractions, each scaled by the common denominator into integers."""
    out = []
    for name, M in (("A", A), ("B", B)):
        frac = np.array([[_fraction(v, f"{name}[{i}, {j}]") for j, v in enumerate(row)]
                         for i, row in enumerate(np.asarray(M, dtype=object))], dtype=object)
        out.append(frac)
    denominators = [v.denominator for M in out for v in M.flat]
    scale = math.lcm(*denominators) if denominators else 1
    return tuple(np.vectorize(lambda v: int(v * scale), otypes=[object])(M) for M in out)  # type: ignore[return-value]


def sequence_form_lcp(A: Any, B: Any, E: Any, e: Any, F: Any, f: Any, *,
                      max_pivots: int = MAX_PIVOTS
                      ) -> tuple[list[Fraction], list[Fraction]]:
    """A Nash equilibrium of a two-player game in sequence form, by Lemke's algorithm.

    Parameters
    ----------
    A, B : array_like, shape (n1, n2)
        Sequence-form payoffs, every entry <= 0 (subtract from every leaf's payoff a constant
        at least its largest payoff first: :meth:`ExtensiveGame.sequence_form_equilibrium`
        does); rational, integer or float entries (floats are taken exactly).
    E, e, F, f : array_like
        The realisation-plan constraints ``E x = e``, ``F y = f`` (entries 0, 1, -1).
    max_pivots : int
        Guard against a runaway path.

    Returns
    -------
    x, y : list of Fraction
        Equilibrium realisation plans.

    Raises
    ------
    InvalidGameError
        Shapes that do not fit, or a positive payoff.
    ConvergenceError
        If the path needs more than ``max_pivots`` pivots or ends on a ray (which the theory
        above excludes: it would be a bug).

    Examples
    --------
    A one-shot game in sequence form (each player has one information set with two actions):
    the battle of the sexes (payoffs (2, 1) on the first actions, (1, 2) on the second, all
    lowered by 3) has two pure equilibria and a mixed one; Lemke's path reaches the pure one
    on the second actions.

    >>> import numpy as np
    >>> A = np.array([[0, 0, 0], [0, -1, -3], [0, -3, -2]])
    >>> B = np.array([[0, 0, 0], [0, -2, -3], [0, -3, -1]])
    >>> E = np.array([[1, 0, 0], [-1, 1, 1]]); e = np.array([1, 0])
    >>> x, y = sequence_form_lcp(A, B, E, e, E, e)
    >>> [int(v) for v in x], [int(v) for v in y]
    ([1, 0, 1], [1, 0, 1])
    """
    A = np.asarray(A, dtype=object)
    B = np.asarray(B, dtype=object)
    E = np.asarray(E)
    F = np.asarray(F)
    n1, n2 = A.shape
    if B.shape != A.shape or E.shape[1] != n1 or F.shape[1] != n2 or len(e) != E.shape[0] or len(f) != F.shape[0]:
        raise InvalidGameError(
            f"shapes do not fit: A {A.shape}, B {B.shape}, E {E.shape}, e {len(e)}, F {F.shape}, f {len(f)}"
        )
    if any(_fraction(v, "A") > 0 for v in A.flat) or any(_fraction(v, "B") > 0 for v in B.flat):
        raise InvalidGameError("sequence_form_lcp needs every entry of A and B <= 0; shift the leaves' payoffs")
    Ai, Bi = _integer_payoffs(A, B)
    k1, k2 = E.shape[0], F.shape[0]
    N = n1 + n2 + 2 * k1 + 2 * k2
    M = np.zeros((N, N), dtype=object)
    M[:] = 0
    Ei = E.astype(int).astype(object)
    Fi = F.astype(int).astype(object)
    px, py = 0, n1
    pp, ppp, pq, pqq = n1 + n2, n1 + n2 + k1, n1 + n2 + 2 * k1, n1 + n2 + 2 * k1 + k2
    M[px:py, py:pp] = -Ai
    M[px:py, pp:ppp] = Ei.T
    M[px:py, ppp:pq] = -Ei.T
    M[py:pp, px:py] = -Bi.T
    M[py:pp, pq:pqq] = Fi.T
    M[py:pp, pqq:N] = -Fi.T
    M[pp:ppp, px:py] = -Ei
    M[ppp:pq, px:py] = Ei
    M[pq:pqq, py:pp] = -Fi
    M[pqq:N, py:pp] = Fi
    b = np.zeros(N, dtype=object)
    b[:] = 0
    b[pp:ppp] = [int(v) for v in e]
    b[ppp:pq] = [-int(v) for v in e]
    b[pq:pqq] = [int(v) for v in f]
    b[pqq:N] = [-int(v) for v in f]
    z = _lemke(M, b, max_pivots)
    return [Fraction(v) for v in z[:n1]], [Fraction(v) for v in z[n1:n1 + n2]]


def _lemke(M: np.ndarray, b: np.ndarray, max_pivots: int) -> list[Fraction]:
    """Solve ``w = b + M z >= 0, z >= 0, z'w = 0`` (integer M, b) with covering vector 1."""
    N = len(b)
    # Tableau of  I w - M z - d z0 = b; columns w (0..N-1), z (N..2N-1), z0 (2N), rhs (2N+1).
    T = np.zeros((N, 2 * N + 2), dtype=object)
    T[:] = 0
    for i in range(N):
        T[i, i] = 1
    T[:, N:2 * N] = -M
    T[:, 2 * N] = -1
    T[:, 2 * N + 1] = b
    basis = list(range(N))
    det = 1
    if all(v >= 0 for v in b):
        return [Fraction(0)] * N
    z0 = 2 * N
    rhs = 2 * N + 1
    # first pivot: z0 enters at the most negative b_i; ties go to the last such row, which
    # leaves a lexicographically positive tableau
    low = min(b)
    row = max(i for i in range(N) if b[i] == low)

    def pivot(r: int, c: int) -> None:
        nonlocal T, det
        p = T[r, c]
        keep = T[r].copy()
        T = (T * p - np.outer(T[:, c], keep)) // det
        T[r] = keep
        det = p

    pivot(row, z0)
    leaving = basis[row]
    basis[row] = z0
    for _ in range(max_pivots):
        entering = leaving + N if leaving < N else leaving - N  # the complement
        column = T[:, entering]
        candidates = [i for i in range(N) if column[i] * det > 0]
        if not candidates:
            raise ConvergenceError("Lemke's algorithm ended on a ray of the sequence-form LCP")
        # lexicographic minimum ratio over (rhs, columns of the basis inverse)
        best = candidates[0]
        for i in candidates[1:]:
            for k in [rhs, *range(N)]:
                lhs_v, rhs_v = T[i, k] * column[best], T[best, k] * column[i]
                # both pivots have the sign of det, so their product is positive
                if lhs_v != rhs_v:
                    if lhs_v < rhs_v:
                        best = i
                    break
        # prefer z0 when it ties for leaving: the path then ends at a solution
        ratio = (T[best, rhs], column[best])
        for i in candidates:
            if basis[i] == z0 and T[i, rhs] * ratio[1] == ratio[0] * column[i]:
                best = i
                break
        leaving = basis[best]
        pivot(best, entering)
        basis[best] = entering
        if leaving == z0:
            z = [Fraction(0)] * N
            for i, var in enumerate(basis):
                if N <= var < 2 * N:
                    z[var - N] = Fraction(T[i, rhs], det)
            return z
    raise ConvergenceError(f"Lemke's algorithm needed more than max_pivots={max_pivots} pivots")
