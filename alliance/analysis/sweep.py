"""Parameter sweeps: evaluate a symbolic result, a classifier or a function over many points.

``sweep(target, grid={...})`` evaluates ``target`` on the Cartesian product of the grid
(or on a list of points), chunk by chunk so memory stays bounded, and returns a tidy
:class:`pandas.DataFrame`: one row per point, one column per parameter and per result.

Targets
-------
* a symbolic :class:`~alliance.games.normal_form.NormalFormGame` or an
  :class:`~alliance.games.symbolic.classifier.EquilibriumSetClassifier`: columns ``code``
  (integer label of the equilibrium set) and ``equilibria`` (its name, categorical);
* a :class:`~alliance.games.symbolic.SymbolicEquilibrium`: ``holds`` and the probability of
  every strategy (``"Bank:lend"``...), NaN where the equilibrium does not hold;
* a SymPy expression (column ``value``) or a dict ``{column: expression}``;
* any vectorised callable ``f(**arrays)`` returning an array or a dict of arrays.

Backends
--------
``"numpy"`` evaluates chunks in this process; ``"processes"`` in a pool of processes;
``"dask"`` on a ``dask.distributed`` client (a ``LocalCluster`` by default, or ``client=``,
an address or a ``Client``). Symbolic targets travel as expressions and are lambdified in
the worker (lambdified functions do not pickle). Every backend evaluates the same chunks
with the same code, so all return identical DataFrames.

Examples
--------
>>> import sympy as sp
>>> r, L = sp.symbols("r L", positive=True)
>>> sweep(r * L, grid={"r": [0.1, 0.2], "L": [100, 200]}, progress=False)
     r      L  value
0  0.1  100.0   10.0
1  0.1  200.0   20.0
2  0.2  100.0   20.0
3  0.2  200.0   40.0
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd
import sympy as sp

from alliance.errors import ParameterError
from alliance.numbers import check_work, estimate_sweep

__all__ = ["sweep", "BACKENDS"]

BACKENDS = ("numpy", "processes", "dask")

#: Points evaluated at once (bounds memory: a few arrays of this length per expression).
DEFAULT_CHUNK = 262_144


# ------------------------------------------------------------------ evaluators
class _Evaluator:
    """What a worker needs to evaluate a chunk; pickles without compiled functions."""

    params: tuple[str, ...] = ()

    def check(self, name: str, values: np.ndarray) -> None:  # assumption checks
        pass

    def evaluate(self, arrays: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
        raise NotImplementedError

    def finish(self, frame: pd.DataFrame) -> pd.DataFrame:
        return frame


class _ClassifierEvaluator(_Evaluator):
    def __init__(self, classifier: Any) -> None:
        self.classifier = classifier
        self.params = classifier.params

    def check(self, name: str, values: np.ndarray) -> None:
        self.classifier.check(name, values)

    def evaluate(self, arrays):
        return {"code": self.classifier.codes(arrays)}

    def finish(self, frame):
        codes = frame["code"].to_numpy()
        unique, inverse = np.unique(codes, return_inverse=True)
        names = [self.classifier.describe(c) for c in unique]
        categories = list(dict.fromkeys(names))
        position = np.array([categories.index(n) for n in names], dtype=np.int64)
        frame["equilibria"] = pd.Categorical.from_codes(position[inverse], categories)
        return frame


class _ExpressionEvaluator(_Evaluator):
    def __init__(
        self,
        columns: Mapping[str, sp.Expr],
        symbols: Sequence[sp.Symbol],
        assumptions: Mapping[str, Any] | None = None,
    ) -> None:
        self.columns = dict(columns)
        self.symbols = tuple(symbols)
        self.params = tuple(s.name for s in self.symbols)
        self.assumptions = dict(assumptions or {})
        self._fn = None

    def __getstate__(self):
        state = dict(self.__dict__)
        state["_fn"] = None
        return state

    def check(self, name, values):
        from alliance.games.symbolic._conditions import check_range

        symbol = self.symbols[self.params.index(name)]
        check_range(name, values, self.assumptions.get(name), symbol)

    def evaluate(self, arrays):
        if self._fn is None:
            self._fn = sp.lambdify(
                self.symbols, list(self.columns.values()), modules="numpy", cse=True
            )
        shape = np.broadcast_shapes(*(a.shape for a in arrays.values()))
        values = self._fn(*[arrays[n] for n in self.params])
        return {
            k: np.broadcast_to(np.asarray(v, dtype=float), shape)
            for k, v in zip(self.columns, values, strict=True)
        }


class _EquilibriumEvaluator(_Evaluator):
    def __init__(self, equilibrium: Any) -> None:
        self.equilibrium = equilibrium
        self.params = tuple(s.name for s in equilibrium.params)
        self._fn = None

    def __getstate__(self):
        state = dict(self.__dict__)
        state["_fn"] = None
        return state

    def check(self, name, values):
        from alliance.games.symbolic._conditions import check_range

        domain = self.equilibrium.domain
        symbol = {s.name: s for s in self.equilibrium.params}[name]
        check_range(name, values, domain.assumptions.get(name) if domain else None, symbol)

    def evaluate(self, arrays):
        if self._fn is None:
            self._fn = self.equilibrium.lambdify()
        mask, profile = self._fn(**arrays)
        out = {"holds": mask}
        eq = self.equilibrium
        for i, player in enumerate(eq.players):
            for j, s in enumerate(eq.strategies[i]):
                out[f"{player}:{s}"] = np.where(mask, profile[i][..., j], np.nan)
        return out


class _FunctionEvaluator(_Evaluator):
    def __init__(self, function: Callable, params: Sequence[str]) -> None:
        self.function = function
        self.params = tuple(params)

    def evaluate(self, arrays):
        result = self.function(**arrays)
        n = len(next(iter(arrays.values()))) if arrays else 0
        if isinstance(result, pd.DataFrame):
            return {c: result[c].to_numpy() for c in result.columns}
        if isinstance(result, Mapping):
            return {k: np.broadcast_to(np.asarray(v), (n,)) for k, v in result.items()}
        if isinstance(result, tuple):
            return {f"value{k}": np.broadcast_to(np.asarray(v), (n,)) for k, v in enumerate(result)}
        return {"value": np.broadcast_to(np.asarray(result), (n,))}


def _evaluator(target: Any, grid_names: Sequence[str], tol: float | None) -> _Evaluator:
    from alliance.games.normal_form import NormalFormGame
    from alliance.games.symbolic.classifier import EquilibriumSetClassifier
    from alliance.games.symbolic.equilibrium import LambdifiedEquilibrium, SymbolicEquilibrium

    if isinstance(target, NormalFormGame):
        if not target.is_symbolic:
            raise ParameterError(
                "sweep of a game needs a symbolic game (numbers have nothing to vary)"
            )
        from alliance.games.symbolic.classifier import EquilibriumSetClassifier as C

        clf = C.of_game(target) if tol is None else C.of_game(target, tol)
        return _ClassifierEvaluator(clf)
    if isinstance(target, EquilibriumSetClassifier):
        return _ClassifierEvaluator(target)
    if isinstance(target, LambdifiedEquilibrium):
        target = target.equilibrium
    if isinstance(target, SymbolicEquilibrium):
        return _EquilibriumEvaluator(target)
    if isinstance(target, sp.Expr):
        target = {"value": target}
    if (
        isinstance(target, Mapping)
        and target
        and all(isinstance(v, sp.Expr) for v in target.values())
    ):
        symbols: dict[str, sp.Symbol] = {}
        for e in target.values():
            for s in e.free_symbols:
                symbols[s.name] = s
        return _ExpressionEvaluator(target, [symbols[n] for n in sorted(symbols)])
    if callable(target):
        return _FunctionEvaluator(target, grid_names)
    raise ParameterError(
        f"target has type {type(target).__name__}; give a symbolic game, a classifier, a "
        "symbolic equilibrium, a SymPy expression (or dict of them) or a vectorised function"
    )


# ------------------------------------------------------------------ the grid
class _Points:
    """Parameter points: a Cartesian grid (evaluated lazily by index) or an explicit list."""

    def __init__(
        self,
        names: tuple[str, ...],
        axes: list[np.ndarray] | None,
        columns: dict[str, np.ndarray] | None,
        constants: dict[str, float],
    ) -> None:
        self.names = names
        self.axes = axes
        self.columns = columns
        self.constants = constants
        if axes is not None:
            self.shape = tuple(len(a) for a in axes)
            self.size = math.prod(self.shape)
        else:
            self.size = len(next(iter(columns.values()))) if columns else 1

    def chunk(self, start: int, stop: int) -> dict[str, np.ndarray]:
        if self.axes is not None:
            index = np.unravel_index(np.arange(start, stop), self.shape)
            out = {n: a[i] for n, a, i in zip(self.names, self.axes, index, strict=True)}
        else:
            out = {n: self.columns[n][start:stop] for n in self.names}
        for name, value in self.constants.items():
            out[name] = np.full(stop - start, value)
        return out


def _numeric(name: str, values: Any, field: str) -> np.ndarray:
    if isinstance(values, (str, bytes)):
        raise ParameterError(f"{field} '{name}' is {values!r}; it must be numbers")
    try:
        arr = np.asarray(values, dtype=float)
    except (TypeError, ValueError):
        raise ParameterError(f"{field} '{name}' has non-numeric values: {values!r:.80}") from None
    if arr.dtype == bool or np.asarray(values).dtype.kind in "bOUS" and not _all_numbers(values):
        raise ParameterError(f"{field} '{name}' has non-numeric values: {values!r:.80}")
    if not np.all(np.isfinite(arr)):
        raise ParameterError(f"{field} '{name}' has non-finite values")
    return arr


def _all_numbers(values: Any) -> bool:
    return all(
        isinstance(v, (int, float, np.integer, np.floating)) and not isinstance(v, bool)
        for v in np.ravel(np.asarray(values, dtype=object))
    )


def _axis_values(name: str, spec: Any) -> np.ndarray:
    if isinstance(spec, tuple) and len(spec) == 3 and not isinstance(spec[2], float):
        lo, hi, n = spec
        for v in (lo, hi):
            if (
                isinstance(v, bool)
                or not isinstance(v, (int, float, np.integer, np.floating))
                or not math.isfinite(float(v))
            ):
                raise ParameterError(f"grid '{name}' range bound {v!r} is not a finite number")
        if float(lo) >= float(hi):
            raise ParameterError(f"grid '{name}' range is ({lo}, {hi}); it needs lo < hi")
        if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or n < 1:
            raise ParameterError(f"grid '{name}' has {n!r} points; it needs a positive integer")
        return np.linspace(float(lo), float(hi), int(n))
    arr = _numeric(name, spec, "grid")
    if arr.ndim == 0:
        arr = arr.reshape(1)
    if arr.ndim != 1 or arr.size == 0:
        raise ParameterError(
            f"grid '{name}' must be a non-empty 1-D list of values; got shape {arr.shape}"
        )
    return arr


def _points(
    evaluator: _Evaluator,
    grid: Mapping[str, Any] | None,
    points: Any,
    fixed: Mapping[str, Any] | None,
) -> _Points:
    if (grid is None) == (points is None):
        raise ParameterError(
            "give exactly one of grid= (values per parameter) or points= (a table)"
        )
    fixed = dict(fixed or {})
    constants = {}
    for name, value in fixed.items():
        arr = _numeric(name, value, "fixed")
        if arr.ndim != 0:
            raise ParameterError(f"fixed '{name}' is {value!r}; it must be one number")
        constants[name] = float(arr)
    if grid is not None:
        if not isinstance(grid, Mapping) or not grid:
            raise ParameterError("grid must be a non-empty dict {parameter: values}")
        given = list(grid)
        axes = [_axis_values(n, grid[n]) for n in given]
        columns = None
    else:
        if isinstance(points, pd.DataFrame):
            points = {c: points[c].to_numpy() for c in points.columns}
        if not isinstance(points, Mapping) or not points:
            raise ParameterError("points must be a DataFrame or a dict {parameter: values}")
        given = list(points)
        columns = {n: np.ravel(_numeric(n, points[n], "points")) for n in given}
        lengths = {len(v) for v in columns.values()}
        if len(lengths) != 1:
            raise ParameterError(f"points columns have different lengths {sorted(lengths)}")
        axes = None
    overlap = sorted(set(given) & set(constants))
    if overlap:
        raise ParameterError(
            f"parameter(s) {', '.join(overlap)} given both in the grid and in fixed"
        )
    if evaluator.params:
        unknown = sorted((set(given) | set(constants)) - set(evaluator.params))
        if unknown:
            raise ParameterError(
                f"grid names unknown parameter(s) {', '.join(unknown)}; the target's parameters "
                f"are {', '.join(evaluator.params)}"
            )
        missing = [p for p in evaluator.params if p not in given and p not in constants]
        if missing:
            raise ParameterError(
                f"grid lacks parameter(s) {', '.join(missing)} (give values or fixed=)"
            )
    for n in given:
        evaluator.check(n, axes[given.index(n)] if axes is not None else columns[n])
    for n, v in constants.items():
        evaluator.check(n, np.array([v]))
    return _Points(tuple(given), axes, columns, constants)


# ------------------------------------------------------------------ chunks
def _run_chunk(evaluator: _Evaluator, points: _Points, start: int, stop: int) -> pd.DataFrame:
    arrays = points.chunk(start, stop)
    result = evaluator.evaluate(arrays)
    data = {n: arrays[n] for n in list(points.names) + list(points.constants)}
    for k, v in result.items():
        if k in data:
            k = f"{k}_result"
        data[k] = np.asarray(v)
    frame = pd.DataFrame(data)
    frame.index = pd.RangeIndex(start, stop)
    return frame


def _bar(total: int, progress: bool | None):
    from alliance.progress import progress_bar

    # a sweep of one or two chunks is a fraction of a second: no bar unless asked for
    expected = None if total > 2 else 0.0
    return progress_bar(total=total, progress=progress, expected_seconds=expected,
                        desc="sweep", unit="chunk")


def sweep(
    target: Any,
    grid: Mapping[str, Any] | None = None,
    *,
    points: Any = None,
    fixed: Mapping[str, Any] | None = None,
    backend: str = "numpy",
    chunk_size: int = DEFAULT_CHUNK,
    progress: bool | None = None,
    client: Any = None,
    n_workers: int = 2,
    tol: float | None = None,
) -> pd.DataFrame:
    """Evaluate ``target`` over a grid or a list of parameter points.

    Parameters
    ----------
    target : NormalFormGame, EquilibriumSetClassifier, SymbolicEquilibrium, sympy.Expr, dict or callable
        What to evaluate (see the module docstring).
    grid : dict, optional
        ``{parameter: values}``; values are a 1-D list/array or ``(lo, hi, n)`` for
        ``n`` evenly spaced points. The sweep covers the Cartesian product, in C order
        (the last parameter varies fastest).
    points : DataFrame or dict, optional
        Explicit points, one column per parameter (instead of ``grid``).
    fixed : dict, optional
        Parameters held at one value.
    backend : {"numpy", "processes", "dask"}
    chunk_size : int
        Points per chunk (memory is bounded by a few arrays of this length).
    progress : bool or None
        Show a progress bar; ``None`` shows it only on a terminal.
    client : dask.distributed.Client or str, optional
        For ``backend="dask"``: a client or a scheduler address; by default a
        ``LocalCluster`` with ``n_workers`` single-threaded workers is started and closed.
    n_workers : int
        Workers of the ``processes`` pool or of the default ``LocalCluster``.
    tol : float, optional
        Tolerance of the equilibrium classifier (a game target).

    Returns
    -------
    pandas.DataFrame
        One row per point: parameter columns, then result columns.

    Raises
    ------
    ParameterError
        Parameters missing from the grid or unknown, non-numeric values, ranges with
        ``lo >= hi``, values contradicting the parameters' assumptions, a bad backend.

    Examples
    --------
    A sympy expression of one parameter ``s > 0``, evaluated on three points (one row per
    point: the parameter, then the value):

    >>> import sympy as sp
    >>> s = sp.Symbol("s", positive=True)
    >>> sweep(2 * s, {"s": [0.5, 1.0, 2.0]}).to_numpy().tolist()
    [[0.5, 1.0], [1.0, 2.0], [2.0, 4.0]]
    """
    if backend not in BACKENDS:
        raise ParameterError(f"backend is {backend!r}; use one of {', '.join(BACKENDS)}")
    if (
        isinstance(chunk_size, bool)
        or not isinstance(chunk_size, (int, np.integer))
        or chunk_size < 1
    ):
        raise ParameterError(f"chunk_size is {chunk_size!r}; it must be a positive integer")
    names = (
        list(grid) if isinstance(grid, Mapping) else (list(points) if points is not None else [])
    )
    evaluator = _evaluator(target, names, tol)
    pts = _points(evaluator, grid, points, fixed)
    check_work(estimate_sweep(pts.size, len(names) + 8))
    bounds = [(s, min(s + int(chunk_size), pts.size)) for s in range(0, pts.size, int(chunk_size))]
    if backend == "numpy":
        frames = []
        with _bar(len(bounds), progress) as bar:
            for start, stop in bounds:
                frames.append(_run_chunk(evaluator, pts, start, stop))
                bar.update(1)
    elif backend == "processes":
        frames = _run_processes(evaluator, pts, bounds, progress, n_workers)
    else:
        frames = _run_dask(evaluator, pts, bounds, progress, client, n_workers)
    frame = pd.concat(frames) if len(frames) > 1 else frames[0]
    return evaluator.finish(frame)


def _run_processes(evaluator, pts, bounds, progress, n_workers) -> list[pd.DataFrame]:
    import multiprocessing
    import pickle
    from concurrent.futures import ProcessPoolExecutor

    try:
        pickle.dumps(evaluator)
    except Exception as err:
        raise ParameterError(
            "the processes backend needs a target that pickles (a module-level function, a "
            f"symbolic result or a game); this one does not: {err}"
        ) from None
    context = multiprocessing.get_context(
        "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
    )
    frames: list[pd.DataFrame | None] = [None] * len(bounds)
    with (
        ProcessPoolExecutor(max_workers=n_workers, mp_context=context) as pool,
        _bar(len(bounds), progress) as bar,
    ):
        futures = {
            pool.submit(_run_chunk, evaluator, pts, s, e): k for k, (s, e) in enumerate(bounds)
        }
        from concurrent.futures import as_completed

        for fut in as_completed(futures):
            frames[futures[fut]] = fut.result()
            bar.update(1)
    return frames  # type: ignore[return-value]


def _run_dask(evaluator, pts, bounds, progress, client, n_workers) -> list[pd.DataFrame]:
    try:
        from dask.distributed import Client, LocalCluster, as_completed
    except ImportError:  # pragma: no cover - optional dependency
        raise ImportError(
            "backend='dask' needs dask[distributed]: pip install 'alliance[dask]'"
        ) from None
    own = None
    if client is None:
        cluster = LocalCluster(
            n_workers=n_workers, threads_per_worker=1, processes=True, dashboard_address=None
        )
        own = (cluster, Client(cluster))
        client = own[1]
    elif isinstance(client, str):
        own = (None, Client(client))
        client = own[1]
    try:
        ev, pp = client.scatter([evaluator, pts], broadcast=True)
        futures = [client.submit(_run_chunk, ev, pp, s, e, pure=False) for s, e in bounds]
        order = {f.key: k for k, f in enumerate(futures)}
        frames: list[pd.DataFrame | None] = [None] * len(bounds)
        with _bar(len(bounds), progress) as bar:
            for fut in as_completed(futures):
                frames[order[fut.key]] = fut.result()
                fut.release()
                bar.update(1)
        return frames  # type: ignore[return-value]
    finally:
        if own is not None:
            own[1].close()
            if own[0] is not None:
                own[0].close()
