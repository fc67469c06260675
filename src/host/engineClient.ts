/**
 * The one module through which the UI reaches the engine. Each run goes to
 * a Web Worker; a real-time watchdog terminates a worker that does not
 * answer in time (user Lua such as `while true do end` can outlast any
 * instruction budget inside library calls) and starts a fresh one, so the
 * page never freezes.
 */
import type { Scenario } from "../engine/scenario";
import type { RunOutcome, RunReplyMessage } from "./protocol";

export type { RunOutcome } from "./protocol";

/** The part of the Worker interface the client uses (tests fake it). */
export interface EngineWorker {
  postMessage(message: unknown): void;
  terminate(): void;
  onmessage: ((event: MessageEvent<RunReplyMessage>) => void) | null;
  onerror: ((event: ErrorEvent) => void) | null;
}

export interface EngineClientOptions {
  createWorker: () => EngineWorker;
  /** Real time, in ms, a run may take before its worker is terminated. */
  timeoutMs: number;
  setTimer?: (callback: () => void, ms: number) => unknown;
  clearTimer?: (handle: unknown) => void;
}

/** Runs scenarios one at a time; a new run cancels the one in flight. */
export interface EngineClient {
  run(scenario: Scenario): Promise<RunOutcome>;
  /** Stops the worker; later runs start a new one. */
  dispose(): void;
}

/** Real-time limit of one run in the browser, in ms. */
export const DEFAULT_RUN_TIMEOUT_MS = 15_000;

/** How many times longer a run with a thread per process may take. */
const THREADED_TIMEOUT_FACTOR = 4;

interface PendingRun {
  runId: number;
  resolve: (outcome: RunOutcome) => void;
  timer: unknown;
}

/** Creates a client; `createWorker` is called lazily and after a kill. */
export function createEngineClient(options: EngineClientOptions): EngineClient {
  const setTimer = options.setTimer ?? ((cb, ms) => setTimeout(cb, ms));
  const clearTimer =
    options.clearTimer ??
    ((handle) => clearTimeout(handle as ReturnType<typeof setTimeout>));
  let worker: EngineWorker | null = null;
  let pending: PendingRun | null = null;
  let nextRunId = 1;

  function settle(outcome: RunOutcome): void {
    const run = pending;
    if (!run) return;
    pending = null;
    clearTimer(run.timer);
    run.resolve(outcome);
  }

  function killWorker(): void {
    worker?.terminate();
    worker = null;
  }

  function ensureWorker(): EngineWorker {
    if (worker) return worker;
    const created = options.createWorker();
    created.onmessage = (event) => {
      if (pending && event.data.runId === pending.runId) {
        settle(event.data.outcome);
      }
    };
    created.onerror = (event) => {
      event.preventDefault?.();
      killWorker();
      settle({
        ok: false,
        error: {
          code: "WORKER_FAILED",
          message: `The engine worker failed: ${event.message || "unknown error"}.`,
        },
      });
    };
    worker = created;
    return created;
  }

  function cancelPending(): void {
    if (!pending) return;
    killWorker();
    settle({
      ok: false,
      error: {
        code: "RUN_CANCELLED",
        message: "The run was cancelled because a new run started.",
      },
    });
  }

  function run(scenario: Scenario): Promise<RunOutcome> {
    cancelPending();
    const runId = nextRunId++;
    // Starting a thread per process takes real time of its own.
    const isThreaded = (scenario.runMode ?? "deterministic") !== "deterministic";
    const timeoutMs = options.timeoutMs * (isThreaded ? THREADED_TIMEOUT_FACTOR : 1);
    const seconds = Math.round(timeoutMs / 1000);
    return new Promise<RunOutcome>((resolve) => {
      const timer = setTimer(() => {
        killWorker();
        settle({
          ok: false,
          error: {
            code: "RUN_TIMED_OUT",
            message:
              `The run was stopped after ${seconds} s of real time ` +
              "because Lua code kept the engine busy (an endless loop?). " +
              "The engine was restarted, so fix the code and send again.",
          },
        });
      }, timeoutMs);
      pending = { runId, resolve, timer };
      ensureWorker().postMessage({ runId, scenario });
    });
  }

  return { run, dispose: killWorker };
}

let defaultClient: EngineClient | null = null;

/** Runs a scenario in the shared browser worker. */
export function run(scenario: Scenario): Promise<RunOutcome> {
  defaultClient ??= createEngineClient({
    createWorker: () =>
      new Worker(new URL("./engineWorker.ts", import.meta.url), {
        type: "module",
        name: "engine",
      }) as unknown as EngineWorker,
    timeoutMs: DEFAULT_RUN_TIMEOUT_MS,
  });
  return defaultClient.run(scenario);
}
