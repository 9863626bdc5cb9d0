r"""Credit shares: each member's Shapley value in the game v(S) = L_A(S).

``v(S)`` is the alliance limit of the sub-alliance ``S``: the members outside ``S`` are gone
(no loan, no fund contribution, no guarantees given or received), while guarantor
institutions and the fund's own capital stay. Every coalition is evaluated on the *same*
scenarios (common random numbers), and a whole batch of coalitions is solved together: one
false-position iteration on the share advances every coalition of the batch at once, and the
copula is never rerun per coalition.

The core check asks whether some group would obtain more credit on its own than the shares
give it: :math:`\max_S v(S) - \sum_{i \in S} \varphi_i \le` tolerance. It is exact over all
``2**n`` coalitions up to ``exact_core_max`` members and sampled above. Up to
``nucleolus_max`` members the result also carries the least core (its ``epsilon``: the core
is empty exactly when it is positive) and the nucleolus (Schmeidler 1969), computed by
:mod:`alliance.games.cooperative` on the exact table of v: the nucleolus is efficient and lies
in the core whenever the core is not empty.

References
----------
Shapley, L. S. (1953). A value for n-person games. *Contributions to the Theory of Games II*,
Annals of Mathematics Studies 28, 307-317.

Schmeidler, D. (1969). The nucleolus of a characteristic function game. *SIAM Journal on
Applied Mathematics* 17(6), 1163-1170.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from alliance.errors import InvalidGameError, ParameterError
from alliance.network.contagion import CascadeEngine, Topology
from alliance.network.limit import solve_shares
from alliance.network.margin import network_scenarios
from alliance.network.policy import BankPolicy
from alliance.network.results import CreditSharesResult
from alliance.network.scenarios import ScenarioSet
from alliance.numbers import check_probability, child_seed

if TYPE_CHECKING:
    from alliance.network.network import AllianceNetwork

__all__ = ["credit_shares", "coalition_limits"]


def coalition_limits(
    topo: Topology,
    scenarios: ScenarioSet,
    policy: BankPolicy,
    mask: np.ndarray,
    *,
    void_prob: float = 0.0,
    max_pairs: int = 3_000_000,
    rule: str = "optimal",
    check_scenarios: ScenarioSet | None = None,
    fund_leverage: float | None = None,
    trade_contagion: bool = False,
) -> np.ndarray:
    """Alliance limits of the sub-alliances in ``mask`` (k × members, bool), vectorised.

    ``rule="optimal"`` (version 2): each sub-alliance's largest total credit under
    participation and the bank's limits (:func:`~alliance.network.optimal.solve_coalitions`);
    ``rule="uniform"`` (version 1): the largest share of demand, coalitions processed in
    batches holding about ``max_pairs`` (coalition, scenario, default) triples.

    Parameters
    ----------
    topo : Topology
        The whole network's topology (:meth:`AllianceNetwork.topology`).
    scenarios : ScenarioSet
        Default scenarios of every node, shared by all coalitions (common random numbers).
    policy : BankPolicy
        The bank's limits.
    mask : bool array
        One row per coalition, one column per member (in the order of ``topo``'s members):
        True for the members present.
    void_prob : float
        Probability q in [0, 1] that a guarantee is void.
    max_pairs : int
        Uniform rule: batch size in (coalition, scenario, default) triples (memory bound).
    rule : {"optimal", "uniform"}
        Version 2's optimal allocation or version 1's uniform share.
    check_scenarios : ScenarioSet, optional
        Optimal rule: scenarios on which each allocation is checked with the true rules
        (default: ``scenarios``).
    fund_leverage : float, optional
        Optimal rule: each coalition's credit is at most this multiple of its members' fund
        contributions (None: no cap).
    trade_contagion : bool
        Optimal rule: trade shortfalls reduce creditors' equity and can make them default.

    Returns
    -------
    numpy.ndarray
        The alliance limit of each coalition (length k).

    Examples
    --------
    >>> import numpy as np
    >>> from alliance.network import AllianceNetwork, BankPolicy
    >>> from alliance.network.margin import make_scenarios
    >>> net = AllianceNetwork()
    >>> net.add_member("A", demand=200, pd=0.04, lgd=0.5)
    >>> net.add_member("B", demand=100, pd=0.0, lgd=0.5, equity=1000)
    >>> net.add_chain("B", "A", amount=40)
    >>> topo = net.topology()
    >>> sc = make_scenarios(topo, "exact", rho=0.0)
    >>> masks = np.array([[True, False], [False, True], [True, True]])
    >>> coalition_limits(topo, sc, BankPolicy(max_el_rate=0.005), masks).round(6).tolist()  # A alone: EL rate 2 % > 0.5 %
    [0.0, 100.0, 240.0]
    """
    mask = np.asarray(mask, dtype=bool)
    k = mask.shape[0]
    mem = np.flatnonzero(topo.is_member)
    present = np.ones((k, topo.n), dtype=bool)
    present[:, mem] = mask
    base = np.where(present & topo.is_member[None, :], topo.demand[None, :], 0.0)
    if rule == "optimal":
        from alliance.network.margin import standalone_vector
        from alliance.network.optimal import aggregate_patterns, solve_coalitions

        if not 0.0 < void_prob < 1.0:  # only the default pattern varies: merge repeats
            same = check_scenarios is None or check_scenarios is scenarios
            scenarios = aggregate_patterns(scenarios)
            check_scenarios = scenarios if same else aggregate_patterns(check_scenarios)

        l0 = standalone_vector(topo, scenarios, policy)
        lower = np.where(present & topo.is_member[None, :], l0[None, :], 0.0)
        caps = None
        if fund_leverage is not None:
            fund_here = np.where(present, topo.fund[None, :], 0.0).sum(axis=1)
            caps = fund_leverage * fund_here
        limits, _ = solve_coalitions(
            topo,
            scenarios,
            scenarios if check_scenarios is None else check_scenarios,
            policy,
            present=present,
            lower=lower,
            upper=base,
            fund_caps=caps,
            void_prob=void_prob,
            trade_contagion=trade_contagion,
        )
        return limits
    nnz = max(int(scenarios.defaults.nnz), 1)
    # triples per coalition ~ nnz * (share of defaults among its members)
    per = max(1, int(max_pairs // nnz))
    out = np.zeros(k)
    for a in range(0, k, per):  # batches of coalitions, each solved in one vectorised pass
        b = min(a + per, k)
        pres = present[a:b]
        eng = CascadeEngine(
            topo,
            scenarios,
            pres,
            void_prob,
            max_pairs=max_pairs,
            pledge=True,
            haircut=float(policy.receivable_haircut),
        )

        def subset(rows: np.ndarray, pres: np.ndarray = pres) -> CascadeEngine:
            return CascadeEngine(
                topo,
                scenarios,
                pres[rows],
                void_prob,
                max_pairs=max_pairs,
                pledge=True,
                haircut=float(policy.receivable_haircut),
            )

        sol = solve_shares(eng, base[a:b], policy, finalize=False, subset=subset)
        out[a:b] = sol.share * base[a:b].sum(axis=1)
    return out


def credit_shares(
    net: AllianceNetwork,
    policy: BankPolicy,
    method: str = "exact",
    *,
    scenarios: int | str | ScenarioSet = 10_000,
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
    check: str | ScenarioSet = "fresh",
    trade_contagion: bool = False,
) -> CreditSharesResult:
    """Each member's credit share (Shapley value of the alliance limit) and a core check.

    Parameters
    ----------
    net : AllianceNetwork
    policy : BankPolicy
    method : {"exact", "sampled"}
        Exact Shapley value over all ``2**n`` sub-alliances, or permutation sampling with
        standard errors (for large alliances).
    scenarios, rho, sector_rho, seed, void_prob
        As in :func:`~alliance.network.margin.credit_margin`; drawn once for all coalitions.
    samples : int
        Sampled method: the largest number of player orders.
    target_standard_error : float, optional
        Sampled method: stop once every share's standard error is below this (default 1 %
        of the alliance limit). It is checked after every ``batch_size`` orders, once at
        least 32 orders are in.
    batch_size : int, optional
        Sampled method: player orders per batch of sub-alliances solved together (each order
        adds ``n - 1`` sub-alliances). ``None``: as many as fit in about 2**17 sub-alliances,
        which checks the standard errors rarely.
    exact_core_max : int
        Check the core over all coalitions up to this many members; above it, over all
        singletons, all coalitions of n-1 members and ``core_samples`` random coalitions.
    core_samples : int
        Above ``exact_core_max`` members: the number of random coalitions of the sampled
        core check.
    nucleolus_max : int
        Compute the least core and the nucleolus up to this many members (each needs the
        whole table of ``2**n`` sub-alliance limits; at most 16, the cooperative engine's
        limit). Above it both are ``None``.
    tol : float, optional
        Tolerance of the core check (default 1e-9 × alliance limit for exact shares, two
        standard errors of the largest share for sampled ones).
    progress : bool or None, default None
        Show a progress bar (None: only in a terminal, for long work).
    rule : {"optimal", "uniform"}
        Each v(S) under version 2's optimal allocation (default) or version 1's uniform
        share.
    check : {"fresh", "same"} or ScenarioSet
        Scenarios on which each sub-alliance's allocation is checked with the true rules, as
        in :func:`~alliance.network.margin.credit_margin`.
    trade_contagion : bool
        Trade shortfalls reduce the creditors' equity and can make them default.

    Returns
    -------
    CreditSharesResult
        Shares (they sum to the alliance limit: efficiency), the core verdict and the most
        objecting coalition; up to ``nucleolus_max`` members, the least core and the
        nucleolus.

    Examples
    --------
    >>> from alliance.network import AllianceNetwork, BankPolicy
    >>> net = AllianceNetwork()
    >>> net.add_member("A", demand=200, pd=0.04, lgd=0.5)
    >>> net.add_member("B", demand=100, pd=0.0, lgd=0.5, equity=1000)
    >>> net.add_chain("B", "A", amount=40)
    >>> res = credit_shares(net, BankPolicy(max_el_rate=0.005), scenarios="exact", rho=0.0)
    >>> res.values.round(6).to_dict()
    {'A': 70.0, 'B': 170.0}
    >>> res.nucleolus.round(6).to_dict(), round(res.least_core_epsilon, 6)
    ({'A': 70.0, 'B': 170.0}, -70.0)
    """
    from alliance.games.cooperative import NUCLEOLUS_MAX_PLAYERS, CooperativeGame

    if method not in ("exact", "sampled"):
        raise ParameterError(f"method is {method!r}; it must be 'exact' or 'sampled'")
    if not 0 <= int(nucleolus_max) <= NUCLEOLUS_MAX_PLAYERS:
        raise ParameterError(
            f"nucleolus_max is {nucleolus_max!r}; it must be between 0 and {NUCLEOLUS_MAX_PLAYERS}"
        )
    q = check_probability(void_prob, "void_prob")
    topo, sc = network_scenarios(net, scenarios, rho, sector_rho, seed, progress)
    if sc.is_exact and 0.0 < q < 1.0:
        raise ParameterError(f"void_prob is {q!r}; scenarios='exact' needs void_prob 0 or 1")
    players = [nm for nm, m in zip(topo.names, topo.is_member) if m]
    n = len(players)
    if n == 0:
        raise ParameterError("the network has no members to share credit among")

    from alliance.network.margin import check_rule, check_scenarios

    check_rule(rule)
    check_sc = check_scenarios(
        net, sc, check, scenarios=scenarios, rho=rho, sector_rho=sector_rho, seed=seed
    )
    cap = net.fund_leverage_cap
    fund_leverage = None if cap is None or net.fund_total <= 0 else cap / net.fund_total

    def v(mask: np.ndarray) -> np.ndarray:
        return coalition_limits(
            topo,
            sc,
            policy,
            mask,
            void_prob=q,
            rule=rule,
            check_scenarios=check_sc,
            fund_leverage=fund_leverage,
            trade_contagion=trade_contagion,
        )

    game = CooperativeGame(n, v, players=players, vectorized=True)
    grand = float(game.values(np.ones((1, n), dtype=bool))[0])
    if method == "exact":
        alloc = game.shapley(method="exact")
    else:
        tse = 0.01 * grand if target_standard_error is None else float(target_standard_error)
        alloc = game.shapley(
            method="sampled",
            samples=int(samples),
            seed=seed,
            progress=progress,
            target_standard_error=tse if tse > 0 else None,
            batch_size=batch_size,
        )
    x = np.asarray(alloc.values, dtype=float)
    single = game.values(np.eye(n, dtype=bool))
    se = getattr(alloc, "standard_errors", None)
    if tol is None:
        tol = 1e-9 * max(grand, 1.0)
        if se is not None:
            tol = max(tol, 2.0 * float(np.max(se)))
    if n <= exact_core_max:
        chk = game.in_core(x, tol=tol)
        in_core = bool(chk)
        worst = tuple(chk.most_violated) if chk.most_violated else ()
        excess = float(chk.excess)
        core_method = f"exact ({2**n} coalitions)"
    else:
        rng = np.random.default_rng(child_seed(0 if seed is None else seed, 11))
        rand = rng.random((core_samples, n)) < rng.random((core_samples, 1))
        masks = np.vstack([np.eye(n, dtype=bool), ~np.eye(n, dtype=bool), rand])
        masks = masks[(masks.sum(axis=1) > 0) & (masks.sum(axis=1) < n)]
        vals = game.values(masks)
        exc = vals - masks.astype(float) @ x
        top = int(np.argmax(exc))
        excess = float(exc[top])
        in_core = excess <= tol
        worst = tuple(p for p, m in zip(players, masks[top]) if m)
        core_method = f"sampled ({masks.shape[0]} coalitions)"
    nucleolus_values = least_core_values = None
    epsilon = None
    nucleolus_method = None
    if n <= int(nucleolus_max):
        index = pd.Index(players, name="member")
        # the table is the memo of the evaluations above (exact Shapley, exact core check)
        lc = game.least_core()
        epsilon = float(lc.epsilon)
        least_core_values = pd.Series(
            np.asarray(lc.allocation.values, dtype=float), index=index, name="least_core"
        )
        try:
            nuc = game.nucleolus()
            nucleolus_method = "nucleolus"
        except InvalidGameError:
            # the members' own limits add up to more than v(N) (possible only when the grand
            # alliance is not viable but some one-member alliance is, with an institution's
            # help): no imputation exists, and the prenucleolus is the canonical point
            nuc = game.nucleolus(imputations=False)
            nucleolus_method = "prenucleolus"
        nucleolus_values = pd.Series(
            np.asarray(nuc.values, dtype=float), index=index, name=nucleolus_method
        )
    return CreditSharesResult(
        allocation=alloc,
        alliance_limit=grand,
        standalone=pd.Series(single, index=pd.Index(players, name="member"), name="v({i})"),
        in_core=in_core,
        most_violated=worst,
        max_excess=excess,
        core_method=core_method,
        method=method,
        nucleolus=nucleolus_values,
        least_core=least_core_values,
        least_core_epsilon=epsilon,
        nucleolus_method=nucleolus_method,
    )
