import { describe, expect, it } from "vitest";
import type { TraceEvent } from "../../engine/trace/events";
import type { PhaseSpan } from "./timelineModel";
import { groupMarkers, groupSortedMarkers, groupSpans } from "./timelineThinning";

function bodyEvent(seq: number, time: number): TraceEvent {
  return {
    kind: "response-body",
    seq,
    time,
    pid: 1,
    connection: 1,
    bytes: 1,
    isLast: false,
  };
}

function span(start: number, end: number, depth = 1): PhaseSpan {
  return {
    phase: "body_filter",
    start: { ...bodyEvent(0, start), kind: "phase-start", phase: "body_filter" },
    end: {
      ...bodyEvent(0, end),
      kind: "phase-end",
      phase: "body_filter",
      result: "ok",
    },
    depth,
  } as PhaseSpan;
}

describe("groupMarkers", () => {
  it("draws a million events as one mark per pixel", () => {
    const events = Array.from({ length: 1_000_000 }, (_, seq) =>
      bodyEvent(seq, seq / 1_000_000),
    );
    const groups = groupMarkers(events, (event) => event.time * 1000, 1000);
    expect(groups.length).toBeLessThanOrEqual(1001);
    const counted = groups.reduce((sum, group) => sum + group.count, 0);
    expect(counted).toBe(1_000_000);
  });

  it("keeps different kinds in one pixel apart", () => {
    const events = [bodyEvent(0, 1), { ...bodyEvent(1, 1), kind: "log" } as TraceEvent];
    const groups = groupMarkers(events, (event) => event.time, 100);
    expect(groups.map((group) => group.count)).toEqual([1, 1]);
  });

  it("leaves out events outside the plot", () => {
    const events = [bodyEvent(0, -50), bodyEvent(1, 50), bodyEvent(2, 500)];
    const groups = groupMarkers(events, (event) => event.time, 100);
    expect(groups.map((group) => group.event.seq)).toEqual([1]);
  });
});

describe("groupSpans", () => {
  const startX = (one: PhaseSpan) => one.start.time;
  const endX = (one: PhaseSpan) => one.end?.time ?? 1000;

  it("merges touching narrow spans", () => {
    const spans = [span(10, 10.5), span(11, 11.5), span(12, 12.5)];
    const groups = groupSpans(spans, startX, endX, 100);
    expect(groups).toHaveLength(1);
    expect(groups[0].count).toBe(3);
  });

  it("keeps wide spans separate", () => {
    const spans = [span(10, 20), span(20, 30)];
    const groups = groupSpans(spans, startX, endX, 100);
    expect(groups.map((group) => group.count)).toEqual([1, 1]);
  });

  it("keeps narrow spans far apart separate", () => {
    const spans = [span(10, 10.5), span(40, 40.5)];
    expect(groupSpans(spans, startX, endX, 100)).toHaveLength(2);
  });

  it("keeps depths apart", () => {
    const spans = [span(10, 10.5, 0), span(10, 10.5, 1)];
    expect(groupSpans(spans, startX, endX, 100)).toHaveLength(2);
  });
});

describe("groupSortedMarkers", () => {
  it("matches groupMarkers on sorted events", () => {
    const events: TraceEvent[] = [];
    for (let seq = 0; seq < 5000; seq++) {
      const event = bodyEvent(seq, seq / 1000);
      events.push(seq % 3 === 0 ? { ...event, kind: "log", level: "info", message: "m" } : event);
    }
    const xOf = (event: TraceEvent) => event.time * 200 - 100;
    const expected = groupMarkers(events, xOf, 500);
    const values = events.map((event) => event.time);
    const actual = groupSortedMarkers(events, values, 0, events.length, (v) => v * 200 - 100, 500);
    expect(actual).toEqual(expected);
  });

  it("groups only the given index range", () => {
    const events = Array.from({ length: 10 }, (_, seq) => bodyEvent(seq, seq));
    const values = events.map((event) => event.time);
    const groups = groupSortedMarkers(events, values, 2, 5, (value) => value * 10, 100);
    expect(groups.map((group) => group.event.seq)).toEqual([2, 3, 4]);
  });
});
