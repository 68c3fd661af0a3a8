// RunSocket against a real websocket server (the `ws` package) on a local port.
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { WebSocket as WsClient, WebSocketServer } from "ws";
import type { RunView } from "../graph/runState";
import type { RunEvent, TaskState } from "../types";
import { RunSocket } from "./runSocket";

const event = (seq: number, task_id: string | null, to_state: string): RunEvent => ({
  run: 7,
  seq,
  task_id,
  try_number: task_id ? 1 : null,
  from_state: null,
  to_state,
  reason: "",
  sim_time: seq,
  wall_time: "2026-01-01T00:00:00Z",
});

const snapshot = (state: string, lastSeq: number) => ({
  type: "snapshot",
  run: { state },
  task_instances: [
    { task_id: "a", state: "queued", try_number: 0, start: null, end: null, reason: null },
    { task_id: "b", state: "none", try_number: 0, start: null, end: null, reason: null },
  ],
  last_seq: lastSeq,
});

let server: WebSocketServer | null = null;
let client: RunSocket | null = null;

afterEach(() => {
  client?.close();
  server?.close();
});

async function serve(
  onConnection: (socket: import("ws").WebSocket, url: string, n: number) => void,
) {
  let n = 0;
  const listening = new WebSocketServer({ port: 0, host: "127.0.0.1" });
  server = listening;
  listening.on("connection", (socket, request) => onConnection(socket, request.url ?? "", ++n));
  await new Promise((resolve) => listening.once("listening", resolve));
  const { port } = listening.address() as AddressInfo;
  return (runId: number, after: number | null) =>
    `ws://127.0.0.1:${port}/ws/runs/${runId}/${after !== null ? `?after=${after}` : ""}`;
}

describe("following a run over the websocket", () => {
  it("applies the snapshot, then events, and resumes after a dropped connection from its last seq", async () => {
    const urls: string[] = [];
    const url = await serve((socket, path, n) => {
      urls.push(path);
      if (n === 1) {
        socket.send(JSON.stringify(snapshot("running", 2)));
        socket.send(JSON.stringify({ type: "events", events: [event(3, "a", "running")] }));
        setTimeout(() => socket.terminate(), 50); // no close frame: a network drop
      } else {
        // The server replays from the log after the seq asked for; a repeat must be harmless.
        socket.send(
          JSON.stringify({
            type: "events",
            events: [
              event(3, "a", "running"),
              event(4, "a", "success"),
              event(5, "b", "skipped"),
              event(6, null, "success"),
            ],
          }),
        );
      }
    });
    const finished = new Promise<RunView>((resolve) => {
      client = new RunSocket(7, {
        url,
        WebSocketImpl: WsClient as unknown as new (url: string) => WebSocket,
        schedule: (cb) => setTimeout(cb, 0),
        onView: (view) => {
          if (view.runState === "success") resolve(view);
        },
      });
      client.start();
    });
    const view = await finished;
    expect(urls).toEqual(["/ws/runs/7/", "/ws/runs/7/?after=3"]);
    expect(view.states).toEqual({ a: "success", b: "skipped" });
    expect(view.lastSeq).toBe(6);
  });

  it("hands over everything received in one frame as a single update", async () => {
    const url = await serve((socket) => {
      socket.send(JSON.stringify(snapshot("running", 0)));
      for (let i = 1; i <= 50; i += 1) {
        socket.send(JSON.stringify({ type: "events", events: [event(i, `t${i}`, "success")] }));
      }
    });
    let frame: (() => void) | null = null;
    const updates: (Map<string, TaskState> | "all")[] = [];
    client = new RunSocket(7, {
      url,
      WebSocketImpl: WsClient as unknown as new (url: string) => WebSocket,
      schedule: (cb) => {
        frame = cb;
      },
      onView: (_view, changed) => updates.push(changed),
    });
    client.start();
    await expect.poll(() => client!.current.lastSeq === 0 && frame !== null).toBe(true);
    await new Promise((r) => setTimeout(r, 200)); // let all 51 frames arrive before the "frame"
    (frame as unknown as () => void)();
    expect(updates).toHaveLength(1);
    expect(updates[0]).toBe("all");
    expect(client.current.lastSeq).toBe(50);
    expect(Object.keys(client.current.states)).toHaveLength(52);
  });
});
