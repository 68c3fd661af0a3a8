// Running the DAG: instant simulation (paint the final states at once), live runs followed over
// the websocket, cancelling, and showing any earlier run from the history list.
import { useCallback, useEffect, useRef, useState } from "react";
import type { Api } from "../api/client";
import type { RunView } from "../graph/runState";
import { FINISHED_RUN_STATES, asTaskState } from "../graph/states";
import { runStates } from "../state/stores";
import type { Run, ScenarioDocument, TaskInstance, Trace } from "../types";
import { RunSocket, type SocketStatus } from "../ws/runSocket";

interface Options {
  api: Api;
  dagPk: number;
  say: (text: string, kind?: "error" | "info") => void;
  /** Save unsaved edits first, since a run simulates the saved DAG; false if that failed. */
  ensureSaved: () => Promise<boolean>;
}

export interface RunControl {
  run: Run | null;
  shownRunId: number | null;
  trace: Trace | null;
  taskInstances: TaskInstance[] | null;
  liveState: string | null;
  socketStatus: SocketStatus | null;
  history: Run[];
  busy: boolean;
  simulate: (scenario: ScenarioDocument, name: string | null) => Promise<void>;
  runLive: (scenario: ScenarioDocument, name: string | null, speed: number) => Promise<void>;
  cancel: () => Promise<void>;
  show: (runId: number) => Promise<void>;
  clear: () => void;
  refreshHistory: () => Promise<void>;
}

function paintTrace(trace: Trace): void {
  runStates.replace(Object.entries(trace.states).map(([id, s]) => [id, asTaskState(s)]));
}

export function useRun({ api, dagPk, say, ensureSaved }: Options): RunControl {
  const [run, setRun] = useState<Run | null>(null);
  const [trace, setTrace] = useState<Trace | null>(null);
  const [taskInstances, setTaskInstances] = useState<TaskInstance[] | null>(null);
  const [liveState, setLiveState] = useState<string | null>(null);
  const [socketStatus, setSocketStatus] = useState<SocketStatus | null>(null);
  const [history, setHistory] = useState<Run[]>([]);
  const [busy, setBusy] = useState(false);
  const socketRef = useRef<RunSocket | null>(null);

  const refreshHistory = useCallback(async () => {
    try {
      setHistory((await api.listRuns(dagPk)).results);
    } catch {
      // The list is a convenience; the run itself is already shown.
    }
  }, [api, dagPk]);

  useEffect(() => {
    void refreshHistory();
    return () => socketRef.current?.close();
  }, [refreshHistory]);

  const stopFollowing = () => {
    socketRef.current?.close();
    socketRef.current = null;
    setSocketStatus(null);
  };

  /** Once a run has finished, fetch what the server recorded (trace, task instances). */
  const loadFinished = useCallback(
    async (runId: number) => {
      const full = await api.getRun(runId);
      setRun(full);
      setLiveState(full.state);
      if (full.result) {
        setTrace(full.result);
        paintTrace(full.result);
        setTaskInstances(null);
      } else {
        const tis = await api.taskInstances(runId);
        setTaskInstances(tis);
        setTrace(null);
        runStates.replace(tis.map((ti) => [ti.task_id, asTaskState(ti.state)]));
      }
      void refreshHistory();
    },
    [api, refreshHistory],
  );

  const follow = useCallback(
    (started: Run) => {
      stopFollowing();
      runStates.clear();
      setTrace(null);
      setTaskInstances(null);
      setLiveState(started.state);
      let finished = false;
      const socket = new RunSocket(started.id, {
        onView: (view: RunView, changed) => {
          if (changed === "all") runStates.replace(Object.entries(view.states));
          else runStates.patch(changed);
          setLiveState(view.runState);
          if (!finished && FINISHED_RUN_STATES.has(view.runState)) {
            finished = true;
            say(`Run ${started.id} ${view.runState}.`);
            void loadFinished(started.id).catch(() => undefined);
          }
        },
        onStatus: setSocketStatus,
      });
      socketRef.current = socket;
      socket.start();
    },
    [loadFinished, say],
  );

  const simulate = useCallback(
    async (scenario: ScenarioDocument, name: string | null) => {
      setBusy(true);
      try {
        if (!(await ensureSaved())) return;
        stopFollowing();
        const started = await api.startRun(
          dagPk,
          scenario,
          "instant",
          name ? { scenarioName: name } : {},
        );
        setRun(started);
        setLiveState(started.state);
        setTaskInstances(null);
        if (started.result) {
          setTrace(started.result);
          paintTrace(started.result);
          say(
            `Simulated: the run ends ${started.result.run_state} after ${started.result.makespan_s}s of simulated time.`,
          );
        } else {
          await loadFinished(started.id);
        }
        void refreshHistory();
      } catch (e) {
        say(`Simulation failed: ${(e as Error).message}`, "error");
      } finally {
        setBusy(false);
      }
    },
    [api, dagPk, ensureSaved, loadFinished, refreshHistory, say],
  );

  const runLive = useCallback(
    async (scenario: ScenarioDocument, name: string | null, speed: number) => {
      setBusy(true);
      try {
        if (!(await ensureSaved())) return;
        const started = await api.startRun(dagPk, scenario, "live", {
          speed,
          ...(name ? { scenarioName: name } : {}),
        });
        setRun(started);
        follow(started);
        say(`Live run ${started.id} started at ${speed}× speed.`);
        void refreshHistory();
      } catch (e) {
        say(`Could not start the live run: ${(e as Error).message}`, "error");
      } finally {
        setBusy(false);
      }
    },
    [api, dagPk, ensureSaved, follow, refreshHistory, say],
  );

  const cancel = useCallback(async () => {
    if (!run) return;
    try {
      const cancelled = await api.cancelRun(run.id);
      setRun(cancelled);
      say(`Run ${run.id} cancelled.`);
    } catch (e) {
      say(`Could not cancel: ${(e as Error).message}`, "error");
    }
  }, [api, run, say]);

  const show = useCallback(
    async (runId: number) => {
      try {
        stopFollowing();
        const r = await api.getRun(runId);
        setRun(r);
        if (FINISHED_RUN_STATES.has(r.state)) await loadFinished(runId);
        else follow(r);
      } catch (e) {
        say(`Could not load run ${runId}: ${(e as Error).message}`, "error");
      }
    },
    [api, follow, loadFinished, say],
  );

  const clear = useCallback(() => {
    stopFollowing();
    runStates.clear();
    setRun(null);
    setTrace(null);
    setTaskInstances(null);
    setLiveState(null);
  }, []);

  return {
    run,
    shownRunId: run?.id ?? null,
    trace,
    taskInstances,
    liveState,
    socketStatus,
    history,
    busy,
    simulate,
    runLive,
    cancel,
    show,
    clear,
    refreshHistory,
  };
}
