"""The house style of ``alliance`` figures: journal column widths, serif text, Okabe–Ito colours.

:func:`use_style` applies the bundled ``alliance.mplstyle`` (serif text at 8–9 pt, TrueType
fonts in PDF and PS so journals accept the files, the colour-blind-safe Okabe–Ito cycle, no
top or right spines, 300 dpi raster output) and sets the figure size to a single (3.5 in) or
double (7 in) journal column. :func:`style_context` does the same for a ``with`` block only,
and :func:`savefig` writes a vector PDF (plus a PNG when asked).

Examples
--------
>>> import matplotlib
>>> matplotlib.use("Agg")
>>> from alliance.figures import style_context, OKABE_ITO
>>> with style_context():
...     import matplotlib.pyplot as plt
...     print(plt.rcParams["pdf.fonttype"], plt.rcParams["figure.figsize"])
42 [3.5, 2.6]
>>> OKABE_ITO["vermillion"]
'#D55E00'

References
----------
Okabe, M., & Ito, K. (2008). *Color Universal Design (CUD): how to make figures and
presentations that are friendly to colorblind people*. J*Fly Data Depository.
"""

from __future__ import annotations

import contextlib
import functools
from collections.abc import Callable, Iterator
from importlib import resources
from pathlib import Path
from typing import Any

import matplotlib as mpl

from alliance.errors import ParameterError

__all__ = ["OKABE_ITO", "STYLE_PATH", "WIDTHS", "savefig", "style_context", "styled", "use_style"]

#: The eight colours of Okabe & Ito (2008), in the order of the style's colour cycle.
OKABE_ITO: dict[str, str] = {
    "orange": "#E69F00",
    "sky_blue": "#56B4E9",
    "bluish_green": "#009E73",
    "yellow": "#F0E442",
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "reddish_purple": "#CC79A7",
    "black": "#000000",
}

#: Figure widths in inches for one and two journal columns.
WIDTHS: dict[str, float] = {"single": 3.5, "double": 7.0}

#: Height / width of a default figure.
_ASPECT = {"single": 2.6 / 3.5, "double": 3.2 / 7.0}

STYLE_PATH = resources.files("alliance.figures") / "alliance.mplstyle"


def _figsize(width: str | float, height: float | None) -> tuple[float, float]:
    if isinstance(width, str):
        if width not in WIDTHS:
            raise ParameterError(
                f"width is {width!r}; it must be 'single', 'double' or a number of inches"
            )
        inches, aspect = WIDTHS[width], _ASPECT[width]
    else:
        try:
            inches = float(width)
        except (TypeError, ValueError) as err:
            raise ParameterError(
                f"width is {width!r}; it must be 'single', 'double' or inches"
            ) from err
        if not inches > 0:
            raise ParameterError(f"width is {width!r}; it must be positive")
        aspect = _ASPECT["single"]
    if height is None:
        return inches, round(inches * aspect, 3)
    if not (isinstance(height, (int, float)) and height > 0):
        raise ParameterError(f"height is {height!r}; it must be a positive number of inches")
    return inches, float(height)


def _rc(width: str | float, height: float | None) -> dict:
    with resources.as_file(STYLE_PATH) as path:
        rc = dict(mpl.rc_params_from_file(str(path), use_default_template=False))
    rc["figure.figsize"] = _figsize(width, height)
    return rc


def use_style(width: str | float = "single", height: float | None = None) -> None:
    """Apply the ``alliance`` Matplotlib style for the rest of the session.

    Parameters
    ----------
    width : {"single", "double"} or float
        ``"single"`` journal column (3.5 in, the default), ``"double"`` (7 in), or a width in
        inches.
    height : float, optional
        Figure height in inches (default: 2.6 in for a single column, 3.2 in for a double).

    Raises
    ------
    ParameterError
        If ``width`` or ``height`` is not admissible.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import matplotlib.pyplot as plt
    >>> use_style(width="double")
    >>> plt.rcParams["figure.figsize"], plt.rcParams["font.family"]
    ([7.0, 3.2], ['serif'])
    >>> plt.rcdefaults()
    """
    mpl.rcParams.update(_rc(width, height))


@contextlib.contextmanager
def style_context(width: str | float = "single", height: float | None = None) -> Iterator[None]:
    """Apply the ``alliance`` style inside a ``with`` block only.

    Parameters
    ----------
    width : {"single", "double"} or float
        ``"single"`` journal column (3.5 in, the default), ``"double"`` (7 in), or a width in
        inches.
    height : float, optional
        Figure height in inches (default: 2.6 in for a single column, 3.2 in for a double).

    Yields
    ------
    None
        The style holds inside the block; rcParams are restored on leaving it.

    Raises
    ------
    ParameterError
        If ``width`` or ``height`` is not admissible.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import matplotlib.pyplot as plt
    >>> with style_context(width=5, height=2):
    ...     fig, ax = plt.subplots()
    >>> [float(x) for x in fig.get_size_inches()]
    [5.0, 2.0]
    >>> plt.close(fig)
    """
    rc = _rc(width, height)
    with mpl.rc_context(rc):
        yield


def styled(func: Callable[..., Any]) -> Callable[..., Any]:
    """Decorate a figure function so that it draws in the house style, leaving rcParams as found.

    Parameters
    ----------
    func : callable
        The figure function.

    Returns
    -------
    callable
        ``func`` run inside :func:`style_context`, with the same signature and docstring.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import matplotlib.pyplot as plt
    >>> before = dict(plt.rcParams)
    >>> @styled
    ... def draw():
    ...     return plt.rcParams["pdf.fonttype"]
    >>> draw(), dict(plt.rcParams) == before
    (42, True)
    """

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        with style_context():
            return func(*args, **kwargs)

    return wrapper


def savefig(
    fig,
    path: str | Path,
    *,
    png: bool = False,
    dpi: int = 300,
    **kwargs,
) -> list[Path]:
    """Save a figure as a vector PDF, and also as a PNG when ``png`` is true.

    Parameters
    ----------
    fig : matplotlib.figure.Figure
        The figure (an Axes is accepted too: its figure is saved).
    path : str or pathlib.Path
        Where to write; the suffix is replaced by ``.pdf`` (and ``.png``). Missing parent
        folders are created.
    png : bool
        Also write a PNG at ``dpi`` (for slides and the web).
    dpi : int
        Resolution of the PNG.
    **kwargs
        Passed to :meth:`matplotlib.figure.Figure.savefig`.

    Returns
    -------
    list of pathlib.Path
        The files written, the PDF first.

    Examples
    --------
    >>> import matplotlib, tempfile, pathlib
    >>> matplotlib.use("Agg")
    >>> import matplotlib.pyplot as plt
    >>> fig, ax = plt.subplots()
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     paths = savefig(fig, pathlib.Path(tmp) / "margin", png=True)
    ...     [p.name for p in paths], paths[0].read_bytes()[:4]
    (['margin.pdf', 'margin.png'], b'%PDF')
    >>> plt.close(fig)
    """
    if hasattr(fig, "figure") and not hasattr(fig, "savefig"):
        fig = fig.figure
    if not hasattr(fig, "savefig"):
        raise ParameterError(f"fig is a {type(fig).__name__}; it must be a Matplotlib Figure")
    if not (isinstance(dpi, int) and dpi > 0):
        raise ParameterError(f"dpi is {dpi!r}; it must be a positive integer")
    base = Path(path)
    if base.suffix.lower() in {".pdf", ".png"}:
        base = base.with_suffix("")
    base.parent.mkdir(parents=True, exist_ok=True)
    options = {"bbox_inches": "tight", "metadata": {"Creator": "alliance"}} | kwargs
    written = [base.with_name(base.name + ".pdf")]
    # Type 42 fonts whatever the session's rcParams: journals reject Type 3.
    with mpl.rc_context({"pdf.fonttype": 42, "ps.fonttype": 42}):
        fig.savefig(written[0], format="pdf", **options)
        if png:
            written.append(base.with_name(base.name + ".png"))
            png_options = {k: v for k, v in options.items() if k != "metadata"}
            fig.savefig(written[1], format="png", dpi=dpi, **png_options)
    return written
