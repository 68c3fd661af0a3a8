// The page holds one editor, so the stores that nodes and edges subscribe to are module-level.
import type { Problem, TaskState } from "../types";
import { KeyedStore } from "./keyedStore";

/** The state of each task in the run being shown (empty when no run is shown). */
export const runStates = new KeyedStore<TaskState>();
/** Engine validation problems by task id and by edge id. */
export const taskProblems = new KeyedStore<Problem[]>();
export const edgeProblems = new KeyedStore<Problem[]>();
