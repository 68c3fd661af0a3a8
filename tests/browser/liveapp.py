"""Start the real dagsim app for browser tests and benchmarks: daphne on a free port against a
temporary SQLite database (migrated, with one user and an API token), and Debian's Chromium."""

from __future__ import annotations

import contextlib
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
from dataclasses import dataclass, field
from pathlib import Path

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


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _newest_source_mtime() -> float:
    paths = [FRONTEND / "package.json", FRONTEND / "package-lock.json", FRONTEND / "vite.config.ts"]
    paths += [p for p in (FRONTEND / "src").rglob("*") if p.is_file()]
    return max(p.stat().st_mtime for p in paths)


def ensure_bundle() -> Path:
    """Build the front end when its manifest is missing or older than its sources."""
    if MANIFEST.exists() and MANIFEST.stat().st_mtime >= _newest_source_mtime():
        return MANIFEST
    npm = shutil.which("npm")
    if npm is None:
        raise RuntimeError(
            "npm is needed to build the front end (frontend/: npm ci && npm run build)"
        )
    if not (FRONTEND / "node_modules").exists():
        subprocess.run([npm, "ci", "--no-audit", "--no-fund"], cwd=FRONTEND, check=True)
    subprocess.run([npm, "run", "build"], cwd=FRONTEND, check=True)
    return MANIFEST


def app_env(db: Path) -> dict[str, str]:
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


def manage(env: dict[str, str], *args: str) -> str:
    done = subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True
    )
    if done.returncode != 0:
        raise RuntimeError(f"manage.py {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}")
    return done.stdout


@dataclass
class LiveApp:
    url: str
    token: str
    db: Path
    log: Path
    made: int = field(default=0)

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
            with urllib.request.urlopen(request, timeout=60) as response:
                raw = response.read()
        except urllib.error.HTTPError as exc:
            raise AssertionError(f"{method} {path} -> {exc.code}: {exc.read()[:2000]!r}") from exc
        return json.loads(raw) if raw else {}

    def create_dag(
        self, document: dict, scenarios: dict | None = None, layout: dict | None = None
    ) -> int:
        """Store a DAG for a test to open; dag ids are unique per user, so each gets a suffix."""
        self.made += 1
        named = {**document, "dag_id": f"{document['dag_id']}_{self.made}"}
        body: dict = {"document": named, "scenarios": scenarios or {}}
        if layout is not None:
            body["layout"] = layout
        return self.api("POST", "/api/dags/", body)["id"]

    def has_websocket_routes(self) -> bool:
        probe = subprocess.run(
            [
                sys.executable,
                "-c",
                "import django; django.setup(); "
                "from editor.routing import websocket_urlpatterns as w; print(len(w))",
            ],
            cwd=ROOT,
            env=app_env(self.db),
            capture_output=True,
            text=True,
        )
        return probe.returncode == 0 and probe.stdout.strip() not in ("", "0")


@contextlib.contextmanager
def running_app(workdir: Path) -> Iterator[LiveApp]:
    db = workdir / "db.sqlite3"
    env = app_env(db)
    manage(env, "migrate", "--noinput")
    token = (
        manage(
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
    port = free_port()
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
        yield LiveApp(url=url, token=token, db=db, log=log)
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        shutil.copy(log, ARTIFACTS / "daphne.log")


@contextlib.contextmanager
def chromium() -> Iterator:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        try:
            yield browser
        finally:
            browser.close()


def log_in(page, url: str) -> None:
    page.goto(url + "/login/")
    page.fill("input[name=username]", USERNAME)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(lambda u: "/login/" not in u)
