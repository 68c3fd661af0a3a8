// Where the view opens. A small DAG is shown whole. A large one opens on the start of the
// pipeline (the leftmost tasks, as Airflow draws left to right) at a readable zoom: the whole
// of 1,000 tasks is a grey haze at 9% zoom, costs the most to draw, and is one key (F) away.
import type { TaskNode } from "./model";

export const WHOLE_VIEW_LIMIT = 300;
const START_COUNT = 40;

/** The tasks to fit the opening view to, or null for all of them. */
export function openingTasks(nodes: readonly TaskNode[]): string[] | null {
  if (nodes.length <= WHOLE_VIEW_LIMIT) return null;
  return [...nodes]
    .sort((a, b) => a.position.x - b.position.x || a.position.y - b.position.y)
    .slice(0, START_COUNT)
    .map((n) => n.id);
}
