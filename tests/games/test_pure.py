"""Pure-strategy equilibria (alliance.games.solvers.pure) against a brute-force check."""

from __future__ import annotations

import itertools
from fractions import Fraction

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

import alliance as al
from alliance.games.solvers.pure import best_response_mask, pure_equilibria


def brute_force(P, tol=0.0):
    """Every profile where no player gains more than tol by a unilateral deviation."""
    shape = P.shape[:-1]
    out = []
    for prof in itertools.product(*(range(k) for k in shape)):
        stable = True
        for i in range(len(shape)):
            for t in range(shape[i]):
                dev = list(prof)
                dev[i] = t
                if P[tuple(dev) + (i,)] > P[prof + (i,)] + tol:
                    stable = False
        if stable:
            out.append(list(prof))
    return out


games = st.integers(1, 4).flatmap(
    lambda n: st.tuples(
        st.lists(st.integers(1, 4), min_size=n, max_size=n), st.integers(0, 2**32 - 1)
    )
)


@settings(max_examples=60, deadline=None)
@given(games, st.integers(1, 4))
def test_matches_brute_force_with_ties(game, spread):
    sizes, seed = game
    n = len(sizes)
    # Few distinct payoff values: many ties, the hard case for "== max".
    P = np.random.default_rng(seed).integers(0, spread + 1, size=tuple(sizes) + (n,))
    assert pure_equilibria(P).tolist() == brute_force(P)
    # the exact (Fraction) path gives the same answer
    exact = np.vectorize(Fraction, otypes=[object])(P)
    assert pure_equilibria(exact).tolist() == brute_force(P)


@settings(max_examples=30, deadline=None)
@given(games)
def test_float_games_with_tolerance(game):
    sizes, seed = game
    n = len(sizes)
    P = np.random.default_rng(seed).normal(size=tuple(sizes) + (n,))
    assert pure_equilibria(P).tolist() == brute_force(P)
    tol = 0.3
    assert pure_equilibria(P, tol=tol).tolist() == brute_force(P, tol=tol)


@settings(max_examples=30, deadline=None)
@given(st.lists(st.integers(2, 4), min_size=3, max_size=3), st.integers(0, 2**32 - 1))
def test_three_player_equilibria_have_zero_regret(sizes, seed):
    P = np.random.default_rng(seed).integers(-2, 3, size=tuple(sizes) + (3,))
    g = al.NormalFormGame.from_array(P)
    found = g.pure_equilibria()
    assert [list(e.supports) for e in found] == [
        [(g.strategies[i][j],) for i, j in enumerate(prof)] for prof in brute_force(P)
    ]
    for eq in found:
        assert eq.is_pure and eq.exact
        assert list(g.regret(eq, exact=True)) == [0, 0, 0]


def test_all_profiles_tie():
    P = np.zeros((2, 3, 2, 3))
    assert len(pure_equilibria(P)) == 12
    assert best_response_mask(P).all()


def test_known_games():
    # matching pennies: none; 3-player coordination: the two diagonal profiles
    pennies = np.array([[[1, -1], [-1, 1]], [[-1, 1], [1, -1]]])
    assert pure_equilibria(pennies).tolist() == []
    P = np.zeros((2, 2, 2, 3))
    P[0, 0, 0] = 1
    P[1, 1, 1] = 2
    assert pure_equilibria(P).tolist() == [[0, 0, 0], [1, 1, 1]]
