"""Watching a live run over the websocket: who may, what arrives, in what order, after a drop."""

import asyncio
import json
from pathlib import Path

import websockets

from . import client

UMBRELLA = json.loads(
    (Path(__file__).resolve().parents[2] / "editor" / "examples" / "umbrella.json").read_text()
)
EVENT_FIELDS = {
    "run": int,
    "seq": int,
    "task_id": (str, type(None)),
    "try_number": (int, type(None)),
    "from_state": str,
    "to_state": str,
    "reason": str,
    "sim_time": float,
    "wall_time": str,
}


def umbrella_run(stack, scenario="weather API flaky, recovers on retry", speed=100.0) -> int:
    api = stack.api(stack.server)
    dag_pk = getattr(stack, "umbrella_pk", None)
    if dag_pk is None:
        dag_pk = stack.umbrella_pk = client.create_dag(api, UMBRELLA["document"])
    return client.start_live(api, dag_pk, UMBRELLA["scenarios"][scenario], speed)


def assert_seq_order(events: list[dict], after: int) -> None:
    assert [e["seq"] for e in events] == list(range(after + 1, after + 1 + len(events)))


def test_the_owner_gets_a_snapshot_then_every_event_in_order(inprocess_stack):
    stack = inprocess_stack
    run_id = umbrella_run(stack)
    watcher = asyncio.run(client.watch(stack, stack.server, run_id))
    api = stack.api(stack.server)
    logged = client.logged_events(api, run_id)
    snapshot = watcher.snapshot
    assert snapshot["type"] == "snapshot" and snapshot["run"]["id"] == run_id
    assert {ti["task_id"] for ti in snapshot["task_instances"]} == {
        t["task_id"] for t in UMBRELLA["document"]["tasks"]
    }
    assert_seq_order(watcher.events, snapshot["last_seq"])
    assert watcher.events == logged[snapshot["last_seq"] :]
    # Snapshot plus events give the run's final states.
    states = {ti["task_id"]: ti["state"] for ti in snapshot["task_instances"]}
    for event in watcher.events:
        if event["task_id"] is not None:
            assert states[event["task_id"]] == event["from_state"]
            states[event["task_id"]] = event["to_state"]
    assert states == client.task_states(api, run_id)
    # Once it has ended, the run has the trace an instant run has (timeline, reasons).
    result = client.run_state(api, run_id)["result"]
    assert result is not None and result["states"] == states


def test_events_are_small_and_typed(inprocess_stack):
    run_id = umbrella_run(inprocess_stack, speed=1000)
    watcher = asyncio.run(client.watch(inprocess_stack, inprocess_stack.server, run_id))
    for event in watcher.events:
        assert set(event) == set(EVENT_FIELDS)
        for name, kind in EVENT_FIELDS.items():
            assert isinstance(event[name], kind), (name, event)
        assert event["run"] == run_id and len(json.dumps(event)) < 600


def refused(stack, run_id, **kwargs) -> int:
    async def attempt():
        try:
            async with client.connect(stack, stack.server, run_id, **kwargs):
                return 101
        except websockets.InvalidStatus as exc:
            return exc.response.status_code

    return asyncio.run(attempt())


def test_a_stranger_is_refused(inprocess_stack):
    run_id = umbrella_run(inprocess_stack, speed=1000)
    assert refused(inprocess_stack, run_id, user="stranger") == 403


def test_an_anonymous_visitor_is_refused(inprocess_stack):
    run_id = umbrella_run(inprocess_stack, speed=1000)

    async def attempt():
        try:
            async with websockets.connect(
                client.ws_url(inprocess_stack.server, run_id),
                origin=inprocess_stack.server.origin,
            ):
                return 101
        except websockets.InvalidStatus as exc:
            return exc.response.status_code

    assert asyncio.run(attempt()) == 403


def test_another_sites_origin_is_refused(inprocess_stack):
    run_id = umbrella_run(inprocess_stack, speed=1000)
    assert refused(inprocess_stack, run_id, origin="http://evil.example") == 403


def test_a_malformed_after_is_refused(inprocess_stack):
    run_id = umbrella_run(inprocess_stack, speed=1000)
    assert refused(inprocess_stack, run_id, after="-1") == 403


def test_a_client_reconnecting_with_its_last_seq_gets_exactly_what_it_missed(inprocess_stack):
    stack = inprocess_stack
    run_id = umbrella_run(stack, speed=60)

    async def drop_and_resume():
        first = client.Watcher()
        async with client.connect(stack, stack.server, run_id) as socket:
            await asyncio.wait_for(first.follow(socket, max_events=3), 60)
        await asyncio.sleep(1.0)  # the run goes on meanwhile
        second = client.Watcher()
        async with client.connect(stack, stack.server, run_id, after=first.last_seq) as socket:
            await asyncio.wait_for(second.follow(socket), 120)
        return first, second

    first, second = asyncio.run(drop_and_resume())
    assert second.snapshot is None  # a resume replays events instead of a snapshot
    logged = client.logged_events(stack.api(stack.server), run_id)
    start = first.snapshot["last_seq"]
    assert first.events + second.events == logged[start:]


def test_many_watchers_each_get_every_event_in_order(celery_stack):
    stack = celery_stack
    run_id = umbrella_run(stack, scenario="new ERP system", speed=100)

    async def many():
        return await asyncio.gather(
            *[client.watch(stack, stack.server, run_id, after=0) for _ in range(20)]
        )

    watchers = asyncio.run(many())
    logged = client.logged_events(stack.api(stack.server), run_id)
    for watcher in watchers:
        assert watcher.events == logged


def test_frames_carry_at_most_a_hundred_events_and_coalesce_under_load(inprocess_stack):
    stack = inprocess_stack
    api = stack.api(stack.server)
    wide = {
        "format": "dagsim/1",
        "dag_id": "wide",
        "tasks": [{"task_id": f"t{i:03}", "operator": "python"} for i in range(300)],
        "edges": [],
    }
    dag_pk = client.create_dag(api, wide)

    async def watch_wide():
        frames = []
        run_id = client.start_live(api, dag_pk, {}, 1.0)
        async with client.connect(stack, stack.server, run_id, after=0) as socket:
            async for message in socket:
                frame = json.loads(message)
                frames.append(frame["events"])
                ends = [e for e in frame["events"] if e["task_id"] is None]
                if any(e["to_state"] == "success" for e in ends):
                    return run_id, frames

    run_id, frames = asyncio.run(asyncio.wait_for(watch_wide(), 120))
    events = [e for frame in frames for e in frame]
    assert_seq_order(events, 0)
    assert all(len(frame) <= 100 for frame in frames)
    # 300 tasks: run started, 300 scheduled + 300 running at 0 s, 300 successes at 1 s, run
    # finished: 902 events, in 10 frames when the two instants' batches fill them.
    assert len(events) == 902
    assert len(frames) <= 12


def test_cancelling_a_live_run_ends_it_and_nothing_runs_after(celery_stack):
    stack = celery_stack
    api = stack.api(stack.server)
    run_id = umbrella_run(stack, speed=5)
    assert asyncio.run(_wait_for_running(stack, run_id))
    response = api.post(f"{api.base}/api/runs/{run_id}/cancel/", timeout=30)
    assert response.status_code == 200 and response.json()["state"] == "cancelled"
    after_cancel = client.logged_events(api, run_id)
    asyncio.run(asyncio.sleep(3))  # any try that was in flight has ended by now
    assert client.logged_events(api, run_id) == after_cancel
    states = set(client.task_states(api, run_id).values())
    assert states <= {"success", "failed", "skipped", "upstream_failed"}
    assert after_cancel[-1]["to_state"] == "cancelled"


async def _wait_for_running(stack, run_id) -> bool:
    watcher = client.Watcher()
    async with client.connect(stack, stack.server, run_id, after=0) as socket:
        async for message in socket:
            watcher.events += json.loads(message)["events"]
            if any(e["to_state"] == "running" and e["task_id"] for e in watcher.events):
                return True
    return False


def test_a_watcher_stays_connected_through_a_quiet_spell(inprocess_stack):
    # Nothing happens for 7 s, longer than the channel layer's 5 s blocking read.
    stack = inprocess_stack
    api = stack.api(stack.server)
    quiet = {
        "format": "dagsim/1",
        "dag_id": "quiet",
        "tasks": [{"task_id": "slow", "operator": "python", "duration_s": 7}],
        "edges": [],
    }
    run_id = client.start_live(api, client.create_dag(api, quiet), {}, 1.0)
    watcher = asyncio.run(client.watch(stack, stack.server, run_id, after=0, timeout=60))
    assert watcher.events == client.logged_events(api, run_id)
    assert watcher.events[-1]["to_state"] == "success"


def test_frames_match_the_components_documented_in_the_openapi_schema(inprocess_stack):
    import jsonschema
    import yaml

    stack = inprocess_stack
    api = stack.api(stack.server)
    schema = yaml.safe_load(api.get(f"{api.base}/api/schema/", timeout=60).text)
    components = _as_json_schema(schema["components"]["schemas"])

    def validator(name):
        return jsonschema.Draft7Validator(
            {**components[name], "definitions": components},
        )

    run_id = umbrella_run(stack, speed=1000)
    watcher = asyncio.run(client.watch(stack, stack.server, run_id))
    validator("LiveSnapshotFrame").validate(watcher.snapshot)
    validator("LiveEventsFrame").validate({"type": "events", "events": watcher.events[:100]})


def _as_json_schema(node):
    """OpenAPI 3.0's dialect to JSON Schema: `nullable` becomes a null type, refs local."""
    if isinstance(node, list):
        return [_as_json_schema(n) for n in node]
    if not isinstance(node, dict):
        return node
    out = {k: _as_json_schema(v) for k, v in node.items() if k not in ("nullable", "readOnly")}
    if "$ref" in out:
        out["$ref"] = out["$ref"].replace("#/components/schemas/", "#/definitions/")
    if node.get("nullable") and "type" in out:
        out["type"] = [out["type"], "null"]
    if node.get("nullable") and "allOf" in out:
        out = {"anyOf": [out, {"type": "null"}]}
    if "enum" in out and node.get("nullable"):
        out["enum"] = [*out["enum"], None]
    return out


def test_events_published_from_a_thread_reach_the_pubsub_layers_group_members():
    """editor/stream.py publishes group messages itself (no event loop in the committing
    thread); the channels_redis pub/sub layer's own subscribers must receive them."""
    import pytest
    from channels_redis.pubsub import RedisPubSubChannelLayer

    from editor import stream

    from .services import REDIS, Unavailable, check_services

    try:
        check_services()
    except Unavailable as exc:
        pytest.skip(str(exc))
    host = {"address": f"{REDIS}/14"}
    layer = RedisPubSubChannelLayer(hosts=[host])
    publisher = stream._PubSubPublisher(layer, host, "asgi")
    message = {"type": "run.events", "run": 7, "first": 1, "items": ['{"seq":1}']}

    async def round_trip():
        channel = await layer.new_channel("run-feed.")
        await layer.group_add("run-test-7", channel)
        await asyncio.sleep(0.2)  # the subscription is in place
        await asyncio.to_thread(publisher.publish, "run-test-7", [message])
        try:
            return await asyncio.wait_for(layer.receive(channel), 5)
        finally:
            await layer.flush()

    assert asyncio.run(round_trip()) == message
