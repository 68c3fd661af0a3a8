import { useId, useState } from "react";
import type { DagSettings } from "../../graph/model";
import { isoToLocalInput, localInputToIso } from "../../graph/scenario";
import { keyProblem } from "../../graph/taskId";
import { NumberField, TextField } from "./fields";

const SCHEDULE_PRESETS = ["@once", "@hourly", "@daily", "@weekly", "@monthly", "@yearly"];

interface Props {
  settings: DagSettings;
  onUpdate: (patch: Partial<DagSettings>, group: string) => void;
}

function numberArg(args: Record<string, unknown>, key: string): number | undefined {
  const v = args[key];
  return typeof v === "number" ? v : undefined;
}

export function DagSettingsPanel({ settings, onUpdate }: Props) {
  const id = useId();
  const [dagId, setDagId] = useState(settings.dag_id);
  const problem = keyProblem(dagId, "DAG id");
  const setArg = (key: string) => (value: number | undefined) => {
    const default_args = { ...settings.default_args };
    if (value === undefined) delete default_args[key];
    else default_args[key] = value;
    onUpdate({ default_args }, `dag:default_args:${key}`);
  };
  const setExtra = (key: string) => (value: number | undefined) => {
    const extra = { ...settings.extra };
    if (value === undefined) delete extra[key];
    else extra[key] = value;
    onUpdate({ extra }, `dag:${key}`);
  };
  const maxActive = settings.extra.max_active_tasks;
  return (
    <form
      className="panel dag-settings"
      onSubmit={(e) => e.preventDefault()}
      data-testid="dag-settings"
    >
      <h2>DAG</h2>
      <div className="field">
        <label htmlFor={`${id}-dag`}>DAG id</label>
        <input
          id={`${id}-dag`}
          value={dagId}
          aria-invalid={problem ? true : undefined}
          data-testid="dag-id-input"
          onChange={(e) => {
            setDagId(e.target.value);
            if (!keyProblem(e.target.value, "DAG id"))
              onUpdate({ dag_id: e.target.value }, "dag:dag_id");
          }}
        />
        {problem ? <div className="field-error">{problem}</div> : null}
      </div>
      <TextField
        label="Schedule"
        value={settings.schedule ?? ""}
        placeholder="none: manual runs only"
        list={`${id}-presets`}
        help="A preset such as @daily, or a cron expression like 0 6 * * *. Empty means manual runs only."
        testId="schedule-input"
        onChange={(v) => onUpdate({ schedule: v.trim() === "" ? null : v }, "dag:schedule")}
      />
      <datalist id={`${id}-presets`}>
        {SCHEDULE_PRESETS.map((p) => (
          <option key={p} value={p} />
        ))}
      </datalist>
      <div className="field">
        <label htmlFor={`${id}-start`}>Start date (UTC)</label>
        <input
          id={`${id}-start`}
          type="datetime-local"
          value={isoToLocalInput(settings.start_date)}
          onChange={(e) =>
            onUpdate({ start_date: localInputToIso(e.target.value) ?? null }, "dag:start_date")
          }
        />
      </div>
      <h3>Default args</h3>
      <div className="field-row">
        <NumberField
          label="Retries"
          integer
          value={numberArg(settings.default_args, "retries")}
          onChange={setArg("retries")}
        />
        <NumberField
          label="Retry delay (s)"
          value={numberArg(settings.default_args, "retry_delay_s")}
          placeholder="300"
          onChange={setArg("retry_delay_s")}
        />
      </div>
      <NumberField
        label="Max active tasks"
        integer
        min={1}
        value={typeof maxActive === "number" ? maxActive : undefined}
        placeholder="no limit"
        help="How many tasks of one run may run at once (Airflow's default is 16)."
        onChange={setExtra("max_active_tasks")}
      />
    </form>
  );
}
