/**
 * Draws a TimelineModel on a 2D canvas and returns the hit areas the
 * hover tooltip looks up. Canvas (not DOM nodes) and thinning by pixel
 * column keep traces with a million events cheap to draw.
 */
import type { PhaseName, TraceEvent } from "../../engine/trace/events";
import type { PhaseSpan, TimelineModel, TimelineRow } from "./timelineModel";
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
}

export const LABEL_WIDTH = 170;
export const AXIS_HEIGHT = 22;
export const ROW_HEIGHT = 22;
export const LANE_GAP = 8;

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
  const rows = model.lanes.reduce((sum, lane) => sum + lane.rows.length + 1, 0);
  return AXIS_HEIGHT + rows * ROW_HEIGHT + model.lanes.length * LANE_GAP + 4;
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
  draw.hits.push({ x: start, y: top, width, height: barHeight, text: spanText(group) });
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
  draw.hits.push({ x: x - 4, y: middle - 6, width: 8, height: 12, text: markerText(group) });
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

/** Draws the whole timeline; later hit areas are on top of earlier ones. */
export function drawTimeline(
  ctx: CanvasRenderingContext2D,
  model: TimelineModel,
  view: Viewport,
  mode: AxisMode,
  size: { width: number; height: number },
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
    y += ROW_HEIGHT;
    for (const row of lane.rows) {
      drawRow(draw, row, y, endValue);
      y += ROW_HEIGHT;
    }
  }
  return {
    hits: draw.hits.filter((hit) => hit.x + hit.width >= LABEL_WIDTH),
    thinnedCount: draw.thinnedCount,
    thinnedMarks: draw.thinnedMarks,
  };
}
