/**
 * The shape and colour of each kind of point marker, shared by the canvas
 * drawing and the legend so the two cannot drift apart.
 */
import type { TraceEvent } from "../../engine/trace/events";

export type MarkerShape =
  | "triangle-down"
  | "triangle-up"
  | "square"
  | "diamond"
  | "bar"
  | "circle"
  | "ring"
  | "dot";

export interface MarkerStyle {
  shape: MarkerShape;
  color: string;
  /** The legend's name for the marker. */
  label: string;
}

const YIELD: MarkerStyle = { shape: "triangle-down", color: "#d62728", label: "yield" };
const RESUME: MarkerStyle = { shape: "triangle-up", color: "#2ca02c", label: "resume" };
const SLEEP: MarkerStyle = { shape: "square", color: "#9467bd", label: "sleep" };
const SHDICT: MarkerStyle = { shape: "diamond", color: "#17becf", label: "shdict op" };
const LOG: MarkerStyle = { shape: "circle", color: "#555555", label: "log" };
const CACHED_TIME: MarkerStyle = {
  shape: "bar",
  color: "#ff7f0e",
  label: "cached-time update",
};
const TIMER: MarkerStyle = { shape: "ring", color: "#e15759", label: "timer" };
const THREAD_OR_SUBREQUEST: MarkerStyle = {
  shape: "ring",
  color: "#4e79a7",
  label: "light thread or subrequest start/end",
};
const RACE: MarkerStyle = { shape: "diamond", color: "#b80000", label: "race (lost update)" };
const OTHER: MarkerStyle = {
  shape: "dot",
  color: "#333333",
  label: "request, response, exit",
};

/** The legend's entries, in the order shown. */
export const LEGEND_STYLES: readonly MarkerStyle[] = [
  YIELD,
  RESUME,
  SLEEP,
  SHDICT,
  LOG,
  CACHED_TIME,
  TIMER,
  THREAD_OR_SUBREQUEST,
  RACE,
  OTHER,
];

const STYLE_BY_KIND: Partial<Record<TraceEvent["kind"], MarkerStyle>> = {
  yield: YIELD,
  resume: RESUME,
  sleep: SLEEP,
  shdict: SHDICT,
  log: LOG,
  "cached-time-update": CACHED_TIME,
  "timer-scheduled": TIMER,
  race: RACE,
  "timer-fired": TIMER,
  "thread-spawn": THREAD_OR_SUBREQUEST,
  "thread-exit": THREAD_OR_SUBREQUEST,
  "subrequest-start": THREAD_OR_SUBREQUEST,
  "subrequest-end": THREAD_OR_SUBREQUEST,
};

/** Returns how a marker of `kind` is drawn. */
export function markerStyle(kind: TraceEvent["kind"]): MarkerStyle {
  return STYLE_BY_KIND[kind] ?? OTHER;
}

/** Radius in pixels of the round shapes. */
export function markerRadius(shape: MarkerShape): number {
  return shape === "dot" ? 2 : 3.5;
}

/**
 * Returns the corners of a polygon shape around (0, 0) in pixels, y down,
 * or null for the round shapes (circle, ring, dot).
 */
export function markerPolygon(shape: MarkerShape): Array<[number, number]> | null {
  switch (shape) {
    case "triangle-down":
      return [[0, 5], [-4, -2], [4, -2]];
    case "triangle-up":
      return [[0, -5], [-4, 2], [4, 2]];
    case "square":
      return [[-3, -3], [3, -3], [3, 3], [-3, 3]];
    case "diamond":
      return [[0, -4.5], [4.5, 0], [0, 4.5], [-4.5, 0]];
    case "bar":
      return [[-1, -6], [1, -6], [1, 6], [-1, 6]];
    default:
      return null;
  }
}
