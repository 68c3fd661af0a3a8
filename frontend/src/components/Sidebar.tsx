import type { Dispatch, SetStateAction } from "react";
import type { TaskPatch } from "../graph/edit";
import type { DagSettings, Graph, TaskNode } from "../graph/model";
import type { ScenarioDocument } from "../types";
import { DagSettingsPanel } from "./panels/DagSettingsPanel";
import { PropertiesPanel } from "./panels/PropertiesPanel";
import { RunPanel } from "./panels/RunPanel";
import { ScenarioPanel } from "./panels/ScenarioPanel";
import { TaskDetails } from "./panels/TaskDetails";
import type { RunControl } from "./useRun";

export type Tab = "task" | "dag" | "scenario" | "run";

const TABS: { id: Tab; label: string }[] = [
  { id: "task", label: "Task" },
  { id: "dag", label: "DAG" },
  { id: "scenario", label: "Scenario" },
  { id: "run", label: "Run" },
];

interface Props {
  tab: Tab;
  setTab: (tab: Tab) => void;
  graph: Graph;
  selected: TaskNode[];
  selectedTask: TaskNode | null;
  onRename: (from: string, to: string) => string | null;
  onUpdateTask: (id: string, patch: TaskPatch, group: string) => void;
  onUpdateSettings: (patch: Partial<DagSettings>, group: string) => void;
  scenario: ScenarioDocument;
  setScenario: Dispatch<SetStateAction<ScenarioDocument>>;
  scenarios: Record<string, ScenarioDocument>;
  setScenarios: Dispatch<SetStateAction<Record<string, ScenarioDocument>>>;
  scenarioName: string | null;
  setScenarioName: (name: string | null) => void;
  run: RunControl;
  onSimulate: () => void;
  onRunLive: (speed: number) => void;
}

export function Sidebar(p: Props) {
  return (
    <aside className="sidebar">
      <div className="tabs" role="tablist">
        {TABS.map((t) => (
          <button
            key={t.id}
            type="button"
            role="tab"
            aria-selected={p.tab === t.id}
            className={p.tab === t.id ? "tab active" : "tab"}
            onClick={() => p.setTab(t.id)}
            data-testid={`tab-${t.id}`}
          >
            {t.label}
          </button>
        ))}
      </div>
      <div className="tab-body">
        {p.tab === "task" ? (
          p.selectedTask ? (
            <>
              {p.run.run ? <TaskDetails taskId={p.selectedTask.id} run={p.run} /> : null}
              <PropertiesPanel
                key={p.selectedTask.id}
                node={p.selectedTask}
                graph={p.graph}
                onRename={p.onRename}
                onUpdate={p.onUpdateTask}
              />
            </>
          ) : (
            <p className="hint">
              {p.selected.length > 1
                ? `${p.selected.length} tasks selected. Ctrl+C copies them, Delete removes them.`
                : "Select a task to edit it. Shift-drag to select several."}
            </p>
          )
        ) : null}
        {p.tab === "dag" ? (
          <DagSettingsPanel settings={p.graph.settings} onUpdate={p.onUpdateSettings} />
        ) : null}
        {p.tab === "scenario" ? (
          <ScenarioPanel
            graph={p.graph}
            selectedTask={p.selectedTask}
            scenario={p.scenario}
            setScenario={p.setScenario}
            scenarios={p.scenarios}
            setScenarios={p.setScenarios}
            scenarioName={p.scenarioName}
            setScenarioName={p.setScenarioName}
          />
        ) : null}
        {p.tab === "run" ? (
          <RunPanel
            run={p.run}
            onSimulate={p.onSimulate}
            onRunLive={p.onRunLive}
            selectedTask={p.selectedTask}
          />
        ) : null}
      </div>
    </aside>
  );
}
