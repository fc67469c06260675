import { describe, expect, it } from "vitest";
import { buildCachedTimeLine, type CachedTimeUpdate } from "./timelineCachedTime";
import type { TimeCause } from "../../engine/trace/events";

function update(seq: number, time: number, cachedTime: number, cause: TimeCause): CachedTimeUpdate {
  return { seq, kind: "cached-time-update", time, pid: 1, cachedTime, cause };
}

// 1 px per ms from 0; the y value is the cached time itself.
const toX = (value: number) => value;
const valueToY = (cachedTime: number) => cachedTime;
const byTime = (event: { time: number }) => event.time;

describe("buildCachedTimeLine", () => {
  const updates = [
    update(0, 300, 300, "event-loop"),
    update(1, 340, 339, "update_time"),
    update(2, 439, 439, "event-loop"),
  ];

  it("holds the cached time flat until the next refresh", () => {
    const line = buildCachedTimeLine(updates, byTime, toX, valueToY, { start: 0, end: 500 }, 500);
    expect(line.vertices).toEqual([
      { x: 300, y: 300 },
      { x: 340, y: 300 },
      { x: 340, y: 339 },
      { x: 439, y: 339 },
      { x: 439, y: 439 },
      { x: 500, y: 439 },
    ]);
  });

  it("marks each refresh with its cause", () => {
    const line = buildCachedTimeLine(updates, byTime, toX, valueToY, { start: 0, end: 500 }, 500);
    expect(line.marks.map((mark) => mark.update.cause)).toEqual([
      "event-loop",
      "update_time",
      "event-loop",
    ]);
  });

  it("starts from the level in force at the window's left edge", () => {
    const line = buildCachedTimeLine(updates, byTime, toX, valueToY, { start: 350, end: 400 }, 500);
    expect(line.vertices[0]).toEqual({ x: 340, y: 339 });
    expect(line.marks).toHaveLength(0);
  });

  it("bounds the vertices by pixel columns for many refreshes", () => {
    const many = Array.from({ length: 100_000 }, (_, seq) =>
      update(seq, seq / 1000, seq % 7, seq % 2 ? "update_time" : "event-loop"),
    );
    const line = buildCachedTimeLine(many, byTime, toX, valueToY, { start: 0, end: 100 }, 100);
    expect(line.vertices.length).toBeLessThanOrEqual(4 * 102);
    const counted = line.marks.reduce((sum, mark) => sum + mark.count, 0);
    expect(counted).toBe(100_000);
    expect(line.marks.length).toBeLessThanOrEqual(2 * 101);
  });
});
