"""Critical discount factors of repeated games."""

from __future__ import annotations

from fractions import Fraction

import pytest
import sympy as sp

import alliance as al
from alliance.errors import ParameterError
from alliance.games.repeated import RepeatedGame

PD = al.NormalFormGame.from_payoffs(
    {
        ("C", "C"): ("R", "R"),
        ("C", "D"): ("S", "T"),
        ("D", "C"): ("T", "S"),
        ("D", "D"): ("P", "P"),
    },
    players=("Row", "Col"),
    params=["T", "R", "P", "S"],
)

# The bank honours the contract, expropriates (hold-up) or refuses; the SME repays or defaults.
LENDING = al.NormalFormGame.from_payoffs(
    {
        ("honour", "repay"): ("r*L", "R - (1 + r)*L"),
        ("honour", "default"): ("-L", "R"),
        ("expropriate", "repay"): ("r*L + h", "R - (1 + r)*L - h"),
        ("expropriate", "default"): ("-L", "R"),
        ("refuse", "repay"): (0, 0),
        ("refuse", "default"): (0, 0),
    },
    players=("Bank", "SME"),
    params={"r": "positive", "L": "positive", "R": "positive", "h": "positive"},
)


def test_grim_trigger_prisoners_dilemma_symbolic_and_numeric():
    cd = RepeatedGame(
        PD, cooperate=("C", "C"), punishment=("D", "D"), strategy="grim"
    ).critical_discount()
    T, R, P = (PD.symbols[n] for n in "TRP")
    grim_row = cd.by_player["Row"].xreplace({sp.Max(P, PD.symbols["S"]): P})
    assert sp.simplify(grim_row - (T - R) / (T - P)) == 0
    nash = RepeatedGame(PD, cooperate=("C", "C"), punishment=("D", "D")).critical_discount()
    assert sp.simplify(nash.by_player["Col"] - (T - R) / (T - P)) == 0
    assert "P <= S" in str(nash.conditions) or "P >= S" in str(nash.conditions)
    numeric = nash.subs(T=5, R=3, P=1, S=0)
    assert numeric.value == Fraction(1, 2) and numeric.sustains(0.5) and not numeric.sustains(0.49)
    exact = RepeatedGame(PD.subs(T=5, R=3, P=1, S=0), cooperate=("C", "C")).critical_discount()
    assert exact.by_player == {"Row": Fraction(1, 2), "Col": Fraction(1, 2)}


def test_asymmetric_lending_game_reports_each_player_and_the_binding_one():
    game = RepeatedGame(
        LENDING, cooperate=("honour", "repay"), punishment=("refuse", "default"), strategy="grim"
    )
    cd = game.critical_discount()
    s = LENDING.symbols
    r, L, R, h = (s[n] for n in ("r", "L", "R", "h"))
    assert set(cd.by_player) == {"Bank", "SME"} and cd.binding is None
    numeric = cd.subs(r=0.1, L=10, R=15, h=2)
    bank = numeric.by_player["Bank"]
    sme = numeric.by_player["SME"]
    assert bank != sme
    assert numeric.binding == ("Bank" if bank > sme else "SME")
    assert numeric.value == max(bank, sme)
    # Closed forms: the bank gains h once and loses r L a period; the SME gains (1 + r) L
    # once and loses R - (1 + r) L a period once the bank refuses to lend.
    assert sp.simplify(cd.by_player["Bank"] - h / (h + r * L)) == 0
    assert sp.simplify(cd.by_player["SME"] - (1 + r) * L / R) == 0
    assert numeric.by_player["SME"] == pytest.approx(11 / 15)
    assert cd.to_frame().shape == (2, 5)


def test_detection_probability_and_finite_punishment():
    T, R, P = (PD.symbols[n] for n in "TRP")
    pi = sp.Symbol("pi")
    cd = RepeatedGame(
        PD, cooperate=("C", "C"), punishment=("D", "D"), detection=pi
    ).critical_discount()
    assert sp.simplify(cd.by_player["Row"] - (T - R) / (T - R + pi * (R - P))) == 0
    one = RepeatedGame(
        PD.subs(T=5, R=3, P=1, S=0), cooperate=("C", "C"), length=1
    ).critical_discount()
    assert one.value == 1  # gain 2 = delta * loss 2
    three = RepeatedGame(
        PD.subs(T=5, R=3, P=1, S=0), cooperate=("C", "C"), length=3, detection=0.8
    ).critical_discount()
    d = float(three.value)
    assert abs(0.8 * 2 * (d + d**2 + d**3) - 2) < 1e-9
    weak = RepeatedGame(
        PD.subs(T=5, R=3, P=1, S=0), cooperate=("C", "C"), detection=0.3
    ).critical_discount()
    assert float(weak.value) == pytest.approx(2 / (2 + 0.3 * 2))


def test_bad_input():
    with pytest.raises(ParameterError, match="cooperate"):
        RepeatedGame(PD, cooperate=("C", "X"))
    with pytest.raises(ParameterError, match="detection of Row"):
        RepeatedGame(PD, cooperate=("C", "C"), detection=1.5).critical_discount()
    with pytest.raises(ParameterError, match="length"):
        RepeatedGame(PD, cooperate=("C", "C"), length=0)
    with pytest.raises(ParameterError, match="'r'"):
        RepeatedGame(
            LENDING, cooperate=("honour", "repay"), punishment=("refuse", "default")
        ).critical_discount().subs(r=-1, L=10, R=15, h=2)


def test_nash_reversion_refuses_a_punishment_that_is_not_a_stage_equilibrium():
    from alliance.errors import ParameterError
    from alliance.games.normal_form import NormalFormGame
    from alliance.games.repeated import RepeatedGame

    # at high returns the best reply to a defaulting partner is to repay for both
    stage = NormalFormGame.from_payoffs(
        {
            ("repay", "repay"): (3.9, 3.9),
            ("repay", "default"): (2.8, 5.0),
            ("default", "repay"): (5.0, 2.8),
            ("default", "default"): (2.5, 2.5),
        },
        players=("Member 1", "Member 2"),
    )
    with pytest.raises(ParameterError, match="not a stage equilibrium"):
        RepeatedGame(stage, ("repay", "repay"), punishment=("default", "default")).critical_discount()
    # the grim trigger (best reply to the punishment) stays available
    grim = RepeatedGame(
        stage, ("repay", "repay"), punishment=("default", "default"), strategy="grim"
    ).critical_discount()
    assert grim.value == pytest.approx((5.0 - 3.9) / (5.0 - 2.8))
