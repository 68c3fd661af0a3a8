"""Executors pace live runs in wall-clock time; editor/runs.py's step does the work.

After each committed step the executor is told which tries started (each ends ``duration /
speed`` seconds later) and, when nothing runs, when a retry falls due; at those times it calls
``runs.advance_live_run`` again. Two executors, one code path:

- ``inprocess`` (the default): timers and a small thread pool inside the web server process
  (config/asgi.py starts it), so a local install needs no other server.
- ``celery``: every try is a Celery task with ``countdown`` = its scaled duration, run by
  workers on any machine (``celery -A config worker``).

The sweep (``sweep()``; Celery beat, the in-process timer, or ``manage.py sweep_live_runs``)
requeues runs whose next step is overdue, e.g. because the worker holding their tries died.
"""

from __future__ import annotations

from typing import Protocol

from django.conf import settings

from .. import live


class Executor(Protocol):
    def start(self, run_id: int) -> None:
        """A live run was created (after commit): play its first instant."""

    def after_step(self, run_id: int, speed: float, step: live.Step, seq: int) -> None:
        """A step committed: wake the run when its started tries end or its retry falls due."""

    def requeue(self, run_id: int, seq: int) -> None:
        """The sweep found the run overdue at ``seq``: play its next instant, once."""


def current() -> Executor:
    """The executor named by settings.RUN_EXECUTOR, one per process."""
    global _current
    name = settings.RUN_EXECUTOR
    if _current is None or _current[0] != name:
        if name == "celery":
            from .celery_executor import CeleryExecutor

            _current = (name, CeleryExecutor())
        else:
            from .inprocess import InProcessExecutor

            _current = (name, InProcessExecutor.instance())
    return _current[1]


_current: tuple[str, Executor] | None = None


def serve() -> None:
    """Start what this web server process must run: the in-process executor and its sweep
    (a no-op when Celery workers drive the runs)."""
    if settings.RUN_EXECUTOR == "inprocess":
        from .inprocess import InProcessExecutor

        InProcessExecutor.instance().serve()


def sweep_grace_s() -> float:
    return float(getattr(settings, "LIVE_SWEEP_GRACE_S", 10))


def sweep_interval_s() -> float:
    return float(getattr(settings, "LIVE_SWEEP_INTERVAL_S", 5))


def sweep_stall_s() -> float:
    return float(getattr(settings, "LIVE_STALL_S", 900))


def sweep(grace_s: float | None = None, stall_s: float | None = None) -> int:
    """Requeue live runs whose next step is overdue by more than the grace; returns how many.

    Idempotent: each requeued step names the run's seq and does nothing if the run moved on.
    A run found overdue at the same seq for ``stall_s`` (its steps keep failing, or no worker
    has come back) is ended as failed instead: no run stays running forever.
    """
    from django.core.cache import cache
    from django.utils import timezone

    from .. import runs

    grace = sweep_grace_s() if grace_s is None else grace_s
    stall = sweep_stall_s() if stall_s is None else stall_s
    now = timezone.now().timestamp()
    executor = current()
    requeued = 0
    for run_id, seq in runs.claim_overdue_live_runs(grace):
        # When the run was first found overdue at this seq (a hint: if the cache forgets it,
        # the count starts again).
        first = cache.get_or_set(f"dagsim:live:overdue:{run_id}:{seq}", now, 2 * stall + 60)
        if now - first >= stall and runs.end_stalled_live_run(run_id, seq, now - first):
            continue
        executor.requeue(run_id, seq)
        requeued += 1
    return requeued


def wakeups(speed: float, step: live.Step) -> list[tuple[float, float]]:
    """(simulated time to advance to, seconds from now) for each distinct wake-up a step needs."""
    times = {end for _, _, _, end in step.started}
    if step.waits_for_retry and step.next_due is not None:
        times.add(step.next_due)
    return sorted((t, max(0.0, t - step.sim_time) / speed) for t in times)
