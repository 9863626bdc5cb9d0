"""Signs of symbolic eigenvalues and the conditions economists print.

An eigenvalue ``a - b - c`` is negative exactly when ``a < b + c``; papers write the second
form, so :func:`negative_condition` moves negative terms to the right-hand side. Signs are
decided from the parameters' declared assumptions (positive, nonnegative, ...) and their
declared ranges (a :class:`~alliance.games.symbolic.Domain`: ``70*pi - 100`` is negative for
every ``pi`` in [0, 1]), and left open (``"?"``) only when the ranges do not decide them.
A condition that no admissible parameter satisfies is ``False``, one that all satisfy is
``True``: the verdicts never depend on values outside the declared ranges.
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any

import sympy as sp

from alliance.games.symbolic import Atom, Case, Domain, build_case, canonical

__all__ = [
    "sign_of",
    "negative_condition",
    "ess_condition",
    "verdict_from_signs",
    "tidy_relational",
    "NON_HYPERBOLIC",
    "CENTRE",
    "VERDICTS",
]

_SIGN_TEXT = {frozenset({-1}): "-", frozenset({1}): "+", frozenset({0}): "0"}
#: Largest expression (in SymPy operations) whose sign on the ranges is proved.
MAX_PROOF_OPERATIONS = 60
#: Verdict of a rest point with an eigenvalue of zero real part and none positive.
NON_HYPERBOLIC = "non-hyperbolic (undetermined)"
#: Verdict of a rest point with a purely imaginary pair and no eigenvalue with positive real part.
CENTRE = "centre"
#: Verdicts of the linearisation at a rest point.
VERDICTS = ("ESS", "saddle", "unstable", NON_HYPERBOLIC, CENTRE, "conditional", "not ESS")


def sign_of(value: Any, tol: float = 0.0, domain: Domain | None = None) -> str:
    """``"-"``, ``"+"``, ``"0"``, ``"i"`` or ``"?"`` for a number or a symbolic expression.

    Complex numbers are judged by their real part (the part that decides stability);
    ``"i"`` marks a purely imaginary number (zero real part, non-zero imaginary part).
    With a ``domain``, a symbolic sign is decided on the parameters' declared ranges.

    Parameters
    ----------
    value : number or sympy.Expr
        An eigenvalue (real, complex, exact or symbolic).
    tol : float, default 0
        Float values within ``tol`` of 0 count as 0.
    domain : Domain, optional
        The parameters' declared ranges, to decide symbolic signs.

    Returns
    -------
    str
        ``"-"``, ``"+"``, ``"0"``, ``"i"`` (purely imaginary) or ``"?"`` (undecided).

    Examples
    --------
    >>> import sympy as sp
    >>> c = sp.Symbol("c", positive=True)
    >>> sign_of(-c), sign_of(c - 1), sign_of(Fraction(0)), sign_of(complex(1e-12, 2), tol=1e-9)
    ('-', '?', '0', 'i')
    >>> from alliance.games.symbolic import Domain
    >>> pi = sp.Symbol("pi", nonnegative=True)
    >>> sign_of(70 * pi - 100), sign_of(70 * pi - 100, domain=Domain([pi], {"pi": (0, 1)}))
    ('?', '-')
    """
    if isinstance(value, sp.Basic):
        if value.free_symbols:
            if domain is not None:
                # Structure first (cheap): ±c*sqrt(P) is decided by the sign of P alone.
                root = _square_root_sign(value, domain)
                if root is not None:
                    return root
                coeff, rest = value.as_coeff_Mul()
                if rest.is_Pow and rest.exp == sp.Rational(1, 2):
                    return "?"
                if sp.count_ops(value) > MAX_PROOF_OPERATIONS:
                    return "?"  # too large to prove at table speed: left open, never guessed
                if value.free_symbols <= set(domain.symbols) and value.is_polynomial(
                    *value.free_symbols
                ):
                    # A real polynomial (every corner eigenvalue): its exact signs on the box.
                    return _SIGN_TEXT.get(domain.signs(sp.expand(value)), "?")
            real = sp.re(value) if value.is_real is not True else value
            if real.is_zero:
                return "i" if value.is_real is not True and not value.is_zero else "0"
            if real.is_negative:
                return "-"
            if real.is_positive:
                return "+"
            if domain is not None and real.free_symbols <= set(domain.symbols) and not real.has(sp.re, sp.im):
                # Sampling refutes cheaply: both signs seen inside the box means "?"
                # without the cost of a proof; only a sign never refuted is proved.
                if {-1, 1} <= sampled_signs(real, domain):
                    return "?"
                signs = domain.signs(sp.expand(real))
                if signs == frozenset({-1}):
                    return "-"
                if signs == frozenset({1}):
                    return "+"
                if signs == frozenset({0}):
                    return "0"
            return "?"
        value = complex(value)
    if isinstance(value, complex):
        if abs(value.real) <= tol and abs(value.imag) > tol:
            return "i"
        value = value.real
    if isinstance(value, Fraction):
        return "-" if value < 0 else ("+" if value > 0 else "0")
    v = float(value)
    if abs(v) <= tol:
        return "0"
    return "-" if v < 0 else "+"


def sampled_signs(expr: sp.Expr, domain: Domain, n: int = 6) -> set[int]:
    """Signs ``expr`` takes at ``n`` fixed rational points inside the box (a subset of the truth).

    Used only to refute: a sign seen here is certainly possible; a sign not seen may
    still be, so nothing is concluded from absence.
    """
    seen: set[int] = set()
    used = expr.free_symbols
    for full in domain.sample_points(n):
        point = {s: v for s, v in full.items() if s in used}
        try:
            value = expr.xreplace(point)
        except (ZeroDivisionError, TypeError):
            continue
        if not value.is_number or value.has(sp.zoo, sp.nan, sp.oo, -sp.oo):
            continue
        if value.is_zero:
            seen.add(0)
        elif value.is_positive:
            seen.add(1)
        elif value.is_negative:
            seen.add(-1)
    return seen


def _square_root_sign(value: sp.Expr, domain: Domain | None) -> str | None:
    # ±c*sqrt(P), the eigenvalues of a mixing pair: imaginary where P < 0 on the whole box.
    if domain is None:
        return None
    coeff, rest = value.as_coeff_Mul()
    if not (rest.is_Pow and rest.exp == sp.Rational(1, 2)) or not coeff.is_number:
        return None
    if not rest.base.free_symbols <= set(domain.symbols):
        return None
    if {-1, 1} <= sampled_signs(rest.base, domain):
        return None
    base = sp.together(rest.base)
    num, den = sp.fraction(base)
    signs = domain.signs(sp.expand(num * den))
    if signs == frozenset({-1}):
        return "i"
    if signs == frozenset({1}) and coeff != 0:
        return "+" if coeff > 0 else "-"
    return None


def tidy_relational(expr: sp.Expr, relation: str = "<") -> sp.Basic:
    """``expr < 0`` (or ``> 0``) written with positive terms on each side.

    Parameters
    ----------
    expr : sympy.Expr
        The left-hand side, compared with 0.
    relation : {"<", ">"}, default "<"
        The comparison.

    Returns
    -------
    sympy.Basic
        The relation with positive terms on each side; ``sympy.true``/``sympy.false``
        when the symbols' assumptions decide it.

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
    """The conjunction ``v < 0`` over eigenvalues (numbers or expressions), term by term.

    Parameters
    ----------
    values : sequence of number or sympy.Expr
        Eigenvalues (the real part of a complex one is used).

    Returns
    -------
    sympy.Basic
        A conjunction of relations with positive terms on both sides, or ``True``/``False``.

    Examples
    --------
    >>> import sympy as sp
    >>> a, b = sp.symbols("a b", positive=True)
    >>> negative_condition([a - b, -1]), negative_condition([-a, -2])
    (a < b, True)
    """
    exprs = [_expr(v) for v in values]
    return sp.And(*(tidy_relational(sp.re(v) if v.is_real is not True else v) for v in exprs))


def ess_condition(values: Any, domain: Domain) -> sp.Basic:
    """``v < 0`` for every eigenvalue, simplified on the declared ranges of ``domain``.

    ``sympy.false`` when no admissible parameter point satisfies it (one eigenvalue is
    never negative, or the conditions on one parameter have no common solution),
    ``sympy.true`` when every admissible point does, otherwise the remaining conditions,
    each with positive terms on both sides.

    Parameters
    ----------
    values : sequence of number or sympy.Expr
        Eigenvalues of a rest point.
    domain : Domain
        The parameters' declared ranges (:class:`alliance.games.symbolic.Domain`).

    Returns
    -------
    sympy.Basic
        The ESS conditions, ``sympy.true`` or ``sympy.false``.

    Examples
    --------
    >>> import sympy as sp
    >>> from alliance.games.symbolic import Domain
    >>> pi = sp.Symbol("pi", nonnegative=True)
    >>> d = Domain([pi], {"pi": (0, 1)})
    >>> ess_condition([100 - 70 * pi, 90 * pi - 106], d)
    False
    >>> ess_condition([-6, 106 - 90 * pi], d), ess_condition([sp.Rational(1, 2) - pi], d)
    (False, 1/2 < pi)
    """
    exprs = [_expr(v) for v in values]
    if any(not e.is_real and e.is_real is not None for e in exprs):
        exprs = [sp.re(e) for e in exprs]
    if any(e.has(sp.re, sp.im) or not e.free_symbols <= set(domain.symbols) for e in exprs):
        return negative_condition(values)
    # Polynomial eigenvalues (every corner's): decided one by one from their signs on the
    # box; what stays open is a condition, and conditions on one same parameter are
    # intersected exactly (no admissible value may satisfy them all).
    open_ones, others = [], []
    for e in exprs:
        if not e.free_symbols:
            if not e.is_negative:
                return sp.false
            continue
        if e.is_polynomial(*e.free_symbols):
            signs = domain.signs(sp.expand(e))
            if -1 not in signs:
                return sp.false
            if signs != frozenset({-1}):
                open_ones.append(sp.expand(e))
        else:
            others.append(e)
    if others:
        case = build_case(domain, [(e, {-1}) for e in open_ones + others])
        if case is None or not case.feasible():
            return sp.false
        atoms = case.atom_list()
    else:
        directions: dict[sp.Expr, set[int]] = {}
        for e in open_ones:
            key, sign = canonical(e)
            directions.setdefault(key, set()).add(sign)
        if any(len(v) > 1 for v in directions.values()):
            return sp.false  # e < 0 and -e < 0 together
        atoms = [Atom(e, frozenset({-1})) for e in dict.fromkeys(open_ones)]
        if not Case(domain, {a.expr: a.allowed for a in atoms}).feasible():
            return sp.false
    if not atoms:
        return sp.true
    parts = []
    for a in atoms:
        if a.allowed == frozenset({-1}):
            parts.append(tidy_relational(a.expr, "<"))
        elif a.allowed == frozenset({1}):
            parts.append(tidy_relational(a.expr, ">"))
        else:
            parts.append(a.relational())
    return sp.And(*parts)


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
    ``"unstable"`` with ``+`` and otherwise only zeros; with no ``+``: ``"centre"`` when
    some eigenvalue is purely imaginary (``i``), ``"non-hyperbolic (undetermined)"`` when
    some real part is zero (the linearisation does not decide stability). With open signs
    (``?``): ``"not ESS"`` if some sign is ``+``, ``0`` or ``i``, ``"conditional"``
    otherwise (an ESS under the printed conditions).

    Parameters
    ----------
    signs : list of str
        The signs given by :func:`sign_of`, one per eigenvalue.

    Returns
    -------
    str
        ``"ESS"``, ``"saddle"``, ``"unstable"``, ``"centre"``,
        ``"non-hyperbolic (undetermined)"``, ``"not ESS"`` or ``"conditional"``.

    Examples
    --------
    >>> verdict_from_signs(["-", "-"]), verdict_from_signs(["+", "-"]), verdict_from_signs(["-", "?"])
    ('ESS', 'saddle', 'conditional')
    >>> verdict_from_signs(["-", "0"]), verdict_from_signs(["i", "i"])
    ('non-hyperbolic (undetermined)', 'centre')
    """
    plus = "+" in signs
    minus = "-" in signs
    if "?" in signs:
        if plus and minus:
            return "saddle"
        return "not ESS" if plus or "0" in signs or "i" in signs else "conditional"
    if plus:
        return "saddle" if minus else "unstable"
    if "i" in signs:
        return CENTRE
    if "0" in signs:
        return NON_HYPERBOLIC
    return "ESS"
