"""The safe expression parser: what passes, what is refused, and that nothing runs."""

import time

import pytest
import sympy as sp
from hypothesis import given, settings
from hypothesis import strategies as st

from alliance.errors import AllianceError, ParameterError
from alliance.expr import MAX_DEPTH, MAX_LENGTH, make_symbol, parse_expression

PARAMS = ["r", "L", "c", "R", "pi"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("r*L - c", "L*r - c"),
        ("(1 + r)**2", "(r + 1)**2"),
        ("-c", "-c"),
        ("+c", "c"),
        ("R - (1 + r)*L", "-L*(r + 1) + R"),
        ("max(0, 0.5*L - c)", "Max(0, 0.5*L - c)"),
        ("min(L, c, R)", "Min(L, R, c)"),
        ("exp(r) + log(L) + sqrt(c)", "sqrt(c) + exp(r) + log(L)"),
        ("abs(c)", "Abs(c)"),
        ("1e-3 * L", "0.001*L"),
        ("2**10", "1024"),
        ("pi * L", "L*pi"),  # 'pi' is a declared parameter, not the constant
    ],
)
def test_allowed_expressions(text, expected):
    assert str(parse_expression(text, PARAMS)) == expected


def test_declared_symbols_are_reused():
    r = make_symbol("r", "positive")
    e = parse_expression("r + 1", {"r": r})
    assert e.free_symbols == {r}
    assert (e > 1) == sp.true  # the assumption carries over


HOSTILE = [
    ("__import__('os').system('echo hacked')", "attribute"),
    ("().__class__.__bases__[0].__subclasses__()", "attribute"),
    ("r.__class__", "attribute"),
    ("open('/etc/passwd')", "'open'"),
    ("eval('1')", "'eval'"),
    ("exec('x=1')", "'exec'"),
    ("lambda: 1", "lambda"),
    ("'abc'", "literal"),
    ("[1, 2][0]", "subscript"),
    ("L[0]", "subscript"),
    ("r if c else L", "conditional"),
    ("r < c", "comparison"),
    ("r and c", "boolean"),
    ("(x := 1)", "assignment"),
    ("max(r, key=c)", "keyword"),
    ("sqrt(r, c)", "arguments"),
    ("f'{r}'", "f-string"),
    ("x + 1", "unknown name 'x'"),
    ("_secret", "dunder"),
    ("r @ c", "MatMult"),
    ("r // c", "FloorDiv"),
    ("r % c", "Mod"),
    ("1j * r", "literal"),
    ("True + r", "literal"),
    ("r +", "not a valid expression"),
    ("", "empty"),
    ("exp", "must be called"),
    ("1/0", "division by zero"),
]


@pytest.mark.parametrize(("text", "why"), HOSTILE)
def test_hostile_strings_are_refused_naming_the_piece(text, why):
    with pytest.raises(ParameterError) as info:
        parse_expression(text, PARAMS, field="payoff of Bank")
    message = str(info.value)
    assert "payoff of Bank" in message
    assert why.lower() in message.lower()


def test_exploding_powers_fail_at_once():
    for text in ["9**9**9**9", "(10**300)**1000", "2**(2**(2**(2**(2**10))))", "10**10**10"]:
        start = time.perf_counter()
        with pytest.raises(ParameterError, match="too large"):
            parse_expression(text, PARAMS)
        assert time.perf_counter() - start < 1.0


def test_symbolic_power_with_huge_constant_exponent_is_refused():
    with pytest.raises(ParameterError, match="too large"):
        parse_expression("r**(10**9)", PARAMS)


def test_length_and_depth_limits():
    with pytest.raises(ParameterError, match="characters long"):
        parse_expression("r+" * MAX_LENGTH + "r", PARAMS)
    with pytest.raises(ParameterError, match="deeper"):
        parse_expression("sqrt(" * (MAX_DEPTH + 5) + "r" + ")" * (MAX_DEPTH + 5), PARAMS)
    with pytest.raises(ParameterError):
        parse_expression("(" * 100_000 + "r" + ")" * 100_000, PARAMS)
    with pytest.raises(ParameterError, match="deeper"):
        parse_expression("-" * 200 + "r", PARAMS)


def test_nothing_is_executed(tmp_path):
    marker = tmp_path / "ran"
    text = f"__import__('pathlib').Path('{marker}').touch()"
    with pytest.raises(AllianceError):
        parse_expression(text, PARAMS)
    assert not marker.exists()


def test_numbers_and_bad_types():
    assert parse_expression(3) == 3
    assert parse_expression(0.5) == sp.Float(0.5)
    with pytest.raises(ParameterError, match="finite"):
        parse_expression(float("nan"))
    with pytest.raises(ParameterError, match="boolean"):
        parse_expression(True)
    with pytest.raises(ParameterError, match="type list"):
        parse_expression([1])


def test_bad_assumption_is_named():
    with pytest.raises(ParameterError, match="'r'.*'huge'"):
        make_symbol("r", "huge")


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet="rLc0123456789+-*/() .e_", max_size=40))
def test_fuzz_never_raises_anything_but_parameter_error(text):
    try:
        result = parse_expression(text, PARAMS)
    except ParameterError:
        return
    assert isinstance(result, sp.Expr)


@settings(max_examples=100, deadline=None)
@given(st.integers(-50, 50), st.integers(-50, 50), st.integers(1, 50))
def test_parsed_arithmetic_matches_python(a, b, d):
    text = f"({a}) * r + ({b}) / {d}"
    expr = parse_expression(text, PARAMS)
    value = expr.subs(sp.Symbol("r", real=True), 3)
    assert value == sp.Rational(a * 3 * d + b, d)
