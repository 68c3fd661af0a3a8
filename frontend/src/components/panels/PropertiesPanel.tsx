import { useId, useState } from "react";
import type { TaskPatch } from "../../graph/edit";
import type { Graph, TaskNode } from "../../graph/model";
import { renameProblem } from "../../graph/taskId";
import { DEFAULT_TRIGGER_RULE, TRIGGER_RULE_HELP } from "../../graph/triggerRules";
import {
  OPERATORS,
  TRIGGER_RULES,
  type Operator,
  type TriggerRule,
  type XComPull,
} from "../../types";
import { NumberField, TextField } from "./fields";

const OPERATOR_LABELS: Record<Operator, string> = {
  empty: "empty (EmptyOperator)",
  python: "python (PythonOperator, @task)",
  branch: "branch (BranchPythonOperator)",
  short_circuit: "short_circuit (ShortCircuitOperator)",
  latest_only: "latest_only (LatestOnlyOperator)",
};

interface Props {
  node: TaskNode;
  graph: Graph;
  onRename: (from: string, to: string) => string | null;
  onUpdate: (id: string, patch: TaskPatch, group: string) => void;
}

export function PropertiesPanel({ node, graph, onRename, onUpdate }: Props) {
  const task = node.data.task;
  const ids = new Set(graph.nodes.map((n) => n.id));
  const idInput = useId();
  const [draftId, setDraftId] = useState(task.task_id);
  const idProblem = renameProblem(draftId, task.task_id, ids);
  const set = (field: string) => (value: unknown) =>
    onUpdate(task.task_id, { [field]: value }, `task:${task.task_id}:${field}`);

  const applyRename = () => {
    if (draftId === task.task_id || idProblem) return;
    const refused = onRename(task.task_id, draftId);
    if (refused) setDraftId(task.task_id);
  };

  const rule: TriggerRule = task.trigger_rule ?? DEFAULT_TRIGGER_RULE;
  const pushes = Object.entries(task.xcom_push ?? {});
  const pulls: XComPull[] = task.xcom_pull ?? [];
  const others = graph.nodes.filter((n) => n.id !== task.task_id).map((n) => n.id);

  return (
    <form
      className="panel properties"
      onSubmit={(e) => e.preventDefault()}
      data-testid="properties"
    >
      <h2>Task</h2>
      <div className="field">
        <label htmlFor={idInput}>Task id</label>
        <input
          id={idInput}
          value={draftId}
          aria-invalid={idProblem ? true : undefined}
          data-testid="task-id-input"
          onChange={(e) => setDraftId(e.target.value)}
          onBlur={applyRename}
          onKeyDown={(e) => {
            if (e.key === "Enter") {
              e.preventDefault();
              applyRename();
            } else if (e.key === "Escape") setDraftId(task.task_id);
          }}
        />
        {idProblem ? (
          <div className="field-error" data-testid="task-id-error">
            {idProblem}
          </div>
        ) : draftId !== task.task_id ? (
          <div className="field-help">Press Enter to rename; edges follow.</div>
        ) : null}
      </div>

      <div className="field">
        <label htmlFor={`${idInput}-op`}>Operator</label>
        <select
          id={`${idInput}-op`}
          value={task.operator}
          data-testid="operator-select"
          onChange={(e) => set("operator")(e.target.value as Operator)}
        >
          {OPERATORS.map((op) => (
            <option key={op} value={op}>
              {OPERATOR_LABELS[op]}
            </option>
          ))}
        </select>
      </div>

      <div className="field">
        <label htmlFor={`${idInput}-rule`}>Trigger rule</label>
        <select
          id={`${idInput}-rule`}
          value={rule}
          data-testid="trigger-rule-select"
          onChange={(e) =>
            set("trigger_rule")(
              e.target.value === DEFAULT_TRIGGER_RULE ? undefined : e.target.value,
            )
          }
        >
          {TRIGGER_RULES.map((r) => (
            <option key={r} value={r} title={TRIGGER_RULE_HELP[r]}>
              {r}
            </option>
          ))}
        </select>
        <div className="field-help" data-testid="trigger-rule-help">
          {TRIGGER_RULE_HELP[rule]}
        </div>
      </div>

      <div className="field-row">
        <NumberField
          label="Retries"
          integer
          value={task.retries}
          placeholder="DAG default"
          onChange={set("retries")}
          testId="retries-input"
        />
        <NumberField
          label="Retry delay (s)"
          value={task.retry_delay_s}
          placeholder="DAG default"
          onChange={set("retry_delay_s")}
        />
      </div>
      <NumberField
        label="Duration (s)"
        value={task.duration_s}
        placeholder="1"
        help="How long one try takes in simulated time."
        onChange={set("duration_s")}
      />
      <div className="field-row">
        <TextField
          label="Pool"
          value={task.pool ?? ""}
          placeholder="default_pool"
          onChange={(v) => set("pool")(v.trim() ? v.trim() : undefined)}
        />
        <NumberField
          label="Slots"
          integer
          min={1}
          value={task.pool_slots}
          placeholder="1"
          onChange={set("pool_slots")}
        />
      </div>

      {task.operator === "short_circuit" ? (
        <div className="field checkbox">
          <label>
            <input
              type="checkbox"
              checked={task.ignore_downstream_trigger_rules ?? true}
              onChange={(e) => set("ignore_downstream_trigger_rules")(e.target.checked)}
            />
            Skip everything downstream (ignore_downstream_trigger_rules)
          </label>
          <div className="field-help">
            {(task.ignore_downstream_trigger_rules ?? true)
              ? "A false result skips every task after this one, whatever its trigger rule."
              : "A false result skips only the direct downstream tasks; the rest follow their trigger rules."}
          </div>
        </div>
      ) : null}

      <fieldset className="xcom">
        <legend>XCom push</legend>
        {pushes.map(([key, value], i) => (
          <div className="xcom-row" key={i}>
            <input
              aria-label="key"
              value={key}
              onChange={(e) => {
                const next = Object.fromEntries(
                  pushes.map(([k, v], j) => (j === i ? [e.target.value, v] : [k, v])),
                );
                set("xcom_push")(next);
              }}
            />
            <input
              aria-label="value"
              value={value}
              onChange={(e) => set("xcom_push")({ ...task.xcom_push, [key]: e.target.value })}
            />
            <button
              type="button"
              aria-label={`Remove ${key}`}
              onClick={() => {
                const next = Object.fromEntries(pushes.filter((_, j) => j !== i));
                set("xcom_push")(Object.keys(next).length ? next : undefined);
              }}
            >
              ×
            </button>
          </div>
        ))}
        <button
          type="button"
          onClick={() => {
            let n = pushes.length + 1;
            while (task.xcom_push && `key${n}` in task.xcom_push) n += 1;
            set("xcom_push")({ ...task.xcom_push, [`key${n}`]: "value" });
          }}
        >
          + value
        </button>
      </fieldset>

      <fieldset className="xcom">
        <legend>XCom pull</legend>
        {pulls.map((pull, i) => (
          <div className="xcom-row" key={i}>
            <select
              aria-label="from task"
              value={pull.task_id}
              onChange={(e) =>
                set("xcom_pull")(
                  pulls.map((p, j) => (j === i ? { ...p, task_id: e.target.value } : p)),
                )
              }
            >
              {[pull.task_id, ...others.filter((o) => o !== pull.task_id)].map((o) => (
                <option key={o} value={o}>
                  {o}
                </option>
              ))}
            </select>
            <input
              aria-label="key"
              value={pull.key}
              onChange={(e) =>
                set("xcom_pull")(pulls.map((p, j) => (j === i ? { ...p, key: e.target.value } : p)))
              }
            />
            <button
              type="button"
              aria-label="Remove pull"
              onClick={() => {
                const next = pulls.filter((_, j) => j !== i);
                set("xcom_pull")(next.length ? next : undefined);
              }}
            >
              ×
            </button>
          </div>
        ))}
        {others.length ? (
          <button
            type="button"
            onClick={() =>
              set("xcom_pull")([...pulls, { task_id: others[0]!, key: "return_value" }])
            }
          >
            + pull
          </button>
        ) : null}
      </fieldset>
    </form>
  );
}
