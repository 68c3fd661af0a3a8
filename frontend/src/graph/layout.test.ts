import { describe, expect, it } from "vitest";
import { layoutInBrowser } from "./layout";
import { fitToBoxes } from "./layoutFit";
import { NODE_HEIGHT, NODE_WIDTH } from "./model";
import { UMBRELLA } from "./testing/umbrella";

describe("browser layout", () => {
  it("lays a DAG out left to right: every edge points rightwards", () => {
    const ids = UMBRELLA.tasks.map((t) => t.task_id);
    const pos = layoutInBrowser(ids, UMBRELLA.edges);
    expect(Object.keys(pos).sort()).toEqual([...ids].sort());
    for (const [u, v] of UMBRELLA.edges) expect(pos[v]!.x).toBeGreaterThan(pos[u]!.x);
  });

  it("stacks the two branch arms in the same column", () => {
    const pos = layoutInBrowser(
      UMBRELLA.tasks.map((t) => t.task_id),
      UMBRELLA.edges,
    );
    expect(pos.fetch_sales_old!.x).toBe(pos.fetch_sales_new!.x);
    expect(pos.fetch_sales_old!.y).not.toBe(pos.fetch_sales_new!.y);
  });
});

describe("fitting server positions to the editor's boxes", () => {
  it("spreads a tight drawing until no two task boxes overlap", () => {
    // Graphviz-like: three columns 120pt apart, rows 54pt apart.
    const server: Record<string, { x: number; y: number }> = {};
    for (let c = 0; c < 3; c += 1)
      for (let r = 0; r < 4; r += 1) server[`t${c}_${r}`] = { x: c * 120, y: r * 54 };
    const fitted = fitToBoxes(server);
    const boxes = Object.values(fitted);
    for (const a of boxes)
      for (const b of boxes)
        if (a !== b)
          expect(Math.abs(a.x - b.x) >= NODE_WIDTH || Math.abs(a.y - b.y) >= NODE_HEIGHT).toBe(
            true,
          );
  });

  it("leaves a drawing that already fits unchanged in x", () => {
    const fitted = fitToBoxes({ a: { x: 0, y: 0 }, b: { x: 400, y: 0 } });
    expect(fitted.b!.x).toBe(400);
  });
});
