"""Tests of the Eisenberg–Noe / Rogers–Veraart clearing vector."""

from fractions import Fraction

import numpy as np
import pytest
import scipy.sparse as sp
from hypothesis import given, settings
from hypothesis import strategies as st

from alliance.errors import NetworkError, ParameterError
from alliance.network.clearing import _monotone_iteration, eisenberg_noe

# A owes B 10; B owes A 3 and C 9; C owes A 5.  External assets e = (0, 2.5, 1).
L3 = np.array([[0.0, 10.0, 0.0], [3.0, 0.0, 9.0], [5.0, 0.0, 0.0]])
E3 = np.array([0.0, 2.5, 1.0])
NAMES = ["A", "B", "C"]


def test_hand_computed_cascade():
    # pbar = (10, 12, 5); Pi: A->B 1; B->A 1/4, B->C 3/4; C->A 1.
    # Round 0 (everyone pays in full): A receives 3 + 5 = 8 < 10 -> A defaults;
    #   B has 2.5 + 10 = 12.5 >= 12, C has 1 + 9 = 10 >= 5: solvent.
    # Round 1 (D = {A}): p_A = 0 + 1/4 * 12 + 5 = 8; now B has 2.5 + 8 = 10.5 < 12 -> defaults.
    # Round 2 (D = {A, B}): p_A = p_B / 4 + 5, p_B = 2.5 + p_A
    #   -> p_A = (2.5 + p_A) / 4 + 5 -> 3/4 p_A = 5.625 -> p_A = 7.5, p_B = 10.
    #   C has 1 + 3/4 * 10 = 8.5 >= 5: solvent, so the default set is stable.
    r = eisenberg_noe(L3, E3, names=NAMES)
    np.testing.assert_allclose(r.payments, [7.5, 10.0, 5.0], atol=1e-12)
    assert r.defaulted.tolist() == [True, True, False]
    assert r.defaulters == ("A", "B")
    assert r.rounds == 2
    np.testing.assert_allclose(r.shortfall, [2.5, 2.0, 0.0], atol=1e-12)
    np.testing.assert_allclose(r.receipts, [7.5, 7.5, 7.5], atol=1e-12)
    assert r.total_shortfall == pytest.approx(4.5)
    frame = r.to_frame()
    assert list(frame.index) == NAMES
    assert frame.loc["C", "defaulted"] == False  # noqa: E712
    assert "2 in default ['A', 'B']" in repr(r)
    assert "<table" in r._repr_html_()


def test_hand_computed_rogers_veraart():
    # alpha = 1/2 (external assets of a defaulter fetch half), beta = 1.
    # Round 1 (D = {A}): e_A = 0, so p_A = 1/4 * 12 + 5 = 8 as before; B defaults.
    # Round 2: p_A = p_B / 4 + 5, p_B = 1/2 * 2.5 + p_A = 1.25 + p_A
    #   -> 3/4 p_A = 5.3125 -> p_A = 85/12, p_B = 25/3; C has 1 + 3/4 * 25/3 = 7.25 >= 5.
    r = eisenberg_noe(L3, E3, names=NAMES, default_costs=(0.5, 1.0))
    expected = [Fraction(85, 12), Fraction(25, 3), Fraction(5)]
    np.testing.assert_allclose(r.payments, [float(x) for x in expected], atol=1e-12)
    assert r.default_costs == (0.5, 1.0)
    assert "Rogers-Veraart" in repr(r)


def test_nobody_defaults():
    r = eisenberg_noe(L3, [10.0, 10.0, 10.0])
    np.testing.assert_allclose(r.payments, r.nominal)
    assert r.rounds == 0 and r.n_defaults == 0
    assert r.names == (0, 1, 2)


def test_sparse_input_gives_the_same_payments():
    dense = eisenberg_noe(L3, E3)
    sparse = eisenberg_noe(sp.csr_array(L3), E3)
    np.testing.assert_allclose(sparse.payments, dense.payments, atol=1e-12)


def test_large_sparse_network_takes_the_iterative_path():
    rng = np.random.default_rng(5)
    n, m = 1500, 6000
    rows, cols = rng.integers(0, n, m), rng.integers(0, n, m)
    keep = rows != cols
    liabilities = sp.csr_array((rng.exponential(10, keep.sum()), (rows[keep], cols[keep])), (n, n))
    e = rng.exponential(3.0, n)
    r = eisenberg_noe(liabilities, e)
    receipts = liabilities.T @ np.divide(
        r.payments, r.nominal, out=np.zeros(n), where=r.nominal > 0
    )
    np.testing.assert_allclose(r.payments, np.minimum(r.nominal, e + receipts), atol=1e-7)
    assert 0 < r.n_defaults < n


def _networks(max_n=7):
    @st.composite
    def build(draw):
        n = draw(st.integers(2, max_n))
        amount = st.floats(0, 20, allow_nan=False, allow_infinity=False)
        mat = np.array(draw(st.lists(amount, min_size=n * n, max_size=n * n))).reshape(n, n)
        mask = np.array(draw(st.lists(st.booleans(), min_size=n * n, max_size=n * n)))
        mat = mat * mask.reshape(n, n)
        np.fill_diagonal(mat, 0.0)
        e = np.array(draw(st.lists(st.floats(0, 15), min_size=n, max_size=n)))
        return mat, e

    return build()


def _relative(liabilities):
    nominal = liabilities.sum(axis=1)
    return np.divide(
        liabilities, nominal[:, None], out=np.zeros_like(liabilities), where=nominal[:, None] > 0
    ), nominal


@settings(max_examples=60, deadline=None)
@given(_networks())
def test_fixed_point_equations_hold(network):
    liabilities, e = network
    r = eisenberg_noe(liabilities, e)
    pi, nominal = _relative(liabilities)
    np.testing.assert_allclose(r.payments, np.minimum(nominal, e + pi.T @ r.payments), atol=1e-8)
    assert np.all(r.payments <= r.nominal + 1e-12) and np.all(r.payments >= 0)


@settings(max_examples=40, deadline=None)
@given(_networks(), st.floats(0, 1), st.floats(0, 1))
def test_greatest_clearing_vector_matches_the_monotone_iteration(network, alpha, beta):
    # Iterating the clearing map from the nominal payments decreases to the greatest fixed
    # point (Eisenberg & Noe 2001, Rogers & Veraart 2013): the two methods must agree.
    liabilities, e = network
    pi, nominal = _relative(liabilities)
    r = eisenberg_noe(liabilities, e, default_costs=(alpha, beta))
    reference, _ = _monotone_iteration(pi.T, nominal, e, alpha, beta, 1e-13, 1_000_000)
    np.testing.assert_allclose(r.payments, reference, atol=1e-7)


@settings(max_examples=40, deadline=None)
@given(_networks(), st.lists(st.floats(0, 5), min_size=7, max_size=7))
def test_payments_are_monotone_in_external_assets(network, extra):
    liabilities, e = network
    more = e + np.array(extra[: e.size])
    low, high = eisenberg_noe(liabilities, e), eisenberg_noe(liabilities, more)
    assert np.all(high.payments >= low.payments - 1e-8)
    assert high.n_defaults <= low.n_defaults


@settings(max_examples=40, deadline=None)
@given(_networks(), st.floats(0, 1), st.floats(0, 1))
def test_default_costs_lower_payments(network, alpha, beta):
    liabilities, e = network
    free = eisenberg_noe(liabilities, e)
    costly = eisenberg_noe(liabilities, e, default_costs=(alpha, beta))
    assert np.all(costly.payments <= free.payments + 1e-8)
    assert set(free.defaulters) <= set(costly.defaulters)


@pytest.mark.parametrize(
    ("liabilities", "assets", "kwargs", "error", "field"),
    [
        (np.ones((2, 3)), [1, 1], {}, NetworkError, "liabilities has shape"),
        ([[0, -1], [1, 0]], [1, 1], {"names": ["A", "B"]}, NetworkError, "'A' to 'B' is -1"),
        ([[0, np.nan], [1, 0]], [1, 1], {}, NetworkError, "liabilities of 0 to 1 is nan"),
        ([[2, 1], [1, 0]], [1, 1], {}, NetworkError, "itself is 2"),
        (sp.csr_array(np.array([[0.0, -2], [1, 0]])), [1, 1], {}, NetworkError, "is -2"),
        (L3, [1, 1], {}, ParameterError, "external_assets has shape"),
        (L3, [1, -1, 1], {}, ParameterError, "external_assets of 1 is -1"),
        (L3, [1, np.nan, 1], {}, ParameterError, "external_assets of 1 is nan"),
        (L3, E3, {"names": ["A", "B"]}, ParameterError, "names has 2"),
        (L3, E3, {"names": ["A", "A", "B"]}, ParameterError, "names contains 'A'"),
        (L3, E3, {"default_costs": (1.5, 1)}, ParameterError, "default_costs alpha is 1.5"),
        (L3, E3, {"default_costs": (1, np.nan)}, ParameterError, "default_costs beta is nan"),
        (L3, E3, {"default_costs": 0.5}, ParameterError, "default_costs is 0.5"),
        (L3, E3, {"tol": 0}, ParameterError, "tol is 0"),
        (L3, E3, {"max_iter": 0}, ParameterError, "max_iter is 0"),
    ],
)
def test_bad_input_names_the_field(liabilities, assets, kwargs, error, field):
    with pytest.raises(error, match=None) as info:
        eisenberg_noe(liabilities, assets, **kwargs)
    assert field in str(info.value)
