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

from typing import TYPE_CHECKING

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

# `import alliance` must be quick (a notebook's first cell, a CLI call): SymPy, SciPy, pandas
# and Matplotlib load when a name that needs them is first used, as in SciPy's own lazy
# top level (PEP 562). Each public name maps to the module that defines it.
_LAZY = {
    "Equilibrium": "alliance.games",
    "EquilibriumComponent": "alliance.games",
    "EquilibriumSet": "alliance.games",
    "NormalFormGame": "alliance.games",
    "Allocation": "alliance.games.cooperative",
    "CooperativeGame": "alliance.games.cooperative",
    "CoreCheck": "alliance.games.cooperative",
    "LeastCore": "alliance.games.cooperative",
    "EvolutionaryGame": "alliance.games.evolutionary",
    "RepeatedGame": "alliance.games.repeated",
    "Chance": "alliance.games.sequential",
    "Decision": "alliance.games.sequential",
    "GameTree": "alliance.games.sequential",
    "Leaf": "alliance.games.sequential",
    "SequentialGame": "alliance.games.sequential",
    "SymbolicEquilibrium": "alliance.games.symbolic",
    "sweep": "alliance.analysis",
    "sensitivity": "alliance.analysis",
    "sobol_indices": "alliance.analysis",
    "AllianceNetwork": "alliance.network",
    "BankPolicy": "alliance.network",
    "CreditMarginReport": "alliance.network",
    "load_example_alliance": "alliance.network",
}
_SUBMODULES = ("analysis", "figures", "games", "interop", "io", "models", "network")

if TYPE_CHECKING:  # pragma: no cover - for type checkers and IDEs only
    from alliance import analysis, figures, games, interop, io, models, network
    from alliance.analysis import sensitivity, sobol_indices, sweep
    from alliance.games import (
        Equilibrium,
        EquilibriumComponent,
        EquilibriumSet,
        NormalFormGame,
    )
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
    "EquilibriumSet",
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
    "sensitivity",
    "sobol_indices",
    "AllianceNetwork",
    "BankPolicy",
    "CreditMarginReport",
    "load_example_alliance",
    "analysis",
    "games",
    "interop",
    "io",
    "models",
    "network",
]
# `figures` is reachable as ``al.figures`` but left out of ``__all__``: a star import must
# not load Matplotlib.


def __getattr__(name: str):
    import importlib

    if name in _SUBMODULES:
        value = importlib.import_module(f"alliance.{name}")
    elif name in _LAZY:
        value = getattr(importlib.import_module(_LAZY[name]), name)
    else:
        raise AttributeError(f"module 'alliance' has no attribute {name!r}")
    globals()[name] = value  # later look-ups skip this function
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__) | set(_SUBMODULES))
