"""Tests of the parameter tables: every parameter documented, ranges enforced."""

import math

import pytest

from alliance.errors import ParameterError
from alliance.models import (
    ModelInfo,
    credit_alliance_game,
    describe,
    guarantee_game,
    lending_game,
    risk_sharing_game,
    tripartite_guarantee,
    tripartite_guarantee_game,
)

FACTORIES = [
    lending_game,
    guarantee_game,
    credit_alliance_game,
    tripartite_guarantee,
    tripartite_guarantee_game,
    risk_sharing_game,
]


def _call(factory, name, value):
    if factory is guarantee_game:
        info = factory.model_info[name]
        mode = "business" if info.modes is None else info.modes[0]
        return factory(mode, **{name: value})
    if factory is lending_game and name == "m":
        return factory(inspection=True, m=value)
    return factory(**{name: value})


CASES = [(f, p) for f in FACTORIES for p in f.model_info.parameters]


@pytest.mark.parametrize("factory", FACTORIES, ids=lambda f: f.__name__)
def test_every_parameter_has_range_default_and_source(factory):
    frame = describe(factory)
    info = factory.model_info
    assert list(frame.index) == list(info.names)
    for column in ("symbol", "meaning", "unit", "range", "default", "source"):
        assert frame[column].notna().all() and (frame[column].astype(str) != "").all(), column
    for p in info.parameters:
        assert p.contains(p.default)


@pytest.mark.parametrize("factory", FACTORIES, ids=lambda f: f.__name__)
def test_docstrings_have_examples_and_references(factory):
    doc = factory.__doc__
    assert "Examples" in doc and ">>>" in doc
    assert "References" in doc


@pytest.mark.parametrize(
    ("factory", "param"), CASES, ids=lambda x: getattr(x, "__name__", getattr(x, "name", ""))
)
def test_out_of_range_value_names_the_parameter(factory, param):
    bad = param.hi + 1 if math.isfinite(param.hi) else param.lo - 1
    if param.lo_open and not math.isfinite(param.hi):
        bad = param.lo  # the open lower bound itself is refused
    with pytest.raises(ParameterError) as err:
        _call(factory, param.name, bad)
    message = str(err.value)
    assert f" {param.name} is " in message and param.range_text in message


@pytest.mark.parametrize(
    ("factory", "param"), CASES, ids=lambda x: getattr(x, "__name__", getattr(x, "name", ""))
)
def test_default_value_is_accepted(factory, param):
    _call(factory, param.name, param.default)


def test_latex_table_lists_every_symbol():
    tex = describe(guarantee_game, latex=True)
    assert tex.startswith(r"\begin{tabular}")
    for p in guarantee_game.model_info.parameters:
        assert f"${p.symbol}$" in tex
    assert r"\infty" in tex and "∞" not in tex


def test_describe_by_name_and_errors():
    assert isinstance(describe("lending_game"), type(describe(lending_game)))
    with pytest.raises(ParameterError, match="unknown_model"):
        describe("unknown_model")
    with pytest.raises(ParameterError, match="object"):
        describe(object())
    assert isinstance(lending_game.model_info, ModelInfo)
    assert repr(lending_game.model_info).startswith("ModelInfo(lending_game")
    assert "<table" in lending_game.model_info._repr_html_()


def test_describe_of_a_game_shows_its_values():
    frame = describe(lending_game(symbolic=["pi"], r=0.08))
    assert frame.loc["pi", "value"] == "pi"
    assert float(frame.loc["r", "value"]) == pytest.approx(0.08)
