import { describe, expect, it } from "vitest";
import { keyProblem, renameProblem, uniqueId } from "./taskId";

describe("Airflow's task id rule", () => {
  it.each(["extract", "fetch.sales-old_2", "A1", "a".repeat(250)])("accepts %s", (id) => {
    expect(keyProblem(id)).toBeNull();
  });

  it("refuses an empty id", () => {
    expect(keyProblem("")).toMatch(/cannot be empty/);
  });

  it("refuses more than 250 characters", () => {
    expect(keyProblem("a".repeat(251))).toMatch(/longer than 250/);
  });

  it("names the characters it refuses", () => {
    expect(keyProblem("my task/1")).toMatch(/found space, "\/"/);
  });

  it("refuses a rename onto another task's id but not onto itself", () => {
    const existing = new Set(["a", "b"]);
    expect(renameProblem("b", "a", existing)).toMatch(/already called "b"/);
    expect(renameProblem("a", "a", existing)).toBeNull();
  });

  it("makes a free id by suffixing", () => {
    expect(uniqueId("python", new Set())).toBe("python");
    expect(uniqueId("python", new Set(["python", "python_2"]))).toBe("python_3");
  });
});
