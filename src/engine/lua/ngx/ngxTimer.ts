/**
 * ngx.timer: Lua functions run later, each in its own fake request
 * context (the "timer" phase), on the event loop of the process that
 * created them.
 */
import { lua, lauxlib, to_luastring } from "fengari";
import { pushText, setFunction } from "./luaStack";
import type { NgxRuntime } from "./runtime";

type LuaState = unknown;

/** Anchors the callback and its extra arguments; returns their refs. */
function anchorCallback(L: LuaState): { callbackRef: number; argsRef: number } {
  const nargs = lua.lua_gettop(L) - 2;
  lua.lua_pushvalue(L, 2);
  const callbackRef = lauxlib.luaL_ref(L, lua.LUA_REGISTRYINDEX);
  lua.lua_createtable(L, nargs, 0);
  for (let i = 0; i < nargs; i++) {
    lua.lua_pushvalue(L, 3 + i);
    lua.lua_rawseti(L, -2, i + 1);
  }
  lua.lua_pushnumber(L, nargs);
  lua.lua_setfield(L, -2, to_luastring("n"));
  const argsRef = lauxlib.luaL_ref(L, lua.LUA_REGISTRYINDEX);
  return { callbackRef, argsRef };
}

function startTimer(rt: NgxRuntime, L: LuaState, isEvery: boolean): number {
  const phase = rt.current?.phase;
  if (rt.current === null || phase === "init") {
    return lauxlib.luaL_error(L, to_luastring("no request"));
  }
  const delay = lauxlib.luaL_checknumber(L, 1);
  if (isEvery && delay <= 0) {
    return lauxlib.luaL_error(L, to_luastring("delay cannot be zero"));
  }
  if (lua.lua_type(L, 2) !== lua.LUA_TFUNCTION) {
    return lauxlib.luaL_argerror(L, 2, to_luastring("Lua function expected"));
  }
  const { callbackRef, argsRef } = anchorCallback(L);
  const error = rt.startTimer(Math.max(0, delay) * 1000, callbackRef, argsRef, isEvery);
  if (error) {
    lauxlib.luaL_unref(L, lua.LUA_REGISTRYINDEX, callbackRef);
    lauxlib.luaL_unref(L, lua.LUA_REGISTRYINDEX, argsRef);
    lua.lua_pushnil(L);
    pushText(L, error);
    return 2;
  }
  lua.lua_pushnumber(L, 1);
  return 1;
}

/** Fills `ngx.timer` on the `ngx` table at the stack top. */
export function installTimer(rt: NgxRuntime, L: LuaState): void {
  lua.lua_newtable(L);
  setFunction(L, "at", (L) => startTimer(rt, L, false));
  setFunction(L, "every", (L) => startTimer(rt, L, true));
  setFunction(L, "running_count", (L) => {
    lua.lua_pushnumber(L, rt.timerCounts().running);
    return 1;
  });
  setFunction(L, "pending_count", (L) => {
    lua.lua_pushnumber(L, rt.timerCounts().pending);
    return 1;
  });
  lua.lua_setfield(L, -2, to_luastring("timer"));
}
