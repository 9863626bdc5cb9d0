"""The ``alliance`` command: solve, check, sweep, stability, margin, report, convert, demo.

Exit status: 0 when everything ran and every check passed, 1 when a check failed, 2 on bad
input (a malformed model file, an unknown parameter, a bad option, an output path that cannot
be written, a request beyond the size limits of :data:`alliance.numbers.LIMITS`), 3 when an
algorithm failed on valid input (or an internal error). ``--json`` prints machine-readable
output instead of tables; errors too are JSON on stdout then (schema ``alliance-error/1``,
``docs/error-schema.json``), with the text on stderr.

Examples
--------
>>> main(["solve", "lending", "--param", "pi=1", "--json"]) == 0  # doctest: +ELLIPSIS
{...}
True
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import alliance
import alliance.numbers

__all__ = ["main", "build_parser"]

EXIT_OK, EXIT_FAILED, EXIT_INPUT, EXIT_SOLVER = 0, 1, 2, 3

_EPILOG = """\
examples:
  alliance solve lending.toml --param pi=0.9 --param F=60
  alliance check lending.toml lending.expect.toml --json
  alliance sweep lending.toml --grid pi=0:1:51 --grid F=0:150:51 -o regions.csv
  alliance stability tripartite.toml
  alliance margin example_alliance.toml --rho 0.2
  alliance report example_alliance.toml -o out/
  alliance convert sme_dilemma.nfg sme_dilemma.toml
  alliance demo                       # the full analysis of the shipped example

Model files: alliance/data/models/*.toml (shipped); `alliance solve lending` finds a shipped
model by name. Exit status: 0 ok, 1 a check failed, 2 bad input, 3 a solver failed.
"""


class UsageError(Exception):
    """A bad command line (unknown command or option, missing argument)."""

    def __init__(self, usage: str, message: str) -> None:
        super().__init__(message)
        self.usage = usage


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        raise UsageError(self.format_usage(), f"{self.prog}: error: {message}")


# ------------------------------------------------------------------ output paths
def _output_file(text: str | None, flag: str) -> Path | None:
    """Check before any work that a file can be written at ``text``."""
    from alliance.errors import OutputPathError

    if text is None:
        return None
    p = Path(text)
    if p.is_dir():
        raise OutputPathError(f"{flag} {text!r} is a folder; give a file name")
    if not p.parent.is_dir():
        raise OutputPathError(
            f"{flag} {text!r}: the folder {str(p.parent)!r} does not exist; create it first"
        )
    return p


def _output_folder(text: str, flag: str) -> Path:
    """Check before any work that a folder can be written at ``text``."""
    from alliance.errors import OutputPathError

    p = Path(text)
    if p.exists() and not p.is_dir():
        raise OutputPathError(f"{flag} {text!r} is an existing file; give a folder")
    if not p.exists() and not p.parent.is_dir():
        raise OutputPathError(
            f"{flag} {text!r}: the folder {str(p.parent)!r} does not exist; create it first"
        )
    return p


# ------------------------------------------------------------------ helpers
def _model_path(text: str) -> Path:
    from alliance.io.files import shipped_models

    p = Path(text)
    if p.exists() or p.suffix:
        return p
    shipped = shipped_models()
    if text in shipped:
        return shipped[text]
    return p


def _read(text: str) -> Any:
    from alliance.io import read_model

    return read_model(_model_path(text))


def _params(items: Sequence[str] | None) -> dict[str, Any]:
    from alliance.errors import AllianceError, ParameterError
    from alliance.io.schema import Source
    from alliance.numbers import as_exact

    out: dict[str, Any] = {}
    for item in items or []:
        if "=" not in item:
            raise ParameterError(f"--param {item!r} must have the form name=value (e.g. r=0.06)")
        name, value = (s.strip() for s in item.split("=", 1))
        if not name.isidentifier():
            raise ParameterError(f"--param {item!r}: {name!r} is not a parameter name")
        try:
            exact = Source("", "--param").rational_text(value, f"--param {name}")
        except AllianceError:
            raise ParameterError(
                f"--param {name} is {value!r}; it must be a number such as 0.06 or 3/50"
            ) from None
        out[name] = as_exact(exact, f"--param {name}")
    return out


def _game_model(model: Any, command: str) -> Any:
    from alliance.errors import ParameterError
    from alliance.io.toml_alliance import AllianceModel

    if isinstance(model, AllianceModel):
        raise ParameterError(
            f"'{command}' needs a game model; for an alliance use 'alliance margin'"
        )
    return model


def _print_json(data: Any) -> None:
    from alliance.io.expectations import to_jsonable

    print(json.dumps(to_jsonable(data), indent=2))


def _frame_text(frame: Any) -> str:
    import pandas as pd

    with pd.option_context(
        "display.max_rows",
        200,
        "display.max_columns",
        20,
        "display.width",
        120,
        "display.max_colwidth",
        80,
    ):
        # the package's number policy (alliance.numbers.format_number), as in reports
        return frame.to_string(float_format=alliance.numbers.format_number)


# ------------------------------------------------------------------ commands
def _solve(args: argparse.Namespace) -> int:
    from alliance.io.report import equilibria_frame

    model = _game_model(_read(args.model), "solve")
    params = _params(args.param)
    values = model.values(params)
    if args.symbolic and model.kind != "sequential" and model.game.is_symbolic:
        game = model.game.subs(params) if params else model.game
        eqs = game.equilibria() if game.is_symbolic else game.equilibria()
        rows = [
            {
                "equilibrium": str(e).split("(", 1)[1].rsplit(" |", 1)[0],
                "conditions": str(getattr(e, "conditions", "True")),
            }
            for e in eqs
        ]
        if args.json:
            _print_json(
                {"model": model.source, "values": params, "symbolic": True, "equilibria": rows}
            )
        else:
            print(repr(model))
            for r in rows:
                print(f"  {r['equilibrium']}\n      if {r['conditions']}")
        return EXIT_OK
    frame = equilibria_frame(model, params)
    if args.json:
        _print_json(
            {
                "model": model.source,
                "title": model.title,
                "kind": model.kind,
                "values": values,
                "equilibria": frame.reset_index().to_dict("records"),
            }
        )
        return EXIT_OK
    print(repr(model))
    if values:
        print(
            "values: "
            + ", ".join(f"{k}={alliance.numbers.format_number(v)}" for k, v in values.items())
        )
    label = (
        "subgame-perfect equilibrium"
        if model.kind == "sequential"
        else f"{len(frame)} equilibri{'um' if len(frame) == 1 else 'a'}"
    )
    print(f"\n{label}:")
    print(_frame_text(frame))
    return EXIT_OK


def _check(args: argparse.Namespace) -> int:
    from alliance.io import check, read_expectations

    model = _read(args.model)
    report = check(model, read_expectations(args.expectations))
    if args.json:
        print(report.to_json())
    else:
        print(f"{report.expectations} on {report.model}")
        for r in report.results:
            verdict = "PASS" if r.passed else "FAIL"
            print(f"  [{verdict}] {r.id}: {r.claim}")
            print(f"         {r.detail}")
        ok = len(report.results) - len(report.failed)
        print(
            f"\n{ok} of {len(report.results)} claims pass"
            + ("" if report.passed else f"; failed: {', '.join(r.id for r in report.failed)}")
        )
    return EXIT_OK if report.passed else EXIT_FAILED


def _grid(items: Sequence[str]) -> dict[str, Any]:
    from alliance.errors import ParameterError

    out: dict[str, Any] = {}
    for item in items:
        if "=" not in item:
            raise ParameterError(f"--grid {item!r} must be name=lo:hi:n or name=v1,v2,...")
        name, spec = (s.strip() for s in item.split("=", 1))
        try:
            if ":" in spec:
                lo, hi, n = spec.split(":")
                if int(n) < 2 or int(n) > 100_000:
                    raise ValueError
                out[name] = (float(lo), float(hi), int(n))
            else:
                out[name] = [float(v) for v in spec.split(",")]
        except ValueError:
            raise ParameterError(
                f"--grid {item!r}: use name=lo:hi:n (2 <= n <= 100000) or name=v1,v2,..."
            ) from None
    return out


def _sweep(args: argparse.Namespace) -> int:
    from alliance.analysis import sweep
    from alliance.errors import ParameterError

    _output_file(args.output, "--output")
    model = _game_model(_read(args.model), "sweep")
    if model.kind == "sequential" or not model.game.is_symbolic:
        raise ParameterError("sweep needs a normal-form model with parameters")
    grid = _grid(args.grid)
    for name in grid:
        model.parameter(name)
    fixed = {k: v for k, v in model.values(_params(args.param)).items() if k not in grid}
    game = model.game.subs(fixed) if fixed else model.game
    frame = sweep(game, grid=grid, progress=args.progress)
    if args.output:
        frame.to_csv(args.output, index=False)
    counts = frame["equilibria"].value_counts().rename("points").to_frame()
    counts["share"] = counts["points"] / len(frame)
    if args.json:
        _print_json(
            {
                "model": model.source,
                "grid": {k: list(v) if isinstance(v, tuple) else v for k, v in grid.items()},
                "fixed": fixed,
                "points": len(frame),
                "equilibrium_sets": counts.reset_index().to_dict("records"),
                "output": args.output,
            }
        )
        return EXIT_OK
    print(
        f"{repr(model)}\nswept {len(frame)} points over {', '.join(grid)}; others at "
        + (
            ", ".join(f"{k}={alliance.numbers.format_number(v)}" for k, v in fixed.items())
            or "-"
        )
    )
    print(_frame_text(counts))
    if args.output:
        print(f"wrote {args.output}")
    return EXIT_OK


def _stability(args: argparse.Namespace) -> int:
    from alliance.io.report import stability_frame

    model = _game_model(_read(args.model), "stability")
    params = _params(args.param)
    if args.symbolic:
        ev = (
            model.evolutionary(symbolic=True)
            if not params
            else model.evolutionary(symbolic=True).subs(params)
        )
        table = ev.stability_table(points="corners")
        frame = table[["point", "verdict", "ess_conditions"]].astype(str).set_index("point")
    else:
        table = model.evolutionary(params).stability_table()
        frame = stability_frame(table)
    if args.json:
        _print_json(
            {
                "model": model.source,
                "values": params,
                "rest_points": frame.reset_index().to_dict("records"),
                "ess": [list(map(str, p)) for p in table.ess] if not args.symbolic else None,
            }
        )
        return EXIT_OK
    print(repr(model))
    print(_frame_text(frame))
    if not args.symbolic:
        ess = table.ess
        print(
            "\nESS: " + (", ".join(str(tuple(int(v) for v in p)) for p in ess) if ess else "none")
        )
    return EXIT_OK


def _margin(args: argparse.Namespace) -> int:
    from alliance.errors import ParameterError
    from alliance.io.toml_alliance import AllianceModel

    model = _read(args.alliance)
    if not isinstance(model, AllianceModel):
        raise ParameterError("'margin' needs an alliance model file ([policy] and [[members]])")
    if args.max_el_rate is not None:
        model = model.with_policy(max_el_rate=args.max_el_rate)
    overrides = {
        "rho": args.rho,
        "seed": args.seed,
        "void_prob": args.void_prob,
        "scenarios": (
            args.scenarios
            if args.scenarios in (None, "exact")
            else _int(args.scenarios, "--scenarios")
        ),
    }
    rep = model.credit_margin(progress=args.progress, **overrides)
    if args.json:
        _print_json(
            {
                "model": model.source,
                **rep.to_dict(),
                "members": rep.members.reset_index().to_dict("records"),
            }
        )
        return EXIT_OK
    print(repr(model))
    fmt = alliance.numbers.format_number
    print(f"\nΣ standalone limits  {fmt(rep.standalone_total):>12}")
    print(
        f"alliance limit       {fmt(rep.alliance_limit):>12}  (± {fmt(rep.standard_error)}, "
        f"binding: {rep.binding})"
    )
    print(f"credit margin        {fmt(rep.margin):>12}")
    print(
        f"multiplier           {fmt(rep.multiplier):>12}"
        + ("  (undefined: no standalone limit and no alliance limit)" if rep.multiplier != rep.multiplier else "")
    )
    print("\nexpected loss by risk:")
    print(_frame_text(rep.loss_split_frame()))
    if args.members:
        print("\nmembers:")
        print(_frame_text(rep.members))
    return EXIT_OK


def _int(text: str, flag: str) -> int:
    from alliance.errors import ParameterError

    try:
        value = int(text)
    except ValueError:
        raise ParameterError(
            f"{flag} is {text!r}; it must be a positive integer or 'exact'"
        ) from None
    if value < 1:
        raise ParameterError(f"{flag} is {value}; it must be a positive integer")
    return value


def _report(args: argparse.Namespace) -> int:
    from alliance.io.report import model_report

    _output_folder(args.output, "--output")
    model = _read(args.model)
    summary = model_report(
        model, args.output, params=_params(args.param), quick=args.quick, progress=args.progress
    )
    if args.json:
        _print_json(
            {"report": summary["report"], "files": summary["files"], "seconds": summary["seconds"]}
        )
    else:
        print(f"wrote {summary['report']} ({len(summary['files'])} files, {summary['seconds']} s)")
    return EXIT_OK


def _convert(args: argparse.Namespace) -> int:
    from alliance.io import convert

    _output_file(args.target, "target")
    convert(_model_path(args.source), args.target, params=_params(args.param))
    if args.json:
        _print_json({"source": args.source, "target": args.target})
    else:
        print(f"wrote {args.target}")
    return EXIT_OK


def _demo(args: argparse.Namespace) -> int:
    from alliance.io.report import run_demo

    _output_folder(args.output, "--output")
    summary = run_demo(args.output, quick=args.quick, progress=args.progress)
    if args.json:
        _print_json(
            {"report": summary["report"], "files": summary["files"], "seconds": summary["seconds"]}
        )
        return EXIT_OK
    alliance_part = summary.get("alliance", {}).get("credit_margin", {})
    print(
        f"wrote {summary['report']} and summary.json ({len(summary['files'])} files) in {summary['seconds']} s"
    )
    for name, info in summary["models"].items():
        print(
            f"  {name}: {len(info['equilibria'])} equilibri{'um' if len(info['equilibria']) == 1 else 'a'}"
        )
    ess = summary.get("tripartite_stability", {}).get("ess")
    print(f"  tripartite ESS: {ess}")
    if alliance_part:
        print(
            f"  example alliance: margin {alliance.numbers.format_number(alliance_part['margin'])}, "
            f"multiplier {alliance.numbers.format_number(alliance_part['multiplier'])}"
        )
    return EXIT_OK


# ------------------------------------------------------------------ parser
def build_parser() -> argparse.ArgumentParser:
    """The argument parser of the ``alliance`` command.

    Returns
    -------
    argparse.ArgumentParser
        The parser; each sub-command stores its handler as ``func``.

    Examples
    --------
    >>> args = build_parser().parse_args(["solve", "lending.toml", "--param", "pi=0.9"])
    >>> args.command, args.param
    ('solve', ['pi=0.9'])
    """
    parser = _Parser(
        prog="alliance",
        description="Game theory of credit alliances: equilibria, stability tables, credit margins.",
        epilog=_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"alliance {alliance.__version__}")
    parser.add_argument(
        "--debug", action="store_true", help="show Python tracebacks of internal errors"
    )
    sub = parser.add_subparsers(
        dest="command", required=True, parser_class=_Parser, metavar="COMMAND"
    )

    def add(name: str, help_text: str, example: str, func: Any) -> argparse.ArgumentParser:
        p = sub.add_parser(
            name,
            help=help_text,
            description=help_text,
            epilog=f"example:\n  {example}",
            formatter_class=argparse.RawDescriptionHelpFormatter,
        )
        p.add_argument("--json", action="store_true", help="machine-readable output")
        p.add_argument(
            "--progress",
            action=argparse.BooleanOptionalAction,
            default=None,
            help="show progress bars (default: only in a terminal)",
        )
        p.set_defaults(func=func)
        return p

    param_help = "a parameter value name=value (repeatable; default: the file's defaults)"
    p = add(
        "solve",
        "equilibria of a game model at its defaults (or given values)",
        "alliance solve lending.toml --param pi=0.9 --param F=60",
        _solve,
    )
    p.add_argument("model", help="a game model: .toml, .nfg, .efg, or a shipped model's name")
    p.add_argument("--param", "-p", action="append", metavar="NAME=VALUE", help=param_help)
    p.add_argument(
        "--symbolic",
        action="store_true",
        help="equilibria with the conditions on the parameters not given",
    )

    p = add(
        "check",
        "check the claims of an expectations file (exit 1 if one fails)",
        "alliance check lending.toml lending.expect.toml",
        _check,
    )
    p.add_argument("model", help="a game or alliance model file")
    p.add_argument("expectations", help="an expectations file (.toml)")

    p = add(
        "sweep",
        "equilibrium sets over a grid of parameters",
        "alliance sweep lending.toml --grid pi=0:1:101 --grid F=0:150:101 -o sweep.csv",
        _sweep,
    )
    p.add_argument("model")
    p.add_argument(
        "--grid",
        "-g",
        action="append",
        required=True,
        metavar="NAME=LO:HI:N",
        help="a swept parameter: name=lo:hi:n or name=v1,v2,... (repeatable)",
    )
    p.add_argument("--param", "-p", action="append", metavar="NAME=VALUE", help=param_help)
    p.add_argument("--output", "-o", help="write every point to this CSV file")

    p = add(
        "stability",
        "stability table of the replicator dynamics (rest points, eigenvalues, ESS)",
        "alliance stability tripartite.toml --param sigma=0.02",
        _stability,
    )
    p.add_argument("model")
    p.add_argument("--param", "-p", action="append", metavar="NAME=VALUE", help=param_help)
    p.add_argument(
        "--symbolic", action="store_true", help="corners with the ESS conditions on the parameters"
    )

    p = add(
        "margin",
        "credit margin of an alliance: alliance limit vs standalone limits, loss split",
        "alliance margin example_alliance.toml --rho 0.2 --scenarios 50000",
        _margin,
    )
    p.add_argument("alliance", help="an alliance model file")
    p.add_argument("--rho", type=float, help="default correlation (default: the file's)")
    p.add_argument("--scenarios", help="number of scenarios, or 'exact' (default: the file's)")
    p.add_argument("--seed", type=int, help="seed of the scenarios (default: the file's)")
    p.add_argument(
        "--void-prob", type=float, dest="void_prob", help="probability that a guarantee is void"
    )
    p.add_argument(
        "--max-el-rate",
        type=float,
        dest="max_el_rate",
        help="the bank's expected-loss limit per unit lent",
    )
    p.add_argument("--members", action="store_true", help="also print the member table")

    p = add(
        "report",
        "write an HTML report (tables, PDF/PNG figures, summary.json) of a model",
        "alliance report example_alliance.toml -o report/",
        _report,
    )
    p.add_argument("model")
    p.add_argument("--output", "-o", required=True, help="the folder to write")
    p.add_argument("--param", "-p", action="append", metavar="NAME=VALUE", help=param_help)
    p.add_argument("--quick", action="store_true", help="fewer scenarios (a draft)")

    p = add(
        "convert",
        "convert a model between TOML, Gambit .nfg and .efg (by the suffixes)",
        "alliance convert lending.toml lending.nfg --param pi=0.9",
        _convert,
    )
    p.add_argument("source")
    p.add_argument("target")
    p.add_argument(
        "--param",
        "-p",
        action="append",
        metavar="NAME=VALUE",
        help="values for a Gambit file, which holds numbers only (default: the defaults)",
    )

    p = add(
        "demo",
        "the full analysis of the shipped example, as an HTML report in ./alliance-demo",
        "alliance demo -o alliance-demo",
        _demo,
    )
    p.add_argument(
        "--output",
        "-o",
        default="alliance-demo",
        help="the folder to write (default alliance-demo)",
    )
    p.add_argument(
        "--quick", action="store_true", help="fewer scenarios and samples (seconds, for tests)"
    )
    return parser


def error_document(
    err: BaseException, status: int, command: str | None, category: str
) -> dict[str, Any]:
    """The ``--json`` form of an error (schema ``alliance-error/1``, docs/error-schema.json)."""
    error: dict[str, Any] = {
        "type": type(err).__name__,
        "category": category,
        "message": str(err),
    }
    for attr in ("file", "key", "line"):
        value = getattr(err, attr, None)
        if value is not None:
            error[attr] = value
    return {
        "schema": "alliance-error/1",
        "command": command,
        "exit_status": status,
        "alliance_version": alliance.__version__,
        "error": error,
    }


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command; return its exit status (never raises on bad input).

    Parameters
    ----------
    argv : sequence of str, optional
        The arguments after the program name (default: ``sys.argv[1:]``).

    Returns
    -------
    int
        The exit status: 0 success, 1 a claim failed, 2 bad input, 3 a solver failure
        (see the module docstring).

    Examples
    --------
    >>> from importlib.resources import files
    >>> models = files("alliance") / "data" / "models"
    >>> main(["check", str(models / "lending.toml"), str(models / "lending.expect.toml")])
    ... # doctest: +ELLIPSIS
    /...lending.expect.toml on /...lending.toml
    ...
    6 of 6 claims pass
    0
    >>> main(["solve", "no-such-model.toml"])  # the message goes to stderr
    2
    """
    from alliance.errors import AllianceError, InputError, SizeLimitError

    argv = list(sys.argv[1:] if argv is None else argv)
    as_json = "--json" in argv
    command = next((a for a in argv if not a.startswith("-")), None)

    def fail(err: BaseException, status: int, category: str, text: str) -> int:
        print(text, file=sys.stderr)
        if as_json:
            print(json.dumps(error_document(err, status, command, category), indent=2))
        return status

    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except UsageError as err:
        if not as_json:
            print(err.usage, end="", file=sys.stderr)
        return fail(err, EXIT_INPUT, "input", str(err))
    except SystemExit as exc:  # --help and --version
        return int(exc.code) if isinstance(exc.code, int) else EXIT_INPUT
    try:
        return int(args.func(args))
    except (InputError, SizeLimitError) as err:
        # a request beyond the size limits is the caller's to change, as bad input is
        return fail(err, EXIT_INPUT, "input", f"alliance: error: {err}")
    except AllianceError as err:
        return fail(err, EXIT_SOLVER, "solver", f"alliance: solver error: {err}")
    except OSError as err:  # the file system refused a read or a write
        where = f" {err.filename!r}" if getattr(err, "filename", None) else ""
        return fail(
            err, EXIT_INPUT, "input", f"alliance: error: cannot use{where}: {err.strerror or err}"
        )
    except KeyboardInterrupt:
        print("alliance: interrupted", file=sys.stderr)
        return 130
    except Exception as err:  # never show a traceback to an economist unless asked
        if args.debug:
            raise
        return fail(
            err,
            EXIT_SOLVER,
            "internal",
            f"alliance: internal error ({type(err).__name__}: {err}); rerun with --debug for "
            "details",
        )


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
