"""Comparative statics: symbolic derivatives against finite differences, Sobol indices against
known analytic values (the Ishigami function) and against quadrature on a toolkit model."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pytest
import sympy as sp
from hypothesis import given, settings
from hypothesis import strategies as st

import alliance as al
from alliance.analysis import SensitivityResult, sensitivity, sobol_indices
from alliance.errors import ParameterError, SolverError
from alliance.models import (
    LENDING_INFO,
    inspection_equilibrium,
    lending_critical_discount,
    lending_game,
    repayment_condition,
)

# Sub-boxes of the lending game's declared ranges (LENDING_INFO) on which every quantity
# below is smooth: pi stays away from 1 (the inspection game's denominators), R above the
# largest pi (C + F) (the denominator of delta*).
BOX = {
    "L": (10.0, 100.0),
    "r": (0.01, 1.0),
    "C": (1.0, 20.0),
    "F": (0.0, 50.0),
    "pi": (0.01, 0.95),
    "m": (0.0, 10.0),
    "R": (300.0, 500.0),
    "w": (0.0, 50.0),
}


def _inside_declared(point):
    for k, v in point.items():
        p = LENDING_INFO[k]
        assert p.lo <= v <= p.hi, (k, v)


def _fd(fn, point, name, rel=1e-6):
    """An independent central difference (not the module's code)."""
    h = rel * max(abs(point[name]), 1.0)
    up, down = dict(point), dict(point)
    up[name] += h
    down[name] -= h
    return (fn(**up) - fn(**down)) / (2 * h)


def _quantities():
    out = {}
    insp = inspection_equilibrium(symbolic=True)
    out["monitor"] = insp["monitor"]
    out["default"] = insp["default"]
    out["delta"] = lending_critical_discount(symbolic=True)
    rc = repayment_condition(symbolic=True)
    out["pi_star"] = sp.solve(sp.Eq(rc.lhs, rc.rhs), next(s for s in rc.free_symbols if s.name == "pi"))[0]
    return out


QUANTITIES = _quantities()
# Derived once (simplification is the slow part); each example evaluates them at its point.
SYMBOLIC = {k: sensitivity(e, name=k) for k, e in QUANTITIES.items()}


@settings(max_examples=40)
@given(
    st.fixed_dictionaries({k: st.floats(lo, hi) for k, (lo, hi) in BOX.items()}),
    st.sampled_from(sorted(QUANTITIES)),
)
def test_symbolic_sensitivity_agrees_with_finite_differences(point, which):
    """Property: at random points in the declared ranges, sensitivity's symbolic derivative
    and elasticity equal independent central differences of the lambdified quantity, and the
    module's own finite differences of the same function."""
    _inside_declared(point)
    expr = QUANTITIES[which]
    symbols = sorted(expr.free_symbols, key=lambda s: s.name)
    names = [s.name for s in symbols]
    at = {k: point[k] for k in names}
    res = SYMBOLIC[which].evaluate(at)
    fn = sp.lambdify(symbols, expr, modules="numpy")

    def f(**kw):
        return float(fn(*[kw[n] for n in names]))

    numeric = sensitivity(f, at=at)
    value = f(**at)
    for n in names:
        d_sym = res.value(which, n, "derivative")
        d_fd = _fd(f, at, n)
        scale = max(1.0, abs(d_fd), abs(value))
        assert abs(d_sym - d_fd) <= 1e-5 * scale, (which, n, d_sym, d_fd)
        assert abs(numeric.value("f", n) - d_sym) <= 1e-5 * scale
        assert math.isclose(res.value(which, n, "value"), value, rel_tol=1e-9, abs_tol=1e-12)
        if value != 0:
            assert math.isclose(
                res.value(which, n, "elasticity"), d_sym * at[n] / value, rel_tol=1e-9, abs_tol=1e-12
            )


@pytest.mark.parametrize("which", sorted(QUANTITIES))
def test_derivatives_are_the_exact_derivatives(which):
    expr = QUANTITIES[which]
    res = SYMBOLIC[which]
    for s in expr.free_symbols:
        assert sp.simplify(res.derivative(which, s.name) - sp.diff(expr, s)) == 0
        assert sp.simplify(res.elasticity(which, s.name) - sp.diff(expr, s) * s / expr) == 0


def test_enforcement_threshold_moves_with_the_penalty_hand_derived():
    # pi* = (1+r)L/(C+F): d pi*/dF = -(1+r)L/(C+F)^2, elasticity -F/(C+F)
    s = sensitivity(repayment_condition(symbolic=True), solve_for="pi", at=dict(L=100, r=0.06, C=70, F=50))
    assert s.quantities == ("pi*",)
    assert math.isclose(s.value("pi*", "F"), -106 / 120**2)
    assert math.isclose(s.value("pi*", "F", "elasticity"), -50 / 120)
    assert math.isclose(s.value("pi*", "L", "elasticity"), 1.0)
    assert math.isclose(s.value("pi*", "F", "value"), 106 / 120)
    sym = {x.name: x for x in s.expressions["pi*"].free_symbols}
    assert sp.simplify(s.elasticity("pi*", "F") + sym["F"] / (sym["C"] + sym["F"])) == 0
    assert r"\frac" in s.latex("pi*", "F")
    assert "derivative_expr" in s.to_frame().columns
    assert s._repr_latex_().startswith("$") and "<table" in s._repr_html_()
    table = s.to_latex()
    assert table.startswith(r"\begin{tabular}") and r"- \frac{F}{C + F} = -0.4167" in table
    # without solve_for: the boundary lhs - rhs
    g = sensitivity(repayment_condition(symbolic=True), at=dict(L=100, r=0.06, C=70, F=50, pi=0.5))
    assert math.isclose(g.value(g.quantities[0], "pi"), 120)


def test_symbolic_equilibrium_of_the_inspection_game():
    game = lending_game(inspection=True, symbolic=True)
    mixed = [e for e in game.equilibria() if e.kind == "mixed" and not e.is_boundary]
    assert len(mixed) == 1
    at = dict(L=100, r=0.06, C=70, F=50, pi=0.5, m=2, R=130)
    s = sensitivity(mixed[0], at=at, params=["m", "C", "pi"])
    # q* = m/((1-pi)C): elasticity 1 in m, -1 in C, pi/(1-pi) = 1 in pi
    assert math.isclose(s.value("SME:default", "m", "elasticity"), 1.0)
    assert math.isclose(s.value("SME:default", "C", "elasticity"), -1.0)
    assert math.isclose(s.value("SME:default", "pi", "elasticity"), 1.0)
    assert s.elasticity("SME:default", "m") == 1
    assert math.isclose(s.value("Bank:monitor", "pi", "value"), 23 / 30)
    # the conditions' boundaries: solved for pi, the enforcement threshold appears
    t = sensitivity(mixed[0], solve_for="pi", params=["F"])
    assert any(q.startswith("pi* [C*pi + F*pi < L*r + L]") for q in t.quantities)


def test_critical_discount_and_result_objects():
    cd = lending_game(repeated=True, symbolic=["pi", "F"]).critical_discount()
    s = sensitivity(cd, at=dict(pi=0.5, F=50))
    assert s.quantities == ("delta*[SME]",)
    ref = lending_critical_discount(symbolic=["pi", "F"])
    pi = next(x for x in ref.free_symbols if x.name == "pi")
    expected = float(sp.diff(ref, pi).subs({pi: 0.5, next(x for x in ref.free_symbols if x.name == "F"): 50}))
    assert math.isclose(s.value("delta*[SME]", "pi"), expected)
    assert math.isclose(s.value("delta*[SME]", "pi", "value"), float(lending_critical_discount(pi=0.5, F=50)))

    x, y = sp.symbols("x y", positive=True)

    @dataclass(frozen=True)
    class Result:
        threshold: sp.Expr
        probabilities: dict
        label: str = "a result"

    res = sensitivity(Result(x / y, {"p": x * y}), at={"x": 2, "y": 4})
    assert set(res.quantities) == {"threshold", "probabilities[p]"}
    assert math.isclose(res.value("threshold", "y"), -2 / 16)


def test_region_map_boundaries():
    g = al.NormalFormGame.from_payoffs(
        {("lend", "repay"): ("r", "1 - r"), ("lend", "default"): (-1, "1 - c"),
         ("refuse", "repay"): (0, 0), ("refuse", "default"): (0, 0)},
        players=("Bank", "SME"), params={"r": (0, 1), "c": (0, 1)})
    from alliance.games.regions import regions

    rm = regions(g, x=("r", 0.01, 1), y=("c", 0, 1), resolution=(10, 11))
    s = sensitivity(rm, solve_for="c", at={"r": 0.3})
    assert "boundary 0: c*" in s.quantities  # the boundary c = r
    assert math.isclose(s.value("boundary 0: c*", "r"), 1.0)


def test_numeric_function_with_seed_uses_common_random_numbers():
    seen = []

    def model(x, y, seed):
        seen.append(seed)
        noise = np.random.default_rng(seed).normal(size=1000).mean()
        return x**2 * y + noise * x, 0.05

    s = sensitivity(model, at={"x": 2.0, "y": 3.0}, seed=7)
    assert set(seen) == {7}
    noise = np.random.default_rng(7).normal(size=1000).mean()
    # with common random numbers the noise term differences exactly: d/dx = 2xy + noise
    assert math.isclose(s.value("f", "x"), 12 + noise, rel_tol=1e-6)
    assert s.method.endswith("common random numbers")
    h = s.steps["x"]
    assert math.isclose(h, 2 * 0.01 * 2.0)  # relative step 1 % of x = 2, both sides
    assert math.isclose(s.value("f", "x", "standard_error"), 0.1 / h)
    # vectorised evaluation gives the same numbers
    v = sensitivity(lambda x, y: x**2 * y, at={"x": 2.0, "y": 3.0}, vectorized=True)
    assert math.isclose(v.steps["x"], 2 * 2.0 * np.finfo(float).eps ** (1 / 3))
    assert math.isclose(v.value("f", "x"), 12.0, rel_tol=1e-8)


def test_finite_differences_stay_inside_the_declared_range():
    calls = []

    def f(p):
        calls.append(p)
        if p > 1:
            raise AssertionError("stepped outside the range")
        return p**2

    s = sensitivity(f, at={"p": 1.0}, ranges={"p": (0, 1)})
    assert max(calls) <= 1 and math.isclose(s.value("f", "p"), 2.0, rel_tol=1e-4)


def test_errors_name_the_field():
    x = sp.Symbol("x")
    with pytest.raises(ParameterError, match="cannot read"):
        sensitivity(object())
    with pytest.raises(ParameterError, match="lacks a value for parameter"):
        sensitivity(x * sp.Symbol("y"), at={"x": 1})
    with pytest.raises(ParameterError, match="outside its declared range"):
        sensitivity(
            repayment_condition(symbolic=True),
            solve_for="pi",
            at=dict(L=100, r=2, C=70, F=50),
            ranges={"r": (0, 1)},
        )
    with pytest.raises(ParameterError, match="contradicts|outside its declared range"):
        sensitivity(sp.Symbol("p", positive=True), at={"p": -1.0})
    with pytest.raises(ParameterError, match="2 solutions for x"):
        sensitivity(sp.Ge(x**2, 4), solve_for="x")
    with pytest.raises(ParameterError, match="needs the point"):
        sensitivity(lambda a: a)
    with pytest.raises(SolverError, match="non-finite"), np.errstate(divide="ignore"):
        sensitivity(lambda a: float(np.log(a - 1.0)), at={"a": 1.0}, ranges={"a": (1.0, 2.0)})
    with pytest.raises(ParameterError, match="appear in no quantity"):
        sensitivity(x, params=["z"])


def test_purely_symbolic_result_without_a_point():
    x, y = sp.symbols("x y", positive=True)
    s = sensitivity(x**2 * y)
    assert isinstance(s, SensitivityResult)
    assert s.derivative("f", "x") == 2 * x * y and s.elasticity("f", "x") == 2
    assert np.isnan(s.value("f", "x"))


# ------------------------------------------------------------------ Sobol indices
def test_sobol_indices_of_the_ishigami_function_match_the_analytic_values():
    a, b = 7.0, 0.1
    x1, x2, x3 = sp.symbols("x1 x2 x3")
    f = sp.sin(x1) + a * sp.sin(x2) ** 2 + b * x3**4 * sp.sin(x1)
    v1 = 0.5 * (1 + b * math.pi**4 / 5) ** 2
    v2 = a**2 / 8
    v13 = 8 * b**2 * math.pi**8 / 225
    var = v1 + v2 + v13
    s1 = np.array([v1, v2, 0.0]) / var
    st_ = np.array([v1 + v13, v2, v13]) / var
    res = sobol_indices(f, {k: (-math.pi, math.pi) for k in ("x1", "x2", "x3")}, n=4096, seed=1)
    assert np.allclose(res.first_order().to_numpy(), s1, atol=0.02)
    assert np.allclose(res.total().to_numpy(), st_, atol=0.02)
    assert res.evaluations == 4096 * 5
    assert (res.to_frame()["S1_conf"] > 0).all()


def test_sobol_indices_of_the_critical_discount_against_quadrature():
    """delta*(pi, F) of the repeated lending game over declared sub-ranges, against Sobol
    indices computed by Gauss-Legendre quadrature of the conditional variances."""
    delta = lending_critical_discount(symbolic=["pi", "F"])
    ranges = {"F": (0.0, 50.0), "pi": (0.3, 0.8)}
    res = sobol_indices(delta, ranges, n=2048, seed=3)
    fn = sp.lambdify(sorted(delta.free_symbols, key=lambda s: s.name), delta, modules="numpy")
    nodes, weights = np.polynomial.legendre.leggauss(40)

    def grid(lo, hi):
        return lo + (hi - lo) * (nodes + 1) / 2, weights / 2

    F, wF = grid(*ranges["F"])
    P, wP = grid(*ranges["pi"])
    Y = fn(F[:, None], P[None, :])  # rows F, columns pi
    mean = wF @ Y @ wP
    var = wF @ (Y - mean) ** 2 @ wP
    s1_F = (wF @ ((Y @ wP) - mean) ** 2) / var
    s1_pi = (((wF @ Y) - mean) ** 2 @ wP) / var
    st_F = (wP @ (wF @ (Y - (wF @ Y)[None, :]) ** 2)) / var
    st_pi = (wF @ ((Y - (Y @ wP)[:, None]) ** 2 @ wP)) / var
    assert np.allclose(res.first_order().loc[["F", "pi"]].to_numpy(), [s1_F, s1_pi], atol=0.03)
    assert np.allclose(res.total().loc[["F", "pi"]].to_numpy(), [st_F, st_pi], atol=0.03)


def test_sobol_of_a_function_and_errors():
    def model(x, y):  # not vectorised: called point by point
        return float(x) + 2 * float(y)

    res = sobol_indices(model, {"x": (0, 1), "y": (0, 1)}, n=256, vectorized=False, progress=False)
    assert np.allclose(res.first_order().to_numpy(), [0.2, 0.8], atol=0.05)
    x = sp.Symbol("x", positive=True)
    with pytest.raises(ParameterError, match="power of two"):
        sobol_indices(x, {"x": (0, 1)}, n=1000)
    with pytest.raises(ParameterError, match="infinite declared range"):
        sobol_indices(x)
    with pytest.raises(ParameterError, match="neither a range nor a fixed value"):
        sobol_indices(x * sp.Symbol("y"), {"x": (0, 1)})
    with pytest.raises(SolverError, match="not finite"), np.errstate(invalid="ignore"):
        sobol_indices(sp.log(sp.Symbol("z")), {"z": (-1, 1)}, n=8)


def test_sobol_without_salib_names_the_extra(monkeypatch):
    import sys

    monkeypatch.setitem(sys.modules, "SALib", None)
    monkeypatch.setitem(sys.modules, "SALib.sample", None)
    monkeypatch.setitem(sys.modules, "SALib.analyze", None)
    with pytest.raises(ImportError, match=r"alliance\[sensitivity\]"):
        sobol_indices(sp.Symbol("x"), {"x": (0, 1)})


def test_monte_carlo_credit_limit_with_common_random_numbers():
    """A network result by finite differences: the same seed at every point, so the
    difference is exactly that of two credit-margin runs on the same scenarios."""
    from alliance.network import AllianceNetwork, BankPolicy

    def limit(pd_a, seed):
        net = AllianceNetwork()
        net.add_member("A", demand=200, pd=pd_a, lgd=0.5)
        net.add_member("B", demand=100, pd=0.01, lgd=0.5, equity=1000)
        net.add_chain("B", "A", kind="guarantee", amount=40)
        rep = net.credit_margin(BankPolicy(max_el_rate=0.005), scenarios=4000, rho=0.1, seed=seed)
        return rep.alliance_limit, rep.standard_error

    s = sensitivity(limit, at={"pd_a": 0.04}, seed=11, step=0.1, ranges={"pd_a": (0, 1)})
    h = s.steps["pd_a"]
    (up, se_up), (down, se_down) = limit(0.044, 11), limit(0.036, 11)
    assert math.isclose(h, 0.008)
    assert math.isclose(s.value("f", "pd_a"), (up - down) / h)
    assert math.isclose(s.value("f", "pd_a", "standard_error"), (se_up + se_down) / h)
    assert s.value("f", "pd_a") < 0  # a riskier member gets less credit


def test_sobol_indices_use_the_declared_ranges_of_a_game():
    g = al.NormalFormGame.from_payoffs(
        {("lend", "repay"): ("r", "1 - r"), ("lend", "default"): (-1, "1 - c"),
         ("refuse", "repay"): (0, 0), ("refuse", "default"): (0, 0)},
        players=("Bank", "SME"), params={"r": (0, 1), "c": (0, 1)})
    (eq,) = [e for e in g.equilibria() if e.label == "(lend, repay)"]
    res = sobol_indices(eq, n=1024)  # boundary c - r over the declared unit square
    assert res.ranges == {"c": (0.0, 1.0), "r": (0.0, 1.0)}
    # var(c - r) splits evenly: S1 = ST = 1/2 for each
    assert np.allclose(res.first_order().to_numpy(), 0.5, atol=0.03)
    assert np.allclose(res.total().to_numpy(), 0.5, atol=0.03)


def test_conditions_with_several_thresholds_and_unique_names():
    x, y = sp.symbols("x y", positive=True)
    s = sensitivity(sp.And(x * y >= 1, x + y <= 3), solve_for="x", at={"y": 2})
    assert s.quantities == ("x* [x*y >= 1]", "x* [x + y <= 3]")
    assert math.isclose(s.value("x* [x*y >= 1]", "y"), -1 / 4)  # x* = 1/y
    assert math.isclose(s.value("x* [x + y <= 3]", "y"), -1.0)  # x* = 3 - y
    # a name that two entries would share is made unique
    twice = sensitivity({"a": sp.Ge(x * y, 1), "a: x*": x + y}, solve_for="x")
    assert twice.quantities == ("a: x*", "a: x* (2)")
