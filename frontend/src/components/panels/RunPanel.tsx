import { useId, useState } from "react";
import type { TaskNode } from "../../graph/model";
import { FINISHED_RUN_STATES } from "../../graph/states";
import { Legend } from "../Legend";
import type { RunControl } from "../useRun";

const SPEEDS: [number, string][] = [
  [1, "1× (real time)"],
  [10, "10×"],
  [60, "60× (a minute a second)"],
  [300, "300×"],
  [3600, "3600× (an hour a second)"],
];

interface Props {
  run: RunControl;
  selectedTask: TaskNode | null;
  onSimulate: () => void;
  onRunLive: (speed: number) => void;
}

export function RunPanel({ run, onSimulate, onRunLive }: Props) {
  const id = useId();
  const [speed, setSpeed] = useState(60);
  const current = run.run;
  const live =
    current?.mode === "live" && !!run.liveState && !FINISHED_RUN_STATES.has(run.liveState);
  return (
    <div className="panel run-panel" data-testid="run-panel">
      <h2>Run</h2>
      <div className="run-actions">
        <button
          type="button"
          className="primary"
          onClick={onSimulate}
          disabled={run.busy}
          data-testid="simulate"
        >
          Simulate
        </button>
        <button
          type="button"
          onClick={() => onRunLive(speed)}
          disabled={run.busy || live}
          data-testid="run-live"
        >
          Run live
        </button>
        {live ? (
          <button
            type="button"
            className="danger"
            onClick={() => void run.cancel()}
            data-testid="cancel-run"
          >
            Cancel
          </button>
        ) : null}
      </div>
      <div className="field">
        <label htmlFor={`${id}-speed`}>Live speed</label>
        <select
          id={`${id}-speed`}
          value={speed}
          data-testid="speed-select"
          onChange={(e) => setSpeed(Number(e.target.value))}
        >
          {SPEEDS.map(([s, label]) => (
            <option key={s} value={s}>
              {label}
            </option>
          ))}
        </select>
      </div>
      <p className="hint">
        Simulate paints the final states at once. Run live plays the run as it happens.
      </p>
      {current ? (
        <div
          className="run-status"
          data-testid="run-status"
          data-run-state={run.liveState ?? current.state}
        >
          Run #{current.id} ({current.mode}
          {current.scenario_name ? `, ${current.scenario_name}` : ""}):{" "}
          <strong>{run.liveState ?? current.state}</strong>
          {run.trace ? ` · ends ${run.trace.run_state} at ${run.trace.makespan_s}s` : ""}
          {run.socketStatus && run.socketStatus !== "closed"
            ? ` · websocket ${run.socketStatus}`
            : ""}
          <button type="button" className="link" onClick={run.clear}>
            clear
          </button>
        </div>
      ) : null}
      <h3>States</h3>
      <Legend />
      <h3>History</h3>
      {run.history.length === 0 ? <p className="hint">No runs yet.</p> : null}
      <ul className="run-history" data-testid="run-history">
        {run.history.map((r) => (
          <li key={r.id} className={r.id === current?.id ? "current" : ""}>
            <button type="button" className="link" onClick={() => void run.show(r.id)}>
              #{r.id}
            </button>{" "}
            {r.mode} · <span className={`run-state-${r.state}`}>{r.state}</span>
            {r.scenario_name ? ` · ${r.scenario_name}` : ""} ·{" "}
            {new Date(r.created_at).toLocaleTimeString()}
          </li>
        ))}
      </ul>
    </div>
  );
}
