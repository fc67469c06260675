/**
 * One nginx process (a worker or the privileged agent) running in a thread
 * of its own. It forks from the master's state (init_by_lua's journal, the
 * shared dicts' buffers) and then runs its event loop in one of two ways:
 *
 * - paced by the wall clock (the real-threads mode): a task due at virtual
 *   time t runs once t ms have passed since the run's epoch. So several
 *   workers run at once, and their dict operations interleave as the
 *   threads happen to run;
 * - in lockstep (the deterministic mode with a thread per process): it
 *   runs one task when the master sends "step", and replies to every message
 *   through a blocking mailbox, with what it recorded and its next task.
 */
import { parseConfig } from "../config/parse";
import type { MainConfig, Server } from "../config/types";
import { Wire } from "../http/wire";
import { RunCounters } from "../loop/runCounters";
import { Scheduler } from "../loop/scheduler";
import { HttpRequest } from "../phases/httpRequest";
import { LoopbackNetwork } from "../phases/socketConnection";
import { ErrorLog } from "../process/errorLog";
import { Master } from "../process/master";
import type { Worker } from "../process/worker";
import { pickServer } from "../client";
import type { Scenario } from "../scenario";
import { TraceRecorder } from "../trace/recorder";
import { sendToMailbox } from "./mailbox";
import type { FromThread, LockstepReply, ToThread } from "./threadProtocol";

/**
 * Virtual ms between the master sending a signal (or forking) and the
 * process acting on it in the real-threads mode, so the master's lines
 * about it come first.
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
  /** The lockstep mailbox; null when the loop runs on the wall clock. */
  mailbox: SharedArrayBuffer | null;
}

export class ProcessThread {
  private scheduler = new Scheduler();
  private readonly trace = new TraceRecorder();
  private readonly errorLog = new ErrorLog(this.trace, "info");
  private running: Running | null = null;
  private readonly requests: Array<{ r: HttpRequest; isReported: boolean }> = [];
  private timer: ReturnType<typeof setTimeout> | null = null;
  /** How much of the trace and the logs the master has (lockstep). */
  private readonly reported = { events: 0, log: 0, stderr: 0 };
  private exitStatus: { status: number | "killed"; at: number } | null = null;

  constructor(
    private readonly send: (message: FromThread) => void,
    private readonly wallClock: () => number,
  ) {}

  /** Handles one message from the master; a failure is reported, not thrown. */
  handle(message: ToThread): void {
    if (message.type === "ping") {
      this.send({ type: "pong" });
      return;
    }
    let failure: string | null = null;
    try {
      if (message.type === "start") this.start(message);
      else if (message.type === "clock") this.setClock(message.epochMs);
      else if (message.type === "request") this.accept(message);
      else if (message.type === "exit") this.exit(message.at, message.isQuit);
      else if (message.type === "kill") this.kill();
      else if (message.type === "step") this.step();
      else this.finish();
    } catch (error) {
      failure = error instanceof Error ? error.message : String(error);
      if (!this.lockstepMailbox(message)) this.send({ type: "failed", message: failure });
    }
    const mailbox = this.lockstepMailbox(message);
    if (mailbox) sendToMailbox(mailbox, this.lockstepReply(failure, message.type === "finish", true));
  }

  private lockstepMailbox(message: ToThread): SharedArrayBuffer | null {
    if (message.type === "start") return message.lockstep?.mailbox ?? null;
    return this.running?.mailbox ?? null;
  }

  /** Virtual ms now: wall-clock ms since the run's epoch (0 before it is known). */
  private virtualNow(): number {
    const epochMs = this.running?.epochMs ?? null;
    return epochMs === null ? 0 : this.wallClock() - epochMs;
  }

  private isLockstep(): boolean {
    return this.running?.mailbox != null;
  }

  private start(message: StartMessage): void {
    const { scenario, lockstep } = message;
    // The master has already tested this config, so it parses here.
    const config: MainConfig = parseConfig(scenario.nginxConf, scenario.confPath);
    this.errorLog.setLevel(config.errorLogLevel);

    // In lockstep the task numbers, connection numbers and jitter come
    // from the counters every process shares, in the order they run.
    const counters = lockstep ? new RunCounters(lockstep.counters) : new RunCounters();
    this.scheduler = new Scheduler(counters);
    const master = new Master(scenario, config, this.scheduler, this.trace, this.errorLog, {
      policy: scenario.balancePolicy,
      counters,
    });

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
      nextConnection: () => (lockstep ? counters.nextConnection() : nextConnection++),
    });

    const startAt = lockstep ? message.at : message.at + SIGNAL_DELIVERY_MS;
    const worker = master.spawnForked(
      message.fork,
      message.process,
      (dead, status) => {
        if (!lockstep) {
          this.send({ type: "exit", status, at: dead.process.clock });
          return;
        }
        // The master logs the exit at once, as it would in one thread,
        // before whatever this message's work records after it.
        this.exitStatus = { status, at: dead.process.clock };
        sendToMailbox(lockstep.mailbox, this.lockstepReply(null, false, false));
      },
      startAt,
    );
    this.running = {
      scenario,
      worker,
      server: config.http ? pickServer(config.http) : null,
      epochMs: null,
      mailbox: lockstep?.mailbox ?? null,
    };
    if (!lockstep) this.send({ type: "started" });
  }

  private setClock(epochMs: number): void {
    if (!this.running) return;
    this.running.epochMs = epochMs;
    this.wake();
  }

  private accept(message: RequestMessage): void {
    const running = this.running;
    if (!running?.server) return;
    const arrival = this.isLockstep()
      ? message.arrival
      : Math.max(message.arrival, this.virtualNow(), this.scheduler.now);
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
    if (this.isLockstep()) {
      worker.beginExit(at, isQuit);
      return;
    }
    // The signal arrives a microsecond after the master sent it, so the
    // master's "received" line comes first however the clocks line up.
    const delivered = at + SIGNAL_DELIVERY_MS;
    worker.beginExit(Math.max(delivered, this.virtualNow(), this.scheduler.now), isQuit);
    this.wake();
  }

  private kill(): void {
    const worker = this.running?.worker;
    if (!worker) return;
    if (!this.isLockstep()) worker.process.clock = Math.max(worker.process.clock, this.virtualNow());
    worker.kill();
  }

  /** Runs the next task (lockstep: the master chose this process). */
  private step(): void {
    const task = this.scheduler.pop();
    task?.run();
  }

  private finish(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    if (this.isLockstep()) return;
    this.send({
      type: "finished",
      trace: this.trace.events,
      errorLog: this.errorLog.entries,
      stderr: this.errorLog.stderr,
      responses: this.records(),
    });
  }

  private records() {
    const running = this.running;
    const pid = running?.worker.process.pid ?? null;
    const timeoutMs = (running?.scenario.requestTimeout ?? 0) * 1000;
    return this.requests.map(({ r }) =>
      r.wire.toRecord(r.requestIndex, pid, r.method === "HEAD", timeoutMs),
    );
  }

  /** Builds the report a lockstep master receives after each message. */
  private lockstepReply(failure: string | null, isFinish: boolean, isFinal: boolean): LockstepReply {
    const events = this.trace.events.slice(this.reported.events);
    const log = this.errorLog.entries.slice(this.reported.log);
    const stderr = this.errorLog.stderr.slice(this.reported.stderr);
    this.reported.events = this.trace.events.length;
    this.reported.log = this.errorLog.entries.length;
    this.reported.stderr = this.errorLog.stderr.length;
    const exit = this.exitStatus;
    this.exitStatus = null;
    const head = this.scheduler.peek();
    const worker = this.running?.worker;
    return {
      events,
      log,
      stderr,
      // A response counts once the message's work is done, as the client
      // of a one-thread run checks it between tasks.
      responses: isFinal ? this.takeFinished() : [],
      exit,
      head: head ? { due: head.due, seq: head.seq } : null,
      clock: worker?.process.clock ?? 0,
      isExiting: worker?.isExiting ?? false,
      activeRequests: worker?.activeRequests ?? 0,
      failure,
      records: isFinish ? this.records() : null,
      isFinal,
    };
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

  /** Runs at once what a new message made due (wall-clock mode only). */
  private wake(): void {
    if (this.isLockstep()) return;
    if (this.timer !== null) clearTimeout(this.timer);
    this.pump();
  }

  /** Returns the requests whose response ended since the last call. */
  private takeFinished(): Array<Extract<FromThread, { type: "response" }>> {
    const done: Array<Extract<FromThread, { type: "response" }>> = [];
    for (const entry of this.requests) {
      const { r } = entry;
      if (entry.isReported || r.wire.state === "open") continue;
      entry.isReported = true;
      done.push({ type: "response", requestIndex: r.requestIndex, state: r.wire.state, endTime: r.endTime });
    }
    return done;
  }

  private reportResponses(): void {
    for (const message of this.takeFinished()) this.send(message);
  }
}
