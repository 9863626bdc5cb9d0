"""TOML writing for the model files, through ``tomli-w`` (the standard library reads TOML but
cannot write it).

:func:`dumps` prepares the data for :func:`tomli_w.dumps`: keys whose value is ``None`` are
left out (TOML has no null), numpy scalars become Python numbers, and ``NaN`` is refused
(a model file must not hold one). What it writes, the readers of :mod:`alliance.io` read
back: tables, arrays of tables (``[[members]]``), strings, integers, floats (``inf``,
``-inf``), booleans and arrays of those.

Examples
--------
>>> print(dumps({"game": {"title": "PD", "players": ["Row", "Col"]},
...              "payoffs": [{"profile": ["C", "C"], "values": [3, 3]}]}))
[game]
title = "PD"
players = [
    "Row",
    "Col",
]
<BLANKLINE>
[[payoffs]]
profile = [
    "C",
    "C",
]
values = [
    3,
    3,
]
<BLANKLINE>
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

import numpy as np
import tomli_w

__all__ = ["dumps", "plain_data"]


def plain_data(value: Any, key: str = "") -> Any:
    """The data in the types ``tomli-w`` writes, with ``None`` entries left out.

    Parameters
    ----------
    value : Any
        A mapping, a sequence or a scalar (numpy scalars are accepted).
    key : str, default ""
        The dotted key of ``value``, quoted in the error message.

    Returns
    -------
    Any
        Dicts, lists, str, int, float and bool only.

    Raises
    ------
    ValueError
        A NaN anywhere, or a value of a type TOML cannot hold.

    Examples
    --------
    >>> import numpy as np
    >>> plain_data({"a": np.float64(0.5), "b": None, "c": (1, np.int64(2))})
    {'a': 0.5, 'c': [1, 2]}
    >>> plain_data({"pd": float("nan")})
    Traceback (most recent call last):
    ...
    ValueError: pd is NaN; NaN cannot be written to a model file
    """
    if isinstance(value, Mapping):
        return {
            str(k): plain_data(v, f"{key}.{k}" if key else str(k))
            for k, v in value.items()
            if v is not None
        }
    if isinstance(value, np.generic):  # numpy scalars (np.float64 is also a float)
        return plain_data(value.item(), key)
    if isinstance(value, (bool, int, str)):
        return value
    if isinstance(value, float):
        if math.isnan(value):
            raise ValueError(f"{key or 'a value'} is NaN; NaN cannot be written to a model file")
        return value
    if isinstance(value, (list, tuple)):
        return [plain_data(v, f"{key}[{i}]") for i, v in enumerate(value)]
    raise TypeError(f"cannot write a value of type {type(value).__name__} to TOML ({key})")


def dumps(data: Mapping[str, Any]) -> str:
    """Serialise a mapping to TOML text with ``tomli-w``.

    Parameters
    ----------
    data : mapping
        The document: scalars, tables and arrays of tables (see :func:`plain_data`).

    Returns
    -------
    str
        The TOML text, which :mod:`tomllib` reads back to the same data.

    Examples
    --------
    >>> import tomllib
    >>> data = {"policy": {"max_el_rate": 0.005}, "members": [{"name": "A", "pd": 0.02}]}
    >>> tomllib.loads(dumps(data)) == data
    True
    """
    return tomli_w.dumps(plain_data(data))
