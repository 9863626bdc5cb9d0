"""One number policy in report pages and their CSV files; snake_case headers; plurals."""

from __future__ import annotations

import re

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from alliance.io.page import Page
from alliance.io.report import payoff_frame
from alliance.numbers import format_count, format_number, snake_case


def test_csv_and_page_show_the_same_numbers(tmp_path):
    page = Page(tmp_path, "numbers")
    frame = pd.DataFrame(
        {"alliance_limit": [15477.0, 10826.7123], "el_rate": [2.4751912e-05, 1 / 3]},
        index=pd.Index(["A", "B"], name="member"),
    )
    rel = page.table(frame, "numbers")
    csv_cells = [line.split(",")[1:] for line in (tmp_path / rel).read_text().splitlines()[1:]]
    html = page.write().read_text()
    html_cells = re.findall(r"<td>([^<]*)</td>", html)
    assert [c for row in csv_cells for c in row] == html_cells
    assert html_cells == [format_number(v) for row in frame.to_numpy() for v in row]


def test_table_refuses_a_header_that_is_not_snake_case(tmp_path):
    page = Page(tmp_path, "headers")
    with pytest.raises(ValueError, match=r"'Alliance limit'.*alliance_limit"):
        page.table(pd.DataFrame({"Alliance limit": [1.0]}), "bad", index=False)


def test_payoff_table_headers_are_snake_case():
    from alliance.models import lending_game

    frame = payoff_frame(lending_game())
    assert list(frame.columns) == ["bank", "sme", "payoff_bank", "payoff_sme"]


@given(st.integers(0, 10**6))
def test_counts_agree_with_their_noun(n):
    text = format_count(n, "guarantee institution")
    assert text == f"{n} guarantee institution" + ("" if n == 1 else "s")


@given(st.text(max_size=20))
def test_snake_case_is_idempotent_and_lower_case(text):
    once = snake_case(text)
    assert snake_case(once) == once and once == once.lower() and " " not in once
