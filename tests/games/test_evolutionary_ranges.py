"""Declared parameter ranges enter every stability verdict (alliance.games.evolutionary).

The symbolic verdicts, decided on the declared ranges, are compared with the numeric
verdicts of the same game at random points of those ranges.
"""

from __future__ import annotations

import itertools
from fractions import Fraction

import sympy as sp
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import alliance as al
from alliance.games.evolutionary import EvolutionaryGame
from alliance.games.evolutionary.conditions import CENTRE, NON_HYPERBOLIC
from alliance.models import lending_game

RANGES = {"a": (0, 1), "b": (1, 3)}


def _symbolic_game(n: int, coefficients: list[tuple[int, int, int]], names: tuple[str, ...]):
    """An n-population game whose payoffs are c0 + c1*a (+ c2*b), a and b in their ranges."""
    payoffs = {}
    profiles = list(itertools.product(*([("s1", "s2")] * n)))
    k = 0
    for profile in profiles:
        cells = []
        for _ in range(n):
            c0, c1, c2 = coefficients[k % len(coefficients)]
            k += 1
            text = f"{c0} + {c1}*a" + (f" + {c2}*b" if "b" in names else "")
            cells.append(text)
        payoffs[profile] = tuple(cells)
    return al.NormalFormGame.from_payoffs(
        payoffs,
        players=tuple(f"P{i + 1}" for i in range(n)),
        params={name: RANGES[name] for name in names},
    )


coefficient = st.tuples(st.integers(-6, 6), st.integers(-6, 6), st.integers(-3, 3))


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    n=st.integers(2, 4),
    two_params=st.booleans(),
    coefficients=st.lists(coefficient, min_size=7, max_size=7),
    at=st.tuples(st.integers(1, 29), st.integers(1, 29)),
)
def test_symbolic_verdicts_on_ranges_agree_with_numeric_verdicts(n, two_params, coefficients, at):
    names = ("a", "b") if two_params else ("a",)
    game = _symbolic_game(n, coefficients, names)
    if not game.is_symbolic:
        return
    table = EvolutionaryGame(game).stability_table(points="corners")
    # A random point strictly inside the declared ranges, exact.
    point = {
        name: Fraction(RANGES[name][0]) + Fraction(RANGES[name][1] - RANGES[name][0]) * Fraction(t, 30)
        for name, t in zip(names, at)
        if game.symbols[name] in game.params
    }
    numeric = EvolutionaryGame(game.subs(point)).stability_table(points="corners")
    values = {game.symbols[k]: sp.Rational(v.numerator, v.denominator) for k, v in point.items()}
    for sym, num in zip(table.itertuples(), numeric.itertuples()):
        assert sym.point == num.point
        # Every decided sign holds at the point (the box is closed, so strictly).
        for s, v in zip(sym.signs.strip("()").split(", "), num.eigenvalues):
            if s in "+-0":
                assert s == ("-" if v < 0 else "+" if v > 0 else "0"), (sym, num)
        if sym.verdict == "conditional":
            holds = bool(sym.ess_conditions.xreplace(values))
            assert (num.verdict == "ESS") == holds, (sym, num, point)
        elif sym.verdict == "ESS":
            assert num.verdict == "ESS", (sym, num, point)
        else:
            assert sym.verdict in ("saddle", "unstable", "not ESS", NON_HYPERBOLIC, CENTRE)
            assert sym.ess_conditions == sp.false
            assert num.verdict != "ESS", (sym, num, point)


def lending_stage(**values):
    # The lending game once the SME has applied (version 2 adds the SME's "decline"):
    # the bank lends or refuses, the SME repays or defaults, as in issue 12's example.
    game = lending_game(symbolic=["pi", "F"]).subs(**values)
    return game.restrict(SME=("repay", "default"))


def test_lending_game_verdicts_respect_the_range_of_pi():
    ev = EvolutionaryGame(lending_stage(F=20))
    table = ev.stability_table()
    verdicts = dict(zip(table["point"], table["verdict"]))
    conditions = dict(zip(table["point"], table["ess_conditions"]))
    assert verdicts[(0, 0)] == NON_HYPERBOLIC
    for corner in ((1, 0), (1, 1)):
        assert verdicts[corner] in ("saddle", "not ESS") and conditions[corner] == sp.false
    # The numeric verdicts agree on a grid of pi in [0, 1].
    for pi in (0, Fraction(1, 3), Fraction(7, 10), 1):
        numeric = EvolutionaryGame(lending_stage(F=20, pi=pi))
        assert numeric.ess() == []


def test_condition_always_true_on_the_range_gives_the_unconditional_verdict():
    # Bank lends (gain 1 - a > 0 for a in [0, 1/2]); SME repays (gain a + 1 > 0).
    game = al.NormalFormGame.from_matrices(
        [["1 - a", 0], [0, "a - 1"]], [["a + 1", 0], [0, "-a - 1"]], params={"a": (0, 0.5)}
    )
    table = EvolutionaryGame(game).stability_table(points="corners")
    row = table[table["point"] == (1, 1)].iloc[0]
    assert row["verdict"] == "ESS" and row["ess_conditions"] == sp.true
    # Without the range the same corner is only conditional.
    free = al.NormalFormGame.from_matrices(
        [["1 - a", 0], [0, "a - 1"]], [["a + 1", 0], [0, "-a - 1"]], params=["a"]
    )
    row = EvolutionaryGame(free).stability_table(points="corners").iloc[-1]
    assert row["verdict"] == "conditional"


def test_rest_point_outside_the_ranges_does_not_exist():
    # The interior point x = a/(a+1) type conditions: here indifference needs a < 0.
    game = al.NormalFormGame.from_matrices(
        [["a", 0], [0, 1]], [[1, 0], [0, 1]], params={"a": (0, 2)}
    )
    ev = EvolutionaryGame(game)
    kinds = [rp.kind for rp in ev.rest_points()]
    assert "interior" in kinds  # a coordination game: the mixed point exists for a > 0
    anti = al.NormalFormGame.from_matrices(
        [["a", 0], [0, "-1"]], [[1, 0], [0, 1]], params={"a": (0, 2)}
    )
    assert [rp for rp in EvolutionaryGame(anti).rest_points() if rp.kind == "interior"] == []
    unbounded = al.NormalFormGame.from_matrices([["a", 0], [0, "-1"]], [[1, 0], [0, 1]], params=["a"])
    interior = [rp for rp in EvolutionaryGame(unbounded).rest_points() if rp.kind == "interior"]
    assert len(interior) == 1 and interior[0].conditions != sp.true


def test_numeric_centre_is_named_in_table_and_latex():
    pennies = al.NormalFormGame.from_matrices([[1, -1], [-1, 1]], [[-1, 1], [1, -1]])
    table = EvolutionaryGame(pennies).stability_table()
    row = table[table["kind"] == "interior"].iloc[0]
    assert row["verdict"] == "centre" and row["signs"] == "(i, i)"
    assert "centre" in table.to_latex()
