/**
 * ngx.shared.DICT: lua_shared_dict zones. Each dict object is a table
 * holding the zone name; its methods run one atomic store operation each
 * and return lua-nginx-module's results (value, flags / ok, err, forcible).
 */
import { lua, lauxlib, to_luastring } from "fengari";
import type { DictValue, MemoryDict } from "../../shdict/memoryDict";
import { bytesToText, logText, pushText, setFunction } from "./luaStack";
import type { NgxRuntime } from "./runtime";

type LuaState = unknown;

const NAME_FIELD = to_luastring("__dict_name");

function dictOf(rt: NgxRuntime, L: LuaState): MemoryDict {
  if (lua.lua_type(L, 1) !== lua.LUA_TTABLE) {
    lauxlib.luaL_error(L, to_luastring('bad "zone" argument'));
  }
  lua.lua_getfield(L, 1, NAME_FIELD);
  const name = bytesToText(lua.lua_tolstring(L, -1) ?? new Uint8Array());
  lua.lua_pop(L, 1);
  const dict = rt.sharedDict(name);
  if (!dict) lauxlib.luaL_error(L, to_luastring('bad "zone" argument'));
  return dict!;
}

/** Reads the key argument; returns null after pushing nil, err. */
function keyOf(L: LuaState): string | null {
  if (lua.lua_isnil(L, 2)) return null;
  return logText(L, 2);
}

function readValue(L: LuaState, index: number): DictValue | null | "bad" {
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

function pushValue(L: LuaState, value: DictValue): void {
  if (value.type === "string") lua.lua_pushstring(L, value.bytes);
  else if (value.type === "number") lua.lua_pushnumber(L, value.value);
  else lua.lua_pushboolean(L, value.value);
}

function describe(value: DictValue | null): string {
  if (value === null) return "nil";
  if (value.type === "string") return JSON.stringify(bytesToText(value.bytes));
  return String(value.value);
}

function record(rt: NgxRuntime, dict: MemoryDict, op: string, key: string | null, result: string): void {
  rt.trace.record({
    kind: "shdict",
    time: rt.process.clock,
    pid: rt.process.pid,
    connection: rt.current?.request?.connection,
    dict: dict.name,
    op,
    key,
    result,
  });
}

function pushNilErr(L: LuaState, err: string): number {
  lua.lua_pushnil(L);
  pushText(L, err);
  return 2;
}

type WriteOp = "set" | "add" | "replace";

function writer(rt: NgxRuntime, op: WriteOp) {
  return (L: LuaState) => {
    const dict = dictOf(rt, L);
    const key = keyOf(L);
    if (key === null) return pushNilErr(L, "nil key");
    if (key === "") return pushNilErr(L, "empty key");
    const value = readValue(L, 3);
    if (value === "bad") return pushNilErr(L, "bad value type");
    const exptime = lauxlib.luaL_optnumber(L, 4, 0);
    const flags = lauxlib.luaL_optinteger(L, 5, 0);
    const result = dict[op](key, value, exptime, flags);
    record(rt, dict, op, key, result.ok ? `ok ${describe(value)}` : result.err ?? "");
    lua.lua_pushboolean(L, result.ok);
    if (result.err) pushText(L, result.err);
    else lua.lua_pushnil(L);
    lua.lua_pushboolean(L, result.forcible);
    return 3;
  };
}

function installMethods(rt: NgxRuntime, L: LuaState): void {
  setFunction(L, "get", (L) => {
    const dict = dictOf(rt, L);
    const key = keyOf(L);
    if (key === null) return pushNilErr(L, "nil key");
    const found = dict.get(key);
    record(rt, dict, "get", key, describe(found?.value ?? null));
    if (!found) {
      lua.lua_pushnil(L);
      return 1;
    }
    pushValue(L, found.value);
    if (found.flags === 0) return 1;
    lua.lua_pushnumber(L, found.flags);
    return 2;
  });
  setFunction(L, "set", writer(rt, "set"));
  setFunction(L, "safe_set", writer(rt, "set"));
  setFunction(L, "add", writer(rt, "add"));
  setFunction(L, "safe_add", writer(rt, "add"));
  setFunction(L, "replace", writer(rt, "replace"));
  setFunction(L, "incr", (L) => {
    const dict = dictOf(rt, L);
    const key = keyOf(L);
    if (key === null) return pushNilErr(L, "nil key");
    const delta = lauxlib.luaL_checknumber(L, 3);
    const init = lua.lua_isnoneornil(L, 4) ? undefined : lauxlib.luaL_checknumber(L, 4);
    const initTtl = lauxlib.luaL_optnumber(L, 5, 0);
    const result = dict.incr(key, delta, init, initTtl);
    record(rt, dict, "incr", key, result.err ?? String(result.value));
    if (result.value === null) return pushNilErr(L, result.err ?? "");
    lua.lua_pushnumber(L, result.value);
    lua.lua_pushnil(L);
    if (init === undefined) return 2;
    lua.lua_pushboolean(L, result.forcible);
    return 3;
  });
  setFunction(L, "delete", (L) => {
    const dict = dictOf(rt, L);
    const key = keyOf(L);
    if (key === null) return pushNilErr(L, "nil key");
    dict.delete(key);
    record(rt, dict, "delete", key, "ok");
    lua.lua_pushboolean(L, true);
    return 1;
  });
}

/** Fills `ngx.shared` on the `ngx` table at the stack top. */
export function installShared(rt: NgxRuntime, L: LuaState): void {
  lua.lua_newtable(L);
  const methods = lua.lua_gettop(L);
  installMethods(rt, L);
  lua.lua_newtable(L);
  lua.lua_newtable(L);
  lua.lua_pushvalue(L, methods);
  lua.lua_pushjsclosure(L, (L: LuaState) => {
    const name = bytesToText(lauxlib.luaL_checklstring(L, 2));
    if (!rt.sharedDict(name)) return 0;
    lua.lua_newtable(L);
    pushText(L, name);
    lua.lua_setfield(L, -2, NAME_FIELD);
    lua.lua_newtable(L);
    lua.lua_pushvalue(L, lua.lua_upvalueindex(1));
    lua.lua_setfield(L, -2, to_luastring("__index"));
    lua.lua_setmetatable(L, -2);
    lua.lua_pushvalue(L, 2);
    lua.lua_pushvalue(L, -2);
    lua.lua_rawset(L, 1);
    return 1;
  }, 1);
  lua.lua_setfield(L, -2, to_luastring("__index"));
  lua.lua_setmetatable(L, -2);
  lua.lua_setfield(L, -3, to_luastring("shared"));
  lua.lua_pop(L, 1);
}
