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

/** A phase from phase-start to phase-end (or to the end of the run). */
export interface PhaseSpan {
  phase: PhaseName;
  start: TraceEvent;
  /** null when the phase never ended before the run stopped. */
  end: TraceEvent | null;
  /** How many phases of the row were open when it started (filters that
   * ngx.say runs inside content are at depth 1). */
  depth: number;
}

/** One row: process-level events (connection null) or one request. */
export interface TimelineRow {
  connection: number | null;
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
]);

function processLabel(kind: ProcessKind, workerId: number | null, pid: number): string {
  const name = kind === "worker" && workerId !== null ? `worker ${workerId}` : kind;
  return `${name} (${pid})`;
}

/**
 * The row an event belongs to: its request's connection, or for a timer's
 * callback a row of its own, keyed by the negated timer id.
 */
function rowKey(event: TraceEvent): number | null {
  if (event.connection !== undefined) return event.connection;
  if (event.timerId !== undefined) return -event.timerId;
  return null;
}

function rowFor(lane: TimelineLane, connection: number | null): TimelineRow {
  let row = lane.rows.find((candidate) => candidate.connection === connection);
  if (!row) {
    const label =
      connection === null
        ? "process"
        : connection < 0
          ? `timer ${-connection}`
          : `request *${connection}`;
    row = { connection, label, spans: [], markers: [], links: [] };
    lane.rows.push(row);
  }
  return row;
}

/** Builds the lanes, rows, spans, markers and links of a trace. */
export function buildTimelineModel(trace: readonly TraceEvent[], endTime: number): TimelineModel {
  const lanes = new Map<number, TimelineLane>();
  const openPhases = new Map<TimelineRow, PhaseSpan[]>();
  const openYields = new Map<TimelineRow, TraceEvent>();

  const laneFor = (pid: number) => {
    let lane = lanes.get(pid);
    if (!lane) {
      lane = { pid, label: `process (${pid})`, rows: [], cachedTimes: [] };
      lanes.set(pid, lane);
    }
    return lane;
  };

  for (const event of trace) {
    const lane = laneFor(event.pid);
    if (event.kind === "process-start") {
      lane.label = processLabel(event.process, event.workerId, event.pid);
      continue;
    }
    const row = rowFor(lane, rowKey(event));
    if (event.kind === "request-start") row.label = `*${event.connection} ${event.method} ${event.uri}`;
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
    lane.rows.sort((a, b) => (a.connection ?? -1) - (b.connection ?? -1));
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
export function phasesShown(model: TimelineModel): PhaseName[] {
  const phases: PhaseName[] = [];
  for (const lane of model.lanes) {
    for (const row of lane.rows) {
      for (const span of row.spans) {
        if (!phases.includes(span.phase)) phases.push(span.phase);
      }
    }
  }
  return phases;
}
