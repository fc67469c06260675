/**
 * One nginx process (a worker or the privileged agent) running in a thread
 * of its own for a real-threads run. It forks from the master's state
 * (init_by_lua's journal, the shared dicts' buffers) and then runs its
 * event loop paced by the wall clock: a task due at virtual time t runs
 * once t ms have passed since the run's epoch. So two workers' sleeps
 * overlap in real time, and their shared dict operations interleave as
 * the two threads happen to run.
 */
import { parseConfig } from "../config/parse";
import type { MainConfig, Server } from "../config/types";
import { Scheduler } from "../loop/scheduler";
import { Wire } from "../http/wire";
import { HttpRequest } from "../phases/httpRequest";
import { LoopbackNetwork } from "../phases/socketConnection";
import { ErrorLog } from "../process/errorLog";
import { Master } from "../process/master";
import type { Worker } from "../process/worker";
import { pickServer } from "../client";
import type { Scenario } from "../scenario";
import { TraceRecorder } from "../trace/recorder";
import type { FromThread, ToThread } from "./threadProtocol";

/**
 * Virtual ms between the master sending a signal (or forking) and the
 * process acting on it, so the master's lines about it come first.
 */
const SIGNAL_DELIVERY_MS = 0.001;

type StartMessage = Extract<ToThread, { type: "start" }>;
type RequestMessage = Extract<ToThread, { type: "request" }>;

/** The started process and what it needs to take requests. */
interface Running {
  scenario: Scenario;
  worker: Worker;
  server: Server | null;
  /** Wall-clock ms of virtual time 0; null until the master sends it. */
  epochMs: number | null;
}

export class ProcessThread {
  private readonly scheduler = new Scheduler();
  private readonly trace = new TraceRecorder();
  private readonly errorLog = new ErrorLog(this.trace, "info");
  private running: Running | null = null;
  private readonly requests: Array<{ r: HttpRequest; isReported: boolean }> = [];
  private timer: ReturnType<typeof setTimeout> | null = null;

  constructor(
    private readonly send: (message: FromThread) => void,
    private readonly wallClock: () => number,
  ) {}

  /** Handles one message from the master; a failure is reported, not thrown. */
  handle(message: ToThread): void {
    try {
      if (message.type === "start") this.start(message);
      else if (message.type === "clock") this.setClock(message.epochMs);
      else if (message.type === "request") this.accept(message);
      else if (message.type === "exit") this.exit(message.at, message.isQuit);
      else if (message.type === "kill") this.kill();
      else this.finish();
    } catch (error) {
      const text = error instanceof Error ? error.message : String(error);
      this.send({ type: "failed", message: text });
    }
  }

  /** Virtual ms now: wall-clock ms since the run's epoch (0 before it is known). */
  private virtualNow(): number {
    const epochMs = this.running?.epochMs ?? null;
    return epochMs === null ? 0 : this.wallClock() - epochMs;
  }

  private start(message: StartMessage): void {
    const { scenario } = message;
    // The master has already tested this config, so it parses here.
    const config: MainConfig = parseConfig(scenario.nginxConf, scenario.confPath);
    this.errorLog.setLevel(config.errorLogLevel);
    const master = new Master(
      scenario,
      config,
      this.scheduler,
      this.trace,
      this.errorLog,
      scenario.balancePolicy,
    );
    let nextConnection = message.connectionBase;
    // A cosocket to this nginx's own server reaches this same process: the
    // other workers run in other threads, out of this one's reach.
    master.network = new LoopbackNetwork({
      http: config.http,
      scheduler: this.scheduler,
      pickWorker: () => {
        const worker = this.running?.worker;
        return worker && !worker.isDead ? worker : null;
      },
      nextConnection: () => nextConnection++,
    });
    const worker = master.spawnForked(
      message.fork,
      message.process,
      (dead, status) => this.send({ type: "exit", status, at: dead.process.clock }),
      message.at + SIGNAL_DELIVERY_MS,
    );
    this.running = {
      scenario,
      worker,
      server: config.http ? pickServer(config.http) : null,
      epochMs: null,
    };
    this.send({ type: "started" });
  }

  private setClock(epochMs: number): void {
    if (!this.running) return;
    this.running.epochMs = epochMs;
    this.wake();
  }

  private accept(message: RequestMessage): void {
    const running = this.running;
    if (!running?.server) return;
    const arrival = Math.max(message.arrival, this.virtualNow(), this.scheduler.now);
    const r = new HttpRequest(
      message.connection,
      message.requestIndex,
      message.method,
      message.requestUri,
      message.headers,
      message.body,
      running.server,
      new Wire(message.connection),
      arrival,
    );
    this.requests.push({ r, isReported: false });
    running.worker.accept(r, arrival);
    this.wake();
  }

  private exit(at: number, isQuit: boolean): void {
    const worker = this.running?.worker;
    if (!worker) return;
    // The signal arrives a microsecond after the master sent it, so the
    // master's "received" line comes first however the clocks line up.
    const delivered = at + SIGNAL_DELIVERY_MS;
    worker.beginExit(Math.max(delivered, this.virtualNow(), this.scheduler.now), isQuit);
    this.wake();
  }

  private kill(): void {
    const worker = this.running?.worker;
    if (!worker) return;
    worker.process.clock = Math.max(worker.process.clock, this.virtualNow());
    worker.kill();
  }

  private finish(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    const running = this.running;
    const pid = running?.worker.process.pid ?? null;
    const timeoutMs = (running?.scenario.requestTimeout ?? 0) * 1000;
    this.send({
      type: "finished",
      trace: this.trace.events,
      errorLog: this.errorLog.entries,
      stderr: this.errorLog.stderr,
      responses: this.requests.map(({ r }) =>
        r.wire.toRecord(r.requestIndex, pid, r.method === "HEAD", timeoutMs),
      ),
    });
  }

  /** Runs the tasks that are due, then sleeps until the next one is. */
  private readonly pump = (): void => {
    this.timer = null;
    if ((this.running?.epochMs ?? null) === null) return;
    for (;;) {
      const task = this.scheduler.peek();
      if (!task) break;
      const wait = task.due - this.virtualNow();
      if (wait > 0) {
        this.timer = setTimeout(this.pump, wait);
        break;
      }
      this.scheduler.pop();
      task.run();
      this.reportResponses();
    }
    this.reportResponses();
  };

  /** Runs at once what a new message made due. */
  private wake(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.pump();
  }

  private reportResponses(): void {
    for (const entry of this.requests) {
      const { r } = entry;
      if (entry.isReported || r.wire.state === "open") continue;
      entry.isReported = true;
      this.send({ type: "response", requestIndex: r.requestIndex, state: r.wire.state, endTime: r.endTime });
    }
  }
}
