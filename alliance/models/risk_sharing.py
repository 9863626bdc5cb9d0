r"""Risk sharing between bank, guarantor and government that delivers each party's fair share.

**The cooperative game.** An SME loan programme of potential volume :math:`L` needs a lender;
a guarantor and a government extend how much of the demand the bank will serve and lower
the loss rate. The worth :math:`v(S)` of a coalition :math:`S` of {Bank, Guarantor,
Government} is its members' expected joint surplus when everybody outside :math:`S` takes
its outside option (the bank lends elsewhere at its reservation return, the guarantor does
not underwrite, the government runs no programme). Surpluses are measured over the outside
options, so each outside option is 0 and

.. math::

    v(S) = \max\Big(0,\ \kappa_S L\,\big[m + f\,\mathbb 1[G \in S] + w\,\mathbb 1[Gov \in S]
           - p_S\,\ell\big]\Big) \quad (\text{Bank} \in S), \qquad v(S) = 0 \text{ otherwise}

with the served share :math:`\kappa_S` (:math:`\kappa_B` when the bank lends alone against
collateral, :math:`\kappa_{BG}` with a guarantee, :math:`\kappa_{BGov}` with a government
compensation scheme, 1 with both), the bank's net interest margin :math:`m` over its
reservation return, the guarantee fee :math:`f` the SMEs pay, the government's social return
:math:`w` (taxes, jobs) per unit lent, the default probability :math:`p_S` (:math:`p_G` when
the guarantor reviews the borrowers, :math:`p` otherwise) and the loss given default
:math:`\ell`; a coalition whose programme would lose money does not run it (the maximum
with 0). Transfers between members of :math:`S` cancel in :math:`v(S)`.

**The instruments.** In the programme (the grand coalition :math:`N`) the expected loss is
:math:`E = p_G \ell L`. Two instruments divide the surplus :math:`v(N)`:

* the **risk-sharing ratio** :math:`\alpha`: the share of each loss the bank keeps (the
  guarantor covers :math:`1 - \alpha`; Chinese practice is :math:`\alpha = 20\,\%`);
* the **fee** :math:`\tau`: the guarantee premium the government pays the guarantor per
  unit lent (as the Indonesian state pays the KUR guarantors' premium), on top of the SMEs'
  fee :math:`f`.

The parties' expected payoffs are

.. math::

    x_B = mL - \alpha E, \qquad x_G = (f + \tau) L - (1 - \alpha) E, \qquad
    x_{Gov} = (w - \tau) L,

and they sum to :math:`v(N)` whatever the instruments (budget balance). Two instruments and
budget balance therefore fix the three shares: to give each party a target payoff
:math:`y` with :math:`\sum_i y_i = v(N)` (its Shapley value, a core point or the nucleolus),

.. math:: \alpha = \frac{mL - y_B}{E}, \qquad \tau = \frac{wL - y_{Gov}}{L},

and then :math:`x_G = v(N) - y_B - y_{Gov} = y_G`. A loss share lies in :math:`[0, 1]` and a
premium is not negative; where the target needs a value outside these bounds the instrument
is set to the bound and the rest is paid as an explicit lump-sum **transfer**
:math:`t_i = y_i - x_i` (the transfers sum to zero).

At the defaults the bank's Shapley value 3.18 exceeds its whole margin :math:`mL = 3`: the
bank is indispensable (a veto player), so it should bear no loss at all and receive a
transfer of about 0.18 from the guarantor (see :func:`risk_sharing_ratio`). Version 1 of
this module reported :math:`\varphi_i / v(N)` as the "fair ratio"; that ratio, used as the
bank's loss share, gives the bank 2.36, not its Shapley value 3.18, and is gone.

References
----------
Shapley, L. S. (1953). A value for n-person games. In *Contributions to the Theory of Games
II*, Annals of Mathematics Studies 28: 307–317. Princeton University Press.

Schmeidler, D. (1969). The nucleolus of a characteristic function game. *SIAM Journal on
Applied Mathematics* 17(6): 1163–1170.

Lemaire, J. (1984). An application of game theory: cost allocation. *ASTIN Bulletin* 14(1):
61–81.

State Council of China (2015). Guofa [2015] No. 43: bank–guarantor risk sharing.
"""

from __future__ import annotations

import html
import itertools
import math
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

import pandas as pd
import sympy as sp

from alliance.errors import ParameterError
from alliance.games.results import format_number
from alliance.models._params import (
    ModelInfo,
    Parameter,
    as_exact,
    attach_info,
    check_at_most,
    resolve_parameters,
)

__all__ = [
    "risk_sharing_game",
    "risk_sharing_ratio",
    "instrument_payoffs",
    "RiskSharingTerms",
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
        "share served with a guarantee (at least kappa_B)",
        "share",
        0,
        1,
        default=0.8,
        source="illustrative",
    ),
    Parameter(
        "kappa_BGov",
        r"\kappa_{BGov}",
        "share served with a government compensation scheme (at least kappa_B)",
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
    "bank × guarantor × government cooperative game; risk-sharing ratio and fee that deliver the Shapley value",
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
    # a guarantee or a compensation scheme never makes the bank serve fewer borrowers
    for name in ("kappa_BG", "kappa_BGov"):
        check_at_most(
            "kappa_B", values["kappa_B"], values[name], "share the bank serves alone", name
        )
    return values


def coalition_values(*, symbolic: bool | str | list[str] = False, **params: Any) -> dict:
    r"""The characteristic function :math:`v(S)`: ``{frozenset of names: worth}``.

    Parameters
    ----------
    symbolic : bool, str or list of str, default False
        ``True`` keeps every parameter symbolic; a name or list of names keeps only those.
    **params : float
        The keywords of :func:`risk_sharing_game`: ``L`` (100), ``m`` (0.03), ``f`` (0.02),
        ``w`` (0.03), ``p`` (0.05), ``p_G`` (0.03, at most ``p``), ``lgd`` (0.45),
        ``kappa_B`` (0.4), ``kappa_BG`` (0.8), ``kappa_BGov`` (0.6); units and ranges in
        ``describe(risk_sharing_game)``.

    Returns
    -------
    dict
        Coalition (frozenset of ``"Bank"``, ``"Guarantor"``, ``"Government"``) -> its worth
        in money per programme, :math:`\ge 0` (a coalition whose loans would lose money
        does not lend); exact numbers or SymPy expressions.

    Raises
    ------
    ParameterError
        A value outside its range or an unknown keyword.

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
            # a coalition whose programme would lose money does not run it (its members take
            # their outside options), so its worth is never negative
            out[s] = sp.Max(0, sp.expand(share[s] * v["L"] * (rate - pd * v["lgd"])))
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


TARGETS = ("shapley", "nucleolus", "core")


@dataclass(frozen=True, eq=False)
class RiskSharingTerms:
    """The risk-sharing ratio, the fee and the transfers that give each party a target payoff.

    Made by :func:`risk_sharing_ratio`.

    Parameters
    ----------
    target : str
        ``"shapley"``, ``"nucleolus"`` or ``"core"`` (a point of the core).
    ratio : sympy.Expr
        The risk-sharing ratio :math:`\\alpha`: the share of each loss the bank keeps, in
        [0, 1] (the unbounded value when ``symbolic``).
    fee : sympy.Expr
        The premium :math:`\\tau` the government pays the guarantor per unit lent, >= 0.
    targets : dict
        Party -> its target payoff :math:`y_i`.
    payoffs : dict
        Party -> its expected payoff at ``ratio`` and ``fee`` (before transfers).
    transfers : dict
        Party -> the lump-sum transfer it receives (negative: pays) so that
        ``payoffs + transfers == targets``; all zero when the instruments alone suffice.
    unbounded_ratio, unbounded_fee : sympy.Expr
        The instrument values the target needs before the bounds are applied.
    core_nonempty : bool or None
        Whether the core of the game is non-empty (None for symbolic terms).
    loss_shares : dict
        Party -> share of the programme's losses it bears directly (government: 0; it pays
        through the fee).
    outside_options : dict
        Party -> :math:`v(\\{i\\})`, what it secures without the programme's partners.

    Examples
    --------
    >>> t = risk_sharing_ratio()
    >>> t
    RiskSharingTerms(shapley: ratio 0, fee 0.0143167; transfers Bank 0.178333, Guarantor -0.178333)
    >>> t.individually_rational, t.needs_transfers
    (True, True)
    """

    target: str
    ratio: Any
    fee: Any
    targets: dict
    payoffs: dict
    transfers: dict
    unbounded_ratio: Any
    unbounded_fee: Any
    core_nonempty: bool | None
    loss_shares: dict
    outside_options: dict

    @property
    def individually_rational(self) -> bool | None:
        """Whether every party's target is at least its outside option (0: its stand-alone
        worth, the bank's being :math:`v(\\{B\\})`), so that nobody would rather stay out."""
        if any(getattr(x, "free_symbols", None) for x in self.targets.values()):
            return None
        return all(x >= self.outside_options[p] for p, x in self.targets.items())

    @property
    def needs_transfers(self) -> bool:
        """Whether some party needs a lump-sum transfer on top of the instruments."""
        return any(x != 0 for x in self.transfers.values())

    def to_frame(self) -> pd.DataFrame:
        """One row per party: target, payoff from the instruments, transfer, loss share.

        Returns
        -------
        pandas.DataFrame
            Indexed by ``party``; columns ``target``, ``payoff``, ``transfer`` (money per
            programme) and ``loss_share`` (in [0, 1]).

        Examples
        --------
        >>> risk_sharing_ratio().to_frame().round(4)  # doctest: +NORMALIZE_WHITESPACE
                    target  payoff  transfer  loss_share
        party
        Bank        3.1783  3.0000    0.1783         0.0
        Guarantor   1.9033  2.0817   -0.1783         1.0
        Government  1.5683  1.5683    0.0000         0.0
        """
        rows = {
            "target": self.targets,
            "payoff": self.payoffs,
            "transfer": self.transfers,
            "loss_share": self.loss_shares,
        }
        frame = pd.DataFrame({k: {p: _as_float(v) for p, v in d.items()} for k, d in rows.items()})
        frame.index.name = "party"
        return frame

    def __repr__(self) -> str:
        moved = ", ".join(
            f"{p} {format_number(_as_float(t))}" for p, t in self.transfers.items() if t != 0
        )
        return (
            f"RiskSharingTerms({self.target}: ratio {format_number(_as_float(self.ratio))}, "
            f"fee {format_number(_as_float(self.fee))}"
            + (f"; transfers {moved}" if moved else "; no transfers")
            + ")"
        )

    def _repr_latex_(self) -> str:
        return (
            rf"$\alpha = {sp.latex(self.ratio)},\quad \tau = {sp.latex(self.fee)}$"
        )

    def _repr_html_(self) -> str:
        try:
            return f"<p>{html.escape(repr(self))}</p>" + self.to_frame().to_html()
        except Exception:  # a display hook must never raise
            return "<pre>" + html.escape(object.__repr__(self)) + "</pre>"


def _as_float(v: Any) -> Any:
    if isinstance(v, sp.Basic):
        return float(v) if v.is_number else v
    return float(v)


def instrument_payoffs(ratio: Any, fee: Any, **params: Any) -> dict:
    r"""Each party's expected payoff in the programme at a risk-sharing ratio and a fee.

    :math:`x_B = mL - \alpha E`, :math:`x_G = (f + \tau)L - (1-\alpha)E`,
    :math:`x_{Gov} = (w - \tau)L` with :math:`E = p_G \ell L`; they sum to :math:`v(N)`.

    Parameters
    ----------
    ratio : float
        The risk-sharing ratio :math:`\alpha`, the share of each loss the bank keeps, in
        [0, 1].
    fee : float
        The premium :math:`\tau` the government pays the guarantor per unit lent, >= 0.
    **params : float
        The keywords of :func:`risk_sharing_game`: ``L`` (100), ``m`` (0.03), ``f`` (0.02),
        ``w`` (0.03), ``p`` (0.05), ``p_G`` (0.03, at most ``p``), ``lgd`` (0.45),
        ``kappa_B`` (0.4), ``kappa_BG`` (0.8), ``kappa_BGov`` (0.6); units and ranges in
        ``describe(risk_sharing_game)``.

    Returns
    -------
    dict
        Party -> expected payoff in money per programme (exact numbers).

    Raises
    ------
    ParameterError
        A value outside its range or an unknown keyword.

    Examples
    --------
    >>> x = instrument_payoffs(0.2, 0.01)
    >>> {k: float(v) for k, v in x.items()}
    {'Bank': 2.73, 'Guarantor': 1.92, 'Government': 2.0}
    """
    return _instrument_payoffs(_resolve(params, False), as_exact(ratio), as_exact(fee))


def _instrument_payoffs(v: dict, a: sp.Expr, t: sp.Expr) -> dict:
    loss = v["p_G"] * v["lgd"] * v["L"]
    return {
        "Bank": v["m"] * v["L"] - a * loss,
        "Guarantor": (v["f"] + t) * v["L"] - (1 - a) * loss,
        "Government": (v["w"] - t) * v["L"],
    }


def _targets(target: str, values: dict, params: dict) -> tuple[dict, bool]:
    if target == "shapley":
        phi = _shapley(values)
        game = risk_sharing_game(**params)
        return phi, not game.core_is_empty()
    game = risk_sharing_game(**params)
    nonempty = not game.core_is_empty()
    if target == "nucleolus":
        alloc = game.nucleolus()
    else:
        if not nonempty:  # pragma: no cover - the bank is a veto player (see the Notes)
            raise ParameterError(
                "target 'core': the core of the risk-sharing game is empty at these parameters; "
                "use target='nucleolus' (the least-core point that is fairest)"
            )
        # the nucleolus lies in the core whenever the core is non-empty (Schmeidler 1969)
        alloc = game.nucleolus()
    if alloc.exact is not None:
        return {p: as_exact(x) for p, x in zip(PLAYERS, alloc.exact, strict=True)}, nonempty
    # A linear programme's floats, snapped to nearby fractions (its tolerance is ~1e-9), with
    # the guarantor's share the exact remainder so that the targets sum to v(N) exactly.
    raw = dict(zip(PLAYERS, alloc.values, strict=True))
    out = {
        p: as_exact(Fraction(float(raw[p])).limit_denominator(10**8))
        for p in ("Bank", "Government")
    }
    out["Guarantor"] = values[frozenset(PLAYERS)] - out["Bank"] - out["Government"]
    return {p: out[p] for p in PLAYERS}, nonempty


def risk_sharing_ratio(
    target: str = "shapley", *, symbolic: bool | str | list[str] = False, **params: Any
) -> RiskSharingTerms:
    r"""The risk-sharing ratio and fee that give each party its fair payoff (module docstring).

    Parameters
    ----------
    target : {"shapley", "nucleolus", "core"}, default "shapley"
        The payoff each party should get: its Shapley value, the nucleolus, or a point of the
        core (the nucleolus, which lies in the core whenever the core is non-empty).
    symbolic : bool, str or list of str, default False
        Keep parameters symbolic (``target="shapley"`` only): ``ratio`` and ``fee`` are then
        the unbounded closed forms, valid where the programme runs (:math:`v(N) > 0`), and
        ``transfers`` are zero; check the bounds yourself.
    **params
        The parameters of :func:`risk_sharing_game`.

    Returns
    -------
    RiskSharingTerms
        ``ratio`` (:math:`\alpha`, the bank's share of each loss), ``fee`` (:math:`\tau`),
        each party's payoff, and the transfers that close the gap where a bound binds.

    Raises
    ------
    ParameterError
        An unknown target, a parameter outside its range, ``p_G > p``, a symbolic nucleolus,
        a programme without surplus (:math:`v(N) = 0`), or ``target="core"`` when the core is
        empty.

    Notes
    -----
    The core is never empty here: the bank is a veto player and no coalition is worth more
    than the whole programme (:math:`\kappa_S \le 1`, :math:`p_G \le p`, fees and social
    returns are not negative), so :math:`(v(N), 0, 0)` lies in it.

    Version 1 returned :math:`\varphi_i / v(N)`, each party's share of the surplus, as the
    "fair risk-sharing ratio". Used as the bank's loss share it gave the bank 2.36 at the
    defaults, not its Shapley value 3.18. The name now means what it says: the ratio that,
    with the fee, delivers the Shapley value.

    Examples
    --------
    >>> terms = risk_sharing_ratio()
    >>> terms
    RiskSharingTerms(shapley: ratio 0, fee 0.0143167; transfers Bank 0.178333, Guarantor -0.178333)
    >>> {p: round(float(x), 4) for p, x in terms.payoffs.items()}
    {'Bank': 3.0, 'Guarantor': 2.0817, 'Government': 1.5683}
    >>> risk_sharing_ratio(m=0.05).transfers["Bank"]
    0
    >>> round(float(risk_sharing_ratio(m=0.05).ratio), 4)  # a 5 % margin: the bank keeps 31 %
    0.3123
    """
    if target not in TARGETS:
        raise ParameterError(f"target is {target!r}; use one of {TARGETS}")
    if symbolic not in (False, None) and target != "shapley":
        raise ParameterError(
            f"target {target!r} needs numeric parameters (linear programmes); use symbolic=False"
        )
    v = _resolve(params, symbolic)
    values = coalition_values(symbolic=symbolic, **params)
    if symbolic not in (False, None):
        # the instruments divide a programme that runs: v(N) = its (positive) surplus
        grand_max = values[frozenset(PLAYERS)]
        if isinstance(grand_max, sp.Max):
            running = next(a for a in grand_max.args if a != 0)
            values = {k: x.xreplace({grand_max: running}) for k, x in values.items()}
        targets, nonempty = _shapley(values), None
    else:
        targets, nonempty = _targets(target, values, params)
    grand = values[frozenset(PLAYERS)]
    if grand.is_number and not grand > 0:
        raise ParameterError(
            "surplus of the grand coalition v(N) is 0: the programme would not cover its expected "
            "losses (m + f + w <= p_G*lgd), so it does not run and there is nothing to share"
        )
    loss = v["p_G"] * v["lgd"] * v["L"]
    if loss.is_number and loss == 0:
        raise ParameterError(
            "expected loss of the programme p_G*lgd*L is 0; the risk-sharing ratio is then "
            "undetermined (there is no loss to share)"
        )
    alpha = sp.cancel((v["m"] * v["L"] - targets["Bank"]) / loss)
    tau = sp.cancel((v["w"] * v["L"] - targets["Government"]) / v["L"])
    if symbolic not in (False, None):
        ratio, fee = alpha, tau
    else:
        ratio = min(max(alpha, sp.Integer(0)), sp.Integer(1))
        fee = max(tau, sp.Integer(0))
    payoffs = {p: sp.expand(x) for p, x in _instrument_payoffs(v, ratio, fee).items()}
    transfers = {p: sp.simplify(targets[p] - payoffs[p]) for p in PLAYERS}
    return RiskSharingTerms(
        target,
        ratio,
        fee,
        targets,
        payoffs,
        transfers,
        alpha,
        tau,
        nonempty,
        {"Bank": ratio, "Guarantor": 1 - ratio, "Government": sp.Integer(0)},
        {p: values[frozenset({p})] for p in PLAYERS},
    )


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
        parameter table is attached as ``model_info``. :func:`risk_sharing_ratio` gives the
        instruments that deliver its Shapley value, nucleolus or a core point.

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
