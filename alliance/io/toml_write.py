"""A small TOML writer for the model-file schema (the standard library reads TOML but cannot write it).

It writes what the readers of :mod:`alliance.io` read back: tables, arrays of tables, strings,
integers, floats (``inf``, ``-inf``), booleans and arrays of those. Arrays of tables whose
entries are flat (no nested tables) can be written compactly, one inline table per line.

Examples
--------
>>> print(dumps({"game": {"title": "PD", "players": ["Row", "Col"]},
...              "payoffs": [{"profile": ["C", "C"], "values": [3, 3]}]}))
[game]
title = "PD"
players = ["Row", "Col"]
<BLANKLINE>
[[payoffs]]
profile = ["C", "C"]
values = [3, 3]
<BLANKLINE>
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from typing import Any

__all__ = ["dumps", "format_value", "format_key"]

_BARE_KEY = re.compile(r"^[A-Za-z0-9_-]+$")


def format_key(key: str) -> str:
    """A key, quoted unless it is a bare key."""
    return key if _BARE_KEY.match(key) else _string(key)


def _string(text: str) -> str:
    out = ['"']
    for ch in text:
        code = ord(ch)
        if ch == '"':
            out.append('\\"')
        elif ch == "\\":
            out.append("\\\\")
        elif ch == "\n":
            out.append("\\n")
        elif ch == "\t":
            out.append("\\t")
        elif ch == "\r":
            out.append("\\r")
        elif code < 0x20 or code == 0x7F:
            out.append(f"\\u{code:04X}")
        else:
            out.append(ch)
    out.append('"')
    return "".join(out)


def _float(x: float) -> str:
    if math.isnan(x):
        raise ValueError("NaN cannot be written to a model file")
    if math.isinf(x):
        return "inf" if x > 0 else "-inf"
    text = repr(float(x))
    return text if any(c in text for c in ".en") else text + ".0"


def format_value(value: Any) -> str:
    """One TOML value (no tables inside, except inline tables of scalars)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return _float(value)
    if isinstance(value, str):
        return _string(value)
    if isinstance(value, Mapping):
        inner = ", ".join(f"{format_key(k)} = {format_value(v)}" for k, v in value.items())
        return "{ " + inner + " }" if inner else "{}"
    if isinstance(value, Sequence):
        return "[" + ", ".join(format_value(v) for v in value) + "]"
    # numpy scalars and the like
    if hasattr(value, "item"):
        return format_value(value.item())
    raise TypeError(f"cannot write a value of type {type(value).__name__} to TOML")


def _is_table(value: Any) -> bool:
    return isinstance(value, Mapping)


def _is_table_array(value: Any) -> bool:
    return (
        isinstance(value, Sequence)
        and not isinstance(value, str)
        and len(value) > 0
        and all(isinstance(v, Mapping) for v in value)
    )


def _flat(table: Mapping) -> bool:
    return not any(_is_table(v) or _is_table_array(v) for v in table.values())


def dumps(
    data: Mapping[str, Any], *, compact: Sequence[str] = (), inline: Sequence[str] = ()
) -> str:
    """Serialise a mapping to TOML text.

    Parameters
    ----------
    data : mapping
        Top-level keys with scalar values come first, then tables, then arrays of tables.
    compact : sequence of str
        Top-level arrays of flat tables to write as one inline table per line
        (``members = [ {...}, ... ]``): long lists of members and chains stay readable.
    inline : sequence of str
        Top-level flat tables to write as inline tables (``policy = { max_el_rate = 0.005 }``),
        so that they can precede the compact arrays.
    """
    lines: list[str] = []
    inline_set = set(inline)
    head = {k: v for k, v in data.items() if k in inline_set}
    rest = {k: v for k, v in data.items() if k not in inline_set}
    for k, v in head.items():
        lines.append(f"{format_key(k)} = {format_value(v)}")
    if head:
        lines.append("")
    _emit(rest, (), lines, set(compact))
    return "\n".join(lines).rstrip("\n") + "\n"


def _emit(table: Mapping, path: tuple[str, ...], lines: list[str], compact: set[str]) -> None:
    scalars = [(k, v) for k, v in table.items() if not (_is_table(v) or _is_table_array(v))]
    tables = [(k, v) for k, v in table.items() if _is_table(v)]
    arrays = [(k, v) for k, v in table.items() if _is_table_array(v)]
    for k, v in scalars:
        if v is None:
            continue
        lines.append(f"{format_key(k)} = {format_value(v)}")
    if scalars and path:
        lines.append("")
    for k, v in arrays:
        if not path and k in compact and all(_flat(e) for e in v):
            lines.append(f"{format_key(k)} = [")
            for entry in v:
                clean = {a: b for a, b in entry.items() if b is not None}
                lines.append(f"  {format_value(clean)},")
            lines.append("]")
            lines.append("")
    for k, v in tables:
        sub = path + (k,)
        has_scalars = any(not (_is_table(x) or _is_table_array(x)) for x in v.values())
        if has_scalars or not v:
            lines.append("[" + ".".join(format_key(p) for p in sub) + "]")
        _emit(v, sub, lines, compact)
    if not path and scalars and (tables or arrays) and lines and lines[-1] != "":
        pass
    for k, v in arrays:
        if not path and k in compact and all(_flat(e) for e in v):
            continue
        sub = path + (k,)
        for entry in v:
            lines.append("[[" + ".".join(format_key(p) for p in sub) + "]]")
            _emit(entry, sub, lines, compact)
            if lines[-1] != "":
                lines.append("")
    if not path and scalars:
        # a blank line between top-level scalars and the first table
        first_table = next((i for i, ln in enumerate(lines) if ln.startswith("[")), None)
        if first_table and lines[first_table - 1] != "":
            lines.insert(first_table, "")
