"""Endpoints about documents rather than stored rows: validate, export, import, layout."""

import json

import pytest

pytestmark = pytest.mark.django_db


# --- validate -----------------------------------------------------------------------------


def test_validate_accepts_a_good_document_and_saves_nothing(owner_api, umbrella_document):
    response = owner_api.post("/api/validate/", {"document": umbrella_document}, format="json")
    assert response.status_code == 200
    assert response.json() == {"valid": True, "errors": [], "warnings": []}
    from editor.models import Dag

    assert not Dag.objects.exists()


def test_validate_lists_every_error(owner_api, umbrella_document):
    umbrella_document["edges"] += [["deploy_model", "start"], ["start", "nowhere"]]
    body = owner_api.post("/api/validate/", {"document": umbrella_document}, format="json").json()
    assert body["valid"] is False
    codes = {e["code"] for e in body["errors"]}
    assert "cycle" in codes and len(body["errors"]) >= 2
    assert any("nowhere" in e["message"] for e in body["errors"])


def test_validate_checks_a_scenario_against_the_document(
    owner_api, umbrella_document, umbrella_scenarios
):
    good = owner_api.post(
        "/api/validate/",
        {"document": umbrella_document, "scenario": umbrella_scenarios["weather API down"]},
        format="json",
    ).json()
    assert good["valid"] is True
    bad = owner_api.post(
        "/api/validate/",
        {"document": umbrella_document, "scenario": {"outcomes": {"start": "failed"}}},
        format="json",
    ).json()
    assert bad["valid"] is False
    assert any(
        e["location"]["task_id"] == "start" or "start" in e["message"] for e in bad["errors"]
    )


def test_validate_refuses_a_document_that_is_not_an_object(owner_api):
    response = owner_api.post("/api/validate/", {"document": "dag"}, format="json")
    assert response.status_code == 400


def test_validate_needs_a_login(api, umbrella_document):
    assert (
        api.post("/api/validate/", {"document": umbrella_document}, format="json").status_code
        == 401
    )


# --- export -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "fmt, media_type, filename, starts_with",
    [
        ("airflow", "text/x-python", "umbrella.py", None),
        ("taskflow", "text/x-python", "umbrella.py", None),
        ("json", "application/json", "umbrella.json", b"{"),
        ("yaml", "application/yaml", "umbrella.yaml", None),
        ("dot", "text/vnd.graphviz", "umbrella.dot", None),
        ("svg", "image/svg+xml", "umbrella.svg", None),
        ("png", "image/png", "umbrella.png", b"\x89PNG"),
    ],
)
def test_export_downloads_the_dag_as_a_file(owner_api, dag, fmt, media_type, filename, starts_with):
    response = owner_api.get(f"/api/dags/{dag.pk}/export/", {"format": fmt})
    assert response.status_code == 200
    assert response["Content-Type"].startswith(media_type)
    assert response["Content-Disposition"] == f'attachment; filename="{filename}"'
    assert response.content
    if starts_with:
        assert response.content.startswith(starts_with)


def test_json_export_round_trips_the_document(owner_api, dag):
    response = owner_api.get(f"/api/dags/{dag.pk}/export/", {"format": "json"})
    exported = json.loads(response.content)
    assert exported["dag_id"] == "umbrella"
    assert {t["task_id"] for t in exported["tasks"]} == {
        t["task_id"] for t in dag.document["tasks"]
    }


def test_export_answers_whatever_the_client_accepts(owner_api, dag):
    response = owner_api.get(
        f"/api/dags/{dag.pk}/export/", {"format": "png"}, HTTP_ACCEPT="image/png"
    )
    assert response.status_code == 200 and response.content.startswith(b"\x89PNG")


def test_export_colours_tasks_with_a_runs_states(owner_api, dag):
    run = owner_api.post(
        f"/api/dags/{dag.pk}/runs/", {"scenario_name": "weather API down"}, format="json"
    ).json()
    plain = owner_api.get(f"/api/dags/{dag.pk}/export/", {"format": "dot"}).content
    coloured = owner_api.get(
        f"/api/dags/{dag.pk}/export/", {"format": "dot", "run": run["id"]}
    ).content

    def line_of(task_id, dot):
        return next(line for line in dot.decode().splitlines() if line.strip().startswith(task_id))

    # fetch_weather failed in that run: its node is drawn differently from the plain export.
    assert line_of("fetch_weather", plain) != line_of("fetch_weather", coloured)


def test_export_refuses_an_unknown_format(owner_api, dag):
    response = owner_api.get(f"/api/dags/{dag.pk}/export/", {"format": "docx"})
    assert response.status_code == 400
    assert response.json()["errors"][0]["location"]["path"] == "format"


def test_export_refuses_a_run_of_another_dag(owner_api, dag, owner):
    from editor import dags

    other = dags.create_dag(owner, dict(dag.document, dag_id="other"), {}, dag.scenarios)
    run = owner_api.post(
        f"/api/dags/{other.pk}/runs/", {"scenario_name": "new ERP system"}, format="json"
    ).json()
    response = owner_api.get(f"/api/dags/{dag.pk}/export/", {"format": "svg", "run": run["id"]})
    assert response.status_code == 404


# --- layout -------------------------------------------------------------------------------


def test_layout_places_every_task_left_to_right(owner_api, umbrella_document):
    response = owner_api.post("/api/layout/", {"document": umbrella_document}, format="json")
    assert response.status_code == 200
    positions = response.json()["positions"]
    assert set(positions) == {t["task_id"] for t in umbrella_document["tasks"]}
    assert positions["start"]["x"] < positions["deploy_model"]["x"]


def test_layout_refuses_an_invalid_document(owner_api, umbrella_document):
    umbrella_document["edges"].append(["deploy_model", "start"])
    response = owner_api.post("/api/layout/", {"document": umbrella_document}, format="json")
    assert response.status_code == 400
    assert "cycle" in {e["code"] for e in response.json()["errors"]}


# --- import -------------------------------------------------------------------------------


def upload(name, content):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, content)


def test_import_reads_an_exported_airflow_file_back(owner_api, dag):
    exported = owner_api.get(f"/api/dags/{dag.pk}/export/", {"format": "airflow"}).content
    response = owner_api.post(
        "/api/import/", {"file": upload("umbrella.py", exported)}, format="multipart"
    )
    assert response.status_code == 200, response.json()
    document = response.json()["document"]
    assert document["dag_id"] == "umbrella"
    assert {t["task_id"] for t in document["tasks"]} == {
        t["task_id"] for t in dag.document["tasks"]
    }
    assert {tuple(e) for e in document["edges"]} == {tuple(e) for e in dag.document["edges"]}
    assert isinstance(response.json()["warnings"], list)


def test_import_reads_a_json_document(owner_api, umbrella_document):
    content = json.dumps(umbrella_document).encode()
    response = owner_api.post(
        "/api/import/", {"file": upload("u.json", content)}, format="multipart"
    )
    assert response.status_code == 200
    assert response.json()["document"]["dag_id"] == "umbrella"


def test_import_never_runs_the_file(owner_api, tmp_path):
    marker = tmp_path / "ran"
    source = f"open({str(marker)!r}, 'w').write('x')\n".encode()
    response = owner_api.post(
        "/api/import/", {"file": upload("evil.py", source)}, format="multipart"
    )
    assert response.status_code == 400
    assert not marker.exists()


def test_import_refuses_an_unsupported_file_saying_which_are_supported(owner_api):
    response = owner_api.post(
        "/api/import/", {"file": upload("notes.docx", b"hello")}, format="multipart"
    )
    assert response.status_code == 400
    [error] = response.json()["errors"]
    assert ".py" in error["message"]


def test_import_needs_a_file(owner_api):
    response = owner_api.post("/api/import/", {}, format="multipart")
    assert response.status_code == 400
    assert response.json()["errors"][0]["location"]["path"] == "file"
