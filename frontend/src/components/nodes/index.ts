import type { NodeTypes } from "@xyflow/react";
import type { Operator } from "../../types";
import { BranchNode } from "./BranchNode";
import { EmptyNode } from "./EmptyNode";
import { LatestOnlyNode } from "./LatestOnlyNode";
import { PythonNode } from "./PythonNode";
import { ShortCircuitNode } from "./ShortCircuitNode";

// At module scope: a new object on every render would make React Flow remount every node.
export const nodeTypes = {
  empty: EmptyNode,
  python: PythonNode,
  branch: BranchNode,
  short_circuit: ShortCircuitNode,
  latest_only: LatestOnlyNode,
} satisfies Record<Operator, NodeTypes[string]>;
