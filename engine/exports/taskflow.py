"""The DAG as an Airflow 3 TaskFlow file: ``@dag``, ``@task``, ``@task.branch``,
``@task.short_circuit``.

Python, branch and short-circuit tasks become decorated functions named after their task ids;
empty and latest-only tasks stay classic operators (TaskFlow has no decorator for them, and
Airflow lets the two styles mix). Where a task pulls an XCom that an upstream TaskFlow task
pushes, and it keeps the default trigger rule, the value is passed as an argument, the TaskFlow
way; every other dependency is written with ``>>``, because an argument whose upstream failed or
was skipped cannot be resolved, which would change how the DAG behaves.

A DAG with no python, branch or short-circuit task has nothing to write as ``@task``: that is
an ``ExportError``.
"""

from __future__ import annotations

from typing import Any

from . import Exported, ExportError, file_stem
from .airflow_names import OPERATOR_CLASSES
from .python_source import (
    Names,
    call_source,
    chain_source,
    dag_arguments,
    default_args_source,
    dependency_chains,
    finish,
    literal,
    pools_comment,
    task_arguments,
)

MEDIA_TYPE = "text/x-python"
DECORATORS = {"python": "task", "branch": "task.branch", "short_circuit": "task.short_circuit"}
RESERVED = {
    "DAG",
    "dag",
    "task",
    "datetime",
    "timedelta",
    "timezone",
    "default_args",
    *(cls for _, cls in OPERATOR_CLASSES.values()),
}


def export_taskflow(doc: dict[str, Any]) -> Exported:
    if not any(t["operator"] in DECORATORS for t in doc["tasks"]):
        raise ExportError(
            f"DAG `{doc['dag_id']}` has no python, branch or short-circuit task, so there is "
            "nothing to write as a TaskFlow @task function; export it as `airflow` instead"
        )
    filename = f"{file_stem(doc['dag_id'])}.py"
    source = finish(taskflow_source(doc), filename)
    return Exported(source.encode(), MEDIA_TYPE, filename)


def taskflow_source(doc: dict[str, Any]) -> str:
    tasks = doc["tasks"]
    by_id = {t["task_id"]: t for t in tasks}
    names = Names(RESERVED)
    dag_function = names.fresh(doc["dag_id"])
    for task in tasks:
        names.add(task["task_id"])
    downstream: dict[str, list[str]] = {t["task_id"]: [] for t in tasks}
    for up, down in doc["edges"]:
        downstream[up].append(down)
    passed = _passed_as_arguments(doc, by_id)

    classic_ops = {t["operator"] for t in tasks if t["operator"] not in DECORATORS}
    lines = [
        f'"""{doc["dag_id"]}: an Airflow 3 TaskFlow DAG exported from dagsim.',
        "",
        "The @task functions are stubs: replace their bodies with the tasks' real work.",
        '"""',
        "",
        "from datetime import datetime, timedelta, timezone",
        "",
    ]
    for op in sorted(classic_ops):
        module, cls = OPERATOR_CLASSES[op]
        lines.append(f"from {module} import {cls}")
    lines += ["from airflow.sdk import dag, task", "", ""]
    lines += pools_comment(doc)
    if (args := default_args_source(doc)) is not None:
        lines += [f"default_args = {args}", ""]
    lines += [f"@{call_source('dag', dag_arguments(doc))}", f"def {dag_function}():"]

    for task in tasks:
        if task["operator"] in DECORATORS:
            function = _function(task, names, downstream[task["task_id"]], passed)
            # A blank line between functions, none at the top of the DAG function.
            lines += function if lines[-1] != f"def {dag_function}():" else function[1:]
    for task in tasks:
        tid, var = task["task_id"], names.of[task["task_id"]]
        if task["operator"] in DECORATORS:
            arguments = [
                f"{_parameter(key)}={names.of[up]}[{literal(key)}]"
                for up, key in passed.get(tid, [])
            ]
            lines.append(f"    {var} = {call_source(var, arguments)}")
        else:
            kwargs = [f"task_id={literal(tid)}", *task_arguments(task)]
            operator_class = OPERATOR_CLASSES[task["operator"]][1]
            lines.append(f"    {var} = {call_source(operator_class, kwargs)}")
    implied = {(up, tid) for tid, pulls in passed.items() for up, _ in pulls}
    edges = [e for e in doc["edges"] if (e[0], e[1]) not in implied]
    chains = dependency_chains([t["task_id"] for t in tasks], edges)
    if chains:
        lines.append("")
        lines += [f"    {chain_source(chain, names.of)}" for chain in chains]
    lines += ["", "", f"{dag_function}()"]
    return "\n".join(lines) + "\n"


def _passed_as_arguments(doc: dict[str, Any], by_id: dict[str, dict]) -> dict[str, list]:
    """task_id -> [(upstream, key)] for XComs that can travel as TaskFlow arguments."""
    edges = {(e[0], e[1]) for e in doc["edges"]}
    passed: dict[str, list] = {}
    for task in doc["tasks"]:
        if task["operator"] not in DECORATORS:
            continue
        if task.get("trigger_rule", "all_success") != "all_success":
            continue
        for pull in task.get("xcom_pull") or []:
            up, key = pull["task_id"], pull.get("key", "return_value")
            source = by_id.get(up)
            if (
                source is not None
                and source["operator"] in DECORATORS
                and (up, task["task_id"]) in edges
                and key in (source.get("xcom_push") or {})
                and (up, key) not in passed.get(task["task_id"], [])
            ):
                passed.setdefault(task["task_id"], []).append((up, key))
    return passed


def _parameter(key: str) -> str:
    return Names().fresh(key)


def _function(
    task: dict[str, Any], names: Names, choices: list[str], passed: dict[str, list]
) -> list[str]:
    tid, op = task["task_id"], task["operator"]
    var = names.of[tid]
    decorator_args = task_arguments(task)
    if var != tid:
        decorator_args.insert(0, f"task_id={literal(tid)}")
    pushes = task.get("xcom_push") or {}
    if pushes:
        decorator_args.append("multiple_outputs=True")
    decorator = DECORATORS[op]
    head = f"@{call_source(decorator, decorator_args)}" if decorator_args else f"@{decorator}"
    params = [_parameter(key) for _, key in passed.get(tid, [])]
    lines = ["", f"    {head}", f"    def {var}({', '.join(params)}):"]
    if op == "branch":
        lines.append('        """Stub: return the ids of the downstream tasks to follow."""')
        if choices:
            others = ", ".join(choices[1:])
            also = f"  # also possible: {others}" if others else ""
            lines.append(f"        return [{literal(choices[0])}]{also}")
        else:
            lines.append("        return []")
    elif op == "short_circuit":
        lines += [
            '        """Stub condition: return False to skip what follows."""',
            "        return True",
        ]
    else:
        lines.append('        """Stub: the real work goes here."""')
        if pushes:
            lines.append(f"        return {literal(dict(pushes))}")
    return lines
