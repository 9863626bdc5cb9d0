"""Symbolic equilibria of games whose payoffs are SymPy expressions in named parameters.

``pure_equilibria(g)`` and ``equilibria(g)`` return :class:`SymbolicEquilibrium` objects:
a profile (expressions) and the conditions on the parameters under which it is an
equilibrium. Together they cover every admissible parameter point, boundaries included:
at any point, the numeric game's equilibria (``g.subs(...).equilibria()``, extreme
equilibria in degenerate games) are exactly the profiles whose conditions hold.

Examples
--------
>>> import alliance as al
>>> g = al.NormalFormGame.from_payoffs(
...     {("C", "C"): ("R", "R"), ("C", "D"): ("S", "T"),
...      ("D", "C"): ("T", "S"), ("D", "D"): ("P", "P")},
...     players=("Row", "Col"), params=["T", "R", "P", "S"])
>>> [e.label for e in pure_equilibria(g)]
['(C, C)', '(C, D)', '(D, C)', '(D, D)']
>>> pure_equilibria(g)[3].conditions
P >= S
"""

from __future__ import annotations

from typing import Any

from alliance.errors import InvalidGameError
from alliance.games.symbolic._conditions import (
    Atom,
    Case,
    Domain,
    box_signs,
    build_case,
    canonical,
    solution_set,
)
from alliance.games.symbolic.equilibrium import (
    DEFAULT_TOL,
    LambdifiedEquilibrium,
    SymbolicEquilibrium,
)
from alliance.games.symbolic.poles import exclude_poles

__all__ = [
    "SymbolicEquilibrium",
    "LambdifiedEquilibrium",
    "pure_equilibria",
    "equilibria",
    "domain_of",
    "Domain",
    "Atom",
    "Case",
    "canonical",
    "box_signs",
    "build_case",
    "solution_set",
    "DEFAULT_TOL",
]


def domain_of(game: Any) -> Domain:
    """The parameter domain (symbols and assumptions) of a game.

    Parameters
    ----------
    game : NormalFormGame or SequentialGame
        A game with declared parameters.

    Returns
    -------
    Domain
        The parameters' symbols and declared ranges.

    Examples
    --------
    >>> import alliance as al
    >>> g = al.NormalFormGame.from_matrices([["a", 0], [0, 1]], [["a", 0], [0, 1]],
    ...                                     params={"a": (0, 2)})
    >>> d = domain_of(g)
    >>> d.symbols, d.assumptions
    ((a,), {'a': (0.0, 2.0)})
    """
    return Domain.of_game(game)


def _require_symbolic(game: Any) -> None:
    if not getattr(game, "is_symbolic", False):
        raise InvalidGameError("symbolic solvers need a game with symbolic payoffs")


def pure_equilibria(game: Any) -> list[SymbolicEquilibrium]:
    """Every pure profile that is an equilibrium for some parameters, with its conditions.

    Works for any number of players. Conditions use ``>=`` (weak best responses), so a
    profile remains an equilibrium on the boundary where a player is indifferent.

    Parameters
    ----------
    game : NormalFormGame
        A symbolic game.

    Returns
    -------
    list of SymbolicEquilibrium
        One per pure profile that is an equilibrium somewhere in the declared ranges.

    Raises
    ------
    InvalidGameError
        If the game is numeric.

    Examples
    --------
    >>> import alliance as al
    >>> g = al.NormalFormGame.from_matrices([["a", 0], [0, 1]], [["a", 0], [0, 1]],
    ...                                     params={"a": (0, 2)})
    >>> pure_equilibria(g)
    [SymbolicEquilibrium(Player 1: s1; Player 2: s1 | for all parameter values) [pure], SymbolicEquilibrium(Player 1: s2; Player 2: s2 | for all parameter values) [pure]]
    """
    _require_symbolic(game)
    from alliance.games.symbolic._enumerate import pure_cases

    return exclude_poles(pure_cases(game, domain_of(game)), game)


def equilibria(game: Any) -> list[SymbolicEquilibrium]:
    """Every equilibrium of a symbolic game, case by case.

    Two players (2×2, 2×n, and small m×n): every extreme equilibrium by symbolic vertex
    enumeration, one :class:`SymbolicEquilibrium` per case (candidate and sign of the
    determinants), boundary cases flagged with ``is_boundary``. Three or more players:
    pure equilibria, and mixed equilibria where the indifference equations can be solved
    (see :func:`alliance.games.symbolic._nplayer.mixed_cases`).

    Parameters
    ----------
    game : NormalFormGame
        A symbolic game.

    Returns
    -------
    list of SymbolicEquilibrium
        Pure and mixed equilibria with the conditions under which each exists.

    Raises
    ------
    InvalidGameError
        If the game is numeric.

    Examples
    --------
    The coordination game with a stake ``a`` has a mixed equilibrium besides the two
    pure ones:

    >>> import alliance as al
    >>> g = al.NormalFormGame.from_matrices([["a", 0], [0, 1]], [["a", 0], [0, 1]],
    ...                                     params={"a": (0, 2)})
    >>> equilibria(g)[-1]
    SymbolicEquilibrium(Player 1: (s1 1/(a + 1), s2 a/(a + 1)); Player 2: (s1 1/(a + 1), s2 a/(a + 1)) | if a > 0) [mixed]
    """
    _require_symbolic(game)
    domain = domain_of(game)
    if game.n_players == 1:
        return pure_equilibria(game)
    if game.n_players == 2:
        from alliance.games.symbolic._enumerate import bimatrix_cases

        return exclude_poles(bimatrix_cases(game, domain), game)
    from alliance.games.symbolic._enumerate import pure_cases
    from alliance.games.symbolic._nplayer import mixed_cases

    return exclude_poles(pure_cases(game, domain) + mixed_cases(game, domain), game)
