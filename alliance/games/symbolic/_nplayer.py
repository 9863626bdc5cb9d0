"""Mixed equilibria of small n-player symbolic games by symbolic support enumeration.

For supports on which at least two players mix, the indifference equations are solved with
SymPy (they are multilinear, so a 2×2×2 game leads to at most a quadratic). Each solution
becomes a :class:`SymbolicEquilibrium` valid where its probabilities are positive, real and
no player gains by leaving its support.

Limitation: for three or more players only *generic* parameter points are covered. Supports
on which a single player mixes, and continua of equilibria, exist only on boundaries of the
parameter space (where the game is degenerate); they are not enumerated here.
"""

from __future__ import annotations

import itertools

import numpy as np
import sympy as sp

from alliance.errors import SizeLimitError
from alliance.games.symbolic._conditions import Case, Domain
from alliance.games.symbolic._enumerate import profile_label
from alliance.games.symbolic.equilibrium import SymbolicEquilibrium

__all__ = ["mixed_cases", "MAX_SUPPORTS"]

#: Largest number of support combinations attempted symbolically.
MAX_SUPPORTS = 64

_GE = frozenset({0, 1})
_POS = frozenset({1})


def _deviation(table: np.ndarray, probs: list[list[sp.Expr]], i: int) -> list[sp.Expr]:
    u = table[..., i]
    for j in reversed(range(len(probs))):
        if j != i:
            u = np.tensordot(u, np.array(probs[j], dtype=object), axes=([j], [0]))
    return [sp.expand(v) for v in np.asarray(u).ravel()]


def mixed_cases(game, domain: Domain) -> list[SymbolicEquilibrium]:
    """Equilibria of an n-player symbolic game on supports where two or more players mix."""
    shape = game.shape
    n = game.n_players
    supports_each = [
        [S for k in range(1, m + 1) for S in itertools.combinations(range(m), k)] for m in shape
    ]
    combos = [c for c in itertools.product(*supports_each) if sum(len(S) > 1 for S in c) >= 2]
    if len(combos) > MAX_SUPPORTS:
        raise SizeLimitError(
            f"the symbolic {'×'.join(map(str, shape))} game has {len(combos)} mixed support "
            f"combinations (limit {MAX_SUPPORTS}); substitute some parameters first"
        )
    table = game.payoffs
    out: list[SymbolicEquilibrium] = []
    for support in combos:
        unknowns = []
        probs: list[list[sp.Expr]] = []
        for i, S in enumerate(support):
            vec = [sp.Integer(0)] * shape[i]
            if len(S) == 1:
                vec[S[0]] = sp.Integer(1)
            else:
                xs = [sp.Dummy(f"x{i}_{k}") for k in range(len(S) - 1)]
                unknowns += xs
                for k, s in enumerate(S[:-1]):
                    vec[s] = xs[k]
                vec[S[-1]] = 1 - sp.Add(*xs)
            probs.append(vec)
        equations = []
        for i, S in enumerate(support):
            if len(S) > 1:
                dev = _deviation(table, probs, i)
                equations += [dev[S[0]] - dev[s] for s in S[1:]]
        try:
            solutions = sp.solve(equations, unknowns, dict=True)
        except (NotImplementedError, ValueError):
            continue
        for sol in solutions:
            if any(u not in sol for u in unknowns):
                continue  # a continuum: degenerate parameters only
            prof = [[sp.simplify(p.xreplace(sol)) for p in vec] for vec in probs]
            case = Case(domain)
            ok = True
            radicands = {
                a.base
                for p in itertools.chain(*prof)
                for a in p.atoms(sp.Pow)
                if a.exp.is_Rational and not a.exp.is_Integer
            }
            for r in radicands:
                ok = ok and case.add(r, _GE)
            for i, S in enumerate(support):
                if not ok:
                    break
                if len(S) > 1:
                    for s in S:
                        ok = ok and case.add(prof[i][s], _POS)
                dev = _deviation(table, prof, i)
                for s in range(shape[i]):
                    if s not in S:
                        ok = ok and case.add(dev[S[0]] - dev[s], _GE)
            if not ok or not case.feasible():
                continue
            profile = tuple(tuple(p) for p in prof)
            payoffs = tuple(
                sp.factor(
                    sp.expand(
                        sum(d * p for d, p in zip(_deviation(table, prof, i), prof[i], strict=True))
                    )
                )
                for i in range(n)
            )
            out.append(
                SymbolicEquilibrium.from_case(
                    case,
                    profile,
                    payoffs,
                    game.players,
                    game.strategies,
                    "mixed",
                    profile_label(game.strategies, profile),
                    ("support",) + tuple(support),
                    domain,
                )
            )
    return out
