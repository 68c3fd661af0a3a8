import { NODE_HEIGHT, NODE_WIDTH } from "./model";

type Box = { position: { x: number; y: number } };

const GAP_X = 40;
const GAP_Y = 24;

/**
 * The free slot nearest to `near` (scanning rings of a grid of node-sized cells) where a new
 * task overlaps no existing one, so tasks added from the palette never land on top of others.
 */
export function freeSlot(
  nodes: readonly Box[],
  near: { x: number; y: number },
): { x: number; y: number } {
  const stepX = NODE_WIDTH + GAP_X;
  const stepY = NODE_HEIGHT + GAP_Y;
  const overlaps = (x: number, y: number) =>
    nodes.some(
      (n) =>
        Math.abs(n.position.x - x) < NODE_WIDTH + GAP_X / 2 &&
        Math.abs(n.position.y - y) < NODE_HEIGHT + GAP_Y / 2,
    );
  for (let ring = 0; ring < 60; ring += 1) {
    for (let dy = -ring; dy <= ring; dy += 1) {
      for (let dx = -ring; dx <= ring; dx += 1) {
        if (Math.max(Math.abs(dx), Math.abs(dy)) !== ring) continue;
        const x = near.x + dx * stepX;
        const y = near.y + dy * stepY;
        if (!overlaps(x, y)) return { x, y };
      }
    }
  }
  return near;
}
