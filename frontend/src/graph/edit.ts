// Editing operations on the graph. Each returns a new Graph (or a refusal with a message) and
// never mutates its input, so the result can go straight into the undo history.
import type { EdgePair, Operator, Positions, TaskSpec } from "../types";
import { cycleIfConnected, describeCycle } from "./cycle";
import {
  dependencyEdge,
  edgePairs,
  taskNode,
  type FlowEdge,
  type Graph,
  type TaskNode,
} from "./model";
import { renameProblem, uniqueId } from "./taskId";

export type Refusal = { refused: string };
export const isRefusal = (x: unknown): x is Refusal =>
  typeof x === "object" && x !== null && "refused" in x;

export function taskIds(graph: Graph): Set<string> {
  return new Set(graph.nodes.map((n) => n.id));
}

export function addTask(
  graph: Graph,
  operator: Operator,
  position: { x: number; y: number },
): { graph: Graph; id: string } {
  const id = uniqueId(operator, taskIds(graph));
  const task: TaskSpec = { task_id: id, operator };
  const nodes = graph.nodes.map((n) => (n.selected ? { ...n, selected: false } : n));
  nodes.push({ ...taskNode(task, position), selected: true });
  return { graph: { ...graph, nodes }, id };
}

/** Add the dependency source -> target, or say why not (same task, duplicate, cycle). */
export function connect(graph: Graph, source: string, target: string): Graph | Refusal {
  if (source === target) return { refused: `A task cannot depend on itself ("${source}").` };
  if (graph.edges.some((e) => e.type !== "xcom" && e.source === source && e.target === target)) {
    return { refused: `"${source}" is already upstream of "${target}".` };
  }
  const cycle = cycleIfConnected(edgePairs(graph.edges), source, target);
  if (cycle) {
    return {
      refused: `Refused: ${source} → ${target} would make a cycle (${describeCycle(cycle)}). A DAG cannot loop back on itself.`,
    };
  }
  return { ...graph, edges: [...graph.edges, dependencyEdge(source, target)] };
}

/** Remove tasks (and every edge touching them) and the given edges. */
export function remove(
  graph: Graph,
  taskIdsToRemove: Iterable<string>,
  edgeIds: Iterable<string> = [],
): Graph {
  const gone = new Set(taskIdsToRemove);
  const goneEdges = new Set(edgeIds);
  const nodes = graph.nodes
    .filter((n) => !gone.has(n.id))
    .map((n) => {
      const pulls = n.data.task.xcom_pull;
      if (!pulls?.some((p) => gone.has(p.task_id))) return n;
      const kept = pulls.filter((p) => !gone.has(p.task_id));
      const task = { ...n.data.task };
      if (kept.length) task.xcom_pull = kept;
      else delete task.xcom_pull;
      return { ...n, data: { ...n.data, task } };
    });
  const edges = graph.edges.filter(
    (e) => !goneEdges.has(e.id) && !gone.has(e.source) && !gone.has(e.target),
  );
  return { ...graph, nodes, edges };
}

/** Rename a task; edges and other tasks' xcom_pull references follow. */
export function renameTask(graph: Graph, from: string, to: string): Graph | Refusal {
  if (from === to) return graph;
  const problem = renameProblem(to, from, taskIds(graph));
  if (problem) return { refused: problem };
  const nodes = graph.nodes.map((n): TaskNode => {
    let task = n.data.task;
    if (n.id === from) task = { ...task, task_id: to };
    if (task.xcom_pull?.some((p) => p.task_id === from)) {
      task = {
        ...task,
        xcom_pull: task.xcom_pull.map((p) => (p.task_id === from ? { ...p, task_id: to } : p)),
      };
    }
    if (task === n.data.task) return n;
    return { ...n, id: task.task_id, data: { ...n.data, task } };
  });
  const edges = graph.edges.map((e): FlowEdge => {
    if (e.source !== from && e.target !== from) return e;
    const source = e.source === from ? to : e.source;
    const target = e.target === from ? to : e.target;
    return { ...dependencyEdge(source, target), ...(e.selected ? { selected: true } : {}) };
  });
  return { ...graph, nodes, edges };
}

export type TaskPatch = { [K in keyof TaskSpec]?: TaskSpec[K] | undefined };

/** Set task fields; a field set to undefined is removed (falls back to its default). */
export function updateTask(graph: Graph, id: string, patch: TaskPatch): Graph {
  const nodes = graph.nodes.map((n): TaskNode => {
    if (n.id !== id) return n;
    const task: TaskSpec = { ...n.data.task };
    for (const [key, value] of Object.entries(patch)) {
      if (key === "task_id") continue; // renames go through renameTask
      if (value === undefined) delete task[key];
      else task[key] = value;
    }
    // The flag only means something on a short-circuit task; leaving it on another operator
    // would be an engine validation error the user never asked for.
    if (task.operator !== "short_circuit") delete task.ignore_downstream_trigger_rules;
    return { ...n, type: task.operator, data: { ...n.data, task } };
  });
  return { ...graph, nodes };
}

export function setPositions(graph: Graph, positions: Positions): Graph {
  const nodes = graph.nodes.map((n) => {
    const p = positions[n.id];
    return p ? { ...n, position: { x: p.x, y: p.y } } : n;
  });
  return { ...graph, nodes };
}

export interface Clip {
  tasks: TaskSpec[];
  positions: Positions;
  edges: EdgePair[];
}

/** The selected tasks and the edges between them. */
export function copy(graph: Graph, ids: Iterable<string>): Clip | null {
  const chosen = new Set(ids);
  if (chosen.size === 0) return null;
  const picked = graph.nodes.filter((n) => chosen.has(n.id));
  const positions: Positions = {};
  for (const n of picked) positions[n.id] = { ...n.position };
  return {
    tasks: picked.map((n) => structuredClone(n.data.task)),
    positions,
    edges: edgePairs(graph.edges).filter(([u, v]) => chosen.has(u) && chosen.has(v)),
  };
}

/**
 * Paste a clip: ids that clash get a fresh suffix, references inside the clip follow the new ids,
 * the pasted tasks become the selection.
 */
export function paste(
  graph: Graph,
  clip: Clip,
  offset = { x: 40, y: 40 },
): { graph: Graph; ids: string[] } {
  const taken = taskIds(graph);
  const renamed = new Map<string, string>();
  for (const t of clip.tasks) {
    const id = uniqueId(t.task_id, taken);
    taken.add(id);
    renamed.set(t.task_id, id);
  }
  const nodes = graph.nodes.map((n) => (n.selected ? { ...n, selected: false } : n));
  for (const t of clip.tasks) {
    const task: TaskSpec = structuredClone(t);
    task.task_id = renamed.get(t.task_id)!;
    if (task.xcom_pull) {
      task.xcom_pull = task.xcom_pull.map((p) => ({
        ...p,
        task_id: renamed.get(p.task_id) ?? p.task_id,
      }));
    }
    const at = clip.positions[t.task_id] ?? { x: 0, y: 0 };
    nodes.push({ ...taskNode(task, { x: at.x + offset.x, y: at.y + offset.y }), selected: true });
  }
  const edges = graph.edges.map((e) => (e.selected ? { ...e, selected: false } : e));
  for (const [u, v] of clip.edges) edges.push(dependencyEdge(renamed.get(u)!, renamed.get(v)!));
  return { graph: { ...graph, nodes, edges }, ids: [...renamed.values()] };
}
