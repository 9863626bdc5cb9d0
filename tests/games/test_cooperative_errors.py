"""Bad input to cooperative games: the error class and a message naming the field."""

from __future__ import annotations

import numpy as np
import pytest

from alliance.errors import InvalidGameError, ParameterError, SizeLimitError, SolverError
from alliance.games.cooperative import (
    CooperativeGame,
    airport,
    bankruptcy,
    glove,
    weighted_voting,
)


def test_dict_with_nonzero_empty_coalition():
    v = {frozenset(): 1, frozenset({0}): 1, frozenset({1}): 1, frozenset({0, 1}): 3}
    with pytest.raises(InvalidGameError, match=r"v\(∅\) is 1"):
        CooperativeGame(2, v)


def test_callable_with_nonzero_empty_coalition():
    with pytest.raises(InvalidGameError, match=r"v\(∅\) is 2"):
        CooperativeGame(3, lambda S: 2.0)
    with pytest.raises(InvalidGameError, match=r"v\(∅\) is 1"):
        CooperativeGame(3, lambda m: m.sum(axis=1) + 1.0, vectorized=True)


def test_dict_missing_coalition_is_named():
    v = {
        frozenset({0}): 1,
        frozenset({1}): 1,
        frozenset({2}): 0,
        frozenset({0, 1}): 3,
        frozenset({0, 1, 2}): 4,
        frozenset({1, 2}): 2,
    }
    with pytest.raises(InvalidGameError, match=r"no value for coalition \{A, C\}"):
        CooperativeGame(3, v, players=("A", "B", "C"))


def test_dict_unknown_player_and_duplicates():
    with pytest.raises(InvalidGameError, match="player 'Z'"):
        CooperativeGame(
            2,
            {frozenset({"A"}): 1, frozenset({"Z"}): 1, frozenset({"A", "B"}): 2},
            players=("A", "B"),
        )
    with pytest.raises(InvalidGameError, match="player 5"):
        CooperativeGame(2, {frozenset({0}): 1, frozenset({5}): 1, frozenset({0, 1}): 2})
    with pytest.raises(InvalidGameError, match=r"coalition \{A\} twice"):
        CooperativeGame(
            2,
            {frozenset({"A"}): 1, frozenset({0}): 2, frozenset({"B"}): 0, frozenset({0, 1}): 2},
            players=("A", "B"),
        )


def test_non_finite_worths_are_named():
    v = {frozenset({0}): 1, frozenset({1}): float("nan"), frozenset({0, 1}): 2}
    with pytest.raises(InvalidGameError, match=r"v\{P2\} is nan"):
        CooperativeGame(2, v)
    with pytest.raises(InvalidGameError, match=r"v\{P1\} is 'a lot'"):
        CooperativeGame(2, {frozenset({0}): "a lot", frozenset({1}): 1, frozenset({0, 1}): 2})
    g = CooperativeGame(3, lambda S: float("inf") if S == frozenset({1, 2}) else len(S))
    with pytest.raises(InvalidGameError, match=r"v\{P2, P3\} is inf"):
        g.shapley()
    h = CooperativeGame(
        3, lambda m: np.where(m[:, 0] & ~m[:, 1], np.nan, m.sum(axis=1) * 1.0), vectorized=True
    )
    with pytest.raises(InvalidGameError, match=r"v\{P1\} is nan"):
        h.shapley()


def test_vectorised_wrong_shape():
    with pytest.raises(InvalidGameError, match=r"shape \(2, 1\).*must return shape \(2,\)"):
        CooperativeGame(3, lambda m: m.sum(axis=1, keepdims=True) * 1.0, vectorized=True)


def test_bad_n_and_players():
    with pytest.raises(ParameterError, match="n .* is 0"):
        CooperativeGame(0, {})
    with pytest.raises(ParameterError, match="players has 2 names"):
        CooperativeGame(3, lambda S: 0.0, players=("A", "B"))
    with pytest.raises(ParameterError, match=r"duplicate names \['A'\]"):
        CooperativeGame(2, lambda S: 0.0, players=("A", "A"))
    with pytest.raises(InvalidGameError, match="v is a list"):
        CooperativeGame(2, [0, 1, 2, 3])


def test_exact_shapley_too_many_players_points_to_sampling():
    g = CooperativeGame(30, lambda m: m.sum(axis=1) ** 2.0, vectorized=True)
    with pytest.raises(SizeLimitError, match=r"n = 30.*method='sampled'"):
        g.shapley()
    with pytest.raises(SizeLimitError, match="n = 30"):
        g.banzhaf()
    with pytest.raises(SizeLimitError, match="n = 30"):
        g.nucleolus()
    x = g.shapley(method="sampled", samples=20, seed=0)  # the advice works
    np.testing.assert_allclose(x.values, 30.0, rtol=1e-9)  # symmetric game: v(N)/n = 30


def test_allocation_of_wrong_length():
    g = glove(1, 2)
    with pytest.raises(ParameterError, match=r"x has shape \(2,\).*3 values"):
        g.in_core([1.0, 0.0])
    with pytest.raises(ParameterError, match=r"x has no value for players \['R2'\]"):
        g.in_core({"L1": 1.0, "R1": 0.0})
    with pytest.raises(ParameterError, match="x is"):
        g.in_core([1.0, float("nan"), 0.0])


def test_bad_sampling_parameters():
    g = glove(1, 2)
    with pytest.raises(ParameterError, match="method is 'monte carlo'"):
        g.shapley(method="monte carlo")
    with pytest.raises(ParameterError, match="samples is 1"):
        g.shapley(method="sampled", samples=1)
    with pytest.raises(ParameterError, match="variance_reduction is 'sobol'"):
        g.shapley(method="sampled", variance_reduction="sobol")
    with pytest.raises(ParameterError, match="target_standard_error is -1"):
        g.shapley(method="sampled", target_standard_error=-1)


def test_constructor_validation():
    with pytest.raises(ParameterError, match=r"estate is 700; .*\[0, 600\]"):
        bankruptcy(700, [100, 200, 300])
    with pytest.raises(ParameterError, match=r"claims\[1\] is -2"):
        bankruptcy(10, [1, -2])
    with pytest.raises(ParameterError, match=r"quota is 0"):
        weighted_voting(0, [1, 2])
    with pytest.raises(ParameterError, match=r"weights\[0\] is -1"):
        weighted_voting(1, [-1, 2])
    with pytest.raises(ParameterError, match=r"costs\[2\] is inf"):
        airport([1, 2, float("inf")])
    with pytest.raises(ParameterError, match="left is -1"):
        glove(-1, 2)
    with pytest.raises(ParameterError, match="costs is empty"):
        airport([])


def test_empty_imputation_set_and_empty_core_bounds():
    v = {frozenset({0}): 2, frozenset({1}): 2, frozenset({0, 1}): 3}
    with pytest.raises(InvalidGameError, match="imputation set is empty.*prenucleolus"):
        CooperativeGame(2, v).nucleolus()
    pre = CooperativeGame(2, v).nucleolus(imputations=False)
    np.testing.assert_allclose(pre.values, [1.5, 1.5])
    majority = CooperativeGame(3, lambda S: 1.0 if len(S) >= 2 else 0.0)
    with pytest.raises(SolverError, match="core is empty"):
        majority.core_bounds()
