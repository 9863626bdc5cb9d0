"""The bank's lending policy: how much expected loss (and tail loss) it accepts per unit lent."""

from __future__ import annotations

import math
from dataclasses import dataclass

from alliance.errors import ParameterError
from alliance.numbers import check_probability

__all__ = ["BankPolicy"]


@dataclass(frozen=True)
class BankPolicy:
    """The risk appetite of the lending bank.

    The bank lends an amount ``L`` to a borrower (or ``sum(L_i)`` to an alliance) as long as

    * its expected loss is at most ``max_el_rate * L`` and, optionally,
    * its value-at-risk at confidence ``var_alpha`` (the ``var_alpha``-quantile of the
      loss over scenarios) is at most ``max_var_rate * L``.

    Parameters
    ----------
    max_el_rate : float
        ℓ*, the largest expected loss per unit lent the bank accepts, in [0, 1]. A bank
        that prices 1 % of expected loss into its margin has ``max_el_rate=0.01``.
    var_alpha : float, optional
        Confidence level α of the value-at-risk limit, in (0, 1) (e.g. 0.999 as in the
        Basel II IRB formula). Give it together with ``max_var_rate``.
    max_var_rate : float, optional
        The largest α-quantile of the loss per unit lent, in [0, 1].

    Raises
    ------
    ParameterError
        If a rate lies outside [0, 1], α outside (0, 1), or only one of ``var_alpha`` and
        ``max_var_rate`` is given.

    Examples
    --------
    >>> BankPolicy(max_el_rate=0.005)
    BankPolicy(max_el_rate=0.005)
    >>> BankPolicy(max_el_rate=0.01, var_alpha=0.999, max_var_rate=0.08).has_var_limit
    True
    """

    max_el_rate: float
    var_alpha: float | None = None
    max_var_rate: float | None = None

    def __post_init__(self) -> None:
        _check_rate("max_el_rate", self.max_el_rate)
        if (self.var_alpha is None) != (self.max_var_rate is None):
            raise ParameterError(
                f"var_alpha is {self.var_alpha!r} and max_var_rate is {self.max_var_rate!r}; "
                "a value-at-risk limit needs both (or neither)"
            )
        if self.var_alpha is not None:
            a = _as_float("var_alpha", self.var_alpha)
            if not 0.0 < a < 1.0:
                raise ParameterError(
                    f"var_alpha of the bank policy is {a!r}; it must lie in (0, 1)"
                )
            _check_rate("max_var_rate", self.max_var_rate)

    @property
    def has_var_limit(self) -> bool:
        """Whether the policy also limits the value-at-risk."""
        return self.var_alpha is not None

    def __repr__(self) -> str:
        parts = [f"max_el_rate={self.max_el_rate!r}"]
        if self.has_var_limit:
            parts += [f"var_alpha={self.var_alpha!r}", f"max_var_rate={self.max_var_rate!r}"]
        return f"BankPolicy({', '.join(parts)})"


def _as_float(field: str, value: object) -> float:
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
