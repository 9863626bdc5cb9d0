"""The alliance network: members, credit chains, contagion and the credit margin (docs/economics.md §3).

Examples
--------
>>> from alliance.network import AllianceNetwork, BankPolicy
>>> net = AllianceNetwork()
>>> net.add_member("A", demand=200, pd=0.04, lgd=0.5)
>>> net.add_member("B", demand=100, pd=0.0, lgd=0.5, equity=1000)
>>> net.add_chain("B", "A", kind="guarantee", amount=40)
>>> round(net.credit_margin(BankPolicy(max_el_rate=0.005), scenarios="exact").margin, 6)
140.0
"""

from alliance.network.allocation import MECHANISMS, Mechanisms
from alliance.network.decomposition import MarginDecomposition, margin_decomposition
from alliance.network.example import load_example_alliance
from alliance.network.margin import alliance_limit, credit_margin, margin_curve, margin_vs_density
from alliance.network.network import AllianceNetwork
from alliance.network.policy import BankPolicy
from alliance.network.results import (
    AllianceLimit,
    CascadeResult,
    CreditMarginReport,
    CreditSharesResult,
)
from alliance.network.scenarios import ScenarioSet, exact_defaults, simulate_defaults
from alliance.network.sensitivity import shadow_price
from alliance.network.shares import credit_shares
from alliance.network.standalone import standalone_limit

__all__ = [
    "MECHANISMS",
    "MarginDecomposition",
    "Mechanisms",
    "margin_decomposition",
    "AllianceNetwork",
    "BankPolicy",
    "AllianceLimit",
    "CascadeResult",
    "CreditMarginReport",
    "CreditSharesResult",
    "ScenarioSet",
    "alliance_limit",
    "credit_margin",
    "credit_shares",
    "exact_defaults",
    "load_example_alliance",
    "margin_curve",
    "margin_vs_density",
    "simulate_defaults",
    "shadow_price",
    "standalone_limit",
]

# tails (issue 16): the Vasicek conditional PD, importance sampling and weighted tail estimators
from alliance.network.importance import optimal_shift  # noqa: E402
from alliance.network.tails import TailEstimate, tail_risk  # noqa: E402
from alliance.network.vasicek import conditional_pd, worst_case_default_rate  # noqa: E402

__all__ += [
    "TailEstimate",
    "conditional_pd",
    "optimal_shift",
    "tail_risk",
    "worst_case_default_rate",
]

# the shipped example's version-2 policy and simulation settings (alliance/data/example_alliance)
from alliance.network.example import example_policy, example_simulation  # noqa: E402

__all__ += ["example_policy", "example_simulation"]
