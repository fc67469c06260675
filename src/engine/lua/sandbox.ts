/**
 * A fengari Lua state with only what LuaJIT 2.1 offers an OpenResty handler
 * and nothing that reaches the host: no io, no `js`, no dofile/loadfile,
 * no bytecode, no debug library beyond debug.traceback, no package.loadlib.
 * print, os.time/date/clock and require go through an injected host.
 */
import { lua, lauxlib, lualib, to_luastring, to_jsstring } from "fengari";
import type { LuaCFunction, LuaState } from "fengari";
import { installCompat51 } from "./compat51";
import { pushOsLibrary } from "./osLibrary";
import { installPackageLibrary } from "./packageLoader";

/** Everything a sandboxed state may reach outside itself. */
export interface SandboxHost {
  /** print(...) output, already joined with "\t" as Lua's print does. */
  print(message: string): void;
  /** os.clock(): CPU seconds of this process (virtual). */
  clock(): number;
  /** os.time() with no argument: seconds since the epoch (virtual). */
  time(): number;
  /** Workspace file contents by path, or null (used by require's Lua searcher). */
  readFile(path: string): string | null;
  /** package.path and package.cpath (already expanded, LuaJIT's defaults where ';;'). */
  packagePath: string;
  packageCpath: string;
}

/** LuaJIT's message when a text-only load meets a bytecode chunk. */
const WRONG_MODE_MESSAGE = "attempt to load chunk with wrong mode";

function openLibrary(L: LuaState, name: string, open: LuaCFunction): void {
  lauxlib.luaL_requiref(L, to_luastring(name), open, 1);
  lua.lua_pop(L, 1);
}

function setGlobal(L: LuaState, name: string, fn: LuaCFunction | null): void {
  if (fn === null) lua.lua_pushnil(L);
  else lua.lua_pushjsfunction(L, fn);
  lua.lua_setglobal(L, to_luastring(name));
}

function printTo(host: SandboxHost): LuaCFunction {
  return (L) => {
    const top = lua.lua_gettop(L);
    const parts: string[] = [];
    for (let i = 1; i <= top; i++) {
      parts.push(to_jsstring(lauxlib.luaL_tolstring(L, i)));
      lua.lua_pop(L, 1);
    }
    host.print(parts.join("\t"));
    return 0;
  };
}

function isBytecode(L: LuaState, index: number): boolean {
  if (lua.lua_type(L, index) !== lua.LUA_TSTRING) return false;
  return lua.lua_tostring(L, index)[0] === 0x1b;
}

function pushLoadFailure(L: LuaState, message: string): number {
  lua.lua_pushnil(L);
  lua.lua_pushstring(L, to_luastring(message));
  return 2;
}

/**
 * load(chunk [, chunkname [, mode [, env]]]) forced to text mode: fengari's
 * own load (upvalue 1) does the work, bytecode gets LuaJIT's message.
 */
const textOnlyLoad: LuaCFunction = (L) => {
  const hasEnv = lua.lua_gettop(L) >= 4;
  if (isBytecode(L, 1)) return pushLoadFailure(L, WRONG_MODE_MESSAGE);
  const top = 4;
  lua.lua_settop(L, top);
  lua.lua_pushvalue(L, lua.lua_upvalueindex(1));
  lua.lua_pushvalue(L, 1);
  lua.lua_pushvalue(L, 2);
  lua.lua_pushstring(L, to_luastring("t"));
  if (hasEnv) lua.lua_pushvalue(L, 4);
  lua.lua_call(L, hasEnv ? 4 : 3, lua.LUA_MULTRET);
  const results = lua.lua_gettop(L) - top;
  if (lua.lua_isnil(L, top + 1) && results === 2) {
    const message = to_jsstring(lua.lua_tostring(L, -1) ?? to_luastring(""));
    if (message.includes("attempt to load a binary chunk")) {
      lua.lua_settop(L, top);
      return pushLoadFailure(L, WRONG_MODE_MESSAGE);
    }
  }
  return results;
};

/** loadstring(s [, chunkname]): LuaJIT's alias of load for strings. */
const loadString: LuaCFunction = (L) => {
  lauxlib.luaL_checkstring(L, 1);
  lua.lua_settop(L, 2);
  lua.lua_getglobal(L, to_luastring("load"));
  lua.lua_insert(L, 1);
  lua.lua_call(L, 2, lua.LUA_MULTRET);
  return lua.lua_gettop(L);
};

function installBase(L: LuaState, host: SandboxHost): void {
  openLibrary(L, "_G", lualib.luaopen_base);
  setGlobal(L, "dofile", null);
  setGlobal(L, "loadfile", null);
  setGlobal(L, "print", printTo(host));
  lua.lua_getglobal(L, to_luastring("load"));
  lua.lua_pushjsclosure(L, textOnlyLoad, 1);
  lua.lua_setglobal(L, to_luastring("load"));
  setGlobal(L, "loadstring", loadString);
  setGlobal(L, "collectgarbage", collectGarbage);
}

/**
 * collectgarbage(opt): fengari has no lua_gc, and JavaScript's collector
 * cannot be driven or measured from here.
 * NOTE: "count" returns 0 KB instead of the heap size LuaJIT reports.
 */
const collectGarbage: LuaCFunction = (L) => {
  const option = to_jsstring(lauxlib.luaL_optstring(L, 1, to_luastring("collect")));
  const known = ["collect", "stop", "restart", "count", "step", "setpause", "setstepmul", "isrunning"];
  if (!known.includes(option)) {
    return lauxlib.luaL_argerror(L, 1, to_luastring(`invalid option '${option}'`));
  }
  if (option === "step" || option === "isrunning") lua.lua_pushboolean(L, option === "isrunning");
  else lua.lua_pushnumber(L, 0);
  return 1;
};

/** A `debug` table holding only traceback (no registry, hooks or upvalues). */
function installDebug(L: LuaState): void {
  lua.lua_pushjsfunction(L, lualib.luaopen_debug);
  lua.lua_call(L, 0, 1);
  lua.lua_createtable(L, 0, 1);
  lua.lua_getfield(L, -2, to_luastring("traceback"));
  lua.lua_setfield(L, -2, to_luastring("traceback"));
  lua.lua_remove(L, -2);
  registerModule(L, "debug");
}

/** Sets the table on the stack top as global `name` and package.loaded[name]. */
function registerModule(L: LuaState, name: string): void {
  lauxlib.luaL_getsubtable(L, lua.LUA_REGISTRYINDEX, to_luastring("_LOADED"));
  lua.lua_pushvalue(L, -2);
  lua.lua_setfield(L, -2, to_luastring(name));
  lua.lua_pop(L, 1);
  lua.lua_setglobal(L, to_luastring(name));
}

/**
 * Creates a Lua state for one simulated nginx process: base, coroutine,
 * table, string, math, a host-backed os, debug.traceback, package/require
 * over the workspace, the Lua 5.1 compatibility globals and `bit`.
 * coroutine.resume and wrap are fengari's; the caller replaces them when it
 * needs to relay host yields.
 */
export function createSandboxState(host: SandboxHost): LuaState {
  const L: LuaState = lauxlib.luaL_newstate();
  installBase(L, host);
  openLibrary(L, "coroutine", lualib.luaopen_coroutine);
  openLibrary(L, "table", lualib.luaopen_table);
  openLibrary(L, "string", lualib.luaopen_string);
  openLibrary(L, "math", lualib.luaopen_math);
  pushOsLibrary(L, host);
  registerModule(L, "os");
  installDebug(L);
  installPackageLibrary(L, host);
  installCompat51(L);
  return L;
}
