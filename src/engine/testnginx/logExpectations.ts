/**
 * The error-log expectations of a block: `error_log` (every pattern must
 * match some line), `no_error_log` (no pattern may match any line) and
 * `grep_error_log` with `grep_error_log_out`. A pattern written as text is
 * a substring; a qr// value from `eval` is a Perl regex. Lines are matched
 * one at a time, as Test::Nginx reads error.log line by line.
 */
import type { ExpectationResult } from "./expectations";
import { compilePerlRegex, perlMatch, type PerlRegex } from "./perlRegex";
import { isPerlPattern, type PerlValue } from "./perlValue";
import { sectionValue, type ExpectationSection } from "./sectionValue";

/** A log pattern: a substring, or a compiled regex. */
type LogPattern = { text: string } | { regex: PerlRegex };

function toPatterns(value: PerlValue): LogPattern[] {
  if (typeof value === "string") {
    return value
      .replace(/\n$/, "")
      .split(/\n+/)
      .filter((line) => line !== "")
      .map((text) => ({ text }));
  }
  if (isPerlPattern(value)) {
    return [{ regex: compilePerlRegex(value.source, value.flags) }];
  }
  return value.flatMap((item): LogPattern[] => {
    if (typeof item === "string") return [{ text: item }];
    if (isPerlPattern(item)) {
      return [{ regex: compilePerlRegex(item.source, item.flags) }];
    }
    throw new Error("a log pattern list may hold only strings and qr//");
  });
}

/** Returns the matched text of `pattern` in `line` (Perl's `$&`), or null. */
function matchLine(pattern: LogPattern, line: string): string | null {
  if ("text" in pattern) return line.includes(pattern.text) ? pattern.text : null;
  return perlMatch(pattern.regex, line);
}

function showPattern(pattern: LogPattern): string {
  if ("text" in pattern) return `"${pattern.text}"`;
  return `qr/${pattern.regex.source}/${pattern.regex.flags}`;
}

function fail(section: string, error: unknown): ExpectationResult {
  const message = error instanceof Error ? error.message : String(error);
  return { section, passed: false, expected: "", actual: "", message };
}

function checkPresent(section: ExpectationSection, lines: string[]): ExpectationResult[] {
  return toPatterns(sectionValue(section)).map((pattern) => {
    const line = lines.find((candidate) => matchLine(pattern, candidate) !== null);
    const expected = showPattern(pattern);
    const passed = line !== undefined;
    const message = passed
      ? `${expected} matches a line of the error log`
      : `${expected} matches no line of the error log (${lines.length} lines)`;
    return { section: "error_log", passed, expected, actual: line ?? "", message };
  });
}

function checkAbsent(section: ExpectationSection, lines: string[]): ExpectationResult[] {
  return toPatterns(sectionValue(section)).map((pattern) => {
    const line = lines.find((candidate) => matchLine(pattern, candidate) !== null);
    const expected = showPattern(pattern);
    const passed = line === undefined;
    const message = passed
      ? `${expected} matches no line of the error log`
      : `${expected} should match no line of the error log, but matches "${line}"`;
    return { section: "no_error_log", passed, expected, actual: line ?? "", message };
  });
}

function grepPattern(value: PerlValue): LogPattern {
  const first = Array.isArray(value) ? value[0] : value;
  if (typeof first === "string") return { text: first };
  if (first !== undefined && isPerlPattern(first)) {
    return { regex: compilePerlRegex(first.source, first.flags) };
  }
  throw new Error("--- grep_error_log must be text or qr//");
}

function checkGrep(
  grep: ExpectationSection,
  out: ExpectationSection | undefined,
  lines: string[],
): ExpectationResult {
  if (!out) {
    throw new Error("--- grep_error_log needs a --- grep_error_log_out section");
  }
  const pattern = grepPattern(sectionValue(grep));

  let actual = "";
  for (const line of lines) {
    const matched = matchLine(pattern, line);
    if (matched !== null && !matched.includes("\n")) actual += matched + "\n";
  }

  const outValue = sectionValue(out);
  const expectedValue = Array.isArray(outValue) ? outValue[0] ?? "" : outValue;
  const section = "grep_error_log_out";
  const hint =
    "text" in pattern && pattern.text.endsWith("\n")
      ? ' (the pattern ends in a newline, so it matches no line; add "chop")'
      : "";

  if (Array.isArray(expectedValue)) {
    throw new Error("--- grep_error_log_out must be text or qr//");
  }
  if (typeof expectedValue !== "string") {
    const regex = compilePerlRegex(expectedValue.source, expectedValue.flags);
    const passed = perlMatch(regex, actual) !== null;
    const expected = `qr/${regex.source}/${regex.flags}`;
    const message = passed
      ? `the matches of ${showPattern(pattern)} match ${expected}`
      : `the matches of ${showPattern(pattern)} do not match ${expected}${hint}`;
    return { section, passed, expected, actual, message };
  }
  const passed = actual === expectedValue;
  const message = passed
    ? `the matches of ${showPattern(pattern)} are as expected`
    : `the matches of ${showPattern(pattern)} differ${hint}`;
  return { section, passed, expected: expectedValue, actual, message, isTextual: true };
}

/** Checks the log sections a block has, against the lines of its log. */
export function checkLogSections(
  sections: Map<string, ExpectationSection>,
  lines: string[],
): ExpectationResult[] {
  const results: ExpectationResult[] = [];
  const errorLog = sections.get("error_log");
  const noErrorLog = sections.get("no_error_log");
  const grep = sections.get("grep_error_log");
  const attempts: Array<[string, () => ExpectationResult[]]> = [];
  if (grep) {
    attempts.push(["grep_error_log", () => [
      checkGrep(grep, sections.get("grep_error_log_out"), lines),
    ]]);
  } else if (sections.has("grep_error_log_out")) {
    results.push(fail("grep_error_log_out", "--- grep_error_log_out needs a --- grep_error_log section"));
  }
  if (errorLog) attempts.push(["error_log", () => checkPresent(errorLog, lines)]);
  if (noErrorLog) attempts.push(["no_error_log", () => checkAbsent(noErrorLog, lines)]);
  for (const [name, attempt] of attempts) {
    try {
      results.push(...attempt());
    } catch (error) {
      results.push(fail(name, error));
    }
  }
  return results;
}
