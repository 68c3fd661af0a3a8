// Unsaved work kept in this browser (localStorage) until it is saved or discarded, so that a
// closed tab, a crash or a lost conflict never loses what the user drew.
import { useEffect } from "react";
import type { SavedDag } from "../api/client";

export interface Draft {
  baseVersion: number;
  savedAt: string;
  payload: SavedDag;
}

const key = (dagPk: number) => `dagsim:draft:${dagPk}`;

export function writeDraft(dagPk: number, baseVersion: number, payload: SavedDag): void {
  try {
    const draft: Draft = { baseVersion, savedAt: new Date().toISOString(), payload };
    localStorage.setItem(key(dagPk), JSON.stringify(draft));
  } catch {
    // Storage full or disabled: the in-page state and the beforeunload warning still protect it.
  }
}

export function readDraft(dagPk: number): Draft | null {
  try {
    const raw = localStorage.getItem(key(dagPk));
    if (!raw) return null;
    const draft = JSON.parse(raw) as Draft;
    return draft?.payload?.document?.tasks ? draft : null;
  } catch {
    return null;
  }
}

export function clearDraft(dagPk: number): void {
  try {
    localStorage.removeItem(key(dagPk));
  } catch {
    /* nothing stored, nothing to clear */
  }
}

/**
 * While there are unsaved changes: keep a copy in this browser (half a second after the last
 * change) and ask before the tab is closed or reloaded.
 */
export function useDraftBackup(dagPk: number, version: number, current: SavedDag, dirty: boolean) {
  useEffect(() => {
    if (!dirty) return;
    const timer = setTimeout(() => writeDraft(dagPk, version, current), 500);
    return () => clearTimeout(timer);
  }, [current, dagPk, dirty, version]);

  useEffect(() => {
    if (!dirty) return;
    const warn = (e: BeforeUnloadEvent) => {
      e.preventDefault();
      e.returnValue = "";
    };
    window.addEventListener("beforeunload", warn);
    return () => window.removeEventListener("beforeunload", warn);
  }, [dirty]);
}

export function DraftBanner({
  draft,
  onRestore,
  onDiscard,
}: {
  draft: Draft;
  onRestore: () => void;
  onDiscard: () => void;
}) {
  const when = new Date(draft.savedAt).toLocaleString();
  return (
    <div className="banner" role="status" data-testid="draft-banner">
      This browser holds unsaved changes to this DAG from {when} (made on version{" "}
      {draft.baseVersion}).
      <button type="button" onClick={onRestore}>
        Restore them
      </button>
      <button type="button" onClick={onDiscard}>
        Discard them
      </button>
    </div>
  );
}
