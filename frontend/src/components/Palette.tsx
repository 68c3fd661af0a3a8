import type { DragEvent } from "react";
import type { Operator } from "../types";
import { OperatorIcon } from "./nodes/OperatorIcon";

export const OPERATOR_DRAG_TYPE = "application/x-dagsim-operator";

const ENTRIES: { operator: Operator; label: string; help: string }[] = [
  {
    operator: "empty",
    label: "Empty",
    help: "EmptyOperator: does nothing; a join or a marker.",
  },
  {
    operator: "python",
    label: "Python",
    help: "PythonOperator / @task: work that can succeed, fail or skip.",
  },
  {
    operator: "branch",
    label: "Branch",
    help: "BranchPythonOperator: follows some downstream tasks, skips the rest.",
  },
  {
    operator: "short_circuit",
    label: "Short-circuit",
    help: "ShortCircuitOperator: a false result skips what follows.",
  },
  {
    operator: "latest_only",
    label: "Latest only",
    help: "LatestOnlyOperator: skips its downstream unless this run is the latest.",
  },
];

/** Click to add a task in view, or drag it onto the canvas. */
export function Palette({ onAdd }: { onAdd: (operator: Operator) => void }) {
  const onDragStart = (e: DragEvent, operator: Operator) => {
    e.dataTransfer.setData(OPERATOR_DRAG_TYPE, operator);
    e.dataTransfer.effectAllowed = "move";
  };
  return (
    <nav className="palette" aria-label="Operators">
      <h2>Add task</h2>
      {ENTRIES.map((entry) => (
        <button
          key={entry.operator}
          type="button"
          className={`palette-item op-${entry.operator}`}
          draggable
          onDragStart={(e) => onDragStart(e, entry.operator)}
          onClick={() => onAdd(entry.operator)}
          title={entry.help}
          data-testid={`palette-${entry.operator}`}
        >
          <span className="task-icon" aria-hidden="true">
            <OperatorIcon operator={entry.operator} />
          </span>
          {entry.label}
        </button>
      ))}
      <p className="hint">
        Drag from a task's right handle to another task's left handle to make it downstream.
      </p>
    </nav>
  );
}
