r"""The replicator system of an asymmetric game: state variables, equations, Jacobian.

:class:`ReplicatorSystem` holds what every analysis of
:class:`~alliance.games.evolutionary.EvolutionaryGame` shares: one population per player,
the state variables (the shares of each population's first ``k - 1`` strategies), each
strategy's expected payoff, the right-hand sides

.. math:: \dot x = x (1 - x) \, [u(\text{first}) - u(\text{second})]

(and :math:`\dot x_a = x_a (u_a - \bar u)` with more strategies), the Jacobian, and the pure
corners with their eigenvalues, each a population's payoff gain from switching there
(Friedman 1991).

References
----------
Friedman, D. (1991). Evolutionary games in economics. *Econometrica*, 59(3), 637–666.
Taylor, P. D. (1979). Evolutionarily stable strategies with two types of player.
*Journal of Applied Probability*, 16(1), 76–83.
"""

from __future__ import annotations

import functools
import itertools
import math
from collections.abc import Mapping, Sequence
from fractions import Fraction
from typing import Any

import numpy as np
import sympy as sp

from alliance.errors import InvalidGameError, ParameterError
from alliance.games.evolutionary.results import RestPoint
from alliance.games.normal_form import NormalFormGame

__all__ = ["ReplicatorSystem", "sympy_table", "to_sympy_number", "STATE_LETTERS"]

#: Default base names of the state variables, one per population.
STATE_LETTERS = ("x", "y", "z", "w", "v", "u", "s", "q", "p")
_LETTERS = STATE_LETTERS


class ReplicatorSystem:
    """The state variables, equations and corners of a game's replicator dynamics.

    Parameters
    ----------
    game : NormalFormGame
        A game already checked by ``EvolutionaryGame`` (2 to 6 populations).
    variables : sequence of str, optional
        One base name per population for its state variables.
    """

    def __init__(self, game: NormalFormGame, variables: Sequence[str] | None = None) -> None:
        self.game = game
        self.populations: tuple[str, ...] = game.players
        self.strategies: tuple[tuple[str, ...], ...] = game.strategies
        self.n_populations = game.n_players
        self.bases = self._choose_bases(variables)
        self._make_variables()
        self.table = sympy_table(game)
        # One cache shared with the rest-point solver and the stability analysis.
        self.cache: dict[Any, Any] = {}

    @functools.cached_property
    def u(self) -> list[list[sp.Expr]]:
        """Each population's expected payoff of each strategy, in the state variables."""
        return self.expected_payoffs_of(self.table)

    @functools.cached_property
    def rhs(self) -> tuple[sp.Expr, ...]:
        """The right-hand sides of the replicator equations."""
        return self._replicator_rhs()

    @property
    def is_symbolic(self) -> bool:
        """True when the payoffs have free parameters."""
        return self.game.is_symbolic

    @property
    def is_binary(self) -> bool:
        """True when every population has exactly two strategies."""
        return all(len(s) == 2 for s in self.strategies)

    def _choose_bases(self, variables: Sequence[str] | None) -> tuple[str, ...]:
        taken = set(self.game.symbols)
        n = self.n_populations
        if variables is None:
            bases = [
                b
                for b in _LETTERS
                if b not in taken
                and not any(t.startswith(b) for t in taken if t[len(b) :].isdigit())
            ]
            if len(bases) < n:
                raise InvalidGameError(
                    "cannot choose state-variable names: the game's parameters use them; pass variables=(...)"
                )
            return tuple(bases[:n])
        if isinstance(variables, str) or len(variables) != n:
            raise InvalidGameError(
                f"variables is {variables!r}; give one name per population ({n}: {', '.join(self.populations)})"
            )
        for v in variables:
            if not isinstance(v, str) or not v.isidentifier() or v.startswith("_"):
                raise InvalidGameError(f"state-variable name {v!r} is not a plain identifier")
            if v in taken:
                raise InvalidGameError(f"state-variable name {v!r} is also a parameter of the game")
        if len(set(variables)) != n:
            raise InvalidGameError(f"variables {tuple(variables)} has duplicate names")
        return tuple(variables)

    def _make_variables(self) -> None:
        variables, descriptions, blocks, shares = [], [], [], []
        for i, (player, strategies) in enumerate(zip(self.populations, self.strategies)):
            k = len(strategies)
            names = (
                [self.bases[i]] if k == 2 else [f"{self.bases[i]}{a + 1}" for a in range(k - 1)]
            )
            syms = [sp.Symbol(name, real=True) for name in names]
            start = len(variables)
            variables += syms
            descriptions += [f"share of {player} playing '{strategies[a]}'" for a in range(k - 1)]
            blocks.append(slice(start, start + k - 1))
            shares.append(syms + [1 - sp.Add(*syms)])
        self.variables: tuple[sp.Symbol, ...] = tuple(variables)
        self.descriptions: tuple[str, ...] = tuple(descriptions)
        self.blocks = blocks
        self.shares = shares
        self.dimension = len(variables)

    def expected_payoffs_of(self, table: np.ndarray) -> list[list[sp.Expr]]:
        n = self.n_populations
        u: list[list[Any]] = [[sp.Integer(0)] * len(s) for s in self.strategies]
        for profile in itertools.product(*(range(len(s)) for s in self.strategies)):
            for i in range(n):
                weight = sp.Mul(*(self.shares[j][profile[j]] for j in range(n) if j != i))
                u[i][profile[i]] += table[profile + (i,)] * weight
        return [[sp.expand(e) for e in row] for row in u]

    def _replicator_rhs(self) -> tuple[sp.Expr, ...]:
        rhs = []
        for i in range(self.n_populations):
            u = self.u[i]
            others = [v for j, b in enumerate(self.blocks) if j != i for v in self.variables[b]]
            if len(u) == 2:
                x = self.shares[i][0]
                gain = sp.collect(sp.expand(u[0] - u[1]), others)
                rhs.append(x * (1 - x) * gain)
            else:
                mean = sp.Add(*(s * ui for s, ui in zip(self.shares[i], u)))
                for a in range(len(u) - 1):
                    rhs.append(self.shares[i][a] * sp.collect(sp.expand(u[a] - mean), others))
        return tuple(rhs)

    def jacobian(self, point: Any = None) -> sp.Matrix:
        """The Jacobian, symbolic (``point=None``) or at a point."""
        if "J" not in self.cache:
            self.cache["J"] = sp.Matrix(self.rhs).jacobian(self.variables)
        J = self.cache["J"]
        if point is None:
            return J
        mapping = self.point_mapping(point)
        return J.xreplace(mapping).applyfunc(
            lambda e: sp.factor(sp.cancel(e)) if e.free_symbols else e
        )

    def point_mapping(self, point: Any) -> dict[sp.Symbol, sp.Expr]:
        if isinstance(point, RestPoint):
            point = point.point
        if isinstance(point, Mapping):
            names = {v.name: v for v in self.variables}
            mapping = {}
            for key, value in point.items():
                name = key.name if isinstance(key, sp.Symbol) else key
                if name not in names:
                    raise ParameterError(
                        f"point names unknown variable {key!r}; variables are {tuple(names)}"
                    )
                mapping[names[name]] = to_sympy_number(value, f"point[{name!r}]")
            missing = [v.name for v in self.variables if v not in mapping]
            if missing:
                raise ParameterError(f"point has no value for {', '.join(missing)}")
            return mapping
        values = list(point)
        if len(values) == self.n_populations and all(isinstance(v, str) for v in values):
            return dict(zip(self.variables, self.corner_coordinates(self.profile_index(values))))
        if len(values) != self.dimension:
            raise ParameterError(
                f"point has {len(values)} coordinates; the state has {self.dimension} "
                f"({', '.join(v.name for v in self.variables)})"
            )
        return {
            v: to_sympy_number(p, f"point coordinate {v.name}")
            for v, p in zip(self.variables, values)
        }

    def profile_index(self, names: Sequence[str]) -> tuple[int, ...]:
        out = []
        for i, s in enumerate(names):
            if s not in self.strategies[i]:
                raise ParameterError(
                    f"'{s}' is not a strategy of {self.populations[i]}; strategies are {self.strategies[i]}"
                )
            out.append(self.strategies[i].index(s))
        return tuple(out)

    def eigenvalues(self, point: Any) -> list:
        """Eigenvalues of the Jacobian at a point (read off the diagonal at a corner)."""
        mapping = self.point_mapping(point)
        coords = tuple(mapping[v] for v in self.variables)
        profile = self.corner_profile(coords)
        if profile is not None:
            return list(self.corner_eigenvalues(profile))
        J = self.jacobian(point)
        out = []
        for value, mult in J.eigenvals().items():
            out += [value] * mult
        return out

    def corner_coordinates(self, profile: tuple[int, ...]) -> tuple[int, ...]:
        coords: list[int] = []
        for i, s in enumerate(profile):
            k = len(self.strategies[i])
            coords += [1 if a == s else 0 for a in range(k - 1)]
        return tuple(coords)

    def corner_profile(self, coords: Sequence[Any]) -> tuple[int, ...] | None:
        profile = []
        for b in self.blocks:
            values = list(coords[b])
            if not all(v in (0, 1) for v in values) or sum(values) > 1:
                return None
            profile.append(values.index(1) if 1 in values else len(values))
        return tuple(profile)

    def corners(self) -> list[tuple[int, ...]]:
        """Every pure corner as a profile of strategy indices, in the order papers print them."""
        profiles = list(itertools.product(*(range(len(s)) for s in self.strategies)))
        if self.is_binary:
            profiles.sort(key=lambda p: (len(p) - sum(p), p))
        return profiles

    def corner_eigenvalues(self, profile: tuple[int, ...]) -> tuple:
        values = []
        for i, s in enumerate(profile):
            k = len(self.strategies[i])
            here = self.table[profile + (i,)]
            for a in range(k - 1):
                other = a if a != s else k - 1
                switched = profile[:i] + (other,) + profile[i + 1 :]
                values.append(self.number(sp.expand(self.table[switched + (i,)] - here)))
        return tuple(values)

    def number(self, value: sp.Expr) -> Any:
        if value.free_symbols:
            return value
        if self.game.is_exact or value.is_Rational:
            if value.is_Rational:
                return Fraction(int(value.p), int(value.q))
        return float(value)

    def profile_text(self, profile: Sequence[int | None]) -> str:
        return ", ".join(
            self.strategies[i][s] if s is not None else "mixed" for i, s in enumerate(profile)
        )

    def solve_table(self) -> np.ndarray:
        if self.game.kind == "float":
            # The exact binary value of each float: rest points come out exact, then rounded.
            return np.vectorize(lambda v: sp.Rational(float(v)), otypes=[object])(self.game.payoffs)
        return self.table

    def gains(self) -> list[sp.Expr]:
        # D_i = u_i(first) - u_i(second), multilinear in the other populations' shares.
        if "gains" not in self.cache:
            table = self.solve_table()
            u = self.u if table is self.table else self.expected_payoffs_of(table)
            self.cache["gains"] = [sp.expand(row[0] - row[1]) for row in u]
        return self.cache["gains"]


# ---------------------------------------------------------------------- helpers
def sympy_table(game: NormalFormGame) -> np.ndarray:
    if game.is_symbolic:
        return game.payoffs
    if game.is_exact:
        return np.vectorize(lambda f: sp.Rational(f.numerator, f.denominator), otypes=[object])(
            game.exact_payoffs
        )
    return np.vectorize(
        lambda v: sp.Float(float(v)) if not float(v).is_integer() else sp.Integer(int(v)),
        otypes=[object],
    )(game.payoffs)


def to_sympy_number(value: Any, field: str) -> sp.Expr:
    if isinstance(value, sp.Basic):
        return value
    if isinstance(value, bool):
        raise ParameterError(f"{field} is a boolean ({value!r}); give a number")
    if isinstance(value, (int, np.integer)):
        return sp.Integer(int(value))
    if isinstance(value, Fraction):
        return sp.Rational(value.numerator, value.denominator)
    try:
        v = float(value)
    except (TypeError, ValueError):
        raise ParameterError(f"{field} is {value!r}; give a number") from None
    if not math.isfinite(v):
        raise ParameterError(f"{field} is {v}; it must be finite")
    return sp.Integer(int(v)) if v.is_integer() else sp.Float(v)
