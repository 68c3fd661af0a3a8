"""Celery tasks for live runs: thin, ids in, idempotent (editor/executors/celery_executor.py).

Each re-reads the run from the database and calls ``runs.advance_live_run``, which does nothing
that an earlier delivery already did. They are acknowledged late and rejected when their worker
process dies, so the broker hands them to another worker; the sweep covers the rest (a whole
worker killed with its countdown tasks held in memory).
"""

from __future__ import annotations

from celery import shared_task
from django.db import OperationalError

from . import live, runs

LIVE_TASK = {
    "acks_late": True,
    "reject_on_worker_lost": True,
    "ignore_result": True,
    # A lock timeout, a dropped connection or a conflicting writer: try the step again soon.
    "autoretry_for": (OperationalError, live.StepConflict),
    "retry_backoff": 0.2,
    "retry_backoff_max": 5,
    "max_retries": 5,
}


@shared_task(name="editor.advance_run", **LIVE_TASK)
def advance_run(run_id: int, until: float | None = None, expected_seq: int | None = None) -> None:
    """Play the run's instants up to ``until`` (None: start it, or play its next instant)."""
    runs.advance_live_run(run_id, until, expected_seq, catch_up=until is not None)


@shared_task(name="editor.run_try", **LIVE_TASK)
def run_try(
    run_id: int, task_id: str, try_number: int, end: float, run_key: str | None = None
) -> None:
    """Try ``try_number`` of ``task_id`` has run its (scaled) duration: apply its outcome,
    with every other try ending by then, and start what follows.

    Tries that end together (or, when the workers fall behind, by the time one of them is
    played) each have a task; the first plays them all, and the others learn so from the
    run's played-to mark without touching the database."""
    if run_key is not None and live.is_played(run_key, end):
        return
    runs.advance_live_run(run_id, until=end, for_try=(task_id, try_number), catch_up=True)


@shared_task(name="editor.sweep_live_runs", ignore_result=True)
def sweep_live_runs() -> int:
    """Requeue live runs whose next step is overdue (Celery beat runs this periodically)."""
    from .executors import sweep

    return sweep()


@shared_task(name="editor.noop", ignore_result=True)
def noop(counter_key: str | None = None) -> None:
    """Does nothing but count itself (one Redis INCR): the benchmark's yardstick for bare Celery
    throughput (python -m editor.bench_live)."""
    if counter_key:
        _counter().incr(counter_key)


_redis = None


def _counter():
    global _redis
    if _redis is None:
        import redis
        from django.conf import settings

        _redis = redis.Redis.from_url(settings.REDIS_URL or settings.CELERY_BROKER_URL)
    return _redis
