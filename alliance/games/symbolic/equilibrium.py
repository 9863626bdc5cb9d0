"""The result type of symbolic solvers: an equilibrium with the conditions under which it holds."""

from __future__ import annotations

import html
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from fractions import Fraction
from functools import cached_property
from typing import Any

import numpy as np
import pandas as pd
import sympy as sp

from alliance.errors import ParameterError
from alliance.games.symbolic._conditions import (
    Atom,
    Case,
    Domain,
    allowed_bits,
    exact_sign,
    sign_array,
)

__all__ = ["SymbolicEquilibrium", "LambdifiedEquilibrium", "DEFAULT_TOL"]

#: Absolute tolerance under which a condition expression counts as zero in float evaluation.
DEFAULT_TOL = 1e-9

_FALSE_ATOM = Atom(sp.Integer(0), frozenset())


def _tex_text(name: str) -> str:
    return r"\text{" + name.replace("_", r"\_").replace("&", r"\&") + "}"


def _to_python(value: sp.Expr) -> Fraction | float:
    if value.is_Rational:
        return Fraction(int(value.p), int(value.q))
    return float(value)


@dataclass(frozen=True, eq=False)
class SymbolicEquilibrium:
    """An equilibrium of a symbolic game, valid where its conditions hold.

    The equilibria returned for one game cover every parameter point: at any admissible
    point, the equilibria of the numeric game are exactly the profiles of the symbolic
    equilibria whose conditions hold there. In degenerate games (on boundaries) these are the
    *extreme* equilibria, as vertex enumeration reports them.

    Parameters
    ----------
    profile : tuple of tuple of sympy.Expr
        Each player's probability of each of its strategies.
    conditions : sympy.Boolean
        When the profile is an equilibrium, simplified with the parameters' assumptions.
    payoffs : tuple of sympy.Expr
        Each player's expected payoff.
    players, strategies : tuple
        Labels of the game.
    kind : {"pure", "mixed"}
        Whether a player mixes.
    is_boundary : bool
        True when the conditions include an equation: the case lives on a boundary of the
        parameter space (a degenerate game), not on an open region.
    label : str
        A short name, such as ``"(lend, repay)"`` or ``"mixed"``.
    atoms : tuple of Atom, optional
        The sign conditions the case is made of (evaluated by :meth:`holds_at`).
    domain : Domain, optional
        The parameters' declared ranges.
    key : tuple, optional
        An identifier of the case within its game (used by the classifier).

    Examples
    --------
    Made by :meth:`NormalFormGame.equilibria` on a symbolic game:

    >>> import alliance as al
    >>> g = al.NormalFormGame.from_matrices([["a", 0], [0, 1]], [["a", 0], [0, 1]],
    ...                                     params={"a": (0, 2)})
    >>> mixed = g.equilibria()[-1]
    >>> mixed
    SymbolicEquilibrium(Player 1: (s1 1/(a + 1), s2 a/(a + 1)); Player 2: (s1 1/(a + 1), s2 a/(a + 1)) | if a > 0) [mixed]
    """

    profile: tuple[tuple[sp.Expr, ...], ...]
    conditions: sp.Basic
    payoffs: tuple[sp.Expr, ...]
    players: tuple[str, ...]
    strategies: tuple[tuple[str, ...], ...]
    kind: str
    is_boundary: bool
    label: str
    atoms: tuple[Atom, ...] = field(repr=False, default=())
    domain: Domain | None = field(repr=False, default=None, compare=False)
    key: tuple = field(repr=False, default=(), compare=False)

    @classmethod
    def from_case(
        cls,
        case: Case | None,
        profile,
        payoffs,
        players,
        strategies,
        kind,
        label,
        key,
        domain: Domain,
    ) -> SymbolicEquilibrium:
        """Build the equilibrium of one case of an enumeration (``None``: impossible).

        Parameters
        ----------
        case : Case or None
            The conditions collected for the candidate; ``None`` when they contradict.
        profile, payoffs : tuple
            The candidate's probabilities and expected payoffs (SymPy expressions).
        players, strategies : tuple
            Labels of the game.
        kind : {"pure", "mixed"}
            Whether a player mixes.
        label : str
            Short name of the profile.
        key : tuple
            Identifier of the case.
        domain : Domain
            The parameters' declared ranges.

        Returns
        -------
        SymbolicEquilibrium
            With ``conditions = false`` when ``case`` is ``None``.

        Examples
        --------
        >>> import sympy as sp
        >>> from alliance.games.symbolic import Domain
        >>> eq = SymbolicEquilibrium.from_case(None, ((1,), (1,)), (0, 0), ("A", "B"),
        ...                                    (("a",), ("b",)), "pure", "(a, b)", (),
        ...                                    Domain([]))
        >>> eq.is_possible
        False
        """
        if case is None:
            return cls(
                profile,
                sp.false,
                payoffs,
                players,
                strategies,
                kind,
                False,
                label,
                (_FALSE_ATOM,),
                domain,
                key,
            )
        return cls(
            profile,
            case.relational(),
            payoffs,
            players,
            strategies,
            kind,
            case.is_boundary,
            label,
            case.atom_list(),
            domain,
            key,
        )

    # -- parameters -----------------------------------------------------------------------
    @cached_property
    def params(self) -> tuple[sp.Symbol, ...]:
        """The parameters the profile and the conditions depend on, sorted by name."""
        free: set = set()
        for a in self.atoms:
            free |= a.expr.free_symbols
        for s in self.profile:
            for p in s:
                free |= p.free_symbols
        return tuple(sorted(free, key=lambda s: s.name))

    @property
    def is_possible(self) -> bool:
        """False when the conditions can never hold."""
        return _FALSE_ATOM not in self.atoms

    def _values(self, values: Mapping[str, Any]) -> dict[sp.Symbol, Any]:
        domain = self.domain or Domain(self.params)
        return domain.check_values(values, field="values", require=self.params)

    def holds_at(self, tol: float = DEFAULT_TOL, **values: Any) -> bool:
        """Whether the conditions hold at a parameter point.

        Integer and fraction values are evaluated exactly (so boundary cases hold exactly
        on their boundary); floats with the absolute tolerance ``tol``.

        Raises
        ------
        ParameterError
            A parameter is missing, unknown, not a number or outside its assumptions.

        Parameters
        ----------
        tol : float, default DEFAULT_TOL
            Absolute tolerance for float values, >= 0.
        **values : float
            A value for every parameter.

        Returns
        -------
        bool
            ``True`` when every condition holds.

        Examples
        --------
        >>> import alliance as al
        >>> g = al.NormalFormGame.from_matrices([["a", 0], [0, 1]], [["a", 0], [0, 1]],
        ...                                     params={"a": (0, 2)})
        >>> mixed = g.equilibria()[-1]
        >>> mixed.holds_at(a=1), mixed.holds_at(a=0)
        (True, False)
        """
        subs = self._values(values)
        return all(exact_sign(a.expr, subs, tol) in a.allowed for a in self.atoms)

    def profile_at(self, **values: Any) -> tuple[tuple[Fraction | float, ...], ...]:
        """The profile's probabilities at a parameter point (Fractions when exact).

        Parameters
        ----------
        **values : float
            A value for every parameter of the profile.

        Returns
        -------
        tuple of tuple
            One probability vector per player.

        Examples
        --------
        >>> import alliance as al
        >>> g = al.NormalFormGame.from_matrices([["a", 0], [0, 1]], [["a", 0], [0, 1]],
        ...                                     params={"a": (0, 2)})
        >>> mixed = g.equilibria()[-1]
        >>> [[str(p) for p in s] for s in mixed.profile_at(a=1)]
        [['1/2', '1/2'], ['1/2', '1/2']]
        """
        subs = self._values(values)
        return tuple(tuple(_to_python(p.xreplace(subs)) for p in s) for s in self.profile)

    def subs(self, values: Mapping[str, Any] | None = None, **kwargs: Any) -> SymbolicEquilibrium:
        """Substitute values for some parameters; conditions are simplified again.

        Parameters
        ----------
        values : Mapping, optional
            Parameter name -> number.
        **kwargs
            The same, as keywords.

        Returns
        -------
        SymbolicEquilibrium
            Over the remaining parameters (impossible when the conditions fail).

        Examples
        --------
        >>> import alliance as al
        >>> g = al.NormalFormGame.from_matrices([["a", 0], [0, 1]], [["a", 0], [0, 1]],
        ...                                     params={"a": (0, 2)})
        >>> mixed = g.equilibria()[-1]
        >>> mixed.subs(a=1)
        SymbolicEquilibrium(Player 1: (s1 1/2, s2 1/2); Player 2: (s1 1/2, s2 1/2) | for all parameter values) [mixed]
        """
        values = dict(values or {}, **kwargs)
        domain = self.domain or Domain(self.params)
        mapping = domain.check_values(values, field="values")
        rest = Domain([s for s in domain.symbols if s not in mapping], domain.assumptions)
        case = Case(rest)
        ok = True
        for a in self.atoms:
            if a is _FALSE_ATOM or not case.add(a.expr.xreplace(mapping), a.allowed):
                ok = False
                break
        profile = tuple(tuple(sp.factor(p.xreplace(mapping)) for p in s) for s in self.profile)
        payoffs = tuple(sp.factor(p.xreplace(mapping)) for p in self.payoffs)
        return SymbolicEquilibrium.from_case(
            case if ok else None,
            profile,
            payoffs,
            self.players,
            self.strategies,
            self.kind,
            self.label,
            self.key,
            rest,
        )

    def lambdify(self, tol: float = DEFAULT_TOL) -> LambdifiedEquilibrium:
        """A vectorised NumPy function of the parameters.

        Returns a callable ``f(**arrays)`` (or positional, in the order of ``f.params``)
        returning ``(mask, profile)``: a boolean array, true where the conditions hold, and
        one array per player of shape ``(*broadcast shape, k_i)``.

        Parameters
        ----------
        tol : float, default DEFAULT_TOL
            Absolute tolerance of the conditions, >= 0.

        Returns
        -------
        LambdifiedEquilibrium
            The compiled function.

        Examples
        --------
        >>> import alliance as al
        >>> g = al.NormalFormGame.from_matrices([["a", 0], [0, 1]], [["a", 0], [0, 1]],
        ...                                     params={"a": (0, 2)})
        >>> mixed = g.equilibria()[-1]
        >>> import numpy as np
        >>> mask, profile = mixed.lambdify()(a=np.array([0.0, 1.0]))
        >>> mask.tolist(), profile[0].tolist()
        ([False, True], [[1.0, 0.0], [0.5, 0.5]])
        """
        return LambdifiedEquilibrium(self, tol)

    # -- display --------------------------------------------------------------------------
    def _strategy_text(self, i: int) -> str:
        probs = self.profile[i]
        used = [(s, p) for s, p in zip(self.strategies[i], probs, strict=True) if p != 0]
        if len(used) == 1 and used[0][1] == 1:
            return used[0][0]
        return "(" + ", ".join(f"{s} {p}" for s, p in used) + ")"

    def __repr__(self) -> str:
        parts = "; ".join(f"{p}: {self._strategy_text(i)}" for i, p in enumerate(self.players))
        tags = self.kind + (", boundary" if self.is_boundary else "")
        # "for all parameter values" reads like a paper; SymPy's "if True" does not
        when = (
            "for all parameter values"
            if self.conditions is sp.true
            else "for no parameter values"
            if self.conditions is sp.false
            else f"if {self.conditions}"
        )
        return f"SymbolicEquilibrium({parts} | {when}) [{tags}]"

    def _repr_latex_(self) -> str:
        parts = []
        for i, player in enumerate(self.players):
            probs = [
                (s, p) for s, p in zip(self.strategies[i], self.profile[i], strict=True) if p != 0
            ]
            if len(probs) == 1 and probs[0][1] == 1:
                parts.append(f"{_tex_text(player)}: {_tex_text(probs[0][0])}")
            else:
                inner = ",\\ ".join(f"{sp.latex(p)}\\,{_tex_text(s)}" for s, p in probs)
                parts.append(f"{_tex_text(player)}: ({inner})")
        return "$" + r";\ ".join(parts) + r"\quad\text{if}\quad " + sp.latex(self.conditions) + "$"

    def _repr_html_(self) -> str:
        try:
            return f"<p>{html.escape(repr(self))}</p>" + self.to_frame().to_html()
        except Exception:  # a display hook must never raise
            return "<pre>" + html.escape(object.__repr__(self)) + "</pre>"

    def to_frame(self) -> pd.DataFrame:
        """One row per player and strategy: the probability and the player's payoff.

        Returns
        -------
        pandas.DataFrame
            Indexed by (``player``, ``strategy``); SymPy expressions.

        Examples
        --------
        >>> import alliance as al
        >>> g = al.NormalFormGame.from_matrices([["a", 0], [0, 1]], [["a", 0], [0, 1]],
        ...                                     params={"a": (0, 2)})
        >>> mixed = g.equilibria()[-1]
        >>> [str(p) for p in mixed.to_frame()["probability"]]
        ['1/(a + 1)', 'a/(a + 1)', '1/(a + 1)', 'a/(a + 1)']
        """
        rows = []
        for i, player in enumerate(self.players):
            for s, p in zip(self.strategies[i], self.profile[i], strict=True):
                rows.append(
                    {"player": player, "strategy": s, "probability": p, "payoff": self.payoffs[i]}
                )
        return pd.DataFrame(rows).set_index(["player", "strategy"])


class LambdifiedEquilibrium:
    """A symbolic equilibrium compiled to NumPy (see :meth:`SymbolicEquilibrium.lambdify`).

    Parameters
    ----------
    equilibrium : SymbolicEquilibrium
        The equilibrium to compile.
    tol : float, default DEFAULT_TOL
        Absolute tolerance of the conditions, >= 0.

    Examples
    --------
    >>> import alliance as al
    >>> g = al.NormalFormGame.from_matrices([["a", 0], [0, 1]], [["a", 0], [0, 1]],
    ...                                     params={"a": (0, 2)})
    >>> mixed = g.equilibria()[-1]
    >>> import numpy as np
    >>> f = LambdifiedEquilibrium(mixed)
    >>> f.params, f(a=np.array([1.0]))[0].tolist()
    (('a',), [True])
    """

    def __init__(self, equilibrium: SymbolicEquilibrium, tol: float = DEFAULT_TOL) -> None:
        self.equilibrium = equilibrium
        self.tol = float(tol)
        domain = equilibrium.domain
        self._symbols = tuple(domain.symbols) if domain is not None else equilibrium.params
        used = set(equilibrium.params)
        self._symbols = tuple(s for s in self._symbols if s in used) or equilibrium.params
        self.params = tuple(s.name for s in self._symbols)
        exprs = [a.expr for a in equilibrium.atoms] + [p for s in equilibrium.profile for p in s]
        self._n_atoms = len(equilibrium.atoms)
        self._bits = np.array([allowed_bits(a.allowed) for a in equilibrium.atoms], dtype=np.int64)
        self._fn: Callable = sp.lambdify(self._symbols, exprs, modules="numpy", cse=True)

    def __call__(self, *args: Any, **kwargs: Any) -> tuple[np.ndarray, tuple[np.ndarray, ...]]:
        domain = self.equilibrium.domain
        if domain is not None and kwargs:
            # Parameters of the game that this equilibrium does not use are accepted, checked
            # against their assumptions, and ignored.
            known = domain.by_name()
            for name in [n for n in kwargs if n not in self.params and n in known]:
                _check_array(name, np.asarray(kwargs.pop(name), dtype=float), domain, known[name])
        arrays = bind_arrays(self.params, args, kwargs)
        for name, symbol in zip(self.params, self._symbols, strict=True):
            _check_array(name, arrays[name], self.equilibrium.domain, symbol)
        values = self._fn(*[arrays[n] for n in self.params])
        shape = np.broadcast_shapes(*(np.shape(a) for a in arrays.values())) if arrays else ()
        mask = np.ones(shape, dtype=bool)
        for k in range(self._n_atoms):
            signs = sign_array(np.broadcast_to(np.asarray(values[k], dtype=float), shape), self.tol)
            mask &= ((self._bits[k] >> (signs.astype(np.int64) + 1)) & 1).astype(bool)
        out = []
        pos = self._n_atoms
        for s in self.equilibrium.profile:
            cols = [
                np.broadcast_to(np.asarray(values[pos + j], dtype=float), shape)
                for j in range(len(s))
            ]
            pos += len(s)
            out.append(np.stack(cols, axis=-1))
        return mask, tuple(out)

    def __repr__(self) -> str:
        return f"LambdifiedEquilibrium({self.equilibrium.label}; params {', '.join(self.params)})"


def bind_arrays(names: tuple[str, ...], args: tuple, kwargs: Mapping[str, Any]) -> dict[str, np.ndarray]:
    if args and kwargs:
        raise ParameterError("give parameter values either positionally or by name, not both")
    if args:
        if len(args) != len(names):
            raise ParameterError(
                f"{len(args)} positional values given; parameters are {', '.join(names)}"
            )
        kwargs = dict(zip(names, args, strict=True))
    unknown = sorted(set(kwargs) - set(names))
    if unknown:
        raise ParameterError(
            f"unknown parameter(s) {', '.join(unknown)}; parameters are {', '.join(names) or '(none)'}"
        )
    missing = [n for n in names if n not in kwargs]
    if missing:
        raise ParameterError(f"missing value(s) for parameter(s) {', '.join(missing)}")
    out = {}
    for n in names:
        try:
            arr = np.asarray(kwargs[n], dtype=float)
        except (TypeError, ValueError):
            raise ParameterError(
                f"values of parameter '{n}' are not numeric: {kwargs[n]!r:.80}"
            ) from None
        out[n] = arr
    return out


def _check_array(name: str, values: np.ndarray, domain: Domain | None, symbol: sp.Symbol) -> None:
    from alliance.games.symbolic._conditions import check_range

    if not np.all(np.isfinite(values)):
        raise ParameterError(f"values of parameter '{name}' include non-finite numbers")
    check_range(name, values, domain.assumptions.get(name) if domain else None, symbol)
