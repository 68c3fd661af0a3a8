"""The DAG drawn by Graphviz, like ``airflow dags show``: DOT source, SVG and PNG.

Left to right, rounded filled boxes in Airflow's operator colours, or in its state colours
when the states of a run are given. Every string from the document reaches the DOT source
through the ``graphviz`` package's quoting as literal text (no HTML-like labels, no
backslash escapes), so no id or label can inject DOT or markup; an SVG is checked to carry no
script, event handler or external link before it is handed out.

With the editor's ``positions`` the drawing reuses them (``neato -n2``: no layout at all);
otherwise ``dot`` lays it out under ``layout.LAYOUT_TIME_LIMIT_S`` and falls back to the quick
layered layout, saying so in the drawing's title and in ``Exported.warnings``.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ElementTree
from typing import Any

import graphviz

from ..layout import (
    LAYOUT_TIME_LIMIT_S,
    NODE_HEIGHT,
    GraphvizError,
    Positions,
    box_width,
    fallback_warning,
    layered_positions,
    run_graphviz,
    tune_for_size,
)
from ..problems import WARNING, Problem
from . import Exported, ExportError, file_stem
from .airflow_names import STATE_COLORS, STATE_TEXT_COLORS, UI_COLORS

MEDIA_TYPES = {"dot": "text/vnd.graphviz", "svg": "image/svg+xml", "png": "image/png"}
# Drawing from fixed positions does no layout, so it is quick; the limit only guards the process.
FIXED_RENDER_TIME_LIMIT_S = 20.0
# A bitmap of a large DAG gets big; past this many tasks it is drawn at a lower resolution.
PNG_FULL_DPI_TASKS = 200
VALID_ID = re.compile(r"^[\w.-]+$")  # Airflow's rule for ids
ACTIVE_SVG_ELEMENTS = {"script", "foreignobject", "iframe", "embed", "object", "handler"}


def text(value: str) -> str:
    """A label showing ``value`` literally: no HTML-like label, no backslash escape such as
    ``\\N``, no character entity (Graphviz reads ``&amp;`` even outside HTML labels)."""
    return graphviz.nohtml(value.replace("\\", "\\\\").replace("&", "&amp;"))


def node_names(doc: dict[str, Any]) -> dict[str, str]:
    """DOT node names: the task id, as ``airflow dags show`` does, when it is a valid Airflow
    id; otherwise a neutral name, since no DOT string can hold every character (``\\"``)."""
    return {
        t["task_id"]: t["task_id"] if VALID_ID.match(t["task_id"]) else f"task_{i}"
        for i, t in enumerate(doc["tasks"])
    }


def drawing(doc: dict[str, Any], states: dict[str, str] | None = None) -> graphviz.Digraph:
    """The DAG as a ``graphviz.Digraph`` styled like Airflow's ``render_dag``."""
    title = doc["dag_id"]
    if isinstance(doc.get("description"), str) and doc["description"]:
        title += "\n" + doc["description"]
    graph = graphviz.Digraph(
        name=doc["dag_id"] if VALID_ID.match(doc["dag_id"]) else "dag",
        graph_attr={"rankdir": "LR", "labelloc": "t", "label": text(title)},
        node_attr={"shape": "rectangle", "style": "filled,rounded"},
    )
    names = node_names(doc)
    for task in doc["tasks"]:
        tid = task["task_id"]
        if states is not None:
            state = states.get(tid, "none")
            fill, ink = STATE_COLORS[state], STATE_TEXT_COLORS.get(state, "black")
        else:
            fill, ink = UI_COLORS[task["operator"]], "black"
        graph.node(names[tid], label=text(tid), color=ink, fontcolor=ink, fillcolor=fill)
    for up, down in doc["edges"]:
        graph.edge(names[up], names[down])
    return graph


def export_graphviz(
    doc: dict[str, Any], fmt: str, states: dict[str, str] | None, positions: dict[str, dict] | None
) -> Exported:
    warnings: list[Problem] = []
    states = _checked_states(doc, states, warnings)
    graph = drawing(doc, states)
    fixed = _usable_positions(doc, positions, warnings)
    stem = file_stem(doc["dag_id"])
    if fmt == "dot":
        if fixed is not None:
            _pin(graph, doc, fixed)
        return Exported(graph.source.encode(), MEDIA_TYPES["dot"], f"{stem}.dot", warnings)

    if fmt == "png" and len(doc["tasks"]) > PNG_FULL_DPI_TASKS:
        graph.graph_attr["dpi"] = "48"
    if fixed is None:
        tune_for_size(graph.graph_attr, len(doc["tasks"]), len(doc["edges"]))
        try:
            content = run_graphviz("dot", fmt, graph.source.encode(), LAYOUT_TIME_LIMIT_S)
        except GraphvizError as exc:
            warnings.append(fallback_warning(exc))
            fixed = layered_positions(
                [t["task_id"] for t in doc["tasks"]], [(e[0], e[1]) for e in doc["edges"]]
            )
            graph = drawing(doc, states)
            graph.graph_attr["label"] = text(
                f"{doc['dag_id']}\n(quick layout: Graphviz dot did not finish in time)"
            )
            if fmt == "png" and len(doc["tasks"]) > PNG_FULL_DPI_TASKS:
                graph.graph_attr["dpi"] = "48"
    if fixed is not None:
        _pin(graph, doc, fixed)
        try:
            content = run_graphviz(
                "neato", fmt, graph.source.encode(), FIXED_RENDER_TIME_LIMIT_S, extra=["-n2"]
            )
        except GraphvizError as exc:
            raise ExportError(f"Graphviz could not draw this DAG: {exc}") from exc
    if fmt == "svg":
        check_inert_svg(content)
    return Exported(content, MEDIA_TYPES[fmt], f"{stem}.{fmt}", warnings)


def _pin(graph: graphviz.Digraph, doc: dict[str, Any], positions: Positions) -> None:
    """Fix every box at its position (centre, y up, in points), as ``neato -n2`` expects."""
    graph.graph_attr["splines"] = "true" if len(doc["tasks"]) <= 200 else "line"
    names = node_names(doc)
    for task in doc["tasks"]:
        tid = task["task_id"]
        x = positions[tid]["x"] + box_width(tid) / 2
        y = positions[tid]["y"] + NODE_HEIGHT / 2
        graph.node(names[tid], pos=f"{x:.1f},{-y:.1f}!")


def _checked_states(
    doc: dict[str, Any], states: dict[str, str] | None, warnings: list[Problem]
) -> dict[str, str] | None:
    if states is None:
        return None
    if not isinstance(states, dict):
        raise ExportError("states must be an object of task_id -> state")
    bad = sorted({str(s) for s in states.values() if s not in STATE_COLORS})
    if bad:
        raise ExportError(
            f"unknown task state(s) {', '.join(bad)} (states: {', '.join(STATE_COLORS)})"
        )
    ids = {t["task_id"] for t in doc["tasks"]}
    unknown = sorted(str(t) for t in states if t not in ids)
    if unknown:
        warnings.append(
            Problem(
                "unknown_task",
                "states given for tasks not in the DAG, ignored: " + ", ".join(unknown[:10]),
                severity=WARNING,
            )
        )
    return states


def _usable_positions(
    doc: dict[str, Any], positions: dict[str, dict] | None, warnings: list[Problem]
) -> Positions | None:
    """The editor's positions when they place every task with numbers; else None (lay out)."""
    if not positions:
        return None
    usable: Positions = {}
    for task in doc["tasks"]:
        spot = positions.get(task["task_id"]) if isinstance(positions, dict) else None
        try:
            usable[task["task_id"]] = {"x": float(spot["x"]), "y": float(spot["y"])}  # type: ignore[index]
        except (TypeError, KeyError, ValueError):
            warnings.append(
                Problem(
                    "positions_incomplete",
                    f"no usable position for task `{task['task_id']}`; the DAG was laid out afresh",
                    severity=WARNING,
                    task_id=task["task_id"],
                )
            )
            return None
    if any(v != v or abs(v) == float("inf") for p in usable.values() for v in p.values()):
        warnings.append(
            Problem(
                "positions_incomplete",
                "positions must be finite numbers; the DAG was laid out afresh",
                severity=WARNING,
            )
        )
        return None
    return usable


def check_inert_svg(svg: bytes) -> None:
    """Raise ``ExportError`` unless ``svg`` is free of scripts, handlers and external links."""
    try:
        root = ElementTree.fromstring(svg)
    except ElementTree.ParseError as exc:
        raise ExportError(f"Graphviz produced an SVG that is not well-formed XML: {exc}") from exc
    for element in root.iter():
        tag = element.tag.rsplit("}", 1)[-1].lower()
        if tag in ACTIVE_SVG_ELEMENTS:
            raise ExportError(f"refusing to export an SVG containing a <{tag}> element")
        for name, value in element.attrib.items():
            local = name.rsplit("}", 1)[-1].lower()
            if local.startswith("on"):
                raise ExportError(f"refusing to export an SVG with an `{local}` attribute")
            if local == "href" and not value.startswith("#"):
                raise ExportError("refusing to export an SVG with an external link")
