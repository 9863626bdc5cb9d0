"""Tests of the evolutionary-game figures (alliance.figures.evolutionary)."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

import alliance as al  # noqa: E402
from alliance.errors import ParameterError  # noqa: E402
from alliance.figures.evolutionary import phase_portrait, time_paths, trajectories_3d  # noqa: E402
from alliance.games.evolutionary import EvolutionaryGame  # noqa: E402


@pytest.fixture(autouse=True)
def _close():
    yield
    plt.close("all")


def _gids(ax, prefix):
    return [a.get_gid() for a in ax.get_children() if (a.get_gid() or "").startswith(prefix)]


def test_phase_portrait_marks_rest_points_by_verdict():
    # Coordination game: two ESS corners, two unstable corners and a mixed saddle.
    g = al.NormalFormGame.from_matrices(
        [[2, 0], [0, 1]],
        [[2, 0], [0, 1]],
        players=("Bank", "SME"),
        strategies=(("lend", "refuse"), ("repay", "default")),
    )
    ev = EvolutionaryGame(g)
    ax = phase_portrait(ev, x0=[[0.2, 0.9]], t=20)
    gids = _gids(ax, "rest-point:")
    assert sorted(gids) == sorted(
        ["rest-point:ESS"] * 2 + ["rest-point:unstable"] * 2 + ["rest-point:saddle"]
    )
    assert _gids(ax, "trajectory") == ["trajectory"]
    assert "share of Bank playing 'lend'" in ax.get_xlabel()
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert set(labels) == {"ESS", "unstable", "saddle"}


def test_phase_portrait_of_a_symbolic_game_needs_params():
    g = al.NormalFormGame.from_matrices(
        [["a", 0], [0, 1]], [[1, 0], [0, 1]], params={"a": "positive"}
    )
    ev = EvolutionaryGame(g)
    with pytest.raises(ParameterError, match="a"):
        phase_portrait(ev)
    ax = phase_portrait(ev, {"a": 2.0})
    assert len(_gids(ax, "rest-point:ESS")) == 2


def test_trajectories_3d_draws_in_the_unit_cube():
    rng = np.random.default_rng(2)
    ev = EvolutionaryGame(al.NormalFormGame(rng.integers(-3, 4, size=(2, 2, 2, 3))))
    ax = trajectories_3d(ev, n=6, t=20)
    assert ax.name == "3d"
    lines = [line for line in ax.get_lines() if line.get_gid() == "trajectory"]
    assert len(lines) == 6
    for line in lines:
        x, y, z = line.get_data_3d()
        assert min(x.min(), y.min(), z.min()) >= 0 and max(x.max(), y.max(), z.max()) <= 1
    assert len(_gids(ax, "rest-point:")) >= 8
    with pytest.raises(ParameterError, match="3-D Axes"):
        trajectories_3d(ev, ax=plt.figure().add_subplot())


def test_time_paths_one_curve_per_population_and_value():
    g = al.NormalFormGame.from_matrices(
        [["a", 0], [0, 1]], [[1, 0], [0, 1]], params={"a": "positive"}
    )
    ev = EvolutionaryGame(g)
    ax = time_paths(ev, [0.3, 0.6], 30, vary="a", values=[0.5, 1.0, 4.0])
    paths = [line for line in ax.get_lines() if (line.get_gid() or "").startswith("path:")]
    assert len(paths) == 2 * 3
    assert {line.get_linestyle() for line in paths} == {"-", "--", ":"}
    assert any("a = 4" in t.get_text() for t in ax.get_legend().get_texts())
    with pytest.raises(ParameterError, match="vary is 'q'"):
        time_paths(ev, [0.3, 0.6], 30, vary="q", values=[1.0])


def test_figures_refuse_the_wrong_game():
    rng = np.random.default_rng(0)
    ev3 = EvolutionaryGame(al.NormalFormGame(rng.normal(size=(2, 2, 2, 3))))
    with pytest.raises(ParameterError, match="2 populations"):
        phase_portrait(ev3)
