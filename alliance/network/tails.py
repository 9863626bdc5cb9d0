r"""Weighted estimators of the bank's loss distribution: expected loss, value at risk and
expected shortfall, each with its standard error.

A sample of scenario losses :math:`L_1, \dots, L_S` comes with weights :math:`w_k`, each
scenario's probability: ``1/S`` for plain Monte Carlo, the pattern probabilities for exact
enumeration, and :math:`w_k = \mathrm{LR}_k / S` for importance sampling (the likelihood
ratio of the scenario over the number of scenarios: unbiased, summing to 1 only on average).
The estimators never divide by the total weight, so they stay unbiased (expected loss) or
consistent (quantile and shortfall) under importance sampling, and tail estimates only use
tail scenarios:

* **expected loss** :math:`\widehat{EL} = \sum_k w_k L_k`;
* **value at risk** at confidence α, the smallest loss ``x`` whose estimated exceedance
  probability :math:`\sum_{k: L_k > x} w_k` is at most ``1 - α`` (the upper-tail form of
  the weighted quantile; Glynn 1996);
* **expected shortfall** in the Rockafellar–Uryasev form evaluated at the value at risk,
  :math:`\widehat{ES} = \widehat{VaR} + \frac{1}{1-\alpha}\sum_k w_k (L_k - \widehat{VaR})^+`
  (the weighted mean of the worst ``1 - α`` of the probability, an atom at the quantile
  counted in part).

**Standard errors** (delta method; Sun & Hong 2010, Hong, Hu & Liu 2014). Each estimator is
asymptotically a mean of per-scenario terms :math:`u_k` (sampled independently), and its
standard error is :math:`\mathrm{sd}(u)/\sqrt{S}` with

* expected loss: :math:`u_k = S w_k L_k`;
* expected shortfall: :math:`u_k = S w_k (L_k - \widehat{VaR})^+ / (1-\alpha)` (the
  derivative in the quantile vanishes at the Rockafellar–Uryasev minimum);
* value at risk: the exceedance probability at the quantile has terms
  :math:`u_k = S w_k 1\{L_k > \widehat{VaR}\}` and standard error :math:`s_p`; it maps to the
  quantile through the sparsity :math:`1/f(\mathrm{VaR})`, estimated by the difference
  quotient of the weighted quantile function (Siddiqui 1960; Bloch & Gastwirth 1968):
  :math:`\mathrm{se} = (\widehat{Q}(\alpha + s_p) - \widehat{Q}(\alpha - s_p))/2`. This
  needs no density estimate and stays sensible when the loss has atoms.

For plain Monte Carlo these are the usual formulas. Exact scenarios have no sampling error
(standard errors 0). With few scenarios beyond the quantile (plain Monte Carlo at 99.9 %
with 10⁴ scenarios sees about ten) the errors are themselves rough: that is what importance
sampling (:mod:`alliance.network.importance`) is for.

References
----------
Rockafellar, R. T. & Uryasev, S. (2000). Optimization of conditional value-at-risk.
*Journal of Risk*, 2(3), 21-41.

Glynn, P. W. (1996). Importance sampling for Monte Carlo estimation of quantiles. In
*Mathematical Methods in Stochastic Simulation and Experimental Design*, 180-185.

Sun, L. & Hong, L. J. (2010). Asymptotic representations for importance-sampling estimators
of value-at-risk and conditional value-at-risk. *Operations Research Letters*, 38(4), 246-251.

Hong, L. J., Hu, Z. & Liu, G. (2014). Monte Carlo methods for value-at-risk and conditional
value-at-risk: a review. *ACM Transactions on Modeling and Computer Simulation*, 24(4), 22.

Glasserman, P. & Li, J. (2005). Importance sampling for portfolio credit risk. *Management
Science*, 51(11), 1643-1656.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike

from alliance.errors import ParameterError

if TYPE_CHECKING:
    from alliance.network.scenarios import ScenarioSet

__all__ = [
    "TailEstimate",
    "tail_risk",
    "expected_loss",
    "value_at_risk",
    "expected_shortfall",
    "tail_quantile",
    "check_alpha",
    "member_tail_risk",
]

#: Slack on the exceedance level, as in the weighted quantile of the alliance limit.
_LEVEL_SLACK = 1e-12


def check_alpha(alpha: object) -> float:
    """A confidence level in (0, 1), or a ParameterError naming ``alpha``.

    Parameters
    ----------
    alpha : object
        The confidence level as given by the user (a number, or anything ``float`` reads).

    Returns
    -------
    float
        ``alpha`` as a float, checked to lie strictly between 0 and 1.

    Raises
    ------
    ParameterError
        If ``alpha`` is not a number, not finite, or outside (0, 1).

    Examples
    --------
    >>> check_alpha("0.99")
    0.99
    >>> check_alpha(1.0)
    Traceback (most recent call last):
    ...
    alliance.errors.ParameterError: alpha is 1.0; it must lie in (0, 1)
    """
    try:
        a = float(alpha)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        raise ParameterError(f"alpha is {alpha!r}; it must be a number in (0, 1)") from None
    if not np.isfinite(a) or not 0.0 < a < 1.0:
        raise ParameterError(f"alpha is {alpha!r}; it must lie in (0, 1)")
    return a


def _check(losses: ArrayLike, weights: ArrayLike | None) -> tuple[np.ndarray, np.ndarray]:
    try:
        x = np.asarray(losses, dtype=float)
    except (TypeError, ValueError):
        raise ParameterError("losses must be numbers, one per scenario") from None
    if x.ndim != 1 or x.size == 0:
        raise ParameterError(f"losses has shape {x.shape}; it must be one loss per scenario (S,)")
    if not np.isfinite(x).all():
        k = int(np.flatnonzero(~np.isfinite(x))[0])
        raise ParameterError(f"losses[{k}] is {float(x[k])!r}; every scenario loss must be finite")
    if weights is None:
        return x, np.full(x.size, 1.0 / x.size)
    try:
        w = np.asarray(weights, dtype=float)
    except (TypeError, ValueError):
        raise ParameterError("weights must be numbers, one per scenario") from None
    if w.shape != x.shape:
        raise ParameterError(
            f"weights has shape {w.shape}; it must match the losses' shape {x.shape}"
        )
    if not np.isfinite(w).all() or (w < 0).any():
        k = int(np.flatnonzero(~(np.isfinite(w) & (w >= 0)))[0])
        raise ParameterError(f"weights[{k}] is {float(w[k])!r}; weights must be finite and non-negative")
    if not w.sum() > 0:
        raise ParameterError("weights sum to 0; at least one scenario must have positive weight")
    return x, w


def _mean_se(terms: np.ndarray) -> float:
    s = terms.size
    return float(np.std(terms, ddof=1) / np.sqrt(s)) if s > 1 else float("nan")


def tail_quantile(losses: ArrayLike, weights: ArrayLike, alpha: float) -> np.ndarray | float:
    """Weighted α-quantile from the upper tail: the smallest loss ``x`` with
    ``sum(weights[losses > x]) <= 1 - alpha``.

    Row-wise for a (B × S) array of losses. For weights that sum to 1 it is the usual
    weighted quantile (the smallest ``x`` with ``P(L <= x) >= alpha``); for importance
    sampling weights it only uses the tail (Glynn 1996).

    Parameters
    ----------
    losses : array_like
        Loss in each scenario, shape (S,), or a (B × S) array of B loss samples.
    weights : array_like
        Weight (probability) of each scenario, shape (S,).
    alpha : float
        Confidence level in (0, 1).

    Returns
    -------
    float or numpy.ndarray
        The quantile (a float for one sample, one quantile per row for a 2-D array).

    Examples
    --------
    >>> tail_quantile([0.0, 1.0, 2.0, 3.0], [0.25] * 4, 0.75)
    2.0
    >>> tail_quantile([0.0, 1.0, 2.0, 3.0], [0.7, 0.1, 0.1, 0.1], 0.75)
    1.0
    """
    x = np.asarray(losses, dtype=float)
    w = np.asarray(weights, dtype=float)
    rows = np.atleast_2d(x)
    order = np.argsort(-rows, axis=1, kind="stable")
    desc = np.take_along_axis(rows, order, axis=1)
    above = np.cumsum(w[order], axis=1)
    j = (above <= (1.0 - float(alpha)) + _LEVEL_SLACK).sum(axis=1)
    out = desc[np.arange(rows.shape[0]), np.minimum(j, rows.shape[1] - 1)]
    return float(out[0]) if x.ndim == 1 else out


def member_tail_risk(
    scenario: ArrayLike,
    member: ArrayLike,
    loss: ArrayLike,
    weights: ArrayLike,
    alpha: float,
    n: int,
) -> tuple[np.ndarray, np.ndarray]:
    """Each member's value-at-risk and expected shortfall from its sparse scenario losses.

    Member by member (the bank's limits without pooling), the loss of member ``i`` is zero
    except in the scenarios listed for it. Its α-quantile is :func:`tail_quantile` of that
    distribution and its expected shortfall the Rockafellar–Uryasev value
    :math:`t_i + \\sum_s w_s (x_{is} - t_i)^+ / (1 - \\alpha)` at that quantile, the same
    estimators the pooled portfolio uses, computed for all members at once.

    Parameters
    ----------
    scenario, member : array_like of int
        Scenario index and member index of each listed loss (each pair at most once).
    loss : array_like of float
        The bank's loss on that member's loan in that scenario (≥ 0).
    weights : array_like of float
        Scenario weights (1/S, or likelihood ratios / S under importance sampling).
    alpha : float
        Confidence level in (0, 1).
    n : int
        Number of members (length of the results).

    Returns
    -------
    tuple of numpy.ndarray
        ``(value_at_risk, expected_shortfall)``, each of length ``n``.

    Examples
    --------
    >>> var, es = member_tail_risk([0, 1, 2], [0, 0, 1], [4.0, 2.0, 8.0], [0.25] * 4, 0.75, 2)
    >>> var.tolist(), es.tolist()
    ([2.0, 0.0], [4.0, 8.0])
    """
    a = check_alpha(alpha)
    s = np.asarray(scenario, dtype=np.int64)
    i = np.asarray(member, dtype=np.int64)
    x = np.asarray(loss, dtype=float)
    n_scenarios = np.asarray(weights).size
    w = np.asarray(weights, dtype=float)[s]
    keep = x > 0
    s, i, x, w = s[keep], i[keep], x[keep], w[keep]
    order = np.lexsort((-x, i))  # by member, losses descending
    i, x, w = i[order], x[order], w[order]
    start = np.searchsorted(i, np.arange(n))
    count = np.bincount(i, minlength=n)
    csum = np.cumsum(w)
    above = csum - np.repeat(np.concatenate([[0.0], csum])[start], count)  # within member
    inside = above <= (1.0 - a) + _LEVEL_SLACK
    j = np.bincount(i, inside.astype(float), n).astype(np.int64)  # losses above the quantile
    at = np.minimum(start + j, max(x.size - 1, 0))
    smallest = np.maximum(start + count - 1, 0)
    # past the member's listed losses come its zero-loss scenarios; a member that loses in
    # every scenario has none, and its quantile is then its smallest loss (as tail_quantile)
    below = np.where(count == n_scenarios, x[smallest] if x.size else 0.0, 0.0)
    var = np.where(j < count, x[at] if x.size else 0.0, below)
    excess = np.maximum(x - var[i], 0.0) * w
    es = var + np.bincount(i, excess, n) / (1.0 - a)
    return var, es


def expected_loss(
    losses: ArrayLike, weights: ArrayLike | None = None, *, exact: bool = False
) -> tuple[float, float]:
    """Weighted expected loss and its standard error.

    Parameters
    ----------
    losses : array_like
        Loss in each scenario (S,), finite.
    weights : array_like, optional
        Probability of each scenario (None: ``1/S`` each); importance sampling weights
        ``LR/S`` need not sum to 1 exactly.
    exact : bool
        The scenarios enumerate the distribution (standard error 0).

    Returns
    -------
    (float, float)
        Estimate and standard error.

    Examples
    --------
    >>> expected_loss([0.0, 0.0, 4.0, 0.0])
    (1.0, 1.0)
    """
    x, w = _check(losses, weights)
    est = float(w @ x)
    return est, 0.0 if exact else _mean_se(x.size * w * x)


def value_at_risk(
    losses: ArrayLike, alpha: float, weights: ArrayLike | None = None, *, exact: bool = False
) -> tuple[float, float]:
    """Weighted value at risk at confidence ``alpha`` and its standard error.

    See the module notes for the estimator (upper-tail weighted quantile) and the error
    (delta method through the sparsity, estimated by a difference quotient).

    Parameters
    ----------
    losses : array_like
        Loss in each scenario (S,), finite.
    alpha : float
        Confidence level in (0, 1).
    weights : array_like, optional
        Probability of each scenario (None: ``1/S`` each); importance sampling weights
        ``LR/S`` need not sum to 1 exactly.
    exact : bool
        The scenarios enumerate the distribution (standard error 0).

    Returns
    -------
    (float, float)
        Estimate and standard error.

    Examples
    --------
    >>> value_at_risk([0.0, 1.0, 2.0, 3.0], 0.75, [0.25] * 4, exact=True)
    (2.0, 0.0)
    """
    a = check_alpha(alpha)
    x, w = _check(losses, weights)
    var = tail_quantile(x, w, a)
    if exact:
        return var, 0.0
    s_p = _mean_se(x.size * w * (x > var))
    if not np.isfinite(s_p) or s_p == 0.0:
        return var, s_p if np.isfinite(s_p) else float("nan")
    hi = tail_quantile(x, w, min(a + s_p, 1.0 - 1e-15))
    lo = tail_quantile(x, w, max(a - s_p, 1e-15))
    return var, float(hi - lo) / 2.0


def expected_shortfall(
    losses: ArrayLike, alpha: float, weights: ArrayLike | None = None, *, exact: bool = False
) -> tuple[float, float]:
    """Weighted expected shortfall (Rockafellar–Uryasev) at ``alpha`` and its standard error.

    Parameters
    ----------
    losses : array_like
        Loss in each scenario (S,), finite.
    alpha : float
        Confidence level in (0, 1).
    weights : array_like, optional
        Probability of each scenario (None: ``1/S`` each); importance sampling weights
        ``LR/S`` need not sum to 1 exactly.
    exact : bool
        The scenarios enumerate the distribution (standard error 0).

    Returns
    -------
    (float, float)
        Estimate and standard error.

    References
    ----------
    Rockafellar, R. T. & Uryasev, S. (2000). Optimization of conditional value-at-risk.
    *Journal of Risk*, 2(3), 21-41.

    Examples
    --------
    The worst quarter of four equally likely losses 0, 1, 2, 3 is the loss 3:

    >>> expected_shortfall([0.0, 1.0, 2.0, 3.0], 0.75, exact=True)
    (3.0, 0.0)
    """
    a = check_alpha(alpha)
    x, w = _check(losses, weights)
    var = tail_quantile(x, w, a)
    excess = np.maximum(x - var, 0.0)
    es = var + float(w @ excess) / (1.0 - a)
    return es, 0.0 if exact else _mean_se(x.size * w * excess / (1.0 - a))


@dataclass(frozen=True)
class TailEstimate:
    """Expected loss, value at risk and expected shortfall of a loss sample, with errors.

    Built by :func:`tail_risk`.

    Parameters
    ----------
    alpha : float
        Confidence level of the value at risk and the expected shortfall.
    expected_loss, value_at_risk, expected_shortfall : float
        The estimates.
    expected_loss_se, value_at_risk_se, expected_shortfall_se : float
        Their standard errors (0 for exact scenarios).
    n_scenarios : int
        Number of scenarios S.
    effective_sample_size : float
        Kish's :math:`(\\sum w)^2 / \\sum w^2` (S for plain Monte Carlo).
    weight_sum : float
        Sum of the weights (1 for plain and exact scenarios; about 1 under importance
        sampling, a diagnostic of the sampling measure).
    sampling : str
        ``"plain"``, ``"importance"``, ``"exact"`` or ``"weighted"`` (weights given).

    Examples
    --------
    >>> est = tail_risk([0.0, 0.0, 0.0, 4.0], alpha=0.5)
    >>> est.expected_loss, est.value_at_risk, est.expected_shortfall, est.n_scenarios
    (1.0, 0.0, 2.0, 4)
    """

    alpha: float
    expected_loss: float
    expected_loss_se: float
    value_at_risk: float
    value_at_risk_se: float
    expected_shortfall: float
    expected_shortfall_se: float
    n_scenarios: int
    effective_sample_size: float
    weight_sum: float
    sampling: str = "plain"

    def relative_se(self, measure: str = "expected_shortfall") -> float:
        """Standard error over the estimate of ``measure`` (NaN when the estimate is 0).

        Parameters
        ----------
        measure : {"expected_shortfall", "expected_loss", "value_at_risk"}
            The estimate whose relative error is wanted.

        Returns
        -------
        float
            ``standard error / estimate``.

        Examples
        --------
        >>> est = tail_risk([0.0, 0.0, 0.0, 4.0], alpha=0.5)
        >>> est.relative_se("expected_loss")
        1.0
        """
        if measure not in ("expected_loss", "value_at_risk", "expected_shortfall"):
            raise ParameterError(
                f"measure is {measure!r}; it must be 'expected_loss', 'value_at_risk' or "
                "'expected_shortfall'"
            )
        est = getattr(self, measure)
        return float(getattr(self, f"{measure}_se") / est) if est else float("nan")

    def to_frame(self) -> pd.DataFrame:
        """One row per measure: estimate, standard error and relative standard error.

        Returns
        -------
        pandas.DataFrame
            Indexed by ``measure`` (expected loss, value at risk, expected shortfall), with
            columns ``estimate``, ``standard_error`` and ``relative_se``.

        Examples
        --------
        >>> tail_risk([0.0, 0.0, 0.0, 4.0], alpha=0.5).to_frame()["estimate"].tolist()
        [1.0, 0.0, 2.0]
        """
        names = ("expected_loss", "value_at_risk", "expected_shortfall")
        return pd.DataFrame(
            {
                "estimate": [getattr(self, m) for m in names],
                "standard_error": [getattr(self, f"{m}_se") for m in names],
                "relative_se": [self.relative_se(m) for m in names],
            },
            index=pd.Index(names, name="measure"),
        )

    def __repr__(self) -> str:
        return (
            f"TailEstimate(alpha={self.alpha:g}, EL={self.expected_loss:.6g} ± "
            f"{self.expected_loss_se:.3g}, VaR={self.value_at_risk:.6g} ± "
            f"{self.value_at_risk_se:.3g}, ES={self.expected_shortfall:.6g} ± "
            f"{self.expected_shortfall_se:.3g}, scenarios={self.n_scenarios}, "
            f"sampling={self.sampling!r}, effective_size={self.effective_sample_size:.0f})"
        )

    def _repr_html_(self) -> str:
        try:
            head = html.escape(
                f"Tail of the loss at α = {self.alpha:g}: {self.n_scenarios} scenarios, "
                f"{self.sampling} sampling, effective size {self.effective_sample_size:.0f}"
            )
            return f"<p>{head}</p>" + self.to_frame().to_html(float_format="{:.6g}".format)
        except Exception:  # never raise from a notebook hook
            return f"<pre>{html.escape(object.__repr__(self))}</pre>"

    def _repr_latex_(self) -> str:
        return (
            rf"$\mathrm{{EL}} = {self.expected_loss:.6g} \pm {self.expected_loss_se:.3g},\ "
            rf"\mathrm{{VaR}}_{{{self.alpha:g}}} = {self.value_at_risk:.6g} \pm "
            rf"{self.value_at_risk_se:.3g},\ \mathrm{{ES}}_{{{self.alpha:g}}} = "
            rf"{self.expected_shortfall:.6g} \pm {self.expected_shortfall_se:.3g}$"
        )


def tail_risk(
    losses: ArrayLike,
    alpha: float = 0.999,
    weights: ArrayLike | None = None,
    *,
    scenarios: ScenarioSet | None = None,
) -> TailEstimate:
    """Expected loss, value at risk and expected shortfall at ``alpha`` with their errors.

    Parameters
    ----------
    losses : array_like
        The bank's loss in each scenario (S,), finite.
    alpha : float
        Confidence level in (0, 1).
    weights : array_like, optional
        Probability of each scenario (None: equal, or the weights of ``scenarios``).
    scenarios : ScenarioSet, optional
        The scenarios the losses come from: their weights are used (plain, exact or
        importance sampling), and exact scenarios get standard errors 0.

    Returns
    -------
    TailEstimate

    Raises
    ------
    ParameterError
        If ``alpha`` is outside (0, 1), a loss is not finite, or the weights are negative,
        do not match the losses' shape, or are given together with ``scenarios``.

    Examples
    --------
    >>> est = tail_risk([0.0] * 6 + [10.0, 20.0], alpha=0.8, weights=[0.125] * 8)
    >>> est.value_at_risk, est.expected_shortfall, est.expected_loss
    (10.0, 16.25, 3.75)

    References
    ----------
    Rockafellar, R. T. & Uryasev, S. (2000). Optimization of conditional value-at-risk.
    *Journal of Risk*, 2(3), 21-41.
    """
    a = check_alpha(alpha)
    exact = False
    sampling = "plain" if weights is None else "weighted"
    if scenarios is not None:
        if weights is not None:
            raise ParameterError("give weights or scenarios, not both (scenarios carry weights)")
        weights = scenarios.weights
        exact = bool(scenarios.is_exact)
        sampling = "exact" if exact else scenarios.sampling
    x, w = _check(losses, weights)
    el, el_se = expected_loss(x, w, exact=exact)
    var, var_se = value_at_risk(x, a, w, exact=exact)
    es, es_se = expected_shortfall(x, a, w, exact=exact)
    return TailEstimate(
        alpha=a,
        expected_loss=el,
        expected_loss_se=el_se,
        value_at_risk=var,
        value_at_risk_se=var_se,
        expected_shortfall=es,
        expected_shortfall_se=es_se,
        n_scenarios=int(x.size),
        effective_sample_size=float(w.sum() ** 2 / np.sum(w**2)),
        weight_sum=float(w.sum()),
        sampling=sampling,
    )
