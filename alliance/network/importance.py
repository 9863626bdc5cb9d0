r"""Importance sampling of default scenarios (Glasserman & Li 2005).

The bank's tail (value at risk and expected shortfall at 99.9 %) lives in scenarios where the
systematic factor is far in its bad tail: plain Monte Carlo with 10⁴ scenarios sees about ten
of them. Glasserman & Li's two-step method samples from a measure under which large losses
are common and corrects every scenario by its likelihood ratio:

1. **Shift the factors.** The common factor ``Z`` (and each sector factor ``Z_s``) is drawn
   from :math:`N(\mu, 1)` instead of :math:`N(0, 1)`; the likelihood ratio of a draw ``v`` is
   :math:`\exp(-\mu^\top v + \tfrac12 \mu^\top\mu)`.
2. **Twist the conditional default probabilities** (optional). Given the factors, defaults
   are independent with probabilities :math:`p_i(v)` (:func:`~alliance.network.vasicek.conditional_pd`).
   For a proxy loss :math:`\tilde L = \sum_i a_i Y_i` (``a_i`` the exposure at default,
   :math:`Y_i` the default indicator) and a
   target level ``x``, the exponentially twisted probabilities

   .. math:: p_{i,\theta} = \frac{p_i e^{\theta a_i}}{1 + p_i (e^{\theta a_i} - 1)}

   with :math:`\theta = \theta_x(v) \ge 0` solving :math:`\sum_i a_i p_{i,\theta} = x`
   (``θ = 0`` where the conditional expected loss already reaches ``x``) make ``x`` the
   conditional mean of the proxy loss; the likelihood ratio is
   :math:`\exp(-\theta \tilde L + \psi(\theta, v))` with
   :math:`\psi(\theta, v) = \sum_i \log(1 + p_i(v)(e^{\theta a_i} - 1))`.

**Defensive mixture.** A fraction ``β`` (``defensive``, 10 % by default) of the scenarios,
spread evenly, is drawn from the model itself, and every scenario is weighted by the ratio
of the model's density to the mixture's, :math:`1/(\beta + (1-\beta)/\mathrm{LR})` (the
balance heuristic): unbiased, and no weight exceeds ``1/β``. Without it the likelihood ratio
is unbounded: a scenario from a region the importance measure rarely visits (a benign
factor value, or one sector failing alone while the shift moves all sectors together) can
get a very large weight, and the sample standard errors then understate the error
(Hesterberg 1995; Owen & Zhou 2000). The price is small: Owen & Zhou bound the mixture's
variance by the pure importance sampler's over ``1 - β``, plus ``β/(1-β)`` times the
squared mean.

**Which shift.** :func:`optimal_shift` returns the mode of Glasserman & Li's approximation of
the zero-variance sampling density of the factors (their section on shifting the
factors): the zero-variance density is
proportional to :math:`P(L > x \mid Z = v)\,\varphi(v)`, and the conditional tail probability
is replaced by its large-deviations bound :math:`\exp(F_x(v))`,
:math:`F_x(v) = -\theta_x(v) x + \psi(\theta_x(v), v)`, so

.. math:: \mu = \arg\max_v \; F_x(v) - \tfrac12 v^\top v .

Why this one: it accounts for the granularity of a small alliance (thirty members do not
follow Vasicek's large-pool law, and ``F_x`` says how likely the loss ``x`` is at a given
factor value), it is cheap (a few dozen root-findings over the nodes) and it works with
several factors. In a large homogeneous pool ``F_x`` tends to a step at the factor value
where the conditional expected loss equals ``x``, and the shift tends to that value: with
``x`` the large-pool value at risk at ``alpha`` and one factor, to
:math:`\Phi^{-1}(1 - \alpha)`, the Basel worst-case factor value.

**Target.** The level ``x`` should be the proxy loss's value at risk at ``alpha``. Vasicek's
large-pool value, :math:`\sum_i a_i\,\text{WCDR}_i(\alpha)` (each node at its worst-case
default rate of :func:`~alliance.network.vasicek.worst_case_default_rate` with its total factor
loading), understates it for a small alliance, whose idiosyncratic defaults add to the
tail; so :func:`~alliance.network.scenarios.simulate_defaults` aims a seeded pilot run at the
large-pool value, estimates the proxy's α-quantile from it, and aims the main run there
(:func:`optimal_shift` alone uses the large-pool value). Whatever the shift, twist and
target, the weighted estimators are unbiased (expected values) or consistent (quantiles):
the choice only changes their variance.

**Weights.** Scenario ``k`` gets the weight ``w_k = LR_k / S``, an unbiased estimate of its
probability; the weights sum to 1 only on average. They are not self-normalised
(``LR_k / Σ LR``): the sum is dominated by the body of the distribution, which the
importance measure samples rarely on purpose, and dividing by it costs the tail estimates
much of their precision. Tail estimators use sums over the tail only; see
:mod:`alliance.network.tails` for them and their standard errors.

References
----------
Glasserman, P. & Li, J. (2005). Importance sampling for portfolio credit risk. *Management
Science*, 51(11), 1643-1656.

Glasserman, P. (2004). *Monte Carlo Methods in Financial Engineering*. Springer, ch. 9.

Hesterberg, T. (1995). Weighted average importance sampling and defensive mixture
distributions. *Technometrics*, 37(2), 185-194.

Owen, A. & Zhou, Y. (2000). Safe and effective importance sampling. *Journal of the American
Statistical Association*, 95(449), 135-143.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike
from scipy.optimize import minimize
from scipy.special import expit, logit, ndtri

from alliance.errors import ParameterError
from alliance.network.tails import check_alpha
from alliance.network.vasicek import conditional_pd, worst_case_default_rate

# node_loadings, combined_factor and default_target are helpers of TailProxy, used only here
__all__ = [
    "twist_parameters",
    "twisted_pd",
    "optimal_shift",
    "shift_likelihood_ratio",
    "TailProxy",
    "check_exposure",
    "mixture_likelihood_ratio",
    "defensive_rows",
    "default_sampling",
    "programme_scenarios",
    "IMPORTANCE_ALPHA",
    "PROGRAMME_SCENARIOS",
]

#: From this expected-shortfall confidence on, the alliance limit samples by importance.
IMPORTANCE_ALPHA = 0.99
#: The programme works on at most this many importance-sampled scenarios (the first ones).
PROGRAMME_SCENARIOS = 1_000

#: Largest twist on exposures normalised to a largest exposure of 1 (odds × e^40).
THETA_MAX = 40.0


def node_loadings(rho: float, sector_rho: float, sector_index: np.ndarray) -> np.ndarray:
    """Total factor loading of each node: ``rho + sector_rho`` with a sector, else ``rho``."""
    idx = np.asarray(sector_index, dtype=np.int64)
    return np.where(idx >= 0, rho + sector_rho, rho)


def combined_factor(
    z: np.ndarray, z_sector: np.ndarray, sector_index: np.ndarray, rho: float, sector_rho: float
) -> np.ndarray:
    r"""Each node's standard normal systematic factor, (rows × nodes).

    :math:`Y_i = (\sqrt{\rho} Z + \sqrt{\rho_s} Z_{s(i)}) / \sqrt{\rho + \rho_s}` for a node in
    a sector, ``Z`` for the others (``0`` where the loading is zero: the factor plays no role).
    """
    idx = np.asarray(sector_index, dtype=np.int64)
    z = np.asarray(z, dtype=float).reshape(-1, 1)
    tot = node_loadings(rho, sector_rho, idx)
    y = np.sqrt(rho) * z
    if (idx >= 0).any() and sector_rho > 0:
        zs = np.asarray(z_sector, dtype=float).reshape(z.shape[0], -1)
        y = y + np.where(idx >= 0, np.sqrt(sector_rho) * zs[:, np.maximum(idx, 0)], 0.0)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(tot > 0, y / np.sqrt(np.where(tot > 0, tot, 1.0)), 0.0)


def default_target(
    pd: np.ndarray, loadings: np.ndarray, exposure: np.ndarray, alpha: float
) -> float:
    """Large-pool value at risk of the proxy loss: ``sum_i a_i WCDR_i(alpha)``."""
    return float(exposure @ worst_case_default_rate(pd, loadings, alpha))


def twisted_pd(cond_pd: np.ndarray, exposure: np.ndarray, theta: np.ndarray) -> np.ndarray:
    r"""Exponentially twisted default probabilities (rows × nodes) for twists ``theta`` (rows).

    :math:`p_{i,\theta} = p_i e^{\theta a_i} / (1 + p_i (e^{\theta a_i} - 1))`, computed on
    the log-odds scale (the odds of each node are multiplied by :math:`e^{\theta a_i}`).

    Parameters
    ----------
    cond_pd : numpy.ndarray
        Conditional default probabilities (rows × nodes), each in [0, 1].
    exposure : numpy.ndarray
        Exposure ``a_i`` of each node (scaled, largest 1).
    theta : numpy.ndarray
        Twist of each row (≥ 0).

    Returns
    -------
    numpy.ndarray
        The twisted probabilities, the shape of ``cond_pd``.

    References
    ----------
    Glasserman, P. & Li, J. (2005). Importance sampling for portfolio credit risk.
    *Management Science*, 51(11), 1643-1656.

    Examples
    --------
    A twist of ``log 9`` multiplies the odds by 9: 1/9 becomes 1, and 1 becomes 9.

    >>> import numpy as np
    >>> twisted_pd(np.array([[0.1, 0.5]]), np.ones(2), np.array([np.log(9)])).round(4).tolist()
    [[0.5, 0.9]]
    """
    with np.errstate(divide="ignore"):
        return expit(logit(cond_pd) + np.asarray(theta)[:, None] * exposure)


def _psi(cond_pd: np.ndarray, exposure: np.ndarray, theta: np.ndarray) -> np.ndarray:
    # log(1 - p + p e^{θa}) summed over nodes, stable for small p and large θa
    with np.errstate(divide="ignore"):
        terms = np.logaddexp(np.log1p(-cond_pd), np.log(cond_pd) + theta[:, None] * exposure)
    return terms.sum(axis=1)


def twist_parameters(
    cond_pd: np.ndarray, exposure: np.ndarray, target: float, *, tol: float = 1e-10
) -> tuple[np.ndarray, np.ndarray]:
    r"""The twist :math:`\theta_x(v) \ge 0` and :math:`\psi(\theta_x(v), v)` for each row.

    Parameters
    ----------
    cond_pd : numpy.ndarray
        Conditional default probabilities (rows × nodes), each in [0, 1).
    exposure : numpy.ndarray
        Exposure of each node (≥ 0), largest 1 (normalise before calling).
    target : float
        Target level ``x`` of the proxy loss, in the same units.
    tol : float
        Tolerance on the twisted conditional mean, relative to ``target``.

    Returns
    -------
    theta, psi : numpy.ndarray
        ``theta = 0`` and ``psi = 0`` where the conditional mean already reaches ``target``;
        ``theta`` is capped at :data:`THETA_MAX` when ``target`` is out of reach.

    Examples
    --------
    >>> import numpy as np
    >>> th, ps = twist_parameters(np.array([[0.1, 0.1], [0.9, 0.9]]), np.ones(2), 1.0)
    >>> th.round(4).tolist(), bool(ps[1] == 0)
    ([2.1972, 0.0], True)
    """
    p = np.atleast_2d(np.asarray(cond_pd, dtype=float))
    a = np.asarray(exposure, dtype=float)
    rows = p.shape[0]
    theta = np.zeros(rows)
    need = (p * a).sum(axis=1) < target
    if not need.any():
        return theta, np.zeros(rows)
    pn = p[need]
    with np.errstate(divide="ignore"):
        lg = logit(pn)  # once: every Newton step only moves it by theta * a
    lo = np.zeros(pn.shape[0])
    hi = np.full(pn.shape[0], THETA_MAX)
    th = np.zeros(pn.shape[0])
    act = np.arange(pn.shape[0])
    # safeguarded Newton on psi'(θ) = x: psi' increases in θ, so a bracket always holds.
    # Row sums (not matrix products) keep every row's result independent of the batch.
    for _ in range(200):
        t = th[act]
        pt = expit(lg[act] + t[:, None] * a)
        g = (pt * a).sum(axis=1) - target
        d = (pt * (1 - pt) * (a * a)).sum(axis=1)
        below = g < 0
        lo[act] = np.where(below, t, lo[act])
        hi[act] = np.where(below, hi[act], t)
        with np.errstate(divide="ignore", invalid="ignore"):
            step = t - g / d
        ok = np.isfinite(step) & (step > lo[act]) & (step < hi[act])
        done = (np.abs(g) <= tol * max(target, 1e-300)) | (hi[act] - lo[act] <= 1e-13)
        th[act] = np.where(done, t, np.where(ok, step, 0.5 * (lo[act] + hi[act])))
        act = act[~done]
        if not act.size:
            break
    theta[need] = th
    psi = np.zeros(rows)
    psi[need] = _psi(pn, a, th)
    return theta, psi


def shift_likelihood_ratio(factors: np.ndarray, shift: np.ndarray) -> np.ndarray:
    r"""Likelihood ratio :math:`\exp(-\mu^\top v + \mu^\top\mu/2)` of factor draws ``v`` (rows)
    taken from :math:`N(\mu, I)` instead of :math:`N(0, I)`.

    Parameters
    ----------
    factors : numpy.ndarray
        Factor draws ``v``, one row per scenario with one column per factor (a flat array is
        read as rows of ``len(shift)`` factors).
    shift : numpy.ndarray
        The mean ``μ`` of the factors under the sampling measure.

    Returns
    -------
    numpy.ndarray
        The likelihood ratio (model density over sampling density) of each row.

    Examples
    --------
    With ``μ = -2``, a draw at 0 is :math:`e^{2}` times likelier under the model, a draw at
    ``-2`` :math:`e^{-2}` times:

    >>> import numpy as np
    >>> shift_likelihood_ratio(np.array([0.0, -2.0]), np.array([-2.0])).round(4).tolist()
    [7.3891, 0.1353]
    """
    mu = np.asarray(shift, dtype=float)
    v = np.asarray(factors, dtype=float).reshape(-1, mu.size)
    return np.exp(-(v @ mu) + 0.5 * float(mu @ mu))


class TailProxy:
    r"""The proxy loss :math:`\tilde L = \sum_i a_i Y_i` that the shift and the twist aim at.

    Works on the nodes that can be twisted (``0 < pd < 1`` and ``a_i > 0``), with exposures
    scaled so that the largest is 1; nodes with ``pd = 1`` default in every scenario and
    enter the proxy loss as a constant. Used by
    :func:`~alliance.network.scenarios.simulate_defaults`; targets are in the exposures' units.

    Parameters
    ----------
    pd : numpy.ndarray
        Default probability of each node, in [0, 1].
    exposure : numpy.ndarray
        Loss of each node if it defaults, ≥ 0.
    sector_index : numpy.ndarray
        Sector of each node (-1: none).
    rho, sector_rho : float
        Factor loadings.
    n_sectors : int
        Number of sector factors (0 without).

    References
    ----------
    Glasserman, P. & Li, J. (2005). Importance sampling for portfolio credit risk.
    *Management Science*, 51(11), 1643-1656.

    Examples
    --------
    Two twistable nodes (exposures 2 and 1), one that always defaults (5) and one that never
    does (3):

    >>> import numpy as np
    >>> proxy = TailProxy(np.array([0.02, 0.02, 1.0, 0.0]), np.array([2.0, 1.0, 5.0, 3.0]),
    ...                   np.full(4, -1), 0.2, 0.0, 0)
    >>> proxy.dim, proxy.active, proxy.fixed, proxy.scale, proxy.a.tolist()
    (1, True, 5.0, 2.0, [1.0, 0.5])
    """

    def __init__(
        self,
        pd: np.ndarray,
        exposure: np.ndarray,
        sector_index: np.ndarray,
        rho: float,
        sector_rho: float,
        n_sectors: int,
    ) -> None:
        p = np.asarray(pd, dtype=float)
        a = np.asarray(exposure, dtype=float)
        idx = np.asarray(sector_index, dtype=np.int64)
        self.rho, self.sector_rho = float(rho), float(sector_rho)
        self.n_sectors = int(n_sectors) if sector_rho > 0 else 0
        self.mask = (p > 0) & (p < 1) & (a > 0)
        self.fixed = float(a[p >= 1].sum())
        self.scale = float(a[self.mask].max()) if self.mask.any() else 1.0
        self.a = a[self.mask] / self.scale
        self.p = p[self.mask]
        self.sector = idx[self.mask]
        self.loads = node_loadings(self.rho, self.sector_rho, self.sector)

    @property
    def dim(self) -> int:
        """Number of factors: the common one and one per sector."""
        return 1 + self.n_sectors

    @property
    def active(self) -> bool:
        """Whether any node can be moved by the factors or the twist."""
        return bool(self.mask.any())

    def to_scaled(self, target: float) -> float:
        """A target in the exposures' units, as a level of the scaled twistable part.

        Parameters
        ----------
        target : float
            Level of the proxy loss, in the exposures' units.

        Returns
        -------
        float
            ``(target - fixed) / scale``: the level the twistable nodes' scaled loss must reach.

        Examples
        --------
        >>> import numpy as np
        >>> proxy = TailProxy(np.array([0.02, 0.02, 1.0]), np.array([2.0, 1.0, 5.0]),
        ...                   np.full(3, -1), 0.2, 0.0, 0)
        >>> proxy.to_scaled(7.0)
        1.0
        """
        return (float(target) - self.fixed) / self.scale

    def from_scaled(self, x: float) -> float:
        """Inverse of :meth:`to_scaled`.

        Parameters
        ----------
        x : float
            A level of the scaled twistable part of the proxy loss.

        Returns
        -------
        float
            ``x * scale + fixed``, in the exposures' units.

        Examples
        --------
        >>> import numpy as np
        >>> proxy = TailProxy(np.array([0.02, 0.02, 1.0]), np.array([2.0, 1.0, 5.0]),
        ...                   np.full(3, -1), 0.2, 0.0, 0)
        >>> proxy.from_scaled(proxy.to_scaled(6.5))
        6.5
        """
        return float(x) * self.scale + self.fixed

    def large_pool_target(self, alpha: float) -> float:
        r"""Scaled large-pool value at risk of the proxy at ``alpha``.

        Vasicek's large-pool value :math:`\sum_i a_i\,\text{WCDR}_i(\alpha)` of the
        twistable nodes (0 when none is twistable).

        Parameters
        ----------
        alpha : float
            Confidence level in (0, 1).

        Returns
        -------
        float
            The target, on the scaled level of :meth:`to_scaled`.

        References
        ----------
        Vasicek, O. (2002). The distribution of loan portfolio value. *Risk*, 15(12), 160-162.

        Examples
        --------
        >>> import numpy as np
        >>> proxy = TailProxy(np.array([0.02, 0.02]), np.array([2.0, 1.0]), np.full(2, -1),
        ...                   0.2, 0.0, 0)
        >>> round(proxy.large_pool_target(0.999), 4)
        0.3395
        """
        return default_target(self.p, self.loads, self.a, alpha) if self.active else 0.0

    def conditional_pd(self, z: np.ndarray, z_sector: np.ndarray) -> np.ndarray:
        """Conditional default probabilities (rows × twistable nodes) given factor rows.

        Parameters
        ----------
        z : numpy.ndarray
            Common factor of each row.
        z_sector : numpy.ndarray
            Sector factors of each row (rows × sectors; ignored without sectors).

        Returns
        -------
        numpy.ndarray
            Vasicek's conditional default probability of each twistable node in each row,
            kept below 1.

        Examples
        --------
        >>> import numpy as np
        >>> proxy = TailProxy(np.array([0.02, 0.02]), np.array([2.0, 1.0]), np.full(2, -1),
        ...                   0.2, 0.0, 0)
        >>> proxy.conditional_pd(np.array([0.0, -3.0]), np.zeros((2, 1))).round(4).tolist()
        [[0.0108, 0.0108], [0.213, 0.213]]
        """
        y = combined_factor(z, z_sector, self.sector, self.rho, self.sector_rho)
        return np.clip(conditional_pd(self.p, self.loads, y), 0.0, 1.0 - 1e-15)

    def proxy(self, hit: np.ndarray) -> np.ndarray:
        """Scaled proxy loss of each row of a (rows × twistable nodes) default matrix.

        Parameters
        ----------
        hit : numpy.ndarray
            Defaults (bool) of the twistable nodes, one row per scenario.

        Returns
        -------
        numpy.ndarray
            ``hit @ a`` with the scaled exposures, one value per row.

        Examples
        --------
        >>> import numpy as np
        >>> proxy = TailProxy(np.array([0.02, 0.02]), np.array([2.0, 1.0]), np.full(2, -1),
        ...                   0.2, 0.0, 0)
        >>> proxy.proxy(np.array([[True, False], [True, True]])).tolist()
        [1.0, 1.5]
        """
        return (hit * self.a).sum(axis=1)

    def shift(self, x: float, alpha: float) -> np.ndarray:
        """Glasserman & Li's factor shift for the scaled target ``x`` (see :func:`optimal_shift`).

        Parameters
        ----------
        x : float
            Target level on the scaled level of :meth:`to_scaled`.
        alpha : float
            Confidence level in (0, 1); the search starts at its large-pool design point.

        Returns
        -------
        numpy.ndarray
            The shift ``μ``, of length :attr:`dim` (zeros when no factor moves a node).

        Examples
        --------
        >>> import numpy as np
        >>> proxy = TailProxy(np.array([0.02, 0.02]), np.array([2.0, 1.0]), np.full(2, -1),
        ...                   0.2, 0.0, 0)
        >>> mu = proxy.shift(1.0, 0.999)
        >>> mu.shape, bool(-1.3 < mu[0] < -1.1)
        ((1,), True)
        """
        dim, k = self.dim, self.n_sectors
        if not self.active or not np.any(self.loads > 0):
            return np.zeros(dim)

        def objective(v: np.ndarray) -> float:
            zs = v[1:].reshape(1, -1) if k else np.zeros((1, 1))
            th, ps = twist_parameters(self.conditional_pd(v[:1], zs), self.a, x)
            return float(th[0] * x - ps[0] + 0.5 * v @ v)

        # start at the large-pool design point: every node's factor at its worst case
        z0 = float(ndtri(1.0 - float(alpha)))
        tot = self.rho + (self.sector_rho if k else 0.0)
        start = np.zeros(dim)
        start[0] = z0 * np.sqrt(self.rho / tot)
        if k:
            start[1:] = z0 * np.sqrt(self.sector_rho / tot)
        best = minimize(objective, start, method="L-BFGS-B", bounds=[(-12.0, 12.0)] * dim)
        mu = np.asarray(best.x, dtype=float)
        return mu if objective(mu) <= objective(start) else start

    def twist(
        self, cond_pd: np.ndarray, eps: np.ndarray, x: float, hit: np.ndarray, apply: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray]:
        r"""Twist the rows ``apply`` of a chunk and return every row's twist log likelihood ratio.

        ``hit`` (rows × twistable nodes) holds the untwisted defaults; the rows in ``apply``
        (bool) that need a twist (``θ > 0``) are redrawn from the same standard normal
        ``eps`` below the twisted thresholds. Returns the defaults and, for every row, the log
        of the ratio of the model's conditional probability of those defaults to the
        twisted one, :math:`-\theta \tilde L + \psi` (0 where ``θ = 0``), which a defensive
        mixture needs for untwisted rows too.

        Parameters
        ----------
        cond_pd : numpy.ndarray
            Conditional default probabilities (rows × twistable nodes).
        eps : numpy.ndarray
            The standard normal draws behind ``hit``, the same shape.
        x : float
            Target level on the scaled level of :meth:`to_scaled`.
        hit : numpy.ndarray
            Untwisted defaults (bool), the same shape.
        apply : numpy.ndarray
            Which rows may be twisted (bool, one per row; the defensive rows are not).

        Returns
        -------
        tuple of numpy.ndarray
            ``(defaults, log_ratio)``: the defaults after the twist, and the log likelihood
            ratio of the twist for each row.

        Examples
        --------
        The first row is twisted (its draws ``-3`` fall below the twisted thresholds), the
        second is not allowed to be:

        >>> import numpy as np
        >>> proxy = TailProxy(np.array([0.02, 0.02]), np.array([2.0, 1.0]), np.full(2, -1),
        ...                   0.2, 0.0, 0)
        >>> cond = proxy.conditional_pd(np.array([0.0, 0.0]), np.zeros((2, 1)))
        >>> hit = np.zeros((2, 2), dtype=bool)
        >>> out, log_lr = proxy.twist(cond, np.full((2, 2), -3.0), 1.0, hit, np.array([True, False]))
        >>> out.tolist(), bool(log_lr[0] < 0), bool(log_lr[1] < 0)
        ([[True, True], [False, False]], True, False)
        """
        theta, psi = twist_parameters(cond_pd, self.a, x)
        rows = np.flatnonzero((theta > 0) & apply)
        out = hit.copy()
        if rows.size:
            pt = twisted_pd(cond_pd[rows], self.a, theta[rows])
            out[rows] = eps[rows] < ndtri(pt)
        log_tw = np.where(theta > 0, -theta * self.proxy(out) + psi, 0.0)
        return out, log_tw


def mixture_likelihood_ratio(log_lr_importance: np.ndarray, defensive: float) -> np.ndarray:
    r"""Likelihood ratio of a defensive mixture, :math:`1 / (\beta + (1-\beta)/\mathrm{LR})`.

    A fraction ``β`` of the scenarios comes from the model itself and the rest from the
    importance measure, whose likelihood ratio is ``LR``; weighting every scenario by the
    ratio of the model to the mixture (the balance heuristic) is unbiased and bounds the
    ratio by ``1/β``, so a factor value the importance measure rarely visits cannot get a
    huge weight (Hesterberg 1995; Owen & Zhou 2000).

    Parameters
    ----------
    log_lr_importance : numpy.ndarray
        Log likelihood ratio of each scenario under the importance measure alone.
    defensive : float
        The fraction ``β`` of scenarios drawn from the model, in [0, 1).

    Returns
    -------
    numpy.ndarray
        The mixture's likelihood ratio of each scenario (exactly 1 where ``LR = 1``).

    Examples
    --------
    >>> import numpy as np
    >>> mixture_likelihood_ratio(np.array([0.0, np.log(4), 50.0]), 0.1).round(4).tolist()
    [1.0, 3.0769, 10.0]
    """
    beta = float(defensive)
    log_lr = np.asarray(log_lr_importance, dtype=float)
    with np.errstate(over="ignore"):
        mix = 1.0 / (beta + (1.0 - beta) * np.exp(-log_lr))
    return np.where(log_lr == 0.0, 1.0, mix)  # model and mixture agree: exactly 1


def defensive_rows(n_scenarios: int, defensive: float) -> np.ndarray:
    """Which scenarios come from the model itself: every ``1/β``-th, spread evenly so that
    each contiguous batch holds about the same fraction (bool, ``n_scenarios``).

    Parameters
    ----------
    n_scenarios : int
        Number of scenarios S.
    defensive : float
        The fraction ``β`` of scenarios drawn from the model, in [0, 1).

    Returns
    -------
    numpy.ndarray
        Bool of length ``n_scenarios``, True for about ``β S`` evenly spread scenarios.

    Examples
    --------
    >>> defensive_rows(10, 0.2).nonzero()[0].tolist()
    [4, 9]
    """
    k = np.arange(int(n_scenarios), dtype=float)
    return np.floor((k + 1) * defensive) > np.floor(k * defensive)


def optimal_shift(
    pd: ArrayLike,
    *,
    rho: float,
    sector_index: ArrayLike | None = None,
    sector_rho: float = 0.0,
    n_sectors: int = 0,
    exposure: ArrayLike | None = None,
    alpha: float = 0.999,
    target: float | None = None,
) -> np.ndarray:
    r"""Glasserman & Li's factor shift: the mode of :math:`\exp(F_x(v) - v^\top v/2)`.

    Parameters
    ----------
    pd : array_like
        Unconditional default probability of each node, in [0, 1].
    rho : float
        Loading on the common factor, in [0, 1).
    sector_index : array_like of int, optional
        Sector of each node (0 … ``n_sectors - 1``; -1 for none).
    sector_rho : float
        Loading on the sector factor.
    n_sectors : int
        Number of sector factors.
    exposure : array_like, optional
        Loss of each node if it defaults (the proxy loss's weights; default 1 each, the
        number of defaults).
    alpha : float
        Confidence level the default target aims at, in (0, 1).
    target : float, optional
        Target level ``x`` of the proxy loss, in the exposures' units (default: its
        large-pool value at risk at ``alpha``, see the module notes).

    Returns
    -------
    numpy.ndarray
        The shift ``μ``: the common factor's first, then one per sector (``1 + n_sectors``).

    Raises
    ------
    ParameterError
        If ``exposure`` or ``alpha`` is not admissible.

    Examples
    --------
    One factor, a large homogeneous pool: the shift is close to the Basel worst-case factor
    value :math:`\Phi^{-1}(0.001) \approx -3.09`, a little less extreme (granularity).

    >>> import numpy as np
    >>> mu = optimal_shift(np.full(2000, 0.01), rho=0.2)
    >>> bool(-3.09 < mu[0] < -2.8)
    True

    References
    ----------
    Glasserman, P. & Li, J. (2005). Importance sampling for portfolio credit risk.
    *Management Science*, 51(11), 1643-1656.
    """
    p = np.asarray(pd, dtype=float)
    n = p.size
    idx = np.full(n, -1, np.int64) if sector_index is None else np.asarray(sector_index, np.int64)
    a = check_exposure(exposure, n)
    alpha = check_alpha(alpha)
    proxy = TailProxy(p, a, idx, rho, sector_rho, n_sectors)
    x = proxy.large_pool_target(alpha) if target is None else proxy.to_scaled(target)
    return proxy.shift(x, alpha)


def check_exposure(exposure: ArrayLike | None, n: int) -> np.ndarray:
    """Exposures as an array of ``n`` finite non-negative numbers (None: ones).

    Parameters
    ----------
    exposure : array_like or None
        Loss of each node if it defaults.
    n : int
        Number of nodes.

    Returns
    -------
    numpy.ndarray
        The exposures as floats (ones when ``exposure`` is None).

    Raises
    ------
    ParameterError
        If the shape is not ``(n,)`` or an exposure is negative or not finite.

    Examples
    --------
    >>> check_exposure(None, 2).tolist(), check_exposure([3, 0], 2).tolist()
    ([1.0, 1.0], [3.0, 0.0])
    """
    if exposure is None:
        return np.ones(n)
    a = np.asarray(exposure, dtype=float)
    if a.shape != (n,):
        raise ParameterError(f"exposure has shape {a.shape}; it must have one entry per node ({n},)")
    if not np.isfinite(a).all() or (a < 0).any():
        raise ParameterError("exposure must be finite and non-negative (a loss per node)")
    return a


def default_sampling(policy, sampling: str | None = None) -> str:
    """How the alliance limit draws its Monte Carlo scenarios when the user does not say.

    ``"importance"`` when the policy has an expected-shortfall limit at confidence
    :data:`IMPORTANCE_ALPHA` (0.99) or more, else ``"plain"``; a given ``sampling`` is
    checked and returned. Why: an ES limit at 99.9 % is decided by the worst 0.1 % of the
    scenarios, ten of ten thousand plain ones, so the programme's allocation, and the limit
    with it, would move with the seed; importance-sampled scenarios (weights
    ``LR_k / S``, read by the programme as ``sc.weights``) put many of them in the tail.
    An expected-loss limit alone is estimated well by plain scenarios (and the ratio
    estimator), so nothing changes there.

    Parameters
    ----------
    policy : BankPolicy
        The bank's policy (its ``es_alpha`` decides).
    sampling : {None, "plain", "importance"}
        The user's choice, if any.

    Returns
    -------
    str
        ``"plain"`` or ``"importance"``.

    Raises
    ------
    ParameterError
        If ``sampling`` is given and is neither ``"plain"`` nor ``"importance"``.

    Examples
    --------
    >>> from alliance.network import BankPolicy
    >>> default_sampling(BankPolicy(max_el_rate=0.01, es_alpha=0.999, max_es_rate=0.05))
    'importance'
    >>> default_sampling(BankPolicy(max_el_rate=0.01, es_alpha=0.95, max_es_rate=0.05))
    'plain'
    >>> default_sampling(BankPolicy(max_el_rate=0.01), "importance")
    'importance'
    """
    if sampling is None:
        alpha = getattr(policy, "es_alpha", None)
        return "importance" if alpha is not None and alpha >= IMPORTANCE_ALPHA else "plain"
    if sampling not in ("plain", "importance"):
        raise ParameterError(f"sampling is {sampling!r}; it must be 'plain' or 'importance'")
    return sampling


def programme_scenarios(sc, limit: int = PROGRAMME_SCENARIOS):
    """The scenarios the alliance programme works on: ``sc`` itself, or under importance
    sampling its first ``limit`` scenarios.

    Importance-sampled scenarios put many of themselves in the tail, with many defaults
    each, and identical default patterns are rare, so the programme grows with them much
    faster than on plain scenarios (whose repeated patterns are merged; the LP's solve time
    grows faster than its size). The programme only shapes the allocation and bounds it
    from above: the check with the true rules, which fixes the limit reported and its
    standard error, still runs on every scenario asked for. The scenarios are independent
    draws with the defensive ones spread evenly, so the first ``limit`` are a sample of the
    same design.

    Parameters
    ----------
    sc : ScenarioSet
        The scenarios asked for.
    limit : int
        The largest number of importance-sampled scenarios the programme works on.

    Returns
    -------
    ScenarioSet
        ``sc`` itself (plain or exact scenarios, or few enough), else ``sc.subset(0, limit)``.

    Examples
    --------
    >>> from alliance.network.scenarios import simulate_defaults
    >>> sc = simulate_defaults([0.01] * 20, 300, rho=0.2, seed=3, sampling="importance")
    >>> programme_scenarios(sc, limit=100).n_scenarios, programme_scenarios(sc).n_scenarios
    (100, 300)
    """
    if getattr(sc, "sampling", "plain") != "importance" or sc.n_scenarios <= limit:
        return sc
    return sc.subset(0, int(limit))
