"""Result values of the normal-form solvers.

Every solver returns the same :class:`Equilibrium` type, recording how it was made (method,
exact or float, tolerance), so a notebook, a script and a CI check read results the same way.

Examples
--------
>>> import alliance as al
>>> g = al.NormalFormGame.from_matrices([[3, 0], [5, 1]], [[3, 5], [0, 1]],
...                                     players=("Row", "Col"),
...                                     strategies=(("C", "D"), ("C", "D")))
>>> eq = g.equilibria()[0]
>>> eq
Equilibrium(Row: D; Col: D | payoffs 1, 1) [vertex, exact]
>>> eq.supports
(('D',), ('D',))
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

import numpy as np
import pandas as pd

from alliance.numbers import format_number, latex_number, snake_case

__all__ = [
    "Equilibrium",
    "EquilibriumComponent",
    "EquilibriumSet",
    "format_number",
    "latex_number",
]

Number = Fraction | float | int


def _tex_text(name: str) -> str:
    return r"\text{" + name.replace("_", r"\_").replace("&", r"\&") + "}"


@dataclass(frozen=True, eq=False)
class Equilibrium:
    """A Nash equilibrium of a normal-form game.

    Parameters
    ----------
    profile : tuple of tuple
        One mixed strategy per player: the probability of each of its strategies, as
        :class:`fractions.Fraction` when ``exact`` is true, floats otherwise.
    payoffs : tuple
        Each player's expected payoff at the profile.
    players, strategies : tuple
        Labels of the game the equilibrium belongs to.
    method : str
        The solver that found it (``"pure"``, ``"vertex"``, ``"lemke_howson"``,
        ``"support"``, ...).
    exact : bool
        Whether the numbers are exact rationals.
    tol : float
        The tolerance used (0 for exact results).
    component : int or None
        In a degenerate two-player game, the index of the connected component of
        equilibria this extreme point belongs to (see :meth:`NormalFormGame.components`);
        ``None`` for an isolated equilibrium.
    extra : dict, optional
        Solver-specific details (not compared, not shown).

    Examples
    --------
    Made by the solvers of :class:`~alliance.NormalFormGame`; the prisoner's dilemma's
    only equilibrium is mutual defection:

    >>> import alliance as al
    >>> g = al.NormalFormGame.from_matrices([[3, 0], [5, 1]], [[3, 5], [0, 1]],
    ...                                     players=("Row", "Col"),
    ...                                     strategies=(("C", "D"), ("C", "D")))
    >>> eq = g.equilibria()[0]
    >>> eq.supports, eq.payoffs, eq.method, eq.exact
    ((('D',), ('D',)), (Fraction(1, 1), Fraction(1, 1)), 'vertex', True)
    """

    profile: tuple[tuple[Number, ...], ...]
    payoffs: tuple[Number, ...]
    players: tuple[str, ...]
    strategies: tuple[tuple[str, ...], ...]
    method: str
    exact: bool
    tol: float = 0.0
    component: int | None = None
    extra: dict = field(default_factory=dict, compare=False, repr=False)

    # -- access ---------------------------------------------------------------------------
    @property
    def supports(self) -> tuple[tuple[str, ...], ...]:
        """The strategies each player uses with positive probability."""
        return tuple(
            tuple(s for s, p in zip(labels, probs, strict=True) if p > self.tol)
            for labels, probs in zip(self.strategies, self.profile, strict=True)
        )

    @property
    def is_pure(self) -> bool:
        """True when every player uses a single strategy."""
        return all(len(s) == 1 for s in self.supports)

    def as_arrays(self) -> tuple[np.ndarray, ...]:
        """The profile as float arrays, one per player (the form nashpy uses).

        Returns
        -------
        tuple of ndarray
            One probability vector per player.

        Examples
        --------
        >>> import alliance as al
        >>> g = al.NormalFormGame.from_matrices([[3, 0], [5, 1]], [[3, 5], [0, 1]],
        ...                                     players=("Row", "Col"),
        ...                                     strategies=(("C", "D"), ("C", "D")))
        >>> eq = g.equilibria()[0]
        >>> [a.tolist() for a in eq.as_arrays()]
        [[0.0, 1.0], [0.0, 1.0]]
        """
        return tuple(np.array([float(p) for p in probs]) for probs in self.profile)

    def __iter__(self):
        return iter(self.as_arrays())

    def __len__(self) -> int:
        return len(self.profile)

    def __getitem__(self, player: int | str) -> dict[str, Number]:
        index = self.players.index(player) if isinstance(player, str) else int(player)
        return dict(zip(self.strategies[index], self.profile[index], strict=True))

    def same_profile(self, other: Equilibrium | Sequence, tol: float = 1e-9) -> bool:
        """Whether ``other`` (an Equilibrium or a sequence of arrays) is the same profile.

        Parameters
        ----------
        other : Equilibrium or sequence of array_like
            The profile to compare, e.g. one of nashpy's equilibria.
        tol : float, default 1e-9
            Largest absolute difference of a probability, >= 0.

        Returns
        -------
        bool
            ``True`` when every probability agrees within ``tol``.

        Examples
        --------
        >>> import alliance as al
        >>> g = al.NormalFormGame.from_matrices([[3, 0], [5, 1]], [[3, 5], [0, 1]],
        ...                                     players=("Row", "Col"),
        ...                                     strategies=(("C", "D"), ("C", "D")))
        >>> eq = g.equilibria()[0]
        >>> eq.same_profile([[0, 1], [0, 1]]), eq.same_profile([[1, 0], [0, 1]])
        (True, False)
        """
        theirs = other.as_arrays() if isinstance(other, Equilibrium) else other
        mine = self.as_arrays()
        return len(mine) == len(theirs) and all(
            np.shape(a) == np.shape(b) and np.allclose(a, b, atol=tol, rtol=0)
            for a, b in zip(mine, theirs, strict=True)
        )

    # -- display --------------------------------------------------------------------------
    def _strategy_text(self, i: int) -> str:
        probs = self.profile[i]
        used = [(s, p) for s, p in zip(self.strategies[i], probs, strict=True) if p > self.tol]
        if len(used) == 1:
            return used[0][0]
        return "(" + ", ".join(f"{s} {format_number(p)}" for s, p in used) + ")"

    def __repr__(self) -> str:
        parts = "; ".join(f"{p}: {self._strategy_text(i)}" for i, p in enumerate(self.players))
        pay = ", ".join(format_number(v) for v in self.payoffs)
        how = f"{self.method}, {'exact' if self.exact else f'tol {self.tol:g}'}"
        comp = "" if self.component is None else f", component {self.component}"
        return f"Equilibrium({parts} | payoffs {pay}) [{how}{comp}]"

    def to_frame(self) -> pd.DataFrame:
        """One row per player: the probability of each strategy and the expected payoff.

        Returns
        -------
        pandas.DataFrame
            Indexed by (``player``, ``strategy``); columns ``probability`` and ``payoff``.

        Examples
        --------
        >>> import alliance as al
        >>> g = al.NormalFormGame.from_matrices([[3, 0], [5, 1]], [[3, 5], [0, 1]],
        ...                                     players=("Row", "Col"),
        ...                                     strategies=(("C", "D"), ("C", "D")))
        >>> eq = g.equilibria()[0]
        >>> [str(p) for p in eq.to_frame()["probability"]]
        ['0', '1', '0', '1']
        """
        rows = []
        for i, player in enumerate(self.players):
            for s, p in zip(self.strategies[i], self.profile[i], strict=True):
                rows.append(
                    {"player": player, "strategy": s, "probability": p, "payoff": self.payoffs[i]}
                )
        return pd.DataFrame(rows).set_index(["player", "strategy"])

    def _repr_latex_(self) -> str:
        parts = []
        for i, player in enumerate(self.players):
            probs = ", ".join(
                f"{latex_number(p)}\\,{_tex_text(s)}"
                for s, p in zip(self.strategies[i], self.profile[i], strict=True)
                if p > self.tol
            )
            parts.append(f"{_tex_text(player)}: ({probs})")
        pay = ", ".join(latex_number(v) for v in self.payoffs)
        return "$" + r";\ ".join(parts) + r"\quad u = (" + pay + ")$"

    def _repr_html_(self) -> str:
        try:
            return self.to_frame().to_html()
        except Exception:  # a display hook must never raise
            return "<pre>" + html.escape(repr(self)) + "</pre>"


@dataclass(frozen=True, eq=False)
class EquilibriumComponent:
    """A connected component of the equilibria of a degenerate two-player game.

    A component is the union of maximal Nash subsets ("cliques" of extreme equilibria,
    Avis et al. 2010): each clique ``(I, J)`` says that every mix of the row vertices ``I``
    with every mix of the column vertices ``J`` is an equilibrium. An isolated equilibrium is
    a component with one extreme point.

    Parameters
    ----------
    extreme_points : tuple of Equilibrium
        The extreme equilibria in the component.
    cliques : tuple of (tuple of int, tuple of int)
        Each maximal Nash subset, as indices into ``row_vertices`` and ``column_vertices``.
    row_vertices, column_vertices : tuple
        The distinct strategies of each player appearing in the component.
    index : int
        The component's index in the game's list.

    Examples
    --------
    Made by :meth:`NormalFormGame.components`; here the column player is indifferent, so
    the row player's dominant strategy meets a segment of column strategies:

    >>> import alliance as al
    >>> g = al.NormalFormGame.from_matrices([[1, 1], [0, 0]], [[1, 1], [1, 1]])
    >>> [c] = g.components()
    >>> c.index, c.is_isolated, len(c.extreme_points)
    (0, False, 2)

    References
    ----------
    Avis, D., Rosenberg, G. D., Savani, R., & von Stengel, B. (2010). Enumeration of Nash
    equilibria for two-player games. *Economic Theory*, 42(1), 9–37.
    """

    extreme_points: tuple[Equilibrium, ...]
    cliques: tuple[tuple[tuple[int, ...], tuple[int, ...]], ...]
    row_vertices: tuple[tuple[Number, ...], ...]
    column_vertices: tuple[tuple[Number, ...], ...]
    index: int = 0

    @property
    def is_isolated(self) -> bool:
        """True when the component is a single equilibrium."""
        return len(self.extreme_points) == 1

    def __len__(self) -> int:
        return len(self.extreme_points)

    def __repr__(self) -> str:
        if self.is_isolated:
            return f"EquilibriumComponent(isolated: {self.extreme_points[0]!r})"
        return (
            f"EquilibriumComponent({len(self.extreme_points)} extreme points, "
            f"{len(self.cliques)} maximal Nash subset(s))"
        )

    def to_frame(self) -> pd.DataFrame:
        """The extreme points, one row each, with the probability of every strategy.

        Returns
        -------
        pandas.DataFrame
            Indexed by ``extreme point``; one column per (player, strategy).

        Examples
        --------
        >>> import alliance as al
        >>> g = al.NormalFormGame.from_matrices([[1, 1], [0, 0]], [[1, 1], [1, 1]])
        >>> g.components()[0].to_frame().shape
        (2, 4)
        """
        rows = []
        for k, eq in enumerate(self.extreme_points):
            row = {"extreme point": k}
            for i, player in enumerate(eq.players):
                for s, p in zip(eq.strategies[i], eq.profile[i], strict=True):
                    row[(player, s)] = p
            rows.append(row)
        return pd.DataFrame(rows).set_index("extreme point")

    def _repr_html_(self) -> str:
        try:
            return f"<p>{html.escape(repr(self))}</p>" + self.to_frame().to_html()
        except Exception:
            return "<pre>" + html.escape(repr(self)) + "</pre>"


class EquilibriumSet(list):
    """The equilibria a solver returned: a list that shows itself as a table in a notebook.

    It is a plain ``list`` of :class:`Equilibrium` (or symbolic equilibria), so indexing,
    ``len`` and iteration work as before; :meth:`to_frame` gives one row per equilibrium,
    indexed by its position in the list (the equilibrium's id, kept when rows are filtered),
    and Jupyter shows that table (``_repr_html_``) or the equilibria in LaTeX.

    Parameters
    ----------
    iterable : iterable of Equilibrium, optional
        The equilibria, in the solver's order.

    Examples
    --------
    >>> import alliance as al
    >>> bos = al.NormalFormGame.from_matrices([[2, 0], [0, 1]], [[1, 0], [0, 2]],
    ...                                       players=("Bank", "SME"))
    >>> eqs = bos.equilibria()
    >>> type(eqs).__name__, len(eqs)
    ('EquilibriumSet', 3)
    >>> frame = eqs.to_frame()
    >>> list(frame.columns)
    ['strategy_bank', 'strategy_sme', 'payoff_bank', 'payoff_sme', 'method']
    >>> frame.loc[1, "strategy_bank"], frame.loc[1, "payoff_bank"]
    ('(s1 2/3, s2 1/3)', '2/3')
    """

    __slots__ = ()

    def to_frame(self) -> pd.DataFrame:
        """One row per equilibrium: each player's strategy, each player's payoff, the method.

        Returns
        -------
        pandas.DataFrame
            Indexed by ``id`` (the position in the list); columns in snake_case:
            ``strategy_<player>`` and ``payoff_<player>`` for each player (the player's name
            through :func:`alliance.numbers.snake_case`, so ``"Bank"`` gives ``strategy_bank``
            and ``payoff_bank``; names that clash in snake_case get the player's position
            appended), ``conditions`` for symbolic equilibria, and ``method``.

        Examples
        --------
        >>> import alliance as al
        >>> bos = al.NormalFormGame.from_matrices([[2, 0], [0, 1]], [[1, 0], [0, 2]])
        >>> bos.equilibria().to_frame()["method"].tolist()
        ['vertex', 'vertex', 'vertex']
        """
        rows = []
        for k, eq in enumerate(self):
            row: dict[str, Any] = {"id": k}
            players = getattr(eq, "players", ())
            keys = _player_keys(players)
            for i, key in enumerate(keys):
                row[f"strategy_{key}"] = eq._strategy_text(i)
            for i, key in enumerate(keys):
                pay = eq.payoffs[i] if hasattr(eq, "payoffs") else None
                row[f"payoff_{key}"] = format_number(pay) if not _is_symbolic(pay) else str(pay)
            conditions = getattr(eq, "conditions", None)
            if conditions is not None:
                row["conditions"] = _conditions_text(conditions)
            row["method"] = getattr(eq, "method", None) or getattr(eq, "kind", "")
            rows.append(row)
        if not rows:
            return pd.DataFrame(columns=["method"]).rename_axis("id")
        return pd.DataFrame(rows).set_index("id")

    def _repr_html_(self) -> str:
        try:
            head = f"<p>{len(self)} equilibri{'um' if len(self) == 1 else 'a'}</p>"
            return head + self.to_frame().to_html()
        except Exception:  # a display hook must never raise
            return "<pre>" + html.escape(list.__repr__(self)) + "</pre>"

    def _repr_latex_(self) -> str | None:
        try:
            items = [eq._repr_latex_().strip("$") for eq in self]
        except Exception:  # a display hook must never raise
            return None
        if not items:
            return r"$\text{no equilibrium}$"
        return r"$\begin{array}{l}" + r" \\ ".join(items) + r"\end{array}$"


def _player_keys(players: Sequence[str]) -> list[str]:
    """The players' names in snake_case, for column names; made distinct when they clash.

    Two names that differ only in case or punctuation (``"SME 1"`` and ``"sme_1"``) would
    give one column and lose a player, so clashing names get their position appended.

    Parameters
    ----------
    players : sequence of str
        The players' names, in the game's order.

    Returns
    -------
    list of str
        One snake_case key per player, all distinct.

    Examples
    --------
    >>> _player_keys(["Bank", "SME (2)"]), _player_keys(["SME 1", "sme_1"])
    (['bank', 'sme_2'], ['sme_1_1', 'sme_1_2'])
    """
    keys = [snake_case(str(p)) or f"player_{i + 1}" for i, p in enumerate(players)]
    clash = {k for k in keys if keys.count(k) > 1}
    return [f"{k}_{i + 1}" if k in clash else k for i, k in enumerate(keys)]


def _is_symbolic(value: Any) -> bool:
    return hasattr(value, "free_symbols")


def _conditions_text(conditions: Any) -> str:
    # Economists read "for all parameter values", not SymPy's "True"
    if conditions is True or str(conditions) == "True":
        return "for all parameter values"
    if conditions is False or str(conditions) == "False":
        return "for no parameter values"
    return str(conditions)
