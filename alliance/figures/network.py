"""Figures of the alliance network and of its credit margin.

* :func:`draw_network`: the alliance as a graph: members sized by loan demand and coloured by
  default probability, guarantee chains solid, trade chains dashed, guarantee circles in
  vermillion, the fund and guarantee institutions as squares.
* :func:`margin_curve`: the credit margin against a parameter (correlation ρ, guarantee
  density), with a ±2 standard-error band and optionally the credit multiplier.
* :func:`loss_decomposition`: the bank's expected loss split into credit, operational and
  guarantor risk, one stacked bar per scenario.

Every function takes ``ax=None`` (a new figure in the house style when None) and returns the
Axes it drew on.

Examples
--------
>>> import matplotlib
>>> matplotlib.use("Agg")
>>> import pandas as pd
>>> from alliance.figures import loss_decomposition
>>> frame = pd.DataFrame({"credit": [3.0, 2.0], "operational": [0.5, 0.4],
...                       "guarantor": [0.0, 1.1]}, index=["no circle", "circle"])
>>> ax = loss_decomposition(frame)
>>> [t.get_text() for t in ax.get_xticklabels()]
['no circle', 'circle']
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

import matplotlib as mpl
import matplotlib.pyplot as plt
import networkx as nx
import numpy as np
import pandas as pd
from matplotlib.lines import Line2D

from alliance.errors import NetworkError, ParameterError
from alliance.figures.style import OKABE_ITO, style_context
from alliance.network.circles import GuaranteeCircle, guarantee_circles

__all__ = ["draw_network", "loss_decomposition", "margin_curve", "margin_waterfall"]

#: Colours of the chain kinds and of highlighted guarantee circles.
CHAIN_COLOURS = {
    "guarantee": OKABE_ITO["blue"],
    "trade": OKABE_ITO["orange"],
    "circle": OKABE_ITO["vermillion"],
}
#: Colours of the three risks in :func:`loss_decomposition`.
RISK_COLOURS = {
    "credit": OKABE_ITO["blue"],
    "operational": OKABE_ITO["orange"],
    "guarantor": OKABE_ITO["vermillion"],
    "contagion": OKABE_ITO["reddish_purple"] if "reddish_purple" in OKABE_ITO else "#CC79A7",
}
_INSTITUTION_ROLES = {"fund", "guarantor"}


def _new_axes(ax, width: str = "single"):
    if ax is not None:
        return ax
    with style_context(width=width):
        _, ax = plt.subplots()
    return ax


# -- network ----------------------------------------------------------------------------------
def _as_graph(net_or_graph: Any) -> nx.DiGraph:
    graph = net_or_graph
    if not isinstance(graph, nx.DiGraph) and isinstance(getattr(graph, "graph", None), nx.DiGraph):
        graph = graph.graph
    if not isinstance(graph, nx.DiGraph):
        raise NetworkError(
            f"net_or_graph is a {type(net_or_graph).__name__}; it must be an AllianceNetwork "
            "(an object with a .graph networkx.DiGraph) or a networkx.DiGraph"
        )
    return graph


def _number(data: Mapping, key: str, default: float) -> float:
    value = data.get(key, default)
    try:
        value = float(value)
    except (TypeError, ValueError):
        return default
    return value if math.isfinite(value) else default


def _sector_layout(graph: nx.DiGraph) -> dict:
    """Sectors as clusters on a ring, members on a small circle in each, institutions inside."""
    sectors: dict[Any, list] = {}
    institutions = []
    for node, data in graph.nodes(data=True):
        sector = data.get("sector")
        if (
            data.get("role") in _INSTITUTION_ROLES
            or sector is None
            or sector == ""
            or (isinstance(sector, float) and math.isnan(sector))
        ):
            institutions.append(node)
        else:
            sectors.setdefault(sector, []).append(node)
    pos = {}
    keys = sorted(sectors, key=str)
    ring = 1.0 if len(keys) > 1 else 0.0
    for k, sector in enumerate(keys):
        centre = ring * np.array(
            [
                math.cos(math.pi / 2 + 2 * math.pi * k / len(keys)),
                math.sin(math.pi / 2 + 2 * math.pi * k / len(keys)),
            ]
        )
        nodes = sorted(sectors[sector], key=str)
        radius = 0.2 + 0.022 * len(nodes)
        angles = 2 * math.pi * np.arange(len(nodes)) / max(1, len(nodes))
        for node, angle in zip(nodes, angles, strict=True):
            pos[node] = centre + radius * np.array([math.cos(angle), math.sin(angle)])
    for k, node in enumerate(institutions):
        pos[node] = np.array([0.45 * (k - (len(institutions) - 1) / 2), 0.0])
    return pos


def _layout(graph: nx.DiGraph, layout: str | Mapping, seed: int) -> dict:
    if isinstance(layout, Mapping):
        missing = [n for n in graph.nodes if n not in layout]
        if missing:
            raise ParameterError(f"layout has no position for node {missing[0]!r}")
        return {n: np.asarray(layout[n], dtype=float) for n in graph.nodes}
    if layout == "sector":
        return _sector_layout(graph)
    if layout == "spring":
        return nx.spring_layout(graph, seed=seed)
    if layout == "kamada_kawai":
        return nx.kamada_kawai_layout(graph)
    if layout == "circular":
        return nx.circular_layout(graph)
    raise ParameterError(
        f"layout is {layout!r}; it must be 'sector', 'spring', 'kamada_kawai', 'circular' "
        "or a dict of positions"
    )


def _circle_edges(graph: nx.DiGraph, circles: Any, max_length: int) -> set:
    if circles is False or circles is None:
        return set()
    if circles is True:
        circles = guarantee_circles(graph, max_length=max_length)
    edges = set()
    for circle in circles:
        if not isinstance(circle, GuaranteeCircle):
            raise ParameterError(
                f"circles contains a {type(circle).__name__}; it must be True, False or a "
                "list of GuaranteeCircle"
            )
        edges.update((a, b) for a, b, _ in circle.chains)
    return edges


def draw_network(
    net_or_graph: Any,
    ax=None,
    *,
    layout: str | Mapping = "sector",
    seed: int = 7,
    circles: bool | Sequence[GuaranteeCircle] = True,
    max_circle_length: int = 6,
    cmap: str = "viridis",
    node_size: tuple[float, float] = (30.0, 320.0),
    labels: bool = True,
    colorbar: bool = True,
    legend: bool = True,
):
    """Draw an alliance network.

    Members are circles with area proportional to their loan ``demand``, coloured by ``pd``
    (with a colour bar); the fund and guarantee institutions are white squares. Guarantee
    chains are solid blue arrows, trade chains dashed orange arrows, both with widths
    growing with the ``amount``; chains on a guarantee circle are drawn in vermillion, and
    the circle's members get a vermillion outline.

    Parameters
    ----------
    net_or_graph : AllianceNetwork or networkx.DiGraph
        Anything with a ``.graph`` DiGraph, or the DiGraph itself; node attributes
        ``demand, pd, role, sector``, edge attributes ``kind, amount`` (missing ones get
        neutral defaults).
    ax : matplotlib.axes.Axes, optional
        Where to draw (default: a new single-column figure in the house style).
    layout : {"sector", "spring", "kamada_kawai", "circular"} or dict
        Node placement: ``"sector"`` (default) clusters each sector on a ring with the
        institutions in the middle; a dict gives each node's (x, y).
    seed : int
        Seed of the spring layout (figures are reproducible).
    circles : bool or list of GuaranteeCircle
        Highlight all guarantee circles (True, including mutual pairs), none (False), or
        the given ones (e.g. only the longer ones).
    max_circle_length : int
        Longest circle searched when ``circles`` is True.
    cmap : str
        Colour map of the default probability.
    node_size : (float, float)
        Smallest and largest marker area (points²) of members.
    labels, colorbar, legend : bool
        Whether to write node names, the pd colour bar and the legend of chain kinds. Names
        sit just outside their marker, away from the layout's centre, on a white box that
        hides a chain passing under them; the legend sits below the drawing, outside the
        axes, so that it covers no node.

    Returns
    -------
    matplotlib.axes.Axes
        The Axes drawn on. Chain arrows carry the gid ``"guarantee"``, ``"trade"`` or
        ``"guarantee-circle"`` (handy to restyle them, or to test a figure).

    Raises
    ------
    NetworkError
        If ``net_or_graph`` is not a network or directed graph.
    ParameterError
        If ``layout``, ``circles`` or ``node_size`` is not admissible.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import networkx as nx
    >>> g = nx.DiGraph()
    >>> for name, d, p in [("A", 200, 0.04), ("B", 100, 0.01), ("C", 150, 0.02)]:
    ...     g.add_node(name, demand=d, pd=p, role="member", sector="x")
    >>> g.add_edge("A", "B", kind="guarantee", amount=40)
    >>> g.add_edge("B", "A", kind="guarantee", amount=30)
    >>> g.add_edge("C", "A", kind="trade", amount=20)
    >>> ax = draw_network(g)
    >>> sorted(p.get_gid() for p in ax.patches)
    ['guarantee-circle', 'guarantee-circle', 'trade']
    """
    graph = _as_graph(net_or_graph)
    try:
        small, large = (float(x) for x in node_size)
    except (TypeError, ValueError) as err:
        raise ParameterError(f"node_size is {node_size!r}; it must be a pair (min, max)") from err
    if not 0 < small <= large:
        raise ParameterError(f"node_size is {node_size!r}; it must satisfy 0 < min <= max")
    ax = _new_axes(ax)
    nodes = list(graph.nodes)
    if not nodes:
        ax.set_axis_off()
        return ax
    pos = _layout(graph, layout, seed)
    data = [graph.nodes[n] for n in nodes]
    is_institution = np.array([d.get("role") in _INSTITUTION_ROLES for d in data])
    demand = np.array([max(0.0, _number(d, "demand", 0.0)) for d in data])
    pd_values = np.array([_number(d, "pd", np.nan) for d in data])
    top = demand[~is_institution].max(initial=0.0)
    sizes = small + (large - small) * (demand / top if top > 0 else np.zeros_like(demand))
    sizes[is_institution] = 0.6 * large
    circle_edges = _circle_edges(graph, circles, max_circle_length)
    on_circle = {n for edge in circle_edges for n in edge}

    # -- chains (drawn first, under the nodes) ---------------------------------------------
    edges = list(graph.edges(data=True))
    amounts = np.array([max(0.0, _number(d, "amount", 0.0)) for _, _, d in edges])
    biggest = amounts.max(initial=0.0)
    widths = 0.5 + 1.8 * (amounts / biggest if biggest > 0 else amounts)
    groups: dict[str, list[int]] = {"trade": [], "guarantee": [], "guarantee-circle": []}
    for k, (a, b, d) in enumerate(edges):
        if d.get("kind") == "guarantee":
            groups["guarantee-circle" if (a, b) in circle_edges else "guarantee"].append(k)
        else:
            groups["trade"].append(k)
    style_of = {
        "trade": (CHAIN_COLOURS["trade"], "dashed", 1.0),
        "guarantee": (CHAIN_COLOURS["guarantee"], "solid", 1.0),
        "guarantee-circle": (CHAIN_COLOURS["circle"], "solid", 1.6),
    }
    for gid, members in groups.items():
        if not members:
            continue
        colour, line_style, boost = style_of[gid]
        patches = nx.draw_networkx_edges(
            graph,
            pos,
            edgelist=[(edges[k][0], edges[k][1]) for k in members],
            width=list(widths[members] * boost),
            edge_color=colour,
            style=line_style,
            alpha=0.9,
            arrows=True,
            arrowstyle="-|>",
            arrowsize=6,
            connectionstyle="arc3,rad=0.15",
            nodelist=nodes,
            node_size=list(sizes),
            ax=ax,
        )
        for patch in patches:
            patch.set_gid(gid)

    # -- nodes --------------------------------------------------------------------------------
    xy = np.array([pos[n] for n in nodes])
    member = ~is_institution
    outline = np.array([OKABE_ITO["vermillion"] if n in on_circle else "#333333" for n in nodes])
    outline_width = np.array([1.3 if n in on_circle else 0.4 for n in nodes])
    finite = np.isfinite(pd_values) & member
    norm = mpl.colors.Normalize(
        vmin=0.0, vmax=max(0.01, float(np.nanmax(pd_values[member], initial=0.0)))
    )
    points = None
    if finite.any():
        points = ax.scatter(
            xy[finite, 0],
            xy[finite, 1],
            s=sizes[finite],
            c=pd_values[finite],
            cmap=cmap,
            norm=norm,
            edgecolors=outline[finite],
            linewidths=outline_width[finite],
            zorder=3,
            gid="members",
        )
    unknown = member & ~finite
    if unknown.any():
        ax.scatter(
            xy[unknown, 0],
            xy[unknown, 1],
            s=sizes[unknown],
            c="#BBBBBB",
            edgecolors=outline[unknown],
            linewidths=outline_width[unknown],
            zorder=3,
        )
    if is_institution.any():
        ax.scatter(
            xy[is_institution, 0],
            xy[is_institution, 1],
            s=sizes[is_institution],
            marker="s",
            c="white",
            edgecolors="black",
            linewidths=0.8,
            zorder=3,
            gid="institutions",
        )
    if colorbar and points is not None:
        bar = ax.figure.colorbar(points, ax=ax, fraction=0.04, pad=0.02, shrink=0.8)
        bar.set_label("Default probability $p$")
        # Matplotlib rasterises a colour bar of many colours; a vector PDF stays vector
        if bar.solids is not None:
            bar.solids.set_rasterized(False)
        bar.outline.set_linewidth(0.4)
    if legend:
        handles = [
            Line2D([], [], color=CHAIN_COLOURS["guarantee"], lw=1.2, label="guarantee"),
            Line2D([], [], color=CHAIN_COLOURS["trade"], lw=1.2, ls="--", label="trade"),
        ]
        if groups["guarantee-circle"]:
            handles.append(
                Line2D([], [], color=CHAIN_COLOURS["circle"], lw=1.8, label="guarantee circle")
            )
        if is_institution.any():
            handles.append(
                Line2D(
                    [], [], marker="s", ls="", mfc="white", mec="black", label="fund / guarantor"
                )
            )
        # below the axes, outside the drawing: it never covers a node or a label
        ax.legend(
            handles=handles,
            loc="upper center",
            bbox_to_anchor=(0.5, -0.01),
            ncol=min(len(handles), 4),
            fontsize=6,
            frameon=False,
            handlelength=1.8,
            columnspacing=1.2,
        )
    if labels:
        index = {n: k for k, n in enumerate(nodes)}
        segments = np.array(
            [[*xy[index[a]], *xy[index[b]]] for a, b, _ in edges], dtype=float
        ).reshape(-1, 4)
        ax.set_aspect("equal", adjustable="datalim")
        ax.autoscale_view()
        _label_nodes(ax, nodes, xy, sizes, segments)
    ax.set_aspect("equal", adjustable="datalim")
    ax.set_axis_off()
    return ax


def _label_nodes(ax, nodes: list, xy: np.ndarray, sizes: np.ndarray, segments: np.ndarray) -> None:
    """Write each node's name just outside its marker, where it covers the least.

    Each name tries eight places around its marker and takes the one whose box overlaps the
    fewest markers, names already placed and chains (as straight segments), preferring the
    side away from the layout's centre (chains run mostly inwards). A white box hides what
    still passes under a name.
    """
    fig = ax.figure
    ax.apply_aspect()  # the limits the drawing will have (equal aspect, data limits)
    points = ax.transData.transform(xy) * 72.0 / fig.dpi  # display coordinates, in points
    radius = np.sqrt(sizes) / 2
    seg = (
        ax.transData.transform(segments.reshape(-1, 2)).reshape(-1, 4) * 72.0 / fig.dpi
        if len(segments)
        else np.zeros((0, 4))
    )
    centre = points.mean(axis=0)
    angles = np.arange(8) * np.pi / 4
    candidates = np.stack([np.cos(angles), np.sin(angles)], axis=1)  # (8, 2)
    placed: list[np.ndarray] = []  # boxes (x0, y0, x1, y1) of the names placed so far
    height = 6.0
    for i, node in enumerate(nodes):
        width = 3.2 * len(str(node)) + 2.0
        gap = radius[i] + 1.5
        anchor = points[i] + candidates * gap  # (8, 2)
        # box of each candidate, aligned as the annotation below aligns it
        x0 = anchor[:, 0] - np.where(
            candidates[:, 0] > 0.35, 0.0, np.where(candidates[:, 0] < -0.35, width, width / 2)
        )
        y0 = anchor[:, 1] - np.where(
            candidates[:, 1] > 0.35, 0.0, np.where(candidates[:, 1] < -0.35, height, height / 2)
        )
        boxes = np.stack([x0, y0, x0 + width, y0 + height], axis=1)
        # markers under each box (the box against each disc's bounding square)
        others = np.arange(len(nodes)) != i
        cx, cy, r = points[others, 0], points[others, 1], radius[others]
        hits_nodes = (
            (boxes[:, [0]] < cx + r) & (boxes[:, [2]] > cx - r)
            & (boxes[:, [1]] < cy + r) & (boxes[:, [3]] > cy - r)
        ).sum(axis=1)
        hits_labels = np.zeros(8)
        if placed:
            pb = np.array(placed)
            hits_labels = (
                (boxes[:, [0]] < pb[:, 2]) & (boxes[:, [2]] > pb[:, 0])
                & (boxes[:, [1]] < pb[:, 3]) & (boxes[:, [3]] > pb[:, 1])
            ).sum(axis=1)
        hits_chains = _segments_through_boxes(seg, boxes)
        outward = points[i] - centre
        norm = float(np.hypot(*outward))
        prefer = candidates @ (outward / norm) if norm > 1e-9 else candidates[:, 1]
        # covering a marker or a name is worse than any number of chains under the white box
        score = 100.0 * hits_nodes + 100.0 * hits_labels + 1.0 * hits_chains - 0.5 * prefer
        k = int(np.argmin(score))
        placed.append(boxes[k])
        dx, dy = candidates[k]
        ax.annotate(
            str(node),
            tuple(xy[i]),
            xytext=(dx * gap, dy * gap),
            textcoords="offset points",
            ha="left" if dx > 0.35 else "right" if dx < -0.35 else "center",
            va="bottom" if dy > 0.35 else "top" if dy < -0.35 else "center",
            fontsize=5,
            zorder=5,
            bbox={"boxstyle": "round,pad=0.12", "fc": "white", "ec": "none", "alpha": 0.85},
            gid="node-label",
        )


def _segments_through_boxes(seg: np.ndarray, boxes: np.ndarray) -> np.ndarray:
    """How many segments (S × 4: x0, y0, x1, y1) cross each box (B × 4), vectorised.

    A segment crosses a box when one of its ends lies inside or it cuts one of the box's
    two diagonals (enough for boxes small next to the segments, as names are).
    """
    if len(seg) == 0:
        return np.zeros(len(boxes))
    px, py, qx, qy = (seg[:, k][None, :] for k in range(4))
    bx0, by0, bx1, by1 = (boxes[:, k][:, None] for k in range(4))
    inside = ((px >= bx0) & (px <= bx1) & (py >= by0) & (py <= by1)) | (
        (qx >= bx0) & (qx <= bx1) & (qy >= by0) & (qy <= by1)
    )

    def cross(ax0, ay0, ax1, ay1):
        def orient(ux, uy, vx, vy, wx, wy):
            return np.sign((vx - ux) * (wy - uy) - (vy - uy) * (wx - ux))

        return (orient(px, py, qx, qy, ax0, ay0) != orient(px, py, qx, qy, ax1, ay1)) & (
            orient(ax0, ay0, ax1, ay1, px, py) != orient(ax0, ay0, ax1, ay1, qx, qy)
        )

    hits = inside | cross(bx0, by0, bx1, by1) | cross(bx0, by1, bx1, by0)
    return hits.sum(axis=1)


# -- margin curve --------------------------------------------------------------------------
def _frame_column(frame: pd.DataFrame, name: str, function: str) -> np.ndarray:
    if name in frame.columns:
        values = frame[name]
    elif frame.index.name == name:
        values = frame.index.to_series()
    else:
        raise ParameterError(
            f"column {name!r} is missing from the frame given to {function}; "
            f"it has {list(frame.columns)}"
        )
    try:
        return np.asarray(values, dtype=float)
    except (TypeError, ValueError) as err:
        raise ParameterError(f"column {name!r} of the frame is not numeric: {err}") from err


def margin_curve(
    frame: pd.DataFrame,
    x: str = "rho",
    ax=None,
    *,
    se: str | None = None,
    band: float = 2.0,
    multiplier: bool | None = None,
    color: str | None = None,
    label: str | None = None,
    xlabel: str | None = None,
):
    """Plot the credit margin against a parameter with a ±``band`` standard-error band.

    Parameters
    ----------
    frame : pandas.DataFrame
        Columns ``x`` (or an index of that name), ``"margin"``, and the standard error
        (``"margin_se"`` or ``"standard_error"``, as :func:`alliance.network.margin_curve`
        writes it); optionally ``"multiplier"``.
    x : str
        The parameter on the horizontal axis (``"rho"``, ``"density"``, ...).
    ax : matplotlib.axes.Axes, optional
        Where to draw (default: a new single-column figure).
    se : str, optional
        Name of the standard-error column (default: ``"margin_se"``, else
        ``"standard_error"``; no band if neither exists).
    band : float
        Half-width of the band in standard errors (2 ≈ a 95 % interval).
    multiplier : bool, optional
        Plot the multiplier :math:`L_A / \\sum L_i^0` on a twin right axis (default: when the
        column exists).
    color, label, xlabel : str, optional
        Line colour (default: Okabe–Ito blue), legend label, and x-axis label (default: ρ
        for ``"rho"``, else the column name).

    Returns
    -------
    matplotlib.axes.Axes
        The main Axes (the multiplier's twin is ``ax.figure.axes[-1]``).

    Raises
    ------
    ParameterError
        If a needed column is missing or not numeric, or ``band`` is negative.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import pandas as pd
    >>> frame = pd.DataFrame({"rho": [0.0, 0.2, 0.4], "margin": [90.0, 70.0, 40.0],
    ...                       "margin_se": [2.0, 3.0, 4.0], "multiplier": [1.9, 1.7, 1.4]})
    >>> ax = margin_curve(frame)
    >>> ax.get_ylabel(), len(ax.figure.axes)
    ('Credit margin $M$ (money)', 2)
    >>> [t.get_text() for t in ax.get_legend().get_texts()]
    ['±2 s.e.', 'margin', 'multiplier (right axis)']
    """
    if not isinstance(frame, pd.DataFrame):
        raise ParameterError(f"frame is a {type(frame).__name__}; it must be a pandas DataFrame")
    if not (isinstance(band, (int, float)) and band >= 0):
        raise ParameterError(f"band is {band!r}; it must be a number >= 0")
    xs = _frame_column(frame, x, "margin_curve")
    margin = _frame_column(frame, "margin", "margin_curve")
    if se is None:
        se = next((c for c in ("margin_se", "standard_error") if c in frame.columns), None)
    errors = None if se is None else _frame_column(frame, se, "margin_curve")
    order = np.argsort(xs, kind="stable")
    xs, margin = xs[order], margin[order]
    ax = _new_axes(ax)
    colour = color or OKABE_ITO["blue"]
    if errors is not None:
        errors = errors[order]
        ax.fill_between(
            xs,
            margin - band * errors,
            margin + band * errors,
            color=colour,
            alpha=0.25,
            linewidth=0,
            label=f"±{band:g} s.e.",
        )
    ax.plot(xs, margin, color=colour, marker="o", markersize=2.5, label=label or "margin")
    ax.axhline(0.0, color="#999999", linewidth=0.5, zorder=0)
    ax.set_xlabel(xlabel or ("Default correlation $\\rho$" if x == "rho" else x))
    # units: the margin is credit (money, the unit of the members' demands); the multiplier
    # is a ratio
    ax.set_ylabel("Credit margin $M$ (money)")
    if multiplier is None:
        multiplier = "multiplier" in frame.columns
    handles, labels = ax.get_legend_handles_labels()
    if multiplier:
        ratio = _frame_column(frame, "multiplier", "margin_curve")[order]
        twin = ax.twinx()
        twin.spines["right"].set_visible(True)
        twin.spines["top"].set_visible(False)
        twin.plot(xs, ratio, color=OKABE_ITO["vermillion"], linestyle="--",
                  label="multiplier (right axis)")
        twin.set_ylabel(r"Multiplier $L_A / \sum_i L_i^0$ (ratio)")
        more_handles, more_labels = twin.get_legend_handles_labels()
        handles, labels = handles + more_handles, labels + more_labels
    # one legend for both axes, so the dashed line is never unexplained
    ax.legend(handles, labels, loc="best", fontsize="small", frameon=False)
    return ax


# -- loss decomposition ----------------------------------------------------------------------
_RISK_ALIASES = {
    "credit": ("credit", "credit_risk"),
    "operational": ("operational", "operational_risk"),
    "guarantor": ("guarantor", "guarantor_risk"),
    "contagion": ("contagion", "contagion_risk"),
}
_OPTIONAL_RISKS = ("contagion",)


def loss_decomposition(
    frame: pd.DataFrame,
    ax=None,
    *,
    normalize: bool = False,
    horizontal: bool = False,
    ylabel: str | None = None,
):
    """Stacked bars of the bank's expected loss by risk: credit, operational, guarantor.

    Parameters
    ----------
    frame : pandas.DataFrame
        One row per scenario (the index labels the bars), columns ``credit``,
        ``operational`` and ``guarantor`` (``*_risk`` names are accepted too), >= 0.
    ax : matplotlib.axes.Axes, optional
        Where to draw (default: a new single-column figure).
    normalize : bool
        Plot shares of each scenario's total loss instead of amounts.
    horizontal : bool
        Horizontal bars (for long scenario labels).
    ylabel : str, optional
        Value-axis label (default: "Expected loss" or "Share of expected loss").

    Returns
    -------
    matplotlib.axes.Axes

    Raises
    ------
    ParameterError
        If a risk column is missing, not numeric, negative or NaN.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import pandas as pd
    >>> frame = pd.DataFrame({"credit": [3.0], "operational": [1.0], "guarantor": [0.0]},
    ...                      index=["base"])
    >>> ax = loss_decomposition(frame, normalize=True)
    >>> [round(float(p.get_height()), 2) for p in ax.patches]
    [0.75, 0.25, 0.0]
    """
    if not isinstance(frame, pd.DataFrame):
        raise ParameterError(f"frame is a {type(frame).__name__}; it must be a pandas DataFrame")
    parts = {}
    for risk, aliases in _RISK_ALIASES.items():
        column = next((c for c in aliases if c in frame.columns), None)
        if column is None and risk in _OPTIONAL_RISKS:
            continue
        if column is None:
            raise ParameterError(
                f"column {risk!r} is missing from the frame given to loss_decomposition; "
                f"it has {list(frame.columns)}"
            )
        values = _frame_column(frame, column, "loss_decomposition")
        bad = np.flatnonzero(~(values >= 0))
        if bad.size:
            raise ParameterError(
                f"{column} of scenario {frame.index[bad[0]]!r} is {values[bad[0]]}; "
                "it must be a number >= 0"
            )
        parts[risk] = values
    total = sum(parts.values())
    if normalize:
        parts = {
            k: np.divide(v, total, out=np.zeros_like(v), where=total > 0) for k, v in parts.items()
        }
    ax = _new_axes(ax)
    positions = np.arange(len(frame))
    bottom = np.zeros(len(frame))
    for risk, values in parts.items():
        if horizontal:
            ax.barh(
                positions, values, left=bottom, color=RISK_COLOURS[risk], label=risk, height=0.6
            )
        else:
            ax.bar(
                positions, values, bottom=bottom, color=RISK_COLOURS[risk], label=risk, width=0.6
            )
        bottom = bottom + values
    names = [str(i) for i in frame.index]
    label = ylabel or ("Share of expected loss" if normalize else "Expected loss")
    if horizontal:
        ax.set_yticks(positions, names)
        ax.set_xlabel(label)
        ax.invert_yaxis()
    else:
        ax.set_xticks(positions, names)
        ax.set_ylabel(label)
    ax.legend(title="risk", loc="upper left", bbox_to_anchor=(1.0, 1.0))
    return ax


def margin_waterfall(decomposition: Any, ax=None, *, ylabel: str = "Credit"):
    """Waterfall from the sum of standalone limits to the alliance limit, one step per mechanism.

    Parameters
    ----------
    decomposition : MarginDecomposition or pandas.Series
        :func:`alliance.network.margin_decomposition`'s result (or a Series of contributions
        by mechanism, starting from 0).
    ax : matplotlib.axes.Axes, optional
    ylabel : str

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import pandas as pd
    >>> ax = margin_waterfall(pd.Series({"pooling": 100 / 3, "guarantees": 320 / 3}))
    >>> [t.get_text() for t in ax.get_xticklabels()]
    ['standalone', 'pooling', 'guarantees', 'alliance']
    """
    if isinstance(decomposition, pd.Series):
        values, base = decomposition.astype(float), 0.0
    elif hasattr(decomposition, "values") and hasattr(decomposition, "standalone_total"):
        values, base = decomposition.values.astype(float), float(decomposition.standalone_total)
    else:
        raise ParameterError(
            f"decomposition is a {type(decomposition).__name__}; give a MarginDecomposition "
            "or a pandas Series"
        )
    if not np.all(np.isfinite(values.to_numpy())):
        raise ParameterError("the contributions of a margin waterfall must be finite numbers")
    ax = _new_axes(ax)
    labels = ["standalone", *[str(k) for k in values.index], "alliance"]
    pos = np.arange(len(labels))
    ax.bar(pos[0], base, color="#999999", width=0.6)
    level = base
    for k, val in enumerate(values.to_numpy(), start=1):
        colour = OKABE_ITO["blue"] if val >= 0 else OKABE_ITO["vermillion"]
        ax.bar(pos[k], val, bottom=level, color=colour, width=0.6)
        level += val
    ax.bar(pos[-1], level, color=OKABE_ITO["bluish_green"] if "bluish_green" in OKABE_ITO
           else "#009E73", width=0.6)
    ax.set_xticks(pos, labels)
    ax.set_ylabel(ylabel)
    return ax
