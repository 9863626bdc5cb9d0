r"""Reading expressions and tables as journals print them.

Stability tables are pasted from PDFs: minus signs are Unicode (``−``, U+2212) or dashes
(``–``, ``—``), products are written ``×``, ``·`` or by juxtaposition (``2pL``, ``αpL``),
parameters carry subscripts (``C₁``, ``C_1``, ``C1``) and Greek letters. This module
rewrites such text into plain arithmetic on the game's own parameter names and hands it
to the safe parser :func:`alliance.expr.parse_expression` (nothing is evaluated here; a
character outside the allow-list is refused with a :class:`~alliance.errors.ParameterError`).

Rules:

* minus signs and dashes become ``-``; ``×``, ``·``, ``⋅``, ``∙``, ``∗`` become ``*``;
  ``÷`` becomes ``/``; ``^`` and superscript digits become powers;
* subscript digits become ``_digit`` (``C₁`` → ``C_1``); a name is matched to a game
  parameter exactly, through ``aliases`` (the paper's name → the game's), or with
  underscores ignored when that match is unique (``C1``, ``C_1`` and ``C₁`` all find a
  parameter named ``C_1`` or ``C1``);
* Greek letters become their names (``α`` → ``alpha``);
* juxtaposition is multiplication where it is unambiguous: a number or a closing
  parenthesis followed by a name, a number or an opening parenthesis, and a run of
  letters that splits into known names in exactly one way (``pL`` → ``p*L``).

Examples
--------
>>> import sympy as sp
>>> p, L, C1 = sp.symbols("p L C_1")
>>> reader = JournalReader({"p": p, "L": L, "C_1": C1})
>>> reader.parse("−(1 − p)·2pL + C₁")
C_1 + L*p*(2*p - 2)
>>> reader.parse("C1 × 3")
3*C_1
>>> JournalReader({"E1": sp.Symbol("E1")}).parse("2E1 + 1e2")
2*E1 + 100.0
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from typing import Any

import sympy as sp

from alliance.errors import ParameterError
from alliance.expr import ALLOWED_FUNCTIONS, parse_expression

__all__ = ["JournalReader", "normalise_text", "GREEK"]

GREEK = {
    "α": "alpha", "β": "beta", "γ": "gamma", "δ": "delta", "ε": "epsilon", "ϵ": "epsilon",
    "ζ": "zeta", "η": "eta", "θ": "theta", "ι": "iota", "κ": "kappa", "λ": "lambda",
    "μ": "mu", "ν": "nu", "ξ": "xi", "π": "pi", "ρ": "rho", "σ": "sigma", "τ": "tau",
    "υ": "upsilon", "φ": "phi", "ϕ": "phi", "χ": "chi", "ψ": "psi", "ω": "omega",
    "Γ": "Gamma", "Δ": "Delta", "Θ": "Theta", "Λ": "Lambda", "Ξ": "Xi", "Π": "Pi",
    "Σ": "Sigma", "Φ": "Phi", "Ψ": "Psi", "Ω": "Omega",
}  # fmt: skip
_MINUS = "\u2212\u2013\u2014\u2010\u2011\u2012\ufe63\uff0d"
_TIMES = "×·⋅∙∗✕"
_SUBSCRIPTS = {chr(0x2080 + d): str(d) for d in range(10)}
_SUPERSCRIPTS = {"⁰": "0", "¹": "1", "²": "2", "³": "3", "⁴": "4", "⁵": "5", "⁶": "6",
                 "⁷": "7", "⁸": "8", "⁹": "9"}  # fmt: skip
_TOKEN = re.compile(
    r"\s*(?:(?P<number>\d+\.?\d*(?:[eE][-+]?\d+)?|\.\d+(?:[eE][-+]?\d+)?)"
    r"|(?P<name>[A-Za-z_][A-Za-z0-9_]*)|(?P<op>\*\*|[-+*/(),]))"
)


def normalise_text(text: str) -> str:
    """Journal typography to plain ASCII arithmetic (no parsing, no name matching).

    Parameters
    ----------
    text : str
        An expression as a journal prints it (Unicode minus signs, ``×``, subscripts,
        superscripts, Greek letters).

    Returns
    -------
    str
        The same expression in ASCII (``-``, ``*``, ``**``, ``c_1``, ``alpha``).

    Examples
    --------
    >>> normalise_text("−c₁ × (1 – α)²")
    '-c_1 * (1 - alpha)**2'
    """
    text = unicodedata.normalize("NFC", text)
    out = []
    previous_subscript = False
    i = 0
    while i < len(text):
        ch = text[i]
        if ch in _MINUS:
            out.append("-")
        elif ch in _TIMES:
            out.append("*")
        elif ch == "÷":
            out.append("/")
        elif ch == "^":
            out.append("**")
        elif ch in _SUBSCRIPTS:
            out.append(_SUBSCRIPTS[ch] if previous_subscript else "_" + _SUBSCRIPTS[ch])
            previous_subscript = True
            i += 1
            continue
        elif ch in _SUPERSCRIPTS:
            digits = ""
            while i < len(text) and text[i] in _SUPERSCRIPTS:
                digits += _SUPERSCRIPTS[text[i]]
                i += 1
            out.append("**" + digits)
            previous_subscript = False
            continue
        elif ch in GREEK:
            # A Greek letter is a name of its own: keep it apart from neighbouring letters.
            before = " " if out and (out[-1][-1:].isalnum() or out[-1][-1:] == "_") else ""
            out.append(before + GREEK[ch] + " ")
        elif ch in "\u00a0\u2009\u202f\u2002\u2003":
            out.append(" ")
        else:
            out.append(ch)
        previous_subscript = False
        i += 1
    plain = re.sub(r"[ \t]+", " ", "".join(out)).strip()
    return re.sub(r"\( ", "(", re.sub(r" (?=\)|\*\*|,)", "", plain))


class JournalReader:
    """Parse journal-typeset expressions into SymPy on a game's parameters.

    Parameters
    ----------
    symbols : dict of str to Symbol
        The game's parameters by name (``game.symbols``).
    aliases : dict of str to str, optional
        The paper's names of parameters mapped to the game's (``{"C_1": "c_b"}``).

    Raises
    ------
    ParameterError
        If an alias maps to a name that is not a parameter of the game.

    Examples
    --------
    >>> import sympy as sp
    >>> names = {n: sp.Symbol(n) for n in ("p", "L", "c_b")}
    >>> reader = JournalReader(names, aliases={"C_1": "c_b"})
    >>> reader.parse("2pL − C₁")
    2*L*p - c_b
    """

    def __init__(self, symbols: Mapping[str, sp.Symbol], aliases: Mapping[str, str] | None = None):
        self.symbols = dict(symbols)
        self.aliases: dict[str, str] = {}
        for paper, own in (aliases or {}).items():
            key = normalise_text(str(paper)).replace(" ", "")
            own_name = own.name if isinstance(own, sp.Symbol) else str(own)
            if own_name not in self.symbols:
                known = ", ".join(sorted(self.symbols)) or "(none)"
                raise ParameterError(
                    f"aliases maps {paper!r} to {own_name!r}, which is not a parameter of the "
                    f"game; parameters: {known}"
                )
            self.aliases[key] = own_name
        loose: dict[str, list[str]] = {}
        for name in self.symbols:
            loose.setdefault(name.replace("_", ""), []).append(name)
        self._loose = {k: v[0] for k, v in loose.items() if len(v) == 1}

    # ---------------------------------------------------------------- names
    def resolve(self, name: str) -> str | None:
        """The game's parameter named ``name`` in the paper, or None.

        Parameters
        ----------
        name : str
            A name as printed (after :func:`normalise_text`).

        Returns
        -------
        str or None
            The game's parameter: by alias, by name, or by name without underscores.

        Examples
        --------
        >>> import sympy as sp
        >>> names = {n: sp.Symbol(n) for n in ("p", "L", "c_b")}
        >>> reader = JournalReader(names, aliases={"C_1": "c_b"})
        >>> reader.resolve("C_1"), reader.resolve("cb"), reader.resolve("q")
        ('c_b', 'c_b', None)
        """
        if name in self.aliases:
            return self.aliases[name]
        if name in self.symbols:
            return name
        return self._loose.get(name.replace("_", ""))

    def _split(self, name: str) -> list[str] | None:
        """The unique split of a run of letters into known names, or None."""
        n = len(name)
        ways: list[list[list[str]]] = [[] for _ in range(n + 1)]
        ways[0] = [[]]
        for end in range(1, n + 1):
            for start in range(end):
                if not ways[start]:
                    continue
                part = self.resolve(name[start:end])
                if part is None:
                    continue
                for w in ways[start]:
                    ways[end].append(w + [part])
                if len(ways[end]) > 2:
                    ways[end] = ways[end][:2]
        return ways[n][0] if len(ways[n]) == 1 else None

    # ---------------------------------------------------------------- text
    def rewrite(self, text: str, field: str = "expression") -> str:
        """Plain arithmetic on the game's names (the input of the safe parser).

        Parameters
        ----------
        text : str
            An expression as printed.
        field : str, default "expression"
            What the text is (a table cell), for error messages.

        Returns
        -------
        str
            ASCII arithmetic with explicit products and the game's parameter names.

        Raises
        ------
        ParameterError
            A name that matches no parameter, or matches several ways.

        Examples
        --------
        >>> import sympy as sp
        >>> names = {n: sp.Symbol(n) for n in ("p", "L", "c_b")}
        >>> reader = JournalReader(names, aliases={"C_1": "c_b"})
        >>> reader.rewrite("2pL − C₁")
        '2 * p * L - c_b'
        """
        plain = normalise_text(text)
        # "λ1 = ..." or "det J = ...": the printed label is not part of the value.
        plain = re.sub(r"^\s*(?:lambda\s*_?\d*|det\s*\(?J?\)?|tr\s*\(?J?\)?)\s*=", "", plain)
        # "2E1" is 2 times the parameter E1 when E1 is a parameter, not 2·10^1.
        plain = re.sub(
            r"(?<![A-Za-z_\d.])(\d+(?:\.\d+)?)([eE]\d+)(?![A-Za-z_\d])",
            lambda m: m.group(1) + " " + m.group(2) if self.resolve(m.group(2)) else m.group(0),
            plain,
        )
        tokens: list[tuple[str, str]] = []
        pos = 0
        while pos < len(plain):
            if plain[pos:].strip() == "":
                break
            match = _TOKEN.match(plain, pos)
            if not match:
                bad = plain[pos:].strip()[:1]
                raise ParameterError(
                    f"{field} {text!r}: character {bad!r} is not arithmetic "
                    "(numbers, parameter names, + - * / ^ and parentheses)"
                )
            kind = match.lastgroup
            tokens.append((kind, match.group(kind)))
            pos = match.end()
        out: list[tuple[str, str]] = []
        for kind, value in tokens:
            if kind == "name" and value not in ALLOWED_FUNCTIONS:
                own = self.resolve(value)
                if own is not None:
                    value = own
                else:
                    parts = self._split(value)
                    if parts is not None:
                        expanded = [("name", parts[0])]
                        for part in parts[1:]:
                            expanded += [("op", "*"), ("name", part)]
                        for item in expanded:
                            self._append(out, *item)
                        continue
            self._append(out, kind, value)
        return " ".join(v for _, v in out)

    @staticmethod
    def _append(out: list[tuple[str, str]], kind: str, value: str) -> None:
        if out:
            last_kind, last = out[-1]
            operand_end = last_kind in ("number", "name") or last == ")"
            is_function = last_kind == "name" and last in ALLOWED_FUNCTIONS
            starts_operand = kind in ("number", "name") or value == "("
            if operand_end and starts_operand and not (is_function and value == "("):
                if last_kind == "number" and kind == "number":
                    pass  # "2 3" stays an error of the parser, not a product
                else:
                    out.append(("op", "*"))
        out.append((kind, value))

    def parse(self, text: Any, field: str = "expression") -> sp.Expr:
        """A journal expression (text, number or SymPy expression) on the game's symbols.

        A SymPy expression built with the user's own symbols is matched to the game's
        parameters by name, whatever assumptions either carries.

        Parameters
        ----------
        text : str, number or sympy.Expr
            The expression.
        field : str, default "expression"
            What the text is (a table cell), for error messages.

        Returns
        -------
        sympy.Expr
            The expression on the game's symbols, read by the safe parser
            (:func:`alliance.expr.parse_expression`).

        Raises
        ------
        ParameterError
            An unknown name or text that is not arithmetic.

        Examples
        --------
        >>> import sympy as sp
        >>> names = {n: sp.Symbol(n) for n in ("p", "L", "c_b")}
        >>> reader = JournalReader(names, aliases={"C_1": "c_b"})
        >>> reader.parse("2pL − C₁")
        2*L*p - c_b
        """
        if isinstance(text, sp.Basic):
            mapping = {}
            for s in text.free_symbols:
                own = self.resolve(normalise_text(s.name).replace(" ", ""))
                if own is None:
                    known = ", ".join(sorted(self.symbols)) or "(none)"
                    raise ParameterError(
                        f"{field} {text}: unknown name {s.name!r}; parameters: {known}"
                    )
                mapping[s] = self.symbols[own]
            return text.xreplace(mapping)
        if isinstance(text, str):
            return parse_expression(self.rewrite(text, field), self.symbols, field=field)
        return parse_expression(text, self.symbols, field=field)
