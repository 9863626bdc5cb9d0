r"""Expectations files: claims about a model, checked and reported pass/fail with the numbers.

An economist's paper states results ("(lend, repay) is the unique equilibrium at the
defaults", "this equilibrium exists exactly when :math:`r > c/L`"); an expectations file
states them so that ``alliance check MODEL EXPECTATIONS`` can run in the paper's CI and fail
when a change of calibration breaks a proposition.

Schema (TOML)::

    [expectations]
    title = "Proposition 2"                # optional

    [[claims]]
    id = "prop2-unique"                    # optional, default "claim 1", "claim 2", ...
    type = "unique_equilibrium"
    profile = ["lend", "repay"]            # strategy names, or probabilities [[1, 0], ["1/3", "2/3"]]
    params = { pi = 0.9, F = 60 }          # optional: values replacing the defaults

    [[claims]]
    type = "equilibrium_iff"               # the pure profile is an equilibrium exactly when ...
    profile = ["lend", "repay"]
    condition = "(1 + r)*L <= pi*(C + F)"  # comparisons joined by "and"
    vary = ["r", "pi"]                     # default: the parameters in the condition
    ranges = { r = [0.01, 0.5] }           # default: the parameters' ranges in the model
    samples = 2000                         # random points (seeded; default 2000)

    [[claims]]
    type = "ess"                           # a corner of the replicator dynamics is an ESS ...
    corner = [1, 1, 1]                     # 0/1 per population (1 = its first strategy)
    condition = "sigma <= 0.03"            # ... wherever this holds (optional)
    exactly = false                        # true: and nowhere else
    ess = true                             # false: the corner is NOT an ESS there

    [[claims]]
    type = "margin"                        # an alliance model's credit margin
    params = { rho = 0.2 }                 # simulation or policy settings
    quantity = "margin / standalone_total" # any expression in the report's numbers
    at_least = 0.3                         # and/or at_most, or equals with tol

Claim types: ``equilibrium`` (the profile is an equilibrium: zero regret), ``unique_equilibrium``,
``equilibrium_count`` (``count``, optionally ``pure = true``), ``equilibrium_iff``, ``ess``
and ``margin``. The numbers of a ``margin`` quantity are ``standalone_total``,
``alliance_limit``, ``margin``, ``multiplier``, ``share``, ``expected_loss``,
``standard_error``, ``credit``, ``operational`` and ``guarantor``.

Examples
--------
>>> from alliance.io.toml_games import read_game
>>> model = read_game(text='''
... [game]
... players = ["Bank", "SME"]
... strategies = [["lend", "refuse"], ["repay", "default"]]
... [parameters]
... r = {default = 0.1, range = [0, 1]}
... c = {default = 5, range = [0, 100]}
... L = {default = 100, range = [1, 1000]}
... [[payoffs]]
... profile = ["lend", "repay"]
... values = ["r*L - c", 1]
... [[payoffs]]
... profile = ["lend", "default"]
... values = [-1, 2]
... [[payoffs]]
... profile = ["refuse", "repay"]
... values = [0, 0]
... [[payoffs]]
... profile = ["refuse", "default"]
... values = [0, 0]
... ''')
>>> claims = read_expectations(text='''
... [[claims]]
... type = "equilibrium"
... profile = ["refuse", "default"]
... [[claims]]
... type = "equilibrium_iff"
... profile = ["lend", "repay"]
... condition = "r > c/L"
... ''')
>>> report = check(model, claims)
>>> report.passed
False
>>> [r.passed for r in report.results]
[True, False]
"""

from __future__ import annotations

import html
import json
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path
from typing import Any

import numpy as np
import sympy as sp

from alliance.errors import AllianceError, ModelFileError, ParameterError
from alliance.expr import parse_expression
from alliance.io.schema import Source, load_toml, suggest
from alliance.numbers import format_number, to_sympy

__all__ = [
    "Claim",
    "Expectations",
    "ClaimResult",
    "CheckReport",
    "read_expectations",
    "check",
    "to_jsonable",
    "parse_condition",
    "CLAIM_TYPES",
    "MARGIN_QUANTITIES",
    "JSON_SCHEMA_ID",
]

JSON_SCHEMA_ID = "alliance-check/1"
CLAIM_TYPES = (
    "equilibrium",
    "unique_equilibrium",
    "equilibrium_count",
    "equilibrium_iff",
    "ess",
    "margin",
)
MARGIN_QUANTITIES = (
    "standalone_total",
    "alliance_limit",
    "margin",
    "multiplier",
    "share",
    "expected_loss",
    "standard_error",
    "credit",
    "operational",
    "guarantor",
)
_MARGIN_SETTINGS = (
    "scenarios",
    "rho",
    "sector_rho",
    "void_prob",
    "seed",
    "max_el_rate",
    "var_alpha",
    "max_var_rate",
)
_KEYS = {
    "equilibrium": ("profile", "params", "tol"),
    "unique_equilibrium": ("profile", "params", "tol"),
    "equilibrium_count": ("count", "pure", "params"),
    "equilibrium_iff": (
        "profile",
        "condition",
        "vary",
        "ranges",
        "samples",
        "seed",
        "params",
        "tol",
    ),
    "ess": ("corner", "ess", "condition", "exactly", "vary", "ranges", "samples", "seed", "params"),
    "margin": ("params", "quantity", "at_least", "at_most", "equals", "tol"),
}
_COMMON = ("id", "type", "description")
_MAX_SAMPLES = 200_000
_REL = re.compile(r"(<=|>=|==|!=|<|>)")
_OPS = {
    "<": np.less,
    "<=": np.less_equal,
    ">": np.greater,
    ">=": np.greater_equal,
    "==": np.equal,
    "!=": np.not_equal,
}


# ------------------------------------------------------------------ conditions
def parse_condition(
    text: str, symbols: Mapping[str, sp.Symbol], field: str = "condition"
) -> list[tuple]:
    """Parse ``"r > c/L and pi <= 1/2"`` into ``[(lhs, op, rhs), ...]`` safely.

    Each side goes through :func:`alliance.expr.parse_expression`; chains such as
    ``"0 < r < 1"`` become two comparisons.

    Parameters
    ----------
    text : str
        Comparisons (``<``, ``<=``, ``>``, ``>=``, ``==``, ``!=``) joined by ``and``.
    symbols : mapping of str to sympy.Symbol
        The model's parameters: the only names the condition may use.
    field : str, default "condition"
        The name quoted in the error message.

    Returns
    -------
    list of tuple
        One ``(lhs, op, rhs)`` per comparison, the sides as SymPy expressions.

    Examples
    --------
    >>> import sympy as sp
    >>> r, c, L = sp.symbols("r c L")
    >>> parse_condition("r > c/L", {"r": r, "c": c, "L": L})
    [(r, '>', c/L)]
    """
    if not isinstance(text, str) or not text.strip():
        raise ParameterError(f"{field} must be a non-empty comparison such as 'r > c/L'")
    out = []
    for part in re.split(r"\band\b", text):
        pieces = _REL.split(part)
        if len(pieces) < 3:
            raise ParameterError(
                f"{field} {text!r}: '{part.strip()}' is not a comparison (use <, <=, >, >=, ==)"
            )
        exprs = [parse_expression(p, symbols, field=field) for p in pieces[::2]]
        for a, op, b in zip(exprs, pieces[1::2], exprs[1:]):
            out.append((a, op, b))
    return out


def _condition_text(relations: list[tuple]) -> str:
    return " and ".join(f"{a} {op} {b}" for a, op, b in relations)


# ------------------------------------------------------------------ claims
@dataclass(frozen=True)
class Claim:
    """One claim of an expectations file (validated fields, raw values kept in ``spec``).

    Parameters
    ----------
    id : str
        The claim's identifier in the file.
    type : str
        Its kind (``"equilibrium"``, ``"equilibrium_count"``, ``"equilibrium_iff"``, ...).
    spec : mapping
        The claim's table as read from the file.
    key : str
        Where it stands in the file (``"claims[0]"``).
    description : str, default ""
        The file's words for it.

    Examples
    --------
    >>> e = read_expectations(text='[[claims]]\\nid = "one"\\ntype = "equilibrium_count"\\ncount = 1')
    >>> e.claims[0].id, e.claims[0].type, e.claims[0].key
    ('one', 'equilibrium_count', 'claims[0]')
    """

    id: str
    type: str
    spec: Mapping[str, Any]
    key: str
    description: str = ""


@dataclass(frozen=True)
class Expectations:
    """The claims of an expectations file.

    Parameters
    ----------
    claims : tuple of Claim
        The claims, in file order.
    title : str, default ""
        The file's title.
    source : str, default "<string>"
        The file it was read from.
    text : str, default ""
        The file's text (for line numbers in error messages).

    Examples
    --------
    >>> e = read_expectations(text='[[claims]]\\nid = "one"\\ntype = "equilibrium_count"\\ncount = 1')
    >>> len(e.claims), e.source
    (1, '<string>')
    """

    claims: tuple[Claim, ...]
    title: str = ""
    source: str = "<string>"
    text: str = field(default="", repr=False)

    def _source(self) -> Source:
        return Source(self.text, self.source)


def read_expectations(path: str | Path | None = None, *, text: str | None = None) -> Expectations:
    """Read an expectations file (see the module docstring for the schema).

    Raises
    ------
    ModelFileError
        Invalid TOML, unknown claim types or keys (with the nearest known one), wrong types.

    Parameters
    ----------
    path : str or Path, optional
        The file to read.
    text : str, optional
        The file's text instead (``path`` then only names it in messages).

    Returns
    -------
    Expectations
        The validated claims.

    Examples
    --------
    >>> from alliance.io import shipped_model
    >>> e = read_expectations(shipped_model("lending").with_name("lending.expect.toml"))
    >>> [c.type for c in e.claims][:2]
    ['equilibrium', 'equilibrium_count']
    """
    data, src = load_toml(path if path is not None else "<string>", text=text)
    src.keys(data, ("expectations", "claims"), "", required=("claims",))
    head = src.table(data.get("expectations", {}), "expectations")
    src.keys(head, ("title", "model", "description"), "expectations")
    title = src.string(head.get("title", ""), "expectations.title", empty=True)
    raw = data["claims"]
    if not isinstance(raw, list) or not raw:
        raise src.error("claims must be a non-empty array of tables [[claims]]", "claims")
    claims = []
    ids: set[str] = set()
    for i, entry in enumerate(raw):
        key = f"claims[{i}]"
        entry = src.table(entry, key)
        kind = src.string(entry.get("type", ""), f"{key}.type", empty=True)
        if kind not in CLAIM_TYPES:
            raise src.error(
                f"claim type is {kind!r}{suggest(kind, CLAIM_TYPES)}; types are {', '.join(CLAIM_TYPES)}",
                f"{key}.type",
            )
        src.keys(entry, _COMMON + _KEYS[kind], key)
        cid = src.string(entry.get("id", f"claim {i + 1}"), f"{key}.id")
        if cid in ids:
            raise src.error(f"claim id {cid!r} is used twice", f"{key}.id")
        ids.add(cid)
        if "params" in entry:
            params = src.table(entry["params"], f"{key}.params")
            for k, v in params.items():
                if kind == "margin" and k == "scenarios" and v == "exact":
                    continue
                src.number(v, f"{key}.params.{k}")
        for k in ("samples",):
            if k in entry:
                n = src.integer(entry[k], f"{key}.{k}", lo=1)
                if n > _MAX_SAMPLES:
                    raise src.error(
                        f"{key}.samples is {n}; the limit is {_MAX_SAMPLES}", f"{key}.samples"
                    )
        if "seed" in entry:
            src.integer(entry["seed"], f"{key}.seed", lo=0)
        for k in ("exactly", "pure", "ess"):
            if k in entry:
                src.boolean(entry[k], f"{key}.{k}")
        for k in ("tol", "at_least", "at_most", "equals"):
            if k in entry:
                src.number(entry[k], f"{key}.{k}")
        if "count" in entry:
            src.integer(entry["count"], f"{key}.count", lo=0)
        for k in ("condition", "quantity"):
            if k in entry:
                src.string(entry[k], f"{key}.{k}")
        if "vary" in entry:
            src.strings(entry["vary"], f"{key}.vary")
        required = {
            "equilibrium": ("profile",),
            "unique_equilibrium": ("profile",),
            "equilibrium_count": ("count",),
            "equilibrium_iff": ("profile", "condition"),
            "ess": ("corner",),
            "margin": ("quantity",),
        }[kind]
        for k in required:
            if k not in entry:
                raise src.error(f"a claim of type {kind!r} needs '{k}'", key)
        if kind == "margin" and not any(k in entry for k in ("at_least", "at_most", "equals")):
            raise src.error("a margin claim needs at_least, at_most or equals", key)
        desc = src.string(entry.get("description", ""), f"{key}.description", empty=True)
        claims.append(Claim(cid, kind, dict(entry), key, desc))
    return Expectations(tuple(claims), title, src.name, src.text)


# ------------------------------------------------------------------ results
def to_jsonable(value: Any) -> Any:
    """A result value in JSON's types: fractions and SymPy numbers as floats, non-finite
    floats as the strings ``"nan"``/``"inf"``, expressions as text, containers recursively.

    Parameters
    ----------
    value : Any
        A number, an expression, or a container of them.

    Returns
    -------
    Any
        The value in JSON's types.

    Examples
    --------
    >>> to_jsonable({"p": Fraction(1, 4), "x": float("nan"), "n": np.int64(3)})
    {'p': 0.25, 'x': 'nan', 'n': 3}
    """
    if isinstance(value, bool) or value is None or isinstance(value, str):
        return value
    if isinstance(value, (int, np.integer)):
        return int(value)
    if isinstance(value, Fraction):
        return float(value)
    if isinstance(value, (float, np.floating)):
        v = float(value)
        return v if math.isfinite(v) else str(v)
    if isinstance(value, Mapping):
        return {str(k): to_jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, np.ndarray)):
        return [to_jsonable(v) for v in value]
    if isinstance(value, sp.Basic):
        if value.is_number:
            return float(value)
        return str(value)
    return str(value)


@dataclass(frozen=True)
class ClaimResult:
    """The verdict on one claim.

    Parameters
    ----------
    id, type : str
    claim : str
        The claim in words, e.g. ``"(lend, repay) is the unique equilibrium at pi=0.9"``.
    passed : bool
    detail : str
        What was found, with the numbers (``"3 equilibria: ..."``).
    numbers : dict
        The numbers behind the verdict (JSON-ready in :meth:`CheckReport.to_dict`).

    Examples
    --------
    >>> r = ClaimResult("one", "equilibrium_count", "the game has 1 equilibrium", True, "found 1")
    >>> r.to_dict()["passed"]
    True
    """

    id: str
    type: str
    claim: str
    passed: bool
    detail: str
    numbers: Mapping[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """The verdict as JSON-ready data (one entry of :meth:`CheckReport.to_dict`).

        Returns
        -------
        dict
            ``id``, ``type``, ``claim``, ``passed``, ``detail`` and ``numbers``.

        Examples
        --------
        >>> ClaimResult("one", "equilibrium", "(a, b) is an equilibrium", False, "regret 1").to_dict()
        {'id': 'one', 'type': 'equilibrium', 'claim': '(a, b) is an equilibrium', 'passed': False, 'detail': 'regret 1', 'numbers': {}}
        """
        return {
            "id": self.id,
            "type": self.type,
            "claim": self.claim,
            "passed": self.passed,
            "detail": self.detail,
            "numbers": to_jsonable(dict(self.numbers)),
        }


@dataclass(frozen=True)
class CheckReport:
    """All verdicts of one ``alliance check`` run.

    ``passed`` is true when every claim holds; :meth:`to_dict` is the ``--json`` output and
    validates against ``docs/expectations-schema.json``.

    Parameters
    ----------
    model : str
        The model checked (its file or title).
    expectations : str
        The expectations file.
    results : tuple of ClaimResult
        One verdict per claim, in file order.
    title : str, default ""
        The expectations file's title.

    Examples
    --------
    >>> from alliance.io import read_model, shipped_model
    >>> report = check(read_model(shipped_model("lending")),
    ...                read_expectations(shipped_model("lending").with_name("lending.expect.toml")))
    >>> report.passed, len(report.results), report.failed
    (True, 6, ())
    """

    model: str
    expectations: str
    results: tuple[ClaimResult, ...]
    title: str = ""

    @property
    def passed(self) -> bool:
        """Whether every claim holds."""
        return all(r.passed for r in self.results)

    @property
    def failed(self) -> tuple[ClaimResult, ...]:
        """The verdicts of the claims that do not hold."""
        return tuple(r for r in self.results if not r.passed)

    def to_dict(self) -> dict[str, Any]:
        """The ``--json`` output of ``alliance check`` (schema docs/expectations-schema.json).

        Returns
        -------
        dict
            Schema id, model, expectations, verdicts and the count of passed claims.

        Examples
        --------
        >>> CheckReport("m.toml", "m.expect.toml", ()).to_dict()["passed"]
        True
        """
        return {
            "schema": JSON_SCHEMA_ID,
            "model": self.model,
            "expectations": self.expectations,
            "title": self.title,
            "passed": self.passed,
            "n_claims": len(self.results),
            "n_failed": len(self.failed),
            "claims": [r.to_dict() for r in self.results],
        }

    def to_json(self) -> str:
        """:meth:`to_dict` as indented JSON text.

        Returns
        -------
        str
            The JSON document.

        Examples
        --------
        >>> import json
        >>> json.loads(CheckReport("m.toml", "m.expect.toml", ()).to_json())["model"]
        'm.toml'
        """
        return json.dumps(self.to_dict(), indent=2)

    def to_frame(self):
        """One row per claim: verdict, claim and detail.

        Returns
        -------
        pandas.DataFrame
            Columns ``verdict``, ``claim``, ``detail``, indexed by the claims' ids.

        Examples
        --------
        >>> r = ClaimResult("one", "equilibrium", "(a, b) is an equilibrium", True, "regret 0")
        >>> CheckReport("m.toml", "m.expect.toml", (r,)).to_frame().columns.tolist()
        ['verdict', 'claim', 'detail']
        """
        import pandas as pd

        return pd.DataFrame(
            [
                {
                    "id": r.id,
                    "verdict": "PASS" if r.passed else "FAIL",
                    "claim": r.claim,
                    "detail": r.detail,
                }
                for r in self.results
            ]
        ).set_index("id")

    def __repr__(self) -> str:
        lines = [
            f"CheckReport({self.expectations} on {self.model}: "
            f"{len(self.results) - len(self.failed)}/{len(self.results)} claims pass)"
        ]
        for r in self.results:
            lines.append(f"  [{'PASS' if r.passed else 'FAIL'}] {r.id}: {r.claim}")
            lines.append(f"         {r.detail}")
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        try:
            return f"<p>{html.escape(repr(self).splitlines()[0])}</p>" + self.to_frame().to_html()
        except Exception:  # a display hook must never raise
            return "<pre>" + html.escape(repr(self)) + "</pre>"


# ------------------------------------------------------------------ checking
def check(model: Any, expectations: Expectations) -> CheckReport:
    """Check every claim of ``expectations`` on ``model`` (a GameModel or an AllianceModel).

    Returns
    -------
    CheckReport

    Raises
    ------
    ModelFileError
        A claim that does not fit the model (unknown strategy or parameter, a margin claim on
        a game...), naming the claim's key in the expectations file.

    Parameters
    ----------
    model : GameModel or AllianceModel
        The model the claims are about.
    expectations : Expectations
        The claims (see :func:`read_expectations`).

    Examples
    --------
    >>> from alliance.io import read_model, shipped_model
    >>> report = check(read_model(shipped_model("lending")),
    ...                read_expectations(shipped_model("lending").with_name("lending.expect.toml")))
    >>> report.passed
    True
    """
    from alliance.io.toml_alliance import AllianceModel

    src = expectations._source()
    results = []
    for claim in expectations.claims:
        try:
            if claim.type == "margin":
                if not isinstance(model, AllianceModel):
                    raise ParameterError("a margin claim needs an alliance model file")
                results.append(_check_margin(model, claim))
                continue
            if isinstance(model, AllianceModel):
                raise ParameterError(f"a claim of type {claim.type!r} needs a game model file")
            if model.kind == "sequential":
                raise ParameterError(
                    f"claims of type {claim.type!r} need a normal-form or evolutionary model"
                )
            results.append(_CHECKERS[claim.type](model, claim))
        except ModelFileError:
            raise
        except AllianceError as err:
            raise src.error(f"claim {claim.id!r}: {err}", claim.key) from None
    name = getattr(model, "source", None) or "<model>"
    return CheckReport(str(name), expectations.source, tuple(results), expectations.title)


def _values_text(values: Mapping[str, Any]) -> str:
    return ", ".join(f"{k}={_num(v)}" for k, v in values.items())


def _num(v: Any) -> str:
    return format_number(v)


def _at(claim: Claim) -> str:
    params = claim.spec.get("params")
    return f" at {_values_text(params)}" if params else " at the defaults"


def _profile(game: Any, raw: Any) -> tuple[np.ndarray, ...]:
    if not isinstance(raw, list) or len(raw) != game.n_players:
        raise ParameterError(
            f"profile must list one strategy (or probabilities) per player ({game.n_players})"
        )
    cooked = []
    for i, item in enumerate(raw):
        if isinstance(item, str):
            if item not in game.strategies[i]:
                raise ParameterError(
                    f"profile names strategy {item!r} of {game.players[i]}{suggest(item, game.strategies[i])}; "
                    f"its strategies are {', '.join(game.strategies[i])}"
                )
            cooked.append(item)
        elif isinstance(item, list):
            probs = []
            for p in item:
                if isinstance(p, str):
                    p = Source("", "").rational_text(p, "profile")
                probs.append(p)
            cooked.append(probs)
        else:
            raise ParameterError(
                f"profile entry {item!r} must be a strategy name or a list of probabilities"
            )
    return game.profile(tuple(cooked))


def _profile_text(game: Any, prof: tuple[np.ndarray, ...]) -> str:
    parts = []
    for labels, probs in zip(game.strategies, prof):
        probs = [float(p) for p in probs]
        pure = [s for s, p in zip(labels, probs) if p > 1 - 1e-12]
        if pure:
            parts.append(pure[0])
        else:
            parts.append(
                "(" + ", ".join(f"{s} {_num(p)}" for s, p in zip(labels, probs) if p > 0) + ")"
            )
    return "(" + ", ".join(parts) + ")"


def _eq_text(eqs: list) -> str:
    return " | ".join(repr(e).split("(", 1)[1].split(" | ")[0] for e in eqs) or "none"


def _check_equilibrium(model: Any, claim: Claim) -> ClaimResult:
    game = model.at(claim.spec.get("params"))
    prof = _profile(game, claim.spec["profile"])
    tol = float(claim.spec.get("tol", 1e-9))
    regret = game.regret(prof)
    ok = bool(np.all(regret <= tol))
    text = f"{_profile_text(game, prof)} is an equilibrium{_at(claim)}"
    worst = int(np.argmax(regret))
    detail = (
        "every player's regret is 0"
        if ok
        else f"{game.players[worst]} gains {_num(regret[worst])} by deviating (regrets "
        + ", ".join(f"{p} {_num(r)}" for p, r in zip(game.players, regret))
        + ")"
    )
    return ClaimResult(
        claim.id,
        claim.type,
        text,
        ok,
        detail,
        {"regret": dict(zip(game.players, regret.tolist())), "tol": tol},
    )


def _check_unique(model: Any, claim: Claim) -> ClaimResult:
    game = model.at(claim.spec.get("params"))
    prof = _profile(game, claim.spec["profile"])
    tol = float(claim.spec.get("tol", 1e-9))
    eqs = game.equilibria()
    floats = tuple(np.asarray([float(x) for x in p]) for p in prof)
    match = [e for e in eqs if e.same_profile(floats, tol=max(tol, 1e-9))]
    ok = len(eqs) == 1 and bool(match)
    text = f"{_profile_text(game, prof)} is the unique equilibrium{_at(claim)}"
    detail = f"{len(eqs)} equilibri{'um' if len(eqs) == 1 else 'a'}: {_eq_text(eqs)}"
    if not match:
        detail += f"; {_profile_text(game, prof)} is not among them"
    return ClaimResult(
        claim.id,
        claim.type,
        text,
        ok,
        detail,
        {"n_equilibria": len(eqs), "equilibria": [_eq_text([e]) for e in eqs]},
    )


def _check_count(model: Any, claim: Claim) -> ClaimResult:
    game = model.at(claim.spec.get("params"))
    pure = bool(claim.spec.get("pure", False))
    eqs = game.pure_equilibria() if pure else game.equilibria()
    want = int(claim.spec["count"])
    kind = "pure equilibria" if pure else "equilibria"
    text = f"the game has {want} {kind}{_at(claim)}"
    return ClaimResult(
        claim.id,
        claim.type,
        text,
        len(eqs) == want,
        f"found {len(eqs)}: {_eq_text(eqs)}",
        {"expected": want, "found": len(eqs), "equilibria": [_eq_text([e]) for e in eqs]},
    )


class _Sampler:
    """Random points in a box of parameters, the others fixed: the common part of the
    ``equilibrium_iff`` and ``ess`` checks."""

    def __init__(self, model: Any, claim: Claim, relations: list[tuple] | None) -> None:
        spec = claim.spec
        self.values = model.values(spec.get("params"))
        names_in_condition = sorted(
            {s.name for a, _, b in (relations or []) for s in (a - b).free_symbols}
        )
        vary = list(spec.get("vary", names_in_condition))
        for name in vary:
            model.parameter(name)
        ranges = spec.get("ranges", {})
        if not isinstance(ranges, Mapping):
            raise ParameterError("ranges must be a table name = [lo, hi]")
        self.vary = vary
        self.box = {}
        for name in vary:
            p = model.parameter(name)
            lo, hi = ranges[name] if name in ranges else (p.lo, p.hi)
            lo, hi = float(lo), float(hi)
            if not (math.isfinite(lo) and math.isfinite(hi)) or lo >= hi:
                raise ParameterError(
                    f"parameter '{name}' varies over [{lo:g}, {hi:g}]; give a finite range "
                    f"(ranges = {{ {name} = [lo, hi] }})"
                )
            self.box[name] = (lo, hi)
        unknown = sorted(set(ranges) - set(vary))
        if unknown:
            raise ParameterError(
                f"ranges gives {', '.join(unknown)}, which do not vary (vary = {vary})"
            )
        n = int(spec.get("samples", 2000))
        rng = np.random.default_rng(int(spec.get("seed", 0)))
        self.points = {k: rng.uniform(lo, hi, n) for k, (lo, hi) in self.box.items()}
        self.n = n
        self.fixed = {k: v for k, v in self.values.items() if k not in vary}
        self.symbols = [model.game.symbols[k] for k in vary]

    def evaluate(self, expr: Any) -> np.ndarray:
        expr = to_sympy(expr, exact=False)
        fixed = {
            s: to_sympy(self.fixed[s.name])
            for s in expr.free_symbols
            if s.name in self.fixed
        }
        if fixed:
            expr = expr.xreplace(fixed)
        f = sp.lambdify(self.symbols, expr, modules="numpy")
        out = f(*[self.points[k] for k in self.vary])
        return np.broadcast_to(np.asarray(out), (self.n,))

    def condition(self, relations: list[tuple]) -> tuple[np.ndarray, np.ndarray]:
        """Where the condition holds, and where a point is too close to a boundary to tell."""
        holds = np.ones(self.n, dtype=bool)
        near = np.zeros(self.n, dtype=bool)
        for a, op, b in relations:
            lhs = self.evaluate(a).astype(float)
            rhs = self.evaluate(b).astype(float)
            d = lhs - rhs
            near |= np.abs(d) <= 1e-9 * (1 + np.abs(lhs) + np.abs(rhs))
            holds &= _OPS[op](d, 0)
        return holds, near

    def example(self, mask: np.ndarray) -> dict[str, float]:
        k = int(np.argmax(mask))
        return {name: float(self.points[name][k]) for name in self.vary}


def _relations(model: Any, claim: Claim, field_name: str = "condition") -> list[tuple] | None:
    if "condition" not in claim.spec:
        return None
    return parse_condition(
        claim.spec["condition"], model.game.symbols, field=f"{claim.key}.{field_name}"
    )


def _check_iff(model: Any, claim: Claim) -> ClaimResult:
    game = model.game
    prof_raw = claim.spec["profile"]
    if not (isinstance(prof_raw, list) and all(isinstance(s, str) for s in prof_raw)):
        raise ParameterError("equilibrium_iff needs a pure profile (strategy names)")
    relations = _relations(model, claim)
    sampler = _Sampler(model, claim, relations)
    tol = float(claim.spec.get("tol", 1e-9))
    index = tuple(game.profile(tuple(prof_raw))[i].argmax() for i in range(game.n_players))
    table = game.payoffs
    flat = list(table.reshape(-1))
    values = np.stack([sampler.evaluate(e).astype(float) for e in flat]).reshape(
        table.shape + (sampler.n,)
    )
    is_eq = np.ones(sampler.n, dtype=bool)
    for i in range(game.n_players):
        dev = list(index)
        dev[i] = slice(None)
        options = values[tuple(dev) + (i,)]  # (k_i, N)
        mine = values[index + (i,)]
        best = options.max(axis=0)
        is_eq &= mine >= best - tol * (1 + np.abs(best))
    holds, near = sampler.condition(relations)
    mismatch = (is_eq != holds) & ~near
    label = "(" + ", ".join(prof_raw) + ")"
    cond = claim.spec["condition"]
    text = f"{label} is an equilibrium exactly when {cond}" + (
        f" (others at {_values_text(sampler.fixed)})" if sampler.fixed else ""
    )
    numbers = {
        "samples": sampler.n,
        "mismatches": int(mismatch.sum()),
        "equilibrium_points": int(is_eq.sum()),
        "condition_points": int(holds.sum()),
        "varied": {k: list(v) for k, v in sampler.box.items()},
    }
    if not mismatch.any():
        detail = f"agrees at all {sampler.n} sampled points ({int(holds.sum())} where the condition holds)"
        return ClaimResult(claim.id, claim.type, text, True, detail, numbers)
    at = sampler.example(mismatch)
    k = int(np.argmax(mismatch))
    why = (
        "is an equilibrium but the condition fails"
        if is_eq[k]
        else "is not an equilibrium but the condition holds"
    )
    numbers["counterexample"] = at
    detail = (
        f"{int(mismatch.sum())} of {sampler.n} sampled points disagree; e.g. at "
        f"{_values_text(at)} {label} {why}"
    )
    return ClaimResult(claim.id, claim.type, text, False, detail, numbers)


def _check_ess(model: Any, claim: Claim) -> ClaimResult:
    from alliance.games.evolutionary import EvolutionaryGame

    corner_raw = claim.spec["corner"]
    game = model.game
    if not isinstance(corner_raw, list) or len(corner_raw) != game.n_players:
        raise ParameterError(
            f"corner must list one 0/1 coordinate (or strategy name) per population ({game.n_players})"
        )
    corner = []
    for i, c in enumerate(corner_raw):
        if isinstance(c, str):
            if c not in game.strategies[i] or len(game.strategies[i]) != 2:
                raise ParameterError(
                    f"corner entry {c!r} is not a strategy of the two-strategy population {game.players[i]}"
                )
            c = 1 if game.strategies[i].index(c) == 0 else 0
        if isinstance(c, bool) or c not in (0, 1):
            raise ParameterError(
                f"corner entry {c!r} must be 0 or 1 (1: the population plays its first strategy)"
            )
        corner.append(int(c))
    corner_t = tuple(corner)
    relations = _relations(model, claim)
    label = "(" + ", ".join(map(str, corner)) + ")"
    if relations is None and "vary" not in claim.spec:
        values = model.values(claim.spec.get("params"))
        ev = model.evolutionary(values)
        table = ev.stability_table(points="corners")
        ess = [tuple(int(v) for v in p) for p in table.ess]
        row = table[[tuple(int(v) for v in p) == corner_t for p in table["point"]]]
        eig = [str(v) for v in row["eigenvalues"].iloc[0]] if len(row) else []
        verdict = row["verdict"].iloc[0] if len(row) else "not a corner"
        expect = bool(claim.spec.get("ess", True))
        ok = (corner_t in ess) == expect
        return ClaimResult(
            claim.id,
            claim.type,
            f"corner {label} is {'an' if expect else 'not an'} ESS{_at(claim)}",
            ok,
            f"verdict {verdict}; eigenvalues ({', '.join(eig)}); ESS corners: {ess or 'none'}",
            {"eigenvalues": eig, "verdict": verdict, "ess": [list(e) for e in ess]},
        )
    sampler = _Sampler(model, claim, relations)
    fixed_game = game.subs(sampler.fixed) if sampler.fixed and game.is_symbolic else game
    ev = EvolutionaryGame(fixed_game, variables=model.variables)
    table = ev.stability_table(points="corners")
    row = table[[tuple(int(v) for v in p) == corner_t for p in table["point"]]]
    if not len(row):
        raise ParameterError(f"corner {label} is not a corner of the state space")
    cond = row["ess_conditions"].iloc[0]
    if isinstance(cond, (bool, np.bool_)):
        is_ess = np.full(sampler.n, bool(cond))
    else:
        if cond in (sp.true, sp.false):
            is_ess = np.full(sampler.n, bool(cond))
        else:
            f = sp.lambdify(sampler.symbols, cond, modules="numpy")
            is_ess = np.broadcast_to(
                np.asarray(f(*[sampler.points[k] for k in sampler.vary]), dtype=bool), (sampler.n,)
            )
    if relations is not None:
        holds, near = sampler.condition(relations)
    else:
        holds, near = np.ones(sampler.n, dtype=bool), np.zeros(sampler.n, dtype=bool)
    exactly = bool(claim.spec.get("exactly", False))
    expect = bool(claim.spec.get("ess", True))
    bad = (holds & (is_ess != expect)) & ~near
    if exactly:
        bad |= (~holds & (is_ess == expect)) & ~near
    box = ", ".join(f"{k} in [{_num(lo)}, {_num(hi)}]" for k, (lo, hi) in sampler.box.items())
    where = f" wherever {claim.spec['condition']}" if relations is not None else f" for {box}"
    text = f"corner {label} is {'an' if expect else 'not an'} ESS{where}" + (
        " and nowhere else" if exactly else ""
    )
    numbers = {
        "samples": sampler.n,
        "violations": int(bad.sum()),
        "ess_points": int(is_ess.sum()),
        "condition_points": int(holds.sum()),
        "ess_condition": str(cond),
        "varied": {k: list(v) for k, v in sampler.box.items()},
    }
    if not bad.any():
        if not holds.any():
            return ClaimResult(
                claim.id,
                claim.type,
                text,
                False,
                "the condition holds at none of the sampled points; widen the ranges",
                numbers,
            )
        return ClaimResult(
            claim.id,
            claim.type,
            text,
            True,
            f"holds at all {sampler.n} sampled points (ESS condition: {cond})",
            numbers,
        )
    at = sampler.example(bad)
    numbers["counterexample"] = at
    k = int(np.argmax(bad))
    why = ("is an ESS" if is_ess[k] else "is not an ESS") + (
        " although the condition holds" if holds[k] else " although the condition fails"
    )
    return ClaimResult(
        claim.id,
        claim.type,
        text,
        False,
        f"{int(bad.sum())} of {sampler.n} sampled points violate it; e.g. at {_values_text(at)} "
        f"corner {label} {why} (ESS condition: {cond})",
        numbers,
    )


def _check_margin(model: Any, claim: Claim) -> ClaimResult:
    params = dict(claim.spec.get("params", {}))
    unknown = sorted(set(params) - set(_MARGIN_SETTINGS))
    if unknown:
        raise ParameterError(
            f"params {', '.join(unknown)}{suggest(unknown[0], _MARGIN_SETTINGS)} are not settings of a "
            f"margin claim; use {', '.join(_MARGIN_SETTINGS)}"
        )
    policy_changes = {
        k: float(params.pop(k)) for k in ("max_el_rate", "var_alpha", "max_var_rate") if k in params
    }
    if "seed" in params:
        params["seed"] = int(params["seed"])
    if "scenarios" in params and params["scenarios"] != "exact":
        params["scenarios"] = int(params["scenarios"])
    m = model.with_policy(**policy_changes) if policy_changes else model
    rep = m.credit_margin(**params)
    numbers = {
        "standalone_total": rep.standalone_total,
        "alliance_limit": rep.alliance_limit,
        "margin": rep.margin,
        "multiplier": rep.multiplier,
        "share": rep.share,
        "expected_loss": rep.expected_loss,
        "standard_error": rep.standard_error,
        **{k: rep.loss_split[k] for k in ("credit", "operational", "guarantor")},
    }
    symbols = {k: sp.Symbol(k, real=True) for k in MARGIN_QUANTITIES}
    expr = parse_expression(claim.spec["quantity"], symbols, field=f"{claim.key}.quantity")
    value = expr.xreplace(
        {symbols[k]: sp.Float(v) if math.isfinite(v) else sp.oo for k, v in numbers.items()}
    )
    try:
        value = float(value)
    except TypeError:
        raise ParameterError(
            f"quantity {claim.spec['quantity']!r} does not evaluate to a number ({value})"
        ) from None
    checks, ok = [], True
    tol = float(claim.spec.get("tol", 1e-9))
    if "at_least" in claim.spec:
        bound = float(claim.spec["at_least"])
        ok &= value >= bound - tol
        checks.append(f">= {_num(bound)}")
    if "at_most" in claim.spec:
        bound = float(claim.spec["at_most"])
        ok &= value <= bound + tol
        checks.append(f"<= {_num(bound)}")
    if "equals" in claim.spec:
        bound = float(claim.spec["equals"])
        ok &= abs(value - bound) <= tol
        checks.append(f"== {_num(bound)} (tol {_num(tol)})")
    at = f" at {_values_text(claim.spec['params'])}" if claim.spec.get("params") else ""
    text = f"{claim.spec['quantity']} {' and '.join(checks)}{at}"
    detail = (
        f"{claim.spec['quantity']} = {_num(value)} (margin {_num(rep.margin)} ± "
        f"{_num(rep.standard_error)}, standalone total {_num(rep.standalone_total)}, "
        f"alliance limit {_num(rep.alliance_limit)})"
    )
    numbers["value"] = value
    numbers["settings"] = {k: v for k, v in m.settings(**params).items()}
    return ClaimResult(claim.id, claim.type, text, bool(ok), detail, numbers)


_CHECKERS = {
    "equilibrium": _check_equilibrium,
    "unique_equilibrium": _check_unique,
    "equilibrium_count": _check_count,
    "equilibrium_iff": _check_iff,
    "ess": _check_ess,
}


_jsonable = to_jsonable  # the old private name, until every caller uses the public one
