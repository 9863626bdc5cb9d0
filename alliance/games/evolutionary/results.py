"""Result values of evolutionary-game analyses.

:class:`ReplicatorEquations`, :class:`RestPoint`, :class:`StabilityTable` (a DataFrame),
:class:`TableCheck` and :class:`Trajectories` are what :class:`EvolutionaryGame` returns;
each shows itself as text, LaTeX and HTML and converts to a pandas DataFrame.
"""

from __future__ import annotations

import html
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

import numpy as np
import pandas as pd
import sympy as sp

from alliance.games.results import format_number
from alliance.numbers import to_sympy

__all__ = ["ReplicatorEquations", "RestPoint", "StabilityTable", "TableCheck", "Trajectories"]


def _text(value: Any) -> str:
    if isinstance(value, sp.Basic):
        return str(value)
    if isinstance(value, complex):
        re, im = format_number(value.real), format_number(abs(value.imag))
        return f"{re} {'-' if value.imag < 0 else '+'} {im}i"
    return format_number(value)


def _tex(value: Any) -> str:
    if isinstance(value, sp.Basic):
        return sp.latex(value)
    if isinstance(value, Fraction):
        return sp.latex(to_sympy(value))
    if isinstance(value, (bool, np.bool_)):
        return r"\text{" + ("true" if value else "false") + "}"
    if isinstance(value, complex):
        return _text(value).replace("i", r"\,i")
    return format_number(value)


def point_text(point: tuple) -> str:
    """``(1, 0, 1/2)``: a rest point's coordinates for reading."""
    return "(" + ", ".join(_text(v) for v in point) + ")"


@dataclass(frozen=True, eq=False)
class ReplicatorEquations:
    """The replicator system ``d v / dt = f(v)``, one equation per state variable.

    Parameters
    ----------
    variables : tuple of sympy.Symbol
        State variables (``x`` = share of the first population playing its first strategy).
    rhs : tuple of sympy.Expr
        Right-hand sides, in the order of ``variables``.
    descriptions : tuple of str
        What each variable measures, e.g. ``"share of Bank playing 'lend'"``.

    Examples
    --------
    The replicator equations of the prisoner's dilemma (made by
    :meth:`EvolutionaryGame.equations`):

    >>> import alliance as al
    >>> g = al.NormalFormGame.from_matrices([[3, 0], [5, 1]], [[3, 5], [0, 1]])
    >>> ev = al.EvolutionaryGame(g)
    >>> ev.equations()
    ReplicatorEquations(
      dx/dt = x*(1 - x)*(-y - 1)    # share of Player 1 playing 's1'
      dy/dt = y*(1 - y)*(-x - 1)    # share of Player 2 playing 's1'
    )
    """

    variables: tuple[sp.Symbol, ...]
    rhs: tuple[sp.Expr, ...]
    descriptions: tuple[str, ...]

    def __iter__(self):
        return iter(zip(self.variables, self.rhs))

    def __len__(self) -> int:
        return len(self.variables)

    def __getitem__(self, variable: str | sp.Symbol | int) -> sp.Expr:
        if isinstance(variable, int):
            return self.rhs[variable]
        name = variable if isinstance(variable, str) else variable.name
        for v, f in zip(self.variables, self.rhs):
            if v.name == name:
                return f
        raise KeyError(f"no state variable named {name!r}; variables are {self.variables}")

    def as_dict(self) -> dict[sp.Symbol, sp.Expr]:
        """``{variable: right-hand side}``.

        Returns
        -------
        dict
            SymPy symbol -> SymPy expression.

        Examples
        --------
        >>> import alliance as al
        >>> g = al.NormalFormGame.from_matrices([[3, 0], [5, 1]], [[3, 5], [0, 1]])
        >>> ev = al.EvolutionaryGame(g)
        >>> ev.equations().as_dict()
        {x: x*(1 - x)*(-y - 1), y: y*(1 - y)*(-x - 1)}
        """
        return dict(zip(self.variables, self.rhs))

    def __repr__(self) -> str:
        lines = [
            f"d{v}/dt = {f}    # {d}"
            for v, f, d in zip(self.variables, self.rhs, self.descriptions)
        ]
        return "ReplicatorEquations(\n  " + "\n  ".join(lines) + "\n)"

    def to_frame(self) -> pd.DataFrame:
        """One row per variable: its meaning and its right-hand side.

        Returns
        -------
        pandas.DataFrame
            Indexed by ``variable``; columns ``meaning`` and ``rhs``.

        Examples
        --------
        >>> import alliance as al
        >>> g = al.NormalFormGame.from_matrices([[3, 0], [5, 1]], [[3, 5], [0, 1]])
        >>> ev = al.EvolutionaryGame(g)
        >>> ev.equations().to_frame()["meaning"].tolist()
        ["share of Player 1 playing 's1'", "share of Player 2 playing 's1'"]
        """
        return pd.DataFrame(
            {"meaning": self.descriptions, "rhs": self.rhs},
            index=pd.Index([v.name for v in self.variables], name="variable"),
        )

    def _repr_latex_(self) -> str:
        rows = [
            rf"\frac{{d{sp.latex(v)}}}{{dt}} &= {sp.latex(f)}"
            for v, f in zip(self.variables, self.rhs)
        ]
        return r"$\begin{aligned}" + r" \\ ".join(rows) + r"\end{aligned}$"

    def _repr_html_(self) -> str:
        try:
            return self.to_frame().to_html()
        except Exception:  # a display hook must never raise
            return "<pre>" + html.escape(repr(self)) + "</pre>"


@dataclass(frozen=True, eq=False)
class RestPoint:
    """A rest point of the replicator dynamics.

    Parameters
    ----------
    point : tuple
        Coordinates in the state variables (ints at corners; Fractions, floats or SymPy
        expressions elsewhere; a variable itself where the rest points form a continuum).
    kind : {"corner", "edge", "face", "interior"}
        Where the point lies: a pure corner, the interior of an edge (one population
        mixes), of a higher face, or of the whole state space.
    profile : str
        The strategy of each population (``"mixed"`` for those that mix).
    conditions : sympy Boolean or bool
        The parameter conditions under which the point lies in the state space (``True``
        for corners and for numeric games).
    continuum : bool
        True when the point is one of a continuum of rest points (a degenerate game).
    variables : tuple of sympy.Symbol
        The state variables the coordinates refer to.

    Examples
    --------
    >>> import alliance as al
    >>> g = al.NormalFormGame.from_matrices([[3, 0], [5, 1]], [[3, 5], [0, 1]])
    >>> ev = al.EvolutionaryGame(g)
    >>> ev.rest_points()[1]
    RestPoint((1, 0) corner: s1, s2)
    """

    point: tuple
    kind: str
    profile: str
    conditions: Any = True
    continuum: bool = False
    variables: tuple[sp.Symbol, ...] = field(default=(), repr=False)

    @property
    def is_corner(self) -> bool:
        """True for a pure-strategy corner."""
        return self.kind == "corner"

    def as_dict(self) -> dict[str, Any]:
        """``{variable name: coordinate}``.

        Returns
        -------
        dict
            State-variable name -> coordinate.

        Examples
        --------
        >>> import alliance as al
        >>> g = al.NormalFormGame.from_matrices([[3, 0], [5, 1]], [[3, 5], [0, 1]])
        >>> ev = al.EvolutionaryGame(g)
        >>> ev.rest_points()[1].as_dict()
        {'x': 1, 'y': 0}
        """
        return {v.name: p for v, p in zip(self.variables, self.point)}

    def __repr__(self) -> str:
        extra = (
            ""
            if self.conditions is True or self.conditions == sp.true
            else f" if {self.conditions}"
        )
        cont = ", continuum" if self.continuum else ""
        return f"RestPoint({point_text(self.point)} {self.kind}{cont}: {self.profile}{extra})"

    def _repr_latex_(self) -> str:
        body = "(" + ", ".join(_tex(v) for v in self.point) + ")"
        if not (self.conditions is True or self.conditions == sp.true):
            body += r"\quad \text{if } " + _tex(self.conditions)
        return "$" + body + "$"

    def _repr_html_(self) -> str:
        return "<pre>" + html.escape(repr(self)) + "</pre>"


class StabilityTable(pd.DataFrame):
    """The stability table of an evolutionary game: one row per rest point.

    A :class:`pandas.DataFrame` with columns ``point``, ``kind``, ``profile``,
    ``eigenvalues``, ``signs``, ``verdict``, ``ess_conditions``, ``existence`` and
    ``note``. :meth:`to_latex` writes the table economists print (corner, eigenvalues
    λ1..λk, sign, stability, conditions); slices and copies are plain DataFrames.

    Parameters
    ----------
    data, index, columns, dtype, copy
        As for :class:`pandas.DataFrame`; the table is made by
        :meth:`EvolutionaryGame.stability_table`, not by hand.

    Examples
    --------
    >>> import alliance as al
    >>> g = al.NormalFormGame.from_matrices([[3, 0], [5, 1]], [[3, 5], [0, 1]])
    >>> ev = al.EvolutionaryGame(g)
    >>> table = ev.stability_table(points="corners")
    >>> table.ess, list(table["verdict"])
    ([(0, 0)], ['ESS', 'saddle', 'saddle', 'unstable'])
    """

    _metadata = ["variables", "title"]

    @property
    def _constructor(self):
        return pd.DataFrame

    @property
    def ess(self) -> list[tuple]:
        """The points whose verdict is ``"ESS"``."""
        return [p for p, v in zip(self["point"], self["verdict"]) if v == "ESS"]

    def to_frame(self) -> pd.DataFrame:
        """A plain DataFrame copy.

        Returns
        -------
        pandas.DataFrame
            The same rows and columns, without the table's methods.

        Examples
        --------
        >>> import alliance as al
        >>> g = al.NormalFormGame.from_matrices([[3, 0], [5, 1]], [[3, 5], [0, 1]])
        >>> ev = al.EvolutionaryGame(g)
        >>> type(ev.stability_table(points="corners").to_frame()).__name__
        'DataFrame'
        """
        return pd.DataFrame(self).copy()

    def to_latex(self, *, caption: str | None = None, label: str | None = None) -> str:  # type: ignore[override]
        """The table as economists print it, in a LaTeX ``tabular`` (booktabs rules).

        Columns: equilibrium point, eigenvalues λ1..λk, signs, stability verdict, and the
        conditions for an ESS.

        Parameters
        ----------
        caption : str, optional
            ``\\caption`` of the table.
        label : str, optional
            ``\\label`` of the table.

        Returns
        -------
        str
            A ``table`` environment holding the ``tabular``.

        Examples
        --------
        >>> import alliance as al
        >>> g = al.NormalFormGame.from_matrices([[3, 0], [5, 1]], [[3, 5], [0, 1]])
        >>> ev = al.EvolutionaryGame(g)
        >>> tex = ev.stability_table(points="corners").to_latex(caption="Prisoner's dilemma")
        >>> print(tex.splitlines()[2])
        \\caption{Prisoner's dilemma}
        """
        width = max((len(e) for e in self["eigenvalues"] if e is not None), default=0)
        head = ["Equilibrium point"] + [rf"$\lambda_{{{j + 1}}}$" for j in range(width)]
        head += ["Sign", "Stability", "ESS conditions"]
        lines = [
            r"\begin{table}[htbp]",
            r"\centering",
        ]
        if caption:
            lines.append(rf"\caption{{{caption}}}")
        if label:
            lines.append(rf"\label{{{label}}}")
        lines += [
            r"\begin{tabular}{" + "l" * len(head) + "}",
            r"\toprule",
            " & ".join(head) + r" \\",
            r"\midrule",
        ]
        for _, row in self.iterrows():
            eig = list(row["eigenvalues"]) if row["eigenvalues"] is not None else []
            cells = ["$" + "(" + ", ".join(_tex(v) for v in row["point"]) + ")$"]
            cells += ["$" + _tex(v) + "$" for v in eig] + [""] * (width - len(eig))
            cond = row["ess_conditions"]
            cond_tex = (
                ""
                if isinstance(cond, (bool, np.bool_)) or cond in (sp.true, sp.false)
                else "$" + _tex(cond) + "$"
            )
            verdict = row["verdict"] + (r"$^{*}$" if row["note"] else "")
            cells += [row["signs"], verdict, cond_tex]
            lines.append(" & ".join(cells) + r" \\")
        lines += [r"\bottomrule", r"\end{tabular}"]
        notes = sorted({n for n in self["note"] if n})
        if notes:
            lines.append(
                r"\par\footnotesize $^{*}$ " + "; ".join(n.replace("–", "--") for n in notes) + "."
            )
        lines.append(r"\end{table}")
        return "\n".join(lines)

    # No _repr_latex_: MathJax cannot render a tabular; notebooks show the HTML table and
    # papers take to_latex().


@dataclass(frozen=True, eq=False)
class TableCheck:
    """The comparison of a published stability table with the derived one.

    Parameters
    ----------
    rows : pandas.DataFrame
        One row per published entry: ``corner``, ``label`` (the paper's name of the point),
        ``index`` (1-based, eigenvalues only), ``quantity`` (``"λ1"``.., ``"det"``,
        ``"tr"``, ``"verdict"``), ``published``, ``derived``, ``match`` (bool),
        ``diagnosis`` (``"match"``, ``"sign slip"``, ``"order"``, ``"swap"``,
        ``"det/tr interchanged"``, ``"column shifted"``, ``"neighbour's value"``,
        ``"wrong expression"``, ``"wrong verdict"``, ``"missing"``, ``"extra"``) and
        ``detail``.
    patterns : tuple of str
        Systematic errors, one line each (a column shifted, a neighbour's value copied).
    unchecked : tuple of tuple
        Corners of the game the published table does not list.

    Examples
    --------
    Made by :meth:`EvolutionaryGame.check_table`; here a published table with a sign slip:

    >>> import alliance as al
    >>> g = al.NormalFormGame.from_matrices([[3, 0], [5, 1]], [[3, 5], [0, 1]])
    >>> ev = al.EvolutionaryGame(g)
    >>> check = ev.check_table({(1, 1): [2, 2], (0, 0): [1, -1]})
    >>> check.ok, check.unchecked
    (False, ((1, 0), (0, 1)))
    """

    rows: pd.DataFrame
    patterns: tuple[str, ...] = ()
    unchecked: tuple[tuple, ...] = ()

    @property
    def ok(self) -> bool:
        """True when every published entry equals the derived one."""
        return bool(self.rows["match"].all())

    @property
    def errors(self) -> pd.DataFrame:
        """The rows that do not match."""
        return self.rows[~self.rows["match"]]

    def to_frame(self) -> pd.DataFrame:
        """All rows as a DataFrame.

        Returns
        -------
        pandas.DataFrame
            A copy of :attr:`rows`, one row per published entry.

        Examples
        --------
        >>> import alliance as al
        >>> g = al.NormalFormGame.from_matrices([[3, 0], [5, 1]], [[3, 5], [0, 1]])
        >>> ev = al.EvolutionaryGame(g)
        >>> check = ev.check_table({(1, 1): [2, 2], (0, 0): [1, -1]})
        >>> check.to_frame()["diagnosis"].tolist()
        ['match', 'match', 'sign slip', 'match']
        """
        return self.rows.copy()

    def _what(self) -> str:
        quantities = set(self.rows["quantity"]) if "quantity" in self.rows else set()
        return "eigenvalues" if all(str(q).startswith("λ") for q in quantities) else "entries"

    def __repr__(self) -> str:
        n = len(self.rows)
        bad = self.errors
        head = f"TableCheck({n - len(bad)} of {n} {self._what()} match"
        lines = [f"  pattern: {p}" for p in self.patterns]
        shown_patterns = {"column shifted", "neighbour's value"}
        hidden = 0
        for r in bad.itertuples():
            if self.patterns and r.diagnosis in shown_patterns:
                hidden += 1
                continue
            lines.append(f"  {point_text(r.corner)} {r.quantity}: {r.diagnosis} — {r.detail}")
        if hidden:
            lines.append(f"  ({hidden} entries explained by the patterns above)")
        if self.unchecked:
            lines.append(
                f"  unchecked: {len(self.unchecked)} corners not in the published table: "
                + ", ".join(point_text(c) for c in self.unchecked)
            )
        if not lines:
            return head + ")"
        return head + ":\n" + "\n".join(lines) + "\n)"

    def errata(self) -> pd.DataFrame:
        """The errata to send to the authors: point, entry, as printed, correct, error.

        Returns
        -------
        pandas.DataFrame
            One row per wrong entry; columns ``point``, ``entry``, ``printed``,
            ``correct``, ``error``.

        Examples
        --------
        >>> import alliance as al
        >>> g = al.NormalFormGame.from_matrices([[3, 0], [5, 1]], [[3, 5], [0, 1]])
        >>> ev = al.EvolutionaryGame(g)
        >>> check = ev.check_table({(1, 1): [2, 2], (0, 0): [1, -1]})
        >>> check.errata().iloc[0].tolist()
        ['(0, 0)', 'λ1', '1', '-1', 'sign slip']
        """
        bad = self.errors
        return pd.DataFrame(
            {
                "point": [f"{lab} {point_text(c)}".strip() if lab and lab != point_text(c)
                          else point_text(c) for lab, c in zip(bad["label"], bad["corner"])],
                "entry": list(bad["quantity"]),
                "printed": [_text(v) if v is not None else "—" for v in bad["published"]],
                "correct": [_text(v) if v is not None else "—" for v in bad["derived"]],
                "error": list(bad["diagnosis"]),
            }
        )

    def to_latex(self, *, caption: str | None = None, label: str | None = None) -> str:
        """The errata as a LaTeX ``tabular`` (booktabs), with the patterns as notes.

        Parameters
        ----------
        caption : str, optional
            ``\\caption`` of the table.
        label : str, optional
            ``\\label`` of the table.

        Returns
        -------
        str
            A ``table`` environment; unchecked corners are listed in a note.

        Examples
        --------
        >>> import alliance as al
        >>> g = al.NormalFormGame.from_matrices([[3, 0], [5, 1]], [[3, 5], [0, 1]])
        >>> ev = al.EvolutionaryGame(g)
        >>> check = ev.check_table({(1, 1): [2, 2], (0, 0): [1, -1]})
        >>> print(check.to_latex().splitlines()[6])
        $(0, 0)$ & $\\lambda_{1}$ & $1$ & $-1$ & sign slip \\\\
        """
        bad = self.errors
        lines = [r"\begin{table}[htbp]", r"\centering"]
        if caption:
            lines.append(rf"\caption{{{caption}}}")
        if label:
            lines.append(rf"\label{{{label}}}")
        lines += [
            r"\begin{tabular}{lllll}",
            r"\toprule",
            r"Point & Entry & Printed & Correct & Error \\",
            r"\midrule",
        ]
        for r in bad.itertuples():
            entry = r.quantity
            entry = rf"$\lambda_{{{r.index}}}$" if str(entry).startswith("λ") else entry
            printed = "$" + _tex(r.published) + "$" if r.published is not None else "--"
            if entry == "verdict":
                printed = str(r.published)
            correct = "$" + _tex(r.derived) + "$" if r.derived is not None else "--"
            if entry == "verdict":
                correct = str(r.derived)
            lines.append(
                " & ".join([f"${_tex_point(r.corner)}$", entry, printed, correct, r.diagnosis])
                + r" \\"
            )
        lines += [r"\bottomrule", r"\end{tabular}"]
        notes = list(self.patterns)
        if self.unchecked:
            notes.append(
                "not in the published table: " + ", ".join(point_text(c) for c in self.unchecked)
            )
        if notes:
            lines.append(r"\par\footnotesize " + "; ".join(notes).replace("λ", r"$\lambda$") + ".")
        lines.append(r"\end{table}")
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        try:
            head = html.escape(repr(self).splitlines()[0].removeprefix("TableCheck("))
            notes = "".join(f"<li>{html.escape(p)}</li>" for p in self.patterns)
            if self.unchecked:
                notes += "<li>unchecked: " + html.escape(
                    ", ".join(point_text(c) for c in self.unchecked)
                ) + "</li>"
            body = self.errata().to_html(index=False) if len(self.errors) else ""
            return f"<p>{head}</p>" + (f"<ul>{notes}</ul>" if notes else "") + body
        except Exception:  # a display hook must never raise
            return "<pre>" + html.escape(repr(self)) + "</pre>"


def _tex_point(point: tuple) -> str:
    return "(" + ", ".join(_tex(v) for v in point) + ")"


@dataclass(frozen=True, eq=False)
class Trajectories:
    """Solutions of the replicator dynamics from many initial states.

    Parameters
    ----------
    t : ndarray, shape (T,)
        Output times.
    states : ndarray, shape (m, T, d)
        State variables of each trajectory at each time (shares in [0, 1]).
    variables : tuple of str
        Names of the state variables.
    descriptions : tuple of str
        What each variable measures.
    params : dict
        The parameter values used.
    method : str
        The integrator.

    Examples
    --------
    Made by :meth:`EvolutionaryGame.simulate`; in the prisoner's dilemma cooperation dies out:

    >>> import alliance as al
    >>> g = al.NormalFormGame.from_matrices([[3, 0], [5, 1]], [[3, 5], [0, 1]])
    >>> ev = al.EvolutionaryGame(g)
    >>> paths = ev.simulate([[0.9, 0.9]], 5.0)
    >>> paths.states.shape, paths.final.round(3).tolist()
    ((1, 201, 2), [[0.014, 0.014]])
    """

    t: np.ndarray
    states: np.ndarray
    variables: tuple[str, ...]
    descriptions: tuple[str, ...]
    params: dict = field(default_factory=dict)
    method: str = "dopri5-logit"

    @property
    def final(self) -> np.ndarray:
        """End states, shape (m, d)."""
        return self.states[:, -1, :]

    def __len__(self) -> int:
        return self.states.shape[0]

    def __repr__(self) -> str:
        m, n_t, d = self.states.shape
        return (
            f"Trajectories({m} trajectories × {n_t} times, t in [{format_number(self.t[0])}, "
            f"{format_number(self.t[-1])}], variables {', '.join(self.variables)}; {self.method})"
        )

    def to_frame(self) -> pd.DataFrame:
        """Long format: one row per trajectory and time, one column per variable.

        Returns
        -------
        pandas.DataFrame
            Indexed by (``trajectory``, ``t``); one column per state variable.

        Examples
        --------
        >>> import alliance as al
        >>> g = al.NormalFormGame.from_matrices([[3, 0], [5, 1]], [[3, 5], [0, 1]])
        >>> ev = al.EvolutionaryGame(g)
        >>> frame = ev.simulate([[0.9, 0.9]], 5.0).to_frame()
        >>> frame.shape, list(frame.columns)
        ((201, 2), ['x', 'y'])
        """
        m, n_t, d = self.states.shape
        index = pd.MultiIndex.from_product([range(m), self.t], names=["trajectory", "t"])
        return pd.DataFrame(
            self.states.reshape(m * n_t, d), index=index, columns=list(self.variables)
        )

    def _repr_html_(self) -> str:
        return "<pre>" + html.escape(repr(self)) + "</pre>"
