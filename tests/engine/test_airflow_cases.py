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

from .conftest import assert_same_states_as_airflow, assert_same_tries_as_airflow

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
    assert_same_states_as_airflow(case)


@pytest.mark.parametrize("case", params(CASES, "tries"))
def test_tries_and_their_end_times_match_airflow(case):
    assert_same_tries_as_airflow(case)
