import { STATE_COLOURS, STATE_LABELS } from "../graph/states";
import { TASK_STATES } from "../types";

/** Airflow's state colours, as the nodes use them. */
export function Legend({ compact = false }: { compact?: boolean }) {
  return (
    <ul
      className={compact ? "legend compact" : "legend"}
      aria-label="Task state colours"
      data-testid="legend"
    >
      {TASK_STATES.map((state) => (
        <li key={state}>
          <span className="swatch" style={{ background: STATE_COLOURS[state] }} />
          {STATE_LABELS[state]}
        </li>
      ))}
    </ul>
  );
}
