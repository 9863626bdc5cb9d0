r"""The lending game between a bank and an SME, with strategic default (seed 002).

A bank lends :math:`L` at the gross rate :math:`1 + r`; the SME's project returns :math:`R`.
The SME then repays :math:`(1 + r)L` or defaults *strategically*: it keeps :math:`R`, but
with the enforcement probability :math:`\pi` of the legal system the court seizes the
recoverable collateral :math:`C` for the bank and imposes a legal penalty :math:`F` (fines,
blacklisting in the credit register). The strength of enforcement is the legal environment
that seed 002 puts at the centre of SME finance.

**Participation.** Nobody is forced into the loan. The bank that does not lend to the SME
lends the funds elsewhere at its reservation return :math:`\rho`, earning :math:`\rho L`; the
SME may *decline* (not apply, or walk away) and take its outside option :math:`w`, informal
finance or nothing (seed 002); a refused SME gets :math:`w` too. The participation stage is
the SME's choice to apply and the bank's choice to lend: each party has a strategy that
guarantees its outside option, so in every equilibrium each earns at least that (an
equilibrium in which it earns exactly that says it stays out).

Stage game (Bank's payoff, SME's payoff), the reduced normal form of the tree *SME applies or
declines → bank lends or refuses → SME repays or defaults*:

=========  ==========================  =================================  ==========================
           repay                       default                            decline
=========  ==========================  =================================  ==========================
lend       :math:`rL`,                 :math:`\pi C - L`,                 :math:`\rho L`, :math:`w`
           :math:`R - (1+r)L`          :math:`R - \pi (C + F)`
refuse     :math:`\rho L`, :math:`w`   :math:`\rho L`, :math:`w`          :math:`\rho L`, :math:`w`
=========  ==========================  =================================  ==========================

**Repayment condition.** A lent-to SME repays iff :math:`(1 + r)L \le \pi (C + F)`: the debt
is no larger than the expected cost of default. Then, if lending beats the bank's outside
option (:math:`r \ge \rho`) and borrowing beats the SME's (:math:`R - (1+r)L \ge w`),
``(lend, repay)`` is the subgame-perfect outcome (:func:`lending_participation`). Otherwise
the SME would default and the bank refuses whenever :math:`\pi C - L < \rho L`: credit
rationing by weak enforcement.

**Inspection variant** (``inspection=True``, the loan is already made, so the
participation stage is over): the bank monitors at cost
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

**Repeated game** (``repeated=True``): after a default the bank never lends to the SME again
(it lends elsewhere, :math:`\rho L`; the SME gets :math:`w` forever: the stage equilibrium
``(refuse, default)``, which is a Nash equilibrium whenever :math:`\pi C - L \le \rho L`).
Cooperation ``(lend, repay)`` is sustained iff the discount factor is at least

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

import html
import math
from dataclasses import dataclass, field
from typing import Any

import pandas as pd
import sympy as sp

from alliance.errors import ParameterError
from alliance.games.normal_form import NormalFormGame
from alliance.games.results import format_number
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
    "lending_participation",
    "LendingParticipation",
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
    Parameter(
        "rho",
        r"\rho",
        "bank's reservation return: the rate it earns lending the funds elsewhere",
        "rate",
        0,
        1,
        default=0.03,
        source="assumption: a 3 % safe return on the bank's alternative use of the funds",
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
        ModelInfo(
            LENDING_INFO.factory,
            LENDING_INFO.title,
            tuple(p for p in LENDING_INFO.parameters if p.name not in ("w", "rho")),
            LENDING_INFO.references,
        )
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
    if inspection:
        for name in ("w", "rho"):
            if given.get(name) is not None:
                raise ParameterError(
                    f"{name} is an outside option of the participation stage, which the "
                    "inspection game (the loan is made) does not have; drop it"
                )
        given = {k: v for k, v in given.items() if k not in ("w", "rho")}
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
    rho: float | None = None,
    m: float | None = None,
    inspection: bool = False,
    repeated: bool = False,
    participation: bool = False,
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
        SME's outside option (informal finance or none), money, :math:`\ge 0`.
    rho : float, default 0.03
        Bank's reservation return (it lends elsewhere), rate, in :math:`[0, 1]`.
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
    participation : bool, default False
        Return the participation game as a tree (:class:`~alliance.games.sequential.SequentialGame`:
        the SME applies or declines, the bank lends or refuses, the SME repays or defaults),
        solved by backward induction; :func:`lending_participation` reports who takes part.
    **repeated_options
        Passed to ``RepeatedGame`` when ``repeated=True``.

    Returns
    -------
    NormalFormGame, RepeatedGame or SequentialGame
        Players ``("Bank", "SME")``; strategies ``("lend", "refuse") × ("repay", "default",
        "decline")`` (``("monitor", "not monitor") × ("repay", "default")`` in the inspection
        game, where the loan is made). The parameter table is attached as ``model_info``.

    Raises
    ------
    ParameterError
        A value outside its range (the message names the parameter), ``C > (1+r)L``, or
        ``m`` without ``inspection=True``.

    Notes
    -----
    Equilibria at the defaults (:math:`(1+r)L = 106 > \pi(C+F) = 60`: weak enforcement):

    * stage game: the SME would default, so the bank refuses and lends elsewhere (3); the SME
      gets its outside option 0. In every equilibrium the bank refuses: it stays out.
    * inspection game: the unique equilibrium is mixed, the bank monitors with probability
      :math:`p^* = 46/60 = 23/30` and the SME defaults with probability :math:`q^* = 2/35`.
    * repeated game: :math:`\delta^* = 46/70 = 23/35`.

    Examples
    --------
    >>> from alliance.models import lending_game
    >>> g = lending_game()
    >>> g.pure_equilibria()[0]
    Equilibrium(Bank: refuse; SME: default | payoffs 3, 0) [pure, exact]
    >>> {e.supports[0] for e in g.equilibria()}
    {('refuse',)}
    >>> [e.supports for e in lending_game(pi=0.9, F=60).pure_equilibria()][0]
    (('lend',), ('repay',))
    >>> lending_participation(pi=0.9, F=60)
    LendingParticipation(SME applies, Bank lends, SME repays | payoffs 6, 24; outside options 3, 0)
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
    given = dict(L=L, r=r, R=R, C=C, F=F, pi=pi, w=w, rho=rho, m=m)
    if participation and (inspection or repeated):
        raise ParameterError("participation=True builds the one-shot tree; drop inspection/repeated")
    if repeated_options and not repeated:
        raise ParameterError(
            f"unknown argument(s) {', '.join(sorted(repeated_options))} of lending_game "
            "(extra options are passed to RepeatedGame only with repeated=True)"
        )
    info, v, symbols = _resolve(given, symbolic, inspection)
    L_, r_, R_, C_, F_, pi_ = (v[k] for k in ("L", "r", "R", "C", "F", "pi"))
    w_, rho_ = v.get("w"), v.get("rho")  # absent from the inspection game
    debt = (1 + r_) * L_
    if participation:
        return _participation_tree(info, v, symbols)
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
            ("lend", "decline"): (rho_ * L_, w_),
            ("refuse", "repay"): (rho_ * L_, w_),
            ("refuse", "default"): (rho_ * L_, w_),
            ("refuse", "decline"): (rho_ * L_, w_),
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


def _participation_tree(info: ModelInfo, v: dict, symbols: dict):
    from alliance.games.sequential import Decision, Leaf, SequentialGame

    L_, r_, R_, C_, F_, pi_, w_, rho_ = (
        v[k] for k in ("L", "r", "R", "C", "F", "pi", "w", "rho")
    )
    outside = Leaf((rho_ * L_, w_))
    tree = Decision(
        "SME",
        {
            "apply": Decision(
                "Bank",
                {
                    "lend": Decision(
                        "SME",
                        {
                            "repay": Leaf((r_ * L_, R_ - (1 + r_) * L_)),
                            "default": Leaf((pi_ * C_ - L_, R_ - pi_ * (C_ + F_))),
                        },
                    ),
                    "refuse": outside,
                },
            ),
            "decline": outside,
        },
    )
    params = {name: info[name].declared_range for name in symbols}
    game = SequentialGame(
        tree, ("Bank", "SME"), params=params or None, title="lending participation game"
    )
    attach_info(game, info.with_values(v))
    return game


@dataclass(frozen=True, eq=False)
class LendingParticipation:
    r"""Who takes part in the lending game's subgame-perfect equilibrium.

    Made by :func:`lending_participation`.

    Parameters
    ----------
    sme_applies, bank_lends, sme_repays : bool or None
        The equilibrium choices on the path (``None`` for a choice off the path: the bank's
        when the SME declines, the SME's repayment when the bank refuses).
    payoffs : tuple
        (Bank, SME) equilibrium payoffs.
    outside_options : tuple
        (Bank, SME) outside options, :math:`(\rho L, w)`.
    equilibrium : SubgamePerfectEquilibrium
        The engine's backward-induction solution.

    Examples
    --------
    With the defaults the bank earns more elsewhere (:math:`\rho L = 3`) than from an SME
    that would default, so no loan is made:

    >>> lending_participation().participates
    {'Bank': False, 'SME': False}
    """

    sme_applies: bool
    bank_lends: bool | None
    sme_repays: bool | None
    payoffs: tuple
    outside_options: tuple
    equilibrium: Any = field(repr=False)

    @property
    def participates(self) -> dict:
        """Party -> whether it takes part in a loan on the equilibrium path."""
        lent = bool(self.sme_applies and self.bank_lends)
        return {"Bank": lent, "SME": lent}

    def to_frame(self) -> pd.DataFrame:
        """One row per party: equilibrium payoff, outside option, whether it takes part.

        Returns
        -------
        pandas.DataFrame
            Indexed by ``party`` (``"Bank"``, ``"SME"``).

        Examples
        --------
        >>> lending_participation().to_frame()  # doctest: +NORMALIZE_WHITESPACE
               payoff  outside_option  participates
        party
        Bank      3.0             3.0         False
        SME       0.0             0.0         False
        """
        return pd.DataFrame(
            {
                "payoff": [float(x) for x in self.payoffs],
                "outside_option": [float(x) for x in self.outside_options],
                "participates": list(self.participates.values()),
            },
            index=pd.Index(["Bank", "SME"], name="party"),
        )

    def __repr__(self) -> str:
        steps = ["SME applies" if self.sme_applies else "SME declines"]
        if self.bank_lends is not None:
            steps.append("Bank lends" if self.bank_lends else "Bank refuses")
        if self.sme_repays is not None:
            steps.append("SME repays" if self.sme_repays else "SME defaults")
        pay = ", ".join(format_number(float(x)) for x in self.payoffs)
        out = ", ".join(format_number(float(x)) for x in self.outside_options)
        return f"LendingParticipation({', '.join(steps)} | payoffs {pay}; outside options {out})"

    def _repr_html_(self) -> str:
        try:
            return f"<p>{html.escape(repr(self))}</p>" + self.to_frame().to_html()
        except Exception:  # a display hook must never raise
            return "<pre>" + html.escape(object.__repr__(self)) + "</pre>"


def lending_participation(**params: Any) -> LendingParticipation:
    r"""Who takes part: the subgame-perfect equilibrium of the participation game.

    The SME applies or declines (outside option :math:`w`), the bank lends or refuses (it
    lends elsewhere, :math:`\rho L`), the lent-to SME repays or defaults; solved by the
    engine's backward induction (ties go to taking part). Takes the numeric parameters of
    :func:`lending_game` (not ``m``).

    Parameters
    ----------
    **params : float
        Keywords of :func:`lending_game`: ``L``, ``r``, ``R``, ``C``, ``F``, ``pi``, ``w``,
        ``rho``, numbers only, with its defaults, units and ranges.

    Returns
    -------
    LendingParticipation
        The choices on the equilibrium path, payoffs and outside options.

    Raises
    ------
    ParameterError
        A value outside its range, an unknown keyword, or ``m``.

    Examples
    --------
    >>> lending_participation()
    LendingParticipation(SME applies, Bank refuses | payoffs 3, 0; outside options 3, 0)
    >>> lending_participation(pi=1, F=60, w=30).participates
    {'Bank': False, 'SME': False}
    """
    game = lending_game(participation=True, **params)
    if game.is_symbolic:  # pragma: no cover - lending_game is numeric without symbolic=
        raise ParameterError("lending_participation needs numeric parameters")
    spe = game.backward_induction()
    sme_moves = [a for p, a in spe.path if p == "SME"]
    bank_moves = [a for p, a in spe.path if p == "Bank"]
    applies = sme_moves[0] == "apply"
    lends = bank_moves[0] if bank_moves else None
    repays = None if len(sme_moves) < 2 else sme_moves[1] == "repay"
    v = game.model_info.values
    return LendingParticipation(
        applies,
        None if lends is None else lends == "lend",
        repays,
        tuple(spe.payoffs),
        (v["rho"] * v["L"], v["w"]),
        spe,
    )


def _values(symbolic: Any, inspection: bool = False, **given: Any) -> dict[str, sp.Expr]:
    return _resolve(given, symbolic, inspection)[1]


def repayment_condition(*, symbolic: bool | str | list[str] = False, **params: Any):
    r"""The SME's repayment condition :math:`(1+r)L \le \pi (C + F)`.

    Parameters
    ----------
    symbolic : bool, str or list of str, default False
        ``True`` keeps every parameter symbolic; a name or list of names keeps only those.
    **params : float
        Keywords of :func:`lending_game`, with its defaults, units and ranges: ``L``, ``r``,
        ``C``, ``F``, ``pi`` enter the condition; ``R``, ``w``, ``rho`` are checked and
        ignored.

    Returns
    -------
    bool or sympy.core.relational.Relational
        Whether a caught default costs the SME at least the repayment; a SymPy relation
        when some parameter is symbolic.

    Raises
    ------
    ParameterError
        A value outside its range or an unknown keyword.

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

    Parameters
    ----------
    symbolic : bool, str or list of str, default False
        ``True`` keeps every parameter symbolic; a name or list of names keeps only those.
    **params : float
        Keywords of :func:`lending_game`, with its defaults, units and ranges: ``L``, ``r``,
        ``C``, ``F``, ``pi`` and the monitoring cost ``m`` enter the formulas; ``R``, ``w``,
        ``rho`` are checked and ignored.

    Returns
    -------
    dict
        ``{"monitor": p*, "default": q*}``: the bank's probability of monitoring and the
        SME's probability of defaulting, exact rationals or SymPy expressions.

    Raises
    ------
    ParameterError
        A value outside its range or an unknown keyword.

    Examples
    --------
    >>> inspection_equilibrium(symbolic=["m"])
    {'monitor': 23/30, 'default': m/35}
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
    :math:`P = w`; the bank does not gain from deviating as long as lending to a repaying SME
    beats its outside option, :math:`r \ge \rho` (otherwise nothing sustains lending and the
    result is ``oo``). Values :math:`\le 0` mean the SME repays even in one shot.

    Parameters
    ----------
    symbolic : bool, str or list of str, default False
        ``True`` keeps every parameter symbolic; a name or list of names keeps only those.
    **params : float
        Keywords of :func:`lending_game` (``L``, ``r``, ``R``, ``C``, ``F``, ``pi``, ``w``,
        ``rho``), with its defaults, units and ranges.

    Returns
    -------
    sympy.Expr
        :math:`\delta^*`, a rational number, ``oo``, or an expression of the symbolic
        parameters.

    Raises
    ------
    ParameterError
        A value outside its range or an unknown keyword.

    Examples
    --------
    >>> lending_critical_discount()
    23/35
    """
    v = _values(symbolic, **params)
    bank_gain = (v["rho"] - v["r"]) * v["L"]
    if bank_gain.is_number and bank_gain > 0:
        return sp.oo
    temptation = v["R"] - v["pi"] * (v["C"] + v["F"])
    cooperation = v["R"] - (1 + v["r"]) * v["L"]
    return sp.simplify((temptation - cooperation) / (temptation - v["w"]))


lending_game.model_info = LENDING_INFO  # type: ignore[attr-defined]
