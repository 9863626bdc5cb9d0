"""The fast route of n-player support enumeration (elimination to one polynomial) against the
general route (homotopy for every support with three or more mixers)."""

from __future__ import annotations

import warnings
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import alliance as al
from alliance.games.solvers.elimination import eliminable, solve_by_elimination
from alliance.games.solvers.homotopy import solve_block_systems
from alliance.games.solvers.support_nplayer import DegenerateGameWarning, support_enumeration

SHAPES = [(2, 2, 2), (2, 2, 2, 2), (3, 3, 2)]


def payoffs(shape, kind, seed):
    rng = np.random.default_rng(seed)
    size = tuple(shape) + (len(shape),)
    return rng.integers(0, 10, size=size).astype(float) if kind == "int" else rng.normal(size=size)


def flat(profile):
    return np.array([float(v) for s in profile for v in s])


def same_set(a, b, radius=1e-7):
    fa, fb = [flat(p) for p in a], [flat(p) for p in b]
    return (len(fa) == len(fb)
            and all(any(np.max(np.abs(x - y)) <= radius for y in fb) for x in fa)
            and all(any(np.max(np.abs(x - y)) <= radius for y in fa) for x in fb))


@pytest.mark.parametrize("kind", ["int", "float"])
@pytest.mark.parametrize("shape", SHAPES)
@settings(max_examples=3)
@given(seed=st.integers(0, 10**6))
def test_fast_route_finds_the_general_routes_equilibria(shape, kind, seed):
    P = payoffs(shape, kind, seed)
    exact = np.vectorize(Fraction, otypes=[object])(P.astype(int)) if kind == "int" else None
    tol = 1e-9
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DegenerateGameWarning)
        fast = support_enumeration(P, tol=tol, exact_payoffs=exact)
        general = support_enumeration(P, tol=tol, exact_payoffs=exact, elimination=False)
    assert same_set(fast, general)
    game = al.NormalFormGame.from_array(P.astype(int) if kind == "int" else P)
    for profile in fast:
        assert float(np.max(game.regret([list(s) for s in profile]))) <= tol


@pytest.mark.parametrize("sizes", [(3, 2, 2), (2, 3, 2), (2, 2, 3), (3, 3, 2), (2, 3, 3),
                                   (3, 2, 3), (4, 4, 2), (2, 2, 2, 2)])
def test_elimination_agrees_with_the_homotopy_on_random_systems(sizes):
    """Same solutions in the unit box, for every system neither route flags as degenerate."""
    assert eliminable(sizes)
    rng = np.random.default_rng(sum(sizes) * 7 + len(sizes))
    n = len(sizes)
    systems = []
    for _ in range(40 if sizes == (4, 4, 2) else 24):
        systems.append({
            i: rng.normal(size=(sizes[i] - 1,) + tuple(sizes[j] for j in range(n) if j != i))
            for i in range(n)
        })
    fast = solve_by_elimination(sizes, systems)
    slow = solve_block_systems(sizes, systems)
    compared = found = 0
    for f, s in zip(fast, slow):
        if f.singular or s.singular or s.failed:
            continue
        compared += 1
        unit = [np.concatenate([b.real for b in p]) for p in s.solutions
                if max(np.max(np.abs(b.imag)) for b in p) <= 1e-7]
        unit = [z for z in unit if z.min() >= -1e-9]
        mine = [np.concatenate([b.real for b in p]) for p in f.solutions]
        mine = [z for z in mine if z.min() >= -1e-9]
        found += len(unit)
        assert len(mine) == len(unit)
        assert all(any(np.max(np.abs(a - b)) <= 1e-7 for b in mine) for a in unit)
    assert compared >= 10 and found >= 1


def test_degenerate_elimination_falls_back_to_the_general_route():
    """Four-player cyclic matching pennies: the elimination is degenerate (flagged), and the
    game still gets its unique equilibrium, everybody mixing 1/2, exactly."""
    shape = (2, 2, 2, 2)
    P = np.zeros(shape + (4,))
    for prof in np.ndindex(*shape):
        P[prof] = [prof[0] == prof[1], prof[1] == prof[2], prof[2] == prof[3], prof[3] != prof[0]]
    game = al.NormalFormGame.from_array(P.astype(int))
    found = game.equilibria()
    assert len(found) == 1
    assert found[0].exact
    assert all(p == Fraction(1, 2) for s in found[0].profile for p in s)


def test_logit_equilibrium_is_the_branch_limit_not_another_equilibrium_of_the_support():
    # coordination game [[2, 0], [0, 1]] for both players: the principal branch converges to
    # (s1, s1); Newton from an early point on the full support would give the mixed (1/3, 2/3)
    from alliance.games.solvers.logit_path import logit_equilibrium
    from alliance.games.solvers.qre import trace_branch

    A = np.array([[2.0, 0.0], [0.0, 1.0]])
    profile, lam = logit_equilibrium(np.stack([A, A], axis=-1))
    assert [p.tolist() for p in profile] == [[1.0, 0.0], [1.0, 0.0]]
    lams, log_probs = trace_branch(np.stack([A, A], axis=-1), 50.0)[:2]
    end = np.exp(log_probs[-1])
    assert end[0] > 0.99  # the branch itself heads for s1


def test_an_eliminated_root_is_polished_to_full_accuracy():
    """Regression: seed 3794's fully mixed equilibrium (irrational) came out of the
    elimination with residual 9.8e-10 (accepted) and regret 2.1e-9 > tol, so the default
    route returned 4 equilibria and the homotopy route 5."""
    P = payoffs((2, 2, 2, 2), "int", 3794)
    exact = np.vectorize(Fraction, otypes=[object])(P.astype(int))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DegenerateGameWarning)
        fast = support_enumeration(P, tol=1e-9, exact_payoffs=exact)
        general = support_enumeration(P, tol=1e-9, exact_payoffs=exact, elimination=False)
    assert len(fast) == len(general) == 5 and same_set(fast, general)
    game = al.NormalFormGame.from_array(P.astype(int))
    for profile in fast:
        assert float(np.max(game.regret([list(s) for s in profile]))) <= 1e-9
