"""The live-run websocket's frames, as OpenAPI components next to the REST schema.

OpenAPI has no words for a websocket, so /ws/runs/{id}/ is described by two component schemas
(LiveSnapshotFrame, LiveEventsFrame) that reuse the REST components for a run, a task instance
and a run event: a browser reads the same shapes from both. docs/interfaces.md has the protocol.
"""

from .stream import FRAME_EVENTS

SNAPSHOT = {
    "type": "object",
    "description": (
        "First frame on /ws/runs/{id}/ without ?after=: the run, every task instance and the "
        "seq of the last event they include. Events with a larger seq follow in "
        "LiveEventsFrame frames."
    ),
    "properties": {
        "type": {"type": "string", "enum": ["snapshot"]},
        "run": {"$ref": "#/components/schemas/RunSummary"},
        "task_instances": {"type": "array", "items": {"$ref": "#/components/schemas/TaskInstance"}},
        "last_seq": {"type": "integer", "minimum": 0},
    },
    "required": ["type", "run", "task_instances", "last_seq"],
}

EVENTS = {
    "type": "object",
    "description": (
        "Run events in seq order, with no gap and no repeat across frames (after a snapshot, "
        "or after the ?after=SEQ a reconnecting client sent). A lone event is sent at once; "
        f"under load events share frames of up to {FRAME_EVENTS}. task_id null: the run's "
        "own state changed (from_state/to_state are run states)."
    ),
    "properties": {
        "type": {"type": "string", "enum": ["events"]},
        "events": {
            "type": "array",
            "minItems": 1,
            "maxItems": FRAME_EVENTS,
            "items": {"$ref": "#/components/schemas/RunEvent"},
        },
    },
    "required": ["type", "events"],
}


def add_live_frames(result, generator, request, public):
    """drf-spectacular postprocessing hook: add the websocket frames to the components."""
    schemas = result.setdefault("components", {}).setdefault("schemas", {})
    schemas["LiveSnapshotFrame"] = SNAPSHOT
    schemas["LiveEventsFrame"] = EVENTS
    return result
