"""Support enumeration for n-player games: every isolated Nash equilibrium.

For each combination of supports ``(S_1, ..., S_n)`` the unknowns are the probabilities on the
supports. Each player must be indifferent among its support strategies, which gives
``sum_i (|S_i| - 1)`` polynomial equations (multilinear: player ``i``'s equations are linear in
every other player's probabilities) in as many unknowns once each player's probabilities are
made to sum to one. The solutions that are probabilities and leave no player a profitable
deviation off its support are the equilibria with those supports.

Pruning
-------
Supports on which some strategy is *conditionally* strictly dominated (by a pure strategy, given
that the opponents play inside their supports) are skipped before any algebra, as in Porter,
Nudelman and Shoham (2008); all support combinations are decided at once
(:func:`conditionally_dominated_supports`). Supports are visited by total size (pure profiles
first), and the result keeps that order.

Solving one support
-------------------
* **At most two players mix** (the others play one strategy): the system is linear. With
  supports of equal size, each mixer's indifference fixes the other's probabilities: two small
  linear solves, in exact rationals for rational payoffs. A singular matrix (a continuum) goes
  to exact algebra; supports of unequal size (no isolated solution for generic payoffs) go
  there only when a necessary condition for a solution holds (consistent linear
  indifferences, checked in floats with a margin far above rounding error).
* **Three or four players mix, with small supports** (sizes ``(2, 2, 2)``, ``(3, 2, 2)``,
  ``(k, k, 2)`` in any order, and ``(2, 2, 2, 2)``): the system is reduced to one univariate
  polynomial, in closed form or by a resultant (:mod:`alliance.games.solvers.elimination`);
  its real roots in the unit interval are back-substituted and polished by Newton's method on
  the original system. Supports with the same mixers and sizes are solved together. A
  degenerate elimination is flagged and the support takes the general route below.
* **Three or more players mix**: the system is block-multilinear, and every isolated complex
  solution is found by a probability-one homotopy from a linear-product start system with the
  multihomogeneous Bézout number of paths (:mod:`alliance.games.solvers.homotopy`); supports
  with the same mixers and sizes share their start system and are tracked together. A support
  with a singular endpoint or a failed path is retried with another start system, then solved
  by exact algebra when small (at most :data:`SMALL_SYSTEM` unknowns, rational payoffs);
  otherwise its singular endpoints are kept as candidates and a :class:`DegenerateGameWarning`
  is issued.
* **Exact algebra**: the payoffs become rationals (floats are converted without rounding), a
  lexicographic Gröbner basis triangularises the system, and the univariate polynomials are
  solved from the last unknown back; irrational roots are isolated exactly and evaluated to 50
  significant digits.

Every candidate is verified (in floats first, so that exact arithmetic is spent only on the
candidates that pass): for rational payoffs a numerical solution is rounded to the
nearest rational of denominator at most 10⁶ and, if that rational profile has zero regret in
exact arithmetic (and, when it puts zero on some support strategy, solves the support's
indifference equations exactly: otherwise it is a point of a smaller support's continuum that
the rounding hit by accident), returned as :class:`fractions.Fraction`; otherwise it is
returned as floats when its regret is at most ``tol``.

Exact shortcuts
---------------
By default (``shortcuts=True``) the same answers are reached with less work; each shortcut is
either exact or a float screen that only rejects with a margin proven far above rounding
error (the bounds are in the docstrings of the methods named):

* the exact algebra of a support with at most two mixers is exact Gauss-Jordan elimination
  (its equations are linear, and the reduced lex Gröbner basis of linear equations is their
  reduced row echelon form), and a degenerate ``(2, 2, 2)`` support with finitely many
  rational solutions is solved in closed form; the points found and the sampled points of a
  continuum are those of the Gröbner route;
* two binary mixers are solved in closed form, and all such supports of a game are screened
  by one batched float regret (``screen_binary_pairs``); the candidates of the supports with
  three or more mixers likewise (``screen_candidates``), before the exact rounding;
* exact regrets of rational profiles are checked in Python integers over the profile's
  support only (``sparse_regret_free``: the table scaled to integers, each player's vector
  as integer numerators over a common denominator; a handful of exact products when few
  players mix), and exact payoffs of the equilibria likewise (``exact_payoffs_at``); the
  reference route checks them in int64 array contractions when a bound on every partial sum
  shows that nothing overflows (Fractions otherwise);
* with integer payoffs (any rational table, scaled by its common denominator), the supports
  whose mixers all have small sizes ``(2, 2, 2)``, ``(2, 2, 2, 2)``, ``(3, 2, 2)`` and
  ``(3, 3, 2)`` (in any order) are eliminated in Python integers
  (:mod:`alliance.games.solvers.binary_exact`): the four-binary-mixer system is reduced to one
  integer polynomial of degree at most 9, and every degenerate case (a vanishing polynomial, a
  multiple root, a denominator vanishing at a root) is decided exactly — by an exact
  division or a gcd certified modulo a prime — and sent to the float route above; only the
  roots of the exact polynomial are floats, and the candidates are verified as usual. When
  the exact algebra shows that a candidate's rational rounding solves no equation of its
  support, that rounding (which could not be an equilibrium) is not checked;
* pure profiles and a lone mixer against pure strategies (integer payoffs) are decided by
  integer comparisons (a lone binary mixer's continuum sampled as by the Gröbner route, its
  grid points checked by exact regrets affine in its probability).

Within a support with three or more mixers, equilibria are listed in increasing order of
their probabilities (the root finders' order is arbitrary).

``shortcuts=False`` runs the reference steps; the tests check that both return the same list.

Degenerate games
----------------
When the indifference equations of a small support have a continuum of solutions (a positive-
dimensional variety, as in Selten's horse), the continuum is *sampled*: the free unknowns are set
to the points of a fixed rational grid in the simplex, the remaining (finite) system is solved
and every sample that is an equilibrium with exactly that support is returned as a
*representative point* of the continuum, together with a :class:`DegenerateGameWarning` naming
the supports. Such points are not isolated; the equilibria at the ends of a continuum are
returned when they are isolated solutions of a smaller or larger support. A continuum that the
grid misses entirely is not reported.

Size limit
----------
The guard is the estimated work (:func:`estimated_work`: one unit per support combination plus
one per homotopy path), at most :data:`MAX_WORK` by default: 3×3×3, 8×2×2, 5×4×3 and
3×3×3×3 are accepted; six players with three strategies each are refused (use a
path-following method for one equilibrium).

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
McKelvey, R. D. and McLennan, A. (1997). The maximal number of regular totally mixed Nash
equilibria. *Journal of Economic Theory* 72(2), 411-425.

McKelvey, R. D. and McLennan, A. (1996). Computation of equilibria in finite games. In
*Handbook of Computational Economics* 1, 87-142.

Porter, R., Nudelman, E. and Shoham, Y. (2008). Simple search methods for finding a Nash
equilibrium. *Games and Economic Behavior* 63(2), 642-662.

Datta, R. S. (2003). Using computer algebra to find Nash equilibria. *Proceedings of ISSAC
2003*, 74-79.
"""

from __future__ import annotations

import dataclasses
import functools
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
from alliance.games.extensive.linear import solve_linear
from alliance.games.solvers.binary_exact import (
    bilinear_coefficients,
    solve_binary_quadruple_exact,
    solve_binary_triples_exact,
    solve_hidden_binary_exact,
    solve_three_two_two_exact,
    triple_quadratic,
)
from alliance.games.solvers.elimination import eliminable, solve_by_elimination
from alliance.games.solvers.homotopy import (
    bezout_count,
    solve_binary_triples,
    solve_block_system,
    solve_block_systems,
)

__all__ = [
    "support_enumeration",
    "DegenerateGameWarning",
    "MAX_WORK",
    "count_support_combinations",
    "conditionally_dominated_supports",
    "estimated_work",
    "merge_radius",
    "MERGE_FLOOR",
    "exact_payoffs_at",
]

#: Largest :func:`estimated_work` accepted by default (5×4×3: 6 635; 3×3×3×3: 9 145;
#: 4×4×4×4: about 1.2 million and six players with three strategies each: about 21 million,
#: both refused).
MAX_WORK = 200_000

#: Largest number of unknowns for which a degenerate support is solved by exact algebra.
SMALL_SYSTEM = 4

#: Digits carried for irrational roots before they are rounded to floats.
_DIGITS = 50

#: Grid on which the free unknowns of a continuum are sampled (probabilities).
_GRID_1D = tuple(Fraction(k, 8) for k in range(1, 8))
_GRID_ND = (Fraction(1, 4), Fraction(1, 2), Fraction(3, 4))

Profile = list[list[Any]]

#: Float screen of exact two-mixer supports (see ``_SupportSolver._screened_out``): largest
#: condition number screened, and the margins of a negative probability (relative) and of a
#: regret (relative to the largest payoff) that prove the exact solution no equilibrium.
_SCREEN_CONDITION = 1e6
_SCREEN_NEGATIVE = 1e-6
_SCREEN_REGRET = 1e-4


class DegenerateGameWarning(UserWarning):
    """A support has a continuum of equilibria; only representative points are returned.

    Examples
    --------
    Player 2 is indifferent everywhere and player 1 always prefers ``s1``: every mix of
    player 2 is an equilibrium, and one sampled point stands for the continuum.

    >>> import warnings
    >>> import numpy as np
    >>> P = np.zeros((2, 2, 2))
    >>> P[..., 0] = [[1.0, 1.0], [0.0, 0.0]]
    >>> with warnings.catch_warnings(record=True) as caught:
    ...     warnings.simplefilter("always")
    ...     equilibria = support_enumeration(P)
    >>> [w.category.__name__ for w in caught], len(equilibria)
    (['DegenerateGameWarning'], 3)
    """


def count_support_combinations(shape: Sequence[int]) -> int:
    """Number of support combinations ``prod_i (2**k_i - 1)`` of a game of this shape.

    Parameters
    ----------
    shape : sequence of int
        Number of strategies of each player.

    Returns
    -------
    int
        One per choice of a non-empty support for every player.

    Examples
    --------
    >>> count_support_combinations((2, 2, 2)), count_support_combinations((3, 3, 2))
    (27, 147)
    """
    return math.prod(2**k - 1 for k in shape)


def estimated_work(shape: Sequence[int]) -> int:
    """Work units of support enumeration: one per support combination, plus one per homotopy
    path (the multihomogeneous Bézout number of each support with three or more mixers).

    Parameters
    ----------
    shape : sequence of int
        Number of strategies of each player.

    Returns
    -------
    int
        The work units, compared with ``max_work`` by :func:`support_enumeration`.

    Examples
    --------
    >>> estimated_work((2, 2, 2)), estimated_work((3, 3, 3)), estimated_work((5, 4, 3))
    (29, 497, 6635)
    """
    return _estimated_work(tuple(int(k) for k in shape))


@functools.lru_cache(maxsize=256)
def _estimated_work(shape: tuple[int, ...]) -> int:
    per_player = [[k for k in range(1, m + 1) for _ in range(math.comb(m, k))] for m in shape]
    # group the support sizes: the Bézout number depends on the mixers' sizes only
    counts: dict[tuple[int, ...], int] = {}
    for sizes in itertools.product(*[sorted(set(p)) for p in per_player]):
        mult = math.prod(math.comb(m, k) for m, k in zip(shape, sizes))
        counts[sizes] = counts.get(sizes, 0) + mult
    work = 0
    for sizes, mult in counts.items():
        mixing = tuple(k for k in sizes if k > 1)
        paths = bezout_count(mixing) if len(mixing) >= 3 else 0
        work += mult * (1 + paths)
    return work


def support_enumeration(
    payoffs: np.ndarray,
    *,
    tol: float = 1e-9,
    exact_payoffs: np.ndarray | None = None,
    max_supports: int | None = None,
    max_work: int = MAX_WORK,
    elimination: bool = True,
    shortcuts: bool = True,
) -> list[Profile]:
    """Every isolated Nash equilibrium of an n-player game, by support enumeration.

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
        :class:`fractions.Fraction` and supports whose system is degenerate are solved by exact
        algebra.
    max_supports : int, optional
        Refuse games with more support combinations than this (no limit by default).
    max_work : int, default :data:`MAX_WORK`
        Refuse games whose :func:`estimated_work` exceeds this.
    elimination : bool, default True
        Solve the supports whose mixers' sizes are
        :func:`~alliance.games.solvers.elimination.eliminable` by elimination to one
        polynomial (fast); ``False`` sends them to the homotopy (the general route, kept to
        cross-check the fast one). Both return the same equilibria.
    shortcuts : bool, default True
        Take the exact shortcuts of the module notes (supports decided by a float screen
        with a proven margin, closed forms instead of Gröbner bases where the answer is
        known to be the same); ``False`` sends every support through the reference steps
        (kept to cross-check the shortcuts). Both return the same list.

    Returns
    -------
    list of profiles
        Each profile is a list with one list of probabilities per player (over all its
        strategies). Entries are ``Fraction`` when ``exact_payoffs`` is given and every
        probability of the equilibrium is rational (and checked exactly), floats otherwise.
        Ordered by the total size of the supports (pure equilibria first), then by the
        supports in lexicographic order; duplicates are removed.

    Raises
    ------
    SizeLimitError
        If the game needs more work than ``max_work`` (or has more supports than
        ``max_supports``).

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
    dims = "×".join(map(str, shape))
    combos = count_support_combinations(shape)
    if max_supports is not None and combos > max_supports:
        raise SizeLimitError(
            f"support enumeration of a {dims} game has {combos} support combinations, more than "
            f"the limit max_supports={max_supports}; use pure_equilibria(), eliminate dominated "
            "strategies first (eliminate_dominated()), or a path-following method"
        )
    work = estimated_work(shape)
    if work > max_work:
        raise SizeLimitError(
            f"support enumeration of a {dims} game needs about {work} units of work "
            f"({combos} support combinations plus homotopy paths), more than the limit "
            f"max_work={max_work}; use pure_equilibria(), eliminate dominated strategies first "
            "(eliminate_dominated()), one verified equilibrium by path following "
            "(logit_equilibrium()), or raise max_work"
        )
    exact = exact_payoffs is not None
    rational = exact_payoffs if exact else None
    solver = _SupportSolver(table, rational, tol, exact, shortcuts)
    results: dict[tuple, list[Profile]] = {}
    groups: dict[tuple, list[tuple]] = {}
    order, subsets, flat = _layout(tuple(shape))
    pruned = conditionally_dominated_supports(table, tol, subsets).ravel()[flat]
    kept = [s for s, p in zip(order, pruned.tolist()) if not p]
    screened = solver.screen_binary_pairs(kept) if shortcuts and exact else set()
    for support in kept:
        if support in screened:
            continue
        mixers = tuple(i for i, s in enumerate(support) if len(s) > 1)
        if len(mixers) >= 3 and bezout_count(tuple(len(support[i]) for i in mixers)) > 0:
            key = (mixers, tuple(len(support[i]) for i in mixers))
            groups.setdefault(key, []).append(support)
            continue
        results[support] = solver.solve_small(support, mixers)
    staged: list[tuple] = []  # (support, mixers, outcome) of every group
    for (mixers, sizes), supports in groups.items():
        # integer payoffs and shortcuts: binary mixers solved exactly (binary_exact module)
        integer = shortcuts and solver.integers is not None
        if sizes == (2, 2, 2):
            # three mixers with two strategies each: a quadratic in closed form
            if integer:
                outcomes = solve_binary_triples_exact(
                    [solver.differences(s, mixers, solver.integers) for s in supports])
            else:
                outcomes = solve_binary_triples([solver.differences(s, mixers) for s in supports])
        elif elimination and eliminable(sizes):
            outcomes = [None] * len(supports)
            if sizes == (2, 2, 2, 2) and integer:
                # one exact integer polynomial per support; None where its conditions fail
                outcomes = [solve_binary_quadruple_exact(solver.differences(s, mixers, solver.integers),
                                                         tol=tol) for s in supports]
            elif sorted(sizes) == [2, 2, 3] and integer:
                outcomes = solve_three_two_two_exact(
                    sizes, [solver.differences(s, mixers, solver.integers) for s in supports], tol=tol)
            elif sorted(sizes) == [2, 3, 3] and integer:
                outcomes = solve_hidden_binary_exact(
                    sizes, [solver.differences(s, mixers, solver.integers) for s in supports], tol=tol)
            rest = [k for k, o in enumerate(outcomes) if o is None]
            if rest:
                # one univariate polynomial per support (see the elimination module)
                systems = [solver.differences(supports[k], mixers) for k in rest]
                for k, o in zip(rest, solve_by_elimination(sizes, systems, tol=tol)):
                    outcomes[k] = o
        else:
            outcomes = solve_block_systems(sizes, [solver.differences(s, mixers) for s in supports])
        staged.extend((support, mixers, outcome) for support, outcome in zip(supports, outcomes))
    if shortcuts and exact and staged:
        # every group's candidates screened by one batched float regret
        kept = solver.screen_candidates([t[0] for t in staged], [t[1] for t in staged],
                                        [t[2] for t in staged])
        staged = [(support, mixers, outcome) for (support, mixers, _), outcome in zip(staged, kept)]
    for support, mixers, outcome in staged:
        found = solver.from_homotopy(support, mixers, outcome)
        # the root finders' order is arbitrary: one order whichever route solved it
        found.sort(key=lambda p: [float(v) for s in p for v in s])
        results[support] = found
    return _deduplicate((p for s in order for p in results.get(s, ())), merge_radius(tol))


# -------------------------------------------------------------------- enumeration
def _subsets(shape: Sequence[int]) -> list[list[tuple[int, ...]]]:
    """Each player's nonempty supports, by size and then lexicographically."""
    return [
        [c for size in range(1, k + 1) for c in itertools.combinations(range(k), size)]
        for k in shape
    ]


def _supports(shape: Sequence[int]) -> list[tuple[tuple[int, ...], ...]]:
    """All support combinations, by total size and then lexicographically."""
    combos = list(itertools.product(*_subsets(shape)))
    combos.sort(key=lambda s: (sum(len(x) for x in s), s))
    return combos


@functools.lru_cache(maxsize=64)
def _layout(shape: tuple[int, ...]) -> tuple[tuple, tuple, np.ndarray]:
    """The support combinations in visiting order, each player's supports, and the flat
    position of each combination in :func:`conditionally_dominated_supports`'s array (the
    same for every game of a shape, so built once)."""
    subsets = tuple(tuple(x) for x in _subsets(shape))
    order = tuple(_supports(shape))
    position = [{c: k for k, c in enumerate(subs)} for subs in subsets]
    dims = tuple(len(x) for x in subsets)
    flat = np.array([np.ravel_multi_index(tuple(position[i][c] for i, c in enumerate(s)), dims)
                     for s in order], dtype=np.intp)
    return order, subsets, flat


def _real_candidate(blocks: Sequence[np.ndarray], tol: float) -> list[list[float]] | None:
    """The real parts of a candidate's blocks as Python floats, or None when some block has
    an imaginary part above ``1e-7`` or an entry below ``-tol`` (the tests
    ``np.max(np.abs(x.imag)) > 1e-7`` and ``np.min(x.real) < -tol`` in plain Python on a
    few entries: a NaN makes NumPy's max and min NaN, so a block with a NaN fails neither)."""
    real = []
    for x in blocks:
        values = x.tolist()
        imag = [abs(v.imag) for v in values]
        if imag and all(v == v for v in imag) and max(imag) > 1e-7:
            return None
        part = [v.real for v in values]
        if part and all(v == v for v in part) and min(part) < -tol:
            return None
        real.append(part)
    return real


@functools.lru_cache(maxsize=64)
def _strides(shape: tuple[int, ...]) -> tuple[int, ...]:
    """Each player's stride in the C-order flattening of a ``(k_1, ..., k_n, n)`` table."""
    n = len(shape)
    strides = [n] * n
    for j in range(n - 2, -1, -1):
        strides[j] = strides[j + 1] * shape[j + 1]
    return tuple(strides)


@functools.lru_cache(maxsize=64)
def _binary_pair_layout(shape: tuple[int, ...]) -> dict:
    """For each support combination with two mixers of two strategies each (the others
    pure), the offsets :meth:`_SupportSolver.screen_binary_pairs` reads in the C-order
    flattened table: per mixer ``i`` (the other being ``j``), ``(j, lows, up)`` with
    ``cells[low + up] - cells[low]`` mixer ``i``'s payoff difference (second strategy minus
    first) at each strategy of ``j``'s support."""
    strides = _strides(shape)
    out = {}
    for support in _layout(shape)[0]:
        mixers = [i for i, c in enumerate(support) if len(c) > 1]
        if len(mixers) != 2 or len(support[mixers[0]]) != 2 or len(support[mixers[1]]) != 2:
            continue
        base = sum(c[0] * stride for c, stride in zip(support, strides))
        out[support] = tuple(
            (j, tuple(base + (t - support[j][0]) * strides[j] + i for t in support[j]),
             (support[i][1] - support[i][0]) * strides[i])
            for i, j in ((mixers[0], mixers[1]), (mixers[1], mixers[0])))
    return out


@functools.lru_cache(maxsize=4096)
def _difference_index(shape: tuple[int, ...], support: tuple, mixers: tuple) -> tuple:
    """For each mixer of :meth:`_SupportSolver.differences`, the C-order flat positions
    ``(high, low)`` in the payoff table of the two terms of its differences (the same
    supports recur in every game of a shape, so they are built once): the positions come
    from indexing a table of positions exactly as the payoffs were indexed before."""
    n = len(shape)
    positions = np.arange(math.prod(shape) * n).reshape(tuple(shape) + (n,))
    sub = positions[_open_index(support)]
    sizes = [len(support[j]) for j in mixers]
    out = []
    for k, i in enumerate(mixers):
        u = sub[..., i].reshape(sizes)
        if k:  # mixer k's own axis first, the other mixers' in order
            u = u.transpose([k] + [a for a in range(len(mixers)) if a != k])
        high = np.ascontiguousarray(u[1:])
        low = np.ascontiguousarray(np.broadcast_to(u[:1], high.shape))
        high.flags.writeable = False
        low.flags.writeable = False
        out.append((high, low))
    return tuple(out)


@functools.lru_cache(maxsize=4096)
def _open_index(support: tuple[tuple[int, ...], ...]) -> tuple[np.ndarray, ...]:
    """``np.ix_`` of a support combination and all players' payoff slots (the same supports
    recur in every game of a shape, so the index arrays are built once)."""
    return np.ix_(*[list(s) for s in support], list(range(len(support))))


def conditionally_dominated_supports(
    payoffs: np.ndarray, tol: float, subsets: Sequence[Sequence[tuple[int, ...]]]
) -> np.ndarray:
    """Which support combinations contain a conditionally strictly dominated strategy.

    Strategy ``s`` in player ``i``'s support is conditionally dominated when some strategy
    ``t`` of player ``i`` earns more than ``s`` plus ``tol`` against *every* profile of the
    opponents inside their supports (Porter, Nudelman and Shoham 2008). All combinations are
    decided at once: for each pair ``(s, t)`` the opponent profiles where ``t`` fails to beat
    ``s`` are counted inside every box of opponent supports by one tensor contraction with
    the supports' indicator matrices.

    Parameters
    ----------
    payoffs : ndarray, shape ``(k_1, ..., k_n, n)``
        The payoff table.
    tol : float
        Margin of strict dominance (payoff units), >= 0.
    subsets : sequence of sequence of tuple of int
        Each player's supports (tuples of strategy indices).

    Returns
    -------
    ndarray of bool, shape ``(len(subsets[0]), ..., len(subsets[n-1]))``
        True where the combination can be skipped.

    Examples
    --------
    Player 1's second strategy is strictly dominated (it pays 0 against 1), so every support
    of player 1 containing it is pruned; player 2 is indifferent:

    >>> import numpy as np
    >>> P = np.zeros((2, 2, 2)); P[0, :, 0] = 1.0
    >>> conditionally_dominated_supports(P, 1e-9, [[(0,), (1,), (0, 1)], [(0,), (1,), (0, 1)]])
    array([[False, False, False],
           [ True,  True,  True],
           [ True,  True,  True]])
    """
    shape = payoffs.shape[:-1]
    n = len(shape)
    key = (tuple(shape), tuple(tuple(s) for s in subsets))
    indicator = _indicators(*key)
    pruned = np.zeros(tuple(len(s) for s in subsets), dtype=bool)
    for i in range(n):
        u = np.moveaxis(payoffs[..., i], i, 0)  # (k_i, opponents...)
        # fails[s, t, o]: t does not beat s by more than tol at the opponent profile o
        fails = ~(u[None, :] > u[:, None] + tol)
        count = fails.astype(float)
        boxes = _box_indicator(*key, i)
        if boxes is not None:
            # every opponent's indicator at once: one product with their Kronecker product
            # (counts are small integers, exact in floats, so the zeros are the same)
            k = shape[i]
            count = (count.reshape(k * k, -1) @ boxes.T).reshape(
                (k, k) + tuple(len(subsets[j]) for j in range(n) if j != i))
        else:
            for j in reversed(range(n)):  # contract the opponents' axes with their indicators
                if j == i:
                    continue
                axis = 2 + (j if j < i else j - 1)
                count = np.moveaxis(np.tensordot(count, indicator[j], axes=([axis], [1])), -1, axis)
        # dominated[s, boxes...]: some t beats s on the whole box
        dominated = np.any(count == 0, axis=1)
        # a support of player i is pruned if any of its strategies is dominated
        hit = (indicator[i] @ dominated.reshape(shape[i], -1)).reshape(
            (len(subsets[i]),) + dominated.shape[1:]) > 0
        pruned |= np.moveaxis(hit, 0, i)
    return pruned


@functools.lru_cache(maxsize=64)
def _indicators(shape: tuple[int, ...], subsets: tuple) -> list[np.ndarray]:
    """Each player's support indicator matrix (supports x strategies), built once per shape."""
    indicator = []
    for k, subs in zip(shape, subsets):
        M = np.zeros((len(subs), k))
        for row, c in enumerate(subs):
            M[row, list(c)] = 1.0
        M.flags.writeable = False
        indicator.append(M)
    return indicator


@functools.lru_cache(maxsize=64)
def _box_indicator(shape: tuple[int, ...], subsets: tuple, i: int) -> np.ndarray | None:
    """The Kronecker product of the opponents' indicator matrices of player ``i`` (boxes x
    opponent profiles, both in C order), or None when it would exceed 2**16 entries."""
    others = [j for j in range(len(shape)) if j != i]
    if math.prod(shape[j] * len(subsets[j]) for j in others) > 2**16:
        return None
    indicator = _indicators(shape, subsets)
    out = np.ones((1, 1))
    for j in others:
        out = np.kron(out, indicator[j])
    out.flags.writeable = False
    return out


#: Smallest merge radius of n-player results: the accuracy to which homotopy endpoints and
#: least-squares solves are polished. The radius is ``max(tol, MERGE_FLOOR)``: two equilibria
#: farther apart than the user's ``tol`` (and than this floor) are reported separately.
MERGE_FLOOR = 1e-8


def merge_radius(tol: float) -> float:
    """The distance below which two n-player profiles are the same equilibrium.

    Parameters
    ----------
    tol : float
        The caller's tolerance, ``>= 0``.

    Returns
    -------
    float
        ``max(tol, MERGE_FLOOR)``.

    Examples
    --------
    >>> merge_radius(1e-9), merge_radius(1e-3)
    (1e-08, 0.001)
    """
    return max(float(tol), MERGE_FLOOR)


def _deduplicate(profiles: Any, radius: float = MERGE_FLOOR) -> list[Profile]:
    kept: list[Profile] = []
    arrays: list[list[float]] = []
    for prof in profiles:
        # plain floats: a handful of entries, compared faster than by NumPy calls
        flat = [float(v) for s in prof for v in s]
        # A point may come from several supports (zero probabilities): keep the first.
        if any(max(abs(x - y) for x, y in zip(flat, a)) <= radius for a in arrays):
            continue
        kept.append(prof)
        arrays.append(flat)
    return kept


class _SupportSolver:
    """Builds and solves the indifference system of one support combination."""

    def __init__(self, table: np.ndarray, rational: np.ndarray | None, tol: float,
                 exact: bool, shortcuts: bool = True) -> None:
        self.table = table
        self.shortcuts = shortcuts
        self._rational = rational
        self.tol = tol
        self.exact = exact
        self.n = table.shape[-1]
        self.shape = table.shape[:-1]
        self.warned: set = set()
        self.scale = max(1.0, float(np.max(np.abs(table))) if table.size else 1.0)
        self._integers: Any = False  # computed on first use

    @property
    def integers(self) -> np.ndarray | None:
        """The exact payoffs times a positive common denominator, as int64 (or None when they
        do not fit): regrets are then checked exactly in integer arithmetic."""
        if self._integers is False:
            self._integers = _integer_table(self.rational) if self.exact else None
        return self._integers

    @functools.cached_property
    def integer_bound(self) -> int:
        """``max|integers|`` (the integer table exists), computed once per game."""
        return int(np.max(np.abs(self.integers))) if self.integers.size else 0

    @functools.cached_property
    def integer_cells(self) -> list[int]:
        """The integer table flattened to Python integers (C order, the player last), for
        :func:`sparse_regret_free`."""
        return self.integers.ravel().tolist()

    @property
    def rational(self) -> np.ndarray:
        # Floats are converted to rationals (exactly) only when exact algebra is needed.
        if self._rational is None:
            self._rational = np.vectorize(Fraction, otypes=[object])(self.table)
        return self._rational

    # ---------------------------------------------------------------- dispatch
    def differences(self, support, mixers, table: np.ndarray | None = None) -> dict[int, Any]:
        """Each mixer's payoff differences (support strategy minus its first) over the other
        mixers' support profiles, the pure players' strategies fixed."""
        source = self.table if table is None else table
        flat = source.ravel()
        return {k: flat[high] - flat[low]
                for k, (high, low) in enumerate(_difference_index(self.shape, support, mixers))}

    def solve_small(self, support, mixers) -> list[Profile]:
        """Supports with at most two mixers, or whose system has no isolated solutions."""
        if not mixers:
            return self.solve(support)
        sizes = [len(support[i]) for i in mixers]
        if len(mixers) == 2 and sizes[0] == sizes[1]:
            found = self._solve_linear(support, mixers)
            if found is not None:
                return found
            return self.solve(support)  # singular: a continuum, resolved by exact algebra
        # No isolated solutions for generic payoffs (more equations than unknowns in some
        # block): solved by algebra only if a necessary condition for a solution holds
        # (exact games with three or more mixers always).
        if self._may_be_degenerate(support, mixers):
            return self.solve(support)
        return []

    def _may_be_degenerate(self, support, mixers) -> bool:
        """A necessary condition for the support's system to have a solution at all.

        Decided in floats; for exact games the margins are far above rounding error (a
        difference of rationals that is not zero exceeds them by orders of magnitude for the
        games support enumeration accepts), so no exact solution is ruled out.
        """
        D = self.differences(support, mixers)
        if len(mixers) == 1:
            # the lone mixer must be exactly indifferent at the others' pure profile
            margin = max(self.tol, 1e-9 * self.scale) if self.exact else self.tol
            return bool(np.all(np.abs(D[0]) <= margin))
        if len(mixers) == 2:
            margin = (1e-6 if self.exact else 1e-9) * self.scale
            for k in range(2):
                A = np.vstack([D[k].reshape(D[k].shape[0], -1), np.ones(D[k].shape[-1])])
                b = np.zeros(A.shape[0])
                b[-1] = 1.0
                x, *_ = np.linalg.lstsq(A, b, rcond=None)
                if np.max(np.abs(A @ x - b)) > margin:
                    return False
            return True
        return self.exact

    def _solve_linear(self, support, mixers) -> list[Profile] | None:
        """Two mixers with supports of equal size: each one's indifference fixes the other."""
        exact = self.exact
        binary = len(support[mixers[0]]) == 2
        if exact and self.shortcuts and binary:
            return self._solve_binary_pair(support, mixers)
        if exact and self.shortcuts and self._screened_out(support, mixers):
            return []
        D = self.differences(support, mixers, self.rational if exact else None)
        blocks = []
        for k in (1, 0):  # mixer k's block is fixed by the other mixer's indifference
            A = D[1 - k]
            size = A.shape[-1]
            if exact:
                x = _solve_fractions(
                    [list(r) for r in A] + [[Fraction(1)] * size], [Fraction(0)] * (size - 1) + [Fraction(1)]
                )
                if x is None:
                    return None
            else:
                M = np.vstack([A, np.ones(size)])
                if np.linalg.cond(M) > 1e12:
                    return None
                rhs = np.zeros(size)
                rhs[-1] = 1.0
                x = np.linalg.solve(M, rhs)
            blocks.append(x)
        blocks.reverse()
        prof = self._embed(support, mixers, blocks, Fraction(0) if exact else 0.0)
        checked = self._check(support, prof, exact=exact)
        return [checked] if checked is not None else []

    def screen_binary_pairs(self, supports) -> set:
        """The supports with two mixers of two strategies each (the others pure) that the
        float solution proves are no equilibrium, all screened by one batched regret.

        The exact solution is ``x = a0 / (a0 - a1)`` per block (:meth:`_solve_binary_pair`);
        a support is screened only when ``|a0 - a1|`` exceeds ``1e-6`` of ``max(|a0|, |a1|)``,
        so the float ``x`` (from payoffs known to relative accuracy ``eps``) is within about
        ``1e-9`` of the exact one. A probability below ``-1e-6`` or above ``1 + 1e-6``, or a
        float regret above ``1e-6 * scale`` (the exact regret differs by at most a few
        ``1e-9 * scale``), then proves that the exact check would reject the support.
        """
        table = self.table
        # the table as Python floats (the same float64 values), at offsets built per shape
        cells = table.ravel().tolist()
        layout = _binary_pair_layout(self.shape)
        rows, keys = [], []
        for support in supports:
            geometry = layout.get(support)
            if geometry is None:
                continue  # not two mixers of two strategies each
            x = {}
            for j, lows, up in geometry:
                a = [cells[low + up] - cells[low] for low in lows]
                if abs(a[0] - a[1]) <= 1e-6 * max(abs(a[0]), abs(a[1])):
                    break  # near-singular or singular: the exact route decides
                x[j] = a[0] / (a[0] - a[1])
            if len(x) != 2:
                continue
            if any(v < -1e-6 or v > 1 + 1e-6 for v in x.values()):
                keys.append(support)
                rows.append(None)
                continue
            prof = []
            for i, c in enumerate(support):
                vec = [0.0] * self.shape[i]
                if i in x:
                    vec[c[0]], vec[c[1]] = 1.0 - x[i], x[i]
                else:
                    vec[c[0]] = 1.0
                prof.append(vec)
            keys.append(support)
            rows.append(prof)
        out = {k for k, r in zip(keys, rows) if r is None}
        mixed = [(k, r) for k, r in zip(keys, rows) if r is not None]
        if mixed:
            batches = [np.array([r[i] for _, r in mixed]) for i in range(self.n)]
            regrets = _float_regrets(table, batches)
            out |= {k for (k, _), regret in zip(mixed, regrets) if regret > 1e-6 * self.scale}
        return out

    def screen_candidates(self, supports, mixers_of, outcomes) -> list:
        """The outcomes with the candidates :meth:`from_homotopy` would reject for sure
        removed (regular outcomes only; the others go to exact algebra regardless).

        Dropped: complex or negative candidates (skipped there too), and candidates whose
        float regret exceeds ``1e-4 * scale + tol * (1 + 4 * scale * sum_j k_j**2)``. The
        exact check there runs on a rational within ``1e-9`` of the candidate (regret moved
        by at most a few ``1e-8 * scale``) and the float check on the candidate clipped at
        zero and renormalised (entries moved by at most ``k_j * tol``, regret by at most
        ``2 * scale * sum_j k_j**2 * tol``): both fail above that bound. One batched float
        regret decides every candidate of every group (``mixers_of``: each support's
        mixers).
        """
        if not any(o.solutions for o in outcomes if not (o.singular or o.failed)):
            return list(outcomes)  # nothing to screen
        bound = 1e-4 * self.scale + self.tol * (1 + 4 * self.scale * sum(k * k for k in self.shape))
        owners, profiles = [], []
        for b, (support, outcome) in enumerate(zip(supports, outcomes)):
            if outcome.singular or outcome.failed:
                continue
            for c, blocks in enumerate(outcome.solutions):
                real = _real_candidate(blocks, self.tol)
                if real is None:
                    continue
                profiles.append(self._embed(support, mixers_of[b], real, 0.0))
                owners.append((b, c))
        keep: dict[int, list[int]] = {}
        if profiles:
            batches = [np.array([p[i] for p in profiles], dtype=float) for i in range(self.n)]
            regrets = _float_regrets(self.table, batches)
            for (b, c), regret in zip(owners, regrets):
                if regret <= bound:
                    keep.setdefault(b, []).append(c)
        out = []
        for b, outcome in enumerate(outcomes):
            if not (outcome.singular or outcome.failed):
                kept = keep.get(b, [])
                if len(kept) == len(outcome.solutions):
                    out.append(outcome)  # nothing screened out: the same outcome
                    continue
                outcome = dataclasses.replace(
                    outcome, solutions=[outcome.solutions[c] for c in kept],
                    irrational=[outcome.irrational[c] for c in kept] if outcome.irrational else [])
            out.append(outcome)
        return out

    def _solve_binary_pair(self, support, mixers) -> list[Profile] | None:
        """:meth:`_solve_linear` for two mixers of two strategies each, in closed form.

        The other mixer's indifference ``(1 - x) a0 + x a1 = 0`` gives ``x = a0 / (a0 - a1)``
        exactly (the same rationals as the exact Gaussian elimination); ``a0 == a1`` is the
        singular case (None). A negative probability is rejected at once, as the exact check
        would.
        """
        ints = self.integers is not None
        blocks = []
        if ints:
            # the integer differences read at offsets built once per shape (the same values
            # as differences(), in the same order: mixer 1's block first)
            cells = self.integer_cells
            for _, lows, up in _binary_pair_layout(self.shape)[support]:
                a0, a1 = (cells[low + up] - cells[low] for low in lows)
                if a0 == a1:
                    return None
                x = Fraction(a0, a0 - a1)
                blocks.append([1 - x, x])
        else:
            D = self.differences(support, mixers, self.rational)
            for k in (1, 0):
                a0, a1 = (Fraction(v) for v in D[1 - k][0])
                if a0 == a1:
                    return None
                x = a0 / (a0 - a1)
                blocks.append([1 - x, x])
        if any(v < 0 for block in blocks for v in block):
            return []
        blocks.reverse()
        prof = self._embed(support, mixers, blocks, Fraction(0))
        checked = self._check(support, prof, exact=True)
        return [checked] if checked is not None else []

    def _screened_out(self, support, mixers) -> bool:
        """Whether the float solution of :meth:`_solve_linear` proves that the exact one is
        no equilibrium, so the exact solve can be skipped.

        Each block solves ``M x = e`` with ``M`` known to relative accuracy ``eps`` (float
        payoffs) and solved backward-stably: the float solution has relative error at most
        about ``cond(M) * 10 * eps``, below ``1e-8`` when ``cond(M) <= 1e6`` (a singular
        exact ``M`` has a float condition number near ``1 / eps``, so it is never screened).
        A probability below ``-1e-6`` (relative) is then negative in the exact solution too,
        and a regret above ``1e-4 * scale`` is positive in the exact profile too (the regret
        moves by at most a few ``scale * 1e-8`` per strategy): margins at least 100 times
        the error, so the screen rejects only what the exact check would reject.
        """
        D = self.differences(support, mixers)
        blocks = []
        for k in (1, 0):
            A = D[1 - k]
            size = A.shape[-1]
            M = np.vstack([A, np.ones(size)])
            if np.linalg.cond(M) > _SCREEN_CONDITION:
                return False
            rhs = np.zeros(size)
            rhs[-1] = 1.0
            x = np.linalg.solve(M, rhs)
            if x.min() < -_SCREEN_NEGATIVE * max(1.0, float(np.abs(x).max())):
                return True
            blocks.append(x)
        blocks.reverse()
        vectors = [np.array(v) for v in self._embed(support, mixers, blocks, 0.0)]
        dev = _deviation_payoffs(self.table, vectors)
        regret = max(float(np.max(d) - d @ x) for d, x in zip(dev, vectors))
        return regret > _SCREEN_REGRET * self.scale

    def _embed(self, support, mixers, blocks, zero) -> list[list[Any]]:
        prof = []
        for i, s in enumerate(support):
            vec = [zero] * self.shape[i]
            if i in mixers:
                for j, v in zip(s, blocks[mixers.index(i)]):
                    vec[j] = v
            else:
                vec[s[0]] = zero + 1
            prof.append(vec)
        return prof

    def from_homotopy(self, support, mixers, outcome) -> list[Profile]:
        """Check the homotopy's endpoints; degenerate supports go to exact algebra."""
        candidates = outcome.solutions
        sizes = tuple(len(support[i]) for i in mixers)
        unknowns = sum(k - 1 for k in sizes)
        if (outcome.singular or outcome.failed) and self.exact and unknowns <= SMALL_SYSTEM:
            return self.solve(support)  # degenerate and small: exact algebra at once
        if outcome.singular or outcome.failed:
            outcome = solve_block_system(sizes, self.differences(support, mixers), seed=1)
            candidates = outcome.solutions
            if outcome.singular or outcome.failed:
                # Exact algebra on a large system is out of reach: keep the singular endpoints
                # as candidates (each is still verified by its regret below).
                candidates = outcome.solutions + outcome.singular_points
                self._warn_singular(support)
        out = []
        hints = outcome.irrational if candidates is outcome.solutions else []
        for c, blocks in enumerate(candidates):
            real = _real_candidate(blocks, self.tol)
            if real is None:
                continue
            if self.exact:
                flat = [v for b in real for v in b]
                if hints and hints[c] and all(v == v for v in flat) and min(flat) >= 1e-6:
                    # The rounding solves no equation of the support (certified exactly) and
                    # is positive on the whole support (an entry >= 1e-6 is nearer to
                    # 1/10**6 than to 0): it cannot be an equilibrium, so it is not built.
                    guess = []
                else:
                    guess = [[Fraction(float(v)).limit_denominator(10**6) for v in b] for b in real]
                    if hints and hints[c] and all(g > 0 for gb in guess for g in gb):
                        guess = []  # the same certificate
                if guess and all(sum(g) == 1 for g in guess) and all(
                    abs(float(g) - v) <= 1e-9 for gb, b in zip(guess, real) for g, v in zip(gb, b)
                ):
                    checked = self._check(support, self._embed(support, mixers, guess, Fraction(0)),
                                          exact=True)
                    if checked is not None and (all(g > 0 for gb in guess for g in gb)
                                                or self._solves_support(support, checked)):
                        out.append(checked)
                        continue
            checked = self._check(support, self._embed(support, mixers, real, 0.0), exact=False)
            if checked is not None:
                out.append(checked)
        return out

    def _solves_support(self, support, prof: list[list[Fraction]]) -> bool:
        """Whether every support strategy of every mixer is a best response at ``prof``
        (exact): the profile solves the support's indifference equations.

        A rounded candidate with a zero on its support can have zero regret without solving
        them: it is then a point of a continuum of a smaller support that the rounding hit by
        accident (whether it does depends on the float candidate's last digits, so the routes
        would disagree); such a point is left to that support, and the candidate is checked
        as floats. A candidate without zeros that has zero regret always solves them.
        """
        if self.integers is not None:
            deviation = (N for N, _, _ in _sparse_deviations(self.integer_cells, self.shape, prof))
        else:
            deviation = _deviation_payoffs(self.rational, [np.array(s, dtype=object) for s in prof])
        return all(len({d[j] for j in s}) == 1 for d, s in zip(deviation, support) if len(s) > 1)

    # ---------------------------------------------------------------- algebra
    def solve(self, support: tuple[tuple[int, ...], ...]) -> list[Profile]:
        sizes = [len(s) for s in support]
        m = sum(k - 1 for k in sizes)
        if m == 0:
            # a pure profile: checked exactly for exact games, within tol for float games
            one = Fraction(1) if self.exact else 1.0
            prof = [[one * (j == s[0]) for j in range(k)] for s, k in zip(support, self.shape)]
            if self.shortcuts and self.integers is not None:
                # no player gains by a pure deviation: integer comparisons, the exact check
                cells, strides = self.integer_cells, _strides(self.shape)
                at = sum(s[0] * stride for s, stride in zip(support, strides))
                for i in range(self.n):
                    # player i's payoffs along its own axis (Python integers)
                    start = at - support[i][0] * strides[i] + i
                    line = cells[start : start + self.shape[i] * strides[i] : strides[i]]
                    if max(line) > line[support[i][0]]:
                        return []
                return [prof]
            return [p for p in [self._check(support, prof, exact=self.exact)] if p is not None]
        mixers = tuple(i for i, s in enumerate(support) if len(s) > 1)
        if self.shortcuts and len(mixers) == 1 and self.integers is not None:
            # a lone mixer against pure strategies: its equations are constants, so either one
            # is nonzero (no solution, as the row echelon form finds) or every unknown is free
            D = self.differences(support, mixers, self.integers)[0]
            if D.any():
                return []
            if m == 1:
                return self._lone_binary_mixer(support, mixers[0])
            return self._sample_free(support, m)
        if self.shortcuts and len(mixers) <= 2:
            return self._solve_linear_system(support, mixers, m)
        if self.shortcuts and [len(support[i]) for i in mixers] == [2, 2, 2]:
            found = self._solve_binary_triple(support, mixers)
            if found is not None:
                return found
        if self.shortcuts and self._indifferent_everywhere(support):
            # No equation at all: every probability is free, exactly as an empty Gröbner basis
            # would leave them, so the continuum is sampled without building one.
            return self._sample_free(support, m)
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

    def _warn_singular(self, support) -> None:
        key = ("singular",) + tuple(support)
        if key in self.warned:
            return
        self.warned.add(key)
        labels = "; ".join(
            f"player {i + 1}: {{{', '.join(f's{j + 1}' for j in s)}}}" for i, s in enumerate(support)
        )
        warnings.warn(
            f"degenerate support ({labels}): its system has singular solutions, too large for "
            "exact algebra; the singular points found are returned if they are equilibria",
            DegenerateGameWarning,
            stacklevel=4,
        )

    def _solve_linear_system(self, support, mixers, m: int) -> list[Profile]:
        """:meth:`solve` for at most two mixers, by exact Gauss-Jordan elimination.

        Each mixer's indifference involves only the other mixer's probabilities, so every
        equation is linear in the unknowns, and the reduced lex Gröbner basis of linear
        equations is their reduced row echelon form with the unknowns in the same order
        (pivots = leading monomials, the other unknowns = the free ones of a continuum).
        The points found, their order, the range filter and the sampling grid are those of
        the Gröbner route, so the result is the same.
        """
        ints = self.integers is not None
        table = self.integers if ints else self.rational

        def q(v):
            return Fraction(int(v)) if ints else Fraction(v)

        D = self.differences(support, mixers, table)
        offsets, k = {}, 0
        for i in mixers:
            offsets[i] = k
            k += len(support[i]) - 1
        zero = Fraction(0)
        rows = []
        for a in range(len(mixers)):
            if len(mixers) == 1:  # constant equations (the others play pure strategies)
                rows.extend([zero] * m + [-q(v)] for v in D[0].ravel())
                continue
            j, d = mixers[1 - a], D[a]
            for e in range(d.shape[0]):
                row = [zero] * m + [-q(d[e, 0])]
                for t in range(1, d.shape[1]):
                    row[offsets[j] + t - 1] = q(d[e, t]) - q(d[e, 0])
                rows.append(row)
        solved = solve_linear([r[:m] for r in rows], [r[m] for r in rows])
        if solved is None:
            return []  # inconsistent: the Gröbner basis is {1}
        # one null vector per free unknown, in increasing order (1 there, 0 at the other free
        # unknowns): the free unknowns set to the grid values, the pivots follow
        base, null = solved

        # the float bounds as exact rationals: the same comparisons, without a conversion each
        low, high = Fraction(-self.tol), Fraction(1 + self.tol)

        def point_at(values: Sequence[Fraction]) -> list[Fraction] | None:
            point = list(base)
            for x, vec in zip(values, null):
                point = [p + x * v for p, v in zip(point, vec)]
            # the range filter of the triangular back-substitution, unknown by unknown
            return point if all(low <= x <= high for x in point) else None

        if not null:
            point = point_at([])
            return self._keep(support, [] if point is None else [point], strict=False)
        grid = _GRID_1D if len(null) == 1 else _GRID_ND
        points = [point_at(values) for values in itertools.product(grid, repeat=len(null))]
        return self._first_sample(support, [p for p in points if p is not None])

    def _first_sample(self, support, points: list[list[Fraction]]) -> list[Profile]:
        """The first of the sampled ``points`` of a continuum that is an equilibrium with
        exactly this support (as :meth:`_keep` with ``strict``, point by point, would find),
        warning if there is one.

        The samples' regrets are screened together in floats first: a float regret above
        ``1e-9 * scale`` (the margin of :meth:`_check`, far above rounding error) proves the
        exact regret positive, so only the other points are checked exactly, in order.
        """
        found: list[Profile] = []
        if points:
            flat = np.array(points, dtype=float)  # exact: the samples are dyadic or near
            batches, k = [], 0
            for i, s in enumerate(support):
                vec = np.zeros((len(points), self.shape[i]))
                block = flat[:, k : k + len(s) - 1]
                k += len(s) - 1
                vec[:, s[0]] = 1.0 - block.sum(axis=1)
                vec[:, list(s[1:])] = block
                batches.append(vec)
            regrets = _float_regrets(self.table, batches)
            for point, regret in zip(points, regrets):
                if regret > 1e-9 * self.scale:
                    continue
                found = self._keep(support, [point], strict=True)
                if found:
                    break
        if found:
            self._warn_continuum(support)
        return found

    def _solve_binary_triple(self, support, mixers) -> list[Profile] | None:
        """:meth:`solve` for three mixers with two strategies each, in closed form when the
        system has finitely many solutions, all rational; None (use the Gröbner route)
        otherwise.

        With ``x0, x1, x2`` the mixers' probabilities of their second strategies, mixer 0's
        equation reads ``den1(x2) x1 = num1(x2)``, mixer 1's ``den0(x2) x0 = num0(x2)`` (all
        linear in ``x2``) and mixer 2's is bilinear in ``(x0, x1)``. A solution has either

        * ``den0 den1 != 0``: then ``x1 = num1 / den1``, ``x0 = num0 / den0`` and ``x2`` is a
          root of mixer 2's equation cleared of denominators, ``quad(x2)``; or
        * ``x2 = r`` with ``num1(r) = den1(r) = 0`` (``x1`` left free by mixer 0): then
          ``x0 = num0(r) / den0(r)`` and mixer 2's equation, linear in ``x1``, fixes ``x1``
          (symmetrically with the roles of mixers 0 and 1 exchanged).

        Every case is decided in exact rationals. A positive-dimensional piece (``quad``
        vanishing, an equation vanishing, both unknowns free at once) or an irrational root
        returns None.
        """
        ints = self.integers is not None
        table = self.integers if ints else self.rational
        D = self.differences(support, mixers, table)
        # Python integers when the table is integer (exact, and far cheaper than Fractions);
        # every division below makes a Fraction
        a, b, c = (bilinear_coefficients([[int(v) if ints else Fraction(v) for v in row]
                                          for row in D[k][0]]) for k in range(3))
        # (num, den) as (constant, slope) in x2: x1 from mixer 0, x0 from mixer 1
        (num1, den1), (num0, den0), quad = triple_quadratic(a, b, c)
        pairs = {1: (num1, den1), 0: (num0, den0)}

        def at(p, x):
            return p[0] + p[1] * x

        special: dict[int, list[Fraction]] = {}  # x2 where the unknown is left free
        generic = True
        for k, (num, den) in pairs.items():
            if den == (0, 0):
                generic = False
                if num == (0, 0):
                    return None  # the equation vanishes: a continuum
                special[k] = [Fraction(-num[0]) / num[1]] if num[1] != 0 else []
            elif den[1] != 0 and at(num, Fraction(-den[0]) / den[1]) == 0:
                special[k] = [Fraction(-den[0]) / den[1]]
            else:
                special[k] = []
        if set(special[0]) & set(special[1]):
            return None  # both unknowns free at once: a curve at best
        points = []
        if generic:
            while quad and quad[-1] == 0:
                quad.pop()
            if not quad:
                return None  # every x2 with nonzero denominators solves: a continuum
            roots: list[Fraction] = []
            if len(quad) == 2:
                roots = [Fraction(-quad[0]) / quad[1]]
            elif len(quad) == 3:
                disc = quad[1] ** 2 - 4 * quad[2] * quad[0]
                if disc >= 0:
                    root = _square_root(disc)
                    if root is None:
                        return None  # irrational solutions: numeric back-substitution
                    roots = [(-quad[1] - root) / (2 * quad[2]), (-quad[1] + root) / (2 * quad[2])]
            for x2 in set(roots):
                # at x2 = r / s: p(x2) = (p0 s + p1 r) / s, and the s cancels in each ratio
                r, s = x2.numerator, x2.denominator
                d0, d1 = den0[0] * s + den0[1] * r, den1[0] * s + den1[1] * r
                if d0 != 0 and d1 != 0:
                    points.append([Fraction(num0[0] * s + num0[1] * r, d0),
                                   Fraction(num1[0] * s + num1[1] * r, d1), x2])
        for k, values in special.items():
            other = 1 - k  # the unknown fixed by its own pair
            num, den = pairs[other]
            for r in values:
                d = at(den, r)
                if d == 0:
                    continue  # num(r) != 0 here (r is not special for both): no solution
                fixed = Fraction(at(num, r)) / d
                # mixer 2: c0 + c1 x0 + c2 x1 + c3 x0 x1, linear in the free unknown
                if k == 1:  # x1 free, x0 fixed
                    alpha, beta = c[0] + c[1] * fixed, c[2] + c[3] * fixed
                else:  # x0 free, x1 fixed
                    alpha, beta = c[0] + c[2] * fixed, c[1] + c[3] * fixed
                if beta == 0:
                    if alpha == 0:
                        return None  # the free unknown stays free: a segment
                    continue
                free = Fraction(-alpha) / beta
                points.append([fixed, free, r] if k == 1 else [free, fixed, r])
        # the float bounds as exact rationals: the same comparisons, without a conversion each
        low, high = Fraction(-self.tol), Fraction(1 + self.tol)
        points = [p for p in points if all(low <= v <= high for v in p)]
        points.sort(key=lambda p: [float(v) for v in p])
        return self._keep(support, points, strict=False)

    def _lone_binary_mixer(self, support, i: int) -> list[Profile]:
        """:meth:`_sample_free` for one mixer of two strategies, indifferent between them,
        against pure strategies (integer table): the same first grid point that is an
        equilibrium, decided by exact integer regrets (each player's payoffs are affine in the
        mixer's probability ``x = k / 8``)."""
        cells, strides = self.integer_cells, _strides(self.shape)
        cell = [s[0] for s in support]
        s0, s1 = support[i]
        at = sum(c * stride for c, stride in zip(cell, strides))

        def line(j, start):  # player j's payoffs along its own axis through ``start``
            start += j - cell[j] * strides[j]
            return cells[start : start + self.shape[j] * strides[j] : strides[j]]

        own = line(i, at)
        if max(own) > own[s0]:
            return []  # a better strategy off the support, whatever x (own[s0] == own[s1])
        lines = []
        for j in range(self.n):
            if j == i:
                continue
            ends = [line(j, at + (t - s0) * strides[i]) for t in (s0, s1)]  # Python integers
            lines.append((cell[j], ends[0], ends[1]))
        for x in _GRID_1D:  # x = k / 8
            k = x.numerator * (8 // x.denominator)
            if all(max((8 - k) * a + k * b for a, b in zip(v0, v1)) <= (8 - k) * v0[c] + k * v1[c]
                   for c, v0, v1 in lines):
                prof = [[Fraction(0)] * kk for kk in self.shape]
                for j, sj in enumerate(support):
                    prof[j][sj[0]] = Fraction(1)
                prof[i][s0], prof[i][s1] = 1 - x, x
                self._warn_continuum(support)
                return [prof]
        return []

    def _indifferent_everywhere(self, support) -> bool:
        """Every mixer's payoff differences vanish exactly (its indifference system is empty)."""
        mixers = tuple(i for i, s in enumerate(support) if len(s) > 1)
        table = self.integers if self.integers is not None else self.rational
        D = self.differences(support, mixers, table)
        return all(not np.any(d != 0) for d in D.values())

    def _sample_free(self, support, m: int) -> list[Profile]:
        """:meth:`_sample_continuum` when no unknown is tied by an equation: the grid points
        themselves are the candidates, visited in the same order."""
        grid = _GRID_1D if m == 1 else _GRID_ND
        return self._first_sample(support, [list(v) for v in itertools.product(grid, repeat=m)])

    def _warn_continuum(self, support) -> None:
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
                stacklevel=5,
            )

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
            self._warn_continuum(support)
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
            if self.exact and self.integers is not None:
                if self.shortcuts:
                    return prof if sparse_regret_free(self.integer_cells, self.shape, prof) else None
                verdict = _integer_regret_free(self.integers, prof, bound=self.integer_bound)
                if verdict is not None:
                    return prof if verdict else None
            # Rational arithmetic is slow: a float regret far above rounding error already
            # proves the exact regret positive.
            floats = [np.array([float(v) for v in s]) for s in prof]
            dev = _deviation_payoffs(self.table, floats)
            if any(np.max(d) - np.dot(d, x) > 1e-9 * self.scale for d, x in zip(dev, floats)):
                return None
            if self.exact and self.integers is not None:
                return prof if _integer_regret_free(self.integers, prof, big=True,
                                                    bound=self.integer_bound) else None
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


#: Largest common denominator and largest scaled payoff of an integer payoff table, and the
#: bound below which every integer in an exact regret check stays inside int64.
_MAX_DENOMINATOR = 2**24
_MAX_INTEGER_PAYOFF = 2**31
_INT64_BOUND = 2**62


def _integer_table(rational: np.ndarray) -> np.ndarray | None:
    """``L * rational`` as int64 with ``L`` the least common denominator, or None if too big.

    Multiplying every payoff by one positive constant changes no best response, so exact
    regret checks can run on this table.
    """
    return _integer_scaling(rational)[0]


def _integer_scaling(rational: np.ndarray) -> tuple[np.ndarray | None, int]:
    """:func:`_integer_table` and the least common denominator ``L`` it scales by."""
    values = [v if isinstance(v, Fraction) else Fraction(v) for v in rational.ravel().tolist()]
    common = math.lcm(*(v.denominator for v in values)) if values else 1
    if common > _MAX_DENOMINATOR:
        return None, common
    scaled = [v.numerator * (common // v.denominator) for v in values]
    if scaled and max(abs(v) for v in scaled) >= _MAX_INTEGER_PAYOFF:
        return None, common
    return np.array(scaled, dtype=np.int64).reshape(rational.shape), common


def _integer_vectors(table: np.ndarray, prof: Sequence[Sequence[Any]], big: bool = False,
                     bound: int | None = None) -> tuple[list[np.ndarray], list[int]] | None:
    """Each player's rational vector as int64 numerators ``a_j`` over its least common
    denominator ``q_j``, or None when ``max|table| * prod_j q_j`` reaches 2**62 (see
    :func:`_integer_regret_free` for why that bound keeps int64 arithmetic exact); with
    ``big``, Python integers (object arrays) in that case instead."""
    scaled, denominators = [], []
    for s in prof:
        fractions_ = [v if isinstance(v, Fraction) else Fraction(v) for v in s]
        q = math.lcm(*(f.denominator for f in fractions_))
        denominators.append(q)
        scaled.append([f.numerator * (q // f.denominator) for f in fractions_])
    if bound is None:  # max|table|, when the caller has not computed it once already
        bound = int(np.max(np.abs(table))) if table.size else 0
    for q in denominators:
        bound *= q
    if bound >= _INT64_BOUND:
        if big:
            return [np.array(a, dtype=object) for a in scaled], denominators
        return None
    return [np.array(a, dtype=np.int64) for a in scaled], denominators


def _integer_regret_free(table: np.ndarray, prof: Sequence[Sequence[Any]], big: bool = False,
                         bound: int | None = None) -> bool | None:
    """Whether a rational profile (non-negative entries summing to one per player) has zero
    regret in ``table`` (int64 payoffs), decided in exact integer arithmetic.

    Player ``j``'s vector is ``a_j / q_j`` with integer ``a_j`` and ``q_j`` its least common
    denominator. Player ``i``'s deviation payoffs times ``prod_{j != i} q_j`` are the integers
    ``N_i = sum_o T_i[., o] prod_j a_j[o_j]``, and ``i`` has no regret iff
    ``q_i max(N_i) <= a_i . N_i``. Every partial sum is at most ``max|T| prod_j q_j`` in size
    (the ``a_j`` are non-negative and sum to ``q_j``), so when that bound is below 2**62 no
    int64 operation overflows and the verdict is exact. Returns None (undecided) beyond the
    bound, unless ``big``: the same integers are then Python integers (exact at any size,
    still far cheaper than Fractions).
    """
    found = _integer_vectors(table, prof, big, bound)
    if found is None:
        return None
    vectors, denominators = found
    n = len(prof)
    if vectors[0].dtype == object:
        deviations = _deviation_payoffs(table.astype(object), vectors)
    else:
        axes = list(range(n))
        deviations = [
            np.einsum(table[..., i], axes,
                      *[x for j in range(n) if j != i for x in (vectors[j], [j])], [i])
            for i in range(n)
        ]
    for i, N in enumerate(deviations):
        if denominators[i] * int(N.max()) > int(np.dot(vectors[i], N)):
            return False
    return True


def _support_cells(shape: Sequence[int], prof: Sequence[Sequence[Any]]) -> tuple[list, int]:
    """The cells of a profile's support as ``(offset, weight)`` pairs (offset in the C-order
    flattening of a ``(k_1, ..., k_n, n)`` table, at player 0's slot; weight the product of
    the players' integer numerators ``a_j``), and ``prod_j q_j`` (each player's vector is
    ``a_j / q_j``, ``q_j`` its least common denominator)."""
    n = len(shape)
    stride = n
    combos = [(0, 1)]
    total = 1
    for j in range(n - 1, -1, -1):
        fractions_ = [v if type(v) is Fraction else Fraction(v) for v in prof[j]]
        q = math.lcm(*(f.denominator for f in fractions_))
        total *= q
        terms = [(t * stride, f.numerator * (q // f.denominator))
                 for t, f in enumerate(fractions_) if f.numerator]
        combos = [(o + p, w * v) for p, v in terms for o, w in combos]
        stride *= shape[j]
    return combos, total


def sparse_regret_free(cells: Sequence[int], shape: Sequence[int],
                       prof: Sequence[Sequence[Fraction]]) -> bool:
    """Whether a rational profile (non-negative entries summing to one per player) has zero
    regret in an integer payoff table, in Python integers over the profile's support only.

    The same integers as :func:`_integer_regret_free` (player ``j``'s vector ``a_j / q_j``,
    ``N_i = sum_o T_i[., o] prod_{j != i} a_j[o_j]``, no regret iff
    ``q_i max(N_i) <= a_i . N_i``), but summed over the opponents' supports only, in Python
    integers (exact at any size, so no bound is needed): a handful of terms when few players
    mix, far cheaper than one array contraction per player.

    Parameters
    ----------
    cells : sequence of int
        The integer table ``T`` of shape ``(k_1, ..., k_n, n)`` flattened in C order.
    shape : sequence of int
        ``(k_1, ..., k_n)``.
    prof : sequence of sequence of Fraction
        One probability vector per player.

    Returns
    -------
    bool
        True iff no player gains by a pure deviation (exactly).

    Examples
    --------
    Matching pennies (payoffs 1 and -1): the uniform profile has no regret, a pure one has.

    >>> from fractions import Fraction as F
    >>> T = [1, -1, -1, 1, -1, 1, 1, -1]   # T[a, b, player], C order
    >>> half = [F(1, 2), F(1, 2)]
    >>> sparse_regret_free(T, (2, 2), [half, half]), sparse_regret_free(T, (2, 2), [[1, 0], half])
    (True, False)
    """
    for N, a, q in _sparse_deviations(cells, shape, prof):
        if q * max(N) > sum(x * y for x, y in zip(a, N) if x):
            return False
    return True


def _sparse_deviations(cells: Sequence[int], shape: Sequence[int],
                       prof: Sequence[Sequence[Fraction]]):
    """Per player, lazily: ``(N_i, a_i, q_i)`` of :func:`sparse_regret_free` (the deviation
    payoffs times ``prod_{j != i} q_j``, in Python integers over the opponents' supports)."""
    n = len(shape)
    strides = _strides(tuple(shape))  # in ``cells``, the player's axis has stride 1
    numerators, denominators, terms = [], [], []
    for j, s in enumerate(prof):
        fractions_ = [v if type(v) is Fraction else Fraction(v) for v in s]
        q = math.lcm(*(f.denominator for f in fractions_))
        a = [f.numerator * (q // f.denominator) for f in fractions_]
        numerators.append(a)
        denominators.append(q)
        terms.append([(t * strides[j], w) for t, w in enumerate(a) if w])
    for i in range(n):
        # the opponents' support profiles: (offset in cells, product of their numerators)
        combos = [(i, 1)]
        for j in range(n):
            if j != i:
                combos = [(o + p, w * v) for o, w in combos for p, v in terms[j]]
        stride = strides[i]
        N = [sum(w * cells[o + s * stride] for o, w in combos) for s in range(shape[i])]
        yield N, numerators[i], denominators[i]


def exact_payoffs_at(exact_payoffs: np.ndarray, profiles: Sequence[Profile]) -> list[tuple]:
    """Each player's expected payoff, exactly, at each rational profile.

    Parameters
    ----------
    exact_payoffs : ndarray of Fraction, shape ``(k_1, ..., k_n, n)``
        The payoff table as exact rationals.
    profiles : sequence of profiles
        Each a list with one list of probabilities (Fractions) per player.

    Returns
    -------
    list of tuple of Fraction
        One tuple (a payoff per player) per profile.

    Examples
    --------
    A coordination game (1 each at (s1, s1), 2 and 3 at (s2, s2)) at the uniform profile:
    each cell has probability 1/4.

    >>> from fractions import Fraction as F
    >>> P = np.array([[[1, 1], [0, 0]], [[0, 0], [2, 3]]], dtype=object)
    >>> half = [F(1, 2), F(1, 2)]
    >>> [[str(v) for v in payoffs] for payoffs in exact_payoffs_at(P, [[half, half]])]
    [['3/4', '1']]
    """
    integers, common = _integer_scaling(exact_payoffs)
    out = []
    if integers is not None:
        # Python integers over each profile's support only (exact at any size): the same
        # integers as the full contraction, a handful of terms each
        cells = integers.ravel().tolist()
        shape = exact_payoffs.shape[:-1]
        n = len(shape)
        for prof in profiles:
            combos, total = _support_cells(shape, prof)
            total *= common
            out.append(tuple(Fraction(sum(w * cells[o + p] for o, w in combos), total)
                             for p in range(n)))
        return out
    for prof in profiles:  # payoffs too big for the integer table: Fractions
        vectors = [np.array([Fraction(v) for v in s], dtype=object) for s in prof]
        dev = _deviation_payoffs(exact_payoffs, vectors)
        out.append(tuple(Fraction(np.dot(d, x)) for d, x in zip(dev, vectors)))
    return out


def _float_regrets(table: np.ndarray, batches: list[np.ndarray]) -> np.ndarray:
    """Largest regret of each of ``B`` profiles, in floats (``batches[j]``: player ``j``'s
    vectors, shape ``(B, k_j)``)."""
    n = len(batches)
    axes = list(range(n))
    out = np.zeros(len(batches[0]))
    for i in range(n):
        ops = [x for j in range(n) if j != i for x in (batches[j], [n, j])]
        dev = np.einsum(table[..., i], axes, *ops, [n, i])
        out = np.maximum(out, dev.max(axis=1) - np.einsum("bk,bk->b", dev, batches[i]))
    return out


def _deviation_payoffs(table: np.ndarray, vectors: list[np.ndarray]) -> list[np.ndarray]:
    n = len(vectors)
    if table.dtype != object:
        # one contraction per player (floats): the verification of every candidate
        axes = list(range(n))
        return [
            np.einsum(table[..., i], axes,
                      *[a for j in range(n) if j != i for a in (vectors[j], [j])], [i])
            for i in range(n)
        ]
    out = []
    for i in range(n):
        u = table[..., i]
        for j in reversed(range(n)):  # contract from the last axis so indices stay valid
            if j != i:
                u = np.tensordot(u, vectors[j], axes=([j], [0]))
        out.append(np.asarray(u))
    return out


# -------------------------------------------------------------------- polynomial systems
def _solve_fractions(A: list[list[Fraction]], b: list[Fraction]) -> list[Fraction] | None:
    """Gaussian elimination in exact rationals; None when the matrix is singular."""
    m = len(b)
    rows = [list(r) + [v] for r, v in zip(A, b)]
    for col in range(m):
        pivot = next((r for r in range(col, m) if rows[r][col] != 0), None)
        if pivot is None:
            return None
        rows[col], rows[pivot] = rows[pivot], rows[col]
        p = rows[col][col]
        rows[col] = [v / p for v in rows[col]]
        for r in range(m):
            if r != col and rows[r][col] != 0:
                f = rows[r][col]
                rows[r] = [a - f * c for a, c in zip(rows[r], rows[col])]
    return [rows[r][m] for r in range(m)]


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


def _poly_remainder(a: list[Fraction], b: list[Fraction]) -> list[Fraction]:
    """Remainder of ``a`` by ``b`` (descending coefficients, ``b[0] != 0``), leading zeros cut."""
    a = list(a)
    while len(a) >= len(b):
        f = a[0] / b[0]
        a = [x - f * y for x, y in zip(a[1:], b[1:] + [Fraction(0)] * (len(a) - len(b)))]
    while a and a[0] == 0:
        a.pop(0)
    return a


def _poly_gcd(a: list[Fraction], b: list[Fraction]) -> list[Fraction]:
    """Monic greatest common divisor over the rationals (descending coefficients)."""
    while b:
        a, b = b, _poly_remainder(a, b)
    return [c / a[0] for c in a]


def _square_root(q: Fraction) -> Fraction | None:
    """The rational square root of ``q >= 0``, or None when it is irrational."""
    p, d = math.isqrt(q.numerator), math.isqrt(q.denominator)
    return Fraction(p, d) if p * p == q.numerator and d * d == q.denominator else None


def _low_degree_roots(coeffs: list[Fraction]) -> list[Any]:
    """Real roots of a rational polynomial of degree 1 or 2 (descending coefficients, monic),
    each once: Fractions when rational, else the nearest float as an mpmath number (what
    :func:`_exact_roots` returns for an irrational root)."""
    if len(coeffs) == 2:
        return [-coeffs[1]]
    _, b, c = coeffs
    disc = b * b - 4 * c
    if disc < 0:
        return []
    root = _square_root(disc)
    if root is not None:
        return sorted({(-b - root) / 2, (-b + root) / 2})
    with mpmath.workdps(_DIGITS + 10):
        s = mpmath.sqrt(_to_mpf(disc))
        pair = [(-_to_mpf(b) - s) / 2, (-_to_mpf(b) + s) / 2]
    return [mpmath.mpf(r) for r in pair]  # rounded to the working precision, as sympy's are


def _exact_roots(polys: list, level: int, values: dict[int, Fraction], tol: float) -> list[Any]:
    gathered = [_univariate_exact(poly, level, values) for poly in polys]
    gathered = [c for c in gathered if c]
    if gathered and all(len(c) <= 3 for c in gathered):
        # Degree at most two: the common roots in closed form (no sympy); the same roots as
        # the factorisation below gives.
        common = gathered[0]
        for c in gathered[1:]:
            common = _poly_gcd(common, c)
        common = [v / common[0] for v in common]
        if len(common) <= 1:
            return []
        roots = _low_degree_roots(common)
        return sorted((r for r in roots if -tol <= r <= 1 + tol), key=float)
    return _sympy_roots(polys, level, values, tol)


def _sympy_roots(polys: list, level: int, values: dict[int, Fraction], tol: float) -> list[Any]:
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
