"""Guards against abusive clients: request size, throttling, CSRF for browser sessions."""

import json

import pytest
from rest_framework.test import APIClient

pytestmark = pytest.mark.django_db


def test_an_oversized_body_gets_a_clear_413_and_nothing_is_saved(owner_api, settings):
    settings.MAX_REQUEST_BYTES = 1000
    document = {"format": "dagsim/1", "dag_id": "big", "tasks": [], "edges": [], "pad": "x" * 2000}
    response = owner_api.post("/api/dags/", {"document": document}, format="json")
    assert response.status_code == 413
    body = response.json()
    assert body["limit_bytes"] == 1000
    assert "too large" in body["detail"]
    from editor.models import Dag

    assert not Dag.objects.exists()


def test_a_body_within_the_limit_is_accepted(owner_api, settings, umbrella_document):
    settings.MAX_REQUEST_BYTES = len(json.dumps({"document": umbrella_document})) + 100
    response = owner_api.post("/api/dags/", {"document": umbrella_document}, format="json")
    assert response.status_code == 201


def test_an_oversized_upload_gets_413(owner_api, settings):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.MAX_REQUEST_BYTES = 500
    upload = SimpleUploadedFile("big.py", b"#" * 5000)
    response = owner_api.post("/api/import/", {"file": upload}, format="multipart")
    assert response.status_code == 413


def test_a_client_over_its_rate_gets_429(owner_api, settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"anon": "2/minute", "user": "3/minute"},
    }
    codes = [owner_api.get("/api/dags/").status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]


def test_anonymous_clients_of_public_endpoints_are_throttled(api, settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"anon": "2/minute", "user": "3/minute"},
    }
    codes = [api.get("/api/schema/").status_code for _ in range(3)]
    assert codes == [200, 200, 429]


def test_a_browser_session_needs_the_csrf_token_to_write(owner, umbrella_document):
    browser = APIClient(enforce_csrf_checks=True)
    browser.force_login(owner)
    refused = browser.post("/api/dags/", {"document": umbrella_document}, format="json")
    assert refused.status_code == 403
    assert "CSRF" in refused.json()["detail"]
    page = browser.get("/")  # any page sets the csrftoken cookie
    assert page.status_code == 200
    token = browser.cookies["csrftoken"].value
    accepted = browser.post(
        "/api/dags/", {"document": umbrella_document}, format="json", HTTP_X_CSRFTOKEN=token
    )
    assert accepted.status_code == 201


@pytest.mark.parametrize("depth", [100, 100_000])
def test_a_body_nested_too_deeply_gets_400_not_a_crash(owner_api, depth):
    body = '{"document": ' + "[" * depth + "]" * depth + "}"
    response = owner_api.generic("POST", "/api/validate/", body, content_type="application/json")
    assert response.status_code == 400
    assert "nested deeper than 64 levels" in response.json()["errors"][0]["message"]


def test_a_body_that_is_not_json_gets_400(owner_api):
    response = owner_api.generic("POST", "/api/dags/", "{nope", content_type="application/json")
    assert response.status_code == 400
    assert "JSON parse error" in response.json()["errors"][0]["message"]
