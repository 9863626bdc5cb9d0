"""The shipped model files, rebuilt from the model factories (``alliance/data/models``).

The files are package data; :func:`build_shipped_models` writes them again from
:mod:`alliance.models` and :func:`alliance.network.load_example_alliance`, so a test can check
that the files and the factories agree.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

__all__ = [
    "FACTORY_MODELS",
    "factory_game",
    "build_shipped_models",
    "EXAMPLE_POLICY",
    "EXAMPLE_SIMULATION",
]

#: name -> (factory name, keyword arguments): the game files and the factory calls they mirror.
FACTORY_MODELS: dict[str, tuple[str, dict[str, Any]]] = {
    "lending": ("lending_game", {}),
    "lending_inspection": ("lending_game", {"inspection": True}),
    "guarantee_business": ("guarantee_game", {"mode": "business"}),
    "guarantee_policy": ("guarantee_game", {"mode": "policy"}),
    "guarantee_mutual": ("guarantee_game", {"mode": "mutual"}),
    "credit_alliance": ("credit_alliance_game", {}),
    "tripartite": ("tripartite_guarantee", {}),
}

#: The bank policy and simulation settings of the example alliance file.
EXAMPLE_POLICY = {"max_el_rate": 0.005, "es_alpha": 0.99, "max_es_rate": 0.01}  # data/example_alliance/policy.toml
EXAMPLE_SIMULATION = {
    "scenarios": 20_000,
    "rho": 0.12,
    "sector_rho": 0.0,
    "void_prob": 0.05,
    "seed": 2024,
}


def factory_game(name: str, *, symbolic: bool = False) -> Any:
    """The factory's game behind a shipped file (numeric at the defaults, or symbolic).

    Parameters
    ----------
    name : str
        A key of :data:`FACTORY_MODELS` (``"lending"``, ``"tripartite"``...).
    symbolic : bool, default False
        The symbolic game (as in the file) instead of the numeric one at the defaults.

    Returns
    -------
    NormalFormGame or SequentialGame
        The factory's game.

    Examples
    --------
    >>> factory_game("lending").players
    ('Bank', 'SME')
    """
    from alliance import models

    factory, kwargs = FACTORY_MODELS[name]
    kwargs = dict(kwargs)
    if factory == "credit_alliance_game":  # numeric only: its payoffs are case distinctions
        return models.credit_alliance_game(**kwargs)
    if factory == "tripartite_guarantee":  # the file is the game's replicator dynamics
        from alliance.games.evolutionary import EvolutionaryGame

        game = models.tripartite_guarantee(symbolic=symbolic)
        return EvolutionaryGame(game) if symbolic else game
    mode = kwargs.pop("mode", None)
    args = (mode,) if mode else ()
    return getattr(models, factory)(*args, symbolic=symbolic, **kwargs)


def build_shipped_models(folder: str | Path) -> dict[str, Path]:
    """Write every shipped model file into ``folder``; return name -> path.

    Parameters
    ----------
    folder : str or Path
        Where to write (created if needed).

    Returns
    -------
    dict of str to Path
        File name without suffix to the file written.

    Examples
    --------
    >>> import tempfile
    >>> sorted(build_shipped_models(tempfile.mkdtemp()))[:3]
    ['credit_alliance', 'example_alliance', 'guarantee_business']
    """
    from alliance.io.toml_alliance import AllianceModel, Simulation, write_alliance
    from alliance.io.toml_games import model_from_game, write_game
    from alliance.network import BankPolicy, load_example_alliance

    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    out = {}
    for name in FACTORY_MODELS:
        game = factory_game(name, symbolic=True)
        model = model_from_game(game)
        if name == "credit_alliance":
            model = model_from_game(
                game, title="credit alliance repayment game (at the default returns)"
            )
        path = folder / f"{name}.toml"
        write_game(model, path)
        out[name] = path
    example = AllianceModel(
        load_example_alliance(),
        BankPolicy(**EXAMPLE_POLICY),
        Simulation(**EXAMPLE_SIMULATION),
        title="Example credit alliance",
        description="30 SMEs in 3 sectors with a mutual fund and a guarantee company (made up; "
        "see alliance/data/example_alliance/README.md)",
        currency="10^4 CNY",
    )
    path = folder / "example_alliance.toml"
    write_alliance(example, path)
    out["example_alliance"] = path
    return out
