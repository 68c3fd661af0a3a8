import type { TaskState } from "../types";

// Airflow's own state colours (airflow/settings.py STATE_COLORS), so a user's eye carries over.
export const STATE_COLOURS: Record<TaskState, string> = {
  success: "green",
  failed: "red",
  skipped: "hotpink",
  upstream_failed: "orange",
  up_for_retry: "gold",
  running: "lime",
  queued: "gray",
  scheduled: "tan",
  none: "lightblue",
};

export const STATE_LABELS: Record<TaskState, string> = {
  success: "success",
  failed: "failed",
  skipped: "skipped",
  upstream_failed: "upstream failed",
  up_for_retry: "up for retry",
  running: "running",
  queued: "queued",
  scheduled: "scheduled",
  none: "no status",
};

const KNOWN = new Set<string>(Object.keys(STATE_COLOURS));

/** Normalise a server state string; unknown or null states count as "none". */
export function asTaskState(state: string | null | undefined): TaskState {
  return state && KNOWN.has(state) ? (state as TaskState) : "none";
}

export const FINISHED_RUN_STATES = new Set(["success", "failed", "cancelled", "canceled"]);
