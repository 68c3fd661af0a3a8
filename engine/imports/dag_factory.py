"""dag-factory YAML files (astronomer/dag-factory), loaded with ``yaml.safe_load`` rules.

One top-level key per DAG (``default`` holds settings shared by all of them), tasks as a list
(v1) or a mapping (older files), ``dependencies`` naming tasks or task groups, operators by
import path, ``retry_delay`` as a number of seconds, a ``__type__: datetime.timedelta`` object
or the older ``retry_delay_sec``. ``params.dagsim`` carries back what dagsim's own YAML export
put there. Aliases are counted, so a "billion laughs" file is refused instead of expanded.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

import yaml

from ..exports.airflow_names import CLASS_OPERATORS, DECORATOR_OPERATORS, trigger_rule_name
from ..exports.yaml_factory import PARAMS_KEY
from ..problems import WARNING, InvalidDocument, Problem
from ..schedules import format_datetime
from .dag_builder import TASK_ARGUMENTS, DagBuilder, DuplicateTask, Group

MAX_ALIASES = 1_000
MAX_EXPANDED_VALUES = 1_000_000
SHARED = ("default",)


class _TooManyAliases(Exception):
    pass


class _Loader(yaml.SafeLoader):
    """``yaml.SafeLoader`` that counts aliases and reads dag-factory's ``!join`` tag."""

    aliases = 0

    def compose_node(self, parent: Any, index: Any) -> Any:
        if self.check_event(yaml.AliasEvent):
            self.aliases += 1
            if self.aliases > MAX_ALIASES:
                raise _TooManyAliases
        return super().compose_node(parent, index)


def _join(loader: yaml.SafeLoader, node: yaml.Node) -> str:
    return "".join(str(part) for part in loader.construct_sequence(node))  # type: ignore[arg-type]


_Loader.add_constructor("!join", _join)


def _error(code: str, message: str, line: int | None = None) -> InvalidDocument:
    return InvalidDocument([Problem(code, message, data={"line": line} if line else {})])


def expanded_size(value: Any) -> int:
    """How many values ``value`` holds once every alias is expanded (aliases share objects, so
    a small file can stand for a billion values). Raises ``ValueError`` for a recursive one."""
    sizes: dict[int, int] = {}
    visiting: set[int] = set()

    def size(item: Any) -> int:
        if not isinstance(item, (list, dict)):
            return 1
        key = id(item)
        if key in sizes:
            return sizes[key]
        if key in visiting:
            raise ValueError("a YAML value that contains itself")
        visiting.add(key)
        children = item.values() if isinstance(item, dict) else item
        total = 1 + sum(size(child) for child in children)
        visiting.discard(key)
        sizes[key] = total
        return total

    return size(value)


def load(text: str, filename: str) -> Any:
    try:
        config = yaml.load(text, Loader=_Loader)  # noqa: S506 - a SafeLoader subclass
        if expanded_size(config) > MAX_EXPANDED_VALUES:
            raise _TooManyAliases
        return config
    except _TooManyAliases:
        raise _error(
            "bad_yaml",
            f"`{filename}` uses too many YAML aliases (over {MAX_ALIASES}, or over "
            f"{MAX_EXPANDED_VALUES:,} values once expanded)",
        ) from None
    except yaml.MarkedYAMLError as exc:
        line = exc.problem_mark.line + 1 if exc.problem_mark else None
        raise _error(
            "bad_yaml", f"`{filename}` is not valid YAML: {exc.problem} (line {line})", line
        ) from None
    except (yaml.YAMLError, RecursionError, ValueError) as exc:
        raise _error("bad_yaml", f"`{filename}` is not valid YAML: {exc}") from None


def import_yaml(text: str, filename: str) -> tuple[dict[str, Any], list[Problem]]:
    """The first DAG of a dag-factory YAML file as an interchange document, and warnings."""
    config = load(text, filename)
    if not isinstance(config, dict):
        raise _error(
            "not_dag_factory",
            f"`{filename}` must map DAG ids to DAG settings (dag-factory's format)",
        )
    shared: dict[str, Any] = config["default"] if isinstance(config.get("default"), dict) else {}
    dags = {k: v for k, v in config.items() if k not in SHARED and isinstance(v, dict)}
    if not dags:
        raise _error(
            "no_dag",
            f"no DAG found in `{filename}`: each top-level key other than "
            "`default` should be a DAG id mapping to its settings",
        )
    dag_id, settings = next(iter(dags.items()))
    warnings: list[Problem] = []
    if len(dags) > 1:
        others = ", ".join(f"`{d}`" for d in list(dags)[1:])
        warnings.append(
            Problem(
                "several_dags",
                f"the file declares {len(dags)} DAGs; imported `{dag_id}` and left out {others}",
                severity=WARNING,
            )
        )
    merged = {**shared, **settings}
    merged["default_args"] = {
        **(shared.get("default_args") or {}),
        **(settings.get("default_args") or {}),
    }
    reader = _DagReader(str(dag_id), merged)
    document = reader.document()
    return document, warnings + reader.builder.warnings


class _DagReader:
    def __init__(self, dag_id: str, settings: dict[str, Any]):
        self.settings = settings
        self.builder = DagBuilder(dag_id, 0)

    def warn(self, message: str, **where: Any) -> None:
        self.builder.warnings.append(Problem("not_understood", message, severity=WARNING, **where))

    def document(self) -> dict[str, Any]:
        settings, builder = self.settings, self.builder
        for key in ("schedule", "schedule_interval"):
            if key in settings:
                value = settings[key]
                builder.arguments["schedule"] = value if isinstance(value, str) else None
                if value is not None and not isinstance(value, str):
                    self.warn(
                        f"the schedule {value!r} is not one dagsim simulates; imported as "
                        "manual runs only"
                    )
        limit = settings.get("max_active_tasks", settings.get("concurrency"))
        if limit is not None:
            builder.arguments["max_active_tasks"] = limit
        default_args = settings.get("default_args") or {}
        if not isinstance(default_args, dict):
            self.warn("default_args is not a mapping; ignored")
            default_args = {}
        builder.default_args = self.task_arguments(default_args, "default_args")
        start = settings.get("start_date", default_args.get("start_date"))
        if start is not None:
            builder.arguments["start_date"] = _moment(start)

        groups = self.groups(settings.get("task_groups"))
        extras: dict[str, dict] = {}
        short_names: dict[str, str] = {}
        dependencies: list[tuple[str, list]] = []
        for name, task in self.tasks(settings.get("tasks")):
            group = groups.get(task.get("task_group_name") or "")
            full = builder.full_id(name, group)
            try:
                builder.add_task(
                    full, self.operator(task, full), self.task_arguments(task, full), group, 0
                )
            except DuplicateTask as exc:
                raise _error(
                    "duplicate_task_id", f"task_id `{exc.task_id}` is used twice"
                ) from None
            short_names.setdefault(name, full)
            dagsim = (
                (task.get("params") or {}).get(PARAMS_KEY)
                if isinstance(task.get("params"), dict)
                else None
            )
            if isinstance(dagsim, dict):
                extras[full] = dagsim
            dependencies.append((full, task.get("dependencies") or []))

        # Task-to-task first: a group in a dependency stands for its roots or leaves, which
        # depend on the edges inside it.
        for full, names in dependencies:
            for name in names if isinstance(names, list) else [names]:
                if name in short_names or name in builder.tasks:
                    builder.add_edge(short_names.get(name, name), full)
        for full, names in dependencies:
            for name in names if isinstance(names, list) else [names]:
                if name in groups and name not in short_names:
                    for leaf in builder.leaves(groups[name]):
                        builder.add_edge(leaf, full)
                elif name not in short_names and name not in builder.tasks:
                    self.warn(
                        f"task `{full}` depends on `{name}`, which is not a task or task "
                        "group of this DAG; ignored",
                        task_id=full,
                    )
        for name, group_settings in self.group_settings.items():
            for upstream in group_settings.get("dependencies") or []:
                ups = (
                    [short_names.get(upstream, upstream)]
                    if upstream in short_names
                    else builder.leaves(groups[upstream])
                    if upstream in groups
                    else None
                )
                if ups is None:
                    self.warn(f"task group `{name}` depends on unknown `{upstream}`; ignored")
                    continue
                for up in ups:
                    for root in builder.roots(groups[name]):
                        builder.add_edge(up, root)

        document = builder.document()
        for task in document["tasks"]:
            task.update(extras.get(task["task_id"], {}))
        dagsim = (
            (settings.get("params") or {}).get(PARAMS_KEY)
            if isinstance(settings.get("params"), dict)
            else None
        )
        if isinstance(dagsim, dict):
            extra_defaults = dagsim.get("default_args")
            document.update({k: v for k, v in dagsim.items() if k != "default_args"})
            if isinstance(extra_defaults, dict):
                document["default_args"] = {**document.get("default_args", {}), **extra_defaults}
        return document

    def tasks(self, tasks: Any) -> list[tuple[str, dict]]:
        if isinstance(tasks, dict):  # the pre-1.0 format: task_id -> settings
            return [(str(k), v if isinstance(v, dict) else {}) for k, v in tasks.items()]
        if not isinstance(tasks, list):
            raise _error("no_tasks", f"DAG `{self.builder.dag_id}` needs a `tasks` list")
        out = []
        for i, task in enumerate(tasks):
            if not isinstance(task, dict) or not isinstance(task.get("task_id"), str):
                raise _error(
                    "bad_task", f"tasks[{i}] of DAG `{self.builder.dag_id}` needs a `task_id`"
                )
            out.append((task["task_id"], task))
        return out

    def groups(self, groups: Any) -> dict[str, Group]:
        if isinstance(groups, dict):
            listed = [
                {"group_name": k, **(v if isinstance(v, dict) else {})} for k, v in groups.items()
            ]
        else:
            listed = [g for g in groups or [] if isinstance(g, dict) and "group_name" in g]
        self.group_settings = {str(g["group_name"]): g for g in listed}
        made: dict[str, Group] = {}

        def make(name: str, seen: tuple[str, ...] = ()) -> Group | None:
            if name in made:
                return made[name]
            if name not in self.group_settings or name in seen:
                return None
            settings = self.group_settings[name]
            parent_name = settings.get("parent_group_name")
            parent = make(parent_name, (*seen, name)) if parent_name else None
            made[name] = self.builder.add_group(
                name,
                parent,
                settings.get("prefix_group_id", True) is not False,
                self.task_arguments(settings.get("default_args") or {}, f"task group `{name}`"),
            )
            return made[name]

        for name in self.group_settings:
            make(name)
        return made

    def operator(self, task: dict[str, Any], task_id: str) -> str:
        path = task.get("operator")
        if isinstance(path, str):
            name = path.rsplit(".", 1)[-1]
            if name in CLASS_OPERATORS:
                return CLASS_OPERATORS[name]
            self.warn(
                f"{path} is not an operator dagsim simulates; `{task_id}` was imported as "
                "a python task",
                task_id=task_id,
            )
            return "python"
        decorator = task.get("decorator")
        if isinstance(decorator, str):
            parts = decorator.split(".")
            if parts[-1] == "task":
                return "python"
            if len(parts) > 1 and parts[-2] == "task" and parts[-1] in DECORATOR_OPERATORS:
                return DECORATOR_OPERATORS[parts[-1]]
        self.warn(
            f"task `{task_id}` names no operator dagsim knows; imported as a python task",
            task_id=task_id,
        )
        return "python"

    def task_arguments(self, settings: dict[str, Any], whose: str) -> dict[str, Any]:
        out = {k: settings[k] for k in TASK_ARGUMENTS if k in settings and k != "retry_delay"}
        if isinstance(out.get("trigger_rule"), str):
            out["trigger_rule"] = trigger_rule_name(out["trigger_rule"]) or out["trigger_rule"]
        delay = settings.get("retry_delay", settings.get("retry_delay_sec"))
        if delay is not None:
            seconds = _seconds(delay)
            if seconds is None:
                self.warn(f"{whose}: retry_delay {delay!r} is not understood; left at its default")
            else:
                out["retry_delay"] = seconds
        return out


def _seconds(value: Any) -> float | int | None:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        seconds: float = value
    elif isinstance(value, dict) and str(value.get("__type__", "")).endswith("timedelta"):
        parts = {k: v for k, v in value.items() if k != "__type__"}
        names = ("days", "seconds", "microseconds", "milliseconds", "minutes", "hours", "weeks")
        if not all(
            k in names and isinstance(v, (int, float)) and not isinstance(v, bool)
            for k, v in parts.items()
        ):
            return None
        try:
            seconds = timedelta(**parts).total_seconds()
        except OverflowError:
            return None
    else:
        return None
    return int(seconds) if float(seconds).is_integer() else seconds


def _moment(value: Any) -> Any:
    """YAML dates and datetimes as the interchange format writes them; strings as given."""
    if isinstance(value, datetime):
        return format_datetime(value if value.tzinfo else value.replace(tzinfo=UTC))
    if isinstance(value, date):
        return format_datetime(datetime(value.year, value.month, value.day, tzinfo=UTC))
    return value
