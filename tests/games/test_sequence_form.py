"""The sequence form of two-player extensive games: Lemke's algorithm on the LCP of Koller,
Megiddo and von Stengel (1996), the zero-sum LP, and regrets computed on the tree.

Checks: (1) on random small trees with imperfect information (and chance) the Lemke
equilibrium has zero regret, exactly, both on the tree (:func:`behaviour_regret`) and in the
induced normal form (:meth:`NormalFormGame.regret` of the equivalent mixed profile); (2) its
realisation plans are those of one of the extreme equilibria found by enumerating the normal
form (vertex enumeration); (3) on Kuhn's poker it finds the value -1/18 as the zero-sum LP
does; (4) pygambit (when installed) agrees: its ``lcp_solve`` equilibrium has zero regret by
our count, ours has zero regret by its ``max_regret``, and the two coincide when the game has
one equilibrium.
"""

from __future__ import annotations

import itertools
import math
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from test_extensive import kuhn_poker  # the same Kuhn poker tree, same directory

from alliance.errors import InvalidGameError
from alliance.games.extensive import ExtensiveGame, Move
from alliance.games.sequential import Chance, Leaf
from alliance.games.solvers.lemke_sequence import sequence_form_lcp
from alliance.io.gambit import write_efg_infosets


def random_tree(draw):
    """Chance (optional) -> P1 -> P2 (sees P1's move or not) -> P1 again (sees P2 or not).

    Information sets are labelled by what the mover has seen, so recall is perfect while
    information is imperfect when a flag hides a move.
    """
    pay = st.integers(-4, 4)
    use_chance = draw(st.booleans())
    p1_sees_chance = draw(st.booleans())
    p2_sees_p1 = draw(st.booleans())
    p1_sees_p2 = draw(st.booleans())
    second_move = draw(st.booleans())
    n1, n2 = draw(st.integers(2, 3)), draw(st.integers(2, 3))

    def p1_again(c, a, b):
        label = f"P1b|{c if p1_sees_chance else '?'}|{a}|{b if p1_sees_p2 else '?'}"
        return Move("P1", label, {f"z{k}": Leaf((draw(pay), draw(pay))) for k in range(2)})

    def p2(c, a):
        label = f"P2|{a if p2_sees_p1 else '?'}"
        return Move("P2", label, {
            f"b{k}": (p1_again(c, a, f"b{k}") if second_move and k == 0 else Leaf((draw(pay), draw(pay))))
            for k in range(n2)})

    def p1(c):
        label = f"P1|{c if p1_sees_chance else '?'}"
        return Move("P1", label, {f"a{k}": p2(c, f"a{k}") for k in range(n1)})

    if use_chance:
        w = draw(st.integers(1, 3))
        root = Chance({"L": (Fraction(w, 4), p1("L")), "H": (Fraction(4 - w, 4), p1("H"))})
    else:
        root = p1("-")
    return ExtensiveGame(root, ["P1", "P2"])


def small_random_tree(draw):
    """A random tree whose normal form has at most 60 pure profiles (so that enumerating
    the normal form's equilibria, the reference, stays quick)."""
    game = random_tree(draw)
    assume(math.prod(len(game.pure_strategies(p)) for p in game.players) <= 60)
    return game


def mixed_from_behaviour(game, player, strategy):
    """The mixed strategy over the normal form's pure strategies equivalent to a behaviour
    strategy (the product of its action probabilities; uniform where never reached)."""
    sets = game.information_sets(player)
    probs = []
    for pure in game.pure_strategies(player):
        p = Fraction(1)
        for h, acts in sets:
            mix = strategy[h]
            p *= Fraction(1, len(acts)) if mix is None else mix[pure[h]]
        probs.append(p)
    return probs


def plans(game, strategies):
    return tuple(tuple(game.realisation_plan(p, strategies[p])) for p in game.players)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.filter_too_much])
@given(st.data())
def test_random_trees_equilibrium_has_zero_regret_and_is_an_extreme_equilibrium(data):
    game = small_random_tree(data.draw)
    eq = game.sequence_form_equilibrium()
    assert game.regret(eq.strategies) == (0, 0)  # exact
    form = game.to_normal_form()
    profile = [mixed_from_behaviour(game, p, eq.strategies[p]) for p in game.players]
    assert max(form.regret(profile)) == 0
    # the same realisation plans as one of the extreme equilibria of the normal form
    extreme = [plans(game, e.strategies) for e in game.equilibria()]
    assert plans(game, eq.strategies) in extreme


def test_kuhn_poker_lemke_agrees_with_the_lp():
    g = kuhn_poker()
    eq = g.sequence_form_equilibrium()
    assert eq.payoffs == (Fraction(-1, 18), Fraction(1, 18))
    assert g.regret(eq.strategies) == (0, 0)
    assert g.zero_sum_equilibrium().value == eq.payoffs[0]
    # Kuhn's family: P1 bluffs a J with alpha in [0, 1/3] and bets a K with 3 alpha
    alpha = eq.strategies["P1"]["J"]["bet"]
    assert 0 <= alpha <= Fraction(1, 3)
    if eq.strategies["P1"]["K"] is not None:
        assert eq.strategies["P1"]["K"]["bet"] == 3 * alpha
    assert "sequence form LCP" in repr(eq)


def test_regret_detects_a_deviation():
    g = kuhn_poker()
    eq = g.sequence_form_equilibrium()
    always_call = {**eq.strategies["P2"], "J:bet": {"fold": Fraction(0), "call": Fraction(1)}}
    regret = g.regret({"P1": eq.strategies["P1"], "P2": always_call})
    assert regret[1] > 0 and regret[0] >= 0
    with pytest.raises(InvalidGameError, match="information set"):
        g.regret({"P1": eq.strategies["P1"], "P2": {}})


def test_lemke_needs_non_positive_payoffs_and_fitting_shapes():
    E = np.array([[1, 0, 0], [-1, 1, 1]])
    e = np.array([1, 0])
    A = np.array([[0, 0, 0], [0, 1, -1], [0, -1, 1]])
    with pytest.raises(InvalidGameError, match="<= 0"):
        sequence_form_lcp(A, -A, E, e, E, e)
    with pytest.raises(InvalidGameError, match="shapes"):
        sequence_form_lcp(A[:2], A[:2], E, e, E, e)


def test_three_players_are_refused():
    g = ExtensiveGame(Move("a", "h", {"x": Leaf((0, 0, 0)), "y": Leaf((1, 1, 1))}), ["a", "b", "c"])
    with pytest.raises(InvalidGameError, match="two players"):
        g.sequence_form_equilibrium()
    assert g.regret({"a": {"h": {"x": Fraction(1), "y": Fraction(0)}}, "b": {}, "c": {}}) == (1, 0, 0)


# -------------------------------------------------------------------- against pygambit
def node_at(root, actions):
    """Our tree's node reached by a sequence of action labels (chance outcomes included)."""
    node = root
    for a in actions:
        node = node.outcomes[a][1] if isinstance(node, Chance) else node.actions[a]
    return node


def gambit_behaviour(gbt, profile, game):
    """A pygambit behaviour profile as ``strategies[player][infoset][action]`` (Fractions)."""
    out = {p: {} for p in game.players}
    for player in game.players:
        for history, dist in profile[player]:
            node = node_at(game.root, [t.action for t in history])
            out[player][node.infoset] = {a: Fraction(str(v)) for a, v in dict(dist).items()}
    return out


def gambit_profile_regret(gbt, efg_game, game, strategies):
    """pygambit's max_regret of our behaviour profile."""
    profile = efg_game.mixed_behavior_profile(rational=True)
    for player in game.players:
        for history, _ in list(profile[player]):
            actions = [t.action for t in history]
            infoset = node_at(game.root, actions).infoset
            mix = strategies[player][infoset]
            acts = dict(game.information_sets(player))[infoset]
            values = {a: (Fraction(1, len(acts)) if mix is None else mix[a]) for a in acts}
            if all(v == 0 for v in values.values()):
                continue
            profile[gbt.H.path(*actions)] = {a: gbt.Rational(v.numerator, v.denominator)
                                            for a, v in values.items()}
    return profile.max_regret()


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.filter_too_much])
@given(data=st.data())
def test_pygambit_lcp_solve_agrees(tmp_path_factory, data):
    gbt = pytest.importorskip("pygambit")
    game = small_random_tree(data.draw)
    path = tmp_path_factory.mktemp("efg") / "game.efg"
    write_efg_infosets(game, path)
    efg = gbt.read_efg(str(path))
    ours = game.sequence_form_equilibrium()
    assert gambit_profile_regret(gbt, efg, game, ours.strategies) == 0
    result = gbt.nash.lcp_solve(efg, rational=True)
    assert result.success
    theirs = gambit_behaviour(gbt, result.equilibrium, game)
    assert game.regret(theirs) == (0, 0)
    extreme = {plans(game, e.strategies) for e in game.equilibria()}
    assert plans(game, theirs) in extreme
    if len(extreme) == 1:
        assert plans(game, theirs) == plans(game, ours.strategies)


def test_kuhn_poker_against_pygambit(tmp_path):
    gbt = pytest.importorskip("pygambit")
    g = kuhn_poker()
    write_efg_infosets(g, tmp_path / "kuhn.efg")
    efg = gbt.read_efg(str(tmp_path / "kuhn.efg"))
    ours = g.sequence_form_equilibrium()
    assert gambit_profile_regret(gbt, efg, g, ours.strategies) == 0
    theirs = gbt.nash.lcp_solve(efg, rational=True).equilibrium
    # the same member of Kuhn's family (P1 bluffs a J a third of the time)
    assert plans(g, gambit_behaviour(gbt, theirs, g)) == plans(g, ours.strategies)
    assert g.regret(gambit_behaviour(gbt, theirs, g)) == (0, 0)
    assert g.expected_payoffs(gambit_behaviour(gbt, theirs, g))[0] == Fraction(-1, 18)


def test_sequence_form_is_linear_in_the_tree():
    g = kuhn_poker()
    sf = g.sequence_form()
    # 13 + 13 sequences and 7 + 7 constraints, against a 64 x 64 normal form
    assert sf.A.shape == (13, 13) and sf.E.shape == (7, 13)
    assert len(list(itertools.product(*[g.pure_strategies(p) for p in g.players]))) == 64 * 64
