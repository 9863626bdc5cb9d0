"""A new economist's first hour: the README's first session typed into a fresh notebook.

The notebook is built from the README (its "A first session" section, one cell per
statement, as one types them), executed by a Jupyter kernel in a temporary directory, and its
saved outputs are checked: equilibria show as HTML tables, and short work leaves no progress
bar (no widget, no tqdm text) in the stored notebook (issue 15).
"""

from __future__ import annotations

import doctest
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def first_session_cells() -> list[str]:
    """The statements of the README's first session, in order (shell blocks left out)."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split("## A first session", 1)[1].split("\n## ", 1)[0]
    blocks = re.findall(r"```python\n(.*?)```", section, flags=re.S)
    parser = doctest.DocTestParser()
    return [ex.source.rstrip("\n") for block in blocks for ex in parser.get_examples(block)]


def test_the_readme_has_a_first_session():
    cells = first_session_cells()
    assert len(cells) >= 5
    assert any(c.startswith("import alliance") for c in cells)
    assert any(c.endswith(".equilibria()") for c in cells)


def test_first_hour_notebook_shows_tables_and_no_progress_bars(tmp_path, monkeypatch):
    nbformat = pytest.importorskip("nbformat")
    nbclient = pytest.importorskip("nbclient")
    cells = first_session_cells()
    notebook = nbformat.v4.new_notebook()
    notebook.cells = [nbformat.v4.new_code_cell(source) for source in cells]
    path = tmp_path / "first_hour.ipynb"
    nbformat.write(notebook, path)

    # the kernel imports this checkout of alliance (not another installed copy)
    monkeypatch.setenv("PYTHONPATH", str(ROOT))
    monkeypatch.setenv("MPLBACKEND", "Agg")
    ran = nbformat.read(path, as_version=4)
    nbclient.NotebookClient(
        ran, timeout=120, kernel_name="python3", resources={"metadata": {"path": str(tmp_path)}}
    ).execute()
    nbformat.write(ran, path)
    stored = nbformat.read(path, as_version=4)  # what a saved notebook keeps

    outputs = [(cell.source, out) for cell in stored.cells for out in cell.get("outputs", [])]
    assert all(out.get("output_type") != "error" for _, out in outputs)
    # every equilibria() call shows a table
    equilibria_cells = [c for c in stored.cells if c.source.endswith(".equilibria()")]
    assert equilibria_cells
    for cell in equilibria_cells:
        html = [o["data"]["text/html"] for o in cell.outputs if "text/html" in o.get("data", {})]
        assert html and "<table" in html[0], cell.source
    # no progress bar for this short work: no widget, no tqdm text on stderr
    for source, out in outputs:
        assert "application/vnd.jupyter.widget-view+json" not in out.get("data", {}), source
        if out.get("output_type") == "stream":
            assert not re.search(r"\d+%\||it/s|s/it", out["text"]), (source, out["text"])
    assert "widgets" not in stored.metadata
