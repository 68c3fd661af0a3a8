"""The DAG as an Airflow 3 DAG file with classic standard-provider operators.

Python work is a clearly marked stub callable; a branch returns a default choice (its first
direct downstream task) and a short-circuit lets everything run, so the file loads and runs in
Airflow as it is, and a person fills in the real work.
"""

from __future__ import annotations

from typing import Any

from . import Exported, file_stem
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
# Names the file defines itself; task variables must not shadow them.
RESERVED = {
    "DAG",
    "dag",
    "datetime",
    "timedelta",
    "timezone",
    "default_args",
    "do_work",
    "keep_going",
    *(cls for _, cls in OPERATOR_CLASSES.values()),
}


def export_airflow(doc: dict[str, Any]) -> Exported:
    filename = f"{file_stem(doc['dag_id'])}.py"
    source = finish(airflow_source(doc), filename)
    return Exported(source.encode(), MEDIA_TYPE, filename)


def airflow_source(doc: dict[str, Any]) -> str:
    tasks = doc["tasks"]
    names = Names(RESERVED)
    for task in tasks:
        names.add(task["task_id"])
    downstream: dict[str, list[str]] = {t["task_id"]: [] for t in tasks}
    for up, down in doc["edges"]:
        downstream[up].append(down)

    used_ops = {t["operator"] for t in tasks}
    lines = [
        f'"""{doc["dag_id"]}: an Airflow 3 DAG exported from dagsim.',
        "",
        "The callables are stubs: replace their bodies with the tasks' real work.",
        '"""',
        "",
        "from datetime import datetime, timedelta, timezone",
        "",
    ]
    lines += _imports(used_ops)
    lines += ["from airflow.sdk import DAG", "", ""]

    functions: dict[str, str] = {}
    if any(t["operator"] == "python" and not _has_xcom(t) for t in tasks):
        lines += [
            "def do_work(**context):",
            '    """Stub: the real work of the python tasks goes here."""',
            "",
            "",
        ]
    if "short_circuit" in used_ops:
        lines += [
            "def keep_going(**context):",
            '    """Stub condition: return False to skip what follows."""',
            "    return True",
            "",
            "",
        ]
    for task in tasks:
        tid = task["task_id"]
        if task["operator"] == "branch":
            name = functions[tid] = names.fresh(f"choose_{names.of[tid]}")
            lines += _branch_function(name, tid, downstream[tid])
        elif task["operator"] == "python" and _has_xcom(task):
            name = functions[tid] = names.fresh(f"{names.of[tid]}_work")
            lines += _xcom_function(name, task)

    lines += pools_comment(doc)
    if (args := default_args_source(doc)) is not None:
        lines += [f"default_args = {args}", ""]
    lines.append("with " + call_source("DAG", dag_arguments(doc)) + " as dag:")
    for task in tasks:
        lines.append(f"    {names.of[task['task_id']]} = {_operator_call(task, functions)}")
    chains = dependency_chains([t["task_id"] for t in tasks], doc["edges"])
    if chains:
        lines.append("")
        lines += [f"    {chain_source(chain, names.of)}" for chain in chains]
    if not tasks:
        lines.append("    pass")
    return "\n".join(lines) + "\n"


def _imports(used_ops: set[str]) -> list[str]:
    by_module: dict[str, set[str]] = {}
    for op in used_ops:
        module, cls = OPERATOR_CLASSES[op]
        by_module.setdefault(module, set()).add(cls)
    return [
        f"from {module} import {', '.join(sorted(classes))}"
        for module, classes in sorted(by_module.items())
    ]


def _has_xcom(task: dict[str, Any]) -> bool:
    return bool(task.get("xcom_push") or task.get("xcom_pull"))


def _branch_function(name: str, task_id: str, choices: list[str]) -> list[str]:
    lines = [
        f"def {name}(**context):",
        f'    """Stub for `{task_id}`: return the ids of the downstream tasks to follow."""',
    ]
    if choices:
        others = ", ".join(choices[1:])
        also = f"  # also possible: {others}" if others else ""
        lines.append(f"    return [{literal(choices[0])}]{also}")
    else:
        lines.append("    return []")
    return lines + ["", ""]


def _xcom_function(name: str, task: dict[str, Any]) -> list[str]:
    lines = [
        f"def {name}(**context):",
        f'    """Stub for `{task["task_id"]}`: its real work goes here."""',
    ]
    for pull in task.get("xcom_pull") or []:
        key = pull.get("key", "return_value")
        lines.append(
            f'    context["ti"].xcom_pull(task_ids={literal(pull["task_id"])}, key={literal(key)})'
        )
    for key, value in (task.get("xcom_push") or {}).items():
        lines.append(
            f'    context["ti"].xcom_push(key={literal(str(key))}, value={literal(value)})'
        )
    return lines + ["", ""]


def _operator_call(task: dict[str, Any], functions: dict[str, str]) -> str:
    op = task["operator"]
    args = [f"task_id={literal(task['task_id'])}"]
    if op == "python":
        args.append(f"python_callable={functions.get(task['task_id'], 'do_work')}")
    elif op == "branch":
        args.append(f"python_callable={functions[task['task_id']]}")
    elif op == "short_circuit":
        args.append("python_callable=keep_going")
    args += task_arguments(task)
    return call_source(OPERATOR_CLASSES[op][1], args)
