"""The bank's lending policy: how much expected loss (and tail loss) it accepts per unit lent."""

from __future__ import annotations

import math
from dataclasses import dataclass

from alliance.errors import ParameterError
from alliance.numbers import check_probability

__all__ = ["BankPolicy"]


@dataclass(frozen=True)
class BankPolicy:
    """The risk appetite of the lending bank (docs/credit_v2.md).

    The bank lends an amount ``L`` to a borrower (or ``sum(L_i)`` to an alliance) as long as

    * its expected loss is at most ``max_el_rate * L``,
    * optionally, its expected shortfall at confidence ``es_alpha`` (the mean loss in the
      worst ``1 - es_alpha`` of scenarios) is at most ``max_es_rate * L``,
    * optionally (value at risk, always reported with its tail standard error), its
      ``var_alpha``-quantile of the loss is at most ``max_var_rate * L``.

    Parameters
    ----------
    max_el_rate : float, optional
        ℓ*, the largest expected loss per unit lent the bank accepts, in [0, 1]. A bank
        that prices 1 % of expected loss into its margin has ``max_el_rate=0.01``. None: no
        expected-loss limit (then an ES or VaR limit is needed).
    var_alpha, max_var_rate : float, optional
        Confidence α in (0, 1) and the largest α-quantile of the loss per unit lent, in [0, 1].
    es_alpha, max_es_rate : float, optional
        Confidence α in (0, 1) and the largest expected shortfall per unit lent e*, in [0, 1].
    receivable_haircut : float
        h in [0, 1]: a pledged receivable of face value t counts for (1 - h)·t (default 0).
    receivables_verifiable_standalone : bool
        Whether the bank can verify a member's receivables without the alliance (default
        False). When True, standalone limits already count the pledged receivables and the
        financing-chain part of the margin is zero: the difference is what the alliance's
        verification is worth.

    Raises
    ------
    ParameterError
        If a rate lies outside [0, 1], a confidence outside (0, 1), only one of a pair is
        given, the haircut lies outside [0, 1], or the policy has no limit at all.

    Examples
    --------
    >>> BankPolicy(max_el_rate=0.005)
    BankPolicy(max_el_rate=0.005)
    >>> BankPolicy(max_el_rate=0.01, var_alpha=0.999, max_var_rate=0.08).has_var_limit
    True
    >>> BankPolicy(max_el_rate=0.01, es_alpha=0.99, max_es_rate=0.05).has_es_limit
    True
    """

    max_el_rate: float | None = None
    var_alpha: float | None = None
    max_var_rate: float | None = None
    es_alpha: float | None = None
    max_es_rate: float | None = None
    receivable_haircut: float = 0.0
    receivables_verifiable_standalone: bool = False

    def __post_init__(self) -> None:
        if self.max_el_rate is not None:
            _check_rate("max_el_rate", self.max_el_rate)
        for conf, rate in (("var_alpha", "max_var_rate"), ("es_alpha", "max_es_rate")):
            a, r = getattr(self, conf), getattr(self, rate)
            if (a is None) != (r is None):
                raise ParameterError(
                    f"{conf} is {a!r} and {rate} is {r!r}; the limit needs both (or neither)"
                )
            if a is not None:
                x = _as_float(conf, a)
                if not 0.0 < x < 1.0:
                    raise ParameterError(
                        f"{conf} of the bank policy is {x!r}; it must lie in (0, 1)"
                    )
                _check_rate(rate, r)
        if self.max_el_rate is None and self.var_alpha is None and self.es_alpha is None:
            raise ParameterError(
                "the bank policy has no limit at all; give max_el_rate, or es_alpha with "
                "max_es_rate, or var_alpha with max_var_rate"
            )
        h = _as_float("receivable_haircut", self.receivable_haircut)
        if not 0.0 <= h <= 1.0:
            raise ParameterError(
                f"receivable_haircut of the bank policy is {h!r}; it must lie in [0, 1]"
            )
        if not isinstance(self.receivables_verifiable_standalone, bool):
            raise ParameterError(
                "receivables_verifiable_standalone of the bank policy is "
                f"{self.receivables_verifiable_standalone!r}; it must be True or False"
            )

    @property
    def el_rate(self) -> float:
        """The expected-loss limit ℓ*, or 1 if unset (no binding limit: a loss never exceeds the loan)."""
        return 1.0 if self.max_el_rate is None else float(self.max_el_rate)

    @property
    def has_el_limit(self) -> bool:
        """Whether the policy limits the expected loss."""
        return self.max_el_rate is not None

    @property
    def has_var_limit(self) -> bool:
        """Whether the policy also limits the value-at-risk."""
        return self.var_alpha is not None

    @property
    def has_es_limit(self) -> bool:
        """Whether the policy also limits the expected shortfall."""
        return self.es_alpha is not None

    def replace(self, **changes: object) -> BankPolicy:
        """A copy with some fields changed (checked again).

        Parameters
        ----------
        **changes
            New values of the policy's fields (``max_el_rate``, ``var_alpha``...).

        Returns
        -------
        BankPolicy
            The new policy (checked again).

        Examples
        --------
        >>> BankPolicy(max_el_rate=0.005).replace(max_el_rate=0.01)
        BankPolicy(max_el_rate=0.01)
        """
        from dataclasses import replace

        return replace(self, **changes)

    def __repr__(self) -> str:
        parts = []
        if self.max_el_rate is not None:
            parts.append(f"max_el_rate={self.max_el_rate!r}")
        if self.has_var_limit:
            parts += [f"var_alpha={self.var_alpha!r}", f"max_var_rate={self.max_var_rate!r}"]
        if self.has_es_limit:
            parts += [f"es_alpha={self.es_alpha!r}", f"max_es_rate={self.max_es_rate!r}"]
        if self.receivable_haircut:
            parts.append(f"receivable_haircut={self.receivable_haircut!r}")
        if self.receivables_verifiable_standalone:
            parts.append("receivables_verifiable_standalone=True")
        return f"BankPolicy({', '.join(parts)})"


def _as_float(field: str, value: object) -> float:
    if isinstance(value, bool):
        raise ParameterError(f"{field} of the bank policy is {value!r}; it must be a number")
    try:
        x = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        raise ParameterError(
            f"{field} of the bank policy is {value!r}; it must be a number"
        ) from None
    if not math.isfinite(x):
        raise ParameterError(f"{field} of the bank policy is {value!r}; it must be finite")
    return x


def _check_rate(field: str, value: object) -> None:
    check_probability(_as_float(field, value), f"{field} of the bank policy")
