"""Tests of DebtRank (Battiston et al. 2012)."""

import numpy as np
import pytest
import scipy.sparse as sp
from hypothesis import given, settings
from hypothesis import strategies as st

from alliance.errors import NetworkError, ParameterError
from alliance.network.debtrank import debtrank, systemic_impact

# A has a claim of 5 on B, B 10 on C, C 10 on A; equities E = (10, 20, 5).
# Impact W[i, j] = min(1, A[i, j] / E[i]): W_AB = 0.5, W_BC = 0.5, W_CA = min(1, 2) = 1.
EXPOSURES = np.array([[0.0, 5.0, 0.0], [0.0, 0.0, 10.0], [10.0, 0.0, 0.0]])
EQUITY = np.array([10.0, 20.0, 5.0])
NAMES = ["A", "B", "C"]


def test_hand_computed_propagation():
    # t=1: h = (0, .4, 0), B distressed.
    # t=2: A += W_AB * .4 = .2 -> h = (.2, .4, 0); B inactive, A distressed.
    # t=3: C += W_CA * .2 = .2 -> h = (.2, .4, .2); A inactive, C distressed.
    # t=4: B += W_BC * .2 = .1 -> h = (.2, .5, .2); B is inactive and passes nothing on.
    # Weights v = E / 35: R = (.2*10 + .5*20 + .2*5 - .4*20) / 35 = 5 / 35 = 1/7.
    r = debtrank(EXPOSURES, EQUITY, {"B": 0.4}, names=NAMES)
    np.testing.assert_allclose(r.distress, [0.2, 0.5, 0.2])
    assert r.rounds == 3
    assert r.debtrank == pytest.approx(1 / 7)
    assert r.total_distress == pytest.approx(13 / 35)
    assert r.status.tolist() == ["inactive", "inactive", "inactive"]
    np.testing.assert_allclose(r.induced_distress, [0.2, 0.1, 0.2])
    frame = r.to_frame()
    assert frame.loc["B", "initial_distress"] == 0.4
    assert "DebtRank 0.142857" in repr(r)
    assert "<table" in r._repr_html_()


def test_impact_is_capped_at_one_and_weights_can_be_given():
    # C's claim on A (10) exceeds its equity (5): W_CA = 1, so A's default wipes C out.
    # With weights (0, 0, 1) only C counts: R = h_C(T) - h_C(1) = 1.
    r = debtrank(EXPOSURES, EQUITY, [1.0, 0.0, 0.0], weights=[0, 0, 1])
    assert r.distress[2] == 1.0
    assert r.debtrank == pytest.approx(1.0)


def test_max_rounds_stops_early():
    r = debtrank(EXPOSURES, EQUITY, {"B": 0.4}, names=NAMES, max_rounds=1)
    np.testing.assert_allclose(r.distress, [0.2, 0.4, 0.0])
    assert r.rounds == 1
    assert r.status.tolist() == ["distressed", "inactive", "undistressed"]


def test_sparse_equals_dense():
    dense = debtrank(EXPOSURES, EQUITY, [0.1, 0.3, 0.0])
    sparse = debtrank(sp.csr_array(EXPOSURES), EQUITY, [0.1, 0.3, 0.0])
    np.testing.assert_allclose(sparse.distress, dense.distress)


def test_systemic_impact_equals_single_node_runs():
    # Hand computed: A hit -> C += 1, then B += .5: R = (.5*20 + 1*5) / 35 = 15/35.
    series = systemic_impact(EXPOSURES, EQUITY, names=NAMES, batch_size=2)
    assert series["A"] == pytest.approx(15 / 35)
    for k, name in enumerate(NAMES):
        shock = np.zeros(3)
        shock[k] = 1.0
        assert series[name] == pytest.approx(debtrank(EXPOSURES, EQUITY, shock).debtrank)


@st.composite
def networks(draw):
    n = draw(st.integers(2, 8))
    values = draw(st.lists(st.floats(0, 50), min_size=n * n, max_size=n * n))
    exposures = np.array(values).reshape(n, n)
    np.fill_diagonal(exposures, 0.0)
    equity = np.array(draw(st.lists(st.floats(0.5, 40), min_size=n, max_size=n)))
    shock = np.array(draw(st.lists(st.floats(0, 1), min_size=n, max_size=n)))
    return exposures, equity, shock


@settings(max_examples=60, deadline=None)
@given(networks(), st.floats(0, 1))
def test_properties(network, scale):
    exposures, equity, shock = network
    r = debtrank(exposures, equity, shock)
    assert np.all((r.distress >= 0) & (r.distress <= 1))
    assert np.all(r.distress >= shock)
    assert r.rounds <= len(equity) + 1
    assert not np.any(r.status == "distressed")
    # a smaller shock never spreads further
    smaller = debtrank(exposures, equity, shock * scale)
    assert np.all(smaller.distress <= r.distress + 1e-12)


@settings(max_examples=30, deadline=None)
@given(networks())
def test_zero_shock_does_nothing(network):
    exposures, equity, _ = network
    r = debtrank(exposures, equity, np.zeros(len(equity)))
    assert r.debtrank == 0 and r.rounds == 0 and not r.distress.any()


@pytest.mark.parametrize(
    ("exposures", "equity", "shock", "kwargs", "error", "field"),
    [
        (np.ones((2, 3)), [1, 1], [0, 0], {}, NetworkError, "exposures has shape"),
        ([[0, -1], [0, 0]], [1, 1], [0, 0], {"names": "AB"}, NetworkError, "'A' to 'B' is -1"),
        ([[1, 0], [0, 0]], [1, 1], [0, 0], {}, NetworkError, "itself is 1"),
        ([[0, np.inf], [0, 0]], [1, 1], [0, 0], {}, NetworkError, "is inf"),
        (EXPOSURES, [1, 0, 1], [0, 0, 0], {}, ParameterError, "equity of 1 is 0"),
        (EXPOSURES, [1, 1], [0, 0, 0], {}, ParameterError, "equity has shape"),
        (EXPOSURES, EQUITY, [0, 1.5, 0], {}, ParameterError, "shock of 1 is 1.5"),
        (EXPOSURES, EQUITY, [0, np.nan, 0], {}, ParameterError, "shock of 1 is nan"),
        (EXPOSURES, EQUITY, {"Z": 0.5}, {"names": NAMES}, ParameterError, "shock names 'Z'"),
        (EXPOSURES, EQUITY, [0, 0], {}, ParameterError, "shock has shape"),
        (EXPOSURES, EQUITY, [0, 0, 0], {"weights": [1, -1, 1]}, ParameterError, "weight of 1"),
        (EXPOSURES, EQUITY, [0, 0, 0], {"weights": [0, 0, 0]}, ParameterError, "weights sum"),
        (EXPOSURES, EQUITY, [0, 0, 0], {"max_rounds": -1}, ParameterError, "max_rounds is -1"),
        (EXPOSURES, EQUITY, [0, 0, 0], {"names": "AB"}, ParameterError, "names has 2"),
    ],
)
def test_bad_input_names_the_field(exposures, equity, shock, kwargs, error, field):
    with pytest.raises(error) as info:
        debtrank(exposures, equity, shock, **kwargs)
    assert field in str(info.value)


def test_systemic_impact_bad_shock():
    with pytest.raises(ParameterError, match="shock is 0"):
        systemic_impact(EXPOSURES, EQUITY, shock=0)
