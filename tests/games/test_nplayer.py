"""Support enumeration for n-player games (alliance.games.solvers.support_nplayer)."""

from __future__ import annotations

import itertools
import math
import warnings
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import alliance as al
from alliance.errors import SizeLimitError
from alliance.games.solvers.support_nplayer import (
    MAX_WORK,
    DegenerateGameWarning,
    count_support_combinations,
    estimated_work,
    support_enumeration,
)


def table(shape, payoff):
    """Payoff array from a function of the pure profile."""
    P = np.empty(tuple(shape) + (len(shape),), dtype=object)
    for prof in itertools.product(*(range(k) for k in shape)):
        P[prof] = list(payoff(*prof))
    return P


def hand_game():
    """2x2x2 game built from its payoff differences (p, q, r = probabilities of s1).

    D1 = q - r, D2 = p - r, D3 = 10pq - 5p - 5q + 2. By hand: the equilibria are (s1, s1, s1),
    (s2, s2, s1) and the two fully mixed profiles p = q = r = (5 -+ sqrt 5)/10.
    """

    def u(a, b, c):
        p, q, r = 1 - a, 1 - b, 1 - c
        return (
            q - r if a == 0 else 0,
            p - r if b == 0 else 0,
            10 * p * q - 5 * p - 5 * q + 2 if c == 0 else 0,
        )

    return al.NormalFormGame.from_array(table((2, 2, 2), u))


def jordan_game():
    """Jordan's three-player matching pennies: 1 matches 2, 2 matches 3, 3 mismatches 1."""
    return al.NormalFormGame.from_array(
        table((2, 2, 2), lambda a, b, c: (int(a == b), int(b == c), int(c != a)))
    )


def selten_horse():
    """Selten's (1975) horse in normal form: 1 chooses A/D, 2 chooses a/d, 3 chooses L/R."""

    def u(a, b, c):
        if a == 0 and b == 0:
            return (1, 1, 1)
        if a == 0:
            return (4, 4, 0) if c == 0 else (0, 0, 1)
        return (3, 3, 2) if c == 0 else (0, 0, 0)

    return al.NormalFormGame.from_array(
        table((2, 2, 2), u), strategies=[("A", "D"), ("a", "d"), ("L", "R")]
    )


def solve(g, **kwargs):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DegenerateGameWarning)
        return g.equilibria(**kwargs)


def assert_all_zero_regret(g, found):
    for eq in found:
        assert g.regret(eq).max() <= 1e-9, eq


def as_floats(eq):
    return [list(map(float, s)) for s in eq.profile]


def contains(found, profile, atol=1e-9):
    target = np.concatenate([np.asarray(s, dtype=float) for s in profile])
    return any(
        np.allclose(
            np.concatenate([np.asarray(s, dtype=float) for s in e.profile]), target, atol=atol
        )
        for e in found
    )


def test_hand_derived_game_has_exactly_its_four_equilibria():
    g = hand_game()
    found = solve(g)
    assert len(found) == 4
    assert_all_zero_regret(g, found)
    # pure equilibria come first and are exact
    assert [e.profile for e in found[:2]] == [
        ((1, 0), (1, 0), (1, 0)),
        ((0, 1), (0, 1), (1, 0)),
    ]
    assert all(e.exact for e in found[:2])
    for x in ((5 - math.sqrt(5)) / 10, (5 + math.sqrt(5)) / 10):
        assert contains(found, [[x, 1 - x]] * 3, atol=1e-12)
    assert not found[2].exact and not found[3].exact


def test_jordan_game_unique_exact_mixed_equilibrium():
    g = jordan_game()
    found = solve(g)
    assert len(found) == 1
    assert found[0].exact
    assert found[0].profile == ((Fraction(1, 2), Fraction(1, 2)),) * 3


def test_coordination_game_pure_and_irrational_mixed():
    P = np.zeros((2, 2, 2, 3))
    P[0, 0, 0] = 1
    P[1, 1, 1] = 2
    g = al.NormalFormGame.from_array(P)
    found = solve(g)
    assert len(found) == 3
    assert [e.is_pure for e in found] == [True, True, False]
    x = 2 - math.sqrt(2)  # q r = 2 (1 - q)(1 - r) with q = r = x
    assert contains(found, [[x, 1 - x]] * 3, atol=1e-12)
    assert_all_zero_regret(g, found)


def test_selten_horse_continua_are_warned_and_sampled():
    g = selten_horse()
    with pytest.warns(DegenerateGameWarning, match="continuum"):
        found = g.equilibria()
    assert_all_zero_regret(g, found)
    assert contains(found, [[1, 0], [1, 0], [0, 1]])  # (A, a, R)
    assert contains(found, [[0, 1], [1, 0], [1, 0]])  # (D, a, L)
    # the end of the component {D, a with prob >= 1/3, L} is isolated on its support
    assert contains(found, [[0, 1], [Fraction(1, 3), Fraction(2, 3)], [1, 0]])
    # representative points lie in the two components: A,a with P(L) <= 1/4; D,L with P(a) >= 1/3
    for e in found:
        p = as_floats(e)
        if p[0][0] == 1:
            assert p[1][0] == 1 and p[2][0] <= 0.25 + 1e-12
        else:
            assert p[0][1] == 1 and p[2][0] == 1 and p[1][0] >= 1 / 3 - 1e-12


def test_four_player_game_returns_equilibria_with_zero_regret():
    rng = np.random.default_rng(7)
    g = al.NormalFormGame.from_array(rng.integers(-3, 4, size=(2, 2, 2, 2, 4)))
    found = solve(g)
    assert found
    assert_all_zero_regret(g, found)
    for pure in g.pure_equilibria():
        assert contains(found, pure.profile)


def test_three_by_three_by_two_float_game():
    rng = np.random.default_rng(3)
    P = rng.normal(size=(3, 3, 2, 3))
    g = al.NormalFormGame.from_array(P)
    found = solve(g)
    assert len(found) % 2 == 1  # generic games have an odd number of equilibria
    assert_all_zero_regret(g, found)
    assert all(not e.exact for e in found)


def test_size_limit_is_set_by_estimated_work():
    g = al.NormalFormGame.from_array(np.zeros((3,) * 6 + (6,)))
    with pytest.raises(
        SizeLimitError, match=r"3×3×3×3×3×3 game needs about \d+ units of work .*max_work=200000"
    ):
        g.equilibria()
    assert count_support_combinations((3, 3, 3)) == 343
    # one unit per support plus one per homotopy path: 3x3x3 and 5x4x3 are accepted
    assert estimated_work((2, 2, 2)) == 27 + 2  # the full support: a system of 2 paths
    assert estimated_work((5, 4, 3)) < MAX_WORK < estimated_work((3,) * 6)
    with pytest.raises(SizeLimitError, match="max_supports=20"):
        support_enumeration(np.zeros((2, 2, 2, 3)), max_supports=20)


def test_deterministic_order():
    g = hand_game()
    first = [e.profile for e in solve(g)]
    second = [e.profile for e in solve(g)]
    assert first == second


@settings(max_examples=25, deadline=None)
@given(st.lists(st.integers(-3, 3), min_size=24, max_size=24))
def test_random_integer_2x2x2_games(values):
    g = al.NormalFormGame.from_array(np.array(values).reshape(2, 2, 2, 3))
    found = solve(g)
    assert found  # Nash: every finite game has an equilibrium (sampled continua count)
    assert_all_zero_regret(g, found)
    for pure in g.pure_equilibria():
        assert contains(found, pure.profile)


@settings(max_examples=15, deadline=None)
@given(st.integers(0, 2**32 - 1))
def test_random_float_2x2x2_games(seed):
    P = np.random.default_rng(seed).normal(size=(2, 2, 2, 3))
    g = al.NormalFormGame.from_array(P)
    found = support_enumeration(P)
    assert len(found) % 2 == 1  # generic: odd number (Wilson 1971)
    for prof in found:
        assert g.regret(prof).max() <= 1e-9
    for pure in g.pure_equilibria():
        assert contains(solve(g), pure.profile)


def _gambit_equilibria(g):
    gbt = pytest.importorskip("pygambit")
    arrays = [np.asarray(g.payoffs[..., i], dtype=float) for i in range(g.n_players)]
    # pygambit 17 moved from_arrays to StrategicGame; 16.x has it on Game
    make = getattr(gbt, "StrategicGame", gbt.Game).from_arrays
    game = make(*arrays)
    result = gbt.nash.enumpoly_solve(game)

    def prob(x):
        return float(x[1]) if isinstance(x, tuple) else float(x)

    return [[[prob(x) for x in eq[p]] for p in game.players] for eq in result.equilibria]


def random_int_game():
    return al.NormalFormGame.from_array(
        np.random.default_rng(11).integers(-5, 6, size=(2, 2, 2, 3))
    )


def random_float_game_332():
    return al.NormalFormGame.from_array(np.random.default_rng(5).normal(size=(3, 3, 2, 3)))


@pytest.mark.parametrize("make", [hand_game, jordan_game, random_int_game])
def test_agrees_with_gambit_enumpoly(make):
    g = make()
    theirs = _gambit_equilibria(g)
    ours = solve(g)
    assert len(theirs) == len(ours)
    for profile in theirs:
        assert contains(ours, profile, atol=1e-6)


def test_finds_what_gambit_enumpoly_finds_and_more():
    # Gambit 17.0.0b2's enumpoly returns 2 equilibria of this generic 3x3x2 game; it has an
    # odd number, and the third (Player 2 mixing on s2, s3) has zero regret.
    g = random_float_game_332()
    theirs = _gambit_equilibria(g)
    ours = solve(g)
    for profile in theirs:
        assert contains(ours, profile, atol=1e-6)
    assert len(ours) == 3
    assert_all_zero_regret(g, ours)
    extra = ours[1].profile
    assert extra[1][0] == 0 and min(extra[1][1:]) > 0


# -------------------------------------------------------------------- larger games vs enumpoly
def _random(shape, seed, kind):
    rng = np.random.default_rng(seed)
    size = tuple(shape) + (len(shape),)
    return al.NormalFormGame.from_array(
        rng.integers(0, 10, size=size) if kind == "int" else rng.normal(size=size)
    )


@pytest.mark.parametrize(
    ("shape", "seed", "kind"),
    [((3, 3, 3), 0, "float"), ((8, 2, 2), 0, "int"), ((2, 2, 2, 2), 1, "int"),
     ((3, 3, 2), 1, "float"), ((3, 3, 3), 1, "int")],
)
def test_finds_every_equilibrium_enumpoly_finds_on_larger_games(shape, seed, kind):
    g = _random(shape, seed, kind)
    theirs = _gambit_equilibria(g)
    ours = solve(g)
    assert_all_zero_regret(g, ours)
    for profile in theirs:
        assert contains(ours, profile, atol=1e-6)
    # exact games: every Fraction equilibrium has zero regret in exact arithmetic
    for e in ours:
        if e.exact:
            assert max(g.regret(e, exact=True)) == 0
    if kind == "float":
        assert len(ours) % 2 == 1  # generic games: an odd number (Wilson 1971)


def test_float_3x3x3_game_has_an_equilibrium_enumpoly_misses():
    # Gambit 17.0.0b2's enumpoly lists 6 equilibria of this generic game; generic games have
    # an odd number, and the seventh found here has zero regret.
    g = _random((3, 3, 3), 0, "float")
    theirs = _gambit_equilibria(g)
    ours = solve(g)
    assert len(ours) == 7 and len(theirs) == 6
    extra = [e for e in ours if not any(e.same_profile(t, tol=1e-6) for t in theirs)]
    assert len(extra) == 1 and g.regret(extra[0]).max() <= 1e-12


# -------------------------------------------------------------------- one equilibrium, big games
def test_logit_equilibrium_is_verified_and_among_all_equilibria():
    g = _random((3, 3, 2), 1, "float")
    eq = g.logit_equilibrium()
    assert eq.method == "logit" and g.regret(eq).max() <= 1e-9
    assert contains(solve(g), eq.profile, atol=1e-9)


def test_logit_equilibrium_of_a_game_too_large_to_enumerate():
    g = _random((3, 3, 3, 3, 3), 2, "float")
    with pytest.raises(SizeLimitError):
        support_enumeration(g.payoffs, max_work=10_000)
    eq = g.logit_equilibrium(tol=1e-10)
    assert g.regret(eq).max() <= 1e-10


def test_logit_equilibrium_of_jordans_game_is_the_fully_mixed_one():
    eq = jordan_game().logit_equilibrium()
    assert np.allclose(np.concatenate(eq.as_arrays()), 0.5, atol=1e-12)


def test_merge_radius_is_the_users_tol_above_the_floor():
    from alliance.games.solvers.support_nplayer import MERGE_FLOOR, merge_radius

    assert merge_radius(0.0) == MERGE_FLOOR
    assert merge_radius(1e-3) == 1e-3
    # the count of a generic 3-player game does not move across the allowed tol range
    import numpy as np

    import alliance as al

    rng = np.random.default_rng(4)
    g = al.NormalFormGame.from_array(rng.random((2, 2, 2, 3)))
    counts = {len(g.equilibria(tol=t)) for t in (1e-10, 1e-8, 1e-6, 1e-4)}
    assert len(counts) == 1
