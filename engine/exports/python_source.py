"""Pieces shared by the two Airflow Python exports: names, literals, DAG arguments, dependencies.

Every value taken from the document reaches the source through ``repr()`` of a plain str,
int, float or bool, so no document can put code into the file; the file is compiled before it
is returned, and formatted with ``ruff format`` when ruff is installed.
"""

from __future__ import annotations

import keyword
import re
import shutil
import subprocess
import sys
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from ..schedules import parse_datetime

FORMAT_TIMEOUT_S = 30
MAX_CHAIN_LENGTH = 8  # tasks (or lists) joined by `>>` in one statement


class Names:
    """Python variable names for task ids: valid, distinct, clear of the file's own names."""

    def __init__(self, reserved: Iterable[str] = ()) -> None:
        self._taken = set(reserved)
        self.of: dict[str, str] = {}

    def add(self, task_id: str) -> str:
        """The variable name for ``task_id``, remembered in ``of``."""
        self.of[task_id] = self.fresh(task_id)
        return self.of[task_id]

    def fresh(self, wanted: str) -> str:
        """A name like ``wanted`` that nothing else in the file uses."""
        base = re.sub(r"\W", "_", wanted, flags=re.ASCII) or "task"
        if base[0].isdigit():
            base = f"task_{base}"
        if keyword.iskeyword(base) or base in self._taken:
            base = f"{base}_task"
        name, n = base, 2
        while name in self._taken:
            name, n = f"{base}_{n}", n + 1
        self._taken.add(name)
        return name


def literal(value: Any) -> str:
    """Python source for a JSON-like value (``repr`` is exact for these types)."""
    if isinstance(value, float) and value.is_integer():
        return repr(int(value))
    if isinstance(value, (str, int, float, bool)) or value is None:
        return repr(value)
    if isinstance(value, list):
        return "[" + ", ".join(literal(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{literal(str(k))}: {literal(v)}" for k, v in value.items()) + "}"
    raise TypeError(f"cannot write {type(value).__name__} as a Python literal")


def timedelta_source(seconds: float) -> str:
    """``timedelta(minutes=5)`` rather than ``timedelta(seconds=300)``: as a person writes it."""
    if float(seconds).is_integer():
        whole = int(seconds)
        for unit, size in (("days", 86400), ("hours", 3600), ("minutes", 60)):
            if whole and whole % size == 0:
                return f"timedelta({unit}={whole // size})"
        return f"timedelta(seconds={whole})"
    return f"timedelta(seconds={seconds!r})"


def datetime_source(value: str) -> str:
    moment = parse_datetime(value)
    parts = [
        moment.year,
        moment.month,
        moment.day,
        moment.hour,
        moment.minute,
        moment.second,
        moment.microsecond,
    ]
    while len(parts) > 3 and parts[-1] == 0:
        parts.pop()
    return f"datetime({', '.join(str(p) for p in parts)}, tzinfo=timezone.utc)"


def default_args_source(doc: dict[str, Any]) -> str | None:
    args = doc.get("default_args") or {}
    items = []
    if "retries" in args:
        items.append(f'"retries": {literal(args["retries"])}')
    if "retry_delay_s" in args:
        items.append(f'"retry_delay": {timedelta_source(args["retry_delay_s"])}')
    if not items:
        return None
    return "{\n" + "".join(f"    {item},\n" for item in items) + "}"


def dag_arguments(doc: dict[str, Any], *, with_dag_id: bool = True) -> list[str]:
    """``name=value`` sources for the DAG constructor or the ``@dag`` decorator."""
    args = []
    if with_dag_id:
        args.append(f"dag_id={literal(doc['dag_id'])}")
    args.append(f"schedule={literal(doc.get('schedule'))}")
    if doc.get("start_date") is not None:
        args.append(f"start_date={datetime_source(doc['start_date'])}")
    args.append("catchup=False")
    if default_args_source(doc) is not None:
        args.append("default_args=default_args")
    if doc.get("max_active_tasks") is not None:
        args.append(f"max_active_tasks={literal(doc['max_active_tasks'])}")
    return args


def task_arguments(task: dict[str, Any]) -> list[str]:
    """The Airflow keyword arguments a task's document entry asks for (beyond task_id)."""
    args = []
    if "trigger_rule" in task:
        args.append(f"trigger_rule={literal(task['trigger_rule'])}")
    if "retries" in task:
        args.append(f"retries={literal(task['retries'])}")
    if "retry_delay_s" in task:
        args.append(f"retry_delay={timedelta_source(task['retry_delay_s'])}")
    for key in ("pool", "pool_slots", "priority_weight", "weight_rule"):
        if key in task:
            args.append(f"{key}={literal(task[key])}")
    # Only ShortCircuitOperator takes this argument; Airflow rejects it elsewhere.
    if task["operator"] == "short_circuit" and "ignore_downstream_trigger_rules" in task:
        args.append(
            f"ignore_downstream_trigger_rules={literal(task['ignore_downstream_trigger_rules'])}"
        )
    return args


def pools_comment(doc: dict[str, Any]) -> list[str]:
    pools = doc.get("pools") or {}
    if not pools:
        return []
    lines = ["# Pools this DAG uses; create them in Airflow (Admin > Pools) before running it:"]
    for name, slots in pools.items():
        lines.append(f"#   {name}: {slots} slots")
    return lines


def dependency_chains(
    task_ids: Sequence[str], edges: Sequence[Sequence[str]]
) -> list[list[list[str]]]:
    """The edges as ``>>`` chains, each a list of groups (one task, or a list of tasks).

    One statement per upstream task (``a >> [b, c]``); upstreams whose only downstream is the
    same task are gathered (``[a, b] >> c``); a statement ending in the task another starts
    with is continued (``a >> b >> c``). Lists are never adjacent, because Airflow cannot
    write ``[a, b] >> [c, d]``. Exactly the given edges are expressed, each once.
    """
    downstream: dict[str, list[str]] = {t: [] for t in task_ids}
    for up, down in edges:
        downstream[up].append(down)
    statements: list[list[list[str]]] = [[[u], list(d)] for u, d in downstream.items() if d]

    fan_in: dict[str, list[int]] = {}
    for i, (_, last) in enumerate(statements):
        if len(last) == 1:
            fan_in.setdefault(last[0], []).append(i)
    merged: set[int] = set()
    for down, indexes in fan_in.items():
        if len(indexes) > 1:
            head = indexes[0]
            statements[head] = [[statements[i][0][0] for i in indexes], [down]]
            merged.update(indexes[1:])
    statements = [s for i, s in enumerate(statements) if i not in merged]

    starting = {s[0][0]: i for i, s in enumerate(statements) if len(s[0]) == 1}
    ending: dict[str, int] = {}
    for s in statements:
        if len(s[-1]) == 1:
            ending[s[-1][0]] = ending.get(s[-1][0], 0) + 1
    used: set[int] = set()
    chains = []
    for i, statement in enumerate(statements):
        if i in used:
            continue
        used.add(i)
        chain = list(statement)
        while len(chain[-1]) == 1 and ending.get(chain[-1][0]) == 1:
            nxt = starting.get(chain[-1][0])
            if nxt is None or nxt in used:
                break
            used.add(nxt)
            chain.extend(statements[nxt][1:])
        # A very long chain reads better as several statements, each starting where the last
        # one ended (the edges are the same).
        while len(chain) > MAX_CHAIN_LENGTH:
            chains.append(chain[:MAX_CHAIN_LENGTH])
            chain = chain[MAX_CHAIN_LENGTH - 1 :]
        chains.append(chain)
    return chains


def chain_source(chain: list[list[str]], names: dict[str, str]) -> str:
    parts = []
    for group in chain:
        if len(group) == 1:
            parts.append(names[group[0]])
        else:
            parts.append("[" + ", ".join(names[t] for t in group) + "]")
    return " >> ".join(parts)


def call_source(callee: str, args: list[str]) -> str:
    return f"{callee}({', '.join(args)})"


def finish(source: str, filename: str) -> str:
    """Check the file compiles, then format it with ruff when available."""
    compile(source, filename, "exec", dont_inherit=True)
    formatted = _ruff_format(source, filename)
    if formatted is None:
        return source
    compile(formatted, filename, "exec", dont_inherit=True)
    return formatted


def _ruff_binary() -> str | None:
    beside = Path(sys.executable).with_name("ruff")
    if beside.exists():
        return str(beside)
    return shutil.which("ruff")


def _ruff_format(source: str, filename: str) -> str | None:
    ruff = _ruff_binary()
    if ruff is None:
        return None
    try:
        proc = subprocess.run(
            [ruff, "format", "--isolated", "--stdin-filename", filename, "-"],
            input=source.encode(),
            capture_output=True,
            timeout=FORMAT_TIMEOUT_S,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    if proc.returncode != 0:
        return None
    return proc.stdout.decode()
