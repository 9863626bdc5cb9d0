"""The network drawing: the legend covers no node, names cover no marker and no other name,
and the saved PDF is vector only (issue 15)."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from alliance.figures import draw_network, savefig  # noqa: E402
from alliance.network import load_example_alliance  # noqa: E402


def _marker_boxes(ax, renderer):
    """Display-space boxes (x0, y0, x1, y1) of every node marker of the drawing."""
    boxes = []
    for collection in ax.collections:
        if collection.get_gid() not in ("members", "institutions") and not len(
            collection.get_offsets()
        ):
            continue
        offsets = ax.transData.transform(collection.get_offsets())
        sizes = np.broadcast_to(collection.get_sizes(), (len(offsets),))
        radius = np.sqrt(sizes) / 2 * ax.figure.dpi / 72.0  # points² -> pixels
        boxes.append(np.column_stack([offsets - radius[:, None], offsets + radius[:, None]]))
    return np.vstack(boxes)


def _overlap(a, b):
    return (a[0] < b[2]) and (a[2] > b[0]) and (a[1] < b[3]) and (a[3] > b[1])


@pytest.fixture(scope="module")
def drawing():
    ax = draw_network(load_example_alliance())
    fig = ax.figure
    fig.canvas.draw()
    yield ax, fig.canvas.get_renderer()
    plt.close(fig)


def test_legend_covers_no_node(drawing):
    ax, renderer = drawing
    legend = ax.get_legend()
    assert legend is not None
    box = legend.get_window_extent(renderer)
    nodes = _marker_boxes(ax, renderer)
    assert len(nodes) == 32  # 30 members, the fund and the guarantee company
    covered = [n for n in nodes if _overlap((box.x0, box.y0, box.x1, box.y1), n)]
    assert covered == []


def test_names_cover_no_marker_and_no_other_name(drawing):
    ax, renderer = drawing
    names = [t for t in ax.texts if t.get_gid() == "node-label"]
    assert len(names) == 32
    boxes = []
    for text in names:
        assert text.get_bbox_patch().get_facecolor()[:3] == (1.0, 1.0, 1.0)  # white box
        b = text.get_window_extent(renderer)
        boxes.append((b.x0, b.y0, b.x1, b.y1))
    nodes = _marker_boxes(ax, renderer)
    centres = (nodes[:, :2] + nodes[:, 2:]) / 2
    for k, box in enumerate(boxes):
        for j, node in enumerate(nodes):
            # its own marker is next to it by construction; others must stay clear
            if np.allclose(centres[j], ax.transData.transform(names[k].xy)):
                continue
            assert not _overlap(box, node), (names[k].get_text(), j)
        for other in boxes[k + 1:]:
            assert not _overlap(box, other), names[k].get_text()


def test_saved_pdf_has_no_raster_image(drawing, tmp_path):
    ax, _ = drawing
    (pdf,) = savefig(ax.figure, tmp_path / "network")
    data = pdf.read_bytes()
    assert data[:4] == b"%PDF"
    assert b"/Subtype /Image" not in data and b"/Subtype/Image" not in data
