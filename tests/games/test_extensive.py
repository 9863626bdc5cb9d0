"""Signalling games and perfect Bayesian equilibria (alliance.games.extensive).

Reference: the collateral-signalling game, whose pure PBE are derived by hand in
``alliance.models.screening.collateral_signalling_closed_form`` (separating iff
k_g <= V <= k_b; pooling sets by the prior against q* = -pi_b / (pi_g - pi_b)).
"""

from __future__ import annotations

from fractions import Fraction

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
