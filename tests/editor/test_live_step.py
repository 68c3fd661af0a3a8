"""The live run's scheduling step (editor/live.py through runs.advance_live_run), driven by hand.

No executor here: the test plays the executor's part, waking the run at the simulated times the
steps ask for, sometimes twice or late, and checks the database against the instant simulation.
The real executors, the worker and the websocket are tested in tests/live/.
"""

import heapq
import json
from pathlib import Path

import pytest

import engine
from editor import dags, live, runs
from editor.executors import wakeups
from editor.models import FINISHED_TASK_STATES, Run, RunEvent, RunMode, TaskInstance

pytestmark = pytest.mark.django_db

CASES_DIR = Path(__file__).resolve().parents[3] / "shared" / "conformance" / "cases"
FINISHED = {str(s) for s in FINISHED_TASK_STATES}
CASES = [json.loads(p.read_text()) for p in sorted(CASES_DIR.glob("*.json"))]


@pytest.fixture
def owner(django_user_model):
    # No password: hashing one costs a third of a second, and these tests never log in.
    return django_user_model.objects.create(username="alice")


def start_live(owner, document: dict, scenario: dict, speed: float = 1000.0) -> Run:
    dag = dags.create_dag(owner, document, {}, {})
    return runs.start_run(dag, scenario, mode=RunMode.LIVE, speed=speed)


def drive(run: Run, *, restore_each_step: bool = True, repeat: bool = False) -> None:
    """Wake the run at every simulated time its steps ask for, as an executor would."""
    pending: list[float] = []

    def advance(until):
        if restore_each_step:
            live.forget(run.pk)
        step = runs.advance_live_run(run.pk, until)
        if step is not None:
            for t, _delay in wakeups(run.speed, step):
                heapq.heappush(pending, t)
        if repeat and until is not None:
            before = Run.objects.get(pk=run.pk).last_seq
            again = runs.advance_live_run(run.pk, until)
            assert again is None or again.empty
            assert Run.objects.get(pk=run.pk).last_seq == before

    advance(None)
    while pending:
        advance(heapq.heappop(pending))


def instant(document: dict, scenario: dict) -> engine.Trace:
    dag = engine.load_dag(document)
    return engine.simulate(dag, engine.load_scenario(dag, scenario))


def task_events(run: Run) -> list[tuple]:
    return list(
        RunEvent.objects.filter(run=run)
        .exclude(task_id=None)
        .order_by("seq")
        .values_list("sim_time", "task_id", "try_number", "from_state", "to_state", "reason")
    )


def per_instant_and_task(events: list[tuple]) -> list[tuple]:
    # The causes a trigger-rule reason names in brackets are rendered when the text is made:
    # at the time for a live run, with hindsight for an instant one. The rule and counts agree.
    events = [(*e[:5], e[5].split(" (")[0]) for e in events]
    return sorted(events, key=lambda e: (e[0], e[1]))  # stable: a task's own order is kept


def states(run: Run) -> dict[str, str]:
    return dict(TaskInstance.objects.filter(run=run).values_list("task_id", "state"))


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_a_live_run_logs_exactly_the_instant_simulations_events(owner, case):
    run = start_live(owner, case["dag"], case["scenario"])
    drive(run, repeat=True)
    trace = instant(case["dag"], case["scenario"])
    expected = [
        (e["time"], e["task_id"], e["try_number"], e["from_state"], e["to_state"], e["reason"])
        for e in trace.events()
    ]
    # Within one instant the order among tasks decided in the same scheduler pass is not part
    # of the answer (a restored scheduler visits them in task_id order); per task it is.
    assert per_instant_and_task(task_events(run)) == per_instant_and_task(expected)
    run.refresh_from_db()
    assert run.state == trace.run_state.value
    assert run.last_seq == len(expected) + 2  # plus "run started" and "run finished"
    seqs = list(RunEvent.objects.filter(run=run).order_by("seq").values_list("seq", flat=True))
    assert seqs == list(range(1, run.last_seq + 1))
    finished = {k: v for k, v in states(run).items() if v in FINISHED}
    assert finished == {k: v for k, v in trace.states.items() if v != "none"}
