"""Instant simulation: a discrete-event loop in virtual time over the scheduling step."""

from __future__ import annotations

import heapq
from typing import Any

from .compiled import CompiledDag, compile_dag
from .reasons import Reason
from .scheduler import RunScheduler
from .spec import Dag, Scenario
from .states import FINISHED, TaskState
from .trace import Trace

# Tries ending closer together than this are seen at the same instant.
TIME_RESOLUTION = 1e-9


def simulate(dag: Dag, scenario: Scenario, compiled: CompiledDag | None = None) -> Trace:
    """Run ``dag`` under ``scenario`` as Airflow 3 would, in virtual time, without sleeping.

    Returns the ``Trace``; never raises for a loaded DAG and scenario (load them with
    ``load_dag`` / ``load_scenario``, which raise ``InvalidDocument``).
    """
    c = compiled or compile_dag(dag)
    run = RunScheduler(c, scenario)
    duration = c.duration
    in_flight: list[tuple[float, int, int]] = []  # (end time, task index, try number)
    xcom = _XComLog(c, scenario)
    t = 0.0
    run.settle(t)
    _start(run, t, in_flight, duration, xcom)
    while True:
        # The scheduler wakes when a try ends; only when nothing runs does it wait for a retry.
        # (Airflow's ground truth: a retry that falls due mid-run starts at the next try's end.)
        if in_flight:
            t = in_flight[0][0]
        else:
            next_retry = run.next_retry_time()
            if next_retry is None:
                break
            t = next_retry
        ending = []
        while in_flight and in_flight[0][0] <= t + TIME_RESOLUTION:
            ending.append(heapq.heappop(in_flight))
        ending.sort(key=lambda e: e[1])  # same instant: task_id order
        for _, i, try_no in ending:
            run.complete_try(i, try_no, t)
            if run.state[i] is TaskState.SUCCESS:
                xcom.pushed(i)
        run.release_due_retries(t)
        run.settle(t)
        _start(run, t, in_flight, duration, xcom)
    for i, st in enumerate(run.state):
        if st not in FINISHED:  # deadlock: Airflow would leave these waiting forever
            run.rec.add(t, i, run.tries[i], st, st, Reason.DEADLOCK, 0)
    warnings = list(dag.warnings) + list(scenario.warnings)
    return Trace(run, run.run_state(), warnings, xcom.entries)


def _start(
    run: RunScheduler, t: float, in_flight: list, duration: list[float], xcom: _XComLog
) -> None:
    for i in run.start_ready(t):
        heapq.heappush(in_flight, (round(t + duration[i], 9), i, run.tries[i]))
        xcom.pulled(i, t)


class _XComLog:
    """XCom values pushed by successful tries and what pulls found, as Airflow would."""

    def __init__(self, c: CompiledDag, scenario: Scenario) -> None:
        self.c = c
        tasks = c.dag.tasks_by_id
        self.push = {i: tasks[tid].xcom_push for i, tid in enumerate(c.ids) if tasks[tid].xcom_push}
        self.pull = {i: tasks[tid].xcom_pull for i, tid in enumerate(c.ids) if tasks[tid].xcom_pull}
        self.store: dict[tuple[str, str], Any] = {}
        self.entries: list[dict[str, Any]] = []

    def pushed(self, i: int) -> None:
        for key, value in self.push.get(i, {}).items():
            self.store[(self.c.ids[i], key)] = value
            self.entries.append(
                {"op": "push", "task_id": self.c.ids[i], "key": key, "value": value}
            )

    def pulled(self, i: int, t: float) -> None:
        for p in self.pull.get(i, ()):
            key = p.get("key", "return_value")
            found = (p["task_id"], key) in self.store
            self.entries.append(
                {
                    "op": "pull",
                    "task_id": self.c.ids[i],
                    "from": p["task_id"],
                    "key": key,
                    "value": self.store.get((p["task_id"], key)),
                    "found": found,
                    "time": t,
                }
            )
