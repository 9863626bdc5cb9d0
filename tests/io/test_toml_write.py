"""TOML is written with tomli-w and read back to the same data and the same models."""

from __future__ import annotations

import math
import tomllib

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from alliance.io import read_alliance, read_game, shipped_model, shipped_models
from alliance.io.toml_alliance import alliance_to_dict, example_alliance_model, write_alliance
from alliance.io.toml_games import game_to_dict, write_game
from alliance.io.toml_write import dumps

keys = st.text(min_size=1, max_size=8)
scalars = (
    st.booleans()
    | st.integers(-(2**63), 2**63 - 1)
    | st.floats(allow_nan=False)
    | st.text(max_size=12)
)
tables = st.recursive(
    st.dictionaries(keys, scalars | st.lists(scalars, max_size=3), max_size=4),
    lambda inner: st.dictionaries(keys, inner | st.lists(inner, min_size=1, max_size=2),
                                  max_size=3),
    max_leaves=12,
)


@given(tables)
def test_dumps_round_trips_through_tomllib(data):
    assert tomllib.loads(dumps(data)) == data


def test_dumps_leaves_out_none_and_converts_numpy():
    text = dumps({"a": np.float64(0.25), "b": None, "c": [np.int64(3)], "d": math.inf})
    assert tomllib.loads(text) == {"a": 0.25, "c": [3], "d": math.inf}


def test_dumps_refuses_nan_naming_the_key():
    with pytest.raises(ValueError, match=r"members\[0\]\.pd is NaN"):
        dumps({"members": [{"pd": float("nan")}]})


# the guarantee models take seconds to parse; tests/io/test_toml_models.py round-trips them
@pytest.mark.parametrize("name", ["lending", "lending_inspection", "credit_alliance", "tripartite"])
def test_game_models_round_trip(name):
    model = read_game(shipped_model(name))
    text = write_game(model)
    again = read_game(text=text)
    # (tests/io/test_toml_models.py checks the games and their equilibria too)
    assert game_to_dict(again) == game_to_dict(model)


def test_alliance_model_round_trips_to_the_same_dict():
    model = example_alliance_model()
    again = read_alliance(text=write_alliance(model))
    assert alliance_to_dict(again) == alliance_to_dict(model)


def test_shipped_files_are_written_by_tomli_w():
    # the shipped text is exactly what tomli-w makes of the model's data
    for name, path in shipped_models().items():
        text = path.read_text(encoding="utf-8")
        assert dumps(tomllib.loads(text)) == text, name


def test_every_policy_field_round_trips():
    from dataclasses import replace

    from alliance.network import BankPolicy

    model = example_alliance_model()
    policy = BankPolicy(
        max_el_rate=None,
        es_alpha=0.99,
        max_es_rate=0.05,
        receivable_haircut=0.2,
        receivables_verifiable_standalone=True,
    )
    again = read_alliance(text=write_alliance(replace(model, policy=policy)))
    assert again.policy == policy


def test_alliance_repr_counts_in_the_singular():
    text = repr(example_alliance_model())
    assert "1 guarantor," in text and "1 fund," in text and "30 members" in text
