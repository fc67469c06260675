/**
 * Turns a Test::Nginx block into the parts of a playground workspace: the
 * generated nginx.conf (ports as numbers, so Lua can connect to them), the
 * first request, the other requests and steps as steps text, the
 * `--- more_headers` lines and the `--- user_files`.
 */
import type { ExportWorkspace } from "./exportTestFile";
import { generatePlaygroundConf } from "./generateConf";
import type { TestBlock } from "./parseTestFile";
import {
  blockMoreHeaders,
  blockRequests,
  blockUserFiles,
  parseSteps,
  TestBlockError,
  type RecordedStep,
} from "./requests";

/** A block as workspace parts, and what the workspace cannot hold. */
export interface ImportedBlock {
  workspace: ExportWorkspace;
  warnings: string[];
}

/** Writes steps back in `--- steps` syntax, one step (and its body) a line. */
export function formatSteps(steps: RecordedStep[]): string {
  return steps
    .map((step) => {
      if (step.step === "sleep") return `sleep ${step.seconds}`;
      if (step.step !== "request") return step.step;
      const copies = step.parallel > 1 ? `x${step.parallel} ` : "";
      const background = step.background ? " &" : "";
      const line = `${copies}${step.method} ${step.uri}${background}`;
      return step.body === null ? line : `${line}\n${step.body}`;
    })
    .join("\n");
}

function blockSteps(block: TestBlock): RecordedStep[] {
  const stepsText = block.sections.steps?.text;
  if (stepsText !== undefined) return parseSteps(stepsText);
  return blockRequests(block).map((request) => ({ step: "request", ...request }));
}

/** Converts a block; throws TestBlockError when its requests cannot be read. */
export function importBlock(block: TestBlock): ImportedBlock {
  const warnings: string[] = [];
  const steps = blockSteps(block);
  const first = steps[0];
  if (!first || first.step !== "request") {
    throw new TestBlockError(
      "the block must start with a request to open it in the workspace",
    );
  }
  if (first.background) {
    warnings.push("the first request ran in the background in the block");
  }
  const headers = blockMoreHeaders(block);
  if (headers.length > 0 && steps.length > 1) {
    warnings.push("the workspace sends --- more_headers with the first request only");
  }
  for (const name of ["wait", "timeout", "startup_wait", "sort_error_log"]) {
    if (block.sections[name]) {
      warnings.push(`"--- ${name}" has no place in the workspace and was left out`);
    }
  }
  const files: Record<string, string> = {};
  for (const file of blockUserFiles(block)) files[`html/${file.path}`] = file.content;
  return {
    workspace: {
      title: block.title,
      nginxConf: generatePlaygroundConf(block),
      request: {
        method: first.method,
        uri: first.uri,
        body: first.body,
        parallel: first.parallel,
      },
      headers,
      stepsText: formatSteps(steps.slice(1)),
      files,
    },
    warnings,
  };
}
