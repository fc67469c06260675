/**
 * checkBlock: the expectations of a Test::Nginx block, checked against
 * the golden-shaped record of a run, with Test::Nginx::Socket's rules:
 * response_body is compared exactly, response_body_like is a Perl regex
 * with /s, error_code defaults to 200, response_headers `!Name` means
 * absent, error_log patterns must each match some log line and
 * no_error_log patterns none, and grep_error_log collects the first match
 * on each log line, each followed by a newline. A section whose value is
 * an array ref gives one value per response, in order.
 */
import { compilePerlRegex, perlMatch, type PerlRegex } from "./perlRegex";
import { isPerlPattern, type PerlValue } from "./perlValue";
import type { GoldenRecord, GoldenResponse } from "./record";
import type { TestBlock } from "./parseTestFile";
import {
  readSections,
  sectionValue,
  type ExpectationSection,
} from "./sectionValue";
import { checkLogSections } from "./logExpectations";

/** The outcome of one check of one section (for one response). */
export interface ExpectationResult {
  section: string;
  passed: boolean;
  /** The section's expected value as text (a pattern shows as /source/). */
  expected: string;
  /** The run's actual value as text. */
  actual: string;
  /** One sentence: what was checked and, on failure, what differed. */
  message: string;
  /** 1-based response number, when the block got several responses. */
  response?: number;
  /** When true, the text values are shown as a line diff. */
  isTextual?: boolean;
}

/** Inputs that the record alone does not carry. */
export interface CheckOptions {
  /** The `.t` text the block came from, to read `--- name: value` forms. */
  fileText?: string;
  /**
   * Error-log lines to match, in place of the record's `error_log`; the
   * record leaves out info and debug lines and the client trailer, which
   * Test::Nginx sees in the raw log.
   */
  logLines?: string[];
}

/** Sections checked per response. */
const RESPONSE_SECTIONS = [
  "error_code",
  "error_code_like",
  "response_headers",
  "response_headers_like",
  "response_body",
  "response_body_like",
  "response_body_unlike",
];

/** Every section this module checks. */
export const CHECKED_SECTIONS = new Set([
  ...RESPONSE_SECTIONS,
  "error_log",
  "no_error_log",
  "grep_error_log",
  "grep_error_log_out",
]);

/** Shows a value for a report: strings as they are, patterns as /re/. */
export function describeValue(value: PerlValue): string {
  if (typeof value === "string") return value;
  if (isPerlPattern(value)) return `qr/${value.source}/${value.flags}`;
  return `[${value.map(describeValue).join(", ")}]`;
}

/** Compiles a string (with default flags) or a qr// value. */
export function toRegex(value: PerlValue, defaultFlags: string): PerlRegex {
  if (typeof value === "string") return compilePerlRegex(value, defaultFlags);
  if (isPerlPattern(value)) return compilePerlRegex(value.source, value.flags);
  throw new Error(`expected a pattern, got the array ${describeValue(value)}`);
}

function failure(section: string, error: unknown): ExpectationResult {
  const message = error instanceof Error ? error.message : String(error);
  return { section, passed: false, expected: "", actual: "", message };
}

/** The per-response values of a section: one for all, or one each. */
function perResponse(
  name: string,
  value: PerlValue,
  count: number,
): PerlValue[] {
  if (!Array.isArray(value)) return Array.from({ length: count }, () => value);
  if (value.length !== count) {
    throw new Error(
      `--- ${name} has ${value.length} values for ${count} responses; ` +
        "give one value, or one per response",
    );
  }
  return value;
}

function statusText(response: GoldenResponse): string {
  return response.status === null ? "" : String(response.status);
}

function checkStatus(name: string, value: PerlValue, response: GoldenResponse): ExpectationResult {
  const actual = statusText(response);
  const shown = actual === "" ? "no response" : actual;
  if (name === "error_code_like") {
    const pattern = toRegex(value, "sm");
    const passed = perlMatch(pattern, actual) !== null;
    const expected = describeValue(value);
    const message = passed
      ? `status ${shown} matches ${expected}`
      : `status is ${shown}, which does not match ${expected}`;
    return { section: name, passed, expected, actual, message };
  }
  const expected = describeValue(value).trim();
  const passed = actual === expected;
  const message = passed
    ? `status is ${expected}`
    : `status is ${shown}, expected ${expected === "" ? "no response" : expected}`;
  return { section: name, passed, expected, actual, message };
}

/** Test::Nginx's parse_headers: `Name: value` lines, `!Name` = absent. */
function parseHeaderExpectations(text: string): Array<[string, string | null]> {
  const out: Array<[string, string | null]> = [];
  for (const raw of text.split("\n")) {
    const line = raw.trim();
    if (line === "") continue;
    if (line.startsWith("!")) {
      out.push([line.slice(1).trim(), null]);
      continue;
    }
    const match = /^(.*?)\s*:\s*([\s\S]*)$/.exec(line);
    out.push(match ? [match[1], match[2]] : [line, null]);
  }
  return out;
}

/** Headers the record drops, so a check of them cannot run. */
const UNRECORDED_HEADERS = new Set(["date", "server", "last-modified", "etag"]);

function headerValue(response: GoldenResponse, name: string): string | null {
  const value = response.headers[name.toLowerCase()];
  if (value === undefined) return null;
  return Array.isArray(value) ? value.join(", ") : value;
}

function checkHeaders(
  name: string,
  value: PerlValue,
  response: GoldenResponse,
): ExpectationResult[] {
  if (typeof value !== "string") {
    throw new Error(`--- ${name} must be text with "Name: value" lines`);
  }
  const isLike = name === "response_headers_like";
  return parseHeaderExpectations(value).map(([header, expected]) => {
    const section = `${name} ${header}`;
    const actual = headerValue(response, header);
    if (UNRECORDED_HEADERS.has(header.toLowerCase())) {
      const message =
        `cannot check ${header}: the simulator's records leave it out ` +
        "because it changes from run to run";
      return { section, passed: false, expected: expected ?? "(absent)", actual: "", message };
    }
    if (expected === null) {
      const passed = actual === null;
      const message = passed
        ? `${header} is absent`
        : `${header} is present ("${actual}"), expected it absent`;
      return { section, passed, expected: "(absent)", actual: actual ?? "(absent)", message };
    }
    const got = actual ?? "";
    const passed = isLike
      ? perlMatch(compilePerlRegex(`^${expected}$`), got) !== null
      : got === expected;
    const shown = actual === null ? "absent" : `"${got}"`;
    const message = passed
      ? `${header} is ${shown}`
      : `${header} is ${shown}, expected ${isLike ? `/^${expected}$/` : `"${expected}"`}`;
    return { section, passed, expected, actual: got, message };
  });
}

function checkBody(name: string, value: PerlValue, response: GoldenResponse): ExpectationResult {
  const actual = response.body;
  const isPattern = name !== "response_body" || isPerlPattern(value);
  if (!isPattern) {
    const expected = describeValue(value);
    const passed = actual === expected;
    const message = passed ? "body is as expected" : "body differs from the expected text";
    return { section: name, passed, expected, actual, message, isTextual: true };
  }
  const pattern = name === "response_body" ? toRegex(value, "") : toRegex(value, "s");
  const expected = `/${pattern.source}/${pattern.flags}`;
  const isMatch = perlMatch(pattern, actual) !== null;
  const passed = name === "response_body_unlike" ? !isMatch : isMatch;
  const verb = isMatch ? "matches" : "does not match";
  const message = `body ${verb} ${expected}`;
  return { section: name, passed, expected, actual, message };
}

function checkResponseSection(
  section: ExpectationSection,
  responses: GoldenResponse[],
): ExpectationResult[] {
  const name = section.name;
  const values = perResponse(name, sectionValue(section), responses.length);
  const results: ExpectationResult[] = [];
  values.forEach((value, index) => {
    const response = responses[index];
    let checked: ExpectationResult[];
    if (name === "error_code" || name === "error_code_like") {
      checked = [checkStatus(name, value, response)];
    } else if (name.startsWith("response_headers")) {
      checked = checkHeaders(name, value, response);
    } else {
      checked = [checkBody(name, value, response)];
    }
    if (responses.length > 1) {
      for (const result of checked) {
        result.response = index + 1;
        result.message = `response ${index + 1}: ${result.message}`;
      }
    }
    results.push(...checked);
  });
  return results;
}

/** The error_code section Test::Nginx applies when a block has none. */
const DEFAULT_STATUS: ExpectationSection = {
  name: "error_code",
  filters: [],
  text: "200",
  isInline: true,
};

function checkResponses(
  sections: Map<string, ExpectationSection>,
  responses: GoldenResponse[],
): ExpectationResult[] {
  if (responses.length === 0) {
    return [{
      section: "responses",
      passed: false,
      expected: "at least one response",
      actual: "",
      message: "the block sent no request, so there is no response to check",
    }];
  }
  const results: ExpectationResult[] = [];
  const hasStatus = sections.has("error_code") || sections.has("error_code_like");
  const checked = RESPONSE_SECTIONS.filter((name) => sections.has(name));
  const all = hasStatus ? checked : ["error_code", ...checked];
  for (const name of all) {
    const section = sections.get(name) ?? DEFAULT_STATUS;
    try {
      results.push(...checkResponseSection(section, responses));
    } catch (error) {
      results.push(failure(name, error));
    }
  }
  return results;
}

/**
 * Checks a block's expectations against the record of its run. Sections
 * that cannot be read (an eval or a pattern this checker does not
 * support) give a failed result that says why.
 */
export function checkBlock(
  block: TestBlock,
  record: GoldenRecord,
  options: CheckOptions = {},
): ExpectationResult[] {
  const sections = readSections(block, options.fileText);
  if (record.startup_error !== null) {
    return [{
      section: "startup",
      passed: false,
      expected: "nginx starts",
      actual: record.startup_error,
      message: `nginx did not start: ${record.startup_error}`,
    }];
  }
  const logLines = (options.logLines ?? record.error_log).flatMap((entry) =>
    entry.split("\n"),
  );
  return [
    ...checkResponses(sections, record.responses),
    ...checkLogSections(sections, logLines),
  ];
}

/** Returns true when every result passed. */
export function isPassing(results: ExpectationResult[]): boolean {
  return results.every((result) => result.passed);
}
