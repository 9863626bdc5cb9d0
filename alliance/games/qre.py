"""Logit quantal response equilibria of normal-form games: at a precision, along the principal
branch, and fitted to observed play by maximum likelihood.

In a logit QRE every player plays each strategy with probability proportional to
:math:`\\exp(\\lambda\\,u)`, ``u`` the strategy's expected payoff against the others' mixed
strategies: players make mistakes, costly mistakes less often. The precision :math:`\\lambda`
is per payoff unit (payoffs are not rescaled), so it matches Gambit's. At
:math:`\\lambda = 0` everybody mixes uniformly; as :math:`\\lambda \\to \\infty` the principal
branch converges to a Nash equilibrium (the *logit solution*, McKelvey and Palfrey 1995), which
is how experimental economists select among equilibria and fit a single noise parameter to a
laboratory's frequencies of play.

The numerical work (the log-probability system and the predictor–corrector tracer) is in
:mod:`alliance.games.solvers.qre`. Here are the game-level functions, which the facade
:class:`~alliance.NormalFormGame` calls (``g.qre``, ``g.qre_branch``, ``g.estimate_logit``),
and their results.

Examples
--------
The prisoners' dilemma: with noise, cooperation survives with the probability the payoff gap
allows; at :math:`\\lambda = 1` it is ``1 / (1 + e^{1 + q})`` where ``q`` is the other's.

>>> import alliance as al
>>> g = al.NormalFormGame.from_matrices([[3, 0], [5, 1]], [[3, 5], [0, 1]],
...                                     strategies=(("C", "D"), ("C", "D")))
>>> q = g.qre(1.0)
>>> q
QuantalResponseEquilibrium(λ=1: Player 1: (C 0.226751, D 0.773249); Player 2: (C 0.226751, D 0.773249) | max regret 0.278166)
>>> import math
>>> p = q.profile[0][0]
>>> abs(p - 1 / (1 + math.exp(1 + p))) < 1e-12
True

References
----------
McKelvey, R. D. and Palfrey, T. R. (1995). Quantal response equilibria for normal form games.
*Games and Economic Behavior* 10(1), 6-38.

Turocy, T. L. (2005). A dynamic homotopy interpretation of the logistic quantal response
equilibrium correspondence. *Games and Economic Behavior* 51(2), 243-263.

Bland, J. R. and Turocy, T. L. (2023). Quantal response equilibrium as a structural model for
estimation: the missing manual. SSRN working paper 4425515.
"""

from __future__ import annotations

import html
import math
import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
from scipy import optimize, stats

from alliance.errors import ConvergenceError, ParameterError
from alliance.games.results import format_number
from alliance.games.solvers.qre import LogitSystem, solve_at, trace_branch

if TYPE_CHECKING:
    from alliance.games.normal_form import NormalFormGame

__all__ = [
    "QuantalResponseEquilibrium",
    "QREBranch",
    "LogitFit",
    "logit_qre",
    "logit_branch",
    "estimate_logit",
    "BoundaryEstimateWarning",
]

#: Precision up to which the branch is traced when fitting, unless the branch reaches a Nash
#: equilibrium first.
ESTIMATION_LAM_MAX = 1e6
#: Relative regret (to the payoff range) at which the branch has reached a Nash equilibrium
#: (the criterion of Gambit's ``maxregret``).
NASH_REGRET = 1e-8


class BoundaryEstimateWarning(UserWarning):
    """The likelihood is largest at an end of the traced branch: the estimate is a bound.

    Issued by :func:`estimate_logit` when the best traced point is the first one
    (:math:`\\lambda = 0`, uniform play) or the last one (the data look like Nash play); the
    standard error is then infinite.

    Examples
    --------
    Data at the pure equilibrium of a game with a strictly dominant strategy: the likelihood
    keeps rising along the branch, so the estimate is only a lower bound.

    >>> import warnings
    >>> import alliance as al
    >>> g = al.NormalFormGame.from_matrices([[3, 0], [5, 1]], [[3, 5], [0, 1]])
    >>> with warnings.catch_warnings(record=True) as caught:
    ...     warnings.simplefilter("always")
    ...     fit = g.estimate_logit([[0, 10], [0, 10]], lam_max=50)
    >>> [w.category.__name__ for w in caught], fit.standard_error
    (['BoundaryEstimateWarning'], inf)
    """


# -------------------------------------------------------------------- results
def _strategy_text(labels: Sequence[str], probs: Sequence[float]) -> str:
    used = [(s, p) for s, p in zip(labels, probs, strict=True) if p > 5e-7]
    if len(used) == 1:
        return used[0][0]
    return "(" + ", ".join(f"{s} {format_number(p)}" for s, p in used) + ")"


@dataclass(frozen=True, eq=False)
class QuantalResponseEquilibrium:
    """A logit quantal response equilibrium at one precision.

    Made by :func:`logit_qre` (``NormalFormGame.qre``).

    Parameters
    ----------
    lam : float
        The precision :math:`\\lambda` (per payoff unit).
    profile : tuple of tuple of float
        Each player's probabilities over its strategies (all positive).
    players, strategies : tuple
        Labels of the game.
    max_regret : float
        The largest gain any player would have from its best pure strategy: the distance of
        the QRE from a Nash equilibrium, in payoff units.

    Examples
    --------
    Matching pennies: the uniform profile is the QRE at every precision, and it is also the
    Nash equilibrium (no regret).

    >>> import alliance as al
    >>> g = al.NormalFormGame.from_matrices([[1, -1], [-1, 1]], [[-1, 1], [1, -1]])
    >>> q = g.qre(1.0)
    >>> q
    QuantalResponseEquilibrium(λ=1: Player 1: (s1 0.5, s2 0.5); Player 2: (s1 0.5, s2 0.5) | max regret 0)
    >>> q["Player 1"]
    {'s1': 0.5, 's2': 0.5}
    """

    lam: float
    profile: tuple[tuple[float, ...], ...]
    players: tuple[str, ...]
    strategies: tuple[tuple[str, ...], ...]
    max_regret: float

    def as_arrays(self) -> tuple[np.ndarray, ...]:
        """The profile as float arrays, one per player.

        Returns
        -------
        tuple of ndarray
            Player ``i``'s probabilities over its strategies, in the game's order.

        Examples
        --------
        >>> import alliance as al
        >>> g = al.NormalFormGame.from_matrices([[2, 0], [0, 1]], [[2, 0], [0, 1]])
        >>> [a.round(4).tolist() for a in g.qre(2.0).as_arrays()]
        [[0.9797, 0.0203], [0.9797, 0.0203]]
        """
        return tuple(np.array(p) for p in self.profile)

    def __getitem__(self, player: int | str) -> dict[str, float]:
        index = self.players.index(player) if isinstance(player, str) else int(player)
        return dict(zip(self.strategies[index], self.profile[index], strict=True))

    def __repr__(self) -> str:
        parts = "; ".join(
            f"{p}: {_strategy_text(self.strategies[i], self.profile[i])}"
            for i, p in enumerate(self.players)
        )
        return (
            f"QuantalResponseEquilibrium(λ={format_number(self.lam)}: {parts} | "
            f"max regret {format_number(self.max_regret)})"
        )

    def to_frame(self) -> pd.DataFrame:
        """One row per (player, strategy): its probability.

        Returns
        -------
        pandas.DataFrame
            Indexed by ``(player, strategy)``, one column ``probability``.

        Examples
        --------
        >>> import alliance as al
        >>> g = al.NormalFormGame.from_matrices([[2, 0], [0, 1]], [[2, 0], [0, 1]])
        >>> frame = g.qre(2.0).to_frame()
        >>> frame.index.tolist()
        [('Player 1', 's1'), ('Player 1', 's2'), ('Player 2', 's1'), ('Player 2', 's2')]
        >>> frame["probability"].round(4).tolist()
        [0.9797, 0.0203, 0.9797, 0.0203]
        """
        rows = [
            {"player": player, "strategy": s, "probability": p}
            for i, player in enumerate(self.players)
            for s, p in zip(self.strategies[i], self.profile[i], strict=True)
        ]
        return pd.DataFrame(rows).set_index(["player", "strategy"])

    def _repr_latex_(self) -> str:
        parts = []
        for i, player in enumerate(self.players):
            probs = ", ".join(
                f"{format_number(p)}\\,\\text{{{s}}}"
                for s, p in zip(self.strategies[i], self.profile[i], strict=True)
            )
            parts.append(f"\\text{{{player}}}: ({probs})")
        return f"$\\lambda = {format_number(self.lam)}:\\ " + r";\ ".join(parts) + "$"

    def _repr_html_(self) -> str:
        try:
            return f"<p>{html.escape(repr(self))}</p>" + self.to_frame().to_html()
        except Exception:  # a display hook must never raise
            return "<pre>" + html.escape(repr(self)) + "</pre>"


@dataclass(frozen=True, eq=False)
class QREBranch:
    """The principal branch of the logit QRE correspondence, as traced.

    Made by :func:`logit_branch` (``NormalFormGame.qre_branch``).

    Parameters
    ----------
    lams : ndarray, shape (m,)
        Precision at each traced point (increasing except across a fold of the branch).
    probabilities : ndarray, shape (m, N)
        Each point's probabilities, players' blocks in order.
    max_regret : ndarray, shape (m,)
        Each point's distance from Nash (largest regret, payoff units).
    players, strategies : tuple
        Labels of the game.

    Examples
    --------
    A 2×2 coordination game: the branch starts at uniform play and selects the
    payoff-dominant equilibrium (both play ``s1``).

    >>> import alliance as al
    >>> g = al.NormalFormGame.from_matrices([[2, 0], [0, 1]], [[2, 0], [0, 1]])
    >>> branch = g.qre_branch(lam_max=10)
    >>> float(branch.lams[0]), float(branch.lams[-1])
    (0.0, 10.0)
    >>> [round(p, 6) for p in branch.limit.profile[0]], branch.limit.max_regret < 1e-8
    ([1.0, 0.0], True)
    """

    lams: np.ndarray
    probabilities: np.ndarray
    max_regret: np.ndarray
    players: tuple[str, ...]
    strategies: tuple[tuple[str, ...], ...]

    def __len__(self) -> int:
        return len(self.lams)

    def point(self, index: int) -> QuantalResponseEquilibrium:
        """The traced point ``index`` as a :class:`QuantalResponseEquilibrium`.

        Parameters
        ----------
        index : int
            Position along the branch (negative counts from the end, as for a list).

        Returns
        -------
        QuantalResponseEquilibrium

        Examples
        --------
        >>> import alliance as al
        >>> g = al.NormalFormGame.from_matrices([[2, 0], [0, 1]], [[2, 0], [0, 1]])
        >>> g.qre_branch(lam_max=10).point(0)
        QuantalResponseEquilibrium(λ=0: Player 1: (s1 0.5, s2 0.5); Player 2: (s1 0.5, s2 0.5) | max regret 0.25)
        """
        row = self.probabilities[index]
        profile, start = [], 0
        for labels in self.strategies:
            profile.append(tuple(float(v) for v in row[start : start + len(labels)]))
            start += len(labels)
        return QuantalResponseEquilibrium(
            float(self.lams[index]), tuple(profile), self.players, self.strategies,
            float(self.max_regret[index]),
        )

    @property
    def limit(self) -> QuantalResponseEquilibrium:
        """The last traced point (close to the logit solution when ``lam_max`` is large)."""
        return self.point(len(self) - 1)

    def to_frame(self) -> pd.DataFrame:
        """One row per traced point: λ, the probability of every strategy, the max regret.

        Returns
        -------
        pandas.DataFrame
            Indexed by ``lambda``; columns ``(player, strategy)`` and ``("max_regret", "")``.

        Examples
        --------
        >>> import alliance as al
        >>> g = al.NormalFormGame.from_matrices([[2, 0], [0, 1]], [[2, 0], [0, 1]])
        >>> frame = g.qre_branch(lam_max=10).to_frame()
        >>> frame.columns.tolist()
        [('Player 1', 's1'), ('Player 1', 's2'), ('Player 2', 's1'), ('Player 2', 's2'), ('max_regret', '')]
        >>> frame.iloc[0].tolist()
        [0.5, 0.5, 0.5, 0.5, 0.25]
        """
        columns = pd.MultiIndex.from_tuples(
            [(p, s) for p, labels in zip(self.players, self.strategies, strict=True) for s in labels],
            names=["player", "strategy"],
        )
        frame = pd.DataFrame(self.probabilities, columns=columns,
                             index=pd.Index(self.lams, name="lambda"))
        frame[("max_regret", "")] = self.max_regret
        return frame

    def plot(self, ax: Any = None, **kwargs: Any) -> Any:
        """Draw the branch (see :func:`alliance.figures.qre_branch`).

        Parameters
        ----------
        ax : matplotlib Axes, optional
            Where to draw (default: a new figure in the house style).
        **kwargs
            Passed on to :func:`alliance.figures.qre_branch` (``players``, ``xscale``,
            ``legend``).

        Returns
        -------
        matplotlib.axes.Axes
            ``ax``, with one line per strategy.

        Examples
        --------
        >>> import matplotlib.pyplot as plt
        >>> import alliance as al
        >>> g = al.NormalFormGame.from_matrices([[2, 0], [0, 1]], [[2, 0], [0, 1]])
        >>> fig, ax = plt.subplots()
        >>> out = g.qre_branch(lam_max=10).plot(ax=ax)
        >>> out is ax, [line.get_label() for line in ax.get_lines()]
        (True, ['Player 1: s1', 'Player 1: s2', 'Player 2: s1', 'Player 2: s2'])
        >>> plt.close(fig)
        """
        from alliance.figures.qre import qre_branch

        return qre_branch(self, ax=ax, **kwargs)

    def __repr__(self) -> str:
        return (
            f"QREBranch({' × '.join(self.players)}: {len(self)} points, λ from "
            f"{format_number(self.lams[0])} to {format_number(self.lams[-1])}; last "
            f"{self.limit!r})"
        )

    def _repr_html_(self) -> str:
        return "<pre>" + html.escape(repr(self)) + "</pre>"


@dataclass(frozen=True, eq=False)
class LogitFit:
    """A maximum-likelihood fit of the logit QRE precision to observed play.

    Made by :func:`estimate_logit` (``NormalFormGame.estimate_logit``).

    Parameters
    ----------
    lam : float
        The estimate :math:`\\hat\\lambda`: the precision on the principal branch whose QRE
        gives the observed counts the largest likelihood.
    standard_error : float
        :math:`1/\\sqrt{I}` with :math:`I = -\\partial^2 \\log L / \\partial \\lambda^2` at the
        estimate (the observed information); ``inf`` when the estimate is at an end of the
        branch.
    log_likelihood : float
        :math:`\\sum_{ij} c_{ij} \\log p_{ij}` at the estimate.
    qre : QuantalResponseEquilibrium
        The fitted QRE.
    counts : tuple of tuple of float
        The data: how often each strategy was observed.

    Examples
    --------
    A 2×2 coordination game in which both players chose ``s1`` about two times in three:

    >>> import alliance as al
    >>> g = al.NormalFormGame.from_matrices([[2, 0], [0, 1]], [[2, 0], [0, 1]])
    >>> fit = g.estimate_logit([[70, 30], [65, 35]])
    >>> round(fit.lam, 4), round(fit.standard_error, 4), fit.n_observations
    (0.7131, 0.0782, 200.0)
    """

    lam: float
    standard_error: float
    log_likelihood: float
    qre: QuantalResponseEquilibrium
    counts: tuple[tuple[float, ...], ...]

    @property
    def n_observations(self) -> float:
        """Total number of observed choices."""
        return float(sum(sum(c) for c in self.counts))

    def confidence_interval(self, level: float = 0.95) -> tuple[float, float]:
        """The Wald interval ``lam ± z * standard_error`` (the lower end cut at 0).

        Parameters
        ----------
        level : float, default 0.95
            Coverage of the interval, in (0, 1); ``z`` is the standard normal quantile at
            ``0.5 + level / 2``.

        Returns
        -------
        tuple of float
            ``(lower, upper)``.

        Raises
        ------
        ParameterError
            If ``level`` is not in (0, 1).

        Examples
        --------
        >>> import alliance as al
        >>> g = al.NormalFormGame.from_matrices([[2, 0], [0, 1]], [[2, 0], [0, 1]])
        >>> fit = g.estimate_logit([[70, 30], [65, 35]])
        >>> [round(v, 4) for v in fit.confidence_interval(0.95)]
        [0.5599, 0.8663]
        """
        if not 0 < level < 1:
            raise ParameterError(f"level is {level!r}; it must lie in (0, 1)")
        z = float(stats.norm.ppf(0.5 + level / 2))
        return max(0.0, self.lam - z * self.standard_error), self.lam + z * self.standard_error

    def to_frame(self) -> pd.DataFrame:
        """Observed frequencies next to the fitted QRE probabilities.

        Returns
        -------
        pandas.DataFrame
            Indexed by ``(player, strategy)``; columns ``count``, ``observed`` (the share of
            the player's observations) and ``fitted`` (the QRE probability).

        Examples
        --------
        >>> import alliance as al
        >>> g = al.NormalFormGame.from_matrices([[2, 0], [0, 1]], [[2, 0], [0, 1]])
        >>> frame = g.estimate_logit([[70, 30], [65, 35]]).to_frame()
        >>> frame.columns.tolist()
        ['count', 'observed', 'fitted']
        >>> frame.loc["Player 1"].round(3).values.tolist()
        [[70.0, 0.7, 0.675], [30.0, 0.3, 0.325]]
        """
        frame = self.qre.to_frame().rename(columns={"probability": "fitted"})
        observed = []
        for c in self.counts:
            total = sum(c)
            observed.extend((v / total if total else math.nan) for v in c)
        frame.insert(0, "observed", observed)
        frame.insert(0, "count", [v for c in self.counts for v in c])
        return frame

    def __repr__(self) -> str:
        return (
            f"LogitFit(λ = {format_number(self.lam)} ± {format_number(self.standard_error)} "
            f"(s.e.), log L = {format_number(self.log_likelihood)}, "
            f"{format_number(self.n_observations)} observations)"
        )

    def _repr_html_(self) -> str:
        try:
            return f"<p>{html.escape(repr(self))}</p>" + self.to_frame().to_html()
        except Exception:  # a display hook must never raise
            return "<pre>" + html.escape(repr(self)) + "</pre>"


# -------------------------------------------------------------------- checks
def _numeric_payoffs(game: NormalFormGame, what: str) -> np.ndarray:
    game._require_numeric(what)
    return game.payoffs


def _check_lam(value: Any, field: str = "lam") -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)):
        raise ParameterError(f"{field} is {value!r}; it must be a number >= 0")
    v = float(value)
    if not math.isfinite(v) or v < 0:
        raise ParameterError(f"{field} is {value!r}; it must be a finite number >= 0")
    return v


def _check_steps(first_step: float, max_accel: float) -> None:
    if not (isinstance(first_step, (int, float)) and math.isfinite(first_step) and first_step > 0):
        raise ParameterError(f"first_step is {first_step!r}; it must be a positive number")
    if not (isinstance(max_accel, (int, float)) and math.isfinite(max_accel) and max_accel >= 1):
        raise ParameterError(f"max_accel is {max_accel!r}; it must be a number >= 1")


def _check_counts(game: NormalFormGame, counts: Any) -> list[np.ndarray]:
    if isinstance(counts, Mapping):
        unknown = [p for p in counts if p not in game.players]
        if unknown:
            raise ParameterError(f"counts names unknown player(s) {unknown}; players are {game.players}")
        missing = [p for p in game.players if p not in counts]
        if missing:
            raise ParameterError(f"counts has no entry for player(s) {missing}")
        counts = [counts[p] for p in game.players]
    if isinstance(counts, (str, bytes)) or not isinstance(counts, Sequence):
        raise ParameterError(
            f"counts is {counts!r}; give one sequence of counts per player (or a dict player -> counts)"
        )
    if len(counts) != game.n_players:
        raise ParameterError(f"counts has {len(counts)} entries; the game has {game.n_players} players")
    out = []
    for i, c in enumerate(counts):
        player = game.players[i]
        try:
            arr = np.asarray(c, dtype=float)
        except (TypeError, ValueError):
            raise ParameterError(f"counts of {player} is {c!r}; it must be numbers") from None
        if arr.shape != (game.shape[i],):
            raise ParameterError(
                f"counts of {player} has {arr.size} entries; {player} has {game.shape[i]} strategies"
            )
        if not np.all(np.isfinite(arr)) or np.any(arr < 0):
            raise ParameterError(f"counts of {player} is {arr.tolist()}; counts must be finite and >= 0")
        out.append(arr)
    if sum(float(a.sum()) for a in out) <= 0:
        raise ParameterError("counts are all zero; there is no observed play to fit")
    return out


# -------------------------------------------------------------------- helpers
def _regret(system: LogitSystem, probs: np.ndarray) -> float:
    blocks = system.split(probs)
    u = system.strategy_payoffs(blocks)
    return float(max(np.max(ui) - np.dot(ui, p) for ui, p in zip(u, blocks, strict=True)))


def _make_qre(game: NormalFormGame, system: LogitSystem, lam: float, w: np.ndarray
              ) -> QuantalResponseEquilibrium:
    probs = np.exp(w)
    profile = tuple(tuple(float(v) for v in block) for block in system.split(probs))
    return QuantalResponseEquilibrium(float(lam), profile, game.players, game.strategies,
                                      _regret(system, probs))


# -------------------------------------------------------------------- public functions
def logit_qre(
    game: NormalFormGame,
    lam: float | Sequence[float],
    *,
    first_step: float = 0.03,
    max_accel: float = 1.1,
) -> QuantalResponseEquilibrium | list[QuantalResponseEquilibrium]:
    """The logit QRE on the principal branch at precision ``lam`` (or at each of a list).

    The branch is traced from :math:`\\lambda = 0` and the QRE is solved by Newton's method
    where the branch first reaches ``lam`` (residual below 1e-13). Off the principal branch
    a game may have other QRE at the same precision; they are not returned.

    Parameters
    ----------
    game : NormalFormGame
        A numeric game.
    lam : float or sequence of float
        Precision(s) :math:`\\lambda \\ge 0`, per payoff unit.
    first_step, max_accel : float
        Arclength of the first step of the tracer and the largest factor by which a step grows.

    Returns
    -------
    QuantalResponseEquilibrium, or a list of them (one per ``lam``, in the order given)

    Raises
    ------
    ParameterError
        If the game is symbolic or ``lam`` is negative or not finite.
    ConvergenceError
        If the branch cannot be traced to ``lam``.

    Examples
    --------
    >>> import alliance as al
    >>> g = al.NormalFormGame.from_matrices([[2, 0], [0, 1]], [[1, 0], [0, 3]])
    >>> [round(p, 6) for p in g.qre(2.0).profile[1]]
    [0.00661, 0.99339]

    References
    ----------
    Turocy, T. L. (2005). A dynamic homotopy interpretation of the logistic quantal response
    equilibrium correspondence. *Games and Economic Behavior* 51(2), 243-263.
    """
    payoffs = _numeric_payoffs(game, "qre")
    single = not isinstance(lam, (Sequence, np.ndarray)) or isinstance(lam, (str, bytes))
    values = [_check_lam(lam)] if single else [_check_lam(v, f"lam[{i}]") for i, v in enumerate(lam)]
    if not values:
        raise ParameterError("lam is an empty sequence; give at least one precision")
    _check_steps(first_step, max_accel)
    system = LogitSystem(payoffs)
    _, _, found = trace_branch(payoffs, max(values), targets=values, first_step=first_step,
                               max_accel=max_accel)
    out = [_make_qre(game, system, v, found[v]) for v in values]
    return out[0] if single else out


def logit_branch(
    game: NormalFormGame,
    lam_max: float = 100.0,
    *,
    first_step: float = 0.03,
    max_accel: float = 1.1,
) -> QREBranch:
    """The principal branch of the logit QRE correspondence from 0 to ``lam_max``.

    Parameters
    ----------
    game : NormalFormGame
        A numeric game.
    lam_max : float, default 100
        Where to stop; the last point is the QRE at exactly ``lam_max``.
    first_step, max_accel : float
        Arclength of the first step and the largest factor by which a step grows.

    Returns
    -------
    QREBranch

    Raises
    ------
    ParameterError
        If the game is symbolic or ``lam_max`` is not a finite positive number.
    ConvergenceError
        If the branch cannot be traced.

    Examples
    --------
    >>> import alliance as al
    >>> g = al.NormalFormGame.from_matrices([[3, 0], [5, 1]], [[3, 5], [0, 1]])
    >>> branch = g.qre_branch(lam_max=30)
    >>> float(branch.lams[0]), float(branch.lams[-1]), branch.limit.max_regret < 1e-9
    (0.0, 30.0, True)

    References
    ----------
    Turocy, T. L. (2005). A dynamic homotopy interpretation of the logistic quantal response
    equilibrium correspondence. *Games and Economic Behavior* 51(2), 243-263.
    """
    payoffs = _numeric_payoffs(game, "qre_branch")
    lam_max = _check_lam(lam_max, "lam_max")
    if lam_max == 0:
        raise ParameterError("lam_max is 0; the branch needs lam_max > 0")
    _check_steps(first_step, max_accel)
    system = LogitSystem(payoffs)
    lams, logs = trace_branch(payoffs, lam_max, first_step=first_step, max_accel=max_accel)
    probs = np.exp(logs)
    regrets = np.array([_regret(system, row) for row in probs])
    return QREBranch(lams, probs, regrets, game.players, game.strategies)


def estimate_logit(
    game: NormalFormGame,
    counts: Sequence[Sequence[float]] | Mapping[str, Sequence[float]],
    *,
    lam_max: float = ESTIMATION_LAM_MAX,
    first_step: float = 0.03,
    max_accel: float = 1.1,
) -> LogitFit:
    """Fit the logit QRE precision to observed counts of play by maximum likelihood.

    The log-likelihood :math:`\\log L(\\lambda) = \\sum_{ij} c_{ij} \\log p_{ij}(\\lambda)` is
    evaluated along the principal branch, traced until it reaches a Nash equilibrium (regret
    below 1e-8 of the payoff range) or ``lam_max``; its global maximum over the traced
    points is refined by solving :math:`d \\log L / d\\lambda = 0`, with
    :math:`dp/d\\lambda` from the implicit function theorem. The standard error is
    :math:`1/\\sqrt{I}`, :math:`I = -d^2 \\log L/d\\lambda^2` the observed information.

    Parameters
    ----------
    game : NormalFormGame
        A numeric game.
    counts : sequence of sequences, or dict player -> sequence
        How many times each strategy of each player was observed (finite, >= 0, not all 0).
    lam_max : float, default 1e6
        Largest precision considered.
    first_step, max_accel : float
        Controls of the tracer.

    Returns
    -------
    LogitFit

    Raises
    ------
    ParameterError
        If the counts do not fit the game or are negative, or the game is symbolic.

    Warns
    -----
    BoundaryEstimateWarning
        When the likelihood is largest at the end of the traced branch (the data look like
        equilibrium play): the estimate is then a lower bound, with an infinite standard error.

    Examples
    --------
    >>> import alliance as al
    >>> g = al.NormalFormGame.from_matrices([[2, 0], [0, 1]], [[1, 0], [0, 3]])
    >>> fit = g.estimate_logit([[70, 30], [40, 60]])
    >>> round(fit.lam, 4), round(fit.standard_error, 4)
    (0.4061, 0.1461)

    References
    ----------
    McKelvey, R. D. and Palfrey, T. R. (1995). Quantal response equilibria for normal form
    games. *Games and Economic Behavior* 10(1), 6-38.

    Bland, J. R. and Turocy, T. L. (2023). Quantal response equilibrium as a structural model
    for estimation: the missing manual. SSRN working paper 4425515.
    """
    payoffs = _numeric_payoffs(game, "estimate_logit")
    data = _check_counts(game, counts)
    lam_max = _check_lam(lam_max, "lam_max")
    _check_steps(first_step, max_accel)
    c = np.concatenate(data)
    system = LogitSystem(payoffs)
    spread = float(np.max(payoffs) - np.min(payoffs))
    threshold = NASH_REGRET * spread

    def reached_nash(lam: float, w: np.ndarray) -> bool:
        return _regret(system, np.exp(w)) <= threshold

    lams, logs = trace_branch(payoffs, lam_max, first_step=first_step, max_accel=max_accel,
                              stop=reached_nash)
    # Zero counts contribute nothing, even where a probability underflows to zero.
    loglik = (logs * c).sum(axis=1, where=np.broadcast_to(c > 0, logs.shape))
    best = int(np.argmax(loglik))

    def w_at(lam: float) -> np.ndarray:
        # warm start: the traced point of the bracketing segment nearest in precision
        low = max(best - 1, 0)
        near = low + int(np.argmin(np.abs(lams[low : best + 2] - lam)))
        return solve_at(system, logs[near], lam)

    def slope(lam: float) -> float:
        w = w_at(lam)
        return float(np.dot(c, system.derivative_in_lambda(w, lam)))

    lam_hat, w_hat = float(lams[best]), logs[best]
    interior = 0 < best < len(lams) - 1 and lams[best - 1] < lams[best] < lams[best + 1]
    if interior:
        left, right = float(lams[best - 1]), float(lams[best + 1])
        try:
            if slope(left) > 0 > slope(right):
                lam_hat = optimize.brentq(slope, left, right, xtol=1e-13, rtol=1e-14)
                w_hat = w_at(lam_hat)
        except ConvergenceError:
            pass  # keep the best traced point
        h = 1e-5 * max(1.0, lam_hat)
        information = -(slope(lam_hat + h) - slope(max(lam_hat - h, 0.0))) / (
            lam_hat + h - max(lam_hat - h, 0.0)
        )
        se = 1 / math.sqrt(information) if information > 0 else math.inf
    elif best == 0:
        se = math.inf
        warnings.warn(
            "the likelihood is largest at lambda = 0 (uniform play): the estimate is 0",
            BoundaryEstimateWarning, stacklevel=3,
        )
    else:
        se = math.inf
        warnings.warn(
            f"the likelihood is largest at the end of the traced branch (lambda = "
            f"{lam_hat:.6g}): the data are closest to the Nash limit; the estimate is a lower bound",
            BoundaryEstimateWarning, stacklevel=3,
        )
    log_l = float(np.dot(c[c > 0], w_hat[c > 0]))
    return LogitFit(
        float(lam_hat), float(se), log_l, _make_qre(game, system, lam_hat, w_hat),
        tuple(tuple(float(v) for v in d) for d in data),
    )
