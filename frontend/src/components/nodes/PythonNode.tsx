import type { NodeProps } from "@xyflow/react";
import { memo } from "react";
import type { TaskNode } from "../../graph/model";
import { OperatorIcon } from "./OperatorIcon";
import { TaskNodeFrame } from "./TaskNodeFrame";

/** PythonOperator (or @task, BashOperator): work that succeeds, fails or skips. */
function PythonNodeComponent(props: NodeProps<TaskNode>) {
  return (
    <TaskNodeFrame node={props} icon={<OperatorIcon operator="python" />} kind="PythonOperator" />
  );
}

export const PythonNode = memo(PythonNodeComponent);
