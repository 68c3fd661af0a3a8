import { useEffect, type RefObject } from "react";
import { staleStates } from "../graph/lod";
import { runStates } from "../state/stores";
import type { TaskState } from "../types";

/**
 * Paints run states onto the overview's task boxes (`.task-node.far`, which do not subscribe to
 * the store): one pass of `data-state` writes per animation frame, however many changes arrived,
 * instead of a React render per task. Detailed boxes subscribe themselves and are left alone.
 */
export function useOverviewStates(container: RefObject<HTMLElement | null>): void {
  useEffect(() => {
    let frame = 0;
    const paint = () => {
      frame = 0;
      const boxes = container.current?.querySelectorAll<HTMLElement>(".task-node.far");
      if (!boxes?.length) return;
      const shown = Array.from(boxes, (el) => ({
        id: el.dataset.taskId ?? "",
        shown: el.dataset.state as TaskState | undefined,
      }));
      for (const [i, state] of staleStates(shown, runStates.get)) {
        const el = boxes[i]!;
        if (state) el.dataset.state = state;
        else delete el.dataset.state;
      }
    };
    const unsubscribe = runStates.subscribe(() => {
      if (!frame) frame = requestAnimationFrame(paint);
    });
    return () => {
      unsubscribe();
      if (frame) cancelAnimationFrame(frame);
    };
  }, [container]);
}
