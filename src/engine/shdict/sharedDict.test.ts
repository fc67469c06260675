import { describe, expect, it } from "vitest";
import { type DictValue, SharedDict } from "./sharedDict";

const text = (s: string): DictValue => ({
  type: "string",
  bytes: new TextEncoder().encode(s),
});
const num = (value: number): DictValue => ({ type: "number", value });
const decode = (keys: Uint8Array[]) => keys.map((k) => new TextDecoder().decode(k));

function dict(size = 1024 * 1024) {
  const clock = { now: 0 };
  return { clock, d: new SharedDict("dogs", size, () => clock.now) };
}

describe("shared dict API results", () => {
  it("set and get with flags", () => {
    const { d } = dict();
    expect(d.set("k", text("v"), 0, 7)).toEqual({ ok: true, err: null, forcible: false });
    expect(d.get("k")).toMatchObject({ value: text("v"), flags: 7, isStale: false });
    expect(d.get("missing").value).toBeNull();
  });

  it.each([
    ["add on a live key", (d: SharedDict) => d.add("k", text("x")), "exists"],
    ["replace on a missing key", (d: SharedDict) => d.replace("nope", text("x")), "not found"],
    ["add of nil", (d: SharedDict) => d.add("n", null), "attempt to add or replace nil values"],
    ["replace of nil", (d: SharedDict) => d.replace("k", null), "attempt to add or replace nil values"],
  ])("%s fails", (_title, write, err) => {
    const { d } = dict();
    d.set("k", text("old"));
    expect(write(d)).toEqual({ ok: false, err, forcible: false });
    expect(d.get("k").value).toEqual(text("old"));
  });

  it("stores numbers, booleans and deletes with nil", () => {
    const { d } = dict();
    d.set("n", num(1.5));
    d.set("b", { type: "boolean", value: false });
    expect(d.get("n").value).toEqual(num(1.5));
    expect(d.get("b").value).toEqual({ type: "boolean", value: false });
    d.set("n", null);
    expect(d.get("n").value).toBeNull();
    expect(d.delete("b").ok).toBe(true);
    expect(d.get("b").value).toBeNull();
  });

  it("incr handles missing keys, init and non-numbers", () => {
    const { d } = dict();
    expect(d.incr("c", 1)).toEqual({ value: null, err: "not found", forcible: false });
    expect(d.incr("c", 1, 10).value).toBe(11);
    expect(d.incr("c", 5, 100).value).toBe(16);
    expect(d.incr("c", -20).value).toBe(-4);
    d.set("s", text("5"));
    expect(d.incr("s", 1).err).toBe("not a number");
  });

  it("get_keys order and default limit", () => {
    const { d } = dict();
    for (const k of ["one", "two", "three", "four"]) d.set(k, num(1));
    d.get("one");
    expect(decode(d.keys())).toEqual(["two", "three", "four", "one"]);
    expect(decode(d.keys(2))).toEqual(["two", "three"]);
    for (let i = 1; i <= 1100; i++) d.set(`k${i}`, num(i));
    expect(d.keys().length).toBe(1024);
    expect(d.keys(0).length).toBe(1104);
  });

  it("flush_all reclaims three, leaves rest stale", () => {
    const { d } = dict();
    for (const k of ["a", "b", "c", "d"]) d.set(k, num(1));
    d.flushAll();
    expect(d.get("a", { stale: true }).value).toBeNull();
    expect(d.get("c", { stale: true }).value).toBeNull();
    expect(d.get("d", { stale: true })).toMatchObject({ value: num(1), isStale: true });
    expect(d.keys(0)).toEqual([]);
    expect(d.flushExpired()).toBe(1);
  });

  it("lists push, pop and refuse other types", () => {
    const { d } = dict();
    expect(d.push("l", text("a"), true)).toEqual({ length: 1, err: null });
    expect(d.push("l", text("b"), true).length).toBe(2);
    expect(d.push("l", num(3), false).length).toBe(3);
    expect(d.llen("l").length).toBe(3);
    expect(d.pop("l", true).value).toEqual(text("b"));
    expect(d.pop("l", false).value).toEqual(num(3));
    expect(d.pop("l", false).value).toEqual(text("a"));
    expect(d.pop("l", true)).toEqual({ value: null, err: null });
    expect(d.llen("l").length).toBe(0);
    d.set("s", text("x"));
    expect(d.push("s", text("y"), true)).toEqual({ length: null, err: "value not a list" });
    expect(d.llen("s").err).toBe("value not a list");
    d.push("l2", num(1), false);
    expect(d.get("l2").err).toBe("value is a list");
  });

  it("reports capacity and free space of the zone", () => {
    const { d } = dict();
    expect(d.capacity()).toBe(1048576);
    expect(d.freeSpace()).toBe(1032192);
  });
});

describe("shared dict expiry with an injected clock", () => {
  it("get_stale returns an expired value", () => {
    const { d, clock } = dict();
    d.set("k", text("v"), 10, 3);
    clock.now = 50;
    expect(d.get("k", { stale: true })).toMatchObject({
      value: text("v"),
      flags: 3,
      isStale: true,
    });
    expect(d.get("k").value).toBeNull();
    expect(d.get("k", { stale: true }).value).toBeNull();
  });

  it("ttl counts down and turns negative until reclaimed", () => {
    const { d, clock } = dict();
    d.set("live", num(1));
    d.set("k", num(1), 1000);
    clock.now = 400;
    expect(d.ttl("k")).toBe(600);
    clock.now = 1500;
    expect(d.ttl("k")).toBe(-500);
    expect(d.ttl("live")).toBe(0);
    expect(d.ttl("nope")).toBeNull();
  });

  it("expire sets a new deadline and 0 removes it", () => {
    const { d, clock } = dict();
    d.set("k", num(1));
    expect(d.expire("k", 100)).toBe(true);
    expect(d.ttl("k")).toBe(100);
    expect(d.expire("k", 0)).toBe(true);
    clock.now = 1000;
    expect(d.get("k").value).toEqual(num(1));
    expect(d.expire("missing", 5)).toBe(false);
  });

  it("add succeeds over an expired key", () => {
    const { d, clock } = dict();
    d.set("e", text("old"), 10);
    clock.now = 50;
    expect(d.add("e", text("new")).ok).toBe(true);
    expect(d.get("e").value).toEqual(text("new"));
  });

  it("incr with init_ttl sets expiry only on creation", () => {
    const { d, clock } = dict();
    d.incr("t", 1, 0, 100);
    d.set("plain", num(0));
    d.incr("plain", 1, 0, 100);
    expect(d.ttl("t")).toBe(100);
    expect(d.ttl("plain")).toBe(0);
    clock.now = 200;
    expect(d.incr("t", 1, 5).value).toBe(6);
  });

  it("flush_expired frees expired entries up to a limit", () => {
    const { d, clock } = dict();
    for (let i = 0; i < 5; i++) d.set(`x${i}`, num(i), 10);
    d.set("keep", num(1));
    clock.now = 20;
    expect(d.flushExpired(2)).toBe(2);
    expect(d.flushExpired()).toBe(3);
    expect(decode(d.keys())).toEqual(["keep"]);
  });
});

describe("shared dict memory and eviction", () => {
  it("12k dict fits only small entries", () => {
    const { d } = dict(12 * 1024);
    expect(d.freeSpace()).toBe(0);
    expect(d.set("key1", text("x".repeat(100)))).toEqual({
      ok: false,
      err: "no memory",
      forcible: false,
    });
    expect(d.set("k", num(1)).ok).toBe(true);
  });

  it("a 32k dict evicts the LRU entry on the 81st set", () => {
    const { d } = dict(32 * 1024);
    expect(d.freeSpace()).toBe(20480);
    const value = text("x".repeat(100));
    for (let i = 1; i <= 80; i++) {
      expect(d.set(`key${i}`, value).forcible).toBe(false);
    }
    expect(d.freeSpace()).toBe(0);
    expect(d.set("key81", value)).toEqual({ ok: true, err: null, forcible: true });
    expect(d.keys(0).length).toBe(80);
    expect(d.get("key1").value).toBeNull();
    expect(d.get("key2").value).toEqual(value);
  });

  it("safe_set and safe_add never evict", () => {
    const { d } = dict(32 * 1024);
    const value = text("x".repeat(100));
    for (let i = 1; i <= 80; i++) d.set(`key${i}`, value);
    const full = { ok: false, err: "no memory", forcible: false };
    expect(d.safeSet("another", value)).toEqual(full);
    expect(d.safeAdd("another", value)).toEqual(full);
    expect(d.get("key1").value).toEqual(value);
  });

  it("oversized value stops after 30 evictions", () => {
    const { d } = dict(32 * 1024);
    const value = text("x".repeat(100));
    for (let i = 1; i <= 80; i++) d.set(`key${i}`, value);
    const huge = text("z".repeat(40000));
    expect(d.set("huge", huge)).toEqual({ ok: false, err: "no memory", forcible: true });
    expect(d.keys(0).length).toBe(50);
  });

  it("evicts expired entries at the LRU tail before allocating", () => {
    const { d, clock } = dict(32 * 1024);
    const value = text("x".repeat(100));
    d.set("old1", value, 10);
    d.set("old2", value, 10);
    d.set("old3", value, 10);
    clock.now = 20;
    d.set("new", num(1));
    expect(d.get("old1", { stale: true }).value).toBeNull();
    expect(d.get("old2", { stale: true }).value).toBeNull();
    expect(d.get("old3", { stale: true }).isStale).toBe(true);
  });

  it("same-size value rewrites in place", () => {
    const { d } = dict(32 * 1024);
    const value = text("x".repeat(100));
    for (let i = 1; i <= 80; i++) d.set(`key${i}`, value);
    const same = text("y".repeat(100));
    expect(d.safeSet("key1", same)).toEqual({ ok: true, err: null, forcible: false });
    expect(d.get("key1").value).toEqual(same);
  });

  it("frees memory on delete", () => {
    const { d } = dict(32 * 1024);
    const before = d.freeSpace();
    d.set("big", text("b".repeat(5000)));
    expect(d.freeSpace()).toBe(before - 8192);
    d.delete("big");
    expect(d.freeSpace()).toBe(before);
  });

  it("attaches a second handle to the same buffer", () => {
    const { d } = dict(32 * 1024);
    d.set("shared", num(42));
    const other = new SharedDict("dogs", 32 * 1024, () => 0, d.buffer);
    expect(other.get("shared").value).toEqual(num(42));
    other.incr("shared", 1);
    expect(d.get("shared").value).toEqual(num(43));
  });
});
