r"""Standalone credit limits: what the bank lends each member on its own, in closed form.

The exposure loss on a loan L to a member with collateral c and loss given default λ is
:math:`\lambda \max(0, L - c)`: collateral covers c of exposure, never c/λ (docs/credit_v2.md).
"""

from __future__ import annotations

import numpy as np

from alliance.network.policy import BankPolicy

__all__ = ["standalone_limit", "single_loan_cap"]


def single_loan_cap(
    demand: np.ndarray, weight: np.ndarray, lgd: np.ndarray, collateral: np.ndarray, rate: float
) -> np.ndarray:
    r"""Largest ``L <= D`` with :math:`w \lambda \max(0, L - c) \le r L` (vectorised).

    The closed form: ``D`` if :math:`w\lambda \le r`, else
    :math:`\min(D, w\lambda c / (w\lambda - r))`.

    Parameters
    ----------
    demand : numpy.ndarray
        Credit demand D of each borrower.
    weight : numpy.ndarray
        The weight w of the loss (the default probability for an expected-loss limit).
    lgd : numpy.ndarray
        Loss given default λ, in [0, 1].
    collateral : numpy.ndarray
        Collateral c.
    rate : float
        The largest loss per unit lent r the bank accepts.

    Returns
    -------
    numpy.ndarray
        The cap of each borrower.

    Examples
    --------
    A borrower with ``w λ = 0.005 <= 0.01`` gets its demand; one with ``w λ = 0.02`` and
    collateral 50 gets ``0.02 * 50 / (0.02 - 0.01) = 100``, its demand too; without
    collateral it gets nothing:

    >>> import numpy as np
    >>> single_loan_cap(np.array([100.0, 300.0, 100.0]), np.array([0.01, 0.04, 0.04]),
    ...                 np.array([0.5, 0.5, 0.5]), np.array([0.0, 50.0, 0.0]), 0.01).tolist()
    [100.0, 100.0, 0.0]

    References
    ----------
    docs/credit_v2.md (the standalone limit).
    """
    d = np.asarray(demand, dtype=float)
    wl = np.asarray(weight, dtype=float) * np.asarray(lgd, dtype=float)
    c = np.asarray(collateral, dtype=float)
    excess = wl - rate
    pos = excess > 0
    with np.errstate(divide="ignore", invalid="ignore"):
        cap = np.where(pos, wl * c / np.where(pos, excess, 1.0), np.inf)
    return np.minimum(d, cap)


def standalone_limit(
    demand: np.ndarray,
    pd: np.ndarray,
    lgd: np.ndarray,
    collateral: np.ndarray,
    policy: BankPolicy,
) -> np.ndarray:
    r"""Largest loan ``L <= D`` the bank grants a borrower alone.

    Expected-loss limit (docs/credit_v2.md): the largest ``L <= D`` with
    :math:`p \lambda \max(0, L - c) \le \ell^* L`, that is

    .. math:: L^0 = D \text{ if } p\lambda \le \ell^*, \quad
              \min\left(D, \frac{p \lambda c}{p\lambda - \ell^*}\right) \text{ otherwise.}

    Expected-shortfall limit (when the policy has one): a single loan loses
    :math:`\lambda\max(0, L - c)` with probability ``p``, so its ES at confidence α is that
    loss times :math:`\min(1, p / (1 - \alpha))`; the same closed form with that weight and
    e* in place of ``p`` and ℓ*. Value-at-risk limit: the α-quantile is the loss when
    :math:`p > 1 - \alpha` and 0 otherwise. An ES or VaR limit can only lower the limit.

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
    Worked example 3 of docs/credit_v2.md (version 1's formula gave the whole 100):

    >>> import numpy as np
    >>> standalone_limit(np.array([100.0]), np.array([0.04]), np.array([0.45]),
    ...                  np.array([20.0]), BankPolicy(max_el_rate=0.01)).round(9).tolist()
    [45.0]
    """
    d = np.asarray(demand, dtype=float)
    p = np.asarray(pd, dtype=float)
    lam = np.asarray(lgd, dtype=float)
    c = np.asarray(collateral, dtype=float)
    limit = d.copy()
    if policy.has_el_limit:
        limit = np.minimum(limit, single_loan_cap(d, p, lam, c, float(policy.max_el_rate)))
    if policy.has_es_limit:
        alpha = float(policy.es_alpha)  # type: ignore[arg-type]
        weight = np.minimum(1.0, p / (1.0 - alpha))
        limit = np.minimum(limit, single_loan_cap(d, weight, lam, c, float(policy.max_es_rate)))
    if policy.has_var_limit:
        alpha = float(policy.var_alpha)  # type: ignore[arg-type]
        weight = (p > 1.0 - alpha).astype(float)
        limit = np.minimum(limit, single_loan_cap(d, weight, lam, c, float(policy.max_var_rate)))
    return limit
