// The editor's graph (React Flow nodes and edges plus the DAG-level settings) and its mapping to
// and from the interchange document. The mapping is lossless: fields the editor has no control
// for travel untouched in the task objects and in `settings.extra`.
import type { Edge, Node } from "@xyflow/react";
import type { DagDocument, EdgePair, Operator, Positions, TaskSpec } from "../types";
import { OPERATORS } from "../types";

export interface TaskData extends Record<string, unknown> {
  task: TaskSpec;
}
export type TaskNode = Node<TaskData, Operator>;

export interface FlowEdgeData extends Record<string, unknown> {
  keys?: string[];
}
/** type "dependency" for the DAG's edges; "xcom" for drawn-only data edges. */
export type FlowEdge = Edge<FlowEdgeData>;

export interface DagSettings {
  dag_id: string;
  schedule: string | null;
  start_date: string | null;
  default_args: Record<string, unknown>;
  /** Every other top-level field of the document (max_active_tasks, pools, unknown keys). */
  extra: Record<string, unknown>;
  /** Which optional keys the source document had, so an absent key is not written back. */
  present: { schedule: boolean; start_date: boolean; default_args: boolean };
}

export interface Graph {
  settings: DagSettings;
  nodes: TaskNode[];
  edges: FlowEdge[];
}

export const NODE_WIDTH = 190;
export const NODE_HEIGHT = 58;

export function edgeId(source: string, target: string): string {
  // ">" can never appear in an Airflow id, so the pair is recoverable from the id.
  return `${source}->${target}`;
}

export function dependencyEdge(source: string, target: string): FlowEdge {
  return { id: edgeId(source, target), source, target, type: "dependency" };
}

export function taskNode(task: TaskSpec, position: { x: number; y: number }): TaskNode {
  const type: Operator = (OPERATORS as readonly string[]).includes(task.operator)
    ? task.operator
    : "python";
  return { id: task.task_id, type, position, data: { task } };
}

const KNOWN_TOP = new Set([
  "format",
  "dag_id",
  "schedule",
  "start_date",
  "default_args",
  "tasks",
  "edges",
]);

export function emptySettings(dagId: string): DagSettings {
  return {
    dag_id: dagId,
    schedule: null,
    start_date: null,
    default_args: {},
    extra: {},
    present: { schedule: false, start_date: false, default_args: false },
  };
}

/** Build the editor graph from a document; tasks without a stored position get a grid slot. */
export function documentToGraph(doc: DagDocument, positions: Positions = {}): Graph {
  const extra: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(doc)) if (!KNOWN_TOP.has(key)) extra[key] = value;
  const settings: DagSettings = {
    dag_id: doc.dag_id,
    schedule: doc.schedule ?? null,
    start_date: doc.start_date ?? null,
    default_args: { ...(doc.default_args ?? {}) },
    extra,
    present: {
      schedule: "schedule" in doc,
      start_date: "start_date" in doc,
      default_args: "default_args" in doc,
    },
  };
  const nodes = doc.tasks.map((task, i) =>
    taskNode(task, positions[task.task_id] ?? { x: (i % 10) * 240, y: Math.floor(i / 10) * 100 }),
  );
  const edges = doc.edges.map(([u, v]) => dependencyEdge(u, v));
  return { settings, nodes, edges };
}

export function edgePairs(edges: readonly FlowEdge[]): EdgePair[] {
  return edges.filter((e) => e.type !== "xcom").map((e) => [e.source, e.target]);
}

export function graphToDocument(graph: Graph): DagDocument {
  const { settings } = graph;
  const doc: DagDocument = { format: "dagsim/1", dag_id: settings.dag_id, tasks: [], edges: [] };
  if (settings.present.schedule || settings.schedule !== null) doc.schedule = settings.schedule;
  if (settings.start_date !== null) doc.start_date = settings.start_date;
  if (settings.present.default_args || Object.keys(settings.default_args).length > 0) {
    doc.default_args = { ...settings.default_args };
  }
  Object.assign(doc, settings.extra);
  doc.tasks = graph.nodes.map((n) => n.data.task);
  doc.edges = edgePairs(graph.edges);
  return doc;
}

export function positionsOf(nodes: readonly TaskNode[]): Positions {
  const out: Positions = {};
  for (const n of nodes) out[n.id] = { x: Math.round(n.position.x), y: Math.round(n.position.y) };
  return out;
}

/** Read a stored layout: either {task_id: {x, y}} or {"positions": {...}}. Bad entries are dropped. */
export function readLayout(layout: unknown): Positions {
  if (!layout || typeof layout !== "object") return {};
  const source =
    "positions" in layout && typeof (layout as { positions: unknown }).positions === "object"
      ? (layout as { positions: Record<string, unknown> }).positions
      : (layout as Record<string, unknown>);
  const out: Positions = {};
  for (const [id, p] of Object.entries(source ?? {})) {
    if (p && typeof p === "object") {
      const { x, y } = p as { x: unknown; y: unknown };
      if (typeof x === "number" && typeof y === "number") out[id] = { x, y };
    }
  }
  return out;
}

/** Data edges implied by xcom_pull, drawn but never saved as dependencies. */
export function xcomEdges(nodes: readonly TaskNode[]): FlowEdge[] {
  const ids = new Set(nodes.map((n) => n.id));
  const byPair = new Map<string, FlowEdge>();
  for (const n of nodes) {
    for (const pull of n.data.task.xcom_pull ?? []) {
      if (!ids.has(pull.task_id) || pull.task_id === n.id) continue;
      const id = `xcom:${pull.task_id}->${n.id}`;
      const existing = byPair.get(id);
      if (existing) existing.data?.keys?.push(pull.key);
      else
        byPair.set(id, {
          id,
          source: pull.task_id,
          target: n.id,
          type: "xcom",
          data: { keys: [pull.key] },
          selectable: false,
          deletable: false,
          focusable: false,
        });
    }
  }
  return [...byPair.values()];
}

/** A short signature of the xcom_pull lists, so data edges are rebuilt only when they change. */
export function xcomSignature(nodes: readonly TaskNode[]): string {
  const parts: string[] = [];
  for (const n of nodes) {
    const pulls = n.data.task.xcom_pull;
    if (pulls?.length) parts.push(`${n.id}<${pulls.map((p) => `${p.task_id}:${p.key}`).join(",")}`);
  }
  return parts.join("|");
}

export function directDownstream(edges: readonly FlowEdge[], taskId: string): string[] {
  return edges.filter((e) => e.type !== "xcom" && e.source === taskId).map((e) => e.target);
}
