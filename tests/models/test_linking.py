"""Games to network: member PDs from strategic default, the void probability from
verification, the loss limit from pricing, and a linked copy of a network."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.stats import norm

from alliance.errors import NetworkError, ParameterError
from alliance.models import repayment_condition
from alliance.models.linking import (
    LinkedAlliance,
    calibrate_returns,
    default_breakdown,
    default_probability,
    link_network,
    loss_limit,
    policy_from_pricing,
    repayment_threshold,
    verification_effort,
    void_probability,
)
from alliance.network import AllianceNetwork, BankPolicy, load_example_alliance


def test_default_probability_hand_derived():
    # D = 106; theta* = (106 - 0.5 * 120) / (0.5 * 0.5) = 184
    assert repayment_threshold() == pytest.approx(184.0)
    assert default_probability() == pytest.approx(norm.cdf((math.log(184) - math.log(130)) / 0.25))
    parts = default_breakdown()
    assert parts["involuntary"] == pytest.approx(norm.cdf((math.log(106) - math.log(130)) / 0.25))
    assert parts["pd"] == pytest.approx(parts["involuntary"] + parts["strategic"])
    # with peers: theta* = (106 - 0.6 * 120 - 1 * 20) / (0.6 * 0.5) = 46.67 < D: only involuntary
    assert default_probability(pi=0.6, monitoring=1.0, sanction=20) == pytest.approx(
        parts["involuntary"]
    )
    # monitoring half the time with sanction 20: theta* = (106 - 72 - 10) / 0.3 = 80 < D still
    assert repayment_threshold(pi=0.6, monitoring=0.5, sanction=20) == pytest.approx(80.0)
    assert repayment_threshold(pi=0.55, monitoring=0.5, sanction=20) == pytest.approx(
        (106 - 0.55 * 120 - 10) / (0.55 * 0.5)
    )


def test_no_seizure_reduces_to_the_lending_games_repayment_condition():
    rng = np.random.default_rng(0)
    for _ in range(20):
        pi, F, C = rng.uniform(0, 1), rng.uniform(0, 120), rng.uniform(0, 100)
        pd_ = default_probability(pi=pi, F=F, C=C, seize_share=0.0)
        repays = repayment_condition(pi=pi, F=F, C=C)
        floor = default_breakdown(pi=pi, F=F, C=C, seize_share=0.0)["involuntary"]
        assert pd_ == pytest.approx(floor if repays else 1.0)


def test_vectorised_over_members_and_policies():
    pis = np.linspace(0.3, 1.0, 8)[:, None]
    L = np.array([100.0, 200.0, 50.0])[None, :]
    out = default_probability(pi=pis, L=L, C=0.2 * L, F=0.5 * L, theta_median=1.3 * L)
    assert out.shape == (8, 3)
    # scale-free: the same contract per unit gives the same PD
    assert np.allclose(out[:, 0], out[:, 1]) and np.allclose(out[:, 0], out[:, 2])
    assert np.all(np.diff(out, axis=0) <= 1e-15)


probability = st.floats(0.0, 1.0)
money = st.floats(0.0, 200.0)


@settings(max_examples=60)
@given(
    pi=st.tuples(probability, probability),
    F=st.tuples(money, money),
    mu=st.tuples(probability, probability),
    S=st.tuples(money, money),
    C=st.floats(0.0, 106.0),
    b=st.floats(0.0, 1.0),
    median=st.floats(20.0, 400.0),
    sigma=st.floats(0.05, 1.5),
)
def test_pd_falls_with_enforcement_penalty_and_monitoring(pi, F, mu, S, C, b, median, sigma):
    """Property: raising pi, F, the monitoring intensity or the sanction never raises the PD,
    and the PD never falls below the involuntary floor."""
    base = dict(C=C, seize_share=b, theta_median=median, theta_sigma=sigma)
    lo_pi, hi_pi = sorted(pi)
    lo_F, hi_F = sorted(F)
    lo_mu, hi_mu = sorted(mu)
    lo_S, hi_S = sorted(S)
    ref = dict(base, pi=lo_pi, F=lo_F, monitoring=lo_mu, sanction=lo_S)
    p0 = default_probability(**ref)
    for key, value in (("pi", hi_pi), ("F", hi_F), ("monitoring", hi_mu), ("sanction", hi_S)):
        assert default_probability(**dict(ref, **{key: value})) <= p0 + 1e-12
    parts = default_breakdown(**ref)
    assert 0 <= parts["involuntary"] <= parts["pd"] <= 1
    assert parts["strategic"] >= 0


def test_strict_fall_while_strategic_default_is_positive():
    pis = np.linspace(0.5, 0.6, 6)  # theta* > D up to pi = 0.6 (113.3 > 106)
    pds = default_probability(pi=pis)
    assert np.all(np.diff(pds) < 0)


def test_calibration_reproduces_rated_pds():
    pd_ = np.array([0.01, 0.05, 0.12])
    L = np.array([300.0, 600.0, 150.0])
    kw = dict(L=L, C=0.1 * L, F=0.5 * L, pi=0.7, seize_share=0.7, theta_sigma=0.4)
    m = calibrate_returns(pd_, **kw)
    assert np.allclose(default_probability(theta_median=m, **kw), pd_, atol=1e-12)
    with pytest.raises(ParameterError, match="every solvent member defaults"):
        calibrate_returns(0.05, pi=0.0)
    with pytest.raises(ParameterError, match="rated default probability pd"):
        calibrate_returns(1.0)


def test_void_probability_and_verification():
    assert void_probability(0.0) == pytest.approx(0.05)
    assert void_probability(1.0) == 0.0
    assert void_probability(0.3, base=0.1) == pytest.approx(0.07)
    # quadratic cost: e* = min(1, q0 X / kappa), and it minimises the bank's cost on a grid
    for stake, cost in [(1.6, 0.1), (1.6, 0.05), (0.4, 0.3)]:
        e = verification_effort(stake=stake, cost=cost)
        assert e == pytest.approx(min(1.0, 0.05 * stake / cost))
        grid = np.linspace(0, 1, 100_001)
        total = 0.05 * (1 - grid) * stake + cost * grid**2 / 2
        assert abs(grid[np.argmin(total)] - e) < 1e-4
    assert verification_effort(stake=1.6, cost=0.08, cost_shape="linear") == 1.0
    assert verification_effort(stake=1.6, cost=0.081, cost_shape="linear") == 0.0
    with pytest.raises(ParameterError, match="cost_shape"):
        verification_effort(stake=1, cost=1, cost_shape="cubic")
    with pytest.raises(ParameterError, match="verification effort is 1.5"):
        void_probability(1.5)


@settings(max_examples=40)
@given(e=st.tuples(probability, probability), q0=probability)
def test_void_probability_falls_with_verification_effort(e, q0):
    lo, hi = sorted(e)
    assert void_probability(hi, base=q0) <= void_probability(lo, base=q0) + 1e-15
    assert 0 <= void_probability(hi, base=q0) <= q0


def test_loss_limit_from_pricing():
    assert loss_limit(loan_rate=0.06, funding_rate=0.035, operating_cost=0.02) == pytest.approx(0.005)
    assert loss_limit(
        loan_rate=np.array([0.06, 0.08]), funding_rate=0.03, operating_cost=0.01, capital_charge=0.01
    ) == pytest.approx([0.01, 0.03])
    with pytest.raises(ParameterError, match="spread .* is -0.01"):
        loss_limit(loan_rate=0.04, funding_rate=0.035, operating_cost=0.015)
    with pytest.raises(ParameterError, match="loan loan_rate is 0"):
        loss_limit(loan_rate=0.0, funding_rate=0.0)
    pol = policy_from_pricing(
        loan_rate=0.06, funding_rate=0.035, operating_cost=0.02, var_alpha=0.999, max_var_rate=0.01
    )
    assert pol == BankPolicy(max_el_rate=0.005, var_alpha=0.999, max_var_rate=0.01)


def test_errors_name_the_field():
    with pytest.raises(ParameterError, match="enforcement probability pi is 1.2"):
        default_probability(pi=[0.5, 1.2])
    with pytest.raises(ParameterError, match="collateral C exceeds the debt"):
        default_probability(C=200)
    with pytest.raises(ParameterError, match="median project return theta_median"):
        default_probability(theta_median=0)
    with pytest.raises(ParameterError, match="legal penalty F"):
        default_probability(F="high")


def test_link_network_sets_pds_and_leaves_the_input_alone():
    net = AllianceNetwork()
    net.add_member("A", demand=200, pd=0.04, lgd=0.5)
    net.add_member("B", demand=100, pd=0.0, lgd=0.5, equity=1000)
    net.add_chain("B", "A", kind="guarantee", amount=40)
    policy = BankPolicy(max_el_rate=0.005)
    before = net.credit_margin(policy, scenarios="exact", rho=0.0)
    linked = link_network(net, pd={"A": 0.02}, void_prob=0.0, policy=policy)
    assert isinstance(linked, LinkedAlliance)
    assert linked.network.to_frames()[0].set_index("name")["pd"].to_dict() == {"A": 0.02, "B": 0.0}
    assert net.to_frames()[0].set_index("name")["pd"].to_dict() == {"A": 0.04, "B": 0.0}
    after = linked.credit_margin(scenarios="exact", rho=0.0)
    # a safer A raises the alliance's limit
    assert after.alliance_limit > before.alliance_limit
    by_array = link_network(net, pd=[0.02, 0.0])
    assert by_array.network.to_frames()[0]["pd"].tolist() == [0.02, 0.0]
    with pytest.raises(NetworkError, match="unknown member"):
        link_network(net, pd={"Z": 0.1})
    with pytest.raises(NetworkError, match="3 values"):
        link_network(net, pd=[0.1, 0.1, 0.1])
    with pytest.raises(ParameterError, match="member pd is 1.5"):
        link_network(net, pd={"A": 1.5})
    with pytest.raises(ParameterError, match="no bank policy"):
        link_network(net).credit_margin()


def test_enforcement_moves_the_example_alliances_margin():
    """Higher enforcement lowers every member's game-implied PD and raises the alliance limit
    (common random numbers: the same seed at both points)."""
    net = load_example_alliance()
    members = net.to_frames()[0].set_index("name").loc[net.members]
    L = members["demand"].to_numpy()
    kw = dict(L=L, C=members["collateral"].to_numpy(), F=0.5 * L, seize_share=0.7, theta_sigma=0.4)
    m = calibrate_returns(members["pd"].to_numpy(), pi=0.7, **kw)
    policy = BankPolicy(max_el_rate=0.005)
    limits = []
    for pi in (0.7, 0.9):
        pd_ = default_probability(pi=pi, theta_median=m, **kw)
        linked = link_network(net, pd=pd_, void_prob=0.05, policy=policy)
        limits.append(linked.credit_margin(scenarios=2000, rho=0.12, seed=5).alliance_limit)
        if pi == 0.7:
            assert np.allclose(pd_, members["pd"].to_numpy())
    assert limits[1] >= limits[0]


def test_monitoring_intensity_hand_derived_and_costly_monitoring_changes_the_decision():
    from alliance.models.linking import monitoring_intensity

    # full deterrence from mu = (D - pi (C + F) - pi b D) / S
    bound = (106 - 0.55 * 120 - 0.55 * 0.5 * 106) / 20
    mu = monitoring_intensity(exposure=100, cost=5, pi=0.55, sanction=20, grid=10_001)
    assert bound <= mu <= bound + 1e-4
    floor = default_breakdown(pi=0.55)["involuntary"]
    assert default_probability(pi=0.55, sanction=20, monitoring=mu) == pytest.approx(floor)
    # nothing to deter: no monitoring at any cost
    assert monitoring_intensity(exposure=100, cost=0.01, pi=0.9, sanction=20) == 0.0
    # vectorised: the intensity falls as monitoring gets dearer, and equals the grid optimum
    costs = np.array([1.0, 50.0, 200.0, 1e4])
    mus = monitoring_intensity(exposure=100, cost=costs, pi=0.55, sanction=20)
    assert mus.shape == (4,) and np.all(np.diff(mus) <= 0) and mus[-1] < mus[0]
    grid = np.linspace(0, 1, 1001)
    for c, m in zip(costs, mus):
        total = 100 * default_probability(pi=0.55, sanction=20, monitoring=grid) + c * grid**2 / 2
        assert m == pytest.approx(grid[np.argmin(total)])
    with pytest.raises(ParameterError, match="do not give it"):
        monitoring_intensity(exposure=1, cost=1, monitoring=0.5)
    with pytest.raises(ParameterError, match="monitoring cost is 0"):
        monitoring_intensity(exposure=1, cost=0)


def test_void_probability_from_an_equilibrium():
    import sympy as sp

    import alliance as al
    from alliance.models.linking import void_probability_from_equilibrium

    payoffs = {
        ("verify", "honest"): ("-c", "0"),
        ("verify", "forge"): ("-c", "-k"),
        ("not verify", "honest"): ("0", "0"),
        ("not verify", "forge"): ("-V", "b"),
    }
    ranges = {"c": (0, 10), "k": (0, 10), "V": (0, 10), "b": (0, 10)}
    g = al.NormalFormGame.from_payoffs(payoffs, players=("Bank", "Guarantor"), params=ranges)
    (mixed,) = [e for e in g.equilibria() if e.kind == "mixed" and not e.is_boundary]
    q = void_probability_from_equilibrium(mixed, base=0.05)
    b, k = (next(s for s in q.free_symbols if s.name == n) for n in ("b", "k"))
    # the bank verifies with x_V = b/(b + k) (the forger's indifference), so q = q0 k/(b + k)
    assert sp.simplify(q - sp.Rational(1, 20) * k / (b + k)) == 0
    numeric = g.subs(c=1, k=2, V=4, b=1)
    (eq,) = [e for e in numeric.equilibria() if not e.is_pure]
    assert void_probability_from_equilibrium(eq, base=0.05) == pytest.approx(0.05 * 2 / 3)
    assert void_probability_from_equilibrium(eq, base=0.05) == pytest.approx(
        float(q.subs({b: 1, k: 2}))
    )
    with pytest.raises(ParameterError, match="player 'Government' is not in the game"):
        void_probability_from_equilibrium(eq, player="Government")
    with pytest.raises(ParameterError, match="strategy 'audit' is not one of Bank"):
        void_probability_from_equilibrium(eq, strategy="audit")
