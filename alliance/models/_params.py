"""Parameter metadata of the domain models: what each parameter means and where it may lie.

Every factory in :mod:`alliance.models` declares its parameters once, as a :class:`ModelInfo`
holding :class:`Parameter` records (name, LaTeX symbol, meaning, unit, admissible range,
default and the source of the default). The same record

* validates the values a user passes (a :class:`~alliance.errors.ParameterError` naming the
  parameter and the value: ``"enforcement probability pi is 1.3; it must lie in [0, 1]"``),
* gives the SymPy symbol with the assumptions that let conditions simplify, and
* fills the table of :func:`alliance.models.describe`.

Examples
--------
>>> p = Parameter("pi", r"\\pi", "enforcement probability", "probability", 0, 1, default=0.5,
...               source="illustrative")
>>> p.range_text
'[0, 1]'
>>> p.check(1.3)
Traceback (most recent call last):
...
alliance.errors.ParameterError: enforcement probability pi is 1.3; it must lie in [0, 1]
"""

from __future__ import annotations

import html
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from numbers import Real
from typing import Any

import numpy as np
import pandas as pd
import sympy as sp

from alliance.errors import ParameterError
from alliance.expr import make_symbol
from alliance.numbers import to_sympy

__all__ = [
    "Parameter",
    "ModelInfo",
    "resolve_parameters",
    "as_exact",
    "attach_info",
    "LOAN_PRINCIPAL",
    "INTEREST_RATE",
    "BANK_RESERVATION_RETURN",
    "INFORMAL_RATE",
]


def as_exact(value: Any) -> sp.Expr:
    """A number as an exact SymPy rational (a float is read through its shortest repr).

    ``0.06`` becomes ``3/50``: the decimal the user typed, not the binary float, so numeric
    games built at the defaults are exact and their equilibria are exact fractions.
    """
    return to_sympy(value, exact=True)


@dataclass(frozen=True)
class Parameter:
    """One documented parameter of a model.

    Parameters
    ----------
    name : str
        The keyword of the factory and the name of the SymPy symbol (``"pi"``).
    symbol : str
        The LaTeX symbol (``r"\\pi"``).
    meaning : str
        What the parameter is, in an economist's words.
    unit : str
        ``"money"`` (monetary units, e.g. 10 000 CNY), ``"rate"`` (per loan period),
        ``"probability"``, ``"share"``, ``"count"``...
    lo, hi : float
        The admissible range; ``math.inf`` for an open end.
    lo_open, hi_open : bool
        Whether the bound itself is excluded.
    default : float
        The default value.
    source : str
        Where the default comes from.
    modes : tuple of str or None
        The modes of a multi-mode factory that use the parameter (``None``: all).

    Raises
    ------
    ParameterError
        If ``lo > hi`` or the default lies outside the range.

    Examples
    --------
    >>> from alliance.models.describe import model_info
    >>> info = model_info("lending_game")
    >>> p = info["pi"]
    >>> p.meaning, p.unit, p.range_text, p.default
    ('enforcement probability', 'probability', '[0, 1]', 0.5)
    """

    name: str
    symbol: str
    meaning: str
    unit: str
    lo: float
    hi: float
    lo_open: bool = False
    hi_open: bool = False
    default: float | Fraction = 0.0
    source: str = ""
    modes: tuple[str, ...] | None = None

    def __post_init__(self) -> None:
        if not self.lo <= self.hi:
            raise ParameterError(
                f"range of parameter {self.name} is [{self.lo}, {self.hi}]; it needs lo <= hi"
            )
        if not self.contains(self.default):
            raise ParameterError(
                f"default of parameter {self.name} is {self.default}; it must lie in {self.range_text}"
            )

    # ------------------------------------------------------------------ range
    @property
    def range_text(self) -> str:
        """The range in interval notation, e.g. ``"(0, ∞)"`` or ``"[0, 1]"``."""

        def fmt(x: float) -> str:
            if math.isinf(x):
                return "∞" if x > 0 else "-∞"
            return f"{x:g}"

        left = "(" if self.lo_open or math.isinf(self.lo) else "["
        right = ")" if self.hi_open or math.isinf(self.hi) else "]"
        return f"{left}{fmt(self.lo)}, {fmt(self.hi)}{right}"

    def contains(self, value: Any) -> bool:
        """Whether a number lies in the admissible range.

        Parameters
        ----------
        value : float
            The number to test.

        Returns
        -------
        bool
            ``True`` inside the range (open ends excluded); ``False`` for NaN and infinity.

        Examples
        --------
        >>> from alliance.models.describe import model_info
        >>> info = model_info("lending_game")
        >>> info["pi"].contains(0.3), info["pi"].contains(1.2)
        (True, False)
        """
        v = float(value)
        if not math.isfinite(v):
            return False
        above = v > self.lo if self.lo_open else v >= self.lo
        below = v < self.hi if self.hi_open else v <= self.hi
        return above and below

    def check(self, value: Any) -> Any:
        """Return ``value`` if it is an admissible number; raise :class:`ParameterError` if not.

        Parameters
        ----------
        value : float
            The number to check.

        Returns
        -------
        float
            ``value`` unchanged.

        Raises
        ------
        ParameterError
            If ``value`` is not a real number (a bool is refused) or lies outside the range;
            the message names the parameter.

        Examples
        --------
        >>> from alliance.models.describe import model_info
        >>> info = model_info("lending_game")
        >>> info["pi"].check(0.3)
        0.3
        >>> info["pi"].check(1.2)
        Traceback (most recent call last):
        ...
        alliance.errors.ParameterError: enforcement probability pi is 1.2; it must lie in [0, 1]
        """
        if isinstance(value, bool) or not isinstance(value, (Real, np.integer, np.floating)):
            raise ParameterError(
                f"{self.meaning} {self.name} is {value!r}; it must be a number in {self.range_text}"
            )
        if not self.contains(value):
            raise ParameterError(
                f"{self.meaning} {self.name} is {value!r}; it must lie in {self.range_text}"
            )
        return value

    # ------------------------------------------------------------------ symbols
    @property
    def assumption(self) -> str:
        """The SymPy assumption implied by the range (used for the symbol)."""
        if self.lo > 0 or (self.lo == 0 and self.lo_open):
            return "positive"
        if self.lo == 0 and self.hi == 1:
            return "probability"
        if self.lo >= 0:
            return "nonnegative"
        return "real"

    @property
    def declared_range(self) -> tuple[float, float]:
        """``(lo, hi)`` as the closed interval a game checks in :meth:`NormalFormGame.subs`."""
        return (float(self.lo), float(self.hi))

    def sympy_symbol(self) -> sp.Symbol:
        """The SymPy symbol, real, with the positivity its range implies.

        Returns
        -------
        sympy.Symbol
            Named :attr:`name`, with the assumption :attr:`assumption`.

        Examples
        --------
        >>> from alliance.models.describe import model_info
        >>> info = model_info("lending_game")
        >>> L = info["L"].sympy_symbol()
        >>> L, L.is_positive
        (L, True)
        """
        return make_symbol(self.name, self.assumption)


@dataclass(frozen=True)
class ModelInfo:
    """The parameter table and references of one model factory.

    Get it with :func:`alliance.models.describe.model_info` (or ``describe``).

    Parameters
    ----------
    factory : str
        The factory's name, e.g. ``"lending_game"``.
    title : str
        A one-line description.
    parameters : tuple of Parameter
        One entry per parameter, in the factory's order.
    references : tuple of str
        The literature the model comes from (author, year, journal).
    mode : str or None
        The mode of a multi-mode model this table describes (``None``: every mode).
    values : Mapping
        The values a built model was made with (empty on a factory's own table): numbers,
        or the SymPy symbols of parameters kept symbolic.

    Raises
    ------
    ParameterError
        If two parameters share a name.

    Examples
    --------
    >>> from alliance.models.describe import model_info
    >>> info = model_info("lending_game")
    >>> info.factory, info.names
    ('lending_game', ('L', 'r', 'R', 'C', 'F', 'pi', 'w', 'rho', 'm'))
    """

    factory: str
    title: str
    parameters: tuple[Parameter, ...]
    references: tuple[str, ...] = ()
    mode: str | None = None
    values: Mapping[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        names = [p.name for p in self.parameters]
        if len(set(names)) != len(names):
            raise ParameterError(f"parameters of {self.factory} repeat a name: {names}")

    @property
    def names(self) -> tuple[str, ...]:
        """The parameters' names, in the factory's order."""
        return tuple(p.name for p in self.parameters)

    def __getitem__(self, name: str) -> Parameter:
        for p in self.parameters:
            if p.name == name:
                return p
        raise KeyError(name)

    def __contains__(self, name: object) -> bool:
        return name in self.names

    def defaults(self) -> dict[str, Any]:
        """Every parameter's default value.

        Returns
        -------
        dict
            Name -> default.

        Examples
        --------
        >>> from alliance.models.describe import model_info
        >>> info = model_info("lending_game")
        >>> info.defaults()
        {'L': 100, 'r': 0.06, 'R': 130, 'C': 70, 'F': 50, 'pi': 0.5, 'w': 0, 'rho': 0.03, 'm': 2}
        """
        return {p.name: p.default for p in self.parameters}

    def for_mode(self, mode: str) -> ModelInfo:
        """The table restricted to the parameters a mode uses.

        Parameters
        ----------
        mode : str
            One of the factory's modes (``"business"``, ``"policy"``, ``"mutual"`` for
            ``guarantee_game``).

        Returns
        -------
        ModelInfo
            The same table without the other modes' parameters, its :attr:`mode` set.

        Examples
        --------
        >>> from alliance.models.describe import model_info
        >>> info = model_info("guarantee_game")
        >>> len(info.names), len(info.for_mode("business").names)
        (25, 18)
        """
        kept = tuple(p for p in self.parameters if p.modes is None or mode in p.modes)
        return ModelInfo(self.factory, self.title, kept, self.references, mode, self.values)

    def with_values(self, values: Mapping[str, Any]) -> ModelInfo:
        """The same table recording the values a model was built with.

        Parameters
        ----------
        values : Mapping
            Name -> number, or SymPy symbol for a parameter kept symbolic.

        Returns
        -------
        ModelInfo
            A copy whose :attr:`values` are ``values``.

        Examples
        --------
        >>> from alliance.models.describe import model_info
        >>> model_info("lending_game").with_values({"r": 0.08}).values
        {'r': 0.08}
        """
        return ModelInfo(
            self.factory, self.title, self.parameters, self.references, self.mode, dict(values)
        )

    # ------------------------------------------------------------------ display
    def to_frame(self) -> pd.DataFrame:
        """One row per parameter: symbol, meaning, unit, range, default, source (and value).

        Returns
        -------
        pandas.DataFrame
            Indexed by ``parameter``; a ``value`` column when the table records values.

        Examples
        --------
        >>> from alliance.models.describe import model_info
        >>> info = model_info("lending_game")
        >>> info.to_frame().loc["pi", ["unit", "range"]].tolist()
        ['probability', '[0, 1]']
        """
        rows = []
        for p in self.parameters:
            row = {
                "symbol": f"${p.symbol}$",
                "meaning": p.meaning,
                "unit": p.unit,
                "range": p.range_text,
                "default": _plain(p.default),
                "source": p.source,
            }
            if self.values:
                v = self.values.get(p.name)
                row["value"] = str(v) if isinstance(v, sp.Basic) and v.free_symbols else _plain(v)
            rows.append(row)
        frame = pd.DataFrame(rows, index=pd.Index(self.names, name="parameter"))
        return frame

    def to_latex(self) -> str:
        """The parameter table as a LaTeX ``tabular`` (for a paper's appendix).

        Returns
        -------
        str
            A ``tabular`` with columns symbol, meaning, unit, range, default, source.

        Examples
        --------
        >>> from alliance.models.describe import model_info
        >>> info = model_info("lending_game")
        >>> info.to_latex().splitlines()[2].startswith("Symbol & Meaning & Unit & Range")
        True
        """
        lines = [
            r"\begin{tabular}{llllll}",
            r"\hline",
            r"Symbol & Meaning & Unit & Range & Default & Source \\",
            r"\hline",
        ]
        for p in self.parameters:
            rng = p.range_text.replace("∞", r"\infty")
            cells = [
                f"${p.symbol}$",
                _tex_escape(p.meaning),
                _tex_escape(p.unit),
                f"${rng}$",
                f"{_plain(p.default)}",
                _tex_escape(p.source),
            ]
            lines.append(" & ".join(cells) + r" \\")
        lines += [r"\hline", r"\end{tabular}"]
        return "\n".join(lines)

    def __repr__(self) -> str:
        head = f"ModelInfo({self.factory}{', mode=' + repr(self.mode) if self.mode else ''}: {self.title})"
        return head + "\n" + self.to_frame().drop(columns=["source"]).to_string()

    def _repr_html_(self) -> str:
        try:
            return (
                f"<p>{html.escape(self.factory)}: {html.escape(self.title)}</p>"
                + self.to_frame().to_html()
            )
        except Exception:  # a display hook must never raise
            return "<pre>" + html.escape(repr(self)) + "</pre>"


#: The loan every bank-side model prices: shared so that models agree on its meaning and source.
LOAN_PRINCIPAL = Parameter(
    "L",
    "L",
    "loan principal",
    "money",
    0,
    math.inf,
    lo_open=True,
    default=100,
    source="normalisation: one loan of 100 monetary units (e.g. 10 000 CNY)",
)
INTEREST_RATE = Parameter(
    "r",
    "r",
    "loan interest rate",
    "rate",
    0,
    1,
    lo_open=True,
    default=0.06,
    source="PBoC one-year benchmark lending rate, 6.00 % (July 2012 – Nov 2014)",
)


#: The bank's outside option: it lends L elsewhere (seed 002: nobody is forced into a programme).
BANK_RESERVATION_RETURN = Parameter(
    "rho_B",
    r"\rho_B",
    "bank's reservation return: what lending L elsewhere earns, per unit of L",
    "rate",
    0,
    1,
    default=0.03,
    source="illustrative: half the loan rate, a safer loan's net margin",
)
#: The SME's outside option: informal finance at this rate (seed 002), or nothing if it does not pay.
INFORMAL_RATE = Parameter(
    "r_I",
    "r_I",
    "informal lending rate open to the SME outside the programme",
    "rate",
    0,
    math.inf,
    default=0.2,
    source="illustrative: informal credit costs several times the bank rate (seed 002)",
)


def _plain(value: Any) -> Any:
    if isinstance(value, Fraction):
        return float(value)
    if isinstance(value, sp.Basic) and value.is_number:
        return float(value)
    return value


def _tex_escape(text: str) -> str:
    for a, b in (
        ("\\", r"\textbackslash{}"),
        ("&", r"\&"),
        ("%", r"\%"),
        ("_", r"\_"),
        ("#", r"\#"),
    ):
        text = text.replace(a, b)
    return text


def resolve_parameters(
    info: ModelInfo,
    given: Mapping[str, Any],
    symbolic: bool | str | Iterable[str] = False,
) -> tuple[dict[str, sp.Expr], dict[str, sp.Symbol]]:
    """Validate user values and decide which parameters stay symbolic.

    Parameters
    ----------
    info : ModelInfo
        The table of the parameters the model uses.
    given : mapping
        Values passed by the user (``None`` means "use the default"; unknown names are
        refused).
    symbolic : bool, str or iterable of str
        ``False``: every parameter is a number. ``True``: every parameter is symbolic. A name
        or a list of names: only those are symbolic (the others take their values).

    Returns
    -------
    values : dict
        name -> exact SymPy number or the parameter's symbol.
    symbols : dict
        name -> symbol, for the parameters kept symbolic.

    Raises
    ------
    ParameterError
        An unknown parameter, a value outside its range, or an unknown name in ``symbolic``.
    """
    unknown = [k for k in given if k not in info]
    if unknown:
        where = f" in mode '{info.mode}'" if info.mode else ""
        raise ParameterError(
            f"{info.factory}{where} has no parameter {', '.join(map(repr, unknown))}; "
            f"its parameters are {', '.join(info.names)}"
        )
    if symbolic is True:
        keep = set(info.names)
    elif symbolic is False or symbolic is None:
        keep = set()
    else:
        keep = {symbolic} if isinstance(symbolic, str) else set(symbolic)
        bad = sorted(k for k in keep if k not in info)
        if bad:
            raise ParameterError(
                f"symbolic names {', '.join(map(repr, bad))}, which {info.factory} does not have; "
                f"its parameters are {', '.join(info.names)}"
            )
    values: dict[str, sp.Expr] = {}
    symbols: dict[str, sp.Symbol] = {}
    for p in info.parameters:
        if p.name in keep:
            symbols[p.name] = values[p.name] = p.sympy_symbol()
            if given.get(p.name) is not None:
                p.check(given[p.name])
            continue
        value = given.get(p.name)
        value = p.default if value is None else p.check(value)
        values[p.name] = as_exact(value)
    return values, symbols


def attach_info(obj: Any, info: ModelInfo) -> Any:
    """Attach a model's parameter table to the object a factory returns."""
    obj.model_info = info
    return obj


def declare_ranges(game: Any, info: ModelInfo, symbols: Mapping[str, sp.Symbol]) -> None:
    """Record each symbolic parameter's range on the game, so that ``subs`` checks it."""
    assumptions = getattr(game, "assumptions", None)
    if isinstance(assumptions, dict):
        for name in symbols:
            if name in game.symbols:
                assumptions[name] = info[name].declared_range


def check_at_most(name: str, value: sp.Expr, bound: sp.Expr, meaning: str, bound_text: str) -> None:
    """Cross-parameter check ``value <= bound`` when both are numbers (skipped when symbolic)."""
    if value.is_number and bound.is_number and bool(value > bound):
        raise ParameterError(
            f"{meaning} {name} is {_short(value)}; it must not exceed {bound_text} = {_short(bound)}"
        )


def _short(x: sp.Expr) -> str:
    f = float(x)
    return f"{f:g}"


def symbol_table(params: Sequence[Parameter]) -> dict[str, sp.Symbol]:
    """name -> SymPy symbol for a list of parameters."""
    return {p.name: p.sympy_symbol() for p in params}
