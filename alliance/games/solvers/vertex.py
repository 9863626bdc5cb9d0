r"""Every extreme Nash equilibrium of a bimatrix game, degenerate games included.

Algorithm
---------
With positive payoffs (see :mod:`alliance.games.solvers._linalg` for the affine shift) the
*best-response polytopes* of the game ``(A, B)`` are

.. math::

    P = \{x \in \mathbb{R}^m : x \ge 0,\ B^\top x \le 1\}, \qquad
    Q = \{y \in \mathbb{R}^n : A y \le 1,\ y \ge 0\}.

A point of ``P`` has label ``i`` when ``x_i = 0`` and label ``m + j`` when ``(B^T x)_j = 1``
(column ``j`` is a best response); a point of ``Q`` has label ``i`` when ``(A y)_i = 1`` and
label ``m + j`` when ``y_j = 0``. The extreme Nash equilibria are exactly the pairs of non-zero
vertices ``(x, y)`` of ``P x Q`` whose labels cover ``{0, ..., m + n - 1}``, rescaled to
probabilities — in degenerate games too, where a vertex may carry more labels than the
dimension and one vertex may pair with several (Avis, Rosenberg, Savani & von Stengel 2010).

1. **Vertices.** The vertices of each polytope are found by a breadth-first search over its
   *feasible bases* (sets of ``d`` tight, linearly independent constraints), starting from the
   origin. Each level of the search is one batch of NumPy operations: inverses of all basis
   matrices, the ratio test of all ``d`` edges of all bases at once, and de-duplication of the
   new bases by bit-packed keys. In a degenerate polytope every tie of the ratio test is
   followed, so the search visits every feasible basis (the graph of feasible bases of a
   polytope is connected under pivoting), hence every vertex.
2. **Matching.** Each vertex's label set is a bit mask; the completely labelled pairs are found
   by a vectorised ``OR`` of all pairs of masks (chunked).
3. **Exact reconstruction** (``exact=True``). Each candidate pair is recomputed from its bases in
   integer arithmetic (fraction-free elimination on the integer form of the game) and checked
   exactly: feasibility of both vertices and complementarity. Only pairs that pass are
   returned, so every exact result is a proven extreme equilibrium. The floating-point search
   only has to propose a *superset* of candidates: ties and labels are detected with the
   tolerance ``tol`` (near-ties count as ties), which is what makes the float search safe on
   degenerate integer games.
4. **Float results** (``exact=False``) are re-solved from their full label sets by least
   squares, kept when their regret on the payoffs mapped onto ``[1, 2]`` is at most
   ``regret_radius(tol)`` and de-duplicated within ``merge_radius(tol)`` (max-norm). Both
   radii are ``tol`` itself, raised only to the floor :data:`ROUNDING_FLOOR` below which
   least squares cannot resolve a vertex; the user's ``tol`` is never widened otherwise,
   so two equilibria farther apart than ``tol`` are always reported separately.

Limits
------
* The work grows with the number of feasible bases of the two polytopes, which is exponential
  in the worst case (random ``12 x 12`` games have some ten thousand; ``max_bases`` guards
  memory and time). For large games use :func:`~alliance.games.solvers.lemke_howson.
  lemke_howson_all`, which finds *some* equilibria quickly.
* Every feasible basis of a degenerate vertex is visited: a vertex where ``k > d`` constraints
  are tight can have up to ``C(k, d)`` bases (a few hundred at most in random ``12 x 12``
  games with payoffs 0..9). Lexicographic perturbation, as in lrsnash, would visit fewer.
* Completeness of the float search needs the payoffs (mapped onto ``[1, 2]``) to separate
  genuinely different ratios by more than ``tol``; with ``tol = 1e-9`` this holds for the
  integer and rational games met in practice. Soundness of exact results is unconditional.
* Non-extreme equilibria of degenerate games are convex combinations of extreme ones within a
  maximal Nash subset; see :mod:`alliance.games.solvers.components`.

References
----------
Avis, D., Rosenberg, G. D., Savani, R., & von Stengel, B. (2010). Enumeration of Nash
equilibria for two-player games. *Economic Theory*, 42(1), 9-37.

von Stengel, B. (2007). Equilibrium computation for two-player games in strategic and
extensive form. In N. Nisan et al. (Eds.), *Algorithmic Game Theory* (ch. 3). Cambridge
University Press.

Mangasarian, O. L. (1964). Equilibrium points of bimatrix games. *Journal of the Society for
Industrial and Applied Mathematics*, 12(4), 778-780.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import Any

import numpy as np

from alliance.errors import ParameterError, SizeLimitError
from alliance.games.solvers._linalg import Bimatrix, bimatrix, solve_integer

__all__ = [
    "extreme_equilibria",
    "best_response_vertices",
    "regret_radius",
    "merge_radius",
    "ROUNDING_FLOOR",
]

#: Smallest regret and merge radius of float results: the rounding noise of re-solving a
#: vertex by least squares on payoffs in [1, 2] (a few hundred ulps). Radii are
#: ``max(tol, ROUNDING_FLOOR)``.
ROUNDING_FLOOR = 1e-12


def regret_radius(tol: float) -> float:
    """The largest regret (payoffs mapped onto [1, 2]) a float equilibrium may have.

    Parameters
    ----------
    tol : float
        The caller's tolerance, ``>= 0``.

    Returns
    -------
    float
        ``tol``, or the rounding floor of double precision when ``tol`` is smaller.

    Examples
    --------
    >>> regret_radius(1e-3), regret_radius(1e-15)
    (0.001, 1e-12)
    """
    return max(float(tol), ROUNDING_FLOOR)


def merge_radius(tol: float) -> float:
    """The max-norm distance within which two float equilibria are the same one.

    Parameters
    ----------
    tol : float
        The caller's tolerance, ``>= 0``.

    Returns
    -------
    float
        ``tol``, or the rounding floor of double precision when ``tol`` is smaller.

    Examples
    --------
    >>> merge_radius(1e-6), merge_radius(0.0)
    (1e-06, 1e-12)
    """
    return max(float(tol), ROUNDING_FLOOR)


#: Bases processed in one batch (bounds the memory of the ratio test).
_CHUNK = 4096
#: Pairs of vertices tested in one batch by the label matching.
_PAIR_CHUNK = 1 << 22


@dataclass(frozen=True)
class _Vertices:
    """The vertices of one best-response polytope, as found by the basis search."""

    points: np.ndarray  # (V, d) float coordinates of each distinct vertex
    labels: np.ndarray  # (V, K) bool: the tight constraints (labels) of each vertex
    bases: np.ndarray  # (N, d) every feasible basis visited (constraint indices)
    group: np.ndarray  # (N,) the vertex each basis belongs to
    order: np.ndarray  # argsort of group: the bases of vertex v are order[start[v]:start[v+1]]
    start: np.ndarray  # (V + 1,)


def _keys(mask: np.ndarray) -> np.ndarray:
    """One sortable key per boolean row: uint64 up to 64 columns, opaque bytes beyond."""
    rows, width = mask.shape
    words = -(-width // 64)
    padded = np.zeros((rows, words * 64), dtype=bool)
    padded[:, :width] = mask
    packed = np.packbits(padded, axis=1)
    if words == 1:
        return packed.view(np.uint64).ravel()
    return np.ascontiguousarray(packed).view(np.dtype((np.void, 8 * words))).ravel()


def _basis_keys(bases: np.ndarray, n_rows: int) -> np.ndarray:
    """The key of each basis (a set of constraint indices), as for :func:`_keys`."""
    if n_rows <= 64:
        bits = np.left_shift(np.uint64(1), bases.astype(np.uint64))
        return np.bitwise_or.reduce(bits, axis=1)
    member = np.zeros((len(bases), n_rows), dtype=bool)
    np.put_along_axis(member, bases, True, axis=1)
    return _keys(member)


def _inverse(matrices: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Batch inverse; returns (inverses, ok) where ok flags numerically regular bases."""
    try:
        return np.linalg.inv(matrices), np.ones(len(matrices), dtype=bool)
    except np.linalg.LinAlgError:
        ok = np.abs(np.linalg.det(matrices)) > 1e-12
        inverses = np.zeros_like(matrices)
        for k in np.flatnonzero(ok):  # rare: only when a batch holds a singular basis
            try:
                inverses[k] = np.linalg.inv(matrices[k])
            except np.linalg.LinAlgError:
                ok[k] = False
        return inverses, ok


def _polytope_vertices(
    G: np.ndarray, h: np.ndarray, start: np.ndarray, tol: float, max_bases: int, name: str
) -> _Vertices:
    """Breadth-first search over the feasible bases of the polytope ``{z : G z <= h}``.

    A basis is a set of ``d`` constraint (row) indices whose matrix is regular. Leaving basis
    position ``j`` moves along ``-inverse[:, j]``; the rows whose slack shrinks fastest relative
    to their distance (the ratio test) block the move, and each blocking row, with ties, gives a
    neighbouring basis.
    """
    n_rows, dim = G.shape
    G_T = np.ascontiguousarray(G.T)
    frontier = start[None, :].astype(np.int64)
    seen = _basis_keys(frontier, n_rows)
    bases_found, points_found, labels_found = [], [], []
    n_found = 0
    feasibility = tol
    while len(frontier):
        new_bases = []
        for begin in range(0, len(frontier), _CHUNK):
            chunk = frontier[begin : begin + _CHUNK]
            inverse, regular = _inverse(G[chunk])
            z = np.matmul(inverse, h[chunk][:, :, None])[:, :, 0]
            slack = h - z @ G_T
            keep = regular & (slack.min(axis=1) >= -feasibility)
            if not keep.all():
                chunk, inverse, z, slack = chunk[keep], inverse[keep], z[keep], slack[keep]
            batch = len(chunk)
            n_found += batch
            if n_found > max_bases:
                raise SizeLimitError(
                    f"the {name} has more than max_bases={max_bases} feasible bases; "
                    "enumerating all equilibria would take too long: raise max_bases, or use "
                    "lemke_howson_all for a sample of equilibria"
                )
            bases_found.append(chunk)
            points_found.append(z)
            labels_found.append(slack <= tol)
            # raw[b, j, k] = G[k] . inverse[b][:, j], one GEMM for the batch. Leaving basis
            # position j moves along -inverse[:, j], which shrinks the slack of row k at rate
            # -raw: rows with raw < -tol block, after a step slack / -raw (stored negated)
            raw = inverse.transpose(0, 2, 1).reshape(batch * dim, dim) @ G_T
            raw = raw.reshape(batch, dim, n_rows)
            np.maximum(slack, 0.0, out=slack)
            with np.errstate(divide="ignore", invalid="ignore"):
                steps = slack[:, None, :] / raw
            steps[raw >= -tol] = -np.inf
            shortest = steps.max(axis=2)
            # every tie of the ratio test is a neighbouring basis: degenerate vertices included
            which, leaving, entering = np.nonzero(steps >= shortest[:, :, None] - tol)
            neighbours = chunk[which]
            neighbours[np.arange(len(which)), leaving] = entering
            new_bases.append(neighbours)
        candidates = np.concatenate(new_bases) if new_bases else np.empty((0, dim), np.int64)
        if not len(candidates):
            break
        keys, first = np.unique(_basis_keys(candidates, n_rows), return_index=True)
        position = np.searchsorted(seen, keys).clip(max=len(seen) - 1)
        fresh = seen[position] != keys
        frontier = candidates[first[fresh]]
        seen = np.sort(np.concatenate([seen, keys[fresh]]))
    bases = np.concatenate(bases_found)
    points = np.concatenate(points_found)
    labels = np.concatenate(labels_found)
    _, first, group = np.unique(_keys(labels), return_index=True, return_inverse=True)
    group = group.ravel()
    order = np.argsort(group, kind="stable")
    start_index = np.searchsorted(group[order], np.arange(len(first) + 1))
    return _Vertices(points[first], labels[first], bases, group, order, start_index)


def _polytopes(game: Bimatrix) -> tuple[tuple[np.ndarray, np.ndarray], tuple[np.ndarray, ...]]:
    m, n = game.shape
    G_P = np.vstack([-np.eye(m), game.B_unit.T])
    h_P = np.concatenate([np.zeros(m), np.ones(n)])
    G_Q = np.vstack([game.A_unit, -np.eye(n)])
    h_Q = np.concatenate([np.ones(m), np.zeros(n)])
    return (G_P, h_P), (G_Q, h_Q)


def best_response_vertices(
    A: Any, B: Any, *, tol: float = 1e-9, max_bases: int = 500_000
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """The vertices of both best-response polytopes and their label sets.

    Parameters
    ----------
    A, B : array_like, shape (m, n)
        Payoffs of the row and the column player.
    tol : float, default 1e-9
        Tolerance for tight constraints and ratio-test ties, on payoffs mapped onto [1, 2].
    max_bases : int, default 500000
        Limit on the feasible bases visited per polytope.

    Returns
    -------
    x_points, x_labels, y_points, y_labels : numpy.ndarray
        Vertices of ``P`` (rows, shape ``(V, m)``) with boolean label sets ``(V, m + n)``, and
        the same for ``Q``; the origin of each polytope is included. Coordinates refer to the
        payoffs mapped onto ``[1, 2]``.

    Examples
    --------
    >>> xs, xl, ys, yl = best_response_vertices([[1, 0], [0, 1]], [[1, 0], [0, 1]])
    >>> len(xs), len(ys)
    (4, 4)
    """
    game = bimatrix(A, B, exact=False)
    (G_P, h_P), (G_Q, h_Q) = _polytopes(game)
    m, n = game.shape
    vx = _polytope_vertices(G_P, h_P, np.arange(m), tol, max_bases, "row player's polytope P")
    vy = _polytope_vertices(
        G_Q, h_Q, np.arange(m, m + n), tol, max_bases, "column player's polytope Q"
    )
    return vx.points, vx.labels, vy.points, vy.labels


def _complementary_pairs(x_labels: np.ndarray, y_labels: np.ndarray) -> np.ndarray:
    """All index pairs (u, w) whose label sets together cover every label.

    A pair is complementary when no label is missing from both, i.e. when the 0/1 vectors of
    missing labels are orthogonal: one matrix product (BLAS) per block of vertices.
    """
    if not len(x_labels) or not len(y_labels):
        return np.empty((0, 2), dtype=np.int64)
    missing_x = (~x_labels).astype(np.float32)
    missing_y = (~y_labels).astype(np.float32).T.copy()
    rows = max(1, _PAIR_CHUNK // len(y_labels))
    found = []
    for begin in range(0, len(missing_x), rows):
        shared = missing_x[begin : begin + rows] @ missing_y
        u, w = np.nonzero(shared == 0.0)
        found.append(np.column_stack([u + begin, w]))
    return np.concatenate(found)


def _exact_vertex(
    game: Bimatrix, basis: np.ndarray, side: str
) -> tuple[tuple[int, ...], int, frozenset[int]] | None:
    """The vertex of P (side 'x') or Q (side 'y') of one basis, exactly.

    Returns ``(numerators, denominator, labels)`` in the integer form of the game, or None
    when the basis is singular or its point infeasible (a spurious float tie).
    """
    m, n = game.shape
    if side == "x":
        payoff = game.B_int.T  # rows: the column player's strategies
        zero, tight = basis[basis < m], basis[basis >= m] - m
        size, offset_zero, offset_tight = m, 0, m
    else:
        payoff = game.A_int
        zero, tight = basis[basis >= m] - m, basis[basis < m]
        size, offset_zero, offset_tight = n, m, 0
    support = np.setdiff1d(np.arange(size), zero)
    if len(support) != len(tight) or not len(support):
        return None
    solved = solve_integer(payoff[np.ix_(tight, support)].tolist(), [1] * len(tight))
    if solved is None:
        return None
    numerators, denominator = solved
    if min(numerators) < 0:
        return None
    point = np.zeros(size, dtype=object)
    point[support] = numerators
    values = payoff.dot(point)  # = denominator * (payoffs of the opponent's strategies)
    if max(values) > denominator:
        return None
    labels = {offset_zero + i for i in range(size) if point[i] == 0}
    labels |= {offset_tight + k for k in range(len(values)) if values[k] == denominator}
    return tuple(point.tolist()), denominator, frozenset(labels)


def _exact_vertices(game: Bimatrix, vertices: _Vertices, v: int, side: str) -> list[tuple]:
    """The exact vertex (or, rarely, vertices) behind group v of the float search.

    A group gathers the bases whose float label sets agree. The first exactly feasible basis
    gives the vertex; when its exact labels equal the group's, it is the only point with those
    tight constraints and the other bases need no check. Otherwise the float labels held a
    spurious near-tie and every basis of the group is solved.
    """
    expected = frozenset(np.flatnonzero(vertices.labels[v]).tolist())
    found: list[tuple] = []
    for k in vertices.order[vertices.start[v] : vertices.start[v + 1]]:
        vertex = _exact_vertex(game, vertices.bases[k], side)
        if vertex is None or not any(vertex[0]) or vertex in found:
            continue
        found.append(vertex)
        if vertex[2] == expected:
            return [vertex]
    return found


def _exact_equilibria(
    game: Bimatrix, vx: _Vertices, vy: _Vertices, pairs: np.ndarray
) -> list[tuple[tuple[Fraction, ...], tuple[Fraction, ...]]]:
    cache_x: dict[int, list[tuple]] = {}
    cache_y: dict[int, list[tuple]] = {}
    everything = frozenset(range(sum(game.shape)))
    found = set()
    for u, w in pairs.tolist():
        if u not in cache_x:
            cache_x[u] = _exact_vertices(game, vx, u, "x")
        if w not in cache_y:
            cache_y[w] = _exact_vertices(game, vy, w, "y")
        for x, _, x_labels in cache_x[u]:
            for y, _, y_labels in cache_y[w]:
                if x_labels | y_labels == everything:
                    found.add((_normalise(x), _normalise(y)))
    return sorted(found)


def _normalise(point: tuple[int, ...]) -> tuple[Fraction, ...]:
    total = sum(point)
    return tuple(Fraction(value, total) for value in point)


def _refine(G: np.ndarray, h: np.ndarray, labels: np.ndarray, point: np.ndarray) -> np.ndarray:
    """Re-solve a vertex from all its tight constraints (least squares) for accuracy."""
    solution, *_ = np.linalg.lstsq(G[labels], h[labels], rcond=None)
    if np.max(np.abs(solution - point)) < 1e-6:
        return solution
    return point


def _float_equilibria(
    game: Bimatrix,
    polytopes: tuple,
    vx: _Vertices,
    vy: _Vertices,
    pairs: np.ndarray,
    tol: float,
) -> list[tuple[np.ndarray, np.ndarray]]:
    (G_P, h_P), (G_Q, h_Q) = polytopes
    m, n = game.shape
    if not len(pairs):
        return []
    profiles = np.empty((len(pairs), m + n))
    for k, (u, w) in enumerate(pairs.tolist()):
        x = np.maximum(_refine(G_P, h_P, vx.labels[u], vx.points[u]), 0.0)
        y = np.maximum(_refine(G_Q, h_Q, vy.labels[w], vy.points[w]), 0.0)
        x[vx.labels[u, :m]] = 0.0  # label i of P: x_i = 0, exactly
        y[vy.labels[w, m:]] = 0.0  # label m + j of Q: y_j = 0
        profiles[k, :m] = x / x.sum()
        profiles[k, m:] = y / y.sum()
    # a spurious near-tie of the float search can pair vertices that are no equilibrium;
    # the regret on the scaled payoffs (range 1) exposes them
    regret_x = (game.A_unit @ profiles[:, m:].T).T
    regret_y = profiles[:, :m] @ game.B_unit
    gain = np.maximum(
        regret_x.max(axis=1) - np.einsum("ki,ki->k", profiles[:, :m], regret_x),
        regret_y.max(axis=1) - np.einsum("kj,kj->k", profiles[:, m:], regret_y),
    )
    profiles = profiles[gain <= regret_radius(tol)]
    # near-identical vertices (one degenerate vertex seen through noisy label sets) merge
    rounded = np.round(profiles, 9)
    order = np.lexsort(rounded.T[::-1])
    profiles = profiles[order]
    keep = np.ones(len(profiles), dtype=bool)
    distance = np.abs(profiles[:, None, :] - profiles[None, :, :]).max(axis=2)
    close = distance <= merge_radius(tol)
    for k in range(len(profiles)):
        if keep[k]:
            later = close[k].copy()
            later[: k + 1] = False
            keep[later] = False
    return [(p[:m].copy(), p[m:].copy()) for p in profiles[keep]]


def extreme_equilibria(
    A: Any,
    B: Any,
    *,
    exact: bool | None = None,
    tol: float = 1e-9,
    max_bases: int = 500_000,
) -> list[tuple[Any, Any]]:
    """All extreme Nash equilibria of the bimatrix game ``(A, B)``.

    The row player receives ``A``, the column player ``B``. Complete on degenerate games: every
    completely labelled pair of vertices of the best-response polytopes is returned
    (Avis et al. 2010), so the equilibria of a game with a continuum are the extreme points of
    its maximal Nash subsets (group them with
    :func:`~alliance.games.solvers.components.equilibrium_components`).

    Parameters
    ----------
    A, B : array_like, shape (m, n)
        Payoffs of the row and of the column player: ints, floats or ``Fraction``; finite.
    exact : bool or None, default None
        Exact rational arithmetic. ``None`` (auto) means exact when every payoff is an
        integer, a ``Fraction`` (any ``numbers.Rational``) or an integer-valued float such as
        ``3.0``; otherwise floating point. ``True`` with non-integer floats uses their exact
        binary values.
    tol : float, default 1e-9
        Tolerance for tight constraints and ties, applied to the payoffs mapped onto
        ``[1, 2]``; must lie in ``(0, 1e-3]``. In exact mode it only steers the search: results
        are verified exactly.
    max_bases : int, default 500000
        Upper limit on the feasible bases visited in each best-response polytope.

    Returns
    -------
    list of tuple
        The extreme equilibria ``(x, y)``, sorted lexicographically. Exact mode: ``x`` and
        ``y`` are tuples of ``Fraction``. Float mode: float64 arrays, each with regret at most
        ``regret_radius(tol)`` times the payoff range, any two farther apart than
        ``merge_radius(tol)`` (both ``max(tol, 1e-12)``).

    Raises
    ------
    InvalidGameError
        Ragged, empty, non-numeric or non-finite payoffs, or shapes of ``A`` and ``B`` differ.
    ParameterError
        ``tol`` or ``max_bases`` out of range.
    SizeLimitError
        A polytope has more than ``max_bases`` feasible bases.

    Examples
    --------
    Battle of the sexes has two pure equilibria and one mixed:

    >>> for x, y in extreme_equilibria([[3, 0], [0, 2]], [[2, 0], [0, 3]]):
    ...     print([str(p) for p in x], [str(q) for q in y])
    ['0', '1'] ['0', '1']
    ['3/5', '2/5'] ['2/5', '3/5']
    ['1', '0'] ['1', '0']

    A degenerate game: the row player is indifferent, so every ``x`` against the column
    player's dominant ``L`` is an equilibrium; the extreme equilibria are the two ends.

    >>> [(tuple(map(str, x)), tuple(map(str, y)))
    ...  for x, y in extreme_equilibria([[1, 1], [1, 1]], [[2, 0], [2, 0]])]
    [(('0', '1'), ('1', '0')), (('1', '0'), ('1', '0'))]

    Float games return arrays:

    >>> x, y = extreme_equilibria([[0.5, -1.0], [-1.0, 1.0]], [[-0.5, 1.0], [1.0, -1.0]])[0]
    >>> x.round(4).tolist(), y.round(4).tolist()
    ([0.5714, 0.4286], [0.5714, 0.4286])

    References
    ----------
    Avis, D., Rosenberg, G. D., Savani, R., & von Stengel, B. (2010). Enumeration of Nash
    equilibria for two-player games. *Economic Theory*, 42(1), 9-37.
    """
    if not (isinstance(tol, float | int) and 0 < tol <= 1e-3):
        raise ParameterError(f"tol is {tol!r}; it must be a number in (0, 1e-3]")
    if not (isinstance(max_bases, int) and max_bases >= 1):
        raise ParameterError(f"max_bases is {max_bases!r}; it must be a positive integer")
    game = bimatrix(A, B, exact=exact)
    m, n = game.shape
    polytopes = _polytopes(game)
    (G_P, h_P), (G_Q, h_Q) = polytopes
    vx = _polytope_vertices(
        G_P, h_P, np.arange(m), tol, max_bases, "row player's best-response polytope"
    )
    vy = _polytope_vertices(
        G_Q, h_Q, np.arange(m, m + n), tol, max_bases, "column player's best-response polytope"
    )
    pairs = _complementary_pairs(vx.labels, vy.labels)
    # the origin pair (0, 0) is the artificial equilibrium of the polytope formulation
    nonzero = (vx.points[pairs[:, 0]].sum(axis=1) > tol) & (
        vy.points[pairs[:, 1]].sum(axis=1) > tol
    )
    pairs = pairs[nonzero]
    if game.exact:
        return _exact_equilibria(game, vx, vy, pairs)
    return _float_equilibria(game, polytopes, vx, vy, pairs, tol)
