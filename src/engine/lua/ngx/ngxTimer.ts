/**
 * ngx.timer.at: runs a Lua function later, in its own fake request
 * context, on the worker's event loop.
 */
import { lua, lauxlib, to_luastring } from "fengari";
import { pushText, setFunction } from "./luaStack";
import type { NgxRuntime } from "./runtime";

type LuaState = unknown;

/** Fills `ngx.timer` on the `ngx` table at the stack top. */
export function installTimer(rt: NgxRuntime, L: LuaState): void {
  lua.lua_newtable(L);
  setFunction(L, "at", (L) => {
    const phase = rt.current?.phase;
    if (rt.current === null || phase === "init") {
      return lauxlib.luaL_error(L, to_luastring("no request"));
    }
    const delay = lauxlib.luaL_checknumber(L, 1);
    if (delay < 0) return lauxlib.luaL_error(L, to_luastring("invalid delay"));
    lauxlib.luaL_checktype(L, 2, lua.LUA_TFUNCTION);
    const nargs = lua.lua_gettop(L) - 2;
    lua.lua_pushvalue(L, 2);
    const callbackRef = lauxlib.luaL_ref(L, lua.LUA_REGISTRYINDEX);
    lua.lua_createtable(L, nargs, 0);
    for (let i = 0; i < nargs; i++) {
      lua.lua_pushvalue(L, 3 + i);
      lua.lua_rawseti(L, -2, i + 1);
    }
    pushText(L, String(nargs));
    lua.lua_setfield(L, -2, to_luastring("n"));
    const argsRef = lauxlib.luaL_ref(L, lua.LUA_REGISTRYINDEX);
    const error = rt.startTimer(delay * 1000, callbackRef, argsRef);
    if (error) {
      lua.lua_pushnil(L);
      pushText(L, error);
      return 2;
    }
    lua.lua_pushnumber(L, 1);
    return 1;
  });
  lua.lua_setfield(L, -2, to_luastring("timer"));
}
