/**
 * Running one `*_by_lua*` handler. Handlers of yieldable phases run as a
 * coroutine driven by a generator: each host yield (ngx.sleep) becomes a
 * Wait for the event loop, ngx.exit ends the coroutine for good. Filters,
 * set_by_lua and log_by_lua run to completion in one protected call.
 */
import type { LuaCode } from "../config/types";
import type { CallOutcome } from "../lua/luaThread";
import type { HandlerContext } from "../lua/ngx/runtime";
import type { PhaseName } from "../trace/events";
import type { HttpRequest } from "./httpRequest";
import type { Worker } from "../process/worker";
import { runLightThreads } from "./lightThreads";

type LuaState = unknown;

/**
 * Lets an event from outside the event loop's timers (data arriving on a
 * cosocket) end a Wait early. The loop that receives the Wait sets
 * `notify`; whoever holds the Wakeup calls it with the virtual ms of the
 * event. Calls after the Wait ended do nothing.
 */
export interface Wakeup {
  notify: ((at: number) => void) | null;
}

/** What a driven handler waits for before it continues. */
export type Wait =
  | { kind: "sleep"; ms: number; wakeup?: Wakeup }
  | { kind: "forever"; wakeup?: Wakeup };

/**
 * A host request (from yieldToHost) that parks the yielding thread until
 * an outside event, such as a cosocket operation, resumes it, or until
 * `timeoutMs` passes.
 */
export interface ParkRequest {
  /** The trace's name for the wait, such as "socket-receive". */
  op: string;
  /** Virtual ms until `onTimeout` runs; null waits without a limit. */
  timeoutMs: number | null;
  /**
   * Called once when the thread is parked, with the function that resumes
   * it at virtual time `at` with the values `push` puts on its stack.
   */
  park(resume: (at: number, push: (L: LuaState) => number) => void): void;
  /** Ends the wait at the timeout; pushes the values the thread gets. */
  onTimeout(L: LuaState): number;
}

/** True when a host request is a ParkRequest. */
export function isParkRequest(request: Record<string, unknown>): boolean {
  return typeof request.park === "function";
}

/** How a yieldable handler ended. */
export type HandlerOutcome =
  | { kind: "done" }
  | { kind: "exit"; code: number }
  | { kind: "exec"; uri: string; args: string; isJump: boolean }
  | { kind: "load-error"; message: string }
  | { kind: "error"; message: string; traceback: string }
  | { kind: "aborted"; reason: string };

/** The log suffix nginx adds to lines written in a phase. */
export function logSuffixFor(phase: PhaseName): string {
  if (phase === "log") return " while logging request";
  if (phase === "timer") return ", context: ngx.timer";
  if (phase === "init_worker") return ", context: init_worker_by_lua*";
  return "";
}

/** Compiles a handler's code; returns the function ref or the message. */
export function loadHandler(
  w: Worker,
  code: LuaCode,
): { ref: number } | { error: string } {
  if (code.filePath !== undefined) {
    const source = w.readFile(code.filePath);
    if (source === null) return { error: `cannot open ${code.filePath}` };
    return w.vm.load(source, `@${code.filePath}`);
  }
  return w.vm.load(code.code, code.chunkName);
}

/**
 * Runs a function (by registry ref) as the entry thread of a handler run
 * in `ctx`, with the light threads it spawns, yielding a Wait each time
 * every thread waits, until the run finishes, exits or fails.
 */
export function* runCoroutine(
  w: Worker,
  fnRef: number,
  ctx: HandlerContext,
  pushArgs?: (L: LuaState) => number,
): Generator<Wait, HandlerOutcome, void> {
  return yield* runLightThreads(w, fnRef, ctx, pushArgs);
}

/** Runs a request's handler for a yieldable phase. */
export function* runPhaseHandler(
  w: Worker,
  r: HttpRequest,
  phase: PhaseName,
  code: LuaCode,
): Generator<Wait, HandlerOutcome, void> {
  const loaded = loadHandler(w, code);
  if ("error" in loaded) return { kind: "load-error", message: loaded.error };
  const ctx: HandlerContext = { phase, request: r, logSuffix: logSuffixFor(phase) };
  return yield* runCoroutine(w, loaded.ref, ctx);
}

/** Runs a non-yielding handler (filters, set_by_lua, log) synchronously. */
export function callHandler(
  w: Worker,
  code: LuaCode,
  ctx: HandlerContext,
  nresults = 0,
): (CallOutcome & { thread?: LuaState }) | { kind: "load-error"; message: string } {
  const loaded = loadHandler(w, code);
  if ("error" in loaded) return { kind: "load-error", message: loaded.error };
  return w.withContext(ctx, () => w.vm.call(loaded.ref, undefined, nresults));
}
