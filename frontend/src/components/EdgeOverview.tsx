import { ViewportPortal } from "@xyflow/react";
import { memo, useMemo } from "react";
import { overviewPaths } from "../graph/lod";
import type { FlowEdge, TaskNode } from "../graph/model";
import { useStoreVersion } from "../state/keyedStore";
import { edgeProblems } from "../state/stores";

interface Props {
  nodes: TaskNode[];
  edges: FlowEdge[];
}

/**
 * Every edge at overview zoom, as four SVG paths inside the viewport: a pan moves them with the
 * viewport and never re-renders them. Strokes keep one screen pixel at any zoom.
 */
function EdgeOverviewComponent({ nodes, edges }: Props) {
  const problemsVersion = useStoreVersion(edgeProblems);
  const paths = useMemo(
    () => overviewPaths(nodes, edges, (id) => Boolean(edgeProblems.get(id)?.length)),
    // edgeProblems is read through the version: a new version is new problems.
    [nodes, edges, problemsVersion],
  );
  return (
    <ViewportPortal>
      <svg className="edge-overview" data-testid="edge-overview" aria-hidden="true">
        <path className="dependency" d={paths.dependency} />
        <path className="xcom" d={paths.xcom} />
        <path className="problem" d={paths.problem} />
        <path className="selected" d={paths.selected} />
      </svg>
    </ViewportPortal>
  );
}

export const EdgeOverview = memo(EdgeOverviewComponent);
