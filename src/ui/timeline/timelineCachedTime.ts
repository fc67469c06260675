/**
 * The cached-time line of a process lane: what ngx.now() would return
 * (the process's cached time) as a step line against the x axis, with a
 * mark at each refresh. nginx refreshes the cache once per event loop
 * iteration and on ngx.update_time(), so a flat stretch while the clock
 * runs on is Lua work that ngx.now() does not see.
 */
import type { TimeCause, TraceEvent } from "../../engine/trace/events";
import type { Viewport } from "./timelineViewport";

/** A cached-time-update event of the trace. */
export type CachedTimeUpdate = TraceEvent & { kind: "cached-time-update" };

/** One vertex of the step line, in plot pixels (y grows downward). */
export interface StepVertex {
  x: number;
  y: number;
}

/** One refresh mark (at most one per cause and pixel column). */
export interface RefreshMark {
  update: CachedTimeUpdate;
  x: number;
  y: number;
  /** How many refreshes of this cause the mark stands for. */
  count: number;
}

/** The drawable line of one lane in one view. */
export interface CachedTimeLine {
  vertices: StepVertex[];
  marks: RefreshMark[];
}

/** Maps an update to its x value (virtual ms or sequence number). */
export type AxisOf = (event: TraceEvent) => number;

/** Maps a cached time (virtual ms) to a y offset inside the row. */
export type ValueToY = (cachedTime: number) => number;

/** Returns the first index whose axis value is >= `value` (updates sorted). */
function lowerBound(updates: readonly CachedTimeUpdate[], axisOf: AxisOf, value: number): number {
  let low = 0;
  let high = updates.length;
  while (low < high) {
    const middle = (low + high) >> 1;
    if (axisOf(updates[middle]) < value) low = middle + 1;
    else high = middle;
  }
  return low;
}

/**
 * Counts `update` into its cause's latest mark when that mark is in the
 * same pixel column, else starts a mark. Updates arrive in x order, so a
 * column once left never comes back.
 */
function addMark(
  marks: RefreshMark[],
  latest: Map<TimeCause, { mark: RefreshMark; column: number }>,
  update: CachedTimeUpdate,
  x: number,
  y: number,
): void {
  const column = Math.round(x);
  const last = latest.get(update.cause);
  if (last && last.column === column) {
    last.mark.count++;
    return;
  }
  const mark = { update, x, y, count: 1 };
  marks.push(mark);
  latest.set(update.cause, { mark, column });
}

/**
 * Builds the step line of `updates` (one process, in trace order) for the
 * plot window `view` that is `plotWidth` pixels wide. Vertices within one
 * pixel column collapse to that column's lowest and highest values, so the
 * work is bounded by the width, not by the number of updates drawn.
 * The line ends at `endValue` (the end of the run on the x axis).
 */
export function buildCachedTimeLine(
  updates: readonly CachedTimeUpdate[],
  axisOf: AxisOf,
  toX: (value: number) => number,
  valueToY: ValueToY,
  view: Viewport,
  endValue: number,
): CachedTimeLine {
  const vertices: StepVertex[] = [];
  const marks: RefreshMark[] = [];
  const latestMarks = new Map<TimeCause, { mark: RefreshMark; column: number }>();
  // Start one update before the window, so the level at its left edge shows.
  const first = Math.max(0, lowerBound(updates, axisOf, view.start) - 1);
  let column = Number.NaN;
  let previousY = Number.NaN;
  for (let index = first; index < updates.length; index++) {
    const update = updates[index];
    const value = axisOf(update);
    const x = toX(value);
    const y = valueToY(update.cachedTime);
    if (Math.round(x) !== column || vertices.length === 0) {
      column = Math.round(x);
      if (!Number.isNaN(previousY)) vertices.push({ x, y: previousY });
    }
    vertices.push({ x, y });
    previousY = y;
    const isVisible = value >= view.start && value <= view.end;
    if (isVisible) addMark(marks, latestMarks, update, x, y);
    if (value > view.end) break;
  }
  if (vertices.length > 0) {
    vertices.push({ x: Math.max(vertices[vertices.length - 1].x, toX(endValue)), y: previousY });
  }
  return { vertices: collapseColumns(vertices), marks };
}

/**
 * Keeps, for each run of vertices in the same pixel column, the first,
 * the lowest, the highest and the last: the same pixels, fewer segments.
 */
function collapseColumns(vertices: readonly StepVertex[]): StepVertex[] {
  const kept: StepVertex[] = [];
  let start = 0;
  while (start < vertices.length) {
    const column = Math.round(vertices[start].x);
    let end = start;
    while (end + 1 < vertices.length && Math.round(vertices[end + 1].x) === column) end++;
    if (end - start < 4) {
      for (let index = start; index <= end; index++) kept.push(vertices[index]);
    } else {
      let low = Infinity;
      let high = -Infinity;
      for (let index = start; index <= end; index++) {
        low = Math.min(low, vertices[index].y);
        high = Math.max(high, vertices[index].y);
      }
      const x = vertices[start].x;
      kept.push(vertices[start]);
      kept.push({ x, y: low }, { x, y: high });
      kept.push(vertices[end]);
    }
    start = end + 1;
  }
  return kept;
}

/** The colour and legend name of each refresh cause. */
export const REFRESH_STYLES: Record<TimeCause, { color: string; label: string }> = {
  "event-loop": { color: "#7f7f7f", label: "cached time refreshed by the event loop" },
  update_time: { color: "#ff7f0e", label: "cached time refreshed by ngx.update_time()" },
};
