"""Live runs with RabbitMQ as the Celery broker (the Procfile's other production path): the same
answers as instant mode, and a worker killed mid-run loses and repeats nothing."""

import random
import signal
import time

import pytest

from . import client
from .cases import CASES, acceptable_states, final_states
from .test_live_conformance import play_all
from .test_live_faults import Watchers, check_runs, start_busy_runs

# Every sixth conformance case: all kinds of rule, skip, retry and pool, in a minute.
SAMPLE = CASES[::6]


@pytest.fixture(scope="module")
def rabbitmq_outcomes(rabbitmq_stack):
    return play_all(rabbitmq_stack, SAMPLE)


@pytest.mark.parametrize("case", SAMPLE, ids=[c["name"] for c in SAMPLE])
def test_a_worker_on_rabbitmq_ends_each_case_as_instant_mode(rabbitmq_outcomes, case):
    assert final_states(rabbitmq_outcomes[case["name"]]) in acceptable_states(case)


def test_killing_a_worker_on_rabbitmq_loses_and_repeats_nothing(rabbitmq_stack):
    from kombu import Connection

    stack = rabbitmq_stack
    rng = random.Random(5)
    started = start_busy_runs(stack, "rabbit")
    with Connection(stack.broker) as conn:  # the tries really go through RabbitMQ
        assert conn.default_channel.queue_declare(stack.db_name, passive=True).queue
    with Watchers(stack, stack.server, list(started)) as watchers:
        for _ in range(3):
            time.sleep(rng.uniform(1.0, 2.5))
            # Unacknowledged tasks go back to the queue when the worker's connection drops.
            stack.celery.restart(signal.SIGKILL)
        check_runs(stack, started)
    api = stack.api(stack.server)
    for run_id, watcher in watchers.result.items():
        assert watcher.events == client.logged_events(api, run_id)
    assert set(watchers.result) == set(watchers.run_ids)
