"""Tests of the two-player solvers: vertex enumeration, components, Lemke–Howson.

Every result is checked by regret (exactly for rational games); known games are reproduced
exactly; random games are cross-checked against an independent brute force (all bases of the
best-response polytopes in Fractions), nashpy and pygambit.
"""

from __future__ import annotations

import itertools
import warnings
from fractions import Fraction as F

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from alliance.errors import (
    ConvergenceError,
    InvalidGameError,
    ParameterError,
    SizeLimitError,
)
from alliance.games.solvers._linalg import bimatrix, regret, solve_integer
from alliance.games.solvers.components import Component, equilibrium_components
from alliance.games.solvers.lemke_howson import lemke_howson, lemke_howson_all
from alliance.games.solvers.vertex import best_response_vertices, extreme_equilibria

# --------------------------------------------------------------------------- helpers


def _solve_fractions(matrix, rhs):
    """Plain Gaussian elimination in Fractions (independent of the package's solver)."""
    size = len(rhs)
    rows = [[F(v) for v in row] + [F(b)] for row, b in zip(matrix, rhs, strict=True)]
    for k in range(size):
        pivot = next((r for r in range(k, size) if rows[r][k] != 0), None)
        if pivot is None:
            return None
        rows[k], rows[pivot] = rows[pivot], rows[k]
        for i in range(size):
            if i != k and rows[i][k] != 0:
                factor = rows[i][k] / rows[k][k]
                rows[i] = [a - factor * b for a, b in zip(rows[i], rows[k], strict=True)]
    return [rows[i][size] / rows[i][i] for i in range(size)]


def _brute_vertices(payoff):
    """Non-zero vertices of {z >= 0, payoff z <= 1}: every square subsystem, solved exactly."""
    k, d = len(payoff), len(payoff[0])
    found = set()
    for s in range(1, min(k, d) + 1):
        for support in itertools.combinations(range(d), s):
            for tight in itertools.combinations(range(k), s):
                sol = _solve_fractions([[payoff[t][i] for i in support] for t in tight], [1] * s)
                if sol is None or min(sol) < 0:
                    continue
                z = [F(0)] * d
                for i, v in zip(support, sol, strict=True):
                    z[i] = v
                if all(sum(payoff[t][i] * z[i] for i in range(d)) <= 1 for t in range(k)):
                    found.add(tuple(z))
    return found


def brute_force_extremes(A, B):
    """Every extreme equilibrium by brute force (Mangasarian 1964): all vertex pairs checked."""
    A = [[F(v) for v in row] for row in np.asarray(A, dtype=object).tolist()]
    B = [[F(v) for v in row] for row in np.asarray(B, dtype=object).tolist()]
    m, n = len(A), len(A[0])
    a_low, b_low = min(map(min, A)), min(map(min, B))
    a_pos = [[v - a_low + 1 for v in row] for row in A]
    b_pos_t = [[B[i][j] - b_low + 1 for i in range(m)] for j in range(n)]
    out = set()
    for x in _brute_vertices(b_pos_t):
        bx = [sum(b_pos_t[j][i] * x[i] for i in range(m)) for j in range(n)]
        for y in _brute_vertices(a_pos):
            ay = [sum(a_pos[i][j] * y[j] for j in range(n)) for i in range(m)]
            if all(x[i] == 0 or ay[i] == 1 for i in range(m)) and all(
                y[j] == 0 or bx[j] == 1 for j in range(n)
            ):
                out.add((tuple(v / sum(x) for v in x), tuple(v / sum(y) for v in y)))
    return sorted(out)


def as_fractions(profiles):
    return [(tuple(F(v) for v in x), tuple(F(v) for v in y)) for x, y in profiles]


def flat(profiles):
    return [
        np.concatenate([np.asarray(x, dtype=float), np.asarray(y, dtype=float)])
        for x, y in profiles
    ]


def same_float_sets(ours, theirs, tol=1e-7):
    """Equal as multisets of profiles up to tol (each of theirs matched once)."""
    ours, theirs = flat(ours), flat(theirs)
    if len(ours) != len(theirs):
        return False
    unused = list(range(len(theirs)))
    for p in ours:
        match = next((k for k in unused if np.max(np.abs(p - theirs[k])) <= tol), None)
        if match is None:
            return False
        unused.remove(match)
    return True


def float_regret(A, B, x, y):
    return max(
        regret(
            np.asarray(A, float), np.asarray(B, float), np.asarray(x, float), np.asarray(y, float)
        )
    )


def random_integer_game(seed, max_size=6, high=10):
    rng = np.random.default_rng(seed)
    m, n = rng.integers(1, max_size + 1, size=2)
    return rng.integers(0, high, size=(m, n)), rng.integers(0, high, size=(m, n))


# --------------------------------------------------------------------------- known games

MATCHING_PENNIES = ([[1, -1], [-1, 1]], [[-1, 1], [1, -1]])
BATTLE_OF_SEXES = ([[3, 0], [0, 2]], [[2, 0], [0, 3]])
PRISONERS_DILEMMA = ([[3, 0], [5, 1]], [[3, 5], [0, 1]])
# Shapley (1964): the row player wants to match, the column player to be one ahead
SHAPLEY = ([[1, 0, 0], [0, 1, 0], [0, 0, 1]], [[0, 1, 0], [0, 0, 1], [1, 0, 0]])
# von Stengel (2007, Fig. 3.3): the degenerate 3 x 2 game of Algorithmic Game Theory, ch. 3
VON_STENGEL_DEGENERATE = ([[3, 3], [2, 5], [0, 6]], [[3, 3], [2, 6], [3, 1]])
# the row player's T strictly dominates; the column player is indifferent
TIE_GAME = ([[1, 1], [0, 0]], [[1, 1], [1, 1]])

half, third = F(1, 2), F(1, 3)
KNOWN = {
    "matching pennies": (MATCHING_PENNIES, [((half, half), (half, half))]),
    "battle of the sexes": (
        BATTLE_OF_SEXES,
        [
            ((F(0), F(1)), (F(0), F(1))),
            ((F(3, 5), F(2, 5)), (F(2, 5), F(3, 5))),
            ((F(1), F(0)), (F(1), F(0))),
        ],
    ),
    "prisoner's dilemma": (PRISONERS_DILEMMA, [((F(0), F(1)), (F(0), F(1)))]),
    "Shapley 3x3": (SHAPLEY, [((third,) * 3, (third,) * 3)]),
    "rock-paper-scissors": (
        ([[0, -1, 1], [1, 0, -1], [-1, 1, 0]], [[0, 1, -1], [-1, 0, 1], [1, -1, 0]]),
        [((third,) * 3, (third,) * 3)],
    ),
    "von Stengel degenerate 3x2": (
        VON_STENGEL_DEGENERATE,
        [
            ((F(0), third, 2 * third), (third, 2 * third)),
            ((F(1), F(0), F(0)), (2 * third, third)),
            ((F(1), F(0), F(0)), (F(1), F(0))),
        ],
    ),
    "tie game": (TIE_GAME, [((F(1), F(0)), (F(0), F(1))), ((F(1), F(0)), (F(1), F(0)))]),
    "all zero 2x3": (
        (np.zeros((2, 3), dtype=int), np.zeros((2, 3), dtype=int)),
        sorted(
            (tuple(F(int(i == r)) for i in range(2)), tuple(F(int(j == c)) for j in range(3)))
            for r in range(2)
            for c in range(3)
        ),
    ),
}


@pytest.mark.parametrize("name", list(KNOWN))
def test_known_games_exactly(name):
    (A, B), expected = KNOWN[name]
    found = extreme_equilibria(A, B)
    assert found == expected
    for x, y in found:
        assert all(isinstance(v, F) for v in x + y)
        assert regret(A, B, x, y) == (0, 0)


@pytest.mark.parametrize("name", list(KNOWN))
def test_known_games_in_floats(name):
    (A, B), expected = KNOWN[name]
    found = extreme_equilibria(np.asarray(A, float) + 0.5, np.asarray(B, float) * 0.25, exact=False)
    assert all(isinstance(x, np.ndarray) and x.dtype == np.float64 for x, _ in found)
    assert same_float_sets(found, expected, tol=1e-12)


def test_exact_mode_auto_rule():
    x, _ = extreme_equilibria([[3.0, 0.0], [0.0, 2.0]], [[2.0, 0.0], [0.0, 3.0]])[1]
    assert x == (F(3, 5), F(2, 5))  # integer-valued floats are exact
    x, _ = extreme_equilibria([[F(3, 2), 0], [0, 1]], [[1, 0], [0, F(3, 2)]])[1]
    assert x == (F(3, 5), F(2, 5))  # Fractions are exact
    x, _ = extreme_equilibria([[1.5, 0.0], [0.0, 1.0]], [[1.0, 0.0], [0.0, 1.5]])[1]
    assert isinstance(x, np.ndarray)
    x, _ = extreme_equilibria([[1.5, 0.0], [0.0, 1.0]], [[1.0, 0.0], [0.0, 1.5]], exact=True)[1]
    assert x == (F(3, 5), F(2, 5))


def test_float_results_are_clean():
    A = [[0.2, 0.7, 0.1], [0.9, 0.3, 0.4]]
    B = [[0.5, 0.1, 0.3], [0.2, 0.8, 0.6]]
    for x, y in extreme_equilibria(A, B):
        assert x.sum() == pytest.approx(1.0, abs=1e-15) and y.sum() == pytest.approx(1.0, abs=1e-15)
        assert (x >= 0).all() and (y >= 0).all()
        assert float_regret(A, B, x, y) <= 1e-12


# --------------------------------------------------------------------------- brute force


@pytest.mark.parametrize("seed", range(100))
def test_degenerate_games_match_brute_force(seed):
    rng = np.random.default_rng(seed)
    m, n = rng.integers(1, 5, size=2)
    high = (2, 3, 10)[seed % 3]  # small payoff ranges: many ties, very degenerate
    A, B = rng.integers(0, high, (m, n)), rng.integers(0, high, (m, n))
    expected = brute_force_extremes(A, B)
    assert extreme_equilibria(A, B) == expected
    assert same_float_sets(extreme_equilibria(A, B, exact=False), expected, tol=1e-9)


@pytest.mark.parametrize(
    "A",
    [
        np.zeros((4, 4), int),
        np.eye(4, dtype=int),
        np.ones((3, 5), int),
        np.arange(20).reshape(4, 5) % 3,
    ],
)
def test_highly_degenerate_games_match_brute_force(A):
    assert extreme_equilibria(A, A.T.T) == brute_force_extremes(A, A)
    assert extreme_equilibria(A, 1 - A) == brute_force_extremes(A, 1 - A)


# --------------------------------------------------------------------------- nashpy


def _support_enumeration(A, B, tol=1e-9):
    """Support enumeration for non-degenerate float games (equal support sizes), tolerant.

    An independent float reference: nashpy's own support enumeration compares float payoffs
    for equality (and rejects solutions with entries of -1e-17), so it misses equilibria of
    generic games; it is checked to return a subset of ours.
    """
    m, n = A.shape
    found = []
    for k in range(1, min(m, n) + 1):
        for rows in itertools.combinations(range(m), k):
            for cols in itertools.combinations(range(n), k):
                strategies = []
                for payoff, mine, theirs in ((B.T, cols, rows), (A, rows, cols)):
                    # the opponent's mix on `theirs` makes me indifferent on `mine`
                    M = np.zeros((k + 1, k + 1))
                    M[:k, :k] = payoff[np.ix_(mine, theirs)]
                    M[:k, k] = -1.0
                    M[k, :k] = 1.0
                    try:
                        solution = np.linalg.solve(M, np.eye(k + 1)[k])
                    except np.linalg.LinAlgError:
                        break
                    strategies.append(solution[:k])
                else:
                    x_part, y_part = strategies
                    if min(x_part.min(), y_part.min()) < -tol:
                        continue
                    x, y = np.zeros(m), np.zeros(n)
                    x[list(rows)], y[list(cols)] = x_part, y_part
                    if float_regret(A, B, x, y) <= tol:
                        found.append((x, y))
    return found


NASHPY_SEEDS = [
    pytest.param(seed, marks=() if seed < 20 else pytest.mark.slow) for seed in range(200)
]


@pytest.mark.parametrize("seed", NASHPY_SEEDS)
def test_generic_float_games_agree_with_nashpy(seed):
    nashpy = pytest.importorskip("nashpy")
    rng = np.random.default_rng(seed)
    m, n = rng.integers(2, 6 if seed % 4 == 0 else 4, size=2)
    A, B = rng.standard_normal((m, n)), rng.standard_normal((m, n))
    ours = extreme_equilibria(A, B)
    game = nashpy.Game(A, B)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        vertex = list(game.vertex_enumeration())
        support = list(game.support_enumeration(non_degenerate=True))
    # nashpy's vertex enumeration can report a near-equilibrium of a near-degenerate game;
    # keep only its true equilibria (all of ours are checked below)
    vertex = [(x, y) for x, y in vertex if float_regret(A, B, x, y) <= 1e-9]
    assert same_float_sets(ours, vertex)
    assert same_float_sets(ours, _support_enumeration(A, B))
    # nashpy's exact-equality support enumeration finds a subset of ours
    assert all(same_float_sets([eq], [_closest(ours, eq)]) for eq in support)
    assert all(float_regret(A, B, x, y) <= 1e-12 for x, y in ours)


def _closest(profiles, target):
    t = np.concatenate(target)
    return min(profiles, key=lambda p: np.max(np.abs(np.concatenate(p) - t)))


# Found by search: nashpy's vertex enumeration misses ((1, 0), (0, 0, 1)) here.
NASHPY_INCOMPLETE = ([[1, 1, 0], [0, 1, 0]], [[0, 1, 1], [2, 1, 0]])


def test_degenerate_game_where_nashpy_is_incomplete():
    nashpy = pytest.importorskip("nashpy")
    A, B = (np.array(M) for M in NASHPY_INCOMPLETE)
    truth = brute_force_extremes(A, B)
    ours = extreme_equilibria(A, B)
    assert ours == truth
    assert len(truth) == 3 and ((F(1), F(0)), (F(0), F(0), F(1))) in truth
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        theirs = list(nashpy.Game(A, B).vertex_enumeration())
        support = list(nashpy.Game(A, B).support_enumeration())
    assert len(theirs) < len(truth)
    assert not any(np.allclose(x, [1, 0]) and np.allclose(y, [0, 0, 1]) for x, y in theirs)
    assert len(support) < len(truth)


def test_von_stengel_game_where_nashpy_support_enumeration_is_incomplete():
    nashpy = pytest.importorskip("nashpy")
    A, B = (np.array(M) for M in VON_STENGEL_DEGENERATE)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        theirs = list(nashpy.Game(A, B).support_enumeration())
    ours = extreme_equilibria(A, B)
    assert len(ours) == 3 and len(theirs) == 2  # it misses ((1,0,0), (2/3, 1/3))


# --------------------------------------------------------------------------- pygambit


def _gambit_profiles(game, equilibria, convert):
    """Profiles from pygambit, for 16.x (Player objects) and 17.x (labels, (label, p) pairs)."""
    out = []
    for eqm in equilibria:
        profile = []
        for player in game.players:
            mixed = eqm[player]
            values = [item[1] if isinstance(item, tuple) else item for item in mixed]
            profile.append(tuple(convert(v) for v in values))
        out.append(tuple(profile))
    return out


def _gambit_extremes(A, B):
    gbt = pytest.importorskip("pygambit")
    make = getattr(gbt.Game, "from_arrays", None) or gbt.StrategicGame.from_arrays
    game = make(np.asarray(A, dtype=object), np.asarray(B, dtype=object))
    result = gbt.nash.enummixed_solve(game, rational=True)
    return sorted(set(_gambit_profiles(game, result.equilibria, lambda v: F(str(v)))))


@pytest.mark.parametrize("seed", range(40))
def test_degenerate_integer_games_agree_with_pygambit(seed):
    A, B = random_integer_game(1000 + seed, max_size=6)
    ours = extreme_equilibria(A, B)
    assert ours == _gambit_extremes(A, B)
    assert all(regret(A, B, x, y) == (0, 0) for x, y in ours)


# --------------------------------------------------------------------------- properties

sizes = st.tuples(st.integers(1, 8), st.integers(1, 8))


@st.composite
def games(draw, integer):
    m, n = draw(sizes)
    if integer:
        elements = st.integers(0, draw(st.sampled_from([1, 2, 9])))
        dtype = np.int64
    else:
        elements = st.floats(-10, 10, allow_nan=False, allow_infinity=False)
        dtype = np.float64
    return (
        draw(arrays(dtype, (m, n), elements=elements)),
        draw(arrays(dtype, (m, n), elements=elements)),
    )


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(games(integer=True))
def test_property_integer_games_have_zero_regret(game):
    A, B = game
    found = extreme_equilibria(A, B)
    assert found  # every finite game has an equilibrium
    assert all(regret(A, B, x, y) == (0, 0) for x, y in found)
    assert found == sorted(set(found))
    # Lemke-Howson ends at vertex pairs: every one of its answers is an extreme equilibrium
    assert set(lemke_howson_all(A, B)) <= set(found)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(games(integer=False))
def test_property_float_games_have_small_regret(game):
    A, B = game
    scale = max(1.0, float(np.ptp(A)), float(np.ptp(B)))
    found = extreme_equilibria(A, B, exact=False)
    assert found
    for x, y in found:
        assert float_regret(A, B, x, y) <= 1e-9 * scale
        assert abs(x.sum() - 1) <= 1e-12 and abs(y.sum() - 1) <= 1e-12
    for x, y in lemke_howson_all(A, B, exact=False):
        assert float_regret(A, B, x, y) <= 1e-9 * scale


# --------------------------------------------------------------------------- components


def test_components_of_von_stengel_game():
    A, B = VON_STENGEL_DEGENERATE
    comps = equilibrium_components(extreme_equilibria(A, B), A, B)
    assert len(comps) == 2
    mixed, segment = comps
    assert mixed.is_isolated and mixed.cliques == (((0,), (0,)),)
    assert mixed.extreme_points == (((F(0), third, 2 * third), (third, 2 * third)),)
    assert not segment.is_isolated
    assert segment.row_vertices == ((F(1), F(0), F(0)),)
    assert segment.column_vertices == ((2 * third, third), (F(1), F(0)))
    assert segment.cliques == (((0,), (0, 1)),)  # {T} x conv{(2/3, 1/3), (1, 0)}
    assert "continuum" in repr(segment) and "isolated" in repr(mixed)
    assert r"\operatorname{conv}" in segment._repr_latex_()
    assert "<table" in segment._repr_html_()
    assert list(segment.to_frame().columns) == ["x", "y", "cliques"]


def test_components_with_two_overlapping_nash_subsets():
    # row 0 against either column, and column 0 against either row, are equilibria; the pair
    # (row 1, column 1) is not: two maximal Nash subsets sharing the vertex (row 0, column 0)
    A = [[1, 1], [1, 0]]
    B = [[1, 1], [1, 0]]
    extremes = extreme_equilibria(A, B)
    assert extremes == brute_force_extremes(A, B)
    [comp] = equilibrium_components(extremes, A, B)
    rows = comp.row_vertices
    cols = comp.column_vertices
    assert rows == ((F(0), F(1)), (F(1), F(0)))
    assert cols == ((F(0), F(1)), (F(1), F(0)))
    assert comp.cliques == (((0, 1), (1,)), ((1,), (0, 1)))


def test_all_zero_game_is_one_component_with_one_clique():
    comps = equilibrium_components(None, np.zeros((3, 2), int), np.zeros((3, 2), int))
    assert len(comps) == 1
    assert len(comps[0].extreme_points) == 6
    assert comps[0].cliques == (((0, 1, 2), (0, 1)),)


@pytest.mark.parametrize("seed", range(40))
def test_components_are_maximal_nash_subsets(seed):
    A, B = random_integer_game(5000 + seed, max_size=5, high=3)
    extremes = extreme_equilibria(A, B)
    comps = equilibrium_components(extremes, A, B)
    # each extreme equilibrium lies in exactly one component, each component reported once
    listed = [p for c in comps for p in c.extreme_points]
    assert sorted(listed) == extremes
    edges = set(extremes)
    for c in comps:
        assert isinstance(c, Component)
        covered = set()
        for rows, cols in c.cliques:
            xs = [c.row_vertices[i] for i in rows]
            ys = [c.column_vertices[j] for j in cols]
            assert all((x, y) in edges for x in xs for y in ys)  # a biclique
            covered |= {(x, y) for x in xs for y in ys}
            # maximal: no other vertex of the component joins it
            for x in set(c.row_vertices) - set(xs):
                assert not all((x, y) in edges for y in ys)
            for y in set(c.column_vertices) - set(ys):
                assert not all((x, y) in edges for x in xs)
            # every point of conv(X') x conv(Y') is an equilibrium: the barycentre is
            bx = tuple(sum(v[i] for v in xs) / len(xs) for i in range(len(xs[0])))
            by = tuple(sum(v[j] for v in ys) / len(ys) for j in range(len(ys[0])))
            assert regret(A, B, bx, by) == (0, 0)
        assert covered == set(c.extreme_points)
        assert c.is_isolated == (len(c.extreme_points) == 1)
    vertex_sets = [set(c.row_vertices) for c in comps]
    for a, b in itertools.combinations(vertex_sets, 2):
        assert not a & b


def test_components_of_float_games_group_within_tolerance():
    A = np.array([[1.0, 1.0], [0.0, 0.0]]) * 0.3
    B = np.array([[1.0, 1.0], [1.0, 1.0]]) * 0.7
    comps = equilibrium_components(extreme_equilibria(A, B, exact=False), A, B)
    assert len(comps) == 1 and comps[0].cliques == (((0,), (0, 1)),)


def test_components_check_shapes():
    with pytest.raises(InvalidGameError, match="A has shape"):
        equilibrium_components([((F(1), F(0)), (F(1),))], [[1, 2, 3]], [[1, 2, 3]])
    with pytest.raises(InvalidGameError, match="A, B"):
        equilibrium_components(None)
    assert equilibrium_components([], [[1]], [[1]]) == []


# --------------------------------------------------------------------------- Lemke-Howson


@pytest.mark.parametrize("name", list(KNOWN))
def test_lemke_howson_from_every_label_is_an_extreme_equilibrium(name):
    (A, B), expected = KNOWN[name]
    m, n = np.shape(A)
    for label in range(m + n):
        x, y = lemke_howson(A, B, label)
        assert regret(A, B, x, y) == (0, 0)
        assert (x, y) in expected


def test_lemke_howson_battle_of_sexes_misses_the_negative_index_equilibrium():
    found = lemke_howson_all(*BATTLE_OF_SEXES)
    assert found == [((F(0), F(1)), (F(0), F(1))), ((F(1), F(0)), (F(1), F(0)))]


def test_lemke_howson_float():
    x, y = lemke_howson([[0.5, -1.0], [-1.0, 1.0]], [[-0.5, 1.0], [1.0, -1.0]], 2)
    assert x == pytest.approx([4 / 7, 3 / 7]) and y == pytest.approx([4 / 7, 3 / 7])


def test_lemke_howson_errors():
    with pytest.raises(ParameterError, match="initial_label is 4"):
        lemke_howson(*BATTLE_OF_SEXES, 4)
    with pytest.raises(ParameterError, match="initial_label"):
        lemke_howson(*BATTLE_OF_SEXES, 1.5)
    with pytest.raises(ParameterError, match="max_pivots is 0"):
        lemke_howson(*BATTLE_OF_SEXES, 0, max_pivots=0)
    with pytest.raises(ConvergenceError, match="max_pivots=1"):
        lemke_howson(*SHAPLEY, 0, max_pivots=1)
    with pytest.raises(InvalidGameError, match="A"):
        lemke_howson([[1, 2], [3]], [[1, 2], [3, 4]])


# --------------------------------------------------------------------------- bad input


@pytest.mark.parametrize(
    ("A", "B", "field", "fragment"),
    [
        ([[1, 2], [3]], [[1, 2], [3, 4]], "A", "ragged"),
        ([[1, 2], [3, 4]], [[1], [3, 4]], "B", "ragged"),
        ([], [], "A", "empty"),
        (np.zeros((0, 3)), np.zeros((0, 3)), "A", "empty"),
        ([1, 2], [1, 2], "A", "2-D"),
        ([[1, float("nan")]], [[1, 2]], "A", "non-finite"),
        ([[1, 2]], [[1, float("inf")]], "B", "non-finite"),
        ([[1, 2]], [[1, 2], [3, 4]], "B", "shape"),
        ([[1, "x"]], [[1, 2]], "A", "non-numeric"),
        ([[1, 2]], [[1, None]], "B", "non-numeric"),
        (np.array([[1 + 1j]]), [[1]], "A", "dtype"),
    ],
)
def test_bad_input_names_the_field(A, B, field, fragment):
    for solver in (extreme_equilibria, lemke_howson_all):
        with pytest.raises(InvalidGameError, match=fragment) as info:
            solver(A, B)
        assert f"matrix {field}" in str(info.value)


def test_bad_parameters():
    with pytest.raises(ParameterError, match="tol is 0"):
        extreme_equilibria([[1]], [[1]], tol=0)
    with pytest.raises(ParameterError, match="max_bases is -1"):
        extreme_equilibria([[1]], [[1]], max_bases=-1)


def test_size_limit():
    A, B = random_integer_game(3, max_size=8)
    with pytest.raises(SizeLimitError, match="max_bases=5"):
        extreme_equilibria(np.ones((6, 6)) + np.eye(6), np.ones((6, 6)), max_bases=5)
    assert extreme_equilibria(A, B, max_bases=10**6)


# --------------------------------------------------------------------------- helpers


def test_solve_integer_against_fractions():
    rng = np.random.default_rng(7)
    for _ in range(100):
        s = int(rng.integers(1, 7))
        M = rng.integers(-5, 10, (s, s)).tolist()
        b = rng.integers(-3, 4, s).tolist()
        solved = solve_integer(M, b)
        reference = _solve_fractions(M, b)
        if reference is None:
            assert solved is None
        else:
            numerators, denominator = solved
            assert denominator > 0
            assert [F(v, denominator) for v in numerators] == reference


def test_best_response_vertices_of_a_nondegenerate_game():
    xs, xl, ys, yl = best_response_vertices(*BATTLE_OF_SEXES)
    # a non-degenerate game: every vertex has exactly d labels
    assert (xl.sum(axis=1) == 2).all() and (yl.sum(axis=1) == 2).all()
    assert len(xs) == 4 and len(ys) == 4


def test_bimatrix_maps_to_positive_integers_keeping_equilibria():
    game = bimatrix([[F(1, 2), -1]], [[0, F(1, 3)]])
    assert game.exact and game.A_int.tolist() == [[4, 1]] and game.B_int.tolist() == [[1, 2]]
    assert game.A_unit.tolist() == [[2.0, 1.0]]


# ---------------------------------------------------------------------------- tolerances
TOL_RANGE = (1e-10, 1e-8, 1e-6, 1e-4, 1e-3)


def test_float_battle_of_the_sexes_keeps_its_three_equilibria_at_tol_1e_3():
    A, B = [[3.1, 0.0], [0.0, 2.0]], [[2.0, 0.0], [0.0, 3.3]]
    for tol in TOL_RANGE:
        found = extreme_equilibria(A, B, tol=tol)
        assert len(found) == 3, tol
    found = extreme_equilibria([[3, 0], [0, 2]], [[2, 0], [0, 3]], exact=False, tol=1e-3)
    mixed = [x for x, _ in found if 0 < x[0] < 1]
    assert len(found) == 3 and np.allclose(mixed, [[0.6, 0.4]])


def test_radii_are_the_users_tolerance_within_the_rounding_floor():
    from alliance.games.solvers.vertex import ROUNDING_FLOOR, merge_radius, regret_radius

    for tol in TOL_RANGE:
        assert regret_radius(tol) == merge_radius(tol) == tol
    assert regret_radius(1e-15) == ROUNDING_FLOOR


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    shape=st.tuples(st.integers(2, 4), st.integers(2, 4)),
    values=st.lists(st.integers(-3, 3), min_size=32, max_size=32),
    denominator=st.sampled_from([1, 7]),
)
def test_equilibrium_count_does_not_depend_on_tol_in_its_range(shape, values, denominator):
    # Small integer payoffs are often degenerate (ties); dividing by 7 makes them floats.
    m, n = shape
    A = np.array(values[: m * n], dtype=float).reshape(m, n) / denominator
    B = np.array(values[16 : 16 + m * n], dtype=float).reshape(m, n) / denominator
    exact = extreme_equilibria(
        [[F(int(v * denominator), denominator) for v in row] for row in A],
        [[F(int(v * denominator), denominator) for v in row] for row in B],
    )
    for tol in TOL_RANGE:
        found = extreme_equilibria(A, B, exact=False, tol=tol)
        assert len(found) == len(exact), (tol, A, B)
        for (x, y), (xe, ye) in zip(
            sorted(found, key=lambda p: tuple(np.round(np.concatenate(p), 6))),
            sorted(exact, key=lambda p: tuple(round(float(v), 6) for v in p[0] + p[1])),
        ):
            assert np.allclose(x, np.array(xe, dtype=float), atol=1e-6)
            assert np.allclose(y, np.array(ye, dtype=float), atol=1e-6)
