/**
 * Compares a simulator record with a golden one on the fields that define
 * behaviour: startup_error, each response's status, body and empty_reply,
 * and the error-log lines. Reports the first field that differs.
 */
import type { GoldenRecord } from "../engine/testnginx/record";

/** The first difference between two records. */
export interface RecordDiff {
  /** A path such as `responses[1].body` or `error_log[0]`. */
  field: string;
  expected: string;
  actual: string;
}

/** The maximum length of a value shown in a diff, in characters. */
const SHOWN_LENGTH = 70;

function show(value: unknown): string {
  const text = value === undefined ? "(none)" : JSON.stringify(value);
  return text.length > SHOWN_LENGTH
    ? text.slice(0, SHOWN_LENGTH - 3) + "..."
    : text;
}

/** Shows two strings from a little before the first character that differs. */
function showStrings(expected: string, actual: string): [string, string] {
  let index = 0;
  while (index < expected.length && expected[index] === actual[index]) index++;
  const from = Math.max(0, index - 20);
  const prefix = from > 0 ? "..." : "";
  return [
    prefix + show(expected.slice(from)),
    prefix + show(actual.slice(from)),
  ];
}

function diff(field: string, expected: unknown, actual: unknown): RecordDiff {
  if (typeof expected === "string" && typeof actual === "string") {
    const [shownExpected, shownActual] = showStrings(expected, actual);
    return { field, expected: shownExpected, actual: shownActual };
  }
  return { field, expected: show(expected), actual: show(actual) };
}

function compareResponses(
  golden: GoldenRecord,
  actual: GoldenRecord,
): RecordDiff | null {
  const count = Math.max(golden.responses.length, actual.responses.length);
  for (let i = 0; i < count; i++) {
    const want = golden.responses[i];
    const got = actual.responses[i];
    if (!want || !got) {
      return diff("responses.length", golden.responses.length, actual.responses.length);
    }
    for (const key of ["status", "body", "empty_reply"] as const) {
      if (want[key] !== got[key]) {
        return diff(`responses[${i}].${key}`, want[key], got[key]);
      }
    }
  }
  return null;
}

function compareLines(
  field: string,
  golden: string[],
  actual: string[],
): RecordDiff | null {
  const count = Math.max(golden.length, actual.length);
  for (let i = 0; i < count; i++) {
    if (golden[i] !== actual[i]) return diff(`${field}[${i}]`, golden[i], actual[i]);
  }
  return null;
}

/** Returns the first behavioural difference, or null when the records match. */
export function compareRecords(
  golden: GoldenRecord,
  actual: GoldenRecord,
): RecordDiff | null {
  if (golden.startup_error !== actual.startup_error) {
    return diff("startup_error", golden.startup_error, actual.startup_error);
  }
  return (
    compareResponses(golden, actual) ??
    compareLines("error_log", golden.error_log, actual.error_log)
  );
}
