"""Guarantee circles: cycles of guarantee chains.

In a *guarantee circle* (担保圈) firm A guarantees B's loan, B guarantees C's, ..., and the
last guarantees A's. Each firm's guarantee looks backed by another firm, but one default
calls the guarantees around the circle and can bring all of it down; mutual guarantees
(互保, a circle of two) are the simplest case. This module lists the circles of an alliance
network, counting only ``guarantee`` chains (``trade`` chains do not close a circle).

Examples
--------
>>> import networkx as nx
>>> g = nx.DiGraph()
>>> g.add_edge("A", "B", kind="guarantee", amount=30)
>>> g.add_edge("B", "A", kind="guarantee", amount=20)
>>> g.add_edge("B", "C", kind="trade", amount=50)
>>> guarantee_circles(g)
[GuaranteeCircle(A -> B -> A; amounts 30, 20)]
"""

from __future__ import annotations

import html
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import networkx as nx
import pandas as pd

from alliance.errors import NetworkError, ParameterError

__all__ = ["GuaranteeCircle", "circles_frame", "guarantee_circles"]


def _fmt(x: float) -> str:
    return f"{x:.6g}"


@dataclass(frozen=True)
class GuaranteeCircle:
    """One cycle of guarantee chains.

    Parameters
    ----------
    members : tuple
        The members around the circle, starting at the smallest name: ``members[k]``
        guarantees ``members[k + 1]`` and the last guarantees the first.
    amounts : tuple of float
        The guarantee amounts along the circle: ``amounts[k]`` is the amount of the chain
        ``members[k] -> members[k + 1]`` (wrapping around).

    Examples
    --------
    >>> c = GuaranteeCircle(("A", "B"), (30.0, 20.0))
    >>> c.members, c.amounts
    (('A', 'B'), (30.0, 20.0))
    """

    members: tuple
    amounts: tuple[float, ...]

    @property
    def length(self) -> int:
        """The number of members (and chains) in the circle."""
        return len(self.members)

    @property
    def is_mutual_pair(self) -> bool:
        """True for a mutual guarantee of two members (a circle of length 2)."""
        return self.length == 2

    @property
    def total_amount(self) -> float:
        """The sum of the guarantee amounts around the circle."""
        return float(sum(self.amounts))

    @property
    def min_amount(self) -> float:
        """The smallest guarantee in the circle (the weakest link)."""
        return float(min(self.amounts))

    @property
    def chains(self) -> tuple[tuple[Any, Any, float], ...]:
        """The circle as ``(guarantor, guaranteed, amount)`` triples."""
        m = self.members
        return tuple((m[k], m[(k + 1) % len(m)], a) for k, a in enumerate(self.amounts))

    def __repr__(self) -> str:
        path = " -> ".join(str(x) for x in (*self.members, self.members[0]))
        amounts = ", ".join(_fmt(a) for a in self.amounts)
        return f"GuaranteeCircle({path}; amounts {amounts})"

    def _repr_html_(self) -> str:
        return "<pre>" + html.escape(repr(self)) + "</pre>"


def _guarantee_graph(graph: Any) -> nx.DiGraph:
    """The guarantee chains of ``graph`` as a simple DiGraph (parallel chains summed)."""
    if hasattr(graph, "graph") and isinstance(graph.graph, nx.DiGraph):
        graph = graph.graph  # an AllianceNetwork-like object
    if not isinstance(graph, nx.DiGraph):  # MultiDiGraph subclasses DiGraph
        raise NetworkError(
            f"graph is a {type(graph).__name__}; it must be a networkx.DiGraph "
            "(or an object with a .graph DiGraph)"
        )
    out = nx.DiGraph()
    for u, v, data in graph.edges(data=True):
        if data.get("kind") != "guarantee":
            continue
        amount = data.get("amount")
        try:
            amount = float(amount)
        except (TypeError, ValueError) as err:
            raise NetworkError(
                f"amount of guarantee chain {u!r} -> {v!r} is {amount!r}; it must be a number"
            ) from err
        if not amount >= 0 or amount == float("inf"):
            raise NetworkError(
                f"amount of guarantee chain {u!r} -> {v!r} is {amount!r}; "
                "it must be a finite number >= 0"
            )
        if u == v:
            raise NetworkError(f"guarantee chain {u!r} -> {v!r}: a member cannot guarantee itself")
        previous = out.get_edge_data(u, v, {"amount": 0.0})["amount"]
        out.add_edge(u, v, amount=previous + amount)
    return out


def _sort_key(x: Any) -> tuple[str, str]:
    # Names may mix types; order by type name, then by text, for a total, stable order.
    return (type(x).__name__, str(x))


def _canonical(cycle: list) -> tuple:
    start = min(range(len(cycle)), key=lambda k: _sort_key(cycle[k]))
    return tuple(cycle[start:] + cycle[:start])


def guarantee_circles(graph: Any, max_length: int = 6) -> list[GuaranteeCircle]:
    """All guarantee circles of an alliance network up to a given length.

    Parameters
    ----------
    graph : networkx.DiGraph or object with a ``.graph`` DiGraph
        Edges carry ``kind`` (``"guarantee"`` or ``"trade"``) and ``amount``; only guarantee
        chains count. Parallel guarantee chains (in a MultiDiGraph) are summed.
    max_length : int
        Longest circle to list (>= 2). The number of cycles grows quickly with the length
        in a dense network; circles longer than 6 are rare in practice.

    Returns
    -------
    list of GuaranteeCircle
        Sorted by length, then by members; each circle starts at its smallest member.

    Raises
    ------
    ParameterError
        If ``max_length`` is not an integer >= 2.
    NetworkError
        If ``graph`` is not a directed graph, or a guarantee chain has a missing or
        negative amount or guarantees its own guarantor.

    Examples
    --------
    >>> import networkx as nx
    >>> g = nx.DiGraph()
    >>> g.add_edges_from([("C", "A"), ("A", "B"), ("B", "C")], kind="guarantee", amount=10)
    >>> g.add_edge("A", "C", kind="guarantee", amount=5)
    >>> g.add_edge("C", "A", kind="guarantee", amount=8)  # replaces the C -> A chain
    >>> [c.members for c in guarantee_circles(g)]
    [('A', 'C'), ('A', 'B', 'C')]
    >>> guarantee_circles(g, max_length=2)
    [GuaranteeCircle(A -> C -> A; amounts 5, 8)]

    References
    ----------
    Johnson, D. B. (1975). Finding all the elementary circuits of a directed graph. *SIAM
    Journal on Computing*, 4(1), 77–84 (the algorithm behind ``networkx.simple_cycles``).
    """
    if isinstance(max_length, bool) or not isinstance(max_length, int) or max_length < 2:
        raise ParameterError(f"max_length is {max_length!r}; it must be an integer >= 2")
    guarantees = _guarantee_graph(graph)
    circles = []
    for cycle in nx.simple_cycles(guarantees, length_bound=max_length):
        members = _canonical(list(cycle))
        amounts = tuple(
            guarantees.edges[members[k], members[(k + 1) % len(members)]]["amount"]
            for k in range(len(members))
        )
        circles.append(GuaranteeCircle(members=members, amounts=amounts))
    circles.sort(key=lambda c: (c.length, [_sort_key(m) for m in c.members]))
    return circles


def circles_frame(circles: Iterable[GuaranteeCircle]) -> pd.DataFrame:
    """A table of guarantee circles, one row each.

    Columns: ``circle`` (as text), ``members`` (tuple), ``length``, ``is_mutual_pair``,
    ``total_amount``, ``min_amount``, ``amounts`` (tuple).

    Parameters
    ----------
    circles : iterable of GuaranteeCircle
        The circles (see :func:`guarantee_circles`).

    Returns
    -------
    pandas.DataFrame
        One row per circle, with the columns above.

    Examples
    --------
    >>> import networkx as nx
    >>> g = nx.DiGraph()
    >>> g.add_edge("A", "B", kind="guarantee", amount=30)
    >>> g.add_edge("B", "A", kind="guarantee", amount=20)
    >>> circles_frame(guarantee_circles(g))[["circle", "length", "total_amount"]]
            circle  length  total_amount
    0  A -> B -> A       2          50.0
    """
    columns = [
        "circle",
        "members",
        "length",
        "is_mutual_pair",
        "total_amount",
        "min_amount",
        "amounts",
    ]
    rows = [
        {
            "circle": " -> ".join(str(x) for x in (*c.members, c.members[0])),
            "members": c.members,
            "length": c.length,
            "is_mutual_pair": c.is_mutual_pair,
            "total_amount": c.total_amount,
            "min_amount": c.min_amount,
            "amounts": c.amounts,
        }
        for c in circles
    ]
    return pd.DataFrame(rows, columns=columns)
