"""Run dagsim DAG + scenario documents in real Apache Airflow 3 (in the Airflow venv's python).

    AIRFLOW_PY=/tmp/af3/bin/python
    $AIRFLOW_PY tools/airflow_diff/airflow_runner.py --workdir DIR  < cases.jsonl > results.jsonl

Each input line is ``{"name", "dag", "scenario"}``; each output line is ``{"name", "expected",
"expected_raw", "tries", "order", "run", "error"}`` in the conformance case format (after a first
``{"ready": true}`` line). ``diff.py`` drives it; Airflow's own logs go to ``DIR/airflow.log``.

The run follows the conformance corpus's scheduler model (``shared/conformance/README.md``):
a *scheduled* DagRun for the scenario's logical date, virtual time (the process clock is moved
with time-machine), a try that starts at *t* ends at *t* + ``duration_s``, tries that end at the
same instant are executed together in task_id order by Airflow's own in-process task runner (the
one ``dag.test()`` uses: real operators, real execution API, real skip / retry handling), then
``DagRun.update_state()`` is applied repeatedly until nothing changes. LatestOnlyOperator sees the
scenario's ``now`` (else the end of the data interval plus one minute).

This file imports Airflow and must not be imported by dagsim; dagsim's side is ``diff.py``.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import traceback
from datetime import UTC, datetime, timedelta
from pathlib import Path

# The scheduler's latency: a retry due at instant T is picked up by the first pass after T
# (Airflow's ready_for_retry() is a strict "<"), as a real scheduler loop a moment later would.
PASS_LATENCY = timedelta(milliseconds=1)
# The clock a run starts at, after its data interval ends (a scheduled run is due then).
RUN_START_AFTER_INTERVAL = timedelta(minutes=1)
MAX_PASSES = 200
MAX_INSTANTS = 5000


def configure(workdir: Path) -> None:
    """Point Airflow at a private home with a migrated SQLite database (made once, then copied)."""
    home = workdir / "home"
    dags = workdir / "dags"
    home.mkdir(parents=True, exist_ok=True)
    dags.mkdir(exist_ok=True)
    env = {
        "AIRFLOW_HOME": str(home),
        "AIRFLOW__CORE__LOAD_EXAMPLES": "False",
        "AIRFLOW__CORE__DAGS_FOLDER": str(dags),
        "AIRFLOW__SCHEDULER__CREATE_CRON_DATA_INTERVALS": "True",
        "AIRFLOW__CORE__UNIT_TEST_MODE": "False",
        "AIRFLOW__LOGGING__LOGGING_LEVEL": "ERROR",
        "AIRFLOW__CORE__DEFAULT_TASK_RETRIES": "0",
        "AIRFLOW__DATABASE__SQL_ALCHEMY_CONN": f"sqlite:///{home / 'airflow.db'}",
    }
    os.environ.update(env)
    pristine = workdir / "pristine.db"
    if not pristine.exists():
        subprocess.run(
            [str(Path(sys.executable).with_name("airflow")), "db", "migrate"],
            check=True,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            env={**os.environ, **env},
        )
        shutil.copy(home / "airflow.db", pristine)
    # A fresh DB per process; a journal left by an earlier process must not replay onto it.
    for old in home.glob("airflow.db*"):
        old.unlink()
    shutil.copy(pristine, home / "airflow.db")


def state_name(state) -> str | None:
    """Airflow's states are str enums in some places and plain strings in others."""
    return None if state is None else str(getattr(state, "value", state))


def parse_time(text: str) -> datetime:
    import pendulum  # Airflow's timetables need pendulum's DateTime

    return pendulum.instance(datetime.fromisoformat(text.replace("Z", "+00:00"))).in_timezone("UTC")


class Outcome:
    """What a task's callable does on each try, as the scenario says."""

    def __init__(self, value):
        self.fail_times = 0
        self.skip = False
        self.branch = None
        self.short_circuit = True
        if value == "failed":
            self.fail_times = 1 << 30
        elif value == "skipped":
            self.skip = True
        elif isinstance(value, dict):
            self.fail_times = int(value.get("fail_times", 0))
            self.branch = value.get("branch")
            self.short_circuit = bool(value.get("short_circuit", True))

    def callable(self):
        from airflow.sdk.exceptions import AirflowException, AirflowSkipException

        def work(**context):
            try_number = context["ti"].try_number
            if self.skip:
                raise AirflowSkipException("scenario: skipped")
            if try_number <= self.fail_times:
                raise AirflowException(f"scenario: try {try_number} fails")
            if self.branch is not None:
                return list(self.branch)
            return self.short_circuit

        return work


def build_dag(doc: dict, scenario: dict):
    """The DAG document as a real Airflow DAG whose callables act out the scenario."""
    from airflow.providers.standard.operators.empty import EmptyOperator
    from airflow.providers.standard.operators.latest_only import LatestOnlyOperator
    from airflow.providers.standard.operators.python import (
        BranchPythonOperator,
        PythonOperator,
        ShortCircuitOperator,
    )
    from airflow.sdk import DAG

    defaults = doc.get("default_args") or {}
    default_args = {
        "retries": int(defaults.get("retries", 0)),
        "retry_delay": timedelta(seconds=defaults.get("retry_delay_s", 300)),
    }
    outcomes = scenario.get("outcomes") or {}
    dag = DAG(
        doc["dag_id"],
        schedule=doc.get("schedule"),
        start_date=parse_time(doc.get("start_date") or "2024-01-01T00:00:00Z"),
        catchup=False,
        default_args=default_args,
    )
    tasks = {}
    with dag:
        for spec in doc["tasks"]:
            kwargs = {"task_id": spec["task_id"]}
            if "trigger_rule" in spec:
                kwargs["trigger_rule"] = spec["trigger_rule"]
            if "retries" in spec:
                kwargs["retries"] = spec["retries"]
            if "retry_delay_s" in spec:
                kwargs["retry_delay"] = timedelta(seconds=spec["retry_delay_s"])
            op = spec["operator"]
            work = Outcome(outcomes.get(spec["task_id"])).callable()
            if op == "empty":
                task = EmptyOperator(**kwargs)
            elif op == "latest_only":
                task = LatestOnlyOperator(**kwargs)
            elif op == "python":
                task = PythonOperator(python_callable=work, **kwargs)
            elif op == "branch":
                task = BranchPythonOperator(python_callable=work, **kwargs)
            elif op == "short_circuit":
                task = ShortCircuitOperator(
                    python_callable=work,
                    ignore_downstream_trigger_rules=spec.get(
                        "ignore_downstream_trigger_rules", True
                    ),
                    **kwargs,
                )
            else:
                raise ValueError(f"unknown operator {op}")
            tasks[spec["task_id"]] = task
        for up, down in doc["edges"]:
            tasks[up] >> tasks[down]
    return dag


def register(dag, session):
    """Write the DAG to the metadata DB as the DAG processor does (model, serialized, version)."""
    from airflow.dag_processing.bundles.manager import DagBundlesManager
    from airflow.dag_processing.collection import update_dag_parsing_results_in_db
    from airflow.serialization.serialized_objects import LazyDeserializedDAG

    DagBundlesManager().sync_bundles_to_db(session=session)
    session.commit()
    update_dag_parsing_results_in_db(
        "dags-folder", None, [LazyDeserializedDAG.from_dag(dag)], {}, None, set(), session=session
    )
    session.commit()


def data_interval(timetable, logical: datetime):
    """The data interval of the scheduled run at ``logical`` (the timetable's own answer)."""
    from airflow.timetables.base import TimeRestriction

    info = timetable.next_dagrun_info(
        last_automated_data_interval=None,
        restriction=TimeRestriction(earliest=logical, latest=None, catchup=True),
    )
    if info is None or info.logical_date != logical:
        raise ValueError(f"{logical} is not a logical date of the DAG's schedule")
    return info.data_interval


class VirtualRun:
    """One scheduled DagRun driven instant by instant on a virtual clock."""

    def __init__(self, dag, doc: dict, scenario: dict, traveller, session):
        from airflow.models.dagbag import DBDagBag

        self.dag = dag
        self.session = session
        self.traveller = traveller
        self.duration = {t["task_id"]: float(t.get("duration_s", 1)) for t in doc["tasks"]}
        self.scheduler_dag = DBDagBag().get_latest_version_of_dag(dag.dag_id, session=session)
        self.running: dict[str, float] = {}
        self.order: list = []
        self.tries = {t["task_id"]: 0 for t in doc["tasks"]}
        self.logical = parse_time(scenario["logical_date"])
        # `schedule: null` has no scheduled runs: a manual run it is (the corpus did the same).
        self.manual = doc.get("schedule") is None
        timetable = self.scheduler_dag.timetable
        self.interval = (
            timetable.infer_manual_data_interval(run_after=self.logical)
            if self.manual
            else data_interval(timetable, self.logical)
        )

    def start(self):
        from airflow.utils.state import DagRunState
        from airflow.utils.types import DagRunTriggeredByType, DagRunType

        self.base = self.interval.end + RUN_START_AFTER_INTERVAL
        self.move_to(0.0)
        run_type = DagRunType.MANUAL if self.manual else DagRunType.SCHEDULED
        self.dr = self.scheduler_dag.create_dagrun(
            run_id=f"{run_type.value}__{self.logical.isoformat()}",
            logical_date=self.logical,
            data_interval=(self.interval.start, self.interval.end),
            run_after=self.base,
            run_type=run_type,
            triggered_by=DagRunTriggeredByType.TEST
            if self.manual
            else DagRunTriggeredByType.TIMETABLE,
            state=DagRunState.RUNNING,
            start_date=self.base,
            session=self.session,
        )
        self.session.commit()

    def move_to(self, t: float, latency: timedelta = timedelta(0)):
        self.traveller.move_to(self.base + timedelta(seconds=t) + latency)

    def tis(self):
        self.session.expire_all()
        return {ti.task_id: ti for ti in self.dr.get_task_instances(session=self.session)}

    def settle(self, t: float):
        """Scheduler passes at instant ``t`` until nothing changes; ready tasks start running.

        Only while the DagRun is running: the scheduler examines running DagRuns only
        (``DagRun.get_running_dag_runs_to_examine``), so a run that a pass marked finished, even
        as deadlocked, is never updated again.
        """
        from airflow.utils.state import DagRunState, TaskInstanceState

        self.move_to(t, PASS_LATENCY)
        for _ in range(MAX_PASSES):
            if self.dr.state != DagRunState.RUNNING:
                return
            before = {k: ti.state for k, ti in self.tis().items()}
            schedulable, _ = self.dr.update_state(session=self.session, execute_callbacks=False)
            for ti in schedulable:
                ti.try_number += 1
                ti.state = TaskInstanceState.RUNNING
                ti.start_date = self.base + timedelta(seconds=t)
                ti.end_date = None
                self.running[ti.task_id] = t + self.duration[ti.task_id]
                self.tries[ti.task_id] = ti.try_number
            self.session.commit()
            after = {k: ti.state for k, ti in self.tis().items()}
            if not schedulable and before == after:
                return
        raise RuntimeError("update_state did not settle")

    def execute(self, task_id: str, t: float):
        """The try of ``task_id`` ends at ``t``: run it with Airflow's in-process task runner."""
        from uuid import UUID

        from airflow.sdk.api.datamodels._generated import TaskInstance as TaskInstanceSDK
        from airflow.sdk.execution_time.supervisor import run_task_in_process
        from airflow.utils.state import TaskInstanceState

        ti = self.tis()[task_id]
        try_number = ti.try_number
        if ti.state != TaskInstanceState.RUNNING:
            # Skipped while it ran (NotPreviouslySkippedDep): the work's result never lands.
            self.order.append([t, task_id, try_number, f"not run (state {ti.state})"])
            return
        ti.state = TaskInstanceState.QUEUED  # the execution API starts queued task instances
        self.session.commit()
        sdk_ti = TaskInstanceSDK(
            id=UUID(str(ti.id)),
            task_id=ti.task_id,
            dag_id=ti.dag_id,
            run_id=ti.run_id,
            try_number=try_number,
            map_index=ti.map_index,
            dag_version_id=UUID(str(ti.dag_version_id)),
        )
        try:
            run_task_in_process(ti=sdk_ti, task=self.dag.task_dict[task_id])
        except Exception:
            ti = self.tis()[task_id]
            if ti.state not in (TaskInstanceState.SUCCESS, TaskInstanceState.FAILED):
                ti.state = TaskInstanceState.FAILED
                ti.end_date = self.base + timedelta(seconds=t)
                self.session.commit()
        state = self.tis()[task_id].state
        self.order.append([t, task_id, try_number, state_name(state)])

    def next_instant(self) -> float | None:
        """The next try end; when nothing runs, the earliest retry due (the scheduler wakes)."""
        from airflow.utils.state import TaskInstanceState

        if self.running:
            return min(self.running.values())
        due = []
        for ti in self.tis().values():
            if ti.state == TaskInstanceState.UP_FOR_RETRY:
                ti.task = self.scheduler_dag.get_task(ti.task_id)
                due.append((ti.next_retry_datetime() - self.base).total_seconds())
        return max(min(due), 0.0) if due else None

    def play(self):
        from airflow.utils.state import DagRunState

        self.start()
        self.settle(0.0)
        # Tries still running when the run ends are played out too, so `order` shows them.
        for _ in range(MAX_INSTANTS):
            if self.dr.state != DagRunState.RUNNING and not self.running:
                return
            t = self.next_instant()
            if t is None:
                break
            ending = sorted(tid for tid, end in self.running.items() if end == t)
            for tid in ending:
                del self.running[tid]
            self.move_to(t)
            for tid in ending:
                self.execute(tid, t)
            self.settle(t)
        raise RuntimeError("the run did not finish")


def latest_only_clock(now: datetime):
    """Make LatestOnlyOperator read ``now`` from its clock, whatever the process clock says."""
    import airflow.providers.standard.operators.latest_only as latest_only
    import pendulum

    class Clock:
        def __getattr__(self, name):
            return getattr(pendulum, name)

        @staticmethod
        def now(tz=None):
            return pendulum.instance(now).in_timezone(tz or "UTC")

    latest_only.pendulum = Clock()


def run_case(case: dict) -> dict:
    import time_machine
    from airflow import settings

    global _SEQ
    _SEQ += 1
    # dag_ids repeat across cases (the conformance corpus reuses them): each run gets its own.
    doc = {**case["dag"], "dag_id": f"diff_{_SEQ:05d}"}
    scenario = case["scenario"]
    dag = build_dag(doc, scenario)
    session = settings.Session()
    try:
        register(dag, session)
        with time_machine.travel(datetime(2000, 1, 1, tzinfo=UTC), tick=False) as traveller:
            run = VirtualRun(dag, doc, scenario, traveller, session)
            end = run.interval.end + RUN_START_AFTER_INTERVAL
            clock = parse_time(scenario["now"]) if scenario.get("now") else end
            latest_only_clock(clock)
            run.play()
            tis = run.tis()
        raw = {tid: state_name(tis[tid].state) for tid in run.tries}
        return {
            "name": case["name"],
            "expected": {k: (v if v in FINAL else None) for k, v in raw.items()},
            "expected_raw": raw,
            "tries": run.tries,
            "order": run.order,
            "run": {
                "run_type": "manual" if run.manual else "scheduled",
                "timetable": type(run.scheduler_dag.timetable).__name__,
                "data_interval": [run.interval.start.isoformat(), run.interval.end.isoformat()],
                "latest_only_clock": clock.isoformat(),
                "dag_run_state": state_name(run.dr.state),
            },
            "error": None,
        }
    finally:
        session.close()


_SEQ = 0
FINAL = {"success", "failed", "skipped", "upstream_failed"}


def serve(workdir: Path) -> int:
    """Answer cases one JSON line at a time: a case on stdin, its result on stdout.

    Airflow and the tasks log to stdout and stderr; both go to ``workdir/airflow.log`` so the
    result lines are all that reaches the real stdout.
    """
    results = os.fdopen(os.dup(1), "w", buffering=1)
    log = os.open(workdir / "airflow.log", os.O_WRONLY | os.O_CREAT | os.O_APPEND)
    os.dup2(log, 1)
    os.dup2(log, 2)
    configure(workdir)
    from airflow import settings

    settings.configure_orm()
    results.write(json.dumps({"ready": True}) + "\n")
    for line in sys.stdin:
        if not line.strip():
            continue
        case = json.loads(line)
        try:
            result = run_case(case)
        except Exception:
            result = {"name": case.get("name"), "error": traceback.format_exc()[-3000:]}
        results.write(json.dumps(result) + "\n")
    return 0


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/airflow_diff"))
    args = parser.parse_args(argv)
    args.workdir.mkdir(parents=True, exist_ok=True)
    return serve(args.workdir)


if __name__ == "__main__":
    sys.exit(main())
