import { describe, expect, it } from "vitest";
import type { RunEvent } from "../types";
import { applyEvents, applySnapshot, emptyRunView } from "./runState";

const event = (seq: number, task_id: string | null, to_state: string): RunEvent => ({
  run: 1,
  seq,
  task_id,
  try_number: task_id ? 1 : null,
  from_state: null,
  to_state,
  reason: `r${seq}`,
  sim_time: seq,
  wall_time: "2026-01-01T00:00:00Z",
});

describe("run view from websocket frames", () => {
  it("starts from a snapshot", () => {
    const v = applySnapshot(
      emptyRunView(1),
      { state: "running" },
      [{ task_id: "a", state: "running", try_number: 1, start: 0, end: null, reason: null }],
      4,
    );
    expect(v).toMatchObject({ runState: "running", lastSeq: 4, states: { a: "running" } });
  });

  it("applies events in seq order and reports what changed", () => {
    const { view, changed } = applyEvents(emptyRunView(1), [
      event(2, "a", "success"),
      event(1, "a", "running"),
      event(3, "b", "skipped"),
      event(4, null, "success"),
    ]);
    expect(view.states).toEqual({ a: "success", b: "skipped" });
    expect(view.runState).toBe("success");
    expect(view.lastSeq).toBe(4);
    expect([...changed.keys()]).toEqual(["a", "b"]);
  });

  it("ignores events it has already seen", () => {
    const first = applyEvents(emptyRunView(1), [
      event(1, "a", "running"),
      event(2, "a", "failed"),
    ]).view;
    const again = applyEvents(first, [event(1, "a", "running"), event(2, "a", "failed")]);
    expect(again.view).toBe(first);
    expect(again.changed.size).toBe(0);
  });

  it("maps unknown states to none", () => {
    expect(applyEvents(emptyRunView(1), [event(1, "a", "deferred")]).view.states.a).toBe("none");
  });

  it("applies a thousand changes in one call", () => {
    const events = Array.from({ length: 1000 }, (_, i) => event(i + 1, `t${i}`, "success"));
    const { view, changed } = applyEvents(emptyRunView(1), events);
    expect(changed.size).toBe(1000);
    expect(view.lastSeq).toBe(1000);
  });
});
