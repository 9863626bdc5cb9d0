"""Signs of symbolic eigenvalues and the conditions economists print.

An eigenvalue ``a - b - c`` is negative exactly when ``a < b + c``; papers write the second
form, so :func:`negative_condition` moves negative terms to the right-hand side. Signs are
decided from the parameters' declared assumptions (positive, nonnegative, ...) and left
open (``"?"``) otherwise.
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any

import sympy as sp

__all__ = ["sign_of", "negative_condition", "verdict_from_signs", "tidy_relational"]

#: Verdicts of the linearisation at a rest point.
VERDICTS = ("ESS", "saddle", "unstable", "undetermined", "conditional", "not ESS")


def sign_of(value: Any, tol: float = 0.0) -> str:
    """``"-"``, ``"+"``, ``"0"`` or ``"?"`` for a number or a symbolic expression.

    Complex numbers are judged by their real part (the part that decides stability).

    Examples
    --------
    >>> import sympy as sp
    >>> c = sp.Symbol("c", positive=True)
    >>> sign_of(-c), sign_of(c - 1), sign_of(Fraction(0)), sign_of(complex(1e-12, 2), tol=1e-9)
    ('-', '?', '0', '0')
    """
    if isinstance(value, sp.Basic):
        if value.free_symbols:
            value = sp.re(value) if value.is_real is not True else value
            if value.is_zero:
                return "0"
            if value.is_negative:
                return "-"
            if value.is_positive:
                return "+"
            return "?"
        value = complex(value)
    if isinstance(value, complex):
        value = value.real
    if isinstance(value, Fraction):
        return "-" if value < 0 else ("+" if value > 0 else "0")
    v = float(value)
    if abs(v) <= tol:
        return "0"
    return "-" if v < 0 else "+"


def tidy_relational(expr: sp.Expr, relation: str = "<") -> sp.Basic:
    """``expr < 0`` (or ``> 0``) written with positive terms on each side.

    Returns ``sympy.true``/``sympy.false`` when the assumptions decide it.

    Examples
    --------
    >>> import sympy as sp
    >>> a, b, c = sp.symbols("a b c", positive=True)
    >>> tidy_relational(a - b - c)
    a < b + c
    >>> tidy_relational(-a - b)
    True
    """
    expr = sp.expand(expr)
    if relation == ">":
        expr = -expr
    decided = sp.Lt(expr, 0)
    if decided in (sp.true, sp.false):
        return decided
    positive, negative = [], []
    for term in sp.Add.make_args(expr):
        coeff = term.as_coeff_Mul()[0]
        (negative if coeff.is_negative else positive).append(term)
    left = sp.Add(*positive)
    right = -sp.Add(*negative)
    if left == 0:
        return sp.Gt(right, 0)
    if right == 0:
        return sp.Lt(left, 0)
    return sp.Lt(left, right)


def negative_condition(values: Any) -> sp.Basic:
    """The conjunction ``v < 0`` over eigenvalues (numbers or expressions), term by term."""
    exprs = [_expr(v) for v in values]
    return sp.And(*(tidy_relational(sp.re(v) if v.is_real is not True else v) for v in exprs))


def _expr(value: Any) -> sp.Expr:
    if isinstance(value, sp.Basic):
        return value
    if isinstance(value, Fraction):
        return sp.Rational(value.numerator, value.denominator)
    if isinstance(value, int):
        return sp.Integer(value)
    if isinstance(value, complex):
        return sp.Float(value.real) + sp.I * sp.Float(value.imag)
    return sp.Float(float(value))


def verdict_from_signs(signs: list[str]) -> str:
    """The verdict of a rest point from the signs of the real parts of its eigenvalues.

    ``"ESS"`` when every sign is ``-``; ``"saddle"`` with both ``+`` and ``-``;
    ``"unstable"`` with ``+`` and otherwise only zeros; ``"undetermined"`` when no sign is
    ``+`` but some is ``0``. With open signs (``?``): ``"not ESS"`` if some sign is ``+``,
    ``"conditional"`` otherwise (an ESS under the printed conditions).

    Examples
    --------
    >>> verdict_from_signs(["-", "-"]), verdict_from_signs(["+", "-"]), verdict_from_signs(["-", "?"])
    ('ESS', 'saddle', 'conditional')
    """
    plus = "+" in signs
    minus = "-" in signs
    if "?" in signs:
        if plus and minus:
            return "saddle"
        return "not ESS" if plus else "conditional"
    if plus:
        return "saddle" if minus else "unstable"
    if "0" in signs:
        return "undetermined"
    return "ESS"
