"""Three or four players mixing two strategies each, integer payoffs: exact closed forms.

Support enumeration (:mod:`alliance.games.solvers.support_nplayer`) meets these supports in
every game with binary players. With integer payoffs their elimination is done here in
Python integers, so that every degenerate case is decided exactly (no float threshold), and
the floats enter only when the roots of one exact univariate polynomial are computed.

Three binary mixers
-------------------
:func:`solve_binary_triples_exact` is :func:`~alliance.games.solvers.homotopy.solve_binary_triples`
in integers: players 1 and 2 give ``x1 = num1(x2) / den1(x2)`` and ``x0 = num0(x2) / den0(x2)``
(linear in ``x2``), and player 3's equation times ``den0 den1`` is an integer quadratic
``quad(x2)``. The system is flagged ``singular`` (for exact algebra) exactly when that
routine would flag it with exact arithmetic: ``quad`` of degree below two, or a denominator
vanishing at a root of ``quad`` (decided by the integer ``den1**2 quad(-den0 / den1)``).

Four binary mixers
------------------
With ``x0, ..., x3`` the mixers' probabilities of their second strategies, player ``i``'s
indifference ``E_i`` is multilinear in the other three unknowns and free of ``x_i``. Write
player 2's equation as ``A1 + B1 x0`` and player 1's as ``A0 + B0 x1`` (``A``, ``B`` bilinear
in ``(x2, x3)``); where ``B0 B1 != 0`` they give ``x0 = -A1 / B1`` and ``x1 = -A0 / B0``.
Players 3's and 4's equations times ``B0 B1`` are then polynomials ``Q`` (degree 2 in
``x2``, 3 in ``t = x3``) and ``R`` (degree 3 in ``x2``, 2 in ``t``). Two pseudo-remainder
steps reduce ``R`` modulo ``Q`` to a linear ``L = l1(t) x2 + l0(t)``, and
``q2 l0**2 - q1 l0 l1 + q0 l1**2`` equals ``q2(t)**2`` times the resultant ``r(t)`` of ``Q``
and ``R`` in ``x2``. The resultant carries the extraneous factor ``rho = rho0 rho1``, with
``rho_k = res(A_k, B_k)`` vanishing where player ``k``'s opponent's equation vanishes for
every ``x_k`` ("bad points"); the quotient ``r~ = r / rho`` has degree at most 9, the
multihomogeneous Bézout number (McKelvey and McLennan 1997). All of this is done exactly,
in Python integers.

When ``rho`` and ``r~`` are square-free and ``r~`` is prime to ``rho``, ``q2`` and ``l1``
(decided exactly, see below), every solution of the system is regular and lies over a root
``t`` of ``r~``, one solution per root, with ``x2 = -l0(t) / l1(t)``:

* a solution off the bad points has ``B0 B1 != 0``, so it is a common zero of ``Q`` and
  ``R`` where the system and ``(Q, R)`` have the same local multiplicity; the order of ``r``
  at ``t`` (at least the sum of the multiplicities over ``t``) is one, so the solution is
  regular and alone over ``t``;
* near a bad point of player 2 (a simple zero of ``A1`` and ``B1``, as ``rho`` is
  square-free), ``Q / B0 = B1 alpha - A1 beta`` and ``R`` alike with ``E_2 = alpha + beta x0``:
  a solution there makes the two linear parts dependent, so ``r`` would vanish twice at
  ``t``, and ``r~`` would share a root with ``rho``;
* a continuum would make ``r`` vanish identically or vanish twice at a bad point.

Otherwise (or when an exact division fails) the system is left to the general route. The
gcd conditions are certified modulo a large prime: a polynomial gcd that is 1 modulo ``p``
(with the degrees kept) is 1 over the rationals; a gcd that is not 1 modulo ``p`` only sends
the system to the general route, so no solution is lost either way.

The real roots of ``r~`` near ``[0, 1]`` are found numerically (the companion matrix of the
exact coefficients, then Newton steps on ``r~``), back-substituted, and polished by Newton's
method on the four original equations.

References
----------
McKelvey, R. D. and McLennan, A. (1997). The maximal number of regular totally mixed Nash
equilibria. *Journal of Economic Theory* 72(2), 411-425.

Cox, D., Little, J. and O'Shea, D. (2005). *Using Algebraic Geometry*, 2nd ed., ch. 3
(resultants). Springer.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from fractions import Fraction
from typing import Any

import numpy as np

from alliance.games.solvers.homotopy import ENDPOINT_TOL, BlockSystemResult

__all__ = [
    "bilinear_coefficients",
    "binary_quadruple_eliminant",
    "solve_binary_quadruple_exact",
    "solve_binary_triples_exact",
    "solve_three_two_two_exact",
    "solve_hidden_binary_exact",
    "triple_quadratic",
]

#: Prime modulus of the gcd certificates (below 2**30: one machine digit per residue).
_PRIME = 1_000_000_007
#: Distance (beyond ``tol``) from [0, 1] up to which a root is a candidate.
_MARGIN = 1e-4

Poly = list  # ascending integer coefficients in t


# ------------------------------------------------------------------ integer polynomials
def _trim(p: Poly) -> Poly:
    p = list(p)
    while p and p[-1] == 0:
        p.pop()
    return p


def _add(p: Poly, q: Poly) -> Poly:
    if len(p) < len(q):
        p, q = q, p
    out = list(p)
    for i, c in enumerate(q):
        out[i] += c
    return out


def _sub(p: Poly, q: Poly) -> Poly:
    return _add(p, [-c for c in q])


def _mul(p: Poly, q: Poly) -> Poly:
    if not p or not q:
        return []
    out = [0] * (len(p) + len(q) - 1)
    for i, a in enumerate(p):
        if a:
            for j, b in enumerate(q):
                out[i + j] += a * b
    return out


def _exact_quotient(p: Poly, d: Poly) -> Poly | None:
    """``p / d`` up to a nonzero constant (integer coefficients), or None if ``d`` does
    not divide ``p`` over the rationals.

    ``d`` is made primitive first; by Gauss's lemma a primitive ``d`` dividing ``p`` over the
    rationals divides it over the integers, so the long division stays in integers (an
    inexact step proves that ``d`` does not divide ``p``).
    """
    p, d = _trim(p), _trim(d)
    if not d:
        return None
    content = math.gcd(*d)
    if d[-1] < 0:
        content = -content
    d = [c // content for c in d]
    if len(d) == 1:
        return p
    lead = d[-1]
    rem = list(p)
    quot = [0] * max(len(p) - len(d) + 1, 0)
    for k in range(len(p) - len(d), -1, -1):
        c, r = divmod(rem[k + len(d) - 1], lead)
        if r:
            return None
        quot[k] = c
        if c:
            for i, b in enumerate(d):
                rem[k + i] -= c * b
    if any(rem):
        return None
    return quot


def _mod(p: Poly) -> Poly:
    return _trim([c % _PRIME for c in p])


def _gcd_is_one_mod(p: Poly, q: Poly, keep_second: bool = True) -> bool:
    """Whether ``gcd(p, q)`` is certified constant: computed modulo the prime, with the
    degree of ``p`` (and of ``q`` unless ``keep_second`` is False: ``q`` already reduced)
    kept there. A nonconstant rational gcd ``d`` divides both, and its reduction (of the
    same degree: ``p``'s leading coefficient is ``d``'s times an integer, both nonzero
    modulo ``p`` then) divides both reductions."""
    a, b = _mod(p), _mod(q)
    if len(a) != len(_trim(p)) or (keep_second and len(b) != len(_trim(q))):
        return False
    while b:
        inv = pow(b[-1], -1, _PRIME)
        while len(a) >= len(b):
            f = a[-1] * inv % _PRIME
            shift = len(a) - len(b)
            for i, c in enumerate(b):
                a[shift + i] = (a[shift + i] - f * c) % _PRIME
            a = _trim(a)
        a, b = b, a
    return len(a) == 1


def _rounding_is_no_root(p: Poly, x: float) -> bool:
    """Whether ``limit_denominator(10**6)`` of ``x`` is not a root of ``p`` (exactly)."""
    g = Fraction(float(x)).limit_denominator(10**6)
    a, b = g.numerator, g.denominator
    d = len(p) - 1
    return sum(c * a**k * b ** (d - k) for k, c in enumerate(p)) != 0


def _horner(p, x):
    """``p(x)`` (ascending coefficients) at a float or float array."""
    out = 0.0 * x
    for c in reversed(p):
        out = out * x + c
    return out


def _derivative(p: Poly) -> Poly:
    return [k * c for k, c in enumerate(p)][1:]


# ------------------------------------------------------------------ the system
def _coefficients(D: np.ndarray) -> list:
    """Monomial coefficients ``C[e1][e2][e3]`` of ``sum_a D[0, a] prod_j w_j(a_j)`` with
    ``w(0) = 1 - x``, ``w(1) = x`` (Python integers)."""
    d = [[[int(v) for v in row] for row in plane] for plane in D[0].tolist()]

    def axis(c0, c1):
        return c0, c1 - c0

    out = [[[0, 0], [0, 0]], [[0, 0], [0, 0]]]
    for a in range(2):
        for b in range(2):
            out[a][b][0], out[a][b][1] = axis(d[a][b][0], d[a][b][1])
    for a in range(2):
        for c in range(2):
            out[a][0][c], out[a][1][c] = axis(out[a][0][c], out[a][1][c])
    for b in range(2):
        for c in range(2):
            out[0][b][c], out[1][b][c] = axis(out[0][b][c], out[1][b][c])
    return out


def binary_quadruple_eliminant(systems: Mapping[int, np.ndarray]) -> dict | None:
    """The exact elimination of the module notes for one system of four binary mixers.

    Parameters
    ----------
    systems : mapping int -> ndarray of int, shape ``(1, 2, 2, 2)``
        Mixer ``i``'s payoff differences (second strategy minus first) over the other mixers'
        strategies in increasing order, integers.

    Returns
    -------
    dict or None
        ``"eliminant"``: the coefficients of ``r~`` (ascending, integers, up to a constant),
        ``"l0"``, ``"l1"``: ``x2 = -l0(t) / l1(t)`` at its roots, and ``"C"``: the monomial
        coefficients of the four equations; None when the conditions of the module notes
        fail (the system is left to the general route).

    Examples
    --------
    Four players, each paid 1 for matching the next player (the last matches the first)
    and 2 more for playing ``s2`` against ``s2``: the eliminant has degree at most 9.

    >>> import numpy as np
    >>> rng = np.random.default_rng(0)
    >>> D = {i: rng.integers(-9, 10, size=(1, 2, 2, 2)) for i in range(4)}
    >>> found = binary_quadruple_eliminant(D)
    >>> len(found["eliminant"]) - 1
    9
    """
    C = [_coefficients(np.asarray(systems[i])) for i in range(4)]
    # E1 = A1 + B1 x0 and E0 = A0 + B0 x1, A and B bilinear in (x2, x3): [[c, c_t], [c_x, c_xt]]
    A1, B1 = C[1][0], C[1][1]
    A0, B0 = C[0][0], C[0][1]

    def bil_mul(P, Qm):  # product of bivariate polys given as nested lists [x2 power][t power]
        out = [[0] * (len(P[0]) + len(Qm[0]) - 1) for _ in range(len(P) + len(Qm) - 1)]
        for i, row in enumerate(P):
            for j, a in enumerate(row):
                if a:
                    for k, row2 in enumerate(Qm):
                        for m, b in enumerate(row2):
                            out[i + k][j + m] += a * b
        return out

    def bil_add(*terms):
        rows = max(len(T) for T in terms)
        cols = max(len(T[0]) for T in terms)
        out = [[0] * cols for _ in range(rows)]
        for T in terms:
            for i, row in enumerate(T):
                for j, v in enumerate(row):
                    out[i][j] += v
        return out

    def neg(T):
        return [[-v for v in row] for row in T]

    BB, AB, BA, AA = bil_mul(B1, B0), bil_mul(A1, B0), bil_mul(B1, A0), bil_mul(A1, A0)
    # E2 over (x0, x1, x3): c_ab(t) = C2[a][b] (linear in t, as a 1 x 2 bivariate poly)
    c = C[2]
    Q = bil_add(bil_mul(BB, [c[0][0]]), neg(bil_mul(AB, [c[1][0]])),
                neg(bil_mul(BA, [c[0][1]])), bil_mul(AA, [c[1][1]]))
    # E3 over (x0, x1, x2): e_ab(x2) = C3[a][b] (linear in x2, a 2 x 1 bivariate poly)
    e = C[3]
    R = bil_add(bil_mul(BB, [[e[0][0][0]], [e[0][0][1]]]), neg(bil_mul(AB, [[e[1][0][0]], [e[1][0][1]]])),
                neg(bil_mul(BA, [[e[0][1][0]], [e[0][1][1]]])), bil_mul(AA, [[e[1][1][0]], [e[1][1][1]]]))
    q = [_trim(row) for row in Q] + [[]] * (3 - len(Q))
    r = [_trim(row) for row in R] + [[]] * (4 - len(R))
    q0, q1, q2 = q[:3]
    if not q2:
        return None
    # two pseudo-remainder steps: L = q2**2 R - (q2 r3 x + s2) Q = l1 x + l0
    s2 = _sub(_mul(q2, r[2]), _mul(r[3], q1))
    s1 = _sub(_mul(q2, r[1]), _mul(r[3], q0))
    s0 = _mul(q2, r[0])
    l1 = _trim(_sub(_mul(q2, s1), _mul(s2, q1)))
    l0 = _trim(_sub(_mul(q2, s0), _mul(s2, q0)))
    scaled = _trim(_add(_sub(_mul(q2, _mul(l0, l0)), _mul(q1, _mul(l0, l1))), _mul(q0, _mul(l1, l1))))
    if not scaled:
        return None  # the resultant vanishes: a curve of common zeros
    resultant = _exact_quotient(scaled, _mul(q2, q2))
    # rho_k = res_x2(A_k, B_k) for A = a0 + a1 x2, B = b0 + b1 x2 (coefficients in t)
    rhos = []
    for A, B in ((A1, B1), (A0, B0)):
        rho = _trim(_sub(_mul(A[1], B[0]), _mul(A[0], B[1])))
        if not rho:
            return None  # player k's opponent indifferent along a curve
        rhos.append(rho)
    rho = _mul(*rhos)
    if resultant is None:
        return None
    eliminant = _exact_quotient(resultant, rho)
    if eliminant is None:
        return None
    eliminant = _trim(eliminant)
    if len(rho) > 2 and not _gcd_is_one_mod(rho, _derivative(rho)):
        return None  # rho not square-free (or not certified so)
    if len(eliminant) > 1:
        if not l1 or not _gcd_is_one_mod(eliminant, _derivative(eliminant)):
            return None
        # prime to rho, q2 and l1 at once: prime to their product (reduced modulo p first)
        if not _gcd_is_one_mod(eliminant, _mod(_mul(_mod(_mul(rho, q2)), l1)), keep_second=False):
            return None
    return {"eliminant": eliminant, "l0": l0, "l1": l1, "C": C}


def _float_poly(p: Poly) -> np.ndarray:
    """Ascending coefficients as floats, scaled to unit size (big integers divided exactly
    by a power of two first, so nothing overflows)."""
    big = max(abs(v) for v in p)
    shift = max(big.bit_length() - 60, 0)
    return np.array([float(v >> shift) if v >= 0 else -float((-v) >> shift) for v in p]) / float(
        max(big >> shift, 1))


def solve_binary_quadruple_exact(systems: Mapping[int, np.ndarray], *, tol: float = 1e-9
                                 ) -> BlockSystemResult | None:
    """The solutions near the unit box of one integer system of four binary mixers, or None
    when the exact conditions of the module notes fail (use the general route).

    Parameters
    ----------
    systems : mapping int -> ndarray of int, shape ``(1, 2, 2, 2)``
        As in :func:`binary_quadruple_eliminant`.
    tol : float
        The caller's tolerance: roots within ``tol`` (plus a small margin) of ``[0, 1]`` are
        candidates.

    Returns
    -------
    BlockSystemResult or None
        The real solutions with every probability near ``[0, 1]``, each polished to a
        residual of at most :data:`~alliance.games.solvers.homotopy.ENDPOINT_TOL` (never
        ``singular``: every solution is regular when the conditions hold).

    Examples
    --------
    >>> import numpy as np
    >>> from alliance.games.solvers.elimination import solve_by_elimination
    >>> rng = np.random.default_rng(3)
    >>> D = {i: rng.integers(-9, 10, size=(1, 2, 2, 2)) for i in range(4)}
    >>> fast = solve_binary_quadruple_exact(D)
    >>> slow = solve_by_elimination((2, 2, 2, 2), [D])[0]
    >>> def unit(points):
    ...     return sorted(np.round(np.concatenate(p).real, 9).tolist() for p in points
    ...                   if min(np.concatenate(p).real) >= 0)
    >>> unit(fast.solutions) == unit(slow.solutions)
    True
    """
    found = binary_quadruple_eliminant(systems)
    if found is None:
        return None
    eliminant = found["eliminant"]
    if len(eliminant) <= 1:
        return BlockSystemResult([], False, 0, 0)
    margin = _MARGIN + float(tol)
    coef = _float_poly(eliminant)
    roots = np.roots(coef[::-1])
    near = roots[(np.abs(roots.imag) <= margin) & (roots.real >= -margin) & (roots.real <= 1 + margin)]
    if not near.size:
        return BlockSystemResult([], False, 0, 0)
    coef_list = coef.tolist()
    deriv = _derivative(coef_list)
    l0, l1 = _float_poly(found["l0"] or [0]), _float_poly(found["l1"])
    scale0 = max(abs(v) for v in found["l0"]) if found["l0"] else 0
    scale1 = max(abs(v) for v in found["l1"])
    ratio = scale0 / scale1  # both scaled to unit size: undo
    C = [np.array(Ci, dtype=float) for Ci in found["C"]]
    l0_list, l1_list = l0.tolist(), l1.tolist()
    rows = []
    # a few roots: Python floats (the same IEEE double operations as NumPy's, far cheaper
    # on one number); a zero division or an overflow makes the row non-finite (dropped)
    for t in near.real.tolist():
        for _ in range(3):  # Newton on the exact eliminant (simple roots)
            try:
                step = _horner(coef_list, t) / _horner(deriv, t)
            except (ZeroDivisionError, OverflowError):
                step = 0.0
            t = t - (step if math.isfinite(step) else 0.0)
        try:
            x2 = -ratio * _horner(l0_list, t) / _horner(l1_list, t)
            x0, x1 = _back_substitute(found["C"], x2, t)
        except (ZeroDivisionError, OverflowError):
            continue  # a vanishing denominator: a point at infinity, dropped
        rows.append([x0, x1, x2, t])
    X = np.array(rows, dtype=float).reshape(-1, 4)
    ok = np.all(np.isfinite(X), axis=1) & np.all((X >= -margin) & (X <= 1 + margin), axis=1)
    X = X[ok]
    if not len(X):
        return BlockSystemResult([], False, 0, 0)
    size = max(float(np.max(np.abs(Ci))) for Ci in C) or 1.0
    X, residual = _newton(C, X, size)
    points = [point for point, res in zip(X, residual) if res <= ENDPOINT_TOL]
    solutions = [[np.array([1.0 - x, x], dtype=complex) for x in point] for point in points]
    # every solution's t is a root of the eliminant
    hints = [_rounding_is_no_root(eliminant, point[3]) for point in points]
    return BlockSystemResult(solutions, False, 0, 0, [], hints)


def _back_substitute(C, x2, t):
    """``x0 = -A1 / B1`` and ``x1 = -A0 / B0`` at ``(x2, t)``."""
    x0 = -(C[1][0][0][0] + C[1][0][0][1] * t + C[1][0][1][0] * x2 + C[1][0][1][1] * x2 * t)
    x0 = x0 / (C[1][1][0][0] + C[1][1][0][1] * t + C[1][1][1][0] * x2 + C[1][1][1][1] * x2 * t)
    x1 = -(C[0][0][0][0] + C[0][0][0][1] * t + C[0][0][1][0] * x2 + C[0][0][1][1] * x2 * t)
    x1 = x1 / (C[0][1][0][0] + C[0][1][0][1] * t + C[0][1][1][0] * x2 + C[0][1][1][1] * x2 * t)
    return x0, x1


def _newton(C: list[np.ndarray], X: np.ndarray, size: float) -> tuple[np.ndarray, np.ndarray]:
    """Newton steps on the four multilinear equations (scaled by ``size``) from the rows of
    ``X``; returns the points and their residuals."""
    others = [[j for j in range(4) if j != i] for i in range(4)]

    def evaluate(X):
        P = len(X)
        F = np.zeros((P, 4))
        J = np.zeros((P, 4, 4))
        for i in range(4):
            a, b, c = (X[:, j] for j in others[i])
            T = C[i] / size
            # E = sum T[e1, e2, e3] a^e1 b^e2 c^e3
            inner_c = T[..., 0] + T[..., 1] * c[:, None, None]  # (P, 2, 2) over (e1, e2)
            inner_b = inner_c[:, :, 0] + inner_c[:, :, 1] * b[:, None]  # (P, 2) over e1
            F[:, i] = inner_b[:, 0] + inner_b[:, 1] * a
            J[:, i, others[i][0]] = inner_b[:, 1]
            J[:, i, others[i][1]] = inner_c[:, 0, 1] + inner_c[:, 1, 1] * a
            d_c = T[..., 1]  # derivative in c: sum T[e1, e2, 1] a^e1 b^e2
            J[:, i, others[i][2]] = (d_c[0, 0] + d_c[0, 1] * b) + (d_c[1, 0] + d_c[1, 1] * b) * a
        return F, J

    for _ in range(1):  # the start is accurate already (exact eliminant, Newton on it)
        F, J = evaluate(X)
        try:
            delta = np.linalg.solve(J, -F[..., None])[..., 0]
        except np.linalg.LinAlgError:
            break
        X = X + delta
    F, _ = evaluate(X)
    return X, np.max(np.abs(F), axis=1)


# ------------------------------------------------------------------ three binary mixers
def bilinear_coefficients(T: Sequence[Sequence[Any]]) -> tuple:
    """``(c0, c1, c2, c3)`` of ``c0 + c1 u + c2 v + c3 u v = (1 - u, u) T (1 - v, v)``, in
    the arithmetic of ``T``'s entries (integers stay integers, Fractions stay exact).

    Parameters
    ----------
    T : 2×2 nested sequence of numbers
        A binary mixer's payoff differences over two other binary mixers' strategies.

    Returns
    -------
    tuple of four numbers

    Examples
    --------
    >>> bilinear_coefficients([[1, 2], [3, 5]])
    (1, 2, 1, 1)
    """
    (d00, d01), (d10, d11) = T
    return d00, d10 - d00, d01 - d00, d00 - d01 - d10 + d11


def triple_quadratic(a: Sequence[Any], b: Sequence[Any], c: Sequence[Any]) -> tuple:
    """The elimination of three binary mixers (:func:`bilinear_coefficients` ``a``, ``b``,
    ``c`` of mixers 0, 1, 2, each over the other two in increasing order).

    Mixer 0's equation gives ``x1 = num1(x2) / den1(x2)``, mixer 1's ``x0 = num0 / den0``
    (each ``(constant, slope)`` in ``x2``), and mixer 2's equation times ``den0 den1`` is the
    quadratic ``quad(x2)`` (ascending coefficients), in the arithmetic of the coefficients.

    Parameters
    ----------
    a, b, c : sequence of four numbers
        The three mixers' bilinear coefficients.

    Returns
    -------
    tuple
        ``((num1, den1), (num0, den0), quad)``.

    Examples
    --------
    Three-player coordination (each paid 1 when all play s1, 2 when all play s2): the
    quadratic is ``2 (1 - 2 x2 - x2**2)``, zero at ``x2 = sqrt(2) - 1``.

    >>> coefficients = bilinear_coefficients([[-1, 0], [0, 2]])
    >>> triple_quadratic(coefficients, coefficients, coefficients)[2]
    [2, -4, -2]
    """
    num1, den1 = (-a[0], -a[2]), (a[1], a[3])
    num0, den0 = (-b[0], -b[2]), (b[1], b[3])

    def mul(p, q):
        return (p[0] * q[0], p[0] * q[1] + p[1] * q[0], p[1] * q[1])

    terms = (mul(den0, den1), mul(num0, den1), mul(num1, den0), mul(num0, num1))
    quad = [sum(ck * t[d] for ck, t in zip(c, terms)) for d in range(3)]
    return (num1, den1), (num0, den0), quad


def solve_binary_triples_exact(systems: Sequence[Mapping[int, np.ndarray]]) -> list[BlockSystemResult]:
    """Closed-form solutions of integer systems of three binary mixers (see the module notes).

    Parameters
    ----------
    systems : sequence of mapping int -> ndarray of int, shape ``(1, 2, 2)``
        As in :func:`~alliance.games.solvers.homotopy.solve_binary_triples`, integers.

    Returns
    -------
    list of BlockSystemResult
        One per system: its real solutions (each root of ``quad`` once; rational roots
        computed exactly, then rounded), ``singular`` as in the module notes.

    Examples
    --------
    Three-player coordination (1 if all play s1, 2 if all play s2): ``2 x**2 = (1 - x)**2``,
    so ``x = sqrt(2) - 1`` (and a negative root).

    >>> import numpy as np
    >>> D = {i: np.array([[[-1, 0], [0, 2]]]) for i in range(3)}
    >>> result = solve_binary_triples_exact([D])[0]
    >>> sorted(round(float(s[2][1].real), 6) for s in result.solutions), result.singular
    ([-2.414214, 0.414214], False)
    """
    out = []
    for system in systems:
        a, b, c = (bilinear_coefficients([[int(v) for v in row] for row in np.asarray(system[i])[0]])
                   for i in range(3))
        # x1 = num1 / den1 and x0 = num0 / den0, linear in x2: (constant, slope)
        (num1, den1), (num0, den0), (q0, q1, q2) = triple_quadratic(a, b, c)
        if q2 == 0:
            out.append(BlockSystemResult([], True, 0, 2))
            continue
        singular = False
        for den in (den0, den1):
            if den[1] == 0:
                singular |= den[0] == 0  # a vanishing denominator everywhere
            else:  # den vanishes at -den0 / den1: a root of quad there?
                singular |= q2 * den[0] ** 2 - q1 * den[0] * den[1] + q0 * den[1] ** 2 == 0
        disc = q1 * q1 - 4 * q2 * q0
        sols = []
        irrational = False
        if disc >= 0:
            root = math.isqrt(disc)
            if root * root == disc:
                # rational roots n / d: every unknown an integer ratio, rounded once
                sign = 1 if q2 > 0 else -1
                for n in ((-q1 - root) * sign, (-q1 + root) * sign):
                    d = 2 * q2 * sign
                    d1, d0 = den1[0] * d + den1[1] * n, den0[0] * d + den0[1] * n
                    if d1 == 0 or d0 == 0:
                        continue  # flagged singular above
                    values = ((num0[0] * d + num0[1] * n) / d0, (num1[0] * d + num1[1] * n) / d1,
                              n / d)
                    sols.append([np.array([1 - x, x], dtype=complex) for x in values])
            else:
                irrational = True
                # the stable pair: no cancellation in either root
                big = -(q1 + math.copysign(math.sqrt(disc), q1)) / 2
                for x2 in (big / q2, q0 / big):
                    d1 = den1[0] + den1[1] * x2
                    d0 = den0[0] + den0[1] * x2
                    if d1 == 0 or d0 == 0:
                        continue
                    values = ((num0[0] + num0[1] * x2) / d0, (num1[0] + num1[1] * x2) / d1, x2)
                    sols.append([np.array([1 - x, x], dtype=complex) for x in values])
        # an irreducible quadratic has no rational root: no rational x2 solves the system
        out.append(BlockSystemResult(sols, singular, 0, 2, [], [irrational] * len(sols)))
    return out


# ------------------------------------------------------------------ sizes (3, 2, 2)
def _poly_at(p: Poly, x: Any) -> Any:
    out = 0
    for c in reversed(p):
        out = out * x + c
    return out


def _vanishes_at_roots(p: Poly, quad: Poly) -> bool:
    """Whether ``p`` vanishes at the roots of the irreducible integer quadratic ``quad``
    (ascending coefficients): iff ``quad`` divides ``p``."""
    p = _trim(p)
    if not p:
        return True
    return _exact_quotient(p, quad) is not None


def solve_three_two_two_exact(sizes, systems: Sequence[Mapping[int, np.ndarray]], *, tol: float = 1e-9
                              ) -> list[BlockSystemResult]:
    """Integer systems of three mixers of sizes ``(3, 2, 2)`` in any order, in closed form.

    The three-strategy player ``p``'s two equations are bilinear in the binary mixers'
    ``(u, v)``; eliminating ``u`` leaves an integer quadratic ``quad(v)``, and ``p``'s
    probabilities solve a 3×3 linear system ``M``. The system is flagged ``singular``
    exactly where :func:`~alliance.games.solvers.elimination.solve_by_elimination` would
    meet a degenerate case in exact arithmetic: ``quad`` vanishing, a double root of ``quad``
    near ``[0, 1]`` (a singular solution), both denominators of ``u`` or ``det M`` vanishing
    at a root near ``[0, 1]`` (for an irrational root: the exact remainder of the integer
    polynomial modulo ``quad``).

    Parameters
    ----------
    sizes : sequence of int
        The mixers' support sizes, a permutation of ``(3, 2, 2)``.
    systems : sequence of mapping int -> ndarray of int
        Payoff differences as in :func:`~alliance.games.solvers.elimination.solve_by_elimination`.
    tol : float
        Roots within ``tol`` plus a small margin of ``[0, 1]`` are candidates.

    Returns
    -------
    list of BlockSystemResult

    Examples
    --------
    >>> import numpy as np
    >>> from alliance.games.solvers.elimination import solve_by_elimination
    >>> rng = np.random.default_rng(4)
    >>> D = {0: rng.integers(-9, 10, size=(2, 2, 2)), 1: rng.integers(-9, 10, size=(1, 3, 2)),
    ...      2: rng.integers(-9, 10, size=(1, 3, 2))}
    >>> fast = solve_three_two_two_exact((3, 2, 2), [D])[0]
    >>> slow = solve_by_elimination((3, 2, 2), [D])[0]
    >>> def unit(points):
    ...     return sorted(np.round(np.concatenate(p).real, 9).tolist() for p in points)
    >>> unit(fast.solutions) == unit(slow.solutions), fast.singular == slow.singular
    (True, True)
    """
    sizes = tuple(int(k) for k in sizes)
    p = sizes.index(3)
    q, r = [i for i in range(3) if i != p]
    margin = _MARGIN + float(tol)
    lo, hi = -margin, 1 + margin
    out = []
    for system in systems:
        d = np.asarray(system[p]).tolist()  # (2, 2, 2): p's equations over (u, v)
        a, b = (bilinear_coefficients([[int(v) for v in row] for row in e]) for e in d)
        # u (a1 + a3 v) = -(a0 + a2 v), the same for b; quad = (b0 + b2 v)(a1 + a3 v) - ...
        quad = _trim(_sub(_mul([b[0], b[2]], [a[1], a[3]]), _mul([b[1], b[3]], [a[0], a[2]])))
        if not quad:
            out.append(BlockSystemResult([], True, 0, 0))
            continue
        # rows of M: mixer q's equation over p's strategies (linear in v), then r's (in u)
        rows = {}
        for i in (q, r):
            T = np.asarray(system[i])[0].tolist()  # axes: the other two mixers, increasing
            axes = [j for j in range(3) if j != i]
            if axes.index(p) == 0:
                vec = [(int(T[s][0]), int(T[s][1]) - int(T[s][0])) for s in range(3)]
            else:
                vec = [(int(T[0][s]), int(T[1][s]) - int(T[0][s])) for s in range(3)]
            rows[i] = vec  # entry s: constant + slope * (probability of `other`'s s2)
        singular = False
        roots: list[Any] = []
        irrational = False
        if len(quad) == 2:
            roots = [Fraction(-quad[0], quad[1])]
        elif len(quad) == 3:
            disc = quad[1] ** 2 - 4 * quad[2] * quad[0]
            if disc == 0:
                root = Fraction(-quad[1], 2 * quad[2])
                if lo <= root <= hi:
                    singular = True  # a double root: a singular solution
                roots = []
            elif disc > 0:
                s = math.isqrt(disc)
                if s * s == disc:
                    roots = [Fraction(-quad[1] - s, 2 * quad[2]), Fraction(-quad[1] + s, 2 * quad[2])]
                else:
                    irrational = True
                    big = -(quad[1] + math.copysign(math.sqrt(disc), quad[1])) / 2
                    roots = [big / quad[2], quad[0] / big]
        sols = []
        for v in roots:
            if not lo <= v <= hi:
                continue
            num = (-(a[0] + a[2] * v), -(b[0] + b[2] * v))
            den = (a[1] + a[3] * v, b[1] + b[3] * v)
            if irrational:
                # den_k(v) = 0 at an irrational v only if den_k vanishes identically
                zero = [a[1] == a[3] == 0, b[1] == b[3] == 0]
            else:
                zero = [den[0] == 0, den[1] == 0]
            if all(zero):
                singular = True
                continue
            k = 0 if not zero[0] else 1
            u = num[k] / den[k]
            Mq = [c0 + c1 * v for c0, c1 in rows[q]]
            Mr = [c0 + c1 * u for c0, c1 in rows[r]]
            if irrational:
                # det M times den_k(v): a polynomial in v; zero at the root iff quad divides it
                numk = [-(a[0] if k == 0 else b[0]), -(a[2] if k == 0 else b[2])]
                denk = [a[1], a[3]] if k == 0 else [b[1], b[3]]
                Pq = [[c0, c1] for c0, c1 in rows[q]]  # linear in v
                Pr = [_add(_mul([c0], denk), _mul([c1], numk)) for c0, c1 in rows[r]]  # times den
                det = _trim(_add(_add(_sub(_mul(Pq[1], Pr[2]), _mul(Pq[2], Pr[1])),
                                      _sub(_mul(Pq[2], Pr[0]), _mul(Pq[0], Pr[2]))),
                                 _sub(_mul(Pq[0], Pr[1]), _mul(Pq[1], Pr[0]))))
                if _vanishes_at_roots(det, quad):
                    singular = True
                    continue
                M = np.array([Mq, Mr, [1.0, 1.0, 1.0]], dtype=float)
                yp = np.linalg.solve(M, np.array([0.0, 0.0, 1.0]))
            else:
                M = [Mq, Mr, [1, 1, 1]]
                det = (M[0][0] * (M[1][1] * M[2][2] - M[1][2] * M[2][1])
                       - M[0][1] * (M[1][0] * M[2][2] - M[1][2] * M[2][0])
                       + M[0][2] * (M[1][0] * M[2][1] - M[1][1] * M[2][0]))
                if det == 0:
                    singular = True
                    continue
                # Cramer's rule for M y = e3: y_s = cofactor (2, s) / det
                yp = [(M[0][1] * M[1][2] - M[0][2] * M[1][1]) / det,
                      (M[0][2] * M[1][0] - M[0][0] * M[1][2]) / det,
                      (M[0][0] * M[1][1] - M[0][1] * M[1][0]) / det]
            blocks = {p: np.array([float(y) for y in yp], dtype=complex),
                      q: np.array([1 - float(u), float(u)], dtype=complex),
                      r: np.array([1 - float(v), float(v)], dtype=complex)}
            sols.append([blocks[i] for i in range(3)])
        # an irreducible quadratic has no rational root: no rational v solves the system
        out.append(BlockSystemResult(sols, singular, 0, 0, [], [irrational] * len(sols)))
    return out


# ------------------------------------------------------------------ sizes (3, 3, 2)
def _real_roots_near_unit(p: Poly, margin: float) -> np.ndarray:
    """Real roots within ``margin`` of [0, 1] of a square-free integer polynomial: the
    companion matrix's eigenvalues, then Newton steps on the exact coefficients."""
    coef = _float_poly(p)
    roots = np.roots(coef[::-1])
    near = roots[(np.abs(roots.imag) <= margin) & (roots.real >= -margin) & (roots.real <= 1 + margin)]
    t = near.real.copy()
    if t.size:
        coef_list = coef.tolist()
        deriv = _derivative(coef_list)
        with np.errstate(all="ignore"):
            for _ in range(3):
                step = _horner(coef_list, t) / _horner(deriv, t)
                t = t - np.where(np.isfinite(step), step, 0.0)
        t = t[(t >= -margin) & (t <= 1 + margin)]
    return t


def solve_hidden_binary_exact(sizes, systems: Sequence[Mapping[int, np.ndarray]], *, tol: float = 1e-9
                              ) -> list[BlockSystemResult | None]:
    """Integer systems of three mixers of sizes ``(3, 3, 2)`` in any order, in closed form.

    With the binary mixer's probability ``t`` hidden, each three-strategy mixer's equations
    and the other's normalisation are a 3×3 system ``M(t) y = e3``; by Cramer's rule
    ``det M(t) y`` is an integer polynomial vector of degree 2, and the binary mixer's
    indifference times both determinants is an integer polynomial ``g(t)`` of degree at most
    4. When ``g`` is square-free and prime to both determinants (certified modulo a prime,
    as in the module notes), every root is a regular solution; ``g`` vanishing identically
    flags the system ``singular``; any other case returns None (the general route).

    Parameters
    ----------
    sizes : sequence of int
        The mixers' support sizes, a permutation of ``(3, 3, 2)``.
    systems : sequence of mapping int -> ndarray of int
        Payoff differences as in :func:`~alliance.games.solvers.elimination.solve_by_elimination`.
    tol : float
        Roots within ``tol`` plus a small margin of ``[0, 1]`` are candidates.

    Returns
    -------
    list of BlockSystemResult or None

    Examples
    --------
    >>> import numpy as np
    >>> from alliance.games.solvers.elimination import solve_by_elimination
    >>> rng = np.random.default_rng(1)
    >>> D = {0: rng.integers(-9, 10, size=(2, 3, 2)), 1: rng.integers(-9, 10, size=(2, 3, 2)),
    ...      2: rng.integers(-9, 10, size=(1, 3, 3))}
    >>> fast = solve_hidden_binary_exact((3, 3, 2), [D])[0]
    >>> slow = solve_by_elimination((3, 3, 2), [D])[0]
    >>> def unit(points):
    ...     return sorted(np.round(np.concatenate(p).real, 9).tolist() for p in points)
    >>> unit(fast.solutions) == unit(slow.solutions)
    True
    """
    sizes = tuple(int(k) for k in sizes)
    r = sizes.index(2)
    p, q = [i for i in range(3) if i != r]
    margin = _MARGIN + float(tol)
    out: list[BlockSystemResult | None] = []
    for system in systems:
        def matrix(i, system=system):
            # player i's equations over the other 3-mixer's strategies: const + slope * t
            T = np.asarray(system[i]).tolist()
            axes = [j for j in range(3) if j != i]
            rows = []
            for e in range(2):
                if axes.index(r) == 1:
                    rows.append([[int(T[e][j][0]), int(T[e][j][1]) - int(T[e][j][0])] for j in range(3)])
                else:
                    rows.append([[int(T[e][0][j]), int(T[e][1][j]) - int(T[e][0][j])] for j in range(3)])
            return rows

        def cramer(rows):
            # det(M) y = cofactors of the ones row: y_s = (-1)**s minor(2, s)
            (a0, a1, a2), (b0, b1, b2) = rows
            return [_sub(_mul(a1, b2), _mul(a2, b1)), _sub(_mul(a2, b0), _mul(a0, b2)),
                    _sub(_mul(a0, b1), _mul(a1, b0))]

        Yq, Yp = cramer(matrix(p)), cramer(matrix(q))
        det_p = _trim(_add(_add(Yq[0], Yq[1]), Yq[2]))  # det M_p: fixes y_q
        det_q = _trim(_add(_add(Yp[0], Yp[1]), Yp[2]))
        C = np.asarray(system[r])[0].tolist()  # (3, 3) over (p, q)
        g: Poly = []
        for i in range(3):
            for j in range(3):
                if C[i][j]:
                    g = _add(g, _mul([int(C[i][j])], _mul(Yp[i], Yq[j])))
        g = _trim(g)
        if not g:
            out.append(BlockSystemResult([], True, 0, 0))
            continue
        if len(g) == 1:
            out.append(BlockSystemResult([], False, 0, 0))
            continue
        if not det_p or not det_q or not _gcd_is_one_mod(g, _derivative(g)) or not _gcd_is_one_mod(
                g, _mod(_mul(det_p, det_q)), keep_second=False):
            out.append(None)
            continue
        t = _real_roots_near_unit(g, margin)
        sols = []
        for tk in t.tolist():
            dp, dq = _horner(det_p, tk), _horner(det_q, tk)
            yq = np.array([_horner(y, tk) for y in Yq]) / dp
            yp = np.array([_horner(y, tk) for y in Yp]) / dq
            blocks = {p: yp.astype(complex), q: yq.astype(complex),
                      r: np.array([1 - tk, tk], dtype=complex)}
            sols.append([blocks[i] for i in range(3)])
        # every solution's t is a root of g
        hints = [_rounding_is_no_root(g, float(s[r][1].real)) for s in sols]
        out.append(BlockSystemResult(sols, False, 0, 0, [], hints))
    return out
