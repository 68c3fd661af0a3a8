import type { NodeProps } from "@xyflow/react";
import { memo } from "react";
import type { TaskNode } from "../../graph/model";
import { OperatorIcon } from "./OperatorIcon";
import { TaskNodeFrame } from "./TaskNodeFrame";

/** ShortCircuitOperator: a false result skips what comes after it. */
function ShortCircuitNodeComponent(props: NodeProps<TaskNode>) {
  return (
    <TaskNodeFrame
      node={props}
      icon={<OperatorIcon operator="short_circuit" />}
      kind="ShortCircuitOperator"
    />
  );
}

export const ShortCircuitNode = memo(ShortCircuitNodeComponent);
