"""Drawing game trees: decision, chance and terminal nodes, with the equilibrium path."""

from __future__ import annotations

from typing import Any

from alliance.figures.style import styled

__all__ = ["game_tree"]


@styled
def game_tree(
    game: Any,
    *,
    ax: Any = None,
    solution: Any = None,
    highlight: bool = True,
    payoff_format: Any = str,
) -> Any:
    """Draw a :class:`~alliance.games.sequential.SequentialGame` left to right.

    Decision nodes are labelled by the player who moves, chance nodes are drawn as open
    circles with outcome probabilities on their edges, leaves show the payoff vector. The
    subgame-perfect actions (from ``solution`` or, for numeric games, from
    ``game.backward_induction()``) are drawn thick.

    Parameters
    ----------
    game : SequentialGame
        The tree to draw (numeric or symbolic).
    ax : matplotlib Axes, optional
        Axes to draw on; a new figure is made when omitted.
    solution : SubgamePerfectEquilibrium or PiecewiseSolution, optional
        Whose actions to highlight; by default the backward-induction solution of a numeric
        game (a symbolic game is drawn without highlight unless a solution is given).
    highlight : bool
        Draw the subgame-perfect actions thick.
    payoff_format : callable
        Turns each payoff into the text written at a leaf (default ``str``).

    Returns
    -------
    matplotlib.axes.Axes
        The axes drawn on.

    Examples
    --------
    >>> from alliance.games.sequential import Decision, Leaf, SequentialGame
    >>> g = SequentialGame(
    ...     Decision("Bank", {"lend": Decision("SME", {"repay": Leaf((1, 1)),
    ...                                                "default": Leaf((-1, 2))}),
    ...                       "refuse": Leaf((0, 0))}),
    ...     players=("Bank", "SME"))
    >>> ax = game_tree(g)
    >>> sorted(t.get_text() for t in ax.texts if t.get_text() in {"Bank", "SME"})
    ['Bank', 'SME']
    """
    import matplotlib.pyplot as plt

    from alliance.games.sequential import Decision, Leaf, node_name

    if ax is None:
        _, ax = plt.subplots()
    chosen: dict = {}
    if highlight:
        if solution is None and not game.is_symbolic:
            solution = game.backward_induction()
        if solution is not None and hasattr(solution, "strategies"):
            for plan in solution.strategies.values():
                chosen.update(plan)

    leaves: list = []

    def count(node) -> None:
        if isinstance(node, Leaf):
            leaves.append(node)
        elif isinstance(node, Decision):
            for c in node.actions.values():
                count(c)
        else:
            for _, c in node.outcomes.values():
                count(c)

    count(game.root)
    position: dict = {}
    next_leaf = [0]

    def place(node, path, depth):
        if isinstance(node, Leaf):
            y = -next_leaf[0]
            next_leaf[0] += 1
        else:
            children = (
                node.actions.items()
                if isinstance(node, Decision)
                else ((o, c) for o, (_, c) in node.outcomes.items())
            )
            ys = [place(c, path + (a,), depth + 1) for a, c in children]
            y = sum(ys) / len(ys)
        position[path] = (depth, y)
        return y

    place(game.root, (), 0)

    def draw(node, path):
        x0, y0 = position[path]
        if isinstance(node, Leaf):
            text = "(" + ", ".join(payoff_format(v) for v in node.payoffs) + ")"
            ax.plot([x0], [y0], "s", color="black", ms=4)
            ax.annotate(
                text,
                (x0, y0),
                xytext=(6, 0),
                textcoords="offset points",
                va="center",
                fontsize="small",
            )
            return
        if isinstance(node, Decision):
            ax.plot([x0], [y0], "o", color="black", ms=6)
            ax.annotate(
                node.player,
                (x0, y0),
                xytext=(0, 7),
                textcoords="offset points",
                ha="center",
                fontsize="small",
            )
            items = [(a, c, None) for a, c in node.actions.items()]
        else:
            ax.plot([x0], [y0], "o", mfc="white", color="black", ms=6)
            items = [(o, c, p) for o, (p, c) in node.outcomes.items()]
        for a, c, p in items:
            x1, y1 = position[path + (a,)]
            thick = chosen.get(node_name(path)) == a
            ax.plot([x0, x1], [y0, y1], color="black", lw=2.4 if thick else 0.9)
            label = a if p is None else f"{a} ({p})"
            ax.annotate(
                label,
                ((x0 + x1) / 2, (y0 + y1) / 2),
                xytext=(0, 4),
                textcoords="offset points",
                ha="center",
                fontsize="x-small",
            )
            draw(c, path + (a,))

    draw(game.root, ())
    depth = max(x for x, _ in position.values())
    ax.set_xlim(-0.3, depth + 0.9)
    ax.set_ylim(-len(leaves) + 0.5, 0.8)
    ax.axis("off")
    return ax
