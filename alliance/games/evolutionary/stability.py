"""The stability table: every rest point, its eigenvalues, their signs and the verdict.

At a pure corner the Jacobian is (block-)triangular and each eigenvalue is a population's
payoff gain from switching strategy there (Friedman 1991); a corner is asymptotically
stable exactly when it is a strict Nash equilibrium, and no other rest point of
multi-population replicator dynamics is asymptotically stable (Ritzberger & Weibull 1995).
Signs and ESS conditions are decided on the parameters' declared ranges
(:mod:`alliance.games.evolutionary.conditions`).

References
----------
Friedman, D. (1991). Evolutionary games in economics. *Econometrica*, 59(3), 637–666.
Ritzberger, K., & Weibull, J. W. (1995). Evolutionary selection in normal-form games.
*Econometrica*, 63(6), 1371–1399.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import sympy as sp

from alliance.games.evolutionary.conditions import (
    CENTRE,
    NON_HYPERBOLIC,
    ess_condition,
    sign_of,
    verdict_from_signs,
)
from alliance.games.evolutionary.equations import ReplicatorSystem
from alliance.games.evolutionary.rest_points import RestPointSolver
from alliance.games.evolutionary.results import RestPoint, StabilityTable
from alliance.games.symbolic import Domain

__all__ = ["StabilityAnalysis", "RITZBERGER_WEIBULL"]

RITZBERGER_WEIBULL = (
    "a rest point that is not a pure corner is never asymptotically stable in "
    "multi-population replicator dynamics (Ritzberger & Weibull 1995)"
)


class StabilityAnalysis:
    """Builds the stability table of a :class:`ReplicatorSystem`.

    Parameters
    ----------
    system : ReplicatorSystem
        The replicator system.
    solver : RestPointSolver
        Its rest points.
    domain : Domain
        The parameters with their declared assumptions and ranges.

    Examples
    --------
    :class:`EvolutionaryGame` builds one (``stability_table`` uses it):

    >>> import alliance as al
    >>> g = al.NormalFormGame.from_matrices([[2, 0], [0, 1]], [[2, 0], [0, 1]])
    >>> ev = al.EvolutionaryGame(g)
    >>> from alliance.games.evolutionary.rest_points import RestPointSolver
    >>> analysis = StabilityAnalysis(ev.system, RestPointSolver(ev.system, ev.domain), ev.domain)
    >>> analysis.table("all", 1e-9).ess
    [(0, 0), (1, 1)]
    """

    def __init__(self, system: ReplicatorSystem, solver: RestPointSolver, domain: Domain) -> None:
        self.system = system
        self.solver = solver
        self.domain = domain
        self.cache = system.cache

    def table(self, points: str, tol: float) -> StabilityTable:
        """The table for ``points`` in {"all", "corners"} (cached).

        Parameters
        ----------
        points : {"all", "corners"}
            Every rest point, or the pure corners only.
        tol : float
            Float eigenvalues within ``tol`` of 0 count as 0, >= 0.

        Returns
        -------
        StabilityTable
            One row per rest point.

        Examples
        --------
        >>> import alliance as al
        >>> g = al.NormalFormGame.from_matrices([[2, 0], [0, 1]], [[2, 0], [0, 1]])
        >>> ev = al.EvolutionaryGame(g)
        >>> list(ev.stability_table()["verdict"])
        ['ESS', 'unstable', 'unstable', 'ESS', 'saddle']
        """
        key = ("table", points, tol)
        if key not in self.cache:
            self.cache[key] = self._build_table(points, tol)
        return self.cache[key]

    def _build_table(self, points: str, tol: float) -> StabilityTable:
        symbolic = self.system.is_symbolic
        rows = []
        for rp in self.solver.rest_points(corners_only=points == "corners"):
            note = ""
            if rp.is_corner:
                profile = self.system.corner_profile(rp.point)
                eig = self.system.corner_eigenvalues(profile)
                signs = [
                    sign_of(v, tol if self.system.game.kind == "float" else 0.0, self.domain)
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
        skipped = self.cache.get("skipped", []) if points == "all" else []
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
        pair = self.cache.get("face_pair", {}).get(rp.point)
        if pair is None:
            return signs
        (i, j), s_i, s_j = pair
        if len(s_i) == 1 and len(s_j) == 1 and 0 not in s_i | s_j:
            product = next(iter(s_i)) * next(iter(s_j))
            signs[i], signs[j] = ("i", "i") if product < 0 else ("-", "+")
        return signs

    def _point_eigenvalues(self, rp: RestPoint, symbolic: bool, tol: float) -> list | None:
        if not symbolic:
            if "J_numeric" not in self.cache:
                self.cache["J_numeric"] = sp.lambdify(
                    self.system.variables, self.system.jacobian(), modules="numpy"
                )
            J = np.array(self.cache["J_numeric"](*[float(v) for v in rp.point]), dtype=float)
            values = np.linalg.eigvals(J)
            order = np.lexsort((values.imag, values.real))
            return [float(v.real) if abs(v.imag) <= tol else complex(v) for v in values[order]]
        cached = self.cache.get("face_eigenvalues", {}).get(rp.point)
        if cached is not None:
            return cached
        # Symbolic: rows of populations at a pure strategy hold only their diagonal entry at
        # such a point, so the spectrum is those entries plus that of the mixing block.
        J = self.system.jacobian(rp.point)
        pure_rows, mixed = [], []
        for b in self.system.blocks:
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
