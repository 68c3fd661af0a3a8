"""What the Airflow calls in a DAG file would do, for the reader in ``airflow_ast``.

``DAG(...)``, ``TaskGroup(...)``, operator classes, ``@task`` / ``@task_group`` / ``@dag``
functions, ``Label``, ``chain``, ``cross_downstream``, ``chain_linear``, ``>>`` and ``<<``,
``timedelta`` and ``datetime``: each is recognised by its name (``airflow.sdk.DAG``,
``airflow.models.DAG`` and a bare ``DAG`` alike) and recorded in a ``DagBuilder``; nothing from
Airflow is imported.
"""

from __future__ import annotations

import ast
from datetime import UTC, datetime, timedelta
from pathlib import PurePosixPath
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from ..exports.airflow_names import CLASS_OPERATORS, DECORATOR_OPERATORS, trigger_rule_name
from ..schedules import format_datetime
from .dag_builder import DagBuilder, DuplicateTask, Group, ImportLimit
from .python_data import MAX_LENGTH, call_method, path_function
from .python_values import (
    BoundMethod,
    CustomClass,
    DagFactory,
    DagValue,
    Decorator,
    Duration,
    Function,
    GroupFactory,
    GroupNode,
    Imported,
    LabelNode,
    Moment,
    Partial,
    TaskFactory,
    TaskNode,
    Unknown,
    XComRef,
    is_dependency_side,
    task_references,
)

DAG_SCHEDULE_KEYS = ("schedule", "schedule_interval", "timetable")
WEIGHT_RULES = ("downstream", "upstream", "absolute")
MAPPED = "expand", "expand_kwargs"


class AirflowCalls:
    """Airflow's meaning of calls and dependency operators; mixed into the file reader, which
    provides the hooks below (reporting, plain-data evaluation, calling file functions)."""

    dags: list[DagBuilder]
    dag_stack: list[DagBuilder]
    group_stack: list[Group | None]

    def warn(self, node: ast.AST | int | None, message: str, code: str = "not_understood") -> None:
        raise NotImplementedError

    def snippet(self, node: ast.AST) -> str:
        raise NotImplementedError

    def plain(self, operation: Any, node: ast.AST) -> Any:
        raise NotImplementedError

    def call(self, callee: Any, args: list, kwargs: dict, node: ast.Call) -> Any:
        raise NotImplementedError

    def call_function(self, function: Function, args: list, kwargs: dict, node: ast.AST) -> Any:
        raise NotImplementedError

    def call_imported(self, callee: Imported, args: list, kwargs: dict, node: ast.Call) -> Any:
        name, parts = callee.name, callee.parts
        if parts[:2] == ["os", "path"] and len(parts) == 3:
            return self.plain(lambda: path_function(name, args), node)
        decorator = self.decorator(callee)
        if decorator is not None:
            if args and isinstance(args[0], Function):  # task(fn) written as a call
                return self.call(decorator, args, kwargs, node)
            return Decorator(
                decorator.kind,
                decorator.operator,
                decorator.flavour,
                {**decorator.kwargs, **kwargs},
            )
        if name == "Path" and len(args) == 1 and isinstance(args[0], str):
            return PurePosixPath(args[0])  # only its name is ever used: no file is touched
        if name == "partial" and len(parts) > 1:  # Operator.partial(...), before .expand()
            return Partial(Imported(callee.qualname.rsplit(".", 1)[0]), kwargs)
        if name == "DAG":
            return DagValue(self.make_dag(args, kwargs, node, None))
        if name == "TaskGroup":
            return self.make_group(args, kwargs, node)
        if name == "Label":
            text = args[0] if args else kwargs.get("label")
            return LabelNode(text if isinstance(text, str) else "?", node.lineno)
        if name in ("chain", "chain_linear", "cross_downstream"):
            self.chain(name, args, node)
            return None
        if name in ("timedelta", "duration"):
            return self.duration(args, kwargs, node)
        if name == "datetime" or (name == "parse" and parts[0] == "pendulum"):
            return self.moment(name, args, kwargs, node)
        if name in CLASS_OPERATORS:
            return self.make_task(CLASS_OPERATORS[name], name, kwargs, node)
        if name.endswith(("Operator", "Sensor")) and "task_id" in kwargs:
            return self.make_task(None, name, kwargs, node)
        return Unknown(f"a call to `{callee.qualname}`", node.lineno)

    def decorator(self, value: Any) -> Decorator | None:
        """What a decorator expression means: @task / @task.branch / @dag / @task_group."""
        if isinstance(value, Decorator):
            return value
        if not isinstance(value, Imported):
            return None
        parts = value.parts
        if parts[-1] == "task":
            return Decorator("task", "python", "", {})
        if len(parts) >= 2 and parts[-2] == "task":
            flavour = parts[-1]
            if flavour in ("override", "partial", "expand"):
                return None
            return Decorator("task", DECORATOR_OPERATORS.get(flavour, "python"), flavour, {})
        if parts[-1] in ("setup", "teardown"):
            return Decorator("task", "python", parts[-1], {})
        if parts[-1] == "dag":
            return Decorator("dag", "", "", {})
        if parts[-1] == "task_group":
            return Decorator("task_group", "", "", {})
        return None

    def call_method(self, method: BoundMethod, args: list, kwargs: dict, node: ast.Call) -> Any:
        target, name = method.target, method.name
        if name in ("set_downstream", "set_upstream") and is_dependency_side(target):
            other = args[0] if args else kwargs.get("task_or_task_list")
            if "edge_modifier" in kwargs and isinstance(kwargs["edge_modifier"], LabelNode):
                self.label_dropped(kwargs["edge_modifier"])
            if name == "set_downstream":
                self.depend(target, other, node)
            else:
                self.depend(other, target, node)
            return None
        if isinstance(target, TaskNode) and name == "as_setup":
            return target
        if isinstance(target, TaskNode) and name == "as_teardown":
            return self.teardown(target, kwargs.get("setups", args[0] if args else None), node)
        if isinstance(target, TaskFactory):
            if name == "override":
                return TaskFactory(
                    target.function, target.operator, {**target.kwargs, **kwargs}, target.flavour
                )
            if name == "partial":
                return Partial(target, kwargs)
            if name in MAPPED:
                return self.call_task_factory(target, args, kwargs, node, mapped=True)
        if isinstance(target, Partial) and name in MAPPED:
            merged = {**target.kwargs, **kwargs}
            if isinstance(target.target, TaskFactory):
                return self.call_task_factory(target.target, args, merged, node, mapped=True)
            return self.make_mapped(target, merged, node)
        if isinstance(target, (Imported, CustomClass)) and name == "partial":
            return Partial(target, kwargs)
        if isinstance(target, list) and name in ("append", "extend"):
            growth = (
                len(args[0])
                if name == "extend" and args and isinstance(args[0], (list, tuple))
                else 1
            )
            if len(target) + growth > MAX_LENGTH:
                raise ImportLimit(f"a list grows past {MAX_LENGTH} items")
            if name == "append" and len(args) == 1:
                target.append(args[0])
            elif name == "extend" and len(args) == 1 and isinstance(args[0], (list, tuple)):
                target.extend(args[0])
            return None
        if isinstance(target, (str, dict)):
            return self.plain(lambda: call_method(target, name, args, kwargs), node)
        return Unknown(f"the method `.{name}()`", node.lineno)

    def make_mapped(self, partial: Partial, kwargs: dict, node: ast.Call) -> Any:
        target = partial.target
        if isinstance(target, Imported) and target.name in CLASS_OPERATORS:
            result = self.make_task(CLASS_OPERATORS[target.name], target.name, kwargs, node)
        elif isinstance(target, (Imported, CustomClass)):
            result = self.make_task(None, target.name, kwargs, node)
        else:
            return Unknown("a mapped task not understood", node.lineno)
        if isinstance(result, TaskNode):
            self.warn(
                node,
                f"`{result.task_id}` is a mapped task (.expand); it is simulated as "
                "one task instance",
                "mapped_task",
            )
        return result

    def current_dag(self, kwargs: dict) -> DagBuilder | None:
        if isinstance(kwargs.get("dag"), DagValue):
            return kwargs["dag"].builder
        return self.dag_stack[-1] if self.dag_stack else None

    def make_dag(
        self, args: list, kwargs: dict, node: ast.AST, default_id: str | None
    ) -> DagBuilder:
        dag_id = kwargs.get("dag_id", args[0] if args else default_id)
        line = getattr(node, "lineno", 0)
        if not isinstance(dag_id, str):
            self.warn(node, "cannot tell the DAG's dag_id; it was imported as `imported_dag`")
            dag_id = "imported_dag"
        builder = DagBuilder(dag_id, line)
        self.dags.append(builder)
        self.dag_stack.append(builder)  # so that warnings about its arguments land on it
        try:
            self.dag_arguments(builder, kwargs, node)
        finally:
            self.dag_stack.pop()
        return builder

    def dag_arguments(self, builder: DagBuilder, kwargs: dict, node: ast.AST) -> None:
        for key in DAG_SCHEDULE_KEYS:
            if key not in kwargs:
                continue
            value = kwargs[key]
            if value is None or isinstance(value, str):
                builder.arguments["schedule"] = value
            else:
                self.warn(
                    node,
                    f"the schedule `{key}=...` is not a cron expression or preset "
                    "dagsim simulates; imported as manual runs only",
                    "schedule_not_supported",
                )
                builder.arguments["schedule"] = None
        if "start_date" in kwargs:
            start = self.as_moment(kwargs["start_date"], node, "start_date")
            if start is not None:
                builder.arguments["start_date"] = start
        limit = kwargs.get("max_active_tasks", kwargs.get("concurrency"))
        if isinstance(limit, int) and not isinstance(limit, bool):
            builder.arguments["max_active_tasks"] = limit
        default_args = kwargs.get("default_args")
        if isinstance(default_args, dict):
            builder.default_args = self.task_arguments(default_args, node, "default_args")
            if "start_date" in default_args:
                start = self.as_moment(default_args["start_date"], node, "default_args start_date")
                if start is not None:
                    builder.default_args["start_date"] = start
        elif default_args is not None:
            self.warn(node, "the DAG's default_args are not understood; ignored")

    def make_group(self, args: list, kwargs: dict, node: ast.Call) -> Any:
        builder = self.current_dag(kwargs)
        group_id = kwargs.get("group_id", args[0] if args else None)
        if builder is None:
            self.warn(node, "a TaskGroup outside any DAG; ignored")
            return Unknown("a TaskGroup outside any DAG", node.lineno)
        if not isinstance(group_id, str):
            self.warn(node, "cannot tell the TaskGroup's group_id; its tasks are read without it")
            return Unknown("a TaskGroup without a known group_id", node.lineno)
        parent = kwargs.get("parent_group")
        parent_group = parent.group if isinstance(parent, GroupNode) else self.group_stack[-1]
        default_args = kwargs.get("default_args")
        group = builder.add_group(
            group_id,
            parent_group,
            kwargs.get("prefix_group_id", True) is not False,
            self.task_arguments(default_args, node, "default_args")
            if isinstance(default_args, dict)
            else None,
        )
        return GroupNode(group, builder)

    def make_task(self, operator: str | None, class_name: str, kwargs: dict, node: ast.Call) -> Any:
        builder = self.current_dag(kwargs)
        task_id = kwargs.get("task_id")
        if not isinstance(task_id, str):
            why = f" ({task_id.why})" if isinstance(task_id, Unknown) else ""
            self.warn(node, f"cannot tell the task_id of this {class_name}{why}; task not imported")
            return Unknown("a task whose task_id is not known", node.lineno)
        if builder is None:
            self.warn(node, f"task `{task_id}` is not inside any DAG; not imported")
            return Unknown("a task outside any DAG", node.lineno)
        if operator is None:
            self.warn(
                node,
                f"{class_name} is not an operator dagsim simulates; `{task_id}` was "
                "imported as a python task",
                "unknown_operator",
            )
            operator = "python"
        group = self.task_group(kwargs)
        full_id = builder.full_id(task_id, group)
        arguments = self.task_arguments(kwargs, node, f"task `{full_id}`")
        try:
            builder.add_task(full_id, operator, arguments, group, node.lineno)
        except DuplicateTask as exc:
            raise DuplicateTask(exc.task_id, builder.tasks[exc.task_id].line, node.lineno) from None
        found = TaskNode(full_id, builder)
        for key, value in kwargs.items():
            if key not in ("task_id", "dag", "task_group"):
                for ref in task_references(value):
                    builder.add_edge(ref.task_id, full_id)
        return found

    def task_group(self, kwargs: dict) -> Group | None:
        if isinstance(kwargs.get("task_group"), GroupNode):
            return kwargs["task_group"].group
        return self.group_stack[-1]

    def call_task_factory(
        self, factory: TaskFactory, args: list, kwargs: dict, node: ast.Call, mapped: bool = False
    ) -> Any:
        builder = self.dag_stack[-1] if self.dag_stack else None
        name = factory.function.node.name
        if builder is None:
            self.warn(node, f"@task `{name}` is called outside any DAG; not imported")
            return Unknown("a task outside any DAG", node.lineno)
        task_id = factory.kwargs.get("task_id", name)
        if not isinstance(task_id, str):
            self.warn(node, f"cannot tell the task_id of @task `{name}`; task not imported")
            return Unknown("a task whose task_id is not known", node.lineno)
        group = self.group_stack[-1]
        full_id = builder.unique_id(builder.full_id(task_id, group))
        arguments = self.task_arguments(factory.kwargs, node, f"task `{full_id}`")
        builder.add_task(full_id, factory.operator, arguments, group, node.lineno)
        if mapped:
            self.warn(
                node,
                f"`{full_id}` is a mapped task (.expand); it is simulated as one task instance",
                "mapped_task",
            )
        # Arguments, and values given to .override(), that come from other tasks' XComs.
        for ref in task_references([args, kwargs, factory.kwargs]):
            builder.add_edge(ref.task_id, full_id)
        made = TaskNode(full_id, builder)
        if factory.flavour == "teardown":
            self.teardown(made, None, node)
        return made

    def call_group_factory(
        self, factory: GroupFactory, args: list, kwargs: dict, node: ast.Call
    ) -> Any:
        builder = self.dag_stack[-1] if self.dag_stack else None
        name = factory.function.node.name
        if builder is None:
            self.warn(node, f"@task_group `{name}` is called outside any DAG; not imported")
            return Unknown("a task group outside any DAG", node.lineno)
        group_id = factory.kwargs.get("group_id", name)
        if not isinstance(group_id, str):
            group_id = name
        parent = self.group_stack[-1]
        n, unique = 0, group_id
        while (parent.prefix if parent else "") + unique in builder.groups:
            n += 1
            unique = f"{group_id}__{n}"  # Airflow adds a suffix when a group is used again
        default_args = factory.kwargs.get("default_args")
        group = builder.add_group(
            unique,
            parent,
            factory.kwargs.get("prefix_group_id", True) is not False,
            self.task_arguments(default_args, node, "default_args")
            if isinstance(default_args, dict)
            else None,
        )
        self.group_stack.append(group)
        try:
            result = self.call_function(factory.function, args, kwargs, node)
        finally:
            self.group_stack.pop()
        return result if result is not None else GroupNode(group, builder)

    def call_dag_factory(self, factory: DagFactory, args: list, kwargs: dict, node: ast.AST) -> Any:
        factory.called = True
        builder = self.make_dag([], factory.kwargs, node, factory.function.node.name)
        self.dag_stack.append(builder)
        self.group_stack.append(None)
        try:
            self.call_function(factory.function, args, kwargs, node)
        finally:
            self.group_stack.pop()
            self.dag_stack.pop()
        return DagValue(builder)

    def set_task_argument(self, task: TaskNode, key: str, value: Any, node: ast.AST) -> None:
        """``task.trigger_rule = ...`` after the task was made."""
        converted = self.task_argument(key, value)
        if converted is _UNREADABLE:
            self.warn(
                node,
                f"task `{task.task_id}`: `{key}` is not a value dagsim can read; left as it was",
            )
        elif converted is not _IGNORED and task.task_id in task.dag.tasks:
            task.dag.tasks[task.task_id].arguments[key] = converted

    def teardown(self, task: TaskNode, setups: Any, node: ast.AST) -> TaskNode:
        """``.as_teardown(setups=...)``: after its setups, run when everything is done.

        Airflow's teardown rule (all_done_setup_success) is not one dagsim has; all_done is
        the closest, and the warning says so."""
        if setups is not None:
            self.depend(setups, task, node)
        self.set_task_argument(task, "trigger_rule", "all_done", node)
        self.warn(
            node,
            f"`{task.task_id}` is a teardown task: simulated with trigger rule "
            "all_done (Airflow's all_done_setup_success is not simulated)",
            "teardown",
        )
        return task

    def task_arguments(self, kwargs: dict, node: ast.AST, whose: str) -> dict[str, Any]:
        """The task settings dagsim simulates, from operator (or default_args) keywords."""
        out: dict[str, Any] = {}
        for key, value in kwargs.items():
            converted = self.task_argument(key, value)
            if converted is _IGNORED:
                continue
            if converted is _UNREADABLE:
                why = f" ({value.why})" if isinstance(value, Unknown) else ""
                self.warn(
                    node,
                    f"{whose}: `{key}` is not a value dagsim can read{why}; left at its default",
                )
                continue
            out[key] = converted
        return out

    def task_argument(self, key: str, value: Any) -> Any:
        if key == "trigger_rule":
            name = None
            if isinstance(value, str):
                name = trigger_rule_name(value)
            elif isinstance(value, Imported) and "TriggerRule" in value.parts:
                name = trigger_rule_name(value.name)
            return name if name is not None else _UNREADABLE
        if key in ("retries", "pool_slots", "priority_weight"):
            if isinstance(value, int) and not isinstance(value, bool):
                return value
            return _UNREADABLE
        if key == "retry_delay":
            if isinstance(value, Duration):
                return _whole(value.seconds)
            if isinstance(value, (int, float)) and not isinstance(value, bool) and value >= 0:
                return _whole(float(value))
            return _UNREADABLE
        if key == "pool":
            return value if isinstance(value, str) and value else _UNREADABLE
        if key == "weight_rule":
            # A custom PriorityWeightStrategy class is not one dagsim simulates.
            if isinstance(value, str) and value.lower() in WEIGHT_RULES:
                return value.lower()
            return _UNREADABLE
        if key == "ignore_downstream_trigger_rules":
            return value if isinstance(value, bool) else _UNREADABLE
        return _IGNORED

    def duration(self, args: list, kwargs: dict, node: ast.Call) -> Any:
        names = ("days", "seconds", "microseconds", "milliseconds", "minutes", "hours", "weeks")
        values = dict(zip(names, args, strict=False))
        values.update(kwargs)
        if not all(
            k in names and isinstance(v, (int, float)) and not isinstance(v, bool)
            for k, v in values.items()
        ):
            return Unknown("a timedelta with values not understood", node.lineno)
        try:
            return Duration(timedelta(**values).total_seconds())
        except (OverflowError, TypeError) as exc:
            return Unknown(str(exc), node.lineno)

    def moment(self, name: str, args: list, kwargs: dict, node: ast.Call) -> Any:
        if name == "parse":
            if args and isinstance(args[0], str):
                try:
                    parsed = datetime.fromisoformat(args[0].replace("Z", "+00:00"))
                except ValueError:
                    return Unknown(f"the date {args[0]!r}", node.lineno)
                return Moment(format_datetime(_aware(parsed, kwargs.get("tz"))))
            return Unknown("a date not understood", node.lineno)
        names = ("year", "month", "day", "hour", "minute", "second", "microsecond")
        values = dict(zip(names, args, strict=False))
        zone = kwargs.pop("tzinfo", kwargs.pop("tz", None)) if kwargs else None
        values.update({k: v for k, v in kwargs.items() if k in names})
        if not all(isinstance(v, int) and not isinstance(v, bool) for v in values.values()):
            return Unknown("a date with values not understood", node.lineno)
        try:
            return Moment(format_datetime(_aware(datetime(**values), zone)))
        except (TypeError, ValueError, ZoneInfoNotFoundError, OverflowError) as exc:
            return Unknown(f"a date not understood ({exc})", node.lineno)

    def as_moment(self, value: Any, node: ast.AST, what: str) -> str | None:
        if isinstance(value, Moment):
            return value.iso
        why = f" ({value.why})" if isinstance(value, Unknown) else ""
        self.warn(node, f"{what} is not a fixed date dagsim can read{why}; left unset")
        return None

    def dependency(self, op: ast.operator, left: Any, right: Any, node: ast.AST) -> Any:
        """``left >> right`` or ``left << right``; returns what Airflow returns (``right``)."""
        if isinstance(op, ast.RShift):
            if isinstance(right, LabelNode):
                ups = self.upstream_ids(left)
                if ups is None:
                    self.not_a_dependency(left, node)
                else:
                    right.upstream.extend(ups)
                return right
            self.depend(left, right, node)
            return right
        if isinstance(left, LabelNode) or isinstance(right, LabelNode):
            self.warn(node, "an edge label used with `<<` is not understood; ignored")
            return right
        self.depend(right, left, node)
        return right

    def depend(self, upstream: Any, downstream: Any, node: ast.AST) -> None:
        if isinstance(upstream, LabelNode):
            self.label_dropped(upstream)
            ups: list[str] | None = list(upstream.upstream)
        else:
            ups = self.upstream_ids(upstream)
        downs = self.downstream_ids(downstream)
        if isinstance(upstream, (list, tuple)) and isinstance(downstream, (list, tuple)):
            self.warn(
                node,
                "Airflow cannot set dependencies between two lists (use cross_downstream); ignored",
            )
            return
        if ups is None:
            self.not_a_dependency(upstream, node)
            return
        if downs is None:
            self.not_a_dependency(downstream, node)
            return
        builder = self.dag_of(upstream) or self.dag_of(downstream)
        if builder is None:
            return
        for up in ups:
            for down in downs:
                builder.add_edge(up, down)

    def dag_of(self, value: Any) -> DagBuilder | None:
        if isinstance(value, (TaskNode, XComRef, GroupNode)):
            return value.dag
        if isinstance(value, LabelNode):
            return self.dag_stack[-1] if self.dag_stack else value.dag
        if isinstance(value, (list, tuple)) and value:
            return self.dag_of(value[0])
        return None

    def not_a_dependency(self, value: Any, node: ast.AST) -> None:
        why = f" ({value.why})" if isinstance(value, Unknown) else ""
        self.warn(
            node,
            f"cannot tell which tasks a dependency in `{self.snippet(node)}` "
            f"connects{why}; ignored",
        )

    def label_dropped(self, label: LabelNode) -> None:
        self.warn(
            label.line,
            f"the edge label {label.text!r} is not kept: dagsim's format has "
            "no edge labels (the dependency itself is)",
            "edge_label_dropped",
        )

    def upstream_ids(self, value: Any) -> list[str] | None:
        return self._ids(value, upstream=True)

    def downstream_ids(self, value: Any) -> list[str] | None:
        if isinstance(value, LabelNode):
            return None
        return self._ids(value, upstream=False)

    def _ids(self, value: Any, upstream: bool) -> list[str] | None:
        if isinstance(value, (TaskNode, XComRef)):
            return [value.task_id]
        if isinstance(value, GroupNode):
            return value.dag.leaves(value.group) if upstream else value.dag.roots(value.group)
        if isinstance(value, (list, tuple)) and value:
            out: list[str] = []
            for item in value:
                ids = self._ids(item, upstream) if not isinstance(item, (list, tuple)) else None
                if ids is None:
                    return None
                out.extend(ids)
            return out
        return None

    def chain(self, name: str, args: list, node: ast.Call) -> None:
        if name == "cross_downstream":
            if len(args) != 2:
                self.warn(node, "cross_downstream() needs two lists of tasks; ignored")
                return
            ups, downs = self.upstream_ids(args[0]), self.downstream_ids(args[1])
            if ups is None or downs is None:
                self.not_a_dependency(args[0] if ups is None else args[1], node)
                return
            builder = self.dag_of(args[0])
            for up in ups:
                for down in downs:
                    builder.add_edge(up, down)  # type: ignore[union-attr]
            return
        for left, right in zip(args, args[1:], strict=False):
            both_lists = isinstance(left, (list, tuple)) and isinstance(right, (list, tuple))
            if name == "chain" and both_lists:
                if len(left) != len(right):
                    self.warn(
                        node,
                        "chain() of two lists of different lengths: Airflow raises an "
                        "error here; ignored",
                    )
                    continue
                for up, down in zip(left, right, strict=True):
                    self.depend(up, down, node)
            elif both_lists:  # chain_linear: every task of one to every task of the next
                for up in left:
                    self.depend(up, right, node)
            else:
                self.depend(left, right, node)


class _Marker:
    pass


_IGNORED = _Marker()
_UNREADABLE = _Marker()


def _whole(seconds: float) -> float | int:
    return int(seconds) if float(seconds).is_integer() else seconds


def _aware(moment: datetime, zone: Any) -> datetime:
    """``moment`` in its zone: a zone name ("Europe/Paris"), else UTC (``timezone.utc``,
    ``pendulum.UTC``, or no zone: Airflow's default)."""
    if moment.tzinfo is not None:
        return moment
    if isinstance(zone, str):
        return moment.replace(tzinfo=ZoneInfo(zone))
    return moment.replace(tzinfo=UTC)
