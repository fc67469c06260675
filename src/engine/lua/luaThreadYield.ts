/**
 * Replacements for pcall, xpcall, coroutine.resume and coroutine.wrap that
 * give fengari OpenResty's behaviour:
 * - A yield to the host (ngx.sleep, ngx.exit, ...) made inside a user's own
 *   coroutine suspends the whole request, as lua-nginx-module does, instead
 *   of returning to that coroutine's resume. The resume relays it outward.
 * - Once the simulator aborts a runaway handler, no pcall can swallow the
 *   abort: each pcall re-raises it.
 */
import { lua, lauxlib } from "fengari";

type LuaState = unknown;

/** What the replacements need from the VM that owns them. */
export interface YieldHooks {
  /** Pushes the host-yield sentinel onto L's stack. */
  pushSentinel(L: LuaState): void;
  /** True when the value at `index` of L is the host-yield sentinel. */
  isSentinel(L: LuaState, index: number): boolean;
  /** True once the running handler has been aborted. */
  isAborting(): boolean;
}

const { LUA_OK, LUA_YIELD, LUA_MULTRET } = lua;

/** Installs the replacements into the globals of L. */
export function installYieldRelays(L: LuaState, hooks: YieldHooks): void {
  const finishPcall = (L: LuaState, status: number, extra: number) => {
    if (hooks.isAborting()) return lua.lua_error(L);
    if (status !== LUA_OK && status !== LUA_YIELD) {
      lua.lua_pushboolean(L, false);
      lua.lua_pushvalue(L, -2);
      return 2;
    }
    return lua.lua_gettop(L) - extra;
  };

  const pcall = (L: LuaState) => {
    lauxlib.luaL_checkany(L, 1);
    lua.lua_pushboolean(L, true);
    lua.lua_insert(L, 1);
    const nargs = lua.lua_gettop(L) - 2;
    const status = lua.lua_pcallk(L, nargs, LUA_MULTRET, 0, 0, finishPcall);
    return finishPcall(L, status, 0);
  };

  const xpcall = (L: LuaState) => {
    const n = lua.lua_gettop(L);
    lauxlib.luaL_checktype(L, 2, lua.LUA_TFUNCTION);
    lua.lua_pushboolean(L, true);
    lua.lua_pushvalue(L, 1);
    lua.lua_rotate(L, 3, 2);
    const status = lua.lua_pcallk(L, n - 2, LUA_MULTRET, 2, 2, finishPcall);
    return finishPcall(L, status, 2);
  };

  lua.lua_pushjsfunction(L, pcall);
  lua.lua_setglobal(L, "pcall");
  lua.lua_pushjsfunction(L, xpcall);
  lua.lua_setglobal(L, "xpcall");

  lua.lua_getglobal(L, "coroutine");
  lua.lua_pushjsfunction(L, (L: LuaState) => coroutineResume(L, hooks));
  lua.lua_setfield(L, -2, "resume");
  lua.lua_pushjsfunction(L, (L: LuaState) => coroutineWrap(L, hooks));
  lua.lua_setfield(L, -2, "wrap");
  // LuaJIT (Lua 5.1): the running coroutine, or nil in the main thread.
  lua.lua_pushjsfunction(L, (L: LuaState) => {
    if (lua.lua_pushthread(L)) lua.lua_pushnil(L);
    return 1;
  });
  lua.lua_setfield(L, -2, "running");
  lua.lua_pop(L, 1);
}

/**
 * Resumes `co` with the `narg` values on top of L and relays host yields:
 * returns the number of values now on L's stack top (results, or the error
 * message when negative), or never returns when it had to yield L itself.
 */
function resumeRelaying(
  L: LuaState,
  co: LuaState,
  narg: number,
  hooks: YieldHooks,
  onDone: (L: LuaState, nres: number) => number,
): number {
  if (!lua.lua_checkstack(co, narg)) {
    lua.lua_pushliteral(L, "too many arguments to resume");
    return onDone(L, -1);
  }
  const status = lua.lua_status(co);
  if (status === LUA_OK && lua.lua_gettop(co) === 0) {
    lua.lua_pushliteral(L, "cannot resume dead coroutine");
    return onDone(L, -1);
  }
  lua.lua_xmove(L, co, narg);
  const result = lua.lua_resume(co, L, narg);
  if (result === LUA_OK || result === LUA_YIELD) {
    const nres = lua.lua_gettop(co);
    if (result === LUA_YIELD && nres >= 1 && hooks.isSentinel(co, 1)) {
      // The inner coroutine asked the host for something: suspend this
      // thread too, and resume the inner one with whatever the host sends.
      lua.lua_pop(co, nres);
      const base = lua.lua_gettop(L);
      hooks.pushSentinel(L);
      const relay = (L: LuaState) => {
        const n = lua.lua_gettop(L) - base;
        return resumeRelaying(L, co, n, hooks, onDone);
      };
      return lua.lua_yieldk(L, 1, 0, relay);
    }
    if (!lua.lua_checkstack(L, nres + 1)) {
      lua.lua_pop(co, nres);
      lua.lua_pushliteral(L, "too many results to resume");
      return onDone(L, -1);
    }
    lua.lua_xmove(co, L, nres);
    return onDone(L, nres);
  }
  lua.lua_xmove(co, L, 1);
  return onDone(L, -1);
}

function coroutineResume(L: LuaState, hooks: YieldHooks): number {
  const co = lua.lua_tothread(L, 1);
  lauxlib.luaL_argcheck(L, co, 1, "coroutine expected");
  const narg = lua.lua_gettop(L) - 1;
  return resumeRelaying(L, co, narg, hooks, (L, nres) => {
    if (hooks.isAborting()) return lua.lua_error(L);
    if (nres < 0) {
      lua.lua_pushboolean(L, false);
      lua.lua_insert(L, -2);
      return 2;
    }
    lua.lua_pushboolean(L, true);
    lua.lua_insert(L, -(nres + 1));
    return nres + 1;
  });
}

function coroutineWrap(L: LuaState, hooks: YieldHooks): number {
  lauxlib.luaL_checktype(L, 1, lua.LUA_TFUNCTION);
  const co = lua.lua_newthread(L);
  lua.lua_pushvalue(L, 1);
  lua.lua_xmove(L, co, 1);
  const wrapped = (L: LuaState) => {
    const thread = lua.lua_tothread(L, lua.lua_upvalueindex(1));
    const narg = lua.lua_gettop(L);
    return resumeRelaying(L, thread, narg, hooks, (L, nres) => {
      if (hooks.isAborting() || nres < 0) return lua.lua_error(L);
      return nres;
    });
  };
  lua.lua_pushjsclosure(L, wrapped, 1);
  return 1;
}
