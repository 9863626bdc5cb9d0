"""Tests of guarantee-circle detection."""

import networkx as nx
import pytest

from alliance.errors import NetworkError, ParameterError
from alliance.network.circles import GuaranteeCircle, circles_frame, guarantee_circles


def graph():
    g = nx.DiGraph()
    # mutual pair P <-> Q
    g.add_edge("Q", "P", kind="guarantee", amount=20)
    g.add_edge("P", "Q", kind="guarantee", amount=30)
    # a 3-circle C -> A -> B -> C, written starting elsewhere
    g.add_edge("C", "A", kind="guarantee", amount=15)
    g.add_edge("A", "B", kind="guarantee", amount=10)
    g.add_edge("B", "C", kind="guarantee", amount=5)
    # trade chains that would close more cycles if they counted
    g.add_edge("B", "A", kind="trade", amount=100)
    g.add_edge("Q", "C", kind="trade", amount=50)
    g.add_edge("C", "Q", kind="trade", amount=50)
    # a 4-circle W -> X -> Y -> Z -> W
    for a, b in [("W", "X"), ("X", "Y"), ("Y", "Z"), ("Z", "W")]:
        g.add_edge(a, b, kind="guarantee", amount=1)
    return g


def test_finds_pairs_and_circles_ignoring_trade():
    circles = guarantee_circles(graph())
    assert [c.members for c in circles] == [("P", "Q"), ("A", "B", "C"), ("W", "X", "Y", "Z")]
    pair, triangle, square = circles
    assert pair.is_mutual_pair and not triangle.is_mutual_pair
    assert pair.amounts == (30.0, 20.0)  # P -> Q, then Q -> P
    assert triangle.amounts == (10.0, 5.0, 15.0)  # A -> B, B -> C, C -> A
    assert triangle.length == 3 and triangle.total_amount == 30.0 and triangle.min_amount == 5.0
    assert triangle.chains == (("A", "B", 10.0), ("B", "C", 5.0), ("C", "A", 15.0))
    assert repr(triangle) == "GuaranteeCircle(A -> B -> C -> A; amounts 10, 5, 15)"
    assert square.length == 4


def test_max_length_is_respected():
    assert [c.length for c in guarantee_circles(graph(), max_length=3)] == [2, 3]
    assert [c.length for c in guarantee_circles(graph(), max_length=2)] == [2]


def test_accepts_an_object_with_a_graph_and_sums_parallel_chains():
    class Holder:
        def __init__(self, g):
            self.graph = g

    multi = nx.MultiDiGraph()
    multi.add_edge("A", "B", kind="guarantee", amount=1)
    multi.add_edge("A", "B", kind="guarantee", amount=2)
    multi.add_edge("B", "A", kind="guarantee", amount=4)
    (circle,) = guarantee_circles(Holder(multi))
    assert circle == GuaranteeCircle(members=("A", "B"), amounts=(3.0, 4.0))


def test_frame():
    frame = circles_frame(guarantee_circles(graph()))
    assert list(frame["length"]) == [2, 3, 4]
    assert frame.loc[1, "circle"] == "A -> B -> C -> A"
    assert list(frame["is_mutual_pair"]) == [True, False, False]
    assert circles_frame([]).empty


@pytest.mark.parametrize("bad", [1, 0, 2.5, "3", True])
def test_bad_max_length(bad):
    with pytest.raises(ParameterError, match="max_length is"):
        guarantee_circles(graph(), max_length=bad)


def test_bad_graphs():
    with pytest.raises(NetworkError, match="graph is a Graph"):
        guarantee_circles(nx.Graph())
    g = nx.DiGraph()
    g.add_edge("A", "B", kind="guarantee", amount=-1)
    with pytest.raises(NetworkError, match="amount of guarantee chain 'A' -> 'B' is -1"):
        guarantee_circles(g)
    g = nx.DiGraph()
    g.add_edge("A", "B", kind="guarantee")
    with pytest.raises(NetworkError, match="amount of guarantee chain 'A' -> 'B' is None"):
        guarantee_circles(g)
    g = nx.DiGraph()
    g.add_edge("A", "A", kind="guarantee", amount=1)
    with pytest.raises(NetworkError, match="cannot guarantee itself"):
        guarantee_circles(g)


def test_example_alliance_has_its_documented_circles():
    from importlib import resources

    import pandas as pd

    root = resources.files("alliance") / "data" / "example_alliance"
    with (root / "chains.csv").open() as fh:
        chains = pd.read_csv(fh)
    g = nx.from_pandas_edgelist(
        chains, "source", "target", edge_attr=["kind", "amount"], create_using=nx.DiGraph
    )
    long_ones = [c.members for c in guarantee_circles(g) if not c.is_mutual_pair]
    assert long_ones == [("A05", "A06", "A07"), ("M03", "M04", "M05", "M06")]


def test_example_alliance_numbers_are_plausible():
    from importlib import resources

    import pandas as pd

    root = resources.files("alliance") / "data" / "example_alliance"
    with (root / "members.csv").open() as fh:
        members = pd.read_csv(fh).set_index("name")
    with (root / "chains.csv").open() as fh:
        chains = pd.read_csv(fh)
    firms = members[members.role == "member"]
    assert len(firms) == 30 and set(firms.sector) == {"manufacturing", "agri-food", "logistics"}
    assert firms.pd.between(0.01, 0.12).all() and firms.lgd.between(0.45, 0.75).all()
    assert (firms.collateral <= 0.4 * firms.demand).all()
    assert firms.equity.between(0.2 * firms.demand, 0.6 * firms.demand).all()
    assert firms.leverage_cap.isna().all()
    institutions = members.loc[["Fund", "GuarCo"]]
    assert (institutions.demand == 0).all() and (institutions.pd == 0).all()
    assert (institutions.leverage_cap == 10).all()
    guarantees = chains[chains.kind == "guarantee"]
    given = guarantees.groupby("source").amount.sum()
    assert given["GuarCo"] <= 10 * members.at["GuarCo", "equity"]
    circle = {"M03", "M04", "M05", "M06", "A05", "A06", "A07"}
    outside = [m for m in given.index if m in firms.index and m not in circle]
    assert (given[outside] < firms.equity[outside]).all()
    # in the circles a single call can exhaust a guarantor's equity
    assert (given[sorted(circle)] >= 0.9 * firms.equity[sorted(circle)]).all()
    pool = members.fund.sum() + members.at["Fund", "equity"]
    assert firms.demand.sum() <= 10 * pool
    # the smallest fund, in hundreds of sponsor capital, within the leverage cap
    assert firms.demand.sum() > 10 * (pool - 100)
