r"""Equilibria of two-player extensive games in the sequence form, and regrets of behaviour
strategies computed on the tree.

* :func:`sequence_form_equilibrium`: one Nash equilibrium of a general-sum two-player game with
  imperfect information and perfect recall, by Lemke's algorithm on the sequence-form LCP
  (Koller, Megiddo and von Stengel 1996; :mod:`alliance.games.solvers.lemke_sequence`). The
  LCP has one row per sequence and per information set, so the work is polynomial in the
  size of the tree per pivot, with no normal form built; exact for rational payoffs.
* :func:`behaviour_regret`: each player's gain from a best reply to the others' behaviour
  strategies, by backward induction over the player's own sequences (perfect recall makes the
  best reply a maximum at each information set of the values of its continuations), for any
  number of players. A profile is a Nash equilibrium iff every regret is zero.
* :func:`realisation_plan`: the probability of each of a player's sequences under a behaviour
  strategy (the product of the player's own action probabilities along it).

Examples
--------
Entry in the dark: a weak or a strong entrant (equally likely) enters or stays out; the
incumbent, not seeing which kind came in, fights or accommodates.

>>> from fractions import Fraction as F
>>> from alliance.games.sequential import Chance, Leaf
>>> from alliance.games.extensive import ExtensiveGame, Move
>>> def entrant(kind, fight, share):
...     return Move("Entrant", kind, {
...         "out": Leaf((0, 2)),
...         "in": Move("Incumbent", "entered", {"fight": Leaf(fight), "accommodate": Leaf(share)})})
>>> g = ExtensiveGame(Chance({"weak": (F(1, 2), entrant("weak", (-1, 1), (1, 1))),
...                           "strong": (F(1, 2), entrant("strong", (1, -1), (2, 1)))}),
...                   ["Entrant", "Incumbent"])
>>> eq = g.sequence_form_equilibrium()
>>> eq.strategies["Incumbent"]["entered"], g.regret(eq.strategies)
({'fight': Fraction(0, 1), 'accommodate': Fraction(1, 1)}, (Fraction(0, 1), Fraction(0, 1)))

References
----------
Koller, D., Megiddo, N. and von Stengel, B. (1996). Efficient computation of equilibria for
extensive two-person games. *Games and Economic Behavior* 14(2), 247-259.

von Stengel, B. (1996). Efficient computation of behavior strategies. *Games and Economic
Behavior* 14(2), 220-246.
"""

from __future__ import annotations

from collections.abc import Mapping
from fractions import Fraction
from typing import TYPE_CHECKING, Any

import numpy as np

from alliance.errors import InvalidGameError
from alliance.games.solvers.lemke_sequence import sequence_form_lcp

if TYPE_CHECKING:
    from alliance.games.extensive.tree import BehaviourProfile, ExtensiveGame

__all__ = ["sequence_form_equilibrium", "behaviour_regret", "realisation_plan", "plan_to_behaviour"]


def _probability(strategies: Mapping[str, Any], player: str, infoset: str, action: str) -> Any:
    try:
        mix = strategies[player][infoset]
    except KeyError as err:
        raise InvalidGameError(
            f"the behaviour profile has no strategy for {player} at information set {err}"
        ) from err
    if mix is None:
        return 0
    try:
        return mix[action]
    except KeyError as err:
        raise InvalidGameError(
            f"the behaviour strategy of {player} at '{infoset}' has no probability for action {err}"
        ) from err


def realisation_plan(game: ExtensiveGame, player: str, strategy: Mapping[str, Any]) -> list[Any]:
    """The probability of each of ``player``'s sequences (in :meth:`ExtensiveGame.sequences`
    order) under its behaviour strategy ``strategy[infoset][action]``.

    Parameters
    ----------
    game : ExtensiveGame
    player : str
    strategy : mapping
        ``strategy[infoset][action]``: the player's behaviour strategy.

    Returns
    -------
    list
        One probability per sequence, the empty sequence (probability 1) first.

    Examples
    --------
    >>> from fractions import Fraction as F
    >>> from alliance.games.extensive import ExtensiveGame, Move
    >>> from alliance.games.sequential import Leaf
    >>> def p2(first):
    ...     return Move("P2", "h", {"H": Leaf((1, -1) if first == "H" else (-1, 1)),
    ...                             "T": Leaf((-1, 1) if first == "H" else (1, -1))})
    >>> g = ExtensiveGame(Move("P1", "start", {"H": p2("H"), "T": p2("T")}), ["P1", "P2"])
    >>> realisation_plan(g, "P1", {"start": {"H": F(1, 3), "T": F(2, 3)}})
    [1, Fraction(1, 3), Fraction(2, 3)]
    """
    out = []
    for seq in game.sequences(player):
        p: Any = 1
        for h, a in seq:
            p = p * _probability({player: strategy}, player, h, a)
        out.append(p)
    return out


def plan_to_behaviour(game: ExtensiveGame, player: str, plan: list[Any]) -> dict[str, Any]:
    """The behaviour strategy of a realisation plan: the probability of ``a`` at ``h`` is
    ``plan[parent + (h, a)] / plan[parent]``, ``None`` where the plan never reaches ``h``.

    Parameters
    ----------
    game : ExtensiveGame
    player : str
    plan : list
        One probability per sequence, in :meth:`ExtensiveGame.sequences` order.

    Returns
    -------
    dict
        ``strategy[infoset][action]`` (``None`` at unreached information sets).

    Examples
    --------
    >>> from fractions import Fraction as F
    >>> from alliance.games.extensive import ExtensiveGame, Move
    >>> from alliance.games.sequential import Leaf
    >>> def p2(first):
    ...     return Move("P2", "h", {"H": Leaf((1, -1) if first == "H" else (-1, 1)),
    ...                             "T": Leaf((-1, 1) if first == "H" else (1, -1))})
    >>> g = ExtensiveGame(Move("P1", "start", {"H": p2("H"), "T": p2("T")}), ["P1", "P2"])
    >>> plan_to_behaviour(g, "P1", [F(1), F(1, 4), F(3, 4)])
    {'start': {'H': Fraction(1, 4), 'T': Fraction(3, 4)}}
    """
    i = game.players.index(player)
    index = {s: k for k, s in enumerate(game.sequences(player))}
    out: dict[str, Any] = {}
    for h, acts in game.information_sets(player):
        before = plan[index[game.parent[(i, h)]]]
        out[h] = None if before == 0 else {a: plan[index[game.parent[(i, h)] + ((h, a),)]] / before
                                           for a in acts}
    return out


def behaviour_regret(game: ExtensiveGame, strategies: Mapping[str, Mapping[str, Any]]) -> tuple:
    """Each player's regret: the best-reply payoff against the others' behaviour strategies
    minus the profile's payoff.

    Parameters
    ----------
    game : ExtensiveGame
    strategies : mapping
        ``strategies[player][infoset]`` maps actions to probabilities (``None`` at an
        information set the player's own strategy never reaches).

    Returns
    -------
    tuple
        One regret per player (>= 0; exact for rational profiles).

    Raises
    ------
    InvalidGameError
        If the profile misses a player, an information set or an action.

    Examples
    --------
    Against a player 2 who always plays H, player 1 gains 2 by switching from T to H.

    >>> from fractions import Fraction as F
    >>> from alliance.games.extensive import ExtensiveGame, Move
    >>> from alliance.games.sequential import Leaf
    >>> def p2(first):
    ...     return Move("P2", "h", {"H": Leaf((1, -1) if first == "H" else (-1, 1)),
    ...                             "T": Leaf((-1, 1) if first == "H" else (1, -1))})
    >>> g = ExtensiveGame(Move("P1", "start", {"H": p2("H"), "T": p2("T")}), ["P1", "P2"])
    >>> behaviour_regret(g, {"P1": {"start": {"H": F(0), "T": F(1)}},
    ...                      "P2": {"h": {"H": F(1), "T": F(0)}}})
    (Fraction(2, 1), Fraction(0, 1))
    """
    for player in game.players:
        for h, acts in game.information_sets(player):
            for a in acts:
                _probability(strategies, player, h, a)
    current = game.expected_payoffs(strategies)
    regrets = []
    for i, player in enumerate(game.players):
        own: dict[tuple, Any] = {}
        for prob, seqs, pay in game.leaves:
            weight = prob
            for j, other in enumerate(game.players):
                if j == i:
                    continue
                for h, a in seqs[j]:
                    weight = weight * _probability(strategies, other, h, a)
            if weight != 0:
                own[seqs[i]] = own.get(seqs[i], 0) + weight * pay[i]
        children: dict[tuple, list[tuple[str, tuple[str, ...]]]] = {}
        for h, acts in game.information_sets(player):
            children.setdefault(game.parent[(i, h)], []).append((h, acts))

        def value(seq: tuple, children: dict = children, own: dict = own) -> Any:
            total = own.get(seq, 0)
            for h, acts in children.get(seq, ()):
                total = total + max(value(seq + ((h, a),)) for a in acts)
            return total

        regrets.append(value(()) - current[i])
    return tuple(regrets)


def sequence_form_equilibrium(game: ExtensiveGame) -> BehaviourProfile:
    """One Nash equilibrium of a two-player extensive game by Lemke's algorithm on the
    sequence-form LCP (see the module notes).

    Parameters
    ----------
    game : ExtensiveGame
        Two players, numeric payoffs.

    Returns
    -------
    BehaviourProfile
        Behaviour strategies (exact fractions for rational payoffs; ``None`` at information
        sets a player's own strategy never reaches), with ``method="sequence form LCP"``.

    Raises
    ------
    InvalidGameError
        If the game does not have two players.
    ConvergenceError
        If Lemke's algorithm fails (it should not: see
        :mod:`alliance.games.solvers.lemke_sequence`).

    Examples
    --------
    >>> from fractions import Fraction as F
    >>> from alliance.games.extensive import ExtensiveGame, Move
    >>> from alliance.games.sequential import Leaf
    >>> def p2(first):
    ...     return Move("P2", "h", {"H": Leaf((1, -1) if first == "H" else (-1, 1)),
    ...                             "T": Leaf((-1, 1) if first == "H" else (1, -1))})
    >>> g = ExtensiveGame(Move("P1", "start", {"H": p2("H"), "T": p2("T")}), ["P1", "P2"])
    >>> sequence_form_equilibrium(g).strategies["P2"]
    {'h': {'H': Fraction(1, 2), 'T': Fraction(1, 2)}}
    """
    from alliance.games.extensive.tree import BehaviourProfile

    sf = game.sequence_form()  # checks that there are two players
    index = [{s: k for k, s in enumerate(seqs)} for seqs in sf.sequences]
    # every leaf's payoff minus (largest payoff + 1): negative payoffs, same best replies
    shift = [max((pay[i] for _, _, pay in game.leaves), default=0) + 1 for i in range(2)]
    A = np.full(sf.A.shape, Fraction(0), dtype=object)
    B = np.full(sf.A.shape, Fraction(0), dtype=object)
    for prob, (s1, s2), pay in game.leaves:
        A[index[0][s1], index[1][s2]] += prob * (pay[0] - shift[0])
        B[index[0][s1], index[1][s2]] += prob * (pay[1] - shift[1])
    x, y = sequence_form_lcp(A, B, sf.E, sf.e, sf.F, sf.f)
    exact = all(isinstance(v, Fraction) for _, _, pay in game.leaves for v in pay) and all(
        isinstance(p, Fraction) for p, _, _ in game.leaves)
    plans = (x, y) if exact else ([float(v) for v in x], [float(v) for v in y])
    strategies = {p: plan_to_behaviour(game, p, list(plan)) for p, plan in zip(game.players, plans, strict=True)}
    return BehaviourProfile(strategies, game.expected_payoffs(strategies), None, "sequence form LCP")
