r"""Credit markets with hidden risk: rationing (Stiglitz–Weiss 1981), screening by collateral
(Bester 1985) and collateral as a signal.

Borrowers are of types :math:`k` that the bank cannot see. A type's project succeeds with
probability :math:`p_k` and then returns :math:`R_k`, otherwise nothing; every loan is of size
:math:`B`; a borrower who fails loses the collateral :math:`C`, which the bank recovers.

**Rationing** (:class:`StiglitzWeissMarket`). Types differ by risk only: the expected return
:math:`p_k R_k = \mu` is the same for all (mean-preserving spreads). At the gross rate
:math:`1 + r` type :math:`k` applies iff its expected profit
:math:`\mu - p_k(1 + r)B - (1 - p_k)C` is non-negative, that is iff
:math:`r \le \hat r_k = \frac{\mu - (1 - p_k)C}{p_k B} - 1`. With :math:`\mu > C` the
threshold falls with :math:`p_k`: **the safest types leave first** as the rate rises (adverse
selection). The bank's expected gross return per unit lent,

.. math:: \rho(r) = \frac{\sum_{k:\, r \le \hat r_k} s_k\,[p_k (1 + r) B + (1 - p_k) C]}
                         {B \sum_{k:\, r \le \hat r_k} s_k},

rises linearly in :math:`r` between thresholds and jumps down at each one. When its maximum
over the admissible rates :math:`[0, \bar r]` lies at a threshold inside the range, the bank
will not raise its rate to clear the market: applicants in excess of the funds at that rate are
**rationed** (Stiglitz and Weiss 1981, Theorem 3). The rate ceiling :math:`\bar r` is the legal
one (in China, courts do not protect private lending rates above four times the one-year loan
prime rate, about 15 % in 2024); a type whose threshold lies above the ceiling is still in the
pool at the ceiling.

**Screening** (:class:`BesterScreening`). Two types, low risk (success probability
:math:`p_l`) and high risk (:math:`p_h < p_l`); competitive banks with gross funding cost
:math:`\rho` per unit offer a menu of (gross repayment :math:`x = (1 + r)B`, collateral
:math:`C`); the bank recovers only :math:`\beta C` of pledged collateral (:math:`\beta < 1`:
liquidation costs), the borrower loses all of it. In Bester's separating equilibrium the
high-risk type gets its full-information contract without collateral, :math:`x_h = \rho B/p_h`,
and the low-risk contract breaks even and leaves the high-risk type indifferent:

.. math:: p_l x_l + (1 - p_l)\beta C_l = \rho B, \qquad p_h x_l + (1 - p_h) C_l = \rho B,

so :math:`C_l = \rho B (p_l - p_h)/D`, :math:`x_l = \rho B[(1 - p_h) - \beta(1 - p_l)]/D`, with
:math:`D = p_l(1 - p_h) - \beta p_h(1 - p_l)`: **the low-risk type pledges collateral and pays a
lower rate; nobody is rationed**. The menu is an equilibrium only if no pooling contract
without collateral attracts the low-risk type (Rothschild–Stiglitz); :meth:`separating_menu`
reports whether that holds.

**Signalling** (:func:`collateral_signalling`). A good SME (prior :math:`q`) or a bad one
chooses whether to pledge collateral, at cost :math:`k_g` or :math:`k_b` (the bad type is more
likely to lose it, so :math:`k_b > k_g`); the bank then lends or refuses; a loan is worth
:math:`V` to the SME; lending earns the bank :math:`\pi_g > 0` from a good SME and
:math:`\pi_b < 0` from a bad one. With :math:`q^* = -\pi_b/(\pi_g - \pi_b)`, the pure perfect
Bayesian equilibria are (derived in :func:`collateral_signalling_closed_form`):

* separating (good pledges, bad does not; lend iff pledged) iff :math:`k_g \le V \le k_b`;
* pooling without collateral and lending iff :math:`q \ge q^*` (any off-path belief);
* pooling without collateral and refusing iff :math:`q \le q^*`, off-path belief after a
  pledge at most :math:`q^*` (or any belief with :math:`V \le \min(k_g, k_b)`);
* pooling on collateral and lending iff :math:`q \ge q^*` and :math:`V \ge \max(k_g, k_b)`;
  pooling on collateral and refusing iff :math:`q \le q^*`.

References
----------
Stiglitz, J. E. and Weiss, A. (1981). Credit rationing in markets with imperfect information.
*American Economic Review* 71(3), 393-410.

Bester, H. (1985). Screening vs. rationing in credit markets with imperfect information.
*American Economic Review* 75(4), 850-855.

Rothschild, M. and Stiglitz, J. (1976). Equilibrium in competitive insurance markets.
*Quarterly Journal of Economics* 90(4), 629-649.

Spence, M. (1973). Job market signaling. *Quarterly Journal of Economics* 87(3), 355-374.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

import numpy as np
import pandas as pd

from alliance.errors import ParameterError
from alliance.games.extensive.signalling import SignallingGame

__all__ = [
    "StiglitzWeissMarket",
    "RationingOutcome",
    "BesterScreening",
    "SeparatingMenu",
    "collateral_signalling",
    "collateral_signalling_closed_form",
]


def _positive(name: str, value: Any) -> float:
    v = float(value)
    if not np.isfinite(v) or v <= 0:
        raise ParameterError(f"{name} is {value!r}; it must be a positive number")
    return v


def _probability(name: str, value: Any, open_ends: bool = True) -> float:
    v = float(value)
    if not np.isfinite(v) or (v <= 0 or v >= 1 if open_ends else v < 0 or v > 1):
        raise ParameterError(f"{name} is {value!r}; it must lie in {'(0, 1)' if open_ends else '[0, 1]'}")
    return v


# -------------------------------------------------------------------- Stiglitz–Weiss
@dataclass(frozen=True)
class RationingOutcome:
    """The bank's rate choice in a Stiglitz–Weiss market and the credit it rations.

    Made by :meth:`StiglitzWeissMarket.rationing`.

    Parameters
    ----------
    rate : float
        The rate maximising the bank's expected return over ``[0, max_rate]``.
    bank_return : float
        Expected gross return per unit lent at that rate.
    interior : bool
        Whether the maximum is strictly inside the rate range (then a higher rate lowers the
        bank's return, and excess demand is not priced away).
    demand, supply : float
        Loans applied for at ``rate`` and loans the bank can fund (numbers of loans).
    rationed_share : float
        Share of applicants refused: ``max(0, 1 - supply / demand)``.

    Examples
    --------
    The safe borrowers (p = 0.9) leave above a rate of 42.2 %, so the bank stops there,
    below the 60 % ceiling, and 100 applicants compete for 60 loans:

    >>> m = StiglitzWeissMarket([0.9, 0.6], [50, 50], mean_return=130, loan=100, collateral=20,
    ...                         max_rate=0.6)
    >>> m.rationing(supply=60)
    RationingOutcome(rate 0.4222 (inside the rate range), bank return 1.117, demand 100, supply 60, rationed 40.0%)
    """

    rate: float
    bank_return: float
    interior: bool
    demand: float
    supply: float
    rationed_share: float

    def __repr__(self) -> str:
        where = "inside the rate range" if self.interior else "at the rate ceiling"
        return (f"RationingOutcome(rate {self.rate:.4g} ({where}), bank return {self.bank_return:.4g}, "
                f"demand {self.demand:.4g}, supply {self.supply:.4g}, rationed {self.rationed_share:.1%})")


class StiglitzWeissMarket:
    """A credit market with borrowers of equal mean and different risk (Stiglitz–Weiss 1981).

    Parameters
    ----------
    success_probabilities : sequence of float in (0, 1)
        :math:`p_k` of each type.
    shares : sequence of float
        Number (or share) of potential borrowers of each type, positive.
    mean_return : float
        :math:`\\mu = p_k R_k`, the same for every type (money per loan), above ``collateral``.
    loan : float
        Loan size :math:`B`.
    collateral : float
        Collateral :math:`C` pledged by every borrower, at least 0.
    max_rate : float
        The rate ceiling :math:`\\bar r` (per loan period).

    Examples
    --------
    Safe (p = 0.9) and risky (p = 0.6) borrowers, half each, expected project return 130 on a
    loan of 100 secured by 20, under a 60 % ceiling: the safe leave above 42.2 %, and the
    bank's return peaks there.

    >>> m = StiglitzWeissMarket([0.9, 0.6], [50, 50], mean_return=130, loan=100, collateral=20,
    ...                         max_rate=0.6)
    >>> [round(float(r), 4) for r in m.thresholds]
    [0.4222, 1.0333]
    >>> out = m.rationing(supply=60)
    >>> round(out.rate, 4), out.interior, round(out.rationed_share, 2)
    (0.4222, True, 0.4)
    """

    def __init__(self, success_probabilities: Sequence[float], shares: Sequence[float], *,
                 mean_return: float, loan: float, collateral: float, max_rate: float) -> None:
        p = np.array([_probability(f"success_probabilities[{k}]", v) for k, v in enumerate(success_probabilities)])
        s = np.array([_positive(f"shares[{k}]", v) for k, v in enumerate(shares)])
        if p.size == 0 or p.shape != s.shape:
            raise ParameterError(
                f"success_probabilities has {p.size} entries and shares {s.size}; give one of each per type"
            )
        self.loan = _positive("loan", loan)
        self.collateral = float(collateral)
        if not np.isfinite(self.collateral) or self.collateral < 0:
            raise ParameterError(f"collateral is {collateral!r}; it must be >= 0")
        self.mean_return = _positive("mean_return", mean_return)
        if self.mean_return <= self.collateral:
            raise ParameterError(
                f"mean_return {mean_return!r} must exceed collateral {collateral!r} (else the "
                "safe do not leave first)"
            )
        self.max_rate = _positive("max_rate", max_rate)
        self.p, self.shares = p, s

    @property
    def thresholds(self) -> np.ndarray:
        """:math:`\\hat r_k`: the highest rate at which each type still applies."""
        return (self.mean_return - (1 - self.p) * self.collateral) / (self.p * self.loan) - 1

    def applicants(self, rate: Any) -> np.ndarray:
        """Number of applicants at each rate (vectorised over ``rate``).

        Parameters
        ----------
        rate : float or array_like
            Loan rate(s) :math:`r` (net, per loan period).

        Returns
        -------
        ndarray
            Of the shape of ``rate``: the total ``shares`` of the types whose threshold
            :math:`\\hat r_k` is at least the rate.

        Examples
        --------
        >>> m = StiglitzWeissMarket([0.9, 0.6], [50, 50], mean_return=130, loan=100,
        ...                         collateral=20, max_rate=0.6)
        >>> m.applicants([0.1, 0.5, 1.2]).tolist()
        [100.0, 50.0, 0.0]
        """
        r = np.asarray(rate, dtype=float)
        applies = r[..., None] <= self.thresholds + 1e-12
        return (applies * self.shares).sum(axis=-1)

    def bank_return(self, rate: Any) -> np.ndarray:
        """Expected gross return per unit lent at each rate (NaN where nobody applies).

        Parameters
        ----------
        rate : float or array_like
            Loan rate(s) :math:`r` (net, per loan period).

        Returns
        -------
        ndarray
            :math:`\\rho(r)` of the module notes, of the shape of ``rate``.

        Examples
        --------
        The return rises with the rate until the safe borrowers leave at 42.2 %, then drops:

        >>> m = StiglitzWeissMarket([0.9, 0.6], [50, 50], mean_return=130, loan=100,
        ...                         collateral=20, max_rate=0.6)
        >>> m.bank_return([0.1, 0.4222, 0.5]).round(4).tolist()
        [0.875, 1.1166, 0.98]
        """
        r = np.asarray(rate, dtype=float)
        applies = r[..., None] <= self.thresholds + 1e-12
        per_loan = self.p * (1 + r[..., None]) * self.loan + (1 - self.p) * self.collateral
        weight = applies * self.shares
        total = weight.sum(axis=-1)
        with np.errstate(invalid="ignore", divide="ignore"):
            return np.where(total > 0, (weight * per_loan).sum(axis=-1) / (self.loan * total), np.nan)

    def optimal_rate(self) -> tuple[float, float]:
        """The rate in ``[0, max_rate]`` maximising :meth:`bank_return`, and that return.

        The return is increasing between thresholds, so the maximum is at a threshold inside
        the range or at the ceiling.

        Returns
        -------
        rate : float
            The bank's optimal rate.
        bank_return : float
            :meth:`bank_return` at that rate.

        Examples
        --------
        >>> m = StiglitzWeissMarket([0.9, 0.6], [50, 50], mean_return=130, loan=100,
        ...                         collateral=20, max_rate=0.6)
        >>> [round(v, 4) for v in m.optimal_rate()]
        [0.4222, 1.1167]
        """
        candidates = np.append(self.thresholds[(self.thresholds >= 0) & (self.thresholds < self.max_rate)],
                               self.max_rate)
        values = self.bank_return(candidates)
        best = int(np.nanargmax(values))
        return float(candidates[best]), float(values[best])

    def rationing(self, supply: float) -> RationingOutcome:
        """The bank's rate and the share of applicants it rations, given ``supply`` loans.

        Parameters
        ----------
        supply : float
            Number of loans the bank can fund, at least 0.

        Returns
        -------
        RationingOutcome

        Raises
        ------
        ParameterError
            If ``supply`` is negative.

        Examples
        --------
        With funds for every applicant nobody is rationed, and the rate stays where the
        bank's return peaks:

        >>> m = StiglitzWeissMarket([0.9, 0.6], [50, 50], mean_return=130, loan=100,
        ...                         collateral=20, max_rate=0.6)
        >>> out = m.rationing(supply=150)
        >>> round(out.rate, 4), out.rationed_share
        (0.4222, 0.0)
        """
        if not np.isfinite(float(supply)) or float(supply) < 0:
            raise ParameterError(f"supply is {supply!r}; it must be >= 0")
        rate, value = self.optimal_rate()
        demand = float(self.applicants(rate))
        share = max(0.0, 1 - float(supply) / demand) if demand > 0 else 0.0
        return RationingOutcome(rate, value, rate < self.max_rate, demand, float(supply), share)

    def plot(self, ax: Any = None, grid: int = 400) -> Any:
        """The bank's expected return against the rate, the optimum marked.

        Parameters
        ----------
        ax : matplotlib Axes, optional
            Where to draw (default: a new figure in the house style).
        grid : int, default 400
            Number of rates drawn in ``[0, max_rate]``.

        Returns
        -------
        matplotlib.axes.Axes
            ``ax``; the optimum is the line with gid ``"optimal-rate"``.

        Examples
        --------
        >>> import matplotlib.pyplot as plt
        >>> m = StiglitzWeissMarket([0.9, 0.6], [50, 50], mean_return=130, loan=100,
        ...                         collateral=20, max_rate=0.6)
        >>> fig, ax = plt.subplots()
        >>> out = m.plot(ax=ax, grid=50)
        >>> out is ax, ax.get_xlabel(), ax.get_lines()[-1].get_gid()
        (True, 'loan rate $r$', 'optimal-rate')
        >>> plt.close(fig)
        """
        import matplotlib.pyplot as plt

        from alliance.figures.style import style_context

        with style_context():
            if ax is None:
                _, ax = plt.subplots()
            r = np.linspace(0, self.max_rate, grid)
            ax.plot(r, self.bank_return(r), color="#0072B2")
            rate, value = self.optimal_rate()
            ax.plot([rate], [value], "o", color="#D55E00", gid="optimal-rate")
            ax.set_xlabel("loan rate $r$")
            ax.set_ylabel(r"bank's expected return $\rho(r)$")
        return ax


# -------------------------------------------------------------------- Bester
@dataclass(frozen=True)
class SeparatingMenu:
    """Bester's separating menu of (rate, collateral) contracts.

    Made by :meth:`BesterScreening.separating_menu`.

    Parameters
    ----------
    rate_low_risk, collateral_low_risk : float
        The low-risk contract.
    rate_high_risk, collateral_high_risk : float
        The high-risk contract (no collateral).
    robust : bool
        No pooling contract without collateral attracts the low-risk type away (the
        Rothschild–Stiglitz condition for the menu to be an equilibrium).
    feasible : bool
        The low-risk collateral is within the borrowers' wealth.

    Examples
    --------
    >>> b = BesterScreening(0.9, 0.6, share_low_risk=0.5, loan=100, funding_rate=1.05,
    ...                     recovery=0.8, wealth=150)
    >>> b.separating_menu()
    SeparatingMenu(low risk: rate 0.07692, collateral 101; high risk: rate 0.75, no collateral; robust True, feasible True)
    """

    rate_low_risk: float
    collateral_low_risk: float
    rate_high_risk: float
    collateral_high_risk: float
    robust: bool
    feasible: bool

    def to_frame(self) -> pd.DataFrame:
        """The two contracts, one row each.

        Returns
        -------
        pandas.DataFrame
            Indexed by ``contract`` (``low risk``, ``high risk``); columns ``rate`` and
            ``collateral``.

        Examples
        --------
        >>> b = BesterScreening(0.9, 0.6, share_low_risk=0.5, loan=100, funding_rate=1.05,
        ...                     recovery=0.8, wealth=150)
        >>> frame = b.separating_menu().to_frame()
        >>> frame.index.tolist(), frame.round(4).values.tolist()
        (['low risk', 'high risk'], [[0.0769, 100.9615], [0.75, 0.0]])
        """
        return pd.DataFrame(
            {"rate": [self.rate_low_risk, self.rate_high_risk],
             "collateral": [self.collateral_low_risk, self.collateral_high_risk]},
            index=pd.Index(["low risk", "high risk"], name="contract"),
        )

    def __repr__(self) -> str:
        return (f"SeparatingMenu(low risk: rate {self.rate_low_risk:.4g}, collateral "
                f"{self.collateral_low_risk:.4g}; high risk: rate {self.rate_high_risk:.4g}, no collateral; "
                f"robust {self.robust}, feasible {self.feasible})")

    def _repr_html_(self) -> str:
        try:
            return f"<p>{html.escape(repr(self))}</p>" + self.to_frame().to_html()
        except Exception:  # a display hook must never raise
            return "<pre>" + html.escape(repr(self)) + "</pre>"


class BesterScreening:
    """Screening by collateral in a competitive credit market (Bester 1985).

    Parameters
    ----------
    p_low_risk, p_high_risk : float in (0, 1)
        Success probabilities, ``p_low_risk > p_high_risk``.
    share_low_risk : float in (0, 1)
        Share of low-risk borrowers.
    loan : float
        Loan size :math:`B`.
    funding_rate : float
        The banks' gross cost of funds per unit, :math:`\\rho \\ge 1`.
    recovery : float in (0, 1]
        :math:`\\beta`: the share of collateral's value the bank recovers.
    wealth : float
        The borrowers' pledgeable wealth (collateral cannot exceed it).

    Examples
    --------
    >>> b = BesterScreening(0.9, 0.6, share_low_risk=0.5, loan=100, funding_rate=1.05,
    ...                     recovery=0.8, wealth=150)
    >>> menu = b.separating_menu()
    >>> round(menu.rate_high_risk, 4), round(menu.rate_low_risk, 4), round(menu.collateral_low_risk, 2)
    (0.75, 0.0769, 100.96)
    >>> menu.robust, menu.feasible
    (True, True)
    """

    def __init__(self, p_low_risk: float, p_high_risk: float, *, share_low_risk: float, loan: float,
                 funding_rate: float, recovery: float, wealth: float) -> None:
        self.p_l = _probability("p_low_risk", p_low_risk)
        self.p_h = _probability("p_high_risk", p_high_risk)
        if self.p_h >= self.p_l:
            raise ParameterError(
                f"p_high_risk {p_high_risk!r} must be below p_low_risk {p_low_risk!r}"
            )
        self.share_l = _probability("share_low_risk", share_low_risk)
        self.loan = _positive("loan", loan)
        self.rho = _positive("funding_rate", funding_rate)
        if self.rho < 1:
            raise ParameterError(f"funding_rate is {funding_rate!r}; a gross rate must be >= 1")
        self.beta = float(recovery)
        if not 0 < self.beta <= 1:
            raise ParameterError(f"recovery is {recovery!r}; it must lie in (0, 1]")
        self.wealth = float(wealth)
        if not np.isfinite(self.wealth) or self.wealth < 0:
            raise ParameterError(f"wealth is {wealth!r}; it must be >= 0")

    def expected_payment(self, p: float, rate: float, collateral: float) -> float:
        """A borrower's expected payment (repayment on success, collateral lost on failure).

        Parameters
        ----------
        p : float
            The borrower's success probability.
        rate : float
            Loan rate :math:`r`: the borrower repays :math:`(1 + r)B` on success.
        collateral : float
            Collateral :math:`C`, lost in full on failure.

        Returns
        -------
        float
            :math:`p(1 + r)B + (1 - p)C`.

        Examples
        --------
        Bester's menu leaves the high-risk type indifferent between the two contracts:

        >>> b = BesterScreening(0.9, 0.6, share_low_risk=0.5, loan=100, funding_rate=1.05,
        ...                     recovery=0.8, wealth=150)
        >>> menu = b.separating_menu()
        >>> low = b.expected_payment(0.6, menu.rate_low_risk, menu.collateral_low_risk)
        >>> high = b.expected_payment(0.6, menu.rate_high_risk, 0.0)
        >>> round(low, 9), round(high, 9)
        (105.0, 105.0)
        """
        return p * (1 + rate) * self.loan + (1 - p) * collateral

    def bank_profit(self, p: float, rate: float, collateral: float) -> float:
        """The bank's expected profit from a borrower of success probability ``p``.

        Parameters
        ----------
        p : float
            The borrower's success probability.
        rate : float
            Loan rate :math:`r`.
        collateral : float
            Collateral :math:`C`, of which the bank recovers :math:`\\beta C` on failure.

        Returns
        -------
        float
            :math:`p(1 + r)B + (1 - p)\\beta C - \\rho B`.

        Examples
        --------
        Both contracts of the separating menu break even (competitive banks):

        >>> b = BesterScreening(0.9, 0.6, share_low_risk=0.5, loan=100, funding_rate=1.05,
        ...                     recovery=0.8, wealth=150)
        >>> menu = b.separating_menu()
        >>> profits = (b.bank_profit(0.9, menu.rate_low_risk, menu.collateral_low_risk),
        ...            b.bank_profit(0.6, menu.rate_high_risk, 0.0))
        >>> [round(v, 9) + 0.0 for v in profits]
        [0.0, 0.0]
        """
        return p * (1 + rate) * self.loan + (1 - p) * self.beta * collateral - self.rho * self.loan

    def separating_menu(self) -> SeparatingMenu:
        """Bester's separating menu (see the module notes for the derivation).

        Returns
        -------
        SeparatingMenu
            The low-risk contract (with collateral), the high-risk contract (without), and
            whether the menu is robust to a pooling offer and feasible within ``wealth``.

        Examples
        --------
        The low-risk type pledges about 101 and pays 7.7 %; the high-risk type pays
        :math:`\\rho/p_h - 1 = 75\\,\\%` without collateral:

        >>> b = BesterScreening(0.9, 0.6, share_low_risk=0.5, loan=100, funding_rate=1.05,
        ...                     recovery=0.8, wealth=150)
        >>> menu = b.separating_menu()
        >>> round(menu.rate_low_risk, 4), round(menu.collateral_low_risk, 2), round(menu.rate_high_risk, 4)
        (0.0769, 100.96, 0.75)
        """
        p_l, p_h, beta, rhoB = self.p_l, self.p_h, self.beta, self.rho * self.loan
        D = p_l * (1 - p_h) - beta * p_h * (1 - p_l)
        collateral = rhoB * (p_l - p_h) / D
        repayment = rhoB * ((1 - p_h) - beta * (1 - p_l)) / D
        rate_l = repayment / self.loan - 1
        rate_h = self.rho / p_h - 1
        pooled_p = self.share_l * p_l + (1 - self.share_l) * p_h
        pooled_rate = self.rho / pooled_p - 1
        robust = self.expected_payment(p_l, pooled_rate, 0.0) >= self.expected_payment(p_l, rate_l, collateral)
        return SeparatingMenu(rate_l, collateral, rate_h, 0.0, bool(robust),
                              bool(collateral <= self.wealth))


# -------------------------------------------------------------------- signalling
def collateral_signalling(q_good: Any, value: Any, cost_good: Any, cost_bad: Any,
                          profit_good: Any, profit_bad: Any) -> SignallingGame:
    """A good or bad SME signals by pledging collateral; the bank lends or refuses.

    Parameters
    ----------
    q_good : number in (0, 1)
        Prior probability of the good type.
    value : number > 0
        :math:`V`, the loan's value to the SME.
    cost_good, cost_bad : number > 0
        :math:`k_g, k_b`: each type's expected cost of pledging (when lent to).
    profit_good, profit_bad : number
        :math:`\\pi_g > 0 > \\pi_b`: the bank's profit from lending to each type.

    Returns
    -------
    SignallingGame
        Types ``good``, ``bad``; messages ``pledge``, ``none``; actions ``lend``, ``refuse``.

    Raises
    ------
    ParameterError
        If a parameter is outside its range.

    Examples
    --------
    Pledging costs the good SME 1 and the bad one 5, a loan is worth 3: the separating
    equilibrium exists (:math:`k_g \\le V \\le k_b`), and with a prior of 1/2 below
    :math:`q^* = 2/3` so do the two pooling equilibria in which the bank refuses.

    >>> from fractions import Fraction
    >>> game = collateral_signalling(Fraction(1, 2), 3, 1, 5, 2, -4)
    >>> [e.kind for e in game.perfect_bayesian_equilibria()]
    ['separating', 'pooling', 'pooling']
    """
    if not 0 < q_good < 1:
        raise ParameterError(f"q_good is {q_good!r}; it must lie in (0, 1)")
    for name, v in (("value", value), ("cost_good", cost_good), ("cost_bad", cost_bad)):
        if not v > 0:
            raise ParameterError(f"{name} is {v!r}; it must be positive")
    if not profit_good > 0 > profit_bad:
        raise ParameterError(
            f"profit_good {profit_good!r} must be positive and profit_bad {profit_bad!r} negative"
        )
    cost = {"good": cost_good, "bad": cost_bad}
    profit = {"good": profit_good, "bad": profit_bad}

    def sender(t: str, m: str, a: str) -> Any:
        return (value - (cost[t] if m == "pledge" else 0)) if a == "lend" else 0

    def receiver(t: str, m: str, a: str) -> Any:
        return profit[t] if a == "lend" else 0

    return SignallingGame(["good", "bad"], [q_good, 1 - q_good], ["pledge", "none"],
                          ["lend", "refuse"], sender, receiver)


def collateral_signalling_closed_form(q_good: Any, value: Any, cost_good: Any, cost_bad: Any,
                                      profit_good: Any, profit_bad: Any) -> set[tuple]:
    """The pure PBE of :func:`collateral_signalling`, by hand.

    Parameters
    ----------
    q_good : number in (0, 1)
        Prior probability of the good type.
    value : number > 0
        :math:`V`, the loan's value to the SME.
    cost_good, cost_bad : number > 0
        :math:`k_g, k_b`: each type's expected cost of pledging.
    profit_good, profit_bad : number
        :math:`\\pi_g > 0 > \\pi_b`: the bank's profit from lending to each type.

    Returns
    -------
    set of tuple
        ``(good's message, bad's message, action after pledge, action after none)``.

    Notes
    -----
    With :math:`q^* = -\\pi_b/(\\pi_g - \\pi_b)` the bank lends at belief :math:`\\mu` iff
    :math:`\\mu \\ge q^*`. Separating (good pledges): beliefs 1 and 0, lend after a pledge,
    refuse otherwise; the good type pledges iff :math:`V - k_g \\ge 0`, the bad one abstains
    iff :math:`0 \\ge V - k_b`. The reverse separation fails (the bad type would copy the
    good's message and be lent to). Pooling on ``m``: the bank's belief after ``m`` is the
    prior; off the path it may hold any belief, so it may take either action there (lend with
    belief :math:`\\ge q^*`, refuse with :math:`\\le q^*`); each type must not gain by
    switching message given those actions.

    Examples
    --------
    The closed form agrees with the game's own equilibrium search:

    >>> from fractions import Fraction
    >>> args = (Fraction(1, 2), 3, 1, 5, 2, -4)
    >>> sorted(collateral_signalling_closed_form(*args))
    [('none', 'none', 'refuse', 'refuse'), ('pledge', 'none', 'lend', 'refuse'), ('pledge', 'pledge', 'refuse', 'refuse')]
    >>> found = {(e.sender["good"], e.sender["bad"], e.receiver["pledge"], e.receiver["none"])
    ...          for e in collateral_signalling(*args).perfect_bayesian_equilibria()}
    >>> found == collateral_signalling_closed_form(*args)
    True
    """
    q_star = Fraction(-profit_bad) / Fraction(profit_good - profit_bad) if all(
        isinstance(v, (int, Fraction)) for v in (profit_good, profit_bad)
    ) else -profit_bad / (profit_good - profit_bad)
    V, kg, kb = value, cost_good, cost_bad
    out = set()
    if kg <= V <= kb:
        out.add(("pledge", "none", "lend", "refuse"))
    lend_ok, refuse_ok = q_good >= q_star, q_good <= q_star
    # pooling on "none"
    if lend_ok:
        out.add(("none", "none", "lend", "lend"))
        out.add(("none", "none", "refuse", "lend"))
    if refuse_ok:
        out.add(("none", "none", "refuse", "refuse"))
        if V <= min(kg, kb):
            out.add(("none", "none", "lend", "refuse"))
    # pooling on "pledge"
    if lend_ok and V >= max(kg, kb):
        out.add(("pledge", "pledge", "lend", "refuse"))
    if refuse_ok:
        # lending after "none" would draw both types away (V > 0): the bank must refuse there
        out.add(("pledge", "pledge", "refuse", "refuse"))
    return out
