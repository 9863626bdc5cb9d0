"""Sequential games of perfect information, with chance nodes, solved by backward induction.

Build a tree from :class:`Decision`, :class:`Chance` and :class:`Leaf` nodes and wrap it in
a :class:`SequentialGame` (alias :data:`GameTree`). Payoffs and chance probabilities may be
numbers, SymPy expressions or strings (parsed safely against the declared parameters).

``backward_induction()`` returns the subgame-perfect equilibrium of a numeric game, and for a
symbolic game a :class:`PiecewiseSolution`: one :class:`SPEBranch` per case, each with the
conditions on the parameters that select its actions. Ties are broken in favour of the action
listed first, in both, so the branch that holds at a point gives exactly the numeric answer.

Examples
--------
>>> g = SequentialGame(
...     Decision("Bank", {"lend": Decision("SME", {"repay": Leaf(("r", "R - r")),
...                                                "default": Leaf((-1, "R"))}),
...                       "refuse": Leaf((0, 0))}),
...     players=("Bank", "SME"), params={"r": "positive", "R": "positive"})
>>> g.backward_induction().path
(('Bank', 'refuse'),)
>>> g.subs(r=0.1, R=2).to_normal_form().strategies
(('lend', 'refuse'), ('repay', 'default'))
"""

from __future__ import annotations

import html
import itertools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

import numpy as np
import pandas as pd
import sympy as sp

from alliance.errors import InvalidGameError, ParameterError
from alliance.expr import parse_expression
from alliance.games.symbolic._conditions import Case, Domain, exact_sign
from alliance.numbers import to_sympy

__all__ = [
    "Leaf",
    "Decision",
    "Chance",
    "SequentialGame",
    "GameTree",
    "SubgamePerfectEquilibrium",
    "SPEBranch",
    "PiecewiseSolution",
]

_POS = frozenset({1})
_GE = frozenset({0, 1})


@dataclass(frozen=True)
class Leaf:
    """A terminal node: one payoff per player.

    Parameters
    ----------
    payoffs : tuple
        One payoff per player, in the game's player order (numbers, SymPy expressions or
        strings parsed safely).
    label : str, optional
        A name shown on drawings.

    Examples
    --------
    >>> Leaf((1, "R - r")).payoffs
    (1, 'R - r')
    """

    payoffs: tuple
    label: str | None = None


@dataclass(frozen=True)
class Decision:
    """A node where ``player`` chooses one of ``actions`` (ordered dict action → child).

    Parameters
    ----------
    player : str
        Who moves (one of the game's players).
    actions : Mapping
        Action name -> child node, in the order that breaks ties.
    label : str, optional
        A name shown on drawings.

    Examples
    --------
    >>> node = Decision("SME", {"repay": Leaf((1, 1)), "default": Leaf((-1, 2))})
    >>> node.player, list(node.actions)
    ('SME', ['repay', 'default'])
    """

    player: str
    actions: Mapping[str, Any]
    label: str | None = None


@dataclass(frozen=True)
class Chance:
    """A chance node: ``outcomes`` maps an outcome name to ``(probability, child)``.

    Parameters
    ----------
    outcomes : Mapping
        Outcome name -> ``(probability, child)``; probabilities in [0, 1] summing to 1.
    label : str, optional
        A name shown on drawings.

    Examples
    --------
    A project that succeeds with probability ``p``:

    >>> g = SequentialGame(Chance({"success": ("p", Leaf((2,))), "failure": ("1 - p", Leaf((0,)))}),
    ...                    players=("Bank",), params={"p": "probability"})
    >>> g.subs(p=0.5).backward_induction().payoffs
    (1.0,)
    """

    outcomes: Mapping[str, tuple]
    label: str | None = None


Node = Leaf | Decision | Chance


def node_name(path: tuple[str, ...]) -> str:
    """The name of a node of a game tree: its path of actions joined by ``/`` (``root``)."""
    return "/".join(path) if path else "root"


def _number(v: sp.Expr) -> Any:
    if v.is_Rational:
        return Fraction(int(v.p), int(v.q))
    return float(v)


# ------------------------------------------------------------------ results
@dataclass(frozen=True, eq=False)
class SubgamePerfectEquilibrium:
    """The backward-induction solution of a numeric sequential game.

    Parameters
    ----------
    strategies : dict
        Player → {node name: action} at every node of that player (a full strategy).
    path : tuple of (str, str)
        The equilibrium path: (player or "chance", action or outcome) — chance nodes on the
        path list every outcome in order, the path follows the first.
    payoffs : tuple
        Expected payoffs at the root.
    profile : tuple of str
        The reduced normal-form strategy of each player (see
        :meth:`SequentialGame.to_normal_form`).
    players : tuple of str, optional
        The game's players.

    Examples
    --------
    Made by :meth:`SequentialGame.backward_induction` on a numeric game:

    >>> g = SequentialGame(
    ...     Decision("Bank", {"lend": Decision("SME", {"repay": Leaf(("r", "R - r")),
    ...                                                "default": Leaf((-1, "R - F"))}),
    ...                       "refuse": Leaf((0, 0))}),
    ...     players=("Bank", "SME"),
    ...     params={"r": "positive", "R": "positive", "F": "nonnegative"})
    >>> spe = g.subs(r=0.1, R=2, F=1).backward_induction()
    >>> spe.path, spe.payoffs
    ((('Bank', 'lend'), ('SME', 'repay')), (0.1, 1.9))
    """

    strategies: dict
    path: tuple
    payoffs: tuple
    profile: tuple
    players: tuple[str, ...] = field(repr=False, default=())

    def to_frame(self) -> pd.DataFrame:
        """One row per decision node: the player, the node's name and the action chosen.

        Returns
        -------
        pandas.DataFrame
            Columns ``player``, ``node``, ``action``.

        Examples
        --------
        >>> g = SequentialGame(
        ...     Decision("Bank", {"lend": Decision("SME", {"repay": Leaf(("r", "R - r")),
        ...                                                "default": Leaf((-1, "R - F"))}),
        ...                       "refuse": Leaf((0, 0))}),
        ...     players=("Bank", "SME"),
        ...     params={"r": "positive", "R": "positive", "F": "nonnegative"})
        >>> spe = g.subs(r=0.1, R=2, F=1).backward_induction()
        >>> spe.to_frame()["action"].tolist()
        ['lend', 'repay']
        """
        rows = [
            {"player": p, "node": n, "action": a}
            for p, plan in self.strategies.items()
            for n, a in plan.items()
        ]
        return pd.DataFrame(rows)

    def __repr__(self) -> str:
        path = " → ".join(f"{p}: {a}" for p, a in self.path)
        pay = ", ".join(str(v) for v in self.payoffs)
        return f"SubgamePerfectEquilibrium({path} | payoffs {pay})"

    def _repr_latex_(self) -> str:
        path = r" \to ".join(rf"\text{{{p}: {a}}}" for p, a in self.path)
        pay = ", ".join(
            sp.latex(sp.nsimplify(v) if isinstance(v, float) else v) for v in self.payoffs
        )
        return f"${path}\\quad u = ({pay})$"

    def _repr_html_(self) -> str:
        try:
            return f"<p>{html.escape(repr(self))}</p>" + self.to_frame().to_html()
        except Exception:  # a display hook must never raise
            return "<pre>" + html.escape(object.__repr__(self)) + "</pre>"


@dataclass(frozen=True, eq=False)
class SPEBranch:
    """One case of a symbolic backward induction: where it holds and what is played.

    Parameters
    ----------
    conditions : sympy.Boolean
        Where the case holds.
    strategies : dict
        Player -> {node name: action}.
    path : tuple of (str, str)
        The equilibrium path in this case.
    payoffs : tuple
        Expected payoffs at the root (expressions).
    is_boundary : bool
        Whether the case is a tie (an equality of payoffs).
    atoms : tuple, optional
        The sign conditions the case is made of (used by :meth:`holds_at`).
    domain : Domain, optional
        The parameters' declared ranges.

    Examples
    --------
    >>> g = SequentialGame(
    ...     Decision("Bank", {"lend": Decision("SME", {"repay": Leaf(("r", "R - r")),
    ...                                                "default": Leaf((-1, "R - F"))}),
    ...                       "refuse": Leaf((0, 0))}),
    ...     players=("Bank", "SME"),
    ...     params={"r": "positive", "R": "positive", "F": "nonnegative"})
    >>> sol = g.backward_induction()
    >>> sol.branches[0]
    SPEBranch(Bank: lend → SME: repay | if F >= r)
    """

    conditions: Any
    strategies: dict
    path: tuple
    payoffs: tuple
    is_boundary: bool
    atoms: tuple = field(repr=False, default=())
    domain: Domain | None = field(repr=False, default=None)

    def holds_at(self, tol: float = 1e-9, **values: Any) -> bool:
        """Whether this branch's conditions hold at a parameter point (exact for rationals).

        Parameters
        ----------
        tol : float, default 1e-9
            Float values within ``tol`` of a boundary count as on it.
        **values : float
            A value for every parameter the conditions use, checked against the declared
            ranges.

        Returns
        -------
        bool
            ``True`` when every condition of the case holds.

        Examples
        --------
        >>> g = SequentialGame(
        ...     Decision("Bank", {"lend": Decision("SME", {"repay": Leaf(("r", "R - r")),
        ...                                                "default": Leaf((-1, "R - F"))}),
        ...                       "refuse": Leaf((0, 0))}),
        ...     players=("Bank", "SME"),
        ...     params={"r": "positive", "R": "positive", "F": "nonnegative"})
        >>> sol = g.backward_induction()
        >>> sol.branches[0].holds_at(r=0.1, R=2, F=1), sol.branches[1].holds_at(r=0.1, R=2, F=1)
        (True, False)
        """
        needed = set()
        for a in self.atoms:
            needed |= a.expr.free_symbols
        subs = self.domain.check_values(values, field="values", require=needed)
        return all(exact_sign(a.expr, subs, tol) in a.allowed for a in self.atoms)

    def __repr__(self) -> str:
        path = " → ".join(f"{p}: {a}" for p, a in self.path)
        tag = ", boundary" if self.is_boundary else ""
        return f"SPEBranch({path} | if {self.conditions}{tag})"

    def _repr_latex_(self) -> str:
        path = r" \to ".join(rf"\text{{{p}: {a}}}" for p, a in self.path)
        return f"${path}\\quad\\text{{if}}\\quad {sp.latex(self.conditions)}$"


@dataclass(frozen=True, eq=False)
class PiecewiseSolution:
    """The subgame-perfect solution of a symbolic game, case by case.

    Parameters
    ----------
    branches : tuple of SPEBranch
        The cases; their conditions partition the parameter space.
    players : tuple of str
        The game's players.

    Examples
    --------
    The SME repays when the sanction ``F`` exceeds the interest ``r``; otherwise the bank
    refuses:

    >>> g = SequentialGame(
    ...     Decision("Bank", {"lend": Decision("SME", {"repay": Leaf(("r", "R - r")),
    ...                                                "default": Leaf((-1, "R - F"))}),
    ...                       "refuse": Leaf((0, 0))}),
    ...     players=("Bank", "SME"),
    ...     params={"r": "positive", "R": "positive", "F": "nonnegative"})
    >>> sol = g.backward_induction()
    >>> sol
    PiecewiseSolution(
      SPEBranch(Bank: lend → SME: repay | if F >= r)
      SPEBranch(Bank: refuse | if F < r)
    )
    """

    branches: tuple[SPEBranch, ...]
    players: tuple[str, ...]

    def at(self, **values: Any) -> SPEBranch:
        """The branch whose conditions hold at a parameter point.

        Parameters
        ----------
        **values : float
            A value for every parameter the conditions use, checked against the declared
            ranges.

        Returns
        -------
        SPEBranch
            The first branch that holds.

        Examples
        --------
        >>> g = SequentialGame(
        ...     Decision("Bank", {"lend": Decision("SME", {"repay": Leaf(("r", "R - r")),
        ...                                                "default": Leaf((-1, "R - F"))}),
        ...                       "refuse": Leaf((0, 0))}),
        ...     players=("Bank", "SME"),
        ...     params={"r": "positive", "R": "positive", "F": "nonnegative"})
        >>> sol = g.backward_induction()
        >>> sol.at(r=0.1, R=2, F=0).path
        (('Bank', 'refuse'),)
        """
        for b in self.branches:
            if b.holds_at(**values):
                return b
        raise ParameterError(f"no branch holds at {values}")  # pragma: no cover - partition

    @property
    def path(self) -> tuple | None:
        """The path when every branch shares it (else None)."""
        paths = {b.path for b in self.branches}
        return paths.pop() if len(paths) == 1 else None

    def __iter__(self):
        return iter(self.branches)

    def __len__(self) -> int:
        return len(self.branches)

    def to_frame(self) -> pd.DataFrame:
        """One row per case: the path, its conditions, the payoffs, whether it is a tie.

        Returns
        -------
        pandas.DataFrame
            Columns ``path``, ``conditions``, ``payoffs``, ``boundary``.

        Examples
        --------
        >>> g = SequentialGame(
        ...     Decision("Bank", {"lend": Decision("SME", {"repay": Leaf(("r", "R - r")),
        ...                                                "default": Leaf((-1, "R - F"))}),
        ...                       "refuse": Leaf((0, 0))}),
        ...     players=("Bank", "SME"),
        ...     params={"r": "positive", "R": "positive", "F": "nonnegative"})
        >>> sol = g.backward_induction()
        >>> sol.to_frame()["conditions"].tolist()
        ['F >= r', 'F < r']
        """
        return pd.DataFrame(
            {
                "path": [" → ".join(f"{p}: {a}" for p, a in b.path) for b in self.branches],
                "conditions": [str(b.conditions) for b in self.branches],
                "payoffs": [b.payoffs for b in self.branches],
                "boundary": [b.is_boundary for b in self.branches],
            }
        )

    def __repr__(self) -> str:
        return "PiecewiseSolution(\n" + "\n".join(f"  {b!r}" for b in self.branches) + "\n)"

    def _repr_latex_(self) -> str:
        rows = [b._repr_latex_().strip("$") for b in self.branches]
        return r"$\begin{cases}" + r" \\ ".join(rows) + r"\end{cases}$"

    def _repr_html_(self) -> str:
        try:
            return self.to_frame().to_html()
        except Exception:  # a display hook must never raise
            return "<pre>" + html.escape(object.__repr__(self)) + "</pre>"


# ------------------------------------------------------------------ the game
class SequentialGame:
    """A finite game tree of perfect information with chance nodes.

    Parameters
    ----------
    root : Decision, Chance or Leaf
        The tree.
    players : sequence of str
        Player names; payoff tuples at leaves follow this order.
    params : mapping or iterable, optional
        Declared parameters (as for :class:`~alliance.games.normal_form.NormalFormGame`):
        names, or name → ``"real"``, ``"positive"``, ``"nonnegative"``, ``"probability"``
        or ``(lo, hi)``.
    title : str, optional
        A name for the game.

    Raises
    ------
    InvalidGameError
        Unknown players, wrong payoff lengths, probabilities that are not in [0, 1] or do not
        sum to 1, empty action sets.

    Examples
    --------
    >>> g = SequentialGame(
    ...     Decision("Bank", {"lend": Decision("SME", {"repay": Leaf(("r", "R - r")),
    ...                                                "default": Leaf((-1, "R - F"))}),
    ...                       "refuse": Leaf((0, 0))}),
    ...     players=("Bank", "SME"),
    ...     params={"r": "positive", "R": "positive", "F": "nonnegative"})
    >>> g.params
    (F, R, r)
    """

    def __init__(
        self, root: Node, players: Sequence[str], *, params: Any = None, title: str | None = None
    ) -> None:
        from alliance.games.normal_form import check_players, declare_parameters

        self.players = check_players(players, len(players) if not isinstance(players, str) else 1)
        self._symbols, self.assumptions = declare_parameters(params)
        self._strict = params is not None
        self.title = title
        self.root = self._convert(root, ())
        used: set = set()
        self._collect(self.root, used)
        self.params = tuple(sorted(used, key=lambda s: s.name))
        self.domain = Domain(self.params, self.assumptions)
        self._check_probabilities(self.root, ())

    @property
    def symbols(self) -> dict[str, sp.Symbol]:
        """The declared parameters by name."""
        return dict(self._symbols)

    @property
    def is_symbolic(self) -> bool:
        """Whether some payoff or probability has a free parameter."""
        return bool(self.params)

    # -- construction ---------------------------------------------------------------------
    def _expr(self, v: Any, where: str) -> sp.Expr:
        if isinstance(v, str):
            if not self._strict:
                # trusted code without declared parameters: any plain name becomes one (the
                # branch below registers new symbols and rebinds known ones)
                return self._expr(parse_expression(v, None, field=where), where)
            return parse_expression(v, self._symbols, field=where)
        if isinstance(v, sp.Basic):
            if not isinstance(v, sp.Expr):
                raise InvalidGameError(f"{where} is {v!r}; it must be a number or an expression")
            for s in v.free_symbols:
                if s.name not in self._symbols:
                    if self._strict:
                        raise InvalidGameError(f"{where} uses undeclared parameter '{s.name}'")
                    self._symbols[s.name] = s
            return v.xreplace({s: self._symbols[s.name] for s in v.free_symbols})
        if isinstance(v, bool) or not isinstance(
            v, (int, float, Fraction, np.integer, np.floating)
        ):
            raise InvalidGameError(f"{where} is {v!r}; it must be a number or an expression")
        if isinstance(v, (Fraction, int, np.integer)):
            return to_sympy(v)
        if not np.isfinite(v):
            raise InvalidGameError(f"{where} is {v}; it must be finite")
        return sp.Rational(int(v)) if float(v).is_integer() else to_sympy(v, exact=False)

    def _convert(self, node: Any, path: tuple[str, ...]) -> Node:
        where = node_name(path)
        if isinstance(node, Leaf):
            pay = node.payoffs
            if (
                isinstance(pay, (str, bytes))
                or not isinstance(pay, Sequence)
                or len(pay) != len(self.players)
            ):
                raise InvalidGameError(
                    f"leaf {where} has payoffs {pay!r}; it needs one per player {self.players}"
                )
            return Leaf(
                tuple(
                    self._expr(v, f"payoff of {p} at leaf {where}")
                    for v, p in zip(pay, self.players, strict=True)
                ),
                node.label,
            )
        if isinstance(node, Decision):
            if node.player not in self.players:
                raise InvalidGameError(
                    f"node {where} is moved by {node.player!r}, not one of {self.players}"
                )
            if not isinstance(node.actions, Mapping) or not node.actions:
                raise InvalidGameError(f"node {where} has no actions")
            return Decision(
                node.player,
                {a: self._convert(c, path + (a,)) for a, c in node.actions.items()},
                node.label,
            )
        if isinstance(node, Chance):
            if not isinstance(node.outcomes, Mapping) or not node.outcomes:
                raise InvalidGameError(f"chance node {where} has no outcomes")
            out = {}
            for o, pair in node.outcomes.items():
                if not isinstance(pair, tuple) or len(pair) != 2:
                    raise InvalidGameError(
                        f"outcome {o!r} of chance node {where} must be (probability, node)"
                    )
                out[o] = (
                    self._expr(pair[0], f"probability of {o!r} at {where}"),
                    self._convert(pair[1], path + (o,)),
                )
            return Chance(out, node.label)
        raise InvalidGameError(
            f"node {where} is a {type(node).__name__}; use Decision, Chance or Leaf"
        )

    def _collect(self, node: Node, used: set) -> None:
        if isinstance(node, Leaf):
            for v in node.payoffs:
                used |= v.free_symbols
        elif isinstance(node, Decision):
            for c in node.actions.values():
                self._collect(c, used)
        else:
            for p, c in node.outcomes.values():
                used |= p.free_symbols
                self._collect(c, used)

    def _check_probabilities(self, node: Node, path: tuple[str, ...]) -> None:
        if isinstance(node, Decision):
            for a, c in node.actions.items():
                self._check_probabilities(c, path + (a,))
        elif isinstance(node, Chance):
            where = node_name(path)
            total = sp.Add(*[p for p, _ in node.outcomes.values()])
            if sp.simplify(total - 1) != 0:
                raise InvalidGameError(
                    f"probabilities at chance node {where} sum to {total}, not 1"
                )
            for o, (p, c) in node.outcomes.items():
                signs = self.domain.signs(p) if p.free_symbols else None
                if (p.is_number and not 0 <= float(p) <= 1) or (
                    signs is not None and signs == {-1}
                ):
                    raise InvalidGameError(
                        f"probability of {o!r} at chance node {where} is {p}; it must lie in [0, 1]"
                    )
                self._check_probabilities(c, path + (o,))

    def subs(self, values: Mapping[str, Any] | None = None, **kwargs: Any) -> SequentialGame:
        """Substitute parameter values (checked against their assumptions).

        Parameters
        ----------
        values : Mapping, optional
            Parameter name -> number or expression.
        **kwargs
            The same, as keywords.

        Returns
        -------
        SequentialGame
            The game with the values substituted.

        Raises
        ------
        ParameterError
            An unknown name or a value outside a declared range.

        Examples
        --------
        >>> g = SequentialGame(
        ...     Decision("Bank", {"lend": Decision("SME", {"repay": Leaf(("r", "R - r")),
        ...                                                "default": Leaf((-1, "R - F"))}),
        ...                       "refuse": Leaf((0, 0))}),
        ...     players=("Bank", "SME"),
        ...     params={"r": "positive", "R": "positive", "F": "nonnegative"})
        >>> g.subs(r=0.1, R=2, F=1).is_symbolic
        False
        """
        values = dict(values or {}, **kwargs)
        mapping = Domain(list(self._symbols.values()), self.assumptions).check_values(
            values, field="values"
        )

        def walk(node: Node) -> Node:
            if isinstance(node, Leaf):
                return Leaf(tuple(v.xreplace(mapping) for v in node.payoffs), node.label)
            if isinstance(node, Decision):
                return Decision(
                    node.player, {a: walk(c) for a, c in node.actions.items()}, node.label
                )
            return Chance(
                {o: (p.xreplace(mapping), walk(c)) for o, (p, c) in node.outcomes.items()},
                node.label,
            )

        rest = {n: self.assumptions.get(n) for n, s in self._symbols.items() if s not in mapping}
        return SequentialGame(walk(self.root), self.players, params=rest, title=self.title)

    # -- walking --------------------------------------------------------------------------
    def decision_nodes(self) -> list[tuple[tuple[str, ...], str, tuple[str, ...]]]:
        """Every decision node as (path, player, actions), in depth-first order.

        Returns
        -------
        list of tuple
            ``(path of actions, player, actions)`` per node.

        Examples
        --------
        >>> g = SequentialGame(
        ...     Decision("Bank", {"lend": Decision("SME", {"repay": Leaf(("r", "R - r")),
        ...                                                "default": Leaf((-1, "R - F"))}),
        ...                       "refuse": Leaf((0, 0))}),
        ...     players=("Bank", "SME"),
        ...     params={"r": "positive", "R": "positive", "F": "nonnegative"})
        >>> g.decision_nodes()
        [((), 'Bank', ('lend', 'refuse')), (('lend',), 'SME', ('repay', 'default'))]
        """
        out = []

        def walk(node: Node, path):
            if isinstance(node, Decision):
                out.append((path, node.player, tuple(node.actions)))
                for a, c in node.actions.items():
                    walk(c, path + (a,))
            elif isinstance(node, Chance):
                for o, (_, c) in node.outcomes.items():
                    walk(c, path + (o,))

        walk(self.root, ())
        return out

    # -- solving --------------------------------------------------------------------------
    def backward_induction(self) -> SubgamePerfectEquilibrium | PiecewiseSolution:
        """Subgame-perfect equilibrium by backward induction.

        Returns a :class:`SubgamePerfectEquilibrium` for numeric games and a
        :class:`PiecewiseSolution` (cases with conditions) for symbolic ones. Ties are broken
        in favour of the action listed first.

        Returns
        -------
        SubgamePerfectEquilibrium or PiecewiseSolution
            The solution.

        Examples
        --------
        >>> g = SequentialGame(
        ...     Decision("Bank", {"lend": Decision("SME", {"repay": Leaf(("r", "R - r")),
        ...                                                "default": Leaf((-1, "R - F"))}),
        ...                       "refuse": Leaf((0, 0))}),
        ...     players=("Bank", "SME"),
        ...     params={"r": "positive", "R": "positive", "F": "nonnegative"})
        >>> g.subs(r=0.1, R=2, F=0).backward_induction()
        SubgamePerfectEquilibrium(Bank: refuse | payoffs 0, 0)
        """
        if not self.is_symbolic:
            ((case, values, plan, path),) = self._solve(self.root, (), symbolic=False)
            strategies = self._strategies(plan)
            return SubgamePerfectEquilibrium(
                strategies,
                path,
                tuple(_number(v) for v in values),
                self._reduced_profile(plan),
                self.players,
            )
        branches = []
        for case, values, plan, path in self._solve(self.root, (), symbolic=True):
            branches.append(
                SPEBranch(
                    case.relational(),
                    self._strategies(plan),
                    path,
                    tuple(sp.factor(v) for v in values),
                    case.is_boundary,
                    case.atom_list(),
                    self.domain,
                )
            )
        return PiecewiseSolution(tuple(branches), self.players)

    def _strategies(self, plan: dict) -> dict:
        out = {p: {} for p in self.players}
        for path, player, _ in self.decision_nodes():
            out[player][node_name(path)] = plan[path]
        return out

    def _solve(self, node: Node, path: tuple[str, ...], symbolic: bool) -> list:
        """List of (case, values, plan, path) covering the parameter space."""
        if isinstance(node, Leaf):
            return [(Case(self.domain), node.payoffs, {}, ())]
        if isinstance(node, Chance):
            keys = list(node.outcomes)
            subs = [self._solve(c, path + (o,), symbolic) for o, (_, c) in node.outcomes.items()]
            out = []
            for combo in itertools.product(*subs):
                case = _merge([c[0] for c in combo], self.domain) if symbolic else combo[0][0]
                if case is None:
                    continue
                values = tuple(
                    sp.expand(
                        sum(node.outcomes[k][0] * c[1][i] for k, c in zip(keys, combo, strict=True))
                    )
                    for i in range(len(self.players))
                )
                plan = {}
                for c in combo:
                    plan.update(c[2])
                first = combo[0][3]
                out.append((case, values, plan, (("chance", keys[0]),) + first))
            return out
        i = self.players.index(node.player)
        actions = list(node.actions)
        subs = [self._solve(c, path + (a,), symbolic) for a, c in node.actions.items()]
        out = []
        for combo in itertools.product(*subs):
            base = _merge([c[0] for c in combo], self.domain) if symbolic else combo[0][0]
            if base is None:
                continue
            us = [c[1][i] for c in combo]
            for k, a in enumerate(actions):
                if symbolic:
                    case = base.copy()
                    ok = all(
                        case.add(us[k] - us[j], _POS if j < k else _GE)
                        for j in range(len(actions))
                        if j != k
                    )
                    if not ok or not case.feasible():
                        continue
                else:
                    best = max(range(len(actions)), key=lambda j: (us[j], -j))
                    if best != k:
                        continue
                    case = base
                plan = {}
                for c in combo:
                    plan.update(c[2])
                plan[path] = a
                out.append((case, combo[k][1], plan, ((node.player, a),) + combo[k][3]))
        return out

    # -- normal form ----------------------------------------------------------------------
    def _plans(self, node: Node, path, player: str) -> list[dict]:
        if isinstance(node, Leaf):
            return [{}]
        if isinstance(node, Decision) and node.player == player:
            out = []
            for a, c in node.actions.items():
                for plan in self._plans(c, path + (a,), player):
                    out.append({path: a, **plan})
            return out
        children = (
            list(node.actions.items())
            if isinstance(node, Decision)
            else [(o, c) for o, (_, c) in node.outcomes.items()]
        )
        parts = [self._plans(c, path + (a,), player) for a, c in children]
        out = []
        for combo in itertools.product(*parts):
            merged = {}
            for p in combo:
                merged.update(p)
            out.append(merged)
        return out

    @staticmethod
    def _plan_name(plan: dict) -> str:
        return (
            "/".join(plan[k] for k in sorted(plan, key=lambda p: (len(p), p))) if plan else "none"
        )

    def _payoff(self, node: Node, path, plan: dict) -> tuple:
        if isinstance(node, Leaf):
            return node.payoffs
        if isinstance(node, Decision):
            a = plan[path]
            return self._payoff(node.actions[a], path + (a,), plan)
        total = [sp.Integer(0)] * len(self.players)
        for o, (p, c) in node.outcomes.items():
            sub = self._payoff(c, path + (o,), plan)
            total = [t + p * s for t, s in zip(total, sub, strict=True)]
        return tuple(sp.expand(t) for t in total)

    def _reduced_profile(self, plan: dict) -> tuple[str, ...]:
        names = []
        for player in self.players:
            for own in self._plans(self.root, (), player):
                if all(plan.get(k) == v for k, v in own.items()):
                    names.append(self._plan_name(own))
                    break
        return tuple(names)

    def to_normal_form(self):
        """The reduced normal form: one strategy per plan of actions at reachable own nodes.

        Strategy names join the actions in the order of the nodes (``"accept/repay"``);
        a player without decision nodes has the single strategy ``"none"``.

        Returns
        -------
        NormalFormGame
            The same players; symbolic when the tree is.

        Examples
        --------
        >>> g = SequentialGame(
        ...     Decision("Bank", {"lend": Decision("SME", {"repay": Leaf(("r", "R - r")),
        ...                                                "default": Leaf((-1, "R - F"))}),
        ...                       "refuse": Leaf((0, 0))}),
        ...     players=("Bank", "SME"),
        ...     params={"r": "positive", "R": "positive", "F": "nonnegative"})
        >>> g.subs(r=0.1, R=2, F=1).to_normal_form().strategies
        (('lend', 'refuse'), ('repay', 'default'))
        """
        from alliance.games.normal_form import NormalFormGame

        plans = [self._plans(self.root, (), p) for p in self.players]
        shape = tuple(len(p) for p in plans)
        table = np.empty(shape + (len(self.players),), dtype=object)
        for index in itertools.product(*(range(k) for k in shape)):
            plan = {}
            for i, j in enumerate(index):
                plan.update(plans[i][j])
            pay = self._payoff(self.root, (), plan)
            for i, v in enumerate(pay):
                table[index + (i,)] = v if v.free_symbols else (_number(v))
        strategies = [tuple(self._plan_name(p) for p in pl) for pl in plans]
        kwargs = (
            {"params": {n: self.assumptions.get(n) for n in self._symbols}}
            if self.is_symbolic
            else {}
        )
        return NormalFormGame(table, self.players, strategies, title=self.title, **kwargs)

    def plot(self, ax: Any = None, **kwargs: Any) -> Any:
        """Draw the tree (see :func:`alliance.figures.tree.game_tree`).

        Parameters
        ----------
        ax : matplotlib Axes, optional
            Axes to draw on; a new figure is made when omitted.
        **kwargs
            Options of :func:`~alliance.figures.tree.game_tree`: ``solution``,
            ``highlight``, ``payoff_format``.

        Returns
        -------
        matplotlib.axes.Axes
            The axes drawn on.

        Examples
        --------
        >>> g = SequentialGame(
        ...     Decision("Bank", {"lend": Decision("SME", {"repay": Leaf(("r", "R - r")),
        ...                                                "default": Leaf((-1, "R - F"))}),
        ...                       "refuse": Leaf((0, 0))}),
        ...     players=("Bank", "SME"),
        ...     params={"r": "positive", "R": "positive", "F": "nonnegative"})
        >>> type(g.subs(r=0.1, R=2, F=1).plot()).__name__
        'Axes'
        """
        from alliance.figures.tree import game_tree

        return game_tree(self, ax=ax, **kwargs)

    def __repr__(self) -> str:
        n = len(self.decision_nodes())
        kind = "symbolic" if self.is_symbolic else "numeric"
        return f"SequentialGame({self.title + ': ' if self.title else ''}{' × '.join(self.players)}, {n} decision nodes, {kind})"


GameTree = SequentialGame


def _merge(cases: list[Case], domain: Domain) -> Case | None:
    out = Case(domain)
    from alliance.games.symbolic._conditions import Atom

    for c in cases:
        for e, a in c.atoms.items():
            if not out.add_atom(Atom(e, a)):
                return None
    return out
