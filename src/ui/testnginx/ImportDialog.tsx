import { useEffect, useState } from "react";
import { testNginxStore, useTestNginx } from "../store/appStore";

/** Reads a dropped or chosen file and imports it into the panel. */
export async function importFile(file: File): Promise<void> {
  const text = await file.text();
  testNginxStore.getState().importText(text, file.name);
}

/**
 * Imports a `.t` file dropped anywhere on the page. Drops without files
 * (text dragged inside the editor) are left to the page.
 */
export function useTestFileDrop(): void {
  useEffect(() => {
    const hasFiles = (event: DragEvent) =>
      event.dataTransfer?.types.includes("Files") ?? false;
    const onDragOver = (event: DragEvent) => {
      if (hasFiles(event)) event.preventDefault();
    };
    const onDrop = (event: DragEvent) => {
      const file = event.dataTransfer?.files[0];
      if (!file) return;
      event.preventDefault();
      void importFile(file);
    };
    window.addEventListener("dragover", onDragOver);
    window.addEventListener("drop", onDrop);
    return () => {
      window.removeEventListener("dragover", onDragOver);
      window.removeEventListener("drop", onDrop);
    };
  }, []);
}

/** Paste or pick a `.t` file; importing opens the panel, not the workspace. */
export function ImportDialog() {
  const isOpen = useTestNginx((state) => state.dialog === "import");
  const setDialog = useTestNginx((state) => state.setDialog);
  const importText = useTestNginx((state) => state.importText);
  const [text, setText] = useState("");
  if (!isOpen) return null;

  return (
    <div className="tn-dialog-backdrop" role="dialog" aria-label="Import .t">
      <div className="tn-dialog" data-testid="tn-import-dialog">
        <div className="pane-title">Import a Test::Nginx .t file</div>
        <p>
          Paste the file, choose it, or drop it anywhere on the page. Its
          blocks open in a Test::Nginx panel; your workspace stays as it is.
        </p>
        <textarea
          data-testid="tn-import-text"
          spellCheck={false}
          rows={16}
          value={text}
          placeholder={"=== TEST 1: hello\n--- config\nlocation = /t { ... }\n--- request\nGET /t"}
          onChange={(event) => setText(event.target.value)}
        />
        <div className="tn-dialog-buttons">
          <input
            type="file"
            accept=".t,text/plain"
            data-testid="tn-import-file"
            onChange={(event) => {
              const file = event.target.files?.[0];
              if (file) void importFile(file);
            }}
          />
          <span className="spacer" />
          <button
            type="button"
            data-testid="tn-import-submit"
            disabled={text.trim() === ""}
            onClick={() => importText(text, "pasted.t")}
          >
            Import
          </button>
          <button type="button" onClick={() => setDialog(null)}>
            Cancel
          </button>
        </div>
      </div>
    </div>
  );
}
