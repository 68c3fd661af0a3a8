"""Command line: ``python -m engine validate|simulate ...``.

Output is JSON on stdout (so scripts and the conformance checker can read it); a bad input
prints its problem list and exits 1.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from .problems import InvalidDocument, Problem
from .simulation import simulate
from .spec import load_dag, load_scenario
from .validate import validate_scenario

EXIT_INVALID = 1


class InputError(Exception):
    def __init__(self, problem: Problem):
        super().__init__(problem.message)
        self.problem = problem


def read_json(path: str, what: str) -> Any:
    try:
        text = sys.stdin.read() if path == "-" else Path(path).read_text(encoding="utf-8")
    except OSError as exc:
        raise InputError(
            Problem("unreadable_file", f"cannot read {what} {path}: {exc.strerror}", path=path)
        ) from None
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(
            Problem(
                "bad_json",
                f"{what} {path} is not valid JSON: {exc.msg} "
                f"at line {exc.lineno}, column {exc.colno}",
                path=path,
                data={"line": exc.lineno, "column": exc.colno},
            )
        ) from None


def _print(obj: Any, pretty: bool) -> None:
    json.dump(obj, sys.stdout, indent=2 if pretty else None, default=str)
    sys.stdout.write("\n")


def _fail(problems: list[Problem], pretty: bool) -> int:
    _print(
        {
            "errors": [p.to_dict() for p in problems if p.is_error],
            "warnings": [p.to_dict() for p in problems if not p.is_error],
        },
        pretty,
    )
    for p in problems:
        print(p, file=sys.stderr)
    return EXIT_INVALID


def cmd_validate(args: argparse.Namespace) -> int:
    doc = read_json(args.dag, "DAG")
    scenario = read_json(args.scenario, "scenario") if args.scenario else {}
    problems = validate_scenario(doc, scenario)
    errors = [p for p in problems if p.is_error]
    _print(
        {
            "valid": not errors,
            "errors": [p.to_dict() for p in errors],
            "warnings": [p.to_dict() for p in problems if not p.is_error],
        },
        args.pretty,
    )
    for p in problems:
        print(p, file=sys.stderr)
    return EXIT_INVALID if errors else 0


def cmd_simulate(args: argparse.Namespace) -> int:
    doc = read_json(args.dag, "DAG")
    scenario_doc = read_json(args.scenario, "scenario") if args.scenario else {}
    try:
        dag = load_dag(doc)
        scenario = load_scenario(dag, scenario_doc)
    except InvalidDocument as exc:
        return _fail(exc.problems, args.pretty)
    trace = simulate(dag, scenario)
    if args.explain:
        if args.explain not in dag.tasks_by_id:
            return _fail(
                [
                    Problem(
                        "unknown_task",
                        f"--explain names unknown task `{args.explain}`",
                        task_id=args.explain,
                    )
                ],
                args.pretty,
            )
        _print({"task_id": args.explain, "why": trace.explain(args.explain)}, args.pretty)
        return 0
    _print(trace.to_dict(summary=args.summary), args.pretty)
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    from .exports import ExportError, export

    doc = read_json(args.dag, "DAG")
    states = None
    if args.states:
        trace = read_json(args.states, "run trace")
        # A whole trace (`simulate` output) or just its task_id -> state mapping.
        states = trace.get("states", trace) if isinstance(trace, dict) else trace
    try:
        exported = export(doc, args.format, states=states)
    except InvalidDocument as exc:
        return _fail(exc.problems, False)
    except ExportError as exc:
        return _fail([Problem("export_failed", str(exc))], False)
    for p in exported.warnings:
        print(p, file=sys.stderr)
    if args.output:
        Path(args.output).write_bytes(exported.content)
    else:
        sys.stdout.flush()
        sys.stdout.buffer.write(exported.content)
    return 0


def cmd_import(args: argparse.Namespace) -> int:
    from .imports import MAX_BYTES, import_file

    try:
        if args.file == "-":
            content = sys.stdin.buffer.read(max(MAX_BYTES.values()) + 1)
        else:
            with open(args.file, "rb") as f:
                content = f.read(max(MAX_BYTES.values()) + 1)
    except OSError as exc:
        raise InputError(
            Problem("unreadable_file", f"cannot read {args.file}: {exc.strerror}", path=args.file)
        ) from None
    name = args.name or Path(args.file).name
    try:
        imported = import_file(name, content)
    except InvalidDocument as exc:
        return _fail(exc.problems, args.pretty)
    for p in imported.warnings:
        print(p, file=sys.stderr)
    _print(imported.document, args.pretty)
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m engine", description="Validate and simulate Airflow-style DAGs."
    )
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("validate", help="check a DAG (and a scenario) and list every problem")
    p.add_argument("dag", help="DAG document (JSON, - for stdin)")
    p.add_argument("--scenario", help="scenario document (JSON)")
    p.add_argument("--pretty", action="store_true", help="indent the JSON output")
    p.set_defaults(func=cmd_validate)

    p = sub.add_parser("simulate", help="simulate one DAG run as Airflow 3 would")
    p.add_argument("dag", help="DAG document (JSON, - for stdin)")
    p.add_argument("--scenario", help="scenario document (JSON); default: every task succeeds")
    p.add_argument("--summary", action="store_true", help="print only states and run_state")
    p.add_argument("--explain", metavar="TASK_ID", help="print why TASK_ID ended as it did")
    p.add_argument("--pretty", action="store_true", help="indent the JSON output")
    p.set_defaults(func=cmd_simulate)

    p = sub.add_parser("export", help="write a DAG as an Airflow file, JSON, YAML or a drawing")
    p.add_argument("dag", help="DAG document (JSON, - for stdin)")
    p.add_argument(
        "--format",
        required=True,
        choices=["airflow", "taskflow", "json", "yaml", "dot", "svg", "png"],
        help="airflow/taskflow: Airflow 3 .py; yaml: dag-factory; dot/svg/png: Graphviz",
    )
    p.add_argument("--states", metavar="RUN_TRACE", help="colour a drawing by a run's states")
    p.add_argument("-o", "--output", metavar="FILE", help="write here instead of stdout")
    p.set_defaults(func=cmd_export)

    p = sub.add_parser("import", help="read an Airflow .py (never executed), YAML or JSON DAG")
    p.add_argument("file", help="FILE.py, FILE.yaml or FILE.json (- for stdin, with --name)")
    p.add_argument("--name", help="file name that tells the format when reading stdin")
    p.add_argument("--pretty", action="store_true", help="indent the JSON output")
    p.set_defaults(func=cmd_import)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except InputError as exc:
        return _fail([exc.problem], getattr(args, "pretty", False))
