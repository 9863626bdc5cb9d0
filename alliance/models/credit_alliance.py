r"""The credit alliance as joint liability: Besley and Coate's (1995) repayment game.

Seed 003's credit alliance pools its members' credit: the members are jointly liable for each
other's loans. Besley and Coate (1995) give the canonical model of what joint liability does
to repayment. Each of two members borrows one unit and owes :math:`r`; the project returns
:math:`\theta`, drawn independently from :math:`U[\theta_{lo}, \theta_{hi}]`. A borrower who
does not repay suffers the bank's penalty :math:`c(\theta) = b\theta` (seizure of a share
:math:`b \le 1` of the output, loss of access to credit); Besley and Coate's general penalty
function enters only through the threshold :math:`\phi(x) = c^{-1}(x) = x / b`.

**Individual lending.** A borrower repays iff :math:`r \le b\theta`, i.e.
:math:`\theta \ge \phi(r) = r/b`.

**Group lending** (joint liability). If either loan is unpaid, both members are penalised.
Each member chooses *repay* (contribute :math:`r`, and pay the partner's share too when the
partner does not and paying :math:`2r` beats the penalty) or *default*. A member who defaults
while the partner repays suffers the partner's social sanction :math:`S` (Besley and Coate's
social collateral). The stage game at realised returns :math:`(\theta_1, \theta_2)`, payoffs of
member 1 (member 2 symmetric):

==================  ==================================================================
profile             member 1's payoff
==================  ==================================================================
(repay, repay)      :math:`\theta_1 - r`
(repay, default)    :math:`\theta_1 - \min(2r, b\theta_1)`
(default, repay)    :math:`\theta_1 - S` if :math:`b\theta_2 \ge 2r`, else
                    :math:`\theta_1 - b\theta_1 - S`
(default, default)  :math:`\theta_1 - b\theta_1`
==================  ==================================================================

(a member with :math:`\theta_i < r` cannot repay: its *repay* row equals its *default* row).
The group repays iff the stage game has a pure equilibrium in which both loans are repaid;
this happens exactly in the region

.. math::

    \max(\theta_1, \theta_2) \ge \frac{2r}{b} \quad\text{or}\quad
    \min(\theta_1, \theta_2) \ge t_S = \max\!\Big(r, \frac{r - S}{b}\Big),

with :math:`t_0 = r/b` without social sanctions. Compared with individual lending (borrower
1's loan):

* group lending repays where individual lending does not when
  :math:`\theta_1 < r/b \le 2r/b \le \theta_2` — the successful member repays for both;
* individual lending repays where group lending does not when
  :math:`r/b \le \theta_1 < 2r/b` and :math:`\theta_2 < t_S` — the whole group defaults.

Social sanctions (:math:`S > 0`) lower :math:`t_S` and shrink the second region.

With :math:`F` the uniform c.d.f., the repayment probabilities are
:math:`\pi_I = 1 - F(r/b)` and :math:`\pi_G = 1 - F(2r/b)^2 + (F(2r/b) - F(t_S))^2`
(Besley and Coate's equation for :math:`S = 0`:
:math:`\pi_G = [1 - F(r/b)]^2 + 2F(r/b)[1 - F(2r/b)]`).

Version 1 subtracted a peer-monitoring cost :math:`k` in every cell of the stage game, where
it changed no decision; monitoring is now a decision of the repeated game
(:func:`alliance.models.repeated_alliance`), which is also what ``repeated=True`` returns: returns
drawn afresh each period, Nash reversion to the dissolution of the alliance (a stage
equilibrium the engine finds), punishment on the equilibrium path without monitoring.

References
----------
Besley, T. and Coate, S. (1995). Group lending, repayment incentives and social collateral.
*Journal of Development Economics* 46(1): 1–18.

Stiglitz, J. E. (1990). Peer monitoring and credit markets. *World Bank Economic Review*
4(3): 351–366.

Ghatak, M. and Guinnane, T. W. (1999). The economics of lending with joint liability: theory
and practice. *Journal of Development Economics* 60(1): 195–228.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import sympy as sp

from alliance.errors import ParameterError
from alliance.games.normal_form import NormalFormGame
from alliance.models._params import ModelInfo, Parameter, attach_info, resolve_parameters

__all__ = [
    "credit_alliance_game",
    "repayment_thresholds",
    "individual_repayment_region",
    "group_repayment_region",
    "repayment_probabilities",
    "CREDIT_ALLIANCE_INFO",
]

_INF = math.inf

_PARAMETERS = (
    Parameter(
        "r",
        "r",
        "repayment due per member (gross, per unit borrowed)",
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
        "social sanction on a member who defaults on a repaying partner",
        "money per unit loan",
        0,
        _INF,
        default=0,
        source="no social collateral: Besley and Coate's (1995) baseline",
    ),
    Parameter(
        "theta_lo",
        r"\theta_{lo}",
        "lowest project return",
        "money per unit loan",
        0,
        _INF,
        default=0.5,
        source="illustrative",
    ),
    Parameter(
        "theta_hi",
        r"\theta_{hi}",
        "highest project return",
        "money per unit loan",
        0,
        _INF,
        lo_open=True,
        default=5,
        source="illustrative",
    ),
    Parameter(
        "theta1",
        r"\theta_1",
        "realised project return of member 1 (stage game)",
        "money per unit loan",
        0,
        _INF,
        default=4,
        source="illustrative: r/b <= θ1 < 2r/b",
    ),
    Parameter(
        "theta2",
        r"\theta_2",
        "realised project return of member 2 (stage game)",
        "money per unit loan",
        0,
        _INF,
        default=2,
        source="illustrative: θ2 < r/b, so the group defaults",
    ),
)

#: The parameter table of :func:`credit_alliance_game`.
CREDIT_ALLIANCE_INFO = ModelInfo(
    "credit_alliance_game",
    "joint-liability repayment game of a two-member credit alliance (Besley and Coate 1995)",
    _PARAMETERS,
    (
        "Besley, T. and Coate, S. (1995). Group lending, repayment incentives and social "
        "collateral. Journal of Development Economics 46(1): 1-18.",
        "Stiglitz, J. E. (1990). Peer monitoring and credit markets. World Bank Economic "
        "Review 4(3): 351-366.",
        "Ghatak, M. and Guinnane, T. W. (1999). The economics of lending with joint "
        "liability. Journal of Development Economics 60(1): 195-228.",
    ),
)

_REGION_NAMES = ("r", "b", "S")


def _values(given: dict[str, Any], symbolic: Any = False, names: tuple[str, ...] | None = None):
    given = {k: v for k, v in given.items() if v is not None}
    info = CREDIT_ALLIANCE_INFO
    if names is not None:
        extra = [k for k in given if k not in names]
        if extra:
            raise ParameterError(
                f"parameter(s) {', '.join(map(repr, extra))} do not enter here; "
                f"the parameters are {', '.join(names)}"
            )
        info = ModelInfo(info.factory, info.title, tuple(info[n] for n in names), info.references)
    values, symbols = resolve_parameters(info, given, symbolic)
    if "theta_lo" in values and "theta_hi" in values:
        lo, hi = values["theta_lo"], values["theta_hi"]
        if lo.is_number and hi.is_number and not bool(lo < hi):
            raise ParameterError(
                f"lowest project return theta_lo is {float(lo):g}; it must be below theta_hi = {float(hi):g}"
            )
    return values, symbols


def repayment_thresholds(*, symbolic: bool | str | list[str] = False, **params: Any) -> dict:
    r"""The thresholds of the repayment regions.

    Parameters
    ----------
    symbolic : bool, str or list of str, default False
        ``True`` keeps every parameter symbolic; a name or list of names keeps only those.
    **params : float
        ``r`` (1.1, repayment due per member, > 0), ``b`` (0.5, penalty share, in (0, 1])
        and ``S`` (0, social sanction, >= 0), as in :func:`credit_alliance_game`.

    Returns
    -------
    dict
        ``{"individual": r/b, "pay_for_both": 2r/b, "group_both": max(r, (r - S)/b)}``:
        the return above which a member repays alone, pays for both, or (with the sanction)
        both repay; exact numbers or SymPy expressions.

    Raises
    ------
    ParameterError
        A value outside its range or an unknown keyword.

    Examples
    --------
    >>> repayment_thresholds()
    {'individual': 11/5, 'pay_for_both': 22/5, 'group_both': 11/5}
    >>> repayment_thresholds(symbolic=["S"])["group_both"]
    Max(11/10, 11/5 - 2*S)
    """
    v, _ = _values(params, symbolic, _REGION_NAMES)
    return _thresholds(v)


def _thresholds(v: dict[str, sp.Expr]) -> dict[str, sp.Expr]:
    r, b, S = v["r"], v["b"], v["S"]
    return {"individual": r / b, "pay_for_both": 2 * r / b, "group_both": sp.Max(r, (r - S) / b)}


def _numeric_thresholds(params: dict[str, Any]) -> tuple[float, float, float]:
    t = repayment_thresholds(**params)
    return float(t["individual"]), float(t["pay_for_both"]), float(t["group_both"])


def individual_repayment_region(theta1: Any, theta2: Any = None, **params: Any) -> np.ndarray:
    r"""Whether borrower 1's loan is repaid under individual lending: :math:`\theta_1 \ge r/b`.

    Vectorised over arrays; ``theta2`` is accepted (and broadcast) so that the two region
    functions have the same signature.

    Parameters
    ----------
    theta1 : array_like
        Borrower 1's realised returns, >= 0.
    theta2 : array_like, optional
        Borrower 2's returns (only broadcast against ``theta1``).
    **params : float
        ``r`` (1.1, repayment due per member, > 0), ``b`` (0.5, penalty share, in (0, 1])
        and ``S`` (0, social sanction, >= 0), as in :func:`credit_alliance_game`.

    Returns
    -------
    ndarray of bool
        Whether borrower 1 repays, element by element.

    Examples
    --------
    >>> individual_repayment_region([1.0, 3.0, 5.0])
    array([False,  True,  True])
    """
    single, _, _ = _numeric_thresholds(params)
    t1 = np.asarray(theta1, dtype=float)
    if theta2 is not None:
        t1, _ = np.broadcast_arrays(t1, np.asarray(theta2, dtype=float))
    return t1 >= single


def group_repayment_region(theta1: Any, theta2: Any, **params: Any) -> np.ndarray:
    r"""Whether the group repays: :math:`\max\theta \ge 2r/b` or :math:`\min\theta \ge t_S`.

    Parameters
    ----------
    theta1, theta2 : array_like
        The two members' realised returns, >= 0 (broadcast together).
    **params : float
        ``r`` (1.1, repayment due per member, > 0), ``b`` (0.5, penalty share, in (0, 1])
        and ``S`` (0, social sanction, >= 0), as in :func:`credit_alliance_game`.

    Returns
    -------
    ndarray of bool
        Whether both loans are repaid under joint liability, element by element.

    Examples
    --------
    >>> group_repayment_region([4.0, 4.5, 3.0], [2.0, 1.0, 2.5])
    array([False,  True,  True])
    """
    _, both, t_s = _numeric_thresholds(params)
    a = np.asarray(theta1, dtype=float)
    c = np.asarray(theta2, dtype=float)
    return (np.maximum(a, c) >= both) | (np.minimum(a, c) >= t_s)


def repayment_probabilities(*, symbolic: bool | str | list[str] = False, **params: Any) -> dict:
    r"""Repayment probabilities per loan under individual and group lending, θ uniform.

    Parameters
    ----------
    symbolic : bool, str or list of str, default False
        ``True`` keeps every parameter symbolic; a name or list of names keeps only those.
    **params : float
        ``r``, ``b``, ``S`` as in :func:`credit_alliance_game`, and the support of the
        uniform return distribution ``theta_lo`` (0.5) < ``theta_hi`` (5).

    Returns
    -------
    dict
        ``{"individual": π_I, "group": π_G}``: probabilities in [0, 1], SymPy expressions
        (exact numbers when every parameter is numeric).

    Raises
    ------
    ParameterError
        A value outside its range or an unknown keyword.

    Examples
    --------
    >>> p = repayment_probabilities()
    >>> p["individual"], p["group"]
    (28/45, 988/2025)
    >>> {k: round(float(v), 4) for k, v in repayment_probabilities(S=0.5).items()}
    {'individual': 0.6222, 'group': 0.7546}
    """
    v, _ = _values(params, symbolic, _REGION_NAMES + ("theta_lo", "theta_hi"))
    t = _thresholds(v)
    lo, hi = v["theta_lo"], v["theta_hi"]

    def cdf(x: sp.Expr) -> sp.Expr:
        return sp.Min(1, sp.Max(0, (x - lo) / (hi - lo)))

    f1, f2, ft = cdf(t["individual"]), cdf(t["pay_for_both"]), cdf(t["group_both"])
    # no simplify(): on Min/Max it is slow, and numeric inputs already give exact numbers
    return {"individual": 1 - f1, "group": 1 - f2**2 + (f2 - ft) ** 2}


def credit_alliance_game(
    *,
    theta1: float | None = None,
    theta2: float | None = None,
    r: float | None = None,
    b: float | None = None,
    S: float | None = None,
    theta_lo: float | None = None,
    theta_hi: float | None = None,
    repeated: bool = False,
    **repeated_options: Any,
):
    r"""The repayment stage game of two jointly liable members (see the module docstring).

    Parameters
    ----------
    theta1, theta2 : float, default 4 and 2
        Realised project returns of the two members, :math:`\ge 0`.
    r : float, default 1.1
        Repayment due per member, :math:`> 0`.
    b : float, default 0.5
        Bank's penalty share :math:`c(\theta) = b\theta`, in :math:`(0, 1]`.
    S : float, default 0
        Social sanction on a member who defaults on a repaying partner, :math:`\ge 0`.
    theta_lo, theta_hi : float, default 0.5 and 5
        Support of the return distribution; they do not enter the stage game (which is
        played at realised returns) but are checked and recorded in ``model_info`` for
        :func:`repayment_probabilities`.
    repeated : bool, default False
        Return the repeated alliance game :func:`alliance.models.repeated_alliance` (returns
        drawn afresh each period, so ``theta1`` and ``theta2`` are refused; version 1
        returned a ``RepeatedGame`` punishing with ``(default, default)``, which is not a
        stage equilibrium at high returns).
    **repeated_options
        Passed to :func:`~alliance.models.repeated_alliance` when ``repeated=True``
        (``k``, ``w``, ``rho``, ``n``, ``monitoring``, ``outside``, ``symbolic``).

    Returns
    -------
    NormalFormGame or RepeatedAlliance
        Players ``("Member 1", "Member 2")``, strategies ``("repay", "default")`` each;
        numeric (the case distinctions need numbers). The table is attached as ``model_info``.

    Notes
    -----
    At the defaults (:math:`r/b = 2.2 \le \theta_1 = 4 < 2r/b = 4.4`,
    :math:`\theta_2 = 2 < 2.2`) member 1 would repay an individual loan, but member 2
    defaults and member 1 will not pay 4.4 for both: in both pure equilibria,
    ``(default, default)`` and ``(repay, default)`` (member 1's lone contribution is useless
    and refunded), the loans go unpaid — joint liability's negative effect.

    Examples
    --------
    >>> from alliance.models import credit_alliance_game
    >>> [e.supports for e in credit_alliance_game().pure_equilibria()]
    [(('repay',), ('default',)), (('default',), ('default',))]
    >>> [e.supports for e in credit_alliance_game(theta1=4.5, theta2=1.5).pure_equilibria()]
    [(('repay',), ('default',))]
    >>> [e.supports for e in credit_alliance_game(S=0.5).pure_equilibria()]
    [(('repay',), ('repay',)), (('default',), ('default',))]
    >>> credit_alliance_game(repeated=True).critical_discount()
    275/962

    References
    ----------
    Besley and Coate (1995), *Journal of Development Economics* 46(1): 1–18.
    """
    if repeated:
        if theta1 is not None or theta2 is not None:
            raise ParameterError(
                "theta1/theta2 are the returns of one stage; the repeated alliance draws them "
                "afresh each period from U[theta_lo, theta_hi], so do not pass them with repeated=True"
            )
        from alliance.models.repeated_alliance import repeated_alliance

        return repeated_alliance(
            r=r, b=b, S=S, theta_lo=theta_lo, theta_hi=theta_hi, **repeated_options
        )
    if repeated_options:
        unknown = ", ".join(sorted(repeated_options))
        hint = (
            " (k is the monitoring cost of the repeated game: the one-shot stage game has no "
            "monitoring decision; use repeated=True)"
            if "k" in repeated_options
            else " (extra options are passed to repeated_alliance only with repeated=True)"
        )
        raise ParameterError(f"unknown argument(s) {unknown} of credit_alliance_game{hint}")
    v, _ = _values(
        dict(theta1=theta1, theta2=theta2, r=r, b=b, S=S, theta_lo=theta_lo, theta_hi=theta_hi)
    )
    th = (v["theta1"], v["theta2"])
    r_, b_, S_ = v["r"], v["b"], v["S"]
    penalty = [b_ * t for t in th]
    able = [bool(t >= r_) for t in th]
    pays_both = [bool(b_ * t >= 2 * r_) for t in th]

    def payoff(i: int, mine: str, theirs: str) -> sp.Expr:
        j = 1 - i
        mine = mine if able[i] else "default"
        theirs = theirs if able[j] else "default"
        if mine == "repay" and theirs == "repay":
            return th[i] - r_
        if mine == "repay":
            return th[i] - sp.Min(2 * r_, penalty[i])
        if theirs == "repay":
            lost = 0 if pays_both[j] else penalty[i]
            return th[i] - lost - S_
        return th[i] - penalty[i]

    strategies = ("repay", "default")
    table = {(a, c): (payoff(0, a, c), payoff(1, c, a)) for a in strategies for c in strategies}
    game = NormalFormGame.from_payoffs(
        table,
        players=("Member 1", "Member 2"),
        strategies=(strategies, strategies),
        title="credit alliance repayment game",
    )
    attach_info(game, CREDIT_ALLIANCE_INFO.with_values(v))
    return game


credit_alliance_game.model_info = CREDIT_ALLIANCE_INFO  # type: ignore[attr-defined]
