"""Start the real ASGI server the way the README's run command does (scripts/serve.sh: migrate,
the local account, daphne) and use it over HTTP like a person would."""

import os
import re
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    workdir = tmp_path_factory.mktemp("server")
    port = free_port()
    log = open(workdir / "server.log", "w+")
    env = {
        **os.environ,
        "VENV": sys.prefix,
        "HOST": "127.0.0.1",
        "PORT": str(port),
        "DATABASE_URL": f"sqlite:///{workdir / 'db.sqlite3'}",
        "DAGSIM_CREDENTIALS_FILE": str(workdir / "credentials.json"),
    }
    env.pop("DJANGO_SETTINGS_MODULE", None)
    process = subprocess.Popen(
        ["bash", "scripts/serve.sh"],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,  # its own process group, so daphne stops with it
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 90
        while True:
            if process.poll() is not None:
                log.seek(0)
                pytest.fail(f"scripts/serve.sh exited {process.returncode}:\n{log.read()}")
            try:
                requests.get(f"{base}/health/", timeout=2)
                break
            except requests.ConnectionError:
                if time.monotonic() > deadline:
                    log.seek(0)
                    pytest.fail(f"the server did not answer within 90 s:\n{log.read()}")
                time.sleep(0.3)
        log.seek(0)
        output = log.read()
        found = re.search(r"username: (\S+)\s+password: (\S+)", output)
        assert found, f"serve.sh printed no credentials:\n{output}"
        assert f"http://127.0.0.1:{port}/" in output
        yield base, found.group(1), found.group(2)
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
        log.close()


def log_in(base, username, password) -> requests.Session:
    session = requests.Session()
    page = session.get(f"{base}/login/", timeout=10)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
    response = session.post(
        f"{base}/login/",
        data={"username": username, "password": password, "csrfmiddlewaretoken": token},
        timeout=10,
    )
    assert response.status_code == 200 and "Your DAGs" in response.text
    return session


def test_the_home_page_asks_a_visitor_to_log_in(server):
    base, _, _ = server
    response = requests.get(f"{base}/", timeout=10)
    assert response.status_code == 200
    assert response.url.startswith(f"{base}/login/")
    assert "Log in" in response.text


def test_the_openapi_schema_is_served(server):
    base, _, _ = server
    response = requests.get(f"{base}/api/schema/", timeout=30)
    assert response.status_code == 200
    assert response.text.startswith("openapi: 3")
    assert "/api/dags/{id}/runs/" in response.text


def test_static_files_are_served(server):
    base, _, _ = server
    response = requests.get(f"{base}/static/css/app.css", timeout=10)
    assert response.status_code == 200 and "--accent" in response.text


def test_the_printed_account_logs_in_and_opens_the_editor(server):
    base, username, password = server
    session = log_in(base, username, password)
    home = session.get(f"{base}/", timeout=10)
    csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', home.text).group(1)
    created = session.post(
        f"{base}/dags/new/",
        data={"example": "umbrella", "csrfmiddlewaretoken": csrf},
        timeout=10,
    )
    assert created.status_code == 200
    assert re.search(r"/dags/\d+/$", created.url)
    assert 'id="app"' in created.text and 'id="dagsim-bootstrap"' in created.text
    if (ROOT / "frontend" / "package.json").exists():
        # scripts/setup.sh builds the front end, so the page must load the real bundle.
        script = re.search(r'<script type="module" src="(/static/dist/[^"]+\.js)"', created.text)
        assert script, "the editor page has no bundle script tag"
        bundle = session.get(f"{base}{script.group(1)}", timeout=10)
        assert bundle.status_code == 200 and bundle.content
    # The editor's own data comes from the API with the same session.
    dag_id = int(created.url.rstrip("/").rsplit("/", 1)[1])
    dag = session.get(f"{base}/api/dags/{dag_id}/", timeout=10)
    assert dag.status_code == 200 and dag.json()["dag_id"] == "umbrella"
