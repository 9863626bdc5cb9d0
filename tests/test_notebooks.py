"""Every notebook in notebooks/ runs top to bottom and asserts the claims its text makes.

Notebooks are stored as jupytext percent scripts (``notebooks/*.py``) so that git diffs stay
readable and no outputs are committed; here each is converted and executed with nbclient in a
fresh temporary directory, where it writes its figures.
"""

from pathlib import Path

import pytest

NOTEBOOKS = sorted((Path(__file__).resolve().parent.parent / "notebooks").glob("*.py"))


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_notebook_runs_top_to_bottom(path, tmp_path, monkeypatch):
    jupytext = pytest.importorskip("jupytext")
    nbclient = pytest.importorskip("nbclient")
    notebook = jupytext.read(path)
    monkeypatch.setenv("MPLBACKEND", "Agg")
    client = nbclient.NotebookClient(
        notebook, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(tmp_path)}}
    )
    client.execute()
    pdfs = list(tmp_path.rglob("*.pdf"))
    assert pdfs, f"{path.name} wrote no PDF figure"
    for pdf in pdfs:
        assert pdf.read_bytes()[:4] == b"%PDF"
