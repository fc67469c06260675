/**
 * The trace: every observable step of a run as one event. The timeline,
 * the runner and (later) the race detector read this one stream. Times
 * are virtual milliseconds since the run started.
 */

export type ProcessKind = "master" | "worker" | "privileged agent";

/** Where in the user's Lua source an event happened. */
export interface SourcePosition {
  chunkName: string;
  line: number;
}

interface TraceBase {
  /** Position in the stream, 0-based. */
  seq: number;
  /** Virtual time in ms. */
  time: number;
  pid: number;
  /** The request's connection number, if the event belongs to a request. */
  connection?: number;
  /** The Lua coroutine (numbered within its process) that caused it. */
  thread?: number;
  /** The timer whose callback caused it, if any. */
  timerId?: number;
  /**
   * The subrequest (numbered from 1 within its main request) the event
   * belongs to; absent for the main request itself.
   */
  subrequest?: number;
  source?: SourcePosition;
}

export type TraceEvent = TraceBase &
  (
    | { kind: "process-start"; process: ProcessKind; workerId: number | null }
    | { kind: "process-exit"; process: ProcessKind; code: number }
    | { kind: "signal"; signal: "reload" | "quit" | "kill" }
    | { kind: "request-start"; method: string; uri: string }
    | { kind: "request-end"; status: number | null; outcome: RequestOutcome }
    | { kind: "phase-start"; phase: PhaseName }
    | { kind: "phase-end"; phase: PhaseName; result: string }
    | { kind: "yield"; phase: PhaseName; reason: string }
    | { kind: "resume"; phase: PhaseName }
    | { kind: "sleep"; seconds: number }
    | { kind: "timer-scheduled"; delay: number; timerId: number }
    | { kind: "timer-fired"; timerId: number; premature: boolean }
    /** ngx.thread.spawn: `thread` is the parent, `child` the new light thread. */
    | { kind: "thread-spawn"; child: number }
    /** A light thread finished, failed or was killed (`thread` is it). */
    | { kind: "thread-exit"; outcome: "done" | "error" | "killed" }
    /** A subrequest began (`subrequest` numbers it). */
    | { kind: "subrequest-start"; method: string; uri: string }
    /** A subrequest finished with the status its parent receives. */
    | { kind: "subrequest-end"; status: number }
    | {
        /** An nginx variable assigned (set, set_by_lua, ngx.var.x = v). */
        kind: "var-set";
        name: string;
        /** null when the variable was set to nil (not found). */
        value: string | null;
      }
    | {
        /** ngx.ctx of the request when a phase ended (shallow, text). */
        kind: "ctx-snapshot";
        phase: PhaseName;
        entries: Array<[string, string]>;
      }
    | {
        /** A race the detector found, placed at the write that lost data. */
        kind: "race";
        race: "lost update" | "possible race";
        resource: string;
        key: string;
      }
    | {
        kind: "lua-table";
        /** The module whose table it is (the name given to require). */
        module: string;
        field: string;
        op: "read" | "write";
      }
    | {
        kind: "shdict";
        dict: string;
        op: string;
        key: string | null;
        result: string;
        /** The value a write stored, formatted as in `result`. */
        value?: string;
        /** The flags a write stored. */
        flags?: number;
        /**
         * The expiry a write or expire() set, in ms from the event's time
         * (0 = never); incr sets it only when it creates the key.
         */
        exptimeMs?: number;
        /** The zone's size in bytes, as capacity() returns it. */
        capacityBytes?: number;
        /** Free whole pages in bytes after the operation, as free_space(). */
        freeBytes?: number;
      }
    | { kind: "cached-time-update"; cachedTime: number; cause: TimeCause }
    | { kind: "log"; level: string; message: string }
    | { kind: "response-header"; status: number }
    | { kind: "response-body"; bytes: number; isLast: boolean }
  );

export type PhaseName =
  | "init"
  | "init_worker"
  | "set"
  | "rewrite"
  | "access"
  | "content"
  | "header_filter"
  | "body_filter"
  | "log"
  | "timer";

/** How a request ended, from the client's point of view. */
export type RequestOutcome =
  | "complete"
  | "closed-empty"
  | "closed-truncated"
  | "timed-out";

/** Why a process's cached time was refreshed. */
export type TimeCause = "event-loop" | "update_time";

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown
  ? Omit<T, K>
  : never;

/** A trace event before the recorder gives it its sequence number. */
export type TraceEventInput = DistributiveOmit<TraceEvent, "seq">;
