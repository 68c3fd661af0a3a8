"""Property-based requests over the whole OpenAPI schema (schemathesis), as a signed-in owner:
no answer may be a server error, and every answer must match what the schema promises."""

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from rest_framework.authtoken.models import Token
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)

from config.wsgi import application
from editor import dags, runs

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]

# Served by the app itself, as a client would fetch it (the schema endpoint needs no login).
schema = schemathesis.openapi.from_wsgi("/api/schema/", application)


@pytest.fixture
def shared_connection():
    """Keep the test's database connection open across requests, as Django's test client does:
    the plain WSGI app closes it after every request, which would end the test's transaction on
    PostgreSQL."""
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def owner_token(db, shared_connection, django_user_model, umbrella_document, umbrella_scenarios):
    owner = django_user_model.objects.create_user("alice", password="alice-password-1")
    # Objects with small ids, so generated ids sometimes hit real rows.
    dag = dags.create_dag(owner, umbrella_document, {}, umbrella_scenarios)
    runs.start_run(dag, umbrella_scenarios["weather API down"])
    runs.start_run(dag, umbrella_scenarios["new ERP system"], mode="live")
    return Token.objects.create(user=owner).key


@schema.parametrize()
@settings(
    max_examples=8,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_the_api_answers_every_generated_request_as_its_schema_says(case, owner_token):
    case.call_and_validate(headers={"Authorization": f"Token {owner_token}"}, checks=CHECKS)
