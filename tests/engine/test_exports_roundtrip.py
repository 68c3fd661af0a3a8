"""Export, then import: the same DAG, for every conformance case's DAG and the book's umbrella.

JSON and YAML come back as the same document (edge order aside for YAML, which lists each
task's upstreams); an Airflow or TaskFlow file comes back with the same structure.
"""

import json
from pathlib import Path

import pytest

import engine
from engine.exports import export
from engine.imports import import_file

from .conftest import conformance_cases

UMBRELLA_PY = Path(__file__).parent / "import_fixtures" / "umbrella.py"


def distinct_dags() -> list[dict]:
    seen: dict[str, dict] = {}
    for case in conformance_cases():
        seen.setdefault(json.dumps(case["dag"], sort_keys=True), case["dag"])
    return list(seen.values())


DAGS = distinct_dags()
IDS = [d["dag_id"] + f"-{i}" for i, d in enumerate(DAGS)]


def normalized(doc: dict) -> dict:
    return engine.load_dag(doc).to_document()


def with_sorted_edges(doc: dict) -> dict:
    return {**doc, "edges": sorted(map(list, doc["edges"]))}


def structure(doc: dict) -> tuple:
    """What an Airflow file carries: tasks, operators, trigger rules, retries, pools, edges."""
    dag = engine.load_dag(doc)
    tasks = [
        (
            t.task_id,
            t.operator.value,
            t.trigger_rule.value,
            t.retries,
            t.retry_delay_s,
            t.pool,
            t.pool_slots,
            t.priority_weight,
            t.weight_rule.value,
            t.ignore_downstream_trigger_rules if t.operator.value == "short_circuit" else None,
        )
        for t in dag.tasks
    ]
    return doc["dag_id"], doc.get("schedule"), doc.get("start_date"), tasks, sorted(dag.edges)


def round_trip(doc: dict, fmt: str) -> engine.imports.Imported:
    exported = export(doc, fmt)
    return import_file(exported.filename, exported.content)


def test_the_corpus_has_hundreds_of_distinct_dags():
    assert len(DAGS) > 400


@pytest.mark.parametrize("doc", DAGS, ids=IDS)
def test_json_round_trips_exactly(doc):
    exported = export(doc, "json")
    imported = import_file(exported.filename, exported.content)
    assert imported.document == normalized(doc)
    assert imported.warnings == []
    assert export(imported.document, "json").content == exported.content


@pytest.mark.parametrize("doc", DAGS, ids=IDS)
def test_yaml_round_trips_to_the_same_document(doc):
    imported = round_trip(doc, "yaml")
    assert with_sorted_edges(imported.document) == with_sorted_edges(normalized(doc))
    assert imported.warnings == []


@pytest.mark.parametrize("doc", DAGS, ids=IDS)
@pytest.mark.parametrize("fmt", ["airflow", "taskflow"])
def test_airflow_files_read_back_with_the_same_structure(doc, fmt):
    imported = round_trip(doc, fmt)
    assert structure(imported.document) == structure(doc)
    assert imported.warnings == []


def test_the_books_umbrella_dag_file_reads_as_written():
    imported = import_file("umbrella.py", UMBRELLA_PY.read_bytes())
    doc = imported.document
    assert imported.warnings == []
    assert (doc["dag_id"], doc["schedule"], doc["start_date"], doc["default_args"]) == (
        "umbrella",
        "@daily",
        "2024-01-01T00:00:00Z",
        {"retries": 1, "retry_delay_s": 300},
    )
    assert {t["task_id"]: t["operator"] for t in doc["tasks"]} == {
        "start": "empty",
        "pick_erp_system": "branch",
        "fetch_sales_old": "python",
        "clean_sales_old": "python",
        "fetch_sales_new": "python",
        "clean_sales_new": "python",
        "join_erp_branch": "empty",
        "fetch_weather": "python",
        "clean_weather": "python",
        "join_datasets": "python",
        "latest_only": "latest_only",
        "train_model": "python",
        "check_quality": "short_circuit",
        "deploy_model": "python",
    }
    by_id = {t["task_id"]: t for t in doc["tasks"]}
    assert by_id["join_erp_branch"]["trigger_rule"] == "none_failed"
    assert by_id["fetch_weather"] == {
        "task_id": "fetch_weather",
        "operator": "python",
        "retries": 3,
        "pool": "weather_api",
    }
    assert by_id["train_model"]["retry_delay_s"] == 30
    assert by_id["check_quality"]["ignore_downstream_trigger_rules"] is False
    assert by_id["deploy_model"]["priority_weight"] == 5
    assert sorted(map(tuple, doc["edges"])) == sorted(
        [
            ("start", "pick_erp_system"),
            ("start", "fetch_weather"),
            ("pick_erp_system", "fetch_sales_old"),
            ("pick_erp_system", "fetch_sales_new"),
            ("fetch_sales_old", "clean_sales_old"),
            ("fetch_sales_new", "clean_sales_new"),
            ("clean_sales_old", "join_erp_branch"),
            ("clean_sales_new", "join_erp_branch"),
            ("fetch_weather", "clean_weather"),
            ("join_erp_branch", "join_datasets"),
            ("clean_weather", "join_datasets"),
            ("join_datasets", "check_quality"),
            ("check_quality", "train_model"),
            ("train_model", "deploy_model"),
            ("latest_only", "deploy_model"),
        ]
    )


@pytest.mark.parametrize("fmt", ["json", "yaml", "airflow", "taskflow"])
def test_the_books_umbrella_dag_round_trips_through_every_format(fmt):
    doc = import_file("umbrella.py", UMBRELLA_PY.read_bytes()).document
    imported = round_trip(doc, fmt)
    if fmt in ("json", "yaml"):
        assert with_sorted_edges(imported.document) == with_sorted_edges(doc)
    else:
        assert structure(imported.document) == structure(doc)
