"""Standalone credit limits: what the bank lends each member on its own, in closed form."""

from __future__ import annotations

import numpy as np

from alliance.network.policy import BankPolicy

__all__ = ["standalone_limit"]


def standalone_limit(
    demand: np.ndarray,
    pd: np.ndarray,
    lgd: np.ndarray,
    collateral: np.ndarray,
    policy: BankPolicy,
) -> np.ndarray:
    r"""Largest loan ``L <= D`` the bank grants a borrower alone.

    Expected-loss limit (MODELS.md §3): the largest ``L <= D`` with
    :math:`p \max(0, \lambda L - c) \le \ell^* L`, that is

    .. math:: L^0 = D \text{ if } p\lambda \le \ell^*, \quad
              \min\left(D, \frac{p c}{p\lambda - \ell^*}\right) \text{ otherwise.}

    Value-at-risk limit (when the policy has one): the borrower's loss is
    :math:`\max(0, \lambda L - c)` with probability ``p`` and 0 otherwise, so its
    α-quantile is that loss when :math:`p > 1 - \alpha` and 0 otherwise; the limit
    :math:`\max(0, \lambda L - c) \le v^* L` gives :math:`L \le c / (\lambda - v^*)` when
    :math:`p > 1 - \alpha` and :math:`\lambda > v^*`. The standalone limit is the smaller of
    the two.

    Parameters
    ----------
    demand, pd, lgd, collateral : array_like
        Loan sought D ≥ 0, probability of default p in [0, 1], loss given default λ in
        [0, 1] and collateral c ≥ 0 (same currency unit as D), one entry per borrower.
    policy : BankPolicy
        The bank's limits.

    Returns
    -------
    numpy.ndarray
        The standalone limits, in the unit of ``demand``.

    Examples
    --------
    >>> import numpy as np
    >>> standalone_limit(np.array([200.0, 100.0]), np.array([0.04, 0.0]),
    ...                  np.array([0.5, 0.5]), np.array([0.0, 0.0]),
    ...                  BankPolicy(max_el_rate=0.005)).tolist()
    [0.0, 100.0]
    """
    d = np.asarray(demand, dtype=float)
    p = np.asarray(pd, dtype=float)
    lam = np.asarray(lgd, dtype=float)
    c = np.asarray(collateral, dtype=float)
    ell = float(policy.max_el_rate)
    excess = p * lam - ell
    with np.errstate(divide="ignore", invalid="ignore"):
        el_cap = np.where(excess > 0, p * c / np.where(excess > 0, excess, 1.0), np.inf)
    limit = np.minimum(d, el_cap)
    if policy.has_var_limit:
        v = float(policy.max_var_rate)  # type: ignore[arg-type]
        alpha = float(policy.var_alpha)  # type: ignore[arg-type]
        binding = (p > 1.0 - alpha) & (lam > v)
        with np.errstate(divide="ignore", invalid="ignore"):
            var_cap = np.where(binding, c / np.where(binding, lam - v, 1.0), np.inf)
        limit = np.minimum(limit, var_cap)
    return limit
