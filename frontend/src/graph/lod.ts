// Level of detail for large DAGs. Below DETAIL_ZOOM a task's text is too small to read and an
// arrowhead is a few pixels, so the canvas switches to an overview: plain coloured boxes, and
// every edge drawn as part of one SVG path per kind instead of thousands of React Flow edge
// components (which cost a React render and a separate paint each, every frame of a pan).
import { Position, getBezierPath } from "@xyflow/react";
import type { TaskState } from "../types";
import { NODE_HEIGHT, NODE_WIDTH, type FlowEdge, type TaskNode } from "./model";

export const DETAIL_ZOOM = 0.35;

export function isOverview(zoom: number): boolean {
  return zoom < DETAIL_ZOOM;
}

/** One path string per way an edge is drawn in the overview. */
export interface OverviewPaths {
  dependency: string;
  xcom: string;
  problem: string;
  selected: string;
}

/**
 * The overview's edges: the same curves React Flow draws (source's right side to target's left
 * side), concatenated by kind. Edges whose tasks are missing are left out, as React Flow does.
 */
export function overviewPaths(
  nodes: readonly TaskNode[],
  edges: readonly FlowEdge[],
  hasProblem: (edgeId: string) => boolean,
): OverviewPaths {
  const boxes = new Map<string, { x: number; y: number; w: number; h: number }>();
  for (const n of nodes) {
    boxes.set(n.id, {
      x: n.position.x,
      y: n.position.y,
      w: n.measured?.width ?? NODE_WIDTH,
      h: n.measured?.height ?? NODE_HEIGHT,
    });
  }
  const parts: Record<keyof OverviewPaths, string[]> = {
    dependency: [],
    xcom: [],
    problem: [],
    selected: [],
  };
  for (const e of edges) {
    const s = boxes.get(e.source);
    const t = boxes.get(e.target);
    if (!s || !t) continue;
    const [path] = getBezierPath({
      sourceX: s.x + s.w,
      sourceY: s.y + s.h / 2,
      sourcePosition: Position.Right,
      targetX: t.x,
      targetY: t.y + t.h / 2,
      targetPosition: Position.Left,
      curvature: e.type === "xcom" ? 0.5 : 0.25,
    });
    const kind = e.selected
      ? "selected"
      : hasProblem(e.id)
        ? "problem"
        : e.type === "xcom"
          ? "xcom"
          : "dependency";
    parts[kind].push(path);
  }
  return {
    dependency: parts.dependency.join(""),
    xcom: parts.xcom.join(""),
    problem: parts.problem.join(""),
    selected: parts.selected.join(""),
  };
}

/** A task box as the overview painter sees it: its id and the state it shows now. */
export interface ShownState {
  id: string;
  shown: TaskState | undefined;
}

/**
 * Which boxes need repainting, and to what, so the run's states show: a batch of 1,000 changes
 * becomes one pass of attribute writes instead of 1,000 component renders.
 */
export function staleStates(
  boxes: Iterable<ShownState>,
  current: (id: string) => TaskState | undefined,
): Array<[number, TaskState | undefined]> {
  const stale: Array<[number, TaskState | undefined]> = [];
  let i = 0;
  for (const box of boxes) {
    const state = current(box.id);
    if (state !== box.shown) stale.push([i, state]);
    i += 1;
  }
  return stale;
}
