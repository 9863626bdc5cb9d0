r"""Bayesian normal-form games: types, a common prior, type-dependent payoffs; Bayes–Nash
equilibria through the agent normal form.

Each player :math:`i` has a finite set of types :math:`T_i` and of actions :math:`A_i`; nature
draws the type profile :math:`t` from a common prior :math:`\pi(t)`, each player learns its own
type and the players act simultaneously; player :math:`i` earns :math:`u_i(t, a)`. A (behaviour)
strategy of player :math:`i` is a mixed action :math:`\sigma_i(\cdot \mid t_i)` for each type
with positive probability. A *Bayes–Nash equilibrium* (Harsanyi 1967–68) is a profile in which
every type maximises its *interim* expected payoff

.. math:: U_i(a_i \mid t_i) = \sum_{t_{-i}} \pi(t_{-i} \mid t_i) \sum_{a_{-i}}
          \sigma_{-i}(a_{-i} \mid t_{-i})\, u_i(t_i, t_{-i}, a_i, a_{-i}).

The *agent normal form* (Selten 1975) makes each type :math:`(i, t_i)` a separate player
("agent") whose payoff is that interim payoff: its Nash equilibria are exactly the Bayes–Nash
equilibria, so every solver of :class:`~alliance.NormalFormGame` applies (all equilibria by
support enumeration, pure equilibria with conditions for symbolic payoffs or priors, QRE).
Types of zero prior probability have no agent.

Examples
--------
Entry deterrence (Fudenberg and Tirole 1991, §6.1): the incumbent's cost of building capacity
is high (type ``high``, prior ``p``) or low; the entrant does not know which. A high-cost
incumbent never builds; a low-cost one builds when entry is unlikely. With ``p = 1/4`` there are
three Bayes–Nash equilibria, one mixed.

>>> from fractions import Fraction
>>> g = entry_deterrence(Fraction(1, 4))
>>> [e.describe() for e in g.bayes_nash_equilibria()]  # doctest: +NORMALIZE_WHITESPACE
['Incumbent: high -> dont, low -> build; Entrant: stay out',
 'Incumbent: high -> dont, low -> dont; Entrant: enter',
 'Incumbent: high -> dont, low -> (build 2/3, dont 1/3); Entrant: (enter 1/2, stay out 1/2)']

References
----------
Harsanyi, J. C. (1967–68). Games with incomplete information played by "Bayesian" players,
I–III. *Management Science* 14(3), 159-182; 14(5), 320-334; 14(7), 486-502.

Selten, R. (1975). Reexamination of the perfectness concept for equilibrium points in
extensive games. *International Journal of Game Theory* 4(1), 25-55.

Fudenberg, D. and Tirole, J. (1991). *Game Theory*, §6.1. MIT Press.
"""

from __future__ import annotations

import html
import itertools
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

import numpy as np
import pandas as pd
import sympy as sp

from alliance.errors import InvalidGameError, ParameterError
from alliance.expr import parse_expression
from alliance.games.normal_form import NormalFormGame
from alliance.games.results import Equilibrium, format_number
from alliance.numbers import check_finite, to_sympy

__all__ = ["BayesianGame", "BayesNashEquilibrium", "entry_deterrence"]


def _is_symbolic(value: Any) -> bool:
    return isinstance(value, sp.Basic) and bool(value.free_symbols)


def _number(value: Any, field: str) -> Any:
    if isinstance(value, sp.Basic):
        if value.free_symbols:
            return value
        if value.is_Rational:
            return Fraction(int(value.p), int(value.q))
        return float(value)
    if isinstance(value, bool) or not isinstance(value, (int, float, Fraction, np.integer, np.floating)):
        raise InvalidGameError(f"{field} is {value!r}; it must be a number or a SymPy expression")
    if isinstance(value, (int, np.integer)):
        return Fraction(int(value))
    if isinstance(value, Fraction):
        return value
    v = float(value)
    if not np.isfinite(v):
        raise InvalidGameError(f"{field} is {v}; it must be finite")
    return v


@dataclass(frozen=True, eq=False)
class BayesNashEquilibrium:
    """A Bayes–Nash equilibrium: each type's mixed action.

    Made by :meth:`BayesianGame.bayes_nash_equilibria` (Harsanyi 1967–68).

    Parameters
    ----------
    strategies : dict
        ``strategies[player][type]`` is a dict action -> probability (type ``""`` for a
        player with one type).
    equilibrium : Equilibrium
        The same profile as a Nash equilibrium of the agent normal form.

    Examples
    --------
    >>> from fractions import Fraction
    >>> eq = entry_deterrence(Fraction(1, 4)).bayes_nash_equilibria()[0]
    >>> eq
    BayesNashEquilibrium(Incumbent: high -> dont, low -> build; Entrant: stay out)
    >>> eq.strategies["Incumbent"]["low"]
    {'build': Fraction(1, 1), 'dont': Fraction(0, 1)}
    >>> eq.equilibrium.payoffs  # interim payoffs of the agents: high, low, entrant
    (Fraction(3, 1), Fraction(7, 2), Fraction(0, 1))

    References
    ----------
    Harsanyi, J. C. (1967–68). Games with incomplete information played by "Bayesian" players,
    I–III. *Management Science* 14(3), 159-182; 14(5), 320-334; 14(7), 486-502.
    """

    strategies: Mapping[str, Mapping[str, Mapping[str, Any]]]
    equilibrium: Equilibrium

    def describe(self) -> str:
        """One line: each player's action (or mix) by type.

        Returns
        -------
        str
            ``player: type -> action, ...`` for each player, a mix written
            ``(action probability, ...)``.

        Examples
        --------
        >>> from fractions import Fraction
        >>> entry_deterrence(Fraction(1, 4)).bayes_nash_equilibria()[2].describe()
        'Incumbent: high -> dont, low -> (build 2/3, dont 1/3); Entrant: (enter 1/2, stay out 1/2)'
        """
        parts = []
        for player, by_type in self.strategies.items():
            pieces = []
            for t, mix in by_type.items():
                used = [(a, p) for a, p in mix.items() if p > 0]
                text = used[0][0] if len(used) == 1 else (
                    "(" + ", ".join(f"{a} {format_number(p)}" for a, p in used) + ")"
                )
                pieces.append(text if t == "" else f"{t} -> {text}")
            parts.append(f"{player}: {', '.join(pieces)}")
        return "; ".join(parts)

    def __repr__(self) -> str:
        return f"BayesNashEquilibrium({self.describe()})"

    def to_frame(self) -> pd.DataFrame:
        """One row per (player, type, action) with its probability.

        Returns
        -------
        pandas.DataFrame
            Indexed by (``player``, ``type``, ``action``); one column, ``probability``.

        Examples
        --------
        >>> from fractions import Fraction
        >>> frame = entry_deterrence(Fraction(1, 4)).bayes_nash_equilibria()[0].to_frame()
        >>> frame.index[2], str(frame["probability"].iloc[2])
        (('Incumbent', 'low', 'build'), '1')
        """
        rows = [
            {"player": p, "type": t, "action": a, "probability": v}
            for p, by_type in self.strategies.items()
            for t, mix in by_type.items()
            for a, v in mix.items()
        ]
        return pd.DataFrame(rows).set_index(["player", "type", "action"])

    def _repr_html_(self) -> str:
        try:
            return f"<p>{html.escape(repr(self))}</p>" + self.to_frame().to_html()
        except Exception:  # a display hook must never raise
            return "<pre>" + html.escape(repr(self)) + "</pre>"


class BayesianGame:
    """A finite Bayesian game in normal form with a common prior.

    Parameters
    ----------
    players : sequence of str
        Player names.
    types : sequence of sequence of str
        Each player's types; a player with one type (use ``("",)``) has complete information
        about itself.
    actions : sequence of sequence of str
        Each player's actions (the same for all its types).
    prior : array_like or callable
        The common prior: an array of shape ``(|T_1|, ..., |T_n|)`` (non-negative, summing to
        one; numbers or SymPy expressions), or a callable of the type names.
    payoffs : callable
        ``payoffs(types, actions) -> sequence of n payoffs`` for a type profile and an action
        profile (names); numbers or SymPy expressions.
    title : str, optional
        A name for display.

    Raises
    ------
    InvalidGameError
        If the labels, prior or payoffs are malformed (the message names the entry).

    Examples
    --------
    >>> g = BayesianGame(["Bank", "SME"], [[""], ["good", "bad"]],
    ...                  [["lend", "refuse"], ["invest", "divert"]], [[0.6, 0.4]],
    ...                  lambda t, a: (0, 0))
    >>> g.agents
    ('Bank', 'SME|good', 'SME|bad')
    """

    def __init__(
        self,
        players: Sequence[str],
        types: Sequence[Sequence[str]],
        actions: Sequence[Sequence[str]],
        prior: Any,
        payoffs: Callable[[tuple, tuple], Sequence[Any]],
        *,
        title: str | None = None,
    ) -> None:
        self.players = tuple(players)
        n = len(self.players)
        if n < 1 or len(set(self.players)) != n:
            raise InvalidGameError(f"players {self.players} must be distinct names")
        self.types = tuple(tuple(t) for t in types)
        self.actions = tuple(tuple(a) for a in actions)
        if len(self.types) != n or len(self.actions) != n:
            raise InvalidGameError(
                f"types has {len(self.types)} lists and actions {len(self.actions)}; the game has {n} players"
            )
        for i, p in enumerate(self.players):
            if not self.types[i] or len(set(self.types[i])) != len(self.types[i]):
                raise InvalidGameError(f"types of {p} {self.types[i]} must be distinct and non-empty")
            if not self.actions[i] or len(set(self.actions[i])) != len(self.actions[i]):
                raise InvalidGameError(f"actions of {p} {self.actions[i]} must be distinct and non-empty")
        self.title = title
        shape = tuple(len(t) for t in self.types)
        if callable(prior):
            table = np.empty(shape, dtype=object)
            for idx in itertools.product(*(range(k) for k in shape)):
                table[idx] = prior(tuple(self.types[i][j] for i, j in enumerate(idx)))
        else:
            table = np.array(prior, dtype=object)
            if table.shape != shape:
                raise InvalidGameError(f"prior has shape {table.shape}; the type sets give {shape}")
        self.prior = np.empty(shape, dtype=object)
        for idx in itertools.product(*(range(k) for k in shape)):
            field = "prior of (" + ", ".join(self.types[i][j] for i, j in enumerate(idx)) + ")"
            v = _number(table[idx], field)
            if not _is_symbolic(v) and v < 0:
                raise InvalidGameError(f"{field} is {format_number(v)}; it must be >= 0")
            self.prior[idx] = v
        total = sum(self.prior.flat)
        if not _is_symbolic(total) and (
            (isinstance(total, Fraction) and total != 1) or abs(float(total) - 1) > 1e-12
        ):
            raise InvalidGameError(f"the prior sums to {format_number(total)}; it must sum to 1")
        self._payoff = payoffs
        self.symbolic = any(_is_symbolic(v) for v in self.prior.flat)
        self._table = self._payoff_table()

    # ---------------------------------------------------------------- data
    def _payoff_table(self) -> np.ndarray:
        n = len(self.players)
        tshape = tuple(len(t) for t in self.types)
        ashape = tuple(len(a) for a in self.actions)
        table = np.empty(tshape + ashape + (n,), dtype=object)
        for ti in itertools.product(*(range(k) for k in tshape)):
            tnames = tuple(self.types[i][j] for i, j in enumerate(ti))
            for ai in itertools.product(*(range(k) for k in ashape)):
                anames = tuple(self.actions[i][j] for i, j in enumerate(ai))
                values = list(self._payoff(tnames, anames))
                if len(values) != n:
                    raise InvalidGameError(
                        f"payoffs at types {tnames}, actions {anames} has {len(values)} values; "
                        f"give one per player ({n})"
                    )
                for p, v in enumerate(values):
                    field = f"payoff of {self.players[p]} at types {tnames}, actions {anames}"
                    # text is parsed by the allow-list parser, never sympify (it may come
                    # from a file)
                    value = parse_expression(v, field=field) if isinstance(v, str) else v
                    table[ti + ai + (p,)] = _number(value, field)
                    self.symbolic |= _is_symbolic(table[ti + ai + (p,)])
        return table

    @property
    def agents(self) -> tuple[str, ...]:
        """The agents of the agent normal form: ``player|type`` (just the player if one type)."""
        return tuple(name for name, _, _ in self._agent_list())

    def _agent_list(self) -> list[tuple[str, int, int]]:
        out = []
        for i, p in enumerate(self.players):
            marginal = self.prior.sum(axis=tuple(k for k in range(len(self.players)) if k != i))
            marginal = np.atleast_1d(marginal)
            for j, t in enumerate(self.types[i]):
                m = marginal[j]
                if not _is_symbolic(m) and m == 0:
                    continue  # a type that never occurs has no agent
                out.append((p if len(self.types[i]) == 1 else f"{p}|{t}", i, j))
        return out

    # ---------------------------------------------------------------- agent form
    def agent_form(self) -> NormalFormGame:
        """The agent normal form: one player per (player, type), interim expected payoffs.

        Each type with positive prior probability is an agent whose payoff is its interim
        expected payoff (Selten 1975); its Nash equilibria are the Bayes–Nash equilibria.

        Returns
        -------
        NormalFormGame
            Symbolic when the prior or a payoff has free parameters.

        Examples
        --------
        >>> from fractions import Fraction
        >>> form = entry_deterrence(Fraction(1, 4)).agent_form()
        >>> form.players
        ('Incumbent|high', 'Incumbent|low', 'Entrant')
        >>> str(form.exact_payoffs[1, 1, 0, 2])  # the entrant's payoff from entering
        '1'

        References
        ----------
        Selten, R. (1975). Reexamination of the perfectness concept for equilibrium points in
        extensive games. *International Journal of Game Theory* 4(1), 25-55.
        """
        agents = self._agent_list()
        n = len(self.players)
        tshape = self.prior.shape
        shape = tuple(len(self.actions[i]) for _, i, _ in agents)
        index_of = {(i, j): k for k, (_, i, j) in enumerate(agents)}
        table = np.empty(shape + (len(agents),), dtype=object)
        marginals = [
            np.atleast_1d(self.prior.sum(axis=tuple(k for k in range(n) if k != i))) for i in range(n)
        ]
        for prof in itertools.product(*(range(k) for k in shape)):
            for k, (_, i, j) in enumerate(agents):
                value: Any = 0
                for ti in itertools.product(*(range(m) for m in tshape)):
                    if ti[i] != j:
                        continue
                    weight = self.prior[ti]
                    if not _is_symbolic(weight) and weight == 0:
                        continue
                    # every player's action is chosen by the agent of its realised type
                    actions = tuple(
                        prof[index_of[(q, ti[q])]] if (q, ti[q]) in index_of else 0 for q in range(n)
                    )
                    value = value + weight * self._table[ti + actions + (i,)]
                value = value / marginals[i][j]
                if isinstance(value, sp.Basic):
                    value = sp.simplify(value)
                table[prof + (k,)] = value
        return NormalFormGame(
            table,
            [name for name, _, _ in agents],
            [self.actions[i] for _, i, _ in agents],
            title=(self.title + " (agent form)") if self.title else None,
        )

    def bayes_nash_equilibria(self, **kwargs: Any) -> list[BayesNashEquilibrium]:
        """Every Bayes–Nash equilibrium the agent form's ``equilibria()`` finds.

        A symbolic game needs numbers first: use :meth:`subs`, or
        ``agent_form().pure_equilibria()`` for the conditions under which each pure profile
        is an equilibrium.

        Parameters
        ----------
        **kwargs
            Keyword arguments of :meth:`NormalFormGame.equilibria` (``method``, ``tol``).

        Returns
        -------
        list of BayesNashEquilibrium
            In the order the agent form's solver returns them.

        Raises
        ------
        ParameterError
            If the game is symbolic.

        Examples
        --------
        With ``p = 1/4`` the low-cost incumbent builds, or not, or mixes (Fudenberg and
        Tirole 1991, §6.1):

        >>> from fractions import Fraction
        >>> eqs = entry_deterrence(Fraction(1, 4)).bayes_nash_equilibria()
        >>> [e.strategies["Incumbent"]["low"]["build"] for e in eqs]
        [Fraction(1, 1), Fraction(0, 1), Fraction(2, 3)]

        References
        ----------
        Harsanyi, J. C. (1967–68). Games with incomplete information played by "Bayesian" players,
        I–III. *Management Science* 14(3), 159-182; 14(5), 320-334; 14(7), 486-502.
        """
        if self.symbolic:
            raise ParameterError(
                "bayes_nash_equilibria needs numbers; call subs(...) first, or use "
                "agent_form().pure_equilibria() for conditions on the parameters"
            )
        form = self.agent_form()
        return [self._wrap(e) for e in form.equilibria(**kwargs)]

    def _wrap(self, eq: Equilibrium) -> BayesNashEquilibrium:
        agents = self._agent_list()
        strategies: dict[str, dict[str, dict[str, Any]]] = {p: {} for p in self.players}
        for k, (_, i, j) in enumerate(agents):
            t = self.types[i][j] if len(self.types[i]) > 1 else ""
            strategies[self.players[i]][t] = dict(zip(self.actions[i], eq.profile[k], strict=True))
        return BayesNashEquilibrium(strategies, eq)

    def subs(self, **values: Any) -> BayesianGame:
        """The game with numbers for its parameters (a new :class:`BayesianGame`).

        Parameters
        ----------
        **values : number
            A number for each parameter, by name (numbers only; text is never parsed here).

        Returns
        -------
        BayesianGame
            The same game with the parameters replaced (still symbolic if some are left).

        Raises
        ------
        ParameterError
            If a name is not a parameter of the game, or a value is not a finite number.

        Examples
        --------
        With a high-cost incumbent more likely than not (``p = 3/4``), only entry remains:

        >>> import sympy as sp
        >>> from fractions import Fraction
        >>> g = entry_deterrence(sp.Symbol("p"))
        >>> g.symbolic
        True
        >>> g.subs(p=Fraction(3, 4)).bayes_nash_equilibria()
        [BayesNashEquilibrium(Incumbent: high -> dont, low -> dont; Entrant: enter)]
        """
        symbols = {}
        for v in list(self.prior.flat) + list(self._table.flat):
            if isinstance(v, sp.Basic):
                symbols.update({s.name: s for s in v.free_symbols})
        unknown = [k for k in values if k not in symbols]
        if unknown:
            raise ParameterError(f"unknown parameter(s) {unknown}; the game's are {sorted(symbols)}")
        # values are numbers (never text run through sympify): alliance.numbers checks them
        mapping = {symbols[k]: to_sympy(check_finite(v, f"value of {k}")) for k, v in values.items()}

        def sub(v: Any) -> Any:
            return v.xreplace(mapping) if isinstance(v, sp.Basic) else v

        table = self._table
        prior = np.vectorize(sub, otypes=[object])(self.prior)
        types, actions = self.types, self.actions

        def payoffs(tnames: tuple, anames: tuple) -> list:
            ti = tuple(types[i].index(t) for i, t in enumerate(tnames))
            ai = tuple(actions[i].index(a) for i, a in enumerate(anames))
            return [sub(table[ti + ai + (p,)]) for p in range(len(self.players))]

        return BayesianGame(self.players, self.types, self.actions, prior, payoffs, title=self.title)

    def __repr__(self) -> str:
        kinds = ", ".join(f"{p}: {len(t)} type(s), {len(a)} action(s)"
                          for p, t, a in zip(self.players, self.types, self.actions, strict=True))
        head = f"BayesianGame({self.title + ': ' if self.title else ''}{kinds}"
        return head + (", symbolic)" if self.symbolic else ")")


def entry_deterrence(p: Any = Fraction(1, 4), build_cost_low: Any = Fraction(3, 2)) -> BayesianGame:
    """The entry-deterrence game of Fudenberg and Tirole (1991, §6.1) as a Bayesian game.

    The incumbent builds capacity (``build``) or not (``dont``); the entrant, simultaneously,
    enters or stays out. Building costs 3 to a ``high``-cost incumbent (prior ``p``) and
    ``build_cost_low`` to a ``low``-cost one. Incumbent's gross profit: without capacity 2 in
    duopoly and 3 as a monopolist; with capacity 3 and 5. Entrant: 1 if it enters against no
    capacity, -1 against capacity, 0 if it stays out.

    Parameters
    ----------
    p : number or SymPy expression in [0, 1]
        Prior probability that the incumbent's cost is high.
    build_cost_low : number, default 3/2
        Cost of building for the low-cost incumbent.

    Returns
    -------
    BayesianGame
        Players ``Incumbent`` (types ``high``, ``low``) and ``Entrant`` (one type).

    Notes
    -----
    By hand: ``dont`` is dominant for the high-cost type. The low-cost type builds iff the
    entry probability ``y < 1/2`` (with cost 3/2), the entrant enters iff
    ``p + (1 - p)(1 - 2x) > 0``, ``x`` the low type's building probability, i.e. iff
    ``x < 1 / (2(1 - p))``. For ``p < 1/2`` there are three equilibria: (build, out),
    (dont, enter) and the mixed one with ``x = 1/(2(1 - p))``, ``y = 1/2``; for ``p > 1/2``
    only (dont, enter).

    Examples
    --------
    With ``p = 3/4 > 1/2`` entry is the only equilibrium; with ``p = 1/4`` the mixed one has
    ``x = 1/(2(1 - p)) = 2/3``:

    >>> from fractions import Fraction
    >>> [e.describe() for e in entry_deterrence(Fraction(3, 4)).bayes_nash_equilibria()]
    ['Incumbent: high -> dont, low -> dont; Entrant: enter']
    >>> p = Fraction(1, 4)
    >>> mixed = entry_deterrence(p).bayes_nash_equilibria()[2]
    >>> mixed.strategies["Incumbent"]["low"]["build"] == 1 / (2 * (1 - p))
    True

    References
    ----------
    Fudenberg, D. and Tirole, J. (1991). *Game Theory*, §6.1. MIT Press.
    """
    def payoffs(t: tuple, a: tuple) -> tuple:
        kind, _ = t
        build, enter = a[0] == "build", a[1] == "enter"
        if build:
            cost = 3 if kind == "high" else build_cost_low
            # gross profit 3 in duopoly, 5 as a monopolist with capacity, less its cost
            return (3 if enter else 5) - cost, (-1 if enter else 0)
        return (2 if enter else 3), (1 if enter else 0)

    return BayesianGame(
        ["Incumbent", "Entrant"], [["high", "low"], [""]], [["build", "dont"], ["enter", "stay out"]],
        [[p], [1 - p]], payoffs, title="entry deterrence",
    )
