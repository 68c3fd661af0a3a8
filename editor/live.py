"""The scheduling step of a live run: the engine's rules played one simulated instant at a time.

A live run's state is owned by the database (its TaskInstance rows). A step rebuilds the
engine's RunScheduler from those rows (``RunScheduler.restore``), or reuses the one this process
kept after its last step (replaying the steps other processes wrote since, ``Run.recent_steps``),
then plays the run forward exactly as ``engine.simulate`` does, up to the simulated time the
caller names (a try's end, a retry falling due; a late step also plays what the wall clock has
reached since): tries ending at one instant are applied together in task_id
order, then the scheduler passes, then the tries that slots allow start. Because the step is the
same discrete-event loop as the instant simulation, a live run ends in the same states however
late or out of order its wake-ups arrive; wall-clock time only paces it.

This module only computes; ``editor/runs.py`` writes a step (conditional updates + RunEvents in
one transaction) and the executors (``editor/executors/``) pace the next one.
"""

from __future__ import annotations

import hashlib
import heapq
import math
import threading
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Any

from django.core.cache import cache

import engine
from engine.compiled import CompiledDag, compile_dag
from engine.reasons import Reason
from engine.scheduler import RunScheduler
from engine.simulation import TIME_RESOLUTION
from engine.states import FINISHED
from engine.states import TaskState as EngineState
from engine.trace import Trace

from . import convert

RUNNING = EngineState.RUNNING
SCHEDULED = EngineState.SCHEDULED
NONE = EngineState.NONE


@dataclass(slots=True)
class TaskChange:
    """One task instance's net change in a step, and the row state it must change from."""

    task_id: str
    from_state: str
    from_try: int
    was_open: bool  # a try was in flight (start set, end not yet) when the step began
    state: str
    try_number: int
    start: float | None
    end: float | None
    reason: str = ""


@dataclass
class Step:
    """What one scheduling step did, for editor/runs.py to write and the executor to pace."""

    run_id: int
    began: bool = False  # the run went from queued to running at simulated time 0
    transitions: list[dict[str, Any]] = field(default_factory=list)  # RunEvent fields
    changes: list[TaskChange] = field(default_factory=list)
    # Tries started in this step and still in flight: (task_id, try_number, start, end).
    started: list[tuple[str, int, float, float]] = field(default_factory=list)
    sim_time: float = 0.0  # the last instant played (the run's clock if none was)
    next_due: float | None = None  # the next instant: a try's end, or a retry when none runs
    final_state: str | None = None  # the run's state when this step ended it
    waits_for_retry: bool = False  # nothing in flight; next_due is a retry falling due
    played_to: float = 0.0  # every try ending at or before this has been applied
    deadlocked: bool = False  # the engine failed the run in this step: nothing more starts
    run_key: str = ""  # names this run (not another with a reused id) in shared caches

    @property
    def empty(self) -> bool:
        return (
            not self.began
            and not self.transitions
            and self.final_state is None
            and not self.deadlocked
        )


class LiveRun:
    """The engine's view of one live run between steps: scheduler, tries in flight, clock."""

    def __init__(self, compiled: CompiledDag, scheduler: RunScheduler, begun: bool) -> None:
        self.c = compiled
        self.run = scheduler
        self.begun = begun
        # (simulated end, task index, try number): every try started and not yet ended,
        # including tries whose task was skipped meanwhile (their end still wakes the scheduler,
        # as in the instant simulation).
        self.in_flight: list[tuple[float, int, int]] = []
        # What the database rows say now, per task index.
        self.rows: list[Row] = []
        self.clock = 0.0  # the last instant played (simulated seconds)

    @classmethod
    def from_rows(
        cls,
        compiled: CompiledDag,
        scenario: engine.Scenario,
        rows: list[tuple[str, str, int, float | None, float | None]],
        begun: bool,
        deadlocked: bool = False,
    ) -> LiveRun:
        """Rebuild from TaskInstance rows (task_id, state, try_number, start, end) and the
        run's deadlock flag (history, not derivable from the rows)."""
        c = compiled
        snapshot: dict[str, tuple[EngineState, int, float | None]] = {}
        in_flight = []
        table: list[Row] = [(NONE.value, 0, None, None)] * c.size
        for task_id, state, try_number, start, end in rows:
            i = c.index[task_id]
            st = EngineState(state)
            retry_at = None
            if st is EngineState.UP_FOR_RETRY:
                retry_at = (end or 0.0) + c.retry_delay[i]
            snapshot[task_id] = (st, try_number, retry_at)
            table[i] = (state, try_number, start, end)
            if is_open(table[i]):
                in_flight.append((round(start + c.duration[i], 9), i, try_number))
        scheduler = RunScheduler.restore(c, scenario, snapshot, deadlocked=deadlocked)
        live = cls(c, scheduler, begun)
        heapq.heapify(in_flight)
        live.in_flight = in_flight
        live.rows = table
        live.clock = max((t for row in table for t in row[2:] if t is not None), default=0.0)
        return live

    # ----------------------------------------------------------------- the step

    def step(self, run_id: int, until: float | None, catch_up: float | None = None) -> Step:
        """Play every instant up to ``until`` (simulated seconds); ``None`` plays the next one.

        ``catch_up`` (the run's clock by the wall clock, past ``until`` when the step is late)
        plays on to the instants the wall clock has reached too, but stops before one that
        ends a try started in this step: every try keeps its own wake-up (a Celery task), and
        a late step plays what many late wake-ups would have, in the same order.
        A run that has not begun plays its first instant (time 0) only.
        """
        run = self.run
        step = Step(run_id, sim_time=self.clock)
        n0 = len(run.rec)
        was_deadlocked = run.deadlocked
        if not self.begun:
            self.begun = step.began = True
            run.settle(0.0)
            self._start(0.0)
        else:
            limit = None if until is None else until + TIME_RESOLUTION
            reach = limit
            if limit is not None and catch_up is not None:
                reach = max(limit, catch_up + TIME_RESOLUTION)
            first_fresh_end = math.inf  # the earliest end of a try this step started
            played = False
            while True:
                # As engine.simulate: wake at the next try's end; wait for a retry only when
                # nothing runs (Airflow starts a retry that fell due mid-run at the next end).
                t = self.in_flight[0][0] if self.in_flight else run.next_retry_time()
                if t is None or (limit is None and played):
                    break
                if limit is not None and t > limit:
                    if t > reach or t >= first_fresh_end - TIME_RESOLUTION:
                        break
                played = True
                step.sim_time = self.clock = t
                ending = []
                while self.in_flight and self.in_flight[0][0] <= t + TIME_RESOLUTION:
                    ending.append(heapq.heappop(self.in_flight))
                ending.sort(key=lambda e: e[1])  # one instant: task_id order
                for _, i, try_no in ending:
                    run.complete_try(i, try_no, t)
                run.release_due_retries(t)
                run.settle(t)
                first_fresh_end = min(first_fresh_end, self._start(t))
        step.deadlocked = run.deadlocked and not was_deadlocked
        step.played_to = step.sim_time if until is None else max(until, step.sim_time)
        if self.in_flight:
            step.next_due = self.in_flight[0][0]
            # A try not applied yet must not look played (its wake-up would do nothing).
            step.played_to = min(step.played_to, step.next_due - TIME_RESOLUTION)
        else:
            step.next_due = run.next_retry_time()
            step.waits_for_retry = step.next_due is not None
        if step.next_due is None:
            # Nothing runs and nothing will: the run is over. A deadlock leaves tasks
            # unfinished and says so, as the instant simulation does.
            for i, st in enumerate(run.state):
                if st not in FINISHED:
                    run.rec.add(step.sim_time, i, run.tries[i], st, st, Reason.DEADLOCK, 0)
            step.final_state = run.run_state().value
        self._collect(step, n0)
        return step

    def replay(self, run_id: int, records: list[dict], seq: int, last_seq: int) -> bool:
        """Bring this copy of the run, taken at ``seq``, up to ``last_seq`` by replaying the
        steps other processes wrote since (``records``: the run's ``recent_steps``). The
        engine is deterministic, so the same state, wake-up time and catch-up time give the
        same step; each replayed step must match its record's digest. Returns whether it got
        there (if not, this copy is spoiled and the caller rebuilds from the rows)."""
        for record in records:
            if seq == last_seq:
                break
            if record["from"] != seq:
                continue
            try:
                step = self.step(run_id, record["until"], record["catch_up"])
            except StepConflict:
                return False
            if digest(step) != record["digest"]:
                return False
            seq = record["to"]
        return seq == last_seq

    def next_due(self) -> float | None:
        """The next instant to play: the earliest end in flight, else a retry falling due."""
        return self.in_flight[0][0] if self.in_flight else self.run.next_retry_time()

    def try_open(self, task_id: str, try_number: int) -> bool:
        """Whether that try is in flight (started, not yet applied), as the rows say."""
        i = self.c.index.get(task_id)
        return i is not None and is_open(self.rows[i]) and self.rows[i][1] == try_number

    def _start(self, t: float) -> float:
        """Start the tries that may start at ``t``; returns the earliest end among them."""
        run, duration = self.run, self.c.duration
        first_end = math.inf
        for i in run.start_ready(t):
            end = round(t + duration[i], 9)
            heapq.heappush(self.in_flight, (end, i, run.tries[i]))
            first_end = min(first_end, end)
        return first_end

    def _collect(self, step: Step, n0: int) -> None:
        """Turn the recorder's new entries into RunEvent fields and per-task row changes."""
        run, c, rows = self.run, self.c, self.rows
        trace = Trace(run, run.run_state(), [])
        ids = c.ids
        before: dict[int, Row] = {}
        after: dict[int, list[Any]] = {}  # [state, try, start, end, reason]
        started = []
        for e in range(n0, len(run.rec)):
            tr = run.rec.entry(e)
            i = tr.task
            row = after.get(i)
            if row is None:
                before[i] = rows[i]
                row = after[i] = [*rows[i], ""]
            from_state = tr.from_state.value
            if row[0] == SCHEDULED.value and tr.from_state is NONE:
                # RunScheduler.restore re-decides a task waiting for a slot; in the database
                # it never stopped being scheduled.
                if tr.to_state is SCHEDULED:
                    continue
                from_state = SCHEDULED.value
            if from_state != row[0]:
                raise StepConflict(
                    f"task {ids[i]}: the engine moves it from {from_state}, "
                    f"the database has it {row[0]}"
                )
            reason = trace.reason_text(e)
            step.transitions.append(
                {
                    "task_id": ids[i],
                    "try_number": tr.try_no,
                    "from_state": from_state,
                    "to_state": tr.to_state.value,
                    "reason": reason,
                    "sim_time": tr.time,
                }
            )
            row[0] = tr.to_state.value
            row[4] = reason
            if tr.reason is Reason.STARTED:
                row[1], row[2], row[3] = tr.try_no, tr.time, None
                started.append(i)
            elif tr.reason in TRY_ENDS:
                row[3] = tr.time
        for i, row in after.items():
            was = before[i]
            now: Row = (row[0], row[1], row[2], row[3])
            if now == was:
                continue  # only re-decided, or a deadlock noted: the row stays as it is
            step.changes.append(
                TaskChange(
                    task_id=ids[i],
                    from_state=was[0],
                    from_try=was[1],
                    was_open=is_open(was),
                    state=now[0],
                    try_number=now[1],
                    start=now[2],
                    end=now[3],
                    reason=row[4],
                )
            )
            rows[i] = now
        for i in started:
            _, try_no, start, _ = rows[i]
            if is_open(rows[i]) and try_no == run.tries[i]:
                step.started.append((ids[i], try_no, start, round(start + c.duration[i], 9)))


# How many steps a run remembers in ``Run.recent_steps``: a process whose copy of the run is
# older than that rebuilds it from the rows.
RECENT_STEPS = 8


def step_record(step: Step, from_seq: int, to_seq: int, until, catch_up) -> dict:
    """What a written step leaves in ``Run.recent_steps`` for ``LiveRun.replay``."""
    return {"from": from_seq, "to": to_seq, "until": until, "catch_up": catch_up,
            "digest": digest(step)}  # fmt: skip


def digest(step: Step) -> str:
    """A fingerprint of what a step did: every transition, the run's start, end and deadlock.

    Transitions are taken as a set: a scheduler rebuilt from rows may list the changes of one
    instant in another order than one kept since the run began (ties among equal priorities),
    and both are right."""
    changes = sorted(
        (t["sim_time"], t["task_id"], t["try_number"] or 0, t["from_state"], t["to_state"])
        for t in step.transitions
    )
    h = hashlib.blake2b(digest_size=12)
    h.update(repr((step.began, step.final_state, step.deadlocked, changes)).encode())
    return h.hexdigest()


# The recorder entries that end a try (complete_try always writes exactly one of them).
TRY_ENDS = frozenset(
    {
        Reason.SUCCEEDED,
        Reason.FAILED_TRY,
        Reason.BRANCH_UNKNOWN,
        Reason.SKIP_EXCEPTION,
        Reason.RETRY,
        Reason.TRY_DISCARDED,
    }
)

# A TaskInstance row as the step sees it: (state, try_number, start, end).
Row = tuple[str, int, "float | None", "float | None"]


def is_open(row: Row) -> bool:
    """A try was started and has not ended (its task may have been skipped meanwhile)."""
    return row[1] > 0 and row[2] is not None and row[3] is None


class StepConflict(Exception):
    """The database and the engine disagree about a task's state: the step must not be written.

    It means someone changed the run's rows outside the run's lock; the step's transaction is
    rolled back and the next step rebuilds the run from the database.
    """


# ----------------------------------------------------------------- per-process caches

_CACHE_SIZE = 64
_lock = threading.Lock()
# Keyed by run id and creation time: ids can come back (a test database rolled back, a restored
# backup) and must never pick up another run's DAG.
_compiled: OrderedDict[tuple, tuple[CompiledDag, engine.Scenario]] = OrderedDict()
_kept: OrderedDict[int, tuple[tuple, LiveRun]] = OrderedDict()


def _identity(run) -> tuple:
    return (run.pk, run.created_at)


def compiled_for(run) -> tuple[CompiledDag, engine.Scenario]:
    """The run's compiled DAG and scenario; a run's documents never change, so keep them."""
    key = _identity(run)
    with _lock:
        hit = _compiled.get(key)
        if hit is not None:
            _compiled.move_to_end(key)
            return hit
    dag = convert.engine_dag(run.document)
    scenario = convert.engine_scenario(dag, run.scenario)
    hit = (compile_dag(dag), scenario)
    with _lock:
        _compiled[key] = hit
        while len(_compiled) > _CACHE_SIZE:
            _compiled.popitem(last=False)
    return hit


def take(run) -> LiveRun | None:
    """The LiveRun this process kept for ``run``, brought up to the run's ``last_seq``: as it
    is if nothing happened since, or by replaying the steps other processes wrote meanwhile.

    It is removed from the cache while in use, so a step that fails leaves nothing stale behind.
    """
    with _lock:
        kept = _kept.pop(run.pk, None)
    if kept is None or kept[0][:2] != _identity(run):
        return None
    (*_, seq), live = kept
    if seq == run.last_seq:
        return live
    if seq < run.last_seq and live.replay(run.pk, run.recent_steps or [], seq, run.last_seq):
        return live
    return None


def keep(run, last_seq: int, live: LiveRun) -> None:
    """Remember the run as it is after a committed step that left it at ``last_seq``."""
    with _lock:
        _kept[run.pk] = ((*_identity(run), last_seq), live)
        _kept.move_to_end(run.pk)
        while len(_kept) > _CACHE_SIZE:
            _kept.popitem(last=False)


def run_key(run) -> str:
    """The run's id and creation time: ids can come back, this pair does not."""
    return f"{run.pk}.{int(run.created_at.timestamp() * 1_000_000)}"


# How far each live run has been played, shared by every process through Django's cache (Redis
# when configured), and remembered by the process that played it. A hint only: a try ending at
# or before it needs no step, and one that the hint does not cover is checked under the run's
# lock as before.
_PLAYED_TTL_S = 24 * 3600
_played_here: OrderedDict[str, float] = OrderedDict()


def mark_played(key: str, sim_time: float) -> None:
    with _lock:
        _played_here[key] = max(sim_time, _played_here.get(key, sim_time))
        _played_here.move_to_end(key)
        while len(_played_here) > _CACHE_SIZE:
            _played_here.popitem(last=False)
    cache.set(f"dagsim:live:played:{key}", sim_time, _PLAYED_TTL_S)


def is_played(key: str, end: float) -> bool:
    """Whether a try ending at ``end`` has surely been applied already. This process's own
    mark answers without a round trip when it can (played marks only grow)."""
    if end <= _played_here.get(key, -math.inf):
        return True
    played = cache.get(f"dagsim:live:played:{key}")
    return played is not None and end <= played


def forget(run_id: int) -> None:
    with _lock:
        _kept.pop(run_id, None)
