"""Validation reports every problem at once, each with a code and a place."""

import engine
from engine.validate import validate_scenario

from .conftest import dag_doc


def codes(problems):
    return [p.code for p in problems]


def test_a_cycle_is_reported_with_its_path():
    doc = dag_doc(["a", "b", "c", "d"], [["d", "a"], ["a", "b"], ["b", "c"], ["c", "a"]])
    [problem] = engine.validate_dag(doc)
    assert problem.code == "cycle"
    assert problem.message == "cycle: a -> b -> c -> a"
    assert problem.data["cycle"] == ["a", "b", "c", "a"]


def test_all_problems_are_reported_together():
    doc = dag_doc(
        [
            {"task_id": "a", "operator": "pyhton", "trigger_rule": "all_access"},
            {"task_id": "bad id!", "operator": "empty"},
            {"task_id": "a", "operator": "empty"},
        ],
        [["a", "zz"], ["a", "a"]],
        schedule="61 * * * *",
        start_date="yesterday",
    )
    got = codes(engine.validate_dag(doc))
    for code in (
        "unknown_operator",
        "unknown_trigger_rule",
        "bad_task_id",
        "duplicate_task_id",
        "unknown_task",
        "self_loop",
        "bad_schedule",
        "bad_date",
    ):
        assert code in got


def test_a_misspelt_trigger_rule_gets_a_suggestion():
    doc = dag_doc([{"task_id": "a", "operator": "python", "trigger_rule": "all_access"}], [])
    [problem] = engine.validate_dag(doc)
    assert "did you mean `all_success`?" in problem.message
    assert problem.task_id == "a" and problem.field == "trigger_rule"


def test_airflow_2_trigger_rule_name_is_explained():
    doc = dag_doc(
        [{"task_id": "a", "operator": "python", "trigger_rule": "none_failed_or_skipped"}], []
    )
    [problem] = engine.validate_dag(doc)
    assert "none_failed_min_one_success" in problem.message


def test_task_ids_follow_airflows_rule():
    assert engine.validate_dag(dag_doc(["ok_id-1.x"], [])) == []
    assert codes(engine.validate_dag(dag_doc(["x" * 251], []))) == ["bad_task_id"]
    assert codes(engine.validate_dag(dag_doc(["has space"], []))) == ["bad_task_id"]


def test_an_edge_naming_an_unknown_task_suggests_the_nearest():
    [problem] = engine.validate_dag(dag_doc(["extract", "load"], [["extract", "laod"]]))
    assert problem.code == "unknown_task" and "did you mean `load`?" in problem.message
    assert problem.edge == ("extract", "laod")


def test_unknown_fields_are_kept_and_warned_about():
    doc = dag_doc([{"task_id": "a", "operator": "python", "trigger_rul": "all_done"}], [])
    [problem] = engine.validate_dag(doc)
    assert problem.severity == "warning" and "trigger_rule" in problem.message
    assert engine.load_dag(doc).to_document()["tasks"][0]["trigger_rul"] == "all_done"


def test_a_document_round_trips_through_load():
    doc = dag_doc(
        [{"task_id": "a", "operator": "python", "retries": 2}, "b"],
        [["a", "b"]],
        schedule="@daily",
        start_date="2024-01-01T00:00:00Z",
    )
    assert engine.load_dag(doc).to_document() == doc


def test_scenario_outcome_for_unknown_task_is_an_error():
    doc = dag_doc(["extract"], [])
    problems = validate_scenario(doc, {"outcomes": {"extrct": "failed"}})
    assert codes(problems) == ["unknown_task"] and "did you mean `extract`?" in problems[0].message


def test_a_branch_task_needs_a_branch_outcome():
    doc = dag_doc([{"task_id": "pick", "operator": "branch"}, "a"], [["pick", "a"]])
    assert codes(validate_scenario(doc, {})) == ["missing_branch_outcome"]
    assert validate_scenario(doc, {"outcomes": {"pick": {"branch": ["a"]}}}) == []
    assert validate_scenario(doc, {"outcomes": {"pick": "failed"}}) == []


def test_what_airflow_runs_is_warned_about_not_refused():
    doc = dag_doc(
        [{"task_id": "pick", "operator": "branch"}, "a", "b"], [["pick", "a"], ["a", "b"]]
    )
    problems = validate_scenario(doc, {"outcomes": {"pick": {"branch": ["b", "ghost"]}}})
    assert [(p.code, p.severity) for p in problems] == [
        ("branch_not_direct_downstream", "warning"),
        ("branch_unknown_task", "warning"),
    ]


def test_empty_and_latest_only_tasks_take_no_outcome():
    doc = dag_doc(
        [{"task_id": "e", "operator": "empty"}, {"task_id": "lo", "operator": "latest_only"}], []
    )
    problems = validate_scenario(doc, {"outcomes": {"e": "failed", "lo": "skipped"}})
    assert codes(problems) == ["outcome_not_allowed", "outcome_not_allowed"]


def test_bad_scenario_dates_and_outcomes_are_reported():
    doc = dag_doc(["a"], [])
    problems = validate_scenario(doc, {"logical_date": "soon", "outcomes": {"a": "exploded"}})
    assert codes(problems) == ["bad_date", "bad_outcome"]


def test_loading_an_invalid_document_raises_with_every_error():
    doc = dag_doc([{"task_id": "a", "operator": "nope"}], [["a", "b"]])
    try:
        engine.load_dag(doc)
    except engine.InvalidDocument as exc:
        assert codes(exc.problems) == ["unknown_operator", "unknown_task"]
    else:
        raise AssertionError("expected InvalidDocument")


def test_xcom_pull_from_a_task_that_is_not_upstream_is_an_implicit_dependency():
    doc = dag_doc(
        [
            {"task_id": "a", "operator": "python", "xcom_push": {"k": 1}},
            {"task_id": "b", "operator": "python", "xcom_pull": [{"task_id": "a", "key": "k"}]},
        ],
        [],
    )
    [problem] = engine.validate_dag(doc)
    assert problem.code == "implicit_dependency" and problem.severity == "warning"
