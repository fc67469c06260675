/**
 * Messages between the master of a real-threads run and the threads that
 * each run one nginx process. They cross a postMessage boundary, so they
 * carry plain data and SharedArrayBuffers only.
 */
import type { ForkState } from "../process/master";
import type { WireState } from "../http/wire";
import type { ErrorLogEntry, ResponseRecord, Scenario } from "../scenario";
import type { TraceEvent } from "../trace/events";

/** The nginx process a thread runs. */
export interface ThreadProcess {
  pid: number;
  kind: "worker" | "privileged agent";
  workerId: number | null;
}

/** Master to process thread. */
export type ToThread =
  | {
      type: "start";
      scenario: Scenario;
      fork: ForkState;
      process: ThreadProcess;
      /** Virtual ms of the start (init_worker runs at this time). */
      at: number;
      /** Connections the process opens itself (cosockets) count from here. */
      connectionBase: number;
      /** Set for a lockstep run: the reply mailbox and the run's shared counters. */
      lockstep: { mailbox: SharedArrayBuffer; counters: SharedArrayBuffer } | null;
    }
  /** Lockstep: run the next task. */
  | { type: "step" }
  /** Asks for a "pong", to know messages from the master reach the thread. */
  | { type: "ping" }
  /** Wall-clock ms (performance.timeOrigin + now()) of virtual time 0; the loop waits for it. */
  | { type: "clock"; epochMs: number }
  | {
      type: "request";
      requestIndex: number;
      connection: number;
      method: string;
      requestUri: string;
      headers: Array<[string, string]>;
      body: string | null;
      /** Virtual ms when the client connects. */
      arrival: number;
    }
  /** SIGQUIT (isQuit) or the graceful exit of a reload. */
  | { type: "exit"; at: number; isQuit: boolean }
  /** SIGKILL. */
  | { type: "kill" }
  | { type: "finish" };

/** Process thread to master. */
export type FromThread =
  | { type: "loaded" }
  | { type: "pong" }
  | { type: "started" }
  | { type: "response"; requestIndex: number; state: WireState; endTime: number | null }
  | { type: "exit"; status: number | "killed"; at: number }
  | {
      type: "finished";
      trace: TraceEvent[];
      errorLog: ErrorLogEntry[];
      stderr: ErrorLogEntry[];
      responses: ResponseRecord[];
    }
  | { type: "failed"; message: string };

/** A lockstep thread's reply to every message: what changed since the last one. */
export interface LockstepReply {
  events: TraceEvent[];
  log: ErrorLogEntry[];
  stderr: ErrorLogEntry[];
  responses: Array<Extract<FromThread, { type: "response" }>>;
  exit: { status: number | "killed"; at: number } | null;
  /** The next task's due time and sequence number; null when idle. */
  head: { due: number; seq: number } | null;
  clock: number;
  isExiting: boolean;
  activeRequests: number;
  /** The error a message raised in the thread, if any. */
  failure: string | null;
  /** Every response record, in reply to "finish". */
  records: ResponseRecord[] | null;
  /**
   * False for a report sent in the middle of a message's work (the
   * process exited, and the master must log it before what follows).
   */
  isFinal: boolean;
}

/** One process thread, from the master's side: a Web Worker or a worker_threads Worker. */
export interface ThreadPort {
  post(message: ToThread): void;
  onMessage(handler: (message: FromThread) => void): void;
  terminate(): void;
}

/** Starts a new process thread. */
export type SpawnThread = () => ThreadPort;

/** Wall-clock ms that agree across threads: the epoch's clock. */
export function wallClockMs(): number {
  return performance.timeOrigin + performance.now();
}
