import type { NodeProps } from "@xyflow/react";
import { memo } from "react";
import type { TaskNode } from "../../graph/model";
import { TaskNodeFrame } from "./TaskNodeFrame";

/** PythonOperator (or @task, BashOperator): work that succeeds, fails or skips. */
function PythonNodeComponent(props: NodeProps<TaskNode>) {
  return <TaskNodeFrame node={props} icon="λ" kind="PythonOperator" />;
}

export const PythonNode = memo(PythonNodeComponent);
