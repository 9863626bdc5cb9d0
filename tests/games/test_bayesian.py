"""Bayesian games and Bayes–Nash equilibria (alliance.games.bayesian).

Reference: the entry-deterrence game of Fudenberg and Tirole (1991, §6.1), solved by hand in
the docstring of ``entry_deterrence``: a high-cost incumbent never builds; the low-cost one
builds iff the entry probability y < 1/2; the entrant enters iff x < 1 / (2 (1 - p)), x the low
type's building probability.
"""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import pytest
import sympy as sp
from hypothesis import given, settings
from hypothesis import strategies as st

from alliance.errors import InvalidGameError, ParameterError
from alliance.games.bayesian import BayesianGame, entry_deterrence


def strategies(eq):
    s = eq.strategies
    return (
        s["Incumbent"]["high"]["build"],
        s["Incumbent"]["low"]["build"],
        s["Entrant"][""]["enter"],
    )


@settings(max_examples=10, deadline=None)
@given(st.fractions(Fraction(1, 50), Fraction(12, 25)))
def test_entry_deterrence_below_one_half_has_three_equilibria_by_hand(p):
    found = entry_deterrence(p).bayes_nash_equilibria()
    expected = {(0, 1, 0), (0, 0, 1), (0, 1 / (2 * (1 - p)), Fraction(1, 2))}
    assert {strategies(e) for e in found} == expected
    assert all(e.equilibrium.exact for e in found)
    for e in found:
        assert max(e.equilibrium.profile[0]) == 1  # the high-cost type never builds


@pytest.mark.parametrize("p", [Fraction(3, 5), Fraction(9, 10)])
def test_entry_deterrence_above_one_half_has_entry_only(p):
    found = entry_deterrence(p).bayes_nash_equilibria()
    assert [strategies(e) for e in found] == [(0, 0, 1)]


def test_agent_form_payoffs_are_interim_expectations():
    g = entry_deterrence(Fraction(1, 4))
    form = g.agent_form()
    assert form.players == ("Incumbent|high", "Incumbent|low", "Entrant")
    # entrant's payoff from entering when the low type builds and the high type does not:
    # 1/4 * 1 + 3/4 * (-1) = -1/2
    prof = {"Incumbent|high": "dont", "Incumbent|low": "build", "Entrant": "enter"}
    assert form.expected_payoffs(prof)[2] == Fraction(-1, 2)


def test_symbolic_prior_gives_conditions_matching_numbers():
    p = sp.Symbol("p", positive=True)
    g = entry_deterrence(p)
    assert g.symbolic
    pure = g.agent_form().pure_equilibria()
    deter = [e for e in pure if "stay out" in str(e)]
    assert deter, pure
    for value in (Fraction(1, 10), Fraction(2, 5), Fraction(3, 5), Fraction(4, 5)):
        numeric = g.subs(p=value).bayes_nash_equilibria()
        has_deterrence = any(strategies(e) == (0, 1, 0) for e in numeric)
        assert has_deterrence == (value <= Fraction(1, 2))
    with pytest.raises(ParameterError, match="needs numbers"):
        g.bayes_nash_equilibria()


def lending(p_good):
    """A bank facing an SME that is good (invests: repays) or bad (prefers to divert)."""

    def payoffs(t, a):
        kind = t[1]
        lend = a[0] == "lend"
        if not lend:
            return (0, 1 if a[1] == "divert" else 0)  # the bad project's private benefit
        if kind == "good":
            return (2, 3) if a[1] == "invest" else (-4, 1)
        return (2, 1) if a[1] == "invest" else (-4, 2)

    return BayesianGame(["Bank", "SME"], [[""], ["good", "bad"]], [["lend", "refuse"], ["invest", "divert"]],
                        [[p_good, 1 - p_good]], payoffs)


@pytest.mark.parametrize("p_good", [Fraction(1, 2), Fraction(9, 10)])
def test_lending_game_bank_lends_iff_good_share_exceeds_two_thirds(p_good):
    # By hand: the good SME invests if lent to (3 > 1), the bad diverts (2 > 1); refused,
    # investing earns 0 and diverting 1, so every type diverts against a sure refusal.
    # Lending pays 2 p - 4 (1 - p) against (invest, divert): lend iff p >= 2/3.
    found = lending(p_good).bayes_nash_equilibria()
    lends = [e for e in found if e.strategies["Bank"][""]["lend"] == 1]
    if p_good > Fraction(2, 3):
        assert len(lends) == 1
        assert lends[0].strategies["SME"]["good"]["invest"] == 1
        assert lends[0].strategies["SME"]["bad"]["divert"] == 1
    else:
        assert not lends
    form = lending(p_good).agent_form()
    for e in found:
        assert max(form.regret(e.equilibrium, exact=True)) == 0


def test_zero_probability_types_have_no_agent():
    g = lending(Fraction(1))
    assert g.agents == ("Bank", "SME|good")


@pytest.mark.parametrize(
    ("prior", "match"),
    [([[0.5, 0.6]], "sums to"), ([[0.5]], "shape"), ([[1.5, -0.5]], ">= 0")],
)
def test_bad_prior_is_refused(prior, match):
    with pytest.raises(InvalidGameError, match=match):
        BayesianGame(["A", "B"], [[""], ["x", "y"]], [["a"], ["b"]], prior, lambda t, a: (0, 0))


def test_results_show_themselves():
    e = entry_deterrence(Fraction(1, 4)).bayes_nash_equilibria()[2]
    frame = e.to_frame()
    assert frame.loc[("Incumbent", "low", "build"), "probability"] == Fraction(2, 3)
    assert "BayesNashEquilibrium(Incumbent: high -> dont" in repr(e)
    assert "<table" in e._repr_html_()
    assert np.isclose(float(frame["probability"].sum()), 3.0)


def test_payoff_text_goes_through_the_safe_parser():
    from alliance.errors import ParameterError

    g = BayesianGame(["A", "B"], [[""], ["x", "y"]], [["a"], ["b"]], [[Fraction(1, 2)] * 2],
                     lambda t, a: ("2*c + 1", "1"))
    assert g.symbolic
    with pytest.raises(ParameterError):
        BayesianGame(["A", "B"], [[""], ["x", "y"]], [["a"], ["b"]], [[Fraction(1, 2)] * 2],
                     lambda t, a: ("__import__('os').getcwd()", "1"))
