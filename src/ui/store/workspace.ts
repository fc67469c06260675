/**
 * The editable state of one example (its config and request) and how it
 * becomes a Scenario for the engine.
 */
import {
  SCENARIO_DEFAULTS,
  type RequestSpec,
  type Scenario,
  type Step,
} from "../../engine/scenario";
import { parseSteps } from "../../engine/testnginx/requests";
import type { Example } from "../examples";

/** What the user can edit for one example. */
export interface Workspace {
  nginxConf: string;
  method: string;
  uri: string;
  /** `Name: value` per line. */
  headersText: string;
  body: string;
  /** Copies sent at once, 1..MAX_COPIES. */
  copies: number;
  /**
   * Steps after the request, one a line, as in a .t file's `--- steps`:
   * `reload`, `kill-worker`, `quit`, `sleep 0.5`, `x2 GET /t`.
   * Absent in workspaces saved by older versions.
   */
  stepsText?: string;
  /** How the master picks a worker for each connection. */
  balancePolicy?: BalancePolicy;
  /** Deterministic (the default) or one real thread per process. */
  runMode?: RunMode;
  /** The run's seed; the explorer sets it to replay one interleaving. */
  seed?: number;
  /** Timing jitter in virtual ms (0 = none); set with a seed by the explorer. */
  jitterMs?: number;
  /**
   * Files under the prefix that `require` can load, keyed like
   * `html/foo.lua` (from an opened .t block's `--- user_files`).
   */
  files?: Record<string, string>;
}

export type BalancePolicy = NonNullable<Scenario["balancePolicy"]>;
export type RunMode = NonNullable<Scenario["runMode"]>;

/** The maximum number of copies of a request the composer sends at once. */
export const MAX_COPIES = 16;

/** Builds the untouched workspace of an example. */
export function workspaceFromExample(example: Example): Workspace {
  return {
    nginxConf: example.nginxConf,
    ...example.request,
    copies: example.copies,
  };
}

/** Clamps a copies value typed by the user to 1..MAX_COPIES. */
export function clampCopies(value: number): number {
  if (!Number.isFinite(value)) return 1;
  return Math.min(MAX_COPIES, Math.max(1, Math.trunc(value)));
}

/**
 * Parses `Name: value` lines into header pairs. Blank lines are skipped;
 * a line without a colon or with an empty name is an error, reported with
 * its line number.
 */
export function parseHeaders(
  text: string,
): { headers: Array<[string, string]> } | { error: string } {
  const headers: Array<[string, string]> = [];
  const lines = text.split("\n");
  for (let index = 0; index < lines.length; index++) {
    const line = lines[index].trim();
    if (!line) continue;
    const colon = line.indexOf(":");
    const name = colon > 0 ? line.slice(0, colon).trim() : "";
    if (!name || /\s/.test(name)) {
      return {
        error: `invalid header on line ${index + 1}: "${line}" (expected "Name: value")`,
      };
    }
    headers.push([name, line.slice(colon + 1).trim()]);
  }
  return { headers };
}

/** Parses the steps text into engine steps; throws with a clear message. */
export function parseStepsText(text: string): Step[] {
  if (text.trim() === "") return [];
  checkStepLines(text);
  return parseSteps(text).map((step): Step => {
    if (step.step !== "request") return step;
    const request: RequestSpec = {
      method: step.method,
      uri: step.uri,
      headers: [],
      body: step.body,
      parallel: step.parallel,
    };
    return { step: "request", request, background: step.background };
  });
}

const STEP_LINE =
  /^(reload|kill-worker|quit|sleep\s+(\d+(\.\d*)?|\.\d+)|(x(\d+)\s+)?[A-Z]+\s+\/\S*(\s+&)?)$/;

/**
 * The Then field has one step a line and no request bodies (a .t file's
 * `--- steps` would read a mistyped step as the body of the request above
 * it), so every line must be a step.
 */
function checkStepLines(text: string): void {
  text.split("\n").forEach((raw, index) => {
    const line = raw.trim();
    if (line === "") return;
    const match = STEP_LINE.exec(line);
    if (!match) {
      throw new Error(
        `Then, line ${index + 1}: "${line}" is not a step; use reload, kill-worker, ` +
          "quit, sleep SECONDS, or [xN] METHOD /uri",
      );
    }
    const copies = match[5] === undefined ? 1 : Number(match[5]);
    if (copies < 1 || copies > MAX_COPIES) {
      throw new Error(`Then, line ${index + 1}: x${copies} must be between x1 and x${MAX_COPIES}`);
    }
  });
}

/** Builds the scenario of one Send: the config, the request, the steps. */
export function scenarioFromWorkspace(
  workspace: Workspace,
  headers: Array<[string, string]>,
): Scenario {
  const request: RequestSpec = {
    method: workspace.method,
    uri: workspace.uri,
    headers,
    body: workspace.body === "" ? null : workspace.body,
    parallel: clampCopies(workspace.copies),
  };
  return {
    ...SCENARIO_DEFAULTS,
    files: workspace.files ?? {},
    nginxConf: workspace.nginxConf,
    steps: [{ step: "request", request }, ...parseStepsText(workspace.stepsText ?? "")],
    balancePolicy: workspace.balancePolicy ?? "round-robin",
    runMode: workspace.runMode ?? "deterministic",
    seed: workspace.seed ?? SCENARIO_DEFAULTS.seed,
    jitterMs: workspace.jitterMs ?? 0,
    cpuCount: globalThis.navigator?.hardwareConcurrency,
  };
}
