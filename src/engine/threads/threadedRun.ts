/**
 * The real-threads run. The master runs here: init_by_lua, the choice of
 * a worker for each connection, reload, quit, SIGKILL and respawn. Each
 * worker and the privileged agent runs in a thread of its own (a Web
 * Worker in the page, a worker_threads Worker in Node) with its own Lua
 * VM, and they share only the dicts' SharedArrayBuffers. The threads run
 * in parallel, paced by the wall clock, so the order of their dict
 * operations is whatever the machine makes it: this mode shows that races
 * are not an artefact of the simulator. It is not reproducible; the
 * deterministic mode is.
 */
import { ErrorLog } from "../process/errorLog";
import type { Launcher } from "../process/master";
import { failedStart, testConfig } from "../run";
import type { ErrorLogEntry, ResponseRecord, RunResult, Scenario } from "../scenario";
import { Simulation } from "../simulation";
import type { TraceEvent } from "../trace/events";
import { recordRaces } from "../trace/recordRaces";
import { TraceRecorder } from "../trace/recorder";
import { RemoteProcess } from "./remoteProcess";
import { wallClockMs, type SpawnThread } from "./threadProtocol";

/** Connection numbers a thread gives its own cosocket connections start here, per thread. */
const THREAD_CONNECTION_BLOCK = 10000;

/** Lets the master wait for the next thread message, or a time, whichever comes first. */
class MessageWaits {
  private readonly waiters: Array<() => void> = [];
  /** The first failure a thread reported; the run stops on it. */
  failure: string | null = null;

  /** Resolves at the next message, or after `ms` (never when ms is Infinity). */
  next(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = Number.isFinite(ms) ? setTimeout(resolve, Math.max(0, ms)) : null;
      this.waiters.push(() => {
        if (timer !== null) clearTimeout(timer);
        resolve();
      });
    });
  }

  /** Resolves once `ready` is true, checked after each message. */
  async until(ready: () => boolean): Promise<void> {
    while (!ready() && this.failure === null) await this.next(Infinity);
  }

  /** Wakes every wait after a message. */
  notify(): void {
    for (const wake of this.waiters.splice(0)) wake();
  }
}

/** Merges trace lists by virtual time; at equal times, earlier lists first. */
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

  const waits = new MessageWaits();
  let epochMs: number | null = null;
  const virtualNow = () => (epochMs === null ? 0 : wallClockMs() - epochMs);
  const remotes: RemoteProcess[] = [];
  const launcher: Launcher = (launch) => {
    const remote = new RemoteProcess(spawnThread(), launch, virtualNow);
    remote.port.onMessage((message) => {
      const failure = remote.receive(message);
      if (failure !== null) waits.failure ??= failure;
      waits.notify();
    });
    remote.post({
      type: "start",
      scenario,
      fork: launch.fork,
      process: { pid: launch.pid, kind: launch.kind, workerId: launch.workerId },
      at: launch.at,
      connectionBase: THREAD_CONNECTION_BLOCK * (remotes.length + 1) + 1,
      lockstep: null,
    });
    // A process started later (a respawn, a reload) runs on the clock at once.
    if (epochMs !== null) remote.post({ type: "clock", epochMs });
    remotes.push(remote);
    return remote;
  };
  const sim = new Simulation(scenario, config, trace, errorLog, launcher);
  try {
    const initError = sim.start();
    if (initError) return failedStart(initError, "start", trace, errorLog);
    // Where the master's start-up records end: they go before the threads'
    // records, and what the master records later goes after theirs.
    const startup = { events: trace.events.length, log: errorLog.entries.length };
    // Virtual time 0 is when the first generation has loaded and started,
    // so thread start-up time does not eat into the scenario's timing.
    await waits.until(() => remotes.every((r) => r.isStarted));
    epochMs = wallClockMs();
    for (const remote of remotes) remote.post({ type: "clock", epochMs });

    const runUntil = async (limit: number, isDone: () => boolean): Promise<number> => {
      for (;;) {
        if (waits.failure !== null) throw new Error(`a process thread failed: ${waits.failure}`);
        const now = virtualNow();
        if (isDone()) return now;
        const task = sim.scheduler.peek();
        if (task && task.due <= now && task.due <= limit) {
          sim.scheduler.pop();
          task.run();
          continue;
        }
        if (now >= limit) return limit;
        await waits.next(Math.min(limit, task?.due ?? Infinity) - now);
      }
    };
    const steps = sim.steps();
    let next = steps.next();
    while (!next.done) next = steps.next(await runUntil(next.value.limit, next.value.isDone));
    const endTime = next.value;

    for (const remote of remotes) remote.post({ type: "finish" });
    await waits.until(() => remotes.every((r) => r.finished !== null));
    if (waits.failure !== null) throw new Error(`a process thread failed: ${waits.failure}`);
    return collect(sim, trace, errorLog, startup, remotes, endTime);
  } finally {
    for (const remote of remotes) remote.port.terminate();
  }
}

/** Puts the master's and the threads' records together into one result. */
function collect(
  sim: Simulation,
  trace: TraceRecorder,
  errorLog: ErrorLog,
  startup: { events: number; log: number },
  remotes: RemoteProcess[],
  endTime: number,
): RunResult {
  const results = remotes.map((r) => r.finished as NonNullable<RemoteProcess["finished"]>);
  // At equal times, the master's start-up comes first and its reaping of
  // a child (logged at the child's exit time) after the child's own lines.
  const merged = mergeTraces([
    trace.events.slice(0, startup.events),
    ...results.map((r) => r.trace),
    trace.events.slice(startup.events),
  ]);
  const fromThreads = new Map<number, ResponseRecord>();
  for (const record of results.flatMap((r) => r.responses)) {
    fromThreads.set(record.requestIndex, record);
  }
  // A request no worker took (all busy exiting) keeps the client's own record.
  const own = sim.responseRecords();
  return {
    startupError: null,
    startupStage: null,
    responses: own.map((record) => fromThreads.get(record.requestIndex) ?? record),
    errorLog: mergeLogs([
      errorLog.entries.slice(0, startup.log),
      ...results.map((r) => r.errorLog),
      errorLog.entries.slice(startup.log),
    ]),
    stderr: mergeLogs([errorLog.stderr, ...results.map((r) => r.stderr)]),
    trace: merged.events,
    races: recordRaces(merged, { isParallel: true }),
    endTime,
    runMode: "threads",
  };
}
