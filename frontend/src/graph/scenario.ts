// The scenario: what each task's own work does. Which outcomes make sense depends on the
// operator (shared/spec/dag-format.md): empty and latest-only tasks cannot fail or skip
// themselves, a branch names the downstream tasks it follows, a short-circuit says true/false.
import type { Operator, Outcome, ScenarioDocument, NamedScenario } from "../types";

export type OutcomeKind =
  "success" | "failed" | "skipped" | "fail_times" | "branch" | "short_circuit";

export const OUTCOME_LABELS: Record<OutcomeKind, string> = {
  success: "succeeds",
  failed: "fails (every try)",
  skipped: "skips itself",
  fail_times: "fails N times, then succeeds",
  branch: "branch: follows…",
  short_circuit: "short-circuit: returns…",
};

export function outcomeKinds(operator: Operator): OutcomeKind[] {
  switch (operator) {
    case "empty":
    case "latest_only":
      return ["success"];
    case "python":
      return ["success", "failed", "skipped", "fail_times"];
    case "branch":
      return ["branch", "failed", "skipped", "fail_times"];
    case "short_circuit":
      return ["short_circuit", "failed", "skipped", "fail_times"];
  }
}

export function kindOf(outcome: Outcome | undefined): OutcomeKind {
  if (outcome === undefined) return "success";
  if (typeof outcome === "string") return outcome;
  if ("fail_times" in outcome) return "fail_times";
  if ("branch" in outcome) return "branch";
  return "short_circuit";
}

/** The default outcome of a kind when the user switches to it. */
export function outcomeOfKind(
  kind: OutcomeKind,
  downstream: readonly string[],
): Outcome | undefined {
  switch (kind) {
    case "success":
      return undefined;
    case "failed":
    case "skipped":
      return kind;
    case "fail_times":
      return { fail_times: 1 };
    case "branch":
      return { branch: downstream.slice(0, 1) };
    case "short_circuit":
      return { short_circuit: true };
  }
}

export function setOutcome(
  scenario: ScenarioDocument,
  taskId: string,
  outcome: Outcome | undefined,
): ScenarioDocument {
  const outcomes = { ...scenario.outcomes };
  if (outcome === undefined) delete outcomes[taskId];
  else outcomes[taskId] = outcome;
  return { ...scenario, outcomes };
}

/** Follow a task rename: its own outcome and any branch lists naming it. */
export function renameInScenario(
  scenario: ScenarioDocument,
  from: string,
  to: string,
): ScenarioDocument {
  const outcomes: Record<string, Outcome> = {};
  for (const [id, outcome] of Object.entries(scenario.outcomes)) {
    const renamed =
      typeof outcome === "object" && "branch" in outcome
        ? { branch: outcome.branch.map((b) => (b === from ? to : b)) }
        : outcome;
    outcomes[id === from ? to : id] = renamed;
  }
  return { ...scenario, outcomes };
}

/**
 * Drop outcomes the current graph cannot take: tasks that are gone, or outcomes the operator
 * does not allow (a python task turned into an empty one). Branch lists keep ids that are gone
 * out, since naming a non-existent task makes the branch fail, which the user did not ask for.
 */
export function pruneScenario(
  scenario: ScenarioDocument,
  operators: ReadonlyMap<string, Operator>,
): ScenarioDocument {
  const outcomes: Record<string, Outcome> = {};
  for (const [id, outcome] of Object.entries(scenario.outcomes)) {
    const op = operators.get(id);
    if (!op || !outcomeKinds(op).includes(kindOf(outcome))) continue;
    outcomes[id] =
      typeof outcome === "object" && "branch" in outcome
        ? { branch: outcome.branch.filter((b) => operators.has(b)) }
        : outcome;
  }
  return { ...scenario, outcomes };
}

export function describeOutcome(outcome: Outcome | undefined): string {
  const kind = kindOf(outcome);
  if (typeof outcome === "object") {
    if ("fail_times" in outcome) return `fails ${outcome.fail_times}×, then succeeds`;
    if ("branch" in outcome)
      return outcome.branch.length ? `follows ${outcome.branch.join(", ")}` : "follows nothing";
    return `returns ${outcome.short_circuit ? "true" : "false"}`;
  }
  return OUTCOME_LABELS[kind];
}

export function emptyScenario(): ScenarioDocument {
  return { outcomes: {} };
}

/** Named scenarios as stored with the DAG: a list of {name, scenario}. Bad entries are dropped. */
export function readScenarios(stored: unknown): NamedScenario[] {
  const list = Array.isArray(stored)
    ? stored
    : stored && typeof stored === "object"
      ? Object.entries(stored).map(([name, scenario]) => ({ name, scenario }))
      : [];
  return list.filter(
    (s): s is NamedScenario =>
      !!s &&
      typeof s === "object" &&
      typeof (s as NamedScenario).name === "string" &&
      !!(s as NamedScenario).scenario &&
      typeof (s as NamedScenario).scenario.outcomes === "object",
  );
}

/** ISO 8601 in UTC with a Z, as the spec writes dates; "" for an empty input. */
export function localInputToIso(value: string): string | undefined {
  if (!value) return undefined;
  const date = new Date(`${value}Z`);
  return Number.isNaN(date.getTime()) ? undefined : date.toISOString().replace(".000Z", "Z");
}

export function isoToLocalInput(iso: string | undefined | null): string {
  if (!iso) return "";
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? "" : date.toISOString().slice(0, 16);
}
