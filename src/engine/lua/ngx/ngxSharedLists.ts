/**
 * The ngx.shared.DICT methods that lua-nginx-module 0.10.28 implements as
 * C functions (lpush, rpush, lpop, rpop, llen, flush_expired, get_keys).
 * They count their arguments and raise luaL_error without a position, as
 * ngx_http_lua_shdict.c does.
 */
import { lua, lauxlib } from "fengari";
import type { DictValue, MemoryDict } from "../../shdict/memoryDict";
import { formatNgxNumber } from "../numberFormat";
import { pushText, setFunction } from "./luaStack";
import { describe, pushValue, raise, record, zoneName } from "./ngxShared";
import type { NgxRuntime } from "./runtime";

type LuaState = unknown;

const MAX_KEY_BYTES = 65535;
const encoder = new TextEncoder();

/** Checks the argument count and zone of a list method. */
function listZone(rt: NgxRuntime, L: LuaState, expected: number): MemoryDict {
  const count = lua.lua_gettop(L);
  if (count !== expected) {
    raise(L, `expecting ${expected} arguments, but only seen ${count}`);
  }
  const name = zoneName(L, 1);
  const dict = name === null ? undefined : rt.sharedDict(name);
  if (!dict) raise(L, 'bad "zone" argument');
  return dict;
}

/** Reads the zone and the count argument of get_keys and flush_expired. */
function scanZone(
  rt: NgxRuntime,
  L: LuaState,
  fallback: number,
): { dict: MemoryDict; count: number } {
  const args = lua.lua_gettop(L);
  if (args !== 1 && args !== 2) {
    raise(L, `expecting 1 or 2 argument(s), but saw ${args}`);
  }
  lauxlib.luaL_checktype(L, 1, lua.LUA_TTABLE);
  const name = zoneName(L, 1);
  const dict = name === null ? undefined : rt.sharedDict(name);
  if (!dict) raise(L, "bad user data for the ngx_shm_zone_t pointer");
  const count = args === 2 ? Math.trunc(lauxlib.luaL_checknumber(L, 2)) : fallback;
  return { dict, count };
}

/** Reads the key as luaL_checklstring does; a string result is an error. */
function listKey(L: LuaState): Uint8Array | string {
  if (lua.lua_isnil(L, 2)) return "nil key";
  const bytes =
    lua.lua_type(L, 2) === lua.LUA_TNUMBER
      ? encoder.encode(formatNgxNumber(lua.lua_tonumber(L, 2)))
      : lauxlib.luaL_checklstring(L, 2);
  if (bytes.length === 0) return "empty key";
  if (bytes.length > MAX_KEY_BYTES) return "key too long";
  return bytes;
}

function pushNilErr(L: LuaState, err: string): number {
  lua.lua_pushnil(L);
  pushText(L, err);
  return 2;
}

function listValue(L: LuaState): DictValue | null {
  const type = lua.lua_type(L, 3);
  if (type === lua.LUA_TSTRING) {
    return { type: "string", bytes: lua.lua_tolstring(L, 3) };
  }
  if (type === lua.LUA_TNUMBER) {
    return { type: "number", value: lua.lua_tonumber(L, 3) };
  }
  return null;
}

function pusher(rt: NgxRuntime, isLeft: boolean) {
  return (L: LuaState) => {
    const dict = listZone(rt, L, 3);
    const key = listKey(L);
    if (typeof key === "string") return pushNilErr(L, key);
    const value = listValue(L);
    if (value === null) return pushNilErr(L, "bad value type");
    const result = dict.push(key, value, isLeft);
    const op = isLeft ? "lpush" : "rpush";
    record(rt, L, dict, op, key, result.err ?? `${describe(value)} length ${result.length}`);
    if (result.err === null) {
      lua.lua_pushnumber(L, result.length);
      return 1;
    }
    if (result.length === false) lua.lua_pushboolean(L, false);
    else lua.lua_pushnil(L);
    pushText(L, result.err);
    return 2;
  };
}

function popper(rt: NgxRuntime, isLeft: boolean) {
  return (L: LuaState) => {
    const dict = listZone(rt, L, 2);
    const key = listKey(L);
    if (typeof key === "string") return pushNilErr(L, key);
    const result = dict.pop(key, isLeft);
    const op = isLeft ? "lpop" : "rpop";
    record(rt, L, dict, op, key, result.err ?? describe(result.value));
    if (result.err) return pushNilErr(L, result.err);
    if (result.value === null) lua.lua_pushnil(L);
    else pushValue(L, result.value);
    return 1;
  };
}

/** Adds the C-implemented methods to the metatable at the stack top. */
export function installListMethods(rt: NgxRuntime, L: LuaState): void {
  setFunction(L, "lpush", pusher(rt, true));
  setFunction(L, "rpush", pusher(rt, false));
  setFunction(L, "lpop", popper(rt, true));
  setFunction(L, "rpop", popper(rt, false));
  setFunction(L, "llen", (L) => {
    const dict = listZone(rt, L, 2);
    const key = listKey(L);
    if (typeof key === "string") return pushNilErr(L, key);
    const result = dict.llen(key);
    record(rt, L, dict, "llen", key, result.err ?? String(result.length));
    if (result.err) return pushNilErr(L, result.err);
    lua.lua_pushnumber(L, result.length ?? 0);
    return 1;
  });
  setFunction(L, "flush_expired", (L) => {
    const { dict, count } = scanZone(rt, L, 0);
    const freed = dict.flushExpired(count);
    record(rt, L, dict, "flush_expired", null, `freed ${freed}`);
    lua.lua_pushnumber(L, freed);
    return 1;
  });
  setFunction(L, "get_keys", (L) => {
    const { dict, count } = scanZone(rt, L, 1024);
    const keys = dict.keys(count);
    record(rt, L, dict, "get_keys", null, `${keys.length} keys`);
    lua.lua_createtable(L, keys.length, 0);
    keys.forEach((key, i) => {
      lua.lua_pushstring(L, key);
      lua.lua_rawseti(L, -2, i + 1);
    });
    return 1;
  });
}
