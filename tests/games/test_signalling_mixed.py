r"""Mixed (semi-separating) perfect Bayesian equilibria of signalling games.

Reference game, solved by hand: costly collateral as a signal. A good SME (prior q) or a bad
one asks a bank for a loan worth V to it; pledging collateral costs the good type k_g and the
bad type k_b whatever the bank does (appraisal and legal fees), with 0 < k_g < k_b < V. The
bank earns pi_g > 0 lending to a good SME and pi_b < 0 to a bad one, so it lends at belief mu
iff mu >= q* = -pi_b / (pi_g - pi_b); take q < q* (without information it refuses).

Write rho_m for the probability of a loan after message m, sigma_t for type t's probability of
pledging. Type t gains (rho_pledge - rho_none) V - k_t by pledging: the gain is larger for the
good type, so if the bad type weakly likes pledging the good type strictly does.

* Pooling on "none": the belief after "none" is q < q*, so rho_none = 0; no type pledges iff
  rho_pledge V <= k_g. Off the path the bank refuses (rho_pledge = 0, any belief in [0, q*]) or
  mixes, which needs the belief q* exactly: the extreme points are rho_pledge = 0 and
  rho_pledge = k_g / V.
* Pooling on "pledge": the belief is q < q*, so the bank refuses and each type pays k_t for
  nothing; "none" earns rho_none V >= 0 > -k_t: not an equilibrium.
* Separating (good pledges): beliefs 1 and 0, the bank lends only after a pledge and the bad
  type would copy (V - k_b > 0): not an equilibrium. The reverse separation fails likewise.
* Semi-separating: the good type pledges, the bad one pledges with probability sigma_b in
  (0, 1). After "none" the belief is 0: refuse. The bad type is indifferent iff
  rho_pledge V - k_b = 0, so rho_pledge = k_b / V in (0, 1), and the bank mixes only at the
  belief q*: q / (q + (1 - q) sigma_b) = q*, so sigma_b = q (1 - q*) / ((1 - q) q*), in (0, 1)
  because q < q*. The good type's gain k_b - k_g > 0 confirms its pledge. A good type that
  mixes instead needs (rho_pledge - rho_none) V = k_g, a belief 1 after a pledge (rho_pledge =
  1) and a loan after "none" with positive probability, which needs a belief q* > q there:
  impossible, since "none" then comes from the bad type more often than the prior says.

So the extreme PBE are exactly the two pooling ones and the one semi-separating equilibrium.
"""

from __future__ import annotations

import itertools
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from alliance.errors import InvalidGameError, SizeLimitError
from alliance.games.extensive import SignallingGame
from alliance.games.extensive.signalling_mixed import MixedPerfectBayesianEquilibrium


def costly_collateral(q, value, k_good, k_bad, profit_good, profit_bad):
    return SignallingGame(
        ["good", "bad"], [q, 1 - q], ["pledge", "none"], ["lend", "refuse"],
        sender=lambda t, m, a: value * (a == "lend") - {"good": k_good, "bad": k_bad}[t] * (m == "pledge"),
        receiver=lambda t, m, a: {"good": profit_good, "bad": profit_bad}[t] * (a == "lend"),
    )


def closed_form(q, value, k_good, k_bad, profit_good, profit_bad):
    """(sigma_good, sigma_bad, rho_pledge, rho_none) of every extreme PBE, from the docstring."""
    q_star = Fraction(-profit_bad, profit_good - profit_bad)
    sigma_bad = q * (1 - q_star) / ((1 - q) * q_star)
    return {
        (0, 0, 0, 0),
        (0, 0, Fraction(k_good, value), 0),
        (1, sigma_bad, Fraction(k_bad, value), 0),
    }


def summary(e):
    return (e.sender["good"]["pledge"], e.sender["bad"]["pledge"], e.receiver["pledge"]["lend"],
            e.receiver["none"]["lend"])


@settings(max_examples=40, deadline=None)
@given(st.integers(1, 20), st.integers(1, 20), st.integers(1, 20), st.integers(1, 20),
       st.integers(1, 20), st.data())
def test_semi_separating_equilibrium_matches_the_closed_form(k_good, gap, room, profit_good, loss, data):
    k_bad, value = k_good + gap, k_good + gap + room
    q_star = Fraction(loss, profit_good + loss)
    q = data.draw(st.fractions(Fraction(1, 50), q_star).filter(lambda x: 0 < x < q_star))
    game = costly_collateral(q, value, k_good, k_bad, profit_good, -loss)
    found = game.mixed_perfect_bayesian_equilibria()
    assert {summary(e) for e in found} == closed_form(q, value, k_good, k_bad, profit_good, -loss)
    assert len(found) == 3
    for e in found:
        assert game.check_mixed(e)  # exact: tol = 0
        assert all(isinstance(p, Fraction) for mix in e.sender.values() for p in mix.values())
    hybrid = next(e for e in found if e.kind == "semi-separating")
    # Bayes's rule puts the bank exactly at its indifference belief after a pledge
    assert hybrid.beliefs["pledge"]["good"] == q_star
    assert hybrid.beliefs["none"]["good"] == 0
    assert hybrid.sender_payoffs == {"good": k_bad - k_good, "bad": 0}
    assert hybrid.off_path == {}
    pooling = [e for e in found if e.kind == "pooling"]
    intervals = sorted(e.off_path["pledge"] for e in pooling)
    assert intervals == [(0, q_star), (q_star, q_star)]


def test_the_published_numbers():
    g = costly_collateral(Fraction(1, 2), 10, 2, 4, 3, -6)
    hybrid = [e for e in g.mixed_perfect_bayesian_equilibria() if e.kind == "semi-separating"]
    assert len(hybrid) == 1
    e = hybrid[0]
    assert e.sender["bad"] == {"pledge": Fraction(1, 2), "none": Fraction(1, 2)}
    assert e.receiver["pledge"] == {"lend": Fraction(2, 5), "refuse": Fraction(3, 5)}
    assert not e.is_pure
    # receiver: lends to 1/2 + 1/4 of the SMEs with prob 2/5: (1/2 * 3 - 1/4 * 6) * 2/5 = 0
    assert e.receiver_payoff == 0
    frame = e.to_frame()
    assert frame.loc["pledge", "sent_by_bad"] == Fraction(1, 2)
    assert "semi-separating" in e._repr_html_()


def random_game(draw_payoffs, types, messages, actions, prior):
    us, ur = draw_payoffs
    return SignallingGame(
        types, prior, messages, actions,
        sender=lambda t, m, a: us[types.index(t)][messages.index(m)][actions.index(a)],
        receiver=lambda t, m, a: ur[types.index(t)][messages.index(m)][actions.index(a)],
    )


@settings(max_examples=30, deadline=None)
@given(st.integers(2, 3), st.data())
def test_random_games_every_equilibrium_verifies_and_the_pure_ones_agree(n_types, data):
    types, messages, actions = ["a", "b", "c"][:n_types], ["x", "y"], ["u", "v"]
    payoff = st.integers(-3, 3)
    shape = st.lists(st.lists(st.lists(payoff, min_size=2, max_size=2), min_size=2, max_size=2),
                     min_size=n_types, max_size=n_types)
    weights = data.draw(st.lists(st.integers(1, 4), min_size=n_types, max_size=n_types))
    prior = [Fraction(w, sum(weights)) for w in weights]
    game = random_game((data.draw(shape), data.draw(shape)), types, messages, actions, prior)
    mixed = game.mixed_perfect_bayesian_equilibria()
    assert mixed, "every finite signalling game has a PBE"
    for e in mixed:
        assert game.check_mixed(e)
    pure_from_mixed = {(tuple(max(e.sender[t], key=e.sender[t].get) for t in types),
                        tuple(max(e.receiver[m], key=e.receiver[m].get) for m in messages))
                       for e in mixed if e.is_pure}
    pure = {(tuple(e.sender[t] for t in types), tuple(e.receiver[m] for m in messages))
            for e in game.perfect_bayesian_equilibria()}
    assert pure_from_mixed == pure


def test_check_rejects_a_broken_equilibrium():
    g = costly_collateral(Fraction(1, 2), 10, 2, 4, 3, -6)
    e = next(e for e in g.mixed_perfect_bayesian_equilibria() if e.kind == "semi-separating")
    wrong_belief = MixedPerfectBayesianEquilibrium(
        e.sender, e.receiver, {**e.beliefs, "pledge": {"good": Fraction(1, 2), "bad": Fraction(1, 2)}},
        e.off_path, e.kind, e.sender_payoffs, e.receiver_payoff)
    assert not g.check_mixed(wrong_belief)  # contradicts Bayes's rule
    wrong_mix = MixedPerfectBayesianEquilibrium(
        e.sender, {**e.receiver, "pledge": {"lend": Fraction(1, 2), "refuse": Fraction(1, 2)}},
        e.beliefs, e.off_path, e.kind, e.sender_payoffs, e.receiver_payoff)
    assert not g.check_mixed(wrong_mix)  # the bad type would now pledge for sure
    with pytest.raises(InvalidGameError, match="no entry"):
        g.check_mixed(MixedPerfectBayesianEquilibrium({}, {}, {}, {}, "", {}, 0))


def test_float_payoffs_are_solved_within_tolerance():
    g = costly_collateral(0.5, 10.5, 2.25, 4.5, 3.0, -6.0)
    found = g.mixed_perfect_bayesian_equilibria()
    hybrid = next(e for e in found if e.kind == "semi-separating")
    assert hybrid.receiver["pledge"]["lend"] == pytest.approx(4.5 / 10.5, abs=1e-12)
    assert all(g.check_mixed(e, tol=1e-9) for e in found)


def test_size_limit():
    many = [f"m{i}" for i in range(6)]
    g = SignallingGame(["a", "b", "c"], [Fraction(1, 3)] * 3, many, ["u", "v", "w"],
                       sender=lambda t, m, a: 0, receiver=lambda t, m, a: 0)
    with pytest.raises(SizeLimitError, match="support profiles"):
        g.mixed_perfect_bayesian_equilibria()


def test_pure_first_then_semi_separating():
    # the pure equilibria of the pure solver on the hand-solved game: only pooling on "none"
    g = costly_collateral(Fraction(1, 3), 7, 1, 3, 2, -5)
    assert [e.kind for e in g.perfect_bayesian_equilibria()] == ["pooling"]
    assert list(itertools.islice((e.kind for e in g.mixed_perfect_bayesian_equilibria()), 3)) == [
        "pooling", "pooling", "semi-separating"]


def test_beer_quiche_of_cho_and_kreps():
    r"""Cho and Kreps (1987): a strong (prior 9/10) or weak sender has beer or quiche; the
    strong prefers beer, the weak quiche (1 for the preferred breakfast), and each gains 2 if
    the receiver does not duel. The receiver gains 1 from dueling a weak sender and 1 from
    sparing a strong one, so it duels iff P(weak) >= 1/2.

    By hand: the belief on a pooling path is the prior, P(weak) = 1/10: no duel. The type that
    dislikes the pooled breakfast must not deviate: 1 + 2 (1 - d) <= 2, a duel after the
    other breakfast with probability d >= 1/2, which needs P(weak) >= 1/2 there, and exactly
    1/2 when d < 1. So each pooling equilibrium has the extreme points d = 1 and d = 1/2.
    No type mixes: a weak type mixing would be dueled for sure after quiche (only it sends
    quiche, value 1), so beer must give it 1 too (d = 1/2 after beer), which needs P(weak |
    beer) = 1/2 > 1/10, more weak types than there are; the strong type likewise.
    """
    def sender(t, m, a):
        return (1 if (t, m) in {("strong", "beer"), ("weak", "quiche")} else 0) + 2 * (a == "spare")

    def receiver(t, m, a):
        return 1 if (t, a) in {("weak", "duel"), ("strong", "spare")} else 0

    g = SignallingGame(["strong", "weak"], [Fraction(9, 10), Fraction(1, 10)], ["beer", "quiche"],
                       ["duel", "spare"], sender, receiver)
    found = g.mixed_perfect_bayesian_equilibria()
    assert all(e.kind == "pooling" for e in found) and all(g.check_mixed(e) for e in found)
    summary = {(e.sender["strong"]["beer"], e.sender["weak"]["beer"], e.receiver["beer"]["duel"],
                e.receiver["quiche"]["duel"]) for e in found}
    half = Fraction(1, 2)
    assert summary == {(1, 1, 0, 1), (1, 1, 0, half), (0, 0, 1, 0), (0, 0, half, 0)}
    # off the path the belief in the weak type is at least 1/2 (the first type is "strong")
    assert sorted(e.off_path[m] for e in found for m in e.off_path) == [
        (0, half), (0, half), (half, half), (half, half)]


def test_every_column_of_the_signalling_tables_is_snake_case():
    from alliance.numbers import snake_case

    g = SignallingGame(
        ["Good SME", "Bad SME"], [Fraction(1, 2), Fraction(1, 2)], ["pledge", "no pledge"],
        ["lend", "refuse"],
        sender=lambda t, m, a: 10 * (a == "lend") - {"Good SME": 2, "Bad SME": 4}[t] * (m == "pledge"),
        receiver=lambda t, m, a: {"Good SME": 3, "Bad SME": -6}[t] * (a == "lend"),
    )
    frames = [e.to_frame() for e in g.perfect_bayesian_equilibria()]
    frames += [e.to_frame() for e in g.mixed_perfect_bayesian_equilibria()]
    assert len(frames) > 2
    for frame in frames:
        names = list(frame.columns) + [frame.index.name]
        assert names == [snake_case(n) for n in names], names
    assert "belief_good_sme" in frames[0].columns and "sent_by_bad_sme" in frames[-1].columns
