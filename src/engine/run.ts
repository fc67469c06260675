/**
 * Runs a Scenario on a simulated nginx and returns what a client and the
 * error log saw, with the trace of every step. Deterministic: the same
 * scenario gives the same result and trace.
 */
import { parseConfig } from "./config/parse";
import { ConfigError, type HttpConfig, type MainConfig, type Server } from "./config/types";
import { Wire } from "./http/wire";
import { Scheduler } from "./loop/scheduler";
import { expandPackageCpath, expandPackagePath } from "./luaPaths";
import { HttpRequest } from "./phases/httpRequest";
import { ErrorLog } from "./process/errorLog";
import { runInitByLua, runInitWorkerByLua } from "./process/startup";
import { Worker } from "./process/worker";
import type { RequestSpec, ResponseRecord, RunResult, Scenario } from "./scenario";
import { MemoryDict } from "./shdict/memoryDict";
import { TraceRecorder } from "./trace/recorder";

const MASTER_PID = 1000;
/** How long after start-up the first request arrives (the oracle waits 0.3 s). */
const STARTUP_WAIT_MS = 300;

/** The nginx prefix a conf path implies (`$PREFIX/conf/nginx.conf` -> `$PREFIX`). */
function prefixOf(confPath: string): string {
  const m = /^(.*)\/conf\/[^/]+$/.exec(confPath);
  return m ? m[1] : "/usr/local/openresty/nginx";
}

/** Names that `set` and set_by_lua declare anywhere in the config. */
function declaredVariables(http: HttpConfig | null): Set<string> {
  const names = new Set<string>();
  const visit = (steps: Server["rewrite"]) => {
    for (const step of steps) {
      if (step.kind === "set" || step.kind === "set_by_lua") {
        names.add(step.variable.toLowerCase());
      }
    }
  };
  const visitLocations = (locations: Server["locations"]) => {
    for (const loc of locations) {
      visit(loc.rewrite);
      visitLocations(loc.locations);
    }
  };
  for (const server of http?.servers ?? []) {
    visit(server.rewrite);
    visitLocations(server.locations);
  }
  return names;
}

function failedStart(message: string, stage: "test" | "start", trace: TraceRecorder, log: ErrorLog): RunResult {
  return {
    startupError: message,
    startupStage: stage,
    responses: [],
    errorLog: log.entries,
    stderr: log.stderr,
    trace: trace.events,
    endTime: 0,
  };
}

/** Picks the server block for a request: the default one of the first port. */
function pickServer(http: HttpConfig): Server | null {
  return http.servers.find((s) => s.listen.some((l) => l.isDefaultServer)) ?? http.servers[0] ?? null;
}

/**
 * Removes `.` and `..` segments from the raw path as curl does before
 * sending (RFC 3986 remove_dot_segments); escapes stay as typed.
 */
export function clientRequestUri(uri: string): string {
  const q = uri.indexOf("?");
  const path = q >= 0 ? uri.slice(0, q) : uri;
  const query = q >= 0 ? uri.slice(q) : "";
  const out: string[] = [];
  const segments = path.split("/");
  segments.forEach((segment, i) => {
    const isLast = i === segments.length - 1;
    if (segment === "." || segment === "..") {
      if (segment === ".." && out.length > 1) out.pop();
      if (isLast) out.push("");
    } else {
      out.push(segment);
    }
  });
  return (out.join("/") || "/") + query;
}

function clientHeaders(spec: RequestSpec, server: Server, scenario: Scenario): Array<[string, string]> {
  const port = server.listen[0]?.port ?? 80;
  const headers: Array<[string, string]> = [
    ["Host", `127.0.0.1:${port}`],
    ["User-Agent", scenario.clientUserAgent ?? "curl/7.88.1"],
    ["Accept", "*/*"],
    ...spec.headers,
  ];
  if (spec.body !== null) {
    const hasType = spec.headers.some(([n]) => n.toLowerCase() === "content-type");
    headers.push(["Content-Length", String(new TextEncoder().encode(spec.body).length)]);
    if (!hasType) headers.push(["Content-Type", "application/x-www-form-urlencoded"]);
  }
  return headers;
}

/** Runs a scenario to the end. */
export function runScenario(scenario: Scenario): RunResult {
  const trace = new TraceRecorder();
  const errorLog = new ErrorLog(trace, "info");
  let config: MainConfig;
  try {
    config = parseConfig(scenario.nginxConf, scenario.confPath);
  } catch (error) {
    if (error instanceof ConfigError) {
      const message =
        `nginx: [emerg] ${error.message}\n` +
        `nginx: configuration file ${scenario.confPath} test failed`;
      return failedStart(message, "test", trace, errorLog);
    }
    throw error;
  }
  errorLog.setLevel(config.errorLogLevel);
  const sim = new Simulation(scenario, config, trace, errorLog);
  return sim.run();
}

/** One run: the master, its worker, the clients and the clock. */
class Simulation {
  private readonly scheduler = new Scheduler();
  private readonly responses: Array<{ r: HttpRequest; record?: ResponseRecord }> = [];
  private nextConnection = 1;
  private worker: Worker | null = null;

  constructor(
    private readonly scenario: Scenario,
    private readonly config: MainConfig,
    private readonly trace: TraceRecorder,
    private readonly errorLog: ErrorLog,
  ) {}

  run(): RunResult {
    const http = this.config.http;
    const prefix = prefixOf(this.scenario.confPath);
    const dicts = new Map<string, MemoryDict>();
    const worker = new Worker({
      pid: MASTER_PID + 1,
      masterPid: MASTER_PID,
      workerId: 0,
      workerCount: 1,
      config: this.config,
      scheduler: this.scheduler,
      trace: this.trace,
      errorLog: this.errorLog,
      sharedDicts: dicts,
      files: this.scenario.files,
      startTimeMs: this.scenario.startTimeMs,
      nsPerInstruction: this.scenario.nsPerInstruction,
      seed: this.scenario.seed,
      prefix,
      packagePath: expandPackagePath(http?.packagePath?.replace(/\$\{prefix\}/g, `${prefix}/`) ?? null),
      packageCpath: expandPackageCpath(null),
      declaredVariables: declaredVariables(http),
      onRequestEnd: () => undefined,
    });
    for (const d of http?.sharedDicts ?? []) {
      dicts.set(d.name, new MemoryDict(d.name, d.size, () => worker.process.cachedTime));
    }
    this.worker = worker;
    this.trace.record({ kind: "process-start", time: 0, pid: MASTER_PID, process: "master", workerId: null });
    const initError = http?.initByLua ? runInitByLua(worker, http.initByLua) : null;
    if (initError) {
      return failedStart(initError, "start", this.trace, this.errorLog);
    }
    this.trace.record({ kind: "process-start", time: 0, pid: worker.process.pid, process: "worker", workerId: 0 });
    if (http?.initWorkerByLua) runInitWorkerByLua(worker, http.initWorkerByLua);
    const end = this.runSteps(http);
    return {
      startupError: null,
      startupStage: null,
      responses: this.responses.map(({ r }, i) =>
        r.wire.toRecord(i, worker.process.pid, r.method === "HEAD"),
      ),
      errorLog: this.errorLog.entries,
      stderr: this.errorLog.stderr,
      trace: this.trace.events,
      endTime: end,
    };
  }

  private runSteps(http: HttpConfig | null): number {
    let time = STARTUP_WAIT_MS;
    this.runUntil(time, () => false);
    const server = http ? pickServer(http) : null;
    for (const step of this.scenario.steps) {
      if (step.step === "sleep") {
        time += step.seconds * 1000;
        this.runUntil(time, () => false);
      } else if (step.step === "request" && server && this.worker) {
        const batch = this.sendRequests(step.request, server, time);
        const deadline = time + this.scenario.requestTimeout * 1000;
        const isDone = () => batch.every((r) => r.wire.state !== "open");
        time = this.runUntil(deadline, isDone);
        if (!isDone()) time = deadline;
      }
    }
    return this.runUntil(time + this.scenario.waitAfter * 1000, () => false);
  }

  private sendRequests(spec: RequestSpec, server: Server, time: number): HttpRequest[] {
    const batch: HttpRequest[] = [];
    for (let i = 0; i < Math.max(1, spec.parallel); i++) {
      const connection = this.nextConnection++;
      const r = new HttpRequest(
        connection,
        this.responses.length,
        spec.method,
        clientRequestUri(spec.uri),
        clientHeaders(spec, server, this.scenario),
        spec.body,
        server,
        new Wire(connection),
        time,
      );
      this.responses.push({ r });
      batch.push(r);
      this.worker!.accept(r, time);
    }
    return batch;
  }

  /**
   * Runs tasks in virtual-time order until `isDone` holds or the next task
   * is due after `limit`; returns the virtual time reached.
   */
  private runUntil(limit: number, isDone: () => boolean): number {
    let now = 0;
    for (;;) {
      if (isDone()) return Math.max(now, this.worker?.process.clock ?? 0);
      const task = this.scheduler.peek();
      if (!task || task.due > limit) return limit;
      this.scheduler.pop();
      now = task.due;
      task.run();
    }
  }
}
