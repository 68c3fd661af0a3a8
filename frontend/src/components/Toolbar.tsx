import { useRef } from "react";
import { EXPORT_FORMATS, type ExportFormat } from "../api/client";

interface Props {
  dagId: string;
  version: number;
  dirty: boolean;
  saving: boolean;
  canUndo: boolean;
  canRedo: boolean;
  problemCount: number;
  layingOut: boolean;
  exportUrl: (format: ExportFormat) => string;
  onSave: () => void;
  onUndo: () => void;
  onRedo: () => void;
  onLayout: () => void;
  onFit: () => void;
  onDelete: () => void;
  onImport: (file: File) => void;
}

export function Toolbar(p: Props) {
  const fileInput = useRef<HTMLInputElement>(null);
  return (
    <header className="toolbar">
      <h1 className="dag-title" data-testid="dag-title">
        {p.dagId}
      </h1>
      <span
        className={p.dirty ? "save-state dirty" : "save-state"}
        data-testid="save-state"
        data-dirty={p.dirty ? "true" : "false"}
        title={p.dirty ? "Changes not saved yet" : `Saved as version ${p.version}`}
      >
        {p.saving ? "Saving…" : p.dirty ? "● Unsaved changes" : `Saved · v${p.version}`}
      </span>
      <div className="toolbar-group">
        <button
          type="button"
          onClick={p.onSave}
          disabled={p.saving}
          data-testid="save"
          title="Save (Ctrl+S)"
        >
          Save
        </button>
        <button
          type="button"
          onClick={p.onUndo}
          disabled={!p.canUndo}
          title="Undo (Ctrl+Z)"
          data-testid="undo"
        >
          Undo
        </button>
        <button
          type="button"
          onClick={p.onRedo}
          disabled={!p.canRedo}
          title="Redo (Ctrl+Shift+Z)"
          data-testid="redo"
        >
          Redo
        </button>
        <button type="button" onClick={p.onDelete} title="Delete the selection (Delete)">
          Delete
        </button>
        <button
          type="button"
          onClick={p.onLayout}
          disabled={p.layingOut}
          title="Lay out left to right (L)"
          data-testid="layout"
        >
          {p.layingOut ? "Laying out…" : "Layout"}
        </button>
        <button type="button" onClick={p.onFit} title="Zoom to fit (F)" data-testid="fit">
          Fit
        </button>
      </div>
      <div className="toolbar-group">
        <button
          type="button"
          onClick={() => fileInput.current?.click()}
          title="Import an Airflow .py, JSON or YAML file"
        >
          Import…
        </button>
        <input
          ref={fileInput}
          type="file"
          accept=".py,.json,.yaml,.yml"
          hidden
          data-testid="import-file"
          onChange={(e) => {
            const file = e.target.files?.[0];
            if (file) p.onImport(file);
            e.target.value = "";
          }}
        />
        <details className="export-menu">
          <summary>Export</summary>
          <ul>
            {EXPORT_FORMATS.map((f) => (
              <li key={f.format}>
                <a href={p.exportUrl(f.format)} download data-testid={`export-${f.format}`}>
                  {f.label}
                </a>
              </li>
            ))}
          </ul>
        </details>
      </div>
      {p.problemCount > 0 ? (
        <span
          className="problem-count"
          data-testid="problem-count"
          title="Problems the engine found; hover a task for details"
        >
          {p.problemCount} problem{p.problemCount === 1 ? "" : "s"}
        </span>
      ) : null}
      <span
        className="shortcuts"
        title="Delete · Ctrl+Z undo · Ctrl+Shift+Z redo · Ctrl+C/V copy/paste · L layout · F fit · Ctrl+S save"
      >
        ⌨ shortcuts
      </span>
    </header>
  );
}
