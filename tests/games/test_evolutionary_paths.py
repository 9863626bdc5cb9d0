"""Sentences about simulated trajectories are computed from the paths (path_outcomes)."""

from __future__ import annotations

import html
import json

import numpy as np
import pytest

import alliance as al
from alliance.errors import ParameterError
from alliance.games.evolutionary import EvolutionaryGame, PathOutcomes
from alliance.io.files import read_model, shipped_models

CENTRE = (11 / 20, 2 / 3, 0.0)


def _tripartite():
    return read_model(shipped_models()["tripartite"]).evolutionary()


def _independent_count(states: np.ndarray) -> tuple[int, int]:
    """Paths at (1, 1, 1), and paths still turning on the face z = 0 (by hand)."""
    final = states[:, -1, :]
    at_ess = int((np.abs(final - 1).max(axis=1) < 1e-3).sum())
    late = states[:, states.shape[1] // 2 :, :]
    turning = (final[:, 2] < 0.05) & ((late[:, :, 0].max(axis=1) - late[:, :, 0].min(axis=1)) > 0.1)
    return at_ess, int(turning.sum())


def test_the_demo_trajectories_do_not_all_converge():
    # The demo's own setting: 24 random interior states, seed 1, t = 40.
    ev = _tripartite()
    x0 = np.random.default_rng(1).uniform(0.05, 0.95, size=(24, ev.dimension))
    paths = ev.simulate(x0, 40.0, progress=False)
    outcomes = ev.path_outcomes(paths)
    at_ess, turning = _independent_count(paths.states)
    assert outcomes.count("rest", (1, 1, 1)) == at_ess
    assert outcomes.count("cycle", CENTRE) == turning > 0
    assert at_ess + turning == 24
    sentence = outcomes.sentence()
    assert not sentence.startswith("every")
    assert f"{at_ess} of 24 trajectories" in sentence
    assert f"{turning} ({turning / 24:.0%}) cycle around (11/20, 2/3, 0)" in sentence


def test_the_demo_report_states_what_its_simulation_shows(tmp_path):
    from alliance.io.report import DEMO_SETTINGS, run_demo

    summary = run_demo(tmp_path / "demo", quick=True, progress=False)
    said = summary["tripartite_trajectories"]
    report = (tmp_path / "demo" / "report.html").read_text(encoding="utf-8")
    assert html.escape(said["sentence"]) in report
    assert json.loads((tmp_path / "demo" / "summary.json").read_text())[
        "tripartite_trajectories"
    ]["sentence"] == said["sentence"]
    # Recount the same paths independently.
    ev = _tripartite()
    n = DEMO_SETTINGS["quick"]["trajectories"]
    x0 = np.random.default_rng(1).uniform(0.05, 0.95, size=(n, ev.dimension))
    at_ess, turning = _independent_count(ev.simulate(x0, 40.0, progress=False).states)
    counted = {(o["outcome"], tuple(o["point"]) if o["point"] else None): o["paths"] for o in said["outcomes"]}
    assert counted.get(("rest", (1.0, 1.0, 1.0)), 0) == at_ess
    assert sum(v for (o, _), v in counted.items() if o == "cycle") == turning
    assert sum(counted.values()) == n


def test_every_path_to_one_ess_and_undecided_paths():
    g = al.NormalFormGame.from_matrices([[3, 0], [5, 1]], [[3, 5], [0, 1]])
    ev = EvolutionaryGame(g)
    x0 = np.random.default_rng(0).uniform(0.05, 0.95, size=(10, 2))
    outcomes = ev.path_outcomes(ev.simulate(x0, 40))
    assert outcomes.sentence() == "every one of the 10 trajectories converges to the ESS (0, 0)"
    short = ev.path_outcomes(ev.simulate(x0, 0.5))
    assert short.count("undecided") == 10 and "not settled by t = 0.5" in short.sentence()
    assert isinstance(short, PathOutcomes) and "<p>" in short._repr_html_()
    with pytest.raises(ParameterError, match="window"):
        ev.path_outcomes(ev.simulate(x0, 1), window=0)
