/**
 * Runs a Test::Nginx block and shapes the result as an oracle golden record:
 * responses as curl saw them, error-log lines as "[level] message" with the
 * oracle's normalisation, and startup_error. A block that cannot run gives
 * a record whose startup_error gives the reason, never an exception.
 */
import { ConfigError } from "../config/types";
import { formatStartupError } from "../config/errors";
import { parseConfig } from "../config/parse";
import type {
  ResponseRecord,
  RunResult,
  Scenario,
} from "../scenario";
import { generateNginxConf } from "./generateConf";
import { normalizeText, selectLogLines } from "./normalize";
import type { TestBlock } from "./parseTestFile";
import { pythonJsonDumps } from "./pythonJson";
import {
  blockMoreHeaders,
  blockRequests,
  blockUserFiles,
  parseSteps,
  type RecordedRequest,
  type RecordedStep,
  type UserFile,
} from "./requests";
import { blockToScenario, ORACLE_CONF_PATH } from "./toScenario";

/** A response in a golden record. */
export interface GoldenResponse {
  status: number | null;
  status_line: string | null;
  headers: Record<string, string | string[]>;
  body: string;
  empty_reply: boolean;
  timed_out: boolean;
  curl_exit?: number;
  curl_error?: string;
}

/** One record, in the shape of the oracle's golden/*.json entries. */
export interface GoldenRecord {
  test: number;
  title: string;
  requests: RecordedRequest[];
  steps?: RecordedStep[];
  user_files?: UserFile[];
  more_headers?: string[];
  responses: GoldenResponse[];
  error_log: string[];
  stderr?: string[];
  startup_error: string | null;
  startup_stage?: "test" | "start";
  error_log_sorted?: boolean;
  nginx_conf: string;
  /** Simulator notes: sections or modifiers of the block it ignored. */
  notes?: string[];
}

/** The engine entry point, sync or async. */
export type ScenarioRunner = (
  scenario: Scenario,
) => RunResult | Promise<RunResult>;

/** Headers the oracle drops because they change from run to run. */
const DROPPED_HEADERS = new Set([
  "date",
  "server",
  "last-modified",
  "etag",
  "x-oracle-pid",
]);

function toGoldenResponse(response: ResponseRecord): GoldenResponse {
  const headers: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(response.headers)) {
    if (!DROPPED_HEADERS.has(name.toLowerCase())) headers[name] = value;
  }
  const golden: GoldenResponse = {
    status: response.status,
    status_line: response.status_line,
    headers,
    body: normalizeText(response.body),
    empty_reply: response.empty_reply,
    timed_out: response.timed_out,
  };
  if (response.curl_exit !== undefined) golden.curl_exit = response.curl_exit;
  if (response.curl_error !== undefined) {
    // The oracle records curl's time-out message with the time as N.
    golden.curl_error = response.curl_error.replace(/after \d+ milliseconds/, "after N milliseconds");
  }
  return golden;
}

/** Compares strings by UTF-16 code units, as Python compares ASCII text. */
function compareText(a: string, b: string): number {
  if (a < b) return -1;
  return a > b ? 1 : 0;
}

/**
 * Orders responses as the oracle does: by request, with each batch of
 * parallel requests sorted by its JSON text.
 */
export function orderResponses(
  responses: ResponseRecord[],
  batchSizes: number[],
): GoldenResponse[] {
  const sent = [...responses].sort((a, b) => a.requestIndex - b.requestIndex);
  const out: GoldenResponse[] = [];
  let start = 0;
  for (const size of batchSizes) {
    const batch = sent.slice(start, start + size).map(toGoldenResponse);
    start += size;
    if (size > 1) {
      const keyed = batch.map((item) => [pythonJsonDumps(item), item] as const);
      keyed.sort(([a], [b]) => compareText(a, b));
      out.push(...keyed.map(([, item]) => item));
    } else {
      out.push(...batch);
    }
  }
  out.push(...sent.slice(start).map(toGoldenResponse));
  return out;
}

/** Builds the record fields that describe the block itself, before it runs. */
function describeBlock(block: TestBlock): GoldenRecord {
  const record: GoldenRecord = {
    test: block.test,
    title: block.title,
    requests: [],
    responses: [],
    error_log: [],
    startup_error: null,
    nginx_conf: "",
  };
  record.nginx_conf = generateNginxConf(block, "symbolic");
  record.requests = blockRequests(block);
  const steps = block.sections.steps;
  if (steps) record.steps = parseSteps(steps.text);
  if (block.sections.user_files) record.user_files = blockUserFiles(block);
  const moreHeaders = blockMoreHeaders(block);
  if (moreHeaders.length > 0) record.more_headers = moreHeaders;
  if (block.notes.length > 0) record.notes = [...block.notes];
  return record;
}

function describeFailure(error: unknown): string {
  if (error instanceof ConfigError) {
    return formatStartupError(error, ORACLE_CONF_PATH);
  }
  const message = error instanceof Error ? error.message : String(error);
  return `simulator: cannot run this block: ${message}`;
}

function applyResult(
  record: GoldenRecord,
  block: TestBlock,
  scenario: Scenario,
  result: RunResult,
): void {
  if (result.startupError !== null) {
    record.startup_error = normalizeText(result.startupError);
    record.startup_stage = result.startupStage ?? "test";
  }
  const batchSizes = record.requests.map((request) => request.parallel);
  record.responses = orderResponses(result.responses, batchSizes);
  record.error_log = selectLogLines(result.errorLog, result, scenario);
  if (block.sections.sort_error_log) {
    record.error_log.sort();
    record.error_log_sorted = true;
  }
  const stderr = selectLogLines(result.stderr, null, scenario);
  if (stderr.length > 0) record.stderr = stderr;
}

/**
 * Runs one block through `run` and returns its golden-shaped record. Any
 * failure (a block that cannot be read, an engine exception) becomes a
 * startup_error that names the cause.
 */
export async function runBlockRecord(
  block: TestBlock,
  run: ScenarioRunner,
): Promise<GoldenRecord> {
  let record: GoldenRecord;
  try {
    record = describeBlock(block);
  } catch (error) {
    return {
      test: block.test,
      title: block.title,
      requests: [],
      responses: [],
      error_log: [],
      startup_error: describeFailure(error),
      nginx_conf: "",
    };
  }
  try {
    const scenario = blockToScenario(block);
    // `nginx -t` first, as the oracle does: a configuration error is the
    // whole record, whatever the engine would do with it.
    parseConfig(scenario.nginxConf, scenario.confPath);
    const result = await run(scenario);
    applyResult(record, block, scenario, result);
  } catch (error) {
    record.startup_error = describeFailure(error);
    record.startup_stage = "test";
  }
  return record;
}
