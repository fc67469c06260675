/**
 * An nginx worker process: its Lua VM with the ngx API, its clocks, and
 * the requests and timers it runs on its event loop. Everything it does is
 * a task on the shared scheduler, so a run is ordered by virtual time.
 */
import { lua, lauxlib, to_jsstring } from "fengari";
import type { HttpConfig, MainConfig } from "../config/types";
import type { Scheduler } from "../loop/scheduler";
import { LuaVm } from "../lua/luaThread";
import { installNgx } from "../lua/ngx/ngxApi";
import { logWithContext, requestTrailer } from "../lua/ngx/ngxCore";
import type { HandlerContext, NgxRuntime, ResponseOutput } from "../lua/ngx/runtime";
import { createSandboxState } from "../lua/sandbox";
import { installSeededRandom } from "../lua/seededRandom";
import { installOpenrestyModules } from "../lua/openrestyModules";
import { LRUCACHE_SOURCE } from "../lua/lrucacheSource";
import { sendBody, sendHeader } from "../phases/filters";
import type { HttpRequest } from "../phases/httpRequest";
import { logSuffixFor, runCoroutine, type Wait } from "../phases/luaHandler";
import { processRequest } from "../phases/pipeline";
import { readVariable, writeVariable, type VariableScope } from "../phases/variables";
import type { ErrorLogLevel } from "../scenario";
import type { MemoryDict } from "../shdict/memoryDict";
import type { PhaseName } from "../trace/events";
import type { TraceRecorder } from "../trace/recorder";
import type { ErrorLog } from "./errorLog";
import { NginxProcess } from "./nginxProcess";

type LuaState = unknown;

/** What a worker shares with the rest of the simulated nginx. */
export interface WorkerEnv {
  pid: number;
  masterPid: number;
  workerId: number;
  workerCount: number;
  config: MainConfig;
  scheduler: Scheduler;
  trace: TraceRecorder;
  errorLog: ErrorLog;
  sharedDicts: Map<string, MemoryDict>;
  files: Record<string, string>;
  startTimeMs: number;
  nsPerInstruction: number;
  /** Seeds the worker's math.random. */
  seed: number;
  prefix: string;
  packagePath: string;
  packageCpath: string;
  declaredVariables: ReadonlySet<string>;
  onRequestEnd(r: HttpRequest): void;
}

export class Worker implements NgxRuntime {
  readonly vm: LuaVm;
  readonly process: NginxProcess;
  readonly errorLog: ErrorLog;
  readonly trace: TraceRecorder;
  readonly startTimeMs: number;
  readonly workerCount: number;
  readonly masterPid: number;
  readonly prefix: string;
  current: HandlerContext | null = null;
  readonly output: ResponseOutput = {
    sendHeader: (r) => sendHeader(this, r),
    sendBody: (r, data, flags) => sendBody(this, r, data, flags),
  };

  constructor(private readonly env: WorkerEnv) {
    this.process = new NginxProcess(
      env.pid,
      "worker",
      env.workerId,
      env.trace,
      env.nsPerInstruction,
    );
    this.errorLog = env.errorLog;
    this.trace = env.trace;
    this.startTimeMs = env.startTimeMs;
    this.workerCount = env.workerCount;
    this.masterPid = env.masterPid;
    this.prefix = env.prefix;
    this.vm = new LuaVm(
      () =>
        createSandboxState({
          print: (message) => logWithContext(this, "notice", `[lua] ${message}`),
          clock: () => this.process.cpuTime / 1000,
          time: () => Math.floor(this.nowMs() / 1000),
          readFile: (path) => this.readFile(path),
          packagePath: env.packagePath,
          packageCpath: env.packageCpath,
        }),
      this.process,
    );
    installSeededRandom(this.vm.L, env.seed + env.pid);
    installOpenrestyModules(this.vm.L, { "resty.lrucache": LRUCACHE_SOURCE });
    installNgx(this);
  }

  get http(): HttpConfig | null {
    return this.env.config.http;
  }

  /** Virtual wall-clock time (ms since the epoch) of the cached time. */
  nowMs(): number {
    return this.startTimeMs + this.process.cachedTime;
  }

  /** Reads a workspace file, as `require` and *_by_lua_file see it. */
  readFile(path: string): string | null {
    const files = this.env.files;
    const relative = path.startsWith(this.prefix + "/")
      ? path.slice(this.prefix.length + 1)
      : path;
    return files[path] ?? files[relative] ?? null;
  }

  sharedDict(name: string): MemoryDict | undefined {
    return this.env.sharedDicts.get(name);
  }

  scope(): VariableScope {
    return {
      pid: this.process.pid,
      nowMs: this.nowMs(),
      declared: this.env.declaredVariables,
    };
  }

  variable(r: HttpRequest, name: string): string | null {
    return readVariable(r, name, this.scope());
  }

  setVariable(r: HttpRequest, name: string, value: string | null): string | null {
    return writeVariable(r, name, value, this.scope());
  }

  /** Runs `fn` with `ctx` as the running handler, restoring the previous. */
  withContext<T>(ctx: HandlerContext, fn: () => T): T {
    const previous = this.current;
    this.current = ctx;
    try {
      return fn();
    } finally {
      this.current = previous;
    }
  }

  /** Accepts a connection at virtual time `due` and serves the request. */
  accept(r: HttpRequest, due: number): void {
    this.drive(due, `request *${r.connection}`, () => {
      this.trace.record({
        kind: "request-start",
        time: this.process.clock,
        pid: this.process.pid,
        connection: r.connection,
        method: r.method,
        uri: r.requestUri,
      });
      return processRequest(this, r);
    });
  }

  /**
   * Runs a generator of work as event loop tasks: it starts at `due` and
   * continues after each Wait it yields.
   */
  private drive(due: number, label: string, start: () => Generator<Wait, void, void>): void {
    let gen: Generator<Wait, void, void> | null = null;
    const step = (at: number) => {
      this.process.beginIteration(at);
      gen ??= start();
      const next = gen.next();
      if (next.done || next.value.kind === "forever") return;
      const wake = this.process.clock + next.value.ms;
      this.env.scheduler.at(wake, label, () => step(wake));
    };
    this.env.scheduler.at(due, label, () => step(due));
  }

  startTimer(delayMs: number, callbackRef: number, argsRef: number): string | null {
    const id = this.timerSeq++;
    const due = this.process.clock + delayMs;
    this.trace.record({
      kind: "timer-scheduled",
      time: this.process.clock,
      pid: this.process.pid,
      delay: delayMs,
      timerId: id,
    });
    this.drive(due, `timer ${id}`, () => this.runTimer(id, callbackRef, argsRef));
    return null;
  }

  private timerSeq = 1;

  private *runTimer(id: number, callbackRef: number, argsRef: number): Generator<Wait, void, void> {
    this.trace.record({
      kind: "timer-fired",
      time: this.process.clock,
      pid: this.process.pid,
      timerId: id,
      premature: false,
    });
    const ctx: HandlerContext = { phase: "timer", request: null, logSuffix: logSuffixFor("timer") };
    const pushArgs = (L: LuaState) => {
      lua.lua_pushboolean(L, false);
      lua.lua_rawgeti(L, lua.LUA_REGISTRYINDEX, argsRef);
      lua.lua_getfield(L, -1, "n");
      const n = Number(lua.lua_tonumber(L, -1));
      lua.lua_pop(L, 1);
      for (let i = 1; i <= n; i++) lua.lua_rawgeti(L, -i, i);
      lua.lua_remove(L, -(n + 1));
      return n + 1;
    };
    const outcome = yield* runCoroutine(this, callbackRef, ctx, pushArgs);
    lauxlib.luaL_unref(this.vm.L, lua.LUA_REGISTRYINDEX, callbackRef);
    lauxlib.luaL_unref(this.vm.L, lua.LUA_REGISTRYINDEX, argsRef);
    if (outcome.kind === "error") {
      this.withContext(ctx, () =>
        logWithContext(
          this,
          "error",
          `lua entry thread aborted: runtime error: ${outcome.message}\n${outcome.traceback}`,
        ),
      );
    } else if (outcome.kind === "aborted") {
      this.withContext(ctx, () => logWithContext(this, "alert", outcome.reason));
    }
  }

  /** Writes an error-log line about a request. */
  logFor(r: HttpRequest, level: ErrorLogLevel, message: string): void {
    this.errorLog.write(level, message, {
      time: this.process.clock,
      pid: this.process.pid,
      connection: r.connection,
      trailer: requestTrailer(r.method, r.requestUri),
    });
  }

  /** Closes the connection at once: buffered output is lost. */
  failRequest(r: HttpRequest): void {
    r.wire.close();
  }

  /** Stops a runaway handler; the client never gets an answer. */
  abortRequest(r: HttpRequest, reason: string): void {
    this.logFor(
      r,
      "alert",
      `${reason}; the simulator stopped it (real nginx would keep this ` +
        "worker busy and the request would hang)",
    );
  }

  /** Called when a request has gone through its log phase. */
  endRequest(r: HttpRequest): void {
    r.isFinalized = true;
    this.trace.record({
      kind: "request-end",
      time: this.process.clock,
      pid: this.process.pid,
      connection: r.connection,
      status: r.wire.status,
      outcome:
        r.wire.state === "complete"
          ? "complete"
          : r.wire.state === "closed"
            ? r.wire.hasSentAnything
              ? "closed-truncated"
              : "closed-empty"
            : "timed-out",
    });
    this.env.onRequestEnd(r);
  }

  /** Records the start or end of a phase of a request. */
  tracePhase(
    r: HttpRequest,
    phase: PhaseName,
    edge: "start" | "end",
    result?: string,
    chunkName?: string,
  ): void {
    const base = {
      time: this.process.clock,
      pid: this.process.pid,
      connection: r.connection,
      source: chunkName ? { chunkName, line: 1 } : undefined,
    };
    if (edge === "start") this.trace.record({ ...base, kind: "phase-start", phase });
    else this.trace.record({ ...base, kind: "phase-end", phase, result: result ?? "" });
  }

  traceYield(ctx: HandlerContext, reason: string, ms: number): void {
    this.trace.record({
      kind: "yield",
      time: this.process.clock,
      pid: this.process.pid,
      connection: ctx.request?.connection,
      phase: ctx.phase,
      reason,
    });
    if (reason === "sleep") {
      this.trace.record({
        kind: "sleep",
        time: this.process.clock,
        pid: this.process.pid,
        connection: ctx.request?.connection,
        seconds: ms / 1000,
      });
    }
  }

  traceResume(ctx: HandlerContext): void {
    this.trace.record({
      kind: "resume",
      time: this.process.clock,
      pid: this.process.pid,
      connection: ctx.request?.connection,
      phase: ctx.phase,
    });
  }

  /** The text of the value a set_by_lua handler returned. */
  resultText(thread: LuaState): string {
    const type = lua.lua_type(thread, -1);
    if (type === lua.LUA_TSTRING || type === lua.LUA_TNUMBER) {
      return to_jsstring(lua.lua_tolstring(thread, -1));
    }
    return "";
  }
}
