r"""Weighted voting games and their power indices, exactly, by generating functions.

In the weighted voting game :math:`[q; w_1, \dots, w_n]` a coalition wins (worth 1) when its
weight reaches the quota :math:`q`. Player :math:`i` *swings* for :math:`S \not\ni i` when
:math:`q - w_i \le w(S) < q`. With integer weights, the number of coalitions of each size
and weight is the coefficient of :math:`y^k x^w` in :math:`\prod_j (1 + y x^{w_j})`
(Brams & Affuso 1976; Bilbao, Fernández, Jiménez Losada & López 2000). The product is built
once, truncated at :math:`x^{q-1}` (heavier coalitions never matter); player :math:`i`'s
factor is then divided out, :math:`C_{-i}[k] = C[k] - x^{w_i} C_{-i}[k-1]`, so all ``n``
players cost :math:`O(n^2 q)` integer operations instead of :math:`O(2^n)`:

.. math::
    \phi_i = \sum_k \frac{k!(n-k-1)!}{n!} \sum_{w=q-w_i}^{q-1} C_{-i}[k, w], \qquad
    \beta_i = 2^{1-n} \sum_k \sum_{w=q-w_i}^{q-1} C_{-i}[k, w].

Counts are exact integers (``int64`` up to 62 players, Python integers beyond).

References
----------
Shapley, L. S. & Shubik, M. (1954). A method for evaluating the distribution of power in a
committee system. *American Political Science Review* 48(3), 787–792.
Brams, S. J. & Affuso, P. J. (1976). Power and size: a new paradox. *Theory and Decision* 7,
29–56.
Bilbao, J. M., Fernández, J. R., Jiménez Losada, A. & López, J. J. (2000). Generating
functions for computing power indices efficiently. *TOP* 8(2), 191–213.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from fractions import Fraction
from typing import Any

import numpy as np

from alliance.errors import ParameterError
from alliance.games.cooperative import _coalitions as co
from alliance.games.cooperative.game import RATIONAL_MAX_PLAYERS, CooperativeGame
from alliance.games.cooperative.results import Allocation

__all__ = ["WeightedVotingGame", "swing_counts"]

#: Largest ``n * n * quota`` for the generating-function method (about a second of work).
GF_MAX_WORK = 2 * 10**8


def _integer(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, np.integer)):
        return int(value)
    if isinstance(value, Fraction) and value.denominator == 1:
        return int(value)
    return None


def swing_counts(weights: Sequence[int], quota: int) -> np.ndarray:
    """``P[i, k]``: coalitions ``S`` without ``i``, of size ``k``, for which ``i`` swings.

    Parameters
    ----------
    weights : sequence of int
        The players' weights, >= 0.
    quota : int
        Votes needed to win, > 0.

    Returns
    -------
    ndarray of int, shape (n, n)
        Swing counts by player and coalition size (exact integers, by generating functions).

    Examples
    --------
    >>> swing_counts([50, 49, 1], 51).tolist()
    [[0, 2, 1], [0, 1, 0], [0, 1, 0]]
    """
    w = [int(a) for a in weights]
    n, q = len(w), int(quota)
    dtype: Any = np.int64 if n <= 62 else object
    counts = np.zeros((n + 1, q), dtype=dtype)
    counts[0, 0] = 1
    for a in w:  # one vectorised update per player
        if a < q:
            counts[1:, a:] = counts[1:, a:] + counts[:-1, : q - a]
    pivots = np.zeros((n, n), dtype=dtype)
    for i, a in enumerate(w):
        if a == 0:
            continue
        without = counts.copy()
        if a < q:
            for k in range(1, n + 1):  # divide out (1 + y x^a), one size at a time
                without[k, a:] = counts[k, a:] - without[k - 1, : q - a]
        lo = max(0, q - a)
        pivots[i] = without[:n, lo:].sum(axis=1)
    return pivots


class WeightedVotingGame(CooperativeGame):
    r"""The weighted voting game :math:`[q; w_1, \dots, w_n]`: a coalition wins (worth 1)
    when its total weight is at least the quota.

    With integer weights and quota, :meth:`shapley` (the Shapley–Shubik index) and
    :meth:`banzhaf` are exact fractions from generating functions, for any number of players;
    otherwise they fall back to enumeration.

    Parameters
    ----------
    quota : float
        Weight needed to win, ``0 < quota <= sum(weights)``.
    weights : sequence of float
        Non-negative voting weights.
    players : sequence of str, optional
        Player names.

    Examples
    --------
    >>> g = WeightedVotingGame(51, [50, 49, 1])
    >>> g.shapley()
    Allocation(shapley: P1=2/3, P2=1/6, P3=1/6)
    >>> g.banzhaf(normalized=True)
    Allocation(banzhaf (normalized): P1=3/5, P2=1/5, P3=1/5)
    """

    def __init__(
        self, quota: float, weights: Sequence[float], players: Sequence[str] | None = None
    ):
        w = np.asarray(weights, dtype=float) if len(weights) else np.zeros(0)
        if w.ndim != 1 or w.size == 0:
            raise ParameterError(f"weights is {weights!r}; it must be a non-empty sequence")
        bad = np.flatnonzero(~np.isfinite(w) | (w < 0))
        if bad.size:
            raise ParameterError(
                f"weights[{bad[0]}] is {weights[bad[0]]!r}; weights must be finite and >= 0"
            )
        try:
            q = float(quota)
        except (TypeError, ValueError):
            raise ParameterError(f"quota is {quota!r}; it must be a number") from None
        if not (0 < q <= w.sum()):
            raise ParameterError(
                f"quota is {quota!r}; it must lie in (0, sum(weights)] = (0, {w.sum():g}]"
            )
        ints = [_integer(a) for a in weights]
        int_quota = _integer(quota)
        self.quota = quota
        self.weights = tuple(weights)
        self._integer_weights = (
            tuple(ints) if int_quota is not None and all(a is not None for a in ints) else None
        )
        self._int_quota = int_quota

        def v(mask: np.ndarray) -> np.ndarray:
            return (mask @ w >= q).astype(float)

        super().__init__(len(w), v, players, vectorized=True)
        if self.n <= RATIONAL_MAX_PLAYERS:
            wins = co.coalition_sums(w) >= q
            self._attach_exact(np.where(wins, 1, 0).astype(object))

    def __repr__(self) -> str:
        weights = ", ".join(f"{a:g}" if isinstance(a, float) else str(a) for a in self.weights)
        return f"WeightedVotingGame([{self.quota}; {weights}], players={self.players})"

    def _generating_functions(self) -> np.ndarray | None:
        if self._integer_weights is None or self._int_quota is None:
            return None
        if self.n * self.n * self._int_quota > GF_MAX_WORK and self.n <= 16:
            return None  # enumeration of 2**n coalitions is cheaper here
        return swing_counts(self._integer_weights, self._int_quota)

    def shapley(self, method: str = "exact", *args: Any, **kwargs: Any) -> Allocation:  # type: ignore[override]
        """Shapley–Shubik index (exact by generating functions); ``method="sampled"`` as usual.

        Parameters
        ----------
        method : {"exact", "sampled"}, default "exact"
            As in :meth:`CooperativeGame.shapley`.
        *args, **kwargs
            The sampled method's options, as in :meth:`CooperativeGame.shapley`:
            ``samples``, ``seed``, ``progress``, ``variance_reduction``,
            ``target_standard_error``, ``batch_size``.

        Returns
        -------
        Allocation
            The Shapley–Shubik power index (sums to 1), exact Fractions for ``"exact"``.

        Examples
        --------
        >>> WeightedVotingGame(3, [1, 1, 1, 1]).shapley().exact
        (Fraction(1, 4), Fraction(1, 4), Fraction(1, 4), Fraction(1, 4))
        """
        pivots = self._generating_functions() if method == "exact" else None
        if pivots is None:
            return super().shapley(method, *args, **kwargs)
        n = self.n
        coef = [math.factorial(k) * math.factorial(n - k - 1) for k in range(n)]
        exact = tuple(
            Fraction(sum(int(c) * f for c, f in zip(row, coef)), math.factorial(n))
            for row in pivots
        )
        return Allocation(
            np.array([float(x) for x in exact]),
            self.players,
            method="shapley",
            exact=exact,
            details={"algorithm": "generating functions"},
        )

    def banzhaf(self, normalized: bool = False) -> Allocation:
        """Banzhaf index (exact by generating functions).

        Parameters
        ----------
        normalized : bool, default False
            Rescale so that the indices sum to 1.

        Returns
        -------
        Allocation
            The Banzhaf index, exact Fractions.

        Raises
        ------
        ParameterError
            ``normalized=True`` when no player ever swings.

        Examples
        --------
        >>> WeightedVotingGame(51, [50, 49, 1]).banzhaf().exact
        (Fraction(3, 4), Fraction(1, 4), Fraction(1, 4))
        """
        pivots = self._generating_functions()
        if pivots is None:
            return super().banzhaf(normalized)
        swings = [int(s) for s in pivots.sum(axis=1)]
        if normalized:
            total = sum(swings)
            if total == 0:
                raise ParameterError("banzhaf(normalized=True): no player ever swings")
            exact = tuple(Fraction(s, total) for s in swings)
        else:
            exact = tuple(Fraction(s, 2 ** (self.n - 1)) for s in swings)
        return Allocation(
            np.array([float(x) for x in exact]),
            self.players,
            method="banzhaf (normalized)" if normalized else "banzhaf",
            exact=exact,
            details={"algorithm": "generating functions", "swings": tuple(swings)},
        )
