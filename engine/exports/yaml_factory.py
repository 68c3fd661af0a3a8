"""The DAG as a dag-factory YAML file (astronomer/dag-factory, v1 list format).

Everything Airflow knows goes where dag-factory expects it: the DAG id as the top-level key,
``default_args``, ``schedule``, ``catchup``, and per task ``task_id``, the operator's import path,
``dependencies`` and the operator's own keyword arguments (``retry_delay`` as dag-factory's
``__type__: datetime.timedelta`` object). What only the simulator uses (simulated durations,
XCom values, pool sizes, fields it keeps for others) travels in the ``dagsim`` entry of
``params``, which Airflow accepts on every operator and DAG, so the file still loads in
dag-factory and imports back into dagsim unchanged.
"""

from __future__ import annotations

from typing import Any

import yaml

from . import Exported, file_stem
from .airflow_names import OPERATOR_CLASSES

MEDIA_TYPE = "application/yaml"
PARAMS_KEY = "dagsim"
STUB_MODULE = "dagsim_stubs"
# Task fields written as operator keyword arguments of the same name.
OPERATOR_KWARGS = (
    "trigger_rule",
    "retries",
    "pool",
    "pool_slots",
    "priority_weight",
    "weight_rule",
)
# DAG fields written under their own (dag-factory / Airflow) names.
DAG_KWARGS = ("schedule", "max_active_tasks")

HEADER = """\
# {dag_id}: a dag-factory DAG exported from dagsim.
#
# Load it with dag-factory's load_yaml_dags(). The python, branch and short-circuit tasks call
# stubs in a module `{stubs}` that you provide, for instance:
#
#   def do_work(**context):
#       pass  # the real work goes here
#
#   def choose(follow, **context):
#       return follow  # a branch: the ids of the downstream tasks to follow
#
#   def keep_going(**context):
#       return True  # a short-circuit condition
#
# `params.{key}` holds what only dagsim's simulator uses (durations, XCom values, pools).
"""


class _Dumper(yaml.SafeDumper):
    # Anchors and aliases would make the file harder to read for no gain.
    def ignore_aliases(self, data: Any) -> bool:
        return True


def timedelta_object(seconds: float) -> dict[str, Any]:
    whole = seconds if not float(seconds).is_integer() else int(seconds)
    return {"__type__": "datetime.timedelta", "seconds": whole}


def dag_factory_config(doc: dict[str, Any]) -> dict[str, Any]:
    """The dag-factory configuration (a dict ready for ``yaml.safe_dump``) for ``doc``."""
    dag: dict[str, Any] = {}
    default_args = dict(doc.get("default_args") or {})
    airflow_defaults: dict[str, Any] = {}
    if "start_date" in doc:
        airflow_defaults["start_date"] = doc["start_date"]
    if "retries" in default_args:
        airflow_defaults["retries"] = default_args.pop("retries")
    if "retry_delay_s" in default_args:
        airflow_defaults["retry_delay"] = timedelta_object(default_args.pop("retry_delay_s"))
    if airflow_defaults:
        dag["default_args"] = airflow_defaults
    for key in DAG_KWARGS:
        if key in doc:
            dag[key] = doc[key]
    dag["catchup"] = False

    known = {"format", "dag_id", "start_date", "default_args", "tasks", "edges", *DAG_KWARGS}
    dagsim = {k: v for k, v in doc.items() if k not in known}
    if default_args:
        dagsim["default_args"] = default_args
    if dagsim:
        dag["params"] = {PARAMS_KEY: dagsim}

    upstream: dict[str, list[str]] = {t["task_id"]: [] for t in doc["tasks"]}
    downstream: dict[str, list[str]] = {t["task_id"]: [] for t in doc["tasks"]}
    for up, down in doc["edges"]:
        upstream[down].append(up)
        downstream[up].append(down)
    dag["tasks"] = [
        _task(t, upstream[t["task_id"]], downstream[t["task_id"]]) for t in doc["tasks"]
    ]
    return {doc["dag_id"]: dag}


def _task(task: dict[str, Any], upstream: list[str], downstream: list[str]) -> dict[str, Any]:
    op = task["operator"]
    module, cls = OPERATOR_CLASSES[op]
    out: dict[str, Any] = {"task_id": task["task_id"], "operator": f"{module}.{cls}"}
    if op == "python":
        out["python_callable"] = f"{STUB_MODULE}.do_work"
    elif op == "branch":
        out["python_callable"] = f"{STUB_MODULE}.choose"
        out["op_kwargs"] = {"follow": downstream[:1]}
    elif op == "short_circuit":
        out["python_callable"] = f"{STUB_MODULE}.keep_going"
    for key in OPERATOR_KWARGS:
        if key in task:
            out[key] = task[key]
    if "retry_delay_s" in task:
        out["retry_delay"] = timedelta_object(task["retry_delay_s"])
    dagsim = {
        k: v
        for k, v in task.items()
        if k not in ("task_id", "operator", "retry_delay_s", *OPERATOR_KWARGS)
    }
    if op == "short_circuit" and "ignore_downstream_trigger_rules" in dagsim:
        out["ignore_downstream_trigger_rules"] = dagsim.pop("ignore_downstream_trigger_rules")
    if upstream:
        out["dependencies"] = list(upstream)
    if dagsim:
        out["params"] = {PARAMS_KEY: dagsim}
    return out


def export_yaml(doc: dict[str, Any]) -> Exported:
    body = yaml.dump(
        dag_factory_config(doc),
        Dumper=_Dumper,
        sort_keys=False,
        allow_unicode=True,
        default_flow_style=False,
        width=100,
    )
    text = HEADER.format(dag_id=doc["dag_id"], stubs=STUB_MODULE, key=PARAMS_KEY) + body
    return Exported(text.encode(), MEDIA_TYPE, f"{file_stem(doc['dag_id'])}.yaml")
