"""Benchmarks of the alliance network: cascade, credit margin, credit shares.

Run: ``.venv/bin/python benchmarks/bench_network.py`` (writes benchmarks/results/network.md);
``--shares-only`` runs the credit-share cases alone (printed, results file untouched);
``--only-optimal`` runs the optimal-allocation cases alone (issue 16: 300 and 1,000 members,
the uniform rule side by side) and replaces their rows in the results file. From a git
worktree, put the worktree first: ``PYTHONPATH=$PWD .venv/bin/python benchmarks/...`` (the
script's own directory, not the cwd, goes first on ``sys.path``).

The baseline cascade is the same rules written as a plain Python loop over networkx adjacency
(the way one would code it by hand); both are checked to give the same loss.
"""

from __future__ import annotations

import os
import resource
import sys
import time
from pathlib import Path

import numpy as np

from alliance.network import AllianceNetwork, BankPolicy
from alliance.network.scenarios import void_stream_key, void_uniforms


def random_network(n, m, seed, *, pd=(0.005, 0.05), fund=1.0, guarantor=True):
    rng = np.random.default_rng(seed)
    net = AllianceNetwork()
    demand = rng.uniform(50, 150, n)
    pds = rng.uniform(*pd, n)
    lgd = rng.uniform(0.3, 0.7, n)
    coll = rng.uniform(0, 20, n)
    equity = rng.uniform(5, 60, n)
    sectors = np.array(["food", "textile", "machinery"])[rng.integers(0, 3, n)]
    for i in range(n):
        net.add_member(
            f"M{i}",
            demand=demand[i],
            pd=pds[i],
            lgd=lgd[i],
            collateral=coll[i],
            equity=equity[i],
            fund=fund,
            sector=sectors[i],
        )
    if guarantor:
        net.add_guarantor("GuarCo", equity=max(1000.0, n * 2.0), leverage_cap=None)
    src = rng.integers(0, n, 3 * m)
    tgt = rng.integers(0, n, 3 * m)
    code = np.unique(src[src != tgt] * n + tgt[src != tgt])
    code = rng.permutation(code)[:m]
    amounts = rng.uniform(5, 40, code.size)
    for c, g in zip(code.tolist(), amounts.tolist()):
        net.add_chain(f"M{c // n}", f"M{c % n}", amount=g)
    if guarantor:
        for i in rng.choice(n, min(n, 50), replace=False):
            net.add_chain("GuarCo", f"M{i}", amount=20.0)
    return net


def trade_network(n, seed):
    """A random alliance with guarantees, a guarantee company and trade chains (2n each)."""
    net = random_network(n, 2 * n, seed, fund=0.2)
    rng = np.random.default_rng(seed + 100)
    src, tgt = rng.integers(0, n, 4 * n), rng.integers(0, n, 4 * n)
    code = np.unique(src[src != tgt] * n + tgt[src != tgt])
    added = 0
    for c, t in zip(code.tolist(), rng.uniform(5, 40, code.size).tolist()):
        a, b = f"M{c // n}", f"M{c % n}"
        if added < 2 * n and not net.graph.has_edge(a, b) and not net.graph.has_edge(b, a):
            net.add_chain(a, b, kind="trade", amount=t)
            added += 1
    return net


def python_cascade(net, primary, q, seed):
    """The rules of docs/economics.md §3 as a plain loop over networkx adjacency (baseline)."""
    g = net.graph
    chain_id = {(a, b): k for k, (a, b, _) in enumerate(net.chains("guarantee"))}
    key = void_stream_key(seed)
    equity = {n: d["equity"] for n, d in g.nodes(data=True)}
    fund = net.fund_total
    defaulted = set(primary)
    new = list(primary)
    loss = credit = op = guar = 0.0
    rnd = 0
    while new:
        # exposure loss lam * max(0, L - c) (docs/credit_v2.md; no trade chains here)
        ell = {
            i: g.nodes[i]["lgd"] * max(0.0, g.nodes[i]["demand"] - g.nodes[i]["collateral"])
            for i in new
        }
        total = sum(ell.values())
        pay = min(fund, total)
        fund -= pay
        r = {i: ell[i] * (1 - (pay / total if total > 0 else 0.0)) for i in new}
        calls, call_sum, void_sum = {}, dict.fromkeys(new, 0.0), dict.fromkeys(new, 0.0)
        for i in new:
            into = [(a, d["amount"]) for a, d in g.pred[i].items() if d["kind"] == "guarantee"]
            G = sum(x for _, x in into)
            for a, amt in into:
                c = amt * min(1.0, r[i] / G)
                call_sum[i] += c
                u = (
                    void_uniforms(key, np.array([0]), np.array([chain_id[a, i]]))[0]
                    if q > 0
                    else 1.0
                )
                if u < q:
                    void_sum[i] += c
                else:
                    calls.setdefault(a, []).append((i, c))
        paid, valid, nxt = dict.fromkeys(new, 0.0), dict.fromkeys(new, 0.0), []
        for a, lst in calls.items():
            C = sum(c for _, c in lst)
            if a in defaulted:
                ratio = 0.0
            elif C <= equity[a] * (1 + 1e-12) + 1e-12:
                ratio, equity[a] = 1.0, equity[a] - C
            else:
                ratio, equity[a] = equity[a] / C, 0.0
                nxt.append(a)
            for i, c in lst:
                paid[i] += c * ratio
                valid[i] += c
        for i in new:
            loss += r[i] - paid[i]
            if rnd == 0:
                credit += max(r[i] - call_sum[i], 0.0)
                op += void_sum[i]
                guar += valid[i] - paid[i]
            else:
                guar += r[i] - paid[i]
        defaulted |= set(nxt)
        new = nxt
        rnd += 1
    return loss, credit, op, guar


def best_of(fn, repeat=3):
    times = []
    out = None
    for _ in range(repeat):
        t = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t)
    return min(times), out


def main(shares_only: bool = False, only_optimal: bool = False):
    rows = []
    pol = BankPolicy(max_el_rate=0.002)
    if shares_only:
        rows.extend(shares_cases(pol))
        return
    if only_optimal:
        # the optimal-allocation rows alone, replaced in the results file
        replace_rows(
            Path(__file__).parent / "results" / "network.md",
            optimal_cases(),
            ("credit margin,", "same, backend='dask'", "same, the whole programme", "same with an"),
        )
        return
    # 1. one cascade on 1e5 members and 5e5 guarantee chains ----------------------------------
    t0 = time.perf_counter()
    big = random_network(100_000, 500_000, 1, fund=0.05, guarantor=True)
    print(f"built 1e5-member network in {time.perf_counter() - t0:.1f} s")
    rng = np.random.default_rng(2)
    primary = [f"M{i}" for i in rng.choice(100_000, 2_000, replace=False)]
    big.topology()  # arrays are cached with the network; built once
    t_ours, res = best_of(lambda: big.cascade(primary, void_prob=0.1, seed=3))
    t_py, ref = best_of(lambda: python_cascade(big, primary, 0.1, 3), repeat=1)
    assert np.isclose(res.loss[0], ref[0]) and np.isclose(res.operational[0], ref[2])
    rows.append(
        (
            "cascade, 1e5 members, 5e5 guarantee chains, 2,000 defaults, q=0.1",
            f"{t_ours:.3f} s",
            f"{t_py:.2f} s (Python loop over networkx)",
            f"{t_py / t_ours:.0f}x",
            f"rounds {int(res.rounds[0])}, contagion defaults {int(res.cascade_size[0])}",
        )
    )
    print(rows[-1])
    big = None  # free the large network before the next case

    # 2. credit margin: version 2's optimal allocation and version 1's uniform share --------
    rows.extend(optimal_cases())

    # 3. the decomposition of the shipped example -----------------------------------------------
    from alliance.network import load_example_alliance

    example = load_example_alliance()
    pol_es = BankPolicy(max_el_rate=0.005, es_alpha=0.99, max_es_rate=0.02)
    t_dec, dec = best_of(
        lambda: example.margin_decomposition(
            pol_es, scenarios=2_000, rho=0.12, seed=3, void_prob=0.05, progress=False
        ),
        repeat=1,
    )
    rows.append(
        (
            "margin decomposition (16 configurations), shipped example, 2,000 scenarios",
            f"{t_dec:.2f} s",
            "target 60 s",
            "",
            "; ".join(f"{k} {v:.0f}" for k, v in dec.values.items())
            + f" (sum {dec.values.sum():.0f} = M {dec.margin:.0f})",
        )
    )
    print(rows[-1])

    rows.extend(shares_cases(pol))

    table = [
        "| case | alliance | baseline | speed-up | notes |",
        "|---|---|---|---|---|",
        *[f"| {a} | {b} | {c} | {d} | {e} |" for a, b, c, d, e in rows],
    ]
    text = (
        "# Alliance network benchmarks\n\n"
        f"Machine: {os.cpu_count()} cores. Command: `.venv/bin/python benchmarks/bench_network.py`.\n\n"
        + "\n".join(table)
        + "\n"
    )
    out = Path(__file__).parent / "results" / "network.md"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(text, encoding="utf-8")
    print(text)


def measured(fn):
    """Wall time, CPU time (this process; the machine is shared) and peak memory of one call.

    Peak memory is the process's peak resident set (``getrusage`` maxrss) after the call: it
    includes HiGHS's allocations, which tracemalloc does not see (and tracing NumPy's
    allocations would slow the run it measures).
    """
    t, c = time.perf_counter(), time.process_time()
    out = fn()
    wall, cpu = time.perf_counter() - t, time.process_time() - c
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024  # kB on Linux
    return wall, cpu, peak / 2**30, out


def optimal_cases():
    """Issue 16: the optimal allocation (v2) with the uniform rule (v1) side by side."""
    rows = []
    pol_bind = BankPolicy(max_el_rate=0.001)
    for n, S in ((300, 3_000), (1_000, 10_000)):
        net = trade_network(n, seed=5)
        kw = dict(scenarios=S, rho=0.12, seed=11, void_prob=0.05, progress=False)
        w_u, c_u, _, rep_u = measured(
            lambda net=net, kw=kw: net.credit_margin(pol_bind, rule="uniform", **kw)
        )
        w_o, c_o, peak, rep_o = measured(lambda net=net, kw=kw: net.credit_margin(pol_bind, **kw))
        d = rep_o.details
        rows.append(
            (
                f"credit margin, optimal (v2) and uniform (v1) in the same run, {n} members, "
                f"{2 * n} guarantee + {2 * n} trade chains, {S} scenarios",
                f"{w_o:.2f} s wall, {c_o:.2f} s CPU",
                f"uniform (v1) {w_u:.2f} s wall, {c_u:.2f} s CPU",
                "",
                f"L_A {rep_o.alliance_limit:.0f} ± {rep_o.standard_error:.0f} (programme "
                f"bound {rep_o.upper_bound:.0f}; uniform {rep_u.alliance_limit:.0f}); "
                f"programme {d['programme_variables']} variables, {d['programme_rows']} "
                f"rows (after the exact reductions), solved "
                + ("by scenario cuts" if d["programme_solver"] == "scenario cuts" else "whole")
                + (f" ({d['programme_cuts']} cuts)" if d["programme_cuts"] else "")
                + f"; peak resident memory of the process {peak:.2f} GiB; "
                f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores",
            )
        )
        print(rows[-1])
        if n >= 1000:
            # the previous method, side by side: HiGHS's interior point on the whole programme
            from unittest import mock

            from alliance.network import allocation

            with mock.patch.object(allocation, "CUTS_ABOVE", 10**12):
                w_w, c_w, _, rep_w = measured(
                    lambda net=net, kw=kw: net.credit_margin(pol_bind, **kw)
                )
            rows.append(
                (
                    "same, the whole programme solved at once (HiGHS interior point, the "
                    "method before scenario cuts)",
                    f"{w_w:.2f} s wall, {c_w:.2f} s CPU",
                    "",
                    f"{w_w / w_o:.1f}x slower",
                    f"L_A {rep_w.alliance_limit:.0f} (scenario cuts: {rep_o.alliance_limit:.0f}; "
                    f"programme bounds {rep_w.upper_bound:.6f} and {rep_o.upper_bound:.6f})",
                )
            )
            print(rows[-1])
            # under an expected-shortfall limit too (Rockafellar-Uryasev cuts per scenario)
            pol_es = BankPolicy(max_el_rate=0.001, es_alpha=0.99, max_es_rate=0.004)
            w_e, c_e, _, rep_e = measured(
                lambda net=net, kw=kw, pol_es=pol_es: net.credit_margin(pol_es, **kw)
            )
            d_e = rep_e.details
            rows.append(
                (
                    "same with an expected-shortfall limit too (ES 99 % at most 0.4 % of "
                    "lending), importance-sampled tails",
                    f"{w_e:.2f} s wall, {c_e:.2f} s CPU",
                    "",
                    "",
                    f"L_A {rep_e.alliance_limit:.0f} ± {rep_e.standard_error:.0f} (programme bound "
                    f"{rep_e.upper_bound:.0f}); programme {d_e['programme_variables']} variables, "
                    f"solved by {d_e['programme_solver']} ({d_e['programme_cuts']} cuts); binding: "
                    f"{rep_e.binding if isinstance(rep_e.binding, str) else ', '.join(rep_e.binding)}",
                )
            )
            print(rows[-1])
        if n <= 300:
            a = net.credit_margin(pol_bind, chunk_defaults=20_000, **kw)
            b = net.credit_margin(pol_bind, chunk_defaults=20_000, backend="dask", **kw)
            same = a.alliance_limit == b.alliance_limit and a.loss_split == b.loss_split
            rows.append(
                (
                    "same, backend='dask' (threads, 20k-default chunks)",
                    "",
                    "",
                    "",
                    f"identical to numpy with the same chunks: {same}",
                )
            )
    return rows


def replace_rows(path: Path, new_rows: list, prefixes: tuple[str, ...]) -> None:
    """Replace the rows of ``path`` whose case starts with one of ``prefixes``."""
    lines = path.read_text(encoding="utf-8").splitlines()
    out, done = [], False
    for line in lines:
        if any(line.startswith(f"| {p}") for p in prefixes):
            if not done:
                out.extend(f"| {a} | {b} | {c} | {d} | {e} |" for a, b, c, d, e in new_rows)
                done = True
            continue
        out.append(line)
    if not done:
        out.extend(f"| {a} | {b} | {c} | {d} | {e} |" for a, b, c, d, e in new_rows)
    path.write_text("\n".join(out) + "\n", encoding="utf-8")


def shares_cases(pol):
    """Credit shares (issue 7): exact for 10 members, sampled for 30 with s.e. <= 2 % of L_A."""
    rows = []
    net10 = random_network(10, 20, 7, pd=(0.01, 0.08), guarantor=False)
    t_ex, sh = best_of(
        lambda: net10.credit_shares(pol, method="exact", scenarios=10_000, seed=1), repeat=1
    )
    eff = abs(sh.values.sum() - sh.alliance_limit) / sh.alliance_limit
    rows.append(
        (
            "credit shares exact, 10 members (1,024 sub-alliances), 1e4 scenarios",
            f"{t_ex:.2f} s",
            "target 60 s",
            "",
            f"efficiency gap {eff:.1e}; in core {sh.in_core}",
        )
    )
    print(rows[-1])
    net30 = random_network(30, 60, 8, pd=(0.01, 0.08), guarantor=False)

    def sampled():
        # the precision: every standard error <= 2 % of the alliance limit (the limit
        # is computed on the same scenarios first, and timed with the shares)
        # version 2: every sub-alliance is a programme; 2,000 scenarios (with 1e4 the run
        # did not finish in 6 minutes)
        limit = net30.alliance_limit(pol, scenarios=2_000, seed=1).limit
        return net30.credit_shares(
            pol,
            method="sampled",
            scenarios=2_000,
            seed=1,
            target_standard_error=0.02 * limit,
            core_samples=100,
        )

    t_sa, sh30 = best_of(sampled, repeat=1)
    se_max = float(np.max(sh30.allocation.standard_errors)) / sh30.alliance_limit
    rows.append(
        (
            "credit shares sampled, 30 members, 2e3 scenarios",
            f"{t_sa:.2f} s",
            "target 120 s",
            "",
            f"max s.e. {100 * se_max:.2f} % of L_A (target 2 %) after "
            f"{sh30.allocation.details['samples']} orders; in core (sampled check) {sh30.in_core}",
        )
    )
    print(rows[-1])
    return rows


if __name__ == "__main__":
    main(shares_only="--shares-only" in sys.argv[1:], only_optimal="--only-optimal" in sys.argv[1:])
