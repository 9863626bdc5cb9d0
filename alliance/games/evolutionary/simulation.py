"""Numerics of the replicator dynamics: float payoffs, states, the vector field, paths.

:func:`simulate_paths` integrates many trajectories at once (Dormand–Prince 5(4) in logit
coordinates, :mod:`alliance.games.evolutionary.integrate`) or, as a slow reference, one
SciPy ``solve_ivp`` call per trajectory.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from alliance.errors import ParameterError
from alliance.games.evolutionary.equations import ReplicatorSystem
from alliance.games.evolutionary.integrate import PayoffKernel
from alliance.games.evolutionary.results import Trajectories
from alliance.numbers import check_work, estimate_trajectories

__all__ = ["float_payoffs", "check_states", "to_shares", "check_times", "velocity_at", "simulate_paths"]


def check_times(t: Any) -> np.ndarray:
    """Output times: 201 evenly spaced up to an end time, or the increasing times given.

    Parameters
    ----------
    t : float or array_like
        An end time > 0, or at least two strictly increasing finite times.

    Returns
    -------
    numpy.ndarray
        The output times.

    Raises
    ------
    ParameterError
        A non-positive or non-finite end time, fewer than two times, or times that do not
        increase.

    Examples
    --------
    >>> times = check_times(2.0)
    >>> len(times), times[:3].tolist()
    (201, [0.0, 0.01, 0.02])
    """
    if np.ndim(t) == 0:
        try:
            end = float(t)
        except (TypeError, ValueError):
            raise ParameterError(f"t is {t!r}; give an end time or an array of times") from None
        if not math.isfinite(end) or end <= 0:
            raise ParameterError(f"t is {t!r}; the end time must be finite and > 0")
        return np.linspace(0.0, end, 201)
    times = np.asarray(t, dtype=float)
    if times.ndim != 1 or times.size < 2:
        raise ParameterError(f"t has shape {times.shape}; give at least two output times")
    if not np.all(np.isfinite(times)):
        raise ParameterError(
            f"t contains non-finite times: {times[~np.isfinite(times)][:3].tolist()}"
        )
    if np.any(np.diff(times) <= 0):
        raise ParameterError("t must be strictly increasing")
    return times


def solve_ivp_loop(payoffs, shares0, times, *, rtol, atol) -> list[np.ndarray]:
    # The reference integrator: one scipy call per trajectory (slow by design).
    from scipy.integrate import solve_ivp

    from alliance.games.evolutionary.integrate import BinarySystem, GeneralSystem

    binary = all(k == 2 for k in payoffs.shape[:-1])
    system = BinarySystem(payoffs) if binary else GeneralSystem(payoffs)
    m = shares0[0].shape[0]
    result = [np.empty((m, len(times), s.shape[1])) for s in shares0]
    xi0, aux = system.start(shares0)
    for row in range(m):
        sub_aux = system.keep(aux, np.array([row])) if aux is not None else None
        finite = np.isfinite(xi0[:, row])
        start = np.where(finite, xi0[:, row], 0.0)

        def f(_t, z, sub_aux=sub_aux, finite=finite, fixed=xi0[:, row]):
            full = np.where(finite, z, fixed)
            return np.where(finite, system.rhs(full[:, None], sub_aux)[:, 0], 0.0)

        sol = solve_ivp(
            f, (times[0], times[-1]), start, method="DOP853", t_eval=times, rtol=rtol, atol=atol
        )
        path = np.where(finite[:, None], sol.y, xi0[:, row][:, None])
        for r, s in zip(result, system.shares(path, sub_aux)):
            r[row] = s
    return result


def float_payoffs(game, params: Mapping[str, Any] | None) -> tuple[np.ndarray, dict]:
    """The payoff array as floats (all parameters given) and the parameter values.

    Parameters
    ----------
    game : NormalFormGame
        The game.
    params : Mapping or None
        Values of every parameter of a symbolic game (``None`` for a numeric one).

    Returns
    -------
    tuple of (numpy.ndarray, dict)
        The payoff table ``P[i0, ..., i_{n-1}, player]`` as floats, and the values used.

    Raises
    ------
    ParameterError
        If a parameter is left without a value.

    Examples
    --------
    >>> import alliance as al
    >>> g = al.NormalFormGame.from_matrices([[3, 0], [5, 1]], [[3, 5], [0, 1]])
    >>> float_payoffs(g, None)[0][1, 1].tolist()
    [1.0, 1.0]
    """
    params = dict(params or {})
    if params:
        game = game.subs(params)
    if game.is_symbolic:
        missing = ", ".join(p.name for p in game.params)
        raise ParameterError(
            f"the game has free parameters {missing}; give their values in params={{...}}"
        )
    return np.asarray(game.payoffs, dtype=float), params


def check_states(system: ReplicatorSystem, x0: Any, field: str = "x0") -> np.ndarray:
    """Initial states as an (m, d) array, checked to lie in the state space.

    Parameters
    ----------
    system : ReplicatorSystem
        The replicator system of the game.
    x0 : array_like, shape (d,) or (m, d)
        States; each share in [0, 1], a population's shares summing to at most 1.
    field : str, default "x0"
        The argument's name, for error messages.

    Returns
    -------
    numpy.ndarray, shape (m, d)
        The states as floats.

    Raises
    ------
    ParameterError
        The wrong shape, a value that is not a finite number, or a state outside the
        state space.

    Examples
    --------
    >>> import alliance as al
    >>> from alliance.games.evolutionary.equations import ReplicatorSystem
    >>> g = al.NormalFormGame.from_matrices([[3, 0], [5, 1]], [[3, 5], [0, 1]])
    >>> system = ReplicatorSystem(g)
    >>> check_states(system, [0.5, 0.5]).tolist()
    [[0.5, 0.5]]
    """
    try:
        X = np.array(x0, dtype=float)
    except (TypeError, ValueError):
        raise ParameterError(f"{field} must be an array of numbers; got {x0!r}") from None
    if X.ndim == 1:
        X = X[None, :]
    if X.ndim != 2 or X.shape[1] != system.dimension:
        raise ParameterError(
            f"{field} has shape {np.shape(x0)}; it needs {system.dimension} coordinates per "
            f"point ({', '.join(v.name for v in system.variables)}), as (d,) or (m, d)"
        )
    bad = ~np.isfinite(X)
    if bad.any():
        r, c = np.argwhere(bad)[0]
        raise ParameterError(
            f"{field}[{r}] has {system.variables[c].name} = {X[r, c]}; it must be finite"
        )
    outside = (X < 0) | (X > 1)
    if outside.any():
        r, c = np.argwhere(outside)[0]
        raise ParameterError(
            f"{field}[{r}] = {tuple(X[r].tolist())} lies outside the unit cube: "
            f"{system.variables[c].name} = {X[r, c]:g} is not in [0, 1]"
        )
    for i, b in enumerate(system.blocks):
        if b.stop - b.start > 1:
            total = X[:, b].sum(axis=1)
            over = total > 1 + 1e-12
            if over.any():
                r = int(np.argmax(over))
                raise ParameterError(
                    f"{field}[{r}]: the shares of {system.populations[i]} sum to {total[r]:g} > 1"
                )
    return X


def to_shares(system: ReplicatorSystem, X: np.ndarray) -> list[np.ndarray]:
    """Each population's full share vector (the last strategy's share added).

    Parameters
    ----------
    system : ReplicatorSystem
        The replicator system of the game.
    X : numpy.ndarray, shape (m, d)
        States in the state variables (from :func:`check_states`).

    Returns
    -------
    list of numpy.ndarray
        One ``(m, k_i)`` array of shares per population, rows summing to 1.

    Examples
    --------
    >>> import alliance as al
    >>> from alliance.games.evolutionary.equations import ReplicatorSystem
    >>> g = al.NormalFormGame.from_matrices([[3, 0], [5, 1]], [[3, 5], [0, 1]])
    >>> system = ReplicatorSystem(g)
    >>> [a.tolist() for a in to_shares(system, check_states(system, [[0.25, 0.5]]))]
    [[[0.25, 0.75]], [[0.5, 0.5]]]
    """
    out = []
    for b in system.blocks:
        part = X[:, b]
        out.append(
            np.concatenate([part, np.clip(1.0 - part.sum(axis=1, keepdims=True), 0, 1)], axis=1)
        )
    return out


def velocity_at(system: ReplicatorSystem, points: Any, params: Mapping[str, Any] | None) -> np.ndarray:
    """The replicator vector field at many points, shape (m, d).

    Parameters
    ----------
    system : ReplicatorSystem
        The replicator system of the game.
    points : array_like, shape (d,) or (m, d)
        States in the state space.
    params : Mapping or None
        Values of every parameter of a symbolic game (``None`` for a numeric one).

    Returns
    -------
    numpy.ndarray, shape (m, d)
        :math:`\\dot x` at each point.

    Raises
    ------
    ParameterError
        Points outside the state space or missing parameter values.

    Examples
    --------
    >>> import alliance as al
    >>> from alliance.games.evolutionary.equations import ReplicatorSystem
    >>> g = al.NormalFormGame.from_matrices([[3, 0], [5, 1]], [[3, 5], [0, 1]])
    >>> system = ReplicatorSystem(g)
    >>> velocity_at(system, [[0.5, 0.5]], None).tolist()
    [[-0.375, -0.375]]
    """
    payoffs, _ = float_payoffs(system.game, params)
    X = check_states(system, points, "points")
    v = PayoffKernel(payoffs).velocity(to_shares(system, X))
    return np.concatenate([vi[:, : vi.shape[1] - 1] for vi in v], axis=1)


def simulate_paths(
    system: ReplicatorSystem,
    x0: Any,
    t: float | Sequence[float],
    params: Mapping[str, Any] | None,
    *,
    method: str,
    atol: float,
    rtol: float,
    max_steps: int,
    progress: bool | None,
) -> Trajectories:
    """Trajectories from many initial points (see ``EvolutionaryGame.simulate``).

    Parameters
    ----------
    system : ReplicatorSystem
        The replicator system of the game.
    x0 : array_like, shape (d,) or (m, d)
        Initial states.
    t : float or array_like
        End time, or increasing output times (:func:`check_times`).
    params : Mapping or None
        Values of every parameter of a symbolic game (``None`` for a numeric one).
    method : {"dopri5", "solve_ivp"}
        Every trajectory at once (Dormand–Prince 5(4) in logit coordinates), or SciPy on
        each trajectory in turn (a reference for checks).
    atol, rtol : float
        Local error tolerances of the logits, >= 0, not both 0.
    max_steps : int
        Most steps a trajectory may take.
    progress : bool or None
        Show a progress bar (``None``: by the policy of :mod:`alliance.progress`).

    Returns
    -------
    Trajectories
        States at the output times.

    Raises
    ------
    ParameterError
        Bad states, times, tolerances or method, or missing parameter values.
    ConvergenceError
        If a trajectory needs more than ``max_steps`` steps.

    Examples
    --------
    >>> import alliance as al
    >>> from alliance.games.evolutionary.equations import ReplicatorSystem
    >>> g = al.NormalFormGame.from_matrices([[3, 0], [5, 1]], [[3, 5], [0, 1]])
    >>> system = ReplicatorSystem(g)
    >>> paths = simulate_paths(system, [[0.9, 0.9]], 5.0, None, method="dopri5",
    ...                        atol=1e-9, rtol=0.0, max_steps=100_000, progress=False)
    >>> paths.final.round(3).tolist()
    [[0.014, 0.014]]
    """
    payoffs, params = float_payoffs(system.game, params)
    X = check_states(system, x0)
    times = check_times(t)
    # refuse, with the estimate, before the states for every output time are allocated
    check_work(estimate_trajectories(len(X), len(times), X.shape[1]))
    for name, value in (("atol", atol), ("rtol", rtol)):
        if not (isinstance(value, (int, float)) and math.isfinite(value) and value >= 0):
            raise ParameterError(f"{name} is {value!r}; it must be a finite number >= 0")
    if atol == 0 and rtol == 0:
        raise ParameterError("atol and rtol are both 0; give a positive tolerance")
    shares0 = to_shares(system, X)
    if method == "dopri5":
        from tqdm.auto import tqdm

        from alliance.games.evolutionary.integrate import integrate_logit

        span = float(times[-1] - times[0])
        with tqdm(
            total=span,
            disable=None if progress is None else not progress,
            desc="simulate",
            unit="time",
        ) as bar:

            def report(now: float) -> None:
                bar.update(max(0.0, now - times[0] - bar.n))

            result = integrate_logit(
                payoffs,
                shares0,
                times,
                rtol=rtol,
                atol=atol,
                max_steps=max_steps,
                progress=report,
            )
    elif method == "solve_ivp":
        result = solve_ivp_loop(payoffs, shares0, times, rtol=max(rtol, 1e-13), atol=atol)
    else:
        raise ParameterError(f"method is {method!r}; use 'dopri5' or 'solve_ivp'")
    states = np.concatenate([r[:, :, : r.shape[2] - 1] for r in result], axis=2)
    np.clip(states, 0.0, 1.0, out=states)
    return Trajectories(
        times,
        states,
        tuple(v.name for v in system.variables),
        system.descriptions,
        {k: v for k, v in params.items()},
        method,
    )
