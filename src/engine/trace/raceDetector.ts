/**
 * Finds read-modify-write races on shared dict keys in a trace. A
 * coroutine that reads a key, yields, and then writes the same key can
 * lose another coroutine's update made while it was suspended:
 * - "lost update": another coroutine did write the key in between, in
 *   this run, so one update is gone;
 * - "possible race": the coroutine yielded in between but no other coroutine
 *   wrote the key this time; another interleaving would lose an update.
 * Coroutines never preempt each other, so without a yield between the
 * read and the write there is no race, in one worker or across workers
 * that take turns. Workers that run in parallel (the real-threads mode)
 * can interleave anywhere, so there a shared dict's read and write race
 * without a yield too.
 */
import type { SourcePosition, TraceEvent } from "./events";

/** Who ran the code: a request (connection) or a timer, in a process. */
export interface RaceActor {
  pid: number;
  connection: number | null;
  timerId: number | null;
  thread: number | null;
  /** `request *3` or `timer 2`, for messages. */
  label: string;
}

export interface RaceFinding {
  kind: "lost update" | "possible race";
  dict: string;
  key: string;
  /** The coroutine that read, yielded and wrote back. */
  actor: RaceActor;
  readTime: number;
  readSource: SourcePosition | null;
  writeTime: number;
  writeSource: SourcePosition | null;
  /** The other coroutine's write in between (lost updates only). */
  intervening: { actor: RaceActor; time: number; source: SourcePosition | null } | null;
  /** What to use instead, in a sentence. */
  suggestion: string;
}

type ShdictEvent = Extract<TraceEvent, { kind: "shdict" }>;

const READS = new Set(["get", "get_stale"]);
/** Writes that replace a value computed from an earlier read. */
const BLIND_WRITES = new Set(["set", "safe_set", "replace"]);
/** Every operation that changes a key, as seen by other coroutines. */
const WRITES = new Set([
  "set",
  "safe_set",
  "add",
  "safe_add",
  "replace",
  "incr",
  "delete",
  "expire",
  "lpush",
  "rpush",
  "lpop",
  "rpop",
]);

function actorOf(event: TraceEvent): RaceActor {
  const connection = event.connection ?? null;
  const timerId = event.timerId ?? null;
  const label =
    connection !== null
      ? `request *${connection}`
      : timerId !== null
        ? `timer ${timerId}`
        : `process ${event.pid}`;
  return { pid: event.pid, connection, timerId, thread: event.thread ?? null, label };
}

function actorKey(event: TraceEvent): string {
  return `${event.pid}/${event.thread ?? "?"}`;
}

function suggestionFor(op: string): string {
  if (op === "set" || op === "safe_set") {
    return "Use dict:incr(key, delta, init) for counters, dict:add for set-if-absent, or take a resty.lock around the read and the write.";
  }
  return "Do the read and the write in one atomic operation (incr, add, safe_add), or hold a resty.lock across the yield.";
}

interface OpenRead {
  event: ShdictEvent;
  index: number;
  /** True once other code could run before the write: after a yield, or at once in parallel. */
  isExposed: boolean;
  intervening: ShdictEvent | null;
  /** The actor held a lock key (taken with add) when it read. */
  isLocked: boolean;
}

/**
 * Keys each actor took with a successful add and has not deleted: the
 * way resty.lock (and hand-made locks) hold a lock. Code that reads and
 * writes under such a lock is not reported as a possible race.
 */
class HeldLocks {
  private readonly held = new Map<string, Set<string>>();

  update(event: ShdictEvent): void {
    const actor = actorKey(event);
    const name = `${event.dict}|${event.key}`;
    if ((event.op === "add" || event.op === "safe_add") && event.result.startsWith("ok")) {
      let keys = this.held.get(actor);
      if (!keys) this.held.set(actor, (keys = new Set()));
      keys.add(name);
    } else if (event.op === "delete") {
      this.held.get(actor)?.delete(name);
    }
  }

  isHolding(event: TraceEvent): boolean {
    return (this.held.get(actorKey(event))?.size ?? 0) > 0;
  }
}

/** The scheduling of the run that made the trace. */
export interface RaceOptions {
  /** Workers ran in parallel threads, so they interleave without yields. */
  isParallel?: boolean;
}

/** Scans a trace for read-modify-write races on shared dict keys. */
export function detectRaces(trace: readonly TraceEvent[], options: RaceOptions = {}): RaceFinding[] {
  const findings: RaceFinding[] = [];
  // The last read of each (actor, dict, key) that has not been written back.
  const open = new Map<string, OpenRead>();
  const locks = new HeldLocks();
  trace.forEach((event, index) => {
    if (event.kind === "yield") {
      const prefix = `${actorKey(event)}|`;
      for (const [key, read] of open) if (key.startsWith(prefix)) read.isExposed = true;
      return;
    }
    // A module table is per process, so only a yield lets other code in.
    const isModuleTable = event.kind === "lua-table";
    if (event.kind === "lua-table") {
      // A module table is per worker process: name the resource with the pid.
      event = asAccess(event);
    }
    if (event.kind !== "shdict" || event.key === null) return;
    locks.update(event);
    const slot = `${actorKey(event)}|${event.dict}|${event.key}`;
    if (READS.has(event.op)) {
      const isLocked = locks.isHolding(event);
      const isExposed = options.isParallel === true && !isModuleTable;
      open.set(slot, { event, index, isExposed, intervening: null, isLocked });
      return;
    }
    if (!WRITES.has(event.op)) return;
    for (const [key, read] of open) {
      const isSameKey = key.endsWith(`|${event.dict}|${event.key}`);
      if (isSameKey && key !== slot && read.intervening === null) read.intervening = event;
    }
    const read = open.get(slot);
    if (!read) return;
    open.delete(slot);
    if (!BLIND_WRITES.has(event.op) || !read.isExposed) return;
    if (read.isLocked && read.intervening === null) return;
    findings.push(finding(read, event));
  });
  return findings;
}

type TableEvent = Extract<TraceEvent, { kind: "lua-table" }>;

/**
 * Treats a read or write of a module table field like a shared dict get
 * or set on a resource named after the module, in its own process.
 */
function asAccess(event: TableEvent): ShdictEvent {
  return {
    ...event,
    kind: "shdict",
    dict: `module ${event.module} (pid ${event.pid})`,
    key: event.field,
    op: event.op === "read" ? "get" : "set",
    result: "",
  };
}

function finding(read: OpenRead, write: ShdictEvent): RaceFinding {
  const other = read.intervening;
  return {
    kind: other ? "lost update" : "possible race",
    dict: write.dict,
    key: write.key ?? "",
    actor: actorOf(write),
    readTime: read.event.time,
    readSource: read.event.source ?? null,
    writeTime: write.time,
    writeSource: write.source ?? null,
    intervening: other
      ? { actor: actorOf(other), time: other.time, source: other.source ?? null }
      : null,
    suggestion: suggestionFor(write.op),
  };
}
