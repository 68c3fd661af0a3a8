"""Faults: workers killed mid-run again and again, web servers restarted, messages lost.

Whatever happens, every run ends in its correct states, every transition is applied once, the
event log's seqs run 1..N with no gap or repeat, and a client that drops and resumes ends with
the same events as one that never dropped.
"""

import asyncio
import os
import random
import signal
import threading
import time

import engine

from . import client
from .cases import CASES, as_own_dag, final_states, instant_states

# Conformance cases that keep a run busy for a while, with retries, skips and failures.
BUSY = [
    "random_0003",
    "random_0005",
    "random_0008",
    "random_0011",
    "textbook_umbrella_fetch_weather_flaky_recovers",
]
WALL_S = 14.0  # how long each run should take at its speed


def busy_cases() -> list[dict]:
    by_name = {c["name"]: c for c in CASES}
    chosen = [by_name[n] for n in BUSY if n in by_name]
    return [c for c in chosen if not c.get("timing_sensitive")]


def makespan(case: dict) -> float:
    dag = engine.load_dag(case["dag"])
    return engine.simulate(dag, engine.load_scenario(dag, case["scenario"])).makespan_s


def instant_events(case: dict) -> list[tuple]:
    dag = engine.load_dag(case["dag"])
    trace = engine.simulate(dag, engine.load_scenario(dag, case["scenario"]))
    return per_task([(e["time"], e["task_id"], e["try_number"], e["from_state"], e["to_state"])
                     for e in trace.events()])  # fmt: skip


def per_task(events: list[tuple]) -> list[tuple]:
    return sorted(events, key=lambda e: (e[0], e[1]))  # a task's own order is kept (stable)


def start_busy_runs(stack, suffix: str) -> dict[int, dict]:
    api = stack.api(stack.server)
    started = {}
    for case in busy_cases():
        dag_pk = client.create_dag(api, {**as_own_dag(case), "dag_id": f"{case['name']}_{suffix}"})
        speed = max(makespan(case) / WALL_S, 0.01)
        started[client.start_live(api, dag_pk, case["scenario"], speed)] = case
    return started


def start_one_run(stack, dag_id: str, wall_s: float) -> tuple[dict, int]:
    """A live run of one busy conformance case, paced to take about ``wall_s`` seconds."""
    case = next(c for c in CASES if c["name"] == "random_0003")
    api = stack.api(stack.server)
    dag_pk = client.create_dag(api, {**as_own_dag(case), "dag_id": dag_id})
    return case, client.start_live(api, dag_pk, case["scenario"], makespan(case) / wall_s)


def check_runs(stack, started: dict[int, dict]) -> None:
    """Correct final states, each transition once, seqs 1..N, for every run."""
    api = stack.api(stack.server)
    client.wait_finished(api, list(started), timeout=180)
    with stack.psql() as db:
        for run_id, case in started.items():
            assert final_states(client.task_states(api, run_id)) == instant_states(case)
            seqs = [r[0] for r in db.execute(
                "SELECT seq FROM editor_runevent WHERE run_id = %s ORDER BY seq", [run_id]
            )]  # fmt: skip
            (last_seq,) = db.execute(
                "SELECT last_seq FROM editor_run WHERE id = %s", [run_id]
            ).fetchone()
            assert seqs == list(range(1, last_seq + 1))
            logged = client.logged_events(api, run_id)
            tasks = [(e["sim_time"], e["task_id"], e["try_number"], e["from_state"], e["to_state"])
                     for e in logged if e["task_id"] is not None]  # fmt: skip
            assert per_task(tasks) == instant_events(case)  # nothing applied twice or lost


class Watchers:
    """One websocket client per run, following it from a thread for the whole test."""

    def __init__(self, stack, server, run_ids) -> None:
        self.stack, self.server, self.run_ids = stack, server, run_ids
        self.result: dict[int, client.Watcher] = {}
        self.thread = threading.Thread(target=lambda: asyncio.run(self._all()), daemon=True)

    async def _all(self):
        watchers = await asyncio.gather(
            *[client.watch(self.stack, self.server, r, after=0, timeout=240) for r in self.run_ids]
        )
        self.result = dict(zip(self.run_ids, watchers, strict=True))

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.thread.join(timeout=240)


def test_killing_the_worker_again_and_again_loses_and_repeats_nothing(celery_stack):
    stack = celery_stack
    rng = random.Random(4)
    started = start_busy_runs(stack, "kills")
    api = stack.api(stack.server)
    kills = child_kills = 0
    with Watchers(stack, stack.server, list(started)) as watchers:
        while kills < 10:
            time.sleep(rng.uniform(0.4, 1.2))
            unfinished = [
                r for r in started if client.run_state(api, r)["state"] not in client.FINISHED_RUN
            ]
            if not unfinished:  # keep killing mid-run: start more runs
                started.update(start_busy_runs(stack, f"kills{kills}"))
                continue
            if kills % 3 == 2 and stack.celery.children():
                # A pool process dies alone: its task is rejected back to the queue.
                pid = rng.choice(stack.celery.children())
                try:
                    os.kill(pid, signal.SIGKILL)
                    child_kills += 1
                except ProcessLookupError:
                    pass
            # The whole worker (main process, pool, beat) dies with its reserved tasks.
            stack.celery.restart(signal.SIGKILL)
            kills += 1
        check_runs(stack, started)
    assert kills >= 10
    api_logs = {r: client.logged_events(api, r) for r in watchers.run_ids}
    for run_id, watcher in watchers.result.items():
        assert watcher.events == api_logs[run_id]  # the stream went on through every kill
    assert set(watchers.result) == set(watchers.run_ids)


async def follow_through_restart(stack, run_id: int) -> client.Watcher:
    """A client that follows the run for ten events, sees its server killed and restarted, and
    reconnects with its last seq until the run ends."""
    watcher = client.Watcher()
    async with client.connect(stack, stack.server, run_id, after=0) as socket:
        await asyncio.wait_for(watcher.follow(socket, max_events=10), 60)
    await asyncio.to_thread(stack.server.restart, signal.SIGKILL)
    async with client.connect(stack, stack.server, run_id, after=watcher.last_seq) as socket:
        await asyncio.wait_for(watcher.follow(socket), 120)
    return watcher


def test_restarting_a_web_server_mid_run_loses_no_event_for_a_reconnecting_client(celery_stack):
    stack = celery_stack
    other = stack.web()  # a second server that stays up: its client never drops
    api = stack.api(stack.server)
    case, run_id = start_one_run(stack, "restart_web", wall_s=8.0)

    async def both():
        steady = client.watch(stack, other, run_id, after=0, timeout=120)
        return await asyncio.gather(steady, follow_through_restart(stack, run_id))

    steady, dropped = asyncio.run(both())
    logged = client.logged_events(stack.api(stack.server), run_id)
    assert dropped.events == steady.events == logged
    assert final_states(client.task_states(api, run_id)) == instant_states(case)


def test_the_in_process_executor_resumes_runs_after_a_restart(inprocess_stack):
    stack = inprocess_stack
    api = stack.api(stack.server)
    case, run_id = start_one_run(stack, "restart_inprocess", wall_s=8.0)

    # The server dies with the run's timers; after it restarts it must drive it again.
    watcher = asyncio.run(follow_through_restart(stack, run_id))
    api = stack.api(stack.server)
    assert watcher.events == client.logged_events(api, run_id)
    assert final_states(client.task_states(api, run_id)) == instant_states(case)


def test_a_run_whose_messages_were_lost_is_requeued_by_the_sweep(celery_stack):
    import redis

    stack = celery_stack
    stack.celery.kill(signal.SIGKILL)
    case = next(c for c in CASES if c["name"] == "random_0005")
    api = stack.api(stack.server)
    dag_pk = client.create_dag(api, {**as_own_dag(case), "dag_id": "lost_messages"})
    run_id = client.start_live(api, dag_pk, case["scenario"], 1000.0)
    # The broker loses every message (the run's start among them) before a worker sees it.
    broker = redis.Redis.from_url(stack.redis_url)
    broker.delete("celery", "unacked", "unacked_index")
    stack.celery.start()
    client.wait_finished(api, [run_id], timeout=60)
    assert final_states(client.task_states(api, run_id)) == instant_states(case)


def test_events_the_channel_layer_drops_are_refilled_from_the_log(celery_stack):
    """Redis pub/sub delivers at most once: cut the channel layer's connections (the web
    server's subscription and the worker's publishers) again and again during a run, and a
    watcher still gets every event, in order, from the log."""
    import redis

    stack = celery_stack
    api = stack.api(stack.server)
    case, run_id = start_one_run(stack, "dropped_notifications", wall_s=6.0)
    admin = redis.Redis.from_url(stack.redis_url)
    cuts = 0

    def cut_again_and_again() -> None:
        nonlocal cuts
        deadline = time.monotonic() + 4.0
        while time.monotonic() < deadline:
            time.sleep(0.3)
            for c in admin.client_list():
                if c.get("name") == "dagsim-events":
                    cuts += admin.client_kill_filter(_id=c["id"])

    cutter = threading.Thread(target=cut_again_and_again, daemon=True)
    cutter.start()
    watcher = asyncio.run(client.watch(stack, stack.server, run_id, after=0, timeout=60))
    cutter.join()
    assert cuts >= 5  # connections really were cut, while the run was going on
    assert watcher.events == client.logged_events(api, run_id)
    assert final_states(client.task_states(api, run_id)) == instant_states(case)
