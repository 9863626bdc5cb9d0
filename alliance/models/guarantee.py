r"""The guaranteed-loan game: bank × guarantor × SME (× government), three guarantee modes.

Seed 000 distinguishes three Chinese SME credit-guarantee modes — **policy** (a state-funded
guarantor backed by government risk compensation), **business** (a for-profit guarantor
that charges a fee and can fail) and **mutual** (SMEs fund their own guarantor and monitor
each other) — and seed 001 the three risks a bank runs on a guaranteed loan: **credit risk**
(the SME defaults, involuntarily or on purpose), **operational risk** (the guarantee is void:
an unqualified guarantor, a forged signature or stamp) and **guarantor risk** (the guarantor
cannot pay). This module puts all of them in one game.

The loan :math:`L` is made at rate :math:`r`; the debt is :math:`D = (1 + r)L`.

Players and strategies
----------------------
* **Bank**: *verify* the guarantee (cost :math:`c_v`) or *not verify*; an unverified
  guarantee is void with probability :math:`q` (operational risk).
* **Guarantor**: *review* the SME (cost :math:`e`; in the mutual mode peer monitoring at cost
  :math:`e_m`) or *not review*; review lowers the probability that the project fails from
  :math:`p_N` to :math:`p_R` (credit risk).
* **SME**: *repay* when its project succeeds, or *default* strategically: keep the return
  :math:`R`, and with the enforcement probability :math:`\pi` lose the counter-guarantee
  :math:`K` and pay the legal penalty :math:`F` (in the mutual mode also the members' social
  sanction :math:`S`). A failed project (probability :math:`p`) defaults involuntarily and
  loses :math:`K` with probability :math:`\pi`.
* **Government** (policy mode only): *compensate* — reimburse the share :math:`\gamma` of the
  guarantor's net losses, pay the fee subsidy :math:`\phi L` and stand behind the guarantor so
  that it cannot fail — or *not compensate*, in which case the guarantor fails on a claim with
  probability :math:`\lambda` and the state bears the social cost :math:`H` of the failure.

Payoffs
-------
With :math:`p = p_R` or :math:`p_N` (review or not), the default probability of the loan
:math:`d = p + (1 - p)\,\mathbb 1[\text{default}]`, the guarantee's validity
:math:`v = 1` or :math:`1 - q` (verify or not), the guarantor's solvency :math:`\sigma = 1`
when the government compensates and :math:`1 - \lambda` otherwise, and the guarantor's net
loss on a paid claim :math:`N = (1 - s)D - \pi K` (it pays its share :math:`1 - s` of the debt
and recovers the counter-guarantee with probability :math:`\pi`):

.. math::

    u_B &= (1 - d)\, rL + d\,[-L + v\sigma (1 - s) D + (1 - v\sigma)\pi K] - c_v\,\mathbb 1[\text{verify}]\\
    u_G &= fL - e\,\mathbb 1[\text{review}] - d\, v \sigma N (1 - \gamma\,\mathbb 1[\text{comp.}])
           + \phi L\,\mathbb 1[\text{comp.}]\\
    u_S &= (1 - p)\,[R - D \text{ or } R - \pi (K + F) - S] - p\,\pi K - fL\\
    u_{Gov} &= -\mathbb 1[\text{comp.}]\,(\phi L + d\,\gamma v N)
               - \mathbb 1[\text{not comp.}]\, d\, v \lambda H

(when the guarantee does not pay, the bank pursues the borrower's pledged assets itself).
The SME repays iff :math:`D \le \pi (K + F) + S`, whatever the others do; the guarantor
reviews iff :math:`e \le (p_N - p_R) v \sigma N (1 - \gamma\,\mathbb 1[\text{comp.}])` when
the SME repays (review is worthless against a strategic defaulter); the bank verifies iff
:math:`c_v \le d\, q\, \sigma N`.

Cost to the government
----------------------
:func:`cost_to_government` gives the state's expected cost at any (mixed) profile:

.. math::

    C_{Gov} = x_G\,(\phi L + \gamma\, \bar d\, \bar v N) + (1 - x_G)\, \bar d\, \bar v \lambda H,
    \quad \bar d = \bar p + (1 - \bar p) x_D,\ \bar p = p_N - x_R (p_N - p_R),\
    \bar v = 1 - q (1 - x_V),

with :math:`x_V, x_R, x_D, x_G` the probabilities of verify, review, default and compensate.
It equals minus the government's payoff.

Equilibria at the defaults
--------------------------
Enforcement is weak (:math:`\pi(K+F) = 96 < D = 106`), so without social sanctions the SME
defaults strategically:

* ``mode="business"``: unique equilibrium (verify, not review, default); the bank loses
  :math:`17.24` per loan, so a business guarantee does not make lending viable here.
* ``mode="policy"``: unique equilibrium (verify, not review, default, compensate); the
  government pays :math:`\phi L + \gamma N = 0.5 + 18.4 = 18.9` per loan.
* ``mode="mutual"``: the social sanction :math:`S = 20` makes the SME repay
  (:math:`96 + 20 \ge 106`); unique equilibrium (not verify, review, repay): peer monitoring is
  cheap enough to pay, and with a reviewed borrower verification is not worth its cost.

This is seed 000's conclusion in miniature: the policy mode keeps the guarantee alive at the
state's expense, and the mutual mode is the self-sustaining one.

References
----------
Beck, T., Klapper, L. F. and Mendoza, J. C. (2010). The typology of partial credit guarantee
funds around the world. *Journal of Financial Stability* 6(1): 10–25.

Honohan, P. (2010). Partial credit guarantees: principles and practice. *Journal of
Financial Stability* 6(1): 1–9.

State Council of China (2015). Opinions on promoting the accelerated development of the
financing guarantee industry (Guofa [2015] No. 43): bank–guarantor risk sharing, the
"4-2-2-2" split (guarantor 40 %, national fund 20 %, provincial re-guarantee 20 %, bank 20 %).
"""

from __future__ import annotations

import itertools
import math
from typing import Any, Literal

import sympy as sp

from alliance.errors import ParameterError
from alliance.games.normal_form import NormalFormGame
from alliance.models._params import (
    INTEREST_RATE,
    LOAN_PRINCIPAL,
    ModelInfo,
    Parameter,
    as_exact,
    attach_info,
    check_at_most,
    declare_ranges,
    resolve_parameters,
)

__all__ = ["guarantee_game", "cost_to_government", "GUARANTEE_INFO", "MODES"]

MODES = ("policy", "business", "mutual")
_INF = math.inf
_POLICY = ("policy",)
_MUTUAL = ("mutual",)
_NOT_MUTUAL = ("policy", "business")

_PARAMETERS = (
    LOAN_PRINCIPAL,
    INTEREST_RATE,
    Parameter(
        "R",
        "R",
        "gross project return when the project succeeds",
        "money",
        0,
        _INF,
        default=130,
        source="illustrative: 30 % gross return",
    ),
    Parameter(
        "f",
        "f",
        "guarantee fee (mutual mode: contribution to the fund)",
        "rate",
        0,
        1,
        default=0.02,
        source="Chinese guarantee fees of 1–3 % a year (Guofa [2015] No. 43 "
        "asks policy guarantors to stay near or below 2 %)",
    ),
    Parameter(
        "s",
        "s",
        "bank's share of a guaranteed loss (risk-sharing ratio)",
        "share",
        0,
        1,
        default=0.2,
        source="Chinese bank–guarantor risk sharing: bank 20 %, guarantor "
        "side 80 % (Guofa [2015] No. 43; the 4-2-2-2 model)",
    ),
    Parameter(
        "q",
        "q",
        "probability an unverified guarantee is void (operational risk)",
        "probability",
        0,
        1,
        default=0.1,
        source="illustrative (seed 001)",
    ),
    Parameter(
        "c_v",
        "c_v",
        "bank's cost of verifying the guarantee",
        "money",
        0,
        _INF,
        default=0.2,
        source="illustrative: checking licence, signature and seal, 0.2 % of L",
    ),
    Parameter(
        "p_N",
        "p_N",
        "probability the project fails without review",
        "probability",
        0,
        1,
        default=0.08,
        source="illustrative SME default rate",
    ),
    Parameter(
        "p_R",
        "p_R",
        "probability the project fails after review (at most p_N)",
        "probability",
        0,
        1,
        default=0.04,
        source="illustrative: review halves it",
    ),
    Parameter(
        "e",
        "e",
        "guarantor's review cost",
        "money",
        0,
        _INF,
        default=1,
        source="illustrative: 1 % of L",
        modes=_NOT_MUTUAL,
    ),
    Parameter(
        "e_m",
        "e_m",
        "members' peer-monitoring cost",
        "money",
        0,
        _INF,
        default=0.3,
        source="illustrative: peers know each other (Stiglitz 1990)",
        modes=_MUTUAL,
    ),
    Parameter(
        "K",
        "K",
        "counter-guarantee pledged to the guarantor (at most (1-s)(1+r)L)",
        "money",
        0,
        _INF,
        default=60,
        source="illustrative: counter-guarantees of 50–100 % "
        "of the guarantor's exposure are usual in China",
    ),
    Parameter(
        "pi",
        r"\pi",
        "enforcement probability",
        "probability",
        0,
        1,
        default=0.8,
        source="illustrative (seed 002)",
    ),
    Parameter(
        "F",
        "F",
        "legal penalty on a strategic default",
        "money",
        0,
        _INF,
        default=60,
        source="illustrative: fines and credit-register blacklisting",
    ),
    Parameter(
        "lam",
        r"\lambda",
        "probability the guarantor fails on a claim (guarantor risk)",
        "probability",
        0,
        1,
        default=0.05,
        source="illustrative (seed 001)",
    ),
    Parameter(
        "S",
        "S",
        "social sanction on a member who defaults strategically",
        "money",
        0,
        _INF,
        default=20,
        source="illustrative (Besley and Coate 1995)",
        modes=_MUTUAL,
    ),
    Parameter(
        "gamma",
        r"\gamma",
        "share of the guarantor's net loss the government reimburses",
        "share",
        0,
        1,
        default=0.5,
        source="4-2-2-2 model: the state funds bear 40 % of "
        "the loss, half of the guarantor side's 80 %",
        modes=_POLICY,
    ),
    Parameter(
        "phi",
        r"\phi",
        "government fee subsidy to the guarantor",
        "rate",
        0,
        1,
        default=0.005,
        source="illustrative: 0.5 % of L",
        modes=_POLICY,
    ),
    Parameter(
        "H",
        "H",
        "social cost to the state of a guarantor's failure",
        "money",
        0,
        _INF,
        default=1000,
        source="illustrative: with the leverage cap of 10, a failed "
        "guarantor's capital backed ten loans like this one",
        modes=_POLICY,
    ),
)

#: The parameter table of :func:`guarantee_game` (every mode; see ``Parameter.modes``).
GUARANTEE_INFO = ModelInfo(
    "guarantee_game",
    "bank × guarantor × SME (× government) guaranteed-loan game, policy/business/mutual",
    _PARAMETERS,
    (
        "Beck, T., Klapper, L. F. and Mendoza, J. C. (2010). The typology of partial credit "
        "guarantee funds around the world. Journal of Financial Stability 6(1): 10-25.",
        "Honohan, P. (2010). Partial credit guarantees: principles and practice. Journal of "
        "Financial Stability 6(1): 1-9.",
        "State Council of China (2015). Guofa [2015] No. 43 on the financing guarantee industry.",
    ),
)


def _mode_info(mode: str) -> ModelInfo:
    if mode not in MODES:
        raise ParameterError(f"mode is {mode!r}; it must be one of {', '.join(MODES)}")
    return GUARANTEE_INFO.for_mode(mode)


def _resolve(mode: str, given: dict[str, Any], symbolic: Any):
    info = _mode_info(mode)
    given = {k: v for k, v in given.items() if v is not None}
    values, symbols = resolve_parameters(info, given, symbolic)
    v = values
    debt = (1 + v["r"]) * v["L"]
    check_at_most(
        "K",
        v["K"],
        (1 - v["s"]) * debt,
        "counter-guarantee",
        "the guarantor's exposure (1-s)(1+r)L",
    )
    check_at_most("p_R", v["p_R"], v["p_N"], "failure probability after review", "p_N")
    return info, values, symbols


def _payoffs(mode: str, v: dict[str, sp.Expr], verify, review, default, compensate) -> tuple:
    """The payoffs of one profile; the strategy flags may be 0/1 or probabilities (multilinear)."""
    L, r, R, f, s, q = v["L"], v["r"], v["R"], v["f"], v["s"], v["q"]
    debt = (1 + r) * L
    net_loss = (1 - s) * debt - v["pi"] * v["K"]
    p = v["p_N"] - review * (v["p_N"] - v["p_R"])
    d = p + (1 - p) * default
    valid = 1 - q * (1 - verify)
    policy = mode == "policy"
    comp = compensate if policy else 0
    lam = v["lam"]
    # solvency is 1 under compensation, 1 - lam otherwise; multilinear in the flags
    solvent = 1 - lam * (1 - comp)
    review_cost = v["e_m"] if mode == "mutual" else v["e"]
    sanction = v["S"] if mode == "mutual" else 0
    pk = v["pi"] * v["K"]
    bank = (
        (1 - d) * r * L
        + d * (-L + valid * solvent * (1 - s) * debt + (1 - valid * solvent) * pk)
        - v["c_v"] * verify
    )
    gamma = v["gamma"] if policy else 0
    phi = v["phi"] if policy else 0
    guarantor = (
        f * L
        - review_cost * review
        - d * valid * solvent * net_loss * (1 - gamma * comp)
        + phi * L * comp
    )
    success = R - debt + default * (debt - v["pi"] * (v["K"] + v["F"]) - sanction)
    sme = (1 - p) * success - p * pk - f * L
    out = [bank, guarantor, sme]
    if policy:
        out.append(-_government_cost(v, d, valid, comp, net_loss))
    return tuple(sp.expand(x) for x in out)


def _government_cost(v, d, valid, comp, net_loss):
    return (
        comp * (v["phi"] * v["L"] + v["gamma"] * d * valid * net_loss)
        + (1 - comp) * d * valid * v["lam"] * v["H"]
    )


def guarantee_game(
    mode: Literal["policy", "business", "mutual"] = "business",
    *,
    symbolic: bool | str | list[str] = False,
    **params: float,
) -> NormalFormGame:
    r"""The guaranteed-loan game in one of the three guarantee modes of seed 000.

    See the module docstring for the players, the payoff formulas and the conditions.

    Parameters
    ----------
    mode : {"business", "policy", "mutual"}
        ``"policy"`` adds the government as a fourth player.
    symbolic : bool, str or list of str, default False
        ``True`` keeps every parameter symbolic; a name or list of names keeps only those.
    **params
        Parameter values (defaults, units and ranges in ``describe(guarantee_game)``):
        ``L`` (100), ``r`` (0.06), ``R`` (130), ``f`` (0.02), ``s`` (0.2), ``q`` (0.1),
        ``c_v`` (0.2), ``p_N`` (0.08), ``p_R`` (0.04, at most ``p_N``), ``K`` (60, at most
        :math:`(1-s)(1+r)L`), ``pi`` (0.8), ``F`` (60), ``lam`` (0.05); ``e`` (1) in the policy
        and business modes; ``e_m`` (0.3) and ``S`` (20) in the mutual mode; ``gamma`` (0.5),
        ``phi`` (0.005) and ``H`` (1000) in the policy mode. Probabilities and shares lie in
        [0, 1]; money amounts are non-negative.

    Returns
    -------
    NormalFormGame
        Players ``("Bank", "Guarantor", "SME")`` and ``"Government"`` in the policy mode;
        strategies ``("verify", "not verify")``, ``("review", "not review")``,
        ``("repay", "default")``, ``("compensate", "not compensate")``. The mode's parameter
        table is attached as ``model_info``.

    Raises
    ------
    ParameterError
        An unknown mode, a parameter the mode does not use, a value outside its range, or
        ``K > (1-s)(1+r)L``, ``p_R > p_N``.

    Examples
    --------
    >>> from alliance.models import guarantee_game
    >>> [e.supports for e in guarantee_game("mutual").pure_equilibria()]
    [(('not verify',), ('review',), ('repay',))]
    >>> policy = guarantee_game("policy")
    >>> [e.supports for e in policy.pure_equilibria()]
    [(('verify',), ('not review',), ('default',), ('compensate',))]
    >>> cost_to_government(verify=1, review=0, default=1, compensate=1)
    189/10

    References
    ----------
    Beck, Klapper and Mendoza (2010), *Journal of Financial Stability* 6(1); Honohan (2010),
    *Journal of Financial Stability* 6(1); State Council of China (2015), Guofa No. 43.
    """
    info, v, symbols = _resolve(mode, params, symbolic)
    strategies = [("verify", "not verify"), ("review", "not review"), ("repay", "default")]
    players = ["Bank", "Guarantor", "SME"]
    if mode == "policy":
        strategies.append(("compensate", "not compensate"))
        players.append("Government")
    table = {}
    for profile in itertools.product(*strategies):
        flags = [
            sp.Integer(1 if choice == options[0] else 0)
            for choice, options in zip(profile, strategies, strict=True)
        ]
        verify, review, repay = flags[:3]
        compensate = flags[3] if mode == "policy" else sp.Integer(0)
        table[profile] = _payoffs(mode, v, verify, review, 1 - repay, compensate)
    game = NormalFormGame.from_payoffs(
        table, players=players, strategies=strategies, title=f"{mode} guarantee game"
    )
    declare_ranges(game, info, symbols)
    attach_info(game, info.with_values(v))
    return game


def cost_to_government(
    *,
    verify: Any = None,
    review: Any = None,
    default: Any = None,
    compensate: Any = None,
    symbolic: bool | str | list[str] = False,
    **params: float,
) -> sp.Expr:
    r"""The state's expected cost per loan in the policy mode (minus the government's payoff).

    .. math::

        C_{Gov} = x_G\,(\phi L + \gamma\, \bar d\, \bar v N) + (1 - x_G)\, \bar d\, \bar v \lambda H

    with :math:`N = (1-s)(1+r)L - \pi K`, :math:`\bar p = p_N - x_R (p_N - p_R)`,
    :math:`\bar d = \bar p + (1-\bar p) x_D` and :math:`\bar v = 1 - q(1 - x_V)`.

    Parameters
    ----------
    verify, review, default, compensate : float in [0, 1], optional
        The probabilities :math:`x_V, x_R, x_D, x_G` that the bank verifies, the guarantor
        reviews, the SME defaults strategically and the government compensates. ``None``
        leaves that probability as a SymPy symbol (``x_V``, ``x_R``, ``x_D``, ``x_G``).
    symbolic : bool, str or list of str
        Parameters kept symbolic, as in :func:`guarantee_game`.
    **params
        The policy mode's parameters.

    Returns
    -------
    sympy.Expr
        A number when everything is numeric.

    Examples
    --------
    >>> cost_to_government(verify=1, review=1, default=0, compensate=1)
    309/250
    >>> cost_to_government(compensate=0, default=1, verify=1, review=0, symbolic=["H"])
    H/20
    """
    _, v, _ = _resolve("policy", params, symbolic)
    probs = {}
    for name, value, label in (
        ("verify", verify, "x_V"),
        ("review", review, "x_R"),
        ("default", default, "x_D"),
        ("compensate", compensate, "x_G"),
    ):
        if value is None:
            probs[name] = sp.Symbol(label, nonnegative=True)
        else:
            if isinstance(value, bool) or not 0 <= float(value) <= 1:
                raise ParameterError(f"probability {name} is {value!r}; it must lie in [0, 1]")
            probs[name] = as_exact(value)
    debt = (1 + v["r"]) * v["L"]
    net_loss = (1 - v["s"]) * debt - v["pi"] * v["K"]
    p = v["p_N"] - probs["review"] * (v["p_N"] - v["p_R"])
    d = p + (1 - p) * probs["default"]
    valid = 1 - v["q"] * (1 - probs["verify"])
    return sp.factor_terms(sp.expand(_government_cost(v, d, valid, probs["compensate"], net_loss)))


guarantee_game.model_info = GUARANTEE_INFO  # type: ignore[attr-defined]
