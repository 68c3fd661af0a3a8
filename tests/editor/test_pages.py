"""The server-rendered pages: login, the DAG list and its forms, the editor, the API token."""

import json

import pytest
from django.urls import reverse
from rest_framework.authtoken.models import Token

from editor.models import Dag

pytestmark = pytest.mark.django_db


@pytest.fixture
def owner_browser(client, owner):
    client.force_login(owner)
    return client


@pytest.fixture
def stranger_browser(client, stranger):
    client.force_login(stranger)
    return client


@pytest.fixture
def manifest(tmp_path, settings):
    """A Vite manifest as `npm run build` writes it: an entry with CSS and a shared chunk."""
    path = tmp_path / "manifest.json"
    path.write_text(
        json.dumps(
            {
                "src/main.tsx": {
                    "file": "assets/main-abc123.js",
                    "src": "src/main.tsx",
                    "isEntry": True,
                    "imports": ["_vendor-def456.js"],
                    "css": ["assets/main-0a1b2c.css"],
                },
                "_vendor-def456.js": {
                    "file": "assets/vendor-def456.js",
                    "css": ["assets/vendor-9f8e7d.css"],
                },
            }
        )
    )
    settings.VITE_MANIFEST = path
    return path


def test_the_list_sends_anonymous_visitors_to_login(client):
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_a_user_logs_in_with_a_password(client, owner):
    page = client.get(reverse("login"))
    assert page.status_code == 200 and b"Log in" in page.content
    response = client.post(reverse("login"), {"username": "alice", "password": "alice-password-1"})
    assert response.status_code == 302 and response["Location"] == reverse("dag-list")


def test_a_wrong_password_is_refused_with_a_message(client, owner):
    response = client.post(reverse("login"), {"username": "alice", "password": "nope"})
    assert response.status_code == 200
    assert b"didn't match" in response.content


def test_logging_out_ends_the_session(owner_browser):
    assert owner_browser.post(reverse("logout")).status_code == 302
    assert owner_browser.get("/").status_code == 302


def test_an_empty_list_offers_the_umbrella_example(owner_browser):
    response = owner_browser.get("/")
    assert response.status_code == 200
    assert b"No DAGs yet" in response.content
    assert b"New DAG from the umbrella example" in response.content


def test_the_list_shows_only_the_users_dags(owner_browser, dag, stranger):
    from editor import dags

    dags.create_dag(stranger, dict(dag.document, dag_id="strangers_secret"))
    response = owner_browser.get("/")
    assert b"umbrella" in response.content
    assert b"strangers_secret" not in response.content


def test_creating_from_the_umbrella_example_opens_the_editor(owner_browser, owner):
    response = owner_browser.post(reverse("dag-create"), {"example": "umbrella"})
    dag = Dag.objects.get(owner=owner)
    assert response.status_code == 302 and response["Location"] == reverse(
        "dag-editor", args=[dag.pk]
    )
    assert dag.dag_id == "umbrella"
    assert "weather API down" in dag.scenarios


def test_creating_twice_from_an_example_picks_a_free_name(owner_browser, owner):
    owner_browser.post(reverse("dag-create"), {"example": "umbrella"})
    owner_browser.post(reverse("dag-create"), {"example": "umbrella"})
    assert sorted(owner.dags.values_list("dag_id", flat=True)) == ["umbrella", "umbrella_2"]


def test_creating_a_blank_dag_with_a_name(owner_browser, owner):
    owner_browser.post(reverse("dag-create"), {"example": "blank", "dag_id": "etl"})
    dag = owner.dags.get()
    assert dag.dag_id == "etl" and dag.task_count == 1


def test_an_invalid_name_is_explained_and_nothing_is_created(owner_browser, owner):
    response = owner_browser.post(
        reverse("dag-create"), {"example": "blank", "dag_id": "no spaces please"}, follow=True
    )
    assert not owner.dags.exists()
    assert b"notice-error" in response.content


def test_renaming_from_the_list(owner_browser, dag):
    response = owner_browser.post(reverse("dag-rename", args=[dag.pk]), {"dag_id": "rainy"})
    assert response.status_code == 302
    dag.refresh_from_db()
    assert dag.dag_id == "rainy" and dag.document["dag_id"] == "rainy" and dag.version == 2


def test_duplicating_from_the_list(owner_browser, dag, owner):
    owner_browser.post(reverse("dag-duplicate", args=[dag.pk]))
    assert sorted(owner.dags.values_list("dag_id", flat=True)) == ["umbrella", "umbrella_copy"]


def test_deleting_from_the_list(owner_browser, dag):
    owner_browser.post(reverse("dag-delete", args=[dag.pk]))
    assert not Dag.objects.exists()


def test_list_actions_need_post(owner_browser, dag):
    assert owner_browser.get(reverse("dag-delete", args=[dag.pk])).status_code == 405
    assert Dag.objects.exists()


@pytest.mark.parametrize("name", ["dag-editor", "dag-rename", "dag-duplicate", "dag-delete"])
def test_a_stranger_gets_404_for_pages_of_someone_elses_dag(stranger_browser, dag, name):
    method = stranger_browser.get if name == "dag-editor" else stranger_browser.post
    assert method(reverse(name, args=[dag.pk]), {"dag_id": "stolen"}).status_code == 404
    dag.refresh_from_db()
    assert dag.dag_id == "umbrella"


def test_the_editor_page_loads_the_bundle_through_the_manifest(owner_browser, dag, manifest):
    response = owner_browser.get(reverse("dag-editor", args=[dag.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    assert f'<div id="app" data-dag-id="{dag.pk}"' in html
    assert '<script type="module" src="/static/dist/assets/main-abc123.js"></script>' in html
    assert '<link rel="stylesheet" href="/static/dist/assets/main-0a1b2c.css">' in html
    assert '<link rel="stylesheet" href="/static/dist/assets/vendor-9f8e7d.css">' in html
    assert '<link rel="modulepreload" href="/static/dist/assets/vendor-def456.js">' in html


def test_the_editor_page_carries_what_the_front_end_needs(owner_browser, dag, manifest):
    response = owner_browser.get(reverse("dag-editor", args=[dag.pk]))
    html = response.content.decode()
    start = html.index('<script id="dagsim-bootstrap" type="application/json">') + len(
        '<script id="dagsim-bootstrap" type="application/json">'
    )
    bootstrap = json.loads(html[start : html.index("</script>", start)])
    assert bootstrap["dagId"] == dag.pk
    assert bootstrap["username"] == "alice"
    assert bootstrap["apiBase"] == "/api/" and bootstrap["wsBase"] == "/ws/"
    assert bootstrap["csrfToken"]


def test_the_editor_page_says_when_the_front_end_is_not_built(
    owner_browser, dag, settings, tmp_path
):
    settings.VITE_MANIFEST = tmp_path / "missing.json"
    response = owner_browser.get(reverse("dag-editor", args=[dag.pk]))
    assert response.status_code == 200
    assert b"The front end is not built" in response.content


def test_the_token_page_shows_a_token_and_can_replace_it(owner_browser, owner):
    response = owner_browser.get(reverse("api-token"))
    first = Token.objects.get(user=owner).key
    assert first.encode() in response.content
    owner_browser.post(reverse("api-token"))
    owner_browser.get(reverse("api-token"))
    assert Token.objects.get(user=owner).key != first


def test_the_api_docs_page_is_served(owner_browser):
    response = owner_browser.get(reverse("api-docs"))
    assert response.status_code == 200
    assert b"swagger" in response.content.lower()
