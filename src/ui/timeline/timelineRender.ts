/**
 * Draws a TimelineModel on a 2D canvas and returns the hit areas the
 * hover tooltip looks up. Canvas (not DOM nodes) and thinning by pixel
 * column keep traces with a million events cheap to draw.
 */
import type { TimeCause, TraceEvent } from "../../engine/trace/events";
import { buildCachedTimeLine, REFRESH_STYLES, type RefreshMark } from "./timelineCachedTime";
import type { PhaseSpan, SpanKind, TimelineLane, TimelineModel } from "./timelineModel";
import { markerStyle } from "./timelineMarkers";
import { markerWidth, RUN_GAP_PX, traceMarkerRun } from "./timelineMarkerRuns";
import {
  buildTimelineIndex,
  lowerBound,
  upperBound,
  type PlacedRow,
  type SortedRow,
  AXIS_HEIGHT,
  LANE_GAP,
  LANE_HEADER_HEIGHT,
  ROW_HEIGHT,
} from "./timelineIndex";
import {
  CULL_MARGIN_PX,
  groupSortedMarkers,
  groupSpans,
  type MarkerGroup,
  type SpanGroup,
} from "./timelineThinning";
import { axisTicks, toPixel, type Viewport } from "./timelineViewport";

/** The x axis unit: virtual ms, or event order (sequence number). */
export type AxisMode = "time" | "order";

/** A rectangle of the drawing and the text its tooltip shows. */
export interface HitArea {
  x: number;
  y: number;
  width: number;
  height: number;
  text: string;
  /** The event a click selects (a span's phase-start). */
  event?: TraceEvent;
}

export const LABEL_WIDTH = 170;
export { AXIS_HEIGHT, LANE_GAP, LANE_HEADER_HEIGHT, ROW_HEIGHT };

export const PHASE_COLORS: Record<SpanKind, string> = {
  init: "#8e6c8a",
  init_worker: "#b07aa1",
  set: "#9c755f",
  rewrite: "#4e79a7",
  access: "#59a14f",
  content: "#f28e2b",
  header_filter: "#76b7b2",
  body_filter: "#edc948",
  log: "#bab0ac",
  timer: "#e15759",
  "light thread": "#86bcb6",
};

/** The result of one drawing: hover areas and how much was thinned. */
export interface TimelineDrawing {
  hits: HitArea[];
  /** Events and phase spans in view that share a mark with others. */
  thinnedCount: number;
  /** Marks and rectangles that stand for more than one of those. */
  thinnedMarks: number;
}

/**
 * Height of the whole drawing (axis, every lane and row) in CSS pixels;
 * the canvas shows a window of it that scrolls vertically.
 */
export function timelineHeight(model: TimelineModel): number {
  return buildTimelineIndex(model).contentHeight;
}

function axisValue(event: TraceEvent, mode: AxisMode): number {
  return mode === "time" ? event.time : event.seq;
}

/** Formats an event as one line of tooltip details. */
export function describeEvent(event: TraceEvent): string {
  const { seq: _seq, time, pid, connection, source, kind, ...rest } = event;
  const where = source ? ` at ${source.chunkName}:${source.line}` : "";
  const request = connection === undefined ? "" : ` *${connection}`;
  const details = Object.entries(rest)
    .map(([key, value]) => `${key}=${JSON.stringify(value)}`)
    .join(" ");
  return `${time.toFixed(3)} ms  ${kind}  pid ${pid}${request}${where}  ${details}`;
}

interface DrawContext {
  ctx: CanvasRenderingContext2D;
  view: Viewport;
  mode: AxisMode;
  plotWidth: number;
  hits: HitArea[];
  thinnedCount: number;
  thinnedMarks: number;
}

/** Pixel offset of `value` inside the plot (label column excluded). */
function plotX(draw: DrawContext, value: number): number {
  return toPixel(draw.view, value, draw.plotWidth);
}

function xOf(draw: DrawContext, value: number): number {
  return LABEL_WIDTH + plotX(draw, value);
}

function countThinned(draw: DrawContext, count: number): void {
  if (count < 2) return;
  draw.thinnedCount += count;
  draw.thinnedMarks++;
}

function drawAxis(draw: DrawContext, height: number): void {
  const { ctx } = draw;
  ctx.fillStyle = "#f3f3f3";
  ctx.fillRect(0, 0, LABEL_WIDTH + draw.plotWidth, AXIS_HEIGHT);
  ctx.font = "11px system-ui, sans-serif";
  ctx.textBaseline = "middle";
  const unit = draw.mode === "time" ? " ms" : "";
  for (const tick of axisTicks(draw.view, draw.plotWidth)) {
    const x = xOf(draw, tick);
    ctx.strokeStyle = "#e4e4e4";
    ctx.beginPath();
    ctx.moveTo(x, AXIS_HEIGHT);
    ctx.lineTo(x, height);
    ctx.stroke();
    ctx.fillStyle = "#444";
    ctx.fillText(`${tick}${unit}`, x + 3, AXIS_HEIGHT / 2);
  }
}

function spanEndValue(span: PhaseSpan, draw: DrawContext, endValue: number): number {
  return span.end ? axisValue(span.end, draw.mode) : endValue;
}

function spanText(group: SpanGroup): string {
  const { span, count } = group;
  if (count > 1) {
    return (
      `${count} phase spans drawn as one at this zoom, ` +
      `the first: ${span.phase}\nzoom in to see each one`
    );
  }
  if (span.phase === "light thread") {
    const outcome = span.end?.kind === "thread-exit" ? ` -> ${span.end.outcome}` : " (not finished)";
    return `light thread${outcome}\nstart: ${describeEvent(span.start)}`;
  }
  const result =
    span.end && span.end.kind === "phase-end" ? ` -> ${span.end.result}` : " (not finished)";
  return `phase ${span.phase}${result}\nstart: ${describeEvent(span.start)}`;
}

function drawSpan(draw: DrawContext, group: SpanGroup, y: number): void {
  const { ctx } = draw;
  const { span } = group;
  const start = LABEL_WIDTH + group.x;
  const width = group.width;
  // A nested phase leaves the top of its enclosing span visible.
  const top = y + 3 + Math.min(span.depth, 2) * 5;
  const barHeight = y + ROW_HEIGHT - 3 - top;
  ctx.fillStyle = PHASE_COLORS[span.phase];
  ctx.fillRect(start, top, width, barHeight);
  if (width > 30 && group.count === 1) {
    ctx.save();
    ctx.beginPath();
    ctx.rect(start, y, width, ROW_HEIGHT);
    ctx.clip();
    ctx.fillStyle = "#111";
    ctx.fillText(span.phase, start + 3, top + barHeight / 2);
    ctx.restore();
  }
  countThinned(draw, group.count);
  draw.hits.push({
    x: start,
    y: top,
    width,
    height: barHeight,
    get text() {
      return spanText(group);
    },
    event: span.start,
  });
}

function markerText(group: MarkerGroup): string {
  if (group.count === 1) return describeEvent(group.event);
  return (
    `${group.count} ${group.event.kind} events drawn as one mark at this zoom\n` +
    `the first: ${describeEvent(group.event)}\nzoom in to see each one`
  );
}

/**
 * Draws a row's marker groups with one path per event kind, merging marks
 * of a kind in neighbouring pixel columns into one shape, since a path of
 * thousands of small shapes is what made dense rows slow. Hit areas stay
 * one per group, in drawing order.
 */
function drawMarkers(draw: DrawContext, groups: readonly MarkerGroup[], y: number): void {
  const { ctx } = draw;
  const middle = y + ROW_HEIGHT / 2;
  const byKind = new Map<TraceEvent["kind"], number[]>();
  for (const group of groups) {
    const x = LABEL_WIDTH + group.x;
    const list = byKind.get(group.event.kind);
    if (list) list.push(x);
    else byKind.set(group.event.kind, [x]);
    countThinned(draw, group.count);
    draw.hits.push(new MarkerHit(x - 4, middle - 6, group));
  }
  for (const [kind, xs] of byKind) {
    const style = markerStyle(kind);
    ctx.beginPath();
    if (style.shape === "ring") {
      // Rings are hollow, so a run of them is not a stretched ring.
      for (const x of xs) traceMarkerRun(ctx, kind, x, x, middle);
      ctx.strokeStyle = style.color;
      ctx.lineWidth = 1.5;
      ctx.stroke();
      ctx.lineWidth = 1;
      continue;
    }
    xs.sort((a, b) => a - b);
    const maxGap = Math.min(RUN_GAP_PX, markerWidth(style.shape));
    let from = xs[0];
    let to = xs[0];
    for (const x of xs) {
      if (x - to > maxGap) {
        traceMarkerRun(ctx, kind, from, to, middle);
        from = x;
      }
      to = x;
    }
    traceMarkerRun(ctx, kind, from, to, middle);
    ctx.fillStyle = style.color;
    ctx.fill();
  }
}

/** A marker's hover area; its text is only built when it is shown. */
class MarkerHit implements HitArea {
  readonly width = 8;
  readonly height = 12;
  readonly event: TraceEvent;

  constructor(
    readonly x: number,
    readonly y: number,
    private readonly group: MarkerGroup,
  ) {
    this.event = group.event;
  }

  get text(): string {
    return markerText(this.group);
  }
}

/** Computes the axis range [low, high] of the plot and its cull margin. */
function visibleRange(draw: DrawContext): { low: number; high: number } {
  const margin = (CULL_MARGIN_PX / draw.plotWidth) * (draw.view.end - draw.view.start);
  return { low: draw.view.start - margin, high: draw.view.end + margin };
}

function drawLinks(draw: DrawContext, sorted: SortedRow, y: number): void {
  const { ctx } = draw;
  const { low, high } = visibleRange(draw);
  const first = lowerBound(sorted.linkMaxTos, low);
  const last = upperBound(sorted.linkFroms, high);
  const drawn = new Set<number>();
  ctx.strokeStyle = "#333";
  ctx.beginPath();
  for (let index = first; index < last; index++) {
    const link = sorted.links[index];
    const from = Math.round(xOf(draw, axisValue(link.from, draw.mode)));
    const to = Math.round(xOf(draw, axisValue(link.to, draw.mode)));
    const isOutside = to < LABEL_WIDTH || from > LABEL_WIDTH + draw.plotWidth;
    // Links that land on the same pixels draw the same line.
    const key = from * 1_000_000 + to;
    if (isOutside || drawn.has(key)) continue;
    drawn.add(key);
    ctx.moveTo(from, y + 2);
    ctx.lineTo(to, y + 2);
  }
  ctx.stroke();
}

function drawRow(draw: DrawContext, placed: PlacedRow, y: number, endValue: number): void {
  const { ctx } = draw;
  const sorted = placed.byMode[draw.mode];
  const { low, high } = visibleRange(draw);
  ctx.save();
  ctx.beginPath();
  ctx.rect(LABEL_WIDTH, y, draw.plotWidth, ROW_HEIGHT);
  ctx.clip();
  const spanFirst = lowerBound(sorted.spanMaxEnds, low);
  const spanLast = upperBound(sorted.spanStarts, high);
  const spans = groupSpans(
    sorted.spans.slice(spanFirst, Math.max(spanFirst, spanLast)),
    (span) => plotX(draw, axisValue(span.start, draw.mode)),
    (span) => plotX(draw, spanEndValue(span, draw, endValue)),
    draw.plotWidth,
  );
  for (const group of spans) drawSpan(draw, group, y);
  drawLinks(draw, sorted, y);
  const { start, end } = draw.view;
  const scale = draw.plotWidth / (end - start);
  const markers = groupSortedMarkers(
    sorted.markers,
    sorted.markerValues,
    lowerBound(sorted.markerValues, low),
    upperBound(sorted.markerValues, high),
    (value) => (value - start) * scale,
    draw.plotWidth,
  );
  drawMarkers(draw, markers, y);
  ctx.restore();
  ctx.fillStyle = "#555";
  ctx.fillText(placed.row.label, 16, y + ROW_HEIGHT / 2, LABEL_WIDTH - 20);
}

/** Vertical padding of the cached-time line inside the lane header. */
const CACHED_TIME_PAD = 4;

/**
 * Maps cached times to y pixels in a lane header at `y`. In time mode the
 * y scale equals the x scale, so the process clock is the diagonal and the
 * gap below it is how stale ngx.now() is; in order mode the lane's own
 * range of cached times fills the row.
 */
function cachedTimeScale(draw: DrawContext, lane: TimelineLane, y: number) {
  const bottom = y + LANE_HEADER_HEIGHT - CACHED_TIME_PAD;
  const height = LANE_HEADER_HEIGHT - 2 * CACHED_TIME_PAD;
  let low = draw.view.start;
  let high = draw.view.end;
  if (draw.mode === "order") {
    low = lane.cachedTimes[0]?.cachedTime ?? 0;
    high = lane.cachedTimes[lane.cachedTimes.length - 1]?.cachedTime ?? 1;
  }
  const range = Math.max(high - low, 1e-9);
  return (value: number) => {
    const clamped = Math.min(Math.max(value, low), high);
    return bottom - ((clamped - low) / range) * height;
  };
}

function refreshText(update: TraceEvent & { kind: "cached-time-update" }, count: number): string {
  const head = `ngx.now() cache refreshed to ${update.cachedTime} ms (${update.cause})`;
  if (count === 1) return `${head}\n${describeEvent(update)}`;
  return `${count} refreshes drawn as one at this zoom, the first: ${head}`;
}

/**
 * Draws the refresh marks with one path per cause (a fill per mark is
 * slow when every pixel column has one) and records their hit areas.
 */
function drawRefreshMarks(draw: DrawContext, marks: readonly RefreshMark[]): void {
  const { ctx } = draw;
  for (const cause of Object.keys(REFRESH_STYLES) as TimeCause[]) {
    ctx.fillStyle = REFRESH_STYLES[cause].color;
    ctx.beginPath();
    for (const mark of marks) {
      if (mark.update.cause !== cause) continue;
      if (cause === "update_time") {
        ctx.moveTo(mark.x, mark.y - 5);
        ctx.lineTo(mark.x + 4, mark.y + 2);
        ctx.lineTo(mark.x - 4, mark.y + 2);
        ctx.closePath();
      } else {
        ctx.moveTo(mark.x + 2.5, mark.y);
        ctx.arc(mark.x, mark.y, 2.5, 0, Math.PI * 2);
      }
    }
    ctx.fill();
  }
  for (const mark of marks) {
    countThinned(draw, mark.count);
    draw.hits.push(new RefreshHit(mark));
  }
}

/** A refresh mark's hover area; its text is only built when it is shown. */
class RefreshHit implements HitArea {
  readonly x: number;
  readonly y: number;
  readonly width = 8;
  readonly height = 10;
  readonly event: TraceEvent;

  constructor(private readonly mark: RefreshMark) {
    this.x = mark.x - 4;
    this.y = mark.y - 5;
    this.event = mark.update;
  }

  get text(): string {
    return refreshText(this.mark.update, this.mark.count);
  }
}

/** Draws a lane's cached-time step line and its refresh marks. */
function drawCachedTime(draw: DrawContext, lane: TimelineLane, y: number, endValue: number): void {
  if (lane.cachedTimes.length === 0) return;
  const { ctx } = draw;
  const valueToY = cachedTimeScale(draw, lane, y);
  ctx.save();
  ctx.beginPath();
  ctx.rect(LABEL_WIDTH, y, draw.plotWidth, LANE_HEADER_HEIGHT);
  ctx.clip();
  if (draw.mode === "time") {
    ctx.strokeStyle = "#d0d0d0";
    ctx.setLineDash([3, 3]);
    ctx.beginPath();
    ctx.moveTo(LABEL_WIDTH, valueToY(draw.view.start));
    ctx.lineTo(LABEL_WIDTH + draw.plotWidth, valueToY(draw.view.end));
    ctx.stroke();
    ctx.setLineDash([]);
  }
  const line = buildCachedTimeLine(
    lane.cachedTimes,
    (event) => axisValue(event, draw.mode),
    (value) => xOf(draw, value),
    valueToY,
    draw.view,
    endValue,
  );
  ctx.strokeStyle = "#1f77b4";
  ctx.lineWidth = 1.5;
  ctx.beginPath();
  line.vertices.forEach(({ x, y: vy }, index) =>
    index === 0 ? ctx.moveTo(x, vy) : ctx.lineTo(x, vy),
  );
  ctx.stroke();
  ctx.lineWidth = 1;
  drawRefreshMarks(draw, line.marks);
  ctx.restore();
}

/** Draws the playback cursor: a line through every lane at its event. */
function drawCursor(draw: DrawContext, event: TraceEvent, height: number): void {
  const x = xOf(draw, axisValue(event, draw.mode));
  if (x < LABEL_WIDTH || x > LABEL_WIDTH + draw.plotWidth) return;
  const { ctx } = draw;
  ctx.strokeStyle = "#c00000";
  ctx.lineWidth = 1.5;
  ctx.beginPath();
  ctx.moveTo(x, AXIS_HEIGHT);
  ctx.lineTo(x, height);
  ctx.stroke();
  ctx.lineWidth = 1;
  ctx.fillStyle = "#c00000";
  ctx.beginPath();
  ctx.moveTo(x - 5, AXIS_HEIGHT - 6);
  ctx.lineTo(x + 5, AXIS_HEIGHT - 6);
  ctx.lineTo(x, AXIS_HEIGHT);
  ctx.closePath();
  ctx.fill();
}

/** Draws a lane's label and cached-time line with its header at `y`. */
function drawLaneHeader(draw: DrawContext, lane: TimelineLane, y: number, endValue: number) {
  const { ctx } = draw;
  ctx.fillStyle = "#222";
  ctx.font = "bold 12px system-ui, sans-serif";
  ctx.fillText(lane.label, 6, y + ROW_HEIGHT / 2);
  ctx.font = "11px system-ui, sans-serif";
  if (lane.cachedTimes.length > 0) {
    ctx.fillStyle = "#1f77b4";
    ctx.fillText("ngx.now()", 16, y + LANE_HEADER_HEIGHT - 8);
  }
  drawCachedTime(draw, lane, y, endValue);
}

/**
 * Draws the rows in view of a canvas `size` that shows the drawing from
 * `scrollTop` pixels below its top, keeping the axis pinned, and the
 * playback cursor at `cursor`, if any. Rows and lane headers outside the
 * canvas are skipped; later hit areas are on top of earlier ones, and
 * they are in canvas coordinates.
 */
export function drawTimeline(
  ctx: CanvasRenderingContext2D,
  model: TimelineModel,
  view: Viewport,
  mode: AxisMode,
  size: { width: number; height: number },
  cursor: TraceEvent | null = null,
  scrollTop = 0,
): TimelineDrawing {
  const draw: DrawContext = {
    ctx,
    view,
    mode,
    plotWidth: size.width - LABEL_WIDTH,
    hits: [],
    thinnedCount: 0,
    thinnedMarks: 0,
  };
  const index = buildTimelineIndex(model);
  ctx.clearRect(0, 0, size.width, size.height);
  ctx.font = "11px system-ui, sans-serif";
  ctx.textBaseline = "middle";
  drawAxis(draw, size.height);
  const endValue = mode === "time" ? model.endTime : model.eventCount;
  ctx.save();
  ctx.beginPath();
  ctx.rect(0, AXIS_HEIGHT, size.width, size.height - AXIS_HEIGHT);
  ctx.clip();
  const isInView = (top: number, height: number) =>
    top - scrollTop + height > AXIS_HEIGHT && top - scrollTop < size.height;
  index.lanes.forEach((placedLane, laneIndex) => {
    const lane = model.lanes[laneIndex];
    if (isInView(placedLane.headerTop, LANE_HEADER_HEIGHT)) {
      drawLaneHeader(draw, lane, placedLane.headerTop - scrollTop, endValue);
    }
    const rows = placedLane.rows;
    if (rows.length === 0) return;
    // Rows are ROW_HEIGHT apart, so the ones in view follow from the offset.
    const firstTop = rows[0].top;
    const first = Math.max(0, Math.floor((scrollTop + AXIS_HEIGHT - firstTop) / ROW_HEIGHT));
    const last = Math.min(rows.length, Math.ceil((scrollTop + size.height - firstTop) / ROW_HEIGHT));
    for (let row = first; row < last; row++) {
      drawRow(draw, rows[row], rows[row].top - scrollTop, endValue);
    }
  });
  ctx.restore();
  if (cursor) drawCursor(draw, cursor, size.height);
  return {
    hits: draw.hits.filter(
      (hit) => hit.x + hit.width >= LABEL_WIDTH && hit.y + hit.height >= AXIS_HEIGHT,
    ),
    thinnedCount: draw.thinnedCount,
    thinnedMarks: draw.thinnedMarks,
  };
}
