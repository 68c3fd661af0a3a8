// The shapes shared with the server: the interchange format (shared/spec/dag-format.md) and the
// API/websocket contract (docs/interfaces.md). Field names follow those documents exactly.

export const OPERATORS = ["empty", "python", "branch", "short_circuit", "latest_only"] as const;
export type Operator = (typeof OPERATORS)[number];

export const TRIGGER_RULES = [
  "all_success",
  "all_failed",
  "all_done",
  "all_done_min_one_success",
  "all_skipped",
  "one_success",
  "one_failed",
  "one_done",
  "none_failed",
  "none_failed_min_one_success",
  "none_skipped",
  "always",
] as const;
export type TriggerRule = (typeof TRIGGER_RULES)[number];

export interface XComPull {
  task_id: string;
  key: string;
}

export interface TaskSpec {
  task_id: string;
  operator: Operator;
  trigger_rule?: TriggerRule;
  retries?: number;
  retry_delay_s?: number;
  duration_s?: number;
  pool?: string;
  pool_slots?: number;
  priority_weight?: number;
  weight_rule?: "downstream" | "upstream" | "absolute";
  ignore_downstream_trigger_rules?: boolean;
  xcom_push?: Record<string, string>;
  xcom_pull?: XComPull[];
  // Fields the editor does not know are carried through untouched (lossless round trip).
  [extra: string]: unknown;
}

export type EdgePair = [string, string];

export interface DagDocument {
  format: "dagsim/1";
  dag_id: string;
  schedule?: string | null;
  start_date?: string;
  default_args?: Record<string, unknown>;
  max_active_tasks?: number;
  pools?: Record<string, number>;
  tasks: TaskSpec[];
  edges: EdgePair[];
  [extra: string]: unknown;
}

export type Outcome =
  | "success"
  | "failed"
  | "skipped"
  | { fail_times: number }
  | { branch: string[] }
  | { short_circuit: boolean };

export interface ScenarioDocument {
  logical_date?: string;
  now?: string;
  outcomes: Record<string, Outcome>;
}

export interface NamedScenario {
  name: string;
  scenario: ScenarioDocument;
}

export const TASK_STATES = [
  "success",
  "failed",
  "skipped",
  "upstream_failed",
  "up_for_retry",
  "running",
  "queued",
  "scheduled",
  "none",
] as const;
export type TaskState = (typeof TASK_STATES)[number];

export interface Problem {
  code: string;
  severity: "error" | "warning";
  message: string;
  location?: {
    path?: string | null;
    task_id?: string | null;
    edge?: EdgePair | null;
    field?: string | null;
  } | null;
  data?: Record<string, unknown> | null;
}

export interface Try {
  task_id: string;
  try_number: number;
  start: number;
  end: number;
  state: string;
}

export interface TraceEvent {
  time: number;
  task_id: string;
  try_number: number;
  from_state: string;
  to_state: string;
  reason: string;
}

export interface Trace {
  states: Record<string, string>;
  run_state: string;
  makespan_s: number;
  tries: Try[];
  events: TraceEvent[];
  reasons: Record<string, string[]>;
  critical_path: string[];
  xcom: { task_id: string; key: string; value: unknown }[];
  warnings: Problem[];
}

export type Positions = Record<string, { x: number; y: number }>;

export interface StoredDag {
  id: number;
  dag_id: string;
  document: DagDocument;
  layout: unknown;
  scenarios: unknown;
  version: number;
  created_at: string;
  updated_at: string;
}

export type RunMode = "instant" | "live";

export interface Run {
  id: number;
  dag: number;
  dag_id?: string;
  mode: RunMode;
  state: string;
  scenario: ScenarioDocument;
  scenario_name?: string;
  speed: number | null;
  created_at: string;
  started_at: string | null;
  ended_at: string | null;
  last_seq: number;
  result?: Trace | null;
}

export interface TaskInstance {
  task_id: string;
  state: string;
  try_number: number;
  start: number | null;
  end: number | null;
  reason: string | null;
}

export interface RunEvent {
  run: number;
  seq: number;
  task_id: string | null;
  try_number: number | null;
  from_state: string | null;
  to_state: string;
  reason: string;
  sim_time: number | null;
  wall_time: string;
}

export interface Page<T> {
  count: number;
  next: string | null;
  previous: string | null;
  results: T[];
}
