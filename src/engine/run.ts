/**
 * Runs a Scenario on a simulated nginx and returns what a client and the
 * error log saw, with the trace of every step. Deterministic: the same
 * scenario gives the same result and trace.
 */
import { parseConfig } from "./config/parse";
import { PLACEHOLDER_BASE_PORT } from "./config/values";
import { ConfigError, type HttpConfig, type MainConfig, type Server } from "./config/types";
import { Wire } from "./http/wire";
import { Scheduler } from "./loop/scheduler";
import { HttpRequest } from "./phases/httpRequest";
import { LoopbackNetwork } from "./phases/socketConnection";
import { ErrorLog } from "./process/errorLog";
import { Master } from "./process/master";
import type { Worker } from "./process/worker";
import type { RequestSpec, RunResult, Scenario } from "./scenario";
import { detectRaces, type RaceFinding } from "./trace/raceDetector";
import { TraceRecorder } from "./trace/recorder";

/** How long after start-up the first request arrives (the oracle waits 0.3 s). */
export const STARTUP_WAIT_MS = 300;

/**
 * Virtual ms between a response and the client's next request. The
 * oracle starts a new curl process for each step, which takes at least
 * that long. So work the last request left behind (a 0-delay timer's
 * cosocket) finishes first, as it does there.
 */
export const CLIENT_TURNAROUND_MS = 1;

export function failedStart(message: string, stage: "test" | "start", trace: TraceRecorder, log: ErrorLog): RunResult {
  return {
    startupError: message,
    startupStage: stage,
    responses: [],
    errorLog: log.entries,
    stderr: log.stderr,
    trace: trace.events,
    races: [],
    endTime: 0,
  };
}

/**
 * Picks the server block a client request reaches. That is a block on
 * Test::Nginx's server port when one listens there, because the other
 * blocks are backends for cosockets. Otherwise it is a block on the first
 * port. The port's default server comes first.
 */
export function pickServer(http: HttpConfig): Server | null {
  const first = http.servers[0]?.listen[0]?.port;
  const hasTestPort = http.servers.some((s) =>
    s.listen.some((l) => l.port === PLACEHOLDER_BASE_PORT),
  );
  const port = hasTestPort ? PLACEHOLDER_BASE_PORT : first;
  const onPort = http.servers.filter((s) => s.listen.some((l) => l.port === port));
  const isDefault = (s: Server) =>
    s.listen.some((l) => l.port === port && l.isDefaultServer);
  return onPort.find(isDefault) ?? onPort[0] ?? http.servers[0] ?? null;
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
  ];
  // As with curl -H, a header the user gives replaces a default of the
  // same name instead of being sent twice.
  for (const [name, value] of spec.headers) {
    const index = headers.findIndex(([n]) => n.toLowerCase() === name.toLowerCase());
    const isDefault = index >= 0 && index < 3;
    if (isDefault) headers[index] = [name, value];
    else headers.push([name, value]);
  }
  if (spec.body !== null) {
    const hasType = spec.headers.some(([n]) => n.toLowerCase() === "content-type");
    headers.push(["Content-Length", String(new TextEncoder().encode(spec.body).length)]);
    if (!hasType) headers.push(["Content-Type", "application/x-www-form-urlencoded"]);
  }
  return headers;
}

/** A client request of a scenario step, as it arrives at `time`. */
export function newClientRequest(
  spec: RequestSpec,
  connection: number,
  requestIndex: number,
  server: Server,
  scenario: Scenario,
  time: number,
): HttpRequest {
  return new HttpRequest(
    connection,
    requestIndex,
    spec.method,
    clientRequestUri(spec.uri),
    clientHeaders(spec, server, scenario),
    spec.body,
    server,
    new Wire(connection),
    time,
  );
}

/**
 * Parses the scenario's nginx.conf as `nginx -t` would. Returns the
 * config, or the failed run that reports its error.
 */
export function testConfig(
  scenario: Scenario,
  trace: TraceRecorder,
  errorLog: ErrorLog,
): MainConfig | RunResult {
  try {
    const config = parseConfig(scenario.nginxConf, scenario.confPath);
    errorLog.setLevel(config.errorLogLevel);
    return config;
  } catch (error) {
    if (error instanceof ConfigError) {
      const message =
        `nginx: [emerg] ${error.message}\n` +
        `nginx: configuration file ${scenario.confPath} test failed`;
      return failedStart(message, "test", trace, errorLog);
    }
    throw error;
  }
}

/** Finds a run's races and adds each to the trace at its write. */
export function recordRaces(trace: TraceRecorder): RaceFinding[] {
  const races = detectRaces(trace.events);
  for (const race of races) {
    trace.record({
      kind: "race",
      time: race.writeTime,
      pid: race.actor.pid,
      connection: race.actor.connection ?? undefined,
      timerId: race.actor.timerId ?? undefined,
      thread: race.actor.thread ?? undefined,
      source: race.writeSource ?? undefined,
      race: race.kind,
      resource: race.dict,
      key: race.key,
    });
  }
  return races;
}

/** Runs a scenario to the end. */
export function runScenario(scenario: Scenario): RunResult {
  const trace = new TraceRecorder();
  const errorLog = new ErrorLog(trace, "info");
  const config = testConfig(scenario, trace, errorLog);
  if ("startupError" in config) return config;
  const sim = new Simulation(scenario, config, trace, errorLog);
  return sim.run();
}

/** One run: the master, its workers, the clients and the clock. */
class Simulation {
  private readonly scheduler = new Scheduler();
  private readonly sent: Array<{ r: HttpRequest; worker: Worker | null }> = [];
  private nextConnection = 1;
  private readonly master: Master;

  constructor(
    private readonly scenario: Scenario,
    private readonly config: MainConfig,
    private readonly trace: TraceRecorder,
    private readonly errorLog: ErrorLog,
  ) {
    this.master = new Master(scenario, config, this.scheduler, trace, errorLog, scenario.balancePolicy);
    this.master.network = new LoopbackNetwork({
      http: config.http,
      scheduler: this.scheduler,
      pickWorker: () => this.master.pickWorker(),
      nextConnection: () => this.nextConnection++,
    });
  }

  run(): RunResult {
    const initError = this.master.start();
    if (initError) return failedStart(initError, "start", this.trace, this.errorLog);
    const end = this.runSteps();
    return {
      startupError: null,
      startupStage: null,
      responses: this.sent.map(({ r, worker }, i) =>
        r.wire.toRecord(
          i,
          worker?.process.pid ?? null,
          r.method === "HEAD",
          this.scenario.requestTimeout * 1000,
        ),
      ),
      errorLog: this.errorLog.entries,
      stderr: this.errorLog.stderr,
      trace: this.trace.events,
      races: recordRaces(this.trace),
      endTime: end,
    };
  }

  private runSteps(): number {
    let time = STARTUP_WAIT_MS;
    this.runUntil(time, () => false);
    const server = this.config.http ? pickServer(this.config.http) : null;
    const background: HttpRequest[] = [];
    let lastPid: number | null = null;
    for (const step of this.scenario.steps) {
      if (step.step === "sleep") {
        time += step.seconds * 1000;
        this.runUntil(time, () => false);
      } else if (step.step === "request" && server) {
        const batch = this.sendRequests(step.request, server, time);
        if (step.background) {
          background.push(...batch);
          continue;
        }
        time = this.awaitResponses(batch, time) + CLIENT_TURNAROUND_MS;
        lastPid = this.sent.find((s) => s.r === batch[batch.length - 1])?.worker?.process.pid ?? lastPid;
      } else if (step.step === "reload") {
        this.scheduler.at(time, "reload", () => this.master.reload(time));
        time = this.runUntil(time + STARTUP_WAIT_MS, () => false);
      } else if (step.step === "kill-worker") {
        this.scheduler.at(time, "kill-worker", () => this.master.killWorker(lastPid));
        time = this.runUntil(time + STARTUP_WAIT_MS, () => false);
      } else if (step.step === "quit") {
        this.scheduler.at(time, "quit", () => this.master.quit(time));
        const deadline = time + this.scenario.requestTimeout * 1000;
        return this.runUntil(deadline, () => this.master.isStopped);
      }
    }
    if (background.length > 0) time = this.awaitResponses(background, time);
    time = this.runUntil(time + this.scenario.waitAfter * 1000, () => false);
    if (!this.scenario.quitAtEnd) return time;
    // Like the oracle's runner, end with `nginx -s quit`: pending timers
    // fire with premature = true and workers exit gracefully.
    const at = time;
    this.scheduler.at(at, "quit", () => this.master.quit(at));
    return this.runUntil(at + this.scenario.requestTimeout * 1000, () => this.master.isStopped);
  }

  /** Runs until every request of the batch has a response or has timed out. */
  private awaitResponses(batch: HttpRequest[], time: number): number {
    const deadline = time + this.scenario.requestTimeout * 1000;
    const isDone = () => batch.every((r) => r.wire.state !== "open");
    const reached = this.runUntil(deadline, isDone);
    if (!isDone()) return deadline;
    // The client sees the response when the worker sent it, which can be
    // later than the start of the task that produced it.
    const ends = batch.map((r) => r.endTime ?? reached);
    return Math.max(time, reached, ...ends);
  }

  private sendRequests(spec: RequestSpec, server: Server, time: number): HttpRequest[] {
    const batch: HttpRequest[] = [];
    for (let i = 0; i < Math.max(1, spec.parallel); i++) {
      const connection = this.nextConnection++;
      const r = newClientRequest(spec, connection, this.sent.length, server, this.scenario, time);
      const entry = { r, worker: null as Worker | null };
      this.sent.push(entry);
      batch.push(r);
      const arrival = time + this.master.jitter.next();
      this.scheduler.at(arrival, `connect *${connection}`, () => {
        entry.worker = this.master.dispatch(r, arrival);
      });
    }
    return batch;
  }

  /**
   * Runs tasks in virtual-time order until `isDone` holds or the next task
   * is due after `limit`; returns the virtual time reached.
   */
  private runUntil(limit: number, isDone: () => boolean): number {
    let now = this.scheduler.now;
    for (;;) {
      if (isDone()) return now;
      const task = this.scheduler.peek();
      if (!task || task.due > limit) return limit;
      this.scheduler.pop();
      now = task.due;
      task.run();
    }
  }
}
