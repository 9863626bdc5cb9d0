"""The programme's exact reductions (alliance/network/allocation.py, *Size*).

Fixing guarantee payments at their bounds and dropping pairs and scenarios that cannot lose
must leave the optimum of the programme unchanged: the reduced and the full programme are
solved on the same small random networks and compared.
"""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from alliance.network import AllianceNetwork, BankPolicy
from alliance.network.allocation import Mechanisms, solve_programme
from alliance.network.margin import standalone_vector
from alliance.network.optimal import configured_topology, ratio_scale


def random_alliance(seed: int, n: int, fund: float, equity_scale: float) -> AllianceNetwork:
    rng = np.random.default_rng(seed)
    net = AllianceNetwork()
    for i in range(n):
        net.add_member(
            f"M{i}",
            demand=float(rng.uniform(50, 150)),
            pd=float(rng.uniform(0.02, 0.2)),
            lgd=float(rng.uniform(0.3, 0.8)),
            collateral=float(rng.uniform(0, 30)),
            equity=float(equity_scale * rng.uniform(0, 40)),
            fund=fund,
        )
    pairs = [(a, b) for a in range(n) for b in range(n) if a != b]
    pick = rng.permutation(len(pairs))
    n_g = int(rng.integers(1, 2 * n))
    for k in pick[:n_g]:
        a, b = pairs[k]
        net.add_chain(f"M{a}", f"M{b}", amount=float(rng.uniform(5, 60)))
    for k in pick[n_g : n_g + int(rng.integers(0, n + 1))]:
        a, b = pairs[k]
        if not net.graph.has_edge(f"M{b}", f"M{a}"):
            net.add_chain(f"M{a}", f"M{b}", kind="trade", amount=float(rng.uniform(5, 60)))
    return net


def programme_kw(net, pol, mech, scenarios, void_prob=0.0, trade_contagion=False, leximin=False):
    """The network's topology, scenarios and solve_programme's keywords (L⁰ ≤ L ≤ D)."""
    topo = configured_topology(net.topology(), mech)
    sc = net.scenarios(scenarios, rho=0.2, seed=3)
    kw = dict(
        present=np.ones(topo.n, dtype=bool),
        lower=standalone_vector(topo, sc, pol),
        upper=np.where(topo.is_member, topo.demand, 0.0),
        mech=mech,
        defaults=sc.defaults.tocsr().astype(bool),
        primary_scale=ratio_scale(topo, sc),
        void_prob=void_prob,
        trade_contagion=trade_contagion,
        leximin=leximin,
    )
    return topo, sc, kw


def both(net, pol, mech, *, scenarios, void_prob, trade_contagion, leximin=False):
    topo, sc, kw = programme_kw(net, pol, mech, scenarios, void_prob, trade_contagion, leximin)
    red = solve_programme(topo, sc, pol, reduce=True, **kw)
    full = solve_programme(topo, sc, pol, reduce=False, **kw)
    if red.status == "optimal":
        # the reduced programme's allocation is feasible in the full programme
        fixed = np.clip(red.loans, kw["lower"], kw["upper"])
        kw.update(lower=fixed, upper=fixed, leximin=False)
        at_red = solve_programme(topo, sc, pol, reduce=False, **kw)
        assert at_red.status == "optimal"
    return red, full


@settings(max_examples=25, deadline=None)
@given(
    seed=st.integers(0, 10_000),
    n=st.integers(2, 6),
    fund=st.sampled_from([0.0, 2.0, 20.0]),
    equity_scale=st.sampled_from([0.1, 1.0]),
    mech=st.sampled_from([Mechanisms(), Mechanisms(pooling=False), Mechanisms(fund=False)]),
    el_rate=st.sampled_from([0.01, 0.03]),
    es=st.booleans(),
    void_prob=st.sampled_from([0.0, 0.2]),
    trade_contagion=st.booleans(),
)
def test_reduced_programme_has_the_full_programmes_optimum(
    seed, n, fund, equity_scale, mech, el_rate, es, void_prob, trade_contagion
):
    net = random_alliance(seed, n, fund, equity_scale)
    pol = (
        BankPolicy(max_el_rate=el_rate, es_alpha=0.9, max_es_rate=0.3)
        if es
        else BankPolicy(max_el_rate=el_rate)
    )
    red, full = both(
        net, pol, mech, scenarios=300, void_prob=void_prob, trade_contagion=trade_contagion
    )
    assert red.status == full.status
    if red.status == "optimal":
        assert red.total == pytest.approx(full.total, rel=1e-7, abs=1e-6)
        assert red.n_vars <= full.n_vars and red.n_rows <= full.n_rows
    else:
        assert red.failing == full.failing


@settings(max_examples=10, deadline=None)
@given(seed=st.integers(0, 10_000), n=st.integers(2, 5))
def test_reduced_programme_exact_scenarios_and_leximin(seed, n):
    net = random_alliance(seed, n, 5.0, 1.0)
    pol = BankPolicy(max_el_rate=0.02)
    topo = net.topology()
    sc = net.scenarios("exact", rho=0.0)
    kw = dict(
        present=np.ones(topo.n, dtype=bool),
        lower=standalone_vector(topo, sc, pol),
        upper=np.where(topo.is_member, topo.demand, 0.0),
        mech=Mechanisms(),
        defaults=sc.defaults.tocsr().astype(bool),
        primary_scale=ratio_scale(topo, sc),
        leximin=True,
    )
    red = solve_programme(topo, sc, pol, reduce=True, **kw)
    full = solve_programme(topo, sc, pol, reduce=False, **kw)
    assert red.status == full.status
    if red.status == "optimal":
        assert red.total == pytest.approx(full.total, rel=1e-9, abs=1e-9)
        # the leximin allocation is unique: both programmes find it
        assert np.allclose(red.loans, full.loans, rtol=1e-6, atol=1e-6)


def test_reductions_shrink_the_programme_and_keep_the_shadow_prices():
    # worked example 1 with a second guarantee that the guarantor's equity cannot cover:
    # B->A is fixed at its amount, C->A at C's equity (its only call); duals unchanged
    net = AllianceNetwork()
    net.add_member("A", demand=200, pd=0.04, lgd=0.5)
    net.add_member("B", demand=100, pd=0.0, lgd=0.5, equity=1000)
    net.add_member("C", demand=50, pd=0.0, lgd=0.5, equity=10)
    net.add_chain("B", "A", amount=40)
    net.add_chain("C", "A", amount=30)
    pol = BankPolicy(max_el_rate=0.005)
    red, full = both(
        net, pol, Mechanisms(), scenarios="exact", void_prob=0.0, trade_contagion=False
    )
    # C pays min(30, 10): 0.04 (0.5 L - 50) <= 0.005 (L + 150) gives L = 550/3
    assert red.total == pytest.approx(550 / 3 + 150, rel=1e-9)
    assert full.total == pytest.approx(red.total, rel=1e-12)
    assert red.duals["equity of C"] == pytest.approx(0.04 / 0.015, rel=1e-9)
    assert red.n_vars < full.n_vars
    for k in ("guarantee B->A", "guarantee C->A", "equity of C", "fund"):
        assert red.duals.get(k, 0.0) == pytest.approx(full.duals.get(k, 0.0), abs=1e-9)
    assert sorted(red.binding) == sorted(full.binding)


@settings(max_examples=50, deadline=None)
@given(
    root=st.floats(0.0, 1.0),
    slope_lo=st.floats(0.1, 10.0),
    slope_hi=st.floats(0.1, 10.0),
    jump=st.floats(0.0, 5.0),
)
def test_the_shrink_search_finds_the_bisections_bracket_in_fewer_evaluations(
    root, slope_lo, slope_hi, jump
):
    from alliance.network.optimal import largest_passing_share

    calls = []

    def excess(th):
        calls.append(th)
        # piecewise linear with a kink at the root, and a jump there (a tail limit)
        return (th - root) * (slope_lo if th <= root else slope_hi) + (jump if th > root else 0)

    g0, g1 = excess(0.0), excess(1.0)
    if not (g0 <= 0 < g1):
        return
    calls.clear()
    theta = largest_passing_share(excess, 0.0, 1.0, g0, g1, 1e-9)
    assert excess(theta) <= 0 and theta <= root + 1e-12 and root - theta <= 1e-9
    # bisection needs 30 evaluations for 1e-9; ITP at most two more (rounding)
    assert len(calls) - 1 <= 32
    if jump == 0 and slope_lo == slope_hi:
        # linear: the interpolation is exact, and ITP's truncation puts each point
        # kappa1 (b - a)^2 off it, so the bracket shrinks quadratically every other step
        # (the bound: test_the_shrink_search_on_a_linear_excess_needs_at_most_14_evaluations)
        assert len(calls) - 1 <= 14


def test_the_shrink_search_on_a_linear_excess_needs_at_most_14_evaluations():
    # many seeded linear excesses (root, slope): the worst case stays under half of
    # bisection's 30 evaluations for 1e-9
    from alliance.network.optimal import largest_passing_share

    rng = np.random.default_rng(0)
    worst = 0
    for root, slope in zip(rng.uniform(0.0, 1.0, 20_000), rng.uniform(0.1, 10.0, 20_000)):
        calls = []

        def excess(th, root=root, slope=slope, calls=calls):
            calls.append(th)
            return (th - root) * slope

        g0, g1 = excess(0.0), excess(1.0)
        if not (g0 <= 0 < g1):
            continue
        calls.clear()
        theta = largest_passing_share(excess, 0.0, 1.0, g0, g1, 1e-9)
        worst = max(worst, len(calls) - 1)
        assert excess(theta) <= 0 and root - theta <= 1e-9
    assert worst <= 14
