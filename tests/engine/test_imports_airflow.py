"""Airflow DAG files read with `ast`: the shapes real DAG files are written in."""

import textwrap

import pytest

import engine
from engine.imports import import_file

HEADER = """\
from datetime import timedelta

import pendulum
from airflow.providers.standard.operators.empty import EmptyOperator
from airflow.providers.standard.operators.python import PythonOperator
from airflow.sdk import DAG, Label, TaskGroup, chain, cross_downstream, dag, task, task_group
"""


def read(body: str, header: str = HEADER) -> engine.imports.Imported:
    source = header + textwrap.dedent(body)
    return import_file("dag.py", source.encode())


def line_of(body: str, fragment: str, header: str = HEADER) -> int:
    """The line number `fragment` is on once `body` is read after `header`."""
    lines = (header + textwrap.dedent(body)).splitlines()
    return next(n for n, text in enumerate(lines, 1) if fragment in text)


def tasks(imported) -> dict[str, str]:
    return {t["task_id"]: t["operator"] for t in imported.document["tasks"]}


def edges(imported) -> set[tuple[str, str]]:
    return {(u, d) for u, d in imported.document["edges"]}


def task(imported, task_id: str) -> dict:
    return next(t for t in imported.document["tasks"] if t["task_id"] == task_id)


def messages(imported) -> list[str]:
    return [w.message for w in imported.warnings]


def test_it_reads_a_with_dag_block_with_lists_on_both_sides():
    imported = read("""
        with DAG("etl", schedule="@hourly", start_date=pendulum.datetime(2024, 1, 1, tz="UTC")):
            a = EmptyOperator(task_id="a")
            b = PythonOperator(task_id="b", python_callable=print)
            c = PythonOperator(task_id="c", python_callable=print)
            d = EmptyOperator(task_id="d")
            a >> [b, c] >> d
    """)
    doc = imported.document
    assert (doc["dag_id"], doc["schedule"], doc["start_date"]) == (
        "etl",
        "@hourly",
        "2024-01-01T00:00:00Z",
    )
    assert tasks(imported) == {"a": "empty", "b": "python", "c": "python", "d": "empty"}
    assert edges(imported) == {("a", "b"), ("a", "c"), ("b", "d"), ("c", "d")}
    assert imported.warnings == []


def test_it_reads_left_shifts_and_set_upstream_and_set_downstream():
    imported = read("""
        with DAG(dag_id="shifts"):
            a, b, c, d = [EmptyOperator(task_id=x) for x in "abcd"]
            b << a
            [c, d] << b
            d.set_upstream(a)
            a.set_downstream([c])
    """)
    assert edges(imported) == {("a", "b"), ("b", "c"), ("b", "d"), ("a", "d"), ("a", "c")}


def test_it_reads_operator_arguments_and_default_args():
    imported = read("""
        default_args = {"retries": 2, "retry_delay": timedelta(minutes=1), "pool": "etl"}
        with DAG("args", default_args=default_args):
            EmptyOperator(task_id="plain")
            EmptyOperator(
                task_id="tuned", trigger_rule="all_done", retries=0, pool="fast",
                pool_slots=2, priority_weight=7, weight_rule="absolute",
                retry_delay=timedelta(hours=1, seconds=30),
            )
    """)
    assert imported.document["default_args"] == {"retries": 2, "retry_delay_s": 60}
    assert task(imported, "plain") == {"task_id": "plain", "operator": "empty", "pool": "etl"}
    assert task(imported, "tuned") == {
        "task_id": "tuned",
        "operator": "empty",
        "trigger_rule": "all_done",
        "retries": 0,
        "retry_delay_s": 3630,
        "pool": "fast",
        "pool_slots": 2,
        "priority_weight": 7,
        "weight_rule": "absolute",
    }


def test_it_reads_a_dag_decorator_with_taskflow_calls():
    imported = read("""
        @dag(schedule=None, start_date=pendulum.datetime(2024, 1, 1))
        def ml():
            @task
            def extract():
                return [1, 2]

            @task(retries=3)
            def train(data):
                return "model"

            @task
            def deploy(model):
                pass

            deploy(train(extract()))

        ml()
    """)
    assert imported.document["dag_id"] == "ml"
    assert tasks(imported) == {"extract": "python", "train": "python", "deploy": "python"}
    assert edges(imported) == {("extract", "train"), ("train", "deploy")}
    assert task(imported, "train")["retries"] == 3


def test_it_reads_branch_and_short_circuit_decorators():
    imported = read("""
        with DAG("deciders"):
            @task.branch
            def choose():
                return ["left"]

            @task.short_circuit(ignore_downstream_trigger_rules=False)
            def worth_it():
                return True

            @task.bash
            def shell():
                return "echo hi"

            left = EmptyOperator(task_id="left")
            choose() >> [left, worth_it()]
            left >> shell()
    """)
    assert tasks(imported) == {
        "choose": "branch",
        "worth_it": "short_circuit",
        "left": "empty",
        "shell": "python",
    }
    assert task(imported, "worth_it")["ignore_downstream_trigger_rules"] is False
    assert edges(imported) == {("choose", "left"), ("choose", "worth_it"), ("left", "shell")}


def test_taskflow_tasks_called_twice_get_airflows_suffixes_and_override_renames():
    imported = read("""
        with DAG("again"):
            @task
            def step():
                pass

            step() >> step() >> step.override(task_id="last")()
    """)
    assert list(tasks(imported)) == ["step", "step__1", "last"]
    assert edges(imported) == {("step", "step__1"), ("step__1", "last")}


def test_xcom_references_make_dependencies():
    imported = read("""
        with DAG("xcoms"):
            produce = PythonOperator(task_id="produce", python_callable=print)

            @task
            def consume(value, key):
                pass

            consume(produce.output, key=produce.output["k"])
            PythonOperator(task_id="classic", python_callable=print,
                           op_kwargs={"v": produce.output})
    """)
    assert edges(imported) == {("produce", "consume"), ("produce", "classic")}


def test_chain_pairs_lists_and_cross_downstream_connects_everything():
    imported = read("""
        with DAG("chains"):
            t = {n: EmptyOperator(task_id=n) for n in ["a", "b1", "b2", "c1", "c2", "d", "x", "y"]}
            chain(t["a"], [t["b1"], t["b2"]], [t["c1"], t["c2"]], t["d"])
            cross_downstream([t["x"], t["y"]], [t["c1"], t["c2"]])
    """)
    assert edges(imported) == {
        ("a", "b1"),
        ("a", "b2"),
        ("b1", "c1"),
        ("b2", "c2"),
        ("c1", "d"),
        ("c2", "d"),
        ("x", "c1"),
        ("x", "c2"),
        ("y", "c1"),
        ("y", "c2"),
    }


LABELS = """
    with DAG("labels"):
        check = EmptyOperator(task_id="check")
        good = EmptyOperator(task_id="good")
        bad = EmptyOperator(task_id="bad")
        check >> Label("valid") >> good
        check >> Label("invalid") >> bad
"""


def test_edge_labels_keep_the_dependency_and_say_the_label_is_dropped():
    imported = read(LABELS)
    assert edges(imported) == {("check", "good"), ("check", "bad")}
    dropped = [w for w in imported.warnings if w.code == "edge_label_dropped"]
    assert [w.data["line"] for w in dropped] == [
        line_of(LABELS, '"valid"'),
        line_of(LABELS, '"invalid"'),
    ]
    assert "'valid'" in dropped[0].message


def test_task_groups_prefix_ids_and_stand_for_their_roots_and_leaves():
    imported = read("""
        with DAG("groups"):
            start = EmptyOperator(task_id="start")
            end = EmptyOperator(task_id="end")
            with TaskGroup("sales") as sales:
                fetch = EmptyOperator(task_id="fetch")
                with TaskGroup("clean"):
                    dedupe = EmptyOperator(task_id="dedupe")
                fetch >> dedupe
            with TaskGroup("flat", prefix_group_id=False) as flat:
                EmptyOperator(task_id="weather")
            start >> [sales, flat] >> end
    """)
    assert list(tasks(imported)) == ["start", "end", "sales.fetch", "sales.clean.dedupe", "weather"]
    assert edges(imported) == {
        ("sales.fetch", "sales.clean.dedupe"),
        ("start", "sales.fetch"),
        ("start", "weather"),
        ("sales.clean.dedupe", "end"),
        ("weather", "end"),
    }


def test_task_group_decorators_prefix_ids_and_return_their_last_task():
    imported = read("""
        @dag(dag_id="decorated_groups")
        def pipeline():
            @task
            def load(x):
                pass

            @task
            def transform():
                return 1

            @task_group(default_args={"retries": 4})
            def prepare():
                return load(transform())

            @task_group
            def report():
                EmptyOperator(task_id="render")

            prepared = prepare()
            prepared >> report()
            prepare()

        pipeline()
    """)
    assert list(tasks(imported)) == [
        "prepare.transform",
        "prepare.load",
        "report.render",
        "prepare__1.transform",
        "prepare__1.load",
    ]
    assert ("prepare.load", "report.render") in edges(imported)
    assert task(imported, "prepare.load")["retries"] == 4


def test_for_loops_over_literals_ranges_and_constants_build_ids_with_f_strings():
    imported = read("""
        REGIONS = ("eu", "us")
        SHARDS = 3
        with DAG("loops"):
            done = EmptyOperator(task_id="done")
            for region in REGIONS:
                for shard in range(SHARDS):
                    load = EmptyOperator(task_id=f"load_{region}_{shard:02d}")
                    load >> done
            previous = None
            for i, name in enumerate(["x", "y", "z"]):
                current = EmptyOperator(task_id="step_{}_{}".format(i, name.upper()))
                if previous is not None:
                    previous >> current
                previous = current
    """)
    assert [t for t in tasks(imported) if t.startswith("load")] == [
        "load_eu_00",
        "load_eu_01",
        "load_eu_02",
        "load_us_00",
        "load_us_01",
        "load_us_02",
    ]
    assert ("load_us_02", "done") in edges(imported)
    assert {("step_0_X", "step_1_Y"), ("step_1_Y", "step_2_Z")} <= edges(imported)


def test_airflow_2_paths_and_old_names_are_understood():
    imported = read(
        """
        from airflow import DAG
        from airflow.operators.dummy import DummyOperator
        from airflow.operators.python_operator import BranchPythonOperator, PythonOperator
        from airflow.utils.trigger_rule import TriggerRule
        from datetime import datetime

        dag = DAG("old", schedule_interval="0 6 * * *", start_date=datetime(2021, 1, 1),
                  concurrency=4)
        pick = BranchPythonOperator(task_id="pick", python_callable=print, dag=dag)
        a = DummyOperator(task_id="a", dag=dag)
        join = DummyOperator(task_id="join", trigger_rule="none_failed_or_skipped", dag=dag)
        also = DummyOperator(task_id="also", dag=dag,
                             trigger_rule=TriggerRule.NONE_FAILED_OR_SKIPPED)
        pick >> a >> join >> also
        """,
        header="",
    )
    doc = imported.document
    assert (doc["schedule"], doc["start_date"], doc["max_active_tasks"]) == (
        "0 6 * * *",
        "2021-01-01T00:00:00Z",
        4,
    )
    assert tasks(imported) == {"pick": "branch", "a": "empty", "join": "empty", "also": "empty"}
    assert task(imported, "join")["trigger_rule"] == "none_failed_min_one_success"
    assert task(imported, "also")["trigger_rule"] == "none_failed_min_one_success"


UNKNOWN_OPERATOR = """
    from airflow.providers.amazon.aws.sensors.s3 import S3KeySensor
    with DAG("unknown"):
        wait = S3KeySensor(task_id="wait_for_file", bucket_key="s3://x/y", retries=2)
        wait >> EmptyOperator(task_id="go")
"""


def test_unknown_operators_become_python_tasks_with_a_warning_naming_the_line():
    imported = read(UNKNOWN_OPERATOR)
    assert task(imported, "wait_for_file") == {
        "task_id": "wait_for_file",
        "operator": "python",
        "retries": 2,
    }
    (warning,) = [w for w in imported.warnings if w.code == "unknown_operator"]
    assert warning.data["line"] == line_of(UNKNOWN_OPERATOR, "wait = ")
    assert "S3KeySensor" in warning.message


PARTLY = """
    from somewhere import helper_tasks, settings
    with DAG("partly"):
        a = EmptyOperator(task_id="a", retries=settings.RETRIES)
        for name in helper_tasks():
            EmptyOperator(task_id=name)
        a >> helper_tasks()
        while False:
            pass
"""


def test_what_it_cannot_understand_is_reported_with_its_line_and_the_rest_is_read():
    imported = read(PARTLY)
    assert tasks(imported) == {"a": "empty"}
    lines = sorted(w.data["line"] for w in imported.warnings)
    assert lines == [line_of(PARTLY, text) for text in ("retries=", "for ", "a >>", "while")]
    assert all(w.message.startswith(f"line {w.data['line']}: ") for w in imported.warnings)


def test_a_mapped_task_is_one_task_with_a_warning():
    imported = read("""
        with DAG("mapped"):
            @task
            def add(x):
                return x + 1

            added = add.expand(x=[1, 2, 3])
            PythonOperator.partial(task_id="echo", python_callable=print).expand(
                op_args=[[1], [2]]) << added
    """)
    assert tasks(imported) == {"add": "python", "echo": "python"}
    assert edges(imported) == {("add", "echo")}
    assert [w.code for w in imported.warnings] == ["mapped_task", "mapped_task"]


def test_an_unsupported_schedule_becomes_manual_runs_with_a_warning():
    imported = read("""
        with DAG("deltas", schedule=timedelta(hours=2)):
            EmptyOperator(task_id="a")
    """)
    assert imported.document["schedule"] is None
    assert [w.code for w in imported.warnings] == ["schedule_not_supported"]


def test_the_first_of_several_dags_is_imported_with_a_warning():
    imported = read("""
        with DAG("first"):
            EmptyOperator(task_id="a")
        with DAG("second"):
            EmptyOperator(task_id="b")
    """)
    assert imported.document["dag_id"] == "first"
    assert any("`second`" in m for m in messages(imported))


@pytest.mark.parametrize(
    ("body", "code", "line"),
    [
        ("with DAG('x'):\n    a = EmptyOperator(task_id='a'\n", "syntax_error", 8),  # header: 6
        ("x = 1\n", "no_dag", None),
        (
            "with DAG('x'):\n    EmptyOperator(task_id='a')\n    EmptyOperator(task_id='a')\n",
            "duplicate_task_id",
            9,
        ),
        (
            "with DAG('x'):\n    a = EmptyOperator(task_id='a')\n"
            "    b = EmptyOperator(task_id='b')\n    a >> b >> a\n",
            "cycle",
            None,
        ),
        ("with DAG('x'):\n    EmptyOperator(task_id='bad id!')\n", "bad_task_id", None),
    ],
)
def test_files_that_cannot_become_a_dag_raise_with_the_problem(body, code, line):
    with pytest.raises(engine.InvalidDocument) as raised:
        read(body)
    (problem,) = raised.value.problems
    assert problem.code == code
    assert problem.data.get("line") == line


def test_settings_made_after_the_task_and_enum_values_are_read():
    imported = read(
        """
        from pathlib import Path
        from airflow.sdk import TriggerRule
        with DAG(dag_id=Path(__file__).stem):
            join = EmptyOperator(task_id=TriggerRule.ONE_SUCCESS)
            join.trigger_rule = TriggerRule.NONE_FAILED
            join.retries = 4

            @task
            def produce():
                return {"k": 1}

            @task
            def consume():
                pass

            result = produce()
            consume.override(op_kwargs={"v": result["k"]})() >> join
        """
    )
    assert imported.document["dag_id"] == "dag"
    assert task(imported, "one_success") == {
        "task_id": "one_success",
        "operator": "empty",
        "trigger_rule": "none_failed",
        "retries": 4,
    }
    assert edges(imported) == {("produce", "consume"), ("consume", "one_success")}


def test_setup_and_teardown_tasks_are_read_with_all_done_standing_in_for_their_rule():
    imported = read(
        """
        from airflow.sdk import setup, teardown
        with DAG("cluster"):
            create = EmptyOperator(task_id="create").as_setup()
            work = EmptyOperator(task_id="work")
            delete = EmptyOperator(task_id="delete").as_teardown(setups=create)
            create >> work >> delete

            @setup
            def start_cluster():
                return "id"

            @teardown
            def stop_cluster(cluster_id):
                pass

            stop_cluster(start_cluster())
        """
    )
    assert edges(imported) == {
        ("create", "delete"),
        ("create", "work"),
        ("work", "delete"),
        ("start_cluster", "stop_cluster"),
    }
    assert task(imported, "delete")["trigger_rule"] == "all_done"
    assert task(imported, "stop_cluster")["trigger_rule"] == "all_done"
    assert [w.code for w in imported.warnings] == ["teardown", "teardown"]
