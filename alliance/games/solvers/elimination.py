"""Closed-form elimination for small block-multilinear support systems.

Support enumeration for n players (:mod:`alliance.games.solvers.support_nplayer`) must find
every isolated solution of each support's indifference system. The general tool is the
homotopy of :mod:`alliance.games.solvers.homotopy`; for the block sizes that dominate small
games, the system is reduced here to one univariate polynomial whose real roots in the unit
interval are all that matter (the unknowns are probabilities), so the answer costs a few
vectorised NumPy calls per *group* of supports instead of a path-tracking loop:

* **Sizes** ``(3, 2, 2)`` **in any order.** The three-strategy player's two indifference
  equations involve only the two binary mixers' probabilities ``(u, v)``; each is bilinear,
  so eliminating ``u`` leaves a quadratic in ``v``. The three-strategy player's probabilities
  then solve a 3×3 linear system (the two other indifferences and the normalisation).
* **Sizes** ``(k, k, 2)`` **in any order** (any ``k >= 2``). With the binary mixer's
  probability ``t`` as the hidden variable, each ``k``-strategy player's indifferences and
  the other's normalisation are a ``k × k`` linear system ``M(t) y = e``; by Cramer's rule
  ``det M(t) · y`` is a polynomial vector of degree ``k - 1``, and the binary mixer's
  indifference times both determinants is a polynomial in ``t`` of degree at most
  ``2(k - 1)``.
* **Sizes** ``(2, 2, 2, 2)``. With ``t`` (the fourth mixer) and ``x`` (the third) hidden,
  players 1 and 2 give the first two mixers' probabilities as ratios of polynomials that are
  linear in ``x``; cleared of denominators, player 3's equation is a quadratic and player 4's
  a cubic in ``x``; their Sylvester resultant is a polynomial in ``t`` of degree at most 13.

Each univariate polynomial is obtained by sampling at Chebyshev points of ``[-1/2, 3/2]``
and interpolating (exact up to rounding: the degree is known), its roots are those of the
colleague matrix, and the roots near the real interval ``[0, 1]`` are back-substituted. Every
candidate is then polished by Newton's method on the *original* system and kept only if its
residual is at most :data:`~alliance.games.solvers.homotopy.ENDPOINT_TOL` (spurious roots of
the elimination, where a cleared denominator vanishes, are dropped there). Any sign of
degeneracy — a polynomial that vanishes identically, a denominator or a linear system that is
singular at a root, a singular Jacobian at a solution — marks the system ``singular``, and the
caller solves that support by the general route (homotopy, then exact algebra).

Completeness: every solution of the system is a root of the eliminated polynomial (it is a
resultant, or a multiple of the system's equations by cleared denominators), so no solution
in the unit box is lost unless the back-substitution is singular, which is flagged.

References
----------
Cox, D., Little, J. and O'Shea, D. (2005). *Using Algebraic Geometry*, 2nd ed., ch. 3
(resultants and the hidden-variable method). Springer.

Trefethen, L. N. (2013). *Approximation Theory and Approximation Practice*, ch. 18
(rootfinding by the colleague matrix). SIAM.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np

from alliance.games.solvers.homotopy import BlockSystemResult, polish_endpoints

__all__ = ["eliminable", "solve_by_elimination"]

#: Interval on which the eliminated polynomials are interpolated; the roots wanted lie in
#: [0, 1] (probabilities), and Chebyshev interpolation is accurate inside the interval.
_LO, _HI = -0.5, 1.5
#: Distance (beyond ``tol``) from [0, 1] and imaginary part up to which a root is kept as a
#: candidate before Newton polishing.
_MARGIN = 1e-4
#: Relative size below which a denominator or a pivot counts as zero (degenerate system).
_SINGULAR = 1e-9


def eliminable(sizes: Sequence[int]) -> bool:
    """Whether the systems of these mixers' support sizes are solved by elimination here.

    Parameters
    ----------
    sizes : sequence of int
        Support size of each mixing player (in the players' order).

    Returns
    -------
    bool
        True for ``(2, 2, 2, 2)`` and for three mixers of sizes ``(3, 2, 2)`` or
        ``(k, k, 2)`` in any order.

    Examples
    --------
    >>> eliminable((3, 2, 2)), eliminable((2, 3, 3)), eliminable((2, 2, 2, 2)), eliminable((3, 3, 3))
    (True, True, True, False)
    """
    sizes = tuple(int(k) for k in sizes)
    if sizes == (2, 2, 2, 2):
        return True
    if len(sizes) != 3:
        return False
    s = sorted(sizes)
    return s == [2, 2, 3] or (s[0] == 2 and s[1] == s[2])


def solve_by_elimination(
    sizes: Sequence[int], systems: Sequence[Mapping[int, np.ndarray]], *, tol: float = 1e-9
) -> list[BlockSystemResult]:
    """The solutions, in the unit box, of block systems whose sizes are :func:`eliminable`.

    Parameters
    ----------
    sizes : sequence of int
        Support size of each mixing player.
    systems : sequence of mapping int -> ndarray
        Payoff differences of each system, as in
        :func:`~alliance.games.solvers.homotopy.solve_block_systems`.
    tol : float
        The caller's tolerance: roots within ``tol`` (plus a small margin) of ``[0, 1]`` are
        candidates.

    Returns
    -------
    list of BlockSystemResult
        One per system: the real solutions with every probability within the margin of
        ``[0, 1]`` (complex and far-away solutions, which are never equilibria, are not
        reported); ``singular`` when the elimination is degenerate for that system.

    Examples
    --------
    Four binary mixers with random payoff differences: the same solutions in the unit box as
    the homotopy's.

    >>> import numpy as np
    >>> from alliance.games.solvers.homotopy import solve_block_system
    >>> rng = np.random.default_rng(9)
    >>> D = {i: rng.normal(size=(1, 2, 2, 2)) for i in range(4)}
    >>> fast = solve_by_elimination((2, 2, 2, 2), [D])[0]
    >>> slow = solve_block_system((2, 2, 2, 2), D)
    >>> def unit(points):
    ...     flat = [np.concatenate(p) for p in points]
    ...     return sorted(np.round(z.real, 8).tolist() for z in flat
    ...                   if np.max(np.abs(z.imag)) < 1e-7 and z.real.min() >= 0)
    >>> unit(fast.solutions) == unit(slow.solutions), len(unit(fast.solutions)) > 0
    (True, True)

    Four-player cyclic matching pennies (each player matches the next, the last mismatches
    the first) is degenerate for this elimination (player 2's equation does not involve
    player 1), and is flagged for the general route:

    >>> P = {i: np.zeros((1, 2, 2, 2)) for i in range(4)}
    >>> P[0][0, 0], P[0][0, 1] = -1.0, 1.0
    >>> P[1][0, :, 0], P[1][0, :, 1] = -1.0, 1.0
    >>> P[2][0, :, :, 0], P[2][0, :, :, 1] = -1.0, 1.0
    >>> P[3][0, 0], P[3][0, 1] = 1.0, -1.0
    >>> solve_by_elimination((2, 2, 2, 2), [P])[0].singular
    True
    """
    sizes = tuple(int(k) for k in sizes)
    B = len(systems)
    if B == 0:
        return []
    if not eliminable(sizes):
        raise ValueError(f"sizes {sizes} cannot be eliminated here")
    stacked = {}
    for i in range(len(sizes)):
        arr = np.array([np.asarray(s[i], dtype=float) for s in systems])
        scale = np.max(np.abs(arr.reshape(B, -1)), axis=1)
        stacked[i] = arr / np.where(scale > 0, scale, 1.0).reshape((B,) + (1,) * (arr.ndim - 1))
    margin = _MARGIN + float(tol)
    if sizes == (2, 2, 2, 2):
        points, owner, singular = _binary_quadruples(stacked, margin)
    elif sorted(sizes) == [2, 2, 3]:
        points, owner, singular = _three_two_two(sizes, stacked, margin)
    else:
        points, owner, singular = _hidden_binary(sizes, stacked, margin)
    return polish_endpoints(sizes, stacked, points, owner, singular)


# ------------------------------------------------------------------ helpers
def _binary(t: np.ndarray) -> np.ndarray:
    """``(1 - t, t)`` along a new last axis."""
    return np.stack([1.0 - t, t], axis=-1)


def _nodes(degree: int) -> np.ndarray:
    """Chebyshev points (first kind) on [_LO, _HI], enough for exact interpolation."""
    count = degree + 3
    x = np.cos(np.pi * (np.arange(count) + 0.5) / count)
    return _LO + (_HI - _LO) * (x + 1) / 2


def _unit_roots(values: np.ndarray, nodes: np.ndarray, degree: int, margin: float
                ) -> tuple[list[np.ndarray], np.ndarray]:
    """Real roots near [0, 1] of the polynomials sampled as ``values`` (B, nodes).

    Returns the roots of each polynomial and a flag per polynomial that is numerically zero
    (a degenerate system).
    """
    x = 2 * (nodes - _LO) / (_HI - _LO) - 1
    V = np.polynomial.chebyshev.chebvander(x, degree)
    coef = np.linalg.lstsq(V, values.T, rcond=None)[0].T  # (B, degree + 1)
    size = np.max(np.abs(coef), axis=1)
    vanishing = size <= 1e-11
    out = []
    for b in range(len(values)):
        c = coef[b]
        if vanishing[b]:
            out.append(np.empty(0))
            continue
        # drop the negligible top coefficients (the degree is an upper bound)
        keep = np.flatnonzero(np.abs(c) > 1e-13 * size[b])
        c = c[: keep[-1] + 1]
        if len(c) == 1:
            out.append(np.empty(0))
            continue
        r = np.polynomial.chebyshev.chebroots(c)
        t = _LO + (_HI - _LO) * (r.real + 1) / 2
        near = (np.abs(r.imag) * (_HI - _LO) / 2 <= margin) & (t >= -margin) & (t <= 1 + margin)
        out.append(t[near])
    return out, vanishing


def _pmul(p: np.ndarray, q: np.ndarray) -> np.ndarray:
    """Product of polynomials stored along the last axis (ascending powers), broadcast."""
    out = np.zeros(np.broadcast_shapes(p.shape[:-1], q.shape[:-1]) + (p.shape[-1] + q.shape[-1] - 1,))
    for i in range(p.shape[-1]):
        out[..., i : i + q.shape[-1]] += p[..., i : i + 1] * q
    return out


# ------------------------------------------------------------------ (2, 2, 2, 2)
def _binary_quadruples(D, margin):
    """Four binary mixers: hidden ``t = x4``, eliminate ``x3`` by a Sylvester resultant."""
    B = len(D[0])
    degree = 13
    nodes = _nodes(degree)
    Q, R = _quadruple_polys(D, _binary(nodes)[None, :, :])  # (B, N, 3), (B, N, 4)
    S = _sylvester(Q, R)
    values = np.linalg.det(S)
    roots, vanishing = _unit_roots(values, nodes, degree, margin)
    points, owner = [], []
    singular = vanishing.copy()
    for b in range(B):
        if vanishing[b] or not len(roots[b]):
            continue
        t = roots[b]
        wt = _binary(t)[None]
        Db = {i: D[i][b : b + 1] for i in D}
        q, r = _quadruple_polys(Db, wt)
        linear = _quadruple_linear(Db, wt)  # x0 and x1 as ratios at every root t
        for k, tk in enumerate(t):
            # x3 is a common root of Q and R. Both root sets are candidates: at a multiple
            # root of the resultant t is less accurate and one of them may nearly vanish.
            xs = []
            for poly in (q[0, k], r[0, k]):
                size = np.max(np.abs(poly))
                if size > _SINGULAR:
                    poly = poly[: np.flatnonzero(np.abs(poly) > 1e-13 * size)[-1] + 1]
                    xs.extend(np.roots(poly[::-1]))
            if np.max(np.abs(q[0, k])) <= _SINGULAR and np.max(np.abs(r[0, k])) <= _SINGULAR:
                singular[b] = True
                continue
            for x in xs:
                if abs(x.imag) > margin or not -margin <= x.real <= 1 + margin:
                    continue
                x = x.real
                ratios = tuple(float(c[0, k] @ np.array([1.0, x])) for c in linear)
                pairs, degenerate = _quadruple_fibre(Db, x, tk, margin, ratios)
                singular[b] |= degenerate
                for x0, x1 in pairs:
                    points.append(np.r_[_binary(x0), _binary(x1), _binary(x), _binary(tk)])
                    owner.append(b)
    return points, owner, singular


#: Below this size a denominator of the back-substitution may vanish at the true root; the
#: unknown is then also sought from the other equations (see _quadruple_fibre).
_FREE = 1e-3


def _bilinear(T: np.ndarray) -> np.ndarray:
    """``(c0, c1, c2, c3)`` of ``c0 + c1 u + c2 v + c3 u v = (1-u, u) T (1-v, v)``."""
    return np.array([T[0, 0], T[1, 0] - T[0, 0], T[0, 1] - T[0, 0],
                     T[0, 0] - T[0, 1] - T[1, 0] + T[1, 1]])


def _bilinear_pair(a: np.ndarray, b: np.ndarray, margin: float
                   ) -> tuple[list[tuple[float, float]], bool]:
    """Real solutions near the unit square of two bilinear equations (coefficients as in
    :func:`_bilinear`), and whether the pair is degenerate (infinitely many solutions)."""
    quad = (_pmul(np.array([b[0], b[2]]), np.array([a[1], a[3]]))
            - _pmul(np.array([b[1], b[3]]), np.array([a[0], a[2]])))
    size = np.max(np.abs(quad))
    if size <= 1e-11:
        return [], True
    quad = quad[: np.flatnonzero(np.abs(quad) > 1e-13 * size)[-1] + 1]
    if len(quad) == 1:
        return [], False
    out, degenerate = [], False
    for v in np.roots(quad[::-1]):
        if abs(v.imag) > margin or not -margin <= v.real <= 1 + margin:
            continue
        v = v.real
        den = np.array([a[1] + a[3] * v, b[1] + b[3] * v])
        num = -np.array([a[0] + a[2] * v, b[0] + b[2] * v])
        k = int(np.argmax(np.abs(den)))
        if abs(den[k]) <= _SINGULAR:
            degenerate = True
            continue
        out.append((num[k] / den[k], v))
    return out, degenerate


def _quadruple_fibre(Db, x, t, margin, ratios=None):
    """The first two mixers' probabilities at a root ``(x3, x4) = (x, t)``.

    Player 2's equation fixes ``x1`` and player 1's fixes ``x2`` unless its coefficients
    vanish there; a free unknown is then found from players 3's and 4's equations.
    ``ratios``: :func:`_quadruple_ratios` at ``(x, t)`` when already known.
    """
    n0, d0, n1, d1 = _quadruple_ratios(Db, x, t) if ratios is None else ratios
    T2 = Db[2][0, 0] @ _binary(t)  # player 3's equation over (x1, x2), t known
    T3 = Db[3][0, 0] @ _binary(x)  # player 4's equation over (x1, x2), x known
    # near-vanishing denominators: try the other equations too (extra candidates are cheap,
    # and a root found to a few digits only leaves both small rather than zero)
    free0 = abs(d0) <= _FREE
    free1 = abs(d1) <= _FREE
    fixed0 = None if abs(d0) <= _SINGULAR else n0 / d0
    fixed1 = None if abs(d1) <= _SINGULAR else n1 / d1
    pairs: list[tuple[float, float]] = []
    if fixed0 is not None and fixed1 is not None:
        pairs.append((fixed0, fixed1))
    degenerate = False
    if free0 and free1:
        found, degenerate = _bilinear_pair(_bilinear(T2), _bilinear(T3), margin)
        pairs.extend(found)
    elif free0 or free1:
        known = fixed1 if free0 else fixed0
        if known is None:
            return pairs, abs(n0 if free1 else n1) <= _FREE
        # player 3's equation is linear in the free unknown once the other is known
        row = (T2 @ _binary(known)) if free0 else (_binary(known) @ T2)
        alpha, beta = row[0], row[1] - row[0]
        if abs(beta) <= _SINGULAR:
            return pairs, abs(alpha) <= _SINGULAR
        other = -alpha / beta
        pairs.append((other, known) if free0 else (known, other))
    return pairs, degenerate


def _contract_last(T: np.ndarray, w: np.ndarray) -> np.ndarray:
    """``sum_c T[..., c] w[..., c]`` with broadcasting over leading axes."""
    return np.einsum("...c,...c->...", T, w)


def _quadruple_linear(D, wt):
    """Mixers 1 and 2 as ratios ``x = N / Dn`` with ``N``, ``Dn`` linear in ``x3``, over the
    sampled ``t`` (``wt``: (1, N, 2) or (1, K, 2)); polynomials in ``x3`` (ascending)."""
    # player 2 (index 1): D[1][b, 0, a0, a2, a3] over mixers (0, 2, 3): linear in x0
    T1 = D[1][:, 0][:, None]  # (B, 1, 2, 2, 2)
    A1 = _contract_last(T1, wt[:, :, None, None, :])  # (B, N, a0, a2)
    # f1 = sum_a0,a2 A1[a0, a2] w0[a0] w2[a2]; w2 = (1 - x, x) -> polynomial in x
    p1 = np.stack([A1[..., 0], A1[..., 1] - A1[..., 0]], axis=-1)  # (B, N, a0, 2) in x
    alpha0, beta0 = p1[:, :, 0], p1[:, :, 1] - p1[:, :, 0]  # f1 = alpha + beta x0
    # player 1 (index 0): D[0][b, 0, a1, a2, a3] over (1, 2, 3): linear in x1
    T0 = D[0][:, 0][:, None]
    A0 = _contract_last(T0, wt[:, :, None, None, :])
    p0 = np.stack([A0[..., 0], A0[..., 1] - A0[..., 0]], axis=-1)
    alpha1, beta1 = p0[:, :, 0], p0[:, :, 1] - p0[:, :, 0]
    return -alpha0, beta0, -alpha1, beta1  # x0 = N0 / D0, x1 = N1 / D1


def _quadruple_polys(D, wt):
    """Player 3's equation (quadratic ``Q``) and player 4's (cubic ``R``) in ``x3``, cleared
    of the denominators of ``x0`` and ``x1``, at each sampled ``t``."""
    N0, D0, N1, D1 = _quadruple_linear(D, wt)
    W0 = np.stack([D0 - N0, N0], axis=-2)  # (B, N, 2 [a0], 2 [poly])
    W1 = np.stack([D1 - N1, N1], axis=-2)
    # player 3 (index 2): D[2][b, 0, a0, a1, a3], t known
    T2 = _contract_last(D[2][:, 0][:, None], wt[:, :, None, None, :])  # (B, N, a0, a1)
    prod01 = _pmul(W0[:, :, :, None, :], W1[:, :, None, :, :])  # (B, N, a0, a1, 3)
    Q = np.einsum("bnij,bnijp->bnp", T2, prod01)
    # player 4 (index 3): D[3][b, 0, a0, a1, a2], w2 = (1 - x, x)
    w2 = np.array([[1.0, -1.0], [0.0, 1.0]])  # a2 -> polynomial in x
    T3 = D[3][:, 0]  # (B, a0, a1, a2)
    Rfull = np.einsum("bijk,kp,bnijq->bnpq", T3, w2, prod01)  # (B, N, 2, 3)
    R = np.zeros(Q.shape[:2] + (4,))
    for power in range(2):
        R[..., power : power + 3] += Rfull[:, :, power]
    return Q, R


def _quadruple_ratios(Db, x, t):
    N0, D0, N1, D1 = _quadruple_linear(Db, _binary(np.array([t]))[None])
    ev = np.array([1.0, x])
    return (float(N0[0, 0] @ ev), float(D0[0, 0] @ ev), float(N1[0, 0] @ ev), float(D1[0, 0] @ ev))


def _sylvester(Q: np.ndarray, R: np.ndarray) -> np.ndarray:
    """Sylvester matrix (…, 5, 5) of a quadratic and a cubic (ascending coefficients)."""
    S = np.zeros(Q.shape[:-1] + (5, 5))
    q, r = Q[..., ::-1], R[..., ::-1]
    for row in range(3):
        S[..., row, row : row + 3] = q
    for row in range(2):
        S[..., 3 + row, row : row + 4] = r
    return S


# ------------------------------------------------------------------ (3, 2, 2)
def _three_two_two(sizes, D, margin):
    """The three-strategy player's two equations in the binary mixers' ``(u, v)``."""
    B = len(D[0])
    p = sizes.index(3)
    q, r = [i for i in range(3) if i != p]
    # player p's equations over (q, r): c0 + c1 u + c2 v + c3 u v for each equation
    d = D[p]  # (B, 2, 2, 2)
    c = np.stack([d[..., 0, 0], d[..., 1, 0] - d[..., 0, 0], d[..., 0, 1] - d[..., 0, 0],
                  d[..., 0, 0] - d[..., 0, 1] - d[..., 1, 0] + d[..., 1, 1]], axis=-1)  # (B, 2, 4)
    a, bb = c[:, 0], c[:, 1]
    # u (a1 + a3 v) = -(a0 + a2 v);  (b0 + b2 v)(a1 + a3 v) - (b1 + b3 v)(a0 + a2 v) = 0
    quad = (_pmul(np.stack([bb[:, 0], bb[:, 2]], -1), np.stack([a[:, 1], a[:, 3]], -1))
            - _pmul(np.stack([bb[:, 1], bb[:, 3]], -1), np.stack([a[:, 0], a[:, 2]], -1)))
    singular = np.max(np.abs(quad), axis=1) <= 1e-11
    points, owner = [], []
    for b in range(B):
        if singular[b]:
            continue
        qb = quad[b]
        qb = qb[: np.flatnonzero(np.abs(qb) > 1e-13 * np.max(np.abs(qb)))[-1] + 1]
        if len(qb) == 1:
            continue
        if len(qb) == 3:
            q0, q1, q2 = qb
            double = abs(q1 * q1 - 4 * q2 * q0) <= 1e-12 * max(q1 * q1, abs(4 * q2 * q0))
            if double and -margin <= -q1 / (2 * q2) <= 1 + margin:
                # a double root near the box is a singular solution (as binary_exact decides
                # exactly); np.roots splits it sqrt(eps) apart, and Newton's method converges
                # to it slowly, so the polished endpoint would pass for a regular one
                singular[b] = True
                continue
        for v in np.roots(qb[::-1]):
            if abs(v.imag) > margin or not -margin <= v.real <= 1 + margin:
                continue
            v = v.real
            den = np.array([a[b, 1] + a[b, 3] * v, bb[b, 1] + bb[b, 3] * v])
            num = -np.array([a[b, 0] + a[b, 2] * v, bb[b, 0] + bb[b, 2] * v])
            k = int(np.argmax(np.abs(den)))
            if abs(den[k]) <= _SINGULAR:
                singular[b] = True
                continue
            u = num[k] / den[k]
            wq, wr = _binary(u), _binary(v)
            # the two binary mixers' equations are linear in player p's probabilities
            rows = []
            for i, other in ((q, wr), (r, wq)):
                T = D[i][b, 0]  # axes: the other two mixers in increasing order
                axes = [j for j in range(3) if j != i]
                rows.append(T @ other if axes.index(p) == 0 else other @ T)
            M = np.vstack(rows + [np.ones(3)])
            if np.linalg.cond(M) > 1 / _SINGULAR:
                singular[b] = True
                continue
            yp = np.linalg.solve(M, np.array([0.0, 0.0, 1.0]))
            blocks = {p: yp, q: wq, r: wr}
            points.append(np.concatenate([blocks[i] for i in range(3)]))
            owner.append(b)
    return points, owner, singular


# ------------------------------------------------------------------ (k, k, 2)
def _hidden_binary(sizes, D, margin):
    """Two mixers of equal size ``k`` and a binary one with probability ``t`` (hidden)."""
    B = len(D[0])
    r = sizes.index(2) if sizes.count(2) == 1 else 2
    p, q = [i for i in range(3) if i != r]
    k = sizes[p]
    degree = 2 * (k - 1)
    nodes = _nodes(degree)
    wt = _binary(nodes)

    def matrix(D, i, w):
        # player i's equations are linear in the other k-mixer's block once t is known
        axes = [j for j in range(3) if j != i]
        if axes.index(r) == 1:
            A = np.einsum("bejc,nc->bnej", D[i], w)
        else:
            A = np.einsum("becj,nc->bnej", D[i], w)
        ones = np.ones(A.shape[:2] + (1, A.shape[-1]))
        return np.concatenate([A, ones], axis=2)  # (B, N, k, k)

    def cramer(M):
        """det(M) · M^{-1} e_last, column by column (polynomials sampled at the nodes)."""
        cols = []
        for c in range(k):
            Mc = M.copy()
            Mc[..., :, c] = 0.0
            Mc[..., -1, c] = 1.0
            cols.append(np.linalg.det(Mc))
        return np.stack(cols, axis=-1)  # (B, N, k)

    Mp, Mq = matrix(D, p, wt), matrix(D, q, wt)  # Mp fixes y_q, Mq fixes y_p
    yq, yp = cramer(Mp), cramer(Mq)
    C = D[r][:, 0]  # (B, k, k) over (p, q) in increasing order (p < q)
    values = np.einsum("bni,bij,bnj->bn", yp, C, yq)
    roots, vanishing = _unit_roots(values, nodes, degree, margin)
    singular = vanishing.copy()
    points, owner = [], []
    e = np.zeros(k)
    e[-1] = 1.0
    for b in range(B):
        t = roots[b]
        if vanishing[b] or not len(t):
            continue
        w = _binary(t)
        Db = {i: D[i][b : b + 1] for i in D}
        Mpb, Mqb = matrix(Db, p, w)[0], matrix(Db, q, w)[0]
        for j in range(len(t)):
            if np.linalg.cond(Mpb[j]) > 1 / _SINGULAR or np.linalg.cond(Mqb[j]) > 1 / _SINGULAR:
                singular[b] = True
                continue
            blocks = {p: np.linalg.solve(Mqb[j], e), q: np.linalg.solve(Mpb[j], e), r: w[j]}
            points.append(np.concatenate([blocks[i] for i in range(3)]))
            owner.append(b)
    return points, owner, singular
