"""The local account command that scripts/run.sh uses, and the admin pages."""

import json
from io import StringIO

import pytest
from django.contrib.auth import authenticate
from django.core.management import call_command

pytestmark = pytest.mark.django_db


def local_account(path):
    out = StringIO()
    call_command("local_account", credentials_file=str(path), stdout=out)
    return out.getvalue()


def test_the_local_account_is_made_and_its_password_printed(tmp_path):
    output = local_account(tmp_path / "credentials.json")
    password = json.loads((tmp_path / "credentials.json").read_text())["password"]
    assert f"username: dagsim  password: {password}" in output
    assert authenticate(username="dagsim", password=password) is not None


def test_a_second_start_prints_the_same_working_password(tmp_path):
    first = local_account(tmp_path / "credentials.json")
    assert local_account(tmp_path / "credentials.json") == first


def test_a_lost_credentials_file_gets_a_new_password_that_works(tmp_path):
    local_account(tmp_path / "credentials.json")
    (tmp_path / "credentials.json").unlink()
    local_account(tmp_path / "credentials.json")
    password = json.loads((tmp_path / "credentials.json").read_text())["password"]
    assert authenticate(username="dagsim", password=password) is not None


def test_the_credentials_file_is_readable_by_its_owner_only(tmp_path):
    local_account(tmp_path / "credentials.json")
    assert (tmp_path / "credentials.json").stat().st_mode & 0o777 == 0o600


def test_the_admin_shows_dags_runs_and_events(admin_client, dag):
    from editor import runs

    run = runs.start_run(dag, dag.scenarios["new ERP system"])
    for url in [
        "/admin/editor/dag/",
        f"/admin/editor/dag/{dag.pk}/change/",
        "/admin/editor/run/",
        f"/admin/editor/run/{run.pk}/change/",
        "/admin/editor/runevent/",
    ]:
        assert admin_client.get(url).status_code == 200, url


def test_the_admin_cannot_change_the_event_log(admin_client, dag):
    from editor import runs

    event = runs.start_run(dag, dag.scenarios["new ERP system"]).events.first()
    response = admin_client.post(f"/admin/editor/runevent/{event.pk}/change/", {"to_state": "x"})
    assert response.status_code == 403
