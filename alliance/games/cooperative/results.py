"""Result values of the cooperative-game solvers.

Every solution concept returns an :class:`Allocation` (one payoff per player, with standard
errors when it was estimated), core membership returns a :class:`CoreCheck`, and the least
core a :class:`LeastCore`. All are frozen values with a readable ``repr``, ``_repr_latex_``,
``_repr_html_`` and ``to_frame()``.

Examples
--------
>>> import numpy as np
>>> x = Allocation(np.array([1.0, 0.5]), ("Bank", "Guarantor"), method="shapley")
>>> x
Allocation(shapley: Bank=1, Guarantor=0.5)
>>> x["Guarantor"], x[0]
(0.5, 1.0)
"""

from __future__ import annotations

import html
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from fractions import Fraction
from types import MappingProxyType
from typing import Any

import numpy as np
import pandas as pd

from alliance.games.results import format_number, latex_number

__all__ = ["Allocation", "CoreCheck", "LeastCore"]


# One number format for every result type of the engine.
_fmt = format_number
_tex_number = latex_number


def _tex_text(name: str) -> str:
    for char, escaped in (("\\", r"\backslash "), ("_", r"\_"), ("&", r"\&"), ("%", r"\%")):
        name = name.replace(char, escaped)
    return r"\text{" + name + "}"


def _frozen_array(values: Any) -> np.ndarray:
    arr = np.array(values, dtype=float)
    arr.setflags(write=False)
    return arr


@dataclass(frozen=True, eq=False)
class Allocation:
    """A division of a coalition's worth among the players (a payoff vector).

    Parameters
    ----------
    values : numpy.ndarray
        Payoff of each player, in the units of the characteristic function (read-only floats).
    players : tuple of str
        Player names, in the order of ``values``.
    method : str
        The solution concept: ``"shapley"``, ``"banzhaf"``, ``"nucleolus"``, ``"least core"``...
    standard_errors : numpy.ndarray or None
        Monte Carlo standard error of each value when the allocation was estimated by
        sampling; ``None`` when it was computed exactly.
    exact : tuple of fractions.Fraction or None
        The values as exact fractions when the game's worths are rational and the method is
        exact (e.g. the Shapley value of a game given by a dict of integers); ``None`` otherwise.
    details : Mapping
        How the allocation was made: algorithm, samples, seed, variance reduction, ...

    Raises
    ------
    ValueError
        Values and players of different lengths.

    Examples
    --------
    >>> import numpy as np
    >>> x = Allocation(np.array([2.0, 1.0]), ("A", "B"), method="shapley",
    ...                standard_errors=np.array([0.1, 0.1]))
    >>> x.to_frame()  # doctest: +NORMALIZE_WHITESPACE
            value  standard_error     share
    player
    A         2.0             0.1  0.666667
    B         1.0             0.1  0.333333
    """

    values: np.ndarray
    players: tuple[str, ...]
    method: str = "allocation"
    standard_errors: np.ndarray | None = None
    exact: tuple[Fraction, ...] | None = None
    details: Mapping[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        object.__setattr__(self, "values", _frozen_array(self.values))
        object.__setattr__(self, "players", tuple(str(p) for p in self.players))
        if self.standard_errors is not None:
            object.__setattr__(self, "standard_errors", _frozen_array(self.standard_errors))
        if self.exact is not None:
            object.__setattr__(self, "exact", tuple(Fraction(v) for v in self.exact))
        object.__setattr__(self, "details", MappingProxyType(dict(self.details)))
        if self.values.shape != (len(self.players),):
            raise ValueError(
                f"values has shape {self.values.shape}; it must be ({len(self.players)},), "
                "one value per player"
            )

    # -- access -------------------------------------------------------------------------
    def _index(self, key: int | str) -> int:
        if isinstance(key, str):
            try:
                return self.players.index(key)
            except ValueError:
                raise KeyError(f"player {key!r} is not one of {self.players}") from None
        return range(len(self.players))[key]

    def __getitem__(self, key: int | str) -> float:
        return float(self.values[self._index(key)])

    def __len__(self) -> int:
        return len(self.players)

    def __iter__(self) -> Iterator[float]:
        return iter(float(v) for v in self.values)

    def __array__(self, dtype: Any = None, copy: Any = None) -> np.ndarray:
        return np.array(self.values, dtype=dtype)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Allocation):
            return NotImplemented
        return (
            self.players == other.players
            and self.method == other.method
            and np.array_equal(self.values, other.values)
        )

    __hash__ = None  # type: ignore[assignment]

    @property
    def total(self) -> float:
        """Sum of the payoffs (``v(N)`` for an efficient allocation)."""
        return float(self.values.sum())

    def to_dict(self) -> dict[str, float]:
        """Player name → value.

        Returns
        -------
        dict
            Player name -> float.

        Examples
        --------
        >>> from alliance.games.cooperative import glove
        >>> {p: round(v, 4) for p, v in glove(1, 2).shapley().to_dict().items()}
        {'L1': 0.6667, 'R1': 0.1667, 'R2': 0.1667}
        """
        return {p: float(v) for p, v in zip(self.players, self.values)}

    def to_frame(self) -> pd.DataFrame:
        """One row per player: ``value``, ``standard_error`` (if sampled), ``share`` of the total.

        Returns
        -------
        pandas.DataFrame
            Indexed by ``player``; ``share`` is NaN when the total is 0.

        Examples
        --------
        >>> from alliance.games.cooperative import glove
        >>> glove(1, 2).shapley().to_frame()["share"].round(4).tolist()
        [0.6667, 0.1667, 0.1667]
        """
        data: dict[str, Any] = {"value": self.values}
        if self.standard_errors is not None:
            data["standard_error"] = self.standard_errors
        total = self.values.sum()
        data["share"] = self.values / total if total != 0 else np.full(len(self), np.nan)
        return pd.DataFrame(data, index=pd.Index(self.players, name="player"))

    # -- display ------------------------------------------------------------------------
    def _entries(self) -> list[Any]:
        return list(self.exact) if self.exact is not None else [float(v) for v in self.values]

    def __repr__(self) -> str:
        parts = []
        for i, (p, v) in enumerate(zip(self.players, self._entries())):
            text = f"{p}={_fmt(v)}"
            if self.standard_errors is not None:
                text += f" ± {_fmt(self.standard_errors[i], 2)}"
            parts.append(text)
        return f"Allocation({self.method}: {', '.join(parts)})"

    def _repr_latex_(self) -> str:
        cells = []
        for i, (p, v) in enumerate(zip(self.players, self._entries())):
            cell = rf"{_tex_text(p)} = {_tex_number(v)}"
            if self.standard_errors is not None:
                cell += rf" \pm {_fmt(self.standard_errors[i], 2)}"
            cells.append(cell)
        return rf"$\text{{{self.method}}}:\ " + r",\ ".join(cells) + "$"

    def _repr_html_(self) -> str:
        try:
            return f"<p>{html.escape(self.method)}</p>" + self.to_frame().to_html()
        except Exception:  # a notebook display must never raise
            return "<pre>" + html.escape(repr(self)) + "</pre>"


@dataclass(frozen=True)
class CoreCheck:
    """Whether an allocation lies in the core, and if not, which coalition objects most.

    ``bool(check)`` is true when the allocation is in the core (within ``tol``).

    Parameters
    ----------
    in_core : bool
        The verdict.
    most_violated : tuple of str or None
        Player names of the coalition with the largest excess ``v(S) - x(S)`` among the
        coalitions that object (``None`` when the allocation is in the core). When the
        allocation is not efficient, the grand coalition.
    excess : float
        Excess of that coalition, ``v(S) - x(S)`` (for a cost game ``x(S) - c(S)``): positive
        means the coalition would gain by leaving. When in the core, the largest excess over
        proper coalitions (at most ``tol``).
    reason : str
        A sentence an economist can read.

    Examples
    --------
    Made by :meth:`CooperativeGame.in_core`; in the glove game the left glove's owner takes
    the whole worth in the core:

    >>> from alliance.games.cooperative import glove
    >>> check = glove(1, 2).in_core([0.5, 0.25, 0.25])
    >>> bool(check), check.most_violated
    (False, ('L1', 'R1'))
    """

    in_core: bool
    most_violated: tuple[str, ...] | None
    excess: float
    reason: str = ""

    def __bool__(self) -> bool:
        return self.in_core

    def __repr__(self) -> str:
        if self.in_core:
            return f"CoreCheck(in core; largest excess {_fmt(self.excess)})"
        who = "{" + ", ".join(self.most_violated or ()) + "}"
        return f"CoreCheck(not in core: {who} has excess {_fmt(self.excess)}; {self.reason})"

    def _repr_latex_(self) -> str:
        if self.in_core:
            return rf"$\text{{in core; largest excess }} {_tex_number(self.excess)}$"
        who = r"\{" + ", ".join(_tex_text(p) for p in self.most_violated or ()) + r"\}"
        return rf"$\text{{not in core: }} e({who}, x) = {_tex_number(self.excess)}$"

    def _repr_html_(self) -> str:
        return "<pre>" + html.escape(repr(self)) + "</pre>"

    def to_frame(self) -> pd.DataFrame:
        """A one-row table of the verdict.

        Returns
        -------
        pandas.DataFrame
            Columns ``in_core``, ``most_violated`` (names joined by commas) and ``excess``.

        Examples
        --------
        >>> from alliance.games.cooperative import glove
        >>> glove(1, 2).in_core([0.5, 0.25, 0.25]).to_frame()
           in_core most_violated  excess
        0    False        L1, R1    0.25
        """
        return pd.DataFrame(
            {
                "in_core": [self.in_core],
                "most_violated": [
                    None if self.most_violated is None else ", ".join(self.most_violated)
                ],
                "excess": [self.excess],
            }
        )


@dataclass(frozen=True)
class LeastCore:
    """The least core: the smallest ``epsilon`` with ``v(S) - x(S) <= epsilon`` for all proper S.

    Unpacks as a pair: ``epsilon, x = game.least_core()``.

    Parameters
    ----------
    epsilon : float
        The least-core value; the core is empty exactly when it is positive.
    allocation : Allocation
        A point of the least core (the vertex the LP solver returned; the nucleolus is the
        canonical point, :meth:`CooperativeGame.nucleolus`).

    Examples
    --------
    Majority voting among three has an empty core (every pair can outvote the third):

    >>> from alliance.games.cooperative import weighted_voting
    >>> lc = weighted_voting(2, [1, 1, 1]).least_core()
    >>> round(lc.epsilon, 4), lc.core_is_empty
    (0.3333, True)
    """

    epsilon: float
    allocation: Allocation

    def __iter__(self) -> Iterator[Any]:
        return iter((self.epsilon, self.allocation))

    @property
    def core_is_empty(self) -> bool:
        """True when ``epsilon`` is positive (beyond the tolerance recorded in the details)."""
        return self.epsilon > float(self.allocation.details.get("tolerance", 0.0))

    def __repr__(self) -> str:
        return f"LeastCore(epsilon={_fmt(self.epsilon)}, {self.allocation!r})"

    def _repr_latex_(self) -> str:
        body = self.allocation._repr_latex_().strip("$")
        return rf"$\varepsilon = {_fmt(self.epsilon)};\ {body}$"

    def _repr_html_(self) -> str:
        try:
            return f"<p>epsilon = {html.escape(_fmt(self.epsilon))}</p>" + (
                self.allocation._repr_html_()
            )
        except Exception:
            return "<pre>" + html.escape(repr(self)) + "</pre>"

    def to_frame(self) -> pd.DataFrame:
        """The allocation's table with an ``epsilon`` column.

        Returns
        -------
        pandas.DataFrame
            As :meth:`Allocation.to_frame`, plus ``epsilon`` on every row.

        Examples
        --------
        >>> from alliance.games.cooperative import weighted_voting
        >>> frame = weighted_voting(2, [1, 1, 1]).least_core().to_frame()
        >>> list(frame.columns), round(float(frame["epsilon"].iloc[0]), 4)
        (['value', 'share', 'epsilon'], 0.3333)
        """
        frame = self.allocation.to_frame()
        frame["epsilon"] = self.epsilon
        return frame
