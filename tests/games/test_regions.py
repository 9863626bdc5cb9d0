"""Region maps of a lending game with enforcement, and their figure."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import numpy as np
import pytest

import alliance as al
from alliance.errors import ParameterError
from alliance.games.regions import regions

# SME defaults strategically unless enforcement (probability pi) with penalty K bites.
LENDING = al.NormalFormGame.from_payoffs(
    {
        ("lend", "repay"): ("r*L", "R - (1 + r)*L"),
        ("lend", "default"): ("pi*(1 + r)*L - L", "R - pi*(K + (1 + r)*L)"),
        ("refuse", "repay"): (0, 0),
        ("refuse", "default"): (0, 0),
    },
    players=("Bank", "SME"),
    params={
        "r": "positive",
        "L": "positive",
        "R": "positive",
        "pi": "probability",
        "K": "nonnegative",
    },
)


@pytest.fixture(scope="module")
def plane():
    return regions(
        LENDING,
        x=("pi", 0.05, 1),
        y=("K", 0, 60),
        fixed={"r": 0.1, "L": 10, "R": 15},
        resolution=(120, 90),
    )


def test_repayment_region_is_the_closed_form(plane):
    X, Y = np.meshgrid(plane.x_values, plane.y_values)
    # Closed form: the SME repays iff (1 - pi)(1 + r)L <= pi K.
    closed = (1 - X) * 1.1 * 10 <= X * Y
    repay = np.isin(plane.labels, [r.index for r in plane.regions if "(lend, repay)" in r.label])
    margin = np.abs((1 - X) * 11 - X * Y) > 1e-6
    assert np.array_equal(repay[margin], closed[margin])
    assert any("(refuse, ·)" in r.label for r in plane.regions)
    assert any(str(b) == "K*pi + 11*pi - 11" or "pi" in str(b) for b in plane.boundaries)


def test_region_figure_shows_the_repayment_region(plane):
    import matplotlib.pyplot as plt
    from matplotlib.colors import to_rgba

    from alliance.figures.regions import OKABE_ITO, region_map

    ax = region_map(plane)
    # one vector patch per region that has grid points, in the region's own colour
    fills = ax.collections[: len(plane.regions)]
    present = [r for r in plane.regions if (plane.labels == r.index).any()]
    assert len(fills) >= len(present)
    for r, patch in zip(present, fills, strict=False):
        colour = to_rgba(OKABE_ITO[r.index % len(OKABE_ITO)])
        assert np.allclose(patch.get_facecolor()[0][:3], colour[:3])
    texts = [t.get_text() for t in ax.texts]
    assert any("(lend, repay)" in t for t in texts)
    assert len(ax.collections) > 1  # the boundary curve
    plt.close(ax.figure)


def test_region_map_display(plane):
    assert "regions" in repr(plane)
    assert plane.to_frame().shape[0] == len(plane.regions)
    assert plane._repr_html_().startswith("<pre>")
    assert plane.region_at(1.0, 60).label.endswith("(lend, repay)")


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        (dict(x=("pi", 1, 0.5), y=("K", 0, 60), fixed={"r": 0.1, "L": 10, "R": 15}), "pi"),
        (dict(x=("pi", 0, 1), y=("K", 0, 60), fixed={"r": 0.1, "L": 10}), "R"),
        (dict(x=("pi", 0, 1), y=("K", 0, "lots"), fixed={"r": 0.1, "L": 10, "R": 15}), "K"),
        (dict(x=("pi", 0, 1), y=("K", 0, 60), fixed={"r": 0.1, "L": "ten", "R": 15}), "L"),
        (dict(x=("pi", 0, 2), y=("K", 0, 60), fixed={"r": 0.1, "L": 10, "R": 15}), "pi"),
        (dict(x=("pi", 0, 1), y=("K", 0, 60), fixed={"r": -0.1, "L": 10, "R": 15}), "'r'"),
        (dict(x=("rho", 0, 1), y=("K", 0, 60), fixed={"r": 0.1, "L": 10, "R": 15}), "rho"),
    ],
)
def test_bad_input_names_the_parameter(kwargs, message):
    with pytest.raises(ParameterError, match=message):
        regions(LENDING, **kwargs)
