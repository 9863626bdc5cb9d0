"""The Vasicek copula: default rates and tail quantiles match the formulas."""

import numpy as np
import pytest
from scipy.special import ndtr, ndtri
from scipy.stats import binom

from alliance.errors import ParameterError, SizeLimitError
from alliance.network import AllianceNetwork, exact_defaults, simulate_defaults


def test_vasicek_rate_and_quantile():
    n, S, p, rho, alpha = 2000, 20_000, 0.01, 0.12, 0.999
    net = AllianceNetwork()
    for i in range(n):
        net.add_member(f"M{i}", demand=1, pd=p, lgd=0.5)
    sc = net.scenarios(S, rho=rho, seed=7)
    k = np.asarray(sc.defaults.sum(axis=1)).ravel()
    frac = k / n
    # default rate: mean within 4 standard errors
    assert abs(frac.mean() - p) < 4 * frac.std(ddof=1) / np.sqrt(S)
    # 99.9 % quantile of the default fraction
    q_hat = np.quantile(k, alpha, method="inverted_cdf")
    x, w = np.polynomial.hermite_e.hermegauss(200)
    w = w / w.sum()
    pz = ndtr((ndtri(p) - np.sqrt(rho) * x) / np.sqrt(1 - rho))

    def cdf(kk):  # exact finite-n distribution of the number of defaults
        return float(binom.cdf(kk, n, pz) @ w)

    band = 4 * np.sqrt(alpha * (1 - alpha) / S)
    assert cdf(q_hat) >= alpha - band
    assert cdf(q_hat - 1) <= alpha + band
    vasicek = ndtr((ndtri(p) + np.sqrt(rho) * ndtri(alpha)) / np.sqrt(1 - rho))
    assert abs(q_hat / n - vasicek) / vasicek < 0.2


def test_same_seed_same_scenarios_and_chunking_invariance():
    pd_ = np.array([0.1, 0.2, 0.0, 1.0, 0.5])
    a = simulate_defaults(pd_, 500, rho=0.3, seed=3)
    b = simulate_defaults(pd_, 500, rho=0.3, seed=3, chunk_cells=7)
    assert (a.defaults != b.defaults).nnz == 0
    d = a.defaults.toarray()
    assert not d[:, 2].any() and d[:, 3].all()
    c = simulate_defaults(pd_, 500, rho=0.3, seed=4)
    assert (a.defaults != c.defaults).nnz > 0


def test_sector_factor_raises_within_sector_correlation():
    n, S = 40, 20_000
    pd_ = np.full(n, 0.05)
    sectors = ["x"] * 20 + ["y"] * 20
    sc = simulate_defaults(pd_, S, rho=0.05, sector=sectors, sector_rho=0.3, seed=1)
    d = sc.defaults.toarray().astype(float)
    assert abs(d.mean() - 0.05) < 0.003
    c = np.corrcoef(d.T)
    within = c[:20, :20][np.triu_indices(20, 1)].mean()
    across = c[:20, 20:].mean()
    assert within > 2 * across > 0


def test_exact_enumeration_probabilities():
    sc = exact_defaults([0.1, 0.3, 0.0])
    assert sc.n_scenarios == 4 and np.isclose(sc.weights.sum(), 1)
    assert np.allclose(sc.default_rate(), [0.1, 0.3, 0.0])
    corr = exact_defaults([0.1, 0.3], rho=0.4)
    assert np.allclose(corr.default_rate(), [0.1, 0.3], atol=1e-8)
    both = corr.weights[corr.defaults.toarray().all(axis=1)].sum()
    assert both > 0.1 * 0.3  # positive dependence
    with pytest.raises(SizeLimitError, match="2\\*\\*17"):
        exact_defaults(np.full(17, 0.1))


def test_bad_loadings():
    with pytest.raises(ParameterError, match="rho"):
        simulate_defaults([0.1], 10, rho=1.2)
    with pytest.raises(ParameterError, match="rho \\+ sector_rho"):
        simulate_defaults([0.1], 10, rho=0.6, sector_rho=0.5)
    with pytest.raises(ParameterError, match="scenarios"):
        simulate_defaults([0.1], 0)


def test_weights_default_to_equal_and_are_validated():
    import scipy.sparse as sp

    from alliance.network import ScenarioSet

    d = sp.csr_matrix(np.array([[True, False], [False, False], [True, True], [False, True]]))
    sc = ScenarioSet(defaults=d)
    assert np.array_equal(sc.weights, np.full(4, 0.25))
    assert sc.effective_sample_size == pytest.approx(4.0) and not sc.is_weighted
    assert np.allclose(sc.default_rate(), [0.5, 0.5])
    w = ScenarioSet(defaults=d, weights=[0.1, 0.2, 0.3, 0.4])
    assert np.allclose(w.default_rate(), [0.4, 0.7])
    assert w.effective_sample_size == pytest.approx(1 / 0.3)
    half = w.subset(2, 4)
    assert np.allclose(half.weights, [3 / 7, 4 / 7]) and half.n_scenarios == 2
    with pytest.raises(ParameterError, match="weights has shape"):
        ScenarioSet(defaults=d, weights=[0.5, 0.5])
    with pytest.raises(ParameterError, match="non-negative"):
        ScenarioSet(defaults=d, weights=[0.6, 0.6, -0.2, 0.0])
    with pytest.raises(ParameterError, match="sum to"):
        ScenarioSet(defaults=d, weights=[0.1, 0.1, 0.1, 0.1])
    with pytest.raises(ParameterError, match="subset"):
        w.subset(3, 3)


def test_every_scenario_set_has_weights_summing_to_one():
    plain = simulate_defaults([0.1, 0.2], 300, rho=0.2, seed=1)
    exact = exact_defaults([0.1, 0.2], rho=0.2)
    for sc in (plain, exact):
        assert sc.weights.shape == (sc.n_scenarios,) and sc.weights.sum() == pytest.approx(1)
    assert plain.sampling == "plain" and plain.likelihood_ratio is None
    assert exact.is_weighted and exact.effective_sample_size < exact.n_scenarios
