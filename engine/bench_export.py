"""Benchmark: export a 1,000-task DAG to every format and print the times.

    python -m engine.bench_export [--tasks 1000] [--seed 1] [--repeat 3]

Two DAGs: a "pipeline" (layers of tasks with fan-out and fan-in, as real DAGs are shaped) and
a "dense random" one (every task has one to six upstream tasks picked at random among all
earlier tasks: the case where a fresh ``dot`` layout takes a minute). Targets: SVG under 2 s,
and under 0.5 s when the editor's stored positions are reused. Each figure is the best of
``--repeat`` runs; the import of the exported Airflow file is timed too.
"""

from __future__ import annotations

import argparse
import random
import time
from collections.abc import Callable
from functools import partial
from typing import Any

from .exports import FORMATS, export
from .imports import import_file
from .layout import compute_layout

TARGETS = {"svg": 2.0, "svg + positions": 0.5}


def pipeline_dag(n: int, rng: random.Random) -> dict[str, Any]:
    ids = [f"task_{i:04d}" for i in range(n)]
    width = 12
    edges = set()
    for i in range(width, n):
        layer_start = (i // width - 1) * width
        for _ in range(rng.randint(1, 2)):
            edges.add((ids[layer_start + rng.randrange(width)], ids[i]))
    return _document("pipeline", ids, edges, rng)


def dense_random_dag(n: int, rng: random.Random) -> dict[str, Any]:
    ids = [f"task_{i:04d}" for i in range(n)]
    edges = {(ids[rng.randrange(j)], ids[j]) for j in range(1, n) for _ in range(rng.randint(1, 6))}
    return _document("dense_random", ids, edges, rng)


def _document(dag_id: str, ids: list[str], edges: set, rng: random.Random) -> dict[str, Any]:
    operators = ["python"] * 6 + ["empty", "branch", "short_circuit", "latest_only"]
    rules = ["all_success"] * 8 + ["all_done", "none_failed", "one_success"]
    tasks = []
    for tid in ids:
        task: dict[str, Any] = {"task_id": tid, "operator": rng.choice(operators)}
        rule = rng.choice(rules)
        if rule != "all_success":
            task["trigger_rule"] = rule
        if rng.random() < 0.2:
            task["retries"] = rng.randint(1, 3)
        tasks.append(task)
    return {
        "format": "dagsim/1",
        "dag_id": dag_id,
        "schedule": "@daily",
        "start_date": "2024-01-01T00:00:00Z",
        "tasks": tasks,
        "edges": sorted(edges),
    }


def best_of(repeat: int, fn: Callable[[], Any]) -> tuple[float, Any]:
    best, result = float("inf"), None
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        best = min(best, time.perf_counter() - start)
    return best, result


def bench(doc: dict[str, Any], repeat: int) -> None:
    print(f"\n{doc['dag_id']}: {len(doc['tasks'])} tasks, {len(doc['edges'])} edges")
    for fmt in FORMATS:
        seconds, exported = best_of(repeat, partial(export, doc, fmt))
        _row(fmt, seconds, f"{len(exported.content):,} bytes", exported.warnings)
    seconds, layout = best_of(1, lambda: compute_layout(doc))
    _row("layout (dot json)", seconds, layout.method, layout.warnings)
    for fmt in ("svg", "png"):
        seconds, exported = best_of(repeat, partial(export, doc, fmt, positions=layout.positions))
        _row(f"{fmt} + positions", seconds, f"{len(exported.content):,} bytes", exported.warnings)
    airflow_file = export(doc, "airflow")
    seconds, imported = best_of(repeat, lambda: import_file("dag.py", airflow_file.content))
    _row("import airflow .py", seconds, f"{len(imported.document['tasks'])} tasks", [])


def _row(what: str, seconds: float, detail: str, warnings: list) -> None:
    target = TARGETS.get(what)
    verdict = "" if target is None else (" ok" if seconds < target else f" OVER {target:g} s")
    note = f"  [{warnings[0].code}]" if warnings else ""
    print(f"  {what:<20} {seconds:8.3f} s  {detail}{verdict}{note}")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m engine.bench_export")
    parser.add_argument("--tasks", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    rng = random.Random(args.seed)
    for make in (pipeline_dag, dense_random_dag):
        bench(make(args.tasks, rng), args.repeat)


if __name__ == "__main__":
    main()
