"""Scenario cuts (alliance/network/cuts.py) give the full programme's optimum and duals.

The pooled expected-loss programme is solved whole (HiGHS) and by scenario cuts on the same
random networks (fund, competing guarantees, pledged receivables, contagion defaults); the
totals, the allocations' feasibility and the shadow prices are compared.
"""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from test_allocation_speed import programme_kw, random_alliance
from test_credit_v2 import example_1  # the same directory

from alliance.errors import ParameterError
from alliance.network import AllianceNetwork, BankPolicy
from alliance.network.allocation import Mechanisms, solve_programme
from alliance.network.cuts import CutProblem, solve_by_cuts


@settings(max_examples=40, deadline=None)
@given(
    seed=st.integers(0, 10_000),
    n=st.integers(2, 7),
    fund=st.sampled_from([0.0, 2.0, 20.0]),
    equity_scale=st.sampled_from([0.1, 1.0]),
    fund_on=st.booleans(),
    el_rate=st.sampled_from([0.01, 0.03, 0.08]),
    void_prob=st.sampled_from([0.0, 0.2]),
    trade_contagion=st.booleans(),
    exact=st.booleans(),
    es=st.sampled_from([None, (0.9, 0.2), (0.95, 0.5)]),
    el_on=st.booleans(),
)
def test_cuts_reach_the_full_programmes_optimum(
    seed, n, fund, equity_scale, fund_on, el_rate, void_prob, trade_contagion, exact, es, el_on
):
    net = random_alliance(seed, n, fund, equity_scale)
    if es is None or el_on:
        el = dict(max_el_rate=el_rate)
    else:
        el = {}
    pol = BankPolicy(**el, **({} if es is None else dict(es_alpha=es[0], max_es_rate=es[1])))
    mech = Mechanisms() if fund_on else Mechanisms(fund=False)
    topo, sc, kw = programme_kw(
        net, pol, mech, "exact" if exact and n <= 6 else 400, void_prob, trade_contagion
    )
    whole = solve_programme(topo, sc, pol, method="lp", **kw)
    cuts = solve_programme(topo, sc, pol, method="cuts", **kw)
    assert cuts.status == whole.status
    if whole.status != "optimal":
        assert cuts.failing == whole.failing
        return
    assert cuts.total == pytest.approx(whole.total, rel=1e-9, abs=1e-7)
    # the cuts' allocation is feasible in the full programme (its loans fixed)
    fixed = dict(kw, lower=cuts.loans, upper=cuts.loans)
    assert solve_programme(topo, sc, pol, method="lp", **fixed).status == "optimal"
    # the loss limit's shadow price is the same (it is unique when the limit binds alone)
    for limit, key in (("expected_loss", "max_el_rate"), ("expected_shortfall", "max_es_rate")):
        if whole.binding == [limit]:
            assert cuts.duals[key] == pytest.approx(whole.duals[key], rel=1e-6)


def test_worked_example_1_by_cuts_keeps_its_shadow_prices():
    # MODELS.md §3 example 1: L_A = 240 (A 140, B 100), the guarantee's shadow price 8/3
    pol = BankPolicy(max_el_rate=0.005)
    topo, sc, kw = programme_kw(example_1(), pol, Mechanisms(), "exact")
    kw["lower"] = np.array([0.0, 100.0])
    sol = solve_programme(topo, sc, pol, method="cuts", **kw)
    assert sol.loans.tolist() == pytest.approx([140.0, 100.0], rel=1e-12)
    assert sol.duals["guarantee B->A"] == pytest.approx(8 / 3, rel=1e-9)
    assert sol.binding[0] == "expected_loss" and "demand of B" in sol.binding


def test_competing_guarantees_equity_price_by_cuts():
    # one guarantor C backs A and B; when both default, its equity 30 < 40 + 40 is shared,
    # so the payments stay variables and the scenarios' programme prices C's equity
    net = AllianceNetwork()
    net.add_member("A", demand=200, pd=0.05, lgd=0.5)
    net.add_member("B", demand=200, pd=0.05, lgd=0.5)
    net.add_member("C", demand=50, pd=0.0, lgd=0.5, equity=30)
    net.add_chain("C", "A", amount=40)
    net.add_chain("C", "B", amount=40)
    pol = BankPolicy(max_el_rate=0.01)
    topo, sc, kw = programme_kw(net, pol, Mechanisms(fund=False), "exact")
    whole = solve_programme(topo, sc, pol, method="lp", **kw)
    cuts = solve_programme(topo, sc, pol, method="cuts", **kw)
    assert cuts.total == pytest.approx(whole.total, rel=1e-10)
    assert cuts.duals["equity of C"] > 0
    for key in ("equity of C", "guarantee C->A", "guarantee C->B", "max_el_rate"):
        assert cuts.duals[key] == pytest.approx(whole.duals[key], rel=1e-7, abs=1e-9)


def test_the_knapsack_puts_the_fund_on_the_heaviest_losses():
    # two pairs in one scenario, weights 0.3 and 0.1, exposure losses 10 and 10, fund 12:
    # the fund covers the heavier pair fully and 2 of the lighter one; its dual is 0.1
    prob = CutProblem(
        lower=np.array([0.0, 0.0]),
        upper=np.array([20.0, 20.0]),
        pair_loan=np.array([0, 1]),
        pair_lgd=np.array([0.5, 0.5]),
        pair_cover=np.array([0.0, 0.0]),
        pair_weight=np.array([0.3, 0.1]),
        pair_scenario=np.array([7, 7]),
        el_rate=0.5,
        fund=12.0,
    )
    sol = solve_by_cuts(prob)
    # at the demands the loss is 0.1 * 8 = 0.8 <= 0.5 * 40: both loans at their demands
    assert sol.status == "optimal" and sol.loans.tolist() == [20.0, 20.0]
    assert sol.loss.tolist() == pytest.approx([0.0, 8.0])
    assert sol.el_dual == 0.0 and sol.fund_dual.tolist() == [0.0]
    tight = CutProblem(**{**prob.__dict__, "el_rate": 0.01})
    sol = solve_by_cuts(tight)
    # with the fund covering A's loss 0.5 L0 and the rest of it B's: the loss is
    # 0.1 (0.5 L1 - (12 - 0.5 L0)) <= 0.01 (L0 + L1), i.e. L0 + L1 <= 30 (a face of optima);
    # the limit's dual: 0.05 T - 1.2 <= 0.01 T + b gives T = (1.2 + b) / 0.04, so a unit more
    # on the row's right side b allows 1 / 0.04 = 25 more credit, and d T / d l* = 25 T
    assert float(sol.loans.sum()) == pytest.approx(30.0, rel=1e-12)
    assert sol.el_dual * 30.0 == pytest.approx(30.0 / 0.04, rel=1e-9)


@settings(max_examples=25, deadline=None)
@given(seed=st.integers(0, 10_000), n=st.integers(2, 6), fund=st.sampled_from([0.0, 5.0]))
def test_the_leximin_tie_break_on_the_cuts_master_finds_the_same_allocation(seed, n, fund):
    net = random_alliance(seed, n, fund, 1.0)
    pol = BankPolicy(max_el_rate=0.02)
    topo, sc, kw = programme_kw(net, pol, Mechanisms(), "exact")
    kw["leximin"] = True
    whole = solve_programme(topo, sc, pol, method="lp", **kw)
    cuts = solve_programme(topo, sc, pol, method="cuts", **kw)
    assert cuts.status == whole.status
    if whole.status == "optimal":
        # the leximin allocation is unique: both find it
        assert np.allclose(cuts.loans, whole.loans, rtol=1e-6, atol=1e-6)
        assert cuts.total == pytest.approx(whole.total, rel=1e-9)


def test_an_unknown_method_is_refused():
    pol = BankPolicy(max_el_rate=0.005)
    topo, sc, kw = programme_kw(example_1(), pol, Mechanisms(), "exact")
    with pytest.raises(ParameterError, match="method is 'cut'"):
        solve_programme(topo, sc, pol, method="cut", **kw)
