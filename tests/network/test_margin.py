"""Alliance limit and credit margin: the worked example of docs/economics.md §3 and the shipped example."""

import numpy as np
import pandas as pd
import pytest

from alliance.errors import ParameterError
from alliance.network import AllianceNetwork, BankPolicy, load_example_alliance

POLICY = BankPolicy(max_el_rate=0.005)


def worked():
    net = AllianceNetwork()
    net.add_member("A", demand=200, pd=0.04, lgd=0.5, collateral=0)
    net.add_member("B", demand=100, pd=0.0, lgd=0.5, equity=1000)
    net.add_chain("B", "A", kind="guarantee", amount=40)
    return net


def test_worked_example_exact():
    # version 1's uniform rule (version 2: tests/network/test_credit_v2.py)
    rep = worked().credit_margin(POLICY, scenarios="exact", rho=0.0, rule="uniform")
    assert rep.share == pytest.approx(0.64, abs=1e-9)
    assert rep.alliance_limit == pytest.approx(192, abs=1e-7)
    assert rep.standalone_total == 100
    assert rep.margin == pytest.approx(92, abs=1e-7)
    assert rep.multiplier == pytest.approx(1.92, abs=1e-9)
    assert rep.standard_error == 0
    split = rep.loss_split
    assert split["credit"] == pytest.approx(split["total"]) and split["total"] == pytest.approx(
        0.96
    )
    assert split["operational"] == split["guarantor"] == 0
    assert rep.members.loc["A", "alliance_loan"] == pytest.approx(128)
    assert rep.members.loc["B", "guarantee_payments"] == pytest.approx(0.04 * 40)
    html = rep._repr_html_()
    assert "alliance limit" in html and "credit" in html
    assert "margin=92" in repr(rep)
    assert set(rep.loss_split_frame().index) == {"credit", "operational", "guarantor", "contagion"}


def test_worked_example_monte_carlo_within_standard_error():
    rep = worked().credit_margin(POLICY, scenarios=40_000, rho=0.0, seed=2, rule="uniform")
    assert rep.standard_error > 0
    assert abs(rep.alliance_limit - 192) < 4 * rep.standard_error
    # version 2: A's loss depends on A's default only, so the ratio estimator is exact
    opt = worked().credit_margin(POLICY, scenarios=4000, rho=0.0, seed=2)
    assert opt.alliance_limit == pytest.approx(240, rel=1e-9)
    assert rep.loss_split["credit"] == pytest.approx(rep.loss_split["total"])


def test_loss_split_sums_and_void_guarantees_shift_risk():
    net = AllianceNetwork()
    net.add_member("A", demand=200, pd=0.04, lgd=0.5, equity=20)
    net.add_member("B", demand=100, pd=0.0, lgd=0.5, equity=1000)
    net.add_member("C", demand=100, pd=0.05, lgd=0.6, equity=5, collateral=20)
    net.add_chain("B", "A", amount=40)
    net.add_chain("C", "B", amount=30)
    net.add_chain("A", "C", amount=60)
    rep0 = net.credit_margin(POLICY, scenarios=5000, rho=0.2, seed=1, rule="uniform")
    rep1 = net.credit_margin(POLICY, scenarios=5000, rho=0.2, seed=1, void_prob=0.5, rule="uniform")
    for rep in (rep0, rep1):
        s = rep.loss_split
        parts = s["credit"] + s["operational"] + s["guarantor"] + s["contagion"]
        assert parts == pytest.approx(s["total"])
    assert rep0.loss_split["operational"] == 0 and rep1.loss_split["operational"] > 0
    assert rep0.loss_split["guarantor"] > 0  # A cannot pay all of C's guarantee
    assert 0 < rep1.alliance_limit <= rep0.alliance_limit + 1e-9


def test_exact_with_correlation_matches_monte_carlo():
    net = worked()
    net.add_member("C", demand=100, pd=0.05, lgd=0.6, collateral=10)
    ex = net.alliance_limit(POLICY, scenarios="exact", rho=0.3, rule="uniform")
    mc = net.alliance_limit(POLICY, scenarios=60_000, rho=0.3, seed=4, rule="uniform")
    assert abs(ex.limit - mc.limit) < 4 * mc.standard_error + 1e-9


def test_var_limit_tightens_the_alliance_limit():
    net = worked()
    el_only = net.alliance_limit(POLICY, scenarios="exact", rho=0.0, rule="uniform")
    var = net.alliance_limit(
        BankPolicy(max_el_rate=0.005, var_alpha=0.95, max_var_rate=0.05),
        scenarios="exact",
        rho=0.0,
        rule="uniform",
    )
    # P(loss > 0) = 0.04 < 5 %: the VaR is 0 and does not bind
    assert var.limit == pytest.approx(el_only.limit)
    tight = net.alliance_limit(
        BankPolicy(max_el_rate=0.005, var_alpha=0.99, max_var_rate=0.05),
        scenarios="exact",
        rho=0.0,
        rule="uniform",
    )
    # VaR_99 = 100 s - 40 <= 0.05 * 300 s  ->  s = 40 / 85
    assert tight.share == pytest.approx(40 / 85, rel=1e-8) and tight.binding == "value_at_risk"


def test_dask_backend_gives_the_same_numbers():
    net = worked()
    net.add_member("C", demand=100, pd=0.05, lgd=0.6, equity=5)
    net.add_chain("C", "A", amount=30)
    a = net.credit_margin(POLICY, scenarios=4000, seed=3, chunk_defaults=50, rule="uniform")
    b = net.credit_margin(
        POLICY, scenarios=4000, seed=3, chunk_defaults=50, backend="dask", rule="uniform"
    )
    assert a.alliance_limit == b.alliance_limit and a.loss_split == b.loss_split
    a = net.credit_margin(POLICY, scenarios=1000, seed=3, chunk_defaults=50)
    b = net.credit_margin(POLICY, scenarios=1000, seed=3, chunk_defaults=50, backend="dask")
    assert a.alliance_limit == b.alliance_limit and a.loss_split == b.loss_split
    with pytest.raises(ParameterError, match="backend"):
        net.credit_margin(POLICY, backend="spark")


def test_curves_are_tidy_frames():
    net = worked()
    net.add_member("C", demand=100, pd=0.05, lgd=0.6, equity=50)
    curve = net.margin_curve(POLICY, rho=[0.0, 0.3], scenarios=2000, seed=1)
    assert list(curve["rho"]) == [0.0, 0.3]
    assert {"margin", "standard_error", "multiplier", "credit", "operational", "guarantor"} <= set(
        curve
    )
    dens = net.margin_vs_density(POLICY, density=[0.0, 0.5, 1.0], scenarios=2000, seed=1)
    assert list(dens["guarantee_chains"]) == sorted(dens["guarantee_chains"])
    assert dens["guarantee_chains"].iloc[-1] == 1 + 5  # every ordered pair of the 3 members
    assert isinstance(dens, pd.DataFrame) and np.isfinite(dens["margin"]).all()


def test_exact_mode_refuses_partial_void_probability():
    with pytest.raises(ParameterError, match="void_prob"):
        worked().credit_margin(POLICY, scenarios="exact", void_prob=0.3)
    with pytest.raises(ParameterError, match="scenarios"):
        worked().credit_margin(POLICY, scenarios="many")


def test_shipped_example_margin_with_standard_error():
    net = load_example_alliance()
    assert 25 <= len(net.members) <= 40
    assert len({net.graph.nodes[m]["sector"] for m in net.members}) == 3
    assert net.guarantors and net.fund_total > 0
    assert net.chains("trade")
    # the shipped policy: expected loss at most 0.5 % and 99.9 % value-at-risk at most 1 %
    policy = BankPolicy(max_el_rate=0.005, var_alpha=0.999, max_var_rate=0.01)
    rep = net.credit_margin(policy, scenarios=5000, rho=0.12, seed=1, void_prob=0.05)
    assert np.isfinite(rep.margin) and rep.alliance_limit > 0
    assert len(rep.members) == len(net.members)
    # the limit binds below total demand, is estimated with noise, and the margin is large
    # version 2: the programme fills demand; the true rules' 99.9 % VaR fixes the limit
    assert rep.binding == "value_at_risk (true rules)" and 0.5 < rep.share < 0.95
    assert (rep.allocation >= rep.members["standalone_limit"] - 1e-6).all()
    # the 99.9 % VaR rests on a handful of tail scenarios: a large but honest error
    assert rep.standard_error > 0 and rep.margin > 5 * rep.standard_error
    assert rep.multiplier > 2
    # ... and falls as defaults become more correlated (same draws along the curve)
    curve = net.margin_curve(policy, rho=[0.12, 0.3], scenarios=5000, seed=1, void_prob=0.05)
    assert curve["margin"].iloc[1] < curve["margin"].iloc[0]  # same draws along the curve
