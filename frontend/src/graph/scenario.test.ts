import { describe, expect, it } from "vitest";
import type { Operator, ScenarioDocument } from "../types";
import {
  describeOutcome,
  isoToLocalInput,
  kindOf,
  localInputToIso,
  outcomeKinds,
  outcomeOfKind,
  pruneScenario,
  readScenarios,
  renameInScenario,
  setOutcome,
} from "./scenario";

describe("scenario outcomes", () => {
  it("offers only success for tasks that cannot fail themselves", () => {
    expect(outcomeKinds("empty")).toEqual(["success"]);
    expect(outcomeKinds("latest_only")).toEqual(["success"]);
    expect(outcomeKinds("branch")).toContain("branch");
    expect(outcomeKinds("python")).not.toContain("branch");
  });

  it("knows the kind of every outcome shape", () => {
    expect(kindOf(undefined)).toBe("success");
    expect(kindOf("skipped")).toBe("skipped");
    expect(kindOf({ fail_times: 2 })).toBe("fail_times");
    expect(kindOf({ branch: [] })).toBe("branch");
    expect(kindOf({ short_circuit: false })).toBe("short_circuit");
  });

  it("defaults a branch to its first direct downstream", () => {
    expect(outcomeOfKind("branch", ["old", "new"])).toEqual({ branch: ["old"] });
    expect(outcomeOfKind("success", [])).toBeUndefined();
  });

  it("sets and clears an outcome without touching the input", () => {
    const s: ScenarioDocument = { logical_date: "2024-03-01T00:00:00Z", outcomes: {} };
    const t = setOutcome(s, "a", "failed");
    expect(t.outcomes).toEqual({ a: "failed" });
    expect(s.outcomes).toEqual({});
    expect(setOutcome(t, "a", undefined).outcomes).toEqual({});
  });

  it("follows a rename in keys and branch lists", () => {
    const s: ScenarioDocument = { outcomes: { pick: { branch: ["old"] }, old: "failed" } };
    expect(renameInScenario(s, "old", "legacy").outcomes).toEqual({
      pick: { branch: ["legacy"] },
      legacy: "failed",
    });
  });

  it("prunes outcomes for removed tasks and ones the operator no longer allows", () => {
    const ops = new Map<string, Operator>([
      ["pick", "branch"],
      ["a", "empty"],
    ]);
    const s: ScenarioDocument = {
      outcomes: { pick: { branch: ["a", "gone"] }, a: "failed", gone: "failed" },
    };
    expect(pruneScenario(s, ops).outcomes).toEqual({ pick: { branch: ["a"] } });
  });

  it("describes outcomes in words", () => {
    expect(describeOutcome({ branch: ["x", "y"] })).toBe("follows x, y");
    expect(describeOutcome({ fail_times: 2 })).toBe("fails 2×, then succeeds");
    expect(describeOutcome({ short_circuit: false })).toBe("returns false");
  });

  it("reads stored named scenarios as a list or a mapping", () => {
    const sc = { outcomes: {} };
    expect(readScenarios([{ name: "a", scenario: sc }, { bad: 1 }])).toEqual([
      { name: "a", scenario: sc },
    ]);
    expect(readScenarios({ b: sc })).toEqual([{ name: "b", scenario: sc }]);
    expect(readScenarios(null)).toEqual([]);
  });

  it("converts date inputs as UTC", () => {
    expect(localInputToIso("2024-03-01T00:05")).toBe("2024-03-01T00:05:00Z");
    expect(localInputToIso("")).toBeUndefined();
    expect(isoToLocalInput("2024-03-01T00:05:00Z")).toBe("2024-03-01T00:05");
  });
});
