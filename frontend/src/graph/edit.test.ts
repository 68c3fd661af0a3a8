import { describe, expect, it } from "vitest";
import { addTask, connect, copy, isRefusal, paste, remove, renameTask, updateTask } from "./edit";
import { documentToGraph, edgePairs, graphToDocument, type Graph } from "./model";
import { UMBRELLA } from "./testing/umbrella";

const umbrella = (): Graph => documentToGraph(UMBRELLA);

describe("editing the graph", () => {
  it("adds a task with a free id, selected alone", () => {
    const { graph, id } = addTask(addTask(umbrella(), "python", { x: 0, y: 0 }).graph, "python", {
      x: 1,
      y: 1,
    });
    expect(id).toBe("python_2");
    expect(graph.nodes.filter((n) => n.selected).map((n) => n.id)).toEqual(["python_2"]);
  });

  it("connects two tasks", () => {
    const g = connect(umbrella(), "start", "deploy_model");
    expect(isRefusal(g)).toBe(false);
    expect(edgePairs((g as Graph).edges)).toContainEqual(["start", "deploy_model"]);
  });

  it("refuses a connection that closes a cycle and names the cycle", () => {
    const result = connect(umbrella(), "join_erp_branch", "pick_erp_system");
    expect(isRefusal(result) && result.refused).toMatch(
      /cycle \(join_erp_branch → pick_erp_system → fetch_sales_old → join_erp_branch\)/,
    );
  });

  it("refuses duplicate and self edges", () => {
    expect(isRefusal(connect(umbrella(), "start", "pick_erp_system"))).toBe(true);
    expect(isRefusal(connect(umbrella(), "start", "start"))).toBe(true);
  });

  it("removes a task with its edges and the xcom pulls that named it", () => {
    const g = remove(umbrella(), ["train_model"]);
    const doc = graphToDocument(g);
    expect(doc.tasks.map((t) => t.task_id)).not.toContain("train_model");
    expect(doc.edges.flat()).not.toContain("train_model");
    expect(doc.tasks.find((t) => t.task_id === "deploy_model")).not.toHaveProperty("xcom_pull");
  });

  it("removes a single edge by id", () => {
    const g = remove(umbrella(), [], ["start->pick_erp_system"]);
    expect(edgePairs(g.edges)).not.toContainEqual(["start", "pick_erp_system"]);
    expect(g.nodes).toHaveLength(UMBRELLA.tasks.length);
  });

  it("renames a task and its edges and xcom references follow", () => {
    const g = renameTask(umbrella(), "train_model", "fit_model") as Graph;
    const doc = graphToDocument(g);
    expect(doc.edges).toContainEqual(["check_quality", "fit_model"]);
    expect(doc.edges).toContainEqual(["fit_model", "deploy_model"]);
    expect(doc.tasks.find((t) => t.task_id === "deploy_model")?.xcom_pull).toEqual([
      { task_id: "fit_model", key: "model_id" },
    ]);
    expect(g.nodes.map((n) => n.id)).toContain("fit_model");
  });

  it("refuses a rename to an invalid or taken id and changes nothing", () => {
    const before = umbrella();
    expect(renameTask(before, "start", "bad id")).toEqual({
      refused: expect.stringMatching(/space/),
    });
    expect(renameTask(before, "start", "train_model")).toEqual({
      refused: expect.stringMatching(/already/),
    });
    expect(graphToDocument(before)).toEqual(UMBRELLA);
  });

  it("sets and clears task fields, changing the node type with the operator", () => {
    let g = updateTask(umbrella(), "start", { trigger_rule: "always", retries: 2 });
    expect(g.nodes[0]!.data.task).toMatchObject({ trigger_rule: "always", retries: 2 });
    g = updateTask(g, "start", { retries: undefined, operator: "python" });
    expect(g.nodes[0]!.data.task).not.toHaveProperty("retries");
    expect(g.nodes[0]!.type).toBe("python");
  });

  it("drops the short-circuit flag when the operator changes", () => {
    const g = updateTask(umbrella(), "check_quality", { operator: "python" });
    expect(g.nodes.find((n) => n.id === "check_quality")!.data.task).not.toHaveProperty(
      "ignore_downstream_trigger_rules",
    );
  });

  it("pastes copies with fresh ids, inner edges and renamed xcom references", () => {
    const g0 = umbrella();
    const clip = copy(g0, ["train_model", "deploy_model"])!;
    expect(clip.edges).toEqual([["train_model", "deploy_model"]]);
    const { graph, ids } = paste(g0, clip);
    expect(ids).toEqual(["train_model_2", "deploy_model_2"]);
    expect(edgePairs(graph.edges)).toContainEqual(["train_model_2", "deploy_model_2"]);
    const pasted = graph.nodes.find((n) => n.id === "deploy_model_2")!;
    expect(pasted.data.task.xcom_pull).toEqual([{ task_id: "train_model_2", key: "model_id" }]);
    expect(pasted.selected).toBe(true);
    expect(graph.nodes.find((n) => n.id === "deploy_model")!.data.task.xcom_pull![0]!.task_id).toBe(
      "train_model",
    );
  });

  it("copies nothing from an empty selection", () => {
    expect(copy(umbrella(), [])).toBeNull();
  });
});
