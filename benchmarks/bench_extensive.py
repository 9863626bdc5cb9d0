"""Extensive games of imperfect information: alliance vs pygambit, side by side.

Run: ``.venv/bin/python benchmarks/bench_extensive.py``; writes ``benchmarks/results/extensive.md``.

Tasks:
- one Nash equilibrium by Lemke's algorithm on the sequence form (exact rationals) against
  ``pygambit.nash.lcp_solve(game, rational=True)`` on the same .efg: Kuhn's poker, and a
  two-round simultaneous 3×3 game whose players see the first round before the second
  (3^10 = 59049 pure strategies each: the normal form is out of reach, the sequence form has
  31 sequences per player);
- the logit agent QRE at λ = 0.5, 1, 2, 5 against ``pygambit.qre.logit_solve_lambda``, and
  the largest gap between the two in any behaviour probability;
- every extreme perfect Bayesian equilibrium (mixed ones included) of a 3-type, 2-message,
  3-action signalling game (no pygambit counterpart).

Times are CPU seconds (``time.process_time``) and wall seconds, best of 3; the machine was
shared with other jobs, so wall times are noisy.
"""

from __future__ import annotations

import itertools
import math
import pathlib
import tempfile
import time
from fractions import Fraction

import numpy as np

from alliance.games.extensive import ExtensiveGame, Move, SignallingGame
from alliance.games.sequential import Chance, Leaf
from alliance.io.gambit import write_efg_infosets

try:
    import pygambit as gbt
except ImportError:  # pragma: no cover
    gbt = None


def best_of(fn, repeat=3):
    cpu, wall = [], []
    for _ in range(repeat):
        c, w = time.process_time(), time.perf_counter()
        result = fn()
        cpu.append(time.process_time() - c)
        wall.append(time.perf_counter() - w)
    return min(cpu), min(wall), result


def kuhn_poker():
    cards = "JQK"

    def show(c1, c2, stake):
        return Leaf((stake, -stake) if cards.index(c1) > cards.index(c2) else (-stake, stake))

    deals = {}
    for c1, c2 in itertools.permutations(cards, 2):
        after_check = Move("P2", f"{c2}:check", {
            "check": show(c1, c2, 1),
            "bet": Move("P1", f"{c1}:check-bet", {"fold": Leaf((-1, 1)), "call": show(c1, c2, 2)}),
        })
        after_bet = Move("P2", f"{c2}:bet", {"fold": Leaf((1, -1)), "call": show(c1, c2, 2)})
        deals[c1 + c2] = (Fraction(1, 6), Move("P1", c1, {"check": after_check, "bet": after_bet}))
    return ExtensiveGame(Chance(deals), ["P1", "P2"], title="Kuhn poker")


def two_rounds(seed=0):
    rng = np.random.default_rng(seed)
    acts = ["a", "b", "c"]

    def round2(h1):
        return Move("P1", f"P1 after {h1}", {
            x: Move("P2", f"P2 after {h1}", {y: Leaf(tuple(int(v) for v in rng.integers(-9, 10, 2)))
                                             for y in acts}) for x in acts})

    return ExtensiveGame(Move("P1", "P1 first", {
        x: Move("P2", "P2 first", {y: round2(x + y) for y in acts}) for x in acts}),
        ["P1", "P2"], title="two rounds")


def signalling(seed=1):
    rng = np.random.default_rng(seed)
    us, ur = rng.integers(-3, 4, (3, 2, 3)), rng.integers(-3, 4, (3, 2, 3))
    types, messages, actions = ["t1", "t2", "t3"], ["m1", "m2"], ["a1", "a2", "a3"]
    return SignallingGame(types, [Fraction(1, 3)] * 3, messages, actions,
                          sender=lambda t, m, a: int(us[types.index(t), messages.index(m), actions.index(a)]),
                          receiver=lambda t, m, a: int(ur[types.index(t), messages.index(m), actions.index(a)]))


def fmt(t):
    return "n/a" if t is None else (f"{t * 1e3:.1f} ms" if t < 1 else f"{t:.2f} s")


def gambit_read(game):
    with tempfile.TemporaryDirectory() as tmp:
        path = pathlib.Path(tmp) / "game.efg"
        write_efg_infosets(game, path)
        return gbt.read_efg(str(path))


def node_at(root, actions):
    node = root
    for a in actions:
        node = node.outcomes[a][1] if isinstance(node, Chance) else node.actions[a]
    return node


def main():
    rows = []
    big = two_rounds()
    pure = [math.prod(len(acts) for _, acts in big.information_sets(p)) for p in big.players]
    assert pure == [3**10, 3**10] and [len(big.sequences(p)) for p in big.players] == [31, 31]
    for game in (kuhn_poker(), two_rounds()):
        sizes = [len(game.sequences(p)) for p in game.players]
        cpu, wall, eq = best_of(game.sequence_form_equilibrium)
        assert game.regret(eq.strategies) == (0, 0)
        row = [f"Lemke on the sequence form, {game.title} ({sizes[0]}+{sizes[1]} sequences)", cpu, wall,
               None, None]
        if gbt is not None:
            efg = gambit_read(game)
            gcpu, gwall, _ = best_of(lambda efg=efg: gbt.nash.lcp_solve(efg, rational=True))
            row[3:] = [gcpu, gwall]
        rows.append(row)
    lams = [0.5, 1.0, 2.0, 5.0]
    for game in (kuhn_poker(), two_rounds()):
        cpu, wall, ours = best_of(lambda game=game: game.agent_qre(lams))
        row = [f"agent QRE at λ = 0.5, 1, 2, 5, {game.title}", cpu, wall, None, None]
        gap = None
        if gbt is not None:
            efg = gambit_read(game)
            gcpu, gwall, theirs = best_of(lambda efg=efg: gbt.qre.logit_solve_lambda(efg, lams))
            row[3:] = [gcpu, gwall]
            gap = 0.0
            for q, r in zip(ours, theirs, strict=True):
                for player in game.players:
                    for history, dist in r.profile[player]:
                        h = node_at(game.root, [t.action for t in history]).infoset
                        gap = max(gap, max(abs(q.strategies[player][h][a] - float(v)) for a, v in dict(dist).items()))
            assert gap <= 1e-6
        rows.append(row + [gap])
    sig = signalling()
    cpu, wall, found = best_of(sig.mixed_perfect_bayesian_equilibria)
    assert all(sig.check_mixed(e) for e in found)
    rows.append([f"every extreme PBE of a 3-type, 2-message, 3-action signalling game ({len(found)} found, "
                 f"{sum(e.kind == 'semi-separating' for e in found)} semi-separating)", cpu, wall, None, None])
    table = ("| task | ours CPU | ours wall | pygambit CPU | pygambit wall | max gap |\n"
             "|---|---|---|---|---|---|\n")
    table += "".join(
        f"| {r[0]} | {fmt(r[1])} | {fmt(r[2])} | {fmt(r[3])} | {fmt(r[4])} | "
        f"{'' if len(r) < 6 or r[5] is None else f'{r[5]:.1e}'} |\n" for r in rows)
    text = ("# Extensive games of imperfect information\n\n" + table
            + "\nBest of 3 runs each, one process, pygambit "
            + (gbt.__version__ if gbt is not None else "not installed")
            + "; the machine was shared with other jobs (CPU times are the fairer figure).\n")
    print(text)
    out = pathlib.Path(__file__).parent / "results" / "extensive.md"
    out.parent.mkdir(exist_ok=True)
    out.write_text(text)


if __name__ == "__main__":
    main()
