"""The region map is a vector figure with math labels and an honest legend."""

import re

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

import alliance as al  # noqa: E402


def _lending_map(**kw):
    g = al.models.lending_game(symbolic=["pi", "F"])
    return al.figures.region_map(g, x=("pi", 0, 1), y=("F", 0, 100), resolution=61, **kw)


def test_pdf_has_no_raster_image(tmp_path):
    ax = _lending_map()
    path = tmp_path / "map.pdf"
    ax.figure.savefig(path)
    plt.close(ax.figure)
    assert re.search(rb"/Subtype\s*/Image", path.read_bytes()) is None


def test_axis_labels_are_math_for_every_parameter():
    ax = _lending_map()
    assert (ax.get_xlabel(), ax.get_ylabel()) == (r"$\pi$", "$F$")
    plt.close(ax.figure)


def test_legend_leaves_out_boundary_regions_and_explains_the_dot():
    g = al.models.lending_game(symbolic=["pi", "F"])
    rm = g.regions(("pi", 0, 1), ("F", 0, 100), resolution=61)
    ax = al.figures.region_map(rm, legend=True)
    shown = [t.get_text() for t in ax.get_legend().get_texts()]
    from alliance.figures.regions import MIN_LEGEND_SHARE

    assert shown == [r.label for r in rm.regions if r.share >= MIN_LEGEND_SHARE]
    notes = " ".join(t.get_text() for t in ax.texts)
    if any("·" in r.label for r in rm.regions):
        assert "mixed strategy" in notes
    if len(shown) < len(rm.regions):
        assert "boundaries" in notes
    plt.close(ax.figure)
