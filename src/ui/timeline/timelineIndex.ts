/**
 * Lookup tables the renderer builds once per TimelineModel, so a frame
 * only touches what is in view. Each row's markers, spans and links are
 * sorted by x-axis value (virtual time or sequence number), and each row
 * has a y position, so rows scrolled out of view are skipped.
 */
import type { TraceEvent } from "../../engine/trace/events";
import type { PhaseSpan, TimelineModel, TimelineRow } from "./timelineModel";
import type { AxisMode } from "./timelineRender";

export const AXIS_HEIGHT = 22;
export const ROW_HEIGHT = 22;
export const LANE_GAP = 8;
/** Height of a lane's first row: its label and the cached-time line. */
export const LANE_HEADER_HEIGHT = 44;

/** One row's contents sorted by x-axis value in one axis mode. */
export interface SortedRow {
  /** Markers in ascending axis value, with their values in `markerValues`. */
  markers: TraceEvent[];
  markerValues: Float64Array;
  /** Spans in ascending start value. */
  spans: PhaseSpan[];
  spanStarts: Float64Array;
  /**
   * The largest end value among spans[0..i]; Infinity once an unfinished
   * span is among them. Non-decreasing, so it can be binary-searched.
   */
  spanMaxEnds: Float64Array;
  links: Array<{ from: TraceEvent; to: TraceEvent }>;
  linkFroms: Float64Array;
  /** The largest `to` value among links[0..i]. */
  linkMaxTos: Float64Array;
}

/** A row and where it sits, in content pixels from the top of the axis. */
export interface PlacedRow {
  row: TimelineRow;
  top: number;
  byMode: Record<AxisMode, SortedRow>;
}

/** A lane's header position and its rows in drawing order. */
export interface PlacedLane {
  headerTop: number;
  rows: PlacedRow[];
}

/** The model's layout and sorted rows; see buildTimelineIndex. */
export interface TimelineIndex {
  lanes: PlacedLane[];
  /** Height of everything drawn, axis included, in CSS pixels. */
  contentHeight: number;
}

function valueOf(event: TraceEvent, mode: AxisMode): number {
  return mode === "time" ? event.time : event.seq;
}

/** Sorts `items` by `key` (stable) and returns them with their keys. */
function sortByKey<T>(items: readonly T[], key: (item: T) => number) {
  const order = items.map((item, index) => ({ item, index, value: key(item) }));
  let isSorted = true;
  for (let i = 1; i < order.length && isSorted; i++) {
    isSorted = order[i - 1].value <= order[i].value;
  }
  if (!isSorted) order.sort((a, b) => a.value - b.value || a.index - b.index);
  return {
    items: order.map((entry) => entry.item),
    values: Float64Array.from(order, (entry) => entry.value),
  };
}

function prefixMax(values: readonly number[]): Float64Array {
  const result = new Float64Array(values.length);
  let max = -Infinity;
  values.forEach((value, index) => {
    max = Math.max(max, value);
    result[index] = max;
  });
  return result;
}

function sortRow(row: TimelineRow, mode: AxisMode): SortedRow {
  const markers = sortByKey(row.markers, (event) => valueOf(event, mode));
  const spans = sortByKey(row.spans, (span) => valueOf(span.start, mode));
  const links = sortByKey(row.links, (link) => valueOf(link.from, mode));
  return {
    markers: markers.items,
    markerValues: markers.values,
    spans: spans.items,
    spanStarts: spans.values,
    spanMaxEnds: prefixMax(
      spans.items.map((span) => (span.end ? valueOf(span.end, mode) : Infinity)),
    ),
    links: links.items,
    linkFroms: links.values,
    linkMaxTos: prefixMax(links.items.map((link) => valueOf(link.to, mode))),
  };
}

const cache = new WeakMap<TimelineModel, TimelineIndex>();

/**
 * Returns the index of `model`, built on the first call and reused for
 * later calls with the same model object. Do not mutate the model after.
 */
export function buildTimelineIndex(model: TimelineModel): TimelineIndex {
  const cached = cache.get(model);
  if (cached) return cached;
  let y = AXIS_HEIGHT;
  const lanes = model.lanes.map((lane) => {
    y += LANE_GAP;
    const headerTop = y;
    y += LANE_HEADER_HEIGHT;
    const rows = lane.rows.map((row) => {
      const placed: PlacedRow = {
        row,
        top: y,
        byMode: { time: sortRow(row, "time"), order: sortRow(row, "order") },
      };
      y += ROW_HEIGHT;
      return placed;
    });
    return { headerTop, rows };
  });
  const index = { lanes, contentHeight: y + 4 };
  cache.set(model, index);
  return index;
}

/** Returns the first index whose value is >= `target` (values ascending). */
export function lowerBound(values: Float64Array, target: number): number {
  let low = 0;
  let high = values.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (values[middle] < target) low = middle + 1;
    else high = middle;
  }
  return low;
}

/** Returns the first index whose value is > `target` (values ascending). */
export function upperBound(values: Float64Array, target: number): number {
  let low = 0;
  let high = values.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (values[middle] <= target) low = middle + 1;
    else high = middle;
  }
  return low;
}
