"""The ``alliance`` command.

Examples
--------
>>> main(["--version"])  # doctest: +SKIP
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

import alliance

__all__ = ["main"]


def _demo(args: argparse.Namespace) -> int:
    game = alliance.NormalFormGame.from_payoffs(
        {
            ("lend", "repay"): ("r*L", "R - (1 + r)*L"),
            ("lend", "default"): ("pi*(C + F) - L", "R - pi*(C + F)"),
            ("refuse", "repay"): (0, "w"),
            ("refuse", "default"): (0, "w"),
        },
        players=("Bank", "SME"),
        params={"r": "positive", "L": "positive", "R": "positive", "C": "nonnegative",
                "F": "nonnegative", "pi": "probability", "w": "nonnegative"},
        title="lending game",
    )
    print(game)
    for label, pi in (("weak enforcement", 0.2), ("strong enforcement", 0.9)):
        numeric = game.subs(r=0.06, L=100, R=130, C=60, F=60, pi=pi, w=5)
        print(f"\n{label} (pi = {pi}):")
        for eq in numeric.equilibria():
            print("  ", eq)
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="alliance",
        description="Game theory of credit alliances: equilibria, stability tables, credit margins.",
    )
    parser.add_argument("--version", action="version", version=f"alliance {alliance.__version__}")
    sub = parser.add_subparsers(dest="command", required=True)
    demo = sub.add_parser("demo", help="run the demo analysis of the shipped example")
    demo.set_defaults(func=_demo)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.func(args))
    except alliance.AllianceError as err:
        print(f"alliance: error: {err}", file=sys.stderr)
        return 2


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
