"""The command line works from the repository root with only the requirements installed."""

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CASE = (
    ROOT.parent / "shared" / "conformance" / "cases" / "textbook_erp_branch_join_all_success.json"
)


def engine_cli(*args, stdin=None):
    return subprocess.run(
        [sys.executable, "-m", "engine", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        input=stdin,
        timeout=60,
    )


def write_case(tmp_path):
    case = json.loads(CASE.read_text())
    dag, scenario = tmp_path / "dag.json", tmp_path / "scenario.json"
    dag.write_text(json.dumps(case["dag"]))
    scenario.write_text(json.dumps(case["scenario"]))
    return case, dag, scenario


def test_simulate_prints_states_run_state_and_events(tmp_path):
    case, dag, scenario = write_case(tmp_path)
    out = engine_cli("simulate", str(dag), "--scenario", str(scenario))
    assert out.returncode == 0, out.stderr
    result = json.loads(out.stdout)
    assert result["states"] == case["expected"]
    assert result["run_state"] == "success"
    assert result["events"] and result["reasons"]["join_datasets"]


def test_summary_prints_only_states_and_run_state(tmp_path):
    _, dag, scenario = write_case(tmp_path)
    out = engine_cli("simulate", str(dag), "--scenario", str(scenario), "--summary")
    assert set(json.loads(out.stdout)) == {"states", "run_state"}


def test_explain_prints_the_chain_of_causes(tmp_path):
    _, dag, scenario = write_case(tmp_path)
    out = engine_cli(
        "simulate", str(dag), "--scenario", str(scenario), "--explain", "join_datasets"
    )
    why = json.loads(out.stdout)["why"]
    assert why[0].startswith("join_datasets skipped") and "pick_erp_system" in why[-1]


def test_a_bad_dag_prints_the_error_list_and_exits_non_zero(tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text(
        json.dumps(
            {
                "dag_id": "d",
                "tasks": [
                    {"task_id": "a", "operator": "python"},
                    {"task_id": "b", "operator": "python"},
                ],
                "edges": [["a", "b"], ["b", "a"]],
            }
        )
    )
    out = engine_cli("simulate", str(bad))
    assert out.returncode == 1
    assert json.loads(out.stdout)["errors"][0]["message"] == "cycle: a -> b -> a"
    assert "cycle: a -> b -> a" in out.stderr


def test_invalid_json_names_the_line(tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text('{"dag_id": "d",\n  "tasks": [}')
    out = engine_cli("validate", str(bad))
    assert out.returncode == 1
    assert "line 2" in json.loads(out.stdout)["errors"][0]["message"]


def test_validate_reads_stdin_and_reports_warnings():
    doc = {
        "dag_id": "d",
        "tasks": [{"task_id": "a", "operator": "python", "colour": "red"}],
        "edges": [],
    }
    out = engine_cli("validate", "-", stdin=json.dumps(doc))
    result = json.loads(out.stdout)
    assert out.returncode == 0 and result["valid"] is True
    assert result["warnings"][0]["code"] == "unknown_field"


def test_importing_the_engine_loads_no_django():
    code = (
        "import sys, engine, engine.cli, engine.simulation, engine.scheduler; "
        "bad = [m for m in sys.modules if m.split('.')[0] in "
        "('django', 'rest_framework', 'channels', 'celery', 'editor')]; print(bad)"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True)
    assert out.stdout.strip() == "[]", out.stderr
