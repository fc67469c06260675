/**
 * blockToScenario: a Test::Nginx block as a Scenario the engine runs, with
 * the oracle runner's defaults (0.3 s wait after the last response, 10 s
 * request timeout) and its generated nginx.conf.
 */
import {
  SCENARIO_DEFAULTS,
  type RequestSpec,
  type Scenario,
  type Step,
} from "../scenario";
import { generateNginxConf } from "./generateConf";
import { sectionText, type TestBlock } from "./parseTestFile";
import {
  blockMoreHeaders,
  blockRequests,
  blockUserFiles,
  parseSteps,
  TestBlockError,
  type RecordedRequest,
} from "./requests";

/** The configuration file's name in the oracle runner's messages. */
export const ORACLE_CONF_PATH = "$PREFIX/conf/nginx.conf";

function seconds(block: TestBlock, name: string, fallback: number): number {
  const text = sectionText(block, name)?.trim();
  if (text === undefined || text === "") return fallback;
  const value = Number(text);
  if (!Number.isFinite(value) || value < 0) {
    throw new TestBlockError(
      `invalid "--- ${name}" value "${text}": expected seconds`,
    );
  }
  return value;
}

function toRequestSpec(
  request: RecordedRequest,
  headers: Array<[string, string]>,
): RequestSpec {
  return {
    method: request.method,
    uri: request.uri,
    headers,
    body: request.body,
    parallel: request.parallel,
  };
}

function parseHeaderLines(lines: string[]): Array<[string, string]> {
  return lines.map((line) => {
    const colon = line.indexOf(":");
    if (colon < 0) return [line.trim(), ""];
    return [line.slice(0, colon).trim(), line.slice(colon + 1).trim()];
  });
}

function blockSteps(
  block: TestBlock,
  headers: Array<[string, string]>,
): Step[] {
  const stepsText = sectionText(block, "steps");
  if (stepsText === undefined) {
    return blockRequests(block).map((request) => ({
      step: "request",
      request: toRequestSpec(request, headers),
    }));
  }
  return parseSteps(stepsText).map((step): Step => {
    if (step.step !== "request") return step;
    const request: Step = {
      step: "request",
      request: toRequestSpec(step, headers),
    };
    return step.background ? { ...request, background: true } : request;
  });
}

/**
 * Builds the Scenario of a block. Port variables become numbers (18080,
 * 18080 + N) so Lua code can connect to them. User files are keyed by
 * their path under the prefix, such as `html/foo.lua`.
 */
export function blockToScenario(block: TestBlock): Scenario {
  const headers = parseHeaderLines(blockMoreHeaders(block));
  const files: Record<string, string> = {};
  for (const file of blockUserFiles(block)) {
    files[`html/${file.path}`] = file.content;
  }
  return {
    ...SCENARIO_DEFAULTS,
    nginxConf: generateNginxConf(block, "numeric"),
    confPath: ORACLE_CONF_PATH,
    files,
    steps: blockSteps(block, headers),
    waitAfter: seconds(block, "wait", SCENARIO_DEFAULTS.waitAfter),
    requestTimeout: seconds(block, "timeout", SCENARIO_DEFAULTS.requestTimeout),
    clientUserAgent: "oracle-curl",
    quitAtEnd: true,
  };
}
