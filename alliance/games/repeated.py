"""Infinitely repeated games: the critical discount factor that sustains cooperation.

Cooperation (a pure profile of the stage game, e.g. (lend, repay)) is sustained when no
player gains by a one-shot deviation. For player ``i`` with cooperation payoff ``c``, best
deviation payoff ``d`` and punishment payoff ``p`` (its best reply to the punishment), a
deviation that is detected and punished with probability ``π`` for ``k`` periods is
unprofitable when

.. math:: d - c \\le \\pi (c - p) (\\delta + \\delta^2 + \\dots + \\delta^k),

which for permanent punishment (``k = ∞``) gives
:math:`\\delta^*_i = (d - c) / (d - c + \\pi (c - p))` and, with ``π = 1``, the textbook
:math:`(d - c)/(d - p)`. Each player has its own :math:`\\delta^*_i`; cooperation needs
:math:`\\delta \\ge \\max_i \\delta^*_i` and the player attaining the maximum is *binding*.

Two punishments: ``"nash"`` (Nash reversion: play a stage Nash equilibrium after a
deviation, which is subgame perfect) and ``"grim"`` (grim trigger: the deviator is held to
its pure-strategy minmax payoff, or to the ``punishment`` profile given).

Examples
--------
>>> import alliance as al
>>> pd_game = al.NormalFormGame.from_payoffs(
...     {("C", "C"): ("R", "R"), ("C", "D"): ("S", "T"), ("D", "C"): ("T", "S"), ("D", "D"): ("P", "P")},
...     players=("Row", "Col"), params=["T", "R", "P", "S"])
>>> cd = RepeatedGame(pd_game, cooperate=("C", "C"), punishment=("D", "D")).critical_discount()
>>> cd.by_player["Row"]
(R - T)/(P - T)
>>> cd.subs(T=5, R=3, P=1, S=0).value
Fraction(1, 2)

References
----------
Friedman, J. W. (1971). A non-cooperative equilibrium for supergames. *Review of Economic
Studies*, 38(1), 1–12.
Abreu, D. (1988). On the theory of infinitely repeated games with discounting.
*Econometrica*, 56(2), 383–396.
"""

from __future__ import annotations

import html
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

import numpy as np
import pandas as pd
import sympy as sp

from alliance.errors import InvalidGameError, ParameterError
from alliance.expr import parse_expression
from alliance.numbers import to_sympy

__all__ = ["RepeatedGame", "CriticalDiscount"]

STRATEGIES = ("nash", "grim")


def _sym(v: Any) -> sp.Expr:
    return to_sympy(v, exact=False)


def _out(v: sp.Expr) -> Any:
    if v.free_symbols:
        return v
    if v is sp.oo or v == sp.oo:
        return float("inf")
    if v.is_Rational:
        return Fraction(int(v.p), int(v.q))
    return float(v)


@dataclass(frozen=True, eq=False)
class CriticalDiscount:
    """The critical discount factors of a repeated game, per player and binding.

    Parameters
    ----------
    by_player : dict
        Player → :math:`\\delta^*_i` (a SymPy expression, a Fraction or a float; ``inf`` when
        punishment does not hurt, so no discount factor sustains cooperation; 0 when the
        player has no profitable deviation).
    value : Any
        :math:`\\max_i \\delta^*_i` (``sympy.Max`` for symbolic games).
    binding : str or None
        The player attaining the maximum (None when it depends on the parameters: see
        ``binding_conditions``).
    binding_conditions : dict
        Player → condition on the parameters under which that player binds.
    gains, losses : dict
        Player → one-shot deviation gain ``d - c`` and per-period punishment loss ``c - p``.
    conditions : sympy.Boolean
        Where the formulas are valid (every gain and loss positive; for Nash reversion, the
        punishment profile is a stage equilibrium).
    strategy, length, detection
        The punishment used, its length (None: forever) and the detection probabilities.
    cooperate, punishment : tuple of str
        The cooperative profile and the punishment profile (None for grim minmax).
    _game : RepeatedGame, optional
        The game the result came from (used by :meth:`subs`).

    Examples
    --------
    Made by :meth:`RepeatedGame.critical_discount`; in the prisoner's dilemma (3, 5, 1, 0)
    Nash reversion sustains cooperation for :math:`\\delta \\ge 1/2`:

    >>> import alliance as al
    >>> pd_game = al.NormalFormGame.from_matrices([[3, 0], [5, 1]], [[3, 5], [0, 1]],
    ...                                           strategies=(("C", "D"), ("C", "D")))
    >>> rg = RepeatedGame(pd_game, ("C", "C"))
    >>> d = rg.critical_discount()
    >>> str(d.value), d.binding, [str(v) for v in d.gains.values()]
    ('1/2', 'Player 1', ['2', '2'])
    """

    by_player: dict
    value: Any
    binding: str | None
    binding_conditions: dict
    gains: dict
    losses: dict
    conditions: Any
    strategy: str
    length: int | None
    detection: dict
    cooperate: tuple[str, ...]
    punishment: tuple[str, ...] | None
    _game: Any = field(repr=False, default=None)

    @property
    def sustainable(self) -> bool | None:
        """Whether some discount factor below 1 sustains cooperation (None if symbolic)."""
        if isinstance(self.value, sp.Basic) and self.value.free_symbols:
            return None
        return float(self.value) < 1

    def sustains(self, delta: float) -> bool:
        """Whether discount factor ``delta`` sustains cooperation (numeric results only).

        Parameters
        ----------
        delta : float
            Discount factor per period, in [0, 1).

        Returns
        -------
        bool
            ``delta >= value``.

        Raises
        ------
        ParameterError
            A symbolic result, or ``delta`` outside [0, 1).

        Examples
        --------
        >>> import alliance as al
        >>> pd_game = al.NormalFormGame.from_matrices([[3, 0], [5, 1]], [[3, 5], [0, 1]],
        ...                                           strategies=(("C", "D"), ("C", "D")))
        >>> rg = RepeatedGame(pd_game, ("C", "C"))
        >>> d = rg.critical_discount()
        >>> d.sustains(0.6), d.sustains(0.4)
        (True, False)
        """
        if isinstance(self.value, sp.Basic) and self.value.free_symbols:
            raise ParameterError("the critical discount is symbolic; call .subs(...) first")
        if not 0 <= float(delta) < 1:
            raise ParameterError(f"delta is {delta}; a discount factor lies in [0, 1)")
        return float(delta) >= float(self.value)

    def subs(self, values: Mapping[str, Any] | None = None, **kwargs: Any) -> CriticalDiscount:
        """The result for numeric parameter values (checked against their assumptions).

        Parameters
        ----------
        values : Mapping, optional
            Parameter name -> number.
        **kwargs
            The same, as keywords.

        Returns
        -------
        CriticalDiscount
            Recomputed on the substituted game.

        Examples
        --------
        >>> import alliance as al
        >>> stage = al.NormalFormGame.from_matrices(
        ...     [["R", 0], ["T", 1]], [["R", "T"], [0, 1]], strategies=(("C", "D"), ("C", "D")),
        ...     params={"R": "positive", "T": "positive"})
        >>> cd = RepeatedGame(stage, ("C", "C")).critical_discount()
        >>> cd.by_player["Player 1"], str(cd.subs(R=3, T=5).value)
        ((-R + T)/(T - 1), '1/2')
        """
        values = dict(values or {}, **kwargs)
        return self._game.subs(values).critical_discount(
            strategy=self.strategy, length=self.length, detection=self._detection_input(values)
        )

    def _detection_input(self, values: Mapping[str, Any]) -> dict:
        from alliance.games.symbolic._conditions import Domain

        domain = Domain.of_game(self._game.stage)
        mapping = domain.check_values({k: v for k, v in values.items() if k in domain.by_name()})
        return {p: _sym(v).xreplace(mapping) for p, v in self.detection.items()}

    def to_frame(self) -> pd.DataFrame:
        """One row per player: δ*, deviation gain and punishment loss.

        Returns
        -------
        pandas.DataFrame
            Indexed by ``player``; columns ``critical_discount``, ``gain``, ``loss``,
            ``detection`` and ``binding``.

        Examples
        --------
        >>> import alliance as al
        >>> pd_game = al.NormalFormGame.from_matrices([[3, 0], [5, 1]], [[3, 5], [0, 1]],
        ...                                           strategies=(("C", "D"), ("C", "D")))
        >>> rg = RepeatedGame(pd_game, ("C", "C"))
        >>> rg.critical_discount().to_frame()["binding"].tolist()
        [True, False]
        """
        return pd.DataFrame(
            {
                "critical_discount": list(self.by_player.values()),
                "gain": list(self.gains.values()),
                "loss": list(self.losses.values()),
                "detection": list(self.detection.values()),
                "binding": [p == self.binding for p in self.by_player],
            },
            index=pd.Index(list(self.by_player), name="player"),
        )

    def __repr__(self) -> str:
        per = ", ".join(f"{p}: {v}" for p, v in self.by_player.items())
        bind = self.binding if self.binding is not None else "depends on parameters"
        k = "forever" if self.length is None else f"{self.length} periods"
        return f"CriticalDiscount({per}; binding {bind}; {self.strategy}, {k})"

    def _repr_latex_(self) -> str:
        parts = [
            rf"\delta^*_{{\text{{{p}}}}} = {sp.latex(_sym(v)) if not isinstance(v, float) else f'{v:.6g}'}"
            for p, v in self.by_player.items()
        ]
        return "$" + r",\quad ".join(parts) + "$"

    def _repr_html_(self) -> str:
        try:
            return f"<p>{html.escape(repr(self))}</p>" + self.to_frame().to_html()
        except Exception:  # a display hook must never raise
            return "<pre>" + html.escape(object.__repr__(self)) + "</pre>"


class RepeatedGame:
    """An infinitely repeated stage game with a cooperative profile to sustain.

    Parameters
    ----------
    stage : NormalFormGame
        The stage game (numeric or symbolic), any number of players.
    cooperate : sequence of str
        The pure profile to sustain, e.g. ``("lend", "repay")``.
    punishment : sequence of str, optional
        The pure profile played after a deviation. For ``strategy="nash"`` it defaults to the
        stage game's pure Nash equilibrium (when there is exactly one); for ``"grim"`` each
        deviator is held to its pure-strategy minmax payoff.
    strategy : {"nash", "grim"}
    length : int, optional
        Punishment length in periods (None: forever).
    detection : float, str or dict, optional
        Probability that a deviation is detected and punished (a number, a parameter
        expression parsed safely, or a dict per player). Default 1.

    Raises
    ------
    InvalidGameError
        A stage that is not a NormalFormGame.
    ParameterError
        A profile that is not one strategy per player, an unknown strategy or option.

    Examples
    --------
    >>> import alliance as al
    >>> pd_game = al.NormalFormGame.from_matrices([[3, 0], [5, 1]], [[3, 5], [0, 1]],
    ...                                           strategies=(("C", "D"), ("C", "D")))
    >>> rg = RepeatedGame(pd_game, ("C", "C"))
    >>> rg.critical_discount(length=2).value  # two periods of punishment need more patience
    0.6180339887498949

    References
    ----------
    Friedman, J. W. (1971). A non-cooperative equilibrium for supergames. *Review of
    Economic Studies*, 38(1), 1-12.
    """

    def __init__(
        self,
        stage: Any,
        cooperate: Sequence[str],
        *,
        punishment: Sequence[str] | None = None,
        strategy: str = "nash",
        length: int | None = None,
        detection: Any = None,
    ) -> None:
        from alliance.games.normal_form import NormalFormGame

        if not isinstance(stage, NormalFormGame):
            raise InvalidGameError(f"stage must be a NormalFormGame; got {type(stage).__name__}")
        self.stage = stage
        self.cooperate = self._pure(cooperate, "cooperate")
        self.punishment = None if punishment is None else self._pure(punishment, "punishment")
        self.strategy = strategy
        self.length = length
        self.detection = detection
        self._check_options(strategy, length)

    def _pure(self, profile: Sequence[str], field_name: str) -> tuple[int, ...]:
        if isinstance(profile, str) or len(profile) != self.stage.n_players:
            raise ParameterError(
                f"{field_name} is {profile!r}; give one strategy per player ({self.stage.n_players})"
            )
        out = []
        for i, s in enumerate(profile):
            if s not in self.stage.strategies[i]:
                raise ParameterError(
                    f"{field_name}: '{s}' is not a strategy of {self.stage.players[i]}; "
                    f"strategies are {self.stage.strategies[i]}"
                )
            out.append(self.stage.strategies[i].index(s))
        return tuple(out)

    @staticmethod
    def _check_options(strategy: str, length: int | None) -> None:
        if strategy not in STRATEGIES:
            raise ParameterError(f"strategy is {strategy!r}; use one of {STRATEGIES}")
        if length is not None and (
            isinstance(length, bool) or not isinstance(length, (int, np.integer)) or length < 1
        ):
            raise ParameterError(f"length is {length!r}; give a positive number of periods or None")

    def subs(self, values: Mapping[str, Any] | None = None, **kwargs: Any) -> RepeatedGame:
        """The repeated game of the stage game with parameter values substituted.

        Parameters
        ----------
        values : Mapping, optional
            Parameter name -> number, checked against the declared ranges.
        **kwargs
            The same, as keywords.

        Returns
        -------
        RepeatedGame
            Same profiles and options, numeric when every parameter is given.

        Examples
        --------
        >>> import alliance as al
        >>> stage = al.NormalFormGame.from_matrices(
        ...     [["R", 0], ["T", 1]], [["R", "T"], [0, 1]], strategies=(("C", "D"), ("C", "D")),
        ...     params={"R": "positive", "T": "positive"})
        >>> RepeatedGame(stage, ("C", "C")).subs(R=3, T=5).critical_discount().value
        Fraction(1, 2)
        """
        values = dict(values or {}, **kwargs)
        stage = self.stage.subs(values) if self.stage.is_symbolic else self.stage

        def names(prof):
            if prof is None:
                return None
            return tuple(self.stage.strategies[i][j] for i, j in enumerate(prof))

        return RepeatedGame(
            stage,
            names(self.cooperate),
            punishment=names(self.punishment),
            strategy=self.strategy,
            length=self.length,
            detection=self.detection,
        )

    # ------------------------------------------------------------------ detection
    def _detection(self, detection: Any) -> dict[str, sp.Expr]:
        players = self.stage.players
        if detection is None:
            return {p: sp.Integer(1) for p in players}
        if not isinstance(detection, Mapping):
            detection = {p: detection for p in players}
        unknown = sorted(set(detection) - set(players))
        if unknown:
            raise ParameterError(
                f"detection names unknown player(s) {unknown}; players are {players}"
            )
        out = {}
        symbols = self.stage.symbols
        for p in players:
            v = detection.get(p, 1)
            if isinstance(v, str):
                v = parse_expression(v, symbols, field=f"detection of {p}")
            elif isinstance(v, sp.Basic):
                v = v.xreplace({s: symbols[s.name] for s in v.free_symbols if s.name in symbols})
            else:
                if isinstance(v, bool) or not isinstance(
                    v, (int, float, Fraction, np.integer, np.floating)
                ):
                    raise ParameterError(f"detection of {p} is {v!r}; it must be a probability")
                if not 0 < float(v) <= 1:
                    raise ParameterError(f"detection of {p} is {v!r}; it must lie in (0, 1]")
            out[p] = _sym(v)
        return out

    # ------------------------------------------------------------------ solve
    def critical_discount(
        self,
        strategy: str | None = None,
        *,
        length: int | None | str = "default",
        detection: Any = "default",
    ) -> CriticalDiscount:
        """The critical discount factor of each player and the binding one.

        Parameters override those given to the constructor.

        Parameters
        ----------
        strategy : {"nash", "grim"}, optional
            Nash reversion, or grim minmax punishment.
        length : int or None, optional
            Punishment length in periods (None: forever).
        detection : float, str or dict, optional
            Probability that a deviation is detected, in [0, 1].

        Returns
        -------
        CriticalDiscount
            Each player's :math:`\\delta^*_i` and the binding one.

        Raises
        ------
        ParameterError
            Options out of range, or no pure stage equilibrium to revert to.

        Examples
        --------
        >>> import alliance as al
        >>> pd_game = al.NormalFormGame.from_matrices([[3, 0], [5, 1]], [[3, 5], [0, 1]],
        ...                                           strategies=(("C", "D"), ("C", "D")))
        >>> rg = RepeatedGame(pd_game, ("C", "C"))
        >>> rg.critical_discount().value
        Fraction(1, 2)
        """
        strategy = self.strategy if strategy is None else strategy
        length = self.length if length == "default" else length
        detection = (
            self.detection if isinstance(detection, str) and detection == "default" else detection
        )
        self._check_options(strategy, length)
        pi = self._detection(detection)
        g = self.stage
        table = g.payoffs if g.is_symbolic else (g.exact_payoffs if g.is_exact else g.payoffs)
        table = np.vectorize(_sym, otypes=[object])(table)
        coop = self.cooperate
        conditions = []
        punishment = self.punishment
        if strategy == "nash" and punishment is None:
            punishment = self._stage_equilibrium()
        elif strategy == "nash" and not g.is_symbolic:
            # Nash reversion is credible only if the punishment is a stage equilibrium.
            names = [g.strategies[i][j] for i, j in enumerate(punishment)]
            regret = g.regret(names)
            if np.any(regret > 0):
                worst = int(np.argmax(regret))
                raise ParameterError(
                    f"punishment {tuple(names)} is not a stage equilibrium: "
                    f"{g.players[worst]} gains {float(regret[worst]):g} by deviating, so Nash "
                    "reversion to it is not credible; pass a stage equilibrium or strategy='grim'"
                )
        gains, losses, deltas = {}, {}, {}
        for i, player in enumerate(g.players):
            c = table[coop + (i,)]
            alts = [
                table[coop[:i] + (a,) + coop[i + 1 :] + (i,)]
                for a in range(g.shape[i])
                if a != coop[i]
            ]
            d = sp.Max(*alts) if len(alts) > 1 else (alts[0] if alts else c)
            if strategy == "nash":
                # A stage equilibrium: the deviator's best reply is its own part of it.
                p = table[punishment + (i,)]
            elif punishment is not None:
                replies = [
                    table[punishment[:i] + (a,) + punishment[i + 1 :] + (i,)]
                    for a in range(g.shape[i])
                ]
                p = sp.Max(*replies)
            else:  # pure minmax of player i
                others = [range(k) for j, k in enumerate(g.shape) if j != i]
                import itertools

                values = []
                for rest in itertools.product(*others):
                    prof = list(rest)
                    values.append(
                        sp.Max(
                            *[
                                table[tuple(prof[:i] + [a] + prof[i:]) + (i,)]
                                for a in range(g.shape[i])
                            ]
                        )
                    )
                p = sp.Min(*values)
            gain = sp.simplify(d - c)
            loss = sp.simplify(c - p)
            gains[player], losses[player] = gain, loss
            deltas[player] = self._delta(gain, loss, pi[player], length)
            # A player with nothing to gain from deviating needs no condition; one that gains
            # needs a punishment that hurts.
            if not (gain.is_number and bool(gain <= 0)):
                conditions += [sp.Gt(gain, 0), sp.Gt(loss, 0)]
        if strategy == "nash" and punishment is not None and g.is_symbolic:
            from alliance.games.symbolic import pure_equilibria

            for e in pure_equilibria(g):
                if e.key == (("pure",) + tuple(punishment),):
                    conditions.append(e.conditions)
        cond = sp.And(*[c for c in conditions if c is not sp.true])
        value = sp.Max(*deltas.values())
        symbolic = bool(value.free_symbols)
        binding = None
        binding_conditions: dict[str, Any] = {}
        if not symbolic:
            numeric = {p: float(v) for p, v in deltas.items()}
            binding = max(numeric, key=numeric.get)
        else:
            for p in g.players:
                binding_conditions[p] = sp.And(
                    *[sp.Ge(deltas[p], deltas[q]) for q in g.players if q != p]
                )
        names = tuple(g.strategies[i][j] for i, j in enumerate(coop))
        pnames = (
            None
            if punishment is None
            else tuple(g.strategies[i][j] for i, j in enumerate(punishment))
        )
        return CriticalDiscount(
            {p: _out(v) for p, v in deltas.items()},
            _out(value),
            binding,
            binding_conditions,
            {p: _out(v) for p, v in gains.items()},
            {p: _out(v) for p, v in losses.items()},
            cond if symbolic else sp.true,
            strategy,
            length,
            {p: _out(v) for p, v in pi.items()},
            names,
            pnames,
            self,
        )

    def _stage_equilibrium(self) -> tuple[int, ...]:
        g = self.stage
        if g.is_symbolic:
            from alliance.games.symbolic import pure_equilibria

            found = [
                e
                for e in pure_equilibria(g)
                if e.is_possible and tuple(e.key[0][1:]) != self.cooperate
            ]
            keys = [tuple(e.key[0][1:]) for e in found]
        else:
            keys = []
            for e in g.pure_equilibria():
                keys.append(
                    tuple(int(np.argmax(np.array([float(x) for x in s]))) for s in e.profile)
                )
            keys = [k for k in keys if k != self.cooperate]
        keys = list(dict.fromkeys(keys))
        if len(keys) != 1:
            raise ParameterError(
                f"Nash reversion needs punishment=(...): the stage game has {len(keys)} candidate "
                "pure equilibria other than the cooperative profile"
            )
        return keys[0]

    @staticmethod
    def _delta(gain: sp.Expr, loss: sp.Expr, pi: sp.Expr, length: int | None) -> sp.Expr:
        numeric = not (gain.free_symbols or loss.free_symbols or pi.free_symbols)
        if gain.is_number and bool(gain <= 0):
            # The player gains nothing by deviating: any discount factor sustains its part.
            return sp.Integer(0)
        if numeric:
            if gain <= 0:
                return sp.Integer(0)
            if loss <= 0:
                return sp.oo
        from alliance.games.symbolic._enumerate import simplify_expression

        if sp.simplify(pi * loss) == 0 or (length is None and sp.simplify(gain + pi * loss) == 0):
            return sp.oo  # punishment does not hurt: no discount factor sustains cooperation
        if length is None:
            return simplify_expression(gain / (gain + pi * loss))
        if length == 1:
            return simplify_expression(gain / (pi * loss))
        if length == 2:
            q = gain / (pi * loss)
            return sp.simplify((sp.sqrt(1 + 4 * q) - 1) / 2)
        if not numeric:
            raise ParameterError(
                f"length={length}: the critical discount has no closed form for punishments "
                "longer than 2 periods; substitute the parameters first (.subs(...))"
            )
        ratio = float(gain / (pi * loss))
        roots = np.roots([1.0] * length + [-ratio])  # δ^k + ... + δ - ratio = 0
        real = [r.real for r in roots if abs(r.imag) < 1e-12 and r.real > 0]
        return sp.Float(min(real))
