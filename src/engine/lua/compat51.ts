/**
 * Makes a fengari (Lua 5.3) state look like LuaJIT 2.1 as OpenResty builds
 * it: Lua 5.1 globals (unpack, getfenv, table.getn, math.pow, ...), the
 * `bit` module, and no Lua 5.3-only functions.
 */
import { lua, lauxlib, to_luastring } from "fengari";
import { installStringRep } from "./stringRep";
import type { LuaCFunction, LuaState } from "fengari";
import { pushBitModule } from "./bitOps";

/** Lua 5.3 functions that LuaJIT 2.1 (without 5.2 compatibility) lacks. */
const REMOVED_FIELDS: Record<string, string[]> = {
  _G: ["rawlen", "utf8"],
  table: ["pack", "unpack"],
  math: ["type", "tointeger", "ult", "maxinteger", "mininteger"],
  string: ["pack", "unpack", "packsize"],
};
// NOTE: table.move and coroutine.isyieldable stay, because LuaJIT 2.1 lists
// both among the Lua 5.3 extensions it always enables.

function setFunction(L: LuaState, name: string, fn: LuaCFunction): void {
  lua.lua_pushjsfunction(L, fn);
  lua.lua_setfield(L, -2, to_luastring(name));
}

function pushNumber(L: LuaState, n: number): number {
  lua.lua_pushnumber(L, n);
  return 1;
}

/** m * 2^e without overflowing in the intermediate power of two. */
function ldexp(mantissa: number, exponent: number): number {
  const steps = Math.min(3, Math.ceil(Math.abs(exponent) / 1023));
  let result = mantissa;
  for (let i = 0; i < steps; i++) {
    result *= Math.pow(2, Math.floor((exponent + i) / steps));
  }
  return result;
}

/** C's frexp: x = m * 2^e with 0.5 <= |m| < 1 (m = x, e = 0 for 0/inf/nan). */
function frexp(x: number): [number, number] {
  if (x === 0 || !Number.isFinite(x)) return [x, 0];
  let exponent = Math.max(-1073, Math.floor(Math.log2(Math.abs(x))) + 1);
  let mantissa = ldexp(x, -exponent);
  while (Math.abs(mantissa) < 0.5) {
    mantissa *= 2;
    exponent--;
  }
  while (Math.abs(mantissa) >= 1) {
    mantissa /= 2;
    exponent++;
  }
  return [mantissa, exponent];
}

function tableMaxn(L: LuaState): number {
  lauxlib.luaL_checktype(L, 1, lua.LUA_TTABLE);
  let max = 0;
  lua.lua_pushnil(L);
  while (lua.lua_next(L, 1)) {
    lua.lua_pop(L, 1);
    if (lua.lua_type(L, -1) === lua.LUA_TNUMBER) {
      const key = lua.lua_tonumber(L, -1);
      if (key > max) max = key;
    }
  }
  return pushNumber(L, max);
}

function tableGetn(L: LuaState): number {
  lauxlib.luaL_checktype(L, 1, lua.LUA_TTABLE);
  return pushNumber(L, lua.lua_rawlen(L, 1));
}

/**
 * Pushes the function whose environment getfenv/setfenv address: a function
 * argument, or the function running at a stack level (1 = the caller).
 */
function pushFenvTarget(L: LuaState, name: string): boolean {
  if (lua.lua_type(L, 1) === lua.LUA_TFUNCTION) {
    lua.lua_pushvalue(L, 1);
    return true;
  }
  const level = lauxlib.luaL_optinteger(L, 1, 1);
  if (level < 0) lauxlib.luaL_argerror(L, 1, to_luastring("level must be non-negative"));
  if (level === 0) return false;
  const ar = new lua.lua_Debug();
  if (!lua.lua_getstack(L, level, ar)) {
    lauxlib.luaL_argerror(L, 1, to_luastring("invalid level"));
  }
  lua.lua_getinfo(L, to_luastring("f"), ar);
  if (lua.lua_isnil(L, -1)) {
    lauxlib.luaL_error(L, to_luastring(`no function environment for ${name}`));
  }
  return true;
}

/** Index of the function's `_ENV` upvalue, or 0 when it has none. */
function findEnvUpvalue(L: LuaState, fnIndex: number): number {
  for (let i = 1; ; i++) {
    const upName = lua.lua_getupvalue(L, fnIndex, i);
    if (upName === null) return 0;
    lua.lua_pop(L, 1);
    if (decode(upName) === "_ENV") return i;
  }
}

function decode(bytes: Uint8Array): string {
  return String.fromCharCode(...bytes);
}

function getfenv(L: LuaState): number {
  if (pushFenvTarget(L, "getfenv")) {
    const up = lua.lua_iscfunction(L, -1) ? 0 : findEnvUpvalue(L, -1);
    if (up > 0) {
      lua.lua_getupvalue(L, -1, up);
      return 1;
    }
  }
  lua.lua_rawgeti(L, lua.LUA_REGISTRYINDEX, lua.LUA_RIDX_GLOBALS);
  return 1;
}

/**
 * setfenv for Lua functions that reach globals through an `_ENV` upvalue.
 * NOTE: Lua 5.3 has no per-function environments, so the function gets its
 * own `_ENV` upvalue; functions nested in it keep the old one, unlike
 * LuaJIT. setfenv on level 0 (the thread) and on C functions raises an error.
 */
function setfenv(L: LuaState): number {
  lauxlib.luaL_checktype(L, 2, lua.LUA_TTABLE);
  if (!pushFenvTarget(L, "setfenv")) {
    return lauxlib.luaL_error(
      L,
      to_luastring("setfenv of a thread is not supported in this simulator"),
    );
  }
  const up = lua.lua_iscfunction(L, -1) ? 0 : findEnvUpvalue(L, -1);
  if (up === 0) {
    return lauxlib.luaL_error(
      L,
      to_luastring("'setfenv' cannot change environment of given object"),
    );
  }
  const fnIndex = lua.lua_gettop(L);
  /* A fresh closure owns a new upvalue cell holding the table; joining to
     it detaches the function from the _ENV cell its chunk shares. */
  lauxlib.luaL_loadstring(L, to_luastring("local e = ... return function() return e end"));
  lua.lua_pushvalue(L, 2);
  lua.lua_call(L, 1, 1);
  lua.lua_upvaluejoin(L, fnIndex, up, -1, 1);
  lua.lua_settop(L, fnIndex);
  return 1;
}

function installMath(L: LuaState): void {
  lua.lua_getglobal(L, to_luastring("math"));
  setFunction(L, "pow", (L) =>
    pushNumber(L, Math.pow(lauxlib.luaL_checknumber(L, 1), lauxlib.luaL_checknumber(L, 2))),
  );
  // NOTE: math.mod is absent: OpenResty's LuaJIT 2.1 has no 5.0 compat
  // (checked against the real server).
  setFunction(L, "log10", (L) => pushNumber(L, Math.log10(lauxlib.luaL_checknumber(L, 1))));
  setFunction(L, "ldexp", (L) =>
    pushNumber(L, ldexp(lauxlib.luaL_checknumber(L, 1), lauxlib.luaL_checknumber(L, 2))),
  );
  setFunction(L, "frexp", (L) => {
    const [mantissa, exponent] = frexp(lauxlib.luaL_checknumber(L, 1));
    lua.lua_pushnumber(L, mantissa);
    lua.lua_pushnumber(L, exponent);
    return 2;
  });
  lua.lua_pop(L, 1);
}

function removeFields(L: LuaState): void {
  for (const [library, names] of Object.entries(REMOVED_FIELDS)) {
    if (library === "_G") {
      lua.lua_rawgeti(L, lua.LUA_REGISTRYINDEX, lua.LUA_RIDX_GLOBALS);
    } else {
      lua.lua_getglobal(L, to_luastring(library));
    }
    for (const name of names) {
      lua.lua_pushnil(L);
      lua.lua_setfield(L, -2, to_luastring(name));
    }
    lua.lua_pop(L, 1);
  }
}

/**
 * Installs the Lua 5.1 globals and the `bit` module (also in
 * package.loaded, so require("bit") works) and removes Lua 5.3-only
 * functions. Expects base, table, math, string and package to be open.
 */
export function installCompat51(L: LuaState): void {
  lua.lua_getglobal(L, to_luastring("table"));
  lua.lua_getfield(L, -1, to_luastring("unpack"));
  lua.lua_setglobal(L, to_luastring("unpack"));
  setFunction(L, "getn", tableGetn);
  setFunction(L, "maxn", tableMaxn);
  lua.lua_pop(L, 1);

  installMath(L);
  lua.lua_pushjsfunction(L, getfenv);
  lua.lua_setglobal(L, to_luastring("getfenv"));
  lua.lua_pushjsfunction(L, setfenv);
  lua.lua_setglobal(L, to_luastring("setfenv"));

  pushBitModule(L);
  lua.lua_pushvalue(L, -1);
  lua.lua_setglobal(L, to_luastring("bit"));
  lauxlib.luaL_getsubtable(L, lua.LUA_REGISTRYINDEX, to_luastring("_LOADED"));
  lua.lua_insert(L, -2);
  lua.lua_setfield(L, -2, to_luastring("bit"));
  lua.lua_pop(L, 1);

  installStringRep(L);
  removeFields(L);
  lua.lua_pushstring(L, to_luastring("Lua 5.1"));
  lua.lua_setglobal(L, to_luastring("_VERSION"));
}
