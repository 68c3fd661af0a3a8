"""Every trigger rule against every mix of finished upstream states (table-driven)."""

import itertools

import pytest

from engine.trigger_rules import (
    DESCRIPTIONS,
    RULES,
    WAIT_THROUGH_EARLY_SUCCESS,
    Decision,
    TriggerRule,
    evaluate,
)

R, W, K, U = Decision.RUN, Decision.WAIT, Decision.SKIP, Decision.UPSTREAM_FAILED

# Settled upstreams: what each rule decides once all of them finished (Airflow 3.3.2, confirmed
# by the conformance cases). Letters: S success, K skipped, F failed, X upstream_failed.
SETTLED = {
    TriggerRule.ALL_SUCCESS: {"S": R, "K": K, "F": U, "X": U, "SK": K, "SF": U, "KF": U, "SS": R},
    TriggerRule.ALL_FAILED: {"S": K, "K": K, "F": R, "X": R, "FX": R, "SF": K, "KF": K},
    TriggerRule.ALL_DONE: {"S": R, "K": R, "F": R, "X": R, "SKFX": R},
    TriggerRule.ALL_DONE_MIN_ONE_SUCCESS: {
        "S": R,
        "K": K,
        "F": U,
        "X": U,
        "SF": R,
        "SK": K,
        "SX": R,
        "FX": U,
        "KX": K,
    },
    TriggerRule.ALL_SKIPPED: {"S": K, "K": R, "F": K, "X": K, "KK": R, "KS": K},
    TriggerRule.ONE_SUCCESS: {"S": R, "K": K, "F": U, "X": U, "KX": U, "KK": K, "SF": R},
    TriggerRule.ONE_FAILED: {"S": K, "K": K, "F": R, "X": R, "SK": K, "SX": R},
    TriggerRule.ONE_DONE: {"S": R, "K": K, "F": R, "X": K, "KX": K, "XX": K, "KF": R},
    TriggerRule.NONE_FAILED: {"S": R, "K": R, "F": U, "X": U, "SK": R, "KK": R, "SF": U},
    TriggerRule.NONE_FAILED_MIN_ONE_SUCCESS: {
        "S": R,
        "K": K,
        "F": U,
        "X": U,
        "SK": R,
        "KK": K,
        "KX": U,
    },
    TriggerRule.NONE_SKIPPED: {"S": R, "K": K, "F": R, "X": R, "SF": R, "SK": K},
    TriggerRule.ALWAYS: {"S": R, "K": R, "F": R, "X": R},
}


def counts(mix: str, pending: int = 0) -> tuple[int, int, int, int, int]:
    return (len(mix) + pending, mix.count("S"), mix.count("K"), mix.count("F"), mix.count("X"))


ROWS = [(rule, mix, want) for rule, table in SETTLED.items() for mix, want in table.items()]


@pytest.mark.parametrize(("rule", "mix", "want"), ROWS, ids=[f"{r.value}-{m}" for r, m, _ in ROWS])
def test_settled_upstreams_decide_as_airflow_does(rule, mix, want):
    assert evaluate(rule, *counts(mix)) == want


# Early decisions: one upstream still running. Airflow decides on what finished so far.
EARLY = {
    TriggerRule.ALL_SUCCESS: {"": W, "S": W, "K": K, "F": U, "KF": U},
    TriggerRule.ALL_FAILED: {"": W, "F": W, "S": K, "K": K},
    TriggerRule.ALL_DONE: {"": W, "SKF": W},
    TriggerRule.ALL_DONE_MIN_ONE_SUCCESS: {"": W, "S": W, "K": K, "F": W},
    TriggerRule.ALL_SKIPPED: {"": W, "K": W, "S": K, "F": K, "X": K},
    TriggerRule.ONE_SUCCESS: {"": W, "S": R, "F": W, "K": W},
    TriggerRule.ONE_FAILED: {"": W, "F": R, "X": R, "S": W},
    TriggerRule.ONE_DONE: {"": W, "S": R, "F": R, "X": W, "K": W},
    TriggerRule.NONE_FAILED: {"": W, "S": W, "K": W, "F": U, "X": U},
    TriggerRule.NONE_FAILED_MIN_ONE_SUCCESS: {"": W, "K": W, "S": W, "F": U},
    TriggerRule.NONE_SKIPPED: {"": W, "S": W, "K": K, "F": W},
    TriggerRule.ALWAYS: {"": R},
}
EARLY_ROWS = [(rule, mix, want) for rule, table in EARLY.items() for mix, want in table.items()]


@pytest.mark.parametrize(
    ("rule", "mix", "want"),
    EARLY_ROWS,
    ids=[f"{r.value}-{m or 'nothing'}+pending" for r, m, _ in EARLY_ROWS],
)
def test_rules_decide_early_on_what_has_finished(rule, mix, want):
    assert evaluate(rule, *counts(mix, pending=1)) == want


@pytest.mark.parametrize("rule", list(TriggerRule))
def test_a_task_without_upstream_always_runs(rule):
    assert evaluate(rule, 0, 0, 0, 0, 0) == R


@pytest.mark.parametrize("rule", list(TriggerRule))
def test_every_settled_mix_gets_a_final_answer(rule):
    # With every upstream finished no rule may wait: otherwise a run could hang.
    for n in range(1, 4):
        for mix in itertools.combinations_with_replacement("SKFX", n):
            assert evaluate(rule, *counts("".join(mix))) != W, (rule, mix)


def test_every_rule_has_a_function_and_a_plain_words_description():
    assert set(RULES) == set(TriggerRule) == set(DESCRIPTIONS)
    assert all(DESCRIPTIONS[r] for r in TriggerRule)


@pytest.mark.parametrize("rule", sorted(WAIT_THROUGH_EARLY_SUCCESS))
def test_rules_marked_as_waiting_through_early_successes_really_do(rule):
    # The scheduler skips re-evaluating these rules when a success leaves others unfinished.
    for n in range(2, 6):
        for s, k, f, u in itertools.product(range(n), repeat=4):
            if s + k + f + u + 1 < n and evaluate(rule, n, s, k, f, u) == W:
                assert evaluate(rule, n, s + 1, k, f, u) == W, (rule, n, s, k, f, u)
