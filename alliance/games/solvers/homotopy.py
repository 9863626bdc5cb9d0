"""Every isolated solution of a support's indifference system, by polynomial homotopy.

Support enumeration for n players (:mod:`alliance.games.solvers.support_nplayer`) must solve,
for each support combination, a square system that is *multilinear by blocks*: the unknowns
are the probabilities ``y_i`` of each mixing player ``i`` on its support, and

* player ``i``'s indifference equations (``|S_i| - 1`` of them) are of degree one in each
  other mixing player's block and of degree zero in its own;
* player ``i``'s normalisation ``sum(y_i) = 1`` is linear in its own block.

Such a system has at most as many isolated complex solutions as its *multihomogeneous Bézout
number* (McKelvey and McLennan 1997), and a linear-product start system with exactly that
many solutions is built from the same block structure: each indifference equation is replaced
by a product of one random complex linear form per other mixing block, and each choice of one
factor per equation that leaves every block ``j`` with exactly ``|S_j| - 1`` vanishing factors
gives one start solution (block by block, a square linear system). The homotopy

.. math:: H(y, t) = (1 - t)\\,\\gamma\\,G(y) + t\\,F(y), \\qquad t: 0 \\to 1,

with a random complex :math:`\\gamma` (the "gamma trick") has, with probability one, smooth
paths from the start solutions that end at every isolated solution of ``F`` (Morgan and
Sommese 1987; Sommese and Wampler 2005). All paths are tracked together, vectorised over
paths: an Euler predictor in ``t`` with a step per path, three Newton corrections, the step
halved on failure and lengthened after success. Paths whose norm explodes end at infinity
(solutions the start count allows but the system lacks).

The caller verifies every endpoint (real, in the simplex, a best reply off the support, by
the payoff regret); :func:`solve_block_system` also reports when an endpoint is singular or a
path failed, so that the caller can fall back to exact algebra for that support (degenerate
games with continua of equilibria).

Examples
--------
Two players with two strategies and a third with two, all mixing: Jordan's three-player
matching pennies has the single totally mixed solution ``(1/2, 1/2)`` for everyone.

>>> import numpy as np
>>> # D[i][0, a, b]: player i's payoff from s2 minus s1 when the other two play (a, b)
>>> D = {0: np.array([[[-1.0, -1.0], [1.0, 1.0]]]),    # player 1 matches player 2
...      1: np.array([[[-1.0, 1.0], [-1.0, 1.0]]]),    # player 2 matches player 3
...      2: np.array([[[1.0, 1.0], [-1.0, -1.0]]])}    # player 3 mismatches player 1
>>> result = solve_block_system((2, 2, 2), D, seed=0)
>>> [np.round(y.real, 12).tolist() for y in result.solutions[0]]
[[0.5, 0.5], [0.5, 0.5], [0.5, 0.5]]

References
----------
McKelvey, R. D. and McLennan, A. (1997). The maximal number of regular totally mixed Nash
equilibria. *Journal of Economic Theory* 72(2), 411-425.

Morgan, A. and Sommese, A. (1987). A homotopy for solving general polynomial systems that
respects m-homogeneous structures. *Applied Mathematics and Computation* 24(2), 101-113.

Sommese, A. J. and Wampler, C. W. (2005). *The Numerical Solution of Systems of Polynomials
Arising in Engineering and Science*. World Scientific.

Datta, R. S. (2010). Finding all Nash equilibria of a finite game using polynomial algebra.
*Economic Theory* 42(1), 55-96.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

__all__ = [
    "BlockSystemResult",
    "bezout_count",
    "polish_endpoints",
    "solve_binary_triples",
    "solve_block_system",
    "solve_block_systems",
]

#: Norm beyond which a path is taken to go to infinity.
DIVERGED = 1e7
#: Smallest step in t before a path is declared failed (a singular or diverging endpoint; the
#: caller then solves the support otherwise).
MIN_STEP = 1e-8
#: Largest last Newton step (relative) accepted while tracking; endpoints are polished further.
TRACK_TOL = 1e-6
#: Newton steps after each (fourth-order) prediction.
CORRECTOR_STEPS = 2
#: Norm beyond which a path past t = 0.9 is taken to go to infinity.
LATE_DIVERGED = 1e4
#: Residual (sup norm, relative to the coefficients) accepted for an endpoint.
ENDPOINT_TOL = 1e-9


@dataclass(frozen=True)
class BlockSystemResult:
    """Endpoints of a block-multilinear homotopy.

    Made by :func:`solve_block_systems`, :func:`solve_block_system`,
    :func:`polish_endpoints` and :func:`solve_binary_triples`.

    Parameters
    ----------
    solutions : list of list of ndarray
        The finite endpoints that solve the system, each as one complex vector per block.
    singular : bool
        Some finite endpoint has a (numerically) singular Jacobian: the system may have a
        continuum of solutions, which a homotopy does not resolve.
    failed : int
        Paths that neither converged nor diverged.
    paths : int
        Number of paths tracked (the multihomogeneous Bézout number).
    singular_points : list of list of ndarray
        The finite endpoints with a singular Jacobian (points of a continuum, or solutions of
        multiplicity above one), as found.
    irrational : list of bool
        Empty, or one flag per solution, True when exact algebra certifies that the rational
        rounding (``limit_denominator(10**6)``) of one of its coordinates is that coordinate
        of no solution of the system: then no rational profile with that rounding and the
        same support solves it (set by :mod:`alliance.games.solvers.binary_exact`).

    Examples
    --------
    Jordan's three-player matching pennies: two paths, one ends at the totally mixed
    solution, the other at infinity.

    >>> import numpy as np
    >>> D = {0: np.array([[[-1.0, -1.0], [1.0, 1.0]]]), 1: np.array([[[-1.0, 1.0], [-1.0, 1.0]]]),
    ...      2: np.array([[[1.0, 1.0], [-1.0, -1.0]]])}
    >>> result = solve_block_system((2, 2, 2), D, seed=0)
    >>> result.paths, result.failed, result.singular, len(result.solutions)
    (2, 0, False, 1)
    """

    solutions: list[list[np.ndarray]]
    singular: bool
    failed: int
    paths: int
    singular_points: list = field(default_factory=list)
    irrational: list = field(default_factory=list)


@functools.lru_cache(maxsize=4096)
def _assignments(sizes: tuple[int, ...]) -> tuple[tuple[int, ...], ...]:
    """Every choice of a block for each indifference equation giving each block its count.

    Equation ``(i, e)`` (player ``i``'s ``e``-th indifference) chooses a block ``j != i``;
    block ``j`` must be chosen by exactly ``sizes[j] - 1`` equations.
    """
    n = len(sizes)
    owners = [i for i in range(n) for _ in range(sizes[i] - 1)]
    need = [k - 1 for k in sizes]
    out: list[tuple[int, ...]] = []
    chosen: list[int] = []

    def extend(position: int) -> None:
        if position == len(owners):
            if all(v == 0 for v in need):
                out.append(tuple(chosen))
            return
        owner = owners[position]
        for j in range(n):
            if j == owner or need[j] == 0:
                continue
            need[j] -= 1
            chosen.append(j)
            extend(position + 1)
            chosen.pop()
            need[j] += 1

    extend(0)
    return tuple(out)


@functools.lru_cache(maxsize=65536)
def _count(needs: tuple[int, ...], owners: tuple[int, ...]) -> int:
    """Ways for the equations of ``owners`` (one entry per owner: its equation count, in
    order of players) to fill the remaining ``needs`` of the blocks."""
    if not owners:
        return int(all(v == 0 for v in needs))
    i = len(needs) - len(owners)
    d = owners[0]
    total = 0
    # distribute player i's d equations over the other blocks (a composition of d)
    others = [j for j in range(len(needs)) if j != i]

    def spread(k: int, left: int, needs_now: list[int], weight: int) -> None:
        nonlocal total
        if k == len(others):
            if left == 0:
                total += weight * _count(tuple(needs_now), owners[1:])
            return
        j = others[k]
        for a in range(min(left, needs_now[j]) + 1):
            needs_now[j] -= a
            spread(k + 1, left - a, needs_now, weight * math.comb(left, a))
            needs_now[j] += a

    spread(0, d, list(needs), 1)
    return total


def bezout_count(sizes: Sequence[int]) -> int:
    """The multihomogeneous Bézout number of the support system with these support sizes.

    Parameters
    ----------
    sizes : sequence of int
        Support size of each mixing player (each >= 2).

    Returns
    -------
    int
        The number of paths of the linear-product start system: an upper bound on the
        isolated totally mixed solutions (McKelvey and McLennan 1997).

    Examples
    --------
    >>> bezout_count((2, 2, 2)), bezout_count((3, 3, 3)), bezout_count((5, 4, 3))
    (2, 10, 24)
    >>> bezout_count((3,) * 6)
    925705
    """
    return _bezout_of_degrees(tuple(int(k) - 1 for k in sizes))


@functools.lru_cache(maxsize=1024)
def _bezout_of_degrees(d: tuple[int, ...]) -> int:
    # support enumeration asks for the same few size tuples once per support combination
    return _count(d, d)


class _Blocks:
    """Evaluation of the block-multilinear target and start systems over many points."""

    def __init__(self, sizes: Sequence[int], differences: Mapping[int, np.ndarray],
                 rng: np.random.Generator) -> None:
        # differences[i] has a leading axis: one system per path (systems of one group of
        # supports share the start system, so their paths are tracked together)
        self.sizes = tuple(sizes)
        self.n = len(sizes)
        self.offsets = np.concatenate([[0], np.cumsum(self.sizes)]).astype(int)
        self.m = int(self.offsets[-1])
        self.others = [[j for j in range(self.n) if j != i] for i in range(self.n)]
        # differences[i]: (paths, |S_i| - 1, |S_j1|, |S_j2|, ...) over the other blocks
        self.D = [np.asarray(differences[i], dtype=float) for i in range(self.n)]
        # start system: one random complex linear form per (equation, other block)
        self.C = [
            [rng.normal(size=(sizes[i] - 1, sizes[j])) + 1j * rng.normal(size=(sizes[i] - 1, sizes[j]))
             for j in self.others[i]]
            for i in range(self.n)
        ]
        self.gamma = np.exp(2j * np.pi * rng.random())
        self.rows = []  # first row of each player's equations
        r = 0
        for i in range(self.n):
            self.rows.append(r)
            r += sizes[i]

    def blocks(self, z: np.ndarray) -> list[np.ndarray]:
        return [z[:, self.offsets[j] : self.offsets[j + 1]] for j in range(self.n)]

    def _prepare(self) -> None:
        """Flat arrays of the start system, so one evaluation needs few NumPy calls."""
        r = self.n - 1
        E = sum(k - 1 for k in self.sizes)
        Cfull = np.zeros((E, r, self.m), dtype=complex)
        eq_rows, norm_rows = [], []
        e = 0
        for i in range(self.n):
            for local in range(self.sizes[i] - 1):
                for q, j in enumerate(self.others[i]):
                    Cfull[e, q, self.offsets[j] : self.offsets[j + 1]] = self.C[i][q][local]
                eq_rows.append(self.rows[i] + local)
                e += 1
            norm_rows.append(self.rows[i] + self.sizes[i] - 1)
        self.Cfull = Cfull
        self.Cmat = Cfull.reshape(E * r, self.m).T.copy()
        self.E, self.r = E, r
        self.eq_rows = np.array(eq_rows)
        self.norm_rows = np.array(norm_rows)
        N = np.zeros((self.n, self.m))
        for j in range(self.n):
            N[j, self.offsets[j] : self.offsets[j + 1]] = 1.0
        self.N = N

    def _target_parts(self, z: np.ndarray, which: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """The target system's indifference rows and their Jacobian (other rows zero)."""
        P, m = z.shape
        ys = self.blocks(z)
        F = np.zeros((P, m), dtype=complex)
        JF = np.zeros((P, m, m), dtype=complex)
        for i in range(self.n):
            r0, d = self.rows[i], self.sizes[i] - 1
            others = self.others[i]
            T = self.D[i][which]
            if len(others) == 2:
                j, k = others
                W = np.einsum("pdab,pb->pda", T, ys[k])
                F[:, r0 : r0 + d] = np.einsum("pda,pa->pd", W, ys[j])
                JF[:, r0 : r0 + d, self.offsets[j] : self.offsets[j + 1]] = W
                JF[:, r0 : r0 + d, self.offsets[k] : self.offsets[k + 1]] = np.einsum(
                    "pdab,pa->pdb", T, ys[j]
                )
                continue
            ops = [T, [50, 0] + [1 + q for q in range(len(others))]]
            for q, j in enumerate(others):
                ops += [ys[j], [50, 1 + q]]
            F[:, r0 : r0 + d] = np.einsum(*ops, [50, 0])
            for q, j in enumerate(others):
                sub = [T, [50, 0] + [1 + qq for qq in range(len(others))]]
                for qq, jj in enumerate(others):
                    if qq != q:
                        sub += [ys[jj], [50, 1 + qq]]
                JF[:, r0 : r0 + d, self.offsets[j] : self.offsets[j + 1]] = np.einsum(*sub, [50, 0, 1 + q])
        return F, JF

    def target(self, z: np.ndarray, which: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """H and dH/dz at ``t = 1`` (the target system alone): what :meth:`evaluate` returns
        there, without evaluating the start system."""
        if not hasattr(self, "Cfull"):
            self._prepare()
        F, J = self._target_parts(z, which)
        J[:, self.norm_rows] = self.N[None]
        F[:, self.norm_rows] = z @ self.N.T - 1.0
        return F, J

    def evaluate(self, z: np.ndarray, t: np.ndarray, which: np.ndarray
                 ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """H, dH/dz and dH/dt at points ``z`` (P, m), times ``t`` (P,) of paths ``which``."""
        if not hasattr(self, "Cfull"):
            self._prepare()
        P, m = z.shape
        F, JF = self._target_parts(z, which)

        # start system: each equation a product of one linear form per other block
        L = (z @ self.Cmat).reshape(P, self.E, self.r) - 1.0
        G = L.prod(axis=2)
        if self.r == 1:
            rest = np.ones_like(L)
        elif self.r == 2:
            rest = L[:, :, ::-1]
        else:
            ones = np.ones((P, self.E, 1), dtype=complex)
            before = np.cumprod(np.concatenate([ones, L[:, :, :-1]], axis=2), axis=2)
            after = np.cumprod(np.concatenate([ones, L[:, :, :0:-1]], axis=2), axis=2)[:, :, ::-1]
            rest = before * after
        JG = np.einsum("per,erm->pem", rest, self.Cfull)
        S = z @ self.N.T - 1.0  # the normalisations, identical in both systems
        a = (1 - t) * self.gamma
        tt = t[:, None]
        H = np.empty((P, m), dtype=complex)
        H[:, self.eq_rows] = a[:, None] * G + tt * F[:, self.eq_rows]
        H[:, self.norm_rows] = (a + t)[:, None] * S
        J = tt[..., None] * JF
        J[:, self.eq_rows] += a[:, None, None] * JG
        J[:, self.norm_rows] = (a + t)[:, None, None] * self.N[None]
        Ht = np.empty((P, m), dtype=complex)
        Ht[:, self.eq_rows] = F[:, self.eq_rows] - self.gamma * G
        Ht[:, self.norm_rows] = (1 - self.gamma) * S
        return H, J, Ht

    def start_points(self) -> np.ndarray:
        points = []
        for choice in _assignments(self.sizes):
            z = np.zeros(self.m, dtype=complex)
            owners = [i for i in range(self.n) for _ in range(self.sizes[i] - 1)]
            counters = [0] * self.n
            rows: list[list[np.ndarray]] = [[] for _ in range(self.n)]
            for owner, j in zip(owners, choice):
                e = counters[owner]
                counters[owner] += 1
                rows[j].append(self.C[owner][self.others[owner].index(j)][e])
            ok = True
            for j in range(self.n):
                A = np.vstack(rows[j] + [np.ones(self.sizes[j])])
                try:
                    z[self.offsets[j] : self.offsets[j + 1]] = np.linalg.solve(A, np.ones(self.sizes[j]))
                except np.linalg.LinAlgError:  # probability zero with random forms
                    ok = False
            if ok:
                points.append(z)
        return np.array(points)


def _batched_solve(J: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Solve each ``J[p] x = b[p]``; rows that are singular come back as NaN, flagged."""
    try:
        return np.linalg.solve(J, b[..., None])[..., 0], np.zeros(len(b), dtype=bool)
    except np.linalg.LinAlgError:
        out = np.full_like(b, np.nan)
        bad = np.zeros(len(b), dtype=bool)
        for p in range(len(b)):
            try:
                out[p] = np.linalg.solve(J[p], b[p])
            except np.linalg.LinAlgError:
                bad[p] = True
        return out, bad


def solve_block_systems(
    sizes: Sequence[int],
    systems: Sequence[Mapping[int, np.ndarray]],
    *,
    seed: int = 0,
    max_iterations: int = 2000,
) -> list[BlockSystemResult]:
    """Every isolated solution of several block-multilinear systems of the same block sizes.

    The systems share one random start system, so all their paths are tracked together: the
    cost of a predictor–corrector round is paid once for the whole group.

    Parameters
    ----------
    sizes : sequence of int
        Support size of each mixing player (each >= 2).
    systems : sequence of mapping int -> ndarray
        For each system, ``differences[i][e, t_1, ..., t_r]``: player ``i``'s payoff from
        support strategy ``e + 1`` minus that from its first support strategy, when the other
        mixing players (in increasing order) play support strategies ``t_1, ..., t_r``.
    seed : int
        Seed of the random start system and gamma (the solutions do not depend on it, with
        probability one).
    max_iterations : int
        Guard on the number of predictor–corrector rounds.

    Returns
    -------
    list of BlockSystemResult
        One per system, in order.

    Examples
    --------
    Jordan's matching pennies and a three-player coordination game (1 if all play s1, 2 if
    all play s2), solved together; the second strategy's probability of the third player in
    each solution:

    >>> import numpy as np
    >>> jordan = {0: np.array([[[-1.0, -1.0], [1.0, 1.0]]]),
    ...           1: np.array([[[-1.0, 1.0], [-1.0, 1.0]]]),
    ...           2: np.array([[[1.0, 1.0], [-1.0, -1.0]]])}
    >>> coordination = {i: np.array([[[-1.0, 0.0], [0.0, 2.0]]]) for i in range(3)}
    >>> results = solve_block_systems((2, 2, 2), [jordan, coordination], seed=0)
    >>> [sorted(round(float(s[2][1].real), 6) for s in r.solutions) for r in results]
    [[0.5], [-2.414214, 0.414214]]
    """
    rng = np.random.default_rng(seed)
    sizes = tuple(int(k) for k in sizes)
    n = len(sizes)
    B = len(systems)
    stacked = {}
    for i in range(n):
        arr = np.array([np.asarray(sysm[i], dtype=float) for sysm in systems])
        # scale each system's equations to unit size: the tolerances below are relative
        scale = np.max(np.abs(arr.reshape(B, -1)), axis=1) if arr.size else np.ones(B)
        stacked[i] = arr / np.where(scale > 0, scale, 1.0).reshape((B,) + (1,) * (arr.ndim - 1))
    blocks = _Blocks(sizes, {i: stacked[i] for i in range(n)}, rng)
    starts = blocks.start_points()
    S = len(starts)
    if S == 0 or B == 0:
        return [BlockSystemResult([], False, 0, 0) for _ in range(B)]
    owner = np.repeat(np.arange(B), S)
    z = np.tile(starts, (B, 1))
    P = len(z)
    t = np.zeros(P)
    h = np.full(P, 0.1)
    active = np.ones(P, dtype=bool)
    diverged = np.zeros(P, dtype=bool)
    for _ in range(max_iterations):
        idx = np.flatnonzero(active)
        if idx.size == 0:
            break
        zi, ti, hi, wi = z[idx], t[idx], np.minimum(h[idx], 1.0 - t[idx]), owner[idx]
        # Runge-Kutta (4th order) predictor on dz/dt = -J^{-1} dH/dt: fast-moving paths
        # would otherwise force tiny steps on the whole group.
        ok = np.ones(idx.size, dtype=bool)

        def velocity(zz, tt, wi=wi, ok=ok):
            _, J, Ht = blocks.evaluate(zz, tt, wi)
            v, bad = _batched_solve(J, -Ht)
            ok[:] &= ~bad & np.all(np.isfinite(v), axis=1)
            return np.nan_to_num(v)

        hh = hi[:, None]
        k1 = velocity(zi, ti)
        k2 = velocity(zi + 0.5 * hh * k1, ti + 0.5 * hi)
        k3 = velocity(zi + 0.5 * hh * k2, ti + 0.5 * hi)
        k4 = velocity(zi + hh * k3, ti + hi)
        move = hh * (k1 + 2 * k2 + 2 * k3 + k4) / 6
        t_new = ti + hi
        z_new = zi + move
        first = None
        delta = np.zeros_like(z_new)
        for _ in range(CORRECTOR_STEPS):
            H, J, _ = blocks.evaluate(z_new, t_new, wi)
            delta, bad = _batched_solve(J, -H)
            ok &= ~bad & np.all(np.isfinite(delta), axis=1)
            delta = np.nan_to_num(delta)
            if first is None:
                first = np.linalg.norm(delta, axis=1)
            z_new = z_new + delta
        size = np.linalg.norm(delta, axis=1)
        norm = np.linalg.norm(z_new, axis=1)
        # Accept a step whose corrector converged (Newton's last move negligible, so the
        # residual is of its square) and moved little compared with the step itself (a large
        # first correction means the predictor left its path).
        ok &= size <= TRACK_TOL * (1 + norm)
        ok &= first <= 0.1 * np.linalg.norm(move, axis=1) + 1e-9 * (1 + norm)
        acc = idx[ok]
        z[acc] = z_new[ok]
        t[acc] = t_new[ok]
        h[acc] = np.minimum(h[acc] * 2.0, 0.5)
        rej = idx[~ok]
        h[rej] = h[rej] / 2
        active[acc[t[acc] >= 1.0]] = False
        # A path far outside the simplex late in t goes to a solution at infinity (or to one
        # with no meaning as probabilities): stop it rather than follow it to t = 1.
        norms = np.linalg.norm(z, axis=1)
        big = (norms > DIVERGED) | ((t > 0.9) & (norms > LATE_DIVERGED))
        diverged |= big & active
        active &= ~big
        active &= h >= MIN_STEP
    failed = (t < 1.0) & ~diverged
    finished = np.flatnonzero(t >= 1.0)
    results = _polish(blocks, z[finished], owner[finished], B, strict=False)
    failures = np.bincount(owner[failed], minlength=B)
    return [
        BlockSystemResult(r.solutions, r.singular, int(failures[b]), S, r.singular_points)
        for b, r in enumerate(results)
    ]


def _polish(blocks: _Blocks, zf: np.ndarray, wf: np.ndarray, B: int, *, strict: bool
            ) -> list[BlockSystemResult]:
    """Newton steps on the target system from the points ``zf`` of systems ``wf``.

    A point is a solution when its residual is at most :data:`ENDPOINT_TOL` and its Jacobian
    well conditioned. Otherwise it is a singular point (and flags its system singular),
    except, when ``strict``, a point that is well conditioned or stays far from any solution
    (a spurious candidate of an elimination, whose candidates include every regular solution
    to full accuracy), which is dropped.
    """
    n = blocks.n
    solutions: list[list[list[np.ndarray]]] = [[] for _ in range(B)]
    singular_points: list[list[list[np.ndarray]]] = [[] for _ in range(B)]
    singular = np.zeros(B, dtype=bool)
    if len(zf):
        zf = np.array(zf, dtype=complex)  # a copy: updated in place below
        active = np.arange(len(zf))
        # polish on the target system; converged points drop out, so the extra rounds only
        # cost where a candidate started far (an elimination's root of a nearly multiple
        # resultant root can need more than six steps to reach rounding level: stopping at
        # the acceptance residual left a regret of 2e-9 > tol, and lost the equilibrium)
        for _ in range(12 if strict else 8):
            if not active.size:
                break
            H, J = blocks.target(zf[active], wf[active])
            delta, _ = _batched_solve(J, -H)
            if not np.isfinite(delta).all():
                delta = np.nan_to_num(delta)
            zf[active] += delta
            # A point whose Newton step is at rounding level has converged (the next steps
            # would only move it by rounding error): it is not iterated further.
            size = 1.0 + np.max(np.abs(zf[active]), axis=1)
            active = active[np.max(np.abs(delta), axis=1) > 4 * np.finfo(float).eps * size]
        H, J = blocks.target(zf, wf)
        residual = np.max(np.abs(H), axis=1)
        cond = np.linalg.cond(J)
        good = np.all(np.isfinite(zf), axis=1) & (np.linalg.norm(zf, axis=1) <= DIVERGED)
        candidates = np.flatnonzero(good)
        if strict:
            # An elimination's candidate far outside the probability box is no profile, and
            # its conditioning says nothing about the box: coordinates of size 1e4 make the
            # Jacobian's columns badly scaled (cond above 1e10) at a regular solution, which
            # would flag the system singular for no equilibrium. It is dropped.
            near = np.all((zf.real >= -0.5) & (zf.real <= 1.5), axis=1)
            candidates = candidates[near[candidates]]
            # most accurate first: an elimination candidate that started far can end within
            # the merge radius of a solution but short of full accuracy, and _distinct keeps
            # the first of such a pair (a regret of 4e-9 > tol once lost an equilibrium)
            candidates = candidates[np.argsort(residual[candidates], kind="stable")]
        # An elimination's candidates start accurate, and its regular solutions (scaled
        # systems, points in the box) are well conditioned; one with a condition number
        # above 1e7 that passes the residual test sits at a multiple root that Newton
        # approached only linearly (to about 1e-8): flagged singular, like the homotopy's
        # endpoints above 1e10, so that exact algebra resolves it (a five-player game once
        # gave two float approximations of one exact boundary equilibrium).
        limit = 1e7 if strict else 1e10
        for p in candidates:
            point = [zf[p, blocks.offsets[j] : blocks.offsets[j + 1]] for j in range(n)]
            if cond[p] > limit or residual[p] > ENDPOINT_TOL:
                # An elimination's candidates include every regular solution accurately,
                # so a well-conditioned point still far from converging is spurious.
                if strict and (cond[p] <= limit or residual[p] > math.sqrt(ENDPOINT_TOL)):
                    continue
                singular[wf[p]] = True
                singular_points[wf[p]].append(point)
                continue
            solutions[wf[p]].append(point)
    return [
        BlockSystemResult(solutions[b], bool(singular[b]), 0, 0, singular_points[b])
        for b in range(B)
    ]


def polish_endpoints(
    sizes: Sequence[int],
    systems: Mapping[int, np.ndarray],
    points: Sequence[np.ndarray],
    owner: Sequence[int],
    singular: np.ndarray,
) -> list[BlockSystemResult]:
    """Polish candidate solutions of stacked block systems by Newton's method and sort them.

    Parameters
    ----------
    sizes : sequence of int
        Support size of each mixing player.
    systems : mapping int -> ndarray
        Player ``i``'s payoff differences stacked over the systems (leading axis), as built
        inside :func:`solve_block_systems` (scaled to unit size).
    points : sequence of ndarray
        Candidate solutions (all blocks concatenated).
    owner : sequence of int
        The system of each candidate.
    singular : ndarray of bool
        Systems already known to be degenerate.

    Returns
    -------
    list of BlockSystemResult
        One per system: candidates that converge to a regular solution are ``solutions``;
        those that end near a singular solution mark the system ``singular``; the others
        (spurious candidates) are dropped.

    Examples
    --------
    A rough candidate for Jordan's matching pennies (one system, so a leading axis of
    length 1) is polished to the exact solution:

    >>> import numpy as np
    >>> D = {0: np.array([[[-1.0, -1.0], [1.0, 1.0]]]), 1: np.array([[[-1.0, 1.0], [-1.0, 1.0]]]),
    ...      2: np.array([[[1.0, 1.0], [-1.0, -1.0]]])}
    >>> stacked = {i: D[i][None] for i in D}
    >>> candidate = np.array([0.49, 0.52, 0.51, 0.5, 0.47, 0.52])
    >>> [result] = polish_endpoints((2, 2, 2), stacked, [candidate], [0], np.array([False]))
    >>> [np.round(y.real, 12).tolist() for y in result.solutions[0]], result.singular
    ([[0.5, 0.5], [0.5, 0.5], [0.5, 0.5]], False)
    """
    sizes = tuple(int(k) for k in sizes)
    B = len(singular)
    blocks = _Blocks(sizes, systems, np.random.default_rng(0))
    zf = np.array(points, dtype=complex).reshape(len(points), sum(sizes))
    results = _polish(blocks, zf, np.asarray(owner, dtype=int), B, strict=True)
    return [
        BlockSystemResult(_distinct(r.solutions), bool(r.singular or singular[b]), 0, 0,
                          r.singular_points)
        for b, r in enumerate(results)
    ]


def _distinct(points: list[list[np.ndarray]], radius: float = 1e-7) -> list[list[np.ndarray]]:
    """Each solution once (several candidates may converge to the same solution; two
    regular solutions closer than ``radius`` would make the Jacobian singular there)."""
    kept: list[list[np.ndarray]] = []
    flats: list[np.ndarray] = []
    for point in points:
        flat = np.concatenate(point)
        if any(np.max(np.abs(flat - f)) <= radius for f in flats):
            continue
        kept.append(point)
        flats.append(flat)
    return kept


def solve_block_system(
    sizes: Sequence[int],
    differences: Mapping[int, np.ndarray],
    *,
    seed: int = 0,
    max_iterations: int = 2000,
) -> BlockSystemResult:
    """Every isolated solution of one block-multilinear system (see :func:`solve_block_systems`).

    Parameters
    ----------
    sizes : sequence of int
        Support size of each mixing player (each >= 2).
    differences : mapping int -> ndarray
        Player ``i``'s payoff differences, as in :func:`solve_block_systems`.
    seed, max_iterations : int
        As in :func:`solve_block_systems`.

    Returns
    -------
    BlockSystemResult

    Examples
    --------
    Three-player coordination (1 if all play s1, 2 if all play s2): the totally mixed
    solutions have ``2 x**2 = (1 - x)**2`` for the second strategy's probability ``x``, so
    ``x = sqrt(2) - 1`` (and a negative root, which is no profile).

    >>> import numpy as np
    >>> D = {i: np.array([[[-1.0, 0.0], [0.0, 2.0]]]) for i in range(3)}
    >>> result = solve_block_system((2, 2, 2), D, seed=0)
    >>> sorted(round(float(s[0][1].real), 6) for s in result.solutions)
    [-2.414214, 0.414214]
    """
    return solve_block_systems(sizes, [differences], seed=seed, max_iterations=max_iterations)[0]


def _linear_coefficients(D: np.ndarray) -> np.ndarray:
    """``(c0, c1, c2, c3)`` of ``c0 + c1 u + c2 v + c3 u v`` from a (B, 1, 2, 2) difference
    tensor over blocks ``(1 - u, u)`` and ``(1 - v, v)``."""
    d = D[:, 0]
    d00, d01, d10, d11 = d[:, 0, 0], d[:, 0, 1], d[:, 1, 0], d[:, 1, 1]
    return np.stack([d00, d10 - d00, d01 - d00, d00 - d01 - d10 + d11], axis=1)


def solve_binary_triples(systems: Sequence[Mapping[int, np.ndarray]]) -> list[BlockSystemResult]:
    """Closed-form solutions of systems where three players each mix two strategies.

    With ``x_i`` the probability of each mixer's second strategy, player 1's equation gives
    ``x_2`` and player 2's gives ``x_1`` as Möbius functions of ``x_3``; player 3's equation
    then becomes a quadratic in ``x_3`` (the multihomogeneous Bézout number is 2). A system
    whose quadratic degenerates, or with a root where a denominator vanishes, is flagged
    ``singular`` for the caller to solve otherwise.

    Parameters
    ----------
    systems : sequence of mapping int -> ndarray of shape (1, 2, 2)
        As in :func:`solve_block_systems` with ``sizes = (2, 2, 2)``.

    Returns
    -------
    list of BlockSystemResult

    Examples
    --------
    Three-player coordination (1 if all play s1, 2 if all play s2): the second strategy's
    probability solves ``2 x**2 = (1 - x)**2``, so ``x = sqrt(2) - 1`` (and a negative root).

    >>> import numpy as np
    >>> D = {i: np.array([[[-1.0, 0.0], [0.0, 2.0]]]) for i in range(3)}
    >>> result = solve_binary_triples([D])[0]
    >>> sorted(round(float(s[2][1].real), 6) for s in result.solutions)
    [-2.414214, 0.414214]

    Jordan's matching pennies is degenerate for this elimination (its quadratic vanishes) and
    is flagged for the homotopy:

    >>> J = {0: np.array([[[-1.0, -1.0], [1.0, 1.0]]]), 1: np.array([[[-1.0, 1.0], [-1.0, 1.0]]]),
    ...      2: np.array([[[1.0, 1.0], [-1.0, -1.0]]])}
    >>> solve_binary_triples([J])[0].singular
    True
    """
    B = len(systems)
    if B == 0:
        return []
    a = _linear_coefficients(np.array([s[0] for s in systems], dtype=float))  # f0(x1, x2)
    b = _linear_coefficients(np.array([s[1] for s in systems], dtype=float))  # f1(x0, x2)
    c = _linear_coefficients(np.array([s[2] for s in systems], dtype=float))  # f2(x0, x1)
    # x1 = num1 / den1 and x0 = num0 / den0, linear polynomials in x2 (coefficients [const, x])
    num1, den1 = -np.stack([a[:, 0], a[:, 2]], 1), np.stack([a[:, 1], a[:, 3]], 1)
    num0, den0 = -np.stack([b[:, 0], b[:, 2]], 1), np.stack([b[:, 1], b[:, 3]], 1)

    def mul(p: np.ndarray, q: np.ndarray) -> np.ndarray:
        return np.stack([p[:, 0] * q[:, 0], p[:, 0] * q[:, 1] + p[:, 1] * q[:, 0], p[:, 1] * q[:, 1]], 1)

    quad = (c[:, [0]] * mul(den0, den1) + c[:, [1]] * mul(num0, den1)
            + c[:, [2]] * mul(num1, den0) + c[:, [3]] * mul(num0, num1))
    scale = np.maximum(np.max(np.abs(quad), axis=1), 1e-300)
    out = []
    for s in range(B):
        q0, q1, q2 = quad[s]
        tiny = 1e-12 * max(scale[s], np.max(np.abs(np.r_[a[s], b[s], c[s]])))
        if abs(q2) <= tiny:
            out.append(BlockSystemResult([], True, 0, 2))
            continue
        singular = False
        for den in (den0[s], den1[s]):
            # den vanishes at -den[0] / den[1]; quad there, cleared of denominators, is the
            # binary_exact test: a root of quad where x0 or x1 is undefined (a solution at
            # a bad point, or none), flagged whether or not np.roots lands near it (near a
            # double root it lands sqrt(eps) away, and the solution passes for a regular one)
            at_pole = q2 * den[0] ** 2 - q1 * den[0] * den[1] + q0 * den[1] ** 2
            size = abs(q2) * den[0] ** 2 + abs(q1 * den[0] * den[1]) + abs(q0) * den[1] ** 2
            if den[1] != 0 and abs(at_pole) <= 1e-12 * size:
                singular = True
        roots = np.roots([q2, q1, q0]).astype(complex)
        sols = []
        for x2 in roots:
            d1 = den1[s, 0] + den1[s, 1] * x2
            d0 = den0[s, 0] + den0[s, 1] * x2
            if abs(d1) <= 1e-9 * (abs(den1[s]).max() + 1e-300) or abs(d0) <= 1e-9 * (abs(den0[s]).max() + 1e-300):
                singular = True
                continue
            x1 = (num1[s, 0] + num1[s, 1] * x2) / d1
            x0 = (num0[s, 0] + num0[s, 1] * x2) / d0
            sols.append([np.array([1 - x, x]) for x in (x0, x1, x2)])
        out.append(BlockSystemResult(sols, singular, 0, 2))
    return out
