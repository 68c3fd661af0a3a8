"""Live-run tests run against real services started for the session (tests/live/services.py):
PostgreSQL and Redis must answer (CI has both); without them these tests skip, saying why."""

import pytest

from .services import RABBITMQ, Stack, Unavailable, check_rabbitmq, check_services

# Redis database numbers of these tests' own (scripts/test.sh uses 15, the benchmark 13).
INPROCESS_REDIS_DB = 11
CELERY_REDIS_DB = 12
RABBITMQ_REDIS_DB = 10  # the channel layer of the RabbitMQ stack


def _services_or_skip():
    try:
        check_services()
    except Unavailable as exc:
        pytest.skip(str(exc))


@pytest.fixture(scope="session")
def inprocess_stack(tmp_path_factory):
    """The README's setup with Redis added: daphne drives live runs itself (in-process
    executor), events go through the Redis channel layer."""
    _services_or_skip()
    with Stack(tmp_path_factory.mktemp("inprocess"), "inprocess", INPROCESS_REDIS_DB) as stack:
        stack.server = stack.web()
        yield stack


@pytest.fixture(scope="session")
def celery_stack(tmp_path_factory):
    """The Procfile's setup: daphne answers, a Celery worker (with beat for the sweep) drives
    live runs over the Redis broker."""
    _services_or_skip()
    with Stack(tmp_path_factory.mktemp("celery"), "celery", CELERY_REDIS_DB) as stack:
        stack.server = stack.web()
        stack.celery = stack.worker()
        yield stack


@pytest.fixture(scope="session")
def default_stack(tmp_path_factory):
    """The README's run command: daphne on SQLite, no Redis, no worker; the server drives live
    runs and streams them through the in-memory channel layer."""
    with Stack(tmp_path_factory.mktemp("default"), "inprocess", None) as stack:
        stack.server = stack.web()
        yield stack


@pytest.fixture(scope="session")
def rabbitmq_stack(tmp_path_factory):
    """The Procfile's setup with RabbitMQ as the Celery broker (Redis still carries the channel
    layer and the cache)."""
    _services_or_skip()
    try:
        check_rabbitmq()
    except Unavailable as exc:
        pytest.skip(str(exc))
    with Stack(
        tmp_path_factory.mktemp("rabbitmq"), "celery", RABBITMQ_REDIS_DB, broker=RABBITMQ
    ) as stack:
        stack.server = stack.web()
        stack.celery = stack.worker()
        yield stack
