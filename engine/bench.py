"""Benchmark: simulate random DAGs of 1,000 / 10,000 / 100,000 tasks and print figures.

    python -m engine.bench [--sizes 1000 10000 100000] [--seed 7]

Each DAG has about 3 upstreams per task (sub-pipelines of 50 tasks with some links between
them, as large DAGs are built), mixed operators and trigger rules, some failures and retries, and a
contended pool. Printed per size: the simulation's time and tasks per second, the time of a bare
topological pass (Kahn over the same integer arrays) and of graphlib's static_order over the same
graph, both measured in the same run, with the ratios; the time to
load + validate, and peak memory per task (tracemalloc). Figures, not assertions.
"""

from __future__ import annotations

import argparse
import gc
import graphlib
import random
import time
import tracemalloc
from typing import Any

from .compiled import compile_dag
from .graph import topological_order
from .simulation import simulate
from .spec import load_dag, load_scenario
from .trigger_rules import TriggerRule

RULES = [r.value for r in TriggerRule]
TOLERANT = ["all_done", "none_failed", "none_failed_min_one_success", "one_success"]


def random_dag(n: int, seed: int = 7, group: int = 50) -> tuple[dict[str, Any], dict[str, Any]]:
    rnd = random.Random(seed)
    ids = [f"t{i:06d}" for i in range(n)]
    tasks: list[dict[str, Any]] = []
    edges: list[list[str]] = []
    outcomes: dict[str, Any] = {}
    down: dict[int, list[int]] = {}
    for i, tid in enumerate(ids):
        # Large DAGs are many sub-pipelines of ~group tasks with a few links between them.
        first = i - i % group
        choices = list(range(first, i))
        if first and rnd.random() < 0.05:
            choices.append(rnd.randrange(max(0, first - group), first))
        for p in rnd.sample(choices, min(3, len(choices))):
            edges.append([ids[p], tid])
            down.setdefault(p, []).append(i)
    for i, tid in enumerate(ids):
        roll = rnd.random()
        op = (
            "branch"
            if roll < 0.01
            else "short_circuit"
            if roll < 0.02
            else "latest_only"
            if roll < 0.025
            else "empty"
            if roll < 0.1
            else "python"
        )
        task: dict[str, Any] = {"task_id": tid, "operator": op, "duration_s": rnd.randint(1, 60)}
        roll = rnd.random()
        if roll < 0.05:
            task["trigger_rule"] = rnd.choice(RULES)
        elif roll < 0.35:  # tolerant joins, as real pipelines use, keep cascades contained
            task["trigger_rule"] = rnd.choice(TOLERANT)
        if rnd.random() < 0.1:
            task["pool"] = "db"
        if rnd.random() < 0.1:
            task["retries"] = rnd.randint(1, 2)
        tasks.append(task)
        kids = [ids[k] for k in down.get(i, [])]
        if op == "branch":
            outcomes[tid] = {"branch": rnd.sample(kids, (len(kids) + 1) // 2)}
        elif op == "short_circuit":
            outcomes[tid] = {"short_circuit": rnd.random() < 0.9}
            task["ignore_downstream_trigger_rules"] = rnd.random() < 0.2
        elif op == "python":
            r = rnd.random()
            if r < 0.005:
                outcomes[tid] = "failed"
            elif r < 0.01:
                outcomes[tid] = "skipped"
            elif r < 0.06:
                outcomes[tid] = {"fail_times": 1}
    doc = {
        "format": "dagsim/1",
        "dag_id": f"bench_{n}",
        "schedule": "@daily",
        "start_date": "2024-01-01T00:00:00Z",
        "default_args": {"retry_delay_s": 30},
        "pools": {"db": 16},
        "tasks": tasks,
        "edges": edges,
    }
    scenario = {
        "logical_date": "2024-03-01T00:00:00Z",
        "now": "2024-03-02T00:05:00Z",
        "outcomes": outcomes,
    }
    return doc, scenario


def best_of(repeat: int, fn: Any) -> tuple[float, Any]:
    best, result = float("inf"), None
    for _ in range(repeat):
        gc.collect()
        t0 = time.perf_counter()
        result = fn()
        best = min(best, time.perf_counter() - t0)
    return best, result


def bench(n: int, seed: int) -> dict[str, Any]:
    doc, scenario_doc = random_dag(n, seed)
    repeat = 3 if n <= 10_000 else 1
    load_s, dag = best_of(repeat, lambda: load_dag(doc))
    scenario = load_scenario(dag, scenario_doc)
    compile_s, compiled = best_of(repeat, lambda: compile_dag(dag))
    bare_s, _ = best_of(repeat, lambda: topological_order(compiled.down))
    graphlib_s, _ = best_of(
        repeat,
        lambda: list(
            graphlib.TopologicalSorter({i: ups for i, ups in enumerate(compiled.up)}).static_order()
        ),
    )
    sim_s, trace = best_of(repeat, lambda: simulate(dag, scenario, compiled))
    gc.collect()
    tracemalloc.start()
    base = tracemalloc.get_traced_memory()[0]
    trace = simulate(dag, scenario, compile_dag(dag))
    peak = tracemalloc.get_traced_memory()[1] - base
    tracemalloc.stop()
    states = trace.states
    return {
        "tasks": n,
        "edges": len(doc["edges"]),
        "load_validate_s": load_s,
        "compile_s": compile_s,
        "simulate_s": sim_s,
        "bare_topo_s": bare_s,
        "ratio": sim_s / bare_s,
        "graphlib_s": graphlib_s,
        "ratio_graphlib": sim_s / graphlib_s,
        "tasks_per_s": n / sim_s,
        "peak_bytes_per_task": peak / n,
        "events": len(trace.rec),
        "run_state": trace.run_state.value,
        "failed": sum(s == "failed" for s in states.values()),
        "skipped": sum(s == "skipped" for s in states.values()),
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000, 10_000, 100_000])
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)
    head = (
        f"{'tasks':>8} {'edges':>8} {'load+val':>9} {'compile':>8} {'simulate':>9} "
        f"{'bare topo':>9} {'ratio':>6} {'graphlib':>9} {'ratio':>6} {'tasks/s':>10} "
        f"{'peak B/task':>11} {'events':>8}"
    )
    print(head)
    for n in args.sizes:
        r = bench(n, args.seed)
        print(
            f"{r['tasks']:>8} {r['edges']:>8} {r['load_validate_s']:>8.3f}s "
            f"{r['compile_s']:>7.3f}s {r['simulate_s']:>8.3f}s {r['bare_topo_s']:>8.4f}s "
            f"{r['ratio']:>5.1f}x {r['graphlib_s']:>8.4f}s {r['ratio_graphlib']:>5.1f}x "
            f"{r['tasks_per_s']:>10,.0f} {r['peak_bytes_per_task']:>11,.0f} "
            f"{r['events']:>8}  ({r['run_state']}, {r['failed']} failed, "
            f"{r['skipped']} skipped)",
            flush=True,
        )


if __name__ == "__main__":
    main()
