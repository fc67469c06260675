import { describe, expect, it } from "vitest";
import type { GoldenRecord } from "../engine/testnginx/record";
import { compareRecords } from "./compareRecords";
import { unmetRequirements, type FileResult } from "./oracleCheck";

function record(partial: Partial<GoldenRecord>): GoldenRecord {
  return {
    test: 1,
    title: "t",
    requests: [],
    responses: [],
    error_log: [],
    startup_error: null,
    nginx_conf: "",
    ...partial,
  };
}

const OK = {
  status: 200,
  status_line: "HTTP/1.1 200 OK",
  headers: {},
  body: "hello world\n",
  empty_reply: false,
  timed_out: false,
};

describe("compareRecords", () => {
  it("matches equal behaviour and ignores headers", () => {
    const got = record({ responses: [{ ...OK, headers: { x: "1" } }] });
    expect(compareRecords(record({ responses: [OK] }), got)).toBeNull();
  });

  it("names the first differing response field", () => {
    const diff = compareRecords(
      record({ responses: [OK] }),
      record({ responses: [{ ...OK, body: "hello there\n" }] }),
    );
    expect(diff).toEqual({ field: "responses[0].body", expected: '"hello world\\n"', actual: '"hello there\\n"' });
  });

  it("reports a missing response and a missing log line", () => {
    expect(compareRecords(record({ responses: [OK] }), record({}))?.field).toBe("responses.length");
    const diff = compareRecords(record({ error_log: ["[notice] a"] }), record({}));
    expect(diff).toEqual({ field: "error_log[0]", expected: '"[notice] a"', actual: "(none)" });
  });

  it("compares startup_error first", () => {
    const diff = compareRecords(record({ startup_error: "x" }), record({ responses: [OK] }));
    expect(diff?.field).toBe("startup_error");
  });
});

describe("unmetRequirements", () => {
  const results: FileResult[] = [
    { file: "02-exit", blocks: 3, matched: 2, matchedTests: [1, 2], mismatches: [{ test: 5, diff: { field: "f", expected: "", actual: "" } }] },
  ];

  it("lists required blocks that did not match", () => {
    const required = new Map<string, number[] | "all">([["02-exit", [1, 5]], ["06-time", "all"]]);
    expect(unmetRequirements(results, required)).toEqual(["02-exit TEST 5", "06-time (not checked)"]);
  });

  it("requires every block of a file given without tests", () => {
    expect(unmetRequirements(results, new Map([["02-exit", "all"]]))).toEqual(["02-exit TEST 5"]);
  });
});
