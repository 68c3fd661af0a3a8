import type { NodeProps } from "@xyflow/react";
import { memo } from "react";
import type { TaskNode } from "../../graph/model";
import { OperatorIcon } from "./OperatorIcon";
import { TaskNodeFrame } from "./TaskNodeFrame";

/** BranchPythonOperator: follows the downstream tasks it names, skips the others. */
function BranchNodeComponent(props: NodeProps<TaskNode>) {
  return (
    <TaskNodeFrame
      node={props}
      icon={<OperatorIcon operator="branch" />}
      kind="BranchPythonOperator"
    />
  );
}

export const BranchNode = memo(BranchNodeComponent);
