"""The DAG and scenario documents (``shared/spec/dag-format.md``) as engine objects.

``load_dag`` / ``load_scenario`` validate first and raise ``InvalidDocument`` with every error;
the objects they return are always consistent. ``Dag.to_document()`` gives the normalized
document back, keeping fields the engine does not know, so export and import are lossless.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any

from .problems import InvalidDocument, Problem
from .schedules import format_datetime, parse_datetime
from .trigger_rules import TriggerRule

FORMAT = "dagsim/1"
DEFAULT_POOL = "default_pool"
DEFAULT_RETRY_DELAY_S = 300.0
DEFAULT_DURATION_S = 1.0


class Operator(StrEnum):
    EMPTY = "empty"
    PYTHON = "python"
    BRANCH = "branch"
    SHORT_CIRCUIT = "short_circuit"
    LATEST_ONLY = "latest_only"


# Operators whose success decides to skip some downstream tasks (Airflow's SkipMixin).
SKIPPING_OPERATORS = frozenset({Operator.BRANCH, Operator.SHORT_CIRCUIT, Operator.LATEST_ONLY})
# Operators that cannot fail or skip themselves in a scenario.
PASSIVE_OPERATORS = frozenset({Operator.EMPTY, Operator.LATEST_ONLY})


class WeightRule(StrEnum):
    DOWNSTREAM = "downstream"
    UPSTREAM = "upstream"
    ABSOLUTE = "absolute"


# Task fields in the order documents are written; anything else is kept as-is in ``extra``.
TASK_FIELDS = (
    "task_id",
    "operator",
    "trigger_rule",
    "retries",
    "retry_delay_s",
    "duration_s",
    "pool",
    "pool_slots",
    "priority_weight",
    "weight_rule",
    "ignore_downstream_trigger_rules",
    "xcom_push",
    "xcom_pull",
)
DAG_FIELDS = (
    "format",
    "dag_id",
    "schedule",
    "start_date",
    "default_args",
    "max_active_tasks",
    "pools",
    "tasks",
    "edges",
)


@dataclass(slots=True)
class Task:
    task_id: str
    operator: Operator
    trigger_rule: TriggerRule = TriggerRule.ALL_SUCCESS
    retries: int = 0
    retry_delay_s: float = DEFAULT_RETRY_DELAY_S
    duration_s: float = DEFAULT_DURATION_S
    pool: str = DEFAULT_POOL
    pool_slots: int = 1
    priority_weight: int = 1
    weight_rule: WeightRule = WeightRule.DOWNSTREAM
    ignore_downstream_trigger_rules: bool = True
    xcom_push: dict[str, Any] = field(default_factory=dict)
    xcom_pull: list[dict[str, str]] = field(default_factory=list)
    # The task's own document entry, so that what the user wrote is written back unchanged.
    source: dict[str, Any] = field(default_factory=dict, repr=False)


@dataclass(slots=True)
class Dag:
    dag_id: str
    tasks: list[Task]
    edges: list[tuple[str, str]]
    schedule: str | None = None
    start_date: datetime | None = None
    default_args: dict[str, Any] = field(default_factory=dict)
    max_active_tasks: int | None = None
    pools: dict[str, int] | None = None
    source: dict[str, Any] = field(default_factory=dict, repr=False)
    warnings: list[Problem] = field(default_factory=list, repr=False)

    def task(self, task_id: str) -> Task:
        return self.tasks_by_id[task_id]

    @property
    def tasks_by_id(self) -> dict[str, Task]:
        return {t.task_id: t for t in self.tasks}

    def downstream_ids(self) -> dict[str, list[str]]:
        out: dict[str, list[str]] = {t.task_id: [] for t in self.tasks}
        for up, down in self.edges:
            out[up].append(down)
        return out

    def upstream_ids(self) -> dict[str, list[str]]:
        out: dict[str, list[str]] = {t.task_id: [] for t in self.tasks}
        for up, down in self.edges:
            out[down].append(up)
        return out

    def to_document(self) -> dict[str, Any]:
        """The normalized interchange document; round-trips through ``load_dag`` unchanged."""
        return normalize_document(self.source)


def normalize_document(doc: dict[str, Any]) -> dict[str, Any]:
    """Canonical key order and the format tag; values and unknown fields are kept as given."""
    out: dict[str, Any] = {"format": FORMAT}
    for key in DAG_FIELDS[1:]:
        if key in doc and key not in ("tasks", "edges"):
            out[key] = doc[key]
    out["tasks"] = [_normalize_task(t) for t in doc.get("tasks", [])]
    out["edges"] = [list(e) for e in doc.get("edges", [])]
    for key, value in doc.items():
        if key not in DAG_FIELDS:
            out[key] = value
    return out


def _normalize_task(task: dict[str, Any]) -> dict[str, Any]:
    out = {k: task[k] for k in TASK_FIELDS if k in task}
    out.update({k: v for k, v in task.items() if k not in TASK_FIELDS})
    return out


def load_dag(doc: Any) -> Dag:
    """Validate a DAG document and build the ``Dag``. Raises ``InvalidDocument``."""
    from .validate import validate_dag

    problems = validate_dag(doc)
    if any(p.is_error for p in problems):
        raise InvalidDocument(problems)
    return build_dag(doc, warnings=problems)


def build_dag(doc: dict[str, Any], warnings: list[Problem] | None = None) -> Dag:
    """Build a ``Dag`` from a document already known to be valid."""
    defaults = doc.get("default_args") or {}
    default_retries = int(defaults.get("retries", 0))
    default_delay = float(defaults.get("retry_delay_s", DEFAULT_RETRY_DELAY_S))
    tasks = []
    for raw in doc["tasks"]:
        operator = Operator(raw["operator"])
        tasks.append(
            Task(
                task_id=raw["task_id"],
                operator=operator,
                trigger_rule=TriggerRule(raw.get("trigger_rule", "all_success")),
                retries=int(raw.get("retries", default_retries)),
                retry_delay_s=float(raw.get("retry_delay_s", default_delay)),
                duration_s=float(raw.get("duration_s", DEFAULT_DURATION_S)),
                pool=raw.get("pool", DEFAULT_POOL),
                pool_slots=int(raw.get("pool_slots", 1)),
                priority_weight=int(raw.get("priority_weight", 1)),
                weight_rule=WeightRule(raw.get("weight_rule", "downstream")),
                ignore_downstream_trigger_rules=bool(
                    raw.get("ignore_downstream_trigger_rules", True)
                ),
                xcom_push=dict(raw.get("xcom_push") or {}),
                xcom_pull=list(raw.get("xcom_pull") or []),
                source=raw,
            )
        )
    start = doc.get("start_date")
    return Dag(
        dag_id=doc["dag_id"],
        tasks=tasks,
        edges=[(e[0], e[1]) for e in doc.get("edges", [])],
        schedule=doc.get("schedule"),
        start_date=parse_datetime(start) if start is not None else None,
        default_args=dict(defaults),
        max_active_tasks=doc.get("max_active_tasks"),
        pools=dict(doc["pools"]) if doc.get("pools") is not None else None,
        source=doc,
        warnings=list(warnings or []),
    )


@dataclass(slots=True)
class Outcome:
    """What one task's own work does in a scenario."""

    fail_times: int = 0  # the first N tries fail; a huge number means every try fails
    skip: bool = False  # raises the skip exception
    branch: list[str] | None = None
    short_circuit: bool = True

    ALWAYS_FAILS = 1 << 30

    @property
    def always_fails(self) -> bool:
        return self.fail_times >= self.ALWAYS_FAILS


@dataclass(slots=True)
class Scenario:
    logical_date: datetime
    now: datetime | None
    outcomes: dict[str, Outcome]
    source: dict[str, Any] = field(default_factory=dict, repr=False)
    warnings: list[Problem] = field(default_factory=list, repr=False)

    def outcome(self, task_id: str) -> Outcome:
        return self.outcomes.get(task_id) or Outcome()

    def to_document(self) -> dict[str, Any]:
        out: dict[str, Any] = {"logical_date": format_datetime(self.logical_date)}
        if self.now is not None:
            out["now"] = format_datetime(self.now)
        out["outcomes"] = dict(self.source.get("outcomes") or {})
        return out


DEFAULT_LOGICAL_DATE = "2024-01-01T00:00:00Z"


def load_scenario(dag: Dag, scenario: Any) -> Scenario:
    """Validate a scenario against ``dag`` and build it. Raises ``InvalidDocument``."""
    from .validate import validate_scenario_for

    problems = validate_scenario_for(dag, scenario)
    if any(p.is_error for p in problems):
        raise InvalidDocument(problems)
    scenario = scenario or {}
    logical = scenario.get("logical_date")
    if logical is None:
        logical = format_datetime(dag.start_date) if dag.start_date else DEFAULT_LOGICAL_DATE
    now = scenario.get("now")
    return Scenario(
        logical_date=parse_datetime(logical),
        now=parse_datetime(now) if now is not None else None,
        outcomes={tid: parse_outcome(v) for tid, v in (scenario.get("outcomes") or {}).items()},
        source=scenario,
        warnings=problems,
    )


def parse_outcome(value: Any) -> Outcome:
    if value == "success":
        return Outcome()
    if value == "failed":
        return Outcome(fail_times=Outcome.ALWAYS_FAILS)
    if value == "skipped":
        return Outcome(skip=True)
    return Outcome(
        fail_times=int(value.get("fail_times", 0)),
        branch=list(value["branch"]) if "branch" in value else None,
        short_circuit=bool(value.get("short_circuit", True)),
    )
