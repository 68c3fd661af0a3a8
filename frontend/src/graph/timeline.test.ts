import { describe, expect, it } from "vitest";
import { buildTimeline, formatSeconds, tickStep } from "./timeline";

describe("timeline", () => {
  it("groups tries by task in order of first start", () => {
    const t = buildTimeline([
      { task_id: "b", try_number: 1, start: 1, end: 2, state: "up_for_retry" },
      { task_id: "a", try_number: 1, start: 0, end: 1, state: "success" },
      { task_id: "b", try_number: 2, start: 302, end: 303, state: "success" },
    ]);
    expect(t.rows.map((r) => r.taskId)).toEqual(["a", "b"]);
    expect(t.rows[1]!.tries.map((x) => x.try_number)).toEqual([1, 2]);
    expect([t.start, t.end]).toEqual([0, 303]);
  });

  it("is empty without tries", () => {
    expect(buildTimeline([])).toEqual({ rows: [], start: 0, end: 0 });
  });

  it("picks round tick steps", () => {
    expect(tickStep(303)).toBe(100);
    expect(tickStep(12)).toBe(2);
    expect(tickStep(0)).toBe(1);
  });

  it("formats durations", () => {
    expect(formatSeconds(30)).toBe("30s");
    expect(formatSeconds(0.04)).toBe("0.04s");
    expect(formatSeconds(12.25)).toBe("12.3s");
    expect(formatSeconds(330)).toBe("5m 30s");
    expect(formatSeconds(7200)).toBe("2h");
  });
});
