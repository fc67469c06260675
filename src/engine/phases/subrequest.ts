/**
 * Subrequests: ngx.location.capture and echo_location run a URI through
 * the phases of its location inside the same worker and connection. A
 * captured subrequest's output is collected for the Lua caller; an
 * echo_location subrequest's output goes into the main response.
 */
import { lua, to_luastring } from "fengari";
import { Wire } from "../http/wire";
import type { Worker } from "../process/worker";
import { decodePath, HttpRequest } from "./httpRequest";
import type { Wait } from "./luaHandler";
import { runPhases } from "./pipeline";

type LuaState = unknown;

/** One subrequest as ngx.location.capture's options describe it. */
export interface SubrequestSpec {
  /** The URI, possibly with a `?query`. */
  uri: string;
  /** Extra query arguments, appended after the URI's own with `&`. */
  args: string;
  method: string;
  /** The request body; null inherits the parent's (see createSubrequest). */
  body: string | null;
  /** Registry reference of a table to use as the subrequest's ngx.ctx. */
  ctxRef: number | null;
  /** Variables to set in the subrequest before it runs. */
  vars: Array<[string, string]>;
  shareAllVars: boolean;
  copyAllVars: boolean;
}

/** The output a captured subrequest sent through its filters. */
export interface SubrequestCapture {
  chunks: Uint8Array[];
  /** True once the last buffer arrived: the response was not truncated. */
  hasSeenLast: boolean;
  /**
   * True when the subrequest ended with a status for which nginx sends its
   * own page. lua-nginx-module then captures only the status.
   */
  isSpecialResponse: boolean;
}

/** Returns a GET subrequest spec for `uri` with nothing else set. */
export function plainSubrequest(uri: string, args: string): SubrequestSpec {
  return {
    uri,
    args,
    method: "GET",
    body: null,
    ctxRef: null,
    vars: [],
    shareAllVars: false,
    copyAllVars: false,
  };
}

/**
 * Creates a subrequest of `parent`. It shares the parent's connection,
 * request line and headers. Its variables are fresh unless the spec
 * shares or copies them. As in ngx_http_lua_adjust_subrequest, a GET
 * subrequest of a request with a body gets no body.
 */
export function createSubrequest(
  w: Worker,
  parent: HttpRequest,
  spec: SubrequestSpec,
  isCaptured: boolean,
): HttpRequest {
  const hasParentBody = Number(parent.header("content-length") ?? 0) > 0;
  const inheritsBody =
    spec.method === "POST" || spec.method === "PUT" || !hasParentBody;
  const body = spec.body ?? (inheritsBody ? parent.body : null);
  const sr = new HttpRequest(
    parent.connection,
    parent.requestIndex,
    spec.method,
    parent.requestUri,
    subrequestHeaders(parent, spec.body),
    body,
    parent.server,
    new Wire(parent.connection),
    parent.startTime,
  );
  const q = spec.uri.indexOf("?");
  const path = q < 0 ? spec.uri : spec.uri.slice(0, q);
  const query = q < 0 ? "" : spec.uri.slice(q + 1);
  sr.uri = decodePath(path) ?? path;
  sr.args = [query, spec.args].filter((part) => part !== "").join("&");
  sr.parent = parent;
  const main = mainRequestOf(parent);
  sr.subrequestNumber = ++main.subrequestCount;
  sr.isInternal = true;
  sr.bodyRead = parent.bodyRead || spec.body !== null;
  sr.ctxRef = spec.ctxRef;
  if (spec.shareAllVars) sr.variables = parent.variables;
  else if (spec.copyAllVars) sr.variables = new Map(parent.variables);
  if (isCaptured) {
    sr.capture = { chunks: [], hasSeenLast: false, isSpecialResponse: false };
  }
  for (const [name, value] of spec.vars) {
    const error = w.setVariable(sr, name, value);
    if (error !== null) w.logFor(sr, "error", error);
  }
  return sr;
}

function subrequestHeaders(
  parent: HttpRequest,
  body: string | null,
): Array<[string, string]> {
  if (body === null) return [...parent.headers];
  const length = String(new TextEncoder().encode(body).length);
  const headers = parent.headers.filter(
    ([name]) => name.toLowerCase() !== "content-length",
  );
  return [...headers, ["Content-Length", length]];
}

/** Runs a subrequest through its location's phases (no log phase). */
export function* runSubrequest(
  w: Worker,
  sr: HttpRequest,
): Generator<Wait, void, void> {
  const span = {
    pid: w.process.pid,
    connection: sr.connection,
    subrequest: sr.subrequestNumber ?? undefined,
  };
  const uri = sr.args === "" ? sr.uri : `${sr.uri}?${sr.args}`;
  w.trace.record({ ...span, time: w.process.clock, kind: "subrequest-start", method: sr.method, uri });
  yield* runPhases(w, sr);
  sr.isFinalized = true;
  w.trace.record({ ...span, time: w.process.clock, kind: "subrequest-end", status: capturedStatus(sr) });
}

/** Returns the main request that a subrequest belongs to. */
export function mainRequestOf(r: HttpRequest): HttpRequest {
  let main = r;
  while (main.parent) main = main.parent;
  return main;
}

/**
 * Returns the status ngx.location.capture reports, by the rules of
 * ngx_http_lua_post_subrequest: the response status if one was set,
 * else 500 after a failure and 200 otherwise.
 */
function capturedStatus(sr: HttpRequest): number {
  if (sr.status !== 0) return sr.status;
  return sr.wire.state === "closed" ? 500 : 200;
}

/** Pushes the `{status, header, body, truncated}` table of a subrequest. */
export function pushCaptureResult(L: LuaState, sr: HttpRequest): void {
  const capture = sr.capture;
  lua.lua_createtable(L, 0, 4);
  lua.lua_pushinteger(L, capturedStatus(sr));
  lua.lua_setfield(L, -2, to_luastring("status"));
  lua.lua_pushboolean(L, !(capture?.hasSeenLast ?? false));
  lua.lua_setfield(L, -2, to_luastring("truncated"));
  lua.lua_pushstring(L, concatChunks(capture?.chunks ?? []));
  lua.lua_setfield(L, -2, to_luastring("body"));
  pushHeaderTable(L, sr);
  lua.lua_setfield(L, -2, to_luastring("header"));
}

function pushHeaderTable(L: LuaState, sr: HttpRequest): void {
  lua.lua_newtable(L);
  const values = new Map<string, string[]>();
  for (const { name, value } of sr.headersOut) {
    if (name.toLowerCase() === "content-length") continue;
    values.set(name, [...(values.get(name) ?? []), value]);
  }
  for (const [name, list] of values) {
    if (list.length === 1) {
      lua.lua_pushstring(L, to_luastring(list[0]));
    } else {
      lua.lua_createtable(L, list.length, 0);
      list.forEach((value, i) => {
        lua.lua_pushstring(L, to_luastring(value));
        lua.lua_rawseti(L, -2, i + 1);
      });
    }
    lua.lua_setfield(L, -2, to_luastring(name));
  }
  const isSpecial = sr.capture?.isSpecialResponse ?? false;
  const type = sr.contentType ?? sr.location?.defaultType ?? null;
  if (!isSpecial && sr.isHeaderSent && type !== null) {
    lua.lua_pushstring(L, to_luastring(type));
    lua.lua_setfield(L, -2, to_luastring("Content-Type"));
  }
  if (sr.contentLength !== null) {
    lua.lua_pushnumber(L, sr.contentLength);
    lua.lua_setfield(L, -2, to_luastring("Content-Length"));
  }
}

function concatChunks(chunks: Uint8Array[]): Uint8Array {
  const total = chunks.reduce((n, c) => n + c.length, 0);
  const out = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.length;
  }
  return out;
}
