"""Airflow 3 DAG files: valid, formatted, Airflow 3 imports, and they read back the same."""

import ast
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from engine.exports import ExportError, export
from engine.imports import import_file

from .conftest import dag_doc

RUFF = Path(sys.executable).with_name("ruff")


def source(doc: dict, fmt: str = "airflow") -> str:
    exported = export(doc, fmt)
    assert exported.media_type == "text/x-python"
    return exported.content.decode()


def structure(doc: dict) -> tuple:
    return (
        [
            (t["task_id"], t["operator"], t.get("trigger_rule"), t.get("retries"), t.get("pool"))
            for t in doc["tasks"]
        ],
        sorted(map(tuple, doc["edges"])),
    )


@pytest.mark.parametrize("fmt", ["airflow", "taskflow"])
def test_the_file_compiles_and_is_already_formatted(umbrella, fmt):
    text = source(umbrella, fmt)
    compile(text, "umbrella.py", "exec")
    ruff = str(RUFF) if RUFF.exists() else shutil.which("ruff")
    if ruff is None:
        pytest.skip("ruff is not installed")
    check = subprocess.run(
        [ruff, "format", "--isolated", "--check", "-"],
        input=text.encode(),
        capture_output=True,
        check=False,
    )
    assert check.returncode == 0, check.stderr.decode()


def test_the_classic_file_uses_airflow_3_imports_and_readable_dependencies(umbrella):
    text = source(umbrella)
    assert "from airflow.sdk import DAG\n" in text
    assert "from airflow.providers.standard.operators.empty import EmptyOperator\n" in text
    assert "from airflow.providers.standard.operators.python import PythonOperator\n" in text
    assert "catchup=False," in text
    assert '"retry_delay": timedelta(seconds=0),' in text
    assert "    start >> [fetch_sales, fetch_weather]\n" in text
    assert (
        "    [clean_sales, clean_weather] >> join_datasets >> train_model >> deploy_model\n" in text
    )


def test_every_operator_and_argument_is_written_with_the_standard_provider_class():
    doc = dag_doc(
        [
            {"task_id": "start", "operator": "empty"},
            {"task_id": "pick", "operator": "branch", "retries": 2, "retry_delay_s": 90},
            {"task_id": "left", "operator": "python", "pool": "small", "priority_weight": 3},
            {
                "task_id": "right",
                "operator": "short_circuit",
                "ignore_downstream_trigger_rules": False,
            },
            {"task_id": "latest", "operator": "latest_only", "trigger_rule": "all_done"},
        ],
        [["start", "pick"], ["pick", "left"], ["pick", "right"], ["right", "latest"]],
        schedule="0 6 * * 1",
        start_date="2024-05-01T06:30:00Z",
        default_args={"retries": 1, "retry_delay_s": 3600},
        max_active_tasks=3,
        pools={"small": 2},
    )
    text = source(doc)
    tree = ast.parse(text)
    calls = {
        node.func.id: node
        for node in ast.walk(tree)
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
    }
    assert {
        "EmptyOperator",
        "BranchPythonOperator",
        "PythonOperator",
        "ShortCircuitOperator",
        "LatestOnlyOperator",
        "DAG",
    } <= set(calls)
    assert "from airflow.providers.standard.operators.latest_only import LatestOnlyOperator" in text
    assert "retry_delay=timedelta(seconds=90)" in text
    assert '"retry_delay": timedelta(hours=1)' in text
    assert "start_date=datetime(2024, 5, 1, 6, 30, tzinfo=timezone.utc)" in text
    assert "max_active_tasks=3" in text
    assert "#   small: 2 slots" in text
    assert 'return ["left"]  # also possible: right' in text
    assert "ignore_downstream_trigger_rules=False" in text
    assert structure(import_file("dag.py", text.encode()).document) == structure(doc)


def test_awkward_task_ids_and_values_become_valid_python_that_reads_back():
    doc = dag_doc(
        [
            {"task_id": "class", "operator": "empty"},
            {"task_id": "1st-step.v2", "operator": "python", "pool": 'it\'s "quoted" \\ pool'},
            {"task_id": "DAG", "operator": "branch"},
            {"task_id": "do_work", "operator": "python"},
            {"task_id": "1st_step_v2", "operator": "empty"},
        ],
        [
            ["class", "1st-step.v2"],
            ["1st-step.v2", "DAG"],
            ["DAG", "do_work"],
            ["DAG", "1st_step_v2"],
        ],
    )
    for fmt in ("airflow", "taskflow"):
        text = source(doc, fmt)
        compile(text, "dag.py", "exec")
        assert structure(import_file("dag.py", text.encode()).document) == structure(doc)


def test_the_taskflow_file_uses_decorators_and_passes_xcoms_as_arguments():
    doc = dag_doc(
        [
            {"task_id": "start", "operator": "empty"},
            {"task_id": "choose", "operator": "branch"},
            {"task_id": "train", "operator": "python", "xcom_push": {"model_id": "m-1"}},
            {
                "task_id": "deploy",
                "operator": "python",
                "xcom_pull": [{"task_id": "train", "key": "model_id"}],
            },
            {
                "task_id": "audit",
                "operator": "python",
                "trigger_rule": "all_done",
                "xcom_pull": [{"task_id": "train", "key": "model_id"}],
            },
            {"task_id": "check", "operator": "short_circuit"},
        ],
        [
            ["start", "choose"],
            ["choose", "train"],
            ["train", "deploy"],
            ["train", "audit"],
            ["deploy", "check"],
        ],
    )
    text = source(doc, "taskflow")
    assert "from airflow.sdk import dag, task\n" in text
    assert "    @task.branch\n    def choose():" in text
    assert "    @task.short_circuit\n    def check():" in text
    assert "    @task(multiple_outputs=True)\n    def train():" in text
    assert 'deploy = deploy(model_id=train["model_id"])' in text
    assert "audit = audit()" in text  # all_done: an argument would fail when train fails
    assert text.rstrip().endswith("t()")
    assert structure(import_file("dag.py", text.encode()).document) == structure(doc)


def test_a_dag_with_nothing_to_write_as_task_functions_has_no_taskflow_variant():
    doc = dag_doc(
        [{"task_id": "a", "operator": "empty"}, {"task_id": "b", "operator": "latest_only"}],
        [["a", "b"]],
    )
    with pytest.raises(ExportError, match="nothing to write as a TaskFlow @task function"):
        export(doc, "taskflow")


def test_a_long_chain_is_written_in_pieces_that_read_back():
    ids = [f"t{i:04d}" for i in range(1000)]
    doc = dag_doc(ids, [[a, b] for a, b in zip(ids, ids[1:], strict=False)])
    text = source(doc)
    statements = [s for s in ast.walk(ast.parse(text)) if isinstance(s, ast.Expr)]
    shifts = [sum(isinstance(n, ast.RShift) for n in ast.walk(s)) for s in statements]
    assert len(shifts) > 100 and max(shifts) <= 8
    assert structure(import_file("dag.py", text.encode()).document) == structure(doc)
