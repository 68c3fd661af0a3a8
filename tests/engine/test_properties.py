"""Invariants over random DAGs and scenarios (hypothesis)."""

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from engine.trigger_rules import Decision, TriggerRule, evaluate

from .conftest import dag_doc, run

RULES = [r.value for r in TriggerRule]
OPS = ["empty", "python", "branch", "short_circuit", "latest_only"]
TERMINAL = {"success", "failed", "skipped", "upstream_failed"}


@st.composite
def dags_and_scenarios(draw):
    n = draw(st.integers(1, 14))
    ids = [f"t{i:02}" for i in range(n)]
    edges = sorted(
        {
            (ids[a], ids[b])
            for b in range(1, n)
            for a in draw(st.sets(st.integers(0, b - 1), max_size=3))
        }
    )
    tasks, outcomes = [], {}
    for tid in ids:
        op = draw(st.sampled_from(OPS))
        task = {
            "task_id": tid,
            "operator": op,
            "trigger_rule": draw(st.sampled_from(RULES)),
            "retries": draw(st.integers(0, 2)),
            "duration_s": draw(st.integers(1, 4)),
            "retry_delay_s": draw(st.integers(0, 5)),
            "pool": draw(st.sampled_from(["a", "b"])),
        }
        if op == "short_circuit":
            task["ignore_downstream_trigger_rules"] = draw(st.booleans())
        tasks.append(task)
        down = [b for a, b in edges if a == tid]
        if op == "branch":
            outcomes[tid] = {
                "branch": draw(st.lists(st.sampled_from(down), unique=True)) if down else []
            }
        elif op == "short_circuit":
            outcomes[tid] = {"short_circuit": draw(st.booleans())}
        elif op == "python":
            outcome = draw(st.sampled_from(["success", "failed", "skipped", "flaky"]))
            outcomes[tid] = (
                {"fail_times": draw(st.integers(1, 3))} if outcome == "flaky" else outcome
            )
    limits = draw(st.sampled_from([{}, {"max_active_tasks": 2}, {"pools": {"a": 1, "b": 2}}]))
    now = draw(st.sampled_from([None, "2024-03-01T12:00:00Z", "2024-03-09T00:00:00Z"]))
    scenario = {"logical_date": "2024-03-01T00:00:00Z", "outcomes": outcomes}
    if now:
        scenario["now"] = now
    return dag_doc(tasks, [list(e) for e in edges], schedule="@daily", **limits), scenario, limits


FAST = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@FAST
@given(dags_and_scenarios())
def test_every_task_ends_in_a_terminal_state_unless_the_run_deadlocked(case):
    doc, scenario, _ = case
    trace = run(doc, scenario)
    if trace.run.deadlocked:
        # Airflow fails the run and schedules nothing more: waiting tasks stay `none`.
        assert trace.run_state.value == "failed"
        assert set(trace.states.values()) <= TERMINAL | {"none"}
    else:
        assert set(trace.states.values()) <= TERMINAL
        assert trace.run_state.value in ("success", "failed")


@FAST
@given(dags_and_scenarios())
def test_no_task_is_scheduled_before_its_trigger_rule_allows_it(case):
    # Replay the events: when a task is scheduled, its rule over the upstream states known at
    # that moment must say "run" (a "run" answer never flips back as more upstreams finish).
    doc, scenario, _ = case
    trace = run(doc, scenario)
    rules = {t["task_id"]: TriggerRule(t["trigger_rule"]) for t in doc["tasks"]}
    ups = {t["task_id"]: [a for a, b in doc["edges"] if b == t["task_id"]] for t in doc["tasks"]}
    state = {t["task_id"]: "none" for t in doc["tasks"]}
    for e in trace.events():
        if e["to_state"] == "scheduled":
            finished = [state[u] for u in ups[e["task_id"]]]
            counts = [
                finished.count(s) for s in ("success", "skipped", "failed", "upstream_failed")
            ]
            assert evaluate(rules[e["task_id"]], len(finished), *counts) == Decision.RUN, e
        state[e["task_id"]] = e["to_state"]


@FAST
@given(dags_and_scenarios())
def test_slots_and_pools_are_never_exceeded(case):
    doc, scenario, limits = case
    trace = run(doc, scenario)
    pool_of = {t["task_id"]: t["pool"] for t in doc["tasks"]}
    tries = [t for t in trace.tries() if t["end"] is not None]
    for moment in {t["start"] for t in tries}:
        active = [t for t in tries if t["start"] <= moment < t["end"]]
        if "max_active_tasks" in limits:
            assert len(active) <= limits["max_active_tasks"]
        for pool, size in limits.get("pools", {}).items():
            assert sum(1 for t in active if pool_of[t["task_id"]] == pool) <= size


@FAST
@given(dags_and_scenarios())
def test_the_same_inputs_give_the_same_trace(case):
    doc, scenario, _ = case
    assert run(doc, scenario).to_dict() == run(doc, scenario).to_dict()
