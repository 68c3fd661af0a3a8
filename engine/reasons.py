"""Why a task changed state: compact codes recorded in the hot loop, words rendered on demand.

An event stores a ``Reason`` and one integer argument (a task index, a try number or packed
upstream counts), so a 100,000-task run keeps no strings until someone asks for them.
"""

from __future__ import annotations

from enum import IntEnum


class Reason(IntEnum):
    ROOT = 1  # no upstream: ready at once
    RULE_MET = 2  # arg: packed counts
    RULE_SKIP = 3  # arg: packed counts
    RULE_UPSTREAM_FAILED = 4  # arg: packed counts
    STARTED = 5  # arg: try number
    SUCCEEDED = 6
    FAILED_TRY = 7  # arg: fail_times of the scenario (ALWAYS_FAILS for "failed")
    RETRY = 8  # arg: try number that failed
    SKIP_EXCEPTION = 9
    BRANCH_UNKNOWN = 10
    SKIPPED_BY_BRANCH = 11  # arg: index of the branch task
    SKIPPED_BY_SHORT_CIRCUIT = 12  # arg: index of the short-circuit task
    SKIPPED_BY_LATEST_ONLY = 13  # arg: index of the latest-only task
    SKIPPED_WHILE_RUNNING = 14  # arg: index of the skipping parent
    TRY_DISCARDED = 15  # a try ended after its task was skipped or the run was cancelled
    RETRY_DUE = 16  # the retry delay is over
    CANCELLED = 17
    DEADLOCK = 18
    ALWAYS = 19  # trigger rule always: does not wait


# Reasons whose argument names the task that caused the change.
CAUSED_BY_TASK = frozenset(
    {
        Reason.SKIPPED_BY_BRANCH,
        Reason.SKIPPED_BY_SHORT_CIRCUIT,
        Reason.SKIPPED_BY_LATEST_ONLY,
        Reason.SKIPPED_WHILE_RUNNING,
    }
)
RULE_REASONS = frozenset({Reason.RULE_MET, Reason.RULE_SKIP, Reason.RULE_UPSTREAM_FAILED})

_BITS = 21
_MASK = (1 << _BITS) - 1


def pack_counts(s: int, k: int, f: int, u: int) -> int:
    return s | (k << _BITS) | (f << (2 * _BITS)) | (u << (3 * _BITS))


def unpack_counts(packed: int) -> tuple[int, int, int, int]:
    return (
        packed & _MASK,
        (packed >> _BITS) & _MASK,
        (packed >> 2 * _BITS) & _MASK,
        (packed >> 3 * _BITS) & _MASK,
    )
