r"""The government–bank–guarantor tripartite evolutionary game of SME credit guarantees.

A large applied literature studies how government support, bank lending and guarantor
participation co-evolve: three populations (local governments, banks, guarantors), each with
two strategies, under multi-population replicator dynamics. This module builds the
:math:`2 \times 2 \times 2` game with the payoff structure common to that literature.

Strategies: Government *support* / *not support* (share of supporters :math:`x`), Bank *lend*
/ *not lend* (:math:`y`), Guarantor *guarantee* / *not guarantee* (:math:`z`). A loan
:math:`L` at rate :math:`r` defaults with probability :math:`p` and loses :math:`\ell`
(loss given default) of the principal. With a guarantee the bank bears the share :math:`s` of
the loss and the guarantor :math:`1 - s` for the fee :math:`fL`; a supporting government
pays the bank an interest subsidy :math:`\sigma L` on each loan and reimburses the share
:math:`\gamma` of the guarantor's losses, at an administrative cost :math:`c_s`.

Payoffs (the government's are listed for *support* and *not support*):

.. math::

    u_B &= \mathbb 1[\text{lend}]\,\big[(1-p) rL - p\ell L\,(1 - (1-s)\,\mathbb 1[\text{guar.}])
            - c_b + \sigma L\,\mathbb 1[\text{support}]\big]\\
    u_G &= \mathbb 1[\text{guar.}]\,\big[\mathbb 1[\text{lend}]\,(fL - p\ell L (1-s)
            (1 - \gamma\,\mathbb 1[\text{support}])) - c_g\big]\\
    u_{Gov}^{\text{support}} &= -c_s - \mathbb 1[\text{lend}]\,\sigma L
            - \mathbb 1[\text{lend}]\mathbb 1[\text{guar.}]\,(\gamma p \ell L (1-s) - W)\\
    u_{Gov}^{\text{not}} &= -P\,(1 - \mathbb 1[\text{lend}])

:math:`W` is the social benefit (jobs, taxes) the government credits to a working guarantee
system it supports; :math:`P` the reputational loss of a passive government when SMEs go
unfinanced. The replicator equation of the banks is
:math:`\dot y = y(1-y)\,[(1-p)rL - p\ell L(1 - (1-s)z) - c_b + \sigma L x]`, and similarly
for the others.

Participation and limited liability
-----------------------------------
Each population's second strategy is its outside option: a bank that does not lend, a
guarantor that does not guarantee earn 0, i.e. the payoffs of lending and guaranteeing are
measured net of what the bank and the guarantor's capital would earn elsewhere. So no
equilibrium leaves a bank or a guarantor below its outside option (a test checks it at every
equilibrium). By default the guarantor pays its whole share :math:`(1-s)\ell L` of a loss, as in
this literature; ``capital="limited"`` caps each payment at the guarantor's capital
:math:`C` (it pays :math:`\min((1-s)\ell L, C)`, the bank bears the rest as guarantor risk, and
the supporting government reimburses :math:`\gamma` of what the guarantor actually paid):

.. math::

    u_B &= \mathbb 1[\text{lend}]\,\big[(1-p) rL - p\,(\ell L - \min((1-s)\ell L, C)\,
            \mathbb 1[\text{guar.}]) - c_b + \sigma L\,\mathbb 1[\text{support}]\big]\\
    u_G &= \mathbb 1[\text{guar.}]\,\big[\mathbb 1[\text{lend}]\,(fL - p\min((1-s)\ell L, C)
            (1 - \gamma\,\mathbb 1[\text{support}])) - c_g\big]

At the defaults the game has three Nash equilibria: the strict ``(support, lend,
guarantee)`` and two mixed ones, government support :math:`1/3` with banks lending and
guarantors guaranteeing with probability :math:`20/41`, and support :math:`11/20` with
lending :math:`2/3` and no guarantees. Only the strict one is asymptotically stable under
the replicator dynamics (Ritzberger and Weibull 1995): it is the unique ESS.

References
----------
Friedman, D. (1991). Evolutionary games in economics. *Econometrica* 59(3): 637–666.

Weibull, J. W. (1995). *Evolutionary Game Theory*. MIT Press.

Ritzberger, K. and Weibull, J. W. (1995). Evolutionary selection in normal-form games.
*Econometrica* 63(6): 1371–1399.
"""

from __future__ import annotations

import itertools
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
    declare_ranges,
    resolve_parameters,
)

__all__ = [
    "tripartite_guarantee_game",
    "tripartite_guarantee",
    "TRIPARTITE_INFO",
    "TRIPARTITE_LIMITED_INFO",
]

_INF = math.inf

_PARAMETERS = (
    LOAN_PRINCIPAL,
    INTEREST_RATE,
    Parameter(
        "p",
        "p",
        "SME default probability",
        "probability",
        0,
        1,
        default=0.05,
        source="illustrative SME probability of default",
    ),
    Parameter(
        "lgd",
        r"\ell",
        "loss given default",
        "share",
        0,
        1,
        default=0.45,
        source="Basel II foundation IRB, senior unsecured claims (BCBS 2006, §287)",
    ),
    Parameter(
        "s",
        "s",
        "bank's share of a guaranteed loss",
        "share",
        0,
        1,
        default=0.2,
        source="Chinese bank–guarantor risk sharing 20/80 (Guofa [2015] No. 43)",
    ),
    Parameter(
        "f",
        "f",
        "guarantee fee",
        "rate",
        0,
        1,
        default=0.02,
        source="Chinese guarantee fees of 1–3 % a year",
    ),
    Parameter(
        "c_b",
        "c_b",
        "bank's cost of making an SME loan (screening, administration)",
        "money",
        0,
        _INF,
        default=4,
        source="illustrative: 4 % of L, SME loans are costly",
    ),
    Parameter(
        "c_g",
        "c_g",
        "guarantor's operating cost of participating",
        "money",
        0,
        _INF,
        default=0.5,
        source="illustrative",
    ),
    Parameter(
        "gamma",
        r"\gamma",
        "share of the guarantor's losses the government reimburses",
        "share",
        0,
        1,
        default=0.5,
        source="4-2-2-2 model: state funds bear half of the guarantor side's 80 %",
    ),
    Parameter(
        "sigma",
        r"\sigma",
        "government interest subsidy to the bank",
        "rate",
        0,
        1,
        default=0.01,
        source="illustrative: a 1-point interest subsidy",
    ),
    Parameter(
        "c_s",
        "c_s",
        "government's administrative cost of support",
        "money",
        0,
        _INF,
        default=1,
        source="illustrative",
    ),
    Parameter(
        "W",
        "W",
        "social benefit of a supported, working guarantee system",
        "money",
        0,
        _INF,
        default=5,
        source="illustrative: jobs and taxes of a financed SME",
    ),
    Parameter(
        "P",
        "P",
        "reputational loss of a passive government when SMEs go unfinanced",
        "money",
        0,
        _INF,
        default=5,
        source="illustrative",
    ),
)

#: The parameter table of :func:`tripartite_guarantee_game` and :func:`tripartite_guarantee`.
TRIPARTITE_INFO = ModelInfo(
    "tripartite_guarantee",
    "government × bank × guarantor evolutionary game of SME credit guarantees",
    _PARAMETERS,
    (
        "Friedman, D. (1991). Evolutionary games in economics. Econometrica 59(3): 637-666.",
        "Weibull, J. W. (1995). Evolutionary Game Theory. MIT Press.",
        "Ritzberger, K. and Weibull, J. W. (1995). Evolutionary selection in normal-form "
        "games. Econometrica 63(6): 1371-1399.",
    ),
)

#: The capital parameter of ``capital="limited"`` (not in the default table, which stays
#: version 1's so that published stability tables keep their symbols).
CAPITAL = Parameter(
    "C",
    "C",
    "guarantor's capital available to pay one loss (it pays at most C)",
    "money",
    0,
    _INF,
    default=100,
    source="illustrative: above the share (1-s) l L = 3.6 of a loss at the defaults",
)
#: The table of ``capital="limited"``: :data:`TRIPARTITE_INFO` and the capital ``C``.
TRIPARTITE_LIMITED_INFO = ModelInfo(
    TRIPARTITE_INFO.factory,
    TRIPARTITE_INFO.title + " (limited liability)",
    TRIPARTITE_INFO.parameters + (CAPITAL,),
    TRIPARTITE_INFO.references,
)

_STRATEGIES = (("support", "not support"), ("lend", "not lend"), ("guarantee", "not guarantee"))
_PLAYERS = ("Government", "Bank", "Guarantor")


def tripartite_guarantee_game(
    *,
    symbolic: bool | str | list[str] = False,
    capital: str = "ample",
    **params: float,
) -> NormalFormGame:
    r"""The :math:`2\times2\times2` tripartite guarantee game (also :func:`tripartite_guarantee`).

    Parameters
    ----------
    symbolic : bool, str or list of str, default False
        ``True`` keeps every parameter symbolic; a name or list of names keeps only those.
    **params
        ``L`` (100), ``r`` (0.06), ``p`` (0.05), ``lgd`` (0.45), ``s`` (0.2), ``f`` (0.02),
        ``c_b`` (4), ``c_g`` (0.5), ``gamma`` (0.5), ``sigma`` (0.01), ``c_s`` (1), ``W`` (5),
        ``P`` (5); see ``describe(tripartite_guarantee)`` for meanings, units and ranges.
        With ``capital="limited"`` also ``C`` (100), the guarantor's capital.
    capital : {"ample", "limited"}, default "ample"
        ``"limited"``: the guarantor pays at most ``C`` on a loss (module docstring).

    Returns
    -------
    NormalFormGame
        Players ``("Government", "Bank", "Guarantor")``; the table is attached as
        ``model_info``.

    Raises
    ------
    ParameterError
        A value outside its range, or an unknown parameter.

    Examples
    --------
    >>> from alliance.models import tripartite_guarantee_game
    >>> g = tripartite_guarantee_game()
    >>> [e.supports for e in g.pure_equilibria()]
    [(('support',), ('lend',), ('guarantee',))]
    >>> g.payoffs[0, 0, 0].tolist()
    [2.1, 2.25, 0.6]

    References
    ----------
    Friedman (1991), *Econometrica* 59(3); Weibull (1995), *Evolutionary Game Theory*.
    """
    if capital not in ("ample", "limited"):
        raise ParameterError(f"capital is {capital!r}; it must be 'ample' or 'limited'")
    info = TRIPARTITE_LIMITED_INFO if capital == "limited" else TRIPARTITE_INFO
    values, symbols = resolve_parameters(info, params, symbolic)
    v = values
    L, r, p, lgd, s = v["L"], v["r"], v["p"], v["lgd"], v["s"]
    expected_loss = p * lgd * L
    # the guarantor's expected payment per loan: its share, capped at its capital per loss
    share = (1 - s) * lgd * L
    paid = p * (sp.Min(share, v["C"]) if capital == "limited" else share)
    table = {}
    for profile in itertools.product(*_STRATEGIES):
        support, lend, guarantee = (
            sp.Integer(int(c == o[0])) for c, o in zip(profile, _STRATEGIES, strict=True)
        )
        bank = lend * (
            (1 - p) * r * L
            - (expected_loss - paid * guarantee)
            - v["c_b"]
            + v["sigma"] * L * support
        )
        guarantor = guarantee * (
            lend * (v["f"] * L - paid * (1 - v["gamma"] * support)) - v["c_g"]
        )
        government = support * (
            -v["c_s"]
            - lend * v["sigma"] * L
            - lend * guarantee * (v["gamma"] * paid - v["W"])
        ) - (1 - support) * v["P"] * (1 - lend)
        table[profile] = (sp.expand(government), sp.expand(bank), sp.expand(guarantor))
    game = NormalFormGame.from_payoffs(
        table, players=_PLAYERS, strategies=_STRATEGIES, title="tripartite guarantee game"
    )
    declare_ranges(game, info, symbols)
    attach_info(game, info.with_values(v))
    return game


def tripartite_guarantee(
    *, symbolic: bool | str | list[str] = False, capital: str = "ample", **params: Any
) -> NormalFormGame:
    r"""The tripartite guarantee game: government × bank × guarantor, :math:`2\times2\times2`.

    Like every factory of :mod:`alliance.models` it returns the game itself; its
    evolutionary analysis is ``EvolutionaryGame(tripartite_guarantee())``: one population
    per player, whose state variables are the shares of the first strategies (support,
    lend, guarantee). The same function as :func:`tripartite_guarantee_game`.

    Parameters
    ----------
    symbolic : bool, str or list of str, default False
        ``True`` keeps every parameter symbolic; a name or list of names keeps only those.
    capital : {"ample", "limited"}, default "ample"
        ``"limited"``: the guarantor pays at most ``C`` on a loss.
    **params : float
        The model's parameters (``L``, ``r``, ``p``, ``lgd``, ``s``, ``f``, ``c_b``,
        ``c_g``, ``gamma``, ``sigma``, ``c_s``, ``W``, ``P``, and ``C`` with
        ``capital="limited"``); ``describe(tripartite_guarantee)`` gives their defaults,
        units and ranges.

    Returns
    -------
    NormalFormGame
        Players ``("Government", "Bank", "Guarantor")``; the parameter table is attached
        as ``model_info``.

    Raises
    ------
    ParameterError
        A value outside its range, or an unknown parameter.

    Examples
    --------
    >>> from alliance.games.evolutionary import EvolutionaryGame
    >>> from alliance.models import tripartite_guarantee
    >>> game = tripartite_guarantee()
    >>> game.players
    ('Government', 'Bank', 'Guarantor')
    >>> EvolutionaryGame(game).ess()
    [(1, 1, 1)]

    References
    ----------
    Friedman (1991), *Econometrica* 59(3); Ritzberger and Weibull (1995), *Econometrica* 63(6).
    """
    return tripartite_guarantee_game(symbolic=symbolic, capital=capital, **params)


tripartite_guarantee.model_info = TRIPARTITE_INFO  # type: ignore[attr-defined]
tripartite_guarantee_game.model_info = TRIPARTITE_INFO  # type: ignore[attr-defined]
