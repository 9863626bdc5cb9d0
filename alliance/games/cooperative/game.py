r"""Transferable-utility (TU) cooperative games: the :class:`CooperativeGame` facade.

A TU game on players :math:`N = \{1, \dots, n\}` is a characteristic function
:math:`v: 2^N \to \mathbb{R}` with :math:`v(\emptyset) = 0`; :math:`v(S)` is what coalition
:math:`S` can secure on its own (or, for a *cost game*, what serving :math:`S` costs). The
facade holds :math:`v` in one of three forms and evaluates it on whole batches of coalitions:

* a ``dict`` mapping coalitions (frozensets of player indices or names) to worths,
* a callable on a ``frozenset`` of player indices (called once per coalition, memoised),
* a *vectorised* callable (``vectorized=True``) on a boolean matrix of shape ``(k, n)``, one
  coalition per row, returning ``k`` worths (memoised; this is the fast path for costly
  functions such as a Monte Carlo run per coalition).

Solution concepts are methods that delegate to :mod:`.shapley` and :mod:`.core`.

Exactness: when ``v`` is a dict of integers or fractions (or a constructor got rational data)
and ``n <= 16``, the Shapley and Banzhaf values are also computed exactly
(:attr:`Allocation.exact`). The linear programs of the core, least core and nucleolus run in
floating point with an explicit tolerance.

Examples
--------
>>> v = {frozenset(): 0, frozenset({0}): 0, frozenset({1}): 0, frozenset({0, 1}): 1}
>>> g = CooperativeGame(2, v, players=("Bank", "Guarantor"))
>>> g.shapley()
Allocation(shapley: Bank=1/2, Guarantor=1/2)
>>> g.value({"Bank", "Guarantor"})
1.0
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from fractions import Fraction
from numbers import Rational
from typing import Any, Literal

import numpy as np
import pandas as pd

from alliance.errors import InvalidGameError, ParameterError, SizeLimitError
from alliance.games.cooperative import _coalitions as co
from alliance.games.cooperative.results import Allocation, CoreCheck, LeastCore

__all__ = ["CooperativeGame", "EXACT_MAX_PLAYERS", "RATIONAL_MAX_PLAYERS"]

#: Largest ``n`` for methods that enumerate all ``2**n`` coalitions (a 2**22-entry table
#: takes 32 MB; each extra player doubles time and memory).
EXACT_MAX_PLAYERS = 22
#: Largest ``n`` for which exact rational Shapley/Banzhaf values are computed alongside floats.
RATIONAL_MAX_PLAYERS = 16
#: Rows per call of a vectorised characteristic function when a whole table is built.
CHUNK_ROWS = 1 << 18
_ZERO_TOL = 1e-12


def _is_rational(value: Any) -> bool:
    return (
        isinstance(value, Rational) and not isinstance(value, bool) or isinstance(value, np.integer)
    )


class CooperativeGame:
    r"""A transferable-utility cooperative game.

    Parameters
    ----------
    n : int
        Number of players, ``n >= 1``.
    v : dict, callable or vectorised callable
        The characteristic function. A ``dict`` maps every non-empty coalition (a frozenset of
        player indices ``0..n-1``, or of player names when ``players`` is given) to its worth;
        the empty coalition may be omitted (its worth is 0). A callable receives a
        ``frozenset`` of player indices. With ``vectorized=True`` it receives a boolean array
        of shape ``(k, n)`` (row = coalition, column = player) and returns ``k`` worths.
        Worths must be finite and ``v(∅) = 0``.
    players : sequence of str, optional
        Player names (distinct); default ``"P1", ..., "Pn"``.
    vectorized : bool, default False
        Whether ``v`` is a vectorised callable.
    cost : bool, default False
        ``True`` when ``v`` is a *cost* function (e.g. the airport game): the core then asks
        ``x(S) <= v(S)``, the nucleolus minimises the largest ``x(S) - v(S)`` and convexity
        means submodularity. Shapley and Banzhaf values are the same formulas.
    memoize : bool, default True
        Remember every worth a callable returned, so that no coalition is evaluated twice.

    Raises
    ------
    InvalidGameError
        When ``v(∅) != 0``, a dict misses a coalition or names an unknown player, a worth is
        not a finite number, or a vectorised ``v`` returns the wrong shape.
    ParameterError
        When ``n`` or ``players`` is not admissible.

    Examples
    --------
    Three players, worth 1 for any majority:

    >>> g = CooperativeGame(3, lambda S: 1.0 if len(S) >= 2 else 0.0)
    >>> g.shapley().values.round(4)
    array([0.3333, 0.3333, 0.3333])
    >>> g.core_is_empty()
    True

    A vectorised characteristic function gets a boolean coalition matrix:

    >>> import numpy as np
    >>> w = np.array([1.0, 2.0, 3.0])
    >>> g = CooperativeGame(3, lambda mask: (mask @ w) ** 1.5, vectorized=True)
    >>> round(g.value({0, 1, 2}), 4)
    14.6969
    """

    def __init__(
        self,
        n: int,
        v: Mapping[Any, Any] | Callable[..., Any],
        players: Sequence[str] | None = None,
        *,
        vectorized: bool = False,
        cost: bool = False,
        memoize: bool = True,
    ) -> None:
        if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or n < 1:
            raise ParameterError(f"n (the number of players) is {n!r}; it must be an integer >= 1")
        self._n = int(n)
        self._players = self._check_players(players)
        self._cost = bool(cost)
        self._memoize = bool(memoize)
        self._memo = co.CoalitionMemo()
        self._table: np.ndarray | None = None
        self._exact: np.ndarray | None = None
        self._fn: Callable[..., Any] | None = None
        self._vectorized = bool(vectorized)
        v = self._from_pandas(v)
        if isinstance(v, Mapping):
            if vectorized:
                raise InvalidGameError("v is a dict, but vectorized=True asks for a callable")
            self._kind = "dict"
            self._table, self._exact = self._table_from_dict(v)
        elif callable(v):
            self._kind = "vectorized" if vectorized else "callable"
            self._fn = v
            # v(∅) is checked (and v(N) remembered) at once, at the boundary.
            ends = np.zeros((2, self._n), dtype=bool)
            ends[1] = True
            self.values(ends)
        else:
            raise InvalidGameError(
                f"v is a {type(v).__name__}; it must be a dict, a callable on a frozenset or a "
                "vectorised callable on a boolean coalition matrix"
            )

    # -- construction helpers --------------------------------------------------------------
    @staticmethod
    def _from_pandas(v: Any) -> Any:
        """A Series (coalition → worth) or a table like :meth:`to_frame`'s, as a dict."""
        if isinstance(v, pd.Series):
            return dict(v.items())
        if isinstance(v, pd.DataFrame):
            missing = [c for c in ("coalition", "value") if c not in v.columns]
            if missing:
                raise InvalidGameError(
                    f"v is a DataFrame without column(s) {missing}; give 'coalition' and "
                    "'value' columns (as CooperativeGame.to_frame writes them)"
                )

            def key(c: Any) -> Any:
                # labels as to_frame writes them: "∅", "{A, B}"
                if isinstance(c, str) and c.strip() in {"∅", "{}"}:
                    return frozenset()
                if isinstance(c, str) and c.strip().startswith("{") and c.strip().endswith("}"):
                    inner = c.strip()[1:-1]
                    return frozenset(x.strip() for x in inner.split(",") if x.strip())
                return c

            return {key(c): w for c, w in zip(v["coalition"], v["value"], strict=True)}
        return v

    def _check_players(self, players: Sequence[str] | None) -> tuple[str, ...]:
        if players is None:
            return tuple(f"P{i + 1}" for i in range(self._n))
        if isinstance(players, str):
            raise ParameterError(f"players is the string {players!r}; give a sequence of names")
        names = tuple(players)
        if len(names) != self._n:
            raise ParameterError(f"players has {len(names)} names {names}; n is {self._n}")
        for name in names:
            if not isinstance(name, str) or not name:
                raise ParameterError(f"player name {name!r} in players must be a non-empty str")
        if len(set(names)) != len(names):
            dup = sorted({p for p in names if names.count(p) > 1})
            raise ParameterError(f"players has duplicate names {dup}")
        return names

    def _player_index(self, item: Any, where: str) -> int:
        if isinstance(item, str):
            try:
                return self._players.index(item)
            except ValueError:
                raise InvalidGameError(
                    f"{where}: player {item!r} is not one of {self._players}"
                ) from None
        if isinstance(item, (int, np.integer)) and not isinstance(item, bool):
            if 0 <= int(item) < self._n:
                return int(item)
        raise InvalidGameError(
            f"{where}: player {item!r} is neither an index 0..{self._n - 1} nor a player name"
        )

    def _bitmask(self, coalition: Any, where: str) -> int:
        if isinstance(coalition, (str, int, np.integer)):
            coalition = (coalition,)
        try:
            items = list(coalition)
        except TypeError:
            raise InvalidGameError(
                f"{where}: coalition {coalition!r} is not a set of players"
            ) from None
        mask = 0
        for item in items:
            mask |= 1 << self._player_index(item, where)
        return mask

    def _table_from_dict(self, v: Mapping[Any, Any]) -> tuple[np.ndarray, np.ndarray | None]:
        n = self._n
        if n > EXACT_MAX_PLAYERS:
            raise SizeLimitError(
                f"a dict for n = {n} players would need 2**{n} entries; the limit is "
                f"{EXACT_MAX_PLAYERS}: give v as a vectorised callable (vectorized=True)"
            )
        size = 1 << n
        table = np.zeros(size)
        exact = np.empty(size, dtype=object)
        exact[0] = Fraction(0)
        present = np.zeros(size, dtype=bool)
        all_rational = True
        for key, worth in v.items():
            mask = self._bitmask(key, "v")
            label = self.coalition_label(mask)
            if present[mask]:
                raise InvalidGameError(f"v gives coalition {label} twice")
            if _is_rational(worth):
                frac = Fraction(int(worth)) if isinstance(worth, np.integer) else Fraction(worth)
                exact[mask] = frac
                value = float(frac)
            else:
                all_rational = False
                try:
                    value = float(worth)
                except (TypeError, ValueError):
                    raise InvalidGameError(
                        f"v{label} is {worth!r}; worths must be finite numbers"
                    ) from None
            if not math.isfinite(value):
                raise InvalidGameError(f"v{label} is {worth!r}; worths must be finite numbers")
            table[mask] = value
            present[mask] = True
        if abs(table[0]) > _ZERO_TOL:
            raise InvalidGameError(
                f"v(∅) is {v.get(frozenset())!r}; the empty coalition must be worth 0"
            )
        missing = np.flatnonzero(~present[1:]) + 1
        if missing.size:
            more = f" (and {missing.size - 1} more)" if missing.size > 1 else ""
            raise InvalidGameError(
                f"v has no value for coalition {self.coalition_label(int(missing[0]))}{more}; "
                f"a dict must give every non-empty coalition of the {n} players"
            )
        exact_table = exact if all_rational and n <= RATIONAL_MAX_PLAYERS else None
        return table, exact_table

    def _attach_exact(self, exact: np.ndarray | None) -> None:
        """Hold exact worths (object array of ints/Fractions, by bitmask) of a small game.

        Constructors with rational data call this, so that Shapley and Banzhaf values come
        out as fractions; the float table is derived from the same numbers.
        """
        if exact is None or self._n > RATIONAL_MAX_PLAYERS:
            return
        table = np.array([float(q) for q in exact])
        table.setflags(write=False)
        self._exact = exact
        self._table = table

    # -- basic properties ------------------------------------------------------------------
    @property
    def n(self) -> int:
        """Number of players."""
        return self._n

    @property
    def players(self) -> tuple[str, ...]:
        """Player names."""
        return self._players

    @property
    def cost(self) -> bool:
        """Whether ``v`` is a cost function."""
        return self._cost

    @property
    def is_exact(self) -> bool:
        """Whether exact rational worths are held (Shapley/Banzhaf then also exact)."""
        return self._exact is not None

    @property
    def grand_value(self) -> float:
        """``v(N)``, the worth of the grand coalition."""
        return float(self.values(np.ones((1, self._n), dtype=bool))[0])

    def coalition_label(self, mask: int) -> str:
        """``"{A, C}"`` for a bitmask (``"∅"`` for the empty coalition).

        Parameters
        ----------
        mask : int
            Bit ``i`` set when player ``i`` is in the coalition, in ``[0, 2**n)``.

        Returns
        -------
        str
            The players' names in braces.

        Examples
        --------
        >>> g = CooperativeGame(3, lambda S: len(S))
        >>> g.coalition_label(0b101), g.coalition_label(0)
        ('{P1, P3}', '∅')
        """
        if mask == 0:
            return "∅"
        return "{" + ", ".join(p for i, p in enumerate(self._players) if mask >> i & 1) + "}"

    def _row_label(self, row: np.ndarray) -> str:
        names = [p for p, inside in zip(self._players, row) if inside]
        return "{" + ", ".join(names) + "}" if names else "∅"

    def __repr__(self) -> str:
        kind = "cost game" if self._cost else "game"
        return f"CooperativeGame({kind}, n={self._n}, players={self._players}, v={self._kind})"

    # -- evaluation ------------------------------------------------------------------------
    def value(self, coalition: Iterable[int | str] | int | str) -> float:
        """Worth ``v(S)`` of one coalition, given by player indices or names.

        Parameters
        ----------
        coalition : iterable of int or str, int or str
            Player indices or names; a single index or name is a one-player coalition.

        Returns
        -------
        float
            ``v(S)``.

        Raises
        ------
        ParameterError
            An unknown player.

        Examples
        --------
        >>> g = CooperativeGame(2, {frozenset({0}): 1, frozenset({1}): 2, frozenset({0, 1}): 4})
        >>> g.value({"P1", "P2"}), g.value([]), g.value(1)
        (4.0, 0.0, 2.0)
        """
        mask = self._bitmask(coalition, "coalition")
        row = np.zeros((1, self._n), dtype=bool)
        row[0, [i for i in range(self._n) if mask >> i & 1]] = True
        return float(self.values(row)[0])

    def values(self, mask: np.ndarray) -> np.ndarray:
        """Worths of a batch of coalitions, one per row of a boolean ``(k, n)`` matrix.

        Repeated rows and rows already evaluated are not passed to ``v`` again.

        Parameters
        ----------
        mask : ndarray of bool, shape (k, n)
            One coalition per row (column ``i`` true when player ``i`` is in it).

        Returns
        -------
        ndarray, shape (k,)
            The worths.

        Raises
        ------
        InvalidGameError
            A matrix of the wrong shape, or worths that are not finite numbers.

        Examples
        --------
        >>> g = CooperativeGame(3, lambda m: m.sum(axis=1) ** 2.0, vectorized=True)
        >>> g.values(np.array([[True, False, True], [True, True, True]]))
        array([4., 9.])
        """
        mask = np.asarray(mask)
        if mask.ndim != 2 or mask.shape[1] != self._n:
            raise InvalidGameError(
                f"coalition matrix has shape {mask.shape}; it must be (k, {self._n})"
            )
        mask = mask.astype(bool, copy=False)
        if self._table is not None:
            return self._table[co.bitmasks(mask)]
        words = co.pack(mask)
        first, inverse = co.unique_rows(words)
        uwords = words[first]
        if self._memoize:
            uvalues, found = self._memo.lookup(uwords)
        else:
            uvalues, found = np.zeros(len(first)), np.zeros(len(first), dtype=bool)
        missing = np.flatnonzero(~found)
        if missing.size == mask.shape[0]:  # all rows new and distinct (large n): no gather
            result, _ = self._evaluate_new(mask, fresh=True)
            if self._memoize:
                self._memo.insert(words, result)
            return result
        if missing.size:
            new_values, _ = self._evaluate_new(mask[first[missing]], fresh=True)
            uvalues[missing] = new_values
            if self._memoize:
                self._memo.insert(uwords[missing], new_values)
        return uvalues[inverse]

    def _evaluate_new(
        self, rows: np.ndarray, first_code: int | None = None, fresh: bool = False
    ) -> tuple[np.ndarray, None]:
        """Call ``v`` on coalitions not seen before; check the answers.

        ``first_code`` says that the rows are the consecutive bitmasks from it on, so that
        the empty coalition needs no search; ``fresh`` that ``rows`` is a new array that
        ``v`` may keep.
        """
        assert self._fn is not None
        k = rows.shape[0]
        if self._vectorized:
            out = self._fn(rows if fresh else rows.copy())
            try:
                result = np.asarray(out, dtype=float)
            except (TypeError, ValueError):
                raise InvalidGameError(
                    f"v returned {type(out).__name__} for {k} coalitions; a vectorised v must "
                    f"return {k} numbers"
                ) from None
            if result.shape != (k,):
                raise InvalidGameError(
                    f"v returned an array of shape {result.shape} for a coalition matrix of "
                    f"shape {rows.shape}; a vectorised v must return shape ({k},)"
                )
        else:
            result = np.empty(k)
            # A plain callable is scalar by contract: the loop is the user's choice;
            # vectorized=True avoids it.
            for r in range(k):
                coalition = frozenset(np.flatnonzero(rows[r]).tolist())
                worth = self._fn(coalition)
                try:
                    result[r] = float(worth)
                except (TypeError, ValueError):
                    raise InvalidGameError(
                        f"v{self._row_label(rows[r])} is {worth!r}; worths must be finite numbers"
                    ) from None
        bad = np.flatnonzero(~np.isfinite(result))
        if bad.size:
            raise InvalidGameError(
                f"v{self._row_label(rows[bad[0]])} is {float(result[bad[0]])!r}; worths must be finite "
                "numbers"
            )
        if first_code is None:
            empty = ~rows.any(axis=1)
        else:
            empty = slice(0, 1 if first_code == 0 else 0)
        if np.any(np.abs(result[empty]) > _ZERO_TOL):
            raise InvalidGameError(
                f"v(∅) is {float(result[empty][0])!r}; the empty coalition must be worth 0"
            )
        return result, None

    def table(self, *, what: str = "this method") -> np.ndarray:
        """Worths of all ``2**n`` coalitions, indexed by bitmask (bit ``i`` = player ``i``).

        Parameters
        ----------
        what : str, default "this method"
            The caller's name, for the size-limit message.

        Returns
        -------
        ndarray, shape (2**n,)
            Read-only worths (computed once, then cached).

        Raises
        ------
        SizeLimitError
            When ``n > EXACT_MAX_PLAYERS``.

        Examples
        --------
        >>> g = CooperativeGame(2, {frozenset({0}): 1, frozenset({1}): 2, frozenset({0, 1}): 4})
        >>> g.table()
        array([0., 1., 2., 4.])
        """
        if self._table is None:
            n = self._n
            if n > EXACT_MAX_PLAYERS:
                raise SizeLimitError(
                    f"{what} enumerates all 2**n coalitions; n = {n} exceeds the limit of "
                    f"{EXACT_MAX_PLAYERS} players"
                )
            table = np.empty(1 << n)
            known = np.zeros(1 << n, dtype=bool)
            words, worths = self._memo.items()
            if words.shape[0]:
                idx = words[:, 0].astype(np.int64)
                table[idx] = worths
                known[idx] = True
            low_bits = min(n, CHUNK_ROWS.bit_length() - 1)
            step = 1 << low_bits
            # Every aligned chunk shares the pattern of its low bits: build it once and
            # stamp the chunk's high bits beside it.
            chunk = np.empty((step, n), dtype=bool)
            chunk[:, :low_bits] = co.all_masks(low_bits)
            for start in range(0, 1 << n, step):
                stop = start + step
                if not known[start:stop].any():
                    chunk[:, low_bits:] = (start >> np.arange(low_bits, n)) & 1
                    table[start:stop], _ = self._evaluate_new(chunk, first_code=start)
                    continue
                todo = np.flatnonzero(~known[start:stop]) + start
                if todo.size:
                    table[todo], _ = self._evaluate_new(co.masks_of(todo, n))
            table.setflags(write=False)
            self._table = table
        return self._table

    def _profit_table(self, what: str) -> np.ndarray:
        table = self.table(what=what)
        return -table if self._cost else table

    def to_frame(self) -> pd.DataFrame:
        """All coalitions with their size and worth (``n <= 16``).

        Returns
        -------
        pandas.DataFrame
            Columns ``coalition``, ``size``, ``value``; one row per bitmask.

        Raises
        ------
        SizeLimitError
            When ``n > 16``.

        Examples
        --------
        >>> CooperativeGame(2, lambda S: len(S) ** 2).to_frame()
          coalition  size  value
        0         ∅     0    0.0
        1      {P1}     1    1.0
        2      {P2}     1    1.0
        3  {P1, P2}     2    4.0
        """
        if self._n > 16:
            raise SizeLimitError(f"to_frame lists 2**n coalitions; n = {self._n} exceeds 16")
        table = self.table(what="to_frame")
        sizes = co.coalition_sizes(self._n)
        labels = [self.coalition_label(m) for m in range(1 << self._n)]
        return pd.DataFrame({"coalition": labels, "size": sizes, "value": table})

    # -- allocations -----------------------------------------------------------------------
    def allocation(self, x: Any, *, what: str = "x") -> np.ndarray:
        """Check a payoff vector (sequence, mapping name → value, or Allocation).

        Parameters
        ----------
        x : sequence of float, mapping name → float, or Allocation
            One payoff per player.
        what : str, default "x"
            The argument's name, for error messages.

        Returns
        -------
        ndarray, shape (n,)
            The payoffs in player order, as floats.

        Raises
        ------
        ParameterError
            Unknown or missing players, the wrong length, or values that are not finite
            numbers.

        Examples
        --------
        >>> g = CooperativeGame(2, lambda S: len(S))
        >>> g.allocation({"P2": 0.5, "P1": 1.5}).tolist()
        [1.5, 0.5]
        """
        if isinstance(x, Allocation):
            x = x.values
        if isinstance(x, Mapping):
            unknown = [k for k in x if k not in self._players]
            if unknown:
                raise ParameterError(f"{what} names unknown players {unknown}")
            missing = [p for p in self._players if p not in x]
            if missing:
                raise ParameterError(f"{what} has no value for players {missing}")
            x = [x[p] for p in self._players]
        try:
            arr = np.asarray(x, dtype=float)
        except (TypeError, ValueError):
            raise ParameterError(f"{what} is {x!r}; it must be {self._n} numbers") from None
        if arr.shape != (self._n,):
            raise ParameterError(
                f"{what} has shape {arr.shape}; an allocation of this game has {self._n} "
                "values, one per player"
            )
        if not np.all(np.isfinite(arr)):
            raise ParameterError(f"{what} is {arr.tolist()}; values must be finite")
        return arr

    # -- solution concepts (delegated) -------------------------------------------------------
    def shapley(
        self,
        method: Literal["exact", "sampled"] = "exact",
        samples: int = 2000,
        seed: int | np.random.Generator | None = None,
        progress: bool | None = None,
        *,
        variance_reduction: Literal["antithetic", "stratified"] | None = "antithetic",
        target_standard_error: float | None = None,
        batch_size: int | None = None,
    ) -> Allocation:
        r"""The Shapley value :math:`\phi_i = \sum_{S \not\ni i} \frac{|S|!(n-|S|-1)!}{n!}
        (v(S \cup i) - v(S))`.

        Parameters
        ----------
        method : {"exact", "sampled"}
            ``"exact"`` enumerates all ``2**n`` coalitions (``n <= EXACT_MAX_PLAYERS``), with
            one vectorised pass over a bitmask table. ``"sampled"`` averages marginal
            contributions along random orders of the players and reports standard errors.
        samples : int, default 2000
            Sampled method: number of player orders (permutations) to draw, at most.
        seed : None, int >= 0, numpy.random.SeedSequence or numpy.random.Generator, optional
            Sampled method: random seed, for reproducible estimates (anything else is a
            ParameterError, see :func:`alliance.numbers.as_generator`).
        progress : bool, optional
            Sampled method: show a progress bar (``None``: only on a terminal).
        variance_reduction : {"antithetic", "stratified", None}
            Sampled method: ``"antithetic"`` pairs each order with its reverse;
            ``"stratified"`` uses blocks of the ``n`` cyclic shifts of an order, so that in
            each block every player takes every position once; ``None`` draws plain orders.
        target_standard_error : float, optional
            Sampled method: stop early once every standard error is at most this.
        batch_size : int, optional
            Sampled method: orders evaluated per call of ``v`` (default: about 2**17
            coalitions per call).

        Returns
        -------
        Allocation
            With ``exact`` fractions for small rational games, and ``standard_errors`` when
            sampled.

        Raises
        ------
        SizeLimitError
            ``method="exact"`` with ``n > EXACT_MAX_PLAYERS``: use ``method="sampled"``.
        ParameterError
            Unknown method or variance reduction, or ``samples`` too small.

        References
        ----------
        Shapley, L. S. (1953). A value for n-person games. *Contributions to the Theory of
        Games II*, Annals of Mathematics Studies 28, 307–317.
        Castro, J., Gómez, D. & Tejada, J. (2009). Polynomial calculation of the Shapley value
        based on sampling. *Computers & Operations Research* 36(5), 1726–1730.

        Examples
        --------
        >>> from alliance.games.cooperative import glove
        >>> glove(1, 2).shapley()
        Allocation(shapley: L1=2/3, R1=1/6, R2=1/6)
        >>> x = glove(1, 2).shapley(method="sampled", samples=400, seed=1)
        >>> bool(abs(x["L1"] - 2 / 3) < 4 * x.standard_errors[0])
        True
        """
        from alliance.games.cooperative import shapley as sh

        if method == "exact":
            return sh.exact_shapley(self)
        if method == "sampled":
            return sh.sampled_shapley(
                self,
                samples=samples,
                seed=seed,
                progress=progress,
                variance_reduction=variance_reduction,
                target_standard_error=target_standard_error,
                batch_size=batch_size,
            )
        raise ParameterError(f"method is {method!r}; it must be 'exact' or 'sampled'")

    def banzhaf(self, normalized: bool = False) -> Allocation:
        r"""The Banzhaf value :math:`\beta_i = 2^{1-n} \sum_{S \not\ni i} (v(S \cup i) - v(S))`.

        Parameters
        ----------
        normalized : bool, default False
            Rescale so that the values sum to ``v(N)`` (for simple games: the normalised
            Banzhaf power index, summing to 1).

        Returns
        -------
        Allocation
            One value per player, exact when the worths are rational.

        Examples
        --------
        >>> from alliance.games.cooperative import weighted_voting
        >>> weighted_voting(51, [50, 49, 1]).banzhaf()
        Allocation(banzhaf: P1=3/4, P2=1/4, P3=1/4)

        References
        ----------
        Banzhaf, J. F. (1965). Weighted voting doesn't work: a mathematical analysis.
        *Rutgers Law Review* 19, 317–343.
        """
        from alliance.games.cooperative import shapley as sh

        return sh.exact_banzhaf(self, normalized=normalized)

    def core_is_empty(self, tol: float = 1e-9) -> bool:
        """Whether no efficient allocation satisfies every coalition (least-core epsilon > tol).

        Parameters
        ----------
        tol : float, default 1e-9
            Tolerance, relative to the largest ``|v(S)|``, >= 0.

        Returns
        -------
        bool
            ``True`` when the core is empty.

        Examples
        --------
        >>> from alliance.games.cooperative import glove
        >>> glove(1, 2).core_is_empty()
        False
        """
        from alliance.games.cooperative import core

        return core.least_core(self, tol=tol).epsilon > core.scaled_tol(self, tol)

    def in_core(self, x: Any, tol: float = 1e-9) -> CoreCheck:
        """Whether allocation ``x`` is in the core; if not, the coalition that objects most.

        Parameters
        ----------
        x : sequence of float, mapping name → float, or Allocation
            One payoff per player.
        tol : float, default 1e-9
            Absolute tolerance on each coalition's excess and on efficiency.

        Returns
        -------
        CoreCheck
            Truthy when ``x`` is in the core; otherwise names the most violated coalition.

        Examples
        --------
        >>> from alliance.games.cooperative import glove
        >>> g = glove(1, 2)
        >>> bool(g.in_core([1, 0, 0]))
        True
        >>> g.in_core([0.5, 0.25, 0.25])
        CoreCheck(not in core: {L1, R1} has excess 0.25; coalition {L1, R1} can secure 1 but gets 0.75)
        """
        from alliance.games.cooperative import core

        return core.in_core(self, x, tol=tol)

    def least_core(self, tol: float = 1e-9) -> LeastCore:
        """The least core: its ``epsilon`` and one of its allocations (unpacks as a pair).

        Parameters
        ----------
        tol : float, default 1e-9
            Tolerance, relative to the largest ``|v(S)|``, >= 0.

        Returns
        -------
        LeastCore
            ``epsilon`` (<= 0 when the core is non-empty) and one allocation of the least
            core.

        Examples
        --------
        >>> from alliance.games.cooperative import weighted_voting
        >>> eps, x = weighted_voting(2, [1, 1, 1]).least_core()
        >>> round(eps, 4), x.values.round(4).tolist()
        (0.3333, [0.3333, 0.3333, 0.3333])
        """
        from alliance.games.cooperative import core

        return core.least_core(self, tol=tol)

    def nucleolus(self, *, imputations: bool = True, tol: float = 1e-9) -> Allocation:
        """The nucleolus (Schmeidler 1969), by sequential linear programs (HiGHS).

        Parameters
        ----------
        imputations : bool, default True
            Search the imputations (``x_i >= v({i})``), as Schmeidler defines it; ``False``
            gives the prenucleolus (all efficient allocations).
        tol : float, default 1e-9
            Tolerance on duals and ranks, relative to the largest ``|v(S)|``.

        Returns
        -------
        Allocation
            The nucleolus (or prenucleolus), method ``"nucleolus"``.

        Raises
        ------
        SizeLimitError
            When ``n > NUCLEOLUS_MAX_PLAYERS`` (16): every LP carries all ``2**n - 2`` proper
            coalitions; at most ``n`` LPs are solved.

        Examples
        --------
        >>> from alliance.games.cooperative import bankruptcy
        >>> bankruptcy(200, [100, 200, 300]).nucleolus().values.round(6).tolist()
        [50.0, 75.0, 75.0]
        """
        from alliance.games.cooperative import core

        return core.nucleolus(self, imputations=imputations, tol=tol)

    def is_convex(self, tol: float = 1e-9) -> bool:
        """Whether ``v`` is supermodular (for a cost game: submodular).

        Convex games have a non-empty core that contains the Shapley value (Shapley 1971).

        Parameters
        ----------
        tol : float, default 1e-9
            Tolerance, relative to the largest ``|v(S)|``, >= 0.

        Returns
        -------
        bool
            ``True`` when every marginal contribution grows with the coalition.

        Examples
        --------
        >>> from alliance.games.cooperative import bankruptcy, glove
        >>> bankruptcy(200, [100, 200, 300]).is_convex(), glove(1, 2).is_convex()
        (True, False)
        """
        from alliance.games.cooperative import core

        return core.is_convex(self, tol=tol)

    def core_bounds(self, tol: float = 1e-9) -> pd.DataFrame:
        """Smallest and largest payoff of each player over the core (``2n`` LPs).

        Parameters
        ----------
        tol : float, default 1e-9
            Tolerance, relative to the largest ``|v(S)|``, >= 0.

        Returns
        -------
        pandas.DataFrame
            Indexed by ``player``; columns ``min`` and ``max``.

        Raises
        ------
        SolverError
            When the core is empty.

        Examples
        --------
        >>> from alliance.games.cooperative import glove
        >>> glove(1, 2).core_bounds().round(6) + 0.0  # doctest: +NORMALIZE_WHITESPACE
                min  max
        player
        L1      1.0  1.0
        R1      0.0  0.0
        R2      0.0  0.0
        """
        from alliance.games.cooperative import core

        return core.core_bounds(self, tol=tol)
