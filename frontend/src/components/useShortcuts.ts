import { useEffect, useRef } from "react";

export interface ShortcutActions {
  save: () => void;
  undo: () => void;
  redo: () => void;
  copy: () => void;
  paste: () => void;
  remove: () => void;
  layout: () => void;
  fit: () => void;
}

function isTyping(target: EventTarget | null): boolean {
  const el = target as HTMLElement | null;
  if (!el) return false;
  return el.isContentEditable || ["INPUT", "TEXTAREA", "SELECT"].includes(el.tagName);
}

/**
 * The editor's keyboard: Delete/Backspace, Ctrl+Z, Ctrl+Shift+Z or Ctrl+Y, Ctrl+C, Ctrl+V,
 * Ctrl+S (also while typing in a field), L (layout) and F (fit). Keys typed into a field belong
 * to the field.
 */
export function useShortcuts(actions: ShortcutActions): void {
  const latest = useRef(actions);
  latest.current = actions;
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const a = latest.current;
      const mod = e.ctrlKey || e.metaKey;
      const key = e.key.toLowerCase();
      if (mod && key === "s") {
        e.preventDefault();
        a.save();
        return;
      }
      if (isTyping(e.target)) return;
      if (mod && key === "z" && !e.shiftKey) a.undo();
      else if (mod && (key === "y" || (key === "z" && e.shiftKey))) a.redo();
      else if (mod && key === "c") a.copy();
      else if (mod && key === "v") a.paste();
      else if (e.key === "Delete" || e.key === "Backspace") a.remove();
      else if (!mod && key === "l") a.layout();
      else if (!mod && key === "f") a.fit();
      else return;
      e.preventDefault();
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, []);
}
