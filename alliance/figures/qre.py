"""The principal branch of the logit QRE correspondence: each strategy's probability against λ.

One line per strategy, coloured by strategy within a player and drawn with one line style per
player; the x axis is symmetric-log by default, since the interesting part of a branch is at
small precision and its approach to a Nash equilibrium is slow. Lines carry the gid
``"qre:<player>:<strategy>"``.

Examples
--------
>>> import matplotlib
>>> matplotlib.use("Agg")
>>> import alliance as al
>>> g = al.NormalFormGame.from_matrices([[3, 0], [5, 1]], [[3, 5], [0, 1]],
...                                     players=("Bank", "SME"))
>>> ax = qre_branch(g.qre_branch(lam_max=20))
>>> ax.get_xlabel(), len(ax.get_lines())
('precision $\\\\lambda$', 4)
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from alliance.errors import ParameterError
from alliance.figures.style import OKABE_ITO, style_context

__all__ = ["qre_branch"]

_LINESTYLES = ("-", "--", ":", "-.")
_COLOURS = tuple(OKABE_ITO[c] for c in ("blue", "vermillion", "bluish_green", "reddish_purple",
                                        "orange", "sky_blue", "black", "yellow"))


def qre_branch(
    branch: Any,
    *,
    ax: Any = None,
    players: Sequence[str] | None = None,
    xscale: str = "symlog",
    legend: bool = True,
) -> Any:
    """Draw a :class:`~alliance.games.qre.QREBranch`: probabilities against precision.

    Parameters
    ----------
    branch : QREBranch
        From :meth:`alliance.NormalFormGame.qre_branch`.
    ax : matplotlib Axes, optional
        Where to draw (default: a new figure in the house style).
    players : sequence of str, optional
        Only these players' strategies (default: all).
    xscale : {"symlog", "linear", "log"}
        Scale of the precision axis (``"log"`` drops the point at λ = 0).
    legend : bool
        Label each line ``player: strategy``.

    Returns
    -------
    matplotlib.axes.Axes

    Raises
    ------
    ParameterError
        If ``branch`` is not a QREBranch, a player is unknown or ``xscale`` is not allowed.

    Examples
    --------
    One player's strategies of a 2×2 coordination game, on a linear precision axis:

    >>> import matplotlib.pyplot as plt
    >>> import alliance as al
    >>> g = al.NormalFormGame.from_matrices([[2, 0], [0, 1]], [[2, 0], [0, 1]],
    ...                                     players=("Bank", "SME"))
    >>> fig, ax = plt.subplots()
    >>> out = qre_branch(g.qre_branch(lam_max=10), ax=ax, players=["SME"], xscale="linear")
    >>> out is ax, [line.get_gid() for line in ax.get_lines()], ax.get_xscale()
    (True, ['qre:SME:s1', 'qre:SME:s2'], 'linear')
    >>> plt.close(fig)
    """
    from alliance.games.qre import QREBranch

    if not isinstance(branch, QREBranch):
        raise ParameterError(f"qre_branch needs a QREBranch; got {type(branch).__name__}")
    if xscale not in ("symlog", "linear", "log"):
        raise ParameterError(f"xscale is {xscale!r}; use 'symlog', 'linear' or 'log'")
    chosen = list(branch.players if players is None else players)
    unknown = [p for p in chosen if p not in branch.players]
    if unknown:
        raise ParameterError(f"players {unknown} are not in the game; players are {branch.players}")
    import matplotlib.pyplot as plt

    with style_context():
        if ax is None:
            _, ax = plt.subplots()
        lams = np.asarray(branch.lams)
        keep = lams > 0 if xscale == "log" else np.ones_like(lams, dtype=bool)
        start = 0
        for i, (player, labels) in enumerate(zip(branch.players, branch.strategies, strict=True)):
            if player in chosen:
                for j, s in enumerate(labels):
                    (line,) = ax.plot(
                        lams[keep], branch.probabilities[keep, start + j],
                        color=_COLOURS[j % len(_COLOURS)],
                        linestyle=_LINESTYLES[i % len(_LINESTYLES)],
                        label=f"{player}: {s}",
                    )
                    line.set_gid(f"qre:{player}:{s}")
            start += len(labels)
        if xscale == "symlog":
            ax.set_xscale("symlog", linthresh=1.0)
        else:
            ax.set_xscale(xscale)
        ax.set_ylim(-0.02, 1.02)
        ax.set_xlabel(r"precision $\lambda$")
        ax.set_ylabel("probability")
        if legend:
            ax.legend(fontsize="small", frameon=False)
    return ax
