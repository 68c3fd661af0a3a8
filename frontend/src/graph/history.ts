// Undo/redo as an immutable value. `group` lets a run of edits of one field (typing a task id
// letter by letter) collapse into a single undo step.
export interface History<T> {
  readonly past: readonly T[];
  readonly present: T;
  readonly future: readonly T[];
  readonly group: string | null;
}

export const HISTORY_LIMIT = 200;

export function createHistory<T>(present: T): History<T> {
  return { past: [], present, future: [], group: null };
}

export function commit<T>(
  h: History<T>,
  next: T,
  group: string | null = null,
  limit = HISTORY_LIMIT,
): History<T> {
  if (group !== null && group === h.group) {
    return { past: h.past, present: next, future: [], group };
  }
  const past = [...h.past, h.present];
  return { past: past.slice(Math.max(0, past.length - limit)), present: next, future: [], group };
}

export function undo<T>(h: History<T>): History<T> {
  if (h.past.length === 0) return h;
  const present = h.past[h.past.length - 1] as T;
  return { past: h.past.slice(0, -1), present, future: [h.present, ...h.future], group: null };
}

export function redo<T>(h: History<T>): History<T> {
  if (h.future.length === 0) return h;
  const [present, ...future] = h.future as [T, ...T[]];
  return { past: [...h.past, h.present], present, future, group: null };
}

export const canUndo = <T>(h: History<T>): boolean => h.past.length > 0;
export const canRedo = <T>(h: History<T>): boolean => h.future.length > 0;
