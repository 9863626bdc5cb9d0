"""The partition of a parameter plane into regions with the same equilibrium set.

Examples
--------
>>> import alliance as al
>>> g = al.NormalFormGame.from_payoffs(
...     {("lend", "repay"): ("r", "1 - r"), ("lend", "default"): (-1, "1 - c"),
...      ("refuse", "repay"): (0, 0), ("refuse", "default"): (0, 0)},
...     players=("Bank", "SME"), params={"r": (0, 1), "c": (0, 1)})
>>> rm = regions(g, x=("r", 0.01, 1), y=("c", 0, 1), resolution=(40, 41))
>>> sorted(rm.to_frame()["equilibria"])
['(lend, ·) + (refuse, ·)', '(refuse, ·)', '(refuse, ·) + (lend, repay)']
>>> rm.boundaries
(c - r, r)
"""

from __future__ import annotations

import html
import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
import sympy as sp

from alliance.errors import ParameterError
from alliance.games.symbolic._conditions import Domain, check_range
from alliance.games.symbolic.classifier import (
    EquilibriumSetClassifier,
    cached_equilibria,
)
from alliance.games.symbolic.equilibrium import DEFAULT_TOL, SymbolicEquilibrium

__all__ = ["regions", "RegionMap", "Region"]


@dataclass(frozen=True, eq=False)
class Region:
    """One region of a parameter plane: the points with the same equilibrium set.

    Parameters
    ----------
    index : int
        Position in :attr:`RegionMap.regions` (and value in :attr:`RegionMap.labels`).
    code : int
        The classifier's code of the equilibrium set.
    label : str
        A readable name such as ``"(lend, repay)"``, ``"mixed"`` or ``"(refuse, ·)"``.
    equilibria : tuple of SymbolicEquilibrium
        The equilibria (with ``fixed`` substituted) whose conditions hold in the region.
    share : float
        Fraction of the grid points in the region.
    point : tuple of float
        A grid point well inside the region (farthest from its edge).

    Examples
    --------
    >>> import alliance as al
    >>> g = al.NormalFormGame.from_payoffs(
    ...     {("lend", "repay"): ("r", "1 - r"), ("lend", "default"): (-1, "1 - c"),
    ...      ("refuse", "repay"): (0, 0), ("refuse", "default"): (0, 0)},
    ...     players=("Bank", "SME"), params={"r": (0, 1), "c": (0, 1)})
    >>> rm = regions(g, x=("r", 0.01, 1), y=("c", 0, 1), resolution=(40, 41))
    >>> region = rm.region_at(0.5, 0.9)
    >>> region.label, round(region.share, 2)
    ('(refuse, ·) + (lend, repay)', 0.5)
    """

    index: int
    code: int
    label: str
    equilibria: tuple[SymbolicEquilibrium, ...]
    share: float
    point: tuple[float, float]

    @property
    def is_boundary(self) -> bool:
        """True when every equilibrium case of the region needs an equation to hold."""
        return bool(self.equilibria) and all(e.is_boundary for e in self.equilibria)


@dataclass(frozen=True, eq=False)
class RegionMap:
    """A parameter plane partitioned by equilibrium set, with its symbolic boundaries.

    Parameters
    ----------
    x, y : str
        Names of the parameters on the axes.
    x_values, y_values : ndarray
        Grid coordinates.
    labels : ndarray of int, shape (len(y_values), len(x_values))
        Region index of each grid point.
    regions : tuple of Region
        The regions, in the order of their index.
    boundaries : tuple of sympy.Expr
        Expressions ``e(x, y)`` whose zero sets bound the regions.
    fixed : dict
        Values of the other parameters.
    symbols : tuple of sympy.Symbol, optional
        The SymPy symbols of ``x`` and ``y`` (used by :meth:`boundary_functions`).
    title : str, optional
        The game's title, shown on plots.

    Examples
    --------
    Made by :func:`regions`; the lending game's plane of the interest rate ``r`` and the
    cost of default ``c``:

    >>> import alliance as al
    >>> g = al.NormalFormGame.from_payoffs(
    ...     {("lend", "repay"): ("r", "1 - r"), ("lend", "default"): (-1, "1 - c"),
    ...      ("refuse", "repay"): (0, 0), ("refuse", "default"): (0, 0)},
    ...     players=("Bank", "SME"), params={"r": (0, 1), "c": (0, 1)})
    >>> rm = regions(g, x=("r", 0.01, 1), y=("c", 0, 1), resolution=(40, 41))
    >>> rm.x, rm.y, rm.labels.shape, len(rm.regions)
    ('r', 'c', (41, 40), 3)
    """

    x: str
    y: str
    x_values: np.ndarray
    y_values: np.ndarray
    labels: np.ndarray
    regions: tuple[Region, ...]
    boundaries: tuple[sp.Expr, ...]
    fixed: dict = field(default_factory=dict)
    symbols: tuple[sp.Symbol, sp.Symbol] | None = field(default=None, repr=False)
    title: str | None = None

    def region_at(self, x: float, y: float) -> Region:
        """The region of the grid point nearest to ``(x, y)``.

        Parameters
        ----------
        x, y : float
            A point of the plane, in the units of the two parameters.

        Returns
        -------
        Region
            The region of the nearest grid point.

        Examples
        --------
        >>> import alliance as al
        >>> g = al.NormalFormGame.from_payoffs(
        ...     {("lend", "repay"): ("r", "1 - r"), ("lend", "default"): (-1, "1 - c"),
        ...      ("refuse", "repay"): (0, 0), ("refuse", "default"): (0, 0)},
        ...     players=("Bank", "SME"), params={"r": (0, 1), "c": (0, 1)})
        >>> rm = regions(g, x=("r", 0.01, 1), y=("c", 0, 1), resolution=(40, 41))
        >>> rm.region_at(0.5, 0.1).label
        '(refuse, ·)'
        """
        i = int(np.abs(self.y_values - y).argmin())
        j = int(np.abs(self.x_values - x).argmin())
        return self.regions[int(self.labels[i, j])]

    def boundary_functions(self) -> list:
        """The boundary expressions lambdified as NumPy functions ``f(x, y)``.

        Returns
        -------
        list of callable
            One vectorised function per boundary, in the order of :attr:`boundaries`.

        Examples
        --------
        >>> import alliance as al
        >>> g = al.NormalFormGame.from_payoffs(
        ...     {("lend", "repay"): ("r", "1 - r"), ("lend", "default"): (-1, "1 - c"),
        ...      ("refuse", "repay"): (0, 0), ("refuse", "default"): (0, 0)},
        ...     players=("Bank", "SME"), params={"r": (0, 1), "c": (0, 1)})
        >>> rm = regions(g, x=("r", 0.01, 1), y=("c", 0, 1), resolution=(40, 41))
        >>> rm.boundaries, [float(f(0.5, 0.25)) for f in rm.boundary_functions()]
        ((c - r, r), [-0.25, 0.5])
        """
        return [sp.lambdify(self.symbols, e, modules="numpy") for e in self.boundaries]

    def to_frame(self) -> pd.DataFrame:
        """One row per region: label, share of the plane, a point inside, conditions.

        Returns
        -------
        pandas.DataFrame
            Indexed by ``region``; columns ``equilibria``, ``share``, the two parameters
            and ``conditions``.

        Examples
        --------
        >>> import alliance as al
        >>> g = al.NormalFormGame.from_payoffs(
        ...     {("lend", "repay"): ("r", "1 - r"), ("lend", "default"): (-1, "1 - c"),
        ...      ("refuse", "repay"): (0, 0), ("refuse", "default"): (0, 0)},
        ...     players=("Bank", "SME"), params={"r": (0, 1), "c": (0, 1)})
        >>> rm = regions(g, x=("r", 0.01, 1), y=("c", 0, 1), resolution=(40, 41))
        >>> list(rm.to_frame().columns)
        ['equilibria', 'share', 'r', 'c', 'conditions']
        """
        return pd.DataFrame(
            {
                "equilibria": [r.label for r in self.regions],
                "share": [r.share for r in self.regions],
                self.x: [r.point[0] for r in self.regions],
                self.y: [r.point[1] for r in self.regions],
                "conditions": [
                    " | ".join(str(e.conditions) for e in r.equilibria) for r in self.regions
                ],
            },
            index=pd.Index([r.index for r in self.regions], name="region"),
        )

    def plot(self, ax: Any = None, **kwargs: Any) -> Any:
        """Draw the map (see :func:`alliance.figures.regions.region_map`).

        Parameters
        ----------
        ax : matplotlib Axes, optional
            Axes to draw on; a new figure is made when omitted.
        **kwargs
            Options of :func:`~alliance.figures.regions.region_map`: ``colors``,
            ``labels``, ``boundaries``, ``legend``, ``alpha``.

        Returns
        -------
        matplotlib.axes.Axes
            The axes drawn on.

        Examples
        --------
        >>> import alliance as al
        >>> g = al.NormalFormGame.from_payoffs(
        ...     {("lend", "repay"): ("r", "1 - r"), ("lend", "default"): (-1, "1 - c"),
        ...      ("refuse", "repay"): (0, 0), ("refuse", "default"): (0, 0)},
        ...     players=("Bank", "SME"), params={"r": (0, 1), "c": (0, 1)})
        >>> rm = regions(g, x=("r", 0.01, 1), y=("c", 0, 1), resolution=(40, 41))
        >>> rm.plot().get_xlabel()
        '$r$'
        """
        from alliance.figures.regions import region_map

        return region_map(self, ax=ax, **kwargs)

    def __repr__(self) -> str:
        fixed = ", ".join(f"{k}={v:g}" for k, v in self.fixed.items())
        lines = [
            f"RegionMap({self.x} in [{self.x_values[0]:g}, {self.x_values[-1]:g}] × "
            f"{self.y} in [{self.y_values[0]:g}, {self.y_values[-1]:g}]"
            + (f"; {fixed}" if fixed else "")
            + f"; {len(self.regions)} regions)"
        ]
        for r in self.regions:
            lines.append(f"  {r.index}: {r.label}  ({100 * r.share:.1f}%)")
        if self.boundaries:
            lines.append("  boundaries: " + ", ".join(f"{b} = 0" for b in self.boundaries))
        return "\n".join(lines)

    def _repr_latex_(self) -> str:
        rows = [
            r"\text{"
            + r.label.replace("_", r"\_")
            + "} & "
            + r" \;\lor\; ".join(sp.latex(e.conditions) for e in r.equilibria)
            for r in self.regions
        ]
        return r"$\begin{array}{l|l}" + r" \\ ".join(rows) + r"\end{array}$"

    def _repr_html_(self) -> str:
        try:
            return (
                f"<pre>{html.escape(repr(self).splitlines()[0])}</pre>" + self.to_frame().to_html()
            )
        except Exception:  # a display hook must never raise
            return "<pre>" + html.escape(object.__repr__(self)) + "</pre>"


def _axis(spec: Any, field_name: str, names: dict, domain: Domain) -> tuple[str, float, float]:
    if not isinstance(spec, (tuple, list)) or len(spec) != 3:
        raise ParameterError(f"{field_name} is {spec!r}; give (name, lo, hi)")
    name, lo, hi = spec
    if name not in names:
        raise ParameterError(
            f"{field_name} names parameter {name!r}; the game's parameters are {', '.join(sorted(names))}"
        )
    for v, what in ((lo, "lo"), (hi, "hi")):
        if (
            isinstance(v, bool)
            or not isinstance(v, (int, float, np.integer, np.floating))
            or not math.isfinite(float(v))
        ):
            raise ParameterError(
                f"{field_name} {what} of '{name}' is {v!r}; it must be a finite number"
            )
    if float(lo) >= float(hi):
        raise ParameterError(f"{field_name} range of '{name}' is [{lo}, {hi}]; it needs lo < hi")
    check_range(name, np.array([float(lo), float(hi)]), domain.assumptions.get(name), names[name])
    return name, float(lo), float(hi)


def regions(
    game: Any,
    x: tuple,
    y: tuple,
    fixed: Mapping[str, Any] | None = None,
    *,
    resolution: int | tuple[int, int] = 301,
    tol: float = DEFAULT_TOL,
) -> RegionMap:
    """Partition a plane of two parameters into regions labelled by their equilibrium set.

    Parameters
    ----------
    game : NormalFormGame
        A symbolic game.
    x, y : tuple (name, lo, hi)
        The parameters on the axes and their ranges (``lo < hi``, inside their assumptions).
    fixed : dict, optional
        Values of every other parameter.
    resolution : int or (int, int)
        Grid points along x and y.
    tol : float
        Absolute tolerance of the grid evaluation.

    Returns
    -------
    RegionMap
        The regions, their symbolic boundaries and the grid of region indices.

    Raises
    ------
    ParameterError
        Unknown or missing parameters, ``lo >= hi``, non-numeric values, values that
        contradict the parameters' assumptions.

    Examples
    --------
    Matching pennies with a stake ``s``: one region (the mixed equilibrium) whatever ``s``
    and the other player's stake ``t``.

    >>> import alliance as al
    >>> g = al.NormalFormGame.from_matrices([["s", "-s"], ["-s", "s"]],
    ...                                     [["-t", "t"], ["t", "-t"]],
    ...                                     params={"s": (1, 2), "t": (1, 2)})
    >>> rm = regions(g, x=("s", 1, 2), y=("t", 1, 2), resolution=11)
    >>> [r.label for r in rm.regions]
    ['mixed']
    """
    if not getattr(game, "is_symbolic", False):
        raise ParameterError("regions needs a symbolic game")
    domain = Domain.of_game(game)
    names = {s.name: s for s in game.params}
    xname, x0, x1 = _axis(x, "x", names, domain)
    yname, y0, y1 = _axis(y, "y", names, domain)
    if xname == yname:
        raise ParameterError(f"x and y are both '{xname}'; choose two different parameters")
    fixed = dict(fixed or {})
    for name in (xname, yname):
        if name in fixed:
            raise ParameterError(f"fixed gives a value for '{name}', which is on an axis")
    missing = sorted(set(names) - {xname, yname} - set(fixed))
    if missing:
        raise ParameterError(f"fixed lacks a value for parameter(s) {', '.join(missing)}")
    domain.check_values(fixed, field="fixed")
    nx, ny = (resolution, resolution) if isinstance(resolution, int) else resolution
    if min(nx, ny) < 2:
        raise ParameterError(f"resolution is {resolution!r}; it must be at least 2")

    eqs = (
        [e.subs(**fixed) for e in cached_equilibria(game)]
        if fixed
        else list(cached_equilibria(game))
    )
    eqs = [e for e in eqs if e.is_possible]
    sx, sy = names[xname], names[yname]
    clf = EquilibriumSetClassifier(eqs, (sx, sy), game.assumptions, tol)
    xs = np.linspace(x0, x1, nx)
    ys = np.linspace(y0, y1, ny)
    X, Y = np.meshgrid(xs, ys)
    codes = clf.codes({xname: X, yname: Y})
    unique, inverse = np.unique(codes, return_inverse=True)
    # Codes that differ only in extreme points of the same components share a label: merge.
    names_of = [clf.describe(c) for c in unique]
    label_names = list(dict.fromkeys(names_of))
    relabel = np.array([label_names.index(n) for n in names_of])
    labels = relabel[inverse].reshape(codes.shape)

    from scipy import ndimage

    out = []
    for k, name in enumerate(label_names):
        mask = labels == k
        code = unique[names_of.index(name)]
        depth = ndimage.distance_transform_edt(np.pad(mask, 1))[1:-1, 1:-1]
        i, j = np.unravel_index(int(depth.argmax()), mask.shape)
        code = int(codes[i, j])
        members = [clf.keys[b] for b in clf.members(code)]
        held = tuple(
            e
            for e in eqs
            if e.key in members
            and e.holds_at(tol=tol, **{xname: float(X[i, j]), yname: float(Y[i, j])})
        )
        out.append(
            Region(k, code, name, held, float(mask.mean()), (float(X[i, j]), float(Y[i, j])))
        )
    bounds = []
    for e in clf.expressions:
        if e.free_symbols & {sx, sy} and not any(sp.simplify(e - b) == 0 for b in bounds):
            bounds.append(e)
    return RegionMap(
        xname,
        yname,
        xs,
        ys,
        labels,
        tuple(out),
        tuple(bounds),
        fixed,
        (sx, sy),
        getattr(game, "title", None),
    )
