/**
 * Thins what the timeline draws at one zoom level so a trace of a million
 * events stays cheap to draw: events that fall in the same pixel column
 * become one mark that counts them. The model keeps every event; only the
 * drawing is thinned, and the caller reports how much on screen.
 */
import type { TraceEvent } from "../../engine/trace/events";
import type { PhaseSpan } from "./timelineModel";

/** Pixels outside the plot that still count as visible (marker radius). */
export const CULL_MARGIN_PX = 8;

/** Spans narrower than this, in pixels, may merge with their neighbours. */
export const NARROW_SPAN_PX = 3;

/** One mark of a kind of event in one pixel column. */
export interface MarkerGroup {
  /** The first event of the group, the one the mark is drawn for. */
  event: TraceEvent;
  x: number;
  /** How many events the mark stands for. */
  count: number;
}

/** One rectangle: a span, or a run of narrow spans next to each other. */
export interface SpanGroup {
  span: PhaseSpan;
  x: number;
  width: number;
  count: number;
}

/**
 * Groups the visible markers by pixel column and kind, so at most one mark
 * of each kind is drawn per column. `xOf` maps an event to its pixel
 * offset in a plot `plotWidth` wide.
 */
export function groupMarkers(
  events: readonly TraceEvent[],
  xOf: (event: TraceEvent) => number,
  plotWidth: number,
): MarkerGroup[] {
  const groups = new Map<string, MarkerGroup>();
  for (const event of events) {
    const x = xOf(event);
    if (x < -CULL_MARGIN_PX || x > plotWidth + CULL_MARGIN_PX) continue;
    const key = `${Math.round(x)} ${event.kind}`;
    const group = groups.get(key);
    if (group) group.count++;
    else groups.set(key, { event, x, count: 1 });
  }
  return [...groups.values()];
}

/**
 * Merges runs of narrow spans at the same nesting depth that touch or
 * overlap into one rectangle each; wide spans are kept as they are.
 * `startX` and `endX` give a span's pixel edges in a plot `plotWidth` wide.
 */
export function groupSpans(
  spans: readonly PhaseSpan[],
  startX: (span: PhaseSpan) => number,
  endX: (span: PhaseSpan) => number,
  plotWidth: number,
): SpanGroup[] {
  const groups: SpanGroup[] = [];
  const openNarrowByDepth = new Map<number, SpanGroup>();
  for (const span of spans) {
    const x = startX(span);
    const right = endX(span);
    if (right < -CULL_MARGIN_PX || x > plotWidth + CULL_MARGIN_PX) continue;
    const width = Math.max(right - x, NARROW_SPAN_PX);
    const isNarrow = right - x < NARROW_SPAN_PX;
    const open = openNarrowByDepth.get(span.depth);
    if (isNarrow && open && x <= open.x + open.width + 1) {
      open.width = Math.max(open.width, x + width - open.x);
      open.count++;
      continue;
    }
    const group: SpanGroup = { span, x, width, count: 1 };
    groups.push(group);
    if (isNarrow) openNarrowByDepth.set(span.depth, group);
    else openNarrowByDepth.delete(span.depth);
  }
  return groups;
}

/**
 * Does what groupMarkers does for `events[from..to)` sorted by axis
 * value, where `values[i]` is the value of `events[i]` and `toX` maps a
 * value to its pixel offset. A column, once passed, never comes back, so
 * each kind only needs its latest group and no per-event key string is
 * built.
 */
export function groupSortedMarkers(
  events: readonly TraceEvent[],
  values: ArrayLike<number>,
  from: number,
  to: number,
  toX: (value: number) => number,
  plotWidth: number,
): MarkerGroup[] {
  const groups: MarkerGroup[] = [];
  const latest = new Map<TraceEvent["kind"], MarkerGroup>();
  for (let index = from; index < to; index++) {
    const x = toX(values[index]);
    if (x < -CULL_MARGIN_PX || x > plotWidth + CULL_MARGIN_PX) continue;
    const event = events[index];
    const column = Math.round(x);
    const last = latest.get(event.kind);
    if (last && Math.round(last.x) === column) {
      last.count++;
      continue;
    }
    const group = { event, x, count: 1 };
    groups.push(group);
    latest.set(event.kind, group);
  }
  return groups;
}
