"""Airflow's trigger rules as pure functions over counts of *finished* direct upstreams.

Each rule answers, from what has finished so far (Airflow decides early and never waits for
the rest once the answer is certain), one of: run now, wait, skip, or upstream_failed.
This mirrors Airflow 3's ``trigger_rule_dep.py`` with ``flag_upstream_failed`` on, the way the
scheduler evaluates it, but as one small function per rule instead of two if/elif ladders.

Arguments are always ``(n, s, k, f, u)``: the number of direct upstreams and how many of them
finished success, skipped, failed and upstream_failed. A task with no upstream always runs.
Rules are deterministic and free of side effects; the registry covers every rule.
"""

from __future__ import annotations

from collections.abc import Callable
from enum import IntEnum, StrEnum


class TriggerRule(StrEnum):
    ALL_SUCCESS = "all_success"
    ALL_FAILED = "all_failed"
    ALL_DONE = "all_done"
    ALL_DONE_MIN_ONE_SUCCESS = "all_done_min_one_success"
    ALL_SKIPPED = "all_skipped"
    ONE_SUCCESS = "one_success"
    ONE_FAILED = "one_failed"
    ONE_DONE = "one_done"
    NONE_FAILED = "none_failed"
    NONE_FAILED_MIN_ONE_SUCCESS = "none_failed_min_one_success"
    NONE_SKIPPED = "none_skipped"
    ALWAYS = "always"


class Decision(IntEnum):
    WAIT = 0
    RUN = 1
    SKIP = 2
    UPSTREAM_FAILED = 3


WAIT, RUN, SKIP, UPSTREAM_FAILED = (
    Decision.WAIT,
    Decision.RUN,
    Decision.SKIP,
    Decision.UPSTREAM_FAILED,
)

# Airflow 2 name still found in DAG files; importers translate it.
LEGACY_NAMES = {"none_failed_or_skipped": TriggerRule.NONE_FAILED_MIN_ONE_SUCCESS.value}

RuleFn = Callable[[int, int, int, int, int], Decision]


def all_success(n: int, s: int, k: int, f: int, u: int) -> Decision:
    # Failures are looked at before skips, but only among upstreams finished so far.
    if f or u:
        return UPSTREAM_FAILED
    if k:
        return SKIP
    return RUN if s == n else WAIT


def all_failed(n: int, s: int, k: int, f: int, u: int) -> Decision:
    if s or k:
        return SKIP
    return RUN if f + u == n else WAIT


def all_done(n: int, s: int, k: int, f: int, u: int) -> Decision:
    return RUN if s + k + f + u == n else WAIT


def all_done_min_one_success(n: int, s: int, k: int, f: int, u: int) -> Decision:
    # Airflow's code (not its docs): any skipped upstream skips the task at once.
    if k:
        return SKIP
    if s + f + u == n:
        return RUN if s else UPSTREAM_FAILED
    return WAIT


def all_skipped(n: int, s: int, k: int, f: int, u: int) -> Decision:
    if s or f or u:
        return SKIP
    return RUN if k == n else WAIT


def one_success(n: int, s: int, k: int, f: int, u: int) -> Decision:
    if s:
        return RUN
    if s + k + f + u == n:
        return SKIP if k == n else UPSTREAM_FAILED
    return WAIT


def one_failed(n: int, s: int, k: int, f: int, u: int) -> Decision:
    if f or u:
        return RUN
    return SKIP if s + k == n else WAIT


def one_done(n: int, s: int, k: int, f: int, u: int) -> Decision:
    # upstream_failed is not "done" for this rule.
    if s or f:
        return RUN
    return SKIP if k + u == n else WAIT


def none_failed(n: int, s: int, k: int, f: int, u: int) -> Decision:
    if f or u:
        return UPSTREAM_FAILED
    return RUN if s + k == n else WAIT


def none_failed_min_one_success(n: int, s: int, k: int, f: int, u: int) -> Decision:
    if f or u:
        return UPSTREAM_FAILED
    if k == n:
        return SKIP
    return RUN if s + k == n else WAIT


def none_skipped(n: int, s: int, k: int, f: int, u: int) -> Decision:
    if k:
        return SKIP
    return RUN if s + f + u == n else WAIT


def always(n: int, s: int, k: int, f: int, u: int) -> Decision:
    # Does not wait for upstreams at all: starts together with the roots.
    return RUN


RULES: dict[TriggerRule, RuleFn] = {
    TriggerRule.ALL_SUCCESS: all_success,
    TriggerRule.ALL_FAILED: all_failed,
    TriggerRule.ALL_DONE: all_done,
    TriggerRule.ALL_DONE_MIN_ONE_SUCCESS: all_done_min_one_success,
    TriggerRule.ALL_SKIPPED: all_skipped,
    TriggerRule.ONE_SUCCESS: one_success,
    TriggerRule.ONE_FAILED: one_failed,
    TriggerRule.ONE_DONE: one_done,
    TriggerRule.NONE_FAILED: none_failed,
    TriggerRule.NONE_FAILED_MIN_ONE_SUCCESS: none_failed_min_one_success,
    TriggerRule.NONE_SKIPPED: none_skipped,
    TriggerRule.ALWAYS: always,
}
assert set(RULES) == set(TriggerRule), "every trigger rule needs a function"

# Rules for which one more successful upstream cannot change a "wait" while other upstreams
# are still running; the scheduler need not re-evaluate them then (a hot-loop saving, checked
# exhaustively by the tests).
WAIT_THROUGH_EARLY_SUCCESS: frozenset[TriggerRule] = frozenset(
    {
        TriggerRule.ALL_SUCCESS,
        TriggerRule.ALL_DONE,
        TriggerRule.ALL_DONE_MIN_ONE_SUCCESS,
        TriggerRule.NONE_FAILED,
        TriggerRule.NONE_FAILED_MIN_ONE_SUCCESS,
        TriggerRule.NONE_SKIPPED,
        TriggerRule.ONE_FAILED,
    }
)

# One line in plain words per rule, for the editor and for explanations.
DESCRIPTIONS: dict[TriggerRule, str] = {
    TriggerRule.ALL_SUCCESS: "runs when every upstream succeeded (the default)",
    TriggerRule.ALL_FAILED: "runs when every upstream failed or is upstream_failed",
    TriggerRule.ALL_DONE: "runs when every upstream finished, whatever its state",
    TriggerRule.ALL_DONE_MIN_ONE_SUCCESS: (
        "runs when every upstream finished and one succeeded; any skipped upstream skips it"
    ),
    TriggerRule.ALL_SKIPPED: "runs when every upstream was skipped",
    TriggerRule.ONE_SUCCESS: "runs as soon as one upstream succeeds",
    TriggerRule.ONE_FAILED: "runs as soon as one upstream fails or is upstream_failed",
    TriggerRule.ONE_DONE: "runs as soon as one upstream succeeds or fails",
    TriggerRule.NONE_FAILED: "runs when no upstream failed (skipped ones are fine)",
    TriggerRule.NONE_FAILED_MIN_ONE_SUCCESS: (
        "runs when no upstream failed and at least one succeeded"
    ),
    TriggerRule.NONE_SKIPPED: "runs when every upstream finished and none was skipped",
    TriggerRule.ALWAYS: "runs at once, without waiting for its upstreams",
}
assert set(DESCRIPTIONS) == set(TriggerRule)


def evaluate(rule: TriggerRule, n: int, s: int, k: int, f: int, u: int) -> Decision:
    """The rule's decision for ``n`` upstreams of which s/k/f/u finished in each state."""
    if n == 0:
        return RUN
    return RULES[rule](n, s, k, f, u)


def describe_counts(n: int, s: int, k: int, f: int, u: int) -> str:
    """'1 of 2 upstream skipped, 1 succeeded' style summary of finished upstreams."""
    parts = []
    for count, word in ((f, "failed"), (u, "upstream_failed"), (k, "skipped"), (s, "succeeded")):
        if count:
            parts.append(f"{count} {word}")
    if not parts:
        return f"none of {n} upstream finished"
    pending = n - (s + k + f + u)
    tail = f", {pending} not finished" if pending else ""
    return f"of {n} upstream: " + ", ".join(parts) + tail
