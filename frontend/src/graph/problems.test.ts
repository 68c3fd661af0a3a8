import { describe, expect, it } from "vitest";
import type { Problem } from "../types";
import { placeProblems } from "./problems";

const problem = (message: string, location: Problem["location"]): Problem => ({
  code: "x",
  severity: "error",
  message,
  location,
});

describe("placing engine problems", () => {
  it("puts problems on their edge, their task or the DAG", () => {
    const placed = placeProblems(
      [
        problem("edge", { edge: ["a", "b"], task_id: "a" }),
        problem("task", { task_id: "b" }),
        problem("gone", { task_id: "zzz" }),
        problem("dag", null),
      ],
      new Set(["a", "b"]),
      new Set(["a->b"]),
    );
    expect(placed.byEdge.get("a->b")!.map((p) => p.message)).toEqual(["edge"]);
    expect(placed.byTask.get("b")!.map((p) => p.message)).toEqual(["task"]);
    expect(placed.general.map((p) => p.message)).toEqual(["gone", "dag"]);
  });

  it("puts a problem about a data flow on its XCom edge", () => {
    const placed = placeProblems(
      [problem("implicit", { edge: ["a", "b"], task_id: "b" })],
      new Set(["a", "b"]),
      new Set(["xcom:a->b"]),
    );
    expect(placed.byEdge.get("xcom:a->b")!.map((p) => p.message)).toEqual(["implicit"]);
  });
});
