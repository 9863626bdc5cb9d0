"""Country presets: every number has a source or an assumption flag; the presets solve."""

import math
import tomllib
from importlib import resources
from pathlib import Path

import pytest

from alliance.errors import ModelFileError, ParameterError
from alliance.models import presets
from alliance.models.guarantee import GUARANTEE_INFO

DOCS = Path(__file__).resolve().parents[2] / "docs" / "guarantee_schemes.md"


def _raw(name):
    path = resources.files("alliance") / "data" / "presets" / f"{name}.toml"
    return tomllib.loads(path.read_text(encoding="utf-8"))


@pytest.mark.parametrize("name", presets.PRESETS)
def test_every_number_has_a_source_or_an_assumption_flag(name):
    table = presets.describe(name)
    preset = presets.load(name)
    assert set(table.index.get_level_values("parameter")) == set(
        GUARANTEE_INFO.for_mode(preset.mode).names
    )
    for (_, pname), row in table.iterrows():
        assert row["kind"] in presets.KINDS, pname
        assert math.isfinite(row["value"])
        if row["kind"] == "assumption":
            assert row["source"].startswith("assumption: ") and len(row["source"]) > 20, pname
        else:
            assert row["quote"] and row["address"].startswith("http"), pname
    # the file's own entries: a sourced figure appears in its quoted sentence and equals the value
    for pname, entry in _raw(name)["parameters"].items():
        if entry["kind"] == "sourced":
            assert entry["quoted"] in entry["quote"], pname
            digits = entry["quoted"].split()[0].rstrip("%").replace(",", ".")
            if digits.replace(".", "").isdigit():
                assert math.isclose(float(digits) / 100, entry["value"]), pname
        elif entry["kind"] == "derived":
            assert entry["quoted"] in entry["quote"] and entry["derivation"], pname


def test_every_source_address_is_copied_into_the_docs():
    text = DOCS.read_text(encoding="utf-8")
    for name in presets.PRESETS:
        for pname, entry in _raw(name)["parameters"].items():
            if entry["kind"] != "assumption":
                assert entry["address"] in text, (name, pname)
                assert entry["quote"] in text, (name, pname)


@pytest.mark.parametrize("name", presets.PRESETS)
def test_presets_solve_with_verified_equilibria_and_participation(name):
    outcomes = presets.solve(name)
    assert outcomes
    for o in outcomes:
        assert o.regret <= 1e-9
        if o.loan_made:
            assert all(o.payoffs[p] >= o.outside[p] for p in ("Guarantor", "Bank", "SME"))


def test_comparison_table_is_consistent_with_the_outcomes():
    table = presets.compare(mu=0.25)
    for name in presets.PRESETS:
        (o,) = presets.solve(name)
        row = table.loc[name]
        assert row["loan made"] == o.loan_made
        assert math.isclose(row["cost to the state"], 1.25 * float(o.flows["state_net_outlay"]))
        assert row["self-sustaining"] == (o.loan_made and o.flows["state_net_outlay"] <= 0)


def test_bad_preset_names_and_files(tmp_path, monkeypatch):
    with pytest.raises(ParameterError, match="known presets"):
        presets.load("france")
    bad = tmp_path / "bad.toml"
    bad.write_text(
        '[preset]\nname="x"\ntitle="x"\nmode="policy"\npricing="mode"\n'
        '[parameters.s]\nvalue=0.3\nkind="sourced"\ndocument="d"\nquote="70 %"\n'
        'address="http://a"\nyear="y"\ngrade="P"\nquoted="75 %"\n'
    )
    monkeypatch.setattr(presets, "PRESETS", presets.PRESETS + ("bad",))
    monkeypatch.setattr(presets, "_path", lambda name: bad)
    presets.load.cache_clear()
    try:
        with pytest.raises(ModelFileError, match="not in the quoted sentence"):
            presets.load("bad")
    finally:
        presets.load.cache_clear()
