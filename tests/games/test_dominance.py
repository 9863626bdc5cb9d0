"""Iterated elimination of dominated strategies (alliance.games.solvers.dominance)."""

from __future__ import annotations

import itertools
from fractions import Fraction

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

import alliance as al
from alliance.games.solvers.dominance import dominated_strategies, iterated_elimination


def exact(P):
    return np.vectorize(Fraction, otypes=[object])(np.asarray(P))


def test_prisoners_dilemma():
    P = np.array([[[3, 3], [0, 5]], [[5, 0], [1, 1]]])
    kept, log = iterated_elimination(P, exact_payoffs=exact(P))
    assert kept == ((1,), (1,))
    assert log == [(0, 0, {1: 1}), (1, 0, {1: 1})]
    g = al.NormalFormGame.from_matrices([[3, 0], [5, 1]], [[3, 5], [0, 1]])
    assert g.eliminate_dominated().strategies == (("s2",), ("s2",))


def test_only_a_mixed_strategy_dominates():
    A = np.array([[3, 0], [0, 3], [1, 1]])
    P = np.stack([A, -A], axis=-1)
    kept, log = iterated_elimination(P, mixed=False)
    assert kept == ((0, 1, 2), (0, 1)) and log == []
    kept, log = iterated_elimination(P, exact_payoffs=exact(P))
    assert kept == ((0, 1), (0, 1))
    assert log == [(0, 2, {0: Fraction(1, 2), 1: Fraction(1, 2)})]
    # float game: the LP's weights as floats
    kept, log = iterated_elimination(P.astype(float) + 0.25)
    assert kept == ((0, 1), (0, 1))
    ((player, strategy, by),) = log
    assert (player, strategy) == (0, 2)
    assert by == {0: 0.5, 1: 0.5}


def test_mixed_dominance_then_pure_dominance_iterates():
    # Row 3 is dominated by (1/2, 1/2) of rows 1, 2; then column 3 is dominated by column 1.
    A = np.array([[3, 0, 2], [0, 3, 2], [1, 1, 1]])
    B = np.array([[2, 2, 1], [2, 2, 1], [0, 0, 5]])
    P = np.stack([A, B], axis=-1)
    kept, log = iterated_elimination(P, exact_payoffs=exact(P))
    assert kept == ((0, 1), (0, 1))
    assert [(p, s) for p, s, _ in log] == [(0, 2), (1, 2)]
    # column 3 is dominated by both columns 1 and 2 once row 3 is gone
    assert log[1][2] in ({0: 1}, {1: 1})


def test_three_player_game():
    # Player 3's s2 pays 1 less than s1 everywhere; then player 1's s2 loses once player 3 is
    # at s1; then player 2 best-responds.
    P = np.zeros((2, 2, 2, 3))
    for a, b, c in itertools.product(range(2), repeat=3):
        P[a, b, c] = (
            (1 if a == 0 else 0) if c == 0 else (0 if a == 0 else 1),
            1 if b == a else 0,
            1 - c,
        )
    kept, log = iterated_elimination(P, exact_payoffs=exact(P))
    assert kept == ((0,), (0,), (0,))
    assert [(p, s) for p, s, _ in log] == [(2, 1), (0, 1), (1, 1)]
    g = al.NormalFormGame.from_array(P)
    reduced = g.eliminate_dominated()
    assert reduced.shape == (1, 1, 1)


def test_weak_dominance_is_order_dependent_and_documented_order():
    # Classic: each of rows 2 and 3 is weakly dominated by row 1 in different columns.
    A = np.array([[1, 1], [1, 0], [0, 1]])
    B = np.array([[0, 0], [1, 0], [0, 1]])
    P = np.stack([A, B], axis=-1)
    assert iterated_elimination(P, exact_payoffs=exact(P)) == (((0, 1, 2), (0, 1)), [])
    kept, log = iterated_elimination(P, weak=True, exact_payoffs=exact(P))
    # both rows go in the first round; then both columns tie for player 2
    assert kept == ((0,), (0, 1))
    assert [(p, s) for p, s, _ in log] == [(0, 1), (0, 2)]


def test_duplicate_strategies_are_not_weakly_dominated():
    A = np.array([[1, 2], [1, 2]])
    P = np.stack([A, A], axis=-1)
    kept, _ = iterated_elimination(P, weak=True)
    assert kept[0] == (0, 1)


def test_dominated_strategies_never_empties_a_player():
    P = np.zeros((3, 2, 2))
    P[:, :, 0] = [[1, 1], [2, 2], [3, 3]]
    out = dominated_strategies(P, [[0, 1, 2], [0, 1]], 0)
    assert [s for s, _ in out] == [0, 1]
    assert out[0][1] == {2: 1.0}


@settings(max_examples=25, deadline=None)
@given(
    st.integers(2, 3),
    st.lists(st.integers(2, 4), min_size=3, max_size=3),
    st.integers(0, 2**32 - 1),
    st.booleans(),
)
def test_strict_elimination_is_order_independent(n, sizes, seed, mixed):
    rng = np.random.default_rng(seed)
    shape = tuple(sizes[:n])
    P = rng.integers(-4, 5, size=shape + (n,))
    kept, log = iterated_elimination(P, mixed=mixed, exact_payoffs=exact(P))
    # Eliminate one strategy at a time in a random order: same survivors.
    alive = [list(range(k)) for k in shape]
    while True:
        candidates = [
            (p, s)
            for p in range(n)
            if len(alive[p]) > 1
            for s, _ in dominated_strategies(P, alive, p, mixed=mixed, exact_payoffs=exact(P))
        ]
        if not candidates:
            break
        p, s = candidates[rng.integers(len(candidates))]
        alive[p].remove(s)
    assert tuple(map(tuple, alive)) == kept
    # every logged dominator really dominates in the game where it was removed
    for _p, s, by in log:
        assert abs(sum(by.values()) - 1) < 1e-12
        assert s not in by
    # every pure equilibrium survives strict elimination
    g = al.NormalFormGame.from_array(P)
    for eq in g.pure_equilibria():
        for p in range(n):
            assert eq.profile[p].index(1) in kept[p]
