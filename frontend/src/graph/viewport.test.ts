import { describe, expect, it } from "vitest";
import { taskNode } from "./model";
import { openingTasks, WHOLE_VIEW_LIMIT } from "./viewport";

const grid = (n: number) =>
  Array.from({ length: n }, (_, i) =>
    taskNode({ task_id: `t${i}`, operator: "python" }, { x: (n - i) * 10, y: i % 7 }),
  );

describe("the opening view", () => {
  it("shows a small DAG whole", () => {
    expect(openingTasks(grid(WHOLE_VIEW_LIMIT))).toBeNull();
  });

  it("opens a large DAG on its leftmost tasks", () => {
    const ids = openingTasks(grid(1000))!;
    expect(ids).toHaveLength(40);
    expect(ids[0]).toBe("t999");
    expect(ids).not.toContain("t0");
  });
});
