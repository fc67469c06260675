/**
 * One run: the master, its workers, the clients and the clock. The steps
 * of a scenario are a generator whose yields request its driver to run
 * the event loop until a condition or a virtual time. The deterministic driver
 * (driveHere) runs every task in this thread in virtual-time order. The
 * real-threads driver waits on the wall clock and on its process threads.
 */
import type { MainConfig, Server } from "./config/types";
import { RunCounters } from "./loop/runCounters";
import { Scheduler } from "./loop/scheduler";
import type { HttpRequest } from "./phases/httpRequest";
import { LoopbackNetwork } from "./phases/socketConnection";
import type { ErrorLog } from "./process/errorLog";
import { Master, type Launcher, type ProcessRef } from "./process/master";
import { Worker } from "./process/worker";
import { CLIENT_TURNAROUND_MS, newClientRequest, pickServer, STARTUP_WAIT_MS } from "./client";
import { recordRaces } from "./trace/recordRaces";
import type { RequestSpec, ResponseRecord, RunResult, Scenario } from "./scenario";
import type { TraceRecorder } from "./trace/recorder";

/** Asks the driver to run the loop until `isDone` or virtual time `limit`. */
export interface RunUntil {
  limit: number;
  isDone: () => boolean;
}

/** The scenario's steps; each yield is resumed with the virtual time reached. */
export type SimulationSteps = Generator<RunUntil, number, number>;

export class Simulation {
  readonly scheduler: Scheduler;
  /** Every client request, in the order sent, with the process that took it. */
  readonly sent: Array<{ r: HttpRequest; worker: ProcessRef | null }> = [];
  readonly master: Master;

  constructor(
    private readonly scenario: Scenario,
    private readonly config: MainConfig,
    private readonly trace: TraceRecorder,
    private readonly errorLog: ErrorLog,
    launcher: Launcher | null = null,
    /** Shared with process threads that take turns with this one. */
    private readonly counters = new RunCounters(),
  ) {
    this.scheduler = new Scheduler(counters);
    this.master = new Master(scenario, config, this.scheduler, trace, errorLog, {
      policy: scenario.balancePolicy,
      launcher,
      counters,
    });
    this.master.network = new LoopbackNetwork({
      http: config.http,
      scheduler: this.scheduler,
      // A cosocket connection is an object in this thread, so only a
      // worker running here can take it.
      pickWorker: () => {
        const worker = this.master.pickWorker();
        return worker instanceof Worker ? worker : null;
      },
      nextConnection: () => this.counters.nextConnection(),
    });
  }

  /** Starts nginx; returns its start-up error, or null. */
  start(): string | null {
    return this.master.start();
  }

  /** Builds the run's result; `responses` defaults to the clients' view here. */
  result(end: number, responses: ResponseRecord[] = this.responseRecords()): RunResult {
    return {
      startupError: null,
      startupStage: null,
      responses,
      errorLog: this.errorLog.entries,
      stderr: this.errorLog.stderr,
      trace: this.trace.events,
      races: recordRaces(this.trace),
      endTime: end,
    };
  }

  /** Returns what each client saw of its response, from this thread's copy of the request. */
  responseRecords(): ResponseRecord[] {
    return this.sent.map(({ r, worker }, i) =>
      r.wire.toRecord(i, worker?.process.pid ?? null, r.method === "HEAD", this.scenario.requestTimeout * 1000),
    );
  }

  /** Carries out the scenario's steps; returns the virtual time at the end. */
  *steps(): SimulationSteps {
    let time = STARTUP_WAIT_MS;
    yield { limit: time, isDone: () => false };
    const server = this.config.http ? pickServer(this.config.http) : null;
    const background: HttpRequest[] = [];
    let lastPid: number | null = null;
    for (const step of this.scenario.steps) {
      if (step.step === "sleep") {
        time += step.seconds * 1000;
        yield { limit: time, isDone: () => false };
      } else if (step.step === "request" && server) {
        const batch = this.sendRequests(step.request, server, time);
        if (step.background) {
          background.push(...batch);
          continue;
        }
        time = (yield* this.awaitResponses(batch, time)) + CLIENT_TURNAROUND_MS;
        lastPid = this.sent.find((s) => s.r === batch[batch.length - 1])?.worker?.process.pid ?? lastPid;
      } else if (step.step === "reload") {
        const at = time;
        this.scheduler.at(at, "reload", () => this.master.reload(at));
        time = yield { limit: at + STARTUP_WAIT_MS, isDone: () => false };
      } else if (step.step === "kill-worker") {
        const target = lastPid;
        this.scheduler.at(time, "kill-worker", () => this.master.killWorker(target));
        time = yield { limit: time + STARTUP_WAIT_MS, isDone: () => false };
      } else if (step.step === "quit") {
        const at = time;
        this.scheduler.at(at, "quit", () => this.master.quit(at));
        const deadline = at + this.scenario.requestTimeout * 1000;
        return yield { limit: deadline, isDone: () => this.master.isStopped };
      }
    }
    if (background.length > 0) time = yield* this.awaitResponses(background, time);
    time = yield { limit: time + this.scenario.waitAfter * 1000, isDone: () => false };
    if (!this.scenario.quitAtEnd) return time;
    // Like the oracle's runner, end with `nginx -s quit`: pending timers
    // fire with premature = true and workers exit gracefully.
    const at = time;
    this.scheduler.at(at, "quit", () => this.master.quit(at));
    return yield { limit: at + this.scenario.requestTimeout * 1000, isDone: () => this.master.isStopped };
  }

  /** Runs until every request of the batch has a response or has timed out. */
  private *awaitResponses(batch: HttpRequest[], time: number): SimulationSteps {
    const deadline = time + this.scenario.requestTimeout * 1000;
    const isDone = () => batch.every((r) => r.wire.state !== "open");
    const reached = yield { limit: deadline, isDone };
    if (!isDone()) return deadline;
    // The client sees the response when the worker sent it, which can be
    // later than the start of the task that produced it.
    const ends = batch.map((r) => r.endTime ?? reached);
    return Math.max(time, reached, ...ends);
  }

  private sendRequests(spec: RequestSpec, server: Server, time: number): HttpRequest[] {
    const batch: HttpRequest[] = [];
    for (let i = 0; i < Math.max(1, spec.parallel); i++) {
      const connection = this.counters.nextConnection();
      const r = newClientRequest(spec, connection, this.sent.length, server, this.scenario, time);
      const entry = { r, worker: null as ProcessRef | null };
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
   * Runs tasks in virtual-time order until `isDone` is true or the next task
   * is due after `limit`; returns the virtual time reached.
   */
  runUntilHere(limit: number, isDone: () => boolean): number {
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

/** Runs a started simulation to its end in this thread; returns the end time. */
export function driveHere(sim: Simulation): number {
  const steps = sim.steps();
  let next = steps.next();
  while (!next.done) next = steps.next(sim.runUntilHere(next.value.limit, next.value.isDone));
  return next.value;
}
