r"""Default scenarios: the one-factor Gaussian copula (Vasicek) with optional sector factors.

Node ``i`` defaults in a scenario when

.. math:: \sqrt{\rho}\,Z + \sqrt{\rho_s}\,Z_{s(i)} + \sqrt{1-\rho-\rho_s}\,\varepsilon_i
          < \Phi^{-1}(p_i),

with a common factor ``Z``, one factor ``Z_s`` per sector (only for nodes that have a sector;
``rho_s = 0`` without sector factors) and idiosyncratic ``eps_i``, all independent standard
normal. Each node defaults with probability ``p_i`` and any two nodes of one sector have asset
correlation ``rho + rho_s`` (``rho`` across sectors).

A :class:`ScenarioSet` is drawn once and reused by every call that receives it (common random
numbers): alliance limits of all sub-alliances, the bisection on the loan share, and the
margin at several correlations all see the same idiosyncratic draws. Draws are generated in
chunks of scenarios so that memory stays bounded; they are keyed to the node's position in
the network (its insertion order), not to its name, so renaming members changes nothing.

References
----------
Vasicek, O. (2002). The distribution of loan portfolio value. *Risk*, 15(12), 160-162.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

import numpy as np
import scipy.sparse as sp
from scipy.special import ndtr, ndtri

from alliance.errors import ParameterError, SizeLimitError
from alliance.numbers import as_seed, check_work, estimate_scenarios

__all__ = ["ScenarioSet", "simulate_defaults", "exact_defaults", "void_uniforms"]

#: The largest number of random members for which ``scenarios="exact"`` enumerates patterns.
EXACT_MAX_MEMBERS = 16


@dataclass(frozen=True, eq=False)
class ScenarioSet:
    """Primary-default scenarios shared by every computation that receives them.

    Attributes
    ----------
    defaults : scipy.sparse.csr_matrix
        Boolean (scenarios × nodes): ``defaults[k, i]`` is True when node ``i`` defaults in
        scenario ``k`` on its own (before any contagion).
    weights : numpy.ndarray
        Probability of each scenario (``1/S`` for Monte Carlo, exact pattern probabilities for
        ``method="exact"``); they sum to 1.
    method : str
        ``"monte_carlo"`` or ``"exact"``.
    rho, sector_rho : float
        Loadings on the common and the sector factor.
    seed : int or None
        Seed of the draws (also keys the void-guarantee draws).
    void_key : int
        64-bit key of the void-guarantee uniforms, derived from ``seed``.
    """

    defaults: sp.csr_matrix
    weights: np.ndarray
    method: str = "monte_carlo"
    rho: float = 0.0
    sector_rho: float = 0.0
    seed: int | None = None
    void_key: int = 0
    nodes: tuple[str, ...] = field(default=())

    @property
    def n_scenarios(self) -> int:
        """Number of scenarios S."""
        return int(self.defaults.shape[0])

    @property
    def n_nodes(self) -> int:
        """Number of nodes the scenarios cover."""
        return int(self.defaults.shape[1])

    @property
    def is_exact(self) -> bool:
        """Whether the scenarios enumerate every default pattern with its probability."""
        return self.method == "exact"

    def chunks(self, max_pairs: int = 2_000_000) -> Iterator[tuple[int, int]]:
        """Yield ``(start, stop)`` scenario ranges holding at most about ``max_pairs`` defaults."""
        indptr = self.defaults.indptr
        s = self.n_scenarios
        start = 0
        while start < s:
            target = indptr[start] + max_pairs
            stop = int(np.searchsorted(indptr, target, side="right")) - 1
            stop = min(max(stop, start + 1), s)
            yield start, stop
            start = stop

    def pairs(self, start: int, stop: int) -> tuple[np.ndarray, np.ndarray]:
        """Scenario (relative to ``start``) and node index of each primary default in a range."""
        block = self.defaults[start:stop]
        counts = np.diff(block.indptr)
        scen = np.repeat(np.arange(stop - start, dtype=np.int64), counts)
        return scen, block.indices.astype(np.int64)

    def default_rate(self) -> np.ndarray:
        """Probability of primary default of each node under these scenarios."""
        return np.asarray(self.defaults.T.astype(float) @ self.weights).ravel()

    def __repr__(self) -> str:
        return (
            f"ScenarioSet(method={self.method!r}, scenarios={self.n_scenarios}, "
            f"nodes={self.n_nodes}, rho={self.rho}, sector_rho={self.sector_rho}, seed={self.seed})"
        )


def _check_loadings(rho: float, sector_rho: float) -> tuple[float, float]:
    for name, val in (("rho", rho), ("sector_rho", sector_rho)):
        if not np.isfinite(val) or not 0.0 <= val < 1.0:
            raise ParameterError(f"{name} is {val!r}; it must lie in [0, 1)")
    if rho + sector_rho >= 1.0:
        raise ParameterError(
            f"rho + sector_rho is {rho + sector_rho!r}; it must be below 1 (rho={rho}, "
            f"sector_rho={sector_rho})"
        )
    return float(rho), float(sector_rho)


def _void_key(seed: int | None) -> int:
    ss = np.random.SeedSequence(seed)
    return int(ss.spawn(3)[2].generate_state(1, dtype=np.uint64)[0])


def simulate_defaults(
    pd: np.ndarray,
    n_scenarios: int,
    *,
    rho: float = 0.0,
    sector: Sequence[object] | None = None,
    sector_rho: float = 0.0,
    seed: int | None = None,
    chunk_cells: int = 4_000_000,
    nodes: Sequence[str] = (),
    progress: bool | None = None,
) -> ScenarioSet:
    """Draw primary defaults from the Vasicek copula, in chunks of scenarios.

    Parameters
    ----------
    pd : array_like
        Default probability of each node, in [0, 1].
    n_scenarios : int
        Number of scenarios S ≥ 1.
    rho : float
        Loading on the common factor, in [0, 1).
    sector : sequence, optional
        Sector label of each node (None or NaN: no sector factor).
    sector_rho : float
        Loading on the sector factor, in [0, 1 - rho).
    seed : int, optional
        Seed; the same seed gives the same scenarios.
    chunk_cells : int
        Scenarios × nodes drawn at once (bounds memory at about 8 bytes per cell).
    progress : bool or None
        Show a progress bar (None: only on a terminal).

    Returns
    -------
    ScenarioSet

    Examples
    --------
    >>> sc = simulate_defaults([0.5, 0.0], 1000, rho=0.2, seed=1)
    >>> sc.n_scenarios, bool(sc.defaults[:, 1].nnz == 0)
    (1000, True)
    """
    from tqdm.auto import tqdm

    p = np.asarray(pd, dtype=float)
    n_scenarios = int(n_scenarios)
    if n_scenarios < 1:
        raise ParameterError(f"scenarios is {n_scenarios!r}; it must be a positive integer")
    rho, sector_rho = _check_loadings(float(rho), float(sector_rho))
    n = p.size
    seed = as_seed(seed)
    check_work(estimate_scenarios(n_scenarios, n, 0 if sector is None else len(set(map(str, sector)))))
    ss_sys, ss_idio, _ = np.random.SeedSequence(seed).spawn(3)
    rng_sys = np.random.Generator(np.random.PCG64(ss_sys))
    rng_idio = np.random.Generator(np.random.PCG64(ss_idio))

    # The systematic factors are drawn for all scenarios first, so that chunking the
    # idiosyncratic draws never changes the scenarios.
    z = rng_sys.standard_normal(n_scenarios)
    sec_idx = np.full(n, -1, dtype=np.int64)
    n_sec = 0
    if sector is not None and sector_rho > 0:
        labels = [
            None if (s is None or (isinstance(s, float) and np.isnan(s))) else s for s in sector
        ]
        uniq = sorted({str(s) for s in labels if s is not None})
        lookup = {s: k for k, s in enumerate(uniq)}
        sec_idx = np.array([-1 if s is None else lookup[str(s)] for s in labels], dtype=np.int64)
        n_sec = len(uniq)
    zs = rng_sys.standard_normal((n_scenarios, max(n_sec, 1)))

    risky = np.flatnonzero(p > 0)
    always = np.flatnonzero(p >= 1)
    thr = ndtri(np.clip(p[risky], 0.0, 1.0))
    has_sec = sec_idx[risky] >= 0
    idio_sd = np.where(has_sec, np.sqrt(1 - rho - sector_rho), np.sqrt(1 - rho))
    rows_chunk = max(1, chunk_cells // max(risky.size, 1))
    rows_out: list[np.ndarray] = []
    cols_out: list[np.ndarray] = []
    starts = range(0, n_scenarios, rows_chunk)
    for start in tqdm(starts, disable=_disable(progress), desc="scenarios", leave=False):
        stop = min(start + rows_chunk, n_scenarios)
        systematic = np.sqrt(rho) * z[start:stop, None]
        if n_sec:
            sec_part = np.sqrt(sector_rho) * zs[start:stop][:, np.maximum(sec_idx[risky], 0)]
            systematic = systematic + np.where(has_sec, sec_part, 0.0)
        # default when eps < (threshold - systematic) / idiosyncratic sd
        eps = rng_idio.standard_normal((stop - start, risky.size))
        hit = eps * idio_sd < thr - systematic
        r, c = np.nonzero(hit)
        rows_out.append(r + start)
        cols_out.append(risky[c])
    rows = np.concatenate(rows_out) if rows_out else np.empty(0, np.int64)
    cols = np.concatenate(cols_out) if cols_out else np.empty(0, np.int64)
    if always.size:  # pd = 1 defaults in every scenario (the normal draw can never say so)
        rows = np.concatenate([rows, np.repeat(np.arange(n_scenarios), always.size)])
        cols = np.concatenate([cols, np.tile(always, n_scenarios)])
    mat = sp.csr_matrix(
        (np.ones(rows.size, dtype=bool), (rows, cols)), shape=(n_scenarios, n), dtype=bool
    )
    mat.sum_duplicates()
    mat.sort_indices()
    return ScenarioSet(
        defaults=mat,
        weights=np.full(n_scenarios, 1.0 / n_scenarios),
        method="monte_carlo",
        rho=rho,
        sector_rho=sector_rho,
        seed=seed,
        void_key=_void_key(seed),
        nodes=tuple(nodes),
    )


def exact_defaults(
    pd: np.ndarray,
    *,
    rho: float = 0.0,
    quadrature: int = 96,
    nodes: Sequence[str] = (),
    seed: int | None = None,
) -> ScenarioSet:
    r"""Every default pattern of the random nodes with its exact probability.

    Nodes with ``0 < pd < 1`` are enumerated (at most :data:`EXACT_MAX_MEMBERS`); ``pd = 0``
    never and ``pd = 1`` always default. Independent defaults (``rho = 0``) give exact
    products; with ``rho > 0`` the probabilities integrate the conditional independence
    given ``Z`` by Gauss–Hermite quadrature with ``quadrature`` nodes.

    Examples
    --------
    >>> sc = exact_defaults([0.04, 0.0])
    >>> sc.n_scenarios, [round(float(w), 4) for w in sc.weights]
    (2, [0.96, 0.04])
    """
    p = np.asarray(pd, dtype=float)
    rho, _ = _check_loadings(float(rho), 0.0)
    n = p.size
    seed = as_seed(seed)
    risky = np.flatnonzero((p > 0) & (p < 1))
    always = np.flatnonzero(p >= 1)
    k = risky.size
    if k > EXACT_MAX_MEMBERS:
        raise SizeLimitError(
            f"scenarios='exact' enumerates 2**{k} default patterns ({k} members with 0 < pd < 1); "
            f"it supports at most {EXACT_MAX_MEMBERS}; use a number of Monte Carlo scenarios"
        )
    patterns = ((np.arange(2**k)[:, None] >> np.arange(k)[None, :]) & 1).astype(bool)
    if rho == 0.0:
        pz = p[risky][None, :]
        qw = np.ones(1)
    else:
        x, w = np.polynomial.hermite_e.hermegauss(int(quadrature))
        qw = w / w.sum()
        pz = ndtr((ndtri(p[risky])[None, :] - np.sqrt(rho) * x[:, None]) / np.sqrt(1 - rho))
    pz = np.clip(pz, 1e-300, 1.0 - 1e-16)  # far quadrature nodes underflow
    logp, log1p = np.log(pz), np.log1p(-pz)
    logw = patterns.astype(float) @ logp.T + (~patterns).astype(float) @ log1p.T
    weights = np.exp(logw) @ qw
    weights = weights / weights.sum()
    full = np.zeros((2**k, n), dtype=bool)
    full[:, risky] = patterns
    full[:, always] = True
    return ScenarioSet(
        defaults=sp.csr_matrix(full),
        weights=weights,
        method="exact",
        rho=rho,
        sector_rho=0.0,
        seed=seed,
        void_key=_void_key(seed),
        nodes=tuple(nodes),
    )


_M1 = np.uint64(0xBF58476D1CE4E5B9)
_M2 = np.uint64(0x94D049BB133111EB)
_GOLD = np.uint64(0x9E3779B97F4A7C15)


def void_uniforms(key: int, scenario: np.ndarray, chain: np.ndarray) -> np.ndarray:
    """Counter-based uniforms in [0, 1) for (scenario, chain) pairs (splitmix64 finaliser).

    A guarantee is void in a scenario when its uniform is below ``q``. The uniform depends only
    on the key, the scenario and the chain, so every sub-alliance, loan share and round sees
    the same void guarantees (common random numbers) without storing a scenarios × chains
    table.
    """
    with np.errstate(over="ignore"):
        x = np.uint64(key) ^ (
            scenario.astype(np.uint64) * _GOLD + (chain.astype(np.uint64) + np.uint64(1)) * _M2
        )
        x = (x ^ (x >> np.uint64(30))) * _M1
        x = (x ^ (x >> np.uint64(27))) * _M2
        x = x ^ (x >> np.uint64(31))
    return (x >> np.uint64(11)).astype(np.float64) * (1.0 / 9007199254740992.0)


def _disable(progress: bool | None) -> bool | None:
    return None if progress is None else not progress
