r"""Comparative statics: how a result moves with each parameter, locally and globally.

``sensitivity(target, at=...)`` gives, for every quantity of ``target`` and every parameter
:math:`\theta`, the derivative :math:`\partial f / \partial\theta` and the elasticity
:math:`\varepsilon = \frac{\partial f}{\partial\theta}\,\frac{\theta}{f}` (the percentage change
of :math:`f` per percent change of :math:`\theta`), symbolically (simplified SymPy expressions,
LaTeX) and at a point (numbers).

Targets
-------
* a SymPy expression, or a dict ``{name: expression}`` (for example the mixed equilibrium of
  :func:`alliance.models.inspection_equilibrium`);
* a condition (a SymPy relational such as :func:`alliance.models.repayment_condition`): the
  sensitivity of its boundary solved for the parameter ``solve_for`` (a threshold such as the
  enforcement probability :math:`\pi^* = (1+r)L/(C+F)`), or of ``lhs - rhs`` without it;
* a :class:`~alliance.games.symbolic.SymbolicEquilibrium` (from
  ``NormalFormGame.equilibria()`` on a symbolic game): every non-constant probability of its
  profile, and the boundary of every condition under which it holds;
* a :class:`~alliance.games.repeated.CriticalDiscount`: each player's critical discount
  factor :math:`\delta^*_i`; a :class:`~alliance.games.regions.RegionMap`: the boundaries of
  its regions; any other result object whose fields hold SymPy expressions;
* a numeric function ``f(**params)`` returning a number, a ``(value, standard_error)`` pair
  or a dict of either: central finite differences (below).

**Finite differences.** The step of parameter :math:`\theta` is
:math:`h = s\max(1, |\theta|)` with :math:`s = \epsilon^{1/3} \approx 6\times 10^{-6}`
(:math:`\epsilon` the machine epsilon: the step that balances truncation and rounding error of
a central difference of a smooth function), or :math:`h = s|\theta|` (:math:`s` at
:math:`\theta = 0`) with :math:`s = 10^{-2}` when ``f`` takes a ``seed`` (a Monte Carlo
result: a smaller step would difference noise). Such an ``f``
is called with the same seed at every point, so the differences use common random numbers.
Where :math:`\theta \pm h` leaves the declared range the difference is one-sided. When ``f``
reports standard errors :math:`s_\pm` of its values, the derivative's standard error is
bounded by :math:`(s_+ + s_-)/(2h)`: common random numbers correlate the two values (which is
what makes the difference precise) by an amount ``f`` does not report, and
:math:`\operatorname{sd}(X - Y) \le \operatorname{sd} X + \operatorname{sd} Y` whatever it is.

**Global sensitivity.** :func:`sobol_indices` gives Sobol's first-order and total indices of a
result over the declared parameter ranges (uniform distributions), estimated with SALib
(Saltelli's sampling scheme on a scrambled Sobol sequence; Saltelli et al. 2010 for the
first-order and Jansen 1999 for the total indices), with bootstrap confidence intervals.
Symbolic results are lambdified once and evaluated on the whole sample as arrays. SALib is an
optional dependency: ``pip install 'alliance[sensitivity]'``.

Examples
--------
How the enforcement threshold of the lending game moves with the penalty:

>>> from alliance.models import repayment_condition
>>> s = sensitivity(repayment_condition(symbolic=True), solve_for="pi",
...                 at=dict(L=100, r=0.06, C=70, F=50))
>>> s.derivative("pi*", "F")
-L*(r + 1)/(C + F)**2
>>> round(s.value("pi*", "F", "derivative"), 6), round(s.value("pi*", "F", "elasticity"), 6)
(-0.007361, -0.416667)

References
----------
Saltelli, A., Annoni, P., Azzini, I., Campolongo, F., Ratto, M. and Tarantola, S. (2010).
Variance based sensitivity analysis of model output. *Computer Physics Communications* 181(2):
259–270.

Sobol', I. M. (2001). Global sensitivity indices for nonlinear mathematical models and their
Monte Carlo estimates. *Mathematics and Computers in Simulation* 55(1–3): 271–280.

Herman, J. and Usher, W. (2017). SALib: an open-source Python library for sensitivity
analysis. *Journal of Open Source Software* 2(9): 97.

Ishigami, T. and Homma, T. (1990). An importance quantification technique in uncertainty
analysis for computer models. *Proceedings of ISUMA '90*: 398–403.

Glasserman, P. (2004). *Monte Carlo Methods in Financial Engineering*, §7.1 (finite
differences with common random numbers). Springer.
"""

from __future__ import annotations

import dataclasses
import html
import inspect
import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

import numpy as np
import pandas as pd
import sympy as sp

from alliance.errors import ParameterError, SolverError
from alliance.numbers import to_sympy

__all__ = ["sensitivity", "SensitivityResult", "sobol_indices", "SobolResult", "relative_step"]

#: Relative step of central differences of a smooth deterministic function (ε^(1/3)).
SMOOTH_STEP = float(np.finfo(float).eps ** (1 / 3))
#: Relative step when the function takes a seed (a Monte Carlo estimate).
MONTE_CARLO_STEP = 1e-2


def relative_step(seeded: bool) -> float:
    """The default relative step of a finite difference (see the module docstring).

    Parameters
    ----------
    seeded : bool
        Whether the function is a Monte Carlo estimate with common random numbers (then a
        large step keeps the difference above the noise).

    Returns
    -------
    float
        The step relative to the parameter's value.

    Examples
    --------
    >>> relative_step(False) < 1e-5, relative_step(True)
    (True, 0.01)
    """
    return MONTE_CARLO_STEP if seeded else SMOOTH_STEP


# ------------------------------------------------------------------ quantities of a target
def _relational_quantity(rel: sp.Basic, solve_for: str | None) -> tuple[str, sp.Expr] | None:
    lhs, rhs = rel.lhs, rel.rhs
    gap = sp.expand(lhs - rhs)
    if not gap.free_symbols:
        return None
    if solve_for is None:
        label = sp.sstr(lhs) if rhs == 0 else f"{sp.sstr(lhs)} - ({sp.sstr(rhs)})"
        return (label, gap)
    sym = {s.name: s for s in gap.free_symbols}.get(solve_for)
    if sym is None:
        return None
    roots = sp.solve(sp.Eq(lhs, rhs), sym)
    if len(roots) != 1:
        raise ParameterError(
            f"the boundary {sp.sstr(lhs)} = {sp.sstr(rhs)} has {len(roots)} solutions for "
            f"{solve_for}; give solve_for=None to use lhs - rhs"
        )
    root = sp.factor(roots[0])
    if not root.free_symbols:  # a boundary at a constant (pi = 1): nothing moves it
        return None
    return (f"{solve_for}*", root)


def _from_condition(cond: sp.Basic, solve_for: str | None, prefix: str = "") -> list:
    out = []
    parts = cond.args if isinstance(cond, sp.And) else (cond,)
    for part in parts:
        if isinstance(part, sp.core.relational.Relational):
            q = _relational_quantity(part, solve_for)
            if q is not None:
                # several thresholds of one condition are told apart by their inequality
                label = f"{q[0]} [{sp.sstr(part)}]" if solve_for and len(parts) > 1 else q[0]
                out.append((prefix + label, q[1]))
    return out


def _unique(quantities: list) -> list:
    """Quantity names made unique (``name (2)``...) in the order given."""
    seen: dict[str, int] = {}
    out = []
    for qname, expr in quantities:
        seen[qname] = seen.get(qname, 0) + 1
        out.append((qname if seen[qname] == 1 else f"{qname} ({seen[qname]})", expr))
    return out


def _is_expr(x: Any) -> bool:
    return isinstance(x, sp.Expr) and bool(x.free_symbols)


def _quantities(target: Any, name: str | None, solve_for: str | None) -> tuple[list, dict]:
    """``([(quantity name, expression)], assumptions)`` of a symbolic target."""
    from alliance.games.regions import RegionMap
    from alliance.games.repeated import CriticalDiscount
    from alliance.games.symbolic import SymbolicEquilibrium

    assumptions: dict = {}
    if isinstance(target, sp.core.relational.Relational) or isinstance(target, sp.And):
        return _from_condition(target, solve_for), assumptions
    if isinstance(target, sp.Expr):
        return [(name or "f", target)], assumptions
    if isinstance(target, SymbolicEquilibrium):
        if target.domain is not None:
            assumptions = dict(target.domain.assumptions)
        out = []
        for i, player in enumerate(target.players):
            for s, p in zip(target.strategies[i], target.profile[i], strict=True):
                if _is_expr(p):
                    out.append((f"{player}:{s}", p))
        for atom in target.atoms:
            if atom.expr.free_symbols:
                rel = atom.relational()
                q = _relational_quantity(rel, solve_for)
                if q is not None:
                    label = f"{q[0]} [{sp.sstr(rel)}]" if solve_for else q[0]
                    out.append((label, q[1]))
        return out, assumptions
    if isinstance(target, CriticalDiscount):
        # CriticalDiscount keeps its repeated game privately; the declared ranges are its
        # stage game's (without them only the symbols' signs are checked).
        game = getattr(target, "_game", None)
        if game is not None:
            assumptions = dict(getattr(game.stage, "assumptions", {}) or {})
        out = [
            (f"delta*[{p}]", to_sympy(v)) for p, v in target.by_player.items() if _is_expr(v)
        ]
        return out, assumptions
    if isinstance(target, RegionMap):
        out = []
        for k, b in enumerate(target.boundaries):
            q = _relational_quantity(sp.Eq(b, 0, evaluate=False), solve_for)
            if q is not None:
                out.append((f"boundary {k}: {q[0]}", q[1]) if solve_for else (f"boundary {k}", b))
        return out, assumptions
    if isinstance(target, Mapping):
        out = []
        for key, value in target.items():
            if isinstance(value, (sp.core.relational.Relational, sp.And)):
                out += [(f"{key}: {n}", e) for n, e in _from_condition(value, solve_for)]
            elif _is_expr(value):
                out.append((str(key), value))
        return out, assumptions
    if dataclasses.is_dataclass(target) and not isinstance(target, type):
        out = []
        for f in dataclasses.fields(target):
            value = getattr(target, f.name)
            if _is_expr(value):
                out.append((f.name, value))
            elif isinstance(value, (sp.core.relational.Relational, sp.And)):
                out += _from_condition(value, solve_for, prefix=f"{f.name}: ")
            elif isinstance(value, Mapping):
                out += [(f"{f.name}[{k}]", v) for k, v in value.items() if _is_expr(v)]
            elif isinstance(value, tuple):
                out += [(f"{f.name}[{k}]", v) for k, v in enumerate(value) if _is_expr(v)]
        return out, assumptions
    raise ParameterError(
        f"sensitivity cannot read a {type(target).__name__}: give a SymPy expression or "
        "relational, a dict of them, a SymbolicEquilibrium, a CriticalDiscount, a RegionMap, "
        "a result with symbolic fields, or a numeric function f(**params)"
    )


# ------------------------------------------------------------------ ranges and points
def _range_of(assumption: Any, symbol: sp.Symbol | None) -> tuple[float, float]:
    if isinstance(assumption, tuple):
        return float(assumption[0]), float(assumption[1])
    if assumption == "probability":
        return 0.0, 1.0
    if assumption in ("positive", "nonnegative") or (
        symbol is not None and symbol.is_nonnegative
    ):
        return 0.0, math.inf
    return -math.inf, math.inf


def _number(name: str, value: Any) -> float:
    if isinstance(value, (bool, np.bool_)) or not isinstance(
        value, (int, float, Fraction, np.integer, np.floating, sp.Number)
    ):
        raise ParameterError(f"value of parameter '{name}' is {value!r}; it must be a number")
    v = float(value)
    if not math.isfinite(v):
        raise ParameterError(f"value of parameter '{name}' is {value!r}; it must be finite")
    return v


def _check_point(at: Mapping[str, float], ranges: Mapping[str, tuple[float, float]]) -> None:
    for name, v in at.items():
        lo, hi = ranges.get(name, (-math.inf, math.inf))
        if not lo <= v <= hi:
            raise ParameterError(
                f"parameter '{name}' = {v:g} lies outside its declared range [{lo:g}, {hi:g}]"
            )


# ------------------------------------------------------------------ the result
@dataclass(frozen=True, eq=False)
class SensitivityResult:
    """Derivatives and elasticities of some quantities with respect to some parameters.

    Parameters
    ----------
    quantities : tuple of str
        Names of the quantities differentiated.
    parameters : tuple of str
        Names of the parameters.
    at : dict
        The point (empty for a purely symbolic result).
    method : str
        ``"symbolic"`` or ``"central differences"`` (with ``", common random numbers"`` when
        the function took a seed).
    expressions : dict
        Quantity → its SymPy expression (symbolic results only).
    frame : pandas.DataFrame
        One row per (quantity, parameter): see :meth:`to_frame`.
    steps : dict, optional
        Parameter -> finite-difference step (numeric results).
    assumptions, ranges : dict, optional
        The parameters' declared assumptions and ranges.

    Examples
    --------
    Made by :func:`sensitivity`:

    >>> import sympy as sp
    >>> x, y = sp.symbols("x y", positive=True)
    >>> s = sensitivity(x**2 * y, at={"x": 3, "y": 2})
    >>> s  # doctest: +NORMALIZE_WHITESPACE
    SensitivityResult(1 quantities × 2 parameters; symbolic; at x=3, y=2)
                        value  derivative  elasticity
    quantity parameter
    f        x             18          12           2
             y             18           9           1
    """

    quantities: tuple[str, ...]
    parameters: tuple[str, ...]
    at: dict
    method: str
    frame: pd.DataFrame = field(repr=False)
    expressions: dict = field(default_factory=dict, repr=False)
    steps: dict = field(default_factory=dict, repr=False)
    assumptions: dict = field(default_factory=dict, repr=False)
    ranges: dict = field(default_factory=dict, repr=False)

    def evaluate(self, at: Mapping[str, Any]) -> SensitivityResult:
        """The same symbolic result with its numbers at another point (no re-derivation).

        Parameters
        ----------
        at : Mapping
            Parameter name -> value, checked against the declared ranges.

        Returns
        -------
        SensitivityResult
            The same expressions, evaluated at ``at``.

        Raises
        ------
        ParameterError
            A numeric result (finite differences are tied to their point), or a bad point.

        Examples
        --------
        >>> import sympy as sp
        >>> x, y = sp.symbols("x y", positive=True)
        >>> s = sensitivity(x**2 * y, at={"x": 3, "y": 2})
        >>> s.evaluate({"x": 1, "y": 1}).value("f", "x")
        2.0
        """
        if not self.expressions:
            raise ParameterError("a finite-difference result holds no expressions to evaluate")
        return _fill(self, at)

    def to_frame(self) -> pd.DataFrame:
        """The tidy table: ``quantity, parameter, value, derivative, elasticity`` at the point,
        ``standard_error`` of the derivative (numeric functions that report errors), and for
        symbolic results the expressions ``derivative_expr`` and ``elasticity_expr``.

        Returns
        -------
        pandas.DataFrame
            One row per (quantity, parameter).

        Examples
        --------
        >>> import sympy as sp
        >>> x, y = sp.symbols("x y", positive=True)
        >>> s = sensitivity(x**2 * y, at={"x": 3, "y": 2})
        >>> list(s.to_frame().columns)[:5]
        ['quantity', 'parameter', 'value', 'derivative', 'elasticity']
        """
        return self.frame.copy()

    def _row(self, quantity: str, parameter: str) -> pd.Series:
        hit = self.frame[(self.frame.quantity == quantity) & (self.frame.parameter == parameter)]
        if hit.empty:
            raise ParameterError(
                f"no row for quantity {quantity!r} and parameter {parameter!r}; quantities are "
                f"{list(self.quantities)}, parameters {list(self.parameters)}"
            )
        return hit.iloc[0]

    def derivative(self, quantity: str, parameter: str) -> Any:
        """∂quantity/∂parameter: a SymPy expression (symbolic) or a number (numeric).

        Parameters
        ----------
        quantity : str
            One of :attr:`quantities` (``"f"`` for a plain expression or function).
        parameter : str
            One of :attr:`parameters`.

        Returns
        -------
        sympy.Expr or float
            The derivative.

        Examples
        --------
        >>> import sympy as sp
        >>> x, y = sp.symbols("x y", positive=True)
        >>> s = sensitivity(x**2 * y, at={"x": 3, "y": 2})
        >>> s.derivative("f", "x")
        2*x*y
        """
        row = self._row(quantity, parameter)
        return row["derivative_expr"] if "derivative_expr" in row else row["derivative"]

    def elasticity(self, quantity: str, parameter: str) -> Any:
        """The elasticity: a SymPy expression (symbolic) or a number (numeric).

        Parameters
        ----------
        quantity : str
            One of :attr:`quantities` (``"f"`` for a plain expression or function).
        parameter : str
            One of :attr:`parameters`.

        Returns
        -------
        sympy.Expr or float
            :math:`(\\partial f/\\partial \\theta)\\,\\theta / f`.

        Examples
        --------
        >>> import sympy as sp
        >>> x, y = sp.symbols("x y", positive=True)
        >>> s = sensitivity(x**2 * y, at={"x": 3, "y": 2})
        >>> s.elasticity("f", "x")
        2
        """
        row = self._row(quantity, parameter)
        return row["elasticity_expr"] if "elasticity_expr" in row else row["elasticity"]

    def value(self, quantity: str, parameter: str, column: str = "derivative") -> float:
        """A number of the table at the point (``column``: value, derivative, elasticity...).

        Parameters
        ----------
        quantity : str
            One of :attr:`quantities` (``"f"`` for a plain expression or function).
        parameter : str
            One of :attr:`parameters`.
        column : str, default "derivative"
            A column of :meth:`to_frame`.

        Returns
        -------
        float
            The number.

        Examples
        --------
        >>> import sympy as sp
        >>> x, y = sp.symbols("x y", positive=True)
        >>> s = sensitivity(x**2 * y, at={"x": 3, "y": 2})
        >>> s.value("f", "x"), s.value("f", "y", "elasticity")
        (12.0, 1.0)
        """
        return float(self._row(quantity, parameter)[column])

    def latex(self, quantity: str, parameter: str) -> str:
        r"""``\frac{\partial f}{\partial \theta} = ...`` for a symbolic result.

        Parameters
        ----------
        quantity : str
            One of :attr:`quantities` (``"f"`` for a plain expression or function).
        parameter : str
            One of :attr:`parameters`.

        Returns
        -------
        str
            LaTeX (without dollar signs).

        Examples
        --------
        >>> import sympy as sp
        >>> x, y = sp.symbols("x y", positive=True)
        >>> s = sensitivity(x**2 * y, at={"x": 3, "y": 2})
        >>> s.latex("f", "x")
        '\\frac{\\partial}{\\partial x}\\left(x^{2} y\\right) = 2 x y'
        """
        d = self.derivative(quantity, parameter)
        if not isinstance(d, sp.Basic):
            return f"{d:.6g}"
        return r"\frac{\partial}{\partial " + sp.latex(sp.Symbol(parameter)) + "}" + (
            r"\left(" + sp.latex(self.expressions[quantity]) + r"\right) = " + sp.latex(d)
        )

    def to_latex(self) -> str:
        r"""The table as a LaTeX ``tabular`` for a paper: quantity, parameter, the derivative and
        the elasticity (expressions for symbolic results, with their values at the point).

        Returns
        -------
        str
            A ``tabular`` environment.

        Examples
        --------
        >>> import sympy as sp
        >>> x, y = sp.symbols("x y", positive=True)
        >>> s = sensitivity(x**2 * y, at={"x": 3, "y": 2})
        >>> s.to_latex().splitlines()[0]
        '\\begin{tabular}{llll}'
        """
        lines = [
            r"\begin{tabular}{llll}",
            r"\hline",
            r"Quantity & Parameter & $\partial f/\partial\theta$ & Elasticity \\",
            r"\hline",
        ]
        for _, r in self.frame.iterrows():
            cells = []
            for col in ("derivative", "elasticity"):
                expr = r.get(f"{col}_expr")
                num = r[col]
                text = sp.latex(expr) if isinstance(expr, sp.Basic) else ""
                constant = isinstance(expr, sp.Basic) and expr.is_number
                if isinstance(num, float) and math.isfinite(num) and not constant:
                    text = f"{text} = {num:.4g}" if text else f"{num:.4g}"
                cells.append(f"${text}$" if text else "")
            name = str(r["quantity"]).replace("_", r"\_").replace("*", r"$^*$").replace("&", r"\&")
            lines.append(f"{name} & ${sp.latex(sp.Symbol(str(r['parameter'])))}$ & " + " & ".join(cells) + r" \\")
        lines += [r"\hline", r"\end{tabular}"]
        return "\n".join(lines)

    def __repr__(self) -> str:
        where = ", ".join(f"{k}={v:g}" for k, v in self.at.items())
        cols = [c for c in ("value", "derivative", "elasticity", "standard_error") if c in self.frame]
        body = self.frame.set_index(["quantity", "parameter"])[cols].to_string(float_format="{:.6g}".format)
        return (
            f"SensitivityResult({len(self.quantities)} quantities × {len(self.parameters)} "
            f"parameters; {self.method}" + (f"; at {where}" if where else "") + ")\n" + body
        )

    def _repr_latex_(self) -> str:
        rows = []
        for _, r in self.frame.iterrows():
            name = r"\text{" + str(r["quantity"]).replace("_", r"\_").replace("*", r"^*") + "}"
            par = sp.latex(sp.Symbol(str(r["parameter"])))
            if "derivative_expr" in r:
                d, e = sp.latex(r["derivative_expr"]), sp.latex(r["elasticity_expr"])
            else:
                d, e = f"{r['derivative']:.6g}", f"{r['elasticity']:.6g}"
            if self.at and "derivative_expr" in r:
                d += rf" = {r['derivative']:.4g}"
                e += rf" = {r['elasticity']:.4g}"
            rows.append(f"{name} & {par} & {d} & {e}")
        head = r"\text{quantity} & \theta & \partial f/\partial\theta & \varepsilon"
        return r"$\begin{array}{llll}" + head + r" \\ \hline " + r" \\ ".join(rows) + r"\end{array}$"

    def _repr_html_(self) -> str:
        try:
            return f"<p>{html.escape(repr(self).splitlines()[0])}</p>" + self.frame.to_html()
        except Exception:  # a display hook must never raise
            return "<pre>" + html.escape(object.__repr__(self)) + "</pre>"


# ------------------------------------------------------------------ symbolic sensitivity
def _simplify(expr: sp.Expr, simplify: bool) -> sp.Expr:
    if not simplify:
        return expr
    try:
        return sp.simplify(sp.factor(expr))
    except Exception:  # factor can fail on Max/Piecewise: keep the plain simplification
        return sp.simplify(expr)


def _evaluate(expr: sp.Expr, values: Mapping[sp.Symbol, float]) -> float:
    try:
        v = complex(expr.xreplace(values).evalf())
    except (TypeError, ValueError):
        return math.nan
    if abs(v.imag) > 1e-12 * max(1.0, abs(v.real)):
        return math.nan
    return float(v.real) if math.isfinite(v.real) else (math.inf if v.real > 0 else -math.inf)


def _symbolic(
    quantities: list,
    assumptions: Mapping[str, Any],
    at: Mapping[str, Any] | None,
    params: Sequence[str] | None,
    ranges: Mapping[str, tuple] | None,
    simplify: bool,
) -> SensitivityResult:
    if not quantities:
        raise ParameterError("the target has no quantity that depends on a parameter")
    symbols: dict[str, sp.Symbol] = {}
    for _, e in quantities:
        for s in sorted(e.free_symbols, key=lambda s: s.name):
            symbols.setdefault(s.name, s)
    names = sorted(symbols) if params is None else list(params)
    unknown = [n for n in names if n not in symbols]
    if unknown:
        raise ParameterError(
            f"parameter(s) {', '.join(unknown)} appear in no quantity; parameters are "
            f"{', '.join(sorted(symbols))}"
        )
    rows = []
    for qname, expr in quantities:
        for n in names:
            theta = symbols[n]
            d = _simplify(sp.diff(expr, theta), simplify)
            el = _simplify(d * theta / expr, simplify)
            rows.append(
                {
                    "quantity": qname,
                    "parameter": n,
                    "value": math.nan,
                    "derivative": math.nan,
                    "elasticity": math.nan,
                    "derivative_expr": d,
                    "elasticity_expr": el,
                }
            )
    result = SensitivityResult(
        tuple(q for q, _ in quantities),
        tuple(names),
        {},
        "symbolic",
        pd.DataFrame(rows),
        dict(quantities),
        assumptions=dict(assumptions),
        ranges=dict(ranges or {}),
    )
    return result if at is None else result.evaluate(at)


def _fill(result: SensitivityResult, at: Mapping[str, Any]) -> SensitivityResult:
    """The symbolic result with its numbers at the point ``at``."""
    symbols: dict[str, sp.Symbol] = {}
    for e in result.expressions.values():
        for s in e.free_symbols:
            symbols.setdefault(s.name, s)
    point = {k: _number(k, v) for k, v in at.items()}
    # Parameters of the game that no quantity uses are accepted and ignored.
    extra = sorted(set(point) - set(symbols) - set(result.assumptions))
    if extra:
        raise ParameterError(
            f"at names unknown parameter(s) {', '.join(extra)}; parameters are "
            f"{', '.join(sorted(symbols))}"
        )
    missing = sorted(set(symbols) - set(point))
    if missing:
        raise ParameterError(f"at lacks a value for parameter(s) {', '.join(missing)}")
    point = {k: v for k, v in point.items() if k in symbols}
    bounds = {n: _range_of(result.assumptions.get(n), symbols[n]) for n in symbols}
    bounds.update(result.ranges)
    _check_point(point, bounds)
    values = {
        symbols[k]: sp.Integer(int(v)) if float(v).is_integer() else sp.Float(v)
        for k, v in point.items()
    }
    frame = result.frame.copy()
    f_at = {q: _evaluate(e, values) for q, e in result.expressions.items()}
    value, deriv, elast = [], [], []
    for q, n, d in zip(frame["quantity"], frame["parameter"], frame["derivative_expr"], strict=True):
        d_at = _evaluate(d, values)
        value.append(f_at[q])
        deriv.append(d_at)
        elast.append(d_at * point[n] / f_at[q] if f_at[q] != 0 else math.nan)
    frame["value"], frame["derivative"], frame["elasticity"] = value, deriv, elast
    return dataclasses.replace(result, at=point, frame=frame)


# ------------------------------------------------------------------ numeric sensitivity
def _takes_seed(fn: Callable) -> bool:
    try:
        return "seed" in inspect.signature(fn).parameters
    except (TypeError, ValueError):
        return False


def _split(out: Any, field_name: str = "f") -> dict[str, tuple[Any, Any]]:
    """``{quantity: (value, standard error or None)}`` from what a function returned."""
    if isinstance(out, Mapping):
        res = {}
        for k, v in out.items():
            res.update({str(k): _split(v, str(k))["f"]})
        return res
    if isinstance(out, tuple):
        if len(out) != 2:
            raise ParameterError(
                f"{field_name} returned a tuple of {len(out)}; return a value or (value, standard_error)"
            )
        return {"f": (out[0], out[1])}
    return {"f": (out, None)}


def _numeric(
    fn: Callable,
    at: Mapping[str, Any] | None,
    params: Sequence[str] | None,
    ranges: Mapping[str, tuple] | None,
    step: float | Mapping[str, float] | None,
    seed: int | None,
    vectorized: bool,
    name: str | None,
) -> SensitivityResult:
    if not at:
        raise ParameterError("a numeric function needs the point: give at={parameter: value}")
    point = {k: _number(k, v) for k, v in at.items()}
    names = list(point) if params is None else list(params)
    missing = [n for n in names if n not in point]
    if missing:
        raise ParameterError(f"at lacks a value for parameter(s) {', '.join(missing)}")
    bounds = {n: tuple(map(float, r)) for n, r in dict(ranges or {}).items()}
    _check_point(point, bounds)
    seeded = _takes_seed(fn)
    seed = 0 if seed is None else int(seed)
    base_step = relative_step(seeded)
    plus, minus, h = {}, {}, {}
    for n in names:
        s = step.get(n, base_step) if isinstance(step, Mapping) else (base_step if step is None else step)
        s = _number("step", s)
        if s <= 0:
            raise ParameterError(f"step of parameter '{n}' is {s:g}; it must be positive")
        theta = point[n]
        # scipy's rule for smooth functions (h = s max(1, |theta|)); a Monte Carlo result gets
        # a step relative to theta itself, so that a rate of 0.005 is not stepped by 0.01.
        width = s * (abs(theta) if theta != 0 else 1.0) if seeded else s * max(1.0, abs(theta))
        lo, hi = bounds.get(n, (-math.inf, math.inf))
        up, down = theta + width, theta - width
        if up > hi and down < lo:
            width = max(hi - theta, theta - lo) / 2
            up, down = theta + width, theta - width
        if up > hi:
            up = theta  # backward difference at the upper end of the range
        elif down < lo:
            down = theta  # forward difference at the lower end
        plus[n], minus[n], h[n] = up, down, up - down
    kwargs = {"seed": seed} if seeded else {}
    # Points: the centre, then +h and -h for each parameter.
    points = [dict(point)]
    for n in names:
        points.append({**point, n: plus[n]})
        points.append({**point, n: minus[n]})
    if vectorized:
        arrays = {k: np.array([p[k] for p in points]) for k in point}
        split = _split(fn(**arrays, **kwargs))
        outs = {q: (np.asarray(v, dtype=float), None if se is None else np.asarray(se, dtype=float)) for q, (v, se) in split.items()}
    else:
        calls = [_split(fn(**p, **kwargs)) for p in points]
        keys = list(calls[0])
        outs = {}
        for q in keys:
            vals = np.array([float(c[q][0]) for c in calls])
            ses = [c[q][1] for c in calls]
            outs[q] = (vals, None if any(s is None for s in ses) else np.array([float(s) for s in ses]))
    rows = []
    for q, (vals, ses) in outs.items():
        if not np.all(np.isfinite(vals)):
            raise SolverError(f"the function returned a non-finite value of {q} near the point")
        qname = name if (q == "f" and name) else q
        f0 = float(vals[0])
        for j, n in enumerate(names):
            fp, fm = vals[1 + 2 * j], vals[2 + 2 * j]
            d = float((fp - fm) / h[n])
            row = {
                "quantity": qname,
                "parameter": n,
                "value": f0,
                "derivative": d,
                "elasticity": d * point[n] / f0 if f0 != 0 else math.nan,
            }
            if ses is not None:
                sp_, sm = ses[1 + 2 * j], ses[2 + 2 * j]
                if plus[n] == point[n]:
                    sp_ = ses[0]
                if minus[n] == point[n]:
                    sm = ses[0]
                se = float((sp_ + sm) / h[n])
                row["value_se"] = float(ses[0])
                row["standard_error"] = se
                row["elasticity_se"] = se * abs(point[n] / f0) if f0 != 0 else math.nan
            rows.append(row)
    method = "central differences" + (", common random numbers" if seeded else "")
    frame = pd.DataFrame(rows)
    return SensitivityResult(
        tuple(dict.fromkeys(frame.quantity)),
        tuple(names),
        point,
        method,
        frame,
        {},
        {n: h[n] for n in names},
    )


def sensitivity(
    target: Any,
    at: Mapping[str, Any] | None = None,
    *,
    params: Sequence[str] | None = None,
    solve_for: str | None = None,
    ranges: Mapping[str, tuple[float, float]] | None = None,
    name: str | None = None,
    step: float | Mapping[str, float] | None = None,
    seed: int | None = None,
    vectorized: bool = False,
    simplify: bool = True,
) -> SensitivityResult:
    r"""Derivatives and elasticities of a result with respect to its parameters.

    Parameters
    ----------
    target : expression, relational, dict, SymbolicEquilibrium, CriticalDiscount, RegionMap, result or callable
        What to differentiate (see the module docstring).
    at : mapping, optional
        The point ``{parameter: value}``: every parameter of a symbolic target (or none, for
        expressions only); the parameters to vary for a function (it is called as
        ``f(**at)``).
    params : sequence of str, optional
        The parameters to differentiate by (default: all).
    solve_for : str, optional
        For conditions: the parameter to solve each boundary for (the threshold); without
        it, the sensitivity of ``lhs - rhs``.
    ranges : mapping, optional
        ``{parameter: (lo, hi)}``: declared ranges (symbolic targets take them from their
        game); the point must lie inside, and finite differences stay inside.
    name : str, optional
        The quantity's name for an expression or a function returning one value.
    step : float or mapping, optional
        Relative finite-difference step (default: see :func:`relative_step`).
    seed : int, optional
        Passed to a function that takes ``seed`` (default 0), the same at every point.
    vectorized : bool
        The function accepts arrays: all :math:`2k + 1` points are evaluated in one call.
    simplify : bool
        Simplify the symbolic derivatives (turn off for very large expressions).

    Returns
    -------
    SensitivityResult

    Raises
    ------
    ParameterError
        An unreadable target, an unknown or missing parameter, a point outside its range, a
        boundary with several solutions for ``solve_for``.
    SolverError
        A function returned a non-finite value near the point.

    Examples
    --------
    The inspection game's mixed equilibrium: the SME's default probability
    :math:`q^* = m/((1-\pi)C)` has elasticity 1 in the monitoring cost.

    >>> from alliance.models import inspection_equilibrium
    >>> s = sensitivity(inspection_equilibrium(symbolic=["m", "pi"]), at={"m": 2, "pi": 0.5})
    >>> s.elasticity("default", "m"), s.derivative("default", "pi")
    (1, m/(70*(pi - 1)**2))
    >>> round(s.value("default", "pi", "elasticity"), 12)
    1.0

    A numeric function, by central differences:

    >>> t = sensitivity(lambda x, y: x**2 * y, at={"x": 3.0, "y": 2.0})
    >>> round(t.value("f", "x"), 6), round(t.value("f", "x", "elasticity"), 6)
    (12.0, 2.0)
    """
    if callable(target) and not isinstance(target, sp.Basic):
        return _numeric(target, at, params, ranges, step, seed, vectorized, name)
    quantities, assumptions = _quantities(target, name, solve_for)
    return _symbolic(_unique(quantities), assumptions, at, params, ranges, simplify)


# ------------------------------------------------------------------ global (Sobol) sensitivity
@dataclass(frozen=True, eq=False)
class SobolResult:
    """Sobol indices of one or more quantities over declared parameter ranges.

    Parameters
    ----------
    frame : pandas.DataFrame
        One row per (quantity, parameter): ``S1``, ``S1_conf``, ``ST``, ``ST_conf`` (the
        half-widths of the bootstrap confidence intervals).
    ranges : dict
        The uniform ranges sampled.
    n : int
        The base sample size N (the model is evaluated N(k + 2) times for k parameters).
    seed : int
        Seed of the Sobol sample and of the bootstrap.
    evaluations : int
        Number of model evaluations made.

    Examples
    --------
    Made by :func:`sobol_indices`:

    >>> import sympy as sp
    >>> x, y = sp.symbols("x y")
    >>> res = sobol_indices(x + 2 * y, {"x": (0, 1), "y": (0, 1)}, n=256)
    >>> res.n, res.evaluations
    (256, 1024)
    """

    frame: pd.DataFrame = field(repr=False)
    ranges: dict
    n: int
    seed: int
    evaluations: int

    def to_frame(self) -> pd.DataFrame:
        """The indices as a tidy table.

        Returns
        -------
        pandas.DataFrame
            Columns ``quantity``, ``parameter``, ``S1``, ``S1_conf``, ``ST``, ``ST_conf``.

        Examples
        --------
        >>> import sympy as sp
        >>> x, y = sp.symbols("x y")
        >>> res = sobol_indices(x + 2 * y, {"x": (0, 1), "y": (0, 1)}, n=256)
        >>> list(res.to_frame().columns)
        ['quantity', 'parameter', 'S1', 'S1_conf', 'ST', 'ST_conf']
        """
        return self.frame.copy()

    def first_order(self, quantity: str | None = None) -> pd.Series:
        """S1 by parameter (of the only quantity, or of ``quantity``).

        Parameters
        ----------
        quantity : str, optional
            The quantity; may be omitted when there is only one.

        Returns
        -------
        pandas.Series
            First-order indices, indexed by parameter.

        Raises
        ------
        ParameterError
            An unknown quantity, or none named when there are several.

        Examples
        --------
        >>> import sympy as sp
        >>> x, y = sp.symbols("x y")
        >>> res = sobol_indices(x + 2 * y, {"x": (0, 1), "y": (0, 1)}, n=256)
        >>> res.first_order().round(1).tolist()  # analytic: 1/5 and 4/5
        [0.2, 0.8]
        """
        return self._col("S1", quantity)

    def total(self, quantity: str | None = None) -> pd.Series:
        """ST by parameter.

        Parameters
        ----------
        quantity : str, optional
            The quantity; may be omitted when there is only one.

        Returns
        -------
        pandas.Series
            Total indices, indexed by parameter.

        Raises
        ------
        ParameterError
            An unknown quantity, or none named when there are several.

        Examples
        --------
        >>> import sympy as sp
        >>> x, y = sp.symbols("x y")
        >>> res = sobol_indices(x + 2 * y, {"x": (0, 1), "y": (0, 1)}, n=256)
        >>> res.total().round(1).tolist()
        [0.2, 0.8]
        """
        return self._col("ST", quantity)

    def _col(self, col: str, quantity: str | None) -> pd.Series:
        qs = list(dict.fromkeys(self.frame.quantity))
        if quantity is None:
            if len(qs) != 1:
                raise ParameterError(f"several quantities ({qs}); name one")
            quantity = qs[0]
        if quantity not in qs:
            raise ParameterError(f"no quantity {quantity!r}; quantities are {qs}")
        sub = self.frame[self.frame.quantity == quantity]
        return pd.Series(sub[col].to_numpy(), index=pd.Index(sub.parameter, name="parameter"), name=col)

    def __repr__(self) -> str:
        body = self.frame.set_index(["quantity", "parameter"]).to_string(float_format="{:.4f}".format)
        return f"SobolResult(N={self.n}, {self.evaluations} evaluations, seed {self.seed})\n" + body

    def _repr_html_(self) -> str:
        try:
            return f"<p>{html.escape(repr(self).splitlines()[0])}</p>" + self.frame.to_html()
        except Exception:  # a display hook must never raise
            return "<pre>" + html.escape(object.__repr__(self)) + "</pre>"


def _salib():
    try:
        from SALib.analyze import sobol as analyze
        from SALib.sample import sobol as sample
    except ImportError as err:  # pragma: no cover - depends on the environment
        raise ImportError(
            "sobol_indices needs SALib, an optional dependency: pip install 'alliance[sensitivity]'"
        ) from err
    return sample, analyze


def sobol_indices(
    target: Any,
    ranges: Mapping[str, tuple[float, float]] | None = None,
    *,
    fixed: Mapping[str, Any] | None = None,
    n: int = 1024,
    seed: int = 0,
    solve_for: str | None = None,
    vectorized: bool = True,
    num_resamples: int = 100,
    conf_level: float = 0.95,
    progress: bool | None = None,
) -> SobolResult:
    r"""Sobol first-order and total indices of a result over parameter ranges.

    Each parameter is uniform on its range; the others in ``fixed`` keep their values.
    Symbolic targets (anything :func:`sensitivity` reads) are lambdified and evaluated on the
    whole Saltelli sample at once; a function is called once with arrays (``vectorized``) or
    once per sample point (with a progress bar), for models such as the credit margin that
    cannot take arrays.

    Parameters
    ----------
    target : symbolic target or callable
    ranges : mapping, optional
        ``{parameter: (lo, hi)}``. For symbolic targets the default is each parameter's
        declared range, which must then be finite.
    fixed : mapping, optional
        Values of the parameters that do not vary.
    n : int
        Base sample size N, a power of two (the Sobol sequence's balance needs it).
    seed : int
        Seed of the scrambled Sobol sequence and of the bootstrap.
    solve_for : str, optional
        As in :func:`sensitivity`, for conditions.
    vectorized : bool
        Whether a function target accepts arrays.
    num_resamples, conf_level
        Bootstrap of the confidence intervals.
    progress : bool, optional
        Progress bar over the points of a non-vectorised function.

    Returns
    -------
    SobolResult

    Raises
    ------
    ImportError
        SALib is not installed (``pip install 'alliance[sensitivity]'``).
    ParameterError
        A missing or infinite range, ``n`` not a power of two, a parameter neither ranged
        nor fixed.
    SolverError
        The result is not finite at some sample point (narrow the ranges).

    Examples
    --------
    >>> import sympy as sp
    >>> x, y = sp.symbols("x y")
    >>> res = sobol_indices(x + 2 * y, {"x": (0, 1), "y": (0, 1)}, n=1024)
    >>> res.first_order().round(2).tolist()  # analytic: 1/5 and 4/5
    [0.2, 0.8]
    """
    sample, analyze = _salib()
    if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or n < 2 or (n & (n - 1)):
        raise ParameterError(f"n is {n!r}; give a power of two such as 1024")
    fixed = {k: _number(k, v) for k, v in dict(fixed or {}).items()}
    if callable(target) and not isinstance(target, sp.Basic):
        if not ranges:
            raise ParameterError("a function target needs ranges={parameter: (lo, hi)}")
        names = list(ranges)
        quantities = None
        assumptions: dict = {}
    else:
        quantities, assumptions = _quantities(target, None, solve_for)
        quantities = _unique(quantities)
        if not quantities:
            raise ParameterError("the target has no quantity that depends on a parameter")
        symbols: dict[str, sp.Symbol] = {}
        for _, e in quantities:
            for s in e.free_symbols:
                symbols.setdefault(s.name, s)
        names = [k for k in sorted(symbols) if k not in fixed]
        if ranges is None:
            ranges = {}
            for k in names:
                lo, hi = _range_of(assumptions.get(k), symbols[k])
                if not (math.isfinite(lo) and math.isfinite(hi)):
                    raise ParameterError(
                        f"parameter '{k}' has the infinite declared range [{lo:g}, {hi:g}]; give "
                        "ranges= (or fix it with fixed=)"
                    )
                ranges[k] = (lo, hi)
        missing = [k for k in names if k not in ranges]
        if missing:
            raise ParameterError(
                f"parameter(s) {', '.join(missing)} have neither a range nor a fixed value"
            )
        names = [k for k in names if k in ranges]
    bounds = {}
    for k in names:
        lo, hi = (_number(k, v) for v in ranges[k])
        if not lo < hi:
            raise ParameterError(f"range of parameter '{k}' is [{lo:g}, {hi:g}]; it needs lo < hi")
        bounds[k] = (lo, hi)
    problem = {"num_vars": len(names), "names": names, "bounds": [list(bounds[k]) for k in names]}
    X = sample.sample(problem, n, calc_second_order=False, scramble=True, seed=seed)
    arrays = {k: X[:, j] for j, k in enumerate(names)}
    outputs: dict[str, np.ndarray] = {}
    if quantities is not None:
        for qname, expr in quantities:
            syms = sorted(expr.free_symbols, key=lambda s: s.name)
            fn = sp.lambdify(syms, expr, modules="numpy")
            args = [arrays[s.name] if s.name in arrays else fixed[s.name] for s in syms]
            outputs[qname] = np.broadcast_to(np.asarray(fn(*args), dtype=float), (X.shape[0],))
    elif vectorized:
        split = _split(target(**arrays, **fixed))
        outputs = {q: np.broadcast_to(np.asarray(v, dtype=float), (X.shape[0],)) for q, (v, _) in split.items()}
    else:
        from tqdm.auto import tqdm

        rows = []
        for i in tqdm(range(X.shape[0]), disable=None if progress is None else not progress, desc="Sobol sample"):
            rows.append(_split(target(**{k: float(X[i, j]) for j, k in enumerate(names)}, **fixed)))
        outputs = {q: np.array([float(r[q][0]) for r in rows]) for q in rows[0]}
    records = []
    for q, y in outputs.items():
        if not np.all(np.isfinite(y)):
            bad = int(np.flatnonzero(~np.isfinite(y))[0])
            where = ", ".join(f"{k}={X[bad, j]:.6g}" for j, k in enumerate(names))
            raise SolverError(f"{q} is not finite at {where}; narrow the ranges")
        res = analyze.analyze(
            problem,
            np.ascontiguousarray(y),
            calc_second_order=False,
            num_resamples=num_resamples,
            conf_level=conf_level,
            seed=seed,
        )
        for j, k in enumerate(names):
            records.append(
                {
                    "quantity": "f" if q == "f" and quantities is None else q,
                    "parameter": k,
                    "S1": float(res["S1"][j]),
                    "S1_conf": float(res["S1_conf"][j]),
                    "ST": float(res["ST"][j]),
                    "ST_conf": float(res["ST_conf"][j]),
                }
            )
    return SobolResult(pd.DataFrame(records), bounds, int(n), int(seed), int(X.shape[0]))
