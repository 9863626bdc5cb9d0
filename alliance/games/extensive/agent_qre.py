r"""Logit agent quantal response equilibria of extensive games (McKelvey and Palfrey 1998).

Each information set :math:`h` is an *agent* who chooses action :math:`a` with probability
proportional to :math:`\exp(\lambda\, \bar u(a \mid h))`, where :math:`\bar u(a \mid h)` is
the mover's expected payoff from :math:`a` *conditional on reaching* :math:`h`, with beliefs
over the nodes of :math:`h` from Bayes's rule (every information set is reached, since every
action has positive probability) and play continuing by the behaviour profile itself. At
:math:`\lambda = 0` every agent mixes uniformly; as :math:`\lambda \to \infty` the principal
branch converges to a sequential equilibrium (McKelvey and Palfrey 1998), the *logit
solution* of the extensive game, which is how laboratory play in centipede, signalling and
bargaining games is fitted with one noise parameter.

**Computation.** In log-probabilities :math:`w` the AQRE are the zeros of, for each
information set with actions :math:`a_0, a_1, \dots`,

.. math::

    w_{a_j} - w_{a_0} - \lambda\,(\bar u(a_j \mid h) - \bar u(a_0 \mid h)) = 0, \qquad
    \textstyle\sum_j e^{w_{a_j}} - 1 = 0.

With :math:`\log \pi_\ell = \log c_\ell + \sum_{(h, a) \in \ell} w_{h a}` the log-probability
of leaf :math:`\ell` (chance :math:`c_\ell` times the actions on its path) and
:math:`P(h) = \sum_{\ell \ni h} \pi_\ell` that of reaching :math:`h`,
:math:`\bar u(a \mid h) = \sum_{\ell \ni (h, a)} u(\ell)\,\pi_\ell / (e^{w_{ha}} P(h))`:
all terms are conditional probabilities computed from log-sums, so the system stays accurate
where probabilities are far below the smallest float. Its Jacobian is exact (the chain rule
through :math:`\pi`). The principal branch is traced from the centroid by the same
predictor–corrector tracer as the normal-form QRE (:func:`alliance.games.solvers.qre.trace_branch`),
and points at requested precisions are solved by Newton's method. The precision is per
payoff unit, as in Gambit's ``logit_solve`` for extensive games.

Examples
--------
A one-shot trust game: the lender lends or not; the borrower, if lent to, repays or keeps
the money. At :math:`\lambda = 0` both mix evenly; the borrower's agent compares 2 (repay)
with 3 (keep) and so keeps with probability :math:`1/(1 + e^{-\lambda})` whatever the lender
does.

>>> from alliance.games.extensive import ExtensiveGame, Move
>>> from alliance.games.sequential import Leaf
>>> g = ExtensiveGame(Move("Lender", "lend?", {
...     "no": Leaf((1, 0)),
...     "yes": Move("Borrower", "repay?", {"repay": Leaf((2, 2)), "keep": Leaf((0, 3))})}),
...     ["Lender", "Borrower"])
>>> q = g.agent_qre(1.0)
>>> import math
>>> abs(q.strategies["Borrower"]["repay?"]["keep"] - 1 / (1 + math.exp(-1))) < 1e-12
True

References
----------
McKelvey, R. D. and Palfrey, T. R. (1998). Quantal response equilibria for extensive form
games. *Experimental Economics* 1(1), 9-41.

Turocy, T. L. (2005). A dynamic homotopy interpretation of the logistic quantal response
equilibrium correspondence. *Games and Economic Behavior* 51(2), 243-263.
"""

from __future__ import annotations

import html
import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from alliance.errors import InvalidGameError, ParameterError
from alliance.games.results import format_number
from alliance.games.solvers.qre import trace_branch

if TYPE_CHECKING:
    from alliance.games.extensive.tree import ExtensiveGame

__all__ = ["AgentLogitSystem", "AgentQRE", "AgentQREBranch", "agent_qre", "agent_qre_branch"]


class AgentLogitSystem:
    """The logit agent QRE equations of an extensive game and their Jacobian.

    Columns are the actions of every information set, players in order and each player's
    information sets in the order first met (``labels``). The interface is that of
    :class:`~alliance.games.solvers.qre.LogitSystem` which the path tracer uses.

    Parameters
    ----------
    game : ExtensiveGame

    Raises
    ------
    InvalidGameError
        If an information set is reached with probability zero whatever the players do
        (chance never leads there): its conditional payoffs are undefined.

    Examples
    --------
    >>> from alliance.games.extensive import ExtensiveGame, Move
    >>> from alliance.games.sequential import Leaf
    >>> g = ExtensiveGame(Move("A", "h", {"x": Leaf((1,)), "y": Leaf((0,))}), ["A"])
    >>> system = AgentLogitSystem(g)
    >>> system.labels, system.residual(system.centroid(), 0.0).tolist()
    ([('A', 'h', 'x'), ('A', 'h', 'y')], [0.0, 0.0])
    """

    def __init__(self, game: ExtensiveGame) -> None:
        self.labels: list[tuple[str, str, str]] = []
        blocks, owner, infoset_of = [], [], []
        key_index: dict[tuple[int, str], int] = {}
        for i, player in enumerate(game.players):
            for h, acts in game.information_sets(player):
                key_index[(i, h)] = len(blocks)
                start = len(self.labels)
                self.labels.extend((player, h, a) for a in acts)
                blocks.append(slice(start, len(self.labels)))
                owner.extend([i] * len(acts))
                infoset_of.extend([len(blocks) - 1] * len(acts))
        self.blocks = blocks
        self.n_strategies = len(self.labels)
        self.infoset_of = np.array(infoset_of, dtype=int)
        column = {(game.players.index(p), h, a): k for k, (p, h, a) in enumerate(self.labels)}
        leaves = [leaf for leaf in game.leaves if leaf[0] > 0]
        L, C, H = len(leaves), self.n_strategies, len(blocks)
        self.S = np.zeros((L, C))
        self.K = np.zeros((L, H), dtype=bool)
        self.U = np.zeros((L, C))
        self.log_chance = np.zeros(L)
        for ell, (prob, seqs, pay) in enumerate(leaves):
            self.log_chance[ell] = math.log(float(prob))
            for i, seq in enumerate(seqs):
                for h, a in seq:
                    self.S[ell, column[(i, h, a)]] = 1.0
                    self.K[ell, key_index[(i, h)]] = True
            self.U[ell] = [float(pay[o]) for o in owner]
        unreached = [self.labels[b.start][:2] for b, reached in zip(blocks, self.K.any(axis=0), strict=True)
                     if not reached]
        if unreached:
            raise InvalidGameError(
                f"information set '{unreached[0][1]}' of {unreached[0][0]} is reached with probability "
                "zero by chance; its agent has no conditional payoffs"
            )
        self.U *= self.S  # only the leaves through an action count for it
        # row layout of the equations: in each block, rows comparing action j >= 1 with
        # action 0, then the block's normalisation row
        self._act = np.array([k for b in blocks for k in range(b.start + 1, b.stop)], dtype=int)
        self._base = np.array([b.start for b in blocks for _ in range(b.start + 1, b.stop)], dtype=int)
        self._cmp_rows = self._act - 1
        self._norm_rows = np.array([b.stop - 1 for b in blocks], dtype=int)
        self._member = np.zeros((H, C))
        for k, b in enumerate(blocks):
            self._member[k, b] = 1.0

    def centroid(self) -> np.ndarray:
        """Log-probabilities of uniform play at every information set (the AQRE at 0).

        Returns
        -------
        ndarray, shape (N,)

        Examples
        --------
        >>> from alliance.games.extensive import ExtensiveGame, Move
        >>> from alliance.games.sequential import Leaf
        >>> g = ExtensiveGame(Move("A", "h", {"x": Leaf((1,)), "y": Leaf((0,))}), ["A"])
        >>> AgentLogitSystem(g).centroid().round(6).tolist()
        [-0.693147, -0.693147]
        """
        return np.concatenate([np.full(b.stop - b.start, -math.log(b.stop - b.start)) for b in self.blocks])

    def conditional_values(self, w: np.ndarray, jacobian: bool = False) -> Any:
        """The mover's expected payoff from every action conditional on reaching its
        information set, :math:`\\bar u(a \\mid h)`.

        Parameters
        ----------
        w : ndarray, shape (N,)
            Log-probabilities of every action.
        jacobian : bool
            Also return the Jacobian in ``w``.

        Returns
        -------
        ndarray, shape (N,), or a tuple of it and the (N, N) Jacobian

        Examples
        --------
        >>> from alliance.games.extensive import ExtensiveGame, Move
        >>> from alliance.games.sequential import Leaf
        >>> g = ExtensiveGame(Move("A", "h", {"x": Leaf((1,)), "y": Leaf((0,))}), ["A"])
        >>> system = AgentLogitSystem(g)
        >>> system.conditional_values(system.centroid()).tolist()
        [1.0, 0.0]
        """
        w = np.asarray(w, dtype=float)
        log_pi = self.log_chance + self.S @ w
        masked = np.where(self.K, log_pi[:, None], -np.inf)
        top = masked.max(axis=0)
        log_reach = top + np.log(np.exp(masked - top).sum(axis=0))  # log P(h), per infoset
        Q = self.S * np.exp(np.minimum(log_pi[:, None] - w[None, :] - log_reach[self.infoset_of][None, :], 0.0))
        QU = Q * self.U
        values = QU.sum(axis=0)
        if not jacobian:
            return values
        R = self.K * np.exp(np.minimum(log_pi[:, None] - log_reach[None, :], 0.0))
        D = R.T @ self.S  # d log P(h) / d w
        jac = QU.T @ self.S - np.diag(values) - values[:, None] * D[self.infoset_of]
        return values, jac

    def residual(self, w: np.ndarray, lam: float) -> np.ndarray:
        """The AQRE equations at log-probabilities ``w`` and precision ``lam``.

        Parameters
        ----------
        w : ndarray, shape (N,)
        lam : float

        Returns
        -------
        ndarray, shape (N,)
            Zero at an agent QRE.

        Examples
        --------
        >>> import math
        >>> from alliance.games.extensive import ExtensiveGame, Move
        >>> from alliance.games.sequential import Leaf
        >>> g = ExtensiveGame(Move("A", "h", {"x": Leaf((1,)), "y": Leaf((0,))}), ["A"])
        >>> p = 1 / (1 + math.exp(-2.0))        # the logit choice at lambda = 2
        >>> [bool(abs(v) < 1e-12) for v in AgentLogitSystem(g).residual([math.log(p), math.log(1 - p)], 2.0)]
        [True, True]
        """
        w = np.asarray(w, dtype=float)
        values = self.conditional_values(w)
        h = np.empty(self.n_strategies)
        act, base = self._act, self._base
        h[self._cmp_rows] = w[act] - w[base] - lam * (values[act] - values[base])
        h[self._norm_rows] = self._member @ np.exp(w) - 1.0
        return h

    def evaluate(self, w: np.ndarray, lam: float) -> tuple[np.ndarray, np.ndarray]:
        """The residual ``H`` (N,) and the Jacobian ``[dH/dw, dH/dlam]`` (N, N + 1).

        Parameters
        ----------
        w : ndarray, shape (N,)
        lam : float

        Returns
        -------
        tuple of ndarray

        Examples
        --------
        >>> from alliance.games.extensive import ExtensiveGame, Move
        >>> from alliance.games.sequential import Leaf
        >>> g = ExtensiveGame(Move("A", "h", {"x": Leaf((1,)), "y": Leaf((0,))}), ["A"])
        >>> system = AgentLogitSystem(g)
        >>> h, jac = system.evaluate(system.centroid(), 0.0)
        >>> jac.shape, jac[0].tolist()     # d/dw of w_y - w_x - lam (0 - 1), and d/dlam
        ((2, 3), [-1.0, 1.0, 1.0])
        """
        values, dvalues = self.conditional_values(w, jacobian=True)
        N = self.n_strategies
        act, base, rows = self._act, self._base, self._cmp_rows
        p = np.exp(w)
        h = np.empty(N)
        h[rows] = w[act] - w[base] - lam * (values[act] - values[base])
        h[self._norm_rows] = self._member @ p - 1.0
        jac = np.zeros((N, N + 1))
        jac[rows, :N] = -lam * (dvalues[act] - dvalues[base])
        jac[rows, act] += 1.0
        jac[rows, base] -= 1.0
        jac[rows, N] = -(values[act] - values[base])
        jac[self._norm_rows, :N] = self._member * p
        return h, jac

    def strategies(self, w: np.ndarray) -> dict[str, dict[str, dict[str, float]]]:
        """Log-probabilities as behaviour probabilities ``strategies[player][infoset][action]``.

        Parameters
        ----------
        w : ndarray, shape (N,)

        Returns
        -------
        dict

        Examples
        --------
        >>> from alliance.games.extensive import ExtensiveGame, Move
        >>> from alliance.games.sequential import Leaf
        >>> g = ExtensiveGame(Move("A", "h", {"x": Leaf((1,)), "y": Leaf((0,))}), ["A"])
        >>> system = AgentLogitSystem(g)
        >>> system.strategies(system.centroid())
        {'A': {'h': {'x': 0.5, 'y': 0.5}}}
        """
        out: dict[str, dict[str, dict[str, float]]] = {}
        for (player, h, a), v in zip(self.labels, np.exp(w), strict=True):
            out.setdefault(player, {}).setdefault(h, {})[a] = float(v)
        return out


# -------------------------------------------------------------------- results
def _mix_text(mix: dict[str, float]) -> str:
    used = [(a, p) for a, p in mix.items() if p > 5e-7]
    if len(used) == 1:
        return used[0][0]
    return "(" + ", ".join(f"{a} {format_number(p)}" for a, p in used) + ")"


@dataclass(frozen=True, eq=False)
class AgentQRE:
    """A logit agent quantal response equilibrium at one precision.

    Parameters
    ----------
    lam : float
        The precision :math:`\\lambda` (per payoff unit).
    strategies : dict
        ``strategies[player][infoset][action]``: behaviour probabilities (all positive).
    payoffs : tuple of float
        Expected payoffs.
    max_regret : float
        The largest gain any player has from a best reply (its distance from Nash, payoff units).

    Examples
    --------
    >>> from alliance.games.extensive import ExtensiveGame, Move
    >>> from alliance.games.sequential import Leaf
    >>> g = ExtensiveGame(Move("Lender", "lend?", {"no": Leaf((1, 0)), "yes": Move(
    ...     "Borrower", "repay?", {"repay": Leaf((2, 2)), "keep": Leaf((0, 3))})}), ["Lender", "Borrower"])
    >>> q = g.agent_qre(0.0)
    >>> q.strategies["Borrower"], q.payoffs
    ({'repay?': {'repay': 0.5, 'keep': 0.5}}, (1.0, 1.25))
    """

    lam: float
    strategies: dict
    payoffs: tuple
    max_regret: float

    def __repr__(self) -> str:
        parts = "; ".join(
            f"{p}: " + ", ".join(f"{h} {_mix_text(mix)}" for h, mix in sets.items())
            for p, sets in self.strategies.items()
        )
        return (f"AgentQRE(λ={format_number(self.lam)}: {parts} | max regret "
                f"{format_number(self.max_regret)})")

    def to_frame(self) -> pd.DataFrame:
        """One row per (player, information set, action): its probability.

        Returns
        -------
        pandas.DataFrame

        Examples
        --------
        >>> from alliance.games.extensive import ExtensiveGame, Move
        >>> from alliance.games.sequential import Leaf
        >>> g = ExtensiveGame(Move("Lender", "lend?", {"no": Leaf((1, 0)), "yes": Move(
        ...     "Borrower", "repay?", {"repay": Leaf((2, 2)), "keep": Leaf((0, 3))})}), ["Lender", "Borrower"])
        >>> g.agent_qre(0.0).to_frame().loc[("Lender", "lend?", "no"), "probability"]
        np.float64(0.5)
        """
        rows = [{"player": p, "infoset": h, "action": a, "probability": v}
                for p, sets in self.strategies.items() for h, mix in sets.items() for a, v in mix.items()]
        return pd.DataFrame(rows).set_index(["player", "infoset", "action"])

    def _repr_html_(self) -> str:
        try:
            return f"<p>{html.escape(repr(self))}</p>" + self.to_frame().to_html()
        except Exception:  # a display hook must never raise
            return "<pre>" + html.escape(repr(self)) + "</pre>"


@dataclass(frozen=True, eq=False)
class AgentQREBranch:
    """The principal branch of the logit AQRE correspondence, as traced.

    Parameters
    ----------
    lams : ndarray, shape (m,)
        Precision at each traced point.
    probabilities : ndarray, shape (m, N)
        Behaviour probabilities at each traced point, columns ``labels``.
    labels : tuple of (player, infoset, action)
    max_regret : ndarray, shape (m,)
        Each point's largest regret (payoff units).
    game : ExtensiveGame
        The game (for the payoffs of a point).

    Examples
    --------
    >>> from alliance.games.extensive import ExtensiveGame, Move
    >>> from alliance.games.sequential import Leaf
    >>> g = ExtensiveGame(Move("Lender", "lend?", {"no": Leaf((1, 0)), "yes": Move(
    ...     "Borrower", "repay?", {"repay": Leaf((2, 2)), "keep": Leaf((0, 3))})}), ["Lender", "Borrower"])
    >>> branch = g.agent_qre_branch(lam_max=5.0)
    >>> float(branch.lams[-1]), branch.labels[0]
    (5.0, ('Lender', 'lend?', 'no'))
    """

    lams: np.ndarray
    probabilities: np.ndarray
    labels: tuple
    max_regret: np.ndarray
    game: Any = None

    def __len__(self) -> int:
        return len(self.lams)

    def point(self, index: int) -> AgentQRE:
        """The traced point ``index`` as an :class:`AgentQRE`.

        Parameters
        ----------
        index : int

        Returns
        -------
        AgentQRE

        Examples
        --------
        >>> from alliance.games.extensive import ExtensiveGame, Move
        >>> from alliance.games.sequential import Leaf
        >>> g = ExtensiveGame(Move("Lender", "lend?", {"no": Leaf((1, 0)), "yes": Move(
        ...     "Borrower", "repay?", {"repay": Leaf((2, 2)), "keep": Leaf((0, 3))})}), ["Lender", "Borrower"])
        >>> g.agent_qre_branch(lam_max=5.0).point(0).strategies["Lender"]
        {'lend?': {'no': 0.5, 'yes': 0.5}}
        """
        strategies: dict[str, dict[str, dict[str, float]]] = {}
        for (p, h, a), v in zip(self.labels, self.probabilities[index], strict=True):
            strategies.setdefault(p, {}).setdefault(h, {})[a] = float(v)
        payoffs = tuple(float(v) for v in self.game.expected_payoffs(strategies))
        return AgentQRE(float(self.lams[index]), strategies, payoffs, float(self.max_regret[index]))

    @property
    def limit(self) -> AgentQRE:
        """The last traced point (near the logit solution when ``lam_max`` is large)."""
        return self.point(len(self) - 1)

    def to_frame(self) -> pd.DataFrame:
        """One row per traced point: λ, every action's probability, the max regret.

        Returns
        -------
        pandas.DataFrame

        Examples
        --------
        >>> from alliance.games.extensive import ExtensiveGame, Move
        >>> from alliance.games.sequential import Leaf
        >>> g = ExtensiveGame(Move("Lender", "lend?", {"no": Leaf((1, 0)), "yes": Move(
        ...     "Borrower", "repay?", {"repay": Leaf((2, 2)), "keep": Leaf((0, 3))})}), ["Lender", "Borrower"])
        >>> g.agent_qre_branch(lam_max=5.0).to_frame().columns[-1]
        ('max_regret', '', '')
        """
        columns = pd.MultiIndex.from_tuples(self.labels, names=["player", "infoset", "action"])
        frame = pd.DataFrame(self.probabilities, columns=columns, index=pd.Index(self.lams, name="lambda"))
        frame[("max_regret", "", "")] = self.max_regret
        return frame

    def __repr__(self) -> str:
        return (f"AgentQREBranch({len(self)} points, λ from {format_number(self.lams[0])} to "
                f"{format_number(self.lams[-1])}; last {self.limit!r})")

    def _repr_html_(self) -> str:
        return "<pre>" + html.escape(repr(self)) + "</pre>"


# -------------------------------------------------------------------- game-level functions
def _check_lam(value: Any, field: str = "lam") -> float:
    try:
        v = float(value)
    except (TypeError, ValueError) as err:
        raise ParameterError(f"{field} is {value!r}; it must be a number >= 0") from err
    if not math.isfinite(v) or v < 0:
        raise ParameterError(f"{field} is {value!r}; it must be a finite number >= 0")
    return v


def _max_regret(game: ExtensiveGame, strategies: dict) -> float:
    return float(max(game.regret(strategies)))


def agent_qre(game: ExtensiveGame, lam: float | Sequence[float], *, first_step: float = 0.03,
              max_accel: float = 1.1) -> AgentQRE | list[AgentQRE]:
    """The logit agent QRE on the principal branch at precision ``lam`` (or at each of a list).

    Parameters
    ----------
    game : ExtensiveGame
        Numeric payoffs; any number of players.
    lam : float or sequence of float
        Precision(s) :math:`\\lambda \\ge 0`, per payoff unit.
    first_step, max_accel : float
        Arclength of the tracer's first step and the largest factor by which a step grows.

    Returns
    -------
    AgentQRE, or a list of them (one per ``lam``, in the order given)

    Raises
    ------
    ParameterError
        If a ``lam`` is negative or not finite, or the list is empty.
    ConvergenceError
        If the branch cannot be traced to ``lam``.

    Examples
    --------
    A bad borrower keeps the money: at λ = 3 the borrower's agent keeps with probability
    :math:`1/(1 + e^{-3})`.

    >>> from alliance.games.extensive import ExtensiveGame, Move
    >>> from alliance.games.sequential import Leaf
    >>> g = ExtensiveGame(Move("Lender", "lend?", {"no": Leaf((1, 0)), "yes": Move(
    ...     "Borrower", "repay?", {"repay": Leaf((2, 2)), "keep": Leaf((0, 3))})}), ["Lender", "Borrower"])
    >>> round(agent_qre(g, 3.0).strategies["Borrower"]["repay?"]["keep"], 6)
    0.952574
    """
    single = not isinstance(lam, (Sequence, np.ndarray))
    values = [_check_lam(lam)] if single else [_check_lam(v, f"lam[{i}]") for i, v in enumerate(lam)]  # type: ignore[union-attr, arg-type]
    if not values:
        raise ParameterError("lam is an empty sequence; give at least one precision")
    system = AgentLogitSystem(game)
    _, _, found = trace_branch(system, max(values), targets=values, first_step=first_step,  # type: ignore[misc]
                               max_accel=max_accel)
    out = []
    for v in values:
        strategies = system.strategies(found[v])
        out.append(AgentQRE(v, strategies, tuple(float(p) for p in game.expected_payoffs(strategies)),
                            _max_regret(game, strategies)))
    return out[0] if single else out


def agent_qre_branch(game: ExtensiveGame, lam_max: float = 100.0, *, first_step: float = 0.03,
                     max_accel: float = 1.1) -> AgentQREBranch:
    """Trace the principal branch of the logit AQRE correspondence from 0 to ``lam_max``.

    Parameters
    ----------
    game : ExtensiveGame
    lam_max : float
        Precision at which to stop (>= 0, per payoff unit).
    first_step, max_accel : float
        Arclength of the tracer's first step and the largest factor by which a step grows.

    Returns
    -------
    AgentQREBranch
        Every traced point, with each point's max regret (which falls towards 0 as the branch
        approaches a sequential equilibrium).

    Examples
    --------
    >>> from alliance.games.extensive import ExtensiveGame, Move
    >>> from alliance.games.sequential import Leaf
    >>> g = ExtensiveGame(Move("Lender", "lend?", {"no": Leaf((1, 0)), "yes": Move(
    ...     "Borrower", "repay?", {"repay": Leaf((2, 2)), "keep": Leaf((0, 3))})}), ["Lender", "Borrower"])
    >>> branch = g.agent_qre_branch(lam_max=40.0)
    >>> branch.limit.strategies["Lender"]["lend?"]["no"] > 0.999999   # no trust at the limit
    True
    """
    lam_max = _check_lam(lam_max, "lam_max")
    system = AgentLogitSystem(game)
    lams, log_probs = trace_branch(system, lam_max, first_step=first_step, max_accel=max_accel)  # type: ignore[misc]
    probs = np.exp(log_probs)
    regrets = np.array([_max_regret(game, system.strategies(w)) for w in log_probs])
    return AgentQREBranch(lams, probs, tuple(system.labels), regrets, game)
