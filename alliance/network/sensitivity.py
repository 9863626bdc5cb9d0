"""One-sided sensitivities of the alliance limit by finite differences on common scenarios.

The programme's duals (``CreditMarginReport.shadow_prices``) give one value per parameter.
Where the set of binding constraints changes at the point (worked example 2 of
docs/credit_v2.md: demand and the bank's limit bind together), the alliance limit has a kink
and its left and right derivatives differ; :func:`shadow_price` reports both, recomputing the
limit at the parameter ± ``step`` on the *same* scenarios (common random numbers), so that the
differences are not noise.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from alliance.errors import NetworkError, ParameterError
from alliance.network.policy import BankPolicy

if TYPE_CHECKING:
    from alliance.network.network import AllianceNetwork

__all__ = ["shadow_price"]


def _with(net: AllianceNetwork, policy: BankPolicy, parameter: str, delta: float):
    """A copy of (net, policy) with ``parameter`` moved by ``delta``."""
    if parameter == "max_el_rate":
        return net, policy.replace(max_el_rate=policy.el_rate + delta)
    if parameter == "max_es_rate":
        if not policy.has_es_limit:
            raise ParameterError("max_es_rate: the policy has no expected-shortfall limit")
        return net, policy.replace(max_es_rate=float(policy.max_es_rate) + delta)
    new = net.copy()
    g = new.graph
    kind, _, rest = parameter.partition(" ")
    if parameter.startswith("equity of "):
        name = parameter[len("equity of ") :]
        if name not in g:
            raise NetworkError(f"unknown member {name!r} in parameter {parameter!r}")
        g.nodes[name]["equity"] += delta
    elif parameter.startswith("fund of "):
        name = parameter[len("fund of ") :]
        if name not in g:
            raise NetworkError(f"unknown member {name!r} in parameter {parameter!r}")
        key = "equity" if g.nodes[name]["role"] == "fund" else "fund"
        g.nodes[name][key] += delta
    elif kind in ("guarantee", "receivable") and "->" in rest:
        a, b = rest.split("->", 1)
        want = "guarantee" if kind == "guarantee" else "trade"
        if not g.has_edge(a, b) or g.edges[a, b]["kind"] != want:
            raise NetworkError(f"there is no {want} chain {a!r}->{b!r} ({parameter!r})")
        g.edges[a, b]["amount"] += delta
    else:
        raise ParameterError(
            f"parameter is {parameter!r}; give 'max_el_rate', 'max_es_rate', 'equity of X', "
            "'fund of X', 'guarantee A->B' or 'receivable A->B'"
        )
    new.refresh()
    return new, policy


def shadow_price(
    net: AllianceNetwork,
    policy: BankPolicy,
    parameter: str,
    *,
    step: float,
    scenarios: Any = 10_000,
    rho: float = 0.12,
    seed: int | None = None,
    **kwargs: Any,
) -> tuple[float, float]:
    """Left and right derivatives of the alliance limit with respect to one parameter.

    Parameters
    ----------
    net : AllianceNetwork
    policy : BankPolicy
    parameter : str
        ``"max_el_rate"``, ``"max_es_rate"``, ``"equity of X"``, ``"fund of X"`` (a member's
        contribution or a fund node's capital), ``"guarantee A->B"`` or ``"receivable A->B"``
        (the trade chain A->B: A owes B).
    step : float
        Positive finite-difference step, in the parameter's unit.
    scenarios, rho, seed, **kwargs
        As in :func:`~alliance.network.margin.credit_margin`; the scenarios are drawn once and
        shared by the three evaluations (and the check is made on them).

    Returns
    -------
    (float, float)
        ``(L_A(x) - L_A(x - step)) / step`` and ``(L_A(x + step) - L_A(x)) / step``.

    Examples
    --------
    Worked example 2 of docs/credit_v2.md: at L = 100 demand and the limit bind together;
    a smaller receivable lowers the limit by 5/3 per unit, a larger one cannot raise it.

    >>> from alliance.network import AllianceNetwork, BankPolicy
    >>> net = AllianceNetwork()
    >>> net.add_member("A", demand=100, pd=0.05, lgd=0.5, equity=100)
    >>> net.add_member("K", demand=0, pd=0.0, lgd=0.5, equity=1000)
    >>> net.add_chain("K", "A", kind="trade", amount=60)
    >>> left, right = shadow_price(net, BankPolicy(max_el_rate=0.01), "receivable K->A",
    ...                            step=1.0, scenarios="exact", rho=0.0)
    >>> round(left, 6), round(right, 6)
    (1.666667, 0.0)
    """
    step = float(step)
    if not step > 0:
        raise ParameterError(f"step is {step!r}; it must be positive")
    sc = (
        net.scenarios(scenarios, rho=rho, seed=seed)
        if not hasattr(scenarios, "defaults")
        else scenarios
    )
    kw = dict(scenarios=sc, check="same", **kwargs)
    mid = net.credit_margin(policy, **kw).alliance_limit
    lo_net, lo_pol = _with(net, policy, parameter, -step)
    hi_net, hi_pol = _with(net, policy, parameter, +step)
    lo = lo_net.credit_margin(lo_pol, **kw).alliance_limit
    hi = hi_net.credit_margin(hi_pol, **kw).alliance_limit
    return (mid - lo) / step, (hi - mid) / step
