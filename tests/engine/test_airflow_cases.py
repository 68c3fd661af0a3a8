"""Cases run in real Airflow 3.3.2 by tools/airflow_diff: the engine must give Airflow's result.

Each file in airflow_cases/ is in the conformance corpus's format. A case where the engine is
known to disagree with Airflow carries ``engine_disagreement`` (what differs and which Airflow
code decides it) and ``engine_disagrees_on`` (the checks it fails: ``final_states``, ``tries``);
those tests are strict xfails, so fixing the rule turns them into failures that ask for the
fields to be removed. ``covers`` says which Airflow mechanism a case was made for.
"""

import json
from pathlib import Path

import pytest

from .conftest import run

CASE_DIR = Path(__file__).with_name("airflow_cases")
CASES = [json.loads(p.read_text()) for p in sorted(CASE_DIR.glob("*.json"))]


def params(cases: list[dict], check: str) -> list:
    out = []
    for case in cases:
        marks = []
        if check in case.get("engine_disagrees_on", []):
            marks.append(pytest.mark.xfail(strict=True, reason=case["engine_disagreement"]))
        out.append(pytest.param(case, id=case["name"], marks=marks))
    return out


def test_the_airflow_cases_are_there():
    assert len(CASES) >= 100
    assert all(c["airflow_version"] == "3.3.2" for c in CASES)
    for case in CASES:
        assert bool(case.get("engine_disagreement")) == bool(case.get("engine_disagrees_on"))


@pytest.mark.parametrize("case", params(CASES, "final_states"))
def test_final_states_match_airflow(case):
    trace = run(case["dag"], case["scenario"])
    expected = {k: (v or "none") for k, v in case["expected"].items()}
    assert trace.states == expected
    assert trace.run_state.value == case["run"]["dag_run_state"]


@pytest.mark.parametrize("case", params(CASES, "tries"))
def test_tries_and_their_end_times_match_airflow(case):
    trace = run(case["dag"], case["scenario"])
    tries = {tid: 0 for tid in trace.states}
    for t in trace.tries():
        tries[t["task_id"]] = max(tries[t["task_id"]], t["try_number"])
    assert tries == case["tries"]
    durations = {t["task_id"]: t.get("duration_s", 1) for t in case["dag"]["tasks"]}
    # A try skipped under it (it was running when its parent's skip was re-checked) has no end.
    ended = sorted(
        [t["end"], t["task_id"], t["try_number"], t["state"]]
        for t in trace.tries()
        if t["state"] in ("success", "failed", "skipped", "up_for_retry")
        and not (t["state"] == "skipped" and t["end"] < t["start"] + durations[t["task_id"]])
    )
    airflow = sorted(o for o in case["order"] if not str(o[3]).startswith("not run"))
    assert ended == airflow
