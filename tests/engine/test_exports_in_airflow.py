"""Exported files load in real Airflow 3 with the same structure.

Airflow is not one of dagsim's dependencies, so this runs only when DAGSIM_AIRFLOW_PYTHON names
a Python that has Airflow 3 and the standard provider (and dag-factory, for the YAML files):

    python -m venv /tmp/af3 && /tmp/af3/bin/pip install apache-airflow \\
        apache-airflow-providers-standard dag-factory
    DAGSIM_AIRFLOW_PYTHON=/tmp/af3/bin/python pytest tests/engine/test_exports_in_airflow.py
"""

import json
import os
import subprocess
from pathlib import Path

import pytest

import engine
from engine.exports import export
from engine.imports import import_file

from .conftest import conformance_cases

AIRFLOW_PYTHON = os.environ.get("DAGSIM_AIRFLOW_PYTHON")
pytestmark = pytest.mark.skipif(not AIRFLOW_PYTHON, reason="DAGSIM_AIRFLOW_PYTHON is not set")
UMBRELLA_PY = Path(__file__).parent / "import_fixtures" / "umbrella.py"

# Runs inside the Airflow interpreter: load the folder with Airflow's DagBag, print structure.
CHECKER = """
import json, sys
try:
    from airflow.dag_processing.dagbag import DagBag
except ImportError:
    from airflow.models.dagbag import DagBag
bag = DagBag(dag_folder=sys.argv[1], safe_mode=False)
out = {"errors": {str(k): v[-500:] for k, v in bag.import_errors.items()}, "dags": {}}
for dag_id, dag in bag.dags.items():
    out["dags"][dag_id] = {
        "schedule": str(dag.schedule) if dag.schedule is not None else None,
        "catchup": dag.catchup,
        "tasks": sorted(
            [t.task_id, type(t).__name__, getattr(t.trigger_rule, "value", t.trigger_rule),
             t.retries, t.retry_delay.total_seconds(), t.pool, sorted(t.upstream_task_ids)]
            for t in dag.tasks),
    }
print(json.dumps(out))
"""
STUBS = """
def do_work(**context):
    pass

def choose(follow, **context):
    return follow

def keep_going(**context):
    return True
"""
LOADER = """
from pathlib import Path
from dagfactory import load_yaml_dags
load_yaml_dags(globals_dict=globals(), dags_folder=str(Path(__file__).parent))
"""
CLASSES = {
    "empty": {"EmptyOperator"},
    "python": {"PythonOperator", "_PythonDecoratedOperator"},
    "branch": {"BranchPythonOperator", "_BranchPythonDecoratedOperator"},
    "short_circuit": {"ShortCircuitOperator", "_ShortCircuitDecoratedOperator"},
    "latest_only": {"LatestOnlyOperator"},
}


def has_dag_factory() -> bool:
    probe = subprocess.run(
        [AIRFLOW_PYTHON, "-c", "import dagfactory"], capture_output=True, check=False
    )
    return probe.returncode == 0


def expected(doc: dict) -> list:
    dag = engine.load_dag(doc)
    upstream = dag.upstream_ids()
    return sorted(
        [
            t.task_id,
            t.operator.value,
            t.trigger_rule.value,
            t.retries,
            t.retry_delay_s,
            t.pool,
            sorted(upstream[t.task_id]),
        ]
        for t in dag.tasks
    )


def test_exported_files_load_in_airflow_with_the_same_structure(tmp_path):
    docs = [import_file("umbrella.py", UMBRELLA_PY.read_bytes()).document]
    docs += [c["dag"] for c in conformance_cases() if c["category"] in ("random", "textbook")]
    formats = ["airflow", "taskflow", *(["yaml"] if has_dag_factory() else [])]
    written = {}
    for i, doc in enumerate(docs):
        for fmt in formats:
            copy = {**doc, "dag_id": f"{doc['dag_id']}_{fmt}_{i}"}
            exported = export(copy, fmt)
            (tmp_path / exported.filename).write_bytes(exported.content)
            written[copy["dag_id"]] = copy
    if "yaml" in formats:
        (tmp_path / "dagsim_stubs.py").write_text(STUBS)
        (tmp_path / "load_yaml.py").write_text(LOADER)
    (tmp_path / "home").mkdir()
    env = {
        **os.environ,
        "AIRFLOW_HOME": str(tmp_path / "home"),
        "PYTHONPATH": str(tmp_path),
        "AIRFLOW__CORE__LOAD_EXAMPLES": "False",
    }
    result = subprocess.run(
        [AIRFLOW_PYTHON, "-c", CHECKER, str(tmp_path)],
        env=env,
        capture_output=True,
        timeout=600,
        check=False,
    )
    assert result.returncode == 0, result.stderr.decode()[-2000:]
    loaded = json.loads(result.stdout.decode().strip().splitlines()[-1])
    assert loaded["errors"] == {}
    assert set(loaded["dags"]) == set(written)
    for dag_id, doc in written.items():
        dag = loaded["dags"][dag_id]
        assert dag["catchup"] is False
        assert dag["schedule"] == doc.get("schedule")
        for got, want in zip(dag["tasks"], expected(doc), strict=True):
            assert got[1] in CLASSES[want[1]], (dag_id, got, want)
            assert got[:1] + got[2:] == want[:1] + want[2:], dag_id
