"""Domain models: factories that return engine games for banks, SMEs, guarantors and governments.

Each factory documents every parameter (symbol, meaning, unit, admissible range, a default
and its source) and cites its literature; :func:`describe` shows the parameter table of a
factory or of a game it built.

========================  ==============================================================
factory                   game
========================  ==============================================================
lending_game              bank × SME: lend/refuse × repay/default; inspection; repeated
guarantee_game            bank × guarantor × SME (× government): policy/business/mutual
credit_alliance_game      joint-liability repayment game (Besley & Coate 1995)
repeated_alliance         repeated alliance: i.i.d. returns, dissolution, monitoring
tripartite_guarantee      government × bank × guarantor (dynamics: EvolutionaryGame)
risk_sharing_game         bank × guarantor × government cooperative game (Shapley)
solve_guarantee           a guarantee mode solved: price, participation, money flows
rank_modes                the modes ranked by welfare over a parameter grid (welfare.py)
presets                   United States, Japan, Indonesia parameter sets with sources
StiglitzWeissMarket       credit rationing under adverse selection (Stiglitz–Weiss 1981)
BesterScreening           separating (rate, collateral) menu (Bester 1985)
collateral_signalling     SME signals its type by pledging collateral (signalling game)
========================  ==============================================================
"""

from alliance.models import presets, welfare
from alliance.models._params import ModelInfo, Parameter
from alliance.models.credit_alliance import (
    CREDIT_ALLIANCE_INFO,
    credit_alliance_game,
    group_repayment_region,
    individual_repayment_region,
    repayment_probabilities,
    repayment_thresholds,
)
from alliance.models.describe import describe
from alliance.models.guarantee import (
    GUARANTEE_INFO,
    GuaranteeOutcome,
    cost_to_government,
    guarantee_game,
    participation_game,
    solve_guarantee,
)
from alliance.models.lending import (
    LENDING_INFO,
    LendingParticipation,
    inspection_equilibrium,
    lending_critical_discount,
    lending_game,
    lending_participation,
    repayment_condition,
)
from alliance.models.repeated_alliance import (
    REPEATED_ALLIANCE_INFO,
    AllianceSimulation,
    RepeatedAlliance,
    repeated_alliance,
)
from alliance.models.risk_sharing import (
    RISK_SHARING_INFO,
    RiskSharingTerms,
    coalition_values,
    instrument_payoffs,
    risk_sharing_game,
    risk_sharing_ratio,
)
from alliance.models.screening import (
    BesterScreening,
    StiglitzWeissMarket,
    collateral_signalling,
)
from alliance.models.tripartite import (
    TRIPARTITE_INFO,
    tripartite_guarantee,
    tripartite_guarantee_game,
)
from alliance.models.welfare import best_mode_map, rank_modes

__all__ = [
    "Parameter",
    "ModelInfo",
    "describe",
    "lending_game",
    "repayment_condition",
    "inspection_equilibrium",
    "lending_critical_discount",
    "lending_participation",
    "LendingParticipation",
    "LENDING_INFO",
    "guarantee_game",
    "cost_to_government",
    "solve_guarantee",
    "participation_game",
    "GuaranteeOutcome",
    "rank_modes",
    "best_mode_map",
    "presets",
    "welfare",
    "GUARANTEE_INFO",
    "credit_alliance_game",
    "individual_repayment_region",
    "group_repayment_region",
    "repayment_thresholds",
    "repayment_probabilities",
    "CREDIT_ALLIANCE_INFO",
    "repeated_alliance",
    "RepeatedAlliance",
    "AllianceSimulation",
    "REPEATED_ALLIANCE_INFO",
    "tripartite_guarantee",
    "tripartite_guarantee_game",
    "TRIPARTITE_INFO",
    "risk_sharing_game",
    "risk_sharing_ratio",
    "RiskSharingTerms",
    "instrument_payoffs",
    "coalition_values",
    "RISK_SHARING_INFO",
    "StiglitzWeissMarket",
    "BesterScreening",
    "collateral_signalling",
]

# Games to network (docs/economics.md §3, "Linking games and network").
from alliance.models import linking  # noqa: E402
from alliance.models.linking import (  # noqa: E402
    calibrate_returns,
    default_probability,
    link_network,
    loss_limit,
    monitoring_intensity,
    verification_effort,
    void_probability,
    void_probability_from_equilibrium,
)

__all__ += [
    "linking",
    "default_probability",
    "calibrate_returns",
    "monitoring_intensity",
    "void_probability",
    "void_probability_from_equilibrium",
    "verification_effort",
    "loss_limit",
    "link_network",
]
