// Which layout engine a DAG gets, and how the server's positions are fitted to the editor's boxes.
import type { Positions } from "../types";
import { NODE_HEIGHT, NODE_WIDTH } from "./model";

/** Up to this many tasks the browser lays the DAG out itself (dagre); above, the server does. */
export const BROWSER_LAYOUT_LIMIT = 150;

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
