/**
 * ngx.shared.DICT: lua_shared_dict zones. As in lua-nginx-module, each
 * dict is a table whose [1] is a userdata naming the zone, and all dicts
 * share one metatable whose __index is itself. get, set, incr and the
 * other lua-resty-core methods check their arguments as resty.core
 * 0.1.31's lib/resty/core/shdict.lua does, so errors that LuaJIT raises
 * inside that file carry its path and line. The list methods, get_keys
 * and flush_expired are C functions in lua-nginx-module and check
 * arguments the C way (see ngxSharedLists.ts).
 */
import { threadId } from "../threadIds";
import { lua, lauxlib, to_luastring } from "fengari";
import type { DictValue, MemoryDict } from "../../shdict/memoryDict";
import type { StoreOp } from "../../shdict/sharedDict";
import { formatNgxNumber } from "../numberFormat";
import { bytesToText, callerPosition, logText, pushText, setFunction } from "./luaStack";
import { installListMethods } from "./ngxSharedLists";
import type { NgxRuntime } from "./runtime";

type LuaState = unknown;

/** Path of lua-resty-core's shdict.lua in an OpenResty install. */
const RESTY_SHDICT = "/usr/share/lua/5.1/resty/core/shdict.lua";
/** Lines of resty.core 0.1.31's shdict.lua where LuaJIT raises errors. */
const LINE_EXPTIME_COMPARE = 490;
const LINE_STORE_CALL = 542;
const LINE_INCR_VALUE = 760;
const LINE_EXPIRE_MULTIPLY = 873;

const MAX_KEY_BYTES = 65535;
const encoder = new TextEncoder();

/** Raises `message` as a Lua error without a position. */
export function raise(L: LuaState, message: string): never {
  pushText(L, message);
  lua.lua_error(L);
  throw new Error("unreachable: lua_error returned");
}

/** error(message, 2) in a resty.core method: the caller's position. */
function raiseAtCaller(L: LuaState, message: string): never {
  const position = callerPosition(L);
  raise(L, position ? `${position}: ${message}` : message);
}

/** Raises an error that LuaJIT raises at a line of resty.core's shdict.lua. */
function raiseInResty(L: LuaState, line: number, message: string): never {
  raise(L, `${RESTY_SHDICT}:${line}: ${message}`);
}

/** fengari's userdata payload is a plain object; the zone name sits on it. */
const ZONE_NAME = "shdictZone";
type ZoneUserdata = { [ZONE_NAME]?: unknown };

/** Reads the dict userdata's zone name from a dict table; null if none. */
export function zoneName(L: LuaState, index: number): string | null {
  if (lua.lua_type(L, index) !== lua.LUA_TTABLE) return null;
  lua.lua_rawgeti(L, index, 1);
  const data = lua.lua_touserdata(L, -1) as ZoneUserdata | null;
  lua.lua_pop(L, 1);
  const name = data?.[ZONE_NAME];
  return typeof name === "string" ? name : null;
}

/** resty.core's check_zone. */
function checkZone(rt: NgxRuntime, L: LuaState): MemoryDict {
  const name = zoneName(L, 1);
  const dict = name === null ? undefined : rt.sharedDict(name);
  if (!dict) raiseAtCaller(L, 'bad "zone" argument');
  return dict;
}

/** Reads a key as resty.core does: tostring() of anything not a string. */
function restyKey(L: LuaState, index: number): Uint8Array | string {
  if (lua.lua_isnil(L, index)) return "nil key";
  const bytes =
    lua.lua_type(L, index) === lua.LUA_TSTRING
      ? lua.lua_tolstring(L, index)
      : encoder.encode(logText(L, index));
  if (bytes.length === 0) return "empty key";
  if (bytes.length > MAX_KEY_BYTES) return "key too long";
  return bytes;
}

function pushNilErr(L: LuaState, err: string): number {
  lua.lua_pushnil(L);
  pushText(L, err);
  return 2;
}

/** Converts as Lua's `tonumber(v)` does; null where that gives nil. */
function toNumber(L: LuaState, index: number): number | null {
  const n = lua.lua_tonumberx(L, index);
  return n === false ? null : n;
}

/** LuaJIT's conversion of a double to a C int (x86: out of range = INT_MIN). */
function toCInt(n: number): number {
  const truncated = Math.trunc(n);
  if (!(truncated >= -2147483648 && truncated <= 2147483647)) return -2147483648;
  return truncated;
}

/** Converts seconds to a C long of ms; out of range gives 0 (no expiry). */
function toMilliseconds(seconds: number): number {
  const ms = Math.trunc(seconds * 1000);
  return Number.isFinite(ms) ? ms : 0;
}

function typeName(L: LuaState, index: number): string {
  return bytesToText(lauxlib.luaL_typename(L, index));
}

/** Reads the exptime argument of set & co., in ms. */
function storeExptime(L: LuaState, index: number): number {
  if (!lua.lua_toboolean(L, index)) return 0;
  if (lua.lua_type(L, index) !== lua.LUA_TNUMBER) {
    raiseInResty(
      L,
      LINE_EXPTIME_COMPARE,
      `attempt to compare ${typeName(L, index)} with number`,
    );
  }
  const seconds = lua.lua_tonumber(L, index);
  if (seconds < 0) raiseAtCaller(L, 'bad "exptime" argument');
  return toMilliseconds(seconds);
}

/** Reads the flags argument as the FFI converts it to `int`. */
function storeFlags(L: LuaState, index: number): number {
  if (!lua.lua_toboolean(L, index)) return 0;
  const type = lua.lua_type(L, index);
  if (type === lua.LUA_TBOOLEAN) return 1;
  if (type !== lua.LUA_TNUMBER) {
    raiseInResty(
      L,
      LINE_STORE_CALL,
      `bad argument #10 to 'ngx_lua_ffi_shdict_store' ` +
        `(cannot convert '${typeName(L, index)}' to 'int')`,
    );
  }
  return toCInt(lua.lua_tonumber(L, index));
}

function storeValue(L: LuaState, index: number): DictValue | null | "bad" {
  switch (lua.lua_type(L, index)) {
    case lua.LUA_TNIL:
    case lua.LUA_TNONE:
      return null;
    case lua.LUA_TSTRING:
      return { type: "string", bytes: lua.lua_tolstring(L, index) };
    case lua.LUA_TNUMBER:
      return { type: "number", value: lua.lua_tonumber(L, index) };
    case lua.LUA_TBOOLEAN:
      return { type: "boolean", value: lua.lua_toboolean(L, index) };
    default:
      return "bad";
  }
}

/** Pushes a stored value onto the Lua stack. */
export function pushValue(L: LuaState, value: DictValue): void {
  if (value.type === "string") lua.lua_pushstring(L, value.bytes);
  else if (value.type === "number") lua.lua_pushnumber(L, value.value);
  else lua.lua_pushboolean(L, value.value);
}

/** Formats a value for the trace. */
export function describe(value: DictValue | null): string {
  if (value === null) return "nil";
  if (value.type === "string") return JSON.stringify(bytesToText(value.bytes));
  if (value.type === "number") return formatNgxNumber(value.value);
  return String(value.value);
}

function keyText(key: Uint8Array | string): string {
  return typeof key === "string" ? key : bytesToText(key);
}

/** Fields of a write's trace event that let the UI replay the dict. */
interface StoredFields {
  value?: string;
  flags?: number;
  exptimeMs?: number;
}

/** Records one dict operation in the trace. */
export function record(
  rt: NgxRuntime,
  L: LuaState,
  dict: MemoryDict,
  op: string,
  key: Uint8Array | string | null,
  result: string,
  stored: StoredFields = {},
): void {
  const position = callerPosition(L);
  const split = position?.lastIndexOf(":") ?? -1;
  rt.trace.record({
    kind: "shdict",
    time: rt.process.clock,
    pid: rt.process.pid,
    connection: rt.current?.request?.connection,
    subrequest: rt.current?.request?.subrequestNumber ?? undefined,
    thread: threadId(L),
    timerId: rt.current?.timerId,
    source:
      position && split > 0
        ? { chunkName: position.slice(0, split), line: Number(position.slice(split + 1)) }
        : undefined,
    dict: dict.name,
    op,
    key: key === null ? null : keyText(key),
    result,
    ...stored,
    // Measured after every operation so the inspector can show memory use
    // at any point, not only where the handler asked for it.
    capacityBytes: dict.capacity(),
    freeBytes: dict.freeSpace(),
  });
}

function storer(rt: NgxRuntime, op: StoreOp) {
  return (L: LuaState) => {
    const dict = checkZone(rt, L);
    const exptimeMs = storeExptime(L, 4);
    const flags = storeFlags(L, 5);
    const key = restyKey(L, 2);
    if (typeof key === "string") return pushNilErr(L, key);
    const value = storeValue(L, 3);
    if (value === "bad") return pushNilErr(L, "bad value type");
    const result = dict.store(op, key, value, exptimeMs, flags);
    const shown = result.ok ? `ok ${describe(value)}` : result.err ?? "";
    record(rt, L, dict, op, key, result.forcible ? `${shown} forcible` : shown, {
      value: describe(value),
      flags,
      exptimeMs,
    });
    lua.lua_pushboolean(L, result.ok);
    if (result.err) pushText(L, result.err);
    else lua.lua_pushnil(L);
    lua.lua_pushboolean(L, result.forcible);
    return 3;
  };
}

function getter(rt: NgxRuntime, isStale: boolean) {
  return (L: LuaState) => {
    const dict = checkZone(rt, L);
    const key = restyKey(L, 2);
    if (typeof key === "string") return pushNilErr(L, key);
    const found = dict.get(key, { stale: isStale });
    const op = isStale ? "get_stale" : "get";
    const shown = found.err ?? describe(found.value);
    record(rt, L, dict, op, key, found.isStale ? `${shown} stale` : shown);
    if (found.err) return pushNilErr(L, found.err);
    if (found.value === null) {
      lua.lua_pushnil(L);
      return 1;
    }
    pushValue(L, found.value);
    if (found.flags !== 0) lua.lua_pushnumber(L, found.flags);
    else if (!isStale) return 1;
    else lua.lua_pushnil(L);
    if (!isStale) return 2;
    lua.lua_pushboolean(L, found.isStale);
    return 3;
  };
}

/** Checks incr's init and init_ttl; returns [init or null, ttl in ms]. */
function incrInit(L: LuaState): [number | null, number] {
  let init: number | null = null;
  if (lua.lua_toboolean(L, 4)) {
    init = toNumber(L, 4);
    if (init === null) {
      raiseAtCaller(L, `bad init arg: number expected, got ${typeName(L, 4)}`);
    }
  }
  if (lua.lua_isnoneornil(L, 5)) return [init, 0];
  const ttl = toNumber(L, 5);
  if (ttl === null) {
    raiseAtCaller(L, `bad init_ttl arg: number expected, got ${typeName(L, 5)}`);
  }
  if (ttl < 0) raiseAtCaller(L, 'bad "init_ttl" argument');
  if (init === null) raiseAtCaller(L, 'must provide "init" when providing "init_ttl"');
  return [init, toMilliseconds(ttl)];
}

function incr(rt: NgxRuntime) {
  return (L: LuaState) => {
    const dict = checkZone(rt, L);
    const key = restyKey(L, 2);
    if (typeof key === "string") return pushNilErr(L, key);
    const delta = toNumber(L, 3);
    if (delta === null) {
      raiseInResty(L, LINE_INCR_VALUE, "cannot convert 'nil' to 'double'");
    }
    const [init, initTtlMs] = incrInit(L);
    const result = dict.incr(key, delta, init, initTtlMs);
    const shown = result.err ?? formatNgxNumber(result.value ?? 0);
    const created = init === null ? {} : { exptimeMs: initTtlMs };
    record(rt, L, dict, "incr", key, result.forcible ? `${shown} forcible` : shown, created);
    if (result.value === null) return pushNilErr(L, result.err ?? "");
    lua.lua_pushnumber(L, result.value);
    if (init === null) return 1;
    lua.lua_pushnil(L);
    lua.lua_pushboolean(L, result.forcible);
    return 3;
  };
}

function ttl(rt: NgxRuntime) {
  return (L: LuaState) => {
    const dict = checkZone(rt, L);
    const key = restyKey(L, 2);
    if (typeof key === "string") return pushNilErr(L, key);
    const ms = dict.ttl(key);
    record(rt, L, dict, "ttl", key, ms === null ? "not found" : String(ms / 1000));
    if (ms === null) return pushNilErr(L, "not found");
    lua.lua_pushnumber(L, ms / 1000);
    return 1;
  };
}

/** Computes expire's `exptime * 1000`, coercing numeric strings as LuaJIT does. */
function expireMilliseconds(L: LuaState): number {
  const type = lua.lua_type(L, 3);
  const seconds =
    type === lua.LUA_TNUMBER || type === lua.LUA_TSTRING ? toNumber(L, 3) : null;
  if (seconds === null) {
    raiseInResty(
      L,
      LINE_EXPIRE_MULTIPLY,
      `attempt to perform arithmetic on local 'exptime' (a ${typeName(L, 3)} value)`,
    );
  }
  return toMilliseconds(seconds);
}

function expire(rt: NgxRuntime) {
  return (L: LuaState) => {
    const dict = checkZone(rt, L);
    if (!lua.lua_toboolean(L, 3)) raiseAtCaller(L, 'bad "exptime" argument');
    const key = restyKey(L, 2);
    if (typeof key === "string") return pushNilErr(L, key);
    const exptimeMs = expireMilliseconds(L);
    const isFound = dict.expire(key, exptimeMs);
    record(rt, L, dict, "expire", key, isFound ? "ok" : "not found", { exptimeMs });
    if (!isFound) return pushNilErr(L, "not found");
    lua.lua_pushboolean(L, true);
    return 1;
  };
}

function installRestyMethods(rt: NgxRuntime, L: LuaState): void {
  setFunction(L, "get", getter(rt, false));
  setFunction(L, "get_stale", getter(rt, true));
  setFunction(L, "set", storer(rt, "set"));
  setFunction(L, "safe_set", storer(rt, "safe_set"));
  setFunction(L, "add", storer(rt, "add"));
  setFunction(L, "safe_add", storer(rt, "safe_add"));
  setFunction(L, "replace", storer(rt, "replace"));
  setFunction(L, "incr", incr(rt));
  setFunction(L, "ttl", ttl(rt));
  setFunction(L, "expire", expire(rt));
  setFunction(L, "delete", (L) => {
    const dict = checkZone(rt, L);
    const key = restyKey(L, 2);
    if (typeof key === "string") return pushNilErr(L, key);
    dict.delete(key);
    record(rt, L, dict, "delete", key, "ok");
    lua.lua_pushboolean(L, true);
    lua.lua_pushnil(L);
    lua.lua_pushboolean(L, false);
    return 3;
  });
  setFunction(L, "flush_all", (L) => {
    const dict = checkZone(rt, L);
    dict.flushAll();
    record(rt, L, dict, "flush_all", null, "ok");
    return 0;
  });
  setFunction(L, "capacity", (L) => {
    const dict = checkZone(rt, L);
    const bytes = dict.capacity();
    record(rt, L, dict, "capacity", null, String(bytes));
    lua.lua_pushnumber(L, bytes);
    return 1;
  });
  setFunction(L, "free_space", (L) => {
    const dict = checkZone(rt, L);
    const bytes = dict.freeSpace();
    record(rt, L, dict, "free_space", null, String(bytes));
    lua.lua_pushnumber(L, bytes);
    return 1;
  });
}

/**
 * Pushes the table for dict `name`: { [1] = userdata naming the zone },
 * with the shared metatable at `metatable`.
 */
function pushDictTable(L: LuaState, name: string, metatable: number): void {
  lua.lua_createtable(L, 1, 0);
  const data = lua.lua_newuserdata(L, 0) as ZoneUserdata;
  data[ZONE_NAME] = name;
  lua.lua_rawseti(L, -2, 1);
  lua.lua_pushvalue(L, metatable);
  lua.lua_setmetatable(L, -2);
}

/**
 * Fills `ngx.shared` on the `ngx` table at the stack top. Dict tables are
 * made on first access, because the zones are configured after the Lua
 * state is built; so `ngx.shared.nope` is nil, as in nginx.
 *
 * NOTE: pairs(ngx.shared) lists only the dicts already accessed, while
 * nginx lists every configured dict.
 */
export function installShared(rt: NgxRuntime, L: LuaState): void {
  lua.lua_newtable(L);
  const methods = lua.lua_gettop(L);
  installRestyMethods(rt, L);
  installListMethods(rt, L);
  lua.lua_pushvalue(L, methods);
  lua.lua_setfield(L, methods, to_luastring("__index"));
  lua.lua_newtable(L);
  lua.lua_newtable(L);
  lua.lua_pushvalue(L, methods);
  lua.lua_pushjsclosure(
    L,
    (L: LuaState) => {
      if (lua.lua_type(L, 2) !== lua.LUA_TSTRING) return 0;
      const name = bytesToText(lua.lua_tolstring(L, 2));
      if (!rt.sharedDict(name)) return 0;
      pushDictTable(L, name, lua.lua_upvalueindex(1));
      lua.lua_pushvalue(L, 2);
      lua.lua_pushvalue(L, -2);
      lua.lua_rawset(L, 1);
      return 1;
    },
    1,
  );
  lua.lua_setfield(L, -2, to_luastring("__index"));
  lua.lua_setmetatable(L, -2);
  lua.lua_setfield(L, -3, to_luastring("shared"));
  lua.lua_pop(L, 1);
}
