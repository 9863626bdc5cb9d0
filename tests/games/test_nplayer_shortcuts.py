"""The exact shortcuts of n-player support enumeration against the reference route.

``support_enumeration(..., shortcuts=True)`` (the default) decides supports by closed forms
(exact Gauss-Jordan elimination for at most two mixers, the (2, 2, 2) closed form, the
integer eliminations of binary mixers in ``binary_exact``, a float screen with a proven margin,
int64 regret checks); ``shortcuts=False`` runs every support
through the reference steps (Gröbner bases, Fraction regrets). The two must return the same
list (same exact equilibria, same representative points of continua, same order) and the
same warnings, on degenerate integer games above all (small payoff ranges: many ties).
"""

from __future__ import annotations

import warnings
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import alliance as al
import alliance.games.solvers.support_nplayer as sn
from alliance.games.solvers.support_nplayer import (
    DegenerateGameWarning,
    exact_payoffs_at,
    support_enumeration,
)


def run(P, exact, shortcuts):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        found = support_enumeration(P.astype(float), exact_payoffs=exact, shortcuts=shortcuts)
    messages = sorted(str(w.message) for w in caught if issubclass(w.category, DegenerateGameWarning))
    return found, messages


def fractions(P):
    return np.vectorize(Fraction, otypes=[object])(P)


def assert_same(P, exact):
    fast, fast_warnings = run(P, exact, True)
    reference, reference_warnings = run(P, exact, False)
    # the same equilibria in the same order, exact entries equal; an irrational equilibrium
    # (floats) is found by different root finders, so it agrees to rounding only
    assert len(fast) == len(reference)
    for p, q in zip(fast, reference):
        assert [type(v) for s in p for v in s] == [type(v) for s in q for v in s]
        for x, y in zip((v for s in p for v in s), (v for s in q for v in s)):
            if isinstance(x, Fraction):
                assert x == y
            else:
                assert abs(x - y) <= 1e-10
    assert fast_warnings == reference_warnings
    return fast


def assert_verified(P, found):
    game = al.NormalFormGame.from_array(P)
    for profile in found:
        if all(isinstance(v, Fraction) for s in profile for v in s):
            assert max(game.regret([list(s) for s in profile], exact=True)) == 0
        else:
            assert float(np.max(game.regret([list(s) for s in profile]))) <= 1e-9


@pytest.mark.parametrize("shape", [(2, 2, 2, 2), (3, 3, 2), (2, 3, 3)])
@settings(max_examples=12, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), high=st.sampled_from([2, 3, 4, 10]))
def test_shortcuts_return_the_reference_list_on_random_integer_games(shape, seed, high):
    """Integer payoffs 0..high-1: with high = 2 or 3 most supports are degenerate."""
    P = np.random.default_rng(seed).integers(0, high, size=shape + (len(shape),))
    found = assert_same(P, fractions(P))
    assert_verified(P, found)


@settings(max_examples=25, deadline=None)
@given(st.lists(st.integers(-1, 1), min_size=24, max_size=24))
def test_shortcuts_on_three_binary_players_with_many_ties(values):
    """Payoffs in {-1, 0, 1}: the (2, 2, 2) closed form meets common roots, vanishing
    denominators and continua."""
    P = np.array(values).reshape(2, 2, 2, 3)
    found = assert_same(P, fractions(P))
    assert_verified(P, found)


@pytest.mark.parametrize("seed", [0, 1, 2])
@pytest.mark.parametrize("shape", [(2, 2, 2, 2), (3, 3, 2)])
def test_shortcuts_on_the_benchmark_games(shape, seed):
    P = np.random.default_rng(seed).integers(0, 10, size=shape + (len(shape),))
    found = assert_same(P, fractions(P))
    assert_verified(P, found)
    assert sum(all(isinstance(v, Fraction) for s in p for v in s) for p in found) >= 1


def test_shortcuts_on_rational_and_float_games():
    rng = np.random.default_rng(5)
    for shape in [(2, 2, 2, 2), (3, 3, 2), (2, 2, 3)]:
        halves = rng.integers(-3, 4, size=shape + (len(shape),))
        exact = np.vectorize(lambda v: Fraction(int(v), 2), otypes=[object])(halves)
        assert_same(halves / 2.0, exact)
        assert_same(rng.normal(size=shape + (len(shape),)), None)


def test_closed_forms_are_exercised(monkeypatch):
    """The comparisons above are not vacuous: the (2, 2, 2) closed form and the exact linear
    route both decide supports (returning equilibria) on these games."""
    calls = {"triple": 0, "triple found": 0, "linear": 0, "linear found": 0}
    triple, linear = sn._SupportSolver._solve_binary_triple, sn._SupportSolver._solve_linear_system

    def spy_triple(self, *args):
        out = triple(self, *args)
        calls["triple"] += out is not None
        calls["triple found"] += bool(out)
        return out

    def spy_linear(self, *args):
        out = linear(self, *args)
        calls["linear"] += 1
        calls["linear found"] += bool(out)
        return out

    monkeypatch.setattr(sn._SupportSolver, "_solve_binary_triple", spy_triple)
    monkeypatch.setattr(sn._SupportSolver, "_solve_linear_system", spy_linear)
    rng = np.random.default_rng(11)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DegenerateGameWarning)
        for _ in range(30):
            P = rng.integers(0, 3, size=(2, 2, 2, 3))
            support_enumeration(P.astype(float), exact_payoffs=fractions(P))
    assert calls["triple found"] >= 1 and calls["linear found"] >= 1, calls


def test_integer_regret_check_agrees_with_fractions():
    rng = np.random.default_rng(3)
    P = rng.integers(-5, 6, size=(3, 2, 2, 3))
    game = al.NormalFormGame.from_array(P)
    table = P.astype(np.int64)
    verdicts = set()
    for _ in range(200):
        prof = []
        for k in (3, 2, 2):
            weights = rng.integers(0, 4, size=k)
            weights[rng.integers(k)] += 1
            prof.append([Fraction(int(w), int(weights.sum())) for w in weights])
        fast = sn._integer_regret_free(table, prof)
        assert fast == (max(game.regret(prof, exact=True)) == 0)
        verdicts.add(fast)
    # pure profiles include equilibria, so both verdicts occur
    for idx in np.ndindex(3, 2, 2):
        prof = [[Fraction(int(j == i)) for j in range(k)] for i, k in zip(idx, (3, 2, 2))]
        fast = sn._integer_regret_free(table, prof)
        assert fast == (max(game.regret(prof, exact=True)) == 0)
        verdicts.add(fast)
    assert verdicts == {True, False}


def test_integer_check_declines_when_int64_could_overflow():
    table = np.full((2, 2, 2), 2**40, dtype=np.int64)
    prof = [[Fraction(1, 2**12), Fraction(2**12 - 1, 2**12)]] * 2
    assert sn._integer_regret_free(table, prof) is None  # 2**40 * 2**24 >= 2**62
    assert sn._integer_table(np.array([[Fraction(1, 3**20)]], dtype=object)) is None
    # with Python integers the verdict is exact at any size: agree with Fractions
    rng = np.random.default_rng(4)
    P = rng.integers(-2**40, 2**40, size=(2, 2, 3, 3), dtype=np.int64)
    game = al.NormalFormGame.from_array(P)
    for _ in range(20):
        prof = [[Fraction(int(w), 4099) for w in (a, 4099 - a)]  # 4099 is prime
                for a in rng.integers(1, 4099, size=2)]
        prof.append([Fraction(1), Fraction(0), Fraction(0)])
        assert sn._integer_regret_free(P, prof) is None
        assert sn._integer_regret_free(P, prof, big=True) == (max(game.regret(prof, exact=True)) == 0)
    equal = np.full((2, 2, 2), 2**40, dtype=np.int64)
    assert sn._integer_regret_free(equal, [[Fraction(1, 2**12), Fraction(2**12 - 1, 2**12)]] * 2,
                                   big=True)


def test_exact_payoffs_match_expected_payoffs():
    rng = np.random.default_rng(8)
    P = rng.integers(-4, 5, size=(2, 3, 2, 3))
    exact = np.vectorize(lambda v: Fraction(int(v), 3), otypes=[object])(P)
    game = al.NormalFormGame.from_array(exact)
    profiles = []
    for _ in range(20):
        prof = []
        for k in (2, 3, 2):
            weights = rng.integers(1, 5, size=k)
            prof.append([Fraction(int(w), int(weights.sum())) for w in weights])
        profiles.append(prof)
    fast = exact_payoffs_at(exact, profiles)
    assert fast == [tuple(game.expected_payoffs(p)) for p in profiles]
    # payoffs too large for int64 take the Fraction route and agree as well
    big = exact * 2**61
    huge = al.NormalFormGame.from_array(big)
    assert exact_payoffs_at(big, profiles[:3]) == [tuple(huge.expected_payoffs(p)) for p in profiles[:3]]
    # integer payoffs near 2**30 with denominators whose product passes 2**62: the Python
    # integers of the support sums are exact at any size, zeros in the profile included
    large = rng.integers(-2**30, 2**30, size=(2, 3, 2, 3)).astype(object)
    wide = al.NormalFormGame.from_array(large)
    primes = [Fraction(1, 4099 * 4111), Fraction(0), Fraction(1, 4127 * 4129)]
    odd = [[primes[0], 1 - primes[0]], [primes[2], Fraction(0), 1 - primes[2]],
           [Fraction(1, 3), Fraction(2, 3)]]
    assert exact_payoffs_at(large, [odd] + profiles[:3]) == [
        tuple(wide.expected_payoffs(p)) for p in [odd] + profiles[:3]]


@pytest.mark.filterwarnings("ignore::alliance.games.solvers.support_nplayer.DegenerateGameWarning")
def test_game_equilibria_carry_exact_payoffs():
    P = np.random.default_rng(1).integers(0, 10, size=(2, 2, 2, 2, 4))
    game = al.NormalFormGame.from_array(P)
    for eq in game.equilibria():
        if eq.exact:
            assert tuple(eq.payoffs) == tuple(game.expected_payoffs(eq))


def test_exact_linear_solve_detects_inconsistency():
    """The Gauss-Jordan step of the two-mixer shortcut (``extensive.linear.solve_linear``):
    an inconsistent system, and one with unknown 1 pivotal (= 2) and unknown 0 free."""
    F = Fraction
    assert sn.solve_linear([[F(1), F(1)], [F(2), F(2)]], [F(1), F(3)]) is None
    base, null = sn.solve_linear([[F(0), F(2)], [F(0), F(1)]], [F(4), F(2)])
    assert base == [F(0), F(2)] and null == [[F(1), F(0)]]


@settings(max_examples=40, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), shape=st.sampled_from([(2, 2, 2, 2), (3, 3, 2), (3, 2, 2)]),
       big=st.booleans())
def test_sparse_regret_check_agrees_with_the_array_check(seed, shape, big):
    """``sparse_regret_free`` (the default route's exact check) gives the verdict of the
    int64/Python-integer contraction and of Fractions, on profiles with few mixers, with zeros,
    and with payoffs too big for int64 sums."""
    rng = np.random.default_rng(seed)
    high = 2**40 if big else 4
    P = rng.integers(-high, high, size=shape + (len(shape),), dtype=np.int64)
    prof = []
    for k in shape:
        weights = rng.integers(0, 3, size=k) * rng.integers(0, 2, size=k)
        weights[rng.integers(k)] += 1
        q = int(weights.sum()) * (4099 if big else 1)
        prof.append([Fraction(int(w) * (q // int(weights.sum())), q) for w in weights])
    fast = sn.sparse_regret_free(P.ravel().tolist(), shape, prof)
    assert fast == sn._integer_regret_free(P, prof, big=True)
    if not big:
        game = al.NormalFormGame.from_array(P)
        assert fast == (max(game.regret(prof, exact=True)) == 0)


def test_sparse_regret_check_is_the_default_route(monkeypatch):
    """The default route decides exact candidates by ``sparse_regret_free`` (returning
    equilibria), the reference route never calls it."""
    calls = {"shortcuts": 0, "equilibria": 0, "reference": 0}
    original = sn.sparse_regret_free
    route = {"name": "shortcuts"}

    def spy(*args):
        out = original(*args)
        calls[route["name"]] += 1
        calls["equilibria"] += out and route["name"] == "shortcuts"
        return out

    monkeypatch.setattr(sn, "sparse_regret_free", spy)
    P = np.random.default_rng(2).integers(0, 10, size=(2, 2, 2, 2, 4))
    run(P, fractions(P), True)
    route["name"] = "reference"
    run(P, fractions(P), False)
    assert calls["shortcuts"] >= 3 and calls["equilibria"] >= 3 and calls["reference"] == 0, calls


def brute_force_pruned(P, tol, subsets):
    """Porter-Nudelman-Shoham pruning straight from its definition, combination by combination."""
    import itertools

    n = P.shape[-1]
    out = np.zeros(tuple(len(s) for s in subsets), dtype=bool)
    for index in np.ndindex(out.shape):
        support = [subsets[i][a] for i, a in enumerate(index)]
        for i in range(n):
            boxes = list(itertools.product(*(support[j] for j in range(n) if j != i)))

            def pay(s, o, i=i):
                cell = list(o)
                cell.insert(i, s)
                return P[tuple(cell) + (i,)]

            if any(all(pay(t, o) > pay(s, o) + tol for o in boxes)
                   for s in support[i] for t in range(P.shape[i])):
                out[index] = True
    return out


@pytest.mark.parametrize("kron", [True, False])
@settings(max_examples=8, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), shape=st.sampled_from([(2, 2, 2, 2), (3, 3, 2), (2, 3)]),
       high=st.sampled_from([2, 10]))
def test_pruning_matches_its_definition(kron, seed, shape, high):
    """Both contractions of ``conditionally_dominated_supports`` (one product with the
    opponents' Kronecker indicator, or axis by axis) prune exactly the supports the
    definition prunes."""
    P = np.random.default_rng(seed).integers(0, high, size=shape + (len(shape),)).astype(float)
    subsets = sn._subsets(shape)
    with pytest.MonkeyPatch.context() as patch:
        if not kron:
            patch.setattr(sn, "_box_indicator", lambda *args: None)
        found = sn.conditionally_dominated_supports(P, 1e-9, subsets)
    assert np.array_equal(found, brute_force_pruned(P, 1e-9, subsets))


def test_real_candidate_matches_the_numpy_tests():
    """``_real_candidate`` rejects exactly what ``np.max(np.abs(x.imag)) > 1e-7`` or
    ``np.min(x.real) < -tol`` rejects, NaN entries included, and keeps the same real parts."""
    rng = np.random.default_rng(5)
    pool = [0.0, 0.3, 1.0, -1e-10, -0.2, 1e-8, 2e-7, np.nan]
    for _ in range(300):
        blocks = [np.array([complex(rng.choice(pool), rng.choice(pool)) for _ in range(k)])
                  for k in rng.integers(2, 4, size=rng.integers(1, 4))]
        rejected = any(np.max(np.abs(x.imag)) > 1e-7 for x in blocks) or any(
            np.min(x.real) < -1e-9 for x in blocks)
        found = sn._real_candidate(blocks, 1e-9)
        assert (found is None) == rejected
        if found is not None:
            assert all(np.array_equal(np.array(f), x.real, equal_nan=True) for f, x in zip(found, blocks))


# Games on which random runs of the tests above once found the two routes apart: each a
# degenerate case that a float threshold of the reference route decided differently from
# the exact algebra of the fast one (the fixes are named in each case).
REGRESSIONS = {
    # (2, 2, 2) support whose quadratic has a double root where a denominator vanishes: the
    # float closed form flags it singular as the exact one does (the pole test), instead
    # of reporting the rounding of a root np.roots split sqrt(eps) apart
    "pole at a double root": [[[[0, 0, 0], [0, 0, 1]], [[0, 0, 0], [-1, 0, 0]]],
                              [[[0, 1, 0], [1, -1, 0]], [[-1, 0, 0], [1, 1, 0]]]],
    # (2, 3, 2) support with an irrational boundary root: its rounding has zero regret (a
    # point of a smaller support's continuum, hit or not by the last digits) but solves no
    # indifference equation, so neither route accepts it (_solves_support)
    "rounding on a continuum": np.random.default_rng(3102777).integers(0, 3, size=(2, 3, 3, 3)).tolist(),
    # (3, 2, 2) support whose quadratic has a double root in the box: flagged singular by
    # the float elimination as by the exact closed form (exact algebra gives 3/7, 3/7, 1/7)
    "double root": [[[[1, 0, 1], [3, 0, 0]], [[1, 1, 2], [1, 2, 3]]],
                    [[[2, 3, 3], [0, 0, 0]], [[1, 1, 1], [2, 0, 3]]],
                    [[[1, 2, 1], [2, 1, 2]], [[2, 2, 1], [0, 1, 3]]]],
    # (2, 3, 3) support with a regular solution of size 3e4: badly scaled, not singular;
    # the elimination's polish drops it instead of flagging the support singular
    "far regular solution": [
        [[[1, 6, -9], [8, 3, -9], [1, -3, -4]], [[4, -1, 3], [8, 6, 6], [-9, -9, 5]],
         [[-1, -8, 6], [7, -2, -2], [3, 5, -7]]],
        [[[6, 9, 4], [1, -1, 7], [-2, 9, -2]], [[4, -8, 9], [-4, 3, -4], [-7, 2, 5]],
         [[6, -9, 7], [5, -8, -5], [-9, -1, 5]]]],
    # five binary players: a far elimination candidate that Newton brought within the merge
    # radius of a solution but short of full accuracy (regret 4e-9 > tol) was kept instead of
    # the accurate candidate of the same solution, and the reference route lost the
    # equilibrium; the polish now keeps the most accurate of such a pair
    "merged inaccurate candidate": np.random.default_rng(257).integers(
        0, 10, size=(2, 2, 2, 2, 2, 5)).tolist(),
    # five binary players, payoffs 0..2: an exact boundary equilibrium at a multiple root of
    # the elimination, approximated to 1e-8 by one candidate on one route and two on the
    # other (both within tol); a polished candidate with a condition number above 1e7 now
    # flags the support singular, and exact algebra returns the one exact point
    "multiple root": np.random.default_rng(1727).integers(0, 3, size=(2, 2, 2, 2, 2, 5)).tolist(),
}


def regression_solver(name, shortcuts=True):
    """A regression game's payoffs and its exact support solver."""
    P = np.array(REGRESSIONS[name])
    return P, sn._SupportSolver(P.astype(float), fractions(P), 1e-9, True, shortcuts)


@pytest.mark.parametrize("name", list(REGRESSIONS))
def test_shortcuts_on_games_that_once_split_the_routes(name):
    P = np.array(REGRESSIONS[name])
    found = assert_same(P, fractions(P))
    assert_verified(P, found)


def test_float_triple_flags_a_root_at_a_pole():
    """The game's (2, 2, 2) support: x1 = num1 / den1 is undefined at the double root of the
    quadratic; both closed forms flag it singular."""
    from alliance.games.solvers.binary_exact import solve_binary_triples_exact
    from alliance.games.solvers.homotopy import solve_binary_triples

    P, solver = regression_solver("pole at a double root")
    support = ((0, 1), (0, 1), (0, 1))
    exact = solve_binary_triples_exact([solver.differences(support, (0, 1, 2), solver.integers)])[0]
    numeric = solve_binary_triples([solver.differences(support, (0, 1, 2))])[0]
    assert exact.singular and numeric.singular


@pytest.mark.filterwarnings("ignore::alliance.games.solvers.support_nplayer.DegenerateGameWarning")
def test_elimination_flags_a_double_root_of_three_two_two():
    from alliance.games.solvers.elimination import solve_by_elimination

    P, solver = regression_solver("double root")
    support = ((0, 1, 2), (0, 1), (0, 1))
    assert solve_by_elimination((3, 2, 2), [solver.differences(support, (0, 1, 2))])[0].singular
    # exact algebra on the support: the one solution, rational
    assert solver.solve(support) == [[[Fraction(3, 7), Fraction(3, 7), Fraction(1, 7)],
                                      [Fraction(1, 2), Fraction(1, 2)],
                                      [Fraction(2, 3), Fraction(1, 3)]]]


def test_elimination_drops_a_far_regular_solution():
    from alliance.games.solvers.binary_exact import solve_hidden_binary_exact
    from alliance.games.solvers.elimination import solve_by_elimination

    P, solver = regression_solver("far regular solution")
    support = ((0, 1), (0, 1, 2), (0, 1, 2))
    exact = solve_hidden_binary_exact((2, 3, 3), [solver.differences(support, (0, 1, 2), solver.integers)])[0]
    numeric = solve_by_elimination((2, 3, 3), [solver.differences(support, (0, 1, 2))])[0]
    # the exact route certifies two regular solutions, one with entries of size 3e4
    assert not exact.singular and max(abs(v) for s in exact.solutions for b in s for v in b) > 1e4
    assert not numeric.singular and len(numeric.solutions) == 1


@pytest.mark.filterwarnings("ignore::alliance.games.solvers.support_nplayer.DegenerateGameWarning")
def test_rounding_that_solves_no_indifference_is_not_accepted():
    """An exact-regret-free rounding with a zero on its support is accepted only if it
    solves the support's indifference equations."""
    P, solver = regression_solver("rounding on a continuum")
    support = ((0, 1), (0, 1, 2), (1, 2))
    accident = [[Fraction(564719, 978122), Fraction(413403, 978122)], [0, 1, 0],
                [0, Fraction(413403, 564719), Fraction(151316, 564719)]]
    accident = [[Fraction(v) for v in s] for s in accident]
    assert solver._check(support, accident, exact=True) is not None  # zero regret
    assert not solver._solves_support(support, accident)
    found = support_enumeration(P.astype(float), exact_payoffs=fractions(P))
    assert accident not in found


def test_polish_keeps_the_most_accurate_of_merged_candidates():
    from alliance.games.solvers.elimination import solve_by_elimination

    P, solver = regression_solver("merged inaccurate candidate", shortcuts=False)
    support, mixers = ((0, 1), (0, 1), (1,), (0, 1), (0, 1)), (0, 1, 3, 4)
    [outcome] = solve_by_elimination((2, 2, 2, 2), [solver.differences(support, mixers)])
    inside = [s for s in outcome.solutions if min(np.concatenate(s).real) >= 0]
    assert len(inside) == 1
    profile = solver._embed(support, mixers, [b.real for b in inside[0]], 0.0)
    game = al.NormalFormGame.from_array(P)
    assert float(np.max(game.regret([list(x) for x in profile]))) <= 1e-13


@pytest.mark.filterwarnings("ignore::alliance.games.solvers.support_nplayer.DegenerateGameWarning")
def test_elimination_flags_an_ill_conditioned_multiple_root():
    from alliance.games.solvers.elimination import solve_by_elimination

    P, solver = regression_solver("multiple root", shortcuts=False)
    support, mixers = ((0, 1), (0, 1), (0, 1), (1,), (0, 1)), (0, 1, 2, 4)
    assert solve_by_elimination((2, 2, 2, 2), [solver.differences(support, mixers)])[0].singular
    half = [Fraction(1, 2), Fraction(1, 2)]
    exact = [[Fraction(1), Fraction(0)], half, [Fraction(1), Fraction(0)], [Fraction(0), Fraction(1)], half]
    assert solver.solve(support) == [exact]
    assert exact in support_enumeration(P.astype(float), exact_payoffs=fractions(P))
