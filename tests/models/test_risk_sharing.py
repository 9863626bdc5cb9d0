"""Tests of the bank–guarantor–government risk-sharing game and its instruments."""

from fractions import Fraction

import numpy as np
import pytest
import sympy as sp
from hypothesis import given, settings
from hypothesis import strategies as st

from alliance.errors import ParameterError
from alliance.models import coalition_values, risk_sharing_game, risk_sharing_ratio
from alliance.models.risk_sharing import RiskSharingTerms, instrument_payoffs

F_ = Fraction
PLAYERS = ("Bank", "Guarantor", "Government")


def _exact_shapley(**params):
    return dict(zip(PLAYERS, risk_sharing_game(**params).shapley().exact, strict=True))


def test_characteristic_function_at_defaults():
    v = coalition_values()
    assert v[frozenset()] == 0
    assert v[frozenset({"Guarantor", "Government"})] == 0
    assert v[frozenset({"Bank"})] == sp.Rational(3, 10)  # 40 * (0.03 - 0.05 * 0.45)
    assert v[frozenset({"Bank", "Guarantor"})] == sp.Rational(73, 25)  # 80 * (0.05 - 0.0135)
    assert v[frozenset(PLAYERS)] == sp.Rational(133, 20)


def test_instruments_are_budget_balanced():
    grand = coalition_values()[frozenset(PLAYERS)]
    for ratio, fee in [(0, 0), (0.2, 0.01), (1, 0.05)]:
        assert sum(instrument_payoffs(ratio, fee).values()) == grand


def test_shares_deliver_the_shapley_value_at_defaults():
    terms = risk_sharing_ratio()
    shapley = _exact_shapley()
    for p in PLAYERS:
        assert terms.payoffs[p] + terms.transfers[p] == shapley[p]  # exact
        assert terms.targets[p] == shapley[p]
    assert sum(terms.transfers.values()) == 0
    # the bank's Shapley value exceeds its whole margin mL = 3: it bears no loss and is paid
    assert terms.unbounded_ratio < 0 and terms.ratio == 0
    assert terms.transfers["Bank"] == sp.Rational(107, 600)  # 3.178333 - 3
    assert terms.transfers["Guarantor"] == -terms.transfers["Bank"]
    assert terms.transfers["Government"] == 0
    assert terms.needs_transfers and terms.core_nonempty
    # nobody would rather stay out: each target beats the party's stand-alone worth
    assert terms.individually_rational
    assert terms.outside_options == {p: coalition_values()[frozenset({p})] for p in PLAYERS}
    assert isinstance(terms, RiskSharingTerms)
    assert "<table" in terms._repr_html_() and terms._repr_latex_().startswith("$\\alpha")
    frame = terms.to_frame()
    np.testing.assert_allclose(frame["payoff"] + frame["transfer"], frame["target"])


def test_version_one_fair_ratio_bug_is_gone():
    """phi_i / v(N) used as the bank's loss share gives the bank 2.36, not its value 3.18."""
    v = coalition_values()
    grand = v[frozenset(PLAYERS)]
    shapley = _exact_shapley()
    old_ratio = sp.Rational(shapley["Bank"].numerator, shapley["Bank"].denominator) / grand
    old_bank = instrument_payoffs(old_ratio, 0)["Bank"]
    assert float(old_bank) == pytest.approx(2.3548, abs=1e-4)  # the issue rounds it to 2.36
    assert round(float(shapley["Bank"]), 2) == 3.18
    terms = risk_sharing_ratio()
    assert terms.payoffs["Bank"] + terms.transfers["Bank"] == shapley["Bank"]
    assert terms.ratio != old_ratio


@settings(max_examples=25, deadline=None)
@given(
    m=st.fractions(F_(1, 100), F_(1, 10), max_denominator=1000),
    f=st.fractions(0, F_(1, 20), max_denominator=1000),
    w=st.fractions(0, F_(1, 10), max_denominator=1000),
    p_G=st.fractions(F_(1, 100), F_(5, 100), max_denominator=1000),
    kappa_B=st.fractions(0, F_(6, 10), max_denominator=20),  # at most kappa_BGov = 0.6
    more=st.fractions(0, 1, max_denominator=20),
)
def test_shares_reproduce_shapley_at_random_points(m, f, w, p_G, kappa_B, more):
    kappa_BG = kappa_B + (1 - kappa_B) * more  # declared: a guarantee never serves fewer
    params = dict(m=m, f=f, w=w, p_G=p_G, kappa_B=kappa_B, kappa_BG=kappa_BG)
    if m + f + w <= p_G * F_(45, 100):  # the programme loses money: it does not run
        with pytest.raises(ParameterError, match="nothing to share"):
            risk_sharing_ratio(**params)
        return
    terms = risk_sharing_ratio(**params)
    shapley = _exact_shapley(**params)
    for p in PLAYERS:
        assert terms.payoffs[p] + terms.transfers[p] == shapley[p]
    assert sum(terms.transfers.values()) == 0
    assert 0 <= terms.ratio <= 1 and terms.fee >= 0
    # participation: the bank is a veto player, so the Shapley value is individually rational
    assert terms.individually_rational
    # and no coalition is worth more than the programme: (v(N), 0, 0) is in the core
    assert terms.core_nonempty
    inside = 0 <= terms.unbounded_ratio <= 1 and terms.unbounded_fee >= 0
    # instruments alone suffice exactly when the unbounded values are feasible
    assert inside == (not terms.needs_transfers)


def test_symbolic_instruments_deliver_shapley():
    terms = risk_sharing_ratio(symbolic=True)
    shapley = terms.targets
    for p in PLAYERS:
        assert sp.simplify(terms.payoffs[p] - shapley[p]) == 0
    point = {"m": F_(1, 20), "w": F_(1, 50), "kappa_B": F_(1, 4)}
    numeric = risk_sharing_ratio(**point)
    subs = {s: sp.Rational(point[s.name]) for s in terms.unbounded_ratio.free_symbols if s.name in point}
    defaults = {
        s: sp.nsimplify(risk_sharing_game.model_info[s.name].default)
        for s in terms.unbounded_ratio.free_symbols
        if s.name not in point
    }
    assert terms.unbounded_ratio.xreplace({**subs, **defaults}) == numeric.unbounded_ratio


@pytest.mark.parametrize("target", ["nucleolus", "core"])
def test_nucleolus_and_core_targets(target):
    terms = risk_sharing_ratio(target)
    game = risk_sharing_game()
    nucleolus = game.nucleolus().values
    delivered = np.array([float(terms.payoffs[p] + terms.transfers[p]) for p in PLAYERS])
    np.testing.assert_allclose(delivered, nucleolus, atol=1e-9)
    assert game.in_core(delivered).in_core
    assert terms.core_nonempty is True


def test_empty_core_and_bad_input():
    # a programme that loses money does not run: v(N) = 0 and nothing is shared
    assert coalition_values(m=0, f=0, w=0)[frozenset(PLAYERS)] == 0
    with pytest.raises(ParameterError, match="nothing to share"):
        risk_sharing_ratio(m=0, f=0, w=0)
    with pytest.raises(ParameterError, match="target"):
        risk_sharing_ratio("banzhaf")
    with pytest.raises(ParameterError, match="numeric"):
        risk_sharing_ratio("nucleolus", symbolic=True)
    with pytest.raises(ParameterError, match="p_G"):
        risk_sharing_ratio(p_G=0.1)
    with pytest.raises(ParameterError, match="kappa_B"):
        risk_sharing_ratio(kappa_B=0.9)
    with pytest.raises(ParameterError, match="expected loss"):
        risk_sharing_ratio(p_G=0, p=0)


def test_model_info_on_the_cooperative_game():
    from alliance.models import describe

    game = risk_sharing_game(m=0.025)
    assert float(describe(game).loc["m", "value"]) == pytest.approx(0.025)
