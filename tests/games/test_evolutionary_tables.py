"""Checking published stability tables as journals print them (check_table)."""

from __future__ import annotations

import re

import pytest
import sympy as sp
from test_evolutionary import GBG_HAND, gbg_game  # the same directory

import alliance as al
from alliance.errors import ParameterError
from alliance.games.evolutionary import EvolutionaryGame
from alliance.games.evolutionary.journal import JournalReader, normalise_text
from alliance.games.evolutionary.tables import published_verdict, read_journal_table


def _journal(text: str) -> str:
    """How a PDF prints an expression: Unicode minus, middle dots, juxtaposition, Greek."""
    text = text.replace("alpha", "α").replace("p*L", "pL").replace("*", "·")
    return text.replace("-", "−")


def test_a_table_pasted_from_a_journal_checks_without_hand_editing():
    ev = EvolutionaryGame(gbg_game())
    lines = ["Point | λ1 | λ2 | λ3"]
    for k, (corner, values) in enumerate(GBG_HAND.items()):
        lines.append(f"E{k + 1} {corner} | " + " | ".join(_journal(v) for v in values))
    text = "\n".join(lines)
    assert "−" in text and "·" in text and "α" in text
    check = ev.check_table(text)
    assert check.ok and len(check.rows) == 24 and check.unchecked == ()
    assert list(check.rows["label"][:2]) == ["E1", "E1"]


def test_juxtaposition_subscripts_and_dashes():
    C1, c2, p, L = sp.symbols("C_1 c2 p L")
    reader = JournalReader({"C_1": C1, "c2": c2, "p": p, "L": L})
    assert reader.parse("C₁ – 2pL") == C1 - 2 * p * L
    assert reader.parse("C1 — c_2") == C1 - c2
    assert reader.parse("(1 − p)(L + C_1)") == (1 - p) * (L + C1)
    assert reader.parse("p × L ÷ 2") == p * L / 2
    assert reader.parse("λ₁ = −pL") == -p * L
    assert normalise_text("x²") == "x**2"
    with pytest.raises(ParameterError, match="unknown name 'q'"):
        reader.parse("q + p")
    with pytest.raises(ParameterError, match="not arithmetic"):
        reader.parse("p ; L")
    with pytest.raises(ParameterError, match="not arithmetic|is not allowed"):
        reader.parse("__import__('os')")
    with pytest.raises(ParameterError, match="is not allowed"):
        reader.parse("__import__(p)")


def test_users_own_symbols_match_by_name_whatever_their_assumptions():
    ev = EvolutionaryGame(gbg_game())
    assert ev.game.symbols["c"].is_positive
    c, r, p, L, k = sp.symbols("c r p L k")  # plain symbols, no assumptions
    check = ev.check_table({(0, 0, 0): [-c, r - p * L, -k]})
    assert check.ok
    unchecked = check.unchecked
    assert len(unchecked) == 7 and (1, 1, 1) in unchecked
    assert "unchecked: 7 corners" in repr(check)


def test_aliases_and_the_papers_coordinate_order():
    ev = EvolutionaryGame(gbg_game())
    # The paper writes the bank first, then the guarantor, then the government, and
    # calls the support cost C_g.
    paper = {}
    for (x, y, z), values in GBG_HAND.items():
        paper[f"({y}, {z}, {x})"] = [v.replace("c", "C_g") if v.startswith(("-c", "c", "w - c")) else v for v in values]
    check = ev.check_table(
        paper, aliases={"C_g": "c"}, coordinates=("Bank", "Guarantor", "Government")
    )
    assert check.ok, check


def lending_pair():
    """Bank (lend/refuse) × SME (repay/default): r, b, c, d positive."""
    return al.NormalFormGame.from_payoffs(
        {("lend", "repay"): ("r", "b"), ("lend", "default"): ("-c", "b + d"),
         ("refuse", "repay"): (0, 0), ("refuse", "default"): (0, 0)},
        players=("Bank", "SME"), params={"r": "positive", "c": "positive", "b": "positive",
                                          "d": "positive"},
    )  # fmt: skip


def test_determinant_and_trace_with_verdicts_and_diagnoses():
    ev = EvolutionaryGame(lending_pair())
    r, d = (ev.game.symbols[n] for n in "rd")
    derived = dict(zip(*(ev.stability_table(points="corners")[k] for k in ("point", "eigenvalues"))))
    assert derived[(1, 1)] == (-r, d)  # lend/repay: the SME gains d by defaulting
    text = """
    Equilibrium   det(J)     tr(J)        Stability
    E1 (0, 0)     0          −c           Non-hyperbolic
    E2 (1, 0)     c·d        c – d        Saddle point
    E3 (0, 1)     0          −r           Saddle point
    E4 (1, 1)     d − r      −r·d         ESS
    """
    check = ev.check_table(text)
    errors = check.errors.set_index(["corner", "quantity"])["diagnosis"].to_dict()
    assert errors == {
        ((1, 0), "det"): "sign slip",
        ((0, 1), "tr"): "sign slip",
        ((0, 1), "verdict"): "wrong verdict",
        ((1, 1), "det"): "det/tr interchanged",
        ((1, 1), "tr"): "det/tr interchanged",
        ((1, 1), "verdict"): "wrong verdict",
    }
    assert len(check.rows) == 12
    assert "published Saddle point, derived unstable" in repr(check)
    latex = check.to_latex(caption="Errata")
    assert latex.count("wrong verdict") == 2 and latex.count(r"\\") == 7
    assert "<table" in check._repr_html_() and "det/tr interchanged" in check._repr_html_()
    assert list(check.errata().columns) == ["point", "entry", "printed", "correct", "error"]


def test_a_copied_neighbour_is_one_pattern_not_many_sign_slips():
    ev = EvolutionaryGame(gbg_game())
    published = {k: list(v) for k, v in GBG_HAND.items()}
    # The paper copies the guarantor's eigenvalue of the corner with the guarantor
    # switched into every corner (what a neighbour's expression pasted down a column does).
    for (x, y, z) in GBG_HAND:
        published[(x, y, z)][2] = GBG_HAND[(x, y, 1 - z)][2]
    check = ev.check_table(published)
    assert len(check.errors) == 8
    assert set(check.errors["diagnosis"]) == {"neighbour's value"}
    (line,) = check.patterns
    assert line.startswith("8 entries repeat the value of the neighbouring corner with Guarantor")
    assert repr(check).count("\n") == 3  # the head, the pattern, the summary line


def test_a_shifted_column_is_one_pattern():
    ev = EvolutionaryGame(gbg_game())
    published = {k: [v[1], v[2], v[0]] for k, v in GBG_HAND.items()}
    check = ev.check_table(published)
    assert not check.ok
    assert any(re.match(r"column λ1 holds the derived λ2 at all 8 corners", p) for p in check.patterns)
    assert any(re.match(r"column λ2 holds the derived λ3 at all 8 corners", p) for p in check.patterns)
    assert any(re.match(r"column λ3 holds the derived λ1 at all 8 corners", p) for p in check.patterns)
    assert set(check.errors["diagnosis"]) == {"column shifted"}


def test_verdict_words_and_bad_verdicts():
    assert published_verdict("Saddle point") == "saddle"
    assert published_verdict("asymptotically stable") == "ESS"
    with pytest.raises(ParameterError, match="published verdict 'maybe'"):
        published_verdict("maybe")
    rows = read_journal_table("E1 (0,1)\t−a\tb\t(−, +)\tsaddle")
    assert rows["(0,1)"] == {"label": "E1", "eigenvalues": ["−a", "b"], "verdict": "saddle"}
    with pytest.raises(ParameterError, match="no line holds a corner"):
        read_journal_table("nothing here")
