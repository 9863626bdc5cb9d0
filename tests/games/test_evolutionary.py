"""Tests of multi-population replicator dynamics (alliance.games.evolutionary)."""

from __future__ import annotations

import itertools
from fractions import Fraction

import numpy as np
import pytest
import sympy as sp
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

import alliance as al
from alliance.errors import AllianceError, InvalidGameError, ParameterError
from alliance.games.evolutionary import EvolutionaryGame, StabilityTable, TableCheck

# ---------------------------------------------------------------------------- fixtures
GBG_PARAMS = {
    "S": "positive",
    "c": "positive",
    "s": "positive",
    "w": "positive",
    "r": "positive",
    "L": "positive",
    "b": "positive",
    "f": "positive",
    "k": "positive",
    "p": "probability",
    "alpha": "probability",
}


def gbg_game() -> al.NormalFormGame:
    """Government (support/not) × bank (lend/refuse) × guarantor (guarantee/decline).

    Government: social benefit S of lending, support cost c, subsidy s paid to a guaranteeing
    guarantor, political benefit w of supported lending. Bank: interest income r, expected
    loss p*L of which the guarantor covers alpha, interest subsidy b under support.
    Guarantor: fee f, covered loss alpha*p*L, subsidy s, operating cost k.
    """
    payoffs = {}
    for g, b, c in itertools.product(
        ("support", "not"), ("lend", "refuse"), ("guarantee", "decline")
    ):
        X, Y, Z = (g == "support"), (b == "lend"), (c == "guarantee")
        u_g = f"{int(Y)}*S - {int(X)}*c - {int(X and Z)}*s + {int(X and Y)}*w"
        u_b = f"{int(Y)}*(r - p*L + {int(Z)}*alpha*p*L + {int(X)}*b)"
        u_c = f"{int(Z)}*({int(Y)}*(f - alpha*p*L) + {int(X)}*s - k)"
        payoffs[(g, b, c)] = (u_g, u_b, u_c)
    return al.NormalFormGame.from_payoffs(
        payoffs, players=("Government", "Bank", "Guarantor"), params=GBG_PARAMS
    )


# The corner table derived by hand: lambda_i is population i's gain from switching.
# D_G = -c - s*z + w*y, D_B = r - p*L + alpha*p*L*z + b*x, D_C = y*(f - alpha*p*L) + s*x - k.
GBG_HAND = {
    (0, 0, 0): ("-c", "r - p*L", "-k"),
    (1, 0, 0): ("c", "r - p*L + b", "s - k"),
    (0, 1, 0): ("w - c", "-(r - p*L)", "f - alpha*p*L - k"),
    (0, 0, 1): ("-c - s", "r - p*L + alpha*p*L", "k"),
    (1, 1, 0): ("c - w", "-(r - p*L + b)", "f - alpha*p*L + s - k"),
    (1, 0, 1): ("c + s", "r - p*L + alpha*p*L + b", "-(s - k)"),
    (0, 1, 1): ("w - c - s", "-(r - p*L + alpha*p*L)", "-(f - alpha*p*L - k)"),
    (1, 1, 1): ("c + s - w", "-(r - p*L + alpha*p*L + b)", "-(f - alpha*p*L + s - k)"),
}


def _gain(P, profile, i, other):
    switched = profile[:i] + (other,) + profile[i + 1 :]
    return P[switched + (i,)] - P[profile + (i,)]


def _random_game(draw_values, shape):
    n = len(shape)
    P = np.array(draw_values[: int(np.prod(shape)) * n], dtype=object).reshape(shape + (n,))
    return P


# ---------------------------------------------------------------------------- corners
@settings(max_examples=10, deadline=None)
@given(
    n=st.integers(2, 4),
    values=st.lists(st.integers(-9, 9), min_size=64, max_size=64),
)
def test_corner_jacobian_is_diagonal_with_switching_gains(n, values):
    shape = (2,) * n
    P = _random_game(values, shape)
    ev = EvolutionaryGame(al.NormalFormGame(P))
    for profile in itertools.product(range(2), repeat=n):
        corner = tuple(1 - s for s in profile)  # x_i = 1 <=> first strategy
        J = ev.jacobian(corner)
        assert J.is_diagonal(), (corner, J)
        for i in range(n):
            gain = _gain(P, profile, i, 1 - profile[i])
            assert J[i, i] == gain
            # Flip population i alone: its eigenvalue changes sign, and is the negated gain.
            flipped = corner[:i] + (1 - corner[i],) + corner[i + 1 :]
            assert ev.jacobian(flipped)[i, i] == -J[i, i]
        assert [
            sp.Integer(v) if isinstance(v, int) else sp.Rational(v.numerator, v.denominator)
            for v in ev.eigenvalues(corner)
        ] == [J[i, i] for i in range(n)]


def test_symbolic_corner_jacobian_equals_gains():
    game = gbg_game()
    ev = EvolutionaryGame(game)
    P = game.payoffs
    for profile in itertools.product(range(2), repeat=3):
        corner = tuple(1 - s for s in profile)
        J = ev.jacobian(corner)
        assert J.is_diagonal()
        for i in range(3):
            assert sp.simplify(J[i, i] - _gain(P, profile, i, 1 - profile[i])) == 0


def test_k_strategy_corner_eigenvalues_are_switching_gains():
    # A 3 x 2 game: eigenvalues at each corner are u(t) - u(s) for every other strategy t.
    A = [[3, 0], [1, 2], [0, 4]]
    B = [[2, 1], [0, 3], [1, 1]]
    ev = EvolutionaryGame(al.NormalFormGame.from_matrices(A, B))
    assert [v.name for v in ev.variables] == ["x1", "x2", "y"]
    P = ev.game.payoffs
    for profile in itertools.product(range(3), range(2)):
        coords = ev.system.corner_coordinates(profile)
        expected = sorted(
            [P[(t, profile[1], 0)] - P[profile + (0,)] for t in range(3) if t != profile[0]]
            + [P[(profile[0], 1 - profile[1], 1)] - P[profile + (1,)]]
        )
        J = ev.jacobian(coords)
        from_jacobian = sorted(float(v) for v, m in J.eigenvals().items() for _ in range(m))
        assert np.allclose(sorted(float(v) for v in ev.eigenvalues(coords)), expected)
        assert np.allclose(from_jacobian, expected)


# ---------------------------------------------------------------------------- rest points
def test_inspection_game_interior_rest_point_is_reported_and_not_ess():
    # Bank monitors or not; SME repays or shirks. Hand: SME indifferent when the bank
    # monitors with probability 1/3; bank indifferent when the SME repays with prob. 3/4.
    A = [[1, 1], [4, -2]]  # bank: (monitor, trust) x (repay, shirk)
    B = [[1, 0], [1, 3]]
    game = al.NormalFormGame.from_matrices(
        A, B, players=("Bank", "SME"), strategies=(("monitor", "trust"), ("repay", "shirk"))
    )
    ev = EvolutionaryGame(game)
    interior = [rp for rp in ev.rest_points() if rp.kind == "interior"]
    assert len(interior) == 1
    # Bank indifferent: y*1 + (1-y)*1 = 4y - 2(1-y) -> y = 1/2; SME indifferent:
    # x*1 + (1-x)*1 = x*0 + (1-x)*3 -> x = 2/3.
    assert interior[0].point == (Fraction(2, 3), Fraction(1, 2))
    table = ev.stability_table()
    row = table[table["kind"] == "interior"].iloc[0]
    assert row["verdict"] != "ESS" and not row["ess_conditions"]
    assert "Ritzberger" in row["note"]
    eig = np.array(row["eigenvalues"], dtype=complex)
    assert np.allclose(eig.real, 0) and np.all(np.abs(eig.imag) > 0.1)  # a centre
    assert table.ess == []  # no corner is stable in an inspection game


def test_symbolic_interior_rest_point_with_existence_conditions():
    game = al.NormalFormGame.from_matrices(
        [["a", 0], [0, "b"]],
        [["-c", "d"], ["e", "-h"]],
        params={n: "positive" for n in "abcdeh"},
    )
    ev = EvolutionaryGame(game)
    interior = [rp for rp in ev.rest_points() if rp.kind == "interior"]
    assert len(interior) == 1
    x, y = interior[0].point
    a, b, c, d, e, h = (game.symbols[n] for n in "abcdeh")
    # Row indifferent: a*y = b*(1-y); column indifferent: -c*x + e*(1-x) = d*x - h*(1-x).
    assert sp.simplify(y - b / (a + b)) == 0
    assert sp.simplify(x - (e + h) / (c + d + e + h)) == 0
    assert interior[0].conditions == sp.true  # positive parameters: always inside
    row = ev.stability_table().iloc[-1]
    # A cyclic game: the eigenvalues are a purely imaginary pair for every admissible value.
    assert row["verdict"] == "centre" and row["signs"] == "(i, i)"
    assert row["ess_conditions"] == sp.false


def test_numeric_rest_points_are_zeros_of_the_vector_field():
    # A game (drawn once) with rest points on faces and in the interior.
    P = np.random.default_rng(15).integers(-5, 6, size=(2, 2, 2, 3))
    ev = EvolutionaryGame(al.NormalFormGame(P))
    points = [rp for rp in ev.rest_points() if not rp.continuum]
    assert {"face", "interior"} <= {rp.kind for rp in points}
    X = np.array([[float(v) for v in rp.point] for rp in points])
    assert np.abs(ev.velocity(X)).max() < 1e-12
    # Every corner and every mixed rest point found is distinct.
    assert len({tuple(np.round(x, 12)) for x in X}) == len(X)


def test_degenerate_edge_is_a_continuum():
    game = al.NormalFormGame.from_matrices([[2, -1], [0, 0]], [[1, 3], [0, 0]])
    points = EvolutionaryGame(game).rest_points()
    continua = [rp for rp in points if rp.continuum]
    assert len(continua) == 1 and continua[0].point[0] == 0
    assert isinstance(continua[0].point[1], sp.Symbol)


# ---------------------------------------------------------------------------- the GBG table
def test_gbg_equations_named_after_first_strategies():
    ev = EvolutionaryGame(gbg_game())
    eq = ev.equations()
    assert [v.name for v in eq.variables] == ["x", "y", "z"]
    assert eq.descriptions[1] == "share of Bank playing 'lend'"
    sym = gbg_game().symbols
    x, y, z = eq.variables
    D_G = -sym["c"] - sym["s"] * z + sym["w"] * y
    assert sp.simplify(eq["x"] - x * (1 - x) * D_G) == 0
    assert "\\frac{dx}{dt}" in eq._repr_latex_()


def test_gbg_corner_table_equals_hand_derivation():
    game = gbg_game()
    ev = EvolutionaryGame(game)
    table = ev.stability_table(points="corners")
    assert isinstance(table, StabilityTable)
    assert [tuple(p) for p in table["point"]] == list(GBG_HAND)  # the order papers print
    for point, eigenvalues in zip(table["point"], table["eigenvalues"]):
        hand = [al.expr.parse_expression(t, game.symbols) for t in GBG_HAND[tuple(point)]]
        assert all(sp.expand(d - h) == 0 for d, h in zip(eigenvalues, hand)), point
    # Sign decided by the assumptions: (1, 0, 1) has lambda_1 = c + s > 0.
    row = table[table["point"] == (1, 0, 1)].iloc[0]
    assert row["signs"].startswith("(+") and row["ess_conditions"] == sp.false
    # (0, 0, 0): -c < 0 and -k < 0 are decided, r - p*L is not.
    row = table[table["point"] == (0, 0, 0)].iloc[0]
    assert row["signs"] == "(-, ?, -)" and row["verdict"] == "conditional"


def test_gbg_ess_conditions_agree_with_hand_conditions_at_random_points():
    game = gbg_game()
    ev = EvolutionaryGame(game)
    table = ev.stability_table(points="corners")
    rng = np.random.default_rng(7)
    symbols = game.symbols
    for _ in range(10):
        values = {
            n: float(
                rng.uniform(0.05, 1.0) if GBG_PARAMS[n] == "probability" else rng.uniform(0.1, 3)
            )
            for n in GBG_PARAMS
        }
        at = {symbols[n]: v for n, v in values.items()}
        numeric = ev.stability_table(values, points="corners")
        for (_, row), (_, nrow) in zip(table.iterrows(), numeric.iterrows()):
            hand = all(
                float(al.expr.parse_expression(t, symbols).subs(at)) < 0
                for t in GBG_HAND[tuple(row["point"])]
            )
            cond = row["ess_conditions"]
            derived = bool(cond.subs(at)) if isinstance(cond, sp.Basic) else bool(cond)
            assert derived == hand == (nrow["verdict"] == "ESS")


def test_check_table_finds_planted_swap_and_sign_slip():
    ev = EvolutionaryGame(gbg_game())
    assert ev.check_table(GBG_HAND).ok
    published = {k: list(v) for k, v in GBG_HAND.items()}
    # A swap of lambda_2 between two corners, and a sign slip in lambda_3 of (1, 1, 1).
    published[(1, 0, 0)][1], published[(0, 0, 1)][1] = (
        GBG_HAND[(0, 0, 1)][1],
        GBG_HAND[(1, 0, 0)][1],
    )
    published[(1, 1, 1)][2] = "f - alpha*p*L + s - k"
    published = {f"({', '.join(map(str, k))})": v for k, v in published.items()}  # keys as text
    check = ev.check_table(published)
    assert isinstance(check, TableCheck) and not check.ok
    errors = check.errors.set_index(["corner", "index"])
    assert len(errors) == 3
    assert errors.loc[((1, 0, 0), 2), "diagnosis"] == "swap"
    assert "λ2 at (0, 0, 1)" in errors.loc[((1, 0, 0), 2), "detail"]
    assert errors.loc[((0, 0, 1), 2), "diagnosis"] == "swap"
    assert errors.loc[((1, 1, 1), 3), "diagnosis"] == "sign slip"
    assert "sign slip" in repr(check)


def test_check_table_order_missing_and_unknown_corner():
    ev = EvolutionaryGame(gbg_game())
    check = ev.check_table({(0, 0, 0): ["r - p*L", "-c"]})
    diag = list(check.rows["diagnosis"])
    assert diag == ["order", "order", "missing"]
    by_names = ev.check_table({("support", "lend", "guarantee"): list(GBG_HAND[(1, 1, 1)])})
    assert by_names.ok
    with pytest.raises(ParameterError, match=r"corner \(2, 0, 0\)"):
        ev.check_table({(2, 0, 0): ["1", "2", "3"]})


def test_check_table_text_goes_through_the_safe_parser():
    ev = EvolutionaryGame(gbg_game())
    with pytest.raises(ParameterError, match="published eigenvalue λ1 at corner"):
        ev.check_table({(0, 0, 0): ["__import__('os').system('true')", "0", "0"]})
    with pytest.raises(ParameterError, match="unknown name 'q'"):
        ev.check_table({(0, 0, 0): ["q", "0", "0"]})


def test_four_population_symbolic_table_has_sixteen_corners():
    n = 4
    P = np.empty((2,) * n + (n,), dtype=object)
    names = []
    for idx in itertools.product(range(2), repeat=n):
        for i in range(n):
            name = f"a{i}_{''.join(map(str, idx))}"
            names.append(name)
            P[idx + (i,)] = name
    ev = EvolutionaryGame(al.NormalFormGame(P, params=names))
    table = ev.stability_table(points="corners")
    assert len(table) == 16 and set(table["verdict"]) == {"conditional"}
    assert [v.name for v in ev.variables] == ["x", "y", "z", "w"]
    latex = table.to_latex()
    assert "\\lambda_{4}" in latex and latex.count("\\\\") >= 17


# ---------------------------------------------------------------------------- simulation
def _potential_game(phi):
    P = np.repeat(np.asarray(phi, dtype=float).reshape(2, 2, 2)[..., None], 3, axis=-1)
    return al.NormalFormGame(P)


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.filter_too_much])
@given(phi=st.permutations(list(range(8))))
def test_trajectories_converge_to_the_unique_ess(phi):
    # Identical-interest games with distinct payoffs (generic): the replicator dynamics
    # climbs the common payoff, so almost every trajectory ends at a strict local maximum,
    # i.e. at an ESS corner.
    ev = EvolutionaryGame(_potential_game(phi))
    table = ev.stability_table(points="corners")
    assume("non-hyperbolic (undetermined)" not in set(table["verdict"]))
    ess = table.ess
    assume(len(ess) == 1)
    rng = np.random.default_rng(0)
    x0 = rng.uniform(0.02, 0.98, size=(150, 3))
    end = ev.simulate(x0, [0.0, 300.0]).final
    at_ess = np.abs(end - np.array(ess[0], dtype=float)).max(axis=1) < 1e-6
    assert at_ess.mean() > 0.9
    near = np.clip(np.array(ess[0], dtype=float) + rng.uniform(-0.05, 0.05, size=(20, 3)), 0, 1)
    assert np.abs(ev.simulate(near, [0.0, 300.0]).final - np.array(ess[0])).max() < 1e-6


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.filter_too_much])
@given(values=st.lists(st.floats(0.05, 3.0), min_size=11, max_size=11))
def test_gbg_trajectories_near_the_unique_ess_converge_to_it(values):
    names = sorted(GBG_PARAMS)
    params = {n: (v / 3.0 if GBG_PARAMS[n] == "probability" else v) for n, v in zip(names, values)}
    ev = EvolutionaryGame(gbg_game())
    ess = ev.ess(params)
    assume(len(ess) == 1)
    target = np.array(ess[0], dtype=float)
    # At a corner the eigenvalues are the payoff gains; the slowest one sets how fast paths
    # arrive. A weakly attracting ESS (rate 1e-3) is 0.03·e^{-2} away after t = 2000, so the
    # distance is bounded by the linear rate, not by a fixed 1e-6.
    g = ev.game.subs(params)
    rate = min(abs(float(sp.re(sp.sympify(v))))
               for v in EvolutionaryGame(g).eigenvalues(tuple(int(c) for c in ess[0])))
    assume(rate > 0)
    rng = np.random.default_rng(1)
    x0 = np.clip(target + rng.uniform(-0.03, 0.03, size=(30, 3)), 0.0, 1.0)
    horizon = 2000.0
    end = ev.simulate(x0, [0.0, horizon], params=params).final
    bound = max(1e-6, 0.1 * np.exp(-rate * horizon))
    assert np.abs(end - target).max() < bound


def test_simulate_matches_solve_ivp_reference():
    rng = np.random.default_rng(11)
    ev = EvolutionaryGame(al.NormalFormGame(rng.normal(size=(2, 2, 2, 3))))
    x0 = rng.uniform(size=(6, 3))
    times = np.linspace(0, 50, 6)
    ours = ev.simulate(x0, times)
    ref = ev.simulate(x0, times, method="solve_ivp", atol=1e-11, rtol=1e-11)
    assert ours.states.shape == (6, 6, 3)
    assert np.abs(ours.states - ref.states).max() < 1e-7
    assert np.array_equal(ours.states[:, 0], x0)


def test_simulate_stays_in_the_state_space_and_keeps_faces():
    A = [[3, 0], [1, 2], [0, 4]]
    B = [[2, 1], [0, 3], [1, 1]]
    ev = EvolutionaryGame(al.NormalFormGame.from_matrices(A, B))
    x0 = np.array([[0.2, 0.3, 0.5], [0.0, 0.6, 1.0], [1.0, 0.0, 0.3]])
    tr = ev.simulate(x0, 20.0)
    assert tr.states.shape == (3, 201, 3)
    assert tr.states.min() >= 0 and tr.states.max() <= 1
    assert (tr.states[:, :, :2].sum(axis=2) <= 1 + 1e-12).all()
    assert (tr.states[1, :, 0] == 0).all() and (tr.states[1, :, 2] == 1).all()
    frame = tr.to_frame()
    assert list(frame.columns) == ["x1", "x2", "y"] and len(frame) == 3 * 201


# ---------------------------------------------------------------------------- bad input
def test_initial_points_outside_the_unit_cube_are_refused():
    ev = EvolutionaryGame(gbg_game())
    params = dict.fromkeys(GBG_PARAMS, 0.5)
    with pytest.raises(ParameterError, match=r"x0\[1\].*y = 1.2 is not in \[0, 1\]"):
        ev.simulate([[0.5, 0.5, 0.5], [0.1, 1.2, 0.3]], 10, params=params)
    with pytest.raises(ParameterError, match="x0"):
        ev.simulate([[0.5, np.nan, 0.5]], 10, params=params)
    with pytest.raises(ParameterError, match="3 coordinates"):
        ev.simulate([0.5, 0.5], 10, params=params)


def test_one_strategy_player_and_one_population_are_refused():
    g = al.NormalFormGame.from_array(np.zeros((2, 1, 2, 3)), players=("Bank", "SME", "Guarantor"))
    with pytest.raises(InvalidGameError, match="player 'SME' has one strategy"):
        EvolutionaryGame(g)
    with pytest.raises(AllianceError, match="1 player"):
        EvolutionaryGame(al.NormalFormGame.from_array(np.zeros((2, 1))))


def test_non_finite_or_missing_parameters_are_refused():
    ev = EvolutionaryGame(gbg_game())
    params = dict.fromkeys(GBG_PARAMS, 0.5)
    with pytest.raises(ParameterError, match="'r'"):
        ev.simulate([0.5, 0.5, 0.5], 10, params={**params, "r": float("inf")})
    with pytest.raises(ParameterError, match="'c'"):
        ev.stability_table({**params, "c": float("nan")})
    missing = dict(params)
    del missing["k"]
    with pytest.raises(ParameterError, match="k"):
        ev.simulate([0.5, 0.5, 0.5], 10, params=missing)
    with pytest.raises(ParameterError, match="t must be strictly increasing"):
        ev.simulate([0.5, 0.5, 0.5], [0, 2, 1], params=params)


def test_displays_never_raise():
    ev = EvolutionaryGame(gbg_game())
    table = ev.stability_table()
    assert "Equilibrium point" in table.to_latex()
    assert "<table" in table._repr_html_()
    assert "x" in repr(ev) and ev._repr_html_()
    rp = ev.rest_points()[0]
    assert repr(rp).startswith("RestPoint((0, 0, 0) corner")
    assert rp._repr_latex_().startswith("$")


def test_symbolic_k_strategy_table_evaluates_like_the_numeric_game():
    game = al.NormalFormGame.from_matrices(
        [["a", 0, 1], [0, "b", 2]],
        [["c", 1, 0], [0, 1, "d"]],
        params={"a": "positive", "b": "real", "c": "real", "d": "real"},
    )
    ev = EvolutionaryGame(game)
    table = ev.stability_table(points="corners")
    values = {"a": 1, "b": 2, "c": Fraction(1, 2), "d": -1}
    numeric = EvolutionaryGame(game.subs(values)).stability_table(points="corners")
    at = {game.symbols[k]: sp.Rational(v) for k, v in values.items()}
    for (_, row), (_, nrow) in zip(table.iterrows(), numeric.iterrows()):
        assert row["point"] == nrow["point"]
        cond = row["ess_conditions"]
        assert bool(cond.subs(at)) == (nrow["verdict"] == "ESS")
    assert numeric.ess == [(0, 0, 1)]
