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


@pytest.fixture
def umbrella() -> dict:
    return next(c for c in conformance_cases() if c["name"] == "textbook_umbrella_plain")["dag"]
