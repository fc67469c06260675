import { describe, expect, it } from "vitest";
import type { TraceEvent } from "../../engine/trace/events";
import {
  AXIS_HEIGHT,
  buildTimelineIndex,
  LANE_GAP,
  LANE_HEADER_HEIGHT,
  lowerBound,
  ROW_HEIGHT,
  upperBound,
} from "./timelineIndex";
import { buildTimelineModel } from "./timelineModel";

function trace(): TraceEvent[] {
  const events: Array<Omit<TraceEvent, "seq">> = [
    { kind: "process-start", time: 0, pid: 1, process: "worker", workerId: 0 },
    { kind: "request-start", time: 1, pid: 1, connection: 1, method: "GET", uri: "/" },
    { kind: "phase-start", time: 1, pid: 1, connection: 1, phase: "content" },
    { kind: "yield", time: 2, pid: 1, connection: 1, phase: "content", reason: "sleep" },
    // Logged later in the stream but earlier in virtual time.
    { kind: "log", time: 1.5, pid: 1, connection: 1, level: "info", message: "m" },
    { kind: "resume", time: 5, pid: 1, connection: 1, phase: "content" },
    { kind: "phase-start", time: 6, pid: 1, connection: 1, phase: "log" },
    { kind: "request-end", time: 7, pid: 1, connection: 1, status: 200, outcome: "complete" },
    { kind: "request-start", time: 8, pid: 1, connection: 2, method: "GET", uri: "/" },
  ] as unknown as Array<Omit<TraceEvent, "seq">>;
  return events.map((event, seq) => ({ ...event, seq }) as TraceEvent);
}

describe("buildTimelineIndex", () => {
  const model = buildTimelineModel(trace(), 10);
  const index = buildTimelineIndex(model);
  const row = index.lanes[0].rows[0];

  it("places rows below their lane header", () => {
    expect(index.lanes[0].headerTop).toBe(AXIS_HEIGHT + LANE_GAP);
    expect(row.top).toBe(AXIS_HEIGHT + LANE_GAP + LANE_HEADER_HEIGHT);
    expect(index.lanes[0].rows[1].top).toBe(row.top + ROW_HEIGHT);
    expect(index.contentHeight).toBe(row.top + 2 * ROW_HEIGHT + 4);
  });

  it("sorts markers by time in time mode", () => {
    const sorted = row.byMode.time;
    expect([...sorted.markerValues]).toEqual([1, 1.5, 2, 5, 7]);
    expect(sorted.markers.map((event) => event.kind)).toEqual([
      "request-start",
      "log",
      "yield",
      "resume",
      "request-end",
    ]);
    expect([...row.byMode.order.markerValues]).toEqual([1, 3, 4, 5, 7]);
  });

  it("keeps unfinished spans reachable", () => {
    const sorted = row.byMode.time;
    expect([...sorted.spanStarts]).toEqual([1, 6]);
    expect([...sorted.spanMaxEnds]).toEqual([Infinity, Infinity]);
    expect(lowerBound(sorted.spanMaxEnds, 100)).toBe(0);
  });

  it("reuses the index of the same model", () => {
    expect(buildTimelineIndex(model)).toBe(index);
  });
});

describe("lowerBound and upperBound", () => {
  const values = Float64Array.from([1, 2, 2, 2, 5]);

  it("find the first value at or above the target", () => {
    expect(lowerBound(values, 2)).toBe(1);
    expect(lowerBound(values, 0)).toBe(0);
    expect(lowerBound(values, 6)).toBe(5);
  });

  it("find the first value above the target", () => {
    expect(upperBound(values, 2)).toBe(4);
    expect(upperBound(values, 5)).toBe(5);
    expect(upperBound(values, 0.5)).toBe(0);
  });
});
