import { describe, expect, it } from "vitest";
import {
  axisTicks,
  MIN_VIEW_SPAN,
  panBy,
  toPixel,
  zoomAt,
} from "./timelineViewport";

describe("timelineViewport", () => {
  it("maps the range ends to the plot edges", () => {
    const view = { start: 10, end: 20 };
    expect(toPixel(view, 10, 500)).toBe(0);
    expect(toPixel(view, 20, 500)).toBe(500);
  });

  it("zooms around the anchor", () => {
    const view = zoomAt({ start: 0, end: 100 }, 0.5, 250, 1000);
    expect(view.end - view.start).toBe(50);
    expect(toPixel(view, 25, 1000)).toBeCloseTo(250);
  });

  it("stops zooming in at the minimum span", () => {
    const view = zoomAt({ start: 0, end: 0.002 }, 0.0001, 0, 100);
    expect(view.end - view.start).toBeCloseTo(MIN_VIEW_SPAN, 9);
  });

  it("pans by a pixel drag", () => {
    expect(panBy({ start: 0, end: 100 }, 100, 1000)).toEqual({ start: -10, end: 90 });
  });

  it("places ticks at round steps", () => {
    expect(axisTicks({ start: 0, end: 10 }, 500)).toEqual([0, 2, 4, 6, 8, 10]);
  });

  it("places ticks at 20 ns steps near 300 ms", () => {
    const ticks = axisTicks({ start: 299.99999, end: 300.00011 }, 1000);
    expect(ticks[0]).toBe(300);
    expect(ticks[1]).toBe(300.00002);
  });
});
