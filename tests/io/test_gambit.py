"""Gambit interchange: files from Gambit's own collection, cross-checked with pygambit."""

from __future__ import annotations

from fractions import Fraction
from importlib import resources
from pathlib import Path

import numpy as np
import pytest

from alliance.errors import ModelFileError
from alliance.games.normal_form import NormalFormGame
from alliance.io import read_efg, read_nfg, write_efg, write_nfg

gbt = pytest.importorskip("pygambit")

DATA = Path(str(resources.files("alliance") / "data" / "gambit"))
NFG = sorted(p.name for p in DATA.glob("*.nfg"))
EFG = sorted(p.name for p in DATA.glob("*.efg"))


def _gambit_profiles(game, result) -> list[list[np.ndarray]]:
    return [
        [np.array([float(eq[p][s]) for s in game.get_strategies(p)]) for p in game.players]
        for eq in result.equilibria
    ]


def _same_sets(ours: list, theirs: list, tol: float = 1e-9) -> bool:
    def key(profile):
        return np.concatenate(profile)

    a = [key(e.as_arrays()) for e in ours]
    b = [key(p) for p in theirs]
    return (
        len(a) == len(b)
        and all(any(np.allclose(x, y, atol=tol) for y in b) for x in a)
        and all(any(np.allclose(x, y, atol=tol) for x in a) for y in b)
    )


def test_ships_at_least_five_games_with_their_source():
    assert len(NFG) >= 5 and len(EFG) >= 3
    readme = (DATA / "README.md").read_text()
    assert "gambitproject/gambit" in readme and "contrib/games" in readme
    for name in NFG + EFG:
        assert name in readme


@pytest.mark.parametrize("name", NFG)
def test_nfg_equilibria_equal_pygambits(name):
    ours = read_nfg(DATA / name)
    theirs = gbt.read_nfg(str(DATA / name))
    assert ours.players == tuple(theirs.players)
    # payoffs at every contingency
    arrays = theirs.to_arrays()
    for i in range(ours.n_players):
        expected = np.vectorize(lambda x: Fraction(str(x)), otypes=[object])(
            np.asarray(arrays[i], dtype=object)
        )
        assert (ours.exact_payoffs[..., i] == expected).all()
    if ours.n_players == 2:
        result = gbt.nash.enummixed_solve(theirs, rational=True)
    else:
        result = gbt.nash.enumpoly_solve(theirs)
    eqs = ours.equilibria()
    assert _same_sets(eqs, _gambit_profiles(theirs, result), tol=1e-6), (eqs, result.equilibria)


def test_known_counts_from_the_titles():
    assert len(read_nfg(DATA / "coord3.nfg").equilibria()) == 7
    eqs = read_nfg(DATA / "2x2x2.nfg").equilibria()
    assert len(eqs) == 9
    assert sum(all(len(s) == 2 for s in e.supports) for e in eqs) == 2  # "2 totally mixed"
    (pd,) = read_nfg(DATA / "pd.nfg").equilibria()
    assert pd.supports == (("2",), ("2",))


@pytest.mark.parametrize("name", EFG)
def test_efg_trees_match_pygambit(name):
    ours = read_efg(DATA / name)
    theirs = gbt.read_efg(str(DATA / name))
    # the reduced strategic forms hold the same payoff vectors
    arrays = theirs.to_arrays()
    expected = sorted(
        tuple(Fraction(str(x)) for x in t)
        for t in zip(*[np.asarray(a, dtype=object).ravel().tolist() for a in arrays])
    )
    nf = ours.to_normal_form()
    got = sorted(tuple(nf.exact_payoffs[idx]) for idx in np.ndindex(nf.shape))
    assert got == expected
    # the subgame-perfect equilibrium is one of Gambit's pure agent-form equilibria
    spe = ours.backward_induction()
    agent = gbt.nash.enumpure_agent_solve(theirs)
    payoffs = {
        tuple(Fraction(str(eq.payoffs[p])) for p in theirs.players) for eq in agent.equilibria
    }
    assert tuple(spe.payoffs) in payoffs


def test_centipede_spe_takes_at_once():
    spe = read_efg(DATA / "cent4.efg").backward_induction()
    assert spe.path == (("Player 1", "TAKE"),)
    assert spe.payoffs == (Fraction(4, 5), Fraction(1, 5))


def test_efg_with_chance_and_intermediate_outcomes():
    text = """EFG 2 R "chance" { "A" "B" }
""
c "" 1 "" { "good" 1/3 "bad" 2/3 } 1 "entry" { 1, 0 }
p "" 1 1 "" { "x" "y" } 0
t "" 2 "" { 3, 1 }
t "" 3 "" { 0, 2 }
p "" 2 1 "" { "u" "v" } 0
t "" 4 "" { 1, 5 }
t "" 5 "" { 2, 4 }
"""
    game = read_efg(text=text)
    spe = game.backward_induction()
    # A takes x after good (3 + 1), B takes u after bad (5 + 0): outcomes along the path add up
    assert spe.payoffs == (
        Fraction(1, 3) * 4 + Fraction(2, 3) * 2,
        Fraction(1, 3) * 1 + Fraction(2, 3) * 5,
    )
    theirs = gbt.read_efg(__import__("io").BytesIO(write_efg(game).encode()))
    agent = gbt.nash.enumpure_agent_solve(theirs)
    payoffs = {
        tuple(Fraction(str(eq.payoffs[p])) for p in theirs.players) for eq in agent.equilibria
    }
    assert tuple(spe.payoffs) in payoffs


@pytest.mark.parametrize("version", ["outcome", "payoff"])
def test_written_nfg_is_read_by_pygambit_with_the_same_payoffs(tmp_path, version):
    game = NormalFormGame.from_matrices(
        [[Fraction(3, 2), 0, -1], [5, Fraction(1, 3), 2]],
        [[1, 7, 0], [0, Fraction(-2, 7), 4]],
        players=("Bank", 'SME "quoted"'),
        strategies=(("lend", "refuse"), ("a", "b", "c")),
        title="written by alliance",
    )
    path = tmp_path / "g.nfg"
    write_nfg(game, path, version=version)
    theirs = gbt.read_nfg(str(path))
    assert list(theirs.players) == list(game.players)
    for i, arr in enumerate(theirs.to_arrays()):
        got = np.vectorize(lambda x: Fraction(str(x)), otypes=[object])(
            np.asarray(arr, dtype=object)
        )
        assert (got == game.exact_payoffs[..., i]).all()
    again = read_nfg(path)
    if version == "outcome":  # the payoff version keeps no strategy names
        assert again == game
    assert (again.exact_payoffs == game.exact_payoffs).all()


def test_pygambit_written_nfg_reads_back():
    theirs = gbt.read_nfg(str(DATA / "coord3.nfg"))
    again = read_nfg(text=theirs.to_nfg())
    assert again == read_nfg(DATA / "coord3.nfg")


def test_float_game_writes_decimals():
    game = NormalFormGame.from_matrices([[0.1, 0.25], [1.5, 2]], [[1, 0], [0, 1]])
    text = write_nfg(game, version="payoff")
    assert text.startswith("NFG 1 D")
    assert np.allclose(read_nfg(text=text).payoffs, game.payoffs)


def test_symbolic_game_cannot_be_written():
    game = NormalFormGame.from_payoffs({("a",): ("r",), ("b",): (1,)}, params=["r"])
    with pytest.raises(ModelFileError, match="free parameters"):
        write_nfg(game)


@pytest.mark.parametrize(
    "text, line, what",
    [
        ('NFG 1 R "t" { "A" "B" } { 2 2 }\n1 2 3', 2, "ends"),
        (
            'NFG 1 R "t" { "A" "B" }\n{ { "a" "b" } { "c" "d" }\n}\n""\n{ { "" 1, 2 }\n}\n1 2 3 5',
            7,
            "is not defined",
        ),
        ('NFG 1 R "unterminated { "A" } { 2 }', 1, "not closed"),
        ('NFG 2 R "t" { "A" } { 2 }\n 1 2', 1, "version"),
        ('EFG 2 R "t" { "A" }\n""\np "" 1 1 "" { "x" "y" } 0\nt "" 1 "" { 1 }\n', 4, "ends"),
        (
            'EFG 2 R "t" { "A" "B" }\n""\np "" 1 1 "" { "x" "y" } 0\np "" 2 1 "" { "u" } 0\n'
            't "" 1 "" { 1, 1 }\np "" 2 1 "" { "u" } 0\nt "" 2 "" { 0, 0 }\n',
            6,
            "perfect information",
        ),
        ("GARBAGE", 1, "not a Gambit"),
        ('NFG 1 R "t" { "A" } { 2 }\n1 2 @', 2, "unexpected character"),
    ],
)
def test_malformed_gambit_files_name_the_line(text, line, what):
    reader = read_efg if text.startswith("EFG") else read_nfg
    with pytest.raises(ModelFileError, match=what) as info:
        reader("bad.gbt", text=text)
    assert info.value.file == "bad.gbt"
    assert info.value.line == line
