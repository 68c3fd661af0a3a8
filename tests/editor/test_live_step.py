"""The live run's scheduling step (editor/live.py through runs.advance_live_run), driven by hand.

No executor here: the test plays the executor's part, waking the run at the simulated times the
steps ask for, sometimes twice or late, and checks the database against the instant simulation.
The real executors, the worker and the websocket are tested in tests/live/.
"""

import contextlib
import heapq
import itertools
import json
from collections import OrderedDict
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone

import engine
from editor import dags, live, runs
from editor.executors import wakeups
from editor.models import FINISHED_TASK_STATES, Run, RunEvent, RunMode, TaskInstance

pytestmark = pytest.mark.django_db

CASES_DIR = Path(__file__).resolve().parents[3] / "shared" / "conformance" / "cases"
FINISHED = {str(s) for s in FINISHED_TASK_STATES}
CASES = [json.loads(p.read_text()) for p in sorted(CASES_DIR.glob("*.json"))]


@pytest.fixture
def owner(django_user_model):
    # No password: hashing one costs a third of a second, and these tests never log in.
    return django_user_model.objects.create(username="alice")


def start_live(owner, document: dict, scenario: dict, speed: float = 1000.0) -> Run:
    dag = dags.create_dag(owner, document, {}, {})
    return runs.start_run(dag, scenario, mode=RunMode.LIVE, speed=speed)


def drive(run: Run, *, repeat: bool = False, commits=None, around=None) -> None:
    """Wake the run at every simulated time its steps ask for, as an executor would.

    Without ``commits`` every step rebuilds the run from its rows (commit callbacks, which keep
    the scheduler for the next step, never run inside a test's transaction); with the
    django_capture_on_commit_callbacks fixture they run after each step.
    """
    pending: list[float] = []

    steps = itertools.count()

    def advance(until):
        with around(next(steps)) if around else contextlib.nullcontext():
            if commits is None:
                step = runs.advance_live_run(run.pk, until)
            else:
                with commits(execute=True):
                    step = runs.advance_live_run(run.pk, until)
        if step is not None:
            for t, _delay in wakeups(run.speed, step):
                heapq.heappush(pending, t)
        if repeat and until is not None:
            before = Run.objects.get(pk=run.pk).last_seq
            again = runs.advance_live_run(run.pk, until)
            assert again is None or again.empty
            assert Run.objects.get(pk=run.pk).last_seq == before

    advance(None)
    while pending:
        advance(heapq.heappop(pending))


def instant(document: dict, scenario: dict) -> engine.Trace:
    dag = engine.load_dag(document)
    return engine.simulate(dag, engine.load_scenario(dag, scenario))


def task_events(run: Run) -> list[tuple]:
    return list(
        RunEvent.objects.filter(run=run)
        .exclude(task_id=None)
        .order_by("seq")
        .values_list("sim_time", "task_id", "try_number", "from_state", "to_state", "reason")
    )


def per_instant_and_task(events: list[tuple]) -> list[tuple]:
    # The causes a trigger-rule reason names in brackets are rendered when the text is made:
    # at the time for a live run, with hindsight for an instant one. The rule and counts agree.
    events = [(*e[:5], e[5].split(" (")[0]) for e in events]
    return sorted(events, key=lambda e: (e[0], e[1]))  # stable: a task's own order is kept


def states(run: Run) -> dict[str, str]:
    return dict(TaskInstance.objects.filter(run=run).values_list("task_id", "state"))


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_a_live_run_logs_exactly_the_instant_simulations_events(owner, case):
    run = start_live(owner, case["dag"], case["scenario"])
    drive(run, repeat=True)
    trace = instant(case["dag"], case["scenario"])
    expected = [
        (e["time"], e["task_id"], e["try_number"], e["from_state"], e["to_state"], e["reason"])
        for e in trace.events()
    ]
    # Within one instant the order among tasks decided in the same scheduler pass is not part
    # of the answer (a restored scheduler visits them in task_id order); per task it is.
    assert per_instant_and_task(task_events(run)) == per_instant_and_task(expected)
    run.refresh_from_db()
    assert run.state == trace.run_state.value
    assert run.last_seq == len(expected) + 2  # plus "run started" and "run finished"
    seqs = list(RunEvent.objects.filter(run=run).order_by("seq").values_list("seq", flat=True))
    assert seqs == list(range(1, run.last_seq + 1))
    finished = {k: v for k, v in states(run).items() if v in FINISHED}
    assert finished == {k: v for k, v in trace.states.items() if v != "none"}


def chain(n: int, **extra) -> dict:
    return {
        "format": "dagsim/1",
        "dag_id": extra.pop("dag_id", "chain"),
        "tasks": [{"task_id": f"t{i}", "operator": "python", **extra} for i in range(n)],
        "edges": [[f"t{i}", f"t{i + 1}"] for i in range(n - 1)],
    }


def test_a_run_kept_between_steps_ends_like_one_restored_at_every_step(
    owner, django_capture_on_commit_callbacks, monkeypatch
):
    case = next(c for c in CASES if c["name"] == "random_0003")
    restored = start_live(owner, case["dag"], case["scenario"])
    drive(restored)
    restores = []
    rebuild = live.LiveRun.from_rows
    monkeypatch.setattr(
        live.LiveRun, "from_rows", lambda *args: restores.append(args) or rebuild(*args)
    )
    kept = start_live(owner, {**case["dag"], "dag_id": "kept"}, case["scenario"])
    drive(kept, commits=django_capture_on_commit_callbacks)
    assert len(restores) == 1  # the first step; every later one reused the kept scheduler
    assert states(kept) == states(restored)
    assert per_instant_and_task(task_events(kept)) == per_instant_and_task(task_events(restored))


class Processes:
    """Worker processes taking a run's steps in turn, each with its own kept copy of the run
    (live._kept is per process; here each simulated process swaps its own in and out)."""

    def __init__(self, count: int) -> None:
        self.caches = [OrderedDict() for _ in range(count)]

    @contextlib.contextmanager
    def __call__(self, n: int):
        cache = self.caches[n % len(self.caches)]
        live._kept.clear()
        live._kept.update(cache)
        try:
            yield
        finally:
            cache.clear()
            cache.update(live._kept)
            live._kept.clear()


def counting_rebuilds(monkeypatch) -> list:
    rebuilds = []
    rebuild = live.LiveRun.from_rows
    monkeypatch.setattr(
        live.LiveRun, "from_rows", lambda *args: rebuilds.append(args) or rebuild(*args)
    )
    return rebuilds


@pytest.mark.parametrize("processes", [2, 3])
def test_processes_taking_turns_replay_each_others_steps_instead_of_rebuilding(
    owner, django_capture_on_commit_callbacks, monkeypatch, processes
):
    case = next(c for c in CASES if c["name"] == "random_0003")
    restored = start_live(owner, case["dag"], case["scenario"])
    drive(restored)
    rebuilds = counting_rebuilds(monkeypatch)
    taking_turns = start_live(owner, {**case["dag"], "dag_id": "turns"}, case["scenario"])
    drive(taking_turns, commits=django_capture_on_commit_callbacks, around=Processes(processes))
    # Each process rebuilds once, for its first step; after that it replays what the others
    # wrote (Run.recent_steps) and ends exactly as a run rebuilt at every step.
    assert len(rebuilds) == processes
    assert states(taking_turns) == states(restored)
    assert per_instant_and_task(task_events(taking_turns)) == per_instant_and_task(
        task_events(restored)
    )


def test_a_step_record_that_does_not_match_its_replay_means_a_rebuild(
    owner, django_capture_on_commit_callbacks, monkeypatch
):
    case = next(c for c in CASES if c["name"] == "random_0003")
    restored = start_live(owner, case["dag"], case["scenario"])
    drive(restored)
    rebuilds = counting_rebuilds(monkeypatch)
    run = start_live(owner, {**case["dag"], "dag_id": "spoiled"}, case["scenario"])
    processes = Processes(2)

    @contextlib.contextmanager
    def spoiling(n: int):
        # Every record says something other than what its step did: no replay can match.
        recent = Run.objects.get(pk=run.pk).recent_steps
        Run.objects.filter(pk=run.pk).update(
            recent_steps=[{**r, "digest": "0" * 24} for r in recent]
        )
        with processes(n):
            yield

    drive(run, commits=django_capture_on_commit_callbacks, around=spoiling)
    assert len(rebuilds) > 2 * len(processes.caches)  # not only each process's first step
    assert states(run) == states(restored)
    assert per_instant_and_task(task_events(run)) == per_instant_and_task(task_events(restored))


def test_a_copy_older_than_the_recent_steps_is_rebuilt(
    owner, django_capture_on_commit_callbacks, monkeypatch
):
    run = start_live(owner, chain(live.RECENT_STEPS + 4), {})
    rebuilds = counting_rebuilds(monkeypatch)
    stale = Processes(1)
    with django_capture_on_commit_callbacks(execute=True), stale(0):
        runs.advance_live_run(run.pk)  # this process keeps the run at its first step
    for t in range(1, live.RECENT_STEPS + 2):  # others play on, further than it can replay
        with django_capture_on_commit_callbacks(execute=True), Processes(1)(0):
            runs.advance_live_run(run.pk, float(t))
    before = len(rebuilds)
    with django_capture_on_commit_callbacks(execute=True), stale(0):
        step = runs.advance_live_run(run.pk, float(live.RECENT_STEPS + 2))
    assert len(rebuilds) == before + 1 and step is not None and not step.empty


def test_a_live_run_played_to_its_end_keeps_the_instant_runs_trace(
    owner, django_capture_on_commit_callbacks
):
    case = next(c for c in CASES if c["name"] == "random_0003")
    run = start_live(owner, case["dag"], case["scenario"])
    drive(run, commits=django_capture_on_commit_callbacks)
    run.refresh_from_db()
    assert run.state in {"success", "failed"}
    assert run.result == instant(case["dag"], case["scenario"]).to_dict()
    assert run.result["states"] == states(run)


def test_a_cancelled_live_run_keeps_no_trace(owner, django_capture_on_commit_callbacks):
    run = start_live(owner, chain(3), {})
    with django_capture_on_commit_callbacks(execute=True):
        runs.advance_live_run(run.pk)
        runs.cancel_run(run)
    run.refresh_from_db()
    assert run.state == "cancelled" and run.result is None
    assert runs.record_live_result(run.pk) is False


def test_a_live_run_that_ended_unlike_its_simulation_keeps_no_trace(owner):
    run = start_live(owner, chain(2), {})
    drive(run)
    assert Run.objects.get(pk=run.pk).result is not None  # stored with the run's last step
    Run.objects.filter(pk=run.pk).update(result=None)
    TaskInstance.objects.filter(run=run, task_id="t1").update(state="failed")  # behind its back
    assert runs.record_live_result(run.pk) is False
    assert Run.objects.get(pk=run.pk).result is None


def test_a_late_wakeup_for_a_time_already_played_changes_nothing(owner):
    run = start_live(owner, chain(3), {})
    runs.advance_live_run(run.pk)
    runs.advance_live_run(run.pk, 1.0)  # t0 ends, t1 starts
    before = Run.objects.get(pk=run.pk).last_seq
    step = runs.advance_live_run(run.pk, 1.0)
    assert step.empty and Run.objects.get(pk=run.pk).last_seq == before
    assert runs.advance_live_run(run.pk, 0.5).empty


def test_a_wakeup_before_anything_is_due_changes_nothing(owner):
    run = start_live(owner, chain(2, duration_s=10), {})
    runs.advance_live_run(run.pk)
    assert runs.advance_live_run(run.pk, 9.0).empty
    assert states(run)["t0"] == "running"


def test_a_late_wakeup_plays_every_instant_it_missed(owner):
    run = start_live(owner, chain(4), {})
    runs.advance_live_run(run.pk)
    step = runs.advance_live_run(run.pk, 10.0)  # as if the wake-ups at 1, 2 and 3 were lost
    assert step.final_state == "success"
    assert set(states(run).values()) == {"success"}
    ends = [e for e in task_events(run) if e[4] == "success"]
    assert [(e[0], e[1]) for e in ends] == [(1.0, "t0"), (2.0, "t1"), (3.0, "t2"), (4.0, "t3")]


def three_pairs() -> dict:
    """a -> a2, b -> b2, c -> c2; a, b, c end at 1, 2, 3 and the second ones last 10 s."""
    tasks, edges = [], []
    for name, seconds in (("a", 1), ("b", 2), ("c", 3)):
        tasks += [{"task_id": name, "operator": "python", "duration_s": seconds},
                  {"task_id": f"{name}2", "operator": "python", "duration_s": 10}]  # fmt: skip
        edges.append([name, f"{name}2"])
    return {"format": "dagsim/1", "dag_id": "pairs", "tasks": tasks, "edges": edges}


def overdue(run: Run, wall_s: float) -> None:
    """As if the run's next instant had been due ``wall_s`` seconds ago."""
    Run.objects.filter(pk=run.pk).update(wake_at=timezone.now() - timedelta(seconds=wall_s))


def test_a_late_step_catches_up_with_the_wall_clock_but_not_past_a_try_it_started(owner):
    run = start_live(owner, three_pairs(), {}, speed=1.0)
    runs.advance_live_run(run.pk)  # a, b, c start at 0
    overdue(run, 30.0)  # the wake-up for a's end (1 s) comes 30 s late
    step = runs.advance_live_run(run.pk, 1.0, for_try=("a", 1), catch_up=True)
    # The wall clock says 31 s: a, b and c end at 1, 2 and 3, but a2 (started at 1, ending
    # at 11) has a wake-up of its own, so the step stops before 11.
    assert [(e["sim_time"], e["task_id"]) for e in step.transitions if e["to_state"] == "success"] \
        == [(1.0, "a"), (2.0, "b"), (3.0, "c")]  # fmt: skip
    assert sorted(t[0] for t in step.started) == ["a2", "b2", "c2"]
    assert states(run) == {"a": "success", "b": "success", "c": "success",
                           "a2": "running", "b2": "running", "c2": "running"}  # fmt: skip
    assert 3.0 <= step.played_to < 11.0 and step.next_due == 11.0
    # b's and c's own wake-ups now find nothing to do.
    assert runs.advance_live_run(run.pk, 2.0, for_try=("b", 1), catch_up=True) is None


def test_a_step_on_time_or_not_catching_up_plays_only_up_to_its_wakeup(owner):
    run = start_live(owner, three_pairs(), {}, speed=1.0)
    runs.advance_live_run(run.pk)
    overdue(run, 30.0)
    step = runs.advance_live_run(run.pk, 1.0)  # catch_up off: as the hand-driven tests do
    assert [e["task_id"] for e in step.transitions if e["to_state"] == "success"] == ["a"]
    overdue(run, 0.0)
    step = runs.advance_live_run(run.pk, 2.0, catch_up=True)  # on time: nothing more is due
    assert [e["task_id"] for e in step.transitions if e["to_state"] == "success"] == ["b"]


def test_a_zero_second_try_never_looks_played_before_it_is(owner):
    run = start_live(owner, chain(2, duration_s=0), {}, speed=1.0)
    step = runs.advance_live_run(run.pk)  # t0 starts at 0 and ends at 0
    assert step.started == [("t0", 1, 0.0, 0.0)]
    assert step.played_to < 0.0  # its wake-up must still play it
    step = runs.advance_live_run(run.pk, 0.0, for_try=("t0", 1), catch_up=True)
    # Everything ending at or before the wake-up's time is played, t1 (0 s too) included.
    assert [e["task_id"] for e in step.transitions if e["to_state"] == "success"] == ["t0", "t1"]
    assert step.final_state == "success"


def test_a_row_changed_behind_the_steps_back_fails_the_step_and_writes_nothing(
    owner, django_capture_on_commit_callbacks
):
    run = start_live(owner, chain(2), {})
    with django_capture_on_commit_callbacks(execute=True):
        runs.advance_live_run(run.pk)  # the scheduler is kept, expecting try 1 of t0
    # A write that bypasses runs.py (no event, no seq): the kept scheduler cannot know.
    TaskInstance.objects.filter(run=run, task_id="t0").update(try_number=7)
    before = Run.objects.get(pk=run.pk).last_seq
    with pytest.raises(live.StepConflict):
        runs.advance_live_run(run.pk, 1.0)
    assert Run.objects.get(pk=run.pk).last_seq == before
    assert states(run) == {"t0": "running", "t1": "none"}


def test_cancel_ends_tries_in_flight_and_nothing_runs_after(owner):
    run = start_live(owner, chain(3, duration_s=10), {})
    runs.advance_live_run(run.pk)
    cancelled = runs.cancel_run(Run.objects.get(pk=run.pk))
    assert cancelled.state == "cancelled" and cancelled.wake_at is None
    assert states(run) == {"t0": "failed", "t1": "skipped", "t2": "skipped"}
    t0 = TaskInstance.objects.get(run=run, task_id="t0")
    assert t0.end is not None  # the try in flight ended with the run
    assert runs.advance_live_run(run.pk, 10.0) is None
    assert runs.advance_live_run(run.pk) is None
    assert Run.objects.get(pk=run.pk).last_seq == cancelled.last_seq


def test_a_run_that_can_make_no_progress_ends_failed(owner):
    doc = chain(2, pool="nowhere")  # an undeclared pool never gets a slot (Airflow)
    doc["pools"] = {"elsewhere": 1}
    run = start_live(owner, doc, {})
    step = runs.advance_live_run(run.pk)
    assert step.final_state == "failed"
    run.refresh_from_db()
    assert run.state == "failed" and run.ended_at is not None and run.wake_at is None
    last = RunEvent.objects.filter(run=run).order_by("-seq").first()
    assert (last.task_id, last.to_state) == (None, "failed")


def test_slots_and_pools_give_the_instant_answer(owner):
    doc = {
        "format": "dagsim/1",
        "dag_id": "pools",
        "max_active_tasks": 2,
        "pools": {"db": 1},
        "tasks": [
            {"task_id": f"t{i}", "operator": "python", "duration_s": 1 + i % 3,
             "pool": "db" if i % 2 else "default_pool", "priority_weight": i}
            for i in range(8)
        ] + [{"task_id": "join", "operator": "empty"}],
        "edges": [[f"t{i}", "join"] for i in range(8)],
    }  # fmt: skip
    scenario = {"outcomes": {"t3": {"fail_times": 1}}}
    doc["default_args"] = {"retries": 1, "retry_delay_s": 2}
    run = start_live(owner, doc, scenario)
    drive(run, repeat=True)
    trace = instant(doc, scenario)
    assert states(run) == trace.states
    assert per_instant_and_task(task_events(run)) == per_instant_and_task(
        [(e["time"], e["task_id"], e["try_number"], e["from_state"], e["to_state"], e["reason"])
         for e in trace.events()]
    )  # fmt: skip


def test_the_sweep_claims_an_overdue_run_once_per_grace(owner):
    from datetime import timedelta

    from django.utils import timezone

    run = start_live(owner, chain(2), {})
    Run.objects.filter(pk=run.pk).update(wake_at=timezone.now() - timedelta(seconds=30))
    assert runs.claim_overdue_live_runs(grace_s=10) == [(run.pk, 0)]
    assert runs.claim_overdue_live_runs(grace_s=10) == []  # given another grace
    runs.advance_live_run(run.pk, None, expected_seq=0)
    seq = Run.objects.get(pk=run.pk).last_seq
    assert seq > 0
    assert runs.advance_live_run(run.pk, None, expected_seq=0) is None  # a second requeue
    assert Run.objects.get(pk=run.pk).last_seq == seq


def test_the_sweep_command_requeues_overdue_runs(owner, settings):
    from datetime import timedelta
    from io import StringIO

    from django.core.management import call_command
    from django.utils import timezone

    settings.RUN_EXECUTOR = "inprocess"
    run = start_live(owner, chain(2), {})
    Run.objects.filter(pk=run.pk).update(wake_at=timezone.now() - timedelta(seconds=60))
    out = StringIO()
    call_command("sweep_live_runs", "--grace", "10", stdout=out)
    assert "requeued 1 overdue live run(s)" in out.getvalue()
    assert Run.objects.get(pk=run.pk).wake_at > timezone.now()  # claimed for another grace


def test_a_run_overdue_without_progress_for_the_stall_time_is_ended_failed(owner, settings):
    from datetime import timedelta

    from django.utils import timezone

    from editor.executors import sweep

    settings.RUN_EXECUTOR = "inprocess"
    run = start_live(owner, chain(2), {})
    runs.advance_live_run(run.pk)  # t0 runs; say its worker died and no step ever comes
    late = timezone.now() - timedelta(seconds=60)
    Run.objects.filter(pk=run.pk).update(wake_at=late)
    assert sweep(grace_s=10, stall_s=3600) == 1  # first found overdue: requeued
    assert Run.objects.get(pk=run.pk).state == "running"
    Run.objects.filter(pk=run.pk).update(wake_at=late)
    assert sweep(grace_s=10, stall_s=0) == 0  # still at the same seq: ended, not requeued
    run.refresh_from_db()
    assert run.state == "failed" and run.wake_at is None
    assert states(run) == {"t0": "failed", "t1": "skipped"}
    last = RunEvent.objects.filter(run=run).order_by("-seq").first()
    assert "no progress" in last.reason and last.to_state == "failed"


def test_a_deadlock_is_kept_with_the_run_so_a_restored_step_starts_nothing(owner):
    case = next(c for c in CASES if c["name"] == "timing_always_running_when_branch_skips")
    run = start_live(owner, case["dag"], case["scenario"])
    drive(run)  # restored from the database at every step
    run.refresh_from_db()
    trace = instant(case["dag"], case["scenario"])
    assert trace.run.deadlocked and run.deadlocked
    assert run.state == "failed" == trace.run_state.value


def test_run_groups_are_named_after_the_database_so_deployments_sharing_redis_stay_apart(
    settings,
):
    from editor import stream

    here = settings.DATABASES["default"]
    assert stream.database_key(here) != stream.database_key({**here, "NAME": "elsewhere"})
    assert stream.database_key(here) != stream.database_key({**here, "HOST": "db2"})
    name = stream.group_name(1)
    assert name == f"run-{stream.database_key(here)}-1"
    assert len(name) < 100  # Channels' limit on group names
