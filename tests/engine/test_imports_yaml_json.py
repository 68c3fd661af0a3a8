"""dag-factory YAML and interchange JSON uploads."""

import json
import textwrap

import pytest

import engine
from engine.imports import import_file


def read_yaml(text: str) -> engine.imports.Imported:
    return import_file("dags.yaml", textwrap.dedent(text).encode())


def test_it_reads_dag_factorys_list_format_with_groups_and_shared_defaults():
    imported = read_yaml("""
        default:
          default_args:
            start_date: 2024-02-01
            retries: 2
            retry_delay_sec: 120
          schedule: "@daily"

        sales_dag:
          catchup: false
          task_groups:
            - group_name: cleaning
              dependencies: [extract]
          tasks:
            - task_id: extract
              operator: airflow.operators.bash.BashOperator
              bash_command: "echo 1"
            - task_id: dedupe
              operator: airflow.providers.standard.operators.python.PythonOperator
              python_callable: my_module.dedupe
              task_group_name: cleaning
            - task_id: validate
              operator: airflow.operators.dummy.DummyOperator
              dependencies: [dedupe]
              task_group_name: cleaning
              trigger_rule: none_failed_or_skipped
            - task_id: publish
              operator: airflow.providers.standard.operators.python.ShortCircuitOperator
              python_callable: my_module.ok
              ignore_downstream_trigger_rules: false
              retry_delay:
                __type__: datetime.timedelta
                minutes: 10
              dependencies: [cleaning]
    """)
    doc = imported.document
    assert (doc["dag_id"], doc["schedule"], doc["start_date"]) == (
        "sales_dag",
        "@daily",
        "2024-02-01T00:00:00Z",
    )
    assert doc["default_args"] == {"retries": 2, "retry_delay_s": 120}
    assert doc["tasks"] == [
        {"task_id": "extract", "operator": "python"},
        {"task_id": "cleaning.dedupe", "operator": "python"},
        {
            "task_id": "cleaning.validate",
            "operator": "empty",
            "trigger_rule": "none_failed_min_one_success",
        },
        {
            "task_id": "publish",
            "operator": "short_circuit",
            "retry_delay_s": 600,
            "ignore_downstream_trigger_rules": False,
        },
    ]
    assert sorted(map(tuple, doc["edges"])) == [
        ("cleaning.dedupe", "cleaning.validate"),
        ("cleaning.validate", "publish"),
        ("extract", "cleaning.dedupe"),
    ]
    assert imported.warnings == []


def test_it_reads_the_older_mapping_format_and_the_join_tag():
    imported = read_yaml("""
        legacy:
          default_args:
            start_date: "2024-01-01T06:00:00Z"
          schedule_interval: "0 6 * * *"
          tasks:
            first:
              operator: airflow.operators.dummy_operator.DummyOperator
            second:
              operator: airflow.operators.python_operator.BranchPythonOperator
              pool: !join [etl, "_", pool]
              dependencies: [first]
    """)
    doc = imported.document
    assert doc["schedule"] == "0 6 * * *"
    assert doc["tasks"] == [
        {"task_id": "first", "operator": "empty"},
        {"task_id": "second", "operator": "branch", "pool": "etl_pool"},
    ]
    assert doc["edges"] == [["first", "second"]]


def test_unknown_operators_and_dependencies_are_warnings_and_extra_dags_are_named():
    imported = read_yaml("""
        one:
          tasks:
            - task_id: wait
              operator: airflow.providers.http.sensors.http.HttpSensor
            - task_id: go
              operator: airflow.providers.standard.operators.empty.EmptyOperator
              dependencies: [wait, nowhere]
        two:
          tasks: []
    """)
    assert [t["operator"] for t in imported.document["tasks"]] == ["python", "empty"]
    assert imported.document["edges"] == [["wait", "go"]]
    text = " | ".join(w.message for w in imported.warnings)
    assert "HttpSensor" in text and "`nowhere`" in text and "`two`" in text


def test_yaml_values_that_do_not_validate_raise_with_the_problems():
    with pytest.raises(engine.InvalidDocument) as raised:
        read_yaml("""
            broken:
              tasks:
                - task_id: a
                  operator: airflow.providers.standard.operators.empty.EmptyOperator
                  retries: many
                  dependencies: [b]
                - task_id: b
                  operator: airflow.providers.standard.operators.empty.EmptyOperator
                  dependencies: [a]
        """)
    assert {p.code for p in raised.value.problems} == {"bad_value", "cycle"}


def test_a_json_document_comes_in_as_written(umbrella):
    imported = import_file("umbrella.json", json.dumps(umbrella).encode())
    assert imported.document == umbrella
    assert imported.warnings == []


def test_a_conformance_case_file_is_read_for_its_dag(umbrella):
    case = {"name": "x", "dag": umbrella, "scenario": {}, "expected": {}}
    assert import_file("case.json", json.dumps(case).encode()).document == umbrella


def test_a_json_document_that_does_not_validate_raises_every_error(umbrella):
    umbrella = {**umbrella, "tasks": [*umbrella["tasks"], {"task_id": "x", "operator": "bash"}]}
    umbrella["edges"] = [*umbrella["edges"], ["x", "nope"]]
    with pytest.raises(engine.InvalidDocument) as raised:
        import_file("umbrella.json", json.dumps(umbrella).encode())
    assert [p.code for p in raised.value.problems] == ["unknown_operator", "unknown_task"]


def test_a_json_syntax_error_names_its_line():
    with pytest.raises(engine.InvalidDocument) as raised:
        import_file("dag.json", b'{\n  "dag_id": "x",\n  "tasks": [,]\n}')
    assert raised.value.problems[0].data["line"] == 3
