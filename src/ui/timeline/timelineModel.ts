/**
 * Turns the trace into what the timeline draws: one lane per process, one
 * row per request (connection) inside a lane, phase spans, point markers
 * and yield-to-resume links. Pure, so it is tested without a canvas.
 */
import type { CachedTimeUpdate } from "./timelineCachedTime";
import type {
  PhaseName,
  ProcessKind,
  TraceEvent,
} from "../../engine/trace/events";

/** The content of a span: a phase, or a light thread's life. */
export type SpanKind = PhaseName | "light thread";

/**
 * A phase from phase-start to phase-end (or to the end of the run), or a
 * light thread from ngx.thread.spawn to its end.
 */
export interface PhaseSpan {
  phase: SpanKind;
  start: TraceEvent;
  /** null when the phase never ended before the run stopped. */
  end: TraceEvent | null;
  /** How many phases of the row were open when it started (filters that
   * ngx.say runs inside content are at depth 1). */
  depth: number;
}

/**
 * One row: process-level events (connection null), one request, one
 * timer callback (negative connection), or, under a request or timer, one
 * of its subrequests or light threads.
 */
export interface TimelineRow {
  /** Identifies the row within its lane. */
  key: string;
  /** Groups a request's or timer's rows together; null for the process row. */
  connection: number | null;
  /** 0 for the request or timer itself; its sub-rows count up from 1. */
  subIndex: number;
  label: string;
  spans: PhaseSpan[];
  markers: TraceEvent[];
  /** Each yield paired with the resume that followed it. */
  links: Array<{ from: TraceEvent; to: TraceEvent }>;
}

/** One process and its rows. */
export interface TimelineLane {
  pid: number;
  label: string;
  rows: TimelineRow[];
  /** The process's cached-time refreshes, in trace order. */
  cachedTimes: CachedTimeUpdate[];
}

export interface TimelineModel {
  lanes: TimelineLane[];
  /** Virtual ms range worth showing first: where events happen. */
  activeRange: { start: number; end: number };
  endTime: number;
  /** How many events; the x axis in event-order mode. */
  eventCount: number;
}

/** Event kinds drawn as point markers (phases are spans instead). */
export const MARKER_KINDS = new Set<TraceEvent["kind"]>([
  "race",
  "yield",
  "resume",
  "sleep",
  "shdict",
  "log",
  "cached-time-update",
  "timer-scheduled",
  "timer-fired",
  "request-start",
  "request-end",
  "response-header",
  "response-body",
  "process-exit",
  "thread-spawn",
  "thread-exit",
  "subrequest-start",
  "subrequest-end",
]);

function processLabel(kind: ProcessKind, workerId: number | null, pid: number): string {
  const name = kind === "worker" && workerId !== null ? `worker ${workerId}` : kind;
  return `${name} (${pid})`;
}

/** The row of a request, a subrequest or a timer callback, before light threads. */
function baseRow(event: TraceEvent): { key: string; connection: number | null; label: string } {
  if (event.connection !== undefined) {
    const request = `*${event.connection}`;
    if (event.subrequest === undefined) {
      return { key: `c${event.connection}`, connection: event.connection, label: `request ${request}` };
    }
    return {
      key: `c${event.connection}/s${event.subrequest}`,
      connection: event.connection,
      label: `${request} subrequest ${event.subrequest}`,
    };
  }
  // A timer callback's rows are keyed by the negated timer id.
  if (event.timerId !== undefined) {
    return { key: `t${event.timerId}`, connection: -event.timerId, label: `timer ${event.timerId}` };
  }
  return { key: "p", connection: null, label: "process" };
}

/** Names the request or timer a sub-row belongs to. */
function ownerName(row: TimelineRow): string {
  if (row.connection === null) return "process";
  return row.connection < 0 ? `timer ${-row.connection}` : `*${row.connection}`;
}

/** A lane's rows by key and how many each request or timer has, while building. */
interface LaneRows {
  byKey: Map<string, TimelineRow>;
  countByConnection: Map<number | null, number>;
}

/** Finds or adds the row `key` of a lane. Maps, not scans: a trace can hold thousands of rows. */
function rowFor(
  lane: TimelineLane,
  index: LaneRows,
  key: string,
  connection: number | null,
  label: string,
): TimelineRow {
  let row = index.byKey.get(key);
  if (!row) {
    const subIndex = index.countByConnection.get(connection) ?? 0;
    index.countByConnection.set(connection, subIndex + 1);
    row = { key, connection, subIndex, label, spans: [], markers: [], links: [] };
    lane.rows.push(row);
    index.byKey.set(key, row);
  }
  return row;
}

/**
 * Orders a lane's rows: the process row, then requests by connection, then
 * timer callbacks by timer id (their rows have negated ids).
 */
function rowOrder(row: TimelineRow): number {
  if (row.connection === null) return -1;
  return row.connection >= 0 ? row.connection : TIMER_ROWS_AFTER - row.connection;
}

/** Timer rows sort after every request row (connection numbers stay below this). */
const TIMER_ROWS_AFTER = 1e9;

/** Builds the lanes, rows, spans, markers and links of a trace. */
export function buildTimelineModel(trace: readonly TraceEvent[], endTime: number): TimelineModel {
  const lanes = new Map<number, TimelineLane>();
  const openPhases = new Map<TimelineRow, PhaseSpan[]>();
  const openYields = new Map<TimelineRow, TraceEvent>();
  /** Each light thread's row and open span, by pid and coroutine number. */
  const lightThreads = new Map<string, { row: TimelineRow; span: PhaseSpan }>();

  const rowIndexes = new Map<TimelineLane, LaneRows>();
  const laneFor = (pid: number) => {
    let lane = lanes.get(pid);
    if (!lane) {
      lane = { pid, label: `process (${pid})`, rows: [], cachedTimes: [] };
      lanes.set(pid, lane);
      rowIndexes.set(lane, { byKey: new Map(), countByConnection: new Map() });
    }
    return lane;
  };

  for (const event of trace) {
    const lane = laneFor(event.pid);
    if (event.kind === "process-start") {
      lane.label = processLabel(event.process, event.workerId, event.pid);
      continue;
    }
    const base = baseRow(event);
    const light =
      event.thread === undefined ? undefined : lightThreads.get(`${event.pid}/${event.thread}`);
    const rows = rowIndexes.get(lane)!;
    const row = light?.row ?? rowFor(lane, rows, base.key, base.connection, base.label);
    if (event.kind === "request-start") row.label = `*${event.connection} ${event.method} ${event.uri}`;
    if (event.kind === "subrequest-start") row.label = `*${event.connection} sr ${event.uri}`;
    if (event.kind === "thread-spawn") {
      const child = rowFor(
        lane,
        rows,
        `${row.key}/l${event.child}`,
        row.connection,
        `${ownerName(row)} light thread ${event.child}`,
      );
      const span: PhaseSpan = { phase: "light thread", start: event, end: null, depth: 0 };
      child.spans.push(span);
      lightThreads.set(`${event.pid}/${event.child}`, { row: child, span });
    }
    if (event.kind === "thread-exit" && light) light.span.end = event;
    if (event.kind === "phase-start") {
      const open = openPhases.get(row) ?? [];
      const span: PhaseSpan = {
        phase: event.phase,
        start: event,
        end: null,
        depth: open.length,
      };
      row.spans.push(span);
      open.push(span);
      openPhases.set(row, open);
      continue;
    }
    if (event.kind === "phase-end") {
      const open = openPhases.get(row) ?? [];
      let index = open.length - 1;
      while (index >= 0 && open[index].phase !== event.phase) index--;
      if (index >= 0) {
        open[index].end = event;
        open.splice(index, 1);
      }
      continue;
    }
    if (event.kind === "cached-time-update") lane.cachedTimes.push(event);
    if (MARKER_KINDS.has(event.kind)) row.markers.push(event);
    if (event.kind === "yield") openYields.set(row, event);
    if (event.kind === "resume") {
      const from = openYields.get(row);
      if (from) row.links.push({ from, to: event });
      openYields.delete(row);
    }
  }

  const sortedLanes = [...lanes.values()];
  for (const lane of sortedLanes) {
    lane.rows.sort((a, b) => rowOrder(a) - rowOrder(b) || a.subIndex - b.subIndex);
  }
  return {
    lanes: sortedLanes,
    activeRange: activeRange(trace, endTime),
    endTime,
    eventCount: trace.length,
  };
}

/** The narrowest range Fit frames, in virtual ms (10 ns). */
const MIN_ACTIVE_SPAN = 0.00001;

/** The margin Fit leaves on each side, as a fraction of the event range. */
const FIT_MARGIN = 0.03;

/**
 * Computes the range from the first to the last event (process start-up
 * left out) with a small margin on each side. A loop, not Math.min over a
 * spread, because a trace can hold a million events.
 */
export function activeRange(
  trace: readonly TraceEvent[],
  endTime: number,
): { start: number; end: number } {
  let first = Infinity;
  let last = -Infinity;
  for (const event of trace) {
    if (event.kind === "process-start") continue;
    if (event.time < first) first = event.time;
    if (event.time > last) last = event.time;
  }
  if (first > last) return { start: 0, end: Math.max(endTime, 1) };
  const span = Math.max(last - first, MIN_ACTIVE_SPAN);
  const margin = span * FIT_MARGIN;
  return { start: first - margin, end: first + span + margin };
}

/** Lists the phase names that have spans, in order of first appearance. */
export function phasesShown(model: TimelineModel): SpanKind[] {
  const phases: SpanKind[] = [];
  for (const lane of model.lanes) {
    for (const row of lane.rows) {
      for (const span of row.spans) {
        if (!phases.includes(span.phase)) phases.push(span.phase);
      }
    }
  }
  return phases;
}
