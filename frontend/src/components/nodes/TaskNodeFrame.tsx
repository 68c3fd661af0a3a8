import { Handle, Position, useStore, type ReactFlowState } from "@xyflow/react";
import type { ReactNode } from "react";
import type { TaskNode } from "../../graph/model";
import { STATE_LABELS } from "../../graph/states";
import { runStates, taskProblems } from "../../state/stores";
import { useKeyed } from "../../state/keyedStore";

// Below this zoom a task's text is too small to read: draw a plain coloured box instead, which
// is what keeps a 1,000-task DAG light to repaint when a run changes every state at once.
const DETAIL_ZOOM = 0.35;
const zoomedOut = (s: ReactFlowState) => s.transform[2] < DETAIL_ZOOM;

interface Props {
  node: Pick<TaskNode, "id" | "data"> & { selected?: boolean };
  icon: ReactNode;
  kind: string;
}

/**
 * What every task node shares: handles left (upstream) and right (downstream) as Airflow draws
 * left to right, the id, the operator, a trigger-rule badge when the rule is not the default,
 * the run state as `data-state` (colour comes from CSS) and validation problems.
 */
export function TaskNodeFrame({ node, icon, kind }: Props) {
  const state = useKeyed(runStates, node.id);
  const problems = useKeyed(taskProblems, node.id);
  const { task } = node.data;
  const rule = task.trigger_rule;
  const errors = problems?.filter((p) => p.severity === "error") ?? [];
  const title = problems?.map((p) => p.message).join("\n");
  const farAway = useStore(zoomedOut);
  const classes = ["task-node", `op-${task.operator}`];
  if (farAway) classes.push("far");
  if (state) classes.push(`state-${state}`);
  if (errors.length) classes.push("has-error");
  else if (problems?.length) classes.push("has-warning");
  return (
    <div
      className={classes.join(" ")}
      data-testid={`task-${node.id}`}
      data-task-id={node.id}
      data-state={state ?? undefined}
      title={title}
    >
      <Handle type="target" position={Position.Left} className="handle handle-in" />
      {farAway ? null : (
        <>
          <div className="task-icon" aria-hidden="true">
            {icon}
          </div>
          <div className="task-text">
            <div className="task-id">{node.id}</div>
            <div className="task-kind">
              {kind}
              {state ? <span className="task-state-label"> · {STATE_LABELS[state]}</span> : null}
            </div>
          </div>
          {rule && rule !== "all_success" ? (
            <div className="rule-badge" data-testid="rule-badge" title={`trigger rule: ${rule}`}>
              {rule}
            </div>
          ) : null}
          {problems?.length ? (
            <div
              className={errors.length ? "problem-badge error" : "problem-badge warning"}
              aria-label={title}
            >
              {errors.length ? "!" : "?"}
            </div>
          ) : null}
        </>
      )}
      <Handle type="source" position={Position.Right} className="handle handle-out" />
    </div>
  );
}
