/**
 * The core of the `ngx` table: constants, ngx.log and print, ngx.exit,
 * ngx.sleep, ngx.get_phase, and the ngx.status and ngx.ctx fields.
 */
import { lua, lauxlib, to_luastring } from "fengari";
import type { ErrorLogLevel } from "../../scenario";
import type { SourcePosition } from "../../trace/events";
import { luaPosition } from "../luaThreadTraceback";
import type { HttpRequest } from "../../phases/httpRequest";
import {
  bytesToText,
  callerPosition,
  logText,
  pushText,
  setFunction,
  setNumber,
} from "./luaStack";
import { NGX_NULL } from "./outputArgs";
import { pushUnsupportedField, UNSUPPORTED_NGX_FIELDS } from "./ngxUnsupported";
import {
  requireContext,
  requireRequest,
  YIELDABLE,
  type HandlerContext,
  type NgxRuntime,
} from "./runtime";

type LuaState = unknown;

const LEVELS: ErrorLogLevel[] = [
  "stderr",
  "emerg",
  "alert",
  "crit",
  "error",
  "warn",
  "notice",
  "info",
  "debug",
];

const HTTP_STATUSES: Record<string, number> = {
  HTTP_CONTINUE: 100,
  HTTP_SWITCHING_PROTOCOLS: 101,
  HTTP_OK: 200,
  HTTP_CREATED: 201,
  HTTP_ACCEPTED: 202,
  HTTP_NO_CONTENT: 204,
  HTTP_PARTIAL_CONTENT: 206,
  HTTP_SPECIAL_RESPONSE: 300,
  HTTP_MOVED_PERMANENTLY: 301,
  HTTP_MOVED_TEMPORARILY: 302,
  HTTP_SEE_OTHER: 303,
  HTTP_NOT_MODIFIED: 304,
  HTTP_TEMPORARY_REDIRECT: 307,
  HTTP_PERMANENT_REDIRECT: 308,
  HTTP_BAD_REQUEST: 400,
  HTTP_UNAUTHORIZED: 401,
  HTTP_PAYMENT_REQUIRED: 402,
  HTTP_FORBIDDEN: 403,
  HTTP_NOT_FOUND: 404,
  HTTP_NOT_ALLOWED: 405,
  HTTP_NOT_ACCEPTABLE: 406,
  HTTP_REQUEST_TIMEOUT: 408,
  HTTP_CONFLICT: 409,
  HTTP_GONE: 410,
  HTTP_UPGRADE_REQUIRED: 426,
  HTTP_TOO_MANY_REQUESTS: 429,
  HTTP_CLOSE: 444,
  HTTP_ILLEGAL: 451,
  HTTP_INTERNAL_SERVER_ERROR: 500,
  HTTP_METHOD_NOT_IMPLEMENTED: 501,
  HTTP_BAD_GATEWAY: 502,
  HTTP_SERVICE_UNAVAILABLE: 503,
  HTTP_GATEWAY_TIMEOUT: 504,
  HTTP_VERSION_NOT_SUPPORTED: 505,
  HTTP_INSUFFICIENT_STORAGE: 507,
};

const METHODS: Record<string, number> = {
  HTTP_GET: 2,
  HTTP_HEAD: 4,
  HTTP_POST: 8,
  HTTP_PUT: 16,
  HTTP_DELETE: 32,
  HTTP_MKCOL: 64,
  HTTP_COPY: 128,
  HTTP_MOVE: 256,
  HTTP_OPTIONS: 512,
  HTTP_PROPFIND: 1024,
  HTTP_PROPPATCH: 2048,
  HTTP_LOCK: 4096,
  HTTP_UNLOCK: 8192,
  HTTP_PATCH: 16384,
  HTTP_TRACE: 32768,
};

/** Pushes the constants of the `ngx` table onto the table at the top. */
function setConstants(L: LuaState): void {
  setNumber(L, "OK", 0);
  setNumber(L, "ERROR", -1);
  setNumber(L, "AGAIN", -2);
  setNumber(L, "DONE", -4);
  setNumber(L, "DECLINED", -5);
  LEVELS.forEach((level, n) => {
    const name = level === "error" ? "ERR" : level.toUpperCase();
    setNumber(L, name, n);
  });
  for (const [name, code] of Object.entries(HTTP_STATUSES)) setNumber(L, name, code);
  for (const [name, code] of Object.entries(METHODS)) setNumber(L, name, code);
  lua.lua_pushlightuserdata(L, NGX_NULL);
  lua.lua_setfield(L, -2, to_luastring("null"));
}

/** Raises lua-nginx-module's error for a value ngx.log cannot print. */
function checkLogArgument(L: LuaState, index: number): void {
  const type = lua.lua_type(L, index);
  if (type === lua.LUA_TTABLE) {
    if (lauxlib.luaL_getmetafield(L, index, to_luastring("__tostring"))) {
      lua.lua_pop(L, 1);
      return;
    }
    lauxlib.luaL_argerror(L, index, to_luastring("expected table to have __tostring metamethod"));
  }
  const isPlain =
    type === lua.LUA_TSTRING ||
    type === lua.LUA_TNUMBER ||
    type === lua.LUA_TNIL ||
    type === lua.LUA_TBOOLEAN ||
    (type === lua.LUA_TLIGHTUSERDATA && lua.lua_touserdata(L, index) === NGX_NULL);
  if (!isPlain) {
    const name = bytesToText(lauxlib.luaL_typename(L, index));
    lauxlib.luaL_argerror(
      L,
      index,
      to_luastring(`string, number, boolean, or nil expected, got ${name}`),
    );
  }
}

/** Writes `[lua] chunk:line: message` at `level`, as ngx.log does. */
export function writeLuaLog(
  rt: NgxRuntime,
  L: LuaState,
  level: ErrorLogLevel,
  first: number,
): void {
  if (!rt.errorLog.isEnabled(level) && rt.current?.phase !== "init") return;
  const parts: string[] = [];
  for (let i = first; i <= lua.lua_gettop(L); i++) {
    checkLogArgument(L, i);
    parts.push(logText(L, i));
  }
  const position = callerPosition(L);
  const prefix = position ? `[lua] ${position}: ` : "[lua] ";
  logWithContext(rt, level, prefix + parts.join(""), luaPosition(L) ?? undefined);
}

/** Writes a message with the running handler's context suffix and origin. */
export function logWithContext(
  rt: NgxRuntime,
  level: ErrorLogLevel,
  message: string,
  source?: SourcePosition,
): void {
  const ctx = rt.current;
  const r = ctx?.request ?? null;
  const isInit = ctx?.phase === "init";
  if (rt.isReplayingInit) return;
  rt.errorLog.write(
    level,
    message + (ctx?.logSuffix ?? ""),
    {
      time: rt.process.clock,
      pid: isInit ? rt.masterPid : rt.process.pid,
      connection: r?.connection ?? null,
      subrequest: r?.subrequestNumber ?? null,
      trailer: r ? requestTrailer(r) : (ctx?.trailer ?? ""),
      source,
    },
    isInit && rt.isLoggingToStderr,
  );
}

/** The `, client: ..., request: ...` part nginx appends for a request. */
export function requestTrailer(r: HttpRequest): string {
  const main = r.parent ? topRequest(r) : r;
  const subrequest = r.parent ? `, subrequest: "${r.uri}"` : "";
  const host = main.header("host");
  const server = main.server.serverNames[0] ?? "";
  return (
    `, client: ${main.clientAddress}, server: ${server}, request: ` +
    `"${main.method} ${main.requestUri} HTTP/${main.isHttp10 ? "1.0" : "1.1"}"${subrequest}` +
    (r.upstream ? `, upstream: "${r.upstream.url}"` : "") +
    (host === undefined ? "" : `, host: "${host}"`)
  );
}

/**
 * Returns the `, client: ..., server: ...` part of a timer's log lines. As
 * in ngx_http_lua_ngx_timer_helper, a timer keeps the client address and
 * the listening socket of the request that created it. A timer made by
 * another timer keeps that one's, and a timer from init_worker has neither.
 */
export function timerTrailer(creator: HandlerContext | null): string {
  const r = creator?.request;
  if (!r) return creator?.trailer ?? "";
  const main = topRequest(r);
  const listen = main.server.listen[0];
  const server = listen ? `, server: ${listenAddressText(listen.address)}:${listen.port}` : "";
  return `, client: ${main.clientAddress}${server}`;
}

/** Returns the text nginx gives a listening address: names resolve to their IP. */
function listenAddressText(address: string): string {
  return address === "localhost" ? "127.0.0.1" : address;
}

function topRequest(r: HttpRequest): HttpRequest {
  let top = r;
  while (top.parent) top = top.parent;
  return top;
}

function installLog(rt: NgxRuntime, L: LuaState): void {
  setFunction(L, "log", (L) => {
    const level = lauxlib.luaL_checkinteger(L, 1);
    if (level < 0 || level > 8) {
      return lauxlib.luaL_error(L, to_luastring(`bad log level: ${level}`));
    }
    writeLuaLog(rt, L, LEVELS[level], 2);
    return 0;
  });
  lua.lua_pushjsfunction(L, (L: LuaState) => {
    writeLuaLog(rt, L, "notice", 1);
    return 0;
  });
  lua.lua_setglobal(L, to_luastring("print"));
}

function installControl(rt: NgxRuntime, L: LuaState): void {
  setFunction(L, "get_phase", (L) => {
    pushText(L, rt.current?.phase ?? "init");
    return 1;
  });
  setFunction(L, "exit", (L) => {
    const code = lauxlib.luaL_checkinteger(L, 1);
    const r = requireContext(rt, L, [...YIELDABLE, "header_filter"]);
    if (rt.current?.phase === "header_filter") {
      if (r) r.headerFilterExit = code;
      return 0;
    }
    return rt.vm.yieldToHost(L, { op: "exit", code });
  });
  setFunction(L, "redirect", (L) => {
    const r = requireContext(rt, L, ["rewrite", "access", "content"]);
    const uri = bytesToText(lauxlib.luaL_checklstring(L, 1));
    const status = lauxlib.luaL_optinteger(L, 2, 302);
    if (![301, 302, 303, 307, 308].includes(status)) {
      return lauxlib.luaL_error(
        L,
        to_luastring(
          "only ngx.HTTP_MOVED_TEMPORARILY, ngx.HTTP_MOVED_PERMANENTLY, " +
            "ngx.HTTP_PERMANENT_REDIRECT, ngx.HTTP_SEE_OTHER, and " +
            "ngx.HTTP_TEMPORARY_REDIRECT are allowed",
        ),
      );
    }
    if (r?.isHeaderSent) {
      return lauxlib.luaL_error(
        L,
        to_luastring("attempt to call ngx.redirect after sending out the headers"),
      );
    }
    r?.headersOut.push({ name: "Location", value: uri });
    return rt.vm.yieldToHost(L, { op: "exit", code: status });
  });
  setFunction(L, "exec", (L) => {
    const r = requireContext(rt, L, ["rewrite", "access", "content"]);
    const target = bytesToText(lauxlib.luaL_checklstring(L, 1));
    const q = target.indexOf("?");
    const uri = q >= 0 ? target.slice(0, q) : target;
    let args = q >= 0 ? target.slice(q + 1) : "";
    if (lua.lua_type(L, 2) === lua.LUA_TTABLE) args = encodeArgsTable(L, 2);
    else if (!lua.lua_isnoneornil(L, 2)) args = logText(L, 2);
    if (r?.isHeaderSent) {
      return lauxlib.luaL_error(
        L,
        to_luastring("attempt to call ngx.exec after sending out response headers"),
      );
    }
    return rt.vm.yieldToHost(L, { op: "exec", uri, args });
  });
  setFunction(L, "sleep", (L) => {
    requireContext(rt, L, YIELDABLE);
    const seconds = lauxlib.luaL_checknumber(L, 1);
    if (seconds < 0) {
      return lauxlib.luaL_error(
        L,
        to_luastring(`invalid sleep duration "${Math.round(seconds * 1000)}"`),
      );
    }
    return rt.vm.yieldToHost(L, { op: "sleep", seconds });
  });
}

/** Encodes a Lua table of arguments as ngx.encode_args does. */
export function encodeArgsTable(L: LuaState, index: number): string {
  const parts: string[] = [];
  const t = lua.lua_absindex(L, index);
  const escape = (s: string) => encodeURIComponent(s);
  lua.lua_pushnil(L);
  while (lua.lua_next(L, t)) {
    const key = escape(logText(L, -2));
    if (lua.lua_type(L, -1) === lua.LUA_TTABLE) {
      const n = lua.lua_rawlen(L, -1);
      for (let i = 1; i <= n; i++) {
        lua.lua_rawgeti(L, -1, i);
        parts.push(`${key}=${escape(logText(L, -1))}`);
        lua.lua_pop(L, 1);
      }
    } else if (lua.lua_type(L, -1) === lua.LUA_TBOOLEAN) {
      if (lua.lua_toboolean(L, -1)) parts.push(key);
    } else {
      parts.push(`${key}=${escape(logText(L, -1))}`);
    }
    lua.lua_pop(L, 1);
  }
  return parts.join("&");
}

/**
 * ngx.status and ngx.ctx are fields whose reads and writes go to the
 * running request, so the ngx table gets a metatable for them.
 */
function installRequestFields(rt: NgxRuntime, L: LuaState): void {
  lua.lua_newtable(L);
  setFunction(L, "__index", (L) => {
    const key = bytesToText(lua.lua_tolstring(L, 2) ?? new Uint8Array());
    if (key === "status") {
      const r = requireRequest(rt, L);
      lua.lua_pushnumber(L, r.status);
      return 1;
    }
    if (key === "ctx") {
      const r = requireRequest(rt, L);
      if (r.ctxRef === null) {
        lua.lua_newtable(L);
        r.ctxRef = lauxlib.luaL_ref(L, lua.LUA_REGISTRYINDEX);
      }
      lua.lua_rawgeti(L, lua.LUA_REGISTRYINDEX, r.ctxRef);
      return 1;
    }
    if (key === "headers_sent") {
      const r = requireRequest(rt, L);
      lua.lua_pushboolean(L, r.isHeaderSent);
      return 1;
    }
    if (UNSUPPORTED_NGX_FIELDS.has(key)) {
      pushUnsupportedField(L, key);
      return 1;
    }
    return 0;
  });
  setFunction(L, "__newindex", (L) => {
    const key = bytesToText(lua.lua_tolstring(L, 2) ?? new Uint8Array());
    if (key === "status") {
      const r = requireRequest(rt, L);
      const status = lauxlib.luaL_checkinteger(L, 3);
      if (r.isHeaderSent) {
        logWithContext(
          rt,
          "error",
          "attempt to set ngx.status after sending out response headers",
        );
        return 0;
      }
      r.status = status;
      return 0;
    }
    if (key === "ctx") {
      const r = requireRequest(rt, L);
      lauxlib.luaL_checktype(L, 3, lua.LUA_TTABLE);
      lua.lua_pushvalue(L, 3);
      if (r.ctxRef !== null) lauxlib.luaL_unref(L, lua.LUA_REGISTRYINDEX, r.ctxRef);
      r.ctxRef = lauxlib.luaL_ref(L, lua.LUA_REGISTRYINDEX);
      return 0;
    }
    lua.lua_rawset(L, 1);
    return 0;
  });
  lua.lua_setmetatable(L, -2);
}

/** Fills the `ngx` table at the stack top with the core API. */
export function installCore(rt: NgxRuntime, L: LuaState): void {
  setConstants(L);
  installLog(rt, L);
  installControl(rt, L);
  installRequestFields(rt, L);
}
