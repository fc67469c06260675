/**
 * The `ngx.re` module of lua-resty-core (`require "ngx.re"`). Its split
 * follows lua-resty-core's handling of empty matches and of the `max`
 * limit, keeps a first capture group as an extra field, and drops trailing
 * empty fields when no limit is given. Its opt accepts only
 * "jit_stack_size".
 */
import { lua, lauxlib, to_luastring } from "fengari";
import { compileArgs, execRegex, FLAG_ERROR_WHERE, raiseAtCaller, subjectBytes } from "./ngxRegex";
import { prepareSubject } from "./compiledRegex";

type LuaState = unknown;

interface SplitMatch {
  from: number;
  to: number;
  capture: Uint8Array | null;
}

function readPos(L: LuaState, ctxIndex: number): number {
  lua.lua_getfield(L, ctxIndex, to_luastring("pos"));
  const pos = lua.lua_isnil(L, -1) ? 1 : lua.lua_tonumber(L, -1);
  lua.lua_pop(L, 1);
  return pos;
}

function split(L: LuaState): number {
  lua.lua_settop(L, 6);
  const bytes = subjectBytes(L, 1);
  const hasCtx = lua.lua_type(L, 4) === lua.LUA_TTABLE;
  let pos = hasCtx ? readPos(L, 4) : 1;
  const max = lua.lua_isnoneornil(L, 5) ? 0 : lua.lua_tonumber(L, 5);
  if (!lua.lua_isnoneornil(L, 6) && lua.lua_type(L, 6) !== lua.LUA_TTABLE) {
    raiseAtCaller(L, "res is not a table");
  }
  if (lua.lua_type(L, 6) === lua.LUA_TTABLE) lua.lua_pushvalue(L, 6);
  else lua.lua_newtable(L);
  const res = lua.lua_gettop(L);
  const len = bytes.length;
  const saveCtx = () => {
    if (!hasCtx) return;
    lua.lua_pushnumber(L, pos);
    lua.lua_setfield(L, 4, to_luastring("pos"));
  };
  if (pos > len) {
    lua.lua_pushnil(L);
    lua.lua_rawseti(L, res, 1);
    return 1;
  }
  const compiled = compileArgs(L, 2, 3, FLAG_ERROR_WHERE.split);
  if (typeof compiled === "string") {
    lua.lua_pushnil(L);
    lua.lua_pushstring(L, to_luastring(compiled));
    return 2;
  }
  const subject = prepareSubject(bytes, compiled.options.utf);
  const next = (): SplitMatch | string | null => {
    const ovector = execRegex(compiled, subject, Math.max(pos, 0));
    if (typeof ovector === "string") return ovector;
    if (!ovector) return null;
    const [from, to] = ovector;
    pos = from === to ? to + 1 : to;
    const hasCapture = compiled.captureCount > 0 && ovector[2] >= 0;
    const capture = hasCapture ? bytes.subarray(ovector[2], ovector[3]) : null;
    return { from: from + 1, to: to + 1, capture };
  };
  const fields: Uint8Array[] = [];
  let start = pos;
  let lastEmpty: number | null = null;
  pos = start - 1;
  let count = 1;
  while (max <= 0 || count < max) {
    const m = next();
    if (typeof m === "string") {
      saveCtx();
      lua.lua_pushnil(L);
      lua.lua_pushstring(L, to_luastring(m));
      return 2;
    }
    if (!m) break;
    if (lastEmpty !== null) start = lastEmpty;
    if (m.from === m.to) lastEmpty = m.from;
    if (m.from > start || lastEmpty === null) {
      count++;
      fields.push(bytes.subarray(start - 1, m.from - 1));
      if (m.capture) fields.push(m.capture);
      start = m.to;
      if (start > len) break;
    }
  }
  saveCtx();
  if (max <= 0 && start > len) {
    while (fields.length > 0 && fields[fields.length - 1].length === 0) fields.pop();
  } else fields.push(bytes.subarray(start - 1));
  fields.forEach((field, i) => {
    lua.lua_pushstring(L, field);
    lua.lua_rawseti(L, res, i + 1);
  });
  lua.lua_pushnil(L);
  lua.lua_rawseti(L, res, fields.length + 1);
  lua.lua_pushvalue(L, res);
  return 1;
}

function opt(L: LuaState): number {
  const name = new TextDecoder().decode(lauxlib.luaL_checklstring(L, 1));
  if (name === "jit_stack_size") return 0;
  return raiseAtCaller(L, "unrecognized option name");
}

/** Registers `ngx.re` (split, opt) in package.preload. */
export function installSplit(L: LuaState): void {
  lua.lua_getglobal(L, to_luastring("package"));
  lua.lua_getfield(L, -1, to_luastring("preload"));
  lua.lua_pushjsfunction(L, (L: LuaState) => {
    lua.lua_newtable(L);
    lua.lua_pushstring(L, to_luastring("0.1.31"));
    lua.lua_setfield(L, -2, to_luastring("version"));
    lua.lua_pushjsfunction(L, split);
    lua.lua_setfield(L, -2, to_luastring("split"));
    lua.lua_pushjsfunction(L, opt);
    lua.lua_setfield(L, -2, to_luastring("opt"));
    return 1;
  });
  lua.lua_setfield(L, -2, to_luastring("ngx.re"));
  lua.lua_pop(L, 2);
}
