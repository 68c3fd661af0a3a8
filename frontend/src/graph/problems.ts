import type { Problem } from "../types";
import { edgeId } from "./model";

export interface PlacedProblems {
  byTask: Map<string, Problem[]>;
  byEdge: Map<string, Problem[]>;
  /** Problems about the DAG as a whole (or naming tasks the graph no longer has). */
  general: Problem[];
}

function push<K>(map: Map<K, Problem[]>, key: K, p: Problem): void {
  const list = map.get(key);
  if (list) list.push(p);
  else map.set(key, [p]);
}

/**
 * Put each engine problem on the edge (dependency, else XCom data edge) or task it names; an
 * edge beats a task. `edgeIds` holds both kinds of edge id.
 */
export function placeProblems(
  problems: readonly Problem[],
  taskIds: ReadonlySet<string>,
  edgeIds: ReadonlySet<string>,
): PlacedProblems {
  const placed: PlacedProblems = { byTask: new Map(), byEdge: new Map(), general: [] };
  for (const p of problems) {
    const edge = p.location?.edge;
    const taskId = p.location?.task_id;
    const dependency = edge ? edgeId(edge[0], edge[1]) : null;
    const data = dependency ? `xcom:${dependency}` : null;
    if (dependency && edgeIds.has(dependency)) push(placed.byEdge, dependency, p);
    else if (data && edgeIds.has(data)) push(placed.byEdge, data, p);
    else if (taskId && taskIds.has(taskId)) push(placed.byTask, taskId, p);
    else placed.general.push(p);
  }
  return placed;
}
