"""The default executor: live runs paced by timers inside the web server process.

One timer thread keeps a heap of wake-ups and hands due ones to a small thread pool that runs
``runs.advance_live_run``; the same thread runs the sweep every few seconds. It only runs where
config/asgi.py starts it (``serve()``), i.e. in the process serving the site: a run created
anywhere else (a shell, a test) waits there until that server's sweep picks it up.

Timers live in memory: after a restart ``serve()`` re-arms every unfinished run at the wall time
its next step was due (``Run.wake_at``), and the sweep catches whatever is still late.
"""

from __future__ import annotations

import heapq
import itertools
import logging
import threading
import time
from concurrent.futures import ThreadPoolExecutor

from django.conf import settings
from django.db import OperationalError, connection
from django.utils import timezone

from .. import live

log = logging.getLogger(__name__)

# A step that hit a database hiccup (lock timeout, lost connection) or a conflict is tried
# again this much later; the sweep is the backstop after that.
RETRY_AFTER_S = 0.5
MAX_ATTEMPTS = 3


class InProcessExecutor:
    _instance: InProcessExecutor | None = None
    _instance_lock = threading.Lock()

    @classmethod
    def instance(cls) -> InProcessExecutor:
        with cls._instance_lock:
            if cls._instance is None:
                cls._instance = cls()
            return cls._instance

    def __init__(self) -> None:
        self.cond = threading.Condition()
        self.timers: list[tuple[float, int, tuple, tuple]] = []  # (due, n, key, job)
        self.armed: set[tuple] = set()
        self.order = itertools.count()
        self.running = False
        self.pool: ThreadPoolExecutor | None = None

    # ----------------------------------------------------------------- Executor

    def start(self, run_id: int) -> None:
        self._at(0.0, ("advance", run_id, None, None))

    def after_step(self, run_id: int, speed: float, step: live.Step, seq: int) -> None:
        from . import wakeups

        # One timer per distinct instant: the step at that instant ends every try due then.
        for until, delay in wakeups(speed, step):
            self._at(delay, ("advance", run_id, until, None))

    def requeue(self, run_id: int, seq: int) -> None:
        self._at(0.0, ("advance", run_id, None, seq))

    # ----------------------------------------------------------------- serving

    def serve(self) -> None:
        """Start the timer thread (once) and re-arm the runs this process should drive."""
        with self.cond:
            if self.running:
                return
            self.running = True
            workers = int(getattr(settings, "LIVE_INPROCESS_THREADS", 2))
            self.pool = ThreadPoolExecutor(workers, thread_name_prefix="dagsim-run")
        threading.Thread(target=self._loop, name="dagsim-timers", daemon=True).start()
        self.pool.submit(self._rearm)

    def _rearm(self) -> None:
        from ..runs import unfinished_live_runs

        try:
            now = timezone.now()
            for run_id, seq, wake_at in unfinished_live_runs():
                delay = max(0.0, (wake_at - now).total_seconds()) if wake_at else 0.0
                self._at(delay, ("advance", run_id, None, seq))
        except Exception:
            connection.close()
            log.exception("could not re-arm live runs; the sweep will pick them up")

    def _at(self, delay_s: float, job: tuple, attempt: int = 1) -> None:
        key = job
        with self.cond:
            if not self.running or key in self.armed:
                return  # not the serving process: the server's sweep will find the run
            self.armed.add(key)
            due = time.monotonic() + delay_s
            heapq.heappush(self.timers, (due, next(self.order), key, (job, attempt)))
            self.cond.notify()

    def _loop(self) -> None:
        from . import sweep_interval_s

        next_sweep = time.monotonic() + sweep_interval_s()
        while True:
            with self.cond:
                now = time.monotonic()
                due = []
                while self.timers and self.timers[0][0] <= now:
                    _, _, key, job = heapq.heappop(self.timers)
                    self.armed.discard(key)
                    due.append(job)
                if not due and now < next_sweep:
                    wait = next_sweep - now
                    if self.timers:
                        wait = min(wait, self.timers[0][0] - now)
                    self.cond.wait(wait)
                    continue
            for job, attempt in due:
                self.pool.submit(self._run, job, attempt)
            if now >= next_sweep:
                next_sweep = now + sweep_interval_s()
                self.pool.submit(self._sweep)

    def _run(self, job: tuple, attempt: int) -> None:
        from ..runs import advance_live_run

        _, run_id, until, expected_seq = job
        # Pool threads keep their database connection between steps (opening one per step
        # would cost more than the step); one that failed is dropped and reopened next time.
        try:
            advance_live_run(run_id, until, expected_seq, catch_up=until is not None)
        except (OperationalError, live.StepConflict) as exc:
            connection.close()
            if attempt < MAX_ATTEMPTS:
                log.warning("live run %s: step failed (%s); trying again", run_id, exc)
                self._at(RETRY_AFTER_S, job, attempt + 1)
            else:
                log.exception("live run %s: step failed; the sweep will requeue it", run_id)
        except Exception:
            connection.close()
            log.exception("live run %s: step failed; the sweep will requeue it", run_id)

    def _sweep(self) -> None:
        from . import sweep

        try:
            sweep()
        except Exception:
            connection.close()
            log.exception("sweeping live runs failed")
