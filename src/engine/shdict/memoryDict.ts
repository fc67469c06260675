/**
 * A lua_shared_dict held in one JavaScript Map. Every operation is one
 * synchronous call, so it is atomic with respect to Lua coroutines, as
 * nginx's mutex-guarded shared memory is.
 *
 * NOTE: this store lives in one thread and has no memory limit or LRU
 * eviction yet; sizes are recorded but not enforced.
 */

export type DictValue =
  | { type: "string"; bytes: Uint8Array }
  | { type: "number"; value: number }
  | { type: "boolean"; value: boolean };

interface Entry {
  value: DictValue;
  flags: number;
  /** Expiry in virtual ms since the run began; 0 = never. */
  expires: number;
}

/** The outcome of a write, as the Lua API returns it. */
export interface WriteResult {
  ok: boolean;
  err: string | null;
  forcible: boolean;
}

export class MemoryDict {
  private readonly entries = new Map<string, Entry>();

  constructor(
    readonly name: string,
    readonly size: number,
    private readonly now: () => number,
  ) {}

  private live(key: string): Entry | undefined {
    const entry = this.entries.get(key);
    if (entry && entry.expires !== 0 && entry.expires <= this.now()) {
      this.entries.delete(key);
      return undefined;
    }
    return entry;
  }

  get(key: string): { value: DictValue; flags: number } | null {
    const entry = this.live(key);
    return entry ? { value: entry.value, flags: entry.flags } : null;
  }

  /** Stores or (with a null value) deletes; `exptime` in seconds, 0 = never. */
  set(key: string, value: DictValue | null, exptime = 0, flags = 0): WriteResult {
    if (value === null) {
      this.entries.delete(key);
      return { ok: true, err: null, forcible: false };
    }
    const expires = exptime > 0 ? this.now() + exptime * 1000 : 0;
    // Re-inserting moves the key to the end, as nginx's LRU queue does.
    this.entries.delete(key);
    this.entries.set(key, { value, flags, expires });
    return { ok: true, err: null, forcible: false };
  }

  add(key: string, value: DictValue | null, exptime = 0, flags = 0): WriteResult {
    if (this.live(key)) return { ok: false, err: "exists", forcible: false };
    return this.set(key, value, exptime, flags);
  }

  replace(key: string, value: DictValue | null, exptime = 0, flags = 0): WriteResult {
    if (!this.live(key)) return { ok: false, err: "not found", forcible: false };
    return this.set(key, value, exptime, flags);
  }

  /**
   * Adds `delta` to a number value. With `init`, a missing key starts at
   * init (expiring after `initTtl` seconds when given).
   */
  incr(
    key: string,
    delta: number,
    init?: number,
    initTtl = 0,
  ): { value: number | null; err: string | null; forcible: boolean } {
    const entry = this.live(key);
    if (!entry) {
      if (init === undefined) return { value: null, err: "not found", forcible: false };
      const value = init + delta;
      this.set(key, { type: "number", value }, initTtl);
      return { value, err: null, forcible: false };
    }
    if (entry.value.type !== "number") {
      return { value: null, err: "not a number", forcible: false };
    }
    const value = entry.value.value + delta;
    entry.value = { type: "number", value };
    return { value, err: null, forcible: false };
  }

  delete(key: string): void {
    this.entries.delete(key);
  }

  /** All live entries in insertion order (for inspectors and tests). */
  snapshot(): Array<{ key: string; value: DictValue; flags: number; expires: number }> {
    const out = [];
    for (const key of [...this.entries.keys()]) {
      const entry = this.live(key);
      if (entry) out.push({ key, ...entry });
    }
    return out;
  }
}
