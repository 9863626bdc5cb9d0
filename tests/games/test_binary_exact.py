"""The exact integer eliminations of binary mixers (``binary_exact``) against the float
elimination and exact algebra, and proof that support enumeration actually uses them."""

from __future__ import annotations

import warnings
from fractions import Fraction

import numpy as np
import pytest
import sympy as sp
from hypothesis import given, settings
from hypothesis import strategies as st

import alliance.games.solvers.support_nplayer as sn
from alliance.games.solvers import binary_exact as be
from alliance.games.solvers.elimination import solve_by_elimination
from alliance.games.solvers.support_nplayer import DegenerateGameWarning, support_enumeration


def unit_points(points, tol=1e-9):
    """Real solutions in the unit box, rounded, sorted."""
    out = []
    for p in points:
        flat = np.concatenate(p)
        if np.max(np.abs(flat.imag)) <= 1e-7 and flat.real.min() >= -tol and flat.real.max() <= 1 + tol:
            out.append(np.round(flat.real, 8).tolist())
    return sorted(out)


def quadruple_equations(D):
    """The four indifference equations as sympy polynomials in x0..x3."""
    x = sp.symbols("x0:4")
    eqs = []
    for i in range(4):
        others = [j for j in range(4) if j != i]
        e = 0
        for a in np.ndindex(2, 2, 2):
            term = int(D[i][(0,) + a])
            for j, aj in zip(others, a):
                term *= x[j] if aj else 1 - x[j]
            e += term
        eqs.append(sp.expand(e))
    return x, eqs


@settings(max_examples=15, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), high=st.sampled_from([3, 5, 10]))
def test_quadruple_eliminant_has_every_solution_as_a_root(seed, high):
    """Where the exact conditions hold, every solution's x3 is a root of the degree <= 9
    eliminant (completeness), checked against the lex Gröbner basis."""
    rng = np.random.default_rng(seed)
    D = {i: rng.integers(-high, high + 1, size=(1, 2, 2, 2)) for i in range(4)}
    found = be.binary_quadruple_eliminant(D)
    if found is None:
        return  # the general route decides; covered by the enumeration tests
    x, eqs = quadruple_equations(D)
    basis = sp.groebner(eqs, *x, order="lex")
    last = sp.Poly(basis.exprs[-1], x[3])
    eliminant = sp.Poly(list(reversed(found["eliminant"])), x[3])
    assert eliminant.degree() <= 9
    if basis.exprs == [1]:
        return  # no complex solution at all
    # finitely many solutions, and every solution's x3 is a root of the eliminant: the
    # basis's univariate polynomial (square-free here) divides it
    assert last.degree() >= 1 and all(e.free_symbols for e in basis.exprs)
    assert sp.rem(eliminant, last).is_zero


@settings(max_examples=25, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), high=st.sampled_from([2, 4, 10]))
def test_quadruple_agrees_with_the_float_elimination(seed, high):
    rng = np.random.default_rng(seed)
    D = {i: rng.integers(-high, high + 1, size=(1, 2, 2, 2)) for i in range(4)}
    fast = be.solve_binary_quadruple_exact(D)
    if fast is None:
        return
    slow = solve_by_elimination((2, 2, 2, 2), [D])[0]
    assert not fast.singular
    if not slow.singular:
        assert unit_points(fast.solutions) == unit_points(slow.solutions)
    # every point returned solves the integer system to rounding
    for p in fast.solutions:
        xs = [b[1].real for b in p]
        for i in range(4):
            others = [j for j in range(4) if j != i]
            value = sum(int(D[i][(0,) + a]) * np.prod([xs[j] if aj else 1 - xs[j]
                                                         for j, aj in zip(others, a)])
                        for a in np.ndindex(2, 2, 2))
            assert abs(value) <= 1e-9 * max(1, np.abs(D[i]).max())


@pytest.mark.parametrize("solver, sizes", [
    (be.solve_three_two_two_exact, (3, 2, 2)), (be.solve_three_two_two_exact, (2, 3, 2)),
    (be.solve_three_two_two_exact, (2, 2, 3)), (be.solve_hidden_binary_exact, (3, 3, 2)),
    (be.solve_hidden_binary_exact, (3, 2, 3)), (be.solve_hidden_binary_exact, (2, 3, 3))])
@settings(max_examples=15, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), high=st.sampled_from([1, 2, 9]))
def test_three_mixer_closed_forms_agree_with_the_float_elimination(solver, sizes, seed, high):
    """(3, 2, 2) and (3, 3, 2) in any order: the same points in the box as the float
    elimination wherever neither is singular (and the (3, 3, 2) form has not declined)."""
    rng = np.random.default_rng(seed)
    D = {}
    for i in range(3):
        other = [sizes[j] for j in range(3) if j != i]
        D[i] = rng.integers(-high, high + 1, size=(sizes[i] - 1, *other))
    fast = solver(sizes, [D])[0]
    slow = solve_by_elimination(sizes, [D])[0]
    if fast is not None and not (fast.singular or slow.singular):
        assert unit_points(fast.solutions) == unit_points(slow.solutions)


def test_degenerate_systems_are_left_to_the_general_route():
    """Cyclic matching pennies for four players: player 2's equation does not involve player
    1, so the eliminant's conditions fail exactly (None), and the (2, 2, 2) closed form flags
    Jordan's game singular exactly as the float one does."""
    P = {i: np.zeros((1, 2, 2, 2), dtype=np.int64) for i in range(4)}
    P[0][0, 0], P[0][0, 1] = -1, 1
    P[1][0, :, 0], P[1][0, :, 1] = -1, 1
    P[2][0, :, :, 0], P[2][0, :, :, 1] = -1, 1
    P[3][0, 0], P[3][0, 1] = 1, -1
    assert be.binary_quadruple_eliminant(P) is None
    assert be.solve_binary_quadruple_exact(P) is None
    J = {0: np.array([[[-1, -1], [1, 1]]]), 1: np.array([[[-1, 1], [-1, 1]]]),
         2: np.array([[[1, 1], [-1, -1]]])}
    assert be.solve_binary_triples_exact([J])[0].singular


def test_gcd_certificate_modulo_a_prime():
    # (t - 1)(t - 2) and (t - 2)(t + 5) share t - 2; (t - 1) and (t + 5) do not
    assert not be._gcd_is_one_mod([2, -3, 1], [-10, 3, 1])
    assert be._gcd_is_one_mod([-1, 1], [5, 1])
    assert be._exact_quotient([2, -3, 1], [-1, 1]) is not None
    assert be._exact_quotient([2, -3, 1], [5, 1]) is None


def test_closed_forms_decide_the_benchmark_games(monkeypatch):
    """Support enumeration of the benchmark's integer games goes through every exact closed
    form (not silently through the fall-back) and finds equilibria with them."""
    used = {name: 0 for name in ("solve_binary_quadruple_exact", "solve_binary_triples_exact",
                                 "solve_three_two_two_exact", "solve_hidden_binary_exact")}
    for name in used:
        original = getattr(sn, name)

        def spy(*args, _original=original, _name=name, **kwargs):
            out = _original(*args, **kwargs)
            for o in out if isinstance(out, list) else [out]:
                used[_name] += o is not None and not o.singular and bool(o.solutions)
            return out

        monkeypatch.setattr(sn, name, spy)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DegenerateGameWarning)
        for shape in [(2, 2, 2, 2), (3, 3, 2)]:
            for seed in range(3):
                P = np.random.default_rng(seed).integers(0, 10, size=shape + (len(shape),))
                found = support_enumeration(
                    P.astype(float), exact_payoffs=np.vectorize(Fraction, otypes=[object])(P))
                assert found
    assert all(count >= 1 for count in used.values()), used


def test_irrational_hint_skips_only_non_solutions():
    """The fully mixed equilibrium of benchmark game 2×2×2×2 seed 1 is irrational: the hint is
    set, and the enumeration still returns it (as floats, regret within tol)."""
    P = np.random.default_rng(1).integers(0, 10, size=(2, 2, 2, 2, 4))
    solver = sn._SupportSolver(P.astype(float), np.vectorize(Fraction, otypes=[object])(P),
                               1e-9, True)
    D = solver.differences(((0, 1),) * 4, (0, 1, 2, 3), solver.integers)
    outcome = be.solve_binary_quadruple_exact(D)
    assert outcome is not None and outcome.irrational and all(outcome.irrational)
    found = solver.from_homotopy(((0, 1),) * 4, (0, 1, 2, 3), outcome)
    assert found and all(isinstance(v, float) for p in found for s in p for v in s)
