import { BaseEdge, EdgeLabelRenderer, getBezierPath, type EdgeProps } from "@xyflow/react";
import { memo } from "react";
import type { FlowEdge } from "../../graph/model";
import { edgeProblems } from "../../state/stores";
import { useKeyed } from "../../state/keyedStore";

/** A dependency (upstream >> downstream); red with its message when the engine objects to it. */
function DependencyEdgeComponent(props: EdgeProps<FlowEdge>) {
  const problems = useKeyed(edgeProblems, props.id);
  const [path, labelX, labelY] = getBezierPath(props);
  const className = [
    "dependency-edge",
    props.selected ? "selected" : "",
    problems?.length ? "has-error" : "",
  ]
    .filter(Boolean)
    .join(" ");
  return (
    <>
      <BaseEdge
        id={props.id}
        path={path}
        markerEnd={props.markerEnd}
        className={className}
        interactionWidth={16}
      />
      {problems?.length ? (
        <EdgeLabelRenderer>
          <div
            className="edge-problem"
            data-testid={`edge-problem-${props.id}`}
            style={{ transform: `translate(-50%, -50%) translate(${labelX}px, ${labelY}px)` }}
          >
            {problems.map((p) => p.message).join("; ")}
          </div>
        </EdgeLabelRenderer>
      ) : null}
    </>
  );
}

export const DependencyEdge = memo(DependencyEdgeComponent);
