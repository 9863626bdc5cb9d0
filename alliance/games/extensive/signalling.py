r"""Signalling games and their perfect Bayesian equilibria in pure strategies.

Nature draws the sender's type :math:`t` from a prior :math:`\pi`; the sender, knowing its type,
sends a message :math:`m`; the receiver sees the message only and chooses an action :math:`a`.
Payoffs :math:`u_S(t, m, a)` and :math:`u_R(t, m, a)`. The receiver's information sets are the
messages, so it needs a belief :math:`\mu(\cdot \mid m)` over types at each.

A pure-strategy *perfect Bayesian equilibrium* (Fudenberg and Tirole 1991, §8.2) is a sender
strategy :math:`s: T \to M`, a receiver strategy :math:`r: M \to A` and beliefs :math:`\mu` with

1. **sequential rationality of the receiver**: :math:`r(m)` maximises
   :math:`\sum_t \mu(t \mid m) u_R(t, m, a)` at every message;
2. **sequential rationality of the sender**: each type's message is a best reply to ``r``;
3. **consistency of beliefs**: on the equilibrium path (messages some type sends)
   :math:`\mu(t \mid m)` follows from the prior by Bayes's rule; off the path any belief is
   allowed, and the equilibrium reports the *set* of beliefs that support the receiver's
   action there (an interval of the probability of the first type with two types, a
   feasible point found by linear programming with more).

Every combination of pure strategies is checked, exactly in rational arithmetic when the
payoffs and prior are rational. Equilibria are classified as *separating* (every type sends
its own message), *pooling* (all send the same) or *partially pooling*.

Examples
--------
Collateral as a signal (:func:`alliance.models.screening.collateral_signalling` builds this
game): with the value of the loan between the good and bad types' cost of pledging, the
good type pledges and the bad one does not.

>>> from fractions import Fraction as F
>>> g = SignallingGame(["good", "bad"], [F(1, 2), F(1, 2)], ["pledge", "none"], ["lend", "refuse"],
...     sender=lambda t, m, a: (5 - (2 if t == "good" else 8) * (m == "pledge")) * (a == "lend"),
...     receiver=lambda t, m, a: (3 if t == "good" else -6) * (a == "lend"))
>>> [e.kind for e in g.perfect_bayesian_equilibria()]
['separating', 'pooling', 'pooling']

References
----------
Spence, M. (1973). Job market signaling. *Quarterly Journal of Economics* 87(3), 355-374.

Fudenberg, D. and Tirole, J. (1991). *Game Theory*, §8.2. MIT Press.

Bester, H. (1985). Screening vs. rationing in credit markets with imperfect information.
*American Economic Review* 75(4), 850-855.
"""

from __future__ import annotations

import html
import itertools
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

import numpy as np
import pandas as pd
from scipy.optimize import linprog

from alliance.errors import InvalidGameError
from alliance.games.results import format_number
from alliance.numbers import snake_case

__all__ = ["SignallingGame", "PerfectBayesianEquilibrium"]


def _exact(value: Any, field: str) -> Any:
    if isinstance(value, bool) or not isinstance(value, (int, float, Fraction, np.integer, np.floating)):
        raise InvalidGameError(f"{field} is {value!r}; it must be a number")
    if isinstance(value, (int, np.integer)):
        return Fraction(int(value))
    if isinstance(value, Fraction):
        return value
    v = float(value)
    if not np.isfinite(v):
        raise InvalidGameError(f"{field} is {v}; it must be finite")
    return Fraction(v) if v.is_integer() else v


@dataclass(frozen=True, eq=False)
class PerfectBayesianEquilibrium:
    """A pure-strategy perfect Bayesian equilibrium of a signalling game.

    Made by :meth:`SignallingGame.perfect_bayesian_equilibria` (Fudenberg and Tirole 1991,
    §8.2).

    Parameters
    ----------
    sender : dict
        Type -> message.
    receiver : dict
        Message -> action.
    beliefs : dict
        Message -> {type: probability}: Bayes's rule on the path; off the path one supporting
        belief (see ``off_path``).
    off_path : dict
        Off-path message -> the supporting beliefs: ``(lo, hi)``, the range of the probability
        of the first type, with two types; ``None`` with more (``beliefs`` holds one).
    kind : str
        ``"separating"``, ``"pooling"`` or ``"partially pooling"``.
    sender_payoffs : dict
        Type -> its equilibrium payoff.

    Examples
    --------
    Collateral as a signal: the good borrower pledges, the bad one does not, and the bank
    lends only after a pledge.

    >>> from fractions import Fraction as F
    >>> g = SignallingGame(["good", "bad"], [F(1, 2), F(1, 2)], ["pledge", "none"], ["lend", "refuse"],
    ...     sender=lambda t, m, a: (5 - (2 if t == "good" else 8) * (m == "pledge")) * (a == "lend"),
    ...     receiver=lambda t, m, a: (3 if t == "good" else -6) * (a == "lend"))
    >>> eq = g.perfect_bayesian_equilibria()[0]
    >>> eq.kind, eq.sender, eq.receiver
    ('separating', {'good': 'pledge', 'bad': 'none'}, {'pledge': 'lend', 'none': 'refuse'})
    >>> eq.sender_payoffs
    {'good': Fraction(3, 1), 'bad': Fraction(0, 1)}

    A pooling equilibrium needs a pessimistic belief off the path: the bank refuses after no
    pledge as long as it thinks the borrower good with probability at most 2/3.

    >>> pooling = g.perfect_bayesian_equilibria()[1]
    >>> pooling.off_path
    {'none': (Fraction(0, 1), Fraction(2, 3))}

    References
    ----------
    Fudenberg, D. and Tirole, J. (1991). *Game Theory*, §8.2. MIT Press.
    """

    sender: dict
    receiver: dict
    beliefs: dict
    off_path: dict
    kind: str
    sender_payoffs: dict

    def __repr__(self) -> str:
        s = ", ".join(f"{t} -> {m}" for t, m in self.sender.items())
        r = ", ".join(f"{m} -> {a}" for m, a in self.receiver.items())
        off = "".join(
            f"; off path {m}: P({next(iter(self.beliefs[m]))}) in [{format_number(lo)}, {format_number(hi)}]"
            for m, (lo, hi) in ((m, v) for m, v in self.off_path.items() if v is not None)
        )
        return f"PerfectBayesianEquilibrium({self.kind}: sender {s}; receiver {r}{off})"

    def to_frame(self) -> pd.DataFrame:
        """One row per message: who sends it, the receiver's action and beliefs.

        Returns
        -------
        pandas.DataFrame
            Indexed by ``message``; snake_case columns ``sent_by`` (the types that send it,
            or ``(off path)``), ``action`` and ``belief_<type>`` for each type.

        Examples
        --------
        >>> from fractions import Fraction as F
        >>> g = SignallingGame(["good", "bad"], [F(1, 2), F(1, 2)], ["pledge", "none"], ["lend", "refuse"],
        ...     sender=lambda t, m, a: (5 - (2 if t == "good" else 8) * (m == "pledge")) * (a == "lend"),
        ...     receiver=lambda t, m, a: (3 if t == "good" else -6) * (a == "lend"))
        >>> frame = g.perfect_bayesian_equilibria()[0].to_frame()
        >>> frame["action"].tolist(), [str(b) for b in frame["belief_good"]]
        (['lend', 'refuse'], ['1', '0'])
        """
        rows = []
        for m, a in self.receiver.items():
            senders = [t for t, mm in self.sender.items() if mm == m]
            rows.append({"message": m, "sent_by": ", ".join(senders) or "(off path)", "action": a,
                         **{snake_case(f"belief {t}"): p for t, p in self.beliefs[m].items()}})
        return pd.DataFrame(rows).set_index("message")

    def _repr_html_(self) -> str:
        try:
            return f"<p>{html.escape(repr(self))}</p>" + self.to_frame().to_html()
        except Exception:  # a display hook must never raise
            return "<pre>" + html.escape(repr(self)) + "</pre>"


class SignallingGame:
    """A finite signalling game: types with a prior, messages, receiver actions.

    Parameters
    ----------
    types : sequence of str
        The sender's types (distinct).
    prior : sequence of number
        One probability per type (non-negative, summing to 1; every type with positive
        probability).
    messages, actions : sequence of str
        The sender's messages and the receiver's actions (distinct).
    sender, receiver : callable
        ``sender(type, message, action)`` and ``receiver(type, message, action)``: payoffs.

    Raises
    ------
    InvalidGameError
        For malformed labels, priors or payoffs (the message names the entry).

    Examples
    --------
    Collateral as a signal: pledging costs the good type 2 and the bad type 8, a loan is
    worth 5 to either; the bank gains 3 lending to a good borrower and loses 6 on a bad one.

    >>> from fractions import Fraction as F
    >>> g = SignallingGame(["good", "bad"], [F(1, 2), F(1, 2)], ["pledge", "none"], ["lend", "refuse"],
    ...     sender=lambda t, m, a: (5 - (2 if t == "good" else 8) * (m == "pledge")) * (a == "lend"),
    ...     receiver=lambda t, m, a: (3 if t == "good" else -6) * (a == "lend"))
    >>> g
    SignallingGame(types ('good', 'bad'), messages ('pledge', 'none'), actions ('lend', 'refuse'))

    References
    ----------
    Fudenberg, D. and Tirole, J. (1991). *Game Theory*, §8.2. MIT Press.
    """

    def __init__(self, types: Sequence[str], prior: Sequence[Any], messages: Sequence[str],
                 actions: Sequence[str], sender: Callable, receiver: Callable) -> None:
        self.types, self.messages, self.actions = tuple(types), tuple(messages), tuple(actions)
        for name, labels in (("types", self.types), ("messages", self.messages), ("actions", self.actions)):
            if not labels or len(set(labels)) != len(labels):
                raise InvalidGameError(f"{name} {labels} must be distinct and non-empty")
        if len(prior) != len(self.types):
            raise InvalidGameError(f"prior has {len(prior)} entries; there are {len(self.types)} types")
        self.prior = [_exact(p, f"prior of type '{t}'") for p, t in zip(prior, self.types, strict=True)]
        if any(p <= 0 for p in self.prior):
            raise InvalidGameError(f"prior {[format_number(p) for p in self.prior]} must be positive")
        total = sum(self.prior)
        if abs(float(total) - 1) > 1e-12:
            raise InvalidGameError(f"the prior sums to {format_number(total)}; it must sum to 1")
        shape = (len(self.types), len(self.messages), len(self.actions))
        self.uS = np.empty(shape, dtype=object)
        self.uR = np.empty(shape, dtype=object)
        for (i, t), (j, m), (k, a) in itertools.product(
            enumerate(self.types), enumerate(self.messages), enumerate(self.actions)
        ):
            self.uS[i, j, k] = _exact(sender(t, m, a), f"sender payoff at ({t}, {m}, {a})")
            self.uR[i, j, k] = _exact(receiver(t, m, a), f"receiver payoff at ({t}, {m}, {a})")

    # ---------------------------------------------------------------- beliefs
    def _best(self, belief: Sequence[Any], j: int, k: int) -> bool:
        value = [sum(b * self.uR[i, j, kk] for i, b in enumerate(belief)) for kk in range(len(self.actions))]
        return all(value[k] >= v for v in value)

    def _supporting(self, j: int, k: int) -> tuple[list[Any] | None, tuple | None]:
        """A belief at message j under which action k is a best reply, and with two types the
        interval of the first type's probability."""
        T = len(self.types)
        # d[kk][i]: advantage of k over kk for type i
        d = [[self.uR[i, j, k] - self.uR[i, j, kk] for i in range(T)] for kk in range(len(self.actions))]
        if T == 2:
            lo, hi = Fraction(0), Fraction(1)
            for a0, a1 in d:  # mu a0 + (1 - mu) a1 >= 0  <=>  mu (a0 - a1) >= -a1
                slope, need = a0 - a1, -a1
                if slope > 0:
                    lo = max(lo, need / slope)
                elif slope < 0:
                    hi = min(hi, need / slope)
                elif need > 0:
                    return None, None
            if lo > hi:
                return None, None
            return [lo, 1 - lo], (lo, hi)
        A = -np.array([[float(v) for v in row] for row in d])
        res = linprog(np.zeros(T), A_ub=A, b_ub=np.zeros(len(d)), A_eq=np.ones((1, T)), b_eq=[1.0],
                      bounds=[(0, 1)] * T, method="highs")
        if res.status != 0:
            return None, None
        return [float(x) for x in res.x], None

    # ---------------------------------------------------------------- equilibria
    def perfect_bayesian_equilibria(self) -> list[PerfectBayesianEquilibrium]:
        """Every pure-strategy perfect Bayesian equilibrium (see the module notes).

        Returns
        -------
        list of PerfectBayesianEquilibrium
            Separating first, then partially pooling, then pooling; within a kind, in the
            order of the strategies' labels.

        Examples
        --------
        >>> from fractions import Fraction as F
        >>> g = SignallingGame(["good", "bad"], [F(1, 2), F(1, 2)], ["pledge", "none"], ["lend", "refuse"],
        ...     sender=lambda t, m, a: (5 - (2 if t == "good" else 8) * (m == "pledge")) * (a == "lend"),
        ...     receiver=lambda t, m, a: (3 if t == "good" else -6) * (a == "lend"))
        >>> [e.kind for e in g.perfect_bayesian_equilibria()]
        ['separating', 'pooling', 'pooling']
        >>> all(g.check(e) for e in g.perfect_bayesian_equilibria())
        True

        References
        ----------
        Fudenberg, D. and Tirole, J. (1991). *Game Theory*, §8.2. MIT Press.
        """
        T, M, A = len(self.types), len(self.messages), len(self.actions)
        found = []
        for s in itertools.product(range(M), repeat=T):
            on_path = set(s)
            beliefs: dict[int, list[Any]] = {}
            for j in on_path:
                weight = [self.prior[i] if s[i] == j else 0 for i in range(T)]
                total = sum(weight)
                beliefs[j] = [w / total for w in weight]
            for r in itertools.product(range(A), repeat=M):
                if not all(self._best(beliefs[j], j, r[j]) for j in on_path):
                    continue
                off: dict[int, Any] = {}
                ok = True
                for j in range(M):
                    if j in on_path:
                        continue
                    belief, interval = self._supporting(j, r[j])
                    if belief is None:
                        ok = False
                        break
                    beliefs_j = belief
                    off[j] = (beliefs_j, interval)
                if not ok:
                    continue
                pay = [self.uS[i, s[i], r[s[i]]] for i in range(T)]
                if any(self.uS[i, j, r[j]] > pay[i] for i in range(T) for j in range(M)):
                    continue
                kind = ("separating" if len(on_path) == T else
                        "pooling" if len(on_path) == 1 else "partially pooling")
                all_beliefs = {**beliefs, **{j: b for j, (b, _) in off.items()}}
                found.append(PerfectBayesianEquilibrium(
                    sender={self.types[i]: self.messages[s[i]] for i in range(T)},
                    receiver={self.messages[j]: self.actions[r[j]] for j in range(M)},
                    beliefs={self.messages[j]: dict(zip(self.types, all_beliefs[j], strict=True))
                             for j in range(M)},
                    off_path={self.messages[j]: interval for j, (_, interval) in off.items()},
                    kind=kind,
                    sender_payoffs=dict(zip(self.types, pay, strict=True)),
                ))
        order = {"separating": 0, "partially pooling": 1, "pooling": 2}
        return sorted(found, key=lambda e: order[e.kind])

    def mixed_perfect_bayesian_equilibria(self) -> list:
        """Every extreme perfect Bayesian equilibrium, semi-separating (mixed) ones included.

        See :func:`alliance.games.extensive.signalling_mixed.mixed_perfect_bayesian_equilibria`.

        Returns
        -------
        list of MixedPerfectBayesianEquilibrium
            Every extreme equilibrium, pure ones included, with its supporting beliefs.

        Examples
        --------
        Besides the three pure equilibria, the bad type can pledge half the time, which
        raises the bank's belief after a pledge to exactly 2/3:

        >>> from fractions import Fraction as F
        >>> g = SignallingGame(["good", "bad"], [F(1, 2), F(1, 2)], ["pledge", "none"], ["lend", "refuse"],
        ...     sender=lambda t, m, a: (5 - (2 if t == "good" else 8) * (m == "pledge")) * (a == "lend"),
        ...     receiver=lambda t, m, a: (3 if t == "good" else -6) * (a == "lend"))
        >>> mixed = g.mixed_perfect_bayesian_equilibria()
        >>> [e.kind for e in mixed]
        ['separating', 'pooling', 'pooling', 'semi-separating', 'semi-separating']
        >>> mixed[3]  # doctest: +NORMALIZE_WHITESPACE
        MixedPerfectBayesianEquilibrium(semi-separating: sender good -> pledge,
        bad -> (pledge 1/2, none 1/2); receiver pledge -> refuse, none -> refuse;
        beliefs P(good | pledge) = 2/3, P(good | none) = 0)

        References
        ----------
        Fudenberg, D. and Tirole, J. (1991). *Game Theory*, §8.2. MIT Press.
        """
        from alliance.games.extensive.signalling_mixed import mixed_perfect_bayesian_equilibria

        return mixed_perfect_bayesian_equilibria(self)

    def check_mixed(self, equilibrium: Any, tol: float = 0.0) -> bool:
        """Re-verify a mixed equilibrium from the definition of a perfect Bayesian equilibrium.

        See :func:`alliance.games.extensive.signalling_mixed.check_mixed_equilibrium`.

        Parameters
        ----------
        equilibrium : MixedPerfectBayesianEquilibrium
            An equilibrium of this game.
        tol : float, default 0.0
            Bound on each violation (0: exact, for rational games).

        Returns
        -------
        bool
            Whether beliefs follow Bayes's rule on the path and both players' strategies are
            best replies.

        Examples
        --------
        >>> from fractions import Fraction as F
        >>> g = SignallingGame(["good", "bad"], [F(1, 2), F(1, 2)], ["pledge", "none"], ["lend", "refuse"],
        ...     sender=lambda t, m, a: (5 - (2 if t == "good" else 8) * (m == "pledge")) * (a == "lend"),
        ...     receiver=lambda t, m, a: (3 if t == "good" else -6) * (a == "lend"))
        >>> all(g.check_mixed(e) for e in g.mixed_perfect_bayesian_equilibria())
        True
        """
        from alliance.games.extensive.signalling_mixed import check_mixed_equilibrium

        return check_mixed_equilibrium(self, equilibrium, tol)

    def check(self, equilibrium: PerfectBayesianEquilibrium) -> bool:
        """Re-verify a pure equilibrium: Bayes's rule, probabilities, sequential rationality.

        Every belief must be a probability distribution, beliefs on the path must follow
        Bayes's rule from the prior, and both players must be sequentially rational.

        Parameters
        ----------
        equilibrium : PerfectBayesianEquilibrium
            A candidate equilibrium of this game.

        Returns
        -------
        bool
            Whether it is a perfect Bayesian equilibrium.

        Examples
        --------
        The bank that refuses everyone after the good type pledged breaks sequential
        rationality (lending pays 3 at belief 1):

        >>> from fractions import Fraction as F
        >>> g = SignallingGame(["good", "bad"], [F(1, 2), F(1, 2)], ["pledge", "none"], ["lend", "refuse"],
        ...     sender=lambda t, m, a: (5 - (2 if t == "good" else 8) * (m == "pledge")) * (a == "lend"),
        ...     receiver=lambda t, m, a: (3 if t == "good" else -6) * (a == "lend"))
        >>> import dataclasses
        >>> eq = g.perfect_bayesian_equilibria()[0]
        >>> g.check(eq), g.check(dataclasses.replace(eq, receiver={"pledge": "refuse", "none": "refuse"}))
        (True, False)

        References
        ----------
        Fudenberg, D. and Tirole, J. (1991). *Game Theory*, §8.2. MIT Press.
        """
        T = len(self.types)
        s = [self.messages.index(equilibrium.sender[t]) for t in self.types]
        r = [self.actions.index(equilibrium.receiver[m]) for m in self.messages]
        for j, m in enumerate(self.messages):
            belief = [equilibrium.beliefs[m][t] for t in self.types]
            if any(b < 0 for b in belief) or abs(float(sum(belief)) - 1) > 1e-12:
                return False
            if j in s:
                total = sum(self.prior[i] for i in range(T) if s[i] == j)
                bayes = [(self.prior[i] if s[i] == j else 0) / total for i in range(T)]
                if any(abs(float(b - c)) > 1e-12 for b, c in zip(belief, bayes, strict=True)):
                    return False
            if not self._best(belief, j, r[j]):
                return False
        return all(
            self.uS[i, s[i], r[s[i]]] >= self.uS[i, j, r[j]] for i in range(T) for j in range(len(self.messages))
        )

    def __repr__(self) -> str:
        return (f"SignallingGame(types {self.types}, messages {self.messages}, "
                f"actions {self.actions})")
