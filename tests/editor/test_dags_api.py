"""The DAG endpoints: /api/dags/ and its actions."""

import pytest

from editor.models import Dag

pytestmark = pytest.mark.django_db

URL = "/api/dags/"


def detail(dag):
    return f"{URL}{dag.pk}/"


def problem_codes(response):
    return [p["code"] for p in response.json()["errors"]]


# --- create -------------------------------------------------------------------------------


def test_it_creates_a_dag_owned_by_the_caller(owner_api, owner, umbrella_document):
    response = owner_api.post(URL, {"document": umbrella_document}, format="json")
    assert response.status_code == 201
    body = response.json()
    assert body["dag_id"] == "umbrella"
    assert body["version"] == 1
    assert body["document"] == umbrella_document
    assert body["layout"] == {} and body["scenarios"] == {}
    assert response["ETag"] == '"1"'
    assert Dag.objects.get(pk=body["id"]).owner == owner


def test_it_keeps_layout_and_scenarios_beside_the_document(
    owner_api, umbrella_document, umbrella_scenarios
):
    layout = {"positions": {"start": {"x": 0, "y": 10}}, "notes": "hello"}
    response = owner_api.post(
        URL,
        {"document": umbrella_document, "layout": layout, "scenarios": umbrella_scenarios},
        format="json",
    )
    assert response.status_code == 201
    assert response.json()["layout"] == layout
    assert response.json()["scenarios"] == umbrella_scenarios


def test_it_refuses_a_cycle_with_the_engines_problem_and_saves_nothing(
    owner_api, umbrella_document
):
    umbrella_document["edges"].append(["deploy_model", "start"])
    response = owner_api.post(URL, {"document": umbrella_document}, format="json")
    assert response.status_code == 400
    errors = response.json()["errors"]
    cycle = [e for e in errors if e["code"] == "cycle"]
    assert cycle and cycle[0]["severity"] == "error"
    assert set(cycle[0]) == {"code", "severity", "message", "location", "data"}
    assert Dag.objects.count() == 0


def test_it_lists_every_error_at_once(owner_api, umbrella_document):
    umbrella_document["tasks"][0]["trigger_rule"] = "all_sucess"
    umbrella_document["tasks"][1]["task_id"] = "bad id!"
    response = owner_api.post(URL, {"document": umbrella_document}, format="json")
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert len(errors) >= 2
    assert any("all_sucess" in e["message"] for e in errors)
    assert any(e["location"]["task_id"] == "bad id!" or "bad id!" in e["message"] for e in errors)
    assert Dag.objects.count() == 0


def test_it_refuses_a_document_that_is_not_an_object(owner_api):
    response = owner_api.post(URL, {"document": [1, 2]}, format="json")
    assert response.status_code == 400
    assert problem_codes(response) == ["not_an_object"]


def test_it_refuses_a_missing_document_naming_the_field(owner_api):
    response = owner_api.post(URL, {}, format="json")
    assert response.status_code == 400
    [error] = response.json()["errors"]
    assert error["location"]["path"] == "document"
    assert error["code"] == "required"


def test_it_refuses_a_second_dag_with_the_same_dag_id(owner_api, dag, umbrella_document):
    response = owner_api.post(URL, {"document": umbrella_document}, format="json")
    assert response.status_code == 400
    assert problem_codes(response) == ["dag_id_taken"]
    assert Dag.objects.count() == 1


def test_two_users_may_use_the_same_dag_id(stranger_api, dag, umbrella_document):
    response = stranger_api.post(URL, {"document": umbrella_document}, format="json")
    assert response.status_code == 201


def test_it_refuses_layout_that_is_not_an_object(owner_api, umbrella_document):
    response = owner_api.post(URL, {"document": umbrella_document, "layout": []}, format="json")
    assert response.status_code == 400
    assert response.json()["errors"][0]["location"]["path"] == "layout"


# --- read and list ------------------------------------------------------------------------


def test_it_reads_a_dag_with_its_version_as_etag(owner_api, dag):
    response = owner_api.get(detail(dag))
    assert response.status_code == 200
    assert response.json()["dag_id"] == "umbrella"
    assert response.json()["scenarios"] == dag.scenarios
    assert response["ETag"] == '"1"'


def test_it_lists_only_the_callers_dags_as_summaries(owner_api, stranger_api, dag):
    stranger_doc = dict(dag.document, dag_id="strangers_dag")
    assert stranger_api.post(URL, {"document": stranger_doc}, format="json").status_code == 201
    body = owner_api.get(URL).json()
    assert body["count"] == 1
    [summary] = body["results"]
    assert summary == {
        "id": dag.pk,
        "dag_id": "umbrella",
        "version": 1,
        "task_count": len(dag.document["tasks"]),
        "created_at": summary["created_at"],
        "updated_at": summary["updated_at"],
    }


def test_the_list_is_paginated(owner_api, owner, umbrella_document):
    from editor import dags

    for n in range(5):
        dags.create_dag(owner, dict(umbrella_document, dag_id=f"dag_{n}"))
    first = owner_api.get(URL, {"page_size": 2}).json()
    assert first["count"] == 5
    assert [d["dag_id"] for d in first["results"]] == ["dag_0", "dag_1"]
    assert first["previous"] is None and first["next"]
    last = owner_api.get(URL, {"page_size": 2, "page": 3}).json()
    assert [d["dag_id"] for d in last["results"]] == ["dag_4"]
    assert last["next"] is None


# --- update -------------------------------------------------------------------------------


def test_it_updates_with_the_version_in_the_body_and_bumps_it(owner_api, dag):
    document = dict(dag.document, schedule="@hourly")
    response = owner_api.put(detail(dag), {"document": document, "version": 1}, format="json")
    assert response.status_code == 200
    assert response.json()["version"] == 2
    assert response["ETag"] == '"2"'
    dag.refresh_from_db()
    assert dag.document["schedule"] == "@hourly" and dag.version == 2


def test_it_updates_with_if_match(owner_api, dag):
    layout = {"positions": {"start": {"x": 1.5, "y": 2}}}
    response = owner_api.patch(detail(dag), {"layout": layout}, format="json", HTTP_IF_MATCH='"1"')
    assert response.status_code == 200
    dag.refresh_from_db()
    assert dag.layout == layout and dag.version == 2
    assert dag.document["dag_id"] == "umbrella"


def test_a_stale_version_gets_412_and_changes_nothing(owner_api, dag):
    first = dict(dag.document, schedule="@hourly")
    assert (
        owner_api.put(detail(dag), {"document": first, "version": 1}, format="json").status_code
        == 200
    )
    second = dict(dag.document, schedule="@weekly")
    response = owner_api.put(detail(dag), {"document": second, "version": 1}, format="json")
    assert response.status_code == 412
    assert response.json()["current_version"] == 2
    assert "version" in response.json()["detail"]
    dag.refresh_from_db()
    assert dag.document["schedule"] == "@hourly" and dag.version == 2


def test_a_stale_if_match_gets_412(owner_api, dag):
    response = owner_api.patch(detail(dag), {"scenarios": {}}, format="json", HTTP_IF_MATCH='"7"')
    assert response.status_code == 412
    assert response.json()["current_version"] == 1


def test_an_update_without_any_version_gets_428(owner_api, dag):
    response = owner_api.patch(detail(dag), {"scenarios": {}}, format="json")
    assert response.status_code == 428
    dag.refresh_from_db()
    assert dag.scenarios != {}


def test_a_body_version_and_if_match_that_disagree_are_refused(owner_api, dag):
    response = owner_api.patch(
        detail(dag), {"scenarios": {}, "version": 1}, format="json", HTTP_IF_MATCH='"2"'
    )
    assert response.status_code == 400


def test_an_invalid_document_update_gets_400_and_changes_nothing(owner_api, dag):
    document = dict(dag.document, edges=dag.document["edges"] + [["deploy_model", "start"]])
    response = owner_api.put(detail(dag), {"document": document, "version": 1}, format="json")
    assert response.status_code == 400
    assert "cycle" in problem_codes(response)
    dag.refresh_from_db()
    assert dag.version == 1 and ["deploy_model", "start"] not in dag.document["edges"]


def test_renaming_through_the_document_renames_the_dag(owner_api, dag):
    document = dict(dag.document, dag_id="umbrella_v2")
    response = owner_api.patch(detail(dag), {"document": document, "version": 1}, format="json")
    assert response.status_code == 200
    assert response.json()["dag_id"] == "umbrella_v2"


def test_it_refuses_a_rename_onto_another_of_the_users_dags(owner_api, owner, dag):
    from editor import dags

    dags.create_dag(owner, dict(dag.document, dag_id="taken"))
    document = dict(dag.document, dag_id="taken")
    response = owner_api.patch(detail(dag), {"document": document, "version": 1}, format="json")
    assert response.status_code == 400
    assert problem_codes(response) == ["dag_id_taken"]


# --- delete and duplicate -----------------------------------------------------------------


def test_it_deletes_a_dag(owner_api, dag):
    assert owner_api.delete(detail(dag)).status_code == 204
    assert not Dag.objects.filter(pk=dag.pk).exists()


def test_it_duplicates_a_dag_under_a_free_name(owner_api, dag):
    response = owner_api.post(f"{detail(dag)}duplicate/", {}, format="json")
    assert response.status_code == 201
    copy = response.json()
    assert copy["dag_id"] == "umbrella_copy" and copy["id"] != dag.pk
    assert copy["document"]["dag_id"] == "umbrella_copy"
    assert copy["scenarios"] == dag.scenarios and copy["version"] == 1
    again = owner_api.post(f"{detail(dag)}duplicate/", {}, format="json")
    assert again.json()["dag_id"] == "umbrella_copy_2"


def test_it_duplicates_a_dag_under_a_given_name(owner_api, dag):
    response = owner_api.post(f"{detail(dag)}duplicate/", {"dag_id": "rain"}, format="json")
    assert response.status_code == 201
    assert response.json()["dag_id"] == "rain"


def test_it_refuses_a_duplicate_with_an_invalid_name(owner_api, dag):
    response = owner_api.post(f"{detail(dag)}duplicate/", {"dag_id": "no spaces"}, format="json")
    assert response.status_code == 400
    assert Dag.objects.count() == 1


# --- who may see what ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "method, suffix, body",
    [
        ("get", "", None),
        ("put", "", {"document": {}, "version": 1}),
        ("patch", "", {"layout": {}, "version": 1}),
        ("delete", "", None),
        ("post", "duplicate/", {}),
        ("get", "runs/", None),
        ("post", "runs/", {"mode": "instant"}),
        ("get", "export/?format=json", None),
    ],
)
def test_a_stranger_gets_404_for_someone_elses_dag(stranger_api, dag, method, suffix, body):
    response = getattr(stranger_api, method)(f"{detail(dag)}{suffix}", body, format="json")
    assert response.status_code == 404
    dag.refresh_from_db()
    assert dag.version == 1


def test_an_anonymous_client_gets_401(api, dag):
    assert api.get(URL).status_code == 401
    assert api.get(detail(dag)).status_code == 401
    assert api.post(URL, {"document": dag.document}, format="json").status_code == 401


def test_a_token_authenticates_a_script(api, owner_token, dag):
    api.credentials(HTTP_AUTHORIZATION=f"Token {owner_token}")
    assert api.get(URL).json()["count"] == 1


def test_a_wrong_token_gets_401(api, dag):
    api.credentials(HTTP_AUTHORIZATION="Token not-a-real-token")
    assert api.get(URL).status_code == 401
