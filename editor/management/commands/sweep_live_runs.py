"""Requeue live runs whose next step is overdue (their worker died, a message was lost).

Celery beat runs the same sweep every LIVE_SWEEP_INTERVAL_S, and the in-process executor runs it
inside the web server; this command is for deployments that schedule it themselves (cron).
"""

import time

from django.core.management.base import BaseCommand

from editor.executors import sweep, sweep_grace_s


class Command(BaseCommand):
    help = "Requeue live runs whose next scheduling step is overdue; --every N keeps doing it."

    def add_arguments(self, parser):
        parser.add_argument(
            "--grace", type=float, default=None, help="seconds late before a run counts"
        )
        parser.add_argument(
            "--every", type=float, default=None, help="sweep again every N seconds, forever"
        )

    def handle(self, *args, grace=None, every=None, **options):
        grace = sweep_grace_s() if grace is None else grace
        while True:
            requeued = sweep(grace)
            self.stdout.write(f"requeued {requeued} overdue live run(s)")
            if every is None:
                return
            time.sleep(every)
