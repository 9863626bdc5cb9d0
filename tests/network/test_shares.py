"""Credit shares: Shapley values of the alliance limit on common scenarios."""

import numpy as np
import pytest

from alliance.network import AllianceNetwork, BankPolicy, load_example_alliance
from alliance.network.shares import coalition_limits

POLICY = BankPolicy(max_el_rate=0.005)


def worked():
    net = AllianceNetwork()
    net.add_member("A", demand=200, pd=0.04, lgd=0.5)
    net.add_member("B", demand=100, pd=0.0, lgd=0.5, equity=1000)
    net.add_chain("B", "A", amount=40)
    return net


def test_worked_example_shares_exact():
    res = worked().credit_shares(POLICY, scenarios="exact", rho=0.0)
    assert res.values["A"] == pytest.approx(46) and res.values["B"] == pytest.approx(146)
    assert res.alliance_limit == pytest.approx(192)
    assert res.in_core  # v(A)=0, v(B)=100 <= 146
    assert res.to_frame().loc["B", "gain"] == pytest.approx(46)


def test_vectorised_coalitions_equal_separate_networks():
    rng = np.random.default_rng(1)
    net = AllianceNetwork()
    for i in range(5):
        net.add_member(f"M{i}", demand=100, pd=0.05, lgd=0.5, equity=rng.uniform(0, 30), fund=2)
    net.add_guarantor("G", equity=40, leverage_cap=None)
    for a, b in [(0, 1), (1, 2), (2, 0), (3, 4), (4, 1)]:
        net.add_chain(f"M{a}", f"M{b}", amount=30)
    net.add_chain("G", "M3", amount=25)
    sc = net.scenarios(3000, rho=0.1, seed=5)
    masks = np.array([[1, 1, 0, 1, 0], [0, 1, 1, 1, 1], [1, 0, 0, 0, 0]], dtype=bool)
    got = coalition_limits(net.topology(), sc, POLICY, masks)
    for row, value in zip(masks, got):
        keep = {f"M{i}" for i in np.flatnonzero(row)}
        sub = AllianceNetwork()
        for nm, d in net.graph.nodes(data=True):
            if d["role"] == "member" and nm in keep:
                sub.add_member(
                    nm,
                    demand=d["demand"],
                    pd=d["pd"],
                    lgd=d["lgd"],
                    equity=d["equity"],
                    fund=d["fund"],
                )
            elif d["role"] != "member":
                sub.add_guarantor(nm, equity=d["equity"], leverage_cap=None)
            else:  # an absent member keeps its place (scenario columns) but has nothing
                sub.add_member(nm, demand=0, pd=d["pd"], lgd=d["lgd"])
        for a, b, g in net.chains("guarantee"):
            if (a in keep or a == "G") and b in keep:
                sub.add_chain(a, b, amount=g)
        ref = sub.alliance_limit(POLICY, scenarios=sc)
        assert value == pytest.approx(ref.limit, rel=1e-9)


def test_example_shares_efficient_sampled():
    net = load_example_alliance()
    res = net.credit_shares(
        BankPolicy(max_el_rate=0.01),
        method="sampled",
        scenarios=1000,
        seed=3,
        samples=20,
        target_standard_error=0,
    )
    assert res.values.sum() == pytest.approx(res.alliance_limit, rel=1e-9)
    assert "sampled" in res.core_method and isinstance(res.in_core, bool)


def test_exact_shares_efficient_and_symmetric():
    net = AllianceNetwork()
    for nm in "ABCD":
        net.add_member(nm, demand=100, pd=0.06, lgd=0.5, equity=40)
    net.add_chain("A", "B", amount=30)
    net.add_chain("B", "A", amount=30)
    net.add_chain("C", "D", amount=30)
    net.add_chain("D", "C", amount=30)
    res = net.credit_shares(POLICY, scenarios="exact", rho=0.0)
    v = res.values
    assert v.sum() == pytest.approx(res.alliance_limit, rel=1e-9)
    assert v["A"] == pytest.approx(v["B"], rel=1e-9) and v["C"] == pytest.approx(v["D"], rel=1e-9)
