"""One entry point for every model file: read by content, write by suffix, convert between formats.

Examples
--------
>>> import tempfile, pathlib
>>> from alliance.io import read_model, convert, shipped_model
>>> folder = pathlib.Path(tempfile.mkdtemp())
>>> _ = convert(shipped_model("lending"), folder / "lending.nfg", params={"pi": 0.9, "F": 60})
>>> read_model(folder / "lending.nfg").game.pure_equilibria()[0].supports
(('lend',), ('repay',))
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path
from typing import Any

from alliance.errors import AllianceError, ModelFileError, OutputPathError

__all__ = ["read_model", "write_model", "convert", "shipped_model", "shipped_models", "SUFFIXES"]

SUFFIXES = (".toml", ".nfg", ".efg")


def read_model(path: str | Path) -> Any:
    """Read a game or alliance model: ``.toml`` (a ``[game]`` or an alliance file), ``.nfg``, ``.efg``.

    Parameters
    ----------
    path : str or Path
        The file; its suffix says the format.

    Returns
    -------
    GameModel or AllianceModel
        Gambit files become a :class:`~alliance.io.toml_games.GameModel` without parameters.

    Raises
    ------
    ModelFileError
        An unknown suffix or any problem in the file (with file, key and line).

    Examples
    --------
    >>> read_model(shipped_model("lending")).kind
    'normal'
    """
    from alliance.io.gambit import read_efg, read_nfg
    from alliance.io.schema import load_toml
    from alliance.io.toml_alliance import alliance_from_dict
    from alliance.io.toml_games import GameModel, game_from_dict

    p = Path(path)
    suffix = p.suffix.lower()
    if suffix == ".nfg":
        game = read_nfg(p)
        return GameModel(game, (), "normal", game.title or "", source=str(p))
    if suffix == ".efg":
        game = read_efg(p)
        return GameModel(game, (), "sequential", game.title or "", source=str(p))
    if suffix != ".toml":
        raise ModelFileError(
            f"unknown file type {suffix or '(none)'!r}; use .toml, .nfg or .efg", file=str(p)
        )
    data, src = load_toml(p)
    if "game" in data:
        return game_from_dict(data, src)
    if "members" in data or "policy" in data or "alliance" in data:
        return alliance_from_dict(data, src)
    raise src.error(
        "neither a game ([game] table) nor an alliance ([policy] and [[members]]) file", None
    )


def write_model(model: Any, path: str | Path, *, params: dict | None = None) -> str:
    """Write a model in the format of the suffix of ``path``; return the text.

    ``params`` gives values for a Gambit file (which holds numbers only); the defaults are
    used otherwise.

    Parameters
    ----------
    model : GameModel, AllianceModel or an engine game
        What to write.
    path : str or Path
        The file; its suffix (``.toml``, ``.nfg``, ``.efg``) says the format.
    params : dict, optional
        Parameter values for a Gambit file (default: the model's defaults).

    Returns
    -------
    str
        The text written.

    Raises
    ------
    ModelFileError
        The model cannot be written in that format.
    OutputPathError
        The path is a folder, its folder does not exist, or the file system refuses.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> model = read_model(shipped_model("lending"))
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     text = write_model(model, pathlib.Path(tmp) / "lending.nfg", params={"pi": 1})
    >>> text.splitlines()[0]
    'NFG 1 R "lending game" { "Bank" "SME" }'
    """
    try:
        return _write_model(model, path, params=params)
    except OSError as err:
        raise OutputPathError(
            f"cannot write {str(path)!r}: {err.strerror or err}"
        ) from None


def _write_model(model: Any, path: str | Path, *, params: dict | None = None) -> str:
    from alliance.io.gambit import write_efg, write_nfg
    from alliance.io.toml_alliance import AllianceModel, write_alliance
    from alliance.io.toml_games import model_from_game, write_game

    p = Path(path)
    suffix = p.suffix.lower()
    if isinstance(model, AllianceModel):
        if suffix != ".toml":
            raise ModelFileError("an alliance can only be written as .toml", file=str(p))
        return write_alliance(model, p)
    model = model_from_game(model)
    if suffix == ".toml":
        if params:
            raise ModelFileError(
                "--param applies to Gambit output only; a .toml file keeps its parameters",
                file=str(p),
            )
        return write_game(model, p)
    try:
        game = model.at(params or {})
    except AllianceError as err:
        raise ModelFileError(str(err), file=str(p), key="params") from None
    if suffix == ".nfg":
        if model.kind == "sequential":
            game = game.to_normal_form()
        return write_nfg(game, p)
    if suffix == ".efg":
        if model.kind != "sequential":
            raise ModelFileError("only a sequential game can be written as .efg", file=str(p))
        return write_efg(game, p)
    raise ModelFileError(
        f"unknown file type {suffix or '(none)'!r}; use .toml, .nfg or .efg", file=str(p)
    )


def convert(source: str | Path, target: str | Path, *, params: dict | None = None) -> Any:
    """Convert a model file between TOML, ``.nfg`` and ``.efg``; return the model read.

    Parameters
    ----------
    source : str or Path
        The file to read (``.toml``, ``.nfg`` or ``.efg``).
    target : str or Path
        The file to write; its suffix says the format.
    params : dict, optional
        Parameter values for a Gambit target (default: the model's defaults).

    Returns
    -------
    GameModel or AllianceModel
        The model read from ``source``.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     model = convert(shipped_model("lending"), pathlib.Path(tmp) / "lending.nfg")
    ...     again = read_model(pathlib.Path(tmp) / "lending.nfg")
    >>> again.at() == model.at()
    True
    """
    model = read_model(source)
    write_model(model, target, params=params)
    return model


def shipped_models() -> dict[str, Path]:
    """The model files shipped in ``alliance/data/models`` (name -> path).

    Returns
    -------
    dict of str to Path
        File name without suffix to the file's path, sorted by name.

    Examples
    --------
    >>> "lending" in shipped_models(), shipped_models()["lending"].name
    (True, 'lending.toml')
    """
    root = resources.files("alliance") / "data" / "models"
    return {
        Path(str(f)).stem: Path(str(f))
        for f in sorted(root.iterdir(), key=lambda f: f.name)
        if f.name.endswith(".toml") and not f.name.endswith(".expect.toml")
    }


def shipped_model(name: str) -> Path:
    """The path of a shipped model file by name (``"lending"``, ``"example_alliance"``...).

    Parameters
    ----------
    name : str
        The file's name without ``.toml``.

    Returns
    -------
    Path
        The file's path.

    Raises
    ------
    ModelFileError
        No shipped model of that name (the message lists them).

    Examples
    --------
    >>> shipped_model("lending").name
    'lending.toml'
    """
    models = shipped_models()
    if name not in models:
        raise ModelFileError(f"no shipped model {name!r}; shipped models: {', '.join(models)}")
    return models[name]
