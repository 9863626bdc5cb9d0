"""Vectorised classification of parameter points by their equilibrium set.

Each candidate equilibrium (a support/basis of the symbolic enumeration) gets one bit; the
integer code of a point has the bits of the candidates whose conditions hold there. One
lambdified function computes every condition expression on whole arrays: no Python loop over
points.

Examples
--------
>>> import alliance as al, numpy as np
>>> g = al.NormalFormGame.from_payoffs(
...     {("C", "C"): (3, 3), ("C", "D"): ("s", 4), ("D", "C"): (4, "s"), ("D", "D"): (1, 1)},
...     players=("Row", "Col"), params=["s"])
>>> clf = equilibrium_set_classifier(g)
>>> codes = clf(s=np.array([0.0, 2.0]))
>>> [clf.describe(c) for c in codes]
['(D, D)', '(C, D) + (D, C) + mixed']
"""

from __future__ import annotations

import math
import weakref
from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd
import sympy as sp

from alliance.errors import ParameterError, SizeLimitError
from alliance.games.symbolic._conditions import Domain, check_range
from alliance.games.symbolic.equilibrium import DEFAULT_TOL, SymbolicEquilibrium, bind_arrays

__all__ = ["EquilibriumSetClassifier", "equilibrium_set_classifier", "cached_equilibria"]

_CACHE: dict[int, tuple[Any, list]] = {}


def cached_equilibria(game: Any) -> list[SymbolicEquilibrium]:
    """``game.equilibria()`` for a symbolic game, computed once per game object.

    Parameters
    ----------
    game : NormalFormGame
        A symbolic game (held by a weak reference: the entry goes with the game).

    Returns
    -------
    list of SymbolicEquilibrium
        The same list on every call for the same game.

    Examples
    --------
    >>> import alliance as al
    >>> g = al.NormalFormGame.from_matrices([["a", 0], [0, 1]], [["a", 0], [0, 1]],
    ...                                     params={"a": (0, 2)})
    >>> cached_equilibria(g) is cached_equilibria(g), len(cached_equilibria(g))
    (True, 3)
    """
    entry = _CACHE.get(id(game))
    if entry is not None and entry[0]() is game:
        return entry[1]
    from alliance.games import symbolic

    result = symbolic.equilibria(game)
    key = id(game)
    ref = weakref.ref(game, lambda _: _CACHE.pop(key, None))
    _CACHE[key] = (ref, result)
    return result


def _mask(values: np.ndarray, allowed: frozenset, tol: float) -> np.ndarray:
    # Comparisons are False on NaN, so a point where an expression is undefined fails.
    if allowed == frozenset({1}):
        return values > tol
    if allowed == frozenset({-1}):
        return values < -tol
    if allowed == frozenset({0}):
        return np.abs(values) <= tol
    if allowed == frozenset({0, 1}):
        return values >= -tol
    if allowed == frozenset({-1, 0}):
        return values <= tol
    if allowed == frozenset({-1, 1}):
        return np.abs(values) > tol
    if allowed == frozenset({-1, 0, 1}):
        return ~np.isnan(values)
    return np.zeros(values.shape, dtype=bool)


class EquilibriumSetClassifier:
    """Maps parameter arrays to integer codes of the equilibrium set (see module docstring).

    Calling it with one array per parameter (broadcastable) returns an ``int64`` array of
    codes; :meth:`describe` turns a code into a label such as ``"(lend, repay)"``,
    ``"mixed"`` or ``"(refuse, ·)"`` (a continuum: every mix of the other player's
    strategies). Instances pickle as expressions and compile themselves where they are used.

    Parameters
    ----------
    equilibria : sequence of SymbolicEquilibrium
        Every equilibrium of the game (:func:`cached_equilibria`).
    params : sequence of sympy.Symbol
        The game's parameters, in the order of positional arguments.
    assumptions : dict, optional
        Declared ranges, checked on every call.
    tol : float, default DEFAULT_TOL
        Absolute tolerance under which a condition expression counts as zero.

    Examples
    --------
    Made by :func:`equilibrium_set_classifier`; the coordination game gains its mixed
    equilibrium when ``a > 0``:

    >>> import alliance as al
    >>> import numpy as np
    >>> g = al.NormalFormGame.from_matrices([["a", 0], [0, 1]], [["a", 0], [0, 1]],
    ...                                     params={"a": (0, 2)})
    >>> classify = equilibrium_set_classifier(g)
    >>> codes = classify(a=np.array([0.0, 1.0]))
    >>> [classify.describe(c) for c in codes]
    ['(s1, s1) + (s2, s2)', '(s1, s1) + (s2, s2) + mixed']
    """

    def __init__(
        self,
        equilibria: Sequence[SymbolicEquilibrium],
        params: Sequence[sp.Symbol],
        assumptions: dict | None = None,
        tol: float = DEFAULT_TOL,
    ) -> None:
        self.tol = float(tol)
        self.symbols = tuple(params)
        self.params = tuple(s.name for s in self.symbols)
        self.assumptions = dict(assumptions or {})
        keys: list = []
        self.labels: list[str] = []
        cases: list[list[list[tuple[int, frozenset]]]] = []
        atom_index: dict[sp.Expr, int] = {}
        for eq in equilibria:
            if not eq.is_possible:
                continue
            if eq.key not in keys:
                keys.append(eq.key)
                self.labels.append(eq.label)
                cases.append([])
            conj = []
            for a in eq.atoms:
                conj.append((atom_index.setdefault(a.expr, len(atom_index)), a.allowed))
            cases[keys.index(eq.key)].append(conj)
        if len(keys) > 63:
            raise SizeLimitError(
                f"the game has {len(keys)} candidate equilibria; the classifier handles at most 63"
            )
        missing = {s for e in atom_index for s in e.free_symbols} - set(self.symbols)
        if missing:
            raise ParameterError(
                f"conditions use parameter(s) {', '.join(sorted(s.name for s in missing))} "
                "not among the classifier's parameters"
            )
        self.keys = keys
        self.cases = cases
        self.expressions = tuple(atom_index)
        self._fn = None

    @classmethod
    def of_game(cls, game: Any, tol: float = DEFAULT_TOL) -> EquilibriumSetClassifier:
        """The classifier of a symbolic game's equilibria.

        Parameters
        ----------
        game : NormalFormGame
            A symbolic game.
        tol : float, default DEFAULT_TOL
            Absolute tolerance of the conditions.

        Returns
        -------
        EquilibriumSetClassifier
            Over all of the game's parameters.

        Examples
        --------
        >>> import alliance as al
        >>> g = al.NormalFormGame.from_matrices([["a", 0], [0, 1]], [["a", 0], [0, 1]],
        ...                                     params={"a": (0, 2)})
        >>> EquilibriumSetClassifier.of_game(g).params
        ('a',)
        """
        return cls(cached_equilibria(game), game.params, game.assumptions, tol)

    # pickling: ship the expressions, never the lambdified function
    def __getstate__(self) -> dict:
        state = dict(self.__dict__)
        state["_fn"] = None
        return state

    def _compiled(self):
        if self._fn is None:
            self._fn = sp.lambdify(self.symbols, list(self.expressions), modules="numpy", cse=True)
        return self._fn

    def check(self, name: str, values: np.ndarray) -> None:
        """Refuse values of a parameter outside its declared range.

        Parameters
        ----------
        name : str
            The parameter.
        values : ndarray
            Its values.

        Raises
        ------
        ParameterError
            A value outside the declared range.

        Examples
        --------
        >>> import alliance as al
        >>> import numpy as np
        >>> g = al.NormalFormGame.from_matrices([["a", 0], [0, 1]], [["a", 0], [0, 1]],
        ...                                     params={"a": (0, 2)})
        >>> classify = equilibrium_set_classifier(g)
        >>> classify.check("a", np.array([3.0]))
        Traceback (most recent call last):
        ...
        alliance.errors.ParameterError: parameter 'a' = 3 contradicts its assumption range [0, 2]
        """
        symbol = self.symbols[self.params.index(name)]
        check_range(name, values, self.assumptions.get(name), symbol)

    def __call__(self, *args: Any, **kwargs: Any) -> np.ndarray:
        arrays = bind_arrays(self.params, args, kwargs)
        for name, values in arrays.items():
            if not np.all(np.isfinite(values)):
                raise ParameterError(f"values of parameter '{name}' include non-finite numbers")
            self.check(name, values)
        return self.codes(arrays)

    def codes(self, arrays: dict[str, np.ndarray]) -> np.ndarray:
        """Codes without input checks (arrays already validated).

        Parameters
        ----------
        arrays : dict of str to ndarray
            One broadcastable array per parameter.

        Returns
        -------
        ndarray of int64
            Bit ``b`` set when candidate equilibrium ``b`` exists at the point.

        Examples
        --------
        >>> import alliance as al
        >>> import numpy as np
        >>> g = al.NormalFormGame.from_matrices([["a", 0], [0, 1]], [["a", 0], [0, 1]],
        ...                                     params={"a": (0, 2)})
        >>> classify = equilibrium_set_classifier(g)
        >>> classify.codes({"a": np.array([0.0, 1.0])}).tolist()
        [3, 7]
        """
        shape = np.broadcast_shapes(*(np.shape(a) for a in arrays.values())) if arrays else ()
        raw = self._compiled()(*[arrays[n] for n in self.params]) if self.expressions else []
        values = [np.broadcast_to(np.asarray(v, dtype=float), shape) for v in raw]
        memo: dict[tuple[int, frozenset], np.ndarray] = {}
        code = np.zeros(shape, dtype=np.int64)
        for bit, candidate in enumerate(self.cases):
            hit = np.zeros(shape, dtype=bool)
            for conj in candidate:
                m = np.ones(shape, dtype=bool)
                for k, allowed in conj:
                    if (k, allowed) not in memo:
                        memo[(k, allowed)] = _mask(values[k], allowed, self.tol)
                    m &= memo[(k, allowed)]
                hit |= m
            code |= hit.astype(np.int64) << bit
        return code

    # -- labels ---------------------------------------------------------------------------
    def members(self, code: int) -> list[int]:
        """The candidate equilibria (bit positions) in the set with this code.

        Parameters
        ----------
        code : int
            A code returned by the classifier.

        Returns
        -------
        list of int
            Indices of the candidate equilibria.

        Examples
        --------
        >>> import alliance as al
        >>> import numpy as np
        >>> g = al.NormalFormGame.from_matrices([["a", 0], [0, 1]], [["a", 0], [0, 1]],
        ...                                     params={"a": (0, 2)})
        >>> classify = equilibrium_set_classifier(g)
        >>> classify.members(7)
        [0, 1, 2]
        """
        return [b for b in range(len(self.keys)) if (int(code) >> b) & 1]

    def describe(self, code: int) -> str:
        """A readable label of the equilibrium set with this code.

        Parameters
        ----------
        code : int
            A code returned by the classifier.

        Returns
        -------
        str
            ``"none"``, or the equilibria joined by ``+``.

        Examples
        --------
        >>> import alliance as al
        >>> import numpy as np
        >>> g = al.NormalFormGame.from_matrices([["a", 0], [0, 1]], [["a", 0], [0, 1]],
        ...                                     params={"a": (0, 2)})
        >>> classify = equilibrium_set_classifier(g)
        >>> classify.describe(3)
        '(s1, s1) + (s2, s2)'
        """
        members = self.members(code)
        if not members:
            return "none"
        parts: list[str] = []
        used: set[int] = set()
        two = all(isinstance(self.keys[b], tuple) and len(self.keys[b]) == 2 for b in members)
        if two:
            for side in (0, 1):
                groups: dict = {}
                for b in members:
                    if b not in used:
                        groups.setdefault(self.keys[b][side], []).append(b)
                for group in groups.values():
                    if len(group) > 1:
                        inner = self.labels[group[0]].strip("()").split(", ")
                        if len(inner) == 2:
                            inner[1 - side] = "·"
                            parts.append("(" + ", ".join(inner) + ")")
                        else:
                            parts.append(" + ".join(self.labels[b] for b in group))
                        used.update(group)
        parts += [self.labels[b] for b in members if b not in used]
        return " + ".join(parts)

    def label_table(self, codes: Any = None) -> pd.DataFrame:
        """Codes and their labels (of the given codes, or of every code seen in ``codes``).

        Parameters
        ----------
        codes : array_like of int, optional
            Codes, e.g. a classifier's output over a grid (duplicates are dropped).

        Returns
        -------
        pandas.DataFrame
            Columns ``code`` and ``equilibria``.

        Examples
        --------
        >>> import alliance as al
        >>> import numpy as np
        >>> g = al.NormalFormGame.from_matrices([["a", 0], [0, 1]], [["a", 0], [0, 1]],
        ...                                     params={"a": (0, 2)})
        >>> classify = equilibrium_set_classifier(g)
        >>> classify.label_table([7, 3, 3])["code"].tolist()
        [3, 7]
        """
        codes = np.unique(np.asarray(codes if codes is not None else [], dtype=np.int64))
        return pd.DataFrame({"code": codes, "equilibria": [self.describe(c) for c in codes]})

    def __repr__(self) -> str:
        return (
            f"EquilibriumSetClassifier({len(self.keys)} candidate equilibria, "
            f"{len(self.expressions)} condition expressions; params {', '.join(self.params)})"
        )


def equilibrium_set_classifier(
    game: Any, *, fixed: dict | None = None, tol: float = DEFAULT_TOL
) -> EquilibriumSetClassifier:
    """A vectorised classifier of parameter points by the equilibrium set of ``game``.

    Parameters
    ----------
    game : NormalFormGame
        A symbolic game.
    fixed : dict, optional
        Values of parameters held fixed (checked against their assumptions).
    tol : float
        Absolute tolerance under which a condition expression counts as zero.

    Returns
    -------
    EquilibriumSetClassifier
        Callable on one array per remaining parameter.

    Raises
    ------
    ParameterError
        If the game is numeric.

    Examples
    --------
    >>> import alliance as al
    >>> import numpy as np
    >>> g = al.NormalFormGame.from_matrices([["a", 0], [0, 1]], [["a", 0], [0, 1]],
    ...                                     params={"a": (0, 2)})
    >>> classify = equilibrium_set_classifier(g)
    >>> classify(a=np.array([0.0, 1.0])).tolist()
    [3, 7]
    """
    if not getattr(game, "is_symbolic", False):
        raise ParameterError("equilibrium_set_classifier needs a symbolic game")
    eqs = cached_equilibria(game)
    params = list(game.params)
    if fixed:
        domain = Domain.of_game(game)
        domain.check_values(fixed, field="fixed")
        eqs = [e.subs(**fixed) for e in eqs]
        params = [p for p in params if p.name not in fixed]
    if not math.isfinite(tol) or tol < 0:
        raise ParameterError(f"tol is {tol}; it must be a finite number >= 0")
    return EquilibriumSetClassifier(eqs, params, game.assumptions, tol)
