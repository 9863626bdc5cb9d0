"""Tests of the guaranteed-loan game in its three modes (alliance.models.guarantee)."""

import itertools
from fractions import Fraction

import numpy as np
import pytest
import sympy as sp
from hypothesis import given, settings
from hypothesis import strategies as st

from alliance.errors import ParameterError
from alliance.models import cost_to_government, describe, guarantee_game

F_ = Fraction

EXPECTED = {
    "business": (("verify",), ("not review",), ("default",)),
    "policy": (("verify",), ("not review",), ("default",), ("compensate",)),
    "mutual": (("not verify",), ("review",), ("repay",)),
}


@pytest.mark.parametrize("mode", sorted(EXPECTED))
def test_equilibria_at_defaults(mode):
    g = guarantee_game(mode)
    assert g.is_exact
    assert [e.supports for e in g.pure_equilibria()] == [EXPECTED[mode]]
    # the pure equilibrium is the only one (support enumeration over every support)
    eqs = g.equilibria()
    assert [e.supports for e in eqs] == [EXPECTED[mode]]


def test_business_mode_bank_loses_and_policy_cost():
    business = guarantee_game("business").pure_equilibria()[0]
    assert business.payoffs[0] == F_(-431, 25)  # the bank loses 17.24 per loan
    policy = guarantee_game("policy").pure_equilibria()[0]
    assert policy.payoffs[3] == F_(-189, 10)
    assert cost_to_government(verify=1, review=0, default=1, compensate=1) == sp.Rational(189, 10)


def test_players_and_strategies():
    g = guarantee_game("policy")
    assert g.players == ("Bank", "Guarantor", "SME", "Government")
    assert g.shape == (2, 2, 2, 2)
    assert guarantee_game("mutual").players == ("Bank", "Guarantor", "SME")


def test_cost_to_government_is_minus_the_government_payoff_at_pure_profiles():
    g = guarantee_game("policy")
    table = g.exact_payoffs
    for index in itertools.product(range(2), repeat=4):
        verify, review, repay, compensate = (1 - i for i in index)
        cost = cost_to_government(
            verify=verify, review=review, default=1 - repay, compensate=compensate
        )
        assert F_(str(cost)) == -table[index + (3,)]


@settings(max_examples=25, deadline=None)
@given(st.lists(st.fractions(0, 1, max_denominator=50), min_size=4, max_size=4))
def test_cost_to_government_at_mixed_profiles(probs):
    xv, xr, xd, xg = probs
    g = guarantee_game("policy")
    profile = ((xv, 1 - xv), (xr, 1 - xr), (1 - xd, xd), (xg, 1 - xg))
    expected = -g.expected_payoffs(profile)[3]
    cost = cost_to_government(verify=xv, review=xr, default=xd, compensate=xg)
    assert F_(str(cost)) == expected


def test_cost_to_government_symbolic_formula():
    cost = cost_to_government(symbolic=True)
    sym = {s.name: s for s in cost.free_symbols}
    L, r, s, pi, K = (sym[n] for n in ("L", "r", "s", "pi", "K"))
    N = (1 - s) * (1 + r) * L - pi * K
    p = sym["p_N"] - sym["x_R"] * (sym["p_N"] - sym["p_R"])
    d = p + (1 - p) * sym["x_D"]
    v = 1 - sym["q"] * (1 - sym["x_V"])
    expected = (
        sym["x_G"] * (sym["phi"] * L + sym["gamma"] * d * v * N)
        + (1 - sym["x_G"]) * d * v * sym["lam"] * sym["H"]
    )
    assert sp.expand(cost - expected) == 0


@pytest.fixture(scope="module")
def symbolic_policy():
    return guarantee_game("policy", symbolic=True)


@settings(max_examples=10, deadline=None)
@given(
    pi=st.fractions(0, 1, max_denominator=20),
    gamma=st.fractions(0, 1, max_denominator=20),
    q=st.fractions(0, 1, max_denominator=20),
    lam=st.fractions(0, 1, max_denominator=20),
)
def test_symbolic_game_matches_numeric(symbolic_policy, pi, gamma, q, lam):
    values = {p.name: p.default for p in guarantee_game.model_info.for_mode("policy").parameters}
    values.update(pi=pi, gamma=gamma, q=q, lam=lam)
    values = {k: F_(str(v)) if isinstance(v, float) else v for k, v in values.items()}
    assert symbolic_policy.subs(values) == guarantee_game("policy", **values)


@settings(max_examples=30, deadline=None)
@given(
    pi=st.fractions(0, 1, max_denominator=40),
    F=st.fractions(0, 150, max_denominator=4),
    S=st.fractions(0, 60, max_denominator=4),
    mode=st.sampled_from(["business", "mutual", "policy"]),
)
def test_sme_repays_iff_closed_form_condition(pi, F, S, mode):
    params = dict(pi=pi, F=F)
    if mode == "mutual":
        params["S"] = S
    g = guarantee_game(mode, **params)
    sanction = S if mode == "mutual" else 0
    repays = F_(106) <= pi * (60 + F) + sanction
    # the SME's choice does not depend on the others: check it at every profile of theirs
    payoffs = g.exact_payoffs[..., 2]
    gain = payoffs.take(0, axis=2) - payoffs.take(1, axis=2)
    if repays:
        assert all(x >= 0 for x in gain.flat)
    else:
        assert all(x < 0 for x in gain.flat)


def test_compensation_crowds_out_review():
    """Moral hazard: with the state reimbursing losses the guarantor stops reviewing."""
    g = guarantee_game("policy", F=80)  # enforcement strong enough for the SME to repay
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
    ],
)
def test_bad_parameters_are_named(mode, kwargs, names):
    with pytest.raises(ParameterError) as err:
        guarantee_game(mode, **kwargs)
    for n in names:
        assert n in str(err.value)


def test_bad_probability_in_cost_to_government():
    with pytest.raises(ParameterError, match="compensate"):
        cost_to_government(compensate=1.5)


def test_describe_per_mode():
    assert {"gamma", "phi", "H"} <= set(describe(guarantee_game, mode="policy").index)
    assert "gamma" not in describe(guarantee_game("business")).index
    assert {"S", "e_m"} <= set(describe(guarantee_game("mutual")).index)
    assert np.all(describe(guarantee_game).notna())
