import type { TriggerRule } from "../types";

// One line each, in plain words, as the properties panel shows them. They follow what Airflow
// 3 actually does (shared/conformance/README.md), not only its docs.
export const TRIGGER_RULE_HELP: Record<TriggerRule, string> = {
  all_success: "Runs when every upstream task succeeded (the default).",
  all_failed: "Runs only when every upstream task failed; otherwise it is skipped.",
  all_done: "Runs once every upstream task has finished, whatever the result.",
  all_done_min_one_success:
    "Runs when all upstreams are done and at least one succeeded; a skipped upstream skips it.",
  all_skipped: "Runs only when every upstream task was skipped.",
  one_success: "Runs as soon as any one upstream task succeeds.",
  one_failed: "Runs as soon as any one upstream task fails.",
  one_done: "Runs as soon as any one upstream task succeeds or fails.",
  none_failed:
    "Runs when no upstream failed; skipped upstreams are fine (the usual join after a branch).",
  none_failed_min_one_success: "Runs when no upstream failed and at least one succeeded.",
  none_skipped: "Runs when every upstream has finished and none was skipped.",
  always: "Runs straight away, without waiting for its upstream tasks.",
};

export const DEFAULT_TRIGGER_RULE: TriggerRule = "all_success";
