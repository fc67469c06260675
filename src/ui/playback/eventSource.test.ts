import { describe, expect, it } from "vitest";
import type { TraceEvent, TraceEventInput } from "../../engine/trace/events";
import { configLineOf, firstEventAtLine, resolveSources } from "./eventSource";

function traceOf(inputs: TraceEventInput[]): TraceEvent[] {
  return inputs.map((input, seq) => ({ ...input, seq }) as TraceEvent);
}

const CONTENT = "content_by_lua(nginx.conf:20)";

const trace = traceOf([
  { kind: "request-start", time: 0, pid: 1, connection: 1, method: "GET", uri: "/t" },
  {
    kind: "phase-start",
    time: 0,
    pid: 1,
    connection: 1,
    phase: "content",
    source: { chunkName: CONTENT, line: 1 },
  },
  {
    kind: "shdict",
    time: 1,
    pid: 1,
    connection: 1,
    dict: "d",
    op: "get",
    key: "k",
    result: "nil",
    source: { chunkName: CONTENT, line: 4 },
  },
  { kind: "yield", time: 2, pid: 1, connection: 1, phase: "content", reason: "sleep" },
  { kind: "phase-end", time: 3, pid: 1, connection: 1, phase: "content", result: "done" },
  { kind: "request-end", time: 3, pid: 1, connection: 1, status: 200, outcome: "complete" },
]);

describe("configLineOf", () => {
  it("adds the chunk line to the directive line", () => {
    expect(configLineOf({ chunkName: CONTENT, line: 4 }, "nginx.conf")).toBe(23);
  });

  it("matches the config file by its last path component", () => {
    expect(configLineOf({ chunkName: CONTENT, line: 1 }, "/usr/local/conf/nginx.conf")).toBe(20);
  });

  it("returns null for another file or a Lua file chunk", () => {
    expect(configLineOf({ chunkName: CONTENT, line: 1 }, "other.conf")).toBeNull();
    expect(configLineOf({ chunkName: "@lib/foo.lua", line: 3 }, "nginx.conf")).toBeNull();
  });
});

describe("resolveSources", () => {
  const sources = resolveSources(trace);

  it("keeps an event's own position as exact", () => {
    expect(sources[2]).toEqual({ source: { chunkName: CONTENT, line: 4 }, isExact: true });
  });

  it("gives an event without a position its phase's start", () => {
    expect(sources[3]).toEqual({ source: { chunkName: CONTENT, line: 1 }, isExact: false });
  });

  it("leaves events outside any phase without a source", () => {
    expect(sources[0]).toBeNull();
    expect(sources[5]).toBeNull();
  });

  it("skips phases that run no Lua", () => {
    const nested = traceOf([
      {
        kind: "phase-start",
        time: 0,
        pid: 1,
        connection: 1,
        phase: "content",
        source: { chunkName: CONTENT, line: 1 },
      },
      { kind: "phase-start", time: 1, pid: 1, connection: 1, phase: "header_filter" },
      { kind: "log", time: 1, pid: 1, connection: 1, level: "notice", message: "m" },
      { kind: "phase-end", time: 1, pid: 1, connection: 1, phase: "header_filter", result: "" },
      { kind: "log", time: 2, pid: 1, connection: 1, level: "notice", message: "n" },
    ]);
    const resolved = resolveSources(nested);
    expect(resolved[2]?.source.chunkName).toBe(CONTENT);
    expect(resolved[4]?.source.chunkName).toBe(CONTENT);
  });
});

describe("firstEventAtLine", () => {
  const sources = resolveSources(trace);

  it("finds the first event that carries the line itself", () => {
    expect(firstEventAtLine(sources, "nginx.conf", 23)).toBe(2);
  });

  it("finds the phase start on the directive's line", () => {
    expect(firstEventAtLine(sources, "nginx.conf", 20)).toBe(1);
  });

  it("returns -1 for a line without events", () => {
    expect(firstEventAtLine(sources, "nginx.conf", 5)).toBe(-1);
  });
});
