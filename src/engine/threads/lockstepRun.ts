/**
 * The deterministic run with a thread per process. The master runs here
 * and every worker and the privileged agent in a thread of its own (a Web
 * Worker in the page, a worker_threads Worker in Node) with its own Lua
 * VM. The threads take turns: the master picks the earliest task of all
 * processes by (virtual time, sequence number), sends that thread a request
 * to run it and waits for its reply. Task and connection numbers and the jitter
 * come from counters the threads share, so the run orders everything as
 * the one-thread run does and gives the same trace.
 */
import { RunCounters } from "../loop/runCounters";
import { ErrorLog } from "../process/errorLog";
import type { Launcher } from "../process/master";
import { failedStart, testConfig } from "../run";
import type { RunResult, Scenario } from "../scenario";
import { Simulation } from "../simulation";
import { TraceRecorder } from "../trace/recorder";
import { createMailbox } from "./mailbox";
import { RemoteProcess } from "./remoteProcess";
import type { FromThread, SpawnThread, ThreadPort } from "./threadProtocol";

/** Real ms a thread may take to reply before the run fails. */
const REPLY_TIMEOUT_MS = 30_000;

/** Threads started beyond the first generation, for respawns after an exit. */
const SPARE_THREADS = 4;

/** The maximum number of threads a run starts ahead of time. */
const MAX_THREADS = 64;

/**
 * Starts `count` threads and waits until each has loaded and replied to
 * a ping. The run then blocks on replies, so messages must reach the
 * threads without the master's event loop. In Chromium, a message to a
 * nested worker that has just started can wait in the parent's queue
 * until the parent's loop runs: about one run in twenty hung that way.
 */
async function startThreads(count: number, spawnThread: SpawnThread): Promise<ThreadPort[]> {
  return Promise.all(
    Array.from({ length: count }, () => {
      const port = spawnThread();
      return new Promise<ThreadPort>((resolve, reject) => {
        port.onMessage((message: FromThread) => {
          if (message.type === "loaded") port.post({ type: "ping" });
          else if (message.type === "pong") resolve(port);
          else if (message.type === "failed") reject(new Error(`a process thread failed to load: ${message.message}`));
        });
      });
    }),
  );
}

/** Counts the threads the scenario can need: each generation, plus spares. */
function threadsNeeded(scenario: Scenario, workerCount: number): number {
  const reloads = scenario.steps.filter((step) => step.step === "reload").length;
  const kills = scenario.steps.filter((step) => step.step === "kill-worker").length;
  // Each generation is the workers and possibly the privileged agent.
  const generation = workerCount + 1;
  return Math.min(MAX_THREADS, generation * (1 + reloads) + kills + SPARE_THREADS);
}

/** Runs a scenario with one thread per nginx process, taking turns; see the file comment. */
export async function runScenarioInLockstep(
  scenario: Scenario,
  spawnThread: SpawnThread,
): Promise<RunResult> {
  const trace = new TraceRecorder();
  const errorLog = new ErrorLog(trace, "info");
  const config = testConfig(scenario, trace, errorLog);
  if ("startupError" in config) return config;

  const counters = RunCounters.shared();
  const pool: ThreadPort[] = [];
  const remotes: RemoteProcess[] = [];
  const launcher: Launcher = (launch) => {
    const port = pool.shift();
    if (!port) {
      throw new Error(
        `this run needed more than the ${remotes.length} process threads started ahead of time`,
      );
    }
    const mailbox = createMailbox();
    const link = { mailbox, trace, errorLog, timeoutMs: REPLY_TIMEOUT_MS };
    const remote = new RemoteProcess(port, launch, () => sim.scheduler.now, link);
    remotes.push(remote);
    remote.post({
      type: "start",
      scenario,
      fork: launch.fork,
      process: { pid: launch.pid, kind: launch.kind, workerId: launch.workerId },
      at: launch.at,
      connectionBase: 0,
      lockstep: { mailbox, counters: counters.buffer as SharedArrayBuffer },
    });
    return remote;
  };
  const sim = new Simulation(scenario, config, trace, errorLog, launcher, counters);
  pool.push(...(await startThreads(threadsNeeded(scenario, sim.master.workerCount), spawnThread)));
  try {
    const initError = sim.start();
    if (initError) return failedStart(initError, "start", trace, errorLog);
    const endTime = driveLockstep(sim, remotes);
    for (const remote of remotes) remote.post({ type: "finish" });
    const fromThreads = new Map(
      remotes.flatMap((remote) => remote.records ?? []).map((record) => [record.requestIndex, record]),
    );
    const own = sim.responseRecords();
    const responses = own.map((record) => fromThreads.get(record.requestIndex) ?? record);
    return { ...sim.result(endTime, responses), runMode: "lockstep" };
  } finally {
    for (const port of [...remotes.map((r) => r.port), ...pool]) port.terminate();
  }
}

/**
 * Runs the scenario's steps. Each time, it runs the earliest task among
 * the master's and every thread's, by (due, sequence number), as one
 * shared scheduler would. Returns the virtual time at the end.
 */
function driveLockstep(sim: Simulation, remotes: RemoteProcess[]): number {
  let now = 0;
  const runUntil = (limit: number, isDone: () => boolean): number => {
    for (;;) {
      if (isDone()) return now;
      let next: { due: number; seq: number; remote: RemoteProcess | null } | null = null;
      const own = sim.scheduler.peek();
      if (own) next = { due: own.due, seq: own.seq, remote: null };
      for (const remote of remotes) {
        const head = remote.head;
        if (!head) continue;
        const isEarlier = !next || head.due < next.due || (head.due === next.due && head.seq < next.seq);
        if (isEarlier) next = { due: head.due, seq: head.seq, remote };
      }
      if (!next || next.due > limit) return limit;
      now = next.due;
      if (next.remote) {
        sim.scheduler.now = next.due;
        next.remote.step();
      } else {
        sim.scheduler.pop()?.run();
      }
    }
  };
  const steps = sim.steps();
  let step = steps.next();
  while (!step.done) step = steps.next(runUntil(step.value.limit, step.value.isDone));
  return step.value;
}
