"""Tests of the guaranteed-loan game, version 2 (alliance.models.guarantee).

Participation, limited liability, the modes by mechanism and the state's cost; the welfare
ranking is in test_welfare.py.
"""

import itertools
from fractions import Fraction

import numpy as np
import pytest
import sympy as sp
from hypothesis import given, settings
from hypothesis import strategies as st

from alliance.errors import ParameterError
from alliance.models import cost_to_government, describe, guarantee_game, solve_guarantee
from alliance.models.guarantee import (
    GUARANTEE_INFO,
    MODES,
    PRIVATE_PARTIES,
    claim_states,
    outside_options,
    stage_payoffs,
)

F_ = Fraction

EXPECTED = {
    "business": (("verify",), ("not review",), ("default",)),
    "policy": (("verify",), ("not review",), ("default",), ("compensate",)),
    "mutual": (("not verify",), ("review",), ("repay",)),
}


def defaults(mode, **over):
    v = {k: F_(str(x)) for k, x in GUARANTEE_INFO.for_mode(mode).defaults().items()}
    v.update({k: F_(str(x)) if isinstance(x, float) else x for k, x in over.items()})
    return v


@pytest.mark.parametrize("mode", MODES)
def test_equilibria_at_defaults_are_unique_and_verified(mode):
    g = guarantee_game(mode)
    assert g.is_exact
    eqs = g.equilibria()
    assert [e.supports for e in eqs] == [EXPECTED[mode]]
    assert all(np.max(g.regret(e.profile)) <= 1e-9 for e in eqs)


def test_numbers_stated_in_the_module_docstring():
    business = guarantee_game("business").pure_equilibria()[0]
    assert business.payoffs[0] == F_(-431, 25)  # the bank would earn -17.24
    policy = guarantee_game("policy").pure_equilibria()[0]
    assert policy.payoffs[0] == F_(-77, 5)  # -15.4 with the bailout
    v = defaults("policy")
    call = F_(848, 10)
    net = (1 - v["lam"]) * (call - v["pi"] * v["K"])
    shortfall = v["lam"] * call
    residual = v["lam"] * v["K"]
    assert v["gamma"] * net + shortfall - v["pi"] * residual == F_(1932, 100)
    assert v["h"] * shortfall == F_(424, 10)
    # compensating is the government's best reply: 0.5 + 19.32 < 0.5 + 42.4
    assert cost_to_government(verify=1, review=0, default=1, compensate=1) == sp.Rational(991, 50)
    assert cost_to_government(verify=1, review=0, default=1, compensate=0) == sp.Rational(429, 10)
    # mutual: ownership alone deters strategic default, even when the bank does not verify
    m = defaults("mutual")
    assert m["omega"] * net * (1 - m["q"]) >= F_(106) - m["pi"] * (m["K"] + m["F"])
    assert outside_options("business", defaults("business"))["Bank"] == 3


# --------------------------------------------------------------------------- participation
def _check_participation(outcome):
    """No party below its outside option unless the equilibrium says it stays out."""
    stage, outside, pay = outcome.stage, outcome.outside, outcome.payoffs
    if outcome.loan_made:
        assert [a for _, a in outcome.participation.path] == ["underwrite", "lend", "borrow"]
        for p in PRIVATE_PARTIES:
            assert pay[p] == stage[p] >= outside[p], p
    else:
        assert any(stage[p] < outside[p] for p in PRIVATE_PARTIES)
        for p in PRIVATE_PARTIES:
            assert pay[p] == outside[p], p
        assert all(x == 0 for x in outcome.flows.values())


@pytest.mark.parametrize("mode", MODES)
def test_participation_at_every_modes_defaults(mode):
    outcomes = solve_guarantee(mode)
    assert len(outcomes) == 1
    for o in outcomes:
        assert o.regret <= 1e-9
        _check_participation(o)
    # who takes part at the defaults (module docstring)
    assert outcomes[0].loan_made == (mode == "mutual")
    if mode != "mutual":
        assert not outcomes[0].takes_part["Bank"]


@settings(max_examples=12, deadline=None)
@given(
    mode=st.sampled_from(MODES),
    F=st.fractions(0, 150, max_denominator=2),
    pi=st.fractions(0, 1, max_denominator=20),
    C=st.fractions(0, 150, max_denominator=2),
    r_I=st.fractions(0, 1, max_denominator=10),
    rho_B=st.fractions(0, F_(1, 10), max_denominator=100),
)
def test_participation_at_random_points(mode, F, pi, C, r_I, rho_B):
    for o in solve_guarantee(mode, F=F, pi=pi, C=C, r_I=r_I, rho_B=rho_B):
        assert o.regret <= 1e-9
        _check_participation(o)


@pytest.mark.parametrize("mode", ["business", "mutual"])
def test_break_even_fee_gives_the_required_return(mode):
    for F in (60, 80):
        (o,) = solve_guarantee(mode, F=F)
        v = defaults(mode)
        share = 1 - v["omega"] if mode == "mutual" else 1
        assert o.stage["Guarantor"] == share * v["rho_G"] * v["C"]


def test_policy_subsidy_tops_up_the_public_guarantor():
    (o,) = solve_guarantee("policy", F=80)  # the SME repays; the loan is made
    assert o.loan_made and o.subsidy > 0
    assert o.stage["Guarantor"] == o.outside["Guarantor"]
    # a fee that more than covers the cost needs no subsidy
    (rich,) = solve_guarantee("policy", F=80, f=0.08)
    assert rich.loan_made and rich.subsidy == 0 and rich.stage["Guarantor"] > rich.outside["Guarantor"]
    assert rich.flows["state_net_outlay"] < rich.flows["treasury_outlay"]


# ------------------------------------------------------------------------- limited liability
@settings(max_examples=60, deadline=None)
@given(
    mode=st.sampled_from(MODES),
    C=st.floats(0, 500),
    lam=st.floats(0, 1),
    s=st.floats(0, 1),
    pi=st.floats(0, 1),
    r=st.floats(0.001, 1),
    K_share=st.floats(0, 1),
    comp=st.sampled_from([0, 1]),
)
def test_guarantor_never_pays_more_than_its_capital(mode, C, lam, s, pi, r, K_share, comp):
    v = {k: float(x) for k, x in defaults(mode).items()}
    call = (1 - s) * (1 + r) * v["L"]
    v.update(C=C, lam=lam, s=s, pi=pi, r=r, K=K_share * call)
    states = claim_states(mode, v, comp)
    assert (states["guarantor_pays"] <= C + 1e-12).all()
    assert np.isclose(states["probability"].sum(), 1)
    # bailouts happen exactly in the failure states, and only when the state compensates
    paid = states["bailout"] > 0
    assert (paid == (states["failure"] & (comp == 1 and mode == "policy"))).all()
    # the expectations used in the payoffs agree with the states
    for verify, review, default in itertools.product((0, 1), repeat=3):
        out = stage_payoffs(mode, v, verify, review, default, comp, numeric=True)
        p = v["p_N"] - review * (v["p_N"] - v["p_R"])
        claims = (p + (1 - p) * default) * (1 - v["q"] * (1 - verify))
        w = states["probability"]
        assert np.isclose(out["guarantor_payment"], claims * (w * states["guarantor_pays"]).sum())
        assert out["guarantor_payment"] <= claims * C + 1e-9
        if mode == "policy":
            assert np.isclose(out["bailout"], claims * (w * states["bailout"]).sum())
            assert np.isclose(out["state_recovery"], claims * (w * states["state_recovers"]).sum())


def test_state_cost_includes_bailouts_exactly_in_the_failure_states():
    """Hand-derived: C = 50 < Q = 84.8, lambda = 0.05, the SME defaults, the bank verifies.

    Normal state (0.95): the guarantor pays 50, shortfall 34.8, pledge left 60 - 50 = 10.
    Systemic state (0.05): it pays 0, shortfall 84.8, pledge left 60.
    Expected bailout 0.95*34.8 + 0.05*84.8 = 37.3; the state recovers 0.8*(0.95*10 + 0.05*60)
    = 10; compensation 0.5 * 0.95 * (50 - 0.8*50) = 4.75; subsidy 0.5. Outlay 32.55.
    """
    v = defaults("policy", C=50)
    out = stage_payoffs("policy", v, 1, 0, 1, 1)
    assert out["bailout"] == F_(373, 10)
    assert out["state_recovery"] == 10
    assert out["compensation"] == F_(475, 100)
    assert out["treasury_outlay"] == F_(3255, 100)
    assert cost_to_government(verify=1, review=0, default=1, compensate=1, C=50) == sp.Rational(
        3255, 100
    )
    # not compensating: no outlay beyond the subsidy, the bank bears the shortfall, society h*37.3
    no = stage_payoffs("policy", v, 1, 0, 1, 0)
    assert no["bailout"] == 0 and no["treasury_outlay"] == F_(1, 2)
    assert no["failure_cost"] == 10 * F_(373, 10)
    assert out["Bank"] - no["Bank"] == F_(373, 10) - 10  # the bailout net of the pledge
    # without failure states (capital covers the call, no systemic state) there is no bailout
    safe = stage_payoffs("policy", defaults("policy", C=90, lam=0), 1, 0, 1, 1)
    assert safe["bailout"] == 0 and safe["state_recovery"] == 0
    # with ample capital only the systemic state fails: bailout lambda * Q = 4.24
    assert stage_payoffs("policy", defaults("policy"), 1, 0, 1, 1)["bailout"] == F_(424, 100)


def test_compensation_no_longer_removes_limited_liability():
    """Version 1 made the guarantor pay (1-gamma)N in full under compensation; now it pays at
    most C in every state and the state pays the rest as a bailout."""
    v = defaults("policy", C=50)
    comp, no = (stage_payoffs("policy", v, 1, 0, 1, x) for x in (1, 0))
    assert comp["guarantor_payment"] == no["guarantor_payment"] == F_(95, 100) * 50
    assert comp["guarantor_payment"] <= v["C"]


# --------------------------------------------------------------------------- the mechanisms
@pytest.mark.parametrize("point", [{}, {"F": 80}, {"C": 40, "F": 70, "pi": 0.9}, {"s": 0.5, "K": 40}])
def test_mutual_equals_business_with_both_mechanisms_off(point):
    business = guarantee_game("business", **point)
    mutual = guarantee_game("mutual", monitoring=False, loss_sharing=False, **point)
    assert np.array_equal(business.exact_payoffs, mutual.exact_payoffs)
    assert [e.profile for e in business.equilibria()] == [e.profile for e in mutual.equilibria()]
    ob = solve_guarantee("business", **point)
    om = solve_guarantee("mutual", monitoring=False, loss_sharing=False, **point)
    assert len(ob) == len(om)
    for b, m in zip(ob, om, strict=True):
        assert (b.fee, b.stage, b.outside, b.payoffs, b.loan_made, b.flows) == (
            m.fee, m.stage, m.outside, m.payoffs, m.loan_made, m.flows
        )
        assert b.flows["state_net_outlay"] == m.flows["state_net_outlay"] == 0


def test_each_mechanism_alone_differs_from_business():
    business = guarantee_game("business").exact_payoffs
    assert not np.array_equal(business, guarantee_game("mutual", monitoring=False).exact_payoffs)
    assert not np.array_equal(business, guarantee_game("mutual", loss_sharing=False).exact_payoffs)


SHARED = ["p_N", "p_R", "q", "pi", "K", "lam"]


@pytest.fixture(scope="module")
def symbolic_pair():
    return (
        guarantee_game("business", symbolic=SHARED),
        guarantee_game("mutual", symbolic=SHARED + ["omega", "S"]),
    )


def test_derived_difference_of_the_default_gain(symbolic_pair):
    """Mutual minus business gain from a strategic default = -(1-p) omega v N_G - x_R (1-p_R) S."""
    business, mutual = symbolic_pair
    sym = mutual.symbols
    omega, S, q, lam, pi, K = (sym[k] for k in ("omega", "S", "q", "lam", "pi", "K"))
    to_mutual = {business.symbols[k]: sym[k] for k in SHARED}
    call = sp.Rational(848, 10)
    net = (1 - lam) * (call - pi * sp.Min(90, K))  # min(Q, C) = Q for C = 90
    for verify, review in itertools.product((0, 1), repeat=2):
        idx = (1 - verify, 1 - review)
        gain_m = mutual.payoffs[idx + (1, 2)] - mutual.payoffs[idx + (0, 2)]
        gain_b = (business.payoffs[idx + (1, 2)] - business.payoffs[idx + (0, 2)]).xreplace(to_mutual)
        p = sym["p_N"] - review * (sym["p_N"] - sym["p_R"])
        v = 1 - q * (1 - verify)
        derived = -(1 - p) * omega * v * net - review * (1 - sym["p_R"]) * S
        assert sp.expand(gain_m - gain_b - derived) == 0
        # sign: never positive on the declared ranges (each factor is non-negative)
    # the guarantor's gain from reviewing: scaled by 1 - omega, at the cost e_m instead of e
    for verify, repay in itertools.product((0, 1), repeat=2):
        idx_r = (1 - verify, 0, 1 - repay, 1)
        idx_n = (1 - verify, 1, 1 - repay, 1)
        gain_m = mutual.payoffs[idx_r] - mutual.payoffs[idx_n]
        gain_b = (business.payoffs[idx_r] - business.payoffs[idx_n]).xreplace(to_mutual)
        e, e_m = sp.Integer(1), sp.Rational(3, 10)
        assert sp.expand(gain_m - (1 - omega) * (gain_b + e - e_m)) == 0


def test_derived_welfare_difference_when_both_modes_reach_the_same_profile():
    from alliance.models.welfare import welfare

    (b,) = solve_guarantee("business", F=80)
    (m,) = solve_guarantee("mutual", F=80)
    assert b.equilibrium.supports == m.equilibrium.supports == EXPECTED["mutual"]
    assert b.loan_made and m.loan_made
    difference = welfare(m)["welfare"] - welfare(b)["welfare"]
    v = defaults("mutual")
    assert np.isclose(difference, float(v["e"] - v["e_m"]))  # (e - e_m) x_R with x_R = 1


@settings(max_examples=8, deadline=None)
@given(F=st.fractions(0, 150, max_denominator=2), pi=st.fractions(0, 1, max_denominator=20))
def test_mutual_repays_wherever_business_does(F, pi):
    b = solve_guarantee("business", F=F, pi=pi)
    m = solve_guarantee("mutual", F=F, pi=pi)
    if all(o.equilibrium.supports[2] == ("repay",) for o in b):
        assert all(o.equilibrium.supports[2] == ("repay",) for o in m)


# ------------------------------------------------------------------------ the game itself
def test_players_and_strategies():
    g = guarantee_game("policy")
    assert g.players == ("Bank", "Guarantor", "SME", "Government")
    assert g.shape == (2, 2, 2, 2)
    assert guarantee_game("mutual").players == ("Bank", "Guarantor", "SME")


def test_cost_to_government_is_minus_the_government_payoff_at_pure_profiles():
    g = guarantee_game("policy", C=50)
    table = g.exact_payoffs
    for index in itertools.product(range(2), repeat=4):
        verify, review, repay, compensate = (1 - i for i in index)
        cost = cost_to_government(
            verify=verify, review=review, default=1 - repay, compensate=compensate, C=50
        )
        assert F_(str(cost)) == -table[index + (3,)]


@settings(max_examples=20, deadline=None)
@given(st.lists(st.fractions(0, 1, max_denominator=50), min_size=4, max_size=4))
def test_cost_to_government_at_mixed_profiles(probs):
    xv, xr, xd, xg = probs
    g = guarantee_game("policy")
    profile = ((xv, 1 - xv), (xr, 1 - xr), (1 - xd, xd), (xg, 1 - xg))
    expected = -g.expected_payoffs(profile)[3]
    cost = cost_to_government(verify=xv, review=xr, default=xd, compensate=xg)
    assert F_(str(cost)) == expected


@pytest.fixture(scope="module")
def symbolic_business():
    return guarantee_game("business", symbolic=["pi", "q", "lam", "C"])


@settings(max_examples=8, deadline=None)
@given(
    pi=st.fractions(0, 1, max_denominator=20),
    q=st.fractions(0, 1, max_denominator=20),
    lam=st.fractions(0, 1, max_denominator=20),
    C=st.fractions(0, 120, max_denominator=2),
)
def test_symbolic_game_matches_numeric(symbolic_business, pi, q, lam, C):
    values = dict(pi=pi, q=q, lam=lam, C=C)
    assert symbolic_business.subs(values) == guarantee_game("business", **values)


def test_ample_capital_drops_the_min_and_agrees_when_capital_covers_the_call():
    ample = guarantee_game("business", symbolic=True, capital="ample")
    assert "C" not in ample.symbols
    assert not any(e.has(sp.Min) for e in ample.payoffs.flat)
    for mode in MODES:
        assert guarantee_game(mode, capital="ample") == guarantee_game(mode)  # C = 90 >= 84.8
    assert guarantee_game("business", capital="ample") != guarantee_game("business", C=50)


@settings(max_examples=20, deadline=None)
@given(
    pi=st.fractions(0, 1, max_denominator=40),
    F=st.fractions(0, 150, max_denominator=4),
    mode=st.sampled_from(["business", "policy"]),
)
def test_sme_repays_iff_closed_form_condition_outside_the_mutual_mode(pi, F, mode):
    g = guarantee_game(mode, pi=pi, F=F)
    repays = F_(106) <= pi * (60 + F)
    payoffs = g.exact_payoffs[..., 2]
    gain = payoffs.take(0, axis=2) - payoffs.take(1, axis=2)
    if repays:
        assert all(x >= 0 for x in gain.flat)
    else:
        assert all(x < 0 for x in gain.flat)


def test_compensation_crowds_out_review():
    """Moral hazard: with the state reimbursing losses the guarantor stops reviewing."""
    g = guarantee_game("policy", F=80)
    (eq,) = g.pure_equilibria()
    assert eq.supports == (("verify",), ("not review",), ("repay",), ("compensate",))
    business = guarantee_game("business", F=80).pure_equilibria()
    assert [e.supports[1] for e in business] == [("review",)]


@pytest.mark.parametrize(
    ("mode", "kwargs", "names"),
    [
        ("venture", {}, ("mode", "venture")),
        ("business", dict(gamma=0.5), ("gamma", "business")),
        ("policy", dict(S=10), ("S", "policy")),
        ("mutual", dict(s=1.2), ("s", "1.2", "[0, 1]")),
        ("mutual", dict(K=100), ("K", "100", "(1-s)(1+r)L")),
        ("policy", dict(p_R=0.1), ("p_R", "0.1", "p_N")),
        ("policy", dict(lam=-0.01), ("lam", "-0.01")),
        ("policy", dict(H=1000), ("H",)),
        ("business", dict(C=-1), ("C", "-1")),
        ("business", dict(monitoring=False), ("monitoring", "mutual")),
        ("mutual", dict(loss_sharing="no"), ("loss_sharing",)),
        ("mutual", dict(capital="huge"), ("capital",)),
    ],
)
def test_bad_parameters_are_named(mode, kwargs, names):
    with pytest.raises(ParameterError) as err:
        guarantee_game(mode, **kwargs)
    for n in names:
        assert n in str(err.value)


def test_bad_arguments_of_solve_guarantee():
    with pytest.raises(ParameterError, match="pricing"):
        solve_guarantee("business", pricing="cheap")
    with pytest.raises(ParameterError, match="tol"):
        solve_guarantee("business", tol=-1)
    with pytest.raises(ParameterError, match="compensate"):
        cost_to_government(compensate=1.5)


def test_outcome_display():
    (o,) = solve_guarantee("mutual")
    assert "loan made" in repr(o) and "fee 3.3586%" in repr(o)
    assert "<table" in o._repr_html_()
    assert list(o.to_frame().index) == ["Bank", "Guarantor", "SME"]


def test_describe_per_mode():
    assert {"gamma", "phi", "h"} <= set(describe(guarantee_game, mode="policy").index)
    assert "gamma" not in describe(guarantee_game("business")).index
    assert {"S", "e_m", "omega"} <= set(describe(guarantee_game("mutual")).index)
    assert {"C", "rho_B", "rho_G", "r_I"} <= set(describe(guarantee_game, mode="business").index)
    assert np.all(describe(guarantee_game).notna())
