"""The shipped example alliance under version 2 (docs/credit_v2.md): its policy, viability,
participation, and the four mechanisms of its margin."""

import tomllib
from importlib import resources

import numpy as np
import pytest

from alliance.io import example_alliance_model
from alliance.io.shipped import EXAMPLE_POLICY, EXAMPLE_SIMULATION
from alliance.network import BankPolicy, load_example_alliance
from alliance.network.example import example_policy, example_simulation

# small scenario counts keep the test fast; the shipped runs use 20,000
KW = dict(scenarios=1_000, rho=0.12, seed=2024, void_prob=0.05, progress=False)


def test_policy_is_version_2_and_every_number_names_its_source():
    policy = example_policy()
    assert policy.has_es_limit and not policy.has_var_limit  # no value-at-risk limit any more
    assert policy.es_alpha in (0.99, 0.999) and policy.max_el_rate is not None
    # the shipped model file and the package constants say the same
    assert example_alliance_model().policy == policy == BankPolicy(**EXAMPLE_POLICY)
    sim = example_simulation()
    assert sim == EXAMPLE_SIMULATION
    # every parameter line of the data file is preceded by a comment naming its kind of source
    text = (resources.files("alliance") / "data" / "example_alliance" / "policy.toml").read_text()
    data = tomllib.loads(text)
    lines = text.splitlines()
    for table in ("policy", "simulation"):
        for key in data[table]:
            at = next(i for i, line in enumerate(lines) if line.startswith(f"{key} ="))
            comment = []
            for line in reversed(lines[:at]):  # the comment block above (sibling keys share it)
                if line.startswith("#"):
                    comment.append(line.lower())
                elif "=" in line and not comment:
                    continue
                else:
                    break
            text_above = " ".join(comment)
            assert any(w in text_above for w in ("source", "assumption", "derived")), key


@pytest.fixture(scope="module")
def report():
    return load_example_alliance().credit_margin(example_policy(), **KW)


def test_example_is_viable_and_everyone_participates(report):
    assert report.viable, report.failing_constraint
    loans = report.allocation
    l0 = report.members["standalone_limit"]
    assert (loans >= l0 - 1e-6).all()  # L_i >= L_i^0 for every member
    assert (loans <= report.members["demand"] + 1e-6).all()
    assert report.margin > 0 and report.multiplier > 1
    # the tail limit binds: the alliance does not get its whole demand
    assert report.alliance_limit < report.members["demand"].sum() - 1.0
    es = report.details["expected_shortfall"]
    assert es is not None and es <= example_policy().max_es_rate * report.alliance_limit * (1 + 1e-6)


def test_each_member_gets_at_least_its_standalone_limit_computed_alone(report):
    # the standalone limits the report uses are each member's own closed-form limit
    alone = load_example_alliance().standalone_limits(example_policy())
    np.testing.assert_array_less(alone.reindex(report.allocation.index) - 1e-6, report.allocation)
