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

    Raises
    ------
    InvalidGameError
        If the state-variable names clash with the game's parameters, repeat, or are not
        one per population.

    Examples
    --------
    The prisoner's dilemma (a population of row players, one of column players):

    >>> import alliance as al
    >>> g = al.NormalFormGame.from_matrices([[3, 0], [5, 1]], [[3, 5], [0, 1]])
    >>> s = ReplicatorSystem(g)
    >>> s.variables, s.rhs
    ((x, y), (x*(1 - x)*(-y - 1), y*(1 - y)*(-x - 1)))
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
        """Each population's expected payoff of each strategy under another payoff table.

        Parameters
        ----------
        table : ndarray of sympy.Expr
            A payoff table of the game's shape (e.g. :meth:`solve_table`).

        Returns
        -------
        list of list of sympy.Expr
            ``u[i][a]``: population ``i``'s payoff of strategy ``a``, in the state variables.

        Examples
        --------
        >>> import alliance as al
        >>> g = al.NormalFormGame.from_matrices([[3, 0], [5, 1]], [[3, 5], [0, 1]])
        >>> s = ReplicatorSystem(g)
        >>> s.expected_payoffs_of(s.table)
        [[3*y, 4*y + 1], [3*x, 4*x + 1]]
        """
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
        """The Jacobian, symbolic (``point=None``) or at a point.

        Parameters
        ----------
        point : optional
            As in :meth:`point_mapping`; ``None`` returns the symbolic matrix.

        Returns
        -------
        sympy.Matrix
            ``d x d``; at a point, factored entries.

        Examples
        --------
        >>> import alliance as al
        >>> g = al.NormalFormGame.from_matrices([[3, 0], [5, 1]], [[3, 5], [0, 1]])
        >>> s = ReplicatorSystem(g)
        >>> s.jacobian((0, 0))
        Matrix([
        [-1,  0],
        [ 0, -1]])
        """
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
        """A point of the state space as ``{variable: value}``.

        Parameters
        ----------
        point : RestPoint, Mapping, sequence or tuple of str
            A rest point, ``{variable or name: value}``, the ``d`` coordinates, or a pure
            profile by strategy names.

        Returns
        -------
        dict
            State variable -> SymPy number.

        Raises
        ------
        ParameterError
            An unknown variable or strategy, a missing coordinate, or a value that is not a
            finite number.

        Examples
        --------
        >>> import alliance as al
        >>> g = al.NormalFormGame.from_matrices([[3, 0], [5, 1]], [[3, 5], [0, 1]])
        >>> s = ReplicatorSystem(g)
        >>> s.point_mapping({"x": 1, "y": 0}) == s.point_mapping(("s1", "s2"))
        True
        """
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
        """The strategy indices of a pure profile given by names.

        Parameters
        ----------
        names : sequence of str
            One strategy name per population.

        Returns
        -------
        tuple of int
            One index per population.

        Raises
        ------
        ParameterError
            A name that is not a strategy of its population.

        Examples
        --------
        >>> import alliance as al
        >>> g = al.NormalFormGame.from_matrices([[3, 0], [5, 1]], [[3, 5], [0, 1]])
        >>> s = ReplicatorSystem(g)
        >>> s.profile_index(("s2", "s1"))
        (1, 0)
        """
        out = []
        for i, s in enumerate(names):
            if s not in self.strategies[i]:
                raise ParameterError(
                    f"'{s}' is not a strategy of {self.populations[i]}; strategies are {self.strategies[i]}"
                )
            out.append(self.strategies[i].index(s))
        return tuple(out)

    def eigenvalues(self, point: Any) -> list:
        """Eigenvalues of the Jacobian at a point (read off the diagonal at a corner).

        Parameters
        ----------
        point : RestPoint, Mapping, sequence or tuple of str
            As in :meth:`point_mapping`.

        Returns
        -------
        list
            Exact numbers (Fractions), SymPy expressions, or floats.

        Examples
        --------
        >>> import alliance as al
        >>> g = al.NormalFormGame.from_matrices([[3, 0], [5, 1]], [[3, 5], [0, 1]])
        >>> s = ReplicatorSystem(g)
        >>> [str(v) for v in s.eigenvalues((0, 0))]
        ['-1', '-1']
        """
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
        """The state coordinates of a pure profile (1 = the population plays that strategy).

        Parameters
        ----------
        profile : tuple of int
            One strategy index per population (0 = first strategy).

        Returns
        -------
        tuple of int
            ``d`` coordinates, each 0 or 1.

        Examples
        --------
        >>> import alliance as al
        >>> g = al.NormalFormGame.from_matrices([[3, 0], [5, 1]], [[3, 5], [0, 1]])
        >>> s = ReplicatorSystem(g)
        >>> s.corner_coordinates((0, 1))
        (1, 0)
        """
        coords: list[int] = []
        for i, s in enumerate(profile):
            k = len(self.strategies[i])
            coords += [1 if a == s else 0 for a in range(k - 1)]
        return tuple(coords)

    def corner_profile(self, coords: Sequence[Any]) -> tuple[int, ...] | None:
        """The pure profile at state coordinates, or ``None`` if the point is not a corner.

        Parameters
        ----------
        coords : sequence of number
            ``d`` state coordinates.

        Returns
        -------
        tuple of int or None
            One strategy index per population.

        Examples
        --------
        >>> import alliance as al
        >>> g = al.NormalFormGame.from_matrices([[3, 0], [5, 1]], [[3, 5], [0, 1]])
        >>> s = ReplicatorSystem(g)
        >>> s.corner_profile((1, 0)), s.corner_profile((0.5, 0))
        ((0, 1), None)
        """
        profile = []
        for b in self.blocks:
            values = list(coords[b])
            if not all(v in (0, 1) for v in values) or sum(values) > 1:
                return None
            profile.append(values.index(1) if 1 in values else len(values))
        return tuple(profile)

    def corners(self) -> list[tuple[int, ...]]:
        """Every pure corner as a profile of strategy indices, in the order papers print them.

        Returns
        -------
        list of tuple of int
            See :meth:`EvolutionaryGame.corners`.

        Examples
        --------
        >>> import alliance as al
        >>> g = al.NormalFormGame.from_matrices([[3, 0], [5, 1]], [[3, 5], [0, 1]])
        >>> s = ReplicatorSystem(g)
        >>> s.corners()
        [(1, 1), (0, 1), (1, 0), (0, 0)]
        """
        profiles = list(itertools.product(*(range(len(s)) for s in self.strategies)))
        if self.is_binary:
            profiles.sort(key=lambda p: (len(p) - sum(p), p))
        return profiles

    def corner_eigenvalues(self, profile: tuple[int, ...]) -> tuple:
        """The eigenvalues at a pure corner: each population's gain from switching strategy.

        Parameters
        ----------
        profile : tuple of int
            One strategy index per population (0 = first strategy).

        Returns
        -------
        tuple
            ``d`` exact numbers (or expressions), one per state variable.

        Examples
        --------
        >>> import alliance as al
        >>> g = al.NormalFormGame.from_matrices([[3, 0], [5, 1]], [[3, 5], [0, 1]])
        >>> s = ReplicatorSystem(g)
        >>> [str(v) for v in s.corner_eigenvalues((1, 1))]  # mutual defection
        ['-1', '-1']
        """
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
        """A SymPy value as the game's kind of number (Fraction, float, or the expression).

        Parameters
        ----------
        value : sympy.Expr
            A value computed from the payoffs.

        Returns
        -------
        Fraction, float or sympy.Expr
            Exact for a rational value, the expression when it has free symbols.

        Examples
        --------
        >>> import alliance as al
        >>> g = al.NormalFormGame.from_matrices([[3, 0], [5, 1]], [[3, 5], [0, 1]])
        >>> s = ReplicatorSystem(g)
        >>> import sympy as sp
        >>> s.number(sp.Rational(1, 3))
        Fraction(1, 3)
        """
        if value.free_symbols:
            return value
        if self.game.is_exact or value.is_Rational:
            if value.is_Rational:
                return Fraction(int(value.p), int(value.q))
        return float(value)

    def profile_text(self, profile: Sequence[int | None]) -> str:
        """A profile as text: strategy names, ``mixed`` for a population that mixes.

        Parameters
        ----------
        profile : sequence of int or None
            One strategy index (or ``None``) per population.

        Returns
        -------
        str
            Comma-separated names.

        Examples
        --------
        >>> import alliance as al
        >>> g = al.NormalFormGame.from_matrices([[3, 0], [5, 1]], [[3, 5], [0, 1]])
        >>> s = ReplicatorSystem(g)
        >>> s.profile_text((0, None))
        's1, mixed'
        """
        return ", ".join(
            self.strategies[i][s] if s is not None else "mixed" for i, s in enumerate(profile)
        )

    def solve_table(self) -> np.ndarray:
        """The payoff table the rest-point solver works on: exact (floats by their binary value).

        Returns
        -------
        ndarray of sympy.Expr
            The game's payoff table, exact.

        Examples
        --------
        >>> import alliance as al
        >>> g = al.NormalFormGame.from_matrices([[3, 0], [5, 1]], [[3, 5], [0, 1]])
        >>> s = ReplicatorSystem(g)
        >>> s.solve_table()[1, 1].tolist()
        [1, 1]
        """
        if self.game.kind == "float":
            # The exact binary value of each float: rest points come out exact, then rounded.
            return np.vectorize(lambda v: sp.Rational(float(v)), otypes=[object])(self.game.payoffs)
        return self.table

    def gains(self) -> list[sp.Expr]:
        """Each binary population's payoff gain of its first strategy over its second.

        Returns
        -------
        list of sympy.Expr
            :math:`D_i = u_i(\\text{first}) - u_i(\\text{second})`, multilinear in the other
            populations' shares (cached).

        Examples
        --------
        >>> import alliance as al
        >>> g = al.NormalFormGame.from_matrices([[3, 0], [5, 1]], [[3, 5], [0, 1]])
        >>> s = ReplicatorSystem(g)
        >>> s.gains()
        [-y - 1, -x - 1]
        """
        # D_i = u_i(first) - u_i(second), multilinear in the other populations' shares.
        if "gains" not in self.cache:
            table = self.solve_table()
            u = self.u if table is self.table else self.expected_payoffs_of(table)
            self.cache["gains"] = [sp.expand(row[0] - row[1]) for row in u]
        return self.cache["gains"]


# ---------------------------------------------------------------------- helpers
def sympy_table(game: NormalFormGame) -> np.ndarray:
    """A game's payoff table with SymPy entries (exact rationals, integers or Floats).

    Parameters
    ----------
    game : NormalFormGame
        Any game.

    Returns
    -------
    ndarray of sympy.Expr
        The payoff table, shape ``(m_1, ..., m_n, n)``.

    Examples
    --------
    >>> import alliance as al
    >>> g = al.NormalFormGame.from_matrices([[3, 0], [5, 1]], [[3, 5], [0, 1]])
    >>> sympy_table(g)[0, 1].tolist()
    [0, 5]
    """
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
    """A number given by a user as a SymPy number (integers stay exact).

    Parameters
    ----------
    value : number or sympy.Expr
        The value.
    field : str
        What the value is, for the error message.

    Returns
    -------
    sympy.Expr
        An Integer, Rational, Float, or the expression unchanged.

    Raises
    ------
    ParameterError
        A boolean, text that is not a number, or a value that is not finite.

    Examples
    --------
    >>> to_sympy_number(2.0, "x"), to_sympy_number(0.5, "x")
    (2, 0.500000000000000)
    """
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
