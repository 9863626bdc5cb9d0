"""HTML reports: one page with tables and figures (PDF and PNG), and a JSON summary.

:func:`model_report` writes the report of one model file (``alliance report``);
:func:`run_demo` the full analysis of the shipped example (``alliance demo``): the
equilibria of every domain model at its defaults, the tripartite stability table and
trajectories, a region map of the lending game, and the example alliance's credit margin,
loss decomposition, margin against correlation and credit shares.

Every table is also written as CSV under ``tables/`` and every figure as PDF and PNG under
``figures/``; the page links them, so a reader (or a test) can check each file exists.
"""

from __future__ import annotations

import functools
import json
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from alliance.io.page import Page  # re-exported: reports build on it
from alliance.numbers import format_count, format_number, snake_case

__all__ = ["Page", "model_report", "run_demo", "DEMO_SETTINGS"]

#: Scenario counts of the demo: full (``make demo``) and quick (``--quick``, for tests).
DEMO_SETTINGS = {
    "full": {
        "scenarios": 20_000,
        "curve_scenarios": 10_000,
        "rho": (0.0, 0.06, 0.12, 0.2, 0.3),
        "shares_scenarios": 3_000,
        "shares_samples": 40,
        "resolution": 201,
        "trajectories": 24,
    },
    "quick": {
        "scenarios": 2_000,
        "curve_scenarios": 1_000,
        "rho": (0.0, 0.12, 0.3),
        "shares_scenarios": 500,
        "shares_samples": 6,
        "resolution": 61,
        "trajectories": 6,
    },
}

# ------------------------------------------------------------------ pieces
def _styled(func: Any) -> Any:
    """Draw a report's figures in the house style without touching the session's rcParams.

    No ``matplotlib.use`` here: a report made inside a notebook keeps the notebook's backend
    (Matplotlib picks a non-interactive one by itself on a machine with no display).
    """

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        from alliance.figures.style import style_context

        with style_context():
            return func(*args, **kwargs)

    return wrapper


def _number_text(v: Any) -> str:
    return format_number(v)


def _scenarios_text(scenarios: Any) -> str:
    if scenarios == "exact":
        return "all default scenarios (exact enumeration)"
    return format_count(int(scenarios), "scenario")


def equilibria_frame(model: Any, values: dict | None = None) -> pd.DataFrame:
    """One row per equilibrium of a game model at its defaults (updated by ``values``)."""
    rows = []
    for k, eq in enumerate(model.equilibria(values or {}), start=1):
        if model.kind == "sequential":
            path = " → ".join(f"{p}: {a}" for p, a in eq.path)
            rows.append(
                {
                    "equilibrium": k,
                    "profile": path,
                    "payoffs": ", ".join(_number_text(v) for v in eq.payoffs),
                    "method": "backward induction",
                }
            )
            continue
        parts = []
        for player, labels, probs in zip(eq.players, eq.strategies, eq.profile):
            used = [(s, p) for s, p in zip(labels, probs) if p > eq.tol]
            if len(used) == 1:
                parts.append(f"{player}: {used[0][0]}")
            else:
                parts.append(
                    f"{player}: (" + ", ".join(f"{s} {_number_text(p)}" for s, p in used) + ")"
                )
        rows.append(
            {
                "equilibrium": k,
                "profile": "; ".join(parts),
                "payoffs": ", ".join(_number_text(v) for v in eq.payoffs),
                "method": eq.method,
            }
        )
    return pd.DataFrame(rows, columns=["equilibrium", "profile", "payoffs", "method"]).set_index(
        "equilibrium"
    )


def payoff_frame(game: Any) -> pd.DataFrame:
    """The payoff table of a normal-form game, one row per pure profile."""
    import itertools

    from alliance.io.toml_games import expression_text

    exact = game.exact_payoffs if getattr(game, "is_exact", False) else None
    table = exact if exact is not None else game.payoffs
    rows = []
    for index in itertools.product(*(range(k) for k in game.shape)):
        row = {
            snake_case(p): game.strategies[i][j] for i, (p, j) in enumerate(zip(game.players, index))
        }
        for i, p in enumerate(game.players):
            row[snake_case(f"payoff {p}")] = str(expression_text(table[index + (i,)]))
        rows.append(row)
    return pd.DataFrame(rows)


def stability_frame(table: pd.DataFrame) -> pd.DataFrame:
    """A stability table with printable cells."""
    out = pd.DataFrame(
        {
            "point": ["(" + ", ".join(_number_text(v) for v in p) + ")" for p in table["point"]],
            "eigenvalues": [
                "" if e is None else "(" + ", ".join(_eig_text(v) for v in e) + ")"
                for e in table["eigenvalues"]
            ],
            "signs": table["signs"],
            "verdict": table["verdict"],
        }
    )
    return out.set_index("point")


def _eig_text(v: Any) -> str:
    if isinstance(v, complex):
        return f"{format_number(v.real)}{'+' if v.imag >= 0 else '-'}{format_number(abs(v.imag))}i"
    try:
        return (
            _number_text(float(v))
            if not hasattr(v, "free_symbols") or not v.free_symbols
            else str(v)
        )
    except TypeError:
        return str(v)


def _game_section(page: Page, name: str, model: Any, summary: dict) -> None:
    page.heading(f"{model.title or name}", level=3)
    if model.description:
        page.paragraph(model.description, css="note")
    eqs = equilibria_frame(model)
    page.table(eqs, f"equilibria_{name}", f"Equilibria of {name} at its defaults.")
    summary[name] = {
        "title": model.title,
        "kind": model.kind,
        "players": list(model.game.players),
        "defaults": {k: float(v) for k, v in model.defaults().items()},
        "equilibria": eqs.reset_index().to_dict("records"),
    }


def _tripartite_section(page: Page, model: Any, settings: dict, summary: dict) -> None:
    import matplotlib.pyplot as plt

    ev = model.evolutionary()
    table = ev.stability_table()
    frame = stability_frame(table)
    page.table(
        frame,
        "stability_tripartite",
        "Rest points of the replicator dynamics at the defaults, the eigenvalues of the Jacobian "
        "and the verdict (ESS: every eigenvalue negative; interior points are never ESS, "
        "Ritzberger and Weibull 1995).",
    )
    ess = [list(int(v) for v in p) for p in table.ess]
    summary["tripartite_stability"] = {
        "rest_points": frame.reset_index().to_dict("records"),
        "ess": ess,
    }
    rng = np.random.default_rng(1)
    x0 = rng.uniform(0.05, 0.95, size=(settings["trajectories"], ev.dimension))
    traj = ev.simulate(x0, 40.0, progress=False)
    # The caption states what the simulation shows, computed from the paths.
    outcomes = ev.path_outcomes(traj)
    summary["tripartite_trajectories"] = outcomes.summary()
    fig, axes = plt.subplots(1, ev.dimension, figsize=(7.0, 2.3), sharey=True)
    for d, ax in enumerate(np.atleast_1d(axes)):
        ax.plot(traj.t, traj.states[:, :, d].T, color="#0072B2", alpha=0.5, linewidth=0.8)
        ax.set_title(ev.descriptions[d], fontsize=8)
        ax.set_xlabel("time")
    np.atleast_1d(axes)[0].set_ylabel("share")
    page.figure(
        fig,
        "tripartite_trajectories",
        f"Replicator dynamics of the tripartite game from {len(x0)} random initial states: "
        f"{outcomes.sentence()}.",
    )


def _region_section(page: Page, model: Any, settings: dict, summary: dict) -> None:
    from alliance.figures.regions import region_map
    from alliance.games.regions import regions

    game = model.game
    values = model.defaults()
    x, y = ("pi", 0.0, 1.0), ("F", 0.0, 150.0)
    fixed = {k: v for k, v in values.items() if k not in ("pi", "F") and k in game.symbols}
    rmap = regions(game, x, y, fixed=fixed, resolution=settings["resolution"])
    ax = region_map(rmap)
    ax.set_xlabel(r"enforcement probability $\pi$")
    ax.set_ylabel("legal penalty $F$")
    page.figure(
        ax.figure,
        "region_map_lending",
        "Equilibrium sets of the lending game over enforcement π and penalty F (other "
        "parameters at their defaults); lines are the symbolic boundaries.",
    )
    frame = rmap.to_frame()
    cols = [c for c in ("equilibria", "share") if c in frame.columns]
    page.table(
        frame[cols] if cols else frame.astype(str),
        "regions_lending",
        "Regions of the map and their share of the plane.",
    )
    summary["region_map"] = {
        "x": "pi",
        "y": "F",
        "regions": frame[cols].astype(str).reset_index().to_dict("records") if cols else [],
    }


def _alliance_section(
    page: Page, model: Any, settings: dict, summary: dict, step: Callable[[str], None]
) -> None:
    import matplotlib.pyplot as plt

    from alliance.figures import draw_network, loss_decomposition, margin_curve

    net = model.network
    sim = model.settings(scenarios=settings["scenarios"])
    page.paragraph(
        f"{format_count(len(net.members), 'member')}, "
        f"{format_count(len(net.guarantors), 'guarantee institution')}, "
        f"{format_count(len(net.funds), 'fund')}, "
        f"{format_count(len(net.chains('guarantee')), 'guarantee chain')} and "
        f"{format_count(len(net.chains('trade')), 'trade chain')}; "
        f"bank policy {model.policy!r}; {_scenarios_text(sim['scenarios'])}, "
        f"ρ = {format_number(sim['rho'])}, void probability {format_number(sim['void_prob'])}, "
        f"seed {sim['seed']}."
        + (f" Amounts in {model.currency}." if model.currency else "")
    )
    fig, ax = plt.subplots(figsize=(7.0, 5.0))
    draw_network(net, ax=ax)
    page.figure(
        fig,
        "alliance_network",
        "The alliance: members (area: demand; colour: pd), "
        "guarantee chains (solid), trade chains (dashed), guarantee circles highlighted.",
    )
    step("credit margin")
    # the tail limit binds: its check draws the scenarios by importance sampling on the
    # systematic factor (Glasserman & Li 2005), not by counting a few plain tail scenarios
    rep = net.credit_margin(model.policy, progress=False, sampling="importance", **sim)
    # the names of CreditMarginReport.to_dict(), so the CSV reads like the result
    headline = rep.to_dict()
    head = pd.DataFrame(
        [
            {
                k: headline[k]
                for k in (
                    "standalone_total",
                    "alliance_limit",
                    "standard_error",
                    "margin",
                    "multiplier",
                    "upper_bound",
                    "binding",
                )
            }
        ]
    )
    page.heading("Credit margin", level=3)
    page.table(
        head,
        "credit_margin",
        "The alliance limit against the sum of the members' standalone limits "
        "(standalone_total), its standard error, the credit margin and multiplier, the "
        "programme's upper bound and the binding limit.",
        index=False,
    )
    page.table(
        rep.loss_split_frame(),
        "loss_split",
        "The bank's expected loss at the alliance limit, by risk.",
    )
    from alliance.network.report_v2 import allocation_table, binding_table

    page.table(
        allocation_table(rep).round(6),
        "allocation",
        "The allocation (version 2): each member's standalone limit, its loan in the alliance, "
        "its gain and fill ratio.",
    )
    page.table(
        binding_table(rep),
        "binding_constraints",
        "Binding constraints and the programme's shadow prices (extra alliance credit per unit).",
        index=False,
    )
    page.table(
        rep.members,
        "members",
        "Members: standalone limit, alliance loan (the optimal allocation, version 2), fill "
        "ratio, default probability with contagion.",
    )
    step("where the margin comes from")
    from alliance.figures import margin_waterfall

    dec = net.margin_decomposition(
        model.policy,
        scenarios=settings["curve_scenarios"],
        rho=sim["rho"],
        seed=sim["seed"],
        void_prob=sim["void_prob"],
        sector_rho=sim["sector_rho"],
        progress=False,
    )
    ax = margin_waterfall(dec)
    page.figure(
        ax.figure,
        "margin_waterfall",
        "Where the margin comes from: Shapley value over pooling, the fund, guarantees and "
        f"pledged receivables ({settings['curve_scenarios']} common scenarios).",
    )
    page.table(dec.to_frame(), "margin_decomposition", "The margin by mechanism.")
    from alliance.network.report_v2 import check_claims, margin_claims

    # every sentence stating a result is computed, and checked against its numbers as written
    claims = margin_claims(rep, dec)
    texts = [c.text for c in claims]
    check_claims(claims, texts)
    for text in texts:
        page.paragraph(text)
    step("margin against correlation")
    curve = net.margin_curve(
        model.policy,
        rho=list(settings["rho"]),
        scenarios=settings["curve_scenarios"],
        seed=sim["seed"],
        void_prob=sim["void_prob"],
        sector_rho=sim["sector_rho"],
        progress=False,
    )
    ax = margin_curve(curve)
    page.figure(
        ax.figure,
        "margin_curve",
        "Credit margin (±2 s.e.) and multiplier against the default correlation ρ.",
    )
    risks = [k for k in ("credit", "operational", "guarantor", "contagion") if k in curve.columns]
    loss = curve.set_index("rho")[risks] if "rho" in curve.columns else curve[risks]
    ax = loss_decomposition(loss)
    ax.set_xlabel("default correlation ρ")
    page.figure(
        ax.figure, "loss_decomposition", "The bank's expected loss by risk at each correlation."
    )
    page.table(curve, "margin_curve", "Margin and expected-loss split against ρ.", index=False)
    step("credit shares")
    shares = model.credit_shares(
        method="sampled", scenarios=settings["shares_scenarios"], samples=settings["shares_samples"]
    )
    page.heading("Credit shares", level=3)
    page.paragraph(
        "Shapley values of the alliance limit (permutation sampling, "
        f"{format_count(settings['shares_samples'], 'order')}, "
        f"{format_count(settings['shares_scenarios'], 'common scenario')}): in the core: "
        f"{shares.in_core} ({shares.core_method}, largest excess "
        f"{format_number(shares.max_excess)})."
    )
    page.table(
        shares.to_frame(),
        "credit_shares",
        "Each member's credit share, its standalone limit and its gain.",
    )
    summary["alliance"] = {
        "members": len(net.members),
        "policy": repr(model.policy),
        "simulation": {k: v for k, v in sim.items()},
        "credit_margin": {
            k: (v if not isinstance(v, float) or np.isfinite(v) else str(v))
            for k, v in rep.to_dict().items()
        },
        "loss_split": rep.loss_split,
        "margin_curve": curve.to_dict("records"),
        "margin_decomposition": {k: float(v) for k, v in dec.values.items()},
        "credit_shares": {k: float(v) for k, v in shares.values.items()},
        "shares_in_core": bool(shares.in_core),
        "sentences": [{"text": c.text, "values": c.values} for c in claims],
    }


def _bar(total: int, progress: bool | None, desc: str):
    from alliance.progress import progress_bar

    return progress_bar(total=total, progress=progress, desc=desc, unit="step")


def _jsonable(obj: Any) -> Any:
    from alliance.io.expectations import to_jsonable as convert

    return convert(obj)


# ------------------------------------------------------------------ public entry points
@_styled
def run_demo(
    folder: str | Path = "alliance-demo", *, quick: bool = False, progress: bool | None = None
) -> dict[str, Any]:
    """The full analysis of the shipped example, written to ``folder``.

    Writes ``report.html``, ``summary.json``, ``figures/*.pdf|png`` and ``tables/*.csv``.

    Parameters
    ----------
    folder : str or Path
    quick : bool
        Fewer scenarios and samples (for tests); the full run is ``make demo``.
    progress : bool or None
        Show a progress bar (None: only in a terminal).

    Returns
    -------
    dict
        The JSON summary (also written to ``summary.json``), with ``"files"`` and ``"seconds"``.

    Examples
    --------
    The run takes about a minute (``tests/test_cli.py`` runs the quick one): write
    ``run_demo("alliance-demo")`` in a notebook, or ``alliance demo`` in a terminal. Its
    scenario counts are :data:`DEMO_SETTINGS`:

    >>> DEMO_SETTINGS["quick"]["scenarios"] < DEMO_SETTINGS["full"]["scenarios"]
    True
    """
    from alliance.io.files import read_model, shipped_models

    start = time.perf_counter()
    settings = DEMO_SETTINGS["quick" if quick else "full"]
    page = Page(folder, "alliance: the demo analysis of the shipped example")
    summary: dict[str, Any] = {"quick": quick, "models": {}}
    files = shipped_models()
    game_names = [n for n in files if n != "example_alliance"]
    bar = _bar(len(game_names) + 6, progress, "alliance demo")

    def step(what: str) -> None:
        bar.set_postfix_str(what)
        bar.update(1)

    page.paragraph(
        "Equilibria of each domain model at its defaults, the tripartite stability table, a region "
        "map, and the example alliance's credit margin, loss decomposition and credit shares. Every "
        "model is read from its shipped file (alliance/data/models); rerun any part with the "
        "`alliance` command."
    )
    page.heading("Equilibria of the domain models")
    models = {}
    for name in game_names:
        models[name] = read_model(files[name])
        _game_section(page, name, models[name], summary["models"])
        step(name)
    page.heading("Tripartite stability table")
    _tripartite_section(page, models["tripartite"], settings, summary)
    step("stability table")
    page.heading("Region map")
    _region_section(page, models["lending"], settings, summary)
    step("region map")
    page.heading("The example alliance")
    _alliance_section(page, read_model(files["example_alliance"]), settings, summary, step)
    path = page.write()
    step("report")
    bar.close()
    summary["seconds"] = round(time.perf_counter() - start, 2)
    summary["files"] = ["report.html", "summary.json", *page.files]
    (Path(folder) / "summary.json").write_text(
        json.dumps(_jsonable(summary), indent=2), encoding="utf-8"
    )
    summary["report"] = str(path)
    return summary


@_styled
def model_report(
    model: Any,
    folder: str | Path,
    *,
    params: dict | None = None,
    quick: bool = False,
    progress: bool | None = None,
) -> dict[str, Any]:
    """The report of one model (a GameModel or an AllianceModel) written to ``folder``.

    Returns the JSON summary (also written to ``summary.json``).

    Parameters
    ----------
    model : GameModel or AllianceModel
        The model (see :func:`alliance.io.read_model`).
    folder : str or Path
        Where ``report.html``, ``summary.json``, ``figures/`` and ``tables/`` are written.
    params : dict, optional
        Parameter values of a game model (default: its defaults).
    quick : bool, default False
        Fewer scenarios and samples (for tests).
    progress : bool or None, default None
        Show a progress bar (None: only in a terminal, for long work).

    Returns
    -------
    dict
        The JSON summary, with ``"files"`` and ``"seconds"``.

    Examples
    --------
    >>> import tempfile
    >>> from alliance.io import read_model, shipped_model
    >>> summary = model_report(read_model(shipped_model("lending")), tempfile.mkdtemp())
    >>> summary["files"][:3]
    ['report.html', 'summary.json', 'tables/parameters.csv']
    """
    from alliance.io.toml_alliance import AllianceModel

    start = time.perf_counter()
    settings = dict(DEMO_SETTINGS["quick" if quick else "full"])
    title = getattr(model, "title", "") or Path(str(getattr(model, "source", "model"))).stem
    page = Page(folder, f"alliance report: {title}")
    summary: dict[str, Any] = {"source": getattr(model, "source", None)}
    bar = _bar(4, progress, "alliance report")

    def step(what: str) -> None:
        bar.set_postfix_str(what)
        bar.update(1)

    if isinstance(model, AllianceModel):
        settings["scenarios"] = model.simulation.scenarios if not quick else settings["scenarios"]
        page.heading("The alliance")
        _alliance_section(page, model, settings, summary, step)
    else:
        page.heading("Parameters")
        if model.parameters:
            page.table(model.to_frame(), "parameters", "Parameters, defaults and ranges.")
        else:
            page.paragraph("The game has no parameters.")
        if model.kind != "sequential":
            page.heading("Payoffs")
            page.table(
                payoff_frame(model.at(params or {})),
                "payoffs",
                "Payoffs at the values used.",
                index=False,
            )
        step("payoffs")
        page.heading("Equilibria")
        frame = equilibria_frame(model, params)
        page.table(frame, "equilibria", "Equilibria at the values used.")
        summary["equilibria"] = frame.reset_index().to_dict("records")
        step("equilibria")
        if model.kind == "evolutionary":
            page.heading("Stability table")
            table = model.evolutionary(params or {}).stability_table()
            st = stability_frame(table)
            page.table(st, "stability", "Rest points, eigenvalues and verdicts.")
            summary["stability"] = st.reset_index().to_dict("records")
        if model.kind == "sequential":
            from alliance.figures.tree import game_tree

            ax = game_tree(model.at(params or {}))
            page.figure(ax.figure, "tree", "The game tree; subgame-perfect actions highlighted.")
        step("analysis")
    path = page.write()
    step("report")
    bar.close()
    summary["seconds"] = round(time.perf_counter() - start, 2)
    summary["files"] = ["report.html", "summary.json", *page.files]
    (Path(folder) / "summary.json").write_text(
        json.dumps(_jsonable(summary), indent=2), encoding="utf-8"
    )
    summary["report"] = str(path)
    return summary
