"""Model files, expectations, Gambit interchange and reports.

* :mod:`~alliance.io.toml_games` and :mod:`~alliance.io.toml_alliance`: game and alliance
  models as TOML files (read with :mod:`tomllib`, payoffs parsed safely), with writers so that
  every model round-trips;
* :mod:`~alliance.io.expectations`: claims checked by ``alliance check``;
* :mod:`~alliance.io.gambit`: Gambit ``.nfg`` and ``.efg`` files;
* :mod:`~alliance.io.report`: the self-contained HTML report of ``alliance report`` and
  ``alliance demo``.
"""

from alliance.io.expectations import (
    CheckReport,
    ClaimResult,
    Expectations,
    check,
    read_expectations,
)
from alliance.io.files import convert, read_model, shipped_model, shipped_models, write_model
from alliance.io.gambit import read_efg, read_nfg, write_efg, write_nfg
from alliance.io.toml_alliance import (
    AllianceModel,
    Simulation,
    example_alliance_model,
    read_alliance,
    write_alliance,
)
from alliance.io.toml_games import GameModel, ParameterSpec, model_from_game, read_game, write_game

__all__ = [
    "AllianceModel",
    "CheckReport",
    "ClaimResult",
    "Expectations",
    "GameModel",
    "ParameterSpec",
    "Simulation",
    "check",
    "convert",
    "example_alliance_model",
    "model_from_game",
    "read_alliance",
    "read_efg",
    "read_expectations",
    "read_game",
    "read_model",
    "read_nfg",
    "shipped_model",
    "shipped_models",
    "write_alliance",
    "write_efg",
    "write_game",
    "write_model",
    "write_nfg",
]
