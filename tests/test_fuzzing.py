"""Fuzzing every door of the package: the expression parser, the TOML, Gambit and CSV readers,
and the command. Every outcome must be a value or an :class:`~alliance.errors.AllianceError`
(exit status 2 or 3 from the command), never another exception, and never a hang: each
example runs under a wall-clock limit (:func:`time_limit`).

In CI (``CI`` set) the examples are derandomised by the ``ci`` profile of ``conftest.py``, so a
landing never depends on luck. For a nightly run, raise the number of examples and let them
be random::

    ALLIANCE_FUZZ_EXAMPLES=2000 python -m pytest tests/test_fuzzing.py tests/io/test_fuzz.py -q

(``ALLIANCE_FUZZ_SECONDS`` sets the limit per example, default 10 s.)
"""

from __future__ import annotations

import contextlib
import io
import math
import os
import signal
import string

import numpy as np
import pandas as pd
import pytest
import sympy as sp
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

import alliance as al
from alliance.cli import main
from alliance.errors import AllianceError, ModelFileError
from alliance.expr import parse_expression
from alliance.io import read_alliance, read_expectations, read_game, read_nfg
from alliance.io.gambit import read_efg
from alliance.io.toml_write import dumps
from alliance.numbers import MAX_MAGNITUDE, evaluate

EXAMPLES = int(os.environ.get("ALLIANCE_FUZZ_EXAMPLES", "40"))
SECONDS = float(os.environ.get("ALLIANCE_FUZZ_SECONDS", "10"))
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)


class Hang(Exception):
    """An example ran past the time limit."""


@contextlib.contextmanager
def time_limit(seconds: float = SECONDS):
    """Raise :class:`Hang` when the block runs longer than ``seconds`` (wall clock)."""

    def fire(signum, frame):
        raise Hang(f"no answer within {seconds} s")

    old = signal.signal(signal.SIGALRM, fire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)


def value_or_alliance_error(call):
    """Run ``call``; return its value, or None after an AllianceError. Anything else fails."""
    with time_limit():
        try:
            return call()
        except AllianceError:
            return None


def test_the_time_limit_catches_a_hang():
    import time

    with pytest.raises(Hang), time_limit(0.05):
        time.sleep(1)


# ------------------------------------------------------------------ expressions
TOKENS = [
    "r", "c", "L", "x", "1", "0", "2", "10", "1000", "0.5", "1e300", "1e-300", "9",
    "+", "-", "*", "/", "**", "(", ")", ",", " ", "exp(", "log(", "sqrt(", "min(", "max(",
    "abs(", "__", ".", "[", "]", "'", "lambda", "if", "e", "inf", "nan", "True", "%", "//",
]
expressions = st.one_of(
    st.lists(st.sampled_from(TOKENS), max_size=25).map("".join),
    st.text(alphabet=string.printable, max_size=40),
)


@FUZZ
@given(expressions, st.floats(-1e6, 1e6, allow_nan=False))
def test_expressions_are_values_or_parameter_errors(text, at):
    expr = value_or_alliance_error(lambda: parse_expression(text, ["r", "c", "L"]))
    if expr is None:
        return
    assert isinstance(expr, sp.Expr)
    assert {s.name for s in expr.free_symbols} <= {"r", "c", "L"}
    if not expr.free_symbols:
        value = complex(expr.evalf())
        assert math.isfinite(abs(value)) and abs(value) <= MAX_MAGNITUDE
    values = {s: at for s in expr.free_symbols}
    number = value_or_alliance_error(lambda: evaluate(expr, values))
    if number is not None:
        assert math.isfinite(number)


# ------------------------------------------------------------------ TOML
GAME = {
    "game": {"players": ["A", "B"], "strategies": [["x", "y"], ["u", "v"]]},
    "parameters": {"c": {"default": 1, "range": [0, 10]}},
    "payoffs": [
        {"profile": ["x", "u"], "values": ["c", 1]},
        {"profile": ["x", "v"], "values": [0, 0]},
        {"profile": ["y", "u"], "values": [0, 0]},
        {"profile": ["y", "v"], "values": [1, "2*c"]},
    ],
}
ALLIANCE = {
    "policy": {"max_el_rate": 0.005},
    "simulation": {"scenarios": 500, "rho": 0.1, "seed": 1},
    "members": [
        {"name": "A", "demand": 100, "pd": 0.05, "lgd": 0.5},
        {"name": "B", "demand": 80, "pd": 0.02, "lgd": 0.5, "equity": 100},
    ],
    "chains": [{"from": "B", "to": "A", "kind": "guarantee", "amount": 20}],
}
leaves = st.one_of(
    st.integers(-(10**20), 10**20),
    st.floats(allow_nan=False),
    st.sampled_from([0, 1, -1, 0.5, 1e300, -1e300, 2**63, float("inf"), float("-inf")]),
    st.booleans(),
    expressions,
    st.lists(st.integers(-3, 3), max_size=3),
    st.just({}),
)


def _paths(data, prefix=()):
    """Every leaf's path in a nested dict/list."""
    if isinstance(data, dict):
        for k, v in data.items():
            yield from _paths(v, (*prefix, k))
    elif isinstance(data, list) and data and isinstance(data[0], (dict, list)):
        for i, v in enumerate(data):
            yield from _paths(v, (*prefix, i))
    else:
        yield prefix


def _mutate(base, path, value):
    import copy

    data = copy.deepcopy(base)
    target = data
    for step in path[:-1]:
        target = target[step]
    target[path[-1]] = value
    return data


def _toml(data) -> str:
    try:
        return dumps(data)
    except (TypeError, ValueError):  # a value TOML cannot hold: not an input a file can have
        assume(False)
        raise


GAME_PATHS = list(_paths(GAME))
ALLIANCE_PATHS = list(_paths(ALLIANCE))


@FUZZ
@given(st.sampled_from(GAME_PATHS), leaves)
def test_game_files_with_a_changed_value(path, value):
    text = _toml(_mutate(GAME, path, value))
    model = value_or_alliance_error(lambda: read_game("m.toml", text=text))
    if model is not None:
        found = value_or_alliance_error(model.equilibria)
        for eq in found or []:
            assert all(math.isfinite(float(p)) for s in eq.profile for p in s)


@FUZZ
@given(st.sampled_from(ALLIANCE_PATHS), leaves)
def test_alliance_files_with_a_changed_value(path, value):
    text = _toml(_mutate(ALLIANCE, path, value))
    model = value_or_alliance_error(lambda: read_alliance("a.toml", text=text))
    if model is not None:
        report = value_or_alliance_error(lambda: model.credit_margin(progress=False))
        if report is not None:
            assert math.isfinite(report.alliance_limit)


@FUZZ
@given(st.text(alphabet=string.printable + "ü{}[]=\"'", max_size=300))
def test_random_text_in_every_toml_reader(text):
    for reader in (read_game, read_alliance, read_expectations):
        with time_limit():
            try:
                reader("fuzz.toml", text=text)
            except ModelFileError as err:
                assert err.file == "fuzz.toml"


# ------------------------------------------------------------------ Gambit
NFG = (
    'NFG 1 R "t" { "A" "B" }\n{ { "x" "y" }\n{ "u" "v" }\n}\n""\n\n'
    "{\n{ \"1\" 1, 2 }\n{ \"2\" 0, 0 }\n}\n1 2 2 1\n"
)
EFG = (
    'EFG 2 R "t" { "A" "B" }\n""\n\np "" 1 1 "" { "l" "r" } 0\nt "" 1 "" { 1, 2 }\n'
    'p "" 2 1 "" { "u" "v" } 0\nt "" 2 "" { 0, 1 }\nt "" 3 "" { 3, 0 }\n'
)
GAMBIT_TOKENS = [
    "0", "1", "2", "-1", "1e999", "1e300", "nan", "inf", "1/0", "3/4", "99999", "100000",
    "1000000", '""', '"x"', "{", "}", ",", "R", "D", "p", "t", "c",
]


def _retoken(text: str, where: int, token: str) -> str:
    parts = text.split(" ")
    parts[where % len(parts)] = token
    return " ".join(parts)


@FUZZ
@given(
    st.sampled_from([("nfg", NFG), ("efg", EFG)]),
    st.lists(st.tuples(st.integers(0, 200), st.sampled_from(GAMBIT_TOKENS)), max_size=4),
)
def test_gambit_files_with_changed_tokens(kind, changes):
    suffix, text = kind
    for where, token in changes:
        text = _retoken(text, where, token)
    reader = read_nfg if suffix == "nfg" else read_efg
    game = value_or_alliance_error(lambda: reader(f"g.{suffix}", text=text))
    if game is not None and suffix == "nfg":
        assert np.isfinite(np.asarray(game.payoffs, dtype=float)).all()
        value_or_alliance_error(game.equilibria)


# ------------------------------------------------------------------ CSV
cells = st.one_of(
    st.floats(allow_nan=True, allow_infinity=True),
    st.integers(-5, 10**6),
    st.sampled_from(["", "x", "NaN", "inf", "-1", "0.5", "1e999", "guarantee", "member"]),
)


@FUZZ
@given(
    st.lists(st.tuples(cells, cells, cells, cells), min_size=1, max_size=4),
    st.lists(st.tuples(st.sampled_from(["m0", "m1", "zz", ""]), st.sampled_from(["m0", "m1"]),
                       cells, cells), max_size=3),
)
def test_csv_tables_through_from_frames(members, chains):
    rows = [
        {"name": f"m{i}", "demand": d, "pd": p, "lgd": q, "equity": e}
        for i, (d, p, q, e) in enumerate(members)
    ]
    text = pd.DataFrame(rows).to_csv(index=False)
    chain_text = pd.DataFrame(
        [{"from": a, "to": b, "kind": k, "amount": x} for a, b, k, x in chains],
        columns=["from", "to", "kind", "amount"],
    ).to_csv(index=False)
    members_frame = pd.read_csv(io.StringIO(text))
    chains_frame = pd.read_csv(io.StringIO(chain_text))
    net = value_or_alliance_error(lambda: al.AllianceNetwork.from_frames(members_frame, chains_frame))
    if net is not None:
        policy = al.BankPolicy(max_el_rate=0.01)
        report = value_or_alliance_error(
            lambda: net.credit_margin(policy, scenarios=200, seed=1, progress=False)
        )
        if report is not None:
            assert math.isfinite(report.alliance_limit)


# ------------------------------------------------------------------ the command
COMMANDS = st.one_of(
    st.tuples(
        st.just("solve"),
        st.sampled_from(["lending", "tripartite", "nope", "/nonexistent.toml", "lending.nfg", ""]),
        st.sampled_from(["", "pi=1", "pi=2", "pi=1e999", "pi=abc", "zz=1", "pi=-0", "pi", "=1"]),
    ).map(lambda t: [t[0], t[1]] + (["--param", t[2]] if t[2] else [])),
    st.tuples(
        st.just("margin"),
        st.sampled_from(["example_alliance", "lending", "nope"]),
        st.sampled_from(["100", "0", "-5", "abc", "exact", str(10**12), "1e3"]),
        st.sampled_from(["", "--seed=-1", "--seed=abc", "--seed=7", "--rho=nan", "--rho=2",
                         "--void-prob=inf", "--max-el-rate=-1"]),
    ).map(lambda t: [t[0], t[1], "--scenarios", t[2]] + ([t[3]] if t[3] else [])),
    st.tuples(
        st.just("sweep"),
        st.sampled_from(["lending", "tripartite"]),
        st.sampled_from(["pi=0:1:3", "pi=1:0:3", "pi=0:1:1", "zz=0:1:3", "pi=a:b:c",
                         "pi=0:1:100000000", "pi=0,0.5,nan", "pi"]),
    ).map(lambda t: [t[0], t[1], "--grid", t[2]]),
    st.lists(st.sampled_from(["--json", "-x", "stability", "check", "convert", "--param",
                              "lending", "--version", "--symbolic", "report"]), max_size=4),
)


@settings(
    max_examples=max(10, EXAMPLES // 2),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(COMMANDS, st.booleans())
def test_the_command_answers_every_command_line(argv, as_json):
    argv = list(argv) + (["--json"] if as_json and "--json" not in argv else [])
    out, err = io.StringIO(), io.StringIO()
    with time_limit(), contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        status = main(argv)
    text = err.getvalue()
    assert status in (0, 1, 2, 3), (argv, status)
    assert "Traceback" not in text and "internal error" not in text, (argv, text)
    if status == 3:
        assert "solver error" in text, (argv, text)
    if as_json and status in (2, 3) and argv and argv[0] in ("solve", "margin", "sweep"):
        import json

        document = json.loads(out.getvalue())
        assert document["schema"] == "alliance-error/1" and document["exit_status"] == status
