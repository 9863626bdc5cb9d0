"""Importance sampling of default scenarios (Glasserman & Li 2005): unbiased, reproducible,
and much more precise in the tail than plain Monte Carlo."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.special import ndtri
from scipy.stats import binom

from alliance.errors import ParameterError
from alliance.network import BankPolicy, load_example_alliance
from alliance.network.contagion import CascadeEngine
from alliance.network.importance import optimal_shift, twist_parameters, twisted_pd
from alliance.network.scenarios import exact_defaults, simulate_defaults
from alliance.network.tails import tail_risk
from alliance.network.vasicek import conditional_pd


def _pool_tail(n, p, rho, k):
    """P(at least k defaults) in a homogeneous Vasicek pool, by quadrature (exact)."""
    x, w = np.polynomial.hermite_e.hermegauss(200)
    return float(binom.sf(k - 1, n, conditional_pd(p, rho, x)) @ (w / w.sum()))


def test_twist_hits_the_target():
    cp = np.array([[0.01, 0.05, 0.2], [0.6, 0.7, 0.9]])
    a = np.array([1.0, 0.5, 0.25])
    theta, psi = twist_parameters(cp, a, 1.0)
    assert theta[1] == 0 and psi[1] == 0  # the conditional mean is already above 1
    assert theta[0] > 0
    assert twisted_pd(cp[:1], a, theta[:1]) @ a == pytest.approx([1.0], rel=1e-9)
    # psi is the log moment generating function of the proxy loss at theta
    y = ((np.arange(8)[:, None] >> np.arange(3)) & 1).astype(float)
    prob = np.prod(np.where(y > 0, cp[0], 1 - cp[0]), axis=1)
    assert np.log(prob @ np.exp(theta[0] * (y @ a))) == pytest.approx(psi[0], rel=1e-10)


def test_tail_probability_against_exact_pool():
    n, p, rho, S = 40, 0.02, 0.15, 10_000
    for k in (9, 12):  # tail probabilities about 1e-3 and 2e-4
        exact = _pool_tail(n, p, rho, k)
        est = []
        for sampling in ("plain", "importance"):
            sc = simulate_defaults(np.full(n, p), S, rho=rho, seed=11, sampling=sampling)
            hit = np.asarray(sc.defaults.sum(axis=1)).ravel() >= k
            terms = S * sc.weights * hit
            est.append((terms.mean(), terms.std(ddof=1) / np.sqrt(S)))
        (_, se_plain), (m_is, se_is) = est
        assert abs(m_is - exact) < 4 * se_is
        assert se_is < se_plain / 4  # far fewer scenarios for the same precision


def test_heterogeneous_exposures_independent_defaults():
    # rho = 0: only the twist acts; the exact tail of the proxy loss by enumeration
    rng = np.random.default_rng(0)
    p, a = rng.uniform(0.01, 0.1, 12), rng.uniform(0.2, 3.0, 12)
    ex = exact_defaults(p)
    exact = ex.weights @ (ex.defaults.toarray() @ a > 6.0)
    sc = simulate_defaults(p, 20_000, seed=2, sampling="importance", exposure=a, target=6.0)
    assert sc.factor_shift == (0.0,) and sc.twist
    terms = sc.likelihood_ratio * (sc.defaults.toarray() @ a > 6.0)
    assert abs(terms.mean() - exact) < 4 * terms.std(ddof=1) / np.sqrt(terms.size)


@settings(max_examples=15)
@given(
    st.lists(st.floats(0.0, 0.3), min_size=1, max_size=8),
    st.floats(0.0, 0.5),
    st.integers(0, 2**32 - 1),
)
def test_zero_shift_without_twist_is_plain_monte_carlo(pds, rho, seed):
    pds = pds + [1.0]
    plain = simulate_defaults(pds, 300, rho=rho, seed=seed)
    zero = simulate_defaults(
        pds, 300, rho=rho, seed=seed, sampling="importance", shift=0.0, twist=False
    )
    assert (plain.defaults != zero.defaults).nnz == 0
    assert np.array_equal(plain.weights, zero.weights)
    assert np.array_equal(zero.likelihood_ratio, np.ones(300))


@settings(max_examples=10)
@given(st.floats(-1.5, 0.0), st.booleans(), st.integers(0, 2**32 - 1))
def test_likelihood_ratios_have_mean_one(shift, twist, seed):
    # E_q[LR] = 1: the weights are probabilities in expectation. A mild tail (alpha = 0.9)
    # keeps the ratios' variance small enough for the sample error to be reliable; aimed
    # at 99.9 % they are heavy-tailed on purpose (the body is sampled rarely).
    S = 4_000
    sc = simulate_defaults(
        np.full(20, 0.03), S, rho=0.2, seed=seed, sampling="importance", shift=shift,
        twist=twist, alpha=0.9,
    )  # fmt: skip
    lr = sc.likelihood_ratio
    assert abs(lr.mean() - 1.0) < 5 * lr.std(ddof=1) / np.sqrt(S) + 1e-12


def test_default_rates_agree_with_plain_and_with_pd():
    pd_ = np.array([0.01, 0.05, 0.1, 0.2])
    sc = simulate_defaults(pd_, 20_000, rho=0.2, seed=4, sampling="importance")
    d = sc.defaults.toarray()
    terms = sc.likelihood_ratio[:, None] * d
    se = terms.std(axis=0, ddof=1) / np.sqrt(d.shape[0])
    assert np.all(np.abs(sc.default_rate() - pd_) < 4 * se)
    assert sc.factor_shift[0] < -1 and sc.twist and sc.is_weighted


def test_reproducible_and_chunk_invariant_with_sectors():
    pd_ = np.full(12, 0.04)
    sectors = ["a"] * 4 + ["b"] * 4 + [None] * 4
    kw = dict(rho=0.1, sector=sectors, sector_rho=0.2, sampling="importance")
    a = simulate_defaults(pd_, 2_000, seed=9, **kw)
    b = simulate_defaults(pd_, 2_000, seed=9, chunk_cells=50, **kw)
    c = simulate_defaults(pd_, 2_000, seed=10, **kw)
    assert (a.defaults != b.defaults).nnz == 0
    assert np.array_equal(a.weights, b.weights)
    assert (a.defaults != c.defaults).nnz > 0
    assert len(a.factor_shift) == 3 and all(m < 0 for m in a.factor_shift)
    assert "sampling='importance'" in repr(a)
    # unbiased with sectors too: the default rates
    terms = a.likelihood_ratio[:, None] * a.defaults.toarray()
    se = terms.std(axis=0, ddof=1) / np.sqrt(2_000)
    assert np.all(np.abs(a.default_rate() - pd_) < 4.5 * se)


def test_a_batch_of_importance_scenarios():
    sc = simulate_defaults(np.full(10, 0.05), 1_000, rho=0.2, seed=1, sampling="importance")
    half = sc.subset(0, 500)
    assert np.allclose(half.weights, sc.likelihood_ratio[:500] / 500)
    assert half.sampling == "importance" and half.factor_shift == sc.factor_shift


def test_shift_grows_with_the_confidence_level():
    pd_ = np.full(200, 0.02)
    mus = [optimal_shift(pd_, rho=0.2, alpha=a)[0] for a in (0.99, 0.999, 0.9999)]
    assert mus[0] > mus[1] > mus[2]
    # the Basel worst-case factor value bounds the shift of a granular pool (|mu| smaller)
    assert -ndtri(0.999) < mus[1] < 0
    assert optimal_shift(pd_, rho=0.0)[0] == 0.0


def test_bad_importance_input_named():
    with pytest.raises(ParameterError, match="^sampling "):
        simulate_defaults([0.1], 10, sampling="stratified")
    with pytest.raises(ParameterError, match="^shift "):
        simulate_defaults([0.1], 10, sampling="importance", shift=[0.0, 1.0])
    with pytest.raises(ParameterError, match="^shift "):
        simulate_defaults([0.1], 10, sampling="importance", shift=np.nan)
    with pytest.raises(ParameterError, match="^exposure has shape"):
        simulate_defaults([0.1, 0.2], 10, sampling="importance", exposure=[1.0])
    with pytest.raises(ParameterError, match="^exposure must"):
        simulate_defaults([0.1], 10, sampling="importance", exposure=[-1.0])
    with pytest.raises(ParameterError, match="^alpha "):
        simulate_defaults([0.1], 10, sampling="importance", alpha=1.0)


# -- acceptance: the shipped example alliance ------------------------------------------------


def example_losses(sampling: str, seed: int = 2026, scenarios: int = 10_000):
    """The bank's loss per scenario on the shipped example, every member at its demand
    (the cascade of contagion.py: collateral, fund, guarantees), rho = 0.12."""
    net = load_example_alliance()
    topo = net.topology()
    loans = np.where(topo.is_member, topo.demand, 0.0)
    exposure = topo.lgd * np.maximum(0.0, loans - topo.collateral)
    sc = simulate_defaults(
        topo.pd, scenarios, rho=0.12, seed=seed, sampling=sampling, exposure=exposure
    )
    engine = CascadeEngine(topo, sc, np.ones((1, topo.n), dtype=bool))
    return engine.evaluate(loans[None, :], losses=True).losses[0], sc


def test_acceptance_expected_shortfall_999_on_the_example():
    plain_l, plain_sc = example_losses("plain")
    is_l, is_sc = example_losses("importance")
    plain = tail_risk(plain_l, 0.999, scenarios=plain_sc)
    imp = tail_risk(is_l, 0.999, scenarios=is_sc)
    assert plain.sampling == "plain" and imp.sampling == "importance"
    assert plain.n_scenarios == imp.n_scenarios == 10_000
    # relative standard error of ES at 99.9 %: importance sampling at most a fifth of plain
    assert imp.relative_se() <= plain.relative_se() / 5
    # both estimates agree within their errors (two combined standard errors)
    both = np.hypot(plain.expected_shortfall_se, imp.expected_shortfall_se)
    assert abs(plain.expected_shortfall - imp.expected_shortfall) <= 2 * both
    # and so do the expected losses
    both_el = np.hypot(plain.expected_loss_se, imp.expected_loss_se)
    assert abs(plain.expected_loss - imp.expected_loss) <= 2 * both_el
    assert BankPolicy(max_el_rate=0.01)  # the policy type the report's limits come from


@settings(max_examples=8)
@given(
    st.lists(st.tuples(st.floats(0.005, 0.2), st.floats(0.1, 5.0)), min_size=2, max_size=10),
    st.floats(0.0, 0.4),
    st.integers(0, 2**32 - 1),
)
def test_expected_loss_under_importance_sampling_agrees_with_plain(members, rho, seed):
    pd_, a = (np.array(col) for col in zip(*members))
    S = 4_000
    est = []
    for sampling in ("plain", "importance"):
        sc = simulate_defaults(pd_, S, rho=rho, seed=seed, sampling=sampling, exposure=a)
        est.append(tail_risk(sc.defaults.toarray() @ a, 0.99, scenarios=sc))
    plain, imp = est
    both = np.hypot(plain.expected_loss_se, imp.expected_loss_se)
    assert abs(plain.expected_loss - imp.expected_loss) <= 4.5 * both
    assert abs(imp.expected_loss - pd_ @ a) <= 4.5 * imp.expected_loss_se


def test_credit_margin_checks_the_es_limit_on_importance_scenarios():
    # the ES limit at 99.9 % binds on the true rules' check, which importance sampling draws
    net = load_example_alliance()
    policy = BankPolicy(max_el_rate=0.01, es_alpha=0.999, max_es_rate=0.04)
    rep = net.credit_margin(policy, scenarios=4_000, seed=5, sampling="importance")
    assert rep.binding.startswith("expected_shortfall")
    es = rep.details["expected_shortfall"]
    assert es <= 0.04 * rep.alliance_limit + 1e-9 * rep.alliance_limit  # the check's tolerance
    assert 0 < rep.standard_error < 0.01 * rep.alliance_limit


def test_es_limits_far_in_the_tail_sample_by_importance_by_default():
    from alliance.network.importance import (
        PROGRAMME_SCENARIOS,
        default_sampling,
        programme_scenarios,
    )

    far = BankPolicy(max_el_rate=0.01, es_alpha=0.99, max_es_rate=0.05)
    near = BankPolicy(max_el_rate=0.01, es_alpha=0.975, max_es_rate=0.05)
    assert default_sampling(far) == "importance"
    assert default_sampling(near) == "plain"
    assert default_sampling(BankPolicy(max_el_rate=0.01)) == "plain"
    assert default_sampling(BankPolicy(max_el_rate=0.01, var_alpha=0.999, max_var_rate=0.1)) == (
        "plain"
    )
    assert default_sampling(far, "plain") == "plain"  # the user's choice wins
    with pytest.raises(ParameterError, match="^sampling is 'stratified'"):
        default_sampling(far, "stratified")
    # the programme works on the first PROGRAMME_SCENARIOS importance-sampled scenarios
    imp = simulate_defaults(
        np.full(5, 0.05), PROGRAMME_SCENARIOS + 200, seed=1, sampling="importance"
    )
    part = programme_scenarios(imp)
    assert part.n_scenarios == PROGRAMME_SCENARIOS and part.sampling == "importance"
    np.testing.assert_array_equal(
        part.weights, imp.likelihood_ratio[:PROGRAMME_SCENARIOS] / PROGRAMME_SCENARIOS
    )
    plain = simulate_defaults(np.full(5, 0.05), PROGRAMME_SCENARIOS + 200, seed=1)
    assert programme_scenarios(plain) is plain
