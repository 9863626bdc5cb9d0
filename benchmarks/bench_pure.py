"""Pure equilibria of large n-player games and support enumeration of small ones, vs peers.

Run: ``.venv/bin/python benchmarks/bench_pure.py``; writes ``benchmarks/results/pure.md``.
"""

from __future__ import annotations

import pathlib
import time
import warnings

import numpy as np

import alliance as al
from alliance.games.solvers.pure import pure_equilibria
from alliance.games.solvers.support_nplayer import support_enumeration

try:
    import quantecon.game_theory as qe_gt
except ImportError:  # pragma: no cover
    qe_gt = None
try:
    import pygambit as gbt
except ImportError:  # pragma: no cover
    gbt = None


def best_of(fn, repeat=3):
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return min(times), result


def gambit_game(P):
    make = getattr(gbt, "StrategicGame", gbt.Game).from_arrays
    return make(*[np.ascontiguousarray(P[..., i]) for i in range(P.shape[-1])])


def quantecon_game(P):
    n = P.shape[-1]
    # quantecon's player i payoff array is indexed (own action, others in order i+1, ..., i-1)
    players = [
        qe_gt.Player(np.transpose(P[..., i], [(i + k) % n for k in range(n)])) for i in range(n)
    ]
    return qe_gt.NormalFormGame(players)


def fmt(t):
    return "n/a" if t is None else (f"{t * 1e3:.2f} ms" if t < 1 else f"{t:.2f} s")


def main():
    rng = np.random.default_rng(2024)
    rows = []
    for shape in [(6, 6, 6, 6, 6), (8, 8, 8, 8)]:
        n = len(shape)
        # integer payoffs in a small range: ties and several pure equilibria
        P = rng.integers(0, 10, size=shape + (n,)).astype(float)
        t_build, g = best_of(lambda P=P: al.NormalFormGame.from_array(P), repeat=1)
        t_facade, ours = best_of(lambda g=g: g.pure_equilibria())
        t_raw, raw = best_of(lambda P=P: pure_equilibria(P))
        t_qe = t_gbt = None
        if qe_gt is not None:
            t_qe, theirs = best_of(lambda P=P: qe_gt.pure_nash_brute(quantecon_game(P)), repeat=1)
            assert sorted(map(tuple, raw.tolist())) == sorted(theirs)
        if gbt is not None:
            game = gambit_game(P)
            t_gbt, res = best_of(lambda game=game: gbt.nash.enumpure_solve(game), repeat=1)
            assert len(res.equilibria) == len(raw)
        dims = "×".join(map(str, shape))
        rows.append(
            (f"pure equilibria {dims} ({len(raw)} found)", t_raw, t_facade, t_qe, t_gbt, t_build)
        )
    for shape in [(2, 2, 2), (3, 3, 2), (2, 2, 2, 2)]:
        n = len(shape)
        P = rng.normal(size=shape + (n,))
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            t_ours, found = best_of(lambda P=P: support_enumeration(P), repeat=1)
        t_gbt = None
        if gbt is not None:
            game = gambit_game(P)
            t_gbt, res = best_of(lambda game=game: gbt.nash.enumpoly_solve(game), repeat=1)
            note = f"{len(found)} found, Gambit {len(res.equilibria)}"
        else:
            note = f"{len(found)} found"
        dims = "×".join(map(str, shape))
        rows.append(
            (f"support enumeration {dims}, float ({note})", t_ours, None, None, t_gbt, None)
        )
    header = (
        "| task | ours (solver) | ours (NormalFormGame) | quantecon | pygambit | "
        "NormalFormGame construction |\n|---|---|---|---|---|---|\n"
    )
    body = "".join(
        f"| {task} | {fmt(a)} | {fmt(b)} | {fmt(c)} | {fmt(d)} | {fmt(e)} |\n"
        for task, a, b, c, d, e in rows
    )
    speedups = []
    for task, a, _, c, d, _ in rows[:2]:
        if d:
            speedups.append(f"{task.split(' (')[0]}: {d / a:.0f}× faster than pygambit")
        if c:
            speedups.append(f"{task.split(' (')[0]}: {c / a:.0f}× faster than quantecon")
    text = (
        "# Pure equilibria and n-player support enumeration\n\n"
        + header
        + body
        + "\n"
        + "\n".join(f"- {s}" for s in speedups)
        + "\n\n"
        "Pure equilibria: best of 3 runs (peers: 1 run); support enumeration: 1 run. "
        "Peers: quantecon `pure_nash_brute`, pygambit `enumpure_solve` / `enumpoly_solve`.\n"
    )
    print(text)
    out = pathlib.Path(__file__).parent / "results" / "pure.md"
    out.parent.mkdir(exist_ok=True)
    out.write_text(text)


if __name__ == "__main__":
    main()
