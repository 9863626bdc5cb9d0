"""Welfare and the ranking of the modes: vectorised grid = engine, region map."""

import math

import numpy as np
import pytest

from alliance.errors import ParameterError
from alliance.models import solve_guarantee
from alliance.models.guarantee import MODES
from alliance.models.welfare import best_mode_map, mode_grid, rank_modes, welfare

POINTS = [
    {"F": 60.0, "pi": 0.8},
    {"F": 80.0, "pi": 0.8},
    {"F": 40.0, "pi": 1.0},
    {"F": 100.0, "pi": 0.5},
    {"F": 150.0, "pi": 0.9},
]


@pytest.mark.parametrize("mode", MODES)
def test_grid_agrees_with_the_engine(mode):
    frame = mode_grid(mode, {"F": [p["F"] for p in POINTS[:1]] + [80.0, 40.0, 100.0, 150.0],
                             "pi": [0.5, 0.8, 0.9, 1.0]}, mu=0.25)
    for point in POINTS:
        row = frame[(frame["F"] == point["F"]) & (frame["pi"] == point["pi"])].iloc[0]
        outcomes = solve_guarantee(mode, **point)
        pure = [o for o in outcomes if o.equilibrium.is_pure]
        assert row["pure_equilibria"] == len(pure)
        scores = [welfare(o, 0.25)["welfare"] for o in pure]
        o = pure[int(np.argmin(scores))]
        assert row["profile"] == "/".join(s[0] for s in o.equilibrium.supports)
        assert row["loan_made"] == o.loan_made
        assert math.isclose(row["welfare"], min(scores), abs_tol=1e-9)
        assert math.isclose(row["state_net_outlay"], float(o.flows["state_net_outlay"]), abs_tol=1e-9)
        for party in ("Bank", "Guarantor", "SME"):
            assert math.isclose(row[party], float(o.payoffs[party]), abs_tol=1e-9)


def test_state_cost_is_one_plus_mu_times_the_net_outlay():
    (o,) = solve_guarantee("policy", F=80)
    assert o.loan_made and o.flows["state_net_outlay"] > 0
    for mu in (0.0, 0.2, 0.3):
        w = welfare(o, mu)
        assert math.isclose(w["state_cost"], (1 + mu) * float(o.flows["state_net_outlay"]))
        assert math.isclose(
            w["welfare"],
            float(o.surplus()["Bank"] + o.surplus()["SME"]) - w["state_cost"] - w["failure_cost"],
        )
    assert not welfare(o)["self_sustaining"]
    with pytest.raises(ParameterError, match="mu"):
        welfare(o, -0.1)


def test_no_programme_has_zero_welfare_and_the_best_mode_beats_it():
    ranked = rank_modes({"F": [0.0, 60.0, 80.0], "mu": [0.2, 0.3]})
    assert len(ranked) == 6
    for _, row in ranked.iterrows():
        values = {m: row[f"welfare[{m}]"] for m in MODES}
        for m in MODES:
            if not row[f"loan_made[{m}]"]:
                assert values[m] == 0
        best = max(values.values())
        if row["best_mode"] == "none":
            assert best <= 1e-9
        else:
            assert math.isclose(values[row["best_mode"]], best)


def test_policy_wins_where_only_the_state_can_make_the_loan():
    # a bank with a good alternative stays out of the business mode; an interest subsidy
    # brings it into the policy mode, which wins unless public funds are too dear
    ranked = rank_modes(
        {"rho_B": [0.03, 0.06], "mu": [0.0, 3.0]},
        modes=("policy", "business"),
        F=80,
        mode_params={"policy": {"sigma": 0.03}},
    ).set_index(["rho_B", "mu"])
    assert ranked["best_mode"].to_dict() == {
        (0.03, 0.0): "business",
        (0.03, 3.0): "business",
        (0.06, 0.0): "policy",
        (0.06, 3.0): "none",
    }
    assert not ranked.loc[0.06, "loan_made[business]"].any()
    assert ranked.loc[0.06, "loan_made[policy]"].all()
    # the cost to the state is (1 + mu) times the same net outlay
    cost = ranked.loc[0.06, "state_cost[policy]"]
    assert math.isclose(cost.loc[3.0] / 4, cost.loc[0.0])


def test_region_map_draws_and_checks_its_axes(tmp_path):
    import matplotlib

    matplotlib.use("Agg")
    ranked = rank_modes({"F": np.linspace(40, 120, 5), "mu": [0.2, 0.3]})
    ax = best_mode_map(ranked, "F", "mu")
    assert ax.get_ylabel() == r"$\mu$"
    ax.figure.savefig(tmp_path / "map.pdf")
    assert (tmp_path / "map.pdf").read_bytes()[:4] == b"%PDF"
    with pytest.raises(ParameterError, match="varies"):
        best_mode_map(rank_modes({"F": [40, 80], "pi": [0.5, 0.8], "mu": [0.2, 0.3]}), "F", "mu")


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        (dict(mode="venture", grid={"F": [1]}), "mode"),
        (dict(mode="business", grid={"gamma": [0.5]}), "gamma"),
        (dict(mode="business", grid={"pi": [0.5, 1.5]}), "pi"),
        (dict(mode="business", grid={"F": [1]}, selection="median"), "selection"),
        (dict(mode="business", grid={"K": [100]}), "counter-guarantee"),
    ],
)
def test_bad_grid_arguments_are_named(kwargs, match):
    with pytest.raises(ParameterError, match=match):
        mode_grid(**kwargs)


def test_mutual_equals_business_on_a_grid_with_both_mechanisms_off():
    grid = {"F": np.linspace(0, 150, 31), "C": [30.0, 60.0, 90.0], "pi": [0.6, 0.9]}
    business = mode_grid("business", grid)
    mutual = mode_grid("mutual", grid, monitoring=False, loss_sharing=False)
    assert business.equals(mutual)
    on = mode_grid("mutual", grid)
    # with the mechanisms on, the loan is made wherever the business mode makes it, and more
    assert (on["loan_made"] | ~business["loan_made"]).all()
    assert on["loan_made"].sum() > business["loan_made"].sum()
    assert (on["state_net_outlay"] == 0).all() and (business["state_net_outlay"] == 0).all()
