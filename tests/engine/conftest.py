import json
from pathlib import Path

import pytest

import engine

CONFORMANCE = Path(__file__).resolve().parents[3] / "shared" / "conformance" / "cases"


def conformance_cases() -> list[dict]:
    return [json.loads(p.read_text()) for p in sorted(CONFORMANCE.glob("*.json"))]


def run(doc: dict, scenario: dict | None = None) -> engine.Trace:
    dag = engine.load_dag(doc)
    return engine.simulate(dag, engine.load_scenario(dag, scenario or {}))


def dag_doc(tasks: list, edges: list, **extra) -> dict:
    """A small DAG document; tasks may be bare ids (python operator) or dicts."""
    return {
        "format": "dagsim/1",
        "dag_id": extra.pop("dag_id", "t"),
        "tasks": [{"task_id": t, "operator": "python"} if isinstance(t, str) else t for t in tasks],
        "edges": edges,
        **extra,
    }


def assert_same_states_as_airflow(case: dict, run_state: str | None = None) -> None:
    """The engine's final task states and run state equal Airflow's for a ground-truth case."""
    trace = run(case["dag"], case["scenario"])
    assert trace.states == {k: (v or "none") for k, v in case["expected"].items()}
    assert trace.run_state.value == (run_state or case["run"]["dag_run_state"])


def assert_same_tries_as_airflow(case: dict) -> None:
    """Try counts per task, and every try's end time and state, equal Airflow's."""
    trace = run(case["dag"], case["scenario"])
    tries = {tid: 0 for tid in trace.states}
    for t in trace.tries():
        tries[t["task_id"]] = max(tries[t["task_id"]], t["try_number"])
    assert tries == case["tries"]
    durations = {t["task_id"]: t.get("duration_s", 1) for t in case["dag"]["tasks"]}
    # A try skipped under it (running when its parent's skip landed) has no end in Airflow's log.
    ended = sorted(
        [t["end"], t["task_id"], t["try_number"], t["state"]]
        for t in trace.tries()
        if t["state"] in ("success", "failed", "skipped", "up_for_retry")
        and not (t["state"] == "skipped" and t["end"] < t["start"] + durations[t["task_id"]])
    )
    assert ended == sorted(o for o in case["order"] if not str(o[3]).startswith("not run"))


@pytest.fixture
def umbrella() -> dict:
    return next(c for c in conformance_cases() if c["name"] == "textbook_umbrella_plain")["dag"]
