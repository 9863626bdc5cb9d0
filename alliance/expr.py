"""Safe parsing of payoff and parameter expressions.

Text from model files, expectation files and command lines is untrusted: ``sympify`` and
``parse_expr`` call ``eval`` and would run whatever the text says. This module turns text
into SymPy expressions through an :mod:`ast` allow-list instead. Only these pieces pass:

* numbers (int, float, scientific notation; booleans and complex numbers are refused),
* declared parameter names (never dunder names, never names of functions),
* the binary operators ``+ - * / **`` and unary ``+``/``-``,
* parentheses,
* calls of a few named functions: ``exp``, ``log``, ``sqrt``, ``min``, ``max``, ``abs``.

Everything else (attributes, subscripts, other calls, keywords, lambdas, strings,
comparisons, comprehensions...) is refused with a :class:`~alliance.errors.ParameterError`
naming the offending piece. The parser also bounds the text length, the nesting depth and
the size of constant powers, so ``9**9**9**9`` fails at once instead of hanging.

Examples
--------
>>> from alliance.expr import parse_expression
>>> parse_expression("r*L - c", ["r", "L", "c"])
L*r - c
>>> parse_expression("max(0, 0.5*L - c)", ["L", "c"])
Max(0, 0.5*L - c)
>>> parse_expression("r.__class__", ["r"])
Traceback (most recent call last):
...
alliance.errors.ParameterError: expression 'r.__class__': attribute access is not allowed
"""

from __future__ import annotations

import ast
import math
from collections.abc import Iterable, Mapping

import sympy as sp

from alliance.errors import ParameterError
from alliance.numbers import check_expression

__all__ = ["parse_expression", "make_symbol", "ALLOWED_FUNCTIONS", "MAX_LENGTH", "MAX_DEPTH"]

#: Longest text accepted, in characters. Payoffs of real models are a few dozen characters.
MAX_LENGTH = 2000
#: Deepest nesting of the syntax tree accepted.
MAX_DEPTH = 50
#: Largest absolute exponent of a power whose base and exponent are both constants.
MAX_CONSTANT_EXPONENT = 1000
#: Largest number of decimal digits of a constant power.
MAX_RESULT_DIGITS = 400
#: Largest absolute value of a numeric literal.
MAX_LITERAL = 1e300

ALLOWED_FUNCTIONS: dict[str, object] = {
    "exp": sp.exp,
    "log": sp.log,
    "sqrt": sp.sqrt,
    "min": sp.Min,
    "max": sp.Max,
    "abs": sp.Abs,
}
_ARITY = {"exp": (1, 1), "log": (1, 1), "sqrt": (1, 1), "abs": (1, 1), "min": (2, 16), "max": (2, 16)}

_BINOPS = {
    ast.Add: lambda a, b: a + b,
    ast.Sub: lambda a, b: a - b,
    ast.Mult: lambda a, b: a * b,
    ast.Div: lambda a, b: a / b,
    ast.Pow: lambda a, b: a**b,
}


def make_symbol(name: str, assumption: str | None = None) -> sp.Symbol:
    """Create the SymPy symbol for a model parameter.

    Parameters are real by default, so that conditions such as ``r > c/L`` simplify.

    Parameters
    ----------
    name : str
        A plain identifier.
    assumption : {None, "real", "positive", "nonnegative", "probability"}
        ``"probability"`` means a real number in [0, 1]; SymPy cannot state the upper bound,
        so the symbol is only ``nonnegative`` and the bound is kept by the caller.

    Returns
    -------
    sympy.Symbol
        The symbol, real and with the stated sign assumption.

    Examples
    --------
    >>> make_symbol("r", "positive").is_positive
    True
    """
    _check_name(name, name)
    flags = {"real": True}
    if assumption in (None, "real"):
        pass
    elif assumption == "positive":
        flags["positive"] = True
    elif assumption in ("nonnegative", "probability"):
        flags["nonnegative"] = True
    else:
        raise ParameterError(
            f"assumption of parameter '{name}' is {assumption!r}; it must be one of "
            "'real', 'positive', 'nonnegative', 'probability'"
        )
    return sp.Symbol(name, **flags)


def _check_name(name: str, text: str) -> None:
    if not isinstance(name, str) or not name.isidentifier():
        raise ParameterError(f"parameter name {name!r} is not a plain identifier")
    if name.startswith("__") or name.startswith("_"):
        raise ParameterError(
            f"expression {text!r}: name {name!r} is not allowed (dunder names are refused)"
        )
    if name in ALLOWED_FUNCTIONS:
        raise ParameterError(
            f"expression {text!r}: name {name!r} is a function and cannot be a parameter"
        )


def parse_expression(
    text: str | int | float,
    parameters: Iterable[str] | Mapping[str, sp.Symbol] | None = None,
    *,
    field: str = "expression",
) -> sp.Expr:
    """Parse untrusted text into a SymPy expression, allowing only arithmetic.

    Parameters
    ----------
    text : str, int or float
        The expression, e.g. ``"r*L - c"``. Numbers pass through as exact rationals
        (``0.05`` becomes ``0.05`` as a SymPy Float; integers stay integers).
    parameters : iterable of str, mapping of str to Symbol, or None
        The declared parameter names. A mapping gives the symbols to use (so assumptions
        declared on a game carry over). ``None`` accepts any plain identifier as a new real
        parameter: that is for trusted code only; file readers always declare parameters.
    field : str
        The name of the field the text came from, quoted in error messages
        (e.g. ``"payoff of Bank at (lend, repay)"``).

    Returns
    -------
    sympy.Expr

    Raises
    ------
    ParameterError
        Whatever is not on the allow-list, unknown names, text too long or too deep,
        constant powers too large, division by the constant zero.

    Examples
    --------
    >>> parse_expression("(1 + r)**2", ["r"])
    (r + 1)**2
    >>> parse_expression("x + 1", ["r"], field="payoff of Bank")
    Traceback (most recent call last):
    ...
    alliance.errors.ParameterError: payoff of Bank 'x + 1': unknown name 'x'; declared parameters: r
    >>> parse_expression("9**9**9**9")
    Traceback (most recent call last):
    ...
    alliance.errors.ParameterError: expression '9**9**9**9': constant power 9**387420489 is too large (exponent limit 1000, result limit 400 digits)
    """
    if isinstance(text, bool):
        raise ParameterError(f"{field} is a boolean ({text!r}); a number or an expression is needed")
    if isinstance(text, int):
        return sp.Integer(text)
    if isinstance(text, float):
        if not math.isfinite(text):
            raise ParameterError(f"{field} is {text!r}; it must be finite")
        return sp.Float(text)
    if not isinstance(text, str):
        raise ParameterError(
            f"{field} has type {type(text).__name__}; a number or an expression string is needed"
        )
    if len(text) > MAX_LENGTH:
        raise ParameterError(
            f"{field} is {len(text)} characters long; the limit is {MAX_LENGTH}"
        )
    if not text.strip():
        raise ParameterError(f"{field} is empty")
    if "\x00" in text:
        raise ParameterError(f"{field} {text!r} contains a NUL character")

    if parameters is None:
        symbols: dict[str, sp.Symbol] | None = None
    elif isinstance(parameters, Mapping):
        symbols = dict(parameters)
    else:
        symbols = {}
        for name in parameters:
            symbols[name] = make_symbol(name)

    label = f"{field} {text!r}"
    try:
        tree = ast.parse(text.strip(), mode="eval")
    except (SyntaxError, ValueError, RecursionError, MemoryError) as err:
        raise ParameterError(f"{label}: not a valid expression ({err.__class__.__name__})") from None
    if _depth(tree) > MAX_DEPTH:
        raise ParameterError(f"{label}: nested deeper than the limit of {MAX_DEPTH}")
    return _Builder(label, symbols).build(tree.body)


def _depth(node: ast.AST) -> int:
    # Iterative so that a hostile, very deep tree cannot exhaust the Python stack here.
    deepest = 0
    stack = [(node, 1)]
    while stack:
        current, level = stack.pop()
        deepest = max(deepest, level)
        if deepest > MAX_DEPTH:
            return deepest
        stack.extend((child, level + 1) for child in ast.iter_child_nodes(current))
    return deepest


class _Builder:
    def __init__(self, label: str, symbols: dict[str, sp.Symbol] | None) -> None:
        self.label = label
        self.symbols = symbols
        self.free: dict[str, sp.Symbol] = {}

    def fail(self, why: str) -> ParameterError:
        return ParameterError(f"{self.label}: {why}")

    def build(self, node: ast.AST) -> sp.Expr:
        result = self.build_node(node)
        # Checked at every node, so that a constant never grows past the float range
        # (1e300*1e300, exp(exp(exp(exp(10))))) and SymPy's merging of nested powers,
        # ((r+1)**1000)**1000 == (r+1)**1000000, cannot slip past the exponent cap.
        if not result.free_symbols:
            check_expression(result, f"{self.label}: a constant part")
        else:
            self.check_exponents(result)
        return result

    def check_exponents(self, result: sp.Expr) -> None:
        for power in result.atoms(sp.Pow):
            exponent = power.exp
            if exponent.is_number and exponent.is_real and abs(exponent) > MAX_CONSTANT_EXPONENT:
                raise self.fail(
                    f"exponent {exponent} of {power.base} is too large (limit "
                    f"{MAX_CONSTANT_EXPONENT}, counting nested powers together)"
                )

    def build_node(self, node: ast.AST) -> sp.Expr:
        if isinstance(node, ast.Constant):
            return self.constant(node.value)
        if isinstance(node, ast.Name):
            return self.name(node.id)
        if isinstance(node, ast.UnaryOp):
            operand = self.build(node.operand)
            if isinstance(node.op, ast.USub):
                return -operand
            if isinstance(node.op, ast.UAdd):
                return operand
            raise self.fail(f"operator {type(node.op).__name__} is not allowed")
        if isinstance(node, ast.BinOp):
            op = _BINOPS.get(type(node.op))
            if op is None:
                raise self.fail(f"operator {type(node.op).__name__} is not allowed")
            left = self.build(node.left)
            right = self.build(node.right)
            if isinstance(node.op, ast.Pow):
                self.check_power(left, right)
            if isinstance(node.op, ast.Div) and right.is_zero:
                raise self.fail("division by zero")
            return op(left, right)
        if isinstance(node, ast.Call):
            return self.call(node)
        refused = {
            ast.Attribute: "attribute access is not allowed",
            ast.Subscript: "subscripts are not allowed",
            ast.Lambda: "lambda is not allowed",
            ast.Compare: "comparisons are not allowed",
            ast.BoolOp: "boolean operators are not allowed",
            ast.IfExp: "conditional expressions are not allowed",
            ast.JoinedStr: "f-strings are not allowed",
            ast.List: "lists are not allowed",
            ast.Tuple: "tuples are not allowed",
            ast.Dict: "dicts are not allowed",
            ast.Set: "sets are not allowed",
            ast.ListComp: "comprehensions are not allowed",
            ast.SetComp: "comprehensions are not allowed",
            ast.DictComp: "comprehensions are not allowed",
            ast.GeneratorExp: "comprehensions are not allowed",
            ast.Starred: "starred arguments are not allowed",
            ast.NamedExpr: "assignment expressions are not allowed",
            ast.Await: "await is not allowed",
        }
        raise self.fail(refused.get(type(node), f"{type(node).__name__} is not allowed"))

    def constant(self, value: object) -> sp.Expr:
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise self.fail(f"literal {value!r} is not allowed (only numbers are)")
        if isinstance(value, float):
            if not math.isfinite(value) or abs(value) > MAX_LITERAL:
                raise self.fail(f"number {value!r} is not finite or too large")
            return sp.Float(value)
        if abs(value) > 10**300:
            raise self.fail("integer literal is too large")
        return sp.Integer(value)

    def name(self, name: str) -> sp.Expr:
        if name.startswith("_"):
            raise self.fail(f"name {name!r} is not allowed (dunder names are refused)")
        if name in ALLOWED_FUNCTIONS:
            raise self.fail(f"function {name!r} must be called, not used as a value")
        if self.symbols is None:
            if name not in self.free:
                self.free[name] = make_symbol(name)
            return self.free[name]
        if name not in self.symbols:
            declared = ", ".join(sorted(self.symbols)) or "(none)"
            raise self.fail(f"unknown name {name!r}; declared parameters: {declared}")
        return self.symbols[name]

    def call(self, node: ast.Call) -> sp.Expr:
        if isinstance(node.func, ast.Attribute):
            raise self.fail(f"attribute access ('.{node.func.attr}') is not allowed")
        if not isinstance(node.func, ast.Name):
            raise self.fail("only calls of exp, log, sqrt, min, max, abs are allowed")
        fname = node.func.id
        if fname not in ALLOWED_FUNCTIONS:
            if fname.startswith("_"):
                raise self.fail(f"name {fname!r} is not allowed (dunder names are refused)")
            raise self.fail(
                f"call of {fname!r} is not allowed; allowed functions: "
                + ", ".join(ALLOWED_FUNCTIONS)
            )
        if node.keywords:
            raise self.fail(f"keyword arguments to {fname!r} are not allowed")
        lo, hi = _ARITY[fname]
        if not lo <= len(node.args) <= hi:
            raise self.fail(f"{fname!r} takes {lo if lo == hi else f'{lo} to {hi}'} arguments, got {len(node.args)}")
        args = [self.build(a) for a in node.args]
        if fname == "log" and args[0].is_number and not args[0].is_positive:
            raise self.fail("log of a non-positive constant")
        return ALLOWED_FUNCTIONS[fname](*args)  # type: ignore[operator]

    def check_power(self, base: sp.Expr, exponent: sp.Expr) -> None:
        # A symbolic power is cheap to represent; a constant one is evaluated by SymPy at
        # once, so huge constant powers (9**9**9**9, (10**300)**1000) must be refused before
        # SymPy sees them.
        if not (exponent.is_number and exponent.is_real):
            return
        size = abs(float(exponent))
        if base.is_number:
            magnitude = abs(complex(base))
            if magnitude in (0.0, 1.0):
                return
            digits = size * abs(math.log10(magnitude)) if math.isfinite(magnitude) else math.inf
            if size > MAX_CONSTANT_EXPONENT or digits > MAX_RESULT_DIGITS:
                raise self.fail(
                    f"constant power {base}**{exponent} is too large "
                    f"(exponent limit {MAX_CONSTANT_EXPONENT}, result limit "
                    f"{MAX_RESULT_DIGITS} digits)"
                )
        elif size > MAX_CONSTANT_EXPONENT:
            raise self.fail(f"exponent {exponent} is too large (limit {MAX_CONSTANT_EXPONENT})")
