"""Live runs on Celery workers: each try is a task that runs when the try's scaled duration is
over; a retry falling due while nothing runs is a wake-up task. See editor/tasks.py."""

from __future__ import annotations

from .. import live

# Below this a countdown is sent as none: a worker's ETA timer costs more than the wait.
MIN_COUNTDOWN_S = 0.002


def _countdown(seconds: float) -> float | None:
    return seconds if seconds >= MIN_COUNTDOWN_S else None


class CeleryExecutor:
    def start(self, run_id: int) -> None:
        from ..tasks import advance_run

        advance_run.delay(run_id)

    def after_step(self, run_id: int, speed: float, step: live.Step, seq: int) -> None:
        from ..tasks import advance_run, run_try

        app = run_try.app

        # Earliest end first: that try wakes the next step, the others mostly find it done.
        started = sorted(step.started, key=lambda s: (s[3], s[0]))
        with app.producer_or_acquire() as producer:
            for task_id, try_number, _start, end in started:
                run_try.apply_async(
                    (run_id, task_id, try_number, end, step.run_key),
                    countdown=_countdown(max(0.0, end - step.sim_time) / speed),
                    producer=producer,
                )
            if step.waits_for_retry and step.next_due is not None:
                advance_run.apply_async(
                    (run_id, step.next_due),
                    countdown=_countdown(max(0.0, step.next_due - step.sim_time) / speed),
                    producer=producer,
                )

    def requeue(self, run_id: int, seq: int) -> None:
        from ..tasks import advance_run

        advance_run.delay(run_id, None, seq)
