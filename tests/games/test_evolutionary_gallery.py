"""The gallery of published tables is checked, and the errata page is generated from it."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import sympy as sp

from alliance.errors import ModelFileError
from alliance.games.evolutionary.gallery import (
    NOT_IN_GALLERY,
    SEARCHES,
    TARGET,
    check_entry,
    errata_markdown,
    gallery,
)
from alliance.games.evolutionary.tables import (
    check_consistency,
    published_verdict,
    read_journal_table,
)

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


# Complexity (2022) article 8286436, Table 3, as stored at
# https://preview.hindawi.com/journals/complexity/2022/8286436/tab3 (cut off after these eight
# rows). It is not in the gallery; this checks the reason the errata page gives.
BANKRUPTCY_TABLE_3 = {
    (0, 1, 1, 1): ["B1 − C1 − M1", "C4 − C2 − E1 + W1", "C5 − G4 − H1 + W5", "C7 − C6 + F1 + W3 + W8 − W9"],
    (0, 1, 0, 1): [" − C1 − M1", "C4 − C2 − E1", "C5 − G4 − H1 + W5", "C7 − C6 + W6 + W8 − W9"],
    (0, 1, 0, 0): ["B1 − C1 + L1", "C4 − C2 − E1 + J1", "C5 − G4 − H1 − R1 + R2 + W5", "C7 − C6 + W6 + W8 − W9"],
    (0, 0, 0, 0): ["B1 − C1 + L1", "C4 − C2 − E1 + J1", "C5 − G4 − H1 + N1 − R1 + R2 + W5",
                   "C7 − C6 − W2 + W6 + W8 − W9"],
    (0, 0, 1, 1): ["B1 − C1 − M1 + S3", "C4 − C2 − E1 + W1", "C5 − G4 − H1 + W5", "C7 − C6 − W2 + W3 + W8 − W9"],
    (0, 0, 0, 1): ["S3 − M1 − C1", "C4 − C2 − E1", "C5 − G4 − H1 + W5", "C7 − C6 − W2 + W6 + W8 − W9"],
    (0, 1, 1, 0): ["B1 − C1 + L1", "C4 − C2 − E1 + J1 + W1", "C5 − G4 − H1 − R1 + R2 + W5",
                   "C7 − C6 + F1 + W3 + W8 − W9"],
    (0, 0, 1, 0): ["B1 − C1 + L1", "C4 − C2 − E1 + J1 + W1", "C5 − G4 − H1 + N1 − R1 + R2 + W5",
                   "C7 − C6 − W2 + W3 + W8 − W9"],
}
BANKRUPTCY_PARAMETERS = (
    "B1 C1 C2 C4 C5 C6 C7 E1 F1 G4 H1 J1 L1 M1 N1 R1 R2 S3 W1 W2 W3 W5 W6 W8 W9".split()
)


def test_bankruptcy_table_is_left_out_because_no_column_order_fits():
    from itertools import permutations

    reason = dict(NOT_IN_GALLERY)
    (key,) = [k for k in reason if "8286436" in k]
    assert "no order of its four eigenvalue columns" in reason[key]
    for order in permutations(range(4)):
        table = {c: [row[j] for j in order] for c, row in BANKRUPTCY_TABLE_3.items()}
        check = check_consistency(table, BANKRUPTCY_PARAMETERS)
        # twelve pairs of listed corners differ in one of populations 2-4; none is opposite
        assert len(check.rows) == 12 and not check.rows["match"].any(), order


def test_papers_left_out_are_not_in_the_gallery_and_the_shortfall_is_stated():
    page = errata_markdown()
    held = gallery()
    titles = {e.title for e in held}
    for paper, why in NOT_IN_GALLERY:
        assert why and not any(t in paper for t in titles)
        assert f"- {paper}: {why}." in page
    shortfall = f"The gallery holds {len(held)} of the {TARGET} papers"
    assert (shortfall in page) == (len(held) < TARGET)


def test_each_paper_left_out_is_listed_once_and_the_searches_are_on_the_page():
    papers = [paper for paper, _ in NOT_IN_GALLERY]
    assert len(papers) == len(set(papers))
    page = errata_markdown()
    assert "## Searches run for the second and third passes" in page
    for corpus, query in SEARCHES:
        assert corpus in {"pages", "code", "docs", "find_string", "find_repos", "find_files", "fetch"}
        assert query
        assert f"- {corpus}: {query}" in page
    # The shortfall sentence counts the items listed, not a number typed in.
    assert f"the {len(NOT_IN_GALLERY)} items above say why" in " ".join(page.split())
    assert "### The second pass" in page and "### The third pass" in page


# A bank-SME lending game written for these tests (not a published one): the bank lends or
# refuses, the SME repays or defaults; its "published" table below carries one sign slip and
# one wrong verdict, so the derived check must find exactly those two and nothing else.
LENDING_TOML = '''
[citation]
title = "A lending game written for the tests"
journal = "none"
year = 2026
urls = ["none"]
authors = []
doi = ""
missing = ["authors and DOI: a test fixture, not a paper"]

[table]
populations = 2
check = "derived"
parameters = ["r", "L", "R", "c"]
text = """
Point | λ1 | λ2 | Stability
(0, 0) | −L | −c | ESS
(1, 0) | L | −(1 + r)L | Saddle point
(0, 1) | rL | −c | Unstable
(1, 1) | −rL | (1 + r)L | ESS
"""

[game]
players = ["Bank", "SME"]
strategies = [["lend", "refuse"], ["repay", "default"]]
assumptions = { r = "positive", L = "positive", R = "positive", c = "positive" }
payoffs = [
    ["lend", "repay", "r*L", "R - (1 + r)*L"],
    ["lend", "default", "-L", "R"],
    ["refuse", "repay", "0", "-c"],
    ["refuse", "default", "0", "0"],
]
'''


def test_a_table_is_checked_against_the_one_derived_from_its_payoff_matrix(tmp_path):
    (tmp_path / "lending.toml").write_text(LENDING_TOML, encoding="utf-8")
    (entry,) = gallery(tmp_path)
    assert entry.check == "derived" and entry.game["players"] == ["Bank", "SME"]
    check = check_entry(entry)
    # Two eigenvalues and a verdict at each of the four corners.
    assert len(check.rows) == 12 and not check.unchecked
    found = {(r.corner, r.quantity, r.diagnosis) for r in check.errors.itertuples()}
    # The SME's gain from repaying when the bank refuses is -c, so at (0, 1) its eigenvalue
    # is +c; and at (1, 1) the eigenvalues -rL < 0 < (1 + r)L make a saddle, not an ESS.
    assert found == {((0, 1), "λ2", "sign slip"), ((1, 1), "verdict", "wrong verdict")}
    page = errata_markdown([entry])
    assert "12 printed entries (the corners' table) checked against what the toolkit derives " \
           "from the payoff matrix; 10 agree, 2 do not." in page
    assert "| (0, 1) | λ2 | `-c` | `c` |" in page
    assert "**Check used when the payoff matrix was read.**" in page
    assert "**Check used.** With two strategies" not in page


def test_a_gallery_file_with_a_bad_game_is_refused_naming_the_field(tmp_path):
    cases = {
        "no_game": (LENDING_TOML.split("[game]")[0], "needs a [game] section"),
        "bad_check": (LENDING_TOML.replace('check = "derived"', 'check = "eyeball"'), "check is 'eyeball'"),
        "short_row": (LENDING_TOML.replace('["refuse", "default", "0", "0"]', '["refuse", "default", "0"]'),
                      "has 3 cells"),
        "unknown_sign": (LENDING_TOML.replace('c = "positive" }', 'c = "positive", k = "positive" }'),
                         "assumptions name k"),
        "bad_payoff": (LENDING_TOML.replace('"R - (1 + r)*L"', '"__import__(1)"'), "[game]"),
    }
    for name, (text, message) in cases.items():
        folder = tmp_path / name
        folder.mkdir()
        (folder / f"{name}.toml").write_text(text, encoding="utf-8")
        with pytest.raises(ModelFileError, match=re.escape(message)):
            check_entry(gallery(folder)[0])


def test_the_readme_states_the_gallery_as_it_is():
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    readme = " ".join(readme.split())
    held = gallery()
    words = {1: "one paper", 2: "two papers", 3: "three papers", 4: "four papers", 5: "five papers",
             6: "six papers"}
    errors = sum(len(check_entry(e).errors) for e in held)
    assert f"holds {words.get(len(held), f'{len(held)} papers')} so far ({errors} errors" in readme
    assert f"the {len(NOT_IN_GALLERY)} entries for papers and table pages read in part" in readme


def test_debt_equity_swap_paper_reproduced_and_its_errors_found():
    (entry,) = [e for e in gallery() if e.key == "caijingjie_2017_debt_equity_swap"]
    assert entry.check == "derived" and entry.citation["doi"].endswith("f.2017.02.090")
    check = check_entry(entry)
    rows = check.rows
    # What the paper got right: the replicator dynamics behind Table 2 (every corner's
    # det, tr and verdict but one cell), its interior point E (a rest point, trace 0),
    # eleven of its twelve derivatives of E's coordinates, the area S of the basin BDCE
    # and two of the ten derivatives of S.
    assert len(rows) == 39 and int(rows["match"].sum()) == 28 and not check.unchecked
    corners = rows[rows["label"] != "E"]
    assert len(corners) == 12 and int(corners["match"].sum()) == 11
    e_rows = rows[rows["label"] == "E"].set_index("quantity")
    assert e_rows.loc[["dx/dt = 0", "dy/dt = 0", "tr"], "match"].all()
    # What it got wrong: a stray "+" makes B's determinant unreadable (read without it,
    # it is right); E's determinant lacks the denominator D1·D2 (D1 = dp + c1 - a,
    # D2 = Δu2 - Δe2 - dp - b + c2); and dy*/da is printed 0 (the paper concludes that the
    # enterprise's asset sale a does not matter to the bank) while it is -(dp + u1q)/D1².
    # And eight derivatives of S printed without the factor 1/2 that S carries (twice their
    # value; their signs, which the paper's conclusions use, are right).
    found = {(r.label, r.quantity, r.diagnosis) for r in check.errors.itertuples()}
    halved = {("E", f"dS/d{v}", "wrong expression") for v in ("u1", "q", "c1", "c2", "a", "b", "Du2", "De2")}
    assert found == {("B", "det", "unreadable as printed"), ("E", "det", "wrong expression"),
                     ("E", "dy*/da", "wrong expression")} | halved
    for quantity in ("dS/du1", "dS/dDe2"):
        assert e_rows.loc[quantity, "detail"].endswith("the published value is the derived one times 2")
    assert e_rows.loc[["area", "dS/dd", "dS/dp"], "match"].all()
    assert "it equals the derived value" in check.errors.set_index("label").loc["B", "detail"]
    symbols = {s.name: s for s in entry.evolutionary_game().params}
    d, p, q, u1, a, c1 = (symbols[n] for n in ("d", "p", "q", "u1", "a", "c1"))
    derived = e_rows.loc["dy*/da", "derived"]
    assert sp.cancel(derived + (d * p + q * u1) / (d * p + c1 - a) ** 2) == 0
    du2, de2, b, c2 = (symbols[n] for n in ("Du2", "De2", "b", "c2"))
    factor = (d * p + c1 - a) * (du2 - de2 - d * p - b + c2)
    assert sp.cancel(e_rows.loc["det", "published"] - e_rows.loc["det", "derived"] * factor) == 0


TWO_BY_TWO = '''
[citation]
title = "A fixture"
journal = "none"
year = 2026
urls = ["none"]
missing = ["authors and DOI: a test fixture"]

[table]
populations = 2
check = "derived"
parameters = ["r", "L", "c"]
text = """
Point | det J | | tr J | Stability
(0, 0) | Lc | + | −L − c | ESS
"""
{extra}

[game]
players = ["Bank", "SME"]
strategies = [["lend", "refuse"], ["repay", "default"]]
assumptions = {{ r = "positive", L = "positive", c = "positive" }}
payoffs = [
    ["lend", "repay", "r*L", "-r*L"],
    ["lend", "default", "-L", "0"],
    ["refuse", "repay", "0", "-c"],
    ["refuse", "default", "0", "0"],
]
'''


def test_a_typo_must_be_unreadable_and_an_interior_point_must_be_a_rest_point(tmp_path):
    def entry(extra):
        (tmp_path / "a.toml").write_text(TWO_BY_TWO.format(extra=extra), encoding="utf-8")
        return gallery(tmp_path)[0]

    # The sign column is dropped; the corner's det and tr are read and match.
    assert check_entry(entry("")).ok
    # A "typo" whose cell the parser reads as printed is refused: it is not a typo.
    typo = '[[table.typo]]\ncorner = "(0, 0)"\nquantity = "det"\nprinted = "Lc"\nread_as = "L*c"'
    with pytest.raises(ModelFileError, match="readable as printed; it is not a typo"):
        check_entry(entry(typo))
    with pytest.raises(ModelFileError, match="is not in the tr cell"):
        check_entry(entry(typo.replace('"det"', '"tr"')))
    # An interior point that is not a rest point is reported, not trusted.
    rows = check_entry(entry('[interior]\nlabel = "E"\npoint = ["1/2", "1/2"]\ntr = "0"')).rows
    interior = rows[rows["label"] == "E"].set_index("quantity")
    assert interior.loc["dx/dt = 0", "diagnosis"] == "not a rest point"
    assert not interior["match"].all()


def test_trade_credit_nash_conditions_reproduced():
    (entry,) = [e for e in gallery() if e.key == "springerplus_2016_trade_credit_default_risk"]
    assert entry.check == "first-order" and entry.citation["doi"] == "10.1186/s40064-016-3346-3"
    check = check_entry(entry)
    # What the paper got right: both first-order conditions (12)-(13) are the derivatives of
    # the printed profits (10)-(11), and the lot size (14) is the retailer's best response (a
    # maximum). The stored page stops before the equilibrium trade-credit period.
    assert list(check.rows["label"]) == ["(12)", "(13)", "(14)"] and check.ok
    assert "a maximum" in check.rows.set_index("label").loc["(14)", "detail"]


FIRST_ORDER = '''
[citation]
title = "A fixture"
journal = "none"
year = 2026
urls = ["none"]
missing = ["authors and DOI: a test fixture"]

[table]
check = "first-order"
parameters = ["p", "c"]
text = "none"

[game]
notation = "latex"
players = ["lender"]
variables = ["r"]
assumptions = {{ c = "positive" }}
payoffs = ['r\\left( {{p - r}} \\right) - c']

[[claim]]
label = "(1)"
kind = "derivative"
player = "lender"
printed = '{derivative}'

[[claim]]
label = "(2)"
kind = "best response"
player = "lender"
printed = '{best}'
'''


def test_first_order_claims_that_are_wrong_are_flagged(tmp_path):
    def check(derivative, best):
        (tmp_path / "a.toml").write_text(FIRST_ORDER.format(derivative=derivative, best=best),
                                         encoding="utf-8")
        return check_entry(gallery(tmp_path)[0]).rows.set_index("label")

    right = check("p - 2r", "\\frac{p}{2}")
    assert right["match"].all()
    wrong = check("p - r", "p")
    assert wrong.loc["(1)", "diagnosis"] == "wrong expression"
    assert wrong.loc["(2)", "diagnosis"] == "not a best response"
    # A LaTeX command the rewriting does not know is refused, naming it.
    with pytest.raises(ModelFileError, match="is not read here"):
        check("\\alpha p", "p")


def test_an_area_needs_its_orientation_and_is_the_shoelace_area(tmp_path):
    interior = ('[interior]\nlabel = "E"\npoint = ["c/(r*L + c)", "1/(1 + r)"]\n'
                '[interior.area]\nvertices = ["(0, 1)", "(1, 1)", "(1, 0)", "E"]\n')
    (tmp_path / "a.toml").write_text(TWO_BY_TWO.format(extra=interior), encoding="utf-8")
    with pytest.raises(ModelFileError, match="orientation is None"):
        check_entry(gallery(tmp_path)[0])
    # The quadrilateral (0,1), (1,1), (1,0), (x, y) has area (2 - x - y)/2.
    printed = 'printed = "(2 - c/(r*L + c) - 1/(1 + r))/2"\n'
    (tmp_path / "a.toml").write_text(
        TWO_BY_TWO.format(extra=interior + 'orientation = "clockwise"\n' + printed), encoding="utf-8")
    rows = check_entry(gallery(tmp_path)[0]).rows.set_index("quantity")
    assert rows.loc["area", "match"]
