"""editor/runs.py, the one module that changes runs: transitions, cancel, the event log's seq."""

import threading

import pytest
from django.db import connection

from editor import runs
from editor.models import Run, RunEvent, RunMode, TaskInstance

pytestmark = pytest.mark.django_db


@pytest.fixture
def live_run(dag):
    return runs.start_run(dag, dag.scenarios["new ERP system"], mode=RunMode.LIVE, speed=5)


def seqs(run):
    return list(RunEvent.objects.filter(run=run).order_by("seq").values_list("seq", flat=True))


def test_a_transition_moves_the_task_and_logs_the_next_seq(live_run):
    event = runs.record_transition(
        live_run.pk, "start", "none", "scheduled", sim_time=0.0, reason="ready", try_number=0
    )
    assert event.seq == 1 and event.to_state == "scheduled"
    event = runs.record_transition(
        live_run.pk, "start", "scheduled", "running", sim_time=0.0, try_number=1, start=0.0
    )
    assert event.seq == 2
    ti = TaskInstance.objects.get(run=live_run, task_id="start")
    assert (ti.state, ti.try_number, ti.start) == ("running", 1, 0.0)
    assert Run.objects.get(pk=live_run.pk).last_seq == 2


def test_a_transition_from_a_state_the_task_has_left_changes_nothing(live_run):
    runs.record_transition(live_run.pk, "start", "none", "scheduled", sim_time=0.0)
    # A redelivered message repeating the same step must not log it twice.
    assert runs.record_transition(live_run.pk, "start", "none", "scheduled", sim_time=0.0) is None
    assert seqs(live_run) == [1]


def test_the_run_itself_changes_state_through_a_transition_with_no_task(live_run):
    event = runs.record_transition(live_run.pk, None, "queued", "running", sim_time=0.0)
    assert event.task_id is None
    run = Run.objects.get(pk=live_run.pk)
    assert run.state == "running" and run.started_at is not None
    runs.record_transition(live_run.pk, None, "running", "success", sim_time=9.0)
    run.refresh_from_db()
    assert run.state == "success" and run.ended_at is not None


def test_a_finished_run_ignores_late_transitions(live_run):
    runs.cancel_run(live_run)
    before = seqs(live_run)
    assert runs.record_transition(live_run.pk, "start", "skipped", "running", sim_time=1) is None
    assert seqs(live_run) == before


def test_cancel_fails_running_tries_and_skips_the_rest(live_run):
    runs.record_transition(live_run.pk, None, "queued", "running", sim_time=0.0)
    runs.record_transition(live_run.pk, "start", "none", "running", sim_time=0.0, try_number=1)
    run = runs.cancel_run(live_run, sim_time=0.5)
    assert run.state == "cancelled"
    states = dict(TaskInstance.objects.filter(run=run).values_list("task_id", "state"))
    assert states.pop("start") == "failed"
    assert set(states.values()) == {"skipped"}
    last = RunEvent.objects.filter(run=run).order_by("-seq").first()
    assert (last.task_id, last.from_state, last.to_state, last.sim_time) == (
        None,
        "running",
        "cancelled",
        0.5,
    )
    assert seqs(run) == list(range(1, run.last_seq + 1))


def test_an_instant_run_that_the_engine_refuses_saves_nothing(dag):
    import engine

    with pytest.raises(engine.InvalidDocument):
        runs.start_run(dag, {"outcomes": {"no_such_task": "failed"}})
    assert not Run.objects.exists()


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    connection.vendor == "sqlite", reason="SQLite has no row locks; PostgreSQL shows the race"
)
def test_concurrent_writers_never_skip_or_repeat_a_seq(dag):
    run = runs.start_run(dag, dag.scenarios["new ERP system"], mode=RunMode.LIVE)
    task_ids = list(TaskInstance.objects.filter(run=run).values_list("task_id", flat=True))
    barrier = threading.Barrier(len(task_ids))
    failures = []

    def move(task_id):
        from django.db import connection as thread_connection

        try:
            barrier.wait()
            runs.record_transition(run.pk, task_id, "none", "scheduled", sim_time=0.0)
            runs.record_transition(run.pk, task_id, "scheduled", "running", sim_time=0.0)
        except Exception as exc:  # reported below: a thread's exception would be lost
            failures.append(exc)
        finally:
            thread_connection.close()

    threads = [threading.Thread(target=move, args=(t,)) for t in task_ids]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
    assert seqs(run) == list(range(1, 2 * len(task_ids) + 1))
    assert Run.objects.get(pk=run.pk).last_seq == 2 * len(task_ids)
