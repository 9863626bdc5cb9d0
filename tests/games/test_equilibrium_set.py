"""Equilibria come back as an EquilibriumSet: a list that shows as a table in a notebook."""

import pandas as pd

import alliance as al
from alliance.games.results import EquilibriumSet
from alliance.numbers import snake_case


def bos():
    return al.NormalFormGame.from_matrices(
        [[2, 0], [0, 1]], [[1, 0], [0, 2]], players=("Bank", "SME"),
        strategies=(("lend", "refuse"), ("repay", "default")),
    )


def test_equilibria_is_a_list_with_a_table():
    eqs = bos().equilibria()
    assert isinstance(eqs, EquilibriumSet) and isinstance(eqs, list)
    assert eqs == list(eqs)
    frame = eqs.to_frame()
    assert isinstance(frame, pd.DataFrame) and list(frame.index) == [0, 1, 2]
    # each row is the equilibrium with the same id in the list
    for k, eq in enumerate(eqs):
        assert frame.loc[k, "strategy_bank"] == eq._strategy_text(0)
    html = eqs._repr_html_()
    assert "3 equilibria" in html and "<table" in html
    assert eqs._repr_latex_().startswith("$\\begin{array}")


def test_pure_equilibria_and_empty_sets_display():
    eqs = bos().pure_equilibria()
    assert isinstance(eqs, EquilibriumSet) and len(eqs) == 2
    pennies = al.NormalFormGame.from_matrices([[1, -1], [-1, 1]])
    none = pennies.pure_equilibria()
    assert len(none) == 0 and none.to_frame().empty
    assert "0 equilibria" in none._repr_html_()


def test_symbolic_equilibria_read_like_a_paper():
    g = al.NormalFormGame.from_payoffs(
        {("a", "x"): ("r", 1), ("a", "y"): ("r", 0), ("b", "x"): (0, 0), ("b", "y"): (0, 1)},
        players=("Row", "Col"), params={"r": "positive"},
    )
    eqs = g.equilibria()
    texts = [repr(e) for e in eqs]
    assert any("for all parameter values" in t for t in texts), texts
    assert not any("if True" in t for t in texts)
    frame = eqs.to_frame()
    assert "conditions" in frame.columns
    assert "for all parameter values" in set(frame["conditions"])


def test_every_column_of_the_table_is_snake_case():
    # player names with capitals, spaces and punctuation still give snake_case columns
    g = al.NormalFormGame.from_matrices(
        [[2, 0], [0, 1]], [[1, 0], [0, 2]], players=("Big Bank", "SME (2)"),
    )
    frame = g.equilibria().to_frame()
    columns = list(frame.columns) + [frame.index.name]
    assert columns == [snake_case(c) for c in columns], columns
    assert list(frame.columns) == ["strategy_big_bank", "strategy_sme_2", "payoff_big_bank",
                                   "payoff_sme_2", "method"]
    symbolic = al.NormalFormGame.from_payoffs(
        {("a", "x"): ("r", 1), ("a", "y"): ("r", 0), ("b", "x"): (0, 0), ("b", "y"): (0, 1)},
        players=("Row Player", "Col"), params={"r": "positive"},
    ).equilibria().to_frame()
    assert "conditions" in symbolic.columns
    assert all(snake_case(c) == c for c in symbolic.columns), list(symbolic.columns)


def test_players_whose_snake_case_names_clash_keep_their_own_columns():
    g = al.NormalFormGame.from_matrices([[2, 0], [0, 1]], [[1, 0], [0, 2]], players=("SME 1", "sme_1"))
    frame = g.equilibria().to_frame()
    assert list(frame.columns) == ["strategy_sme_1_1", "strategy_sme_1_2", "payoff_sme_1_1",
                                   "payoff_sme_1_2", "method"]
    # the mixed equilibrium of this battle of the sexes pays 2/3 to each player
    assert frame.loc[1, "payoff_sme_1_1"] == frame.loc[1, "payoff_sme_1_2"] == "2/3"
