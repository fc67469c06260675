/**
 * ngx.semaphore (from lua-resty-core): counting semaphores between the
 * light threads and requests of one worker. wait() parks the calling
 * thread until a post() or its timeout; post() wakes waiters in order, at
 * the next event loop turn as nginx's posted events do.
 */
import { lua, lauxlib, to_luastring } from "fengari";
import type { ParkRequest } from "../../phases/luaHandler";
import { pushText } from "./luaStack";
import { requireContext, YIELDABLE, type NgxRuntime } from "./runtime";

type LuaState = unknown;

interface Waiter {
  wake(at: number): void;
  isSettled: boolean;
}

interface Semaphore {
  count: number;
  waiters: Waiter[];
}

const ID_FIELD = to_luastring("__semaphore_id");

function semaphoreOf(L: LuaState, semaphores: Map<number, Semaphore>): Semaphore {
  if (lua.lua_type(L, 1) === lua.LUA_TTABLE) {
    lua.lua_getfield(L, 1, ID_FIELD);
    const sem = semaphores.get(lua.lua_tonumber(L, -1));
    lua.lua_pop(L, 1);
    if (sem) return sem;
  }
  lauxlib.luaL_error(L, to_luastring('semaphore: expecting a semaphore object (did you use "sem.post" instead of "sem:post"?)'));
  throw new Error("unreachable");
}

function pushNilError(L: LuaState, message: string): number {
  lua.lua_pushnil(L);
  pushText(L, message);
  return 2;
}

/** A wait that ran out of time returns false, "timeout" (lua-resty-core). */
function pushTimeout(L: LuaState): number {
  lua.lua_pushboolean(L, false);
  pushText(L, "timeout");
  return 2;
}

function wait(rt: NgxRuntime, semaphores: Map<number, Semaphore>, L: LuaState): number {
  const sem = semaphoreOf(L, semaphores);
  requireContext(rt, L, YIELDABLE);
  const timeout = lua.lua_isnoneornil(L, 2) ? 0 : lauxlib.luaL_checknumber(L, 2);
  if (timeout < 0) return pushNilError(L, "bad 'timeout' argument");
  if (sem.count > 0 && sem.waiters.length === 0) {
    sem.count--;
    lua.lua_pushboolean(L, true);
    return 1;
  }
  if (timeout === 0) return pushTimeout(L);
  const waiter: Waiter = { wake: () => undefined, isSettled: false };
  sem.waiters.push(waiter);
  const request: ParkRequest = {
    op: "semaphore-wait",
    timeoutMs: timeout * 1000,
    park: (resume) => {
      waiter.wake = (at) => {
        waiter.isSettled = true;
        resume(at, (T) => {
          lua.lua_pushboolean(T, true);
          return 1;
        });
      };
    },
    onTimeout: (T) => {
      waiter.isSettled = true;
      sem.waiters = sem.waiters.filter((w) => w !== waiter);
      return pushTimeout(T);
    },
  };
  return rt.vm.yieldToHost(L, { ...request });
}

function post(rt: NgxRuntime, semaphores: Map<number, Semaphore>, L: LuaState): number {
  const sem = semaphoreOf(L, semaphores);
  const n = lua.lua_isnoneornil(L, 2) ? 1 : lauxlib.luaL_checknumber(L, 2);
  if (n < 1) return pushNilError(L, "bad 'n' argument");
  sem.count += n;
  while (sem.count > 0 && sem.waiters.length > 0) {
    const waiter = sem.waiters.shift()!;
    if (waiter.isSettled) continue;
    sem.count--;
    waiter.wake(rt.process.clock);
  }
  lua.lua_pushboolean(L, true);
  return 1;
}

/** Registers `require "ngx.semaphore"` for this process's Lua VM. */
export function installSemaphore(rt: NgxRuntime, L: LuaState): void {
  const semaphores = new Map<number, Semaphore>();
  let nextId = 1;
  lua.lua_getglobal(L, to_luastring("package"));
  lua.lua_getfield(L, -1, to_luastring("preload"));
  lua.lua_pushjsfunction(L, (L: LuaState) => {
    lua.lua_newtable(L);
    const module = lua.lua_gettop(L);
    lua.lua_newtable(L);
    const methods = lua.lua_gettop(L);
    const method = (name: string, fn: (L: LuaState) => number) => {
      lua.lua_pushjsfunction(L, fn);
      lua.lua_setfield(L, methods, to_luastring(name));
    };
    method("wait", (L) => wait(rt, semaphores, L));
    method("post", (L) => post(rt, semaphores, L));
    method("count", (L) => {
      const sem = semaphoreOf(L, semaphores);
      lua.lua_pushnumber(L, sem.count - sem.waiters.filter((w) => !w.isSettled).length);
      return 1;
    });
    lua.lua_newtable(L);
    lua.lua_pushvalue(L, methods);
    lua.lua_setfield(L, -2, to_luastring("__index"));
    const meta = lua.lua_gettop(L);
    lua.lua_pushvalue(L, meta);
    lua.lua_pushjsclosure(L, (L: LuaState) => {
      const n = lua.lua_isnoneornil(L, 1) ? 0 : lauxlib.luaL_checknumber(L, 1);
      if (n < 0) return pushNilError(L, "no negative number");
      const id = nextId++;
      semaphores.set(id, { count: n, waiters: [] });
      lua.lua_newtable(L);
      lua.lua_pushnumber(L, id);
      lua.lua_setfield(L, -2, ID_FIELD);
      lua.lua_pushvalue(L, lua.lua_upvalueindex(1));
      lua.lua_setmetatable(L, -2);
      return 1;
    }, 1);
    lua.lua_setfield(L, module, to_luastring("new"));
    pushText(L, "0.1.31");
    lua.lua_setfield(L, module, to_luastring("version"));
    lua.lua_settop(L, module);
    return 1;
  });
  lua.lua_setfield(L, -2, to_luastring("ngx.semaphore"));
  lua.lua_pop(L, 2);
}
