"""Tests of the bank–guarantor–government risk-sharing game."""

from fractions import Fraction

import numpy as np
import pytest
import sympy as sp
from hypothesis import given, settings
from hypothesis import strategies as st

from alliance.errors import ParameterError
from alliance.models import coalition_values, risk_sharing_game, risk_sharing_ratio

F_ = Fraction
PLAYERS = ("Bank", "Guarantor", "Government")


def test_characteristic_function_at_defaults():
    v = coalition_values()
    assert v[frozenset()] == 0
    assert v[frozenset({"Guarantor", "Government"})] == 0
    assert v[frozenset({"Bank"})] == sp.Rational(3, 10)  # 40 * (0.03 - 0.05 * 0.45)
    assert v[frozenset({"Bank", "Guarantor"})] == sp.Rational(73, 25)  # 80 * (0.05 - 0.0135)
    assert v[frozenset(PLAYERS)] == sp.Rational(133, 20)


def test_ratios_sum_to_one_symbolically():
    ratios = risk_sharing_ratio(symbolic=True)
    assert sp.simplify(sum(ratios.values()) - 1) == 0


def test_ratios_at_defaults():
    ratios = risk_sharing_ratio()
    assert [round(float(ratios[p]), 3) for p in PLAYERS] == [0.478, 0.286, 0.236]
    assert sum(ratios.values()) == 1


@settings(max_examples=20, deadline=None)
@given(
    m=st.fractions(F_(1, 100), F_(1, 10), max_denominator=1000),
    w=st.fractions(0, F_(1, 10), max_denominator=1000),
    kappa_B=st.fractions(0, 1, max_denominator=20),
)
def test_cooperative_game_shapley_matches_closed_form(m, w, kappa_B):
    pytest.importorskip("alliance.games.cooperative")
    params = dict(m=m, w=w, kappa_B=kappa_B)
    game = risk_sharing_game(**params)
    shapley = game.shapley()
    grand = coalition_values(**params)[frozenset(PLAYERS)]
    ratios = risk_sharing_ratio(**params)
    expected = np.array([float(ratios[p]) for p in PLAYERS]) * float(grand)
    np.testing.assert_allclose(shapley.values, expected, rtol=1e-12, atol=1e-12)
    assert sum(shapley.values) == pytest.approx(float(grand))
    # the bank is a veto player: it never gets less than its stand-alone worth
    assert shapley.values[0] >= float(coalition_values(**params)[frozenset({"Bank"})]) - 1e-12


def test_model_info_on_the_cooperative_game():
    pytest.importorskip("alliance.games.cooperative")
    from alliance.models import describe

    game = risk_sharing_game(m=0.025)
    assert float(describe(game).loc["m", "value"]) == pytest.approx(0.025)


def test_no_surplus_raises():
    with pytest.raises(ParameterError, match="v\\(N\\)"):
        risk_sharing_ratio(m=0, f=0, w=0)
    with pytest.raises(ParameterError, match="p_G"):
        risk_sharing_ratio(p_G=0.1)
