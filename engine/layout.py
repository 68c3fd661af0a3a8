"""Where to draw each task: Graphviz ``dot``, left to right, within a hard time limit.

A fresh ``dot`` layout of a dense 1,000-task DAG can take a minute, so large DAGs get dot's
speed options (fewer network-simplex and crossing-minimisation passes) and every run of the
binary is killed at ``time_limit_s``. When dot fails or runs out of time the fallback is a
simple layered layout computed here (longest-path ranks, a few barycenter sweeps to untangle
each rank): never pretty, always quick, and reported as such in ``Layout.warnings``.

Positions are the editor's: the top-left corner of each task's box, x to the right and y down,
in points (1/72 inch, drawn as CSS pixels).
"""

from __future__ import annotations

import json
import shutil
import subprocess
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from .problems import WARNING, Problem

LAYOUT_TIME_LIMIT_S = 1.5
# Above this many tasks (or edges), dot is told to spend less effort on crossings and ranks.
LARGE_DAG = 150
SPEED_OPTIONS = {
    "nslimit": "1",
    "nslimit1": "1",
    "mclimit": "0.01",
    "searchsize": "10",
    "remincross": "false",
}
MAX_GRAPHVIZ_OUTPUT = 200 * 1024 * 1024

# Box sizes and gaps of the drawing, in points, for the fallback layout and for fixed positions.
NODE_HEIGHT = 36.0
RANK_GAP = 54.0
NODE_GAP = 18.0

Positions = dict[str, dict[str, float]]


class GraphvizError(RuntimeError):
    """The Graphviz binary is missing, failed, or did not finish in time."""


class GraphvizTimeout(GraphvizError):
    pass


@dataclass
class Layout:
    positions: Positions
    method: str  # "dot" or "layered"
    warnings: list[Problem] = field(default_factory=list)


def layout_positions(doc: dict[str, Any]) -> Positions:
    """task_id -> {"x", "y"} for the editor, from ``dot`` left to right (see ``compute_layout``)."""
    return compute_layout(doc).positions


def compute_layout(doc: dict[str, Any], time_limit_s: float = LAYOUT_TIME_LIMIT_S) -> Layout:
    """Lay out the DAG ``doc`` with ``dot``, falling back to a layered layout when dot is slower
    than ``time_limit_s`` or fails. Never raises for a DAG that ``validate_dag`` accepts."""
    from .exports.dot import drawing  # the same boxes as the exported drawing

    task_ids = [t["task_id"] for t in doc["tasks"]]
    edges = [(e[0], e[1]) for e in doc["edges"]]
    graph = drawing(doc)
    tune_for_size(graph.graph_attr, len(task_ids), len(edges))
    try:
        laid_out = run_graphviz("dot", "json0", graph.source.encode(), time_limit_s)
        return Layout(positions_from_json(laid_out), "dot")
    except GraphvizError as exc:
        return Layout(layered_positions(task_ids, edges), "layered", [fallback_warning(exc)])


def tune_for_size(graph_attr: dict[str, str], tasks: int, edges: int) -> None:
    if max(tasks, edges) > LARGE_DAG:
        graph_attr.update(SPEED_OPTIONS)


def fallback_warning(exc: GraphvizError) -> Problem:
    return Problem(
        "layout_fallback",
        f"Graphviz could not lay out this DAG ({exc}); a simpler layered layout was used",
        severity=WARNING,
        data={"reason": str(exc)},
    )


def run_graphviz(
    engine: str, fmt: str, source: bytes, time_limit_s: float, extra: Sequence[str] = ()
) -> bytes:
    """Run the ``dot`` binary (``-K engine -T fmt``) on DOT ``source``, killed after
    ``time_limit_s``. Raises ``GraphvizError`` / ``GraphvizTimeout``."""
    binary = shutil.which("dot")
    if binary is None:
        raise GraphvizError("the Graphviz `dot` program is not installed")
    try:
        proc = subprocess.run(
            [binary, f"-K{engine}", f"-T{fmt}", *extra],
            input=source,
            capture_output=True,
            timeout=time_limit_s,
            check=False,
        )
    except subprocess.TimeoutExpired:
        raise GraphvizTimeout(f"{engine} took longer than {time_limit_s:g} s") from None
    if proc.returncode != 0:
        message = proc.stderr.decode(errors="replace").strip().splitlines()
        raise GraphvizError(f"{engine} failed: {message[-1] if message else proc.returncode}")
    if len(proc.stdout) > MAX_GRAPHVIZ_OUTPUT:
        raise GraphvizError(f"{engine} produced more than {MAX_GRAPHVIZ_OUTPUT} bytes")
    return proc.stdout


def positions_from_json(output: bytes) -> Positions:
    """Top-left corners, y down, from ``dot -Tjson0`` (centres, y up, sizes in inches)."""
    data = json.loads(output)
    height = float(data["bb"].split(",")[3])
    positions: Positions = {}
    for obj in data.get("objects", []):
        if "pos" not in obj:
            continue  # a cluster, not a task
        x, y = (float(v) for v in obj["pos"].split(","))
        w, h = float(obj["width"]) * 72, float(obj["height"]) * 72
        positions[obj["name"]] = {"x": round(x - w / 2, 1), "y": round(height - y - h / 2, 1)}
    return positions


def box_width(label: str) -> float:
    """About the width Graphviz gives a box for ``label`` (Times 14pt), in points."""
    return max(54.0, 8.0 * len(label) + 16.0)


def layered_positions(
    task_ids: Sequence[str], edges: Sequence[tuple[str, str]], sweeps: int = 4
) -> Positions:
    """A quick left-to-right layered layout: rank = longest path from a root; within a rank,
    tasks are ordered by the mean place of their neighbours (barycenter), sweeping both ways."""
    index = {tid: i for i, tid in enumerate(task_ids)}
    ups: list[list[int]] = [[] for _ in task_ids]
    downs: list[list[int]] = [[] for _ in task_ids]
    for up, down in edges:
        downs[index[up]].append(index[down])
        ups[index[down]].append(index[up])
    rank = _longest_path_ranks(ups, downs)
    layers: list[list[int]] = [[] for _ in range(max(rank, default=-1) + 1)]
    for i in range(len(task_ids)):
        layers[rank[i]].append(i)

    place = [0.0] * len(task_ids)

    def renumber(layer: list[int]) -> None:
        for n, i in enumerate(layer):
            place[i] = (n + 0.5) / len(layer)

    for layer in layers:
        renumber(layer)
    for sweep in range(sweeps):
        downward = sweep % 2 == 0
        order = layers[1:] if downward else layers[-2::-1]
        for layer in order:

            def key(i: int, neighbours: list[list[int]] = ups if downward else downs) -> float:
                near = neighbours[i]
                return sum(place[j] for j in near) / len(near) if near else place[i]

            layer.sort(key=key)
            renumber(layer)

    tallest = max((len(layer) for layer in layers), default=0)
    positions: Positions = {}
    x = 0.0
    for layer in layers:
        width = max(box_width(task_ids[i]) for i in layer)
        top = (tallest - len(layer)) * (NODE_HEIGHT + NODE_GAP) / 2
        for n, i in enumerate(layer):
            positions[task_ids[i]] = {
                "x": round(x + (width - box_width(task_ids[i])) / 2, 1),
                "y": round(top + n * (NODE_HEIGHT + NODE_GAP), 1),
            }
        x += width + RANK_GAP
    return positions


def _longest_path_ranks(ups: list[list[int]], downs: list[list[int]]) -> list[int]:
    pending = [len(u) for u in ups]
    rank = [0] * len(ups)
    ready = [i for i, n in enumerate(pending) if n == 0]
    while ready:
        i = ready.pop()
        for j in downs[i]:
            rank[j] = max(rank[j], rank[i] + 1)
            pending[j] -= 1
            if pending[j] == 0:
                ready.append(j)
    return rank
