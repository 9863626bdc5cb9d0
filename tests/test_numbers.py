"""alliance.numbers: conversion, checks, seeds, formatting and work estimates."""

from __future__ import annotations

import math
from fractions import Fraction

import numpy as np
import pytest
import sympy as sp
from hypothesis import given
from hypothesis import strategies as st

from alliance import numbers as nb
from alliance.errors import ParameterError, SizeLimitError

finite = st.floats(allow_nan=False, allow_infinity=False, min_value=-1e300, max_value=1e300)


@given(finite)
def test_as_exact_reads_the_shortest_repr(x):
    exact = nb.as_exact(x)
    assert float(exact) == x
    assert exact == Fraction(repr(x)) or isinstance(exact, int)


@given(st.fractions(max_denominator=10**6), finite)
def test_to_sympy_is_exact_for_rationals_and_floats(f, x):
    assert nb.to_sympy(f) == sp.Rational(f.numerator, f.denominator)
    assert nb.to_sympy(x) == sp.Rational(*nb.as_exact(x).as_integer_ratio())
    assert float(nb.to_sympy(x, exact=False)) == x


@pytest.mark.parametrize("bad", [math.inf, -math.inf, math.nan, 10**400, Fraction(10**301)])
def test_non_finite_or_huge_values_are_refused(bad):
    with pytest.raises(ParameterError, match="payoff"):
        nb.as_exact(bad, "payoff")
    with pytest.raises(ParameterError, match="payoff"):
        nb.check_finite(bad, "payoff")


@pytest.mark.parametrize("bad", ["0.5", None, True, [0.5]])
def test_check_range_needs_a_number(bad):
    with pytest.raises(ParameterError, match="rho"):
        nb.check_range(bad, "rho", 0, 1)


@given(st.floats(allow_nan=True, allow_infinity=True))
def test_check_probability_agrees_with_the_interval(x):
    inside = 0 <= x <= 1
    if inside:
        assert nb.check_probability(x, "p") == x
    else:
        with pytest.raises(ParameterError, match=r"p is .*(\[0, 1\]|finite)"):
            nb.check_probability(x, "p")


def test_open_bounds_and_arrays():
    with pytest.raises(ParameterError, match=r"\[0, 1\)"):
        nb.check_probability(1.0, "rho", hi_open=True)
    assert nb.check_probability([0, 0.5, 1], "pd").tolist() == [0, 0.5, 1]
    with pytest.raises(ParameterError, match=r"pd has a non-finite entry \(nan at position 2\)"):
        nb.check_probability([0, 0.5, math.nan], "pd")
    with pytest.raises(ParameterError, match=r"be above 0"):
        nb.check_range(0, "amount", lo=0, lo_open=True)


def test_evaluate_wraps_overflow():
    r = sp.Symbol("r")
    assert nb.evaluate(r**2, {"r": 3}) == 9.0
    with pytest.raises(ParameterError, match="must be finite"):
        nb.evaluate(sp.exp(r), {r: 1000})
    with pytest.raises(ParameterError, match="still depends on r"):
        nb.evaluate(r, {})


def test_pole_conditions_find_every_symbolic_denominator():
    r, c = sp.symbols("r c", real=True)
    found = nb.pole_conditions([1 / (r - 1), c / (r * c + 1), r**-2, sp.Integer(3) / 4])
    assert set(found) == {sp.Ne(r - 1, 0), sp.Ne(r * c + 1, 0), sp.Ne(r, 0)}


# ------------------------------------------------------------------ seeds
@pytest.mark.parametrize("bad", ["abc", -1, 1.5, True, [1], np.float64(2.0), object()])
def test_bad_seeds(bad):
    for convert in (nb.as_seed_sequence, nb.as_generator, nb.as_seed):
        with pytest.raises(ParameterError, match="seed is"):
            convert(bad)


def test_seeds_reproduce_and_integer_streams_do_not_change():
    assert nb.as_generator(4).random() == np.random.default_rng(4).random()
    gen = np.random.default_rng(9)
    assert nb.as_generator(gen) is gen
    # an integer seed's streams are those written before this module existed
    assert nb.child_seed(5, 11).generate_state(2).tolist() == (
        np.random.SeedSequence([5, 11]).generate_state(2).tolist()
    )
    ss = np.random.SeedSequence(3)
    assert nb.child_seed(ss, 1).generate_state(2).tolist() == (
        nb.child_seed(np.random.SeedSequence(3), 1).generate_state(2).tolist()
    )
    assert nb.as_seed(np.random.default_rng(1)) == nb.as_seed(np.random.default_rng(1))
    assert nb.as_seed(np.int64(7)) == 7 and isinstance(nb.as_seed(np.int64(7)), int)


# ------------------------------------------------------------------ formatting
@pytest.mark.parametrize(
    ("value", "text"),
    [
        (Fraction(2, 4), "1/2"),
        (Fraction(6, 3), "2"),
        (3.0, "3"),
        (0.1 + 0.2, "0.3"),
        (np.int64(5), "5"),
        (10**30, "1e+30"),
        (-(10**400), "-1e+400"),
        (math.nan, "nan"),
        ("x", "x"),
    ],
)
def test_format_number(value, text):
    assert nb.format_number(value) == text


def test_results_share_the_formatter():
    from alliance.games.results import format_number, latex_number

    assert format_number is nb.format_number and latex_number is nb.latex_number


# ------------------------------------------------------------------ work estimates
def test_vertex_estimate_grows_with_the_game_and_respects_the_bound():
    sizes = [nb.estimate_vertex_enumeration(n, n) for n in (2, 4, 8, 16, 64)]
    assert all(a.memory_bytes <= b.memory_bytes for a, b in zip(sizes, sizes[1:]))
    assert all(a.operations <= b.operations for a, b in zip(sizes, sizes[1:]))
    # McMullen's bound: n vertices for a polygon with n edges, 2n - 4 in 3-D, n(n - 3)/2 in 4-D
    assert nb._upper_bound_vertices(2, 4) == 4
    assert nb._upper_bound_vertices(3, 6) == 2 * 6 - 4
    assert nb._upper_bound_vertices(4, 8) == 8 * 5 / 2


def test_check_work_states_the_estimate_and_the_way_out(monkeypatch):
    estimate = nb.estimate_scenarios(10**6, 100)
    assert nb.check_work(estimate) is estimate
    monkeypatch.setitem(nb.LIMITS, "memory_bytes", 1000)
    with pytest.raises(SizeLimitError, match=r"needs about .*MiB.*fewer scenarios"):
        nb.check_work(estimate)


def test_limits_from_the_environment(monkeypatch):
    monkeypatch.setenv("ALLIANCE_MEMORY_LIMIT", "8GB")
    assert nb._env_bytes("ALLIANCE_MEMORY_LIMIT", 1) == 8 * 2**30
    monkeypatch.setenv("ALLIANCE_MEMORY_LIMIT", "lots")
    assert nb._env_bytes("ALLIANCE_MEMORY_LIMIT", 1) == 1
    monkeypatch.setenv("ALLIANCE_TIME_LIMIT", "60")
    assert nb._env_float("ALLIANCE_TIME_LIMIT", 1) == 60.0
