import { describe, expect, it } from "vitest";
import { canRedo, canUndo, commit, createHistory, redo, undo } from "./history";

describe("undo/redo history", () => {
  it("undoes and redoes in order", () => {
    let h = createHistory(0);
    h = commit(h, 1);
    h = commit(h, 2);
    h = undo(h);
    expect(h.present).toBe(1);
    h = undo(h);
    expect(h.present).toBe(0);
    expect(canUndo(h)).toBe(false);
    h = redo(h);
    expect(h.present).toBe(1);
    expect(canRedo(h)).toBe(true);
  });

  it("drops the redo branch on a new change", () => {
    let h = commit(commit(createHistory("a"), "b"), "c");
    h = commit(undo(h), "x");
    expect(canRedo(h)).toBe(false);
    expect(undo(h).present).toBe("b");
  });

  it("collapses edits of one group into one step", () => {
    let h = createHistory("");
    for (const s of ["f", "fe", "fet", "fetch"]) h = commit(h, s, "task:a:task_id");
    h = commit(h, "fetch!", "other");
    expect(undo(h).present).toBe("fetch");
    expect(undo(undo(h)).present).toBe("");
  });

  it("does not collapse across an undo", () => {
    let h = commit(createHistory(0), 1, "g");
    h = undo(h);
    h = commit(h, 2, "g");
    expect(undo(h).present).toBe(0);
  });

  it("keeps at most the limit of past steps", () => {
    let h = createHistory(0);
    for (let i = 1; i <= 10; i += 1) h = commit(h, i, null, 3);
    expect(h.past).toEqual([7, 8, 9]);
  });

  it("ignores undo with nothing to undo", () => {
    const h = createHistory(5);
    expect(undo(h)).toBe(h);
    expect(redo(h)).toBe(h);
  });
});
