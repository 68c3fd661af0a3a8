"""The one module that changes runs: start, record a transition, cancel.

API views, Celery tasks and websocket consumers all go through here, so the rules hold
everywhere: a run keeps its own copy of the DAG document and scenario; every change of a task
instance or of the run is written together with a RunEvent in the same transaction; RunEvent
seq numbers per run never skip or repeat.
"""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import Any

from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone

import engine

from . import convert, live, stream
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

log = logging.getLogger(__name__)


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
            # Due at once: if the executor never hears of the run, the sweep starts it.
            Run.objects.filter(pk=run.pk).update(wake_at=timezone.now())
            transaction.on_commit(lambda: _executor().start(run.pk))
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
        seq = _append_events(run, [event])
        return RunEvent.objects.get(run=run, seq=seq)


def cancel_run(run: Run, sim_time: float | None = None) -> Run:
    """Stop `run`: as Airflow does when a run is marked failed, running tries fail and tasks that
    have not finished are skipped; then the run becomes `cancelled`. A finished run is left as is.
    """
    with transaction.atomic():
        run = Run.objects.select_for_update().get(pk=run.pk)
        if run.is_finished:
            return run
        _stop(run, RunState.CANCELLED, sim_time, "the run was cancelled", "cancelled by the user")
    live.forget(run.pk)
    run.refresh_from_db()
    return run


def end_stalled_live_run(run_id: int, seq: int, stalled_s: float) -> bool:
    """Fail a live run that has made no progress (still at `seq`) for `stalled_s` seconds after
    its next step was due, e.g. because every step of it fails: no run stays running forever.
    Returns whether it was ended."""
    why = f"no progress for {stalled_s:.0f} s after its next step was due: ended by the sweep"
    with transaction.atomic():
        run = Run.objects.select_for_update().filter(pk=run_id, mode=RunMode.LIVE).first()
        if run is None or run.is_finished or run.last_seq != seq:
            return False
        _stop(run, RunState.FAILED, None, why, why)
    live.forget(run_id)
    return True


def _stop(run: Run, final: str, sim_time: float | None, task_reason: str, run_reason: str):
    """End `run` now (its row locked): running tries fail, unfinished tasks are skipped, tries
    in flight end, and the run takes state `final`."""
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
                "reason": task_reason,
                "sim_time": now_sim,
            }
        )
        TaskInstance.objects.filter(pk=ti.pk).update(state=to_state, reason=task_reason)
    # Tries still in flight end now (a skipped task's try included): nothing runs after.
    run.task_instances.filter(try_number__gt=0, start__isnull=False, end__isnull=True).update(
        end=now_sim
    )
    events.append(_run_change(run.state, final, now_sim, run_reason))
    _set_run_state(run, final)
    _append_events(run, events)


def _set_run_state(run: Run, state: str) -> None:
    now = timezone.now()
    changes: dict[str, Any] = {"state": state}
    if state == RunState.RUNNING and run.started_at is None:
        changes["started_at"] = now
    if state in {RunState.SUCCESS, RunState.FAILED, RunState.CANCELLED}:
        changes["ended_at"] = now
        changes["wake_at"] = None
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
    """The run's simulated clock now. A live run's clock has moved on since its last event at
    its speed, but never past its next due instant (wake_at), which no step has played yet."""
    last = run.events.order_by("-seq").values_list("sim_time", "wall_time").first()
    if last is None:
        return 0.0
    sim_time, wall_time = last
    if run.mode != RunMode.LIVE or run.state != RunState.RUNNING:
        return sim_time
    now = timezone.now()
    if run.wake_at is not None:
        now = min(now, run.wake_at)
    return sim_time + max(0.0, (now - wall_time).total_seconds()) * run.speed


def _append_events(
    run: Run,
    events: list[dict[str, Any]],
    wall_time=None,
    locked: bool = False,
    wait_sent: bool = True,
    **run_changes,
) -> int:
    """Append `events` to the run's log with the next seq numbers. Call inside a transaction.
    Returns the first seq written (0 if none).

    The counter is bumped with an UPDATE first: on PostgreSQL that locks the run's row until
    commit, on SQLite it takes the database's write lock, so concurrent writers queue up and
    each gets its own unbroken range of seq numbers. A caller that already holds the run's
    row lock (`locked`) knows the counter, and may fold other changes of the run into that
    UPDATE (`run_changes`).
    """
    if not events:
        if run_changes:
            Run.objects.filter(pk=run.pk).update(**run_changes)
        return 0
    if locked:
        last = run.last_seq + len(events)
        Run.objects.filter(pk=run.pk).update(last_seq=last, **run_changes)
    else:
        Run.objects.filter(pk=run.pk).update(last_seq=F("last_seq") + len(events), **run_changes)
        last = Run.objects.filter(pk=run.pk).values_list("last_seq", flat=True).get()
    first = last - len(events) + 1
    # Stamped after the run's UPDATE, just before the rows go in: as close to the commit as
    # the events' wall time can be.
    stamp = wall_time or timezone.now()
    _insert_events(run.pk, first, stamp, events)
    run.last_seq = last
    if run.mode == RunMode.LIVE:
        # The same dict convert.event_to_dict gives for the row, built without the row.
        wall = stamp.isoformat().replace("+00:00", "Z")
        run_id = run.pk
        items = [
            stream.encode({"run": run_id, "seq": first + i, "task_id": e["task_id"],
                           "try_number": e["try_number"], "from_state": e["from_state"],
                           "to_state": e["to_state"], "reason": e["reason"],
                           "sim_time": e["sim_time"], "wall_time": wall})
            for i, e in enumerate(events)
        ]  # fmt: skip
        transaction.on_commit(lambda: stream.broadcast(run_id, first, items, wait_sent))
    return first


_EVENT_COLUMNS = ("run_id", "seq", "task_id", "try_number", "from_state", "to_state", "reason",
                  "sim_time", "wall_time")  # fmt: skip


# From this many events on, PostgreSQL gets them by COPY: a multi-row INSERT of thousands of
# rows spends most of its time in the driver, parsing a query with a placeholder per value.
_COPY_FROM = 50


def _insert_events(run_id: int, first: int, stamp, events: list[dict[str, Any]]) -> None:
    """Insert RunEvent rows without building a model object for each: a step or an instant
    run may write thousands of events, and the ORM would cost more than the database."""
    table = connection.ops.quote_name(RunEvent._meta.db_table)
    columns = ", ".join(connection.ops.quote_name(c) for c in _EVENT_COLUMNS)
    wall = connection.ops.adapt_datetimefield_value(stamp)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql" and len(events) >= _COPY_FROM:
            with cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for i, e in enumerate(events, start=first):
                    copy.write_row((run_id, i, e["task_id"], e["try_number"], e["from_state"],
                                    e["to_state"], e["reason"], e["sim_time"], wall))  # fmt: skip
            return
        batch = max(1, min(_COPY_FROM, connection.ops.bulk_batch_size(_EVENT_COLUMNS, events)))
        row = "(" + ", ".join(["%s"] * len(_EVENT_COLUMNS)) + ")"
        for n in range(0, len(events), batch):
            chunk = events[n : n + batch]
            params: list[Any] = []
            for i, e in enumerate(chunk, start=first + n):
                params += [run_id, i, e["task_id"], e["try_number"], e["from_state"],
                           e["to_state"], e["reason"], e["sim_time"], wall]  # fmt: skip
            cursor.execute(
                f"INSERT INTO {table} ({columns}) VALUES {', '.join([row] * len(chunk))}", params
            )


# ----------------------------------------------------------------- live runs: the step


def advance_live_run(
    run_id: int,
    until: float | None = None,
    expected_seq: int | None = None,
    for_try: tuple[str, int] | None = None,
    catch_up: bool = False,
) -> live.Step | None:
    """One scheduling step of a live run, written as one transaction (editor/live.py plays it).

    ``until`` is the simulated time the caller woke up for (a try's end, a retry's due time):
    every instant up to it is played, so a late or duplicate wake-up changes nothing that an
    earlier one did not. ``until=None`` starts a queued run, or plays a running run's next
    instant; ``expected_seq`` then makes that a no-op unless the run is still where the caller
    (the sweep) saw it. ``for_try`` (task id, try number) names the try whose end woke the
    caller: once the lock is held, a try that an earlier step already ended means there is
    nothing to do (tries ending together wake one step each; the first plays them all).
    ``catch_up`` (the executors' wake-ups) also plays the instants the wall clock has reached
    since: a step that comes late, as every step does when a fast run outpaces the workers,
    does the work of the steps that would follow it, and the run keeps to its speed.
    Returns the step, or None if the run is finished, not live, or had nothing to do.

    The run's row stays locked until commit, so steps of one run (on any worker) follow one
    another; every task change is a conditional update from the state and try the step
    started from, written with its RunEvents; after commit the events are broadcast and the
    executor is told what to wake up for next.
    """
    if (
        expected_seq is not None
        and not Run.objects.filter(pk=run_id, last_seq=expected_seq).exists()
    ):
        return None  # moved on since the sweep looked: no need to wait for the lock
    try:
        with transaction.atomic():
            # The document is read only when this process has not compiled the run yet.
            run = (
                Run.objects.select_for_update()
                .filter(pk=run_id, mode=RunMode.LIVE)
                .defer("document", "scenario", "result")
                .first()
            )
            if run is None or run.is_finished:
                return None
            if expected_seq is not None and run.last_seq != expected_seq:
                return None
            try:
                compiled, scenario = live.compiled_for(run)
            except engine.InvalidDocument as exc:
                _end_unplayable(run, exc)
                return None
            state = live.take(run)
            if state is None:
                rows = list(
                    run.task_instances.values_list("task_id", "state", "try_number", "start", "end")
                )
                begun = run.state != RunState.QUEUED
                state = live.LiveRun.from_rows(compiled, scenario, rows, begun, run.deadlocked)
            if for_try is not None and not state.try_open(*for_try):
                live.keep(run, run.last_seq, state)  # unchanged: the next step can use it
                return None
            clock = _clock(run, state) if catch_up else None
            step = state.step(run.pk, until, clock)
            step.run_key = live.run_key(run)
            if not step.empty:
                _write_step(run, step, until, clock)
            if step.final_state is not None:
                _record_live_result_safely(run_id)  # with the run's end, in its transaction
            seq, speed = run.last_seq, run.speed
            transaction.on_commit(lambda: live.keep(run, seq, state))
            transaction.on_commit(lambda: live.mark_played(step.run_key, step.played_to))
            if not step.empty:
                transaction.on_commit(lambda: _executor().after_step(run_id, speed, step, seq))
                # The broadcast went out first; the next tries were dispatched meanwhile.
                transaction.on_commit(stream.wait_sent)
    except BaseException:
        live.forget(run_id)
        raise
    return step


def record_live_result(run_id: int) -> bool:
    """Give a live run that played to its end the trace an instant run has (timeline, reasons,
    critical path). A live run plays exactly the instants ``engine.simulate`` plays, so its trace
    is the simulation's; it is stored only if the run's final task states and state agree with
    it (a cancelled or stalled run keeps none). Returns whether it was stored."""
    run = Run.objects.filter(pk=run_id, mode=RunMode.LIVE, result__isnull=True).first()
    if run is None or run.state not in {RunState.SUCCESS, RunState.FAILED}:
        return False
    dag = convert.engine_dag(run.document)
    result = engine.simulate(dag, convert.engine_scenario(dag, run.scenario)).to_dict()
    played = dict(run.task_instances.values_list("task_id", "state"))
    if played != result["states"] or result["run_state"] != run.state:
        log.warning("live run %s ended unlike its simulation; no trace stored", run_id)
        return False
    return bool(
        Run.objects.filter(pk=run_id, state=run.state, result__isnull=True).update(result=result)
    )


def _record_live_result_safely(run_id: int) -> None:
    # A trace that cannot be stored must not undo the step that ended the run: a savepoint.
    try:
        with transaction.atomic():
            record_live_result(run_id)
    except Exception:
        log.exception("live run %s: could not store its trace", run_id)


def _clock(run: Run, state: live.LiveRun) -> float | None:
    """The run's simulated time by the wall clock, if its next instant is overdue: that
    instant was due at ``wake_at``, and the run's clock has gone on from there at its speed."""
    due = state.next_due()
    if due is None or run.wake_at is None:
        return None
    late = (timezone.now() - run.wake_at).total_seconds()
    return due + late * run.speed if late > 0 else None


def _write_step(run: Run, step: live.Step, until: float | None, clock: float | None) -> None:
    """Write a step played with ``state.step(run.pk, until, clock)``; the caller holds the
    run's row lock."""
    events = []
    if step.began:
        events.append(_run_change(RunState.QUEUED, RunState.RUNNING, 0.0, "run started"))
        _set_run_state(run, RunState.RUNNING)
    events += step.transitions
    _apply_changes(run, step.changes)
    if step.final_state is not None:
        events.append(
            _run_change(RunState.RUNNING, step.final_state, step.sim_time, "run finished")
        )
        _set_run_state(run, step.final_state)
        wake_at = None
    now = timezone.now()
    if step.final_state is None:
        ahead = max(0.0, step.next_due - step.sim_time) / run.speed
        wake_at = now + timedelta(seconds=ahead)
    record = live.step_record(step, run.last_seq, run.last_seq + len(events), until, clock)
    recent = [*(run.recent_steps or []), record][-live.RECENT_STEPS :]
    changes: dict[str, Any] = {"wake_at": wake_at, "recent_steps": recent}
    if step.deadlocked:
        changes["deadlocked"] = True
    # The step's last commit hook waits for the broadcast (advance_live_run).
    _append_events(run, events, locked=True, wait_sent=False, **changes)


# Task changes per UPDATE: well under every database's limit on query parameters.
_UPDATE_CHUNK = 500


def _apply_changes(run: Run, changes: list[live.TaskChange]) -> None:
    """Write a step's task changes, each conditional on its row still being as the step found
    it (same state, same try, try in flight or not): a row that moved meanwhile fails the whole
    step, which then writes nothing.

    One UPDATE joins the rows to a VALUES list of (task, expected, new) tuples: a step may
    change hundreds of task instances, and one statement per task would dominate its cost.
    The SQL is the subset PostgreSQL and SQLite (3.33+) share.
    """
    table = connection.ops.quote_name(TaskInstance._meta.db_table)
    end = connection.ops.quote_name("end")
    row = (
        "(CAST(%s AS text), CAST(%s AS text), CAST(%s AS integer), CAST(%s AS integer),"
        " CAST(%s AS text), CAST(%s AS integer), CAST(%s AS double precision),"
        " CAST(%s AS double precision), CAST(%s AS text))"
    )
    for n in range(0, len(changes), _UPDATE_CHUNK):
        chunk = changes[n : n + _UPDATE_CHUNK]
        params: list[Any] = []
        for ch in chunk:
            params += [ch.task_id, ch.from_state, ch.from_try, int(ch.was_open), ch.state,
                       ch.try_number, ch.start, ch.end, ch.reason]  # fmt: skip
        params.append(run.pk)
        sql = (
            f"UPDATE {table} SET state = v.column5, try_number = v.column6, start = v.column7,"
            f" {end} = v.column8, reason = v.column9"
            f" FROM (VALUES {', '.join([row] * len(chunk))}) AS v"
            f" WHERE {table}.run_id = %s AND {table}.task_id = v.column1"
            f" AND {table}.state = v.column2 AND {table}.try_number = v.column3"
            f" AND (v.column4 = 0 OR {table}.{end} IS NULL)"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            moved = cursor.rowcount
        if moved != len(chunk):
            raise live.StepConflict(
                f"run {run.pk}: {len(chunk) - moved} of {len(chunk)} task instances were no "
                "longer in the state and try the step started from"
            )


def _end_unplayable(run: Run, exc: engine.InvalidDocument) -> None:
    """A run whose stored DAG the engine no longer accepts can make no progress: end it."""
    message = "; ".join(p.message for p in exc.problems) or str(exc)
    events = []
    if run.state == RunState.QUEUED:
        events.append(_run_change(RunState.QUEUED, RunState.RUNNING, 0.0, "run started"))
    events.append(
        _run_change(
            RunState.RUNNING,
            RunState.FAILED,
            _latest_sim_time(run),
            f"the run's DAG can no longer be simulated: {message}",
        )
    )
    _set_run_state(run, RunState.FAILED)
    _append_events(run, events)


def claim_overdue_live_runs(grace_s: float, limit: int = 200) -> list[tuple[int, int]]:
    """Live runs whose next step is more than ``grace_s`` late, as (run id, last seq), the
    latest first, at most ``limit`` of them.

    Each is given another ``grace_s`` before it counts as overdue again, so a sweep that finds
    the workers down (or far behind) does not queue up one wake-up per run on every pass.
    """
    now = timezone.now()
    overdue = list(
        Run.objects.filter(
            mode=RunMode.LIVE,
            state__in=[RunState.QUEUED, RunState.RUNNING],
            wake_at__lt=now - timedelta(seconds=grace_s),
        )
        .order_by("wake_at")
        .values_list("pk", "last_seq")[:limit]
    )
    for run_id, seq in overdue:
        Run.objects.filter(pk=run_id, last_seq=seq).update(wake_at=now + timedelta(seconds=grace_s))
    # A live run that has no wake-up time and has not finished was never scheduled: give it one.
    Run.objects.filter(
        mode=RunMode.LIVE, state__in=[RunState.QUEUED, RunState.RUNNING], wake_at__isnull=True
    ).update(wake_at=now)
    return overdue


def unfinished_live_runs() -> list[tuple[int, int, Any]]:
    """(run id, last seq, wake_at) of every live run that has not finished."""
    return list(
        Run.objects.filter(
            mode=RunMode.LIVE, state__in=[RunState.QUEUED, RunState.RUNNING]
        ).values_list("pk", "last_seq", "wake_at")
    )


def _executor():
    from .executors import current

    return current()
