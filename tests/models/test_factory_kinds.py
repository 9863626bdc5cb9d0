"""Every game factory returns the game itself; EvolutionaryGame wraps it, and wrapping twice is
harmless (issue 15: tripartite_guarantee() used to return an EvolutionaryGame)."""

from __future__ import annotations

import pytest

from alliance import models
from alliance.games.evolutionary import EvolutionaryGame
from alliance.games.normal_form import NormalFormGame

# the factories whose games have replicator dynamics (2 to 6 players, 2+ strategies each)
NORMAL_FORM_FACTORIES = [
    ("lending_game", (), {}),
    ("guarantee_game", ("business",), {}),
    ("guarantee_game", ("policy",), {}),
    ("guarantee_game", ("mutual",), {}),
    ("credit_alliance_game", (), {}),
    ("tripartite_guarantee", (), {}),
    ("tripartite_guarantee_game", (), {}),
]


@pytest.mark.parametrize("name,args,kwargs", NORMAL_FORM_FACTORIES,
                         ids=[f"{n}{a}" for n, a, _ in NORMAL_FORM_FACTORIES])
def test_factories_return_the_game_and_evolutionary_game_wraps_it(name, args, kwargs):
    game = getattr(models, name)(*args, **kwargs)
    assert isinstance(game, NormalFormGame), type(game).__name__
    ev = EvolutionaryGame(game)
    assert ev.game is game


def test_tripartite_factories_agree():
    a, b = models.tripartite_guarantee(W=3), models.tripartite_guarantee_game(W=3)
    assert a == b
    sym = models.tripartite_guarantee(symbolic=True)
    assert sym.is_symbolic and sym.model_info.title == models.tripartite_guarantee.model_info.title


def test_wrapping_an_evolutionary_game_is_idempotent():
    ev = EvolutionaryGame(models.tripartite_guarantee(symbolic=True))
    again = EvolutionaryGame(ev)
    assert again.game is ev.game
    assert again.variables == ev.variables
    assert str(again.equations()) == str(ev.equations())
    assert EvolutionaryGame(EvolutionaryGame(models.tripartite_guarantee())).ess() == [(1, 1, 1)]


def test_wrapping_again_can_rename_the_variables():
    ev = EvolutionaryGame(models.lending_game(), variables=["b", "s"])
    renamed = EvolutionaryGame(ev, variables=["p", "q"])
    assert [v.name for v in renamed.variables][0] == "p"
    assert [v.name for v in EvolutionaryGame(ev).variables] == [v.name for v in ev.variables]
