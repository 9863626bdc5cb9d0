"""Model files: shipped models round-trip, agree with the factories; schema errors name file, key, line."""

from __future__ import annotations

from fractions import Fraction

import pytest

from alliance.errors import ModelFileError, ParameterError
from alliance.games.normal_form import NormalFormGame
from alliance.io import (
    AllianceModel,
    GameModel,
    example_alliance_model,
    read_alliance,
    read_game,
    read_model,
    shipped_models,
    write_alliance,
    write_game,
)
from alliance.io.shipped import FACTORY_MODELS, build_shipped_models, factory_game

GAMES = [n for n in shipped_models() if n != "example_alliance"]


def _same_equilibria(a: list, b: list) -> bool:
    return len(a) == len(b) and all(any(x.same_profile(y) for y in b) for x in a)


def test_every_factory_model_is_shipped():
    assert set(FACTORY_MODELS) | {"example_alliance"} == set(shipped_models())


@pytest.mark.parametrize("name", GAMES)
def test_shipped_game_equals_its_factory_and_round_trips(name, tmp_path):
    model = read_model(shipped_models()[name])
    assert isinstance(model, GameModel)
    reference = factory_game(name).equilibria()
    eqs = model.equilibria()
    assert _same_equilibria(eqs, reference)
    assert all(e.exact for e in eqs)  # decimals in files are exact decimals
    path = tmp_path / f"{name}.toml"
    write_game(model, path)
    again = read_model(path)
    assert again.parameters == model.parameters
    assert again.kind == model.kind
    assert _same_equilibria(again.equilibria(), eqs)
    assert again.at() == model.at()


def test_shipped_files_are_up_to_date(tmp_path):
    built = build_shipped_models(tmp_path)
    for name, path in built.items():
        assert path.read_text() == shipped_models()[name].read_text(), name


def test_example_alliance_round_trips_with_the_same_margin(tmp_path):
    model = example_alliance_model()
    assert len(model.network.members) == 30
    path = tmp_path / "alliance.toml"
    write_alliance(model, path)
    again = read_model(path)
    assert isinstance(again, AllianceModel)
    assert again.simulation == model.simulation and again.policy == model.policy
    a = model.credit_margin(scenarios=1500)
    b = again.credit_margin(scenarios=1500)
    assert a.margin == b.margin and a.alliance_limit == b.alliance_limit
    assert a.loss_split == b.loss_split


def test_alliance_file_matches_the_csv_example():
    from alliance.network import BankPolicy, load_example_alliance

    model = example_alliance_model()
    net = load_example_alliance()
    policy = BankPolicy(max_el_rate=0.005)
    ours = model.network.credit_margin(policy, scenarios=1000, seed=3, progress=False)
    theirs = net.credit_margin(policy, scenarios=1000, seed=3, progress=False)
    assert ours.margin == pytest.approx(theirs.margin, abs=1e-9)


def test_worked_example_margin_from_a_file():
    text = """
policy = { max_el_rate = 0.005 }
simulation = { scenarios = "exact", rho = 0.0 }
members = [
  { name = "A", demand = 200, pd = 0.04, lgd = 0.5 },
  { name = "B", demand = 100, pd = 0.0, lgd = 0.5, equity = 1000 },
]
chains = [ { source = "B", target = "A", amount = 40 } ]
"""
    rep = read_alliance(text=text).credit_margin()
    # version 2: the optimal allocation (version 1, the uniform share, gave 192 and 92)
    assert rep.alliance_limit == pytest.approx(240.0) and rep.margin == pytest.approx(140.0)


GAME = """
[game]
title = "lending"
players = ["Bank", "SME"]
strategies = [["lend", "refuse"], ["repay", "default"]]

[parameters.r]
default = 0.06
range = [0, 1]
assumption = "positive"
meaning = "interest rate"

[parameters.L]
default = 100
assumption = "positive"

[[payoffs]]
profile = ["lend", "repay"]
values = ["r*L", "130 - (1 + r)*L"]

[[payoffs]]
profile = ["lend", "default"]
values = ["-L", 130]

[[payoffs]]
profile = ["refuse", "repay"]
values = [0, 0]

[[payoffs]]
profile = ["refuse", "default"]
values = [0, 0]
"""


def test_game_file_reads_exactly():
    model = read_game("lending.toml", text=GAME)
    assert model.defaults() == {"r": Fraction(3, 50), "L": 100}
    game = model.at()
    assert game.is_exact and game.exact_payoffs[0, 0, 0] == 6
    assert model.at(r=0.1).exact_payoffs[0, 0, 0] == 10
    with pytest.raises(ParameterError, match="r"):
        model.at(r=2)
    with pytest.raises(ParameterError, match="unknown parameter 'x'"):
        model.at(x=1)


def test_sequential_and_evolutionary_models_round_trip(tmp_path):
    text = """
[game]
kind = "sequential"
players = ["Bank", "SME"]
[parameters]
q = { default = 0.25, range = [0, 1] }
[[nodes]]
at = []
player = "Bank"
actions = ["lend", "refuse"]
[[nodes]]
at = ["refuse"]
payoffs = [0, 0]
[[nodes]]
at = ["lend"]
outcomes = ["good", "bad"]
probabilities = ["1 - q", "q"]
[[nodes]]
at = ["lend", "good"]
payoffs = [2, 1]
[[nodes]]
at = ["lend", "bad"]
payoffs = [-4, 0]
"""
    model = read_game(text=text)
    (spe,) = model.equilibria()
    assert spe.path[0] == ("Bank", "lend") and spe.payoffs[0] == Fraction(1, 2)
    assert model.equilibria(q=0.5)[0].path == (("Bank", "refuse"),)
    again = read_game(text=write_game(model))
    assert again.equilibria()[0].payoffs == spe.payoffs
    tri = read_model(shipped_models()["tripartite"])
    assert tri.kind == "evolutionary"
    assert [tuple(int(v) for v in p) for p in tri.evolutionary().ess()] == [(1, 1, 1)]


def test_plain_engine_game_round_trips():
    g = NormalFormGame.from_payoffs(
        {
            ("a", "x"): ("max(p, 1/3)", 0),
            ("a", "y"): (1, "p**2"),
            ("b", "x"): (0.5, 2),
            ("b", "y"): (0, 0),
        },
        players=("P", "Q"),
        params={"p": (0, 1)},
    )
    again = read_game(text=write_game(g))
    assert again.game == g


@pytest.mark.parametrize(
    "text, key, fragment",
    [
        (GAME.replace("title =", "titel ="), "game.titel", "did you mean 'title'"),
        (
            GAME.replace('assumption = "positive"\nmeaning', 'assumption = "postive"\nmeaning'),
            "parameters.r.assumption",
            "did you mean 'positive'",
        ),
        (GAME.replace("default = 0.06", "default = 1.5"), "parameters.r.default", "1.5"),
        (GAME.replace("default = 0.06", 'default = "high"'), "parameters.r.default", "'high'"),
        (GAME.replace('"r*L"', '"r*K"'), "payoffs[0].values[0]", "unknown name 'K'"),
        (
            GAME.replace('"r*L"', "\"__import__('os').system('true')\""),
            "payoffs[0].values[0]",
            "not allowed",
        ),
        (
            GAME.replace('profile = ["lend", "default"]', 'profile = ["lend", "defualt"]'),
            "payoffs[1].profile",
            "did you mean 'default'",
        ),
        (
            GAME.replace(
                'values = [0, 0]\n\n[[payoffs]]\nprofile = ["refuse", "default"]\nvalues = [0, 0]\n',
                "values = [0, 0]\n",
            ),
            "payoffs",
            "no entry for profile",
        ),
        (
            GAME.replace('players = ["Bank", "SME"]', 'players = "Bank"'),
            "game.players",
            "list of strings",
        ),
        (
            GAME.replace("values = [0, 0]", "values = [0, true]", 1),
            "payoffs[2].values[1]",
            "boolean",
        ),
    ],
)
def test_schema_errors_name_file_key_and_line(text, key, fragment):
    with pytest.raises(ModelFileError) as info:
        read_game("model.toml", text=text)
    err = info.value
    assert err.file == "model.toml"
    assert err.key == key
    assert fragment in str(err)
    assert err.line is not None
    first = key.split(".")[-1].split("[")[0]
    line = text.splitlines()[err.line - 1]
    assert first in line or "[" in line


def test_invalid_toml_gives_the_line():
    with pytest.raises(ModelFileError) as info:
        read_game("m.toml", text='[game]\nplayers = ["a", "b"\n')
    assert info.value.line is not None and "invalid TOML" in str(info.value)


@pytest.mark.parametrize(
    "change, key",
    [
        (("pd = 0.04", "pd = 1.7"), "members[0].pd"),
        (("max_el_rate = 0.005", "max_el_rate = 2"), "policy.max_el_rate"),
        (('target = "A"', 'target = "Z"'), "chains[0]"),
        (("rho = 0.0", "rhoo = 0.0"), "simulation.rhoo"),
        (('name = "A", demand = 200', 'name = "A", demand = "lots"'), "members[0].demand"),
    ],
)
def test_alliance_errors_name_the_key(change, key):
    text = """
policy = { max_el_rate = 0.005 }
simulation = { scenarios = "exact", rho = 0.0 }
members = [
  { name = "A", demand = 200, pd = 0.04, lgd = 0.5 },
  { name = "B", demand = 100, pd = 0.0, lgd = 0.5, equity = 1000 },
]
chains = [ { source = "B", target = "A", amount = 40 } ]
""".replace(*change)
    with pytest.raises(ModelFileError) as info:
        read_alliance("a.toml", text=text)
    assert info.value.key == key and info.value.file == "a.toml"
    assert info.value.line is not None
