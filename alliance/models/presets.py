"""Country presets of the guarantee game for seed 000: United States, Japan, Indonesia.

Each preset is a parameter set of :func:`~alliance.models.guarantee.guarantee_game` stored
as TOML under ``alliance/data/presets/``. Every number is one of

* **sourced**: read in a document; the preset records the document, the sentence quoted (in
  its original language), its address, the year and the grade (``P`` primary, ``S``
  secondary), and the exact figure as it appears in the sentence (``quoted``);
* **derived**: computed from such a figure, with the derivation (e.g. ``s = 1 - 0.75``);
* **assumption**: no figure was read; the reason is given. Parameters a preset does not list
  take the model's default and are reported as assumptions too.

No figure is attributed to a source that does not contain it; the tests check that each
``quoted`` figure appears in its quoted sentence. The facts are collected, with their
addresses, in ``docs/guarantee_schemes.md``.

Examples
--------
>>> from alliance.models import presets
>>> presets.PRESETS
('united_states', 'japan', 'indonesia')
>>> table = presets.describe("japan")
>>> row = table.loc[("japan", "gamma")]
>>> float(row["value"]), row["kind"]
(0.7, 'sourced')
>>> (outcome,) = presets.solve("japan")
>>> outcome.loan_made
True
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

import pandas as pd

from alliance.errors import ModelFileError, ParameterError
from alliance.models.guarantee import GUARANTEE_INFO, GuaranteeOutcome, solve_guarantee

__all__ = ["PRESETS", "KINDS", "Preset", "load", "describe", "solve", "compare"]

PRESETS = ("united_states", "japan", "indonesia")
KINDS = ("sourced", "derived", "assumption")
_SOURCE_FIELDS = ("document", "quote", "address", "year", "grade", "quoted")


@dataclass(frozen=True)
class Preset:
    """A country's parameter set with the provenance of every number.

    Made by :func:`load` from the preset's TOML file.

    Parameters
    ----------
    name, title : str
        The preset's key (``"japan"``) and a readable description of the scheme.
    mode, pricing : str
        The guarantee game's mode and pricing rule (:func:`~alliance.models.guarantee_game`).
    values : dict
        Every parameter of the mode: the preset's value, or the model default.
    provenance : dict
        name -> dict with ``kind`` and the source fields or the ``reason``.
    not_modelled : tuple of str
        Features of the scheme the model leaves out.

    Examples
    --------
    >>> load("japan")
    Preset(japan: Japan: credit guarantee corporation, responsibility-sharing (partial guarantee) method, JFC credit insurance; mode policy; 19 assumption, 2 sourced, 1 derived)
    """

    name: str
    title: str
    mode: str
    pricing: str
    values: dict
    provenance: dict
    not_modelled: tuple[str, ...] = ()

    def __repr__(self) -> str:
        kinds = pd.Series([p["kind"] for p in self.provenance.values()]).value_counts()
        counts = ", ".join(f"{n} {k}" for k, n in kinds.items())
        return f"Preset({self.name}: {self.title}; mode {self.mode}; {counts})"


def _path(name: str):
    return resources.files("alliance") / "data" / "presets" / f"{name}.toml"


@cache
def load(name: str) -> Preset:
    """Read a preset (``"united_states"``, ``"japan"`` or ``"indonesia"``).

    Parameters
    ----------
    name : str
        One of :data:`PRESETS`.

    Returns
    -------
    Preset
        The values of every parameter of the preset's mode and where each comes from.

    Raises
    ------
    ParameterError
        An unknown preset.
    ModelFileError
        A preset file that lacks a field, names an unknown parameter, or gives a number
        without a source or an assumption flag.

    Examples
    --------
    >>> load("japan").mode
    'policy'
    """
    if name not in PRESETS:
        raise ParameterError(f"preset is {name!r}; known presets are {', '.join(PRESETS)}")
    path = _path(name)
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    head = data.get("preset", {})
    for key in ("name", "title", "mode", "pricing"):
        if key not in head:
            raise ModelFileError(f"{path}: [preset] lacks '{key}'")
    info = GUARANTEE_INFO.for_mode(head["mode"])
    values = dict(info.defaults())
    provenance = {
        p.name: {"kind": "assumption", "reason": f"model default ({p.source}); no figure for "
                 f"this country was read"}
        for p in info.parameters
    }
    for pname, entry in data.get("parameters", {}).items():
        where = f"{path}: [parameters.{pname}]"
        if pname not in info:
            raise ModelFileError(f"{where}: the {head['mode']} mode has no parameter {pname!r}")
        kind = entry.get("kind")
        if kind not in KINDS:
            raise ModelFileError(f"{where}: kind is {kind!r}; it must be one of {KINDS}")
        if "value" not in entry:
            raise ModelFileError(f"{where}: no value")
        if kind == "assumption":
            if not entry.get("reason"):
                raise ModelFileError(f"{where}: an assumption needs a reason")
        else:
            missing = [f for f in _SOURCE_FIELDS if not entry.get(f)]
            if kind == "derived" and not entry.get("derivation"):
                missing.append("derivation")
            if missing:
                raise ModelFileError(f"{where}: a {kind} number needs {', '.join(missing)}")
            if entry["quoted"] not in entry["quote"]:
                raise ModelFileError(f"{where}: {entry['quoted']!r} is not in the quoted sentence")
        values[pname] = info[pname].check(entry["value"])
        provenance[pname] = {k: v for k, v in entry.items() if k != "value"}
    return Preset(head["name"], head["title"], head["mode"], head["pricing"], values,
                  provenance, tuple(head.get("not_modelled", ())))


def describe(name: str | None = None) -> pd.DataFrame:
    """Every parameter of one preset (or all), its value, and its source or assumption flag.

    Parameters
    ----------
    name : str, optional
        One of :data:`PRESETS`; every preset when omitted.

    Returns
    -------
    pandas.DataFrame
        Index (preset, parameter); columns ``value``, ``kind``, ``source`` (document, year
        and grade, or the reason of an assumption), ``quote``, ``address``, ``derivation``.

    Examples
    --------
    >>> describe("indonesia").shape
    (22, 6)
    """
    names = PRESETS if name is None else (name,)
    rows = []
    for n in names:
        preset = load(n)
        for pname, value in preset.values.items():
            prov = preset.provenance[pname]
            if prov["kind"] == "assumption":
                source = "assumption: " + prov["reason"]
            else:
                source = f"{prov['document']} ({prov['year']}; grade {prov['grade']})"
            rows.append({
                "preset": n,
                "parameter": pname,
                "value": float(value),
                "kind": prov["kind"],
                "source": source,
                "quote": prov.get("quote", ""),
                "address": prov.get("address", ""),
                "derivation": prov.get("derivation", ""),
            })
    return pd.DataFrame(rows).set_index(["preset", "parameter"])


def solve(name: str, **overrides: Any) -> list[GuaranteeOutcome]:
    """Solve the guarantee game at a preset.

    Parameters
    ----------
    name : str
        One of :data:`PRESETS`.
    **overrides : float
        Parameters of the preset's mode (see ``describe(name)`` for the names and
        :func:`~alliance.models.guarantee_game` for units and ranges) replacing the preset's
        values.

    Returns
    -------
    list of GuaranteeOutcome
        One per pure equilibrium of the stage game.

    Raises
    ------
    ParameterError
        An unknown preset, or a value outside its range.

    Examples
    --------
    >>> [o.loan_made for o in solve("japan", gamma=0.5)]
    [True]
    """
    preset = load(name)
    values = dict(preset.values, **overrides)
    return solve_guarantee(preset.mode, pricing=preset.pricing, **values)


def compare(mu: float = 0.25, **overrides: Any) -> pd.DataFrame:
    r"""Seed 000's comparison: cost to the state and self-sustainability of each preset.

    One row per preset (the stage game's equilibrium, the worst for welfare if several):
    whether the loan is made, the fee the SME pays, the state's subsidy to the guarantor, its
    treasury outlay and net outlay per loan of 100, the cost :math:`(1+\mu)O`, welfare, and
    whether the scheme is self-sustaining (loan made and :math:`O \le 0`).

    Parameters
    ----------
    mu : float, default 0.25
        Shadow cost of public funds, :math:`\ge 0` (each unit of public money costs
        :math:`1 + \mu` units of welfare).
    **overrides : float
        Parameters applied to every preset, as in :func:`solve`.

    Returns
    -------
    pandas.DataFrame
        One row per preset, the columns listed above (money per loan of 100).

    Examples
    --------
    >>> compare()[["loan made", "self-sustaining"]]  # doctest: +NORMALIZE_WHITESPACE
                  loan made self-sustaining
    united_states      True            True
    japan              True           False
    indonesia          True           False
    """
    from alliance.models.welfare import welfare

    rows = {}
    for n in PRESETS:
        outcomes = solve(n, **overrides)
        scored = [(welfare(o, mu), o) for o in outcomes]
        w, o = min(scored, key=lambda t: t[0]["welfare"])
        rows[n] = {
            "profile": o.profile_label,
            "loan made": o.loan_made,
            "fee paid by SME": float(o.fee),
            "subsidy to guarantor": float(o.subsidy),
            "interest subsidy": float(o.flows["interest_subsidy"]),
            "bailout": float(o.flows["bailout"]),
            "treasury outlay": float(o.flows["treasury_outlay"]),
            "state net outlay": w["state_net_outlay"],
            "cost to the state": w["state_cost"],
            "welfare": w["welfare"],
            "self-sustaining": w["self_sustaining"],
        }
    return pd.DataFrame(rows).T
