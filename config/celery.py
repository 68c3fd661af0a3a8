"""The Celery app for live-run workers: `celery -A config worker`.

Its broker comes from CELERY_BROKER_URL or REDIS_URL (settings.py); without one, live runs use
the in-process executor and no worker is needed.
"""

import os

from celery import Celery
from celery.signals import worker_process_init

from config.memory import freeze_startup_objects

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("dagsim")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@worker_process_init.connect
def _freeze_after_fork(**_kwargs) -> None:
    """A pool process has imported the tasks and Django: keep that out of full collections."""
    freeze_startup_objects()
