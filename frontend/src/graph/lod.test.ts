import { describe, expect, it } from "vitest";
import { dependencyEdge, NODE_HEIGHT, NODE_WIDTH, taskNode, type FlowEdge } from "./model";
import { isOverview, overviewPaths, staleStates, DETAIL_ZOOM } from "./lod";
import type { TaskState } from "../types";

const node = (id: string, x: number, y: number) =>
  taskNode({ task_id: id, operator: "python" }, { x, y });

describe("the overview threshold", () => {
  it("switches at DETAIL_ZOOM", () => {
    expect(isOverview(0.09)).toBe(true);
    expect(isOverview(DETAIL_ZOOM)).toBe(false);
    expect(isOverview(1)).toBe(false);
  });
});

describe("overview edge paths", () => {
  const nodes = [node("a", 0, 0), node("b", 400, 100), node("c", 400, 300)];
  const none = () => false;

  it("runs each dependency from the source's right side to the target's left side", () => {
    const paths = overviewPaths(nodes, [dependencyEdge("a", "b")], none);
    expect(paths.dependency.startsWith(`M${NODE_WIDTH},${NODE_HEIGHT / 2}`)).toBe(true);
    expect(paths.dependency.endsWith(`400,${100 + NODE_HEIGHT / 2}`)).toBe(true);
    expect(paths.xcom).toBe("");
  });

  it("puts every edge of a kind into one path", () => {
    const paths = overviewPaths(nodes, [dependencyEdge("a", "b"), dependencyEdge("a", "c")], none);
    expect(paths.dependency.match(/M/g)).toHaveLength(2);
  });

  it("sorts edges into data, problem and selected paths", () => {
    const xcom: FlowEdge = { id: "x", source: "a", target: "c", type: "xcom" };
    const chosen = { ...dependencyEdge("b", "c"), selected: true };
    const paths = overviewPaths(
      nodes,
      [dependencyEdge("a", "b"), xcom, chosen],
      (id) => id === "a->b",
    );
    expect(paths.dependency).toBe("");
    expect(paths.problem.match(/M/g)).toHaveLength(1);
    expect(paths.xcom.match(/M/g)).toHaveLength(1);
    expect(paths.selected.match(/M/g)).toHaveLength(1);
  });

  it("leaves out an edge whose task is gone", () => {
    const paths = overviewPaths(nodes, [dependencyEdge("a", "gone")], none);
    expect(paths.dependency).toBe("");
  });

  it("uses a task's measured size when React Flow has measured it", () => {
    const wide = { ...node("a", 0, 0), measured: { width: 300, height: 40 } };
    const paths = overviewPaths([wide, nodes[1]!], [dependencyEdge("a", "b")], none);
    expect(paths.dependency.startsWith("M300,20")).toBe(true);
  });
});

describe("stale run states", () => {
  const states: Record<string, TaskState> = { a: "success", b: "failed" };
  const current = (id: string) => states[id];

  it("lists only the boxes whose shown state differs, with the state to show", () => {
    const boxes = [
      { id: "a", shown: "success" as TaskState },
      { id: "b", shown: "running" as TaskState },
      { id: "c", shown: "queued" as TaskState },
      { id: "d", shown: undefined },
    ];
    expect(staleStates(boxes, current)).toEqual([
      [1, "failed"],
      [2, undefined],
    ]);
  });
});
