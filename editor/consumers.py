"""The live-run websocket, /ws/runs/<id>/ (docs/interfaces.md): it only relays.

On connect the run's owner gets a snapshot (the run, every task instance, the last seq), or,
reconnecting with ``?after=SEQ``, exactly the events after SEQ from the RunEvent log; then every
new event, in seq order, in frames of up to ``stream.FRAME_EVENTS``. Events arrive as group
messages (editor/stream.py) that may come late, twice or not at all: each is placed by its seq,
a gap is refilled from the log (every broadcast event is committed, so the log has every seq
before it), and nothing at or below the last seq sent goes out again.

Batching: a lone event is sent at once; events that arrive while a frame is being written
are coalesced into the next one.
"""

from __future__ import annotations

import asyncio
import json
from urllib.parse import parse_qs

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncWebsocketConsumer
from django.contrib.auth.models import AnonymousUser
from django.db import connection, transaction
from rest_framework.authtoken.models import Token

from . import convert, stream
from .models import Run, RunEvent
from .permissions import runs_of
from .serializers import RunSummarySerializer, TaskInstanceSerializer

# Events read from the log per query when replaying.
REPLAY_PAGE = 1000


class RunConsumer(AsyncWebsocketConsumer):
    async def connect(self) -> None:
        stream.bind_server_loop()
        self.run_id = int(self.scope["url_route"]["kwargs"]["run_id"])
        self.sent = 0  # the last seq sent to this client
        self.pending: list[tuple[int, list[str]]] = []  # (first seq, encoded events)
        self.wakeup = asyncio.Event()
        self.flusher: asyncio.Task | None = None
        after = _after(self.scope.get("query_string", b""))
        user = await _user(self.scope)
        # Refusing before accept answers the handshake with 403: strangers, anonymous
        # visitors and malformed ?after= alike learn nothing about the run.
        if after is False or not await _owns(user, self.run_id):
            await self.close()
            return
        # Join first, then read the log: whatever commits in between arrives as group messages
        # and is dropped or placed by seq, so the switch from log to stream has no gap.
        self.group = stream.group_name(self.run_id)
        await self.channel_layer.group_add(self.group, self.channel_name)
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
        if getattr(self, "group", None):
            await self.channel_layer.group_discard(self.group, self.channel_name)

    async def receive(self, text_data=None, bytes_data=None) -> None:
        pass  # the stream is one-way; clients have nothing to say

    async def run_events(self, message: dict) -> None:
        """Group message "run.events": {"first": seq of items[0], "items": [encoded event]}."""
        self.pending.append((message["first"], message["items"]))
        self.wakeup.set()

    # ----------------------------------------------------------------- sending

    async def _flush_forever(self) -> None:
        while True:
            await self.wakeup.wait()
            self.wakeup.clear()
            # One turn of the loop lets group messages that are already here land in `pending`:
            # under load they share the next frame; an idle stream loses nothing by it.
            await asyncio.sleep(0)
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

    async def _replay(self, upto: int | None) -> None:
        """Send the logged events after the last one sent (up to ``upto``), in frames."""
        while True:
            items = await _logged_events(self.run_id, self.sent, upto, REPLAY_PAGE)
            for n in range(0, len(items), stream.FRAME_EVENTS):
                await self.send(text_data=stream.events_frame(items[n : n + stream.FRAME_EVENTS]))
            self.sent += len(items)
            if len(items) < REPLAY_PAGE or (upto is not None and self.sent >= upto):
                return


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


@database_sync_to_async
def _snapshot(run_id: int) -> tuple[str, int]:
    """The snapshot frame and its last seq, read from one consistent view of the database."""
    with transaction.atomic():
        if connection.vendor == "postgresql":
            # Task instances and last_seq must come from the same commit: a step landing
            # between the two reads would otherwise be half in the snapshot, half not.
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        run = Run.objects.select_related("dag").get(pk=run_id)
        instances = TaskInstanceSerializer(run.task_instances.all(), many=True).data
        frame = {
            "type": "snapshot",
            "run": RunSummarySerializer(run).data,
            "task_instances": instances,
            "last_seq": run.last_seq,
        }
    return json.dumps(frame, separators=(",", ":"), default=str), run.last_seq


@database_sync_to_async
def _logged_events(run_id: int, after: int, upto: int | None, limit: int) -> list[str]:
    events = RunEvent.objects.filter(run_id=run_id, seq__gt=after).order_by("seq")
    if upto is not None:
        events = events.filter(seq__lte=upto)
    return [stream.encode(convert.event_to_dict(e)) for e in events[:limit]]
