"""Checking a published stability table against the derived one.

Papers print, for each pure corner, either the eigenvalues of the Jacobian (λ1..λk) or,
in two-population papers, its determinant and trace, usually with a verdict (ESS,
saddle, unstable...). :func:`check_published_table` reads such a table (as a dict, a
DataFrame or text pasted from the journal, see :mod:`alliance.games.evolutionary.journal`),
compares every entry with the derived one *as an expression*, and names each discrepancy:

* ``"match"``;
* ``"sign slip"``: the derived value negated;
* ``"order"``: another eigenvalue of the same corner;
* ``"swap"``: a value of another corner (``"det/tr interchanged"`` for a determinant
  printed as the trace or back);
* ``"neighbour's value"``: the value of the neighbouring corner (one population switched),
  when several entries repeat it (a systematic copy, reported as one pattern);
* ``"wrong expression"``: none of these;
* ``"wrong verdict"``: a verdict the derived eigenvalues contradict;
* ``"missing"`` / ``"extra"``: fewer or more eigenvalues than the corner has.

Systematic errors are recognised and reported in one line each: a column holding the
neighbouring column's values (shifted), a value repeated from the neighbouring corner.
Equality of expressions is decided exactly: a fingerprint (the exact values at two
rational parameter points) proposes candidates, and ``expand``/``cancel`` of the
difference confirms them.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from fractions import Fraction
from typing import TYPE_CHECKING, Any

import pandas as pd
import sympy as sp

from alliance.errors import ParameterError
from alliance.games.evolutionary.conditions import CENTRE, NON_HYPERBOLIC
from alliance.games.evolutionary.journal import JournalReader, normalise_text
from alliance.games.evolutionary.results import TableCheck, point_text

if TYPE_CHECKING:  # pragma: no cover
    from alliance.games.evolutionary.game import EvolutionaryGame

__all__ = [
    "check_published_table",
    "check_consistency",
    "read_journal_table",
    "published_verdict",
    "VERDICT_WORDS",
]

#: How papers name verdicts, mapped to the toolkit's.
VERDICT_WORDS = {
    "ess": "ESS",
    "stable": "ESS",
    "stable point": "ESS",
    "asymptotically stable": "ESS",
    "evolutionarily stable": "ESS",
    "evolutionarily stable strategy": "ESS",
    "sink": "ESS",
    "stable node": "ESS",
    "saddle": "saddle",
    "saddle point": "saddle",
    "unstable": "unstable",
    "unstable point": "unstable",
    "unstable node": "unstable",
    "instability": "unstable",
    "source": "unstable",
    "not ess": "not ESS",
    "non-ess": "not ESS",
    "not stable": "not ESS",
    "×": "not ESS",  # papers' mark for "the conditions cannot hold"
    "uncertain": "conditional",
    "undetermined": "conditional",
    "indeterminate": "conditional",
    "conditional": "conditional",
    "conditionally stable": "conditional",
    "centre": CENTRE,
    "center": CENTRE,
    "non-hyperbolic": NON_HYPERBOLIC,
    NON_HYPERBOLIC: NON_HYPERBOLIC,
}
# The derived verdicts a published verdict agrees with.
_COMPATIBLE = {
    "ESS": {"ESS", "conditional"},
    "saddle": {"saddle", "not ESS"},
    "unstable": {"unstable", "not ESS"},
    "not ESS": {"saddle", "unstable", "not ESS", CENTRE, NON_HYPERBOLIC},
    "conditional": {"conditional"},
    CENTRE: {CENTRE},
    NON_HYPERBOLIC: {NON_HYPERBOLIC},
}
_CORNER = re.compile(r"[\(\[]\s*[01](?:\s*[,;]\s*[01])+\s*[\)\]]")
# A sign column, "(−, +, −)", "(- - \\ +)" or "−, +": parentheses or at least two signs
# (a lone "0" is a value); "\\", "?" and "N" mark an undetermined sign.
_SIGN_CELL = re.compile(
    r"^(?:\(\s*[-+±0?N\\](?:\s*,?\s*[-+±0?N\\])*\s*\)|[-+±0?]\s*(?:,\s*[-+±0?]\s*)+)$"
)
# "ESS when (1) is satisfied", "ESS if ...", "stable under condition ...": conditional.
_CONDITIONAL = re.compile(r"^(ess|stable|evolutionarily stable)\s+(when|if|under)\b")


def published_verdict(text: str) -> str:
    """The toolkit's verdict for a verdict as papers print it (``"Saddle point"`` → ``"saddle"``).

    Parameters
    ----------
    text : str
        The verdict as printed (``"Stable point"``, ``"ESS"``, ``"Saddle point"``,
        ``"Center"``, a conditional verdict...).

    Returns
    -------
    str
        One of the verdicts of :func:`~alliance.games.evolutionary.conditions.verdict_from_signs`.

    Raises
    ------
    ParameterError
        A verdict the toolkit does not know.

    Examples
    --------
    >>> published_verdict("Unstable point"), published_verdict("ESS"), published_verdict("Center")
    ('unstable', 'ESS', 'centre')
    """
    raw = str(text).strip().lower()
    if raw in VERDICT_WORDS:
        return VERDICT_WORDS[raw]
    key = normalise_text(str(text)).strip().lower().rstrip(".")
    key = re.sub(r"\s+", " ", key)
    if key in VERDICT_WORDS:
        return VERDICT_WORDS[key]
    if _CONDITIONAL.match(key):
        return "conditional"
    raise ParameterError(
        f"published verdict {text!r} is not one of: " + ", ".join(sorted(set(VERDICT_WORDS)))
    )


def _is_verdict(text: str) -> bool:
    try:
        published_verdict(text)
    except ParameterError:
        return False
    return True


def read_journal_table(text: str, *, form: str | None = None) -> dict[str, dict[str, Any]]:
    """Rows of a stability table pasted from a journal, by corner.

    Each line holding a corner such as ``(0, 1, 1)`` is a row; what precedes the corner
    (``E7``) is its label; the cells after it are separated by ``|``, tabs or two or more
    spaces. A last cell that names a verdict (``ESS``, ``saddle point``, ``unstable``...)
    is the verdict; a sign cell (``(−, +, −)``) is skipped. A header line naming ``det``
    and ``tr`` makes the cells determinant and trace (in the header's order); otherwise
    they are eigenvalues. Lines without a corner and without such a header are ignored.

    Parameters
    ----------
    text : str
        The table as pasted.
    form : {"eigenvalues", "det-trace"}, optional
        Force the form of the cells (default: from the header).

    Returns
    -------
    dict
        ``{corner text: {"label": str, "eigenvalues": [...]} }`` or with ``"det"`` and
        ``"tr"``; ``"verdict"`` when printed.

    Examples
    --------
    >>> rows = read_journal_table('''
    ... Point      det J          tr J           Result
    ... E1 (0,0)   −c·(r − b)     r − b − c      Saddle point
    ... E2 (1,0)   c(r−b)         c − r + b      Unstable
    ... ''')
    >>> rows["(0,0)"]
    {'label': 'E1', 'det': '−c·(r − b)', 'tr': 'r − b − c', 'verdict': 'Saddle point'}
    """
    if form not in (None, "eigenvalues", "det-trace"):
        raise ParameterError(f"form is {form!r}; use 'eigenvalues' or 'det-trace'")
    order = ["det", "tr"]
    rows: dict[str, dict[str, Any]] = {}
    for line in str(text).splitlines():
        if not line.strip():
            continue
        match = _CORNER.search(line)
        if match is None:
            lower = normalise_text(line).lower()
            det_at = re.search(r"\bdet", lower)
            tr_at = re.search(r"\b(tr|trace)\b", lower)
            if det_at and tr_at:
                form = form or "det-trace"
                order = ["det", "tr"] if det_at.start() < tr_at.start() else ["tr", "det"]
            continue
        label = line[: match.start()].strip(" \t|:")
        rest = line[match.end() :]
        if "|" in rest:
            cells = rest.split("|")
        elif "\t" in rest:
            cells = rest.split("\t")
        else:
            cells = re.split(r"\s{2,}", rest)
        cells = [c.strip() for c in cells if c.strip()]
        cells = [c for c in cells if not _SIGN_CELL.match(normalise_text(c))]
        row: dict[str, Any] = {"label": label}
        verdict = None
        if cells and _is_verdict(cells[-1]):
            verdict = cells.pop()
        if form == "det-trace":
            if len(cells) != 2:
                raise ParameterError(
                    f"published table row {line.strip()!r}: expected a determinant and a "
                    f"trace, found {len(cells)} cells"
                )
            row.update(dict(zip(order, cells)))
        else:
            row["eigenvalues"] = cells
        if verdict is not None:
            row["verdict"] = verdict
        corner = re.sub(r"\s+", "", match.group(0)).replace(";", ",").replace("[", "(")
        rows[corner.replace("]", ")")] = row
    if not rows:
        raise ParameterError("published table: no line holds a corner such as (0, 1)")
    return rows


# ------------------------------------------------------------------------- comparison
class _Comparer:
    """Exact equality of expressions, fast: fingerprints propose, algebra confirms."""

    def __init__(self, params: Sequence[sp.Symbol], tol: float) -> None:
        self.tol = tol
        names = sorted(params, key=lambda s: s.name)
        self.points = [
            {s: sp.Rational(97 + 31 * k * (seed + 1), 53 + 7 * k + 11 * seed) for k, s in enumerate(names)}
            for seed in (0, 1)
        ]
        self._cache: dict[Any, Any] = {}

    def expr(self, value: Any) -> sp.Expr:
        if isinstance(value, sp.Basic):
            return value
        if isinstance(value, Fraction):
            return sp.Rational(value.numerator, value.denominator)
        if isinstance(value, int):
            return sp.Integer(value)
        return sp.Float(float(value))

    def key(self, value: Any) -> Any:
        """A hashable fingerprint of an exact value, or None (floats, poles)."""
        e = self.expr(value)
        if e in self._cache:
            return self._cache[e]
        if e.has(sp.Float):
            out = None
        elif not e.free_symbols:
            out = ("n", e)
        else:
            values = []
            for point in self.points:
                v = e.xreplace(point)
                if not v.is_Rational:
                    v = sp.nsimplify(v) if v.is_number and not v.has(sp.zoo, sp.nan) else None
                if v is None or not v.is_Rational:
                    values = None
                    break
                values.append(v)
            out = ("s", tuple(values)) if values is not None else None
        self._cache[e] = out
        return out

    def same(self, a: Any, b: Any) -> bool:
        ka, kb = self.key(a), self.key(b)
        if ka is not None and kb is not None and ka != kb:
            return False
        ea, eb = self.expr(a), self.expr(b)
        d = ea - eb
        if not d.free_symbols:
            if d.has(sp.Float):
                scale = abs(complex(eb)) if eb.is_number else 0.0
                return abs(complex(d)) <= self.tol * (1.0 + scale)
            return d == 0
        d = sp.expand(d)
        if d == 0:
            return True
        if d.has(sp.Float):
            return False
        return sp.cancel(sp.together(d)) == 0


def _neighbours(corner: tuple[int, ...]) -> list[tuple[int, tuple[int, ...]]]:
    return [
        (k, corner[:k] + (1 - corner[k],) + corner[k + 1 :])
        for k in range(len(corner))
        if corner[k] in (0, 1)
    ]


def check_published_table(
    ev: EvolutionaryGame,
    published: Any,
    *,
    tol: float = 1e-9,
    aliases: Mapping[str, str] | None = None,
    coordinates: Sequence[str] | None = None,
    form: str | None = None,
) -> TableCheck:
    """Check a published table of corner eigenvalues (or det and trace) and verdicts.

    Parameters
    ----------
    ev : EvolutionaryGame
        The game the table describes.
    published : dict, DataFrame or str
        The table (see :meth:`EvolutionaryGame.check_table` for its forms).
    tol : float, default 1e-9
        Tolerance when comparing floats, >= 0.
    aliases : dict, optional
        The paper's parameter names mapped to the game's.
    coordinates : sequence of str, optional
        The populations in the order of the paper's coordinates.
    form : {"eigenvalues", "det-trace"}, optional
        How to read list entries and text cells.

    Returns
    -------
    TableCheck
        One row per published entry, with a diagnosis.

    Raises
    ------
    ParameterError
        A bad tolerance, an unreadable entry, or an unknown name.

    Examples
    --------
    >>> import alliance as al
    >>> g = al.NormalFormGame.from_matrices([[2, 0], [0, 1]], [[2, 0], [0, 1]])
    >>> ev = al.EvolutionaryGame(g)
    >>> check_published_table(ev, {"(1, 1)": {"eigenvalues": ["-2", "-2"],
    ...                                       "verdict": "Stable point"},
    ...                            "(0, 0)": ["−1", "−1"]}).ok
    True
    """
    if not (isinstance(tol, (int, float)) and math.isfinite(tol) and tol >= 0):
        raise ParameterError(f"tol is {tol!r}; it must be a finite number >= 0")
    entries = _entries(published, form)
    reader = JournalReader(ev.game.symbols, aliases)
    permutation = _coordinate_order(ev, coordinates)
    comparer = _Comparer(ev.params, tol)
    corners = ev.corners()
    coords = {p: ev.system.corner_coordinates(p) for p in corners}
    derived = {coords[p]: tuple(ev.system.corner_eigenvalues(p)) for p in corners}
    table = ev.stability_table(points="corners")
    verdicts = dict(zip(table["point"], table["verdict"]))
    conditions = dict(zip(table["point"], table["ess_conditions"]))

    # Fingerprints of every derived value, to find where a wrong entry came from.
    where: dict[Any, list[tuple[tuple, str]]] = {}
    floats: list[tuple[Any, tuple, str]] = []

    def remember(value: Any, corner: tuple, name: str) -> None:
        k = comparer.key(value)
        if k is None:
            floats.append((value, corner, name))
        else:
            where.setdefault(k, []).append((corner, name))

    products = {}
    for corner, values in derived.items():
        for j, v in enumerate(values):
            remember(v, corner, f"λ{j + 1}")
        det = sp.expand(sp.Mul(*(comparer.expr(v) for v in values)))
        tr = sp.expand(sp.Add(*(comparer.expr(v) for v in values)))
        products[corner] = {"det": det, "tr": tr}

    def located(value: Any, names: Sequence[str]) -> list[tuple[tuple, str]]:
        """Every derived value equal to ``value``: eigenvalues (``("λ",)``) or det/tr."""
        k = comparer.key(value)
        if names == ("λ",):
            candidates = (where.get(k, []) if k is not None else []) + [(c, n) for _, c, n in floats]
        else:
            candidates = [
                (c, n)
                for c, q in products.items()
                for n in names
                if k is None or comparer.key(q[n]) in (None, k)
            ]
        out = []
        for corner, name in dict.fromkeys(candidates):
            target = (
                derived[corner][int(name[1:]) - 1] if name.startswith("λ") else products[corner][name]
            )
            if comparer.same(value, target):
                out.append((corner, name))
        return out

    rows: list[dict] = []
    seen_corners = []
    for key, entry in entries:
        corner = _published_corner(ev, key, permutation)
        seen_corners.append(corner)
        label = entry.get("label") or point_text(corner)
        mine = derived[corner]
        if "eigenvalues" in entry:
            values = entry["eigenvalues"]
            if isinstance(values, (str, bytes)) or not isinstance(values, Sequence):
                raise ParameterError(
                    f"published eigenvalues at corner {key!r} must be a list; got {values!r}"
                )
            for j, text in enumerate(values):
                field = f"published eigenvalue λ{j + 1} at corner {point_text(corner)}"
                value = reader.parse(text, field)
                if j >= len(mine):
                    rows.append(_row(corner, label, j, f"λ{j + 1}", value, None, False, "extra",
                                     f"the corner has only {len(mine)} eigenvalues"))
                    continue
                rows.append(
                    _diagnose_eigenvalue(corner, label, j, value, mine, comparer, located)
                )
            for j in range(len(values), len(mine)):
                rows.append(_row(corner, label, j, f"λ{j + 1}", None, mine[j], False, "missing",
                                 "not in the published table"))
        for name in ("det", "tr"):
            if name not in entry:
                continue
            field = f"published {name} at corner {point_text(corner)}"
            value = reader.parse(entry[name], field)
            rows.append(
                _diagnose_det_tr(corner, label, name, value, products[corner], comparer, located)
            )
        if entry.get("verdict") is not None:
            rows.append(
                _diagnose_verdict(corner, label, entry["verdict"], verdicts[corner], conditions[corner])
            )
    patterns = _patterns(rows, derived, comparer, ev)
    unchecked = tuple(c for c in (coords[p] for p in corners) if c not in seen_corners)
    frame = pd.DataFrame(
        rows,
        columns=["corner", "label", "index", "quantity", "published", "derived", "match",
                 "diagnosis", "detail"],
    )
    return TableCheck(frame, tuple(patterns), unchecked)


def _entries(published: Any, form: str | None) -> list[tuple[Any, dict]]:
    if isinstance(published, str):
        published = read_journal_table(published, form=form)
    if isinstance(published, pd.DataFrame):
        published = _frame_entries(published)
    if not isinstance(published, Mapping) or not published:
        raise ParameterError(
            "published must be a non-empty dict {corner: [eigenvalues]} (or {corner: "
            "{'det': ..., 'tr': ..., 'verdict': ...}}), a DataFrame or the pasted table text"
        )
    out = []
    for key, value in published.items():
        if isinstance(value, Mapping):
            entry = dict(value)
            unknown = set(entry) - {"label", "eigenvalues", "det", "tr", "trace", "verdict"}
            if unknown:
                raise ParameterError(
                    f"published entry at corner {key!r} has unknown fields {sorted(unknown)}; "
                    "use eigenvalues, det, tr, verdict, label"
                )
            if "trace" in entry:
                entry["tr"] = entry.pop("trace")
        else:
            if form == "det-trace":
                if isinstance(value, (str, bytes)) or len(value) != 2:
                    raise ParameterError(
                        f"published entry at corner {key!r}: give [det, tr] with form='det-trace'"
                    )
                entry = {"det": value[0], "tr": value[1]}
            else:
                entry = {"eigenvalues": value}
        out.append((key, entry))
    return out


def _frame_entries(frame: pd.DataFrame) -> dict:
    columns = {str(c).strip().lower(): c for c in frame.columns}
    special = {
        "det": columns.get("det") or columns.get("det j") or columns.get("detj"),
        "tr": columns.get("tr") or columns.get("trace") or columns.get("tr j") or columns.get("trj"),
        "verdict": columns.get("verdict") or columns.get("stability") or columns.get("result"),
    }
    others = [c for c in frame.columns if c not in special.values()]
    out = {}
    for key, row in frame.iterrows():
        entry: dict[str, Any] = {}
        values = [row[c] for c in others if not (isinstance(row[c], float) and math.isnan(row[c]))]
        if values:
            entry["eigenvalues"] = values
        for name, column in special.items():
            if column is not None and not (isinstance(row[column], float) and math.isnan(row[column])):
                entry[name] = row[column]
        out[key] = entry
    return out


def _coordinate_order(ev: EvolutionaryGame, coordinates: Sequence[str] | None) -> list[int] | None:
    if coordinates is None:
        return None
    if not ev.is_binary:
        raise ParameterError("coordinates= needs every population to have two strategies")
    coordinates = list(coordinates)
    if sorted(coordinates) != sorted(ev.populations):
        raise ParameterError(
            f"coordinates is {tuple(coordinates)}; give each population once, in the paper's "
            f"order: {', '.join(ev.populations)}"
        )
    return [coordinates.index(p) for p in ev.populations]


def _published_corner(ev: EvolutionaryGame, key: Any, permutation: list[int] | None) -> tuple:
    corners = {ev.system.corner_coordinates(p): p for p in ev.corners()}
    original = key
    if isinstance(key, str):
        text = key.strip()
        found = _CORNER.search(text)
        if found:
            key = tuple(int(v) for v in re.findall(r"\d", found.group(0)))
        else:
            key = tuple(s.strip() for s in text.strip("()[]").split(","))
    if isinstance(key, (tuple, list)):
        key = tuple(key)
        if all(isinstance(v, str) for v in key) and len(key) == ev.n_populations:
            return ev.system.corner_coordinates(ev.system.profile_index(key))
        try:
            as_ints = tuple(int(v) for v in key)
        except (TypeError, ValueError):
            as_ints = None
        if as_ints is not None and permutation is not None and len(as_ints) == len(permutation):
            as_ints = tuple(as_ints[k] for k in permutation)
        if as_ints is not None and as_ints in corners:
            return as_ints
    listed = ", ".join(point_text(c) for c in list(corners)[:8])
    raise ParameterError(
        f"published table: corner {original!r} is not a corner of the game; corners are {listed}"
        + (", ..." if len(corners) > 8 else "")
    )


def _row(corner, label, j, quantity, published, derived, match, diagnosis, detail) -> dict:
    return {
        "corner": corner,
        "label": label,
        "index": j + 1 if j is not None else None,
        "quantity": quantity,
        "published": published,
        "derived": derived,
        "match": match,
        "diagnosis": diagnosis,
        "detail": detail,
    }


def _where_text(places: list[tuple[tuple, str]]) -> str:
    return ", ".join(f"{name} at {point_text(corner)}" for corner, name in places)


def _diagnose_eigenvalue(corner, label, j, value, mine, comparer, located) -> dict:
    name = f"λ{j + 1}"
    if comparer.same(value, mine[j]):
        return _row(corner, label, j, name, value, mine[j], True, "match", "")
    elsewhere = [p for p in located(value, ("λ",)) if p != (corner, name)]
    also = ("; equals " + _where_text(elsewhere)) if elsewhere else ""
    shown = f"published {value}, derived {mine[j]}"
    if comparer.same(value, -comparer.expr(mine[j])):
        return _row(corner, label, j, name, value, mine[j], False, "sign slip", shown + also)
    if any(c == corner for c, _ in elsewhere):
        return _row(corner, label, j, name, value, mine[j], False, "order", shown + also)
    if elsewhere:
        return _row(corner, label, j, name, value, mine[j], False, "swap", shown + also)
    return _row(corner, label, j, name, value, mine[j], False, "wrong expression", shown)


def _diagnose_det_tr(corner, label, name, value, mine, comparer, located) -> dict:
    other = "tr" if name == "det" else "det"
    if comparer.same(value, mine[name]):
        return _row(corner, label, None, name, value, mine[name], True, "match", "")
    shown = f"published {value}, derived {mine[name]}"
    if comparer.same(value, -mine[name]):
        return _row(corner, label, None, name, value, mine[name], False, "sign slip", shown)
    if comparer.same(value, mine[other]):
        return _row(corner, label, None, name, value, mine[name], False, "det/tr interchanged",
                    shown + f"; equals the {other}")
    elsewhere = [p for p in located(value, (name, other)) if p[0] != corner]
    if elsewhere:
        return _row(corner, label, None, name, value, mine[name], False, "swap",
                    shown + "; equals " + _where_text(elsewhere))
    return _row(corner, label, None, name, value, mine[name], False, "wrong expression", shown)


def _diagnose_verdict(corner, label, text, derived, condition) -> dict:
    said = published_verdict(text)
    ok = derived in _COMPATIBLE[said]
    if ok:
        detail = ""
        if derived == "conditional" and said == "ESS":
            detail = f"an ESS exactly when {condition}"
        return _row(corner, label, None, "verdict", text, derived, True, "match", detail)
    detail = f"published {text}, derived {derived}"
    if derived == "conditional":
        detail += f" (an ESS exactly when {condition})"
    return _row(corner, label, None, "verdict", text, derived, False, "wrong verdict", detail)


def _corner_list(corners: list[tuple]) -> str:
    shown = ", ".join(point_text(c) for c in corners[:4])
    return shown + (", ..." if len(corners) > 4 else "")


def _patterns(rows: list[dict], derived: dict, comparer: _Comparer, ev: EvolutionaryGame) -> list[str]:
    """Systematic errors, one line each: a shifted column, a neighbour's value copied."""
    patterns = []
    wrong = [r for r in rows if not r["match"] and r["quantity"].startswith("λ") and r["published"] is not None]
    # A column shifted: λj printed where λ(j+s) belongs, at several corners.
    width = max((len(v) for v in derived.values()), default=0)
    printed = [r for r in rows if r["quantity"].startswith("λ") and r["published"] is not None]
    for j in range(width):
        column = [r for r in wrong if r["index"] == j + 1 and r["diagnosis"] != "column shifted"]
        in_column = sum(1 for r in printed if r["index"] == j + 1)
        for s in sorted(range(-j, width - j), key=abs):
            if s == 0:
                continue
            hits = [r for r in column if comparer.same(r["published"], derived[r["corner"]][j + s])]
            if len(hits) >= 2:
                where = (
                    f"at all {len(hits)} corners"
                    if len(hits) == in_column
                    else f"at {len(hits)} corners ({_corner_list([r['corner'] for r in hits])})"
                )
                patterns.append(
                    f"column λ{j + 1} holds the derived λ{j + s + 1} {where}: a column shifted"
                )
                for r in hits:
                    r["diagnosis"] = "column shifted"
                column = [r for r in column if r not in hits]
    # A neighbour's value repeated: λj at a corner equals λj of the corner with one
    # population switched (for a population's own eigenvalue this is also a sign slip).
    groups: dict[tuple[int, int], list[dict]] = {}
    for r in wrong:
        if r["diagnosis"] == "column shifted":
            continue
        for k, other in _neighbours(r["corner"]):
            if other in derived and r["index"] <= len(derived[other]):
                if comparer.same(r["published"], derived[other][r["index"] - 1]):
                    groups.setdefault((k, r["index"]), []).append(r)
                    break
    for (k, _), hits in groups.items():
        if len(hits) >= 3:
            patterns.append(
                f"{len(hits)} entries repeat the value of the neighbouring corner with "
                f"{ev.populations[k]} switched ("
                + ", ".join(f"{r['quantity']} at {point_text(r['corner'])}" for r in hits[:4])
                + (", ..." if len(hits) > 4 else "")
                + "): a neighbour's value copied"
            )
            for r in hits:
                r["diagnosis"] = "neighbour's value"
    return patterns


# ------------------------------------------------------------------------- consistency
def check_consistency(published: Any, parameters: Sequence[str]) -> TableCheck:
    """Check a published corner table against itself, without the game's payoffs.

    In a game where every population has two strategies, the eigenvalue of population
    ``i`` at a corner is its payoff gain from switching there; at the corner that differs
    only in population ``i``'s strategy the same switch is undone, so the two eigenvalues
    are opposite: ``λ_i(c) = -λ_i(c')`` (Friedman 1991). A table whose ``i``-th column is
    population ``i``'s eigenvalue must satisfy this for every such pair it lists. A pair
    that does not is reported (the identity cannot tell which of the two entries is
    wrong); when an entry is the negative of another corner's, that corner is named.

    Parameters
    ----------
    published : dict or str
        ``{corner: [λ1, ..., λn]}`` or the table text (see :func:`read_journal_table`).
    parameters : sequence of str
        The names the table uses (the text is read only through the safe parser).

    Returns
    -------
    TableCheck
        One row per pair of corners that differ in one population: ``quantity`` ``λi``,
        ``published`` ``λi`` at the corner with population ``i`` at 0, ``derived`` the
        negative of ``λi`` at its partner, ``match`` whether they agree.

    Examples
    --------
    >>> check = check_consistency({(0, 0): ["a", "b"], (1, 0): ["-a", "c"], (0, 1): ["d", "b"]},
    ...                           ["a", "b", "c", "d"])
    >>> list(check.rows["match"])
    [True, False]
    """
    from alliance.expr import make_symbol

    entries = _entries(published, "eigenvalues")
    reader = JournalReader({name: make_symbol(name) for name in parameters})
    values: dict[tuple, list[sp.Expr]] = {}
    labels: dict[tuple, str] = {}
    for key, entry in entries:
        text = key if isinstance(key, str) else str(tuple(key))
        found = _CORNER.search(text.replace(" ", ""))
        if found is None:
            raise ParameterError(f"published table: {key!r} is not a corner such as (0, 1, 0)")
        corner = tuple(int(v) for v in re.findall(r"\d", found.group(0)))
        if "eigenvalues" not in entry:
            raise ParameterError(f"published entry at corner {key!r} has no eigenvalues")
        values[corner] = [
            reader.parse(v, f"published λ{j + 1} at corner {point_text(corner)}")
            for j, v in enumerate(entry["eigenvalues"])
        ]
        labels[corner] = entry.get("label") or point_text(corner)
    comparer = _Comparer([reader.symbols[n] for n in parameters], 1e-12)
    rows = []
    for corner in values:
        for i, other in _neighbours(corner):
            if corner[i] != 0 or other not in values:
                continue
            mine, theirs = values[corner], values[other]
            if i >= len(mine) or i >= len(theirs):
                continue
            expected = -theirs[i]
            if comparer.same(mine[i], expected):
                rows.append(_row(corner, labels[corner], i, f"λ{i + 1}", mine[i], expected, True,
                                 "match", f"opposite of λ{i + 1} at {point_text(other)}"))
                continue
            elsewhere = [
                c for c, vals in values.items()
                if c not in (corner, other) and i < len(vals) and comparer.same(mine[i], -vals[i])
            ]
            detail = (
                f"λ{i + 1} at {point_text(corner)} and at {point_text(other)} should be opposite "
                f"(they differ only in population {i + 1}); published {mine[i]} and {theirs[i]}"
            )
            if elsewhere:
                detail += "; the first is the opposite of λ{} at {}".format(
                    i + 1, ", ".join(point_text(c) for c in elsewhere)
                )
            rows.append(_row(corner, labels[corner], i, f"λ{i + 1}", mine[i], expected, False,
                             "inconsistent pair", detail))
    frame = pd.DataFrame(
        rows,
        columns=["corner", "label", "index", "quantity", "published", "derived", "match",
                 "diagnosis", "detail"],
    )
    return TableCheck(frame)
