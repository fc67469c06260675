import { describe, expect, it } from "vitest";
import type { TraceEvent } from "../../engine/trace/events";
import { replayShdicts } from "./shdictReplay";

type Op = {
  op: string;
  key?: string | null;
  result: string;
  time?: number;
  value?: string;
  flags?: number;
  exptimeMs?: number;
  dict?: string;
  capacityBytes?: number;
  freeBytes?: number;
};

function trace(ops: Op[]): TraceEvent[] {
  return ops.map((op, seq) => ({
    kind: "shdict",
    seq,
    time: op.time ?? seq,
    pid: 2,
    dict: op.dict ?? "counters",
    op: op.op,
    key: op.key === undefined ? "k" : op.key,
    result: op.result,
    ...(op.value === undefined ? {} : { value: op.value }),
    ...(op.flags === undefined ? {} : { flags: op.flags }),
    ...(op.exptimeMs === undefined ? {} : { exptimeMs: op.exptimeMs }),
    ...(op.capacityBytes === undefined ? {} : { capacityBytes: op.capacityBytes }),
    ...(op.freeBytes === undefined ? {} : { freeBytes: op.freeBytes }),
  }));
}

function keysOf(events: TraceEvent[], uptoSeq?: number): string[] {
  return replayShdicts(events, uptoSeq)[0].entries.map((entry) => entry.key);
}

describe("replayShdicts", () => {
  it("stores value, flags and expiry of a set", () => {
    const events = trace([
      { op: "set", result: "ok 5", value: "5", flags: 3, exptimeMs: 2000, time: 10 },
    ]);
    const [dict] = replayShdicts(events);
    expect(dict.name).toBe("counters");
    expect(dict.entries).toHaveLength(1);
    expect(dict.entries[0].value).toBe("5");
    expect(dict.entries[0].flags).toBe(3);
    expect(dict.entries[0].expiresAt).toBe(2010);
  });

  it("lists keys from most to least recently used", () => {
    const events = trace([
      { op: "set", key: "a", result: "ok 1", value: "1" },
      { op: "set", key: "b", result: "ok 2", value: "2" },
      { op: "get", key: "a", result: "1" },
    ]);
    expect(keysOf(events)).toEqual(["a", "b"]);
    expect(keysOf(events, 1)).toEqual(["b", "a"]);
  });

  it("keeps LRU order on ttl and expire", () => {
    const events = trace([
      { op: "set", key: "a", result: "ok 1", value: "1" },
      { op: "set", key: "b", result: "ok 2", value: "2" },
      { op: "ttl", key: "a", result: "0" },
      { op: "expire", key: "a", result: "ok", exptimeMs: 500, time: 100 },
    ]);
    const [dict] = replayShdicts(events);
    expect(dict.entries.map((entry) => entry.key)).toEqual(["b", "a"]);
    expect(dict.entries[1].expiresAt).toBe(600);
  });

  it("replays up to the given event only", () => {
    const events = trace([
      { op: "set", result: "ok 1", value: "1" },
      { op: "set", result: "ok 2", value: "2" },
    ]);
    expect(replayShdicts(events, 0)[0].entries[0].value).toBe("1");
    expect(replayShdicts(events)[0].entries[0].value).toBe("2");
  });

  it("counts up with incr and keeps the expiry", () => {
    const events = trace([
      { op: "incr", result: "1", exptimeMs: 1000, time: 0 },
      { op: "incr", result: "2", time: 5 },
    ]);
    const entry = replayShdicts(events)[0].entries[0];
    expect(entry.value).toBe("2");
    expect(entry.expiresAt).toBe(1000);
  });

  it("ignores a failed add", () => {
    const events = trace([
      { op: "set", result: "ok 1", value: "1" },
      { op: "add", result: "exists", value: "9" },
    ]);
    expect(replayShdicts(events)[0].entries[0].value).toBe("1");
  });

  it("removes deleted keys and nil sets", () => {
    const events = trace([
      { op: "set", key: "a", result: "ok 1", value: "1" },
      { op: "set", key: "b", result: "ok 2", value: "2" },
      { op: "delete", key: "a", result: "ok" },
      { op: "set", key: "b", result: "ok nil", value: "nil" },
    ]);
    expect(keysOf(events)).toEqual([]);
  });

  it("reclaims expired entries from the LRU tail on a write", () => {
    const events = trace([
      { op: "set", key: "old", result: "ok 1", value: "1", exptimeMs: 10, time: 0 },
      { op: "set", key: "new", result: "ok 2", value: "2", time: 50 },
    ]);
    expect(keysOf(events)).toEqual(["new"]);
    expect(keysOf(events, 0)).toEqual(["old"]);
  });

  it("evicts the LRU tail on a forcible write", () => {
    const events = trace([
      { op: "set", key: "a", result: "ok 1", value: "1" },
      { op: "set", key: "b", result: "ok 2", value: "2" },
      { op: "set", key: "c", result: "ok 3 forcible", value: "3" },
    ]);
    const [dict] = replayShdicts(events);
    expect(dict.entries.map((entry) => entry.key)).toEqual(["c", "b"]);
    expect(dict.forcibleSeqs).toEqual([2]);
  });

  it("marks all entries expired on flush_all", () => {
    const events = trace([
      { op: "set", key: "a", result: "ok 1", value: "1" },
      { op: "set", key: "b", result: "ok 2", value: "2" },
      { op: "set", key: "c", result: "ok 3", value: "3" },
      { op: "set", key: "d", result: "ok 4", value: "4" },
      { op: "flush_all", key: null, result: "ok", time: 20 },
    ]);
    const [dict] = replayShdicts(events);
    expect(dict.entries.map((entry) => entry.key)).toEqual(["d"]);
    expect(dict.entries[0].expiresAt).toBe(20);
  });

  it("tracks list lengths and drops empty lists", () => {
    const events = trace([
      { op: "lpush", result: '"x" length 1' },
      { op: "rpush", result: '"y" length 2' },
      { op: "lpop", result: '"x"' },
    ]);
    expect(replayShdicts(events)[0].entries[0].listLength).toBe(1);
    const drained = [...events, ...trace([{ op: "rpop", result: '"y"' }])];
    drained[3] = { ...drained[3], seq: 3, time: 3 };
    expect(replayShdicts(drained)[0].entries).toEqual([]);
  });

  it("takes memory use from each event, or from capacity() results", () => {
    const legacy = replayShdicts(trace([{ op: "set", result: "ok 1", value: "1" }]));
    expect(legacy[0].capacity).toBeNull();
    expect(legacy[0].freeSpace).toBeNull();
    const measured = replayShdicts(
      trace([
        { op: "set", result: "ok 1", value: "1", capacityBytes: 12288, freeBytes: 4096 },
        { op: "set", result: "ok 2", value: "2", capacityBytes: 12288, freeBytes: 0 },
      ]),
    );
    expect(measured[0].capacity).toBe(12288);
    expect(measured[0].freeSpace).toBe(0);
    const events = trace([
      { op: "capacity", key: null, result: "1048576" },
      { op: "free_space", key: null, result: "1036288" },
    ]);
    const [dict] = replayShdicts(events);
    expect(dict.capacity).toBe(1048576);
    expect(dict.freeSpace).toBe(1036288);
  });

  it("parses the value of a write that lacks the value field", () => {
    const [dict] = replayShdicts(trace([{ op: "set", result: 'ok "hi"' }]));
    expect(dict.entries[0].value).toBe('"hi"');
    expect(dict.isApproximate).toBe(true);
  });

  it("keeps dicts apart and sorts them by name", () => {
    const events = trace([
      { op: "set", dict: "zeta", result: "ok 1", value: "1" },
      { op: "set", dict: "alpha", result: "ok 2", value: "2" },
    ]);
    expect(replayShdicts(events).map((dict) => dict.name)).toEqual(["alpha", "zeta"]);
  });
});
