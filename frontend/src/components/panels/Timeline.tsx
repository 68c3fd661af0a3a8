import { memo, useMemo } from "react";
import { asTaskState, STATE_COLOURS } from "../../graph/states";
import { buildTimeline, formatSeconds, tickStep } from "../../graph/timeline";
import type { TaskInstance, Trace, Try } from "../../types";

function triesFromInstances(tis: readonly TaskInstance[]): Try[] {
  return tis
    .filter((ti) => ti.start !== null && ti.end !== null)
    .map((ti) => ({
      task_id: ti.task_id,
      try_number: ti.try_number,
      start: ti.start!,
      end: ti.end!,
      state: ti.state,
    }));
}

/** A Gantt chart of the run: one row per task, one bar per try, in simulated seconds. */
function TimelineComponent({
  trace,
  taskInstances,
}: {
  trace: Trace | null;
  taskInstances: TaskInstance[] | null;
}) {
  const timeline = useMemo(
    () => buildTimeline(trace?.tries ?? triesFromInstances(taskInstances ?? [])),
    [trace, taskInstances],
  );
  const span = Math.max(timeline.end - timeline.start, 1e-9);
  const step = tickStep(span);
  const ticks: number[] = [];
  for (let t = 0; t <= span + 1e-9; t += step) ticks.push(t);
  const pct = (t: number) => `${((t - timeline.start) / span) * 100}%`;
  const critical = new Set(trace?.critical_path ?? []);
  return (
    <section className="timeline" data-testid="timeline" aria-label="Run timeline">
      <div className="timeline-head">
        <strong>Timeline</strong> · {timeline.rows.length} tasks ran · {formatSeconds(span)} of
        simulated time
        {critical.size ? " · critical path outlined" : ""}
      </div>
      <div className="timeline-body">
        <div className="timeline-axis">
          <div className="timeline-label" />
          <div className="timeline-track">
            {ticks.map((t) => (
              <span key={t} className="tick" style={{ left: pct(timeline.start + t) }}>
                {formatSeconds(t)}
              </span>
            ))}
          </div>
        </div>
        {timeline.rows.map((row) => (
          <div className="timeline-row" key={row.taskId} data-testid={`timeline-row-${row.taskId}`}>
            <div className="timeline-label" title={row.taskId}>
              {row.taskId}
            </div>
            <div className="timeline-track">
              {row.tries.map((t) => (
                <span
                  key={t.try_number}
                  className={critical.has(row.taskId) ? "bar critical" : "bar"}
                  title={`${row.taskId} try ${t.try_number}: ${formatSeconds(t.start)}–${formatSeconds(t.end)}, ${t.state}`}
                  style={{
                    left: pct(t.start),
                    width: `max(2px, ${((t.end - t.start) / span) * 100}%)`,
                    background: STATE_COLOURS[asTaskState(t.state)],
                  }}
                />
              ))}
            </div>
          </div>
        ))}
      </div>
    </section>
  );
}

export const Timeline = memo(TimelineComponent);
