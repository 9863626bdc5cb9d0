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
    lending_participation,
    repayment_condition,
)

F_ = Fraction


def _frac(lo, hi):
    return st.fractions(min_value=lo, max_value=hi, max_denominator=200)


def test_defaults_credit_rationing_component():
    g = lending_game()
    assert g.is_exact
    assert [e.supports for e in g.pure_equilibria()] == [
        (("refuse",), ("default",)),
        (("refuse",), ("decline",)),
    ]
    eqs = g.equilibria()
    profiles = {e.profile for e in eqs}
    assert profiles == {
        ((F_(0), F_(1)), (F_(0), F_(1), F_(0))),
        ((F_(0), F_(1)), (F_(0), F_(0), F_(1))),
        ((F_(0), F_(1)), (F_(68, 71), F_(3, 71), F_(0))),
    }
    # one component: the bank refuses (lends elsewhere, 3) and the SME gets its outside option
    assert len({e.component for e in eqs}) == 1
    assert all(e.payoffs == (3, 0) for e in eqs)
    assert all(g.is_equilibrium(e.profile, tol=0) for e in eqs)
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
    w=_frac(0, 50),
    rho=_frac(0, F_(1, 10)),
)
def test_symbolic_repayment_condition_matches_numeric_equilibria(L, r, c_share, F, pi, R, w, rho):
    C = c_share * (1 + r) * L
    params = dict(L=L, r=r, C=C, F=F, pi=pi, R=R, w=w, rho=rho)
    symbolic = SYMBOLIC_CONDITION
    condition = symbolic.subs({s: params[s.name] for s in symbolic.free_symbols})
    g = lending_game(**params)
    repays = bool(condition)
    assert repays == repayment_condition(**params)
    # (lend, repay) is an equilibrium iff the SME repays and both prefer the loan to their
    # outside options
    takes_part = r >= rho and R - (1 + r) * L >= w
    assert g.is_equilibrium(("lend", "repay"), tol=0) == (repays and takes_part)
    pure = {e.supports for e in g.pure_equilibria()}
    assert ((("lend",), ("repay",)) in pure) == (repays and takes_part)


@settings(max_examples=15, deadline=None)
@given(
    L=_frac(1, 200),
    r=_frac(F_(1, 100), 1),
    c_share=_frac(0, 1),
    F=_frac(0, 200),
    pi=_frac(0, 1),
    R=_frac(0, 300),
    w=_frac(0, 100),
    rho=_frac(0, 1),
)
def test_nobody_below_its_outside_option(L, r, c_share, F, pi, R, w, rho):
    """Every equilibrium, and the subgame-perfect one, pays each party its outside option."""
    C = c_share * (1 + r) * L
    params = dict(L=L, r=r, C=C, F=F, pi=pi, R=R, w=w, rho=rho)
    g = lending_game(**params)
    outside = (rho * L, w)
    for e in g.equilibria():
        assert all(x == 0 for x in g.regret(e.profile, exact=True))
        assert e.payoffs[0] >= outside[0] and e.payoffs[1] >= outside[1]
    result = lending_participation(**params)
    assert result.payoffs[0] >= outside[0] and result.payoffs[1] >= outside[1]
    assert tuple(result.outside_options) == outside
    lent = result.participates["Bank"]
    # who takes part, derived by hand: the SME repays iff the debt is at most the expected
    # cost of default; the bank lends iff that beats rho L; the SME applies iff a loan beats w
    debt = (1 + r) * L
    repays = debt <= pi * (C + F)
    bank_lends = (r * L if repays else pi * C - L) >= rho * L
    sme_if_lent = R - debt if repays else R - pi * (C + F)
    assert lent == (bank_lends and sme_if_lent >= w)
    if not lent:
        assert result.payoffs == outside  # whoever stays out gets exactly its outside option
    # the subgame-perfect outcome is an equilibrium of the normal form
    bank = "lend" if result.bank_lends else "refuse"
    sme = "decline" if not result.sme_applies else ("repay" if repays else "default")
    assert g.is_equilibrium((bank, sme), tol=0)


def test_participation_at_defaults_and_symbolically():
    result = lending_participation()
    assert result.sme_applies and result.bank_lends is False and result.sme_repays is None
    assert result.participates == {"Bank": False, "SME": False}
    assert result.payoffs == (3, 0) == result.outside_options
    strong = lending_participation(pi=1, F=60)
    assert strong.participates == {"Bank": True, "SME": True}
    assert strong.payoffs == (6, 24)
    # a rich informal market (w = 30 > R - (1+r)L = 24): the SME stays out
    informal = lending_participation(pi=1, F=60, w=30)
    assert not informal.sme_applies and informal.payoffs == (3, 30)
    # a bank whose reservation return exceeds the loan rate stays out
    assert lending_participation(pi=1, F=60, rho=0.08).bank_lends is False
    tree = lending_game(participation=True, symbolic=["pi", "F"]).backward_induction()
    lend = [b for b in tree if ("Bank", "lend") in b.path]
    assert len(lend) == 1 and str(lend[0].conditions) == "F*pi + 70*pi >= 106"
    assert "LendingParticipation(SME applies, Bank lends, SME repays" in repr(strong)
    assert strong.to_frame()["participates"].all()
    assert "<table" in strong._repr_html_()


def test_symbolic_game_substitutes_to_numeric():
    s = lending_game(symbolic=True)
    assert {p.name for p in s.params} == {"L", "r", "R", "C", "F", "pi", "w", "rho"}
    numeric = s.subs(L=100, r=F_(3, 50), R=130, C=70, F=50, pi=F_(1, 2), w=0, rho=F_(3, 100))
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
    # a bank whose outside option beats the loan rate cannot be kept lending
    assert lending_critical_discount(rho=0.1) == sp.oo
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
    # the punishment (refuse, default) is an equilibrium of the stage game (credible)
    assert rg.stage.is_equilibrium(("refuse", "default"), tol=0)
    assert rg.critical_discount().value == F_(23, 35)
    symbolic = lending_game(repeated=True, symbolic=True).critical_discount()
    sme = symbolic.by_player["SME"]
    # the SME's best deviation is max(decline: w, default: R - pi(C+F)); where it takes part
    # (R - (1+r)L >= w) and is tempted ((1+r)L > pi(C+F)) the default is the better one
    w = symbolic_symbol(sme, "w")
    sme = sme.replace(sp.Max, lambda *args: next(a for a in args if a != w))
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
        (dict(symbolic=["kappa"]), ("kappa",)),
        (dict(inspection=True, w=1), ("w", "inspection")),
        (dict(rho=1.5), ("rho", "1.5")),
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
    assert "rho" in frame.index and "rho" not in describe(lending_game(inspection=True)).index
