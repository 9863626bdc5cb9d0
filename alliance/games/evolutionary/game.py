r"""Multi-population replicator dynamics of an asymmetric game.

Each player of a :class:`~alliance.games.normal_form.NormalFormGame` is a population; the
state is the share of each population playing each strategy. For a population with two
strategies the state variable ``x`` is the share playing the first one and

.. math:: \dot x = x (1 - x) \, [u(\text{first}) - u(\text{second})],

where ``u`` is the expected payoff against the other populations' current shares
(Taylor 1979; Weibull 1995, ch. 5). With ``k > 2`` strategies the variables are the shares
of the first ``k - 1`` strategies and :math:`\dot x_a = x_a (u_a - \bar u)`.

At a pure corner the Jacobian is (block-)triangular and each eigenvalue is a population's
payoff gain from switching strategy there (Friedman 1991); a corner is asymptotically
stable exactly when it is a strict Nash equilibrium, and no other rest point of
multi-population replicator dynamics is asymptotically stable (Ritzberger & Weibull 1995).

:class:`EvolutionaryGame` is a facade; each concept lives in its own module:
:mod:`~alliance.games.evolutionary.equations` (state variables, equations, Jacobian,
corners), :mod:`~alliance.games.evolutionary.rest_points`,
:mod:`~alliance.games.evolutionary.stability` (the table, with conditions decided on the
declared ranges by :mod:`~alliance.games.evolutionary.conditions`),
:mod:`~alliance.games.evolutionary.tables` and
:mod:`~alliance.games.evolutionary.journal` (checking published tables),
:mod:`~alliance.games.evolutionary.simulation` and
:mod:`~alliance.games.evolutionary.integrate` (trajectories), and
:mod:`~alliance.games.evolutionary.outcomes` (where trajectories end).

References
----------
Friedman, D. (1991). Evolutionary games in economics. *Econometrica*, 59(3), 637–666.
Ritzberger, K., & Weibull, J. W. (1995). Evolutionary selection in normal-form games.
*Econometrica*, 63(6), 1371–1399.
Taylor, P. D. (1979). Evolutionarily stable strategies with two types of player.
*Journal of Applied Probability*, 16(1), 76–83.
Weibull, J. W. (1995). *Evolutionary Game Theory*. MIT Press.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import sympy as sp

from alliance.errors import InvalidGameError, ParameterError, SizeLimitError
from alliance.games.evolutionary.equations import ReplicatorSystem
from alliance.games.evolutionary.outcomes import PathOutcomes
from alliance.games.evolutionary.rest_points import RestPointSolver
from alliance.games.evolutionary.results import (
    ReplicatorEquations,
    RestPoint,
    StabilityTable,
    TableCheck,
    Trajectories,
)
from alliance.games.evolutionary.simulation import simulate_paths, velocity_at
from alliance.games.evolutionary.stability import RITZBERGER_WEIBULL, StabilityAnalysis
from alliance.games.normal_form import NormalFormGame
from alliance.games.symbolic import Domain

__all__ = ["EvolutionaryGame", "MAX_POPULATIONS", "RITZBERGER_WEIBULL"]

#: Most populations supported (the state space has up to 2**6 corners for 2 strategies each).
MAX_POPULATIONS = 6
#: Most strategy profiles (pure corners) the symbolic analysis accepts.
MAX_CORNERS = 4096


class EvolutionaryGame:
    """Multi-population replicator dynamics of an asymmetric normal-form game.

    Parameters
    ----------
    game : NormalFormGame or EvolutionaryGame
        A game with 2 to 6 players (populations), each with at least 2 strategies;
        numeric or symbolic payoffs. Wrapping an EvolutionaryGame again is harmless: its
        game is used, with its variable names unless ``variables`` is given.
    variables : sequence of str, optional
        One base name per population for its state variables (default ``x, y, z, w``...,
        skipping names the game uses as parameters). A population with ``k > 2``
        strategies gets ``x1 .. x{k-1}``.

    Raises
    ------
    InvalidGameError
        Fewer than 2 populations, a population with a single strategy, clashing names.
    SizeLimitError
        More than 6 populations or more than 4096 pure profiles.

    Examples
    --------
    >>> import alliance as al
    >>> g = al.NormalFormGame.from_matrices(
    ...     [[2, -1], [0, 0]], [[1, 3], [0, 0]], players=("Bank", "SME"),
    ...     strategies=(("lend", "refuse"), ("repay", "default")))
    >>> ev = EvolutionaryGame(g)
    >>> ev.equations()
    ReplicatorEquations(
      dx/dt = x*(1 - x)*(3*y - 1)    # share of Bank playing 'lend'
      dy/dt = -2*x*y*(1 - y)    # share of SME playing 'repay'
    )
    >>> ev.stability_table(points="corners")[["point", "eigenvalues", "verdict"]]
        point eigenvalues                        verdict
    0  (0, 0)     (-1, 0)  non-hyperbolic (undetermined)
    1  (1, 0)     (1, -2)                         saddle
    2  (0, 1)      (2, 0)                       unstable
    3  (1, 1)     (-2, 2)                         saddle
    """

    def __init__(
        self, game: NormalFormGame | EvolutionaryGame, *, variables: Sequence[str] | None = None
    ) -> None:
        if isinstance(game, EvolutionaryGame):  # wrapping twice gives the same dynamics
            variables = tuple(game._bases) if variables is None else variables
            game = game.game
        if not isinstance(game, NormalFormGame):
            raise InvalidGameError(
                f"game is a {type(game).__name__}; EvolutionaryGame needs a NormalFormGame"
            )
        n = game.n_players
        if n < 2:
            raise InvalidGameError(
                f"game has {n} player ({', '.join(game.players)}); multi-population replicator "
                "dynamics need 2 to 6 players (one population each)"
            )
        if n > MAX_POPULATIONS:
            raise SizeLimitError(
                f"game has {n} players; EvolutionaryGame supports at most {MAX_POPULATIONS} populations"
            )
        for player, strategies in zip(game.players, game.strategies):
            if len(strategies) < 2:
                raise InvalidGameError(
                    f"player '{player}' has one strategy ({strategies[0]!r}); every population "
                    "needs at least 2 strategies"
                )
        if math.prod(game.shape) > MAX_CORNERS:
            raise SizeLimitError(
                f"game has {math.prod(game.shape)} pure profiles; the analysis supports at most {MAX_CORNERS}"
            )
        self.game = game
        self.system = ReplicatorSystem(game, variables)
        self.populations: tuple[str, ...] = game.players
        self.strategies: tuple[tuple[str, ...], ...] = game.strategies
        self.n_populations = n
        self.variables: tuple[sp.Symbol, ...] = self.system.variables
        self.descriptions: tuple[str, ...] = self.system.descriptions
        self.dimension = self.system.dimension
        self._bases = self.system.bases  # read by the model-file writer to keep the names

    @functools.cached_property
    def domain(self) -> Domain:
        """The parameters with their declared assumptions and ranges, as every condition
        (stability, existence of rest points) is simplified on them."""
        return Domain.of_game(self.game)

    @functools.cached_property
    def _solver(self) -> RestPointSolver:
        return RestPointSolver(self.system, self.domain)

    @functools.cached_property
    def _stability(self) -> StabilityAnalysis:
        return StabilityAnalysis(self.system, self._solver, self.domain)

    # ------------------------------------------------------------------ properties
    @property
    def is_symbolic(self) -> bool:
        """True when the payoffs have free parameters."""
        return self.game.is_symbolic

    @property
    def params(self) -> tuple[sp.Symbol, ...]:
        """The free parameters of the game."""
        return self.game.params

    @property
    def is_binary(self) -> bool:
        """True when every population has exactly two strategies."""
        return all(len(s) == 2 for s in self.strategies)

    def __repr__(self) -> str:
        dims = "×".join(str(len(s)) for s in self.strategies)
        names = ", ".join(v.name for v in self.variables)
        return (
            f"EvolutionaryGame({' × '.join(self.populations)}, {dims}, {self.game.kind}; "
            f"variables {names})"
        )

    def _repr_html_(self) -> str:
        try:
            return self.equations()._repr_html_()
        except Exception:  # a display hook must never raise
            import html

            return "<pre>" + html.escape(repr(self)) + "</pre>"

    def subs(self, values: Mapping[str, Any] | None = None, **kwargs: Any) -> EvolutionaryGame:
        """The same dynamics with parameter values substituted (see :meth:`NormalFormGame.subs`).

        Parameters
        ----------
        values : Mapping, optional
            Parameter name -> number (or expression), checked against the declared ranges.
        **kwargs
            The same, as keywords (``subs(a=2)``).

        Returns
        -------
        EvolutionaryGame
            The dynamics of the substituted game, with the same state variables.

        Raises
        ------
        ParameterError
            An unknown parameter or a value outside its declared range.

        Examples
        --------
        >>> import alliance as al
        >>> g = al.NormalFormGame.from_matrices([["a", 0], [0, 1]], [["a", 0], [0, 1]],
        ...                                     params={"a": "positive"})
        >>> EvolutionaryGame(g).subs(a=2).ess()
        [(0, 0), (1, 1)]
        """
        return EvolutionaryGame(self.game.subs(values, **kwargs), variables=self._bases)

    # ------------------------------------------------------------------ equations
    def expected_payoffs(self) -> dict[str, dict[str, sp.Expr]]:
        """Each population's expected payoff of each strategy, in the state variables.

        Returns
        -------
        dict
            Population -> {strategy: expected payoff}, SymPy expressions of the state
            variables (and parameters).

        Examples
        --------
        >>> import alliance as al
        >>> g = al.NormalFormGame.from_matrices([[1, 0], [0, 2]], [[1, 0], [0, 2]])
        >>> EvolutionaryGame(g).expected_payoffs()["Player 1"]
        {'s1': y, 's2': 2 - 2*y}
        """
        return {
            p: dict(zip(self.strategies[i], self.system.u[i]))
            for i, p in enumerate(self.populations)
        }

    def equations(self) -> ReplicatorEquations:
        """The replicator system, one equation per state variable.

        Returns
        -------
        ReplicatorEquations
            ``variables``, right-hand sides ``rhs`` and what each variable measures.

        Examples
        --------
        >>> import alliance as al
        >>> g = al.NormalFormGame.from_matrices([[3, 0], [5, 1]], [[3, 5], [0, 1]])
        >>> EvolutionaryGame(g).equations().rhs
        (x*(1 - x)*(-y - 1), y*(1 - y)*(-x - 1))
        """
        return ReplicatorEquations(self.variables, self.system.rhs, self.descriptions)

    def jacobian(self, point: Any = None) -> sp.Matrix:
        """The Jacobian of the replicator system, symbolic, or at a point.

        Parameters
        ----------
        point : optional
            A :class:`RestPoint`, a sequence of coordinates, a dict ``{variable: value}`` or
            a pure profile given by strategy names. ``None`` returns the symbolic matrix.

        Returns
        -------
        sympy.Matrix
            ``d x d``, exact at a point of a numeric game.

        Examples
        --------
        >>> import alliance as al
        >>> g = al.NormalFormGame.from_matrices([[3, 0], [5, 1]], [[3, 5], [0, 1]])
        >>> EvolutionaryGame(g).jacobian((1, 1))
        Matrix([
        [2, 0],
        [0, 2]])
        """
        return self.system.jacobian(point)

    def eigenvalues(self, point: Any) -> list:
        """Eigenvalues of the Jacobian at a point (symbolic or exact when possible).

        At a pure corner they are read off the diagonal: the Jacobian there is triangular up
        to a permutation, and each eigenvalue is a population's payoff gain from switching
        to another strategy.

        Parameters
        ----------
        point : RestPoint, sequence, dict or tuple of str
            As in :meth:`jacobian` (``None`` is not accepted).

        Returns
        -------
        list
            The eigenvalues, exact numbers or SymPy expressions (floats when only a
            numerical answer exists).

        Examples
        --------
        In the prisoner's dilemma, mutual cooperation (state (1, 1)) is a source and mutual
        defection (0, 0) a sink:

        >>> import alliance as al
        >>> g = al.NormalFormGame.from_matrices([[3, 0], [5, 1]], [[3, 5], [0, 1]])
        >>> ev = EvolutionaryGame(g)
        >>> [str(v) for v in ev.eigenvalues((1, 1))], [str(v) for v in ev.eigenvalues((0, 0))]
        (['2', '2'], ['-1', '-1'])
        """
        return self.system.eigenvalues(point)

    def corners(self) -> list[tuple[int, ...]]:
        """Every pure corner as a profile of strategy indices, in the order papers print them.

        With two strategies each: by the number of populations playing their first strategy,
        then lexicographically from the first population, i.e. (0,0,0), (1,0,0), (0,1,0),
        (0,0,1), (1,1,0), ... in state coordinates.

        Returns
        -------
        list of tuple of int
            Strategy indices (0 = first strategy), so ``(1, 1)`` is the state ``(0, 0)``.

        Examples
        --------
        >>> import alliance as al
        >>> g = al.NormalFormGame.from_matrices([[3, 0], [5, 1]], [[3, 5], [0, 1]])
        >>> EvolutionaryGame(g).corners()
        [(1, 1), (0, 1), (1, 0), (0, 0)]
        """
        return self.system.corners()

    # ------------------------------------------------------------------ rest points
    def rest_points(self, *, corners_only: bool = False) -> list[RestPoint]:
        """Every pure corner, and the rest points on faces and in the interior.

        A non-corner rest point mixes the strategies in its supports so that each mixing
        population is indifferent among them. Numeric games: found exactly (rational
        payoffs) or from the exact binary value of float payoffs, kept when they lie in the
        state space. Symbolic games: solved in closed form where at most two populations
        mix (each indifference condition is then linear), with the conditions for the
        point to lie in the state space; rest points where more populations mix are listed
        in ``self.skipped_faces`` (substitute parameter values to find them).

        Parameters
        ----------
        corners_only : bool
            Only the pure corners.

        Returns
        -------
        list of RestPoint
            Corners first, then face and interior rest points.

        Examples
        --------
        The coordination game has a mixed rest point besides its four corners:

        >>> import alliance as al
        >>> g = al.NormalFormGame.from_matrices([[2, 0], [0, 1]], [[2, 0], [0, 1]])
        >>> [str(x) for x in EvolutionaryGame(g).rest_points()[-1].point]
        ['1/3', '1/3']
        """
        return self._solver.rest_points(corners_only=corners_only)

    @property
    def skipped_faces(self) -> list[str]:
        """Faces whose rest points were not derived symbolically (more than two mixing populations)."""
        return self._solver.skipped

    # ------------------------------------------------------------------ stability
    def stability_table(
        self,
        params: Mapping[str, Any] | None = None,
        *,
        points: str = "all",
        tol: float = 1e-9,
    ) -> StabilityTable:
        """The stability table: every rest point, its eigenvalues and its verdict.

        Parameters
        ----------
        params : dict, optional
            Parameter values; the table of the game with these values substituted.
        points : {"all", "corners"}
            Every rest point (default) or only the pure corners.
        tol : float
            Eigenvalues of float games with absolute real part at most ``tol`` count as zero.

        Returns
        -------
        StabilityTable
            A DataFrame with columns ``point``, ``kind``, ``profile``, ``eigenvalues``
            (λ1..λd in the order of the state variables), ``signs`` (of the real parts:
            ``-``, ``+``, ``0``, ``i`` for purely imaginary, ``?`` when the declared
            ranges do not decide), ``verdict`` (``"ESS"``: every eigenvalue negative;
            ``"saddle"``: some positive and some negative; ``"unstable"``: some
            positive, none negative; ``"centre"``: a purely imaginary pair and none
            positive; ``"non-hyperbolic (undetermined)"``: a zero real part and none
            positive; for symbolic games also ``"conditional"``: an ESS exactly under
            ``ess_conditions``, and ``"not ESS"``), ``ess_conditions``, ``existence``
            (conditions for the point to lie in the state space) and ``note``. Every
            condition is simplified on the parameters' declared assumptions and ranges:
            one that no admissible point satisfies makes the verdict ``"not ESS"`` (or
            removes the rest point), one that every admissible point satisfies gives the
            unconditional verdict. Rest points other than corners are never called ESS
            (Ritzberger & Weibull 1995).

        Examples
        --------
        >>> import alliance as al
        >>> g = al.NormalFormGame.from_payoffs(
        ...     {("lend", "repay"): ("r", "b"), ("lend", "default"): ("-c", "b + d"),
        ...      ("refuse", "repay"): (0, 0), ("refuse", "default"): (0, 0)},
        ...     players=("Bank", "SME"), params={"r": "positive", "c": "positive",
        ...                                      "b": "positive", "d": "real"})
        >>> t = EvolutionaryGame(g).stability_table(points="corners")
        >>> t[["point", "eigenvalues", "verdict", "ess_conditions"]]
            point eigenvalues                        verdict ess_conditions
        0  (0, 0)     (-c, 0)  non-hyperbolic (undetermined)          False
        1  (1, 0)     (c, -d)                        not ESS          False
        2  (0, 1)      (r, 0)                       unstable          False
        3  (1, 1)     (-r, d)                    conditional          d < 0

        Declared ranges are part of the maths: in the lending game once the SME has
        applied (its strategies restricted to repay and default), with ``pi`` in [0, 1], an eigenvalue
        ``70*pi - 103`` is negative, so no condition on ``pi`` is left that no ``pi``
        in the range could satisfy:

        >>> from alliance.models import lending_game
        >>> game = lending_game(symbolic=["pi", "F"]).subs(F=20).restrict(SME=("repay", "default"))
        >>> t = EvolutionaryGame(game).stability_table(points="corners")
        >>> t[["point", "eigenvalues", "signs", "verdict"]]
            point                 eigenvalues   signs                        verdict
        0  (0, 0)            (70*pi - 103, 0)  (-, 0)  non-hyperbolic (undetermined)
        1  (1, 0)  (103 - 70*pi, 90*pi - 106)  (+, -)                         saddle
        2  (0, 1)                      (3, 0)  (+, 0)                       unstable
        3  (1, 1)           (-3, 106 - 90*pi)  (-, +)                         saddle
        """
        if points not in ("all", "corners"):
            raise ParameterError(f"points is {points!r}; use 'all' or 'corners'")
        if not (isinstance(tol, (int, float)) and math.isfinite(tol) and tol >= 0):
            raise ParameterError(f"tol is {tol!r}; it must be a finite number >= 0")
        if params:
            return self.subs(params).stability_table(points=points, tol=tol)
        table = self._stability.table(points, tol)
        out = StabilityTable(table.copy())
        out.attrs = dict(table.attrs)
        return out

    def ess(self, params: Mapping[str, Any] | None = None) -> list[tuple]:
        """The corners that are ESS (asymptotically stable), at ``params`` for a symbolic game.

        Parameters
        ----------
        params : Mapping, optional
            Parameter values (required for a symbolic game).

        Returns
        -------
        list of tuple
            The ESS corners in state coordinates (1 = first strategy).

        Examples
        --------
        >>> import alliance as al
        >>> g = al.NormalFormGame.from_matrices([[2, 0], [0, 1]], [[2, 0], [0, 1]])
        >>> EvolutionaryGame(g).ess()
        [(0, 0), (1, 1)]
        """
        return self.stability_table(params, points="corners").ess

    # ------------------------------------------------------------------ published tables
    def check_table(
        self,
        published: Any,
        *,
        tol: float = 1e-9,
        aliases: Mapping[str, str] | None = None,
        coordinates: Sequence[str] | None = None,
        form: str | None = None,
    ) -> TableCheck:
        """Check a published stability table (eigenvalues or det and trace, verdicts).

        Parameters
        ----------
        published : dict, DataFrame or str
            ``{corner: [λ1, λ2, ...]}``, ``{corner: {"det": ..., "tr": ..., "verdict":
            ...}}`` (or ``"eigenvalues"``, ``"label"``), a DataFrame (index = corner;
            columns ``det``/``tr``/``verdict`` by name, the others eigenvalues), or the
            table's text pasted from the journal (see
            :func:`~alliance.games.evolutionary.tables.read_journal_table`). A corner is a
            tuple of 0/1 coordinates, text such as ``"E3 (1, 0, 1)"`` or a tuple of
            strategy names. Values are numbers, SymPy expressions (matched to the game's
            parameters by name, whatever their assumptions) or text as journals print it:
            Unicode minus signs and dashes, ``×`` and ``·``, juxtaposed names (``2pL``),
            subscripts (``C₁``, ``C_1``, ``C1``) and Greek letters, all read through the
            safe parser (:mod:`alliance.games.evolutionary.journal`). Corners left out are
            reported as unchecked.
        tol : float
            Tolerance when comparing floats.
        aliases : dict, optional
            The paper's parameter names mapped to the game's (``{"C_1": "c_b"}``).
        coordinates : sequence of str, optional
            The populations in the order of the paper's coordinates, when it differs from
            the game's (two strategies each).
        form : {"eigenvalues", "det-trace"}, optional
            How to read list entries and text cells (default: eigenvalues, or from the
            text's header).

        Returns
        -------
        TableCheck
            One row per published entry with a diagnosis (``"match"``, ``"sign slip"``,
            ``"order"``, ``"swap"``, ``"det/tr interchanged"``, ``"column shifted"``,
            ``"neighbour's value"``, ``"wrong expression"``, ``"wrong verdict"``,
            ``"missing"``, ``"extra"``), the systematic patterns in one line each, the
            unchecked corners, and the errata as a table (``errata()``, ``to_latex()``,
            HTML).

        Examples
        --------
        >>> import alliance as al
        >>> g = al.NormalFormGame.from_matrices([[3, 0], [5, 1]], [[3, 5], [0, 1]])
        >>> ev = EvolutionaryGame(g)
        >>> ev.check_table({"(1, 1)": ["2", "2"], "(0, 0)": ["−1", "1"]})
        TableCheck(3 of 4 eigenvalues match:
          (0, 0) λ2: sign slip — published 1, derived -1; equals λ1 at (1, 0), λ2 at (0, 1)
          unchecked: 2 corners not in the published table: (1, 0), (0, 1)
        )
        """
        from alliance.games.evolutionary.tables import check_published_table

        return check_published_table(
            self, published, tol=tol, aliases=aliases, coordinates=coordinates, form=form
        )

    # ------------------------------------------------------------------ numerics
    def path_outcomes(
        self,
        trajectories: Trajectories,
        *,
        window: float = 0.25,
        settle: float = 1e-3,
        radius: float = 1e-2,
    ) -> PathOutcomes:
        """Where simulated paths end: the share at each rest point, the cycles, the rest.

        Parameters
        ----------
        trajectories : Trajectories
            The result of :meth:`simulate` (its parameters are used for the rest points).
        window : float
            The last share of the output times on which a path is judged.
        settle : float
            A path moving less than this (max-norm) over the window has settled.
        radius : float
            A settled path ends at the rest point within this distance of its end state.

        Returns
        -------
        PathOutcomes
            Per path ``"rest"`` (with the rest point), ``"cycle"`` (with the rest point the
            cycle surrounds) or ``"undecided"``; ``sentence()`` states the shares.

        Examples
        --------
        >>> import alliance as al
        >>> g = al.NormalFormGame.from_matrices([[3, 0], [5, 1]], [[3, 5], [0, 1]])
        >>> ev = EvolutionaryGame(g)
        >>> ev.path_outcomes(ev.simulate([[0.9, 0.9], [0.5, 0.1]], 30)).sentence()
        'every one of the 2 trajectories converges to the ESS (0, 0)'
        """
        from alliance.games.evolutionary.outcomes import path_outcomes

        return path_outcomes(self, trajectories, window=window, settle=settle, radius=radius)

    def velocity(self, points: Any, params: Mapping[str, Any] | None = None) -> np.ndarray:
        """The replicator vector field at many points, shape (m, d), vectorised.

        Parameters
        ----------
        points : array_like, shape (m, d) or (d,)
            States, each coordinate a share in [0, 1].
        params : Mapping, optional
            Parameter values (required for a symbolic game).

        Returns
        -------
        numpy.ndarray, shape (m, d)
            :math:`\\dot x` at each point.

        Examples
        --------
        >>> import alliance as al
        >>> g = al.NormalFormGame.from_matrices([[3, 0], [5, 1]], [[3, 5], [0, 1]])
        >>> EvolutionaryGame(g).velocity([[0.5, 0.5]]).round(4)
        array([[-0.375, -0.375]])
        """
        return velocity_at(self.system, points, params)

    def simulate(
        self,
        x0: Any,
        t: float | Sequence[float],
        params: Mapping[str, Any] | None = None,
        *,
        method: str = "dopri5",
        atol: float = 1e-9,
        rtol: float = 0.0,
        max_steps: int = 100_000,
        progress: bool | None = None,
    ) -> Trajectories:
        """Trajectories of the replicator dynamics from many initial points at once.

        Parameters
        ----------
        x0 : array_like, shape (d,) or (m, d)
            Initial states in the state variables (each share in [0, 1]; the shares of a
            population with more than two strategies sum to at most 1).
        t : float or array_like
            End time (output at 201 evenly spaced times from 0), or increasing output times.
        params : dict, optional
            Parameter values of a symbolic game (all of them).
        method : {"dopri5", "solve_ivp"}
            ``"dopri5"``: every trajectory at once, Dormand–Prince 5(4) with per-trajectory
            step control in logit coordinates (states stay in the unit cube by
            construction). ``"solve_ivp"``: SciPy's DOP853 on each trajectory in turn, same
            coordinates (slow; a reference for checks).
        atol, rtol : float
            Local error tolerances of the logits ``log(x / (1 - x))``.
        max_steps : int
            Most steps a trajectory may take.
        progress : bool or None
            Show a progress bar (None: only in a terminal).

        Returns
        -------
        Trajectories
            ``t``, ``states`` of shape (m, T, d), ``final``.

        Raises
        ------
        ParameterError
            Initial points outside the state space, bad times, missing or non-finite
            parameters.

        Examples
        --------
        >>> import alliance as al
        >>> g = al.NormalFormGame.from_matrices([[3, 0], [5, 1]], [[3, 5], [0, 1]])
        >>> EvolutionaryGame(g).simulate([[0.9, 0.9], [0.5, 0.1]], 30).final.round(6)
        array([[0., 0.],
               [0., 0.]])
        """
        return simulate_paths(
            self.system,
            x0,
            t,
            params,
            method=method,
            atol=atol,
            rtol=rtol,
            max_steps=max_steps,
            progress=progress,
        )
