"""Fuzzing the readers: bad input gives ModelFileError with file and key (or line), exit status 2,
never a traceback, and nothing in a file is ever executed."""

from __future__ import annotations

import os
import string

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from alliance.cli import main
from alliance.errors import ModelFileError
from alliance.io import read_alliance, read_expectations, read_game, read_nfg
from alliance.io.gambit import read_efg
from alliance.io.toml_write import dumps

FUZZ = settings(
    max_examples=int(os.environ.get("ALLIANCE_FUZZ_EXAMPLES", "60")), deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)

VALID_GAME = {
    "game": {"players": ["A", "B"], "strategies": [["x", "y"], ["u", "v"]]},
    "parameters": {"c": {"default": 1, "range": [0, 10]}},
    "payoffs": [
        {"profile": ["x", "u"], "values": ["c", 1]},
        {"profile": ["x", "v"], "values": [0, 0]},
        {"profile": ["y", "u"], "values": [0, 0]},
        {"profile": ["y", "v"], "values": [1, "2*c"]},
    ],
}
NFG = 'NFG 1 R "t" { "A" "B" }\n{ { "x" "y" }\n{ "u" "v" }\n}\n""\n\n{\n{ "1" 1, 2 }\n{ "2" 0, 0 }\n}\n1 2 2 1\n'
EFG = 'EFG 2 R "t" { "A" "B" }\n""\n\np "" 1 1 "" { "l" "r" } 0\nt "" 1 "" { 1, 2 }\np "" 2 1 "" { "u" "v" } 0\nt "" 2 "" { 0, 1 }\nt "" 3 "" { 3, 0 }\n'

HOSTILE = [
    "__import__('os').system('touch PWNED')",
    "exec('import os')",
    "c.__class__.__mro__",
    "(lambda: 1)()",
    "[x for x in ()]",
    "9**9**9**9",
    "open('/etc/passwd')",
    "c if c else c",
    "'c'",
    "c; import os",
    "getattr(c, 'x')",
    "c" * 5000,
    "-(" * 200 + "c" + ")" * 200,
    "c[0]",
    "f'{c}'",
    "Symbol('x')",
]

scalars = st.one_of(
    st.integers(-(10**6), 10**6),
    st.floats(allow_nan=False),
    st.booleans(),
    st.text(max_size=12),
    st.lists(st.integers(), max_size=3),
)


def _assert_file_error(err: ModelFileError, name: str) -> None:
    assert err.file == name
    assert err.key is not None or err.line is not None
    assert str(err).startswith(name)


@FUZZ
@given(st.text(alphabet=string.printable + "ü{}[]=\"'", max_size=200))
def test_random_text_never_crashes(text):
    for reader in (read_game, read_alliance, read_expectations):
        try:
            reader("fuzz.toml", text=text)
        except ModelFileError as err:
            assert err.file == "fuzz.toml"


@FUZZ
@given(st.sampled_from(["game", "parameters", "payoffs"]), scalars)
def test_wrong_types_name_the_key(section, value):
    data = {k: v for k, v in VALID_GAME.items()}
    data[section] = value
    try:
        text = dumps(data)
    except (TypeError, ValueError):  # a value TOML cannot hold (NaN): not a file's content
        assume(False)
    # A section of the wrong type is always refused, by a ModelFileError naming that section:
    # any other exception escapes and fails the test.
    with pytest.raises(ModelFileError) as info:
        read_game("m.toml", text=text)
    _assert_file_error(info.value, "m.toml")
    assert info.value.key.split(".")[0].split("[")[0] == section, (section, str(info.value))


@FUZZ
@given(st.from_regex(r"[a-z_]{1,12}", fullmatch=True), st.sampled_from(["", "game", "payoffs"]))
def test_unknown_keys_are_refused_with_a_suggestion(key, where):
    data = {
        "game": dict(VALID_GAME["game"]),
        "parameters": VALID_GAME["parameters"],
        "payoffs": [dict(p) for p in VALID_GAME["payoffs"]],
    }
    target = data if where == "" else (data["game"] if where == "game" else data["payoffs"][0])
    known = {
        "": ("game", "parameters", "payoffs", "nodes"),
        "game": (
            "title",
            "kind",
            "players",
            "strategies",
            "description",
            "references",
            "variables",
        ),
        "payoffs": ("profile", "values"),
    }[where]
    if key in known:
        return
    target[key] = 1
    try:
        read_game("m.toml", text=dumps(data))
        raise AssertionError("an unknown key was accepted")
    except ModelFileError as err:
        _assert_file_error(err, "m.toml")
        assert key in str(err)


@FUZZ
@given(st.sampled_from(HOSTILE), st.integers(0, 3))
def test_hostile_payoffs_are_refused_and_never_run(tmp_path_factory, text, where):
    folder = tmp_path_factory.mktemp("hostile")
    cwd = os.getcwd()
    os.chdir(folder)
    try:
        data = {k: v for k, v in VALID_GAME.items()}
        data["payoffs"] = [dict(p) for p in VALID_GAME["payoffs"]]
        data["payoffs"][where]["values"] = [text, 0]
        try:
            read_game("h.toml", text=dumps(data))
            raise AssertionError(f"hostile payoff {text!r} was accepted")
        except ModelFileError as err:
            _assert_file_error(err, "h.toml")
            assert err.key == f"payoffs[{where}].values[0]"
        assert not os.path.exists("PWNED")
    finally:
        os.chdir(cwd)


@FUZZ
@given(st.integers(0, len(NFG) - 2))
def test_truncated_nfg_files(cut):
    text = NFG[:cut]
    try:
        read_nfg("t.nfg", text=text)
        raise AssertionError("a truncated file was accepted")
    except ModelFileError as err:
        assert (
            err.file == "t.nfg" and err.line is not None and 1 <= err.line <= text.count("\n") + 1
        )


@FUZZ
@given(st.integers(0, len(EFG) - 2))
def test_truncated_efg_files(cut):
    try:
        read_efg("t.efg", text=EFG[:cut])
        raise AssertionError("a truncated file was accepted")
    except ModelFileError as err:
        assert err.file == "t.efg" and err.line is not None


@FUZZ
@given(st.binary(max_size=120))
def test_binary_garbage_in_gambit_readers(data):
    text = data.decode("latin-1")
    for reader in (read_nfg, read_efg):
        try:
            reader("g.nfg", text=text)
        except ModelFileError as err:
            assert err.file == "g.nfg"


@settings(max_examples=15, deadline=None)
@given(
    st.one_of(
        st.sampled_from(HOSTILE[:6]).map(lambda t: ("payoff", t)),
        st.sampled_from(
            ["players = 3", "[game", "\x00", "[[payoffs]]\nprofile = 1", "[game]\nplayers = []"]
        ).map(lambda t: ("raw", t)),
    )
)
def test_cli_exit_status_2_without_traceback(tmp_path_factory, case):
    import contextlib
    import io

    kind, text = case
    path = tmp_path_factory.mktemp("cli") / "bad.toml"
    if kind == "payoff":
        data = {k: v for k, v in VALID_GAME.items()}
        data["payoffs"] = [dict(p) for p in VALID_GAME["payoffs"]]
        data["payoffs"][0]["values"] = [text, 0]
        text = dumps(data)
    path.write_text(text)
    err = io.StringIO()
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
        status = main(["solve", str(path)])
    assert status == 2
    assert "Traceback" not in err.getvalue() and "bad.toml" in err.getvalue()
