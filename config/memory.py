"""Garbage-collector set-up for the long-running processes (web server, Celery workers).

Django, DRF, the engine and the server libraries leave a few hundred thousand objects that live
as long as the process. Python's full (generation 2) collection walks all of them: in the web
server that was a 80-130 ms pause every few seconds under load, during which no run event
reached any browser. Freezing what exists once the process is set up moves those objects out of
the collector's sight (gc.freeze), so a full collection only walks what was made since.
"""

import gc


def freeze_startup_objects() -> None:
    """Call once the process has imported and built everything it keeps (after a fork too)."""
    gc.collect()
    gc.freeze()
