import { describe, expect, it } from "vitest";
import { NODE_HEIGHT, NODE_WIDTH } from "./model";
import { freeSlot } from "./place";

describe("placing a new task", () => {
  it("uses the requested spot when it is free", () => {
    expect(freeSlot([], { x: 10, y: 20 })).toEqual({ x: 10, y: 20 });
  });

  it("never overlaps an existing task", () => {
    const nodes: { position: { x: number; y: number } }[] = [];
    for (let i = 0; i < 30; i += 1) nodes.push({ position: freeSlot(nodes, { x: 0, y: 0 }) });
    for (const a of nodes)
      for (const b of nodes)
        if (a !== b) {
          const apart =
            Math.abs(a.position.x - b.position.x) >= NODE_WIDTH ||
            Math.abs(a.position.y - b.position.y) >= NODE_HEIGHT;
          expect(apart).toBe(true);
        }
  });
});
