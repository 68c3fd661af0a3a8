"""Interchange JSON and dag-factory YAML downloads."""

import json

import pytest
import yaml

import engine
from engine.exports import ExportError, export
from engine.imports import import_file

from .conftest import dag_doc

BOOK = dag_doc(
    [
        {"task_id": "start", "operator": "empty"},
        {"task_id": "pick_erp_system", "operator": "branch"},
        {
            "task_id": "fetch_sales_old",
            "operator": "python",
            "duration_s": 30,
            "pool": 'erp: "old" # not a comment',
        },
        {"task_id": "join_erp_branch", "operator": "empty", "trigger_rule": "none_failed"},
        {
            "task_id": "check_quality",
            "operator": "short_circuit",
            "ignore_downstream_trigger_rules": True,
        },
        {
            "task_id": "train_model",
            "operator": "python",
            "retries": 2,
            "retry_delay_s": 1.5,
            "xcom_push": {"model_id": "uuid"},
        },
        {
            "task_id": "deploy_model",
            "operator": "python",
            "xcom_pull": [{"task_id": "train_model", "key": "model_id"}],
        },
    ],
    [
        ["start", "pick_erp_system"],
        ["pick_erp_system", "fetch_sales_old"],
        ["fetch_sales_old", "join_erp_branch"],
        ["join_erp_branch", "check_quality"],
        ["check_quality", "train_model"],
        ["train_model", "deploy_model"],
    ],
    dag_id="umbrella",
    schedule="@daily",
    start_date="2024-01-01T00:00:00Z",
    default_args={"retries": 0, "retry_delay_s": 300},
    max_active_tasks=8,
    pools={'erp: "old" # not a comment': 1},
)


def test_json_is_the_normalized_document_as_a_download():
    exported = export(BOOK, "json")
    assert (exported.media_type, exported.filename) == ("application/json", "umbrella.json")
    assert json.loads(exported.content) == engine.load_dag(BOOK).to_document()


def test_yaml_is_in_dag_factorys_format():
    exported = export(BOOK, "yaml")
    assert (exported.media_type, exported.filename) == ("application/yaml", "umbrella.yaml")
    config = yaml.safe_load(exported.content)
    assert list(config) == ["umbrella"]
    dag = config["umbrella"]
    assert dag["schedule"] == "@daily"
    assert dag["catchup"] is False
    assert dag["default_args"] == {
        "start_date": "2024-01-01T00:00:00Z",
        "retries": 0,
        "retry_delay": {"__type__": "datetime.timedelta", "seconds": 300},
    }
    tasks = {t["task_id"]: t for t in dag["tasks"]}
    assert tasks["start"] == {
        "task_id": "start",
        "operator": "airflow.providers.standard.operators.empty.EmptyOperator",
    }
    assert tasks["pick_erp_system"]["operator"].endswith(".python.BranchPythonOperator")
    assert tasks["pick_erp_system"]["op_kwargs"] == {"follow": ["fetch_sales_old"]}
    assert tasks["join_erp_branch"]["dependencies"] == ["fetch_sales_old"]
    assert tasks["join_erp_branch"]["trigger_rule"] == "none_failed"
    assert tasks["train_model"]["retry_delay"] == {"__type__": "datetime.timedelta", "seconds": 1.5}
    assert tasks["train_model"]["params"] == {"dagsim": {"xcom_push": {"model_id": "uuid"}}}
    assert tasks["check_quality"]["ignore_downstream_trigger_rules"] is True
    assert dag["params"] == {"dagsim": {"pools": {'erp: "old" # not a comment': 1}}}


def test_yaml_and_json_bring_back_every_field_including_the_simulators_own():
    for fmt in ("json", "yaml"):
        exported = export(BOOK, fmt)
        assert (
            import_file(exported.filename, exported.content).document
            == engine.load_dag(BOOK).to_document()
        )


def test_an_invalid_dag_is_not_exported():
    broken = {**BOOK, "edges": [*BOOK["edges"], ["deploy_model", "start"]]}
    with pytest.raises(engine.InvalidDocument) as raised:
        export(broken, "yaml")
    assert [p.code for p in raised.value.problems] == ["cycle"]


def test_an_unknown_format_is_an_export_error():
    with pytest.raises(ExportError, match="unknown export format `xml`"):
        export(BOOK, "xml")
