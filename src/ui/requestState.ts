/**
 * The state of one request at one moment of a run, from the trace: the
 * nginx variables assigned so far and the last ngx.ctx snapshot (taken
 * when a phase ends). Pure, so it can be tested without the page.
 */
import type { TraceEvent } from "../engine/trace/events";

export interface RequestState {
  connection: number;
  request: string;
  /** Assigned variables in order of first assignment; null is nil. */
  variables: Array<[string, string | null]>;
  /** The last ngx.ctx snapshot, and the phase after which it was taken. */
  ctx: { phase: string; entries: Array<[string, string]> } | null;
}

/** The connections of the requests in a trace, with their request lines. */
export function requestsOf(trace: readonly TraceEvent[]): Array<{ connection: number; label: string }> {
  const out: Array<{ connection: number; label: string }> = [];
  for (const event of trace) {
    if (event.kind === "request-start" && event.connection !== undefined) {
      out.push({ connection: event.connection, label: `*${event.connection} ${event.method} ${event.uri}` });
    }
  }
  return out;
}

/**
 * The request's state after the event at `index` (the whole trace when
 * index is negative or past the end).
 */
export function requestStateAt(
  trace: readonly TraceEvent[],
  connection: number,
  index: number,
): RequestState {
  const last = index < 0 || index >= trace.length ? trace.length - 1 : index;
  const variables = new Map<string, string | null>();
  let ctx: RequestState["ctx"] = null;
  let request = `*${connection}`;
  for (let i = 0; i <= last; i++) {
    const event = trace[i];
    if (event.connection !== connection) continue;
    if (event.kind === "request-start") request = `*${connection} ${event.method} ${event.uri}`;
    else if (event.kind === "var-set") variables.set(event.name, event.value);
    else if (event.kind === "ctx-snapshot") ctx = { phase: event.phase, entries: event.entries };
  }
  return { connection, request, variables: [...variables], ctx };
}
