// Left-to-right layered layout in the browser, for small DAGs only: dagre is quick below a
// few hundred tasks but takes seconds to a minute at 1,000, where the server's Graphviz is used.
import dagre from "@dagrejs/dagre";
import type { EdgePair, Positions } from "../types";
import { NODE_HEIGHT, NODE_WIDTH } from "./model";

export const BROWSER_LAYOUT_LIMIT = 150;

export function layoutInBrowser(taskIds: readonly string[], edges: readonly EdgePair[]): Positions {
  const g = new dagre.graphlib.Graph();
  g.setGraph({ rankdir: "LR", nodesep: 30, ranksep: 70, marginx: 20, marginy: 20 });
  g.setDefaultEdgeLabel(() => ({}));
  for (const id of taskIds) g.setNode(id, { width: NODE_WIDTH, height: NODE_HEIGHT });
  for (const [u, v] of edges) g.setEdge(u, v);
  dagre.layout(g);
  const out: Positions = {};
  for (const id of taskIds) {
    const n = g.node(id);
    // dagre gives centres; React Flow positions are top-left corners.
    out[id] = { x: Math.round(n.x - NODE_WIDTH / 2), y: Math.round(n.y - NODE_HEIGHT / 2) };
  }
  return out;
}

/**
 * Stretch positions computed for smaller boxes (the server's Graphviz drawing uses boxes about
 * 36 points tall) so that the editor's larger task boxes do not overlap: y grows by the ratio of
 * row pitches, then x by as much as the closest pair of tasks sharing a row needs.
 */
export function fitToBoxes(
  positions: Positions,
  sourcePitchY = 54,
  box = { width: NODE_WIDTH, height: NODE_HEIGHT },
  gap = { x: 50, y: 22 },
): Positions {
  const ids = Object.keys(positions);
  const sy = Math.max(1, (box.height + gap.y) / sourcePitchY);
  const sorted = ids
    .map((id) => ({ id, x: positions[id]!.x, y: positions[id]!.y * sy }))
    .sort((a, b) => a.y - b.y);
  let minDx = Infinity;
  for (let i = 0; i < sorted.length; i += 1) {
    const a = sorted[i]!;
    for (let j = i + 1; j < sorted.length && sorted[j]!.y - a.y < box.height + gap.y; j += 1) {
      const dx = Math.abs(sorted[j]!.x - a.x);
      if (dx > 1) minDx = Math.min(minDx, dx);
    }
  }
  // Pairs at the same x are one above the other (sy already separates them); cap the stretch so
  // that one odd pair cannot blow the drawing up.
  const sx = Number.isFinite(minDx) ? Math.min(4, Math.max(1, (box.width + gap.x) / minDx)) : 1;
  const out: Positions = {};
  for (const { id, x, y } of sorted) out[id] = { x: Math.round(x * sx), y: Math.round(y) };
  return out;
}
