r"""The Vasicek (one-factor Gaussian copula) conditional default probability.

In the one-factor model a borrower with unconditional default probability ``p`` defaults when
its asset value :math:`\sqrt{\rho}\,Z + \sqrt{1-\rho}\,\varepsilon` falls below
:math:`\Phi^{-1}(p)`, with a systematic factor ``Z`` and an idiosyncratic ``ε``, both
independent standard normal. Given the factor, defaults are independent with probability

.. math:: p(z) = P(\text{default} \mid Z = z)
          = \Phi\!\left(\frac{\Phi^{-1}(p) - \sqrt{\rho}\,z}{\sqrt{1-\rho}}\right).

**Sign convention**: a *low* ``z`` is a bad state of the economy (more defaults); ``p(z)``
falls as ``z`` rises. The Basel II IRB formula evaluates it at the 0.1 % worst factor value
:math:`z = \Phi^{-1}(0.001) = -\Phi^{-1}(0.999)`:

.. math:: \text{WCDR} = \Phi\!\left(\frac{\Phi^{-1}(p) + \sqrt{\rho}\,\Phi^{-1}(0.999)}
          {\sqrt{1-\rho}}\right),

the "worst-case default rate" of :func:`worst_case_default_rate` (its default confidence is
0.999). The Basel capital requirement per unit of exposure is then
``LGD * (WCDR - p)`` times a maturity adjustment.

A node with a sector factor (``rho`` on the common factor, ``rho_s`` on its sector's) has the
combined systematic factor :math:`Y = (\sqrt{\rho}Z + \sqrt{\rho_s}Z_s)/\sqrt{\rho+\rho_s}`,
itself standard normal, so its conditional default probability is
``conditional_pd(p, rho + rho_s, y)``.

References
----------
Vasicek, O. (2002). The distribution of loan portfolio value. *Risk*, 15(12), 160-162.

Basel Committee on Banking Supervision (2006). *International Convergence of Capital
Measurement and Capital Standards: A Revised Framework* (Basel II), §272.

Basel Committee on Banking Supervision (2005). *An Explanatory Note on the Basel II IRB Risk
Weight Functions*.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike
from scipy.special import ndtr, ndtri

from alliance.errors import ParameterError

__all__ = ["conditional_pd", "worst_case_default_rate"]


def _as_array(value: ArrayLike, field: str) -> np.ndarray:
    try:
        arr = np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        raise ParameterError(f"{field} is {value!r}; it must be a number or an array of numbers") from None
    return arr


def _check_pd(pd: ArrayLike) -> np.ndarray:
    p = _as_array(pd, "pd")
    bad = ~((p >= 0.0) & (p <= 1.0))  # NaN is bad too
    if bad.any():
        first = float(p.ravel()[np.flatnonzero(bad.ravel())[0]])
        raise ParameterError(f"pd is {first!r}; a default probability must lie in [0, 1]")
    return p


def _check_rho(rho: ArrayLike) -> np.ndarray:
    r = _as_array(rho, "rho")
    bad = ~((r >= 0.0) & (r < 1.0))
    if bad.any():
        first = float(r.ravel()[np.flatnonzero(bad.ravel())[0]])
        raise ParameterError(f"rho is {first!r}; the factor loading must lie in [0, 1)")
    return r


def conditional_pd(pd: ArrayLike, rho: ArrayLike, z: ArrayLike) -> np.ndarray | float:
    r"""Default probability given the systematic factor, :math:`\Phi((\Phi^{-1}(p) - \sqrt{\rho} z) / \sqrt{1-\rho})`.

    Vectorised: ``pd``, ``rho`` and ``z`` broadcast against each other.

    Parameters
    ----------
    pd : array_like
        Unconditional default probability ``p``, in [0, 1]. ``p = 0`` gives 0 and ``p = 1``
        gives 1 for every ``z``.
    rho : array_like
        Loading on the factor (asset correlation), in [0, 1). ``rho = 0`` returns ``pd``.
    z : array_like
        Value of the standard normal factor; low values are bad states (more defaults).
        ±inf are allowed (limits 1 and 0 for ``0 < p < 1`` and ``rho > 0``).

    Returns
    -------
    numpy.ndarray or float
        ``P(default | Z = z)``; a float when every input is a scalar.

    Raises
    ------
    ParameterError
        If ``pd`` is outside [0, 1], ``rho`` outside [0, 1), or ``z`` is NaN.

    Examples
    --------
    The Basel II worst-case default rate of a 1 % borrower with asset correlation 0.12 is the
    conditional PD at :math:`z = \Phi^{-1}(0.001)`:

    >>> from scipy.special import ndtri
    >>> round(conditional_pd(0.01, 0.12, ndtri(0.001)), 6)
    0.090326
    >>> conditional_pd([0.0, 0.05, 1.0], 0.2, 0.0).round(4).tolist()
    [0.0, 0.033, 1.0]

    References
    ----------
    Vasicek, O. (2002). The distribution of loan portfolio value. *Risk*, 15(12), 160-162.
    """
    p = _check_pd(pd)
    r = _check_rho(rho)
    x = _as_array(z, "z")
    if np.isnan(x).any():
        raise ParameterError("z contains NaN; the factor value must be a number (±inf allowed)")
    scalar = p.ndim == 0 and r.ndim == 0 and x.ndim == 0
    with np.errstate(invalid="ignore"):
        out = ndtr((ndtri(p) - np.sqrt(r) * x) / np.sqrt(1.0 - r))
    # p = 0 or 1 are certain whatever the factor (avoids -inf + inf when z is infinite)
    out = np.where(p <= 0.0, 0.0, np.where(p >= 1.0, 1.0, out))
    return float(out) if scalar else out


def worst_case_default_rate(
    pd: ArrayLike, rho: ArrayLike, confidence: float = 0.999
) -> np.ndarray | float:
    r"""The Basel II IRB worst-case default rate: the conditional PD at the factor's
    ``1 - confidence`` quantile, :math:`\Phi((\Phi^{-1}(p) + \sqrt{\rho}\Phi^{-1}(c)) / \sqrt{1-\rho})`.

    In a large portfolio of such borrowers (Vasicek's limit) it is the ``confidence``-quantile
    of the default rate.

    Parameters
    ----------
    pd : array_like
        Default probability, in [0, 1].
    rho : array_like
        Asset correlation, in [0, 1).
    confidence : float
        Confidence level c in (0, 1); Basel II uses 0.999.

    Returns
    -------
    numpy.ndarray or float

    Raises
    ------
    ParameterError
        If an input is outside its range.

    Examples
    --------
    >>> round(worst_case_default_rate(0.01, 0.12), 6)
    0.090326

    References
    ----------
    Basel Committee on Banking Supervision (2006). *Basel II: International Convergence of
    Capital Measurement and Capital Standards*, §272.
    """
    try:
        c = float(confidence)
    except (TypeError, ValueError):
        raise ParameterError(f"confidence is {confidence!r}; it must be a number in (0, 1)") from None
    if not 0.0 < c < 1.0:
        raise ParameterError(f"confidence is {c!r}; it must lie in (0, 1)")
    return conditional_pd(pd, rho, float(ndtri(1.0 - c)))
