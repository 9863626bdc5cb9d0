"""The ``alliance`` command: every subcommand, exit statuses, --json, and the demo report."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest

import alliance
import alliance.numbers
from alliance.cli import main
from alliance.io import read_model, shipped_models

MODELS = shipped_models()
SHIPPED = Path(str(MODELS["lending"])).parent
ROOT = Path(__file__).resolve().parents[1]


def run(capsys, *argv):
    status = main(list(argv))
    out, err = capsys.readouterr()
    return status, out, err


def test_help_lists_subcommands_with_examples(capsys):
    status, out, _ = run(capsys, "--help")
    assert status == 0
    for command in ("solve", "check", "sweep", "stability", "margin", "report", "convert", "demo"):
        assert command in out
        status, sub, _ = run(capsys, command, "--help")
        assert status == 0 and "example:" in sub and f"alliance {command}" in sub


def test_solve_table_and_json(capsys):
    status, out, _ = run(capsys, "solve", "lending", "--param", "pi=1", "--param", "F=60")
    assert status == 0 and "4 equilibria" in out and "Bank: lend; SME: repay" in out
    status, out, _ = run(capsys, "solve", str(MODELS["lending_inspection"]), "--json")
    data = json.loads(out)
    (eq,) = data["equilibria"]
    assert "monitor 23/30" in eq["profile"] and "default 2/35" in eq["profile"]


def test_solve_symbolic_gives_conditions(capsys):
    status, out, _ = run(
        capsys,
        "solve",
        "lending",
        "--symbolic",
        "--param",
        "r=0.06",
        "--param",
        "L=100",
        "--param",
        "R=130",
        "--param",
        "C=70",
        "--param",
        "w=0",
    )
    assert status == 0 and "F*pi + 70*pi >= 106" in out


def test_check_exit_statuses_and_json(capsys, tmp_path):
    status, out, _ = run(capsys, "check", "lending", str(SHIPPED / "lending.expect.toml"))
    assert status == 0 and "6 of 6 claims pass" in out
    bad = tmp_path / "bad.expect.toml"
    bad.write_text(
        '[[claims]]\nid = "too-optimistic"\ntype = "unique_equilibrium"\n'
        'profile = ["lend", "repay"]\nparams = { pi = 1, F = 60 }\n'
    )
    status, out, _ = run(capsys, "check", "lending", str(bad))
    assert status == 1
    assert "[FAIL] too-optimistic" in out and "4 equilibria" in out
    status, out, _ = run(capsys, "check", "lending", str(bad), "--json")
    assert status == 1
    data = json.loads(out)
    jsonschema = pytest.importorskip("jsonschema")
    jsonschema.validate(data, json.loads((ROOT / "docs" / "expectations-schema.json").read_text()))
    assert data["claims"][0]["numbers"]["n_equilibria"] == 4


def test_bad_input_exits_2(capsys, tmp_path):
    assert run(capsys, "solve", str(tmp_path / "missing.toml"))[0] == 2
    status, _, err = run(capsys, "solve", "lending", "--param", "pi=2")
    assert status == 2 and "pi" in err and "Traceback" not in err
    status, _, err = run(capsys, "solve", "lending", "--param", "nope")
    assert status == 2 and "name=value" in err
    status, _, err = run(capsys, "frobnicate")
    assert status == 2
    status, _, err = run(capsys, "margin", "lending")
    assert status == 2 and "alliance model" in err


def test_sweep(capsys, tmp_path):
    out_csv = tmp_path / "sweep.csv"
    status, out, _ = run(
        capsys,
        "sweep",
        "lending",
        "--grid",
        "pi=0:1:21",
        "--grid",
        "F=0:150:11",
        "-o",
        str(out_csv),
        "--json",
    )
    assert status == 0
    data = json.loads(out)
    assert data["points"] == 231 and out_csv.exists()
    assert sum(row["points"] for row in data["equilibrium_sets"]) == 231


def test_stability(capsys):
    status, out, _ = run(capsys, "stability", "tripartite")
    assert status == 0 and "ESS: (1, 1, 1)" in out
    status, out, _ = run(capsys, "stability", "tripartite", "--param", "sigma=0.05", "--json")
    assert json.loads(out)["ess"] == []


def test_margin(capsys):
    status, out, _ = run(capsys, "margin", "example_alliance", "--scenarios", "1000", "--json")
    data = json.loads(out)
    assert status == 0 and data["margin"] > 0 and data["scenarios_seed"] == 2024
    status, out, _ = run(
        capsys, "margin", "example_alliance", "--scenarios", "1000", "--rho", "0.2"
    )
    assert status == 0 and "credit margin" in out and "operational" in out


def test_convert_round_trips_through_gambit(capsys, tmp_path):
    nfg = tmp_path / "lending.nfg"
    status, _, _ = run(capsys, "convert", "lending", str(nfg), "--param", "pi=1", "--param", "F=60")
    assert status == 0
    toml = tmp_path / "lending.toml"
    assert run(capsys, "convert", str(nfg), str(toml))[0] == 0
    back = read_model(toml)
    assert len(back.equilibria()) == 4
    efg = SHIPPED.parent / "gambit" / "lending_three_stage.efg"
    assert run(capsys, "convert", str(efg), str(tmp_path / "tree.toml"))[0] == 0
    assert run(capsys, "convert", str(tmp_path / "tree.toml"), str(tmp_path / "tree.efg"))[0] == 0
    assert (
        read_model(tmp_path / "tree.efg").equilibria()[0].payoffs
        == read_model(efg).equilibria()[0].payoffs
    )


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name in ("src", "href") and value and not value.startswith("#"):
                self.links.append(value)


def test_demo_quick_writes_a_complete_report(capsys, tmp_path):
    folder = tmp_path / "alliance-demo"
    status, out, _ = run(capsys, "demo", "--quick", "-o", str(folder))
    assert status == 0 and "report.html" in out
    page = (folder / "report.html").read_text()
    parser = _Links()
    parser.feed(page)
    figures = [x for x in parser.links if x.startswith("figures/")]
    tables = [x for x in parser.links if x.startswith("tables/")]
    assert len(figures) >= 10 and len(tables) >= 10
    for link in parser.links:
        assert (folder / link).is_file(), link
    for png in (x for x in figures if x.endswith(".png")):
        assert (folder / png.replace(".png", ".pdf")).is_file()
    assert (folder / "figures" / "margin_curve.pdf").read_bytes()[:4] == b"%PDF"
    summary = json.loads((folder / "summary.json").read_text())
    assert summary["tripartite_stability"]["ess"] == [[1, 1, 1]]
    assert summary["alliance"]["credit_margin"]["margin"] > 0
    assert set(summary["models"]) == set(MODELS) - {"example_alliance"}
    for name in summary["files"]:
        assert (folder / name).is_file(), name
    assert len(re.findall(r"<table", page)) >= 10
    # one number policy and snake_case headers in every CSV; the headline table's header
    # is the result's to_dict() names; counts agree with their nouns
    for csv in folder.glob("tables/*.csv"):
        header = csv.read_text().splitlines()[0].split(",")
        assert all(re.fullmatch(r"[a-z0-9_]*", h) for h in header), (csv.name, header)
        for cell in re.findall(r"[-0-9.e+]+", csv.read_text().split("\n", 1)[1]):
            try:
                value = float(cell)
            except ValueError:
                continue
            if re.fullmatch(r"-?\d+\.\d+(e[-+]\d+)?", cell):
                assert cell == alliance.numbers.format_number(value), (csv.name, cell)
    head = (folder / "tables" / "credit_margin.csv").read_text().splitlines()[0].split(",")
    assert set(head) <= set(summary["alliance"]["credit_margin"])
    for n, noun in re.findall(r"(\d+) (guarantee institutions?|funds?|members?)\b", page):
        assert noun.endswith("s") == (int(n) != 1), (n, noun)


def test_console_script_never_shows_a_traceback(tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text(
        '[game]\nplayers = ["A"]\n[[payoffs]]\nprofile = ["a"]\nvalues = ["__import__(\'os\')"]\n'
    )
    proc = subprocess.run(
        [sys.executable, "-m", "alliance.cli", "solve", str(bad)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 2
    assert (
        "Traceback" not in proc.stderr
        and "bad.toml" in proc.stderr
        and "payoffs[0].values[0]" in proc.stderr
    )
