r"""Multi-population replicator dynamics of an asymmetric game.

Each player of a :class:`~alliance.games.normal_form.NormalFormGame` is a population; the
state is the share of each population playing each strategy. For a population with two
strategies the state variable ``x`` is the share playing the first one and

.. math:: \dot x = x (1 - x) \, [u(\text{first}) - u(\text{second})],

where ``u`` is the expected payoff against the other populations' current shares
(Taylor 1979; Weibull 1995, ch. 5). With ``k > 2`` strategies the variables are the shares
of the first ``k - 1`` strategies and :math:`\dot x_a = x_a (u_a - \bar u)`.

At a pure corner the Jacobian is (block-)triangular and each eigenvalue is a population's
payoff gain from switching strategy there (Friedman 1991); a corner is asymptotically
stable exactly when it is a strict Nash equilibrium, and no other rest point of
multi-population replicator dynamics is asymptotically stable (Ritzberger & Weibull 1995).

References
----------
Friedman, D. (1991). Evolutionary games in economics. *Econometrica*, 59(3), 637–666.
Ritzberger, K., & Weibull, J. W. (1995). Evolutionary selection in normal-form games.
*Econometrica*, 63(6), 1371–1399.
Taylor, P. D. (1979). Evolutionarily stable strategies with two types of player.
*Journal of Applied Probability*, 16(1), 76–83.
Weibull, J. W. (1995). *Evolutionary Game Theory*. MIT Press.
"""

from __future__ import annotations

import functools
import itertools
import math
from collections.abc import Mapping, Sequence
from fractions import Fraction
from typing import Any

import numpy as np
import pandas as pd
import sympy as sp

from alliance.errors import InvalidGameError, ParameterError, SizeLimitError
from alliance.games.evolutionary.conditions import (
    CENTRE,
    NON_HYPERBOLIC,
    ess_condition,
    sign_of,
    verdict_from_signs,
)
from alliance.games.evolutionary.outcomes import PathOutcomes
from alliance.games.evolutionary.results import (
    ReplicatorEquations,
    RestPoint,
    StabilityTable,
    TableCheck,
    Trajectories,
)
from alliance.games.normal_form import NormalFormGame
from alliance.games.symbolic import Domain, build_case

__all__ = ["EvolutionaryGame", "MAX_POPULATIONS"]

#: Most populations supported (the state space has up to 2**6 corners for 2 strategies each).
MAX_POPULATIONS = 6
#: Most strategy profiles (pure corners) the symbolic analysis accepts.
MAX_CORNERS = 4096
_LETTERS = ("x", "y", "z", "w", "v", "u", "s", "q", "p")

RITZBERGER_WEIBULL = (
    "a rest point that is not a pure corner is never asymptotically stable in "
    "multi-population replicator dynamics (Ritzberger & Weibull 1995)"
)


class EvolutionaryGame:
    """Multi-population replicator dynamics of an asymmetric normal-form game.

    Parameters
    ----------
    game : NormalFormGame
        A game with 2 to 6 players (populations), each with at least 2 strategies;
        numeric or symbolic payoffs.
    variables : sequence of str, optional
        One base name per population for its state variables (default ``x, y, z, w``...,
        skipping names the game uses as parameters). A population with ``k > 2``
        strategies gets ``x1 .. x{k-1}``.

    Raises
    ------
    InvalidGameError
        Fewer than 2 populations, a population with a single strategy, clashing names.
    SizeLimitError
        More than 6 populations or more than 4096 pure profiles.

    Examples
    --------
    >>> import alliance as al
    >>> g = al.NormalFormGame.from_matrices(
    ...     [[2, -1], [0, 0]], [[1, 3], [0, 0]], players=("Bank", "SME"),
    ...     strategies=(("lend", "refuse"), ("repay", "default")))
    >>> ev = EvolutionaryGame(g)
    >>> ev.equations()
    ReplicatorEquations(
      dx/dt = x*(1 - x)*(3*y - 1)    # share of Bank playing 'lend'
      dy/dt = -2*x*y*(1 - y)    # share of SME playing 'repay'
    )
    >>> ev.stability_table(points="corners")[["point", "eigenvalues", "verdict"]]
        point eigenvalues                        verdict
    0  (0, 0)     (-1, 0)  non-hyperbolic (undetermined)
    1  (1, 0)     (1, -2)                         saddle
    2  (0, 1)      (2, 0)                       unstable
    3  (1, 1)     (-2, 2)                         saddle
    """

    def __init__(self, game: NormalFormGame, *, variables: Sequence[str] | None = None) -> None:
        if not isinstance(game, NormalFormGame):
            raise InvalidGameError(
                f"game is a {type(game).__name__}; EvolutionaryGame needs a NormalFormGame"
            )
        n = game.n_players
        if n < 2:
            raise InvalidGameError(
                f"game has {n} player ({', '.join(game.players)}); multi-population replicator "
                "dynamics need 2 to 6 players (one population each)"
            )
        if n > MAX_POPULATIONS:
            raise SizeLimitError(
                f"game has {n} players; EvolutionaryGame supports at most {MAX_POPULATIONS} populations"
            )
        for player, strategies in zip(game.players, game.strategies):
            if len(strategies) < 2:
                raise InvalidGameError(
                    f"player '{player}' has one strategy ({strategies[0]!r}); every population "
                    "needs at least 2 strategies"
                )
        if math.prod(game.shape) > MAX_CORNERS:
            raise SizeLimitError(
                f"game has {math.prod(game.shape)} pure profiles; the analysis supports at most {MAX_CORNERS}"
            )
        self.game = game
        self.populations: tuple[str, ...] = game.players
        self.strategies: tuple[tuple[str, ...], ...] = game.strategies
        self.n_populations = n
        self._bases = self._choose_bases(variables)
        self._make_variables()
        self._table = _sympy_table(game)
        self._cache: dict[Any, Any] = {}

    @functools.cached_property
    def _u(self) -> list[list[sp.Expr]]:
        return self._expected_payoffs(self._table)

    @functools.cached_property
    def _rhs(self) -> tuple[sp.Expr, ...]:
        return self._replicator_rhs()

    @functools.cached_property
    def domain(self) -> Domain:
        """The parameters with their declared assumptions and ranges, as every condition
        (stability, existence of rest points) is simplified on them."""
        return Domain.of_game(self.game)

    # ------------------------------------------------------------------ construction
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
                [self._bases[i]] if k == 2 else [f"{self._bases[i]}{a + 1}" for a in range(k - 1)]
            )
            syms = [sp.Symbol(name, real=True) for name in names]
            start = len(variables)
            variables += syms
            descriptions += [f"share of {player} playing '{strategies[a]}'" for a in range(k - 1)]
            blocks.append(slice(start, start + k - 1))
            shares.append(syms + [1 - sp.Add(*syms)])
        self.variables: tuple[sp.Symbol, ...] = tuple(variables)
        self.descriptions: tuple[str, ...] = tuple(descriptions)
        self._blocks = blocks
        self._shares = shares
        self.dimension = len(variables)

    def _expected_payoffs(self, table: np.ndarray) -> list[list[sp.Expr]]:
        n = self.n_populations
        u: list[list[Any]] = [[sp.Integer(0)] * len(s) for s in self.strategies]
        for profile in itertools.product(*(range(len(s)) for s in self.strategies)):
            for i in range(n):
                weight = sp.Mul(*(self._shares[j][profile[j]] for j in range(n) if j != i))
                u[i][profile[i]] += table[profile + (i,)] * weight
        return [[sp.expand(e) for e in row] for row in u]

    def _replicator_rhs(self) -> tuple[sp.Expr, ...]:
        rhs = []
        for i in range(self.n_populations):
            u = self._u[i]
            others = [v for j, b in enumerate(self._blocks) if j != i for v in self.variables[b]]
            if len(u) == 2:
                x = self._shares[i][0]
                gain = sp.collect(sp.expand(u[0] - u[1]), others)
                rhs.append(x * (1 - x) * gain)
            else:
                mean = sp.Add(*(s * ui for s, ui in zip(self._shares[i], u)))
                for a in range(len(u) - 1):
                    rhs.append(self._shares[i][a] * sp.collect(sp.expand(u[a] - mean), others))
        return tuple(rhs)

    # ------------------------------------------------------------------ properties
    @property
    def is_symbolic(self) -> bool:
        """True when the payoffs have free parameters."""
        return self.game.is_symbolic

    @property
    def params(self) -> tuple[sp.Symbol, ...]:
        """The free parameters of the game."""
        return self.game.params

    @property
    def is_binary(self) -> bool:
        """True when every population has exactly two strategies."""
        return all(len(s) == 2 for s in self.strategies)

    def __repr__(self) -> str:
        dims = "×".join(str(len(s)) for s in self.strategies)
        names = ", ".join(v.name for v in self.variables)
        return (
            f"EvolutionaryGame({' × '.join(self.populations)}, {dims}, {self.game.kind}; "
            f"variables {names})"
        )

    def _repr_html_(self) -> str:
        try:
            return self.equations()._repr_html_()
        except Exception:  # a display hook must never raise
            import html

            return "<pre>" + html.escape(repr(self)) + "</pre>"

    def subs(self, values: Mapping[str, Any] | None = None, **kwargs: Any) -> EvolutionaryGame:
        """The same dynamics with parameter values substituted (see :meth:`NormalFormGame.subs`)."""
        return EvolutionaryGame(self.game.subs(values, **kwargs), variables=self._bases)

    # ------------------------------------------------------------------ symbolic analysis
    def expected_payoffs(self) -> dict[str, dict[str, sp.Expr]]:
        """Each population's expected payoff of each strategy, in the state variables.

        Examples
        --------
        >>> import alliance as al
        >>> g = al.NormalFormGame.from_matrices([[1, 0], [0, 2]], [[1, 0], [0, 2]])
        >>> EvolutionaryGame(g).expected_payoffs()["Player 1"]
        {'s1': y, 's2': 2 - 2*y}
        """
        return {
            p: dict(zip(self.strategies[i], self._u[i])) for i, p in enumerate(self.populations)
        }

    def equations(self) -> ReplicatorEquations:
        """The replicator system, one equation per state variable.

        Returns
        -------
        ReplicatorEquations
            ``variables``, right-hand sides ``rhs`` and what each variable measures.
        """
        return ReplicatorEquations(self.variables, self._rhs, self.descriptions)

    def jacobian(self, point: Any = None) -> sp.Matrix:
        """The Jacobian of the replicator system, symbolic, or at a point.

        Parameters
        ----------
        point : optional
            A :class:`RestPoint`, a sequence of coordinates, a dict ``{variable: value}`` or
            a pure profile given by strategy names. ``None`` returns the symbolic matrix.

        Examples
        --------
        >>> import alliance as al
        >>> g = al.NormalFormGame.from_matrices([[3, 0], [5, 1]], [[3, 5], [0, 1]])
        >>> EvolutionaryGame(g).jacobian((1, 1))
        Matrix([
        [2, 0],
        [0, 2]])
        """
        if "J" not in self._cache:
            self._cache["J"] = sp.Matrix(self._rhs).jacobian(self.variables)
        J = self._cache["J"]
        if point is None:
            return J
        mapping = self._point_mapping(point)
        return J.xreplace(mapping).applyfunc(
            lambda e: sp.factor(sp.cancel(e)) if e.free_symbols else e
        )

    def _point_mapping(self, point: Any) -> dict[sp.Symbol, sp.Expr]:
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
                mapping[names[name]] = _to_sympy_number(value, f"point[{name!r}]")
            missing = [v.name for v in self.variables if v not in mapping]
            if missing:
                raise ParameterError(f"point has no value for {', '.join(missing)}")
            return mapping
        values = list(point)
        if len(values) == self.n_populations and all(isinstance(v, str) for v in values):
            return dict(zip(self.variables, self._corner_coordinates(self._profile_index(values))))
        if len(values) != self.dimension:
            raise ParameterError(
                f"point has {len(values)} coordinates; the state has {self.dimension} "
                f"({', '.join(v.name for v in self.variables)})"
            )
        return {
            v: _to_sympy_number(p, f"point coordinate {v.name}")
            for v, p in zip(self.variables, values)
        }

    def _profile_index(self, names: Sequence[str]) -> tuple[int, ...]:
        out = []
        for i, s in enumerate(names):
            if s not in self.strategies[i]:
                raise ParameterError(
                    f"'{s}' is not a strategy of {self.populations[i]}; strategies are {self.strategies[i]}"
                )
            out.append(self.strategies[i].index(s))
        return tuple(out)

    def eigenvalues(self, point: Any) -> list:
        """Eigenvalues of the Jacobian at a point (symbolic or exact when possible).

        At a pure corner they are read off the diagonal: the Jacobian there is triangular up
        to a permutation, and each eigenvalue is a population's payoff gain from switching
        to another strategy.
        """
        mapping = self._point_mapping(point)
        coords = tuple(mapping[v] for v in self.variables)
        profile = self._corner_profile(coords)
        if profile is not None:
            return list(self._corner_eigenvalues(profile))
        J = self.jacobian(point)
        out = []
        for value, mult in J.eigenvals().items():
            out += [value] * mult
        return out

    # ------------------------------------------------------------------ corners
    def _corner_coordinates(self, profile: tuple[int, ...]) -> tuple[int, ...]:
        coords: list[int] = []
        for i, s in enumerate(profile):
            k = len(self.strategies[i])
            coords += [1 if a == s else 0 for a in range(k - 1)]
        return tuple(coords)

    def _corner_profile(self, coords: Sequence[Any]) -> tuple[int, ...] | None:
        profile = []
        for b in self._blocks:
            values = list(coords[b])
            if not all(v in (0, 1) for v in values) or sum(values) > 1:
                return None
            profile.append(values.index(1) if 1 in values else len(values))
        return tuple(profile)

    def corners(self) -> list[tuple[int, ...]]:
        """Every pure corner as a profile of strategy indices, in the order papers print them.

        With two strategies each: by the number of populations playing their first strategy,
        then lexicographically from the first population, i.e. (0,0,0), (1,0,0), (0,1,0),
        (0,0,1), (1,1,0), ... in state coordinates.
        """
        profiles = list(itertools.product(*(range(len(s)) for s in self.strategies)))
        if self.is_binary:
            profiles.sort(key=lambda p: (len(p) - sum(p), p))
        return profiles

    def _corner_eigenvalues(self, profile: tuple[int, ...]) -> tuple:
        values = []
        for i, s in enumerate(profile):
            k = len(self.strategies[i])
            here = self._table[profile + (i,)]
            for a in range(k - 1):
                other = a if a != s else k - 1
                switched = profile[:i] + (other,) + profile[i + 1 :]
                values.append(self._number(sp.expand(self._table[switched + (i,)] - here)))
        return tuple(values)

    def _number(self, value: sp.Expr) -> Any:
        if value.free_symbols:
            return value
        if self.game.is_exact or value.is_Rational:
            if value.is_Rational:
                return Fraction(int(value.p), int(value.q))
        return float(value)

    def _profile_text(self, profile: Sequence[int | None]) -> str:
        return ", ".join(
            self.strategies[i][s] if s is not None else "mixed" for i, s in enumerate(profile)
        )

    # ------------------------------------------------------------------ rest points
    def rest_points(self, *, corners_only: bool = False) -> list[RestPoint]:
        """Every pure corner, and the rest points on faces and in the interior.

        A non-corner rest point mixes the strategies in its supports so that each mixing
        population is indifferent among them. Numeric games: found exactly (rational
        payoffs) or from the exact binary value of float payoffs, kept when they lie in the
        state space. Symbolic games: solved in closed form where at most two populations
        mix (each indifference condition is then linear), with the conditions for the
        point to lie in the state space; rest points where more populations mix are listed
        in ``self.skipped_faces`` (substitute parameter values to find them).

        Parameters
        ----------
        corners_only : bool
            Only the pure corners.

        Returns
        -------
        list of RestPoint
        """
        key = ("rest", corners_only)
        if key not in self._cache:
            points = [
                RestPoint(
                    self._corner_coordinates(p),
                    "corner",
                    self._profile_text(p),
                    True,
                    False,
                    self.variables,
                )
                for p in self.corners()
            ]
            if not corners_only:
                points += self._face_rest_points()
            self._cache[key] = points
        return list(self._cache[key])

    @property
    def skipped_faces(self) -> list[str]:
        """Faces whose rest points were not derived symbolically (more than two mixing populations)."""
        self.rest_points()
        return list(self._cache.get("skipped", []))

    def _solve_table(self) -> np.ndarray:
        if self.game.kind == "float":
            # The exact binary value of each float: rest points come out exact, then rounded.
            return np.vectorize(lambda v: sp.Rational(float(v)), otypes=[object])(self.game.payoffs)
        return self._table

    def _face_rest_points(self) -> list[RestPoint]:
        symbolic = self.is_symbolic
        supports_per_population = [
            [c for r in range(1, len(s) + 1) for c in itertools.combinations(range(len(s)), r)]
            for s in self.strategies
        ]
        found: list[RestPoint] = []
        skipped: list[str] = []
        u = None
        for supports in itertools.product(*supports_per_population):
            mixing = [i for i, sup in enumerate(supports) if len(sup) > 1]
            if not mixing:
                continue
            if self.is_binary and len(mixing) <= 2:
                found += self._binary_face(supports, mixing)
                continue
            if symbolic and (len(mixing) > 2 or any(len(supports[i]) > 2 for i in mixing)):
                skipped.append(self._support_text(supports))
                continue
            if u is None:
                table = self._solve_table()
                u = self._u if table is self._table else self._expected_payoffs(table)
            found += self._solve_face(supports, mixing, u, symbolic)
        self._cache.setdefault("skipped", [])
        self._cache["skipped"] += skipped
        return found

    def _gains(self) -> list[sp.Expr]:
        # D_i = u_i(first) - u_i(second), multilinear in the other populations' shares.
        if "gains" not in self._cache:
            table = self._solve_table()
            u = self._u if table is self._table else self._expected_payoffs(table)
            self._cache["gains"] = [sp.expand(row[0] - row[1]) for row in u]
        return self._cache["gains"]

    def _binary_face(self, supports, mixing) -> list[RestPoint]:
        """Rest points where one or two populations mix, in closed form.

        With the others fixed at a corner, D_i depends only on the other mixing share and
        is linear in it: with d0, d1 its values at that share 0 and 1, the indifference
        point is d0 / (d0 - d1), inside (0, 1) exactly when d0 * d1 < 0.
        """
        symbolic = self.is_symbolic
        gains = self._gains()
        x = self.variables
        fixed = {
            x[k]: sp.Integer(1 - supports[k][0])
            for k in range(self.n_populations)
            if k not in mixing
        }
        profile = [supports[k][0] if k not in mixing else None for k in range(self.n_populations)]
        text = self._profile_text(profile)
        kind = (
            "interior"
            if len(mixing) == self.n_populations
            else ("edge" if len(mixing) == 1 else "face")
        )
        if len(mixing) == 1:
            (i,) = mixing
            if sp.expand(gains[i].xreplace(fixed)) != 0:
                return []
            coords = tuple(x[i] if k == i else fixed[x[k]] for k in range(self.n_populations))
            return [RestPoint(self._coords(coords), kind, text, True, True, self.variables)]
        i, j = mixing
        d0 = {}
        d1 = {}
        for a, b in ((i, j), (j, i)):
            d0[a] = sp.expand(gains[a].xreplace({**fixed, x[b]: 0}))
            d1[a] = sp.expand(gains[a].xreplace({**fixed, x[b]: 1}))
        value = {}
        free = []
        for a, b in ((i, j), (j, i)):
            slope = sp.expand(d0[a] - d1[a])
            if slope == 0:
                if d0[a] != 0:
                    return []
                free.append(b)  # a is indifferent whatever b does: b's share is free
            else:
                value[b] = d0[a] / slope
        if symbolic:
            parts = []
            for a in (i, j):
                if (j if a == i else i) not in value:
                    continue
                # d0 * d1 < 0 decided from the signs each end takes on the ranges.
                s0, s1 = self._signs_on_ranges(d0[a]), self._signs_on_ranges(d1[a])
                if not any(u * v < 0 for u in s0 for v in s1):
                    return []  # no admissible parameters put the point inside the state space
                if not all(u * v < 0 for u in s0 for v in s1):
                    parts.append(sp.Lt(d0[a] * d1[a], 0))
            condition = sp.And(*parts)
        else:
            condition = True
            if not all(0 < v < 1 for v in value.values()):
                return []
        coords = tuple(
            fixed[x[k]] if k not in mixing else (x[k] if k in free else value[k])
            for k in range(self.n_populations)
        )
        point = RestPoint(self._coords(coords), kind, text, condition, bool(free), self.variables)
        if symbolic and not free:
            eig = []
            # Unevaluated substitution: the entries are rational functions whose automatic
            # simplification (with assumption queries) costs seconds and changes nothing.
            with sp.evaluate(False):
                for k in range(self.n_populations):
                    if k in mixing:
                        continue
                    sign = 1 - 2 * fixed[x[k]]
                    at = gains[k].xreplace({**fixed, x[i]: value[i], x[j]: value[j]})
                    eig.append((k, at if sign == 1 else -at))
                product = d0[i] * d1[i] * d0[j] * d1[j] / ((d0[i] - d1[i]) * (d0[j] - d1[j]))
                root = sp.sqrt(product)
            eig += [(i, -root), (j, root)]
            self._cache.setdefault("face_eigenvalues", {})[point.point] = [
                v for _, v in sorted(eig, key=lambda e: e[0])
            ]
            # On the point's existence region d0 and d1 have opposite signs, so the sign
            # of the radicand is sign(d0_i) * sign(d0_j): the pair is imaginary (a centre)
            # where the two populations' gains at share 0 differ in sign.
            self._cache.setdefault("face_pair", {})[point.point] = (
                sorted((i, j)),
                self._signs_on_ranges(d0[i]),
                self._signs_on_ranges(d0[j]),
            )
        return [point]

    def _signs_on_ranges(self, expr: sp.Expr) -> frozenset:
        if not expr.free_symbols:
            return frozenset({int(sp.sign(expr))})
        if not expr.free_symbols <= set(self.domain.symbols):
            return frozenset({-1, 0, 1})
        return self.domain.signs(sp.expand(expr))

    def _coords(self, coords: Sequence[sp.Expr]) -> tuple:
        return tuple(c if c.free_symbols else self._coordinate(c, False) for c in coords)

    def _support_text(self, supports: Sequence[Sequence[int]]) -> str:
        parts = []
        for i, sup in enumerate(supports):
            names = [self.strategies[i][a] for a in sup]
            parts.append(names[0] if len(names) == 1 else "mix of " + "/".join(names))
        return "; ".join(parts)

    def _solve_face(self, supports, mixing, u, symbolic) -> list[RestPoint]:
        unknowns = []
        shares: list[list[sp.Expr]] = []
        for i, sup in enumerate(supports):
            k = len(self.strategies[i])
            vec = [sp.Integer(0)] * k
            if len(sup) == 1:
                vec[sup[0]] = sp.Integer(1)
            else:
                own = [sp.Dummy(f"p{i}_{a}", real=True) for a in sup[:-1]]
                unknowns += own
                for a, p in zip(sup[:-1], own):
                    vec[a] = p
                vec[sup[-1]] = 1 - sp.Add(*own)
            shares.append(vec)
        mapping = {}
        for i, b in enumerate(self._blocks):
            for a, v in enumerate(self.variables[b]):
                mapping[v] = shares[i][a]
        equations = []
        for i in mixing:
            sup = supports[i]
            ref = u[i][sup[-1]].xreplace(mapping)
            equations += [sp.expand(u[i][a].xreplace(mapping) - ref) for a in sup[:-1]]
        equations = [e for e in equations if e != 0]
        if not equations:
            solutions: list[dict] = [{}]
        else:
            try:
                solutions = sp.solve(equations, unknowns, dict=True)
            except NotImplementedError:
                self._cache.setdefault("skipped", []).append(self._support_text(supports))
                return []
        kind = self._face_kind(supports)
        out = []
        for sol in solutions:
            full = [
                [sp.simplify(s.xreplace(sol)) if symbolic else s.xreplace(sol) for s in vec]
                for vec in shares
            ]
            free = [p for p in unknowns if p not in sol]
            mixed_values = [full[i][a] for i in mixing for a in supports[i]]
            if free:
                determined = [v for v in mixed_values if not (v.free_symbols & set(free))]
                condition = self._inside(determined, symbolic)
                if condition is False or condition == sp.false:
                    continue
                full = self._rename_free(full, supports, free)
                continuum = True
            else:
                condition = self._inside(mixed_values, symbolic)
                if condition is False or condition == sp.false:
                    continue
                continuum = False
            coords = []
            for i in range(self.n_populations):
                coords += [
                    self._coordinate(full[i][a], symbolic)
                    for a in range(len(self.strategies[i]) - 1)
                ]
            profile = [sup[0] if len(sup) == 1 else None for sup in supports]
            text = self._profile_text(profile)
            if any(1 < len(s) < len(self.strategies[i]) for i, s in enumerate(supports)):
                text = self._support_text(supports)
            out.append(
                RestPoint(
                    tuple(coords),
                    kind,
                    text,
                    condition if symbolic else True,
                    continuum,
                    self.variables,
                )
            )
        return out

    def _rename_free(self, full, supports, free):
        # A free share is replaced by a state-variable symbol so the point reads as a line.
        rename = {}
        for i, sup in enumerate(supports):
            if len(sup) > 1:
                for a, v in zip(
                    range(len(self.strategies[i]) - 1), self.variables[self._blocks[i]]
                ):
                    value = full[i][a]
                    if value in free and value not in rename:
                        rename[value] = v
        return [[s.xreplace(rename) for s in vec] for vec in full]

    def _face_kind(self, supports) -> str:
        if all(len(s) == len(self.strategies[i]) for i, s in enumerate(supports)):
            return "interior"
        mixing = sum(len(s) - 1 for s in supports)
        return "edge" if mixing == 1 else "face"

    def _inside(self, values: list[sp.Expr], symbolic: bool):
        """Whether every share lies strictly inside (0, 1); a condition for a symbolic game."""
        if symbolic:
            conditions = []
            for v in values:
                v = sp.factor(sp.cancel(v))
                conditions += [(v, {1}), (1 - v, {1})]
            if not all(c.free_symbols <= set(self.domain.symbols) for c, _ in conditions):
                return sp.And(*(sp.Gt(c, 0) for c, _ in conditions))
            case = build_case(self.domain, conditions)
            if case is None or not case.feasible():
                return sp.false
            return case.relational()
        for v in values:
            if v.free_symbols:
                continue
            if v.is_Rational:
                if not 0 < v < 1:
                    return False
                continue
            c = complex(sp.N(v, 30))
            if abs(c.imag) > 1e-12 or not 1e-12 < c.real < 1 - 1e-12:
                return False
        return True

    def _coordinate(self, value: sp.Expr, symbolic: bool) -> Any:
        if symbolic or value.free_symbols:
            return value
        if value.is_Integer:
            return int(value)
        if value.is_Rational and self.game.kind != "float":
            return Fraction(int(value.p), int(value.q))
        return float(sp.re(sp.N(value, 30)))

    # ------------------------------------------------------------------ stability
    def stability_table(
        self,
        params: Mapping[str, Any] | None = None,
        *,
        points: str = "all",
        tol: float = 1e-9,
    ) -> StabilityTable:
        """The stability table: every rest point, its eigenvalues and its verdict.

        Parameters
        ----------
        params : dict, optional
            Parameter values; the table of the game with these values substituted.
        points : {"all", "corners"}
            Every rest point (default) or only the pure corners.
        tol : float
            Eigenvalues of float games with absolute real part at most ``tol`` count as zero.

        Returns
        -------
        StabilityTable
            A DataFrame with columns ``point``, ``kind``, ``profile``, ``eigenvalues``
            (λ1..λd in the order of the state variables), ``signs`` (of the real parts:
            ``-``, ``+``, ``0``, ``i`` for purely imaginary, ``?`` when the declared
            ranges do not decide), ``verdict`` (``"ESS"``: every eigenvalue negative;
            ``"saddle"``: some positive and some negative; ``"unstable"``: some
            positive, none negative; ``"centre"``: a purely imaginary pair and none
            positive; ``"non-hyperbolic (undetermined)"``: a zero real part and none
            positive; for symbolic games also ``"conditional"``: an ESS exactly under
            ``ess_conditions``, and ``"not ESS"``), ``ess_conditions``, ``existence``
            (conditions for the point to lie in the state space) and ``note``. Every
            condition is simplified on the parameters' declared assumptions and ranges:
            one that no admissible point satisfies makes the verdict ``"not ESS"`` (or
            removes the rest point), one that every admissible point satisfies gives the
            unconditional verdict. Rest points other than corners are never called ESS
            (Ritzberger & Weibull 1995).

        Examples
        --------
        >>> import alliance as al
        >>> g = al.NormalFormGame.from_payoffs(
        ...     {("lend", "repay"): ("r", "b"), ("lend", "default"): ("-c", "b + d"),
        ...      ("refuse", "repay"): (0, 0), ("refuse", "default"): (0, 0)},
        ...     players=("Bank", "SME"), params={"r": "positive", "c": "positive",
        ...                                      "b": "positive", "d": "real"})
        >>> t = EvolutionaryGame(g).stability_table(points="corners")
        >>> t[["point", "eigenvalues", "verdict", "ess_conditions"]]
            point eigenvalues                        verdict ess_conditions
        0  (0, 0)     (-c, 0)  non-hyperbolic (undetermined)          False
        1  (1, 0)     (c, -d)                        not ESS          False
        2  (0, 1)      (r, 0)                       unstable          False
        3  (1, 1)     (-r, d)                    conditional          d < 0

        Declared ranges are part of the maths: with ``pi`` in [0, 1], an eigenvalue
        ``70*pi - 100`` is negative, so no condition on ``pi`` is left that no ``pi``
        in the range could satisfy:

        >>> from alliance.models import lending_game
        >>> game = lending_game(symbolic=["pi", "F"]).subs(F=20)
        >>> t = EvolutionaryGame(game).stability_table(points="corners")
        >>> t[["point", "eigenvalues", "signs", "verdict"]]
            point                 eigenvalues   signs                        verdict
        0  (0, 0)            (70*pi - 100, 0)  (-, 0)  non-hyperbolic (undetermined)
        1  (1, 0)  (100 - 70*pi, 90*pi - 106)  (+, -)                         saddle
        2  (0, 1)                      (6, 0)  (+, 0)                       unstable
        3  (1, 1)           (-6, 106 - 90*pi)  (-, +)                         saddle
        """
        if points not in ("all", "corners"):
            raise ParameterError(f"points is {points!r}; use 'all' or 'corners'")
        if not (isinstance(tol, (int, float)) and math.isfinite(tol) and tol >= 0):
            raise ParameterError(f"tol is {tol!r}; it must be a finite number >= 0")
        if params:
            return self.subs(params).stability_table(points=points, tol=tol)
        key = ("table", points, tol)
        if key not in self._cache:
            self._cache[key] = self._build_table(points, tol)
        table = self._cache[key]
        out = StabilityTable(table.copy())
        out.attrs = dict(table.attrs)
        return out

    def _build_table(self, points: str, tol: float) -> StabilityTable:
        symbolic = self.is_symbolic
        rows = []
        for rp in self.rest_points(corners_only=points == "corners"):
            note = ""
            if rp.is_corner:
                profile = self._corner_profile(rp.point)
                eig = self._corner_eigenvalues(profile)
                signs = [
                    sign_of(v, tol if self.game.kind == "float" else 0.0, self.domain)
                    for v in eig
                ]
                verdict = verdict_from_signs(signs)
                if symbolic:
                    ess = (
                        ess_condition(eig, self.domain)
                        if verdict == "conditional"
                        else (sp.true if verdict == "ESS" else sp.false)
                    )
                    # The ranges decide what the signs alone left open.
                    if ess == sp.true:
                        verdict = "ESS"
                    elif ess == sp.false and verdict == "conditional":
                        verdict = "not ESS"
                else:
                    ess = verdict == "ESS"
                if verdict == NON_HYPERBOLIC or (verdict == "not ESS" and "0" in signs):
                    note = "a zero eigenvalue: the linearisation does not decide stability"
            else:
                eig = None if rp.continuum else self._point_eigenvalues(rp, symbolic, tol)
                if eig is None:
                    signs = []
                elif symbolic:
                    signs = self._face_signs(rp, len(eig))
                else:
                    signs = [sign_of(v, tol) for v in eig]
                verdict = verdict_from_signs(signs) if eig is not None else "not ESS"
                if verdict not in ("saddle", "unstable", CENTRE):
                    verdict = "not ESS"
                ess = sp.false if symbolic else False
                note = "continuum of rest points" if rp.continuum else RITZBERGER_WEIBULL
            rows.append(
                {
                    "point": rp.point,
                    "kind": rp.kind,
                    "profile": rp.profile,
                    "eigenvalues": tuple(eig) if eig is not None else None,
                    "signs": "(" + ", ".join(signs) + ")" if eig is not None else "",
                    "verdict": verdict,
                    "ess_conditions": ess,
                    "existence": rp.conditions,
                    "note": note,
                }
            )
        table = StabilityTable(pd.DataFrame(rows))
        skipped = self._cache.get("skipped", []) if points == "all" else []
        table.attrs["notes"] = (
            [
                f"rest points on {len(skipped)} faces where three or more populations mix are "
                "not derived symbolically; substitute parameter values (params=...) to find them"
            ]
            if skipped
            else []
        )
        return table

    def _face_signs(self, rp: RestPoint, size: int) -> list[str]:
        """Signs at a symbolic rest point off the corners: the mixing pair's, decided on the
        ranges when its radicand has one sign there; the others are left open (such a point
        is never an ESS, so they are not worth a proof)."""
        signs = ["?"] * size
        pair = self._cache.get("face_pair", {}).get(rp.point)
        if pair is None:
            return signs
        (i, j), s_i, s_j = pair
        if len(s_i) == 1 and len(s_j) == 1 and 0 not in s_i | s_j:
            product = next(iter(s_i)) * next(iter(s_j))
            signs[i], signs[j] = ("i", "i") if product < 0 else ("-", "+")
        return signs

    def _point_eigenvalues(self, rp: RestPoint, symbolic: bool, tol: float) -> list | None:
        if not symbolic:
            if "J_numeric" not in self._cache:
                self._cache["J_numeric"] = sp.lambdify(
                    self.variables, self.jacobian(), modules="numpy"
                )
            J = np.array(self._cache["J_numeric"](*[float(v) for v in rp.point]), dtype=float)
            values = np.linalg.eigvals(J)
            order = np.lexsort((values.imag, values.real))
            return [float(v.real) if abs(v.imag) <= tol else complex(v) for v in values[order]]
        cached = self._cache.get("face_eigenvalues", {}).get(rp.point)
        if cached is not None:
            return cached
        # Symbolic: rows of populations at a pure strategy hold only their diagonal entry at
        # such a point, so the spectrum is those entries plus that of the mixing block.
        J = self.jacobian(rp.point)
        pure_rows, mixed = [], []
        for b in self._blocks:
            coords = rp.point[b]
            target = mixed if any(c not in (0, 1) for c in coords) else pure_rows
            target += list(range(b.start, b.stop))
        values = [J[r, r] for r in pure_rows]
        block = J.extract(mixed, mixed)
        if any(J[r, c] != 0 for r in pure_rows for c in range(J.shape[1]) if c != r):
            return None
        for value, mult in block.eigenvals().items():
            values += [sp.factor(value)] * mult
        return values

    def ess(self, params: Mapping[str, Any] | None = None) -> list[tuple]:
        """The corners that are ESS (asymptotically stable), at ``params`` for a symbolic game."""
        return self.stability_table(params, points="corners").ess

    # ------------------------------------------------------------------ check a published table
    def check_table(
        self,
        published: Any,
        *,
        tol: float = 1e-9,
        aliases: Mapping[str, str] | None = None,
        coordinates: Sequence[str] | None = None,
        form: str | None = None,
    ) -> TableCheck:
        """Check a published stability table (eigenvalues or det and trace, verdicts).

        Parameters
        ----------
        published : dict, DataFrame or str
            ``{corner: [λ1, λ2, ...]}``, ``{corner: {"det": ..., "tr": ..., "verdict":
            ...}}`` (or ``"eigenvalues"``, ``"label"``), a DataFrame (index = corner;
            columns ``det``/``tr``/``verdict`` by name, the others eigenvalues), or the
            table's text pasted from the journal (see
            :func:`~alliance.games.evolutionary.tables.read_journal_table`). A corner is a
            tuple of 0/1 coordinates, text such as ``"E3 (1, 0, 1)"`` or a tuple of
            strategy names. Values are numbers, SymPy expressions (matched to the game's
            parameters by name, whatever their assumptions) or text as journals print it:
            Unicode minus signs and dashes, ``×`` and ``·``, juxtaposed names (``2pL``),
            subscripts (``C₁``, ``C_1``, ``C1``) and Greek letters, all read through the
            safe parser (:mod:`alliance.games.evolutionary.journal`). Corners left out are
            reported as unchecked.
        tol : float
            Tolerance when comparing floats.
        aliases : dict, optional
            The paper's parameter names mapped to the game's (``{"C_1": "c_b"}``).
        coordinates : sequence of str, optional
            The populations in the order of the paper's coordinates, when it differs from
            the game's (two strategies each).
        form : {"eigenvalues", "det-trace"}, optional
            How to read list entries and text cells (default: eigenvalues, or from the
            text's header).

        Returns
        -------
        TableCheck
            One row per published entry with a diagnosis (``"match"``, ``"sign slip"``,
            ``"order"``, ``"swap"``, ``"det/tr interchanged"``, ``"column shifted"``,
            ``"neighbour's value"``, ``"wrong expression"``, ``"wrong verdict"``,
            ``"missing"``, ``"extra"``), the systematic patterns in one line each, the
            unchecked corners, and the errata as a table (``errata()``, ``to_latex()``,
            HTML).

        Examples
        --------
        >>> import alliance as al
        >>> g = al.NormalFormGame.from_matrices([[3, 0], [5, 1]], [[3, 5], [0, 1]])
        >>> ev = EvolutionaryGame(g)
        >>> ev.check_table({"(1, 1)": ["2", "2"], "(0, 0)": ["−1", "1"]})
        TableCheck(3 of 4 eigenvalues match:
          (0, 0) λ2: sign slip — published 1, derived -1; equals λ1 at (1, 0), λ2 at (0, 1)
          unchecked: 2 corners not in the published table: (1, 0), (0, 1)
        )
        """
        from alliance.games.evolutionary.tables import check_published_table

        return check_published_table(
            self, published, tol=tol, aliases=aliases, coordinates=coordinates, form=form
        )

    def path_outcomes(
        self,
        trajectories: Trajectories,
        *,
        window: float = 0.25,
        settle: float = 1e-3,
        radius: float = 1e-2,
    ) -> PathOutcomes:
        """Where simulated paths end: the share at each rest point, the cycles, the rest.

        Parameters
        ----------
        trajectories : Trajectories
            The result of :meth:`simulate` (its parameters are used for the rest points).
        window : float
            The last share of the output times on which a path is judged.
        settle : float
            A path moving less than this (max-norm) over the window has settled.
        radius : float
            A settled path ends at the rest point within this distance of its end state.

        Returns
        -------
        PathOutcomes
            Per path ``"rest"`` (with the rest point), ``"cycle"`` (with the rest point the
            cycle surrounds) or ``"undecided"``; ``sentence()`` states the shares.

        Examples
        --------
        >>> import alliance as al
        >>> g = al.NormalFormGame.from_matrices([[3, 0], [5, 1]], [[3, 5], [0, 1]])
        >>> ev = EvolutionaryGame(g)
        >>> ev.path_outcomes(ev.simulate([[0.9, 0.9], [0.5, 0.1]], 30)).sentence()
        'every one of the 2 trajectories converges to the ESS (0, 0)'
        """
        from alliance.games.evolutionary.outcomes import path_outcomes

        return path_outcomes(self, trajectories, window=window, settle=settle, radius=radius)

    # ------------------------------------------------------------------ numerics
    def _float_payoffs(self, params: Mapping[str, Any] | None) -> tuple[np.ndarray, dict]:
        game = self.game
        params = dict(params or {})
        if params:
            game = game.subs(params)
        if game.is_symbolic:
            missing = ", ".join(p.name for p in game.params)
            raise ParameterError(
                f"the game has free parameters {missing}; give their values in params={{...}}"
            )
        return np.asarray(game.payoffs, dtype=float), params

    def _check_states(self, x0: Any, field: str = "x0") -> np.ndarray:
        try:
            X = np.array(x0, dtype=float)
        except (TypeError, ValueError):
            raise ParameterError(f"{field} must be an array of numbers; got {x0!r}") from None
        if X.ndim == 1:
            X = X[None, :]
        if X.ndim != 2 or X.shape[1] != self.dimension:
            raise ParameterError(
                f"{field} has shape {np.shape(x0)}; it needs {self.dimension} coordinates per "
                f"point ({', '.join(v.name for v in self.variables)}), as (d,) or (m, d)"
            )
        bad = ~np.isfinite(X)
        if bad.any():
            r, c = np.argwhere(bad)[0]
            raise ParameterError(
                f"{field}[{r}] has {self.variables[c].name} = {X[r, c]}; it must be finite"
            )
        outside = (X < 0) | (X > 1)
        if outside.any():
            r, c = np.argwhere(outside)[0]
            raise ParameterError(
                f"{field}[{r}] = {tuple(X[r].tolist())} lies outside the unit cube: "
                f"{self.variables[c].name} = {X[r, c]:g} is not in [0, 1]"
            )
        for i, b in enumerate(self._blocks):
            if b.stop - b.start > 1:
                total = X[:, b].sum(axis=1)
                over = total > 1 + 1e-12
                if over.any():
                    r = int(np.argmax(over))
                    raise ParameterError(
                        f"{field}[{r}]: the shares of {self.populations[i]} sum to {total[r]:g} > 1"
                    )
        return X

    def _to_shares(self, X: np.ndarray) -> list[np.ndarray]:
        out = []
        for b in self._blocks:
            part = X[:, b]
            out.append(
                np.concatenate([part, np.clip(1.0 - part.sum(axis=1, keepdims=True), 0, 1)], axis=1)
            )
        return out

    def velocity(self, points: Any, params: Mapping[str, Any] | None = None) -> np.ndarray:
        """The replicator vector field at many points, shape (m, d), vectorised.

        Examples
        --------
        >>> import alliance as al
        >>> g = al.NormalFormGame.from_matrices([[3, 0], [5, 1]], [[3, 5], [0, 1]])
        >>> EvolutionaryGame(g).velocity([[0.5, 0.5]]).round(4)
        array([[-0.375, -0.375]])
        """
        from alliance.games.evolutionary.integrate import PayoffKernel

        payoffs, _ = self._float_payoffs(params)
        X = self._check_states(points, "points")
        v = PayoffKernel(payoffs).velocity(self._to_shares(X))
        return np.concatenate([vi[:, : vi.shape[1] - 1] for vi in v], axis=1)

    def simulate(
        self,
        x0: Any,
        t: float | Sequence[float],
        params: Mapping[str, Any] | None = None,
        *,
        method: str = "dopri5",
        atol: float = 1e-9,
        rtol: float = 0.0,
        max_steps: int = 100_000,
        progress: bool | None = None,
    ) -> Trajectories:
        """Trajectories of the replicator dynamics from many initial points at once.

        Parameters
        ----------
        x0 : array_like, shape (d,) or (m, d)
            Initial states in the state variables (each share in [0, 1]; the shares of a
            population with more than two strategies sum to at most 1).
        t : float or array_like
            End time (output at 201 evenly spaced times from 0), or increasing output times.
        params : dict, optional
            Parameter values of a symbolic game (all of them).
        method : {"dopri5", "solve_ivp"}
            ``"dopri5"``: every trajectory at once, Dormand–Prince 5(4) with per-trajectory
            step control in logit coordinates (states stay in the unit cube by
            construction). ``"solve_ivp"``: SciPy's DOP853 on each trajectory in turn, same
            coordinates (slow; a reference for checks).
        atol, rtol : float
            Local error tolerances of the logits ``log(x / (1 - x))``.
        max_steps : int
            Most steps a trajectory may take.
        progress : bool or None
            Show a progress bar (None: only in a terminal).

        Returns
        -------
        Trajectories
            ``t``, ``states`` of shape (m, T, d), ``final``.

        Raises
        ------
        ParameterError
            Initial points outside the state space, bad times, missing or non-finite
            parameters.

        Examples
        --------
        >>> import alliance as al
        >>> g = al.NormalFormGame.from_matrices([[3, 0], [5, 1]], [[3, 5], [0, 1]])
        >>> EvolutionaryGame(g).simulate([[0.9, 0.9], [0.5, 0.1]], 30).final.round(6)
        array([[0., 0.],
               [0., 0.]])
        """
        payoffs, params = self._float_payoffs(params)
        X = self._check_states(x0)
        times = _check_times(t)
        for name, value in (("atol", atol), ("rtol", rtol)):
            if not (isinstance(value, (int, float)) and math.isfinite(value) and value >= 0):
                raise ParameterError(f"{name} is {value!r}; it must be a finite number >= 0")
        if atol == 0 and rtol == 0:
            raise ParameterError("atol and rtol are both 0; give a positive tolerance")
        shares0 = self._to_shares(X)
        if method == "dopri5":
            from tqdm.auto import tqdm

            from alliance.games.evolutionary.integrate import integrate_logit

            span = float(times[-1] - times[0])
            with tqdm(
                total=span,
                disable=None if progress is None else not progress,
                desc="simulate",
                unit="time",
            ) as bar:

                def report(now: float) -> None:
                    bar.update(max(0.0, now - times[0] - bar.n))

                result = integrate_logit(
                    payoffs,
                    shares0,
                    times,
                    rtol=rtol,
                    atol=atol,
                    max_steps=max_steps,
                    progress=report,
                )
        elif method == "solve_ivp":
            result = _solve_ivp_loop(payoffs, shares0, times, rtol=max(rtol, 1e-13), atol=atol)
        else:
            raise ParameterError(f"method is {method!r}; use 'dopri5' or 'solve_ivp'")
        states = np.concatenate([r[:, :, : r.shape[2] - 1] for r in result], axis=2)
        np.clip(states, 0.0, 1.0, out=states)
        return Trajectories(
            times,
            states,
            tuple(v.name for v in self.variables),
            self.descriptions,
            {k: v for k, v in params.items()},
            method,
        )


# ---------------------------------------------------------------------- helpers
def _sympy_table(game: NormalFormGame) -> np.ndarray:
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


def _to_sympy_number(value: Any, field: str) -> sp.Expr:
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


def _check_times(t: Any) -> np.ndarray:
    if np.ndim(t) == 0:
        try:
            end = float(t)
        except (TypeError, ValueError):
            raise ParameterError(f"t is {t!r}; give an end time or an array of times") from None
        if not math.isfinite(end) or end <= 0:
            raise ParameterError(f"t is {t!r}; the end time must be finite and > 0")
        return np.linspace(0.0, end, 201)
    times = np.asarray(t, dtype=float)
    if times.ndim != 1 or times.size < 2:
        raise ParameterError(f"t has shape {times.shape}; give at least two output times")
    if not np.all(np.isfinite(times)):
        raise ParameterError(
            f"t contains non-finite times: {times[~np.isfinite(times)][:3].tolist()}"
        )
    if np.any(np.diff(times) <= 0):
        raise ParameterError("t must be strictly increasing")
    return times


def _solve_ivp_loop(payoffs, shares0, times, *, rtol, atol) -> list[np.ndarray]:
    # The reference integrator: one scipy call per trajectory (slow by design).
    from scipy.integrate import solve_ivp

    from alliance.games.evolutionary.integrate import _BinarySystem, _GeneralSystem

    binary = all(k == 2 for k in payoffs.shape[:-1])
    system = _BinarySystem(payoffs) if binary else _GeneralSystem(payoffs)
    m = shares0[0].shape[0]
    result = [np.empty((m, len(times), s.shape[1])) for s in shares0]
    xi0, aux = system.start(shares0)
    for row in range(m):
        sub_aux = system.keep(aux, np.array([row])) if aux is not None else None
        finite = np.isfinite(xi0[:, row])
        start = np.where(finite, xi0[:, row], 0.0)

        def f(_t, z, sub_aux=sub_aux, finite=finite, fixed=xi0[:, row]):
            full = np.where(finite, z, fixed)
            return np.where(finite, system.rhs(full[:, None], sub_aux)[:, 0], 0.0)

        sol = solve_ivp(
            f, (times[0], times[-1]), start, method="DOP853", t_eval=times, rtol=rtol, atol=atol
        )
        path = np.where(finite[:, None], sol.y, xi0[:, row][:, None])
        for r, s in zip(result, system.shares(path, sub_aux)):
            r[row] = s
    return result
