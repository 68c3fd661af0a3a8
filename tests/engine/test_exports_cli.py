"""`python -m engine export` and `python -m engine import`, for scripts and CI."""

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def engine_cli(*args: str, stdin: bytes | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "engine", *args],
        cwd=ROOT,
        input=stdin,
        capture_output=True,
        timeout=120,
        check=False,
    )


def test_export_writes_each_format_and_import_reads_it_back(umbrella, tmp_path):
    dag = tmp_path / "umbrella.json"
    dag.write_text(json.dumps(umbrella))
    for fmt, suffix in (("airflow", "py"), ("yaml", "yaml"), ("json", "json")):
        out = tmp_path / f"out_{fmt}.{suffix}"
        exported = engine_cli("export", str(dag), "--format", fmt, "-o", str(out))
        assert exported.returncode == 0, exported.stderr.decode()
        imported = engine_cli("import", str(out))
        assert imported.returncode == 0, imported.stderr.decode()
        document = json.loads(imported.stdout)
        assert [t["task_id"] for t in document["tasks"]] == [
            t["task_id"] for t in umbrella["tasks"]
        ]
        assert sorted(map(tuple, document["edges"])) == sorted(map(tuple, umbrella["edges"]))


def test_export_to_stdout_and_colour_by_a_run_trace(umbrella, tmp_path):
    dag = tmp_path / "umbrella.json"
    dag.write_text(json.dumps(umbrella))
    trace = tmp_path / "trace.json"
    trace.write_text(json.dumps({"states": {"start": "success"}, "run_state": "running"}))
    result = engine_cli("export", str(dag), "--format", "svg", "--states", str(trace))
    assert result.returncode == 0
    assert result.stdout.startswith(b"<?xml") and b'fill="green"' in result.stdout


def test_import_reports_problems_on_stderr_and_exits_non_zero(tmp_path):
    bad = tmp_path / "bad.py"
    bad.write_text("from airflow.sdk import DAG\nwith DAG('x'):\n    oops(\n")
    result = engine_cli("import", str(bad))
    assert result.returncode == 1
    assert "line 3" in result.stderr.decode()
    assert json.loads(result.stdout)["errors"][0]["code"] == "syntax_error"


def test_import_reads_stdin_when_named(tmp_path):
    source = (
        b"from airflow.sdk import DAG\nfrom airflow.sdk import task\n"
        b"with DAG('piped'):\n    @task\n    def only():\n        pass\n    only()\n"
    )
    result = engine_cli("import", "-", "--name", "piped.py", stdin=source)
    assert result.returncode == 0, result.stderr.decode()
    assert json.loads(result.stdout)["tasks"] == [{"task_id": "only", "operator": "python"}]


def test_an_export_the_dag_cannot_have_is_an_error(tmp_path):
    dag = tmp_path / "empty_only.json"
    dag.write_text(
        json.dumps({"dag_id": "e", "tasks": [{"task_id": "a", "operator": "empty"}], "edges": []})
    )
    result = engine_cli("export", str(dag), "--format", "taskflow")
    assert result.returncode == 1
    assert "TaskFlow" in result.stderr.decode()
