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
tripartite_guarantee      government × bank × guarantor evolutionary game
risk_sharing_game         bank × guarantor × government cooperative game (Shapley)
StiglitzWeissMarket       credit rationing under adverse selection (Stiglitz–Weiss 1981)
BesterScreening           separating (rate, collateral) menu (Bester 1985)
collateral_signalling     SME signals its type by pledging collateral (signalling game)
========================  ==============================================================
"""

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
from alliance.models.guarantee import GUARANTEE_INFO, cost_to_government, guarantee_game
from alliance.models.lending import (
    LENDING_INFO,
    inspection_equilibrium,
    lending_critical_discount,
    lending_game,
    repayment_condition,
)
from alliance.models.risk_sharing import (
    RISK_SHARING_INFO,
    coalition_values,
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

__all__ = [
    "Parameter",
    "ModelInfo",
    "describe",
    "lending_game",
    "repayment_condition",
    "inspection_equilibrium",
    "lending_critical_discount",
    "LENDING_INFO",
    "guarantee_game",
    "cost_to_government",
    "GUARANTEE_INFO",
    "credit_alliance_game",
    "individual_repayment_region",
    "group_repayment_region",
    "repayment_thresholds",
    "repayment_probabilities",
    "CREDIT_ALLIANCE_INFO",
    "tripartite_guarantee",
    "tripartite_guarantee_game",
    "TRIPARTITE_INFO",
    "risk_sharing_game",
    "risk_sharing_ratio",
    "coalition_values",
    "RISK_SHARING_INFO",
    "StiglitzWeissMarket",
    "BesterScreening",
    "collateral_signalling",
]
