/**
 * Draws a TimelineModel on a 2D canvas and returns the hit areas the
 * hover tooltip looks up. Canvas (not DOM nodes) keeps traces with
 * thousands of events cheap to draw.
 */
import type { PhaseName, TraceEvent } from "../../engine/trace/events";
import type { TimelineModel } from "./timelineModel";
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

const MARKER_COLORS: Partial<Record<TraceEvent["kind"], string>> = {
  yield: "#d62728",
  resume: "#2ca02c",
  sleep: "#9467bd",
  shdict: "#17becf",
  log: "#555555",
  "cached-time-update": "#ff7f0e",
};

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
}

function xOf(draw: DrawContext, value: number): number {
  return LABEL_WIDTH + toPixel(draw.view, value, draw.plotWidth);
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

function drawSpan(draw: DrawContext, span: TimelineModel["lanes"][0]["rows"][0]["spans"][0], y: number, endValue: number): void {
  const { ctx } = draw;
  const start = xOf(draw, axisValue(span.start, draw.mode));
  const end = span.end ? xOf(draw, axisValue(span.end, draw.mode)) : xOf(draw, endValue);
  const width = Math.max(end - start, 3);
  // A nested phase leaves the top of its enclosing span visible.
  const top = y + 3 + Math.min(span.depth, 2) * 5;
  const barHeight = y + ROW_HEIGHT - 3 - top;
  ctx.fillStyle = PHASE_COLORS[span.phase];
  ctx.fillRect(start, top, width, barHeight);
  if (width > 30) {
    ctx.save();
    ctx.beginPath();
    ctx.rect(start, y, width, ROW_HEIGHT);
    ctx.clip();
    ctx.fillStyle = "#111";
    ctx.fillText(span.phase, start + 3, top + barHeight / 2);
    ctx.restore();
  }
  const result = span.end && span.end.kind === "phase-end" ? ` -> ${span.end.result}` : " (not finished)";
  draw.hits.push({
    x: start,
    y: top,
    width,
    height: barHeight,
    text: `phase ${span.phase}${result}\nstart: ${describeEvent(span.start)}`,
  });
}

function drawMarker(draw: DrawContext, event: TraceEvent, y: number): void {
  const { ctx } = draw;
  const x = xOf(draw, axisValue(event, draw.mode));
  ctx.fillStyle = MARKER_COLORS[event.kind] ?? "#333";
  const middle = y + ROW_HEIGHT / 2;
  ctx.beginPath();
  if (event.kind === "yield" || event.kind === "resume") {
    const direction = event.kind === "yield" ? -1 : 1;
    ctx.moveTo(x, middle - 6 * direction);
    ctx.lineTo(x - 4, middle);
    ctx.lineTo(x + 4, middle);
  } else {
    ctx.arc(x, middle, 3, 0, Math.PI * 2);
  }
  ctx.fill();
  draw.hits.push({ x: x - 4, y: middle - 6, width: 8, height: 12, text: describeEvent(event) });
}

/** Draws the whole timeline; returns hit areas, later ones on top. */
export function drawTimeline(
  ctx: CanvasRenderingContext2D,
  model: TimelineModel,
  view: Viewport,
  mode: AxisMode,
  size: { width: number; height: number },
): HitArea[] {
  const draw: DrawContext = { ctx, view, mode, plotWidth: size.width - LABEL_WIDTH, hits: [] };
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
      ctx.save();
      ctx.beginPath();
      ctx.rect(LABEL_WIDTH, y, draw.plotWidth, ROW_HEIGHT);
      ctx.clip();
      for (const span of row.spans) drawSpan(draw, span, y, endValue);
      ctx.strokeStyle = "#333";
      for (const link of row.links) {
        ctx.beginPath();
        ctx.moveTo(xOf(draw, axisValue(link.from, mode)), y + 2);
        ctx.lineTo(xOf(draw, axisValue(link.to, mode)), y + 2);
        ctx.stroke();
      }
      for (const event of row.markers) drawMarker(draw, event, y);
      ctx.restore();
      ctx.fillStyle = "#555";
      ctx.fillText(row.label, 16, y + ROW_HEIGHT / 2, LABEL_WIDTH - 20);
      y += ROW_HEIGHT;
    }
  }
  return draw.hits.filter((hit) => hit.x + hit.width >= LABEL_WIDTH);
}
