"""Sweeps: backends agree, chunks bound memory, bad grids are refused."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import sympy as sp

import alliance as al
from alliance.analysis import sweep
from alliance.errors import ParameterError
from alliance.games.symbolic.classifier import cached_equilibria

INSPECTION = al.NormalFormGame.from_payoffs(
    {
        ("monitor", "repay"): ("r*L - c", "R - (1 + r)*L"),
        ("monitor", "default"): ("F - c - L", "-F"),
        ("trust", "repay"): ("r*L", "R - (1 + r)*L"),
        ("trust", "default"): ("-L", "R"),
    },
    players=("Bank", "SME"),
    params={"r": "positive", "L": "positive", "c": "positive", "F": "positive", "R": "positive"},
)
GRID = {
    "r": np.linspace(0.02, 0.3, 5),
    "c": (0.5, 6.0, 4),
    "F": [1.0, 3.0, 10.0],
    "L": [10.0],
    "R": [8.0, 12.0],
}


def test_numpy_processes_and_dask_return_identical_frames():
    from dask.distributed import Client, LocalCluster

    a = sweep(INSPECTION, GRID, chunk_size=37, progress=False)
    b = sweep(INSPECTION, GRID, chunk_size=37, backend="processes", progress=False)
    with (
        LocalCluster(
            n_workers=2, threads_per_worker=1, processes=False, dashboard_address=None
        ) as cluster,
        Client(cluster) as client,
    ):
        c = sweep(INSPECTION, GRID, chunk_size=37, backend="dask", client=client, progress=False)
    pd.testing.assert_frame_equal(a, b)
    pd.testing.assert_frame_equal(a, c)
    assert len(a) == 5 * 4 * 3 * 1 * 2 and list(a.columns[:5]) == ["r", "c", "F", "L", "R"]


def test_classifier_sweep_agrees_with_symbolic_conditions_pointwise():
    frame = sweep(INSPECTION, GRID, progress=False)
    eqs = cached_equilibria(INSPECTION)
    for _, row in frame.iloc[::9].iterrows():
        point = {k: float(row[k]) for k in ("r", "c", "F", "L", "R")}
        labels = {e.label for e in eqs if e.holds_at(**point)}
        assert set(row["equilibria"].replace("(monitor, ·)", "").split(" + ")) - {""} <= labels | {
            "(monitor, ·)"
        }
        assert ("mixed" in labels) == ("mixed" in row["equilibria"])
    assert sweep(INSPECTION, GRID, chunk_size=7, progress=False).equals(frame)


def test_expression_equilibrium_and_function_targets():
    r, L = sp.symbols("r L", positive=True)
    out = sweep(
        {"interest": r * L, "gross": (1 + r) * L},
        grid={"r": [0.1, 0.2], "L": [10, 20]},
        progress=False,
    )
    np.testing.assert_allclose(out["interest"], out["r"] * out["L"])
    mixed = [e for e in cached_equilibria(INSPECTION) if e.label == "mixed"][0]
    frame = sweep(
        mixed,
        points={"r": [0.1, 0.1], "L": [10, 10], "c": [1, 6], "F": [5, 5], "R": [8, 8]},
        progress=False,
    )
    assert frame["holds"].tolist() == [True, False]
    assert frame["SME:repay"].iloc[0] == pytest.approx(0.8) and np.isnan(frame["SME:repay"].iloc[1])
    f = sweep(lambda x, y: x + y, grid={"x": [1, 2], "y": [10]}, progress=False)
    assert f["value"].tolist() == [11, 12]


@pytest.mark.parametrize(
    ("grid", "message"),
    [
        ({"r": [0.1], "c": [1.0], "F": [1.0], "L": [1.0]}, "R"),
        ({"r": ["low"], "c": [1.0], "F": [1.0], "L": [1.0], "R": [1.0]}, "'r'"),
        ({"r": (0.3, 0.1, 5), "c": [1.0], "F": [1.0], "L": [1.0], "R": [1.0]}, "'r'.*lo < hi"),
        ({"r": [0.1], "c": [-1.0], "F": [1.0], "L": [1.0], "R": [1.0]}, "'c'.*positive"),
        ({"r": [0.1], "c": [1.0], "F": [1.0], "L": [1.0], "R": [1.0], "zeta": [1]}, "zeta"),
    ],
)
def test_bad_grids_name_the_parameter(grid, message):
    with pytest.raises(ParameterError, match=message):
        sweep(INSPECTION, grid, progress=False)


def test_bad_backend_and_unpicklable_targets():
    with pytest.raises(ParameterError, match="backend"):
        sweep(INSPECTION, GRID, backend="gpu")
    with pytest.raises(ParameterError, match="pickle"):
        sweep(lambda x: x, grid={"x": [1.0]}, backend="processes", progress=False)
