"""Validation of DAG and scenario documents: every problem at once, each with its place.

What Airflow refuses is an error. What Airflow accepts and runs (a branch naming a task that is
not its direct downstream, or one that does not exist) is simulated, with a warning.
"""

from __future__ import annotations

import math
import re
from typing import Any

from .graph import find_cycle, topological_order
from .problems import WARNING, Problem, did_you_mean
from .schedules import parse_datetime, schedule_error
from .spec import (
    DAG_FIELDS,
    DEFAULT_POOL,
    FORMAT,
    PASSIVE_OPERATORS,
    TASK_FIELDS,
    Dag,
    Operator,
    WeightRule,
)
from .trigger_rules import LEGACY_NAMES, TriggerRule

# Airflow's KEY_REGEX and its 250-character limit for task and DAG ids.
ID_PATTERN = re.compile(r"^[\w.-]+$")
MAX_ID_LENGTH = 250
MAX_RETRIES = 8000  # tries are packed into 13 bits in the trace
OPERATORS = [o.value for o in Operator]
TRIGGER_RULES = [r.value for r in TriggerRule]
DEFAULT_ARGS_FIELDS = ("retries", "retry_delay_s")


def id_problem(value: object, what: str) -> str | None:
    """Why ``value`` is not a valid Airflow id, or None."""
    if not isinstance(value, str) or not value:
        return f"{what} must be a non-empty string"
    if len(value) > MAX_ID_LENGTH:
        return (
            f"{what} `{value[:40]}…` is {len(value)} characters long; the limit is {MAX_ID_LENGTH}"
        )
    if not ID_PATTERN.match(value):
        return f"{what} `{value}` may contain only letters, digits, `_`, `-` and `.`"
    return None


def _number(value: Any, *, integer: bool, minimum: float) -> bool:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return False
    if integer and not (isinstance(value, int) or float(value).is_integer()):
        return False
    return math.isfinite(value) and value >= minimum


class _Collector:
    def __init__(self) -> None:
        self.problems: list[Problem] = []

    def error(self, code: str, message: str, **where: Any) -> None:
        self.problems.append(Problem(code, message, **where))

    def warn(self, code: str, message: str, **where: Any) -> None:
        self.problems.append(Problem(code, message, severity=WARNING, **where))


def validate_dag(doc: Any) -> list[Problem]:
    """Every problem in a DAG document (errors and warnings), in document order."""
    out = _Collector()
    if not isinstance(doc, dict):
        out.error("not_an_object", "a DAG document must be a JSON object", path="")
        return out.problems
    fmt = doc.get("format", FORMAT)
    if fmt != FORMAT:
        out.error("format", f"unknown format `{fmt}`; expected `{FORMAT}`", path="format")
    if "dag_id" not in doc:
        out.error("missing_field", "the DAG needs a `dag_id`", path="dag_id", field="dag_id")
    elif msg := id_problem(doc["dag_id"], "dag_id"):
        out.error("bad_dag_id", msg, path="dag_id", field="dag_id")
    for key in doc:
        if key not in DAG_FIELDS:
            out.warn(
                "unknown_field",
                f"unknown DAG field `{key}`{did_you_mean(key, DAG_FIELDS)}",
                path=key,
                field=key,
            )
    if msg := schedule_error(doc.get("schedule")):
        out.error("bad_schedule", msg, path="schedule", field="schedule")
    if doc.get("start_date") is not None:
        try:
            parse_datetime(doc["start_date"])
        except ValueError as exc:
            out.error("bad_date", f"start_date: {exc}", path="start_date", field="start_date")
    _check_default_args(doc.get("default_args"), out)
    _check_limits(doc, out)

    tasks = doc.get("tasks")
    if not isinstance(tasks, list):
        out.error("missing_field", "the DAG needs a `tasks` list", path="tasks", field="tasks")
        tasks = []
    index: dict[str, int] = {}
    pools = doc.get("pools") if isinstance(doc.get("pools"), dict) else None
    for i, task in enumerate(tasks):
        _check_task(i, task, index, pools, out)
    _check_edges(doc.get("edges", []), index, out)
    _check_xcom_pulls(tasks, index, doc.get("edges", []), out)
    return out.problems


def _check_default_args(default_args: Any, out: _Collector) -> None:
    if default_args is None:
        return
    if not isinstance(default_args, dict):
        out.error("bad_value", "default_args must be an object", path="default_args")
        return
    if "retries" in default_args and not _number(default_args["retries"], integer=True, minimum=0):
        out.error(
            "bad_value",
            "default_args.retries must be a whole number >= 0",
            path="default_args.retries",
            field="retries",
        )
    if "retry_delay_s" in default_args and not _number(
        default_args["retry_delay_s"], integer=False, minimum=0
    ):
        out.error(
            "bad_value",
            "default_args.retry_delay_s must be a number of seconds >= 0",
            path="default_args.retry_delay_s",
            field="retry_delay_s",
        )


def _check_limits(doc: dict[str, Any], out: _Collector) -> None:
    limit = doc.get("max_active_tasks")
    if limit is not None and not _number(limit, integer=True, minimum=1):
        out.error(
            "bad_value",
            "max_active_tasks must be a whole number >= 1 (or null: no limit)",
            path="max_active_tasks",
            field="max_active_tasks",
        )
    pools = doc.get("pools")
    if pools is None:
        return
    if not isinstance(pools, dict):
        out.error("bad_value", "pools must be an object of pool name -> slots", path="pools")
        return
    for name, slots in pools.items():
        if not _number(slots, integer=True, minimum=0):
            out.error(
                "bad_value",
                f"pool `{name}` must have a whole number of slots >= 0",
                path=f"pools.{name}",
                field="pools",
            )


def _check_task(
    i: int, task: Any, index: dict[str, int], pools: dict | None, out: _Collector
) -> None:
    path = f"tasks[{i}]"
    if not isinstance(task, dict):
        out.error("not_an_object", f"{path} must be an object", path=path)
        return
    tid = task.get("task_id")
    where = {"path": path, "task_id": tid if isinstance(tid, str) else None}
    if "task_id" not in task:
        out.error("missing_field", f"{path} needs a `task_id`", field="task_id", **where)
    elif msg := id_problem(tid, "task_id"):
        out.error("bad_task_id", msg, field="task_id", **where)
    elif tid in index:
        out.error(
            "duplicate_task_id",
            f"task_id `{tid}` is used twice (tasks[{index[tid]}] and {path})",
            field="task_id",
            **where,
        )
    elif isinstance(tid, str):
        index[tid] = i
    name = f"task `{tid}`" if isinstance(tid, str) else path

    operator = task.get("operator")
    if operator is None:
        out.error(
            "missing_field",
            f"{name} needs an `operator` (one of {', '.join(OPERATORS)})",
            field="operator",
            **where,
        )
    elif operator not in OPERATORS:
        out.error(
            "unknown_operator",
            f"{name}: unknown operator `{operator}`{did_you_mean(operator, OPERATORS)}",
            field="operator",
            **where,
        )
    rule = task.get("trigger_rule")
    if rule is not None and rule not in TRIGGER_RULES:
        hint = (
            f" (Airflow 2's name for `{LEGACY_NAMES[rule]}`)"
            if rule in LEGACY_NAMES
            else did_you_mean(rule, TRIGGER_RULES)
        )
        out.error(
            "unknown_trigger_rule",
            f"{name}: unknown trigger rule `{rule}`{hint}",
            field="trigger_rule",
            **where,
        )
    if _number(task.get("retries"), integer=True, minimum=MAX_RETRIES + 1):
        out.error(
            "bad_value",
            f"{name}: at most {MAX_RETRIES} retries can be simulated",
            field="retries",
            **where,
        )
    for key, integer, minimum in (
        ("retries", True, 0),
        ("retry_delay_s", False, 0),
        ("duration_s", False, 0),
        ("pool_slots", True, 1),
        ("priority_weight", True, -(2**31)),
    ):
        if key in task and not _number(task[key], integer=integer, minimum=minimum):
            kind = "a whole number" if integer else "a number"
            bound = "" if minimum < 0 else f" >= {minimum}"
            out.error(
                "bad_value",
                f"{name}: {key} must be {kind}{bound}, not {task[key]!r}",
                field=key,
                **where,
            )
    pool = task.get("pool")
    if pool is not None and (not isinstance(pool, str) or not pool):
        out.error("bad_value", f"{name}: pool must be a pool name", field="pool", **where)
    elif pools is not None and pool is not None and pool != DEFAULT_POOL and pool not in pools:
        out.warn(
            "unknown_pool",
            f"{name}: pool `{pool}` is not defined; Airflow never queues its tasks"
            f"{did_you_mean(pool, pools)}",
            field="pool",
            **where,
        )
    elif pools is not None and isinstance(pools.get(pool or DEFAULT_POOL), int):
        slots = task.get("pool_slots", 1)
        if isinstance(slots, int) and slots > pools[pool or DEFAULT_POOL]:
            out.warn(
                "pool_too_small",
                f"{name} needs {slots} slots but pool `{pool or DEFAULT_POOL}` has "
                f"{pools[pool or DEFAULT_POOL]}; Airflow never queues it",
                field="pool_slots",
                **where,
            )
    weight_rule = task.get("weight_rule")
    if weight_rule is not None and weight_rule not in [w.value for w in WeightRule]:
        choices = [w.value for w in WeightRule]
        out.error(
            "bad_value",
            f"{name}: unknown weight_rule `{weight_rule}`{did_you_mean(weight_rule, choices)}",
            field="weight_rule",
            **where,
        )
    idtr = task.get("ignore_downstream_trigger_rules")
    if idtr is not None and not isinstance(idtr, bool):
        out.error(
            "bad_value",
            f"{name}: ignore_downstream_trigger_rules must be true or false",
            field="ignore_downstream_trigger_rules",
            **where,
        )
    push = task.get("xcom_push")
    if push is not None and not isinstance(push, dict):
        out.error(
            "bad_value",
            f"{name}: xcom_push must be an object of key -> value",
            field="xcom_push",
            **where,
        )
    pulls = task.get("xcom_pull")
    if pulls is not None and not (
        isinstance(pulls, list)
        and all(isinstance(p, dict) and isinstance(p.get("task_id"), str) for p in pulls)
    ):
        out.error(
            "bad_value",
            f'{name}: xcom_pull must be a list of {{"task_id": ..., "key": ...}}',
            field="xcom_pull",
            **where,
        )
    for key in task:
        if key not in TASK_FIELDS:
            out.warn(
                "unknown_field",
                f"{name}: unknown field `{key}`{did_you_mean(key, TASK_FIELDS)}",
                field=key,
                **where,
            )


def _check_edges(edges: Any, index: dict[str, int], out: _Collector) -> None:
    if not isinstance(edges, list):
        out.error("bad_value", "edges must be a list of [upstream, downstream] pairs", path="edges")
        return
    downstream: list[list[int]] = [[] for _ in range(len(index))]
    ids = list(index)
    position = {tid: n for n, tid in enumerate(ids)}
    seen: set[tuple[str, str]] = set()
    for i, edge in enumerate(edges):
        path = f"edges[{i}]"
        if not (
            isinstance(edge, (list, tuple))
            and len(edge) == 2
            and all(isinstance(x, str) for x in edge)
        ):
            out.error(
                "bad_edge", f"{path} must be a pair [upstream, downstream] of task ids", path=path
            )
            continue
        up, down = edge
        ok = True
        for tid in (up, down):
            if tid not in index:
                out.error(
                    "unknown_task",
                    f"{path} names unknown task `{tid}`{did_you_mean(tid, index)}",
                    path=path,
                    task_id=tid,
                    edge=(up, down),
                )
                ok = False
        if not ok:
            continue
        if up == down:
            out.error(
                "self_loop",
                f"task `{up}` depends on itself",
                path=path,
                task_id=up,
                edge=(up, down),
            )
            continue
        if (up, down) in seen:
            out.warn(
                "duplicate_edge", f"edge {up} -> {down} is listed twice", path=path, edge=(up, down)
            )
            continue
        seen.add((up, down))
        downstream[position[up]].append(position[down])
    _, leftover = topological_order(downstream)
    if leftover:
        cycle = [ids[i] for i in find_cycle(downstream, leftover)]
        out.error(
            "cycle",
            "cycle: " + " -> ".join(cycle),
            path="edges",
            task_id=cycle[0],
            edge=(cycle[-2], cycle[-1]),
            data={"cycle": cycle},
        )


def _check_xcom_pulls(tasks: list, index: dict[str, int], edges: Any, out: _Collector) -> None:
    pulling = [t for t in tasks if isinstance(t, dict) and isinstance(t.get("xcom_pull"), list)]
    if not pulling or not isinstance(edges, list):
        return
    upstream: dict[str, set[str]] = {}
    for e in edges:
        if isinstance(e, (list, tuple)) and len(e) == 2:
            upstream.setdefault(e[1], set()).add(e[0])
    for task in pulling:
        tid = task.get("task_id")
        ancestors = _ancestors(tid, upstream)
        for pull in task["xcom_pull"]:
            src = pull.get("task_id") if isinstance(pull, dict) else None
            if not isinstance(src, str):
                continue
            if src not in index:
                out.error(
                    "unknown_task",
                    f"task `{tid}` pulls XCom from unknown task `{src}`{did_you_mean(src, index)}",
                    task_id=tid,
                    field="xcom_pull",
                )
            elif src not in ancestors:
                out.warn(
                    "implicit_dependency",
                    f"task `{tid}` pulls XCom from `{src}`, which is not upstream of it: "
                    f"the value may not exist yet when `{tid}` runs",
                    task_id=tid,
                    field="xcom_pull",
                    edge=(src, tid),
                )


def _ancestors(tid: Any, upstream: dict[str, set[str]]) -> set[str]:
    seen: set[str] = set()
    stack = [tid]
    while stack:
        for parent in upstream.get(stack.pop(), ()):
            if parent not in seen:
                seen.add(parent)
                stack.append(parent)
    return seen


def validate_scenario(doc: Any, scenario: Any) -> list[Problem]:
    """Problems of a DAG document and a scenario for it, together."""
    from .spec import build_dag

    problems = validate_dag(doc)
    if any(p.is_error for p in problems):
        return problems
    return problems + validate_scenario_for(build_dag(doc), scenario)


def validate_scenario_for(dag: Dag, scenario: Any) -> list[Problem]:
    """Problems of a scenario document for an already loaded ``dag``."""
    out = _Collector()
    if scenario is None:
        scenario = {}
    if not isinstance(scenario, dict):
        out.error("not_an_object", "a scenario must be a JSON object", path="scenario")
        return out.problems
    for key in ("logical_date", "now"):
        if scenario.get(key) is not None:
            try:
                parse_datetime(scenario[key])
            except ValueError as exc:
                out.error("bad_date", f"scenario {key}: {exc}", path=f"scenario.{key}", field=key)
    for key in scenario:
        if key not in ("logical_date", "now", "outcomes", "name"):
            out.warn("unknown_field", f"unknown scenario field `{key}`", path=f"scenario.{key}")
    outcomes = scenario.get("outcomes") or {}
    if not isinstance(outcomes, dict):
        out.error(
            "bad_value",
            "scenario outcomes must be an object of task_id -> outcome",
            path="scenario.outcomes",
        )
        outcomes = {}
    tasks = dag.tasks_by_id
    downstream = dag.downstream_ids()
    for tid, value in outcomes.items():
        path = f"scenario.outcomes.{tid}"
        if tid not in tasks:
            out.error(
                "unknown_task",
                f"the scenario has an outcome for unknown task `{tid}`{did_you_mean(tid, tasks)}",
                path=path,
                task_id=tid,
            )
            continue
        _check_outcome(tasks[tid].operator, tid, value, downstream[tid], tasks, path, out)
    for task in dag.tasks:
        if task.operator is Operator.BRANCH and task.task_id not in outcomes:
            out.error(
                "missing_branch_outcome",
                f'branch task `{task.task_id}` needs an outcome {{"branch": [task ids to follow]}}',
                path=f"scenario.outcomes.{task.task_id}",
                task_id=task.task_id,
            )
    return out.problems


OUTCOME_WORDS = ("success", "failed", "skipped")


def _check_outcome(
    operator: Operator,
    tid: str,
    value: Any,
    direct: list[str],
    tasks: dict,
    path: str,
    out: _Collector,
) -> None:
    where = {"path": path, "task_id": tid}
    if operator in PASSIVE_OPERATORS:
        out.error(
            "outcome_not_allowed",
            f"`{tid}` is a {operator.value} task: it cannot fail or skip itself, so it "
            f"takes no outcome",
            **where,
        )
        return
    if isinstance(value, str):
        if value not in OUTCOME_WORDS:
            out.error(
                "bad_outcome",
                f"unknown outcome `{value}` for `{tid}`{did_you_mean(value, OUTCOME_WORDS)}",
                **where,
            )
        elif operator is Operator.BRANCH and value == "success":
            out.error(
                "missing_branch_outcome",
                f'branch task `{tid}` needs {{"branch": [task ids to follow]}}',
                **where,
            )
        return
    if not isinstance(value, dict):
        out.error("bad_outcome", f"the outcome for `{tid}` must be a word or an object", **where)
        return
    allowed = {"fail_times"}
    if operator is Operator.BRANCH:
        allowed.add("branch")
    if operator is Operator.SHORT_CIRCUIT:
        allowed.add("short_circuit")
    for key in value:
        if key not in allowed:
            out.error(
                "bad_outcome",
                f"`{key}` is not an outcome for {operator.value} task `{tid}` "
                f"(allowed: {', '.join(sorted(allowed))})",
                **where,
            )
    if "fail_times" in value and not _number(value["fail_times"], integer=True, minimum=0):
        out.error("bad_outcome", f"fail_times for `{tid}` must be a whole number >= 0", **where)
    if "short_circuit" in value and not isinstance(value["short_circuit"], bool):
        out.error("bad_outcome", f"short_circuit for `{tid}` must be true or false", **where)
    if operator is Operator.BRANCH:
        if "branch" not in value:
            out.error(
                "missing_branch_outcome",
                f'branch task `{tid}` needs {{"branch": [task ids to follow]}}',
                **where,
            )
            return
        chosen = value["branch"]
        if not (isinstance(chosen, list) and all(isinstance(c, str) for c in chosen)):
            out.error("bad_outcome", f"branch for `{tid}` must be a list of task ids", **where)
            return
        for choice in chosen:
            if choice not in tasks:
                out.warn(
                    "branch_unknown_task",
                    f"branch `{tid}` chooses `{choice}`, which is not in the DAG: as in "
                    f"Airflow, the branch task fails{did_you_mean(choice, tasks)}",
                    **where,
                )
            elif choice not in direct:
                out.warn(
                    "branch_not_direct_downstream",
                    f"branch `{tid}` chooses `{choice}`, which is not its direct downstream: "
                    f"as in Airflow, all its unchosen direct downstream tasks are skipped",
                    **where,
                )
