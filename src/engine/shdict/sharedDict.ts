/**
 * One lua_shared_dict: a zone of the configured size in a
 * SharedArrayBuffer, guarded by an Atomics mutex, so that each operation
 * is atomic across the threads that attach to the buffer, as nginx's
 * operations are across worker processes.
 *
 * Results and error strings follow ngx_http_lua_shdict.c of
 * lua-nginx-module 0.10.28; argument checks that lua-resty-core makes
 * in Lua belong to the Lua binding, not here. Times are milliseconds of
 * the injected clock; an exptime of 0 means "never expires".
 */
import {
  type PopResult,
  type PushResult,
  listLength,
  popValue,
  pushValue,
} from "./dictLists";
import {
  type DictKey,
  type DictValue,
  decodeValue,
  encodeValue,
  keyBytes,
  valueTypeOf,
} from "./dictValue";
import { DictZone, Found, ValueType, type ZoneBuffer } from "./dictZone";
import { ShmMutex } from "./shmMutex";

export type { DictKey, DictValue } from "./dictValue";
export type { PopResult, PushResult } from "./dictLists";

/** The outcome of a write, as the Lua API returns it. */
export interface WriteResult {
  ok: boolean;
  err: string | null;
  forcible: boolean;
}

/** The outcome of get / get_stale. `value` is null for a missing key. */
export interface GetResult {
  value: DictValue | null;
  flags: number;
  isStale: boolean;
  err: string | null;
}

/** The outcome of incr; `value` is null on failure. */
export interface IncrResult {
  value: number | null;
  err: string | null;
  forcible: boolean;
}

/** ngx_http_lua_ffi_shdict_store's op bits, as lua-resty-core names them. */
export type StoreOp = "set" | "safe_set" | "add" | "safe_add" | "replace";

/** How many forced LRU evictions a write tries before "no memory". */
const MAX_EVICTIONS = 30;

/**
 * Marks every entry expired for flush_all, as nginx does (expires = 1).
 * The dict's clock starts at 1 so this marker is in the past at time 0.
 */
const FLUSHED = 1;

export class SharedDict {
  private readonly zone: DictZone;
  private readonly mutex: ShmMutex;

  /**
   * @param name the lua_shared_dict name
   * @param size the zone size in bytes (`10m` = 10485760)
   * @param clock virtual time in ms; processes sharing a buffer must
   *   share the clock's origin
   * @param buffer an existing zone to attach to (from `buffer` of a
   *   dict created in another thread); without it a new zone is made
   */
  constructor(
    readonly name: string,
    size: number,
    private readonly clock: () => number,
    buffer?: ZoneBuffer,
  ) {
    this.zone = buffer ? DictZone.attach(buffer) : DictZone.create(size);
    if (this.zone.size !== size) {
      throw new Error(
        `shared dict "${name}": attached zone is ${this.zone.size} bytes, expected ${size}`,
      );
    }
    this.mutex = new ShmMutex(this.zone.i32, this.zone.lockIndex);
    if (!buffer) this.reserveContext(name);
  }

  /** The zone's memory, to hand to other threads when it is shared. */
  get buffer(): ZoneBuffer {
    return this.zone.buffer;
  }

  /** The zone size in bytes (capacity()). */
  get size(): number {
    return this.zone.size;
  }

  /** get (isStale false) or get_stale (true). */
  get(key: DictKey, options: { stale?: boolean } = {}): GetResult {
    const bytes = keyBytes(key);
    const isStaleAllowed = options.stale ?? false;
    return this.mutex.hold(() => {
      const now = this.now();
      if (!isStaleAllowed) this.zone.expire(now, false);
      const { found, node } = this.zone.lookup(bytes, now);
      const missing = { value: null, flags: 0, isStale: false, err: null };
      if (found === Found.Missing) return missing;
      if (found === Found.Expired && !isStaleAllowed) return missing;
      const type = this.zone.valueType(node);
      if (type === ValueType.List) {
        return { ...missing, err: "value is a list" };
      }
      const at = this.zone.valueAt(node);
      const stored = this.zone.u8.slice(at, at + this.zone.valueLength(node));
      return {
        value: decodeValue(type, stored),
        flags: this.zone.flags(node),
        isStale: found === Found.Expired,
        err: null,
      };
    });
  }

  set(key: DictKey, value: DictValue | null, exptimeMs = 0, flags = 0) {
    return this.store("set", key, value, exptimeMs, flags);
  }

  safeSet(key: DictKey, value: DictValue | null, exptimeMs = 0, flags = 0) {
    return this.store("safe_set", key, value, exptimeMs, flags);
  }

  add(key: DictKey, value: DictValue | null, exptimeMs = 0, flags = 0) {
    return this.store("add", key, value, exptimeMs, flags);
  }

  safeAdd(key: DictKey, value: DictValue | null, exptimeMs = 0, flags = 0) {
    return this.store("safe_add", key, value, exptimeMs, flags);
  }

  replace(key: DictKey, value: DictValue | null, exptimeMs = 0, flags = 0) {
    return this.store("replace", key, value, exptimeMs, flags);
  }

  /** delete: a set of nil. */
  delete(key: DictKey): WriteResult {
    return this.store("set", key, null, 0, 0);
  }

  /**
   * The write behind set, safe_set, add, safe_add, replace and delete
   * (ngx_http_lua_ffi_shdict_store). A value of null deletes.
   */
  store(
    op: StoreOp,
    key: DictKey,
    value: DictValue | null,
    exptimeMs: number,
    flags: number,
  ): WriteResult {
    const isAdd = op === "add" || op === "safe_add";
    if (value === null && (isAdd || op === "replace")) {
      return fail("attempt to add or replace nil values", false);
    }
    const bytes = keyBytes(key);
    const isSafe = op === "safe_set" || op === "safe_add";
    return this.mutex.hold(() => {
      const zone = this.zone;
      const now = this.now();
      zone.expire(now, false);
      const { found, node } = zone.lookup(bytes, now);
      if (op === "replace" && found !== Found.Live) {
        return fail("not found", false);
      }
      if (isAdd && found === Found.Live) return fail("exists", false);
      if (found !== Found.Missing) {
        if (value === null) {
          zone.remove(node);
          return ok(false);
        }
        if (this.rewriteInPlace(node, value, exptimeMs, flags, now)) {
          return ok(false);
        }
        zone.remove(node);
      }
      if (value === null) return ok(false);
      const encoded = encodeValue(value);
      const placed = this.allocate(bytes, encoded.length, !isSafe);
      if (placed.node === 0) return fail("no memory", placed.forcible);
      this.fill(placed.node, valueTypeOf(value), encoded, flags);
      zone.setExpires(placed.node, exptimeMs > 0 ? now + exptimeMs : 0);
      return ok(placed.forcible);
    });
  }

  /**
   * incr: adds `delta` to a number. With `init` (not null) a missing or
   * expired key starts at init + delta and expires after `initTtlMs`
   * (0 = never); an existing key keeps its expiry.
   */
  incr(
    key: DictKey,
    delta: number,
    init: number | null = null,
    initTtlMs = 0,
  ): IncrResult {
    const bytes = keyBytes(key);
    return this.mutex.hold((): IncrResult => {
      const zone = this.zone;
      const now = this.now();
      zone.expire(now, false);
      const { found, node } = zone.lookup(bytes, now);
      if (found === Found.Live) {
        const type = zone.valueType(node);
        if (type !== ValueType.Number || zone.valueLength(node) !== 8) {
          return { value: null, err: "not a number", forcible: false };
        }
        const at = zone.valueAt(node);
        const value = zone.view.getFloat64(at, true) + delta;
        zone.view.setFloat64(at, value, true);
        return { value, err: null, forcible: false };
      }
      if (init === null) {
        return { value: null, err: "not found", forcible: false };
      }
      const value = init + delta;
      const encoded = encodeValue({ type: "number", value });
      let target = node;
      let forcible = false;
      const isReusable =
        found === Found.Expired &&
        zone.valueLength(node) === 8 &&
        zone.valueType(node) !== ValueType.List;
      if (isReusable) {
        zone.touch(node);
      } else {
        if (found === Found.Expired) zone.remove(node);
        const placed = this.allocate(bytes, 8, true);
        if (placed.node === 0) {
          return { value: null, err: "no memory", forcible: placed.forcible };
        }
        target = placed.node;
        forcible = placed.forcible;
      }
      this.fill(target, ValueType.Number, encoded, 0);
      zone.setExpires(target, initTtlMs > 0 ? now + initTtlMs : 0);
      return { value, err: null, forcible };
    });
  }

  /**
   * ttl in ms: 0 for no expiry, negative once expired but not yet
   * reclaimed (nginx does not check expiry here); null when missing.
   */
  ttl(key: DictKey): number | null {
    const bytes = keyBytes(key);
    return this.mutex.hold(() => {
      const node = this.zone.peek(bytes);
      if (node === 0) return null;
      const expires = this.zone.expires(node);
      return expires === 0 ? 0 : expires - this.now();
    });
  }

  /** expire: sets a new exptime (0 = never), even on an expired entry. */
  expire(key: DictKey, exptimeMs: number): boolean {
    const bytes = keyBytes(key);
    return this.mutex.hold(() => {
      const node = this.zone.peek(bytes);
      if (node === 0) return false;
      this.zone.setExpires(node, exptimeMs > 0 ? this.now() + exptimeMs : 0);
      return true;
    });
  }

  /**
   * flush_all: marks every entry expired, then reclaims the least
   * recently used one and up to two more, as nginx does. The rest stay
   * in memory (get_stale still returns them) until reclaimed.
   */
  flushAll(): void {
    this.mutex.hold(() => {
      for (let node = this.zone.lruTail(); node !== 0; ) {
        this.zone.setExpires(node, FLUSHED);
        node = this.zone.newer(node);
      }
      this.zone.expire(this.now(), true);
    });
  }

  /** flush_expired: frees expired entries, at most `max` (0 = all). */
  flushExpired(max = 0): number {
    return this.mutex.hold(() => {
      const now = this.now();
      let freed = 0;
      for (let node = this.zone.lruTail(); node !== 0; ) {
        const newer = this.zone.newer(node);
        const expires = this.zone.expires(node);
        if (expires !== 0 && expires <= now) {
          this.zone.remove(node);
          freed++;
          if (max !== 0 && freed === max) break;
        }
        node = newer;
      }
      return freed;
    });
  }

  /**
   * get_keys: live keys from the least to the most recently used, at
   * most `max` of them (0 = all; lua-nginx-module's default is 1024).
   */
  keys(max = 1024): Uint8Array[] {
    return this.mutex.hold(() => {
      const now = this.now();
      const out: Uint8Array[] = [];
      for (let node = this.zone.lruTail(); node !== 0; ) {
        const expires = this.zone.expires(node);
        if (expires === 0 || expires > now) {
          out.push(this.zone.key(node));
          if (max !== 0 && out.length === max) break;
        }
        node = this.zone.newer(node);
      }
      return out;
    });
  }

  /** lpush (isLeft true) or rpush; only strings and numbers. */
  push(key: DictKey, value: DictValue, isLeft: boolean): PushResult {
    const bytes = keyBytes(key);
    return this.mutex.hold(() => pushValue(this.zone, bytes, value, isLeft, this.now()));
  }

  /** lpop (isLeft true) or rpop. */
  pop(key: DictKey, isLeft: boolean): PopResult {
    const bytes = keyBytes(key);
    return this.mutex.hold(() => popValue(this.zone, bytes, isLeft, this.now()));
  }

  llen(key: DictKey): { length: number | null; err: string | null } {
    const bytes = keyBytes(key);
    return this.mutex.hold(() => listLength(this.zone, bytes, this.now()));
  }

  /** capacity(): the zone size in bytes. */
  capacity(): number {
    return this.zone.size;
  }

  /** free_space(): free whole pages of the slab pool, in bytes. */
  freeSpace(): number {
    return this.mutex.hold(() => this.zone.pool.freeSpace());
  }

  /** Live entries (lists excluded), least recently used first. */
  snapshot(): Array<{ key: string; value: DictValue; flags: number; expires: number }> {
    const decoder = new TextDecoder();
    return this.mutex.hold(() => {
      const now = this.now();
      const out = [];
      for (let node = this.zone.lruTail(); node !== 0; ) {
        const expires = this.zone.expires(node);
        const at = this.zone.valueAt(node);
        const stored = this.zone.u8.slice(at, at + this.zone.valueLength(node));
        const value = decodeValue(this.zone.valueType(node), stored);
        if (value && (expires === 0 || expires > now)) {
          const key = decoder.decode(this.zone.key(node));
          out.push({ key, value, flags: this.zone.flags(node), expires });
        }
        node = this.zone.newer(node);
      }
      return out;
    });
  }

  private now(): number {
    return Math.floor(this.clock()) + FLUSHED;
  }

  /**
   * ngx_http_lua_shdict_init_zone's two allocations: the rbtree and LRU
   * head (80 bytes) and the " in lua_shared_dict zone "NAME"" log text.
   */
  private reserveContext(name: string): void {
    const nameBytes = new TextEncoder().encode(name).length;
    const logContext = ' in lua_shared_dict zone ""'.length + 1 + nameBytes;
    if (this.zone.pool.alloc(80) === 0 || this.zone.pool.alloc(logContext) === 0) {
      throw new Error(`shared dict "${name}": zone of ${this.size} bytes is too small`);
    }
  }

  /** Same-size values overwrite in place, as nginx does; true if done. */
  private rewriteInPlace(
    node: number,
    value: DictValue,
    exptimeMs: number,
    flags: number,
    now: number,
  ): boolean {
    const zone = this.zone;
    const encoded = encodeValue(value);
    if (zone.valueType(node) === ValueType.List) return false;
    if (encoded.length !== zone.valueLength(node)) return false;
    zone.touch(node);
    zone.setExpires(node, exptimeMs > 0 ? now + exptimeMs : 0);
    this.fill(node, valueTypeOf(value), encoded, flags);
    return true;
  }

  /**
   * Allocates a node; when the pool is full and eviction is allowed,
   * evicts least recently used entries (and expired ones) up to 30 times.
   */
  private allocate(
    key: Uint8Array,
    valueBytes: number,
    mayEvict: boolean,
  ): { node: number; forcible: boolean } {
    let node = this.zone.insert(key, valueBytes);
    let forcible = false;
    for (let i = 0; node === 0 && mayEvict && i < MAX_EVICTIONS; i++) {
      if (this.zone.expire(this.now(), true) === 0) break;
      forcible = true;
      node = this.zone.insert(key, valueBytes);
    }
    return { node, forcible };
  }

  private fill(node: number, type: ValueType, bytes: Uint8Array, flags: number) {
    this.zone.setValueType(node, type);
    this.zone.setValueLength(node, bytes.length);
    this.zone.setFlags(node, flags);
    this.zone.u8.set(bytes, this.zone.valueAt(node));
  }
}

function ok(forcible: boolean): WriteResult {
  return { ok: true, err: null, forcible };
}

function fail(err: string, forcible: boolean): WriteResult {
  return { ok: false, err, forcible };
}
