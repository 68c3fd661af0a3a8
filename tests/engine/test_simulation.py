"""Behaviour the conformance corpus does not pin down: slots, pools, priority, XCom,
explanations, deadlock and cancel."""

from datetime import UTC, datetime

import pytest

import engine
from engine.compiled import compile_dag
from engine.scheduler import RunScheduler
from engine.schedules import is_latest_run, latest_only_window

from .conftest import dag_doc, run


def starts(trace):
    return {t["task_id"]: t["start"] for t in trace.tries()}


def test_max_active_tasks_limits_what_runs_at_once():
    doc = dag_doc(
        [{"task_id": f"t{i}", "operator": "python", "duration_s": 10} for i in range(5)],
        [],
        max_active_tasks=2,
    )
    trace = run(doc)
    assert sorted(starts(trace).values()) == [0, 0, 10, 10, 20]
    assert trace.makespan_s == 30


def test_a_pool_limits_its_tasks_and_priority_decides_who_goes_first():
    tasks = [
        {"task_id": "low", "operator": "python", "pool": "db", "priority_weight": 1},
        {"task_id": "high", "operator": "python", "pool": "db", "priority_weight": 9},
        {"task_id": "free", "operator": "python"},
    ]
    trace = run(dag_doc(tasks, [], pools={"db": 1}))
    assert starts(trace) == {"high": 0, "free": 0, "low": 1}


def test_downstream_weight_rule_favours_tasks_with_more_descendants():
    tasks = [
        {"task_id": "a_leaf", "operator": "python", "pool": "p"},
        {"task_id": "z_head", "operator": "python", "pool": "p"},
        "c1",
        "c2",
    ]
    trace = run(dag_doc(tasks, [["z_head", "c1"], ["c1", "c2"]], pools={"p": 1}))
    assert starts(trace)["z_head"] == 0 and starts(trace)["a_leaf"] == 1


def test_pool_slots_count_against_the_pool():
    tasks = [
        {
            "task_id": "big",
            "operator": "python",
            "pool": "p",
            "pool_slots": 2,
            "priority_weight": 5,
        },
        {"task_id": "small", "operator": "python", "pool": "p"},
    ]
    trace = run(dag_doc(tasks, [], pools={"p": 2}))
    assert starts(trace) == {"big": 0, "small": 1}


def test_slots_are_never_exceeded():
    tasks = [
        {
            "task_id": f"t{i:02}",
            "operator": "python",
            "duration_s": 1 + i % 3,
            "pool": "p",
            "pool_slots": 1 + i % 2,
        }
        for i in range(20)
    ]
    trace = run(dag_doc(tasks, [], pools={"p": 3}))
    tries = trace.tries()
    slots = {t["task_id"]: t["pool_slots"] for t in tasks}
    for moment in sorted({t["start"] for t in tries}):
        used = sum(slots[t["task_id"]] for t in tries if t["start"] <= moment < t["end"])
        assert used <= 3


def test_a_task_that_can_never_get_a_slot_deadlocks_the_run():
    tasks = [{"task_id": "huge", "operator": "python", "pool": "p", "pool_slots": 5}, "after"]
    doc = dag_doc(tasks, [["huge", "after"]], pools={"p": 2})
    assert [p.code for p in engine.validate_dag(doc)] == ["pool_too_small"]
    trace = run(doc)
    assert trace.run_state.value == "failed"
    assert trace.states == {"huge": "none", "after": "none"}
    assert "never ran: needs 5 slot(s) of pool `p`" in trace.explain("huge")[0]


def test_retries_wait_their_delay_when_nothing_else_runs():
    doc = dag_doc(
        [{"task_id": "flaky", "operator": "python", "retries": 2, "retry_delay_s": 60}], []
    )
    trace = run(doc, {"outcomes": {"flaky": {"fail_times": 2}}})
    assert [(t["start"], t["state"]) for t in trace.tries()] == [
        (0, "up_for_retry"),
        (61, "up_for_retry"),
        (122, "success"),
    ]
    assert trace.states == {"flaky": "success"}


def test_xcom_pull_finds_values_of_successful_upstreams_only():
    tasks = [
        {"task_id": "train", "operator": "python", "xcom_push": {"model_id": "m-1"}},
        {"task_id": "broken", "operator": "python", "xcom_push": {"x": 1}},
        {
            "task_id": "deploy",
            "operator": "python",
            "trigger_rule": "all_done",
            "xcom_pull": [
                {"task_id": "train", "key": "model_id"},
                {"task_id": "broken", "key": "x"},
            ],
        },
    ]
    trace = run(
        dag_doc(tasks, [["train", "deploy"], ["broken", "deploy"]]),
        {"outcomes": {"broken": "failed"}},
    )
    pulls = [(x["from"], x["value"], x["found"]) for x in trace.xcom if x["op"] == "pull"]
    assert pulls == [("train", "m-1", True), ("broken", None, False)]


def test_explain_gives_the_chain_of_causes(umbrella):
    doc = dict(umbrella)
    trace = run(doc, {"outcomes": {"fetch_weather": "failed"}})
    chain = trace.explain("deploy_model")
    assert chain[0].startswith("deploy_model upstream_failed: trigger rule all_success")
    assert chain[-1].startswith("fetch_weather failed: try 1 failed (scenario: fails every try)")


def test_branch_skip_reason_names_the_branch_and_its_choice():
    doc = dag_doc(
        [{"task_id": "pick", "operator": "branch"}, "old", "new"],
        [["pick", "old"], ["pick", "new"]],
    )
    trace = run(doc, {"outcomes": {"pick": {"branch": ["new"]}}})
    assert trace.explain("old") == [
        "old skipped: skipped by branch pick (it chose new)",
        "pick success: try 1 succeeded; branch chose new",
    ]


def test_a_branch_choosing_an_unknown_task_fails_like_airflow():
    doc = dag_doc([{"task_id": "pick", "operator": "branch"}, "a"], [["pick", "a"]])
    trace = run(doc, {"outcomes": {"pick": {"branch": ["ghost"]}}})
    assert trace.states == {"pick": "failed", "a": "upstream_failed"}
    assert [w.code for w in trace.warnings] == ["branch_unknown_task"]


def test_the_same_inputs_give_the_same_trace(umbrella):
    scenario = {"outcomes": {"fetch_weather": {"fail_times": 1}}}
    assert run(umbrella, scenario).to_dict() == run(umbrella, scenario).to_dict()


def test_critical_path_follows_the_longest_chain():
    tasks = [
        {"task_id": "a", "operator": "python", "duration_s": 5},
        {"task_id": "b", "operator": "python", "duration_s": 1},
        {"task_id": "c", "operator": "python", "duration_s": 2},
    ]
    trace = run(dag_doc(tasks, [["a", "c"], ["b", "c"]]))
    assert trace.critical_path() == ["a", "c"] and trace.makespan_s == 7


def test_cancel_fails_running_tries_and_skips_the_rest():
    dag = engine.load_dag(dag_doc(["a", "b"], [["a", "b"]]))
    run_ = RunScheduler(compile_dag(dag), engine.load_scenario(dag, {}))
    run_.settle(0)
    assert run_.start_ready(0) == [0]
    assert run_.cancel(0.5) == [0]
    assert [s.value for s in run_.state] == ["failed", "skipped"]
    assert run_.run_state().value == "cancelled"


D = datetime(2024, 3, 1, tzinfo=UTC)


@pytest.mark.parametrize(
    ("schedule", "now", "latest"),
    [
        ("@daily", D, False),
        ("@daily", datetime(2024, 3, 1, 0, 0, 1, tzinfo=UTC), True),
        ("@daily", datetime(2024, 3, 3, tzinfo=UTC), True),
        ("@daily", datetime(2024, 3, 3, 0, 0, 1, tzinfo=UTC), False),
        ("@once", datetime(2030, 1, 1, tzinfo=UTC), True),
        (None, datetime(2030, 1, 1, tzinfo=UTC), True),
        ("@daily", None, True),
    ],
)
def test_latest_only_window_is_left_open_right_closed(schedule, now, latest):
    assert is_latest_run(schedule, D, now) is latest


def test_latest_only_window_for_a_cron_ends_with_the_next_interval():
    assert latest_only_window("0 6 * * *", datetime(2024, 3, 1, 6, tzinfo=UTC)) == (
        datetime(2024, 3, 1, 6, tzinfo=UTC),
        datetime(2024, 3, 3, 6, tzinfo=UTC),
    )
