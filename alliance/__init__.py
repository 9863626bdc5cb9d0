"""alliance: the game theory of credit alliances.

Banks, small and medium enterprises (SMEs), guarantors, governments and alliances of SMEs:
their games, the equilibria of those games, and how much credit an alliance of members
linked by credit chains can raise as a whole.

Examples
--------
>>> import alliance as al
>>> g = al.NormalFormGame.from_matrices([[2, 0], [0, 1]], [[1, 0], [0, 2]])
>>> len(g.equilibria())
3
"""

from alliance import figures, models
from alliance.analysis import sweep
from alliance.errors import (
    AllianceError,
    ConvergenceError,
    InputError,
    InvalidGameError,
    ModelFileError,
    NetworkError,
    OutputPathError,
    ParameterError,
    SizeLimitError,
    SolverError,
)
from alliance.games import Equilibrium, EquilibriumComponent, NormalFormGame
from alliance.games.cooperative import Allocation, CooperativeGame, CoreCheck, LeastCore
from alliance.games.evolutionary import EvolutionaryGame
from alliance.games.repeated import RepeatedGame
from alliance.games.sequential import Chance, Decision, GameTree, Leaf, SequentialGame
from alliance.games.symbolic import SymbolicEquilibrium
from alliance.network import (
    AllianceNetwork,
    BankPolicy,
    CreditMarginReport,
    load_example_alliance,
)

__version__ = "0.1.0"

__all__ = [
    "AllianceError",
    "ConvergenceError",
    "InputError",
    "InvalidGameError",
    "ModelFileError",
    "NetworkError",
    "OutputPathError",
    "ParameterError",
    "SizeLimitError",
    "SolverError",
    "Equilibrium",
    "EquilibriumComponent",
    "NormalFormGame",
    "RepeatedGame",
    "EvolutionaryGame",
    "CooperativeGame",
    "Allocation",
    "CoreCheck",
    "LeastCore",
    "GameTree",
    "SequentialGame",
    "Decision",
    "Chance",
    "Leaf",
    "SymbolicEquilibrium",
    "sweep",
    "AllianceNetwork",
    "BankPolicy",
    "CreditMarginReport",
    "load_example_alliance",
    "figures",
    "models",
]


def __getattr__(name: str):
    # Matplotlib is slow to import: load the figures only when a figure is asked for.
    if name == "figures":
        import importlib

        return importlib.import_module("alliance.figures")
    raise AttributeError(f"module 'alliance' has no attribute {name!r}")
