/**
 * ngx.thread.spawn, ngx.thread.wait and ngx.thread.kill: light threads of
 * one handler run, as lua-nginx-module's ngx_http_lua_uthread.c defines
 * them. The functions check their arguments here and leave scheduling to
 * the LightThreadHost that runs the handler's coroutines.
 */
import { lua, lauxlib, to_luastring } from "fengari";
import type { LuaCoroutine } from "../luaThread";
import { pushText, setFunction } from "./luaStack";
import {
  requireContext,
  YIELDABLE,
  type HandlerContext,
  type NgxRuntime,
} from "./runtime";

type LuaState = unknown;

/** A light thread's state, named after lua-nginx-module's co_status. */
export type LightThreadStatus =
  | "running"
  | "suspended"
  | "zombie"
  | "dead";

/** One coroutine of a handler run: the entry thread or a user thread. */
export interface LightThread {
  readonly co: LuaCoroutine;
  /** The thread that spawned it; null for the entry thread. */
  readonly parent: LightThread | null;
  readonly isUserThread: boolean;
  status: LightThreadStatus;
  /** Subrequests issued by ngx.location.capture that have not finished. */
  pendingSubrequests: number;
}

/** The interface ngx.thread uses to reach the scheduler of its threads. */
export interface LightThreadHost {
  /** The thread being resumed right now. */
  readonly running: LightThread | null;
  /** The light thread of a Lua coroutine, if it is one of this run. */
  threadOf(thread: LuaState): LightThread | undefined;
  /** Moves a zombie's `ok, results...` onto L and drops the thread. */
  reapZombie(t: LightThread, L: LuaState): number;
  /** Stops a live user thread for good. */
  kill(t: LightThread): void;
}

const hosts = new WeakMap<HandlerContext, LightThreadHost>();

/** Makes `host` the scheduler that ngx.thread uses while `ctx` runs. */
export function registerThreadHost(
  ctx: HandlerContext,
  host: LightThreadHost,
): void {
  hosts.set(ctx, host);
}

function hostFor(rt: NgxRuntime, L: LuaState): LightThreadHost {
  requireContext(rt, L, YIELDABLE);
  const host = rt.current ? hosts.get(rt.current) : undefined;
  if (!host) lauxlib.luaL_error(L, to_luastring("no request ctx found"));
  return host!;
}

function fail(L: LuaState, message: string): number {
  lua.lua_pushnil(L);
  pushText(L, message);
  return 2;
}

function spawn(rt: NgxRuntime, L: LuaState): number {
  const n = lua.lua_gettop(L);
  hostFor(rt, L);
  const isLuaFunction =
    lua.lua_type(L, 1) === lua.LUA_TFUNCTION && !lua.lua_iscfunction(L, 1);
  lauxlib.luaL_argcheck(L, isLuaFunction, 1, "Lua function expected");
  const thread = lua.lua_newthread(L);
  const ref = lauxlib.luaL_ref(L, lua.LUA_REGISTRYINDEX);
  lua.lua_pushvalue(L, 1);
  lua.lua_xmove(L, thread, 1);
  for (let i = 2; i <= n; i++) {
    lua.lua_pushvalue(L, i);
    lua.lua_xmove(L, thread, 1);
  }
  const co: LuaCoroutine = { thread, ref, isDead: false };
  return rt.vm.yieldToHost(L, { op: "thread-spawn", co, nargs: n - 1 });
}

function wait(rt: NgxRuntime, L: LuaState): number {
  const host = hostFor(rt, L);
  const nargs = lua.lua_gettop(L);
  if (nargs === 0) {
    return lauxlib.luaL_error(
      L,
      to_luastring("at least one coroutine should be specified"),
    );
  }
  const targets: LightThread[] = [];
  for (let i = 1; i <= nargs; i++) {
    const t = checkUserThread(host, L, i);
    if (t.status === "zombie") return host.reapZombie(t, L);
    if (t.status === "dead") {
      if (i < nargs) continue;
      return fail(L, "already waited or killed");
    }
    targets.push(t);
  }
  return rt.vm.yieldToHost(L, { op: "thread-wait", targets });
}

function checkUserThread(
  host: LightThreadHost,
  L: LuaState,
  index: number,
): LightThread {
  const thread = lua.lua_tothread(L, index);
  lauxlib.luaL_argcheck(L, thread !== null, index, "lua thread expected");
  const t = host.threadOf(thread);
  if (!t || !t.isUserThread) {
    lauxlib.luaL_error(
      L,
      to_luastring(
        "attempt to wait on a coroutine that is not a user thread",
      ),
    );
  }
  if (t!.parent !== host.running) {
    lauxlib.luaL_error(
      L,
      to_luastring("only the parent coroutine can wait on the thread"),
    );
  }
  return t!;
}

function kill(rt: NgxRuntime, L: LuaState): number {
  const host = hostFor(rt, L);
  const thread = lua.lua_tothread(L, 1);
  lauxlib.luaL_argcheck(L, thread !== null, 1, "lua thread expected");
  const t = host.threadOf(thread);
  if (!t || !t.isUserThread) return fail(L, "not user thread");
  if (t.parent !== host.running) return fail(L, "killer not parent");
  if (t.pendingSubrequests > 0) return fail(L, "pending subrequests");
  if (t.status === "zombie") {
    host.kill(t);
    return fail(L, "already terminated");
  }
  if (t.status === "dead") return fail(L, "already waited or killed");
  host.kill(t);
  lua.lua_pushinteger(L, 1);
  return 1;
}

/** Fills the `ngx` table at the stack top with `ngx.thread`. */
export function installThread(rt: NgxRuntime, L: LuaState): void {
  lua.lua_createtable(L, 0, 3);
  setFunction(L, "spawn", (L) => spawn(rt, L));
  setFunction(L, "wait", (L) => wait(rt, L));
  setFunction(L, "kill", (L) => kill(rt, L));
  lua.lua_setfield(L, -2, to_luastring("thread"));
}
