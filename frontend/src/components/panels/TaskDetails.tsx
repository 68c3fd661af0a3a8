import { formatSeconds } from "../../graph/timeline";
import { asTaskState, STATE_COLOURS, STATE_LABELS } from "../../graph/states";
import { runStates } from "../../state/stores";
import { useKeyed } from "../../state/keyedStore";
import type { RunControl } from "../useRun";

/** After a run: the task's state, its tries and times, and why it ended as it did. */
export function TaskDetails({ taskId, run }: { taskId: string; run: RunControl }) {
  const live = useKeyed(runStates, taskId);
  const state = asTaskState(live ?? run.trace?.states[taskId]);
  const tries = run.trace?.tries.filter((t) => t.task_id === taskId) ?? [];
  const ti = run.taskInstances?.find((t) => t.task_id === taskId);
  const reasons = run.trace?.reasons[taskId] ?? (ti?.reason ? [ti.reason] : []);
  return (
    <section className="panel task-details" data-testid="task-details">
      <h2>
        In run #{run.run?.id}:{" "}
        <span
          className="state-pill"
          style={{ background: STATE_COLOURS[state] }}
          data-testid="detail-state"
        >
          {STATE_LABELS[state]}
        </span>
      </h2>
      {tries.length ? (
        <table className="tries">
          <thead>
            <tr>
              <th>try</th>
              <th>start</th>
              <th>end</th>
              <th>state</th>
            </tr>
          </thead>
          <tbody>
            {tries.map((t) => (
              <tr key={t.try_number}>
                <td>{t.try_number}</td>
                <td>{formatSeconds(t.start)}</td>
                <td>{formatSeconds(t.end)}</td>
                <td>{t.state}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : ti && ti.try_number > 0 ? (
        <p>
          {ti.try_number} tr{ti.try_number === 1 ? "y" : "ies"}
          {ti.start !== null ? `, last from ${formatSeconds(ti.start)}` : ""}
          {ti.end !== null ? ` to ${formatSeconds(ti.end)}` : ""}
        </p>
      ) : (
        <p className="hint">It never ran.</p>
      )}
      {reasons.length ? (
        <>
          <h3>Why</h3>
          <ol className="reasons" data-testid="reason-chain">
            {reasons.map((r, i) => (
              <li key={i}>{r}</li>
            ))}
          </ol>
        </>
      ) : null}
    </section>
  );
}
