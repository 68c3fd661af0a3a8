import type { Try } from "../types";

export interface TimelineRow {
  taskId: string;
  tries: Try[];
}

export interface Timeline {
  rows: TimelineRow[];
  start: number;
  end: number;
}

/** One row per task that ran, ordered by its first start (then id), each with its tries. */
export function buildTimeline(tries: readonly Try[]): Timeline {
  const byTask = new Map<string, Try[]>();
  for (const t of tries) {
    const list = byTask.get(t.task_id);
    if (list) list.push(t);
    else byTask.set(t.task_id, [t]);
  }
  const rows = [...byTask.entries()].map(([taskId, list]) => ({
    taskId,
    tries: [...list].sort((a, b) => a.try_number - b.try_number),
  }));
  rows.sort((a, b) => a.tries[0]!.start - b.tries[0]!.start || a.taskId.localeCompare(b.taskId));
  const start = tries.length ? Math.min(...tries.map((t) => t.start)) : 0;
  const end = tries.length ? Math.max(...tries.map((t) => t.end)) : 0;
  return { rows, start, end };
}

/** Round tick spacing so a timeline of `span` seconds shows about `count` ticks. */
export function tickStep(span: number, count = 6): number {
  if (span <= 0) return 1;
  const raw = span / count;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  for (const m of [1, 2, 5, 10]) if (m * magnitude >= raw) return m * magnitude;
  return 10 * magnitude;
}

export function formatSeconds(s: number): string {
  if (s < 10) return `${+s.toFixed(2)}s`;
  if (s < 60) return `${+s.toFixed(1)}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${s % 60 ? ` ${Math.round(s % 60)}s` : ""}`;
  const h = Math.floor(s / 3600);
  const m = Math.round((s % 3600) / 60);
  return `${h}h${m ? ` ${m}m` : ""}`;
}
