"""Logit QRE branch and estimation: alliance vs pygambit, side by side.

Run: ``.venv/bin/python benchmarks/bench_qre.py``; writes ``benchmarks/results/qre.md``.

Tasks (random integer payoffs 0..9, seeds fixed):
- the principal branch of a 10×10 game traced to λ = 100 (``NormalFormGame.qre_branch``)
  against ``pygambit.qre.logit_solve_branch`` (which stops at its own regret criterion) and
  ``logit_solve_lambda(game, [100])``; the QRE at λ = 100 compared between the two;
- the same for a 3×3×3 game;
- the ML estimate of λ from counts simulated at λ = 0.5, against ``pygambit.qre.logit_estimate``.
"""

from __future__ import annotations

import pathlib
import time
import warnings

import numpy as np

import alliance as al
from alliance.games.solvers.qre import BifurcationWarning

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
    return gbt.StrategicGame.from_arrays(*[np.ascontiguousarray(P[..., i]) for i in range(P.shape[-1])])


def gambit_flat(profile, game):
    return np.array([float(v) for p in game.players for _, v in profile[p]])


def fmt(t):
    return "n/a" if t is None else (f"{t * 1e3:.1f} ms" if t < 1 else f"{t:.2f} s")


def main():
    warnings.simplefilter("ignore", BifurcationWarning)
    rows = []
    for shape, seeds in [((10, 10), range(5)), ((3, 3, 3), range(3))]:
        dims = "×".join(map(str, shape))
        for seed in seeds:
            P = np.random.default_rng(seed).integers(0, 10, size=shape + (len(shape),))
            g = al.NormalFormGame.from_array(P)
            t_ours, branch = best_of(lambda g=g: g.qre_branch(lam_max=100.0))
            row = [f"branch to λ=100, {dims} seed {seed}", t_ours, len(branch), None, None, None,
                   None]
            if gbt is not None:
                game = gambit_game(P.astype(float))
                t_gb, theirs = best_of(lambda game=game: gbt.qre.logit_solve_branch(game))
                t_gl, at100 = best_of(lambda game=game: gbt.qre.logit_solve_lambda(game, [100.0]))
                gap = float(np.max(np.abs(branch.probabilities[-1] - gambit_flat(at100[0].profile, game))))
                row[3:] = [t_gb, f"{len(theirs)} (to λ={theirs[-1].lam:.3g})", t_gl, gap]
            rows.append(row)
    table = (
        "| task | ours | our points | pygambit logit_solve_branch | its points | "
        "pygambit logit_solve_lambda(100) | max gap at λ=100 |\n|---|---|---|---|---|---|---|\n"
    )
    table += "".join(
        f"| {r[0]} | {fmt(r[1])} | {r[2]} | {fmt(r[3])} | {r[4] or 'n/a'} | {fmt(r[5])} | "
        f"{'n/a' if r[6] is None else f'{r[6]:.1e}'} |\n"
        for r in rows
    )
    worst_time = max(r[1] for r in rows if r[0].startswith("branch to λ=100, 10×10"))
    # estimation
    P = np.random.default_rng(11).integers(0, 10, size=(4, 4, 2))
    g = al.NormalFormGame.from_array(P)
    q = g.qre(0.5)
    rng = np.random.default_rng(5)
    counts = [rng.multinomial(1000, np.array(p) / sum(p)).tolist() for p in q.profile]
    t_fit, fit = best_of(lambda: g.estimate_logit(counts))
    est = f"| ML estimate of λ (4×4, 2000 choices simulated at λ=0.5) | {fmt(t_fit)} | " \
          f"λ̂ = {fit.lam:.5f} ± {fit.standard_error:.5f} |"
    if gbt is not None:
        game = gambit_game(P.astype(float))
        data = game.mixed_strategy_profile([list(map(float, c)) for c in counts])
        t_gfit, theirs = best_of(lambda: gbt.qre.logit_estimate(data))
        est += f" {fmt(t_gfit)} | λ̂ = {theirs.lam:.5f} |\n"
    else:
        est += " n/a | n/a |\n"
    text = (
        "# Logit quantal response equilibria\n\n"
        + table
        + f"\nSlowest 10×10 branch to λ = 100: {fmt(worst_time)} (target: at most 2 s).\n\n"
        + "| task | ours | our estimate | pygambit logit_estimate | its estimate |\n"
        + "|---|---|---|---|---|\n"
        + est
        + "\nBest of 3 runs each, one process, pygambit "
        + (gbt.__version__ if gbt is not None else "not installed")
        + ". pygambit's branch ends where its regret criterion (1e-8 of the payoff range) is met, "
        "so its point counts are for a different λ range.\n"
    )
    print(text)
    assert worst_time <= 2.0, f"10×10 branch to λ=100 took {worst_time:.2f} s"
    assert all(r[6] is None or r[6] <= 1e-6 for r in rows)
    out = pathlib.Path(__file__).parent / "results" / "qre.md"
    out.parent.mkdir(exist_ok=True)
    out.write_text(text)


if __name__ == "__main__":
    main()
