"""Benchmark: the editor with a 1,000-task, 3,000-edge DAG in headless Chromium.

    .venv/bin/python tests/browser/bench_editor.py [--tasks 1000 --edges 3000 --seed 7]

Starts the real app (daphne, temporary SQLite), then prints:
  - server layout: POST /api/layout/ alone, and the editor's Layout button end to end;
  - first render: navigation start until the nodes are painted, with and without a stored layout;
  - frames per second while panning (at 100% zoom, and zoomed out with everything visible);
  - time to apply 1,000 task-state changes (the websocket client's code path) and paint them.
Targets from issue 5: first render and layout under 2 s, >= 30 fps panning, 1,000 state changes
within one frame. This prints figures; it asserts nothing.
"""

from __future__ import annotations

import argparse
import math
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from tests.browser.liveapp import chromium, ensure_bundle, log_in, running_app  # noqa: E402


def pipeline_dag(tasks: int, edges: int, seed: int) -> dict:
    """A layered, pipeline-shaped DAG: each task reads from a few tasks of the layers before it."""
    rng = random.Random(seed)
    width = 25
    layers = [list(range(i, min(i + width, tasks))) for i in range(0, tasks, width)]
    layer_of = {t: li for li, layer in enumerate(layers) for t in layer}
    pairs: set[tuple[int, int]] = set()
    for t in range(width, tasks):
        li = layer_of[t]
        for _ in range(3):
            back = 1 if li == 1 or rng.random() < 0.7 else rng.randint(2, min(3, li))
            pairs.add((rng.choice(layers[li - back]), t))
    while len(pairs) < edges:
        u, v = sorted(rng.sample(range(tasks), 2))
        if layer_of[u] < layer_of[v]:
            pairs.add((u, v))
    pairs = set(sorted(pairs)[:edges]) if len(pairs) > edges else pairs
    name = [f"t{layer_of[t]:02d}_{t:04d}" for t in range(tasks)]
    rules = ["all_success"] * 8 + ["none_failed", "all_done"]
    task_docs = []
    for t in range(tasks):
        doc = {"task_id": name[t], "operator": "empty" if t % 7 == 0 else "python"}
        rule = rng.choice(rules)
        if rule != "all_success":
            doc["trigger_rule"] = rule
        task_docs.append(doc)
    return {
        "format": "dagsim/1",
        "dag_id": "bench",
        "schedule": "@daily",
        "start_date": "2024-01-01T00:00:00Z",
        "tasks": task_docs,
        "edges": [[name[u], name[v]] for u, v in sorted(pairs)],
    }


FIRST_PAINT_JS = """() => new Promise((resolve) => {
  const check = () => {
    const ready = document.querySelector('.editor')?.dataset.ready === 'true';
    if (ready && document.querySelectorAll('.react-flow__node').length > 0) {
      requestAnimationFrame(() => requestAnimationFrame(() => resolve(performance.now())));
    } else requestAnimationFrame(check);
  };
  check();
})"""

FIRST_NODES_JS = """() => new Promise((resolve) => {
  const check = () => {
    if (document.querySelectorAll('.react-flow__node').length > 0)
      requestAnimationFrame(() => resolve(performance.now()));
    else requestAnimationFrame(check);
  };
  check();
})"""

# Counts frames, and how many of them showed the view somewhere new (so the figure is about
# frames that actually panned, not idle ones).
FRAME_COUNTER_JS = """() => {
  window.__frames = [];
  window.__moved = 0;
  window.__counting = true;
  const viewport = document.querySelector('.react-flow__viewport');
  let last = viewport.style.transform;
  const tick = (t) => {
    window.__frames.push(t);
    if (viewport.style.transform !== last) { window.__moved += 1; last = viewport.style.transform; }
    if (window.__counting) requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick);
}"""

APPLY_STATES_JS = """async ([ids, state, firstSeq]) => {
  const events = ids.map((id, i) => ({run: 0, seq: firstSeq + i, task_id: id, try_number: 1,
    from_state: 'running', to_state: state, reason: 'bench', sim_time: 1, wall_time: ''}));
  const t0 = performance.now();
  const changed = window.dagsimBench.applyRunEvents(events);
  await new Promise((r) => {
    const c = new MessageChannel();
    c.port1.onmessage = r;
    c.port2.postMessage(0);
  });
  const t1 = performance.now();
  await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
  const t2 = performance.now();
  return {changed, applied_ms: t1 - t0, painted_ms: t2 - t0,
          painted_nodes: document.querySelectorAll(`.task-node[data-state="${state}"]`).length,
          mounted_nodes: document.querySelectorAll('.react-flow__node').length};
}"""


def zoom_of(page) -> float:
    transform = page.eval_on_selector(".react-flow__viewport", "el => el.style.transform")
    return float(transform.split("scale(")[1].rstrip(")"))


def zoom_to(page, target: float) -> None:
    box = page.locator(".react-flow__pane").bounding_box()
    cx, cy = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    page.mouse.move(cx, cy)
    for _ in range(20):
        current = zoom_of(page)
        if abs(math.log2(target / current)) < 0.05:
            return
        # d3-zoom: one wheel event scales by 2 ** (-deltaY * 0.002).
        step = max(-400, min(400, -math.log2(target / current) / 0.002))
        page.mouse.wheel(0, step)
        page.wait_for_timeout(60)


EMPTY_SPOT_JS = """() => {
  // Rings outward from the centre; the first point where the pane itself is hit.
  const pane = document.querySelector('.react-flow__pane').getBoundingClientRect();
  const cx = pane.left + pane.width / 2, cy = pane.top + pane.height / 2;
  for (let r = 0; r < Math.max(pane.width, pane.height) / 2; r += 15)
    for (let a = 0; a < 360; a += r ? Math.max(5, 600 / r) : 360) {
      const x = cx + r * Math.cos(a * Math.PI / 180), y = cy + r * Math.sin(a * Math.PI / 180);
      if (x < pane.left + 10 || x > pane.right - 10 || y < pane.top + 10 || y > pane.bottom - 10)
        continue;
      const el = document.elementFromPoint(x, y);
      if (el && el.classList.contains('react-flow__pane')) return {x, y};
    }
  return null;
}"""


def pan_fps(page, seconds: float = 2.5) -> dict:
    """Drag the view around from an empty spot of the canvas, counting frames."""
    spot = page.evaluate(EMPTY_SPOT_JS)
    assert spot, "no empty spot on the canvas to start a pan from"
    cx, cy = spot["x"], spot["y"]
    page.mouse.move(cx, cy)
    page.mouse.down()
    page.evaluate(FRAME_COUNTER_JS)
    start = time.monotonic()
    i = 0
    while time.monotonic() - start < seconds:
        i += 1
        dx = 250 * math.sin(i / 12)
        dy = 120 * math.cos(i / 17)
        page.mouse.move(cx + dx, cy + dy)
    page.mouse.up()
    frames, moved = page.evaluate(
        "() => { window.__counting = false; return [window.__frames, window.__moved]; }"
    )
    gaps = [b - a for a, b in zip(frames, frames[1:], strict=False)]
    elapsed = (frames[-1] - frames[0]) / 1000 if len(frames) > 1 else float("nan")
    return {
        "fps": (len(frames) - 1) / elapsed if elapsed else float("nan"),
        "p95_frame_ms": statistics.quantiles(gaps, n=20)[18] if len(gaps) > 20 else float("nan"),
        "max_frame_ms": max(gaps) if gaps else float("nan"),
        "moves": i,
        "moved_frames": moved,
        "mounted_nodes": page.locator(".react-flow__node").count(),
        "mounted_edges": page.locator(".react-flow__edge").count(),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--tasks", type=int, default=1000)
    parser.add_argument("--edges", type=int, default=3000)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    doc = pipeline_dag(args.tasks, args.edges, args.seed)
    ids = [t["task_id"] for t in doc["tasks"]]
    print(f"DAG: {len(doc['tasks'])} tasks, {len(doc['edges'])} edges")
    ensure_bundle()
    with tempfile.TemporaryDirectory() as tmp, running_app(Path(tmp)) as app, chromium() as browser:
        t = time.perf_counter()
        positions = app.api("POST", "/api/layout/", {"document": doc})["positions"]
        print(f"server layout, POST /api/layout/ alone:        {time.perf_counter() - t:7.3f} s")
        unlaid = app.create_dag(doc)
        laid = app.create_dag(doc, layout={"positions": positions})

        context = browser.new_context(viewport={"width": 1440, "height": 900})
        page = context.new_page()
        log_in(page, app.url)

        page.goto(f"{app.url}/dags/{laid}/?bench")
        painted = page.evaluate(FIRST_PAINT_JS)
        print(f"first render, stored layout (nav -> painted):  {painted / 1000:7.3f} s")
        parts = page.evaluate(
            """() => {
              const r = performance.getEntriesByType('resource');
              const end = (part) => Math.max(...r.filter((e) => e.name.includes(part))
                                                 .map((e) => e.responseEnd));
              return {script: end('/static/dist/assets/main-'), dag: end('/api/dags/')};
            }"""
        )
        print(
            f"   opens on the start of the pipeline at {zoom_of(page):.2f}x with "
            f"{page.locator('.react-flow__node').count()} nodes mounted (F shows all 1,000)"
        )
        print(
            f"   of which: bundle loaded {parts['script'] / 1000:.3f} s, "
            f"DAG fetched {parts['dag'] / 1000:.3f} s, "
            f"drawing {(painted - parts['dag']) / 1000:.3f} s"
        )

        page.goto(f"{app.url}/dags/{unlaid}/?bench")
        nodes = page.evaluate(FIRST_NODES_JS)
        ready = page.evaluate(FIRST_PAINT_JS)
        print(f"first render, no layout: nodes painted at      {nodes / 1000:7.3f} s")
        print(f"                     server layout shown at    {ready / 1000:7.3f} s")

        elapsed = page.evaluate(
            """() => new Promise((resolve) => {
              const button = document.querySelector('[data-testid=layout]');
              const t0 = performance.now();
              button.click();
              const wait = () => button.disabled || button.textContent !== 'Layout'
                ? requestAnimationFrame(wait)
                : requestAnimationFrame(() =>
                    requestAnimationFrame(() => resolve(performance.now() - t0)));
              requestAnimationFrame(wait);
            })"""
        )
        print(f"Layout button, end to end (server + paint):    {elapsed / 1000:7.3f} s")

        fit = pan_fps(page)
        print(
            f"panning, zoomed out ({zoom_of(page):.2f}x, {fit['mounted_nodes']} nodes, "
            f"{fit['mounted_edges']} edges on screen): {fit['fps']:5.1f} fps, "
            f"{fit['moved_frames']} frames moved "
            f"(p95 frame {fit['p95_frame_ms']:.1f} ms, worst {fit['max_frame_ms']:.1f} ms)"
        )
        states_all = page.evaluate(APPLY_STATES_JS, [ids, "success", 1])
        print(
            f"1,000 state changes, all {states_all['mounted_nodes']} nodes mounted: "
            f"applied in {states_all['applied_ms']:.1f} ms, painted after "
            f"{states_all['painted_ms']:.1f} ms ({states_all['painted_nodes']} nodes show it)"
        )

        page.get_by_test_id("fit").click()  # back to the whole DAG, then zoom in at its centre
        page.wait_for_timeout(300)
        zoom_to(page, 1.0)
        near = pan_fps(page)
        print(
            f"panning at {zoom_of(page):.2f}x ({near['mounted_nodes']} nodes, "
            f"{near['mounted_edges']} edges on screen): {near['fps']:5.1f} fps, "
            f"{near['moved_frames']} frames moved "
            f"(p95 frame {near['p95_frame_ms']:.1f} ms, worst {near['max_frame_ms']:.1f} ms)"
        )
        states_near = page.evaluate(APPLY_STATES_JS, [ids, "failed", len(ids) + 1])
        print(
            f"1,000 state changes at 1x ({states_near['mounted_nodes']} nodes mounted): "
            f"applied in {states_near['applied_ms']:.1f} ms, painted after "
            f"{states_near['painted_ms']:.1f} ms ({states_near['painted_nodes']} nodes show it)"
        )
        page.screenshot(path=str(Path(app.log).parent / "bench.png"))
        from tests.browser.liveapp import ARTIFACTS

        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "bench-1x.png"))
        context.close()


if __name__ == "__main__":
    main()
