r"""The cost to the state and the welfare of the three guarantee modes, and their ranking.

Rules (docs/economics.md §2, version 2; :mod:`alliance.models.guarantee` for the game):

* **Private surplus** of a party: its payoff minus its outside option (0 when it stays out).
  Transfers (fees, the members' shares, recoveries) are included: they cancel in the sum
  except where they move a decision.
* **The state's net outlay** :math:`O`: in the policy mode the treasury's outlay (subsidy,
  compensation, bailout of shortfalls, less the pledged assets it recovers) plus the public
  guarantor's shortfall from the required return on its capital (the guarantor is the
  state's, so its fees, recoveries and losses are the state's too). In the business and
  mutual modes no public money is involved: :math:`O = 0`.
* **Cost to the state**: :math:`(1 + \mu)\,O`, with :math:`\mu` the shadow cost of public
  funds (each unit of tax revenue costs society :math:`1 + \mu`).
* **Welfare**: the private surpluses (bank, SME, and the guarantor's owners in the business
  and mutual modes) minus :math:`(1 + \mu)\,O` minus the social cost of a guarantor's
  failure that the state lets happen (:math:`h` per unit of unpaid claims; not public money,
  so not weighted by :math:`1 + \mu`). No programme has welfare 0.
* A mode is **self-sustaining** where the guaranteed loan is made and :math:`O \le 0`.

:func:`mode_grid` evaluates a mode on a whole parameter grid at once (NumPy): every pure
profile's payoffs, the pure equilibria by unilateral deviations, the mode's price at each,
participation, flows and welfare. Where the stage game has several pure equilibria the
``selection`` rule picks one (``"worst"``: lowest welfare, a cautious ranking; ``"best"``);
where it has none (possible only in the mutual mode's inspection-like corner), the point is
reported with ``pure_equilibria = 0`` and NaN values. :func:`rank_modes` ranks the modes;
:func:`best_mode_map` draws the region map of the best mode.

References
----------
Dahlby, B. (2008). *The Marginal Cost of Public Funds: Theory and Applications*. MIT Press
(the concept; the default :math:`\mu = 0.25` is illustrative, the middle of the 0.2–0.3
range the economics page (docs/economics.md) calls usual, not a figure read from this book).

Honohan, P. (2010). Partial credit guarantees: principles and practice. *Journal of
Financial Stability* 6(1): 1–9.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from alliance.errors import ParameterError
from alliance.models._params import Parameter
from alliance.models.guarantee import (
    GUARANTEE_INFO,
    MODES,
    PRIVATE_PARTIES,
    GuaranteeOutcome,
    check_switches,
    mode_price,
    outside_options,
    stage_payoffs,
)

__all__ = [
    "SHADOW_COST",
    "welfare",
    "mode_grid",
    "rank_modes",
    "best_mode_map",
]

#: The shadow cost of public funds :math:`\mu` (documented like a model parameter).
SHADOW_COST = Parameter(
    "mu",
    r"\mu",
    "shadow cost of public funds: extra social cost of each unit the state spends",
    "rate",
    0,
    np.inf,
    default=0.25,
    source="illustrative: the middle of the 0.2-0.3 range usual in public economics "
    "(concept: Dahlby 2008); no estimate was read for this default",
)


def _check_mu(mu: Any) -> float:
    return float(SHADOW_COST.check(mu))


def welfare(outcome: GuaranteeOutcome, mu: float = 0.25) -> dict[str, float]:
    r"""Private surplus, the state's net outlay and cost, and welfare of one solved outcome.

    Parameters
    ----------
    outcome : GuaranteeOutcome
        From :func:`~alliance.models.guarantee.solve_guarantee`.
    mu : float, default 0.25
        The shadow cost of public funds (:data:`SHADOW_COST`).

    Returns
    -------
    dict
        ``private_surplus``, ``state_net_outlay`` (:math:`O`), ``state_cost``
        (:math:`(1+\mu)O`), ``failure_cost``, ``welfare``, ``self_sustaining``.

    Examples
    --------
    >>> from alliance.models import solve_guarantee
    >>> from alliance.models.welfare import welfare
    >>> (mutual,) = solve_guarantee("mutual")
    >>> w = welfare(mutual)
    >>> round(w["welfare"], 6), w["state_cost"], w["self_sustaining"]
    (10.5, 0.0, True)
    """
    mu = _check_mu(mu)
    surplus = outcome.surplus()
    parties = ("Bank", "SME") if outcome.mode == "policy" else PRIVATE_PARTIES
    private = float(sum(surplus[p] for p in parties))
    net = float(outcome.flows["state_net_outlay"])
    failure = float(outcome.flows["failure_cost"])
    return {
        "private_surplus": private,
        "state_net_outlay": net,
        "state_cost": (1 + mu) * net,
        "failure_cost": failure,
        "welfare": private - (1 + mu) * net - failure,
        "self_sustaining": bool(outcome.loan_made and net <= 0),
    }


# ---------------------------------------------------------------------------- on a grid
def _grid_values(mode: str, grid: Mapping[str, Any], params: Mapping[str, Any]) -> tuple:
    info = GUARANTEE_INFO.for_mode(mode)
    unknown = [k for k in list(grid) + list(params) if k not in info]
    if unknown:
        raise ParameterError(
            f"guarantee_game in mode '{mode}' has no parameter {', '.join(map(repr, unknown))}; "
            f"its parameters are {', '.join(info.names)}"
        )
    axes = {}
    for name, values in grid.items():
        arr = np.atleast_1d(np.asarray(values, dtype=float))
        if arr.ndim != 1 or arr.size == 0:
            raise ParameterError(f"grid values of {name} must be a non-empty 1-d sequence")
        p = info[name]
        for extreme in (arr.min(), arr.max()):
            p.check(float(extreme))
        axes[name] = arr
    mesh = np.meshgrid(*axes.values(), indexing="ij") if axes else []
    points = {k: m.ravel() for k, m in zip(axes, mesh, strict=True)}
    n = next(iter(points.values())).size if points else 1
    values = {}
    for p in info.parameters:
        if p.name in points:
            values[p.name] = points[p.name]
        else:
            given = params.get(p.name)
            x = p.default if given is None else p.check(given)
            values[p.name] = np.full(n, float(x))
    call = (1 - values["s"]) * (1 + values["r"]) * values["L"]
    if np.any(values["K"] > call + 1e-12):
        raise ParameterError(
            "counter-guarantee K exceeds the guarantor's exposure (1-s)(1+r)L at some grid point"
        )
    if np.any(values["p_R"] > values["p_N"]):
        raise ParameterError("failure probability after review p_R exceeds p_N at some grid point")
    return points, values, n


def mode_grid(
    mode: str,
    grid: Mapping[str, Sequence[float]],
    *,
    mu: float = 0.25,
    selection: str = "worst",
    monitoring: bool = True,
    loss_sharing: bool = True,
    tol: float = 1e-9,
    **params: float,
) -> pd.DataFrame:
    r"""One guarantee mode on every point of a parameter grid (vectorised).

    Parameters
    ----------
    mode : {"policy", "business", "mutual"}
    grid : mapping name -> 1-d sequence
        The grid axes; every combination is a point (``meshgrid``, ``indexing="ij"``).
    mu : float
        The shadow cost of public funds.
    selection : {"worst", "best"}
        Which pure equilibrium to keep where there are several (by welfare).
    monitoring, loss_sharing : bool
        The mutual mode's mechanisms.
    tol : float
        Tolerance of the equilibrium test (a deviation must gain more than ``tol``) and of
        the participation ties (a party takes part when its payoff is at least its outside
        option minus ``tol``).
    **params
        Fixed values of the other parameters (defaults otherwise).

    Returns
    -------
    pandas.DataFrame
        One row per grid point: the grid parameters, ``pure_equilibria`` (how many),
        ``profile`` (the selected one), ``price`` (fee rate, or subsidy rate in the policy
        mode), ``loan_made``, each private party's payoff, ``private_surplus``,
        ``state_net_outlay``, ``state_cost``, ``failure_cost``, ``welfare``,
        ``self_sustaining``.

    Examples
    --------
    >>> from alliance.models.welfare import mode_grid
    >>> frame = mode_grid("business", {"F": [60, 80]})
    >>> frame["profile"].tolist(), frame["loan_made"].tolist()
    (['verify/not review/default', 'not verify/review/repay'], [False, True])
    """
    if mode not in MODES:
        raise ParameterError(f"mode is {mode!r}; it must be one of {', '.join(MODES)}")
    check_switches(mode, monitoring, loss_sharing)
    if selection not in ("worst", "best"):
        raise ParameterError(f"selection is {selection!r}; it must be 'worst' or 'best'")
    if tol < 0:
        raise ParameterError(f"tol is {tol}; it must be >= 0")
    mu = _check_mu(mu)
    points, v, n = _grid_values(mode, grid, params)
    players = ["Bank", "Guarantor", "SME"] + (["Government"] if mode == "policy" else [])
    n_flags = len(players)
    profiles = list(itertools.product((1, 0), repeat=n_flags))  # 1 = first strategy
    index = {prof: k for k, prof in enumerate(profiles)}
    kw = dict(monitoring=monitoring, loss_sharing=loss_sharing, numeric=True)

    def evaluate(prof, values):
        verify, review, repay = prof[:3]
        comp = prof[3] if mode == "policy" else 0
        return stage_payoffs(mode, values, verify, review, 1 - repay, comp, **kw)

    stage = np.empty((len(profiles), n_flags, n))
    for k, prof in enumerate(profiles):
        out = evaluate(prof, v)
        for i, p in enumerate(players):
            stage[k, i] = out[p]
    is_eq = np.ones((len(profiles), n), dtype=bool)
    for k, prof in enumerate(profiles):
        for i in range(n_flags):
            dev = list(prof)
            dev[i] = 1 - dev[i]
            gain = stage[index[tuple(dev)], i] - stage[k, i]
            is_eq[k] &= gain <= tol
    count = is_eq.sum(axis=0)

    outside = {k: np.broadcast_to(np.asarray(x, float), (n,))
               for k, x in outside_options(mode, v, loss_sharing=loss_sharing, numeric=True).items()}
    per_profile = []
    for _k, prof in enumerate(profiles):
        verify, review, repay = prof[:3]
        comp = prof[3] if mode == "policy" else 0
        price = np.asarray(mode_price(mode, v, verify, review, 1 - repay, comp,
                                      monitoring=monitoring, numeric=True), float)
        priced = dict(v)
        if mode == "policy":
            priced["phi"] = price
        else:
            priced["f"] = price
        out = evaluate(prof, priced)
        pay = {p: np.broadcast_to(np.asarray(out[p], float), (n,)) for p in players}
        loan = np.all([pay[p] >= outside[p] - tol for p in PRIVATE_PARTIES], axis=0)
        surplus = {p: np.where(loan, pay[p] - outside[p], 0.0) for p in PRIVATE_PARTIES}
        treasury = np.broadcast_to(np.asarray(out["treasury_outlay"], float), (n,))
        failure = np.broadcast_to(np.asarray(out["failure_cost"], float), (n,))
        if mode == "policy":
            net = np.where(loan, treasury + outside["Guarantor"] - pay["Guarantor"], 0.0)
            private = surplus["Bank"] + surplus["SME"]
        else:
            net = np.zeros(n)
            private = surplus["Bank"] + surplus["Guarantor"] + surplus["SME"]
        failure = np.where(loan, failure, 0.0)
        per_profile.append({
            "price": price * np.ones(n),
            "loan_made": loan,
            **{p: np.where(loan, pay[p], outside[p]) for p in PRIVATE_PARTIES},
            "private_surplus": private,
            "state_net_outlay": net,
            "state_cost": (1 + mu) * net,
            "failure_cost": failure,
            "welfare": private - (1 + mu) * net - failure,
        })
    welfare_by = np.array([d["welfare"] for d in per_profile])
    fill = np.inf if selection == "worst" else -np.inf
    masked = np.where(is_eq, welfare_by, fill)
    pick = masked.argmin(axis=0) if selection == "worst" else masked.argmax(axis=0)
    cols = np.arange(n)
    frame = pd.DataFrame(points) if points else pd.DataFrame(index=range(1))
    labels = np.array(["/".join(_STRAT[i][0 if f else 1] for i, f in enumerate(prof))
                       for prof in profiles])
    none = count == 0
    frame["pure_equilibria"] = count
    frame["profile"] = np.where(none, "none", labels[pick])
    for key in per_profile[0]:
        values = np.array([d[key] for d in per_profile])[pick, cols]
        if key in ("loan_made",):
            frame[key] = values & ~none
        else:
            frame[key] = np.where(none, np.nan, values.astype(float))
    frame["self_sustaining"] = frame["loan_made"] & (frame["state_net_outlay"] <= 0)
    return frame


_STRAT = (("verify", "not verify"), ("review", "not review"), ("repay", "default"),
          ("compensate", "not compensate"))


def rank_modes(
    grid: Mapping[str, Sequence[float]],
    *,
    modes: Sequence[str] = MODES,
    mu: float = 0.25,
    selection: str = "worst",
    tol: float = 1e-9,
    mode_params: Mapping[str, Mapping[str, float]] | None = None,
    **params: float,
) -> pd.DataFrame:
    r"""Rank the guarantee modes by welfare at every point of a parameter grid.

    Parameters
    ----------
    grid : mapping name -> 1-d sequence
        Grid axes over parameters every ranked mode has (e.g. ``pi``, ``F``, ``s``,
        ``rho_G``); the shadow cost ``mu`` may be an axis too.
    modes : sequence of str
        The modes to compare.
    mu : float
        The shadow cost of public funds (when not a grid axis).
    selection, tol
        As in :func:`mode_grid`.
    mode_params : mapping mode -> mapping, optional
        Parameters for one mode only (``{"mutual": {"omega": 0.3}}``).
    **params
        Fixed parameters shared by every mode (each must exist in every mode).

    Returns
    -------
    pandas.DataFrame
        One row per grid point: the grid parameters; for each mode ``welfare[mode]``,
        ``state_cost[mode]``, ``loan_made[mode]``, ``self_sustaining[mode]``; and
        ``best_mode``: the mode of highest welfare, or ``"none"`` where no mode beats having
        no programme (welfare 0). Ties go to the lower cost to the state, then to the order of
        ``modes``.

    Examples
    --------
    >>> from alliance.models.welfare import rank_modes
    >>> ranked = rank_modes({"F": [60, 80]})
    >>> ranked["best_mode"].tolist()
    ['mutual', 'mutual']
    """
    grid = dict(grid)
    mus = np.atleast_1d(np.asarray(grid.pop("mu", [mu]), dtype=float))
    for m in (mus.min(), mus.max()):
        _check_mu(float(m))
    mode_params = dict(mode_params or {})
    frames = {}
    for mode in modes:
        extra = dict(params, **mode_params.get(mode, {}))
        frames[mode] = mode_grid(mode, grid, mu=0.0, selection=selection, tol=tol, **extra)
    base = frames[modes[0]][list(grid)].copy() if grid else pd.DataFrame(index=range(1))
    n = len(base)
    rows = base.loc[base.index.repeat(len(mus))].reset_index(drop=True)
    rows.insert(len(grid), "mu", np.tile(mus, n))
    mu_col = rows["mu"].to_numpy()
    welfare_cols, cost_cols = [], []
    for mode in modes:
        f = frames[mode].loc[frames[mode].index.repeat(len(mus))].reset_index(drop=True)
        net = f["state_net_outlay"].to_numpy()
        w = f["private_surplus"].to_numpy() - (1 + mu_col) * net - f["failure_cost"].to_numpy()
        rows[f"welfare[{mode}]"] = w
        rows[f"state_cost[{mode}]"] = (1 + mu_col) * net
        rows[f"loan_made[{mode}]"] = f["loan_made"].to_numpy()
        rows[f"self_sustaining[{mode}]"] = f["self_sustaining"].to_numpy()
        welfare_cols.append(w)
        cost_cols.append((1 + mu_col) * net)
    w = np.array(welfare_cols)
    c = np.array(cost_cols)
    w_key = np.where(np.isnan(w), -np.inf, w)
    top = w_key.max(axis=0)
    tied = np.isclose(w_key, top, rtol=0, atol=1e-9) & np.isfinite(w_key)
    cost_key = np.where(tied, np.nan_to_num(c, nan=np.inf), np.inf)
    choice = cost_key.argmin(axis=0)
    best = np.array(modes, dtype=object)[choice]
    rows["best_mode"] = np.where(top > 1e-9, best, "none")
    return rows


def best_mode_map(
    ranked: pd.DataFrame,
    x: str,
    y: str,
    *,
    ax: Any = None,
    colors: Mapping[str, str] | None = None,
    legend: bool = True,
) -> Any:
    """Draw the region map of the best mode over two grid parameters of :func:`rank_modes`.

    Parameters
    ----------
    ranked : DataFrame
        The output of :func:`rank_modes` on a grid with (at least) the axes ``x`` and ``y``;
        any other axis must have a single value.
    x, y : str
        The grid parameters on the horizontal and vertical axes.
    ax : matplotlib Axes, optional
    colors : mapping mode -> colour, optional
        Default: Okabe–Ito (policy vermillion, business blue, mutual bluish green, none grey).
    legend : bool

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> from alliance.models.welfare import rank_modes, best_mode_map
    >>> ax = best_mode_map(rank_modes({"F": [40, 80], "mu": [0.2, 0.3]}), "F", "mu")
    >>> ax.get_xlabel()
    '$F$'
    """
    import matplotlib.pyplot as plt
    from matplotlib.colors import ListedColormap
    from matplotlib.patches import Patch

    from alliance.figures.style import OKABE_ITO, style_context

    for name in (x, y):
        if name not in ranked.columns:
            raise ParameterError(f"{name!r} is not a column of the ranking")
    others = [c for c in ranked.columns if c not in (x, y) and c in GUARANTEE_INFO.names + ("mu",)]
    for c in others:
        if ranked[c].nunique() > 1:
            raise ParameterError(f"the ranking varies {c!r} too; fix it to draw an (x, y) map")
    colors = dict(colors or {})
    palette = {
        "policy": OKABE_ITO["vermillion"],
        "business": OKABE_ITO["blue"],
        "mutual": OKABE_ITO["bluish_green"],
        "none": "#999999",
    } | colors
    order = [k for k in palette if k in set(ranked["best_mode"]) or k in palette]
    code = {k: i for i, k in enumerate(order)}
    xs = np.unique(ranked[x].to_numpy())
    ys = np.unique(ranked[y].to_numpy())
    table = ranked.pivot_table(index=y, columns=x, values="best_mode", aggfunc="first")
    grid = np.vectorize(code.get)(table.reindex(index=ys, columns=xs).to_numpy())
    with style_context():
        if ax is None:
            _, ax = plt.subplots()
        ax.pcolormesh(xs, ys, grid, cmap=ListedColormap([palette[k] for k in order]),
                      vmin=-0.5, vmax=len(order) - 0.5, shading="nearest", rasterized=False)
        symbol = {p.name: p.symbol for p in GUARANTEE_INFO.parameters} | {"mu": r"\mu"}
        ax.set_xlabel(f"${symbol.get(x, x)}$")
        ax.set_ylabel(f"${symbol.get(y, y)}$")
        if legend:
            present = [k for k in order if k in set(ranked["best_mode"])]
            ax.legend(handles=[Patch(color=palette[k], label=k) for k in present],
                      fontsize="x-small", loc="best", title="best mode", title_fontsize="x-small")
    return ax
