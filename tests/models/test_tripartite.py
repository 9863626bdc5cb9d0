"""Tests of the government–bank–guarantor tripartite game."""

import itertools
from fractions import Fraction

import pytest
import sympy as sp
from hypothesis import given, settings
from hypothesis import strategies as st

from alliance.errors import ParameterError
from alliance.models import describe, tripartite_guarantee, tripartite_guarantee_game

F_ = Fraction


def test_structure_and_defaults():
    g = tripartite_guarantee_game()
    assert g.players == ("Government", "Bank", "Guarantor")
    assert g.strategies == (
        ("support", "not support"),
        ("lend", "not lend"),
        ("guarantee", "not guarantee"),
    )
    assert g.is_exact
    assert [e.supports for e in g.pure_equilibria()] == [(("support",), ("lend",), ("guarantee",))]
    eqs = g.equilibria()
    assert {e.profile for e in eqs} == {
        ((1, 0), (1, 0), (1, 0)),
        ((F_(1, 3), F_(2, 3)), (1, 0), (F_(20, 41), F_(21, 41))),
        ((F_(11, 20), F_(9, 20)), (F_(2, 3), F_(1, 3)), (0, 1)),
    }


def _formula(v, support, lend, guarantee):
    el = v["p"] * v["lgd"] * v["L"]
    bank = lend * (
        (1 - v["p"]) * v["r"] * v["L"]
        - el * (1 - (1 - v["s"]) * guarantee)
        - v["c_b"]
        + v["sigma"] * v["L"] * support
    )
    guarantor = guarantee * (
        lend * (v["f"] * v["L"] - el * (1 - v["s"]) * (1 - v["gamma"] * support)) - v["c_g"]
    )
    if support:
        gov = (
            -v["c_s"]
            - lend * v["sigma"] * v["L"]
            - lend * guarantee * (v["gamma"] * el * (1 - v["s"]) - v["W"])
        )
    else:
        gov = -v["P"] * (1 - lend)
    return gov, bank, guarantor


@settings(max_examples=15, deadline=None)
@given(
    p=st.fractions(0, 1, max_denominator=50),
    s=st.fractions(0, 1, max_denominator=10),
    gamma=st.fractions(0, 1, max_denominator=10),
    W=st.fractions(0, 20, max_denominator=4),
)
def test_payoffs_match_the_documented_formulas(p, s, gamma, W):
    v = {k: F_(str(x)) for k, x in tripartite_guarantee_game.model_info.defaults().items()}
    v.update(p=p, s=s, gamma=gamma, W=W)
    g = tripartite_guarantee_game(**v)
    table = g.exact_payoffs
    for index in itertools.product(range(2), repeat=3):
        flags = [1 - i for i in index]
        assert tuple(table[index]) == _formula(v, *flags)


def test_symbolic_game_substitutes_to_numeric():
    s = tripartite_guarantee_game(symbolic=True)
    assert len(s.params) == 13
    values = {k: F_(str(x)) for k, x in tripartite_guarantee_game.model_info.defaults().items()}
    assert s.subs(values) == tripartite_guarantee_game()
    with pytest.raises(ParameterError, match="lgd"):
        s.subs(lgd=2)


def test_evolutionary_game_has_the_stated_ess():
    pytest.importorskip("alliance.games.evolutionary")
    from alliance.games.evolutionary import EvolutionaryGame

    ev = EvolutionaryGame(tripartite_guarantee())
    assert ev.ess() == [(1, 1, 1)]
    # without a social benefit of support the government withdraws once everyone cooperates
    assert (1, 1, 1) not in EvolutionaryGame(tripartite_guarantee(W=0)).ess()


def test_bank_replicator_factor():
    pytest.importorskip("alliance.games.evolutionary")
    from alliance.games.evolutionary import EvolutionaryGame

    ev = EvolutionaryGame(tripartite_guarantee(symbolic=True))
    eq = ev.equations()
    text = str(eq)
    assert "dy/dt = y*(1 - y)*" in text


@pytest.mark.parametrize(
    ("kwargs", "name"), [(dict(p=1.5), "p"), (dict(c_b=-1), "c_b"), (dict(L=0), "L")]
)
def test_bad_parameters_are_named(kwargs, name):
    with pytest.raises(ParameterError) as err:
        tripartite_guarantee_game(**kwargs)
    assert f" {name} is " in str(err.value)


def test_describe():
    frame = describe(tripartite_guarantee)
    assert len(frame) == 13
    assert describe(tripartite_guarantee_game(symbolic=["W"])).loc["W", "value"] == "W"
    assert sp.Symbol("W") is not None


@pytest.mark.parametrize("capital", ["ample", "limited"])
def test_no_bank_or_guarantor_below_its_outside_option_at_any_equilibrium(capital):
    """The second strategies are the outside options (payoff 0): an equilibrium never leaves a
    bank or a guarantor below 0 unless it plays its outside option."""
    for point in ({}, dict(C=2), dict(f=0.005), dict(c_b=8)):
        if capital == "ample" and "C" in point:
            continue
        g = tripartite_guarantee_game(capital=capital, **point)
        for e in g.equilibria():
            assert max(g.regret(e.profile)) <= 1e-9
            for player in ("Bank", "Guarantor"):
                i = g.players.index(player)
                if e.profile[i][0] > 0:  # it takes part with positive probability
                    assert e.payoffs[i] >= 0, (point, e)
        # not lending / not guaranteeing pays exactly the outside option 0
        table = g.exact_payoffs
        assert all(x == 0 for x in table[:, 1, :, 1].flat)
        assert all(x == 0 for x in table[:, :, 1, 2].flat)


@settings(max_examples=25, deadline=None)
@given(
    C=st.fractions(0, 10, max_denominator=4),
    s=st.fractions(0, 1, max_denominator=10),
    p=st.fractions(0, 1, max_denominator=20),
)
def test_limited_liability_caps_the_guarantor_payment(C, s, p):
    v = {k: F_(str(x)) for k, x in tripartite_guarantee_game.model_info.defaults().items()}
    v.update(s=s, p=p)
    ample = tripartite_guarantee_game(**v).exact_payoffs
    limited = tripartite_guarantee_game(capital="limited", C=C, **v).exact_payoffs
    share = (1 - s) * v["lgd"] * v["L"]
    paid = p * min(share, C)
    assert paid <= p * C
    # not supporting, lending, guaranteeing: the guarantor pays paid; the bank bears the rest
    gap = p * share - paid
    assert limited[1, 0, 0, 2] - ample[1, 0, 0, 2] == gap
    assert ample[1, 0, 0, 1] - limited[1, 0, 0, 1] == gap
    if C >= share:
        assert (limited == ample).all()


def test_capital_option_is_checked():
    with pytest.raises(ParameterError, match="capital"):
        tripartite_guarantee_game(capital="some")
    with pytest.raises(ParameterError, match="C"):
        tripartite_guarantee_game(C=5)  # C belongs to capital="limited" only
    assert "C" in describe(tripartite_guarantee_game(capital="limited")).index
