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
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except InputError as exc:
        return _fail([exc.problem], getattr(args, "pretty", False))
