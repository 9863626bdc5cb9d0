"""Guarantee contagion: the rules of docs/economics.md §3 against a plain reference, and properties."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from alliance.errors import NetworkError, ParameterError
from alliance.network import AllianceNetwork
from alliance.network.scenarios import void_stream_key, void_uniforms


def reference_cascade(
    net, primary, q=0.0, seed=None, scenario=0, share=1.0, pledge=True, trade=False, haircut=0.0
):
    """The rules of docs/credit_v2.md written out node by node (slow, obviously correct)."""
    g = net.graph
    names = list(g.nodes)
    chains = net.chains("guarantee")
    trades = net.chains("trade")
    chain_id = {(a, b): k for k, (a, b, _) in enumerate(chains)}
    key = void_stream_key(seed)

    def void(a, b):
        if q <= 0:
            return False
        if q >= 1:
            return True
        u = void_uniforms(key, np.array([scenario]), np.array([chain_id[a, b]]))[0]
        return u < q

    equity = {n: g.nodes[n]["equity"] if g.nodes[n]["role"] != "fund" else 0.0 for n in names}
    fund = net.fund_total
    defaulted = set(primary)
    new = [n for n in names if n in defaulted]
    credit = op = guar = cont = loss = 0.0
    rnd = {n: 0 for n in new}
    r_no = 0

    def clearing_ratios():
        """What each defaulter pays on its trade debts (docs/credit_v2.md), node by node."""
        loan = {
            n: share * g.nodes[n]["demand"] if g.nodes[n]["role"] == "member" else 0.0
            for n in names
        }
        debts = {n: sum(t for a, _, t in trades if a == n) for n in names}
        sigma = {n: min(1.0, g.nodes[n]["lgd"]) for n in defaulted}
        for _ in range(10_000):
            nxt = {}
            for k in defaulted:
                base = loan[k] + debts[k]
                free = not (pledge and loan[k] > 0)
                lost = sum(t * sigma[j] for j, c, t in trades if c == k and j in defaulted and free)
                nxt[k] = min(1.0, g.nodes[k]["lgd"] + (lost / base if debts[k] > 0 else 0.0))
            done = max(abs(nxt[k] - sigma[k]) for k in defaulted) <= 1e-14
            sigma = nxt
            if done:
                break
        return {k: 1.0 - v for k, v in sigma.items()}

    while new:
        ratio_of = clearing_ratios()
        trade_failed = []
        if trade:  # trade creditors of this round's defaulters lose the unpaid part first
            for k in new:
                for a, c, t in trades:
                    if a == k and c not in defaulted:
                        equity[c] -= t * (1.0 - ratio_of[k])
                        if equity[c] < -1e-12 * (1 + equity[c] + t):
                            trade_failed.append(c)
                        equity[c] = max(equity[c], 0.0)
        ell = {}
        for i in new:
            d = g.nodes[i]
            pledged = 0.0
            if pledge:
                for k, c, t in trades:
                    if c == i:
                        rec = ratio_of[k] if k in defaulted else 1.0
                        pledged += (1 - haircut) * t * rec
            ell[i] = d["lgd"] * max(0.0, share * d["demand"] - d["collateral"] - pledged)
        total = sum(ell.values())
        pay = min(fund, total)
        fund -= pay
        r = {i: ell[i] * (1 - (pay / total if total > 0 else 0.0)) for i in new}
        calls = {}  # guarantor -> list of (i, valid call)
        void_sum = dict.fromkeys(new, 0.0)
        call_sum = dict.fromkeys(new, 0.0)
        for i in new:
            into = [(a, amt) for a, b, amt in chains if b == i]
            G = sum(amt for _, amt in into)
            for a, amt in into:
                c = amt * min(1.0, r[i] / G)
                call_sum[i] += c
                if void(a, i):
                    void_sum[i] += c
                else:
                    calls.setdefault(a, []).append((i, c))
        paid = dict.fromkeys(new, 0.0)
        valid = dict.fromkeys(new, 0.0)
        nxt = []
        for a, lst in calls.items():
            C = sum(c for _, c in lst)
            if a in defaulted:
                ratio = 0.0
            elif a in trade_failed:
                ratio = 0.0
            elif C <= equity[a] * (1 + 1e-12) + 1e-12:
                ratio = 1.0
                equity[a] -= C
            else:
                ratio = equity[a] / C
                equity[a] = 0.0
                nxt.append(a)
            for i, c in lst:
                paid[i] += c * ratio
                valid[i] += c
        for i in new:
            unrec = r[i] - paid[i]
            loss += unrec
            if r_no == 0:
                credit += max(r[i] - call_sum[i], 0.0)
                op += void_sum[i]
                guar += valid[i] - paid[i]
            else:
                cont += unrec
        r_no += 1
        nxt = [n for n in names if n in set(nxt) | set(trade_failed)]
        for n in nxt:
            rnd[n] = r_no
        defaulted |= set(nxt)
        new = nxt
    return {
        "loss": loss,
        "credit": credit,
        "operational": op,
        "guarantor": guar,
        "contagion": cont,
        "rounds": rnd,
    }


@st.composite
def networks(draw):
    n = draw(st.integers(2, 7))
    net = AllianceNetwork()
    for i in range(n):
        net.add_member(
            f"M{i}",
            demand=draw(st.floats(0, 100)),
            pd=0.1,
            lgd=draw(st.floats(0, 1)),
            collateral=draw(st.floats(0, 30)),
            equity=draw(st.floats(0, 60)),
            fund=draw(st.sampled_from([0.0, 0.0, 5.0])),
        )
    if draw(st.booleans()):
        net.add_guarantor("G", equity=draw(st.floats(0, 50)), leverage_cap=None)
    names = list(net.graph.nodes)
    pairs = draw(
        st.lists(st.tuples(st.sampled_from(names), st.sampled_from(net.members)), max_size=14)
    )
    for a, b in pairs:
        if a != b and not net.graph.has_edge(a, b):
            net.add_chain(a, b, amount=draw(st.floats(1, 60)))
    trades = draw(
        st.lists(st.tuples(st.sampled_from(net.members), st.sampled_from(net.members)), max_size=6)
    )
    for a, b in trades:
        if a != b and not net.graph.has_edge(a, b):
            net.add_chain(a, b, kind="trade", amount=draw(st.floats(1, 80)))
    primary = draw(st.lists(st.sampled_from(names), min_size=1, max_size=3, unique=True))
    return net, primary


@settings(max_examples=80, deadline=None)
@given(
    networks(),
    st.sampled_from([0.0, 0.3, 1.0]),
    st.floats(0.1, 1.0),
    st.booleans(),
    st.booleans(),
    st.sampled_from([0.0, 0.25]),
)
def test_engine_matches_reference_and_split_sums(case, q, share, pledge, trade, haircut):
    net, primary = case
    res = net.cascade(
        primary,
        void_prob=q,
        seed=5,
        share=share,
        pledge=pledge,
        trade_contagion=trade,
        haircut=haircut,
    )
    ref = reference_cascade(
        net, primary, q=q, seed=5, share=share, pledge=pledge, trade=trade, haircut=haircut
    )
    for k in ("loss", "credit", "operational", "guarantor", "contagion"):
        assert np.isclose(res.loss_split()[k if k != "loss" else "total"], ref[k], atol=1e-8), k
    # the four parts add up to the loss in every scenario
    parts = res.credit + res.operational + res.guarantor + res.contagion
    assert np.isclose(parts, res.loss).all()
    rounds = {n: r for n, r in zip(res.names, res.default_round[0]) if r >= 0}
    assert rounds == ref["rounds"]


def test_vectorised_over_scenarios_equals_one_by_one():
    rng = np.random.default_rng(0)
    net = AllianceNetwork()
    for i in range(12):
        net.add_member(f"M{i}", demand=100, pd=0.1, lgd=0.6, equity=rng.uniform(0, 40), fund=1)
    for _ in range(30):
        a, b = rng.choice(12, 2, replace=False)
        if not net.graph.has_edge(f"M{a}", f"M{b}"):
            net.add_chain(f"M{a}", f"M{b}", amount=rng.uniform(5, 50))
    D = rng.random((40, 12)) < 0.2
    res = net.cascade(D, void_prob=0.25, seed=9)
    for s in range(40):
        ref = reference_cascade(
            net, [f"M{i}" for i in np.flatnonzero(D[s])], q=0.25, seed=9, scenario=s
        )
        assert np.isclose(res.loss[s], ref["loss"])
        assert np.isclose(res.operational[s], ref["operational"])


def circle(equity):
    net = AllianceNetwork()
    for name in "ABC":
        net.add_member(name, demand=100, pd=0.02, lgd=0.5, equity=equity)
    net.add_chain("A", "B", amount=40)
    net.add_chain("B", "C", amount=40)
    net.add_chain("C", "A", amount=40)
    return net


def test_guarantee_circle_turns_one_default_into_the_whole_circle():
    weak = circle(equity=10).cascade(["A"])
    assert sorted(weak.defaulted) == ["A", "B", "C"]
    assert weak.contagion_defaults == ["C", "B"] or sorted(weak.contagion_defaults) == ["B", "C"]
    assert weak.rounds[0] == 2 and weak.cascade_size[0] == 2
    assert weak.guarantor[0] > 0
    strong = circle(equity=100).cascade(["A"])
    assert strong.defaulted == ["A"] and strong.rounds[0] == 0
    assert strong.loss[0] == pytest.approx(10.0)  # 50 lost, 40 paid by C
    assert strong.credit[0] == pytest.approx(10.0)


def test_void_guarantees_with_q_one_equal_the_no_chain_loss():
    rng = np.random.default_rng(3)
    net = AllianceNetwork()
    bare = AllianceNetwork()
    for i in range(30):
        kw = dict(
            demand=rng.uniform(10, 100), pd=0.05, lgd=0.5, collateral=rng.uniform(0, 10), equity=5
        )
        net.add_member(f"M{i}", **kw)
        bare.add_member(f"M{i}", **kw)
    for _ in range(80):
        a, b = rng.choice(30, 2, replace=False)
        if not net.graph.has_edge(f"M{a}", f"M{b}"):
            net.add_chain(f"M{a}", f"M{b}", amount=rng.uniform(5, 50))
    D = rng.random((200, 30)) < 0.1
    with_chains = net.cascade(D, void_prob=1.0)
    without = bare.cascade(D)
    assert np.allclose(with_chains.loss, without.loss)
    assert np.allclose(with_chains.operational + with_chains.credit, with_chains.loss)
    from alliance.network import BankPolicy

    pol = BankPolicy(max_el_rate=0.01)
    a = net.alliance_limit(pol, scenarios=3000, seed=1, void_prob=1.0)
    b = bare.alliance_limit(pol, scenarios=3000, seed=1)
    assert a.limit == pytest.approx(b.limit, rel=1e-9)


def test_same_seed_identical_and_relabelling_invariant():
    rng = np.random.default_rng(4)
    names = [f"M{i}" for i in range(15)]
    rows = [
        dict(demand=rng.uniform(10, 100), pd=0.1, lgd=0.5, equity=rng.uniform(0, 20)) for _ in names
    ]
    edges = set()
    while len(edges) < 30:
        a, b = rng.choice(15, 2, replace=False)
        edges.add((int(a), int(b)))
    edges = sorted(edges)
    amounts = rng.uniform(5, 40, len(edges))

    def build(label, order):
        net = AllianceNetwork()
        for i in order:
            net.add_member(label(i), **rows[i])
        for (a, b), g in zip(edges, amounts):
            net.add_chain(label(a), label(b), amount=g)
        return net

    base = build(lambda i: names[i], range(15))
    D = rng.random((100, 15)) < 0.15
    r1 = base.cascade(D, void_prob=0.3, seed=2)
    r2 = base.cascade(D, void_prob=0.3, seed=2)
    assert np.array_equal(r1.loss, r2.loss) and np.array_equal(r1.default_round, r2.default_round)
    renamed = build(lambda i: f"firm_{i:02d}", range(15))
    r3 = renamed.cascade(D, void_prob=0.3, seed=2)
    assert np.allclose(r1.loss, r3.loss) and np.array_equal(r1.default_round, r3.default_round)
    # a permuted insertion order: deterministic rules (q = 0) give the same outcome
    perm = rng.permutation(15)
    shuffled = build(lambda i: names[i], perm)
    r4 = shuffled.cascade(D[:, perm], void_prob=0.0)
    r0 = base.cascade(D, void_prob=0.0)
    assert np.allclose(r0.loss, r4.loss)
    assert np.array_equal(r0.default_round[:, perm], r4.default_round)
    # the engine (uniform rule) and the optimal allocation
    m1 = base.credit_margin(_pol(), scenarios=2000, seed=3, rule="uniform")
    m2 = base.credit_margin(_pol(), scenarios=2000, seed=3, rule="uniform")
    m3 = renamed.credit_margin(_pol(), scenarios=2000, seed=3, rule="uniform")
    assert m1.alliance_limit == m2.alliance_limit == pytest.approx(m3.alliance_limit, rel=1e-12)
    m1 = base.credit_margin(_pol(), scenarios=200, seed=3, check="same")
    m3 = renamed.credit_margin(_pol(), scenarios=200, seed=3, check="same")
    assert m1.alliance_limit == pytest.approx(m3.alliance_limit, rel=1e-9)


def _pol():
    from alliance.network import BankPolicy

    return BankPolicy(max_el_rate=0.02)


def test_fund_pays_first_pro_rata_and_guarantor_shortfall():
    net = AllianceNetwork()
    net.add_member("A", demand=100, pd=0.1, lgd=0.5, fund=10)
    net.add_member("B", demand=300, pd=0.1, lgd=0.5, fund=10)
    net.add_guarantor("G", equity=30, leverage_cap=10)
    net.add_chain("G", "A", amount=50)
    net.add_chain("G", "B", amount=50)
    res = net.cascade(["A", "B"])
    # losses 50 and 150; fund 20 pays 5 and 15; residuals 45 and 135; calls 45 and 50 on G
    assert res.fund_paid[0] == pytest.approx(20)
    assert res.guarantees_paid[0] == pytest.approx(30)
    assert res.loss[0] == pytest.approx(200 - 20 - 30)
    assert res.credit[0] == pytest.approx(85)  # 135 - 50 beyond B's guarantee
    assert res.guarantor[0] == pytest.approx(95 - 30)  # unpaid calls
    assert res.defaulted == ["A", "B", "G"] and res.rounds[0] == 1


def test_bad_cascade_input():
    net = circle(10)
    with pytest.raises(NetworkError, match="unknown member 'Z'"):
        net.cascade(["Z"])
    with pytest.raises(ParameterError, match="void_prob"):
        net.cascade(["A"], void_prob=1.5)
    with pytest.raises(ParameterError, match="defaulted has shape"):
        net.cascade(np.zeros((2, 5), dtype=bool))
