"""Financing chains valued honestly (docs/credit_v2.md, "What a defaulted debtor pays").

A pledged receivable is worth what the debtor actually pays: in full if it survives, its
clearing ratio if it defaults (an Eisenberg–Noe system over the defaulters of each scenario),
after the bank's haircut; the cascade and the programme value it the same way.
"""

import numpy as np
import pandas as pd
import pytest
import scipy.sparse as sp
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from alliance.errors import NetworkError, ParameterError
from alliance.network import AllianceNetwork, BankPolicy
from alliance.network.clearing import eisenberg_noe, trade_clearing_ratios
from alliance.network.contagion import CascadeEngine, Topology, receivable_value
from alliance.network.example import load_example_alliance
from alliance.network.importance import default_sampling
from alliance.network.scenarios import ScenarioSet, exact_defaults

EXACT = dict(scenarios="exact", rho=0.0)


def chain_network(lgd_k=0.25, demand_k=0.0, equity_a=0.0):
    """J owes K 25 (J pays nothing in default); K owes A 40 and B 60."""
    net = AllianceNetwork()
    net.add_member("J", demand=0, pd=0.1, lgd=1.0)
    net.add_member("K", demand=demand_k, pd=0.1, lgd=lgd_k)
    net.add_member("A", demand=100, pd=0.05, lgd=0.5, equity=equity_a)
    net.add_member("B", demand=100, pd=0.05, lgd=0.5)
    net.add_chain("J", "K", kind="trade", amount=25)
    net.add_chain("K", "A", kind="trade", amount=40)
    net.add_chain("K", "B", kind="trade", amount=60)
    return net


# -- the clearing ratio ---------------------------------------------------------------------------
def test_a_debtor_whose_assets_cover_half_its_liabilities_pays_half_on_each():
    net = chain_network()
    # K defaults with J: its assets are 0.75 (0 + 100) - 25 = 50, half of its debts of 100,
    # so A's pledged receivable of 40 collects 20 and B's of 60 collects 30
    res = net.cascade(["J", "K", "A", "B"], loans={"A": 100, "B": 100})
    i = list(net.graph.nodes).index
    assert res.loss[0] == pytest.approx(0.5 * (100 - 20) + 0.5 * (100 - 30))
    # K alone (J pays in full): K pays 1 - lambda = 0.75 on each
    alone = net.cascade(["K", "A", "B"], loans={"A": 100, "B": 100})
    assert alone.loss[0] == pytest.approx(0.5 * (100 - 30) + 0.5 * (100 - 45))
    topo = net.topology()
    keys = np.array([i("J"), i("K")], dtype=np.int64)
    ratios = trade_clearing_ratios(topo, keys, loans=np.zeros(4), pledged=np.zeros(4, bool))
    assert ratios.tolist() == [0.0, 0.5]


def test_a_fixed_recovery_share_is_the_previous_rule():
    net = chain_network()
    topo = net.topology()
    fixed = Topology.build(
        topo.names,
        topo.demand,
        topo.pd,
        topo.lgd,
        topo.collateral,
        topo.equity,
        topo.fund,
        topo.is_member,
        [],
        [],
        [],
        topo.t_src,
        topo.t_tgt,
        topo.t_amt,
        recovery=0.75,
    )
    keys = np.array([0, 1], dtype=np.int64)
    assert trade_clearing_ratios(
        fixed, keys, loans=np.zeros(4), pledged=np.zeros(4, bool)
    ).tolist() == [0.75, 0.75]
    S, n = 1, topo.n
    prim = sp.csr_matrix(np.array([[True, True, True, True]]))
    sc = ScenarioSet(defaults=prim, weights=np.ones(S), method="given", nodes=topo.names)
    loans = np.array([[0.0, 0.0, 100.0, 100.0]])
    kw = dict(pledge=True, haircut=0.0)
    clearing = CascadeEngine(topo, sc, np.ones((1, n), bool), **kw).evaluate(loans)
    share = CascadeEngine(fixed, sc, np.ones((1, n), bool), **kw).evaluate(loans)
    assert clearing.expected_loss[0] == pytest.approx(40 + 35)
    assert share.expected_loss[0] == pytest.approx(0.5 * 70 + 0.5 * 55)


def test_pledged_receivables_secure_the_bank_not_the_trade_creditors():
    # K borrows and has pledged its receivable on J: its trade creditors get 1 - lambda
    net = chain_network(demand_k=50)
    res = net.cascade(["J", "K", "A", "B"], loans={"K": 50, "A": 100, "B": 100})
    # K: 0.25 * (50 - 0) (its receivable on J collects nothing); A and B collect 0.75 t
    assert res.loss[0] == pytest.approx(0.25 * 50 + 0.5 * (100 - 30) + 0.5 * (100 - 45))
    # without pledging, its receivable is in its creditors' pool: spread over loan and debts
    off = net.cascade(["J", "K", "A", "B"], loans={"K": 50, "A": 100, "B": 100}, pledge=False)
    assert off.loss[0] == pytest.approx(0.25 * 50 + 0.5 * 100 + 0.5 * 100)


def test_trade_losses_at_the_clearing_ratio_make_a_creditor_default():
    # A (equity 15) is owed 40 by K; K pays 0.5 when J defaults too: A loses 20 > 15
    net = chain_network(equity_a=15)
    with_j = net.cascade(["J", "K"], loans={"A": 100, "B": 100}, trade_contagion=True)
    without_j = net.cascade(["K"], loans={"A": 100, "B": 100}, trade_contagion=True)
    assert "A" in with_j.defaulted and "A" not in without_j.defaulted  # K pays 0.75: loses 10


def _en_reference(topo, defaulted, loans):
    """The same ratios from alliance.network.clearing.eisenberg_noe: the defaulters owe each
    other their trade debts and a sink the rest of L_k + T_k, with external assets
    (1 - lambda)(L + T) - (receivables on defaulters)."""
    d = np.flatnonzero(defaulted)
    pos = {int(k): m for m, k in enumerate(d)}
    m = d.size
    liab = np.zeros((m + 1, m + 1))
    base = np.zeros(m)
    for e in range(topo.t_amt.size):
        j, k, t = int(topo.t_src[e]), int(topo.t_tgt[e]), float(topo.t_amt[e])
        if j in pos:
            base[pos[j]] += t
            if k in pos:
                liab[pos[j], pos[k]] += t
    base += loans[d]
    external = (1 - topo.lgd[d]) * base - liab[:m, :m].sum(axis=0)
    for a in range(m):
        liab[a, m] = base[a] - liab[a, :m].sum()
    res = eisenberg_noe(liab, np.append(external, 0.0))
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(base > 0, res.payments[:m] / np.where(base > 0, base, 1), 1 - topo.lgd[d])


@st.composite
def trade_networks(draw):
    n = draw(st.integers(2, 6))
    lgd = draw(st.lists(st.floats(0.0, 0.3), min_size=n, max_size=n))
    loans = draw(st.lists(st.floats(0.0, 200.0), min_size=n, max_size=n))
    edges = draw(
        st.lists(
            st.tuples(st.integers(0, n - 1), st.integers(0, n - 1), st.floats(1.0, 60.0)),
            max_size=10,
            unique_by=lambda x: (x[0], x[1]),
        )
    )
    edges = [e for e in edges if e[0] != e[1]]
    cells = draw(st.lists(st.lists(st.booleans(), min_size=n, max_size=n), min_size=1, max_size=3))
    return n, lgd, loans, edges, cells


@settings(max_examples=25, deadline=None)
@given(trade_networks())
def test_batched_ratios_are_the_eisenberg_noe_clearing_of_each_scenario(case):
    n, lgd, loans, edges, cells = case
    loans = np.asarray(loans)
    topo = Topology.build(
        [f"M{i}" for i in range(n)],
        np.zeros(n),
        np.full(n, 0.1),
        lgd,
        np.zeros(n),
        np.zeros(n),
        np.zeros(n),
        np.ones(n, bool),
        [],
        [],
        [],
        [e[0] for e in edges],
        [e[1] for e in edges],
        [e[2] for e in edges],
    )
    defaulted = np.array(cells, dtype=bool)
    keys = np.flatnonzero(defaulted.ravel()).astype(np.int64)  # cell * n + node, sorted
    for row in defaulted:  # the reference needs non-negative external assets
        ref_base = loans + np.bincount(topo.t_src, topo.t_amt, n)
        into = np.bincount(topo.t_tgt, topo.t_amt * row[topo.t_src], n)
        assume(np.all(((1 - np.asarray(lgd)) * ref_base - into)[row] >= -1e-9))
    got = trade_clearing_ratios(topo, keys, loans=loans, pledged=np.zeros(n, bool))
    assert np.all((got >= 0) & (got <= 1 - np.asarray(lgd)[keys % n] + 1e-12))
    want = np.concatenate([_en_reference(topo, row, loans) for row in defaulted])
    # a node without trade debts pays no trade creditor: its ratio is moot (1 - lambda)
    owes = np.bincount(topo.t_src, topo.t_amt, n)[keys % n] > 0
    np.testing.assert_allclose(got[owes], want[owes], atol=1e-9)
    # more defaults never raise a defaulter's ratio
    if defaulted.shape[0] > 1:
        union = defaulted[0] | defaulted[1]
        both = np.flatnonzero(np.concatenate([defaulted[0], union])).astype(np.int64)
        r = trade_clearing_ratios(topo, both, loans=loans, pledged=np.zeros(n, bool))
        first = r[: int(defaulted[0].sum())]
        later = r[int(defaulted[0].sum()) :][
            np.isin(np.flatnonzero(union), np.flatnonzero(defaulted[0]))
        ]
        assert np.all(later <= first + 1e-12)


def test_a_closed_circle_of_defaulters_pays_nothing_when_it_has_no_other_assets():
    # K and J owe each other everything they owe; each loses 0.2 of its assets in default:
    # the shortfalls feed each other until both pay nothing
    topo = Topology.build(
        ["K", "J"],
        [0, 0],
        [0.1, 0.1],
        [0.2, 0.2],
        [0, 0],
        [0, 0],
        [0, 0],
        [True, True],
        [],
        [],
        [],
        [0, 1],
        [1, 0],
        [50, 50],
    )
    r = trade_clearing_ratios(topo, np.array([0, 1]), loans=np.zeros(2), pledged=np.zeros(2, bool))
    assert r.tolist() == [0.0, 0.0]
    # a slowly converging circle (gain 0.999) is finished by the linear solve
    topo = Topology.build(
        ["K", "J"],
        [0, 0],
        [0.1, 0.1],
        [1e-6, 1e-6],
        [0, 0],
        [0, 0],
        [0, 0],
        [True, True],
        [],
        [],
        [],
        [0, 1],
        [1, 0],
        [50, 50],
    )
    r = trade_clearing_ratios(
        topo,
        np.array([0, 1]),
        loans=np.array([0.05, 0.05]),
        pledged=np.zeros(2, bool),
        max_rounds=50,
    )
    gain = 50 / 50.05
    np.testing.assert_allclose(r, 1 - 1e-6 / (1 - gain), rtol=1e-9)


# -- the programme and the cascade value receivables the same way ---------------------------------
def test_programme_and_cascade_value_the_chain_alike():
    # A pledges its receivable of 60 on K; K owes nothing else, has no loan, lgd 0.25, and
    # holds a receivable of 30 on J (lgd 1). Independent defaults, exact scenarios:
    # R = 60 (K survives), 45 (K defaults, J does not), 60 (0.75 - 30/60) = 15 (both).
    net = AllianceNetwork()
    net.add_member("A", demand=100, pd=0.05, lgd=0.5)
    net.add_member("K", demand=0, pd=0.2, lgd=0.25)
    net.add_member("J", demand=0, pd=0.5, lgd=1.0)
    net.add_chain("K", "A", kind="trade", amount=60)
    net.add_chain("J", "K", kind="trade", amount=30)
    pol = BankPolicy(max_el_rate=0.01)
    rep = net.credit_margin(pol, **EXACT)
    probs = np.array([0.8, 0.2 * 0.5, 0.2 * 0.5])
    collected = np.array([60.0, 45.0, 15.0])

    def slack(L):  # expected loss minus the limit, at loan L
        return 0.05 * 0.5 * probs @ np.maximum(L - collected, 0.0) - 0.01 * L

    lo, hi = 0.0, 100.0
    for _ in range(200):
        mid = 0.5 * (lo + hi)
        lo, hi = (mid, hi) if slack(mid) <= 0 else (lo, mid)
    assert rep.alliance_limit == pytest.approx(lo, abs=1e-6)
    assert rep.upper_bound == pytest.approx(lo, abs=1e-6)  # the programme: the same value
    assert rep.expected_loss == pytest.approx(0.01 * lo, rel=1e-6)


def test_receivable_value_of_a_debtor_that_never_defaults_is_face_after_haircut():
    net = chain_network()
    topo = net.topology()
    v = receivable_value(
        topo,
        np.empty(0, np.int64),
        np.array([0]),
        np.array([1]),
        haircut=0.3,
        loans=np.zeros(4),
    )
    assert v.tolist() == [pytest.approx(0.7)]


# -- bad input: named errors ----------------------------------------------------------------------
def test_bad_receivables_and_haircuts_are_named():
    net = chain_network()
    with pytest.raises(ParameterError, match="amount"):
        net.add_chain("A", "B", kind="trade", amount=float("nan"))
    with pytest.raises(ParameterError, match="amount"):
        net.add_chain("A", "B", kind="trade", amount=-1)
    with pytest.raises(NetworkError, match="unknown member 'X'"):
        net.add_chain("A", "X", kind="trade", amount=5)
    members = pd.DataFrame(
        {"name": ["A", "B"], "demand": [10, 10], "pd": [0.1, 0.1], "lgd": [0.5, 0.5]}
    )
    with pytest.raises((ParameterError, NetworkError), match="amount"):
        AllianceNetwork.from_frames(
            members,
            pd.DataFrame({"source": ["A"], "target": ["B"], "kind": ["trade"], "amount": [-3]}),
        )
    with pytest.raises(NetworkError, match="'Z'"):
        AllianceNetwork.from_frames(
            members,
            pd.DataFrame({"source": ["Z"], "target": ["B"], "kind": ["trade"], "amount": [3]}),
        )
    for h in (-0.1, 1.5, float("nan")):
        with pytest.raises(ParameterError, match="receivable_haircut"):
            BankPolicy(max_el_rate=0.01, receivable_haircut=h)
        with pytest.raises(ParameterError, match="haircut"):
            net.cascade(["K"], haircut=h)
    topo = net.topology()
    with pytest.raises(ParameterError, match="haircut"):
        receivable_value(
            topo,
            np.empty(0, np.int64),
            np.array([0]),
            np.array([1]),
            haircut=2.0,
            loans=np.zeros(4),
        )
    with pytest.raises(ParameterError, match="haircut"):
        CascadeEngine(topo, exact_defaults(topo.pd), np.ones((1, 4), bool), haircut=-1)
    with pytest.raises(ParameterError, match="recovery of 'K' is 1.5"):
        Topology.build(
            ["J", "K"],
            [0, 0],
            [0.1, 0.1],
            [0.5, 0.5],
            [0, 0],
            [0, 0],
            [0, 0],
            [True, True],
            [],
            [],
            [],
            recovery=[0.5, 1.5],
        )
    with pytest.raises(ParameterError, match="recovery"):
        Topology.build(
            ["J", "K"],
            [0, 0],
            [0.1, 0.1],
            [0.5, 0.5],
            [0, 0],
            [0, 0],
            [0, 0],
            [True, True],
            [],
            [],
            [],
            recovery=[0.5, 0.5, 0.5],
        )


# -- tails that do not depend on the seed ---------------------------------------------------------
def test_an_es_limited_alliance_limit_does_not_depend_on_the_seed_under_importance_sampling():
    # ES at 99.9 %: 300 plain scenarios hold a third of a tail scenario, importance-sampled ones
    # put many of them in the tail (the default for this policy, default_sampling)
    net = load_example_alliance()
    pol = BankPolicy(max_el_rate=0.02, es_alpha=0.999, max_es_rate=0.03)
    imp = [net.credit_margin(pol, scenarios=300, seed=s) for s in (1, 2, 3)]
    plain = [net.credit_margin(pol, scenarios=300, seed=s, sampling="plain") for s in (1, 2, 3)]
    assert default_sampling(pol) == "importance"
    limits = np.array([r.alliance_limit for r in imp])
    errors = np.array([r.standard_error for r in imp])
    assert np.all(errors > 0)
    assert np.ptp(limits) < 3 * errors.min()
    spread_plain = np.ptp([r.alliance_limit for r in plain])
    assert np.ptp(limits) < spread_plain / 3
