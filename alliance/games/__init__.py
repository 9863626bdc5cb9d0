"""The engine: games and their solvers, knowing nothing of banks.

Normal-form games (numeric and symbolic), sequential and repeated games, evolutionary games
and cooperative games. Nothing here imports from :mod:`alliance.network`,
:mod:`alliance.models`, :mod:`alliance.analysis` or :mod:`alliance.io`.
"""

from alliance.games.bayesian import BayesianGame, BayesNashEquilibrium
from alliance.games.cooperative import (
    Allocation,
    CooperativeGame,
    CoreCheck,
    LeastCore,
    WeightedVotingGame,
    airport,
    bankruptcy,
    glove,
    weighted_voting,
)
from alliance.games.evolutionary import EvolutionaryGame
from alliance.games.extensive import ExtensiveGame, SignallingGame
from alliance.games.normal_form import NormalFormGame
from alliance.games.qre import LogitFit, QREBranch, QuantalResponseEquilibrium
from alliance.games.results import Equilibrium, EquilibriumComponent, EquilibriumSet

__all__ = [
    "BayesianGame",
    "BayesNashEquilibrium",
    "Allocation",
    "CooperativeGame",
    "CoreCheck",
    "LeastCore",
    "WeightedVotingGame",
    "airport",
    "bankruptcy",
    "glove",
    "weighted_voting",
    "EvolutionaryGame",
    "ExtensiveGame",
    "SignallingGame",
    "NormalFormGame",
    "LogitFit",
    "QREBranch",
    "QuantalResponseEquilibrium",
    "Equilibrium",
    "EquilibriumSet",
    "EquilibriumComponent",
]
