"""Reading model files safely: TOML loading, key checks, typed getters, and line numbers.

Every problem becomes a :class:`~alliance.errors.ModelFileError` naming the file, the dotted
key (``"members[3].pd"``) and, where the text lets us find it, the line. :mod:`tomllib`
gives no line numbers for keys, so :func:`find_line` scans the text for the key (best
effort: the first match after the enclosing table's header).

Examples
--------
>>> text = 'title = "x"\\n[[members]]\\nname = "A"\\n[[members]]\\nname = "B"\\npd = 2\\n'
>>> find_line(text, "members[1].pd")
6
>>> suggest("playrs", ["players", "strategies", "title"])
" (did you mean 'players'?)"
"""

from __future__ import annotations

import difflib
import math
import re
import tomllib
from collections.abc import Iterable, Mapping, Sequence
from fractions import Fraction
from pathlib import Path
from typing import Any

from alliance.errors import AllianceError, ModelFileError
from alliance.numbers import as_exact

__all__ = ["Source", "find_line", "suggest", "load_toml", "as_exact", "check_size", "MAX_FILE_BYTES"]

#: Largest model file read, in bytes (a model with 10^4 members is well below).
MAX_FILE_BYTES = 20_000_000

_SEGMENT = re.compile(r"([^.\[\]]+)(?:\[(\d+)\])?")


def suggest(key: str, known: Iterable[str]) -> str:
    """`` (did you mean 'x'?)`` for the nearest known key, or an empty string.

    Parameters
    ----------
    key : str
        The unknown key.
    known : iterable of str
        The keys allowed there.

    Returns
    -------
    str
        The suggestion, with a leading space, or ``""``.

    Examples
    --------
    >>> suggest("defualt", ["default", "range"]), suggest("zzz", ["default"])
    (" (did you mean 'default'?)", '')
    """
    close = difflib.get_close_matches(str(key), list(known), n=1, cutoff=0.6)
    return f" (did you mean '{close[0]}'?)" if close else ""


def find_line(text: str | None, key: str | None) -> int | None:
    """The 1-based line where a dotted key (``"parameters.r.default"``, ``"members[2].pd"``)
    is defined, or ``None`` when it cannot be found.

    Parameters
    ----------
    text : str or None
        The file's text.
    key : str or None
        The dotted key, with ``[k]`` for the k-th entry of an array of tables.

    Returns
    -------
    int or None
        The line number, or ``None``.

    Examples
    --------
    >>> find_line("[game]\\ntitle = 'x'\\n[parameters.r]\\ndefault = 0.06\\n", "parameters.r.default")
    4
    """
    if not text or not key:
        return None
    lines = text.splitlines()
    start = 0
    found: int | None = None
    path: list[str] = []
    for name, index in _SEGMENT.findall(key):
        path.append(name)
        joined = r"\s*\.\s*".join(re.escape(p) for p in path)
        header_single = re.compile(r"^\s*\[{1,2}\s*" + joined + r"\s*[.\]]")
        header_array = re.compile(r"^\s*\[\[\s*" + joined + r"\s*\]\]")
        assign = re.compile(r"(^|[\s{,])(" + re.escape(name) + r'|"' + re.escape(name) + r'")\s*=')
        hit = None
        if index:
            k = int(index)
            headers = [i for i in range(start, len(lines)) if header_array.match(lines[i])]
            if len(headers) > k:
                hit = headers[k]
            else:
                # an inline array: the k-th line holding a "{" after "name ="
                for i in range(start, len(lines)):
                    if assign.search(lines[i]):
                        braces = [j for j in range(i, len(lines)) if "{" in lines[j]]
                        if len(braces) > k:
                            hit = braces[k]
                        break
        else:
            for i in range(start, len(lines)):
                if header_single.match(lines[i]) or assign.search(lines[i]):
                    hit = i
                    break
        if hit is None:
            return found
        found = hit + 1
        start = hit
    return found


class Source:
    """A file's text and name, for error messages with file, key and line.

    Parameters
    ----------
    text : str
        The file's content.
    name : str
        The path or a label such as ``"<string>"``.

    Examples
    --------
    >>> src = Source("[policy]\\nmax_el_rate = 'high'\\n", "alliance.toml")
    >>> src.number("high", "policy.max_el_rate")
    Traceback (most recent call last):
    ...
    alliance.errors.ModelFileError: alliance.toml, line 2, key 'policy.max_el_rate': policy.max_el_rate is 'high'; it must be a number such as 0.06 or 3/50
    """

    def __init__(self, text: str, name: str) -> None:
        self.text = text
        self.name = name

    def error(
        self, message: str, key: str | None = None, line: int | None = None
    ) -> ModelFileError:
        """The :class:`ModelFileError` for ``key``, with the line found in the text.

        Parameters
        ----------
        message : str
            What is wrong.
        key : str, optional
            The dotted key at fault.
        line : int, optional
            The line, when the caller knows it (else it is looked up).

        Returns
        -------
        ModelFileError
            The error, to be raised by the caller.

        Examples
        --------
        >>> print(Source("a = 1\\n", "f.toml").error("a is wrong", "a"))
        f.toml, line 1, key 'a': a is wrong
        """
        if line is None:
            line = find_line(self.text, key)
        return ModelFileError(message, file=self.name, key=key, line=line)

    # ------------------------------------------------------------------ checks
    def table(self, data: Any, key: str) -> dict:
        """A TOML table as a dict, or a ModelFileError naming ``key``.

        Parameters
        ----------
        data : Any
            The value read.
        key : str
            Its dotted key.

        Returns
        -------
        dict
            The table.

        Examples
        --------
        >>> Source("", "f.toml").table({"a": 1}, "policy")
        {'a': 1}
        """
        if not isinstance(data, Mapping):
            raise self.error(f"'{key}' must be a table, not {_kind(data)} {_short(data)}", key)
        return dict(data)

    def keys(
        self, table: Mapping, allowed: Iterable[str], key: str, required: Iterable[str] = ()
    ) -> None:
        """Refuse unknown keys (suggesting the nearest known one) and require some.

        Parameters
        ----------
        table : mapping
            The table read.
        allowed : iterable of str
            The keys allowed in it.
        key : str
            The table's dotted key (``""`` for the top level).
        required : iterable of str, default ()
            The keys it must have.

        Examples
        --------
        >>> Source("", "f.toml").keys({"rhoo": 0.1}, ["rho", "seed"], "simulation")
        Traceback (most recent call last):
        ...
        alliance.errors.ModelFileError: f.toml, key 'simulation.rhoo': unknown key 'rhoo' (did you mean 'rho'?); allowed keys here: rho, seed
        """
        allowed = list(allowed)
        for k in table:
            if k not in allowed:
                full = f"{key}.{k}" if key else str(k)
                raise self.error(
                    f"unknown key '{k}'{suggest(k, allowed)}; allowed keys here: {', '.join(allowed)}",
                    full,
                )
        for k in required:
            if k not in table:
                raise self.error(f"'{k}' is required", key or None)

    def string(self, value: Any, key: str, *, empty: bool = False) -> str:
        """A string, or a ModelFileError naming ``key``.

        Parameters
        ----------
        value : Any
            The value read.
        key : str
            Its dotted key.
        empty : bool, default False
            Accept an empty (or blank) string.

        Returns
        -------
        str
            The string.

        Examples
        --------
        >>> Source("", "f.toml").string("Bank", "game.players[0]")
        'Bank'
        """
        if not isinstance(value, str):
            raise self.error(f"{key} must be a string, not {_kind(value)} {_short(value)}", key)
        if not empty and not value.strip():
            raise self.error(f"{key} is empty", key)
        return value

    def strings(
        self, value: Any, key: str, *, unique: bool = True, nonempty: bool = True
    ) -> tuple[str, ...]:
        """A list of strings, or a ModelFileError naming ``key``.

        Parameters
        ----------
        value : Any
            The value read.
        key : str
            Its dotted key.
        unique : bool, default True
            Refuse repeated strings.
        nonempty : bool, default True
            Refuse an empty list.

        Returns
        -------
        tuple of str
            The strings.

        Examples
        --------
        >>> Source("", "f.toml").strings(["lend", "refuse"], "game.strategies.Bank")
        ('lend', 'refuse')
        """
        if not isinstance(value, list):
            raise self.error(
                f"{key} must be a list of strings, not {_kind(value)} {_short(value)}", key
            )
        if nonempty and not value:
            raise self.error(f"{key} is an empty list", key)
        out = tuple(self.string(v, f"{key}[{i}]") for i, v in enumerate(value))
        if unique and len(set(out)) != len(out):
            dup = sorted({v for v in out if out.count(v) > 1})
            raise self.error(f"{key} repeats {', '.join(map(repr, dup))}", key)
        return out

    def number(
        self,
        value: Any,
        key: str,
        *,
        lo: float | None = None,
        hi: float | None = None,
        finite: bool = True,
    ) -> int | float | Fraction:
        """An int, a float or a rational string such as ``"3/50"`` (kept exact).

        Parameters
        ----------
        value : Any
            The value read.
        key : str
            Its dotted key.
        lo, hi : float, optional
            The closed range the number must lie in.
        finite : bool, default True
            Refuse ``inf`` and ``nan``.

        Returns
        -------
        int, float or Fraction
            The number (a rational string as an exact Fraction).

        Examples
        --------
        >>> Source("", "f.toml").number("3/50", "parameters.r.default")
        Fraction(3, 50)
        """
        if isinstance(value, str):
            value = self.rational_text(value, key)
        if isinstance(value, bool) or not isinstance(value, (int, float, Fraction)):
            raise self.error(f"{key} must be a number, not {_kind(value)} {_short(value)}", key)
        if finite and isinstance(value, float) and not math.isfinite(value):
            raise self.error(f"{key} is {value}; it must be finite", key)
        if isinstance(value, float) and math.isnan(value):
            raise self.error(f"{key} is nan; it must be a number", key)
        if lo is not None and value < lo:
            raise self.error(f"{key} is {value}; it must be at least {lo:g}", key)
        if hi is not None and value > hi:
            raise self.error(f"{key} is {value}; it must be at most {hi:g}", key)
        return value

    def integer(self, value: Any, key: str, *, lo: int | None = None) -> int:
        """An integer (at least ``lo``), or a ModelFileError naming ``key``.

        Parameters
        ----------
        value : Any
            The value read.
        key : str
            Its dotted key.
        lo : int, optional
            The smallest value allowed.

        Returns
        -------
        int
            The integer.

        Examples
        --------
        >>> Source("", "f.toml").integer(20000, "simulation.scenarios", lo=1)
        20000
        """
        if isinstance(value, bool) or not isinstance(value, int):
            raise self.error(f"{key} must be an integer, not {_kind(value)} {_short(value)}", key)
        if lo is not None and value < lo:
            raise self.error(f"{key} is {value}; it must be at least {lo}", key)
        return value

    def boolean(self, value: Any, key: str) -> bool:
        """A boolean, or a ModelFileError naming ``key``.

        Parameters
        ----------
        value : Any
            The value read.
        key : str
            Its dotted key.

        Returns
        -------
        bool
            The boolean.

        Examples
        --------
        >>> Source("", "f.toml").boolean(True, "claims[0].pure")
        True
        """
        if not isinstance(value, bool):
            raise self.error(
                f"{key} must be true or false, not {_kind(value)} {_short(value)}", key
            )
        return value

    def rational_text(self, text: str, key: str) -> Fraction:
        """A number written as text: ``"3/50"`` or a decimal such as ``"0.06"``, exactly.

        Parameters
        ----------
        text : str
            The text.
        key : str
            Its dotted key, for the error message.

        Returns
        -------
        Fraction
            The exact value.

        Examples
        --------
        >>> Source("", "f.toml").rational_text("0.06", "parameters.r.default")
        Fraction(3, 50)
        """
        t = text.strip()
        rational = re.fullmatch(r"([+-]?\d{1,300})\s*/\s*(\d{1,300})", t)
        if rational:
            if int(rational.group(2)) == 0:
                raise self.error(f"{key} is {text!r}: division by zero", key)
            return Fraction(int(rational.group(1)), int(rational.group(2)))
        decimal = re.fullmatch(r"[+-]?(\d+\.?\d*|\.\d+)([eE]([+-]?\d{1,3}))?", t)
        if decimal and len(t) <= 100:
            return Fraction(t)
        raise self.error(f"{key} is {text!r}; it must be a number such as 0.06 or 3/50", key)

    def wrap(self, err: AllianceError, key: str | None) -> ModelFileError:
        """Re-raise an error of the engine (bad expression, bad game) as a file error.

        Parameters
        ----------
        err : AllianceError
            The engine's error.
        key : str or None
            The dotted key the error comes from.

        Returns
        -------
        ModelFileError
            ``err`` itself when it is one already, else a new one with its message.

        Examples
        --------
        >>> from alliance.errors import ParameterError
        >>> print(Source("", "f.toml").wrap(ParameterError("pd is 2"), "members[0].pd"))
        f.toml, key 'members[0].pd': pd is 2
        """
        if isinstance(err, ModelFileError):
            return err
        return self.error(str(err), key)


def _kind(value: Any) -> str:
    return {
        bool: "the boolean",
        int: "the integer",
        float: "the number",
        str: "the string",
        list: "the list",
        dict: "the table",
    }.get(type(value), f"a {type(value).__name__}")


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def check_size(size: int, name: str) -> None:
    """Refuse a file (or text) longer than :data:`MAX_FILE_BYTES` before reading it.

    Parameters
    ----------
    size : int
        Its size, in bytes (or characters).
    name : str
        The file's name, for the message.

    Raises
    ------
    ModelFileError
        When ``size`` exceeds :data:`MAX_FILE_BYTES`.

    Examples
    --------
    >>> check_size(10, "small.toml")
    >>> check_size(MAX_FILE_BYTES + 1, "huge.toml")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    alliance.errors.ModelFileError: huge.toml: file is ... bytes; the limit is ...
    """
    if size > MAX_FILE_BYTES:
        raise ModelFileError(
            f"file is {size} bytes; the limit is {MAX_FILE_BYTES} (alliance.io.schema."
            "MAX_FILE_BYTES): a model file this large is not a model",
            file=name,
        )


def load_toml(source: str | Path | bytes, *, text: str | None = None) -> tuple[dict, Source]:
    """Read a TOML file (or text) into a dict, turning every failure into ModelFileError.

    Parameters
    ----------
    source : str or Path
        A path; with ``text`` given, only a label for messages.
    text : str, optional
        The content, when it does not come from a file.

    Returns
    -------
    data : dict
        The parsed document.
    source : Source
        The text and name, for later error messages.

    Examples
    --------
    >>> data, src = load_toml("<string>", text="[policy]\\nmax_el_rate = 0.005\\n")
    >>> data, src.name
    ({'policy': {'max_el_rate': 0.005}}, '<string>')
    """
    name = str(source)
    if text is not None:
        check_size(len(text), name)
    else:
        path = Path(source)
        try:
            check_size(path.stat().st_size, name)
            raw = path.read_bytes()
        except FileNotFoundError:
            raise ModelFileError("no such file", file=name) from None
        except IsADirectoryError:
            raise ModelFileError("is a directory, not a file", file=name) from None
        except OSError as err:
            raise ModelFileError(f"cannot read the file ({err.strerror})", file=name) from None
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as err:
            line = raw[: err.start].count(b"\n") + 1
            raise ModelFileError("the file is not UTF-8 text", file=name, line=line) from None
    src = Source(text, name)
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as err:
        msg = str(err)
        m = re.search(r"\(at line (\d+), column (\d+)\)", msg)
        line = int(m.group(1)) if m else None
        if line is None and "end of document" in msg:
            line = max(1, len(text.splitlines()))
        msg = re.sub(r"\s*\(at line \d+, column \d+\)", "", msg) or "invalid TOML"
        raise ModelFileError(f"invalid TOML: {msg}", file=name, line=line) from None
    except RecursionError:
        raise ModelFileError("invalid TOML: nested too deeply", file=name) from None
    return data, src


def plain(value: Any) -> Any:
    """A number as TOML writes it: int, float, or the text ``"p/q"`` for a non-decimal fraction."""
    if isinstance(value, Fraction):
        if value.denominator == 1:
            return int(value)
        as_float = float(value)
        if Fraction(repr(as_float)) == value:
            return as_float
        return f"{value.numerator}/{value.denominator}"
    if isinstance(value, float) and value.is_integer() and abs(value) < 2**53:
        return value
    return value


def sequence_of(value: Any) -> bool:
    return isinstance(value, Sequence) and not isinstance(value, str)
