import { ReactFlowProvider } from "@xyflow/react";
import { useEffect, useMemo, useState } from "react";
import { Api } from "../api/client";
import type { StoredDag } from "../types";
import { Editor } from "./Editor";

export function App({ dagPk, csrfToken }: { dagPk: number; csrfToken: string }) {
  const api = useMemo(() => new Api(csrfToken), [csrfToken]);
  const [dag, setDag] = useState<StoredDag | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    if (!Number.isInteger(dagPk) || dagPk <= 0) {
      setError("This page does not say which DAG to open.");
      return;
    }
    api.getDag(dagPk).then(setDag, (e: Error) => setError(`Could not load the DAG: ${e.message}`));
  }, [api, dagPk]);

  if (error) {
    return (
      <div className="page-error" role="alert">
        {error} <a href="/">Back to the list</a>
      </div>
    );
  }
  if (!dag) return <div className="page-loading">Loading…</div>;
  return (
    <ReactFlowProvider>
      <Editor api={api} dagPk={dagPk} initial={dag} />
    </ReactFlowProvider>
  );
}
