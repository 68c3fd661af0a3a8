"""Shrink a disagreeing case to the smallest DAG on which Airflow and the engine still disagree.

    .venv/bin/python -m tools.airflow_diff.minimise RESULTS.jsonl [--name CASE] --out DIR

Greedy: try one-step reductions (drop a task, an edge, an outcome, an attribute; plainer
schedule), keep the first that still disagrees, repeat until none does. Every candidate is run in
Airflow, so this costs about one Airflow run per candidate tried.
"""

from __future__ import annotations

import argparse
import copy
import json
import sys
from collections.abc import Iterator
from pathlib import Path

import engine

from .client import DEFAULT_PYTHON, AirflowRunner
from .compare import compare
from .generate import SCHEDULES

SIMPLE_ATTRS = (
    "duration_s",
    "retries",
    "retry_delay_s",
    "trigger_rule",
    "ignore_downstream_trigger_rules",
)


def without_task(case: dict, task_id: str) -> dict:
    c = copy.deepcopy(case)
    dag, scenario = c["dag"], c["scenario"]
    dag["tasks"] = [t for t in dag["tasks"] if t["task_id"] != task_id]
    dag["edges"] = [e for e in dag["edges"] if task_id not in e]
    outcomes = scenario.get("outcomes") or {}
    outcomes.pop(task_id, None)
    for value in outcomes.values():
        if isinstance(value, dict) and task_id in value.get("branch", []):
            value["branch"] = [b for b in value["branch"] if b != task_id]
    return c


def reductions(case: dict) -> Iterator[dict]:
    """One-step smaller or plainer variants of ``case``, biggest steps first."""
    dag, scenario = case["dag"], case["scenario"]
    for t in dag["tasks"]:
        yield without_task(case, t["task_id"])
    for i in range(len(dag["edges"])):
        c = copy.deepcopy(case)
        del c["dag"]["edges"][i]
        yield c
    for task_id, value in (scenario.get("outcomes") or {}).items():
        c = copy.deepcopy(case)
        if isinstance(value, dict) and "branch" in value:
            if "fail_times" in value:
                del c["scenario"]["outcomes"][task_id]["fail_times"]
            elif value["branch"]:
                c["scenario"]["outcomes"][task_id]["branch"] = value["branch"][:-1]
            else:
                continue
        else:
            del c["scenario"]["outcomes"][task_id]
        yield c
    for i, t in enumerate(dag["tasks"]):
        for attr in SIMPLE_ATTRS:
            if attr in t:
                c = copy.deepcopy(case)
                del c["dag"]["tasks"][i][attr]
                yield c
    if dag.get("default_args") != {"retries": 0, "retry_delay_s": 0}:
        c = copy.deepcopy(case)
        c["dag"]["default_args"] = {"retries": 0, "retry_delay_s": 0}
        yield c
    if "now" in scenario:
        c = copy.deepcopy(case)
        del c["scenario"]["now"]
        yield c
    if dag.get("schedule") != "@daily":
        c = copy.deepcopy(case)
        c["dag"]["schedule"] = "@daily"
        c["scenario"]["logical_date"] = SCHEDULES["@daily"][0]
        c["scenario"].pop("now", None)
        yield c


def valid(case: dict) -> bool:
    try:
        dag = engine.load_dag(case["dag"])
        engine.load_scenario(dag, case["scenario"])
    except engine.InvalidDocument:
        return False
    return True


def kind(verdict) -> tuple:
    """What sort of disagreement: the (Airflow, engine) state pairs and whether the run differs.
    Shrinking keeps it, so a case does not drift to a different (often simpler) disagreement."""
    return frozenset(verdict.states.values()), verdict.run_state


def minimise(case: dict, runner: AirflowRunner, log=print) -> tuple[dict, dict]:
    """The smallest variant found that still disagrees the same way, with Airflow's result."""
    airflow = runner.run(case)
    verdict = compare(case, airflow)
    if verdict.agrees or verdict.error:
        raise ValueError(f"{case['name']} does not disagree: {verdict.summary()}")
    wanted = kind(verdict)
    current, current_airflow = case, airflow
    improved = True
    while improved:
        improved = False
        for candidate in reductions(current):
            if not valid(candidate):
                continue
            result = runner.run(candidate)
            v = compare(candidate, result)
            if not v.error and not v.agrees and kind(v) == wanted:
                current, current_airflow, improved = candidate, result, True
                log(
                    f"  {len(candidate['dag']['tasks'])} tasks, {len(candidate['dag']['edges'])} "
                    f"edges: {v.summary()}"
                )
                break
    return current, current_airflow


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("results", type=Path)
    parser.add_argument(
        "--name", action="append", help="only these cases (default: every disagreement)"
    )
    parser.add_argument("--out", type=Path, default=Path("/tmp/airflow_diff/minimal"))
    parser.add_argument("--python", default=DEFAULT_PYTHON)
    args = parser.parse_args(argv)
    rows = [json.loads(line) for line in args.results.read_text().splitlines()]
    rows = [r for r in rows if not r["agrees"] and not r["error"]]
    if args.name:
        rows = [r for r in rows if r["case"]["name"] in args.name]
    args.out.mkdir(parents=True, exist_ok=True)
    with (
        AirflowRunner(args.out / "airflow", args.python) as runner,
        (args.out / "minimal.jsonl").open("a") as sink,
    ):
        for row in rows:
            print(f"{row['case']['name']}: {row['verdict']}", flush=True)
            small, airflow = minimise(row["case"], runner)
            verdict = compare(small, airflow)
            out = {
                "case": small,
                "airflow": airflow,
                "verdict": verdict.summary(),
                "agrees": verdict.agrees,
                "agrees_fully": verdict.agrees_fully,
                "error": bool(verdict.error),
                "from": row["case"]["name"],
            }
            sink.write(json.dumps(out) + "\n")
            sink.flush()
            print(
                f"minimal: {json.dumps(small['dag'])}\n  scenario {json.dumps(small['scenario'])}"
                f"\n  {verdict.summary()}",
                flush=True,
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
