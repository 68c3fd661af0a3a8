import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { DagDocument } from "../types";
import { UMBRELLA } from "./testing/umbrella";
import { documentToGraph, graphToDocument, positionsOf, readLayout, xcomEdges } from "./model";

const CASES = join(__dirname, "../../../../shared/conformance/cases");

describe("mapping to and from the interchange format", () => {
  it("round-trips the umbrella DAG unchanged", () => {
    expect(graphToDocument(documentToGraph(UMBRELLA))).toEqual(UMBRELLA);
  });

  it("keeps unknown and DAG-level fields it has no control for", () => {
    const doc = {
      ...UMBRELLA,
      max_active_tasks: 4,
      pools: { db: 2 },
      notes: "kept",
      tasks: [{ task_id: "t", operator: "python" as const, colour: "teal", priority_weight: 3 }],
      edges: [],
    };
    expect(graphToDocument(documentToGraph(doc))).toEqual(doc);
  });

  it("does not invent optional keys the document lacked", () => {
    const doc: DagDocument = { format: "dagsim/1", dag_id: "bare", tasks: [], edges: [] };
    expect(graphToDocument(documentToGraph(doc))).toEqual(doc);
  });

  it("keeps an explicit null schedule", () => {
    const doc: DagDocument = {
      format: "dagsim/1",
      dag_id: "m",
      schedule: null,
      tasks: [],
      edges: [],
    };
    expect(graphToDocument(documentToGraph(doc))).toEqual(doc);
  });

  it("round-trips every conformance case's DAG", () => {
    const files = readdirSync(CASES).filter((f) => f.endsWith(".json"));
    expect(files.length).toBeGreaterThan(100);
    for (const f of files) {
      const { dag } = JSON.parse(readFileSync(join(CASES, f), "utf8")) as { dag: DagDocument };
      expect(graphToDocument(documentToGraph(dag)), f).toEqual(dag);
    }
  });

  it("places tasks at their stored positions", () => {
    const graph = documentToGraph(UMBRELLA, { start: { x: 5, y: 7 } });
    expect(graph.nodes[0]!.position).toEqual({ x: 5, y: 7 });
    expect(positionsOf(graph.nodes).start).toEqual({ x: 5, y: 7 });
  });

  it("uses the operator as the node type", () => {
    const types = documentToGraph(UMBRELLA).nodes.map((n) => n.type);
    expect(types.slice(0, 2)).toEqual(["empty", "branch"]);
  });

  it("reads both stored layout shapes and drops junk", () => {
    expect(readLayout({ a: { x: 1, y: 2 }, b: "x" })).toEqual({ a: { x: 1, y: 2 } });
    expect(readLayout({ positions: { a: { x: 1, y: 2 } } })).toEqual({ a: { x: 1, y: 2 } });
    expect(readLayout(null)).toEqual({});
  });

  it("draws xcom_pull as a data edge that is not a dependency", () => {
    const graph = documentToGraph(UMBRELLA);
    const data = xcomEdges(graph.nodes);
    expect(data).toHaveLength(1);
    expect(data[0]).toMatchObject({ source: "train_model", target: "deploy_model", type: "xcom" });
    expect(graphToDocument({ ...graph, edges: [...graph.edges, ...data] }).edges).toEqual(
      UMBRELLA.edges,
    );
  });
});
