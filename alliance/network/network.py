"""The alliance network: members, guarantor institutions, the mutual fund and credit chains."""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import networkx as nx
import numpy as np
import pandas as pd

from alliance.errors import NetworkError, ParameterError
from alliance.network.contagion import Topology
from alliance.network.policy import BankPolicy
from alliance.network.standalone import standalone_limit
from alliance.numbers import check_probability

__all__ = ["AllianceNetwork"]

ROLES = ("member", "guarantor", "fund")
KINDS = ("guarantee", "trade")
MEMBER_COLUMNS = (
    "name",
    "role",
    "demand",
    "pd",
    "lgd",
    "collateral",
    "equity",
    "fund",
    "sector",
    "leverage_cap",
    "surplus",
)
CHAIN_COLUMNS = ("source", "target", "kind", "amount")


def _number(value: Any, field: str, who: str) -> float:
    if isinstance(value, bool):
        raise ParameterError(f"{field} of {who} is {value!r}; it must be a number")
    try:
        x = float(value)
    except (TypeError, ValueError):
        raise ParameterError(f"{field} of {who} is {value!r}; it must be a number") from None
    if not math.isfinite(x):
        raise ParameterError(f"{field} of {who} is {value!r}; it must be finite")
    return x


def _unit(value: Any, field: str, who: str) -> float:
    return check_probability(_number(value, field, who), f"{field} of {who}")


def _nonneg(value: Any, field: str, who: str) -> float:
    x = _number(value, field, who)
    if x < 0:
        raise ParameterError(f"{field} of {who} is {x!r}; it must be non-negative")
    return x


def _cap(value: Any, who: str) -> float | None:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    try:
        if float(value) == math.inf:  # an explicit "no cap" in a table
            return None
    except (TypeError, ValueError):
        pass
    x = _number(value, "leverage_cap", who)
    if x <= 0:
        raise ParameterError(f"leverage_cap of {who} is {x!r}; it must be positive (or None)")
    return x


def _is_missing(value: Any) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


class AllianceNetwork:
    """A credit alliance: members and institutions as nodes, credit chains as edges.

    Nodes (``net.graph``, a :class:`networkx.DiGraph`, attributes ``demand, pd, lgd,
    collateral, equity, fund, sector, role, leverage_cap``) are of three roles:

    * ``"member"``: an SME that seeks a loan ``demand`` D, defaults on its own with probability
      ``pd``, loses the bank ``lgd`` λ of the loan beyond its ``collateral`` c, can pay
      guarantee calls from its ``equity`` and contributes ``fund`` to the mutual fund. A member
      may guarantee others; its ``leverage_cap`` (None by default) bounds its guarantees.
    * ``"guarantor"``: a guarantee institution with ``equity`` and a leverage cap m
      (default 10, the Chinese rule for financing guarantors): its guarantees outstanding
      may not exceed m × equity. It borrows nothing (``pd`` 0 by default).
    * ``"fund"``: the alliance's mutual guarantee fund; its capital (``equity``) joins the
      members' contributions in the pool F that pays first in every scenario. The pool backs
      the members' loans: Σ D of the members may not exceed ``leverage_cap`` × F. A fund
      takes no chains.

    Edges are credit chains: ``guarantee`` i→j with ``amount`` g (i is liable for up to g of
    j's loss; j must be a member) or ``trade`` i→j with ``amount`` t (i owes j). One chain per
    ordered pair.

    Every ``add_*`` method checks all its input before changing anything, so a failed call
    leaves the network as it was.

    Examples
    --------
    The worked example of docs/economics.md §3:

    >>> from alliance.network import AllianceNetwork, BankPolicy
    >>> net = AllianceNetwork()
    >>> net.add_member("A", demand=200, pd=0.04, lgd=0.5)
    >>> net.add_member("B", demand=100, pd=0.0, lgd=0.5, equity=1000)
    >>> net.add_chain("B", "A", kind="guarantee", amount=40)
    >>> net.standalone_limits(BankPolicy(max_el_rate=0.005)).tolist()
    [0.0, 100.0]
    >>> rep = net.credit_margin(BankPolicy(max_el_rate=0.005), scenarios="exact", rho=0.0)
    >>> round(rep.alliance_limit, 6), round(rep.margin, 6), round(rep.multiplier, 6)
    (240.0, 140.0, 2.4)
    """

    def __init__(self) -> None:
        self.graph: nx.DiGraph = nx.DiGraph()
        self._chains: list[tuple[str, str]] = []
        self._topo: Topology | None = None
        self._topo_key: tuple[int, int] | None = None
        self._guar_out: dict[str, float] = {}

    # -- building ------------------------------------------------------------------------------
    def _check_new_name(self, name: Any, what: str) -> str:
        if not isinstance(name, str) or not name.strip():
            raise NetworkError(f"name of a {what} is {name!r}; it must be a non-empty string")
        if name in self.graph:
            role = self.graph.nodes[name]["role"]
            raise NetworkError(f"{what} '{name}' already exists in the network (as a {role})")
        return name

    def add_member(
        self,
        name: str,
        *,
        demand: float,
        pd: float,
        lgd: float,
        collateral: float = 0.0,
        equity: float = 0.0,
        fund: float = 0.0,
        sector: str | None = None,
        leverage_cap: float | None = None,
        surplus: float = 0.0,
    ) -> None:
        """Add an SME member.

        Parameters
        ----------
        name : str
            Unique name.
        demand : float
            Loan sought D ≥ 0 (currency unit of the network).
        pd : float
            Standalone one-year probability of default, in [0, 1].
        lgd : float
            Loss given default λ, share of the loan, in [0, 1].
        collateral : float
            Recoverable value c ≥ 0 pledged to the bank.
        equity : float
            Capital e ≥ 0 that can pay guarantee calls.
        fund : float
            Contribution f ≥ 0 to the alliance's mutual guarantee fund.
        sector : str, optional
            Sector label (for sector factors in the copula).
        leverage_cap : float, optional
            If given, guarantees issued by this member may not exceed ``leverage_cap`` × equity.
        surplus : float
            s ≥ 0, the member's surplus per unit of credit (what a unit of loan is worth to it
            net of interest); used for participation in payoffs (default 0).

        Raises
        ------
        NetworkError
            If the name is empty or taken.
        ParameterError
            If a value is outside its range; the message names the member and the field.

        Examples
        --------
        >>> net = AllianceNetwork()
        >>> net.add_member("A", demand=200, pd=0.04, lgd=0.5, collateral=50, sector="retail")
        >>> net.members, net.graph.nodes["A"]["collateral"]
        (['A'], 50.0)
        """
        name = self._check_new_name(name, "member")
        who = f"member '{name}'"
        attrs = {
            "role": "member",
            "demand": _nonneg(demand, "demand", who),
            "pd": _unit(pd, "pd", who),
            "lgd": _unit(lgd, "lgd", who),
            "collateral": _nonneg(collateral, "collateral", who),
            "equity": _nonneg(equity, "equity", who),
            "fund": _nonneg(fund, "fund", who),
            "sector": None if _is_missing(sector) else str(sector),
            "leverage_cap": _cap(leverage_cap, who),
            "surplus": _nonneg(surplus, "surplus", who),
        }
        self.graph.add_node(name, **attrs)
        self._topo = None

    def add_guarantor(
        self,
        name: str,
        *,
        equity: float,
        leverage_cap: float | None = 10.0,
        pd: float = 0.0,
    ) -> None:
        """Add a guarantee institution (a node with equity and a leverage cap, no loan).

        Parameters
        ----------
        name : str
            Unique name.
        equity : float
            Net assets e ≥ 0 that pay guarantee calls.
        leverage_cap : float or None
            m > 0: guarantees outstanding may not exceed m × equity (default 10; None or inf:
            no cap).
        pd : float
            Probability in [0, 1] that the institution fails on its own (default 0).

        Examples
        --------
        >>> net = AllianceNetwork()
        >>> net.add_guarantor("GuarCo", equity=1000)
        >>> net.guarantors, net.graph.nodes["GuarCo"]["leverage_cap"]
        (['GuarCo'], 10.0)
        """
        name = self._check_new_name(name, "guarantor")
        who = f"guarantor '{name}'"
        attrs = {
            "role": "guarantor",
            "demand": 0.0,
            "pd": _unit(pd, "pd", who),
            "lgd": 0.0,
            "collateral": 0.0,
            "equity": _nonneg(equity, "equity", who),
            "fund": 0.0,
            "sector": None,
            "leverage_cap": _cap(leverage_cap, who),
            "surplus": 0.0,
        }
        self.graph.add_node(name, **attrs)
        self._topo = None

    def add_fund(
        self, name: str = "Fund", *, capital: float, leverage_cap: float | None = 10.0
    ) -> None:
        """Add the alliance fund as a node: its capital joins the pooled fund F.

        Parameters
        ----------
        name : str
            Unique name (default ``"Fund"``).
        capital : float
            Capital ≥ 0 beyond the members' contributions (e.g. a sponsor's or the state's).
        leverage_cap : float or None
            m > 0: the members' total demand may not exceed m × F (checked by
            :meth:`validate` and before every computation). None: no cap.

        Examples
        --------
        >>> net = AllianceNetwork()
        >>> net.add_member("A", demand=200, pd=0.04, lgd=0.5, fund=20)
        >>> net.add_fund(capital=50)
        >>> net.funds, net.fund_total
        (['Fund'], 70.0)
        """
        name = self._check_new_name(name, "fund")
        who = f"fund '{name}'"
        attrs = {
            "role": "fund",
            "demand": 0.0,
            "pd": 0.0,
            "lgd": 0.0,
            "collateral": 0.0,
            "equity": _nonneg(capital, "capital", who),
            "fund": 0.0,
            "sector": None,
            "leverage_cap": _cap(leverage_cap, who),
            "surplus": 0.0,
        }
        self.graph.add_node(name, **attrs)
        self._topo = None

    def _guarantees_out(self, node: str) -> float:
        return self._guar_out.get(node, 0.0)

    def add_chain(self, a: str, b: str, kind: str = "guarantee", *, amount: float) -> None:
        """Add a credit chain a→b.

        Parameters
        ----------
        a, b : str
            Existing nodes, a ≠ b.
        kind : {"guarantee", "trade"}
            ``guarantee``: a is liable for up to ``amount`` of b's loss (b must be a member;
            a a member or a guarantor). ``trade``: a owes b ``amount`` (b holds a receivable).
        amount : float
            Positive amount.

        Raises
        ------
        NetworkError
            Unknown node, self-chain, duplicated chain, a fund in a chain, a guarantee on a
            non-member, or a guarantor pushed over its leverage cap.
        ParameterError
            If the amount is not a positive number.

        Examples
        --------
        >>> net = AllianceNetwork()
        >>> net.add_member("A", demand=200, pd=0.04, lgd=0.5)
        >>> net.add_member("B", demand=100, pd=0.0, lgd=0.5, equity=1000)
        >>> net.add_chain("B", "A", amount=40)
        >>> net.add_chain("A", "B", kind="trade", amount=30)
        >>> net.chains("guarantee"), net.chains("trade")
        ([('B', 'A', 40.0)], [('A', 'B', 30.0)])
        """
        where = f"chain {a!r}->{b!r}"
        if kind not in KINDS:
            raise NetworkError(f"kind of {where} is {kind!r}; it must be 'guarantee' or 'trade'")
        for node in (a, b):
            if node not in self.graph:
                raise NetworkError(f"unknown member {node!r} in {where}; add it first")
        if a == b:
            raise NetworkError(f"self-chain {where}: a member cannot be chained to itself")
        if self.graph.has_edge(a, b):
            old = self.graph.edges[a, b]["kind"]
            raise NetworkError(f"duplicated chain {where}: a {old} chain {a!r}->{b!r} exists")
        amt = _number(amount, "amount", where)
        if amt <= 0:
            raise ParameterError(f"amount of {where} is {amt!r}; it must be positive")
        ra, rb = self.graph.nodes[a]["role"], self.graph.nodes[b]["role"]
        if "fund" in (ra, rb):
            fund = a if ra == "fund" else b
            raise NetworkError(
                f"{where} involves the fund '{fund}'; the fund pays every member pro rata and "
                "takes no chains"
            )
        if kind == "guarantee":
            if rb != "member":
                raise NetworkError(
                    f"target of {where} is the {rb} {b!r}; guarantees cover members' loans"
                )
            cap = self.graph.nodes[a]["leverage_cap"]
            if cap is not None:
                out = self._guarantees_out(a) + amt
                eq = self.graph.nodes[a]["equity"]
                if out > cap * eq * (1 + 1e-12):
                    raise NetworkError(
                        f"{ra} {a!r} over its leverage cap: guarantees outstanding would be "
                        f"{out:g} > leverage_cap {cap:g} × equity {eq:g} = {cap * eq:g} ({where})"
                    )
        self.graph.add_edge(a, b, kind=kind, amount=amt)
        self._chains.append((a, b))
        if kind == "guarantee":
            self._guar_out[a] = self._guarantees_out(a) + amt
        self._topo = None

    def remove_chain(self, a: str, b: str) -> None:
        """Remove the chain a→b (NetworkError if there is none).

        Parameters
        ----------
        a, b : str
            The chain's source and target.

        Examples
        --------
        >>> net = AllianceNetwork()
        >>> net.add_member("A", demand=200, pd=0.04, lgd=0.5)
        >>> net.add_member("B", demand=100, pd=0.0, lgd=0.5, equity=1000)
        >>> net.add_chain("B", "A", amount=40)
        >>> net.remove_chain("B", "A")
        >>> net.chains()
        []
        """
        if not self.graph.has_edge(a, b):
            raise NetworkError(f"there is no chain {a!r}->{b!r} to remove")
        d = self.graph.edges[a, b]
        if d["kind"] == "guarantee":
            self._guar_out[a] = self._guarantees_out(a) - d["amount"]
        self.graph.remove_edge(a, b)
        self._chains.remove((a, b))
        self._topo = None

    def copy(self) -> AllianceNetwork:
        """An independent copy.

        Returns
        -------
        AllianceNetwork
            A network that shares nothing with this one.

        Examples
        --------
        >>> net = AllianceNetwork()
        >>> net.add_member("A", demand=200, pd=0.04, lgd=0.5)
        >>> other = net.copy()
        >>> other.add_member("B", demand=100, pd=0.0, lgd=0.5)
        >>> net.members, other.members
        (['A'], ['A', 'B'])
        """
        new = AllianceNetwork()
        new.graph = self.graph.copy()
        new._chains = list(self._chains)
        new._guar_out = dict(self._guar_out)
        new._topo = None
        return new

    # -- views ---------------------------------------------------------------------------------
    def _names(self, role: str) -> list[str]:
        return [n for n, d in self.graph.nodes(data=True) if d["role"] == role]

    @property
    def members(self) -> list[str]:
        """Names of the members, in insertion order."""
        return self._names("member")

    @property
    def guarantors(self) -> list[str]:
        """Names of the guarantor institutions."""
        return self._names("guarantor")

    @property
    def funds(self) -> list[str]:
        """Names of fund nodes."""
        return self._names("fund")

    def chains(self, kind: str | None = None) -> list[tuple[str, str, float]]:
        """``(source, target, amount)`` of the chains (of one kind), in insertion order.

        Parameters
        ----------
        kind : {"guarantee", "trade"}, optional
            Only chains of this kind (default: all).

        Returns
        -------
        list of tuple
            ``(source, target, amount)`` per chain.

        Examples
        --------
        >>> net = AllianceNetwork()
        >>> net.add_member("A", demand=200, pd=0.04, lgd=0.5)
        >>> net.add_member("B", demand=100, pd=0.0, lgd=0.5, equity=1000)
        >>> net.add_chain("B", "A", amount=40)
        >>> net.chains(), net.chains("trade")
        ([('B', 'A', 40.0)], [])
        """
        out = []
        for a, b in self._chains:
            d = self.graph.edges[a, b]
            if kind is None or d["kind"] == kind:
                out.append((a, b, d["amount"]))
        return out

    @property
    def fund_total(self) -> float:
        """F: members' contributions plus fund nodes' capital."""
        return float(
            sum(d["fund"] for _, d in self.graph.nodes(data=True))
            + sum(d["equity"] for _, d in self.graph.nodes(data=True) if d["role"] == "fund")
        )

    def __repr__(self) -> str:
        return (
            f"AllianceNetwork(members={len(self.members)}, guarantors={len(self.guarantors)}, "
            f"funds={len(self.funds)}, guarantee_chains={len(self.chains('guarantee'))}, "
            f"trade_chains={len(self.chains('trade'))}, fund_total={self.fund_total:g})"
        )

    def _repr_html_(self) -> str:
        import html

        try:
            m, c = self.to_frames()
            return f"<p>{html.escape(repr(self))}</p>" + m.to_html() + c.to_html()
        except Exception:
            return f"<pre>{html.escape(object.__repr__(self))}</pre>"

    def validate(self) -> None:
        """Check the network as a whole; raise NetworkError if broken.

        The fund's leverage cap (the loans it backs, Σ Lᵢ ≤ m × F) is a constraint of the
        optimal allocation (:func:`~alliance.network.margin.credit_margin`), not of the data.

        Examples
        --------
        >>> net = AllianceNetwork()
        >>> net.add_member("A", demand=200, pd=0.04, lgd=0.5)
        >>> net.validate()
        """

    @property
    def fund_leverage_cap(self) -> float | None:
        """The tightest cap m × F on the members' total loans set by fund nodes (None: no cap)."""
        caps = [self.graph.nodes[nm]["leverage_cap"] for nm in self.funds]
        caps = [c for c in caps if c is not None]
        return min(caps) * self.fund_total if caps else None

    def topology(self) -> Topology:
        """The arrays the contagion engine works on (node order = insertion order).

        Cached until the network changes through its methods; after editing ``net.graph``
        attributes by hand, call :meth:`refresh`.

        Returns
        -------
        Topology
            Node arrays (demand, pd, lgd, collateral, equity, fund...) and the chains in
            compressed form.

        Examples
        --------
        >>> net = AllianceNetwork()
        >>> net.add_member("A", demand=200, pd=0.04, lgd=0.5)
        >>> net.add_member("B", demand=100, pd=0.0, lgd=0.5, equity=1000)
        >>> topo = net.topology()
        >>> topo.names, topo.demand.tolist()
        (('A', 'B'), [200.0, 100.0])
        """
        key = (self.graph.number_of_nodes(), len(self._chains))
        if self._topo is not None and self._topo_key == key:
            return self._topo
        self.validate()
        self._topo = self._build_topology()
        self._topo_key = key
        return self._topo

    def refresh(self) -> None:
        """Forget cached arrays (needed only after editing ``net.graph`` directly).

        Examples
        --------
        >>> net = AllianceNetwork()
        >>> net.add_member("A", demand=200, pd=0.04, lgd=0.5)
        >>> net.graph.nodes["A"]["demand"] = 300.0  # edited by hand
        >>> net.refresh()
        >>> net.topology().demand.tolist()
        [300.0]
        """
        self._topo = None

    def _build_topology(self) -> Topology:
        names = list(self.graph.nodes)
        index = {n: i for i, n in enumerate(names)}
        data = [self.graph.nodes[n] for n in names]
        col = lambda k: np.array([d[k] for d in data], dtype=float)  # noqa: E731
        role = [d["role"] for d in data]
        fund = np.where(np.array(role) == "fund", col("equity"), col("fund"))
        guar = self.chains("guarantee")
        trade = self.chains("trade")
        return Topology.build(
            names,
            demand=col("demand"),
            pd=col("pd"),
            lgd=col("lgd"),
            collateral=col("collateral"),
            equity=np.where(np.array(role) == "fund", 0.0, col("equity")),
            fund=fund,
            is_member=np.array(role) == "member",
            src=[index[a] for a, _, _ in guar],
            tgt=[index[b] for _, b, _ in guar],
            amount=[g for _, _, g in guar],
            trade_src=[index[a] for a, _, _ in trade],
            trade_tgt=[index[b] for _, b, _ in trade],
            trade_amount=[t for _, _, t in trade],
            surplus=col("surplus"),
        )

    # -- frames --------------------------------------------------------------------------------
    @classmethod
    def from_frames(
        cls, members: pd.DataFrame, chains: pd.DataFrame | None = None
    ) -> AllianceNetwork:
        """Build a network from a node table and a chain table.

        Parameters
        ----------
        members : pandas.DataFrame
            One row per node with columns ``name`` (or the index), ``demand``, ``pd``, ``lgd``
            and optionally ``role`` (``member``/``guarantor``/``fund``; default member),
            ``collateral``, ``equity``, ``fund``, ``sector``, ``leverage_cap``.
        chains : pandas.DataFrame, optional
            Columns ``source``, ``target``, ``kind``, ``amount`` (``from``/``to`` accepted).

        Raises
        ------
        NetworkError, ParameterError
            As the ``add_*`` methods; the message names the row's member and field.

        Examples
        --------
        >>> import pandas as pd
        >>> members = pd.DataFrame({"name": ["A", "B"], "demand": [200, 100], "pd": [0.04, 0.0],
        ...                         "lgd": [0.5, 0.5], "equity": [0, 1000]})
        >>> chains = pd.DataFrame({"source": ["B"], "target": ["A"], "kind": ["guarantee"],
        ...                        "amount": [40]})
        >>> AllianceNetwork.from_frames(members, chains).chains()
        [('B', 'A', 40.0)]
        """
        net = cls()
        df = members.copy()
        if "name" not in df.columns:
            df = df.reset_index().rename(columns={df.index.name or "index": "name"})
        for req in ("name",):
            if req not in df.columns:
                raise NetworkError(f"column '{req}' is missing from the members table")
        for row in df.to_dict("records"):
            role = row.get("role")
            role = "member" if _is_missing(role) else str(role).strip().lower()
            name = row["name"]
            name = str(name) if not _is_missing(name) else name

            def get(k, default=0.0, _row=row):
                v = _row.get(k, default)
                return default if _is_missing(v) else v

            if role == "member":
                for req in ("demand", "pd", "lgd"):
                    if req not in df.columns or _is_missing(row.get(req)):
                        raise NetworkError(
                            f"{req} of member {name!r} is missing or not a number (NaN) in the "
                            "members table; it must be a finite number"
                        )
                net.add_member(
                    name,
                    demand=row["demand"],
                    pd=row["pd"],
                    lgd=row["lgd"],
                    collateral=get("collateral"),
                    equity=get("equity"),
                    fund=get("fund"),
                    sector=get("sector", None),
                    leverage_cap=get("leverage_cap", None),
                    surplus=get("surplus"),
                )
            elif role == "guarantor":
                net.add_guarantor(
                    name,
                    equity=get("equity"),
                    leverage_cap=get("leverage_cap", 10.0),
                    pd=get("pd"),
                )
            elif role == "fund":
                net.add_fund(
                    name,
                    capital=get("equity", get("capital", get("fund"))),
                    leverage_cap=get("leverage_cap", 10.0),
                )
            else:
                raise NetworkError(f"role of {name!r} is {role!r}; it must be one of {ROLES}")
        if chains is not None and len(chains):
            ch = chains.rename(columns={"from": "source", "to": "target"})
            for req in ("source", "target", "amount"):
                if req not in ch.columns:
                    raise NetworkError(f"column '{req}' is missing from the chains table")
            for row in ch.to_dict("records"):
                kind = row.get("kind", "guarantee")
                kind = "guarantee" if _is_missing(kind) else str(kind).strip().lower()
                net.add_chain(
                    str(row["source"]), str(row["target"]), kind=kind, amount=row["amount"]
                )
        return net

    @classmethod
    def from_networkx(cls, graph: nx.DiGraph) -> AllianceNetwork:
        """Build a network from a networkx DiGraph (attributes as in :meth:`from_frames`).

        Parameters
        ----------
        graph : networkx.DiGraph
            Nodes with a ``role`` and their attributes, edges with ``kind`` and ``amount``.

        Returns
        -------
        AllianceNetwork
            The network, validated.

        Examples
        --------
        >>> import networkx as nx
        >>> G = nx.DiGraph()
        >>> G.add_node("A", demand=100, pd=0.02, lgd=0.45)
        >>> G.add_node("B", demand=50, pd=0.0, lgd=0.45, equity=500)
        >>> G.add_edge("B", "A", kind="guarantee", amount=20)
        >>> AllianceNetwork.from_networkx(G).chains()
        [('B', 'A', 20.0)]
        """
        from alliance.interop import network_from_networkx

        return network_from_networkx(graph)

    def to_networkx(self) -> nx.DiGraph:
        """A copy of the network as a networkx DiGraph with every node and chain attribute.

        Returns
        -------
        networkx.DiGraph
            Nodes with their role and attributes, edges with kind and amount.

        Examples
        --------
        >>> net = AllianceNetwork()
        >>> net.add_member("A", demand=200, pd=0.04, lgd=0.5)
        >>> net.add_member("B", demand=100, pd=0.0, lgd=0.5, equity=1000)
        >>> net.add_chain("B", "A", amount=40)
        >>> g = net.to_networkx()
        >>> g.edges["B", "A"]["amount"], AllianceNetwork.from_networkx(g).chains()
        (40.0, [('B', 'A', 40.0)])
        """
        from alliance.interop import network_to_networkx

        return network_to_networkx(self)

    def to_frames(self) -> tuple[pd.DataFrame, pd.DataFrame]:
        """``(members, chains)`` tables that :meth:`from_frames` reads back.

        Returns
        -------
        members : pandas.DataFrame
            One row per node with its role and attributes.
        chains : pandas.DataFrame
            One row per chain: ``source``, ``target``, ``kind``, ``amount``.

        Examples
        --------
        >>> net = AllianceNetwork()
        >>> net.add_member("A", demand=200, pd=0.04, lgd=0.5)
        >>> members, chains = net.to_frames()
        >>> members[["name", "role", "demand"]].to_dict("records")
        [{'name': 'A', 'role': 'member', 'demand': 200.0}]
        """
        rows = [{"name": n, **d} for n, d in self.graph.nodes(data=True)]
        for row in rows:  # institutions default to a cap of 10, so "no cap" is written inf
            if row["role"] != "member" and row["leverage_cap"] is None:
                row["leverage_cap"] = math.inf
        members = pd.DataFrame(rows, columns=list(MEMBER_COLUMNS))
        chains = pd.DataFrame(
            [
                (a, b, self.graph.edges[a, b]["kind"], self.graph.edges[a, b]["amount"])
                for a, b in self._chains
            ],
            columns=list(CHAIN_COLUMNS),
        )
        return members, chains

    # -- closed forms --------------------------------------------------------------------------
    def standalone_limits(self, policy: BankPolicy) -> pd.Series:
        """Each member's standalone limit L⁰ (closed form, see :func:`standalone_limit`).

        Parameters
        ----------
        policy : BankPolicy
            The bank's policy.

        Returns
        -------
        pandas.Series
            ``standalone_limit`` by member.

        Examples
        --------
        Worked example 1 of docs/credit_v2.md: A (pd 4 %, no collateral) gets nothing alone,
        B (pd 0) its demand:

        >>> from alliance.network import BankPolicy
        >>> net = AllianceNetwork()
        >>> net.add_member("A", demand=200, pd=0.04, lgd=0.5)
        >>> net.add_member("B", demand=100, pd=0.0, lgd=0.5, equity=1000)
        >>> net.standalone_limits(BankPolicy(max_el_rate=0.005)).to_dict()
        {'A': 0.0, 'B': 100.0}
        """
        names = self.members
        g = self.graph.nodes
        arr = lambda k: np.array([g[n][k] for n in names], dtype=float)  # noqa: E731
        lim = standalone_limit(arr("demand"), arr("pd"), arr("lgd"), arr("collateral"), policy)
        return pd.Series(lim, index=pd.Index(names, name="member"), name="standalone_limit")

    # -- computations (delegated) --------------------------------------------------------------
    def scenarios(
        self,
        scenarios: int | str = 10_000,
        *,
        rho: float = 0.12,
        sector_rho: float = 0.0,
        seed: int | None = None,
        progress: bool | None = None,
    ):
        """Draw (or enumerate, ``scenarios="exact"``) primary-default scenarios for this network.

        See :mod:`alliance.network.scenarios`. Pass the result as ``scenarios=`` to reuse it.

        Parameters
        ----------
        scenarios : int or "exact", default 10_000
            Number of Monte Carlo scenarios, or every default scenario (small networks).
        rho : float, default 0.12
            Common-factor correlation of the defaults, in [0, 1).
        sector_rho : float, default 0.0
            Additional within-sector correlation, in [0, 1).
        seed : int, optional
            Seed of the draws.
        progress : bool or None, default None
            Show a progress bar (None: only in a terminal, for long work).

        Returns
        -------
        ScenarioSet
            The default scenarios with their weights.

        Examples
        --------
        >>> net = AllianceNetwork()
        >>> net.add_member("A", demand=200, pd=0.04, lgd=0.5)
        >>> net.add_member("B", demand=100, pd=0.0, lgd=0.5, equity=1000)
        >>> net.scenarios("exact", rho=0.0)
        ScenarioSet(method='exact', scenarios=2, nodes=2, rho=0.0, sector_rho=0.0, seed=None)
        """
        from alliance.network.margin import make_scenarios

        return make_scenarios(
            self.topology(),
            scenarios,
            rho=rho,
            sector_rho=sector_rho,
            seed=seed,
            sectors=[self.graph.nodes[n]["sector"] for n in self.graph.nodes],
            progress=progress,
        )

    def cascade(
        self,
        defaulted: Iterable[str] | np.ndarray | Mapping[str, bool],
        void_prob: float = 0.0,
        seed: int | None = None,
        *,
        share: float = 1.0,
        loans: Any = None,
        pledge: bool = True,
        haircut: float = 0.0,
        trade_contagion: bool = False,
    ):
        """Contagion from given defaults (see :mod:`alliance.network.contagion`).

        Parameters
        ----------
        defaulted : iterable of str, or bool array
            Names of the nodes that default (one scenario), or a bool array (S × n nodes, in
            ``graph`` order) for S scenarios at once.
        void_prob : float
            Probability q in [0, 1] that a guarantee is void, drawn per chain and scenario.
        seed : int, optional
            Seed of the void draws.
        share : float
            Loans are ``share`` × demand (default 1).
        loans : mapping or array, optional
            Each member's loan instead (e.g. ``report.allocation.to_dict()``).
        pledge : bool
            Defaulters' receivables on other members are pledged to the bank (default True).
        haircut : float
            The bank's haircut in [0, 1] on pledged receivables.
        trade_contagion : bool
            Trade shortfalls reduce creditors' equity and can make them default.

        Returns
        -------
        CascadeResult

        Examples
        --------
        >>> net = AllianceNetwork()
        >>> net.add_member("A", demand=200, pd=0.04, lgd=0.5)
        >>> net.add_member("B", demand=100, pd=0.0, lgd=0.5, equity=1000)
        >>> net.add_chain("B", "A", amount=40)
        >>> net.cascade(["A"])  # A's loss 0.5 * 200, less B's guarantee of 40
        CascadeResult(defaulted=['A'], contagion=[], rounds=0, loss=60, credit=60, operational=0, guarantor=0)
        """
        from alliance.network.margin import run_cascade

        return run_cascade(
            self,
            defaulted,
            void_prob=void_prob,
            seed=seed,
            share=share,
            loans=loans,
            pledge=pledge,
            haircut=haircut,
            trade_contagion=trade_contagion,
        )

    def alliance_limit(
        self,
        policy: BankPolicy,
        *,
        scenarios: Any = 10_000,
        rho: float = 0.12,
        sector_rho: float = 0.0,
        seed: int | None = None,
        void_prob: float = 0.0,
        backend: str = "numpy",
        progress: bool | None = None,
        chunk_defaults: int = 1_000_000,
        rule: str = "optimal",
        mechanisms: Any = None,
        trade_contagion: bool = False,
        check: Any = "fresh",
        leximin: bool = True,
        sampling: str | None = None,
        chunk_scenarios: int | None = None,
        client: Any = None,
    ):
        """The alliance limit L_A with its standard error.

        See :func:`~alliance.network.margin.alliance_limit`.

        Parameters
        ----------
        policy : BankPolicy
            The bank's limits.
        scenarios : int, "exact" or ScenarioSet
            Number of Monte Carlo scenarios, ``"exact"`` to enumerate every default pattern,
            or scenarios drawn before (common random numbers).
        rho : float
            Common-factor loading in [0, 1).
        sector_rho : float
            Sector-factor loading.
        seed : int, optional
            Seed of the scenarios and of the void-guarantee draws.
        void_prob : float
            Probability q in [0, 1] that a guarantee is void.
        backend : {"numpy", "dask"}
            Where the scenario chunks are evaluated.
        progress : bool or None, default None
            Show a progress bar (None: only in a terminal, for long work).
        chunk_defaults : int
            Scenarios are processed in chunks of about this many primary defaults.
        rule : {"optimal", "uniform"}
            Version 2's optimal allocation (default) or version 1's uniform share.
        mechanisms, trade_contagion, check, leximin, sampling, chunk_scenarios, client
            As in :func:`~alliance.network.margin.credit_margin`.

        Returns
        -------
        AllianceLimit
            The limit, its share of demand, standard error, expected loss and binding limit.

        Examples
        --------
        >>> from alliance.network import BankPolicy
        >>> net = AllianceNetwork()
        >>> net.add_member("A", demand=200, pd=0.04, lgd=0.5)
        >>> net.add_member("B", demand=100, pd=0.0, lgd=0.5, equity=1000)
        >>> net.add_chain("B", "A", amount=40)
        >>> lim = net.alliance_limit(BankPolicy(max_el_rate=0.005), scenarios="exact", rho=0.0)
        >>> round(lim.limit, 6)
        240.0
        """
        from alliance.network.margin import alliance_limit

        return alliance_limit(
            self,
            policy,
            scenarios=scenarios,
            rho=rho,
            sector_rho=sector_rho,
            seed=seed,
            void_prob=void_prob,
            backend=backend,
            progress=progress,
            chunk_defaults=chunk_defaults,
            rule=rule,
            mechanisms=mechanisms,
            trade_contagion=trade_contagion,
            check=check,
            leximin=leximin,
            sampling=sampling,
            chunk_scenarios=chunk_scenarios,
            client=client,
        )

    def credit_margin(
        self,
        policy: BankPolicy,
        scenarios: Any = 10_000,
        rho: float = 0.12,
        seed: int | None = None,
        *,
        sector_rho: float = 0.0,
        void_prob: float = 0.0,
        backend: str = "numpy",
        progress: bool | None = None,
        chunk_defaults: int = 1_000_000,
        rule: str = "optimal",
        mechanisms: Any = None,
        trade_contagion: bool = False,
        check: Any = "fresh",
        leximin: bool = True,
        sampling: str | None = None,
        chunk_scenarios: int | None = None,
        client: Any = None,
    ):
        """The alliance's credit margin (docs/credit_v2.md).

        See :func:`~alliance.network.margin.credit_margin`, which documents every argument
        at length.

        Parameters
        ----------
        policy : BankPolicy
            The bank's limits.
        scenarios : int, "exact" or ScenarioSet
            Number of Monte Carlo scenarios, ``"exact"`` to enumerate every default pattern,
            or scenarios drawn before (common random numbers).
        rho : float
            Common-factor loading in [0, 1).
        seed : int, optional
            Seed of the scenarios and of the void-guarantee draws.
        sector_rho : float
            Sector-factor loading.
        void_prob : float
            Probability q in [0, 1] that a guarantee is void.
        backend : {"numpy", "dask"}
            Where the scenario chunks are evaluated.
        progress : bool or None, default None
            Show a progress bar (None: only in a terminal, for long work).
        chunk_defaults : int
            Scenarios are processed in chunks of about this many primary defaults.
        rule : {"optimal", "uniform"}
            Version 2's optimal allocation (default) or version 1's uniform share.
        mechanisms : set of str, optional
            Mechanisms switched on, among ``{"pooling", "fund", "guarantees", "pledges"}``.
        trade_contagion : bool
            Trade shortfalls reduce the creditors' equity and can make them default.
        check : {"fresh", "same"} or ScenarioSet
            Scenarios on which the programme's allocation is checked with the true rules.
        leximin : bool
            Break ties among optimal allocations leximin on the fill ratios.
        sampling : {"plain", "importance"}, optional
            How Monte Carlo scenarios are drawn (default chosen from the policy).
        chunk_scenarios : int, optional
            Draw the Monte Carlo scenarios in chunks of this many scenarios.
        client : dask.distributed.Client or str, optional
            With ``backend="dask"``: the cluster.

        Returns
        -------
        CreditMarginReport
            Standalone total, alliance limit, allocation, margin, multiplier, binding
            constraints and shadow prices.

        Examples
        --------
        >>> from alliance.network import BankPolicy
        >>> net = AllianceNetwork()
        >>> net.add_member("A", demand=200, pd=0.04, lgd=0.5)
        >>> net.add_member("B", demand=100, pd=0.0, lgd=0.5, equity=1000)
        >>> net.add_chain("B", "A", amount=40)
        >>> rep = net.credit_margin(BankPolicy(max_el_rate=0.005), scenarios="exact", rho=0.0)
        >>> round(rep.alliance_limit, 6), round(rep.margin, 6)
        (240.0, 140.0)
        """
        from alliance.network.margin import credit_margin

        return credit_margin(
            self,
            policy,
            scenarios=scenarios,
            rho=rho,
            seed=seed,
            sector_rho=sector_rho,
            void_prob=void_prob,
            backend=backend,
            progress=progress,
            chunk_defaults=chunk_defaults,
            rule=rule,
            mechanisms=mechanisms,
            trade_contagion=trade_contagion,
            check=check,
            leximin=leximin,
            sampling=sampling,
            chunk_scenarios=chunk_scenarios,
            client=client,
        )

    def margin_curve(
        self,
        policy: BankPolicy,
        rho: Sequence[float],
        *,
        scenarios: Any = 10_000,
        seed: int | None = None,
        sector_rho: float = 0.0,
        void_prob: float = 0.0,
        backend: str = "numpy",
        progress: bool | None = None,
    ) -> pd.DataFrame:
        """Credit margin against the default correlation ρ, one row per ρ.

        See :func:`~alliance.network.margin.margin_curve`.

        Parameters
        ----------
        policy : BankPolicy
            The bank's limits.
        rho : sequence of float
            The common-factor loadings, each in [0, 1).
        scenarios : int or "exact"
            Number of Monte Carlo scenarios per point, or ``"exact"``.
        seed : int, optional
            Seed of the normal draws shared by every point.
        sector_rho : float
            Sector-factor loading.
        void_prob : float
            Probability q in [0, 1] that a guarantee is void.
        backend : {"numpy", "dask"}
            Where the scenario chunks are evaluated.
        progress : bool or None, default None
            Show a progress bar (None: only in a terminal, for long work).

        Returns
        -------
        pandas.DataFrame
            Columns ``rho, standalone_total, alliance_limit, margin, ...``.

        Examples
        --------
        >>> from alliance.network import BankPolicy
        >>> net = AllianceNetwork()
        >>> net.add_member("A", demand=200, pd=0.04, lgd=0.5)
        >>> net.add_member("B", demand=100, pd=0.0, lgd=0.5, equity=1000)
        >>> net.add_chain("B", "A", amount=40)
        >>> curve = net.margin_curve(BankPolicy(max_el_rate=0.005), rho=[0.0], scenarios="exact")
        >>> curve[["rho", "margin"]].round(6).values.tolist()
        [[0.0, 140.0]]
        """
        from alliance.network.margin import margin_curve

        return margin_curve(
            self,
            policy,
            rho=rho,
            scenarios=scenarios,
            seed=seed,
            sector_rho=sector_rho,
            void_prob=void_prob,
            backend=backend,
            progress=progress,
        )

    def margin_vs_density(
        self,
        policy: BankPolicy,
        density: Sequence[float],
        *,
        amount: float = 0.2,
        scenarios: Any = 10_000,
        rho: float = 0.12,
        seed: int | None = None,
        sector_rho: float = 0.0,
        void_prob: float = 0.0,
        backend: str = "numpy",
        progress: bool | None = None,
    ) -> pd.DataFrame:
        """Credit margin against the density of random mutual guarantees.

        See :func:`~alliance.network.margin.margin_vs_density`.

        Parameters
        ----------
        policy : BankPolicy
            The bank's limits.
        density : sequence of float
            Densities d in [0, 1] of the random guarantees.
        amount : float
            Each random guarantee covers ``amount`` × the borrower's demand.
        scenarios : int or "exact"
            Number of Monte Carlo scenarios, or ``"exact"``.
        rho : float
            Common-factor loading in [0, 1).
        seed : int, optional
            Seed of the scenarios and of the random chains.
        sector_rho : float
            Sector-factor loading.
        void_prob : float
            Probability q in [0, 1] that a guarantee is void.
        backend : {"numpy", "dask"}
            Where the scenario chunks are evaluated.
        progress : bool or None, default None
            Show a progress bar (None: only in a terminal, for long work).

        Returns
        -------
        pandas.DataFrame
            Columns ``density, guarantee_chains, standalone_total, alliance_limit, margin, ...``.

        Examples
        --------
        >>> from alliance.network import BankPolicy
        >>> net = AllianceNetwork()
        >>> net.add_member("A", demand=200, pd=0.04, lgd=0.5)
        >>> net.add_member("B", demand=100, pd=0.0, lgd=0.5, equity=1000)
        >>> net.add_chain("B", "A", amount=40)
        >>> df = net.margin_vs_density(BankPolicy(max_el_rate=0.005), density=[0.0],
        ...                            scenarios="exact", rho=0.0, seed=1)
        >>> df[["guarantee_chains", "margin"]].round(6).values.tolist()
        [[1.0, 140.0]]
        """
        from alliance.network.margin import margin_vs_density

        return margin_vs_density(
            self,
            policy,
            density=density,
            amount=amount,
            scenarios=scenarios,
            rho=rho,
            seed=seed,
            sector_rho=sector_rho,
            void_prob=void_prob,
            backend=backend,
            progress=progress,
        )

    def margin_decomposition(
        self,
        policy: BankPolicy,
        *,
        scenarios: Any = 10_000,
        rho: float = 0.12,
        seed: int | None = None,
        sector_rho: float = 0.0,
        void_prob: float = 0.0,
        trade_contagion: bool = False,
        check: Any = "fresh",
        backend: str = "numpy",
        progress: bool | None = None,
        sampling: str = "plain",
    ):
        """Where the margin comes from: Shapley value over the four mechanisms.

        See :func:`~alliance.network.decomposition.margin_decomposition`.

        Parameters
        ----------
        policy : BankPolicy
            The bank's policy.
        scenarios, rho, seed, sector_rho, void_prob, trade_contagion, check, backend, sampling
            As in :func:`~alliance.network.margin.credit_margin`; one set of scenarios serves
            all 16 configurations.
        progress : bool or None, default None
            Show a progress bar (None: only in a terminal, for long work).

        Returns
        -------
        MarginDecomposition
            Each mechanism's share of the margin.

        Examples
        --------
        >>> from alliance.network import BankPolicy
        >>> net = AllianceNetwork()
        >>> net.add_member("A", demand=200, pd=0.04, lgd=0.5)
        >>> net.add_member("B", demand=100, pd=0.0, lgd=0.5, equity=1000)
        >>> net.add_chain("B", "A", amount=40)
        >>> dec = net.margin_decomposition(BankPolicy(max_el_rate=0.005), scenarios="exact",
        ...                                rho=0.0)
        >>> round(dec.margin, 6)
        140.0
        """
        from alliance.network.decomposition import margin_decomposition

        return margin_decomposition(
            self,
            policy,
            scenarios=scenarios,
            rho=rho,
            seed=seed,
            sector_rho=sector_rho,
            void_prob=void_prob,
            trade_contagion=trade_contagion,
            check=check,
            backend=backend,
            progress=progress,
            sampling=sampling,
        )

    def credit_shares(
        self,
        policy: BankPolicy,
        method: str = "exact",
        *,
        scenarios: Any = 10_000,
        rho: float = 0.12,
        sector_rho: float = 0.0,
        seed: int | None = None,
        void_prob: float = 0.0,
        samples: int = 200,
        target_standard_error: float | None = None,
        batch_size: int | None = 32,
        exact_core_max: int = 14,
        core_samples: int = 500,
        nucleolus_max: int = 12,
        tol: float | None = None,
        progress: bool | None = None,
        rule: str = "optimal",
        check: Any = "fresh",
        trade_contagion: bool = False,
    ):
        """Members' Shapley values of the alliance limit, with a core check (Shapley 1953).

        See :func:`~alliance.network.shares.credit_shares`, which documents every argument
        at length.

        Parameters
        ----------
        policy : BankPolicy
            The bank's limits.
        method : {"exact", "sampled"}
            Exact Shapley value or permutation sampling.
        scenarios : int, "exact" or ScenarioSet
            Scenarios shared by every sub-alliance.
        rho : float
            Common-factor loading in [0, 1).
        sector_rho : float
            Sector-factor loading.
        seed : int, optional
            Seed of the scenarios, the sampled orders and the sampled core check.
        void_prob : float
            Probability q in [0, 1] that a guarantee is void.
        samples : int
            Sampled method: the largest number of player orders.
        target_standard_error : float, optional
            Sampled method: stop once every share's standard error is below this.
        batch_size : int, optional
            Sampled method: player orders per batch.
        exact_core_max : int
            Check the core over all coalitions up to this many members.
        core_samples : int
            Above ``exact_core_max``: random coalitions of the sampled core check.
        nucleolus_max : int
            Compute the least core and the nucleolus up to this many members.
        tol : float, optional
            Tolerance of the core check.
        progress : bool or None, default None
            Show a progress bar (None: only in a terminal, for long work).
        rule : {"optimal", "uniform"}
            Version 2's optimal allocation or version 1's uniform share for each v(S).
        check : {"fresh", "same"} or ScenarioSet
            Scenarios on which each sub-alliance's allocation is checked.
        trade_contagion : bool
            Trade shortfalls reduce the creditors' equity and can make them default.

        Returns
        -------
        CreditSharesResult
            The shares, the core verdict and, for small alliances, least core and nucleolus.

        Examples
        --------
        >>> from alliance.network import BankPolicy
        >>> net = AllianceNetwork()
        >>> net.add_member("A", demand=200, pd=0.04, lgd=0.5)
        >>> net.add_member("B", demand=100, pd=0.0, lgd=0.5, equity=1000)
        >>> net.add_chain("B", "A", amount=40)
        >>> res = net.credit_shares(BankPolicy(max_el_rate=0.005), scenarios="exact", rho=0.0)
        >>> res.values.round(6).to_dict(), res.in_core
        ({'A': 70.0, 'B': 170.0}, True)
        """
        from alliance.network.shares import credit_shares

        return credit_shares(
            self,
            policy,
            method=method,
            scenarios=scenarios,
            rho=rho,
            sector_rho=sector_rho,
            seed=seed,
            void_prob=void_prob,
            samples=samples,
            target_standard_error=target_standard_error,
            batch_size=batch_size,
            exact_core_max=exact_core_max,
            core_samples=core_samples,
            nucleolus_max=nucleolus_max,
            tol=tol,
            progress=progress,
            rule=rule,
            check=check,
            trade_contagion=trade_contagion,
        )

    # -- trade chains and circles (alliance.network.clearing / debtrank / circles) ---------------
    def _trade_matrix(self):
        import scipy.sparse as sp

        names = list(self.graph.nodes)
        index = {n: i for i, n in enumerate(names)}
        trade = self.chains("trade")
        n = len(names)
        mat = sp.csr_matrix(
            (
                np.array([t for _, _, t in trade], dtype=float),
                (
                    np.array([index[a] for a, _, _ in trade], dtype=np.int64),
                    np.array([index[b] for _, b, _ in trade], dtype=np.int64),
                ),
            ),
            shape=(n, n),
        )
        return names, mat

    def clearing(self, external_assets: Any = None, *, default_costs: Any = None):
        """Eisenberg–Noe clearing vector of the trade chains.

        ``liabilities[i, j]`` is what i owes j (trade chain i→j). ``external_assets`` defaults to
        each node's equity (a dict name → value or an array in ``graph`` order also works).
        ``default_costs`` are passed on (Rogers–Veraart). See
        :func:`alliance.network.clearing.eisenberg_noe`.

        Parameters
        ----------
        external_assets : mapping or array_like, optional
            Each node's assets outside the trade chains (default: its equity).
        default_costs : optional
            Rogers–Veraart default costs, passed on.

        Returns
        -------
        ClearingResult
            The clearing payments and who defaults.

        Examples
        --------
        >>> net = AllianceNetwork()
        >>> net.add_member("A", demand=200, pd=0.04, lgd=0.5, equity=10)
        >>> net.add_member("B", demand=100, pd=0.0, lgd=0.5, equity=1000)
        >>> net.add_chain("A", "B", kind="trade", amount=30)
        >>> net.clearing()
        ClearingResult(2 nodes, 1 in default ['A'], total shortfall 20 | Eisenberg-Noe, fictitious_default, 1 round(s))

        References
        ----------
        Eisenberg, L., & Noe, T. H. (2001). Systemic risk in financial systems. *Management
        Science*, 47(2), 236–249 (docs/credit_v2.md).
        """
        from alliance.network.clearing import eisenberg_noe

        names, liab = self._trade_matrix()
        ext = self._node_vector(external_assets, "equity", "external_assets")
        return eisenberg_noe(liab, ext, names=names, default_costs=default_costs)

    def debtrank(self, shock: Any, *, equity: Any = None):
        """DebtRank of a shock along the trade chains.

        ``exposures[i, j]`` is i's exposure to j: a trade chain j→i (j owes i t) exposes i to j.
        ``equity`` defaults to each node's equity. See :func:`alliance.network.debtrank.debtrank`.

        Parameters
        ----------
        shock : mapping or array_like
            Initial relative equity losses, by name (or in ``graph`` order).
        equity : mapping or array_like, optional
            Each node's equity (default: its ``equity`` attribute).

        Returns
        -------
        DebtRankResult
            Final distress of each node and the DebtRank.

        Examples
        --------
        A owes B 30; B's equity is 60. A's failure costs B half of it:

        >>> net = AllianceNetwork()
        >>> net.add_member("A", demand=200, pd=0.04, lgd=0.5, equity=10)
        >>> net.add_member("B", demand=100, pd=0.0, lgd=0.5, equity=60)
        >>> net.add_chain("A", "B", kind="trade", amount=30)
        >>> net.debtrank({"A": 1.0}).distress.tolist()
        [1.0, 0.5]

        References
        ----------
        Battiston, S., Puliga, M., Kaushik, R., Tasca, P., & Caldarelli, G. (2012). DebtRank:
        too central to fail? *Scientific Reports*, 2, 541 (docs/economics.md).
        """
        from alliance.network.debtrank import debtrank

        names, liab = self._trade_matrix()
        eq = self._node_vector(equity, "equity", "equity")
        return debtrank(liab.T.tocsr(), eq, shock, names=names)

    def guarantee_circles(self, max_length: int = 6):
        """Cycles and mutual-guarantee pairs of the guarantee chains (see
        :func:`alliance.network.circles.guarantee_circles`).

        Parameters
        ----------
        max_length : int, default 6
            Longest circle searched.

        Returns
        -------
        list of GuaranteeCircle
            The circles, shortest first.

        Examples
        --------
        >>> net = AllianceNetwork()
        >>> net.add_member("A", demand=200, pd=0.04, lgd=0.5, equity=100)
        >>> net.add_member("B", demand=100, pd=0.02, lgd=0.5, equity=100)
        >>> net.add_chain("A", "B", amount=30)
        >>> net.add_chain("B", "A", amount=20)
        >>> [c.members for c in net.guarantee_circles()]
        [('A', 'B')]
        """
        from alliance.network.circles import guarantee_circles

        return guarantee_circles(self.graph, max_length=max_length)

    def _node_vector(self, value: Any, attr: str, field: str) -> np.ndarray:
        names = list(self.graph.nodes)
        if value is None:
            return np.array([self.graph.nodes[n][attr] for n in names], dtype=float)
        if isinstance(value, Mapping):
            unknown = set(value) - set(names)
            if unknown:
                raise NetworkError(f"{field} names unknown member(s) {sorted(unknown)!r}")
            return np.array([float(value.get(n, 0.0)) for n in names])
        arr = np.asarray(value, dtype=float)
        if arr.shape != (len(names),):
            raise ParameterError(f"{field} has shape {arr.shape}; it must be ({len(names)},)")
        return arr
