"""What a user's scripts and browser do with a live run: the REST API and the websocket."""

from __future__ import annotations

import asyncio
import json
import time

import websockets

from .services import Stack, WebServer

FINISHED_RUN = {"success", "failed", "cancelled"}


def create_dag(api, document: dict) -> int:
    response = api.post(f"{api.base}/api/dags/", json={"document": document}, timeout=30)
    assert response.status_code == 201, response.text
    return response.json()["id"]


def start_live(api, dag_pk: int, scenario: dict, speed: float) -> int:
    response = api.post(
        f"{api.base}/api/dags/{dag_pk}/runs/",
        json={"scenario": scenario, "mode": "live", "speed": speed},
        timeout=30,
    )
    assert response.status_code == 202, response.text
    return response.json()["id"]


def run_state(api, run_id: int) -> dict:
    return api.get(f"{api.base}/api/runs/{run_id}/", timeout=30).json()


def wait_finished(api, run_ids: list[int], timeout: float) -> dict[int, str]:
    """Poll the run list until every run has finished; returns each run's final state."""
    wanted = set(run_ids)
    deadline = time.monotonic() + timeout
    while True:
        states = {}
        url = f"{api.base}/api/runs/?page_size=500"
        while url:
            page = api.get(url, timeout=30).json()
            states.update({r["id"]: r["state"] for r in page["results"] if r["id"] in wanted})
            url = page["next"]
        if all(states.get(r) in FINISHED_RUN for r in wanted):
            return states
        if time.monotonic() > deadline:
            late = {r: states.get(r) for r in wanted if states.get(r) not in FINISHED_RUN}
            raise AssertionError(f"runs still unfinished after {timeout} s: {late}")
        time.sleep(0.25)


def task_states(api, run_id: int) -> dict[str, str]:
    rows = api.get(f"{api.base}/api/runs/{run_id}/task-instances/", timeout=30).json()
    return {row["task_id"]: row["state"] for row in rows}


def logged_events(api, run_id: int) -> list[dict]:
    events, url = [], f"{api.base}/api/runs/{run_id}/events/?page_size=500"
    while url:
        page = api.get(url, timeout=30).json()
        events += page["results"]
        url = page["next"]
    return events


# ----------------------------------------------------------------- the websocket


def ws_url(server: WebServer, run_id: int, after: int | None = None) -> str:
    query = f"?after={after}" if after is not None else ""
    return f"{server.ws_base}/ws/runs/{run_id}/{query}"


def connect(stack: Stack, server: WebServer, run_id: int, after=None, user="owner", origin=None):
    return websockets.connect(
        ws_url(server, run_id, after),
        additional_headers={"Authorization": f"Token {stack.tokens[user]}"},
        origin=origin or server.origin,
        max_size=None,
        open_timeout=30,
    )


class Watcher:
    """Follows one run: the snapshot (if any), then every event, until the run finishes."""

    def __init__(self) -> None:
        self.snapshot: dict | None = None
        self.events: list[dict] = []
        self.frames = 0

    @property
    def last_seq(self) -> int:
        if self.events:
            return self.events[-1]["seq"]
        return self.snapshot["last_seq"] if self.snapshot else 0

    @property
    def finished(self) -> bool:
        if self.snapshot and self.snapshot["run"]["state"] in FINISHED_RUN:
            return True
        return any(e["task_id"] is None and e["to_state"] in FINISHED_RUN for e in self.events)

    async def follow(self, socket, until_finished: bool = True, max_events: int | None = None):
        async for message in socket:
            frame = json.loads(message)
            self.frames += 1
            if frame["type"] == "snapshot":
                self.snapshot = frame
            else:
                assert frame["type"] == "events"
                self.events += frame["events"]
            if until_finished and self.finished:
                return
            if max_events is not None and len(self.events) >= max_events:
                return


async def watch(stack, server, run_id, after=None, timeout: float = 120) -> Watcher:
    watcher = Watcher()
    async with connect(stack, server, run_id, after) as socket:
        await asyncio.wait_for(watcher.follow(socket), timeout)
    return watcher
