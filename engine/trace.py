"""The result of a simulated run: final states, tries, events and the reasons behind them.

Events are kept as the scheduler recorded them (compact arrays); words are rendered only when
a caller asks, so large runs stay small in memory.
"""

from __future__ import annotations

from typing import Any

from .compiled import CompiledDag
from .problems import Problem
from .reasons import CAUSED_BY_TASK, RULE_REASONS, Reason, unpack_counts
from .scheduler import Recorder, RunScheduler
from .spec import Outcome
from .states import FINISHED, RunState, TaskState
from .trigger_rules import TriggerRule, describe_counts

MAX_CHAIN = 50


class Trace:
    def __init__(
        self,
        run: RunScheduler,
        run_state: RunState,
        warnings: list[Problem],
        xcom: list[dict[str, Any]] | None = None,
    ) -> None:
        self.run = run
        self.c: CompiledDag = run.c
        self.rec: Recorder = run.rec
        self.run_state = run_state
        self.warnings = warnings
        self.xcom = xcom or []
        self._last: list[int] | None = None

    # ----------------------------------------------------------------- states and tries

    @property
    def states(self) -> dict[str, str]:
        """Final state per task; a task that never became runnable is ``none``."""
        state = self.run.state
        return {
            tid: (state[i].value if state[i] in FINISHED else TaskState.NONE.value)
            for i, tid in enumerate(self.c.ids)
        }

    def tries(self) -> list[dict[str, Any]]:
        """Every try with its start, end and the state it ended in (for Gantt charts)."""
        rec, ids = self.rec, self.c.ids
        open_try: dict[int, dict[str, Any]] = {}
        out = []
        running = TaskState.RUNNING
        for e in range(len(rec)):
            x = rec.entry(e)
            if x.reason is Reason.STARTED:
                item = {
                    "task_id": ids[x.task],
                    "try_number": x.try_no,
                    "start": x.time,
                    "end": None,
                    "state": running.value,
                }
                open_try[x.task] = item
                out.append(item)
            elif x.task in open_try and (
                x.from_state is running or x.reason is Reason.TRY_DISCARDED
            ):
                item = open_try.pop(x.task)
                item["end"] = x.time
                item["state"] = (
                    "discarded" if x.reason is Reason.TRY_DISCARDED else x.to_state.value
                )
        return out

    @property
    def makespan_s(self) -> float:
        return max(self.rec.time) if len(self.rec) else 0.0

    # ----------------------------------------------------------------- events and reasons

    def events(self) -> list[dict[str, Any]]:
        ids = self.c.ids
        out = []
        for e in range(len(self.rec)):
            x = self.rec.entry(e)
            out.append(
                {
                    "time": x.time,
                    "task_id": ids[x.task],
                    "try_number": x.try_no,
                    "from_state": x.from_state.value,
                    "to_state": x.to_state.value,
                    "reason": self.reason_text(e),
                }
            )
        return out

    def _last_events(self) -> list[int]:
        if self._last is None:
            last = [-1] * self.c.size
            rec = self.rec
            for e in range(len(rec)):
                x = rec.entry(e)
                if x.from_state is not x.to_state or x.reason is Reason.DEADLOCK:
                    last[x.task] = e
            self._last = last
        return self._last

    def reason_text(self, e: int) -> str:
        """One event's reason in words."""
        c = self.c
        x = self.rec.entry(e)
        i, reason, arg, try_no = x.task, x.reason, x.arg, x.try_no
        ids = c.ids
        if reason in RULE_REASONS:
            counts = describe_counts(len(c.up[i]), *unpack_counts(arg))
            text = f"trigger rule {c.rule[i].value}: {counts}"
            if reason is not Reason.RULE_MET:
                causes = self._rule_causes(i, reason)
                if causes:
                    shown = ", ".join(
                        f"{ids[j]}: {self.final_reason(j, brief=True)}" for j in causes[:3]
                    )
                    more = f", and {len(causes) - 3} more" if len(causes) > 3 else ""
                    text += f" ({shown}{more})"
            return text
        if reason is Reason.ROOT:
            return "no upstream tasks: ready at once"
        if reason is Reason.ALWAYS:
            return "trigger rule always: does not wait for its upstreams"
        if reason is Reason.RETRY_DUE:
            return f"retry delay over: try {try_no + 1} may start"
        if reason is Reason.STARTED:
            return f"try {arg} started"
        if reason is Reason.SUCCEEDED:
            return f"try {try_no} succeeded" + self._decision_text(i)
        if reason is Reason.FAILED_TRY:
            how = (
                "fails every try"
                if arg >= Outcome.ALWAYS_FAILS
                else f"fails the first {arg} tr{'y' if arg == 1 else 'ies'}"
            )
            return f"try {try_no} failed (scenario: {how}); no retries left"
        if reason is Reason.RETRY:
            delay = c.retry_delay[i]
            return f"try {arg} failed; retry {arg + 1} of {c.retries[i] + 1} after {delay:g} s"
        if reason is Reason.SKIP_EXCEPTION:
            return "raised the skip exception (scenario)"
        if reason is Reason.BRANCH_UNKNOWN:
            chosen = self.run.outcome[i].branch or []
            unknown = [t for t in chosen if t not in c.index]
            return (
                f"try {try_no} failed: branch chose task ids that are not in the DAG "
                f"({', '.join(unknown)})"
            )
        if reason is Reason.SKIPPED_BY_BRANCH:
            chosen = self.run.outcome[arg].branch or []
            picked = ", ".join(chosen) if chosen else "nothing"
            return f"skipped by branch {ids[arg]} (it chose {picked})"
        if reason is Reason.SKIPPED_BY_SHORT_CIRCUIT:
            return f"skipped by short-circuit {ids[arg]} (its condition was false)"
        if reason is Reason.SKIPPED_BY_LATEST_ONLY:
            return f"skipped by latest_only {ids[arg]} (this is not the latest run at `now`)"
        if reason is Reason.SKIPPED_WHILE_RUNNING:
            return f"skipped while running: {ids[arg]} had decided to skip it"
        if reason is Reason.TRY_DISCARDED:
            return f"try {arg} ended after the task had been skipped; its result is discarded"
        if reason is Reason.CANCELLED:
            return "the run was cancelled"
        if reason is Reason.DEADLOCK:
            return self._deadlock_text(i)
        return reason.name.lower()

    def _decision_text(self, i: int) -> str:
        c, run = self.c, self.run
        if not c.skipping[i]:
            return ""
        op = c.operator[i].value
        if op == "branch":
            chosen = run.outcome[i].branch or []
            return f"; branch chose {', '.join(chosen) if chosen else 'nothing'}"
        if op == "short_circuit":
            if run.outcome[i].short_circuit:
                return "; condition true: downstream runs"
            scope = "every downstream task" if c.ignore_downstream[i] else "its direct downstream"
            return f"; condition false: skips {scope}"
        return (
            "; latest run: downstream runs"
            if run.latest
            else "; not the latest run: skips its direct downstream"
        )

    def _deadlock_text(self, i: int) -> str:
        c, run = self.c, self.run
        pool = c.pool[i]
        capacity = run.pool_capacity(pool)
        if c.pool_slots[i] > capacity:
            return (
                f"never ran: needs {c.pool_slots[i]} slot(s) of pool `{pool}`, which has "
                f"{capacity:g}; Airflow would leave it waiting forever"
            )
        return "never ran: nothing left in the run could make it runnable"

    def _rule_causes(self, i: int, reason: Reason) -> list[int]:
        state = self.run.state
        up = self.c.up[i]
        if reason is Reason.RULE_UPSTREAM_FAILED:
            wanted = {TaskState.FAILED, TaskState.UPSTREAM_FAILED}
        elif self.c.rule[i] in (TriggerRule.ALL_SKIPPED, TriggerRule.ALL_FAILED):
            wanted = {TaskState.SUCCESS, TaskState.FAILED, TaskState.UPSTREAM_FAILED}
            if self.c.rule[i] is TriggerRule.ALL_FAILED:
                wanted = {TaskState.SUCCESS, TaskState.SKIPPED}
        else:
            wanted = {TaskState.SKIPPED}
        causes = [j for j in up if state[j] in wanted]
        return causes or [j for j in up if state[j] in FINISHED]

    def final_reason(self, i: int, brief: bool = False) -> str:
        e = self._last_events()[i]
        if e < 0:
            return "never became runnable"
        text = self.reason_text(e) if not brief else self._brief(e)
        return f"{self.rec.entry(e).to_state.value}: {text}" if not brief else text

    def _brief(self, e: int) -> str:
        x = self.rec.entry(e)
        if x.reason in RULE_REASONS:
            return f"{x.to_state.value} by trigger rule {self.c.rule[x.task].value}"
        return self.reason_text(e)

    def explain(self, task_id: str) -> list[str]:
        """The chain of causes for a task's final state, the task itself first."""
        c = self.c
        i = c.index[task_id]
        chain: list[str] = []
        seen = set()
        while i not in seen and len(chain) < MAX_CHAIN:
            seen.add(i)
            chain.append(f"{c.ids[i]} {self.final_reason(i)}")
            e = self._last_events()[i]
            if e < 0:
                break
            reason = self.rec.reason(e)
            if reason in (Reason.RULE_SKIP, Reason.RULE_UPSTREAM_FAILED):
                causes = self._rule_causes(i, reason)
                if not causes:
                    break
                i = causes[0]
            elif reason in CAUSED_BY_TASK:
                i = self.rec.arg[e]
            else:
                break
        return chain

    # ----------------------------------------------------------------- timing

    def critical_path(self) -> list[str]:
        """The chain of tasks that set the run's makespan, first task first."""
        tries = self.tries()
        if not tries:
            return []
        c = self.c
        first_start: dict[int, float] = {}
        last_end: dict[int, float] = {}
        for t in tries:
            i = c.index[t["task_id"]]
            first_start.setdefault(i, t["start"])
            if t["end"] is not None:
                last_end[i] = max(last_end.get(i, 0.0), t["end"])
        if not last_end:
            return []
        i = max(last_end, key=lambda j: (last_end[j], -j))
        path = [i]
        while True:
            start = first_start.get(i, 0.0)
            before = [j for j in c.up[i] if j in last_end and last_end[j] <= start + 1e-9]
            if not before or start == 0.0:
                break
            i = max(before, key=lambda j: (last_end[j], -j))
            path.append(i)
        return [c.ids[j] for j in reversed(path)]

    # ----------------------------------------------------------------- output

    def to_dict(self, summary: bool = False) -> dict[str, Any]:
        out: dict[str, Any] = {"states": self.states, "run_state": self.run_state.value}
        if summary:
            return out
        out.update(
            makespan_s=self.makespan_s,
            tries=self.tries(),
            events=self.events(),
            reasons={tid: self.explain(tid) for tid in self.c.ids},
            critical_path=self.critical_path(),
            xcom=self.xcom,
            warnings=[w.to_dict() for w in self.warnings],
        )
        return out
