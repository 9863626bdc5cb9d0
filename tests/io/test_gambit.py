"""Gambit interchange: the project's own example files, cross-checked with pygambit."""

from __future__ import annotations

import re
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


def _readme_rows() -> dict[str, list[str]]:
    rows = {}
    for line in (DATA / "README.md").read_text().splitlines():
        m = re.match(r"\|\s*`([^`]+)`\s*\|(.*)\|\s*$", line)
        if m:
            rows[m.group(1)] = [c.strip() for c in m.group(2).split("|")]
    return rows


def _fraction_text(values) -> str:
    return "(" + ", ".join(str(Fraction(v)) for v in values) + ")"


def test_ships_at_least_six_nfg_and_four_efg_games_listed_in_the_readme():
    assert len(NFG) >= 6 and len(EFG) >= 4
    readme = (DATA / "README.md").read_text()
    assert "no file comes from a third party" in readme
    rows = _readme_rows()
    assert sorted(rows) == sorted(NFG + EFG)
    # the table's equilibrium counts and SPE payoffs are those we compute
    for name in NFG:
        count = int(re.match(r"\d+", rows[name][-1]).group())
        assert count == len(read_nfg(DATA / name).equilibria()), name
    for name in EFG:
        spe = read_efg(DATA / name).backward_induction()
        assert f"payoffs {_fraction_text(spe.payoffs)}" in rows[name][-1], name


def test_files_use_every_feature_of_the_formats():
    texts = {name: (DATA / name).read_text() for name in NFG + EFG}
    heads = {name: text.split("\n", 1)[0] for name, text in texts.items()}
    assert any(h.startswith("NFG 1 D") for h in heads.values())
    assert any(re.search(r"\}\s*\{\s*\d", h) for h in heads.values())  # payoff version
    assert any(re.search(r"\s-?\d+/\d+", t) for t in texts.values())  # rationals
    assert any(re.search(r"\s\d+\.\d+", t) for t in texts.values())  # decimals
    assert any(re.search(r"^c ", t, re.M) for t in texts.values())  # chance moves
    assert any(h.count('"') >= 8 for n, h in heads.items() if n.endswith(".efg"))  # 3 players


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


def test_known_equilibria_of_the_strategic_forms():
    (pd,) = read_nfg(DATA / "sme_dilemma.nfg").equilibria()
    assert pd.supports == (("withhold",), ("withhold",))
    assert pd.payoffs == (1, 1)

    bos = read_nfg(DATA / "contract_choice.nfg").equilibria()
    assert len(bos) == 3 and sum(e.is_pure for e in bos) == 2
    (mixed,) = [e for e in bos if not e.is_pure]
    assert mixed.profile == ((Fraction(5, 7), Fraction(2, 7)), (Fraction(2, 7), Fraction(5, 7)))

    (audit,) = read_nfg(DATA / "audit.nfg").equilibria()  # "D" numbers, read exactly
    assert audit.profile == ((Fraction(1, 3), Fraction(2, 3)), (Fraction(5, 6), Fraction(1, 6)))

    coordination = read_nfg(DATA / "platform_coordination.nfg").equilibria()
    assert len(coordination) == 7
    assert sorted(tuple(len(s) for s in e.supports) for e in coordination) == [(1, 1)] * 3 + [
        (2, 2)
    ] * 3 + [(3, 3)]

    terms = read_nfg(DATA / "loan_terms.nfg").equilibria()
    assert len(terms) == 3 and not any(e.is_pure for e in terms)
    assert (
        (Fraction(4, 17), Fraction(3, 17), Fraction(0), Fraction(10, 17)),
        (Fraction(1, 5), Fraction(2, 5), Fraction(2, 5)),
    ) in [e.profile for e in terms]


def test_three_player_fund_has_nine_equilibria_two_totally_mixed():
    eqs = read_nfg(DATA / "guarantee_fund_3p.nfg").equilibria()
    assert len(eqs) == 9
    assert sum(e.is_pure for e in eqs) == 4
    totally_mixed = [e for e in eqs if all(len(s) == 2 for s in e.supports)]
    assert sorted(e.profile[0][0] for e in totally_mixed) == [Fraction(1, 3), Fraction(2, 3)]
    for e in totally_mixed:
        assert len({p for p in e.profile}) == 1  # symmetric
    partly = [e for e in eqs if sum(len(s) == 2 for s in e.supports) == 2]
    assert len(partly) == 3
    assert all(Fraction(4, 9) in [p[0] for p in e.profile] for e in partly)


def test_degenerate_game_has_two_segments_of_equilibria():
    game = read_nfg(DATA / "rationing_degenerate.nfg")
    eqs = game.equilibria()
    assert len(eqs) == 5
    segments: dict[int, list] = {}
    for e in eqs:
        if e.component is not None:
            segments.setdefault(e.component, []).append(e)
    assert sorted(len(v) for v in segments.values()) == [2, 2]
    for a, b in segments.values():
        # every point between the two extreme points is an equilibrium: a continuum
        for t in (Fraction(1, 4), Fraction(1, 2), Fraction(3, 4)):
            point = [
                [t * x + (1 - t) * y for x, y in zip(pa, pb)]
                for pa, pb in zip(a.profile, b.profile)
            ]
            assert game.is_equilibrium(point)
    # and the game is degenerate: a pure strategy with two best responses
    assert {e.profile for e in eqs} >= {
        ((0, 1, 0), (0, 1, 0)),
        ((0, 1, 0), (Fraction(1, 3), Fraction(2, 3), 0)),
    }


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
    spe = read_efg(DATA / "centipede4.efg").backward_induction()
    assert spe.path == (("Player 1", "take"),)
    assert spe.payoffs == (2, Fraction(1, 2))


def test_lending_trees_spe():
    trust = read_efg(DATA / "lending_trust.efg").backward_induction()
    assert trust.path == (("Bank", "refuse"),) and trust.payoffs == (0, 0)
    # the chance move (success with probability 2/3) averages the SME's repayment branch
    spe = read_efg(DATA / "lending_three_stage.efg").backward_induction()
    assert spe.path[:2] == (("Bank", "lend"), ("SME", "invest"))
    assert spe.payoffs == (
        Fraction(2, 3) * Fraction(3, 4) + Fraction(1, 3) * -1,
        Fraction(2, 3) * 3,
    )
    three = read_efg(DATA / "guaranteed_loan.efg")
    assert three.players == ("Bank", "SME", "Guarantor")
    spe3 = three.backward_induction()
    assert spe3.path[0] == ("Guarantor", "guarantee")
    assert spe3.payoffs == (Fraction(7, 8), Fraction(3, 2), Fraction(3, 8))


def test_entry_cost_outcome_adds_up_and_the_threat_is_not_credible():
    game = read_efg(DATA / "entry_deterrence.efg")
    spe = game.backward_induction()
    assert spe.path == (("Entrant", "enter"), ("Incumbent", "accommodate"))
    assert spe.payoffs == (2, 2)  # 3 for the shared market less the entry cost 1
    theirs = gbt.read_efg(str(DATA / "entry_deterrence.efg"))
    agent = gbt.nash.enumpure_agent_solve(theirs)
    payoffs = {
        tuple(Fraction(str(eq.payoffs[p])) for p in theirs.players) for eq in agent.equilibria
    }
    assert payoffs == {(2, 2), (0, 5)}  # (stay out, fight) is Nash but not subgame perfect


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


@pytest.mark.parametrize("name", NFG)
def test_pygambit_written_nfg_reads_back(name):
    theirs = gbt.read_nfg(str(DATA / name))
    again = read_nfg(text=theirs.to_nfg())
    assert again == read_nfg(DATA / name)


@pytest.mark.parametrize("name", NFG)
def test_our_rewrite_of_each_file_is_read_by_pygambit(tmp_path, name):
    ours = read_nfg(DATA / name)
    path = tmp_path / name
    write_nfg(ours, path)
    theirs = gbt.read_nfg(str(path))
    assert list(theirs.players) == list(ours.players)
    for i, arr in enumerate(theirs.to_arrays()):
        got = np.vectorize(lambda x: Fraction(str(x)), otypes=[object])(
            np.asarray(arr, dtype=object)
        )
        assert (got == ours.exact_payoffs[..., i]).all()
    assert read_nfg(path) == ours


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
