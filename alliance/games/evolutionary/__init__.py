"""Evolutionary games: multi-population replicator dynamics of asymmetric games.

:class:`EvolutionaryGame` derives the replicator equations, the rest points, the Jacobian
and its eigenvalues at each rest point, the stability table with the sign conditions for
an evolutionarily stable strategy, checks published tables, and integrates trajectories.
"""

from alliance.games.evolutionary.game import MAX_POPULATIONS, EvolutionaryGame
from alliance.games.evolutionary.outcomes import PathOutcomes
from alliance.games.evolutionary.results import (
    ReplicatorEquations,
    RestPoint,
    StabilityTable,
    TableCheck,
    Trajectories,
)

__all__ = [
    "EvolutionaryGame",
    "MAX_POPULATIONS",
    "PathOutcomes",
    "ReplicatorEquations",
    "RestPoint",
    "StabilityTable",
    "TableCheck",
    "Trajectories",
]
