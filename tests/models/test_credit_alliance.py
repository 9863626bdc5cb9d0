"""Tests of the credit alliance (Besley and Coate 1995) model."""

from fractions import Fraction

import numpy as np
import pytest
import sympy as sp
from hypothesis import given, settings
from hypothesis import strategies as st

from alliance.errors import ParameterError
from alliance.models import (
    credit_alliance_game,
    group_repayment_region,
    individual_repayment_region,
    repayment_probabilities,
    repayment_thresholds,
)

F_ = Fraction


def loans_repaid(theta, profile, r, b):
    """Both loans repaid at a pure profile of the stage game (independent of the regions)."""
    able = [t >= r for t in theta]
    acts = [a if ok else "default" for a, ok in zip(profile, able, strict=True)]
    if acts == ["repay", "repay"]:
        return True
    for i in (0, 1):
        if acts[i] == "repay" and acts[1 - i] == "default":
            return b * theta[i] >= 2 * r and theta[i] >= 2 * r
    return False


def group_repays_by_game(theta1, theta2, r, b, S):
    g = credit_alliance_game(theta1=theta1, theta2=theta2, r=r, b=b, S=S)
    return any(
        loans_repaid((theta1, theta2), (e.supports[0][0], e.supports[1][0]), r, b)
        for e in g.pure_equilibria()
    )


frac = st.fractions


@settings(max_examples=60, deadline=None)
@given(
    theta1=frac(0, 8, max_denominator=20),
    theta2=frac(0, 8, max_denominator=20),
    r=frac(F_(1, 2), 2, max_denominator=20),
    b=frac(F_(1, 5), 1, max_denominator=20),
    S=st.one_of(st.just(F_(0)), frac(0, 3, max_denominator=20)),
)
def test_group_region_equals_repaying_equilibria_of_the_stage_game(theta1, theta2, r, b, S):
    region = bool(group_repayment_region(float(theta1), float(theta2), r=r, b=b, S=S))
    # the region is evaluated in floats: skip points on a boundary up to rounding
    t = repayment_thresholds(r=r, b=b, S=S)
    edges = [float(x) for x in t.values()]
    if any(abs(float(th) - e) < 1e-9 for th in (theta1, theta2) for e in edges):
        return
    assert region == group_repays_by_game(theta1, theta2, r, b, S)


@settings(max_examples=40, deadline=None)
@given(
    r=st.floats(0.5, 2),
    b=st.floats(0.2, 1),
    seed=st.integers(0, 2**32 - 1),
)
def test_besley_coate_regions_closed_forms_without_sanctions(r, b, seed):
    rng = np.random.default_rng(seed)
    theta = rng.uniform(0, 3 * 2 * r / b, size=(2, 4000))
    group = group_repayment_region(theta[0], theta[1], r=r, b=b)
    individual = individual_repayment_region(theta[0], theta[1], r=r, b=b)
    single, both = r / b, 2 * r / b
    # group lending repays where individual lending does not: the partner pays for both
    np.testing.assert_array_equal(group & ~individual, (theta[0] < single) & (theta[1] >= both))
    # and vice versa: the whole group defaults although borrower 1 would have repaid
    np.testing.assert_array_equal(
        individual & ~group, (theta[0] >= single) & (theta[0] < both) & (theta[1] < single)
    )
    assert (group & ~individual).any() and (individual & ~group).any()


def test_regions_at_explicit_points():
    # r/b = 2.2, 2r/b = 4.4
    assert not individual_repayment_region(1.0) and group_repayment_region(1.0, 4.5)
    assert individual_repayment_region(4.0) and not group_repayment_region(4.0, 2.0)
    # a social sanction of 0.5 lowers the group threshold to max(1.1, 1.2) = 1.2
    assert group_repayment_region(4.0, 2.0, S=0.5)
    assert not group_repayment_region(4.0, 1.1, S=0.5)
    assert repayment_thresholds(S=0.5)["group_both"] == sp.Rational(6, 5)


@settings(max_examples=30, deadline=None)
@given(S1=st.floats(0, 3), S2=st.floats(0, 3), seed=st.integers(0, 1000))
def test_social_sanctions_only_enlarge_the_group_region(S1, S2, seed):
    lo, hi = sorted((S1, S2))
    theta = np.random.default_rng(seed).uniform(0, 6, size=(2, 2000))
    weak = group_repayment_region(theta[0], theta[1], S=lo)
    strong = group_repayment_region(theta[0], theta[1], S=hi)
    assert np.all(strong >= weak)


def test_repayment_probabilities_closed_form_and_monte_carlo():
    p = repayment_probabilities(symbolic=["r", "b"])
    r, b = sorted(p["individual"].free_symbols, key=lambda s: s.name)[::-1]
    # Besley and Coate's expression for S = 0, on the interior of the support
    F = lambda x: (x - sp.Rational(1, 2)) / sp.Rational(9, 2)  # noqa: E731
    expected = (1 - F(r / b)) ** 2 + 2 * F(r / b) * (1 - F(2 * r / b))
    value = {r: sp.Rational(11, 10), b: sp.Rational(1, 2)}
    assert p["group"].subs(value) == sp.expand(expected.subs(value))
    for params in ({}, {"S": 0.5}, {"r": 0.8, "b": 0.9}):
        exact = repayment_probabilities(**params)
        theta = np.random.default_rng(7).uniform(0.5, 5, size=(2, 200_000))
        group = group_repayment_region(theta[0], theta[1], **params).mean()
        individual = individual_repayment_region(theta[0], **params).mean()
        assert group == pytest.approx(float(exact["group"]), abs=6e-3)
        assert individual == pytest.approx(float(exact["individual"]), abs=4e-3)


def test_stage_game_at_defaults():
    g = credit_alliance_game()
    assert g.players == ("Member 1", "Member 2")
    assert {e.supports for e in g.pure_equilibria()} == {
        (("default",), ("default",)),
        (("repay",), ("default",)),
    }
    # a monitoring cost that changes no decision does not belong in the stage game
    with pytest.raises(ParameterError, match="k is the monitoring cost"):
        credit_alliance_game(k=0.05)
    assert g.payoffs[0, 0, 0] == pytest.approx(4 - 1.1)


def test_repeated_flag_returns_the_repeated_alliance():
    from alliance.models import RepeatedAlliance, repeated_alliance

    ra = credit_alliance_game(repeated=True, k=0.1, monitoring=True)
    assert isinstance(ra, RepeatedAlliance)
    assert ra.critical_discount() == repeated_alliance(k=0.1, monitoring=True).critical_discount()
    with pytest.raises(ParameterError, match="afresh"):
        credit_alliance_game(theta1=5, theta2=5, repeated=True)


@pytest.mark.parametrize(
    ("call", "names"),
    [
        (lambda: credit_alliance_game(b=0), ("b", "0", "(0, 1]")),
        (lambda: credit_alliance_game(theta1=-1), ("theta1", "-1")),
        (lambda: repayment_probabilities(theta_lo=5, theta_hi=2), ("theta_lo", "theta_hi")),
        (lambda: group_repayment_region(1, 1, k=0.1), ("k",)),
        (lambda: repayment_thresholds(S=-1), ("S", "-1")),
    ],
)
def test_bad_parameters_are_named(call, names):
    with pytest.raises(ParameterError) as err:
        call()
    for n in names:
        assert n in str(err.value)
