"""Support enumeration for small n-player games: every isolated Nash equilibrium.

For each combination of supports ``(S_1, ..., S_n)`` the unknowns are the probabilities on the
supports. Each player must be indifferent among its support strategies, which gives
``sum_i (|S_i| - 1)`` polynomial equations (multilinear: player ``i``'s equations are linear in
every other player's probabilities) in as many unknowns once each player's probabilities are
made to sum to one. The solutions that are probabilities and leave no player a profitable
deviation off its support are the equilibria with those supports.

The systems are solved exactly: the payoffs become rationals (floats are converted without
rounding, every binary float being a rational), a lexicographic Gröbner basis triangularises the
system, and the univariate polynomials are solved from the last unknown back. Rational roots stay
rational (the equilibrium is returned as :class:`fractions.Fraction`); irrational real roots are
isolated exactly and evaluated to 50 significant digits before the inequalities are checked, and
the equilibrium is returned as floats.

Supports on which some strategy is *conditionally* strictly dominated (by a pure strategy, given
that the opponents play inside their supports) are skipped before any algebra, as in Porter,
Nudelman and Shoham (2008).

Degenerate games
----------------
When the indifference equations of a support have a continuum of solutions (a positive-
dimensional variety, as in Selten's horse), the continuum is *sampled*: the free unknowns are set
to the points of a fixed rational grid in the simplex, the remaining (finite) system is solved
and every sample that is an equilibrium with exactly that support is returned as a
*representative point* of the continuum, together with a :class:`DegenerateGameWarning` naming
the supports. Such points are not isolated; the equilibria at the ends of a continuum are
returned when they are isolated solutions of a smaller or larger support. A continuum that the
grid misses entirely is not reported.

Size limit
----------
The number of support combinations is ``prod_i (2**k_i - 1)``. Games with more than
``max_supports`` (default :data:`MAX_SUPPORT_COMBINATIONS` = 200) raise
:class:`~alliance.errors.SizeLimitError`: 2×2×2 (27 combinations), 3×3×2 (147), 2×2×2×2 (81)
and 4×2×2 (135) are accepted, 3×3×3 (343) and 2×2×2×2×2 (243) are refused unless the caller
raises ``max_supports``. Typical times on one core (sympy's F5B Gröbner bases): 2×2×2 0.04 s,
3×3×2 1-2 s, 2×2×2×2 2-5 s; 3×3×3 takes about 10 s with small integer payoffs but minutes
with generic float payoffs (coefficient growth), hence the default limit.

Examples
--------
Jordan's (1993) three-player matching pennies (player 1 matches 2, 2 matches 3, 3 mismatches 1)
has a unique equilibrium, fully mixed:

>>> import numpy as np
>>> P = np.zeros((2, 2, 2, 3))
>>> for a in range(2):
...     for b in range(2):
...         for c in range(2):
...             P[a, b, c] = (a == b, b == c, c != a)
>>> support_enumeration(P)
[[[0.5, 0.5], [0.5, 0.5], [0.5, 0.5]]]

References
----------
McKelvey, R. D. and McLennan, A. (1996). Computation of equilibria in finite games. In
*Handbook of Computational Economics* 1, 87-142.

Porter, R., Nudelman, E. and Shoham, Y. (2008). Simple search methods for finding a Nash
equilibrium. *Games and Economic Behavior* 63(2), 642-662.

Datta, R. S. (2003). Using computer algebra to find Nash equilibria. *Proceedings of ISSAC
2003*, 74-79.
"""

from __future__ import annotations

import itertools
import math
import warnings
from collections.abc import Sequence
from fractions import Fraction
from typing import Any

import mpmath
import numpy as np
import sympy as sp
from sympy.polys.domains import QQ
from sympy.polys.groebnertools import groebner
from sympy.polys.orderings import lex
from sympy.polys.rings import ring

from alliance.errors import SizeLimitError

__all__ = [
    "support_enumeration",
    "DegenerateGameWarning",
    "MAX_SUPPORT_COMBINATIONS",
    "count_support_combinations",
]

#: Largest number of support combinations ``prod_i (2**k_i - 1)`` accepted.
MAX_SUPPORT_COMBINATIONS = 200

#: Digits carried for irrational roots before they are rounded to floats.
_DIGITS = 50

#: Grid on which the free unknowns of a continuum are sampled (probabilities).
_GRID_1D = tuple(Fraction(k, 8) for k in range(1, 8))
_GRID_ND = (Fraction(1, 4), Fraction(1, 2), Fraction(3, 4))

Profile = list[list[Any]]


class DegenerateGameWarning(UserWarning):
    """A support has a continuum of equilibria; only representative points are returned."""


def count_support_combinations(shape: Sequence[int]) -> int:
    """Number of support combinations ``prod_i (2**k_i - 1)`` of a game of this shape.

    Examples
    --------
    >>> count_support_combinations((2, 2, 2)), count_support_combinations((3, 3, 2))
    (27, 147)
    """
    return math.prod(2**k - 1 for k in shape)


def support_enumeration(
    payoffs: np.ndarray,
    *,
    tol: float = 1e-9,
    exact_payoffs: np.ndarray | None = None,
    max_supports: int = MAX_SUPPORT_COMBINATIONS,
) -> list[Profile]:
    """Every isolated Nash equilibrium of a small n-player game, by support enumeration.

    Parameters
    ----------
    payoffs : ndarray of float, shape ``(k_1, ..., k_n, n)``
        ``P[i_1, ..., i_n, p]`` is player ``p``'s payoff at the pure profile ``(i_1, ..., i_n)``.
        Finite values (checked by :class:`~alliance.NormalFormGame`).
    tol : float, default 1e-9
        Largest regret (payoff units) and smallest negative probability accepted for a float
        solution. Exact (rational) solutions are checked exactly.
    exact_payoffs : ndarray of Fraction, optional
        The same payoffs as exact rationals; when given, rational equilibria are returned as
        :class:`fractions.Fraction`.
    max_supports : int, default :data:`MAX_SUPPORT_COMBINATIONS`
        Refuse games with more support combinations than this (see the module notes).

    Returns
    -------
    list of profiles
        Each profile is a list with one list of probabilities per player (over all its
        strategies). Entries are ``Fraction`` when ``exact_payoffs`` is given and every
        probability of the equilibrium is rational, floats otherwise. Ordered by the total
        size of the supports (pure equilibria first), then by the supports in lexicographic
        order, then by the probabilities; duplicates are removed.

    Raises
    ------
    SizeLimitError
        If the game has more than ``max_supports`` support combinations.

    Warns
    -----
    DegenerateGameWarning
        When some support carries a continuum of equilibria (see the module notes): sampled
        representative points of it are included in the result.

    Examples
    --------
    A three-player coordination game: everybody wants to match the others.

    >>> import numpy as np
    >>> P = np.zeros((2, 2, 2, 3))
    >>> P[0, 0, 0] = 1; P[1, 1, 1] = 2
    >>> from fractions import Fraction
    >>> found = support_enumeration(P, exact_payoffs=np.vectorize(Fraction, otypes=[object])(P))
    >>> [[[str(p) for p in s] for s in prof] for prof in found][:2]
    [[['1', '0'], ['1', '0'], ['1', '0']], [['0', '1'], ['0', '1'], ['0', '1']]]
    >>> [round(float(p), 6) for p in found[2][0]]   # fully mixed: 2 - sqrt(2) on s1
    [0.585786, 0.414214]
    >>> len(found)
    3
    """
    table = np.asarray(payoffs, dtype=float)
    shape = table.shape[:-1]
    n = table.shape[-1]
    if table.ndim < 2 or n != len(shape):
        raise ValueError(f"payoffs has shape {table.shape}; expected (k_1, ..., k_n, n)")
    combos = count_support_combinations(shape)
    if combos > max_supports:
        dims = "×".join(map(str, shape))
        raise SizeLimitError(
            f"support enumeration of a {dims} game has {combos} support combinations, more than "
            f"the limit max_supports={max_supports}; use pure_equilibria(), eliminate dominated "
            "strategies first (eliminate_dominated()), or a path-following method"
        )
    exact = exact_payoffs is not None
    rational = exact_payoffs if exact else np.vectorize(Fraction, otypes=[object])(table)
    solver = _SupportSolver(table, rational, tol, exact)
    found: list[tuple[tuple, list[Profile]]] = []
    for support in _supports(shape):
        if solver.conditionally_dominated(support):
            continue
        found.extend((support, p) for p in solver.solve(support))
    return _deduplicate(p for _, p in found)


# -------------------------------------------------------------------- enumeration
def _supports(shape: Sequence[int]) -> list[tuple[tuple[int, ...], ...]]:
    """All support combinations, by total size and then lexicographically."""
    per_player = [
        [c for size in range(1, k + 1) for c in itertools.combinations(range(k), size)]
        for k in shape
    ]
    combos = list(itertools.product(*per_player))
    combos.sort(key=lambda s: (sum(len(x) for x in s), s))
    return combos


def _deduplicate(profiles: Any) -> list[Profile]:
    kept: list[Profile] = []
    arrays: list[np.ndarray] = []
    for prof in profiles:
        flat = np.array([float(v) for s in prof for v in s])
        # A point may come from several supports (zero probabilities): keep the first.
        if any(np.max(np.abs(flat - a)) <= 1e-8 for a in arrays):
            continue
        kept.append(prof)
        arrays.append(flat)
    return kept


class _SupportSolver:
    """Builds and solves the indifference system of one support combination."""

    def __init__(self, table: np.ndarray, rational: np.ndarray, tol: float, exact: bool) -> None:
        self.table = table
        self.rational = rational
        self.tol = tol
        self.exact = exact
        self.n = table.shape[-1]
        self.shape = table.shape[:-1]
        self.warned: set = set()

    # ---------------------------------------------------------------- pruning
    def conditionally_dominated(self, support: tuple[tuple[int, ...], ...]) -> bool:
        """Is some support strategy strictly dominated, given opponents inside their supports?"""
        for i in range(self.n):
            index = [list(s) for s in support]
            index[i] = list(range(self.shape[i]))
            u = np.moveaxis(self.table[np.ix_(*index)][..., i], i, 0).reshape(self.shape[i], -1)
            own = u[list(support[i])]
            # dominated[s, t]: strategy t beats support strategy s against every opponent profile
            if np.any(np.all(u[None, :, :] > own[:, None, :] + self.tol, axis=2)):
                return True
        return False

    # ---------------------------------------------------------------- algebra
    def solve(self, support: tuple[tuple[int, ...], ...]) -> list[Profile]:
        sizes = [len(s) for s in support]
        m = sum(k - 1 for k in sizes)
        if m == 0:
            prof = [
                [Fraction(int(j == s[0])) for j in range(k)] for s, k in zip(support, self.shape)
            ]
            return [p for p in [self._check(support, prof, exact=True)] if p is not None]
        names = [f"y{i}_{j}" for i, s in enumerate(support) for j in range(1, len(s))]
        R, *gens = ring(",".join(names), QQ, lex)
        gens = list(gens)
        probs, k = [], 0
        for s in support:
            free = gens[k : k + len(s) - 1]
            k += len(s) - 1
            probs.append([R.one - sum(free, R.zero)] + free)
        equations = [e for e in self._equations(support, probs, R) if e]
        if any(e.is_ground for e in equations):
            return []
        basis = groebner(equations, R, method="f5b") if equations else []
        if basis and basis[0] == R.one:
            return []
        points: list[list[Any]] = []
        if _is_zero_dimensional(basis, len(gens)):
            points = _solve_triangular(basis, len(gens), self.tol)
            return self._keep(support, points, strict=False)
        return self._sample_continuum(support, basis, gens, R)

    def _equations(self, support, probs, R) -> list:
        equations = []
        for i in range(self.n):
            if len(support[i]) < 2:
                continue
            others = [j for j in range(self.n) if j != i]
            base = support[i][0]
            for s in support[i][1:]:
                poly = R.zero
                # Loop over the opponents' support profiles: a handful of terms per equation.
                for t in itertools.product(*(range(len(support[j])) for j in others)):
                    cell_s = [0] * self.n
                    cell_b = [0] * self.n
                    for j, tj in zip(others, t):
                        cell_s[j] = cell_b[j] = support[j][tj]
                    cell_s[i], cell_b[i] = s, base
                    d = self.rational[tuple(cell_s) + (i,)] - self.rational[tuple(cell_b) + (i,)]
                    if d == 0:
                        continue
                    term = R(QQ(d.numerator, d.denominator))
                    for j, tj in zip(others, t):
                        term = term * probs[j][tj]
                    poly += term
                equations.append(poly)
        return equations

    def _sample_continuum(self, support, basis, gens, R) -> list[Profile]:
        free = _independent_variables(basis, len(gens))
        grid = _GRID_1D if len(free) == 1 else _GRID_ND
        found: list[Profile] = []
        for values in itertools.product(grid, repeat=len(free)):
            fixed = [gens[v] - QQ(x.numerator, x.denominator) for v, x in zip(free, values)]
            sub = groebner(list(basis) + fixed, R, method="f5b")
            if sub[0] == R.one or not _is_zero_dimensional(sub, len(gens)):
                continue
            found.extend(
                self._keep(support, _solve_triangular(sub, len(gens), self.tol), strict=True)
            )
            if found:
                break  # one representative point per continuum
        if found:
            key = tuple(support)
            if key not in self.warned:
                self.warned.add(key)
                labels = "; ".join(
                    f"player {i + 1}: {{{', '.join(f's{j + 1}' for j in s)}}}"
                    for i, s in enumerate(support)
                )
                warnings.warn(
                    f"degenerate game: the supports ({labels}) carry a continuum of equilibria; "
                    f"one sampled point of it is returned as a representative",
                    DegenerateGameWarning,
                    stacklevel=4,
                )
        return found

    def _keep(self, support, points: list[list[Any]], strict: bool) -> list[Profile]:
        out = []
        for point in points:
            prof, is_exact = self._profile(support, point)
            if strict and any(prof[i][j] <= 0 for i, s in enumerate(support) for j in s):
                continue  # a representative point of a continuum must have exactly this support
            checked = self._check(support, prof, exact=is_exact)
            if checked is not None:
                out.append(checked)
        return out

    def _profile(self, support, point: list[Any]) -> tuple[list[list[Any]], bool]:
        is_exact = all(isinstance(v, Fraction) for v in point)
        zero = Fraction(0) if is_exact else mpmath.mpf(0)
        if not is_exact:
            point = [_to_mpf(v) for v in point]
        prof, k = [], 0
        for i, s in enumerate(support):
            vec = [zero] * self.shape[i]
            free = point[k : k + len(s) - 1]
            k += len(s) - 1
            vec[s[0]] = 1 - sum(free, zero)
            for j, v in zip(s[1:], free):
                vec[j] = v
            prof.append(vec)
        return prof, is_exact

    def _check(self, support, prof: list[list[Any]], exact: bool) -> Profile | None:
        """Return the profile (Fractions or floats) if it is an equilibrium, else None."""
        if exact:
            if any(v < 0 for s in prof for v in s):
                return None
            vectors = [np.array(s, dtype=object) for s in prof]
            dev = _deviation_payoffs(self.rational, vectors)
            if any(max(d) > np.dot(d, x) for d, x in zip(dev, vectors)):
                return None
            return prof if self.exact else [[float(v) for v in s] for s in prof]
        if any(v < -self.tol for s in prof for v in s):
            return None
        vectors = []
        for s in prof:
            vec = np.array([max(float(v), 0.0) for v in s])
            vectors.append(vec / vec.sum())
        dev = _deviation_payoffs(self.table, vectors)
        if any(np.max(d) - np.dot(d, x) > self.tol for d, x in zip(dev, vectors)):
            return None
        return [[float(v) for v in x] for x in vectors]


def _deviation_payoffs(table: np.ndarray, vectors: list[np.ndarray]) -> list[np.ndarray]:
    n = len(vectors)
    out = []
    for i in range(n):
        u = table[..., i]
        for j in reversed(range(n)):  # contract from the last axis so indices stay valid
            if j != i:
                u = np.tensordot(u, vectors[j], axes=([j], [0]))
        out.append(np.asarray(u))
    return out


# -------------------------------------------------------------------- polynomial systems
def _to_mpf(value: Any) -> Any:
    if isinstance(value, Fraction):
        return mpmath.mpf(value.numerator) / value.denominator
    return mpmath.mpf(value)


def _is_zero_dimensional(basis: list, m: int) -> bool:
    """Finitely many solutions iff every unknown has a pure power among the leading monomials."""
    pure = set()
    for g in basis:
        lm = g.LM
        nonzero = [v for v in range(m) if lm[v]]
        if len(nonzero) == 1:
            pure.add(nonzero[0])
    return len(pure) == m


def _independent_variables(basis: list, m: int) -> list[int]:
    """A largest set of unknowns no leading monomial lives on: the continuum's free coordinates."""
    supports = [frozenset(v for v in range(m) if g.LM[v]) for g in basis]
    for size in range(m, 0, -1):
        for subset in itertools.combinations(range(m), size):
            chosen = set(subset)
            if not any(s <= chosen for s in supports):
                return list(subset)
    return []


def _solve_triangular(basis: list, m: int, tol: float) -> list[list[Any]]:
    """Real solutions in [0, 1]^m of a zero-dimensional lex Gröbner basis.

    Back-substitution from the last unknown. While every value found is rational, substitution
    is exact and rational roots stay Fractions; an irrational root is carried as a 50-digit
    mpmath number and later unknowns are found numerically at that precision.
    """
    by_level: list[list] = [[] for _ in range(m)]
    for g in basis:
        used = [v for v in range(m) if g.degree(v) > 0]
        if used:
            by_level[min(used)].append(g)
    partial: list[dict[int, Any]] = [{}]
    for level in reversed(range(m)):
        extended = []
        for values in partial:
            for root in _roots_at(by_level[level], level, values, tol):
                extended.append({**values, level: root})
        partial = extended
        if not partial:
            return []
    out = [[values[v] for v in range(m)] for values in partial]
    out.sort(key=lambda p: [float(v) for v in p])
    return out


def _roots_at(polys: list, level: int, values: dict[int, Any], tol: float) -> list[Any]:
    if all(isinstance(v, Fraction) for v in values.values()):
        return _exact_roots(polys, level, values, tol)
    return _numeric_roots(polys, level, values, tol)


def _univariate_exact(poly, level: int, values: dict[int, Fraction]) -> list[Fraction]:
    coeffs: dict[int, Fraction] = {}
    for monom, c in poly.terms():
        term = Fraction(int(c.numerator), int(c.denominator))
        for v, e in enumerate(monom):
            if e and v != level:
                term *= values[v] ** e
        coeffs[monom[level]] = coeffs.get(monom[level], Fraction(0)) + term
    degree = max((d for d, c in coeffs.items() if c != 0), default=-1)
    return [coeffs.get(d, Fraction(0)) for d in range(degree, -1, -1)]


def _exact_roots(polys: list, level: int, values: dict[int, Fraction], tol: float) -> list[Any]:
    x = sp.Dummy("x")
    common = None
    for poly in polys:
        coeffs = _univariate_exact(poly, level, values)
        if not coeffs:
            continue  # vanishes identically at these values
        p = sp.Poly([sp.Rational(c.numerator, c.denominator) for c in coeffs], x, domain=sp.QQ)
        common = p if common is None else sp.gcd(common, p)
    if common is None:
        return []
    if common.degree() <= 0:
        return []
    roots: list[Any] = []
    for factor, _ in common.factor_list()[1]:
        if factor.degree() == 1:
            a, b = factor.all_coeffs()
            r = -sp.Rational(b) / sp.Rational(a)
            roots.append(Fraction(int(r.p), int(r.q)))
        else:
            for r in factor.real_roots():
                roots.append(mpmath.mpf(str(sp.N(r, _DIGITS + 10))))
    return sorted((r for r in roots if -tol <= r <= 1 + tol), key=float)


def _numeric_roots(polys: list, level: int, values: dict[int, Any], tol: float) -> list[Any]:
    with mpmath.workdps(_DIGITS + 10):
        candidates = []
        for poly in polys:
            coeffs: dict[int, Any] = {}
            scale = mpmath.mpf(0)
            for monom, c in poly.terms():
                term = mpmath.mpf(int(c.numerator)) / int(c.denominator)
                for v, e in enumerate(monom):
                    if e and v != level:
                        term *= _to_mpf(values[v]) ** e
                coeffs[monom[level]] = coeffs.get(monom[level], mpmath.mpf(0)) + term
                scale = max(scale, abs(term))
            cutoff = scale * mpmath.mpf(10) ** (-(_DIGITS - 10))
            nonzero = {d: c for d, c in coeffs.items() if abs(c) > cutoff}
            if nonzero:
                degree = max(nonzero)
                candidates.append(
                    ([coeffs.get(d, mpmath.mpf(0)) for d in range(degree, -1, -1)], cutoff)
                )
        if not candidates:
            return []
        candidates.sort(key=lambda c: len(c[0]))
        lowest, _ = candidates[0]
        if len(lowest) == 1:
            return []
        roots = mpmath.polyroots(lowest, maxsteps=200, extraprec=200)
        out = []
        for r in roots:
            if abs(mpmath.im(r)) > mpmath.mpf(10) ** (-(_DIGITS // 2)):
                continue
            r = mpmath.re(r)
            if not -tol <= r <= 1 + tol:
                continue
            # The other polynomials must vanish there too (relative to their size).
            if all(
                abs(mpmath.polyval(c, r))
                <= mpmath.mpf(10) ** (-(_DIGITS // 3)) * max(1, max(abs(a) for a in c))
                for c, _ in candidates[1:]
            ):
                out.append(r)
        return sorted(out)
