import type { EdgePair } from "../types";

function adjacency(edges: readonly EdgePair[]): Map<string, string[]> {
  const next = new Map<string, string[]>();
  for (const [u, v] of edges) {
    const list = next.get(u);
    if (list) list.push(v);
    else next.set(u, [v]);
  }
  return next;
}

/** A shortest path from `from` to `to` following edges, or null when `to` is unreachable. */
export function findPath(edges: readonly EdgePair[], from: string, to: string): string[] | null {
  const next = adjacency(edges);
  const parent = new Map<string, string | null>([[from, null]]);
  const queue = [from];
  for (let head = 0; head < queue.length; head += 1) {
    const node = queue[head]!;
    if (node === to) {
      const path: string[] = [];
      for (let at: string | null = node; at !== null; at = parent.get(at) ?? null) path.push(at);
      return path.reverse();
    }
    for (const v of next.get(node) ?? []) {
      if (!parent.has(v)) {
        parent.set(v, node);
        queue.push(v);
      }
    }
  }
  return null;
}

/**
 * The cycle that adding source -> target would close, as a list of task ids that starts and ends
 * with `source` (e.g. [a, b, c, a]); null when the new edge keeps the graph acyclic.
 */
export function cycleIfConnected(
  edges: readonly EdgePair[],
  source: string,
  target: string,
): string[] | null {
  if (source === target) return [source, source];
  const back = findPath(edges, target, source);
  return back ? [source, ...back] : null;
}

/** Any cycle in the graph (first and last id equal), or null for a DAG. Iterative DFS. */
export function findCycle(nodes: readonly string[], edges: readonly EdgePair[]): string[] | null {
  const next = adjacency(edges);
  const colour = new Map<string, 1 | 2>(); // 1 = on the stack, 2 = finished
  for (const root of nodes) {
    if (colour.has(root)) continue;
    const stack: { node: string; i: number }[] = [{ node: root, i: 0 }];
    colour.set(root, 1);
    while (stack.length) {
      const top = stack[stack.length - 1]!;
      const children = next.get(top.node) ?? [];
      if (top.i >= children.length) {
        colour.set(top.node, 2);
        stack.pop();
        continue;
      }
      const child = children[top.i++]!;
      const c = colour.get(child);
      if (c === 1) {
        const from = stack.findIndex((f) => f.node === child);
        return [...stack.slice(from).map((f) => f.node), child];
      }
      if (c === undefined) {
        colour.set(child, 1);
        stack.push({ node: child, i: 0 });
      }
    }
  }
  return null;
}

export function describeCycle(cycle: readonly string[]): string {
  return cycle.join(" → ");
}
