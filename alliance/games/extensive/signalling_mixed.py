r"""Mixed perfect Bayesian equilibria of finite signalling games: semi-separating (hybrid)
equilibria, in which a sender type randomises over messages and the receiver over responses.

The game is that of :class:`~alliance.games.extensive.SignallingGame`: types :math:`t` with
prior :math:`\pi_t`, messages :math:`m`, actions :math:`a`, payoffs :math:`u_S(t, m, a)` and
:math:`u_R(t, m, a)`. A behaviour profile is a sender strategy :math:`\sigma(m \mid t)`, a
receiver strategy :math:`\rho(a \mid m)` and beliefs :math:`\mu(t \mid m)`. It is a perfect
Bayesian equilibrium (Fudenberg and Tirole 1991, §8.2) when

1. on the path (:math:`\sum_t \pi_t \sigma(m \mid t) > 0`) beliefs follow Bayes's rule,
   :math:`\mu(t \mid m) = \pi_t \sigma(m \mid t) / \sum_s \pi_s \sigma(m \mid s)`; off the path
   they are any distribution over types;
2. every action the receiver plays at :math:`m` maximises
   :math:`\sum_t \mu(t \mid m)\, u_R(t, m, a)`;
3. every message a type sends maximises :math:`\sum_a \rho(a \mid m)\, u_S(t, m, a)`.

**Method.** Fix the *supports*: the messages each type sends and the actions the receiver
plays after each message. Condition 2 on the path is then linear in :math:`\sigma` (the
receiver's indifference among its support, weighted by :math:`\pi_t \sigma(m \mid t)`; the
denominator of Bayes's rule cancels) and condition 3 is linear in :math:`\rho` (each type's
indifference among its messages, and no gain from the others), so the equilibria with those
supports form a product of two polytopes; off the path, condition 2 asks for one belief that
makes every action of the support a best reply (a third polytope, of beliefs). Every support
is tried and the *vertices* of the polytopes are listed (:mod:`alliance.games.extensive.linear`),
in exact rational arithmetic when the prior and payoffs are rational: the result is every
*extreme* perfect Bayesian equilibrium, pure ones included, each with its supporting beliefs.
A set of equilibria (a receiver free to mix off the path within a range, say) shows up as its
extreme points.

Examples
--------
A bad borrower who mixes: pledging collateral costs the good type 2 and the bad type 4
whatever the bank does, a loan is worth 10 to either, and the bank gains 3 from a good
borrower and loses 6 on a bad one (so it lends only at a belief of at least 2/3). With prior
1/2, the good type pledges, the bad type pledges half the time, and the bank lends after a
pledge with probability 2/5, which leaves the bad type indifferent.

>>> from fractions import Fraction as F
>>> from alliance.games.extensive import SignallingGame
>>> g = SignallingGame(["good", "bad"], [F(1, 2), F(1, 2)], ["pledge", "none"], ["lend", "refuse"],
...     sender=lambda t, m, a: 10 * (a == "lend") - {"good": 2, "bad": 4}[t] * (m == "pledge"),
...     receiver=lambda t, m, a: {"good": 3, "bad": -6}[t] * (a == "lend"))
>>> [e for e in g.mixed_perfect_bayesian_equilibria() if e.kind == "semi-separating"]
[MixedPerfectBayesianEquilibrium(semi-separating: sender good -> pledge, bad -> (pledge 1/2, none 1/2); receiver pledge -> (lend 2/5, refuse 3/5), none -> refuse; beliefs P(good | pledge) = 2/3, P(good | none) = 0)]

References
----------
Fudenberg, D. and Tirole, J. (1991). *Game Theory*, §8.2. MIT Press.

Gibbons, R. (1992). *Game Theory for Applied Economists*, §4.2. Princeton University Press.

Cho, I.-K. and Kreps, D. M. (1987). Signaling games and stable equilibria. *Quarterly Journal
of Economics* 102(2), 179-221.
"""

from __future__ import annotations

import html
import itertools
from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import TYPE_CHECKING, Any

import pandas as pd

from alliance.errors import InvalidGameError, SizeLimitError
from alliance.games.extensive.linear import is_zero, polytope_vertices
from alliance.games.results import format_number
from alliance.numbers import snake_case

if TYPE_CHECKING:
    from alliance.games.extensive.signalling import SignallingGame

__all__ = ["MixedPerfectBayesianEquilibrium", "mixed_perfect_bayesian_equilibria",
           "check_mixed_equilibrium", "MAX_SUPPORT_PROFILES"]

#: Largest number of support profiles (sender's times receiver's) tried.
MAX_SUPPORT_PROFILES = 250_000


def _mix_text(mix: dict) -> str:
    used = [(k, p) for k, p in mix.items() if not is_zero(p)]
    if len(used) == 1:
        return str(used[0][0])
    return "(" + ", ".join(f"{k} {format_number(p)}" for k, p in used) + ")"


@dataclass(frozen=True, eq=False)
class MixedPerfectBayesianEquilibrium:
    """A (possibly mixed) perfect Bayesian equilibrium of a signalling game.

    Parameters
    ----------
    sender : dict
        Type -> {message: probability}.
    receiver : dict
        Message -> {action: probability}.
    beliefs : dict
        Message -> {type: probability}: Bayes's rule on the path, one supporting belief (a
        vertex of the supporting set) off the path.
    off_path : dict
        Off-path message -> ``(lo, hi)``, the range of the first type's probability over the
        beliefs that support the receiver's response (with two types), or ``None``.
    kind : str
        ``"separating"``, ``"pooling"`` or ``"partially pooling"`` when every type sends one
        message; ``"semi-separating"`` when some type randomises.
    sender_payoffs : dict
        Type -> expected payoff.
    receiver_payoff : Any
        The receiver's expected payoff (prior-weighted).

    Examples
    --------
    >>> from fractions import Fraction as F
    >>> from alliance.games.extensive import SignallingGame
    >>> g = SignallingGame(["good", "bad"], [F(1, 2), F(1, 2)], ["pledge", "none"], ["lend", "refuse"],
    ...     sender=lambda t, m, a: 10 * (a == "lend") - {"good": 2, "bad": 4}[t] * (m == "pledge"),
    ...     receiver=lambda t, m, a: {"good": 3, "bad": -6}[t] * (a == "lend"))
    >>> e = g.mixed_perfect_bayesian_equilibria()[-1]
    >>> e.kind, e.sender_payoffs, e.is_pure
    ('semi-separating', {'good': Fraction(2, 1), 'bad': Fraction(0, 1)}, False)
    """

    sender: dict
    receiver: dict
    beliefs: dict
    off_path: dict
    kind: str
    sender_payoffs: dict
    receiver_payoff: Any

    @property
    def is_pure(self) -> bool:
        """True when every type sends one message and every response is one action."""
        mixes = list(self.sender.values()) + list(self.receiver.values())
        return all(sum(not is_zero(p) for p in mix.values()) == 1 for mix in mixes)

    def __repr__(self) -> str:
        s = ", ".join(f"{t} -> {_mix_text(mix)}" for t, mix in self.sender.items())
        r = ", ".join(f"{m} -> {_mix_text(mix)}" for m, mix in self.receiver.items())
        first = next(iter(next(iter(self.beliefs.values()))))
        b = ", ".join(
            f"P({first} | {m}) in [{format_number(self.off_path[m][0])}, {format_number(self.off_path[m][1])}]"
            if self.off_path.get(m) is not None else f"P({first} | {m}) = {format_number(mu[first])}"
            for m, mu in self.beliefs.items()
        )
        return f"MixedPerfectBayesianEquilibrium({self.kind}: sender {s}; receiver {r}; beliefs {b})"

    def to_frame(self) -> pd.DataFrame:
        """One row per message: each type's probability of sending it, the receiver's response
        probabilities and the beliefs.

        Returns
        -------
        pandas.DataFrame
            Indexed by ``message``; snake_case columns ``on_path``, ``sent_by_<type>`` (the
            type's probability of sending the message), ``probability_<action>`` (the
            receiver's response) and ``belief_<type>``.

        Examples
        --------
        >>> from fractions import Fraction as F
        >>> from alliance.games.extensive import SignallingGame
        >>> g = SignallingGame(["good", "bad"], [F(1, 2), F(1, 2)], ["pledge", "none"], ["lend", "refuse"],
        ...     sender=lambda t, m, a: 10 * (a == "lend") - {"good": 2, "bad": 4}[t] * (m == "pledge"),
        ...     receiver=lambda t, m, a: {"good": 3, "bad": -6}[t] * (a == "lend"))
        >>> g.mixed_perfect_bayesian_equilibria()[-1].to_frame().loc["pledge", "belief_good"]
        Fraction(2, 3)
        """
        rows = []
        for m, mix in self.receiver.items():
            rows.append({"message": m, "on_path": m not in self.off_path,
                         **{snake_case(f"sent by {t}"): self.sender[t][m] for t in self.sender},
                         **{snake_case(f"probability {a}"): p for a, p in mix.items()},
                         **{snake_case(f"belief {t}"): p for t, p in self.beliefs[m].items()}})
        return pd.DataFrame(rows).set_index("message")

    def _repr_html_(self) -> str:
        try:
            return f"<p>{html.escape(repr(self))}</p>" + self.to_frame().to_html()
        except Exception:  # a display hook must never raise
            return "<pre>" + html.escape(repr(self)) + "</pre>"


def _subsets(n: int) -> list[tuple[int, ...]]:
    return [c for k in range(1, n + 1) for c in itertools.combinations(range(n), k)]


def _belief_vertices(game: SignallingGame, j: int, support: tuple[int, ...]) -> list[list[Any]]:
    """Vertices of the beliefs at message j under which every action of ``support`` is a best
    reply."""
    T, A = len(game.types), len(game.actions)
    a0 = support[0]
    eq = [[Fraction(1)] * T] + [[game.uR[i, j, a] - game.uR[i, j, a0] for i in range(T)] for a in support[1:]]
    rhs = [Fraction(1)] + [Fraction(0)] * (len(support) - 1)
    ineq = [[Fraction(int(i == k)) for i in range(T)] for k in range(T)]
    ineq += [[game.uR[i, j, a0] - game.uR[i, j, a] for i in range(T)] for a in range(A) if a not in support]
    return polytope_vertices(eq, rhs, ineq, [Fraction(0)] * len(ineq))


def _sender_vertices(game: SignallingGame, supp: Sequence[tuple[int, ...]],
                     responses: dict[int, tuple[int, ...]]) -> list[list[Any]]:
    """Vertices of the sender strategies with supports ``supp`` that make every action of
    ``responses[m]`` a best reply at each on-path message m (Bayes's rule)."""
    T, A = len(game.types), len(game.actions)
    var = [(i, j) for i in range(T) for j in supp[i]]
    n = len(var)
    eq, rhs, ineq = [], [], []
    for i in range(T):
        eq.append([Fraction(int(v[0] == i)) for v in var])
        rhs.append(Fraction(1))
    for j, support in responses.items():
        a0 = support[0]

        def row(a: int, b: int, j: int = j) -> list[Any]:
            return [game.prior[i] * (game.uR[i, j, a] - game.uR[i, j, b]) if jj == j else Fraction(0)
                    for i, jj in var]

        for a in support[1:]:
            eq.append(row(a, a0))
            rhs.append(Fraction(0))
        ineq += [row(a0, a) for a in range(A) if a not in support]
    return polytope_vertices(eq, rhs, ineq, [Fraction(0)] * len(ineq), positive=range(n))


def _receiver_vertices(game: SignallingGame, supp: Sequence[tuple[int, ...]],
                       responses: Sequence[tuple[int, ...]]) -> list[list[Any]]:
    """Vertices of the receiver strategies with supports ``responses`` (and the types'
    payoffs, the last T coordinates) under which every type's messages are best replies."""
    T, M = len(game.types), len(game.messages)
    var = [(j, a) for j in range(M) for a in responses[j]]
    n = len(var)
    eq, rhs, ineq = [], [], []
    for j in range(M):
        eq.append([Fraction(int(v[0] == j)) for v in var] + [Fraction(0)] * T)
        rhs.append(Fraction(1))
    for i in range(T):
        for j in range(M):
            value = [game.uS[i, jj, a] if jj == j else Fraction(0) for jj, a in var]
            own = [Fraction(int(k == i)) for k in range(T)]
            if j in supp[i]:   # v_i = value of j
                eq.append(value + [-o for o in own])
                rhs.append(Fraction(0))
            else:              # v_i >= value of j
                ineq.append([-v for v in value] + own)
    return polytope_vertices(eq, rhs, ineq, [Fraction(0)] * len(ineq), positive=range(n))


def mixed_perfect_bayesian_equilibria(game: SignallingGame) -> list[MixedPerfectBayesianEquilibrium]:
    """Every extreme perfect Bayesian equilibrium of a signalling game, mixed ones included.

    Parameters
    ----------
    game : SignallingGame

    Returns
    -------
    list of MixedPerfectBayesianEquilibrium
        Pure equilibria first (separating, partially pooling, pooling), then semi-separating
        ones; exact fractions when the prior and payoffs are rational.

    Raises
    ------
    SizeLimitError
        When there are more than :data:`MAX_SUPPORT_PROFILES` support profiles.

    Examples
    --------
    >>> from fractions import Fraction as F
    >>> from alliance.games.extensive import SignallingGame
    >>> g = SignallingGame(["good", "bad"], [F(1, 2), F(1, 2)], ["pledge", "none"], ["lend", "refuse"],
    ...     sender=lambda t, m, a: 10 * (a == "lend") - {"good": 2, "bad": 4}[t] * (m == "pledge"),
    ...     receiver=lambda t, m, a: {"good": 3, "bad": -6}[t] * (a == "lend"))
    >>> [e.kind for e in mixed_perfect_bayesian_equilibria(g)]
    ['pooling', 'pooling', 'semi-separating']
    """
    T, M, A = len(game.types), len(game.messages), len(game.actions)
    count = (2**M - 1) ** T * (2**A - 1) ** M
    if count > MAX_SUPPORT_PROFILES:
        raise SizeLimitError(
            f"the game has {count} support profiles ({T} types, {M} messages, {A} actions), more "
            f"than {MAX_SUPPORT_PROFILES}"
        )
    action_sets = _subsets(A)
    beliefs_cache: dict[tuple[int, tuple[int, ...]], list[list[Any]]] = {}
    found: list[MixedPerfectBayesianEquilibrium] = []
    for supp in itertools.product(_subsets(M), repeat=T):
        on_path = sorted({j for s in supp for j in s})
        off_path = [j for j in range(M) if j not in on_path]
        for on_responses in itertools.product(action_sets, repeat=len(on_path)):
            responses_on = dict(zip(on_path, on_responses, strict=True))
            sigmas = _sender_vertices(game, supp, responses_on)
            if not sigmas:
                continue
            for off_responses in itertools.product(action_sets, repeat=len(off_path)):
                off_beliefs = {}
                for j, s in zip(off_path, off_responses, strict=True):
                    key = (j, s)
                    if key not in beliefs_cache:
                        beliefs_cache[key] = _belief_vertices(game, j, s)
                    off_beliefs[j] = beliefs_cache[key]
                if any(not v for v in off_beliefs.values()):
                    continue
                responses = [responses_on[j] if j in responses_on else
                             off_responses[off_path.index(j)] for j in range(M)]
                rhos = _receiver_vertices(game, supp, responses)
                for sigma_vec, rho_vec in itertools.product(sigmas, rhos):
                    found.append(_assemble(game, supp, responses, sigma_vec, rho_vec, off_beliefs))
    order = {"separating": 0, "partially pooling": 1, "pooling": 2, "semi-separating": 3}
    return sorted(found, key=lambda e: order[e.kind])


def _assemble(game: SignallingGame, supp: Sequence[tuple[int, ...]], responses: Sequence[tuple[int, ...]],
              sigma_vec: list[Any], rho_vec: list[Any], off_beliefs: dict[int, list[list[Any]]]
              ) -> MixedPerfectBayesianEquilibrium:
    T, M = len(game.types), len(game.messages)
    zero = Fraction(0)
    sigma = [[zero] * M for _ in range(T)]
    sender_cells = [(i, j) for i in range(T) for j in supp[i]]
    for (i, j), p in zip(sender_cells, sigma_vec, strict=True):
        sigma[i][j] = p
    rho = [[zero] * len(game.actions) for _ in range(M)]
    receiver_cells = [(j, a) for j in range(M) for a in responses[j]]
    for (j, a), p in zip(receiver_cells, rho_vec, strict=False):  # the last T entries are payoffs
        rho[j][a] = p
    payoffs = rho_vec[len(rho_vec) - T:]
    beliefs, intervals = {}, {}
    for j, m in enumerate(game.messages):
        if j in off_beliefs:
            vertices = off_beliefs[j]
            mu = vertices[0]
            firsts = [v[0] for v in vertices]
            intervals[m] = (min(firsts), max(firsts)) if T == 2 else None
        else:
            weight = [game.prior[i] * sigma[i][j] for i in range(T)]
            total = sum(weight)
            mu = [w / total for w in weight]
        beliefs[m] = dict(zip(game.types, mu, strict=True))
    mixed = any(sum(not is_zero(p) for p in row) > 1 for row in sigma)
    sent = [next(j for j in range(M) if not is_zero(sigma[i][j])) for i in range(T)]
    kind = ("semi-separating" if mixed else "separating" if len(set(sent)) == T else
            "pooling" if len(set(sent)) == 1 else "partially pooling")
    receiver_payoff = sum(game.prior[i] * sigma[i][j] * rho[j][a] * game.uR[i, j, a]
                          for i in range(T) for j in range(M) for a in range(len(game.actions)))
    return MixedPerfectBayesianEquilibrium(
        sender={t: dict(zip(game.messages, sigma[i], strict=True)) for i, t in enumerate(game.types)},
        receiver={m: dict(zip(game.actions, rho[j], strict=True)) for j, m in enumerate(game.messages)},
        beliefs=beliefs,
        off_path=intervals,
        kind=kind,
        sender_payoffs=dict(zip(game.types, payoffs, strict=True)),
        receiver_payoff=receiver_payoff,
    )


def check_mixed_equilibrium(game: SignallingGame, equilibrium: MixedPerfectBayesianEquilibrium,
                            tol: float = 0.0) -> bool:
    """Re-verify a mixed perfect Bayesian equilibrium from its definition.

    Every strategy and belief must be a probability distribution; beliefs on the path must
    follow Bayes's rule from the prior; every action the receiver plays must be a best reply
    to its belief at that message and every message a type sends a best reply to the
    receiver's strategy.

    Parameters
    ----------
    game : SignallingGame
    equilibrium : MixedPerfectBayesianEquilibrium
    tol : float
        Bound on each violation (0: exact, for rational games).

    Returns
    -------
    bool

    Raises
    ------
    InvalidGameError
        If the equilibrium names a type, message or action the game does not have.

    Examples
    --------
    >>> from fractions import Fraction as F
    >>> from alliance.games.extensive import SignallingGame
    >>> g = SignallingGame(["good", "bad"], [F(1, 2), F(1, 2)], ["pledge", "none"], ["lend", "refuse"],
    ...     sender=lambda t, m, a: 10 * (a == "lend") - {"good": 2, "bad": 4}[t] * (m == "pledge"),
    ...     receiver=lambda t, m, a: {"good": 3, "bad": -6}[t] * (a == "lend"))
    >>> all(check_mixed_equilibrium(g, e) for e in g.mixed_perfect_bayesian_equilibria())
    True
    """
    T, M, A = len(game.types), len(game.messages), len(game.actions)
    try:
        sigma = [[equilibrium.sender[t][m] for m in game.messages] for t in game.types]
        rho = [[equilibrium.receiver[m][a] for a in game.actions] for m in game.messages]
        mu = [[equilibrium.beliefs[m][t] for t in game.types] for m in game.messages]
    except KeyError as err:
        raise InvalidGameError(f"the equilibrium has no entry for {err}; it must cover the game's labels") from err

    def bad(x: Any) -> bool:  # x < 0 beyond the tolerance
        return x < -tol

    for dist in sigma + rho + mu:
        if any(bad(p) for p in dist) or abs(sum(dist) - 1) > tol:
            return False
    for j in range(M):
        mass = sum(game.prior[i] * sigma[i][j] for i in range(T))
        if mass > tol:
            if any(abs(mu[j][i] - game.prior[i] * sigma[i][j] / mass) > tol for i in range(T)):
                return False
        value = [sum(mu[j][i] * game.uR[i, j, a] for i in range(T)) for a in range(A)]
        if any(rho[j][a] > tol and bad(value[a] - max(value)) for a in range(A)):
            return False
    for i in range(T):
        value = [sum(rho[j][a] * game.uS[i, j, a] for a in range(A)) for j in range(M)]
        if any(sigma[i][j] > tol and bad(value[j] - max(value)) for j in range(M)):
            return False
    return True
