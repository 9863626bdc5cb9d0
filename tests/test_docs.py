"""The documentation site's pages are doctests: every result they print is computed here."""

import doctest
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PAGES = sorted(
    p for p in [ROOT / "docs" / "tutorial.md", *(ROOT / "docs" / "howto").glob("*.md")]
    if "index" not in p.name
)


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.name)
def test_page_examples_run(page, monkeypatch):
    import matplotlib

    matplotlib.use("Agg")
    monkeypatch.chdir(ROOT)
    result = doctest.testfile(
        str(page), module_relative=False, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE,
        verbose=False, report=True,
    )
    assert result.attempted > 0, f"{page.name} has no examples"
    assert result.failed == 0


def test_every_docstring_citation_of_a_document_exists():
    """Docstrings cite documents of this repository, never ones outside it."""
    import re

    offenders = []
    for path in (ROOT / "alliance").rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        for m in re.finditer(r"(?<![\w/])(MODELS\.md|ARCHITECTURE\.md|\.\./shared)", text):
            offenders.append(f"{path.relative_to(ROOT)}: {m.group(0)}")
    assert offenders == []
