import { DependencyEdge } from "./DependencyEdge";
import { XComEdge } from "./XComEdge";

export const edgeTypes = { dependency: DependencyEdge, xcom: XComEdge };
