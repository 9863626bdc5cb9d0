"""Signalling games and perfect Bayesian equilibria (alliance.games.extensive).

Reference: the collateral-signalling game, whose pure PBE are derived by hand in
``alliance.models.screening.collateral_signalling_closed_form`` (separating iff
k_g <= V <= k_b; pooling sets by the prior against q* = -pi_b / (pi_g - pi_b)).
"""

from __future__ import annotations

import itertools
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from alliance.errors import InvalidGameError
from alliance.games.extensive import SignallingGame
from alliance.models.screening import collateral_signalling, collateral_signalling_closed_form


def key(e):
    return (e.sender["good"], e.sender["bad"], e.receiver["pledge"], e.receiver["none"])


small = st.integers(1, 12).map(Fraction)


@settings(max_examples=40, deadline=None)
@given(st.fractions(Fraction(1, 20), Fraction(19, 20)), small, small, small, small, small)
def test_pbe_match_the_closed_forms(q, value, k_good, k_bad, profit_good, loss_bad):
    params = (q, value, k_good, k_bad, profit_good, -loss_bad)
    game = collateral_signalling(*params)
    found = game.perfect_bayesian_equilibria()
    assert {key(e) for e in found} == collateral_signalling_closed_form(*params)
    for e in found:
        assert game.check(e)
        # on the path, beliefs follow Bayes's rule from the prior
        if e.kind == "separating":
            assert e.beliefs[e.sender["good"]]["good"] == 1
            assert e.beliefs[e.sender["bad"]]["good"] == 0
        elif e.kind == "pooling":
            assert e.beliefs[e.sender["good"]]["good"] == q


def test_separating_equilibrium_and_off_path_beliefs():
    q, V, kg, kb, pg, pb = Fraction(1, 2), 5, 2, 8, 3, -6  # q* = 2/3 > q
    game = collateral_signalling(q, V, kg, kb, pg, pb)
    found = {key(e): e for e in game.perfect_bayesian_equilibria()}
    sep = found[("pledge", "none", "lend", "refuse")]
    assert sep.kind == "separating" and sep.off_path == {}
    assert sep.sender_payoffs == {"good": V - kg, "bad": 0}
    # pooling on no collateral with refusal: off-path belief after a pledge at most q* = 2/3
    pool = found[("none", "none", "refuse", "refuse")]
    assert pool.off_path["pledge"] == (0, Fraction(2, 3))
    assert "off path pledge: P(good) in [0, 2/3]" in repr(pool)


def test_a_broken_equilibrium_fails_the_check():
    game = collateral_signalling(Fraction(1, 2), 5, 2, 8, 3, -6)
    e = game.perfect_bayesian_equilibria()[0]
    wrong = type(e)(e.sender, e.receiver, {m: {"good": Fraction(1, 2), "bad": Fraction(1, 2)}
                                           for m in e.beliefs}, e.off_path, e.kind, e.sender_payoffs)
    assert not game.check(wrong)  # beliefs after a pledge contradict Bayes's rule


def test_three_types_use_a_linear_programme_for_off_path_beliefs():
    types = ["a", "b", "c"]
    game = SignallingGame(types, [Fraction(1, 3)] * 3, ["x", "y"], ["u", "v"],
                          sender=lambda t, m, a: (1 if a == "u" else 0) - (m == "y") * 2,
                          receiver=lambda t, m, a: {"a": 1, "b": -1, "c": 0}[t] * (a == "u"))
    found = game.perfect_bayesian_equilibria()
    assert found and all(game.check(e) for e in found)
    assert all(e.kind == "pooling" for e in found)  # y is costly for every type


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [({"prior": [Fraction(1, 2), Fraction(1, 3)]}, "sums to"),
     ({"prior": [1, 0]}, "positive"),
     ({"messages": ["x", "x"]}, "distinct")],
)
def test_bad_signalling_game_is_refused(kwargs, match):
    args = {"types": ["a", "b"], "prior": [Fraction(1, 2)] * 2, "messages": ["x", "y"],
            "actions": ["u", "v"], "sender": lambda t, m, a: 0, "receiver": lambda t, m, a: 0}
    args.update(kwargs)
    with pytest.raises(InvalidGameError, match=match):
        SignallingGame(**args)


# -------------------------------------------------------------------- extensive form
from alliance.games.extensive import ExtensiveGame, Move  # noqa: E402
from alliance.games.sequential import Chance, Leaf  # noqa: E402
from alliance.io.gambit import read_efg_infosets, write_efg_infosets  # noqa: E402


def kuhn_poker():
    """Kuhn's (1950) three-card poker: antes of 1, one bet of 1; player 1's value is -1/18."""
    cards = "JQK"

    def show(c1, c2, stake):
        return Leaf((stake, -stake) if cards.index(c1) > cards.index(c2) else (-stake, stake))

    deals = {}
    for c1, c2 in itertools.permutations(cards, 2):
        after_check = Move("P2", f"{c2}:check", {
            "check": show(c1, c2, 1),
            "bet": Move("P1", f"{c1}:check-bet", {"fold": Leaf((-1, 1)), "call": show(c1, c2, 2)}),
        })
        after_bet = Move("P2", f"{c2}:bet", {"fold": Leaf((1, -1)), "call": show(c1, c2, 2)})
        deals[c1 + c2] = (Fraction(1, 6), Move("P1", c1, {"check": after_check, "bet": after_bet}))
    return ExtensiveGame(Chance(deals), ["P1", "P2"], title="Kuhn poker")


def test_kuhn_poker_value_by_the_sequence_form_lp():
    g = kuhn_poker()
    eq = g.zero_sum_equilibrium()
    assert eq.value == Fraction(-1, 18)
    assert eq.payoffs[0] == pytest.approx(-1 / 18, abs=1e-9)
    sf = g.sequence_form()
    assert [len(s) for s in sf.sequences] == [13, 13]  # 1 + 6 infosets x 2 actions each
    # known equilibrium properties: P1 never bets a Q first; P2 always calls a bet with K
    assert eq.strategies["P1"]["Q"]["bet"] == 0
    assert eq.strategies["P2"]["K:bet"]["call"] == 1


def test_kuhn_poker_normal_form_agrees_with_the_sequence_form():
    from scipy.optimize import linprog

    g = kuhn_poker()
    form = g.to_normal_form()
    assert form.shape == (64, 64)
    # the value of the 64 x 64 matrix game by its own linear programme
    A = form.payoffs[..., 0]
    m, k = A.shape
    res = linprog(np.r_[np.zeros(m), -1.0], A_ub=np.c_[-A.T, np.ones(k)], b_ub=np.zeros(k),
                  A_eq=np.r_[np.ones(m), 0.0][None], b_eq=[1.0],
                  bounds=[(0, None)] * m + [(None, None)], method="highs")
    assert -res.fun == pytest.approx(-1 / 18, abs=1e-9)
    # Kuhn's theorem: the LP's mixed strategy has a behaviour equivalent with the same payoff
    # against every pure strategy of player 2
    behaviour = g.behaviour_strategy("P1", list(res.x[:m]))
    for column in (0, 17, 63):
        pure = g.pure_strategies("P2")[column]
        mix = {h: {a: float(a == act) for a in acts}
               for (h, acts), act in zip(g.information_sets("P2"), pure.values(), strict=True)}
        ours = g.expected_payoffs({"P1": behaviour, "P2": mix})[0]
        assert ours == pytest.approx(float(res.x[:m] @ A[:, column]), abs=1e-9)


def test_efg_round_trip_and_gambit_reads_it(tmp_path):
    g = kuhn_poker()
    text = write_efg_infosets(g, tmp_path / "kuhn.efg")
    back = read_efg_infosets(tmp_path / "kuhn.efg")
    assert back.information_sets("P1") == g.information_sets("P1")
    assert back.zero_sum_equilibrium().value == Fraction(-1, 18)
    gbt = pytest.importorskip("pygambit")
    game = gbt.read_efg(str(tmp_path / "kuhn.efg"))
    assert list(game.players) == ["P1", "P2"]
    result = gbt.nash.lp_solve(game, rational=True)
    assert result.equilibrium.payoffs["P1"] == gbt.Rational(-1, 18)
    assert text.startswith('EFG 2 R "Kuhn poker"')


def test_imperfect_recall_is_refused():
    forget = Move("P1", "first", {
        "L": Move("P1", "second", {"a": Leaf((1,)), "b": Leaf((0,))}),
        "R": Move("P1", "second", {"a": Leaf((0,)), "b": Leaf((1,))}),
    })
    with pytest.raises(InvalidGameError, match="perfect recall"):
        ExtensiveGame(forget, ["P1"])
