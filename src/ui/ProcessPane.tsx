import { useMemo } from "react";
import type { PhaseName, TraceEvent } from "../engine/trace/events";
import { usePlayback } from "./playback/usePlayback";

/** One process of the run as the process view lists it. */
export interface ProcessRow {
  pid: number;
  kind: string;
  workerId: number | null;
  startedAt: number;
  /** Exit code, "killed", or null while it still runs at the end. */
  exit: number | "killed" | null;
  requestsServed: number;
  timersFired: number;
}

/** Exit code nginx's master reports for a worker ended by SIGKILL (128 + 9). */
const KILLED_CODE = 137;

/** Builds the process rows from a run's trace, in order of start. */
export function processRows(trace: readonly TraceEvent[]): ProcessRow[] {
  return processStatesAt(trace, trace.length - 1).map((state) => state.row);
}

/** The activity of a process at one moment of the run. */
export type ProcessActivity =
  | { kind: "not-started" }
  | { kind: "idle" }
  | { kind: "running"; work: string }
  /** Requests in flight, none running: each yielded (sleep, I/O). */
  | { kind: "waiting"; work: string[] }
  | { kind: "exited"; code: number }
  | { kind: "killed" };

/** A process at one moment: its row so far and what it does. */
export interface ProcessState {
  row: ProcessRow;
  activity: ProcessActivity;
  /** True after a reload or quit signal, when it finishes its work and exits. */
  isExiting: boolean;
}

/** One request or timer in flight in a process, with its open phases. */
interface Work {
  label: string;
  phases: PhaseName[];
  isYielded: boolean;
}

interface Tracked {
  state: ProcessState;
  works: Map<string, Work>;
  /** The work of the process's latest event, if that is still in flight. */
  current: string | null;
}

const PROCESS_LEVEL_KINDS = new Set<TraceEvent["kind"]>([
  "phase-start",
  "phase-end",
  "yield",
  "resume",
]);

/** Keys a request by connection, a timer by id, and phases like init_worker. */
function workKey(event: TraceEvent): string | null {
  if (event.connection !== undefined) return `c${event.connection}`;
  if (event.timerId !== undefined) return `t${event.timerId}`;
  if (PROCESS_LEVEL_KINDS.has(event.kind)) return "process";
  return null;
}

function workLabel(event: TraceEvent): string {
  if (event.connection !== undefined) return `request *${event.connection}`;
  if (event.timerId !== undefined) return `timer ${event.timerId}`;
  return "";
}

function describeWork(work: Work): string {
  const phase = work.phases[work.phases.length - 1];
  if (!work.label) return phase ?? "process work";
  return phase ? `${work.label} (${phase})` : work.label;
}

/** Updates the request or timer in flight that `event` belongs to. */
function trackWork(tracked: Tracked, event: TraceEvent): void {
  // Race findings are added after the run, at the time of their write:
  // they are notes on the trace, not work of the request.
  if (event.kind === "race") return;
  const key = workKey(event);
  if (key === null) return;
  let work = tracked.works.get(key);
  if (!work) {
    work = { label: workLabel(event), phases: [], isYielded: false };
    tracked.works.set(key, work);
  }
  tracked.current = key;
  if (event.kind === "phase-start") work.phases.push(event.phase);
  if (event.kind === "phase-end") {
    const index = work.phases.lastIndexOf(event.phase);
    if (index >= 0) work.phases.splice(index, 1);
  }
  if (event.kind === "yield") work.isYielded = true;
  if (event.kind === "resume") work.isYielded = false;
  const isDone =
    event.kind === "request-end" ||
    (event.connection === undefined && work.phases.length === 0);
  if (isDone) {
    tracked.works.delete(key);
    tracked.current = null;
  }
}

function activityOf(tracked: Tracked): ProcessActivity {
  const { works, current } = tracked;
  const running = current === null ? undefined : works.get(current);
  if (running && !running.isYielded && running.phases.length > 0) {
    return { kind: "running", work: describeWork(running) };
  }
  if (works.size > 0) return { kind: "waiting", work: [...works.values()].map(describeWork) };
  return { kind: "idle" };
}

function startProcess(event: TraceEvent & { kind: "process-start" }): Tracked {
  const row: ProcessRow = {
    pid: event.pid,
    kind: event.process,
    workerId: event.workerId,
    startedAt: event.time,
    exit: null,
    requestsServed: 0,
    timersFired: 0,
  };
  return {
    state: { row, activity: { kind: "idle" }, isExiting: false },
    works: new Map(),
    current: null,
  };
}

/** Marks the live processes that a reload or quit signal asks to exit. */
function applySignal(all: Map<number, Tracked>, event: TraceEvent & { kind: "signal" }): void {
  if (event.signal === "kill") return;
  for (const tracked of all.values()) {
    const { row } = tracked.state;
    const isMaster = row.kind === "master";
    if (row.exit !== null || (isMaster && event.signal === "reload")) continue;
    tracked.state.isExiting = true;
  }
}

/**
 * Computes every process's state just after the event at `index` (every
 * process started by then, in order of start, with the requests and
 * timers it served up to that event). Processes that start later are
 * listed as not started yet. Exiting is inferred from the master's
 * reload and quit signals and from the "gracefully shutting down" log.
 */
export function processStatesAt(trace: readonly TraceEvent[], index: number): ProcessState[] {
  const all = new Map<number, Tracked>();
  const last = Math.min(index, trace.length - 1);
  for (let at = 0; at <= last; at++) {
    const event = trace[at];
    if (event.kind === "process-start") {
      all.set(event.pid, startProcess(event));
      continue;
    }
    if (event.kind === "signal") applySignal(all, event);
    const tracked = all.get(event.pid);
    if (!tracked) continue;
    const { row } = tracked.state;
    if (event.kind === "process-exit") {
      row.exit = event.code === KILLED_CODE ? "killed" : event.code;
      tracked.works.clear();
      tracked.current = null;
      continue;
    }
    if (event.kind === "request-start") row.requestsServed++;
    if (event.kind === "timer-fired") row.timersFired++;
    if (event.kind === "log" && event.message === "gracefully shutting down") {
      tracked.state.isExiting = true;
    }
    trackWork(tracked, event);
  }
  const states = [...all.values()].map((tracked) => {
    const { row } = tracked.state;
    if (row.exit === "killed") tracked.state.activity = { kind: "killed" };
    else if (row.exit !== null) tracked.state.activity = { kind: "exited", code: row.exit };
    else tracked.state.activity = activityOf(tracked);
    return tracked.state;
  });
  return [...states, ...notStartedYet(trace, last, all)];
}

/** Lists the processes that start after `index`, in order of start. */
function notStartedYet(
  trace: readonly TraceEvent[],
  index: number,
  started: ReadonlyMap<number, Tracked>,
): ProcessState[] {
  const later: ProcessState[] = [];
  for (let at = index + 1; at < trace.length; at++) {
    const event = trace[at];
    if (event.kind !== "process-start" || started.has(event.pid)) continue;
    const { state } = startProcess(event);
    later.push({ ...state, activity: { kind: "not-started" } });
  }
  return later;
}

/** Formats a process's activity as the state column shows it. */
export function describeProcessState(state: ProcessState): string {
  const { activity } = state;
  const exiting = state.isExiting ? "exiting; " : "";
  switch (activity.kind) {
    case "not-started":
      return "not started yet";
    case "killed":
      return "killed (SIGKILL)";
    case "exited":
      return `exited with code ${activity.code}`;
    case "running":
      return `${exiting}running ${activity.work}`;
    case "waiting":
      return `${exiting}idle, waiting on ${activity.work.join(", ")}`;
    case "idle":
      return state.isExiting ? "exiting" : "idle";
  }
}

/**
 * Lists the master, workers and privileged agent of the run and what they
 * did. It shows the state at the playback cursor's event when the cursor
 * is on this trace, else at the end of the run.
 */
export function ProcessPane({ trace }: { trace: readonly TraceEvent[] }) {
  const cursor = usePlayback((state) => (state.trace === trace ? state.index : -1));
  const index = cursor >= 0 ? cursor : trace.length - 1;
  const states = useMemo(() => processStatesAt(trace, index), [trace, index]);
  if (states.length === 0) return null;
  const moment =
    cursor >= 0 ? `state at event ${cursor + 1} (${trace[cursor].time.toFixed(3)} ms)` : "state at the end";
  return (
    <section className="pane processes" data-testid="processes" data-cursor={cursor}>
      <div className="pane-title">Processes ({states.length})</div>
      <table className="process-table">
        <thead>
          <tr>
            <th>pid</th>
            <th>process</th>
            <th>worker id</th>
            <th>started</th>
            <th data-testid="process-state-heading">{moment}</th>
            <th>requests</th>
            <th>timers</th>
          </tr>
        </thead>
        <tbody>
          {states.map((state) => (
            <tr
              key={state.row.pid}
              data-testid="process-row"
              data-kind={state.row.kind}
              data-state={state.activity.kind}
            >
              <td>{state.row.pid}</td>
              <td>{state.row.kind}</td>
              <td>{state.row.workerId ?? "-"}</td>
              <td>{state.row.startedAt.toFixed(1)} ms</td>
              <td data-testid="process-state">{describeProcessState(state)}</td>
              <td>{state.row.requestsServed}</td>
              <td>{state.row.timersFired}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
