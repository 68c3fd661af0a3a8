import { describe, expect, it } from "vitest";
import type { EdgePair } from "../types";
import { cycleIfConnected, findCycle, findPath } from "./cycle";

const chain: EdgePair[] = [
  ["a", "b"],
  ["b", "c"],
  ["c", "d"],
];

describe("cycle check", () => {
  it("finds a shortest path", () => {
    expect(findPath([...chain, ["a", "d"]], "a", "d")).toEqual(["a", "d"]);
    expect(findPath(chain, "d", "a")).toBeNull();
  });

  it("reports the cycle a back edge would close", () => {
    expect(cycleIfConnected(chain, "d", "a")).toEqual(["d", "a", "b", "c", "d"]);
  });

  it("allows a forward or parallel edge", () => {
    expect(cycleIfConnected(chain, "a", "c")).toBeNull();
    expect(cycleIfConnected(chain, "a", "z")).toBeNull();
  });

  it("treats a self edge as a cycle", () => {
    expect(cycleIfConnected(chain, "b", "b")).toEqual(["b", "b"]);
  });

  it("finds a cycle in a whole graph and none in a DAG", () => {
    expect(findCycle(["a", "b", "c", "d"], chain)).toBeNull();
    const cycle = findCycle(["a", "b", "c", "d"], [...chain, ["c", "b"]]);
    expect(cycle).toEqual(["b", "c", "b"]);
  });

  it("copes with a long chain without recursion", () => {
    const n = 20000;
    const edges: EdgePair[] = [];
    for (let i = 0; i < n - 1; i += 1) edges.push([`t${i}`, `t${i + 1}`]);
    const ids = edges.map(([u]) => u).concat(`t${n - 1}`);
    expect(findCycle(ids, edges)).toBeNull();
    expect(cycleIfConnected(edges, `t${n - 1}`, "t0")).toHaveLength(n + 1);
  });
});
