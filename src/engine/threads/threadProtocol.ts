/**
 * Messages between the master of a real-threads run and the threads that
 * each run one nginx process. They cross a postMessage boundary, so they
 * carry plain data and SharedArrayBuffers only.
 */
import type { ForkState } from "../process/master";
import type { ErrorLogEntry, RequestSpec, ResponseRecord, Scenario } from "../scenario";
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
      /** Wall-clock ms (performance.timeOrigin + now()) of virtual time 0. */
      epochMs: number;
      /** Connections the process opens itself (cosockets) count from here. */
      connectionBase: number;
    }
  | {
      type: "request";
      requestIndex: number;
      connection: number;
      spec: RequestSpec;
      /** Virtual ms when the client connects. */
      arrival: number;
    }
  | { type: "quit"; at: number }
  | { type: "finish" };

/** Process thread to master. */
export type FromThread =
  | { type: "loaded" }
  | { type: "started" }
  | { type: "response"; requestIndex: number }
  | { type: "exit"; status: number | "killed"; at: number }
  | {
      type: "finished";
      trace: TraceEvent[];
      errorLog: ErrorLogEntry[];
      stderr: ErrorLogEntry[];
      responses: ResponseRecord[];
    }
  | { type: "failed"; message: string };

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
