r"""Linking the games to the network: member PDs, the void probability and the loss limit.

The alliance network (docs/economics.md §3) needs three numbers that its version 1 took as given: each
member's probability of default :math:`p_i`, the probability :math:`q` that a guarantee is
void, and the bank's loss limit :math:`\ell^*`. Here each comes out of a domain model, so that
the policy levers of seeds 001–003 (enforcement, penalties, peer monitoring, the bank's
verification effort, loan pricing) move the alliance's credit margin.

**(a) A member's default probability (seeds 002 and 003).** A member borrows :math:`L` and
owes :math:`D = (1 + r)L` at maturity. Its project returns :math:`\theta`, drawn from a
log-normal distribution with median :math:`m` and log-standard deviation :math:`\sigma`
(:math:`\ln\theta \sim N(\ln m, \sigma^2)`); the return is the member's private information.

* *Involuntary default.* With :math:`\theta < D` the member cannot repay in full (limited
  liability).
* *Strategic default.* With :math:`\theta \ge D` it repays (payoff :math:`\theta - D`) or hides
  the return and defaults. As in :func:`alliance.models.lending_game`, with the enforcement
  probability :math:`\pi` the court seizes the collateral :math:`C` and imposes the legal
  penalty :math:`F`; as in Besley and Coate's (1995) penalty :math:`c(\theta) = b\theta`, it
  also seizes a share :math:`b` of the return it uncovers. Inside an alliance, peers who
  monitor with intensity :math:`\mu` (the probability that they observe the member's true
  return) impose the social sanction :math:`S` on a strategic defaulter (Besley and Coate's
  social collateral; Stiglitz 1990 on peer monitoring). The expected cost of a strategic
  default is :math:`\pi(C + F + b\theta) + \mu S`, so the member repays iff

  .. math:: D \le \pi (C + F + b\theta) + \mu S
            \iff \theta \ge \theta^* = \frac{D - \pi (C + F) - \mu S}{\pi b}.

  (:math:`\pi b = 0`: :math:`\theta^* = +\infty` when :math:`D > \pi(C + F) + \mu S`, else
  :math:`-\infty`; with :math:`b = 0` this is the lending game's all-or-nothing repayment
  condition.)

The member defaults iff :math:`\theta < \max(D, \theta^*)`, so with :math:`\Phi` the standard
normal c.d.f.

.. math:: p = \Phi\!\left(\frac{\ln \max(D, \theta^*) - \ln m}{\sigma}\right),

of which :math:`\Phi((\ln D - \ln m)/\sigma)` is involuntary and the rest strategic. Since
:math:`\theta^*` falls with :math:`\pi`, :math:`F`, :math:`C`, :math:`b`, :math:`\mu` and
:math:`S`, the PD falls weakly with each (strictly while strategic default is positive), and it
never falls below the involuntary floor: enforcement cannot stop a member that cannot pay.
:func:`calibrate_returns` chooses each member's median :math:`m_i` so that the model reproduces
its rated PD at the status quo; a policy change then moves the PDs. Monitoring is costly:
:func:`monitoring_intensity` gives the :math:`\mu^*` that peers exposed to the member's default
choose (the cost changes that decision, and with it the PD).

**(b) The void probability (seed 001).** An unverified guarantee is void with probability
:math:`q_0` (an unqualified guarantor, a forged signature or stamp); the bank's verification
effort :math:`e \in [0, 1]` (the probability that it checks the guarantee, or the share of the
checks it runs) catches a void guarantee before the loan is made, so

.. math:: q(e) = q_0 (1 - e),

the rule of :func:`alliance.models.guarantee_game` (a guarantee is valid with probability
:math:`1 - q(1 - x_V)` when the bank verifies with probability :math:`x_V`;
:func:`void_probability_from_equilibrium` reads :math:`x_V` off an equilibrium). With a convex cost
:math:`\kappa e^2 / 2` and :math:`X` the amount the bank expects to lose when the guarantee is
void (the probability of a call times the amount called), the bank chooses
:math:`e^* = \min(1, q_0 X / \kappa)`; with a linear cost :math:`\kappa e` it verifies fully iff
:math:`q_0 X \ge \kappa` (the guarantee game's verification rule).

**(c) The loss limit (seed 001).** Per unit lent, the bank earns the loan rate :math:`r`, pays
its funding rate :math:`r_f` and its operating cost :math:`k`, and holds capital charged at
:math:`c_K` per unit lent; it lends while its expected profit is non-negative, i.e. while the
expected loss rate is at most

.. math:: \ell^* = r - r_f - k - c_K.

(The interest lost on loans that default, about :math:`\bar p r`, is neglected, as in the
usual "spread covers expected loss" rule; give ``capital_charge`` to include it.) A negative
spread means the bank lends to nobody: an error, not a limit of zero.

References
----------
Besley, T. and Coate, S. (1995). Group lending, repayment incentives and social collateral.
*Journal of Development Economics* 46(1): 1–18.

Stiglitz, J. E. (1990). Peer monitoring and credit markets. *World Bank Economic Review*
4(3): 351–366.

Bond, P. and Krishnamurthy, A. (2004). Regulating exclusion from financial markets. *Review of
Economic Studies* 71(3): 681–707.

Bhole, B. and Ogden, S. (2010). Group lending and individual lending with strategic default.
*Journal of Development Economics* 91(2): 348–363.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
import sympy as sp
from scipy.special import ndtr, ndtri

from alliance.errors import NetworkError, ParameterError
from alliance.models.lending import LENDING_INFO

__all__ = [
    "repayment_threshold",
    "default_probability",
    "default_breakdown",
    "calibrate_returns",
    "monitoring_intensity",
    "void_probability",
    "void_probability_from_equilibrium",
    "verification_effort",
    "loss_limit",
    "policy_from_pricing",
    "link_network",
    "LinkedAlliance",
]

_INF = math.inf

# The contract's defaults are the lending game's, so that "at the lending game's defaults"
# stays true by construction.
_LENDING = {k: float(v) for k, v in LENDING_INFO.defaults().items()}
_L, _R_RATE, _C, _F, _PI = (_LENDING[k] for k in ("L", "r", "C", "F", "pi"))
_THETA_MEDIAN = _LENDING.get("R", 130.0)


# ------------------------------------------------------------------ input checks
def _array(
    name: str,
    value: Any,
    lo: float = -_INF,
    hi: float = _INF,
    *,
    lo_open: bool = False,
    hi_open: bool = False,
    what: str = "",
) -> np.ndarray:
    """``value`` as a float array, every entry finite and within its range (else ParameterError)."""
    label = f"{what} {name}".strip()
    if isinstance(value, (bool, np.bool_)):
        raise ParameterError(f"{label} is {value!r}; it must be a number or an array of numbers")
    try:
        arr = np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        raise ParameterError(f"{label} is {value!r:.80}; it must be numeric") from None
    if not np.all(np.isfinite(arr)):
        raise ParameterError(f"{label} has non-finite values; every value must be finite")
    bad = (arr <= lo) if lo_open else (arr < lo)
    bad |= (arr >= hi) if hi_open else (arr > hi)
    if np.any(bad):
        first = float(arr[bad].flat[0])
        left = "(" if lo_open or math.isinf(lo) else "["
        right = ")" if hi_open or math.isinf(hi) else "]"
        rng = f"{left}{lo:g}, {hi:g}{right}".replace("inf", "∞")
        raise ParameterError(f"{label} is {first:g}; it must lie in {rng}")
    return arr


def _out(arr: np.ndarray) -> Any:
    return float(arr) if arr.ndim == 0 else arr


def _contract(L, r, C, F, pi, seize_share, monitoring, sanction) -> dict[str, np.ndarray]:
    v = {
        "L": _array("L", L, 0, lo_open=True, what="loan principal"),
        "r": _array("r", r, 0, 1, lo_open=True, what="interest rate"),
        "C": _array("C", C, 0, what="recoverable collateral"),
        "F": _array("F", F, 0, what="legal penalty"),
        "pi": _array("pi", pi, 0, 1, what="enforcement probability"),
        "b": _array("seize_share", seize_share, 0, 1, what="seized share of the return"),
        "mu": _array("monitoring", monitoring, 0, 1, what="peer-monitoring intensity"),
        "S": _array("sanction", sanction, 0, what="social sanction"),
    }
    debt = (1 + v["r"]) * v["L"]
    over = v["C"] > debt * (1 + 1e-12)
    if np.any(np.broadcast_to(over, np.broadcast_shapes(over.shape, debt.shape))):
        raise ParameterError(
            "recoverable collateral C exceeds the debt (1+r)L for some entries; the bank "
            "can recover at most what it is owed"
        )
    v["D"] = debt
    return v


# ------------------------------------------------------------------ (a) member PDs
def _threshold(v: Mapping[str, np.ndarray]) -> np.ndarray:
    gap = v["D"] - v["pi"] * (v["C"] + v["F"]) - v["mu"] * v["S"]
    slope = v["pi"] * v["b"]
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        theta = np.where(slope > 0, gap / np.where(slope > 0, slope, 1.0), 0.0)
    theta = np.where(slope > 0, theta, np.where(gap > 0, _INF, -_INF))
    return theta


def repayment_threshold(
    *,
    L: Any = _L,
    r: Any = _R_RATE,
    C: Any = _C,
    F: Any = _F,
    pi: Any = _PI,
    seize_share: Any = 0.5,
    monitoring: Any = 0.0,
    sanction: Any = 0.0,
    symbolic: bool = False,
) -> Any:
    r"""The return :math:`\theta^*` above which a solvent member repays rather than default.

    :math:`\theta^* = (D - \pi(C + F) - \mu S) / (\pi b)` with :math:`D = (1+r)L` (module
    docstring, part (a)). Defaults are those of :func:`alliance.models.lending_game`
    (:math:`L = 100`, :math:`r = 0.06`, :math:`C = 70`, :math:`F = 50`, :math:`\pi = 0.5`),
    a seized share :math:`b = 0.5` (Besley and Coate's illustrative value, as in
    :func:`alliance.models.credit_alliance_game`) and no peer monitoring.

    Parameters
    ----------
    L, r, C, F, pi : float or array_like
        Loan principal (> 0), interest rate (in (0, 1]), recoverable collateral (in
        [0, (1+r)L]), legal penalty (≥ 0) and enforcement probability (in [0, 1]).
    seize_share : float or array_like
        :math:`b`, the share of an uncovered return the court seizes, in [0, 1].
    monitoring : float or array_like
        :math:`\mu`, the probability that peers observe the member's return, in [0, 1].
    sanction : float or array_like
        :math:`S`, the peers' social sanction on a strategic defaulter, money, ≥ 0.
    symbolic : bool
        Return the SymPy expression in the symbols ``L, r, C, F, pi, b, mu, S``.

    Returns
    -------
    float, numpy.ndarray or sympy.Expr
        :math:`\theta^*` (``inf`` when no return makes repaying worth it, ``-inf`` when every
        solvent member repays whatever its return, which happens when :math:`\pi b = 0`).

    Examples
    --------
    >>> repayment_threshold()
    184.0
    >>> repayment_threshold(pi=[0.5, 0.6]).round(4).tolist()
    [184.0, 113.3333]
    >>> repayment_threshold(symbolic=True)
    (L*(r + 1) - S*mu - pi*(C + F))/(b*pi)
    """
    if symbolic:
        names = ("L", "r", "C", "F", "pi", "b", "mu", "S")
        s = dict(zip(names, sp.symbols(names, positive=True), strict=True))
        return (s["L"] * (1 + s["r"]) - s["pi"] * (s["C"] + s["F"]) - s["mu"] * s["S"]) / (
            s["pi"] * s["b"]
        )
    v = _contract(L, r, C, F, pi, seize_share, monitoring, sanction)
    return _out(_threshold(v))


def _returns(median: Any, sigma: Any) -> tuple[np.ndarray, np.ndarray]:
    m = _array("theta_median", median, 0, lo_open=True, what="median project return")
    s = _array("theta_sigma", sigma, 0, lo_open=True, what="log-standard deviation of returns")
    return m, s


def _lognormal_cdf(x: np.ndarray, median: np.ndarray, sigma: np.ndarray) -> np.ndarray:
    with np.errstate(divide="ignore"):
        z = (np.log(np.maximum(x, 0.0)) - np.log(median)) / sigma
    return ndtr(z)


def default_breakdown(
    *,
    L: Any = _L,
    r: Any = _R_RATE,
    C: Any = _C,
    F: Any = _F,
    pi: Any = _PI,
    seize_share: Any = 0.5,
    monitoring: Any = 0.0,
    sanction: Any = 0.0,
    theta_median: Any = _THETA_MEDIAN,
    theta_sigma: Any = 0.25,
) -> dict[str, Any]:
    r"""A member's PD split into involuntary and strategic default.

    Parameters
    ----------
    L, r, C, F, pi, seize_share, monitoring, sanction : float or array_like
        As in :func:`repayment_threshold` (units and ranges there).
    theta_median : float or array_like, default 130
        Median project return :math:`m` at maturity, money, > 0.
    theta_sigma : float or array_like, default 0.25
        Log-standard deviation :math:`\sigma` of the return, > 0.

    Returns
    -------
    dict
        ``pd`` (total), ``involuntary`` (:math:`\Pr[\theta < D]`), ``strategic``
        (:math:`\Pr[D \le \theta < \theta^*]`) and ``threshold`` (:math:`\theta^*`), each a
        float or an array of the broadcast shape.

    Raises
    ------
    ParameterError
        A value outside its range; the message names the parameter.

    Examples
    --------
    >>> {k: round(v, 4) for k, v in default_breakdown(pi=0.9, F=60).items()}
    {'pd': 0.2071, 'involuntary': 0.2071, 'strategic': 0.0, 'threshold': -24.4444}
    """
    v = _contract(L, r, C, F, pi, seize_share, monitoring, sanction)
    m, s = _returns(theta_median, theta_sigma)
    theta = _threshold(v)
    involuntary = _lognormal_cdf(v["D"], m, s)
    total = _lognormal_cdf(np.maximum(v["D"], theta), m, s)
    total, involuntary, theta = np.broadcast_arrays(total, involuntary, theta)
    return {
        "pd": _out(total),
        "involuntary": _out(involuntary),
        "strategic": _out(np.maximum(total - involuntary, 0.0)),
        "threshold": _out(theta),
    }


def default_probability(
    *,
    L: Any = _L,
    r: Any = _R_RATE,
    C: Any = _C,
    F: Any = _F,
    pi: Any = _PI,
    seize_share: Any = 0.5,
    monitoring: Any = 0.0,
    sanction: Any = 0.0,
    theta_median: Any = _THETA_MEDIAN,
    theta_sigma: Any = 0.25,
) -> Any:
    r"""A member's probability of default from the strategic-default game (module part (a)).

    :math:`p = \Phi((\ln\max(D, \theta^*) - \ln m) / \sigma)`: involuntary default when the
    return falls short of the debt, strategic default when it lies between the debt and
    :math:`\theta^*` (:func:`repayment_threshold`). Every argument broadcasts (NumPy rules),
    so one call gives the PDs of a whole alliance over a grid of policies.

    Parameters
    ----------
    L, r, C, F, pi, seize_share, monitoring, sanction : float or array_like
        As in :func:`repayment_threshold`.
    theta_median : float or array_like, default 130
        Median project return :math:`m` at maturity, money, > 0 (the lending game's
        illustrative :math:`R = 130`).
    theta_sigma : float or array_like, default 0.25
        Log-standard deviation :math:`\sigma` of the return, > 0 (illustrative).

    Returns
    -------
    float or numpy.ndarray
        The probability of default, in [0, 1].

    Raises
    ------
    ParameterError
        A value outside its range; the message names the parameter.

    Examples
    --------
    Weak enforcement at the lending game's defaults: most solvent SMEs default on purpose.

    >>> round(default_probability(), 4)
    0.9177
    >>> default_probability(pi=[0.5, 0.6, 0.9]).round(4).tolist()
    [0.9177, 0.2916, 0.2071]

    At :math:`\pi = 0.6`, peers who always observe the return and sanction by 20 leave only
    involuntary default (:math:`\theta^* = 46.7 < D = 106`):

    >>> round(default_probability(pi=0.6, monitoring=1.0, sanction=20), 4)
    0.2071
    """
    return default_breakdown(
        L=L,
        r=r,
        C=C,
        F=F,
        pi=pi,
        seize_share=seize_share,
        monitoring=monitoring,
        sanction=sanction,
        theta_median=theta_median,
        theta_sigma=theta_sigma,
    )["pd"]


def calibrate_returns(
    pd: Any,
    *,
    L: Any = _L,
    r: Any = _R_RATE,
    C: Any = _C,
    F: Any = _F,
    pi: Any = _PI,
    seize_share: Any = 0.5,
    monitoring: Any = 0.0,
    sanction: Any = 0.0,
    theta_sigma: Any = 0.25,
) -> Any:
    r"""The median return :math:`m_i` that makes the model reproduce a rated PD.

    At the status-quo policy (the arguments), :func:`default_probability` equals ``pd`` iff
    :math:`\ln m = \ln\max(D, \theta^*) - \sigma\,\Phi^{-1}(p)`. A policy change then moves
    the PD away from its rated value.

    Parameters
    ----------
    pd : float or array_like
        The rated PDs, in (0, 1).
    L, r, C, F, pi, seize_share, monitoring, sanction, theta_sigma
        As in :func:`default_probability`; ``pi`` must make :math:`\theta^*` finite
        (:math:`\pi b > 0` or no strategic default at all).

    Returns
    -------
    float or numpy.ndarray
        The median returns.

    Examples
    --------
    >>> m = calibrate_returns(0.05)
    >>> round(default_probability(theta_median=m), 12)
    0.05
    """
    p = _array("pd", pd, 0, 1, lo_open=True, hi_open=True, what="rated default probability")
    v = _contract(L, r, C, F, pi, seize_share, monitoring, sanction)
    s = _array("theta_sigma", theta_sigma, 0, lo_open=True, what="log-standard deviation of returns")
    edge = np.maximum(v["D"], _threshold(v))
    if np.any(np.isinf(edge)):
        raise ParameterError(
            "enforcement pi is 0 or the seized share is 0 while strategic default pays: every "
            "solvent member defaults, so no return distribution reproduces a PD below 1"
        )
    return _out(np.exp(np.log(edge) - s * ndtri(p)))


def monitoring_intensity(
    *,
    exposure: Any,
    cost: Any,
    grid: int = 1001,
    **pd_params: Any,
) -> Any:
    r"""The peer-monitoring intensity :math:`\mu^*` the monitors choose at a cost.

    Peers who bear :math:`X` when the member defaults (the guarantee they gave it, their share
    of the fund's payout) choose :math:`\mu \in [0, 1]` to minimise
    :math:`X\,p(\mu) + \kappa\mu^2/2`, with :math:`p(\mu)` from
    :func:`default_probability`. Monitoring only pays while the member defaults strategically,
    so a costly monitor stops where the sanction already deters (or at once when all default
    is involuntary): the cost changes the decision. Solved on a grid of ``grid`` intensities,
    vectorised over every other argument.

    Parameters
    ----------
    exposure : float or array_like
        :math:`X \ge 0`, money.
    cost : float or array_like
        :math:`\kappa > 0`, money (the cost of full monitoring is :math:`\kappa/2`).
    grid : int
        Number of grid points on [0, 1] (accuracy :math:`1/(\text{grid} - 1)`).
    **pd_params
        The arguments of :func:`default_probability` other than ``monitoring``; give the
        ``sanction`` :math:`S`, without which monitoring deters nothing.

    Returns
    -------
    float or numpy.ndarray
        :math:`\mu^*`; feed it back to :func:`default_probability` as ``monitoring``.

    Examples
    --------
    At :math:`\pi = 0.55` strategic default stops once
    :math:`\theta^* \le D`, i.e. :math:`\mu \ge (D - \pi(C + F) - \pi b D)/S = 0.5425`;
    cheap monitoring goes exactly that far (the first grid point beyond), and the PD falls to
    its involuntary floor:

    >>> mu = monitoring_intensity(exposure=100, cost=5, pi=0.55, sanction=20)
    >>> round(mu, 3), round(default_probability(pi=0.55, sanction=20, monitoring=mu), 4)
    (0.543, 0.2071)
    >>> monitoring_intensity(exposure=100, cost=500, pi=0.55, sanction=20) < mu
    True
    >>> monitoring_intensity(exposure=100, cost=5, pi=0.9, sanction=20)  # nothing to deter
    0.0
    """
    if "monitoring" in pd_params:
        raise ParameterError("monitoring is what monitoring_intensity chooses; do not give it")
    if isinstance(grid, bool) or not isinstance(grid, (int, np.integer)) or grid < 2:
        raise ParameterError(f"grid is {grid!r}; give an integer number of points >= 2")
    x = _array("exposure", exposure, 0, what="monitors'")
    k = _array("cost", cost, 0, lo_open=True, what="monitoring")
    mu = np.linspace(0.0, 1.0, int(grid))
    shape = np.broadcast_shapes(
        x.shape, k.shape, *(np.shape(np.asarray(v, dtype=float)) for v in pd_params.values())
    )
    mu_axis = mu.reshape(mu.shape + (1,) * len(shape))
    pd_mu = default_probability(monitoring=mu_axis, **pd_params)
    total = x * pd_mu + k * mu_axis**2 / 2
    # ties go to the smallest intensity: nobody pays for monitoring that changes nothing
    best = mu[np.argmin(np.broadcast_to(total, mu.shape + shape), axis=0)]
    return _out(np.asarray(best, dtype=float))


# ------------------------------------------------------------------ (b) void probability
def void_probability(effort: Any, *, base: Any = 0.05) -> Any:
    r"""The probability that a guarantee is void after the bank's verification effort.

    :math:`q(e) = q_0 (1 - e)` (module part (b); the rule of
    :func:`alliance.models.guarantee_game` with :math:`e` its equilibrium verification
    probability).

    Parameters
    ----------
    effort : float or array_like
        :math:`e \in [0, 1]`, the probability that the bank verifies a guarantee.
    base : float or array_like, default 0.05
        :math:`q_0 \in [0, 1]`, the void probability of an unverified guarantee (the shipped
        example alliance's 5 %, illustrative).

    Returns
    -------
    float or numpy.ndarray

    Examples
    --------
    >>> void_probability([0.0, 0.5, 1.0]).tolist()
    [0.05, 0.025, 0.0]
    """
    e = _array("effort", effort, 0, 1, what="verification")
    q0 = _array("base", base, 0, 1, what="void probability of an unverified guarantee")
    return _out(q0 * (1 - e))


def verification_effort(
    *, base: Any = 0.05, stake: Any, cost: Any, cost_shape: str = "quadratic"
) -> Any:
    r"""The bank's cost-minimising verification effort :math:`e^*`.

    The bank chooses :math:`e` to minimise :math:`q_0 (1 - e) X + \kappa(e)`: the loss from a
    void guarantee plus the cost of checking. With :math:`\kappa(e) = \kappa e^2/2`,
    :math:`e^* = \min(1, q_0 X / \kappa)`; with :math:`\kappa(e) = \kappa e`,
    :math:`e^* = 1` if :math:`q_0 X \ge \kappa` and 0 otherwise.

    Parameters
    ----------
    base : float or array_like
        :math:`q_0 \in [0, 1]`.
    stake : float or array_like
        :math:`X \ge 0`, the bank's expected loss when the guarantee is void (probability of
        a call times the amount called), money.
    cost : float or array_like
        :math:`\kappa > 0`, money.
    cost_shape : {"quadratic", "linear"}

    Returns
    -------
    float or numpy.ndarray
        :math:`e^* \in [0, 1]`; feed it to :func:`void_probability`.

    Examples
    --------
    A guarantee of 40 on a loan with PD 4 %: the bank stands to lose 1.6 when it is void.

    >>> round(verification_effort(stake=0.04 * 40, cost=0.1), 12)
    0.8
    >>> verification_effort(stake=1.6, cost=[0.05, 0.1], cost_shape="linear").tolist()
    [1.0, 0.0]
    """
    q0 = _array("base", base, 0, 1, what="void probability of an unverified guarantee")
    x = _array("stake", stake, 0, what="bank's loss on a void guarantee")
    k = _array("cost", cost, 0, lo_open=True, what="verification cost")
    if cost_shape == "quadratic":
        e = np.minimum(1.0, q0 * x / k)
    elif cost_shape == "linear":
        e = np.where(q0 * x >= k, 1.0, 0.0)
    else:
        raise ParameterError(f"cost_shape is {cost_shape!r}; use 'quadratic' or 'linear'")
    return _out(np.asarray(e, dtype=float))


def void_probability_from_equilibrium(
    equilibrium: Any, *, base: Any = 0.05, player: str = "Bank", strategy: str = "verify"
) -> Any:
    r"""The void probability :math:`q_0(1 - x_V)` at a game's equilibrium.

    :math:`x_V` is the probability with which ``player`` plays ``strategy`` in
    ``equilibrium`` (an :class:`~alliance.games.Equilibrium` of a numeric game, e.g. of
    :func:`alliance.models.guarantee_game`, or a
    :class:`~alliance.games.symbolic.SymbolicEquilibrium`, for which the result is a SymPy
    expression that :func:`alliance.sensitivity` can differentiate).

    Parameters
    ----------
    equilibrium : Equilibrium or SymbolicEquilibrium
    base : float
        :math:`q_0 \in [0, 1]`.
    player, strategy : str
        Who verifies, and the name of the verifying strategy.

    Returns
    -------
    float or sympy.Expr

    Raises
    ------
    ParameterError
        An unknown player or strategy (the message lists the game's).

    Examples
    --------
    An inspection game: verifying costs the bank 1, an unverified forgery 4; forging gains the
    guarantor 1 and costs it 2 when caught. The bank verifies with probability 1/3:

    >>> import alliance as al
    >>> g = al.NormalFormGame.from_matrices(
    ...     [[-1, -1], [0, -4]], [[0, -2], [0, 1]], players=("Bank", "Guarantor"),
    ...     strategies=(("verify", "not verify"), ("honest", "forge")))
    >>> [e.profile[0] for e in g.equilibria()]
    [(Fraction(1, 3), Fraction(2, 3))]
    >>> round(void_probability_from_equilibrium(g.equilibria()[0], base=0.3), 12)
    0.2
    """
    q0 = float(_array("base", base, 0, 1, what="void probability of an unverified guarantee"))
    players = tuple(getattr(equilibrium, "players", ()))
    if player not in players:
        raise ParameterError(f"player {player!r} is not in the game; players are {players}")
    i = players.index(player)
    names = tuple(equilibrium.strategies[i])
    if strategy not in names:
        raise ParameterError(
            f"strategy {strategy!r} is not one of {player}'s strategies {names}"
        )
    x = equilibrium.profile[i][names.index(strategy)]
    if isinstance(x, sp.Basic) and x.free_symbols:
        return sp.Rational(str(q0)) * (1 - x) if q0 != 0 else sp.Integer(0)
    return void_probability(float(x), base=q0)


# ------------------------------------------------------------------ (c) the loss limit
def loss_limit(
    *, loan_rate: Any, funding_rate: Any, operating_cost: Any = 0.0, capital_charge: Any = 0.0
) -> Any:
    r"""The bank's loss limit :math:`\ell^* = r - r_f - k - c_K` from its loan pricing.

    Parameters
    ----------
    loan_rate : float or array_like
        :math:`r`, the loan's interest rate per year, in (0, 1].
    funding_rate : float or array_like
        :math:`r_f`, the bank's cost of funds per year, in [0, 1].
    operating_cost : float or array_like
        :math:`k`, operating cost per unit lent per year, in [0, 1].
    capital_charge : float or array_like
        :math:`c_K`, the cost of the capital held per unit lent (capital ratio × the excess
        return its owners require), in [0, 1].

    Returns
    -------
    float or numpy.ndarray
        :math:`\ell^* \in [0, 1]`.

    Raises
    ------
    ParameterError
        A rate outside its range, or a negative spread (the message gives the spread): such
        a bank lends to nobody.

    Examples
    --------
    >>> round(loss_limit(loan_rate=0.06, funding_rate=0.035, operating_cost=0.02), 10)
    0.005
    """
    r = _array("loan_rate", loan_rate, 0, 1, lo_open=True, what="loan")
    rf = _array("funding_rate", funding_rate, 0, 1, what="bank's")
    k = _array("operating_cost", operating_cost, 0, 1, what="bank's")
    ck = _array("capital_charge", capital_charge, 0, 1, what="bank's")
    ell = r - rf - k - ck
    if np.any(ell < -1e-12):
        worst = float(np.min(ell))
        raise ParameterError(
            f"the spread loan_rate - funding_rate - operating_cost - capital_charge is {worst:g}; "
            "it must be non-negative (a bank that loses on a riskless loan lends to nobody)"
        )
    return _out(np.maximum(ell, 0.0))


def policy_from_pricing(
    *,
    loan_rate: float,
    funding_rate: float,
    operating_cost: float = 0.0,
    capital_charge: float = 0.0,
    **limits: Any,
):
    """A :class:`~alliance.network.BankPolicy` whose ``max_el_rate`` is :func:`loss_limit`.

    Parameters
    ----------
    loan_rate, funding_rate, operating_cost, capital_charge : float
        One price each, as in :func:`loss_limit` (rates per year, in [0, 1]; ``loan_rate``
        in (0, 1]).
    **limits : float
        The value-at-risk limit of :class:`~alliance.network.BankPolicy`, passed unchanged:
        ``var_alpha`` (confidence, in (0, 1)) together with ``max_var_rate`` (in [0, 1]).

    Returns
    -------
    BankPolicy
        ``max_el_rate`` is the loss limit (rounded to 12 decimals) and the limits given.

    Raises
    ------
    ParameterError
        Arrays instead of one price, or a rate outside its range.

    Examples
    --------
    >>> policy_from_pricing(loan_rate=0.06, funding_rate=0.035, operating_cost=0.02)
    BankPolicy(max_el_rate=0.005)
    """
    from alliance.network import BankPolicy

    ell = loss_limit(
        loan_rate=loan_rate,
        funding_rate=funding_rate,
        operating_cost=operating_cost,
        capital_charge=capital_charge,
    )
    if not isinstance(ell, float):
        raise ParameterError("policy_from_pricing takes one price, not arrays; use loss_limit")
    return BankPolicy(max_el_rate=round(ell, 12), **limits)


# ------------------------------------------------------------------ the network
@dataclass(frozen=True, eq=False)
class LinkedAlliance:
    """A network whose PDs, void probability and policy come from the games.

    Made by :func:`link_network`.

    Parameters
    ----------
    network : AllianceNetwork
        A copy of the input network with the members' ``pd`` replaced.
    void_prob : float or None
        The void probability q to use (None: the caller's default).
    policy : BankPolicy or None
        The bank's policy (None: give one to :meth:`credit_margin`).

    Examples
    --------
    >>> from alliance.network import AllianceNetwork, BankPolicy
    >>> net = AllianceNetwork()
    >>> net.add_member("A", demand=200, pd=0.04, lgd=0.5)
    >>> linked = link_network(net, pd={"A": 0.01}, void_prob=0.1)
    >>> linked.void_prob, linked.network.to_frames()[0]["pd"].tolist()
    (0.1, [0.01])
    """

    network: Any
    void_prob: float | None = None
    policy: Any = None

    def credit_margin(self, policy: Any = None, **kwargs: Any):
        """``network.credit_margin`` with this object's policy and void probability.

        Parameters
        ----------
        policy : BankPolicy, optional
            Overrides the policy given to :func:`link_network`; required when there was
            none.
        **kwargs
            Keywords of :func:`alliance.network.margin.credit_margin`: ``scenarios``
            (number, ``"exact"`` or a ScenarioSet), ``rho`` (common-factor loading in
            [0, 1)), ``seed``, ``sector_rho``, ``void_prob`` (default: this object's),
            ``backend``, ``progress``, ``chunk_defaults``.

        Returns
        -------
        CreditMarginReport
            The alliance limit, the sum of standalone limits and their difference.

        Raises
        ------
        ParameterError
            When no policy is given here or to :func:`link_network`.

        Examples
        --------
        >>> from alliance.network import AllianceNetwork, BankPolicy
        >>> net = AllianceNetwork()
        >>> net.add_member("A", demand=200, pd=0.04, lgd=0.5)
        >>> net.add_member("B", demand=100, pd=0.0, lgd=0.5, equity=1000)
        >>> net.add_chain("B", "A", kind="guarantee", amount=40)
        >>> linked = link_network(net, policy=BankPolicy(max_el_rate=0.005))
        >>> report = linked.credit_margin(scenarios="exact")
        >>> round(float(report.standalone_total)), round(float(report.margin))
        (100, 140)
        """
        policy = self.policy if policy is None else policy
        if policy is None:
            raise ParameterError("no bank policy: give policy= here or to link_network")
        if self.void_prob is not None:
            kwargs.setdefault("void_prob", self.void_prob)
        return self.network.credit_margin(policy, **kwargs)

    def to_frame(self) -> pd.DataFrame:
        """The members' table of the linked network.

        Returns
        -------
        pandas.DataFrame
            One row per member, as :meth:`AllianceNetwork.to_frames` gives it, with the
            linked PDs.

        Examples
        --------
        >>> from alliance.network import AllianceNetwork
        >>> net = AllianceNetwork()
        >>> net.add_member("A", demand=200, pd=0.04, lgd=0.5)
        >>> link_network(net, pd=[0.02]).to_frame()["pd"].tolist()
        [0.02]
        """
        return self.network.to_frames()[0]

    def __repr__(self) -> str:
        return f"LinkedAlliance({self.network!r}, void_prob={self.void_prob!r}, policy={self.policy!r})"


def link_network(
    net: Any,
    *,
    pd: Any = None,
    void_prob: float | None = None,
    policy: Any = None,
) -> LinkedAlliance:
    """A copy of ``net`` with member PDs (and the void probability, policy) set from the games.

    Parameters
    ----------
    net : AllianceNetwork
        The network; it is not changed.
    pd : mapping or array_like, optional
        New PDs: ``{member: pd}`` for some members, or one value per member in the order of
        ``net.members`` (e.g. the output of :func:`default_probability` on the members'
        arrays). None keeps the network's PDs.
    void_prob : float, optional
        q, e.g. from :func:`void_probability`.
    policy : BankPolicy, optional
        e.g. from :func:`policy_from_pricing`.

    Returns
    -------
    LinkedAlliance

    Raises
    ------
    NetworkError
        An unknown member name, or the wrong number of PDs.
    ParameterError
        A PD outside [0, 1] or a void probability outside [0, 1].

    Examples
    --------
    >>> from alliance.network import AllianceNetwork, BankPolicy
    >>> net = AllianceNetwork()
    >>> net.add_member("A", demand=200, pd=0.04, lgd=0.5)
    >>> net.add_member("B", demand=100, pd=0.0, lgd=0.5, equity=1000)
    >>> linked = link_network(net, pd={"A": 0.01}, policy=BankPolicy(max_el_rate=0.005))
    >>> linked.network.standalone_limits(linked.policy).tolist()
    [200.0, 100.0]
    >>> net.standalone_limits(BankPolicy(max_el_rate=0.005)).tolist()  # the input is unchanged
    [0.0, 100.0]
    """
    from alliance.network import AllianceNetwork

    if not isinstance(net, AllianceNetwork):
        raise NetworkError(f"net is a {type(net).__name__}; link_network needs an AllianceNetwork")
    members, chains = net.to_frames()
    names = list(net.members)
    if pd is not None:
        if isinstance(pd, Mapping):
            unknown = sorted(str(k) for k in pd if k not in names)
            if unknown:
                raise NetworkError(
                    f"pd names unknown member(s) {', '.join(unknown)}; members are {', '.join(names)}"
                )
            new = dict(pd)
        else:
            arr = np.ravel(np.asarray(pd, dtype=float))
            if arr.size != len(names):
                raise NetworkError(
                    f"pd has {arr.size} values; the network has {len(names)} members"
                )
            new = dict(zip(names, arr.tolist(), strict=True))
        values = _array("pd", list(new.values()), 0, 1, what="member")
        index = members.set_index("name").index
        col = members["pd"].to_numpy(dtype=float).copy()
        for name, value in zip(new, values.tolist(), strict=True):
            col[index.get_loc(name)] = value
        members = members.assign(pd=col)
    q = None
    if void_prob is not None:
        q = float(_array("void_prob", void_prob, 0, 1, what="guarantee"))
    linked = AllianceNetwork.from_frames(members, chains)
    return LinkedAlliance(linked, q, policy)
