"""Random DAG + scenario documents (dagsim/1) for differential runs against real Airflow.

Pure standard library, seeded: ``generate(family, seed, count)`` gives the same cases every time.
Families:

- ``random``: small random DAGs with every operator, trigger rule, schedule, retries and outcome.
- ``branch_uf``: a branch whose skips race an ``upstream_failed`` coming from a failing task.
- ``sc_all_done``: short-circuits (both ``ignore_downstream_trigger_rules`` modes) with
  ``all_done`` and other joins fed by healthy, failing or skipping neighbours.
- ``latest_edges``: latest-only for cron schedules with ``now`` at and around the window edges.
- ``retry_skip``: retries (with and without a delay) racing skips into joins.
- ``nested_branch``: branches under branches, choices that are not direct downstream.
- ``always_skip``: ``always`` tasks under skipping parents, still running when the skip lands.
- ``running_skip``: a skipping parent decides while its child runs, beside other running,
  retrying or waiting tasks whose ids sort before or after the child's.

- ``uf_overwrite``: a task runs on an ``upstream_failed`` upstream that a skip then overwrites.

Targeted families rename their tasks with a random one-letter prefix half of the time, because
Airflow looks at task instances in task_id order.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator

TRIGGER_RULES = [
    "all_success",
    "all_failed",
    "all_done",
    "all_done_min_one_success",
    "all_skipped",
    "one_success",
    "one_failed",
    "one_done",
    "none_failed",
    "none_failed_min_one_success",
    "none_skipped",
    "always",
]

# Each schedule with a logical date on it and `now` values around its latest-only window
# (left, right]: left = the logical date L, right = the end of the next run's data interval.
# Worked out by hand so the generator does not share the engine's date arithmetic.
SCHEDULES: dict[str | None, tuple[str, list[str]]] = {
    "@daily": (
        "2024-03-01T00:00:00Z",
        [
            "2024-03-01T00:00:00Z",
            "2024-03-01T00:00:01Z",
            "2024-03-02T00:00:00Z",
            "2024-03-03T00:00:00Z",
            "2024-03-03T00:00:01Z",
            "2024-02-29T12:00:00Z",
        ],
    ),
    "@hourly": (
        "2024-03-01T05:00:00Z",
        [
            "2024-03-01T05:00:00Z",
            "2024-03-01T06:30:00Z",
            "2024-03-01T07:00:00Z",
            "2024-03-01T07:00:01Z",
            "2024-03-01T09:00:00Z",
        ],
    ),
    "@weekly": (
        "2024-03-03T00:00:00Z",  # a Sunday: @weekly is "0 0 * * 0"
        [
            "2024-03-03T00:00:00Z",
            "2024-03-10T00:00:00Z",
            "2024-03-17T00:00:00Z",
            "2024-03-17T00:00:01Z",
            "2024-03-16T23:59:59Z",
        ],
    ),
    "@monthly": (
        "2024-01-01T00:00:00Z",
        [
            "2024-01-01T00:00:00Z",
            "2024-02-29T23:00:00Z",
            "2024-03-01T00:00:00Z",
            "2024-03-01T00:00:01Z",
            "2024-03-31T00:00:00Z",
        ],
    ),
    "@yearly": (
        "2023-01-01T00:00:00Z",
        [
            "2023-01-01T00:00:00Z",
            "2023-01-01T00:00:01Z",
            "2024-06-01T00:00:00Z",
            "2025-01-01T00:00:00Z",
            "2025-01-01T00:00:01Z",
            "2022-12-31T23:59:59Z",
        ],
    ),
    "*/15 * * * *": (
        "2024-03-01T10:15:00Z",
        [
            "2024-03-01T10:15:00Z",
            "2024-03-01T10:15:01Z",
            "2024-03-01T10:30:00Z",
            "2024-03-01T10:44:59Z",
            "2024-03-01T10:45:00Z",
            "2024-03-01T10:45:01Z",
            "2024-03-01T11:00:00Z",
        ],
    ),
    # Friday 06:00: this run's interval ends Monday 06:00, the next one's Tuesday 06:00.
    "0 6 * * 1-5": (
        "2024-03-01T06:00:00Z",
        [
            "2024-03-01T06:00:00Z",
            "2024-03-02T12:00:00Z",
            "2024-03-04T06:00:00Z",
            "2024-03-04T06:00:01Z",
            "2024-03-05T05:59:59Z",
            "2024-03-05T06:00:00Z",
            "2024-03-05T06:00:01Z",
        ],
    ),
    # Only on 29 February: the next run is four years on, the one after eight.
    "0 0 29 2 *": (
        "2024-02-29T00:00:00Z",
        [
            "2024-02-29T00:00:01Z",
            "2028-02-29T00:00:00Z",
            "2032-02-29T00:00:00Z",
            "2032-02-29T00:00:01Z",
        ],
    ),
    "30 2 * * *": (
        "2024-03-01T02:30:00Z",
        [
            "2024-03-01T02:30:00Z",
            "2024-03-03T02:30:00Z",
            "2024-03-03T02:30:01Z",
            "2024-03-02T00:00:00Z",
        ],
    ),
    "@once": ("2024-03-01T00:00:00Z", ["2030-01-01T00:00:00Z", "2024-03-01T00:00:00Z"]),
    None: ("2024-03-01T00:00:00Z", ["2030-01-01T00:00:00Z", "2024-02-01T00:00:00Z"]),
}


class Builder:
    """Collects tasks, edges and outcomes, and emits the two documents."""

    def __init__(self, dag_id: str, rng: random.Random, schedule: str | None = "@daily"):
        self.rng = rng
        self.dag_id = dag_id
        self.schedule = schedule
        self.tasks: list[dict] = []
        self.edges: list[list[str]] = []
        self.outcomes: dict[str, object] = {}
        self.now: str | None = None
        self.default_args = {"retries": 0, "retry_delay_s": 0}

    def task(self, task_id: str, operator: str = "python", **attrs) -> str:
        self.tasks.append({"task_id": task_id, "operator": operator, **attrs})
        return task_id

    def edge(self, up: str, down: str) -> None:
        if [up, down] not in self.edges:
            self.edges.append([up, down])

    def outcome(self, task_id: str, value: object) -> None:
        if value is not None:
            self.outcomes[task_id] = value

    def documents(self) -> tuple[dict, dict]:
        logical, _ = SCHEDULES[self.schedule]
        dag = {
            "format": "dagsim/1",
            "dag_id": self.dag_id,
            "schedule": self.schedule,
            "start_date": "2020-01-01T00:00:00Z",
            "default_args": dict(self.default_args),
            "tasks": self.tasks,
            "edges": self.edges,
        }
        scenario: dict = {"logical_date": logical, "outcomes": self.outcomes}
        if self.now is not None:
            scenario["now"] = self.now
        return dag, scenario

    # Random pieces shared by the families.
    def duration(self) -> int:
        return self.rng.choice([1, 1, 1, 2, 3, 5])

    def python_outcome(self, retries: int = 0) -> object:
        r = self.rng.random()
        if r < 0.5:
            return None
        if r < 0.65:
            return "failed"
        if r < 0.8:
            return "skipped"
        return {"fail_times": self.rng.randint(1, retries + 1)}

    def pick_now(self) -> None:
        _, nows = SCHEDULES[self.schedule]
        self.now = self.rng.choice([None, *nows])


def _downstream(edges: list[list[str]], task_id: str) -> list[str]:
    return [d for u, d in edges if u == task_id]


def _descendants(edges: list[list[str]], task_id: str) -> set[str]:
    seen: set[str] = set()
    todo = [task_id]
    while todo:
        for d in _downstream(edges, todo.pop()):
            if d not in seen:
                seen.add(d)
                todo.append(d)
    return seen


def branch_choice(b: Builder, task_id: str) -> dict:
    """A branch outcome: some direct downstream ids, sometimes a deeper or an unknown id."""
    direct = _downstream(b.edges, task_id)
    chosen = [d for d in direct if b.rng.random() < 0.5]
    r = b.rng.random()
    deeper = sorted(_descendants(b.edges, task_id) - set(direct))
    if r < 0.12 and deeper:
        chosen.append(b.rng.choice(deeper))
    elif r < 0.17:
        others = [t["task_id"] for t in b.tasks if t["task_id"] not in direct]
        if others:
            chosen.append(b.rng.choice(others))
    elif r < 0.2:
        chosen.append("no_such_task")
    out: dict = {"branch": chosen}
    if b.rng.random() < 0.1:
        out["fail_times"] = 1
    return out


def assign_outcomes(b: Builder) -> None:
    """Outcomes for every task that takes one, after the edges are known."""
    for t in b.tasks:
        tid, op = t["task_id"], t["operator"]
        retries = t.get("retries", b.default_args["retries"])
        if op == "python":
            b.outcome(tid, b.python_outcome(retries))
        elif op == "branch":
            r = b.rng.random()
            b.outcome(
                tid, "skipped" if r < 0.04 else "failed" if r < 0.08 else branch_choice(b, tid)
            )
        elif op == "short_circuit":
            r = b.rng.random()
            if r < 0.05:
                b.outcome(tid, "failed")
            elif r < 0.1:
                b.outcome(tid, "skipped")
            else:
                value: dict = {"short_circuit": b.rng.random() < 0.5}
                if b.rng.random() < 0.1:
                    value["fail_times"] = 1
                b.outcome(tid, value)


def random_case(name: str, rng: random.Random) -> tuple[dict, dict]:
    b = Builder(name, rng, rng.choice(list(SCHEDULES)))
    b.default_args = {"retries": rng.choice([0, 0, 1]), "retry_delay_s": rng.choice([0, 0, 2, 300])}
    n = rng.randint(3, 10)
    ops = (
        ["python"] * 9
        + ["empty"] * 2
        + ["branch"] * 3
        + ["short_circuit"] * 3
        + ["latest_only"] * 2
    )
    ids = [f"t{i:02d}" for i in range(n)]
    for i, tid in enumerate(ids):
        attrs: dict = {}
        op = rng.choice(ops)
        if op == "short_circuit":
            attrs["ignore_downstream_trigger_rules"] = rng.random() < 0.5
        if i and rng.random() < 0.55:
            attrs["trigger_rule"] = rng.choice(TRIGGER_RULES)
        if rng.random() < 0.2:
            attrs["retries"] = rng.randint(0, 2)
        if rng.random() < 0.1:
            attrs["retry_delay_s"] = rng.choice([0, 1, 3, 300])
        d = b.duration()
        if d != 1:
            attrs["duration_s"] = d
        b.task(tid, op, **attrs)
        if i:
            for parent in rng.sample(ids[:i], k=min(i, rng.choice([0, 1, 1, 1, 2, 2, 3]))):
                b.edge(parent, tid)
    assign_outcomes(b)
    b.pick_now()
    return b.documents()


def branch_uf_case(name: str, rng: random.Random) -> tuple[dict, dict]:
    """A branch skips tasks that a failing neighbour is making upstream_failed, or the reverse."""
    b = Builder(name, rng)
    b.task("br", "branch", duration_s=rng.choice([1, 2, 3, 5]))
    retries = rng.choice([0, 0, 1])
    b.task("bad", "python", duration_s=rng.choice([1, 2, 3]), retries=retries)
    b.outcome("bad", rng.choice(["failed", "failed", {"fail_times": 1}]))
    if rng.random() < 0.5:  # a chain so the failure arrives a pass or two later
        b.task("mid", "python", trigger_rule=rng.choice(["all_success", "one_failed", "all_done"]))
        b.edge("bad", "mid")
        src = "mid"
    else:
        src = "bad"
    for x in ("x", "y", "z")[: rng.randint(2, 3)]:
        rule = rng.choice(["all_success", "all_success", *TRIGGER_RULES])
        b.task(x, "python", trigger_rule=rule, duration_s=b.duration())
        b.edge("br", x)
        if rng.random() < 0.7:
            b.edge(src, x)
    # A join that may already run on an upstream_failed x when the branch's skip overwrites x.
    join_rule = rng.choice([*TRIGGER_RULES, "all_failed", "one_failed", "all_done_min_one_success"])
    b.task("join", "python", trigger_rule=join_rule, duration_s=rng.choice([1, 3, 6]))
    for x in ("x", "y", "z"):
        if any(t["task_id"] == x for t in b.tasks) and rng.random() < 0.8:
            b.edge(x, "join")
    if rng.random() < 0.4:
        b.task("after", "python", trigger_rule=rng.choice(TRIGGER_RULES))
        b.edge("join", "after")
    b.outcome("br", branch_choice(b, "br"))
    return b.documents()


def sc_all_done_case(name: str, rng: random.Random) -> tuple[dict, dict]:
    b = Builder(name, rng)
    b.task(
        "sc",
        "short_circuit",
        ignore_downstream_trigger_rules=rng.random() < 0.5,
        duration_s=rng.choice([1, 2, 4]),
    )
    b.outcome("sc", {"short_circuit": rng.random() < 0.3})
    b.task("a", "python", trigger_rule=rng.choice(["all_success", "all_success", *TRIGGER_RULES]))
    b.edge("sc", "a")
    prev = "a"
    for i in range(rng.randint(0, 2)):
        tid = b.task(f"a{i + 2}", "python", trigger_rule=rng.choice(TRIGGER_RULES))
        b.edge(prev, tid)
        prev = tid
    b.task("side", "python", duration_s=rng.choice([1, 3, 6]))
    b.outcome("side", rng.choice([None, None, "failed", "skipped"]))
    b.task("join", "python", trigger_rule=rng.choice(["all_done", "all_done", *TRIGGER_RULES]))
    b.edge(prev, "join")
    b.edge("side", "join")
    if rng.random() < 0.5:
        b.edge("sc", "join")
    if rng.random() < 0.5:
        b.task("end", "python", trigger_rule=rng.choice(["all_done", *TRIGGER_RULES]))
        b.edge("join", "end")
    for t in b.tasks:
        if t["task_id"] not in ("sc", "side") and rng.random() < 0.2:
            b.outcome(t["task_id"], rng.choice(["failed", "skipped"]))
    return b.documents()


def latest_edges_case(name: str, rng: random.Random) -> tuple[dict, dict]:
    b = Builder(
        name, rng, rng.choice([s for s in SCHEDULES if s not in ("@once", None)] + ["@once", None])
    )
    _, nows = SCHEDULES[b.schedule]
    b.now = rng.choice(nows)
    if rng.random() < 0.3:
        b.task("up", "python")
        b.outcome("up", rng.choice([None, "failed", "skipped"]))
    b.task("lo", "latest_only", trigger_rule=rng.choice(["all_success", "all_done", "always"]))
    if any(t["task_id"] == "up" for t in b.tasks):
        b.edge("up", "lo")
    b.task("after", "python", trigger_rule=rng.choice(["all_success", "all_done", "none_failed"]))
    b.edge("lo", "after")
    b.task("after2", "python", trigger_rule=rng.choice(["all_success", "all_done", "one_success"]))
    b.edge("after", "after2")
    b.task("independent", "python")
    if rng.random() < 0.5:
        b.edge("lo", "after2")
    return b.documents()


def retry_skip_case(name: str, rng: random.Random) -> tuple[dict, dict]:
    b = Builder(name, rng)
    b.default_args = {"retries": 0, "retry_delay_s": rng.choice([0, 1, 2, 5, 300])}
    for i in range(rng.randint(1, 2)):
        tid = b.task(
            f"flaky{i}", "python", retries=rng.randint(1, 2), duration_s=rng.choice([1, 2, 3])
        )
        if rng.random() < 0.5:
            b.tasks[-1]["retry_delay_s"] = rng.choice([0, 1, 3, 4])
        b.outcome(
            tid, rng.choice([{"fail_times": 1}, {"fail_times": 2}, "failed", {"fail_times": 3}])
        )
    skipper = rng.choice(["python", "short_circuit", "branch"])
    attrs = {"duration_s": rng.choice([1, 2, 3, 4, 6])}
    if skipper == "short_circuit":
        attrs["ignore_downstream_trigger_rules"] = rng.random() < 0.5
    b.task("skipper", skipper, **attrs)
    for j in range(rng.randint(1, 2)):
        join = b.task(f"join{j}", "python", trigger_rule=rng.choice(TRIGGER_RULES))
        for t in list(b.tasks):
            if t["task_id"].startswith(("flaky", "skipper")) and rng.random() < 0.8:
                b.edge(t["task_id"], join)
        if j and rng.random() < 0.5:
            b.edge("join0", join)
    if not _downstream(b.edges, "skipper"):
        b.edge("skipper", "join0")
    if skipper == "python":
        b.outcome("skipper", "skipped")
    elif skipper == "short_circuit":
        b.outcome("skipper", {"short_circuit": False})
    else:
        b.outcome("skipper", branch_choice(b, "skipper"))
    return b.documents()


def nested_branch_case(name: str, rng: random.Random) -> tuple[dict, dict]:
    b = Builder(name, rng)
    b.task("b1", "branch", duration_s=rng.choice([1, 2]))
    b.task("b2", "branch", trigger_rule=rng.choice(["all_success", "none_failed", "all_done"]))
    b.task("x", "python", duration_s=b.duration())
    b.task("y", "python", duration_s=b.duration())
    b.task("z", "python", duration_s=b.duration())
    b.edge("b1", "b2")
    b.edge("b1", "x")
    b.edge("b2", "y")
    b.edge("b2", "z")
    if rng.random() < 0.3:
        b.task(
            "b3", "branch", trigger_rule=rng.choice(["all_success", "none_failed_min_one_success"])
        )
        b.edge("z", "b3")
        b.task("w", "python")
        b.task("v", "python")
        b.edge("b3", "w")
        b.edge("b3", "v")
    joins = rng.randint(1, 2)
    leaves = [t["task_id"] for t in b.tasks if not _downstream(b.edges, t["task_id"])]
    for j in range(joins):
        join = b.task(f"join{j}", "python", trigger_rule=rng.choice(TRIGGER_RULES))
        for leaf in leaves:
            if rng.random() < 0.7:
                b.edge(leaf, join)
        if rng.random() < 0.3:
            b.edge("b1", join)
    for tid in ("x", "y", "z"):
        if rng.random() < 0.2:
            b.outcome(tid, rng.choice(["failed", "skipped"]))
    for t in b.tasks:
        if t["operator"] == "branch":
            b.outcome(t["task_id"], branch_choice(b, t["task_id"]))
    return b.documents()


def always_skip_case(name: str, rng: random.Random) -> tuple[dict, dict]:
    kind = rng.choice(["branch", "short_circuit", "latest_only", "python"])
    b = Builder(name, rng)
    attrs: dict = {"duration_s": rng.choice([1, 2, 3])}
    if kind == "short_circuit":
        attrs["ignore_downstream_trigger_rules"] = rng.random() < 0.5
    if rng.random() < 0.3:
        b.task("root", "python", duration_s=rng.choice([1, 2]))
    b.task("p", kind, **attrs)
    if any(t["task_id"] == "root" for t in b.tasks):
        b.edge("root", "p")
    b.task("alw", "python", trigger_rule="always", duration_s=rng.choice([1, 2, 3, 5]))
    b.task("c", "python", duration_s=b.duration())
    b.edge("p", "alw")
    b.edge("p", "c")
    b.task("alw2", "python", trigger_rule="always", duration_s=rng.choice([1, 4]))
    b.edge(rng.choice(["c", "alw"]), "alw2")
    if rng.random() < 0.5:
        b.task("join", "python", trigger_rule=rng.choice(TRIGGER_RULES))
        b.edge("alw", "join")
        b.edge("c", "join")
    if kind == "latest_only":
        b.now = rng.choice(SCHEDULES["@daily"][1])
    elif kind == "python":
        b.outcome("p", rng.choice(["skipped", "failed", None]))
    elif kind == "short_circuit":
        b.outcome("p", {"short_circuit": rng.random() < 0.3})
    else:
        b.outcome("p", branch_choice(b, "p"))
    if rng.random() < 0.2:
        b.outcome("alw", rng.choice(["failed", "skipped"]))
    return b.documents()


def running_skip_case(name: str, rng: random.Random) -> tuple[dict, dict]:
    b = Builder(name, rng)
    kind = rng.choice(["branch", "short_circuit", "latest_only"])
    attrs: dict = {"duration_s": rng.choice([2, 3, 4])}
    if kind == "short_circuit":
        attrs["ignore_downstream_trigger_rules"] = rng.random() < 0.5
    b.task("skipper", kind, **attrs)
    b.task("early", "python", duration_s=1)
    b.outcome("early", rng.choice([None, None, "failed", "skipped"]))
    for n in range(rng.randint(1, 2)):
        rule = rng.choice(["always", "one_success", "one_done", "one_failed", "all_success"])
        child = b.task(f"child{n}", "python", trigger_rule=rule, duration_s=rng.choice([2, 4, 6]))
        b.edge("skipper", child)
        if rng.random() < 0.8:
            b.edge("early", child)
        if rng.random() < 0.3:
            b.outcome(child, rng.choice(["failed", {"fail_times": 1}]))
            b.tasks[-1]["retries"] = rng.choice([0, 1])
    if kind == "branch" and rng.random() < 0.5:
        b.task("kept", "python")
        b.edge("skipper", "kept")
    for n in range(rng.randint(0, 3)):
        busy = b.task(f"busy{n}", "python", duration_s=rng.choice([1, 3, 5, 8]))
        if rng.random() < 0.3:
            b.tasks[-1]["retries"] = 1
            b.tasks[-1]["retry_delay_s"] = rng.choice([0, 2, 10])
            b.outcome(busy, {"fail_times": 1})
        if rng.random() < 0.3:
            b.edge("early", busy)
    if rng.random() < 0.5:
        join = b.task("join", "python", trigger_rule=rng.choice(TRIGGER_RULES))
        for t in list(b.tasks):
            if t["task_id"].startswith("child") and rng.random() < 0.8:
                b.edge(t["task_id"], join)
    if kind == "latest_only":
        b.now = rng.choice(SCHEDULES["@daily"][1])
    elif kind == "short_circuit":
        b.outcome("skipper", {"short_circuit": rng.random() < 0.2})
    else:
        b.outcome("skipper", branch_choice(b, "skipper"))
    return b.documents()


def uf_overwrite_case(name: str, rng: random.Random) -> tuple[dict, dict]:
    """A task already runs on an upstream_failed upstream when a skip overwrites that upstream."""
    b = Builder(name, rng)
    b.task("bad", "python", duration_s=rng.choice([1, 2]))
    b.outcome("bad", "failed")
    kind = rng.choice(["branch", "short_circuit", "latest_only"])
    attrs: dict = {"duration_s": rng.choice([1, 2, 3, 5])}
    if kind == "short_circuit":
        attrs["ignore_downstream_trigger_rules"] = rng.random() < 0.5
    b.task("skipper", kind, **attrs)
    rule = rng.choice(["all_success", "all_success", "none_failed", "one_success", "all_done"])
    b.task("u", "python", trigger_rule=rule)
    b.edge("bad", "u")
    b.edge("skipper", "u")
    late = ["all_failed", "one_failed", "all_done_min_one_success", "all_done", "one_done"]
    b.task("c", "python", trigger_rule=rng.choice(late), duration_s=rng.choice([2, 4, 6]))
    b.edge("u", "c")
    if rng.random() < 0.4:
        b.task("ok", "python")
        b.edge("ok", "c")
    if rng.random() < 0.4:
        b.task("d", "python", trigger_rule=rng.choice(TRIGGER_RULES))
        b.edge("c", "d")
    if rng.random() < 0.3:
        b.task("busy", "python", duration_s=rng.choice([3, 8]))
    if kind == "latest_only":
        b.now = rng.choice(SCHEDULES["@daily"][1])
    elif kind == "short_circuit":
        b.outcome("skipper", {"short_circuit": rng.random() < 0.2})
    else:
        b.outcome("skipper", branch_choice(b, "skipper"))
    return b.documents()


def shuffle_ids(case: tuple[dict, dict], rng: random.Random) -> tuple[dict, dict]:
    """The same DAG with each task id behind a random letter, so their order changes."""
    dag, scenario = case
    letters = rng.sample("abcdefghijklmnopqrstuvwxyz", len(dag["tasks"]))
    new = {t["task_id"]: f"{letters[n]}_{t['task_id']}" for n, t in enumerate(dag["tasks"])}
    dag["tasks"] = [{**t, "task_id": new[t["task_id"]]} for t in dag["tasks"]]
    dag["edges"] = [[new[u], new[d]] for u, d in dag["edges"]]
    outcomes = {}
    for tid, value in (scenario.get("outcomes") or {}).items():
        if isinstance(value, dict) and "branch" in value:
            value = {**value, "branch": [new.get(x, x) for x in value["branch"]]}
        outcomes[new[tid]] = value
    scenario["outcomes"] = outcomes
    return dag, scenario


FAMILIES: dict[str, Callable[[str, random.Random], tuple[dict, dict]]] = {
    "random": random_case,
    "branch_uf": branch_uf_case,
    "sc_all_done": sc_all_done_case,
    "latest_edges": latest_edges_case,
    "retry_skip": retry_skip_case,
    "nested_branch": nested_branch_case,
    "always_skip": always_skip_case,
    "running_skip": running_skip_case,
    "uf_overwrite": uf_overwrite_case,
}


def generate(family: str, seed: int, count: int) -> Iterator[dict]:
    """``count`` cases ``{"name", "category", "description", "dag", "scenario"}`` of ``family``."""
    make = FAMILIES[family]
    for i in range(count):
        rng = random.Random(f"{family}:{seed}:{i}")
        name = f"{family}_s{seed}_{i:04d}"
        dag, scenario = make(name, rng)
        if family != "random" and rng.random() < 0.5:
            dag, scenario = shuffle_ids((dag, scenario), rng)
        yield {
            "name": name,
            "category": family,
            "description": f"tools/airflow_diff generate.py family={family} seed={seed} index={i}",
            "dag": dag,
            "scenario": scenario,
        }
