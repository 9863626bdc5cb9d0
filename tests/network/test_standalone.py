"""Standalone limits equal the closed form of docs/economics.md §3."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from alliance.network import AllianceNetwork, BankPolicy

# Subnormal probabilities (5e-324) make p·λ·ΔL underflow to 0 in the test's own check of a
# slightly bigger loan: a float artefact of the check, not of the limit.
unit = st.floats(0.0, 1.0, allow_subnormal=False)
money = st.floats(0.0, 1e4, allow_subnormal=False)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(money, unit, unit, money), min_size=1, max_size=8), st.floats(0.0, 0.2))
def test_standalone_is_the_largest_admissible_loan(members, ell):
    net = AllianceNetwork()
    for k, (d, p, lam, c) in enumerate(members):
        net.add_member(f"M{k}", demand=d, pd=p, lgd=lam, collateral=c)
    lim = net.standalone_limits(BankPolicy(max_el_rate=ell)).to_numpy()
    for (d, p, lam, c), L in zip(members, lim):
        closed = d if p * lam <= ell else min(d, p * lam * c / (p * lam - ell))
        assert np.isclose(L, closed, rtol=1e-12, atol=1e-12)
        # admissible (exposure loss lam * max(0, L - c)), and no larger loan up to D is
        assert p * lam * max(0.0, L - c) <= ell * L + 1e-9 * (1 + L)
        if L < d - 1e-9:
            bigger = L + 1e-6 * (1 + L)
            assert p * lam * max(0.0, bigger - c) > ell * bigger


def test_var_limit_binds_only_for_risky_borrowers():
    net = AllianceNetwork()
    net.add_member("safe", demand=100, pd=0.0005, lgd=0.5)
    net.add_member("risky", demand=100, pd=0.01, lgd=0.5, collateral=20)
    pol = BankPolicy(max_el_rate=0.01, var_alpha=0.999, max_var_rate=0.1)
    lim = net.standalone_limits(pol)
    assert lim["safe"] == 100.0  # pd < 1 - alpha: VaR is zero
    # VaR = 0.5 (L - 20) <= 0.1 L
    assert np.isclose(lim["risky"], 0.5 * 20 / (0.5 - 0.1))


def test_worked_example_3_collateral_covers_its_value_not_its_value_over_lgd():
    net = AllianceNetwork()
    net.add_member("A", demand=100, pd=0.04, lgd=0.45, collateral=20)
    assert net.standalone_limits(BankPolicy(max_el_rate=0.01))["A"] == pytest.approx(45.0)
    # the alliance engine with every mechanism off reproduces it
    rep = net.credit_margin(BankPolicy(max_el_rate=0.01), scenarios="exact", rho=0.0)
    assert rep.alliance_limit == pytest.approx(45.0, rel=1e-9)


def test_an_es_limit_can_only_lower_the_standalone_limit():
    net = AllianceNetwork()
    net.add_member("A", demand=100, pd=0.04, lgd=0.45, collateral=20)
    el = net.standalone_limits(BankPolicy(max_el_rate=0.01))["A"]
    # one loan with p >= 1 - alpha: ES = lam (L - c) <= 0.2 L -> L <= 0.45 * 20 / 0.25 = 36
    es = net.standalone_limits(BankPolicy(max_el_rate=0.01, es_alpha=0.97, max_es_rate=0.2))["A"]
    assert es == pytest.approx(36.0) and es <= el
