"""Stiglitz–Weiss rationing and Bester's screening menu (alliance.models.screening)."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import numpy as np  # noqa: E402
import pytest  # noqa: E402

from alliance.errors import ParameterError  # noqa: E402
from alliance.models.screening import BesterScreening, StiglitzWeissMarket  # noqa: E402


def market(max_rate=0.6):
    return StiglitzWeissMarket([0.9, 0.6], [50, 50], mean_return=130, loan=100, collateral=20,
                               max_rate=max_rate)


def test_safe_borrowers_leave_first_and_the_return_peaks_inside_the_range():
    m = market()
    r_safe, r_risky = m.thresholds
    # by hand: (130 - 0.1 * 20) / 90 - 1 and (130 - 0.4 * 20) / 60 - 1
    assert r_safe == pytest.approx(128 / 90 - 1) and r_risky == pytest.approx(122 / 60 - 1)
    assert r_safe < r_risky  # adverse selection: the safe type's threshold is lower
    rates = np.linspace(0, 0.6, 601)
    ret = m.bank_return(rates)
    rate, best = m.optimal_rate()
    assert rate == pytest.approx(r_safe)
    assert best == pytest.approx((0.75 * (1 + r_safe) * 100 + 0.25 * 20) / 100)
    assert np.nanmax(ret) <= best + 1e-12
    assert m.bank_return(0.6) < best  # raising the rate to the ceiling lowers the return
    out = m.rationing(supply=60)
    assert out.interior and out.demand == 100 and out.rationed_share == pytest.approx(0.4)
    assert m.rationing(supply=150).rationed_share == 0


def test_no_rationing_when_the_ceiling_allows_pricing_the_risky():
    # above the risky threshold the bank extracts the whole mean return from the risky type
    m = market(max_rate=1.1)
    rate, best = m.optimal_rate()
    assert rate == pytest.approx(m.thresholds[1]) and best == pytest.approx(1.30)


def test_bester_menu_separates_and_breaks_even():
    b = BesterScreening(0.9, 0.6, share_low_risk=0.5, loan=100, funding_rate=1.05,
                        recovery=0.8, wealth=150)
    menu = b.separating_menu()
    assert menu.collateral_high_risk == 0 and menu.collateral_low_risk > 0
    assert menu.rate_low_risk < menu.rate_high_risk
    # zero profit on each contract
    assert b.bank_profit(0.9, menu.rate_low_risk, menu.collateral_low_risk) == pytest.approx(0, abs=1e-9)
    assert b.bank_profit(0.6, menu.rate_high_risk, 0) == pytest.approx(0, abs=1e-9)
    # the high-risk type is indifferent, the low-risk type strictly prefers its contract
    pay = b.expected_payment
    assert pay(0.6, menu.rate_low_risk, menu.collateral_low_risk) == pytest.approx(pay(0.6, menu.rate_high_risk, 0))
    assert pay(0.9, menu.rate_low_risk, menu.collateral_low_risk) < pay(0.9, menu.rate_high_risk, 0)
    # brute force: among contracts breaking even on low-risk borrowers, the one the high-risk
    # type does not want and the low-risk type likes best is Bester's
    collateral = np.linspace(0, 150, 150001)
    rate = (105 - 0.1 * 0.8 * collateral) / (0.9 * 100) - 1
    high_ok = pay(0.6, rate, collateral) >= pay(0.6, menu.rate_high_risk, 0) - 1e-9
    best = np.argmin(np.where(high_ok, pay(0.9, rate, collateral), np.inf))
    assert collateral[best] == pytest.approx(menu.collateral_low_risk, abs=2e-3)
    assert menu.to_frame().loc["low risk", "rate"] == menu.rate_low_risk


def test_bester_menu_flags_infeasible_collateral():
    b = BesterScreening(0.9, 0.6, share_low_risk=0.5, loan=100, funding_rate=1.05,
                        recovery=0.8, wealth=50)
    assert not b.separating_menu().feasible


def test_figure_marks_the_optimal_rate():
    import matplotlib.pyplot as plt

    ax = market().plot()
    assert [line.get_gid() for line in ax.get_lines()][-1] == "optimal-rate"
    plt.close("all")


@pytest.mark.parametrize(
    ("make", "match"),
    [
        (lambda: StiglitzWeissMarket([1.2], [1], mean_return=130, loan=100, collateral=20, max_rate=1), "success_probabilities"),
        (lambda: StiglitzWeissMarket([0.5], [1], mean_return=10, loan=100, collateral=20, max_rate=1), "must exceed collateral"),
        (lambda: BesterScreening(0.5, 0.6, share_low_risk=0.5, loan=1, funding_rate=1.05, recovery=1, wealth=1), "below p_low_risk"),
        (lambda: BesterScreening(0.9, 0.6, share_low_risk=0.5, loan=1, funding_rate=1.05, recovery=1.5, wealth=1), "recovery"),
    ],
)
def test_bad_parameters_are_refused(make, match):
    with pytest.raises(ParameterError, match=match):
        make()
