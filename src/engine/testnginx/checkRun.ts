/**
 * Runs a Test::Nginx block and checks its expectations, for the CLI's
 * `--check` and the page's Test::Nginx panel. The error log is matched in
 * full (every level, with the client trailer nginx appends), as
 * Test::Nginx reads the raw error.log, not the golden record's subset.
 */
import type { RunResult } from "../scenario";
import {
  CHECKED_SECTIONS,
  checkBlock,
  isPassing,
  type ExpectationResult,
} from "./expectations";
import { normalizeText } from "./normalize";
import { RUN_SECTIONS, type TestBlock } from "./parseTestFile";
import { runBlockRecord, type GoldenRecord, type ScenarioRunner } from "./record";
import { SUPPORTED_FILTERS } from "./sectionValue";
import { diffText, formatDiff } from "./textDiff";

/** A block, the record of its run and the result of each check. */
export interface BlockCheck {
  test: number;
  title: string;
  passed: boolean;
  results: ExpectationResult[];
  record: GoldenRecord;
  /** Sections or filters of the block that were ignored. */
  notes: string[];
}

/** Formats engine log entries as the raw log shows them, one per entry. */
export function rawLogLines(result: RunResult): string[] {
  return result.errorLog.map((entry) => {
    const message = entry.message.replace(/process \d+/g, "process PID");
    return `[${entry.level}] ${normalizeText(message + entry.trailer)}`;
  });
}

/** Lists the sections and filters of a block that neither run nor check. */
export function ignoredParts(block: TestBlock): string[] {
  const notes: string[] = [];
  for (const section of Object.values(block.sections)) {
    const isChecked = CHECKED_SECTIONS.has(section.name);
    if (!isChecked && !RUN_SECTIONS.has(section.name)) {
      notes.push(`section "--- ${section.name}" is not supported and was ignored`);
      continue;
    }
    for (const modifier of section.modifiers) {
      const isKnown = isChecked ? SUPPORTED_FILTERS.has(modifier) : modifier === "chomp";
      if (!isKnown) {
        notes.push(`filter "${modifier}" of "--- ${section.name}" is not supported`);
      }
    }
  }
  return notes;
}

/**
 * Runs one block through `run` and checks it. `fileText` is the `.t` text
 * the block came from (see CheckOptions.fileText).
 */
export async function runBlockCheck(
  block: TestBlock,
  run: ScenarioRunner,
  fileText?: string,
): Promise<BlockCheck> {
  let logLines: string[] | undefined;
  const record = await runBlockRecord(block, async (scenario) => {
    const result = await run(scenario);
    logLines = rawLogLines(result);
    return result;
  });
  const results = checkBlock(block, record, { fileText, logLines });
  return {
    test: block.test,
    title: block.title,
    passed: isPassing(results),
    results,
    record,
    notes: ignoredParts(block),
  };
}

const MAX_SHOWN_VALUE = 200;

function clip(text: string): string {
  const oneLine = JSON.stringify(text);
  if (oneLine.length <= MAX_SHOWN_VALUE) return oneLine;
  return `${oneLine.slice(0, MAX_SHOWN_VALUE)}..." (${text.length} chars)`;
}

/** Formats the details of a failed result: a diff, or expected and got. */
export function describeFailure(result: ExpectationResult): string[] {
  if (result.isTextual) return formatDiff(diffText(result.expected, result.actual));
  // A status message already names both values.
  if (result.section.startsWith("error_code")) return [];
  const lines: string[] = [];
  if (result.expected !== "") lines.push(`expected: ${clip(result.expected)}`);
  if (result.actual !== "") lines.push(`got:      ${clip(result.actual)}`);
  return lines;
}

/**
 * Formats one block as TAP-like text: `ok N - title` or `not ok N -
 * title`, then `#` lines for each failed section and each note.
 */
export function formatBlockCheck(check: BlockCheck): string[] {
  const status = check.passed ? "ok" : "not ok";
  const lines = [`${status} ${check.test} - ${check.title}`];
  for (const result of check.results) {
    if (result.passed) continue;
    lines.push(`#   ${result.section}: ${result.message}`);
    for (const detail of describeFailure(result)) lines.push(`#     ${detail}`);
  }
  for (const note of check.notes) lines.push(`#   note: ${note}`);
  return lines;
}

/** The closing line of a report: `N passed, M failed`. */
export function formatSummary(checks: BlockCheck[]): string {
  const passed = checks.filter((check) => check.passed).length;
  return `${passed} passed, ${checks.length - passed} failed`;
}
