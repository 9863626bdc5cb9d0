"""Logit quantal response equilibria (alliance.games.qre, alliance.games.solvers.qre).

The references: the QRE fixed point itself (checked directly at every returned point), closed
forms for 2x2 games, and pygambit's ``logit_solve_lambda`` / ``logit_solve_branch`` /
``logit_estimate`` on generic games (Gambit's precision is also per payoff unit).
"""

from __future__ import annotations

import math
import warnings

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

import alliance as al  # noqa: E402
from alliance.errors import ParameterError  # noqa: E402
from alliance.games.qre import BoundaryEstimateWarning, LogitFit, QREBranch  # noqa: E402
from alliance.games.solvers.qre import BifurcationWarning, LogitSystem  # noqa: E402


def gambit_game(g):
    gbt = pytest.importorskip("pygambit")
    arrays = [np.asarray(g.payoffs[..., i], dtype=float) for i in range(g.n_players)]
    return gbt, gbt.StrategicGame.from_arrays(*arrays)


def flat(profile_of_gambit, game):
    return np.array([float(v) for p in game.players for _, v in profile_of_gambit[p]])


def ours_flat(q):
    return np.concatenate(q.as_arrays())


def logit_residual(g, q):
    """Largest violation of p_ij = exp(lam u_ij) / sum_k exp(lam u_ik) at a returned QRE."""
    system = LogitSystem(g.payoffs)
    probs = [np.array(p) for p in q.profile]
    u = system.strategy_payoffs(probs)
    worst = 0.0
    for p, ui in zip(probs, u):
        z = np.exp(q.lam * (ui - ui.max()))
        worst = max(worst, float(np.max(np.abs(p - z / z.sum()))))
    return worst


def random_game(shape, seed, low=0, high=10):
    rng = np.random.default_rng(seed)
    return al.NormalFormGame.from_array(rng.integers(low, high, size=shape + (len(shape),)))


GENERIC_GAMES = {
    "2x2 asymmetric coordination": lambda: al.NormalFormGame.from_matrices(
        [[2, 0], [0, 1]], [[1, 0], [0, 3]]
    ),
    "3x3 random": lambda: random_game((3, 3), 1),
    "10x10 random": lambda: random_game((10, 10), 2),
    "2x2x2 random": lambda: random_game((2, 2, 2), 3),
    "3x2x2 random": lambda: random_game((3, 2, 2), 4),
    "3x3x3 random": lambda: random_game((3, 3, 3), 5),
}


# -------------------------------------------------------------------- closed forms
def test_prisoners_dilemma_matches_its_closed_form():
    # u(C) - u(D) = -(1 + q) for q = P(other cooperates): p = 1 / (1 + exp(lam (1 + p))) by
    # symmetry; solved independently by bisection.
    g = al.NormalFormGame.from_matrices([[3, 0], [5, 1]], [[3, 5], [0, 1]])
    for lam in (0.1, 1.0, 4.0):
        lo, hi = 0.0, 1.0
        for _ in range(200):
            mid = (lo + hi) / 2
            lo, hi = (mid, hi) if mid < 1 / (1 + math.exp(lam * (1 + mid))) else (lo, mid)
        q = g.qre(lam)
        assert q.profile[0][0] == pytest.approx(lo, abs=1e-12)
        assert q.profile[1][0] == pytest.approx(lo, abs=1e-12)


def test_matching_pennies_stays_at_the_centroid():
    g = al.NormalFormGame.from_matrices([[1, -1], [-1, 1]])
    branch = g.qre_branch(lam_max=50)
    assert np.allclose(branch.probabilities, 0.5, atol=1e-12)
    assert branch.lams[-1] == 50.0


def test_branch_converges_to_the_nash_equilibrium_of_a_dominance_solvable_game():
    g = al.NormalFormGame.from_matrices([[3, 0], [5, 1]], [[3, 5], [0, 1]])
    branch = g.qre_branch(lam_max=40)
    assert branch.limit.max_regret < 1e-12
    assert branch.limit.profile[0][1] == pytest.approx(1.0, abs=1e-12)
    # precision 0 is uniform play, and the max regret falls along this branch
    # against uniform play: u(D) = 3, u(C) = 1.5, the uniform mix earns 2.25
    assert branch.max_regret[0] == pytest.approx(0.75)
    assert np.all(np.diff(branch.max_regret) <= 1e-12)


@settings(max_examples=15, deadline=None)
@given(st.integers(0, 2**32 - 1), st.sampled_from([(2, 2), (3, 2), (2, 2, 2)]),
       st.floats(0.0, 20.0))
def test_every_returned_point_is_a_logit_fixed_point(seed, shape, lam):
    g = random_game(shape, seed, -5, 6)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", BifurcationWarning)
        q = g.qre(lam)
    assert logit_residual(g, q) <= 1e-10
    assert q.lam == lam


# -------------------------------------------------------------------- against pygambit
@pytest.mark.parametrize("name", list(GENERIC_GAMES))
def test_qre_at_chosen_precisions_matches_gambit(name):
    g = GENERIC_GAMES[name]()
    gbt, game = gambit_game(g)
    lams = [0.25, 1.0, 3.0, 10.0]
    theirs = gbt.qre.logit_solve_lambda(game, lams)
    ours = g.qre(lams)
    for q, r in zip(ours, theirs):
        assert q.lam == pytest.approx(r.lam)
        assert np.max(np.abs(ours_flat(q) - flat(r.profile, game))) <= 1e-6
        assert logit_residual(g, q) <= 1e-10


@pytest.mark.parametrize("name", ["3x3 random", "2x2x2 random", "3x3x3 random"])
def test_branch_passes_through_every_point_of_gambits_branch(name):
    g = GENERIC_GAMES[name]()
    gbt, game = gambit_game(g)
    theirs = [r for r in gbt.qre.logit_solve_branch(game) if 0 < r.lam <= 30][::3]
    ours = g.qre([r.lam for r in theirs])
    worst = max(np.max(np.abs(ours_flat(q) - flat(r.profile, game))) for q, r in zip(ours, theirs))
    assert worst <= 1e-6


def test_bifurcation_of_a_symmetric_game_is_reported():
    # Battle of the sexes with payoffs symmetric under swapping players and strategies:
    # the branch meets a pitchfork (Gambit perturbs the game there; we warn and continue).
    g = al.NormalFormGame.from_matrices([[2, 0], [0, 1]], [[1, 0], [0, 2]])
    with pytest.warns(BifurcationWarning, match="bifurcation near lambda = 1.4"):
        g.qre_branch(lam_max=10)


# -------------------------------------------------------------------- estimation
def simulate_counts(q, n, rng):
    return [rng.multinomial(n, np.array(p) / sum(p)).tolist() for p in q.profile]


def test_precision_is_recovered_from_data_simulated_at_a_known_precision():
    g = random_game((3, 3), 8)
    true_lam = 0.8
    rng = np.random.default_rng(2024)
    hits = 0
    for _ in range(5):
        counts = simulate_counts(g.qre(true_lam), 500, rng)
        fit = g.estimate_logit(counts)
        assert isinstance(fit, LogitFit) and 0 < fit.standard_error < 1
        hits += abs(fit.lam - true_lam) <= 2 * fit.standard_error
    assert hits >= 4  # a 95% interval: at most one miss in five draws is plausible


def test_estimate_matches_gambit_and_is_a_maximum():
    g = random_game((3, 3), 8)
    gbt, game = gambit_game(g)
    counts = [[60, 120, 20], [30, 150, 20]]
    fit = g.estimate_logit(counts)
    theirs = gbt.qre.logit_estimate(game.mixed_strategy_profile([list(map(float, c)) for c in counts]))
    assert fit.lam == pytest.approx(theirs.lam, abs=1e-5)
    assert fit.log_likelihood == pytest.approx(theirs.log_like, abs=1e-8)
    # the likelihood is lower on either side, and the curvature gives the standard error
    h = 3 * fit.standard_error
    for lam in (fit.lam - h, fit.lam + h):
        q = g.qre(lam)
        ll = sum(np.dot(c, np.log(p)) for c, p in zip(counts, q.profile))
        assert ll < fit.log_likelihood
        assert fit.log_likelihood - ll == pytest.approx(4.5, rel=0.2)  # quadratic: (3 se)^2 / 2
    low, high = fit.confidence_interval(0.95)
    assert low == pytest.approx(fit.lam - 1.959964 * fit.standard_error, rel=1e-6)
    assert high > fit.lam > low


def test_equilibrium_play_gives_a_boundary_estimate():
    g = al.NormalFormGame.from_matrices([[3, 0], [5, 1]], [[3, 5], [0, 1]])
    with pytest.warns(BoundaryEstimateWarning, match="lower bound"):
        fit = g.estimate_logit([[0, 100], [0, 100]])
    assert math.isinf(fit.standard_error)
    assert fit.qre.max_regret <= 1e-8 * 5


def test_fit_results_show_themselves():
    g = random_game((3, 3), 8)
    fit = g.estimate_logit({"Player 1": [30, 50, 120], "Player 2": [90, 70, 40]})
    assert repr(fit).startswith("LogitFit(λ = ")
    frame = fit.to_frame()
    assert list(frame.columns) == ["count", "observed", "fitted"]
    assert frame["observed"].sum() == pytest.approx(2.0)
    assert "<table" in fit._repr_html_()
    assert fit.n_observations == 400


# -------------------------------------------------------------------- results & errors
def test_branch_result_frame_and_points():
    g = al.NormalFormGame.from_matrices([[3, 0], [5, 1]], [[3, 5], [0, 1]],
                                        players=("Bank", "SME"))
    branch = g.qre_branch(lam_max=5)
    assert isinstance(branch, QREBranch)
    frame = branch.to_frame()
    assert frame.index.name == "lambda" and ("Bank", "s1") in frame.columns
    assert len(frame) == len(branch)
    point = branch.point(3)
    assert point.lam == branch.lams[3]
    assert "QREBranch(Bank × SME" in repr(branch)
    assert point.to_frame()["probability"].sum() == pytest.approx(2.0)
    assert "lambda" in point._repr_latex_()


def test_figure_draws_one_line_per_strategy():
    g = al.NormalFormGame.from_matrices([[3, 0], [5, 1]], [[3, 5], [0, 1]],
                                        players=("Bank", "SME"))
    fig, ax = plt.subplots()
    out = g.qre_branch(lam_max=10).plot(ax=ax, players=["SME"])
    assert out is ax
    assert sorted(line.get_gid() for line in ax.get_lines()) == ["qre:SME:s1", "qre:SME:s2"]
    plt.close(fig)
    with pytest.raises(ParameterError, match="not in the game"):
        g.qre_branch(lam_max=1).plot(players=["Guarantor"])


@pytest.mark.parametrize(
    ("call", "match"),
    [
        (lambda g: g.qre(-1.0), "lam is -1.0"),
        (lambda g: g.qre(float("inf")), "finite"),
        (lambda g: g.qre([]), "empty"),
        (lambda g: g.qre_branch(lam_max=0), "lam_max > 0"),
        (lambda g: g.qre(1.0, first_step=0), "first_step"),
        (lambda g: g.estimate_logit([[1, 2]]), "2 players"),
        (lambda g: g.estimate_logit([[1, 2, 3], [1, 2]]), "Player 1 has 2 strategies"),
        (lambda g: g.estimate_logit([[1, -2], [1, 2]]), ">= 0"),
        (lambda g: g.estimate_logit([[0, 0], [0, 0]]), "all zero"),
        (lambda g: g.estimate_logit({"Bank": [1, 2]}), "unknown player"),
    ],
)
def test_bad_input_is_refused(call, match):
    g = al.NormalFormGame.from_matrices([[3, 0], [5, 1]], [[3, 5], [0, 1]])
    with pytest.raises(ParameterError, match=match):
        call(g)


def test_symbolic_game_needs_numbers():
    g = al.NormalFormGame.from_matrices([["a", 0], [0, 1]], [[1, 0], [0, 1]])
    with pytest.raises(ParameterError, match="needs numbers"):
        g.qre(1.0)
