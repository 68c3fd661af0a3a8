import { Handle, Position, useStore, type ReactFlowState } from "@xyflow/react";
import type { ReactNode } from "react";
import type { TaskNode } from "../../graph/model";
import type { Problem } from "../../types";
import { STATE_LABELS } from "../../graph/states";
import { isOverview } from "../../graph/lod";
import { runStates, taskProblems } from "../../state/stores";
import { useKeyed } from "../../state/keyedStore";

// Below the detail zoom a task's text is too small to read: draw a plain coloured box instead,
// which is what keeps a 1,000-task DAG light to repaint when a run changes every state at once.
const zoomedOut = (s: ReactFlowState) => isOverview(s.transform[2]);

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
export function TaskNodeFrame(props: Props) {
  return useStore(zoomedOut) ? <FarTaskBox node={props.node} /> : <TaskBox {...props} />;
}

function problemClasses(classes: string[], problems: Problem[] | undefined): string | undefined {
  if (problems?.some((p) => p.severity === "error")) classes.push("has-error");
  else if (problems?.length) classes.push("has-warning");
  return problems?.map((p) => p.message).join("\n");
}

/**
 * The overview's box. It reads its run state without subscribing: useOverviewStates paints
 * state changes onto these boxes in one batch, so a run does not re-render 1,000 of them.
 */
function FarTaskBox({ node }: Pick<Props, "node">) {
  const problems = useKeyed(taskProblems, node.id);
  const state = runStates.get(node.id);
  const classes = ["task-node", `op-${node.data.task.operator}`, "far"];
  const title = problemClasses(classes, problems);
  return (
    <div
      className={classes.join(" ")}
      data-testid={`task-${node.id}`}
      data-task-id={node.id}
      data-state={state ?? undefined}
      title={title}
    >
      <Handle type="target" position={Position.Left} className="handle handle-in" />
      <Handle type="source" position={Position.Right} className="handle handle-out" />
    </div>
  );
}

function TaskBox({ node, icon, kind }: Props) {
  const state = useKeyed(runStates, node.id);
  const problems = useKeyed(taskProblems, node.id);
  const { task } = node.data;
  const rule = task.trigger_rule;
  const classes = ["task-node", `op-${task.operator}`];
  if (state) classes.push(`state-${state}`);
  const title = problemClasses(classes, problems);
  const errors = problems?.filter((p) => p.severity === "error") ?? [];
  return (
    <div
      className={classes.join(" ")}
      data-testid={`task-${node.id}`}
      data-task-id={node.id}
      data-state={state ?? undefined}
      title={title}
    >
      <Handle type="target" position={Position.Left} className="handle handle-in" />
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
      <Handle type="source" position={Position.Right} className="handle handle-out" />
    </div>
  );
}
