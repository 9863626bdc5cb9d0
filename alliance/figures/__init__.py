"""Paper figures: the house style and the plots of the toolkit.

Every figure function takes ``ax=None`` and returns the Axes it drew on; call
:func:`use_style` once (or use :func:`style_context`) for journal-ready output, and
:func:`savefig` to write a vector PDF (and a PNG).

Examples
--------
>>> import matplotlib
>>> matplotlib.use("Agg")
>>> from alliance import figures
>>> figures.OKABE_ITO["blue"]
'#0072B2'
"""

from alliance.figures.evolutionary import phase_portrait, time_paths, trajectories_3d
from alliance.figures.network import (
    draw_network,
    loss_decomposition,
    margin_curve,
    margin_waterfall,
)
from alliance.figures.qre import qre_branch
from alliance.figures.regions import region_map
from alliance.figures.style import OKABE_ITO, WIDTHS, savefig, style_context, use_style
from alliance.figures.tree import game_tree

__all__ = [
    "OKABE_ITO",
    "WIDTHS",
    "draw_network",
    "game_tree",
    "region_map",
    "loss_decomposition",
    "margin_curve",
    "margin_waterfall",
    "phase_portrait",
    "qre_branch",
    "time_paths",
    "trajectories_3d",
    "savefig",
    "style_context",
    "use_style",
]
