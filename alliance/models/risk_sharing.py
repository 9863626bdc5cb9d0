r"""Fair risk sharing between bank, guarantor and government: a cooperative (TU) game.

An SME loan programme of potential volume :math:`L` needs a lender; a guarantor and a
government extend how much of the demand the bank will serve and lower the loss rate. The
worth of a coalition :math:`S` of {Bank, Guarantor, Government} is the surplus its members
obtain from the loans it can make:

.. math::

    v(S) = \kappa_S L\,\big[m + f\,\mathbb 1[G \in S] + w\,\mathbb 1[Gov \in S]
           - p_S\,\ell\big] \quad (\text{Bank} \in S), \qquad v(S) = 0 \text{ otherwise},

with the served share :math:`\kappa_S` (:math:`\kappa_B` when the bank lends alone against
collateral, :math:`\kappa_{BG}` with a guarantee, :math:`\kappa_{BGov}` with a government
compensation scheme, 1 with both), the bank's net interest margin :math:`m`, the guarantee fee
:math:`f` (paid by the SMEs), the government's social return :math:`w` (taxes, jobs) per unit
lent, the default probability :math:`p_S` (:math:`p_G` when the guarantor reviews the
borrowers, :math:`p` otherwise) and the loss given default :math:`\ell`.

The **fair risk-sharing ratio** gives each party the share of the programme's expected loss
equal to its share of the cooperative surplus — risk follows return:

.. math:: \alpha_i = \frac{\varphi_i(v)}{v(N)},

where :math:`\varphi` is the Shapley value. At the defaults the bank should bear about 48 %,
the guarantor 29 % and the government 24 % of the losses: a bank share above the 20 % of
Chinese practice, because the bank is indispensable (a veto player) in this programme.

References
----------
Shapley, L. S. (1953). A value for n-person games. In *Contributions to the Theory of Games
II*, Annals of Mathematics Studies 28: 307–317. Princeton University Press.

Lemaire, J. (1984). An application of game theory: cost allocation. *ASTIN Bulletin* 14(1):
61–81.

State Council of China (2015). Guofa [2015] No. 43: bank–guarantor risk sharing.
"""

from __future__ import annotations

import itertools
import math
from fractions import Fraction
from typing import Any

import sympy as sp

from alliance.errors import ParameterError
from alliance.models._params import (
    ModelInfo,
    Parameter,
    attach_info,
    check_at_most,
    resolve_parameters,
)

__all__ = [
    "risk_sharing_game",
    "risk_sharing_ratio",
    "coalition_values",
    "RISK_SHARING_INFO",
    "PLAYERS",
]

PLAYERS = ("Bank", "Guarantor", "Government")
_INF = math.inf

_PARAMETERS = (
    Parameter(
        "L",
        "L",
        "potential SME lending volume of the programme",
        "money",
        0,
        _INF,
        lo_open=True,
        default=100,
        source="normalisation",
    ),
    Parameter(
        "m",
        "m",
        "bank's net interest margin on SME loans",
        "rate",
        0,
        1,
        default=0.03,
        source="Chinese commercial banks' net interest margin, about 2–3 % (CBIRC)",
    ),
    Parameter(
        "f",
        "f",
        "guarantee fee paid by the SMEs",
        "rate",
        0,
        1,
        default=0.02,
        source="Chinese guarantee fees of 1–3 % a year",
    ),
    Parameter(
        "w",
        "w",
        "government's social return (taxes, jobs) per unit lent",
        "rate",
        0,
        1,
        default=0.03,
        source="illustrative",
    ),
    Parameter(
        "p",
        "p",
        "default probability of unreviewed SME borrowers",
        "probability",
        0,
        1,
        default=0.05,
        source="illustrative SME probability of default",
    ),
    Parameter(
        "p_G",
        "p_G",
        "default probability when the guarantor reviews (at most p)",
        "probability",
        0,
        1,
        default=0.03,
        source="illustrative",
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
        "kappa_B",
        r"\kappa_B",
        "share of the demand the bank serves alone (collateral)",
        "share",
        0,
        1,
        default=0.4,
        source="illustrative",
    ),
    Parameter(
        "kappa_BG",
        r"\kappa_{BG}",
        "share served with a guarantee",
        "share",
        0,
        1,
        default=0.8,
        source="illustrative",
    ),
    Parameter(
        "kappa_BGov",
        r"\kappa_{BGov}",
        "share served with a government compensation scheme",
        "share",
        0,
        1,
        default=0.6,
        source="illustrative",
    ),
)

#: The parameter table of :func:`risk_sharing_game`.
RISK_SHARING_INFO = ModelInfo(
    "risk_sharing_game",
    "bank × guarantor × government cooperative game; Shapley value -> fair risk-sharing ratio",
    _PARAMETERS,
    (
        "Shapley, L. S. (1953). A value for n-person games. Contributions to the Theory of "
        "Games II, Annals of Mathematics Studies 28: 307-317.",
        "Lemaire, J. (1984). An application of game theory: cost allocation. ASTIN Bulletin "
        "14(1): 61-81.",
    ),
)


def _resolve(params: dict[str, Any], symbolic: Any) -> dict[str, sp.Expr]:
    values, _ = resolve_parameters(RISK_SHARING_INFO, params, symbolic)
    check_at_most("p_G", values["p_G"], values["p"], "default probability after review", "p")
    return values


def coalition_values(*, symbolic: bool | str | list[str] = False, **params: Any) -> dict:
    r"""The characteristic function :math:`v(S)`: ``{frozenset of names: worth}``.

    Examples
    --------
    >>> v = coalition_values()
    >>> float(v[frozenset({"Bank", "Guarantor", "Government"})])
    6.65
    >>> v[frozenset({"Guarantor", "Government"})]
    0
    """
    v = _resolve(params, symbolic)
    out: dict[frozenset, sp.Expr] = {}
    share = {
        frozenset({"Bank"}): v["kappa_B"],
        frozenset({"Bank", "Guarantor"}): v["kappa_BG"],
        frozenset({"Bank", "Government"}): v["kappa_BGov"],
        frozenset(PLAYERS): sp.Integer(1),
    }
    for size in range(len(PLAYERS) + 1):
        for members in itertools.combinations(PLAYERS, size):
            s = frozenset(members)
            if "Bank" not in s:
                out[s] = sp.Integer(0)
                continue
            guarantor = "Guarantor" in s
            rate = v["m"] + (v["f"] if guarantor else 0) + (v["w"] if "Government" in s else 0)
            pd = v["p_G"] if guarantor else v["p"]
            out[s] = sp.expand(share[s] * v["L"] * (rate - pd * v["lgd"]))
    return out


def _shapley(values: dict[frozenset, sp.Expr]) -> dict[str, sp.Expr]:
    n = len(PLAYERS)
    phi = {}
    for player in PLAYERS:
        others = [p for p in PLAYERS if p != player]
        total = sp.Integer(0)
        for size in range(n):
            weight = sp.Rational(
                math.factorial(size) * math.factorial(n - size - 1), math.factorial(n)
            )
            for members in itertools.combinations(others, size):
                s = frozenset(members)
                total += weight * (values[s | {player}] - values[s])
        phi[player] = sp.expand(total)
    return phi


def risk_sharing_ratio(*, symbolic: bool | str | list[str] = False, **params: Any) -> dict:
    r"""The fair risk-sharing ratio :math:`\alpha_i = \varphi_i / v(N)` of each party.

    Returns ``{"Bank": α_B, "Guarantor": α_G, "Government": α_Gov}`` (SymPy expressions; exact
    numbers at numeric parameters); the ratios sum to 1.

    Raises
    ------
    ParameterError
        When the grand coalition's surplus :math:`v(N)` is not positive (no surplus to share
        in proportion).

    Examples
    --------
    >>> {k: round(float(a), 3) for k, a in risk_sharing_ratio().items()}
    {'Bank': 0.478, 'Guarantor': 0.286, 'Government': 0.236}
    """
    values = coalition_values(symbolic=symbolic, **params)
    grand = values[frozenset(PLAYERS)]
    if grand.is_number and not bool(grand > 0):
        raise ParameterError(
            f"surplus of the grand coalition v(N) is {float(grand):g}; it must be positive to share "
            "the loss in proportion to the Shapley value"
        )
    phi = _shapley(values)
    return {k: sp.cancel(x / grand) for k, x in phi.items()}


def risk_sharing_game(**params: Any):
    r"""The bank–guarantor–government TU game as a :class:`CooperativeGame` (numeric, exact).

    Parameters
    ----------
    **params
        ``L`` (100), ``m`` (0.03), ``f`` (0.02), ``w`` (0.03), ``p`` (0.05), ``p_G`` (0.03,
        at most ``p``), ``lgd`` (0.45), ``kappa_B`` (0.4), ``kappa_BG`` (0.8), ``kappa_BGov``
        (0.6); see ``describe(risk_sharing_game)``.

    Returns
    -------
    CooperativeGame
        Players ``("Bank", "Guarantor", "Government")``; worths as exact fractions; the
        parameter table is attached as ``model_info``. Its Shapley value divided by
        :math:`v(N)` is :func:`risk_sharing_ratio`.

    Examples
    --------
    >>> from alliance.models import risk_sharing_game
    >>> g = risk_sharing_game()
    >>> [round(float(x), 4) for x in g.shapley().values]
    [3.1783, 1.9033, 1.5683]

    References
    ----------
    Shapley (1953), *Contributions to the Theory of Games II*; Lemaire (1984), *ASTIN
    Bulletin* 14(1).
    """
    try:
        from alliance.games.cooperative import CooperativeGame
    except ImportError:  # the package may not re-export it yet
        from alliance.games.cooperative.game import CooperativeGame

    values = coalition_values(**params)
    index = {name: i for i, name in enumerate(PLAYERS)}
    worth = {
        frozenset(index[p] for p in s): Fraction(int(x.p), int(x.q)) for s, x in values.items()
    }
    game = CooperativeGame(len(PLAYERS), worth, players=PLAYERS)
    info = RISK_SHARING_INFO.with_values(_resolve(params, False))
    try:
        attach_info(game, info)
    except AttributeError:  # a game class with __slots__
        pass
    return game


risk_sharing_game.model_info = RISK_SHARING_INFO  # type: ignore[attr-defined]
