r"""Extensive-form games with information sets: behaviour strategies, the normal form and the
sequence form of two-player games.

A tree of :class:`Move` nodes (a player chooses an action at an *information set*: nodes the
player cannot tell apart share its label and its actions), chance nodes
(:class:`~alliance.games.sequential.Chance`) and leaves
(:class:`~alliance.games.sequential.Leaf`). The game must have *perfect recall*: every node of
an information set is reached by the same sequence of the player's own earlier moves (checked).

* A **behaviour strategy** gives a probability distribution over the actions at each of the
  player's information sets; with perfect recall every mixed strategy has an equivalent
  behaviour strategy (Kuhn 1953), computed by :meth:`ExtensiveGame.behaviour_strategy`.
* The **normal form** (:meth:`ExtensiveGame.to_normal_form`) has a pure strategy per choice of
  an action at every information set; all solvers of :class:`~alliance.NormalFormGame` apply.
* The **sequence form** (Koller, Megiddo and von Stengel 1996) of a two-player game
  (:meth:`ExtensiveGame.sequence_form`) works with *sequences* of a player's own moves, linear
  in the size of the tree instead of exponential: realisation plans :math:`x \ge 0` with
  :math:`Ex = e`, :math:`Fy = f` and payoffs :math:`x^\top A y`, :math:`x^\top B y`. A
  zero-sum game is then one linear programme
  (:meth:`ExtensiveGame.zero_sum_equilibrium`):
  :math:`\max_{x, q} f^\top q` s.t. :math:`F^\top q \le A^\top x`, :math:`Ex = e`,
  :math:`x \ge 0`. A general-sum game is one linear complementarity problem, solved by
  Lemke's algorithm (:meth:`ExtensiveGame.sequence_form_equilibrium`, in
  :mod:`alliance.games.extensive.sequence_form`).
* **Logit agent QRE** (:meth:`ExtensiveGame.agent_qre`, :meth:`ExtensiveGame.agent_qre_branch`;
  McKelvey and Palfrey 1998) in :mod:`alliance.games.extensive.agent_qre`.

Examples
--------
Matching pennies in extensive form: player 2 moves without seeing player 1's choice.

>>> from alliance.games.sequential import Leaf
>>> def p2(first):
...     return Move("P2", "h", {"H": Leaf((1, -1) if first == "H" else (-1, 1)),
...                             "T": Leaf((-1, 1) if first == "H" else (1, -1))})
>>> g = ExtensiveGame(Move("P1", "start", {"H": p2("H"), "T": p2("T")}), ["P1", "P2"])
>>> eq = g.zero_sum_equilibrium()
>>> eq.value, eq.strategies["P2"]["h"]
(Fraction(0, 1), {'H': Fraction(1, 2), 'T': Fraction(1, 2)})

References
----------
Kuhn, H. W. (1953). Extensive games and the problem of information. In *Contributions to the
Theory of Games II*, 193-216. Princeton University Press.

Koller, D., Megiddo, N. and von Stengel, B. (1996). Efficient computation of equilibria for
extensive two-person games. *Games and Economic Behavior* 14(2), 247-259.

Kuhn, H. W. (1950). A simplified two-person poker. In *Contributions to the Theory of Games
I*, 97-103. Princeton University Press.
"""

from __future__ import annotations

import html
import itertools
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

import numpy as np
import pandas as pd
from scipy.optimize import linprog

from alliance.errors import ConvergenceError, InvalidGameError, SizeLimitError
from alliance.games.normal_form import NormalFormGame
from alliance.games.results import format_number
from alliance.games.sequential import Chance, Leaf

__all__ = ["Move", "ExtensiveGame", "SequenceForm", "BehaviourProfile", "MAX_PURE_PROFILES"]

#: Largest number of pure-strategy profiles :meth:`ExtensiveGame.to_normal_form` builds.
MAX_PURE_PROFILES = 200_000


@dataclass(frozen=True)
class Move:
    """A decision node: ``player`` chooses one of ``actions`` at information set ``infoset``.

    Nodes the player cannot tell apart carry the same ``infoset`` label and the same actions
    (in the same order); :class:`ExtensiveGame` checks this and perfect recall (Kuhn 1953).

    Parameters
    ----------
    player : str
        The player who moves; one of the game's ``players``.
    infoset : str
        The label of the information set the node belongs to (unique per player).
    actions : mapping of str to node
        Each action's name and the node it leads to (a :class:`Move`, a
        :class:`~alliance.games.sequential.Chance` or a
        :class:`~alliance.games.sequential.Leaf`).
    label : str, optional
        A name for the node, for display only.

    Examples
    --------
    >>> from alliance.games.sequential import Leaf
    >>> node = Move("Borrower", "repay?", {"repay": Leaf((2, 2)), "keep": Leaf((0, 3))})
    >>> node.player, list(node.actions)
    ('Borrower', ['repay', 'keep'])

    References
    ----------
    Kuhn, H. W. (1953). Extensive games and the problem of information. In *Contributions to
    the Theory of Games II*, 193-216. Princeton University Press.
    """

    player: str
    infoset: str
    actions: Mapping[str, Any]
    label: str | None = None


def _number(value: Any, field: str) -> Any:
    if isinstance(value, bool) or not isinstance(value, (int, float, Fraction, np.integer, np.floating)):
        if hasattr(value, "is_Rational") and value.is_Rational:
            return Fraction(int(value.p), int(value.q))
        raise InvalidGameError(f"{field} is {value!r}; it must be a number")
    if isinstance(value, (int, np.integer)):
        return Fraction(int(value))
    if isinstance(value, Fraction):
        return value
    v = float(value)
    if not math.isfinite(v):
        raise InvalidGameError(f"{field} is {v}; it must be finite")
    return Fraction(v) if v.is_integer() else v


@dataclass(frozen=True)
class SequenceForm:
    """The sequence form of a two-player game (Koller, Megiddo and von Stengel 1996).

    Made by :meth:`ExtensiveGame.sequence_form`.

    Parameters
    ----------
    sequences : tuple of tuple
        Each player's sequences; a sequence is a tuple of ``(infoset, action)`` pairs, the
        empty sequence first.
    A, B : ndarray of object (Fraction or float)
        Payoffs: ``A[i, j]`` sums chance probability times player 1's payoff over the leaves
        reached by sequences ``i`` and ``j``; ``B`` likewise for player 2.
    E, e, F, f : ndarray
        Constraints of the realisation plans: ``E x = e``, ``F y = f``, ``x, y >= 0``.

    Examples
    --------
    Matching pennies: each player has the empty sequence and one sequence per action.

    >>> from alliance.games.sequential import Leaf
    >>> def p2(first):
    ...     return Move("P2", "h", {"H": Leaf((1, -1) if first == "H" else (-1, 1)),
    ...                             "T": Leaf((-1, 1) if first == "H" else (1, -1))})
    >>> g = ExtensiveGame(Move("P1", "start", {"H": p2("H"), "T": p2("T")}), ["P1", "P2"])
    >>> sf = g.sequence_form()
    >>> sf.A.shape, sf.E.tolist(), sf.e.tolist()
    ((3, 3), [[1.0, 0.0, 0.0], [-1.0, 1.0, 1.0]], [1.0, 0.0])

    References
    ----------
    Koller, D., Megiddo, N. and von Stengel, B. (1996). Efficient computation of equilibria for
    extensive two-person games. *Games and Economic Behavior* 14(2), 247-259.
    """

    sequences: tuple
    A: np.ndarray
    B: np.ndarray
    E: np.ndarray
    e: np.ndarray
    F: np.ndarray
    f: np.ndarray


@dataclass(frozen=True, eq=False)
class BehaviourProfile:
    """A behaviour-strategy profile: each player's distribution over actions at each infoset.

    Parameters
    ----------
    strategies : dict
        ``strategies[player][infoset]`` maps an action to its probability (``None`` at an
        information set the player's own strategy never reaches).
    payoffs : tuple
        Expected payoffs, one per player.
    value : Any, optional
        For a zero-sum equilibrium, the game's value to player 1; else ``None``.
    method : str, optional
        The solver that found the profile (``"sequence form LP"``, ``"sequence form LCP"``,
        ``"normal form (...)"``).

    Examples
    --------
    Returned by the solvers of :class:`ExtensiveGame`; in matching pennies both players mix
    half and half (Kuhn 1953 makes the behaviour strategy of a mixed strategy):

    >>> from alliance.games.sequential import Leaf
    >>> def p2(first):
    ...     return Move("P2", "h", {"H": Leaf((1, -1) if first == "H" else (-1, 1)),
    ...                             "T": Leaf((-1, 1) if first == "H" else (1, -1))})
    >>> g = ExtensiveGame(Move("P1", "start", {"H": p2("H"), "T": p2("T")}), ["P1", "P2"])
    >>> eq = g.zero_sum_equilibrium()
    >>> eq
    BehaviourProfile(P1 [start: (H 1/2, T 1/2)] P2 [h: (H 1/2, T 1/2)] | payoffs 0, 0) [sequence form LP]
    >>> eq.value
    Fraction(0, 1)

    References
    ----------
    Kuhn, H. W. (1953). Extensive games and the problem of information. In *Contributions to
    the Theory of Games II*, 193-216. Princeton University Press.
    """

    strategies: Mapping[str, Mapping[str, Any]]
    payoffs: tuple
    value: Any = None
    method: str = ""

    def __repr__(self) -> str:
        parts = []
        for player, by_set in self.strategies.items():
            sets = []
            for h, mix in by_set.items():
                if mix is None:
                    sets.append(f"{h}: unreached")
                    continue
                used = [(a, p) for a, p in mix.items() if p > 0]
                sets.append(f"{h}: " + (used[0][0] if len(used) == 1 else
                                        "(" + ", ".join(f"{a} {format_number(p)}" for a, p in used) + ")"))
            parts.append(f"{player} [{'; '.join(sets)}]")
        pay = ", ".join(format_number(v) for v in self.payoffs)
        return f"BehaviourProfile({' '.join(parts)} | payoffs {pay}) [{self.method}]"

    def to_frame(self) -> pd.DataFrame:
        """One row per (player, infoset, action) with its probability.

        Returns
        -------
        pandas.DataFrame
            Indexed by (``player``, ``infoset``, ``action``); one column, ``probability``
            (no rows for an information set the player never reaches).

        Examples
        --------
        >>> from alliance.games.sequential import Leaf
        >>> def p2(first):
        ...     return Move("P2", "h", {"H": Leaf((1, -1) if first == "H" else (-1, 1)),
        ...                             "T": Leaf((-1, 1) if first == "H" else (1, -1))})
        >>> g = ExtensiveGame(Move("P1", "start", {"H": p2("H"), "T": p2("T")}), ["P1", "P2"])
        >>> frame = g.zero_sum_equilibrium().to_frame()
        >>> [str(p) for p in frame["probability"]]
        ['1/2', '1/2', '1/2', '1/2']
        """
        rows = [{"player": p, "infoset": h, "action": a, "probability": v}
                for p, sets in self.strategies.items() for h, mix in sets.items()
                for a, v in (mix or {}).items()]
        return pd.DataFrame(rows).set_index(["player", "infoset", "action"])

    def _repr_html_(self) -> str:
        try:
            return f"<p>{html.escape(repr(self))}</p>" + self.to_frame().to_html()
        except Exception:  # a display hook must never raise
            return "<pre>" + html.escape(repr(self)) + "</pre>"


class ExtensiveGame:
    """A finite extensive-form game with information sets and perfect recall.

    Parameters
    ----------
    root : Move, Chance or Leaf
        The root of the tree.
    players : sequence of str
        The players' names (distinct); a leaf's payoffs are in this order.
    title : str, optional
        A name for display.

    Raises
    ------
    InvalidGameError
        Unknown players, an information set whose nodes differ in player or actions, chance
        probabilities that are negative or do not sum to one, payoffs of the wrong length, or
        imperfect recall (the message names the information set).

    Examples
    --------
    Matching pennies: player 2 chooses without seeing player 1's coin, so both of its nodes
    are in one information set ``h``.

    >>> from alliance.games.sequential import Leaf
    >>> def p2(first):
    ...     return Move("P2", "h", {"H": Leaf((1, -1) if first == "H" else (-1, 1)),
    ...                             "T": Leaf((-1, 1) if first == "H" else (1, -1))})
    >>> g = ExtensiveGame(Move("P1", "start", {"H": p2("H"), "T": p2("T")}), ["P1", "P2"])
    >>> g
    ExtensiveGame(P1: 1 infoset(s), P2: 1 infoset(s), 4 leaves)

    References
    ----------
    Kuhn, H. W. (1953). Extensive games and the problem of information. In *Contributions to
    the Theory of Games II*, 193-216. Princeton University Press.
    """

    def __init__(self, root: Any, players: Sequence[str], *, title: str | None = None) -> None:
        self.root = root
        self.players = tuple(players)
        if len(set(self.players)) != len(self.players) or not self.players:
            raise InvalidGameError(f"players {self.players} must be distinct names")
        self.title = title
        n = len(self.players)
        #: (player index, infoset) -> actions
        self.infosets: dict[tuple[int, str], tuple[str, ...]] = {}
        #: (player index, infoset) -> the player's own sequence leading there
        self.parent: dict[tuple[int, str], tuple] = {}
        #: leaves: (chance probability, per-player sequences, payoffs)
        self.leaves: list[tuple[Any, tuple, tuple]] = []
        self._walk(root, (), Fraction(1), tuple(() for _ in range(n)), n)

    def _walk(self, node: Any, path: tuple, prob: Any, seqs: tuple, n: int) -> None:
        where = "/".join(path) or "root"
        if isinstance(node, Leaf):
            if len(node.payoffs) != n:
                raise InvalidGameError(f"leaf at {where} has {len(node.payoffs)} payoffs for {n} players")
            pay = tuple(_number(v, f"payoff at {where}") for v in node.payoffs)
            self.leaves.append((prob, seqs, pay))
            return
        if isinstance(node, Chance):
            total = 0
            for name, (p, child) in node.outcomes.items():
                p = _number(p, f"probability of '{name}' at {where}")
                if p < 0:
                    raise InvalidGameError(f"probability of '{name}' at {where} is negative")
                total += p
                self._walk(child, path + (name,), prob * p, seqs, n)
            if abs(float(total) - 1) > 1e-12:
                raise InvalidGameError(f"chance probabilities at {where} sum to {format_number(total)}")
            return
        if not isinstance(node, Move):
            raise InvalidGameError(f"node at {where} is a {type(node).__name__}; use Move, Chance or Leaf")
        if node.player not in self.players:
            raise InvalidGameError(f"node at {where} is played by unknown player '{node.player}'")
        i = self.players.index(node.player)
        key = (i, node.infoset)
        actions = tuple(node.actions)
        if not actions:
            raise InvalidGameError(f"node at {where} has no actions")
        if key in self.infosets:
            if self.infosets[key] != actions:
                raise InvalidGameError(
                    f"information set '{node.infoset}' of {node.player} has actions {self.infosets[key]} "
                    f"at one node and {actions} at {where}"
                )
            if self.parent[key] != seqs[i]:
                raise InvalidGameError(
                    f"information set '{node.infoset}' of {node.player} is reached by different "
                    f"sequences of {node.player}'s own moves (at {where}): the game lacks perfect recall"
                )
        else:
            self.infosets[key] = actions
            self.parent[key] = seqs[i]
        for a, child in node.actions.items():
            new = seqs[:i] + (seqs[i] + ((node.infoset, a),),) + seqs[i + 1:]
            self._walk(child, path + (a,), prob, new, n)

    # ---------------------------------------------------------------- strategies
    def information_sets(self, player: str) -> list[tuple[str, tuple[str, ...]]]:
        """The player's information sets with their actions, in the order first met.

        Parameters
        ----------
        player : str
            One of the game's players.

        Returns
        -------
        list of (str, tuple of str)
            Each information set's label and its actions.

        Examples
        --------
        >>> from alliance.games.sequential import Leaf
        >>> def p2(first):
        ...     return Move("P2", "h", {"H": Leaf((1, -1) if first == "H" else (-1, 1)),
        ...                             "T": Leaf((-1, 1) if first == "H" else (1, -1))})
        >>> g = ExtensiveGame(Move("P1", "start", {"H": p2("H"), "T": p2("T")}), ["P1", "P2"])
        >>> g.information_sets("P2")
        [('h', ('H', 'T'))]
        """
        i = self.players.index(player)
        return [(h, acts) for (j, h), acts in self.infosets.items() if j == i]

    def pure_strategies(self, player: str) -> list[dict[str, str]]:
        """Every pure strategy: an action at each of the player's information sets.

        Parameters
        ----------
        player : str
            One of the game's players.

        Returns
        -------
        list of dict
            Each pure strategy as ``{infoset: action}``, in the order of
            :meth:`information_sets` and of the actions (the product of the action sets).

        Examples
        --------
        >>> from alliance.games.sequential import Leaf
        >>> def p2(first):
        ...     return Move("P2", "h", {"H": Leaf((1, -1) if first == "H" else (-1, 1)),
        ...                             "T": Leaf((-1, 1) if first == "H" else (1, -1))})
        >>> g = ExtensiveGame(Move("P1", "start", {"H": p2("H"), "T": p2("T")}), ["P1", "P2"])
        >>> g.pure_strategies("P1")
        [{'start': 'H'}, {'start': 'T'}]
        """
        sets = self.information_sets(player)
        return [dict(zip([h for h, _ in sets], choice, strict=True))
                for choice in itertools.product(*[acts for _, acts in sets])]

    @staticmethod
    def _consistent(strategy: Mapping[str, str], sequence: tuple) -> bool:
        return all(strategy[h] == a for h, a in sequence)

    def to_normal_form(self) -> NormalFormGame:
        """The normal form: pure strategies named by their actions (``a.b.c`` in infoset order).

        Returns
        -------
        NormalFormGame
            One strategy per pure strategy of :meth:`pure_strategies`; payoffs are expected
            over chance, exact when the tree's numbers are.

        Raises
        ------
        SizeLimitError
            If there are more than :data:`MAX_PURE_PROFILES` pure profiles.

        Examples
        --------
        >>> from alliance.games.sequential import Leaf
        >>> def p2(first):
        ...     return Move("P2", "h", {"H": Leaf((1, -1) if first == "H" else (-1, 1)),
        ...                             "T": Leaf((-1, 1) if first == "H" else (1, -1))})
        >>> g = ExtensiveGame(Move("P1", "start", {"H": p2("H"), "T": p2("T")}), ["P1", "P2"])
        >>> nf = g.to_normal_form()
        >>> nf.strategies, nf.payoffs[..., 0].tolist()
        ((('H', 'T'), ('H', 'T')), [[1.0, -1.0], [-1.0, 1.0]])
        """
        strategies = [self.pure_strategies(p) for p in self.players]
        count = math.prod(len(s) for s in strategies)
        if count > MAX_PURE_PROFILES:
            raise SizeLimitError(
                f"the normal form has {count} pure profiles, more than {MAX_PURE_PROFILES}; use the "
                "sequence form (two players) instead"
            )
        n = len(self.players)
        shape = tuple(len(s) for s in strategies)
        table = np.empty(shape + (n,), dtype=object)
        # which pure strategies of each player are consistent with each leaf's sequence
        reach = [np.array([[self._consistent(s, leaf[1][i]) for leaf in self.leaves] for s in strategies[i]])
                 for i in range(n)]
        for prof in itertools.product(*(range(k) for k in shape)):
            mask = np.logical_and.reduce([reach[i][prof[i]] for i in range(n)])
            values = [0] * n
            for k in np.flatnonzero(mask):
                prob, _, pay = self.leaves[k]
                for i in range(n):
                    values[i] += prob * pay[i]
            table[prof] = values
        names = [[".".join(s.values()) or "(none)" for s in strategies[i]] for i in range(n)]
        return NormalFormGame(table, self.players, names, title=self.title)

    def behaviour_strategy(self, player: str, mixed: Sequence[Any]) -> dict[str, Any]:
        """Kuhn's behaviour strategy equivalent to a mixed strategy over :meth:`pure_strategies`.

        The probability of action ``a`` at information set ``h`` is the probability of the
        sequence leading to ``h`` followed by ``a``, divided by that of the sequence leading to
        ``h`` (``None`` when the mixed strategy never reaches ``h``).

        Parameters
        ----------
        player : str
            One of the game's players.
        mixed : sequence of number
            The probability of each of the player's :meth:`pure_strategies`, in their order.

        Returns
        -------
        dict
            ``{infoset: {action: probability}}``, with ``None`` for an information set the
            mixed strategy never reaches.

        Raises
        ------
        InvalidGameError
            If ``mixed`` does not have one entry per pure strategy.

        Examples
        --------
        >>> from alliance.games.sequential import Leaf
        >>> def p2(first):
        ...     return Move("P2", "h", {"H": Leaf((1, -1) if first == "H" else (-1, 1)),
        ...                             "T": Leaf((-1, 1) if first == "H" else (1, -1))})
        >>> g = ExtensiveGame(Move("P1", "start", {"H": p2("H"), "T": p2("T")}), ["P1", "P2"])
        >>> from fractions import Fraction
        >>> g.behaviour_strategy("P1", [Fraction(1, 4), Fraction(3, 4)])
        {'start': {'H': Fraction(1, 4), 'T': Fraction(3, 4)}}

        References
        ----------
        Kuhn, H. W. (1953). Extensive games and the problem of information. In *Contributions
        to the Theory of Games II*, 193-216. Princeton University Press.
        """
        pure = self.pure_strategies(player)
        if len(mixed) != len(pure):
            raise InvalidGameError(f"mixed strategy of {player} has {len(mixed)} entries; it has {len(pure)} pure strategies")
        i = self.players.index(player)

        def realisation(sequence: tuple) -> Any:
            return sum((m for m, s in zip(mixed, pure, strict=True) if self._consistent(s, sequence)), 0)

        out: dict[str, Any] = {}
        for h, acts in self.information_sets(player):
            before = realisation(self.parent[(i, h)])
            out[h] = None if before == 0 else {
                a: realisation(self.parent[(i, h)] + ((h, a),)) / before for a in acts
            }
        return out

    def expected_payoffs(self, strategies: Mapping[str, Mapping[str, Mapping[str, Any]]]) -> tuple:
        """Expected payoffs of a behaviour profile (``strategies[player][infoset][action]``).

        Parameters
        ----------
        strategies : mapping
            ``strategies[player][infoset][action]`` is a probability; an information set may
            map to ``None`` if the player's own strategy never reaches it.

        Returns
        -------
        tuple
            Each player's expected payoff, over chance and the players' randomisation.

        Examples
        --------
        >>> from alliance.games.sequential import Leaf
        >>> def p2(first):
        ...     return Move("P2", "h", {"H": Leaf((1, -1) if first == "H" else (-1, 1)),
        ...                             "T": Leaf((-1, 1) if first == "H" else (1, -1))})
        >>> g = ExtensiveGame(Move("P1", "start", {"H": p2("H"), "T": p2("T")}), ["P1", "P2"])
        >>> from fractions import Fraction
        >>> g.expected_payoffs({"P1": {"start": {"H": 1, "T": 0}},
        ...                     "P2": {"h": {"H": Fraction(1, 4), "T": Fraction(3, 4)}}})
        (Fraction(-1, 2), Fraction(1, 2))
        """
        n = len(self.players)
        total = [0] * n
        for prob, seqs, pay in self.leaves:
            weight = prob
            for i, p in enumerate(self.players):
                for h, a in seqs[i]:
                    mix = strategies[p][h]
                    weight = weight * (0 if mix is None else mix[a])
            for i in range(n):
                total[i] += weight * pay[i]
        return tuple(total)

    # ---------------------------------------------------------------- sequence form
    def sequences(self, player: str) -> list[tuple]:
        """The player's sequences: the empty one, then each (infoset, action) extension.

        Parameters
        ----------
        player : str
            One of the game's players.

        Returns
        -------
        list of tuple
            Each sequence as a tuple of ``(infoset, action)`` pairs of the player's own moves,
            the empty sequence ``()`` first.

        Examples
        --------
        >>> from alliance.games.sequential import Leaf
        >>> def p2(first):
        ...     return Move("P2", "h", {"H": Leaf((1, -1) if first == "H" else (-1, 1)),
        ...                             "T": Leaf((-1, 1) if first == "H" else (1, -1))})
        >>> g = ExtensiveGame(Move("P1", "start", {"H": p2("H"), "T": p2("T")}), ["P1", "P2"])
        >>> g.sequences("P1")
        [(), (('start', 'H'),), (('start', 'T'),)]

        References
        ----------
        Koller, D., Megiddo, N. and von Stengel, B. (1996). Efficient computation of equilibria
        for extensive two-person games. *Games and Economic Behavior* 14(2), 247-259.
        """
        i = self.players.index(player)
        out = [()]
        for h, acts in self.information_sets(player):
            out.extend(self.parent[(i, h)] + ((h, a),) for a in acts)
        return out

    def sequence_form(self) -> SequenceForm:
        """The sequence form of a two-player game (see the module notes).

        Returns
        -------
        SequenceForm
            Sequences, payoff matrices ``A`` and ``B`` and the constraints ``E, e, F, f``.

        Raises
        ------
        InvalidGameError
            If the game does not have two players.

        Examples
        --------
        >>> from alliance.games.sequential import Leaf
        >>> def p2(first):
        ...     return Move("P2", "h", {"H": Leaf((1, -1) if first == "H" else (-1, 1)),
        ...                             "T": Leaf((-1, 1) if first == "H" else (1, -1))})
        >>> g = ExtensiveGame(Move("P1", "start", {"H": p2("H"), "T": p2("T")}), ["P1", "P2"])
        >>> sf = g.sequence_form()
        >>> [[str(v) for v in row] for row in sf.A]
        [['0', '0', '0'], ['0', '1', '-1'], ['0', '-1', '1']]

        References
        ----------
        Koller, D., Megiddo, N. and von Stengel, B. (1996). Efficient computation of equilibria
        for extensive two-person games. *Games and Economic Behavior* 14(2), 247-259.
        """
        if len(self.players) != 2:
            raise InvalidGameError(f"the sequence form is built for two players; the game has {len(self.players)}")
        seqs = [self.sequences(p) for p in self.players]
        index = [{s: k for k, s in enumerate(ss)} for ss in seqs]
        A = np.full((len(seqs[0]), len(seqs[1])), Fraction(0), dtype=object)
        B = np.full_like(A, Fraction(0))
        for prob, (s1, s2), pay in self.leaves:
            A[index[0][s1], index[1][s2]] += prob * pay[0]
            B[index[0][s1], index[1][s2]] += prob * pay[1]
        constraints = []
        for i, p in enumerate(self.players):
            sets = self.information_sets(p)
            M = np.zeros((1 + len(sets), len(seqs[i])))
            M[0, 0] = 1
            for r, (h, acts) in enumerate(sets, start=1):
                M[r, index[i][self.parent[(i, h)]]] = -1
                for a in acts:
                    M[r, index[i][self.parent[(i, h)] + ((h, a),)]] = 1
            rhs = np.zeros(1 + len(sets))
            rhs[0] = 1
            constraints.append((M, rhs))
        (E, e), (F, f) = constraints
        return SequenceForm(tuple(tuple(s) for s in seqs), A, B, E, e, F, f)

    def _plan_to_behaviour(self, player: str, plan: np.ndarray) -> dict[str, Any]:
        i = self.players.index(player)
        index = {s: k for k, s in enumerate(self.sequences(player))}
        out: dict[str, Any] = {}
        for h, acts in self.information_sets(player):
            before = plan[index[self.parent[(i, h)]]]
            out[h] = None if before <= 1e-12 else {
                a: _clean(plan[index[self.parent[(i, h)] + ((h, a),)]] / before) for a in acts
            }
        return out

    def zero_sum_equilibrium(self) -> BehaviourProfile:
        """An equilibrium of a two-player zero-sum game by the sequence-form linear programme.

        Both players' realisation plans come from one linear programme each (player 2's from
        the same programme with the roles swapped); they are returned as behaviour strategies,
        rounded to nearby small fractions when that keeps the value exact.

        Returns
        -------
        BehaviourProfile
            Both players' behaviour strategies, the expected payoffs and ``value``, the game's
            value to player 1.

        Raises
        ------
        InvalidGameError
            If the game is not two-player zero-sum.
        ConvergenceError
            If the linear programme fails.

        Examples
        --------
        >>> from alliance.games.sequential import Leaf
        >>> def p2(first):
        ...     return Move("P2", "h", {"H": Leaf((1, -1) if first == "H" else (-1, 1)),
        ...                             "T": Leaf((-1, 1) if first == "H" else (1, -1))})
        >>> g = ExtensiveGame(Move("P1", "start", {"H": p2("H"), "T": p2("T")}), ["P1", "P2"])
        >>> eq = g.zero_sum_equilibrium()
        >>> eq.value, eq.strategies["P1"]["start"]
        (Fraction(0, 1), {'H': Fraction(1, 2), 'T': Fraction(1, 2)})

        References
        ----------
        Koller, D., Megiddo, N. and von Stengel, B. (1996). Efficient computation of equilibria
        for extensive two-person games. *Games and Economic Behavior* 14(2), 247-259.
        """
        sf = self.sequence_form()
        if any(a + b != 0 for a, b in zip(sf.A.flat, sf.B.flat, strict=True)):
            raise InvalidGameError("zero_sum_equilibrium needs payoffs that sum to zero at every leaf")
        A = sf.A.astype(float)
        x, v1 = _max_min_plan(A, sf.E, sf.e, sf.F, sf.f)
        y, v2 = _max_min_plan(-A.T, sf.F, sf.f, sf.E, sf.e)
        strategies = {self.players[0]: self._plan_to_behaviour(self.players[0], x),
                      self.players[1]: self._plan_to_behaviour(self.players[1], y)}
        pay = self.expected_payoffs(strategies)
        value = _clean(v1)
        return BehaviourProfile(strategies, pay, value, "sequence form LP")

    def sequence_form_equilibrium(self) -> BehaviourProfile:
        """One Nash equilibrium of a two-player game by Lemke's algorithm on the sequence form.

        The linear complementarity problem of Koller, Megiddo and von Stengel (1996), solved
        without building the normal form; see
        :func:`alliance.games.extensive.sequence_form.sequence_form_equilibrium`.

        Returns
        -------
        BehaviourProfile
            The equilibrium's behaviour strategies and expected payoffs.

        Examples
        --------
        A lender who lends or not, and a borrower who then repays or keeps the money: the
        borrower keeps, so the lender does not lend.

        >>> from alliance.games.sequential import Leaf
        >>> g = ExtensiveGame(Move("Lender", "lend?", {"no": Leaf((1, 0)), "yes": Move(
        ...     "Borrower", "repay?", {"repay": Leaf((2, 2)), "keep": Leaf((0, 3))})}),
        ...     ["Lender", "Borrower"])
        >>> g.sequence_form_equilibrium()
        BehaviourProfile(Lender [lend?: no] Borrower [repay?: keep] | payoffs 1, 0) [sequence form LCP]

        References
        ----------
        Koller, D., Megiddo, N. and von Stengel, B. (1996). Efficient computation of equilibria
        for extensive two-person games. *Games and Economic Behavior* 14(2), 247-259.
        """
        from alliance.games.extensive.sequence_form import sequence_form_equilibrium

        return sequence_form_equilibrium(self)

    def regret(self, strategies: Mapping[str, Mapping[str, Any]]) -> tuple:
        """Each player's gain from a best reply to a behaviour profile (zero at a Nash equilibrium).

        See :func:`alliance.games.extensive.sequence_form.behaviour_regret`.

        Parameters
        ----------
        strategies : mapping
            A behaviour profile, ``strategies[player][infoset][action]``.

        Returns
        -------
        tuple
            One regret per player, in the order of ``players``.

        Examples
        --------
        In matching pennies nobody gains by deviating from half and half; against a player 2
        who always plays heads, player 1 gains 1 by matching it:

        >>> from alliance.games.sequential import Leaf
        >>> def p2(first):
        ...     return Move("P2", "h", {"H": Leaf((1, -1) if first == "H" else (-1, 1)),
        ...                             "T": Leaf((-1, 1) if first == "H" else (1, -1))})
        >>> g = ExtensiveGame(Move("P1", "start", {"H": p2("H"), "T": p2("T")}), ["P1", "P2"])
        >>> from fractions import Fraction
        >>> half = {"H": Fraction(1, 2), "T": Fraction(1, 2)}
        >>> g.regret({"P1": {"start": half}, "P2": {"h": half}})
        (Fraction(0, 1), Fraction(0, 1))
        >>> g.regret({"P1": {"start": half}, "P2": {"h": {"H": 1, "T": 0}}})
        (Fraction(1, 1), Fraction(0, 1))
        """
        from alliance.games.extensive.sequence_form import behaviour_regret

        return behaviour_regret(self, strategies)

    def agent_qre(self, lam: Any, **kwargs: Any) -> Any:
        """The logit agent quantal response equilibrium at precision ``lam``.

        The agent QRE of McKelvey and Palfrey (1998) on the principal branch; see
        :func:`alliance.games.extensive.agent_qre.agent_qre`.

        Parameters
        ----------
        lam : float or sequence of float
            Precision(s) :math:`\\lambda \\ge 0`, per payoff unit.
        **kwargs
            ``first_step`` and ``max_accel`` of the branch tracer.

        Returns
        -------
        AgentQRE, or a list of them (one per ``lam``)

        Examples
        --------
        The borrower's agent keeps the money with the logit probability
        :math:`1/(1 + e^{-\\lambda})` (keeping pays 1 more than repaying):

        >>> import math
        >>> from alliance.games.sequential import Leaf
        >>> g = ExtensiveGame(Move("Lender", "lend?", {"no": Leaf((1, 0)), "yes": Move(
        ...     "Borrower", "repay?", {"repay": Leaf((2, 2)), "keep": Leaf((0, 3))})}),
        ...     ["Lender", "Borrower"])
        >>> q = g.agent_qre(1.0)
        >>> abs(q.strategies["Borrower"]["repay?"]["keep"] - 1 / (1 + math.exp(-1))) < 1e-6
        True

        References
        ----------
        McKelvey, R. D. and Palfrey, T. R. (1998). Quantal response equilibria for extensive
        form games. *Experimental Economics* 1(1), 9-41.
        """
        from alliance.games.extensive.agent_qre import agent_qre

        return agent_qre(self, lam, **kwargs)

    def agent_qre_branch(self, lam_max: float = 100.0, **kwargs: Any) -> Any:
        """The principal branch of the logit AQRE correspondence, from 0 to ``lam_max``.

        See :func:`alliance.games.extensive.agent_qre.agent_qre_branch`.

        Parameters
        ----------
        lam_max : float, default 100.0
            Precision at which to stop (>= 0, per payoff unit).
        **kwargs
            ``first_step`` and ``max_accel`` of the branch tracer.

        Returns
        -------
        AgentQREBranch
            Every traced point; its ``limit`` is the point at ``lam_max``.

        Examples
        --------
        >>> from alliance.games.sequential import Leaf
        >>> g = ExtensiveGame(Move("Lender", "lend?", {"no": Leaf((1, 0)), "yes": Move(
        ...     "Borrower", "repay?", {"repay": Leaf((2, 2)), "keep": Leaf((0, 3))})}),
        ...     ["Lender", "Borrower"])
        >>> g.agent_qre_branch(lam_max=10.0).limit.strategies["Lender"]["lend?"]["no"] > 0.9999
        True

        References
        ----------
        McKelvey, R. D. and Palfrey, T. R. (1998). Quantal response equilibria for extensive
        form games. *Experimental Economics* 1(1), 9-41.
        """
        from alliance.games.extensive.agent_qre import agent_qre_branch

        return agent_qre_branch(self, lam_max, **kwargs)

    def realisation_plan(self, player: str, strategy: Mapping[str, Any]) -> list[Any]:
        """The probability of each of the player's :meth:`sequences` under a behaviour strategy.

        Parameters
        ----------
        player : str
            One of the game's players.
        strategy : mapping
            The player's behaviour strategy, ``{infoset: {action: probability}}``.

        Returns
        -------
        list
            The realisation probability of each sequence, in the order of :meth:`sequences`
            (1 for the empty sequence).

        Examples
        --------
        >>> from alliance.games.sequential import Leaf
        >>> def p2(first):
        ...     return Move("P2", "h", {"H": Leaf((1, -1) if first == "H" else (-1, 1)),
        ...                             "T": Leaf((-1, 1) if first == "H" else (1, -1))})
        >>> g = ExtensiveGame(Move("P1", "start", {"H": p2("H"), "T": p2("T")}), ["P1", "P2"])
        >>> from fractions import Fraction
        >>> g.realisation_plan("P1", {"start": {"H": Fraction(1, 4), "T": Fraction(3, 4)}})
        [1, Fraction(1, 4), Fraction(3, 4)]

        References
        ----------
        Koller, D., Megiddo, N. and von Stengel, B. (1996). Efficient computation of equilibria
        for extensive two-person games. *Games and Economic Behavior* 14(2), 247-259.
        """
        from alliance.games.extensive.sequence_form import realisation_plan

        return realisation_plan(self, player, strategy)

    def equilibria(self, **kwargs: Any) -> list[BehaviourProfile]:
        """Every equilibrium the normal form's ``equilibria()`` finds, as behaviour profiles.

        Each mixed equilibrium of :meth:`to_normal_form` becomes a behaviour profile by
        :meth:`behaviour_strategy` (Kuhn 1953).

        Parameters
        ----------
        **kwargs
            Keyword arguments of :meth:`NormalFormGame.equilibria`.

        Returns
        -------
        list of BehaviourProfile
            In the order the normal form's solver returns them.

        Examples
        --------
        >>> from alliance.games.sequential import Leaf
        >>> def p2(first):
        ...     return Move("P2", "h", {"H": Leaf((1, -1) if first == "H" else (-1, 1)),
        ...                             "T": Leaf((-1, 1) if first == "H" else (1, -1))})
        >>> g = ExtensiveGame(Move("P1", "start", {"H": p2("H"), "T": p2("T")}), ["P1", "P2"])
        >>> g.equilibria()
        [BehaviourProfile(P1 [start: (H 1/2, T 1/2)] P2 [h: (H 1/2, T 1/2)] | payoffs 0, 0) [normal form (vertex)]]

        References
        ----------
        Kuhn, H. W. (1953). Extensive games and the problem of information. In *Contributions
        to the Theory of Games II*, 193-216. Princeton University Press.
        """
        form = self.to_normal_form()
        out = []
        for eq in form.equilibria(**kwargs):
            strategies = {p: self.behaviour_strategy(p, eq.profile[i]) for i, p in enumerate(self.players)}
            out.append(BehaviourProfile(strategies, self.expected_payoffs(strategies), None,
                                        f"normal form ({eq.method})"))
        return out

    def __repr__(self) -> str:
        sets = ", ".join(f"{p}: {len(self.information_sets(p))} infoset(s)" for p in self.players)
        return f"ExtensiveGame({self.title + ': ' if self.title else ''}{sets}, {len(self.leaves)} leaves)"


def _clean(value: float) -> Any:
    """A float as a small fraction when one is within 1e-9 (LP output of rational games)."""
    f = Fraction(float(value)).limit_denominator(10_000)
    return f if abs(float(f) - float(value)) <= 1e-9 else float(value)


def _max_min_plan(A: np.ndarray, E: np.ndarray, e: np.ndarray, F: np.ndarray, f: np.ndarray
                  ) -> tuple[np.ndarray, float]:
    """max_x min_y x'Ay over realisation plans: max f'q s.t. F'q <= A'x, Ex = e, x >= 0."""
    nx, nq = E.shape[1], F.shape[0]
    c = np.concatenate([np.zeros(nx), -f])
    A_ub = np.hstack([-A.T, F.T])
    b_ub = np.zeros(A.shape[1])
    A_eq = np.hstack([E, np.zeros((E.shape[0], nq))])
    bounds = [(0, None)] * nx + [(None, None)] * nq
    res = linprog(c, A_ub=A_ub, b_ub=b_ub, A_eq=A_eq, b_eq=e, bounds=bounds, method="highs")
    if res.status != 0:
        raise ConvergenceError(f"the sequence-form linear programme failed: {res.message}")
    return res.x[:nx], float(-res.fun)
