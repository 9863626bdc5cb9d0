"""DebtRank: how far distress at some nodes spreads through a network of exposures.

Battiston et al. (2012) measure the systemic impact of a shock by the equity it destroys
*beyond* the shock itself. Node ``i`` holds claims ``A[i, j]`` on node ``j``; if ``j`` loses the
share ``h_j`` of its equity, ``i`` loses :math:`W_{ij} h_j` of its own, with impact matrix

.. math:: W_{ij} = \\min\\bigl(1, A_{ij} / E_i\\bigr).

Each node is *undistressed* (U), *distressed* (D) or *inactive* (I). Starting from the shock
:math:`h(1)`, with the shocked nodes distressed, every round

.. math::

    h_i(t) = \\min\\Bigl(1,\\ h_i(t-1) + \\sum_{j:\\,S_j(t-1) = D} W_{ij}\\, h_j(t-1)\\Bigr),

distressed nodes become inactive and nodes newly hit become distressed: each node passes its
distress on exactly once, so the process stops after at most ``n`` rounds even on cycles. The
DebtRank of the shock is :math:`R = \\sum_j v_j h_j(T) - \\sum_j v_j h_j(1)`.

Weights. :math:`v_j` is the relative economic value of node ``j``. By default we take its
share of the total equity, :math:`v_j = E_j / \\sum_k E_k`, so that :math:`R` reads "the
share of the system's equity destroyed by propagation"; Battiston et al. use the relative
size of the node (its share of the total exposures), which ``weights=`` allows.

References
----------
Battiston, S., Puliga, M., Kaushik, R., Tasca, P., & Caldarelli, G. (2012). DebtRank: too
central to fail? Financial networks, the FED and systemic risk. *Scientific Reports*, 2, 541.

Bardoscia, M., Battiston, S., Caccioli, F., & Caldarelli, G. (2015). DebtRank: a microscopic
foundation for shock propagation. *PLoS ONE*, 10(6), e0130406 (discusses the
under-estimation caused by the "propagate once" rule kept here for fidelity to the original).
"""

from __future__ import annotations

import html
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
import scipy.sparse as sp

from alliance.errors import NetworkError, ParameterError

__all__ = ["DebtRankResult", "debtrank", "systemic_impact"]

UNDISTRESSED, DISTRESSED, INACTIVE = 0, 1, 2
_STATUS_NAMES = np.array(["undistressed", "distressed", "inactive"])


@dataclass(frozen=True, eq=False)
class DebtRankResult:
    """The outcome of a DebtRank propagation.

    Parameters
    ----------
    distress : numpy.ndarray
        Final relative equity loss :math:`h_j(T)` of each node, in [0, 1].
    initial_distress : numpy.ndarray
        The shock :math:`h_j(1)`.
    status : numpy.ndarray of str
        Final status of each node: ``"undistressed"`` (never hit) or ``"inactive"`` (hit,
        and has passed its distress on).
    weights : numpy.ndarray
        The economic-value weights :math:`v_j` (sum to 1).
    names : tuple
        Node labels.
    rounds : int
        Propagation rounds in which some node was distressed.

    Examples
    --------
    >>> import numpy as np
    >>> A = np.array([[0, 5, 0], [0, 0, 10], [10, 0, 0]])
    >>> r = debtrank(A, [10, 20, 5], {"B": 0.4}, names=["A", "B", "C"])
    >>> r.names, r.status.tolist()
    (('A', 'B', 'C'), ['inactive', 'inactive', 'inactive'])
    """

    distress: np.ndarray
    initial_distress: np.ndarray
    status: np.ndarray
    weights: np.ndarray
    names: tuple
    rounds: int

    @property
    def debtrank(self) -> float:
        """:math:`R = \\sum_j v_j h_j(T) - \\sum_j v_j h_j(1)`: the value lost to propagation."""
        return float(self.weights @ self.distress - self.weights @ self.initial_distress)

    @property
    def total_distress(self) -> float:
        """:math:`\\sum_j v_j h_j(T)`: the value lost in all, the shock included."""
        return float(self.weights @ self.distress)

    @property
    def induced_distress(self) -> np.ndarray:
        """Each node's distress beyond its own shock, :math:`h_j(T) - h_j(1)`."""
        return self.distress - self.initial_distress

    def to_frame(self) -> pd.DataFrame:
        """One row per node: shock, final distress, induced distress, status, weight.

        Returns
        -------
        pandas.DataFrame
            Columns ``initial_distress``, ``distress``, ``induced_distress``, ``status`` and
            ``weight``, indexed by ``node``.

        Examples
        --------
        >>> import numpy as np
        >>> A = np.array([[0, 5, 0], [0, 0, 10], [10, 0, 0]])
        >>> r = debtrank(A, [10, 20, 5], {"B": 0.4}, names=["A", "B", "C"])
        >>> r.to_frame()["distress"].round(6).tolist()
        [0.2, 0.5, 0.2]
        """
        return pd.DataFrame(
            {
                "initial_distress": self.initial_distress,
                "distress": self.distress,
                "induced_distress": self.induced_distress,
                "status": self.status,
                "weight": self.weights,
            },
            index=pd.Index(list(self.names), name="node"),
        )

    def __repr__(self) -> str:
        hit = int(np.count_nonzero(self.distress > 0))
        return (
            f"DebtRankResult(DebtRank {self.debtrank:.6g}, total distress "
            f"{self.total_distress:.6g}; {hit} of {len(self.names)} nodes hit, "
            f"{self.rounds} round(s))"
        )

    def _repr_html_(self) -> str:
        try:
            return f"<p>{html.escape(repr(self))}</p>" + self.to_frame().to_html()
        except Exception:  # a display hook must never raise
            return "<pre>" + html.escape(repr(self)) + "</pre>"


# -- input ----------------------------------------------------------------------------------
def _impact_matrix(exposures: Any, equity: Any, names: Sequence[Any] | None):
    """Validate the inputs; return (W, equity, names) with W sparse or dense like the input."""
    if sp.issparse(exposures):
        matrix = sp.csr_array(exposures, dtype=float)
        coo = matrix.tocoo()
        rows, cols, vals = coo.row, coo.col, coo.data
    else:
        try:
            matrix = np.asarray(exposures, dtype=float)
        except (TypeError, ValueError) as err:
            raise NetworkError(f"exposures cannot be read as a numeric matrix: {err}") from err
        if matrix.ndim == 2:
            rows, cols = np.nonzero(~(matrix == 0))
            vals = matrix[rows, cols]
    if matrix.ndim != 2 or matrix.shape[0] != matrix.shape[1]:
        raise NetworkError(f"exposures has shape {matrix.shape}; it must be a square (n, n) matrix")
    n = matrix.shape[0]
    if names is None:
        names = tuple(range(n))
    else:
        names = tuple(names)
        if len(names) != n:
            raise ParameterError(f"names has {len(names)} entries; the network has {n} nodes")
        if len(set(names)) != n:
            raise ParameterError("names contains duplicates; names must be unique")
    bad = np.flatnonzero(~np.isfinite(vals) | (vals < 0))
    if bad.size:
        k = bad[0]
        raise NetworkError(
            f"exposures of {names[rows[k]]!r} to {names[cols[k]]!r} is {vals[k]}; "
            "it must be a finite number >= 0"
        )
    self_loop = np.flatnonzero(rows == cols)
    if self_loop.size:
        k = self_loop[0]
        raise NetworkError(
            f"exposures of {names[rows[k]]!r} to itself is {vals[k]}; the diagonal must be zero"
        )
    try:
        capital = np.asarray(equity, dtype=float)
    except (TypeError, ValueError) as err:
        raise ParameterError(f"equity cannot be read as numbers: {err}") from err
    if capital.shape != (n,):
        raise ParameterError(f"equity has shape {capital.shape}; it must have shape ({n},)")
    bad = np.flatnonzero(~np.isfinite(capital) | (capital <= 0))
    if bad.size:
        i = int(bad[0])
        raise ParameterError(f"equity of {names[i]!r} is {capital[i]}; it must be finite and > 0")
    if sp.issparse(matrix):
        impact = sp.csr_array(sp.diags_array(1.0 / capital) @ matrix)
        impact.data = np.minimum(impact.data, 1.0)
    else:
        impact = np.minimum(matrix / capital[:, None], 1.0)
    return impact, capital, names


def _weights(weights: Any, capital: np.ndarray, names: tuple) -> np.ndarray:
    if weights is None:
        return capital / capital.sum()
    if isinstance(weights, Mapping):
        weights = _by_name(weights, names, "weights", fill=0.0)
    try:
        v = np.asarray(weights, dtype=float)
    except (TypeError, ValueError) as err:
        raise ParameterError(f"weights cannot be read as numbers: {err}") from err
    n = len(names)
    if v.shape != (n,):
        raise ParameterError(f"weights has shape {v.shape}; it must have shape ({n},)")
    bad = np.flatnonzero(~np.isfinite(v) | (v < 0))
    if bad.size:
        i = int(bad[0])
        raise ParameterError(f"weight of {names[i]!r} is {v[i]}; it must be finite and >= 0")
    if v.sum() <= 0:
        raise ParameterError("weights sum to 0; at least one weight must be positive")
    return v / v.sum()


def _by_name(values: Mapping, names: tuple, field: str, fill: float) -> np.ndarray:
    index = {name: k for k, name in enumerate(names)}
    out = np.full(len(names), fill, dtype=float)
    for key, value in values.items():
        if key not in index:
            raise ParameterError(f"{field} names {key!r}, which is not a node of the network")
        try:
            out[index[key]] = float(value)
        except (TypeError, ValueError) as err:
            raise ParameterError(f"{field} of {key!r} is {value!r}; it must be a number") from err
    return out


def _shock(shock: Any, names: tuple) -> np.ndarray:
    if isinstance(shock, Mapping):
        h = _by_name(shock, names, "shock", fill=0.0)
    else:
        try:
            h = np.asarray(shock, dtype=float)
        except (TypeError, ValueError) as err:
            raise ParameterError(f"shock cannot be read as numbers: {err}") from err
        if h.shape != (len(names),):
            raise ParameterError(
                f"shock has shape {h.shape}; it must have shape ({len(names)},) or be a dict"
            )
    bad = np.flatnonzero(~(h >= 0) | ~(h <= 1))
    if bad.size:
        i = int(bad[0])
        raise ParameterError(f"shock of {names[i]!r} is {h[i]}; it must lie in [0, 1]")
    return h


# -- kernel ---------------------------------------------------------------------------------
def _propagate(impact, h: np.ndarray, max_rounds: int) -> tuple[np.ndarray, np.ndarray, int]:
    """Run DebtRank on the columns of ``h`` (one scenario per column) at once."""
    status = np.where(h > 0, DISTRESSED, UNDISTRESSED)
    rounds = 0
    while rounds < max_rounds and (status == DISTRESSED).any():
        rounds += 1
        spreading = np.where(status == DISTRESSED, h, 0.0)
        h = np.minimum(1.0, h + impact @ spreading)
        status = np.where(
            status == DISTRESSED,
            INACTIVE,
            np.where((status == UNDISTRESSED) & (h > 0), DISTRESSED, status),
        )
    return h, status, rounds


def _check_max_rounds(max_rounds: int | None, n: int) -> int:
    if max_rounds is None:
        return n + 1  # each node is distressed in at most one round
    if not (isinstance(max_rounds, (int, np.integer)) and max_rounds >= 0):
        raise ParameterError(f"max_rounds is {max_rounds!r}; it must be an integer >= 0")
    return int(max_rounds)


def debtrank(
    exposures: Any,
    equity: Any,
    shock: Mapping[Any, float] | Sequence[float] | np.ndarray,
    *,
    names: Sequence[Any] | None = None,
    weights: Mapping[Any, float] | Sequence[float] | np.ndarray | None = None,
    max_rounds: int | None = None,
) -> DebtRankResult:
    """Propagate a distress shock through a network of exposures (Battiston et al. 2012).

    Parameters
    ----------
    exposures : array_like or scipy.sparse matrix, shape (n, n)
        ``exposures[i, j]`` is node ``i``'s claim on node ``j`` (what ``i`` loses if ``j``
        is wiped out); >= 0, finite, zero diagonal. Same unit as ``equity``.
    equity : array_like, shape (n,)
        Each node's equity (> 0).
    shock : dict or array_like
        Initial relative equity loss :math:`h_j(1)` in [0, 1], as an array or a dict
        ``{name: h}`` (nodes not named get 0).
    names : sequence, optional
        Node labels (default ``0 .. n-1``).
    weights : dict or array_like, optional
        Economic-value weights :math:`v_j` (>= 0; normalised to sum to 1). Default: the
        equity shares :math:`E_j / \\sum_k E_k`.
    max_rounds : int, optional
        Stop after this many rounds (default: run until nobody is distressed, at most
        ``n + 1`` rounds).

    Returns
    -------
    DebtRankResult
        Final distress per node, statuses, rounds and the DebtRank ``R``.

    Raises
    ------
    NetworkError
        If ``exposures`` is not square, has negative or non-finite entries, or a non-zero
        diagonal.
    ParameterError
        If ``equity``, ``shock``, ``weights``, ``names`` or ``max_rounds`` are not admissible.

    Examples
    --------
    ``A`` holds a claim of 5 on ``B``, ``B`` 10 on ``C``, ``C`` 10 on ``A``; equities 10, 20,
    5. ``B`` loses 40 % of its equity:

    >>> import numpy as np
    >>> A = np.array([[0, 5, 0], [0, 0, 10], [10, 0, 0]])
    >>> r = debtrank(A, [10, 20, 5], {"B": 0.4}, names=["A", "B", "C"])
    >>> r.distress.round(6).tolist(), round(r.debtrank, 6), r.rounds
    ([0.2, 0.5, 0.2], 0.142857, 3)

    References
    ----------
    Battiston, S., Puliga, M., Kaushik, R., Tasca, P., & Caldarelli, G. (2012). DebtRank:
    too central to fail? Financial networks, the FED and systemic risk. *Scientific
    Reports*, 2, 541.
    """
    impact, capital, names = _impact_matrix(exposures, equity, names)
    v = _weights(weights, capital, names)
    h0 = _shock(shock, names)
    limit = _check_max_rounds(max_rounds, len(names))
    h, status, rounds = _propagate(impact, h0.copy(), limit)
    return DebtRankResult(
        distress=h,
        initial_distress=h0,
        status=_STATUS_NAMES[status],
        weights=v,
        names=names,
        rounds=rounds,
    )


def systemic_impact(
    exposures: Any,
    equity: Any,
    *,
    names: Sequence[Any] | None = None,
    weights: Mapping[Any, float] | Sequence[float] | np.ndarray | None = None,
    shock: float = 1.0,
    batch_size: int = 256,
) -> pd.Series:
    """The DebtRank of each node: the value lost when that node alone is hit.

    Node ``i``'s systemic impact is the DebtRank ``R`` of the shock :math:`h_i(1) =`
    ``shock``, :math:`h_j(1) = 0` otherwise (Battiston et al. 2012 use ``shock = 1``, the
    node's default). All ``n`` propagations run together, ``batch_size`` scenarios at a time,
    as matrix products.

    Parameters
    ----------
    exposures, equity, names, weights
        As in :func:`debtrank`.
    shock : float
        The distress given to the node, in (0, 1].
    batch_size : int
        Scenarios propagated at once (memory is ``n * batch_size`` floats).

    Returns
    -------
    pandas.Series
        DebtRank of each node, indexed by name, named ``"debtrank"``.

    Examples
    --------
    >>> import numpy as np
    >>> A = np.array([[0, 5, 0], [0, 0, 10], [10, 0, 0]])
    >>> systemic_impact(A, [10, 20, 5], names=["A", "B", "C"]).round(4).tolist()
    [0.4286, 0.2143, 0.3571]

    References
    ----------
    Battiston, S., Puliga, M., Kaushik, R., Tasca, P., & Caldarelli, G. (2012). DebtRank:
    too central to fail? *Scientific Reports*, 2, 541.
    """
    impact, capital, names = _impact_matrix(exposures, equity, names)
    v = _weights(weights, capital, names)
    if not (isinstance(shock, (int, float)) and 0 < shock <= 1):
        raise ParameterError(f"shock is {shock!r}; it must lie in (0, 1]")
    if not (isinstance(batch_size, (int, np.integer)) and batch_size >= 1):
        raise ParameterError(f"batch_size is {batch_size!r}; it must be a positive integer")
    n = len(names)
    values = np.empty(n)
    for start in range(0, n, batch_size):
        nodes = np.arange(start, min(n, start + batch_size))
        h0 = np.zeros((n, nodes.size))
        h0[nodes, np.arange(nodes.size)] = shock
        h, _, _ = _propagate(impact, h0, n + 1)
        values[nodes] = v @ h - v @ h0
    return pd.Series(values, index=pd.Index(list(names), name="node"), name="debtrank")
