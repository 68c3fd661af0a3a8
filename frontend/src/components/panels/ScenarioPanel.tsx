import { useId, useState, type Dispatch, type SetStateAction } from "react";
import { directDownstream, type Graph, type TaskNode } from "../../graph/model";
import {
  OUTCOME_LABELS,
  describeOutcome,
  isoToLocalInput,
  kindOf,
  localInputToIso,
  outcomeKinds,
  outcomeOfKind,
  pruneScenario,
  setOutcome,
  type OutcomeKind,
} from "../../graph/scenario";
import type { Outcome, ScenarioDocument } from "../../types";

interface Props {
  graph: Graph;
  selectedTask: TaskNode | null;
  scenario: ScenarioDocument;
  setScenario: Dispatch<SetStateAction<ScenarioDocument>>;
  scenarios: Record<string, ScenarioDocument>;
  setScenarios: Dispatch<SetStateAction<Record<string, ScenarioDocument>>>;
  scenarioName: string | null;
  setScenarioName: (name: string | null) => void;
}

function OutcomeEditor({
  node,
  graph,
  outcome,
  onChange,
}: {
  node: TaskNode;
  graph: Graph;
  outcome: Outcome | undefined;
  onChange: (o: Outcome | undefined) => void;
}) {
  const id = useId();
  const op = node.data.task.operator;
  const kinds = outcomeKinds(op);
  const downstream = directDownstream(graph.edges, node.id);
  if (kinds.length === 1) {
    return (
      <p className="hint" data-testid="outcome-fixed">
        A {op} task cannot fail or skip itself: it always succeeds once it runs.
      </p>
    );
  }
  const unset = outcome === undefined && !kinds.includes("success");
  const kind = kindOf(outcome);
  return (
    <div className="outcome-editor" data-testid="outcome-editor">
      <div className="field">
        <label htmlFor={`${id}-kind`}>What {node.id} does</label>
        <select
          id={`${id}-kind`}
          value={unset ? "" : kind}
          data-testid="outcome-kind"
          onChange={(e) => onChange(outcomeOfKind(e.target.value as OutcomeKind, downstream))}
        >
          {unset ? <option value="">— choose (the engine needs one) —</option> : null}
          {kinds.map((k) => (
            <option key={k} value={k}>
              {OUTCOME_LABELS[k]}
            </option>
          ))}
        </select>
      </div>
      {typeof outcome === "object" && "fail_times" in outcome ? (
        <div className="field">
          <label htmlFor={`${id}-n`}>Failing tries (N)</label>
          <input
            id={`${id}-n`}
            type="number"
            min={0}
            step={1}
            value={outcome.fail_times}
            data-testid="fail-times"
            onChange={(e) => {
              const n = Math.max(0, Math.floor(Number(e.target.value) || 0));
              onChange({ fail_times: n });
            }}
          />
          <div className="field-help">
            It ends failed when N is more than its retries (
            {node.data.task.retries ?? "DAG default"}).
          </div>
        </div>
      ) : null}
      {typeof outcome === "object" && "branch" in outcome ? (
        <fieldset className="branch-choice" data-testid="branch-choice">
          <legend>Follow these direct downstream tasks (the others are skipped)</legend>
          {downstream.length === 0 ? <p className="hint">Connect downstream tasks first.</p> : null}
          {downstream.map((d) => (
            <label key={d} className="checkbox">
              <input
                type="checkbox"
                checked={outcome.branch.includes(d)}
                data-testid={`branch-follow-${d}`}
                onChange={(e) =>
                  onChange({
                    branch: e.target.checked
                      ? [...outcome.branch, d]
                      : outcome.branch.filter((b) => b !== d),
                  })
                }
              />
              {d}
            </label>
          ))}
        </fieldset>
      ) : null}
      {typeof outcome === "object" && "short_circuit" in outcome ? (
        <fieldset data-testid="short-circuit-choice">
          <legend>The callable returns</legend>
          {[true, false].map((v) => (
            <label key={String(v)} className="checkbox">
              <input
                type="radio"
                name={`${id}-sc`}
                checked={outcome.short_circuit === v}
                onChange={() => onChange({ short_circuit: v })}
              />
              {v ? "true (carry on)" : "false (skip downstream)"}
            </label>
          ))}
        </fieldset>
      ) : null}
    </div>
  );
}

export function ScenarioPanel(p: Props) {
  const id = useId();
  const [newName, setNewName] = useState("");
  const { scenario } = p;
  const outcomes = Object.entries(scenario.outcomes);
  const names = Object.keys(p.scenarios).sort();
  const update = (next: ScenarioDocument) => {
    p.setScenario(next);
  };
  const saveAs = (name: string) => {
    const trimmed = name.trim();
    if (!trimmed) return;
    p.setScenarios((all) => ({ ...all, [trimmed]: scenario }));
    p.setScenarioName(trimmed);
    setNewName("");
  };
  return (
    <div className="panel scenario" data-testid="scenario-panel">
      <h2>Scenario</h2>
      <p className="hint">
        What each task's own work does; the engine decides the rest. Tasks not listed succeed.
      </p>
      <div className="field">
        <label htmlFor={`${id}-named`}>Saved scenarios</label>
        <div className="field-inline">
          <select
            id={`${id}-named`}
            value={p.scenarioName ?? ""}
            data-testid="scenario-select"
            onChange={(e) => {
              const name = e.target.value || null;
              p.setScenarioName(name);
              if (name && p.scenarios[name]) {
                // A scenario saved before tasks were removed or changed keeps only what fits.
                const operators = new Map(p.graph.nodes.map((n) => [n.id, n.data.task.operator]));
                p.setScenario(pruneScenario(p.scenarios[name], operators));
              }
            }}
          >
            <option value="">— unsaved scenario —</option>
            {names.map((n) => (
              <option key={n} value={n}>
                {n}
              </option>
            ))}
          </select>
          {p.scenarioName ? (
            <>
              <button
                type="button"
                onClick={() => saveAs(p.scenarioName!)}
                title="Store the current outcomes under this name"
              >
                Update
              </button>
              <button
                type="button"
                onClick={() => {
                  const name = p.scenarioName!;
                  p.setScenarios((all) =>
                    Object.fromEntries(Object.entries(all).filter(([k]) => k !== name)),
                  );
                  p.setScenarioName(null);
                }}
              >
                Delete
              </button>
            </>
          ) : null}
        </div>
      </div>
      <div className="field-inline">
        <input
          aria-label="Scenario name"
          placeholder="name, e.g. old ERP fails"
          value={newName}
          data-testid="scenario-name"
          onChange={(e) => setNewName(e.target.value)}
          onKeyDown={(e) => e.key === "Enter" && saveAs(newName)}
        />
        <button
          type="button"
          onClick={() => saveAs(newName)}
          disabled={!newName.trim()}
          data-testid="scenario-save-as"
        >
          Save as
        </button>
      </div>
      <p className="field-help">Named scenarios are stored with the DAG when you save it.</p>

      <div className="field-stack">
        <div className="field">
          <label htmlFor={`${id}-ld`}>Logical date (UTC)</label>
          <input
            id={`${id}-ld`}
            type="datetime-local"
            value={isoToLocalInput(scenario.logical_date)}
            onChange={(e) => {
              const v = localInputToIso(e.target.value);
              const next = { ...scenario };
              if (v) next.logical_date = v;
              else delete next.logical_date;
              update(next);
            }}
          />
        </div>
        <div className="field">
          <label htmlFor={`${id}-now`}>Now (UTC)</label>
          <input
            id={`${id}-now`}
            type="datetime-local"
            value={isoToLocalInput(scenario.now)}
            onChange={(e) => {
              const v = localInputToIso(e.target.value);
              const next = { ...scenario };
              if (v) next.now = v;
              else delete next.now;
              update(next);
            }}
          />
        </div>
      </div>
      <p className="field-help">
        "Now" decides latest-only tasks; empty means this run is the latest.
      </p>

      <h3>Selected task</h3>
      {p.selectedTask ? (
        <OutcomeEditor
          node={p.selectedTask}
          graph={p.graph}
          outcome={scenario.outcomes[p.selectedTask.id]}
          onChange={(o) => update(setOutcome(scenario, p.selectedTask!.id, o))}
        />
      ) : (
        <p className="hint">Select a task on the canvas to set its outcome.</p>
      )}

      <h3>Outcomes set</h3>
      {outcomes.length === 0 ? <p className="hint">None: every task succeeds.</p> : null}
      <ul className="outcome-list" data-testid="outcome-list">
        {outcomes.map(([taskId, outcome]) => (
          <li key={taskId}>
            <span className="outcome-task">{taskId}</span> {describeOutcome(outcome)}
            <button
              type="button"
              aria-label={`Clear the outcome of ${taskId}`}
              onClick={() => update(setOutcome(scenario, taskId, undefined))}
            >
              ×
            </button>
          </li>
        ))}
      </ul>
    </div>
  );
}
