"""Conditions on parameters: sign atoms, conjunctions ("cases") and their evaluation.

Every condition the symbolic solvers produce is a conjunction of *atoms*: an expression
``e`` of the parameters together with the set of signs it may take (``{+}`` means
``e > 0``, ``{0, +}`` means ``e >= 0``, ``{0}`` means ``e = 0``...). Keeping conditions in
this form, rather than as free SymPy Booleans, lets the solvers

* simplify with the parameters' assumptions (a factor known to be positive is dropped, an
  atom that always holds disappears, one that never holds kills the case),
* detect contradictions between atoms on the same expression (``a > b`` and ``a < b``),
* evaluate whole parameter grids with one lambdified function, and exactly at rational
  points (boundary cases such as ``a = b`` hold exactly, not to within rounding).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

import numpy as np
import sympy as sp
from sympy.polys.polyerrors import BasePolynomialError

from alliance.errors import ParameterError

__all__ = ["Domain", "Atom", "Case", "build_case", "ALL_SIGNS"]

ALL_SIGNS = frozenset({-1, 0, 1})
_POS = frozenset({1})
_NEG = frozenset({-1})


def negate(signs: frozenset) -> frozenset:
    return frozenset(-s for s in signs)


def _fraction(value: Any) -> Fraction | float:
    if isinstance(value, float) and math.isinf(value):
        return value
    return Fraction(value)


# ------------------------------------------------------------------ interval arithmetic
def _mul(a: float | Fraction, b: float | Fraction) -> float | Fraction:
    if a == 0 or b == 0:  # 0 * inf is 0 for bounds of products
        return Fraction(0)
    return a * b


def _interval(expr: sp.Expr, bounds: Mapping[sp.Symbol, tuple]) -> tuple | None:
    """Closed bounds (lo, hi) of ``expr`` over the parameter box, or None when unknown."""
    if expr.is_Number:
        if expr.is_Rational:
            v = Fraction(int(expr.p), int(expr.q))
        else:
            v = Fraction(float(expr))
        return (v, v)
    if expr.is_Symbol:
        return bounds.get(expr, (-math.inf, math.inf))
    if expr.is_Add:
        lo, hi = Fraction(0), Fraction(0)
        for arg in expr.args:
            b = _interval(arg, bounds)
            if b is None:
                return None
            lo, hi = lo + b[0], hi + b[1]
        return (lo, hi)
    if expr.is_Mul:
        lo, hi = Fraction(1), Fraction(1)
        for arg in expr.args:
            b = _interval(arg, bounds)
            if b is None:
                return None
            products = [_mul(x, y) for x in (lo, hi) for y in b]
            lo, hi = min(products), max(products)
        return (lo, hi)
    if expr.is_Pow and expr.exp.is_Integer:
        b = _interval(expr.base, bounds)
        if b is None:
            return None
        n = int(expr.exp)
        lo, hi = b
        if n < 0:
            if lo <= 0 <= hi:
                return None
            lo, hi = (
                (1 / hi if hi != math.inf else Fraction(0)),
                (1 / lo if lo != -math.inf else Fraction(0)),
            )
            lo, hi = min(lo, hi), max(lo, hi)
            n = -n
        powers = [x**n for x in (lo, hi)]
        if n % 2 == 0 and lo <= 0 <= hi:
            return (Fraction(0), max(powers))
        return (min(powers), max(powers))
    return None


# ------------------------------------------------------------------ exact signs on a box
#: Most parameters for the exact vertex analysis (it visits up to 2**n faces of the box).
MAX_BOX_PARAMETERS = 10


def _sign_of_number(value: sp.Expr) -> frozenset:
    if value.is_zero:
        return frozenset({0})
    if value.is_positive:
        return _POS
    if value.is_negative:
        return _NEG
    return ALL_SIGNS


def _union_segment(a: frozenset, b: frozenset) -> frozenset:
    """Signs on segments from a value with sign in ``a`` to one with sign in ``b``."""
    out = set(a | b)
    if (-1 in a and 1 in b) or (1 in a and -1 in b):
        out.add(0)  # the segment crosses zero
    return frozenset(out)


def _univariate_signs(poly: sp.Poly, lo: Any, hi: Any) -> frozenset:
    """The exact signs a univariate polynomial takes on the closed interval [lo, hi]."""
    if poly.degree() <= 0:
        return _sign_of_number(poly.as_expr())
    lo_x = None if lo == -math.inf else sp.Rational(lo)
    hi_x = None if hi == math.inf else sp.Rational(hi)
    roots = sorted(
        {
            r
            for r in poly.real_roots()
            if (lo_x is None or r >= lo_x) and (hi_x is None or r <= hi_x)
        },
        key=lambda r: float(sp.N(r, 30)),
    )
    out = {0} if roots else set()
    # Test points: the endpoints and a rational between (or beyond) consecutive roots.
    cuts = [float(sp.N(r, 30)) for r in roots]
    tests: list[sp.Expr] = []
    if lo_x is not None:
        tests.append(lo_x)
    if hi_x is not None:
        tests.append(hi_x)
    ends = ([float(lo_x)] if lo_x is not None else [cuts[0] - 1 if cuts else -1.0]) + cuts
    ends += [float(hi_x)] if hi_x is not None else [cuts[-1] + 1 if cuts else 1.0]
    for a, b in zip(ends, ends[1:]):
        if b > a:
            tests.append(sp.Rational(repr((a + b) / 2)))
    for t in tests:
        value = poly.eval(t)
        if value != 0:
            out.add(1 if value > 0 else -1)
    if lo_x is None or hi_x is None:
        lead = poly.LC() * (1 if poly.degree() % 2 == 0 else -1)
        if lo_x is None:
            out.add(1 if lead > 0 else -1)
        if hi_x is None:
            out.add(1 if poly.LC() > 0 else -1)
    return frozenset(out)


def box_signs(expr: sp.Expr, bounds: Mapping[sp.Symbol, tuple]) -> frozenset | None:
    """The signs ``expr`` takes on the closed box of parameter ``bounds``, or None.

    Exact (not an over-approximation) for a polynomial in one parameter, whatever its
    degree, and for a polynomial of degree at most one in each parameter (multilinear,
    as replicator gains are): an affine function of one parameter takes, on a segment,
    every value between its ends, so the signs on the box are those at its vertices (and
    zero when they differ), an infinite end contributing the sign of the slope. ``None``
    when the expression is neither (the caller then uses interval arithmetic).

    Parameters
    ----------
    expr : sympy.Expr
        The expression.
    bounds : Mapping
        Symbol -> ``(lo, hi)``, ends possibly infinite.

    Returns
    -------
    frozenset of int or None
        The signs taken on the box.

    Examples
    --------
    >>> import sympy as sp
    >>> pi = sp.Symbol("pi", nonnegative=True)
    >>> sorted(box_signs(70 * pi - 100, {pi: (0, 1)}))
    [-1]
    >>> F = sp.Symbol("F", positive=True)
    >>> sorted(box_signs(pi * F - F, {pi: (0, 1), F: (0, math.inf)}))
    [-1, 0]
    """
    expr = sp.expand(expr)
    symbols = sorted(expr.free_symbols, key=lambda s: s.name)
    if not symbols:
        return _sign_of_number(expr)
    if len(symbols) > MAX_BOX_PARAMETERS or not all(s in bounds for s in symbols):
        return None
    try:
        poly = sp.Poly(expr, *symbols)
    except sp.PolynomialError:
        return None
    if not poly.domain.is_QQ and not poly.domain.is_ZZ:
        return None
    if len(symbols) == 1:
        lo, hi = bounds[symbols[0]]
        return _univariate_signs(poly, lo, hi)
    if poly.total_degree() <= 1:
        return _linear_signs(poly, symbols, bounds)
    if any(d > 1 for d in poly.degree_list()):
        return None
    if len(symbols) > MAX_VERTEX_PARAMETERS:
        return None  # 2**n vertices: the caller falls back to interval arithmetic
    return _multilinear_signs(expr, tuple(symbols), bounds)


#: Most parameters of a multilinear (not linear) expression for the vertex analysis.
MAX_VERTEX_PARAMETERS = 8


def _linear_signs(poly: sp.Poly, symbols: list, bounds: Mapping) -> frozenset:
    """Exact signs of ``c0 + sum c_k s_k`` on a closed box: the range is [low, high]."""
    low: Any = Fraction(0)
    high: Any = Fraction(0)
    for monom, coeff in poly.terms():
        c = Fraction(int(coeff.p), int(coeff.q)) if coeff.is_Rational else Fraction(coeff)
        if not any(monom):
            low += c
            high += c
            continue
        lo, hi = bounds[symbols[monom.index(1)]]
        ends = [_mul(c, _fraction(lo)), _mul(c, _fraction(hi))]
        low += min(ends)
        high += max(ends)
    out = set()
    if low < 0:
        out.add(-1)
    if high > 0:
        out.add(1)
    if low <= 0 <= high:
        out.add(0)
    return frozenset(out)


def _multilinear_signs(expr: sp.Expr, symbols: tuple, bounds: Mapping) -> frozenset:
    if not symbols:
        return _sign_of_number(expr)
    s, rest = symbols[0], symbols[1:]
    slope = expr.coeff(s, 1)
    if slope == 0:
        return _multilinear_signs(expr, rest, bounds)
    base = sp.expand(expr - slope * s)
    lo, hi = bounds[s]
    ends = []
    for end in (lo, hi):
        if end not in (math.inf, -math.inf):
            ends.append(_multilinear_signs(sp.expand(base + slope * sp.Rational(end)), rest, bounds))
    slope_signs = None
    out: frozenset = frozenset()
    for a in ends:
        out = _union_segment(out, a) if out else a
    if len(ends) == 2:
        return _union_segment(ends[0], ends[1])
    # An infinite end: values run from the finite end (or from anywhere) towards the
    # sign of the slope (or its opposite at -infinity).
    slope_signs = _multilinear_signs(sp.expand(slope), rest, bounds)
    toward = set()
    if hi == math.inf:
        toward |= {v for v in slope_signs if v != 0}
    if lo == -math.inf:
        toward |= {-v for v in slope_signs if v != 0}
    if not ends:  # the whole line: the base's signs where the slope vanishes
        start = _multilinear_signs(base, rest, bounds)
        out = start if 0 in slope_signs else frozenset()
        if toward:
            out = out | frozenset(toward) | ({0} if {1, -1} <= toward else frozenset())
        return frozenset(out) if out else start
    return _union_segment(out, frozenset(toward)) | out if toward else out


# ------------------------------------------------------------------ the parameter domain
class Domain:
    """The parameters of a game with their assumptions, as used to decide signs.

    ``bounds`` are closed intervals; SymPy's own assumptions (``positive=True``) supply the
    strict ones.

    Parameters
    ----------
    symbols : iterable of sympy.Symbol
        The parameters.
    assumptions : Mapping, optional
        Name -> ``"real"``, ``"positive"``, ``"nonnegative"``, ``"probability"`` or an
        interval ``(lo, hi)``.

    Examples
    --------
    >>> import sympy as sp
    >>> a = sp.Symbol("a", real=True)
    >>> domain = Domain([a], {"a": (0, 2)})
    >>> domain.bounds
    {a: (Fraction(0, 1), Fraction(2, 1))}
    """

    def __init__(self, symbols: Iterable[sp.Symbol], assumptions: Mapping[str, Any] | None = None):
        self.symbols = tuple(symbols)
        self.assumptions = dict(assumptions or {})
        self.bounds: dict[sp.Symbol, tuple] = {}
        for s in self.symbols:
            a = self.assumptions.get(s.name)
            lo, hi = -math.inf, math.inf
            if s.is_nonnegative:
                lo = Fraction(0)
            if a == "probability":
                lo, hi = Fraction(0), Fraction(1)
            elif isinstance(a, tuple):
                lo, hi = (
                    max(lo, _fraction(a[0])) if lo != -math.inf else _fraction(a[0]),
                    _fraction(a[1]),
                )
            self.bounds[s] = (lo, hi)
        self._bounded = {
            s
            for s, (lo, hi) in self.bounds.items()
            if hi != math.inf or (lo != -math.inf and lo != 0)
        }
        self._cache: dict[sp.Expr, frozenset] = {}
        self._points: dict[Any, list] = {}

    @classmethod
    def of_game(cls, game: Any) -> Domain:
        """The domain of a game's declared parameters.

        Parameters
        ----------
        game : NormalFormGame or SequentialGame
            A game with declared parameters.

        Returns
        -------
        Domain
            Its symbols and assumptions.

        Examples
        --------
        >>> import alliance as al
        >>> g = al.NormalFormGame.from_matrices([["a", 0], [0, 1]], [["a", 0], [0, 1]],
        ...                                     params={"a": (0, 2)})
        >>> Domain.of_game(g).symbols
        (a,)
        """
        symbols = {s.name: s for s in game.params}
        for name, s in game.symbols.items():
            symbols.setdefault(name, s)
        return cls(symbols.values(), game.assumptions)

    def sample_points(self, n: int = 6) -> list[dict[sp.Symbol, sp.Expr]]:
        """``n`` fixed rational points inside the box (cached), to refute claims cheaply.

        Parameters
        ----------
        n : int, default 6
            Number of points, >= 1.

        Returns
        -------
        list of dict
            Symbol -> exact rational value.

        Examples
        --------
        >>> import sympy as sp
        >>> a = sp.Symbol("a", real=True)
        >>> domain = Domain([a], {"a": (0, 2)})
        >>> domain.sample_points(2)
        [{a: 8/21}, {a: 6/7}]
        """
        key = ("sample", n)
        if key not in self._points:
            points = []
            for k in range(n):
                point = {}
                for j, s in enumerate(self.symbols):
                    t = sp.Rational((3 + 5 * k + 7 * j * (k + 1)) % 19 + 1, 21)  # in (0, 1)
                    lo, hi = self.bounds.get(s, (-math.inf, math.inf))
                    if lo != -math.inf and hi != math.inf:
                        value = sp.Rational(lo) + (sp.Rational(hi) - sp.Rational(lo)) * t
                    elif lo != -math.inf:
                        value = sp.Rational(lo) + t / (1 - t)
                    elif hi != math.inf:
                        value = sp.Rational(hi) - t / (1 - t)
                    else:
                        value = (2 * t - 1) / (t * (1 - t))
                    point[s] = value
                points.append(point)
            self._points[key] = points
        return self._points[key]

    def by_name(self) -> dict[str, sp.Symbol]:
        """The symbols by name.

        Returns
        -------
        dict
            Name -> symbol.

        Examples
        --------
        >>> import sympy as sp
        >>> a = sp.Symbol("a", real=True)
        >>> domain = Domain([a], {"a": (0, 2)})
        >>> domain.by_name()
        {'a': a}
        """
        return {s.name: s for s in self.symbols}

    def signs(self, expr: sp.Expr) -> frozenset:
        """The signs ``expr`` can take on the domain (a superset of the truth; cached).

        Parameters
        ----------
        expr : sympy.Expr
            An expression of the parameters.

        Returns
        -------
        frozenset of int
            A subset of {-1, 0, 1}; all three when undecided.

        Examples
        --------
        >>> import sympy as sp
        >>> a = sp.Symbol("a", real=True)
        >>> domain = Domain([a], {"a": (0, 2)})
        >>> sorted(domain.signs(a - 3)), sorted(domain.signs(a - 1))
        ([-1], [-1, 0, 1])
        """
        if expr in self._cache:
            return self._cache[expr]
        out = self._signs(expr)
        self._cache[expr] = out
        return out

    def _signs(self, expr: sp.Expr) -> frozenset:
        if expr.is_number:
            if expr.is_zero:
                return frozenset({0})
            if expr.is_positive:
                return _POS
            if expr.is_negative:
                return _NEG
            return ALL_SIGNS
        # The exact signs on the (closed) box first: cheap for the linear and multilinear
        # expressions games produce, and decisive for declared ranges.
        exact = box_signs(expr, self.bounds)
        if exact is not None:
            out = set(exact)
            if len(out) == 1:
                return frozenset(out)
            # The box is closed; strict assumptions (positive=True) may remove the zero.
            if out == {0, 1} and expr.is_positive:
                return _POS
            if out == {-1, 0} and expr.is_negative:
                return _NEG
            if 0 in out and len(out) == 3 and expr.is_nonzero:
                out.discard(0)
            return frozenset(out)
        out = set(ALL_SIGNS)
        if expr.is_positive:
            out = {1}
        elif expr.is_negative:
            out = {-1}
        else:
            if expr.is_nonnegative:
                out.discard(-1)
            if expr.is_nonpositive:
                out.discard(1)
            if expr.is_nonzero:
                out.discard(0)
        if len(out) > 1 and expr.free_symbols & self._bounded:
            box = _interval(sp.expand(expr), self.bounds)
            if box is not None:
                lo, hi = box
                if lo > 0:
                    out &= {1}
                elif lo >= 0:
                    out.discard(-1)
                if hi < 0:
                    out &= {-1}
                elif hi <= 0:
                    out.discard(1)
        return frozenset(out)

    # -- values ---------------------------------------------------------------------------
    def check_values(
        self, values: Mapping[str, Any], *, field: str = "values", require: Iterable[sp.Symbol] = ()
    ) -> dict[sp.Symbol, Any]:
        """Validate parameter values (names known, numeric, within assumptions).

        Parameters
        ----------
        values : Mapping
            Name -> number.
        field : str, default "values"
            The argument's name, for error messages.
        require : iterable of sympy.Symbol, optional
            Symbols that must be given.

        Returns
        -------
        dict
            Symbol -> SymPy number.

        Raises
        ------
        ParameterError
            An unknown or missing name, a non-number, or a value outside its range.

        Examples
        --------
        >>> import sympy as sp
        >>> a = sp.Symbol("a", real=True)
        >>> domain = Domain([a], {"a": (0, 2)})
        >>> domain.check_values({"a": 1})
        {a: 1}
        """
        names = self.by_name()
        unknown = sorted(set(values) - set(names))
        if unknown:
            raise ParameterError(
                f"{field} names unknown parameter(s) {', '.join(unknown)}; "
                f"parameters are {', '.join(sorted(names)) or '(none)'}"
            )
        missing = sorted(s.name for s in require if s.name not in values)
        if missing:
            raise ParameterError(f"{field} lacks a value for parameter(s) {', '.join(missing)}")
        out = {}
        for name, value in values.items():
            out[names[name]] = check_value(name, value, self.assumptions.get(name), names[name])
        return out


def check_value(name: str, value: Any, assumption: Any, symbol: sp.Symbol | None = None) -> Any:
    """Check one scalar parameter value against its assumption; return it as SymPy number."""
    if isinstance(value, (bool, np.bool_)) or not isinstance(
        value, (int, float, Fraction, np.integer, np.floating, sp.Number)
    ):
        raise ParameterError(f"parameter '{name}' = {value!r}; it must be a number")
    v = float(value)
    if not math.isfinite(v):
        raise ParameterError(f"parameter '{name}' = {value!r}; it must be finite")
    check_range(name, np.asarray(v), assumption, symbol)
    if isinstance(value, (int, np.integer)):
        return sp.Integer(int(value))
    if isinstance(value, Fraction):
        return sp.Rational(value.numerator, value.denominator)
    if isinstance(value, sp.Number):
        return value
    return sp.Float(v)


def check_range(
    name: str, values: np.ndarray, assumption: Any, symbol: sp.Symbol | None = None
) -> None:
    """Raise ParameterError when some value contradicts the parameter's assumption."""
    if values.size == 0:
        return
    lo, hi, label = -math.inf, math.inf, None
    strict_lo = False
    if assumption == "positive" or (
        assumption is None and symbol is not None and symbol.is_positive
    ):
        lo, strict_lo, label = 0.0, True, "positive"
    elif assumption == "nonnegative" or (
        assumption is None and symbol is not None and symbol.is_nonnegative
    ):
        lo, label = 0.0, "nonnegative"
    elif assumption == "probability":
        lo, hi, label = 0.0, 1.0, "probability (in [0, 1])"
    elif isinstance(assumption, tuple):
        lo, hi, label = (
            float(assumption[0]),
            float(assumption[1]),
            f"range [{assumption[0]:g}, {assumption[1]:g}]",
        )
    if label is None:
        return
    bad = (values <= lo) if strict_lo else (values < lo)
    bad |= values > hi
    if np.any(bad):
        first = values[bad].flat[0]
        raise ParameterError(
            f"parameter '{name}' = {float(first):g} contradicts its assumption {label}"
        )


# ------------------------------------------------------------------ atoms
def canonical(expr: sp.Expr) -> tuple[sp.Expr, int]:
    """``(key, sign)`` with ``expr == sign * key`` and a deterministic choice of sign.

    Parameters
    ----------
    expr : sympy.Expr
        An expression compared with 0.

    Returns
    -------
    tuple of (sympy.Expr, int)
        The key and the sign (1 or -1).

    Examples
    --------
    >>> import sympy as sp
    >>> a = sp.Symbol("a", real=True)
    >>> domain = Domain([a], {"a": (0, 2)})
    >>> canonical(2 - 2 * a), canonical(a - 1)
    ((2*a - 2, -1), (a - 1, 1))
    """
    e = sp.expand(expr)
    if e.could_extract_minus_sign():
        return sp.expand(-e), -1
    return e, 1


@dataclass(frozen=True)
class Atom:
    """``expr`` takes one of the signs in ``allowed`` (a subset of {-1, 0, 1}).

    Parameters
    ----------
    expr : sympy.Expr
        The expression.
    allowed : frozenset of int
        The signs it may take.

    Examples
    --------
    >>> import sympy as sp
    >>> a = sp.Symbol("a", real=True)
    >>> domain = Domain([a], {"a": (0, 2)})
    >>> Atom(a - 1, frozenset({1})).relational()
    a > 1
    """

    expr: sp.Expr
    allowed: frozenset

    @property
    def is_equality(self) -> bool:
        """Whether the atom says ``expr == 0``."""
        return self.allowed == frozenset({0})

    def relational(self) -> sp.Basic:
        """The atom as a SymPy relation with positive terms on both sides.

        Returns
        -------
        sympy.Basic
            A relation, or ``True``/``False``.

        Examples
        --------
        >>> import sympy as sp
        >>> a = sp.Symbol("a", real=True)
        >>> domain = Domain([a], {"a": (0, 2)})
        >>> Atom(a - 1, frozenset({0})).relational()
        Eq(a, 1)
        """
        lhs, rhs = _sides(self.expr)
        a = self.allowed
        if a == _POS:
            return sp.StrictGreaterThan(lhs, rhs, evaluate=False)
        if a == _NEG:
            return sp.StrictLessThan(lhs, rhs, evaluate=False)
        if a == frozenset({0}):
            return sp.Equality(lhs, rhs, evaluate=False)
        if a == frozenset({0, 1}):
            return sp.GreaterThan(lhs, rhs, evaluate=False)
        if a == frozenset({-1, 0}):
            return sp.LessThan(lhs, rhs, evaluate=False)
        if a == frozenset({-1, 1}):
            return sp.Unequality(lhs, rhs, evaluate=False)
        return sp.true if a == ALL_SIGNS else sp.false


def _sides(expr: sp.Expr) -> tuple[sp.Expr, sp.Expr]:
    # Put positive terms on the left and negative ones on the right: "R > L*r + L".
    if expr.is_Mul and sum(1 for a in expr.args if not a.is_number) > 1:
        return expr, sp.Integer(0)
    terms = sp.Add.make_args(sp.expand(expr))
    if len(terms) == 1:
        return expr, sp.Integer(0)
    pos = [t for t in terms if not t.could_extract_minus_sign()]
    neg = [-t for t in terms if t.could_extract_minus_sign()]
    if not pos:
        return sp.Integer(0), sp.Add(*neg)
    if not neg:
        return sp.Add(*pos), sp.Integer(0)
    # A pure number on the left reads better on the right: "a - b > -1" -> "a + 1 > b".
    return sp.Add(*pos), sp.Add(*neg)


def _factor_list(expr: sp.Expr) -> tuple[sp.Expr, list[tuple[sp.Expr, int]]]:
    try:
        coeff, factors = sp.factor_list(expr)
    except (BasePolynomialError, NotImplementedError, TypeError, ValueError):
        return sp.Integer(1), [(expr, 1)]
    return coeff, list(factors)


def normalise(
    expr: sp.Expr,
    allowed: frozenset,
    domain: Domain,
    context: Mapping[sp.Expr, frozenset] | None = None,
) -> Atom | bool:
    """Reduce "sign(expr) in allowed" to an atom on its undetermined factors, or a bool.

    Denominators are assumed non-zero (the solvers add that condition separately), so the
    sign of ``n/d`` is that of ``n*d``.
    """
    context = context or {}
    expr = sp.together(expr)
    num, den = sp.fraction(expr)
    num = sp.expand(num)
    if num.is_zero:
        return 0 in allowed
    c_num, f_num = _factor_list(num)
    c_den, f_den = _factor_list(den)
    coeff = c_num * c_den
    if not coeff.is_number or coeff.is_zero:
        return _finish(sp.expand(num * den), allowed, domain)
    sign = 1 if coeff > 0 else -1
    rest: list[tuple[sp.Expr, int, frozenset]] = []
    for f, k in f_num + f_den:
        key, s = canonical(f)
        if key.is_number:
            sign *= int(sp.sign(key)) ** k * s**k
            continue
        signs = domain.signs(key)
        if key in context:
            signs = signs & context[key]
        if s == -1 and k % 2:
            sign = -sign
        if not signs:
            return False
        if len(signs) == 1:
            (only,) = signs
            if only == 0:
                return 0 in allowed
            sign *= only**k
            continue
        rest.append((key, k, signs))
    target = allowed if sign > 0 else negate(allowed)
    if not rest:
        return 1 in target
    if len(rest) == 1:
        key, k, signs = rest[0]
        ok = frozenset(s for s in signs if s**k in target)
        if not ok:
            return False
        if ok == signs:
            return True
        return Atom(key, ok)
    # Several undetermined factors: keep their product as one atom.
    product_signs = {1}
    for _, k, signs in rest:
        product_signs = {a * (b**k) for a in product_signs for b in signs}
    if not (product_signs & target):
        return False
    if product_signs <= target:
        return True
    key = sp.Mul(*[f**k for f, k, _ in rest])
    ok = frozenset(product_signs & target)
    if key in context:
        ok &= context[key]
    return Atom(key, ok) if ok else False


def _finish(expr: sp.Expr, allowed: frozenset, domain: Domain) -> Atom | bool:
    key, s = canonical(expr)
    target = allowed if s > 0 else negate(allowed)
    signs = domain.signs(key)
    ok = signs & target
    if not ok:
        return False
    if ok == signs:
        return True
    return Atom(key, frozenset(ok))


# ------------------------------------------------------------------ cases
class Case:
    """A conjunction of atoms, kept simplified; ``None`` marks a contradiction.

    Parameters
    ----------
    domain : Domain
        The parameters' declared ranges.
    atoms : Mapping, optional
        Expression -> allowed signs.

    Examples
    --------
    >>> import sympy as sp
    >>> a = sp.Symbol("a", real=True)
    >>> domain = Domain([a], {"a": (0, 2)})
    >>> case = Case(domain)
    >>> case.add(a - 1, (1,))
    True
    >>> case.relational()
    a > 1
    """

    __slots__ = ("atoms", "domain")

    def __init__(self, domain: Domain, atoms: Mapping[sp.Expr, frozenset] | None = None):
        self.domain = domain
        self.atoms: dict[sp.Expr, frozenset] = dict(atoms or {})

    def copy(self) -> Case:
        """An independent copy.

        Returns
        -------
        Case
            The same atoms.

        Examples
        --------
        >>> import sympy as sp
        >>> a = sp.Symbol("a", real=True)
        >>> domain = Domain([a], {"a": (0, 2)})
        >>> case = Case(domain)
        >>> case.add(a - 1, (1,))
        True
        >>> other = case.copy()
        >>> other.add(a - 3, (1,)), case.relational()  # a > 3 is impossible when a <= 2
        (False, a > 1)
        """
        return Case(self.domain, self.atoms)

    def add(self, expr: sp.Expr, allowed: Iterable[int]) -> bool:
        """Conjoin ``sign(expr) in allowed``; return False when the case became impossible.

        Parameters
        ----------
        expr : sympy.Expr
            The expression.
        allowed : iterable of int
            Its allowed signs, a subset of {-1, 0, 1}.

        Returns
        -------
        bool
            ``False`` when no admissible point satisfies the case any more.

        Examples
        --------
        >>> import sympy as sp
        >>> a = sp.Symbol("a", real=True)
        >>> domain = Domain([a], {"a": (0, 2)})
        >>> Case(domain).add(a - 3, (1,))
        False
        """
        atom = normalise(expr, frozenset(allowed), self.domain, self.atoms)
        if atom is True:
            return True
        if atom is False:
            return False
        return self.add_atom(atom)

    def add_atom(self, atom: Atom) -> bool:
        """Conjoin an atom as it is (already normalised).

        Parameters
        ----------
        atom : Atom
            The condition.

        Returns
        -------
        bool
            ``False`` when the case became impossible.

        Examples
        --------
        >>> import sympy as sp
        >>> a = sp.Symbol("a", real=True)
        >>> domain = Domain([a], {"a": (0, 2)})
        >>> case = Case(domain)
        >>> case.add(a - 1, (1,))
        True
        >>> case.add_atom(Atom(a - 1, frozenset({-1})))
        False
        """
        current = self.atoms.get(atom.expr, ALL_SIGNS)
        new = current & atom.allowed
        if not new:
            return False
        if new == self.domain.signs(atom.expr):
            self.atoms.pop(atom.expr, None)
        else:
            self.atoms[atom.expr] = new
        return True

    def atom_list(self) -> tuple[Atom, ...]:
        """The atoms of the case.

        Returns
        -------
        tuple of Atom
            One per expression.

        Examples
        --------
        >>> import sympy as sp
        >>> a = sp.Symbol("a", real=True)
        >>> domain = Domain([a], {"a": (0, 2)})
        >>> case = Case(domain)
        >>> case.add(a - 1, (1,))
        True
        >>> case.atom_list()
        (Atom(expr=a - 1, allowed=frozenset({1})),)
        """
        return tuple(Atom(e, a) for e, a in self.atoms.items())

    @property
    def is_boundary(self) -> bool:
        """Whether some atom is an equality (the case lies on a boundary)."""
        return any(a == frozenset({0}) for a in self.atoms.values())

    def feasible(self) -> bool:
        """Infeasibility tests: atoms on one same parameter intersected exactly, and each
        equality solved for one parameter and substituted into the others.

        Returns
        -------
        bool
            ``False`` when the case is shown to be impossible.

        Examples
        --------
        >>> import sympy as sp
        >>> a = sp.Symbol("a", real=True)
        >>> domain = Domain([a], {"a": (0, 2)})
        >>> case = Case(domain)
        >>> case.add(a - 1, (1,))
        True
        >>> case.feasible()
        True
        """
        if not self._univariate_feasible():
            return False
        return self._equalities_feasible()

    def _univariate_feasible(self) -> bool:
        groups: dict[sp.Symbol, list[tuple[sp.Expr, frozenset]]] = {}
        for key, allowed in self.atoms.items():
            if len(key.free_symbols) == 1:
                (s,) = key.free_symbols
                groups.setdefault(s, []).append((key, allowed))
        for s, atoms in groups.items():
            if len(atoms) < 2:
                continue
            lo, hi = self.domain.bounds.get(s, (-math.inf, math.inf))
            region = solution_set(atoms[0][0], atoms[0][1], s, lo, hi)
            for key, allowed in atoms[1:]:
                if region is None:
                    break
                other = solution_set(key, allowed, s, lo, hi)
                region = None if other is None else region.intersect(other)
            if region is not None and region.is_empty:
                return False
        return True

    def _equalities_feasible(self) -> bool:
        for key, allowed in self.atoms.items():
            if allowed != frozenset({0}):
                continue
            for s in sorted(key.free_symbols, key=lambda t: t.name):
                if not key.is_polynomial(s) or sp.degree(key, s) != 1:
                    continue
                coeff = sp.expand(key).coeff(s, 1)
                if 0 in self.domain.signs(coeff):
                    continue
                solution = sp.expand(-(key - coeff * s) / coeff)
                other = Case(self.domain)
                for k2, a2 in self.atoms.items():
                    if k2 == key:
                        continue
                    if not other.add(k2.xreplace({s: solution}), a2):
                        return False
                # The solved parameter must lie inside its own assumptions.
                if not other.add(solution, self.domain.signs(s)):
                    return False
                lo, hi = self.domain.bounds.get(s, (-math.inf, math.inf))
                if hi != math.inf and not other.add(sp.Rational(hi) - solution, {0, 1}):
                    return False
                if lo != -math.inf and not other.add(solution - sp.Rational(lo), {0, 1}):
                    return False
                break
        return True

    def relational(self) -> sp.Basic:
        """The case as a SymPy conjunction.

        Returns
        -------
        sympy.Basic
            ``True`` for an empty case.

        Examples
        --------
        >>> import sympy as sp
        >>> a = sp.Symbol("a", real=True)
        >>> domain = Domain([a], {"a": (0, 2)})
        >>> case = Case(domain)
        >>> case.add(a - 1, (1,))
        True
        >>> case.relational()
        a > 1
        """
        rels = [Atom(e, a).relational() for e, a in self.atoms.items()]
        if not rels:
            return sp.true
        if len(rels) == 1:
            return rels[0]
        return sp.And(*rels, evaluate=False)


def solution_set(expr: sp.Expr, allowed: frozenset, s: sp.Symbol, lo: Any, hi: Any) -> sp.Set | None:
    """The exact set of ``s`` in the closed interval [lo, hi] where ``sign(expr)`` is allowed.

    ``None`` when SymPy cannot solve the inequality (the caller keeps the condition).

    Parameters
    ----------
    expr : sympy.Expr
        An expression of ``s``.
    allowed : frozenset of int
        Its allowed signs.
    s : sympy.Symbol
        The parameter.
    lo, hi : number
        The closed interval of ``s``.

    Returns
    -------
    sympy.Set or None
        Where the sign is allowed.

    Examples
    --------
    >>> import sympy as sp
    >>> a = sp.Symbol("a", real=True)
    >>> domain = Domain([a], {"a": (0, 2)})
    >>> solution_set(a - 1, frozenset({1}), a, 0, 2)
    Interval.Lopen(1, 2)
    """
    from sympy.solvers.inequalities import solve_univariate_inequality

    interval = sp.Interval(
        -sp.oo if lo == -math.inf else sp.Rational(lo), sp.oo if hi == math.inf else sp.Rational(hi)
    )
    relation = {
        _POS: sp.Gt,
        _NEG: sp.Lt,
        frozenset({0, 1}): sp.Ge,
        frozenset({-1, 0}): sp.Le,
        frozenset({0}): sp.Eq,
        frozenset({-1, 1}): sp.Ne,
    }.get(frozenset(allowed))
    if relation is None:
        return interval if frozenset(allowed) == ALL_SIGNS else sp.EmptySet
    # A real dummy: assumptions such as positive=True would make SymPy drop boundary points.
    t = sp.Dummy("t", real=True)
    rel = relation(expr.xreplace({s: t}), 0)
    if rel in (sp.true, sp.false):
        return interval if rel == sp.true else sp.EmptySet
    try:
        if relation in (sp.Eq, sp.Ne):
            roots = sp.solveset(rel.lhs, t, domain=interval)
            return roots if relation is sp.Eq else interval - roots
        return solve_univariate_inequality(rel, t, relational=False, domain=interval)
    except (NotImplementedError, ValueError, TypeError, BasePolynomialError):
        return None


def build_case(
    domain: Domain, conditions: Iterable[tuple[sp.Expr, Iterable[int]]], base: Case | None = None
) -> Case | None:
    """A case from ``(expr, allowed signs)`` conditions, or None when they contradict.

    Parameters
    ----------
    domain : Domain
        The parameters' declared ranges.
    conditions : iterable of (sympy.Expr, iterable of int)
        The conditions.
    base : Case, optional
        Conditions already known (copied, not changed).

    Returns
    -------
    Case or None
        The conjunction.

    Examples
    --------
    >>> import sympy as sp
    >>> a = sp.Symbol("a", real=True)
    >>> domain = Domain([a], {"a": (0, 2)})
    >>> build_case(domain, [(a - 1, (1,))]).relational()
    a > 1
    >>> build_case(domain, [(a - 1, (1,)), (a - 3, (1,))]) is None
    True
    """
    case = base.copy() if base is not None else Case(domain)
    for expr, allowed in conditions:
        if not case.add(expr, allowed):
            return None
    return case


# ------------------------------------------------------------------ evaluation
def exact_sign(expr: sp.Expr, values: Mapping[sp.Symbol, Any], tol: float) -> int:
    v = expr.xreplace(values)
    if not v.is_number:
        raise ParameterError(
            f"parameter(s) {', '.join(sorted(s.name for s in v.free_symbols))} have no value"
        )
    if v.has(sp.Float):
        f = float(v)
        if not math.isfinite(f):
            raise ParameterError(f"condition expression {expr} is {f} at these values")
        return 0 if abs(f) <= tol else (1 if f > 0 else -1)
    if v.is_zero:
        return 0
    return 1 if v.is_positive else -1


def sign_array(values: np.ndarray, tol: float) -> np.ndarray:
    """Signs of a float array, with |v| <= tol counted as zero."""
    out = np.sign(values).astype(np.int8)
    out[np.abs(values) <= tol] = 0
    return out


def allowed_bits(allowed: frozenset) -> int:
    return sum(1 << (s + 1) for s in allowed)
