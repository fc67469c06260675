/**
 * nginx's output filter chains for one request: the header filter (with
 * header_filter_by_lua and add_header) builds the status line and headers;
 * the body filter (with body_filter_by_lua, once per chunk and once more at
 * the end) passes data to the write filter on the wire.
 */
import {
  closesConnection,
  defaultErrorPage,
  hasDefaultPage,
  hasNoBody,
  SERVER_SOFTWARE,
} from "../http/errorPage";
import { statusLine } from "../http/statusText";
import { utf8, type WireHeader } from "../http/wire";
import { formatHttpTime } from "../lua/ngx/ngxTime";
import type { Worker } from "../process/worker";
import { concatBytes } from "../lua/ngx/outputArgs";
import { callHandler } from "./luaHandler";
import type { HttpRequest } from "./httpRequest";
import { mainRequestOf } from "./subrequest";
import { interpolate } from "./variables";

/** Statuses add_header applies to without `always`. */
const ADD_HEADER_STATUSES = new Set([200, 201, 204, 206, 301, 302, 303, 304, 307, 308]);

/** Runs header_filter_by_lua; returns false when it failed. */
function runLuaHeaderFilter(w: Worker, r: HttpRequest): boolean {
  const code = r.location?.lua.header_filter;
  if (!code) return true;
  w.tracePhase(r, "header_filter", "start");
  const outcome = callHandler(w, code, {
    phase: "header_filter",
    request: r,
    logSuffix: "",
  });
  w.tracePhase(r, "header_filter", "end", outcome.kind);
  if (outcome.kind === "done") return true;
  const message =
    outcome.kind === "load-error"
      ? `failed to load inlined Lua code: ${outcome.message}`
      : outcome.kind === "aborted"
        ? outcome.reason
        : `failed to run header_filter_by_lua*: ${outcome.message}\n${outcome.traceback}`;
  w.logFor(r, "error", message);
  return false;
}

/** nginx's default `charset_types`: the types the charset filter marks. */
const CHARSET_TYPES = new Set([
  "text/html",
  "text/xml",
  "text/plain",
  "text/vnd.wap.wml",
  "application/javascript",
  "application/rss+xml",
]);

/** Adds `; charset=X` as nginx's charset filter does. */
function withCharset(type: string, r: HttpRequest): string {
  const charset = r.location?.charset;
  if (!charset || charset === "off" || type.includes(";")) return type;
  return CHARSET_TYPES.has(type.toLowerCase()) ? `${type}; charset=${charset}` : type;
}

function buildHeaders(w: Worker, r: HttpRequest, status: number): WireHeader[] {
  const headers: WireHeader[] = [
    { name: "Server", value: SERVER_SOFTWARE },
    { name: "Date", value: formatHttpTime(Math.floor(w.nowMs() / 1000)) },
  ];
  const type = withCharset(r.contentType ?? r.location?.defaultType ?? "text/plain", r);
  if (!hasNoBody(status) && !r.hasNoContentType) {
    headers.push({ name: "Content-Type", value: type });
  }
  if (r.contentLength !== null) {
    headers.push({ name: "Content-Length", value: String(r.contentLength) });
  } else if (!hasNoBody(status) && r.method !== "HEAD" && !r.isHttp10) {
    headers.push({ name: "Transfer-Encoding", value: "chunked" });
  }
  // An HTTP/1.0 body of unknown length ends when the connection closes.
  const isOpenEnded = r.isHttp10 && r.contentLength === null;
  const keepAlive = !r.closeAfter && !closesConnection(status) && !isOpenEnded;
  headers.push({ name: "Connection", value: keepAlive ? "keep-alive" : "close" });
  for (const h of r.headersOut) {
    if (h.name.toLowerCase() === "content-length") continue;
    headers.push({ name: h.name, value: h.value });
  }
  for (const add of r.location?.addHeaders ?? []) {
    if (!add.always && !ADD_HEADER_STATUSES.has(status)) continue;
    const value = interpolate(add.value, r, w.scope());
    if (value !== "") headers.push({ name: add.name, value });
  }
  return headers;
}

/**
 * lua_http10_buffering (on by default): Lua output to an HTTP/1.0 client
 * is held back, header included, until the response ends, so the header
 * can carry a Content-Length. Starts holding when it applies.
 */
function isHttp10Buffering(r: HttpRequest): boolean {
  if (r.http10Body !== null) return true;
  const lua = r.location?.lua;
  const hasLuaOutput = Boolean(lua?.rewrite || lua?.access || lua?.content);
  if (!r.isHttp10 || r.parent || r.contentLength !== null || !hasLuaOutput) {
    return false;
  }
  r.http10Body = [];
  return true;
}

/** Sends the response header through the header filters, once. */
export function sendHeader(w: Worker, r: HttpRequest): void {
  if (r.isHeaderSent || r.wire.state !== "open") return;
  if (isHttp10Buffering(r)) {
    // lua-nginx-module settles the status at the first output even while
    // it keeps the header back, so a later ngx.exit(201) keeps 200.
    if (r.status === 0) r.status = 200;
    return;
  }
  if (r.status === 0) r.status = 200;
  if (r.errStatus !== null) r.status = r.errStatus;
  r.headerFilterExit = null;
  if (!runLuaHeaderFilter(w, r)) {
    w.failRequest(r);
    return;
  }
  const exit = r.headerFilterExit as number | null;
  if (exit !== null && exit >= 200 && !r.isFilterFinalizing) {
    // ngx.exit(status) in header_filter_by_lua replaces the response with
    // nginx's page for that status, which goes through the filters again.
    r.isFilterFinalizing = true;
    sendSpecialResponse(w, r, exit);
    return;
  }
  const status = r.status;
  r.wire.queueHeader(status, statusLine(status), buildHeaders(w, r, status));
  w.trace.record({
    kind: "response-header",
    time: w.process.clock,
    pid: w.process.pid,
    connection: r.connection,
    status,
  });
}

/** Runs body_filter_by_lua on one chunk; null when the filter failed. */
function runLuaBodyFilter(
  w: Worker,
  r: HttpRequest,
  data: Uint8Array,
  eof: boolean,
): { data: Uint8Array; eof: boolean } | null {
  const code = r.location?.lua.body_filter;
  if (!code) return { data, eof };
  const ctx = {
    phase: "body_filter" as const,
    request: r,
    logSuffix: "",
    bodyFilter: { chunk: data, eof },
  };
  w.tracePhase(r, "body_filter", "start");
  const outcome = callHandler(w, code, ctx);
  w.tracePhase(r, "body_filter", "end", outcome.kind);
  if (outcome.kind !== "done") {
    const message =
      outcome.kind === "load-error"
        ? `failed to load inlined Lua code: ${outcome.message}`
        : outcome.kind === "aborted"
          ? outcome.reason
          : `failed to run body_filter_by_lua*: ${outcome.message}\n${outcome.traceback}`;
    w.logFor(r, "error", message);
    return null;
  }
  return { data: ctx.bodyFilter.chunk, eof: ctx.bodyFilter.eof };
}

/**
 * Sends body data through the body filters to the wire. Returns false
 * when a filter failed (NGX_ERROR): the data is dropped, and the caller
 * decides whether that ends the request, as nginx's handlers do.
 */
export function sendBody(
  w: Worker,
  r: HttpRequest,
  data: Uint8Array,
  flags: { flush?: boolean; last?: boolean },
): boolean {
  if (r.wire.state !== "open") return false;
  if (r.http10Body !== null && !r.isHeaderSent) {
    r.http10Body.push(data);
    if (!flags.last) return true;
    const body = concatBytes(r.http10Body);
    r.http10Body = null;
    r.contentLength = body.length;
    sendHeader(w, r);
    return sendBody(w, r, body, { last: true });
  }
  const filtered = runLuaBodyFilter(w, r, data, flags.last ?? false);
  if (filtered === null) return false;
  if (r.parent) {
    sendSubrequestBody(r, filtered.data, flags.last || filtered.eof);
    return true;
  }
  const isHead = r.method === "HEAD";
  r.wire.write(isHead ? new Uint8Array(0) : filtered.data, {
    flush: flags.flush,
    last: flags.last || filtered.eof,
  });
  w.trace.record({
    kind: "response-body",
    time: w.process.clock,
    pid: w.process.pid,
    connection: r.connection,
    bytes: filtered.data.length,
    isLast: Boolean(flags.last || filtered.eof),
  });
  return true;
}

/**
 * Passes a subrequest's filtered output on: into its capture buffer, or
 * (for echo_location) into the main response. The subrequest's last
 * buffer ends only the subrequest.
 */
function sendSubrequestBody(r: HttpRequest, data: Uint8Array, isLast: boolean) {
  if (r.capture) {
    if (data.length > 0) r.capture.chunks.push(data);
    if (isLast) r.capture.hasSeenLast = true;
  } else {
    const main = mainRequestOf(r);
    if (main.method !== "HEAD") main.wire.write(data, {});
  }
  r.wire.write(data, { last: isLast });
}

/**
 * Sends nginx's own response for a status (error page, redirect, or an
 * empty body), as ngx_http_special_response_handler does.
 */
export function sendSpecialResponse(w: Worker, r: HttpRequest, status: number): void {
  if (r.isHeaderSent) return;
  r.errStatus = null;
  r.http10Body = null;
  if (r.capture) {
    // lua-nginx-module's post-subrequest handler takes the status and
    // sends only the header, with no page and no last buffer.
    r.status = status;
    r.contentType = null;
    r.contentLength = 0;
    r.capture.isSpecialResponse = true;
    sendHeader(w, r);
    return;
  }
  r.status = status;
  r.headersOut = r.headersOut.filter((h) => h.name.toLowerCase() === "location");
  const hasPage = hasDefaultPage(status);
  const page = hasPage ? utf8(defaultErrorPage(status)) : new Uint8Array(0);
  r.contentType = hasPage ? "text/html" : null;
  // Without a page nginx sends no Content-Type at all.
  r.hasNoContentType = !hasPage;
  r.contentLength = hasPage ? page.length : 0;
  sendHeader(w, r);
  if (!r.isHeaderSent || r.wire.status !== status) return;
  r.hasSentLast = true;
  if (!sendBody(w, r, page, { last: true })) w.failRequest(r);
}
