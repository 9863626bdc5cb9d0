"""Logit agent quantal response equilibria of extensive games (McKelvey and Palfrey 1998).

References: pygambit's ``logit_solve_lambda`` and ``logit_solve_branch``, which trace the same
correspondence on the same tree (read from our .efg file), agree to 1e-6 in every behaviour
probability; the one-agent closed form 1 / (1 + exp(-lambda gap)); the Jacobian against
central differences; and on the way to the limit the regret falls towards a Nash equilibrium.
"""

from __future__ import annotations

import math
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_extensive import kuhn_poker  # the same Kuhn poker tree, same directory
from test_sequence_form import node_at, random_tree

from alliance.errors import InvalidGameError, ParameterError
from alliance.games.extensive import ExtensiveGame, Move
from alliance.games.extensive.agent_qre import AgentLogitSystem
from alliance.games.sequential import Chance, Leaf
from alliance.io.gambit import write_efg_infosets


def collateral_signalling_tree():
    """Costly collateral as a signal (see test_signalling_mixed): chance draws the type, the
    SME pledges or not, the bank sees only the message. Beliefs matter for the bank's agent."""
    def sme(kind, cost, profit):
        def bank(message):
            pledge = cost if message == "pledge" else 0
            return Move("Bank", f"after {message}", {"lend": Leaf((10 - pledge, profit)),
                                                     "refuse": Leaf((-pledge, 0))})
        return Move("SME", kind, {"pledge": bank("pledge"), "none": bank("none")})
    return ExtensiveGame(Chance({"good": (Fraction(1, 2), sme("good", 2, 3)),
                                 "bad": (Fraction(1, 2), sme("bad", 4, -6))}), ["SME", "Bank"])


def three_players():
    """A, then B without seeing A's move, then C without seeing either: three agents."""
    def c(x, y):
        return Move("C", "c", {"l": Leaf((x, y, 1)), "r": Leaf((y, x, -1))})
    return ExtensiveGame(Move("A", "a", {"u": Move("B", "b", {"L": c(3, 1), "R": c(0, 2)}),
                                         "d": Move("B", "b", {"L": c(1, 1), "R": c(2, 0)})}),
                         ["A", "B", "C"])


def gambit_game(game, tmp_path):
    gbt = pytest.importorskip("pygambit")
    path = tmp_path / "game.efg"
    write_efg_infosets(game, path)
    return gbt, gbt.read_efg(str(path))


def largest_gap(game, ours, profile):
    gap = 0.0
    for player in game.players:
        for history, dist in profile[player]:
            node = node_at(game.root, [t.action for t in history])
            for a, v in dict(dist).items():
                gap = max(gap, abs(ours.strategies[player][node.infoset][a] - float(v)))
    return gap


@pytest.mark.parametrize("make", [kuhn_poker, collateral_signalling_tree, three_players])
def test_agent_qre_matches_pygambit_at_given_precisions(make, tmp_path):
    game = make()
    gbt, efg = gambit_game(game, tmp_path)
    lams = [0.25, 1.0, 3.0, 8.0]
    ours = game.agent_qre(lams)
    theirs = gbt.qre.logit_solve_lambda(efg, lams)
    for q, r in zip(ours, theirs, strict=True):
        assert q.lam == pytest.approx(r.lam, abs=1e-6)
        assert largest_gap(game, q, r.profile) < 1e-6


def test_agent_qre_branch_matches_pygambit(tmp_path):
    game = collateral_signalling_tree()
    gbt, efg = gambit_game(game, tmp_path)
    theirs = [r for r in gbt.qre.logit_solve_branch(efg) if 0 < r.lam <= 20][::4]
    assert len(theirs) >= 5
    ours = game.agent_qre([r.lam for r in theirs])
    for q, r in zip(ours, theirs, strict=True):
        assert largest_gap(game, q, r.profile) < 1e-6


@settings(max_examples=5, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data(), lam=st.floats(0.1, 6.0))
def test_random_trees_match_pygambit(tmp_path, data, lam):
    game = random_tree(data.draw)
    gbt, efg = gambit_game(game, tmp_path)
    ours = game.agent_qre(lam)
    theirs = gbt.qre.logit_solve_lambda(efg, [lam])[0]
    assert largest_gap(game, ours, theirs.profile) < 1e-6


def test_one_agent_closed_form_and_uniform_start():
    g = ExtensiveGame(Move("Lender", "lend?", {
        "no": Leaf((1, 0)),
        "yes": Move("Borrower", "repay?", {"repay": Leaf((2, 2)), "keep": Leaf((0, 3))})}),
        ["Lender", "Borrower"])
    zero, one = g.agent_qre([0.0, 2.0])
    assert zero.strategies["Lender"]["lend?"] == {"no": 0.5, "yes": 0.5}
    keep = one.strategies["Borrower"]["repay?"]["keep"]
    assert keep == pytest.approx(1 / (1 + math.exp(-2.0)), abs=1e-13)
    # the lender compares 1 with 2 (1 - keep) and responds to that
    lend = one.strategies["Lender"]["lend?"]["yes"]
    assert lend == pytest.approx(1 / (1 + math.exp(-2.0 * (2 * (1 - keep) - 1))), abs=1e-12)
    assert "AgentQRE(λ=2" in repr(one)
    assert one.to_frame().loc[("Borrower", "repay?", "keep"), "probability"] == keep


def test_jacobian_against_central_differences():
    system = AgentLogitSystem(kuhn_poker())
    rng = np.random.default_rng(3)
    w = np.log(rng.dirichlet(np.ones(2), size=len(system.blocks)).ravel())
    _, jac = system.evaluate(w, 1.7)
    eps = 1e-6
    numeric = np.column_stack([
        (system.residual(w + eps * e, 1.7) - system.residual(w - eps * e, 1.7)) / (2 * eps)
        for e in np.eye(len(w))])
    assert np.abs(numeric - jac[:, :-1]).max() < 1e-7


def test_branch_approaches_an_equilibrium():
    branch = kuhn_poker().agent_qre_branch(lam_max=60.0)
    assert branch.lams[0] == 0 and branch.lams[-1] == pytest.approx(60.0)
    assert branch.max_regret[-1] < 0.2 * branch.max_regret[1]
    assert branch.limit.payoffs[0] == pytest.approx(-1 / 18, abs=0.01)
    frame = branch.to_frame()
    assert frame.shape == (len(branch), 25)  # 24 actions and the regret
    assert "AgentQREBranch" in repr(branch)


def test_bad_input():
    with pytest.raises(ParameterError, match="lam"):
        kuhn_poker().agent_qre(-1.0)
    with pytest.raises(ParameterError, match="empty"):
        kuhn_poker().agent_qre([])
    never = ExtensiveGame(Chance({"a": (1, Leaf((0, 0))),
                                  "b": (0, Move("P1", "ghost", {"x": Leaf((1, 0)), "y": Leaf((0, 1))}))}),
                          ["P1", "P2"])
    with pytest.raises(InvalidGameError, match="ghost"):
        never.agent_qre(1.0)
