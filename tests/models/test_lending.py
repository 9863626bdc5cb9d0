"""Tests of the bank × SME lending game (alliance.models.lending)."""

from fractions import Fraction

import nashpy
import numpy as np
import pytest
import sympy as sp
from hypothesis import given, settings
from hypothesis import strategies as st

from alliance.errors import ParameterError
from alliance.models import (
    describe,
    inspection_equilibrium,
    lending_critical_discount,
    lending_game,
    repayment_condition,
)

F_ = Fraction


def _frac(lo, hi):
    return st.fractions(min_value=lo, max_value=hi, max_denominator=200)


def test_defaults_credit_rationing_component():
    g = lending_game()
    assert g.is_exact
    assert [e.supports for e in g.pure_equilibria()] == [(("refuse",), ("default",))]
    eqs = g.equilibria()
    profiles = {e.profile for e in eqs}
    assert profiles == {
        ((F_(0), F_(1)), (F_(0), F_(1))),
        ((F_(0), F_(1)), (F_(65, 71), F_(6, 71))),
    }
    # both extreme points lie in one component (bank refuses, SME defaults w.p. >= 6/71)
    assert len({e.component for e in eqs}) == 1
    assert not repayment_condition()


@pytest.mark.filterwarnings("ignore::RuntimeWarning")  # nashpy on a degenerate game
def test_defaults_agree_with_nashpy():
    A, B = lending_game().payoff_matrices()
    theirs = list(nashpy.Game(A, B).vertex_enumeration())
    ours = lending_game().equilibria()
    for sigma_r, sigma_c in theirs:
        assert any(
            np.allclose(sigma_r, np.array(e.profile[0], float))
            and np.allclose(sigma_c, np.array(e.profile[1], float))
            for e in ours
        )


SYMBOLIC_CONDITION = repayment_condition(symbolic=True)


@settings(max_examples=40, deadline=None)
@given(
    L=_frac(1, 200),
    r=_frac(F_(1, 100), F_(1, 2)),
    c_share=_frac(0, 1),
    F=_frac(0, 200),
    pi=_frac(0, 1),
    R=_frac(0, 300),
)
def test_symbolic_repayment_condition_matches_numeric_equilibria(L, r, c_share, F, pi, R):
    C = c_share * (1 + r) * L
    params = dict(L=L, r=r, C=C, F=F, pi=pi, R=R)
    symbolic = SYMBOLIC_CONDITION
    condition = symbolic.subs({s: params[s.name] for s in symbolic.free_symbols})
    g = lending_game(**params)
    repays = bool(condition)
    assert repays == repayment_condition(**params)
    # the SME repays a loan iff the condition holds, and (lend, repay) is then an equilibrium
    assert g.is_equilibrium(("lend", "repay"), tol=0) == repays
    pure = {e.supports for e in g.pure_equilibria()}
    assert ((("lend",), ("repay",)) in pure) == repays


def test_symbolic_game_substitutes_to_numeric():
    s = lending_game(symbolic=True)
    assert {p.name for p in s.params} == {"L", "r", "R", "C", "F", "pi", "w"}
    numeric = s.subs(L=100, r=F_(3, 50), R=130, C=70, F=50, pi=F_(1, 2), w=0)
    assert numeric == lending_game()
    partial = lending_game(symbolic=["r", "pi"])
    assert {p.name for p in partial.params} == {"r", "pi"}
    assert partial.symbols["r"].is_positive  # range (0, 1] gives a positive symbol
    with pytest.raises(ParameterError, match="pi"):
        partial.subs(pi=1.5)


def test_inspection_defaults_unique_mixed_equilibrium():
    g = lending_game(inspection=True)
    eqs = g.equilibria()
    assert len(eqs) == 1
    closed = inspection_equilibrium()
    assert closed == {"monitor": sp.Rational(23, 30), "default": sp.Rational(2, 35)}
    assert eqs[0].profile == ((F_(23, 30), F_(7, 30)), (F_(33, 35), F_(2, 35)))
    theirs = list(nashpy.Game(*g.payoff_matrices()).vertex_enumeration())
    assert len(theirs) == 1
    assert np.allclose(theirs[0][0], [23 / 30, 7 / 30]) and np.allclose(
        theirs[0][1], [33 / 35, 2 / 35]
    )


@settings(max_examples=40, deadline=None)
@given(
    L=_frac(10, 200),
    r=_frac(F_(1, 100), F_(1, 2)),
    pi=_frac(0, F_(9, 10)),
    c_share=_frac(F_(1, 10), 1),
    stake_excess=_frac(F_(1, 100), 2),
    m_share=_frac(F_(1, 100), F_(99, 100)),
)
def test_inspection_closed_form_is_the_unique_equilibrium(L, r, pi, c_share, stake_excess, m_share):
    debt = (1 + r) * L
    C = c_share * debt
    # pick F so that pi (C + F) < (1 + r) L < C + F, and m < (1 - pi) C
    stake = debt * (1 + stake_excess)
    F = stake - C
    if pi * stake >= debt:
        return
    m = m_share * (1 - pi) * C
    params = dict(L=L, r=r, C=C, F=F, pi=pi, m=m)
    closed = inspection_equilibrium(**params)
    p, q = F_(str(closed["monitor"])), F_(str(closed["default"]))
    assert 0 < p < 1 and 0 < q < 1
    g = lending_game(inspection=True, **params)
    profile = ((p, 1 - p), (1 - q, q))
    assert all(x == 0 for x in g.regret(profile, exact=True))
    eqs = g.equilibria()
    assert [e.profile for e in eqs] == [profile]


def test_critical_discount_closed_form():
    assert lending_critical_discount() == sp.Rational(23, 35)
    delta = lending_critical_discount(symbolic=True)
    names = {s.name: s for s in delta.free_symbols}
    expected = ((1 + names["r"]) * names["L"] - names["pi"] * (names["C"] + names["F"])) / (
        names["R"] - names["pi"] * (names["C"] + names["F"]) - names["w"]
    )
    assert sp.simplify(delta - expected) == 0


def symbolic_symbol(expr, name):
    return next(s for s in expr.free_symbols if s.name == name)


def test_repeated_game_critical_discount():
    repeated = pytest.importorskip("alliance.games.repeated")
    rg = lending_game(repeated=True)
    assert isinstance(rg, repeated.RepeatedGame)
    assert rg.critical_discount().value == F_(23, 35)
    symbolic = lending_game(repeated=True, symbolic=True).critical_discount()
    sme = symbolic.by_player["SME"]
    closed = lending_critical_discount(symbolic=True)
    assert (
        sp.simplify(
            sme - closed.xreplace({s: symbolic_symbol(sme, s.name) for s in closed.free_symbols})
        )
        == 0
    )


@pytest.mark.parametrize(
    ("kwargs", "names"),
    [
        (dict(pi=1.3), ("pi", "1.3", "[0, 1]")),
        (dict(L=0), ("L", "0", "(0, ∞)")),
        (dict(r=-0.1), ("r", "-0.1")),
        (dict(C=200), ("C", "200", "(1+r)L")),
        (dict(m=1), ("m", "inspection")),
        (dict(pi="0.5"), ("pi", "'0.5'")),
        (dict(symbolic=["rho"]), ("rho",)),
        (dict(foo=1), ("foo",)),
    ],
)
def test_bad_parameters_are_named(kwargs, names):
    with pytest.raises(ParameterError) as err:
        lending_game(**kwargs)
    for n in names:
        assert n in str(err.value)


def test_model_info_attached():
    g = lending_game(pi=0.7)
    frame = describe(g)
    assert float(frame.loc["pi", "value"]) == pytest.approx(0.7)
    assert "m" not in frame.index
    assert "m" in describe(lending_game(inspection=True)).index
