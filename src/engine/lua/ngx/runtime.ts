/**
 * What the ngx.* API needs from the process it runs in. The worker
 * implements it; the API modules only see this interface, so they stay
 * independent of how requests and phases are driven.
 */
import { lauxlib, to_luastring } from "fengari";
import type { HttpRequest } from "../../phases/httpRequest";
import type { ErrorLog } from "../../process/errorLog";
import type { NginxProcess } from "../../process/nginxProcess";
import type { MemoryDict } from "../../shdict/memoryDict";
import type { PhaseName } from "../../trace/events";
import type { TraceRecorder } from "../../trace/recorder";
import type { LuaVm } from "../luaThread";
import type { SocketNetwork } from "./cosocket";

type LuaState = unknown;

/** The handler running Lua now, and its phase. */
export interface HandlerContext {
  phase: PhaseName;
  request: HttpRequest | null;
  /** Appended to log lines: ` while logging request`, `, context: ngx.timer`. */
  logSuffix: string;
  /** ngx.arg[1] and ngx.arg[2] in body_filter_by_lua. */
  bodyFilter?: { chunk: Uint8Array; eof: boolean };
  /** ngx.arg in set_by_lua: the directive's extra arguments. */
  setArgs?: string[];
  /** The timer this context runs, in the timer phase. */
  timerId?: number;
  /** A timer's `, client: ..., server: ...` log trailer (see timerTrailer). */
  trailer?: string;
}

/** Response output through nginx's header and body filter chains. */
export interface ResponseOutput {
  /** Sends the header if it has not been sent. */
  sendHeader(r: HttpRequest): void;
  /** Sends body data through the body filters; false if a filter failed. */
  sendBody(
    r: HttpRequest,
    data: Uint8Array,
    flags: { flush?: boolean; last?: boolean },
  ): boolean;
}

export interface NgxRuntime {
  readonly vm: LuaVm;
  readonly process: NginxProcess;
  readonly errorLog: ErrorLog;
  readonly trace: TraceRecorder;
  /** Virtual wall-clock time of the run's start, ms since the epoch. */
  readonly startTimeMs: number;
  readonly workerCount: number;
  /** The master's pid, which init_by_lua's log lines carry. */
  readonly masterPid: number;
  readonly output: ResponseOutput;
  current: HandlerContext | null;
  sharedDict(name: string): MemoryDict | undefined;
  /** Reads an nginx variable; null when it is not defined or not found. */
  variable(r: HttpRequest, name: string): string | null;
  /** Writes an nginx variable; returns an error message or null. */
  setVariable(r: HttpRequest, name: string, value: string | null): string | null;
  /** Schedules a timer; returns an error message or null. */
  startTimer(
    delayMs: number,
    callbackRef: number,
    argsRef: number,
    isEvery: boolean,
  ): string | null;
  /** Timers waiting to fire, and timers whose callback is running. */
  timerCounts(): { pending: number; running: number };
  /**
   * True while nginx starts: init_by_lua's log lines go to stderr then,
   * because the error log file is opened later (on reload they go to it).
   */
  readonly isLoggingToStderr: boolean;
  /** True while init_by_lua is replayed to rebuild a forked worker's state. */
  readonly isReplayingInit: boolean;
  /** True once the process got a reload or quit signal and is exiting. */
  readonly isExiting: boolean;
  /** Where cosockets connect: this nginx's listening server blocks. */
  readonly network?: SocketNetwork | null;
  /**
   * Asks the master for a privileged agent (only init_by_lua may); returns
   * an error message or null.
   */
  enablePrivilegedAgent(): string | null;
  /** Ends the whole process at once with an exit code (os.exit). */
  exitProcess(code: number): void;
}

/** Returns the `*_by_lua*` name lua-nginx-module uses for a phase in messages. */
export function contextName(phase: PhaseName): string {
  if (phase === "timer") return "ngx.timer";
  return `${phase}_by_lua*`;
}

/**
 * Raises lua-nginx-module's error unless the running handler is in one of
 * the `allowed` phases; returns the request when there is one.
 */
export function requireContext(
  rt: NgxRuntime,
  L: LuaState,
  allowed: readonly PhaseName[],
): HttpRequest | null {
  const ctx = rt.current;
  if (ctx === null || ctx.phase === "init") {
    lauxlib.luaL_error(L, to_luastring("no request found"));
    return null;
  }
  if (!allowed.includes(ctx.phase)) {
    lauxlib.luaL_error(
      L,
      to_luastring(`API disabled in the context of ${contextName(ctx.phase)}`),
    );
  }
  return ctx.request;
}

/**
 * For APIs resty.core implements with FFI on the request: raises "no
 * request found" outside requests and "API disabled in the current
 * context" in timers and init_worker.
 */
export function requireRequest(rt: NgxRuntime, L: LuaState): HttpRequest {
  const ctx = rt.current;
  if (ctx === null || ctx.phase === "init") {
    lauxlib.luaL_error(L, to_luastring("no request found"));
  }
  if (ctx?.request == null) {
    lauxlib.luaL_error(L, to_luastring("API disabled in the current context"));
  }
  return ctx!.request!;
}

/** Phases whose handlers run as coroutines and so may yield. */
export const YIELDABLE: readonly PhaseName[] = [
  "rewrite",
  "access",
  "content",
  "timer",
];

/** Phases that may write the response body. */
export const OUTPUT_PHASES: readonly PhaseName[] = [
  "rewrite",
  "access",
  "content",
];
