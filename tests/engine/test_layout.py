"""Task positions for the editor: dot left to right, a quick layered layout as the fallback."""

import random

import pytest

from engine.layout import (
    NODE_HEIGHT,
    box_width,
    compute_layout,
    layered_positions,
    layout_positions,
)

from .conftest import dag_doc


def assert_left_to_right(doc: dict, positions: dict) -> None:
    assert set(positions) == {t["task_id"] for t in doc["tasks"]}
    for up, down in doc["edges"]:
        assert positions[up]["x"] < positions[down]["x"], (up, down)


def assert_no_overlap(positions: dict) -> None:
    boxes = sorted((p["x"], p["y"], tid) for tid, p in positions.items())
    for i, (x, y, tid) in enumerate(boxes):
        for x2, y2, other in boxes[i + 1 :]:
            if x2 >= x + box_width(tid):
                break
            assert abs(y2 - y) >= NODE_HEIGHT, (tid, other)


def random_dag(n: int, seed: int = 7) -> dict:
    rng = random.Random(seed)
    ids = [f"task_{i:04d}" for i in range(n)]
    edges = {(ids[rng.randrange(j)], ids[j]) for j in range(1, n) for _ in range(rng.randint(1, 3))}
    return dag_doc(ids, sorted(map(list, edges)))


def test_dot_lays_the_dag_out_left_to_right_as_top_left_corners(umbrella):
    positions = layout_positions(umbrella)
    assert_left_to_right(umbrella, positions)
    assert_no_overlap(positions)
    assert min(p["x"] for p in positions.values()) == 0
    assert min(p["y"] for p in positions.values()) >= 0


def test_a_large_dag_is_still_laid_out_by_dot_with_its_speed_options():
    doc = random_dag(300)
    layout = compute_layout(doc, time_limit_s=60)
    assert (layout.method, layout.warnings) == ("dot", [])
    assert_left_to_right(doc, layout.positions)


def test_when_dot_runs_out_of_time_the_layered_layout_is_used_with_a_warning(umbrella):
    layout = compute_layout(umbrella, time_limit_s=0.000_001)
    assert layout.method == "layered"
    (warning,) = layout.warnings
    assert warning.code == "layout_fallback" and "longer than" in warning.message
    assert_left_to_right(umbrella, layout.positions)
    assert_no_overlap(layout.positions)


def test_without_graphviz_installed_the_layered_layout_is_used(umbrella, monkeypatch):
    monkeypatch.setenv("PATH", "")
    layout = compute_layout(umbrella)
    assert layout.method == "layered"
    assert "not installed" in layout.warnings[0].message


@pytest.mark.parametrize("n", [0, 1, 50, 1000])
def test_the_layered_layout_keeps_edges_left_to_right_and_boxes_apart(n):
    doc = random_dag(n)
    positions = layered_positions(
        [t["task_id"] for t in doc["tasks"]], [tuple(e) for e in doc["edges"]]
    )
    assert_left_to_right(doc, positions)
    assert_no_overlap(positions)


def test_the_layered_layout_untangles_crossings():
    # Two parallel chains given crosswise: the barycenter sweeps put each chain on its own row.
    ids = ["a1", "b1", "b2", "a2", "a3", "b3"]
    edges = [("a1", "a2"), ("a2", "a3"), ("b1", "b2"), ("b2", "b3")]
    positions = layered_positions(ids, edges)
    for chain in (["a1", "a2", "a3"], ["b1", "b2", "b3"]):
        assert len({positions[t]["y"] for t in chain}) == 1
