"""Version 2 of the alliance's credit (docs/credit_v2.md): worked examples, properties, errors."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from alliance.errors import NetworkError, ParameterError
from alliance.network import AllianceNetwork, BankPolicy, margin_decomposition

EXACT = dict(scenarios="exact", rho=0.0)


def example_1(surplus_a=0.0):
    net = AllianceNetwork()
    net.add_member("A", demand=200, pd=0.04, lgd=0.5, collateral=0, surplus=surplus_a)
    net.add_member("B", demand=100, pd=0.0, lgd=0.5, equity=1000)
    net.add_chain("B", "A", kind="guarantee", amount=40)
    return net


def example_2(risky_debtor=False):
    net = AllianceNetwork()
    net.add_member("A", demand=100, pd=0.05, lgd=0.5, collateral=0, equity=100)
    if risky_debtor:
        net.add_member("K", demand=0, pd=0.2, lgd=1.0, equity=1000)
    else:
        net.add_member("K", demand=0, pd=0.0, lgd=0.5, equity=1000)
    net.add_chain("K", "A", kind="trade", amount=60)
    return net


# -- worked examples ---------------------------------------------------------------------------
def test_example_1_optimal_allocation_against_uniform():
    pol = BankPolicy(max_el_rate=0.005)
    rep = example_1().credit_margin(pol, **EXACT)
    assert rep.rule == "optimal" and rep.viable
    assert rep.alliance_limit == pytest.approx(240, abs=1e-6)
    assert rep.allocation["A"] == pytest.approx(140, abs=1e-6)
    assert rep.allocation["B"] == pytest.approx(100, abs=1e-6)
    assert rep.margin == pytest.approx(140, abs=1e-6) and rep.multiplier == pytest.approx(2.4)
    assert rep.upper_bound == pytest.approx(240, abs=1e-6) and rep.standard_error == 0
    assert "expected_loss" in rep.binding_constraints
    # one more unit of guarantee buys 0.04 / 0.015 = 8/3 units of credit
    assert rep.shadow_prices["guarantee B->A"] == pytest.approx(8 / 3, rel=1e-6)
    # loss split adds up
    s = rep.loss_split
    assert s["credit"] + s["operational"] + s["guarantor"] + s["contagion"] == pytest.approx(
        s["total"]
    )
    assert s["total"] == pytest.approx(0.005 * 240)
    # version 1: s* = 0.64, L_A = 192, B cut to 64 < 100
    uni = example_1().credit_margin(pol, rule="uniform", **EXACT)
    assert uni.alliance_limit == pytest.approx(192, abs=1e-6) and uni.share == pytest.approx(0.64)
    assert uni.allocation["B"] == pytest.approx(64)
    assert uni.allocation["B"] < uni.members.loc["B", "standalone_limit"]


def test_example_1_participation_in_payoffs_needs_a_fee_of_expected_calls():
    rep = example_1(surplus_a=0.1).credit_margin(BankPolicy(max_el_rate=0.005), **EXACT)
    pay = rep.payoffs
    # B keeps its 100 of credit but pays expected calls 0.04 * 40 = 1.6
    assert pay.loc["B", "expected_calls"] == pytest.approx(1.6)
    assert pay.loc["B", "gain"] == pytest.approx(-1.6)
    assert rep.viable_in_payoffs and pay.loc["B", "fee"] == pytest.approx(1.6)
    assert pay.loc["A", "fee"] == pytest.approx(-1.6) and pay["fee"].sum() == pytest.approx(0)
    assert (pay["gain"] + pay["fee"] >= -1e-9).all()
    # without any surplus to A, nobody can pay B: not viable in payoffs
    rep0 = example_1().credit_margin(BankPolicy(max_el_rate=0.005), **EXACT)
    assert rep0.viable_in_payoffs is False and rep0.payoffs["fee"].isna().all()


def test_example_1_decomposition_pooling_and_guarantee():
    dec = margin_decomposition(example_1(), BankPolicy(max_el_rate=0.005), **EXACT)
    assert dec.values["pooling"] == pytest.approx(100 / 3, rel=1e-6)
    assert dec.values["guarantees"] == pytest.approx(320 / 3, rel=1e-6)
    assert dec.values["fund"] == pytest.approx(0, abs=1e-6)
    assert dec.values["pledges"] == pytest.approx(0, abs=1e-6)
    assert dec.values.sum() == pytest.approx(dec.margin) and dec.margin == pytest.approx(140)
    conf = dec.configurations
    assert conf.loc["none", "alliance_limit"] == pytest.approx(100)  # Σ L⁰ exactly
    assert conf.loc["pooling", "v"] == pytest.approx(100 / 3, rel=1e-6)
    assert conf.loc["guarantees", "v"] == pytest.approx(320 / 3, rel=1e-6)


def test_example_2_financing_chain():
    pol = BankPolicy(max_el_rate=0.01)
    rep = example_2().credit_margin(pol, **EXACT)
    assert rep.standalone_total == 0
    assert rep.alliance_limit == pytest.approx(100, abs=1e-6)
    # demand and the limit bind together at L = 100: 0.025 (100 - 60) = 0.01 * 100
    assert rep.expected_loss == pytest.approx(0.01 * 100)
    dec = margin_decomposition(example_2(), pol, **EXACT)
    assert dec.values["pledges"] == pytest.approx(100, abs=1e-6)  # all of it from the receivable
    risky = example_2(risky_debtor=True).credit_margin(pol, **EXACT)
    assert risky.alliance_limit == pytest.approx(80, abs=1e-6)


def test_example_2_verification_of_receivables_is_what_the_alliance_adds():
    pol = BankPolicy(max_el_rate=0.01, receivables_verifiable_standalone=True)
    rep = example_2().credit_margin(pol, **EXACT)
    # the bank verifies A's receivable alone: A's standalone limit is already 100
    assert rep.standalone_total == pytest.approx(100) and rep.margin == pytest.approx(0, abs=1e-6)
    dec = margin_decomposition(example_2(), pol, **EXACT)
    assert dec.values["pledges"] == pytest.approx(0, abs=1e-9)


def test_example_2_haircut_and_reverse_factoring():
    # a safe anchor K confirms its payables (reverse factoring): worth t (1 - h)
    pol = BankPolicy(max_el_rate=0.01, receivable_haircut=0.5)
    rep = example_2().credit_margin(pol, **EXACT)
    # 0.025 (L - 30) <= 0.01 L  ->  L = 50
    assert rep.alliance_limit == pytest.approx(50, abs=1e-6)
    assert rep.shadow_prices["receivable K->A"] == pytest.approx(0.025 * 0.5 / 0.015, rel=1e-6)


def test_example_3_standalone_collateral():
    net = AllianceNetwork()
    net.add_member("A", demand=100, pd=0.04, lgd=0.45, collateral=20)
    assert net.standalone_limits(BankPolicy(max_el_rate=0.01))["A"] == pytest.approx(45)


# -- every mechanism off: the standalone limits, exactly, also with Monte Carlo scenarios --------
@pytest.mark.parametrize(
    "scenarios, policy",
    [
        ("exact", BankPolicy(max_el_rate=0.01)),
        (400, BankPolicy(max_el_rate=0.01)),
        # member-by-member tail limits: the check holds each loan to its own ES
        ("exact", BankPolicy(max_el_rate=0.01, es_alpha=0.99, max_es_rate=0.3)),
        (400, BankPolicy(max_el_rate=0.01, es_alpha=0.99, max_es_rate=0.3)),
    ],
)
def test_every_mechanism_off_reproduces_the_standalone_limits(scenarios, policy):
    rng = np.random.default_rng(0)
    net = AllianceNetwork()
    for i in range(5):
        net.add_member(
            f"M{i}",
            demand=100,
            pd=float(rng.uniform(0.02, 0.1)),
            lgd=0.5,
            collateral=float(rng.uniform(0, 40)),
            equity=50,
            fund=5,
        )
    net.add_chain("M0", "M1", amount=30)
    net.add_chain("M2", "M3", kind="trade", amount=50)
    pol = policy
    rep = net.credit_margin(pol, scenarios=scenarios, rho=0.2, seed=1, mechanisms=set())
    assert rep.alliance_limit == pytest.approx(net.standalone_limits(pol).sum(), rel=1e-9)
    assert np.allclose(rep.allocation, net.standalone_limits(pol), rtol=1e-9, atol=1e-7)


# -- named errors ---------------------------------------------------------------------------------
def test_named_errors():
    net = example_2()
    with pytest.raises(ParameterError, match="amount"):
        net.add_chain("A", "K", kind="trade", amount=-5)
    with pytest.raises(NetworkError, match="unknown member 'X'"):
        net.add_chain("X", "A", kind="trade", amount=5)
    with pytest.raises(ParameterError, match="receivable_haircut"):
        BankPolicy(max_el_rate=0.01, receivable_haircut=1.5)
    with pytest.raises(ParameterError, match="es_alpha"):
        BankPolicy(max_el_rate=0.01, es_alpha=1.0, max_es_rate=0.1)
    with pytest.raises(ParameterError, match="no limit at all"):
        BankPolicy()
    with pytest.raises(ParameterError, match="rule"):
        net.credit_margin(BankPolicy(max_el_rate=0.01), rule="best", **EXACT)
    with pytest.raises(ParameterError, match="mechanism"):
        net.credit_margin(BankPolicy(max_el_rate=0.01), mechanisms={"magic"}, **EXACT)
    with pytest.raises(ParameterError, match="haircut"):
        net.cascade(["A"], haircut=2.0)


def test_not_viable_names_the_failing_constraint():
    # Value at risk is not subadditive: two loans each below the 95 % VaR alone (pd 0.04 <
    # 0.05) have a pooled P(at least one default) = 1 - 0.96**2 = 0.0784 > 0.05, so the pooled
    # VaR is one loan's loss, 50 > 0.1 * 200: no allocation gives both their standalone 100.
    net = AllianceNetwork()
    net.add_member("A", demand=100, pd=0.04, lgd=0.5)
    net.add_member("B", demand=100, pd=0.04, lgd=0.5)
    pol = BankPolicy(max_el_rate=0.5, var_alpha=0.95, max_var_rate=0.1)
    l0 = net.standalone_limits(pol)
    assert l0.tolist() == [100.0, 100.0]
    rep = net.credit_margin(pol, scenarios="exact", rho=0.0, mechanisms={"pooling"})
    assert not rep.viable
    assert "value at risk" in rep.failing_constraint
    # a configuration that is not viable gets the sum of the standalone limits
    assert rep.alliance_limit == pytest.approx(l0.sum())


def test_a_coherent_limit_never_makes_pooling_unviable():
    # Expected shortfall is subadditive: loans that meet the ES limit alone meet it together,
    # so participation is always feasible (strong correlation included).
    net = AllianceNetwork()
    net.add_member("A", demand=100, pd=0.05, lgd=0.5, collateral=60)
    net.add_member("B", demand=100, pd=0.05, lgd=0.5, collateral=60)
    pol = BankPolicy(max_el_rate=0.5, es_alpha=0.9, max_es_rate=0.1)
    l0 = net.standalone_limits(pol)
    rep = net.credit_margin(pol, scenarios="exact", rho=0.9, mechanisms={"pooling"})
    assert rep.viable and rep.failing_constraint is None
    assert (rep.allocation >= l0 - 1e-6).all()
    assert rep.alliance_limit == pytest.approx(200.0)


def test_expected_shortfall_limit_with_rockafellar_uryasev():
    # Two independent loans (pd 0.05, lgd 0.5, no collateral), ES at 95 % <= 0.3 per unit.
    # Alone each has ES = 0.5 L > 0.3 L: no standalone credit. Together, with a >= b, the 5 %
    # tail holds both defaults (0.0025, loss (a + b)/2) and A alone (0.0475, loss a/2):
    # ES = 0.5 a + 0.025 b <= 0.3 (a + b) gives a <= 1.375 b. With demands 100 and 50:
    # B gets 50, A 68.75, L_A = 118.75 and the ES limit binds.
    net = AllianceNetwork()
    net.add_member("A", demand=100, pd=0.05, lgd=0.5)
    net.add_member("B", demand=50, pd=0.05, lgd=0.5)
    pol = BankPolicy(max_el_rate=0.5, es_alpha=0.95, max_es_rate=0.3)
    assert net.standalone_limits(pol).tolist() == [0.0, 0.0]
    rep = net.credit_margin(pol, **EXACT)
    assert rep.alliance_limit == pytest.approx(118.75, rel=1e-9)
    assert rep.allocation["A"] == pytest.approx(68.75, rel=1e-9)
    assert rep.allocation["B"] == pytest.approx(50.0, rel=1e-9)
    assert "expected_shortfall" in rep.binding
    # the Rockafellar-Uryasev ES of the allocation, computed independently, sits on the limit
    from alliance.network.limit import weighted_quantile

    a, b = rep.allocation["A"], rep.allocation["B"]
    losses = np.array([0.0, 0.5 * a, 0.5 * b, 0.5 * (a + b)])
    w = np.array([0.95**2, 0.05 * 0.95, 0.05 * 0.95, 0.05**2])
    t = float(weighted_quantile(losses[None, :], w, 0.95)[0])
    es = t + float(w @ np.maximum(losses - t, 0)) / 0.05
    assert es == pytest.approx(0.3 * (a + b), rel=1e-9)


# -- hypothesis properties on small random networks (exact scenarios) ---------------------------
@st.composite
def small_networks(draw, fund=False):
    n = draw(st.integers(2, 4))
    net = AllianceNetwork()
    for i in range(n):
        net.add_member(
            f"M{i}",
            demand=draw(st.sampled_from([50.0, 100.0, 150.0])),
            pd=draw(st.sampled_from([0.0, 0.03, 0.08, 0.15])),
            lgd=draw(st.sampled_from([0.45, 0.6, 1.0])),
            collateral=draw(st.sampled_from([0.0, 10.0, 40.0])),
            equity=1000.0,  # guarantors can always pay: no contagion
            fund=draw(st.sampled_from([0.0, 5.0])) if fund else 0.0,
            surplus=draw(st.sampled_from([0.0, 0.05, 0.2])),
        )
    names = net.members
    chains = draw(
        st.lists(
            st.tuples(st.sampled_from(names), st.sampled_from(names), st.booleans()),
            max_size=5,
        )
    )
    for a, b, is_trade in chains:
        if a != b and not net.graph.has_edge(a, b):
            net.add_chain(
                a, b, kind="trade" if is_trade else "guarantee", amount=draw(st.floats(5, 60))
            )
    return net


POL = BankPolicy(max_el_rate=0.01)


@settings(max_examples=25, deadline=None)
@given(small_networks())
def test_participation_and_a_full_cascade_within_the_limits(net):
    rep = net.credit_margin(POL, **EXACT)
    l0 = net.standalone_limits(POL)
    if not rep.viable:
        assert rep.failing_constraint
        return
    alloc = rep.allocation
    assert (alloc >= l0 - 1e-6).all()
    demand = {m: net.graph.nodes[m]["demand"] for m in net.members}
    assert all(alloc[m] <= demand[m] + 1e-6 for m in net.members)
    # the allocation passes the full cascade within the bank's limit
    sc = net.scenarios("exact", rho=0.0)
    res = net.cascade(sc.defaults.toarray().astype(bool), loans=alloc.to_dict())
    el = float(res.loss @ sc.weights)
    assert el <= POL.max_el_rate * alloc.sum() * (1 + 1e-6) + 1e-9
    # the loss split adds up in every scenario
    parts = res.credit + res.operational + res.guarantor + res.contagion
    assert np.allclose(parts, res.loss)


@settings(max_examples=20, deadline=None)
@given(small_networks(), st.data())
def test_lowering_a_demand_with_the_same_standalone_limit_never_raises_the_limit(net, data):
    l0 = net.standalone_limits(POL)
    cands = [m for m in net.members if net.graph.nodes[m]["demand"] > l0[m] + 1.0]
    if not cands:
        return
    m = data.draw(st.sampled_from(cands))
    before = net.credit_margin(POL, **EXACT)
    d = net.graph.nodes[m]["demand"]
    net.graph.nodes[m]["demand"] = data.draw(st.floats(l0[m] + 0.5, d))
    net.refresh()
    assert net.standalone_limits(POL)[m] == pytest.approx(l0[m])
    after = net.credit_margin(POL, **EXACT)
    assert after.alliance_limit <= before.alliance_limit + 1e-6 * max(1, before.alliance_limit)


@settings(max_examples=20, deadline=None)
@given(small_networks(), st.sampled_from([0.0, 0.05, 0.2]), st.sampled_from([20.0, 80.0]))
def test_adding_a_member_with_no_chains_never_lowers_the_limit(net, pd_new, demand_new):
    before = net.credit_margin(POL, **EXACT)
    net.add_member("New", demand=demand_new, pd=pd_new, lgd=0.6, collateral=10)
    after = net.credit_margin(POL, **EXACT)
    assert after.alliance_limit >= before.alliance_limit - 1e-6 * max(1, before.alliance_limit)


@settings(max_examples=8, deadline=None)
@given(small_networks(fund=True))
def test_decomposition_adds_up_to_the_margin(net):
    dec = margin_decomposition(net, POL, **EXACT)
    rep = net.credit_margin(POL, **EXACT)
    assert dec.values.sum() == pytest.approx(dec.margin, abs=1e-6)
    assert dec.margin == pytest.approx(rep.margin, abs=1e-6)
    assert dec.configurations.loc["none", "v"] == pytest.approx(0, abs=1e-6)


@settings(max_examples=25, deadline=None)
@given(st.floats(5, 80), st.floats(0, 1), st.floats(0.01, 0.3), st.floats(0.45, 1.0))
def test_receivables_of_a_debtor_that_never_defaults_are_worth_face_value_after_haircut(
    t, h, p, lam
):
    net = AllianceNetwork()
    net.add_member("A", demand=100, pd=p, lgd=lam, equity=10)
    net.add_member("K", demand=0, pd=0.0, lgd=0.5, equity=1000)
    net.add_chain("K", "A", kind="trade", amount=t)
    res = net.cascade(["A"], loans={"A": 100.0}, haircut=h)
    assert res.loss[0] == pytest.approx(lam * max(0.0, 100 - (1 - h) * t))
    # and the alliance limit is the standalone closed form with collateral (1 - h) t
    from alliance.network.standalone import standalone_limit

    pol = BankPolicy(max_el_rate=0.01, receivable_haircut=h)
    rep = net.credit_margin(pol, **EXACT)
    closed = standalone_limit(
        np.array([100.0]), np.array([p]), np.array([lam]), np.array([(1 - h) * t]), pol
    )[0]
    assert rep.alliance_limit == pytest.approx(closed, rel=1e-7, abs=1e-7)


def test_trade_contagion_makes_a_creditor_default():
    net = AllianceNetwork()
    net.add_member("K", demand=100, pd=0.1, lgd=0.6)
    net.add_member("A", demand=100, pd=0.0, lgd=0.5, equity=20)
    net.add_chain("K", "A", kind="trade", amount=50)
    off = net.cascade(["K"], loans={"K": 100, "A": 100})
    on = net.cascade(["K"], loans={"K": 100, "A": 100}, trade_contagion=True)
    assert off.defaulted == ["K"]
    # K pays 0.4 of 50 = 20; A loses 30 > its equity 20 and defaults; its pledged
    # receivable on K still collects 20 for the bank
    assert on.defaulted == ["K", "A"] and on.contagion[0] == pytest.approx(0.5 * (100 - 20))
    rep = net.credit_margin(BankPolicy(max_el_rate=0.05), trade_contagion=True, **EXACT)
    assert rep.loss_split["contagion"] > 0
    assert rep.members.loc["A", "default_probability"] > 0  # above its pd of 0


def test_one_sided_shadow_prices_with_common_scenarios():
    from alliance.network import shadow_price

    pol = BankPolicy(max_el_rate=0.005)
    left, right = shadow_price(example_1(), pol, "guarantee B->A", step=1.0, **EXACT)
    assert left == pytest.approx(8 / 3) and right == pytest.approx(8 / 3)
    # the dual of the programme agrees where the binding set does not change
    rep = example_1().credit_margin(pol, **EXACT)
    assert rep.shadow_prices["guarantee B->A"] == pytest.approx(left)
    # example 2: demand and the limit bind together, so the two sides differ
    left, right = shadow_price(
        example_2(), BankPolicy(max_el_rate=0.01), "receivable K->A", step=1.0, **EXACT
    )
    assert left == pytest.approx(0.025 / 0.015) and right == pytest.approx(0.0)
    with pytest.raises(NetworkError, match="no guarantee chain"):
        shadow_price(example_1(), pol, "guarantee A->B", step=1.0, **EXACT)
    with pytest.raises(ParameterError, match="step"):
        shadow_price(example_1(), pol, "max_el_rate", step=0.0, **EXACT)


def test_merging_identical_default_patterns_changes_no_number():
    from alliance.network.margin import standalone_vector
    from alliance.network.optimal import aggregate_patterns, solve_alliance

    net = example_1()
    net.add_member("C", demand=100, pd=0.05, lgd=0.6, collateral=10, equity=50)
    net.add_chain("C", "A", amount=30)
    pol = BankPolicy(max_el_rate=0.005, es_alpha=0.95, max_es_rate=0.2)
    topo, sc = net.topology(), net.scenarios(3000, rho=0.2, seed=4)
    agg = aggregate_patterns(sc)
    assert agg.n_scenarios < 10 and agg.multiplicity.sum() == 3000
    assert np.allclose(agg.default_rate(), sc.default_rate())
    kw = dict(
        present=np.ones(topo.n, bool),
        lower=standalone_vector(topo, sc, pol),
        upper=topo.demand.copy(),
    )
    a = solve_alliance(topo, sc, sc, pol, **kw)
    b = solve_alliance(topo, agg, agg, pol, **kw)
    assert a.limit == pytest.approx(b.limit, rel=1e-7)
    assert a.standard_error == pytest.approx(b.standard_error, rel=1e-6)


# -- without pooling the bank holds each loan to its own tail limit ------------------------------
def test_without_pooling_each_member_meets_its_own_expected_shortfall_limit():
    """Two members and a fund of 30 paid pro rata, exact independent defaults. The programme
    allocates the fund optimally (a relaxation); the check with the true rules must hold each
    member's own ES at 90 % to 30 % of its loan, computed here by hand from the four scenarios.
    """
    net = AllianceNetwork()
    net.add_member("A", demand=100, pd=0.05, lgd=1.0)
    net.add_member("B", demand=100, pd=0.02, lgd=1.0)
    net.add_fund(capital=30, leverage_cap=None)
    pol = BankPolicy(max_el_rate=1.0, es_alpha=0.9, max_es_rate=0.3)
    rep = net.credit_margin(pol, **EXACT, mechanisms={"fund", "guarantees", "pledges"})
    la, lb = rep.allocation["A"], rep.allocation["B"]
    pa, pb = 0.05, 0.02
    scen = [
        ((1 - pa) * (1 - pb), 0.0, 0.0),
        (pa * (1 - pb), max(la - 30, 0.0), 0.0),
        ((1 - pa) * pb, 0.0, max(lb - 30, 0.0)),
        (pa * pb, la - 30 * la / (la + lb), lb - 30 * lb / (la + lb)),
    ]

    def shortfall(k, alpha=0.9):
        mass, total = 1 - alpha, 0.0
        for x, p in sorted(((s[k], s[0]) for s in scen), reverse=True):
            take = min(p, mass)
            total, mass = total + take * x, mass - take
        return total / (1 - alpha)

    assert shortfall(1) <= 0.3 * la + 1e-6 and shortfall(2) <= 0.3 * lb + 1e-6
    # the limit binds for A (the relaxation's 75 fails it with the true pro-rata fund)
    assert shortfall(1) == pytest.approx(0.3 * la, rel=1e-6) and la < 75
    assert rep.viable and "expected_shortfall (true rules)" in rep.binding_constraints


def test_uniform_limit_uses_trade_contagion_and_refuses_what_it_cannot_use():
    from alliance.network.margin import alliance_limit

    net = AllianceNetwork()
    net.add_member("A", demand=100, pd=0.0, lgd=0.5, collateral=30, equity=10)
    net.add_member("K", demand=100, pd=0.05, lgd=0.5)
    net.add_chain("K", "A", kind="trade", amount=50)  # K owes A 50: A fails when K does
    pol = BankPolicy(max_el_rate=0.017)
    plain = alliance_limit(net, pol, scenarios="exact", rho=0.0, rule="uniform")
    spread = alliance_limit(
        net, pol, scenarios="exact", rho=0.0, rule="uniform", trade_contagion=True
    )
    # without contagion EL = 2.5 s <= 3.4 s: the whole demand. With it A fails with K (it
    # collects 25 of the 50, more than its equity lost) and loses 0.5 (100 s - 30 - 25), its
    # pledged receivable worth 50 x 0.5: EL = 2.5 s + 0.025 (100 s - 55) <= 3.4 s, s = 0.859375
    assert plain.limit == pytest.approx(200) and spread.limit == pytest.approx(171.875)
    for name, value in (("mechanisms", set()), ("check", "same"), ("leximin", False),
                        ("sampling", "importance")):
        with pytest.raises(ParameterError, match=name):
            alliance_limit(net, pol, scenarios="exact", rho=0.0, rule="uniform", **{name: value})
