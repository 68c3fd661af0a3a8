"""What an imported DAG file declares, gathered as it is read: tasks, task groups, edges.

Both importers (Airflow ``.py`` read with ``ast``, dag-factory YAML) fill a ``DagBuilder`` and
ask it for the interchange document. It applies Airflow's own rules where they decide the
result: task ids inside a TaskGroup are prefixed with the group ids, a group used in a
dependency stands for its root tasks (downstream side) or leaf tasks (upstream side) at that
moment, and ``default_args`` fill the task arguments a task does not set itself.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..problems import WARNING, Problem
from ..schedules import schedule_error

# Task arguments the document has, as Airflow spells them (retry_delay becomes retry_delay_s).
TASK_ARGUMENTS = (
    "trigger_rule",
    "retries",
    "retry_delay",
    "pool",
    "pool_slots",
    "priority_weight",
    "weight_rule",
    "ignore_downstream_trigger_rules",
)
# default_args entries Airflow hands to every task; the document keeps retries and retry_delay
# as its own default_args and writes the others onto the tasks.
DEFAULT_ARGS_KEPT = ("retries", "retry_delay")
MAX_TASKS = 20_000


class ImportLimit(Exception):
    """The file asks for more than an import may do (tasks, steps, loop turns)."""


@dataclass
class Group:
    group_id: str
    prefix: str  # the prefix its tasks' ids get: "outer.inner." or "" when not prefixed
    parent: Group | None
    default_args: dict[str, Any] = field(default_factory=dict)
    members: list[str] = field(default_factory=list)  # task ids, nested groups included


@dataclass
class TaskEntry:
    task_id: str
    operator: str
    arguments: dict[str, Any]
    line: int


@dataclass
class DagBuilder:
    dag_id: str
    line: int
    arguments: dict[str, Any] = field(default_factory=dict)
    default_args: dict[str, Any] = field(default_factory=dict)
    tasks: dict[str, TaskEntry] = field(default_factory=dict)
    edges: dict[tuple[str, str], None] = field(default_factory=dict)  # ordered set
    groups: dict[str, Group] = field(default_factory=dict)
    warnings: list[Problem] = field(default_factory=list)

    # -- tasks and groups -------------------------------------------------------------------
    def full_id(self, task_id: str, group: Group | None) -> str:
        return (group.prefix if group else "") + task_id

    def add_group(
        self,
        group_id: str,
        parent: Group | None,
        prefix_group_id: bool = True,
        default_args: dict[str, Any] | None = None,
    ) -> Group:
        inherited = dict(parent.default_args) if parent else {}
        inherited.update(default_args or {})
        parent_prefix = parent.prefix if parent else ""
        prefix = f"{parent_prefix}{group_id}." if prefix_group_id else parent_prefix
        full = (parent_prefix + group_id) if prefix_group_id else group_id
        group = Group(full, prefix, parent, inherited)
        self.groups[full] = group
        return group

    def unique_id(self, task_id: str) -> str:
        """Airflow's rule for TaskFlow tasks called more than once: ``name__1``, ``name__2``."""
        if task_id not in self.tasks:
            return task_id
        core = task_id.split("__")[0] if "__" in task_id else task_id
        n = 1
        while f"{core}__{n}" in self.tasks:
            n += 1
        return f"{core}__{n}"

    def add_task(
        self, task_id: str, operator: str, arguments: dict[str, Any], group: Group | None, line: int
    ) -> TaskEntry:
        if task_id in self.tasks:
            raise DuplicateTask(task_id, self.tasks[task_id].line, line)
        if len(self.tasks) >= MAX_TASKS:
            raise ImportLimit(f"the DAG has more than {MAX_TASKS} tasks")
        merged = {
            k: v for k, v in (group.default_args if group else {}).items() if k in TASK_ARGUMENTS
        }
        merged.update(arguments)
        entry = TaskEntry(task_id, operator, merged, line)
        self.tasks[task_id] = entry
        while group is not None:
            group.members.append(task_id)
            group = group.parent
        return entry

    # -- dependencies ------------------------------------------------------------------------
    def add_edge(self, upstream: str, downstream: str) -> None:
        if upstream in self.tasks and downstream in self.tasks and upstream != downstream:
            self.edges.setdefault((upstream, downstream), None)

    def roots(self, group: Group) -> list[str]:
        inside = set(group.members)
        has_upstream_inside = {d for u, d in self.edges if u in inside and d in inside}
        return [t for t in group.members if t not in has_upstream_inside]

    def leaves(self, group: Group) -> list[str]:
        inside = set(group.members)
        has_downstream_inside = {u for u, d in self.edges if u in inside and d in inside}
        return [t for t in group.members if t not in has_downstream_inside]

    def warn(self, code: str, message: str, line: int | None = None, **where: Any) -> None:
        text = f"line {line}: {message}" if line else message
        data = {"line": line} if line else {}
        self.warnings.append(Problem(code, text, severity=WARNING, data=data, **where))

    # -- the document ------------------------------------------------------------------------
    def document(self) -> dict[str, Any]:
        doc: dict[str, Any] = {"format": "dagsim/1", "dag_id": self.dag_id}
        schedule = self.arguments.get("schedule")
        if schedule is not None and schedule_error(schedule):
            self.warn(
                "schedule_not_supported",
                f"schedule {schedule!r} is not one dagsim simulates "
                f"({schedule_error(schedule)}); imported as manual runs only",
                self.line,
            )
            schedule = None
        doc["schedule"] = schedule
        start = self.arguments.get("start_date") or self.default_args.get("start_date")
        if start is not None:
            doc["start_date"] = start
        kept = {}
        if "retries" in self.default_args:
            kept["retries"] = self.default_args["retries"]
        if "retry_delay" in self.default_args:
            kept["retry_delay_s"] = self.default_args["retry_delay"]
        if kept:
            doc["default_args"] = kept
        if self.arguments.get("max_active_tasks") is not None:
            doc["max_active_tasks"] = self.arguments["max_active_tasks"]
        spread = {
            k: v
            for k, v in self.default_args.items()
            if k in TASK_ARGUMENTS and k not in DEFAULT_ARGS_KEPT
        }
        doc["tasks"] = [self._task_document(t, spread) for t in self.tasks.values()]
        doc["edges"] = [[u, d] for u, d in self.edges]
        return doc

    def _task_document(self, task: TaskEntry, spread: dict[str, Any]) -> dict[str, Any]:
        out: dict[str, Any] = {"task_id": task.task_id, "operator": task.operator}
        arguments = {**spread, **task.arguments}
        for key in TASK_ARGUMENTS:
            if key not in arguments or arguments[key] is None:
                continue
            if key == "ignore_downstream_trigger_rules" and task.operator != "short_circuit":
                continue
            out["retry_delay_s" if key == "retry_delay" else key] = arguments[key]
        return out


class DuplicateTask(Exception):
    def __init__(self, task_id: str, first_line: int, line: int):
        super().__init__(f"task_id `{task_id}` is used twice (lines {first_line} and {line})")
        self.task_id = task_id
        self.line = line
