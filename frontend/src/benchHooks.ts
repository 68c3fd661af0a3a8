// Hooks for the browser benchmark (tests/browser/bench_editor.py), attached only when the page
// is opened with ?bench. They drive the same code path as websocket frames: applyEvents, then
// one patch of the run-state store.
import { applyEvents, emptyRunView, type RunView } from "./graph/runState";
import { runStates } from "./state/stores";
import type { RunEvent } from "./types";

export interface BenchHooks {
  applyRunEvents: (events: RunEvent[]) => number;
}

export function attachBenchHooks(): void {
  let view: RunView = emptyRunView(0);
  const hooks: BenchHooks = {
    applyRunEvents(events) {
      const result = applyEvents(view, events);
      view = result.view;
      runStates.patch(result.changed);
      return result.changed.size;
    },
  };
  (window as unknown as { dagsimBench: BenchHooks }).dagsimBench = hooks;
}
