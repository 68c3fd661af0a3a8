"""dagsim's side: start ``airflow_runner.py`` in the Airflow venv and ask it cases."""

from __future__ import annotations

import json
import os
import selectors
import subprocess
from pathlib import Path

RUNNER = Path(__file__).with_name("airflow_runner.py")
DEFAULT_PYTHON = os.environ.get("AIRFLOW_PYTHON", "/tmp/af3/bin/python")
CASE_TIMEOUT_S = 300


class AirflowError(RuntimeError):
    """The Airflow runner died, hung or could not start."""


class AirflowRunner:
    """One long-lived runner process (its own AIRFLOW_HOME and SQLite DB under ``workdir``)."""

    def __init__(self, workdir: Path, python: str = DEFAULT_PYTHON):
        if not Path(python).exists():
            raise AirflowError(
                f"no Airflow python at {python}: install Apache Airflow 3.3.2 and time-machine "
                "in a separate venv and set AIRFLOW_PYTHON (see tools/airflow_diff/README.md)"
            )
        self.workdir = Path(workdir)
        self.workdir.mkdir(parents=True, exist_ok=True)
        self.python = python
        self.proc: subprocess.Popen | None = None

    def start(self) -> None:
        self.proc = subprocess.Popen(
            [self.python, str(RUNNER), "--workdir", str(self.workdir)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            bufsize=1,
        )
        ready = self._read(CASE_TIMEOUT_S)
        if not ready.get("ready"):
            raise AirflowError(f"the runner did not start: {ready}")

    def run(self, case: dict) -> dict:
        """Airflow's result for ``{"name", "dag", "scenario"}`` (``error`` set when it failed)."""
        if self.proc is None or self.proc.poll() is not None:
            self.start()
        assert self.proc and self.proc.stdin
        line = {"name": case["name"], "dag": case["dag"], "scenario": case["scenario"]}
        self.proc.stdin.write(json.dumps(line) + "\n")
        self.proc.stdin.flush()
        try:
            return self._read(CASE_TIMEOUT_S)
        except AirflowError as exc:
            self.close()
            return {"name": case["name"], "error": str(exc)}

    def _read(self, timeout: float) -> dict:
        assert self.proc and self.proc.stdout
        sel = selectors.DefaultSelector()
        sel.register(self.proc.stdout, selectors.EVENT_READ)
        if not sel.select(timeout):
            raise AirflowError(f"no answer from the runner in {timeout}s (log: {self.log_path})")
        line = self.proc.stdout.readline()
        if not line:
            raise AirflowError(f"the runner exited (log: {self.log_path})")
        return json.loads(line)

    @property
    def log_path(self) -> Path:
        return self.workdir / "airflow.log"

    def close(self) -> None:
        if self.proc is not None:
            if self.proc.poll() is None:
                self.proc.kill()
            self.proc.wait()
            self.proc = None

    def __enter__(self) -> AirflowRunner:
        self.start()
        return self

    def __exit__(self, *exc) -> None:
        self.close()
