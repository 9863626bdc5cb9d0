"""Symbolic equilibria: conditions, closed forms, and agreement with the numeric solver."""

from __future__ import annotations

import itertools
from fractions import Fraction

import numpy as np
import pytest
import sympy as sp
from hypothesis import given, settings
from hypothesis import strategies as st

import alliance as al
from alliance.errors import ParameterError
from alliance.games import symbolic
from alliance.games.symbolic.classifier import cached_equilibria, equilibrium_set_classifier

GENERAL = al.NormalFormGame.from_matrices([["a", "b"], ["c", "d"]], [["e", "f"], ["h", "k"]])

INSPECTION = al.NormalFormGame.from_payoffs(
    {
        ("monitor", "repay"): ("r*L - c", "R - (1 + r)*L"),
        ("monitor", "default"): ("F - c - L", "-F"),
        ("trust", "repay"): ("r*L", "R - (1 + r)*L"),
        ("trust", "default"): ("-L", "R"),
    },
    players=("Bank", "SME"),
    params={"r": "positive", "L": "positive", "c": "positive", "F": "positive", "R": "positive"},
)

WIDE = al.NormalFormGame.from_matrices([["a", 1, 0], [0, "b", 2]], [[1, 0, "d"], [0, 2, 1]])


def _key(profile) -> tuple:
    return tuple(tuple(Fraction(p) for p in s) for s in profile)


def symbolic_set(game, **values) -> set:
    return {_key(e.profile_at(**values)) for e in cached_equilibria(game) if e.holds_at(**values)}


def numeric_set(game, **values) -> set:
    return {_key(e.profile) for e in game.subs(**values).equilibria()}


# ------------------------------------------------------------------ agreement with numbers
@settings(max_examples=100, deadline=None)
@given(st.lists(st.integers(-2, 2), min_size=8, max_size=8))
def test_general_2x2_matches_vertex_enumeration(values):
    # Small integers make most points degenerate: ties, zero determinants, components.
    point = dict(zip(["a", "b", "c", "d", "e", "f", "h", "k"], values, strict=True))
    assert symbolic_set(GENERAL, **point) == numeric_set(GENERAL, **point)


def _boundary_point(game, draw_values, which):
    """Move a random point onto the zero set of one condition expression (exactly)."""
    exprs = sorted({a.expr for e in cached_equilibria(game) for a in e.atoms}, key=str)
    expr = exprs[which % len(exprs)]
    for s in sorted(expr.free_symbols, key=lambda t: t.name):
        if expr.is_polynomial(s) and sp.degree(expr, s) == 1:
            rest = {t: sp.Rational(v) for t, v in draw_values.items() if t != s}
            solved = sp.solve(expr.xreplace(rest), s)
            if solved and solved[0].is_positive:
                out = {t.name: Fraction(str(v)) for t, v in rest.items()}
                out[s.name] = Fraction(int(solved[0].p), int(solved[0].q))
                return out
    return None


@settings(max_examples=100, deadline=None)
@given(
    st.lists(st.fractions(Fraction(1, 4), 8, max_denominator=4), min_size=5, max_size=5),
    st.integers(0, 40),
    st.booleans(),
)
def test_inspection_game_matches_numeric_in_regions_and_on_boundaries(values, which, on_boundary):
    symbols = INSPECTION.params
    point = {s.name: v for s, v in zip(symbols, values, strict=True)}
    if on_boundary:
        moved = _boundary_point(
            INSPECTION, {s: v for s, v in zip(symbols, values, strict=True)}, which
        )
        point = moved or point
    assert symbolic_set(INSPECTION, **point) == numeric_set(INSPECTION, **point)


@settings(max_examples=100, deadline=None)
@given(st.integers(-1, 3), st.integers(-1, 3), st.integers(-1, 3))
def test_2x3_game_matches_numeric(a, b, d):
    assert symbolic_set(WIDE, a=a, b=b, d=d) == numeric_set(WIDE, a=a, b=b, d=d)


def test_three_player_one_parameter_game_matches_numeric():
    P = np.empty((2, 2, 2, 3), dtype=object)
    for x, y, z in itertools.product(range(2), repeat=3):
        P[x, y, z] = ("a" if x == y == 0 else int(x == y), int(y == z), int(z != x))
    g = al.NormalFormGame.from_array(P, params={"a": "positive"})
    eqs = symbolic.equilibria(g)
    for a in (Fraction(1, 3), Fraction(2), Fraction(7, 2)):
        sym = {
            tuple(tuple(round(float(p), 9) for p in s) for s in e.profile_at(a=a))
            for e in eqs
            if e.holds_at(a=a)
        }
        num = {
            tuple(tuple(round(float(p), 9) for p in s) for s in e.profile)
            for e in g.subs(a=a).equilibria()
        }
        assert sym == num
    mixed = [e for e in eqs if e.kind == "mixed"]
    assert sp.simplify(mixed[0].profile[1][0] - 1 / (sp.Symbol("a", positive=True) + 1)) == 0


# ------------------------------------------------------------------ closed forms
def test_inspection_game_mixed_equilibrium_closed_form_and_conditions():
    s = INSPECTION.symbols
    r, L, c, F, R = (s[n] for n in "rLcFR")
    mixed = [e for e in symbolic.equilibria(INSPECTION) if e.label == "mixed"]
    assert len(mixed) == 1 and not mixed[0].is_boundary
    eq = mixed[0]
    assert sp.simplify(eq.profile[0][0] - (1 + r) * L / (F + R)) == 0  # monitoring probability
    assert sp.simplify(eq.profile[1][0] - (F - c) / F) == 0  # repayment probability
    expected = sp.And(F > c, F + R > (1 + r) * L)
    for point in [
        dict(r=0.1, L=10, c=1, F=5, R=8),
        dict(r=0.1, L=10, c=6, F=5, R=8),
        dict(r=0.1, L=10, c=1, F=2, R=8),
        dict(r=0.5, L=1, c=0.5, F=1, R=1),
    ]:
        subs = {s[k]: v for k, v in point.items()}
        assert eq.holds_at(**point) == bool(expected.xreplace(subs))
    # Boundary cases are labelled as such and hold only on their boundary.
    boundary = [e for e in symbolic.equilibria(INSPECTION) if e.is_boundary]
    assert boundary and all(any(a.is_equality for a in e.atoms) for e in boundary)


def test_prisoners_dilemma_pure_conditions():
    g = al.NormalFormGame.from_payoffs(
        {
            ("C", "C"): ("R", "R"),
            ("C", "D"): ("S", "T"),
            ("D", "C"): ("T", "S"),
            ("D", "D"): ("P", "P"),
        },
        players=("Row", "Col"),
        params=["T", "R", "P", "S"],
    )
    dd = [e for e in g.pure_equilibria() if e.label == "(D, D)"][0]
    T, R, P, S = (g.symbols[n] for n in "TRPS")
    assert dd.conditions == sp.GreaterThan(P, S, evaluate=False)
    cc = [e for e in g.pure_equilibria() if e.label == "(C, C)"][0]
    assert cc.holds_at(T=2, R=3, P=1, S=0) and not cc.holds_at(T=5, R=3, P=1, S=0)


def test_assumptions_simplify_conditions():
    g = al.NormalFormGame.from_payoffs(
        {("a", "x"): ("q*u", 1), ("a", "y"): (0, 0), ("b", "x"): (0, 0), ("b", "y"): ("u - 1", 0)},
        params={"q": "probability", "u": "positive"},
    )
    # q*u >= 0 always holds, so (a, x)'s only condition is the column player's: none needed.
    conditions = {e.label: e.conditions for e in g.pure_equilibria()}
    assert conditions["(a, x)"] == sp.true
    assert "u" in str(conditions["(b, y)"])


def test_lambdify_agrees_with_holds_at():
    eqs = cached_equilibria(INSPECTION)
    rng = np.random.default_rng(3)
    values = {n: rng.uniform(0.1, 8, 50) for n in ("F", "L", "R", "c", "r")}
    for eq in eqs:
        f = eq.lambdify()
        mask, profile = f(**values)
        assert mask.shape == (50,) and profile[0].shape == (50, 2)
        for k in range(0, 50, 7):
            point = {n: float(v[k]) for n, v in values.items()}
            assert mask[k] == eq.holds_at(**point)
            if mask[k]:
                np.testing.assert_allclose(
                    profile[0][k], [float(p) for p in eq.profile_at(**point)[0]]
                )


def test_classifier_matches_symbolic_sets():
    clf = equilibrium_set_classifier(GENERAL)
    rng = np.random.default_rng(0)
    values = {n: rng.integers(-2, 3, 300).astype(float) for n in clf.params}
    codes = clf(**values)
    eqs = cached_equilibria(GENERAL)
    for k in range(0, 300, 10):
        point = {n: int(v[k]) for n, v in values.items()}
        keys = {e.key for e in eqs if e.holds_at(**point)}
        assert {clf.keys[b] for b in clf.members(codes[k])} == keys


def test_subs_and_display():
    eq = [e for e in symbolic.equilibria(INSPECTION) if e.label == "mixed"][0]
    fixed = eq.subs(r=0.1, L=10)
    assert {s.name for s in fixed.params} == {"F", "R", "c"}
    assert "mixed" in repr(fixed)
    assert eq._repr_latex_().startswith("$") and "Bank" in eq._repr_html_()
    assert eq.to_frame().shape == (4, 2)
    impossible = eq.subs(F=1, c=2)
    assert not impossible.is_possible and impossible.conditions == sp.false


def test_bad_values_name_the_parameter():
    eq = symbolic.equilibria(INSPECTION)[0]
    with pytest.raises(ParameterError, match="F"):
        eq.holds_at(r=0.1, L=10, c=1, R=8)
    with pytest.raises(ParameterError, match="'c' = -1"):
        eq.holds_at(r=0.1, L=10, c=-1, F=2, R=8)
    with pytest.raises(ParameterError, match="'F'"):
        eq.holds_at(r=0.1, L=10, c=1, F="high", R=8)
    with pytest.raises(ParameterError, match="zeta"):
        eq.holds_at(r=0.1, L=10, c=1, F=2, R=8, zeta=1)
    with pytest.raises(ParameterError, match="'r'"):
        eq.lambdify()(r=np.array([-0.1, 0.1]), L=1.0, c=1.0, F=1.0, R=1.0)


# ---------------------------------------------------------------------------- declared ranges
def test_box_signs_are_exact_where_interval_arithmetic_is_not():
    import math

    from alliance.games.symbolic import box_signs, solution_set

    x, y = sp.symbols("x y", nonnegative=True)
    box = {x: (0, 1), y: (0, 1)}
    # x - x*y = x(1 - y) >= 0 on the box; interval arithmetic on the expanded form says
    # [-1, 1], the vertex analysis of the multilinear form says {0, +}.
    assert box_signs(x - x * y, box) == frozenset({0, 1})
    # One parameter, any degree: pi**2 - 2 < 0 on [0, 1]; roots inside are found exactly.
    pi = sp.Symbol("pi", nonnegative=True)
    assert box_signs(pi**2 - 2, {pi: (0, 1)}) == frozenset({-1})
    assert box_signs(4 * pi**2 - 1, {pi: (0, 1)}) == frozenset({-1, 0, 1})
    assert box_signs(x + y + 1, {x: (0, math.inf), y: (0, 1)}) == frozenset({1})
    assert solution_set(3 * pi - 1, frozenset({1}), pi, 0, 1) == sp.Interval.Lopen(
        sp.Rational(1, 3), 1
    )


@settings(max_examples=25, deadline=None)
@given(
    coefficients=st.lists(st.integers(-4, 4), min_size=4, max_size=4),
    lows=st.tuples(st.integers(-3, 2), st.integers(-3, 2)),
    widths=st.tuples(st.integers(1, 4), st.integers(1, 4)),
)
def test_box_signs_of_multilinear_polynomials_match_a_fine_grid(coefficients, lows, widths):
    from alliance.games.symbolic import box_signs

    x, y = sp.symbols("x y", real=True)
    a, b, c, d = coefficients
    expr = a + b * x + c * y + d * x * y
    box = {x: (lows[0], lows[0] + widths[0]), y: (lows[1], lows[1] + widths[1])}
    signs = box_signs(expr, box)
    def f(u, v):
        return a + b * u + c * v + d * u * v

    grid = [
        f(lows[0] + Fraction(widths[0] * i, 12), lows[1] + Fraction(widths[1] * j, 12))
        for i in range(13)
        for j in range(13)
    ]
    seen = {(v > 0) - (v < 0) for v in grid}
    assert seen <= signs  # sound: every sign taken on the box is reported
    # exact: a reported strict sign is taken at a vertex (affine in each variable)
    vertices = {(f(u, v) > 0) - (f(u, v) < 0) for u in box[x] for v in box[y]}
    assert signs - {0} <= vertices
