"""dagsim's simulation core: load a DAG, apply Airflow 3's semantics, explain the result.

Pure Python with no Django: the web app, the Celery workers and the command line call in here.
"""

from .problems import InvalidDocument, Problem
from .simulation import simulate
from .spec import Dag, Operator, Scenario, Task, load_dag, load_scenario
from .states import RunState, TaskState
from .trace import Trace
from .trigger_rules import TriggerRule
from .validate import validate_dag, validate_scenario

__all__ = [
    "Dag",
    "InvalidDocument",
    "Operator",
    "Problem",
    "RunState",
    "Scenario",
    "Task",
    "TaskState",
    "Trace",
    "TriggerRule",
    "load_dag",
    "load_scenario",
    "simulate",
    "validate_dag",
    "validate_scenario",
]
