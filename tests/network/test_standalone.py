"""Standalone limits equal the closed form of MODELS.md §3."""

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from alliance.network import AllianceNetwork, BankPolicy

unit = st.floats(0.0, 1.0)
money = st.floats(0.0, 1e4)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(money, unit, unit, money), min_size=1, max_size=8), st.floats(0.0, 0.2))
def test_standalone_is_the_largest_admissible_loan(members, ell):
    net = AllianceNetwork()
    for k, (d, p, lam, c) in enumerate(members):
        net.add_member(f"M{k}", demand=d, pd=p, lgd=lam, collateral=c)
    lim = net.standalone_limits(BankPolicy(max_el_rate=ell)).to_numpy()
    for (d, p, lam, c), L in zip(members, lim):
        closed = d if p * lam <= ell else min(d, p * c / (p * lam - ell))
        assert np.isclose(L, closed, rtol=1e-12, atol=1e-12)
        # admissible, and no larger loan up to D is
        assert p * max(0.0, lam * L - c) <= ell * L + 1e-9 * (1 + L)
        if L < d - 1e-9:
            bigger = L + 1e-6 * (1 + L)
            assert p * max(0.0, lam * bigger - c) > ell * bigger


def test_var_limit_binds_only_for_risky_borrowers():
    net = AllianceNetwork()
    net.add_member("safe", demand=100, pd=0.0005, lgd=0.5)
    net.add_member("risky", demand=100, pd=0.01, lgd=0.5, collateral=20)
    pol = BankPolicy(max_el_rate=0.01, var_alpha=0.999, max_var_rate=0.1)
    lim = net.standalone_limits(pol)
    assert lim["safe"] == 100.0  # pd < 1 - alpha: VaR is zero
    assert np.isclose(lim["risky"], 20 / (0.5 - 0.1))
