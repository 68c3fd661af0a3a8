import type { NodeProps } from "@xyflow/react";
import { memo } from "react";
import type { TaskNode } from "../../graph/model";
import { OperatorIcon } from "./OperatorIcon";
import { TaskNodeFrame } from "./TaskNodeFrame";

/** EmptyOperator: does nothing; a join or a marker. */
function EmptyNodeComponent(props: NodeProps<TaskNode>) {
  return (
    <TaskNodeFrame node={props} icon={<OperatorIcon operator="empty" />} kind="EmptyOperator" />
  );
}

export const EmptyNode = memo(EmptyNodeComponent);
