import { BaseEdge, EdgeLabelRenderer, getBezierPath, type EdgeProps } from "@xyflow/react";
import { memo } from "react";
import type { FlowEdge } from "../../graph/model";

/** A data edge (xcom_pull): dashed and labelled with the keys, never a dependency. */
function XComEdgeComponent(props: EdgeProps<FlowEdge>) {
  const [path, labelX, labelY] = getBezierPath({ ...props, curvature: 0.5 });
  const keys = props.data?.keys ?? [];
  return (
    <>
      <BaseEdge id={props.id} path={path} className="xcom-edge" />
      <EdgeLabelRenderer>
        <div
          className="xcom-label"
          style={{ transform: `translate(-50%, -50%) translate(${labelX}px, ${labelY - 10}px)` }}
        >
          xcom: {keys.join(", ")}
        </div>
      </EdgeLabelRenderer>
    </>
  );
}

export const XComEdge = memo(XComEdgeComponent);
