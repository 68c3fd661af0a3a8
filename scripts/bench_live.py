"""Live-run benchmark: prints figures, asserts nothing about speed (python scripts/bench_live.py).

It starts its own real stack (tests/live/services.py) with production settings (DEBUG off: with
DEBUG on, Django keeps every SQL query in memory): a PostgreSQL database of its own, Redis
database 13 (broker and channel layer), one daphne web server and one Celery worker with two
processes, and measures

1. bare Celery: no-op tasks per second through the same broker and worker;
2. a 1,000-task live run at full speed (speed 10,000, the API's highest) driven by the Celery
   worker while 50 websocket clients watch: transitions per second, tries (each one a Celery
   task) per second against (1), and the latency from each event's commit to its arrival at
   the clients (p50, p99; and the p50 of the first and of the last of the 50 clients to get
   each event, which shows what the fan-out to 50 sockets costs);
3. the same DAG paced at about 200 transitions per second: the rate reached, latency p50, p99;
4. the streaming path alone: a finished 10,000-task run's events, committed to the log and
   pushed through the Redis channel layer to 50 clients: transitions per second per client.

Every client must receive every event, in seq order; the script checks that and fails loudly
otherwise. Latency runs from the commit of the event's transaction (the worker logs when each
broadcast's transaction committed: LOG_LEVELS=editor.stream=DEBUG) to the moment the client
holds the frame; the same figure from the event's wall_time, stamped inside the transaction
before its rows are written, is printed beside it. The 50 clients run in five
processes of ten; they read each frame's seqs with a regular expression and decode frames only
after the run (part 4: never), so that what is measured is the server.
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import json
import multiprocessing
import os
import random
import re
import secrets
import statistics
import sys
import time
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import websockets  # noqa: E402

from tests.live import client  # noqa: E402
from tests.live.services import Stack, Unavailable  # noqa: E402

REDIS_DB = 13
CLIENTS = 50
CHAINS = 50
SEQ = re.compile(r'"seq":(\d+)')


_dag_numbers = itertools.count(1)


def chains_dag(tasks: int, gate_s: float, seed: int = 7) -> dict:
    """A gate task, then ``tasks - 1`` tasks in 50 parallel chains; durations from 1 to 3 s.

    The gate lasts ``gate_s`` simulated seconds while the clients connect; what happens before
    it ends is not measured. Random durations (to the millisecond: whole seconds would line the
    chains up again) keep the chains out of step, so tries end at many different instants,
    as a steady stream of small steps, not in a few big batches.
    """
    rng = random.Random(seed)
    nodes = [{"task_id": "gate", "operator": "empty", "duration_s": gate_s}]
    edges = []
    last = ["gate"] * CHAINS
    for n in range(tasks - 1):
        chain = n % CHAINS
        task_id = f"c{chain:02}_{n // CHAINS:04}"
        nodes.append({"task_id": task_id, "operator": "python",
                      "duration_s": round(rng.uniform(1, 3), 3)})  # fmt: skip
        edges.append([last[chain], task_id])
        last[chain] = task_id
    return {"format": "dagsim/1", "dag_id": f"bench_{tasks}_{gate_s:g}_{next(_dag_numbers)}",
            "tasks": nodes, "edges": edges}  # fmt: skip


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def epoch(wall_time: str) -> float:
    return datetime.fromisoformat(wall_time.replace("Z", "+00:00")).timestamp()


COMMITTED = re.compile(r"run (\d+): events (\d+)-(\d+) committed at ([\d.]+)")


def commit_times(log_path: Path, run_id: int) -> dict[int, float]:
    """seq -> when its transaction committed, from the worker's editor.stream debug log."""
    times = {}
    for match in COMMITTED.finditer(log_path.read_text()):
        if int(match[1]) == run_id:
            for seq in range(int(match[2]), int(match[3]) + 1):
                times[seq] = float(match[4])
    return times


class Watcher:
    """One websocket client: the snapshot, then every frame, checked for seq order."""

    def __init__(self, light: bool) -> None:
        self.light = light  # read seqs only (part 4)
        self.last_seq = 0
        self.count = 0
        self.in_order = True
        self.latencies: list[tuple[int, float, float]] = []  # (seq, arrival, wall_time)
        self.last_at = 0.0
        self.finished = False

    async def follow(self, socket, until_seq: int | None) -> None:
        # Frames are stamped on arrival and decoded (decode()) once every socket of this
        # process is done: decoding one socket's frames would otherwise be counted in the
        # latency of the other sockets read by this process.
        self.arrived: list[tuple[float, str]] = []
        arrived = self.arrived
        async for message in socket:
            now = time.time()
            if message.startswith('{"type":"snapshot"'):
                self.last_seq = json.loads(message)["last_seq"]
                continue
            seqs = [int(s) for s in SEQ.findall(message)]
            if not self.light:
                arrived.append((now, message))
                # Only a frame with a change of the run's own state can end it.
                if '"task_id":null' in message:
                    self.finished = any(
                        e["task_id"] is None and e["to_state"] in client.FINISHED_RUN
                        for e in json.loads(message)["events"]
                    )
            for seq in seqs:
                self.in_order &= seq == self.last_seq + 1
                self.last_seq = seq
            self.count += len(seqs)
            self.last_at = now
            if self.finished or (until_seq is not None and self.last_seq >= until_seq):
                break

    def decode(self) -> None:
        for now, message in self.arrived:
            for e in json.loads(message)["events"]:
                self.latencies.append((e["seq"], now, epoch(e["wall_time"])))
        self.arrived = []


async def _watch(url: str, headers: dict, origin: str, n: int, light: bool,
                 until_seq: int | None, ready) -> list[Watcher]:  # fmt: skip
    watchers = [Watcher(light) for _ in range(n)]
    sockets = [
        await websockets.connect(url, additional_headers=headers, origin=origin, max_size=None,
                                 open_timeout=60).__aenter__()
        for _ in watchers
    ]  # fmt: skip
    ready()
    try:
        await asyncio.gather(
            *[w.follow(s, until_seq) for w, s in zip(watchers, sockets, strict=True)]
        )
    finally:
        for socket in sockets:
            await socket.close()
    for w in watchers:
        w.decode()
    return watchers


def _client_process(args: tuple, pipe) -> None:
    """A process of watchers: connects, says so, follows, sends back what each one saw."""
    watchers = asyncio.run(_watch(*args, ready=lambda: pipe.send("ready")))
    pipe.send([(w.in_order, w.last_seq, w.count, w.latencies, w.last_at) for w in watchers])


class Clients:
    """CLIENTS websocket clients spread over a few processes, so that reading 50 streams in
    one Python process is not what the latency and throughput figures measure."""

    def __init__(self, stack, server, run_id: int, light=False, until_seq=None, procs=5):
        ctx = multiprocessing.get_context("spawn")
        headers = {"Authorization": f"Token {stack.tokens['owner']}"}
        url = client.ws_url(server, run_id)
        self.pipes, self.processes = [], []
        for k in range(procs):
            n = CLIENTS // procs + (1 if k < CLIENTS % procs else 0)
            here, there = ctx.Pipe()
            args = (url, headers, server.origin, n, light, until_seq)
            process = ctx.Process(target=_client_process, args=(args, there), daemon=True)
            process.start()
            self.pipes.append(here)
            self.processes.append(process)

    def wait_connected(self) -> None:
        for pipe in self.pipes:
            if not pipe.poll(120) or pipe.recv() != "ready":
                sys.exit("FAILED: the websocket clients did not connect")

    def results(self) -> list[Watcher]:
        watchers = []
        for pipe, process in zip(self.pipes, self.processes, strict=True):
            if not pipe.poll(600):
                sys.exit("FAILED: a client process never finished")
            for in_order, last_seq, count, latencies, last_at in pipe.recv():
                w = Watcher(light=False)
                w.in_order, w.last_seq, w.count = in_order, last_seq, count
                w.latencies, w.last_at = latencies, last_at
                watchers.append(w)
            process.join(10)
        return watchers


def check(watchers: list[Watcher], last_seq: int) -> None:
    for w in watchers:
        if not (w.in_order and w.last_seq == last_seq):
            sys.exit(
                f"FAILED: a client ended at seq {w.last_seq} of {last_seq}, or out of order"
                f" (in order: {w.in_order}, {w.count} events)"
            )


# ----------------------------------------------------------------- 1. bare Celery


def bare_celery(stack, tasks: int) -> float:
    import redis
    from celery import Celery

    app = Celery(broker=stack.redis_url)
    key = f"bench-noop-{time.time()}"
    counter = redis.Redis.from_url(stack.redis_url)
    start = time.perf_counter()
    for _ in range(tasks):
        app.send_task("editor.noop", args=(key,))
    while int(counter.get(key) or 0) < tasks:
        time.sleep(0.005)
    return tasks / (time.perf_counter() - start)


# ----------------------------------------------------------------- 2 and 3. a live run


def live_run(stack, server, worker, tasks: int, speed: float, watched: bool = True) -> dict:
    api = stack.api(server)
    gate_s = 8 if watched else 0.5  # wall seconds for the clients to connect
    dag_pk = client.create_dag(api, chains_dag(tasks, gate_s=gate_s * speed))
    run_id = client.start_live(api, dag_pk, {}, speed)
    if watched:
        clients = Clients(stack, server, run_id)
        clients.wait_connected()
        watchers = clients.results()
    else:
        client.wait_finished(api, [run_id], timeout=600)
        watchers = []
    events = client.logged_events(api, run_id)
    check(watchers, len(events))
    gate = next(e for e in events if e["task_id"] == "gate" and e["to_state"] == "success")
    measured = [e for e in events if e["seq"] > gate["seq"]]
    wall = epoch(measured[-1]["wall_time"]) - epoch(gate["wall_time"])
    tries = sum(1 for e in measured if e["to_state"] == "running")
    committed = commit_times(worker.log_path, run_id)
    if watchers and not committed:
        sys.exit("FAILED: the worker logged no commit times (LOG_LEVELS=editor.stream=DEBUG)")
    since_commit: dict[int, list[float]] = {}  # seq -> each client's latency from the commit
    since_stamp: list[float] = []
    for w in watchers:
        for seq, arrival, wall_time in w.latencies:
            if seq > gate["seq"]:
                since_commit.setdefault(seq, []).append(arrival - committed[seq])
                since_stamp.append(arrival - wall_time)
    latencies = [lat for per_client in since_commit.values() for lat in per_client] or [0.0]
    return {
        "transitions_per_s": len(measured) / wall,
        "tries_per_s": tries / wall,
        "wall_s": wall,
        "p50_ms": 1000 * percentile(latencies, 50),
        "p99_ms": 1000 * percentile(latencies, 99),
        "first_ms": 1000 * percentile([min(v) for v in since_commit.values()] or [0.0], 50),
        "last_ms": 1000 * percentile([max(v) for v in since_commit.values()] or [0.0], 50),
        "stamped_p50_ms": 1000 * percentile(since_stamp or [0.0], 50),
        "stamped_p99_ms": 1000 * percentile(since_stamp or [0.0], 99),
        "deliveries": len(since_stamp),
    }


def latency_report(run: dict) -> str:
    return (
        f"commit->client p50 {run['p50_ms']:.1f} ms, p99 {run['p99_ms']:.1f} ms (p50 of the first"
        f" client {run['first_ms']:.1f} ms, of the last {run['last_ms']:.1f} ms; from the events'"
        f" wall_time p50 {run['stamped_p50_ms']:.1f} ms, p99 {run['stamped_p99_ms']:.1f} ms;"
        f" {run['deliveries']} deliveries in {run['wall_s']:.1f} s)"
    )


# ----------------------------------------------------------------- 4. streaming alone


def streaming_alone(stack, server, tasks: int) -> dict:
    """Commit a finished run's events to a watched run's log and time their delivery."""
    api = stack.api(server)
    ids = [f"t{i:05}" for i in range(tasks)]
    document = {
        "format": "dagsim/1",
        "dag_id": f"stream_{tasks}",
        "tasks": [{"task_id": t, "operator": "python", "duration_s": 1 + i % 7}
                  for i, t in enumerate(ids)],
        "edges": [[ids[i], ids[i + 1]] for i in range(0, tasks - 1, 2)],
    }  # fmt: skip
    dag_pk = client.create_dag(api, document)
    finished = api.post(
        f"{api.base}/api/dags/{dag_pk}/runs/", json={"mode": "instant"}, timeout=600
    ).json()

    os.environ.update({**stack.env, "LOG_LEVELS": ""})  # no commit-time lines here
    import django

    django.setup()
    from django.db import transaction

    from editor import runs
    from editor.models import Run, RunEvent

    source = Run.objects.get(pk=finished["id"])
    events = [
        {"task_id": e.task_id, "try_number": e.try_number, "from_state": e.from_state,
         "to_state": e.to_state, "reason": e.reason, "sim_time": e.sim_time}
        for e in RunEvent.objects.filter(run=source).order_by("seq")
    ]  # fmt: skip
    # A live run that has not played yet: the clients' snapshots say last_seq 0.
    target = Run.objects.create(
        dag_id=dag_pk, document=source.document, mode="live", state="running", speed=10000.0
    )

    def publish() -> None:
        # As a step writes them: the events and the run's counter in one transaction, the
        # broadcast to the run's group after commit.
        with transaction.atomic():
            runs._append_events(target, events)

    clients = Clients(stack, server, target.pk, light=True, until_seq=len(events))
    clients.wait_connected()
    time.sleep(1.0)  # every snapshot has gone out
    start = time.time()
    publish()
    committed = time.time()
    watchers = clients.results()
    check(watchers, len(events))
    rates = [len(events) / (w.last_at - start) for w in watchers]
    return {
        "events": len(events),
        "write_s": committed - start,
        "slowest": min(rates),
        "median": statistics.median(rates),
        "together": len(events) * len(watchers) / (max(w.last_at for w in watchers) - start),
    }


# ----------------------------------------------------------------- the report


def live_part(stack, server, worker, args) -> None:
    noop = bare_celery(stack, args.noop)
    print(f"bare Celery no-op tasks: {noop:.0f} tasks/s ({args.noop} tasks)")
    full = live_run(stack, server, worker, args.tasks, speed=10000.0)
    print(
        f"{args.tasks}-task live run at full speed, {CLIENTS} clients: "
        f"{full['transitions_per_s']:.0f} transitions/s; {full['tries_per_s']:.0f} tries "
        f"(Celery tasks)/s = {full['tries_per_s'] / noop:.2f}x bare Celery; " + latency_report(full)
    )
    alone = live_run(stack, server, worker, args.tasks, speed=10000.0, watched=False)
    print(
        f"{args.tasks}-task live run at full speed, nobody watching: "
        f"{alone['transitions_per_s']:.0f} transitions/s; {alone['tries_per_s']:.0f} tries "
        f"(Celery tasks)/s = {alone['tries_per_s'] / noop:.2f}x bare Celery"
    )
    # 50 chains x 3 transitions per 2 simulated seconds: 75 transitions per simulated second.
    for _ in range(args.paced_runs):
        paced = live_run(stack, server, worker, args.tasks, speed=args.paced / 75)
        print(
            f"{args.tasks}-task live run paced, {CLIENTS} clients: "
            f"{paced['transitions_per_s']:.0f} transitions/s; " + latency_report(paced)
        )


def stream_part(stack, server, args) -> None:
    streamed = streaming_alone(stack, server, args.stream_tasks)
    print(
        f"streaming alone, a finished {args.stream_tasks}-task run ({streamed['events']} "
        f"events) through the Redis layer to {CLIENTS} clients: slowest client "
        f"{streamed['slowest']:.0f} transitions/s, median {streamed['median']:.0f}/s, "
        f"all clients together {streamed['together']:.0f}/s (writing the log and committing"
        f" took {streamed['write_s']:.2f} s of it)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--tasks", type=int, default=1000, help="tasks in the live run")
    # A paced run loses a little time at every step (its next try starts when the step that
    # started it is done), so asking for 220 transitions/s gives about 200.
    parser.add_argument("--paced", type=float, default=220.0, help="transitions/s to ask for")
    parser.add_argument("--paced-runs", type=int, default=1, help="paced runs to measure")
    parser.add_argument("--stream-tasks", type=int, default=10000)
    parser.add_argument("--noop", type=int, default=2000, help="bare Celery no-op tasks")
    parser.add_argument("--only", choices=["live", "stream"], help="run one part only")
    args = parser.parse_args()
    workdir = Path(os.environ.get("TMPDIR", "/tmp")) / f"dagsim-bench-{os.getpid()}"
    workdir.mkdir(parents=True, exist_ok=True)
    production = {
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SECURE_SSL_REDIRECT": "0",  # plain HTTP on the loopback
        "LOG_LEVELS": "editor.stream=DEBUG",  # commit times, for the latency figures
    }
    stack = Stack(workdir, "celery", REDIS_DB, LIVE_SWEEP_GRACE_S="10", **production)
    try:
        stack.__enter__()
    except Unavailable as exc:
        sys.exit(f"bench_live needs PostgreSQL and Redis: {exc}")
    try:
        server = stack.web()
        worker = stack.worker(concurrency=2)
        print(
            f"live runs: daphne, 1 Celery worker (2 processes), Redis broker and channel layer,"
            f" PostgreSQL; {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f}"
        )
        if args.only != "stream":
            live_part(stack, server, worker, args)
        if args.only != "live":
            stream_part(stack, server, args)
        print("every client received every event, in seq order")
    finally:
        stack.close()


if __name__ == "__main__":
    main()
