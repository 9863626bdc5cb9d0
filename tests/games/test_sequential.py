"""Backward induction on a three-stage lending tree with a chance node."""

from __future__ import annotations

from fractions import Fraction

import matplotlib

matplotlib.use("Agg")

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from alliance.errors import InvalidGameError, ParameterError
from alliance.games.sequential import Chance, Decision, GameTree, Leaf, SequentialGame


def lending_tree(**params) -> SequentialGame:
    """Bank offers or not; SME accepts; the project succeeds with probability theta; SME repays."""
    repay = Decision(
        "SME",
        {"repay": Leaf(("r*L", "Y - (1 + r)*L")), "default": Leaf(("pi*C - L", "Y - pi*(C + K)"))},
    )
    project = Chance({"success": ("theta", repay), "failure": ("1 - theta", Leaf(("-L", "-c")))})
    accept = Decision("SME", {"accept": project, "reject": Leaf((0, "w"))})
    root = Decision("Bank", {"offer": accept, "no offer": Leaf((0, "w"))})
    return GameTree(
        root,
        players=("Bank", "SME"),
        params=params
        or {
            "r": "positive",
            "L": "positive",
            "Y": "positive",
            "pi": "probability",
            "C": "nonnegative",
            "K": "nonnegative",
            "theta": "probability",
            "c": "nonnegative",
            "w": "nonnegative",
        },
    )


TREE = lending_tree()
SOLUTION = TREE.backward_induction()
POINT = st.fixed_dictionaries(
    {
        "r": st.fractions(Fraction(1, 20), Fraction(1, 2), max_denominator=20),
        "L": st.integers(1, 20),
        "Y": st.integers(1, 40),
        "pi": st.fractions(0, 1, max_denominator=4),
        "C": st.integers(0, 20),
        "K": st.integers(0, 10),
        "theta": st.fractions(0, 1, max_denominator=4),
        "c": st.integers(0, 5),
        "w": st.integers(0, 5),
    }
)


@settings(max_examples=60, deadline=None)
@given(POINT)
def test_backward_induction_equals_normal_form_and_symbolic_branches(point):
    numeric = TREE.subs(**point)
    spe = numeric.backward_induction()
    nf = numeric.to_normal_form()
    # The SPE, read as reduced normal-form strategies, is a Nash equilibrium with its payoffs.
    assert nf.is_equilibrium(spe.profile, tol=0)
    assert tuple(Fraction(v) for v in nf.expected_payoffs(spe.profile)) == spe.payoffs
    # Exactly one symbolic branch holds, and it is the numeric answer.
    held = [b for b in SOLUTION if b.holds_at(**point)]
    assert len(held) == 1
    assert held[0].path == spe.path
    assert held[0].strategies == spe.strategies
    values = {TREE.symbols[k]: v for k, v in point.items()}
    assert tuple(Fraction(str(v.xreplace(values))) for v in held[0].payoffs) == spe.payoffs


def test_tree_structure_and_reduced_normal_form():
    nf = TREE.subs(
        r=Fraction(1, 10), L=10, Y=20, pi=Fraction(1, 2), C=5, K=4, theta=Fraction(3, 4), c=1, w=2
    ).to_normal_form()
    assert nf.strategies == (("offer", "no offer"), ("accept/repay", "accept/default", "reject"))
    assert len(TREE.decision_nodes()) == 3 and "3 decision nodes" in repr(TREE)
    assert len(SOLUTION) >= 3 and all(b.conditions is not None for b in SOLUTION)
    assert "offer" in SOLUTION.to_frame().to_string()


def test_tree_figure_highlights_the_equilibrium():
    import matplotlib.pyplot as plt

    from alliance.figures.tree import game_tree

    numeric = TREE.subs(r=Fraction(1, 10), L=10, Y=30, pi=1, C=5, K=10, theta=1, c=1, w=0)
    ax = game_tree(numeric)
    widths = sorted({line.get_linewidth() for line in ax.lines if len(line.get_xdata()) == 2})
    assert widths[-1] > widths[0]
    assert any("Bank" == t.get_text() for t in ax.texts)
    plt.close(ax.figure)


def test_bad_trees():
    with pytest.raises(InvalidGameError, match="sum to"):
        SequentialGame(Chance({"a": (0.3, Leaf((0,))), "b": (0.3, Leaf((1,)))}), players=("P",))
    with pytest.raises(InvalidGameError, match="Nobody"):
        SequentialGame(Decision("Nobody", {"a": Leaf((0,))}), players=("P",))
    with pytest.raises(InvalidGameError, match="one per player"):
        SequentialGame(Decision("P", {"a": Leaf((0, 1))}), players=("P",))
    with pytest.raises(ParameterError, match="theta"):
        TREE.subs(theta=2)
    with pytest.raises(ParameterError, match="unknown name 'x'"):
        SequentialGame(Decision("P", {"a": Leaf(("x",))}), players=("P",), params=["y"])
