/**
 * The requests of a block: `--- request` (with `--- concurrency` / `--- repeat`),
 * `--- requests`, `--- steps`, `--- more_headers` and `--- user_files`, read
 * with the oracle runner's rules and shaped as its records are.
 */
import { sectionText, type TestBlock } from "./parseTestFile";

/** A request as the oracle records it. */
export interface RecordedRequest {
  parallel: number;
  method: string;
  uri: string;
  body: string | null;
  background?: boolean;
}

/** A step as the oracle records it under `steps`. */
export type RecordedStep =
  | ({ step: "request" } & RecordedRequest)
  | { step: "sleep"; seconds: number }
  | { step: "reload" }
  | { step: "kill-worker" }
  | { step: "quit" };

/** A file of `--- user_files`; `path` is relative to the prefix's html/. */
export interface UserFile {
  path: string;
  content: string;
}

/** A block's section could not be read; the message names the section. */
export class TestBlockError extends Error {
  readonly code = "TEST_BLOCK_INVALID";
  constructor(message: string) {
    super(message);
    this.name = "TestBlockError";
  }
}

const REQUEST_LINE = /^(?:x(\d+)\s+)?([A-Z]+\s+\/\S*)\s*$/;
const STEP_REQUEST_LINE = /^(?:x(\d+)\s+)?([A-Z]+\s+\/\S*)(?:\s+(&))?\s*$/;
const STEP_SLEEP = /^sleep\s+(\d+(?:\.\d*)?|\.\d+)\s*$/;
const STEP_WORDS = new Set(["reload", "kill-worker", "quit"]);

/** Parses `METHOD URI` and the body lines below it (none: body null). */
function parseRequestText(text: string): Omit<RecordedRequest, "parallel"> {
  const lines = text.split("\n");
  const parts = lines[0].trim().split(/\s+/);
  if (parts.length < 2) {
    throw new TestBlockError(
      `invalid request line "${lines[0]}": expected "METHOD /uri"`,
    );
  }
  const body = lines.length > 1 ? lines.slice(1).join("\n") : null;
  return { method: parts[0], uri: parts[1], body };
}

function dropTrailingBlank(lines: string[]): string[] {
  const out = [...lines];
  while (out.length > 0 && out[out.length - 1].trim() === "") out.pop();
  return out;
}

function positiveInt(block: TestBlock, name: string): number {
  const text = sectionText(block, name);
  if (text === undefined || text.trim() === "") return 1;
  const value = Number(text.trim());
  if (!Number.isInteger(value) || value < 1) {
    throw new TestBlockError(
      `invalid "--- ${name}" value "${text.trim()}": expected a whole number`,
    );
  }
  return value;
}

/** Parses `--- steps` into steps in order. */
export function parseSteps(text: string): RecordedStep[] {
  type Pending = { parallel: number; first: string; body: string[]; isBackground: boolean };
  const raw: Array<Pending | RecordedStep> = [];
  let current: Pending | null = null;
  for (const line of text.split("\n")) {
    const word = line.trim();
    const request = STEP_REQUEST_LINE.exec(line);
    if (request) {
      current = {
        parallel: Number(request[1] ?? 1),
        first: request[2],
        body: [],
        isBackground: request[3] === "&",
      };
      raw.push(current);
      continue;
    }
    const sleep = STEP_SLEEP.exec(word);
    if (sleep || STEP_WORDS.has(word)) {
      current = null;
      raw.push(
        sleep
          ? { step: "sleep", seconds: Number(sleep[1]) }
          : ({ step: word } as RecordedStep),
      );
      continue;
    }
    if (current) current.body.push(line);
    else if (word) throw new TestBlockError(`--- steps: cannot parse "${line}"`);
  }
  const steps: RecordedStep[] = [];
  for (const item of raw) {
    if (steps.length > 0 && steps[steps.length - 1].step === "quit") {
      throw new TestBlockError("--- steps: nothing may follow quit");
    }
    if (!("first" in item)) {
      steps.push(item);
      continue;
    }
    const text = [item.first, ...dropTrailingBlank(item.body)].join("\n");
    const request = parseRequestText(text);
    steps.push({
      step: "request",
      parallel: item.parallel,
      ...request,
      ...(item.isBackground ? { background: true } : {}),
    });
  }
  return steps;
}

/** Parses `--- requests`: `[xN ]METHOD /uri` lines, each with its body. */
function parseRequests(text: string): RecordedRequest[] {
  const pending: Array<{ parallel: number; lines: string[] }> = [];
  for (const line of text.split("\n")) {
    const match = REQUEST_LINE.exec(line);
    if (match) {
      pending.push({ parallel: Number(match[1] ?? 1), lines: [match[2]] });
    } else if (pending.length > 0) {
      pending[pending.length - 1].lines.push(line);
    }
  }
  return pending.map(({ parallel, lines }) => ({
    parallel,
    ...parseRequestText(dropTrailingBlank(lines).join("\n")),
  }));
}

/**
 * Lists the requests a block sends, in order, as the oracle records them.
 * With `--- steps` these are the request steps.
 */
export function blockRequests(block: TestBlock): RecordedRequest[] {
  const steps = sectionText(block, "steps");
  if (steps !== undefined) {
    if (block.sections.request || block.sections.requests) {
      throw new TestBlockError("--- steps replaces --- request(s); give only one");
    }
    return parseSteps(steps).flatMap((step) => {
      if (step.step !== "request") return [];
      const { step: _kind, ...request } = step;
      return [request];
    });
  }
  const requests = sectionText(block, "requests");
  if (requests !== undefined) return parseRequests(requests);
  const request = sectionText(block, "request");
  if (request === undefined) return [];
  const parsed = parseRequestText(request);
  const parallel = positiveInt(block, "concurrency");
  const repeat = positiveInt(block, "repeat");
  return Array.from({ length: repeat }, () => ({ parallel, ...parsed }));
}

/** `--- more_headers` as its non-blank lines (`Name: value`). */
export function blockMoreHeaders(block: TestBlock): string[] {
  const text = sectionText(block, "more_headers") ?? "";
  return text.split("\n").filter((line) => line.trim() !== "");
}

/**
 * `--- user_files`: `>>> path` starts a file; its content is the lines
 * below with trailing blank lines dropped and one final newline.
 */
export function blockUserFiles(block: TestBlock): UserFile[] {
  const text = sectionText(block, "user_files");
  if (text === undefined) return [];
  const files: Array<{ path: string; lines: string[] }> = [];
  for (const line of text.split("\n")) {
    const match = /^>>> (\S+)\s*$/.exec(line);
    if (match) {
      const path = match[1];
      if (path.startsWith("/") || path.split("/").includes("..")) {
        throw new TestBlockError(`--- user_files: invalid path "${path}"`);
      }
      files.push({ path, lines: [] });
    } else if (files.length > 0) {
      files[files.length - 1].lines.push(line);
    }
  }
  return files.map(({ path, lines }) => ({
    path,
    content: dropTrailingBlank(lines).join("\n") + "\n",
  }));
}
