import { describe, expect, it } from "vitest";
import type { TraceEvent } from "../../engine/trace/events";
import { describeStep, formatTime } from "./describeStep";

const CHUNK = "content_by_lua(nginx.conf:18)";

describe("describeStep", () => {
  it("describes a sleep yield with its length and line", () => {
    const yieldEvent: TraceEvent = {
      seq: 9,
      kind: "yield",
      time: 300.21,
      pid: 1001,
      connection: 2,
      phase: "content",
      reason: "sleep",
      source: { chunkName: CHUNK, line: 4 },
    };
    const sleep: TraceEvent = {
      seq: 10,
      kind: "sleep",
      time: 300.21,
      pid: 1001,
      connection: 2,
      seconds: 0.001,
    };
    const text = describeStep(yieldEvent, { source: yieldEvent.source!, isExact: true }, sleep);
    expect(text).toBe(`*2 yield (sleep 0.001 s) at ${CHUNK}:4, 300.21 ms`);
  });

  it("names the enclosing handler when the line is not known", () => {
    const event: TraceEvent = {
      seq: 3,
      kind: "log",
      time: 1,
      pid: 1001,
      connection: 1,
      level: "notice",
      message: "hi",
    };
    const resolved = { source: { chunkName: CHUNK, line: 1 }, isExact: false };
    expect(describeStep(event, resolved)).toBe(`*1 log [notice] hi in ${CHUNK}, 1 ms`);
  });

  it("names the process for events outside requests", () => {
    const event: TraceEvent = {
      seq: 2,
      kind: "cached-time-update",
      time: 300,
      pid: 1001,
      cachedTime: 300,
      cause: "event-loop",
    };
    expect(describeStep(event, null)).toBe(
      "pid 1001 cached time set to 300 ms (event-loop), 300 ms",
    );
  });
});

describe("formatTime", () => {
  it("keeps up to four decimals", () => {
    expect(formatTime(339.9999999999636)).toBe("340 ms");
    expect(formatTime(300.00014)).toBe("300.0001 ms");
  });
});
