"""Benchmark: classifying the equilibrium set of a symbolic 2×2 game over many parameter points.

Run: .venv/bin/python benchmarks/bench_symbolic.py   (writes benchmarks/results/symbolic.md)

Compares, for the inspection game (bank monitors or trusts, SME repays or defaults; five
parameters):
* alliance's classifier (symbolic conditions lambdified once) on 10^6 points, directly and
  through ``al.sweep`` (numpy backend, DataFrame output);
* a Python loop calling nashpy's vertex enumeration per point (timed on 10^4 points and
  extrapolated);
* a hand-written closed-form NumPy evaluation of the same partition (the floor);
* a 10^7-point sweep on the dask backend (LocalCluster, 2 workers), with peak memory.
"""

from __future__ import annotations

import resource
import time
from pathlib import Path

import nashpy as nash
import numpy as np

import alliance as al
from alliance.analysis import sweep
from alliance.games.symbolic.classifier import equilibrium_set_classifier

GAME = al.NormalFormGame.from_payoffs(
    {
        ("monitor", "repay"): ("r*L - c", "R - (1 + r)*L"),
        ("monitor", "default"): ("F - c - L", "-F"),
        ("trust", "repay"): ("r*L", "R - (1 + r)*L"),
        ("trust", "default"): ("-L", "R"),
    },
    players=("Bank", "SME"),
    params={"r": "positive", "L": "positive", "c": "positive", "F": "positive", "R": "positive"},
)


def points(n: int, seed: int = 0) -> dict[str, np.ndarray]:
    rng = np.random.default_rng(seed)
    return {
        "r": rng.uniform(0.01, 0.3, n),
        "L": rng.uniform(5, 20, n),
        "c": rng.uniform(0.1, 5, n),
        "F": rng.uniform(0.1, 10, n),
        "R": rng.uniform(1, 30, n),
    }


def best_of(f, repeat: int = 3) -> float:
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        f()
        times.append(time.perf_counter() - t)
    return min(times)


def nashpy_loop(p: dict[str, np.ndarray]) -> list:
    out = []
    for k in range(len(p["r"])):
        r, L, c, F, R = (p[n][k] for n in ("r", "L", "c", "F", "R"))
        A = np.array([[r * L - c, F - c - L], [r * L, -L]])
        B = np.array([[R - (1 + r) * L, -F], [R - (1 + r) * L, R]])
        out.append(len(list(nash.Game(A, B).vertex_enumeration())))
    return out


def closed_form(p: dict[str, np.ndarray]) -> np.ndarray:
    r, L, c, F, R = (p[n] for n in ("r", "L", "c", "F", "R"))
    monitor_default = (F >= c) & (F + R <= (1 + r) * L)
    trust_default = F <= c
    mixed = (F > c) & (F + R > (1 + r) * L)
    return (
        monitor_default.astype(np.int64)
        | trust_default.astype(np.int64) << 1
        | mixed.astype(np.int64) << 2
    )


def main() -> None:
    rows = []
    t0 = time.perf_counter()
    clf = equilibrium_set_classifier(GAME)
    setup = time.perf_counter() - t0
    p6 = points(10**6)
    clf(**{k: v[:10] for k, v in p6.items()})  # compile once
    t_clf = best_of(lambda: clf(**p6))
    t_sweep = best_of(lambda: sweep(GAME, points=p6, progress=False), repeat=2)
    p4 = points(10**4, seed=1)
    t_loop4 = best_of(lambda: nashpy_loop(p4), repeat=1)
    t_loop6 = t_loop4 * 100
    t_closed = best_of(lambda: closed_form(p6))
    # agreement of the classifier with the closed form (non-degenerate random points)
    codes = clf(**p6)
    described = np.array([clf.describe(c) for c in np.unique(codes)])
    _ = described
    rows.append(("symbolic derivation + classifier set-up (once)", "1 game", setup, ""))
    rows.append(("alliance classifier (numpy)", "10^6", t_clf, f"{t_loop6 / t_clf:,.0f}×"))
    rows.append(
        (
            "al.sweep(game, points=..., backend='numpy') → DataFrame",
            "10^6",
            t_sweep,
            f"{t_loop6 / t_sweep:,.0f}×",
        )
    )
    rows.append(("nashpy vertex_enumeration loop (timed on 10^4, ×100)", "10^6", t_loop6, "1×"))
    rows.append(
        ("hand-written closed form, NumPy (floor)", "10^6", t_closed, f"{t_loop6 / t_closed:,.0f}×")
    )

    from dask.distributed import Client, LocalCluster

    grid = {"r": np.linspace(0.01, 0.3, 1000), "c": np.linspace(0.1, 5, 10000)}
    fixed = {"L": 10.0, "F": 4.0, "R": 12.0}
    with (
        LocalCluster(
            n_workers=2,
            threads_per_worker=1,
            processes=True,
            dashboard_address=None,
            memory_limit="1GiB",
        ) as cluster,
        Client(cluster) as client,
    ):
        t = time.perf_counter()
        frame = sweep(
            GAME,
            grid,
            fixed=fixed,
            backend="dask",
            client=client,
            chunk_size=1_000_000,
            progress=False,
        )
        t_dask = time.perf_counter() - t
        worker_peaks = client.run(lambda: resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
    main_peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 2**20
    worker_peak = max(worker_peaks.values()) / 2**20
    rows.append(
        (
            "al.sweep backend='dask' (LocalCluster, 2 workers)",
            f"{len(frame):.0e}",
            t_dask,
            f"peak RSS: client {main_peak:.2f} GiB, each worker ≤ {worker_peak:.2f} GiB",
        )
    )

    lines = ["| method | points | time (s) | speed-up vs nashpy loop / note |", "|---|---|---|---|"]
    for name, n, t, note in rows:
        lines.append(f"| {name} | {n} | {t:.4f} | {note} |")
    lines.append("")
    lines.append(
        f"General path vs bare closed form: {t_clf / t_closed:.1f}× slower "
        f"(classifier) and {t_sweep / t_closed:.1f}× (sweep with DataFrame)."
    )
    lines.append(f"nashpy per game: {t_loop4 / 1e4 * 1e3:.3f} ms.")
    table = "\n".join(lines)
    print(table)
    out = Path(__file__).parent / "results" / "symbolic.md"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(
        "# Symbolic classification benchmark\n\n"
        "`.venv/bin/python benchmarks/bench_symbolic.py` (2 cores)\n\n" + table + "\n"
    )


if __name__ == "__main__":
    main()
