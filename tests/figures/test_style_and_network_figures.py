"""Tests of the figure style and of the network figures."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import networkx as nx  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402

from alliance.errors import NetworkError, ParameterError  # noqa: E402
from alliance.figures import (  # noqa: E402
    OKABE_ITO,
    draw_network,
    loss_decomposition,
    margin_curve,
    savefig,
    style_context,
    use_style,
)

PALETTE = ["#E69F00", "#56B4E9", "#009E73", "#F0E442", "#0072B2", "#D55E00", "#CC79A7", "#000000"]


@pytest.fixture(autouse=True)
def _restore_rc():
    with matplotlib.rc_context():
        yield
    plt.close("all")


def test_use_style_sets_fonts_palette_and_size():
    use_style()
    rc = plt.rcParams
    assert rc["pdf.fonttype"] == 42 and rc["ps.fonttype"] == 42
    assert [c.upper() for c in rc["axes.prop_cycle"].by_key()["color"]] == PALETTE
    assert list(OKABE_ITO.values()) == PALETTE
    assert rc["font.family"] == ["serif"]
    assert 8 <= rc["font.size"] <= 9
    assert not rc["axes.spines.top"] and not rc["axes.spines.right"]
    assert rc["savefig.dpi"] == 300 and rc["savefig.bbox"] == "tight"
    assert list(rc["figure.figsize"]) == [3.5, 2.6]
    use_style(width="double")
    assert plt.rcParams["figure.figsize"][0] == 7.0


def test_style_context_is_temporary():
    before = plt.rcParams["pdf.fonttype"]
    plt.rcParams["pdf.fonttype"] = 3
    with style_context(width="double"):
        assert plt.rcParams["pdf.fonttype"] == 42
        assert plt.rcParams["figure.figsize"][0] == 7.0
    assert plt.rcParams["pdf.fonttype"] == 3
    plt.rcParams["pdf.fonttype"] = before


@pytest.mark.parametrize("width", ["triple", -1.0, "x"])
def test_bad_width(width):
    with pytest.raises(ParameterError, match="width is"):
        use_style(width=width)


def test_savefig_writes_pdf_and_png(tmp_path):
    fig, ax = plt.subplots()
    ax.plot([0, 1], [0, 1])
    paths = savefig(fig, tmp_path / "sub" / "line.pdf", png=True)
    assert [p.name for p in paths] == ["line.pdf", "line.png"]
    assert paths[0].read_bytes()[:4] == b"%PDF"
    assert paths[1].read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    # TrueType fonts embedded, never Type 3, whatever the session's settings
    plt.rcParams["pdf.fonttype"] = 3
    ax.set_title("text")
    (pdf,) = savefig(fig, tmp_path / "text")
    assert b"/Type3" not in pdf.read_bytes()


def alliance_graph():
    g = nx.DiGraph()
    members = [
        ("M1", "manufacturing", 500, 0.03),
        ("M2", "manufacturing", 300, 0.06),
        ("M3", "manufacturing", 200, 0.05),
        ("A1", "agri-food", 400, 0.01),
        ("A2", "agri-food", 250, 0.02),
    ]
    for name, sector, demand, pd_ in members:
        g.add_node(name, role="member", sector=sector, demand=demand, pd=pd_)
    g.add_node("GuarCo", role="guarantor", sector=None, demand=0, pd=0)
    g.add_node("Fund", role="fund", sector=None, demand=0, pd=0)
    for a, b in [("M1", "M2"), ("M2", "M3"), ("M3", "M1")]:  # a guarantee circle
        g.add_edge(a, b, kind="guarantee", amount=100)
    g.add_edge("GuarCo", "A1", kind="guarantee", amount=150)
    g.add_edge("A2", "A1", kind="guarantee", amount=50)
    g.add_edge("M1", "A1", kind="trade", amount=80)
    g.add_edge("A2", "M3", kind="trade", amount=40)
    return g


def test_draw_network_highlights_circles_and_saves(tmp_path):
    ax = draw_network(alliance_graph())
    gids = sorted(p.get_gid() for p in ax.patches)
    assert gids.count("guarantee-circle") == 3
    assert gids.count("guarantee") == 2 and gids.count("trade") == 2
    circle_colour = matplotlib.colors.to_hex(
        next(p for p in ax.patches if p.get_gid() == "guarantee-circle").get_edgecolor()
    )
    assert circle_colour.upper() == OKABE_ITO["vermillion"]
    trade = next(p for p in ax.patches if p.get_gid() == "trade")
    assert trade.get_linestyle() in ("--", "dashed")
    squares = next(c for c in ax.collections if c.get_gid() == "institutions")
    assert len(squares.get_offsets()) == 2
    members = next(c for c in ax.collections if c.get_gid() == "members")
    sizes = dict(zip(["M1", "M2", "M3", "A1", "A2"], members.get_sizes(), strict=False))
    assert sizes["M1"] > sizes["M2"] > sizes["M3"]  # sized by demand
    assert len(ax.figure.axes) == 2  # the pd colour bar
    (pdf,) = savefig(ax.figure, tmp_path / "network")
    assert pdf.read_bytes()[:4] == b"%PDF"


def test_draw_network_options_and_network_object():
    class Holder:
        graph = alliance_graph()

    fig, ax = plt.subplots()
    out = draw_network(Holder(), ax=ax, circles=False, layout="spring", colorbar=False)
    assert out is ax
    assert not [p for p in ax.patches if p.get_gid() == "guarantee-circle"]
    with pytest.raises(ParameterError, match="layout is 'grid'"):
        draw_network(alliance_graph(), layout="grid")
    with pytest.raises(NetworkError, match="net_or_graph is a list"):
        draw_network([1, 2])


def test_draw_network_on_the_example_alliance():
    from alliance.network.example import load_example_alliance

    ax = draw_network(load_example_alliance())
    # 4 mutual pairs (8 chains) and circles of 3 and 4 members
    assert sum(p.get_gid() == "guarantee-circle" for p in ax.patches) == 15


def margin_frame():
    return pd.DataFrame(
        {
            "rho": [0.4, 0.0, 0.2],
            "margin": [40.0, 90.0, 70.0],
            "margin_se": [4.0, 2.0, 3.0],
            "multiplier": [1.4, 1.9, 1.7],
        }
    )


def test_margin_curve_band_and_twin(tmp_path):
    ax = margin_curve(margin_frame())
    line = ax.get_lines()[0]
    assert list(line.get_xdata()) == [0.0, 0.2, 0.4]  # sorted by x
    band = ax.collections[0].get_paths()[0].vertices[:, 1]
    assert band.min() == pytest.approx(40.0 - 8.0) and band.max() == pytest.approx(90.0 + 4.0)
    assert len(ax.figure.axes) == 2
    (pdf,) = savefig(ax.figure, tmp_path / "margin")
    assert pdf.read_bytes()[:4] == b"%PDF"


def test_margin_curve_accepts_standard_error_and_no_multiplier():
    frame = margin_frame().rename(columns={"margin_se": "standard_error"}).set_index("rho")
    fig, ax = plt.subplots()
    assert margin_curve(frame, ax=ax, multiplier=False) is ax
    assert len(fig.axes) == 1 and len(ax.collections) == 1
    with pytest.raises(ParameterError, match="column 'density' is missing"):
        margin_curve(frame, x="density")
    with pytest.raises(ParameterError, match="band is -1"):
        margin_curve(frame, band=-1)


def test_loss_decomposition_stacks(tmp_path):
    frame = pd.DataFrame(
        {"credit": [3.0, 2.0], "operational": [0.5, 0.4], "guarantor_risk": [0.0, 1.1]},
        index=["no circle", "circle"],
    )
    ax = loss_decomposition(frame)
    heights = [round(float(p.get_height()), 6) for p in ax.patches]
    assert heights == [3.0, 2.0, 0.5, 0.4, 0.0, 1.1]
    tops = [round(float(p.get_y() + p.get_height()), 6) for p in ax.patches[-2:]]
    assert tops == [3.5, 3.5]
    (pdf,) = savefig(ax.figure, tmp_path / "loss")
    assert pdf.read_bytes()[:4] == b"%PDF"
    fig, ax2 = plt.subplots()
    assert loss_decomposition(frame, ax=ax2, horizontal=True, normalize=True) is ax2


def test_loss_decomposition_bad_frames():
    with pytest.raises(ParameterError, match="column 'guarantor' is missing"):
        loss_decomposition(pd.DataFrame({"credit": [1.0], "operational": [1.0]}))
    bad = pd.DataFrame({"credit": [1.0], "operational": [-1.0], "guarantor": [0.0]}, index=["s"])
    with pytest.raises(ParameterError, match="operational of scenario 's' is -1"):
        loss_decomposition(bad)
