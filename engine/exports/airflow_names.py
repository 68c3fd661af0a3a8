"""Airflow's names for dagsim's operators, in both directions, Airflow 2 and 3.

Exports write Airflow 3's standard-provider classes; imports also understand Airflow 2's import
paths and old class names, so that DAG files found in the wild come in.
"""

from __future__ import annotations

from ..trigger_rules import LEGACY_NAMES, TriggerRule

STANDARD = "airflow.providers.standard.operators"

# dagsim operator -> (module, class) written by the exports.
OPERATOR_CLASSES: dict[str, tuple[str, str]] = {
    "empty": (f"{STANDARD}.empty", "EmptyOperator"),
    "python": (f"{STANDARD}.python", "PythonOperator"),
    "branch": (f"{STANDARD}.python", "BranchPythonOperator"),
    "short_circuit": (f"{STANDARD}.python", "ShortCircuitOperator"),
    "latest_only": (f"{STANDARD}.latest_only", "LatestOnlyOperator"),
}

# Operator class name -> dagsim operator, for imports. Work that can only succeed, fail or skip
# itself (bash, virtualenv, ...) is simulated as `python`, as the format says.
CLASS_OPERATORS: dict[str, str] = {
    "EmptyOperator": "empty",
    "DummyOperator": "empty",
    "PythonOperator": "python",
    "BashOperator": "python",
    "PythonVirtualenvOperator": "python",
    "ExternalPythonOperator": "python",
    "BranchPythonOperator": "branch",
    "BranchPythonVirtualenvOperator": "branch",
    "BranchExternalPythonOperator": "branch",
    "BranchDateTimeOperator": "branch",
    "BranchDayOfWeekOperator": "branch",
    "ShortCircuitOperator": "short_circuit",
    "LatestOnlyOperator": "latest_only",
}

# `@task.<name>` decorators -> dagsim operator (plain `@task` is python).
DECORATOR_OPERATORS: dict[str, str] = {
    "python": "python",
    "bash": "python",
    "virtualenv": "python",
    "external_python": "python",
    "docker": "python",
    "kubernetes": "python",
    "pyspark": "python",
    "sensor": "python",
    "branch": "branch",
    "branch_virtualenv": "branch",
    "branch_external_python": "branch",
    "short_circuit": "short_circuit",
}

TRIGGER_RULES = frozenset(r.value for r in TriggerRule)
# Names older Airflow versions used; `dummy` became `always` in Airflow 2.
OLD_TRIGGER_RULES: dict[str, str] = {**LEGACY_NAMES, "dummy": TriggerRule.ALWAYS.value}


def trigger_rule_name(name: str) -> str | None:
    """The current name of trigger rule ``name`` (old names translated), or None if unknown."""
    name = name.lower()
    if name in TRIGGER_RULES:
        return name
    return OLD_TRIGGER_RULES.get(name)


# Airflow's own colours (BaseOperator.ui_color and the standard operators' overrides), so that
# a drawing looks like `airflow dags show`.
UI_COLORS: dict[str, str] = {
    "empty": "#e8f7e4",
    "python": "#ffefeb",
    "branch": "#ffefeb",
    "short_circuit": "#ffefeb",
    "latest_only": "#e9ffdb",
}

# airflow.utils.state.State.state_color, with `none` (never runnable) drawn white.
STATE_COLORS: dict[str, str] = {
    "none": "#ffffff",
    "scheduled": "tan",
    "queued": "gray",
    "running": "lime",
    "up_for_retry": "gold",
    "success": "green",
    "failed": "red",
    "skipped": "hotpink",
    "upstream_failed": "orange",
}
# State.color_fg: white text on the dark fills.
STATE_TEXT_COLORS: dict[str, str] = {"success": "white", "failed": "white", "queued": "white"}
