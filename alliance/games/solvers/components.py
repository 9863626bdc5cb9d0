r"""Maximal Nash subsets and connected components of the equilibria of a bimatrix game.

Algorithm
---------
Let the extreme equilibria be the edges of a bipartite graph whose two sides are the distinct
row-player vertices ``x`` and column-player vertices ``y`` that occur in them. A set
``X' x Y'`` of such vertices with every pair an extreme equilibrium (a *biclique*) spans the
*Nash subset* ``conv(X') x conv(Y')``: every point of it is an equilibrium, because the
labels (best-response and zero-probability conditions) of the pairs carry over to convex
combinations. The **maximal Nash subsets** are the maximal bicliques, and the set of all Nash
equilibria is their union (Winkels 1979; Jansen 1981). Two maximal Nash subsets that share a
vertex intersect, so the **connected components** of the equilibrium set are the connected
components of the bipartite graph (Avis et al. 2010, sec. 5).

Maximal bicliques are enumerated as the closed pairs of the graph (formal concepts):
``Y'`` is an intersection of neighbourhoods ``N(x)`` and ``X' = {x : N(x) ⊇ Y'}``. The
closure is built by intersecting, one ``x`` at a time, the sets found so far (bit masks), which
is fast for the small graphs that arise (components rarely have more than a few dozen
vertices).

References
----------
Avis, D., Rosenberg, G. D., Savani, R., & von Stengel, B. (2010). Enumeration of Nash
equilibria for two-player games. *Economic Theory*, 42(1), 9-37.

Winkels, H.-M. (1979). An algorithm to determine all equilibrium points of a bimatrix game.
In O. Moeschlin & D. Pallaschke (Eds.), *Game Theory and Related Topics* (pp. 137-148).
North-Holland.

Jansen, M. J. M. (1981). Maximal Nash subsets for bimatrix games. *Naval Research Logistics
Quarterly*, 28(1), 147-152.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

import numpy as np

from alliance.errors import InvalidGameError

__all__ = ["Component", "equilibrium_components"]


def _text(value: Any) -> str:
    if isinstance(value, Fraction):
        return str(value)
    return f"{float(value):.6g}"


def _latex(value: Any) -> str:
    if isinstance(value, Fraction) and value.denominator != 1:
        sign = "-" if value < 0 else ""
        return rf"{sign}\tfrac{{{abs(value.numerator)}}}{{{value.denominator}}}"
    return _text(value)


def _vector(values: Any) -> str:
    return "(" + ", ".join(_text(v) for v in values) + ")"


@dataclass(frozen=True)
class Component:
    """A connected component of the Nash equilibria of a bimatrix game.

    Made by :func:`equilibrium_components`, not by hand.

    Parameters
    ----------
    extreme_points : tuple of (x, y)
        The extreme equilibria in the component, in the order given.
    row_vertices : tuple
        The distinct row-player strategies ``x`` among them, sorted lexicographically.
    column_vertices : tuple
        The distinct column-player strategies ``y`` among them, sorted lexicographically.
    cliques : tuple of (tuple of int, tuple of int)
        The maximal Nash subsets ``conv(X') x conv(Y')``, each as the indices of ``X'`` in
        ``row_vertices`` and of ``Y'`` in ``column_vertices``.

    Examples
    --------
    >>> from alliance.games.solvers.vertex import extreme_equilibria
    >>> A, B = [[1, 1], [1, 1]], [[2, 0], [2, 0]]
    >>> [c] = equilibrium_components(extreme_equilibria(A, B), A, B)
    >>> len(c), [[str(p) for p in x] for x in c.row_vertices]
    (2, [['0', '1'], ['1', '0']])
    """

    extreme_points: tuple[tuple[Any, Any], ...]
    row_vertices: tuple[Any, ...]
    column_vertices: tuple[Any, ...]
    cliques: tuple[tuple[tuple[int, ...], tuple[int, ...]], ...]

    @property
    def is_isolated(self) -> bool:
        """True when the component is a single equilibrium."""
        return len(self.extreme_points) == 1

    def __len__(self) -> int:
        return len(self.extreme_points)

    def __repr__(self) -> str:
        kind = "isolated equilibrium" if self.is_isolated else "continuum"
        nash_sets = "; ".join(
            "conv{"
            + ", ".join(_vector(self.row_vertices[i]) for i in rows)
            + "} x conv{"
            + ", ".join(_vector(self.column_vertices[j]) for j in cols)
            + "}"
            for rows, cols in self.cliques
        )
        return (
            f"Component({kind}, {len(self.extreme_points)} extreme point(s), "
            f"maximal Nash subsets: {nash_sets})"
        )

    def _repr_latex_(self) -> str:
        parts = []
        for rows, cols in self.cliques:
            xs = ", ".join(
                r"\left(" + ", ".join(_latex(v) for v in self.row_vertices[i]) + r"\right)"
                for i in rows
            )
            ys = ", ".join(
                r"\left(" + ", ".join(_latex(v) for v in self.column_vertices[j]) + r"\right)"
                for j in cols
            )
            parts.append(
                r"\operatorname{conv}\{" + xs + r"\} \times \operatorname{conv}\{" + ys + r"\}"
            )
        return "$" + r" \cup ".join(parts) + "$"

    def _repr_html_(self) -> str:
        try:
            return self.to_frame().to_html()
        except Exception:  # a notebook display must never fail
            return "<pre>" + html.escape(repr(self)) + "</pre>"

    def to_frame(self) -> Any:
        """The extreme points as a DataFrame: one row each, its maximal Nash subsets listed.

        Returns
        -------
        pandas.DataFrame
            Columns ``x``, ``y`` (probability tuples) and ``cliques`` (indices into
            :attr:`cliques` of the maximal Nash subsets that contain the point).

        Examples
        --------
        >>> from alliance.games.solvers.vertex import extreme_equilibria
        >>> A, B = [[1, 1], [1, 1]], [[2, 0], [2, 0]]
        >>> [c] = equilibrium_components(extreme_equilibria(A, B), A, B)
        >>> c.to_frame()
                x       y cliques
        0  (0, 1)  (1, 0)    (0,)
        1  (1, 0)  (1, 0)    (0,)
        """
        import pandas as pd

        rows = []
        for x, y in self.extreme_points:
            i = _index(self.row_vertices, x)
            j = _index(self.column_vertices, y)
            member = tuple(k for k, (r, c) in enumerate(self.cliques) if i in r and j in c)
            rows.append({"x": _vector(x), "y": _vector(y), "cliques": member})
        return pd.DataFrame(rows)


def _index(vertices: tuple[Any, ...], point: Any) -> int:
    # The nearest vertex: the point is one of them, found without a radius of its own
    # (the tolerance used to tell vertices apart is the caller's, not a fixed one).
    for k, vertex in enumerate(vertices):
        if _same(vertex, point, 0.0):
            return k
    if not vertices:
        raise KeyError(point)
    distances = [
        float(np.max(np.abs(np.asarray(v, dtype=float) - np.asarray(point, dtype=float))))
        for v in vertices
    ]
    return int(np.argmin(distances))


def _same(a: Any, b: Any, tol: float) -> bool:
    if (
        isinstance(a, tuple)
        and isinstance(b, tuple)
        and all(isinstance(v, Fraction) for v in a + b)
    ):
        return a == b
    return len(a) == len(b) and bool(
        np.max(np.abs(np.asarray(a, dtype=float) - np.asarray(b, dtype=float))) <= tol
    )


def _distinct(points: list[Any], tol: float) -> tuple[list[Any], list[int]]:
    """Distinct points (exact equality for Fractions, else within tol) and each one's index."""
    distinct: list[Any] = []
    index: list[int] = []
    exact_lookup: dict[tuple, int] = {}
    for point in points:
        if isinstance(point, tuple) and all(isinstance(v, Fraction) for v in point):
            if point not in exact_lookup:
                exact_lookup[point] = len(distinct)
                distinct.append(point)
            index.append(exact_lookup[point])
            continue
        for k, vertex in enumerate(distinct):
            if _same(vertex, point, tol):
                index.append(k)
                break
        else:
            index.append(len(distinct))
            distinct.append(point)
    return distinct, index


def _maximal_bicliques(neighbours: list[int]) -> list[tuple[int, int]]:
    """Maximal bicliques of a bipartite graph given as bit masks N(x) over the y side.

    Returns ``(X mask, Y mask)`` pairs: every non-empty intersection ``Y`` of neighbourhoods,
    with ``X = {x : N(x) ⊇ Y}``.
    """
    closed: set[int] = set()
    for mask in neighbours:
        closed |= {mask & other for other in closed} | {mask}
    closed.discard(0)
    out = []
    for y_mask in closed:
        x_mask = 0
        for k, mask in enumerate(neighbours):
            if mask & y_mask == y_mask:
                x_mask |= 1 << k
        out.append((x_mask, y_mask))
    return out


def _order(point: Any) -> tuple:
    if isinstance(point, tuple) and all(isinstance(v, Fraction) for v in point):
        return point
    return tuple(float(v) for v in point)


def _bits(mask: int) -> tuple[int, ...]:
    return tuple(k for k in range(mask.bit_length()) if mask >> k & 1)


def equilibrium_components(
    extremes: list[tuple[Any, Any]] | None,
    A: Any = None,
    B: Any = None,
    *,
    tol: float = 1e-7,
) -> list[Component]:
    """Group the extreme equilibria of a bimatrix game into maximal Nash subsets and components.

    Parameters
    ----------
    extremes : list of (x, y) or None
        The extreme equilibria, e.g. from
        :func:`~alliance.games.solvers.vertex.extreme_equilibria` (all of them: the result is
        only as complete as this list). ``None`` computes them from ``A`` and ``B``.
    A, B : array_like, shape (m, n), optional
        The game; when given, the strategies' lengths are checked against its shape.
    tol : float, default 1e-7
        Float strategies closer than ``tol`` (max-norm) are the same vertex; Fractions are
        compared exactly.

    Returns
    -------
    list of Component
        One per connected component, each reported once, ordered by their first extreme
        point (the order of ``extremes``).

    Raises
    ------
    InvalidGameError
        When ``extremes`` is None and ``A``/``B`` are missing or malformed, or when a
        strategy's length does not match the game.

    Examples
    --------
    The row player is indifferent and the column player's ``L`` is dominant: one component,
    the segment of all ``x`` against ``L``, with one maximal Nash subset.

    >>> from alliance.games.solvers.vertex import extreme_equilibria
    >>> A, B = [[1, 1], [1, 1]], [[2, 0], [2, 0]]
    >>> [c] = equilibrium_components(extreme_equilibria(A, B), A, B)
    >>> c.is_isolated, len(c.extreme_points), c.cliques
    (False, 2, (((0, 1), (0,)),))
    >>> c
    Component(continuum, 2 extreme point(s), maximal Nash subsets: conv{(0, 1), (1, 0)} x conv{(1, 0)})

    References
    ----------
    Avis, D., Rosenberg, G. D., Savani, R., & von Stengel, B. (2010). Enumeration of Nash
    equilibria for two-player games. *Economic Theory*, 42(1), 9-37.
    """
    if extremes is None:
        if A is None or B is None:
            raise InvalidGameError(
                "extremes is None and the payoff matrices A, B are missing; pass either"
            )
        from alliance.games.solvers.vertex import extreme_equilibria

        extremes = extreme_equilibria(A, B)
    extremes = list(extremes)
    if A is not None:
        m, n = np.shape(np.asarray(A, dtype=object))[:2]
        for x, y in extremes:
            if len(x) != m or len(y) != n:
                raise InvalidGameError(
                    f"extremes holds a profile with strategy lengths ({len(x)}, {len(y)}); "
                    f"payoff matrix A has shape ({m}, {n})"
                )
    if not extremes:
        return []
    rows, row_of = _distinct([x for x, _ in extremes], tol)
    cols, col_of = _distinct([y for _, y in extremes], tol)
    # connected components of the bipartite graph (union-find over extreme equilibria)
    parent = list(range(len(rows) + len(cols)))

    def find(k: int) -> int:
        while parent[k] != k:
            parent[k] = parent[parent[k]]
            k = parent[k]
        return k

    for i, j in zip(row_of, col_of, strict=True):
        a, b = find(i), find(len(rows) + j)
        if a != b:
            parent[max(a, b)] = min(a, b)
    groups: dict[int, list[int]] = {}
    for k, i in enumerate(row_of):
        groups.setdefault(find(i), []).append(k)
    components = []
    for members in sorted(groups.values(), key=lambda ks: ks[0]):
        local_rows = sorted({row_of[k] for k in members}, key=lambda i: _order(rows[i]))
        local_cols = sorted({col_of[k] for k in members}, key=lambda j: _order(cols[j]))
        row_pos = {i: p for p, i in enumerate(local_rows)}
        col_pos = {j: p for p, j in enumerate(local_cols)}
        neighbours = [0] * len(local_rows)
        for k in members:
            neighbours[row_pos[row_of[k]]] |= 1 << col_pos[col_of[k]]
        cliques = sorted((_bits(xm), _bits(ym)) for xm, ym in _maximal_bicliques(neighbours))
        components.append(
            Component(
                extreme_points=tuple(extremes[k] for k in members),
                row_vertices=tuple(rows[i] for i in local_rows),
                column_vertices=tuple(cols[j] for j in local_cols),
                cliques=tuple(cliques),
            )
        )
    return components
