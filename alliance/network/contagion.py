r"""Guarantee contagion: fund, guarantors, void guarantees and the bank's loss split.

The rules of one scenario (docs/economics.md §3, "Precise rules"), implemented exactly:

1. Primary defaults come from the scenario. A defaulted member ``i`` with loan ``L_i`` leaves
   the bank an exposure loss :math:`\ell_i = \lambda_i \max(0, L_i - c_i - R_i)`, where
   :math:`R_i` is what its pledged receivables collect (financing chains, when pledging is
   on): each trade chain ``k -> i`` of amount ``t`` is worth :math:`(1 - h) t` if ``k`` has
   not defaulted when ``i``'s loss is assessed, and :math:`(1 - h) t \pi_k` if it has,
   with the bank's haircut ``h`` and ``k``'s clearing ratio :math:`\pi_k`, what it pays
   per unit of debt given the defaults so far (docs/credit_v2.md, "What a defaulted debtor
   pays": :math:`1 - \lambda_k` less its own uncollected receivables, an Eisenberg–Noe
   system over every scenario at once, :func:`~alliance.network.clearing.trade_clearing_ratios`),
   or a fixed share ``Topology.recovery`` if the user gives one.
2. The alliance fund ``F`` (members' contributions plus the capital of fund nodes) pays first,
   ``min(F_remaining, sum of the round's losses)`` in total, pro rata to the losses of the
   members defaulting in that round; what it pays is gone.
3. What remains, ``r_i``, is called on ``i``'s guarantors (chains ``j -> i`` with amounts
   ``g_ji``, total ``G_i``): each is called :math:`g_{ji} \min(1, r_i / G_i)`. A guarantee
   is void with probability ``q``, drawn independently per chain and scenario (the same draw
   for every loan share and sub-alliance); a void guarantee pays nothing.
4. A guarantor pays its valid calls of the round from its remaining equity (after its trade
   losses, with ``trade_contagion``: a defaulter ``k`` pays each trade creditor only
   :math:`t \pi_k`, the creditor loses the rest from its equity, and a member whose trade
   losses exceed its equity defaults). If the calls
   exceed that equity it pays what it has, pro rata across its calls, and defaults; its own
   loan enters the next round as in step 1. A node that has defaulted (primarily or earlier
   in the cascade, or in the same round) pays no calls.
5. Repeat to the fixed point (at most one round per node). The bank's loss is what remains
   unpaid, split into four parts. For a primary defaulter:

   * **credit**: ``max(0, r_i - G_i)``, what no guarantee was written for,
   * **operational**: the calls on void guarantees (what they would have paid),
   * **guarantor**: valid calls left unpaid because the guarantor lacked equity or had
     defaulted.

   For a member that defaulted only through calls or trade losses, everything unpaid on its
   loan is **contagion**. The four parts sum to the loss in every scenario.

The engine is vectorised over (configuration, scenario, defaulted node) triples with NumPy
and sorted keys; the only Python loop is over contagion rounds. A *configuration* is one
sub-alliance (which members are present) with one vector of loans, so the alliance limits of
many sub-alliances and loan shares are evaluated together on the same scenarios.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import numpy as np
import scipy.sparse as sp

from alliance.errors import ParameterError
from alliance.network.clearing import trade_clearing_ratios
from alliance.network.scenarios import ScenarioSet, void_uniforms

# check_haircut and check_recovery validate inputs of this module only
__all__ = [
    "Topology",
    "CascadeEngine",
    "Totals",
    "debtor_ratio",
    "receivable_value",
]

_TOL = 1e-12


@dataclass(frozen=True, eq=False)
class Topology:
    """Arrays describing the network, in node order (internal).

    ``fund[i]`` is member i's contribution to the pooled fund, or the capital of a fund node.
    Guarantee chains are sorted by target: chains into node ``i`` are
    ``g_src[in_ptr[i]:in_ptr[i+1]]`` with amounts ``g_amt[...]``; ``g_id`` is each chain's
    position in insertion order (keys the void draws). Trade chains ``k -> i`` (``k`` owes
    ``i``) are sorted by creditor likewise (``t_in_ptr``), and ``t_out_order``/``t_out_ptr``
    list them by debtor. Build one with :meth:`build`, which sorts the chains;
    :class:`~alliance.network.network.AllianceNetwork` does so from its members and chains.

    Parameters
    ----------
    names : tuple of str
        Node names.
    demand, pd, lgd, collateral, equity : numpy.ndarray
        Each node's credit demand, default probability, loss given default, collateral and
        equity (what it can pay on guarantee calls and trade losses).
    fund : numpy.ndarray
        Each member's contribution to the pooled fund, or the capital of a fund node.
    is_member : numpy.ndarray
        Bool: the node is a member (borrows from the bank), not a guarantor institution or
        fund node.
    g_src, g_tgt, g_amt : numpy.ndarray
        Guarantor, guaranteed node and amount of each guarantee chain, sorted by target.
    g_id : numpy.ndarray
        Each chain's position in insertion order.
    in_ptr : numpy.ndarray
        Offsets (n + 1) of each node's incoming guarantee chains.
    t_src, t_tgt, t_amt : numpy.ndarray
        Debtor, creditor and amount of each trade chain, sorted by creditor.
    t_in_ptr : numpy.ndarray
        Offsets (n + 1) of each node's incoming trade chains (receivables).
    t_out_order, t_out_ptr : numpy.ndarray
        Trade chain positions sorted by debtor, and the offsets of each debtor's chains.
    recovery : numpy.ndarray or None
        A fixed share of its trade debts every defaulter pays; None: the defaulters'
        clearing ratios, scenario by scenario.
    surplus : numpy.ndarray
        Each node's surplus per unit of credit.

    Examples
    --------
    Member ``A`` borrows 100; guarantor ``B`` (equity 30) guarantees 40 of its loss:

    >>> topo = Topology.build(
    ...     ["A", "B"], demand=[100, 0], pd=[0.5, 0.0], lgd=[0.5, 0.5], collateral=[0, 0],
    ...     equity=[0, 30], fund=[0, 0], is_member=[True, False], src=[1], tgt=[0], amount=[40])
    >>> topo.n, topo.is_member.tolist(), topo.guarantees_received.tolist()
    (2, [True, False], [40.0, 0.0])
    """

    names: tuple[str, ...]
    demand: np.ndarray
    pd: np.ndarray
    lgd: np.ndarray
    collateral: np.ndarray
    equity: np.ndarray
    fund: np.ndarray
    is_member: np.ndarray
    g_src: np.ndarray
    g_tgt: np.ndarray
    g_amt: np.ndarray
    g_id: np.ndarray
    in_ptr: np.ndarray
    t_src: np.ndarray = None  # type: ignore[assignment]  # trade chains k -> i (k owes i)
    t_tgt: np.ndarray = None  # type: ignore[assignment]
    t_amt: np.ndarray = None  # type: ignore[assignment]
    t_in_ptr: np.ndarray = None  # type: ignore[assignment]  # sorted by creditor
    t_out_order: np.ndarray = None  # type: ignore[assignment]  # chain positions by debtor
    t_out_ptr: np.ndarray = None  # type: ignore[assignment]
    # a fixed share of its trade debts every defaulter pays (the user's option); None (the
    # default): the defaulters' clearing ratios, scenario by scenario (trade_clearing_ratios)
    recovery: np.ndarray | None = None
    surplus: np.ndarray = None  # type: ignore[assignment]  # surplus per unit of credit

    @property
    def n(self) -> int:
        """Number of nodes."""
        return len(self.names)

    @classmethod
    def build(
        cls,
        names,
        demand,
        pd,
        lgd,
        collateral,
        equity,
        fund,
        is_member,
        src,
        tgt,
        amount,
        trade_src=(),
        trade_tgt=(),
        trade_amount=(),
        recovery=None,
        surplus=None,
    ) -> Topology:
        """The topology of nodes and chains given in any order (chains are sorted here).

        Parameters
        ----------
        names : sequence of str
            Node names.
        demand, pd, lgd, collateral, equity, fund : array_like
            One number per node (see the class).
        is_member : array_like of bool
            Which nodes are members.
        src, tgt, amount : array_like
            Guarantor index, guaranteed node index and amount of each guarantee chain.
        trade_src, trade_tgt, trade_amount : array_like
            Debtor index, creditor index and amount of each trade chain.
        recovery : float or array_like, optional
            A fixed share in [0, 1] of its trade debts every defaulter pays (one number or
            one per node); None: clearing ratios.
        surplus : array_like, optional
            Surplus per unit of credit of each node (default 0).

        Returns
        -------
        Topology

        Raises
        ------
        ParameterError
            If ``recovery`` is not a share in [0, 1] (or one per node).

        Examples
        --------
    >>> topo = Topology.build(
    ...     ["A", "B"], demand=[100, 0], pd=[0.5, 0.0], lgd=[0.5, 0.5], collateral=[0, 0],
    ...     equity=[0, 30], fund=[0, 0], is_member=[True, False], src=[1], tgt=[0], amount=[40])
        >>> topo.g_src.tolist(), topo.g_tgt.tolist(), topo.in_ptr.tolist()
        ([1], [0], [0, 1, 1])
        """
        n = len(names)
        ts = np.asarray(trade_src, dtype=np.int64)
        tt = np.asarray(trade_tgt, dtype=np.int64)
        ta = np.asarray(trade_amount, dtype=float)
        t_order = np.argsort(tt, kind="stable")
        ts, tt, ta = ts[t_order], tt[t_order], ta[t_order]
        t_in_ptr = np.zeros(n + 1, dtype=np.int64)
        np.cumsum(np.bincount(tt, minlength=n), out=t_in_ptr[1:])
        t_out_order = np.argsort(ts, kind="stable")
        t_out_ptr = np.zeros(n + 1, dtype=np.int64)
        np.cumsum(np.bincount(ts, minlength=n), out=t_out_ptr[1:])
        rec = None if recovery is None else check_recovery(recovery, n, names)
        src = np.asarray(src, dtype=np.int64)
        tgt = np.asarray(tgt, dtype=np.int64)
        amount = np.asarray(amount, dtype=float)
        order = np.argsort(tgt, kind="stable")
        in_ptr = np.zeros(n + 1, dtype=np.int64)
        np.cumsum(np.bincount(tgt, minlength=n), out=in_ptr[1:])
        f = lambda a: np.asarray(a, dtype=float)  # noqa: E731
        return cls(
            names=tuple(names),
            demand=f(demand),
            pd=f(pd),
            lgd=f(lgd),
            collateral=f(collateral),
            equity=f(equity),
            fund=f(fund),
            is_member=np.asarray(is_member, dtype=bool),
            g_src=src[order],
            g_tgt=tgt[order],
            g_amt=amount[order],
            g_id=np.arange(src.size, dtype=np.int64)[order],
            in_ptr=in_ptr,
            t_src=ts,
            t_tgt=tt,
            t_amt=ta,
            t_in_ptr=t_in_ptr,
            t_out_order=t_out_order,
            t_out_ptr=t_out_ptr,
            recovery=rec,
            surplus=np.zeros(n) if surplus is None else np.asarray(surplus, dtype=float),
        )

    def with_guarantees(self, src, tgt, amount) -> Topology:
        """The same network with other guarantee chains (node order unchanged).

        Parameters
        ----------
        src, tgt, amount : array_like
            Guarantor index, guaranteed node index and amount of each new chain (they
            replace every guarantee chain).

        Returns
        -------
        Topology

        Examples
        --------
        >>> topo = Topology.build(
        ...     ["A", "B"], demand=[100, 0], pd=[0.5, 0.0], lgd=[0.5, 0.5], collateral=[0, 0],
        ...     equity=[0, 30], fund=[0, 0], is_member=[True, False], src=[1], tgt=[0], amount=[40])
        >>> topo.with_guarantees([1], [0], [20]).guarantees_received.tolist()
        [20.0, 0.0]
        """
        return Topology.build(
            self.names,
            self.demand,
            self.pd,
            self.lgd,
            self.collateral,
            self.equity,
            self.fund,
            self.is_member,
            src,
            tgt,
            amount,
            self.t_src,
            self.t_tgt,
            self.t_amt,
            self.recovery,
            self.surplus,
        )

    def with_trade(self, src, tgt, amount) -> Topology:
        """The same network with other trade chains (node order unchanged).

        Parameters
        ----------
        src, tgt, amount : array_like
            Debtor index, creditor index and amount of each new trade chain (they replace
            every trade chain).

        Returns
        -------
        Topology

        Examples
        --------
        >>> topo = Topology.build(
        ...     ["A", "B"], demand=[100, 0], pd=[0.5, 0.0], lgd=[0.5, 0.5], collateral=[0, 0],
        ...     equity=[0, 30], fund=[0, 0], is_member=[True, False], src=[1], tgt=[0], amount=[40])
        >>> traded = topo.with_trade([1], [0], [60])
        >>> traded.t_src.tolist(), traded.t_tgt.tolist(), traded.t_amt.tolist()
        ([1], [0], [60.0])
        """
        order = np.argsort(self.g_id)
        return Topology.build(
            self.names,
            self.demand,
            self.pd,
            self.lgd,
            self.collateral,
            self.equity,
            self.fund,
            self.is_member,
            self.g_src[order],
            self.g_tgt[order],
            self.g_amt[order],
            src,
            tgt,
            amount,
            self.recovery,
            self.surplus,
        )

    @cached_property
    def index(self) -> dict[str, int]:
        """Position of each node name."""
        return {nm: i for i, nm in enumerate(self.names)}

    @cached_property
    def guarantees_received(self) -> np.ndarray:
        """G_i, the total guarantee amount on each node when everyone is present."""
        return np.bincount(self.g_tgt, self.g_amt, self.n)

    def guarantee_matrix(self) -> sp.csr_matrix:
        """Sparse (n × n) matrix with entry [j, i] = amount j guarantees of i's loss.

        Returns
        -------
        scipy.sparse.csr_matrix

        Examples
        --------
        >>> topo = Topology.build(
        ...     ["A", "B"], demand=[100, 0], pd=[0.5, 0.0], lgd=[0.5, 0.5], collateral=[0, 0],
        ...     equity=[0, 30], fund=[0, 0], is_member=[True, False], src=[1], tgt=[0], amount=[40])
        >>> topo.guarantee_matrix().toarray().tolist()
        [[0.0, 0.0], [40.0, 0.0]]
        """
        return sp.csr_matrix((self.g_amt, (self.g_src, self.g_tgt)), shape=(self.n, self.n))


def check_recovery(recovery, n: int, names=None) -> np.ndarray:
    """A fixed recovery share of trade debts: one number or one per node, each in [0, 1]."""
    try:
        rec = np.broadcast_to(np.asarray(recovery, dtype=float), (n,)).copy()
    except (TypeError, ValueError):
        raise ParameterError(
            f"recovery is {recovery!r}; give one share in [0, 1] or one per node ({n})"
        ) from None
    bad = np.flatnonzero(~((rec >= 0.0) & (rec <= 1.0)))  # also refuses NaN
    if bad.size:
        i = int(bad[0])
        who = names[i] if names is not None else i
        raise ParameterError(f"recovery of {who!r} is {float(rec[i])!r}; it must lie in [0, 1]")
    return rec


def check_haircut(haircut) -> float:
    """The bank's haircut on pledged receivables, a number in [0, 1]."""
    try:
        h = float(haircut)
    except (TypeError, ValueError):
        raise ParameterError(f"haircut is {haircut!r}; it must be a number in [0, 1]") from None
    if not 0.0 <= h <= 1.0:  # also refuses NaN
        raise ParameterError(f"haircut is {h!r}; it must lie in [0, 1]")
    return h


def debtor_ratio(
    topo: Topology,
    default_keys: np.ndarray,
    scenario: np.ndarray,
    debtor: np.ndarray,
    *,
    loans: np.ndarray,
    pledge: bool,
    present: np.ndarray | None = None,
) -> np.ndarray:
    r"""What ``debtor`` pays per unit of trade debt in ``scenario``: 1 if it has not defaulted,
    else its clearing ratio (:func:`~alliance.network.clearing.trade_clearing_ratios`).

    The programme of :mod:`alliance.network.allocation` calls it on its fixed default sets
    with the largest loans it allows (the most favourable ratios, so that it stays a
    relaxation); the cascade computes the same ratios at its loans (docs/credit_v2.md, "What
    a defaulted debtor pays").

    Parameters
    ----------
    topo : Topology
        The network.
    default_keys : numpy.ndarray
        Sorted keys ``scenario * n + node`` of the scenarios' default sets.
    scenario, debtor : numpy.ndarray
        Scenario and debtor node of each query (equal lengths).
    loans : numpy.ndarray
        The loans (n,).
    pledge : bool
        A node with a loan has pledged its receivables to the bank.
    present : numpy.ndarray, optional
        Bool (n,): which nodes exist (default: all).

    Returns
    -------
    numpy.ndarray
        The ratio of each query, in [0, 1].

    References
    ----------
    Eisenberg, L., & Noe, T. H. (2001). Systemic risk in financial systems. *Management
    Science*, 47(2), 236–249.

    Examples
    --------
    ``A`` (loss given default 0.5, no receivables) defaults in scenario 0 and pays half of
    its trade debts; ``B`` has not defaulted and pays in full:

    >>> topo = Topology.build(
    ...     ["A", "B"], demand=[100, 0], pd=[0.5, 0.0], lgd=[0.5, 0.5], collateral=[0, 0],
    ...     equity=[0, 30], fund=[0, 0], is_member=[True, False], src=[1], tgt=[0], amount=[40])
    >>> debtor_ratio(topo, np.array([0]), np.array([0, 0]), np.array([0, 1]),
    ...              loans=np.array([100.0, 0.0]), pledge=False).tolist()
    [0.5, 1.0]
    """
    keys = np.asarray(default_keys, dtype=np.int64)
    n = topo.n
    q = np.asarray(scenario, dtype=np.int64) * n + np.asarray(debtor, dtype=np.int64)
    out = np.ones(q.size)
    if keys.size == 0 or q.size == 0:
        return out
    loans = np.asarray(loans, dtype=float)
    pres = np.ones(n, dtype=bool) if present is None else np.asarray(present, dtype=bool)
    ratios = trade_clearing_ratios(
        topo, keys, loans=loans, pledged=bool(pledge) & pres & (loans > 0), present=pres
    )
    at = np.minimum(np.searchsorted(keys, q), keys.size - 1)
    hit = keys[at] == q
    out[hit] = ratios[at[hit]]
    return out


def receivable_value(
    topo: Topology,
    default_keys: np.ndarray,
    scenario: np.ndarray,
    debtor: np.ndarray,
    *,
    haircut: float,
    loans: np.ndarray,
    pledge: bool = True,
    present: np.ndarray | None = None,
) -> np.ndarray:
    r"""What one unit of face value of a pledged receivable on ``debtor`` is worth to the bank
    in ``scenario``: :math:`(1 - h)\,\pi`, with ``π`` from :func:`debtor_ratio` (1 when the
    debtor has not defaulted: a receivable on a debtor that never defaults is worth its face
    value after the haircut).

    Parameters
    ----------
    topo : Topology
        The network.
    default_keys : numpy.ndarray
        Sorted keys ``scenario * n + node`` of the scenarios' default sets.
    scenario, debtor : numpy.ndarray
        Scenario and debtor node of each query (equal lengths).
    haircut : float
        The bank's haircut ``h`` in [0, 1].
    loans : numpy.ndarray
        The loans (n,).
    pledge : bool
        A node with a loan has pledged its receivables to the bank.
    present : numpy.ndarray, optional
        Bool (n,): which nodes exist (default: all).

    Returns
    -------
    numpy.ndarray
        The value of each query per unit of face value, in [0, 1 - h].

    Raises
    ------
    ParameterError
        If ``haircut`` is not a number in [0, 1].

    Examples
    --------
    ``K`` owes ``A`` 60; ``K`` defaults in scenario 1 (not in 0) and pays nothing then
    (``lgd`` 1); haircut 0.1:

    >>> topo = Topology.build(
    ...     ["A", "K"], demand=[100, 0], pd=[0.05, 0.2], lgd=[0.5, 1.0], collateral=[0, 0],
    ...     equity=[0, 0], fund=[0, 0], is_member=[True, True], src=[], tgt=[], amount=[],
    ...     trade_src=[1], trade_tgt=[0], trade_amount=[60])
    >>> receivable_value(topo, np.array([1 * 2 + 1]), np.array([0, 1]), np.array([1, 1]),
    ...                  haircut=0.1, loans=np.array([100.0, 0.0])).tolist()
    [0.9, 0.0]
    """
    h = check_haircut(haircut)
    ratio = debtor_ratio(
        topo, default_keys, scenario, debtor, loans=loans, pledge=pledge, present=present
    )
    return (1.0 - h) * ratio


@dataclass
class Totals:
    """What one evaluation of a configuration batch returns (all weighted sums).

    Returned by :meth:`CascadeEngine.evaluate`; ``B`` is the number of configurations, ``S``
    of scenarios and ``n`` of nodes. The optional fields are None unless asked for.

    Parameters
    ----------
    expected_loss, second_moment : numpy.ndarray
        (B,) the bank's expected loss and expected squared loss.
    credit, operational, guarantor, contagion : numpy.ndarray
        (B,) the expected loss split into its four parts (module notes, step 5).
    fund_paid, guarantees_paid : numpy.ndarray
        (B,) expected payments by the fund and by guarantors.
    contagion_defaults : numpy.ndarray
        (B,) expected number of defaults by contagion.
    losses : numpy.ndarray or None
        (B, S) the loss in each scenario.
    node_loss, node_default, node_paid, node_contagion, node_primary_loss : numpy.ndarray or None
        (B, n) each node's expected unrecovered loss, probability of default (contagion
        included), expected guarantee payments made, probability of default by contagion,
        and expected loss when it defaults on its own.
    events : tuple of numpy.ndarray or None
        ``(b * S + s, node, round)`` of each default event.
    pair_losses : tuple of numpy.ndarray or None
        ``(b * S + s, node, loss)``: the bank's loss on each defaulted loan in each scenario.
    rounds, cascade_size : numpy.ndarray or None
        (B, S) contagion rounds and contagion defaults of each scenario.
    components : numpy.ndarray or None
        (4, B, S) credit, operational, guarantor and contagion loss of each scenario.
    fund_by_scenario, guarantees_by_scenario : numpy.ndarray or None
        (B, S) fund and guarantee payments of each scenario.

    Examples
    --------
    ``A`` defaults with probability 0.5 and loses the bank 50; guarantor ``B`` pays 30 of
    its 40 and defaults; 10 is left uncovered by the guarantee:

    >>> from alliance.network.scenarios import exact_defaults
    >>> topo = Topology.build(
    ...     ["A", "B"], demand=[100, 0], pd=[0.5, 0.0], lgd=[0.5, 0.5], collateral=[0, 0],
    ...     equity=[0, 30], fund=[0, 0], is_member=[True, False], src=[1], tgt=[0], amount=[40])
    >>> engine = CascadeEngine(topo, exact_defaults(topo.pd), np.ones((1, 2), dtype=bool))
    >>> t = engine.evaluate(np.array([[100.0, 0.0]]))
    >>> [float(x[0]) for x in (t.expected_loss, t.credit, t.guarantor, t.guarantees_paid)]
    [10.0, 5.0, 5.0, 15.0]
    """

    expected_loss: np.ndarray  # (B,)
    second_moment: np.ndarray  # (B,) E[loss^2]
    credit: np.ndarray  # (B,)
    operational: np.ndarray  # (B,)
    guarantor: np.ndarray  # (B,)
    contagion: np.ndarray  # (B,) loss on loans of members that defaulted by contagion
    fund_paid: np.ndarray  # (B,)
    guarantees_paid: np.ndarray  # (B,)
    contagion_defaults: np.ndarray  # (B,) expected number of contagion defaults
    losses: np.ndarray | None = None  # (B, S) per-scenario loss
    node_loss: np.ndarray | None = None  # (B, n) expected unrecovered loss on each loan
    node_default: np.ndarray | None = None  # (B, n) probability of default incl. contagion
    node_paid: np.ndarray | None = None  # (B, n) expected guarantee payments made
    node_contagion: np.ndarray | None = None  # (B, n) probability of default by contagion
    node_primary_loss: np.ndarray | None = None  # (B, n) expected loss when i defaults on its own
    events: tuple[np.ndarray, np.ndarray, np.ndarray] | None = None  # (bs, node, round)
    # (b * S + s, node, loss): the bank's loss on each defaulted loan, scenario by scenario
    # (member-by-member tail limits need each member's loss distribution, not its mean)
    pair_losses: tuple[np.ndarray, np.ndarray, np.ndarray] | None = None
    rounds: np.ndarray | None = None  # (B, S) contagion rounds
    cascade_size: np.ndarray | None = None  # (B, S) contagion defaults
    components: np.ndarray | None = None  # (4, B, S) credit, operational, guarantor, contagion
    fund_by_scenario: np.ndarray | None = None  # (B, S)
    guarantees_by_scenario: np.ndarray | None = None  # (B, S)


@dataclass(eq=False)
class _Chunk:
    start: int
    n_scen: int
    weights: np.ndarray
    cells: np.ndarray  # sorted b * n_scen + s of the (configuration, scenario) cells with defaults
    bs: np.ndarray  # cell id of each primary default
    node: np.ndarray
    def_keys: np.ndarray
    # round-0 expansion over incoming guarantee chains (static across loan shares)
    t_idx: np.ndarray
    gfrac: np.ndarray  # g_e / G_i of the present guarantees on i
    g_amt: np.ndarray
    void: np.ndarray | None
    inv: np.ndarray
    uk: np.ndarray
    uk_def: np.ndarray
    uk_equity: np.ndarray


class CascadeEngine:
    """Evaluate the bank's loss for a batch of configurations on shared scenarios.

    Parameters
    ----------
    topo : Topology
        The network.
    scenarios : ScenarioSet
        The primary-default scenarios, shared by every configuration.
    present : numpy.ndarray
        Bool (B × n): which nodes exist in each configuration (absent members have no loan,
        no fund contribution and no guarantee chains; guarantor institutions and fund nodes
        are present in every configuration).
    void_prob : float
        Probability q that a guarantee is void.
    max_pairs : int
        Rough bound on the (configuration, scenario, default) triples processed at once.
    backend : {"numpy", "dask"}
        ``"dask"`` evaluates the scenario chunks in parallel threads (same numbers).
    pledge : bool
        Defaulters' pledged receivables (trade chains into them) add to their collateral.
    haircut : float
        The bank's haircut h in [0, 1] on pledged receivables.
    trade_contagion : bool
        Trade shortfalls of defaulters reduce their creditors' equity and can make them default.

    Examples
    --------
    Two configurations on the same exact scenarios: with and without guarantor ``B``.

    >>> from alliance.network.scenarios import exact_defaults
    >>> topo = Topology.build(
    ...     ["A", "B"], demand=[100, 0], pd=[0.5, 0.0], lgd=[0.5, 0.5], collateral=[0, 0],
    ...     equity=[0, 30], fund=[0, 0], is_member=[True, False], src=[1], tgt=[0], amount=[40])
    >>> present = np.array([[True, True], [True, False]])
    >>> engine = CascadeEngine(topo, exact_defaults(topo.pd), present)
    >>> engine.evaluate(np.array([[100.0, 0.0], [100.0, 0.0]])).expected_loss.tolist()
    [10.0, 25.0]
    """

    def __init__(
        self,
        topo: Topology,
        scenarios: ScenarioSet,
        present: np.ndarray,
        void_prob: float = 0.0,
        max_pairs: int = 1_000_000,
        backend: str = "numpy",
        *,
        pledge: bool = False,
        haircut: float = 0.0,
        trade_contagion: bool = False,
    ) -> None:
        self.topo = topo
        self.scenarios = scenarios
        self.present = np.asarray(present, dtype=bool)
        self.B = self.present.shape[0]
        self.q = float(void_prob)
        self.backend = backend
        has_trade = topo.t_amt is not None and topo.t_amt.size > 0
        self.pledge = bool(pledge) and has_trade
        self.haircut = check_haircut(haircut)
        self.trade_contagion = bool(trade_contagion) and has_trade
        self.all_present = bool(self.present.all())
        pres_f = self.present.astype(float)
        # a sequential sum, not a BLAS product: BLAS splits long products across its threads,
        # so the last bits would depend on the process's thread count (dask workers run BLAS
        # single-threaded) and chunked backends would no longer agree exactly
        self.fund_total = (
            np.cumsum(pres_f * topo.fund, axis=1)[:, -1] if topo.n else np.zeros(self.B)
        )
        # G[b, i]: total guarantees on i by guarantors present in configuration b
        if self.all_present:
            self.G = np.broadcast_to(topo.guarantees_received, (self.B, topo.n))
        else:
            gmat = topo.guarantee_matrix()
            self.G = np.asarray((gmat.T @ pres_f.T).T)
        per = max(1, max_pairs // max(self.B, 1))
        self.chunks = [self._prepare(a, b) for a, b in scenarios.chunks(per)]

    # -- preparation -------------------------------------------------------------------------
    def _expand(self, b_of: np.ndarray, node: np.ndarray):
        """Incoming guarantee chains of each defaulted (configuration, node) with a present
        guarantor."""
        topo = self.topo
        lo = topo.in_ptr[node]
        cnt = topo.in_ptr[node + 1] - lo
        total = int(cnt.sum())
        t_idx = np.repeat(np.arange(node.size, dtype=np.int64), cnt)
        offs = np.cumsum(cnt) - cnt
        e = lo[t_idx] + np.arange(total, dtype=np.int64) - offs[t_idx]
        j = topo.g_src[e]
        if not self.all_present:
            ok = self.present[b_of[t_idx], j]
            t_idx, e, j = t_idx[ok], e[ok], j[ok]
        return t_idx, e, j

    def _void(self, scen: np.ndarray, e: np.ndarray):
        if self.q <= 0.0:
            return None
        if self.q >= 1.0:
            return np.ones(e.size, dtype=bool)
        return void_uniforms(self.scenarios.void_key, scen, self.topo.g_id[e]) < self.q

    def _prepare(self, start: int, stop: int) -> _Chunk:
        topo, n = self.topo, self.topo.n
        s_loc, node = self.scenarios.pairs(start, stop)
        n_scen = stop - start
        if self.B == 1:
            b = np.zeros(node.size, dtype=np.int64)
        else:
            b = np.repeat(np.arange(self.B, dtype=np.int64), node.size)
            s_loc, node = np.tile(s_loc, self.B), np.tile(node, self.B)
        if not self.all_present:
            keep = self.present[b, node]
            b, s_loc, node = b[keep], s_loc[keep], node[keep]
        glob = b * n_scen + s_loc  # sorted: pairs come by configuration, scenario, node
        # only cells with a default matter; work on compact cell ids
        first = np.ones(glob.size, dtype=bool)
        first[1:] = glob[1:] != glob[:-1]
        cells = glob[first]
        bs = np.cumsum(first) - 1
        def_keys = bs * n + node  # sorted
        t_idx, e, j = self._expand(b, node)
        G = self.G[b[t_idx], node[t_idx]]
        gfrac = topo.g_amt[e] / G
        key = bs[t_idx] * n + j
        uk, inv = np.unique(key, return_inverse=True)
        pos = np.searchsorted(def_keys, uk)
        uk_def = (pos < def_keys.size) & (def_keys[np.minimum(pos, def_keys.size - 1)] == uk)
        return _Chunk(
            start=start,
            n_scen=n_scen,
            weights=self.scenarios.weights[start:stop],
            cells=cells,
            bs=bs,
            node=node,
            def_keys=def_keys,
            t_idx=t_idx,
            gfrac=gfrac,
            g_amt=topo.g_amt[e],
            void=self._void(start + s_loc[t_idx], e),
            inv=inv.ravel(),
            uk=uk,
            uk_def=uk_def if def_keys.size else np.zeros(uk.size, dtype=bool),
            uk_equity=topo.equity[uk % n],
        )

    # -- evaluation --------------------------------------------------------------------------
    def evaluate(
        self,
        loans: np.ndarray,
        *,
        losses: bool = False,
        nodes: bool = False,
        events: bool = False,
        loss_only: bool = False,
        pairs: bool = False,
    ) -> Totals:
        """Run the cascade for loan matrix ``loans`` (B × n) on every scenario chunk.

        ``losses`` keeps the per-scenario loss (B × S) and its split; ``nodes`` the per-node
        expectations; ``events`` the default events (for :meth:`AllianceNetwork.cascade`).
        ``loss_only`` computes the expected loss alone (the other totals stay 0), the same
        numbers with fewer passes over the defaults (for root finding on the share).
        ``pairs`` keeps the bank's loss on each defaulted loan in each scenario
        (``Totals.pair_losses``), for member-by-member tail limits.

        Parameters
        ----------
        loans : numpy.ndarray
            The loans (B × n), one row per configuration.
        losses : bool
            Keep the per-scenario loss and its split.
        nodes : bool
            Keep the per-node expectations.
        events : bool
            Keep the default events.
        loss_only : bool
            Compute the expected loss alone.
        pairs : bool
            Keep the loss on each defaulted loan in each scenario.

        Returns
        -------
        Totals

        Examples
        --------
        >>> from alliance.network.scenarios import exact_defaults
        >>> topo = Topology.build(
        ...     ["A", "B"], demand=[100, 0], pd=[0.5, 0.0], lgd=[0.5, 0.5], collateral=[0, 0],
        ...     equity=[0, 30], fund=[0, 0], is_member=[True, False], src=[1], tgt=[0], amount=[40])
        >>> engine = CascadeEngine(topo, exact_defaults(topo.pd), np.ones((1, 2), dtype=bool))
        >>> engine.evaluate(np.array([[100.0, 0.0]]), losses=True).losses.tolist()
        [[0.0, 20.0]]
        """
        loss_only = loss_only and not (losses or nodes or events or pairs)
        B, n, S = self.B, self.topo.n, self.scenarios.n_scenarios
        loans = np.asarray(loans, dtype=float).reshape(B, n)
        keys = ("el", "el2", "cr", "op", "gu", "ct", "fund", "gpaid", "cont")
        acc = {k: np.zeros(B) for k in keys}
        loss_mat = np.zeros((B, S)) if losses else None
        comp_mat = np.zeros((6, B, S)) if losses else None
        rounds_mat = np.zeros((B, S), dtype=np.int64) if losses else None
        size_mat = np.zeros((B, S), dtype=np.int64) if losses else None
        node_acc = (
            {k: np.zeros(B * n) for k in ("loss", "def", "paid", "cont", "ploss")}
            if nodes
            else None
        )
        ev: list[tuple[np.ndarray, np.ndarray, np.ndarray]] = []
        pl: list[tuple[np.ndarray, np.ndarray, np.ndarray]] = []
        want_nodes = node_acc is not None
        if self.backend == "dask" and len(self.chunks) > 1:
            import dask

            jobs = [
                dask.delayed(self._run_chunk)(
                    ch, loans, nodes=want_nodes, events=events, loss_only=loss_only, pairs=pairs
                )
                for ch in self.chunks
            ]
            outs = dask.compute(*jobs, scheduler="threads")
        else:
            outs = (
                self._run_chunk(
                    ch, loans, nodes=want_nodes, events=events, loss_only=loss_only, pairs=pairs
                )
                for ch in self.chunks
            )
        # sums in chunk order, so both backends give identical numbers
        for ch, out in zip(self.chunks, outs):
            cb, cs = ch.cells // ch.n_scen, ch.cells % ch.n_scen
            w = ch.weights[cs]
            bidx = cb
            loss = out["loss"]
            acc["el"] += np.bincount(bidx, loss * w, B)
            if loss_only:
                continue
            acc["el2"] += np.bincount(bidx, loss * loss * w, B)
            for k in ("cr", "op", "gu", "ct", "fund", "gpaid", "cont"):
                acc[k] += np.bincount(bidx, out[k] * w, B)
            if losses:
                col = ch.start + cs
                loss_mat[cb, col] = loss
                for c, k in enumerate(("cr", "op", "gu", "ct", "fund", "gpaid")):
                    comp_mat[c][cb, col] = out[k]
                rounds_mat[cb, col] = out["rounds"]
                size_mat[cb, col] = out["cont"]
            if node_acc is not None:
                for k in node_acc:
                    node_acc[k] += out["node_" + k]
            if events:
                bs_ev, node_ev, rnd_ev = out["events"]
                b_ev, s_ev = cb[bs_ev], cs[bs_ev] + ch.start
                ev.append((b_ev * S + s_ev, node_ev, rnd_ev))
            if pairs:
                bs_p, node_p, loss_p = out["pairs"]
                pl.append((cb[bs_p] * S + cs[bs_p] + ch.start, node_p, loss_p))
        tot = Totals(
            expected_loss=acc["el"],
            second_moment=acc["el2"],
            credit=acc["cr"],
            operational=acc["op"],
            guarantor=acc["gu"],
            contagion=acc["ct"],
            fund_paid=acc["fund"],
            guarantees_paid=acc["gpaid"],
            contagion_defaults=acc["cont"],
            losses=loss_mat,
            components=None if comp_mat is None else comp_mat[:4],
            fund_by_scenario=None if comp_mat is None else comp_mat[4],
            guarantees_by_scenario=None if comp_mat is None else comp_mat[5],
            rounds=rounds_mat,
            cascade_size=size_mat,
        )
        if node_acc is not None:
            tot.node_loss = node_acc["loss"].reshape(B, n)
            tot.node_default = node_acc["def"].reshape(B, n)
            tot.node_paid = node_acc["paid"].reshape(B, n)
            tot.node_contagion = node_acc["cont"].reshape(B, n)
            tot.node_primary_loss = node_acc["ploss"].reshape(B, n)
        if events:
            cat = (
                [np.concatenate([e[k] for e in ev]) for k in range(3)]
                if ev
                else [np.empty(0, np.int64)] * 3
            )
            tot.events = (cat[0], cat[1], cat[2])
        if pairs:
            tot.pair_losses = (
                np.concatenate([p[0] for p in pl]) if pl else np.empty(0, np.int64),
                np.concatenate([p[1] for p in pl]) if pl else np.empty(0, np.int64),
                np.concatenate([p[2] for p in pl]) if pl else np.empty(0),
            )
        return tot

    def _run_chunk(
        self,
        ch: _Chunk,
        loans: np.ndarray,
        *,
        nodes: bool,
        events: bool,
        loss_only: bool = False,
        pairs: bool = False,
    ) -> dict:
        topo, n, B = self.topo, self.topo.n, self.B
        ns = ch.n_scen
        BS = ch.cells.size  # cells: (configuration, scenario) pairs with a default
        cell_b, cell_s = ch.cells // ns, ch.cells % ns
        w_bs = ch.weights[cell_s]
        out = {k: np.zeros(BS) for k in ("loss", "cr", "op", "gu", "ct", "fund", "gpaid", "cont")}
        out["rounds"] = np.zeros(BS, dtype=np.int64)
        if nodes:
            for k in ("loss", "def", "paid", "cont", "ploss"):
                out["node_" + k] = np.zeros(B * n)
        pair_bs: list[np.ndarray] = []
        pair_node: list[np.ndarray] = []
        pair_loss: list[np.ndarray] = []
        use_fund = bool(np.any(self.fund_total > 0))
        fund_rem = self.fund_total[cell_b] if use_fund else None
        def_keys = ch.def_keys
        eq_keys = np.empty(0, dtype=np.int64)
        eq_vals = np.empty(0)
        ev_bs, ev_node, ev_round = [], [], []

        bs, node = ch.bs, ch.node
        rnd = 0
        while bs.size:
            primary = rnd == 0
            b_of = cell_b[bs]
            cover = topo.collateral[node]
            if self.pledge or self.trade_contagion:
                # what every defaulter pays on its trade debts, given the defaults so far
                ratios = self._clearing(def_keys, loans, cell_b)
            if self.pledge:
                cover = cover + self._receivables(bs, node, b_of, def_keys, ratios)
            ell = topo.lgd[node] * np.maximum(loans[b_of, node] - cover, 0.0)
            trade_new = None
            if self.trade_contagion:
                eq_keys, eq_vals, trade_new = self._trade_losses(
                    bs, node, b_of, def_keys, eq_keys, eq_vals, ratios
                )
            if use_fund:
                # later rounds touch few cells: work on those only
                uc, invc = (np.arange(BS), bs) if primary else np.unique(bs, return_inverse=True)
                total = np.bincount(invc, ell, uc.size)
                pay = np.minimum(fund_rem[uc], total)
                fund_rem[uc] -= pay
                out["fund"][uc] += pay
                with np.errstate(divide="ignore", invalid="ignore"):
                    frac = np.where(total > 0, pay / total, 0.0)
                r = ell * (1.0 - frac[invc])
            else:
                r = ell
            # guarantee calls
            if primary:
                t_idx, gfrac, g_amt, void = ch.t_idx, ch.gfrac, ch.g_amt, ch.void
                inv, uk, uk_def = ch.inv, ch.uk, ch.uk_def
                e_rem = ch.uk_equity
                if eq_keys.size:  # trade losses of this round came first
                    pos = np.searchsorted(eq_keys, uk)
                    pos_c = np.minimum(pos, eq_keys.size - 1)
                    hit = (pos < eq_keys.size) & (eq_keys[pos_c] == uk)
                    e_rem = np.where(hit, eq_vals[pos_c], e_rem)
            else:
                t_idx, e, j = self._expand(b_of, node)
                G = self.G[b_of[t_idx], node[t_idx]]
                g_amt = topo.g_amt[e]
                gfrac = g_amt / G
                void = self._void(ch.start + cell_s[bs[t_idx]], e)
                key = bs[t_idx] * n + j
                uk, inv = np.unique(key, return_inverse=True)
                inv = inv.ravel()
                uk_def = _contains(def_keys, uk)
                e_rem = topo.equity[uk % n]
                if eq_keys.size:
                    pos = np.searchsorted(eq_keys, uk)
                    pos_c = np.minimum(pos, eq_keys.size - 1)
                    hit = (pos < eq_keys.size) & (eq_keys[pos_c] == uk)
                    e_rem = np.where(hit, eq_vals[pos_c], e_rem)
            call = np.minimum(gfrac * r[t_idx], g_amt)
            if void is None:
                valid = call
            else:
                valid = np.where(void, 0.0, call)
            m = bs.size
            if uk.size:
                C = np.bincount(inv, valid, uk.size)
                # e/C is only used where C > e; elsewhere (a denormal C) it may overflow
                with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
                    ratio = np.where(
                        uk_def, 0.0, np.where(C <= e_rem, 1.0, e_rem / np.where(C > 0, C, 1.0))
                    )
                newdef = ~uk_def & (C > e_rem * (1 + _TOL) + _TOL)
                e_new = np.where(uk_def | newdef, np.where(newdef, 0.0, e_rem), e_rem - C)
                eq_keys, eq_vals = _merge_state(eq_keys, eq_vals, uk, np.maximum(e_new, 0.0))
                paid = valid * ratio[inv]
                paid_t = np.bincount(t_idx, paid, m)
                if not loss_only:
                    calls_t = np.bincount(t_idx, call, m)
                    valid_t = np.bincount(t_idx, valid, m)
                new_keys = uk[newdef]
            else:
                paid = np.empty(0)
                paid_t = calls_t = valid_t = np.zeros(m)
                new_keys = np.empty(0, dtype=np.int64)
            if trade_new is not None and trade_new.size:
                new_keys = np.union1d(new_keys, trade_new)
            unrec = np.maximum(r - paid_t, 0.0)
            if loss_only:
                if primary:
                    out["loss"] += np.bincount(bs, unrec, BS)
                else:
                    np.add.at(out["loss"], bs, unrec)
            elif primary:
                out["loss"] += np.bincount(bs, unrec, BS)
                out["gpaid"] += np.bincount(bs, paid_t, BS)
                out["cr"] += np.bincount(bs, np.maximum(r - calls_t, 0.0), BS)
                out["op"] += np.bincount(bs, calls_t - valid_t, BS)
                out["gu"] += np.bincount(bs, valid_t - paid_t, BS)
            else:  # few cells: scatter-add instead of full-length bincounts
                np.add.at(out["loss"], bs, unrec)
                np.add.at(out["gpaid"], bs, paid_t)
                np.add.at(out["ct"], bs, unrec)
                np.add.at(out["cont"], bs, 1.0)
                out["rounds"][bs] = rnd
            if pairs:
                pair_bs.append(bs)
                pair_node.append(node)
                pair_loss.append(np.asarray(unrec, dtype=float))
            if nodes:
                wt = w_bs[bs]
                bn = b_of * n + node
                out["node_loss"] += np.bincount(bn, unrec * wt, B * n)
                out["node_def"] += np.bincount(bn, wt, B * n)
                if primary:
                    out["node_ploss"] += np.bincount(bn, unrec * wt, B * n)
                else:
                    out["node_cont"] += np.bincount(bn, wt, B * n)
                if paid.size:
                    kb = cell_b[uk[inv] // n] * n + uk[inv] % n
                    out["node_paid"] += np.bincount(kb, paid * w_bs[uk[inv] // n], B * n)
            if events:
                ev_bs.append(bs)
                ev_node.append(node)
                ev_round.append(np.full(m, rnd, dtype=np.int64))
            # next round: the guarantors that failed
            if new_keys.size:
                def_keys = np.insert(def_keys, np.searchsorted(def_keys, new_keys), new_keys)
            bs, node = new_keys // n, new_keys % n
            rnd += 1
        if pairs:
            out["pairs"] = (
                np.concatenate(pair_bs) if pair_bs else np.empty(0, np.int64),
                np.concatenate(pair_node) if pair_node else np.empty(0, np.int64),
                np.concatenate(pair_loss) if pair_loss else np.empty(0),
            )
        if events:
            out["events"] = (
                np.concatenate(ev_bs) if ev_bs else np.empty(0, np.int64),
                np.concatenate(ev_node) if ev_node else np.empty(0, np.int64),
                np.concatenate(ev_round) if ev_round else np.empty(0, np.int64),
            )
        return out

    def _clearing(self, def_keys: np.ndarray, loans: np.ndarray, cell_b: np.ndarray):
        """Clearing ratios of every default so far (aligned with ``def_keys``)."""
        present = None if self.all_present else self.present
        pledged = self.pledge & (loans > 0)
        if present is not None:
            pledged = pledged & present
        return trade_clearing_ratios(
            self.topo,
            def_keys,
            loans=loans,
            pledged=pledged,
            present=present,
            config_of_cell=cell_b,
        )

    def _receivables(
        self,
        bs: np.ndarray,
        node: np.ndarray,
        b_of: np.ndarray,
        def_keys: np.ndarray,
        ratios: np.ndarray,
    ) -> np.ndarray:
        """What the pledged receivables of defaulted (cell, node) pairs collect."""
        topo, n = self.topo, self.topo.n
        lo = topo.t_in_ptr[node]
        cnt = topo.t_in_ptr[node + 1] - lo
        total = int(cnt.sum())
        if total == 0:
            return np.zeros(node.size)
        t_idx = np.repeat(np.arange(node.size, dtype=np.int64), cnt)
        offs = np.cumsum(cnt) - cnt
        e = lo[t_idx] + np.arange(total, dtype=np.int64) - offs[t_idx]
        k = topo.t_src[e]
        val = (1.0 - self.haircut) * topo.t_amt[e]
        if not self.all_present:
            val = np.where(self.present[b_of[t_idx], k], val, 0.0)
        q = bs[t_idx] * n + k
        at = np.minimum(np.searchsorted(def_keys, q), def_keys.size - 1)
        dk = def_keys[at] == q
        val = np.where(dk, val * ratios[at], val)
        return np.bincount(t_idx, val, node.size)

    def _trade_losses(self, bs, node, b_of, def_keys, eq_keys, eq_vals, ratios):
        """Trade creditors of this round's defaulters lose the unpaid part from their equity.

        Returns the new equity state and the keys of creditors that default by it.
        """
        topo, n = self.topo, self.topo.n
        lo = topo.t_out_ptr[node]
        cnt = topo.t_out_ptr[node + 1] - lo
        total = int(cnt.sum())
        if total == 0:
            return eq_keys, eq_vals, None
        t_idx = np.repeat(np.arange(node.size, dtype=np.int64), cnt)
        offs = np.cumsum(cnt) - cnt
        e = topo.t_out_order[lo[t_idx] + np.arange(total, dtype=np.int64) - offs[t_idx]]
        cred = topo.t_tgt[e]
        own = np.searchsorted(def_keys, bs * n + node)  # this round's defaulters are in it
        shortfall = topo.t_amt[e] * (1.0 - ratios[own[t_idx]])
        if not self.all_present:
            shortfall = np.where(self.present[b_of[t_idx], cred], shortfall, 0.0)
        key = bs[t_idx] * n + cred
        keep = ~_contains(def_keys, key) & (shortfall > 0)
        if not keep.any():
            return eq_keys, eq_vals, None
        uk, inv = np.unique(key[keep], return_inverse=True)
        loss = np.bincount(inv.ravel(), shortfall[keep], uk.size)
        e_cur = topo.equity[uk % n]
        if eq_keys.size:
            pos = np.searchsorted(eq_keys, uk)
            pos_c = np.minimum(pos, eq_keys.size - 1)
            hit = (pos < eq_keys.size) & (eq_keys[pos_c] == uk)
            e_cur = np.where(hit, eq_vals[pos_c], e_cur)
        e_new = e_cur - loss
        fails = e_new < -(_TOL * (1.0 + e_cur))
        eq_keys, eq_vals = _merge_state(eq_keys, eq_vals, uk, np.maximum(e_new, 0.0))
        return eq_keys, eq_vals, uk[fails]


def _contains(sorted_keys: np.ndarray, q: np.ndarray) -> np.ndarray:
    if sorted_keys.size == 0:
        return np.zeros(q.size, dtype=bool)
    pos = np.searchsorted(sorted_keys, q)
    pos_c = np.minimum(pos, sorted_keys.size - 1)
    return (pos < sorted_keys.size) & (sorted_keys[pos_c] == q)


def _merge_state(keys: np.ndarray, vals: np.ndarray, new_k: np.ndarray, new_v: np.ndarray):
    """Sorted union of (keys, vals) and (new_k, new_v), the new values winning on ties."""
    if keys.size == 0:
        return new_k, new_v
    all_k = np.concatenate([keys, new_k])
    all_v = np.concatenate([vals, new_v])
    order = np.argsort(all_k, kind="stable")
    all_k, all_v = all_k[order], all_v[order]
    last = np.ones(all_k.size, dtype=bool)
    last[:-1] = all_k[1:] != all_k[:-1]
    return all_k[last], all_v[last]
