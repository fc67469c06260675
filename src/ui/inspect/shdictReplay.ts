/**
 * Rebuilds the contents of each lua_shared_dict at one point of a run by
 * replaying the trace's shdict events. The replay follows the engine's
 * zone, which follows ngx_http_lua_shdict.c. A live key found by get,
 * incr or a write moves to the head of the LRU queue, but ttl and expire
 * do not move it. Every get, write and incr first reclaims up to two
 * expired entries from the LRU tail.
 */
import type { TraceEvent } from "../../engine/trace/events";

type ShdictEvent = Extract<TraceEvent, { kind: "shdict" }>;

/** One key of a shared dict, as replayed. */
export interface DictEntry {
  key: string;
  /** The value as the trace formats it (`"text"`, `42`, `true`), or a list. */
  value: string;
  flags: number;
  /** Virtual ms when the entry expires; null if it never does. */
  expiresAt: number | null;
  /** Items of a list value; null for a plain value. */
  listLength: number | null;
  /** seq of the event that last changed or used the entry. */
  lastSeq: number;
}

/** One dict's replayed state; entries run from most to least recently used. */
export interface DictSnapshot {
  name: string;
  entries: DictEntry[];
  /** The zone size in bytes, or null if no event recorded it. */
  capacity: number | null;
  /** Free space in bytes after the last operation, or null if unknown. */
  freeSpace: number | null;
  /** seq of each forcible write: LRU evictions of unrecorded count. */
  forcibleSeqs: number[];
  /** True when some entry came from a write the trace lacks fields for. */
  isApproximate: boolean;
}

/** A dict's state while the replay runs; `lru` is most recent first. */
interface DictState {
  snapshot: DictSnapshot;
  lru: string[];
  byKey: Map<string, DictEntry>;
}

const RECLAIMING_OPS = new Set([
  "get",
  "set",
  "safe_set",
  "add",
  "safe_add",
  "replace",
  "delete",
  "incr",
  "lpush",
  "rpush",
  "lpop",
  "rpop",
  "llen",
]);

const STORE_OPS = new Set(["set", "safe_set", "add", "safe_add", "replace"]);

function newState(name: string): DictState {
  return {
    snapshot: {
      name,
      entries: [],
      capacity: null,
      freeSpace: null,
      forcibleSeqs: [],
      isApproximate: false,
    },
    lru: [],
    byKey: new Map(),
  };
}

function isExpired(entry: DictEntry, now: number): boolean {
  return entry.expiresAt !== null && entry.expiresAt - now <= 0;
}

function remove(state: DictState, key: string): void {
  if (!state.byKey.delete(key)) return;
  state.lru.splice(state.lru.indexOf(key), 1);
}

function touch(state: DictState, key: string): void {
  const index = state.lru.indexOf(key);
  if (index >= 0) state.lru.splice(index, 1);
  state.lru.unshift(key);
}

/** Frees up to two expired entries from the LRU tail, as nginx does. */
function reclaimExpired(state: DictState, now: number): void {
  for (let n = 0; n < 2; n++) {
    const tail = state.lru[state.lru.length - 1];
    const entry = tail === undefined ? undefined : state.byKey.get(tail);
    if (!entry || !isExpired(entry, now)) return;
    remove(state, entry.key);
  }
}

/** Evicts the least recently used entry, whatever its expiry. */
function evictTail(state: DictState): void {
  const tail = state.lru[state.lru.length - 1];
  if (tail !== undefined) remove(state, tail);
}

function expiryOf(event: ShdictEvent, now: number): number | null {
  const ms = event.exptimeMs ?? 0;
  return ms > 0 ? now + ms : null;
}

function put(state: DictState, entry: DictEntry): void {
  state.byKey.set(entry.key, entry);
  touch(state, entry.key);
}

/** Returns the value a write stored: its own field, else parsed from `ok V`. */
function storedValue(event: ShdictEvent): string | null {
  if (event.value !== undefined) return event.value;
  const match = /^ok (.*?)( forcible)?$/.exec(event.result);
  return match ? match[1] : null;
}

function applyStore(state: DictState, event: ShdictEvent, now: number): void {
  const key = event.key!;
  const isOk = event.result.startsWith("ok");
  if (event.result.startsWith("no memory")) {
    // The old entry was freed before the allocation that failed.
    remove(state, key);
    return;
  }
  if (!isOk) return;
  const value = storedValue(event);
  if (value === null || value === "nil") {
    remove(state, key);
    return;
  }
  if (event.value === undefined) state.snapshot.isApproximate = true;
  put(state, {
    key,
    value,
    flags: event.flags ?? 0,
    expiresAt: expiryOf(event, now),
    listLength: null,
    lastSeq: event.seq,
  });
}

function applyIncr(state: DictState, event: ShdictEvent, now: number): void {
  const key = event.key!;
  const value = Number(event.result.split(" ")[0]);
  if (Number.isNaN(value)) {
    if (event.result.startsWith("no memory")) remove(state, key);
    return;
  }
  const live = state.byKey.get(key);
  if (live && !isExpired(live, now)) {
    live.value = event.result.split(" ")[0];
    live.lastSeq = event.seq;
    touch(state, key);
    return;
  }
  put(state, {
    key,
    value: event.result.split(" ")[0],
    flags: 0,
    expiresAt: expiryOf(event, now),
    listLength: null,
    lastSeq: event.seq,
  });
}

function applyList(state: DictState, event: ShdictEvent, now: number): void {
  const key = event.key!;
  const current = state.byKey.get(key);
  const isLive = current !== undefined && !isExpired(current, now);
  if (event.op === "lpush" || event.op === "rpush") {
    const length = /length (\d+)$/.exec(event.result);
    if (!length) return;
    put(state, {
      key,
      value: "list",
      flags: 0,
      expiresAt: isLive ? current.expiresAt : null,
      listLength: Number(length[1]),
      lastSeq: event.seq,
    });
    return;
  }
  if (!isLive || current.listLength === null) return;
  touch(state, key);
  current.lastSeq = event.seq;
  if (event.op === "llen") current.listLength = Number(event.result);
  else if (event.result !== "nil") current.listLength -= 1;
  // nginx frees a list once its last item is popped.
  if (current.listLength === 0) remove(state, key);
}

function applyEvent(state: DictState, event: ShdictEvent): void {
  const now = Math.floor(event.time);
  const key = event.key;
  if (RECLAIMING_OPS.has(event.op)) reclaimExpired(state, now);
  if (event.result.endsWith("forcible")) {
    state.snapshot.forcibleSeqs.push(event.seq);
    if (key !== null) remove(state, key);
    evictTail(state);
  }
  if (event.capacityBytes !== undefined) state.snapshot.capacity = event.capacityBytes;
  if (event.freeBytes !== undefined) state.snapshot.freeSpace = event.freeBytes;
  // Traces recorded before events carried the zone's memory.
  if (event.op === "capacity") state.snapshot.capacity = Number(event.result);
  else if (event.op === "free_space") state.snapshot.freeSpace = Number(event.result);
  else if (event.op === "flush_all") flushAll(state, now);
  else if (event.op === "flush_expired") flushExpired(state, now);
  else if (key === null) return;
  else if (STORE_OPS.has(event.op)) applyStore(state, event, now);
  else if (event.op === "delete") remove(state, key);
  else if (event.op === "incr") applyIncr(state, event, now);
  else if (event.op === "expire" && event.result === "ok") {
    const entry = state.byKey.get(key);
    if (entry) entry.expiresAt = expiryOf(event, now);
  } else if (event.op === "get" || event.op === "get_stale") {
    const entry = state.byKey.get(key);
    if (entry && !isExpired(entry, now)) touch(state, key);
  } else if (/^[lr](push|pop)$|^llen$/.test(event.op)) {
    applyList(state, event, now);
  }
}

/** flush_all marks every entry expired and frees the LRU tail and two more. */
function flushAll(state: DictState, now: number): void {
  for (const entry of state.byKey.values()) entry.expiresAt = now;
  for (let n = 0; n < 3; n++) evictTail(state);
}

function flushExpired(state: DictState, now: number): void {
  for (const entry of [...state.byKey.values()]) {
    if (isExpired(entry, now)) remove(state, entry.key);
  }
}

/**
 * Replays the shdict events with seq up to `uptoSeq` (inclusive; omit it
 * for the whole run) and returns each dict that appears, by name.
 */
export function replayShdicts(
  trace: readonly TraceEvent[],
  uptoSeq = Infinity,
): DictSnapshot[] {
  const states = new Map<string, DictState>();
  for (const event of trace) {
    if (event.seq > uptoSeq || event.kind !== "shdict") continue;
    let state = states.get(event.dict);
    if (!state) {
      state = newState(event.dict);
      states.set(event.dict, state);
    }
    applyEvent(state, event);
  }
  return [...states.values()]
    .map((state) => ({
      ...state.snapshot,
      entries: state.lru.map((key) => ({ ...state.byKey.get(key)! })),
    }))
    .sort((a, b) => a.name.localeCompare(b.name));
}

/** Tells whether `entry` has expired at virtual time `now` (ms). */
export function isEntryExpired(entry: DictEntry, now: number): boolean {
  return isExpired(entry, now);
}
