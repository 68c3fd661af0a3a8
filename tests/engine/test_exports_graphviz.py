"""Graphviz drawings rendered by the real `dot`: DOT source, SVG, PNG, escaping, states."""

import json
import struct
import xml.etree.ElementTree as ElementTree

import pytest

import engine.exports.dot as dot_export
from engine.exports import ExportError, export
from engine.exports.dot import check_inert_svg, drawing
from engine.layout import run_graphviz

from .conftest import dag_doc

SVG = "{http://www.w3.org/2000/svg}"
HOSTILE = [
    'evil"]; injected [label="pwned',
    "<<b>bold</b>>",
    r"back\slash \N \G \L \E \" end\\",
    "<script>alert(1)</script>",
    "} digraph x { y",
    "&amp; &#x3C; &lt;",
    "<img src=x onerror=alert(1)>",
]


def svg_texts(svg: bytes) -> list[str]:
    root = ElementTree.fromstring(svg)
    return ["".join(t.itertext()) for t in root.iter(f"{SVG}text")]


def svg_nodes(svg: bytes) -> dict[str, ElementTree.Element]:
    root = ElementTree.fromstring(svg)
    return {g.find(f"{SVG}title").text: g for g in root.iter(f"{SVG}g") if g.get("class") == "node"}


def test_dot_source_is_drawn_like_airflow_dags_show(umbrella):
    exported = export(umbrella, "dot")
    assert (exported.media_type, exported.filename) == ("text/vnd.graphviz", "umbrella.dot")
    text = exported.content.decode()
    assert "rankdir=LR" in text
    assert 'node [shape=rectangle style="filled,rounded"]' in text
    assert 'start [label=start color=black fillcolor="#e8f7e4" fontcolor=black]' in text
    assert "clean_sales -> join_datasets" in text


def test_svg_and_png_are_rendered_by_the_real_dot_binary(umbrella):
    svg = export(umbrella, "svg")
    assert svg.media_type == "image/svg+xml"
    assert set(svg_nodes(svg.content)) == {t["task_id"] for t in umbrella["tasks"]}
    png = export(umbrella, "png")
    assert (png.media_type, png.filename) == ("image/png", "umbrella.png")
    assert png.content[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", png.content[16:24])
    assert width > height > 0  # left to right


@pytest.mark.parametrize("hostile", HOSTILE)
def test_hostile_ids_and_labels_cannot_inject_dot_or_markup(hostile):
    # Task ids are validated before any export; the drawing escapes them all the same.
    doc = {
        "dag_id": hostile,
        "description": hostile,
        "tasks": [
            {"task_id": hostile, "operator": "python"},
            {"task_id": "plain", "operator": "empty"},
        ],
        "edges": [[hostile, "plain"]],
    }
    source = drawing(doc).source.encode()
    laid_out = json.loads(run_graphviz("dot", "json0", source, 30))
    assert len(laid_out["objects"]) == 2
    assert len(laid_out["edges"]) == 1

    svg = run_graphviz("dot", "svg", source, 30)
    check_inert_svg(svg)
    assert b"<script" not in svg and b"<img" not in svg and b"<b>" not in svg
    assert svg_texts(svg) == [hostile, hostile, hostile, "plain"]  # title (2 lines), boxes


def test_document_fields_that_are_not_validated_are_escaped_in_exports(umbrella):
    doc = {**umbrella, "description": '<script>alert("x")</script>"]; a -> b'}
    svg = export(doc, "svg").content
    assert '<script>alert("x")</script>"]; a -> b' in svg_texts(svg)
    assert b"<script" not in svg


@pytest.mark.parametrize(
    "svg",
    [
        b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
        b'<svg xmlns="http://www.w3.org/2000/svg"><g onclick="alert(1)"/></svg>',
        b'<svg xmlns="http://www.w3.org/2000/svg" xmlns:x="http://www.w3.org/1999/xlink">'
        b'<a x:href="javascript:alert(1)"/></svg>',
        b'<svg xmlns="http://www.w3.org/2000/svg"><foreignObject/></svg>',
    ],
)
def test_an_svg_with_active_content_is_refused(svg):
    with pytest.raises(ExportError, match="refusing"):
        check_inert_svg(svg)


def test_states_colour_the_boxes_as_airflow_does(umbrella):
    states = {
        "start": "success",
        "fetch_sales": "failed",
        "clean_sales": "upstream_failed",
        "fetch_weather": "skipped",
    }
    nodes = svg_nodes(export(umbrella, "svg", states=states).content)

    def fill(task_id):
        return next(e.get("fill") for e in nodes[task_id] if e.get("fill") not in (None, "none"))

    assert [
        fill(t) for t in ("start", "fetch_sales", "clean_sales", "fetch_weather", "deploy_model")
    ] == ["green", "red", "orange", "hotpink", "#ffffff"]


def test_unknown_states_are_an_error_and_unknown_tasks_a_warning(umbrella):
    with pytest.raises(ExportError, match="unknown task state"):
        export(umbrella, "svg", states={"start": "exploded"})
    exported = export(umbrella, "svg", states={"ghost": "success"})
    assert [w.code for w in exported.warnings] == ["unknown_task"]


def test_stored_positions_are_drawn_as_given_without_a_new_layout(umbrella):
    ids = [t["task_id"] for t in umbrella["tasks"]]
    # Right to left on purpose: no layout of dot's would put them there.
    positions = {tid: {"x": 1000 - 120 * i, "y": 0} for i, tid in enumerate(ids)}
    svg = export(umbrella, "svg", positions=positions).content
    nodes = svg_nodes(svg)
    xs = [float(nodes[tid].find(f"{SVG}text").get("x")) for tid in ids]
    assert xs == sorted(xs, reverse=True)
    source = export(umbrella, "dot", positions=positions).content.decode()
    assert 'pos="' in source and '!"' in source


def test_incomplete_positions_fall_back_to_a_layout_with_a_warning(umbrella):
    exported = export(umbrella, "svg", positions={"start": {"x": 0, "y": 0}})
    assert [w.code for w in exported.warnings] == ["positions_incomplete"]
    assert len(svg_nodes(exported.content)) == len(umbrella["tasks"])


def test_when_dot_runs_out_of_time_the_drawing_uses_the_quick_layout_and_says_so(
    umbrella, monkeypatch
):
    monkeypatch.setattr(dot_export, "LAYOUT_TIME_LIMIT_S", 0.000_001)
    exported = export(umbrella, "svg")
    assert [w.code for w in exported.warnings] == ["layout_fallback"]
    assert len(svg_nodes(exported.content)) == len(umbrella["tasks"])
    assert any("quick layout" in text for text in svg_texts(exported.content))


def test_a_large_png_is_drawn_at_a_lower_resolution():
    ids = [f"task_{i:03d}" for i in range(250)]
    doc = dag_doc(ids, [[ids[i], ids[i + 1]] for i in range(0, 249, 2)])
    png = export(doc, "png").content
    width, height = struct.unpack(">II", png[16:24])
    assert 0 < width < 32767 and 0 < height < 32767
