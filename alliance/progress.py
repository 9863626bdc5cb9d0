"""One policy for progress bars: shown for long work only, off when nobody is watching.

Every routine that may run for a while (sweeps, Monte Carlo, sampled Shapley values,
trajectories, reports) takes ``progress=None | True | False`` and asks :func:`progress_bar`
for its bar:

* ``progress=True`` always shows a bar, ``progress=False`` never does;
* ``progress=None`` (the default) shows one only when the work is expected to take longer
  than :data:`MIN_SECONDS` **and** someone is watching: a terminal on standard error, or a
  live Jupyter front end. A notebook executed in batch (``nbconvert``, ``nbclient``,
  ``pytest --nbmake``) or a script whose output goes to a file shows none;
* the environment variable ``ALLIANCE_PROGRESS`` (``0``/``1``) overrides the default for a
  whole session, e.g. in CI.

Bars are made with ``leave=False``, so a finished bar removes itself and never stays frozen in
a saved notebook.

Examples
--------
>>> with progress_bar(total=3, progress=False, desc="demo") as bar:
...     for _ in range(3):
...         bar.update(1)
>>> bar.disable
True
"""

from __future__ import annotations

import os
import sys
from typing import Any

__all__ = ["MIN_SECONDS", "progress_bar", "show_progress"]

#: Work expected to take less than this many seconds gets no bar by default.
MIN_SECONDS = 2.0


def _watching() -> bool:
    """True when a person can see a bar: a terminal, or an interactive Jupyter front end."""
    try:
        if sys.stderr is not None and sys.stderr.isatty():
            return True
    except (AttributeError, ValueError):  # a closed or replaced stream
        return False
    ipython = sys.modules.get("IPython")
    if ipython is None:
        return False
    shell = ipython.get_ipython() if hasattr(ipython, "get_ipython") else None
    if shell is None or type(shell).__name__ != "ZMQInteractiveShell":
        return False
    # A kernel driven by nbclient/nbconvert has no front end to draw widgets on.
    return not any(m in sys.modules for m in ("nbclient", "nbconvert", "papermill"))


def show_progress(progress: bool | None, expected_seconds: float | None = None) -> bool:
    """Whether to show a bar, under the policy of this module.

    Parameters
    ----------
    progress : bool or None
        The caller's ``progress=`` argument.
    expected_seconds : float, optional
        The routine's own estimate of its running time; ``None`` means unknown (treated as
        long).

    Returns
    -------
    bool
        ``True`` when a bar should be shown.

    Examples
    --------
    >>> show_progress(True, 0.01), show_progress(False, 100.0)
    (True, False)
    """
    if progress is not None:
        return bool(progress)
    env = os.environ.get("ALLIANCE_PROGRESS", "").strip().lower()
    if env in {"0", "false", "no", "off"}:
        return False
    if expected_seconds is not None and expected_seconds < MIN_SECONDS:
        return False
    if env in {"1", "true", "yes", "on"}:
        return True
    return _watching()


def progress_bar(
    iterable: Any = None,
    *,
    total: float | None = None,
    progress: bool | None = None,
    expected_seconds: float | None = None,
    desc: str | None = None,
    unit: str = "it",
) -> Any:
    """A ``tqdm`` bar (notebook widget or terminal) that follows the policy of this module.

    Parameters
    ----------
    iterable : iterable, optional
        Wrapped as ``tqdm(iterable)`` would wrap it.
    total : float, optional
        Number of steps, when there is no iterable or it has no length.
    progress : bool or None
        ``True`` always, ``False`` never, ``None`` by the policy (long work, someone watching).
    expected_seconds : float, optional
        The routine's estimate of its running time.
    desc, unit : str
        Label and unit shown on the bar.

    Returns
    -------
    tqdm.tqdm
        A bar that is disabled (and costs nothing) when it should not show.

    Examples
    --------
    >>> bar = progress_bar(range(3), progress=False)
    >>> sum(bar), bar.disable
    (3, True)
    """
    from tqdm.auto import tqdm

    disable = not show_progress(progress, expected_seconds)
    return tqdm(iterable, total=total, disable=disable, desc=desc, unit=unit, leave=False)
