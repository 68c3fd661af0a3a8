"""Runs through the API: start (instant, live), read, task instances, events, cancel."""

import pytest

from editor.models import Run, RunEvent, TaskInstance

pytestmark = pytest.mark.django_db


def start(client, dag, **body):
    """Start a run; by default the umbrella's "new ERP system" scenario (its branch task needs
    an outcome)."""
    if "scenario" not in body and "scenario_name" not in body:
        body["scenario_name"] = "new ERP system"
    return client.post(f"/api/dags/{dag.pk}/runs/", body, format="json")


def test_an_instant_run_answers_201_with_the_engines_whole_result(owner_api, dag):
    response = start(owner_api, dag, scenario=dag.scenarios["weather API down"], mode="instant")
    assert response.status_code == 201
    run = response.json()
    assert run["mode"] == "instant" and run["state"] == "failed"
    result = run["result"]
    assert result["run_state"] == "failed"
    assert result["states"]["fetch_weather"] == "failed"
    assert result["states"]["clean_weather"] == "upstream_failed"
    assert result["states"]["fetch_sales_new"] == "skipped"
    assert {"tries", "events", "reasons", "critical_path", "makespan_s"} <= set(result)
    assert run["started_at"] and run["ended_at"]


def test_an_instant_run_saves_its_task_instances(owner_api, dag):
    run_id = start(owner_api, dag, scenario=dag.scenarios["weather API down"]).json()["id"]
    response = owner_api.get(f"/api/runs/{run_id}/task-instances/")
    assert response.status_code == 200
    instances = {ti["task_id"]: ti for ti in response.json()}
    assert set(instances) == {t["task_id"] for t in dag.document["tasks"]}
    weather = instances["fetch_weather"]
    # fetch_weather has one retry, so a task that always fails uses two tries.
    assert weather["state"] == "failed" and weather["try_number"] == 2
    assert weather["end"] > weather["start"] >= 0
    assert "fetch_weather" in instances["clean_weather"]["reason"]


def test_an_instant_run_logs_every_transition_with_seq_from_1_without_gaps(owner_api, dag):
    run = start(owner_api, dag, scenario=dag.scenarios["new ERP system"]).json()
    events = owner_api.get(f"/api/runs/{run['id']}/events/", {"page_size": 500}).json()
    seqs = [e["seq"] for e in events["results"]]
    assert seqs == list(range(1, events["count"] + 1))
    assert run["last_seq"] == events["count"]
    first, last = events["results"][0], events["results"][-1]
    assert (first["task_id"], first["from_state"], first["to_state"]) == (None, "queued", "running")
    assert (last["task_id"], last["from_state"], last["to_state"]) == (None, "running", "success")
    task_events = [e for e in events["results"] if e["task_id"]]
    assert len(task_events) == len(run["result"]["events"])
    assert set(events["results"][1]) == {
        "run",
        "seq",
        "task_id",
        "try_number",
        "from_state",
        "to_state",
        "reason",
        "sim_time",
        "wall_time",
    }


def test_events_after_a_seq_are_only_the_newer_ones(owner_api, dag):
    run = start(owner_api, dag).json()
    response = owner_api.get(f"/api/runs/{run['id']}/events/", {"after": 5, "page_size": 3})
    body = response.json()
    assert [e["seq"] for e in body["results"]] == [6, 7, 8]
    assert body["count"] == run["last_seq"] - 5
    assert body["next"]


def test_events_refuse_a_bad_after(owner_api, dag):
    run = start(owner_api, dag).json()
    assert owner_api.get(f"/api/runs/{run['id']}/events/", {"after": "x"}).status_code == 400


def test_a_run_keeps_the_document_and_scenario_it_ran(owner_api, dag):
    run_id = start(owner_api, dag, scenario_name="weather API down").json()["id"]
    owner_api.patch(
        f"/api/dags/{dag.pk}/",
        {"document": dict(dag.document, schedule="@hourly"), "version": 1},
        format="json",
    )
    run = Run.objects.get(pk=run_id)
    assert run.document["schedule"] == "@daily"
    assert run.scenario == dag.scenarios["weather API down"]
    assert run.scenario_name == "weather API down"


def test_a_run_without_a_scenario_lets_every_task_succeed(owner_api, owner):
    from editor import dags

    document = {
        "format": "dagsim/1",
        "dag_id": "plain",
        "tasks": [{"task_id": "a", "operator": "python"}, {"task_id": "b", "operator": "python"}],
        "edges": [["a", "b"]],
    }
    plain = dags.create_dag(owner, document)
    response = owner_api.post(f"/api/dags/{plain.pk}/runs/", {}, format="json")
    assert response.status_code == 201
    run = response.json()
    assert run["mode"] == "instant" and run["scenario"] == {}
    assert run["result"]["states"] == {"a": "success", "b": "success"}


def test_a_branch_without_its_outcome_is_refused_naming_the_task(owner_api, dag):
    response = owner_api.post(f"/api/dags/{dag.pk}/runs/", {"scenario": {}}, format="json")
    assert response.status_code == 400
    assert any("pick_erp_system" in e["message"] for e in response.json()["errors"])


def test_an_unknown_saved_scenario_is_refused(owner_api, dag):
    response = start(owner_api, dag, scenario_name="sunny")
    assert response.status_code == 400
    assert "sunny" in response.json()["errors"][0]["message"]
    assert not Run.objects.exists()


def test_a_scenario_naming_an_unknown_task_is_refused_with_the_engines_errors(owner_api, dag):
    scenario = {"outcomes": {"fetch_wether": "failed"}}
    response = start(owner_api, dag, scenario=scenario)
    assert response.status_code == 400
    assert any("fetch_wether" in e["message"] for e in response.json()["errors"])
    assert not Run.objects.exists() and not RunEvent.objects.exists()


def test_a_scenario_that_is_not_an_object_is_refused(owner_api, dag):
    response = start(owner_api, dag, scenario=["failed"])
    assert response.status_code == 400
    assert response.json()["errors"][0]["location"]["path"] == "scenario"


def test_a_live_run_answers_202_queued_with_every_task_waiting(owner_api, dag):
    response = start(owner_api, dag, mode="live", speed=10, scenario_name="new ERP system")
    assert response.status_code == 202
    run = response.json()
    assert run["mode"] == "live" and run["state"] == "queued" and run["speed"] == 10
    assert run["result"] is None
    states = set(TaskInstance.objects.filter(run_id=run["id"]).values_list("state", flat=True))
    assert states == {"none"}


def test_a_speed_out_of_range_is_refused(owner_api, dag):
    assert start(owner_api, dag, mode="live", speed=0).status_code == 400


def test_runs_are_listed_per_dag_newest_first(owner_api, dag, owner):
    from editor import dags

    other = dags.create_dag(owner, dict(dag.document, dag_id="other"), {}, dag.scenarios)
    first = start(owner_api, dag).json()["id"]
    second = start(owner_api, dag).json()["id"]
    start(owner_api, other)
    listed = owner_api.get("/api/runs/", {"dag": dag.pk}).json()
    assert [r["id"] for r in listed["results"]] == [second, first]
    assert "result" not in listed["results"][0]
    assert owner_api.get("/api/runs/").json()["count"] == 3
    nested = owner_api.get(f"/api/dags/{dag.pk}/runs/").json()
    assert [r["id"] for r in nested["results"]] == [second, first]


def test_a_run_reads_with_its_result(owner_api, dag):
    run = start(owner_api, dag, scenario_name="new ERP system").json()
    response = owner_api.get(f"/api/runs/{run['id']}/")
    assert response.status_code == 200
    assert response.json()["result"] == run["result"]
    assert response.json()["dag"] == dag.pk


def test_cancelling_a_live_run_skips_its_waiting_tasks(owner_api, dag):
    run = start(owner_api, dag, mode="live").json()
    response = owner_api.post(f"/api/runs/{run['id']}/cancel/")
    assert response.status_code == 200
    assert response.json()["state"] == "cancelled" and response.json()["ended_at"]
    states = set(TaskInstance.objects.filter(run_id=run["id"]).values_list("state", flat=True))
    assert states == {"skipped"}


def test_cancelling_a_finished_run_changes_nothing(owner_api, dag):
    run = start(owner_api, dag).json()
    response = owner_api.post(f"/api/runs/{run['id']}/cancel/")
    assert response.status_code == 200
    assert response.json()["state"] == run["state"]
    assert response.json()["last_seq"] == run["last_seq"]


def test_deleting_a_dag_deletes_its_runs(owner_api, dag):
    start(owner_api, dag)
    owner_api.delete(f"/api/dags/{dag.pk}/")
    assert not Run.objects.exists() and not RunEvent.objects.exists()


@pytest.mark.parametrize(
    "method, suffix",
    [("get", ""), ("get", "task-instances/"), ("get", "events/"), ("post", "cancel/")],
)
def test_a_stranger_gets_404_for_someone_elses_run(owner_api, stranger_api, dag, method, suffix):
    run = start(owner_api, dag, mode="live").json()
    response = getattr(stranger_api, method)(f"/api/runs/{run['id']}/{suffix}")
    assert response.status_code == 404
    assert Run.objects.get(pk=run["id"]).state == "queued"


def test_a_stranger_lists_no_runs(owner_api, stranger_api, dag):
    start(owner_api, dag)
    assert stranger_api.get("/api/runs/").json()["count"] == 0
    assert stranger_api.get("/api/runs/", {"dag": dag.pk}).json()["count"] == 0
