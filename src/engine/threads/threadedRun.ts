/**
 * The real-threads run. The master runs init_by_lua here. Then each worker
 * and the privileged agent runs in a thread of its own (a Web Worker in
 * the page, a worker_threads Worker in Node) with its own Lua VM, and they
 * share only the dicts' SharedArrayBuffers. The threads run in parallel, paced
 * by the wall clock, so the order of their dict operations is whatever the
 * machine makes it: this mode shows that races are not an artefact of the
 * simulator. It is not reproducible; the deterministic mode is.
 */
import type { MainConfig } from "../config/types";
import { Scheduler } from "../loop/scheduler";
import { ErrorLog } from "../process/errorLog";
import { chooseWorker, MASTER_PID, Master } from "../process/master";
import {
  CLIENT_TURNAROUND_MS,
  failedStart,
  recordRaces,
  STARTUP_WAIT_MS,
  testConfig,
} from "../run";
import type { ErrorLogEntry, RequestSpec, ResponseRecord, RunResult, Scenario } from "../scenario";
import type { TraceEvent } from "../trace/events";
import { TraceRecorder } from "../trace/recorder";
import type { FromThread, SpawnThread, ThreadPort, ThreadProcess, ToThread } from "./threadProtocol";
import { wallClockMs } from "./threadProtocol";

/** Steps a real-threads run cannot carry out: they need the master to start or kill processes. */
const UNSUPPORTED_STEPS = new Set(["reload", "kill-worker"]);

/** Thrown for a scenario the real-threads mode cannot run. */
export class ThreadsModeError extends Error {
  readonly code = "THREADS_UNSUPPORTED";
}

/** Connection numbers a thread gives its own cosocket connections start here, per thread. */
const THREAD_CONNECTION_BLOCK = 10000;

/** One process thread and the state the master tracks for it. */
interface ProcessHandle {
  port: ThreadPort;
  process: ThreadProcess;
  /** Requests sent to it without a response yet (for the least-busy policy). */
  outstanding: number;
  isLoaded: boolean;
  isStarted: boolean;
  exit: { status: number | "killed"; at: number } | null;
  finished: Extract<FromThread, { type: "finished" }> | null;
}

/** Lets the master wait for a condition that thread messages make true. */
class MessageWaits {
  private readonly waiters: Array<() => void> = [];
  /** The first failure a thread reported; ends every wait. */
  failure: string | null = null;

  /** Resolves once `ready` is true (checked after each message) or a thread failed. */
  until(ready: () => boolean): Promise<void> {
    return new Promise((resolve) => {
      const check = () => {
        if (ready() || this.failure !== null) resolve();
        else this.waiters.push(check);
      };
      check();
    });
  }

  /** Re-checks every wait after a message. */
  notify(): void {
    for (const check of this.waiters.splice(0)) check();
  }
}

function sleepMs(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));
}

function withDeadline(promise: Promise<unknown>, ms: number): Promise<void> {
  return Promise.race([promise.then(() => undefined), sleepMs(ms)]);
}

/** Rejects the steps this mode cannot run before any thread starts. */
function checkSteps(scenario: Scenario): void {
  for (const step of scenario.steps) {
    if (UNSUPPORTED_STEPS.has(step.step)) {
      throw new ThreadsModeError(
        `The real-threads mode cannot run a "${step.step}" step: it sends requests, ` +
          "sleeps and quits only. Switch to the deterministic mode for it.",
      );
    }
  }
}

/** Lists the processes a generation starts: the workers, then the agent if enabled. */
function processesOf(config: MainConfig, master: Master, hasAgent: boolean): ThreadProcess[] {
  const list: ThreadProcess[] = [];
  for (let id = 0; id < master.workerCount; id++) {
    list.push({ pid: MASTER_PID + 1 + id, kind: "worker", workerId: id });
  }
  if (hasAgent && config.http) {
    list.push({ pid: MASTER_PID + 1 + master.workerCount, kind: "privileged agent", workerId: null });
  }
  return list;
}

/** Merges the threads' traces by virtual time; ties keep each thread's order. */
function mergeTraces(lists: TraceEvent[][]): TraceRecorder {
  const all = lists.flatMap((list, source) => list.map((event) => ({ event, source })));
  all.sort((a, b) => a.event.time - b.event.time || a.source - b.source || a.event.seq - b.event.seq);
  const merged = new TraceRecorder();
  for (const { event } of all) merged.record(event);
  return merged;
}

function mergeLogs(lists: ErrorLogEntry[][]): ErrorLogEntry[] {
  const all = lists.flatMap((list, source) => list.map((entry, index) => ({ entry, source, index })));
  all.sort((a, b) => a.entry.time - b.entry.time || a.source - b.source || a.index - b.index);
  return all.map(({ entry }) => entry);
}

/** Runs a scenario with one thread per nginx process; see the file comment. */
export async function runScenarioInThreads(
  scenario: Scenario,
  spawnThread: SpawnThread,
): Promise<RunResult> {
  const trace = new TraceRecorder();
  const errorLog = new ErrorLog(trace, "info");
  const config = testConfig(scenario, trace, errorLog);
  if ("startupError" in config) return config;
  checkSteps(scenario);
  const master = new Master(scenario, config, new Scheduler(), trace, errorLog, scenario.balancePolicy);
  const initError = master.startWithoutWorkers();
  if (initError) return failedStart(initError, "start", trace, errorLog);
  const fork = master.forkState();
  // Where the master's start-up records end: they go before the threads'
  // records, and what the master records later goes after theirs.
  const startup = { events: trace.events.length, log: errorLog.entries.length };
  const waits = new MessageWaits();
  const answered = new Set<number>();
  const onThreadMessage = (handle: ProcessHandle, message: FromThread): void => {
    if (message.type === "loaded") handle.isLoaded = true;
    else if (message.type === "started") handle.isStarted = true;
    else if (message.type === "response") {
      answered.add(message.requestIndex);
      handle.outstanding--;
    } else if (message.type === "exit") {
      handle.exit = { status: message.status, at: message.at };
      master.logChildExit(handle.process.kind, handle.process.pid, message.status, message.at);
    } else if (message.type === "finished") handle.finished = message;
    else waits.failure ??= message.message;
    waits.notify();
  };
  const handles = processesOf(config, master, fork.hasAgent).map((process) => {
    const handle: ProcessHandle = {
      port: spawnThread(),
      process,
      outstanding: 0,
      isLoaded: false,
      isStarted: false,
      exit: null,
      finished: null,
    };
    handle.port.onMessage((message) => onThreadMessage(handle, message));
    return handle;
  });
  let epochMs = 0;
  const virtualNow = () => wallClockMs() - epochMs;
  const all = (ready: (h: ProcessHandle) => boolean) => () => handles.every(ready);
  const post = (handle: ProcessHandle, message: ToThread) => handle.port.post(message);

  try {
    await waits.until(all((h) => h.isLoaded));
    epochMs = wallClockMs();
    handles.forEach((handle, index) =>
      post(handle, {
        type: "start",
        scenario,
        fork,
        process: handle.process,
        epochMs,
        connectionBase: THREAD_CONNECTION_BLOCK * (index + 1) + 1,
      }),
    );
    await waits.until(all((h) => h.isStarted));

    const workers = handles.filter((h) => h.process.kind === "worker");
    let nextConnection = 1;
    let requestCount = 0;
    let turn = 0;
    const send = (spec: RequestSpec, time: number): number[] => {
      const batch: number[] = [];
      for (let i = 0; i < Math.max(1, spec.parallel); i++) {
        const live = workers.filter((h) => h.exit === null);
        if (live.length === 0) break;
        const handle = chooseWorker(scenario.balancePolicy ?? "round-robin", live, (h) => h.outstanding, turn++);
        const requestIndex = requestCount++;
        handle.outstanding++;
        post(handle, { type: "request", requestIndex, connection: nextConnection++, spec, arrival: time });
        batch.push(requestIndex);
      }
      return batch;
    };
    const awaitAnswers = async (batch: number[]) => {
      const done = () => batch.every((index) => answered.has(index));
      await withDeadline(waits.until(done), scenario.requestTimeout * 1000);
    };
    const quitAll = async (at: number) => {
      master.quit(at);
      for (const handle of handles) post(handle, { type: "quit", at });
      await withDeadline(waits.until(all((h) => h.exit !== null)), scenario.requestTimeout * 1000);
      if (handles.every((h) => h.exit !== null)) {
        master.exit(Math.max(...handles.map((h) => h.exit?.at ?? 0)));
      }
    };

    let time = STARTUP_WAIT_MS;
    await sleepMs(time - virtualNow());
    const background: number[] = [];
    let hasQuit = false;
    for (const step of scenario.steps) {
      if (step.step === "sleep") {
        time += step.seconds * 1000;
        await sleepMs(time - virtualNow());
      } else if (step.step === "request") {
        const batch = send(step.request, Math.max(time, virtualNow()));
        if (step.background) {
          background.push(...batch);
          continue;
        }
        await awaitAnswers(batch);
        time = virtualNow() + CLIENT_TURNAROUND_MS;
      } else if (step.step === "quit") {
        await quitAll(Math.max(time, virtualNow()));
        hasQuit = true;
        break;
      }
    }
    if (!hasQuit) {
      await awaitAnswers(background);
      await sleepMs(scenario.waitAfter * 1000);
      if (scenario.quitAtEnd) await quitAll(virtualNow());
    }
    const endTime = virtualNow();
    for (const handle of handles) post(handle, { type: "finish" });
    await waits.until(all((h) => h.finished !== null));
    if (waits.failure !== null) throw new Error(`a process thread failed: ${waits.failure}`);
    return collect(trace, errorLog, startup, handles, endTime);
  } finally {
    for (const handle of handles) handle.port.terminate();
  }
}

/** Puts the master's and the threads' records together into one result. */
function collect(
  trace: TraceRecorder,
  errorLog: ErrorLog,
  startup: { events: number; log: number },
  handles: ProcessHandle[],
  endTime: number,
): RunResult {
  const results = handles.map((h) => h.finished as NonNullable<ProcessHandle["finished"]>);
  // At equal times, the master's start-up comes first and its reaping of
  // a child (logged at the child's exit time) after the child's own lines.
  const merged = mergeTraces([
    trace.events.slice(0, startup.events),
    ...results.map((r) => r.trace),
    trace.events.slice(startup.events),
  ]);
  const responses: ResponseRecord[] = results
    .flatMap((r) => r.responses)
    .sort((a, b) => a.requestIndex - b.requestIndex);
  return {
    startupError: null,
    startupStage: null,
    responses,
    errorLog: mergeLogs([
      errorLog.entries.slice(0, startup.log),
      ...results.map((r) => r.errorLog),
      errorLog.entries.slice(startup.log),
    ]),
    stderr: mergeLogs([errorLog.stderr, ...results.map((r) => r.stderr)]),
    trace: merged.events,
    races: recordRaces(merged),
    endTime,
    runMode: "threads",
  };
}
