import { BaseEdge, EdgeLabelRenderer, getBezierPath, type EdgeProps } from "@xyflow/react";
import { memo } from "react";
import type { FlowEdge } from "../../graph/model";
import { useKeyed } from "../../state/keyedStore";
import { edgeProblems } from "../../state/stores";

/** A data edge (xcom_pull): dashed and labelled with the keys, never a dependency. */
function XComEdgeComponent(props: EdgeProps<FlowEdge>) {
  const [path, labelX, labelY] = getBezierPath({ ...props, curvature: 0.5 });
  const keys = props.data?.keys ?? [];
  const problems = useKeyed(edgeProblems, props.id);
  const title = problems?.map((p) => p.message).join("\n");
  return (
    <>
      <BaseEdge
        id={props.id}
        path={path}
        className={problems?.length ? "xcom-edge has-problem" : "xcom-edge"}
      />
      <EdgeLabelRenderer>
        <div
          className={problems?.length ? "xcom-label has-problem" : "xcom-label"}
          title={title}
          data-testid={`xcom-label-${props.source}-${props.target}`}
          style={{ transform: `translate(-50%, -50%) translate(${labelX}px, ${labelY - 10}px)` }}
        >
          xcom: {keys.join(", ")}
          {problems?.length ? ` ⚠ ${problems.map((p) => p.message).join("; ")}` : null}
        </div>
      </EdgeLabelRenderer>
    </>
  );
}

export const XComEdge = memo(XComEdgeComponent);
