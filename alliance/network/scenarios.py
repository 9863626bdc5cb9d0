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

Every scenario carries a probability weight (``ScenarioSet.weights``). Plain Monte Carlo
(``sampling="plain"``) draws from the model and weighs each scenario ``1/S``;
``scenarios="exact"`` enumerates the default patterns with their probabilities (given the
common factor, defaults are independent with the conditional probabilities of
:func:`~alliance.network.vasicek.conditional_pd`, integrated over the factor by
Gauss–Hermite quadrature); ``sampling="importance"`` draws the factors and the defaults from
a measure aimed at the tail (Glasserman & Li 2005, :mod:`alliance.network.importance`) and
weighs each scenario by its likelihood ratio over ``S``.

References
----------
Vasicek, O. (2002). The distribution of loan portfolio value. *Risk*, 15(12), 160-162.

Glasserman, P. & Li, J. (2005). Importance sampling for portfolio credit risk. *Management
Science*, 51(11), 1643-1656.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np
import scipy.sparse as sp
from scipy.special import ndtri

from alliance.errors import ParameterError, SizeLimitError
from alliance.network.importance import (
    TailProxy,
    check_exposure,
    defensive_rows,
    mixture_likelihood_ratio,
    shift_likelihood_ratio,
)
from alliance.network.tails import check_alpha, tail_quantile
from alliance.network.vasicek import conditional_pd
from alliance.numbers import as_seed, check_work, estimate_scenarios

__all__ = [
    "ScenarioSet",
    "simulate_defaults",
    "exact_defaults",
    "void_uniforms",
    "sector_index",
]

#: The largest number of random members for which ``scenarios="exact"`` enumerates patterns.
EXACT_MAX_MEMBERS = 16


@dataclass(frozen=True, eq=False)
class ScenarioSet:
    """Primary-default scenarios shared by every computation that receives them.

    Every consumer reads the probability of scenario ``k`` as ``weights[k]``: expectations
    are ``weights @ values``, quantiles are weighted quantiles. Plain Monte Carlo has equal
    weights ``1/S``; exact enumeration has the patterns' probabilities; importance sampling
    has ``LR_k / S``, the scenario's likelihood ratio over the number of scenarios (see
    :mod:`alliance.network.importance`). Those are unbiased estimates of each scenario's
    probability and sum to 1 only on average: consumers must not renormalise them, and
    should take quantiles from the upper tail (:func:`alliance.network.tails.tail_quantile`;
    identical to the usual weighted quantile when the weights sum to 1). Self-normalised
    weights ``LR_k / sum(LR)`` would be much worse in the tail: the sum is dominated by the
    body of the distribution, which the importance measure samples poorly on purpose.

    Built by :func:`simulate_defaults` and :func:`exact_defaults` (or from a caller's own
    default matrix, ``method="given"``).

    Parameters
    ----------
    defaults : scipy.sparse.csr_matrix
        Boolean (scenarios × nodes): ``defaults[k, i]`` is True when node ``i`` defaults in
        scenario ``k`` on its own (before any contagion).
    weights : numpy.ndarray or None
        Probability of each scenario, non-negative and summing to 1 (within 1e-9; under
        importance sampling only on average). ``None`` (the default) means equal weights
        ``1/S``, the plain Monte Carlo case; it is replaced by that array on construction, so
        ``sc.weights`` is always an array.
    method : str
        ``"monte_carlo"``, ``"exact"`` or ``"given"`` (scenarios supplied by the caller).
    rho, sector_rho : float
        Loadings on the common and the sector factor.
    seed : int or None
        Seed of the draws (also keys the void-guarantee draws).
    void_key : int
        64-bit key of the void-guarantee uniforms, derived from ``seed``.
    nodes : tuple of str
        Node names, in the order of the columns.
    sampling : str
        ``"plain"`` (draws from the model itself) or ``"importance"`` (draws from a shifted
        and possibly twisted measure, corrected by the weights).
    likelihood_ratio : numpy.ndarray or None
        Importance sampling only: the likelihood ratio (model density over sampling
        density) of each scenario; its mean is 1 in expectation, and ``weights`` is it
        divided by S. None for plain and exact scenarios.
    factor_shift : tuple of float
        Importance sampling only: the mean of the systematic factors under the sampling
        measure, the common factor first, then one per sector (sorted by label).
    twist : bool
        Importance sampling only: whether conditional default probabilities were
        exponentially twisted given the factors.
    defensive : float
        Importance sampling only: the fraction of scenarios drawn from the model itself.

    Raises
    ------
    ParameterError
        If the weights do not match the scenarios, are negative, or (plain sampling) do not
        sum to 1.

    Examples
    --------
    Two nodes; the first defaults in one of four equally likely scenarios:

    >>> import scipy.sparse as sp
    >>> sc = ScenarioSet(sp.csr_matrix([[1, 0], [0, 0], [0, 0], [0, 0]], dtype=bool),
    ...                  method="given", nodes=("A", "B"))
    >>> sc.n_scenarios, sc.n_nodes, sc.weights.tolist()
    (4, 2, [0.25, 0.25, 0.25, 0.25])
    >>> sc.default_rate().tolist()
    [0.25, 0.0]
    """

    defaults: sp.csr_matrix
    weights: np.ndarray | None = None
    method: str = "monte_carlo"
    rho: float = 0.0
    sector_rho: float = 0.0
    seed: int | None = None
    void_key: int = 0
    nodes: tuple[str, ...] = field(default=())
    sampling: str = "plain"
    likelihood_ratio: np.ndarray | None = None
    factor_shift: tuple[float, ...] = ()
    twist: bool = False
    defensive: float = 0.0

    def __post_init__(self) -> None:
        s = int(self.defaults.shape[0])
        if self.weights is None:
            object.__setattr__(self, "weights", np.full(s, 1.0 / max(s, 1)))
            return
        w = np.asarray(self.weights, dtype=float)
        if w.shape != (s,):
            raise ParameterError(
                f"weights has shape {w.shape}; it must have one entry per scenario, ({s},)"
            )
        if not np.isfinite(w).all() or (w < 0).any():
            raise ParameterError("weights must be finite and non-negative (probabilities)")
        if self.sampling not in ("plain", "importance"):
            raise ParameterError(
                f"sampling is {self.sampling!r}; it must be 'plain' or 'importance'"
            )
        if self.sampling == "plain" and s and abs(float(w.sum()) - 1.0) > 1e-9:
            raise ParameterError(
                f"weights sum to {float(w.sum())!r}; scenario probabilities must sum to 1"
            )
        object.__setattr__(self, "weights", w)

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

    @property
    def is_weighted(self) -> bool:
        """Whether the scenarios have unequal weights (exact or importance sampling)."""
        return self.is_exact or self.sampling == "importance"

    @property
    def effective_sample_size(self) -> float:
        """Kish's effective number of scenarios, ``sum(w)**2 / sum(w**2)`` (S for plain MC)."""
        return float(self.weights.sum() ** 2 / np.sum(self.weights**2))

    def subset(self, start: int, stop: int) -> ScenarioSet:
        """The scenarios ``start:stop`` as a scenario set of their own (a batch).

        For sectioning (batch means): plain and exact weights are renormalised to sum to 1;
        a batch of an importance-sampled set is itself an importance-sampled set with the
        same shift, with weights ``LR_k / (stop - start)``.

        Parameters
        ----------
        start, stop : int
            The range of scenarios, ``0 <= start < stop <= n_scenarios``.

        Returns
        -------
        ScenarioSet
            The batch, with its own weights.

        Raises
        ------
        ParameterError
            If the range is empty or outside the scenarios.

        Examples
        --------
        >>> sc = exact_defaults([0.25, 0.5])
        >>> batch = sc.subset(0, 2)
        >>> batch.n_scenarios, [round(float(w), 4) for w in batch.weights]
        (2, [0.75, 0.25])
        """
        start, stop = int(start), int(stop)
        if not 0 <= start < stop <= self.n_scenarios:
            raise ParameterError(
                f"subset is [{start}, {stop}); it must be a non-empty range within "
                f"[0, {self.n_scenarios})"
            )
        lr = None if self.likelihood_ratio is None else self.likelihood_ratio[start:stop]
        if lr is not None:
            w = lr / (stop - start)
        else:
            w = self.weights[start:stop]
            total = float(w.sum())
            w = w / total if total > 0 else np.full(stop - start, 1.0 / (stop - start))
        return replace(
            self, defaults=self.defaults[start:stop], weights=w, likelihood_ratio=lr
        )

    def chunks(self, max_pairs: int = 2_000_000) -> Iterator[tuple[int, int]]:
        """Yield ``(start, stop)`` scenario ranges holding at most about ``max_pairs`` defaults.

        A range holds at least one scenario, so one scenario with more than ``max_pairs``
        defaults makes a range of its own.

        Parameters
        ----------
        max_pairs : int
            The number of (scenario, defaulting node) pairs a range should not exceed.

        Yields
        ------
        tuple of int
            ``(start, stop)``, consecutive ranges covering every scenario.

        Examples
        --------
        >>> sc = exact_defaults([0.5, 0.5])
        >>> list(sc.chunks(max_pairs=2))
        [(0, 3), (3, 4)]
        """
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
        """Scenario (relative to ``start``) and node index of each primary default in a range.

        Parameters
        ----------
        start, stop : int
            The range of scenarios, as yielded by :meth:`chunks`.

        Returns
        -------
        tuple of numpy.ndarray
            ``(scenario, node)``, int64 arrays of equal length, one entry per primary default.

        Examples
        --------
        >>> sc = exact_defaults([0.5, 0.5])
        >>> scen, node = sc.pairs(1, 4)
        >>> scen.tolist(), node.tolist()
        ([0, 1, 2, 2], [0, 1, 0, 1])
        """
        block = self.defaults[start:stop]
        counts = np.diff(block.indptr)
        scen = np.repeat(np.arange(stop - start, dtype=np.int64), counts)
        return scen, block.indices.astype(np.int64)

    def default_rate(self) -> np.ndarray:
        """Probability of primary default of each node under these scenarios.

        Returns
        -------
        numpy.ndarray
            ``weights @ defaults``, one probability per node (exact for exact scenarios, an
            estimate otherwise).

        Examples
        --------
        >>> [round(float(p), 4) for p in exact_defaults([0.04, 0.3, 1.0]).default_rate()]
        [0.04, 0.3, 1.0]
        """
        return np.asarray(self.defaults.T.astype(float) @ self.weights).ravel()

    def __repr__(self) -> str:
        extra = ""
        if self.sampling == "importance":
            shift = ", ".join(f"{m:.4g}" for m in self.factor_shift)
            extra = (
                f", sampling='importance', shift=({shift}), twist={self.twist}, "
                f"defensive={self.defensive:g}, "
                f"effective_size={self.effective_sample_size:.0f}"
            )
        return (
            f"ScenarioSet(method={self.method!r}, scenarios={self.n_scenarios}, "
            f"nodes={self.n_nodes}, rho={self.rho}, sector_rho={self.sector_rho}, "
            f"seed={self.seed}{extra})"
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


def void_stream_key(seed: int | None) -> int:
    ss = np.random.SeedSequence(seed)
    return int(ss.spawn(3)[2].generate_state(1, dtype=np.uint64)[0])


SAMPLINGS = ("plain", "importance")

#: Scenarios of the pilot run that sets the default importance-sampling target.
PILOT_SCENARIOS = 2_000


def sector_index(sector: Sequence[object] | None, n: int) -> tuple[np.ndarray, tuple[str, ...]]:
    """Sector position of each node (-1: none) and the sorted sector labels.

    ``None`` and NaN labels mean no sector factor.

    Parameters
    ----------
    sector : sequence or None
        Sector label of each node (None: no node has a sector).
    n : int
        Number of nodes.

    Returns
    -------
    tuple
        ``(index, labels)``: the position of each node's sector in ``labels`` (int64, -1 for
        no sector) and the sorted distinct labels (as strings).

    Raises
    ------
    ParameterError
        If ``sector`` does not have one label per node.

    Examples
    --------
    >>> idx, labels = sector_index(["retail", None, "farming", "retail"], 4)
    >>> idx.tolist(), labels
    ([1, -1, 0, 1], ('farming', 'retail'))
    """
    if sector is None:
        return np.full(n, -1, dtype=np.int64), ()
    labels = [None if (s is None or (isinstance(s, float) and np.isnan(s))) else s for s in sector]
    if len(labels) != n:
        raise ParameterError(f"sector has {len(labels)} entries; it must have one per node ({n})")
    uniq = sorted({str(s) for s in labels if s is not None})
    lookup = {s: k for k, s in enumerate(uniq)}
    idx = np.array([-1 if s is None else lookup[str(s)] for s in labels], dtype=np.int64)
    return idx, tuple(uniq)


def _check_shift(shift: Any, dim: int) -> np.ndarray | None:
    if shift is None:
        return None
    try:
        mu = np.atleast_1d(np.asarray(shift, dtype=float))
    except (TypeError, ValueError):
        mu = np.full(0, np.nan)
    if mu.size == 1 and dim > 1:
        mu = np.concatenate([mu, np.zeros(dim - 1)])
    if mu.shape != (dim,) or not np.isfinite(mu).all():
        raise ParameterError(
            f"shift is {shift!r}; it must be a finite number (the common factor's mean) or "
            f"{dim} numbers (common factor, then one per sector in sorted order)"
        )
    return mu


class _Copula:
    """The thresholds of the nodes that can default, and the chunked draw of defaults."""

    def __init__(self, p, rho, sector_rho, sec_idx, n_sec):
        self.p, self.rho, self.sector_rho = p, rho, sector_rho
        self.sec_idx, self.n_sec = sec_idx, n_sec
        self.risky = np.flatnonzero(p > 0)
        self.always = np.flatnonzero(p >= 1)
        self.thr = ndtri(np.clip(p[self.risky], 0.0, 1.0))
        self.has_sec = sec_idx[self.risky] >= 0
        self.idio_sd = np.where(
            self.has_sec, np.sqrt(1 - rho - sector_rho), np.sqrt(1 - rho)
        )

    def draw(
        self, z, zs, rng_idio, chunk_cells, progress, proxy=None, target=None, log_lr=None,
        apply=None,
    ):  # fmt: skip
        """Defaults (row, column) of every scenario, and the proxy loss when ``proxy`` is given.

        With a ``target``, the rows ``apply`` (bool) that need it are twisted, and ``log_lr``
        gains every row's twist log likelihood ratio.
        """
        from tqdm.auto import tqdm

        risky, n_scen = self.risky, z.size
        mid = None if proxy is None else proxy.mask[risky]
        proxy_loss = None if proxy is None else np.zeros(n_scen)
        rows_chunk = max(1, chunk_cells // max(risky.size, 1))
        rows_out: list[np.ndarray] = []
        cols_out: list[np.ndarray] = []
        starts = range(0, n_scen, rows_chunk)
        for start in tqdm(starts, disable=_disable(progress), desc="scenarios", leave=False):
            stop = min(start + rows_chunk, n_scen)
            systematic = np.sqrt(self.rho) * z[start:stop, None]
            if self.n_sec:
                sec_part = np.sqrt(self.sector_rho) * zs[start:stop][
                    :, np.maximum(self.sec_idx[risky], 0)
                ]
                systematic = systematic + np.where(self.has_sec, sec_part, 0.0)
            # default when eps < (threshold - systematic) / idiosyncratic sd
            eps = rng_idio.standard_normal((stop - start, risky.size))
            hit = eps * self.idio_sd < self.thr - systematic
            if proxy is not None:
                if target is not None:
                    cp = proxy.conditional_pd(z[start:stop], zs[start:stop, : max(self.n_sec, 1)])
                    # untwisted rows keep the plain comparison, bit for bit
                    hit[:, mid], log_tw = proxy.twist(
                        cp, eps[:, mid], target, hit[:, mid], apply[start:stop]
                    )
                    log_lr[start:stop] += log_tw
                proxy_loss[start:stop] = proxy.proxy(hit[:, mid])
            r, c = np.nonzero(hit)
            rows_out.append(r + start)
            cols_out.append(risky[c])
        rows = np.concatenate(rows_out) if rows_out else np.empty(0, np.int64)
        cols = np.concatenate(cols_out) if cols_out else np.empty(0, np.int64)
        if self.always.size:  # pd = 1 defaults in every scenario (the draw can never say so)
            rows = np.concatenate([rows, np.repeat(np.arange(n_scen), self.always.size)])
            cols = np.concatenate([cols, np.tile(self.always, n_scen)])
        return rows, cols, proxy_loss

    def sample(self, z, zs, rng_idio, chunk_cells, progress, proxy, mu, x, defensive):
        """Importance sampling: shift the factors of the non-defensive rows by ``mu``, twist
        them towards ``x`` (None: no twist); returns defaults, proxy losses and the
        likelihood ratios of the defensive mixture."""
        plain = defensive_rows(z.size, defensive)
        beta = float(plain.mean()) if z.size else 0.0
        moved = ~plain
        z = z + np.where(moved, mu[0], 0.0)
        if self.n_sec:
            zs = zs.copy()
            zs[:, : self.n_sec] += np.where(moved[:, None], mu[1:], 0.0)
        log_lr = np.log(shift_likelihood_ratio(np.column_stack([z, zs[:, : self.n_sec]]), mu))
        rows, cols, loss = self.draw(
            z, zs, rng_idio, chunk_cells, progress, proxy, x, log_lr, moved
        )
        return rows, cols, loss, mixture_likelihood_ratio(log_lr, beta)


def _plan_importance(copula, proxy, mu, twist, alpha, target, ss_pilot, chunk_cells, defensive):
    """The shift and the (scaled) twist target of the main run.

    Without a given target, a pilot of :data:`PILOT_SCENARIOS` importance-sampled scenarios
    aimed at the large-pool value at risk estimates the proxy loss's α-quantile (which a
    small alliance's granularity pushes above the large-pool value), and the main run aims
    there.
    """
    if not proxy.active:
        return (np.zeros(proxy.dim) if mu is None else mu), None
    if target is not None:
        x = proxy.to_scaled(target)
    else:
        x0 = proxy.large_pool_target(alpha)
        mu0 = proxy.shift(x0, alpha) if mu is None else mu
        rng = np.random.Generator(np.random.PCG64(ss_pilot))
        zp = rng.standard_normal((PILOT_SCENARIOS, proxy.dim))
        zs = zp[:, 1:] if proxy.dim > 1 else np.zeros((PILOT_SCENARIOS, 1))
        _, _, loss, lr = copula.sample(
            zp[:, 0], zs, rng, chunk_cells, False, proxy, mu0, x0 if twist else None, defensive
        )
        x1 = tail_quantile(loss, lr / PILOT_SCENARIOS, alpha)
        x = x1 if x1 > 0 else x0
    if mu is None:
        mu = proxy.shift(x, alpha)
    return mu, (x if twist else None)


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
    sampling: str = "plain",
    shift: float | Sequence[float] | None = None,
    twist: bool = True,
    exposure: Sequence[float] | np.ndarray | None = None,
    alpha: float = 0.999,
    target: float | None = None,
    defensive: float = 0.1,
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
        Seed; the same seed gives the same scenarios (for either sampling).
    chunk_cells : int
        Scenarios × nodes drawn at once (bounds memory at about 8 bytes per cell); the
        scenarios do not depend on it.
    nodes : sequence of str
        Node names, in the order of ``pd`` (stored on the scenario set).
    progress : bool or None
        Show a progress bar (None: only on a terminal).
    sampling : {"plain", "importance"}
        ``"plain"``: draws from the model, equal weights ``1/S``. ``"importance"``:
        Glasserman & Li's two-step importance sampling for the tail at ``alpha`` (see
        :mod:`alliance.network.importance`); the weights are the likelihood ratios over S.
    shift : float or sequence of float, optional
        Importance sampling: mean of the common factor (and of each sector factor, in sorted
        label order) under the sampling measure. Default: Glasserman & Li's shift for the
        target. ``shift=0`` with ``twist=False`` reproduces plain Monte Carlo exactly.
    twist : bool
        Importance sampling: also twist the conditional default probabilities given the
        factors towards the target (the second step of the method).
    exposure : array_like, optional
        Importance sampling: each node's loss if it defaults, for the proxy loss that the
        shift and twist aim at (default 1 each: the number of defaults). The bank's loss
        after collateral, ``lgd * max(0, loan - collateral)``, is a good choice.
    alpha : float
        Importance sampling: the confidence level of the tail aimed at, in (0, 1).
    target : float, optional
        Importance sampling: the proxy loss level aimed at, in the exposures' units.
        Default: the proxy loss's α-quantile estimated by a seeded pilot run of
        :data:`PILOT_SCENARIOS` importance-sampled scenarios.
    defensive : float
        Importance sampling: the fraction of scenarios drawn from the model itself (a
        defensive mixture, in [0, 1)); it bounds every likelihood ratio by ``1/defensive``.

    Returns
    -------
    ScenarioSet

    Raises
    ------
    ParameterError
        If a loading, the number of scenarios, ``sampling``, ``shift``, ``exposure`` or
        ``alpha`` is not admissible.

    Examples
    --------
    >>> sc = simulate_defaults([0.5, 0.0], 1000, rho=0.2, seed=1)
    >>> sc.n_scenarios, bool(sc.defaults[:, 1].nnz == 0)
    (1000, True)
    >>> tail = simulate_defaults([0.01] * 50, 1000, rho=0.2, seed=1, sampling="importance")
    >>> tail.sampling, tail.weights.shape
    ('importance', (1000,))

    References
    ----------
    Vasicek, O. (2002). The distribution of loan portfolio value. *Risk*, 15(12), 160-162.

    Glasserman, P. & Li, J. (2005). Importance sampling for portfolio credit risk.
    *Management Science*, 51(11), 1643-1656.
    """
    p = np.asarray(pd, dtype=float)
    n_scenarios = int(n_scenarios)
    if n_scenarios < 1:
        raise ParameterError(f"scenarios is {n_scenarios!r}; it must be a positive integer")
    rho, sector_rho = _check_loadings(float(rho), float(sector_rho))
    if sampling not in SAMPLINGS:
        raise ParameterError(f"sampling is {sampling!r}; it must be one of {SAMPLINGS}")
    n = p.size
    seed = as_seed(seed)
    check_work(estimate_scenarios(n_scenarios, n, 0 if sector is None else len(set(map(str, sector)))))
    sec_idx = np.full(n, -1, dtype=np.int64)
    n_sec = 0
    if sector is not None and sector_rho > 0:
        sec_idx, labels = sector_index(sector, n)
        n_sec = len(labels)
    importance = sampling == "importance"
    if importance:
        alpha = check_alpha(alpha)
        mu = _check_shift(shift, 1 + n_sec)
        defensive = float(defensive)
        if not 0.0 <= defensive < 1.0:
            raise ParameterError(f"defensive is {defensive!r}; it must lie in [0, 1)")
        proxy = TailProxy(p, check_exposure(exposure, n), sec_idx, rho, sector_rho, n_sec)
    # child 3 (the pilot) leaves children 0-2 as they were: the same seed, the same draws
    ss_sys, ss_idio, _, ss_pilot = np.random.SeedSequence(seed).spawn(4)
    rng_sys = np.random.Generator(np.random.PCG64(ss_sys))
    rng_idio = np.random.Generator(np.random.PCG64(ss_idio))

    # The systematic factors are drawn for all scenarios first, so that chunking the
    # idiosyncratic draws never changes the scenarios.
    z = rng_sys.standard_normal(n_scenarios)
    zs = rng_sys.standard_normal((n_scenarios, max(n_sec, 1)))
    copula = _Copula(p, rho, sector_rho, sec_idx, n_sec)
    extra: dict[str, Any] = {}
    if importance:
        mu, x = _plan_importance(
            copula, proxy, mu, bool(twist), alpha, target, ss_pilot, chunk_cells, defensive
        )
        # the same standard draws, moved by mu (zero shift without twist: plain MC, bit for bit)
        rows, cols, _, lr = copula.sample(
            z, zs, rng_idio, chunk_cells, progress, proxy, mu, x, defensive
        )
        weights = lr / n_scenarios
        extra = {
            "sampling": "importance",
            "likelihood_ratio": lr,
            "factor_shift": tuple(float(m) for m in mu),
            "twist": x is not None,
            "defensive": float(defensive),
        }
    else:
        rows, cols, _ = copula.draw(z, zs, rng_idio, chunk_cells, progress)
        weights = np.full(n_scenarios, 1.0 / n_scenarios)
    mat = sp.csr_matrix(
        (np.ones(rows.size, dtype=bool), (rows, cols)), shape=(n_scenarios, n), dtype=bool
    )
    mat.sum_duplicates()
    mat.sort_indices()
    return ScenarioSet(
        defaults=mat,
        weights=weights,
        method="monte_carlo",
        rho=rho,
        sector_rho=sector_rho,
        seed=seed,
        void_key=void_stream_key(seed),
        nodes=tuple(nodes),
        **extra,
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

    Parameters
    ----------
    pd : array_like
        Default probability of each node, in [0, 1].
    rho : float
        Loading on the common factor, in [0, 1).
    quadrature : int
        Number of Gauss–Hermite nodes for the integral over the common factor (``rho > 0``).
    nodes : sequence of str
        Node names, in the order of ``pd`` (stored on the scenario set).
    seed : int, optional
        Keys the void-guarantee draws (the patterns themselves are not random).

    Returns
    -------
    ScenarioSet
        ``2**k`` scenarios for ``k`` nodes with ``0 < pd < 1``, ``method="exact"``, weights
        the patterns' probabilities.

    Raises
    ------
    ParameterError
        If ``rho`` is outside [0, 1).
    SizeLimitError
        If more than :data:`EXACT_MAX_MEMBERS` nodes have ``0 < pd < 1``.

    References
    ----------
    Vasicek, O. (2002). The distribution of loan portfolio value. *Risk*, 15(12), 160-162.

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
        pz = conditional_pd(p[risky][None, :], rho, x[:, None])
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
        void_key=void_stream_key(seed),
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

    Parameters
    ----------
    key : int
        64-bit key of the stream (:attr:`ScenarioSet.void_key`).
    scenario : numpy.ndarray
        Scenario index of each pair (non-negative integers).
    chain : numpy.ndarray
        Chain index of each pair, the same shape as ``scenario``.

    Returns
    -------
    numpy.ndarray
        One uniform in [0, 1) per pair (float64, exact multiples of 2**-53).

    Examples
    --------
    The same pair always gets the same uniform:

    >>> import numpy as np
    >>> u = void_uniforms(7, np.array([0, 1, 0]), np.array([3, 3, 3]))
    >>> bool(u[0] == u[2]), bool(u[0] != u[1]), bool(((0 <= u) & (u < 1)).all())
    (True, True, True)
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
