"""Numbers and validation: one home for conversion, checks, seeds, formatting and work estimates.

Every module of ``alliance`` that turns a value into an exact, float or symbolic number,
checks that it is finite or lies in a range, takes a random seed, prints a number, or
decides whether a computation fits in memory and time does it through this module, so that
the rules below hold everywhere:

* **Exact where cheap.** Integers and fractions stay exact; a float is read through its
  shortest repr (``0.06`` is ``3/50``, the decimal the user typed), see :func:`as_exact` and
  :func:`to_sympy`.
* **Finite, in range, named.** A non-finite value or one outside its declared range is a
  :class:`~alliance.errors.ParameterError` whose message names the field
  (:func:`check_finite`, :func:`check_range`, :func:`check_probability`). Magnitudes above
  :data:`MAX_MAGNITUDE` count as non-finite: they overflow as soon as they are squared.
* **Seeds.** ``None``, an integer ``>= 0``, a :class:`numpy.random.SeedSequence` or a
  :class:`numpy.random.Generator` are accepted everywhere (:func:`as_seed_sequence`,
  :func:`as_generator`); anything else is a ``ParameterError``.
* **Work before allocation.** Solvers and Monte Carlo routines state their memory and time
  from the size of their input (:class:`WorkEstimate`) and refuse with a
  :class:`~alliance.errors.SizeLimitError` that says the estimate and the way out, before
  they allocate (:func:`check_work`). The limits are :data:`LIMITS`, overridable with the
  environment variables ``ALLIANCE_MEMORY_LIMIT`` (bytes, or ``"8GB"``) and
  ``ALLIANCE_TIME_LIMIT`` (seconds).

Examples
--------
>>> from fractions import Fraction
>>> as_exact(0.06), to_sympy(Fraction(1, 3)), format_number(0.3333333333)
(Fraction(3, 50), 1/3, '0.333333')
>>> check_probability(1.5, "pd of member 'A'")
Traceback (most recent call last):
...
alliance.errors.ParameterError: pd of member 'A' is 1.5; it must lie in [0, 1]
>>> as_seed_sequence(-1)
Traceback (most recent call last):
...
alliance.errors.ParameterError: seed is -1; it must be None, an integer >= 0, a numpy SeedSequence or a numpy Generator
"""

from __future__ import annotations

import math
import os
import re
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

import numpy as np
import sympy as sp

from alliance.errors import ParameterError, SizeLimitError

__all__ = [
    "MAX_MAGNITUDE",
    "LIMITS",
    "as_exact",
    "as_float",
    "to_sympy",
    "check_finite",
    "check_range",
    "check_probability",
    "check_expression",
    "evaluate",
    "pole_conditions",
    "as_seed",
    "as_seed_sequence",
    "as_generator",
    "child_seed",
    "format_number",
    "latex_number",
    "format_bytes",
    "format_count",
    "snake_case",
    "WorkEstimate",
    "check_work",
    "estimate_vertex_enumeration",
    "estimate_scenarios",
    "estimate_sweep",
    "estimate_trajectories",
]

#: Largest magnitude accepted for a number (as the expression parser's literals).
MAX_MAGNITUDE = 1e300


# ------------------------------------------------------------------ conversion
def _is_integer(value: Any) -> bool:
    return isinstance(value, (int, np.integer)) and not isinstance(value, (bool, np.bool_))


def as_exact(value: Any, field: str = "value") -> int | Fraction:
    """A finite number as an exact int or Fraction; a float through its shortest repr.

    Parameters
    ----------
    value : int, float, Fraction or numpy number
    field : str
        The name quoted in the error message.

    Raises
    ------
    ParameterError
        Not a number, not finite, or larger in magnitude than :data:`MAX_MAGNITUDE`.

    Returns
    -------
    int or Fraction
        The exact value (an int when it is whole).

    Examples
    --------
    >>> as_exact(0.06), as_exact(4.0), as_exact(Fraction(6, 3))
    (Fraction(3, 50), 4, 2)
    >>> as_exact(float("inf"), "payoff")
    Traceback (most recent call last):
    ...
    alliance.errors.ParameterError: payoff is inf; it must be a finite number
    """
    if _is_integer(value):
        out: int | Fraction = int(value)
    elif isinstance(value, Fraction):
        out = value
    elif isinstance(value, (float, np.floating)):
        f = float(value)
        if not math.isfinite(f):
            raise ParameterError(f"{field} is {f!r}; it must be a finite number")
        out = Fraction(repr(f))
    elif isinstance(value, sp.Rational):
        out = Fraction(int(value.p), int(value.q))
    elif isinstance(value, sp.Float):
        return as_exact(_sympy_float(value, field), field)
    else:
        raise ParameterError(f"{field} is {value!r}; it must be a number")
    if abs(out) > MAX_MAGNITUDE:
        raise ParameterError(
            f"{field} is {format_number(out)}; it must be a finite number of magnitude at most "
            f"{MAX_MAGNITUDE:g}"
        )
    if isinstance(out, Fraction) and out.denominator == 1:
        return int(out)
    return out


def _sympy_float(value: sp.Expr, field: str) -> float:
    try:
        f = float(value)
    except (OverflowError, TypeError, ValueError):
        raise ParameterError(f"{field} is {value}; it must be a finite real number") from None
    return f


def as_float(value: Any, field: str = "value") -> float:
    """A finite float of magnitude at most :data:`MAX_MAGNITUDE`.

    Parameters
    ----------
    value : number
        An int, float, Fraction, numpy or SymPy number.
    field : str, default "value"
        The name quoted in the error message.

    Returns
    -------
    float
        The value as a finite float.

    Examples
    --------
    >>> as_float(Fraction(1, 4))
    0.25
    >>> as_float("x", "rho")
    Traceback (most recent call last):
    ...
    alliance.errors.ParameterError: rho is 'x'; it must be a number
    """
    if isinstance(value, (bool, np.bool_, str, bytes)) or value is None:
        raise ParameterError(f"{field} is {value!r}; it must be a number")
    try:
        f = float(value)
    except OverflowError:
        raise ParameterError(f"{field} is too large; it must be a finite number") from None
    except (TypeError, ValueError):
        raise ParameterError(f"{field} is {value!r}; it must be a number") from None
    return check_finite(f, field)


def to_sympy(value: Any, *, exact: bool = True) -> sp.Expr:
    """A number (or an expression, returned unchanged) as a SymPy object.

    ``exact=True`` reads floats through their shortest repr (``0.06`` is ``3/50``);
    ``exact=False`` keeps them as SymPy Floats.

    Parameters
    ----------
    value : number or sympy.Basic
        The number (or expression) to convert.
    exact : bool, default True
        Read floats as exact rationals through their shortest repr.

    Returns
    -------
    sympy.Expr
        The SymPy number (or the expression unchanged).

    Examples
    --------
    >>> to_sympy(Fraction(3, 4)), to_sympy(0.06), to_sympy(0.06, exact=False), to_sympy(2)
    (3/4, 3/50, 0.0600000000000000, 2)
    """
    if isinstance(value, sp.Basic):
        return value
    if isinstance(value, Fraction):
        return sp.Rational(value.numerator, value.denominator)
    if _is_integer(value):
        return sp.Integer(int(value))
    if isinstance(value, (bool, np.bool_)):
        raise ParameterError(f"value {value!r} is a boolean; a number is needed")
    if exact:
        f = as_exact(value)
        return sp.Rational(f.numerator, f.denominator) if isinstance(f, Fraction) else sp.Integer(f)
    return sp.Float(as_float(value))


# ------------------------------------------------------------------ checks
def check_finite(value: Any, field: str = "value") -> Any:
    """Return ``value`` (a number or an array) if every entry is finite, else ParameterError.

    Parameters
    ----------
    value : number or array_like
        The value to check.
    field : str, default "value"
        The name quoted in the error message.

    Returns
    -------
    number or numpy.ndarray
        A scalar unchanged, an array as a float array.

    Examples
    --------
    >>> check_finite([1.0, 2.0], "pd").tolist()
    [1.0, 2.0]
    >>> check_finite([1.0, float("nan")], "pd of members")
    Traceback (most recent call last):
    ...
    alliance.errors.ParameterError: pd of members has a non-finite entry (nan at position 1)
    """
    if np.ndim(value) == 0 and not isinstance(value, np.ndarray):
        try:
            f = float(value)
        except OverflowError:
            raise ParameterError(
                f"{field} is {format_number(value)}; it must be finite (magnitude at most "
                f"{MAX_MAGNITUDE:g})"
            ) from None
        except (TypeError, ValueError):
            raise ParameterError(f"{field} is {value!r}; it must be a number") from None
        if not math.isfinite(f) or abs(f) > MAX_MAGNITUDE:
            raise ParameterError(
                f"{field} is {value!r}; it must be finite"
                + ("" if not math.isfinite(f) else f" (magnitude at most {MAX_MAGNITUDE:g})")
            )
        return value
    arr = np.asarray(value, dtype=float)
    bad = ~np.isfinite(arr) | (np.abs(np.nan_to_num(arr)) > MAX_MAGNITUDE)
    if bad.any():
        where = tuple(int(i) for i in np.argwhere(bad)[0])
        at = where[0] if len(where) == 1 else where
        raise ParameterError(
            f"{field} has a non-finite entry ({float(arr[where])!r} at position {at})"
        )
    return arr


def check_range(
    value: Any,
    field: str,
    lo: float | None = None,
    hi: float | None = None,
    *,
    lo_open: bool = False,
    hi_open: bool = False,
) -> float:
    """A finite float in the interval from ``lo`` to ``hi`` (closed unless ``*_open``).

    Parameters
    ----------
    value : number
        The value to check.
    field : str
        The name quoted in the error message.
    lo, hi : float, optional
        The bounds (``None``: unbounded on that side).
    lo_open, hi_open : bool, default False
        Exclude the bound itself.

    Returns
    -------
    float
        The value as a float.

    Examples
    --------
    >>> check_range(0.3, "rho", 0, 1, hi_open=True)
    0.3
    >>> check_range(1.0, "rho", 0, 1, hi_open=True)
    Traceback (most recent call last):
    ...
    alliance.errors.ParameterError: rho is 1.0; it must lie in [0, 1)
    """
    f = as_float(value, field)
    too_low = lo is not None and (f <= lo if lo_open else f < lo)
    too_high = hi is not None and (f >= hi if hi_open else f > hi)
    if too_low or too_high:
        raise ParameterError(f"{field} is {value!r}; it must {_interval(lo, hi, lo_open, hi_open)}")
    return f


def _interval(lo: float | None, hi: float | None, lo_open: bool, hi_open: bool) -> str:
    if lo is not None and hi is not None:
        return f"lie in {'(' if lo_open else '['}{lo:g}, {hi:g}{')' if hi_open else ']'}"
    if lo is not None:
        return f"be {'above' if lo_open else 'at least'} {lo:g}"
    if hi is not None:
        return f"be {'below' if hi_open else 'at most'} {hi:g}"
    return "be finite"


def check_probability(
    value: Any, field: str, *, lo_open: bool = False, hi_open: bool = False
) -> Any:
    """A probability (a number or an array) in [0, 1]; the bounds can be opened.

    Arrays are checked entry by entry and returned as float arrays; the message names the
    first entry at fault.

    Parameters
    ----------
    value : number or array_like
        The probability, or an array of them.
    field : str
        The name quoted in the error message.
    lo_open, hi_open : bool, default False
        Exclude 0 (``lo_open``) or 1 (``hi_open``).

    Returns
    -------
    float or numpy.ndarray
        The value as a float, or the array as a float array.

    Examples
    --------
    >>> check_probability(0.25, "void_prob")
    0.25
    >>> check_probability([0.1, 1.2], "pd of members")
    Traceback (most recent call last):
    ...
    alliance.errors.ParameterError: pd of members has 1.2 at position 1; it must lie in [0, 1]
    """
    if np.ndim(value) == 0 and not isinstance(value, np.ndarray):
        return check_range(value, field, 0.0, 1.0, lo_open=lo_open, hi_open=hi_open)
    arr = check_finite(value, field)
    bad = ((arr <= 0) if lo_open else (arr < 0)) | ((arr >= 1) if hi_open else (arr > 1))
    if bad.any():
        where = tuple(int(i) for i in np.argwhere(bad)[0])
        at = where[0] if len(where) == 1 else where
        raise ParameterError(
            f"{field} has {float(arr[where])!r} at position {at}; it must "
            f"{_interval(0, 1, lo_open, hi_open)}"
        )
    return arr


def check_expression(expr: sp.Expr, field: str = "expression") -> sp.Expr:
    """Refuse a constant expression that is not a finite real number of bounded magnitude.

    Expressions with free symbols pass unchanged (they are checked when evaluated).

    Parameters
    ----------
    expr : sympy.Expr
        The expression to check.
    field : str, default "expression"
        The name quoted in the error message.

    Returns
    -------
    sympy.Expr
        The expression unchanged.

    Examples
    --------
    >>> check_expression(sp.Float(1e300) * sp.Float(1e300), "payoff")
    Traceback (most recent call last):
    ...
    alliance.errors.ParameterError: payoff evaluates to 1.00E+600; it must be finite (magnitude at most 1e+300)
    """
    if not isinstance(expr, sp.Basic) or expr.free_symbols:
        return expr
    if expr.has(sp.zoo, sp.oo, -sp.oo, sp.nan):
        raise ParameterError(f"{field} evaluates to {expr}; it must be finite")
    try:
        value = complex(expr.evalf(20))
    except (OverflowError, TypeError, ValueError):
        raise ParameterError(f"{field} evaluates to {expr}; it must be a finite number") from None
    if not (math.isfinite(value.real) and math.isfinite(value.imag)) or abs(value) > MAX_MAGNITUDE:
        shown = sp.N(expr, 3)
        raise ParameterError(
            f"{field} evaluates to {shown}; it must be finite (magnitude at most {MAX_MAGNITUDE:g})"
        )
    return expr


def evaluate(expr: Any, values: Any = None, field: str = "expression") -> float:
    """Evaluate an expression at ``values`` to a finite float; overflow is a ParameterError.

    Parameters
    ----------
    expr : sympy.Expr or number
        The expression.
    values : mapping, optional
        Values of its symbols (keys are symbols or their names).
    field : str, default "expression"
        The name quoted in the error message.

    Returns
    -------
    float
        The finite value (the real part).

    Examples
    --------
    >>> r = sp.Symbol("r")
    >>> evaluate(2 * r, {r: 0.5})
    1.0
    >>> evaluate(r**1000, {r: 1e300}, "payoff of Bank")
    Traceback (most recent call last):
    ...
    alliance.errors.ParameterError: payoff of Bank at r=1e+300 evaluates to 1.00E+300000; it must be finite (magnitude at most 1e+300)
    """
    expr = to_sympy(expr, exact=False)
    label = field
    if values:
        expr = expr.subs({(sp.Symbol(k) if isinstance(k, str) else k): v for k, v in values.items()})
        label = f"{field} at " + ", ".join(
            f"{k}={format_number(v)}" for k, v in values.items()
        )
    if expr.free_symbols:
        names = ", ".join(sorted(s.name for s in expr.free_symbols))
        raise ParameterError(f"{label} still depends on {names}; give their values")
    check_expression(expr, label)
    return float(sp.re(expr.evalf(20)))


def pole_conditions(expressions: Any) -> list[sp.Expr]:
    """The conditions ``denominator != 0`` of every symbolic denominator in the expressions.

    A payoff such as ``1/(r - 1)`` is undefined at ``r = 1``: conditions derived from it
    must exclude the pole.

    Parameters
    ----------
    expressions : iterable of sympy.Expr or numbers
        The expressions to scan (numbers are skipped).

    Returns
    -------
    list of sympy.Expr
        One ``Ne(denominator, 0)`` per distinct symbolic denominator, in order of appearance.

    Examples
    --------
    >>> r = sp.Symbol("r", real=True)
    >>> pole_conditions([1 / (r - 1), r**2, 3])
    [Ne(r - 1, 0)]
    """
    found: dict[sp.Expr, sp.Expr] = {}
    for expr in expressions:
        if not isinstance(expr, sp.Basic) or not expr.free_symbols:
            continue
        for part in sp.preorder_traversal(expr):
            if isinstance(part, sp.Pow) and part.exp.is_number and part.exp.is_negative:
                base = part.base
                if base.free_symbols and base not in found:
                    found[base] = sp.Ne(base, 0)
    return list(found.values())


# ------------------------------------------------------------------ seeds
_SEED_HELP = "it must be None, an integer >= 0, a numpy SeedSequence or a numpy Generator"


def as_seed_sequence(seed: Any, *, field: str = "seed") -> np.random.SeedSequence:
    """The :class:`numpy.random.SeedSequence` of a seed.

    ``None`` draws fresh entropy; an integer ``>= 0`` is the entropy; a SeedSequence is
    returned as is; a Generator gives a child sequence drawn from it (advancing it, so two
    calls with the same Generator give different scenarios, as numpy's own functions do).

    Parameters
    ----------
    seed : None, int, SeedSequence or Generator
        The seed.
    field : str, default "seed"
        The name quoted in the error message.

    Returns
    -------
    numpy.random.SeedSequence
        The seed sequence.

    Examples
    --------
    >>> as_seed_sequence(7).entropy
    7
    >>> as_seed_sequence("abc")
    Traceback (most recent call last):
    ...
    alliance.errors.ParameterError: seed is 'abc'; it must be None, an integer >= 0, a numpy SeedSequence or a numpy Generator
    """
    if seed is None:
        return np.random.SeedSequence()
    if isinstance(seed, np.random.SeedSequence):
        return seed
    if isinstance(seed, np.random.Generator):
        return np.random.SeedSequence(
            [int(v) for v in seed.integers(0, 2**32, size=4, dtype=np.uint64)]
        )
    if _is_integer(seed) and int(seed) >= 0:
        return np.random.SeedSequence(int(seed))
    raise ParameterError(f"{field} is {seed!r}; {_SEED_HELP}")


def as_seed(seed: Any, *, field: str = "seed") -> int | None:
    """A seed as ``None`` or an integer ``>= 0``: a form that prints, pickles and goes into JSON.

    Integers and ``None`` pass unchanged; a SeedSequence or a Generator becomes a 128-bit
    integer derived from it (a Generator is advanced by the draw).

    Parameters
    ----------
    seed : None, int, SeedSequence or Generator
        The seed.
    field : str, default "seed"
        The name quoted in the error message.

    Returns
    -------
    int or None
        The seed as an integer ``>= 0``, or ``None``.

    Examples
    --------
    >>> as_seed(2024), as_seed(None)
    (2024, None)
    >>> as_seed(np.random.SeedSequence(1)) == as_seed(np.random.SeedSequence(1))
    True
    >>> as_seed(1.5)
    Traceback (most recent call last):
    ...
    alliance.errors.ParameterError: seed is 1.5; it must be None, an integer >= 0, a numpy SeedSequence or a numpy Generator
    """
    if seed is None:
        return None
    if _is_integer(seed):
        as_seed_sequence(seed, field=field)
        return int(seed)
    words = as_seed_sequence(seed, field=field).generate_state(2, dtype=np.uint64)
    return int(words[0]) << 64 | int(words[1])


def as_generator(seed: Any, *, field: str = "seed") -> np.random.Generator:
    """A :class:`numpy.random.Generator` from any accepted seed (a Generator is returned as is).

    Parameters
    ----------
    seed : None, int, SeedSequence or Generator
        The seed.
    field : str, default "seed"
        The name quoted in the error message.

    Returns
    -------
    numpy.random.Generator
        The generator.

    Examples
    --------
    >>> float(as_generator(3).random()) == float(np.random.default_rng(3).random())
    True
    """
    if isinstance(seed, np.random.Generator):
        return seed
    return np.random.default_rng(as_seed_sequence(seed, field=field))


def child_seed(seed: Any, stream: int, *, field: str = "seed") -> np.random.SeedSequence:
    """An independent stream ``stream`` of a seed, reproducible from the seed.

    For an integer ``s`` this is ``SeedSequence([s, stream])``, so results stored from
    integer seeds do not change.

    Parameters
    ----------
    seed : None, int, SeedSequence or Generator
        The parent seed.
    stream : int
        Number of the stream, ``>= 0``.
    field : str, default "seed"
        The name quoted in the error message.

    Returns
    -------
    numpy.random.SeedSequence
        The stream's seed sequence.

    Examples
    --------
    >>> child_seed(5, 7).entropy
    [5, 7]
    """
    if _is_integer(seed) and int(seed) >= 0:
        return np.random.SeedSequence([int(seed), int(stream)])
    ss = as_seed_sequence(seed, field=field)
    return np.random.SeedSequence(ss.entropy, spawn_key=(*ss.spawn_key, int(stream)))


# ------------------------------------------------------------------ formatting
def format_number(value: Any, digits: int = 6) -> str:
    """Format a probability or payoff for reading: fractions stay fractions, floats are rounded.

    The one number policy of the package's text (reprs, reports, CSV files and TOML
    comments): exact numbers (ints, Fractions) are written exactly (in scientific notation
    from ``10**20``); floats are rounded to ``digits`` significant digits with Python's
    ``g`` format, whole floats below ``10**15`` without a decimal point, and ``nan`` and
    ``inf`` as such.

    Parameters
    ----------
    value : number
        An int, Fraction, float or numpy number (anything else is written with ``str``).
    digits : int, default 6
        Significant digits of a float.

    Returns
    -------
    str
        The number as text.

    Examples
    --------
    >>> format_number(Fraction(1, 3)), format_number(0.3333333333), format_number(2.0)
    ('1/3', '0.333333', '2')
    >>> format_number(float("nan")), format_number(float("inf")), format_number(10**400 // 3)
    ('nan', 'inf', '3.33333e+399')
    """
    if isinstance(value, (Fraction, int, np.integer)) and not isinstance(value, bool):
        value = Fraction(int(value)) if _is_integer(value) else value
        if abs(value) >= 10**20:
            return _scientific(value, digits)
        return str(value.numerator) if value.denominator == 1 else str(value)
    try:
        v = float(value)
    except (TypeError, ValueError, OverflowError):
        return str(value)
    if not math.isfinite(v):
        return str(v)
    if v == int(v) and abs(v) < 1e15:
        return str(int(v))
    return f"{v:.{digits}g}"


def _scientific(value: Fraction, digits: int) -> str:
    # Exact numbers too large for a float: the exponent from logarithms of the integers
    # (math.log10 takes integers of any size; str() of a huge integer is refused).
    sign = "-" if value < 0 else ""
    value = abs(value)
    lg = math.log10(value.numerator) - math.log10(value.denominator)
    exponent = math.floor(lg)
    mantissa = 10 ** (lg - exponent)
    return f"{sign}{mantissa:.{digits}g}e{exponent:+d}"


def latex_number(value: Any) -> str:
    """LaTeX for a number: ``\\frac{1}{3}`` for fractions, rounded decimals for floats.

    Parameters
    ----------
    value : number or sympy.Basic
        The number.

    Returns
    -------
    str
        LaTeX source (without dollar signs).

    Examples
    --------
    >>> latex_number(Fraction(-1, 3)), latex_number(0.5)
    ('-\\\\frac{1}{3}', '0.5')
    """
    if isinstance(value, Fraction) and value.denominator != 1:
        sign = "-" if value < 0 else ""
        return rf"{sign}\frac{{{abs(value.numerator)}}}{{{value.denominator}}}"
    if isinstance(value, sp.Basic):
        return sp.latex(value)
    return format_number(value)


def format_bytes(n: float) -> str:
    """Bytes for reading, in binary units.

    Parameters
    ----------
    n : float
        A number of bytes.

    Returns
    -------
    str
        The size with three significant digits and its binary unit.

    Examples
    --------
    >>> format_bytes(8 * 10**12), format_bytes(512)
    ('7.28 TiB', '512 B')
    """
    n = float(n)
    for unit in ("B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"):
        if abs(n) < 1024 or unit == "EiB":
            return f"{n:.0f} {unit}" if unit == "B" else f"{n:.3g} {unit}"
        n /= 1024
    return f"{n:.3g} EiB"  # pragma: no cover


def format_count(n: int, noun: str, plural: str | None = None) -> str:
    """A count with its noun in the right number: ``1 guarantee institution``, ``2 funds``.

    Parameters
    ----------
    n : int
        The count.
    noun : str
        The noun in the singular.
    plural : str, optional
        The plural when it is not ``noun + "s"`` (``"guarantee circles"`` is regular,
        ``"analyses"`` is not).

    Returns
    -------
    str
        ``"<n> <noun>"`` with the singular for exactly one, else the plural.

    Examples
    --------
    >>> format_count(1, "guarantee institution"), format_count(0, "fund")
    ('1 guarantee institution', '0 funds')
    >>> format_count(2, "analysis", "analyses")
    '2 analyses'
    """
    word = noun if n == 1 else (plural if plural is not None else noun + "s")
    return f"{n} {word}"


def snake_case(text: str) -> str:
    """A column name in snake_case: lower case, words joined by ``_``.

    The report's CSV headers and the ``to_frame()`` columns use these names.

    Parameters
    ----------
    text : str
        A name in words (``"Alliance limit"``, ``"payoff Bank"``).

    Returns
    -------
    str
        The snake_case name (letters of other alphabets are kept).

    Examples
    --------
    >>> snake_case("Alliance limit"), snake_case("payoff Bank"), snake_case("u(SME 2)")
    ('alliance_limit', 'payoff_bank', 'u_sme_2')
    """
    return re.sub(r"[^\w]+", "_", text.strip().lower()).strip("_")


# ------------------------------------------------------------------ work estimates
def _env_bytes(name: str, default: float) -> float:
    text = os.environ.get(name)
    if not text:
        return default
    m = re.fullmatch(r"\s*([0-9.eE+]+)\s*([KMGT]?)(i?B)?\s*", text, flags=re.IGNORECASE)
    if not m:
        return default
    scale = {"": 1, "K": 2**10, "M": 2**20, "G": 2**30, "T": 2**40}[m.group(2).upper()]
    try:
        return float(m.group(1)) * scale
    except ValueError:
        return default


def _env_float(name: str, default: float) -> float:
    try:
        return float(os.environ.get(name, default))
    except ValueError:
        return default


#: The budget a single call may use before it is refused: ``memory_bytes`` (default 4 GiB,
#: env ``ALLIANCE_MEMORY_LIMIT``), ``seconds`` (default 600, env ``ALLIANCE_TIME_LIMIT``)
#: and the assumed speed ``operations_per_second`` of vectorised NumPy work on one core.
#: Change the dict to raise or lower the limits for a session.
LIMITS: dict[str, float] = {
    "memory_bytes": _env_bytes("ALLIANCE_MEMORY_LIMIT", 4 * 2**30),
    "seconds": _env_float("ALLIANCE_TIME_LIMIT", 600.0),
    "operations_per_second": 1e9,
}


@dataclass(frozen=True)
class WorkEstimate:
    """Memory and time a computation will need, estimated from its input's size.

    Parameters
    ----------
    task : str
        What is estimated (``"vertex enumeration of a 200x200 game"``).
    memory_bytes : float
        Peak memory, in bytes (an upper estimate).
    operations : float
        Floating-point operations (time = operations / ``LIMITS["operations_per_second"]``).
    way_out : str
        What to do instead when it is too large.

    Examples
    --------
    >>> est = WorkEstimate("a test", memory_bytes=2**20, operations=1e9, way_out="")
    >>> str(est), est.fits
    ('a test needs about 1 MiB and 1 s', True)
    """

    task: str
    memory_bytes: float
    operations: float
    way_out: str

    @property
    def seconds(self) -> float:
        """Estimated seconds at ``LIMITS["operations_per_second"]``."""
        return self.operations / LIMITS["operations_per_second"]

    @property
    def fits(self) -> bool:
        """True when both memory and time are within :data:`LIMITS`."""
        return self.memory_bytes <= LIMITS["memory_bytes"] and self.seconds <= LIMITS["seconds"]

    def __str__(self) -> str:
        return (
            f"{self.task} needs about {format_bytes(self.memory_bytes)} and "
            f"{_format_seconds(self.seconds)}"
        )


def _format_seconds(s: float) -> str:
    if s < 120:
        return f"{s:.2g} s"
    if s < 2 * 3600:
        return f"{s / 60:.3g} min"
    if s < 2 * 86400:
        return f"{s / 3600:.3g} h"
    if s < 2 * 365 * 86400:
        return f"{s / 86400:.3g} days"
    return f"{s / (365 * 86400):.3g} years"


def check_work(estimate: WorkEstimate) -> WorkEstimate:
    """Refuse an estimate beyond :data:`LIMITS` with a SizeLimitError; else return it.

    Parameters
    ----------
    estimate : WorkEstimate
        The estimate to check.

    Returns
    -------
    WorkEstimate
        The estimate, when it fits.

    Raises
    ------
    SizeLimitError
        When it needs more memory or time than :data:`LIMITS`.

    Examples
    --------
    >>> check_work(estimate_scenarios(10**12, 1))
    Traceback (most recent call last):
    ...
    alliance.errors.SizeLimitError: drawing 1000000000000 scenarios of 1 member needs about 14.7 TiB and 5.56 h; the limits are 4 GiB and 10 min (alliance.numbers.LIMITS). Use fewer scenarios: 10**8 fit (the standard error falls as 1/sqrt(scenarios)), or scenarios='exact' for up to 20 members with 0 < pd < 1
    """
    if not estimate.fits:
        raise SizeLimitError(
            f"{estimate}; the limits are {format_bytes(LIMITS['memory_bytes'])} and "
            f"{_format_seconds(LIMITS['seconds'])} (alliance.numbers.LIMITS). {estimate.way_out}"
        )
    return estimate


def _upper_bound_vertices(d: int, k: int) -> float:
    """McMullen's upper bound on the vertices of a d-polytope with k facets (as a float)."""
    if k <= d:
        return 1.0
    lo, hi = d // 2, (d + 1) // 2
    return float(math.comb(k - hi, lo) + math.comb(k - lo - 1, hi - 1))


def estimate_vertex_enumeration(m: int, n: int, *, max_bases: int = 500_000) -> WorkEstimate:
    """Work of enumerating the extreme equilibria of an ``m x n`` bimatrix game.

    The search visits the feasible bases of the two best-response polytopes, of dimensions
    ``m`` and ``n`` with ``m + n`` facets; their number is at most McMullen's upper bound
    and at most ``max_bases``. Each basis stores its ``d`` indices and vertex and its labels
    (``(2d + m + n) * 8`` bytes) and costs a ``d x d`` inverse and a ``d x (m + n)`` product.

    Parameters
    ----------
    m, n : int
        Numbers of the two players' pure strategies.
    max_bases : int, default 500_000
        Most bases the search visits.

    Returns
    -------
    WorkEstimate
        Memory and operations of the search.

    Examples
    --------
    >>> estimate_vertex_enumeration(2, 2).fits, estimate_vertex_enumeration(200, 200).fits
    (True, False)
    """
    rows = m + n
    memory = 0.0
    ops = 0.0
    for d in (m, n):
        bases = min(_upper_bound_vertices(d, rows), float(max_bases))
        memory += bases * (2 * d + rows) * 8
        ops += bases * (d**3 + d * d * rows)
    batch = min(4096.0, float(max_bases))
    memory += batch * max(m, n) * rows * 8 * 3
    return WorkEstimate(
        f"vertex enumeration of a {m}x{n} game",
        memory,
        ops,
        "Use method='lemke_howson' for some equilibria of a large game, or "
        "eliminate_dominated() first",
    )


def estimate_scenarios(n_scenarios: int, n_nodes: int, n_sectors: int = 0) -> WorkEstimate:
    """Work of drawing ``n_scenarios`` Monte Carlo default scenarios of ``n_nodes`` members.

    The common (and sector) factors are drawn for all scenarios at once (8 bytes each), and
    the idiosyncratic draws in chunks; the defaults are kept as a sparse matrix. Memory is
    estimated with every member defaulting in one scenario in a hundred.

    Parameters
    ----------
    n_scenarios : int
        Number of scenarios.
    n_nodes : int
        Number of members.
    n_sectors : int, default 0
        Number of sector factors.

    Returns
    -------
    WorkEstimate
        Memory and operations of the draws.

    Examples
    --------
    >>> estimate_scenarios(10_000, 1_000).fits
    True
    """
    s = float(n_scenarios)
    memory = s * 8 * (1 + n_sectors) + s * max(n_nodes, 1) * 0.01 * 12 + s * 8
    ops = s * max(n_nodes, 1) * 20
    fit = max(1.0, LIMITS["memory_bytes"] / max(memory / max(s, 1.0), 1.0))
    fit = min(fit, LIMITS["seconds"] * LIMITS["operations_per_second"] / max(n_nodes, 1) / 20)
    exponent = int(math.floor(math.log10(fit)))
    return WorkEstimate(
        f"drawing {int(n_scenarios)} scenarios of {n_nodes} member{'s' if n_nodes != 1 else ''}",
        memory,
        ops,
        f"Use fewer scenarios: 10**{exponent} fit (the standard error falls as "
        "1/sqrt(scenarios)), or scenarios='exact' for up to 20 members with 0 < pd < 1",
    )


def estimate_sweep(n_points: int, n_columns: int) -> WorkEstimate:
    """Work of a parameter sweep over ``n_points`` points with ``n_columns`` result columns.

    The result is one table in memory (8 bytes a cell, twice while the chunks are joined);
    each point is evaluated at a few hundred operations.

    Parameters
    ----------
    n_points : int
        Number of grid points.
    n_columns : int
        Number of result columns.

    Returns
    -------
    WorkEstimate
        Memory and operations of the sweep.

    Examples
    --------
    >>> estimate_sweep(101 * 101, 4).fits, estimate_sweep(10**12, 4).fits
    (True, False)
    """
    memory = float(n_points) * max(n_columns, 1) * 8 * 2
    return WorkEstimate(
        f"sweeping {int(n_points)} points",
        memory,
        float(n_points) * 300,
        "Sweep a coarser grid, or split the grid into parts and write each part to a file",
    )


def estimate_trajectories(n_starts: int, n_times: int, dimension: int) -> WorkEstimate:
    """Work of integrating ``n_starts`` trajectories of a ``dimension``-dimensional dynamic,
    stored at ``n_times`` output times (8 bytes a value; about ten work arrays of the states
    for the Runge–Kutta stages; some thousand operations a stored point).

    Parameters
    ----------
    n_starts : int
        Number of starting points.
    n_times : int
        Number of stored output times.
    dimension : int
        Dimension of the state.

    Returns
    -------
    WorkEstimate
        Memory and operations of the integration.

    Examples
    --------
    >>> estimate_trajectories(100, 201, 3).fits, estimate_trajectories(10**6, 10**5, 3).fits
    (True, False)
    """
    stored = float(n_starts) * n_times * dimension
    return WorkEstimate(
        f"integrating {int(n_starts)} trajectories at {int(n_times)} times",
        stored * 8 + float(n_starts) * dimension * 8 * 10,
        stored * 1000,
        "Store fewer output times (t as an end time gives 201), or integrate the starting "
        "points in batches",
    )
