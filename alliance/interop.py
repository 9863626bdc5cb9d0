"""Conversions between `alliance` objects and those of the peers an economist already uses.

Two-player and n-player games go to and from nashpy (``nashpy.Game``), pygambit
(``pygambit.Game``, strategic form) and QuantEcon (``quantecon.game_theory.NormalFormGame``);
alliance networks go to and from networkx directed graphs. The peers are optional: each is
imported inside the function that needs it, and a missing one raises an ``ImportError`` that
names the extra to install (``pip install "alliance[peers]"``).

Payoffs keep their exact values where the peer can hold them (pygambit stores rationals;
nashpy and QuantEcon hold NumPy arrays, so integer payoffs stay integers and fractions
become floats). Player and strategy names travel to pygambit, whose games carry labels;
nashpy and QuantEcon games carry none, so names are passed back in by the caller.

Examples
--------
>>> import nashpy
>>> import alliance as al
>>> g = al.NormalFormGame.from_matrices([[3, 0], [5, 1]], [[3, 5], [0, 1]])
>>> back = al.NormalFormGame.from_nashpy(g.to_nashpy())
>>> back == g
True
>>> net = al.AllianceNetwork()
>>> net.add_member("A", demand=200, pd=0.04, lgd=0.5)
>>> net.add_member("B", demand=100, pd=0.0, lgd=0.5, equity=1000)
>>> net.add_chain("B", "A", kind="guarantee", amount=40)
>>> G = net.to_networkx()
>>> G.nodes["A"]["demand"], G.edges["B", "A"]["amount"]
(200.0, 40.0)
>>> al.AllianceNetwork.from_networkx(G).to_frames()[1].equals(net.to_frames()[1])
True
"""

from __future__ import annotations

import importlib
from collections.abc import Sequence
from fractions import Fraction
from typing import TYPE_CHECKING, Any

import numpy as np

from alliance.errors import InvalidGameError, NetworkError

if TYPE_CHECKING:  # pragma: no cover
    from alliance.games.normal_form import NormalFormGame
    from alliance.network.network import AllianceNetwork

__all__ = [
    "foreign_constructor",
    "game_from_nashpy",
    "game_from_pygambit",
    "game_from_quantecon",
    "game_to_nashpy",
    "game_to_pygambit",
    "game_to_quantecon",
    "network_from_networkx",
    "network_to_networkx",
]

#: The extra of ``pyproject.toml`` that installs every peer package.
PEERS_EXTRA = "peers"


def _require(module: str, package: str) -> Any:
    """Import an optional peer, or say which extra brings it."""
    try:
        return importlib.import_module(module)
    except ImportError as exc:  # pragma: no cover - the peers are installed in the test env
        raise ImportError(
            f"this conversion needs the optional package {package!r}; install it with "
            f'pip install "alliance[{PEERS_EXTRA}]" (or pip install {package})'
        ) from exc


def foreign_constructor(obj: Any) -> str | None:
    """The `alliance` constructor that reads ``obj``, if ``obj`` is a peer's game or graph.

    Used by constructors to turn "got shape ()" into an error that names the right call.

    Parameters
    ----------
    obj : object
        Anything passed to a constructor.

    Returns
    -------
    str or None
        ``"NormalFormGame.from_nashpy"``, ``"NormalFormGame.from_pygambit"``,
        ``"NormalFormGame.from_quantecon"`` or ``"AllianceNetwork.from_networkx"``; ``None``
        when ``obj`` belongs to none of these peers.

    Examples
    --------
    >>> import nashpy
    >>> foreign_constructor(nashpy.Game([[1]], [[1]]))
    'NormalFormGame.from_nashpy'
    >>> foreign_constructor([[1, 2]]) is None
    True
    """
    mod = type(obj).__module__ or ""
    root = mod.split(".")[0]
    if root == "nashpy":
        return "NormalFormGame.from_nashpy"
    if root == "pygambit":
        return "NormalFormGame.from_pygambit"
    if root == "quantecon" and type(obj).__name__ == "NormalFormGame":
        return "NormalFormGame.from_quantecon"
    if root == "networkx":
        return "AllianceNetwork.from_networkx"
    return None


# -- nashpy ------------------------------------------------------------------------------------
def _plain_matrix(m: np.ndarray) -> np.ndarray:
    """Integers stay integers (nashpy compares payoffs exactly); anything else is float."""
    if all(isinstance(v, int | np.integer) for v in m.ravel()):
        return m.astype(np.int64)
    if all(isinstance(v, Fraction) and v.denominator == 1 for v in m.ravel()):
        return m.astype(np.int64)
    return m.astype(float)


def game_to_nashpy(game: NormalFormGame) -> Any:
    """A ``nashpy.Game`` with the payoff matrices of a numeric two-player game.

    Parameters
    ----------
    game : NormalFormGame
        A numeric game of two players.

    Returns
    -------
    nashpy.Game
        The row and column payoff matrices; integer payoffs stay integers, others become
        floats. Names are not carried (nashpy games have none).

    Raises
    ------
    InvalidGameError
        If the game is symbolic or has more than two players (nashpy's games are bimatrix).

    Examples
    --------
    >>> import alliance as al
    >>> g = al.NormalFormGame.from_matrices([[3, 0], [5, 1]], [[3, 5], [0, 1]],
    ...                                     players=("Row", "Col"),
    ...                                     strategies=(("C", "D"), ("C", "D")))
    >>> game_to_nashpy(g).payoff_matrices[0].tolist()
    [[3, 0], [5, 1]]
    """
    nash = _require("nashpy", "nashpy")
    if game.n_players != 2:
        raise InvalidGameError(
            f"nashpy holds two-player games; this game has {game.n_players} players"
        )
    if game.is_symbolic:
        raise InvalidGameError("nashpy needs numbers: call .subs(...) on the symbolic game first")
    table = game.exact_payoffs if game.exact_payoffs is not None else game.payoffs
    return nash.Game(_plain_matrix(table[..., 0]), _plain_matrix(table[..., 1]))


def game_from_nashpy(
    nash_game: Any,
    players: Sequence[str] | None = None,
    strategies: Sequence[Sequence[str]] | None = None,
) -> NormalFormGame:
    """A :class:`~alliance.NormalFormGame` from a ``nashpy.Game`` (bimatrix or zero-sum).

    Parameters
    ----------
    nash_game : nashpy.Game
        The peer's game.
    players : sequence of str, optional
        The two players' names (nashpy games carry none; default ``"Player 1"``, ...).
    strategies : sequence of sequence of str, optional
        Each player's strategy names (default ``"s1"``, ``"s2"``, ...).

    Returns
    -------
    NormalFormGame
        The same payoffs, exact when they are integers.

    Raises
    ------
    InvalidGameError
        If ``nash_game`` does not hold two payoff matrices.

    Examples
    --------
    >>> import nashpy
    >>> pd = nashpy.Game([[3, 0], [5, 1]], [[3, 5], [0, 1]])
    >>> game_from_nashpy(pd, players=("Row", "Col")).pure_equilibria()
    [Equilibrium(Row: s2; Col: s2 | payoffs 1, 1) [pure, exact]]
    """
    from alliance.games.normal_form import NormalFormGame

    mats = getattr(nash_game, "payoff_matrices", None)
    if mats is None or len(mats) != 2:
        raise InvalidGameError(
            f"expected a nashpy.Game with two payoff matrices; got {type(nash_game).__name__}"
        )
    a, b = (np.asarray(m) for m in mats)
    return NormalFormGame.from_matrices(a, b, players=players, strategies=strategies)


# -- pygambit ----------------------------------------------------------------------------------
def game_to_pygambit(game: NormalFormGame) -> Any:
    """A pygambit strategic-form game with the players, strategies and exact payoffs.

    Exact games travel as Gambit rationals, float games as Gambit decimals.

    Parameters
    ----------
    game : NormalFormGame
        A numeric game with any number of players.

    Returns
    -------
    pygambit.Game
        Players and strategies labelled with the game's names; titled with ``game.title``
        (``"alliance game"`` when it has none).

    Raises
    ------
    InvalidGameError
        If the game is symbolic.

    Examples
    --------
    >>> import alliance as al
    >>> g = al.NormalFormGame.from_matrices([[3, 0], [5, 1]], [[3, 5], [0, 1]],
    ...                                     players=("Row", "Col"),
    ...                                     strategies=(("C", "D"), ("C", "D")))
    >>> gbt = game_to_pygambit(g)
    >>> list(gbt.players), gbt.get_strategies("Row")
    (['Row', 'Col'], ['C', 'D'])
    """
    gbt = _require("pygambit", "pygambit")
    if game.is_symbolic:
        raise InvalidGameError("pygambit needs numbers: call .subs(...) on the symbolic game first")
    exact = game.exact_payoffs
    if exact is not None:
        to_gambit = np.frompyfunc(lambda v: gbt.Rational(v.numerator, v.denominator), 1, 1)
        table = to_gambit(exact)
    else:
        table = np.frompyfunc(lambda v: gbt.Decimal(repr(float(v))), 1, 1)(game.payoffs)
    make = getattr(gbt, "StrategicGame", gbt.Game).from_arrays
    g = make(*(table[..., p] for p in range(game.n_players)), title=game.title or "alliance game")
    # Gambit labels players and strategies "1", "2", ... : rename them all at once
    defaults = list(g.players)
    g.relabel_players(dict(zip(defaults, game.players, strict=True)))
    for name, strats in zip(game.players, game.strategies, strict=True):
        g.relabel_strategies(name, dict(zip(g.get_strategies(name), strats, strict=True)))
    return g


def _gambit_number(v: Any) -> Any:
    # Gambit rationals are exact; its decimals came from floats and go back to floats
    if type(v).__name__ == "Rational":
        return Fraction(str(v))
    return float(v)


def game_from_pygambit(gambit_game: Any) -> NormalFormGame:
    """A :class:`~alliance.NormalFormGame` from a pygambit game (its strategic form).

    Labels become player and strategy names; rational payoffs stay exact.

    Parameters
    ----------
    gambit_game : pygambit.Game
        A strategic-form game (an extensive-form game is read through its strategic form).

    Returns
    -------
    NormalFormGame
        Exact payoffs when Gambit holds rationals, floats when it holds decimals.

    Raises
    ------
    InvalidGameError
        If ``gambit_game`` is not a pygambit game.

    Examples
    --------
    >>> import alliance as al
    >>> g = al.NormalFormGame.from_matrices([[3, 0], [5, 1]], [[3, 5], [0, 1]],
    ...                                     players=("Row", "Col"),
    ...                                     strategies=(("C", "D"), ("C", "D")))
    >>> back = game_from_pygambit(game_to_pygambit(g))
    >>> back.strategies, back == g
    ((('C', 'D'), ('C', 'D')), True)
    """
    from alliance.games.normal_form import NormalFormGame

    to_arrays = getattr(gambit_game, "to_arrays", None)
    if to_arrays is None:
        raise InvalidGameError(
            f"expected a pygambit game; got {type(gambit_game).__name__}"
        )
    arrays = to_arrays()
    table = np.stack([np.frompyfunc(_gambit_number, 1, 1)(a) for a in arrays], axis=-1)
    names = [str(p) for p in gambit_game.players]
    strats = [list(gambit_game.get_strategies(p)) for p in names]
    title = getattr(gambit_game, "title", None) or None
    if all(isinstance(v, float) for v in table.ravel()):
        table = table.astype(float)
    return NormalFormGame(table, players=names, strategies=strats, title=title)


# -- QuantEcon ---------------------------------------------------------------------------------
def game_to_quantecon(game: NormalFormGame) -> Any:
    """A ``quantecon.game_theory.NormalFormGame`` (float payoffs) of a numeric game.

    Parameters
    ----------
    game : NormalFormGame
        A numeric game with any number of players.

    Returns
    -------
    quantecon.game_theory.NormalFormGame
        The payoff profile array, as floats; names are not carried.

    Raises
    ------
    InvalidGameError
        If the game is symbolic.

    Examples
    --------
    >>> import alliance as al
    >>> g = al.NormalFormGame.from_matrices([[3, 0], [5, 1]], [[3, 5], [0, 1]],
    ...                                     players=("Row", "Col"),
    ...                                     strategies=(("C", "D"), ("C", "D")))
    >>> qe = game_to_quantecon(g)
    >>> qe.nums_actions, qe.payoff_profile_array[1, 1].tolist()
    ((2, 2), [1.0, 1.0])
    """
    gt = _require("quantecon.game_theory", "quantecon")
    if game.is_symbolic:
        raise InvalidGameError("QuantEcon needs numbers: call .subs(...) on the symbolic game first")
    return gt.NormalFormGame(np.asarray(game.payoffs, dtype=float))


def game_from_quantecon(
    qe_game: Any,
    players: Sequence[str] | None = None,
    strategies: Sequence[Sequence[str]] | None = None,
) -> NormalFormGame:
    """A :class:`~alliance.NormalFormGame` from a QuantEcon ``NormalFormGame``.

    Parameters
    ----------
    qe_game : quantecon.game_theory.NormalFormGame
        The peer's game.
    players : sequence of str, optional
        Players' names (QuantEcon games carry none).
    strategies : sequence of sequence of str, optional
        Each player's strategy names.

    Returns
    -------
    NormalFormGame
        Integer-valued float payoffs come back as exact integers.

    Raises
    ------
    InvalidGameError
        If ``qe_game`` has no payoff profile array.

    Examples
    --------
    >>> import alliance as al
    >>> g = al.NormalFormGame.from_matrices([[3, 0], [5, 1]], [[3, 5], [0, 1]],
    ...                                     players=("Row", "Col"),
    ...                                     strategies=(("C", "D"), ("C", "D")))
    >>> game_from_quantecon(game_to_quantecon(g), players=g.players,
    ...                     strategies=g.strategies) == g
    True
    """
    from alliance.games.normal_form import NormalFormGame

    arr = getattr(qe_game, "payoff_profile_array", None)
    if arr is None:
        raise InvalidGameError(
            f"expected a quantecon NormalFormGame; got {type(qe_game).__name__}"
        )
    arr = np.asarray(arr)
    if np.issubdtype(arr.dtype, np.floating) and np.all(arr == np.round(arr)):
        arr = arr.astype(np.int64)  # integer payoffs stored as floats come back exact
    return NormalFormGame(arr, players=players, strategies=strategies)


# -- networkx ----------------------------------------------------------------------------------
def network_to_networkx(net: AllianceNetwork) -> Any:
    """A copy of the network as a :class:`networkx.DiGraph` with every attribute.

    Parameters
    ----------
    net : AllianceNetwork
        The alliance network.

    Returns
    -------
    networkx.DiGraph
        Members as nodes (with their attributes), credit chains as edges (``kind``,
        ``amount`` in the network's currency unit); changing it leaves ``net`` unchanged.

    Examples
    --------
    >>> import alliance as al
    >>> net = al.AllianceNetwork()
    >>> net.add_member("A", demand=200, pd=0.04, lgd=0.5)
    >>> net.add_member("B", demand=100, pd=0.0, lgd=0.5, equity=1000)
    >>> net.add_chain("B", "A", kind="guarantee", amount=40)
    >>> sorted(network_to_networkx(net).edges(data=True))
    [('B', 'A', {'kind': 'guarantee', 'amount': 40.0})]
    """
    return net.graph.copy()


def network_from_networkx(graph: Any) -> AllianceNetwork:
    """An :class:`~alliance.AllianceNetwork` from a networkx directed graph.

    Node attributes are those of :meth:`AllianceNetwork.from_frames` (``demand``, ``pd``,
    ``lgd``, optional ``role``, ``collateral``, ``equity``, ``fund``, ``sector``,
    ``leverage_cap``); edge attributes ``kind`` (default ``"guarantee"``) and ``amount``.
    Every value is validated as if it were added by hand.

    Parameters
    ----------
    graph : networkx.DiGraph
        Nodes are members, edges are credit chains (one per ordered pair).

    Returns
    -------
    AllianceNetwork
        A new network with the graph's members and chains.

    Raises
    ------
    NetworkError
        If ``graph`` is not a directed networkx graph, or an edge has no ``amount``.

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.DiGraph()
    >>> G.add_node("A", demand=200, pd=0.04, lgd=0.5)
    >>> G.add_node("B", demand=100, pd=0.0, lgd=0.5)
    >>> G.add_edge("B", "A", amount=40)
    >>> net = network_from_networkx(G)
    >>> net.members, net.graph.edges["B", "A"]["kind"]
    (['A', 'B'], 'guarantee')
    """
    import networkx as nx
    import pandas as pd

    from alliance.network.network import AllianceNetwork

    if not isinstance(graph, nx.DiGraph) or isinstance(graph, nx.MultiDiGraph):
        raise NetworkError(
            f"expected a networkx.DiGraph (one chain per ordered pair); got {type(graph).__name__}"
        )
    members = pd.DataFrame([{"name": str(n), **d} for n, d in graph.nodes(data=True)])
    if members.empty:
        return AllianceNetwork()
    rows = []
    for a, b, d in graph.edges(data=True):
        if "amount" not in d:
            raise NetworkError(f"chain {a!r} -> {b!r} has no 'amount' attribute")
        rows.append(
            {"source": str(a), "target": str(b), "kind": d.get("kind", "guarantee"),
             "amount": d["amount"]}
        )
    chains = pd.DataFrame(rows, columns=["source", "target", "kind", "amount"])
    return AllianceNetwork.from_frames(members, chains)
