"""The gallery of published tables is checked, and the errata page is generated from it."""

from __future__ import annotations

from pathlib import Path

from alliance.games.evolutionary.gallery import check_entry, errata_markdown, gallery
from alliance.games.evolutionary.tables import published_verdict, read_journal_table

ERRATA = Path(__file__).resolve().parents[2] / "docs" / "errata.md"


def test_the_errata_page_is_the_generated_one():
    assert ERRATA.read_text(encoding="utf-8") == errata_markdown(), (
        "docs/errata.md is stale: run python -m alliance.games.evolutionary.gallery docs/errata.md"
    )


def test_every_entry_cites_only_what_was_read():
    for entry in gallery():
        c = entry.citation
        assert c["title"] and c["journal"] and c["year"] and c["urls"]
        # A field left empty is said to be missing, never guessed.
        if not c.get("authors"):
            assert any("authors" in m for m in entry.missing)
        if not c.get("doi"):
            assert any("DOI" in m for m in entry.missing)


def test_debt_restructuring_table_reproduced_and_its_errors_found():
    (entry,) = [e for e in gallery() if e.key == "complexity_2022_2651538"]
    rows = read_journal_table(entry.text)
    assert len(rows) == 16 and all(len(r["eigenvalues"]) == 4 for r in rows.values())
    # The verdict column as printed: two conditional ESS in each table, the rest not ESS.
    verdicts = [published_verdict(r["verdict"]) for r in rows.values()]
    assert verdicts.count("conditional") == 3
    check = check_entry(entry)
    # What the paper got right: 29 of the 32 pairs of corners that differ in one
    # population carry opposite eigenvalues, as the identity requires.
    assert len(check.rows) == 32 and int(check.rows["match"].sum()) == 29
    found = {(r.corner, r.quantity) for r in check.errors.itertuples()}
    # What it got wrong: λ4 of (0,1,0,0) and (0,0,1,0) interchanged, and λ3 of (0,0,1,0)
    # printed with the sign of (0,0,0,0).
    assert found == {((0, 1, 0, 0), "λ4"), ((0, 0, 1, 0), "λ4"), ((0, 0, 0, 0), "λ3")}
    details = " ".join(check.errors["detail"])
    assert "the first is the opposite of λ4 at (0, 1, 0, 1)" in details
