"""Rest points of the replicator dynamics: pure corners, faces and the interior.

A non-corner rest point mixes the strategies in its supports so that each mixing
population is indifferent among them. Numeric games: found exactly (rational payoffs) or
from the exact binary value of float payoffs, kept when they lie in the state space.
Symbolic games: solved in closed form where at most two populations mix, with the
conditions for the point to lie in the state space simplified on the parameters'
declared ranges (a point that no admissible parameter puts inside does not exist);
faces where more populations mix are listed as skipped.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from fractions import Fraction
from typing import Any

import sympy as sp

from alliance.games.evolutionary.equations import ReplicatorSystem
from alliance.games.evolutionary.results import RestPoint
from alliance.games.symbolic import Domain, build_case

__all__ = ["RestPointSolver"]


class RestPointSolver:
    """Finds the rest points of a :class:`ReplicatorSystem` (cached in the system's cache).

    Parameters
    ----------
    system : ReplicatorSystem
        The replicator system.
    domain : Domain
        The parameters with their declared assumptions and ranges.

    Examples
    --------
    :class:`EvolutionaryGame` builds one; a coordination game has four corners and one
    interior rest point:

    >>> import alliance as al
    >>> g = al.NormalFormGame.from_matrices([[2, 0], [0, 1]], [[2, 0], [0, 1]])
    >>> ev = al.EvolutionaryGame(g)
    >>> solver = RestPointSolver(ev.system, ev.domain)
    >>> len(solver.rest_points()), solver.skipped
    (5, [])
    """

    def __init__(self, system: ReplicatorSystem, domain: Domain) -> None:
        self.system = system
        self.domain = domain
        self.cache = system.cache

    @property
    def skipped(self) -> list[str]:
        """Faces whose rest points were not derived symbolically."""
        self.rest_points()
        return list(self.cache.get("skipped", []))

    def rest_points(self, *, corners_only: bool = False) -> list[RestPoint]:
        """Every pure corner, and the rest points on faces and in the interior (cached).

        Parameters
        ----------
        corners_only : bool, default False
            Only the pure corners.

        Returns
        -------
        list of RestPoint
            Corners first (see :meth:`EvolutionaryGame.rest_points`).

        Examples
        --------
        >>> import alliance as al
        >>> g = al.NormalFormGame.from_matrices([[2, 0], [0, 1]], [[2, 0], [0, 1]])
        >>> ev = al.EvolutionaryGame(g)
        >>> len(RestPointSolver(ev.system, ev.domain).rest_points(corners_only=True))
        4
        """
        key = ("rest", corners_only)
        if key not in self.cache:
            points = [
                RestPoint(
                    self.system.corner_coordinates(p),
                    "corner",
                    self.system.profile_text(p),
                    True,
                    False,
                    self.system.variables,
                )
                for p in self.system.corners()
            ]
            if not corners_only:
                points += self._face_rest_points()
            self.cache[key] = points
        return list(self.cache[key])

    def _face_rest_points(self) -> list[RestPoint]:
        symbolic = self.system.is_symbolic
        supports_per_population = [
            [c for r in range(1, len(s) + 1) for c in itertools.combinations(range(len(s)), r)]
            for s in self.system.strategies
        ]
        found: list[RestPoint] = []
        skipped: list[str] = []
        u = None
        for supports in itertools.product(*supports_per_population):
            mixing = [i for i, sup in enumerate(supports) if len(sup) > 1]
            if not mixing:
                continue
            if self.system.is_binary and len(mixing) <= 2:
                found += self._binary_face(supports, mixing)
                continue
            if symbolic and (len(mixing) > 2 or any(len(supports[i]) > 2 for i in mixing)):
                skipped.append(self._support_text(supports))
                continue
            if u is None:
                table = self.system.solve_table()
                u = self.system.u if table is self.system.table else self.system.expected_payoffs_of(table)
            found += self._solve_face(supports, mixing, u, symbolic)
        self.cache.setdefault("skipped", [])
        self.cache["skipped"] += skipped
        return found

    def _binary_face(self, supports, mixing) -> list[RestPoint]:
        """Rest points where one or two populations mix, in closed form.

        With the others fixed at a corner, D_i depends only on the other mixing share and
        is linear in it: with d0, d1 its values at that share 0 and 1, the indifference
        point is d0 / (d0 - d1), inside (0, 1) exactly when d0 * d1 < 0.
        """
        symbolic = self.system.is_symbolic
        gains = self.system.gains()
        x = self.system.variables
        fixed = {
            x[k]: sp.Integer(1 - supports[k][0])
            for k in range(self.system.n_populations)
            if k not in mixing
        }
        profile = [supports[k][0] if k not in mixing else None for k in range(self.system.n_populations)]
        text = self.system.profile_text(profile)
        kind = (
            "interior"
            if len(mixing) == self.system.n_populations
            else ("edge" if len(mixing) == 1 else "face")
        )
        if len(mixing) == 1:
            (i,) = mixing
            if sp.expand(gains[i].xreplace(fixed)) != 0:
                return []
            coords = tuple(x[i] if k == i else fixed[x[k]] for k in range(self.system.n_populations))
            return [RestPoint(self._coords(coords), kind, text, True, True, self.system.variables)]
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
            for k in range(self.system.n_populations)
        )
        point = RestPoint(self._coords(coords), kind, text, condition, bool(free), self.system.variables)
        if symbolic and not free:
            eig = []
            # Unevaluated substitution: the entries are rational functions whose automatic
            # simplification (with assumption queries) costs seconds and changes nothing.
            with sp.evaluate(False):
                for k in range(self.system.n_populations):
                    if k in mixing:
                        continue
                    sign = 1 - 2 * fixed[x[k]]
                    at = gains[k].xreplace({**fixed, x[i]: value[i], x[j]: value[j]})
                    eig.append((k, at if sign == 1 else -at))
                product = d0[i] * d1[i] * d0[j] * d1[j] / ((d0[i] - d1[i]) * (d0[j] - d1[j]))
                root = sp.sqrt(product)
            eig += [(i, -root), (j, root)]
            self.cache.setdefault("face_eigenvalues", {})[point.point] = [
                v for _, v in sorted(eig, key=lambda e: e[0])
            ]
            # On the point's existence region d0 and d1 have opposite signs, so the sign
            # of the radicand is sign(d0_i) * sign(d0_j): the pair is imaginary (a centre)
            # where the two populations' gains at share 0 differ in sign.
            self.cache.setdefault("face_pair", {})[point.point] = (
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
            names = [self.system.strategies[i][a] for a in sup]
            parts.append(names[0] if len(names) == 1 else "mix of " + "/".join(names))
        return "; ".join(parts)

    def _solve_face(self, supports, mixing, u, symbolic) -> list[RestPoint]:
        unknowns = []
        shares: list[list[sp.Expr]] = []
        for i, sup in enumerate(supports):
            k = len(self.system.strategies[i])
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
        for i, b in enumerate(self.system.blocks):
            for a, v in enumerate(self.system.variables[b]):
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
                self.cache.setdefault("skipped", []).append(self._support_text(supports))
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
            for i in range(self.system.n_populations):
                coords += [
                    self._coordinate(full[i][a], symbolic)
                    for a in range(len(self.system.strategies[i]) - 1)
                ]
            profile = [sup[0] if len(sup) == 1 else None for sup in supports]
            text = self.system.profile_text(profile)
            if any(1 < len(s) < len(self.system.strategies[i]) for i, s in enumerate(supports)):
                text = self._support_text(supports)
            out.append(
                RestPoint(
                    tuple(coords),
                    kind,
                    text,
                    condition if symbolic else True,
                    continuum,
                    self.system.variables,
                )
            )
        return out

    def _rename_free(self, full, supports, free):
        # A free share is replaced by a state-variable symbol so the point reads as a line.
        rename = {}
        for i, sup in enumerate(supports):
            if len(sup) > 1:
                for a, v in zip(
                    range(len(self.system.strategies[i]) - 1), self.system.variables[self.system.blocks[i]]
                ):
                    value = full[i][a]
                    if value in free and value not in rename:
                        rename[value] = v
        return [[s.xreplace(rename) for s in vec] for vec in full]

    def _face_kind(self, supports) -> str:
        if all(len(s) == len(self.system.strategies[i]) for i, s in enumerate(supports)):
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
        if value.is_Rational and self.system.game.kind != "float":
            return Fraction(int(value.p), int(value.q))
        return float(sp.re(sp.N(value, 30)))
