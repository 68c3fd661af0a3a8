"""The one module that changes runs: start, record a transition, cancel.

API views, Celery tasks and websocket consumers all go through here, so the rules hold
everywhere: a run keeps its own copy of the DAG document and scenario; every change of a task
instance or of the run is written together with a RunEvent in the same transaction; RunEvent
seq numbers per run never skip or repeat.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import F
from django.utils import timezone

import engine

from . import convert
from .models import (
    FINISHED_TASK_STATES,
    Dag,
    Run,
    RunEvent,
    RunMode,
    RunState,
    TaskInstance,
    TaskState,
)


def start_run(
    dag: Dag,
    scenario: dict,
    mode: str = RunMode.INSTANT,
    speed: float = 1.0,
    scenario_name: str = "",
) -> Run:
    """Start a run of `dag` under `scenario`; raises engine.InvalidDocument, saving nothing.

    An instant run is simulated at once: the run, its task instances and its whole event log are
    saved in one transaction and the run comes back finished, with the trace as `result`.
    A live run comes back queued, with every task instance in state `none`, for the live-run
    executor to drive step by step through record_transition.
    """
    engine_dag = convert.engine_dag(dag.document)
    engine_scenario = convert.engine_scenario(engine_dag, scenario)
    with transaction.atomic():
        run = Run.objects.create(
            dag=dag,
            document=dag.document,
            scenario=scenario,
            scenario_name=scenario_name,
            mode=mode,
            speed=speed,
            state=RunState.QUEUED,
        )
        if mode == RunMode.INSTANT:
            _simulate_now(run, engine_dag, engine_scenario)
        else:
            TaskInstance.objects.bulk_create(
                TaskInstance(run=run, task_id=task_id) for task_id in convert.task_ids(run.document)
            )
    return run


def _simulate_now(run: Run, engine_dag: engine.Dag, engine_scenario: engine.Scenario) -> None:
    result = engine.simulate(engine_dag, engine_scenario).to_dict()
    now = timezone.now()
    TaskInstance.objects.bulk_create(convert.task_instances_from_result(run, result))
    final_state = result["run_state"]
    events = (
        [_run_change(RunState.QUEUED, RunState.RUNNING, 0.0, "run started")]
        + convert.events_from_result(result)
        + [_run_change(RunState.RUNNING, final_state, result["makespan_s"], "run finished")]
    )
    _append_events(run, events, wall_time=now)
    Run.objects.filter(pk=run.pk).update(
        state=final_state, result=result, started_at=now, ended_at=now
    )
    run.refresh_from_db()


def record_transition(
    run_id: int,
    task_id: str | None,
    from_state: str,
    to_state: str,
    *,
    sim_time: float,
    reason: str = "",
    try_number: int | None = None,
    start: float | None = None,
    end: float | None = None,
) -> RunEvent | None:
    """Move a task instance (or, with task_id None, the run) from `from_state` to `to_state`.

    The change applies only if the row is still in `from_state` and the run has not finished;
    otherwise nothing changes and None comes back. That makes a redelivered or late message
    (a Celery retry, a try finishing after a cancel) harmless.
    """
    with transaction.atomic():
        run = Run.objects.select_for_update().get(pk=run_id)
        if run.is_finished:
            return None
        if task_id is None:
            if run.state != from_state:
                return None
            _set_run_state(run, to_state)
        else:
            changes: dict[str, Any] = {"state": to_state}
            if try_number is not None:
                changes["try_number"] = try_number
            if start is not None:
                changes["start"] = start
            if end is not None:
                changes["end"] = end
            if reason:
                changes["reason"] = reason
            moved = TaskInstance.objects.filter(run=run, task_id=task_id, state=from_state).update(
                **changes
            )
            if not moved:
                return None
        event = {
            "task_id": task_id,
            "try_number": try_number,
            "from_state": from_state,
            "to_state": to_state,
            "reason": reason,
            "sim_time": sim_time,
        }
        return _append_events(run, [event])[0]


def cancel_run(run: Run, sim_time: float | None = None) -> Run:
    """Stop `run`: as Airflow does when a run is marked failed, running tries fail and tasks that
    have not finished are skipped; then the run becomes `cancelled`. A finished run is left as is.
    """
    with transaction.atomic():
        run = Run.objects.select_for_update().get(pk=run.pk)
        if run.is_finished:
            return run
        now_sim = sim_time if sim_time is not None else _latest_sim_time(run)
        events = []
        unfinished = run.task_instances.exclude(state__in=FINISHED_TASK_STATES).order_by("task_id")
        for ti in unfinished:
            to_state = TaskState.FAILED if ti.state == TaskState.RUNNING else TaskState.SKIPPED
            events.append(
                {
                    "task_id": ti.task_id,
                    "try_number": ti.try_number or None,
                    "from_state": ti.state,
                    "to_state": to_state,
                    "reason": "the run was cancelled",
                    "sim_time": now_sim,
                }
            )
            TaskInstance.objects.filter(pk=ti.pk).update(
                state=to_state, reason="the run was cancelled"
            )
        events.append(_run_change(run.state, RunState.CANCELLED, now_sim, "cancelled by the user"))
        _set_run_state(run, RunState.CANCELLED)
        _append_events(run, events)
    run.refresh_from_db()
    return run


def _set_run_state(run: Run, state: str) -> None:
    now = timezone.now()
    changes: dict[str, Any] = {"state": state}
    if state == RunState.RUNNING and run.started_at is None:
        changes["started_at"] = now
    if state in {RunState.SUCCESS, RunState.FAILED, RunState.CANCELLED}:
        changes["ended_at"] = now
    Run.objects.filter(pk=run.pk).update(**changes)
    for name, value in changes.items():
        setattr(run, name, value)


def _run_change(from_state: str, to_state: str, sim_time: float, reason: str) -> dict[str, Any]:
    return {
        "task_id": None,
        "try_number": None,
        "from_state": str(from_state),
        "to_state": str(to_state),
        "reason": reason,
        "sim_time": sim_time,
    }


def _latest_sim_time(run: Run) -> float:
    last = run.events.order_by("-seq").values_list("sim_time", flat=True).first()
    return last or 0.0


def _append_events(run: Run, events: list[dict[str, Any]], wall_time=None) -> list[RunEvent]:
    """Append `events` to the run's log with the next seq numbers. Call inside a transaction.

    The counter is bumped with an UPDATE first: on PostgreSQL that locks the run's row until
    commit, on SQLite it takes the database's write lock, so concurrent writers queue up and
    each gets its own unbroken range of seq numbers.
    """
    if not events:
        return []
    Run.objects.filter(pk=run.pk).update(last_seq=F("last_seq") + len(events))
    last = Run.objects.filter(pk=run.pk).values_list("last_seq", flat=True).get()
    first = last - len(events) + 1
    stamp = wall_time or timezone.now()
    rows = RunEvent.objects.bulk_create(
        RunEvent(run=run, seq=first + i, wall_time=stamp, **event) for i, event in enumerate(events)
    )
    run.last_seq = last
    return rows
