import type { NodeProps } from "@xyflow/react";
import { memo } from "react";
import type { TaskNode } from "../../graph/model";
import { OperatorIcon } from "./OperatorIcon";
import { TaskNodeFrame } from "./TaskNodeFrame";

/** LatestOnlyOperator: skips its downstream unless this is the latest run. */
function LatestOnlyNodeComponent(props: NodeProps<TaskNode>) {
  return (
    <TaskNodeFrame
      node={props}
      icon={<OperatorIcon operator="latest_only" />}
      kind="LatestOnlyOperator"
    />
  );
}

export const LatestOnlyNode = memo(LatestOnlyNodeComponent);
