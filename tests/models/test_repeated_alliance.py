"""Tests of the repeated credit alliance: credible punishment, i.i.d. states, monitoring."""

from fractions import Fraction

import numpy as np
import pytest
import sympy as sp
from hypothesis import given, settings
from hypothesis import strategies as st

from alliance.errors import ParameterError
from alliance.models import repeated_alliance

F_ = Fraction


@pytest.mark.parametrize("n", [2, 3])
@pytest.mark.parametrize("monitoring", [False, True])
def test_punishment_is_a_stage_equilibrium_with_explicit_payoffs(n, monitoring):
    ra = repeated_alliance(n=n, monitoring=monitoring)
    game = ra.membership_game()
    e = ra.punishment()
    assert all(s == ("leave",) for s in e.supports)
    assert np.max(game.regret(e.profile)) <= 1e-12  # computed by the engine, checked here
    # its payoffs are the outside option, which follows from the model (no finance: w)
    assert all(float(x) == float(ra.outside_value()) == 0 for x in e.payoffs)
    # staying together is an equilibrium too: the alliance is worth joining
    together = game.regret([[1, 0]] * n)
    assert np.max(together) <= 1e-12


def test_exclusion_is_not_a_credible_alternative_here():
    """The remaining members must gain from excluding a deviator; here they never do."""
    ra = repeated_alliance()
    assert ra.exclusion_gain(0.5) == 0  # replaced: indifferent
    alone = ra.exclusion_gain(0.5, replacement=False)  # two members: the other is left alone
    assert alone == -ra.value(0.5) and alone < 0
    # with monitoring a smaller alliance is worth the same per member: no gain either
    assert repeated_alliance(n=3, monitoring=True).exclusion_gain(0.5, replacement=False) == 0


def _bellman_delta(monitoring: bool):
    """delta* from the Bellman equations and the repayment constraint, solved by SymPy."""
    r, b, lo, hi, w, k, S, d, V, th = sp.symbols("r b theta_lo theta_hi w k S delta V theta")
    x = sp.Symbol("x")
    density = 1 / (hi - lo)
    q = sp.integrate(density, (x, lo, r))
    a = sp.integrate((x - r) * density, (x, r, hi)) + sp.integrate(x * (1 - b) * density, (x, lo, r))
    U = w / (1 - d)
    if monitoring:
        value = sp.solve(sp.Eq(V, a - k + d * V), V)[0]
        conform = th - r - k + d * value
        deviate = th - b * th - k - S + d * U
    else:
        value = sp.solve(sp.Eq(V, a + d * ((1 - q) ** 2 * V + (1 - (1 - q) ** 2) * U)), V)[0]
        conform = th - r + d * ((1 - q) * value + q * U)
        deviate = th - b * th + d * U
    # binding state theta = r (the gain r - b*theta falls with theta)
    numerator = sp.numer(sp.together(conform.subs(th, r) - deviate.subs(th, r)))
    roots = sp.solve(sp.expand(numerator), d)
    return roots, dict(r=r, b=b, theta_lo=lo, theta_hi=hi, w=w, k=k, S=S)


@pytest.mark.parametrize("monitoring", [False, True])
def test_critical_discount_matches_the_bellman_derivation_symbolically(monitoring):
    roots, syms = _bellman_delta(monitoring)
    names = ["r", "b", "theta_lo", "theta_hi", "w"] + (["k", "S"] if monitoring else [])
    ra = repeated_alliance(symbolic=names, monitoring=monitoring)
    ours = ra.critical_discount()
    mapping = {s: syms[s.name] for s in ours.free_symbols}
    ours = ours.xreplace(mapping)
    assert any(sp.cancel(sp.together(ours - root)) == 0 for root in roots)
    # and at a random rational point the symbolic and numeric answers agree exactly
    point = dict(r=F_(6, 5), b=F_(2, 5), theta_lo=F_(1, 2), theta_hi=F_(9, 2), w=F_(1, 10))
    if monitoring:
        point.update(k=F_(1, 10), S=F_(1, 20))
    numeric = repeated_alliance(monitoring=monitoring, **point).critical_discount()
    at = ours.xreplace({syms[kk]: sp.Rational(v.numerator, v.denominator) for kk, v in point.items()})
    assert sp.nsimplify(at) == numeric


def test_constraint_binds_in_the_lowest_repaying_state():
    ra = repeated_alliance()
    theta = np.linspace(0.5, 5, 4501)
    by_state = ra.critical_discount_by_state(theta)
    assert np.all(np.isnan(by_state[theta < 1.1]))  # no repayment prescribed: cannot repay
    repaying = ~np.isnan(by_state)
    assert np.nanmax(by_state) == pytest.approx(float(ra.critical_discount()), rel=1e-12)
    assert np.all(np.diff(by_state[repaying]) <= 1e-15)  # falling in theta: max at theta = r
    # at theta >= r/b = 2.2 nobody gains from a default
    assert np.all(by_state[theta >= 2.2 + 1e-9] == 0)


@pytest.mark.parametrize(("monitoring", "n"), [(False, 2), (True, 2), (False, 3)])
def test_simulation_agrees_with_the_closed_form(monitoring, n):
    ra = repeated_alliance(monitoring=monitoring, n=n)
    star = float(ra.critical_discount())
    r, q = 1.1, float(ra.default_probability())
    for delta in (star - 0.06, star + 0.06):
        sim = ra.simulate(delta, paths=20_000, seed=3)
        # closed-form values in the binding state theta = r
        value = float(ra.value(delta))
        if monitoring:
            conform = r - r - 0.05 + delta * value
            deviate = r * 0.5 - 0.05 + delta * 0  # S = 0, O = 0
        else:
            conform = r - r + delta * (1 - q) ** (n - 1) * value  # the others may default
            deviate = r * 0.5
        assert sim.conform == pytest.approx(conform, abs=4 * sim.conform_se + 1e-9)
        assert sim.deviate == pytest.approx(deviate, abs=1e-9)
        # repaying pays exactly above delta*, by more than four standard errors
        assert np.sign(sim.advantage) == np.sign(delta - star)
        assert abs(sim.advantage) > 4 * sim.advantage_se


def test_monitoring_is_a_decision_that_changes_behaviour():
    delta = 0.5
    plain = repeated_alliance()
    # the monitoring cost at which members are indifferent: a - k* = (1 - delta) V_N
    k_star = float(plain.member_payoff() - (1 - delta) * plain.value(delta))
    assert repeated_alliance(k=0.9 * k_star).regime(delta) == "monitor"
    assert repeated_alliance(k=1.1 * k_star).regime(delta) == "no monitoring"
    # without monitoring involuntary defaults dissolve the alliance on the path
    assert plain.value(delta) < plain.member_payoff() / (1 - delta)
    # monitoring lets the members sanction: enough sanction removes the temptation
    assert repeated_alliance(S=0.55, monitoring=True).critical_discount() == 0
    assert repeated_alliance(S=0.55).critical_discount() == plain.critical_discount()
    # too patient to matter, too impatient to cooperate
    assert repeated_alliance(k=1.1 * k_star).regime(0.1) == "dissolve"


def test_individual_lending_as_the_outside_option():
    ra = repeated_alliance(outside="individual")
    # the bank earns 0.939 < 1.03 on an individual loan: it does not lend, so O = w = 0
    assert ra.bank_lends_individually() is False
    assert ra.outside_value() == 0
    assert ra.critical_discount() == repeated_alliance().critical_discount()
    # a bank that settles for 0.9 lends individually; individual borrowers default whenever
    # b*theta < r, so the alliance is worth less than the outside option: no punishment
    cheap = repeated_alliance(outside="individual", rho=0.9)
    assert cheap.bank_lends_individually() is True
    assert cheap.outside_value() == cheap.individual_payoff() > cheap.member_payoff()
    assert cheap.critical_discount() == sp.oo
    assert cheap.regime(0.9) == "dissolve"


@settings(max_examples=10, deadline=None)
@given(
    r=st.fractions(F_(1, 2), 2, max_denominator=20),
    b=st.fractions(F_(1, 10), 1, max_denominator=20),
    w=st.fractions(0, 1, max_denominator=20),
    n=st.integers(2, 4),
    k=st.fractions(0, F_(1, 2), max_denominator=20),
    delta=st.floats(0.05, 0.95),
)
def test_no_member_below_its_outside_option(r, b, w, n, k, delta):
    ra = repeated_alliance(r=r, b=b, w=w, n=n, k=k)
    regime = ra.regime(delta)
    outside = float(ra.outside_value()) / (1 - delta)
    chosen = {
        "dissolve": outside,
        "no monitoring": float(ra.value(delta)),
        "monitor": float(ra.with_monitoring().value(delta)),
    }[regime]
    assert chosen >= outside - 1e-9
    if regime != "dissolve":
        target = ra if regime == "no monitoring" else ra.with_monitoring()
        assert target.sustains(delta)
    # per-state constraints never exceed the reported delta*
    theta = np.linspace(0.5, 5, 200)
    star = float(ra.critical_discount())
    by_state = ra.critical_discount_by_state(theta)
    assert np.all(by_state[~np.isnan(by_state)] <= star + 1e-12)


def test_bad_input_is_named():
    with pytest.raises(ParameterError, match="n"):
        repeated_alliance(n=2.5)
    with pytest.raises(ParameterError, match="outside"):
        repeated_alliance(outside="bond market")
    with pytest.raises(ParameterError, match="theta_lo"):
        repeated_alliance(theta_lo=5, theta_hi=2)
    with pytest.raises(ParameterError, match="numeric"):
        repeated_alliance(symbolic=["r"]).membership_game()
    with pytest.raises(ParameterError, match="delta"):
        repeated_alliance().simulate(1.0)
    text = repr(repeated_alliance())
    assert "δ* = 0.285863" in text
    assert repeated_alliance().to_frame().shape == (5, 1)
    assert "<table" in repeated_alliance()._repr_html_()
    assert repeated_alliance(symbolic=["b"])._repr_latex_().startswith("$\\delta^*")
    sim = repeated_alliance().simulate(0.5, paths=200)
    assert "AllianceSimulation" in repr(sim) and "<table" in sim._repr_html_()
