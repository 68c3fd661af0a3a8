// Typed client for the REST API in docs/interfaces.md. Session auth: the browser sends the
// session cookie, and every unsafe request carries Django's CSRF token.
import type {
  DagDocument,
  Page,
  Positions,
  Problem,
  Run,
  RunMode,
  ScenarioDocument,
  StoredDag,
  TaskInstance,
  Trace,
} from "../types";

export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly problems: Problem[] = [],
    readonly body: unknown = null,
  ) {
    super(message);
    this.name = "ApiError";
  }
}

/** Someone else saved the DAG after we loaded it: our version is stale. */
export class VersionConflict extends ApiError {
  constructor(
    readonly currentVersion: number,
    message: string,
  ) {
    super(412, message);
    this.name = "VersionConflict";
  }
}

export interface SavedDag {
  document: DagDocument;
  layout: { positions: Positions };
  scenarios: Record<string, ScenarioDocument>;
}

export interface ValidationResult {
  valid: boolean;
  errors: Problem[];
  warnings: Problem[];
}

export const EXPORT_FORMATS = [
  { format: "airflow", label: "Airflow DAG (.py)" },
  { format: "taskflow", label: "TaskFlow DAG (.py)" },
  { format: "json", label: "JSON" },
  { format: "yaml", label: "YAML" },
  { format: "dot", label: "Graphviz DOT" },
  { format: "svg", label: "SVG picture" },
  { format: "png", label: "PNG picture" },
] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number]["format"];

function messageOf(status: number, body: unknown): { message: string; problems: Problem[] } {
  if (body && typeof body === "object") {
    const b = body as { errors?: unknown; detail?: unknown };
    if (Array.isArray(b.errors)) {
      const problems = b.errors as Problem[];
      return { message: problems.map((p) => p.message).join("; ") || `HTTP ${status}`, problems };
    }
    if (typeof b.detail === "string") return { message: b.detail, problems: [] };
  }
  if (status === 403)
    return { message: "You are not signed in, or may not do this.", problems: [] };
  if (status === 404) return { message: "Not found (it may have been deleted).", problems: [] };
  return { message: `The server answered ${status}.`, problems: [] };
}

export class Api {
  constructor(
    private readonly csrfToken: string,
    private readonly base = "",
  ) {}

  private async request<T>(
    method: string,
    path: string,
    body?: unknown,
    form?: FormData,
  ): Promise<T> {
    const headers: Record<string, string> = { Accept: "application/json" };
    if (method !== "GET") headers["X-CSRFToken"] = this.csrfToken;
    let payload: BodyInit | undefined;
    if (form) payload = form;
    else if (body !== undefined) {
      headers["Content-Type"] = "application/json";
      payload = JSON.stringify(body);
    }
    let response: Response;
    try {
      response = await fetch(this.base + path, {
        method,
        headers,
        body: payload ?? null,
        credentials: "same-origin",
      });
    } catch {
      throw new ApiError(0, "Cannot reach the server. Check your connection and try again.");
    }
    const text = await response.text();
    let data: unknown = null;
    if (text) {
      try {
        data = JSON.parse(text);
      } catch {
        data = text;
      }
    }
    if (response.status === 412) {
      const d = data as { detail?: string; current_version?: number } | null;
      throw new VersionConflict(
        d?.current_version ?? -1,
        d?.detail ?? "The DAG was saved elsewhere.",
      );
    }
    if (!response.ok) {
      const { message, problems } = messageOf(response.status, data);
      throw new ApiError(response.status, message, problems, data);
    }
    return data as T;
  }

  getDag(id: number): Promise<StoredDag> {
    return this.request("GET", `/api/dags/${id}/`);
  }

  /** Save with optimistic concurrency: throws VersionConflict when `version` is stale. */
  saveDag(id: number, saved: SavedDag, version: number): Promise<StoredDag> {
    return this.request("PUT", `/api/dags/${id}/`, { ...saved, version });
  }

  validate(document: DagDocument, scenario?: ScenarioDocument): Promise<ValidationResult> {
    return this.request("POST", "/api/validate/", scenario ? { document, scenario } : { document });
  }

  startRun(
    dagId: number,
    scenario: ScenarioDocument,
    mode: RunMode,
    options: { speed?: number; scenarioName?: string } = {},
  ): Promise<Run & { result?: Trace | null }> {
    const body: Record<string, unknown> = { scenario, mode };
    if (options.speed !== undefined) body.speed = options.speed;
    if (options.scenarioName) body.scenario_name = options.scenarioName;
    return this.request("POST", `/api/dags/${dagId}/runs/`, body);
  }

  listRuns(dagId: number): Promise<Page<Run>> {
    return this.request("GET", `/api/runs/?dag=${dagId}`);
  }

  getRun(runId: number): Promise<Run> {
    return this.request("GET", `/api/runs/${runId}/`);
  }

  taskInstances(runId: number): Promise<TaskInstance[]> {
    return this.request<TaskInstance[] | Page<TaskInstance>>(
      "GET",
      `/api/runs/${runId}/task-instances/`,
    ).then((data) => (Array.isArray(data) ? data : data.results));
  }

  cancelRun(runId: number): Promise<Run> {
    return this.request("POST", `/api/runs/${runId}/cancel/`);
  }

  layout(document: DagDocument): Promise<{ positions: Positions }> {
    return this.request("POST", "/api/layout/", { document });
  }

  importFile(file: File): Promise<{ document: DagDocument; warnings: Problem[] }> {
    const form = new FormData();
    form.append("file", file);
    return this.request("POST", "/api/import/", undefined, form);
  }

  exportUrl(dagId: number, format: ExportFormat, runId?: number | null): string {
    const run = runId ? `&run=${runId}` : "";
    return `${this.base}/api/dags/${dagId}/export/?format=${format}${run}`;
  }
}
