"""The live-run websocket, /ws/runs/<id>/ (docs/interfaces.md): it only relays.

On connect the run's owner gets a snapshot (the run, every task instance, the last seq), or,
reconnecting with ``?after=SEQ``, exactly the events after SEQ from the RunEvent log; then every
new event, in seq order, in frames of up to ``stream.FRAME_EVENTS``. Events arrive as group
messages (editor/stream.py), received once per process by the RunFeed, that may come late, twice
or not at all: each is placed by its seq, a gap is refilled from the log (every broadcast event
is committed, so the log has every seq before it), nothing at or below the last seq sent goes
out again, and after a quiet spell the consumer checks the log for anything it was not told.

Batching: a lone event is sent at once; events that arrive while a frame is being written
are coalesced into the next one.

Fast path: a group message that continues a socket's stream while nothing is queued or being
sent for it is written by the RunFeed itself, as one frame built once for all of this process's
sockets, instead of waking each socket's own task (fifty task switches per message were most
of the time from a message's arrival to its last socket). Every send to a socket holds its
``send_lock``, so frames never overtake one another.
"""

from __future__ import annotations

import asyncio
import json
import logging
from urllib.parse import parse_qs

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncWebsocketConsumer
from channels.layers import get_channel_layer
from django.contrib.auth.models import AnonymousUser
from django.db import connection, transaction
from rest_framework.authtoken.models import Token

from . import convert, stream
from .models import FINISHED_RUN_STATES, Run, RunEvent
from .permissions import runs_of
from .serializers import RunSummarySerializer, TaskInstanceSerializer

log = logging.getLogger(__name__)

# Events read from the log per query when replaying.
REPLAY_PAGE = 1000
# Seconds of quiet after which a consumer checks the log for events it was not told about.
CATCH_UP_S = 5.0
# Sockets a group message is queued on before the RunFeed lets the event loop write them out
# (daphne's sockets are written on the loop's next turn, not when a frame is sent).
PUSHES_PER_TURN = 5


class RunConsumer(AsyncWebsocketConsumer):
    # No channel of its own: this process's RunFeed receives the run's group messages once and
    # hands them to every consumer watching that run here.
    channel_layer_alias = None

    async def connect(self) -> None:
        stream.bind_server_loop()
        self.run_id = int(self.scope["url_route"]["kwargs"]["run_id"])
        self.sent = 0  # the last seq sent to this client
        self.pending: list[tuple[int, list[str]]] = []  # (first seq, encoded events)
        self.wakeup = asyncio.Event()
        self.flusher: asyncio.Task | None = None
        self.feed: RunFeed | None = None
        self.over = False  # the run has finished and the client has every event
        self.send_lock = asyncio.Lock()  # held by every send of events, so they stay in order
        after = _after(self.scope.get("query_string", b""))
        user = await _user(self.scope)
        # Refusing before accept answers the handshake with 403: strangers, anonymous
        # visitors and malformed ?after= alike learn nothing about the run.
        if after is False or not await _owns(user, self.run_id):
            await self.close()
            return
        # Listen first, then read the log: whatever commits in between arrives as group
        # messages and is dropped or placed by seq, so the switch from log to stream has no gap.
        self.feed = RunFeed.of_this_loop()
        await self.feed.watch(self.run_id, self)
        await self.accept()
        if after is None:
            text, self.sent = await _snapshot(self.run_id)
            await self.send(text_data=text)
        else:
            self.sent = after
            await self._replay(upto=None)
        self.flusher = asyncio.ensure_future(self._flush_forever())
        self.wakeup.set()

    async def disconnect(self, code: int) -> None:
        if self.flusher is not None:
            self.flusher.cancel()
        if self.feed is not None:
            await self.feed.unwatch(self.run_id, self)

    async def receive(self, text_data=None, bytes_data=None) -> None:
        pass  # the stream is one-way; clients have nothing to say

    def deliver(self, first: int, items: list[str]) -> None:
        """Events ``first``, ``first + 1``, ... from a group message (called by the RunFeed)."""
        self.pending.append((first, items))
        self.wakeup.set()

    def follows_on(self, first: int) -> bool:
        """Whether events from ``first`` on could go out now, straight from the RunFeed: the
        socket is streaming (snapshot or replay sent), nothing is waiting or being sent."""
        return (
            self.flusher is not None
            and not self.pending
            and not self.send_lock.locked()
            and first == self.sent + 1
        )

    async def push(self, first: int, items: list[str], frame: str) -> None:
        """Send a whole group message as ``frame`` (its events' frame) if it still follows on
        once the socket's send lock is held; otherwise queue it like ``deliver``."""
        async with self.send_lock:
            if self.pending or first != self.sent + 1:
                self.deliver(first, items)
                return
            self.sent += len(items)
            await self.send(text_data=frame)

    # ----------------------------------------------------------------- sending

    async def _flush_forever(self) -> None:
        try:
            await self._relay()
        except asyncio.CancelledError:
            raise
        except Exception:
            # The log could not be read (database away): close, so that the client reconnects
            # with its last seq rather than wait on a stream that has stopped.
            log.exception("run %s: relaying events failed; closing the socket", self.run_id)
            await self.close(code=1011)

    async def _relay(self) -> None:
        while True:
            try:
                await asyncio.wait_for(self.wakeup.wait(), CATCH_UP_S)
            except TimeoutError:
                # Quiet for a while: if a notification was lost (the channel layer only
                # promises to try), the log has what it carried.
                if not self.over:
                    async with self.send_lock:
                        await self._catch_up()
                continue
            self.wakeup.clear()
            # One turn of the loop lets group messages that are already here land in `pending`:
            # under load they share the next frame; an idle stream loses nothing by it.
            await asyncio.sleep(0)
            async with self.send_lock:
                await self._flush()

    async def _flush(self) -> None:
        self.pending.sort(key=lambda p: p[0])
        while self.pending:
            batch: list[str] = []
            while self.pending and len(batch) < stream.FRAME_EVENTS:
                first, items = self.pending[0]
                if first + len(items) - 1 <= self.sent:
                    self.pending.pop(0)  # already sent (snapshot, replay or a duplicate)
                    continue
                if first > self.sent + 1:
                    break  # a gap: refilled from the log below
                skip = self.sent + 1 - first
                room = stream.FRAME_EVENTS - len(batch)
                taken = items[skip : skip + room]
                batch.extend(taken)
                self.sent += len(taken)
                if skip + len(taken) == len(items):
                    self.pending.pop(0)
            if batch:
                await self.send(text_data=stream.events_frame(batch))
            elif self.pending:
                before = self.sent
                await self._replay(upto=self.pending[0][0] - 1)
                if self.sent == before:
                    # The log lacks events the stream says exist: never paper over a hole.
                    # The client reconnects with its last seq and gets a fresh start.
                    await self.close(code=1011)
                    return
            self.pending.sort(key=lambda p: p[0])

    async def _catch_up(self) -> None:
        last_seq, finished = await _run_progress(self.run_id)
        if last_seq > self.sent:
            await self._replay(upto=last_seq)
        self.over = finished and self.sent >= last_seq

    async def _replay(self, upto: int | None) -> None:
        """Send the logged events after the last one sent (up to ``upto``), in frames."""
        while True:
            items = await _logged_events(self.run_id, self.sent, upto, REPLAY_PAGE)
            for n in range(0, len(items), stream.FRAME_EVENTS):
                await self.send(text_data=stream.events_frame(items[n : n + stream.FRAME_EVENTS]))
            self.sent += len(items)
            if len(items) < REPLAY_PAGE or (upto is not None and self.sent >= upto):
                return


class RunFeed:
    """This process's subscription to the groups of the runs watched here: one channel for all.

    Fifty browsers watching one run then cost the channel layer one message per batch of
    events, not fifty; the feed hands each message to this process's consumers of that run.
    """

    _feeds: dict[asyncio.AbstractEventLoop, RunFeed] = {}

    @classmethod
    def of_this_loop(cls) -> RunFeed:
        loop = asyncio.get_running_loop()
        if loop not in cls._feeds:
            cls._feeds = {k: v for k, v in cls._feeds.items() if not k.is_closed()}
            cls._feeds[loop] = cls()
        return cls._feeds[loop]

    def __init__(self) -> None:
        self.layer = get_channel_layer()
        self.channel: str | None = None
        self.watchers: dict[int, set[RunConsumer]] = {}
        self.lock = asyncio.Lock()
        self.receiver: asyncio.Task | None = None

    async def watch(self, run_id: int, consumer: RunConsumer) -> None:
        async with self.lock:
            if self.channel is None:
                self.channel = await self.layer.new_channel("run-feed.")
                self.receiver = asyncio.ensure_future(self._receive())
            if run_id not in self.watchers:
                await self.layer.group_add(stream.group_name(run_id), self.channel)
                self.watchers[run_id] = set()
            self.watchers[run_id].add(consumer)

    async def unwatch(self, run_id: int, consumer: RunConsumer) -> None:
        async with self.lock:
            watchers = self.watchers.get(run_id)
            if watchers is None:
                return
            watchers.discard(consumer)
            if not watchers:
                del self.watchers[run_id]
                await self.layer.group_discard(stream.group_name(run_id), self.channel)

    async def _receive(self) -> None:
        while True:
            try:
                message = await self.layer.receive(self.channel)
            except asyncio.CancelledError:
                raise
            except Exception:  # Redis away for a moment: consumers catch up from the log
                log.exception("run feed: the channel layer failed; listening again")
                await asyncio.sleep(1)
                continue
            first, items = message["first"], message["items"]
            frame = None  # encoded once for every socket that takes the fast path
            pushed = 0
            for consumer in list(self.watchers.get(message.get("run"), ())):
                if consumer.follows_on(first) and len(items) <= stream.FRAME_EVENTS:
                    if frame is None:
                        frame = stream.events_frame(items)
                    try:
                        await consumer.push(first, items, frame)
                    except Exception:  # that socket is going away; the others still get it
                        log.exception("run feed: sending to a websocket failed")
                    pushed += 1
                    if pushed % PUSHES_PER_TURN == 0:
                        # Let the server write what is queued so far: the first sockets'
                        # clients read their frame while the rest are still being queued.
                        await asyncio.sleep(0)
                else:
                    consumer.deliver(first, items)


def _after(query_string: bytes) -> int | None | bool:
    """The ``after`` seq the client asked for: None if absent, False if not a whole number."""
    values = parse_qs(query_string.decode("latin1")).get("after")
    if not values:
        return None
    value = values[-1]
    return int(value) if value.isdigit() else False


async def _user(scope):
    """The session's user (browsers), else the user of an ``Authorization: Token`` header."""
    user = scope.get("user")
    if user is not None and user.is_authenticated:
        return user
    for name, value in scope.get("headers", []):
        if name == b"authorization":
            kind, _, key = value.decode("latin1").partition(" ")
            if kind.lower() == "token" and key.strip():
                return await _token_user(key.strip())
    return AnonymousUser()


@database_sync_to_async
def _token_user(key: str):
    token = Token.objects.select_related("user").filter(key=key).first()
    if token is None or not token.user.is_active:
        return AnonymousUser()
    return token.user


@database_sync_to_async
def _owns(user, run_id: int) -> bool:
    return user.is_authenticated and runs_of(user).filter(pk=run_id).exists()


_RUN_DOCUMENTS = ("document", "result", "recent_steps", "dag__document", "dag__layout",
                  "dag__scenarios")  # fmt: skip


@database_sync_to_async
def _snapshot(run_id: int) -> tuple[str, int]:
    """The snapshot frame and its last seq, read from one consistent view of the database."""
    with transaction.atomic():
        if connection.vendor == "postgresql":
            # Task instances and last_seq must come from the same commit: a step landing
            # between the two reads would otherwise be half in the snapshot, half not.
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        # Not the documents: fifty watchers connecting at once would each read them for nothing.
        run = Run.objects.select_related("dag").defer(*_RUN_DOCUMENTS).get(pk=run_id)
        instances = TaskInstanceSerializer(run.task_instances.all(), many=True).data
        frame = {
            "type": "snapshot",
            "run": RunSummarySerializer(run).data,
            "task_instances": instances,
            "last_seq": run.last_seq,
        }
    return json.dumps(frame, separators=(",", ":"), default=str), run.last_seq


@database_sync_to_async
def _run_progress(run_id: int) -> tuple[int, bool]:
    last_seq, state = Run.objects.filter(pk=run_id).values_list("last_seq", "state").get()
    return last_seq, state in FINISHED_RUN_STATES


@database_sync_to_async
def _logged_events(run_id: int, after: int, upto: int | None, limit: int) -> list[str]:
    events = RunEvent.objects.filter(run_id=run_id, seq__gt=after).order_by("seq")
    if upto is not None:
        events = events.filter(seq__lte=upto)
    return [stream.encode(convert.event_to_dict(e)) for e in events[:limit]]
