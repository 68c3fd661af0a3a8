import type { SavedDag } from "../api/client";

interface Props {
  currentVersion: number;
  myVersion: number;
  myWork: SavedDag;
  onOverwrite: () => void;
  onReload: () => void;
  onKeepEditing: () => void;
}

/** A save refused because someone saved first (HTTP 412): explain, and let the user choose. */
export function ConflictDialog({
  currentVersion,
  myVersion,
  myWork,
  onOverwrite,
  onReload,
  onKeepEditing,
}: Props) {
  const download = () => {
    const blob = new Blob([JSON.stringify(myWork, null, 2)], { type: "application/json" });
    const url = URL.createObjectURL(blob);
    const a = document.createElement("a");
    a.href = url;
    a.download = `${myWork.document.dag_id}.my-changes.json`;
    a.click();
    URL.revokeObjectURL(url);
  };
  return (
    <div className="modal-backdrop">
      <div
        className="modal"
        role="dialog"
        aria-modal="true"
        aria-labelledby="conflict-title"
        data-testid="conflict-dialog"
      >
        <h2 id="conflict-title">Someone else saved this DAG first</h2>
        <p>
          You started from version {myVersion}, but version{" "}
          {currentVersion > 0 ? currentVersion : "newer"} was saved since (in another tab or by
          another session). Your changes have <strong>not</strong> been saved, and they are still
          here.
        </p>
        <ul>
          <li>
            <strong>Keep mine</strong> saves your version over theirs.
          </li>
          <li>
            <strong>Load theirs</strong> discards your changes and loads the saved version (download
            yours first if you may want them).
          </li>
        </ul>
        <div className="modal-actions">
          <button type="button" onClick={download}>
            Download my version
          </button>
          <button type="button" onClick={onOverwrite} data-testid="conflict-overwrite">
            Keep mine (overwrite)
          </button>
          <button type="button" onClick={onReload} data-testid="conflict-reload">
            Load theirs (discard mine)
          </button>
          <button type="button" onClick={onKeepEditing}>
            Keep editing
          </button>
        </div>
      </div>
    </div>
  );
}
