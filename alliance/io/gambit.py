"""Gambit interchange: read and write ``.nfg`` (strategic form), read and write ``.efg`` trees.

Gambit's file formats are how game-theory tools exchange games (McKelvey, McLennan and
Turocy, *Gambit: Software Tools for Game Theory*). This module reads them with a tokeniser
written by hand (quoted strings, braces, numbers including rationals such as ``3/2``), never
with ``eval``; numbers are read exactly (``0.811`` is 811/1000), so games read from files are
exact and their equilibria are exact fractions.

* ``.nfg``: both the *payoff* version (one list of numbers) and the *outcome* version
  (named outcomes and one outcome index per contingency) are read; either is written.
* ``.efg``: trees of **perfect information** (every information set holds one node) with
  chance moves are read into a :class:`~alliance.games.sequential.SequentialGame`; outcomes
  met along a path add up. Any numeric sequential game is written.

A truncated or malformed file raises :class:`~alliance.errors.ModelFileError` with the file
and the line.

Examples
--------
>>> text = '''NFG 1 R "Matching pennies" { "Row" "Col" } { 2 2 }
... 1 -1 -1 1 -1 1 1 -1'''
>>> g = read_nfg(text=text)
>>> [eq["Row"] for eq in g.equilibria()]
[{'1': Fraction(1, 2), '2': Fraction(1, 2)}]
>>> read_nfg(text=write_nfg(g)) == g
True

References
----------
McKelvey, R. D., McLennan, A. M. and Turocy, T. L. (2016). Gambit: Software Tools for Game
Theory, version 16. http://www.gambit-project.org. File formats:
https://gambitproject.readthedocs.io/en/latest/formats.html
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import Any

import numpy as np

from alliance.errors import AllianceError, ModelFileError
from alliance.io.schema import check_size

__all__ = ["read_nfg", "write_nfg", "read_efg", "write_efg", "MAX_CONTINGENCIES", "MAX_NODES"]

#: Largest number of pure profiles read from an .nfg file.
MAX_CONTINGENCIES = 1_000_000
#: Largest number of nodes read from an .efg file.
MAX_NODES = 200_000
#: Deepest tree read from an .efg file.
MAX_DEPTH = 200

_NUMBER = re.compile(r"[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?(?:/\d+)?")
_WORD = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


@dataclass(frozen=True)
class _Token:
    kind: str  # "str", "num", "word", "{", "}", ","
    text: str
    line: int


class _Tokens:
    """A stream of tokens with the reader's position, for messages with the line."""

    def __init__(self, text: str, name: str) -> None:
        self.name = name
        self.tokens = _tokenise(text, name)
        self.pos = 0
        self.last_line = max(1, len(text.splitlines()))

    def error(
        self, message: str, token: _Token | None = None, key: str | None = None
    ) -> ModelFileError:
        line = token.line if token is not None else self.last_line
        return ModelFileError(message, file=self.name, key=key, line=line)

    def peek(self) -> _Token | None:
        return self.tokens[self.pos] if self.pos < len(self.tokens) else None

    def next(self, what: str) -> _Token:
        tok = self.peek()
        if tok is None:
            raise self.error(f"the file ends where {what} was expected (truncated file?)")
        self.pos += 1
        return tok

    def expect(self, kind: str, what: str) -> _Token:
        tok = self.next(what)
        if tok.kind != kind:
            raise self.error(f"expected {what}, found {tok.text!r}", tok)
        return tok

    def string(self, what: str) -> str:
        return self.expect("str", what).text

    def number(self, what: str) -> Fraction:
        tok = self.expect("num", what)
        return _fraction(tok, self)

    def integer(self, what: str, lo: int = 0) -> int:
        tok = self.expect("num", what)
        if not re.fullmatch(r"[+-]?\d+", tok.text):
            raise self.error(f"expected {what} (an integer), found {tok.text!r}", tok)
        value = int(tok.text)
        if value < lo:
            raise self.error(f"{what} is {value}; it must be at least {lo}", tok)
        return value

    def optional(self, kind: str) -> _Token | None:
        tok = self.peek()
        if tok is not None and tok.kind == kind:
            self.pos += 1
            return tok
        return None


def _fraction(tok: _Token, stream: _Tokens) -> Fraction:
    text = tok.text
    m = re.search(r"[eE]([+-]?\d+)", text)
    if m and abs(int(m.group(1))) > 400 or len(text) > 400:
        raise stream.error(f"number {text[:40]!r} is too large", tok)
    try:
        return Fraction(text)
    except (ValueError, ZeroDivisionError):
        raise stream.error(f"{text!r} is not a number", tok) from None


def _tokenise(text: str, name: str) -> list[_Token]:
    out: list[_Token] = []
    i, n, line = 0, len(text), 1
    while i < n:
        ch = text[i]
        if ch == "\n":
            line += 1
            i += 1
        elif ch.isspace():
            i += 1
        elif ch in "{},":
            out.append(_Token(ch, ch, line))
            i += 1
        elif ch == '"':
            start_line = line
            j = i + 1
            buf = []
            while True:
                if j >= n:
                    raise ModelFileError(
                        "a quoted string is not closed (truncated file?)",
                        file=name,
                        line=start_line,
                    )
                c = text[j]
                if c == "\\" and j + 1 < n:
                    buf.append(text[j + 1])
                    j += 2
                    continue
                if c == '"':
                    break
                if c == "\n":
                    line += 1
                buf.append(c)
                j += 1
            out.append(_Token("str", "".join(buf), start_line))
            i = j + 1
        else:
            m = _NUMBER.match(text, i)
            if m and m.end() > i:
                out.append(_Token("num", m.group(), line))
                i = m.end()
                continue
            m = _WORD.match(text, i)
            if m:
                out.append(_Token("word", m.group(), line))
                i = m.end()
                continue
            raise ModelFileError(f"unexpected character {ch!r}", file=name, line=line)
    return out


def _read_text(path: str | Path | None, text: str | None) -> tuple[str, str]:
    name = str(path) if path is not None else "<string>"
    if text is not None:
        check_size(len(text), name)
        return text, name
    try:
        check_size(Path(path).stat().st_size, name)  # type: ignore[arg-type]
        raw = Path(path).read_bytes()  # type: ignore[arg-type]
    except FileNotFoundError:
        raise ModelFileError("no such file", file=name) from None
    except IsADirectoryError:
        raise ModelFileError("is a directory, not a file", file=name) from None
    except OSError as err:
        raise ModelFileError(f"cannot read the file ({err.strerror})", file=name) from None
    try:
        return raw.decode("utf-8"), name
    except UnicodeDecodeError:
        return raw.decode("latin-1"), name


def _labels(names: list[str], default: str) -> tuple[str, ...]:
    """Unique, non-empty labels: Gambit allows empty or repeated ones, the engine does not."""
    out: list[str] = []
    for k, s in enumerate(names, start=1):
        label = s.strip() or f"{default}{k}"
        while label in out:
            label = f"{label}#{k}"
        out.append(label)
    return tuple(out)


def _header(tokens: _Tokens, magic: str, version: str) -> tuple[str, tuple[str, ...]]:
    tok = tokens.next(f"'{magic}'")
    if tok.kind != "word" or tok.text != magic:
        raise tokens.error(
            f"not a Gambit {magic.lower()} file: it must start with '{magic} {version} R'", tok
        )
    ver = tokens.expect("num", "the format version")
    if ver.text != version:
        raise tokens.error(f"{magic} version is {ver.text}; only version {version} is read", ver)
    kind = tokens.expect("word", "R or D")
    if kind.text not in ("R", "D"):
        raise tokens.error(f"number type is {kind.text!r}; it must be R or D", kind)
    title = tokens.string("the title")
    tokens.expect("{", "'{' before the player names")
    players = []
    while tokens.optional("}") is None:
        players.append(tokens.string("a player name or '}'"))
    if not players:
        raise tokens.error("the game has no players")
    return title, _labels(players, "Player ")


# ------------------------------------------------------------------ .nfg
def read_nfg(path: str | Path | None = None, *, text: str | None = None) -> Any:
    """Read a Gambit strategic-form file (payoff or outcome version).

    Parameters
    ----------
    path : str or Path
        The ``.nfg`` file (a label when ``text`` is given).
    text : str, optional
        The file's content.

    Returns
    -------
    NormalFormGame
        Exact payoffs (fractions), players and strategies named as in the file (empty or
        repeated names are numbered), the file's title.

    Raises
    ------
    ModelFileError
        A malformed or truncated file, with the line.

    Examples
    --------
    >>> from alliance import NormalFormGame
    >>> g = NormalFormGame.from_matrices([[3, 0], [5, 1]], [[3, 5], [0, 1]])
    >>> read_nfg(text=write_nfg(g)) == g
    True
    """
    from alliance.games.normal_form import NormalFormGame

    body, name = _read_text(path, text)
    tokens = _Tokens(body, name)
    title, players = _header(tokens, "NFG", "1")
    n = len(players)
    tokens.expect("{", "'{' before the strategies")
    strategies: list[tuple[str, ...]] = []
    first = tokens.peek()
    if first is not None and first.kind == "{":
        for i in range(n):
            tokens.expect("{", f"'{{' before the strategies of {players[i]}")
            names = []
            while tokens.optional("}") is None:
                names.append(tokens.string(f"a strategy name of {players[i]} or '}}'"))
            if not names:
                raise tokens.error(f"{players[i]} has no strategies", first)
            strategies.append(_labels(names, ""))
        tokens.expect("}", "'}' after the strategies")
    else:
        counts = []
        while tokens.optional("}") is None:
            counts.append(tokens.integer("a number of strategies", lo=1))
        if len(counts) != n:
            raise tokens.error(f"{len(counts)} strategy counts for {n} players", first)
        strategies = [tuple(str(k) for k in range(1, c + 1)) for c in counts]
    shape = tuple(len(s) for s in strategies)
    size = math.prod(shape)
    if size > MAX_CONTINGENCIES:
        raise tokens.error(f"the game has {size} pure profiles; the limit is {MAX_CONTINGENCIES}")
    tokens.optional("str")  # the comment
    table = np.empty(shape + (n,), dtype=object)
    order = [tuple(int(i) for i in np.unravel_index(k, shape, order="F")) for k in range(size)]
    if tokens.peek() is not None and tokens.peek().kind == "{":
        tokens.next("'{'")
        outcomes: list[tuple[Fraction, ...]] = []
        while tokens.optional("}") is None:
            tokens.expect("{", "'{' opening an outcome")
            tokens.string("the outcome's name")
            values = []
            while tokens.optional("}") is None:
                if tokens.optional(",") is not None:
                    continue
                values.append(tokens.number("a payoff or '}'"))
            if len(values) != n:
                raise tokens.error(
                    f"outcome {len(outcomes) + 1} has {len(values)} payoffs for {n} players"
                )
            outcomes.append(tuple(values))
        zero = tuple(Fraction(0) for _ in range(n))
        for index in order:
            k = tokens.integer("an outcome number for every contingency")
            if k > len(outcomes):
                raise tokens.error(
                    f"outcome {k} is not defined (there are {len(outcomes)})",
                    tokens.tokens[tokens.pos - 1],
                )
            table[index] = np.array(outcomes[k - 1] if k else zero, dtype=object)
    else:
        for index in order:
            for i in range(n):
                table[index + (i,)] = tokens.number("a payoff (the file ends too early?)")
    extra = tokens.peek()
    if extra is not None:
        raise tokens.error(f"unexpected {extra.text!r} after the payoffs", extra)
    try:
        return NormalFormGame(table, players, strategies, title=title or None)
    except AllianceError as err:
        raise ModelFileError(str(err), file=name) from None


def _number_text(value: Any) -> str:
    if isinstance(value, Fraction):
        return (
            str(value.numerator)
            if value.denominator == 1
            else f"{value.numerator}/{value.denominator}"
        )
    if isinstance(value, (int, np.integer)):
        return str(int(value))
    v = float(value)
    if v.is_integer() and abs(v) < 2**53:
        return str(int(v))
    return repr(v)


def _quote(text: str) -> str:
    return '"' + str(text).replace("\\", "\\\\").replace('"', '\\"') + '"'


def _numeric_table(game: Any) -> np.ndarray:
    if getattr(game, "is_symbolic", False):
        names = ", ".join(p.name for p in game.params)
        raise ModelFileError(
            f"the game has free parameters ({names}); substitute values before writing a Gambit file",
            key="payoffs",
        )
    exact = game.exact_payoffs
    return exact if exact is not None else game.payoffs


def write_nfg(game: Any, path: str | Path | None = None, *, version: str = "outcome") -> str:
    """Write a numeric :class:`NormalFormGame` as a Gambit ``.nfg`` file; return the text.

    Parameters
    ----------
    game : NormalFormGame
        Numeric (exact payoffs are written as fractions ``p/q``).
    path : str or Path, optional
        Where to write; the text is returned either way.
    version : {"outcome", "payoff"}
        The outcome version (named strategies and one outcome per profile, as Gambit writes)
        or the compact payoff version.

    Returns
    -------
    str
        The file's text.

    Examples
    --------
    >>> from alliance import NormalFormGame
    >>> g = NormalFormGame.from_matrices([[3, 0], [5, 1]], [[3, 5], [0, 1]])
    >>> print(write_nfg(g, version="payoff"))
    NFG 1 R "Untitled strategic game" { "Player 1" "Player 2" } { 2 2 }
    <BLANKLINE>
    3 3 5 0 0 5 1 1
    <BLANKLINE>
    """
    if version not in ("outcome", "payoff"):
        raise ValueError(f"version is {version!r}; use 'outcome' or 'payoff'")
    table = _numeric_table(game)
    shape = game.shape
    n = game.n_players
    size = math.prod(shape)
    order = [tuple(int(i) for i in np.unravel_index(k, shape, order="F")) for k in range(size)]
    kind = "R" if getattr(game, "is_exact", False) else "D"
    players = " ".join(_quote(p) for p in game.players)
    title = _quote(game.title or "Untitled strategic game")
    lines = []
    if version == "payoff":
        counts = " ".join(str(k) for k in shape)
        lines.append(f"NFG 1 {kind} {title} {{ {players} }} {{ {counts} }}")
        lines.append("")
        lines.append(" ".join(_number_text(table[idx + (i,)]) for idx in order for i in range(n)))
    else:
        lines.append(f"NFG 1 {kind} {title} {{ {players} }}")
        lines.append("")
        lines.append(
            "{ "
            + "\n".join("{ " + " ".join(_quote(s) for s in ss) + " }" for ss in game.strategies)
        )
        lines.append("}")
        lines.append('""')
        lines.append("")
        lines.append("{")
        for k, idx in enumerate(order, start=1):
            values = ", ".join(_number_text(table[idx + (i,)]) for i in range(n))
            lines.append(f'{{ "{k}" {values} }}')
        lines.append("}")
        lines.append(" ".join(str(k) for k in range(1, size + 1)))
    text = "\n".join(lines) + "\n"
    if path is not None:
        Path(path).write_text(text, encoding="utf-8")
    return text


# ------------------------------------------------------------------ .efg
def read_efg(path: str | Path | None = None, *, text: str | None = None) -> Any:
    """Read a Gambit extensive-form file of a perfect-information game.

    Parameters
    ----------
    path : str or Path, optional
        The file to read.
    text : str, optional
        The file's text instead (``path`` then only names it in messages).

    Returns
    -------
    SequentialGame
        Decision nodes for personal moves, chance nodes with exact probabilities, leaves
        with the sum of the outcomes met on the path.

    Raises
    ------
    ModelFileError
        A malformed or truncated file, or a game of imperfect information (an information
        set with more than one node), with the line.

    Examples
    --------
    >>> from importlib.resources import files
    >>> g = read_efg(files("alliance") / "data" / "gambit" / "entry_deterrence.efg")
    >>> g.players
    ('Entrant', 'Incumbent')
    """
    from alliance.games.sequential import Chance, Decision, Leaf, SequentialGame

    body, name = _read_text(path, text)
    tokens = _Tokens(body, name)
    title, players = _header(tokens, "EFG", "2")
    n = len(players)
    tokens.optional("str")  # the comment
    infosets: dict[tuple[int, int], tuple[int, tuple[str, ...]]] = {}
    outcomes: dict[int, tuple[Fraction, ...]] = {}
    count = [0]

    def outcome_values(tok: _Token) -> tuple[Fraction, ...]:
        k = tokens.integer("an outcome number")
        if (
            tokens.optional("str") is not None
            or tokens.peek() is not None
            and tokens.peek().kind == "{"
        ):
            if tokens.optional("{") is not None:
                values = []
                while tokens.optional("}") is None:
                    if tokens.optional(",") is not None:
                        continue
                    values.append(tokens.number("a payoff or '}'"))
                if len(values) != n:
                    raise tokens.error(
                        f"outcome {k} has {len(values)} payoffs for {n} players", tok
                    )
                outcomes[k] = tuple(values)
        if k == 0:
            return tuple(Fraction(0) for _ in range(n))
        if k not in outcomes:
            raise tokens.error(f"outcome {k} is used before its payoffs are given", tok)
        return outcomes[k]

    def actions(tok: _Token, chance: bool) -> list[tuple[str, Fraction | None]]:
        out = []
        tokens.expect("{", "'{' before the actions")
        while tokens.optional("}") is None:
            label = tokens.string("an action name or '}'")
            prob = tokens.number("the probability of a chance action") if chance else None
            out.append((label, prob))
        if not out:
            raise tokens.error("a move with no actions", tok)
        return out

    def node(depth: int, carried: tuple[Fraction, ...]) -> Any:
        if depth > MAX_DEPTH:
            raise tokens.error(f"the tree is deeper than {MAX_DEPTH} moves")
        count[0] += 1
        if count[0] > MAX_NODES:
            raise tokens.error(f"the tree has more than {MAX_NODES} nodes")
        tok = tokens.next("a node (p, c or t)")
        if tok.kind != "word" or tok.text not in ("p", "c", "t"):
            raise tokens.error(f"expected a node type p, c or t, found {tok.text!r}", tok)
        label = tokens.string("the node's name") or None
        if tok.text == "t":
            total = tuple(a + b for a, b in zip(carried, outcome_values(tok)))
            return Leaf(total, label)
        if tok.text == "p":
            player = tokens.integer("the player number", lo=1)
            if player > n:
                raise tokens.error(f"player {player} does not exist (the game has {n})", tok)
        else:
            player = 0
        iset = tokens.integer("the information set number", lo=1)
        tokens.optional("str")
        acts = None
        if tokens.peek() is not None and tokens.peek().kind == "{":
            acts = actions(tok, chance=player == 0)
        key = (player, iset)
        if player and key in infosets:
            raise tokens.error(
                f"information set {iset} of {players[player - 1]} holds more than one node (first "
                f"at line {infosets[key][0]}): only games of perfect information are read",
                tok,
            )
        if acts is None:
            raise tokens.error("a move without its list of actions", tok)
        infosets[key] = (tok.line, tuple(a for a, _ in acts))
        here = tuple(a + b for a, b in zip(carried, outcome_values(tok)))
        names = _labels([a for a, _ in acts], "")
        children = [node(depth + 1, here) for _ in acts]
        if player == 0:
            return Chance({nm: (p, c) for nm, (_, p), c in zip(names, acts, children)}, label)
        return Decision(players[player - 1], dict(zip(names, children)), label)

    root = node(0, tuple(Fraction(0) for _ in range(n)))
    extra = tokens.peek()
    if extra is not None:
        raise tokens.error(f"unexpected {extra.text!r} after the last node of the tree", extra)
    try:
        return SequentialGame(root, players, title=title or None)
    except AllianceError as err:
        raise ModelFileError(str(err), file=name) from None


def _write_efg_text(game: Any, decision_type: type, infoset: Any, path: str | Path | None) -> str:
    """The .efg text of a tree, depth first; ``infoset(node)`` numbers and names a decision
    node's information set (the only difference between perfect and imperfect information)."""
    from alliance.games.sequential import Chance, Leaf

    players = list(game.players)
    lines = [
        f"EFG 2 R {_quote(game.title or 'Untitled extensive game')} {{ {' '.join(_quote(p) for p in players)} }}",
        '""',
        "",
    ]
    counters = {"outcome": 0, "chance": 0}

    def num(v: Any) -> str:
        if isinstance(v, Fraction):
            return _number_text(v)
        if getattr(v, "is_Rational", False):  # exact sympy numbers stay exact
            return _number_text(Fraction(int(v.p), int(v.q)))
        return _number_text(float(v))

    stack = [game.root]
    while stack:
        nd = stack.pop()
        label = _quote(nd.label or "")
        if isinstance(nd, Leaf):
            counters["outcome"] += 1
            pay = ", ".join(num(v) for v in nd.payoffs)
            lines.append(f't {label} {counters["outcome"]} "" {{ {pay} }}')
        elif isinstance(nd, decision_type):
            number, name = infoset(nd)
            acts = " ".join(_quote(a) for a in nd.actions)
            lines.append(
                f"p {label} {players.index(nd.player) + 1} {number} {_quote(name)} "
                f"{{ {acts} }} 0"
            )
            stack.extend(reversed(list(nd.actions.values())))
        elif isinstance(nd, Chance):
            counters["chance"] += 1
            acts = " ".join(f"{_quote(o)} {num(p)}" for o, (p, _) in nd.outcomes.items())
            lines.append(f'c {label} {counters["chance"]} "" {{ {acts} }} 0')
            stack.extend(reversed([c for _, c in nd.outcomes.values()]))
    text = "\n".join(lines) + "\n"
    if path is not None:
        Path(path).write_text(text, encoding="utf-8")
    return text


def write_efg(game: Any, path: str | Path | None = None) -> str:
    """Write a numeric :class:`~alliance.games.sequential.SequentialGame` as a Gambit ``.efg`` file.

    Parameters
    ----------
    game : SequentialGame
        A game without free parameters.
    path : str or Path, optional
        Where to write; the text is returned either way.

    Returns
    -------
    str
        The file's text, which :func:`read_efg` reads back.

    Examples
    --------
    >>> from importlib.resources import files
    >>> g = read_efg(files("alliance") / "data" / "gambit" / "entry_deterrence.efg")
    >>> read_efg(text=write_efg(g)).players == g.players
    True
    """
    from alliance.games.sequential import Decision

    if game.is_symbolic:
        names = ", ".join(p.name for p in game.params)
        raise ModelFileError(
            f"the game has free parameters ({names}); substitute values first", key="nodes"
        )
    counters = {p: 0 for p in game.players}

    def infoset(nd: Any) -> tuple[int, str]:
        # perfect information: every decision node is an information set of its own
        counters[nd.player] += 1
        return counters[nd.player], ""

    return _write_efg_text(game, Decision, infoset, path)


# ------------------------------------------------------------------ .efg with information sets
def read_efg_infosets(path: str | Path | None = None, *, text: str | None = None) -> Any:
    """Read a Gambit ``.efg`` file of a game of imperfect information.

    Nodes sharing a player and an information-set number form one information set (named by
    the file's information-set name, or by its number when the name is empty); a later node
    of a known information set may omit its action list.

    Returns
    -------
    ExtensiveGame
        With the sum of the outcomes met on each path as the leaf payoffs.

    Raises
    ------
    ModelFileError
        A malformed or truncated file, an information set whose nodes disagree on their
        actions, or a game without perfect recall, with the line where it can be given.

    Parameters
    ----------
    path : str or Path, optional
        The file to read.
    text : str, optional
        The file's text instead (``path`` then only names it in messages).

    Examples
    --------
    >>> text = '''EFG 2 R "pennies" { "P1" "P2" }
    ... ""
    ... p "" 1 1 "" { "H" "T" } 0
    ... p "" 2 1 "guess" { "H" "T" } 0
    ... t "" 1 "" { 1, -1 }
    ... t "" 2 "" { -1, 1 }
    ... p "" 2 1 "guess" { "H" "T" } 0
    ... t "" 2
    ... t "" 1
    ... '''
    >>> g = read_efg_infosets(text=text)
    >>> g.information_sets("P2")
    [('guess', ('H', 'T'))]
    """
    from alliance.games.extensive.tree import ExtensiveGame, Move
    from alliance.games.sequential import Chance, Leaf

    body, name = _read_text(path, text)
    tokens = _Tokens(body, name)
    title, players = _header(tokens, "EFG", "2")
    n = len(players)
    tokens.optional("str")  # the comment
    known: dict[tuple[int, int], tuple[str, tuple[str, ...]]] = {}
    outcomes: dict[int, tuple[Fraction, ...]] = {}
    count = [0]

    def outcome_values(tok: _Token) -> tuple[Fraction, ...]:
        k = tokens.integer("an outcome number")
        tokens.optional("str")
        if tokens.optional("{") is not None:
            values = []
            while tokens.optional("}") is None:
                if tokens.optional(",") is not None:
                    continue
                values.append(tokens.number("a payoff or '}'"))
            if len(values) != n:
                raise tokens.error(f"outcome {k} has {len(values)} payoffs for {n} players", tok)
            outcomes[k] = tuple(values)
        if k == 0:
            return tuple(Fraction(0) for _ in range(n))
        if k not in outcomes:
            raise tokens.error(f"outcome {k} is used before its payoffs are given", tok)
        return outcomes[k]

    def node(depth: int, carried: tuple[Fraction, ...]) -> Any:
        if depth > MAX_DEPTH:
            raise tokens.error(f"the tree is deeper than {MAX_DEPTH} moves")
        count[0] += 1
        if count[0] > MAX_NODES:
            raise tokens.error(f"the tree has more than {MAX_NODES} nodes")
        tok = tokens.next("a node (p, c or t)")
        if tok.kind != "word" or tok.text not in ("p", "c", "t"):
            raise tokens.error(f"expected a node type p, c or t, found {tok.text!r}", tok)
        label = tokens.string("the node's name") or None
        if tok.text == "t":
            return Leaf(tuple(a + b for a, b in zip(carried, outcome_values(tok))), label)
        player = tokens.integer("the player number", lo=1) if tok.text == "p" else 0
        if player > n:
            raise tokens.error(f"player {player} does not exist (the game has {n})", tok)
        iset = tokens.integer("the information set number", lo=1)
        set_name = tokens.optional("str")
        acts: list[tuple[str, Fraction | None]] | None = None
        if tokens.optional("{") is not None:
            acts = []
            while tokens.optional("}") is None:
                act = tokens.string("an action name or '}'")
                prob = tokens.number("the probability of a chance action") if player == 0 else None
                acts.append((act, prob))
            if not acts:
                raise tokens.error("a move with no actions", tok)
        key = (player, iset)
        if player and key in known:
            if acts is None:
                acts = [(a, None) for a in known[key][1]]
            elif tuple(a for a, _ in acts) != known[key][1]:
                raise tokens.error(
                    f"information set {iset} of {players[player - 1]} has actions "
                    f"{known[key][1]} elsewhere and {tuple(a for a, _ in acts)} here", tok
                )
        if acts is None:
            raise tokens.error("a move without its list of actions", tok)
        if player and key not in known:
            text_name = set_name.text if set_name is not None and set_name.text else str(iset)
            known[key] = (text_name, tuple(a for a, _ in acts))
        here = tuple(a + b for a, b in zip(carried, outcome_values(tok)))
        names = _labels([a for a, _ in acts], "")
        children = [node(depth + 1, here) for _ in acts]
        if player == 0:
            return Chance({nm: (p, c) for nm, (_, p), c in zip(names, acts, children)}, label)
        return Move(players[player - 1], known[key][0], dict(zip(names, children)), label)

    root = node(0, tuple(Fraction(0) for _ in range(n)))
    extra = tokens.peek()
    if extra is not None:
        raise tokens.error(f"unexpected {extra.text!r} after the last node of the tree", extra)
    try:
        return ExtensiveGame(root, players, title=title or None)
    except AllianceError as err:
        raise ModelFileError(str(err), file=name) from None


def write_efg_infosets(game: Any, path: str | Path | None = None) -> str:
    """Write an :class:`~alliance.games.extensive.ExtensiveGame` as a Gambit ``.efg`` file.

    Each information set gets a number per player (in the order first met) and keeps its
    name; every node lists its actions. :func:`read_efg_infosets` reads the file back, and so
    does Gambit.

    Parameters
    ----------
    game : ExtensiveGame
        A numeric game of imperfect information.
    path : str or Path, optional
        Where to write; the text is returned either way.

    Returns
    -------
    str
        The file's text.

    Examples
    --------
    >>> text = '''EFG 2 R "pennies" { "P1" "P2" }
    ... ""
    ... p "" 1 1 "" { "H" "T" } 0
    ... p "" 2 1 "guess" { "H" "T" } 0
    ... t "" 1 "" { 1, -1 }
    ... t "" 2 "" { -1, 1 }
    ... p "" 2 1 "guess" { "H" "T" } 0
    ... t "" 2
    ... t "" 1
    ... '''
    >>> g = read_efg_infosets(text=text)
    >>> read_efg_infosets(text=write_efg_infosets(g)).information_sets("P2")
    [('guess', ('H', 'T'))]
    """
    from alliance.games.extensive.tree import Move

    numbers: dict[tuple[str, str], int] = {}

    def infoset(nd: Any) -> tuple[int, str]:
        # nodes of one information set share its number (numbered per player, in order)
        key = (nd.player, nd.infoset)
        if key not in numbers:
            numbers[key] = 1 + sum(1 for p, _ in numbers if p == nd.player)
        return numbers[key], nd.infoset

    return _write_efg_text(game, Move, infoset, path)

__all__ += ["read_efg_infosets", "write_efg_infosets"]
