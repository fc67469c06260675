import { useMemo, useState } from "react";
import { exportTestFile, type ExportResult } from "../../engine/testnginx/exportTestFile";
import { findExample } from "../examples";
import { usePlayground, useTestNginx } from "../store/appStore";
import { currentWorkspace } from "../store/playgroundStore";
import { expectationsFromRun, exportableWorkspace } from "./workspaceConversion";

function download(text: string, fileName: string): void {
  const url = URL.createObjectURL(new Blob([text], { type: "text/plain" }));
  const link = document.createElement("a");
  link.href = url;
  link.download = fileName;
  link.click();
  URL.revokeObjectURL(url);
}

/** Writes the workspace as a `.t` file, optionally with the last results. */
export function ExportDialog() {
  const isOpen = useTestNginx((state) => state.dialog === "export");
  const setDialog = useTestNginx((state) => state.setDialog);
  const workspace = usePlayground(currentWorkspace);
  const exampleId = usePlayground((state) => state.exampleId);
  const run = usePlayground((state) => state.run);
  const [hasResults, setHasResults] = useState(false);

  const expectations = useMemo(
    () => expectationsFromRun(run.scenario, run.outcome),
    [run],
  );
  const exported = useMemo((): ExportResult | { error: string } => {
    try {
      const parts = exportableWorkspace(workspace, findExample(exampleId).title);
      return exportTestFile(parts, hasResults && expectations ? expectations : undefined);
    } catch (error) {
      return { error: error instanceof Error ? error.message : String(error) };
    }
  }, [workspace, exampleId, hasResults, expectations]);
  if (!isOpen) return null;

  return (
    <div className="tn-dialog-backdrop" role="dialog" aria-label="Export .t">
      <div className="tn-dialog" data-testid="tn-export-dialog">
        <div className="pane-title">Export the workspace as a Test::Nginx .t file</div>
        <label className="tn-check">
          <input
            type="checkbox"
            data-testid="tn-export-results"
            checked={hasResults}
            disabled={!expectations}
            onChange={(event) => setHasResults(event.target.checked)}
          />{" "}
          Include current results as expectations (the last Send&apos;s status,
          body and error-log lines)
          {!expectations && " (press Send first)"}
        </label>
        {"error" in exported ? (
          <div className="banner banner-error" data-testid="tn-export-error">
            Cannot export: {exported.error}
          </div>
        ) : (
          <>
            {exported.warnings.map((warning) => (
              <div key={warning} className="banner banner-warn" data-testid="tn-export-warning">
                {warning}
              </div>
            ))}
            <textarea
              data-testid="tn-export-text"
              readOnly
              spellCheck={false}
              rows={18}
              value={exported.text}
            />
          </>
        )}
        <div className="tn-dialog-buttons">
          <span className="spacer" />
          <button
            type="button"
            data-testid="tn-export-download"
            disabled={"error" in exported}
            onClick={() => {
              if (!("error" in exported)) download(exported.text, `${exampleId}.t`);
            }}
          >
            Download .t
          </button>
          <button type="button" data-testid="tn-export-close" onClick={() => setDialog(null)}>
            Close
          </button>
        </div>
      </div>
    </div>
  );
}
