/**
 * Converts between the page's Workspace and the `.t` side: a block opened
 * into the workspace, the workspace written as a block, and the last
 * run's results written as the block's expectations.
 */
import type { Scenario } from "../../engine/scenario";
import type {
  ExportExpectations,
  ExportWorkspace,
} from "../../engine/testnginx/exportTestFile";
import { importBlock } from "../../engine/testnginx/importBlock";
import { selectLogLines } from "../../engine/testnginx/normalize";
import type { TestBlock } from "../../engine/testnginx/parseTestFile";
import { orderResponses } from "../../engine/testnginx/record";
import type { RunOutcome } from "../../host/protocol";
import { clampCopies, MAX_COPIES, type Workspace } from "../store/workspace";

/** Builds the workspace of a block; the warnings list what it cannot hold. */
export function workspaceFromBlock(block: TestBlock): {
  workspace: Workspace;
  warnings: string[];
} {
  const { workspace: parts, warnings } = importBlock(block);
  if (parts.request.parallel > MAX_COPIES) {
    warnings.push(
      `the block sends ${parts.request.parallel} copies at once; ` +
        `the workspace sends at most ${MAX_COPIES}`,
    );
  }
  const workspace: Workspace = {
    nginxConf: parts.nginxConf,
    method: parts.request.method,
    uri: parts.request.uri,
    headersText: parts.headers.join("\n"),
    body: parts.request.body ?? "",
    copies: clampCopies(parts.request.parallel),
    stepsText: parts.stepsText,
  };
  if (Object.keys(parts.files).length > 0) workspace.files = parts.files;
  return { workspace, warnings };
}

/** Describes a workspace for exportTestFile. */
export function exportableWorkspace(workspace: Workspace, title: string): ExportWorkspace {
  return {
    title,
    nginxConf: workspace.nginxConf,
    request: {
      method: workspace.method,
      uri: workspace.uri,
      body: workspace.body === "" ? null : workspace.body,
      parallel: clampCopies(workspace.copies),
    },
    headers: workspace.headersText.split("\n").filter((line) => line.trim() !== ""),
    stepsText: workspace.stepsText ?? "",
    files: workspace.files ?? {},
  };
}

/**
 * Turns the last run into expectations, with responses ordered and log
 * lines selected as a block's record has them; null without a result.
 */
export function expectationsFromRun(
  scenario: Scenario | null,
  outcome: RunOutcome | null,
): ExportExpectations | null {
  if (!scenario || !outcome?.ok) return null;
  const result = outcome.result;
  const batchSizes = scenario.steps.flatMap((step) =>
    step.step === "request" ? [step.request.parallel] : [],
  );
  return {
    responses: orderResponses(result.responses, batchSizes),
    logLines: selectLogLines(result.errorLog, result, scenario),
  };
}
