/**
 * The visible window of the timeline's x axis and the zoom and pan math.
 * Units are virtual ms in time mode and event sequence numbers in order
 * mode; the math is the same for both.
 */

/** The visible x range [start, end] drawn over `width` pixels. */
export interface Viewport {
  start: number;
  end: number;
}

/**
 * The narrowest range zoom allows: 10 ns in time mode, where one Lua
 * instruction costs 20 ns by default.
 */
export const MIN_VIEW_SPAN = 0.00001;

/** Maps an axis value to a pixel offset within a plot `width` wide. */
export function toPixel(view: Viewport, value: number, width: number): number {
  return ((value - view.start) / (view.end - view.start)) * width;
}

/** Zooms by `factor` (< 1 zooms in) keeping the value under `anchorPx` fixed. */
export function zoomAt(view: Viewport, factor: number, anchorPx: number, width: number): Viewport {
  const span = view.end - view.start;
  const anchor = view.start + (anchorPx / width) * span;
  const nextSpan = Math.max(span * factor, MIN_VIEW_SPAN);
  const ratio = (anchor - view.start) / span;
  const start = anchor - ratio * nextSpan;
  return { start, end: start + nextSpan };
}

/** Pans by a drag of `deltaPx` pixels (positive drags content right). */
export function panBy(view: Viewport, deltaPx: number, width: number): Viewport {
  const shift = (deltaPx / width) * (view.end - view.start);
  return { start: view.start - shift, end: view.end - shift };
}

/** Picks tick positions at 1, 2 or 5 times a power of ten, about every 100 px. */
export function axisTicks(view: Viewport, width: number): number[] {
  const span = view.end - view.start;
  const rough = span / Math.max(1, width / 100);
  const power = 10 ** Math.floor(Math.log10(rough));
  const step = [1, 2, 5, 10].map((m) => m * power).find((s) => s >= rough) ?? rough;
  const ticks: number[] = [];
  for (let tick = Math.ceil(view.start / step) * step; tick <= view.end; tick += step) {
    ticks.push(Number(tick.toPrecision(12)));
  }
  return ticks;
}
