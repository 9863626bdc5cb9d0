"""Poles of symbolic payoffs: where a payoff is undefined, no equilibrium holds.

A payoff such as ``1/(r - 1)`` has no value at ``r = 1``; conditions derived from the payoffs
(after clearing denominators) can still include the pole, e.g. ``r >= 1``. Every condition is
therefore conjoined with ``denominator != 0`` for each symbolic denominator of the game's
payoffs (:func:`alliance.numbers.pole_conditions`).

Examples
--------
>>> import alliance as al
>>> g = al.NormalFormGame.from_payoffs(
...     {("a", "x"): ("1/(r-1)", "0"), ("a", "y"): ("0", "0"),
...      ("b", "x"): ("0", "0"), ("b", "y"): ("0", "0")}, players=("A", "B"), params=["r"])
>>> g.equilibria()[0].conditions
r > 1
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import numpy as np
import sympy as sp

from alliance.games.symbolic._conditions import Atom, Case
from alliance.games.symbolic.equilibrium import SymbolicEquilibrium
from alliance.numbers import pole_conditions

__all__ = ["exclude_poles"]

#: The atom of a case that can never hold (no sign allowed).
_IMPOSSIBLE = Atom(sp.Integer(0), frozenset())


def exclude_poles(found: list[SymbolicEquilibrium], game: Any) -> list[SymbolicEquilibrium]:
    """The equilibria with ``denominator != 0`` added to their conditions (impossible ones kept
    as impossible).

    Parameters
    ----------
    found : list of SymbolicEquilibrium
        Equilibria derived from the game's payoffs.
    game : NormalFormGame
        The symbolic game (its payoffs' denominators are the poles).

    Returns
    -------
    list of SymbolicEquilibrium
        The same equilibria, each valid only where no payoff has a zero denominator.

    Examples
    --------
    A payoff ``1/a`` is undefined at ``a = 0``, so no equilibrium holds there:

    >>> import alliance as al
    >>> from alliance.games.symbolic import domain_of
    >>> from alliance.games.symbolic._enumerate import pure_cases
    >>> h = al.NormalFormGame.from_matrices([["1/a", 0], [0, 1]], [["1/a", 0], [0, 1]],
    ...                                     params={"a": "real"})
    >>> [str(e.conditions) for e in exclude_poles(pure_cases(h, domain_of(h)), h)]
    ['a > 0', 'Ne(a, 0)']
    """
    poles = pole_conditions(np.asarray(game.payoffs, dtype=object).ravel())
    if not poles:
        return found
    out = []
    for eq in found:
        if not eq.is_possible or eq.domain is None:
            out.append(eq)
            continue
        case = Case(eq.domain)
        ok = all(case.add(a.expr, a.allowed) for a in eq.atoms)
        ok = ok and all(case.add(p.lhs - p.rhs, (-1, 1)) for p in poles)
        if not ok:
            out.append(replace(eq, conditions=sp.false, atoms=(_IMPOSSIBLE,), is_boundary=False))
        else:
            out.append(
                replace(
                    eq,
                    conditions=case.relational(),
                    atoms=case.atom_list(),
                    is_boundary=case.is_boundary,
                )
            )
    return out

