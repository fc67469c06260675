/**
 * An nginx worker process (or the privileged agent, which is a worker that
 * serves no requests): its Lua VM with the ngx API, its clocks, and the
 * requests and timers it runs on its event loop. Everything it does is a
 * task on the shared scheduler, so a run is ordered by virtual time.
 */
import { lua, lauxlib, to_jsstring } from "fengari";
import type { HttpConfig, MainConfig } from "../config/types";
import type { Jitter } from "../loop/jitter";
import type { Scheduler } from "../loop/scheduler";
import { LuaVm } from "../lua/luaThread";
import { installNgx } from "../lua/ngx/ngxApi";
import { formatLuaNumber } from "../lua/numberFormat";
import { restoreLuaState, snapshotLuaState } from "../lua/codeCacheOff";
import { installGlobalWriteGuard } from "../lua/globalWriteGuard";
import { installMissingLibraries } from "../lua/missingLibraries";
import { setModuleLoadedHook } from "../lua/packageLoader";
import { observeTable } from "../lua/tableObserver";
import { threadId } from "../lua/threadIds";
import { luaPosition } from "../lua/luaThreadTraceback";
import { installDebugTraceback } from "../lua/luaThreadTraceback";
import type { SocketNetwork } from "../lua/ngx/cosocket";
import { releaseCosockets } from "../lua/ngx/ngxSocket";
import { logWithContext, requestTrailer, timerTrailer } from "../lua/ngx/ngxCore";
import type { HandlerContext, NgxRuntime, ResponseOutput } from "../lua/ngx/runtime";
import { createSandboxState } from "../lua/sandbox";
import { installSeededRandom } from "../lua/seededRandom";
import { installOpenrestyModules } from "../lua/openrestyModules";
import { installCjson } from "../lua/cjson";
import { LRUCACHE_SOURCE } from "../lua/lrucacheSource";
import { RESTY_LOCK_SOURCE } from "../lua/restyLockSource";
import { sendBody, sendHeader } from "../phases/filters";
import type { HttpRequest } from "../phases/httpRequest";
import { logSuffixFor, runCoroutine, type Wait } from "../phases/luaHandler";
import { processRequest } from "../phases/pipeline";
import { readVariable, writeVariable, type VariableScope } from "../phases/variables";
import type { ErrorLogLevel } from "../scenario";
import type { MemoryDict } from "../shdict/memoryDict";
import type { PhaseName, SourcePosition } from "../trace/events";
import type { TraceRecorder } from "../trace/recorder";
import type { ErrorLog } from "./errorLog";
import { NginxProcess } from "./nginxProcess";

type LuaState = unknown;

/** Says what the simulator does about a runaway handler, and how nginx differs. */
const BUDGET_NOTE =
  "(simulator limit: real nginx would keep running it with this worker " +
  "blocked; here the worker is killed with SIGKILL and the master starts another)";

/** Describes a Lua value in short text for the request state view. */
function describeValue(L: LuaState, index: number): string {
  const type = lua.lua_type(L, index);
  // No lua_tolstring on numbers: it would change a key lua_next walks.
  if (type === lua.LUA_TNUMBER) return formatLuaNumber(lua.lua_tonumber(L, index));
  if (type === lua.LUA_TSTRING) {
    const text = to_jsstring(lua.lua_tolstring(L, index), undefined, undefined, true);
    return JSON.stringify(text.slice(0, 80));
  }
  if (type === lua.LUA_TBOOLEAN) return lua.lua_toboolean(L, index) ? "true" : "false";
  if (type === lua.LUA_TNIL) return "nil";
  return to_jsstring(lauxlib.luaL_typename(L, index));
}

/** The parts of the simulated nginx a worker shares with the others. */
export interface WorkerEnv {
  pid: number;
  masterPid: number;
  kind: "master" | "worker" | "privileged agent";
  /** 0..N-1 for workers; null for the privileged agent. */
  workerId: number | null;
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
  /** Timing noise for wake-ups (zero unless the scenario sets jitterMs). */
  jitter: Jitter;
  prefix: string;
  packagePath: string;
  packageCpath: string;
  declaredVariables: ReadonlySet<string>;
  /** Called when the process ends: its exit code, or "killed" (SIGKILL). */
  onExit(worker: Worker, status: number | "killed"): void;
  /** Asks the master for a privileged agent; returns an error or null. */
  enablePrivilegedAgent(): string | null;
  /** init_by_lua logs to stderr (at start) rather than the error log. */
  isLoggingToStderr?: boolean;
  /** The network cosockets connect through; without it, connects fail. */
  network?: SocketNetwork | null;
}

/** A timer the process has scheduled or is running. */
interface TimerEntry {
  id: number;
  callbackRef: number;
  argsRef: number;
  intervalMs: number | null;
  isRunning: boolean;
  isCancelled: boolean;
  /** The creator's client and server, for the timer's log lines. */
  trailer: string;
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
      env.kind,
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
    installOpenrestyModules(this.vm.L, {
      "resty.lrucache": LRUCACHE_SOURCE,
      "resty.lock": RESTY_LOCK_SOURCE,
    });
    installCjson(this.vm.L);
    installNgx(this);
    installDebugTraceback(this.vm.L);
    installMissingLibraries(this.vm.L);
    setModuleLoadedHook(this.vm.L as never, (L, name) => this.watchModuleTable(L, name));
    installGlobalWriteGuard(this.vm.L);
    this.installOsExit();
  }

  /** True once the process has ended (exit, crash or SIGKILL). */
  isDead = false;
  /** True while init_by_lua is replayed to rebuild a forked worker's state. */
  isReplayingInit = false;

  get isLoggingToStderr(): boolean {
    return this.env.isLoggingToStderr ?? true;
  }

  /**
   * Records reads and writes of a workspace module's table fields, so the
   * race detector can find read-yield-write patterns on module state.
   */
  private watchModuleTable(L: LuaState, name: string): void {
    if (!this.isWorkspaceModule(name)) return;
    observeTable(L, -1, (T, op, field) => {
      const ctx = this.current;
      this.trace.record({
        kind: "lua-table",
        time: this.process.clock,
        pid: this.process.pid,
        connection: ctx?.request?.connection,
        timerId: ctx?.timerId,
        thread: threadId(T),
        source: luaPosition(T) ?? undefined,
        module: name,
        field,
        op,
      });
    });
  }

  private isWorkspaceModule(name: string): boolean {
    const path = name.replace(/\./g, "/");
    return Object.keys(this.env.files).some((file) => file.endsWith(`${path}.lua`));
  }

  /** Restores the start-up Lua state under `lua_code_cache off`. */
  private freshStateRef: number | null = null;

  /** Records the Lua state that every request starts from (code cache off). */
  captureStartupState(): void {
    if (this.http?.luaCodeCache === false) this.freshStateRef = snapshotLuaState(this.vm.L);
  }

  /** Gives a request a fresh Lua state when `lua_code_cache` is off. */
  prepareLuaStateForRequest(): void {
    if (this.freshStateRef !== null) restoreLuaState(this.vm.L, this.freshStateRef);
  }

  /** Requests this process is serving now. */
  get activeRequests(): number {
    return this.requests.size;
  }
  isExiting = false;
  private readonly timers = new Map<number, TimerEntry>();
  private readonly requests = new Set<HttpRequest>();

  /** os.exit(code): ends this process at once, as in a real worker. */
  private installOsExit(): void {
    const L = this.vm.L;
    lua.lua_getglobal(L, "os");
    lua.lua_pushjsfunction(L, (L: LuaState) => {
      const code = lua.lua_isnoneornil(L, 1) ? 0 : Number(lua.lua_tonumber(L, 1));
      const status = lua.lua_isboolean(L, 1) ? (lua.lua_toboolean(L, 1) ? 0 : 1) : code;
      this.exitProcess(status);
      return this.vm.abort(L, `the process exited with code ${status}`);
    });
    lua.lua_setfield(L, -2, "exit");
    lua.lua_pop(L, 1);
  }

  enablePrivilegedAgent(): string | null {
    return this.env.enablePrivilegedAgent();
  }

  timerCounts(): { pending: number; running: number } {
    let pending = 0;
    let running = 0;
    for (const t of this.timers.values()) {
      if (t.isRunning) running++;
      else pending++;
    }
    return { pending, running };
  }

  /** The network this process's cosockets connect through. */
  get network(): SocketNetwork | null {
    return this.env.network ?? null;
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
      maps: this.http?.maps,
    };
  }

  variable(r: HttpRequest, name: string): string | null {
    return readVariable(r, name, this.scope());
  }

  setVariable(r: HttpRequest, name: string, value: string | null): string | null {
    const error = writeVariable(r, name, value, this.scope());
    if (error === null) this.traceVariable(r, name, value);
    return error;
  }

  /** Records an nginx variable assignment for the request state view. */
  traceVariable(r: HttpRequest, name: string, value: string | null): void {
    this.trace.record({
      kind: "var-set",
      time: this.process.clock,
      pid: this.process.pid,
      connection: r.connection,
      name: name.toLowerCase(),
      value,
    });
  }

  /** ngx.ctx's fields as text, at most 50, each value at most 80 chars. */
  private ctxEntries(r: HttpRequest): Array<[string, string]> | null {
    if (r.ctxRef === null) return null;
    const L = this.vm.L;
    const entries: Array<[string, string]> = [];
    lua.lua_rawgeti(L, lua.LUA_REGISTRYINDEX, r.ctxRef);
    lua.lua_pushnil(L);
    while (entries.length < 50 && lua.lua_next(L, -2)) {
      const key =
        lua.lua_type(L, -2) === lua.LUA_TSTRING
          ? to_jsstring(lua.lua_tolstring(L, -2), undefined, undefined, true)
          : describeValue(L, -2);
      entries.push([key, describeValue(L, -1)]);
      lua.lua_pop(L, 1);
    }
    lua.lua_settop(L, lua.lua_gettop(L) - (entries.length < 50 ? 1 : 2));
    return entries;
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
    this.requests.add(r);
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
      if (this.isDead) return;
      this.process.beginIteration(at);
      gen ??= start();
      const next = gen.next();
      if (next.done) return;
      const wait = next.value;
      // The Wait ends once: at its timer or at an earlier wakeup.
      let isSettled = false;
      const continueAt = (due: number) =>
        this.env.scheduler.at(due, label, () => {
          if (isSettled) return;
          isSettled = true;
          step(due);
        });
      if (wait.wakeup) {
        wait.wakeup.notify = (eventAt) => {
          if (!isSettled) continueAt(Math.max(eventAt, this.env.scheduler.now));
        };
      }
      if (wait.kind === "forever") return;
      // nginx adds timers to its cached time (ngx_current_msec), not to
      // the real clock; the loop cannot run them before its work is done.
      const wake =
        Math.max(this.process.clock, this.process.cachedTime + wait.ms) +
        this.env.jitter.next();
      continueAt(wake);
    };
    this.env.scheduler.at(due, label, () => step(due));
  }

  startTimer(
    delayMs: number,
    callbackRef: number,
    argsRef: number,
    isEvery: boolean,
  ): string | null {
    if (this.isExiting && delayMs > 0) return "process exiting";
    const limit = this.http?.luaMaxPendingTimers ?? 1024;
    if (this.timerCounts().pending >= limit) return "too many pending timers";
    const timer: TimerEntry = {
      id: this.timerSeq++,
      callbackRef,
      argsRef,
      intervalMs: isEvery ? delayMs : null,
      isRunning: false,
      isCancelled: false,
      trailer: timerTrailer(this.current),
    };
    this.timers.set(timer.id, timer);
    this.scheduleTimer(timer, delayMs);
    return null;
  }

  private timerSeq = 1;

  private scheduleTimer(timer: TimerEntry, delayMs: number): void {
    this.trace.record({
      kind: "timer-scheduled",
      time: this.process.clock,
      pid: this.process.pid,
      delay: delayMs,
      timerId: timer.id,
    });
    const due = Math.max(this.process.clock, this.process.cachedTime + delayMs);
    this.drive(due, `timer ${timer.id}`, () => this.runTimer(timer, false));
  }

  /** Runs a timer's callback as a coroutine in the timer context. */
  private *runTimer(timer: TimerEntry, premature: boolean): Generator<Wait, void, void> {
    if (timer.isCancelled || timer.isRunning) return;
    timer.isRunning = true;
    this.trace.record({
      kind: "timer-fired",
      time: this.process.clock,
      pid: this.process.pid,
      timerId: timer.id,
      premature,
    });
    const ctx: HandlerContext = {
      phase: "timer",
      request: null,
      logSuffix: logSuffixFor("timer"),
      timerId: timer.id,
      trailer: timer.trailer,
    };
    const pushArgs = (L: LuaState) => {
      lua.lua_pushboolean(L, premature);
      lua.lua_rawgeti(L, lua.LUA_REGISTRYINDEX, timer.argsRef);
      lua.lua_getfield(L, -1, "n");
      const n = Number(lua.lua_tonumber(L, -1));
      lua.lua_pop(L, 1);
      for (let i = 1; i <= n; i++) lua.lua_rawgeti(L, -i, i);
      lua.lua_remove(L, -(n + 1));
      return n + 1;
    };
    const span = { pid: this.process.pid, timerId: timer.id };
    this.trace.record({ ...span, time: this.process.clock, kind: "phase-start", phase: "timer" });
    const outcome = yield* runCoroutine(this, timer.callbackRef, ctx, pushArgs);
    this.trace.record({
      ...span,
      time: this.process.clock,
      kind: "phase-end",
      phase: "timer",
      result: outcome.kind,
    });
    releaseCosockets(ctx, this.process.clock);
    timer.isRunning = false;
    if (outcome.kind === "error") {
      this.withContext(ctx, () =>
        logWithContext(
          this,
          "error",
          `lua entry thread aborted: runtime error: ${outcome.message}\n${outcome.traceback}`,
        ),
      );
    } else if (outcome.kind === "aborted" && !this.isDead) {
      this.withContext(ctx, () => logWithContext(this, "alert", `${outcome.reason} ${BUDGET_NOTE}`));
      this.kill();
      return;
    }
    if (timer.intervalMs !== null && !premature && !this.isExiting && !this.isDead) {
      this.scheduleTimer(timer, timer.intervalMs);
      return;
    }
    this.timers.delete(timer.id);
    lauxlib.luaL_unref(this.vm.L, lua.LUA_REGISTRYINDEX, timer.callbackRef);
    lauxlib.luaL_unref(this.vm.L, lua.LUA_REGISTRYINDEX, timer.argsRef);
    this.exitIfIdle();
  }

  /**
   * Starts a graceful exit (reload or quit): pending timers fire at once
   * with premature = true, then the process exits once nothing runs.
   */
  beginExit(due: number, isQuit: boolean): void {
    if (this.isDead || this.isExiting) return;
    this.env.scheduler.at(due, `exit ${this.process.pid}`, () => {
      if (this.isDead) return;
      this.process.beginIteration(due);
      this.isExiting = true;
      this.errorLog.write("notice", "gracefully shutting down", {
        time: this.process.clock,
        pid: this.process.pid,
      });
      for (const r of this.requests) if (isQuit) r.closeAfter = true;
      const firesPremature = this.process.kind === "worker";
      for (const timer of [...this.timers.values()]) {
        if (timer.isRunning) continue;
        if (!firesPremature) {
          timer.isCancelled = true;
          this.timers.delete(timer.id);
          continue;
        }
        timer.isCancelled = true;
        const premature = { ...timer, isCancelled: false };
        this.timers.set(timer.id, premature);
        this.drive(this.process.clock, `timer ${timer.id} (premature)`, () =>
          this.runTimer(premature, true),
        );
      }
      this.exitIfIdle();
    });
  }

  /** Exits when exiting and no request or timer callback runs. */
  private exitIfIdle(): void {
    if (!this.isExiting || this.isDead) return;
    if (this.requests.size > 0 || this.timers.size > 0) return;
    this.errorLog.write("notice", "exiting", { time: this.process.clock, pid: this.process.pid });
    this.errorLog.write("notice", "exit", { time: this.process.clock, pid: this.process.pid });
    this.die(0);
  }

  /** Ends the process with SIGKILL: timers and requests are lost. */
  kill(): void {
    if (this.isDead) return;
    for (const r of this.requests) r.wire.close();
    this.die("killed");
  }

  exitProcess(code: number): void {
    if (this.isDead) return;
    for (const r of this.requests) r.wire.close();
    this.die(code);
  }

  private die(status: number | "killed"): void {
    this.isDead = true;
    this.trace.record({
      kind: "process-exit",
      time: this.process.clock,
      pid: this.process.pid,
      process: this.process.kind,
      code: status === "killed" ? 137 : status,
    });
    this.env.onExit(this, status);
  }

  /** Writes an error-log line about a request. */
  logFor(r: HttpRequest, level: ErrorLogLevel, message: string): void {
    this.errorLog.write(level, message, {
      time: this.process.clock,
      pid: this.process.pid,
      connection: r.connection,
      subrequest: r.subrequestNumber,
      trailer: requestTrailer(r),
    });
  }

  /** Closes the connection at once: buffered output is lost. */
  failRequest(r: HttpRequest): void {
    r.wire.close();
  }

  /**
   * Ends a worker whose handler ran past the instruction budget (os.exit
   * aborts a handler too, but the process is gone by then).
   */
  abortRequest(r: HttpRequest, reason: string): void {
    if (this.isDead) return;
    this.logFor(r, "alert", `${reason} ${BUDGET_NOTE}`);
    this.kill();
  }

  /** Called when a request has gone through its log phase. */
  endRequest(r: HttpRequest): void {
    r.isFinalized = true;
    r.endTime = this.process.clock;
    releaseCosockets(r, this.process.clock);
    this.requests.delete(r);
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
    this.exitIfIdle();
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
      subrequest: r.subrequestNumber ?? undefined,
      source: chunkName ? { chunkName, line: 1 } : undefined,
    };
    if (edge === "start") {
      this.trace.record({ ...base, kind: "phase-start", phase });
      return;
    }
    this.trace.record({ ...base, kind: "phase-end", phase, result: result ?? "" });
    const entries = this.ctxEntries(r);
    if (entries) this.trace.record({ ...base, kind: "ctx-snapshot", phase, entries });
  }

  traceYield(
    ctx: HandlerContext,
    reason: string,
    ms: number,
    thread?: number,
    source?: SourcePosition,
  ): void {
    this.trace.record({
      kind: "yield",
      time: this.process.clock,
      pid: this.process.pid,
      connection: ctx.request?.connection,
      subrequest: ctx.request?.subrequestNumber ?? undefined,
      thread,
      timerId: ctx.timerId,
      source,
      phase: ctx.phase,
      reason,
    });
    if (reason === "sleep") {
      this.trace.record({
        kind: "sleep",
        time: this.process.clock,
        pid: this.process.pid,
        connection: ctx.request?.connection,
        subrequest: ctx.request?.subrequestNumber ?? undefined,
        thread,
        source,
        seconds: ms / 1000,
      });
    }
  }

  traceResume(ctx: HandlerContext, thread?: number): void {
    this.trace.record({
      kind: "resume",
      time: this.process.clock,
      pid: this.process.pid,
      connection: ctx.request?.connection,
      subrequest: ctx.request?.subrequestNumber ?? undefined,
      thread,
      timerId: ctx.timerId,
      phase: ctx.phase,
    });
  }

  /** Records a light thread's spawn or exit for the handler run `ctx`. */
  traceLightThread(
    ctx: HandlerContext,
    thread: number,
    event: { kind: "thread-spawn"; child: number } | { kind: "thread-exit"; outcome: "done" | "error" | "killed" },
    source?: SourcePosition,
  ): void {
    this.trace.record({
      ...event,
      time: this.process.clock,
      pid: this.process.pid,
      connection: ctx.request?.connection,
      subrequest: ctx.request?.subrequestNumber ?? undefined,
      thread,
      timerId: ctx.timerId,
      source,
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
