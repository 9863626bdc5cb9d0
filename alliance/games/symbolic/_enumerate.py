"""Symbolic enumeration of equilibria: pure profiles (n players) and extreme equilibria (2 players).

Two-player games are solved by a symbolic vertex enumeration. An extreme equilibrium is a
pair of vertices of the players' best-response polyhedra
``P = {(x, v): x in simplex, B'x <= v}`` and ``Q = {(y, u): y in simplex, Ay <= u}`` that
are complementary (every strategy used is a best response). A vertex of ``P`` with support
``S`` is pinned down by ``|S|`` of the column player's strategies ``T`` that tie at the
maximum: ``x_S`` solves ``sum(x) = 1`` and ``(B'x)_t = v`` for ``t in T``. Each pair of
candidates, and each sign of the determinants involved, gives one *case*: a conjunction of
sign conditions on the parameters, simplified with the parameters' assumptions.

References
----------
Avis, D., Rosenberg, G. D., Savani, R., & von Stengel, B. (2010). Enumeration of Nash
equilibria for two-player games. *Economic Theory*, 42(1), 9–37.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

import sympy as sp

from alliance.errors import SizeLimitError
from alliance.games.symbolic._conditions import Atom, Case, Domain, negate
from alliance.games.symbolic.equilibrium import SymbolicEquilibrium

__all__ = ["pure_cases", "bimatrix_cases", "MAX_CANDIDATE_PAIRS"]

#: Largest number of (row vertex, column vertex) candidate pairs a symbolic game may have.
MAX_CANDIDATE_PAIRS = 3000

GE = frozenset({0, 1})


def _player_label(names: tuple[str, ...], probs: tuple) -> str:
    used = [s for s, p in zip(names, probs, strict=True) if p != 0]
    if len(used) == 1:
        return used[0]
    if len(used) == len(names):
        return "mix"
    return "mix{" + ",".join(used) + "}"


def profile_label(strategies, profile) -> str:
    parts = [_player_label(names, probs) for names, probs in zip(strategies, profile, strict=True)]
    if all(p == "mix" for p in parts):
        return "mixed"
    return "(" + ", ".join(parts) + ")"


def _tidy(expr: sp.Expr) -> sp.Expr:
    expr = sp.factor(expr)
    if expr.is_Mul and expr.args[0] == -1 and len(expr.args) == 2 and expr.args[1].is_Add:
        return sp.expand(expr)  # -(h - k) reads better as k - h
    return expr


def simplify_expression(expr: sp.Expr) -> sp.Expr:
    num, den = sp.fraction(sp.cancel(expr))
    num, den = _tidy(num), _tidy(den)
    if den.could_extract_minus_sign():
        num, den = _tidy(-num), _tidy(-den)
    return num / den


def pure_cases(game, domain: Domain) -> list[SymbolicEquilibrium]:
    """One symbolic equilibrium per pure profile that is an equilibrium somewhere."""
    table = game.payoffs
    n = game.n_players
    out = []
    for index in itertools.product(*(range(k) for k in game.shape)):
        case = Case(domain)
        ok = True
        for i in range(n):
            own = table[index + (i,)]
            for alt in range(game.shape[i]):
                if alt == index[i]:
                    continue
                other = index[:i] + (alt,) + index[i + 1 :]
                if not case.add(own - table[other + (i,)], GE):
                    ok = False
                    break
            if not ok:
                break
        if not ok or not case.feasible():
            continue
        profile = tuple(
            tuple(sp.Integer(1 if j == index[i] else 0) for j in range(game.shape[i]))
            for i in range(n)
        )
        payoffs = tuple(table[index + (i,)] for i in range(n))
        out.append(
            SymbolicEquilibrium.from_case(
                case,
                profile,
                payoffs,
                game.players,
                game.strategies,
                "pure",
                profile_label(game.strategies, profile),
                (("pure",) + tuple(index),),
                domain,
            )
        )
    return out


@dataclass
class _Vertex:
    """A candidate vertex of one player's best-response polyhedron."""

    support: tuple[int, ...]
    tight: tuple[int, ...]
    nums: tuple[sp.Expr, ...]  # x_i = nums[i] / det, over all own strategies
    det: sp.Expr
    branches: list[tuple[int, Case]]  # (sign of det, vertex conditions)

    @property
    def key(self) -> tuple:
        return (self.support, self.tight)

    def line(self, P, o: int) -> sp.Expr:
        """Numerator of the other player's payoff from strategy ``o`` against this mix."""
        return sp.Add(*[P[i, o] * self.nums[i] for i in self.support])


def _vertices(P, domain: Domain) -> list[_Vertex]:
    """Candidate vertices for a player whose mix determines the other's payoffs ``P[own, other]``."""
    m, n = P.shape
    out = []
    for i in range(m):
        nums = tuple(sp.Integer(1 if k == i else 0) for k in range(m))
        out.append(_Vertex((i,), (), nums, sp.Integer(1), [(1, Case(domain))]))
    for s in range(2, min(m, n) + 1):
        for S in itertools.combinations(range(m), s):
            for T in itertools.combinations(range(n), s):
                M = sp.zeros(s + 1, s + 1)
                for r, t in enumerate(T):
                    for c, i in enumerate(S):
                        M[r, c] = P[i, t]
                    M[r, s] = -1
                for c in range(s):
                    M[s, c] = 1
                det = sp.expand(M.det(method="berkowitz"))
                if det == 0:
                    continue
                adj_col = M.adjugate(method="berkowitz")[:, s]
                nums_s = [sp.expand(adj_col[c]) for c in range(s)]
                nums = [sp.Integer(0)] * m
                for c, i in enumerate(S):
                    nums[i] = nums_s[c]
                vertex = _Vertex(S, T, tuple(nums), det, [])
                signs = domain.signs(det) - {0}
                for sign in sorted(signs, reverse=True):
                    case = Case(domain)
                    if len(signs) > 1 and not case.add(det, {sign}):
                        continue
                    conds = [(nums[i], {sign}) for i in S]
                    t0 = T[0]
                    for k in range(n):
                        if k not in T:
                            expr = vertex.line(P, t0) - vertex.line(P, k)
                            conds.append((expr, GE if sign > 0 else negate(GE)))
                    if all(case.add(e, a) for e, a in conds):
                        vertex.branches.append((sign, case))
                if vertex.branches:
                    out.append(vertex)
    return out


def _merge(a: Case, b: Case) -> Case | None:
    case = a.copy()
    for expr, allowed in b.atoms.items():
        if not case.add_atom(Atom(expr, allowed)):
            return None
    return case


def bimatrix_cases(game, domain: Domain) -> list[SymbolicEquilibrium]:
    """Every extreme equilibrium of a two-player symbolic game, as cases."""
    A, B = game.payoff_matrices()
    rows = _vertices(B, domain)  # row player's mix: lines are the column player's payoffs
    cols = _vertices(A.T, domain)
    if len(rows) * len(cols) > MAX_CANDIDATE_PAIRS:
        raise SizeLimitError(
            f"the {game.shape[0]}×{game.shape[1]} symbolic game has {len(rows) * len(cols)} "
            f"candidate vertex pairs (limit {MAX_CANDIDATE_PAIRS}); substitute some parameters "
            "with .subs(...) first"
        )
    m, n = game.shape
    out: list[SymbolicEquilibrium] = []
    for vx, vy in itertools.product(rows, cols):
        found = []
        for (sx, cx), (sy, cy) in itertools.product(vx.branches, vy.branches):
            case = _merge(cx, cy)
            if case is None:
                continue
            conds = []
            # Every strategy the column player uses is a best response to x ...
            for o in vy.support:
                for k in range(n):
                    if k != o:
                        conds.append((vx.line(B, o) - vx.line(B, k), GE if sx > 0 else negate(GE)))
            # ... and every strategy the row player uses is a best response to y.
            for o in vx.support:
                for k in range(m):
                    if k != o:
                        conds.append(
                            (vy.line(A.T, o) - vy.line(A.T, k), GE if sy > 0 else negate(GE))
                        )
            if not all(case.add(e, a) for e, a in conds):
                continue
            if not case.feasible():
                continue
            found.append(case)
        if not found:
            continue
        x = tuple(simplify_expression(vx.nums[i] / vx.det) for i in range(m))
        y = tuple(simplify_expression(vy.nums[j] / vy.det) for j in range(n))
        profile = (x, y)
        payoffs = tuple(
            simplify_expression(sp.Add(*[x[i] * y[j] * M[i, j] for i in range(m) for j in range(n)]))
            for M in (A, B)
        )
        kind = "pure" if len(vx.support) == 1 and len(vy.support) == 1 else "mixed"
        label = profile_label(game.strategies, profile)
        for case in found:
            out.append(
                SymbolicEquilibrium.from_case(
                    case,
                    profile,
                    payoffs,
                    game.players,
                    game.strategies,
                    kind,
                    label,
                    (vx.key, vy.key),
                    domain,
                )
            )
    out.sort(key=lambda e: (e.kind != "pure", e.is_boundary))
    return out
