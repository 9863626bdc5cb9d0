"""The parameter table of a model, as a DataFrame or LaTeX.

Examples
--------
>>> from alliance.models import describe, lending_game
>>> row = describe(lending_game).loc["pi"]
>>> row["range"], float(row["default"])
('[0, 1]', 0.5)
>>> print(describe(lending_game, latex=True).splitlines()[0])
\\begin{tabular}{llllll}
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from alliance.errors import ParameterError
from alliance.models._params import ModelInfo

__all__ = ["describe", "model_info"]


def _registry() -> dict[str, ModelInfo]:
    from alliance.models import credit_alliance, guarantee, lending, risk_sharing, tripartite

    infos = (
        lending.LENDING_INFO,
        guarantee.GUARANTEE_INFO,
        credit_alliance.CREDIT_ALLIANCE_INFO,
        tripartite.TRIPARTITE_INFO,
        risk_sharing.RISK_SHARING_INFO,
    )
    table = {info.factory: info for info in infos}
    table["tripartite_guarantee_game"] = tripartite.TRIPARTITE_INFO
    return table


def model_info(model: Any, mode: str | None = None) -> ModelInfo:
    """The :class:`ModelInfo` of a factory, of an object a factory built, or of a factory name.

    Parameters
    ----------
    model : callable, game, ModelInfo or str
        ``lending_game``, ``lending_game()``, ``"lending_game"``...
    mode : str, optional
        Restrict a multi-mode table (``guarantee_game``) to one mode.

    Returns
    -------
    ModelInfo
        Every parameter's symbol, meaning, unit, range, default and source.

    Raises
    ------
    ParameterError
        When ``model`` carries no parameter table.

    Examples
    --------
    >>> from alliance.models import lending_game
    >>> model_info("lending_game").names
    ('L', 'r', 'R', 'C', 'F', 'pi', 'w', 'rho', 'm')
    >>> model_info(lending_game(r=0.08)).values["r"]  # exact: 0.08 read as 8/100
    2/25
    """
    if isinstance(model, ModelInfo):
        info = model
    elif isinstance(model, str):
        registry = _registry()
        if model not in registry:
            raise ParameterError(f"model is {model!r}; known models are {', '.join(registry)}")
        info = registry[model]
    else:
        info = getattr(model, "model_info", None)
        if info is None:
            for attr in ("stage", "game", "stage_game"):  # wrappers built from a model's game
                inner = getattr(model, attr, None)
                info = getattr(inner, "model_info", None)
                if info is not None:
                    break
        if not isinstance(info, ModelInfo):
            raise ParameterError(
                f"model is {type(model).__name__}, which carries no parameter table; pass a "
                "factory of alliance.models or a game it built"
            )
    if mode is not None:
        info = info.for_mode(mode)
    return info


def describe(model: Any, *, mode: str | None = None, latex: bool = False) -> pd.DataFrame | str:
    """The parameter table of a model: symbol, meaning, unit, range, default, source.

    Parameters
    ----------
    model : callable, game, ModelInfo or str
        A factory of :mod:`alliance.models` (``lending_game``), an object it built (then a
        ``value`` column gives the values it was built with, or the symbol when symbolic), or
        the factory's name.
    mode : str, optional
        For ``guarantee_game``: only the parameters of one mode.
    latex : bool, default False
        Return a LaTeX ``tabular`` instead of a DataFrame.

    Returns
    -------
    pandas.DataFrame or str
        One row per parameter, indexed by the parameter's name.

    Raises
    ------
    ParameterError
        When ``model`` carries no parameter table.

    Examples
    --------
    >>> from alliance.models import describe, guarantee_game
    >>> list(describe(guarantee_game, mode="policy").index)[-3:]
    ['gamma', 'phi', 'h']
    >>> float(describe(guarantee_game("mutual", S=30)).loc["S", "value"])
    30.0
    """
    info = model_info(model, mode)
    return info.to_latex() if latex else info.to_frame()
