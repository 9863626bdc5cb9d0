r"""Game model files (TOML): players, strategies, parameters and payoffs as text.

A game file is read with :mod:`tomllib`; payoff strings go through the safe parser
:func:`alliance.expr.parse_expression` (arithmetic on declared parameters only, never
``eval``). Decimal numbers in a file are exact decimals: ``0.06`` means :math:`3/50`, so a
game at its defaults has exact rational payoffs and exact equilibria.

Schema (``kind = "normal"``, the default, or ``"evolutionary"`` to study the game under
replicator dynamics)::

    [game]
    title = "Lending game"
    kind = "normal"                       # or "evolutionary", "sequential"
    players = ["Bank", "SME"]
    strategies = [["lend", "refuse"], ["repay", "default"]]

    [parameters.r]
    default = 0.06
    range = [0, 1]
    assumption = "positive"               # real | positive | nonnegative | probability
    meaning = "interest rate"

    [[payoffs]]
    profile = ["lend", "repay"]
    values = ["r*L", "R - (1 + r)*L"]

A sequential game (perfect information, chance moves allowed) lists its nodes by the path of
actions that reaches them::

    [[nodes]]
    at = []                               # the root
    player = "Bank"
    actions = ["lend", "refuse"]
    [[nodes]]
    at = ["refuse"]
    payoffs = [0, 0]
    [[nodes]]
    at = ["lend"]
    outcomes = ["good", "bad"]            # a chance node
    probabilities = ["q", "1 - q"]

Unknown keys are errors that name the nearest known key.

Examples
--------
>>> text = '''
... [game]
... players = ["Row", "Col"]
... strategies = [["C", "D"], ["C", "D"]]
... [parameters]
... T = 5
... [[payoffs]]
... profile = ["C", "C"]
... values = [3, 3]
... [[payoffs]]
... profile = ["C", "D"]
... values = [0, "T"]
... [[payoffs]]
... profile = ["D", "C"]
... values = ["T", 0]
... [[payoffs]]
... profile = ["D", "D"]
... values = [1, 1]
... '''
>>> model = read_game(text=text)
>>> [e.supports for e in model.equilibria()]
[(('D',), ('D',))]
>>> [e.supports for e in model.at(T=2).pure_equilibria()]
[(('C',), ('C',)), (('D',), ('D',))]
"""

from __future__ import annotations

import html
import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path
from typing import Any

import sympy as sp
from sympy.printing.str import StrPrinter

from alliance.errors import AllianceError, ParameterError
from alliance.expr import make_symbol, parse_expression
from alliance.games.normal_form import NormalFormGame
from alliance.io.schema import Source, as_exact, load_toml, plain
from alliance.io.toml_write import dumps
from alliance.numbers import format_number, to_sympy

__all__ = [
    "ParameterSpec",
    "GameModel",
    "read_game",
    "game_from_dict",
    "game_to_dict",
    "write_game",
    "model_from_game",
    "expression_text",
    "KINDS",
]

KINDS = ("normal", "evolutionary", "sequential")
ASSUMPTIONS = ("real", "positive", "nonnegative", "probability")

_TOP_KEYS = ("game", "parameters", "payoffs", "nodes")
_GAME_KEYS = ("title", "kind", "players", "strategies", "description", "references", "variables")
_PARAM_KEYS = ("default", "range", "assumption", "meaning", "unit", "symbol", "source")
_PAYOFF_KEYS = ("profile", "values")
_NODE_KEYS = ("at", "player", "actions", "outcomes", "probabilities", "payoffs", "label")


# ------------------------------------------------------------------ expressions as text
class _Printer(StrPrinter):
    """SymPy's str printer, with the function names the safe parser accepts."""

    def _print_Min(self, expr: sp.Expr) -> str:
        return "min(" + ", ".join(self._print(a) for a in expr.args) + ")"

    def _print_Max(self, expr: sp.Expr) -> str:
        return "max(" + ", ".join(self._print(a) for a in expr.args) + ")"

    def _print_Abs(self, expr: sp.Expr) -> str:
        return "abs(" + self._print(expr.args[0]) + ")"

    def _print_Float(self, expr: sp.Float) -> str:
        return repr(float(expr))


def expression_text(value: Any) -> Any:
    """A payoff as a model file writes it: an int, a float, ``"p/q"`` or expression text.

    Parameters
    ----------
    value : number or sympy.Expr
        The payoff.

    Returns
    -------
    int, float or str
        The value as the file holds it.

    Examples
    --------
    >>> import sympy as sp
    >>> r, L = sp.symbols("r L")
    >>> expression_text(sp.Min(r * L, 3) - sp.Rational(1, 2))
    'min(3, L*r) - 1/2'
    """
    if isinstance(value, Fraction) or (
        isinstance(value, (int, float)) and not isinstance(value, bool)
    ):
        return plain(value)
    if isinstance(value, sp.Basic):
        if value.is_Integer:
            return int(value)
        if value.is_Rational:
            return plain(Fraction(int(value.p), int(value.q)))
        if value.is_Float:
            return float(value)
        bad = [
            f
            for f in value.atoms(sp.Function)
            if type(f).__name__ not in ("Min", "Max", "Abs", "exp", "log")
        ]
        if bad:
            raise ParameterError(
                f"payoff {value} uses {type(bad[0]).__name__}, which a model file cannot express"
            )
        return _Printer().doprint(value)
    raise ParameterError(f"payoff {value!r} of type {type(value).__name__} cannot be written")


def _exact_floats(expr: sp.Expr) -> sp.Expr:
    floats = expr.atoms(sp.Float)
    if not floats:
        return expr
    return expr.xreplace({f: to_sympy(float(f)) for f in floats})


# ------------------------------------------------------------------ model objects
@dataclass(frozen=True)
class ParameterSpec:
    """One parameter of a model file.

    Parameters
    ----------
    name : str
        The identifier used in payoff expressions.
    default : int, Fraction or None
        The default value (exact), or None when the file gives none.
    lo, hi : float
        The admissible range (``-inf``/``inf`` for an open end).
    assumption : str or None
        ``"real"``, ``"positive"``, ``"nonnegative"`` or ``"probability"``.
    meaning, unit, symbol, source : str
        Documentation: what it is, its unit, its LaTeX symbol, where the default comes from.

    Examples
    --------
    >>> spec = ParameterSpec("pi", Fraction(1, 2), 0.0, 1.0, "probability")
    >>> spec.check(0.9), spec.declaration(), spec.to_dict()
    (Fraction(9, 10), (0.0, 1.0), {'default': 0.5, 'range': [0.0, 1.0], 'assumption': 'probability'})
    """

    name: str
    default: int | Fraction | None = None
    lo: float = -math.inf
    hi: float = math.inf
    assumption: str | None = None
    meaning: str = ""
    unit: str = ""
    symbol: str = ""
    source: str = ""

    @property
    def has_range(self) -> bool:
        """Whether the range is bounded on at least one side."""
        return math.isfinite(self.lo) or math.isfinite(self.hi)

    def sympy_symbol(self) -> sp.Symbol:
        """The parameter's SymPy symbol, real, with the sign its assumption (or range) gives.

        Returns
        -------
        sympy.Symbol
            The symbol (see :func:`alliance.expr.make_symbol`).

        Examples
        --------
        >>> ParameterSpec("r", lo=0.0).sympy_symbol().is_nonnegative
        True
        """
        assumption = self.assumption
        if assumption is None:
            if self.lo > 0:
                assumption = "positive"
            elif self.lo >= 0:
                assumption = "nonnegative"
        return make_symbol(self.name, assumption)

    def declaration(self) -> Any:
        """What :class:`NormalFormGame` takes in ``params``: the range or the assumption.

        Returns
        -------
        tuple of float or str or None
            ``(lo, hi)`` when the range is bounded, else the assumption.

        Examples
        --------
        >>> ParameterSpec("r", assumption="positive").declaration()
        'positive'
        """
        if self.has_range:
            return (self.lo, self.hi)
        return self.assumption

    def check(self, value: Any, field: str | None = None) -> int | Fraction:
        """Validate a value (exact result) against the range and the assumption.

        Parameters
        ----------
        value : number
            The value.
        field : str, optional
            The name quoted in the error message (default: ``parameter '<name>'``).

        Returns
        -------
        int or Fraction
            The exact value.

        Raises
        ------
        ParameterError
            Not a finite number, outside the range, or against the assumption.

        Examples
        --------
        >>> ParameterSpec("pi", lo=0.0, hi=1.0).check(1.5)
        Traceback (most recent call last):
        ...
        alliance.errors.ParameterError: parameter 'pi' is 1.5; it must lie in [0, 1]
        """
        label = field or f"parameter '{self.name}'"
        value_text = repr(plain(value) if isinstance(value, Fraction) else value)
        value_text = value_text if len(value_text) <= 30 else format_number(value)
        if isinstance(value, bool) or not isinstance(value, (int, float, Fraction)):
            raise ParameterError(f"{label} is {value_text}; it must be a number")
        if isinstance(value, float) and not math.isfinite(value):
            raise ParameterError(f"{label} is {value_text}; it must be finite")
        v = float(as_exact(value, label))
        if not self.lo <= v <= self.hi:
            raise ParameterError(
                f"{label} is {value_text}; it must lie in [{self.lo:g}, {self.hi:g}]"
            )
        bad = {
            "positive": v <= 0,
            "nonnegative": v < 0,
            "probability": not 0 <= v <= 1,
        }.get(self.assumption or "", False)
        if bad:
            raise ParameterError(
                f"{label} is {value_text}; it contradicts its assumption '{self.assumption}'"
            )
        return as_exact(value)

    def to_dict(self) -> dict[str, Any]:
        """The parameter's table in a model file (``[parameters.<name>]``).

        Returns
        -------
        dict
            ``default``, ``range`` and the documentation fields that are set.

        Examples
        --------
        >>> ParameterSpec("F", 50, 0.0, 200.0, meaning="fine").to_dict()
        {'default': 50, 'range': [0.0, 200.0], 'meaning': 'fine'}
        """
        out: dict[str, Any] = {}
        if self.default is not None:
            out["default"] = plain(self.default)
        if self.has_range:
            out["range"] = [plain(self.lo), plain(self.hi)]
        for k in ("assumption", "meaning", "unit", "symbol", "source"):
            v = getattr(self, k)
            if v:
                out[k] = v
        return out


@dataclass(frozen=True, eq=False)
class GameModel:
    """A game read from (or written to) a model file: the game, its parameters, its kind.

    Parameters
    ----------
    game : NormalFormGame or SequentialGame
        Symbolic in the declared parameters (numeric when there are none).
    parameters : tuple of ParameterSpec
    kind : {"normal", "evolutionary", "sequential"}
    title, description : str
    references : tuple of str
    variables : tuple of str or None
        State-variable names of an evolutionary model.
    source : str or None
        The file it was read from.

    Examples
    --------
    >>> from alliance.io import shipped_model
    >>> model = read_game(shipped_model("lending"))
    >>> model.kind, model.parameter_names[:3], model.at(pi=1).players
    ('normal', ('C', 'F', 'L'), ('Bank', 'SME'))
    """

    game: Any
    parameters: tuple[ParameterSpec, ...] = ()
    kind: str = "normal"
    title: str = ""
    description: str = ""
    references: tuple[str, ...] = ()
    variables: tuple[str, ...] | None = None
    source: str | None = field(default=None, compare=False)

    # ---------------------------------------------------------------- parameters
    @property
    def parameter_names(self) -> tuple[str, ...]:
        """The names of the parameters, in file order."""
        return tuple(p.name for p in self.parameters)

    def parameter(self, name: str) -> ParameterSpec:
        """The specification of one parameter.

        Parameters
        ----------
        name : str
            The parameter's name.

        Returns
        -------
        ParameterSpec
            Its specification.

        Raises
        ------
        ParameterError
            No parameter of that name (the message lists them).

        Examples
        --------
        >>> from alliance.io import shipped_model
        >>> read_game(shipped_model("lending")).parameter("pi").hi
        1.0
        """
        for p in self.parameters:
            if p.name == name:
                return p
        known = ", ".join(self.parameter_names) or "(none)"
        raise ParameterError(f"unknown parameter '{name}'; the model's parameters are {known}")

    def defaults(self) -> dict[str, int | Fraction]:
        """Every parameter's default (parameters without one are left out).

        Returns
        -------
        dict of str to int or Fraction
            Name to exact default.

        Examples
        --------
        >>> from alliance.io import shipped_model
        >>> read_game(shipped_model("lending")).defaults()["r"]
        Fraction(3, 50)
        """
        return {p.name: p.default for p in self.parameters if p.default is not None}

    def values(
        self, overrides: Mapping[str, Any] | None = None, **kwargs: Any
    ) -> dict[str, int | Fraction]:
        """The defaults updated by ``overrides``; every value checked and exact.

        Parameters
        ----------
        overrides : mapping of str to number, optional
            Values by parameter name.
        **kwargs : number
            More values by parameter name (``pi=0.9``), as ``overrides``.

        Returns
        -------
        dict of str to int or Fraction
            Every parameter's exact value.

        Raises
        ------
        ParameterError
            An unknown name, a value outside its range, or a parameter without a value.

        Examples
        --------
        >>> from alliance.io import shipped_model
        >>> read_game(shipped_model("lending")).values(pi=0.9)["pi"]
        Fraction(9, 10)
        """
        given = dict(overrides or {}, **kwargs)
        out: dict[str, int | Fraction] = {}
        for name, value in given.items():
            out[name] = self.parameter(name).check(value)
        for p in self.parameters:
            if p.name not in out:
                if p.default is None:
                    raise ParameterError(
                        f"parameter '{p.name}' has no default; give a value (e.g. --param {p.name}=...)"
                    )
                out[p.name] = p.default
        return out

    def at(self, overrides: Mapping[str, Any] | None = None, **kwargs: Any) -> Any:
        """The numeric game at the defaults updated by ``overrides``.

        Parameters
        ----------
        overrides : mapping of str to number, optional
            Values by parameter name.
        **kwargs : number
            More values by parameter name (``pi=0.9``), as ``overrides``.

        Returns
        -------
        NormalFormGame or SequentialGame
            The game with every parameter replaced by its value.

        Examples
        --------
        >>> from alliance.io import shipped_model
        >>> read_game(shipped_model("lending")).at(pi=1).is_symbolic
        False
        """
        values = self.values(overrides, **kwargs)
        if not values or not getattr(self.game, "is_symbolic", False):
            return self.game
        return self.game.subs(values)

    def evolutionary(
        self, overrides: Mapping[str, Any] | None = None, *, symbolic: bool = False, **kwargs: Any
    ) -> Any:
        """The game under multi-population replicator dynamics (numeric at the values,
        or symbolic with ``symbolic=True``).

        Parameters
        ----------
        overrides : mapping of str to number, optional
            Values by parameter name.
        symbolic : bool, default False
            Keep the parameters symbolic.
        **kwargs : number
            More values by parameter name (``pi=0.9``), as ``overrides``.

        Returns
        -------
        EvolutionaryGame
            The replicator dynamics, with the file's state variables.

        Examples
        --------
        >>> from alliance.io import shipped_model
        >>> read_game(shipped_model("lending")).evolutionary(pi=1)
        EvolutionaryGame(Bank × SME, 2×3, exact; variables x, y1, y2)
        """
        from alliance.games.evolutionary import EvolutionaryGame

        if self.kind == "sequential":
            raise ParameterError(
                "a sequential model has no replicator dynamics; use a normal-form model"
            )
        game = self.game if symbolic else self.at(overrides, **kwargs)
        return EvolutionaryGame(game, variables=self.variables)

    def equilibria(self, overrides: Mapping[str, Any] | None = None, **kwargs: Any) -> list:
        """Equilibria at the values: a list of Equilibrium, or the subgame-perfect equilibrium.

        Parameters
        ----------
        overrides : mapping of str to number, optional
            Values by parameter name.
        **kwargs : number
            More values by parameter name (``pi=0.9``), as ``overrides``.

        Returns
        -------
        list
            Every equilibrium found at the values (each verified), or the subgame-perfect
            equilibrium of a sequential model.

        Examples
        --------
        >>> from alliance.io import shipped_model
        >>> read_game(shipped_model("lending")).equilibria(pi=1, F=60)[-1]
        Equilibrium(Bank: lend; SME: repay | payoffs 6, 24) [vertex, exact]
        """
        game = self.at(overrides, **kwargs)
        if self.kind == "sequential":
            return [game.backward_induction()]
        return game.equilibria()

    # ---------------------------------------------------------------- display
    def __repr__(self) -> str:
        players = " × ".join(self.game.players)
        params = ", ".join(
            f"{p.name}={plain(p.default)}" if p.default is not None else p.name
            for p in self.parameters
        )
        where = f" from {self.source}" if self.source else ""
        return f"GameModel({self.title or 'untitled'!r}, {self.kind}, {players}; {params or 'no parameters'}{where})"

    def to_frame(self):
        """The parameter table.

        Returns
        -------
        pandas.DataFrame
            One row per parameter: default, range, assumption, meaning, unit.

        Examples
        --------
        >>> from alliance.io import shipped_model
        >>> read_game(shipped_model("lending")).to_frame().loc["pi", "range"]
        '[0, 1]'
        """
        import pandas as pd

        rows = [
            {
                "parameter": p.name,
                "default": plain(p.default) if p.default is not None else None,
                "range": f"[{format_number(p.lo)}, {format_number(p.hi)}]" if p.has_range else "",
                "assumption": p.assumption or "",
                "meaning": p.meaning,
                "unit": p.unit,
            }
            for p in self.parameters
        ]
        return pd.DataFrame(
            rows, columns=["parameter", "default", "range", "assumption", "meaning", "unit"]
        ).set_index("parameter")

    def _repr_html_(self) -> str:
        try:
            return f"<p>{html.escape(repr(self))}</p>" + self.to_frame().to_html()
        except Exception:  # a display hook must never raise
            return "<pre>" + html.escape(object.__repr__(self)) + "</pre>"


# ------------------------------------------------------------------ reading
def read_game(path: str | Path | None = None, *, text: str | None = None) -> GameModel:
    """Read a game model file.

    Parameters
    ----------
    path : str or Path
        The file (``text`` given: only a label for messages).
    text : str, optional
        TOML text instead of a file.

    Returns
    -------
    GameModel

    Raises
    ------
    ModelFileError
        Invalid TOML, unknown or missing keys, wrong types, bad expressions, an incomplete
        payoff table; the message names the file, the key and (where found) the line.

    Examples
    --------
    >>> model = read_game(text='''
    ... [game]
    ... players = ["A", "B"]
    ... strategies = [["x", "y"], ["x"]]
    ... [[payoffs]]
    ... profile = ["x", "x"]
    ... values = [1, 1]
    ... [[payoffs]]
    ... profile = ["y", "x"]
    ... values = [0, 2]
    ... ''')
    >>> model.game.players
    ('A', 'B')
    """
    data, src = load_toml(path if path is not None else "<string>", text=text)
    return game_from_dict(data, src)


def game_from_dict(data: Mapping[str, Any], src: Source | None = None) -> GameModel:
    """Build a :class:`GameModel` from parsed TOML (see :func:`read_game`).

    Parameters
    ----------
    data : mapping
        The parsed TOML document.
    src : Source, optional
        The file's text and name, for error messages.

    Returns
    -------
    GameModel
        The model.

    Examples
    --------
    >>> from alliance import NormalFormGame
    >>> g = NormalFormGame.from_matrices([[1, 0], [0, 1]], [[1, 0], [0, 2]])
    >>> game_from_dict(game_to_dict(g)).game == g
    True
    """
    src = src or Source("", "<dict>")
    src.keys(data, _TOP_KEYS, "", required=("game",))
    head = src.table(data["game"], "game")
    src.keys(head, _GAME_KEYS, "game", required=("players",))
    kind = src.string(head.get("kind", "normal"), "game.kind")
    if kind not in KINDS:
        raise src.error(f"game.kind is {kind!r}; it must be one of {', '.join(KINDS)}", "game.kind")
    title = src.string(head.get("title", ""), "game.title", empty=True)
    description = src.string(head.get("description", ""), "game.description", empty=True)
    references = src.strings(
        head.get("references", []), "game.references", nonempty=False, unique=False
    )
    players = src.strings(head["players"], "game.players")
    variables = None
    if "variables" in head:
        if kind != "evolutionary":
            raise src.error('game.variables is only for kind = "evolutionary"', "game.variables")
        variables = src.strings(head["variables"], "game.variables")
    parameters = _read_parameters(data.get("parameters", {}), src)
    symbols = {p.name: p.sympy_symbol() for p in parameters}
    declared = {symbols[p.name]: p.declaration() for p in parameters}
    if kind == "sequential":
        if "payoffs" in data or "strategies" in head:
            key = "payoffs" if "payoffs" in data else "game.strategies"
            raise src.error(
                f"'{key}' is for normal-form games; a sequential game lists [[nodes]]", key
            )
        game = _read_tree(data.get("nodes"), players, symbols, declared, title, src)
    else:
        if "nodes" in data:
            raise src.error(
                "'nodes' is for kind = \"sequential\"; a normal-form game lists [[payoffs]]",
                "nodes",
            )
        game = _read_table(data.get("payoffs"), head, players, symbols, declared, title, src)
    model = GameModel(
        game, parameters, kind, title, description, references, variables, source=src.name
    )
    if kind == "evolutionary":
        try:
            model.evolutionary(symbolic=True)
        except AllianceError as err:
            raise src.wrap(err, "game") from None
    return model


def _read_parameters(raw: Any, src: Source) -> tuple[ParameterSpec, ...]:
    table = src.table(raw, "parameters")
    out = []
    for name, spec in table.items():
        key = f"parameters.{name}"
        try:
            make_symbol(name)
        except ParameterError:
            raise src.error(
                f"parameter name {name!r} is not a plain identifier (or is reserved)", key
            ) from None
        if not isinstance(spec, Mapping):
            spec = {"default": spec}
            shorthand = True
        else:
            shorthand = False
            src.keys(spec, _PARAM_KEYS, key)
        dkey = key if shorthand else f"{key}.default"
        default = None
        if "default" in spec:
            default = as_exact(src.number(spec["default"], dkey))
        lo, hi = -math.inf, math.inf
        if "range" in spec:
            rng = spec["range"]
            if not isinstance(rng, list) or len(rng) != 2:
                raise src.error(f"{key}.range must be a list [lo, hi], not {rng!r}", f"{key}.range")
            lo = float(src.number(rng[0], f"{key}.range", finite=False))
            hi = float(src.number(rng[1], f"{key}.range", finite=False))
            if not lo < hi or (math.isinf(lo) and math.isinf(hi) and lo > 0):
                raise src.error(
                    f"{key}.range is [{lo:g}, {hi:g}]; it needs lo < hi", f"{key}.range"
                )
        assumption = None
        if "assumption" in spec:
            assumption = src.string(spec["assumption"], f"{key}.assumption")
            if assumption not in ASSUMPTIONS:
                raise src.error(
                    f"{key}.assumption is {assumption!r}{_near(assumption, ASSUMPTIONS)}; use one of "
                    + ", ".join(ASSUMPTIONS),
                    f"{key}.assumption",
                )
        docs = {
            k: src.string(spec.get(k, ""), f"{key}.{k}", empty=True)
            for k in ("meaning", "unit", "symbol", "source")
        }
        p = ParameterSpec(name, default, lo, hi, assumption, **docs)
        if default is not None:
            try:
                p.check(default, f"default of parameter '{name}'")
            except ParameterError as err:
                raise src.error(str(err), dkey) from None
        out.append(p)
    return tuple(out)


def _near(word: str, options: Any) -> str:
    from alliance.io.schema import suggest

    return suggest(word, options)


def _value(raw: Any, symbols: Mapping[str, sp.Symbol], key: str, src: Source) -> Any:
    if isinstance(raw, bool):
        raise src.error(f"{key} is a boolean; a payoff must be a number or an expression", key)
    if isinstance(raw, int):
        return raw
    if isinstance(raw, float):
        if not math.isfinite(raw):
            raise src.error(f"{key} is {raw}; payoffs must be finite", key)
        return as_exact(raw)
    if isinstance(raw, str):
        try:
            return _exact_floats(parse_expression(raw, symbols, field=key))
        except AllianceError as err:
            raise src.wrap(err, key) from None
    raise src.error(
        f"{key} must be a number or an expression string, not {type(raw).__name__}", key
    )


def _read_table(
    raw: Any,
    head: Mapping,
    players: tuple[str, ...],
    symbols: Mapping[str, sp.Symbol],
    declared: Mapping,
    title: str,
    src: Source,
) -> NormalFormGame:
    n = len(players)
    if raw is None:
        raise src.error("a normal-form game needs [[payoffs]] entries", "payoffs")
    if not isinstance(raw, list) or not raw:
        raise src.error("payoffs must be a non-empty array of tables [[payoffs]]", "payoffs")
    strategies = None
    if "strategies" in head:
        value = head["strategies"]
        if not isinstance(value, list) or len(value) != n:
            raise src.error(
                f"game.strategies must hold one list of strategy names per player ({n})",
                "game.strategies",
            )
        strategies = tuple(src.strings(v, f"game.strategies[{i}]") for i, v in enumerate(value))
    table: dict[tuple[str, ...], tuple] = {}
    found: list[list[str]] = [[] for _ in range(n)]
    for i, entry in enumerate(raw):
        key = f"payoffs[{i}]"
        entry = src.table(entry, key)
        src.keys(entry, _PAYOFF_KEYS, key, required=_PAYOFF_KEYS)
        profile = src.strings(entry["profile"], f"{key}.profile", unique=False)
        if len(profile) != n:
            raise src.error(
                f"{key}.profile has {len(profile)} strategies; the game has {n} players",
                f"{key}.profile",
            )
        for j, s in enumerate(profile):
            if strategies is not None and s not in strategies[j]:
                raise src.error(
                    f"{key}.profile names strategy {s!r} of {players[j]}{_near(s, strategies[j])}; "
                    f"its strategies are {', '.join(strategies[j])}",
                    f"{key}.profile",
                )
            if s not in found[j]:
                found[j].append(s)
        if profile in table:
            raise src.error(f"profile {list(profile)} is given twice", f"{key}.profile")
        values = entry["values"]
        if not isinstance(values, list) or len(values) != n:
            raise src.error(
                f"{key}.values must be a list of {n} payoffs, one per player", f"{key}.values"
            )
        table[profile] = tuple(
            _value(v, symbols, f"{key}.values[{j}]", src) for j, v in enumerate(values)
        )
    if strategies is None:
        strategies = tuple(tuple(f) for f in found)
    try:
        return NormalFormGame.from_payoffs(
            table,
            players=players,
            strategies=strategies,
            params=dict(declared),
            title=title or None,
        )
    except AllianceError as err:
        raise src.wrap(err, "payoffs") from None


def _read_tree(
    raw: Any,
    players: tuple[str, ...],
    symbols: Mapping[str, sp.Symbol],
    declared: Mapping,
    title: str,
    src: Source,
) -> Any:
    from alliance.games.sequential import Chance, Decision, Leaf, SequentialGame

    if not isinstance(raw, list) or not raw:
        raise src.error("a sequential game needs [[nodes]] entries", "nodes")
    nodes: dict[tuple[str, ...], tuple[int, dict]] = {}
    for i, entry in enumerate(raw):
        key = f"nodes[{i}]"
        entry = src.table(entry, key)
        src.keys(entry, _NODE_KEYS, key, required=("at",))
        at = src.strings(entry["at"], f"{key}.at", unique=False, nonempty=False)
        if at in nodes:
            raise src.error(f"node at {list(at)} is given twice", f"{key}.at")
        kinds = [k for k in ("player", "outcomes", "payoffs") if k in entry]
        if len(kinds) != 1:
            raise src.error(
                f"{key} must have exactly one of 'player' (a decision), 'outcomes' (chance) or "
                f"'payoffs' (a leaf); it has {', '.join(kinds) or 'none'}",
                key,
            )
        nodes[at] = (i, entry)
    used: set[tuple[str, ...]] = set()

    def build(path: tuple[str, ...], depth: int) -> Any:
        if depth > 200:
            raise src.error("the tree is deeper than 200 moves", "nodes")
        if path not in nodes:
            raise src.error(f"no node at {list(path)}: every action needs a node after it", "nodes")
        used.add(path)
        i, entry = nodes[path]
        key = f"nodes[{i}]"
        label = src.string(entry.get("label", ""), f"{key}.label", empty=True) or None
        if "payoffs" in entry:
            values = entry["payoffs"]
            if not isinstance(values, list) or len(values) != len(players):
                raise src.error(f"{key}.payoffs must list {len(players)} payoffs", f"{key}.payoffs")
            return Leaf(
                tuple(_value(v, symbols, f"{key}.payoffs[{j}]", src) for j, v in enumerate(values)),
                label,
            )
        if "player" in entry:
            player = src.string(entry["player"], f"{key}.player")
            if player not in players:
                raise src.error(
                    f"{key}.player is {player!r}{_near(player, players)}; players are {', '.join(players)}",
                    f"{key}.player",
                )
            actions = src.strings(entry.get("actions"), f"{key}.actions")
            return Decision(player, {a: build(path + (a,), depth + 1) for a in actions}, label)
        outcomes = src.strings(entry["outcomes"], f"{key}.outcomes")
        probs = entry.get("probabilities")
        if not isinstance(probs, list) or len(probs) != len(outcomes):
            raise src.error(
                f"{key}.probabilities must give one probability per outcome", f"{key}.probabilities"
            )
        return Chance(
            {
                o: (
                    _value(p, symbols, f"{key}.probabilities[{j}]", src),
                    build(path + (o,), depth + 1),
                )
                for j, (o, p) in enumerate(zip(outcomes, probs))
            },
            label,
        )

    root = build((), 0)
    extra = [p for p in nodes if p not in used]
    if extra:
        i, _ = nodes[extra[0]]
        raise src.error(
            f"node at {list(extra[0])} cannot be reached from the root", f"nodes[{i}].at"
        )
    try:
        return SequentialGame(root, players, params=dict(declared), title=title or None)
    except AllianceError as err:
        raise src.wrap(err, "nodes") from None


# ------------------------------------------------------------------ writing
def model_from_game(game: Any, *, parameters: Any = None, title: str | None = None) -> GameModel:
    """Wrap an engine game (or a factory's game) as a :class:`GameModel` ready to write.

    Parameters
    ----------
    game : NormalFormGame, SequentialGame, EvolutionaryGame or GameModel
        Symbolic games keep their parameters. A game built by a model factory
        (``symbolic=True``) carries ``model_info``; its meanings, ranges and defaults are kept.
    parameters : sequence of ParameterSpec, optional
        Overrides the parameters taken from the game.
    title : str, optional
        The model's title (default: the game's).

    Returns
    -------
    GameModel
        The model (a GameModel is returned as it is).

    Examples
    --------
    >>> from alliance import NormalFormGame
    >>> model_from_game(NormalFormGame.from_matrices([[1, 0], [0, 1]], [[1, 0], [0, 2]]))
    GameModel('untitled', normal, Player 1 × Player 2; no parameters)
    """
    if isinstance(game, GameModel):
        return game
    kind = "normal"
    variables = None
    from alliance.games.sequential import SequentialGame

    if type(game).__name__ == "EvolutionaryGame":
        kind = "evolutionary"
        variables = tuple(getattr(game, "_bases", ())) or None
        info = getattr(game, "model_info", None) or getattr(game.game, "model_info", None)
        game = game.game
    else:
        info = getattr(game, "model_info", None)
        if isinstance(game, SequentialGame):
            kind = "sequential"
    if parameters is None:
        names = sorted(game.symbols) if hasattr(game, "symbols") else []
        specs = []
        for name in names:
            assumption = game.assumptions.get(name)
            lo, hi = -math.inf, math.inf
            if isinstance(assumption, tuple):
                lo, hi = assumption
                assumption = None
            if assumption == "probability":
                lo, hi = 0.0, 1.0
            spec = ParameterSpec(name, None, lo, hi, assumption)
            if info is not None and name in getattr(info, "names", ()):
                p = info[name]
                spec = ParameterSpec(
                    name,
                    as_exact(p.default),
                    float(p.lo),
                    float(p.hi),
                    p.assumption,
                    p.meaning,
                    p.unit,
                    p.symbol,
                    p.source,
                )
            specs.append(spec)
        parameters = tuple(specs)
    refs = tuple(getattr(info, "references", ()) or ())
    return GameModel(
        game,
        tuple(parameters),
        kind,
        title if title is not None else (getattr(game, "title", None) or ""),
        getattr(info, "title", "") if info is not None else "",
        refs,
        variables if kind == "evolutionary" else None,
    )


def game_to_dict(model: Any) -> dict[str, Any]:
    """The TOML structure of a game model (see :func:`write_game`).

    Parameters
    ----------
    model : GameModel or an engine game
        The model.

    Returns
    -------
    dict
        The ``[game]`` table, the parameters and the payoffs, as :func:`write_game` writes them.

    Examples
    --------
    >>> from alliance import NormalFormGame
    >>> data = game_to_dict(NormalFormGame.from_matrices([[1, 0], [0, 1]], [[1, 0], [0, 2]]))
    >>> data["game"]["players"], data["payoffs"][3]
    (['Player 1', 'Player 2'], {'profile': ['s2', 's2'], 'values': [1, 2]})
    """
    model = model_from_game(model)
    game = model.game
    head: dict[str, Any] = {}
    if model.title:
        head["title"] = model.title
    head["kind"] = model.kind
    if model.description:
        head["description"] = model.description
    if model.references:
        head["references"] = list(model.references)
    head["players"] = list(game.players)
    if model.variables and model.kind == "evolutionary":
        head["variables"] = list(model.variables)
    data: dict[str, Any] = {"game": head}
    if model.parameters:
        data["parameters"] = {p.name: p.to_dict() for p in model.parameters}
    if model.kind == "sequential":
        data["nodes"] = _tree_nodes(game)
        return data
    head["strategies"] = [list(s) for s in game.strategies]
    import itertools

    exact = game.exact_payoffs if game.is_exact else None
    table = game.payoffs if exact is None else exact
    rows = []
    for index in itertools.product(*(range(k) for k in game.shape)):
        profile = [game.strategies[i][j] for i, j in enumerate(index)]
        values = [expression_text(table[index + (i,)]) for i in range(game.n_players)]
        rows.append({"profile": profile, "values": values})
    data["payoffs"] = rows
    return data


def _tree_nodes(game: Any) -> list[dict[str, Any]]:
    from alliance.games.sequential import Chance, Decision, Leaf

    out: list[dict[str, Any]] = []

    def walk(node: Any, path: list[str]) -> None:
        entry: dict[str, Any] = {"at": list(path)}
        if isinstance(node, Leaf):
            entry["payoffs"] = [expression_text(_sympy_number(v)) for v in node.payoffs]
        elif isinstance(node, Decision):
            entry["player"] = node.player
            entry["actions"] = list(node.actions)
        elif isinstance(node, Chance):
            entry["outcomes"] = list(node.outcomes)
            entry["probabilities"] = [
                expression_text(_sympy_number(p)) for p, _ in node.outcomes.values()
            ]
        if getattr(node, "label", None):
            entry["label"] = node.label
        out.append(entry)
        if isinstance(node, Decision):
            for a, child in node.actions.items():
                walk(child, path + [a])
        elif isinstance(node, Chance):
            for o, (_, child) in node.outcomes.items():
                walk(child, path + [o])

    walk(game.root, [])
    return out


def _sympy_number(v: Any) -> Any:
    if isinstance(v, sp.Basic) and v.is_Rational:
        return Fraction(int(v.p), int(v.q))
    return v


def write_game(model: Any, path: str | Path | None = None) -> str:
    """Write a game model (or an engine game) as TOML; return the text.

    Parameters
    ----------
    model : GameModel, NormalFormGame, SequentialGame or EvolutionaryGame
    path : str or Path, optional
        Where to write; the text is returned either way.

    Returns
    -------
    str
        The TOML text.

    Examples
    --------
    >>> g = NormalFormGame.from_matrices([[1, 0], [0, 1]], [[1, 0], [0, 2]])
    >>> read_game(text=write_game(g)).game == g
    True
    """
    text = dumps(game_to_dict(model))
    if path is not None:
        Path(path).write_text(text, encoding="utf-8")
    return text
