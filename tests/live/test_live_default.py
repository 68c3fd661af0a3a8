"""Live runs with nothing but the web server: SQLite, the in-memory channel layer, the
in-process executor (the README's run command)."""

import asyncio

import pytest

from . import client
from .cases import CASES, acceptable_states, as_own_dag, final_states
from .test_live_stream import UMBRELLA, assert_seq_order

# One case of every category, and the textbook umbrella ones: enough to show the rules hold on
# SQLite; tests/live/test_live_conformance.py plays all of them on PostgreSQL.
SAMPLE = [c for c in CASES if c["category"] != "trigger_rule"][:40] + [
    c for c in CASES if c["category"] == "trigger_rule"
][::40]


@pytest.fixture(scope="module")
def outcomes(default_stack):
    api = default_stack.api(default_stack.server)
    run_ids = {}
    for case in SAMPLE:
        dag_pk = client.create_dag(api, as_own_dag(case))
        run_ids[case["name"]] = client.start_live(api, dag_pk, case["scenario"], 10000.0)
    client.wait_finished(api, list(run_ids.values()), timeout=300)
    return {name: client.task_states(api, run_id) for name, run_id in run_ids.items()}


@pytest.mark.parametrize("case", SAMPLE, ids=[c["name"] for c in SAMPLE])
def test_the_web_server_alone_ends_each_case_as_instant_mode(outcomes, case):
    assert final_states(outcomes[case["name"]]) in acceptable_states(case)


def test_the_web_server_alone_streams_a_live_run_to_its_owner(default_stack):
    stack = default_stack
    api = stack.api(stack.server)
    dag_pk = client.create_dag(api, {**UMBRELLA["document"], "dag_id": "umbrella_default"})
    scenario = UMBRELLA["scenarios"]["weather API flaky, recovers on retry"]
    run_id = client.start_live(api, dag_pk, scenario, 100.0)
    watcher = asyncio.run(client.watch(stack, stack.server, run_id))
    logged = client.logged_events(api, run_id)
    assert_seq_order(watcher.events, watcher.snapshot["last_seq"])
    assert watcher.events == logged[watcher.snapshot["last_seq"] :]
    assert logged[-1]["task_id"] is None and logged[-1]["to_state"] == "success"
