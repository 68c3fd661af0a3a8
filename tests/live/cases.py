"""Conformance cases and the answers a live run of each may end with."""

import json
from pathlib import Path

import engine

CASES_DIR = Path(__file__).resolve().parents[3] / "shared" / "conformance" / "cases"
CASES = [json.loads(p.read_text()) for p in sorted(CASES_DIR.glob("*.json"))]
FINISHED_TASK = {"success", "failed", "skipped", "upstream_failed"}


def instant_states(case: dict) -> dict[str, str]:
    dag = engine.load_dag(case["dag"])
    return dict(engine.simulate(dag, engine.load_scenario(dag, case["scenario"])).states)


def acceptable_states(case: dict) -> list[dict[str, str]]:
    """Exactly the instant simulation's states; for a timing-sensitive case, Airflow's
    `expected` or one of its `probes` (real Airflow varies there too)."""
    if not case.get("timing_sensitive"):
        return [instant_states(case)]
    expected = {k: v or "none" for k, v in case["expected"].items()}
    return [expected] + [{**expected, **probe} for probe in case.get("probes", {}).values()]


def final_states(rows: dict[str, str]) -> dict[str, str]:
    """Task instance states as the instant simulation reports them (unfinished: none)."""
    return {k: (v if v in FINISHED_TASK else "none") for k, v in rows.items()}


def as_own_dag(case: dict) -> dict:
    """The case's DAG under a dag_id of its own (several cases share one)."""
    return {**case["dag"], "dag_id": case["name"]}
