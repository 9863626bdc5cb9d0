"""Building, validating and round-tripping alliance networks."""

import pandas as pd
import pytest

from alliance.errors import NetworkError, ParameterError
from alliance.network import AllianceNetwork


def small():
    net = AllianceNetwork()
    net.add_member("A", demand=200, pd=0.04, lgd=0.5, sector="food")
    net.add_member("B", demand=100, pd=0.01, lgd=0.4, equity=50, fund=5, collateral=10)
    net.add_guarantor("GuarCo", equity=20, leverage_cap=10)
    net.add_fund("Fund", capital=30, leverage_cap=None)
    net.add_chain("B", "A", kind="guarantee", amount=40)
    net.add_chain("GuarCo", "B", kind="guarantee", amount=100)
    net.add_chain("A", "B", kind="trade", amount=15)
    return net


def test_graph_attributes_and_roles():
    net = small()
    g = net.graph
    assert g.nodes["A"]["role"] == "member" and g.nodes["GuarCo"]["role"] == "guarantor"
    assert g.nodes["Fund"]["role"] == "fund"
    assert g.nodes["A"]["sector"] == "food" and g.nodes["B"]["sector"] is None
    assert g.edges["B", "A"] == {"kind": "guarantee", "amount": 40.0}
    assert net.members == ["A", "B"] and net.guarantors == ["GuarCo"]
    assert net.fund_total == 35.0
    assert "members=2" in repr(net)


def test_frames_round_trip():
    net = small()
    m, c = net.to_frames()
    back = AllianceNetwork.from_frames(m, c)
    m2, c2 = back.to_frames()
    pd.testing.assert_frame_equal(m, m2)
    pd.testing.assert_frame_equal(c, c2)
    assert back.graph.nodes["GuarCo"]["leverage_cap"] == 10


@pytest.mark.parametrize(
    ("field", "value", "cls"),
    [
        ("pd", 1.7, ParameterError),
        ("pd", -0.1, ParameterError),
        ("lgd", 1.2, ParameterError),
        ("demand", -5, ParameterError),
        ("collateral", -1, ParameterError),
        ("equity", float("nan"), ParameterError),
        ("fund", "abc", ParameterError),
    ],
)
def test_bad_member_names_member_and_field(field, value, cls):
    net = small()
    kw = {"demand": 10, "pd": 0.1, "lgd": 0.5, field: value}
    with pytest.raises(cls) as err:
        net.add_member("Z", **kw)
    assert "'Z'" in str(err.value) and field in str(err.value)
    assert "Z" not in net.graph  # nothing half-added


def test_bad_chains():
    net = small()
    before = (net.graph.number_of_edges(), list(net.chains()))
    cases = [
        (("A", "Nope"), {"amount": 1}, NetworkError, "'Nope'"),
        (("A", "A"), {"amount": 1}, NetworkError, "self-chain"),
        (("B", "A"), {"amount": 1}, NetworkError, "duplicated"),
        (("A", "B"), {"amount": -3}, NetworkError, "duplicated"),
        (("GuarCo", "A"), {"amount": -3}, ParameterError, "amount"),
        (("GuarCo", "A"), {"amount": 150}, NetworkError, "leverage cap"),
        (("A", "GuarCo"), {"amount": 1}, NetworkError, "GuarCo"),
        (("Fund", "A"), {"amount": 1}, NetworkError, "Fund"),
    ]
    for (a, b), kw, cls, text in cases:
        with pytest.raises(cls) as err:
            net.add_chain(a, b, **kw)
        assert text in str(err.value), (a, b, str(err.value))
    with pytest.raises(NetworkError, match="kind"):
        net.add_chain("A", "GuarCo", kind="loan", amount=1)
    assert (net.graph.number_of_edges(), list(net.chains())) == before


def test_duplicate_member_and_bad_frames():
    net = small()
    with pytest.raises(NetworkError, match="'A' already exists"):
        net.add_member("A", demand=1, pd=0, lgd=0)
    members = pd.DataFrame(
        {"name": ["A", "B"], "demand": [1, 2], "pd": [0.1, 1.5], "lgd": [0.5, 0.5]}
    )
    with pytest.raises(ParameterError, match="pd of member 'B' is 1.5"):
        AllianceNetwork.from_frames(members)
    members = pd.DataFrame({"name": ["A"], "demand": [1], "pd": [0.1], "lgd": [0.5]})
    chains = pd.DataFrame({"source": ["A"], "target": ["X"], "kind": ["guarantee"], "amount": [1]})
    with pytest.raises(NetworkError, match="unknown member 'X'"):
        AllianceNetwork.from_frames(members, chains)


def test_fund_leverage_cap_is_a_constraint_of_the_allocation():
    from alliance.network import BankPolicy

    net = AllianceNetwork()
    net.add_member("A", demand=1000, pd=0.1, lgd=0.5)
    net.add_member("B", demand=1000, pd=0.0, lgd=0.5)
    net.add_fund("Fund", capital=20, leverage_cap=10)
    assert net.fund_leverage_cap == 200
    # B alone gets 1000 > m F = 200: the alliance is not viable, and says why
    rep = net.credit_margin(BankPolicy(max_el_rate=0.01), scenarios="exact", rho=0.0)
    assert not rep.viable and "fund leverage cap" in rep.failing_constraint
    assert rep.alliance_limit == rep.standalone_total == 1000
    # with a larger fund the cap binds: total credit m F = 1200
    net.add_fund("Sponsor", capital=100, leverage_cap=10)
    rep = net.credit_margin(BankPolicy(max_el_rate=0.04), scenarios="exact", rho=0.0)
    assert rep.viable and rep.alliance_limit == pytest.approx(1200)
    assert "fund_leverage_cap" in rep.binding_constraints
