/**
 * Draws a TimelineModel on a 2D canvas and returns the hit areas the
 * hover tooltip looks up. Canvas (not DOM nodes) and thinning by pixel
 * column keep traces with a million events cheap to draw.
 */
import type { PhaseName, TraceEvent } from "../../engine/trace/events";
import { buildCachedTimeLine, REFRESH_STYLES } from "./timelineCachedTime";
import type { PhaseSpan, TimelineLane, TimelineModel, TimelineRow } from "./timelineModel";
import { markerPolygon, markerRadius, markerStyle } from "./timelineMarkers";
import { groupMarkers, groupSpans, type MarkerGroup, type SpanGroup } from "./timelineThinning";
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
export const AXIS_HEIGHT = 22;
export const ROW_HEIGHT = 22;
export const LANE_GAP = 8;
/** Height of a lane's first row: its label and the cached-time line. */
export const LANE_HEADER_HEIGHT = 44;

export const PHASE_COLORS: Record<PhaseName, string> = {
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
};

/** The result of one drawing: hover areas and how much was thinned. */
export interface TimelineDrawing {
  hits: HitArea[];
  /** Events and phase spans in view that share a mark with others. */
  thinnedCount: number;
  /** Marks and rectangles that stand for more than one of those. */
  thinnedMarks: number;
}

/** Total canvas height the model needs, in CSS pixels. */
export function timelineHeight(model: TimelineModel): number {
  const rows = model.lanes.reduce((sum, lane) => sum + lane.rows.length, 0);
  const lanes = model.lanes.length * (LANE_GAP + LANE_HEADER_HEIGHT);
  return AXIS_HEIGHT + rows * ROW_HEIGHT + lanes + 4;
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
    text: spanText(group),
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

function drawMarker(draw: DrawContext, group: MarkerGroup, y: number): void {
  const { ctx } = draw;
  const x = LABEL_WIDTH + group.x;
  const middle = y + ROW_HEIGHT / 2;
  const style = markerStyle(group.event.kind);
  const polygon = markerPolygon(style.shape);
  ctx.beginPath();
  if (polygon) {
    polygon.forEach(([dx, dy], index) =>
      index === 0 ? ctx.moveTo(x + dx, middle + dy) : ctx.lineTo(x + dx, middle + dy),
    );
    ctx.closePath();
  } else {
    ctx.arc(x, middle, markerRadius(style.shape), 0, Math.PI * 2);
  }
  if (style.shape === "ring") {
    ctx.strokeStyle = style.color;
    ctx.lineWidth = 1.5;
    ctx.stroke();
    ctx.lineWidth = 1;
  } else {
    ctx.fillStyle = style.color;
    ctx.fill();
  }
  countThinned(draw, group.count);
  draw.hits.push({
    x: x - 4,
    y: middle - 6,
    width: 8,
    height: 12,
    text: markerText(group),
    event: group.event,
  });
}

function drawLinks(draw: DrawContext, row: TimelineRow, y: number): void {
  const { ctx } = draw;
  const drawn = new Set<string>();
  ctx.strokeStyle = "#333";
  for (const link of row.links) {
    const from = Math.round(xOf(draw, axisValue(link.from, draw.mode)));
    const to = Math.round(xOf(draw, axisValue(link.to, draw.mode)));
    const isOutside = to < LABEL_WIDTH || from > LABEL_WIDTH + draw.plotWidth;
    // Links that land on the same pixels draw the same line.
    if (isOutside || drawn.has(`${from} ${to}`)) continue;
    drawn.add(`${from} ${to}`);
    ctx.beginPath();
    ctx.moveTo(from, y + 2);
    ctx.lineTo(to, y + 2);
    ctx.stroke();
  }
}

function drawRow(draw: DrawContext, row: TimelineRow, y: number, endValue: number): void {
  const { ctx } = draw;
  ctx.save();
  ctx.beginPath();
  ctx.rect(LABEL_WIDTH, y, draw.plotWidth, ROW_HEIGHT);
  ctx.clip();
  const spans = groupSpans(
    row.spans,
    (span) => plotX(draw, axisValue(span.start, draw.mode)),
    (span) => plotX(draw, spanEndValue(span, draw, endValue)),
    draw.plotWidth,
  );
  for (const group of spans) drawSpan(draw, group, y);
  drawLinks(draw, row, y);
  const markers = groupMarkers(
    row.markers,
    (event) => plotX(draw, axisValue(event, draw.mode)),
    draw.plotWidth,
  );
  for (const group of markers) drawMarker(draw, group, y);
  ctx.restore();
  ctx.fillStyle = "#555";
  ctx.fillText(row.label, 16, y + ROW_HEIGHT / 2, LABEL_WIDTH - 20);
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
  for (const mark of line.marks) {
    const style = REFRESH_STYLES[mark.update.cause];
    ctx.fillStyle = style.color;
    ctx.beginPath();
    if (mark.update.cause === "update_time") {
      ctx.moveTo(mark.x, mark.y - 5);
      ctx.lineTo(mark.x + 4, mark.y + 2);
      ctx.lineTo(mark.x - 4, mark.y + 2);
      ctx.closePath();
    } else {
      ctx.arc(mark.x, mark.y, 2.5, 0, Math.PI * 2);
    }
    ctx.fill();
    countThinned(draw, mark.count);
    draw.hits.push({
      x: mark.x - 4,
      y: mark.y - 5,
      width: 8,
      height: 10,
      text: refreshText(mark.update, mark.count),
      event: mark.update,
    });
  }
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

/**
 * Draws the whole timeline and the playback cursor at `cursor`, if any;
 * later hit areas are on top of earlier ones.
 */
export function drawTimeline(
  ctx: CanvasRenderingContext2D,
  model: TimelineModel,
  view: Viewport,
  mode: AxisMode,
  size: { width: number; height: number },
  cursor: TraceEvent | null = null,
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
  ctx.clearRect(0, 0, size.width, size.height);
  ctx.font = "11px system-ui, sans-serif";
  ctx.textBaseline = "middle";
  drawAxis(draw, size.height);
  const endValue = mode === "time" ? model.endTime : model.eventCount;
  let y = AXIS_HEIGHT;
  for (const lane of model.lanes) {
    y += LANE_GAP;
    ctx.fillStyle = "#222";
    ctx.font = "bold 12px system-ui, sans-serif";
    ctx.fillText(lane.label, 6, y + ROW_HEIGHT / 2);
    ctx.font = "11px system-ui, sans-serif";
    if (lane.cachedTimes.length > 0) {
      ctx.fillStyle = "#1f77b4";
      ctx.fillText("ngx.now()", 16, y + LANE_HEADER_HEIGHT - 8);
    }
    drawCachedTime(draw, lane, y, endValue);
    y += LANE_HEADER_HEIGHT;
    for (const row of lane.rows) {
      drawRow(draw, row, y, endValue);
      y += ROW_HEIGHT;
    }
  }
  if (cursor) drawCursor(draw, cursor, size.height);
  return {
    hits: draw.hits.filter((hit) => hit.x + hit.width >= LABEL_WIDTH),
    thinnedCount: draw.thinnedCount,
    thinnedMarks: draw.thinnedMarks,
  };
}
