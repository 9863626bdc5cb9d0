"""Property tests of the cooperative-game solvers (hypothesis)."""

from __future__ import annotations

import itertools
from fractions import Fraction

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.optimize import linprog

from alliance.games.cooperative import (
    CooperativeGame,
    airport,
    bankruptcy,
    weighted_voting,
)
from alliance.games.cooperative.core import excesses

SETTINGS = settings(max_examples=25, deadline=None, derandomize=True)


def key(mask: int, n: int) -> frozenset[int]:
    return frozenset(i for i in range(n) if mask >> i & 1)


@st.composite
def int_games(draw, min_n: int = 2, max_n: int = 6):
    n = draw(st.integers(min_n, max_n))
    worths = draw(st.lists(st.integers(-5, 30), min_size=2**n - 1, max_size=2**n - 1))
    return n, {key(m, n): worths[m - 1] for m in range(1, 2**n)}


def table_of(n: int, v: dict) -> np.ndarray:
    return np.array([0.0] + [float(v[key(m, n)]) for m in range(1, 2**n)])


# -- Shapley axioms (exact fractions, so equalities are exact) -----------------------------------
@SETTINGS
@given(int_games())
def test_shapley_efficiency(game):
    n, v = game
    x = CooperativeGame(n, v).shapley()
    assert sum(x.exact) == v[frozenset(range(n))]
    assert abs(x.total - v[frozenset(range(n))]) < 1e-9


@SETTINGS
@given(int_games())
def test_shapley_symmetry(game):
    n, v = game
    swap = {0: 1, 1: 0}
    sym = {S: v[S] + v[frozenset(swap.get(i, i) for i in S)] for S in v}
    x = CooperativeGame(n, sym).shapley()
    assert x.exact[0] == x.exact[1]


@SETTINGS
@given(int_games(max_n=5))
def test_shapley_null_player(game):
    n, v = game
    extended = {}
    for m in range(1, 2 ** (n + 1)):
        S = key(m, n + 1)
        extended[S] = v.get(S - {n}, 0)
    x = CooperativeGame(n + 1, extended).shapley()
    assert x.exact[n] == 0
    assert x.exact[:n] == CooperativeGame(n, v).shapley().exact


@SETTINGS
@given(int_games(min_n=3, max_n=3), int_games(min_n=3, max_n=3))
def test_shapley_additivity(a, b):
    n, v = a
    _, w = b
    total = CooperativeGame(n, {S: v[S] + w[S] for S in v}).shapley().exact
    parts = zip(CooperativeGame(n, v).shapley().exact, CooperativeGame(n, w).shapley().exact)
    assert total == tuple(p + q for p, q in parts)


@SETTINGS
@given(int_games(max_n=5))
def test_float_and_exact_paths_agree(game):
    n, v = game
    exact = CooperativeGame(n, v).shapley()
    floats = CooperativeGame(n, {S: float(x) for S, x in v.items()}).shapley()
    assert floats.exact is None
    np.testing.assert_allclose(floats.values, [float(q) for q in exact.exact], atol=1e-9)
    b_exact = CooperativeGame(n, v).banzhaf()
    b_float = CooperativeGame(n, {S: float(x) for S, x in v.items()}).banzhaf()
    np.testing.assert_allclose(b_float.values, b_exact.values, atol=1e-9)


# -- sampling ------------------------------------------------------------------------------------
@settings(max_examples=8, deadline=None, derandomize=True)
@given(
    st.lists(st.floats(0.5, 10.0), min_size=10, max_size=10),
    st.sampled_from([0.5, 1.5, 2.5]),
    st.sampled_from(["antithetic", "stratified", None]),
    st.integers(0, 10_000),
)
def test_sampled_shapley_within_four_standard_errors_at_n10(weights, power, scheme, seed):
    w = np.array(weights)
    g = CooperativeGame(10, lambda m: (m @ w) ** power, vectorized=True)
    exact = g.shapley().values
    x = g.shapley(method="sampled", samples=1000, seed=seed, variance_reduction=scheme)
    assert np.all(np.abs(x.values - exact) <= 4 * x.standard_errors + 1e-9)


# -- airport and weighted voting -------------------------------------------------------------------
def littlechild_owen(costs: np.ndarray) -> np.ndarray:
    order = np.argsort(costs, kind="stable")
    c = np.concatenate([[0.0], costs[order]])
    n = len(costs)
    out = np.empty(n)
    out[order] = np.cumsum(np.diff(c) / (n - np.arange(n)))
    return out


@SETTINGS
@given(st.lists(st.floats(0.0, 100.0), min_size=1, max_size=9))
def test_airport_shapley_is_littlechild_owen(costs):
    c = np.array(costs)
    np.testing.assert_allclose(
        airport(costs).shapley().values, littlechild_owen(c), rtol=1e-9, atol=1e-9
    )


@SETTINGS
@given(st.lists(st.integers(0, 10), min_size=1, max_size=9))
def test_airport_integer_costs_exact(costs):
    x = airport(costs).shapley()
    assert x.exact is not None
    np.testing.assert_allclose(x.values, littlechild_owen(np.array(costs, float)), atol=1e-12)


@SETTINGS
@given(st.lists(st.integers(0, 12), min_size=1, max_size=8), st.data())
def test_weighted_voting_generating_functions_match_enumeration(weights, data):
    total = sum(weights)
    if total == 0:
        return
    quota = data.draw(st.integers(1, total))
    g = weighted_voting(quota, weights)
    w = np.array(weights, dtype=float)
    generic = CooperativeGame(len(w), lambda m: (m @ w >= quota) * 1.0, vectorized=True)
    np.testing.assert_allclose(g.shapley().values, generic.shapley().values, atol=1e-12)
    np.testing.assert_allclose(g.banzhaf().values, generic.banzhaf().values, atol=1e-12)
    assert g.shapley().details["algorithm"] == "generating functions"


# -- core, least core and nucleolus ----------------------------------------------------------------
def max_excess_over_imputations(n: int, table: np.ndarray) -> float:
    rows = np.array([[m >> i & 1 for i in range(n)] for m in range(1, 2**n - 1)], float)
    res = linprog(
        np.r_[np.zeros(n), 1.0],
        A_ub=np.hstack([-rows, -np.ones((len(rows), 1))]),
        b_ub=-table[1:-1],
        A_eq=np.r_[np.ones(n), 0.0][None, :],
        b_eq=[table[-1]],
        bounds=[(table[1 << i], None) for i in range(n)] + [(None, None)],
        method="highs",
    )
    return float(res.x[-1])


def imputations_exist(n: int, table: np.ndarray) -> bool:
    return sum(table[1 << i] for i in range(n)) <= table[-1]


@SETTINGS
@given(int_games(max_n=5))
def test_prenucleolus_lies_in_least_core(game):
    n, v = game
    g = CooperativeGame(n, v)
    eps, _ = g.least_core()
    x = g.nucleolus(imputations=False)
    assert abs(x.total - v[frozenset(range(n))]) < 1e-7
    assert excesses(g, x).max() <= eps + 1e-7


@SETTINGS
@given(int_games(max_n=5))
def test_nucleolus_minimises_max_excess_and_is_in_core_when_nonempty(game):
    n, v = game
    table = table_of(n, v)
    if not imputations_exist(n, table):
        return
    g = CooperativeGame(n, v)
    x = g.nucleolus()
    assert np.all(x.values >= table[1 << np.arange(n)] - 1e-7)  # an imputation
    assert abs(excesses(g, x).max() - max_excess_over_imputations(n, table)) < 1e-7
    eps, _ = g.least_core()
    if eps <= 1e-9:  # core non-empty: the nucleolus lies in it, hence in the least core
        assert g.in_core(x, tol=1e-7)
        assert excesses(g, x).max() <= eps + 1e-7
    pre = g.nucleolus(imputations=False)
    if np.all(pre.values >= table[1 << np.arange(n)] - 1e-9):
        np.testing.assert_allclose(x.values, pre.values, atol=1e-6)


def naive_nucleolus(n: int, table: np.ndarray) -> np.ndarray:
    """Textbook sequential LPs: fix a coalition once no optimum can lower its excess."""
    rows = {m: np.array([m >> i & 1 for i in range(n)], float) for m in range(1, 2**n - 1)}
    bounds = [(table[1 << i], None) for i in range(n)] + [(None, None)]
    fixed: dict[int, float] = {}
    free = set(rows)
    x = None
    while free:
        eq_rows = [np.r_[np.ones(n), 0.0]] + [np.r_[rows[m], 0.0] for m in fixed]
        eq_vals = [table[-1]] + [table[m] - e for m, e in fixed.items()]
        a_ub = [np.r_[-rows[m], -1.0] for m in free]
        b_ub = [-table[m] for m in free]
        res = linprog(
            np.r_[np.zeros(n), 1.0],
            A_ub=a_ub,
            b_ub=b_ub,
            A_eq=eq_rows,
            b_eq=eq_vals,
            bounds=bounds,
            method="highs",
        )
        t = res.x[-1]
        x = res.x[:n]
        newly = []
        for m in sorted(free):  # can coalition m's excess go below t at an optimum?
            c = np.r_[rows[m], 0.0]  # maximise x(S), i.e. minimise the excess
            r = linprog(
                -c,
                A_ub=a_ub,
                b_ub=b_ub,
                A_eq=eq_rows,
                b_eq=eq_vals,
                bounds=bounds[:n] + [(t, t)],
                method="highs",
            )
            if table[m] - r.x[:n] @ rows[m] >= t - 1e-8:
                newly.append(m)
        for m in newly:
            fixed[m] = t
            free.discard(m)
    return x


@settings(max_examples=15, deadline=None, derandomize=True)
@given(int_games(min_n=2, max_n=4))
def test_nucleolus_matches_textbook_sequential_lps(game):
    n, v = game
    table = table_of(n, v)
    if not imputations_exist(n, table):
        return
    ours = CooperativeGame(n, v).nucleolus().values
    np.testing.assert_allclose(ours, naive_nucleolus(n, table), atol=1e-6)


@SETTINGS
@given(int_games(min_n=3, max_n=5), st.integers(0, 2**31))
def test_nucleolus_is_lexicographically_minimal(game, seed):
    n, v = game
    table = table_of(n, v)
    if not imputations_exist(n, table):
        return
    g = CooperativeGame(n, v)
    x = g.nucleolus().values
    best = np.sort(excesses(g, x))[::-1]
    rng = np.random.default_rng(seed)
    singles = table[1 << np.arange(n)]
    for scale in (1e-3, 1e-1, 1.0):
        step = rng.normal(size=(20, n)) * scale
        step -= step.mean(axis=1, keepdims=True)  # stay efficient
        for y in x + step:
            if np.any(y < singles):
                continue
            other = np.sort(excesses(g, y))[::-1]
            diff = other - best
            first = np.flatnonzero(np.abs(diff) > 1e-9)
            assert first.size == 0 or diff[first[0]] > 0


def talmud_rule(estate: float, claims: np.ndarray) -> np.ndarray:
    half = claims / 2

    def constrained(amount: float, caps: np.ndarray) -> np.ndarray:
        lo, hi = 0.0, caps.max()
        for _ in range(200):
            mid = (lo + hi) / 2
            lo, hi = (mid, hi) if np.minimum(caps, mid).sum() < amount else (lo, mid)
        return np.minimum(caps, hi)

    if estate <= claims.sum() / 2:
        return constrained(estate, half)
    return claims - constrained(claims.sum() - estate, half)


@SETTINGS
@given(st.lists(st.integers(1, 100), min_size=2, max_size=5), st.floats(0.0, 1.0))
def test_bankruptcy_nucleolus_is_talmud_rule(claims, share):
    d = np.array(claims, float)
    estate = round(share * d.sum(), 3)
    x = bankruptcy(estate, claims).nucleolus().values
    np.testing.assert_allclose(x, talmud_rule(estate, d), atol=1e-6)


@SETTINGS
@given(st.integers(2, 6), st.data())
def test_convex_games_have_shapley_in_core(n, data):
    # Sums of unanimity games with non-negative coefficients are convex.
    coefs = data.draw(st.lists(st.integers(0, 5), min_size=2**n - 1, max_size=2**n - 1))
    v = {}
    for m in range(1, 2**n):
        v[key(m, n)] = sum(c for t, c in enumerate(coefs, start=1) if t & m == t)
    g = CooperativeGame(n, v)
    assert g.is_convex()
    assert g.in_core(g.shapley(), tol=1e-9)
    assert not g.core_is_empty()


@SETTINGS
@given(int_games(max_n=5), st.lists(st.floats(-5, 20), min_size=5, max_size=5))
def test_in_core_agrees_with_brute_force(game, payoff):
    n, v = game
    x = np.array(payoff[:n])
    x[-1] = v[frozenset(range(n))] - x[:-1].sum()  # efficient
    g = CooperativeGame(n, v)
    check = g.in_core(x)
    worst = max(
        (v[frozenset(S)] - x[list(S)].sum(), S)
        for k in range(1, n)
        for S in itertools.combinations(range(n), k)
    )
    assert bool(check) == (worst[0] <= 1e-9)
    if not check:
        assert abs(check.excess - worst[0]) < 1e-9
        names = set(check.most_violated)
        excess_named = v[frozenset(g.players.index(p) for p in names)] - sum(
            x[g.players.index(p)] for p in names
        )
        assert abs(excess_named - worst[0]) < 1e-9


def test_fraction_type_is_preserved_in_exact_values():
    v = {key(m, 3): Fraction(m, 7) for m in range(1, 8)}
    assert all(isinstance(q, Fraction) for q in CooperativeGame(3, v).shapley().exact)
