"""A 10⁴-member alliance with 10⁴ scenarios on a dask LocalCluster, 2 GiB per worker.

Run: ``.venv/bin/python benchmarks/bench_dask.py`` (writes benchmarks/results/dask.md);
``--members N --scenarios S --chunk K`` change the size (printed, results file untouched).

The network is built as in ``bench_network.py`` (``trade_network``: guarantee chains among the
members, a guarantee company and trade chains, 2n of each). The cluster is a
``LocalCluster(n_workers=2, threads_per_worker=1, memory_limit="2GiB")`` of worker processes.
Scenarios are drawn in chunks of K scenarios with per-chunk seeds, on the workers, and stay
there; the bank's limit under the uniform rule (version 1) is searched with every cascade
evaluation on the workers; then the expected loss, VaR and ES of that allocation are
evaluated on fresh chunked scenarios (:func:`alliance.network.distributed.allocation_risk`).
Each worker's peak resident memory comes from ``resource.getrusage`` run on the worker, its
CPU time likewise; the workers' identities are compared before and after (a worker killed for
memory would come back under a new address). The first two chunks are evaluated again in this
process with ``backend="numpy"`` and compared with the cluster's numbers chunk by chunk.
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_network import trade_network  # noqa: E402

from alliance.network import BankPolicy  # noqa: E402
from alliance.network.distributed import (  # noqa: E402
    ChunkedEngine,
    ChunkedScenarios,
    allocation_risk,
)

GIB = 2**30
COUNTER = {"evaluations": 0}
_evaluate = ChunkedEngine.evaluate


def counted_evaluate(self, *args, **kwargs):
    COUNTER["evaluations"] += 1
    return _evaluate(self, *args, **kwargs)


ChunkedEngine.evaluate = counted_evaluate  # count the search's evaluations


def worker_usage() -> dict:
    """Peak resident memory (bytes) and CPU seconds of this process (run on each worker)."""
    ru = resource.getrusage(resource.RUSAGE_SELF)
    return {"peak": ru.ru_maxrss * 1024, "cpu": ru.ru_utime + ru.ru_stime}


def current_rss() -> int:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--members", type=int, default=10_000)
    ap.add_argument("--scenarios", type=int, default=10_000)
    ap.add_argument("--chunk", type=int, default=1_000)
    ap.add_argument("--el-rate", type=float, default=0.0015)
    args = ap.parse_args()
    full = (args.members, args.scenarios, args.chunk) == (10_000, 10_000, 1_000)
    from dask.distributed import Client, LocalCluster

    t0, c0 = time.perf_counter(), time.process_time()
    net = trade_network(args.members, 2026)
    build = (time.perf_counter() - t0, time.process_time() - c0)
    topo = net.topology()
    n_guar = len(net.chains("guarantee"))
    n_trade = len(net.chains("trade"))
    policy = BankPolicy(max_el_rate=args.el_rate)
    defaults_per_scenario = float(topo.pd.sum())
    rows = []
    with (
        LocalCluster(
            n_workers=2,
            threads_per_worker=1,
            memory_limit="2GiB",
            processes=True,
            dashboard_address=None,
        ) as cluster,
        Client(cluster) as client,
    ):
        before = client.run(worker_usage)
        idle = client.run(current_rss)
        workers0 = sorted(before)
        t0, c0 = time.perf_counter(), time.process_time()
        rep = net.credit_margin(
            policy,
            scenarios=args.scenarios,
            seed=1,
            rule="uniform",
            backend="dask",
            client=client,
            chunk_scenarios=args.chunk,
        )
        margin_t = (time.perf_counter() - t0, time.process_time() - c0)
        mid = client.run(worker_usage)
        n_eval = COUNTER["evaluations"]
        loans = np.where(topo.is_member, rep.share * topo.demand, 0.0)
        t0, c0 = time.perf_counter(), time.process_time()
        risk = allocation_risk(
            net,
            loans,
            scenarios=args.scenarios,
            chunk_scenarios=args.chunk,
            seed=2,
            alpha=0.999,
            backend="dask",
            client=client,
        )
        risk_t = (time.perf_counter() - t0, time.process_time() - c0)
        end = client.run(worker_usage)
        # chunk by chunk against backend="numpy": the first two chunks again, here
        spec = ChunkedScenarios(args.scenarios, args.chunk, seed=2, rho=0.12)
        present = np.ones((1, topo.n), dtype=bool)
        remote = ChunkedEngine(topo, spec, present, backend="dask", client=client, pledge=True)
        first = remote.batch([0, 1]).evaluate(loans[None, :], losses=True)
        remote.close()
        after = client.run(worker_usage)
        workers1 = sorted(after)
    local = ChunkedEngine(topo, spec, present, chunks=[0, 1], pledge=True)
    mine = local.evaluate(loans[None, :], losses=True)
    same_chunks = bool(np.array_equal(mine.losses, first.losses))
    same_risk = bool(
        np.array_equal(mine.losses[0], first.losses[0])
        and mine.expected_loss[0] == first.expected_loss[0]
    )
    client_peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    peaks = {w: after[w]["peak"] for w in workers1}
    cpu = {w: after[w]["cpu"] - before[w]["cpu"] for w in workers1}
    cpu_margin = sum(mid[w]["cpu"] - before[w]["cpu"] for w in workers1)
    cpu_risk = sum(end[w]["cpu"] - mid[w]["cpu"] for w in workers1)
    restarted = workers0 != workers1
    under = all(p < 2 * GIB for p in peaks.values())
    n_chunks = -(-args.scenarios // args.chunk)
    held = args.scenarios * defaults_per_scenario / 2  # defaults held per worker (even split)
    growth = max(peaks[w] - idle[w] for w in workers1)
    per_default = growth / held
    summary = (
        f"network: {args.members} members, {n_guar} guarantee chains, {n_trade} trade chains "
        f"(built in {build[0]:.1f} s); {args.scenarios} scenarios in {n_chunks} chunks of "
        f"{args.chunk} (Σp = {defaults_per_scenario:.0f} expected primary defaults per "
        f"scenario, {args.scenarios * defaults_per_scenario:.3g} in all)"
    )
    rows.append(
        (
            "uniform limit (v1), credit_margin(rule='uniform', backend='dask', client=...)",
            f"{margin_t[0]:.1f} s",
            f"{margin_t[1]:.1f} s",
            f"{cpu_margin:.1f} s",
            f"{n_eval} evaluations of the {n_chunks} chunks (search and report); L_A {rep.alliance_limit:.6g} ± {rep.standard_error:.3g} (share {rep.share:.4f},"
            f" binding {rep.binding}); Σ L⁰ {rep.standalone_total:.6g}",
        )
    )
    rows.append(
        (
            "EL / VaR / ES at 99.9 % of that allocation, allocation_risk(backend='dask')",
            f"{risk_t[0]:.1f} s",
            f"{risk_t[1]:.1f} s",
            f"{cpu_risk:.1f} s",
            f"EL {risk.expected_loss:.5g} ± {risk.expected_loss_se:.2g}, VaR "
            f"{risk.value_at_risk:.5g}, ES {risk.expected_shortfall:.5g} ± "
            f"{risk.expected_shortfall_se:.2g}",
        )
    )
    mem_lines = [
        f"| {w} | {idle[w] / GIB:.2f} GiB | {peaks[w] / GIB:.2f} GiB | {cpu[w]:.1f} s |"
        for w in workers1
    ]
    text = "\n".join(
        [
            "# Dask cluster benchmark (issue 16)",
            "",
            "Command: `.venv/bin/python benchmarks/bench_dask.py`. Machine: 2 cores shared "
            "with other jobs (wall times are noisy; CPU times are the process's and each "
            "worker's own).",
            "Cluster: `LocalCluster(n_workers=2, threads_per_worker=1, memory_limit='2GiB')`, "
            "worker processes.",
            "",
            summary + ".",
            "",
            "| computation | wall | client CPU | workers' CPU (sum) | result |",
            "|---|---|---|---|---|",
            *[f"| {' | '.join(r)} |" for r in rows],
            "",
            "| worker | memory after start-up | peak memory (getrusage) | CPU (whole run) |",
            "|---|---|---|---|",
            *mem_lines,
            "",
            f"Every worker stayed under 2 GiB: {under}; a worker was restarted: {restarted}. "
            f"Client process peak memory {client_peak / GIB:.2f} GiB.",
            f"Memory per primary default held on a worker (peak growth over start-up / "
            f"defaults held, {held:.3g}): about {per_default:.0f} bytes.",
            f"The first two chunks evaluated with backend='numpy' in the client give the "
            f"cluster's scenario losses exactly: {same_chunks}.",
            "",
        ]
    )
    print(text)
    assert not restarted, "a worker was restarted (killed for memory?)"
    assert same_chunks and same_risk, "the cluster's chunks differ from backend='numpy'"
    assert under, f"a worker's peak memory exceeded 2 GiB: {peaks}"
    if full:
        Path(__file__).with_name("results").joinpath("dask.md").write_text(text)


if __name__ == "__main__":
    main()
