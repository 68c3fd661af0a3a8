"""The values the DAG-file reader works with in place of running the file.

Plain data (str, int, float, bool, None, list, tuple, dict) stays plain Python. Everything the
file would get from Airflow is a small record saying what it stands for (a task, a task group,
an XCom reference, a DAG, a ``@task`` function...), and anything the reader cannot know is an
``Unknown`` that remembers why and where, so that using it later can be reported precisely.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .dag_builder import DagBuilder, Group


@dataclass(frozen=True)
class Unknown:
    why: str
    line: int


@dataclass(frozen=True)
class Imported:
    """A name that comes from another module: ``airflow.sdk.DAG``, ``datetime.timedelta``."""

    qualname: str

    @property
    def name(self) -> str:
        return self.qualname.rsplit(".", 1)[-1]

    @property
    def parts(self) -> list[str]:
        return self.qualname.split(".")


@dataclass(frozen=True)
class Builtin:
    name: str


@dataclass(frozen=True)
class Duration:
    seconds: float


@dataclass(frozen=True)
class Moment:
    """A point in time, kept as the interchange format writes it (ISO 8601, UTC)."""

    iso: str


@dataclass(eq=False)
class TaskNode:
    """A task (an operator, or the XComArg a ``@task`` call returns)."""

    task_id: str
    dag: DagBuilder


@dataclass(eq=False)
class XComRef:
    """``task.output`` or ``task_result["key"]``: depends on the task like the task itself."""

    task_id: str
    key: str
    dag: DagBuilder


@dataclass(eq=False)
class GroupNode:
    group: Group
    dag: DagBuilder


@dataclass(eq=False)
class LabelNode:
    """``Label("text")``: remembers the tasks set upstream of it, as Airflow's EdgeModifier."""

    text: str
    line: int
    upstream: list[str] = field(default_factory=list)
    dag: DagBuilder | None = None


@dataclass(eq=False)
class DagValue:
    builder: DagBuilder


@dataclass(eq=False)
class Function:
    """A function defined in the file; ``scope`` is where it was defined."""

    node: ast.FunctionDef | ast.AsyncFunctionDef
    scope: Any


@dataclass(eq=False)
class Decorator:
    """``task``, ``task.branch(...)``, ``dag(...)``, ``task_group(...)`` before it is applied."""

    kind: str  # "task", "dag" or "task_group"
    operator: str  # for "task": the dagsim operator
    flavour: str  # the name after `task.`, for messages
    kwargs: dict[str, Any]


@dataclass(eq=False)
class TaskFactory:
    """A ``@task``-decorated function: calling it creates a task."""

    function: Function
    operator: str
    kwargs: dict[str, Any]
    flavour: str = ""  # "setup" or "teardown" for @setup / @teardown


@dataclass(eq=False)
class GroupFactory:
    function: Function
    kwargs: dict[str, Any]


@dataclass(eq=False)
class DagFactory:
    function: Function
    kwargs: dict[str, Any]
    called: bool = False


@dataclass(eq=False)
class Partial:
    """``Operator.partial(...)`` or ``some_task.partial(...)``, waiting for ``.expand()``."""

    target: Any  # Imported operator class, CustomClass or TaskFactory
    kwargs: dict[str, Any]


@dataclass(eq=False)
class CustomClass:
    """A class defined in the file; an operator when one of its bases looks like one."""

    name: str
    operator_like: bool


@dataclass(eq=False)
class BoundMethod:
    target: Any
    name: str


def is_dependency_side(value: Any) -> bool:
    """Whether ``value`` can stand on either side of ``>>``."""
    if isinstance(value, (TaskNode, XComRef, GroupNode)):
        return True
    if isinstance(value, (list, tuple)):
        return bool(value) and all(isinstance(v, (TaskNode, XComRef, GroupNode)) for v in value)
    return False


def task_references(value: Any, depth: int = 0) -> list[TaskNode | XComRef]:
    """Every task or XCom reference inside ``value`` (nested lists, tuples and dicts)."""
    if depth > 20:
        return []
    if isinstance(value, (TaskNode, XComRef)):
        return [value]
    if isinstance(value, (list, tuple, set)):
        return [r for v in value for r in task_references(v, depth + 1)]
    if isinstance(value, dict):
        return [r for v in value.values() for r in task_references(v, depth + 1)]
    return []
