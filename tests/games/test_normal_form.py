"""The NormalFormGame facade: construction, validation, parameters, profiles, display."""

from fractions import Fraction

import numpy as np
import pytest
import sympy as sp
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

import alliance as al
from alliance.errors import InvalidGameError, ParameterError

PD = dict(
    A=[[3, 0], [5, 1]],
    B=[[3, 5], [0, 1]],
    players=("Row", "Col"),
    strategies=(("C", "D"), ("C", "D")),
)


def lending_payoffs():
    return {
        ("lend", "repay"): ("r*L", "R - (1 + r)*L"),
        ("lend", "default"): ("-L + pi*c", "R - pi*c"),
        ("refuse", "repay"): (0, 0),
        ("refuse", "default"): (0, 0),
    }


def test_kinds():
    assert al.NormalFormGame.from_matrices(PD["A"], PD["B"]).kind == "exact"
    assert al.NormalFormGame.from_matrices(np.array(PD["A"], float), PD["B"]).kind == "exact"
    assert al.NormalFormGame.from_matrices([[0.5, 0], [1, 2]], PD["B"]).kind == "float"
    assert al.NormalFormGame.from_matrices([[Fraction(1, 3), 0], [1, 2]], PD["B"]).kind == "exact"
    g = al.NormalFormGame.from_payoffs(lending_payoffs(), players=("Bank", "SME"))
    assert g.kind == "symbolic"
    assert [p.name for p in g.params] == ["L", "R", "c", "pi", "r"]


def test_zero_sum_default_and_labels():
    g = al.NormalFormGame.from_matrices([[1, -1], [-1, 1]])
    A, B = g.payoff_matrices()
    np.testing.assert_array_equal(A, -B)
    assert g.players == ("Player 1", "Player 2")
    assert g.strategies == (("s1", "s2"), ("s1", "s2"))


def test_from_payoffs_orders_strategies_by_appearance():
    g = al.NormalFormGame.from_payoffs(lending_payoffs(), players=("Bank", "SME"))
    assert g.strategies == (("lend", "refuse"), ("repay", "default"))
    r, L = g.symbols["r"], g.symbols["L"]
    assert g.payoffs[0, 0, 0] == r * L


def test_declared_assumptions_simplify_and_are_checked():
    g = al.NormalFormGame.from_payoffs(
        lending_payoffs(), players=("Bank", "SME"),
        params={"r": "positive", "L": "positive", "R": "positive", "c": "nonnegative", "pi": "probability"},
    )
    assert g.symbols["r"].is_positive
    assert g.assumptions["pi"] == "probability"
    with pytest.raises(ParameterError, match="'pi'.*probability"):
        g.subs(pi=1.5)
    with pytest.raises(ParameterError, match="'r'.*positive"):
        g.subs(r=-0.1)
    with pytest.raises(ParameterError, match="unknown parameter 'z'"):
        g.subs(z=1)
    with pytest.raises(ParameterError, match="'L'.*finite"):
        g.subs(L=float("inf"))


def test_interval_assumptions():
    g = al.NormalFormGame.from_payoffs({("a",): ("q",), ("b",): ("1 - q",)}, params={"q": (0, 1)})
    assert g.subs(q=Fraction(1, 4)).payoffs.ravel().tolist() == [0.25, 0.75]
    with pytest.raises(ParameterError, match="'q'.*outside"):
        g.subs(q=2)


def test_subs_exact_and_partial():
    g = al.NormalFormGame.from_payoffs(lending_payoffs(), players=("Bank", "SME"))
    exact = g.subs(r=Fraction(1, 10), L=100, R=150, c=50, pi=Fraction(1, 2))
    assert exact.kind == "exact"
    assert exact.exact_payoffs[0, 0, 1] == Fraction(40)
    partial = g.subs(L=100)
    assert partial.is_symbolic
    assert "L" not in [p.name for p in partial.params]
    floaty = g.subs(r=0.1, L=100, R=150, c=50, pi=0.5)
    assert floaty.kind == "float"


def test_pure_equilibria_of_symbolic_after_subs():
    g = al.NormalFormGame.from_payoffs(lending_payoffs(), players=("Bank", "SME"))
    # weak enforcement: the SME defaults and the bank refuses
    weak = g.subs(r=Fraction(1, 10), L=100, R=150, c=50, pi=Fraction(1, 10))
    assert [e.supports for e in weak.pure_equilibria()] == [(("refuse",), ("default",))]


def test_regret_and_is_equilibrium():
    g = al.NormalFormGame.from_matrices(**PD)
    assert g.is_equilibrium(("D", "D"))
    assert not g.is_equilibrium(("C", "C"))
    np.testing.assert_allclose(g.regret(("C", "C")), [2, 2])
    assert g.regret(("C", "C"), exact=True).tolist() == [Fraction(2), Fraction(2)]
    np.testing.assert_allclose(g.expected_payoffs([[0.5, 0.5], [1, 0]]), [4, 1.5])
    assert g.is_equilibrium({"Row": "D", "Col": "D"})


@pytest.mark.parametrize(
    ("profile", "match"),
    [
        ([[0.5, 0.6], [1, 0]], "sums to"),
        ([[1.5, -0.5], [1, 0]], r"outside \[0, 1\]"),
        ([[1, 0, 0], [1, 0]], "has 3 entries"),
        ([[1, 0]], "has 1 entries"),
        (["X", "C"], "'X' is not a strategy of Row"),
        ([[np.nan, 1], [1, 0]], "non-finite"),
        ({"Nobody": "C", "Col": "C"}, "unknown player"),
        ([5, 0], "out of range"),
    ],
)
def test_bad_profiles_are_named(profile, match):
    g = al.NormalFormGame.from_matrices(**PD)
    with pytest.raises(ParameterError, match=match):
        g.regret(profile)


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        (dict(A=[[1, 2], [3]], B=[[1, 2], [3, 4]]), "A is ragged"),
        (dict(A=[], B=[]), "A is empty"),
        (dict(A=[[np.nan, 1], [1, 1]], B=[[1, 1], [1, 1]]), r"at \(s1, s1\) is nan"),
        (dict(A=np.array([[np.inf, 1], [1, 1]]), B=[[1, 1], [1, 1]]), r"A\[0, 0\] is inf"),
        (dict(A=[[1, 1], [1, 1]], B=[[1, 1, 1], [1, 1, 1]]), "B has shape"),
        (dict(A=[[1, 1], [1, 1]], B=[[1, 1], [1, 1]], strategies=(("a", "b"), ("c",))), "strategies of Player 2"),
        (dict(A=[[1, 1], [1, 1]], B=[[1, 1], [1, 1]], strategies=(("a", "a"), ("c", "d"))), "duplicate"),
        (dict(A=[[1, 1], [1, 1]], B=[[1, 1], [1, 1]], players=("A",)), "players has 1"),
        (dict(A=[[1, 1], [1, 1]], B=[[1, 1], [1, 1]], players=("A", "A")), "duplicate"),
        (dict(A=[["x+1", 1], [1, 1]], B=[[1, 1], [1, 1]], params=["r"]), "unknown name 'x'"),
        (dict(A=[["__import__('os')", 1], [1, 1]], B=[[1, 1], [1, 1]]), "dunder"),
        (dict(A=[[True, 1], [1, 1]], B=[[1, 1], [1, 1]]), "boolean"),
        (dict(A=[[None, 1], [1, 1]], B=[[1, 1], [1, 1]]), "type NoneType"),
    ],
)
def test_bad_games_raise_named_errors(kwargs, match):
    A = kwargs.pop("A")
    B = kwargs.pop("B")
    with pytest.raises(al.AllianceError, match=match) as info:
        al.NormalFormGame.from_matrices(A, B, **kwargs)
    assert isinstance(info.value, ValueError)  # input errors are ValueErrors too


def test_from_payoffs_missing_profile_and_bad_lengths():
    with pytest.raises(InvalidGameError, match="no entry for profile"):
        al.NormalFormGame.from_payoffs({("a", "x"): (1, 1), ("b", "y"): (0, 0)})
    with pytest.raises(InvalidGameError, match="sequence of 2 values"):
        al.NormalFormGame.from_payoffs({("a", "x"): (1,), ("b", "y"): (0, 0)})
    with pytest.raises(InvalidGameError, match="same length"):
        al.NormalFormGame.from_payoffs({("a", "x"): (1, 1), ("b",): (0,)})


def test_from_array_shape_errors():
    with pytest.raises(InvalidGameError, match="one payoff per player"):
        al.NormalFormGame.from_array(np.zeros((2, 2, 3)))
    with pytest.raises(InvalidGameError, match="every player needs a strategy"):
        al.NormalFormGame.from_array(np.zeros((0, 2, 2)))


def test_display():
    g = al.NormalFormGame.from_matrices(**PD)
    text = repr(g)
    assert "Row × Col, 2×2, exact" in text and "(5, 0)" in text
    assert r"\text{C}" in g._repr_latex_()
    assert "<table" in g._repr_html_()
    frame = g.to_frame()
    assert frame.loc[("D", "C"), "Row"] == 5
    s = al.NormalFormGame.from_payoffs(lending_payoffs(), players=("Bank", "SME"))
    assert r"\pi" in s._repr_latex_()
    eq = g.pure_equilibria()[0]
    assert eq.to_frame().loc[("Row", "D"), "probability"] == 1
    assert "Row: D" in repr(eq) and "$" in eq._repr_latex_() and "<table" in eq._repr_html_()


def test_symbolic_game_needs_numbers_for_regret():
    g = al.NormalFormGame.from_payoffs(lending_payoffs(), players=("Bank", "SME"))
    with pytest.raises(ParameterError, match=r"free parameters.*subs"):
        g.regret(("lend", "repay"))


def test_equality():
    assert al.NormalFormGame.from_matrices(**PD) == al.NormalFormGame.from_matrices(**PD)
    r = sp.Symbol("r", real=True)
    g1 = al.NormalFormGame.from_payoffs({("a",): (r * 2,), ("b",): (0,)})
    g2 = al.NormalFormGame.from_payoffs({("a",): ("r + r",), ("b",): (0,)})
    assert g1 == g2


@settings(max_examples=40, deadline=None)
@given(
    arrays(np.int64, st.tuples(st.integers(1, 3), st.integers(1, 3), st.integers(1, 3), st.just(3)),
           elements=st.integers(-5, 5))
)
def test_pure_equilibria_have_zero_regret_and_are_complete(P):
    g = al.NormalFormGame.from_array(P)
    found = {tuple(e.supports) for e in g.pure_equilibria()}
    for idx in np.ndindex(*P.shape[:-1]):
        profile = [g.strategies[i][j] for i, j in enumerate(idx)]
        is_eq = bool(np.all(g.regret(profile, exact=True) == 0))
        assert is_eq == (tuple((s,) for s in profile) in found)


def test_restrict_keeps_payoffs_parameters_and_names_errors():
    import pytest

    from alliance.errors import ParameterError
    from alliance.models import lending_game

    g = lending_game(symbolic=["pi", "F"])
    stage = g.restrict(SME=("repay", "default"))
    assert stage.strategies == (("lend", "refuse"), ("repay", "default"))
    assert stage.params == g.params and stage.assumptions == g.assumptions
    for i, s in enumerate(("repay", "default")):
        j = g.strategies[1].index(s)
        assert stage._expr[0, i, 0] == g._expr[0, j, 0]
    with pytest.raises(ParameterError, match="unknown player"):
        g.restrict(Nobody=("x",))
    with pytest.raises(ParameterError, match="subset"):
        g.restrict(SME=("repay", "sell"))
    with pytest.raises(ParameterError, match="subset"):
        g.restrict(SME=())
