"""The one mapping between database rows and engine objects and results."""

from __future__ import annotations

from typing import Any

import engine

from .models import Dag, Run, RunEvent, TaskInstance, TaskState


def engine_dag(document: dict) -> engine.Dag:
    """The engine's Dag for a stored document; raises engine.InvalidDocument."""
    return engine.load_dag(document)


def engine_scenario(dag: engine.Dag, scenario: dict) -> engine.Scenario:
    return engine.load_scenario(dag, scenario)


def task_ids(document: dict) -> list[str]:
    return [task["task_id"] for task in document.get("tasks", [])]


def task_instances_from_result(run: Run, result: dict[str, Any]) -> list[TaskInstance]:
    """One TaskInstance per task of the run's DAG, as the finished trace left it.

    start/end are those of the task's latest try, as in Airflow's task instance; `reason` joins
    the engine's explanation chain (root cause last).
    """
    latest_try: dict[str, dict] = {}
    for attempt in result.get("tries", []):
        seen = latest_try.get(attempt["task_id"])
        if seen is None or attempt["try_number"] >= seen["try_number"]:
            latest_try[attempt["task_id"]] = attempt
    reasons = result.get("reasons", {})
    instances = []
    for task_id in task_ids(run.document):
        attempt = latest_try.get(task_id, {})
        instances.append(
            TaskInstance(
                run=run,
                task_id=task_id,
                state=result["states"].get(task_id, TaskState.NONE),
                try_number=attempt.get("try_number", 0),
                start=attempt.get("start"),
                end=attempt.get("end"),
                reason="; ".join(reasons.get(task_id, [])),
            )
        )
    return instances


def events_from_result(result: dict[str, Any]) -> list[dict[str, Any]]:
    """The trace's transitions as RunEvent fields (without run, seq and wall time)."""
    return [
        {
            "task_id": event.get("task_id"),
            "try_number": event.get("try_number"),
            "from_state": event["from_state"],
            "to_state": event["to_state"],
            "reason": event.get("reason") or "",
            "sim_time": event["time"],
        }
        for event in result.get("events", [])
    ]


def event_to_dict(event: RunEvent) -> dict[str, Any]:
    """A RunEvent as the REST API and the websocket send it (docs/interfaces.md)."""
    return {
        "run": event.run_id,
        "seq": event.seq,
        "task_id": event.task_id,
        "try_number": event.try_number,
        "from_state": event.from_state,
        "to_state": event.to_state,
        "reason": event.reason,
        "sim_time": event.sim_time,
        "wall_time": event.wall_time.isoformat().replace("+00:00", "Z"),
    }


def run_states(run: Run) -> dict[str, str]:
    """Each task's current state in `run`, for colouring an export."""
    return dict(run.task_instances.values_list("task_id", "state"))


def positions(dag: Dag) -> dict[str, dict] | None:
    """The editor's node positions, if it has saved any."""
    found = dag.layout.get("positions") if isinstance(dag.layout, dict) else None
    return found if isinstance(found, dict) and found else None
