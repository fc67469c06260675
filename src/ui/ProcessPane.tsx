import type { TraceEvent } from "../engine/trace/events";

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

/** Builds the process rows from a run's trace, in order of start. */
export function processRows(trace: readonly TraceEvent[]): ProcessRow[] {
  const rows = new Map<number, ProcessRow>();
  for (const event of trace) {
    if (event.kind === "process-start") {
      rows.set(event.pid, {
        pid: event.pid,
        kind: event.process,
        workerId: event.workerId,
        startedAt: event.time,
        exit: null,
        requestsServed: 0,
        timersFired: 0,
      });
      continue;
    }
    const row = rows.get(event.pid);
    if (!row) continue;
    if (event.kind === "process-exit") row.exit = event.code === 137 ? "killed" : event.code;
    else if (event.kind === "request-start") row.requestsServed++;
    else if (event.kind === "timer-fired") row.timersFired++;
  }
  return [...rows.values()];
}

function stateOf(row: ProcessRow): string {
  if (row.exit === "killed") return "killed (SIGKILL)";
  if (row.exit !== null) return `exited with code ${row.exit}`;
  return "running";
}

/** The master, workers and privileged agent of the run, and what they did. */
export function ProcessPane({ trace }: { trace: readonly TraceEvent[] }) {
  const rows = processRows(trace);
  if (rows.length === 0) return null;
  return (
    <section className="pane processes" data-testid="processes">
      <div className="pane-title">Processes ({rows.length})</div>
      <table className="process-table">
        <thead>
          <tr>
            <th>pid</th>
            <th>process</th>
            <th>worker id</th>
            <th>started</th>
            <th>state at the end</th>
            <th>requests</th>
            <th>timers</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={row.pid} data-testid="process-row" data-kind={row.kind}>
              <td>{row.pid}</td>
              <td>{row.kind}</td>
              <td>{row.workerId ?? "-"}</td>
              <td>{row.startedAt.toFixed(1)} ms</td>
              <td>{stateOf(row)}</td>
              <td>{row.requestsServed}</td>
              <td>{row.timersFired}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
