r"""The core, the least core, the nucleolus and convexity of a TU game.

The *excess* of coalition :math:`S` at allocation :math:`x` is :math:`e(S, x) = v(S) - x(S)`
(for a cost game :math:`x(S) - c(S)`, handled by negating the game). The core is the set of
efficient :math:`x` (:math:`x(N) = v(N)`) with no positive excess; the least core is the set
of efficient :math:`x` minimising :math:`\varepsilon = \max_{S \ne \emptyset, N} e(S, x)`
(Maschler, Peleg & Shapley 1979); the nucleolus lexicographically minimises the vector of
excesses sorted in decreasing order (Schmeidler 1969).

The nucleolus is found by sequential linear programs (Kopelowitz 1967; Maschler, Peleg &
Shapley 1979), solved with HiGHS through :func:`scipy.optimize.linprog`. At each stage the
largest remaining excess is minimised; the coalitions whose constraint carries a positive
dual are tight at *every* optimum (complementary slackness), so their excess is fixed as an
equality; coalitions whose indicator vector is spanned by the fixed ones have a determined
excess and leave the programme. Each stage raises the rank of the fixed system by at least
one, so at most ``n`` programmes are solved, each with at most ``2**n - 2`` rows. The limit is
``n <= NUCLEOLUS_MAX_PLAYERS`` (16): beyond it a single programme has more than 65 534 rows.

References
----------
Schmeidler, D. (1969). The nucleolus of a characteristic function game. *SIAM Journal on
Applied Mathematics* 17(6), 1163–1170.
Kopelowitz, A. (1967). Computation of the kernels of simple games and the nucleolus of
n-person games. Research Memorandum 31, Hebrew University of Jerusalem.
Maschler, M., Peleg, B. & Shapley, L. S. (1979). Geometric properties of the kernel,
nucleolus and related solution concepts. *Mathematics of Operations Research* 4(4), 303–338.
Shapley, L. S. (1971). Cores of convex games. *International Journal of Game Theory* 1, 11–26.
Huangfu, Q. & Hall, J. A. J. (2018). Parallelizing the dual revised simplex method.
*Mathematical Programming Computation* 10, 119–142 (HiGHS).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
from scipy.optimize import linprog

from alliance.errors import InvalidGameError, SizeLimitError, SolverError
from alliance.games.cooperative import _coalitions as co
from alliance.games.cooperative.results import Allocation, CoreCheck, LeastCore

if TYPE_CHECKING:
    from alliance.games.cooperative.game import CooperativeGame

__all__ = [
    "NUCLEOLUS_MAX_PLAYERS",
    "in_core",
    "least_core",
    "nucleolus",
    "is_convex",
    "core_bounds",
    "excesses",
    "scaled_tol",
]

#: Largest number of players for the LP-based methods (least core, nucleolus, core bounds).
NUCLEOLUS_MAX_PLAYERS = 16


def _lp_table(game: CooperativeGame, what: str) -> np.ndarray:
    if game.n > NUCLEOLUS_MAX_PLAYERS:
        raise SizeLimitError(
            f"{what} solves linear programs over all 2**n - 2 proper coalitions; n = {game.n} "
            f"players exceeds the limit of {NUCLEOLUS_MAX_PLAYERS}"
        )
    return game._profit_table(what)


def scaled_tol(game: CooperativeGame, tol: float) -> float:
    """``tol`` relative to the largest worth (and at least ``tol``).

    Parameters
    ----------
    game : CooperativeGame
        The game (profit or cost).
    tol : float
        The caller's tolerance, >= 0.

    Returns
    -------
    float
        ``tol * max(1, max |v(S)|)``.

    Examples
    --------
    >>> from alliance.games.cooperative import bankruptcy
    >>> scaled_tol(bankruptcy(200, [100, 200, 300]), 1e-9)  # worths up to 200
    2.0000000000000002e-07
    """
    return tol * max(1.0, float(np.abs(game.table()).max()))


def _sign(game: CooperativeGame) -> float:
    return -1.0 if game.cost else 1.0


def _proper_coalitions(n: int) -> np.ndarray:
    return co.all_masks(n, 1, (1 << n) - 1).astype(float)


def excesses(game: CooperativeGame, x: Any) -> np.ndarray:
    """Excess ``v(S) - x(S)`` of every proper coalition, indexed by bitmask ``1..2**n - 2``.

    For a cost game the excess is ``x(S) - c(S)``. Sorting it in decreasing order gives the
    vector that the nucleolus minimises lexicographically.

    Parameters
    ----------
    game : CooperativeGame
        The game (profit or cost).
    x : sequence of float, mapping name → float, or Allocation
        One payoff per player.

    Returns
    -------
    ndarray, shape (2**n - 2,)
        The excess of coalitions ``1 .. 2**n - 2`` (bit ``i`` = player ``i``).

    Examples
    --------
    >>> from alliance.games.cooperative import glove
    >>> excesses(glove(1, 2), [1, 0, 0]).tolist()
    [-1.0, 0.0, 0.0, 0.0, 0.0, 0.0]
    """
    arr = game.allocation(x) * _sign(game)
    profit = game._profit_table("the excesses")
    return (profit - co.coalition_sums(arr))[1:-1]


def in_core(game: CooperativeGame, x: Any, tol: float = 1e-9) -> CoreCheck:
    """Core membership with the most violated coalition (all ``2**n`` excesses at once).

    Same as :meth:`CooperativeGame.in_core`, which documents the concept and its source.

    Parameters
    ----------
    game : CooperativeGame
        The game (profit or cost).
    x : sequence of float, mapping name → float, or Allocation
        One payoff per player.
    tol : float, default 1e-9
        Absolute tolerance on each coalition's excess and on efficiency, >= 0.

    Returns
    -------
    CoreCheck
        Truthy when ``x`` is in the core.

    Raises
    ------
    ParameterError
        An allocation that is not one finite payoff per player.

    Examples
    --------
    >>> from alliance.games.cooperative import glove
    >>> in_core(glove(1, 2), [1, 0, 0])
    CoreCheck(in core; largest excess 0)
    """
    arr = game.allocation(x)
    sign = _sign(game)
    profit = game._profit_table("the core check")
    excess = profit - co.coalition_sums(arr * sign)
    grand = (1 << game.n) - 1
    everyone = tuple(game.players)
    proper = excess[1:-1]
    worst = int(np.argmax(proper)) + 1 if proper.size else grand
    worst_excess = float(excess[worst]) if proper.size else float("-inf")
    raw = game.table()
    shared, worth = float(arr.sum()), float(raw[grand])
    if abs(excess[grand]) > tol:
        side = "less" if shared < worth else "more"
        note = "" if (shared < worth) != game.cost else ", so it is not feasible"
        return CoreCheck(
            False,
            everyone,
            float(excess[grand]),
            f"the allocation shares out {shared:g}, {side} than v(N) = {worth:g}{note}",
        )
    if proper.size and worst_excess > tol:
        label = tuple(p for i, p in enumerate(game.players) if worst >> i & 1)
        got = float(co.coalition_sums(arr)[worst])
        if game.cost:
            reason = (
                f"coalition {game.coalition_label(worst)} would pay {raw[worst]:g} on "
                f"its own but is charged {got:g}"
            )
        else:
            reason = (
                f"coalition {game.coalition_label(worst)} can secure {raw[worst]:g} but "
                f"gets {got:g}"
            )
        return CoreCheck(False, label, worst_excess, reason)
    return CoreCheck(
        True,
        None,
        max(worst_excess, 0.0) if proper.size else 0.0,
        "no coalition can do better on its own",
    )


def _solve(c: np.ndarray, **kwargs: Any) -> Any:
    res = linprog(c, method="highs", **kwargs)
    if res.status != 0:
        raise SolverError(f"HiGHS failed on a cooperative-game LP: {res.message}")
    return res


def least_core(game: CooperativeGame, tol: float = 1e-9) -> LeastCore:
    """Least core: minimise epsilon subject to ``e(S, x) <= epsilon`` and ``x(N) = v(N)``.

    Same as :meth:`CooperativeGame.least_core`, which documents the concept and its source.

    Parameters
    ----------
    game : CooperativeGame
        The game (profit or cost).
    tol : float, default 1e-9
        Tolerance, relative to the largest ``|v(S)|`` (:func:`scaled_tol`), >= 0.

    Returns
    -------
    LeastCore
        ``epsilon`` and one allocation of the least core.

    Raises
    ------
    SizeLimitError
        When ``n > NUCLEOLUS_MAX_PLAYERS``.

    Examples
    --------
    >>> from alliance.games.cooperative import weighted_voting
    >>> least_core(weighted_voting(2, [1, 1, 1]))
    LeastCore(epsilon=0.333333, Allocation(least core: P1=0.333333, P2=0.333333, P3=0.333333))
    """
    profit = _lp_table(game, "the least core")
    n = game.n
    if n == 1:
        eps, x = 0.0, np.array([game.grand_value])
    else:
        rows = _proper_coalitions(n)
        res = _solve(
            np.r_[np.zeros(n), 1.0],
            A_ub=np.hstack([-rows, -np.ones((rows.shape[0], 1))]),
            b_ub=-profit[1:-1],
            A_eq=np.r_[np.ones(n), 0.0][None, :],
            b_eq=[profit[-1]],
            bounds=[(None, None)] * (n + 1),
        )
        eps, x = float(res.x[-1]), res.x[:n] * _sign(game)
    allocation = Allocation(
        x,
        game.players,
        method="least core",
        details={
            "epsilon": eps,
            "tolerance": scaled_tol(game, tol),
            "algorithm": "linear programme (HiGHS)",
        },
    )
    return LeastCore(eps, allocation)


def nucleolus(game: CooperativeGame, imputations: bool = True, tol: float = 1e-9) -> Allocation:
    """Nucleolus (or prenucleolus) by sequential LPs; see the module docstring.

    Same as :meth:`CooperativeGame.nucleolus`, which documents the concept and its source.

    Parameters
    ----------
    game : CooperativeGame
        The game (profit or cost).
    imputations : bool, default True
        Search the imputations; ``False`` gives the prenucleolus.
    tol : float, default 1e-9
        Tolerance, relative to the largest ``|v(S)|`` (:func:`scaled_tol`), >= 0.

    Returns
    -------
    Allocation
        The nucleolus.

    Raises
    ------
    SizeLimitError
        When ``n > NUCLEOLUS_MAX_PLAYERS``.

    Examples
    --------
    The Talmud's estate of 200 among claims 100, 200, 300 (Aumann and Maschler 1985):

    >>> from alliance.games.cooperative import bankruptcy
    >>> nucleolus(bankruptcy(200, [100, 200, 300])).values.round(6).tolist()
    [50.0, 75.0, 75.0]
    """
    profit = _lp_table(game, "the nucleolus")
    n = game.n
    scale = max(1.0, float(np.abs(profit).max()))
    grand = float(profit[-1])
    singles = profit[1 << np.arange(n)]
    if imputations and singles.sum() > grand + tol * scale:
        raise InvalidGameError(
            f"the imputation set is empty: the players' own worths sum to {singles.sum():g}, "
            f"more than v(N) = {grand:g}; use nucleolus(imputations=False) for the prenucleolus"
        )
    name = "nucleolus" if imputations else "prenucleolus"
    if n == 1:
        return Allocation(
            np.array([game.grand_value]), game.players, method=name, details={"stages": 0}
        )
    rows = _proper_coalitions(n)
    worth = profit[1:-1]
    bounds = [(float(s), None) for s in singles] if imputations else [(None, None)] * n
    bounds.append((None, None))
    fixed_rows: list[np.ndarray] = [np.ones(n)]
    fixed_values: list[float] = [grand]
    basis = np.ones((n, 1)) / np.sqrt(n)
    active = np.ones(rows.shape[0], dtype=bool)
    rank_tol = 1e-9
    stages = 0
    levels: list[float] = []
    while basis.shape[1] < n:
        stages += 1
        idx = np.flatnonzero(active)
        res = _solve(
            np.r_[np.zeros(n), 1.0],
            A_ub=np.hstack([-rows[idx], -np.ones((idx.size, 1))]),
            b_ub=-worth[idx],
            A_eq=np.hstack([np.array(fixed_rows), np.zeros((len(fixed_rows), 1))]),
            b_eq=np.array(fixed_values),
            bounds=bounds,
        )
        eps = float(res.x[-1])
        levels.append(eps)
        duals = -np.asarray(res.ineqlin.marginals)
        tight = np.flatnonzero(duals > tol)
        if tight.size == 0:  # the duals sum to one, so this only guards round-off
            tight = np.array([int(np.argmax(duals))])
        # The positive duals of one vertex number at most n + 1: a short loop.
        for j in tight[np.argsort(-duals[tight])]:
            row = rows[idx[j]]
            resid = row - basis @ (basis.T @ row)
            norm = float(np.linalg.norm(resid))
            if norm > rank_tol * np.sqrt(n):
                basis = np.hstack([basis, (resid / norm)[:, None]])
                fixed_rows.append(row)
                fixed_values.append(float(worth[idx[j]] - eps))
        if basis.shape[1] >= n:
            break
        spanned = rows[idx] - (rows[idx] @ basis) @ basis.T
        active[idx] = np.linalg.norm(spanned, axis=1) > rank_tol * np.sqrt(n)
        if not active.any():
            raise SolverError(
                f"{name}: the fixed coalitions do not determine x (rank "
                f"{basis.shape[1]} < {n}); this should not happen"
            )
    x = np.linalg.solve(np.array(fixed_rows), np.array(fixed_values))
    return Allocation(
        x * _sign(game) + 0.0,
        game.players,
        method=name,
        details={"stages": stages, "levels": tuple(levels), "algorithm": "sequential LPs (HiGHS)"},
    )


def is_convex(game: CooperativeGame, tol: float = 1e-9) -> bool:
    """Supermodularity: ``v(S+i+j) - v(S+i) - v(S+j) + v(S) >= 0`` for all ``S``, ``i != j``.

    Same as :meth:`CooperativeGame.is_convex`, which documents the concept and its source.

    Parameters
    ----------
    game : CooperativeGame
        The game (profit or cost).
    tol : float, default 1e-9
        Tolerance, relative to the largest ``|v(S)|`` (:func:`scaled_tol`), >= 0.

    Returns
    -------
    bool
        ``True`` for a convex (cost game: concave) game.

    Examples
    --------
    >>> from alliance.games.cooperative import bankruptcy
    >>> is_convex(bankruptcy(200, [100, 200, 300]))
    True
    """
    profit = game._profit_table("the convexity check")
    n = game.n
    slack = -scaled_tol(game, tol)
    for j in range(1, n):  # n(n-1)/2 vectorised passes over 2**(n-2) coalitions each
        for i in range(j):
            p = profit.reshape(-1, 2, 1 << (j - i - 1), 2, 1 << i)
            second = p[:, 1, :, 1, :] - p[:, 1, :, 0, :] - p[:, 0, :, 1, :] + p[:, 0, :, 0, :]
            if second.min() < slack:
                return False
    return True


def core_bounds(game: CooperativeGame, tol: float = 1e-9) -> pd.DataFrame:
    """Each player's smallest and largest payoff over the core.

    Same as :meth:`CooperativeGame.core_bounds`, which documents the concept and its source.

    Parameters
    ----------
    game : CooperativeGame
        The game (profit or cost).
    tol : float, default 1e-9
        Tolerance, relative to the largest ``|v(S)|`` (:func:`scaled_tol`), >= 0.

    Returns
    -------
    pandas.DataFrame
        Indexed by ``player``; columns ``min`` and ``max``.

    Raises
    ------
    SolverError
        When the core is empty.

    Examples
    --------
    >>> from alliance.games.cooperative import glove
    >>> core_bounds(glove(1, 2)).round(6).loc["L1"].tolist()
    [1.0, 1.0]
    """
    profit = _lp_table(game, "core_bounds")
    n = game.n
    eps = least_core(game, tol).epsilon
    if eps > scaled_tol(game, tol):
        raise SolverError(
            f"core_bounds: the core is empty (least-core epsilon {eps:g} > 0); "
            "least_core() gives the smallest relaxation that is not"
        )
    # Relax by the least-core epsilon only (0 up to round-off), so that a core that is a
    # single point stays feasible for HiGHS without being widened.
    slack = max(eps, 0.0)
    rows = _proper_coalitions(n)
    sign = _sign(game)
    kwargs = dict(
        A_ub=-rows,
        b_ub=-(profit[1:-1] - slack),
        A_eq=np.ones((1, n)),
        b_eq=[profit[-1]],
        bounds=[(None, None)] * n,
    )
    out = np.empty((n, 2))
    for i in range(n):  # 2n programmes
        for k, direction in enumerate((1.0, -1.0)):
            c = np.zeros(n)
            c[i] = direction
            res = linprog(c, method="highs", **kwargs)
            if res.status == 2:
                raise SolverError(
                    "core_bounds: the core is empty (core_is_empty() is True); "
                    "least_core() gives the smallest relaxation that is not"
                )
            if res.status != 0:
                raise SolverError(f"HiGHS failed in core_bounds: {res.message}")
            out[i, k] = res.x[i]
    low, high = (out[:, 0], out[:, 1]) if sign > 0 else (-out[:, 1], -out[:, 0])
    return pd.DataFrame({"min": low, "max": high}, index=pd.Index(game.players, name="player"))
