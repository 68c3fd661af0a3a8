"""Compare the engine with Airflow's result for a case; write conformance-format case files."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

import engine

AIRFLOW_VERSION = "3.3.2"


@dataclass
class Verdict:
    """How the engine's run of a case compares with Airflow's."""

    states: dict[str, tuple[str, str]] = field(default_factory=dict)  # task: (airflow, engine)
    run_state: tuple[str, str] | None = None
    tries: dict[str, tuple[int, int]] = field(default_factory=dict)
    order: tuple[list, list] | None = None
    error: str | None = None

    @property
    def agrees(self) -> bool:
        """Final task states and the DagRun state are the same."""
        return not self.error and not self.states and self.run_state is None

    @property
    def agrees_fully(self) -> bool:
        """Also the try counts and the time each try ended."""
        return self.agrees and not self.tries and self.order is None

    def summary(self) -> str:
        if self.error:
            return "error: " + self.error.strip().splitlines()[-1]
        parts = [f"{t}: airflow {a}, engine {e}" for t, (a, e) in sorted(self.states.items())]
        if self.run_state:
            parts.append(f"run: airflow {self.run_state[0]}, engine {self.run_state[1]}")
        if self.tries:
            parts += [
                f"{t} tries: airflow {a}, engine {e}" for t, (a, e) in sorted(self.tries.items())
            ]
        if self.order:
            parts.append("try end times differ")
        return "; ".join(parts) or "agrees"


def simulate(case: dict) -> engine.Trace:
    dag = engine.load_dag(case["dag"])
    return engine.simulate(dag, engine.load_scenario(dag, case["scenario"]))


def ended_tries(trace: engine.Trace, case: dict) -> list[list]:
    """The engine's tries that ended with a result, as ``[end, task_id, try, state]`` (as in
    tests/engine/test_conformance.py: a running try that was skipped under it has no result)."""
    durations = {t["task_id"]: t.get("duration_s", 1) for t in case["dag"]["tasks"]}
    return sorted(
        [t["end"], t["task_id"], t["try_number"], t["state"]]
        for t in trace.tries()
        if t["state"] in ("success", "failed", "skipped", "up_for_retry")
        and not (t["state"] == "skipped" and t["end"] < t["start"] + durations[t["task_id"]])
    )


def compare(case: dict, airflow: dict) -> Verdict:
    if airflow.get("error"):
        return Verdict(error="airflow: " + airflow["error"])
    try:
        trace = simulate(case)
    except Exception as exc:  # the engine refusing a case Airflow ran is a finding too
        return Verdict(error=f"engine: {type(exc).__name__}: {exc}")
    verdict = Verdict()
    expected = {k: (v or "none") for k, v in airflow["expected"].items()}
    for task_id, state in expected.items():
        mine = trace.states.get(task_id, "missing")
        if mine != state:
            verdict.states[task_id] = (state, mine)
    if trace.run_state.value != airflow["run"]["dag_run_state"]:
        verdict.run_state = (airflow["run"]["dag_run_state"], trace.run_state.value)
    tries = {tid: 0 for tid in trace.states}
    for t in trace.tries():
        tries[t["task_id"]] = max(tries[t["task_id"]], t["try_number"])
    for task_id, n in airflow["tries"].items():
        if tries.get(task_id) != n:
            verdict.tries[task_id] = (n, tries.get(task_id, 0))
    theirs = sorted(o for o in airflow["order"] if not str(o[3]).startswith("not run"))
    mine_order = ended_tries(trace, case)
    if theirs != mine_order:
        verdict.order = (theirs, mine_order)
    return verdict


def case_document(
    case: dict, airflow: dict, disagreement: str | None = None, verdict: Verdict | None = None
) -> dict:
    """A case file in the conformance corpus's format, with Airflow's result as ``expected``.

    ``disagreement`` says why the engine is known to differ; ``engine_disagrees_on`` then names
    the checks it fails (``final_states``: states or run state; ``tries``: try counts or end
    times), which tests/engine/test_airflow_cases.py marks as strict xfails."""
    doc = {
        "name": case["name"],
        "category": case["category"],
        "description": case.get("description", ""),
        "dag": case["dag"],
        "scenario": case["scenario"],
        "expected": airflow["expected"],
        "expected_raw": airflow["expected_raw"],
        "tries": airflow["tries"],
        "order": airflow["order"],
        "run": airflow["run"],
        "airflow_version": AIRFLOW_VERSION,
        "airflow_config": {"scheduler.create_cron_data_intervals": True},
        "harness": "tools/airflow_diff (virtual-clock scheduler loop, see its README)",
    }
    if disagreement:
        verdict = verdict or compare(case, airflow)
        doc["engine_disagreement"] = disagreement
        doc["engine_disagrees_on"] = [
            name
            for name, differs in (
                ("final_states", not verdict.agrees),
                ("tries", bool(verdict.tries or verdict.order)),
            )
            if differs
        ]
    return doc


def save_case(directory: Path, document: dict) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / f"{document['name']}.json"
    path.write_text(json.dumps(document, indent=1) + "\n")
    return path
