// The editor page: holds the graph, its undo history and save state, and wires the canvas to the
// panels. Editing operations themselves live in graph/edit.ts; running lives in useRun.
import { useReactFlow, useUpdateNodeInternals } from "@xyflow/react";
import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import { Api, ApiError, VersionConflict, type SavedDag } from "../api/client";
import * as edit from "../graph/edit";
import {
  canRedo,
  canUndo,
  commit,
  createHistory,
  redo,
  undo,
  type History,
} from "../graph/history";
import { BROWSER_LAYOUT_LIMIT, fitToBoxes } from "../graph/layoutFit";
import {
  documentToGraph,
  edgePairs,
  graphToDocument,
  NODE_HEIGHT,
  NODE_WIDTH,
  positionsOf,
  readLayout,
  type DagSettings,
  type Graph,
} from "../graph/model";
import { freeSlot } from "../graph/place";
import { openingTasks } from "../graph/viewport";
import { emptyScenario, pruneScenario, readScenarios, renameInScenario } from "../graph/scenario";
import type { DagDocument, Operator, Positions, ScenarioDocument, StoredDag } from "../types";
import { Canvas } from "./Canvas";
import { ConflictDialog } from "./ConflictDialog";
import { DraftBanner, clearDraft, readDraft, useDraftBackup, type Draft } from "./drafts";
import { Palette } from "./Palette";
import { Sidebar, type Tab } from "./Sidebar";
import { Timeline } from "./panels/Timeline";
import { Toolbar } from "./Toolbar";
import { useRun } from "./useRun";
import { useShortcuts } from "./useShortcuts";
import { showProblems, useValidation } from "./useValidation";

export interface Message {
  text: string;
  kind: "error" | "info";
  id: number;
}

interface Props {
  api: Api;
  dagPk: number;
  initial: StoredDag;
}

function scenariosMap(stored: unknown): Record<string, ScenarioDocument> {
  return Object.fromEntries(readScenarios(stored).map((s) => [s.name, s.scenario]));
}

function payloadOf(graph: Graph, scenarios: Record<string, ScenarioDocument>): SavedDag {
  return {
    document: graphToDocument(graph),
    layout: { positions: positionsOf(graph.nodes) },
    scenarios,
  };
}

const serialize = (p: SavedDag): string => JSON.stringify(p);

export function Editor({ api, dagPk, initial }: Props) {
  const flow = useReactFlow();
  const updateNodeInternals = useUpdateNodeInternals();
  const initialGraph = useMemo(
    () => documentToGraph(initial.document, readLayout(initial.layout)),
    [initial],
  );
  const [graph, setGraph] = useState<Graph>(initialGraph);
  const graphRef = useRef(graph);
  const historyRef = useRef<History<Graph>>(createHistory(initialGraph));
  const [committed, setCommitted] = useState<Graph>(initialGraph);
  const [version, setVersion] = useState(initial.version);
  const [scenarios, setScenarios] = useState<Record<string, ScenarioDocument>>(() =>
    scenariosMap(initial.scenarios),
  );
  const [scenario, setScenario] = useState<ScenarioDocument>(emptyScenario);
  const [scenarioName, setScenarioName] = useState<string | null>(null);
  const [saved, setSaved] = useState(() =>
    serialize(payloadOf(initialGraph, scenariosMap(initial.scenarios))),
  );
  const [saving, setSaving] = useState(false);
  const [conflict, setConflict] = useState<{ currentVersion: number } | null>(null);
  const [message, setMessage] = useState<Message | null>(null);
  const [tab, setTab] = useState<Tab>("task");
  const [draft, setDraft] = useState<Draft | null>(() => readDraft(dagPk));
  const [layingOut, setLayingOut] = useState(false);
  // False until the first layout is on screen (tests and the benchmark wait for it).
  const [ready, setReady] = useState(false);
  const [readyAfterFit, setReadyAfterFit] = useState(false);
  // Fitting the view must wait until React Flow holds the new positions, which it takes from
  // props in an effect: so it is requested here and done in an effect after that commit.
  const [fitRequest, setFitRequest] = useState(0);
  const clipRef = useRef<edit.Clip | null>(null);
  const canvasRef = useRef<HTMLDivElement>(null);

  const say = useCallback((text: string, kind: Message["kind"] = "info") => {
    setMessage({ text, kind, id: Date.now() + Math.random() });
  }, []);

  const current = useMemo(() => payloadOf(committed, scenarios), [committed, scenarios]);
  const currentSerialized = useMemo(() => serialize(current), [current]);
  const dirty = currentSerialized !== saved;

  // ---- graph state and history -------------------------------------------------------------
  const setLive = useCallback((next: Graph) => {
    graphRef.current = next;
    setGraph(next);
  }, []);

  const commitGraph = useCallback(
    (next: Graph, group: string | null = null) => {
      setLive(next);
      historyRef.current = commit(historyRef.current, next, group);
      setCommitted(next);
    },
    [setLive],
  );

  const restore = useCallback(
    (h: History<Graph>) => {
      historyRef.current = h;
      setLive(h.present);
      setCommitted(h.present);
    },
    [setLive],
  );

  const doUndo = useCallback(() => restore(undo(historyRef.current)), [restore]);
  const doRedo = useCallback(() => restore(redo(historyRef.current)), [restore]);

  /** Replace everything with a document (load, reload, import); optionally undoable. */
  const resetTo = useCallback(
    (doc: DagDocument, layout: unknown, keepHistory: boolean) => {
      const next = documentToGraph(doc, readLayout(layout));
      if (keepHistory) commitGraph(next);
      else {
        historyRef.current = createHistory(next);
        setLive(next);
        setCommitted(next);
      }
      // Every node object is new: have React Flow measure the handles again, including those of
      // tasks whose element stayed mounted (same id) and so gets no resize notification.
      requestAnimationFrame(() => updateNodeInternals(next.nodes.map((n) => n.id)));
      return next;
    },
    [commitGraph, setLive, updateNodeInternals],
  );

  // ---- layout ------------------------------------------------------------------------------
  const autoLayout = useCallback(
    async (base?: Graph) => {
      const g = base ?? graphRef.current;
      if (g.nodes.length === 0) return;
      setLayingOut(true);
      try {
        let positions: Positions;
        if (g.nodes.length <= BROWSER_LAYOUT_LIMIT) {
          const { layoutInBrowser } = await import("../graph/layout");
          positions = layoutInBrowser(
            g.nodes.map((n) => n.id),
            edgePairs(g.edges),
          );
        } else {
          positions = fitToBoxes((await api.layout(graphToDocument(g))).positions);
        }
        commitGraph(edit.setPositions(graphRef.current, positions));
        setFitRequest((n) => n + 1);
      } catch (e) {
        say(`Automatic layout failed: ${(e as Error).message}`, "error");
      } finally {
        setLayingOut(false);
      }
    },
    [api, commitGraph, flow, say],
  );

  // A DAG created through the API or an import has no stored positions: lay it out once.
  const laidOutOnLoad = useRef(false);
  useEffect(() => {
    if (laidOutOnLoad.current) return;
    laidOutOnLoad.current = true;
    const stored = readLayout(initial.layout);
    const missing = initialGraph.nodes.some((n) => !stored[n.id]);
    if (!missing || initialGraph.nodes.length === 0) {
      setReadyAfterFit(true);
      return;
    }
    void autoLayout(initialGraph).then(() => {
      // Positions decided by the layout are not a user's change: nothing to undo or save.
      historyRef.current = createHistory(graphRef.current);
      setCommitted(graphRef.current);
      setSaved(serialize(payloadOf(graphRef.current, scenariosMap(initial.scenarios))));
      // autoLayout asked for a fit; the page is ready once that has been drawn.
      setReadyAfterFit(true);
    });
  }, [autoLayout, initial, initialGraph]);

  const handledFit = useRef(0);
  useEffect(() => {
    if (ready) {
      // Fits asked for while editing (after a layout): the whole DAG.
      if (fitRequest === handledFit.current) return;
      handledFit.current = fitRequest;
      const frame = requestAnimationFrame(
        () => void flow.fitView({ padding: 0.1, maxZoom: 1, duration: 0 }),
      );
      return () => cancelAnimationFrame(frame);
    }
    if (!readyAfterFit) return; // still laying out on load
    // The opening view, once; the page is ready when it has been drawn.
    handledFit.current = fitRequest;
    const frame = requestAnimationFrame(() => {
      const nodes = openingTasks(graphRef.current.nodes)?.map((id) => ({ id }));
      void flow
        .fitView({ padding: 0.1, maxZoom: 1, duration: 0, nodes })
        .then(() => requestAnimationFrame(() => setReady(true)));
    });
    return () => cancelAnimationFrame(frame);
  }, [fitRequest, flow, ready, readyAfterFit]);

  // ---- editing -----------------------------------------------------------------------------
  const addTask = useCallback(
    (operator: Operator, at?: { x: number; y: number }) => {
      let position = at;
      if (!position) {
        const box = canvasRef.current?.getBoundingClientRect();
        const centre = box
          ? flow.screenToFlowPosition({ x: box.left + box.width / 2, y: box.top + box.height / 3 })
          : { x: 0, y: 0 };
        position = freeSlot(graphRef.current.nodes, {
          x: Math.round(centre.x),
          y: Math.round(centre.y),
        });
      }
      const { graph: next, id } = edit.addTask(graphRef.current, operator, position);
      commitGraph(next);
      // Bring the new task into view when the free slot fell outside it.
      const box = canvasRef.current?.getBoundingClientRect();
      if (box) {
        const topLeft = flow.screenToFlowPosition({ x: box.left, y: box.top });
        const bottomRight = flow.screenToFlowPosition({ x: box.right, y: box.bottom });
        const p = position;
        if (
          p.x < topLeft.x ||
          p.y < topLeft.y ||
          p.x + NODE_WIDTH > bottomRight.x ||
          p.y + NODE_HEIGHT > bottomRight.y
        ) {
          void flow.setCenter(p.x + NODE_WIDTH / 2, p.y + NODE_HEIGHT / 2, {
            zoom: flow.getZoom(),
          });
        }
      }
      setTab("task");
      say(`Added ${id}. Name it in the Task panel; drag from its right handle to connect it.`);
    },
    [commitGraph, flow, say],
  );

  const connect = useCallback(
    (source: string, target: string) => {
      const result = edit.connect(graphRef.current, source, target);
      if (edit.isRefusal(result)) say(result.refused, "error");
      else commitGraph(result);
    },
    [commitGraph, say],
  );

  const deleteSelection = useCallback(() => {
    const g = graphRef.current;
    const nodes = g.nodes.filter((n) => n.selected).map((n) => n.id);
    const edges = g.edges.filter((e) => e.selected).map((e) => e.id);
    if (!nodes.length && !edges.length) return;
    const next = edit.remove(g, nodes, edges);
    commitGraph(next);
    const ops = new Map(next.nodes.map((n) => [n.id, n.data.task.operator] as const));
    setScenario((s) => pruneScenario(s, ops));
  }, [commitGraph]);

  const copySelection = useCallback(() => {
    const ids = graphRef.current.nodes.filter((n) => n.selected).map((n) => n.id);
    const clip = edit.copy(graphRef.current, ids);
    if (clip) {
      clipRef.current = clip;
      say(`Copied ${clip.tasks.length} task${clip.tasks.length === 1 ? "" : "s"}.`);
    }
  }, [say]);

  const pasteClip = useCallback(() => {
    if (!clipRef.current) return;
    const { graph: next, ids } = edit.paste(graphRef.current, clipRef.current);
    commitGraph(next);
    say(`Pasted ${ids.join(", ")}.`);
  }, [commitGraph, say]);

  const renameTask = useCallback(
    (from: string, to: string): string | null => {
      const result = edit.renameTask(graphRef.current, from, to);
      if (edit.isRefusal(result)) return result.refused;
      commitGraph(result);
      setScenario((s) => renameInScenario(s, from, to));
      setScenarios((all) =>
        Object.fromEntries(Object.entries(all).map(([k, s]) => [k, renameInScenario(s, from, to)])),
      );
      return null;
    },
    [commitGraph],
  );

  const updateTask = useCallback(
    (id: string, patch: edit.TaskPatch, group: string) => {
      const next = edit.updateTask(graphRef.current, id, patch);
      commitGraph(next, group);
      if ("operator" in patch) {
        const ops = new Map(next.nodes.map((n) => [n.id, n.data.task.operator] as const));
        setScenario((s) => pruneScenario(s, ops));
      }
    },
    [commitGraph],
  );

  const updateSettings = useCallback(
    (patch: Partial<DagSettings>, group: string) => {
      const g = graphRef.current;
      commitGraph({ ...g, settings: { ...g.settings, ...patch } }, group);
    },
    [commitGraph],
  );

  // ---- validation by the engine ------------------------------------------------------------
  const { generalProblems, setGeneralProblems, errorCount } = useValidation(
    api,
    committed,
    scenario,
  );

  // ---- saving ------------------------------------------------------------------------------
  const save = useCallback(
    async (asVersion?: number): Promise<boolean> => {
      const payload = payloadOf(graphRef.current, scenarios);
      setSaving(true);
      try {
        const stored = await api.saveDag(dagPk, payload, asVersion ?? version);
        setVersion(stored.version);
        setSaved(serialize(payload));
        setConflict(null);
        clearDraft(dagPk);
        say(`Saved (version ${stored.version}).`);
        return true;
      } catch (e) {
        if (e instanceof VersionConflict) {
          setConflict({ currentVersion: e.currentVersion });
        } else if (e instanceof ApiError) {
          if (e.problems.length) setGeneralProblems(showProblems(e.problems, graphRef.current));
          say(`Not saved: ${e.message}`, "error");
        } else {
          say(`Not saved: ${(e as Error).message}`, "error");
        }
        return false;
      } finally {
        setSaving(false);
      }
    },
    [api, dagPk, say, scenarios, version],
  );

  const reloadFromServer = useCallback(async () => {
    try {
      const stored = await api.getDag(dagPk);
      resetTo(stored.document, stored.layout, false);
      const named = scenariosMap(stored.scenarios);
      setScenarios(named);
      setVersion(stored.version);
      setSaved(serialize(payloadOf(graphRef.current, named)));
      setConflict(null);
      clearDraft(dagPk);
      say(`Loaded version ${stored.version} from the server.`);
    } catch (e) {
      say(`Could not reload: ${(e as Error).message}`, "error");
    }
  }, [api, dagPk, resetTo, say]);

  useDraftBackup(dagPk, version, current, dirty);

  const restoreDraft = useCallback(() => {
    if (!draft) return;
    resetTo(draft.payload.document, draft.payload.layout, true);
    setScenarios(draft.payload.scenarios ?? {});
    setDraft(null);
    say("Restored your unsaved changes. Save to keep them.");
  }, [draft, resetTo, say]);

  // ---- import ------------------------------------------------------------------------------
  const importFile = useCallback(
    async (file: File) => {
      try {
        const { document, warnings } = await api.importFile(file);
        // The file replaces this DAG's drawing but not its name: renaming happens on purpose,
        // in the DAG panel, not as a side effect that might clash with another DAG.
        const name = graphRef.current.settings.dag_id;
        const next = resetTo({ ...document, dag_id: name }, {}, true);
        await autoLayout(next);
        const renamed =
          document.dag_id !== name ? ` (the file calls it ${document.dag_id}; kept ${name})` : "";
        const note = warnings.length
          ? ` ${warnings.length} warning(s): ${warnings.map((w) => w.message).join("; ")}`
          : "";
        say(
          `Imported ${file.name}: ${document.tasks.length} tasks${renamed}. Review, then save.${note}`,
        );
      } catch (e) {
        say(`Import failed: ${(e as Error).message}`, "error");
      }
    },
    [api, autoLayout, resetTo, say],
  );

  // ---- running -----------------------------------------------------------------------------
  const run = useRun({
    api,
    dagPk,
    say,
    ensureSaved: async () => (dirty ? save() : true),
  });

  // ---- keyboard shortcuts ------------------------------------------------------------------
  useShortcuts({
    save: () => void save(),
    undo: doUndo,
    redo: doRedo,
    copy: copySelection,
    paste: pasteClip,
    remove: deleteSelection,
    layout: () => void autoLayout(),
    fit: () => void flow.fitView({ padding: 0.1, maxZoom: 1 }),
  });

  useEffect(() => {
    if (!message) return;
    const timer = setTimeout(() => setMessage(null), message.kind === "error" ? 12000 : 5000);
    return () => clearTimeout(timer);
  }, [message]);

  const getGraph = useCallback(() => graphRef.current, []);
  const commitLive = useCallback(() => commitGraph(graphRef.current), [commitGraph]);
  const dropOperator = useCallback(
    (op: Operator, at: { x: number; y: number }) =>
      addTask(op, freeSlot(graphRef.current.nodes, at)),
    [addTask],
  );

  // A run is labelled with the named scenario only while the outcomes are still that scenario's.
  const unchangedName =
    scenarioName && JSON.stringify(scenarios[scenarioName]) === JSON.stringify(scenario)
      ? scenarioName
      : null;

  const selected = useMemo(() => graph.nodes.filter((n) => n.selected), [graph.nodes]);
  const selectedTask = selected.length === 1 ? selected[0]! : null;

  return (
    <div className="editor" data-ready={ready ? "true" : "false"}>
      <Toolbar
        dagId={graph.settings.dag_id}
        version={version}
        dirty={dirty}
        saving={saving}
        canUndo={canUndo(historyRef.current)}
        canRedo={canRedo(historyRef.current)}
        problemCount={errorCount}
        layingOut={layingOut}
        exportUrl={(format) => api.exportUrl(dagPk, format, run.shownRunId)}
        onSave={() => void save()}
        onUndo={doUndo}
        onRedo={doRedo}
        onLayout={() => void autoLayout()}
        onFit={() => void flow.fitView({ padding: 0.1, maxZoom: 1 })}
        onDelete={deleteSelection}
        onImport={(file) => void importFile(file)}
      />
      {draft ? (
        <DraftBanner
          draft={draft}
          onRestore={restoreDraft}
          onDiscard={() => {
            clearDraft(dagPk);
            setDraft(null);
          }}
        />
      ) : null}
      <div className="workspace">
        <Palette onAdd={(op) => addTask(op)} />
        <div className="canvas-column">
          <Canvas
            ref={canvasRef}
            graph={graph}
            getGraph={getGraph}
            setLive={setLive}
            commitLive={commitLive}
            onConnect={connect}
            onDropOperator={dropOperator}
            generalProblems={generalProblems}
          />
          {run.trace?.tries.length || run.taskInstances?.length ? (
            <Timeline trace={run.trace} taskInstances={run.taskInstances} />
          ) : null}
        </div>
        <Sidebar
          tab={tab}
          setTab={setTab}
          graph={graph}
          selected={selected}
          selectedTask={selectedTask}
          onRename={renameTask}
          onUpdateTask={updateTask}
          onUpdateSettings={updateSettings}
          scenario={scenario}
          setScenario={setScenario}
          scenarios={scenarios}
          setScenarios={setScenarios}
          scenarioName={scenarioName}
          setScenarioName={setScenarioName}
          run={run}
          onSimulate={() => void run.simulate(scenario, unchangedName)}
          onRunLive={(speed) => void run.runLive(scenario, unchangedName, speed)}
        />
      </div>
      {message ? (
        <div
          className={`message ${message.kind}`}
          role={message.kind === "error" ? "alert" : "status"}
          data-testid="message"
          data-kind={message.kind}
        >
          <span>{message.text}</span>
          <button type="button" aria-label="Dismiss" onClick={() => setMessage(null)}>
            ×
          </button>
        </div>
      ) : null}
      {conflict ? (
        <ConflictDialog
          currentVersion={conflict.currentVersion}
          myVersion={version}
          myWork={current}
          onOverwrite={() => void save(conflict.currentVersion)}
          onReload={() => void reloadFromServer()}
          onKeepEditing={() => setConflict(null)}
        />
      ) : null}
    </div>
  );
}
