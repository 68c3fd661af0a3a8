// Left-to-right layered layout in the browser, for small DAGs only: dagre is quick below a
// few hundred tasks but takes seconds to a minute at 1,000, where the server's Graphviz is used.
// The editor loads this module (and dagre with it) only when it lays out a small DAG.
import dagre from "@dagrejs/dagre";
import type { EdgePair, Positions } from "../types";
import { NODE_HEIGHT, NODE_WIDTH } from "./model";

export function layoutInBrowser(taskIds: readonly string[], edges: readonly EdgePair[]): Positions {
  const g = new dagre.graphlib.Graph();
  g.setGraph({ rankdir: "LR", nodesep: 30, ranksep: 70, marginx: 20, marginy: 20 });
  g.setDefaultEdgeLabel(() => ({}));
  for (const id of taskIds) g.setNode(id, { width: NODE_WIDTH, height: NODE_HEIGHT });
  for (const [u, v] of edges) g.setEdge(u, v);
  dagre.layout(g);
  const out: Positions = {};
  for (const id of taskIds) {
    const n = g.node(id);
    // dagre gives centres; React Flow positions are top-left corners.
    out[id] = { x: Math.round(n.x - NODE_WIDTH / 2), y: Math.round(n.y - NODE_HEIGHT / 2) };
  }
  return out;
}
