import { useEffect, useMemo, useRef, useState } from "react";
import type { TraceEvent } from "../../engine/trace/events";
import { traceDigest } from "../../engine/trace/traceDigest";
import { buildTimelineModel, phasesShown } from "./timelineModel";
import {
  drawTimeline,
  LABEL_WIDTH,
  PHASE_COLORS,
  timelineHeight,
  type AxisMode,
  type HitArea,
} from "./timelineRender";
import { panBy, zoomAt, type Viewport } from "./timelineViewport";
import { MarkerLegend } from "./MarkerLegend";
import { REFRESH_STYLES } from "./timelineCachedTime";
import { PlaybackBar } from "../playback/PlaybackBar";
import { playbackStore } from "../playback/playbackStore";
import { usePlayback } from "../playback/usePlayback";

interface TimelineProps {
  trace: readonly TraceEvent[];
  endTime: number;
}

interface Tooltip {
  x: number;
  y: number;
  text: string;
}

/** A pointer that moves less than this many pixels clicks instead of panning. */
const CLICK_SLOP_PX = 3;

/**
 * The tallest the canvas gets, in CSS pixels. Taller drawings scroll
 * inside it: the canvas stays the size of the visible area and only the
 * rows in view are drawn, so thousands of requests cost no more per frame
 * than a screenful.
 */
const MAX_CANVAS_HEIGHT = 640;

function findHit(hits: readonly HitArea[], x: number, y: number): HitArea | undefined {
  for (let index = hits.length - 1; index >= 0; index--) {
    const hit = hits[index];
    const isInside =
      x >= hit.x && x <= hit.x + hit.width && y >= hit.y && y <= hit.y + hit.height;
    if (isInside) return hit;
  }
  return undefined;
}

/** Counts the cached-time refreshes by cause, as `event-loop:2,update_time:1`. */
function refreshCounts(model: ReturnType<typeof buildTimelineModel>): string {
  const counts = new Map<string, number>();
  for (const lane of model.lanes) {
    for (const update of lane.cachedTimes) {
      counts.set(update.cause, (counts.get(update.cause) ?? 0) + 1);
    }
  }
  return [...counts].map(([cause, count]) => `${cause}:${count}`).join(",");
}

/** Pans `view` so `value` is in its middle, keeping the zoom, if it is outside. */
function keepInView(view: Viewport, value: number): Viewport {
  if (value >= view.start && value <= view.end) return view;
  const span = view.end - view.start;
  return { start: value - span / 2, end: value + span / 2 };
}

function initialView(
  mode: AxisMode,
  model: ReturnType<typeof buildTimelineModel>,
): Viewport {
  if (mode === "order") return { start: -0.5, end: model.eventCount + 0.5 };
  return { ...model.activeRange };
}

/**
 * The trace as lanes of phase spans and markers with each process's
 * cached-time line and the playback cursor. The wheel zooms over the plot
 * and scrolls the rows over the label column. Drag pans, and a click on a
 * span or marker moves the cursor to its event.
 */
export function Timeline({ trace, endTime }: TimelineProps) {
  const model = useMemo(() => buildTimelineModel(trace, endTime), [trace, endTime]);
  const digest = useMemo(() => traceDigest(trace), [trace]);
  const [mode, setMode] = useState<AxisMode>("time");
  const [view, setView] = useState<Viewport>(() => initialView("time", model));
  const [width, setWidth] = useState(800);
  const [tooltip, setTooltip] = useState<Tooltip | null>(null);
  const [thinning, setThinning] = useState({ count: 0, marks: 0 });
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const hitsRef = useRef<HitArea[]>([]);
  const dragRef = useRef<{ x: number; view: Viewport } | null>(null);
  const [scrollTop, setScrollTop] = useState(0);
  const contentHeight = timelineHeight(model);
  const height = Math.min(contentHeight, MAX_CANVAS_HEIGHT);
  const refreshes = useMemo(() => refreshCounts(model), [model]);
  const cursorIndex = usePlayback((state) => state.index);
  const cursorEvent = cursorIndex >= 0 ? (trace[cursorIndex] ?? null) : null;

  useEffect(() => setView(initialView(mode, model)), [model, mode]);
  useEffect(() => playbackStore.getState().load(trace), [trace]);
  useEffect(() => {
    if (!cursorEvent) return;
    const value = mode === "time" ? cursorEvent.time : cursorEvent.seq;
    setView((current) => keepInView(current, value));
  }, [cursorEvent, mode]);

  useEffect(() => {
    const canvas = canvasRef.current;
    if (!canvas?.parentElement) return;
    const observer = new ResizeObserver(([entry]) =>
      setWidth(Math.max(LABEL_WIDTH + 100, Math.floor(entry.contentRect.width))),
    );
    observer.observe(canvas.parentElement);
    return () => observer.disconnect();
  }, []);

  useEffect(() => {
    const canvas = canvasRef.current;
    const ctx = canvas?.getContext("2d");
    if (!canvas || !ctx) return;
    const ratio = window.devicePixelRatio || 1;
    canvas.width = width * ratio;
    canvas.height = height * ratio;
    ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
    const size = { width, height };
    const drawing = drawTimeline(ctx, model, view, mode, size, cursorEvent, scrollTop);
    hitsRef.current = drawing.hits;
    setThinning((current) =>
      current.count === drawing.thinnedCount && current.marks === drawing.thinnedMarks
        ? current
        : { count: drawing.thinnedCount, marks: drawing.thinnedMarks },
    );
  }, [model, view, mode, width, height, cursorEvent, scrollTop]);

  useEffect(() => {
    const canvas = canvasRef.current;
    if (!canvas) return;
    const onWheel = (event: WheelEvent) => {
      // Over the labels the wheel scrolls the rows as the browser does.
      if (event.offsetX < LABEL_WIDTH) return;
      event.preventDefault();
      const x = event.offsetX - LABEL_WIDTH;
      const factor = event.deltaY > 0 ? 1.25 : 0.8;
      setView((current) => zoomAt(current, factor, Math.max(0, x), width - LABEL_WIDTH));
    };
    canvas.addEventListener("wheel", onWheel, { passive: false });
    return () => canvas.removeEventListener("wheel", onWheel);
  }, [width]);

  const onPointerMove = (event: React.PointerEvent<HTMLCanvasElement>) => {
    const { offsetX: x, offsetY: y } = event.nativeEvent;
    const drag = dragRef.current;
    if (drag) {
      setView(panBy(drag.view, x - drag.x, width - LABEL_WIDTH));
      return;
    }
    const found = findHit(hitsRef.current, x, y);
    setTooltip(found ? { x, y, text: found.text } : null);
  };

  const onPointerUp = (event: React.PointerEvent<HTMLCanvasElement>) => {
    const drag = dragRef.current;
    dragRef.current = null;
    const { offsetX: x, offsetY: y } = event.nativeEvent;
    if (!drag || Math.abs(x - drag.x) >= CLICK_SLOP_PX) return;
    const hit = findHit(hitsRef.current, x, y);
    if (hit?.event) playbackStore.getState().seek(hit.event.seq);
  };

  const phases = phasesShown(model);
  return (
    <section className="pane timeline-pane" data-testid="timeline-pane">
      <div className="pane-title">
        Timeline
        <span className="timeline-tools">
          <label>
            x axis{" "}
            <select
              data-testid="timeline-mode"
              value={mode}
              onChange={(event) => setMode(event.target.value as AxisMode)}
            >
              <option value="time">virtual time (ms)</option>
              <option value="order">event order</option>
            </select>
          </label>
          <button
            type="button"
            data-testid="timeline-fit"
            title="Frame the events from the first to the last"
            onClick={() => setView(initialView(mode, model))}
          >
            Fit
          </button>
          <span className="timeline-legend">
            {phases.map((phase) => (
              <span key={phase} className="legend-item">
                <i style={{ background: PHASE_COLORS[phase] }} />
                {phase}
              </span>
            ))}
          </span>
          <MarkerLegend />
          <span className="timeline-legend" data-testid="cached-time-legend">
            <span className="legend-item">
              <i className="legend-line" />
              ngx.now() (cached time; dashed: the clock)
            </span>
            {Object.entries(REFRESH_STYLES).map(([cause, style]) => (
              <span key={cause} className="legend-item">
                <i
                  style={{
                    background: style.color,
                    borderRadius: cause === "event-loop" ? "50%" : 0,
                  }}
                />
                {style.label}
              </span>
            ))}
          </span>
        </span>
      </div>
      <PlaybackBar />
      {thinning.count > 0 && (
        <div className="timeline-thinned" data-testid="timeline-thinned">
          Drawing thinned at this zoom: {thinning.count.toLocaleString("en-US")} events
          and phase spans are drawn as {thinning.marks.toLocaleString("en-US")} marks, one
          per pixel column. Every event is still in the trace; zoom in to see each one.
        </div>
      )}
      <div
        className="timeline-canvas-wrap"
        data-testid="timeline-scroll"
        style={{ maxHeight: MAX_CANVAS_HEIGHT, overflowY: "auto" }}
        onScroll={(event) => setScrollTop(event.currentTarget.scrollTop)}
      >
        <canvas
          ref={canvasRef}
          data-testid="timeline"
          data-phases={phases.join(",")}
          data-lanes={model.lanes.map((lane) => lane.label).join(",")}
          data-rows={model.lanes.flatMap((lane) => lane.rows.map((row) => row.label)).join("|")}
          data-races={trace.filter((event) => event.kind === "race").length}
          data-events={trace.length}
          data-trace-digest={digest}
          data-view-start={view.start}
          data-view-end={view.end}
          data-cursor={cursorIndex}
          data-cached-time-refreshes={refreshes}
          data-content-height={contentHeight}
          style={{ width, height, position: "sticky", top: 0 }}
          onPointerDown={(event) => {
            event.currentTarget.setPointerCapture(event.pointerId);
            dragRef.current = { x: event.nativeEvent.offsetX, view };
            setTooltip(null);
          }}
          onPointerUp={onPointerUp}
          onPointerMove={onPointerMove}
          onPointerLeave={() => setTooltip(null)}
        />
        <div style={{ height: contentHeight - height }} />
        {tooltip && (
          <pre
            className="timeline-tooltip"
            data-testid="timeline-tooltip"
            style={{ left: tooltip.x + 12, top: tooltip.y + scrollTop + 12 }}
          >
            {tooltip.text}
          </pre>
        )}
      </div>
    </section>
  );
}
