r"""Shapley and Banzhaf values: exact by bitmask enumeration, or by permutation sampling.

Exact values use one pass over the table of all ``2**n`` worths. Writing
:math:`w_{in}(s) = \frac{(s-1)!(n-s)!}{n!}` and :math:`w_{out}(s) = \frac{s!(n-s-1)!}{n!}`,

.. math::
    \phi_i = \sum_{S \ni i} v(S)\, w_{in}(|S|) - \sum_{S \not\ni i} v(S)\, w_{out}(|S|)
           = \sum_{S \ni i} v(S) (w_{in} + w_{out})(|S|) - \sum_S v(S)\, w_{out}(|S|),

so each player needs one strided sum over half the table: ``O(n 2^n)`` NumPy work and no
Python loop over coalitions. For rational games the same sums run on Python integers
(worths scaled by the common denominator) and the result is exact.

Sampled values draw random orders of the players; a player's marginal contribution to its
predecessors is an unbiased estimate of its Shapley value (Castro, Gómez & Tejada 2009). All
prefix coalitions of a batch of orders are stacked into one boolean matrix and evaluated by
one call of the characteristic function. Orders come in independent *groups* whose means are
the replicates behind the standard errors: a single order (plain), an order and its reverse
(antithetic; Mitchell et al. 2022), or the ``n`` cyclic shifts of an order, in which each
player takes each position exactly once (stratified by position, cf. Maleki et al. 2013).

References
----------
Shapley, L. S. (1953). A value for n-person games. *Contributions to the Theory of Games II*,
307–317.
Castro, J., Gómez, D. & Tejada, J. (2009). Polynomial calculation of the Shapley value based
on sampling. *Computers & Operations Research* 36(5), 1726–1730.
Maleki, S., Tran-Thanh, L., Hines, G., Rahwan, T. & Rogers, A. (2013). Bounding the
estimation error of sampling-based Shapley value approximation. arXiv:1306.4265.
Mitchell, R., Cooper, J., Frank, E. & Holmes, G. (2022). Sampling permutations for Shapley
value estimation. *Journal of Machine Learning Research* 23(43), 1–46.
Banzhaf, J. F. (1965). Weighted voting doesn't work. *Rutgers Law Review* 19, 317–343.
"""

from __future__ import annotations

import math
from fractions import Fraction
from typing import TYPE_CHECKING, Any

import numpy as np

from alliance.errors import ParameterError, SizeLimitError
from alliance.games.cooperative import _coalitions as co
from alliance.games.cooperative.results import Allocation
from alliance.numbers import as_generator
from alliance.progress import progress_bar

if TYPE_CHECKING:
    from alliance.games.cooperative.game import CooperativeGame

__all__ = ["exact_shapley", "sampled_shapley", "exact_banzhaf"]

#: Coalitions per call of ``v`` in the sampled method (unless ``batch_size`` says otherwise).
SAMPLED_ROWS_PER_CALL = 1 << 17
_VARIANCE_REDUCTIONS = {None: 1, "antithetic": 2, "stratified": None}


def _check_exact_size(game: CooperativeGame, what: str) -> None:
    from alliance.games.cooperative.game import EXACT_MAX_PLAYERS

    if game.n > EXACT_MAX_PLAYERS:
        raise SizeLimitError(
            f"the exact {what} enumerates all 2**n coalitions; n = {game.n} players exceeds "
            f"the limit of {EXACT_MAX_PLAYERS}: use shapley(method='sampled', samples=..., "
            "seed=...) for an estimate with standard errors"
        )


def _integer_table(exact: np.ndarray) -> tuple[np.ndarray, int]:
    """Worths as Python integers after scaling by the common denominator ``D``."""
    denominator = np.frompyfunc(lambda q: q.denominator, 1, 1)(exact)
    scale = math.lcm(*{int(d) for d in denominator})
    numerators = np.frompyfunc(lambda q: (q * scale).numerator, 1, 1)(exact)
    return numerators.astype(object), scale


def exact_shapley(game: CooperativeGame) -> Allocation:
    """Exact Shapley value from the full bitmask table (see the module docstring).

    Parameters
    ----------
    game : CooperativeGame
        The game (``n <= EXACT_MAX_PLAYERS`` for the exact values).

    Returns
    -------
    Allocation
        Method ``"shapley"``; exact Fractions when the worths are rational.

    Raises
    ------
    SizeLimitError
        When ``n > EXACT_MAX_PLAYERS``.

    Examples
    --------
    The glove game with one left and two right gloves (Shapley 1953):

    >>> from alliance.games.cooperative import glove
    >>> exact_shapley(glove(1, 2))
    Allocation(shapley: L1=2/3, R1=1/6, R2=1/6)
    """
    _check_exact_size(game, "Shapley value")
    n = game.n
    table = game.table(what="the exact Shapley value")
    sizes = co.coalition_sizes(n)
    s = np.arange(n + 1)
    comb = np.array([math.comb(n - 1, k) for k in range(n)], dtype=float)
    w_in = np.zeros(n + 1)
    w_in[1:] = 1.0 / (n * comb[s[1:] - 1])
    w_out = np.zeros(n + 1)
    w_out[:n] = 1.0 / (n * comb)
    values = co.sums_containing(table * (w_in + w_out)[sizes], n) - float(table @ w_out[sizes])
    exact = None
    if game._exact is not None:
        ints, scale = _integer_table(game._exact)
        c_in = np.array(
            [0] + [math.factorial(k - 1) * math.factorial(n - k) for k in s[1:]], dtype=object
        )
        c_out = np.array(
            [math.factorial(k) * math.factorial(n - k - 1) for k in s[:n]] + [0], dtype=object
        )
        numer = co.sums_containing(ints * (c_in + c_out)[sizes], n) - (ints * c_out[sizes]).sum()
        denom = math.factorial(n) * scale
        exact = tuple(Fraction(int(a), denom) for a in numer)
        values = np.array([float(q) for q in exact])
    return Allocation(
        values,
        game.players,
        method="shapley",
        exact=exact,
        details={"algorithm": "bitmask enumeration", "coalitions": 1 << n},
    )


def exact_banzhaf(game: CooperativeGame, normalized: bool = False) -> Allocation:
    """Exact Banzhaf value from the full bitmask table.

    Parameters
    ----------
    game : CooperativeGame
        The game (``n <= EXACT_MAX_PLAYERS`` for the exact values).
    normalized : bool, default False
        Rescale so that the values sum to ``v(N)``.

    Returns
    -------
    Allocation
        Method ``"banzhaf"`` (or ``"banzhaf (normalized)"``).

    Raises
    ------
    SizeLimitError
        When ``n > EXACT_MAX_PLAYERS``.

    Examples
    --------
    >>> from alliance.games.cooperative import glove
    >>> exact_banzhaf(glove(1, 2)), exact_banzhaf(glove(1, 2), normalized=True)
    (Allocation(banzhaf: L1=3/4, R1=1/4, R2=1/4), Allocation(banzhaf (normalized): L1=3/5, R1=1/5, R2=1/5))
    """
    _check_exact_size(game, "Banzhaf value")
    n = game.n
    table = game.table(what="the exact Banzhaf value")
    values = (2.0 * co.sums_containing(table, n) - table.sum()) / 2.0 ** (n - 1)
    exact = None
    if game._exact is not None:
        ints, scale = _integer_table(game._exact)
        numer = 2 * co.sums_containing(ints, n) - ints.sum()
        exact = tuple(Fraction(int(a), scale * 2 ** (n - 1)) for a in numer)
    return _finish_banzhaf(game, values, exact, normalized, "bitmask enumeration")


def _finish_banzhaf(
    game: CooperativeGame,
    values: np.ndarray,
    exact: tuple[Fraction, ...] | None,
    normalized: bool,
    algorithm: str,
) -> Allocation:
    if normalized:
        total = sum(exact) if exact is not None else values.sum()
        if total == 0:
            raise ParameterError(
                "banzhaf(normalized=True): the raw Banzhaf values sum to 0, so they cannot be "
                "rescaled to v(N)"
            )
        if exact is not None and game._exact is not None:
            grand = game._exact[-1] if game._exact.shape[0] == 1 << game.n else None
            grand = Fraction(grand) if grand is not None else Fraction(game.grand_value)
            exact = tuple(q * grand / total for q in exact)
            values = np.array([float(q) for q in exact])
        else:
            exact = None
            values = values * game.grand_value / total
    elif exact is not None:
        values = np.array([float(q) for q in exact])
    return Allocation(
        values,
        game.players,
        method="banzhaf (normalized)" if normalized else "banzhaf",
        exact=exact,
        details={"algorithm": algorithm},
    )


# -- sampling ---------------------------------------------------------------------------------
def _orders(rng: np.random.Generator, groups: int, n: int, scheme: str | None) -> np.ndarray:
    base = rng.permuted(np.tile(np.arange(n), (groups, 1)), axis=1)
    if scheme is None:
        return base
    if scheme == "antithetic":
        return np.stack([base, base[:, ::-1]], axis=1).reshape(-1, n)
    shifts = (np.arange(n)[:, None] + np.arange(n)[None, :]) % n
    return base[:, shifts].reshape(-1, n)


def _marginals(game: CooperativeGame, orders: np.ndarray, grand: float) -> np.ndarray:
    """Marginal contribution of every player along every order, with one call of ``v``."""
    m, n = orders.shape
    position = np.argsort(orders, axis=1)
    prefixes = position[:, None, :] < np.arange(1, n)[None, :, None]  # (m, n-1, n)
    worths = game.values(prefixes.reshape(-1, n)).reshape(m, n - 1)
    chain = np.concatenate([np.zeros((m, 1)), worths, np.full((m, 1), grand)], axis=1)
    steps = np.diff(chain, axis=1)
    marginal = np.empty((m, n))
    np.put_along_axis(marginal, orders, steps, axis=1)
    return marginal


def sampled_shapley(
    game: CooperativeGame,
    samples: int = 2000,
    seed: Any = None,
    progress: bool | None = None,
    variance_reduction: str | None = "antithetic",
    target_standard_error: float | None = None,
    batch_size: int | None = None,
) -> Allocation:
    """Shapley value estimated by permutation sampling, with standard errors.

    Parameters
    ----------
    game : CooperativeGame
        The game (any number of players).
    samples : int, default 2000
        Number of player orders to draw, at most.
    seed : None, int >= 0, numpy.random.SeedSequence or numpy.random.Generator, optional
        Random seed, for reproducible estimates.
    progress : bool, optional
        Show a progress bar (``None``: by the policy of :mod:`alliance.progress`).
    variance_reduction : {"antithetic", "stratified", None}, default "antithetic"
        Pair each order with its reverse, use blocks of cyclic shifts, or draw plain orders.
    target_standard_error : float, optional
        Stop early once every standard error is at most this (> 0).
    batch_size : int, optional
        Orders evaluated per call of ``v``.

    Returns
    -------
    Allocation
        Method ``"shapley (sampled)"`` with ``standard_errors``.

    Raises
    ------
    ParameterError
        A bad number of samples, seed, batch size, target or variance reduction.

    Examples
    --------
    >>> from alliance.games.cooperative import glove
    >>> est = sampled_shapley(glove(1, 2), samples=2000, seed=0)
    >>> bool(abs(est.values[0] - 2 / 3) < 3 * est.standard_errors[0])
    True
    """
    n = game.n
    if variance_reduction not in _VARIANCE_REDUCTIONS:
        raise ParameterError(
            f"variance_reduction is {variance_reduction!r}; it must be 'antithetic', "
            "'stratified' or None"
        )
    if isinstance(samples, bool) or not isinstance(samples, (int, np.integer)) or samples < 2:
        raise ParameterError(f"samples is {samples!r}; it must be an integer >= 2")
    if target_standard_error is not None and not target_standard_error > 0:
        raise ParameterError(
            f"target_standard_error is {target_standard_error!r}; it must be positive"
        )
    if batch_size is not None and (not isinstance(batch_size, (int, np.integer)) or batch_size < 1):
        raise ParameterError(f"batch_size is {batch_size!r}; it must be a positive integer")
    rng = as_generator(seed)
    grand = game.grand_value
    details = {
        "algorithm": "permutation sampling",
        "variance_reduction": variance_reduction,
        "seed": seed if not isinstance(seed, np.random.Generator) else "Generator",
    }
    if n == 1:
        return Allocation(
            np.array([grand]),
            game.players,
            method="shapley (sampled)",
            standard_errors=np.zeros(1),
            details={**details, "samples": 0},
        )
    group = _VARIANCE_REDUCTIONS[variance_reduction] or n
    n_groups = max(2, -(-int(samples) // group))
    if batch_size is None:
        per_call = max(1, SAMPLED_ROWS_PER_CALL // (group * (n - 1)))
    else:
        per_call = max(1, int(batch_size) // group)
    replicates: list[np.ndarray] = []
    done = 0
    min_groups = min(n_groups, 16)
    with progress_bar(
        total=n_groups * group, progress=progress, desc="Shapley samples", unit="order"
    ) as bar:
        while done < n_groups:
            k = min(per_call, n_groups - done)
            marginal = _marginals(game, _orders(rng, k, n, variance_reduction), grand)
            replicates.append(marginal.reshape(k, group, n).mean(axis=1))
            done += k
            bar.update(k * group)
            if target_standard_error is not None and done >= min_groups:
                reps = np.concatenate(replicates)
                if reps.std(axis=0, ddof=1).max() / math.sqrt(done) <= target_standard_error:
                    break
    reps = np.concatenate(replicates)
    values = reps.mean(axis=0)
    errors = reps.std(axis=0, ddof=1) / math.sqrt(reps.shape[0])
    details["samples"] = done * group
    return Allocation(
        values, game.players, method="shapley (sampled)", standard_errors=errors, details=details
    )
