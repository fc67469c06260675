/**
 * One nginx process's Lua VM: compiled chunks, the coroutines that run
 * phase handlers, the cost meter that turns executed instructions into
 * virtual CPU time, and the abort switch for runaway handlers.
 *
 * Handlers that may yield (rewrite, access, content, timers) run as
 * coroutines that the host resumes; filters, set_by_lua and log_by_lua run
 * as protected calls that cannot yield, as in lua-nginx-module.
 */
import { lua, lauxlib, to_luastring, to_jsstring } from "fengari";
import { installYieldRelays } from "./luaThreadYield";
import { coroutineTraceback, plainTraceback } from "./luaThreadTraceback";

type LuaState = unknown;

/** A request a coroutine made to the host when it yielded. */
export interface HostRequest {
  op: string;
  [key: string]: unknown;
}

/** The result of resuming a coroutine until it stops again. */
export type ResumeOutcome =
  | { kind: "yield"; request: HostRequest }
  | { kind: "done"; values: number }
  | { kind: "error"; message: string; traceback: string }
  | { kind: "aborted"; reason: string };

/** The result of a protected (non-yielding) call. */
export type CallOutcome =
  | { kind: "done"; values: number }
  | { kind: "error"; message: string; traceback: string }
  | { kind: "aborted"; reason: string };

/** A running or suspended Lua coroutine that belongs to a handler. */
export interface LuaCoroutine {
  thread: LuaState;
  ref: number;
  isDead: boolean;
}

/** What the VM reports to the process that owns it. */
export interface LuaMeter {
  /** Called with instructions executed since the last call. */
  charge(instructions: number): void;
}

const HOOK_INTERVAL = 1000;
const SENTINEL_KEY = { name: "host yield sentinel" };

/**
 * Stops a handler after this many instructions in one run without a yield,
 * so that a runaway handler cannot hold the page for long (about 7 s of
 * real time here). Real nginx has no such limit.
 */
export const INSTRUCTION_BUDGET = 50_000_000;

/** `chunk:line` of the running Lua function, for messages. */
function currentPosition(L: LuaState): string {
  const ar = new lua.lua_Debug();
  if (!lua.lua_getstack(L, 0, ar)) return "an unknown line";
  lua.lua_getinfo(L, to_luastring("Sl"), ar);
  const line = ar.currentline > 0 ? `:${ar.currentline}` : "";
  return `${to_jsstring(ar.short_src)}${line}`;
}

export class LuaVm {
  readonly L: LuaState;
  private pendingRequest: HostRequest | null = null;
  private instructionsSinceYield = 0;
  private aborting: string | null = null;
  private lastTraceback = "";
  private readonly chunkCache = new Map<string, number>();

  constructor(
    createState: () => LuaState,
    private readonly meter: LuaMeter,
  ) {
    this.L = createState();
    const L = this.L;
    lua.lua_newtable(L);
    lua.lua_rawsetp(L, lua.LUA_REGISTRYINDEX, SENTINEL_KEY);
    installYieldRelays(L, {
      pushSentinel: (T) => this.pushSentinel(T),
      isSentinel: (T, index) => this.isSentinel(T, index),
      isAborting: () => this.aborting !== null,
    });
    lua.lua_sethook(L, this.hook, lua.LUA_MASKCOUNT, HOOK_INTERVAL);
  }

  /** True once a runaway handler is being unwound. */
  get isAborting(): boolean {
    return this.aborting !== null;
  }

  /**
   * Compiles Lua source (text only) under a chunk name such as
   * `content_by_lua(nginx.conf:26)`; returns a registry reference or the
   * syntax error message.
   */
  load(code: string, chunkName: string): { ref: number } | { error: string } {
    const key = `${chunkName}\n${code}`;
    const cached = this.chunkCache.get(key);
    if (cached !== undefined) return { ref: cached };
    const L = this.L;
    const status = lauxlib.luaL_loadbufferx(
      L,
      to_luastring(code),
      null,
      to_luastring(`=${chunkName}`),
      to_luastring("t"),
    );
    if (status !== lua.LUA_OK) {
      const message = this.errorText(L, -1);
      lua.lua_pop(L, 1);
      return { error: message };
    }
    const ref = lauxlib.luaL_ref(L, lua.LUA_REGISTRYINDEX);
    this.chunkCache.set(key, ref);
    return { ref };
  }

  /** Creates a coroutine that will run the function at `fnRef`. */
  newCoroutine(fnRef: number): LuaCoroutine {
    const L = this.L;
    const thread = lua.lua_newthread(L);
    const ref = lauxlib.luaL_ref(L, lua.LUA_REGISTRYINDEX);
    lua.lua_rawgeti(L, lua.LUA_REGISTRYINDEX, fnRef);
    lua.lua_xmove(L, thread, 1);
    return { thread, ref, isDead: false };
  }

  /**
   * Runs the coroutine until it yields, returns or fails. `pushArgs` pushes
   * the values the coroutine receives and returns their count.
   */
  resume(co: LuaCoroutine, pushArgs?: (L: LuaState) => number): ResumeOutcome {
    const T = co.thread;
    const nargs = pushArgs ? pushArgs(T) : 0;
    this.pendingRequest = null;
    this.instructionsSinceYield = 0;
    const status = lua.lua_resume(T, null, nargs);
    this.chargePartial(T);
    if (this.aborting !== null) {
      const reason = this.aborting;
      this.aborting = null;
      this.release(co);
      return { kind: "aborted", reason };
    }
    if (status === lua.LUA_YIELD) {
      const request = this.pendingRequest ?? { op: "yield" };
      this.pendingRequest = null;
      lua.lua_settop(T, 0);
      return { kind: "yield", request };
    }
    if (status === lua.LUA_OK) {
      co.isDead = true;
      return { kind: "done", values: lua.lua_gettop(T) };
    }
    const message = this.errorText(T, -1);
    const traceback = coroutineTraceback([T]);
    this.release(co);
    return { kind: "error", message, traceback };
  }

  /** Drops a coroutine so the garbage collector can take it. */
  release(co: LuaCoroutine): void {
    if (co.ref >= 0) lauxlib.luaL_unref(this.L, lua.LUA_REGISTRYINDEX, co.ref);
    co.ref = -1;
    co.isDead = true;
  }

  /**
   * Calls the function at `fnRef` in a fresh thread without allowing yields,
   * as filters and log handlers run. Results stay on the returned thread.
   */
  call(
    fnRef: number,
    pushArgs?: (L: LuaState) => number,
    nresults = 0,
  ): CallOutcome & { thread: LuaState } {
    const L = this.L;
    const T = lua.lua_newthread(L);
    lua.lua_sethook(T, this.hook, lua.LUA_MASKCOUNT, HOOK_INTERVAL);
    lua.lua_pushjsfunction(T, this.messageHandler);
    lua.lua_rawgeti(T, lua.LUA_REGISTRYINDEX, fnRef);
    const nargs = pushArgs ? pushArgs(T) : 0;
    this.instructionsSinceYield = 0;
    const status = lua.lua_pcall(T, nargs, nresults, 1);
    this.chargePartial(T);
    lua.lua_pop(L, 1);
    if (this.aborting !== null) {
      const reason = this.aborting;
      this.aborting = null;
      return { kind: "aborted", reason, thread: T };
    }
    if (status === lua.LUA_OK) {
      return { kind: "done", values: nresults, thread: T };
    }
    const message = this.errorText(T, -1);
    return { kind: "error", message, traceback: this.lastTraceback, thread: T };
  }

  /**
   * Suspends the running coroutine with a request for the host. Call as
   * the last statement of a JavaScript function called from Lua.
   */
  yieldToHost(L: LuaState, request: HostRequest): number {
    this.pendingRequest = request;
    this.pushSentinel(L);
    return lua.lua_yield(L, 1);
  }

  /**
   * Stops the running Lua code for good: raises an error that no pcall
   * can keep (each re-raises it) until the host regains control.
   */
  abort(L: LuaState, reason: string): number {
    this.aborting = reason;
    return lauxlib.luaL_error(L, to_luastring(reason));
  }

  /** Turns the error value at `index` into the text nginx logs. */
  errorText(L: LuaState, index: number): string {
    const type = lua.lua_type(L, index);
    if (type === lua.LUA_TSTRING || type === lua.LUA_TNUMBER) {
      return to_jsstring(lua.lua_tolstring(L, index));
    }
    return "unknown reason";
  }

  private pushSentinel(L: LuaState): void {
    lua.lua_rawgetp(L, lua.LUA_REGISTRYINDEX, SENTINEL_KEY);
  }

  private isSentinel(L: LuaState, index: number): boolean {
    const absolute = lua.lua_absindex(L, index);
    this.pushSentinel(L);
    const same = lua.lua_rawequal(L, absolute, -1);
    lua.lua_pop(L, 1);
    return same;
  }

  private readonly hook = (L: LuaState) => {
    this.meter.charge(HOOK_INTERVAL);
    this.instructionsSinceYield += HOOK_INTERVAL;
    if (this.aborting === null) {
      if (this.instructionsSinceYield < INSTRUCTION_BUDGET) return;
      this.aborting =
        `the simulator stopped a Lua handler at ${currentPosition(L)} after ` +
        `${INSTRUCTION_BUDGET / 1e6} million instructions without a yield`;
    }
    lauxlib.luaL_error(L, to_luastring(this.aborting));
  };

  private readonly messageHandler = (L: LuaState) => {
    this.lastTraceback = plainTraceback(L, 1);
    return 1;
  };

  /** Charges the instructions run since the last hook call. */
  private chargePartial(T: LuaState): void {
    // NOTE: reads fengari's internal hook counters (basehookcount and
    // hookcount on the thread) because the public API cannot report them.
    const thread = T as { basehookcount: number; hookcount: number };
    const done = thread.basehookcount - thread.hookcount;
    if (done > 0) this.meter.charge(done);
    lua.lua_sethook(T, this.hook, lua.LUA_MASKCOUNT, HOOK_INTERVAL);
  }
}
