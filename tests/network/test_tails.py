"""Weighted tail estimators: hand cases, calibration of the standard errors, properties."""

import dataclasses

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from alliance.errors import ParameterError
from alliance.network.limit import weighted_quantile
from alliance.network.tails import (
    TailEstimate,
    expected_loss,
    expected_shortfall,
    tail_quantile,
    tail_risk,
    value_at_risk,
)


def test_hand_cases_exact_weights():
    losses = [0.0, 10.0, 40.0, 100.0]
    probs = [0.9, 0.06, 0.03, 0.01]
    est = tail_risk(losses, 0.95, probs)
    # P(L <= 10) = 0.96 >= 0.95 > P(L <= 0): VaR 10; the worst 5 % are 0.01 at 100,
    # 0.03 at 40 and 0.01 of the atom at 10: (1 + 1.2 + 0.1) / 0.05 = 46
    assert est.value_at_risk == 10.0
    assert est.expected_shortfall == pytest.approx(46.0)
    assert est.expected_loss == pytest.approx(0.6 + 1.2 + 1.0)
    assert expected_shortfall(losses, 0.99, probs, exact=True) == (pytest.approx(100.0), 0.0)
    assert value_at_risk(losses, 0.5, probs, exact=True) == (0.0, 0.0)


def test_plain_estimators_match_textbook_forms():
    rng = np.random.default_rng(3)
    x = rng.exponential(size=10_000)
    alpha = 0.99
    est = tail_risk(x, alpha)
    assert est.value_at_risk == np.quantile(x, alpha, method="inverted_cdf")
    top = np.sort(x)[-100:]  # (1 - alpha) S = 100 scenarios exactly
    assert est.expected_shortfall == pytest.approx(top.mean(), rel=1e-12)
    assert est.expected_loss_se == pytest.approx(x.std(ddof=1) / 100)
    # ES: the textbook error sd((L - VaR)^+ / (1 - alpha)) / sqrt(S)
    h = np.maximum(x - est.value_at_risk, 0) / (1 - alpha)
    assert est.expected_shortfall_se == pytest.approx(h.std(ddof=1) / 100)
    assert est.sampling == "plain" and est.effective_sample_size == pytest.approx(10_000)


def test_var_standard_error_is_the_order_statistic_error():
    # uniform losses have density 1: se(VaR) = sqrt(alpha (1 - alpha) / S)
    x = np.random.default_rng(5).uniform(size=100_000)
    _, se = value_at_risk(x, 0.9)
    assert se == pytest.approx(np.sqrt(0.9 * 0.1 / x.size), rel=0.1)


def test_standard_errors_are_calibrated():
    # exponential losses: VaR = -log(1 - alpha), ES = VaR + 1, EL = 1
    rng = np.random.default_rng(8)
    alpha, reps, size = 0.95, 300, 4_000
    true = {"expected_loss": 1.0, "value_at_risk": -np.log(1 - alpha)}
    true["expected_shortfall"] = true["value_at_risk"] + 1.0
    draws = rng.exponential(size=(reps, size))
    z = {m: [] for m in true}
    for row in draws:  # a few hundred independent replications, not scenarios
        est = tail_risk(row, alpha)
        for m in true:
            z[m].append((getattr(est, m) - true[m]) / getattr(est, f"{m}_se"))
    for m, vals in z.items():
        vals = np.asarray(vals)
        assert abs(vals.mean()) < 0.25, m
        assert 0.8 < vals.std() < 1.25, m


def test_importance_weights_exponential_tail():
    # losses ~ Exp(1) sampled from Exp(rate 0.25) with likelihood ratios: far less error
    rng = np.random.default_rng(2)
    alpha, size, lam = 0.999, 10_000, 0.25
    y = rng.exponential(1 / lam, size)
    w = np.exp(-y) / (lam * np.exp(-lam * y)) / size
    est = tail_risk(y, alpha, w)
    plain = tail_risk(rng.exponential(size=size), alpha)
    es_true = -np.log(1 - alpha) + 1
    assert abs(est.expected_shortfall - es_true) < 4 * est.expected_shortfall_se
    assert abs(est.value_at_risk - (es_true - 1)) < 4 * est.value_at_risk_se
    assert abs(est.expected_loss - 1.0) < 4 * est.expected_loss_se
    assert est.expected_shortfall_se < plain.expected_shortfall_se / 3
    assert est.sampling == "weighted" and est.weight_sum == pytest.approx(1.0, abs=0.1)


def test_result_value():
    est = tail_risk([0.0] * 95 + [1.0, 2.0, 3.0, 4.0, 5.0], 0.97)
    assert isinstance(est, TailEstimate)
    with pytest.raises(dataclasses.FrozenInstanceError):
        est.alpha = 0.5
    text = repr(est)
    assert text.startswith("TailEstimate(alpha=0.97, EL=0.15") and "ES=4 ±" in text
    frame = est.to_frame()
    assert list(frame.index) == ["expected_loss", "value_at_risk", "expected_shortfall"]
    assert frame.loc["expected_shortfall", "estimate"] == est.expected_shortfall
    assert frame.loc["value_at_risk", "relative_se"] == est.relative_se("value_at_risk")
    assert "<table" in est._repr_html_() and r"\mathrm{ES}" in est._repr_latex_()
    with pytest.raises(ParameterError, match="measure"):
        est.relative_se("mean")


def test_exact_scenarios_have_no_sampling_error():
    from alliance.network.scenarios import exact_defaults

    sc = exact_defaults([0.1, 0.3])
    losses = sc.defaults.toarray() @ np.array([10.0, 5.0])
    est = tail_risk(losses, 0.9, scenarios=sc)
    assert est.sampling == "exact"
    assert est.expected_loss == pytest.approx(0.1 * 10 + 0.3 * 5)
    assert (est.expected_loss_se, est.value_at_risk_se, est.expected_shortfall_se) == (0, 0, 0)
    with pytest.raises(ParameterError, match="not both"):
        tail_risk(losses, 0.9, sc.weights, scenarios=sc)


@pytest.mark.parametrize("alpha", [0.0, 1.0, -0.1, 1.5, float("nan"), "high"])
def test_alpha_outside_unit_interval(alpha):
    for fn in (
        lambda: tail_risk([1.0, 2.0], alpha),
        lambda: value_at_risk([1.0, 2.0], alpha),
        lambda: expected_shortfall([1.0, 2.0], alpha),
    ):
        with pytest.raises(ParameterError, match="^alpha "):
            fn()


def test_bad_losses_and_weights_named():
    with pytest.raises(ParameterError, match=r"losses\[1\] is inf"):
        tail_risk([1.0, np.inf], 0.9)
    with pytest.raises(ParameterError, match=r"losses\[0\] is nan"):
        expected_loss([np.nan, 1.0])
    with pytest.raises(ParameterError, match="losses has shape"):
        tail_risk(np.zeros((2, 2)), 0.9)
    with pytest.raises(ParameterError, match="losses has shape"):
        tail_risk([], 0.9)
    with pytest.raises(ParameterError, match=r"weights\[1\] is -0.5"):
        tail_risk([1.0, 2.0], 0.9, [1.5, -0.5])
    with pytest.raises(ParameterError, match="weights has shape"):
        tail_risk([1.0, 2.0], 0.9, [1.0])
    with pytest.raises(ParameterError, match="sum to 0"):
        tail_risk([1.0, 2.0], 0.9, [0.0, 0.0])


losses_st = st.lists(st.floats(0, 1e6, allow_nan=False), min_size=1, max_size=60)
alphas = st.floats(0.01, 0.995)


@st.composite
def weighted_samples(draw):
    x = draw(losses_st)
    raw = draw(st.lists(st.floats(0.01, 10.0), min_size=len(x), max_size=len(x)))
    w = np.asarray(raw) / np.sum(raw)
    return np.asarray(x), w


@given(weighted_samples(), alphas)
def test_ordering_of_the_measures(sample, alpha):
    x, w = sample
    est = tail_risk(x, alpha, w)
    tol = 1e-9 * max(1.0, x.max())
    assert x.min() <= est.value_at_risk <= x.max()
    assert est.value_at_risk <= est.expected_shortfall + tol
    assert est.expected_loss <= est.expected_shortfall + tol
    assert est.expected_shortfall <= x.max() + tol


@given(weighted_samples(), alphas, alphas)
def test_monotone_in_alpha(sample, a1, a2):
    x, w = sample
    lo, hi = sorted((a1, a2))
    tol = 1e-9 * max(1.0, x.max())
    assert tail_quantile(x, w, lo) <= tail_quantile(x, w, hi)
    assert expected_shortfall(x, lo, w)[0] <= expected_shortfall(x, hi, w)[0] + tol


@given(weighted_samples(), alphas)
def test_upper_tail_quantile_is_the_usual_weighted_quantile(sample, alpha):
    # with weights summing to 1 the upper-tail form equals the alliance limit's quantile
    x, w = sample
    assert tail_quantile(x, w, alpha) == weighted_quantile(x[None, :], w, alpha)[0]
    rows = np.vstack([x, x[::-1]])
    assert np.array_equal(tail_quantile(rows, w, alpha), weighted_quantile(rows, w, alpha))


@given(
    st.integers(1, 40),
    st.integers(1, 5),
    st.floats(0.5, 0.99),
    st.integers(0, 2**32 - 1),
    st.booleans(),
)
def test_member_tail_risk_is_the_tail_of_each_members_column(S, n, alpha, seed, lr):
    from alliance.network.tails import member_tail_risk, tail_quantile

    rng = np.random.default_rng(seed)
    X = np.where(rng.random((S, n)) < 0.3, rng.integers(1, 6, (S, n)).astype(float), 0.0)
    w = rng.random(S) * 2 / S if lr else np.full(S, 1.0 / S)  # likelihood-ratio-like weights
    s, i = np.nonzero(X)
    var, es = member_tail_risk(s, i, X[s, i], w, alpha, n)
    for k in range(n):
        t = tail_quantile(X[:, k], w, alpha)
        assert var[k] == t
        assert es[k] == pytest.approx(t + w @ np.maximum(X[:, k] - t, 0.0) / (1 - alpha))
