"""Round trips between alliance objects and the peers' (nashpy, pygambit, QuantEcon, networkx)."""

from fractions import Fraction

import networkx as nx
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

import alliance as al
from alliance.errors import InvalidGameError, NetworkError

nashpy = pytest.importorskip("nashpy")
gbt = pytest.importorskip("pygambit")
qe_gt = pytest.importorskip("quantecon.game_theory")

shapes2 = st.tuples(st.integers(1, 4), st.integers(1, 4))
shapes3 = st.tuples(st.integers(1, 3), st.integers(1, 3), st.integers(1, 3))


def int_table(shape):
    return arrays(np.int64, shape + (len(shape),), elements=st.integers(-20, 20))


@settings(max_examples=25, deadline=None)
@given(shapes2.flatmap(int_table))
def test_nashpy_round_trip_keeps_payoffs_exactly(table):
    g = al.NormalFormGame(table)
    back = al.NormalFormGame.from_nashpy(g.to_nashpy())
    assert back == g
    np.testing.assert_array_equal(g.to_nashpy().payoff_matrices[0], table[..., 0])


def test_nashpy_equilibria_agree_after_conversion():
    g = al.NormalFormGame.from_matrices([[3, 0], [0, 2]], [[2, 0], [0, 3]])
    ours = sorted(tuple(np.round(np.array(e.profile[0], dtype=float), 9)) for e in g.equilibria())
    theirs = sorted(tuple(np.round(a, 9)) for a, _ in g.to_nashpy().vertex_enumeration())
    assert ours == theirs


@settings(max_examples=15, deadline=None)
@given(st.one_of(shapes2, shapes3).flatmap(int_table))
def test_pygambit_round_trip_keeps_payoffs_names_and_exactness(table):
    g = al.NormalFormGame(table, players=[f"P{i}" for i in range(table.shape[-1])])
    gg = g.to_pygambit()
    assert [str(p) for p in gg.players] == list(g.players)
    back = al.NormalFormGame.from_pygambit(gg)
    assert back == g
    assert back.players == g.players and back.strategies == g.strategies
    assert back.is_exact


def test_pygambit_rational_payoffs_stay_rational():
    g = al.NormalFormGame.from_matrices([[Fraction(1, 3), 0], [0, 1]], [[1, 0], [0, Fraction(2, 7)]])
    back = al.NormalFormGame.from_pygambit(g.to_pygambit())
    assert back.exact_payoffs[0, 0, 0] == Fraction(1, 3)
    assert back.exact_payoffs[1, 1, 1] == Fraction(2, 7)


@settings(max_examples=15, deadline=None)
@given(st.one_of(shapes2, shapes3).flatmap(int_table))
def test_quantecon_round_trip(table):
    g = al.NormalFormGame(table)
    qg = g.to_quantecon()
    np.testing.assert_array_equal(qg.payoff_profile_array, table.astype(float))
    assert al.NormalFormGame.from_quantecon(qg) == g


def test_symbolic_game_is_refused_by_peers_with_a_named_error():
    g = al.models.lending_game(symbolic=["pi", "F"])
    for to in (g.to_nashpy, g.to_pygambit, g.to_quantecon):
        with pytest.raises(InvalidGameError, match="subs"):
            to()


def test_three_player_game_is_refused_by_nashpy():
    g = al.NormalFormGame(np.zeros((2, 2, 2, 3), dtype=int))
    with pytest.raises(InvalidGameError, match="two-player"):
        g.to_nashpy()


@pytest.mark.parametrize(
    "foreign, right",
    [
        (lambda: nashpy.Game([[1, 0]], [[0, 1]]), "from_nashpy"),
        (lambda: qe_gt.NormalFormGame(np.zeros((2, 2, 2))), "from_quantecon"),
        (lambda: getattr(gbt, "StrategicGame", gbt.Game).from_arrays([[1, 0]], [[0, 1]]), "from_pygambit"),
    ],
)
def test_foreign_object_in_constructor_names_the_right_constructor(foreign, right):
    with pytest.raises(InvalidGameError, match=right):
        al.NormalFormGame(foreign())


@st.composite
def networks(draw):
    n = draw(st.integers(1, 6))
    net = al.AllianceNetwork()
    names = [f"m{i}" for i in range(n)]
    for name in names:
        net.add_member(
            name,
            demand=draw(st.integers(0, 500)),
            pd=draw(st.floats(0, 1)),
            lgd=draw(st.floats(0, 1)),
            collateral=draw(st.integers(0, 100)),
            equity=draw(st.integers(0, 1000)),
            fund=draw(st.integers(0, 50)),
            sector=draw(st.sampled_from([None, "a", "b"])),
        )
    if draw(st.booleans()):
        net.add_guarantor("G", equity=draw(st.integers(100, 1000)), leverage_cap=10)
        names.append("G")
    pairs = draw(st.lists(st.tuples(st.sampled_from(names), st.sampled_from(names[:n])),
                          max_size=8, unique=True))
    for a, b in pairs:
        if a != b:
            net.add_chain(a, b, kind=draw(st.sampled_from(["guarantee", "trade"])) if a != "G"
                          else "guarantee", amount=draw(st.integers(1, 100)))
    return net


def _canonical(net):
    members, chains = net.to_frames()
    return (members.sort_values("name").reset_index(drop=True),
            chains.sort_values(["source", "target"]).reset_index(drop=True))


@settings(max_examples=30, deadline=None)
@given(networks())
def test_networkx_round_trip_keeps_every_attribute(net):
    G = net.to_networkx()
    assert isinstance(G, nx.DiGraph)
    back = al.AllianceNetwork.from_networkx(G)
    m1, c1 = _canonical(net)
    m2, c2 = _canonical(back)
    assert m1.equals(m2)
    assert c1.equals(c2)


def test_to_networkx_is_a_copy():
    net = al.AllianceNetwork()
    net.add_member("A", demand=100, pd=0.01, lgd=0.45)
    G = net.to_networkx()
    G.nodes["A"]["demand"] = 1
    assert net.graph.nodes["A"]["demand"] == 100


def test_from_networkx_validates_like_add_member():
    G = nx.DiGraph()
    G.add_node("A", demand=100, pd=1.7, lgd=0.45)
    with pytest.raises(al.ParameterError, match="pd"):
        al.AllianceNetwork.from_networkx(G)
    G = nx.DiGraph()
    G.add_node("A", demand=100, pd=0.1, lgd=0.45)
    G.add_node("B", demand=100, pd=0.1, lgd=0.45)
    G.add_edge("A", "B")
    with pytest.raises(NetworkError, match="amount"):
        al.AllianceNetwork.from_networkx(G)
    with pytest.raises(NetworkError, match="DiGraph"):
        al.AllianceNetwork.from_networkx(nx.Graph())
