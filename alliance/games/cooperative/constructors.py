r"""The standard TU games: bankruptcy, weighted voting, airport and glove games.

Each constructor validates its data, returns a game whose characteristic function is
vectorised over coalitions (so large ``n`` works with sampled methods), and, when the data
are integers or fractions and ``n <= 16``, also holds the exact worths so that Shapley and
Banzhaf values come out as fractions.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from fractions import Fraction
from numbers import Rational
from typing import Any

import numpy as np

from alliance.errors import ParameterError
from alliance.games.cooperative import _coalitions as co
from alliance.games.cooperative.game import RATIONAL_MAX_PLAYERS, CooperativeGame
from alliance.games.cooperative.voting import WeightedVotingGame

__all__ = ["bankruptcy", "weighted_voting", "airport", "glove"]


def _rational(values: Sequence[Any]) -> bool:
    return all(isinstance(a, (Rational, np.integer)) and not isinstance(a, bool) for a in values)


def _exact_array(values: Sequence[Any]) -> np.ndarray:
    return np.array(
        [Fraction(int(a)) if isinstance(a, np.integer) else Fraction(a) for a in values],
        dtype=object,
    )


def _numbers(values: Any, field: str) -> tuple[list[Any], np.ndarray]:
    if isinstance(values, (str, bytes)):
        raise ParameterError(f"{field} is {values!r}; it must be a sequence of numbers")
    try:
        items = list(values)
        arr = np.array([float(a) for a in items])
    except (TypeError, ValueError):
        raise ParameterError(f"{field} is {values!r}; it must be a sequence of numbers") from None
    if arr.size == 0:
        raise ParameterError(f"{field} is empty; give one value per player")
    bad = np.flatnonzero(~np.isfinite(arr) | (arr < 0))
    if bad.size:
        raise ParameterError(f"{field}[{bad[0]}] is {items[bad[0]]!r}; it must be finite and >= 0")
    return items, arr


def bankruptcy(
    estate: float, claims: Sequence[float], players: Sequence[str] | None = None
) -> CooperativeGame:
    r"""The bankruptcy game of O'Neill (1982): :math:`v(S) = \max(0, E - \sum_{j \notin S} d_j)`.

    Each coalition secures what is left of the estate once everybody outside it has been
    paid in full. Its nucleolus is the Talmud rule (Aumann & Maschler 1985).

    Parameters
    ----------
    estate : float
        The estate ``E`` to divide, ``0 <= E <= sum(claims)``.
    claims : sequence of float
        Claims ``d_i >= 0``, one per player.
    players : sequence of str, optional
        Claimant names.

    Returns
    -------
    CooperativeGame
        ``v(S) = max(0, E - sum of the claims outside S)``, exact when the inputs are
        rational; players named ``players`` (default ``P1``, ``P2``, ...).

    Raises
    ------
    ParameterError
        Negative or non-finite claims, or an estate outside ``[0, sum(claims)]``.

    Examples
    --------
    >>> g = bankruptcy(200, [100, 200, 300])
    >>> g.nucleolus().values.round(6).tolist()
    [50.0, 75.0, 75.0]
    >>> g.shapley()
    Allocation(shapley: P1=100/3, P2=250/3, P3=250/3)

    References
    ----------
    O'Neill, B. (1982). A problem of rights arbitration from the Talmud. *Mathematical Social
    Sciences* 2(4), 345–371.
    Aumann, R. J. & Maschler, M. (1985). Game theoretic analysis of a bankruptcy problem from
    the Talmud. *Journal of Economic Theory* 36(2), 195–213.
    """
    items, d = _numbers(claims, "claims")
    try:
        e = float(estate)
    except (TypeError, ValueError):
        raise ParameterError(f"estate is {estate!r}; it must be a number") from None
    if not (math.isfinite(e) and 0 <= e <= d.sum()):
        raise ParameterError(
            f"estate is {estate!r}; it must lie in [0, sum(claims)] = [0, {d.sum():g}]"
        )
    total = d.sum()

    def v(mask: np.ndarray) -> np.ndarray:
        return np.maximum(0.0, e - (total - mask @ d))

    game = CooperativeGame(len(items), v, players, vectorized=True)
    if len(items) <= RATIONAL_MAX_PLAYERS and _rational([*items, estate]):
        exact_claims = _exact_array(items)
        left = Fraction(estate) - (sum(exact_claims) - co.coalition_sums(exact_claims))
        game._attach_exact(np.where(left > 0, left, Fraction(0)).astype(object))
    return game


def weighted_voting(
    quota: float, weights: Sequence[float], players: Sequence[str] | None = None
) -> WeightedVotingGame:
    r"""The weighted voting game :math:`[q; w_1, \dots, w_n]` (worth 1 when :math:`w(S) \ge q`).

    Integer weights give exact power indices by generating functions for any ``n``
    (see :class:`~alliance.games.cooperative.voting.WeightedVotingGame`).

    Parameters
    ----------
    quota : float
        Weight needed to win, ``0 < quota <= sum(weights)``.
    weights : sequence of float
        Non-negative weights.
    players : sequence of str, optional
        Voter names.

    Returns
    -------
    WeightedVotingGame
        A simple game: ``v(S) = 1`` when the weights in ``S`` reach the quota, else 0.

    Examples
    --------
    >>> weighted_voting(51, [50, 49, 1]).banzhaf()
    Allocation(banzhaf: P1=3/4, P2=1/4, P3=1/4)

    References
    ----------
    Shapley, L. S. & Shubik, M. (1954). A method for evaluating the distribution of power in a
    committee system. *American Political Science Review* 48(3), 787–792.
    """
    return WeightedVotingGame(quota, weights, players)


def airport(costs: Sequence[float], players: Sequence[str] | None = None) -> CooperativeGame:
    r"""The airport cost game of Littlechild & Owen (1973): :math:`c(S) = \max_{i \in S} c_i`.

    A runway long enough for the largest plane in :math:`S` serves all of :math:`S`. This is a
    *cost* game (``cost=True``): its core asks :math:`x(S) \le c(S)`. The Shapley value splits
    each runway segment equally among the planes that need it:
    :math:`\phi_{(i)} = \sum_{k \le i} (c_{(k)} - c_{(k-1)}) / (n - k + 1)` for costs sorted
    increasingly.

    Parameters
    ----------
    costs : sequence of float
        Each player's stand-alone cost ``c_i >= 0``.
    players : sequence of str, optional
        Player names.

    Returns
    -------
    CooperativeGame
        A cost game: ``c(S)`` is the largest cost in ``S``.

    Examples
    --------
    >>> airport([1, 2, 4]).shapley()
    Allocation(shapley: P1=1/3, P2=5/6, P3=17/6)
    >>> bool(airport([1, 2, 4]).in_core([1/3, 5/6, 17/6]))
    True

    References
    ----------
    Littlechild, S. C. & Owen, G. (1973). A simple expression for the Shapley value in a
    special case. *Management Science* 20(3), 370–372.
    """
    items, c = _numbers(costs, "costs")

    def v(mask: np.ndarray) -> np.ndarray:
        return np.where(mask, c, 0.0).max(axis=1)

    game = CooperativeGame(len(items), v, players, vectorized=True, cost=True)
    if len(items) <= RATIONAL_MAX_PLAYERS and _rational(items):
        largest = np.array([Fraction(0)], dtype=object)
        for cost in _exact_array(items):  # doubling over players, not a loop over coalitions
            largest = np.concatenate([largest, np.where(largest > cost, largest, cost)])
        game._attach_exact(largest.astype(object))
    return game


def glove(left: int | Sequence[str], right: int | Sequence[str]) -> CooperativeGame:
    r"""The glove game: :math:`v(S) = \min(|S \cap L|, |S \cap R|)`, pairs of gloves are worth 1.

    Parameters
    ----------
    left, right : int or sequence of str
        The holders of a left (right) glove: a count (players then are named ``L1, L2, ...``
        and ``R1, R2, ...``) or their names.

    Returns
    -------
    CooperativeGame
        ``v(S)`` is the number of matched pairs of gloves in ``S``.

    Examples
    --------
    >>> g = glove(1, 2)
    >>> g.players
    ('L1', 'R1', 'R2')
    >>> g.shapley()
    Allocation(shapley: L1=2/3, R1=1/6, R2=1/6)

    References
    ----------
    Shapley, L. S. & Shubik, M. (1969). Pure competition, coalitional power, and fair
    division. *International Economic Review* 10(3), 337–362.
    """

    def names(side: int | Sequence[str], prefix: str, field: str) -> tuple[str, ...]:
        if isinstance(side, (int, np.integer)) and not isinstance(side, bool):
            if side < 0:
                raise ParameterError(f"{field} is {side}; it must be a count >= 0")
            return tuple(f"{prefix}{i + 1}" for i in range(int(side)))
        if isinstance(side, str):
            raise ParameterError(f"{field} is the string {side!r}; give a count or a list of names")
        try:
            return tuple(side)
        except TypeError:
            raise ParameterError(f"{field} is {side!r}; give a count or a list of names") from None

    lefts, rights = names(left, "L", "left"), names(right, "R", "right")
    if not lefts and not rights:
        raise ParameterError("left and right are both empty; a glove game needs players")
    n_left = len(lefts)
    is_left = np.arange(n_left + len(rights)) < n_left

    def v(mask: np.ndarray) -> np.ndarray:
        return np.minimum(mask[:, is_left].sum(axis=1), mask[:, ~is_left].sum(axis=1)).astype(float)

    game = CooperativeGame(len(is_left), v, lefts + rights, vectorized=True)
    if game.n <= RATIONAL_MAX_PLAYERS:
        counts_left = co.coalition_sums(is_left.astype(np.int64))
        counts_right = co.coalition_sums((~is_left).astype(np.int64))
        game._attach_exact(np.minimum(counts_left, counts_right).astype(object))
    return game
