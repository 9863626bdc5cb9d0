"""Chunked scenarios on a dask.distributed LocalCluster give the numbers of backend="numpy"
chunk by chunk (issue 16; alliance/network/distributed.py)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from alliance.errors import ParameterError
from alliance.network import AllianceNetwork, BankPolicy
from alliance.network.contagion import CascadeEngine
from alliance.network.distributed import (
    ChunkedEngine,
    ChunkedScenarios,
    chunk_seed,
    draw_chunk,
    gather_scenarios,
)

distributed = pytest.importorskip("distributed")

POLICY = BankPolicy(max_el_rate=0.002)


def chain_network(n: int, seed: int) -> AllianceNetwork:
    """Members with guarantee chains, a guarantee company and trade chains."""
    rng = np.random.default_rng(seed)
    net = AllianceNetwork()
    for i in range(n):
        net.add_member(
            f"M{i}",
            demand=float(rng.uniform(50, 150)),
            pd=float(rng.uniform(0.005, 0.05)),
            lgd=float(rng.uniform(0.3, 0.7)),
            collateral=float(rng.uniform(0, 20)),
            equity=float(rng.uniform(5, 60)),
            fund=0.2,
            sector=["food", "textile"][i % 2],
        )
    net.add_guarantor("GuarCo", equity=1000.0, leverage_cap=None)
    pairs = rng.permutation([(a, b) for a in range(n) for b in range(a + 1, n)])[: 4 * n]
    for k, (a, b) in enumerate(pairs.tolist()):
        if k % 2:
            net.add_chain(f"M{a}", f"M{b}", amount=float(rng.uniform(5, 40)))
        else:
            net.add_chain(f"M{b}", f"M{a}", kind="trade", amount=float(rng.uniform(5, 40)))
    for i in rng.choice(n, 10, replace=False).tolist():
        net.add_chain("GuarCo", f"M{i}", amount=20.0)
    return net


@pytest.fixture(scope="module")
def client():
    with (
        distributed.LocalCluster(
            n_workers=2, threads_per_worker=1, processes=False, dashboard_address=":0"
        ) as cluster,
        distributed.Client(cluster) as c,
    ):
        yield c


@pytest.fixture(scope="module")
def net():
    return chain_network(200, 11)


def test_uniform_margin_on_a_cluster_equals_numpy(client, net):
    kw = dict(
        scenarios=1500,
        seed=3,
        rule="uniform",
        chunk_scenarios=250,
        void_prob=0.1,
        trade_contagion=True,
        sector_rho=0.1,
    )
    a = net.credit_margin(POLICY, **kw)
    b = net.credit_margin(POLICY, backend="dask", client=client, **kw)
    c = net.credit_margin(POLICY, backend="dask", **kw)  # threads, no cluster
    assert a.binding == "expected_loss" and 0 < a.share < 1  # the search did run
    assert a.scenarios["chunk_scenarios"] == 250
    for other in (b, c):
        assert other.alliance_limit == a.alliance_limit
        assert other.standard_error == a.standard_error
        assert other.loss_split == a.loss_split
        pd.testing.assert_frame_equal(other.members, a.members, check_exact=True)
    lim = net.alliance_limit(POLICY, backend="dask", client=client, **kw)
    assert (lim.limit, lim.standard_error) == (a.alliance_limit, a.standard_error)
    # the limit meets the policy with equality (the search's tolerance), on the chunks
    assert a.expected_loss == pytest.approx(POLICY.el_rate * a.alliance_limit, rel=1e-6)


def test_chunk_by_chunk_losses_are_those_of_each_chunk_alone(client, net):
    topo = net.topology()
    spec = ChunkedScenarios(2000, 300, seed=5, rho=0.12)
    present = np.ones((1, topo.n), dtype=bool)
    kw = dict(pledge=True, haircut=0.1, trade_contagion=True)
    loans = np.where(topo.is_member, 0.8 * topo.demand, 0.0)[None, :]
    local = ChunkedEngine(topo, spec, present, 0.2, **kw)
    remote = ChunkedEngine(topo, spec, present, 0.2, backend="dask", client=client, **kw)
    a = local.evaluate(loans, losses=True, nodes=True)
    b = remote.evaluate(loans, losses=True, nodes=True)
    remote.close()
    assert len(spec.bounds) == 7 and spec.bounds[-1] == (1800, 2000)
    np.testing.assert_array_equal(a.losses, b.losses)
    np.testing.assert_array_equal(a.node_default, b.node_default)
    assert a.expected_loss[0] == b.expected_loss[0] > 0
    for c, (start, stop) in enumerate(spec.bounds):
        alone = CascadeEngine(topo, draw_chunk(topo, spec, c), present, 0.2, **kw)
        np.testing.assert_array_equal(alone.evaluate(loans, losses=True).losses, a.losses[:, start:stop])
    # the scenarios drawn on the workers are the local ones
    on_workers = gather_scenarios(topo, spec, backend="dask", client=client)
    assert (on_workers.defaults != gather_scenarios(topo, spec).defaults).nnz == 0


def test_a_chunk_does_not_depend_on_how_many_chunks_there_are(net):
    topo = net.topology()
    short, long = ChunkedScenarios(600, 200, seed=9), ChunkedScenarios(2000, 200, seed=9)
    for c in range(3):
        assert (draw_chunk(topo, short, c).defaults != draw_chunk(topo, long, c).defaults).nnz == 0
    assert chunk_seed(9, 0) != chunk_seed(9, 1)


def test_chunked_draws_follow_the_model(net):
    # other random numbers than the one-piece draw, the same copula: default rates match p
    topo = net.topology()
    sc = gather_scenarios(topo, ChunkedScenarios(4000, 500, seed=1, rho=0.12))
    rate = sc.default_rate()
    total, expected = float(rate.sum()), float(topo.pd.sum())
    # correlated defaults: the s.e. of the mean count comes from the scenario counts
    counts = np.diff(sc.defaults.indptr)
    se = counts.std() / np.sqrt(counts.size)
    assert abs(total - expected) < 4 * se


def test_optimal_rule_draws_on_the_cluster_and_solves_here(client):
    small = chain_network(12, 4)
    kw = dict(scenarios=600, seed=2, chunk_scenarios=150)
    a = small.credit_margin(POLICY, **kw)
    b = small.credit_margin(POLICY, backend="dask", client=client, **kw)
    assert a.rule == "optimal" and a.scenarios["chunk_scenarios"] == 150
    assert b.alliance_limit == a.alliance_limit
    pd.testing.assert_series_equal(b.allocation, a.allocation, check_exact=True)


def test_chunking_errors_name_the_field(net, client):
    with pytest.raises(ParameterError, match="chunk_scenarios"):
        net.credit_margin(POLICY, scenarios=100, chunk_scenarios=0, rule="uniform")
    with pytest.raises(ParameterError, match="scenarios"):
        net.credit_margin(POLICY, scenarios="exact", chunk_scenarios=10, rule="uniform")
    with pytest.raises(ParameterError, match="client"):
        net.credit_margin(POLICY, scenarios=100, client=client, rule="uniform")
