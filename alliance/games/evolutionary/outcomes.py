"""Where simulated trajectories end: at which rest point, in a cycle, or not yet settled.

A sentence such as "every trajectory converges to the ESS" is a claim about a simulation;
:func:`path_outcomes` computes it from the paths, so a report or notebook states the
shares it measured (and a test fails when they disagree).

Each path is judged on the last ``window`` share of its output times:

* **settled** when it moves less than ``settle`` (max-norm) over the window; it ends at a
  rest point when its final state lies within ``radius`` of one (the rest points of the
  numeric game at the trajectories' parameters), otherwise it is ``"undecided"``;
* **cycling** when it has not settled and turns around a rest point off the corners
  (in the plane of two of that point's interior coordinates) through at least one whole
  turn over the path and half a turn over its second half;
* otherwise ``"undecided"`` (still moving at the horizon).
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from alliance.errors import ParameterError
from alliance.games.evolutionary.results import Trajectories, point_text

if TYPE_CHECKING:  # pragma: no cover
    from alliance.games.evolutionary.game import EvolutionaryGame

__all__ = ["PathOutcomes", "path_outcomes"]


@dataclass(frozen=True, eq=False)
class PathOutcomes:
    """Where each simulated path ends.

    Made by :meth:`EvolutionaryGame.path_outcomes`.

    Parameters
    ----------
    outcomes : tuple of str
        Per path: ``"rest"``, ``"cycle"`` or ``"undecided"``.
    points : tuple
        Per path: the rest point it ends at or cycles around (``None`` when undecided).
    ess : tuple of tuple
        The ESS of the game at the trajectories' parameters.
    horizon : float
        The last output time.

    Examples
    --------
    >>> po = PathOutcomes(("rest", "rest", "cycle"), ((1, 1), (1, 1), (0.5, 0.5)),
    ...                   ((1, 1),), 40.0)
    >>> po.n_paths, po.count("rest", (1, 1))
    (3, 2)
    """

    outcomes: tuple[str, ...]
    points: tuple[Any, ...]
    ess: tuple[tuple, ...]
    horizon: float

    @property
    def n_paths(self) -> int:
        """The number of paths."""
        return len(self.outcomes)

    def count(self, outcome: str, point: Any = None) -> int:
        """How many paths have this outcome (at this rest point, if given).

        Parameters
        ----------
        outcome : {"rest", "cycle", "undecided"}
            The outcome counted.
        point : tuple, optional
            Count only the paths at (or around) this rest point.

        Returns
        -------
        int
            The number of paths.

        Examples
        --------
        >>> po = PathOutcomes(("rest", "rest", "cycle"), ((1, 1), (1, 1), (0.5, 0.5)),
        ...                   ((1, 1),), 40.0)
        >>> po.count("rest"), po.count("cycle", (1, 1))
        (2, 0)
        """
        return sum(
            1
            for o, p in zip(self.outcomes, self.points)
            if o == outcome and (point is None or _same_point(p, point))
        )

    def share(self, outcome: str, point: Any = None) -> float:
        """The share of paths with this outcome (at this rest point, if given).

        Parameters
        ----------
        outcome : {"rest", "cycle", "undecided"}
            The outcome counted.
        point : tuple, optional
            Count only the paths at (or around) this rest point.

        Returns
        -------
        float
            A share in [0, 1] (0 when there are no paths).

        Examples
        --------
        >>> po = PathOutcomes(("rest", "rest", "cycle"), ((1, 1), (1, 1), (0.5, 0.5)),
        ...                   ((1, 1),), 40.0)
        >>> round(po.share("rest"), 4)
        0.6667
        """
        return self.count(outcome, point) / self.n_paths if self.n_paths else 0.0

    def groups(self) -> list[tuple[str, Any, int]]:
        """``(outcome, point, count)``, most frequent first.

        Returns
        -------
        list of tuple
            One ``(outcome, point, count)`` per distinct outcome and point.

        Examples
        --------
        >>> po = PathOutcomes(("rest", "rest", "cycle"), ((1, 1), (1, 1), (0.5, 0.5)),
        ...                   ((1, 1),), 40.0)
        >>> po.groups()
        [('rest', (1, 1), 2), ('cycle', (0.5, 0.5), 1)]
        """
        found: list[list] = []
        for o, p in zip(self.outcomes, self.points):
            for g in found:
                if g[0] == o and _same_point(g[1], p):
                    g[2] += 1
                    break
            else:
                found.append([o, p, 1])
        found.sort(key=lambda g: -g[2])
        return [tuple(g) for g in found]  # type: ignore[misc]

    def sentence(self) -> str:
        """What the paths do, in words, computed from the counts.

        Returns
        -------
        str
            One clause per group of paths, most frequent first.

        Examples
        --------
        >>> PathOutcomes(("rest", "rest", "cycle"), ((1, 1), (1, 1), (0.5, 0.5)), ((1, 1),), 40.0).sentence()
        '2 of 3 trajectories (67%) converge to the ESS (1, 1); 1 (33%) cycles around (0.5, 0.5) at t = 40'
        """
        m = self.n_paths
        if m == 0:
            return "no trajectories"
        parts = []
        for k, (outcome, point, n) in enumerate(self.groups()):
            if n == m and outcome == "rest":
                return f"every one of the {m} trajectories converges to {self._name(point)}"
            head = f"{n} of {m} trajectories ({n / m:.0%})" if k == 0 else f"{n} ({n / m:.0%})"
            plural = k == 0 or n > 1
            if outcome == "rest":
                verb = "converge to" if plural else "converges to"
                parts.append(f"{head} {verb} {self._name(point)}")
            elif outcome == "cycle":
                verb = "cycle around" if plural else "cycles around"
                parts.append(f"{head} {verb} {point_text(point)} at t = {self.horizon:g}")
            else:
                verb = "have" if plural else "has"
                parts.append(f"{head} {verb} not settled by t = {self.horizon:g}")
        return "; ".join(parts)

    def _name(self, point: Any) -> str:
        if any(_same_point(point, e) for e in self.ess):
            return f"the ESS {point_text(point)}"
        return f"the rest point {point_text(point)}"

    def summary(self) -> dict[str, Any]:
        """Counts by outcome and point, for a JSON summary.

        Returns
        -------
        dict
            ``paths``, ``horizon``, ``outcomes`` (a list of ``{outcome, point, paths}``) and
            ``sentence``; plain Python numbers, ready for ``json.dumps``.

        Examples
        --------
        >>> po = PathOutcomes(("rest", "rest", "cycle"), ((1, 1), (1, 1), (0.5, 0.5)),
        ...                   ((1, 1),), 40.0)
        >>> po.summary()["outcomes"][0]
        {'outcome': 'rest', 'point': [1.0, 1.0], 'paths': 2}
        """
        return {
            "paths": self.n_paths,
            "horizon": self.horizon,
            "outcomes": [
                {"outcome": o, "point": None if p is None else [float(v) for v in p], "paths": n}
                for o, p, n in self.groups()
            ],
            "sentence": self.sentence(),
        }

    def to_frame(self) -> pd.DataFrame:
        """One row per outcome: the point, the number and the share of paths.

        Returns
        -------
        pandas.DataFrame
            Columns ``outcome``, ``point``, ``paths``, ``share``.

        Examples
        --------
        >>> po = PathOutcomes(("rest", "rest", "cycle"), ((1, 1), (1, 1), (0.5, 0.5)),
        ...                   ((1, 1),), 40.0)
        >>> po.to_frame()["paths"].tolist()
        [2, 1]
        """
        rows = [
            {"outcome": o, "point": p, "paths": n, "share": n / self.n_paths}
            for o, p, n in self.groups()
        ]
        return pd.DataFrame(rows, columns=["outcome", "point", "paths", "share"])

    def __repr__(self) -> str:
        return f"PathOutcomes({self.sentence()})"

    def _repr_html_(self) -> str:
        try:
            return f"<p>{html.escape(self.sentence())}</p>" + self.to_frame().to_html(index=False)
        except Exception:  # a display hook must never raise
            return "<pre>" + html.escape(repr(self)) + "</pre>"


def _same_point(a: Any, b: Any) -> bool:
    if a is None or b is None:
        return a is b
    return bool(np.allclose(np.asarray(a, dtype=float), np.asarray(b, dtype=float), atol=1e-9))


def path_outcomes(
    ev: EvolutionaryGame,
    trajectories: Trajectories,
    *,
    window: float = 0.25,
    settle: float = 1e-3,
    radius: float = 1e-2,
) -> PathOutcomes:
    """Classify simulated paths: the rest point each ends at, the cycles, the rest.

    See :meth:`EvolutionaryGame.path_outcomes`.

    Parameters
    ----------
    ev : EvolutionaryGame
        The game the paths were simulated from.
    trajectories : Trajectories
        The result of :meth:`EvolutionaryGame.simulate`.
    window : float, default 0.25
        The last share of the output times on which a path is judged, in (0, 1].
    settle : float, default 1e-3
        A path moving less than this (max-norm) over the window has settled, in (0, 1].
    radius : float, default 1e-2
        A settled path ends at the rest point within this distance, in (0, 1].

    Returns
    -------
    PathOutcomes
        Where each path ends.

    Raises
    ------
    ParameterError
        ``trajectories`` not from ``simulate``, a setting outside its range, or
        trajectories of another dimension.

    Examples
    --------
    In a coordination game, every path settles at one of the two conventions:

    >>> import alliance as al
    >>> g = al.NormalFormGame.from_matrices([[2, 0], [0, 1]], [[2, 0], [0, 1]])
    >>> ev = al.EvolutionaryGame(g)
    >>> paths = ev.simulate([[0.9, 0.9], [0.1, 0.1], [0.2, 0.8]], 30.0)
    >>> path_outcomes(ev, paths).sentence()
    '2 of 3 trajectories (67%) converge to the ESS (1, 1); 1 (33%) converges to the ESS (0, 0)'
    """
    if not isinstance(trajectories, Trajectories):
        raise ParameterError(
            f"trajectories is a {type(trajectories).__name__}; pass the result of simulate()"
        )
    for name, value, hi in (("window", window, 1.0), ("settle", settle, 1.0), ("radius", radius, 1.0)):
        if not (isinstance(value, (int, float)) and 0 < value <= hi):
            raise ParameterError(f"{name} is {value!r}; it must lie in (0, {hi:g}]")
    states = trajectories.states
    m, n_t, d = states.shape
    if d != ev.dimension:
        raise ParameterError(
            f"trajectories have {d} state variables; the game has {ev.dimension}"
        )
    numeric = ev.subs(trajectories.params) if ev.is_symbolic else ev
    table = numeric.stability_table()
    rows = [(p, note) for p, note in zip(table["point"], table["note"])]
    labels = [p for p, note in rows if note != "continuum of rest points"]
    points = [np.array([float(v) for v in p], dtype=float) for p in labels]
    start = min(int(np.floor((1 - window) * (n_t - 1))), n_t - 2)
    tail = states[:, start:, :]
    final = states[:, -1, :]
    moving = np.abs(tail - final[:, None, :]).max(axis=(1, 2))
    if points:
        P = np.stack(points)
        to_final = np.abs(final[:, None, :] - P[None, :, :]).max(axis=2)
    # Turning around each rest point off the corners, in the plane of two of its interior
    # coordinates: whole turns over the path, and over its second half.
    turns = np.zeros((m, len(points)))
    half = n_t // 2
    for c, centre in enumerate(points):
        inside = np.flatnonzero((centre > 1e-9) & (centre < 1 - 1e-9))
        if len(inside) < 2:
            continue
        if len(inside) > 2:
            spread = states[:, half:, inside].var(axis=1).mean(axis=0)
            inside = inside[np.argsort(spread)[-2:]]
        i, j = inside
        angle = np.unwrap(
            np.arctan2(states[:, :, j] - centre[j], states[:, :, i] - centre[i]), axis=1
        )
        whole = (angle.max(axis=1) - angle.min(axis=1)) / (2 * np.pi)
        late = (angle[:, half:].max(axis=1) - angle[:, half:].min(axis=1)) / (2 * np.pi)
        turns[:, c] = np.where(late >= 0.5, whole, 0.0)
    outcomes, where = [], []
    for k in range(m):
        if moving[k] <= settle and points and to_final[k].min() <= radius:
            outcomes.append("rest")
            where.append(labels[int(to_final[k].argmin())])
        elif moving[k] > settle and points and turns[k].max() >= 1.0:
            outcomes.append("cycle")
            where.append(labels[int(turns[k].argmax())])
        else:
            outcomes.append("undecided")
            where.append(None)
    return PathOutcomes(
        tuple(outcomes), tuple(where), tuple(numeric.ess()), float(trajectories.t[-1])
    )
