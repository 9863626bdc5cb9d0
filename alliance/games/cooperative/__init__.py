"""Cooperative (transferable-utility) games: Shapley and Banzhaf values, core, nucleolus.

The facade is :class:`CooperativeGame`; constructors build the standard games. Results are
:class:`Allocation`, :class:`CoreCheck` and :class:`LeastCore` values.

Examples
--------
>>> from alliance.games.cooperative import glove
>>> g = glove(1, 2)
>>> g.shapley()
Allocation(shapley: L1=2/3, R1=1/6, R2=1/6)
>>> g.nucleolus().values.round(6).tolist()
[1.0, 0.0, 0.0]
"""

from alliance.games.cooperative.constructors import airport, bankruptcy, glove, weighted_voting
from alliance.games.cooperative.core import NUCLEOLUS_MAX_PLAYERS
from alliance.games.cooperative.game import EXACT_MAX_PLAYERS, CooperativeGame
from alliance.games.cooperative.results import Allocation, CoreCheck, LeastCore
from alliance.games.cooperative.voting import WeightedVotingGame

__all__ = [
    "CooperativeGame",
    "WeightedVotingGame",
    "Allocation",
    "CoreCheck",
    "LeastCore",
    "bankruptcy",
    "weighted_voting",
    "airport",
    "glove",
    "EXACT_MAX_PLAYERS",
    "NUCLEOLUS_MAX_PLAYERS",
]
