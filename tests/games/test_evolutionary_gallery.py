"""The gallery of published tables is checked, and the errata page is generated from it."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import sympy as sp

from alliance.errors import ModelFileError
from alliance.games.evolutionary.gallery import (
    NOT_IN_GALLERY,
    SEARCH_PASSES,
    SEARCHES,
    TARGET,
    check_entry,
    errata_markdown,
    gallery,
    searches_heading,
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
    assert "## Searches run for the second, third, fourth and fifth passes" in page
    assert f"## Searches run for {searches_heading()}" in page
    for corpus, query in SEARCHES:
        assert corpus in {"pages", "code", "docs", "find_string", "find_repos", "find_files", "fetch",
                          "read_file"}
        assert query
        assert f"- {corpus}: {query}" in page
    # The shortfall sentence counts the items listed, not a number typed in.
    assert f"the {len(NOT_IN_GALLERY)} items above say why" in " ".join(page.split())
    assert all(f"### The {name} pass" in page for name in ("second", "third", "fourth", "fifth"))
    # Every pass's searches are listed under their own heading, in order.
    starts = [page.index(f"### The {name} pass") for name, _ in SEARCH_PASSES]
    assert starts == sorted(starts)
    assert [name for name, _ in SEARCH_PASSES] == ["second", "third", "fourth", "fifth"]
    assert SEARCHES == tuple(search for _, searches in SEARCH_PASSES for search in searches)


def fixture_entry(folder, text, name="a"):
    """The one gallery entry of ``folder`` after writing ``text`` there as ``name``.toml."""
    (folder / f"{name}.toml").write_text(text, encoding="utf-8")
    (entry,) = gallery(folder)
    return entry


def assert_refused(tmp_path, cases):
    """Each case (name: (file text, message)) is refused by the reader or the check, naming it."""
    for name, (text, message) in cases.items():
        folder = tmp_path / name
        folder.mkdir()
        with pytest.raises(ModelFileError, match=re.escape(message)):
            check_entry(fixture_entry(folder, text, name))


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
    entry = fixture_entry(tmp_path, LENDING_TOML, "lending")
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
    assert_refused(tmp_path, cases)


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
    # A printed 0 is no multiple of the derived value worth naming ("times 0").
    assert "times" not in e_rows.loc["dy*/da", "detail"]
    assert sp.cancel(derived + (d * p + q * u1) / (d * p + c1 - a) ** 2) == 0
    du2, de2, b, c2 = (symbols[n] for n in ("Du2", "De2", "b", "c2"))
    factor = (d * p + c1 - a) * (du2 - de2 - d * p - b + c2)
    assert sp.cancel(e_rows.loc["det", "published"] - e_rows.loc["det", "derived"] * factor) == 0


# The [citation] of the small fixtures below (none of them is a paper).
FIXTURE_CITATION = """
[citation]
title = "A fixture"
journal = "none"
year = 2026
urls = ["none"]
missing = ["authors and DOI: a test fixture"]
"""


TWO_BY_TWO = FIXTURE_CITATION + '''
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
        return fixture_entry(tmp_path, TWO_BY_TWO.format(extra=extra))

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


def test_printed_interior_values_are_read_only_by_the_safe_reader(tmp_path):
    # The printed det, tr, area and derivatives are file text: the safe reader alone reads
    # them, so code there is refused, naming the entry and the field, and never evaluated.
    point = '[interior]\nlabel = "E"\npoint = ["c/(r*L + c)", "1/(1 + r)"]\n'
    area = '[interior.area]\nvertices = ["(0, 1)", "(1, 1)", "(1, 0)", "E"]\norientation = "clockwise"\n'
    code = "__import__(1)"
    cases = {
        "det": (point + f'det = "{code}"\n', "gallery entry det: E det"),
        "tr": (point + f'tr = "{code}"\n', "E tr"),
        "area": (point + area + f'printed = "{code}"\n', "E area"),
        "derivative": (point + f'derivative = [{{ of = 1, by = "r", printed = "{code}" }}]\n', "E dx*/dr"),
    }
    assert_refused(tmp_path, {name: (TWO_BY_TWO.format(extra=extra), message)
                              for name, (extra, message) in cases.items()})


def test_trade_credit_nash_conditions_reproduced():
    (entry,) = [e for e in gallery() if e.key == "springerplus_2016_trade_credit_default_risk"]
    assert entry.check == "first-order" and entry.citation["doi"] == "10.1186/s40064-016-3346-3"
    check = check_entry(entry)
    # What the paper got right: both first-order conditions (12)-(13) are the derivatives of
    # the printed profits (10)-(11), and the lot size (14) is the retailer's best response (a
    # maximum). The stored page stops before the equilibrium trade-credit period.
    assert list(check.rows["label"]) == ["(12)", "(13)", "(14)"] and check.ok
    assert "a maximum" in check.rows.set_index("label").loc["(14)", "detail"]


FIRST_ORDER = FIXTURE_CITATION + '''
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
        entry = fixture_entry(tmp_path, FIRST_ORDER.format(derivative=derivative, best=best))
        return check_entry(entry).rows.set_index("label")

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
    with pytest.raises(ModelFileError, match="orientation is None"):
        check_entry(fixture_entry(tmp_path, TWO_BY_TWO.format(extra=interior)))
    # The quadrilateral (0,1), (1,1), (1,0), (x, y) has area (2 - x - y)/2.
    printed = 'printed = "(2 - c/(r*L + c) - 1/(1 + r))/2"\n'
    entry = fixture_entry(tmp_path, TWO_BY_TWO.format(extra=interior + 'orientation = "clockwise"\n' + printed))
    rows = check_entry(entry).rows.set_index("quantity")
    assert rows.loc["area", "match"]


def test_shielding_examples_reproduced_and_errors_found():
    (entry,) = [e for e in gallery() if e.key == "arbel_shielding_of_assets_lending"]
    assert entry.check == "examples" and entry.citation["authors"] == ["Yonathan A. Arbel"]
    check = check_entry(entry)
    rows = check.rows
    # What the paper got right: 33 of the 34 printed numbers of its worked examples follow from
    # its model (payoff (1), the lender's collection Min(e − t, b + r), the threshold condition
    # e − s(e) = b + r and the expected payment (4)) at the examples' printed values: full
    # shielding once the borrower shields (Proposition 1.1, Example 1), the thresholds of
    # Examples 2-4 and of footnotes 31-32, and the expected payoffs of lender and borrower in
    # Examples 3a and 4.
    assert len(rows) == 34 and int(rows["match"].sum()) == 33
    by_example = rows.groupby("label")["match"].agg(["size", "sum"])
    assert by_example.loc["Example 3a"].tolist() == [7, 7] and by_example.loc["Example 4"].tolist() == [7, 7]
    # What it got wrong: Example 2 prints the threshold 20000/3 as $6,666, truncated, not rounded.
    found = {(r.label, r.diagnosis, r.published, r.derived) for r in check.errors.itertuples()}
    assert found == {("Example 2", "truncated", 6666, sp.Rational(20000, 3))}
    assert "which rounds to 6667" in check.errors.set_index("label").loc["Example 2", "detail"]
    # The footnotes' "$0.5 per dollar" is read as a cost per dollar shielded (the paper's c(s));
    # read as Proposition 2's cost per dollar spent (k = 0.5) their thresholds would be lower,
    # and the page says so (computed, not typed).
    footnotes = rows[rows["label"].str.startswith("Footnote")].set_index("label")
    assert footnotes["match"].all() and len(footnotes) == 8
    thresholds = footnotes[footnotes["quantity"].str.contains("e\\*")]
    assert [d.endswith(f"instead it would be {v}") for d, v in zip(thresholds["detail"], (25000, 20000))] == [True, True]
    page = errata_markdown([entry])
    assert "- Footnote 31, wealth threshold e*: with sigma = 1 - 0.5 instead it would be 25000" in page


EXAMPLES = FIXTURE_CITATION + """
[table]
check = "examples"
parameters = ["D", "sigma", "e"]
text = "none"

[game]
players = ["borrower", "lender"]
variables = ["t"]
payoffs = ["sigma*t + max(0, e - t - D)", "min(e - t, D)"]

[[example]]
label = "E"
values = {{ D = "$1,000", sigma = "0.5" }}
distribution = {{ variable = "e", {law} }}
claim = [
    {{ quantity = "threshold", kind = "root", equation = "e - sigma*e = D", unknown = "e", printed = "{threshold}", name = "e_star", alternative = {{ sigma = "2/3" }} }},
    {{ quantity = "best t", kind = "best response", player = "borrower", over = ["0", "e"], at = {{ e = "1,500" }}, printed = "{best}" }},
    {{ quantity = "chance of repaying", kind = "probability", between = ["e_star", "4,000"], printed = "{chance}", name = "p" }},
    {{ quantity = "lender", kind = "value", expression = "D*p", printed = "{lender}" }},
    {{ quantity = "mean payoff", kind = "mean", expression = "max(max(0, e - D), sigma*e)", printed = "{mean}" }},
]
"""


def test_worked_examples_are_recomputed_and_wrong_numbers_flagged(tmp_path):
    def check(law='uniform = ["0", "4,000"]', threshold="$2,000", best="1,500", chance="50%",
              lender="500", mean="1,250"):
        entry = fixture_entry(tmp_path, EXAMPLES.format(law=law, threshold=threshold, best=best,
                                                        chance=chance, lender=lender, mean=mean))
        return check_entry(entry).rows.set_index("quantity")

    # Uniform on [0, 4000], D = 1000, s(t) = t/2: e* = 2000; at e = 1500 shielding all (750)
    # beats repaying (500); P(e >= 2000) = 1/2; the lender expects 500; and the borrower
    # E[max(e - 1000, e/2)] = (1/4000)(∫_0^2000 e/2 + ∫_2000^4000 (e - 1000)) = 1250.
    assert check()["match"].all()
    wrong = check(threshold="3,000", best="0", mean="1,249")
    assert wrong.loc["threshold", "diagnosis"] == "wrong value"
    # 3000 is the threshold with sigma = 2/3 (e - 2e/3 = 1000): the alternative is named.
    assert wrong.loc["threshold", "detail"].endswith("derived with sigma = 2/3")
    assert wrong.loc["best t", "diagnosis"] == "wrong value"
    assert not wrong.loc["mean payoff", "match"]
    # Finitely many points: e = 1000 (chance 1/4) or 3000: 3/4 repay; (1/4)500 + (3/4)2000.
    points = check(law='points = [["1,000", "1/4"], ["3,000", "3/4"]]', chance="75%", lender="750",
                   mean="1,625")
    assert points["match"].all()


def test_a_truncated_number_and_a_bad_examples_file_are_reported(tmp_path):
    text = EXAMPLES.format(law='uniform = ["0", "4,000"]', threshold="$2,000", best="1,500",
                           chance="50%", lender="500", mean="1,250")

    def threshold_row(printed):
        body = text.replace('printed = "$2,000"', f'printed = "{printed}"').replace(
            'sigma = "0.5" }', 'sigma = "0.85" }')
        return check_entry(fixture_entry(tmp_path, body)).rows.set_index("quantity").loc["threshold"]

    # sigma = 0.85: e* = 1000/0.15 = 20000/3 = 6666.67; 6,667 is it rounded (a match),
    # 6,666 is it truncated (named so), 6,000 is wrong.
    rounded = threshold_row("6,667")
    assert rounded["match"] and rounded["derived"] == sp.Rational(20000, 3)
    assert "rounded" in rounded["detail"]
    truncated = threshold_row("6,666")
    assert truncated["diagnosis"] == "truncated" and "which rounds to 6667" in truncated["detail"]
    assert threshold_row("6,000")["diagnosis"] == "wrong value"
    cases = {
        "no_example": (text.split("[[example]]")[0], "needs [[example]] sections"),
        "bad_kind": (text.replace('kind = "mean"', 'kind = "median"'), "claim kind is 'median'"),
        "bad_value": (text.replace('D = "$1,000"', 'Q = "1"'), "values name Q"),
        "no_law": (text.replace('distribution = { variable = "e", uniform = ["0", "4,000"] }', ""),
                   "needs the example's distribution"),
        "bad_law": (text.replace('uniform = ["0", "4,000"]', 'points = [["1", "0.6"], ["2", "0.6"]]'),
                    "sum to 1"),
        "bad_points": (text.replace('uniform = ["0", "4,000"]', 'points = [["1"], ["2", "1"]]'),
                       "E distribution"),
        "no_variable": (text.replace('player = "borrower"', 'player = "lender"'),
                        "player 'lender' has no decision variable"),
        # A misnamed value of another reading is refused like any other misnamed key.
        "bad_alternative": (text.replace('alternative = { sigma = "2/3" }', 'alternative = { s = "2/3" }'),
                            "claim 'threshold' lacks or misnames 's'"),
    }
    assert_refused(tmp_path, cases)
