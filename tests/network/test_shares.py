"""Credit shares: Shapley values of the alliance limit on common scenarios."""

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from alliance.errors import ParameterError
from alliance.network import AllianceNetwork, BankPolicy, load_example_alliance
from alliance.network.shares import coalition_limits

POLICY = BankPolicy(max_el_rate=0.005)


def worked():
    net = AllianceNetwork()
    net.add_member("A", demand=200, pd=0.04, lgd=0.5)
    net.add_member("B", demand=100, pd=0.0, lgd=0.5, equity=1000)
    net.add_chain("B", "A", amount=40)
    return net


def test_worked_example_shares_exact():
    res = worked().credit_shares(POLICY, scenarios="exact", rho=0.0)
    # v(A) = 0, v(B) = 100, v(AB) = 240 (version 2): A 70, B 170
    assert res.values["A"] == pytest.approx(70) and res.values["B"] == pytest.approx(170)
    assert res.alliance_limit == pytest.approx(240)
    assert res.in_core  # v(A)=0 <= 70, v(B)=100 <= 170
    assert res.to_frame().loc["B", "gain"] == pytest.approx(70)
    # version 1 for comparison: v(AB) = 192
    v1 = worked().credit_shares(POLICY, scenarios="exact", rho=0.0, rule="uniform")
    assert v1.values["A"] == pytest.approx(46) and v1.values["B"] == pytest.approx(146)


def test_vectorised_coalitions_equal_separate_networks():
    rng = np.random.default_rng(1)
    net = AllianceNetwork()
    for i in range(5):
        net.add_member(f"M{i}", demand=100, pd=0.05, lgd=0.5, equity=rng.uniform(0, 30), fund=2)
    net.add_guarantor("G", equity=40, leverage_cap=None)
    for a, b in [(0, 1), (1, 2), (2, 0), (3, 4), (4, 1)]:
        net.add_chain(f"M{a}", f"M{b}", amount=30)
    net.add_chain("G", "M3", amount=25)
    sc = net.scenarios(3000, rho=0.1, seed=5)
    masks = np.array([[1, 1, 0, 1, 0], [0, 1, 1, 1, 1], [1, 0, 0, 0, 0]], dtype=bool)
    got = coalition_limits(net.topology(), sc, POLICY, masks)
    for row, value in zip(masks, got):
        keep = {f"M{i}" for i in np.flatnonzero(row)}
        sub = AllianceNetwork()
        for nm, d in net.graph.nodes(data=True):
            if d["role"] == "member" and nm in keep:
                sub.add_member(
                    nm,
                    demand=d["demand"],
                    pd=d["pd"],
                    lgd=d["lgd"],
                    equity=d["equity"],
                    fund=d["fund"],
                )
            elif d["role"] != "member":
                sub.add_guarantor(nm, equity=d["equity"], leverage_cap=None)
            else:  # an absent member keeps its place (scenario columns) but has nothing
                sub.add_member(nm, demand=0, pd=d["pd"], lgd=d["lgd"])
        for a, b, g in net.chains("guarantee"):
            if (a in keep or a == "G") and b in keep:
                sub.add_chain(a, b, amount=g)
        ref = sub.alliance_limit(POLICY, scenarios=sc)
        assert value == pytest.approx(ref.limit, rel=1e-9)


def test_example_shares_efficient_sampled():
    net = load_example_alliance()
    res = net.credit_shares(
        BankPolicy(max_el_rate=0.01),
        method="sampled",
        scenarios=150,
        seed=3,
        samples=4,
        batch_size=4,
        target_standard_error=0,
        core_samples=20,
    )
    assert res.values.sum() == pytest.approx(res.alliance_limit, rel=1e-9)
    assert "sampled" in res.core_method and isinstance(res.in_core, bool)


def test_exact_shares_efficient_and_symmetric():
    net = AllianceNetwork()
    for nm in "ABCD":
        net.add_member(nm, demand=100, pd=0.06, lgd=0.5, equity=40)
    net.add_chain("A", "B", amount=30)
    net.add_chain("B", "A", amount=30)
    net.add_chain("C", "D", amount=30)
    net.add_chain("D", "C", amount=30)
    res = net.credit_shares(POLICY, scenarios="exact", rho=0.0)
    v = res.values
    assert v.sum() == pytest.approx(res.alliance_limit, rel=1e-9)
    assert v["A"] == pytest.approx(v["B"], rel=1e-9) and v["C"] == pytest.approx(v["D"], rel=1e-9)


def test_active_set_search_equals_full_batch_search():
    # the search that drops converged sub-alliances must find the same limits as the one that
    # keeps evaluating the whole batch
    from alliance.network.contagion import CascadeEngine
    from alliance.network.limit import solve_shares

    rng = np.random.default_rng(2)
    net = AllianceNetwork()
    for i in range(8):
        net.add_member(
            f"M{i}", demand=100, pd=0.08, lgd=0.5, collateral=5, equity=rng.uniform(5, 40), fund=1
        )
    for i in range(8):
        net.add_chain(f"M{i}", f"M{(i + 1) % 8}", amount=20)
    net.add_guarantor("G", equity=30, leverage_cap=None)
    net.add_chain("G", "M0", amount=25)
    topo = net.topology()
    sc = net.scenarios(2000, rho=0.1, seed=4)
    mem = np.flatnonzero(topo.is_member)
    masks = rng.random((40, mem.size)) < 0.6
    present = np.ones((40, topo.n), dtype=bool)
    present[:, mem] = masks
    base = np.where(present & topo.is_member, topo.demand, 0.0)
    policy = POLICY
    calls = []

    def subset(rows):
        calls.append(rows.size)
        return CascadeEngine(topo, sc, present[rows])

    full = solve_shares(CascadeEngine(topo, sc, present), base, policy, finalize=False)
    act = solve_shares(
        CascadeEngine(topo, sc, present), base, policy, finalize=False, subset=subset
    )
    assert np.sum((full.share > 0) & (full.share < 1)) >= 20  # the search had work to do
    assert calls and max(calls) <= 20  # the active set did shrink
    np.testing.assert_allclose(act.share, full.share, rtol=0, atol=2e-7)


def test_sampled_shares_stop_at_the_target_standard_error():
    net = load_example_alliance()
    policy = BankPolicy(max_el_rate=0.01)
    limit = net.alliance_limit(policy, scenarios=150, seed=3).limit
    res = net.credit_shares(
        policy,
        method="sampled",
        scenarios=150,
        seed=3,
        samples=2000,
        target_standard_error=0.5 * limit,
        batch_size=8,
        core_samples=20,
    )
    # a loose target stops at the first check (32 orders), far below the 2000 allowed
    assert res.allocation.details["samples"] == 32
    assert float(np.max(res.allocation.standard_errors)) <= 0.5 * limit
    assert res.values.sum() == pytest.approx(res.alliance_limit, rel=1e-9)


def three_members():
    """A (risky, no collateral) guaranteed by two safe members B and C, 40 each.

    With l* = 0.005, rho = 0, exact scenarios (docs/credit_v2.md, worked example 1 with a
    second guarantor): v(A) = 0, v(B) = v(C) = 100, v(AB) = v(AC) = 240 (A 140), v(BC) = 200,
    v(ABC) = 400 (0.04 (0.5 L - 80) <= 0.005 (L + 200) gives L <= 280 > 200: A gets its demand).
    """
    net = AllianceNetwork()
    net.add_member("A", demand=200, pd=0.04, lgd=0.5)
    net.add_member("B", demand=100, pd=0.0, lgd=0.5, equity=1000)
    net.add_member("C", demand=100, pd=0.0, lgd=0.5, equity=1000)
    net.add_chain("B", "A", amount=40)
    net.add_chain("C", "A", amount=40)
    return net


def test_three_member_nucleolus_equals_the_hand_derived_value():
    res = three_members().credit_shares(POLICY, scenarios="exact", rho=0.0)
    assert res.alliance_limit == pytest.approx(400)
    # Shapley by hand: A (0 + 0 + 140 + 140 + 200 + 200) / 6, B (100+100+240+100+160+160) / 6
    np.testing.assert_allclose(res.values[["A", "B", "C"]], [340 / 3, 430 / 3, 430 / 3])
    # nucleolus by hand: by symmetry x_B = x_C = b, x_A = 400 - 2b; the largest excess is
    # max(b - 160 [AB, AC], 100 - b [B, C], 200 - 2b [BC]), smallest at b = 130, excess -30
    assert res.nucleolus_method == "nucleolus"
    np.testing.assert_allclose(res.nucleolus[["A", "B", "C"]], [140, 130, 130], atol=1e-7)
    assert res.least_core_epsilon == pytest.approx(-30)
    assert res.core_is_empty is False and res.in_core
    frame = res.to_frame()
    np.testing.assert_allclose(frame["nucleolus"], [140, 130, 130], atol=1e-7)
    assert "least_core" in frame and "nucleolus" in repr(res)
    assert "least-core epsilon -30" in res._repr_html_()


def _excesses(res, net):
    """v(S) - x(S) of the nucleolus over every proper coalition, from separate evaluations."""
    from itertools import combinations

    from alliance.network.shares import coalition_limits

    names = list(res.nucleolus.index)
    n = len(names)
    masks = np.array(
        [[i in c for i in range(n)] for k in range(1, n) for c in combinations(range(n), k)]
    )
    sc = net.scenarios("exact", rho=0.0)
    v = coalition_limits(net.topology(), sc, POLICY, masks)
    return v - masks.astype(float) @ res.nucleolus.to_numpy()


@settings(max_examples=6, deadline=None)
@given(
    pd_a=st.sampled_from([0.02, 0.04, 0.06]),
    g_b=st.integers(0, 60),
    g_c=st.integers(0, 60),
    demand_c=st.integers(0, 150),
)
def test_nucleolus_is_efficient_and_in_a_non_empty_core(pd_a, g_b, g_c, demand_c):
    net = AllianceNetwork()
    net.add_member("A", demand=200, pd=pd_a, lgd=0.5, collateral=10)
    net.add_member("B", demand=100, pd=0.0, lgd=0.5, equity=1000)
    net.add_member("C", demand=demand_c, pd=0.01, lgd=0.5, equity=500)
    if g_b:
        net.add_chain("B", "A", amount=g_b)
    if g_c:
        net.add_chain("C", "A", amount=g_c)
    res = net.credit_shares(POLICY, scenarios="exact", rho=0.0)
    assert res.nucleolus.sum() == pytest.approx(res.alliance_limit, rel=1e-9)  # efficient
    exc = _excesses(res, net)
    assert exc.max() == pytest.approx(res.least_core_epsilon, abs=1e-6)  # it lies in the least core
    if not res.core_is_empty:
        assert exc.max() <= 1e-6  # in the core
    assert res.least_core.sum() == pytest.approx(res.alliance_limit, rel=1e-9)


def test_core_emptiness_is_reported_for_an_empty_core():
    # majority voting among three has an empty core (least-core epsilon 1/3): the verdict and
    # its display on the result type
    from alliance.games.cooperative import weighted_voting

    game = weighted_voting(2, [1, 1, 1])
    lc = game.least_core()
    from alliance.network.results import CreditSharesResult

    res = CreditSharesResult(
        allocation=game.shapley(),
        alliance_limit=1.0,
        standalone=pd.Series([0.0, 0.0, 0.0], index=list(game.players)),
        in_core=False,
        most_violated=("P1", "P2"),
        max_excess=1 / 3,
        core_method="exact (8 coalitions)",
        method="exact",
        nucleolus=pd.Series(game.nucleolus().values, index=list(game.players)),
        least_core=pd.Series(lc.allocation.values, index=list(game.players)),
        least_core_epsilon=lc.epsilon,
        nucleolus_method="nucleolus",
    )
    assert res.core_is_empty is True and "core empty" in res._repr_html_()


def test_nucleolus_skipped_above_nucleolus_max():
    res = three_members().credit_shares(POLICY, scenarios="exact", rho=0.0, nucleolus_max=2)
    assert res.nucleolus is None and res.least_core_epsilon is None and res.core_is_empty is None
    assert "nucleolus" not in res.to_frame()
    with pytest.raises(ParameterError, match="nucleolus_max"):
        three_members().credit_shares(POLICY, scenarios="exact", rho=0.0, nucleolus_max=40)
