"""The Vasicek conditional default probability against the Basel II IRB formula."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from scipy.special import ndtri

from alliance.errors import ParameterError
from alliance.network.vasicek import conditional_pd, worst_case_default_rate

# Worst-case default rates at 99.9 %, computed by hand from the Basel II formula
# N((G(PD) + sqrt(R) G(0.999)) / sqrt(1 - R)) with mpmath at 30 digits.
HAND = [
    (0.01, 0.12, 0.0903258313260653),
    (0.001, 0.24, 0.0352893290015689),
    (0.05, 0.15, 0.313505907936788),
    (0.2, 0.3, 0.845447580232259),
]


@pytest.mark.parametrize(("pd_", "rho", "wcdr"), HAND)
def test_basel_worst_case_default_rate_by_hand(pd_, rho, wcdr):
    assert worst_case_default_rate(pd_, rho) == pytest.approx(wcdr, rel=1e-12)
    # sign convention: the worst case is the factor's 0.1 % quantile, z = G(0.001)
    assert conditional_pd(pd_, rho, ndtri(0.001)) == pytest.approx(wcdr, rel=1e-12)
    assert conditional_pd(pd_, rho, -ndtri(0.999)) == pytest.approx(wcdr, rel=1e-12)


def test_basel_ii_illustrative_corporate_risk_weights():
    # Basel II (BCBS 2006), Annex 5, illustrative IRB risk weights for corporate exposures,
    # LGD 45 %, maturity 2.5 years: RW = 12.5 K with K = LGD (WCDR - PD) / (1 - 1.5 b(PD)),
    # the corporate correlation R(PD) and maturity slope b(PD) of §272.
    table = {
        0.0003: 14.44, 0.0005: 19.65, 0.001: 29.65, 0.0025: 49.47, 0.004: 62.72,
        0.005: 69.61, 0.0075: 82.78, 0.01: 92.32, 0.013: 100.95, 0.015: 105.59,
        0.025: 122.16, 0.03: 128.44, 0.04: 139.58, 0.06: 159.61, 0.1: 193.09,
        0.2: 238.23,
    }  # fmt: skip
    pd_ = np.array(list(table))
    shape = (1 - np.exp(-50 * pd_)) / (1 - np.exp(-50))
    corr = 0.12 * shape + 0.24 * (1 - shape)
    b = (0.11852 - 0.05478 * np.log(pd_)) ** 2
    k = 0.45 * (worst_case_default_rate(pd_, corr) - pd_) / (1 - 1.5 * b)
    assert np.allclose(12.5 * k * 100, list(table.values()), atol=0.006)


def test_monte_carlo_check():
    rng = np.random.default_rng(11)
    p, rho, z0 = 0.03, 0.2, -1.7
    # given Z = z0, the default frequency of sqrt(rho) z0 + sqrt(1 - rho) eps < G(p)
    eps = rng.standard_normal(400_000)
    freq = np.mean(np.sqrt(rho) * z0 + np.sqrt(1 - rho) * eps < ndtri(p))
    cp = conditional_pd(p, rho, z0)
    assert abs(freq - cp) < 4 * np.sqrt(cp * (1 - cp) / eps.size)
    # averaged over Z ~ N(0, 1) it gives back p; its 99.9 % quantile is the Basel rate
    z = rng.standard_normal(400_000)
    rates = conditional_pd(p, rho, z)
    assert abs(rates.mean() - p) < 4 * rates.std() / np.sqrt(z.size)
    q = np.quantile(rates, 0.999)
    assert q == pytest.approx(worst_case_default_rate(p, rho), rel=0.05)


def test_edges_and_vectorisation():
    assert conditional_pd(0.3, 0.0, 5.0) == pytest.approx(0.3)
    out = conditional_pd([0.0, 1.0, 0.1], 0.5, [np.inf, -np.inf, np.inf])
    assert out.tolist() == [0.0, 1.0, 0.0]
    grid = conditional_pd(np.array([0.01, 0.1])[:, None], 0.2, np.array([-1.0, 0.0, 1.0]))
    assert grid.shape == (2, 3)
    assert isinstance(conditional_pd(0.1, 0.2, 0.3), float)


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"pd": 1.2, "rho": 0.1, "z": 0.0}, "pd"),
        ({"pd": -0.1, "rho": 0.1, "z": 0.0}, "pd"),
        ({"pd": [0.1, np.nan], "rho": 0.1, "z": 0.0}, "pd"),
        ({"pd": 0.1, "rho": 1.0, "z": 0.0}, "rho"),
        ({"pd": 0.1, "rho": -0.2, "z": 0.0}, "rho"),
        ({"pd": 0.1, "rho": 0.1, "z": np.nan}, "z"),
        ({"pd": "high", "rho": 0.1, "z": 0.0}, "pd"),
    ],
)
def test_bad_input_named(kwargs, field):
    with pytest.raises(ParameterError, match=f"^{field} "):
        conditional_pd(**kwargs)


def test_bad_confidence():
    with pytest.raises(ParameterError, match="confidence"):
        worst_case_default_rate(0.01, 0.12, confidence=1.0)


probs = st.floats(1e-6, 1 - 1e-6)
loadings = st.floats(0.0, 0.95)
factors = st.floats(-8.0, 8.0)
GH_X, GH_W = np.polynomial.hermite_e.hermegauss(160)


@given(probs, loadings, factors, factors)
def test_monotone_in_z(p, rho, z1, z2):
    lo, hi = sorted((z1, z2))
    assert conditional_pd(p, rho, lo) >= conditional_pd(p, rho, hi)


@given(probs, probs, loadings, factors)
def test_monotone_in_pd(p1, p2, rho, z):
    lo, hi = sorted((p1, p2))
    assert conditional_pd(lo, rho, z) <= conditional_pd(hi, rho, z)


@given(st.floats(1e-4, 1 - 1e-4), st.floats(0.0, 0.6))
def test_integrates_back_to_pd(p, rho):
    # E[p(Z)] = p for Z ~ N(0, 1), by Gauss-Hermite quadrature (probabilists' weights)
    mean = float(conditional_pd(p, rho, GH_X) @ (GH_W / GH_W.sum()))
    assert mean == pytest.approx(p, rel=1e-6, abs=1e-9)
