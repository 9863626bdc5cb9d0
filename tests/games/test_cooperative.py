"""Cooperative (TU) games: literature results, the API contract and result values."""

from __future__ import annotations

import itertools
import math
from fractions import Fraction

import numpy as np
import pandas as pd
import pytest

from alliance.games.cooperative import (
    Allocation,
    CooperativeGame,
    CoreCheck,
    LeastCore,
    airport,
    bankruptcy,
    glove,
    weighted_voting,
)
from alliance.games.cooperative.core import excesses

F = Fraction


def majority3() -> CooperativeGame:
    return CooperativeGame(3, lambda S: 1 if len(S) >= 2 else 0)


# -- literature results ------------------------------------------------------------------------
def test_glove_game_shapley_and_single_point_core():
    g = glove(1, 2)
    x = g.shapley()
    assert x.exact == (F(2, 3), F(1, 6), F(1, 6))
    np.testing.assert_allclose(x.values, [2 / 3, 1 / 6, 1 / 6], atol=1e-12)
    assert not g.core_is_empty()
    bounds = g.core_bounds()
    np.testing.assert_allclose(bounds["min"], [1, 0, 0], atol=1e-7)
    np.testing.assert_allclose(bounds["max"], [1, 0, 0], atol=1e-7)
    assert g.in_core([1, 0, 0])
    assert not g.in_core([0.9, 0.05, 0.05])
    np.testing.assert_allclose(g.nucleolus().values, [1, 0, 0], atol=1e-9)


def test_majority_game_core_empty_and_shapley_equals_nucleolus():
    g = majority3()
    assert g.core_is_empty()
    eps, x = g.least_core()
    assert eps == pytest.approx(1 / 3)
    shapley = g.shapley().values
    nucleolus = g.nucleolus().values
    np.testing.assert_allclose(shapley, [1 / 3] * 3, atol=1e-12)
    np.testing.assert_allclose(nucleolus, [1 / 3] * 3, atol=1e-9)
    np.testing.assert_allclose(shapley, nucleolus, atol=1e-9)


@pytest.mark.parametrize(
    ("estate", "expected"),
    [(100, [100 / 3, 100 / 3, 100 / 3]), (200, [50, 75, 75]), (300, [50, 100, 150])],
)
def test_aumann_maschler_bankruptcy_nucleolus(estate, expected):
    # Aumann & Maschler (1985), the Talmud's marriage-contract problem.
    x = bankruptcy(estate, [100, 200, 300]).nucleolus()
    np.testing.assert_allclose(x.values, expected, atol=1e-7)


def test_banzhaf_of_weighted_voting_51_50_49_1():
    g = weighted_voting(51, [50, 49, 1])
    assert g.banzhaf().exact == (F(3, 4), F(1, 4), F(1, 4))
    assert g.banzhaf(normalized=True).exact == (F(3, 5), F(1, 5), F(1, 5))
    # The generating functions agree with the enumeration of the generic game.
    generic = CooperativeGame(3, lambda m: (m @ np.array([50, 49, 1]) >= 51) * 1.0, vectorized=True)
    np.testing.assert_allclose(generic.banzhaf().values, [0.75, 0.25, 0.25])
    assert g.shapley().exact == (F(2, 3), F(1, 6), F(1, 6))


def littlechild_owen(costs: np.ndarray) -> np.ndarray:
    order = np.argsort(costs, kind="stable")
    c = np.concatenate([[0.0], np.asarray(costs, float)[order]])
    n = len(costs)
    segment_share = np.diff(c) / (n - np.arange(n))
    out = np.empty(n)
    out[order] = np.cumsum(segment_share)
    return out


def test_airport_known_values_exact_and_in_core():
    g = airport([1, 2, 4])
    assert g.cost
    assert g.shapley().exact == (F(1, 3), F(5, 6), F(17, 6))
    assert g.in_core(g.shapley())  # airport games are concave: Shapley is in the core
    assert not g.in_core([2, 0.5, 4.5])  # player 1 alone would pay 1 < 2
    assert g.is_convex()


def test_talmud_contested_garment():
    # Two claimants, claims 50 and 100 on an estate of 100: the Talmud gives (25, 75).
    np.testing.assert_allclose(bankruptcy(100, [50, 100]).nucleolus().values, [25, 75])


def test_convexity():
    assert bankruptcy(200, [100, 200, 300]).is_convex()
    assert not glove(1, 2).is_convex()
    assert not majority3().is_convex()
    assert CooperativeGame(4, lambda S: len(S) ** 2).is_convex()
    assert not CooperativeGame(4, lambda S: math.sqrt(len(S))).is_convex()


def test_in_core_reports_most_violated_coalition_and_excess():
    g = glove(1, 2)
    check = g.in_core([0.5, 0.3, 0.2])
    assert isinstance(check, CoreCheck)
    assert not check
    assert check.most_violated == ("L1", "R2")
    assert check.excess == pytest.approx(0.3)
    ex = excesses(g, [0.5, 0.3, 0.2])
    assert check.excess == pytest.approx(ex.max())
    ok = g.in_core({"L1": 1, "R1": 0, "R2": 0})
    assert ok and ok.most_violated is None


def test_in_core_efficiency():
    g = glove(1, 2)
    short = g.in_core([0.5, 0, 0])
    assert not short and short.most_violated == ("L1", "R1", "R2")
    assert short.excess == pytest.approx(0.5)
    over = g.in_core([1, 0.5, 0])
    assert not over and "more than" in over.reason


# -- API contract ------------------------------------------------------------------------------
def test_dict_with_player_names_and_indices():
    players = ("Bank", "Guarantor", "Government")
    worth = {
        (): 0,
        ("Bank",): 0,
        ("Guarantor",): 0,
        ("Government",): 0,
        ("Bank", "Guarantor"): 60,
        ("Bank", "Government"): 40,
        ("Guarantor", "Government"): 0,
        ("Bank", "Guarantor", "Government"): 100,
    }
    by_name = CooperativeGame(3, {frozenset(k): v for k, v in worth.items()}, players)
    index = {p: i for i, p in enumerate(players)}
    by_index = CooperativeGame(
        3, {frozenset(index[p] for p in k): v for k, v in worth.items()}, players
    )
    assert by_name.shapley() == by_index.shapley()
    x = by_name.shapley()
    # Bank: (0 + 0 + 60 + 40 + 100 + 100) / 6 = 50 over the six orders, and so on.
    assert x.exact == (F(50), F(30), F(20))
    assert x["Bank"] == 50.0
    assert x[0] == x["Bank"]
    assert by_name.players == players
    assert by_name.value({"Bank", "Guarantor"}) == 60.0


def test_values_vectorised_and_memoised_calls():
    calls: list[int] = []
    w = np.arange(1.0, 11.0)

    def v(mask):
        calls.append(mask.shape[0])
        return (mask @ w) ** 1.5

    g = CooperativeGame(10, v, vectorized=True)
    g.shapley(method="sampled", samples=200, seed=0)
    # One call at construction (∅ and N), then one call for the whole batch of orders.
    assert len(calls) == 2
    assert sum(calls) <= 2**10  # no coalition is evaluated twice
    g.shapley()  # the exact method only asks for the coalitions not yet seen
    assert sum(calls) == 2**10
    masks = np.array([[True] * 10, [False] * 10, [True] + [False] * 9])
    np.testing.assert_allclose(g.values(masks), [55**1.5, 0.0, 1.0])


def test_scalar_callable_is_memoised():
    seen: list[frozenset] = []

    def v(S):
        seen.append(S)
        return len(S) ** 2

    g = CooperativeGame(4, v)
    g.shapley()
    g.banzhaf()
    g.shapley(method="sampled", samples=50, seed=1)
    assert len(seen) == len(set(seen)) == 16


def test_sampled_batches_evaluate_all_prefixes_in_one_call():
    calls: list[int] = []
    w = np.linspace(1, 3, 40)

    def v(mask):
        calls.append(mask.shape[0])
        return np.sqrt(mask @ w)

    g = CooperativeGame(40, v, vectorized=True)
    x = g.shapley(method="sampled", samples=100, seed=3)
    assert len(calls) == 2  # construction + one batch
    # every prefix of every order, stacked; repeated coalitions (small ones) only once
    assert 3000 < calls[1] <= 100 * 39
    assert x.details["samples"] == 100


def test_sampled_standard_errors_shrink_and_seed_reproducible():
    w = np.linspace(1, 2, 12)
    g = CooperativeGame(12, lambda m: (m @ w) ** 1.5, vectorized=True)
    a = g.shapley(method="sampled", samples=200, seed=7)
    b = g.shapley(method="sampled", samples=200, seed=7)
    np.testing.assert_array_equal(a.values, b.values)
    big = g.shapley(method="sampled", samples=3200, seed=8)
    ratio = big.standard_errors.mean() / a.standard_errors.mean()
    assert 0.15 < ratio < 0.4  # about 1/4 for 16 times the samples
    assert a.total == pytest.approx(g.grand_value)  # every order is efficient


def test_antithetic_pairs_are_exact_for_quadratic_games():
    # For v(S) = w(S)**2 a marginal contribution is w_i**2 + 2 w_i w(P); averaged with the
    # reversed order (predecessors N - P - i) it is the Shapley value itself.
    w = np.linspace(1, 2, 12)
    g = CooperativeGame(12, lambda m: (m @ w) ** 2, vectorized=True)
    x = g.shapley(method="sampled", samples=20, seed=7)
    np.testing.assert_allclose(x.values, w * w.sum(), rtol=1e-12)
    assert x.standard_errors.max() < 1e-9 * g.grand_value
    plain = g.shapley(method="sampled", samples=20, seed=7, variance_reduction=None)
    assert plain.standard_errors.max() > 1e-3


def test_target_standard_error_stops_early():
    w = np.linspace(1, 2, 30)
    g = CooperativeGame(30, lambda m: (m @ w) ** 1.5, vectorized=True)
    target = 0.01 * g.grand_value / 30
    x = g.shapley(
        method="sampled", samples=100_000, seed=1, target_standard_error=target, batch_size=64
    )
    assert x.standard_errors.max() <= target
    assert x.details["samples"] < 100_000


@pytest.mark.parametrize("scheme", ["antithetic", "stratified", None])
def test_sampled_schemes_agree_with_exact(scheme):
    w = np.array([1.0, 2, 3, 5, 8, 13])
    g = CooperativeGame(6, lambda m: (m @ w) ** 1.5, vectorized=True)
    exact = g.shapley().values
    x = g.shapley(method="sampled", samples=600, seed=11, variance_reduction=scheme)
    assert np.all(np.abs(x.values - exact) <= 4 * x.standard_errors + 1e-12)
    assert x.details["variance_reduction"] == scheme


def test_antithetic_reduces_variance_for_monotone_game():
    w = np.linspace(1, 4, 10)
    g = CooperativeGame(10, lambda m: (m @ w) ** 1.5, vectorized=True)
    plain = g.shapley(method="sampled", samples=2000, seed=5, variance_reduction=None)
    anti = g.shapley(method="sampled", samples=2000, seed=5, variance_reduction="antithetic")
    assert anti.standard_errors.mean() < plain.standard_errors.mean()


def test_weighted_voting_generating_functions_large_n():
    # 101 voters, one with weight 50, the rest weight 1, quota 76: beyond enumeration.
    weights = [50] + [1] * 100
    g = weighted_voting(76, weights)
    x = g.shapley()
    assert x.details["algorithm"] == "generating functions"
    assert sum(x.exact) == 1
    assert len(set(x.exact[1:])) == 1  # symmetric small voters
    b = g.banzhaf(normalized=True)
    assert sum(b.exact) == 1
    # the big voter is pivotal when 26..75 small voters precede it: 50 of 101 positions
    assert x.exact[0] == F(50, 101)


def test_exact_rational_shapley_for_fraction_worths():
    v = {frozenset({0}): F(1, 3), frozenset({1}): F(1, 7), frozenset({0, 1}): F(5, 2)}
    x = CooperativeGame(2, v).shapley()
    assert x.exact == (
        F(1, 3) + (F(5, 2) - F(1, 3) - F(1, 7)) / 2,
        F(1, 7) + (F(5, 2) - F(1, 3) - F(1, 7)) / 2,
    )
    assert CooperativeGame(2, {k: float(q) for k, q in v.items()}).shapley().exact is None


def test_grand_value_and_single_player():
    g = CooperativeGame(1, {frozenset({0}): 5})
    assert g.shapley()["P1"] == 5
    assert g.nucleolus()["P1"] == 5
    assert g.in_core([5])
    assert g.shapley(method="sampled", samples=10).values[0] == 5


# -- result values -----------------------------------------------------------------------------
def test_allocation_is_a_frozen_value_with_displays():
    x = glove(1, 2).shapley()
    assert isinstance(x, Allocation)
    with pytest.raises(AttributeError):
        x.method = "other"  # type: ignore[misc]
    with pytest.raises(ValueError):
        x.values[0] = 3.0
    assert repr(x) == "Allocation(shapley: L1=2/3, R1=1/6, R2=1/6)"
    assert r"\frac{2}{3}" in x._repr_latex_()
    assert "<table" in x._repr_html_()
    frame = x.to_frame()
    assert isinstance(frame, pd.DataFrame)
    assert list(frame.index) == ["L1", "R1", "R2"]
    assert frame["share"].sum() == pytest.approx(1.0)
    assert x.standard_errors is None
    assert x.to_dict()["L1"] == pytest.approx(2 / 3)
    with pytest.raises(KeyError, match="'Z'"):
        x["Z"]
    s = glove(1, 2).shapley(method="sampled", samples=100, seed=0)
    assert "±" in repr(s) and r"\pm" in s._repr_latex_()
    assert "standard_error" in s.to_frame().columns


def test_least_core_result_unpacks():
    lc = majority3().least_core()
    assert isinstance(lc, LeastCore)
    eps, x = lc
    assert eps == lc.epsilon and x is lc.allocation
    assert lc.core_is_empty
    assert "epsilon" in lc.to_frame().columns
    assert "varepsilon" in lc._repr_latex_()
    check = glove(1, 2).in_core([0.5, 0.3, 0.2])
    assert "L1, R2" in repr(check) and check.to_frame().loc[0, "in_core"] is np.False_


def test_game_to_frame_lists_coalitions():
    frame = glove(1, 1).to_frame()
    assert list(frame["coalition"]) == ["∅", "{L1}", "{R1}", "{L1, R1}"]
    assert list(frame["value"]) == [0, 0, 0, 1]


def test_brute_force_shapley_and_banzhaf_on_a_named_game():
    rng = np.random.default_rng(0)
    n = 5
    worth = {
        frozenset(S): int(rng.integers(0, 30))
        for k in range(1, n + 1)
        for S in itertools.combinations(range(n), k)
    }
    g = CooperativeGame(n, worth)
    v = dict(worth)
    v[frozenset()] = 0
    phi = [F(0)] * n
    for order in itertools.permutations(range(n)):
        before: set[int] = set()
        for i in order:
            phi[i] += F(v[frozenset(before | {i})] - v[frozenset(before)], math.factorial(n))
            before.add(i)
    assert g.shapley().exact == tuple(phi)
    beta = [
        F(
            sum(
                v[frozenset(S) | {i}] - v[frozenset(S)]
                for k in range(n)
                for S in itertools.combinations(set(range(n)) - {i}, k)
            ),
            2 ** (n - 1),
        )
        for i in range(n)
    ]
    assert g.banzhaf().exact == tuple(beta)


def test_pandas_series_and_frames_are_accepted():
    import pandas as pd

    from alliance.games.cooperative import CooperativeGame

    v = pd.Series({frozenset(): 0, frozenset({"A"}): 1, frozenset({"B"}): 2,
                   frozenset({"A", "B"}): 6})
    g = CooperativeGame(2, v, players=("A", "B"))
    assert g.shapley().values.tolist() == [2.5, 3.5]
    back = CooperativeGame(2, g.to_frame(), players=("A", "B"))
    assert back.table().tolist() == g.table().tolist()
    from alliance.errors import InvalidGameError

    with pytest.raises(InvalidGameError, match="coalition"):
        CooperativeGame(2, pd.DataFrame({"worth": [1]}))
