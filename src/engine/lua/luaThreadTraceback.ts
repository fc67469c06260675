/**
 * Stack tracebacks in the shape LuaJIT and lua-nginx-module print them:
 * `[C]: in function 'error'`, `content_by_lua(nginx.conf:26):3: in main
 * chunk`, `...: in function <content_by_lua(nginx.conf:26):2>`.
 * fengari calls JavaScript functions `[JS]`; LuaJIT calls them `[C]`.
 */
import { lua, to_jsstring, to_luastring } from "fengari";

type LuaState = unknown;

const MAX_LEVELS = 22;

/** Returns the traceback lines of a thread (each without indentation). */
export function tracebackLines(thread: LuaState, firstLevel = 0): string[] {
  const frames: Array<{ line: string; isC: boolean; hasName: boolean }> = [];
  const ar = new lua.lua_Debug();
  for (let level = firstLevel; lua.lua_getstack(thread, level, ar); level++) {
    if (frames.length >= MAX_LEVELS) {
      frames.push({ line: "...", isC: false, hasName: true });
      break;
    }
    lua.lua_getinfo(thread, "Slnt", ar);
    const what = to_jsstring(ar.what);
    frames.push({
      line: describeFrame(ar),
      isC: what === "J" || what === "C",
      hasName: ar.name !== null && ar.name !== undefined,
    });
  }
  // LuaJIT shows no frame for an unnamed C function called from C (such
  // as require's searchers); fengari does.
  return frames
    .filter((f, i) => !(f.isC && !f.hasName && frames[i + 1]?.isC))
    .map((f) => f.line);
}

interface DebugRecord {
  what: Uint8Array;
  short_src: Uint8Array;
  currentline: number;
  linedefined: number;
  name: Uint8Array | null;
  namewhat: Uint8Array;
}

function describeFrame(ar: DebugRecord): string {
  const what = to_jsstring(ar.what);
  if (what === "J" || what === "C") {
    const name = ar.name ? to_jsstring(ar.name) : null;
    return name ? `[C]: in function '${name}'` : "[C]: ?";
  }
  const src = to_jsstring(ar.short_src);
  const where = ar.currentline > 0 ? `${src}:${ar.currentline}:` : `${src}:`;
  if (what === "main") return `${where} in main chunk`;
  const name = ar.name ? to_jsstring(ar.name) : null;
  if (name) return `${where} in function '${name}'`;
  return `${where} in function <${src}:${ar.linedefined}>`;
}

/**
 * Formats lua-nginx-module's traceback for an aborted coroutine chain:
 * `stack traceback:\ncoroutine 0:\n\t...` with coroutine 0 the one that
 * failed and higher numbers its parents.
 */
export function coroutineTraceback(threads: LuaState[]): string {
  const parts = ["stack traceback:"];
  threads.forEach((thread, index) => {
    parts.push(`coroutine ${index}:`);
    tracebackLines(thread).forEach((line, level) => {
      // LuaJIT reports no current line for a Lua frame that raised the
      // error itself (not through a call such as error()).
      const text = level === 0 ? line.replace(/^([^\[].*?\)):\d+:/, "$1:") : line;
      parts.push(`\t${text}`);
    });
  });
  return parts.join("\n");
}

/** Formats the plain traceback used for filter and log phase failures. */
export function plainTraceback(thread: LuaState, firstLevel = 0): string {
  const lines = tracebackLines(thread, firstLevel).map((l) => `\t${l}`);
  return ["stack traceback:", ...lines].join("\n");
}

/**
 * Replaces debug.traceback with one that formats frames as LuaJIT does
 * (`[C]: in function 'require'`), so tracebacks that user code and the
 * _G write guard put in the log read like the real server's.
 */
export function installDebugTraceback(L: LuaState): void {
  lua.lua_getglobal(L, to_luastring("debug"));
  lua.lua_pushjsfunction(L, (L: LuaState) => {
    let arg = 1;
    let target = L;
    if (lua.lua_type(L, 1) === lua.LUA_TTHREAD) {
      target = lua.lua_tothread(L, 1);
      arg = 2;
    }
    const message = lua.lua_type(L, arg);
    if (message !== lua.LUA_TNONE && message !== lua.LUA_TNIL && message !== lua.LUA_TSTRING && message !== lua.LUA_TNUMBER) {
      lua.lua_pushvalue(L, arg);
      return 1;
    }
    const text = message === lua.LUA_TSTRING || message === lua.LUA_TNUMBER
      ? `${to_jsstring(lua.lua_tolstring(L, arg))}\n`
      : "";
    const level = lua.lua_isnoneornil(L, arg + 1)
      ? target === L ? 1 : 0
      : Number(lua.lua_tonumber(L, arg + 1));
    const lines = tracebackLines(target, level).map((line) => `\n\t${line}`);
    lua.lua_pushstring(L, to_luastring(`${text}stack traceback:${lines.join("")}`));
    return 1;
  });
  lua.lua_setfield(L, -2, to_luastring("traceback"));
  lua.lua_pop(L, 1);
}

/** The chunk and line of the innermost Lua frame of a thread, if any. */
export function luaPosition(thread: LuaState): { chunkName: string; line: number } | null {
  const ar = new lua.lua_Debug();
  for (let level = 0; lua.lua_getstack(thread, level, ar); level++) {
    lua.lua_getinfo(thread, to_luastring("Sl"), ar);
    const what = to_jsstring(ar.what);
    if (what !== "J" && what !== "C" && ar.currentline > 0) {
      return { chunkName: to_jsstring(ar.short_src), line: ar.currentline };
    }
  }
  return null;
}
