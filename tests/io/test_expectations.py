"""Expectations files: claims pass and fail with the numbers; the JSON output follows its schema."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from alliance.errors import ModelFileError
from alliance.io import check, read_expectations, read_model, shipped_models

jsonschema = pytest.importorskip("jsonschema")

ROOT = Path(__file__).resolve().parents[2]
SCHEMA = json.loads((ROOT / "docs" / "expectations-schema.json").read_text())
MODELS = shipped_models()
SHIPPED = Path(str(MODELS["lending"])).parent


@pytest.mark.parametrize("name", ["lending", "tripartite", "example_alliance"])
def test_shipped_expectations_pass(name):
    report = check(read_model(MODELS[name]), read_expectations(SHIPPED / f"{name}.expect.toml"))
    assert report.passed, report
    jsonschema.validate(report.to_dict(), SCHEMA)


def test_failing_claims_report_the_numbers():
    claims = read_expectations(
        text="""
[[claims]]
id = "wrong-unique"
type = "unique_equilibrium"
profile = ["lend", "repay"]
params = { pi = 1, F = 60 }

[[claims]]
id = "wrong-threshold"
type = "equilibrium_iff"
profile = ["lend", "repay"]
condition = "pi >= 0.5"
ranges = { pi = [0, 1] }

[[claims]]
id = "wrong-regret"
type = "equilibrium"
profile = ["lend", "default"]
"""
    )
    report = check(read_model(MODELS["lending"]), claims)
    assert not report.passed and len(report.failed) == 3
    unique, threshold, regret = report.results
    assert unique.numbers["n_equilibria"] == 4 and "4 equilibria" in unique.detail
    # (1+r)L <= pi (C+F) is 106 <= 120 pi: pi >= 53/60, not 1/2; the counterexample shows it
    cex = threshold.numbers["counterexample"]["pi"]
    assert 0.5 <= cex < 53 / 60
    assert "disagree" in threshold.detail and "pi=" in threshold.detail
    # refuse (lend elsewhere, 0.03*100 = 3) beats 0.5*70 - 100 = -65
    assert regret.numbers["regret"]["Bank"] == pytest.approx(68.0)
    data = report.to_dict()
    jsonschema.validate(data, SCHEMA)
    assert data["n_failed"] == 3 and data["passed"] is False


def test_iff_claim_holds_at_the_true_threshold():
    claims = read_expectations(
        text="""
[[claims]]
type = "equilibrium_iff"
profile = ["lend", "repay"]
condition = "pi >= 53/60"
ranges = { pi = [0, 1] }
samples = 5000
"""
    )
    (result,) = check(read_model(MODELS["lending"]), claims).results
    assert result.passed and result.numbers["mismatches"] == 0


def test_ess_claims_with_conditions():
    model = read_model(MODELS["tripartite"])
    claims = read_expectations(
        text="""
[[claims]]
type = "ess"
corner = ["support", "lend", "guarantee"]
condition = "sigma <= 0.05"
ranges = { sigma = [0, 0.1] }
"""
    )
    (result,) = check(model, claims).results
    assert not result.passed
    assert 0.031 <= result.numbers["counterexample"]["sigma"] <= 0.05


def test_margin_claim_failure_shows_value():
    claims = read_expectations(
        text="""
[[claims]]
type = "margin"
params = { scenarios = 500, rho = 0.2 }
quantity = "multiplier"
at_least = 10
"""
    )
    (result,) = check(read_model(MODELS["example_alliance"]), claims).results
    assert not result.passed
    assert result.numbers["value"] == pytest.approx(
        result.numbers["alliance_limit"] / result.numbers["standalone_total"]
    )
    assert "multiplier =" in result.detail


@pytest.mark.parametrize(
    "text, key, fragment",
    [
        (
            '[[claims]]\ntype = "uniqe_equilibrium"\nprofile = ["a"]',
            "claims[0].type",
            "did you mean 'unique_equilibrium'",
        ),
        (
            '[[claims]]\ntype = "equilibrium"\nprofil = ["a"]',
            "claims[0].profil",
            "did you mean 'profile'",
        ),
        ('[[claims]]\ntype = "equilibrium"', "claims[0]", "needs 'profile'"),
        ('[[claims]]\ntype = "margin"\nquantity = "margin"', "claims[0]", "at_least"),
        ('[[claims]]\ntype = "equilibrium_count"\ncount = -1', "claims[0].count", "at least 0"),
    ],
)
def test_bad_expectations_files(text, key, fragment):
    with pytest.raises(ModelFileError) as info:
        read_expectations("e.toml", text=text)
    assert info.value.key == key and fragment in str(info.value) and info.value.file == "e.toml"


def test_claim_that_does_not_fit_the_model():
    claims = read_expectations(
        "e.toml", text='[[claims]]\ntype = "equilibrium"\nprofile = ["lend", "repy"]'
    )
    with pytest.raises(ModelFileError, match="did you mean 'repay'") as info:
        check(read_model(MODELS["lending"]), claims)
    assert info.value.key == "claims[0]" and info.value.line == 1
