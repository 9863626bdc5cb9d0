r"""The repeated credit alliance: i.i.d. returns, credible punishment and a monitoring decision.

Seed 003's alliance runs period after period. This module derives when its members repay
voluntarily, with a punishment that is credible and continuation values that count what
happens on the equilibrium path.

**Model.** An alliance of :math:`n \ge 2` members. Each period every member borrows one unit
through the alliance and owes :math:`r`; its project returns :math:`\theta`, drawn afresh
each period, independently across members and periods, from
:math:`U[\theta_{lo}, \theta_{hi}]` (c.d.f. :math:`F`). A member with :math:`\theta < r`
cannot repay (involuntary default, probability :math:`q = F(r)`). A member that does not
repay loses the bank's penalty :math:`b\theta` (Besley and Coate's :math:`c(\theta)`). The
prescribed play is *repay whenever able*. Outside the alliance a member earns :math:`O` per
period, its outside option:

* ``outside="none"``: informal finance or nothing, :math:`O = w`;
* ``outside="individual"``: the bank lends to the member alone if that pays the bank its
  reservation return, :math:`\mathbb E[\min(r, b\theta)] \ge \rho` (an individual borrower
  repays iff :math:`b\theta \ge r`, Besley and Coate's individual regime); the member then
  earns :math:`O = \max(w, \mathbb E[\theta - \min(r, b\theta)])`, else :math:`O = w`.

A member's expected payoff per period in the alliance is
:math:`a = \mathbb E[\theta] - r(1 - q) - b\,\mathbb E[\theta; \theta < r]`.

**Punishment: Nash reversion to the membership stage game.** Each period the members decide
whether to stay in the alliance; it operates only if all stay. In this stage game
(:meth:`RepeatedAlliance.membership_game`) *everybody leaves* is a Nash equilibrium (a lone
stayer has no alliance and earns :math:`O`), which the engine finds and checks; after a
default the members revert to it forever: the alliance dissolves and everybody, the deviator
included, earns :math:`O` (nobody pays for anybody any more). It is credible because it is an
equilibrium of every later stage. Exclusion of the deviator alone is credible only if the
remaining members gain from it (:meth:`RepeatedAlliance.exclusion_gain`): with a replacement
from a pool of applicants they are exactly as well off as keeping it (gain 0), and in a
two-member alliance without one the remaining member is left alone, at :math:`O < V`
(a loss); so exclusion is not used as the punishment here.

**Without monitoring** the members see only whether a loan was repaid, not :math:`\theta`, so
an involuntary default cannot be told from a strategic one and every default dissolves the
alliance, on the equilibrium path too. With :math:`P = 1 - q`, a conforming member's value
:math:`V` and the punishment value :math:`U = O/(1-\delta)` satisfy

.. math:: V = a + \delta\,[P^n V + (1 - P^n) U]
          \;\Rightarrow\; V - U = \frac{a - O}{1 - \delta P^n}.

In a state :math:`\theta \ge r` repaying gives :math:`\theta - r + \delta[P^{n-1}V +
(1 - P^{n-1})U]` (the others may still default involuntarily) and defaulting
:math:`\theta - b\theta + \delta U`. The repayment constraint
:math:`r - b\theta \le \delta P^{n-1}(V - U)` must hold in every state where repayment is
prescribed; the gain :math:`r - b\theta` is largest in the lowest such state
:math:`\underline\theta = \max(r, \theta_{lo})`, so with :math:`g = r - b\underline\theta`

.. math:: \delta^*_{N} = \frac{g}{P^{n-1}(a - O) + g P^n}.

**With monitoring** each member pays :math:`k` per period to observe the others' returns:
involuntary defaults are forgiven (no dissolution on the path) and a strategic defaulter
also suffers the social sanction :math:`S`. Then :math:`V - U = (a - k - O)/(1 - \delta)`
and

.. math:: \delta^*_{M} = \frac{(g - S)^+}{a - k - O + (g - S)^+}.

Monitoring is a *decision* (:meth:`RepeatedAlliance.regime`): at a discount factor
:math:`\delta` the members choose, among the regimes that :math:`\delta` sustains, the one
with the highest value, :math:`V_M = (a-k)/(1-\delta)` or
:math:`V_N = (a + \delta(1-P^n)U)/(1 - \delta P^n)`, or dissolve (:math:`U`); :math:`k` is
paid only if monitoring is chosen. A cheap monitor (:math:`k < ` the expected loss from
on-path dissolution) is chosen; a dear one is not.

Every formula above is checked in the tests against the Bellman equations solved by SymPy
and against a vectorised Monte Carlo simulation of the repeated game
(:meth:`RepeatedAlliance.simulate`).

References
----------
Besley, T. and Coate, S. (1995). Group lending, repayment incentives and social collateral.
*Journal of Development Economics* 46(1): 1–18.

Bhole, B. and Ogden, S. (2010). Group lending and individual lending with strategic
default. *Journal of Development Economics* 91(2): 348–363 (its result could not be read
for this toolkit; the closed forms above are derived here).

Green, E. J. and Porter, R. H. (1984). Noncooperative collusion under imperfect price
information. *Econometrica* 52(1): 87–100 (punishment on the equilibrium path under
imperfect monitoring).

Fudenberg, D. and Tirole, J. (1991). *Game Theory*, ch. 5. MIT Press.
"""

from __future__ import annotations

import html
import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
import sympy as sp

from alliance.errors import ParameterError
from alliance.games.normal_form import NormalFormGame
from alliance.models._params import ModelInfo, Parameter, resolve_parameters
from alliance.models.credit_alliance import CREDIT_ALLIANCE_INFO

__all__ = [
    "repeated_alliance",
    "RepeatedAlliance",
    "AllianceSimulation",
    "REPEATED_ALLIANCE_INFO",
    "OUTSIDE_OPTIONS",
]

_INF = math.inf
OUTSIDE_OPTIONS = ("none", "individual")

_ONE_SHOT = {p.name: p for p in CREDIT_ALLIANCE_INFO.parameters}

_PARAMETERS = (
    Parameter(
        "r",
        "r",
        "repayment due per member and period (gross, per unit borrowed)",
        "money per unit loan",
        0,
        _INF,
        lo_open=True,
        default=1.1,
        source="illustrative: a 10 % loan rate on a unit loan",
    ),
    Parameter(
        "b",
        "b",
        "bank's penalty as a share of the project return, c(θ) = bθ",
        "share",
        0,
        1,
        lo_open=True,
        default=0.5,
        source="illustrative (Besley and Coate 1995)",
    ),
    Parameter(
        "S",
        "S",
        "social sanction on a strategic defaulter (needs monitoring to be applied)",
        "money per unit loan",
        0,
        _INF,
        default=0,
        source="no social collateral: Besley and Coate's (1995) baseline",
    ),
    Parameter(
        "k",
        "k",
        "monitoring cost per member and period, paid only if the alliance monitors",
        "money per unit loan",
        0,
        _INF,
        default=0.05,
        source="illustrative (Stiglitz 1990)",
    ),
    # the same return distribution as the one-shot game (one definition, two models)
    _ONE_SHOT["theta_lo"],
    _ONE_SHOT["theta_hi"],
    Parameter(
        "w",
        "w",
        "member's outside option per period without the alliance (informal finance)",
        "money per unit loan",
        0,
        _INF,
        default=0,
        source="no outside finance (seed 002)",
    ),
    Parameter(
        "rho",
        r"\rho",
        "bank's reservation gross return per unit lent (it lends elsewhere)",
        "money per unit loan",
        0,
        _INF,
        default=1.03,
        source="assumption: a 3 % safe return on the bank's alternative use of the funds",
    ),
    Parameter(
        "n",
        "n",
        "number of members",
        "count",
        2,
        _INF,
        default=2,
        source="two members, as in Besley and Coate (1995)",
    ),
)

#: The parameter table of :func:`repeated_alliance`.
REPEATED_ALLIANCE_INFO = ModelInfo(
    "repeated_alliance",
    "repeated credit alliance: i.i.d. returns, Nash reversion to dissolution, monitoring decision",
    _PARAMETERS,
    (
        "Besley, T. and Coate, S. (1995). Group lending, repayment incentives and social "
        "collateral. Journal of Development Economics 46(1): 1-18.",
        "Green, E. J. and Porter, R. H. (1984). Noncooperative collusion under imperfect price "
        "information. Econometrica 52(1): 87-100.",
        "Fudenberg, D. and Tirole, J. (1991). Game Theory, ch. 5. MIT Press.",
    ),
)


def _clip(x: sp.Expr, lo: sp.Expr, hi: sp.Expr) -> sp.Expr:
    if x.is_number and lo.is_number and hi.is_number:
        return min(max(x, lo), hi)
    return x  # symbolic: the derivation assumes theta_lo <= x <= theta_hi


@dataclass(frozen=True, eq=False)
class AllianceSimulation:
    """Average discounted payoffs of conforming and of deviating, by Monte Carlo.

    Made by :meth:`RepeatedAlliance.simulate`.

    Parameters
    ----------
    delta : float
        The discount factor, in [0, 1).
    state : float
        The deviator's return in the first period.
    conform, deviate : float
        Mean discounted payoff of repaying / defaulting strategically in that state (and
        conforming afterwards, which is moot once the alliance dissolves).
    conform_se, deviate_se : float
        Their Monte Carlo standard errors.
    paths, periods : int
        Simulated paths, and periods per path (the horizon cut where
        :math:`\\delta^T` falls below the tolerance).

    Examples
    --------
    >>> sim = repeated_alliance().simulate(0.5, paths=200, seed=0)
    >>> sim.periods, round(sim.deviate, 4), sim.advantage > 3 * sim.advantage_se
    (35, 0.55, True)
    """

    delta: float
    state: float
    conform: float
    deviate: float
    conform_se: float
    deviate_se: float
    paths: int
    periods: int

    @property
    def advantage(self) -> float:
        """``conform - deviate``: positive when repaying pays."""
        return self.conform - self.deviate

    @property
    def advantage_se(self) -> float:
        """Standard error of the advantage (the two use common random numbers)."""
        return float(np.hypot(self.conform_se, self.deviate_se))

    def to_frame(self) -> pd.DataFrame:
        """The two strategies' mean discounted payoffs and standard errors.

        Returns
        -------
        pandas.DataFrame
            Indexed by ``strategy`` (``"conform"``, ``"deviate"``); columns ``mean``, ``se``.

        Examples
        --------
        >>> sim = repeated_alliance().simulate(0.5, paths=200, seed=0)
        >>> sim.to_frame()["mean"].round(4).tolist()
        [1.1719, 0.55]
        """
        return pd.DataFrame(
            {"mean": [self.conform, self.deviate], "se": [self.conform_se, self.deviate_se]},
            index=pd.Index(["conform", "deviate"], name="strategy"),
        )

    def __repr__(self) -> str:
        return (
            f"AllianceSimulation(delta={self.delta:g}, state={self.state:g}: conform "
            f"{self.conform:.4f} ± {self.conform_se:.4f}, deviate {self.deviate:.4f} ± "
            f"{self.deviate_se:.4f}; {self.paths} paths × {self.periods} periods)"
        )

    def _repr_html_(self) -> str:
        try:
            return f"<p>{html.escape(repr(self))}</p>" + self.to_frame().to_html()
        except Exception:  # a display hook must never raise
            return "<pre>" + html.escape(object.__repr__(self)) + "</pre>"


@dataclass(frozen=True, eq=False)
class RepeatedAlliance:
    """The repeated credit-alliance game (see the module docstring); build it with
    :func:`repeated_alliance`.

    Parameters
    ----------
    values : dict
        Parameter name -> exact SymPy number or symbol.
    monitoring : bool
        Whether the members monitor each other (pay ``k``, forgive involuntary defaults,
        sanction strategic ones with ``S``).
    outside : {"none", "individual"}
        The outside option after the alliance dissolves.
    model_info : ModelInfo
        The parameter table with the values used.

    Examples
    --------
    >>> repeated_alliance()
    RepeatedAlliance(no monitoring, outside 'none': δ* = 0.285863)
    """

    values: dict
    monitoring: bool
    outside: str
    model_info: ModelInfo = field(repr=False)

    # ------------------------------------------------------------------ building blocks
    @property
    def is_symbolic(self) -> bool:
        """Whether some parameter is kept symbolic."""
        return any(bool(getattr(v, "free_symbols", ())) for v in self.values.values())

    def _v(self, name: str) -> sp.Expr:
        return self.values[name]

    def _uniform(self) -> tuple[sp.Expr, sp.Expr, sp.Expr]:
        lo, hi = self._v("theta_lo"), self._v("theta_hi")
        return lo, hi, hi - lo

    def default_probability(self) -> sp.Expr:
        """:math:`q = F(r)`: the probability that a member cannot repay in a period.

        Returns
        -------
        sympy.Expr
            A probability in [0, 1], exact (or an expression of symbolic parameters).

        Examples
        --------
        >>> ra = repeated_alliance()
        >>> ra.default_probability()
        2/15
        """
        lo, hi, width = self._uniform()
        return (_clip(self._v("r"), lo, hi) - lo) / width

    def _partial_mean(self, x: sp.Expr) -> sp.Expr:
        """:math:`\\mathbb E[\\theta; \\theta < x]` for the uniform distribution."""
        lo, hi, width = self._uniform()
        c = _clip(x, lo, hi)
        return (c**2 - lo**2) / (2 * width)

    def member_payoff(self) -> sp.Expr:
        """:math:`a`: a member's expected payoff per period in the alliance (before ``k``).

        Returns
        -------
        sympy.Expr
            Money per period, exact.

        Examples
        --------
        >>> ra = repeated_alliance()
        >>> ra.member_payoff()
        523/300
        """
        lo, hi, _ = self._uniform()
        r, b = self._v("r"), self._v("b")
        q = self.default_probability()
        return sp.simplify((lo + hi) / 2 - r * (1 - q) - b * self._partial_mean(r))

    def bank_individual_return(self) -> sp.Expr:
        """:math:`\\mathbb E[\\min(r, b\\theta)]`: the bank's expected gross return on an
        individual loan (the borrower repays iff :math:`b\\theta \\ge r`).

        Returns
        -------
        sympy.Expr
            Gross return per unit lent, exact.

        Examples
        --------
        >>> ra = repeated_alliance()
        >>> ra.bank_individual_return()
        1691/1800
        """
        lo, hi, width = self._uniform()
        r, b = self._v("r"), self._v("b")
        c = _clip(r / b, lo, hi)
        return sp.simplify(b * self._partial_mean(r / b) + r * (hi - c) / width)

    def individual_payoff(self) -> sp.Expr:
        """:math:`\\mathbb E[\\theta - \\min(r, b\\theta)]`: a member's payoff per period from an
        individual loan.

        Returns
        -------
        sympy.Expr
            Money per period, exact.

        Examples
        --------
        >>> ra = repeated_alliance()
        >>> ra.individual_payoff()
        3259/1800
        """
        lo, hi, _ = self._uniform()
        return sp.simplify((lo + hi) / 2 - self.bank_individual_return())

    def bank_lends_individually(self) -> bool | sp.Basic:
        """Whether the bank would lend to a member alone: its expected return is at least
        :math:`\\rho` (a SymPy relation when symbolic).

        Returns
        -------
        bool or sympy.Basic
            ``True`` when :meth:`bank_individual_return` is at least ``rho``.

        Examples
        --------
        >>> ra = repeated_alliance()
        >>> ra.bank_lends_individually()  # 1691/1800 < rho = 1.03
        False
        """
        rel = sp.Ge(self.bank_individual_return(), self._v("rho"))
        return bool(rel) if rel in (sp.true, sp.false) else rel

    def outside_value(self) -> sp.Expr:
        """:math:`O`: a member's payoff per period after the alliance dissolves.

        Returns
        -------
        sympy.Expr
            Money per period: ``w`` with ``outside="none"``; with ``"individual"``, the
            individual-loan payoff if the bank would lend to a member alone, else ``w``.

        Examples
        --------
        >>> ra = repeated_alliance()
        >>> ra.outside_value()
        0
        """
        w = self._v("w")
        if self.outside == "none":
            return w
        lends = self.bank_lends_individually()
        if not isinstance(lends, bool):
            raise ParameterError(
                "outside='individual' needs numeric r, b, theta_lo, theta_hi and rho (whether "
                "the bank lends individually is a case distinction)"
            )
        return sp.Max(w, self.individual_payoff()) if lends else w

    def deviation_gain(self) -> sp.Expr:
        """:math:`g = r - b\\underline\\theta` (less :math:`S` when monitored): the largest
        one-period gain from a strategic default over the states where repayment is
        prescribed, reached in the lowest one, :math:`\\underline\\theta = \\max(r, \\theta_{lo})`.

        Returns
        -------
        sympy.Expr
            Money, exact; :math:`\\le 0` means nobody gains from a strategic default.

        Examples
        --------
        >>> ra = repeated_alliance()
        >>> ra.deviation_gain()
        11/20
        """
        r, b = self._v("r"), self._v("b")
        lo, hi, _ = self._uniform()
        low_state = _clip(r, lo, hi)
        gain = r - b * low_state
        return gain - self._v("S") if self.monitoring else gain

    # ------------------------------------------------------------------ the stage game
    def membership_game(self) -> NormalFormGame:
        """The per-period membership stage game of the members (expected payoffs).

        Each member chooses ``"stay"`` or ``"leave"``; the alliance operates only if all stay
        (each then earns :math:`a`, less :math:`k` when monitoring), otherwise everybody
        earns the outside option :math:`O`. Numeric parameters only.

        Returns
        -------
        NormalFormGame
            ``n`` players ``"Member 1"``, ... with strategies ``("stay", "leave")``, exact.

        Raises
        ------
        ParameterError
            If some parameter is symbolic.

        Examples
        --------
        >>> ra = repeated_alliance()
        >>> [e.supports for e in ra.membership_game().pure_equilibria()]
        [(('stay',), ('stay',)), (('leave',), ('leave',))]
        """
        if self.is_symbolic:
            raise ParameterError("membership_game needs numeric parameters; substitute them first")
        n = int(self._v("n"))
        inside = self.member_payoff() - (self._v("k") if self.monitoring else 0)
        out = self.outside_value()
        shape = (2,) * n
        table = np.empty(shape + (n,), dtype=object)
        for index in np.ndindex(*shape):
            pay = inside if all(i == 0 for i in index) else out
            for i in range(n):
                table[index + (i,)] = pay
        players = tuple(f"Member {i + 1}" for i in range(n))
        return NormalFormGame(
            table, players, [("stay", "leave")] * n, title="alliance membership stage game"
        )

    def punishment(self):
        """The stage equilibrium the members revert to after a default: everybody leaves.

        Found by the engine among the membership game's pure equilibria (never assumed).

        Returns
        -------
        Equilibrium
            The pure equilibrium in which every member leaves.

        Examples
        --------
        >>> ra = repeated_alliance()
        >>> ra.punishment().payoffs
        (Fraction(0, 1), Fraction(0, 1))
        """
        game = self.membership_game()
        n = game.n_players
        for e in game.pure_equilibria():
            if all(s == ("leave",) for s in e.supports):
                return e
        raise ParameterError(  # pragma: no cover - 'all leave' is always an equilibrium
            f"the membership game of {n} members has no equilibrium in which all leave"
        )

    # ------------------------------------------------------------------ values
    def _punishment_value(self, delta: Any) -> sp.Expr:
        return self.outside_value() / (1 - delta)

    def value(self, delta: Any) -> sp.Expr:
        """:math:`V`: a conforming member's expected discounted payoff at the start of a
        period (before returns are drawn), with on-path dissolution when unmonitored.

        Parameters
        ----------
        delta : float
            Discount factor per period, in [0, 1).

        Returns
        -------
        sympy.Expr
            Money, exact.

        Examples
        --------
        >>> ra = repeated_alliance()
        >>> ra.value(0.5)
        1569/562
        """
        d = sp.nsimplify(delta) if not isinstance(delta, sp.Basic) else delta
        a, o = self.member_payoff(), self.outside_value()
        if self.monitoring:
            return (a - self._v("k")) / (1 - d)
        stay = (1 - self.default_probability()) ** self._v("n")
        return (a + d * (1 - stay) * o / (1 - d)) / (1 - d * stay)

    def critical_discount(self) -> sp.Expr:
        """:math:`\\delta^*`: the smallest discount factor at which repaying whenever able is
        an equilibrium (the maximum of the per-state critical discounts).

        ``sympy.oo`` when no discount factor below 1 sustains repayment; 0 when nobody gains
        from a strategic default.

        Returns
        -------
        sympy.Expr
            :math:`\\delta^*` in [0, 1), ``oo``, or an expression of symbolic parameters.

        Examples
        --------
        >>> ra = repeated_alliance()
        >>> ra.critical_discount()
        275/962
        >>> repeated_alliance(symbolic=["S"]).with_monitoring().critical_discount()
        15*(20*S - 11)/(300*S - 673)
        """
        g = self.deviation_gain()
        a, o = self.member_payoff(), self.outside_value()
        if self.monitoring:
            margin = a - self._v("k") - o
            if g.is_number and g <= 0:
                return sp.Integer(0)
            if margin.is_number and margin <= 0:
                return sp.oo
            delta = g / (margin + g)
        else:
            if g.is_number and g <= 0:
                return sp.Integer(0)
            stay = 1 - self.default_probability()
            n = self._v("n")
            denominator = stay ** (n - 1) * (a - o) + g * stay**n
            delta = g / denominator
            if delta.is_number and not 0 <= delta < 1:
                return sp.oo
        return sp.simplify(delta) if self.is_symbolic else sp.nsimplify(delta)

    def critical_discount_by_state(self, theta: Any) -> np.ndarray:
        """The critical discount of the repayment constraint in each state ``theta >= r``
        (vectorised; NaN where repayment is not prescribed, ``theta < r``).

        :meth:`critical_discount` is its maximum over the states.

        Parameters
        ----------
        theta : array_like
            Member 1's returns, in :math:`[\\theta_{lo}, \\theta_{hi}]`.

        Returns
        -------
        numpy.ndarray
            The critical discount in each state; ``inf`` where no discount factor below 1
            sustains repayment, NaN where repayment is not prescribed.

        Raises
        ------
        ParameterError
            If some parameter is symbolic.

        Examples
        --------
        >>> ra = repeated_alliance()
        >>> ra.critical_discount_by_state([1.0, 1.1, 5.0]).round(4).tolist()
        [nan, 0.2859, 0.0]
        """
        if self.is_symbolic:
            raise ParameterError("critical_discount_by_state needs numeric parameters")
        th = np.asarray(theta, dtype=float)
        r, b, S = (float(self._v(k)) for k in ("r", "b", "S"))
        gain = r - b * th - (S if self.monitoring else 0.0)
        a, o = float(self.member_payoff()), float(self.outside_value())
        if self.monitoring:
            margin = a - float(self._v("k")) - o
            with np.errstate(divide="ignore", invalid="ignore"):
                out = np.where(gain <= 0, 0.0, gain / (margin + gain))
        else:
            stay = 1 - float(self.default_probability())
            n = float(self._v("n"))
            with np.errstate(divide="ignore", invalid="ignore"):
                out = np.where(
                    gain <= 0, 0.0, gain / (stay ** (n - 1) * (a - o) + gain * stay**n)
                )
        out = np.where((out < 0) | (out >= 1), np.inf, out)
        return np.where(th >= r, out, np.nan)

    def exclusion_gain(self, delta: Any, *, replacement: bool = True) -> sp.Expr:
        """What a remaining member gains if a deviator is excluded, relative to keeping it:
        :math:`V_{after} - V_{keep}`.

        Exclusion is a credible punishment only if this is positive. With a replacement
        from a pool of applicants the alliance keeps :math:`n` members and the gain is 0 (the
        remaining members are indifferent: not credible). Without one, the remaining
        :math:`n - 1` members continue if :math:`n - 1 \\ge 2` (value :math:`V_{n-1}`), else the
        last member is alone and takes its outside option, :math:`O/(1-\\delta)`.

        Parameters
        ----------
        delta : float
            Discount factor per period, in [0, 1).
        replacement : bool, default True
            Whether a new member from a pool of applicants replaces the deviator.

        Returns
        -------
        sympy.Expr
            Money, exact: 0 with a replacement.

        Examples
        --------
        >>> ra = repeated_alliance()
        >>> ra.exclusion_gain(0.5), float(ra.exclusion_gain(0.5, replacement=False)) < 0
        (0, True)
        """
        if replacement:
            return sp.Integer(0)
        d = sp.nsimplify(delta) if not isinstance(delta, sp.Basic) else delta
        keep = self.value(d)
        n = self._v("n")
        if n.is_number and n - 1 < 2:
            return sp.simplify(self._punishment_value(d) - keep)
        smaller = RepeatedAlliance(
            {**self.values, "n": n - 1}, self.monitoring, self.outside, self.model_info
        )
        return sp.simplify(smaller.value(d) - keep)

    def sustains(self, delta: float) -> bool:
        """Whether ``delta`` sustains repayment whenever able.

        Parameters
        ----------
        delta : float
            Discount factor per period, in [0, 1).

        Returns
        -------
        bool
            ``delta >= critical_discount()``.

        Raises
        ------
        ParameterError
            If ``delta`` lies outside [0, 1).

        Examples
        --------
        >>> ra = repeated_alliance()
        >>> ra.sustains(0.27), ra.sustains(0.3)  # delta* = 275/962 = 0.2859
        (False, True)
        """
        if not 0 <= float(delta) < 1:
            raise ParameterError(f"delta is {delta}; a discount factor lies in [0, 1)")
        return float(delta) >= float(self.critical_discount())

    def with_monitoring(self, monitoring: bool = True) -> RepeatedAlliance:
        """The same alliance with or without monitoring.

        Parameters
        ----------
        monitoring : bool, default True
            Whether the members monitor each other.

        Returns
        -------
        RepeatedAlliance
            The same parameters, with ``monitoring`` set.

        Examples
        --------
        >>> ra = repeated_alliance()
        >>> ra.with_monitoring().critical_discount()
        165/673
        """
        return RepeatedAlliance(self.values, monitoring, self.outside, self.model_info)

    def regime(self, delta: float) -> str:
        """The members' choice at ``delta``: ``"monitor"``, ``"no monitoring"`` or
        ``"dissolve"``, whichever sustainable regime gives a member the highest value.

        Ties go to not monitoring (``k`` is not paid without a reason).

        Parameters
        ----------
        delta : float
            Discount factor per period, in [0, 1).

        Returns
        -------
        str
            ``"monitor"``, ``"no monitoring"`` or ``"dissolve"``.

        Raises
        ------
        ParameterError
            If some parameter is symbolic, or ``delta`` lies outside [0, 1).

        Examples
        --------
        >>> ra = repeated_alliance()
        >>> ra.regime(0.27), repeated_alliance(k=0.5).regime(0.5)
        ('monitor', 'no monitoring')
        """
        if self.is_symbolic:
            raise ParameterError("regime needs numeric parameters")
        plain, watched = self.with_monitoring(False), self.with_monitoring(True)
        options = {"dissolve": float(self._punishment_value(sp.nsimplify(delta)))}
        if plain.sustains(delta):
            options["no monitoring"] = float(plain.value(delta))
        if watched.sustains(delta):
            options["monitor"] = float(watched.value(delta))
        best = max(options.values())
        for name in ("no monitoring", "monitor", "dissolve"):
            if name in options and options[name] >= best - 1e-12:
                return name
        return "dissolve"  # pragma: no cover

    # ------------------------------------------------------------------ simulation
    def simulate(
        self,
        delta: float,
        state: float | None = None,
        *,
        paths: int = 20_000,
        tol: float = 1e-10,
        seed: int | None = 0,
    ) -> AllianceSimulation:
        """Monte Carlo check: discounted payoffs of repaying and of defaulting in ``state``.

        Member 1 starts a period with return ``state`` (default: the binding state
        :math:`\\max(r, \\theta_{lo})`); the others' returns and all later returns are drawn
        afresh. Every member repays whenever able afterwards; the alliance dissolves at the
        first default of anybody (without monitoring) or at the first strategic default (with
        monitoring). Vectorised over paths and periods; the horizon is cut where
        :math:`\\delta^T < tol`.

        Parameters
        ----------
        delta : float
            Discount factor per period, in [0, 1).
        state : float, optional
            Member 1's first-period return, in :math:`[\\theta_{lo}, \\theta_{hi}]`.
        paths : int, default 20000
            Simulated paths, at least 2 (paths × periods × members at most 5e7).
        tol : float, default 1e-10
            Discount weight below which the horizon is cut, in (0, 1).
        seed : int or None, default 0
            Seed of the return draws (``None``: fresh entropy).

        Returns
        -------
        AllianceSimulation
            Means and standard errors of conforming and of deviating.

        Raises
        ------
        ParameterError
            Symbolic parameters, ``delta`` outside [0, 1), too few paths, a state outside
            the support, or too many draws.

        Examples
        --------
        >>> ra = repeated_alliance()
        >>> sim = ra.simulate(0.5, paths=200, seed=0)
        >>> sim
        AllianceSimulation(delta=0.5, state=1.1: conform 1.1719 ± 0.0634, deviate 0.5500 ± 0.0000; 200 paths × 35 periods)
        """
        if self.is_symbolic:
            raise ParameterError("simulate needs numeric parameters")
        d = float(delta)
        if not 0 <= d < 1:
            raise ParameterError(f"delta is {delta}; a discount factor lies in [0, 1)")
        if isinstance(paths, bool) or not isinstance(paths, (int, np.integer)) or paths < 2:
            raise ParameterError(f"paths is {paths!r}; give an integer of at least 2")
        r, b, S, k, lo, hi = (
            float(self._v(x)) for x in ("r", "b", "S", "k", "theta_lo", "theta_hi")
        )
        n = int(self._v("n"))
        o = float(self.outside_value())
        state = max(r, lo) if state is None else float(state)
        if not lo <= state <= hi:
            raise ParameterError(f"state is {state}; it must lie in [{lo}, {hi}]")
        periods = 1 if d == 0 else max(2, int(math.ceil(math.log(tol) / math.log(d))) + 1)
        if paths * periods * n > 50_000_000:
            raise ParameterError(
                f"paths × periods × members = {paths * periods * n} draws; keep it under 5e7"
            )
        rng = np.random.default_rng(seed)
        theta = rng.uniform(lo, hi, size=(paths, periods, n))
        theta[:, 0, 0] = state
        able = theta >= r
        own = np.where(able[..., 0], theta[..., 0] - r, theta[..., 0] * (1 - b))
        if self.monitoring:
            own = own - k
        disc = d ** np.arange(periods)
        # conform: dissolution after the first period in which somebody defaults (unmonitored)
        if self.monitoring:
            alive = np.ones((paths, periods), dtype=bool)
        else:
            anyone_defaults = ~able.all(axis=2)
            ended = np.cumsum(anyone_defaults, axis=1) > 0
            alive = np.concatenate([np.ones((paths, 1), bool), ~ended[:, :-1]], axis=1)
        conform = np.where(alive, own, o) @ disc
        # deviate in the first period: keep theta, lose b*theta (and S when monitored), then O
        first = state * (1 - b) - (S + k if self.monitoring else 0.0)
        deviate_value = first + o * (disc[1:].sum())
        deviate = np.full(paths, deviate_value)
        return AllianceSimulation(
            d,
            state,
            float(conform.mean()),
            float(deviate.mean()),
            float(conform.std(ddof=1) / np.sqrt(paths)),
            float(deviate.std(ddof=1) / np.sqrt(paths)),
            int(paths),
            int(periods),
        )

    # ------------------------------------------------------------------ display
    def to_frame(self) -> pd.DataFrame:
        """Key quantities of the alliance: q, a, O, g and δ*.

        Returns
        -------
        pandas.DataFrame
            Indexed by ``quantity``; one column ``value`` (floats, or expressions when
            symbolic).

        Examples
        --------
        >>> ra = repeated_alliance()
        >>> ra.to_frame()["value"].round(4).tolist()
        [0.1333, 1.7433, 0.0, 0.55, 0.2859]
        """
        rows = {
            "involuntary default probability q": self.default_probability(),
            "member payoff per period a": self.member_payoff(),
            "outside option per period O": self.outside_value(),
            "largest deviation gain g": self.deviation_gain(),
            "critical discount δ*": self.critical_discount(),
        }
        return pd.DataFrame(
            {"value": [v if getattr(v, "free_symbols", None) else float(v) for v in rows.values()]},
            index=pd.Index(list(rows), name="quantity"),
        )

    def __repr__(self) -> str:
        mon = "monitoring" if self.monitoring else "no monitoring"
        d = self.critical_discount()
        shown = str(d) if getattr(d, "free_symbols", None) else f"{float(d):.6g}"
        return f"RepeatedAlliance({mon}, outside {self.outside!r}: δ* = {shown})"

    def _repr_latex_(self) -> str:
        return rf"$\delta^* = {sp.latex(self.critical_discount())}$"

    def _repr_html_(self) -> str:
        try:
            return f"<p>{html.escape(repr(self))}</p>" + self.to_frame().to_html()
        except Exception:  # a display hook must never raise
            return "<pre>" + html.escape(object.__repr__(self)) + "</pre>"


def repeated_alliance(
    *,
    r: float | None = None,
    b: float | None = None,
    S: float | None = None,
    k: float | None = None,
    theta_lo: float | None = None,
    theta_hi: float | None = None,
    w: float | None = None,
    rho: float | None = None,
    n: int | None = None,
    monitoring: bool = False,
    outside: str = "none",
    symbolic: bool | str | list[str] = False,
) -> RepeatedAlliance:
    r"""The repeated credit-alliance game with i.i.d. returns (see the module docstring).

    Parameters
    ----------
    r : float, default 1.1
        Repayment due per member and period, :math:`> 0`.
    b : float, default 0.5
        Bank's penalty share, in :math:`(0, 1]`.
    S : float, default 0
        Social sanction on a strategic defaulter (applied only with monitoring), :math:`\ge 0`.
    k : float, default 0.05
        Monitoring cost per member and period (paid only with monitoring), :math:`\ge 0`.
    theta_lo, theta_hi : float, default 0.5 and 5
        Support of the uniform project return, :math:`0 \le \theta_{lo} < \theta_{hi}`.
    w : float, default 0
        Outside option per period (informal finance or none), :math:`\ge 0`.
    rho : float, default 1.03
        Bank's reservation gross return per unit (for ``outside="individual"``).
    n : int, default 2
        Number of members, :math:`\ge 2`.
    monitoring : bool, default False
        Whether the members monitor each other.
    outside : {"none", "individual"}, default "none"
        The outside option after dissolution.
    symbolic : bool, str or list of str, default False
        Keep parameters symbolic (the formulas then assume
        :math:`\theta_{lo} \le r \le \theta_{hi}`).

    Returns
    -------
    RepeatedAlliance

    Raises
    ------
    ParameterError
        A value outside its range, :math:`\theta_{lo} \ge \theta_{hi}`, a non-integer ``n``
        or an unknown ``outside``.

    Examples
    --------
    >>> ra = repeated_alliance()
    >>> ra.default_probability(), ra.member_payoff()
    (2/15, 523/300)
    >>> ra.critical_discount()
    275/962
    >>> ra.with_monitoring().critical_discount()
    165/673
    >>> ra.punishment().supports
    (('leave',), ('leave',))
    >>> ra.regime(0.27), ra.regime(0.5)
    ('monitor', 'monitor')
    >>> repeated_alliance(k=0.5).regime(0.5)
    'no monitoring'
    >>> ra.exclusion_gain(0.5), float(ra.exclusion_gain(0.5, replacement=False)) < 0
    (0, True)

    References
    ----------
    Besley and Coate (1995), *Journal of Development Economics* 46(1); Green and Porter
    (1984), *Econometrica* 52(1); Fudenberg and Tirole (1991), *Game Theory*, ch. 5.
    """
    if outside not in OUTSIDE_OPTIONS:
        raise ParameterError(f"outside is {outside!r}; use one of {OUTSIDE_OPTIONS}")
    if not isinstance(monitoring, bool):
        raise ParameterError(f"monitoring is {monitoring!r}; give True or False")
    given = dict(r=r, b=b, S=S, k=k, theta_lo=theta_lo, theta_hi=theta_hi, w=w, rho=rho, n=n)
    if n is not None and (isinstance(n, bool) or int(n) != n):
        raise ParameterError(f"number of members n is {n!r}; it must be an integer of at least 2")
    values, _ = resolve_parameters(REPEATED_ALLIANCE_INFO, given, symbolic)
    lo, hi = values["theta_lo"], values["theta_hi"]
    if lo.is_number and hi.is_number and not bool(lo < hi):
        raise ParameterError(
            f"lowest project return theta_lo is {float(lo):g}; it must be below theta_hi = {float(hi):g}"
        )
    info = REPEATED_ALLIANCE_INFO.with_values(values)
    return RepeatedAlliance(values, monitoring, outside, info)


repeated_alliance.model_info = REPEATED_ALLIANCE_INFO  # type: ignore[attr-defined]
