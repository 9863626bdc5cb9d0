r"""The lending game between a bank and an SME, with strategic default (seed 002).

A bank lends :math:`L` at the gross rate :math:`1 + r`; the SME's project returns :math:`R`.
The SME then repays :math:`(1 + r)L` or defaults *strategically*: it keeps :math:`R`, but
with the enforcement probability :math:`\pi` of the legal system the court seizes the
recoverable collateral :math:`C` for the bank and imposes a legal penalty :math:`F` (fines,
blacklisting in the credit register). A refused SME takes its outside option :math:`w`
(direct or informal finance). The strength of enforcement is the legal environment that
seed 002 puts at the centre of SME finance.

Stage game (Bank's payoff, SME's payoff):

=========  ========================  =================================
           repay                     default
=========  ========================  =================================
lend       :math:`rL`,               :math:`\pi C - L`,
           :math:`R - (1+r)L`        :math:`R - \pi (C + F)`
refuse     :math:`0`, :math:`w`      :math:`0`, :math:`w`
=========  ========================  =================================

**Repayment condition.** A lent-to SME repays iff :math:`(1 + r)L \le \pi (C + F)`: the debt
is no larger than the expected cost of default. Then lending is the bank's best reply
(:math:`rL > 0`) and ``(lend, repay)`` is the subgame-perfect outcome. Otherwise the SME
defaults and the bank refuses whenever :math:`\pi C < L`: credit rationing by weak
enforcement.

**Inspection variant** (``inspection=True``, the loan is made): the bank monitors at cost
:math:`m`; a monitored default is always caught (the bank recovers :math:`C`, the SME loses
:math:`C + F`).

===========  ==========================  ==================================
             repay                       default
===========  ==========================  ==================================
monitor      :math:`rL - m`,             :math:`C - L - m`,
             :math:`R - (1+r)L`          :math:`R - C - F`
not monitor  :math:`rL`,                 :math:`\pi C - L`,
             :math:`R - (1+r)L`          :math:`R - \pi (C + F)`
===========  ==========================  ==================================

When :math:`\pi (C + F) < (1 + r)L < C + F` and :math:`0 < m < (1 - \pi) C` the game has
no pure equilibrium and its unique equilibrium is mixed: the bank monitors with probability
:math:`p^* = \frac{(1+r)L - \pi (C+F)}{(1-\pi)(C+F)}` and the SME defaults with probability
:math:`q^* = \frac{m}{(1-\pi) C}`.

**Repeated game** (``repeated=True``): with Nash reversion after a default (the bank never
lends again; the SME gets :math:`w` forever) cooperation ``(lend, repay)`` is sustained iff
the discount factor is at least

.. math:: \delta^* = \frac{(1+r)L - \pi (C+F)}{R - \pi (C+F) - w}.

References
----------
Stiglitz, J. E. and Weiss, A. (1981). Credit rationing in markets with imperfect
information. *American Economic Review* 71(3): 393–410.

Bond, P. and Krishnamurthy, A. (2004). Regulating exclusion from financial markets.
*Review of Economic Studies* 71(3): 681–707.

Fudenberg, D. and Tirole, J. (1991). *Game Theory*, ch. 5 (repeated games), MIT Press.

Avenhaus, R., von Stengel, B. and Zamir, S. (2002). Inspection games. In *Handbook of Game
Theory* vol. 3, ch. 51, Elsevier.
"""

from __future__ import annotations

import math
from typing import Any

import sympy as sp

from alliance.errors import ParameterError
from alliance.games.normal_form import NormalFormGame
from alliance.models._params import (
    INTEREST_RATE,
    LOAN_PRINCIPAL,
    ModelInfo,
    Parameter,
    attach_info,
    check_at_most,
    declare_ranges,
    resolve_parameters,
)

__all__ = [
    "lending_game",
    "repayment_condition",
    "inspection_equilibrium",
    "lending_critical_discount",
    "LENDING_INFO",
]

_INF = math.inf

_PARAMETERS = (
    LOAN_PRINCIPAL,
    INTEREST_RATE,
    Parameter(
        "R",
        "R",
        "gross project return at maturity",
        "money",
        0,
        _INF,
        default=130,
        source="illustrative: 30 % gross return on the borrowed capital",
    ),
    Parameter(
        "C",
        "C",
        "recoverable collateral (liquidation value, at most the debt)",
        "money",
        0,
        _INF,
        default=70,
        source="illustrative: Chinese SME loans are secured at 50–70 % loan-to-value",
    ),
    Parameter(
        "F",
        "F",
        "legal penalty on a caught strategic default",
        "money",
        0,
        _INF,
        default=50,
        source="illustrative: fines plus the cost of a credit-register blacklisting",
    ),
    Parameter(
        "pi",
        r"\pi",
        "enforcement probability",
        "probability",
        0,
        1,
        default=0.5,
        source="illustrative weak enforcement (seed 002: the legal environment of SME finance)",
    ),
    Parameter(
        "w",
        "w",
        "SME's outside option when refused (direct or informal finance)",
        "money",
        0,
        _INF,
        default=0,
        source="no outside finance (seed 002)",
    ),
)
_MONITORING = Parameter(
    "m",
    "m",
    "bank's monitoring cost per loan",
    "money",
    0,
    _INF,
    default=2,
    source="illustrative: post-loan monitoring costs 1–3 % of the principal",
)

#: The parameter table of :func:`lending_game` (``m`` is used by the inspection variant only).
LENDING_INFO = ModelInfo(
    "lending_game",
    "bank × SME lending game with strategic default, collateral and legal enforcement",
    _PARAMETERS + (_MONITORING,),
    (
        "Stiglitz, J. E. and Weiss, A. (1981). Credit rationing in markets with imperfect "
        "information. American Economic Review 71(3): 393-410.",
        "Avenhaus, R., von Stengel, B. and Zamir, S. (2002). Inspection games. Handbook of "
        "Game Theory vol. 3, ch. 51.",
        "Fudenberg, D. and Tirole, J. (1991). Game Theory, ch. 5. MIT Press.",
    ),
)


def _resolve(given: dict[str, Any], symbolic: Any, inspection: bool):
    info = (
        LENDING_INFO
        if inspection
        else ModelInfo(
            LENDING_INFO.factory, LENDING_INFO.title, _PARAMETERS, LENDING_INFO.references
        )
    )
    if not inspection and given.get("m") is not None:
        raise ParameterError(
            f"monitoring cost m is {given['m']!r}, but m is used only by lending_game(inspection=True)"
        )
    given = {k: v for k, v in given.items() if k != "m" or inspection}
    values, symbols = resolve_parameters(info, given, symbolic)
    v = values
    check_at_most("C", v["C"], (1 + v["r"]) * v["L"], "recoverable collateral", "the debt (1+r)L")
    return info, values, symbols


def lending_game(
    *,
    L: float | None = None,
    r: float | None = None,
    R: float | None = None,
    C: float | None = None,
    F: float | None = None,
    pi: float | None = None,
    w: float | None = None,
    m: float | None = None,
    inspection: bool = False,
    repeated: bool = False,
    symbolic: bool | str | list[str] = False,
    **repeated_options: Any,
):
    r"""The bank × SME lending game with strategic default (see the module docstring).

    Parameters
    ----------
    L : float, default 100
        Loan principal, money, in :math:`(0, \infty)`.
    r : float, default 0.06
        Interest rate per loan period, in :math:`(0, 1]` (PBoC one-year benchmark 2012–2014).
    R : float, default 130
        Gross project return at maturity, money, :math:`\ge 0`.
    C : float, default 70
        Recoverable collateral, money, in :math:`[0, (1+r)L]`.
    F : float, default 50
        Legal penalty on a caught strategic default, money, :math:`\ge 0`.
    pi : float, default 0.5
        Enforcement probability, in :math:`[0, 1]`.
    w : float, default 0
        SME's outside option when refused, money, :math:`\ge 0`.
    m : float, default 2
        Bank's monitoring cost (``inspection=True`` only), money, :math:`\ge 0`.
    inspection : bool, default False
        Return the inspection game (monitor / not monitor × repay / default).
    repeated : bool, default False
        Return :class:`alliance.games.repeated.RepeatedGame` of the stage game with
        cooperation ``(lend, repay)`` and, after a default, exclusion from credit: the
        punishment profile ``(refuse, default)`` forever (grim trigger; override with
        ``punishment=``, ``strategy=``, ``detection=``...).
    symbolic : bool, str or list of str, default False
        ``True`` keeps every parameter symbolic; a name or list of names keeps only those.
    **repeated_options
        Passed to ``RepeatedGame`` when ``repeated=True``.

    Returns
    -------
    NormalFormGame or RepeatedGame
        Players ``("Bank", "SME")``; strategies ``("lend", "refuse") × ("repay", "default")``
        (``("monitor", "not monitor")`` for the bank in the inspection game). The parameter
        table is attached as ``model_info``.

    Raises
    ------
    ParameterError
        A value outside its range (the message names the parameter), ``C > (1+r)L``, or
        ``m`` without ``inspection=True``.

    Notes
    -----
    Equilibria at the defaults (:math:`(1+r)L = 106 > \pi(C+F) = 60`: weak enforcement):

    * stage game: the SME defaults, so the bank refuses. The equilibria form one component:
      the bank refuses and the SME defaults with probability at least
      :math:`rL / (rL + L - \pi C) = 6/71`, with extreme points ``(refuse, default)`` and
      ``(refuse, 65/71 repay + 6/71 default)``.
    * inspection game: the unique equilibrium is mixed, the bank monitors with probability
      :math:`p^* = 46/60 = 23/30` and the SME defaults with probability :math:`q^* = 2/35`.
    * repeated game: :math:`\delta^* = 46/70 = 23/35`.

    Examples
    --------
    >>> from alliance.models import lending_game
    >>> g = lending_game()
    >>> g.pure_equilibria()
    [Equilibrium(Bank: refuse; SME: default | payoffs 0, 0) [pure, exact]]
    >>> [e.supports for e in lending_game(pi=0.9, F=60).pure_equilibria()]
    [(('lend',), ('repay',)), (('refuse',), ('default',))]
    >>> repayment_condition(symbolic=True)
    pi*(C + F) >= L*(r + 1)
    >>> inspection_equilibrium()
    {'monitor': 23/30, 'default': 2/35}
    >>> lending_game(repeated=True).critical_discount().value
    Fraction(23, 35)

    References
    ----------
    Stiglitz and Weiss (1981), *American Economic Review* 71(3); Avenhaus, von Stengel and
    Zamir (2002), *Handbook of Game Theory* 3, ch. 51; Fudenberg and Tirole (1991), *Game
    Theory*, ch. 5.
    """
    given = dict(L=L, r=r, R=R, C=C, F=F, pi=pi, w=w, m=m)
    if repeated_options and not repeated:
        raise ParameterError(
            f"unknown argument(s) {', '.join(sorted(repeated_options))} of lending_game "
            "(extra options are passed to RepeatedGame only with repeated=True)"
        )
    info, v, symbols = _resolve(given, symbolic, inspection)
    L_, r_, R_, C_, F_, pi_, w_ = (v[k] for k in ("L", "r", "R", "C", "F", "pi", "w"))
    debt = (1 + r_) * L_
    if inspection:
        m_ = v["m"]
        payoffs = {
            ("monitor", "repay"): (r_ * L_ - m_, R_ - debt),
            ("monitor", "default"): (C_ - L_ - m_, R_ - C_ - F_),
            ("not monitor", "repay"): (r_ * L_, R_ - debt),
            ("not monitor", "default"): (pi_ * C_ - L_, R_ - pi_ * (C_ + F_)),
        }
        title = "inspection lending game"
    else:
        payoffs = {
            ("lend", "repay"): (r_ * L_, R_ - debt),
            ("lend", "default"): (pi_ * C_ - L_, R_ - pi_ * (C_ + F_)),
            ("refuse", "repay"): (sp.Integer(0), w_),
            ("refuse", "default"): (sp.Integer(0), w_),
        }
        title = "lending game"
    game = NormalFormGame.from_payoffs(payoffs, players=("Bank", "SME"), title=title)
    declare_ranges(game, info, symbols)
    attach_info(game, info.with_values(v))
    if not repeated:
        return game
    if inspection:
        raise ParameterError("repeated=True needs the lending stage game; use inspection=False")
    from alliance.games.repeated import RepeatedGame

    options = {"punishment": ("refuse", "default"), "strategy": "grim", **repeated_options}
    rg = RepeatedGame(game, cooperate=("lend", "repay"), **options)
    try:
        attach_info(rg, info.with_values(v))
    except AttributeError:  # a RepeatedGame with __slots__ keeps the table on its stage game
        pass
    return rg


def _values(symbolic: Any, inspection: bool = False, **given: Any) -> dict[str, sp.Expr]:
    return _resolve(given, symbolic, inspection)[1]


def repayment_condition(*, symbolic: bool | str | list[str] = False, **params: Any):
    r"""The SME's repayment condition :math:`(1+r)L \le \pi (C + F)`.

    Takes the parameters of :func:`lending_game` (``L, r, C, F, pi``; others are checked and
    ignored). Returns a SymPy relation when some parameter is symbolic, else a ``bool``.

    Examples
    --------
    >>> repayment_condition()
    False
    >>> repayment_condition(pi=1, F=60)
    True
    >>> repayment_condition(symbolic=["pi"])
    120*pi >= 106
    """
    v = _values(symbolic, **params)
    rel = sp.Ge(v["pi"] * (v["C"] + v["F"]), (1 + v["r"]) * v["L"])
    return bool(rel) if rel in (sp.true, sp.false) else rel


def inspection_equilibrium(*, symbolic: bool | str | list[str] = False, **params: Any) -> dict:
    r"""The mixed equilibrium of the inspection variant, in closed form.

    :math:`p^* = \frac{(1+r)L - \pi(C+F)}{(1-\pi)(C+F)}` (bank monitors) and
    :math:`q^* = \frac{m}{(1-\pi)C}` (SME defaults). It is the unique equilibrium when both lie
    strictly between 0 and 1; the formulas are returned whatever their values (check
    ``0 < p < 1`` yourself when sweeping parameters).

    Examples
    --------
    >>> inspection_equilibrium(m=1)
    {'monitor': 23/30, 'default': 1/35}
    """
    v = _values(symbolic, inspection=True, **params)
    debt = (1 + v["r"]) * v["L"]
    stake = v["C"] + v["F"]
    monitor = sp.simplify((debt - v["pi"] * stake) / ((1 - v["pi"]) * stake))
    default = sp.simplify(v["m"] / ((1 - v["pi"]) * v["C"]))
    return {"monitor": monitor, "default": default}


def lending_critical_discount(
    *, symbolic: bool | str | list[str] = False, **params: Any
) -> sp.Expr:
    r"""Critical discount factor :math:`\delta^*` of the repeated lending game (Nash reversion).

    :math:`\delta^* = \frac{T - C_c}{T - P}` with the SME's temptation
    :math:`T = R - \pi(C+F)`, cooperation payoff :math:`C_c = R - (1+r)L` and punishment
    :math:`P = w`; the bank never gains from deviating (lending to a repaying SME pays
    :math:`rL > 0`). Values :math:`\le 0` mean the SME repays even in one shot.

    Examples
    --------
    >>> lending_critical_discount()
    23/35
    """
    v = _values(symbolic, **params)
    temptation = v["R"] - v["pi"] * (v["C"] + v["F"])
    cooperation = v["R"] - (1 + v["r"]) * v["L"]
    return sp.simplify((temptation - cooperation) / (temptation - v["w"]))


lending_game.model_info = LENDING_INFO  # type: ignore[attr-defined]
