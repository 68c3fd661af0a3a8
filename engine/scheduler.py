"""The scheduling step: Airflow 3's rules applied to one DAG run, one instant at a time.

Protocol (like ``graphlib``'s prepare/get_ready/done), shared by the instant simulation and the
live executors:

    run = RunScheduler(compiled, scenario)
    run.settle(t)                 # decide what is ready, skipped or upstream_failed at time t
    for i in run.start_ready(t):  # tries that may start now (slots, pools, priority)
        ...                       # the executor runs the try for its duration, then:
    run.complete_try(i, try_number, t_end)   # apply the scenario's outcome
    run.release_due_retries(t)    # up_for_retry tasks whose delay is over
    run.settle(t_end) ...

The model (``shared/conformance/README.md``): tries ending at one instant are applied in task_id
order, then Airflow's scheduler pass runs until nothing changes. A pass decides every task on the
upstream states finished *before* the pass, so upstream_failed spreads one level per pass, while
branch / short-circuit / latest-only skips are written at once when their task finishes.
Every state change is appended to ``recorder``.
"""

from __future__ import annotations

import heapq
from array import array
from typing import NamedTuple

from .compiled import CompiledDag
from .reasons import Reason, pack_counts
from .schedules import is_latest_run
from .spec import DEFAULT_POOL, Operator, Outcome, Scenario
from .states import FINISHED, OVERWRITABLE_BY_SKIP, RunState, TaskState
from .trigger_rules import RUN, SKIP, TriggerRule

NONE = TaskState.NONE
SCHEDULED = TaskState.SCHEDULED
RUNNING = TaskState.RUNNING
UP_FOR_RETRY = TaskState.UP_FOR_RETRY
SUCCESS = TaskState.SUCCESS
FAILED = TaskState.FAILED
SKIPPED = TaskState.SKIPPED
UPSTREAM_FAILED = TaskState.UPSTREAM_FAILED

STATE_CODES: tuple[TaskState, ...] = tuple(TaskState)
SKIP_REASONS = {
    Operator.BRANCH: Reason.SKIPPED_BY_BRANCH,
    Operator.SHORT_CIRCUIT: Reason.SKIPPED_BY_SHORT_CIRCUIT,
    Operator.LATEST_ONLY: Reason.SKIPPED_BY_LATEST_ONLY,
}
_CODE = {s: n for n, s in enumerate(STATE_CODES)}


class Transition(NamedTuple):
    time: float
    task: int
    try_no: int
    from_state: TaskState
    to_state: TaskState
    reason: Reason
    arg: int


class Recorder:
    """Append-only log of transitions: one packed integer, a time and an argument each.

    Packing keeps the hot loop to three appends and a 100,000-task run to a few MB.
    Read entries back with ``entry(e)``.
    """

    __slots__ = ("time", "packed", "arg")

    def __init__(self) -> None:
        self.time = array("d")
        self.packed = array("q")
        self.arg: list[int] = []

    def __len__(self) -> int:
        return len(self.time)

    def add(
        self,
        t: float,
        task: int,
        try_no: int,
        old: TaskState,
        new: TaskState,
        reason: Reason,
        arg: int = 0,
    ) -> None:
        self.time.append(t)
        self.packed.append(task << 26 | try_no << 13 | _CODE[old] << 9 | _CODE[new] << 5 | reason)
        self.arg.append(arg)

    def entry(self, e: int) -> Transition:
        p = self.packed[e]
        return Transition(
            self.time[e],
            p >> 26,
            (p >> 13) & 0x1FFF,
            STATE_CODES[(p >> 9) & 15],
            STATE_CODES[(p >> 5) & 15],
            Reason(p & 31),
            self.arg[e],
        )

    def reason(self, e: int) -> Reason:
        return Reason(self.packed[e] & 31)


class RunScheduler:
    """The mutable state of one DAG run and the rules that move it forward."""

    def __init__(
        self, compiled: CompiledDag, scenario: Scenario, recorder: Recorder | None = None
    ) -> None:
        c = self.c = compiled
        n = c.size
        self.scenario = scenario
        self.rec = recorder if recorder is not None else Recorder()
        self.state: list[TaskState] = [NONE] * n
        self.tries = [0] * n
        # Finished direct upstreams per task, by state: success, skipped, failed, upstream_failed.
        self.n_s = [0] * n
        self.n_k = [0] * n
        self.n_f = [0] * n
        self.n_u = [0] * n
        self.dirty: list[int] = list(range(n))
        self.in_dirty = bytearray(b"\x01" * n)
        self.retry_due: list[tuple[float, int]] = []
        self.retry_ready = bytearray(n)
        # Running tasks that a skipping parent could not overwrite (Airflow's second skip path).
        self.pending_skip: dict[int, int] = {}
        # Scheduled, running and up_for_retry tasks, for the walk in task_id order (lazy heap).
        self.active: list[int] = []
        self.in_active = bytearray(n)
        # Airflow marks a run failed when its walk finds nothing runnable, and never looks at
        # it again: nothing more is scheduled.
        self.deadlocked = False
        self.descendants_skipped = bytearray(n)
        self.finished = 0
        self.cancelled = False
        self._compile_outcomes(scenario)
        self.latest = is_latest_run(c.dag.schedule, scenario.logical_date, scenario.now)
        self._init_slots()

    @classmethod
    def restore(
        cls,
        compiled: CompiledDag,
        scenario: Scenario,
        snapshot: dict[str, tuple[TaskState, int, float | None]],
        recorder: Recorder | None = None,
        deadlocked: bool = False,
    ) -> RunScheduler:
        """Rebuild a run from persisted task instances, for executors that keep state in a DB.

        ``snapshot`` maps task_id to (state, try number, retry due time or None). A try that was
        dispatched but not yet reported (queued or running) holds its slot, so both map to
        ``running``. Everything else (counters, pending skips, the ready queue) is derived,
        except ``deadlocked``, which is history: pass back what ``run.deadlocked`` said.
        """
        run = cls(compiled, scenario, recorder)
        run.deadlocked = deadlocked
        c = compiled
        for tid, (state, try_no, retry_at) in snapshot.items():
            i = c.index[tid]
            if state is TaskState.QUEUED:
                state = RUNNING
            run.state[i] = state
            run.tries[i] = try_no
            if state is RUNNING:
                run.running += 1
                if run.limited:
                    pool = c.pool[i]
                    run.pool_used[pool] = run.pool_used.get(pool, 0) + c.pool_slots[i]
            elif state is SCHEDULED:
                run.state[i] = NONE  # re-decided by the first pass, then queued for a slot
            elif state is UP_FOR_RETRY:
                heapq.heappush(run.retry_due, (retry_at or 0.0, i))
            if state is RUNNING or state is UP_FOR_RETRY:
                run._activate(i)
        for i, st in enumerate(run.state):
            if st in FINISHED:
                run.finished += 1
                counter = run._counter(st)
                for d in c.down[i]:
                    counter[d] += 1
        for i, st in enumerate(run.state):
            if st is SUCCESS and c.skipping[i]:
                run._rederive_pending_skips(i)
        return run

    def _rederive_pending_skips(self, i: int) -> None:
        # The decision of a finished skipping task still applies to its running direct children.
        for d in self._left_out(i):
            if self.state[d] is RUNNING:
                self.pending_skip[d] = i

    # ----------------------------------------------------------------- set-up

    def _compile_outcomes(self, scenario: Scenario) -> None:
        c = self.c
        default = Outcome()
        self.outcome = [scenario.outcomes.get(tid, default) for tid in c.ids]
        # Branch choices as indexes; an id not in the DAG makes the branch task fail (Airflow).
        self.branch_choice: dict[int, list[int] | None] = {}
        for i, o in enumerate(self.outcome):
            if c.operator[i] is Operator.BRANCH:
                chosen = o.branch or []
                known = [c.index[t] for t in chosen if t in c.index]
                self.branch_choice[i] = known if len(known) == len(chosen) else None

    def _init_slots(self) -> None:
        dag = self.c.dag
        self.max_active = dag.max_active_tasks
        self.pools = dag.pools
        self.limited = self.max_active is not None or self.pools is not None
        self.running = 0
        self.pool_used: dict[str, int] = {}
        self.ready_list: list[int] = []
        self.pool_heaps: dict[str, list[tuple[int, int]]] = {}
        self.priority = None
        if self.limited:
            c = self.c
            waiting = (
                range(c.size)
                if self.max_active is not None
                else [i for i in range(c.size) if self.pool_capacity(c.pool[i]) != float("inf")]
            )
            self.priority = c.priority(list(waiting))

    def pool_capacity(self, pool: str) -> float:
        if self.pools is None:
            return float("inf")
        if pool in self.pools:
            return self.pools[pool]
        # default_pool is unlimited unless declared; an undeclared pool never gets a slot.
        return float("inf") if pool == DEFAULT_POOL else 0

    # ----------------------------------------------------------------- state changes

    def _mark_dirty(self, i: int) -> None:
        if not self.in_dirty[i]:
            self.in_dirty[i] = 1
            self.dirty.append(i)

    def _finish(self, i: int, new: TaskState, t: float, reason: Reason, arg: int = 0) -> None:
        old = self.state[i]
        self.state[i] = new
        self.rec.add(t, i, self.tries[i], old, new, reason, arg)
        self.in_active[i] = 0
        self.pending_skip.pop(i, None)
        if old is RUNNING:
            self._release(i)
        if old in FINISHED:  # upstream_failed overwritten by a skip: move the count
            counter = self._counter(old)
            for d in self.c.down[i]:
                counter[d] -= 1
        else:
            self.finished += 1
        counter = self._counter(new)
        in_dirty, dirty = self.in_dirty, self.dirty
        if new is SUCCESS:
            waits, up = self.c.waits_through_success, self.c.up
            n_s, n_k, n_f, n_u = self.n_s, self.n_k, self.n_f, self.n_u
            for d in self.c.down[i]:
                counter[d] += 1
                if waits[d] and n_s[d] + n_k[d] + n_f[d] + n_u[d] < len(up[d]):
                    continue  # still waiting for the others: nothing to decide yet
                if not in_dirty[d]:
                    in_dirty[d] = 1
                    dirty.append(d)
            return
        for d in self.c.down[i]:
            counter[d] += 1
            if not in_dirty[d]:
                in_dirty[d] = 1
                dirty.append(d)

    def _counter(self, state: TaskState) -> list[int]:
        if state is SUCCESS:
            return self.n_s
        if state is SKIPPED:
            return self.n_k
        if state is FAILED:
            return self.n_f
        return self.n_u

    def _activate(self, i: int) -> None:
        if not self.in_active[i]:
            self.in_active[i] = 1
            heapq.heappush(self.active, i)

    def _schedule(self, i: int, t: float, reason: Reason, arg: int) -> None:
        self.rec.add(t, i, self.tries[i], self.state[i], SCHEDULED, reason, arg)
        self.state[i] = SCHEDULED
        self.retry_ready[i] = 0
        self._activate(i)
        if self.limited:
            heap = self.pool_heaps.setdefault(self.c.pool[i], [])
            heapq.heappush(heap, (-self.priority[i], i))  # type: ignore[index]
        else:
            self.ready_list.append(i)

    def _release(self, i: int) -> None:
        self.running -= 1
        if self.limited:
            pool = self.c.pool[i]
            self.pool_used[pool] -= self.c.pool_slots[i]

    # ----------------------------------------------------------------- the scheduler pass

    def settle(self, t: float) -> None:
        """Apply scheduler passes at time ``t`` until nothing changes."""
        if self.deadlocked:
            return
        while True:
            while self.dirty:
                self._pass(t)
            if self.finished == self.c.size or not self._walk(t):
                return

    def _pass(self, t: float) -> None:
        c = self.c
        state, n_s, n_k, n_f, n_u = self.state, self.n_s, self.n_k, self.n_f, self.n_u
        up, rule_fn, retry_ready = c.up, c.rule_fn, self.retry_ready
        candidates, self.dirty = self.dirty, []
        decisions = []
        for i in candidates:
            self.in_dirty[i] = 0
            st = state[i]
            # up_for_retry tasks are re-judged in every pass (an upstream_failed upstream may
            # since have been overwritten by a skip); they start again only once their delay
            # is over.
            if st is NONE or st is UP_FOR_RETRY:
                n = len(up[i])
                if n == 0:
                    d, reason, arg = RUN, Reason.ROOT, 0
                else:
                    s, k, f, u = n_s[i], n_k[i], n_f[i], n_u[i]
                    d, reason, arg = (
                        rule_fn[i](n, s, k, f, u),
                        Reason.RULE_MET,
                        pack_counts(s, k, f, u),
                    )
                if d == RUN and st is UP_FOR_RETRY and not retry_ready[i]:
                    continue
                if d:
                    decisions.append((i, d, reason, arg))
        # Decisions land after the whole pass: a task decided now is seen by the next pass.
        for i, d, reason, arg in decisions:
            if d == RUN:
                if reason is Reason.RULE_MET and c.rule[i] is TriggerRule.ALWAYS:
                    reason = Reason.ALWAYS
                if state[i] is UP_FOR_RETRY:
                    reason = Reason.RETRY_DUE
                self._schedule(i, t, reason, arg)
            elif d == SKIP:
                self._finish(i, SKIPPED, t, Reason.RULE_SKIP, arg)
            else:
                self._finish(i, UPSTREAM_FAILED, t, Reason.RULE_UPSTREAM_FAILED, arg)

    def _walk(self, t: float) -> bool:
        """Airflow's check when a pass decided nothing (``DagRun._are_premature_tis``).

        It judges unfinished tasks in task_id order on the upstream states of the pass, and
        stops at the first whose dependencies are met. On the way it skips a task whose
        branch / short-circuit / latest-only parent left it out (even a running one), and
        re-applies trigger rules to tasks that already started. Finding nothing runnable, it
        marks the run failed ("task deadlock") unless a rule change finished every task.
        Tasks in state none are left out: the pass just judged them and they wait.
        Returns whether it changed anything (then the passes go on).
        """
        c, active = self.c, self.active
        n_s, n_k, n_f, n_u = self.n_s, self.n_k, self.n_f, self.n_u
        changes = []
        rule_changed = runnable = False
        seen: list[int] = []
        while active:
            i = heapq.heappop(active)
            if not self.in_active[i] or (seen and seen[-1] == i):
                continue
            seen.append(i)
            n = len(c.up[i])
            met = True
            if i in self.pending_skip:
                changes.append((i, SKIPPED, Reason.SKIPPED_WHILE_RUNNING, self.pending_skip[i]))
                met = False
            elif n and c.rule[i] is not TriggerRule.ALWAYS:
                s, k, f, u = n_s[i], n_k[i], n_f[i], n_u[i]
                d = c.rule_fn[i](n, s, k, f, u)
                if d == SKIP or d == UPSTREAM_FAILED:
                    new = SKIPPED if d == SKIP else UPSTREAM_FAILED
                    why = Reason.RULE_SKIP if d == SKIP else Reason.RULE_UPSTREAM_FAILED
                    changes.append((i, new, why, pack_counts(s, k, f, u)))
                    rule_changed = True
                    met = False
                elif d != RUN:
                    met = False
            if met:
                runnable = True
                break
        for i in seen:
            heapq.heappush(active, i)
        for i, new, reason, arg in changes:
            self._finish(i, new, t, reason, arg)
        if not runnable and not (rule_changed and self.finished == c.size):
            # Airflow recounts unfinished tasks only after a trigger-rule change; otherwise the
            # tasks it just skipped still count, and the run is failed as deadlocked.
            self.deadlocked = True
            return False
        return bool(changes)

    # ----------------------------------------------------------------- starting tries

    def start_ready(self, t: float) -> list[int]:
        """Start the scheduled tasks that slots allow, highest priority first."""
        if self.deadlocked:
            return []
        started = self._pick_limited() if self.limited else self._pick_all()
        state, rec, tries = self.state, self.rec, self.tries
        for i in started:
            tries[i] += 1
            rec.add(t, i, tries[i], SCHEDULED, RUNNING, Reason.STARTED, tries[i])
            state[i] = RUNNING
        self.running += len(started)
        return started

    def _pick_all(self) -> list[int]:
        ready, self.ready_list = self.ready_list, []
        state = self.state
        return [i for i in ready if state[i] is SCHEDULED]

    def _pick_limited(self) -> list[int]:
        c, state = self.c, self.state
        started: list[int] = []
        limit = self.max_active if self.max_active is not None else float("inf")
        free = {p: self.pool_capacity(p) - self.pool_used.get(p, 0) for p in self.pool_heaps}
        heads = []
        for pool, heap in self.pool_heaps.items():
            while heap and state[heap[0][1]] is not SCHEDULED:
                heapq.heappop(heap)
            if heap and free[pool] > 0:
                heads.append((heap[0], pool))
        heapq.heapify(heads)
        deferred: dict[str, list[tuple[int, int]]] = {}
        while heads and self.running + len(started) < limit:
            _, pool = heapq.heappop(heads)
            heap = self.pool_heaps[pool]
            entry = heapq.heappop(heap)
            i = entry[1]
            if c.pool_slots[i] <= free[pool]:
                free[pool] -= c.pool_slots[i]
                self.pool_used[pool] = self.pool_used.get(pool, 0) + c.pool_slots[i]
                started.append(i)
            else:  # Airflow passes over a task needing more slots than are open
                deferred.setdefault(pool, []).append(entry)
            while heap and state[heap[0][1]] is not SCHEDULED:
                heapq.heappop(heap)
            if heap and free[pool] > 0:
                heapq.heappush(heads, (heap[0], pool))
        for pool, entries in deferred.items():
            for entry in entries:
                heapq.heappush(self.pool_heaps[pool], entry)
        return started

    # ----------------------------------------------------------------- ending tries

    def complete_try(self, i: int, try_no: int, t: float) -> None:
        """Apply the scenario's outcome for try ``try_no`` of task ``i``, ending at ``t``."""
        state = self.state[i]
        if state is not RUNNING or self.tries[i] != try_no:
            # Skipped while running (or cancelled): the try's result no longer matters.
            self.rec.add(t, i, try_no, state, state, Reason.TRY_DISCARDED, try_no)
            return
        o = self.outcome[i]
        op = self.c.operator[i]
        if o.skip:
            self._finish(i, SKIPPED, t, Reason.SKIP_EXCEPTION)
        elif try_no <= o.fail_times:
            self._fail_try(i, try_no, t, Reason.FAILED_TRY, min(o.fail_times, Outcome.ALWAYS_FAILS))
        elif op is Operator.BRANCH and self.branch_choice[i] is None:
            self._fail_try(i, try_no, t, Reason.BRANCH_UNKNOWN, 0)
        else:
            self._finish(i, SUCCESS, t, Reason.SUCCEEDED, try_no)
            if self.c.skipping[i]:
                self._skip_after(i, t)

    def _fail_try(self, i: int, try_no: int, t: float, reason: Reason, arg: int) -> None:
        if try_no <= self.c.retries[i]:
            self.rec.add(t, i, try_no, RUNNING, UP_FOR_RETRY, Reason.RETRY, try_no)
            self.state[i] = UP_FOR_RETRY
            self._release(i)
            heapq.heappush(self.retry_due, (t + self.c.retry_delay[i], i))
        else:
            self._finish(i, FAILED, t, reason, arg)

    def release_due_retries(self, t: float) -> None:
        """Make up_for_retry tasks whose retry delay is over eligible for the next pass."""
        due = self.retry_due
        while due and due[0][0] <= t:
            _, i = heapq.heappop(due)
            if self.state[i] is UP_FOR_RETRY:
                self.retry_ready[i] = 1
                self._mark_dirty(i)

    def next_retry_time(self) -> float | None:
        if self.deadlocked:
            return None  # the scheduler no longer looks at the run
        due = self.retry_due
        while due and self.state[due[0][1]] is not UP_FOR_RETRY:
            heapq.heappop(due)
        return due[0][0] if due else None

    # ----------------------------------------------------------------- skipping operators

    def _left_out(self, i: int) -> list[int]:
        """The direct downstream tasks that skipping task ``i``'s decision leaves out (what
        Airflow records in XCom and ``NotPreviouslySkippedDep`` reads back)."""
        c = self.c
        op = c.operator[i]
        if op is Operator.BRANCH:
            return self._not_followed(i)
        if op is Operator.SHORT_CIRCUIT:
            return [] if self.outcome[i].short_circuit else list(c.down[i])
        return [] if self.latest else list(c.down[i])

    def _skip_after(self, i: int, t: float) -> None:
        left_out = self._left_out(i)
        if not left_out:
            return
        c = self.c
        op = c.operator[i]
        targets = left_out
        if op is Operator.SHORT_CIRCUIT and c.ignore_downstream[i]:
            targets = self._descendants_for_skip(i)
        reason = SKIP_REASONS[op]
        direct = set(left_out)
        state = self.state
        for d in targets:
            st = state[d]
            if st in OVERWRITABLE_BY_SKIP:
                self._finish(d, SKIPPED, t, reason, i)
            elif st not in FINISHED and d in direct:
                self.pending_skip[d] = i

    def _not_followed(self, i: int) -> list[int]:
        """Direct downstream tasks of branch ``i`` neither chosen nor below a chosen one."""
        chosen = self.branch_choice[i] or []
        chosen_set = set(chosen)
        candidates = [d for d in self.c.down[i] if d not in chosen_set]
        if not candidates or not chosen:
            return candidates
        reached = self._reachable(chosen, set(candidates))
        return [d for d in candidates if d not in reached]

    def _reachable(self, sources: list[int], targets: set[int]) -> set[int]:
        # Only nodes ranked at most the last target in topological order can lead to a target.
        rank, down = self.c.topo_rank, self.c.down
        horizon = max(rank[x] for x in targets)
        found: set[int] = set()
        seen = set(sources)
        stack = [s for s in sources if rank[s] < horizon]
        while stack and len(found) < len(targets):
            for d in down[stack.pop()]:
                if d in seen or rank[d] > horizon:
                    continue
                seen.add(d)
                if d in targets:
                    found.add(d)
                stack.append(d)
        return found

    def _descendants_for_skip(self, i: int) -> list[int]:
        # A node already swept by another short-circuit had its whole subtree swept too.
        out = []
        seen = self.descendants_skipped
        stack = [i]
        down = self.c.down
        while stack:
            for d in down[stack.pop()]:
                if not seen[d]:
                    seen[d] = 1
                    out.append(d)
                    stack.append(d)
        return out

    # ----------------------------------------------------------------- the run

    def cancel(self, t: float) -> list[int]:
        """Stop the run as Airflow's "mark failed" does: running tries fail, tasks that have not
        run are skipped, nothing starts after. Returns the tasks whose tries were in flight."""
        self.cancelled = True
        in_flight = [i for i, s in enumerate(self.state) if s is RUNNING]
        for i, st in enumerate(self.state):
            if st not in FINISHED:
                self._finish(i, FAILED if st is RUNNING else SKIPPED, t, Reason.CANCELLED)
        self.dirty.clear()
        self.in_dirty = bytearray(len(self.state))
        self.pending_skip.clear()
        return in_flight

    @property
    def all_finished(self) -> bool:
        return self.finished == self.c.size

    def run_state(self) -> RunState:
        """Airflow's rule from the leaves, once nothing can change any more."""
        if self.cancelled:
            return RunState.CANCELLED
        if self.deadlocked or not self.all_finished:
            return RunState.FAILED  # deadlock: what is left can never run
        state = self.state
        if any(state[i] is FAILED or state[i] is UPSTREAM_FAILED for i in self.c.leaves):
            return RunState.FAILED
        return RunState.SUCCESS
