"""Normal-form games: the facade that carries a payoff table and delegates to solvers.

A :class:`NormalFormGame` holds one payoff for every player at every pure profile. Payoffs
are numbers (exact rationals when every entry is an integer or a fraction, floats otherwise)
or SymPy expressions in named parameters. Solvers live in :mod:`alliance.games.solvers`; this
class only validates, stores and dispatches.

Examples
--------
>>> import alliance as al
>>> g = al.NormalFormGame.from_matrices(
...     [[3, 0], [5, 1]], [[3, 5], [0, 1]],
...     players=("Row", "Col"), strategies=(("cooperate", "defect"), ("cooperate", "defect")))
>>> g
NormalFormGame(Row × Col, 2×2, exact)
          cooperate  defect
cooperate    (3, 3)  (0, 5)
defect       (5, 0)  (1, 1)
>>> g.pure_equilibria()
[Equilibrium(Row: defect; Col: defect | payoffs 1, 1) [pure, exact]]
>>> g.regret(((1, 0), (1, 0)))
array([2., 2.])
"""

from __future__ import annotations

import functools
import html
import itertools
import math
from collections.abc import Iterable, Mapping, Sequence
from fractions import Fraction
from numbers import Rational
from typing import Any

import numpy as np
import pandas as pd
import sympy as sp

from alliance.errors import InvalidGameError, ParameterError
from alliance.expr import make_symbol, parse_expression
from alliance.games.results import (
    Equilibrium,
    EquilibriumComponent,
    EquilibriumSet,
    format_number,
)
from alliance.numbers import (
    check_expression,
    check_finite,
    check_work,
    estimate_vertex_enumeration,
    to_sympy,
)

__all__ = ["NormalFormGame"]

#: Assumption labels a parameter may carry.
ASSUMPTIONS = ("real", "positive", "nonnegative", "probability")


def _as_set(method):
    """Return a solver's list as an :class:`EquilibriumSet` (a list that shows as a table)."""

    @functools.wraps(method)
    def wrapper(*args: Any, **kwargs: Any) -> EquilibriumSet:
        return EquilibriumSet(method(*args, **kwargs))

    return wrapper


def _default_players(n: int) -> tuple[str, ...]:
    return tuple(f"Player {i + 1}" for i in range(n))


def _default_strategies(shape: Sequence[int]) -> tuple[tuple[str, ...], ...]:
    return tuple(tuple(f"s{j + 1}" for j in range(k)) for k in shape)


class NormalFormGame:
    """A finite game in normal (strategic) form, numeric or symbolic.

    Use the constructors :meth:`from_matrices` (two players), :meth:`from_payoffs` (a dict
    of profiles, payoffs as numbers, SymPy expressions or strings parsed safely) and
    :meth:`from_array` (``P[i0, ..., i_{n-1}, player]``).

    Parameters
    ----------
    payoffs : array_like
        Array of shape ``(k_0, ..., k_{n-1}, n)``.
    players : sequence of str, optional
        Player names (default ``"Player 1"``, ...).
    strategies : sequence of sequence of str, optional
        Strategy names of each player (default ``"s1"``, ...).
    params : mapping or iterable, optional
        Declared parameters of a symbolic game: names, or a mapping name → assumption
        (``"real"``, ``"positive"``, ``"nonnegative"``, ``"probability"`` or an interval
        ``(lo, hi)``). When payoffs are strings, only declared names are accepted.
    title : str, optional
        A name for the game, shown in its repr.

    Attributes
    ----------
    players, strategies, shape, n_players, params, assumptions, payoffs
        The names, the number of strategies of each player, the declared parameters with
        their assumptions, and the payoff array (floats, or SymPy expressions).

    Raises
    ------
    InvalidGameError
        A malformed payoff array, names that do not match it, or a peer's game object
        (the message names the right constructor).
    ParameterError
        An undeclared name in a payoff string, or a parameter declared twice.

    Examples
    --------
    The prisoner's dilemma:

    >>> g = NormalFormGame.from_matrices([[3, 0], [5, 1]], [[3, 5], [0, 1]],
    ...                                  players=("Row", "Col"),
    ...                                  strategies=(("C", "D"), ("C", "D")))
    >>> g
    NormalFormGame(Row × Col, 2×2, exact)
            C       D
    C  (3, 3)  (0, 5)
    D  (5, 0)  (1, 1)
    """

    # ---------------------------------------------------------------- construction
    def __init__(
        self,
        payoffs: Any,
        players: Sequence[str] | None = None,
        strategies: Sequence[Sequence[str]] | None = None,
        *,
        params: Mapping[str, Any] | Iterable[str] | None = None,
        title: str | None = None,
    ) -> None:
        from alliance.interop import foreign_constructor

        if (right := foreign_constructor(payoffs)) is not None:
            raise InvalidGameError(
                f"payoffs is a {type(payoffs).__module__}.{type(payoffs).__name__}; "
                f"build the game with {right}(...)"
            )
        self.title = title
        self._symbols, self.assumptions = declare_parameters(params)
        strict = params is not None
        # Numeric arrays take a vectorised path: big n-player games must not be converted
        # entry by entry in Python.
        numeric = (
            payoffs
            if isinstance(payoffs, np.ndarray) and payoffs.dtype.kind in "iuf"
            else None
        )
        table = numeric if numeric is not None else _as_object_array(payoffs, "payoffs")
        if table.ndim < 2:
            raise InvalidGameError(
                f"payoffs must have shape (k_1, ..., k_n, n) with n >= 1 players; got shape {table.shape}"
            )
        shape = table.shape[:-1]
        n = table.shape[-1]
        if n != len(shape):
            raise InvalidGameError(
                f"payoffs has shape {table.shape}: the last axis must hold one payoff per player "
                f"({len(shape)} players), not {n}"
            )
        if any(k == 0 for k in shape):
            raise InvalidGameError(f"payoffs has shape {table.shape}: every player needs a strategy")
        self.players = check_players(players, n)
        self.strategies = _check_strategies(strategies, shape, self.players)
        self.shape = tuple(int(k) for k in shape)
        self.n_players = n
        self._int: np.ndarray | None = None
        self._exact_store: np.ndarray | None = None
        if numeric is not None:
            self._set_numeric_array(numeric)
        else:
            self._set_table(table, strict)

    def _set_numeric_array(self, arr: np.ndarray) -> None:
        if arr.dtype.kind == "f":
            bad = ~np.isfinite(arr)
            if bad.any():
                index = tuple(int(i) for i in np.argwhere(bad)[0])
                raise InvalidGameError(
                    f"{self._field(index)} is {arr[index]}; payoffs must be finite"
                )
            integral = bool(np.all(arr == np.round(arr)) and np.all(np.abs(arr) < 2**53))
        else:
            integral = True
        self._expr = None
        self._params = ()
        self._float = arr.astype(float)
        self.kind = "exact" if integral else "float"
        if integral:
            self._int = arr.astype(np.int64)

    def _set_table(self, table: np.ndarray, strict: bool) -> None:
        # Convert every entry, then decide the game's kind: symbolic if any entry has a free
        # parameter, exact if every number is rational, float otherwise.
        converted = np.empty(table.shape, dtype=object)
        symbolic = False
        exact = True
        for index in itertools.product(*(range(k) for k in table.shape)):
            value = self._convert(table[index], index, strict)
            check_expression(value, self._field(index)) if isinstance(value, sp.Basic) else check_finite(value, self._field(index))
            converted[index] = value
            if isinstance(value, sp.Basic):
                symbolic = True
            elif not isinstance(value, Fraction):
                exact = False
        if symbolic:
            self.kind = "symbolic"
            self._expr = np.vectorize(_to_sympy, otypes=[object])(converted)
            used = set()
            for e in self._expr.flat:
                used |= e.free_symbols
            self._params = tuple(sorted(used, key=lambda s: s.name))
            self._float = None
        else:
            self.kind = "exact" if exact else "float"
            self._expr = None
            self._params = ()
            self._float = np.array([float(v) for v in converted.flat], dtype=float).reshape(
                converted.shape
            )
            if exact:
                self._exact_store = converted
                lcm = math.lcm(*(v.denominator for v in converted.flat))
                scaled = [v.numerator * (lcm // v.denominator) for v in converted.flat]
                if max(abs(v) for v in scaled) < 2**62:
                    self._int = np.array(scaled, dtype=np.int64).reshape(converted.shape)

    @property
    def _exact(self) -> np.ndarray | None:
        # Fractions are built only when an exact solver asks for them.
        if self.kind != "exact":
            return None
        if self._exact_store is None:
            flat = [Fraction(int(v)) for v in self._int.flat]
            self._exact_store = np.array(flat, dtype=object).reshape(self._int.shape)
        return self._exact_store

    def _comparable(self) -> np.ndarray:
        """Payoffs for exact comparisons: scaled integers for rational games, else floats."""
        if self._int is not None:
            return self._int
        return self._exact if self.kind == "exact" else self._float

    def _convert(self, value: Any, index: tuple, strict: bool) -> Any:
        field = self._field(index)
        if isinstance(value, str):
            # Without declared parameters (trusted code), any plain name becomes a parameter.
            value = parse_expression(value, self._symbols if strict else None, field=field)
        if isinstance(value, sp.Basic):
            if not isinstance(value, sp.Expr):
                raise InvalidGameError(f"{field} is {value!r}; it must be a number or an expression")
            unknown = [s for s in value.free_symbols if s.name not in self._symbols]
            if strict and unknown:
                raise InvalidGameError(
                    f"{field} uses undeclared parameter(s) {', '.join(sorted(s.name for s in unknown))}"
                )
            for s in unknown:
                self._symbols[s.name] = s
            # Re-bind same-named symbols to the declared ones (assumptions are declared once).
            value = value.xreplace(
                {s: self._symbols[s.name] for s in value.free_symbols if s.name in self._symbols}
            )
            return _number_or_expr(value)
        if isinstance(value, (bool, np.bool_)):
            raise InvalidGameError(f"{field} is a boolean ({value!r}); payoffs must be numbers")
        if isinstance(value, (int, np.integer)):
            return Fraction(int(value))
        if isinstance(value, Rational):
            return Fraction(value.numerator, value.denominator)
        if isinstance(value, (float, np.floating)):
            v = float(value)
            if not math.isfinite(v):
                raise InvalidGameError(f"{field} is {v}; payoffs must be finite")
            return Fraction(int(v)) if v.is_integer() and abs(v) < 2**53 else v
        raise InvalidGameError(
            f"{field} has type {type(value).__name__}; payoffs must be numbers, SymPy "
            "expressions or expression strings"
        )

    def _field(self, index: tuple) -> str:
        *profile, player = index
        try:
            labels = ", ".join(self.strategies[i][j] for i, j in enumerate(profile))
            return f"payoff of {self.players[player]} at ({labels})"
        except (AttributeError, IndexError):
            return f"payoff at index {tuple(index)}"

    @classmethod
    def from_array(
        cls,
        payoffs: Any,
        players: Sequence[str] | None = None,
        strategies: Sequence[Sequence[str]] | None = None,
        **kwargs: Any,
    ) -> NormalFormGame:
        """Build an n-player game from ``P[i0, ..., i_{n-1}, player]``.

        Parameters
        ----------
        payoffs : array_like, shape (k_0, ..., k_{n-1}, n)
            Numbers, SymPy expressions, or strings parsed by the safe parser.
        players : sequence of str, optional
            Player names (default ``"Player 1"``, ...).
        strategies : sequence of sequence of str, optional
            Strategy names of each player (default ``"s1"``, ...).
        **kwargs
            ``params`` and ``title``, as in :class:`NormalFormGame`.

        Returns
        -------
        NormalFormGame
            The game.

        Examples
        --------
        >>> import numpy as np
        >>> P = np.zeros((2, 2, 2, 3)); P[1, 1, 1] = 1
        >>> NormalFormGame.from_array(P).shape
        (2, 2, 2)
        """
        return cls(payoffs, players, strategies, **kwargs)

    # -- peers (optional packages; see alliance.interop) -------------------------------------
    @classmethod
    def from_nashpy(cls, game: Any, **kwargs: Any) -> NormalFormGame:
        """Build a game from a ``nashpy.Game`` (``players=``/``strategies=`` name it).

        Parameters
        ----------
        game : nashpy.Game
            The peer's game.
        **kwargs
            ``players`` and ``strategies`` (nashpy games carry no names).

        Returns
        -------
        NormalFormGame
            See :func:`alliance.interop.game_from_nashpy`.

        Examples
        --------
        >>> import nashpy
        >>> NormalFormGame.from_nashpy(nashpy.Game([[1, 0], [0, 1]])).shape
        (2, 2)
        """
        from alliance.interop import game_from_nashpy

        return game_from_nashpy(game, **kwargs)

    def to_nashpy(self) -> Any:
        """This two-player numeric game as a ``nashpy.Game``.

        Returns
        -------
        nashpy.Game
            See :func:`alliance.interop.game_to_nashpy`.

        Examples
        --------
        >>> g = NormalFormGame.from_matrices([[3, 0], [5, 1]], [[3, 5], [0, 1]],
        ...                                  players=("Row", "Col"),
        ...                                  strategies=(("C", "D"), ("C", "D")))
        >>> g.to_nashpy().payoff_matrices[1].tolist()
        [[3, 5], [0, 1]]
        """
        from alliance.interop import game_to_nashpy

        return game_to_nashpy(self)

    @classmethod
    def from_pygambit(cls, game: Any) -> NormalFormGame:
        """Build a game from a pygambit game (labels become names, rationals stay exact).

        Parameters
        ----------
        game : pygambit.Game
            The peer's game.

        Returns
        -------
        NormalFormGame
            See :func:`alliance.interop.game_from_pygambit`.

        Examples
        --------
        >>> g = NormalFormGame.from_matrices([[3, 0], [5, 1]], [[3, 5], [0, 1]],
        ...                                  players=("Row", "Col"),
        ...                                  strategies=(("C", "D"), ("C", "D")))
        >>> NormalFormGame.from_pygambit(g.to_pygambit()) == g
        True
        """
        from alliance.interop import game_from_pygambit

        return game_from_pygambit(game)

    def to_pygambit(self) -> Any:
        """This numeric game as a pygambit strategic-form game with its labels.

        Returns
        -------
        pygambit.Game
            See :func:`alliance.interop.game_to_pygambit`.

        Examples
        --------
        >>> g = NormalFormGame.from_matrices([[3, 0], [5, 1]], [[3, 5], [0, 1]],
        ...                                  players=("Row", "Col"),
        ...                                  strategies=(("C", "D"), ("C", "D")))
        >>> list(g.to_pygambit().players)
        ['Row', 'Col']
        """
        from alliance.interop import game_to_pygambit

        return game_to_pygambit(self)

    @classmethod
    def from_quantecon(cls, game: Any, **kwargs: Any) -> NormalFormGame:
        """Build a game from a ``quantecon.game_theory.NormalFormGame``.

        Parameters
        ----------
        game : quantecon.game_theory.NormalFormGame
            The peer's game.
        **kwargs
            ``players`` and ``strategies`` (QuantEcon games carry no names).

        Returns
        -------
        NormalFormGame
            See :func:`alliance.interop.game_from_quantecon`.

        Examples
        --------
        >>> g = NormalFormGame.from_matrices([[3, 0], [5, 1]], [[3, 5], [0, 1]],
        ...                                  players=("Row", "Col"),
        ...                                  strategies=(("C", "D"), ("C", "D")))
        >>> NormalFormGame.from_quantecon(g.to_quantecon()).payoffs[1, 1].tolist()
        [1.0, 1.0]
        """
        from alliance.interop import game_from_quantecon

        return game_from_quantecon(game, **kwargs)

    def to_quantecon(self) -> Any:
        """This numeric game as a ``quantecon.game_theory.NormalFormGame``.

        Returns
        -------
        quantecon.game_theory.NormalFormGame
            See :func:`alliance.interop.game_to_quantecon`.

        Examples
        --------
        >>> g = NormalFormGame.from_matrices([[3, 0], [5, 1]], [[3, 5], [0, 1]],
        ...                                  players=("Row", "Col"),
        ...                                  strategies=(("C", "D"), ("C", "D")))
        >>> g.to_quantecon().nums_actions
        (2, 2)
        """
        from alliance.interop import game_to_quantecon

        return game_to_quantecon(self)

    @classmethod
    def from_matrices(
        cls,
        A: Any,
        B: Any | None = None,
        *,
        players: Sequence[str] | None = None,
        strategies: Sequence[Sequence[str]] | None = None,
        **kwargs: Any,
    ) -> NormalFormGame:
        """Build a two-player game from the row player's matrix ``A`` and the column player's ``B``.

        ``B`` defaults to ``-A`` (a zero-sum game).

        Parameters
        ----------
        A : array_like, shape (m, n)
            Row player's payoffs (numbers, SymPy expressions or strings).
        B : array_like, shape (m, n), optional
            Column player's payoffs.
        players : sequence of str, optional
            Player names (default ``"Player 1"``, ...).
        strategies : sequence of sequence of str, optional
            Strategy names of each player (default ``"s1"``, ...).
        **kwargs
            ``params`` and ``title``, as in :class:`NormalFormGame`.

        Returns
        -------
        NormalFormGame
            A two-player game.

        Raises
        ------
        InvalidGameError
            ``A`` not a non-empty matrix, or ``B`` of another shape.

        Examples
        --------
        >>> g = NormalFormGame.from_matrices([[1, -1], [-1, 1]])
        >>> g.equilibria()
        [Equilibrium(Player 1: (s1 1/2, s2 1/2); Player 2: (s1 1/2, s2 1/2) | payoffs 0, 0) [vertex, exact]]
        """
        a = _as_object_array(A, "A")
        if B is None:
            b = np.vectorize(lambda v: -v if not isinstance(v, str) else f"-({v})", otypes=[object])(a)
        else:
            b = _as_object_array(B, "B")
        if a.ndim != 2 or 0 in a.shape:
            raise InvalidGameError(f"A must be a non-empty matrix; got shape {a.shape}")
        if b.shape != a.shape:
            raise InvalidGameError(f"B has shape {b.shape}; it must match A's shape {a.shape}")
        return cls(np.stack([a, b], axis=-1), players, strategies, **kwargs)

    @classmethod
    def from_payoffs(
        cls,
        payoffs: Mapping[tuple, Sequence[Any]],
        *,
        players: Sequence[str] | None = None,
        strategies: Sequence[Sequence[str]] | None = None,
        **kwargs: Any,
    ) -> NormalFormGame:
        """Build a game from a dict ``{(s_1, ..., s_n): (u_1, ..., u_n)}``.

        Payoffs may be numbers, SymPy expressions, or strings parsed by the safe parser
        :func:`alliance.expr.parse_expression`. Strategy names are taken in order of first
        appearance unless ``strategies`` is given. Every profile must be present.

        Parameters
        ----------
        payoffs : dict
            ``{(s_1, ..., s_n): (u_1, ..., u_n)}`` for every pure profile.
        players : sequence of str, optional
            Player names (default ``"Player 1"``, ...).
        strategies : sequence of sequence of str, optional
            Strategy names of each player (default ``"s1"``, ...).
        **kwargs
            ``params`` and ``title``, as in :class:`NormalFormGame`.

        Returns
        -------
        NormalFormGame
            The game.

        Raises
        ------
        InvalidGameError
            A missing profile, an unknown strategy, or a profile with the wrong number of
            payoffs.

        Examples
        --------
        >>> g = NormalFormGame.from_payoffs(
        ...     {("lend", "repay"): ("r*L", "R - (1 + r)*L"), ("lend", "default"): ("-L", "R"),
        ...      ("refuse", "repay"): (0, 0), ("refuse", "default"): (0, 0)},
        ...     players=("Bank", "SME"), params=["r", "L", "R"])
        >>> g.params
        (L, R, r)
        >>> from fractions import Fraction
        >>> g.subs(r=Fraction(1, 10), L=100, R=150).pure_equilibria()
        [Equilibrium(Bank: refuse; SME: default | payoffs 0, 0) [pure, exact]]
        """
        if not isinstance(payoffs, Mapping) or not payoffs:
            raise InvalidGameError("payoffs must be a non-empty dict {profile: payoffs}")
        profiles = list(payoffs)
        lengths = {len(p) if isinstance(p, tuple) else -1 for p in profiles}
        if len(lengths) != 1 or -1 in lengths:
            raise InvalidGameError(
                "every key of payoffs must be a tuple of strategy names of the same length; got "
                + ", ".join(repr(p) for p in profiles[:4])
            )
        n = lengths.pop()
        if strategies is None:
            found: list[list[str]] = [[] for _ in range(n)]
            for p in profiles:
                for i, s in enumerate(p):
                    if s not in found[i]:
                        found[i].append(s)
            strategies = [tuple(f) for f in found]
        strategies = _check_strategies(strategies, None, check_players(players, n))
        index = [{s: j for j, s in enumerate(ss)} for ss in strategies]
        shape = tuple(len(ss) for ss in strategies)
        table = np.empty(shape + (n,), dtype=object)
        filled = np.zeros(shape, dtype=bool)
        for p, values in payoffs.items():
            try:
                position = tuple(index[i][s] for i, s in enumerate(p))
            except KeyError:
                raise InvalidGameError(
                    f"profile {p!r} uses a strategy not among {strategies}"
                ) from None
            if isinstance(values, (str, bytes)) or not isinstance(values, Sequence) or len(values) != n:
                raise InvalidGameError(
                    f"payoffs at profile {p!r} must be a sequence of {n} values, one per player; got {values!r}"
                )
            for player, v in enumerate(values):
                table[position + (player,)] = v
            filled[position] = True
        if not filled.all():
            missing = tuple(strategies[i][j] for i, j in enumerate(np.argwhere(~filled)[0]))
            raise InvalidGameError(f"payoffs has no entry for profile {missing!r}")
        return cls(table, players, strategies, **kwargs)

    # ---------------------------------------------------------------- properties
    @property
    def is_symbolic(self) -> bool:
        """True when some payoff depends on a free parameter."""
        return self.kind == "symbolic"

    @property
    def is_exact(self) -> bool:
        """True when every payoff is an integer or a fraction."""
        return self.kind == "exact"

    @property
    def params(self) -> tuple[sp.Symbol, ...]:
        """The free parameters (SymPy symbols, sorted by name); ``()`` for a numeric game."""
        return self._params

    @property
    def symbols(self) -> dict[str, sp.Symbol]:
        """Every declared or used parameter, by name."""
        return dict(self._symbols)

    @property
    def payoffs(self) -> np.ndarray:
        """The payoff array ``P[i0, ..., i_{n-1}, player]``: floats, or SymPy expressions."""
        if self.is_symbolic:
            return self._expr.copy()
        return self._float.copy()

    @property
    def exact_payoffs(self) -> np.ndarray | None:
        """The payoffs as :class:`fractions.Fraction` (object array) when the game is exact."""
        return None if self._exact is None else self._exact.copy()

    def payoff_matrices(self) -> tuple[np.ndarray, np.ndarray]:
        """``(A, B)`` of a two-player game (floats, or SymPy expressions).

        Returns
        -------
        tuple of ndarray
            The row and the column player's payoff matrices.

        Examples
        --------
        >>> g = NormalFormGame.from_matrices([[3, 0], [5, 1]], [[3, 5], [0, 1]],
        ...                                  players=("Row", "Col"),
        ...                                  strategies=(("C", "D"), ("C", "D")))
        >>> A, B = g.payoff_matrices()
        >>> A.tolist(), B.tolist()
        ([[3.0, 0.0], [5.0, 1.0]], [[3.0, 5.0], [0.0, 1.0]])
        """
        self._require_players(2, "payoff_matrices")
        table = self.payoffs
        return table[..., 0], table[..., 1]

    def _require_players(self, n: int, what: str) -> None:
        if self.n_players != n:
            raise InvalidGameError(f"{what} needs a {n}-player game; this one has {self.n_players}")

    def _require_numeric(self, what: str) -> None:
        if self.is_symbolic:
            names = ", ".join(p.name for p in self.params)
            raise ParameterError(
                f"{what} needs numbers; the game has free parameters {names}: call "
                f".subs({', '.join(f'{p.name}=...' for p in self.params)}) first"
            )

    # ---------------------------------------------------------------- parameters
    def subs(self, values: Mapping[str, Any] | None = None, **kwargs: Any) -> NormalFormGame:
        """Substitute values for parameters; with every parameter given, the game is numeric.

        Values that are ints or fractions keep the game exact. Unknown names, non-finite
        values and values outside a declared assumption raise :class:`ParameterError`.

        Parameters
        ----------
        values : Mapping, optional
            Parameter name -> number or expression.
        **kwargs
            The same, as keywords.

        Returns
        -------
        NormalFormGame
            The game with the values substituted.

        Raises
        ------
        ParameterError
            An unknown name, a non-finite value, or a value outside a declared range.

        Examples
        --------
        >>> g = NormalFormGame.from_payoffs({("a",): ("x + 1",), ("b",): ("2*x",)},
        ...                                 params={"x": "positive"})
        >>> g.subs(x=3).payoffs.ravel()
        array([4., 6.])
        >>> g.subs(x=-1)
        Traceback (most recent call last):
        ...
        alliance.errors.ParameterError: parameter 'x' = -1 contradicts its assumption 'positive'
        """
        values = dict(values or {}, **kwargs)
        mapping = {}
        for name, value in values.items():
            if name not in self._symbols:
                known = ", ".join(sorted(self._symbols)) or "(none)"
                raise ParameterError(f"unknown parameter '{name}'; the game's parameters are {known}")
            mapping[self._symbols[name]] = _parameter_value(name, value, self.assumptions.get(name))
        if not self.is_symbolic:
            return self
        table = np.empty(self._expr.shape, dtype=object)
        for index, e in np.ndenumerate(self._expr):
            v = e.xreplace(mapping)
            table[index] = _sympy_to_python(v) if v.is_number else v
        table = _check_finite_table(table, self)
        if not any(isinstance(v, sp.Basic) for v in table.flat):
            return NormalFormGame(table, self.players, self.strategies, title=self.title)
        remaining = {
            symbol: self.assumptions.get(name)
            for name, symbol in self._symbols.items()
            if symbol not in mapping
        }
        reduced = NormalFormGame(table, self.players, self.strategies, params=remaining, title=self.title)
        return reduced

    def restrict(
        self, keep: Mapping[str, Sequence[str]] | None = None, **by_player: Sequence[str]
    ) -> NormalFormGame:
        """The game in which some players may use only some of their strategies.

        Useful to study a stage of a larger game, e.g. the lending game once the SME has
        applied for the loan (``restrict(SME=("repay", "default"))``), or the game that
        remains after eliminating dominated strategies by hand.

        Parameters
        ----------
        keep : mapping, optional
            Player name → the strategies (names) that player keeps, in the order wanted.
        **by_player
            The same, as keywords (for player names that are identifiers).

        Returns
        -------
        NormalFormGame
            A game with the same players, parameters and assumptions and the kept strategies.

        Raises
        ------
        ParameterError
            An unknown player or strategy, or a player left with no strategy.

        Examples
        --------
        >>> g = NormalFormGame.from_matrices([[3, 0, 1], [5, 1, 1]], [[3, 5, 2], [0, 1, 2]],
        ...     players=("Bank", "SME"),
        ...     strategies=(("lend", "refuse"), ("repay", "default", "decline")))
        >>> g.restrict(SME=("repay", "default")).shape
        (2, 2)
        """
        keep = dict(keep or {}, **by_player)
        index = [list(range(k)) for k in self.shape]
        strategies = [list(s) for s in self.strategies]
        for player, kept in keep.items():
            if player not in self.players:
                raise ParameterError(
                    f"restrict: unknown player {player!r}; the players are {list(self.players)}"
                )
            i = self.players.index(player)
            if isinstance(kept, str):
                kept = (kept,)
            kept = list(kept)
            unknown = [s for s in kept if s not in self.strategies[i]]
            if unknown or not kept:
                raise ParameterError(
                    f"restrict: {player} keeps {kept}; choose a non-empty subset of "
                    f"{list(self.strategies[i])}"
                )
            index[i] = [self.strategies[i].index(s) for s in kept]
            strategies[i] = kept
        if self.is_symbolic:
            table = self._expr
            params = {sym: self.assumptions.get(name) for name, sym in self._symbols.items()}
        else:
            table = self.exact_payoffs if self.exact_payoffs is not None else self.payoffs
            params = None
        sub = table[np.ix_(*index, range(self.n_players))]
        return NormalFormGame(sub, self.players, strategies, params=params, title=self.title)

    # ---------------------------------------------------------------- profiles & payoffs
    def profile(self, profile: Any, *, exact: bool | None = None) -> tuple[np.ndarray, ...]:
        """Normalise a profile to one probability vector per player.

        Accepts pure profiles (strategy names or indices), mixed profiles (sequences of
        probabilities), an :class:`Equilibrium`, or a dict ``player -> strategy or
        probabilities``. Probabilities must lie in [0, 1] and sum to 1.

        Parameters
        ----------
        profile : sequence, dict or Equilibrium
            A pure profile (strategy names or indices), a mixed profile (one probability
            vector per player), an :class:`Equilibrium`, or ``{player: strategy or
            probabilities}``.
        exact : bool, optional
            Return Fractions (``True``) or floats (``False``); by default exact when the
            game and the profile are.

        Returns
        -------
        tuple of ndarray
            One probability vector per player.

        Raises
        ------
        ParameterError
            An unknown strategy, a vector of the wrong length, or probabilities outside
            [0, 1] or not summing to 1.

        Examples
        --------
        >>> g = NormalFormGame.from_matrices([[3, 0], [5, 1]], [[3, 5], [0, 1]],
        ...                                  players=("Row", "Col"),
        ...                                  strategies=(("C", "D"), ("C", "D")))
        >>> [p.tolist() for p in g.profile(["D", "C"], exact=False)]
        [[0.0, 1.0], [1.0, 0.0]]
        """
        if isinstance(profile, Equilibrium):
            profile = profile.profile
        if isinstance(profile, Mapping):
            unknown = [p for p in profile if p not in self.players]
            if unknown:
                raise ParameterError(f"profile names unknown player(s) {unknown}; players are {self.players}")
            profile = [profile[p] for p in self.players]
        profile = list(profile)
        if len(profile) != self.n_players:
            raise ParameterError(
                f"profile has {len(profile)} entries; the game has {self.n_players} players"
            )
        if exact is None:
            exact = self.is_exact and all(_is_rational_entry(e) for e in profile)
        out = []
        for i, entry in enumerate(profile):
            k = self.shape[i]
            player = self.players[i]
            if isinstance(entry, str) or isinstance(entry, (int, np.integer)) and not isinstance(entry, bool):
                j = self._strategy_index(i, entry)
                vec = np.zeros(k, dtype=object if exact else float)
                vec[:] = Fraction(0) if exact else 0.0
                vec[j] = Fraction(1) if exact else 1.0
                out.append(vec)
                continue
            try:
                vec = np.asarray(list(entry), dtype=object if exact else float)
            except (TypeError, ValueError):
                raise ParameterError(
                    f"strategy of {player} is {entry!r}; give a strategy name, an index or probabilities"
                ) from None
            if vec.shape != (k,):
                raise ParameterError(
                    f"mixed strategy of {player} has {vec.size} entries; {player} has {k} strategies"
                )
            if exact:
                vec = np.array([Fraction(v) for v in vec], dtype=object)
            fv = vec.astype(float)
            if not np.all(np.isfinite(fv)):
                raise ParameterError(f"mixed strategy of {player} has non-finite entries: {fv}")
            if np.any(fv < -1e-12) or np.any(fv > 1 + 1e-12):
                raise ParameterError(
                    f"mixed strategy of {player} has probabilities outside [0, 1]: {fv.tolist()}"
                )
            total = sum(vec) if exact else fv.sum()
            if (exact and total != 1) or (not exact and abs(total - 1) > 1e-9):
                raise ParameterError(
                    f"mixed strategy of {player} sums to {format_number(total)}; it must sum to 1"
                )
            out.append(vec)
        return tuple(out)

    def _strategy_index(self, i: int, s: Any) -> int:
        if isinstance(s, str):
            try:
                return self.strategies[i].index(s)
            except ValueError:
                raise ParameterError(
                    f"'{s}' is not a strategy of {self.players[i]}; strategies are {self.strategies[i]}"
                ) from None
        j = int(s)
        if not 0 <= j < self.shape[i]:
            raise ParameterError(f"strategy index {j} of {self.players[i]} is out of range 0..{self.shape[i] - 1}")
        return j

    def _numeric_table(self, exact: bool) -> np.ndarray:
        self._require_numeric("computing payoffs")
        return self._exact if exact else self._float

    def deviation_payoffs(self, profile: Any) -> list[np.ndarray]:
        """For each player, the payoff of each of its pure strategies against the others' mix.

        Parameters
        ----------
        profile : sequence, dict or Equilibrium
            A pure profile (strategy names or indices), a mixed profile (one probability
            vector per player), an :class:`Equilibrium`, or ``{player: strategy or
            probabilities}``.

        Returns
        -------
        list of ndarray
            One vector per player (Fractions when exact).

        Examples
        --------
        >>> g = NormalFormGame.from_matrices([[3, 0], [5, 1]], [[3, 5], [0, 1]],
        ...                                  players=("Row", "Col"),
        ...                                  strategies=(("C", "D"), ("C", "D")))
        >>> [[int(v) for v in d] for d in g.deviation_payoffs(["C", "C"])]
        [[3, 5], [3, 5]]
        """
        prof = self.profile(profile)
        exact = prof[0].dtype == object
        table = self._numeric_table(exact)
        result = []
        for i in range(self.n_players):
            u = table[..., i]
            # Contract the other players' axes from the last to the first so indices stay valid.
            for j in reversed(range(self.n_players)):
                if j != i:
                    u = np.tensordot(u, prof[j], axes=([j], [0]))
            result.append(np.asarray(u))
        return result

    def expected_payoffs(self, profile: Any) -> np.ndarray:
        """Each player's expected payoff at a (mixed) profile.

        Parameters
        ----------
        profile : sequence, dict or Equilibrium
            A pure profile (strategy names or indices), a mixed profile (one probability
            vector per player), an :class:`Equilibrium`, or ``{player: strategy or
            probabilities}``.

        Returns
        -------
        ndarray
            One payoff per player (Fractions when exact).

        Examples
        --------
        >>> g = NormalFormGame.from_matrices([[3, 0], [5, 1]], [[3, 5], [0, 1]],
        ...                                  players=("Row", "Col"),
        ...                                  strategies=(("C", "D"), ("C", "D")))
        >>> [float(v) for v in g.expected_payoffs([[0.5, 0.5], "D"])]
        [0.5, 3.0]
        """
        prof = self.profile(profile)
        dev = self.deviation_payoffs(prof)
        return np.array([np.dot(dev[i], prof[i]) for i in range(self.n_players)], dtype=dev[0].dtype)

    def regret(self, profile: Any, *, exact: bool = False) -> np.ndarray:
        """Each player's gain from its best unilateral deviation (0 at an equilibrium).

        The computation is exact whenever the game and the profile are rational; the result
        is returned as floats, or as Fractions (object array) with ``exact=True``.

        Parameters
        ----------
        profile : sequence, dict or Equilibrium
            A pure profile (strategy names or indices), a mixed profile (one probability
            vector per player), an :class:`Equilibrium`, or ``{player: strategy or
            probabilities}``.
        exact : bool, default False
            Return Fractions instead of floats.

        Returns
        -------
        ndarray
            One regret per player, >= 0.

        Examples
        --------
        >>> g = NormalFormGame.from_matrices([[3, 0], [5, 1]], [[3, 5], [0, 1]],
        ...                                  players=("Row", "Col"),
        ...                                  strategies=(("C", "D"), ("C", "D")))
        >>> g.regret(["C", "C"]).tolist()
        [2.0, 2.0]
        """
        prof = self.profile(profile)
        dev = self.deviation_payoffs(prof)
        is_exact = prof[0].dtype == object
        if exact and not is_exact:
            raise ParameterError("regret(exact=True) needs an exact game and a rational profile")
        values = [max(d) - np.dot(d, p) for d, p in zip(dev, prof, strict=True)]
        if exact:
            return np.array(values, dtype=object)
        return np.array([float(v) for v in values], dtype=float)

    def is_equilibrium(self, profile: Any, tol: float = 1e-9) -> bool:
        """Whether every player's regret at ``profile`` is at most ``tol``.

        Parameters
        ----------
        profile : sequence, dict or Equilibrium
            A pure profile (strategy names or indices), a mixed profile (one probability
            vector per player), an :class:`Equilibrium`, or ``{player: strategy or
            probabilities}``.
        tol : float, default 1e-9
            Tolerance on regrets and on telling float equilibria apart, >= 0.

        Returns
        -------
        bool
            ``True`` at a Nash equilibrium (within ``tol``).

        Examples
        --------
        >>> g = NormalFormGame.from_matrices([[1, -1], [-1, 1]])
        >>> g.is_equilibrium([[0.5, 0.5], [0.5, 0.5]]), g.is_equilibrium(["s1", "s1"])
        (True, False)
        """
        if tol < 0:
            raise ParameterError(f"tol is {tol}; it must be >= 0")
        return bool(np.all(self.regret(profile).astype(float) <= tol))

    # ---------------------------------------------------------------- solvers
    def _make_equilibrium(self, profile: Sequence[Sequence[Any]], method: str, exact: bool,
                          tol: float, component: int | None = None,
                          payoffs: Sequence[Any] | None = None) -> Equilibrium:
        if exact:
            prof = tuple(tuple(p if type(p) is Fraction else Fraction(p) for p in s) for s in profile)
        else:
            prof = tuple(tuple(float(p) for p in s) for s in profile)
        pay = self.expected_payoffs(prof) if payoffs is None else payoffs
        pay = (tuple(v if type(v) is Fraction else Fraction(v) for v in pay) if exact
               else tuple(float(v) for v in pay))
        return Equilibrium(prof, pay, self.players, self.strategies, method, exact,
                           0.0 if exact else tol, component)

    @_as_set
    def pure_equilibria(self, tol: float = 0.0) -> list:
        """Every pure-strategy Nash equilibrium (vectorised over all profiles).

        For a symbolic game, returns :class:`~alliance.games.symbolic.SymbolicEquilibrium`
        objects with the conditions on the parameters under which each profile is an
        equilibrium.

        Parameters
        ----------
        tol : float, default 0
            A strategy within ``tol`` of the best payoff counts as a best response.

        Returns
        -------
        list of Equilibrium or list of SymbolicEquilibrium
            In lexicographic order of the profiles.

        Examples
        --------
        >>> g = NormalFormGame.from_matrices([[3, 0], [5, 1]], [[3, 5], [0, 1]],
        ...                                  players=("Row", "Col"),
        ...                                  strategies=(("C", "D"), ("C", "D")))
        >>> g.pure_equilibria()
        [Equilibrium(Row: D; Col: D | payoffs 1, 1) [pure, exact]]
        """
        if self.is_symbolic:
            from alliance.games import symbolic

            return symbolic.pure_equilibria(self)
        from alliance.games.solvers.pure import pure_equilibria

        profiles = pure_equilibria(self._comparable(), tol=0.0 if self.is_exact else tol)
        exact = self.is_exact
        one, zero = (Fraction(1), Fraction(0)) if exact else (1.0, 0.0)
        out = []
        for idx in profiles:  # one per equilibrium found, not per profile
            idx = tuple(int(i) for i in idx)
            prof = tuple(
                tuple(one if j == idx[i] else zero for j in range(self.shape[i]))
                for i in range(self.n_players)
            )
            if exact and self._int is not None and self._exact_store is None:
                pay = tuple(Fraction(int(v)) for v in self._int[idx])
            elif exact:
                pay = tuple(self._exact[idx])
            else:
                pay = tuple(float(v) for v in self._float[idx])
            out.append(Equilibrium(prof, pay, self.players, self.strategies, "pure", exact,
                                   0.0 if exact else tol))
        return out

    @_as_set
    def equilibria(self, method: str | None = None, *, tol: float = 1e-9) -> list:
        """Every Nash equilibrium the method can find.

        Two players (default ``method="vertex"``): every extreme equilibrium, exactly for
        rational payoffs, including degenerate games; each carries the index of its
        connected component (see :meth:`components`). ``method="lemke_howson"``: the
        equilibria reached from every starting label (fast, not complete).
        More players (``method="support"``): every isolated equilibrium of a small game by
        support enumeration. A symbolic game returns
        :class:`~alliance.games.symbolic.SymbolicEquilibrium` objects.

        Parameters
        ----------
        method : {"vertex", "lemke_howson", "support", "pure"}, optional
            The solver (default: ``"vertex"`` for two players, ``"support"`` for more).
        tol : float, default 1e-9
            Tolerance on regrets and on telling float equilibria apart, >= 0.

        Returns
        -------
        list of Equilibrium or list of SymbolicEquilibrium
            Each equilibrium once, regret checked.

        Raises
        ------
        ParameterError
            A negative ``tol`` or an unknown method.

        Examples
        --------
        Matching pennies has one equilibrium, in mixed strategies:

        >>> NormalFormGame.from_matrices([[1, -1], [-1, 1]]).equilibria()
        [Equilibrium(Player 1: (s1 1/2, s2 1/2); Player 2: (s1 1/2, s2 1/2) | payoffs 0, 0) [vertex, exact]]
        """
        if self.is_symbolic:
            from alliance.games import symbolic

            return symbolic.equilibria(self)
        if tol < 0:
            raise ParameterError(f"tol is {tol}; it must be >= 0")
        if self.n_players == 1:
            return self.pure_equilibria(tol)
        if self.n_players == 2:
            method = method or "vertex"
            if method == "vertex":
                return self._two_player_extremes(tol)
            if method == "lemke_howson":
                from alliance.games.solvers.lemke_howson import lemke_howson_all

                A, B = self._matrices(self.is_exact)
                found = lemke_howson_all(A, B)
                return [self._make_equilibrium(p, "lemke_howson", self.is_exact, tol) for p in found]
            if method == "pure":
                return self.pure_equilibria(tol)
            if method != "support":
                raise ParameterError(
                    f"method is {method!r}; for two players use 'vertex', 'lemke_howson', 'support' or 'pure'"
                )
        method = method or "support"
        if method == "pure":
            return self.pure_equilibria(tol)
        if method != "support":
            raise ParameterError(f"method is {method!r}; for {self.n_players} players use 'support' or 'pure'")
        from alliance.games.solvers.support_nplayer import exact_payoffs_at, support_enumeration

        found = support_enumeration(self._float, tol=tol, exact_payoffs=self._exact)
        exact = [all(isinstance(p, Fraction) for s in prof for p in s) for prof in found]
        rational = [prof for prof, e in zip(found, exact) if e]
        payoffs = iter(exact_payoffs_at(self._exact, rational) if rational else [])
        axes = list(range(self.n_players))
        # a float equilibrium's payoffs in one contraction (its vectors are already checked
        # profiles, so expected_payoffs' parsing of a user's profile is not needed)
        return [self._make_equilibrium(
            prof, "support", e, tol,
            payoffs=next(payoffs) if e else np.einsum(
                self._float, axes + [self.n_players],
                *[x for j, v in enumerate(prof) for x in (np.asarray(v, dtype=float), [j])],
                [self.n_players]))
            for prof, e in zip(found, exact)]

    def qre(self, lam: Any, **kwargs: Any) -> Any:
        """The logit quantal response equilibrium at precision ``lam`` (principal branch).

        See :func:`alliance.games.qre.logit_qre`.

        Parameters
        ----------
        lam : float or sequence of float
            Precision :math:`\\lambda \\ge 0` (0: uniform play; large: near a Nash
            equilibrium), or several.
        **kwargs
            ``first_step`` and ``max_accel`` of the path tracing.

        Returns
        -------
        QuantalResponseEquilibrium or list of QuantalResponseEquilibrium
            One per precision.

        Examples
        --------
        Goeree and Holt's asymmetric matching pennies (2001, *American Economic Review*
        91(5)): the row player overplays the high-payoff cell.

        >>> g = NormalFormGame.from_matrices([[9, 0], [0, 1]], [[0, 1], [1, 0]])
        >>> [round(float(x), 4) for x in g.qre(1.0).profile[0]]
        [0.8936, 0.1064]
        """
        from alliance.games.qre import logit_qre

        return logit_qre(self, lam, **kwargs)

    def qre_branch(self, lam_max: float = 100.0, **kwargs: Any) -> Any:
        """The principal branch of the logit QRE correspondence up to ``lam_max``.

        See :func:`alliance.games.qre.logit_branch`.

        Parameters
        ----------
        lam_max : float, default 100
            Largest precision traced, > 0.
        **kwargs
            ``first_step`` and ``max_accel`` of the path tracing.

        Returns
        -------
        QREBranch
            The points of the branch.

        Examples
        --------
        >>> g = NormalFormGame.from_matrices([[9, 0], [0, 1]], [[0, 1], [1, 0]])
        >>> repr(g.qre_branch(5.0)).split(":")[1].strip()
        '42 points, λ from 0 to 5; last QuantalResponseEquilibrium(λ=5'
        """
        from alliance.games.qre import logit_branch

        return logit_branch(self, lam_max, **kwargs)

    def estimate_logit(self, counts: Any, **kwargs: Any) -> Any:
        """Maximum-likelihood logit precision for observed counts of play, with its s.e.

        See :func:`alliance.games.qre.estimate_logit`.

        Parameters
        ----------
        counts : sequence of sequence of float, or Mapping
            Observed counts of each strategy, one row per player (or by player name).
        **kwargs
            ``lam_max``, ``first_step`` and ``max_accel`` of
            :func:`~alliance.games.qre.estimate_logit`.

        Returns
        -------
        LogitFit
            The estimate, its standard error and the log-likelihood.

        Examples
        --------
        >>> g = NormalFormGame.from_matrices([[9, 0], [0, 1]], [[0, 1], [1, 0]])
        >>> g.estimate_logit([[20, 10], [12, 18]])
        LogitFit(λ = 0.200248 ± 0.115734 (s.e.), log L = -39.7076, 60 observations)
        """
        from alliance.games.qre import estimate_logit

        return estimate_logit(self, counts, **kwargs)

    def logit_equilibrium(self, *, tol: float = 1e-9, **kwargs: Any) -> Equilibrium:
        """One verified Nash equilibrium of a game of any size: the limit of the logit branch.

        See :func:`alliance.games.solvers.logit_path.logit_equilibrium`.

        Parameters
        ----------
        tol : float, default 1e-9
            Largest regret accepted, >= 0.
        **kwargs
            ``lam_max``, ``support_threshold``, ``first_step``, ``max_accel`` of
            :func:`~alliance.games.solvers.logit_path.logit_equilibrium`.

        Returns
        -------
        Equilibrium
            Method ``"logit"``, float.

        Examples
        --------
        >>> g = NormalFormGame.from_matrices([[9, 0], [0, 1]], [[0, 1], [1, 0]])
        >>> g.logit_equilibrium()
        Equilibrium(Player 1: (s1 0.5, s2 0.5); Player 2: (s1 0.1, s2 0.9) | payoffs 0.9, 0.5) [logit, tol 1e-09]
        """
        from alliance.games.solvers.logit_path import logit_equilibrium

        self._require_numeric("logit_equilibrium")
        return self._make_equilibrium(logit_equilibrium(self._float, tol=tol, **kwargs)[0], "logit", False, tol)

    def _matrices(self, exact: bool) -> tuple[np.ndarray, np.ndarray]:
        table = self._exact if exact else self._float
        return table[..., 0], table[..., 1]

    def _two_player_data(self, tol: float):
        from alliance.games.solvers.components import equilibrium_components
        from alliance.games.solvers.vertex import extreme_equilibria

        check_work(estimate_vertex_enumeration(*self.shape[:2]))
        exact = self.is_exact
        A, B = self._matrices(exact)
        # The float search needs a positive tolerance to tell ratios apart; exact games ignore it.
        extremes = extreme_equilibria(A, B, exact=exact, tol=tol if tol > 0 else 1e-9)
        comps = equilibrium_components(extremes, A, B) if extremes else []
        return exact, extremes, comps

    def _two_player_extremes(self, tol: float) -> list[Equilibrium]:
        exact, extremes, comps = self._two_player_data(tol)
        component_of = {}
        for c_index, comp in enumerate(comps):
            if len(comp.extreme_points) < 2:
                continue  # isolated equilibria carry no component label
            for point in comp.extreme_points:
                component_of[_key(point)] = c_index
        return [
            self._make_equilibrium(p, "vertex", exact, tol, component_of.get(_key(p)))
            for p in extremes
        ]

    def components(self, *, tol: float = 1e-9) -> list[EquilibriumComponent]:
        """The connected components of the equilibria of a two-player game.

        Each component is reported once, with its extreme points and its maximal Nash
        subsets; in a non-degenerate game every component is a single equilibrium.

        Parameters
        ----------
        tol : float, default 1e-9
            Float strategies closer than ``tol`` are the same vertex, >= 0.

        Returns
        -------
        list of EquilibriumComponent
            One per connected component.

        Examples
        --------
        >>> g = NormalFormGame.from_matrices([[1, 1], [0, 0]], [[1, 1], [1, 1]])
        >>> [len(c) for c in g.components()]
        [2]
        """
        self._require_numeric("components")
        self._require_players(2, "components")
        exact, _, comps = self._two_player_data(tol)
        out = []
        for c_index, comp in enumerate(comps):
            points = tuple(
                self._make_equilibrium(p, "vertex", exact, tol, c_index) for p in comp.extreme_points
            )
            rows = tuple(tuple(r) for r in comp.row_vertices) if hasattr(comp, "row_vertices") else ()
            cols = tuple(tuple(c) for c in comp.column_vertices) if hasattr(comp, "column_vertices") else ()
            out.append(EquilibriumComponent(points, tuple(comp.cliques), rows, cols, c_index))
        return out

    def eliminate_dominated(self, *, mixed: bool = True, weak: bool = False) -> NormalFormGame:
        """Iterated elimination of strictly dominated strategies.

        With ``mixed=True`` (default) a strategy is also removed when a mixed strategy
        dominates it (checked by a linear programme). The reduced game keeps the strategy
        names; ``reduced.elimination_log`` lists ``(player, strategy, dominated_by)`` in order.

        Parameters
        ----------
        mixed : bool, default True
            Also remove strategies dominated by mixed strategies.
        weak : bool, default False
            Remove weakly dominated strategies (the result may depend on the order).

        Returns
        -------
        NormalFormGame
            The reduced game, with ``elimination_log``.

        Examples
        --------
        >>> g = NormalFormGame.from_matrices([[3, 0], [5, 1]], [[3, 5], [0, 1]])
        >>> r = g.eliminate_dominated()
        >>> r.strategies
        (('s2',), ('s2',))
        """
        self._require_numeric("eliminate_dominated")
        from alliance.games.solvers.dominance import iterated_elimination

        kept, log = iterated_elimination(self._float, mixed=mixed, weak=weak,
                                         exact_payoffs=self._exact)
        source = self._exact if self.is_exact else self._float
        sub = source[np.ix_(*[list(k) for k in kept], list(range(self.n_players)))]
        reduced = NormalFormGame(
            sub, self.players,
            [tuple(self.strategies[i][j] for j in kept[i]) for i in range(self.n_players)],
            title=self.title,
        )
        def dominator(p: int, by: Mapping[int, Any]) -> str:
            if len(by) == 1:
                return self.strategies[p][next(iter(by))]
            mix = ", ".join(f"{self.strategies[p][t]} {format_number(w)}" for t, w in by.items())
            return f"mixed ({mix})"

        reduced.elimination_log = [
            (self.players[p], self.strategies[p][s], dominator(p, by)) for p, s, by in log
        ]
        return reduced

    # ---------------------------------------------------------------- symbolic analysis
    def regions(self, x: tuple, y: tuple, fixed: Mapping[str, Any] | None = None, **kwargs: Any):
        """Partition a parameter plane into regions labelled by their equilibrium set.

        See :func:`alliance.games.regions.regions`.

        Parameters
        ----------
        x, y : tuple
            ``(parameter, low, high)`` of the horizontal and vertical axes.
        fixed : Mapping, optional
            Values of the other parameters.
        **kwargs
            ``resolution`` (grid points per axis, int or pair) and ``tol``.

        Returns
        -------
        RegionMap
            The regions, their boundaries and a grid of region indices.

        Examples
        --------
        >>> g = NormalFormGame.from_payoffs(
        ...     {("lend", "repay"): ("r", "1 - r"), ("lend", "default"): (-1, "1 - c"),
        ...      ("refuse", "repay"): (0, 0), ("refuse", "default"): (0, 0)},
        ...     players=("Bank", "SME"), params={"r": (0, 1), "c": (0, 1)})
        >>> len(g.regions(("r", 0.01, 1), ("c", 0, 1), resolution=21).regions)
        3
        """
        from alliance.games.regions import regions

        return regions(self, x, y, fixed, **kwargs)

    def equilibrium_classifier(self, **kwargs: Any):
        """A vectorised function of the parameters giving the equilibrium set's code.

        See :func:`alliance.games.symbolic.classifier.equilibrium_set_classifier`.

        Parameters
        ----------
        **kwargs
            ``fixed`` (values of some parameters) and ``tol``.

        Returns
        -------
        EquilibriumSetClassifier
            Callable on arrays of parameter values.

        Examples
        --------
        >>> g = NormalFormGame.from_matrices([["a", 0], [0, 1]], [["a", 0], [0, 1]],
        ...                                  params={"a": (0, 2)})
        >>> g.equilibrium_classifier()
        EquilibriumSetClassifier(3 candidate equilibria, 1 condition expressions; params a)
        """
        from alliance.games.symbolic.classifier import equilibrium_set_classifier

        return equilibrium_set_classifier(self, **kwargs)

    # ---------------------------------------------------------------- display
    def _cell(self, index: tuple) -> str:
        if self.is_symbolic:
            vals = [str(self._expr[index + (p,)]) for p in range(self.n_players)]
        elif self.is_exact:
            vals = [format_number(self._exact[index + (p,)]) for p in range(self.n_players)]
        else:
            vals = [format_number(self._float[index + (p,)]) for p in range(self.n_players)]
        return "(" + ", ".join(vals) + ")"

    def to_frame(self) -> pd.DataFrame:
        """The payoff table: one row per pure profile, one column per player.

        Returns
        -------
        pandas.DataFrame
            Indexed by the players' strategies.

        Examples
        --------
        >>> g = NormalFormGame.from_matrices([[3, 0], [5, 1]], [[3, 5], [0, 1]],
        ...                                  players=("Row", "Col"),
        ...                                  strategies=(("C", "D"), ("C", "D")))
        >>> [int(v) for v in g.to_frame().loc[("D", "C")]]
        [5, 0]
        """
        index = pd.MultiIndex.from_tuples(
            list(itertools.product(*self.strategies)), names=list(self.players)
        )
        source = self._expr if self.is_symbolic else (self._exact if self.is_exact else self._float)
        data = source.reshape(-1, self.n_players)
        return pd.DataFrame(list(map(list, data)), index=index, columns=list(self.players))

    def _table_frame(self) -> pd.DataFrame:
        if self.n_players == 2:
            cells = [[self._cell((i, j)) for j in range(self.shape[1])] for i in range(self.shape[0])]
            return pd.DataFrame(cells, index=list(self.strategies[0]), columns=list(self.strategies[1]))
        frame = self.to_frame()
        return frame.map(lambda v: format_number(v) if not isinstance(v, sp.Basic) else str(v))

    def __repr__(self) -> str:
        dims = "×".join(str(k) for k in self.shape)
        who = " × ".join(self.players)
        head = f"NormalFormGame({self.title + ': ' if self.title else ''}{who}, {dims}, {self.kind})"
        if math.prod(self.shape) > 64:
            return head
        return head + "\n" + self._table_frame().to_string()

    def _repr_latex_(self) -> str:
        def tex(v: Any) -> str:
            if isinstance(v, sp.Basic):
                return sp.latex(v)
            if isinstance(v, Fraction) and v.denominator != 1:
                return sp.latex(to_sympy(v))
            return format_number(v)

        source = self._expr if self.is_symbolic else (self._exact if self.is_exact else self._float)

        def label(s: str) -> str:
            return r"\text{" + s.replace("_", r"\_") + "}"

        if self.n_players != 2:
            rows = [
                ", ".join(label(s) for s in prof) + " & " + ", ".join(tex(v) for v in source[idx])
                for idx, prof in zip(itertools.product(*(range(k) for k in self.shape)),
                                     itertools.product(*self.strategies), strict=True)
            ]
            return r"$\begin{array}{l|l}" + r"\text{profile} & u \\ \hline " + r" \\ ".join(rows) + r"\end{array}$"
        header = " & ".join(label(s) for s in self.strategies[1])
        rows = []
        for i, s in enumerate(self.strategies[0]):
            cells = " & ".join(tex(source[i, j, 0]) + ",\\ " + tex(source[i, j, 1]) for j in range(self.shape[1]))
            rows.append(label(s) + " & " + cells)
        cols = "c" * self.shape[1]
        return (
            rf"$\begin{{array}}{{r|{cols}}} & {header} \\ \hline "
            + r" \\ ".join(rows)
            + r"\end{array}$"
        )

    def _repr_html_(self) -> str:
        try:
            return f"<p>{html.escape(repr(self).splitlines()[0])}</p>" + self._table_frame().to_html()
        except Exception:  # a display hook must never raise
            return "<pre>" + html.escape(repr(self)) + "</pre>"

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, NormalFormGame):
            return NotImplemented
        if (self.players, self.strategies, self.kind) != (other.players, other.strategies, other.kind):
            return False
        if self.is_symbolic:
            return all(sp.simplify(a - b) == 0 for a, b in zip(self._expr.flat, other._expr.flat, strict=True))
        return bool(np.array_equal(self._float, other._float))

    __hash__ = None  # type: ignore[assignment]


# -------------------------------------------------------------------- helpers
def declare_parameters(params: Any) -> tuple[dict[str, sp.Symbol], dict[str, Any]]:
    """Symbols and assumptions of a game's declared parameters (names, or name -> assumption)."""
    symbols: dict[str, sp.Symbol] = {}
    assumptions: dict[str, Any] = {}
    if params is None:
        return symbols, assumptions
    if isinstance(params, (str, bytes)):
        raise ParameterError(f"params is the string {params!r}; give a list of names or a dict name -> assumption")
    items = params.items() if isinstance(params, Mapping) else ((p, None) for p in params)
    for name, assumption in items:
        if isinstance(name, sp.Symbol):
            # A ready-made symbol keeps its own SymPy assumptions; a declared range or
            # assumption is still recorded so that subs() checks values against it.
            symbols[name.name] = name
            if isinstance(assumption, (tuple, list)):
                lo, hi = (float(v) for v in assumption)
                if lo >= hi:
                    raise ParameterError(
                        f"range of parameter '{name.name}' is {tuple(assumption)!r}; it needs lo < hi"
                    )
                assumptions[name.name] = (lo, hi)
            elif assumption is not None:
                if assumption not in ASSUMPTIONS:
                    raise ParameterError(
                        f"assumption of parameter '{name.name}' is {assumption!r}; use one of "
                        f"{ASSUMPTIONS} or (lo, hi)"
                    )
                assumptions[name.name] = assumption
            continue
        if isinstance(assumption, list):
            assumption = tuple(assumption)
        if isinstance(assumption, tuple):
            lo, hi = assumption
            if not (np.isfinite(float(lo)) or np.isfinite(float(hi))) or float(lo) >= float(hi):
                raise ParameterError(f"range of parameter '{name}' is {assumption!r}; it needs lo < hi")
            kind = "positive" if float(lo) > 0 else ("nonnegative" if float(lo) >= 0 else "real")
            symbols[name] = make_symbol(name, kind)
            assumptions[name] = (float(lo), float(hi))
        else:
            if assumption is not None and assumption not in ASSUMPTIONS:
                raise ParameterError(
                    f"assumption of parameter '{name}' is {assumption!r}; use one of {ASSUMPTIONS} or (lo, hi)"
                )
            symbols[name] = make_symbol(name, assumption)
            if assumption is not None:
                assumptions[name] = assumption
    return symbols, assumptions


def _parameter_value(name: str, value: Any, assumption: Any) -> sp.Expr:
    if isinstance(value, bool) or not isinstance(value, (int, float, Fraction, np.integer, np.floating, sp.Number)):
        raise ParameterError(f"parameter '{name}' = {value!r}; it must be a number")
    v = float(value)
    if not math.isfinite(v):
        raise ParameterError(f"parameter '{name}' = {value!r}; it must be finite")
    label = assumption
    ok = True
    if assumption == "positive":
        ok = v > 0
    elif assumption == "nonnegative":
        ok = v >= 0
    elif assumption == "probability":
        ok = 0 <= v <= 1
    elif isinstance(assumption, tuple):
        ok = assumption[0] <= v <= assumption[1]
        label = f"range [{assumption[0]:g}, {assumption[1]:g}]"
    if not ok:
        raise ParameterError(f"parameter '{name}' = {value!r} contradicts its assumption '{label}'" if not isinstance(assumption, tuple) else f"parameter '{name}' = {value!r} lies outside its {label}")
    return to_sympy(value if isinstance(value, (int, np.integer, Fraction, sp.Number)) else v, exact=False)


def _number_or_expr(expr: sp.Expr) -> Any:
    return expr if expr.free_symbols else _sympy_to_python(expr)


def _to_sympy(value: Any) -> sp.Expr:
    return to_sympy(value, exact=False)


def _sympy_to_python(value: sp.Expr) -> Any:
    if value.is_Rational:
        return Fraction(int(value.p), int(value.q))
    if value.is_real is False or value.has(sp.zoo, sp.oo, -sp.oo, sp.nan):
        raise InvalidGameError(f"payoff evaluates to {value}; payoffs must be finite real numbers")
    return float(value)


def _check_finite_table(table: np.ndarray, game: NormalFormGame) -> np.ndarray:
    for index, v in np.ndenumerate(table):
        if isinstance(v, float) and not math.isfinite(v):
            raise InvalidGameError(f"{game._field(index)} evaluates to {v}; payoffs must be finite")
    return table


def _as_object_array(values: Any, field: str) -> np.ndarray:
    if isinstance(values, np.ndarray):
        if values.dtype.kind in "fc":
            bad = ~np.isfinite(values)
            if bad.any():
                where = tuple(int(i) for i in np.argwhere(bad)[0])
                raise InvalidGameError(f"{field}[{', '.join(map(str, where))}] is {values[where]}; payoffs must be finite")
        return values.astype(object)
    try:
        arr = np.array(values, dtype=object)
    except ValueError:
        raise InvalidGameError(f"{field} is ragged: every row must have the same length") from None
    if arr.size == 0:
        raise InvalidGameError(f"{field} is empty")
    # np.array with dtype=object silently keeps ragged rows as lists: refuse them.
    for v in arr.flat:
        if isinstance(v, (list, tuple, np.ndarray)):
            raise InvalidGameError(f"{field} is ragged: every row must have the same length")
    return arr


def check_players(players: Sequence[str] | None, n: int) -> tuple[str, ...]:
    """Player labels of an ``n``-player game (default ``Player 1``...), checked unique."""
    if players is None:
        return _default_players(n)
    if isinstance(players, str):
        raise InvalidGameError(f"players is the string {players!r}; give one name per player")
    players = tuple(players)
    if len(players) != n:
        raise InvalidGameError(f"players has {len(players)} names {players}; the game has {n} players")
    for p in players:
        if not isinstance(p, str) or not p:
            raise InvalidGameError(f"player name {p!r} must be a non-empty string")
    if len(set(players)) != n:
        raise InvalidGameError(f"players {players} has duplicate names")
    return players


def _check_strategies(
    strategies: Sequence[Sequence[str]] | None, shape: Sequence[int] | None, players: tuple[str, ...]
) -> tuple[tuple[str, ...], ...]:
    if strategies is None:
        if shape is None:
            raise InvalidGameError("strategies are needed")
        return _default_strategies(shape)
    strategies = tuple(tuple(s) if not isinstance(s, str) else (s,) for s in strategies)
    if len(strategies) != len(players):
        raise InvalidGameError(
            f"strategies has {len(strategies)} lists; the game has {len(players)} players"
        )
    for i, ss in enumerate(strategies):
        if shape is not None and len(ss) != shape[i]:
            raise InvalidGameError(
                f"strategies of {players[i]} has {len(ss)} names {ss}; the payoffs have {shape[i]} strategies for {players[i]}"
            )
        for s in ss:
            if not isinstance(s, str) or not s:
                raise InvalidGameError(f"strategy name {s!r} of {players[i]} must be a non-empty string")
        if len(set(ss)) != len(ss):
            raise InvalidGameError(f"strategies of {players[i]} {ss} has duplicate names")
    return strategies


def _is_rational_entry(entry: Any) -> bool:
    if isinstance(entry, (str, int, np.integer)):
        return True
    try:
        return all(isinstance(v, (int, Fraction, np.integer)) and not isinstance(v, bool) for v in entry)
    except TypeError:
        return False


def _key(profile: Sequence[Sequence[Any]]) -> tuple:
    return tuple(tuple(round(float(p), 9) for p in s) for s in profile)
