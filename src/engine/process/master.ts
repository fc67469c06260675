/**
 * The nginx master process: it runs init_by_lua, starts the workers and
 * the privileged agent, hands each connection to a worker, respawns
 * workers that die, and carries out reload (SIGHUP) and quit (SIGQUIT).
 */
import type { MainConfig } from "../config/types";
import { Jitter } from "../loop/jitter";
import type { RunCounters } from "../loop/runCounters";
import type { SocketNetwork } from "../lua/ngx/cosocket";
import type { Scheduler } from "../loop/scheduler";
import { expandPackageCpath, expandPackagePath } from "../luaPaths";
import type { HttpRequest } from "../phases/httpRequest";
import type { Scenario } from "../scenario";
import { MemoryDict } from "../shdict/memoryDict";
import type { ZoneBuffer } from "../shdict/dictZone";
import type { TraceRecorder } from "../trace/recorder";
import type { ErrorLog } from "./errorLog";
import type { ProcessKind } from "../trace/events";
import type { InitJournal } from "../lua/initJournal";
import { runInitByLua, runInitWorkerByLua } from "./startup";
import { Worker, type WorkerEnv } from "./worker";

export const MASTER_PID = 1000;

/** Cores assumed for `worker_processes auto` when the scenario gives none. */
const AUTO_DEFAULT_CORES = 2;

/** The maximum number of workers `worker_processes auto` starts in the simulator. */
const MAX_AUTO_WORKERS = 16;

/**
 * A child process as the master drives it: a Worker in this thread, or a
 * handle on a process that runs in a thread of its own.
 */
export interface ProcessRef {
  readonly process: {
    readonly pid: number;
    readonly kind: ProcessKind;
    readonly workerId: number | null;
    /** Virtual ms of the process's clock (its exit time once it exited). */
    readonly clock: number;
  };
  readonly isDead: boolean;
  readonly isExiting: boolean;
  /** Requests it serves now (for the least-busy policy). */
  readonly activeRequests: number;
  accept(r: HttpRequest, due: number): void;
  beginExit(due: number, isQuit: boolean): void;
  kill(): void;
}

/** A launcher's order to start one process of a generation. */
export interface LaunchRequest {
  pid: number;
  kind: "worker" | "privileged agent";
  workerId: number | null;
  /** Virtual ms of the start. */
  at: number;
  /** init_by_lua's journal and the dicts' buffers, as of this launch. */
  fork: ForkState;
  /** Reports the process's exit to the master. */
  onExit(process: ProcessRef, status: number | "killed"): void;
}

/** Starts child processes somewhere other than this thread. */
export type Launcher = (request: LaunchRequest) => ProcessRef;

/** The state a forked worker inherits: init_by_lua's journal and the dicts. */
export interface ForkState {
  journal: InitJournal | null;
  dictBuffers: Array<{ name: string; buffer: ZoneBuffer }>;
  hasAgent: boolean;
}

/**
 * How the master picks the worker for a new connection. Real nginx leaves
 * it to the kernel (whichever worker accepts first), so the simulator
 * makes it an explicit, visible choice.
 */
export type BalancePolicy = "round-robin" | "least-busy" | "client-hash";

/** Names that `set` and set_by_lua declare anywhere in the config. */
function declaredVariables(config: MainConfig): Set<string> {
  const names = new Set<string>();
  type Steps = NonNullable<MainConfig["http"]>["servers"][number]["rewrite"];
  type Locations = NonNullable<MainConfig["http"]>["servers"][number]["locations"];
  const visit = (steps: Steps) => {
    for (const step of steps) {
      if (step.kind === "set" || step.kind === "set_by_lua") {
        names.add(step.variable.toLowerCase());
      }
      if (step.kind === "if") visit(step.steps);
    }
  };
  const visitLocations = (locations: Locations) => {
    for (const loc of locations) {
      visit(loc.rewrite);
      visitLocations(loc.locations);
    }
  };
  for (const server of config.http?.servers ?? []) {
    visit(server.rewrite);
    visitLocations(server.locations);
  }
  return names;
}

/** The nginx prefix a conf path implies (`$PREFIX/conf/nginx.conf` -> `$PREFIX`). */
export function prefixOf(confPath: string): string {
  const m = /^(.*)\/conf\/[^/]+$/.exec(confPath);
  return m ? m[1] : "/usr/local/openresty/nginx";
}

/** The address of every simulated client. */
const CLIENT_ADDRESS = "127.0.0.1";

/** Hashes text to a stable 32-bit number (FNV-1a). */
function hashText(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash;
}

/**
 * Picks a connection's worker among `live` (not empty) by `policy`;
 * `turn` counts the round-robin picks so far.
 */
export function chooseWorker<T>(
  policy: BalancePolicy,
  live: readonly T[],
  busy: (worker: T) => number,
  turn: number,
): T {
  if (policy === "least-busy") return live.reduce((a, b) => (busy(b) < busy(a) ? b : a));
  if (policy === "client-hash") {
    // Every simulated client is 127.0.0.1, so all its connections land
    // on the same worker: the way to force requests onto one worker.
    return live[hashText(CLIENT_ADDRESS) % live.length];
  }
  return live[turn % live.length];
}

/** A master's settings: its worker policy, its launcher and its counters. */
export interface MasterOptions {
  policy?: BalancePolicy;
  /** Starts children elsewhere (each in a thread); absent starts them here. */
  launcher?: Launcher | null;
  /** The run's shared counters (the jitter state lives there). */
  counters?: RunCounters;
}

export class Master {
  readonly policy: BalancePolicy;
  private readonly launcher: Launcher | null;
  private nextPid = MASTER_PID + 1;
  /** The current generation of workers, indexed by worker id. */
  workers: ProcessRef[] = [];
  agent: ProcessRef | null = null;
  /** Every process ever started, for lookups by pid. */
  readonly all: ProcessRef[] = [];
  private readonly dicts = new Map<string, MemoryDict>();
  private hasAgent = false;
  private isQuitting = false;
  private hasExited = false;
  private nextWorker = 0;
  /** One noise source for the whole run, so the seed fixes every delay. */
  readonly jitter: Jitter;
  /** Where workers' cosockets connect; set before start(). */
  network: SocketNetwork | null = null;
  /**
   * Replaces the master's own handling of a child's exit, in a thread
   * that runs one process and reports its exit to the real master.
   */
  private exitHandler: WorkerEnv["onExit"] | null = null;

  constructor(
    private readonly scenario: Scenario,
    private readonly config: MainConfig,
    private readonly scheduler: Scheduler,
    private readonly trace: TraceRecorder,
    private readonly errorLog: ErrorLog,
    options: MasterOptions = {},
  ) {
    this.policy = options.policy ?? "round-robin";
    this.launcher = options.launcher ?? null;
    this.jitter = new Jitter(scenario.seed, scenario.jitterMs ?? 0, options.counters);
  }

  get workerCount(): number {
    const n = this.config.workerProcesses;
    if (n !== "auto") return n;
    const cores = Math.floor(this.scenario.cpuCount ?? AUTO_DEFAULT_CORES);
    return Math.min(Math.max(cores, 1), MAX_AUTO_WORKERS);
  }

  private baseEnv(): Omit<WorkerEnv, "pid" | "kind" | "workerId"> {
    const prefix = prefixOf(this.scenario.confPath);
    const http = this.config.http;
    const configuredPath = http?.packagePath?.replace(/\$\{prefix\}/g, `${prefix}/`) ?? null;
    return {
      masterPid: MASTER_PID,
      workerCount: this.workerCount,
      config: this.config,
      scheduler: this.scheduler,
      trace: this.trace,
      errorLog: this.errorLog,
      sharedDicts: this.dicts,
      files: this.scenario.files,
      startTimeMs: this.scenario.startTimeMs,
      nsPerInstruction: this.scenario.nsPerInstruction,
      seed: this.scenario.seed,
      jitter: this.jitter,
      network: this.network,
      prefix,
      packagePath: expandPackagePath(configuredPath),
      packageCpath: expandPackageCpath(null),
      declaredVariables: declaredVariables(this.config),
      onExit: (worker, status) => (this.exitHandler ?? ((w, s) => this.onExit(w, s)))(worker, status),
      enablePrivilegedAgent: () => {
        this.hasAgent = true;
        return null;
      },
    };
  }

  /**
   * Creates the shared dicts, runs init_by_lua and starts the workers.
   * Returns nginx's start-up error, or null.
   */
  start(): string | null {
    for (const d of this.config.http?.sharedDicts ?? []) {
      this.dicts.set(d.name, new MemoryDict(d.name, d.size, () => this.scheduler.now));
    }
    this.trace.record({ kind: "process-start", time: 0, pid: MASTER_PID, process: "master", workerId: null });
    const cacheOff = this.config.http?.luaCodeCacheOffSrc;
    if (cacheOff) {
      this.errorLog.write(
        "alert",
        `lua_code_cache is off; this will hurt performance in ${this.scenario.confPath}:${cacheOff.line}`,
        { time: 0, pid: MASTER_PID },
        true,
      );
    }
    const error = this.runInit();
    if (error) return error;
    this.startGeneration(0);
    return null;
  }

  /** Returns what a thread needs to fork a worker from this master. */
  forkState(): ForkState {
    return {
      journal: this.initJournal,
      dictBuffers: [...this.dicts].map(([name, dict]) => ({ name, buffer: dict.buffer })),
      hasAgent: this.hasAgent,
    };
  }

  /**
   * Starts one process of a thread that runs only it: its dicts attach to
   * the master's buffers and its init_by_lua replays the master's journal.
   */
  spawnForked(
    fork: ForkState,
    process: { pid: number; kind: "worker" | "privileged agent"; workerId: number | null },
    onExit: WorkerEnv["onExit"],
    at: number,
  ): Worker {
    for (const d of this.config.http?.sharedDicts ?? []) {
      const shared = fork.dictBuffers.find((b) => b.name === d.name);
      this.dicts.set(d.name, new MemoryDict(d.name, d.size, () => this.scheduler.now, shared?.buffer));
    }
    this.initJournal = fork.journal;
    this.exitHandler = onExit;
    return this.spawnHere(process.pid, process.kind, process.workerId, at);
  }

  /** Runs init_by_lua in a fresh master VM; returns its error or null. */
  private runInit(isReload = false): string | null {
    const code = this.config.http?.initByLua;
    if (!code) return null;
    const masterVm = new Worker({
      ...this.baseEnv(),
      pid: MASTER_PID,
      kind: "master",
      workerId: null,
      isLoggingToStderr: !isReload,
    });
    const journal: InitJournal = { mode: "record", entries: [], cursor: 0 };
    const error = runInitByLua(masterVm, code, journal);
    if (error === null) this.initJournal = { ...journal, mode: "replay" };
    return error;
  }

  /** The journal of the current master's init_by_lua run, for forked workers. */
  private initJournal: InitJournal | null = null;

  private spawn(kind: "worker" | "privileged agent", workerId: number | null, at: number): ProcessRef {
    const pid = this.nextPid++;
    const child = this.launcher
      ? this.launcher({
          pid,
          kind,
          workerId,
          at,
          fork: this.forkState(),
          onExit: (process, status) => this.onExit(process, status),
        })
      : this.spawnHere(pid, kind, workerId, at);
    this.all.push(child);
    return child;
  }

  /** Starts a child in this thread, as a fork of this master would be. */
  private spawnHere(
    pid: number,
    kind: "worker" | "privileged agent",
    workerId: number | null,
    at: number,
  ): Worker {
    const worker = new Worker({ ...this.baseEnv(), pid, kind, workerId });
    worker.process.clock = at;
    this.trace.record({
      kind: "process-start",
      time: at,
      pid: worker.process.pid,
      process: kind,
      workerId,
    });
    const http = this.config.http;
    // A worker is a fork of the master: it starts with init_by_lua's
    // globals and loaded modules, without running its side effects again.
    if (http?.initByLua && this.initJournal) {
      runInitByLua(worker, http.initByLua, { ...this.initJournal, cursor: 0 });
    }
    if (http?.initWorkerByLua) runInitWorkerByLua(worker, http.initWorkerByLua);
    worker.captureStartupState();
    return worker;
  }

  private logMaster(level: "notice" | "alert" | "error", message: string, at: number): void {
    this.errorLog.write(level, message, { time: at, pid: MASTER_PID });
  }

  /** Starts a full generation of workers (and the agent, if enabled). */
  private startGeneration(at: number, announce = false): void {
    this.workers = [];
    for (let id = 0; id < this.workerCount; id++) {
      const worker = this.spawn("worker", id, at);
      this.workers.push(worker);
      if (announce) this.logMaster("notice", `start worker process ${worker.process.pid}`, at);
    }
    this.agent = null;
    if (this.hasAgent) {
      this.agent = this.spawn("privileged agent", null, at);
      if (announce) {
        this.logMaster("notice", `start privileged agent process ${this.agent.process.pid}`, at);
      }
    }
  }

  /** Picks the worker for a new connection, or null if none can take it. */
  pickWorker(): ProcessRef | null {
    const live = this.workers.filter((w) => !w.isDead && !w.isExiting);
    if (live.length === 0) return null;
    const worker = chooseWorker(this.policy, live, (w) => w.activeRequests, this.nextWorker);
    if (this.policy === "round-robin") this.nextWorker++;
    return worker;
  }

  /** Hands a connection to a worker at virtual time `at`. */
  dispatch(r: HttpRequest, at: number): ProcessRef | null {
    const worker = this.pickWorker();
    worker?.accept(r, at);
    return worker;
  }

  private onExit(worker: ProcessRef, status: number | "killed"): void {
    const at = worker.process.clock;
    const pid = worker.process.pid;
    const name = worker.process.kind === "privileged agent" ? "privileged agent" : "worker";
    this.logChildExit(worker.process.kind, pid, status, at);
    // Children in threads report their exits in any order, so the master
    // exits at the latest exit time, not at the last report's.
    if (this.isQuitting && this.isStopped) {
      this.exit(Math.max(at, ...this.all.map((child) => child.process.clock)));
    }
    if (worker.isExiting || this.isQuitting) return;
    if (status === 2) {
      this.logMaster("alert", `${name} process ${pid} exited with fatal code 2 and cannot be respawned`, at);
      return;
    }
    this.scheduler.at(at, `respawn ${pid}`, () => this.respawn(worker, at));
  }

  /** Writes the lines nginx's master logs when it reaps a child. */
  logChildExit(kind: string, pid: number, status: number | "killed", at: number): void {
    const name = kind === "privileged agent" ? "privileged agent" : "worker";
    this.logMaster("notice", `signal 17 (SIGCHLD) received from ${pid}`, at);
    if (status === "killed") {
      this.logMaster("alert", `${name} process ${pid} exited on signal 9`, at);
    } else {
      this.logMaster("notice", `${name} process ${pid} exited with code ${status}`, at);
    }
  }

  /** Exits the master once its last child is gone after a quit. */
  exit(at: number): void {
    if (this.hasExited) return;
    this.hasExited = true;
    this.logMaster("notice", "exit", at);
    this.trace.record({ kind: "process-exit", time: at, pid: MASTER_PID, process: "master", code: 0 });
  }

  private respawn(dead: ProcessRef, at: number): void {
    const kind = dead.process.kind === "privileged agent" ? "privileged agent" : "worker";
    const worker = this.spawn(kind, dead.process.workerId, at);
    const label = kind === "worker" ? "worker" : "privileged agent";
    this.logMaster("notice", `start ${label} process ${worker.process.pid}`, at);
    if (kind === "worker") {
      const index = this.workers.indexOf(dead);
      if (index >= 0) this.workers[index] = worker;
    } else if (this.agent === dead) {
      this.agent = worker;
    }
  }

  /** SIGHUP: re-runs init_by_lua, starts new workers, retires the old ones. */
  reload(at: number): void {
    this.trace.record({ kind: "signal", time: at, pid: MASTER_PID, signal: "reload" });
    this.logMaster("notice", "signal 1 (SIGHUP) received, reconfiguring", at);
    this.logMaster("notice", "reconfiguring", at);
    const hadAgent = this.hasAgent;
    this.hasAgent = false;
    const error = this.runInit(true);
    if (error) {
      this.hasAgent = hadAgent;
      this.logMaster("error", error.replace(/^nginx: \[error\] /, ""), at);
      return;
    }
    const old = [...this.workers, ...(this.agent ? [this.agent] : [])];
    this.startGeneration(at, true);
    for (const worker of old) worker.beginExit(at, false);
  }

  /** SIGQUIT: every process finishes its work and exits. */
  quit(at: number): void {
    if (this.isQuitting) return;
    this.trace.record({ kind: "signal", time: at, pid: MASTER_PID, signal: "quit" });
    this.logMaster("notice", "signal 3 (SIGQUIT) received, shutting down", at);
    this.isQuitting = true;
    for (const worker of [...this.workers, ...(this.agent ? [this.agent] : [])]) {
      worker.beginExit(at, true);
    }
  }

  /** SIGKILL to one worker: the one with `pid`, else the lowest-pid worker. */
  killWorker(pid: number | null): void {
    const live = this.workers.filter((w) => !w.isDead);
    const target = live.find((w) => w.process.pid === pid) ?? live[0];
    if (!target) return;
    this.trace.record({ kind: "signal", time: target.process.clock, pid: target.process.pid, signal: "kill" });
    target.kill();
  }

  /** True when every process has exited. */
  get isStopped(): boolean {
    return this.all.every((w) => w.isDead);
  }
}
