// Asks the engine (POST /api/validate/) about the DAG and the scenario a moment after each
// change, and puts each problem on the task or edge it concerns.
import { useEffect, useMemo, useRef, useState } from "react";
import type { Api } from "../api/client";
import { graphToDocument, xcomEdges, type Graph } from "../graph/model";
import { placeProblems } from "../graph/problems";
import { edgeProblems, taskProblems } from "../state/stores";
import type { DagDocument, Problem, ScenarioDocument } from "../types";

const DELAY_MS = 400;

/** Show `problems` on the graph; what names no task or edge of it is returned. */
export function showProblems(problems: readonly Problem[], graph: Graph): Problem[] {
  const placed = placeProblems(
    problems,
    new Set(graph.nodes.map((n) => n.id)),
    new Set([...graph.edges, ...xcomEdges(graph.nodes)].map((e) => e.id)),
  );
  taskProblems.replace(placed.byTask);
  edgeProblems.replace(placed.byEdge);
  return placed.general;
}

export function useValidation(api: Api, committed: Graph, scenario: ScenarioDocument) {
  const [generalProblems, setGeneralProblems] = useState<Problem[]>([]);
  const [errorCount, setErrorCount] = useState(0);
  const seqRef = useRef(0);
  const graphRef = useRef(committed);
  graphRef.current = committed;
  // Validate what the engine sees (the document), not positions: a drag needs no new check.
  const documentKey = useMemo(() => JSON.stringify(graphToDocument(committed)), [committed]);

  useEffect(() => {
    const seq = ++seqRef.current;
    const timer = setTimeout(() => {
      const doc = JSON.parse(documentKey) as DagDocument;
      // A scenario is only sent once the user has started one: a branch task without an
      // outcome is a scenario problem, not something to flag while drawing.
      const hasScenario =
        Object.keys(scenario.outcomes).length > 0 || !!scenario.logical_date || !!scenario.now;
      api
        .validate(doc, hasScenario ? scenario : undefined)
        .then((result) => {
          if (seq !== seqRef.current) return;
          setGeneralProblems(
            showProblems([...result.errors, ...result.warnings], graphRef.current),
          );
          setErrorCount(result.errors.length);
        })
        .catch(() => {
          // Advisory only: a save or a run reports the same problems if the server refuses.
        });
    }, DELAY_MS);
    return () => clearTimeout(timer);
  }, [api, documentKey, scenario]);

  return { generalProblems, setGeneralProblems, errorCount };
}
