import { describe, expect, it } from "vitest";
import { markerWidth, traceMarkerRun } from "./timelineMarkerRuns";

/** Records the path points a canvas context receives. */
function recordingContext() {
  const points: Array<[number, number]> = [];
  const ctx = {
    moveTo: (x: number, y: number) => points.push([x, y]),
    lineTo: (x: number, y: number) => points.push([x, y]),
    closePath: () => {},
    roundRect: () => {},
  };
  return { ctx: ctx as unknown as CanvasRenderingContext2D, points };
}

describe("markerWidth", () => {
  it("measures polygons and circles", () => {
    expect(markerWidth("triangle-down")).toBe(8);
    expect(markerWidth("bar")).toBe(2);
    expect(markerWidth("circle")).toBe(7);
  });
});

describe("traceMarkerRun", () => {
  it("draws a single mark as its polygon", () => {
    const { ctx, points } = recordingContext();
    traceMarkerRun(ctx, "sleep", 10, 10, 0);
    expect(points).toEqual([[7, -3], [13, -3], [13, 3], [7, 3]]);
  });

  it("stretches a square into a rectangle", () => {
    const { ctx, points } = recordingContext();
    traceMarkerRun(ctx, "sleep", 10, 20, 0);
    const xs = points.map(([x]) => x);
    const ys = points.map(([, y]) => y);
    expect(points).toHaveLength(4);
    expect(Math.min(...xs)).toBe(7);
    expect(Math.max(...xs)).toBe(23);
    expect(Math.min(...ys)).toBe(-3);
    expect(Math.max(...ys)).toBe(3);
  });

  it("stretches a triangle into a trapezoid", () => {
    const { ctx, points } = recordingContext();
    traceMarkerRun(ctx, "yield", 0, 5, 0);
    const sorted = [...points].sort((a, b) => a[0] - b[0] || a[1] - b[1]);
    expect(sorted).toEqual([[-4, -2], [0, 5], [5, 5], [9, -2]]);
  });
});
