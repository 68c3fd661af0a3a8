"""A live run ends as an instant one: every conformance case, played in scaled real time by the
in-process executor and by a Celery worker, through the public API."""

import pytest

from . import client
from .cases import CASES, acceptable_states, as_own_dag, final_states

SPEED = 10000.0  # the API's highest: a simulated minute in 6 ms


def play_all(stack, cases) -> dict[str, dict[str, str]]:
    api = stack.api(stack.server)
    run_ids = {}
    for case in cases:
        dag_pk = client.create_dag(api, as_own_dag(case))
        run_ids[case["name"]] = client.start_live(api, dag_pk, case["scenario"], SPEED)
    client.wait_finished(api, list(run_ids.values()), timeout=300)
    return {name: client.task_states(api, run_id) for name, run_id in run_ids.items()}


@pytest.fixture(scope="module")
def inprocess_outcomes(inprocess_stack):
    return play_all(inprocess_stack, CASES)


@pytest.fixture(scope="module")
def celery_outcomes(celery_stack):
    return play_all(celery_stack, CASES)


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_the_in_process_executor_ends_every_case_as_instant_mode(inprocess_outcomes, case):
    assert final_states(inprocess_outcomes[case["name"]]) in acceptable_states(case)


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_a_celery_worker_ends_every_case_as_instant_mode(celery_outcomes, case):
    assert final_states(celery_outcomes[case["name"]]) in acceptable_states(case)
