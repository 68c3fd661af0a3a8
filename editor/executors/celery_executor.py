"""Live runs on Celery workers: each try is a task that runs when the try's scaled duration is
over; a retry falling due while nothing runs is a wake-up task. See editor/tasks.py."""

from __future__ import annotations

from .. import live


class CeleryExecutor:
    def start(self, run_id: int) -> None:
        from ..tasks import advance_run

        advance_run.delay(run_id)

    def after_step(self, run_id: int, speed: float, step: live.Step, seq: int) -> None:
        from ..tasks import advance_run, run_try

        for task_id, try_number, _start, end in step.started:
            countdown = max(0.0, end - step.sim_time) / speed
            run_try.apply_async(
                (run_id, task_id, try_number, end, step.run_key), countdown=countdown
            )
        if step.waits_for_retry and step.next_due is not None:
            countdown = max(0.0, step.next_due - step.sim_time) / speed
            advance_run.apply_async((run_id, step.next_due), countdown=countdown)

    def requeue(self, run_id: int, seq: int) -> None:
        from ..tasks import advance_run

        advance_run.delay(run_id, None, seq)
