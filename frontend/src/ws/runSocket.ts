// Follows one run over the websocket /ws/runs/{id}/ (docs/interfaces.md). It applies the snapshot
// and then event frames, remembers the last seq so a reconnect asks only for what it missed, and
// hands the view to the page at most once per animation frame however many events arrive.
import { applyEvents, applySnapshot, emptyRunView, type RunView } from "../graph/runState";
import { FINISHED_RUN_STATES } from "../graph/states";
import type { Run, RunEvent, TaskInstance, TaskState } from "../types";

type Frame =
  | { type: "snapshot"; run: Run; task_instances: TaskInstance[]; last_seq: number }
  | { type: "events"; events: RunEvent[] };

export type SocketStatus = "connecting" | "open" | "reconnecting" | "closed";

export interface RunSocketOptions {
  /** Called with the new view and the task states that changed ("all" after a snapshot). */
  onView: (view: RunView, changed: Map<string, TaskState> | "all") => void;
  onStatus?: (status: SocketStatus) => void;
  /** Where to connect; defaults to the page's own host. */
  url?: (runId: number, after: number | null) => string;
  /** Frame scheduler; requestAnimationFrame in the browser. */
  schedule?: (callback: () => void) => void;
  /** The WebSocket class; the browser's own unless given (tests run outside a browser). */
  WebSocketImpl?: new (url: string) => WebSocket;
}

export function defaultRunUrl(runId: number, after: number | null): string {
  const scheme = window.location.protocol === "https:" ? "wss" : "ws";
  const query = after !== null ? `?after=${after}` : "";
  return `${scheme}://${window.location.host}/ws/runs/${runId}/${query}`;
}

const RETRY_DELAYS_MS = [250, 500, 1000, 2000, 4000];

export class RunSocket {
  private socket: WebSocket | null = null;
  private view: RunView;
  private pending: Frame[] = [];
  private frameScheduled = false;
  private hadSnapshot = false;
  private stopped = false;
  private attempts = 0;
  private retryTimer: ReturnType<typeof setTimeout> | null = null;

  constructor(
    readonly runId: number,
    private readonly options: RunSocketOptions,
  ) {
    this.view = emptyRunView(runId);
  }

  get current(): RunView {
    return this.view;
  }

  start(): void {
    this.stopped = false;
    this.connect();
  }

  /** Stop following the run (the run itself goes on). */
  close(): void {
    this.stopped = true;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.socket?.close();
    this.socket = null;
    this.options.onStatus?.("closed");
  }

  private connect(): void {
    const url = (this.options.url ?? defaultRunUrl)(
      this.runId,
      this.hadSnapshot ? this.view.lastSeq : null,
    );
    this.options.onStatus?.(this.attempts === 0 ? "connecting" : "reconnecting");
    const Impl = this.options.WebSocketImpl ?? WebSocket;
    const socket = new Impl(url);
    this.socket = socket;
    socket.onopen = () => {
      this.attempts = 0;
      this.options.onStatus?.("open");
    };
    socket.onmessage = (message: MessageEvent<string>) => {
      try {
        this.pending.push(JSON.parse(message.data) as Frame);
      } catch {
        return; // a frame we cannot read is dropped; seq numbers let the next reconnect refill it
      }
      this.scheduleFrame();
    };
    socket.onclose = () => {
      if (this.socket !== socket) return;
      this.socket = null;
      if (this.stopped || FINISHED_RUN_STATES.has(this.view.runState)) {
        this.options.onStatus?.("closed");
        return;
      }
      const delay = RETRY_DELAYS_MS[Math.min(this.attempts, RETRY_DELAYS_MS.length - 1)]!;
      this.attempts += 1;
      this.options.onStatus?.("reconnecting");
      this.retryTimer = setTimeout(() => this.connect(), delay);
    };
  }

  private scheduleFrame(): void {
    if (this.frameScheduled) return;
    this.frameScheduled = true;
    const schedule =
      this.options.schedule ?? ((cb: () => void) => requestAnimationFrame(() => cb()));
    schedule(() => {
      this.frameScheduled = false;
      this.flush();
    });
  }

  /** Apply every frame received since the last animation frame, then report once. */
  private flush(): void {
    const frames = this.pending;
    this.pending = [];
    let changed: Map<string, TaskState> | "all" = new Map();
    for (const frame of frames) {
      if (frame.type === "snapshot") {
        this.view = applySnapshot(this.view, frame.run, frame.task_instances, frame.last_seq);
        this.hadSnapshot = true;
        changed = "all";
      } else if (frame.type === "events") {
        const result = applyEvents(this.view, frame.events);
        this.view = result.view;
        if (changed !== "all") for (const [k, v] of result.changed) changed.set(k, v);
      }
    }
    if (changed === "all" || changed.size > 0 || frames.length > 0)
      this.options.onView(this.view, changed);
    if (FINISHED_RUN_STATES.has(this.view.runState) && this.socket) {
      this.stopped = true;
      this.socket.close();
    }
  }
}
