"""Exported DAG files: Airflow Python (classic and TaskFlow), JSON, dag-factory YAML, Graphviz.

``export(doc, fmt)`` validates the interchange document first (raising ``InvalidDocument`` with
every error) and hands the normalized document to one module per format. A format that cannot
express the DAG raises ``ExportError`` (a ``ValueError``) saying why.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from ..problems import Problem
from ..spec import load_dag


class ExportError(ValueError):
    """The DAG is valid but this format cannot express it; the message says why."""


@dataclass(frozen=True)
class Exported:
    content: bytes
    media_type: str
    filename: str
    # Things the user should know about this file (for instance a simplified layout).
    warnings: list[Problem] = field(default_factory=list)


FORMATS = ("airflow", "taskflow", "json", "yaml", "dot", "svg", "png")


def export(
    doc: dict[str, Any],
    fmt: str,
    states: dict[str, str] | None = None,
    positions: dict[str, dict] | None = None,
) -> Exported:
    """The DAG ``doc`` as a file in format ``fmt`` (one of ``FORMATS``).

    ``states`` (task_id -> state, e.g. a run's final states) colours the Graphviz formats;
    ``positions`` (task_id -> {"x", "y"}, the editor's layout) makes them reuse that layout
    instead of computing one. Raises ``InvalidDocument`` for an invalid DAG and ``ExportError``
    for an unknown format or one that cannot express this DAG.
    """
    if fmt not in FORMATS:
        raise ExportError(f"unknown export format `{fmt}` (formats: {', '.join(FORMATS)})")
    document = load_dag(doc).to_document()
    return _writer(fmt)(document, states, positions)


def file_stem(dag_id: str) -> str:
    """A safe file name stem for ``dag_id`` (ids are validated, but a file name must never
    carry a path separator or start with a dot whatever the document says)."""
    stem = re.sub(r"[^A-Za-z0-9_.-]", "_", dag_id).lstrip(".")
    return stem[:120] or "dag"


def _writer(fmt: str) -> Callable[..., Exported]:
    # Imported on demand: the Graphviz and YAML writers pull in their libraries only when used.
    if fmt == "airflow":
        from .airflow import export_airflow

        return lambda doc, states, positions: export_airflow(doc)
    if fmt == "taskflow":
        from .taskflow import export_taskflow

        return lambda doc, states, positions: export_taskflow(doc)
    if fmt == "json":
        from .interchange import export_json

        return lambda doc, states, positions: export_json(doc)
    if fmt == "yaml":
        from .yaml_factory import export_yaml

        return lambda doc, states, positions: export_yaml(doc)
    from .dot import export_graphviz

    return lambda doc, states, positions: export_graphviz(doc, fmt, states, positions)


__all__ = ["FORMATS", "ExportError", "Exported", "export", "file_stem"]
