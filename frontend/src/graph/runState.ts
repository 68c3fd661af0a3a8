// What the browser knows about one run, built from the websocket's snapshot and event frames.
// Pure: the socket client feeds frames in, the canvas reads states out.
import type { Run, RunEvent, TaskInstance, TaskState } from "../types";
import { asTaskState } from "./states";

export interface RunView {
  runId: number;
  runState: string;
  lastSeq: number;
  states: Record<string, TaskState>;
  tries: Record<string, number>;
  reasons: Record<string, string>;
}

export function emptyRunView(runId: number): RunView {
  return { runId, runState: "queued", lastSeq: 0, states: {}, tries: {}, reasons: {} };
}

export function applySnapshot(
  view: RunView,
  run: Pick<Run, "state">,
  taskInstances: readonly TaskInstance[],
  lastSeq: number,
): RunView {
  const states: Record<string, TaskState> = {};
  const tries: Record<string, number> = {};
  const reasons: Record<string, string> = {};
  for (const ti of taskInstances) {
    states[ti.task_id] = asTaskState(ti.state);
    tries[ti.task_id] = ti.try_number;
    if (ti.reason) reasons[ti.task_id] = ti.reason;
  }
  return { ...view, runState: run.state, lastSeq, states, tries, reasons };
}

/**
 * Apply events in seq order; ones already seen (seq <= lastSeq, e.g. replayed after a reconnect)
 * are ignored, so a frame can be applied twice without harm. Returns the task ids that changed.
 */
export function applyEvents(
  view: RunView,
  events: readonly RunEvent[],
): { view: RunView; changed: Map<string, TaskState> } {
  const changed = new Map<string, TaskState>();
  let { lastSeq, runState } = view;
  const tries = { ...view.tries };
  const reasons = { ...view.reasons };
  const sorted = [...events].sort((a, b) => a.seq - b.seq);
  for (const e of sorted) {
    if (e.seq <= lastSeq) continue;
    lastSeq = e.seq;
    if (e.task_id === null) {
      runState = e.to_state;
      continue;
    }
    changed.set(e.task_id, asTaskState(e.to_state));
    if (e.try_number !== null) tries[e.task_id] = e.try_number;
    if (e.reason) reasons[e.task_id] = e.reason;
  }
  if (changed.size === 0 && lastSeq === view.lastSeq && runState === view.runState) {
    return { view, changed };
  }
  const states = changed.size ? { ...view.states, ...Object.fromEntries(changed) } : view.states;
  return { view: { ...view, lastSeq, runState, states, tries, reasons }, changed };
}
