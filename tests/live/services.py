"""Real services for live-run tests and the benchmark: a PostgreSQL database of their own, a
Redis database number of their own, daphne web servers and Celery workers as subprocesses.

Nothing is mocked or eager: the web server is the production ASGI app, the worker is
``celery -A config worker`` with its embedded beat running the sweep, the channel layer is
channels_redis. A ``Stack`` owns what it creates and removes it on close.
"""

from __future__ import annotations

import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parents[2]
POSTGRES = os.environ.get("LIVE_TEST_POSTGRES", "postgres://postgres@127.0.0.1:5432")
REDIS = os.environ.get("LIVE_TEST_REDIS", "redis://127.0.0.1:6379")


class Unavailable(Exception):
    """A service the live tests need does not answer (the tests skip, saying which)."""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


RABBITMQ = os.environ.get("LIVE_TEST_RABBITMQ", "amqp://guest:guest@127.0.0.1:5672//")


def check_rabbitmq() -> None:
    from kombu import Connection

    try:
        with Connection(RABBITMQ, connect_timeout=3) as conn:
            conn.ensure_connection(max_retries=1)
    except Exception as exc:
        raise Unavailable(f"RabbitMQ is not reachable at {RABBITMQ}: {exc}") from exc


def check_services() -> None:
    import psycopg
    import redis

    try:
        psycopg.connect(f"{POSTGRES}/postgres", connect_timeout=3).close()
    except Exception as exc:
        raise Unavailable(f"PostgreSQL is not reachable at {POSTGRES}: {exc}") from exc
    try:
        redis.Redis.from_url(f"{REDIS}/0", socket_connect_timeout=3).ping()
    except Exception as exc:
        raise Unavailable(f"Redis is not reachable at {REDIS}: {exc}") from exc


class Process:
    """A subprocess in its own process group, so a kill reaches its children (pool, beat)."""

    def __init__(self, name: str, argv: list[str], env: dict, log_path: Path) -> None:
        self.name, self.argv, self.env, self.log_path = name, argv, env, log_path
        self.proc: subprocess.Popen | None = None

    def start(self) -> Process:
        log = open(self.log_path, "a")
        self.proc = subprocess.Popen(
            self.argv,
            cwd=ROOT,
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        log.close()
        return self

    def kill(self, sig: int = signal.SIGKILL) -> None:
        """Signal the whole group (SIGKILL: nobody gets to clean up) and reap it."""
        if self.proc is None or self.proc.poll() is not None:
            return
        try:
            os.killpg(self.proc.pid, sig)
        except ProcessLookupError:
            pass
        try:
            self.proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait()

    def children(self) -> list[int]:
        """Pids of the process's direct children (a Celery worker's pool processes)."""
        if self.proc is None:
            return []
        out = subprocess.run(
            ["ps", "-o", "pid=", "--ppid", str(self.proc.pid)], capture_output=True, text=True
        ).stdout
        return [int(p) for p in out.split()]

    def stop(self) -> None:
        self.kill(signal.SIGTERM)

    def restart(self, sig: int = signal.SIGKILL) -> Process:
        self.kill(sig)
        return self.start()

    def log_tail(self, chars: int = 4000) -> str:
        try:
            return self.log_path.read_text()[-chars:]
        except FileNotFoundError:
            return ""


class WebServer(Process):
    def __init__(self, port: int, env: dict, log_path: Path) -> None:
        argv = [
            sys.executable, "-m", "daphne", "-b", "127.0.0.1", "-p", str(port),
            "config.asgi:application",
        ]  # fmt: skip
        super().__init__(f"daphne:{port}", argv, env, log_path)
        self.port = port
        self.base = f"http://127.0.0.1:{port}"
        self.ws_base = f"ws://127.0.0.1:{port}"
        self.origin = self.base

    def start(self) -> WebServer:
        super().start()
        deadline = time.monotonic() + 60
        while True:
            if self.proc.poll() is not None:
                raise RuntimeError(f"{self.name} exited:\n{self.log_tail()}")
            try:
                requests.get(f"{self.base}/health/", timeout=2)
                return self
            except requests.ConnectionError:
                if time.monotonic() > deadline:
                    raise RuntimeError(f"{self.name} did not answer:\n{self.log_tail()}") from None
                time.sleep(0.2)


class Worker(Process):
    def __init__(self, env: dict, log_path: Path, schedule: Path, concurrency: int) -> None:
        argv = [
            sys.executable, "-m", "celery", "-A", "config", "worker", "-B",
            "--schedule", str(schedule), "--concurrency", str(concurrency),
            "--loglevel", env.get("CELERY_LOG_LEVEL", "warning"),
            "--without-gossip", "--without-mingle",
        ]  # fmt: skip
        super().__init__("celery worker", argv, env, log_path)


class Stack:
    """One database, one Redis database number, and the processes started against them."""

    def __init__(
        self,
        workdir: Path,
        executor: str,
        redis_db: int | None,
        broker: str | None = None,
        **settings: str,
    ) -> None:
        """``redis_db`` None: no Redis at all, on SQLite, as the README's run command does.
        ``broker``: a Celery broker other than that Redis database (RabbitMQ), with a queue of
        this stack's own that is deleted on close."""
        self.workdir = workdir
        self.executor = executor
        self.postgres = redis_db is not None
        self.db_name = f"dagsim_live_{os.getpid()}_{secrets.token_hex(3)}"
        self.redis_url = f"{REDIS}/{redis_db}" if redis_db is not None else None
        if self.postgres:
            self.database_url = f"{POSTGRES}/{self.db_name}"
        else:
            self.database_url = f"sqlite:///{workdir / 'db.sqlite3'}"
        self.env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "DEBUG": "1",
            "DATABASE_URL": self.database_url,
            "RUN_EXECUTOR": executor,
            "THROTTLE_USER": "1000000/minute",
            "THROTTLE_ANON": "1000000/minute",
            "LIVE_SWEEP_INTERVAL_S": "1",
            "LIVE_SWEEP_GRACE_S": "2",
            "LOG_LEVEL": "WARNING",
            "PYTHONUNBUFFERED": "1",
            **settings,
        }
        for name in ("REDIS_URL", "CELERY_BROKER_URL"):
            self.env.pop(name, None)
        if self.redis_url:
            self.env["REDIS_URL"] = self.redis_url
        self.broker = broker
        if broker:
            self.env["CELERY_BROKER_URL"] = broker
            self.env["CELERY_QUEUE"] = self.db_name
        self.processes: list[Process] = []
        self.tokens: dict[str, str] = {}

    # ----------------------------------------------------------------- set-up

    def __enter__(self) -> Stack:
        import psycopg
        import redis

        if self.postgres:
            check_services()
            with psycopg.connect(f"{POSTGRES}/postgres", autocommit=True) as conn:
                conn.execute(f'CREATE DATABASE "{self.db_name}"')
            redis.Redis.from_url(self.redis_url).flushdb()
        try:
            self._manage("migrate", "--noinput", "-v", "0")
            self.tokens = self._accounts(["owner", "stranger"])
        except BaseException:
            self.close()
            raise
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        import psycopg
        import redis

        for process in reversed(self.processes):
            process.kill(signal.SIGTERM if isinstance(process, WebServer) else signal.SIGKILL)
        if self.postgres:
            with psycopg.connect(f"{POSTGRES}/postgres", autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{self.db_name}" WITH (FORCE)')
            redis.Redis.from_url(self.redis_url).flushdb()
        if self.broker:
            from kombu import Connection

            with Connection(self.broker, connect_timeout=5) as conn:
                conn.default_channel.queue_delete(self.db_name)

    def _manage(self, *args: str) -> str:
        done = subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=ROOT,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=300,
        )
        if done.returncode != 0:
            raise RuntimeError(f"manage.py {' '.join(args)} failed:\n{done.stderr[-4000:]}")
        return done.stdout

    def _accounts(self, names: list[str]) -> dict[str, str]:
        code = (
            "import json\n"
            "from django.contrib.auth import get_user_model\n"
            "from rest_framework.authtoken.models import Token\n"
            "out = {}\n"
            f"for name in {names!r}:\n"
            "    user = get_user_model().objects.create(username=name)\n"
            "    out[name] = Token.objects.create(user=user).key\n"
            "print(json.dumps(out))\n"
        )
        return json.loads(self._manage("shell", "-c", code).strip().splitlines()[-1])

    # ----------------------------------------------------------------- processes

    def web(self, port: int | None = None) -> WebServer:
        n = len(self.processes)
        server = WebServer(port or free_port(), self.env, self.workdir / f"web{n}.log")
        self.processes.append(server)
        return server.start()

    def worker(self, concurrency: int = 2) -> Worker:
        n = len(self.processes)
        worker = Worker(
            self.env, self.workdir / f"worker{n}.log", self.workdir / "beat-schedule", concurrency
        )
        self.processes.append(worker)
        return worker.start()

    # ----------------------------------------------------------------- the API

    def api(self, server: WebServer, user: str = "owner") -> requests.Session:
        session = requests.Session()
        session.headers["Authorization"] = f"Token {self.tokens[user]}"
        session.base = server.base  # type: ignore[attr-defined]
        return session

    def psql(self):
        """A direct connection to the stack's PostgreSQL database, for checks the API does not
        expose."""
        import psycopg

        return psycopg.connect(self.database_url, autocommit=True)
