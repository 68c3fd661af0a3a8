"""The real app in a real browser: daphne on a free port against a temporary SQLite database,
driven by Playwright through Debian's headless Chromium (never a downloaded browser).

Every test gets a fresh, logged-in page; screenshots of each step go to artifacts/browser/.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
FRONTEND = ROOT / "frontend"
MANIFEST = ROOT / "static" / "dist" / ".vite" / "manifest.json"
ARTIFACTS = ROOT / "artifacts" / "browser"
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
USERNAME = "alice"
PASSWORD = "alice-browser-password-1"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _newest_source_mtime() -> float:
    paths = [FRONTEND / "package.json", FRONTEND / "package-lock.json", FRONTEND / "vite.config.ts"]
    paths += [p for p in (FRONTEND / "src").rglob("*") if p.is_file()]
    return max(p.stat().st_mtime for p in paths)


@pytest.fixture(scope="session")
def frontend_bundle() -> Path:
    """Build the bundle when it is missing or older than its sources."""
    if MANIFEST.exists() and MANIFEST.stat().st_mtime >= _newest_source_mtime():
        return MANIFEST
    npm = shutil.which("npm")
    if npm is None:
        pytest.fail("npm is needed to build the front end for the browser tests")
    if not (FRONTEND / "node_modules").exists():
        subprocess.run([npm, "ci", "--no-audit", "--no-fund"], cwd=FRONTEND, check=True)
    subprocess.run([npm, "run", "build"], cwd=FRONTEND, check=True)
    return MANIFEST


@dataclass
class LiveApp:
    url: str
    token: str
    log: Path

    def api(self, method: str, path: str, body: dict | None = None) -> dict:
        """Set-up calls straight to the API with the test user's token (not the UI under test)."""
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(
            self.url + path,
            data=data,
            method=method,
            headers={"Authorization": f"Token {self.token}", "Content-Type": "application/json"},
        )
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                raw = response.read()
        except urllib.error.HTTPError as exc:
            raise AssertionError(f"{method} {path} -> {exc.code}: {exc.read()[:2000]!r}") from exc
        return json.loads(raw) if raw else {}

    def create_dag(self, document: dict, scenarios: dict | None = None) -> int:
        """Store a DAG for a test to open; dag ids are unique per user, so each gets a suffix."""
        self._made += 1
        named = {**document, "dag_id": f"{document['dag_id']}_{self._made}"}
        created = self.api("POST", "/api/dags/", {"document": named, "scenarios": scenarios or {}})
        return created["id"]

    def has_websocket_routes(self) -> bool:
        probe = subprocess.run(
            [
                sys.executable,
                "-c",
                "from editor.routing import websocket_urlpatterns as w; print(len(w))",
            ],
            cwd=ROOT,
            env=_app_env(self._db),
            capture_output=True,
            text=True,
        )
        return probe.returncode == 0 and probe.stdout.strip() not in ("", "0")

    _db: Path = Path()
    _made: int = 0


def _app_env(db: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings",
        DEBUG="1",
        DATABASE_URL=f"sqlite:///{db}",
        # No broker or Redis: live runs use the in-process executor and the in-memory channel
        # layer, both inside the one daphne process.
        REDIS_URL="",
        CELERY_BROKER_URL="",
        RUN_EXECUTOR="inprocess",
        THROTTLE_USER="100000/minute",
        THROTTLE_ANON="100000/minute",
        PYTHONUNBUFFERED="1",
    )
    return env


def _manage(env: dict[str, str], *args: str) -> str:
    done = subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True
    )
    if done.returncode != 0:
        raise RuntimeError(f"manage.py {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}")
    return done.stdout


@pytest.fixture(scope="session")
def live_app(tmp_path_factory, frontend_bundle) -> Iterator[LiveApp]:
    workdir = tmp_path_factory.mktemp("live_app")
    db = workdir / "db.sqlite3"
    env = _app_env(db)
    _manage(env, "migrate", "--noinput")
    token = (
        _manage(
            env,
            "shell",
            "-c",
            "from django.contrib.auth import get_user_model\n"
            "from rest_framework.authtoken.models import Token\n"
            f"u = get_user_model().objects.create_user({USERNAME!r}, password={PASSWORD!r})\n"
            "print(Token.objects.create(user=u).key)",
        )
        .strip()
        .splitlines()[-1]
    )
    port = _free_port()
    log = workdir / "daphne.log"
    daphne = shutil.which("daphne", path=str(Path(sys.executable).parent)) or "daphne"
    with log.open("wb") as out:
        server = subprocess.Popen(
            [daphne, "-b", "127.0.0.1", "-p", str(port), "config.asgi:application"],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                urllib.request.urlopen(url + "/health/", timeout=2).read()
                break
            except (urllib.error.URLError, ConnectionError):
                if server.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"daphne did not start:\n{log.read_text()}") from None
                time.sleep(0.2)
        app = LiveApp(url=url, token=token, log=log)
        app._db = db
        yield app
    finally:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        shutil.copy(log, ARTIFACTS / "daphne.log")
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        pytest.skip("Debian's chromium is not installed (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


class Shots:
    """Numbered screenshots of one test's steps under artifacts/browser/."""

    def __init__(self, page, test_name: str):
        self.page = page
        self.prefix = test_name
        self.n = 0
        ARTIFACTS.mkdir(parents=True, exist_ok=True)

    def __call__(self, step: str) -> Path:
        self.n += 1
        path = ARTIFACTS / f"{self.prefix}-{self.n:02d}-{step}.png"
        self.page.screenshot(path=str(path))
        return path


@pytest.fixture
def page(browser, live_app, request):
    context = browser.new_context(viewport={"width": 1440, "height": 900})
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(live_app.url + "/login/")
    page.fill("input[name=username]", USERNAME)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(lambda u: "/login/" not in u)
    page.shots = Shots(page, request.node.name)
    yield page
    context.close()
    assert not errors, f"uncaught errors in the page: {errors}"


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """On a failure, keep a screenshot of the page as it was."""
    outcome = yield
    report = outcome.get_result()
    page = item.funcargs.get("page") if hasattr(item, "funcargs") else None
    if report.when == "call" and report.failed and page is not None:
        try:
            page.shots("FAILED")
        except Exception:  # the page may be gone; the traceback says enough
            pass
