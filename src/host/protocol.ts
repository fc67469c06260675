/**
 * Messages between the page and the engine's Web Worker. Failures cross
 * the worker boundary as data (`ok: false`), never as thrown exceptions,
 * so the page can show them like any other result.
 */
import type { RunResult, Scenario } from "../engine/scenario";

/** Stable codes of the failures a run can end with. */
export type EngineErrorCode =
  | "ENGINE_ERROR"
  | "RUN_TIMED_OUT"
  | "RUN_CANCELLED"
  | "WORKER_FAILED";

export interface EngineError {
  code: EngineErrorCode | string;
  message: string;
}

/** What one call to the engine ends with. */
export type RunOutcome =
  | { ok: true; result: RunResult }
  | { ok: false; error: EngineError };

/** Page to worker: run this scenario; `runId` pairs the reply. */
export interface RunRequestMessage {
  runId: number;
  scenario: Scenario;
}

/** Worker to page: the outcome of the run with the same `runId`. */
export interface RunReplyMessage {
  runId: number;
  outcome: RunOutcome;
}
