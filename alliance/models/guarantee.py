r"""The guaranteed-loan game: bank × guarantor × SME (× government), three guarantee modes.

Seed 000 distinguishes three SME credit-guarantee modes — **policy** (the state funds the
guarantor and covers its shortfalls), **business** (a for-profit guarantor that prices its
fee to earn its required return on capital) and **mutual** (the SMEs own the guarantor and
monitor each other) — and seed 001 the three risks a bank runs on a guaranteed loan:
**credit risk** (the SME defaults, involuntarily or on purpose), **operational risk** (the
guarantee is void) and **guarantor risk** (the guarantor cannot pay). Version 2 adds what a
referee asks of such a model: nobody is forced to take part, the guarantor's liability is
limited by its capital, and the modes differ by mechanism (who funds the guarantor, who owns
it, who can observe a strategic default), not by assumption.

The loan :math:`L` is made at rate :math:`r`; the debt is :math:`D = (1 + r)L` and the
guarantor's share of it, the **call** on a valid guarantee, is :math:`Q = (1 - s)D`.

Players and strategies (the stage game)
---------------------------------------
* **Bank**: *verify* the guarantee (cost :math:`c_v`) or *not verify*; an unverified
  guarantee is void with probability :math:`q` (operational risk).
* **Guarantor**: *review* the SME (cost :math:`e`) or *not review*; review lowers the
  probability that the project fails from :math:`p_N` to :math:`p_R`. In the mutual mode with
  ``monitoring=True`` the review is the members' **peer monitoring**, at cost :math:`e_m`: it
  also reveals a strategic default, which the members then punish with the sanction
  :math:`S` (without monitoring a member cannot tell a strategic default from a failure).
* **SME**: *repay* when its project succeeds (return :math:`R`), or *default* strategically:
  with the enforcement probability :math:`\pi` it loses the counter-guarantee :math:`K` and
  pays the legal penalty :math:`F` (seed 002). A failed project (probability :math:`p`)
  defaults involuntarily and loses :math:`K` with probability :math:`\pi`.
* **Government** (policy mode only): *compensate* — reimburse the share :math:`\gamma` of the
  guarantor's net loss and pay the bank what the guarantor cannot (the **bailout**) — or
  *not compensate*: the guarantor fails in its failure states and society bears the cost
  :math:`h` per unit of unpaid claims. The state funds the guarantor either way with the
  subsidy :math:`\phi L` (so the subsidy never moves a decision), and it may pay the bank an
  interest subsidy :math:`\sigma L` on a performing loan (Indonesia's KUR does).

Limited liability (every mode)
------------------------------
The guarantor's capital :math:`C` backs the guarantee. With probability :math:`\lambda`
losses elsewhere in its book have used up its capital when a claim arrives (the systemic
state): it pays nothing. Otherwise it pays :math:`P_1 = \min(Q, C)`. **It never pays more
than C.** After paying it has recourse to the counter-guarantee up to what it paid,
recovering :math:`\pi\min(K, P_1)`; the pledged assets it does not use go to whoever bears
the rest of the loss (the bank, or the state when it bails out). Per valid claim:

.. math::

    N_G &= (1-\lambda)\,[\min(Q, C) - \pi \min(K, C)]
        &&\text{(the guarantor's expected net payment)}\\
    \bar Z &= Q - (1-\lambda)\min(Q, C)
        &&\text{(expected shortfall: the call it cannot pay)}\\
    \bar K &= \lambda K + (1-\lambda)\,(K - \min(K, C))
        &&\text{(pledged assets left after its recourse)}

The **failure states** are those with a shortfall: the systemic state, and the normal state
when :math:`C < Q`. The bailout is paid in exactly those states, so its expectation is
:math:`\bar Z`.

Payoffs
-------
With :math:`p = p_R` or :math:`p_N` (review or not), the default probability
:math:`d = p + (1 - p)\,x_D`, the validity :math:`v = 1` or :math:`1 - q` (verify or not)
and :math:`x_G = 1` when the government compensates (0 in the other modes):

.. math::

    u_B &= (1 - d)\,(r + \sigma)L + d\,\big[-L + v\,\big((1-\lambda)\min(Q,C) + x_G\bar Z
           + (1 - x_G)\pi\bar K\big) + (1 - v)\pi K\big] - c_v x_V\\
    \Pi_G &= fL + \phi L - e\,x_R - d\, v\, N_G\,(1 - \gamma x_G)\\
    u_G &= (1 - \omega)\,\Pi_G, \qquad
    u_S = (1 - p)(R - D) + x_D(1-p)\,[D - \pi(K + F)] - x_R x_D (1 - p_R) S
          - p\,\pi K - fL + \omega\,\Pi_G\\
    u_{Gov} &= -\phi L - (1-d)\sigma L - x_G\, d\, v\,\big(\gamma N_G + \bar Z - \pi \bar K\big)
               - (1 - x_G)\, h\, d\, v\, \bar Z

:math:`\omega` (mutual mode, ``loss_sharing=True``) is the borrower's share of the
guarantor's profit or loss as one of its owners; it is 0 in the other modes, :math:`S` and
:math:`e_m` apply only in the mutual mode with ``monitoring=True``, and :math:`\phi, \gamma,
h` only in the policy mode, as does :math:`\sigma` (0 by default).

Participation (outside options, seed 002)
-----------------------------------------
Nobody is forced in. Outside the programme the bank lends :math:`L` elsewhere at its
reservation return :math:`\rho_B L`; the guarantor's owners invest :math:`C` at their required
return :math:`\rho_G C`; the SME borrows informally at rate :math:`r_I`, or not at all:
:math:`w_S = (1 - p_N)\max(0, R - (1 + r_I)L)`; the state spends nothing. (In the mutual mode
the borrower owns the share :math:`\omega` of the capital: its outside option adds
:math:`\omega\rho_G C`, the other members' is :math:`(1-\omega)\rho_G C`.)
:func:`solve_guarantee` solves the stage game, prices the guarantee the way the mode does
(below), and plays a participation stage before it — the guarantor underwrites or not, the
bank lends with the guarantee or elsewhere, the SME borrows with it or takes its outside
option — by backward induction on an engine :class:`~alliance.games.sequential.SequentialGame`.
The guaranteed loan is made exactly when every private party's stage payoff reaches its
outside option; otherwise everybody gets its outside option.

The modes by mechanism
----------------------
* **Business**: the guarantor's owners are investors; the fee is priced so that the expected
  profit, payouts capped at :math:`C`, equals the required return:
  :math:`f^* L = \rho_G C + e\,x_R + \bar d\,\bar v\, N_G` at the stage equilibrium.
* **Policy**: the fee :math:`f` is set by policy; the state tops up the guarantor's budget to
  its required return, :math:`\phi^* L = \max(0,\ \rho_G C + e\,x_R + \bar d\bar v N_G(1-\gamma
  x_G) - fL)`, and covers its shortfalls when it compensates. The guarantor is public: the
  state's **net outlay** (:mod:`alliance.models.welfare`) consolidates it.
* **Mutual**: the members own the guarantor — they put up :math:`C`, share its profit or loss
  (:math:`\omega`) and price their contributions at break-even like the business mode; they
  monitor each other at cost :math:`e_m`.

No decision of the stage game depends on :math:`f` or :math:`\phi` (each is paid whatever
anybody does), so pricing at the equilibrium is consistent.

The mutual advantage, derived
-----------------------------
Compare the mutual and business modes with the same parameters (same capital). The
difference of the SME's gain from a strategic default, at every profile of the others, is

.. math::

    \Delta_{\text{default}} = -(1 - p)\,\omega\, v\, N_G \;-\; x_R\,(1 - p_R)\, S
    \;\le 0

(ownership: its default raises the guarantor's payout, of which it bears :math:`\omega`;
monitoring: a monitored default is sanctioned). The guarantor's gain from reviewing is
multiplied by :math:`1-\omega > 0` (no decision changes) and its cost is :math:`e_m` instead
of :math:`e`. So the SME repays in the mutual mode on a strictly larger set of parameters,
and where both modes reach the same profile with the loan made, welfare differs by exactly
:math:`(e - e_m)\,x_R` (the share :math:`\omega` is a transfer between members). With
``monitoring=False`` and ``loss_sharing=False`` both terms vanish and the mutual game *is*
the business game: the same payoff table, equilibria, fee, outside options and state cost.

Equilibria at the defaults
--------------------------
Enforcement is weak (:math:`\pi(K+F) = 96 < D = 106`):

* ``"business"``: unique equilibrium (verify, not review, default); the bank would earn
  :math:`-17.24 < \rho_B L = 3`, so it lends elsewhere and no guaranteed loan is made.
* ``"policy"``: unique equilibrium (verify, not review, default, compensate): compensating
  costs :math:`\gamma N_G + \bar Z - \pi\bar K = 19.32` per defaulted loan against
  :math:`h\bar Z = 42.4`; the bank still loses (:math:`-15.4`) and stays out.
* ``"mutual"``: ownership (:math:`\omega N_G (1-q) \ge D - \pi(K+F)`) makes the SME repay
  whatever the others do; unique equilibrium (not verify, review, repay); everybody takes
  part.

References
----------
Beck, T., Klapper, L. F. and Mendoza, J. C. (2010). The typology of partial credit guarantee
funds around the world. *Journal of Financial Stability* 6(1): 10–25.

Honohan, P. (2010). Partial credit guarantees: principles and practice. *Journal of
Financial Stability* 6(1): 1–9.

Besley, T. and Coate, S. (1995). Group lending, repayment incentives and social collateral.
*Journal of Development Economics* 46(1): 1–18.

State Council of China (2015). Opinions on promoting the accelerated development of the
financing guarantee industry (Guofa [2015] No. 43).
"""

from __future__ import annotations

import html
import itertools
import math
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any, Literal

import numpy as np
import pandas as pd
import sympy as sp

from alliance.errors import InvalidGameError, ParameterError
from alliance.games.normal_form import NormalFormGame
from alliance.games.sequential import Decision, Leaf, SequentialGame
from alliance.models._params import (
    BANK_RESERVATION_RETURN,
    INFORMAL_RATE,
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
from alliance.numbers import to_sympy

__all__ = [
    "guarantee_game",
    "cost_to_government",
    "stage_payoffs",
    "claim_states",
    "outside_options",
    "mode_price",
    "participation_game",
    "solve_guarantee",
    "GuaranteeOutcome",
    "GUARANTEE_INFO",
    "MODES",
    "PRIVATE_PARTIES",
    "check_switches",
]

MODES = ("policy", "business", "mutual")
#: The parties that choose whether to take part, in the order they move.
PRIVATE_PARTIES = ("Guarantor", "Bank", "SME")
_INF = math.inf
_POLICY = ("policy",)
_MUTUAL = ("mutual",)

_PARAMETERS = (
    LOAN_PRINCIPAL,
    INTEREST_RATE,
    Parameter("R", "R", "gross project return when the project succeeds", "money", 0, _INF,
              default=130, source="illustrative: 30 % gross return"),
    Parameter("f", "f", "guarantee fee paid by the SME (mutual mode: contribution)", "rate", 0, 1,
              default=0.02,
              source="Chinese guarantee fees of 1–3 % a year (Guofa [2015] No. 43 asks policy "
              "guarantors to stay near or below 2 %); solve_guarantee prices it in the "
              "business and mutual modes"),
    Parameter("s", "s", "bank's share of a guaranteed loss (risk-sharing ratio)", "share", 0, 1,
              default=0.2,
              source="Chinese bank–guarantor risk sharing: bank 20 %, guarantor side 80 % "
              "(Guofa [2015] No. 43; the 4-2-2-2 model)"),
    Parameter("q", "q", "probability an unverified guarantee is void (operational risk)",
              "probability", 0, 1, default=0.1, source="illustrative (seed 001)"),
    Parameter("c_v", "c_v", "bank's cost of verifying the guarantee", "money", 0, _INF,
              default=0.2, source="illustrative: checking licence, signature and seal, 0.2 % of L"),
    Parameter("p_N", "p_N", "probability the project fails without review", "probability", 0, 1,
              default=0.08, source="illustrative SME default rate"),
    Parameter("p_R", "p_R", "probability the project fails after review (at most p_N)",
              "probability", 0, 1, default=0.04, source="illustrative: review halves it"),
    Parameter("e", "e", "guarantor's review cost (professional screening)", "money", 0, _INF,
              default=1, source="illustrative: 1 % of L"),
    Parameter("e_m", "e_m", "members' peer-monitoring cost (mutual mode with monitoring)",
              "money", 0, _INF, default=0.3,
              source="illustrative: peers know each other (Stiglitz 1990)", modes=_MUTUAL),
    Parameter("K", "K", "counter-guarantee pledged to the guarantor (at most (1-s)(1+r)L)",
              "money", 0, _INF, default=60,
              source="illustrative: counter-guarantees of 50–100 % of the guarantor's "
              "exposure are usual in China"),
    Parameter("pi", r"\pi", "enforcement probability", "probability", 0, 1, default=0.8,
              source="illustrative (seed 002)"),
    Parameter("F", "F", "legal penalty on a strategic default", "money", 0, _INF, default=60,
              source="illustrative: fines and credit-register blacklisting"),
    Parameter("C", "C", "guarantor's capital backing this guarantee (it pays at most C)",
              "money", 0, _INF, default=90,
              source="illustrative: enough to pay the call (1-s)D = 84.8 outside the "
              "systemic state; set C < (1-s)D to make limited liability bind"),
    Parameter("lam", r"\lambda",
              "probability that losses elsewhere in the guarantor's book have used up its "
              "capital when a claim arrives (systemic state: it pays nothing)",
              "probability", 0, 1, default=0.05, source="illustrative (seed 001)"),
    BANK_RESERVATION_RETURN,
    Parameter("rho_G", r"\rho_G",
              "guarantor owners' required return on capital (their outside option per unit "
              "of C)", "rate", 0, 1, default=0.02,
              source="illustrative: a 2-point premium over the safe rate its capital earns"),
    INFORMAL_RATE,
    Parameter("S", "S", "members' sanction on a monitored strategic default", "money", 0, _INF,
              default=20, source="illustrative (Besley and Coate 1995)", modes=_MUTUAL),
    Parameter("omega", r"\omega",
              "borrower's share of the guarantor's profit or loss (members own it)", "share",
              0, 1, default=0.5,
              source="illustrative: the borrower is one of two members of its mutual group",
              modes=_MUTUAL),
    Parameter("sigma", r"\sigma",
              "interest subsidy the state pays the bank on a performing loan", "rate", 0, 1,
              default=0, source="none by default; Indonesia's KUR pays one (see presets)",
              modes=_POLICY),
    Parameter("gamma", r"\gamma", "share of the guarantor's net loss the government reimburses",
              "share", 0, 1, default=0.5,
              source="4-2-2-2 model: the state funds bear 40 % of the loss, half of the "
              "guarantor side's 80 %", modes=_POLICY),
    Parameter("phi", r"\phi", "government subsidy to the guarantor (paid per loan guaranteed)",
              "rate", 0, 1, default=0.005,
              source="illustrative: 0.5 % of L; solve_guarantee sets it to the break-even "
              "top-up", modes=_POLICY),
    Parameter("h", "h",
              "social cost per unit of claims a failed guarantor leaves unpaid (if the state "
              "does not step in)", "rate", 0, _INF, default=10,
              source="illustrative: lost confidence in guarantees, contagion to other lenders",
              modes=_POLICY),
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
        "Besley, T. and Coate, S. (1995). Group lending, repayment incentives and social "
        "collateral. Journal of Development Economics 46(1): 1-18.",
        "State Council of China (2015). Guofa [2015] No. 43 on the financing guarantee industry.",
    ),
)

_STRATEGIES = (("verify", "not verify"), ("review", "not review"), ("repay", "default"))
_GOV_STRATEGIES = ("compensate", "not compensate")


def _mode_info(mode: str) -> ModelInfo:
    if mode not in MODES:
        raise ParameterError(f"mode is {mode!r}; it must be one of {', '.join(MODES)}")
    return GUARANTEE_INFO.for_mode(mode)


def check_switches(mode: str, monitoring: bool, loss_sharing: bool) -> None:
    """Refuse a mechanism switch that is not a bool, or switched off outside the mutual mode.

    Parameters
    ----------
    mode : {"business", "policy", "mutual"}
        The guarantee mode (:func:`guarantee_game`).
    monitoring, loss_sharing : bool
        The mutual mode's mechanisms.

    Raises
    ------
    ParameterError
        A switch that is not a bool, or ``False`` outside the mutual mode.

    Examples
    --------
    >>> check_switches("mutual", monitoring=False, loss_sharing=True)
    >>> check_switches("business", monitoring=False, loss_sharing=True)
    Traceback (most recent call last):
    ...
    alliance.errors.ParameterError: monitoring=False applies to the mutual mode only (mode is 'business')
    """
    for name, value in (("monitoring", monitoring), ("loss_sharing", loss_sharing)):
        if not isinstance(value, bool):
            raise ParameterError(f"{name} is {value!r}; it must be True or False")
        if mode != "mutual" and value is False:
            raise ParameterError(
                f"{name}=False applies to the mutual mode only (mode is {mode!r})"
            )


def _resolve(mode: str, given: dict[str, Any], symbolic: Any):
    info = _mode_info(mode)
    given = {k: v for k, v in given.items() if v is not None}
    values, symbols = resolve_parameters(info, given, symbolic)
    v = values
    debt = (1 + v["r"]) * v["L"]
    check_at_most("K", v["K"], (1 - v["s"]) * debt, "counter-guarantee",
                  "the guarantor's exposure (1-s)(1+r)L")
    check_at_most("p_R", v["p_R"], v["p_N"], "failure probability after review", "p_N")
    return info, values, symbols


class _Backend:
    """min/max for SymPy expressions or NumPy arrays, so one formula serves both."""

    def __init__(self, numeric: bool) -> None:
        self.min = np.minimum if numeric else sp.Min
        self.max = np.maximum if numeric else sp.Max


def _claim_terms(v: dict, backend: _Backend) -> dict:
    """The per-claim quantities of limited liability (see the module docstring)."""
    debt = (1 + v["r"]) * v["L"]
    call = (1 - v["s"]) * debt
    paid = backend.min(call, v["C"])  # normal state: never more than the capital
    used = backend.min(v["K"], v["C"])  # recourse up to what it paid (K <= call)
    lam = v["lam"]
    return {
        "debt": debt,
        "call": call,
        "paid_normal": paid,
        "net_payment": (1 - lam) * (paid - v["pi"] * used),
        "shortfall": call - (1 - lam) * paid,
        "residual_pledge": lam * v["K"] + (1 - lam) * (v["K"] - used),
    }


def claim_states(mode: str, values: dict, compensate: Any = 0) -> pd.DataFrame:
    r"""The states of a valid claim, one row each: what the guarantor, the state and the bank get.

    The states are the systemic one (probability :math:`\lambda`: the guarantor's capital is
    gone) and the normal one (:math:`1-\lambda`), each split by whether enforcement reaches
    the pledged assets (:math:`\pi`). Summing ``probability`` × a column gives the
    per-claim expectations used in the payoffs (the tests check it).

    Parameters
    ----------
    mode : str
    values : dict
        The mode's parameters (numbers).
    compensate : 0 or 1
        Whether the government compensates (policy mode).

    Returns
    -------
    pandas.DataFrame
        Columns ``probability``, ``guarantor_pays`` (never above ``C``), ``guarantor_recovers``,
        ``shortfall``, ``failure`` (shortfall > 0), ``bailout`` (the state pays the
        shortfall: only in failure states, only when compensating), ``state_recovers``,
        ``bank_receives``.

    Examples
    --------
    >>> from alliance.models.guarantee import GUARANTEE_INFO, claim_states
    >>> v = dict(GUARANTEE_INFO.for_mode("policy").defaults(), C=50)
    >>> states = claim_states("policy", v, 1).round(4)
    >>> states["guarantor_pays"].tolist(), states["bailout"].tolist()
    ([0.0, 0.0, 50.0, 50.0], [84.8, 84.8, 34.8, 34.8])
    """
    v = {k: float(x) for k, x in values.items()}
    comp = float(compensate) if mode == "policy" else 0.0
    call = (1 - v["s"]) * (1 + v["r"]) * v["L"]
    rows = {}
    for state, capital in (("systemic", 0.0), ("normal", v["C"])):
        for enforced in (True, False):
            prob = (v["lam"] if state == "systemic" else 1 - v["lam"]) * (
                v["pi"] if enforced else 1 - v["pi"]
            )
            pays = min(call, capital)
            recovers = min(v["K"], pays) if enforced else 0.0
            shortfall = call - pays
            left = (v["K"] - min(v["K"], pays)) if enforced else 0.0
            bailout = comp * shortfall
            rows[f"{state}, {'enforced' if enforced else 'not enforced'}"] = {
                "probability": prob,
                "guarantor_pays": pays,
                "guarantor_recovers": recovers,
                "shortfall": shortfall,
                "failure": shortfall > 0,
                "bailout": bailout,
                "state_recovers": comp * left,
                "bank_receives": pays + bailout + (1 - comp) * left,
            }
    return pd.DataFrame(rows).T.infer_objects()


def stage_payoffs(
    mode: str,
    values: dict,
    verify: Any,
    review: Any,
    default: Any,
    compensate: Any = 0,
    *,
    monitoring: bool = True,
    loss_sharing: bool = True,
    numeric: bool = False,
) -> dict[str, Any]:
    """The payoffs and money flows of one profile of the stage game.

    The formulas of the module docstring, written once for SymPy (``numeric=False``) and
    NumPy arrays (``numeric=True``: every value may be an array over a parameter grid).

    Parameters
    ----------
    mode : {"policy", "business", "mutual"}
    values : dict
        Every parameter of the mode, by name (numbers, SymPy expressions or arrays).
    verify, review, default, compensate : 0 or 1 (or arrays of them)
        The pure profile: bank verifies, guarantor reviews, SME defaults strategically,
        government compensates (policy mode).
    monitoring, loss_sharing : bool
        The mutual mode's mechanisms.
    numeric : bool
        Use NumPy's ``minimum``/``maximum`` instead of SymPy's ``Min``/``Max``.

    Returns
    -------
    dict
        ``Bank``, ``Guarantor``, ``SME`` (and ``Government`` in the policy mode) payoffs,
        and the flows: ``guarantor_result`` (:math:`\\Pi_G`), ``guarantor_payment`` (its
        expected payment to the bank), ``bailout`` (expected shortfall the state pays),
        ``state_recovery`` (pledged assets the state recovers), ``treasury_outlay``
        (subsidy + compensation + bailout − recoveries), ``failure_cost``
        (:math:`h` × unpaid claims when the state does not step in).

    Examples
    --------
    >>> from alliance.models.guarantee import GUARANTEE_INFO, stage_payoffs
    >>> v = GUARANTEE_INFO.for_mode("business").defaults()
    >>> out = stage_payoffs("business", v, 1, 0, 1, numeric=True)
    >>> round(float(out["Bank"]), 2), round(float(out["guarantor_payment"]), 2)
    (-17.24, 80.56)
    """
    b = _Backend(numeric)
    v = values
    t = _claim_terms(v, b)
    mutual = mode == "mutual"
    policy = mode == "policy"
    comp = compensate if policy else 0
    omega = v["omega"] if (mutual and loss_sharing) else 0
    watched = mutual and monitoring
    review_cost = v["e_m"] if watched else v["e"]
    sanction = v["S"] if watched else 0
    gamma = v["gamma"] if policy else 0
    subsidy = v["phi"] * v["L"] if policy else 0
    interest_subsidy = v["sigma"] * v["L"] if policy else 0
    L, r, pi, K = v["L"], v["r"], v["pi"], v["K"]
    p = v["p_N"] - review * (v["p_N"] - v["p_R"])
    d = p + (1 - p) * default
    valid = 1 - v["q"] * (1 - verify)
    lam = v["lam"]
    on_valid = (1 - lam) * t["paid_normal"] + comp * t["shortfall"] + (1 - comp) * pi * t[
        "residual_pledge"
    ]
    bank = (
        (1 - d) * (r * L + interest_subsidy)
        + d * (-L + valid * on_valid + (1 - valid) * pi * K)
        - v["c_v"] * verify
    )
    claims = d * valid
    result = (
        v["f"] * L + subsidy - review_cost * review - claims * t["net_payment"] * (1 - gamma * comp)
    )
    # (1 - p) * review is (1 - p_R) * review at a pure profile: written so, it stays multilinear
    sme = (
        (1 - p) * (v["R"] - t["debt"])
        + default * (1 - p) * (t["debt"] - pi * (K + v["F"]))
        - review * default * (1 - v["p_R"]) * sanction
        - p * pi * K
        - v["f"] * L
        + omega * result
    )
    out = {
        "Bank": bank,
        "Guarantor": (1 - omega) * result,
        "SME": sme,
        "guarantor_result": result,
        "guarantor_payment": claims * (1 - lam) * t["paid_normal"],
        "bailout": comp * claims * t["shortfall"],
        "state_recovery": comp * claims * pi * t["residual_pledge"],
        "compensation": comp * claims * gamma * t["net_payment"],
        "subsidy": subsidy,
        "interest_subsidy": (1 - d) * interest_subsidy,
        "failure_cost": (v["h"] * (1 - comp) * claims * t["shortfall"]) if policy else 0,
    }
    out["treasury_outlay"] = (
        out["subsidy"]
        + out["interest_subsidy"]
        + out["compensation"]
        + out["bailout"]
        - out["state_recovery"]
    )
    if policy:
        out["Government"] = -out["treasury_outlay"] - out["failure_cost"]
    return out


def outside_options(
    mode: str, values: dict, *, loss_sharing: bool = True, numeric: bool = False
) -> dict[str, Any]:
    """Each party's payoff if it does not take part (module docstring, "Participation").

    Parameters
    ----------
    mode : {"business", "policy", "mutual"}
        The guarantee mode (:func:`guarantee_game`).
    values : dict
        Every parameter of the mode (e.g. ``GUARANTEE_INFO.for_mode(mode).defaults()``).
    loss_sharing : bool, default True
        The mutual mode's loss sharing (the SME's outside option then omits its share).
    numeric : bool, default False
        Evaluate with floats (NumPy) instead of SymPy.

    Returns
    -------
    dict
        Party -> outside option, money per loan.

    Examples
    --------
    >>> from alliance.models.guarantee import GUARANTEE_INFO, outside_options
    >>> v = GUARANTEE_INFO.for_mode("business").defaults()
    >>> {k: round(float(x), 2) for k, x in outside_options("business", v, numeric=True).items()}
    {'Guarantor': 1.8, 'Bank': 3.0, 'SME': 9.2}
    """
    b = _Backend(numeric)
    v = values
    informal = (1 - v["p_N"]) * b.max(0, v["R"] - (1 + v["r_I"]) * v["L"])
    capital = v["rho_G"] * v["C"]
    omega = v["omega"] if (mode == "mutual" and loss_sharing) else 0
    out = {
        "Guarantor": (1 - omega) * capital,
        "Bank": v["rho_B"] * v["L"],
        "SME": informal + omega * capital,
    }
    if mode == "policy":
        out["Government"] = 0 * capital
    return out


def mode_price(
    mode: str,
    values: dict,
    verify: Any,
    review: Any,
    default: Any,
    compensate: Any = 0,
    *,
    monitoring: bool = True,
    numeric: bool = False,
) -> Any:
    r"""The price the mode sets at a (mixed) profile: the fee rate, or the policy subsidy rate.

    Business and mutual: the fee :math:`f^*` at which the guarantor's expected result equals
    :math:`\rho_G C`. Policy: the subsidy :math:`\phi^* \ge 0` that tops the guarantor's
    budget up to :math:`\rho_G C` at the policy fee :math:`f`. The probabilities may be
    fractions (the result is multilinear in them).

    Parameters
    ----------
    mode : {"business", "policy", "mutual"}
        The guarantee mode (:func:`guarantee_game`).
    values : dict
        Every parameter of the mode.
    verify, review, default, compensate : number or sympy.Expr
        Probabilities in [0, 1] that the guarantor verifies, the bank reviews, the SME
        defaults and (policy mode) the government compensates.
    monitoring : bool, default True
        The mutual mode's peer monitoring.
    numeric : bool, default False
        Evaluate with floats (NumPy) instead of SymPy.

    Returns
    -------
    number or sympy.Expr
        The fee rate (business, mutual) or the subsidy rate (policy), per unit of debt.

    Examples
    --------
    >>> from alliance.models.guarantee import GUARANTEE_INFO, mode_price
    >>> v = GUARANTEE_INFO.for_mode("mutual").defaults()
    >>> round(float(mode_price("mutual", v, 0, 1, 0, numeric=True)), 6)
    0.033586
    """
    b = _Backend(numeric)
    v = dict(values)
    v["f"] = 0 * v["L"]
    if mode == "policy":
        v["phi"] = 0 * v["L"]
    base = stage_payoffs(mode, v, verify, review, default, compensate,
                         monitoring=monitoring, loss_sharing=False, numeric=numeric)
    gap = (v["rho_G"] * v["C"] - base["guarantor_result"]) / v["L"]
    if mode == "policy":
        return b.max(0, gap - values["f"])
    return gap


# ------------------------------------------------------------------------------ the game
def guarantee_game(
    mode: Literal["policy", "business", "mutual"] = "business",
    *,
    symbolic: bool | str | list[str] = False,
    monitoring: bool = True,
    loss_sharing: bool = True,
    capital: Literal["limited", "ample"] = "limited",
    **params: float,
) -> NormalFormGame:
    r"""The guaranteed-loan stage game in one of the three guarantee modes of seed 000.

    See the module docstring for the players, the payoff formulas, limited liability and the
    mechanisms of the modes; :func:`solve_guarantee` adds pricing and participation.

    Parameters
    ----------
    mode : {"business", "policy", "mutual"}
        ``"policy"`` adds the government as a fourth player.
    symbolic : bool, str or list of str, default False
        ``True`` keeps every parameter symbolic; a name or list of names keeps only those.
    monitoring, loss_sharing : bool, default True
        The mutual mode's mechanisms (peer monitoring with sanctions; the borrower's share
        :math:`\omega` of the guarantor's result). Both off, the mutual game equals the
        business game. Only the mutual mode accepts ``False``.
    capital : {"limited", "ample"}, default "limited"
        ``"ample"`` assumes the capital always covers the call outside the systemic state
        (:math:`C \ge (1-s)D`): ``C`` leaves the game and its payoffs have no ``min``, which
        keeps symbolic work polynomial (version 1's formulas).
    **params
        Parameter values (defaults, units and ranges in ``describe(guarantee_game)``):
        ``L`` (100), ``r`` (0.06), ``R`` (130), ``f`` (0.02), ``s`` (0.2), ``q`` (0.1),
        ``c_v`` (0.2), ``p_N`` (0.08), ``p_R`` (0.04, at most ``p_N``), ``e`` (1), ``K`` (60,
        at most :math:`(1-s)(1+r)L`), ``pi`` (0.8), ``F`` (60), ``C`` (90), ``lam`` (0.05),
        ``rho_B`` (0.03), ``rho_G`` (0.02), ``r_I`` (0.2); ``e_m`` (0.3), ``S`` (20) and
        ``omega`` (0.5) in the mutual mode; ``gamma`` (0.5), ``phi`` (0.005) and ``h`` (10) in
        the policy mode.

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
        An unknown mode, a parameter the mode does not use, a value outside its range,
        ``K > (1-s)(1+r)L``, ``p_R > p_N``, or a mechanism switched off outside the mutual
        mode.

    Examples
    --------
    >>> from alliance.models import guarantee_game
    >>> [e.supports for e in guarantee_game("mutual").pure_equilibria()]
    [(('not verify',), ('review',), ('repay',))]
    >>> policy = guarantee_game("policy")
    >>> [e.supports for e in policy.pure_equilibria()]
    [(('verify',), ('not review',), ('default',), ('compensate',))]
    >>> cost_to_government(verify=1, review=0, default=1, compensate=1)
    991/50

    References
    ----------
    Beck, Klapper and Mendoza (2010), *Journal of Financial Stability* 6(1); Honohan (2010),
    *Journal of Financial Stability* 6(1); Besley and Coate (1995), *Journal of Development
    Economics* 46(1).
    """
    check_switches(mode, monitoring, loss_sharing)
    if capital not in ("limited", "ample"):
        raise ParameterError(f"capital is {capital!r}; it must be 'limited' or 'ample'")
    info, v, symbols = _resolve(mode, params, symbolic)
    if capital == "ample":
        v = dict(v, C=sp.oo)
        symbols = {k: s for k, s in symbols.items() if k != "C"}
        info = ModelInfo(info.factory, info.title,
                         tuple(p for p in info.parameters if p.name != "C"),
                         info.references, info.mode)
    strategies = list(_STRATEGIES)
    players = ["Bank", "Guarantor", "SME"]
    if mode == "policy":
        strategies.append(_GOV_STRATEGIES)
        players.append("Government")
    table = {}
    for profile in itertools.product(*strategies):
        flags = [sp.Integer(int(c == o[0])) for c, o in zip(profile, strategies, strict=True)]
        verify, review, repay = flags[:3]
        compensate = flags[3] if mode == "policy" else sp.Integer(0)
        out = stage_payoffs(mode, v, verify, review, 1 - repay, compensate,
                            monitoring=monitoring, loss_sharing=loss_sharing)
        table[profile] = tuple(sp.expand(out[p]) for p in players)
    title = f"{mode} guarantee game"
    if mode == "mutual" and not (monitoring and loss_sharing):
        off = [n for n, on in (("monitoring", monitoring), ("loss sharing", loss_sharing)) if not on]
        title += f" ({' and '.join(off)} off)"
    game = NormalFormGame.from_payoffs(table, players=players, strategies=strategies, title=title)
    declare_ranges(game, info, symbols)
    attach_info(game, info.with_values({k: x for k, x in v.items() if k in info}))
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
    r"""The state's expected cost per loan in the policy mode's stage game (minus its payoff).

    .. math::

        C_{Gov} = \phi L + (1 - \bar d)\sigma L + x_G\,\bar d\,\bar v\,(\gamma N_G + \bar Z - \pi\bar K)
                  + (1 - x_G)\, h\,\bar d\,\bar v\,\bar Z

    with :math:`\bar p = p_N - x_R (p_N - p_R)`, :math:`\bar d = \bar p + (1-\bar p) x_D`,
    :math:`\bar v = 1 - q(1 - x_V)` and the per-claim terms of the module docstring. The
    first three terms are the treasury's outlay (subsidies, compensation, bailout net of the
    pledged assets it recovers), the last the social cost of a failed guarantor.

    Parameters
    ----------
    verify, review, default, compensate : float in [0, 1], optional
        The probabilities :math:`x_V, x_R, x_D, x_G`. ``None`` leaves that probability as a
        SymPy symbol (``x_V``, ``x_R``, ``x_D``, ``x_G``).
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
    1591/1250
    >>> cost_to_government(verify=1, review=0, default=1, compensate=0)  # phi L + h Z
    429/10
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
    out = stage_payoffs("policy", v, probs["verify"], probs["review"], probs["default"],
                        probs["compensate"])
    return sp.factor_terms(sp.expand(-out["Government"]))


# ------------------------------------------------------------------------- participation
def participation_game(
    stage: dict[str, Any], outside: dict[str, Any], players: tuple[str, ...]
) -> SequentialGame:
    """The participation stage as an engine game tree.

    The guarantor decides to *underwrite* or *decline*, then the bank to *lend* with the
    guarantee or *lend elsewhere*, then the SME to *borrow* with it or take its *outside*
    option; if all three take part the stage game is played (its equilibrium payoffs
    ``stage``), otherwise everybody gets ``outside``. Ties go to taking part. Whether the
    loan is made does not depend on the order: each party can veto.

    Parameters
    ----------
    stage : dict
        Party -> payoff at the stage game's equilibrium, if everybody takes part.
    outside : dict
        Party -> outside option.
    players : tuple of str
        The parties in the order they move (normally guarantor, bank, SME).

    Returns
    -------
    SequentialGame
        The participation tree, numeric.

    Examples
    --------
    >>> g = participation_game({"Guarantor": 2, "Bank": 1, "SME": 5},
    ...                        {"Guarantor": 2, "Bank": 3, "SME": 4}, ("Bank", "Guarantor", "SME"))
    >>> g.backward_induction().path[-1]
    ('Bank', 'lend elsewhere')
    """
    out_leaf = Leaf(tuple(outside[p] for p in players))
    in_leaf = Leaf(tuple(stage[p] for p in players))
    sme = Decision("SME", {"borrow": in_leaf, "outside": out_leaf})
    bank = Decision("Bank", {"lend": sme, "lend elsewhere": out_leaf})
    root = Decision("Guarantor", {"underwrite": bank, "decline": out_leaf})
    return SequentialGame(root, players, title="participation in the guarantee")


@dataclass(frozen=True)
class GuaranteeOutcome:
    """One equilibrium of a guarantee mode: stage equilibrium, price, participation, money.

    Made by :func:`solve_guarantee`.

    Parameters
    ----------
    mode : str
        ``"business"``, ``"policy"`` or ``"mutual"``.
    equilibrium : Equilibrium
        The stage game's equilibrium (exact; regret checked).
    regret : float
        The largest regret at the stage equilibrium (0 up to ``tol``).
    fee, subsidy : Fraction
        The fee rate the SME pays and the state's subsidy rate (policy mode).
    stage : dict
        Each party's expected payoff if everybody takes part, at that price.
    outside : dict
        Each party's outside option.
    participation : SubgamePerfectEquilibrium
        The backward-induction solution of :func:`participation_game`.
    loan_made : bool
        Whether every private party takes part.
    payoffs : dict
        What each party gets: ``stage`` if the loan is made, ``outside`` otherwise.
    flows : dict
        Expected money flows per loan when the loan is made (0 otherwise): guarantor
        payment, bailout, compensation, subsidy, treasury outlay, failure cost, and
        ``state_net_outlay`` (the treasury's outlay plus the public guarantor's shortfall
        from its required return, policy mode; 0 in the others).

    Examples
    --------
    With peer monitoring, the mutual mode's SMEs repay and every party takes part:

    >>> (o,) = solve_guarantee("mutual")
    >>> o.profile_label, o.loan_made
    ('(not verify, review, repay)', True)
    >>> o.takes_part
    {'Guarantor': True, 'Bank': True, 'SME': True}
    """

    mode: str
    equilibrium: Any
    regret: float
    fee: Fraction
    subsidy: Fraction
    stage: dict
    outside: dict
    participation: Any
    loan_made: bool
    payoffs: dict
    flows: dict = field(default_factory=dict)

    @property
    def takes_part(self) -> dict[str, bool]:
        """Whether each private party would take part (its stage payoff ≥ its outside option)."""
        return {p: self.stage[p] >= self.outside[p] for p in PRIVATE_PARTIES}

    @property
    def profile_label(self) -> str:
        """The stage equilibrium's supports, ``"(verify, not review, default)"``."""
        return "(" + ", ".join("/".join(s) for s in self.equilibrium.supports) + ")"

    def surplus(self) -> dict[str, Fraction]:
        """Each private party's payoff minus its outside option (0 when no loan is made).

        Returns
        -------
        dict
            Party -> surplus in money per loan (exact), >= 0 for a party that takes part.

        Examples
        --------
        >>> (o,) = solve_guarantee("mutual")
        >>> {p: round(float(x), 4) for p, x in o.surplus().items()}
        {'Guarantor': 0.0, 'Bank': 1.9386, 'SME': 8.5614}
        """
        return {p: self.payoffs[p] - self.outside[p] for p in PRIVATE_PARTIES}

    def to_frame(self) -> pd.DataFrame:
        """One row per party: stage payoff, outside option, takes part, payoff.

        Returns
        -------
        pandas.DataFrame
            Indexed by ``party`` (the government too in the policy mode); money per loan.

        Examples
        --------
        >>> (o,) = solve_guarantee("business")
        >>> o.to_frame()  # doctest: +NORMALIZE_WHITESPACE
                   stage payoff  outside option  takes part  payoff
        party
        Bank             -17.24             3.0       False     3.0
        Guarantor          1.80             1.8        True     1.8
        SME               -9.32             9.2       False     9.2
        """
        parties = [p for p in self.stage if p in PRIVATE_PARTIES or p == "Government"]
        return pd.DataFrame(
            {
                "stage payoff": [float(self.stage[p]) for p in parties],
                "outside option": [float(self.outside[p]) for p in parties],
                "takes part": [self.stage[p] >= self.outside[p] for p in parties],
                "payoff": [float(self.payoffs[p]) for p in parties],
            },
            index=pd.Index(parties, name="party"),
        )

    def __repr__(self) -> str:
        made = "loan made" if self.loan_made else "no guaranteed loan"
        price = f"fee {float(self.fee):.4%}"
        if self.mode == "policy":
            price += f", subsidy {float(self.subsidy):.4%}"
        return (
            f"GuaranteeOutcome({self.mode}: {self.profile_label}, {price}, {made})\n"
            + self.to_frame().to_string()
        )

    def _repr_html_(self) -> str:
        try:
            head = html.escape(repr(self).splitlines()[0])
            return f"<p>{head}</p>" + self.to_frame().to_html()
        except Exception:  # a display hook must never raise
            return "<pre>" + html.escape(repr(self)) + "</pre>"


def _fraction(x: Any) -> Fraction:
    """An exact number (the game is built from exact rationals) as a Fraction."""
    if isinstance(x, Fraction):
        return x
    r = to_sympy(x)
    if not r.is_Rational:
        raise ParameterError(f"{x!r} is not an exact number")
    return Fraction(int(r.p), int(r.q))


def solve_guarantee(
    mode: Literal["policy", "business", "mutual"] = "business",
    *,
    pricing: Literal["mode", "given"] = "mode",
    monitoring: bool = True,
    loss_sharing: bool = True,
    tol: float = 1e-9,
    **params: float,
) -> list[GuaranteeOutcome]:
    r"""Solve a guarantee mode: stage equilibria, the mode's price, who takes part, money flows.

    For every equilibrium of the stage game (all of them, by the engine's support
    enumeration; each checked to have regret at most ``tol``) the mode's price is set at
    that equilibrium (:func:`mode_price`), the participation stage is solved by backward
    induction, and the money flows are evaluated.

    Parameters
    ----------
    mode : {"business", "policy", "mutual"}
    pricing : {"mode", "given"}
        ``"mode"``: the business and mutual fee, and the policy subsidy, are the break-even
        prices; ``"given"``: ``f`` (and ``phi``) as passed.
    monitoring, loss_sharing : bool
        The mutual mode's mechanisms.
    tol : float
        Largest regret accepted at a stage equilibrium (never widened).
    **params
        The parameters of :func:`guarantee_game`.

    Returns
    -------
    list of GuaranteeOutcome
        One per stage equilibrium. Where the stage game is degenerate (a party exactly
        indifferent, e.g. :math:`\pi(K+F) = D`), the engine returns one representative point
        of each continuum of equilibria, with a ``DegenerateGameWarning``.

    Raises
    ------
    ParameterError
        Bad parameters (as :func:`guarantee_game`), or an unknown ``pricing``.
    InvalidGameError
        A stage equilibrium whose regret exceeds ``tol``.

    Examples
    --------
    >>> from alliance.models import solve_guarantee
    >>> [(o.profile_label, o.loan_made) for o in solve_guarantee("business")]
    [('(verify, not review, default)', False)]
    >>> (mutual,) = solve_guarantee("mutual")
    >>> mutual.loan_made, float(mutual.fee), float(mutual.payoffs["Bank"])
    (True, 0.0335856, 4.93856)

    References
    ----------
    Honohan (2010), *Journal of Financial Stability* 6(1) (pricing and the state's exposure).
    """
    if pricing not in ("mode", "given"):
        raise ParameterError(f"pricing is {pricing!r}; it must be 'mode' or 'given'")
    if tol < 0:
        raise ParameterError(f"tol is {tol}; it must be >= 0")
    game = guarantee_game(mode, monitoring=monitoring, loss_sharing=loss_sharing, **params)
    _, v, _ = _resolve(mode, params, False)
    players = game.players
    outside = {k: _fraction(x) for k, x in
               outside_options(mode, v, loss_sharing=loss_sharing).items()}
    results = []
    for eq in game.equilibria(tol=tol):
        regret = float(np.max(game.regret(eq.profile)))
        if regret > tol:
            raise InvalidGameError(
                f"stage equilibrium {eq.supports} of the {mode} mode has regret {regret:g} > tol"
            )
        x = [as_exact(prob[0]) for prob in eq.profile]
        verify, review, repay = x[:3]
        comp = x[3] if mode == "policy" else sp.Integer(0)
        fee, subsidy = v["f"], v.get("phi", sp.Integer(0))
        if pricing == "mode":
            price = mode_price(mode, v, verify, review, 1 - repay, comp, monitoring=monitoring)
            if mode == "policy":
                subsidy = price
            else:
                fee = price
        priced = dict(v, f=fee, **({"phi": subsidy} if mode == "policy" else {}))
        flows = _expected_flows(mode, priced, verify, review, 1 - repay, comp,
                                monitoring=monitoring, loss_sharing=loss_sharing)
        stage = {p: _fraction(flows[p]) for p in players}
        sequential = participation_game(stage, outside, players)
        spe = sequential.backward_induction()
        loan = [a for _, a in spe.path] == ["underwrite", "lend", "borrow"]
        pay = stage if loan else dict(outside)
        money = {}
        for key in ("guarantor_payment", "bailout", "compensation", "subsidy", "interest_subsidy",
                    "state_recovery", "treasury_outlay", "failure_cost"):
            money[key] = _fraction(flows[key]) if loan else Fraction(0)
        if mode == "policy" and loan:
            # the guarantor is public: its shortfall from the required return is the state's
            public_gap = outside["Guarantor"] - stage["Guarantor"]
            money["state_net_outlay"] = money["treasury_outlay"] + public_gap
        else:
            money["state_net_outlay"] = Fraction(0)
        results.append(GuaranteeOutcome(mode, eq, regret, _fraction(fee), _fraction(subsidy),
                                         stage, outside, spe, loan, pay, money))
    return results


def _expected_flows(mode, v, verify, review, default, comp, *, monitoring, loss_sharing):
    """Payoffs and flows at a mixed profile: the pure formulas averaged over the profile."""
    total: dict[str, Any] = {}
    axes = [(verify, 1), (review, 1), (default, 1)] + ([(comp, 1)] if mode == "policy" else [])
    for flags in itertools.product((1, 0), repeat=len(axes)):
        weight = sp.Integer(1)
        for (prob, _), flag in zip(axes, flags, strict=True):
            weight *= prob if flag else 1 - prob
        if weight == 0:
            continue
        out = stage_payoffs(mode, v, *flags[:3], flags[3] if mode == "policy" else 0,
                            monitoring=monitoring, loss_sharing=loss_sharing)
        for k, val in out.items():
            total[k] = total.get(k, 0) + weight * val
    return {k: sp.expand(x) if isinstance(x, sp.Basic) else x for k, x in total.items()}


guarantee_game.model_info = GUARANTEE_INFO  # type: ignore[attr-defined]
