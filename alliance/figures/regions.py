"""Region maps: a parameter plane coloured by equilibrium set, with boundary curves and labels."""

from __future__ import annotations

from typing import Any

import numpy as np

from alliance.figures.style import styled

__all__ = ["region_map", "OKABE_ITO"]

#: Okabe & Ito (2008) colour-blind-safe palette (without black, kept for lines).
# Region fills: the Okabe–Ito colours of the house style, black replaced by grey so that
# black boundary curves stay visible on top.
OKABE_ITO = ("#E69F00", "#56B4E9", "#009E73", "#F0E442", "#0072B2", "#D55E00", "#CC79A7", "#999999")


#: Regions covering less than this share of the plane are left out of the legend.
MIN_LEGEND_SHARE = 0.005


def _math_label(name: str) -> str:
    """A parameter name as a math label: pi -> $\\pi$, c_b -> $c_{b}$, F -> $F$."""
    import sympy as sp

    return f"${sp.latex(sp.Symbol(name))}$"


@styled
def region_map(
    regions: Any,
    x: tuple | None = None,
    y: tuple | None = None,
    fixed: dict | None = None,
    *,
    ax: Any = None,
    colors: Any = None,
    labels: bool = True,
    boundaries: bool = True,
    legend: bool = False,
    resolution: int = 301,
    alpha: float = 0.85,
) -> Any:
    """Draw a :class:`~alliance.games.regions.RegionMap` (or compute one from a game).

    Parameters
    ----------
    regions : RegionMap or NormalFormGame
        A region map, or a symbolic game (then ``x``, ``y`` and ``fixed`` are passed to
        :func:`alliance.games.regions.regions`).
    x, y : tuple, optional
        ``(parameter, low, high)`` of the horizontal and vertical axes, in the parameter's
        own unit; used only when ``regions`` is a game.
    fixed : dict, optional
        Values of the game's other parameters (only when ``regions`` is a game).
    ax : matplotlib Axes, optional
        Axes to draw on; a new figure is made when omitted.
    colors : sequence of colours, optional
        One per region (default: the Okabe–Ito palette).
    labels : bool
        Write each region's equilibrium set at a point well inside it.
    boundaries : bool
        Draw the symbolic boundary curves ``e(x, y) = 0``.
    legend : bool
        Add a legend of regions (useful when regions are too thin to label).
    resolution : int
        Grid points per axis when the map is computed from a game (at least 2).
    alpha : float
        Opacity of the region fills, in ``[0, 1]``.

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
    >>> ax = region_map(g, x=("r", 0.01, 1), y=("c", 0, 1), resolution=21)
    >>> ax.get_xlabel(), ax.get_ylabel()
    ('$r$', '$c$')
    """
    import matplotlib.pyplot as plt
    from matplotlib.patches import Patch

    from alliance.games.regions import RegionMap
    from alliance.games.regions import regions as compute

    if not isinstance(regions, RegionMap):
        regions = compute(regions, x=x, y=y, fixed=fixed, resolution=resolution)
    if ax is None:
        _, ax = plt.subplots()
    palette = list(colors or OKABE_ITO)
    # One vector patch per region (contourf of its indicator), so the PDF holds no raster
    # image and stays small however fine the grid.
    X, Y = np.meshgrid(regions.x_values, regions.y_values)
    for r in regions.regions:
        inside = (regions.labels == r.index).astype(float)
        if inside.any():
            ax.contourf(X, Y, inside, levels=[0.5, 1.5], colors=[palette[r.index % len(palette)]],
                        alpha=alpha, antialiased=True)
    if boundaries and regions.boundaries:
        for f in regions.boundary_functions():
            Z = np.broadcast_to(np.asarray(f(X, Y), dtype=float), X.shape)
            if np.nanmin(Z) < 0 < np.nanmax(Z):
                ax.contour(X, Y, Z, levels=[0.0], colors="black", linewidths=1.0)
    if labels:
        for r in regions.regions:
            if r.share >= 0.01:  # a label needs room
                ax.annotate(
                    r.label,
                    r.point,
                    ha="center",
                    va="center",
                    fontsize="small",
                    bbox={"boxstyle": "round,pad=0.2", "fc": "white", "ec": "none", "alpha": 0.8},
                )
    # Regions on a boundary line (an equality) cover a few grid points: they are real but have
    # no area, so they are left out of the legend and said to lie on the boundaries.
    visible = [r for r in regions.regions if r.share >= MIN_LEGEND_SHARE]
    if legend:
        handles = [Patch(color=palette[r.index % len(palette)], label=r.label) for r in visible]
        ax.legend(handles=handles, loc="best", fontsize="small")
    notes = []
    if any("·" in r.label for r in regions.regions):
        notes.append("· = a mixed strategy")
    if len(visible) < len(regions.regions):
        notes.append("other equilibrium sets only on the boundaries")
    if notes and (labels or legend):
        ax.text(0.01, -0.16, "; ".join(notes), transform=ax.transAxes, fontsize="x-small",
                va="top", ha="left")
    ax.set_xlabel(_math_label(regions.x))
    ax.set_ylabel(_math_label(regions.y))
    ax.set_xlim(regions.x_values[0], regions.x_values[-1])
    ax.set_ylim(regions.y_values[0], regions.y_values[-1])
    return ax
