import { describe, expect, it } from "vitest";
import type { ResponseRecord } from "../../engine/scenario";
import { responseHeaderLines } from "./responseHeaders";

const base: ResponseRecord = {
  requestIndex: 0,
  status: 200,
  status_line: "HTTP/1.1 200 OK",
  headers: { "content-type": "text/plain", "x-foo": ["a", "b"] },
  body: "",
  empty_reply: false,
  timed_out: false,
  connection: 1,
  pid: 1001,
};

describe("responseHeaderLines", () => {
  it("uses raw headers in wire order and case", () => {
    const lines = responseHeaderLines({
      ...base,
      rawHeaders: [
        { name: "Server", value: "openresty" },
        { name: "Date", value: "Thu, 01 Jan 2026 12:00:00 GMT" },
        { name: "Content-Type", value: "text/plain" },
        { name: "X-Foo", value: "a" },
        { name: "X-Foo", value: "b" },
      ],
    });
    expect(lines).toEqual([
      "Server: openresty",
      "Date: Thu, 01 Jan 2026 12:00:00 GMT",
      "Content-Type: text/plain",
      "X-Foo: a",
      "X-Foo: b",
    ]);
  });

  it("falls back to lower-cased headers", () => {
    expect(responseHeaderLines(base)).toEqual([
      "content-type: text/plain",
      "x-foo: a",
      "x-foo: b",
    ]);
  });

  it("shows no lines for empty raw headers", () => {
    expect(responseHeaderLines({ ...base, rawHeaders: [] })).toEqual([]);
  });
});
