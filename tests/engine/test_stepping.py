"""Live executors rebuild the run from persisted task instances at every step; the answer
must not change."""

import heapq

import pytest

import engine
from engine.compiled import compile_dag
from engine.scheduler import RunScheduler
from engine.states import FINISHED, TaskState

from .conftest import conformance_cases

CASES = conformance_cases()


def step_with_restore(case: dict) -> dict[str, str]:
    dag = engine.load_dag(case["dag"])
    scenario = engine.load_scenario(dag, case["scenario"])
    c = compile_dag(dag)
    run = RunScheduler(c, scenario)
    run.settle(0.0)
    in_flight = [(c.duration[i], i, run.tries[i]) for i in run.start_ready(0.0)]
    heapq.heapify(in_flight)
    while in_flight or run.next_retry_time() is not None:
        t = in_flight[0][0] if in_flight else run.next_retry_time()
        snapshot = {c.ids[i]: (run.state[i], run.tries[i], None) for i in range(c.size)}
        for due, i in run.retry_due:
            snapshot[c.ids[i]] = (run.state[i], run.tries[i], due)
        run = RunScheduler.restore(c, scenario, snapshot, deadlocked=run.deadlocked)
        ending = []
        while in_flight and in_flight[0][0] <= t:
            ending.append(heapq.heappop(in_flight))
        for _, i, try_no in sorted(ending, key=lambda e: e[1]):
            run.complete_try(i, try_no, t)
        run.release_due_retries(t)
        run.settle(t)
        for i in run.start_ready(t):
            heapq.heappush(in_flight, (t + c.duration[i], i, run.tries[i]))
    return {c.ids[i]: (s.value if s in FINISHED else "none") for i, s in enumerate(run.state)}


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_a_run_restored_at_every_step_ends_like_airflow(case):
    assert step_with_restore(case) == {k: (v or "none") for k, v in case["expected"].items()}


def test_restore_maps_queued_tries_to_slots_held():
    doc = {
        "dag_id": "d",
        "max_active_tasks": 1,
        "tasks": [{"task_id": "a", "operator": "python"}, {"task_id": "b", "operator": "python"}],
        "edges": [],
    }
    dag = engine.load_dag(doc)
    scenario = engine.load_scenario(dag, {})
    c = compile_dag(dag)
    run = RunScheduler.restore(
        c, scenario, {"a": (TaskState.QUEUED, 1, None), "b": (TaskState.NONE, 0, None)}
    )
    run.settle(0.0)
    assert run.start_ready(0.0) == []  # the queued try of a holds the only slot
    run.complete_try(c.index["a"], 1, 1.0)
    run.settle(1.0)
    assert run.start_ready(1.0) == [c.index["b"]]
