"""Clearing payments in a network of obligations (Eisenberg & Noe 2001; Rogers & Veraart 2013).

Node ``i`` owes node ``j`` the nominal amount ``L[i, j]`` (a trade payable, an interbank loan)
and holds external assets ``e[i]``. Its total obligation is :math:`\\bar p_i = \\sum_j L_{ij}`
and it pays its creditors in proportion, :math:`\\Pi_{ij} = L_{ij} / \\bar p_i`. A *clearing
vector* ``p`` solves

.. math::

    p_i = \\begin{cases} \\bar p_i & \\text{if } e_i + (\\Pi^\\top p)_i \\ge \\bar p_i
    \\quad\\text{(solvent)} \\\\
    \\alpha e_i + \\beta (\\Pi^\\top p)_i & \\text{otherwise (in default)} \\end{cases}

With :math:`\\alpha = \\beta = 1` (no default costs) this is Eisenberg and Noe's
:math:`p = \\min(\\bar p, e + \\Pi^\\top p)`; with :math:`\\alpha, \\beta < 1` a defaulting node
realises only a share :math:`\\alpha` of its external assets and :math:`\\beta` of its interbank
receipts (Rogers & Veraart 2013). We return the *greatest* clearing vector, the one a
decentralised clearing mechanism selects, computed by the fictitious-default algorithm: assume
nobody defaults, find who cannot pay, solve the linear system for the payments of the
defaulters, repeat. The set of defaulters only grows, so at most ``n`` rounds are needed; each
round is one (sparse) linear solve.

Examples
--------
>>> import numpy as np
>>> from alliance.network.clearing import eisenberg_noe
>>> L = np.array([[0, 10, 0], [3, 0, 9], [5, 0, 0]])
>>> result = eisenberg_noe(L, [0, 2.5, 1], names=["A", "B", "C"])
>>> result.payments.round(6).tolist(), result.defaulters
([7.5, 10.0, 5.0], ('A', 'B'))

References
----------
Eisenberg, L., & Noe, T. H. (2001). Systemic risk in financial systems. *Management Science*,
47(2), 236–249.

Rogers, L. C. G., & Veraart, L. A. M. (2013). Failure and rescue in an interbank network.
*Management Science*, 59(4), 882–898.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
import scipy.sparse as sp
import scipy.sparse.linalg as spla

from alliance.errors import ConvergenceError, NetworkError, ParameterError
from alliance.numbers import check_probability

__all__ = ["ClearingResult", "eisenberg_noe", "trade_clearing_ratios"]

# Above this many defaulters a sparse system is solved iteratively rather than by sparse LU.
_DIRECT_LIMIT = 500
_WARM_START_ITERATIONS = 500


@dataclass(frozen=True, eq=False)
class ClearingResult:
    """The clearing payments of a network of obligations.

    Returned by :func:`eisenberg_noe`.

    Parameters
    ----------
    payments : numpy.ndarray
        What each node pays in total, :math:`p_i` (same unit as the liabilities).
    nominal : numpy.ndarray
        What each node owes in total, :math:`\\bar p_i`.
    external_assets : numpy.ndarray
        The external assets :math:`e_i` the computation started from.
    receipts : numpy.ndarray
        What each node receives from its debtors at the clearing vector, :math:`(\\Pi^\\top p)_i`.
    defaulted : numpy.ndarray of bool
        Whether the node cannot pay its obligations in full.
    names : tuple
        The node labels.
    rounds : int
        Linear solves of the fictitious-default algorithm (on a small network, the waves of
        default; 0 when nobody defaults), or iterations when the monotone fallback was
        needed.
    method : str
        ``"fictitious_default"`` or ``"monotone_iteration"`` (the fallback used when a
        closed group of defaulters makes the linear system singular).
    default_costs : tuple of float or None
        ``(alpha, beta)`` of Rogers & Veraart, or None for Eisenberg & Noe.

    References
    ----------
    Eisenberg, L., & Noe, T. H. (2001). Systemic risk in financial systems. *Management
    Science*, 47(2), 236–249.

    Examples
    --------
    >>> import numpy as np
    >>> L = np.array([[0, 10, 0], [3, 0, 9], [5, 0, 0]])
    >>> result = eisenberg_noe(L, [0, 2.5, 1], names=["A", "B", "C"])
    >>> result.n_defaults, round(result.total_shortfall, 6), result.method
    (2, 4.5, 'fictitious_default')
    """

    payments: np.ndarray
    nominal: np.ndarray
    external_assets: np.ndarray
    receipts: np.ndarray
    defaulted: np.ndarray
    names: tuple
    rounds: int
    method: str
    default_costs: tuple[float, float] | None = None

    @property
    def shortfall(self) -> np.ndarray:
        """What each node leaves unpaid, :math:`\\bar p_i - p_i` (zero for solvent nodes)."""
        return self.nominal - self.payments

    @property
    def recovery_rate(self) -> np.ndarray:
        """Share of its obligations each node pays, :math:`p_i / \\bar p_i` (1 if it owes nothing)."""
        with np.errstate(invalid="ignore", divide="ignore"):
            return np.where(self.nominal > 0, self.payments / self.nominal, 1.0)

    @property
    def net_worth(self) -> np.ndarray:
        """Book equity after clearing, :math:`e_i + (\\Pi^\\top p)_i - \\bar p_i` (negative in default)."""
        return self.external_assets + self.receipts - self.nominal

    @property
    def defaulters(self) -> tuple:
        """The names of the nodes in default."""
        return tuple(n for n, d in zip(self.names, self.defaulted, strict=True) if d)

    @property
    def n_defaults(self) -> int:
        """How many nodes default."""
        return int(np.count_nonzero(self.defaulted))

    @property
    def total_shortfall(self) -> float:
        """The sum of all unpaid obligations."""
        return float(self.shortfall.sum())

    def to_frame(self) -> pd.DataFrame:
        """One row per node: nominal obligations, payments, shortfall, receipts, default flag.

        Returns
        -------
        pandas.DataFrame
            Indexed by ``node``, with columns ``external_assets``, ``nominal``, ``payments``,
            ``shortfall``, ``recovery_rate``, ``receipts``, ``net_worth`` and ``defaulted``.

        Examples
        --------
        >>> import numpy as np
        >>> L = np.array([[0, 10, 0], [3, 0, 9], [5, 0, 0]])
        >>> frame = eisenberg_noe(L, [0, 2.5, 1], names=["A", "B", "C"]).to_frame()
        >>> frame["shortfall"].round(6).tolist(), frame["defaulted"].tolist()
        ([2.5, 2.0, 0.0], [True, True, False])
        """
        return pd.DataFrame(
            {
                "external_assets": self.external_assets,
                "nominal": self.nominal,
                "payments": self.payments,
                "shortfall": self.shortfall,
                "recovery_rate": self.recovery_rate,
                "receipts": self.receipts,
                "net_worth": self.net_worth,
                "defaulted": self.defaulted,
            },
            index=pd.Index(list(self.names), name="node"),
        )

    def __repr__(self) -> str:
        shown = ", ".join(repr(n) for n in self.defaulters[:8])
        if self.n_defaults > 8:
            shown += ", ..."
        model = (
            "Eisenberg-Noe"
            if self.default_costs is None
            else f"Rogers-Veraart alpha={self.default_costs[0]:g}, beta={self.default_costs[1]:g}"
        )
        return (
            f"ClearingResult({len(self.names)} nodes, {self.n_defaults} in default"
            f"{' [' + shown + ']' if shown else ''}, total shortfall {self.total_shortfall:.6g}"
            f" | {model}, {self.method}, {self.rounds} round(s))"
        )

    def _repr_html_(self) -> str:
        try:
            return f"<p>{html.escape(repr(self))}</p>" + self.to_frame().to_html()
        except Exception:  # a display hook must never raise
            return "<pre>" + html.escape(repr(self)) + "</pre>"


# -- validation -----------------------------------------------------------------------------
def _check_names(names: Sequence[Any] | None, n: int) -> tuple:
    if names is None:
        return tuple(range(n))
    names = tuple(names)
    if len(names) != n:
        raise ParameterError(f"names has {len(names)} entries; the network has {n} nodes")
    if len(set(names)) != n:
        dup = next(x for x in names if names.count(x) > 1)
        raise ParameterError(f"names contains {dup!r} more than once; names must be unique")
    return names


def _check_liabilities(liabilities: Any) -> sp.csr_array | np.ndarray:
    if sp.issparse(liabilities):
        matrix = sp.csr_array(liabilities, dtype=float)
    else:
        try:
            matrix = np.asarray(liabilities, dtype=float)
        except (TypeError, ValueError) as err:
            raise NetworkError(f"liabilities cannot be read as a numeric matrix: {err}") from err
    if matrix.ndim != 2 or matrix.shape[0] != matrix.shape[1]:
        raise NetworkError(
            f"liabilities has shape {matrix.shape}; it must be a square (n, n) matrix"
        )
    return matrix


def _entry(matrix, names, value_test, what: str) -> None:
    """Raise a NetworkError naming the first entry of ``matrix`` that fails ``value_test``."""
    if sp.issparse(matrix):
        coo = matrix.tocoo()
        bad = np.flatnonzero(value_test(coo.data))
        if bad.size:
            k = bad[0]
            i, j, v = coo.row[k], coo.col[k], coo.data[k]
        else:
            return
    else:
        bad = np.argwhere(value_test(matrix))
        if not bad.size:
            return
        i, j = bad[0]
        v = matrix[i, j]
    raise NetworkError(f"liabilities of {names[i]!r} to {names[j]!r} is {v}; {what}")


def _check_fraction(value: Any, field: str) -> float:
    return check_probability(value, field)  # also refuses NaN


# -- algorithm ------------------------------------------------------------------------------
def eisenberg_noe(
    liabilities: Any,
    external_assets: Any,
    *,
    names: Sequence[Any] | None = None,
    default_costs: tuple[float, float] | None = None,
    tol: float = 1e-12,
    max_iter: int = 100_000,
) -> ClearingResult:
    """The greatest clearing vector of a network of obligations.

    Parameters
    ----------
    liabilities : array_like or scipy.sparse matrix, shape (n, n)
        ``liabilities[i, j]`` is the nominal amount node ``i`` owes node ``j`` (>= 0, finite,
        zero diagonal). A sparse matrix keeps the computation sparse.
    external_assets : array_like, shape (n,)
        Each node's assets outside the network (>= 0, same unit as the liabilities).
    names : sequence, optional
        Labels of the nodes (default ``0 .. n-1``).
    default_costs : (alpha, beta), optional
        Rogers & Veraart (2013) default costs: a defaulting node realises the share ``alpha``
        of its external assets and ``beta`` of its interbank receipts (both in [0, 1]).
        None (the default) is Eisenberg & Noe, ``alpha = beta = 1``.
    tol : float
        Tolerance, relative to the largest obligation or asset, for deciding default and
        for the convergence of the fallback iteration.
    max_iter : int
        Iterations allowed to the monotone fallback (used only when the linear system of the
        fictitious-default algorithm is singular).

    Returns
    -------
    ClearingResult
        Payments, default flags, shortfalls and receipts, node by node.

    Raises
    ------
    NetworkError
        If ``liabilities`` is not square, has negative, NaN or infinite entries, or a
        non-zero diagonal.
    ParameterError
        If ``external_assets``, ``names``, ``default_costs``, ``tol`` or ``max_iter`` are not
        admissible.
    ConvergenceError
        If the fallback iteration does not converge within ``max_iter`` iterations.

    Examples
    --------
    ``A`` owes ``B`` 10; ``B`` owes ``A`` 3 and ``C`` 9; ``C`` owes ``A`` 5. ``A`` has no
    external assets, so it defaults, and its shortfall drags ``B`` into default:

    >>> import numpy as np
    >>> L = np.array([[0, 10, 0], [3, 0, 9], [5, 0, 0]])
    >>> r = eisenberg_noe(L, [0, 2.5, 1], names=["A", "B", "C"])
    >>> r
    ClearingResult(3 nodes, 2 in default ['A', 'B'], total shortfall 4.5 | Eisenberg-Noe, fictitious_default, 2 round(s))
    >>> r.shortfall.round(6).tolist()
    [2.5, 2.0, 0.0]
    >>> eisenberg_noe(L, [0, 2.5, 1], default_costs=(0.5, 1.0)).payments.round(4).tolist()
    [7.0833, 8.3333, 5.0]

    References
    ----------
    Eisenberg, L., & Noe, T. H. (2001). Systemic risk in financial systems. *Management
    Science*, 47(2), 236–249.

    Rogers, L. C. G., & Veraart, L. A. M. (2013). Failure and rescue in an interbank network.
    *Management Science*, 59(4), 882–898.
    """
    matrix = _check_liabilities(liabilities)
    n = matrix.shape[0]
    names = _check_names(names, n)
    _entry(matrix, names, lambda v: ~np.isfinite(v), "it must be a finite number")
    _entry(matrix, names, lambda v: v < 0, "it must be >= 0")
    diagonal = matrix.diagonal()
    if np.any(diagonal != 0):
        i = int(np.flatnonzero(diagonal)[0])
        raise NetworkError(
            f"liabilities of {names[i]!r} to itself is {diagonal[i]}; the diagonal must be zero"
        )

    try:
        e = np.asarray(external_assets, dtype=float)
    except (TypeError, ValueError) as err:
        raise ParameterError(f"external_assets cannot be read as numbers: {err}") from err
    if e.shape != (n,):
        raise ParameterError(f"external_assets has shape {e.shape}; it must have shape ({n},)")
    bad = np.flatnonzero(~np.isfinite(e) | (e < 0))
    if bad.size:
        i = int(bad[0])
        raise ParameterError(
            f"external_assets of {names[i]!r} is {e[i]}; it must be a finite number >= 0"
        )
    if default_costs is None:
        alpha = beta = 1.0
    else:
        try:
            a, b = default_costs
        except (TypeError, ValueError) as err:
            raise ParameterError(
                f"default_costs is {default_costs!r}; it must be a pair (alpha, beta)"
            ) from err
        alpha = _check_fraction(a, "default_costs alpha")
        beta = _check_fraction(b, "default_costs beta")
    if not (isinstance(tol, (int, float)) and 0 < tol < 1):
        raise ParameterError(f"tol is {tol!r}; it must be a number in (0, 1)")
    if not (isinstance(max_iter, (int, np.integer)) and max_iter >= 1):
        raise ParameterError(f"max_iter is {max_iter!r}; it must be a positive integer")

    sparse = sp.issparse(matrix)
    nominal = np.asarray(matrix.sum(axis=1), dtype=float).ravel()
    # Divide each entry by its row total (not multiply by 1 / total, which overflows for a
    # subnormal total): every share L_ij / pbar_i then lies in [0, 1].
    safe = np.where(nominal > 0, nominal, 1.0)
    if sparse:
        coo = matrix.tocoo()
        relative_t = sp.csr_array((coo.data / safe[coo.row], (coo.col, coo.row)), shape=(n, n))
    else:
        relative_t = (matrix / safe[:, None]).T
    scale = max(1.0, float(nominal.max(initial=0.0)), float(e.max(initial=0.0)))
    atol = tol * scale

    def in_default(p: np.ndarray) -> np.ndarray:
        return nominal - (e + relative_t @ p) > atol

    payments = nominal.copy()
    if sparse and n > _DIRECT_LIMIT:
        # Warm start: every iterate of the monotone map stays above the greatest clearing
        # vector, so its defaulters are true defaulters and the algorithm below stays exact;
        # the linear solves then start close to their solution.
        payments = _monotone_iteration(
            relative_t, nominal, e, alpha, beta, atol, _WARM_START_ITERATIONS, strict=False
        )[0]
    defaulted = in_default(payments)
    rounds = 0
    method = "fictitious_default"
    while defaulted.any():
        rounds += 1
        solved = _solve_defaulters(
            relative_t, nominal, e, defaulted, alpha, beta, sparse, payments, tol
        )
        if solved is None:  # a closed group of defaulters: the linear system is singular
            payments, rounds = _monotone_iteration(
                relative_t, nominal, e, alpha, beta, atol, max_iter
            )
            method = "monotone_iteration"
            break
        payments = solved
        updated = defaulted | in_default(payments)
        if np.array_equal(updated, defaulted):
            break
        defaulted = updated
    receipts = np.asarray(relative_t @ payments, dtype=float)
    return ClearingResult(
        payments=payments,
        nominal=nominal,
        external_assets=e,
        receipts=receipts,
        defaulted=in_default(payments),
        names=names,
        rounds=rounds,
        method=method,
        default_costs=None if default_costs is None else (alpha, beta),
    )


def _solve_defaulters(relative_t, nominal, e, defaulted, alpha, beta, sparse, guess, tol):
    """Payments when exactly ``defaulted`` default and the others pay in full.

    Solves :math:`(I - \\beta\\Pi_{DD}^\\top) p_D = \\alpha e_D + \\beta \\Pi_{SD}^\\top \\bar p_S`;
    returns None when the system is singular (possible only with ``beta = 1``).
    """
    d = np.flatnonzero(defaulted)
    s = np.flatnonzero(~defaulted)
    rows = relative_t[d]
    block_dd = rows[:, d]
    rhs = alpha * e[d] + beta * (rows[:, s] @ nominal[s])
    solution = None
    with np.errstate(all="ignore"):
        if not sparse:
            try:
                solution = np.linalg.solve(np.eye(d.size) - beta * block_dd, rhs)
            except np.linalg.LinAlgError:
                return None
        else:
            system = sp.csr_array(sp.eye_array(d.size) - beta * block_dd)
            if d.size > _DIRECT_LIMIT:
                # LU of a random sparse network fills in badly; the system is an M-matrix,
                # so a Krylov solver started from the previous payments converges fast.
                x, info = spla.bicgstab(system, rhs, x0=guess[d], rtol=tol, atol=0.0)
                if info == 0:
                    solution = x
            if solution is None:
                try:
                    solution = spla.splu(sp.csc_array(system)).solve(rhs)
                except RuntimeError:
                    return None
    upper = nominal[d] * (1 + 1e-9) + 1e-9
    # A nearly singular system gives a numerically meaningless solution: fall back then too.
    if not np.all(np.isfinite(solution)) or np.any(solution < -1e-9) or np.any(solution > upper):
        return None
    payments = nominal.copy()
    payments[d] = np.clip(solution, 0.0, nominal[d])
    return payments


def _monotone_iteration(relative_t, nominal, e, alpha, beta, atol, max_iter, strict=True):
    """Iterate the clearing map from the nominal payments: it decreases to the greatest fixed point."""
    payments = nominal.copy()
    for iteration in range(1, max_iter + 1):
        receipts = relative_t @ payments
        solvent = e + receipts >= nominal - atol
        updated = np.where(solvent, nominal, np.minimum(nominal, alpha * e + beta * receipts))
        step = float(np.max(np.abs(updated - payments), initial=0.0))
        payments = updated
        if step <= atol:
            return payments, iteration
    if not strict:
        return payments, max_iter
    raise ConvergenceError(
        f"clearing iteration did not converge in max_iter={max_iter} iterations "
        f"(last step {step:.3g}); raise max_iter or tol"
    )


# -- the clearing ratios of the defaulted debtors of many scenarios at once ------------------
def trade_clearing_ratios(
    topo: Any,
    keys: np.ndarray,
    *,
    loans: np.ndarray,
    pledged: np.ndarray,
    present: np.ndarray | None = None,
    config_of_cell: np.ndarray | None = None,
    tol: float = 1e-13,
    max_rounds: int = 10_000,
) -> np.ndarray:
    r"""What each defaulted node pays per unit of its trade debts, in many scenarios at once.

    The rule of docs/credit_v2.md ("Financing chains: what a defaulted debtor pays"): a
    defaulted node ``k`` owes its trade creditors :math:`T_k = \sum_i t_{ki}` and the bank its
    loan :math:`L_k`; all of them are paid the same share :math:`\pi_k` (its clearing ratio),
    from assets worth :math:`(1 - \lambda_k)(L_k + T_k)` when every receivable it has not
    pledged to the bank is collected in full (its loss given default :math:`\lambda_k`, the
    bank's all-in rate, with its customers' risk included), less what it fails to collect on
    those receivables because its own debtors defaulted:

    .. math::

        \pi_k = \min\Bigl(1, \max\Bigl(0,\; 1 - \lambda_k - \frac{\sum_{j \in D,\ j \to k
        \text{ not pledged}} t_{jk} (1 - \pi_j)}{L_k + T_k}\Bigr)\Bigr),

    with :math:`D` the scenario's default set; a node outside ``D`` pays in full
    (:math:`\pi_j = 1`). This is an Eisenberg & Noe (2001) clearing system on the trade
    network of the defaulters, with external assets
    :math:`(1 - \lambda_k)(L_k + T_k) - \sum_j t_{jk}`; its greatest solution (the one a
    decentralised clearing selects) is computed, for every scenario at once, by the monotone
    iteration of the shortfalls :math:`\sigma = 1 - \pi` from :math:`\sigma = \lambda`
    (a loop over rounds, each one sparse product over all scenarios), finished by one sparse
    linear solve on the final pattern of nodes paying nothing when the iteration is slow.
    With a fixed recovery share (``topo.recovery`` not None) the ratio is that share.

    Parameters
    ----------
    topo : Topology
        The network (trade chains, ``lgd``, ``recovery``).
    keys : numpy.ndarray
        Sorted unique int64 keys ``cell * n + node`` of the defaulted nodes; a *cell* is one
        scenario of one configuration.
    loans : numpy.ndarray
        (B, n) or (n,) loans of each configuration.
    pledged : numpy.ndarray
        (B, n) or (n,) bool: whose receivables are pledged to the bank (they secure its loan
        and are not in the pool of the trade creditors).
    present : numpy.ndarray, optional
        (B, n) or (n,) bool: nodes present in each configuration (chains to or from an
        absent node do not exist).
    config_of_cell : numpy.ndarray, optional
        Configuration of each cell (default: every cell is configuration 0).
    tol : float
        Convergence tolerance on the ratios.
    max_rounds : int
        Rounds of the monotone iteration before the linear solve finishes it.

    Returns
    -------
    numpy.ndarray
        :math:`\pi_k` for each key, in [0, 1].

    Examples
    --------
    ``J`` owes ``K`` 25 and pays nothing when it defaults (``lgd`` 1); ``K`` owes ``A`` 40 and
    ``B`` 60 and has no loan, ``lgd`` 0.25. Both default: ``K``'s assets are
    0.75 · 100 − 25 = 50, half its debts, so it pays 0.5 on each.

    >>> from alliance.network.contagion import Topology
    >>> topo = Topology.build(
    ...     ["J", "K", "A", "B"], demand=[0, 0, 100, 100], pd=[0.1] * 4,
    ...     lgd=[1.0, 0.25, 0.5, 0.5], collateral=[0] * 4, equity=[0] * 4, fund=[0] * 4,
    ...     is_member=[True] * 4, src=[], tgt=[], amount=[],
    ...     trade_src=[0, 1, 1], trade_tgt=[1, 2, 3], trade_amount=[25, 40, 60])
    >>> ratios = trade_clearing_ratios(
    ...     topo, np.array([0, 1]), loans=np.zeros(4), pledged=np.zeros(4, bool))
    >>> ratios.tolist()
    [0.0, 0.5]

    References
    ----------
    Eisenberg, L., & Noe, T. H. (2001). Systemic risk in financial systems. *Management
    Science*, 47(2), 236–249.
    """
    keys = np.asarray(keys, dtype=np.int64)
    n = topo.n
    node = keys % n
    if topo.recovery is not None:  # a fixed recovery share, given by the user
        return np.asarray(topo.recovery, dtype=float)[node]
    lam = np.asarray(topo.lgd, dtype=float)[node]
    if keys.size == 0 or topo.t_amt is None or topo.t_amt.size == 0:
        return 1.0 - lam
    cell = keys // n
    cfg = (
        np.zeros(keys.size, dtype=np.int64)
        if config_of_cell is None
        else np.asarray(config_of_cell, dtype=np.int64)[cell]
    )

    def per_config(a: np.ndarray | None, fill: Any) -> np.ndarray:
        if a is None:
            return np.full((1, n), fill)
        a = np.asarray(a)
        return a.reshape(1, n) if a.ndim == 1 else a

    loan_mat = per_config(loans, 0.0).astype(float)
    pledge_mat = per_config(pledged, False).astype(bool)
    pres_mat = per_config(present, True).astype(bool)
    b_loan = cfg if loan_mat.shape[0] > 1 else np.zeros_like(cfg)
    b_pl = cfg if pledge_mat.shape[0] > 1 else np.zeros_like(cfg)
    b_pr = cfg if pres_mat.shape[0] > 1 else np.zeros_like(cfg)

    # trade debts to present creditors
    owner, pos = _expand(topo.t_out_ptr, node)
    chain = topo.t_out_order[pos]
    ok = pres_mat[b_pr[owner], topo.t_tgt[chain]]
    debts = np.bincount(owner, np.where(ok, topo.t_amt[chain], 0.0), keys.size)
    base = debts + loan_mat[b_loan, node]
    # receivables not pledged to the bank, on debtors that defaulted in the same cell
    owner, chain = _expand(topo.t_in_ptr, node)
    debtor = topo.t_src[chain]
    q = cell[owner] * n + debtor
    at = np.minimum(np.searchsorted(keys, q), keys.size - 1)
    ok = (
        (keys[at] == q)
        & pres_mat[b_pr[owner], debtor]
        & ~pledge_mat[b_pl[owner], node[owner]]
        & (base[owner] > 0)
        & (debts[owner] > 0)  # a node without trade creditors pays nobody: its ratio is moot
    )
    sigma = np.minimum(lam, 1.0)
    if not ok.any():
        return 1.0 - sigma
    rows, cols = owner[ok], at[ok]
    weight = topo.t_amt[chain[ok]] / base[rows]
    # only the nodes in the system iterate: the others keep 1 - lambda
    used = np.unique(np.concatenate([rows, cols]))
    local = np.searchsorted(used, rows), np.searchsorted(used, cols)
    m = used.size
    gain = sp.csr_array((weight, local), shape=(m, m))
    lam_u = lam[used]
    s = np.minimum(lam_u, 1.0)
    for _ in range(max_rounds):
        nxt = np.minimum(1.0, lam_u + gain @ s)
        step = float(np.max(nxt - s, initial=0.0))
        s = nxt
        if step <= tol:
            break
    else:
        s = _finish_clearing(gain, lam_u, s, tol)
    sigma[used] = s
    return 1.0 - sigma


def _expand(ptr: np.ndarray, node: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """For each entry of ``node``, the positions ``ptr[node] .. ptr[node + 1]``."""
    lo = ptr[node]
    cnt = ptr[node + 1] - lo
    owner = np.repeat(np.arange(node.size, dtype=np.int64), cnt)
    offs = np.cumsum(cnt) - cnt
    return owner, lo[owner] + np.arange(int(cnt.sum()), dtype=np.int64) - offs[owner]


def _finish_clearing(gain, lam, s, tol):
    """The least fixed point of ``s = min(1, lam + gain @ s)`` above the iterate ``s``.

    The nodes paying nothing (``s = 1``) only grow along the iteration; on the others the
    fixed point solves :math:`(I - G_{AA}) s_A = \\lambda_A + G_{AC} 1` (one sparse solve
    over every scenario). Nodes whose solution exceeds 1 pay nothing; repeat.
    """
    m = s.size
    full = s >= 1.0 - tol
    for _ in range(m + 1):
        act = np.flatnonzero(~full)
        rhs = lam[act] + gain[act][:, np.flatnonzero(full)] @ np.ones(int(full.sum()))
        system = sp.csc_array(sp.eye_array(act.size) - gain[act][:, act])
        try:
            sol = spla.spsolve(system, rhs)
        except RuntimeError:
            sol = np.full(act.size, np.nan)
        sol = np.atleast_1d(sol)
        if not np.all(np.isfinite(sol)) or np.any(sol < s[act] - 1e-9):
            raise ConvergenceError(
                "the clearing ratios of the defaulted debtors did not converge (a nearly "
                "closed circle of receivables among defaulters); use a fixed recovery share"
            )
        over = sol > 1.0
        if not over.any():
            out = np.ones(m)
            out[act] = sol
            return out
        full[act[over]] = True
    return np.ones(m)  # pragma: no cover - the pattern grows at most m times
