import { useState } from "react";
import { playgroundStore, useTestNginx } from "../store/appStore";
import type { BlockEntry } from "../store/testNginxStore";
import { CheckResults } from "./CheckResults";
import { workspaceFromBlock } from "./workspaceConversion";

function verdict(entry: BlockEntry): "idle" | "running" | "pass" | "fail" {
  if (entry.status === "running") return "running";
  if (!entry.check) return "idle";
  return entry.check.passed ? "pass" : "fail";
}

const VERDICT_TEXT = {
  idle: "not run",
  running: "running…",
  pass: "passed",
  fail: "failed",
} as const;

function BlockRow({ entry, index }: { entry: BlockEntry; index: number }) {
  const runBlock = useTestNginx((state) => state.runBlock);
  const [openMessage, setOpenMessage] = useState<string | null>(null);
  const state = verdict(entry);

  const open = () => {
    try {
      const { workspace, warnings } = workspaceFromBlock(entry.block);
      playgroundStore.getState().openWorkspace(workspace);
      const undo = "The previous workspace is kept: press Undo open to bring it back.";
      setOpenMessage([`Opened in the workspace. ${undo}`, ...warnings].join(" "));
    } catch (error) {
      setOpenMessage(error instanceof Error ? error.message : String(error));
    }
  };

  return (
    <li className={`tn-block tn-${state}`} data-testid="tn-block" data-status={state}>
      <div className="tn-block-line">
        <span className="tn-title">
          TEST {entry.block.test}: {entry.block.title}
        </span>
        <span className="tn-verdict" data-testid="tn-verdict">
          {VERDICT_TEXT[state]}
        </span>
        <button
          type="button"
          data-testid="tn-run"
          disabled={state === "running"}
          onClick={() => void runBlock(index)}
        >
          Run
        </button>
        <button
          type="button"
          data-testid="tn-open"
          title="Put this block's nginx.conf, requests and steps into the workspace"
          onClick={open}
        >
          Open in workspace
        </button>
      </div>
      {openMessage && <div className="tn-open-message" data-testid="tn-open-message">{openMessage}</div>}
      {entry.check && <CheckResults results={entry.check.results} notes={entry.check.notes} />}
    </li>
  );
}

/** Renders the imported `.t` file's blocks, each with Run, Open and its check. */
export function TestNginxPanel() {
  const fileName = useTestNginx((state) => state.fileName);
  const blocks = useTestNginx((state) => state.blocks);
  const importError = useTestNginx((state) => state.importError);
  const isRunningAll = useTestNginx((state) => state.isRunningAll);
  const runAll = useTestNginx((state) => state.runAll);
  const close = useTestNginx((state) => state.close);
  if (fileName === null) return null;
  const checked = blocks.filter((entry) => entry.check);
  const passed = checked.filter((entry) => entry.check?.passed).length;

  return (
    <section className="pane testnginx-panel" data-testid="testnginx-panel">
      <div className="pane-title tn-header">
        <span>
          Test::Nginx: {fileName} ({blocks.length} blocks)
        </span>
        {checked.length > 0 && (
          <span data-testid="tn-summary">
            {passed} passed, {checked.length - passed} failed
          </span>
        )}
        <span className="spacer" />
        <button
          type="button"
          data-testid="tn-run-all"
          disabled={isRunningAll || blocks.length === 0}
          onClick={() => void runAll()}
        >
          {isRunningAll ? "Running…" : "Run all"}
        </button>
        <button type="button" data-testid="tn-close" onClick={close}>
          Close
        </button>
      </div>
      {importError && <div className="banner banner-error">{importError}</div>}
      <ol className="tn-blocks">
        {blocks.map((entry, index) => (
          <BlockRow key={index} entry={entry} index={index} />
        ))}
      </ol>
    </section>
  );
}
