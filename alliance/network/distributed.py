r"""Scenario chunks with their own seeds, evaluated in this process or on a Dask cluster.

For networks too large to hold every scenario in one process (issue 16: regional networks of
10⁴–10⁶ members), the Monte Carlo scenarios are cut into chunks of ``chunk_scenarios``
scenarios. Chunk ``c`` is drawn from its own seed, the ``c``-th child of
``numpy.random.SeedSequence(seed).spawn``, by :func:`~alliance.network.scenarios.
simulate_defaults` (systematic and idiosyncratic draws alike), and its void-guarantee draws
are keyed to that seed too. A chunk therefore depends only on ``(seed, c, chunk_scenarios)``:
not on the number of chunks, nor on where or in which order chunks are drawn. The scenario
stream differs from the one-piece draw of ``scenarios=<int>`` without chunks (same model,
other random numbers).

What runs where
---------------
:class:`ChunkedEngine` evaluates the cascade (docs/credit_v2.md, "The rules of one
scenario") of a batch of loan vectors on every chunk and returns the totals of
:class:`~alliance.network.contagion.Totals`:

* ``backend="numpy"``: chunk after chunk in this process;
* ``backend="dask"`` without a client: chunks in parallel threads of this process;
* ``backend="dask"`` with a ``dask.distributed`` client: the topology is scattered once to
  every worker; each chunk is drawn **on a worker** and stays there, with its prepared
  cascade, for the life of the engine (data locality: every later evaluation of that chunk
  runs on that worker); an evaluation ships the loan vector (B × n floats; scattered once
  per worker when over 1 MiB) to the chunks, and each chunk's totals (B numbers per
  statistic, B × n per-node expectations and B × (chunk size) scenario losses when asked
  for, e.g. for a value at risk or an expected shortfall) are added on the workers. The
  scenarios themselves never reach the client.

In every case each chunk's totals are weighted by its share of the scenarios and added
pairwise along one fixed tree in chunk order (on the workers with a client, so the client
receives one set of totals), by the same code: the numbers are identical whatever the
backend and the number of workers.

Memory: a worker holds its chunks' primary defaults and their guarantee expansion (about
``chunk_scenarios`` × Σᵢ pᵢ defaults per chunk, each a few hundred bytes with the expansion)
plus, while drawing, ``chunk_cells`` = 4·10⁶ normal draws (32 MB) at a time.
``benchmarks/bench_dask.py`` measures the bytes per default.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import scipy.sparse as sp

from alliance.errors import ParameterError
from alliance.network.contagion import CascadeEngine, Topology, Totals
from alliance.network.scenarios import ScenarioSet, simulate_defaults, void_stream_key
from alliance.network.tails import TailEstimate, tail_risk
from alliance.numbers import as_seed

__all__ = [
    "allocation_risk",
    "ChunkedScenarios",
    "ChunkedEngine",
    "chunk_seed",
    "default_chunk_scenarios",
    "draw_chunk",
    "gather_scenarios",
    "resolve_client",
]


def chunk_seed(seed: int, chunk: int) -> int:
    """The seed of scenario chunk ``chunk``: child ``chunk`` of ``SeedSequence(seed).spawn``.

    A spawned child depends only on the parent's entropy and its own position, so the seed of
    chunk ``c`` does not depend on how many chunks there are.

    Parameters
    ----------
    seed : int
        The parent seed.
    chunk : int
        The chunk's index c (from 0).

    Returns
    -------
    int
        The chunk's seed.

    Examples
    --------
    >>> import numpy as np
    >>> chunk_seed(7, 2) == as_seed(np.random.SeedSequence(7).spawn(3)[2])
    True
    """
    return as_seed(np.random.SeedSequence(int(seed), spawn_key=(int(chunk),)))  # type: ignore[return-value]


def default_chunk_scenarios(topo: Topology, n_scenarios: int, chunk_defaults: int) -> int:
    """Scenarios per chunk so that a chunk holds about ``chunk_defaults`` primary defaults.

    The expected number of primary defaults per scenario is Σᵢ pᵢ (counted as at least 1,
    so that a chunk never exceeds ``chunk_defaults`` scenarios); the chunk size depends
    only on the network and the arguments, never on the cluster, so the numbers are the same
    on any number of workers.

    Parameters
    ----------
    topo : Topology
        The network's topology (its default probabilities pᵢ).
    n_scenarios : int
        Total number of scenarios (the chunk is never larger).
    chunk_defaults : int
        Target number of primary defaults per chunk.

    Returns
    -------
    int
        Scenarios per chunk, between 1 and ``n_scenarios``.

    Examples
    --------
    >>> from alliance.network import AllianceNetwork
    >>> net = AllianceNetwork()
    >>> net.add_member("A", demand=100, pd=0.5, lgd=0.5)
    >>> net.add_member("B", demand=100, pd=0.1, lgd=0.5)
    >>> topo = net.topology()
    >>> default_chunk_scenarios(topo, 10_000, 1_200)  # Σ pᵢ = 0.6, counted as 1
    1200
    >>> default_chunk_scenarios(topo, 500, 1_200)
    500
    """
    per_scenario = max(float(np.sum(topo.pd)), 1.0)
    return int(max(1, min(n_scenarios, math.floor(chunk_defaults / per_scenario))))


@dataclass(frozen=True)
class ChunkedScenarios:
    """How chunked Monte Carlo scenarios are drawn (the description, not the draws).

    Parameters
    ----------
    n_scenarios : int
        Total number of scenarios S.
    chunk_scenarios : int
        Scenarios per chunk (the last chunk may be smaller).
    seed : int
        The parent seed; chunk ``c`` is drawn from :func:`chunk_seed` ``(seed, c)``.
    rho, sector_rho : float
        Loadings on the common and the sector factor.
    sectors : tuple or None
        Sector label of each node (None: no sector factor).

    Examples
    --------
    >>> spec = ChunkedScenarios(n_scenarios=2500, chunk_scenarios=1000, seed=3, rho=0.12)
    >>> spec.bounds
    [(0, 1000), (1000, 2000), (2000, 2500)]
    >>> spec.is_exact, round(float(spec.weights.sum()), 12)
    (False, 1.0)
    """

    n_scenarios: int
    chunk_scenarios: int
    seed: int
    rho: float = 0.0
    sector_rho: float = 0.0
    sectors: tuple | None = None
    method = "monte_carlo"
    sampling = "plain"

    def __post_init__(self) -> None:
        for name in ("n_scenarios", "chunk_scenarios"):
            v = getattr(self, name)
            if isinstance(v, bool) or not isinstance(v, (int, np.integer)) or v < 1:
                raise ParameterError(f"{name} is {v!r}; it must be a positive integer")
        for name in ("rho", "sector_rho"):
            v = float(getattr(self, name))
            if not np.isfinite(v) or not 0.0 <= v < 1.0:
                raise ParameterError(f"{name} is {v!r}; it must lie in [0, 1)")
        if self.rho + self.sector_rho >= 1.0:
            raise ParameterError(
                f"rho + sector_rho is {self.rho + self.sector_rho!r}; it must be below 1"
            )

    @property
    def is_exact(self) -> bool:
        """Always False: chunked scenarios are Monte Carlo draws, never an enumeration."""
        return False

    @property
    def bounds(self) -> list[tuple[int, int]]:
        """``(start, stop)`` of every chunk, in order."""
        S, k = int(self.n_scenarios), int(self.chunk_scenarios)
        return [(a, min(a + k, S)) for a in range(0, S, k)]

    @property
    def weights(self) -> np.ndarray:
        """Equal weights 1/S (plain Monte Carlo)."""
        return np.full(self.n_scenarios, 1.0 / self.n_scenarios)


def draw_chunk(topo: Topology, spec: ChunkedScenarios, chunk: int) -> ScenarioSet:
    """The scenarios of chunk ``chunk`` (its own ScenarioSet, weights 1 / chunk size).

    Parameters
    ----------
    topo : Topology
        The network's topology.
    spec : ChunkedScenarios
        How the chunks are drawn.
    chunk : int
        The chunk's index c; it is drawn from :func:`chunk_seed` ``(spec.seed, c)``.

    Returns
    -------
    ScenarioSet
        The chunk's default scenarios.

    Examples
    --------
    >>> from alliance.network import AllianceNetwork
    >>> net = AllianceNetwork()
    >>> net.add_member("A", demand=100, pd=0.5, lgd=0.5)
    >>> net.add_member("B", demand=100, pd=0.1, lgd=0.5)
    >>> topo = net.topology()
    >>> spec = ChunkedScenarios(n_scenarios=2500, chunk_scenarios=1000, seed=3)
    >>> last = draw_chunk(topo, spec, 2)
    >>> last.n_scenarios
    500
    >>> bool((draw_chunk(topo, spec, 2).defaults != last.defaults).nnz == 0)  # same seed
    True
    """
    start, stop = spec.bounds[chunk]
    return simulate_defaults(
        topo.pd,
        stop - start,
        rho=spec.rho,
        sector=None if spec.sectors is None else list(spec.sectors),
        sector_rho=spec.sector_rho,
        seed=chunk_seed(spec.seed, chunk),
        nodes=topo.names,
        progress=False,
    )


def gather_scenarios(
    topo: Topology, spec: ChunkedScenarios, *, backend: str = "numpy", client: Any = None
) -> ScenarioSet:
    """Every chunk drawn (on the workers with a client) and stacked into one ScenarioSet.

    For computations that need all scenarios in one process (the optimal allocation's linear
    programme). The stacked set keys its void-guarantee draws to ``spec.seed`` and the global
    scenario index, as a one-piece draw would.

    Parameters
    ----------
    topo : Topology
        The network's topology.
    spec : ChunkedScenarios
        How the chunks are drawn.
    backend : {"numpy", "dask"}
        Draw the chunks one after the other, or in parallel threads (without a client).
    client : dask.distributed.Client, optional
        Draw the chunks on this cluster's workers.

    Returns
    -------
    ScenarioSet
        All ``spec.n_scenarios`` scenarios, chunk after chunk, weights 1/S.

    Examples
    --------
    >>> from alliance.network import AllianceNetwork
    >>> net = AllianceNetwork()
    >>> net.add_member("A", demand=100, pd=0.5, lgd=0.5)
    >>> net.add_member("B", demand=100, pd=0.1, lgd=0.5)
    >>> topo = net.topology()
    >>> spec = ChunkedScenarios(n_scenarios=2500, chunk_scenarios=1000, seed=3)
    >>> sc = gather_scenarios(topo, spec)
    >>> sc.n_scenarios
    2500
    >>> bool((sc.defaults[2000:] != draw_chunk(topo, spec, 2).defaults).nnz == 0)
    True
    """
    idx = range(len(spec.bounds))
    if client is not None:
        topo_f = client.scatter(topo, broadcast=True, hash=False)
        futures = [client.submit(draw_chunk, topo_f, spec, c, pure=False) for c in idx]
        parts = client.gather(futures)
    elif backend == "dask":
        import dask

        parts = dask.compute(*[dask.delayed(draw_chunk)(topo, spec, c) for c in idx],
                             scheduler="threads")  # fmt: skip
    else:
        parts = [draw_chunk(topo, spec, c) for c in idx]
    mat = sp.vstack([p.defaults for p in parts], format="csr")
    return ScenarioSet(
        defaults=mat,
        weights=spec.weights,
        method="monte_carlo",
        rho=spec.rho,
        sector_rho=spec.sector_rho,
        seed=spec.seed,
        void_key=void_stream_key(spec.seed),
        nodes=topo.names,
    )


def resolve_client(backend: str, client: Any) -> Any:
    """The ``dask.distributed`` client to use.

    The one given (a Client or a scheduler address), else the current default client when
    ``backend="dask"``, else None (threads, or this process).

    Parameters
    ----------
    backend : {"numpy", "dask"}
        The backend asked for; a client needs ``"dask"``.
    client : dask.distributed.Client, str or None
        A client, a scheduler address, or None.

    Returns
    -------
    dask.distributed.Client or None
        The client, or None when the work stays in this process.

    Examples
    --------
    >>> resolve_client("numpy", None) is None
    True
    >>> resolve_client("numpy", "tcp://127.0.0.1:8786")
    Traceback (most recent call last):
    ...
    alliance.errors.ParameterError: client is given but backend is 'numpy'; use backend='dask'
    """
    if backend != "dask":
        if client is not None:
            raise ParameterError(f"client is given but backend is {backend!r}; use backend='dask'")
        return None
    try:
        from distributed import Client, default_client
    except ImportError:  # pragma: no cover - depends on the environment
        if client is not None:
            raise ImportError(
                "a dask client needs dask[distributed]: pip install 'alliance[dask]'"
            ) from None
        return None
    if isinstance(client, str):
        return Client(client, set_as_default=False)
    if client is not None:
        return client
    try:
        return default_client()
    except ValueError:
        return None


@dataclass(frozen=True)
class _Job:
    """What every chunk task needs (scattered once to each worker)."""

    topo: Topology
    spec: ChunkedScenarios
    present: np.ndarray
    void_prob: float
    max_pairs: int
    pledge: bool
    haircut: float
    trade_contagion: bool


def _chunk_engine(job: _Job, chunk: int) -> CascadeEngine:
    sc = draw_chunk(job.topo, job.spec, chunk)
    return CascadeEngine(
        job.topo,
        sc,
        job.present,
        job.void_prob,
        max_pairs=job.max_pairs,
        pledge=job.pledge,
        haircut=job.haircut,
        trade_contagion=job.trade_contagion,
    )


_SCALARS = (
    "expected_loss",
    "second_moment",
    "credit",
    "operational",
    "guarantor",
    "contagion",
    "fund_paid",
    "guarantees_paid",
    "contagion_defaults",
)
_NODES = ("node_loss", "node_default", "node_paid", "node_contagion", "node_primary_loss")
_PER_SCENARIO = (
    "losses",
    "rounds",
    "cascade_size",
    "fund_by_scenario",
    "guarantees_by_scenario",
)


def scale_totals(tot: Totals, weight: float) -> Totals:
    """A chunk's totals as a share of the whole: expectations times ``weight`` (the chunk's
    share of the scenarios); per-scenario arrays unchanged."""
    out = Totals(**{k: weight * getattr(tot, k) for k in _SCALARS})
    for k in _NODES:
        if getattr(tot, k) is not None:
            setattr(out, k, weight * getattr(tot, k))
    for k in (*_PER_SCENARIO, "components"):
        setattr(out, k, getattr(tot, k))
    return out


def add_totals(a: Totals, b: Totals) -> Totals:
    """Totals of two consecutive scenario ranges (already scaled): expectations added,
    per-scenario arrays side by side (``a`` first)."""
    out = Totals(**{k: getattr(a, k) + getattr(b, k) for k in _SCALARS})
    for k in _NODES:
        if getattr(a, k) is not None:
            setattr(out, k, getattr(a, k) + getattr(b, k))
    for k in _PER_SCENARIO:
        if getattr(a, k) is not None:
            setattr(out, k, np.concatenate([getattr(a, k), getattr(b, k)], axis=1))
    if a.components is not None:
        out.components = np.concatenate([a.components, b.components], axis=2)
    return out


def reduce_pairwise(parts: list, add: Any) -> Any:
    """Adjacent pairs added level by level (a fixed tree, so any executor adds the same
    numbers in the same order)."""
    while len(parts) > 1:
        nxt = [add(parts[k], parts[k + 1]) for k in range(0, len(parts) - 1, 2)]
        if len(parts) % 2:
            nxt.append(parts[-1])
        parts = nxt
    return parts[0]


def _scaled_evaluate(engine: CascadeEngine, loans: np.ndarray, flags: dict, w: float) -> Totals:
    return scale_totals(engine.evaluate(loans, **flags), w)


class ChunkedEngine:
    """The cascade of a batch of configurations on chunked scenarios (see the module notes).

    It offers what :func:`alliance.network.limit.solve_shares` and the uniform rule need of a
    :class:`~alliance.network.contagion.CascadeEngine`: ``evaluate``, ``scenarios.weights``,
    ``B`` and ``topo``.

    Parameters
    ----------
    topo : Topology
        The network's topology.
    spec : ChunkedScenarios
        How the chunks are drawn.
    present : numpy.ndarray
        Bool (B × n): which nodes exist in each configuration.
    void_prob : float
        Probability q that a guarantee is void.
    backend : {"numpy", "dask"}
        Chunks one after the other in this process, or in parallel (threads or a cluster).
    client : dask.distributed.Client, optional
        With ``backend="dask"``: draw and keep the chunks on this cluster's workers.
    max_pairs, pledge, haircut, trade_contagion
        As in :class:`~alliance.network.contagion.CascadeEngine` (``max_pairs`` bounds the
        defaults processed at once inside a chunk).
    chunks : sequence of int, optional
        Only these chunks (a batch of the scenarios, for sectioning); default all.

    Examples
    --------
    >>> from alliance.network import AllianceNetwork
    >>> net = AllianceNetwork()
    >>> net.add_member("A", demand=100, pd=0.5, lgd=0.5)
    >>> net.add_member("B", demand=100, pd=0.1, lgd=0.5)
    >>> topo = net.topology()
    >>> import numpy as np
    >>> spec = ChunkedScenarios(n_scenarios=2000, chunk_scenarios=500, seed=1)
    >>> engine = ChunkedEngine(topo, spec, np.ones((1, topo.n), dtype=bool))
    >>> engine.n_scenarios, engine.chunk_ids
    (2000, [0, 1, 2, 3])
    >>> tot = engine.evaluate(np.array([[100.0, 100.0]]))
    >>> bool(abs(float(tot.expected_loss[0]) - 30) < 2.5)  # E[loss] = 0.5 · 50 + 0.1 · 50
    True
    >>> engine.close()
    """

    def __init__(
        self,
        topo: Topology,
        spec: ChunkedScenarios,
        present: np.ndarray,
        void_prob: float = 0.0,
        *,
        backend: str = "numpy",
        client: Any = None,
        max_pairs: int = 1_000_000,
        pledge: bool = False,
        haircut: float = 0.0,
        trade_contagion: bool = False,
        chunks: Sequence[int] | None = None,
    ) -> None:
        self._setup(topo, spec, present, backend, client, chunks)
        job = _Job(
            topo, spec, self.present, float(void_prob), int(max_pairs), bool(pledge),
            float(haircut), bool(trade_contagion),
        )  # fmt: skip
        if client is not None:
            job_f = client.scatter(job, broadcast=True, hash=False)
            self._parts = [
                client.submit(_chunk_engine, job_f, c, pure=False) for c in self.chunk_ids
            ]
        elif backend == "dask":
            import dask

            self._parts = list(
                dask.compute(*[dask.delayed(_chunk_engine)(job, c) for c in self.chunk_ids],
                             scheduler="threads")  # fmt: skip
            )
        else:
            self._parts = [_chunk_engine(job, c) for c in self.chunk_ids]

    def _setup(
        self,
        topo: Topology,
        spec: ChunkedScenarios,
        present: np.ndarray,
        backend: str,
        client: Any,
        chunks: Sequence[int] | None,
    ) -> None:
        self.topo = topo
        self.spec = spec
        self.present = np.asarray(present, dtype=bool)
        self.B = self.present.shape[0]
        self.backend = backend
        self.client = client
        bounds = spec.bounds
        self.chunk_ids = list(range(len(bounds)) if chunks is None else chunks)
        self.sizes = [bounds[c][1] - bounds[c][0] for c in self.chunk_ids]
        self.n_scenarios = int(sum(self.sizes))

    @property
    def scenarios(self) -> ChunkedScenarios:
        """The scenarios evaluated (``weights`` 1/S over the selected chunks)."""
        if len(self.chunk_ids) == len(self.spec.bounds):
            return self.spec
        return ChunkedScenarios(self.n_scenarios, self.n_scenarios, self.spec.seed)

    def batch(self, chunks: Sequence[int]) -> ChunkedEngine:
        """The same engine restricted to some chunks (no new draws; for sectioning).

        Parameters
        ----------
        chunks : sequence of int
            Indices of the chunks kept.

        Returns
        -------
        ChunkedEngine
            An engine sharing this one's prepared chunks (closing either releases them).

        Examples
        --------
        >>> from alliance.network import AllianceNetwork
        >>> net = AllianceNetwork()
        >>> net.add_member("A", demand=100, pd=0.5, lgd=0.5)
        >>> net.add_member("B", demand=100, pd=0.1, lgd=0.5)
        >>> topo = net.topology()
        >>> import numpy as np
        >>> spec = ChunkedScenarios(n_scenarios=2000, chunk_scenarios=500, seed=1)
        >>> engine = ChunkedEngine(topo, spec, np.ones((1, topo.n), dtype=bool))
        >>> engine.batch([1, 3]).n_scenarios
        1000
        """
        pos = {c: k for k, c in enumerate(self.chunk_ids)}
        new = ChunkedEngine.__new__(ChunkedEngine)
        new._setup(self.topo, self.spec, self.present, self.backend, self.client, list(chunks))
        new._parts = [self._parts[pos[c]] for c in chunks]
        return new

    def evaluate(
        self,
        loans: np.ndarray,
        *,
        losses: bool = False,
        nodes: bool = False,
        events: bool = False,
        loss_only: bool = False,
    ) -> Totals:
        """As :meth:`CascadeEngine.evaluate` (``events`` is not available on chunks).

        Each chunk's totals are weighted by its share of the scenarios and added pairwise
        along one fixed tree in chunk order, so every backend gives the same numbers.

        Parameters
        ----------
        loans : numpy.ndarray
            Loans (B × n, or B·n values), one row per configuration.
        losses : bool
            Also return each scenario's loss (``Totals.losses``, B × S).
        nodes : bool
            Also return per-node expectations (default, contagion, loss, guarantee payments).
        events : bool
            Not available on chunks (True raises ParameterError).
        loss_only : bool
            Compute the loss only (no split), for a faster search.

        Returns
        -------
        Totals
            The totals over every selected chunk.

        Examples
        --------
        >>> from alliance.network import AllianceNetwork
        >>> net = AllianceNetwork()
        >>> net.add_member("A", demand=100, pd=0.5, lgd=0.5)
        >>> net.add_member("B", demand=100, pd=0.1, lgd=0.5)
        >>> topo = net.topology()
        >>> import numpy as np
        >>> spec = ChunkedScenarios(n_scenarios=2000, chunk_scenarios=500, seed=1)
        >>> engine = ChunkedEngine(topo, spec, np.ones((1, topo.n), dtype=bool))
        >>> tot = engine.evaluate(np.array([[100.0, 0.0]]), losses=True)
        >>> tot.losses.shape, sorted(set(tot.losses[0].tolist()))
        ((1, 2000), [0.0, 50.0])
        """
        if events:
            raise ParameterError("events are not available on chunked scenarios")
        loans = np.asarray(loans, dtype=float).reshape(self.B, self.topo.n)
        flags = {"losses": losses, "nodes": nodes, "loss_only": loss_only}
        S = float(self.n_scenarios)
        weights = [n / S for n in self.sizes]
        if self.client is not None:
            client = self.client
            # a large loan matrix travels once to each worker, not once per chunk
            arg = client.scatter(loans, broadcast=True, hash=False) if loans.nbytes > 2**20 else loans
            leaves = [
                client.submit(_scaled_evaluate, p, arg, flags, w, pure=False)
                for p, w in zip(self._parts, weights)
            ]
            # the reduction runs on the workers: the client receives one set of totals
            return reduce_pairwise(
                leaves, lambda a, b: client.submit(add_totals, a, b, pure=False)
            ).result()
        if self.backend == "dask":
            import dask

            parts = list(dask.compute(
                *[dask.delayed(_scaled_evaluate)(p, loans, flags, w)
                  for p, w in zip(self._parts, weights)],
                scheduler="threads",
            ))  # fmt: skip
        else:
            parts = [_scaled_evaluate(p, loans, flags, w) for p, w in zip(self._parts, weights)]
        return reduce_pairwise(parts, add_totals)

    def close(self) -> None:
        """Release the chunks held on the workers.

        Examples
        --------
        >>> from alliance.network import AllianceNetwork
        >>> net = AllianceNetwork()
        >>> net.add_member("A", demand=100, pd=0.5, lgd=0.5)
        >>> net.add_member("B", demand=100, pd=0.1, lgd=0.5)
        >>> topo = net.topology()
        >>> import numpy as np
        >>> spec = ChunkedScenarios(n_scenarios=1000, chunk_scenarios=500, seed=1)
        >>> engine = ChunkedEngine(topo, spec, np.ones((1, topo.n), dtype=bool))
        >>> engine.close()
        """
        if self.client is not None:
            for p in self._parts:
                p.release()
        self._parts = []


def allocation_risk(
    net: Any,
    loans: Mapping[str, float] | Sequence[float] | np.ndarray,
    *,
    scenarios: int = 10_000,
    chunk_scenarios: int | None = None,
    seed: int | None = None,
    rho: float = 0.12,
    sector_rho: float = 0.0,
    void_prob: float = 0.0,
    alpha: float = 0.999,
    haircut: float = 0.0,
    pledge: bool = True,
    trade_contagion: bool = False,
    backend: str = "numpy",
    client: Any = None,
    chunk_defaults: int = 1_000_000,
) -> TailEstimate:
    """The bank's expected loss, VaR and expected shortfall at a given allocation, on chunks.

    The cascade (docs/credit_v2.md, "The rules of one scenario") runs on chunked scenarios,
    on the workers of ``client`` when given: the check of an allocation (e.g. the alliance's,
    or a proposal) on far more scenarios than one process holds. Only the S scenario losses
    come back to the caller. Value at risk and expected shortfall as in Rockafellar & Uryasev
    (2000) (:mod:`alliance.network.tails`).

    Parameters
    ----------
    net : AllianceNetwork
    loans : mapping member -> loan, or array in node order
        The allocation (members absent from a mapping borrow 0; institutions never borrow).
    scenarios, chunk_scenarios, seed, rho, sector_rho, void_prob
        As in :func:`~alliance.network.margin.credit_margin` (``chunk_scenarios`` default:
        chunks of about ``chunk_defaults`` primary defaults).
    alpha : float
        Confidence of the value at risk and the expected shortfall.
    haircut, pledge, trade_contagion
        The bank's haircut on pledged receivables, whether receivables are pledged, and
        trade contagion.
    backend, client
        ``"numpy"`` (this process), ``"dask"`` (threads, or the cluster of ``client``).
    chunk_defaults : int
        Default chunk size: about this many primary defaults per chunk; also bounds the
        defaults processed at once inside a chunk.

    Returns
    -------
    TailEstimate
        Expected loss, value at risk and expected shortfall of the bank's loss.

    Examples
    --------
    >>> from alliance.network import AllianceNetwork
    >>> net = AllianceNetwork()
    >>> net.add_member("A", demand=100, pd=0.5, lgd=0.5)
    >>> est = allocation_risk(net, {"A": 100}, scenarios=4000, chunk_scenarios=1000, seed=1,
    ...                       alpha=0.9)
    >>> est.value_at_risk, est.expected_shortfall, round(est.expected_loss / 50, 1)
    (50.0, 50.0, 0.5)

    References
    ----------
    Rockafellar, R. T. & Uryasev, S. (2000). Optimization of conditional value-at-risk.
    *Journal of Risk*, 2(3), 21-41.
    """
    from alliance.network.margin import check_backend, check_void_prob

    check_backend(backend)
    q = check_void_prob(void_prob)
    client = resolve_client(backend, client)
    topo = net.topology()
    if isinstance(loans, Mapping):
        vec = np.zeros(topo.n)
        for name, value in loans.items():
            if name not in topo.index:
                raise ParameterError(f"loans names {name!r}, which is not in the network")
            vec[topo.index[name]] = float(value)
    else:
        vec = np.asarray(loans, dtype=float)
        if vec.shape != (topo.n,):
            raise ParameterError(f"loans has shape {vec.shape}; it must be ({topo.n},)")
    if not np.all(np.isfinite(vec)) or np.any(vec < 0):
        raise ParameterError("loans must be finite and non-negative")
    vec = np.where(topo.is_member, vec, 0.0)
    if isinstance(scenarios, bool) or not isinstance(scenarios, (int, np.integer)):
        raise ParameterError(f"scenarios is {scenarios!r}; give a number of scenarios")
    n_scen = int(scenarios)
    if chunk_scenarios is None:
        chunk_scenarios = default_chunk_scenarios(topo, max(n_scen, 1), chunk_defaults)
    seed = as_seed(np.random.SeedSequence()) if seed is None else as_seed(seed)
    sectors = None
    if sector_rho > 0:
        sectors = tuple(net.graph.nodes[nm]["sector"] for nm in topo.names)
    spec = ChunkedScenarios(n_scen, int(chunk_scenarios), int(seed), float(rho),
                            float(sector_rho), sectors)  # fmt: skip
    engine = ChunkedEngine(
        topo, spec, np.ones((1, topo.n), dtype=bool), q, backend=backend, client=client,
        max_pairs=chunk_defaults, pledge=pledge, haircut=float(haircut),
        trade_contagion=trade_contagion,
    )  # fmt: skip
    try:
        tot = engine.evaluate(vec[None, :], losses=True)
    finally:
        engine.close()
    return tail_risk(tot.losses[0], alpha, spec.weights)
