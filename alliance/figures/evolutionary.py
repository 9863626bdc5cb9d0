"""Figures of evolutionary games: the three that tripartite-game papers print.

* :func:`phase_portrait`: the flow of a two-population game on the unit square
  (``streamplot``), rest points marked by their verdict;
* :func:`trajectories_3d`: trajectories of a three-population game in the unit cube;
* :func:`time_paths`: each population's share against time, for several values of one
  parameter.

Every function takes ``ax=None`` (a new figure in the house style when None) and returns the
Axes it drew on. Rest-point markers carry the gid ``"rest-point:<verdict>"``.

Examples
--------
>>> import matplotlib
>>> matplotlib.use("Agg")
>>> import alliance as al
>>> from alliance.games.evolutionary import EvolutionaryGame
>>> g = al.NormalFormGame.from_matrices([[3, 0], [5, 1]], [[3, 5], [0, 1]])
>>> ax = phase_portrait(EvolutionaryGame(g))
>>> ax.get_xlabel()
"$x$: share of Player 1 playing 's1'"
"""

from __future__ import annotations

import contextlib
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from alliance.errors import ParameterError

__all__ = ["phase_portrait", "trajectories_3d", "time_paths"]

#: Marker of each verdict: (marker, filled, label).
VERDICT_MARKERS = {
    "ESS": ("o", True, "ESS"),
    "saddle": ("s", False, "saddle"),
    "unstable": ("o", False, "unstable"),
    "non-hyperbolic (undetermined)": ("D", False, "non-hyperbolic"),
    "centre": ("P", False, "centre"),
    "not ESS": ("^", False, "not ESS"),
    "conditional": ("D", False, "conditional"),
}
_COLOURS = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000")


def _new_axes(projection: str | None = None):
    import matplotlib.pyplot as plt

    try:
        from alliance.figures.style import style_context
    except ImportError:  # the style module is optional
        style_context = contextlib.nullcontext  # type: ignore[assignment]
    with style_context():
        fig = plt.figure()
        return fig.add_subplot(projection=projection)


def _check_game(ev: Any, dimension: int, what: str) -> Any:
    from alliance.games.evolutionary import EvolutionaryGame
    from alliance.games.normal_form import NormalFormGame

    if isinstance(ev, NormalFormGame):  # a factory's game: its replicator dynamics
        ev = EvolutionaryGame(ev)
    if not isinstance(ev, EvolutionaryGame):
        raise ParameterError(
            f"{what} needs an EvolutionaryGame (or a NormalFormGame); got {type(ev).__name__}"
        )
    if ev.dimension != dimension or not ev.is_binary:
        raise ParameterError(
            f"{what} needs {dimension} populations with two strategies each; this game has "
            f"state variables {', '.join(v.name for v in ev.variables)}"
        )
    return ev


def _label(ev: Any, k: int) -> str:
    return f"${ev.variables[k].name}$: {ev.descriptions[k]}"


def _mark_rest_points(ax, ev, params, *, three_d: bool = False) -> None:
    table = ev.stability_table(params)
    seen = set()
    for _, row in table.iterrows():
        if row["kind"] != "corner" and any(
            not isinstance(v, (int, float, np.integer, np.floating)) and not hasattr(v, "numerator")
            for v in row["point"]
        ):
            continue  # a continuum (or a symbolic point): nothing to mark
        point = [float(v) for v in row["point"]]
        marker, filled, label = VERDICT_MARKERS.get(row["verdict"], ("x", True, row["verdict"]))
        kwargs = dict(
            marker=marker,
            s=42,
            zorder=5,
            edgecolors="black",
            linewidths=1.0,
            facecolors="black" if filled else "white",
            label=label if label not in seen else None,
        )
        seen.add(label)
        artist = ax.scatter(*([p] for p in point), **kwargs)
        artist.set_gid(f"rest-point:{row['verdict']}")


def phase_portrait(
    ev: Any,
    params: Mapping[str, Any] | None = None,
    *,
    ax: Any = None,
    grid: int = 41,
    density: float = 1.0,
    x0: Sequence[Sequence[float]] | None = None,
    t: float = 50.0,
    legend: bool = True,
):
    """The phase portrait of a two-population game: streamlines and rest points.

    Parameters
    ----------
    ev : EvolutionaryGame or NormalFormGame
        Two populations with two strategies each (a game is wrapped in an EvolutionaryGame).
    params : dict, optional
        Parameter values of a symbolic game.
    ax : matplotlib Axes, optional
        Where to draw (default: a new figure in the house style).
    grid : int
        Grid points per axis for the vector field (>= 5).
    density : float
        Streamline density (``matplotlib.pyplot.streamplot``).
    x0 : array_like, shape (m, 2), optional
        Initial points of trajectories drawn on top, up to time ``t``.
    t : float
        End time of those trajectories.
    legend : bool
        Show the legend of rest-point verdicts.

    Returns
    -------
    matplotlib.axes.Axes
        The axes drawn on.

    Raises
    ------
    ParameterError
        If the game does not have two populations with two strategies each, or ``grid`` is
        below 5.

    Examples
    --------
    A coordination game (both populations prefer to match): the two pure conventions are
    the stable rest points.

    >>> import alliance as al
    >>> g = al.NormalFormGame.from_matrices([[2, 0], [0, 1]], [[2, 0], [0, 1]])
    >>> ev = al.EvolutionaryGame(g)
    >>> ev.ess()
    [(0, 0), (1, 1)]
    >>> ax = phase_portrait(ev, grid=11, legend=False)
    >>> [float(v) for v in ax.get_xlim()]
    [-0.02, 1.02]
    """
    ev = _check_game(ev, 2, "phase_portrait")
    if not (isinstance(grid, int) and grid >= 5):
        raise ParameterError(f"grid is {grid!r}; it must be an integer >= 5")
    ax = ax if ax is not None else _new_axes()
    s = np.linspace(0.0, 1.0, grid)
    X, Y = np.meshgrid(s, s)
    V = ev.velocity(np.column_stack([X.ravel(), Y.ravel()]), params)
    U1, U2 = V[:, 0].reshape(X.shape), V[:, 1].reshape(X.shape)
    speed = np.hypot(U1, U2)
    stream = ax.streamplot(
        X,
        Y,
        U1,
        U2,
        density=density,
        color=speed,
        cmap="Greys",
        linewidth=0.7,
        arrowsize=0.7,
    )
    stream.lines.set_gid("streamlines")
    if x0 is not None:
        paths = ev.simulate(x0, t, params=params).states
        for k, path in enumerate(paths):
            ax.plot(
                path[:, 0], path[:, 1], color=_COLOURS[k % len(_COLOURS)], lw=1.2, gid="trajectory"
            )
    _mark_rest_points(ax, ev, params)
    ax.set_xlim(-0.02, 1.02)
    ax.set_ylim(-0.02, 1.02)
    ax.set_aspect("equal")
    ax.set_xlabel(_label(ev, 0))
    ax.set_ylabel(_label(ev, 1))
    if legend:
        ax.legend(loc="upper left", bbox_to_anchor=(1.02, 1.0), frameon=False)
    return ax


def trajectories_3d(
    ev: Any,
    x0: Any = None,
    t: float = 50.0,
    params: Mapping[str, Any] | None = None,
    *,
    ax: Any = None,
    n: int = 20,
    seed: int = 0,
    legend: bool = True,
):
    """Trajectories of a three-population game in the unit cube, rest points by verdict.

    Parameters
    ----------
    ev : EvolutionaryGame or NormalFormGame
        Three populations with two strategies each (a game is wrapped in an EvolutionaryGame).
    x0 : array_like, shape (m, 3), optional
        Initial points (default: ``n`` points drawn uniformly with ``seed``).
    t : float
        End time.
    params : dict, optional
        Parameter values of a symbolic game.
    ax : matplotlib 3-D Axes, optional
        Where to draw (default: a new figure with a 3-D Axes).
    n, seed : int
        Number and seed of the default initial points.
    legend : bool
        Show the legend of rest-point verdicts.

    Returns
    -------
    mpl_toolkits.mplot3d.axes3d.Axes3D
        The 3-D axes drawn on.

    Raises
    ------
    ParameterError
        If the game does not have three binary populations, ``ax`` is not a 3-D Axes or
        ``n`` is not a positive integer.

    Examples
    --------
    >>> import alliance as al
    >>> ev = al.EvolutionaryGame(al.models.tripartite_guarantee())
    >>> ax = trajectories_3d(ev, n=3, t=5.0, legend=False)
    >>> ax.name
    '3d'
    """
    ev = _check_game(ev, 3, "trajectories_3d")
    if ax is None:
        ax = _new_axes("3d")
    elif getattr(ax, "name", "") != "3d":
        raise ParameterError("ax must be a 3-D Axes (projection='3d') for trajectories_3d")
    if x0 is None:
        if not (isinstance(n, int) and n >= 1):
            raise ParameterError(f"n is {n!r}; it must be a positive integer")
        x0 = np.random.default_rng(seed).uniform(0.05, 0.95, size=(n, 3))
    paths = ev.simulate(x0, t, params=params).states
    # Colour each trajectory by the corner it ends nearest to, so basins read at a glance.
    ends = np.rint(paths[:, -1, :]).astype(int)
    keys = {tuple(e) for e in ends}
    colour_of = {key: _COLOURS[k % len(_COLOURS)] for k, key in enumerate(sorted(keys))}
    for path, end in zip(paths, ends):
        ax.plot(
            path[:, 0],
            path[:, 1],
            path[:, 2],
            color=colour_of[tuple(end)],
            lw=0.9,
            gid="trajectory",
        )
        ax.scatter([path[0, 0]], [path[0, 1]], [path[0, 2]], s=6, color=colour_of[tuple(end)])
    for a in (0, 1):  # the cube's edges
        for b in (0, 1):
            kw = dict(color="0.7", lw=0.5, gid="cube-edge")
            ax.plot([0, 1], [a, a], [b, b], **kw)
            ax.plot([a, a], [0, 1], [b, b], **kw)
            ax.plot([a, a], [b, b], [0, 1], **kw)
    _mark_rest_points(ax, ev, params, three_d=True)
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1)
    ax.set_zlim(0, 1)
    ax.set_xlabel(f"${ev.variables[0].name}$")
    ax.set_ylabel(f"${ev.variables[1].name}$")
    ax.set_zlabel(f"${ev.variables[2].name}$")
    if legend:
        ax.legend(loc="upper left", frameon=False, fontsize="small")
    return ax


def time_paths(
    ev: Any,
    x0: Sequence[float],
    t: float | Sequence[float] = 50.0,
    params: Mapping[str, Any] | None = None,
    *,
    vary: str | None = None,
    values: Sequence[float] | None = None,
    ax: Any = None,
    legend: bool = True,
):
    """Each population's share against time, for several values of one parameter.

    Parameters
    ----------
    ev : EvolutionaryGame
        Any game whose populations have two strategies each.
    x0 : array_like, shape (d,)
        The initial state.
    t : float or array_like
        End time, or output times.
    params : dict, optional
        Parameter values (all but ``vary`` for a symbolic game).
    vary : str, optional
        The parameter that changes between curves.
    values : sequence of float, optional
        Its values, one set of curves each (line style cycles with the value).
    ax : matplotlib Axes, optional
        Where to draw.
    legend : bool
        Show the legend.

    Returns
    -------
    matplotlib.axes.Axes
        Colour = population, line style = parameter value.

    Raises
    ------
    ParameterError
        If a population has more than two strategies, ``x0`` is not one state, or only one
        of ``vary`` and ``values`` is given.

    Examples
    --------
    >>> import alliance as al
    >>> g = al.NormalFormGame.from_matrices([[2, 0], [0, 1]], [[2, 0], [0, 1]])
    >>> ax = time_paths(al.EvolutionaryGame(g), [0.6, 0.6], t=5.0)
    >>> len(ax.get_lines())
    2
    """
    if not ev.is_binary:
        raise ParameterError("time_paths needs populations with two strategies each")
    point = np.asarray(x0, dtype=float)
    if point.ndim != 1:
        raise ParameterError(f"x0 has shape {point.shape}; time_paths takes one initial state")
    if (vary is None) != (values is None):
        raise ParameterError("give vary and values together (the parameter and its values)")
    settings: list[tuple[str | None, dict]] = []
    base = dict(params or {})
    if vary is None:
        settings.append((None, base))
    else:
        if vary not in ev.game.symbols:
            known = ", ".join(sorted(ev.game.symbols)) or "(none)"
            raise ParameterError(f"vary is {vary!r}; the game's parameters are {known}")
        if len(values) == 0:
            raise ParameterError("values is empty; give at least one value of the parameter")
        settings += [(f"{vary} = {v:g}", {**base, vary: v}) for v in values]
    ax = ax if ax is not None else _new_axes()
    styles = ("-", "--", ":", "-.", (0, (5, 1)), (0, (3, 1, 1, 1, 1, 1)))
    for k, (tag, setting) in enumerate(settings):
        tr = ev.simulate(point, t, params=setting)
        for i in range(ev.dimension):
            label = f"${ev.variables[i].name}$" + (f", {tag}" if tag else "")
            ax.plot(
                tr.t,
                tr.states[0, :, i],
                color=_COLOURS[i % len(_COLOURS)],
                ls=styles[k % len(styles)],
                lw=1.2,
                label=label,
                gid=f"path:{i}:{k}",
            )
    ax.set_ylim(-0.02, 1.02)
    ax.set_xlabel("time $t$")
    ax.set_ylabel("share playing the first strategy")
    if legend:
        ax.legend(frameon=False, fontsize="small", ncol=max(1, len(settings) // 3))
    return ax
