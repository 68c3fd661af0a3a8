"""Run events on their way to browsers: the run's channel group, the wire format, broadcasting.

Every process that writes run events (web server, Celery worker) broadcasts them after commit
to the run's group; editor/consumers.py relays them to the websockets watching that run.
The channel layer only carries notifications: a lost one is refilled from the RunEvent log by
seq, so nothing here has to be reliable, only fast and in order.

An event is encoded to JSON once, where it is written; a group message carries up to
``FRAME_EVENTS`` encoded events with consecutive seqs, and a consumer joins them into frames
without decoding them again.
"""

from __future__ import annotations

import asyncio
import functools
import hashlib
import json
import logging
import os
import threading
import time
from typing import Any

from channels.layers import InMemoryChannelLayer, get_channel_layer
from django.conf import settings

log = logging.getLogger(__name__)

# Events per websocket frame (and per group message). One message per event tops out at a few
# hundred per second through the Redis layer; frames of ~100 carry tens of thousands.
FRAME_EVENTS = 100


def group_name(run_id: int) -> str:
    """The channel group of one run: every consumer watching it joins this group.

    Named after the database too: Redis pub/sub channels are shared by every database number
    on the server, so two deployments (or a test suite and a benchmark) on one Redis would
    otherwise hear each other's run 1.
    """
    return f"run-{_this_database()}-{int(run_id)}"


def database_key(database: dict) -> str:
    """A short name for the database a settings.DATABASES entry points at."""
    where = "|".join(str(database.get(k) or "") for k in ("ENGINE", "HOST", "PORT", "NAME"))
    return hashlib.sha256(where.encode()).hexdigest()[:12]


@functools.cache
def _this_database() -> str:
    return database_key(settings.DATABASES["default"])


def encode(event: dict[str, Any]) -> str:
    """One run event (convert.event_to_dict) as the JSON text sent inside frames."""
    return json.dumps(event, separators=(",", ":"), ensure_ascii=False)


def events_frame(items: list[str]) -> str:
    """A websocket frame of already-encoded events: {"type": "events", "events": [...]}."""
    return '{"type":"events","events":[' + ",".join(items) + "]}"


def broadcast(run_id: int, first_seq: int, items: list[str], wait: bool = True) -> None:
    """Send events ``first_seq``, ``first_seq + 1``, ... to the run's group.

    Call after the transaction that wrote them has committed (``transaction.on_commit``), so a
    consumer that reads the log on hearing of them finds them there. With ``wait=False`` the
    caller goes on at once and calls ``wait_sent()`` later: a live step dispatches its next
    tries while the broadcast is on its way.
    """
    if not items:
        return
    if log.isEnabledFor(logging.DEBUG):
        # Called as the transaction's first commit hook: this is when the events committed.
        log.debug("run %s: events %s-%s committed at %.6f", run_id, first_seq,
                  first_seq + len(items) - 1, time.time())  # fmt: skip
    group = group_name(run_id)
    messages = [
        {
            "type": "run.events",
            "run": int(run_id),
            "first": first_seq + n,
            "items": items[n : n + FRAME_EVENTS],
        }
        for n in range(0, len(items), FRAME_EVENTS)
    ]
    _sender().submit(group, messages, wait)


def wait_sent() -> None:
    """Wait (briefly) for the broadcasts this thread sent with ``wait=False``."""
    _sender().wait_sent()


def bind_server_loop() -> None:
    """Called on the ASGI server's event loop (by the consumer): broadcasts from this process's
    threads then go through that loop, which the in-memory channel layer requires."""
    global _server_loop
    _server_loop = asyncio.get_running_loop()


_server_loop: asyncio.AbstractEventLoop | None = None


class _Sender:
    """Sends group messages on an event loop and waits for them to leave.

    The loop is the ASGI server's when this process serves websockets (the in-memory layer's
    queues belong to it); otherwise a daemon thread runs a loop of its own (a Celery worker), so
    the channel layer's connections are reused from one broadcast to the next.

    The committing thread waits (briefly) for the send: left to itself, the loop's thread would
    wait for the GIL behind the worker's next step, and commit-to-browser latency would grow by
    Python's thread switch interval at every hop.
    """

    # Past this (plus 10 ms a message) the send goes on without us; consumers can refill from
    # the log if it never arrives.
    WAIT_S = 0.5

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.unsent = threading.local()  # this thread's broadcasts not waited for yet
        self.publisher = _pubsub_publisher()  # None: send through an event loop

    def submit(self, group: str, messages: list[dict[str, Any]], wait: bool = True) -> None:
        if self.publisher is not None:
            self.publisher.publish(group, messages)
            return
        with self.lock:
            loop = self._loop()
        if loop is None:
            return
        sent = asyncio.run_coroutine_threadsafe(self._send(group, messages), loop)
        if _on_loop(loop):
            return
        if not wait:
            if not hasattr(self.unsent, "futures"):
                self.unsent.futures = []
            self.unsent.futures.append((sent, group, len(messages)))
            return
        self._wait(sent, group, len(messages))

    def wait_sent(self) -> None:
        futures = getattr(self.unsent, "futures", None) or []
        self.unsent.futures = []
        for sent, group, count in futures:
            self._wait(sent, group, count)

    def _wait(self, sent, group: str, count: int) -> None:
        try:
            sent.result(timeout=self.WAIT_S + 0.01 * count)
        except Exception:
            log.warning("broadcast to %s is slow or failed; consumers will catch up", group)

    @staticmethod
    def _loop() -> asyncio.AbstractEventLoop | None:
        if _server_loop is not None and not _server_loop.is_closed():
            return _server_loop
        layer = get_channel_layer()
        if layer is None or isinstance(layer, InMemoryChannelLayer):
            return None  # no server loop in this process: nobody here can be listening
        return _own_loop()

    @staticmethod
    async def _send(group: str, messages: list[dict[str, Any]]) -> None:
        layer = get_channel_layer()
        for message in messages:
            try:
                await layer.group_send(group, message)
            except Exception:  # the log still has the events; consumers refill from it
                log.exception("could not broadcast run events to %s", group)


class _PubSubPublisher:
    """Publishes group messages of channels_redis's pub/sub layer straight from the calling
    thread: a PUBLISH of the layer's serialized message on the layer's group channel, which is
    all its group_send does. It spares the committing thread a hand-over to an event loop
    thread and back (a worker's next step would otherwise hold the GIL while the broadcast
    waits). tests/live/test_live_stream.py checks it against the layer's own subscribers."""

    def __init__(self, layer, host: dict, prefix: str) -> None:
        import redis

        options = dict(host)
        self.redis = redis.Redis.from_url(options.pop("address"), **options)
        self.layer = layer
        self.prefix = prefix

    def publish(self, group: str, messages: list[dict[str, Any]]) -> None:
        channel = f"{self.prefix}__group__{group}"
        try:
            for message in messages:
                self.redis.publish(channel, self.layer.serialize(message))
        except Exception:  # the log still has the events; consumers refill from it
            log.exception("could not broadcast run events to %s", group)


def _pubsub_publisher() -> _PubSubPublisher | None:
    """A synchronous publisher, if the channel layer is the pub/sub one on a single Redis
    (several hosts would need the layer's sharding; they take the loop path)."""
    from channels_redis.pubsub import RedisPubSubChannelLayer

    layer = get_channel_layer()
    config = settings.CHANNEL_LAYERS.get("default", {}).get("CONFIG", {})
    hosts = config.get("hosts") or []
    if (
        isinstance(layer, RedisPubSubChannelLayer)
        and len(hosts) == 1
        and isinstance(hosts[0], dict)
        and "address" in hosts[0]
    ):
        return _PubSubPublisher(layer, hosts[0], config.get("prefix", "asgi"))
    return None


def _on_loop(loop: asyncio.AbstractEventLoop) -> bool:
    try:
        return asyncio.get_running_loop() is loop
    except RuntimeError:
        return False


_own: tuple[int, asyncio.AbstractEventLoop] | None = None


def _own_loop() -> asyncio.AbstractEventLoop:
    """A loop in a daemon thread, one per process (a forked Celery child makes its own)."""
    global _own
    if _own is None or _own[0] != os.getpid():
        loop = asyncio.new_event_loop()
        threading.Thread(target=loop.run_forever, name="dagsim-broadcast", daemon=True).start()
        _own = (os.getpid(), loop)
    return _own[1]


_senders: dict[int, _Sender] = {}
_senders_lock = threading.Lock()


def _sender() -> _Sender:
    pid = os.getpid()
    with _senders_lock:
        if pid not in _senders:
            _senders.clear()
            _senders[pid] = _Sender()
        return _senders[pid]
