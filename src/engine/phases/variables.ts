/**
 * nginx variables as seen by `set`, `echo`, `return` and ngx.var: the
 * built-in ones computed from the request, and the ones that `set` and
 * set_by_lua declare. Every value is a string.
 */
import type { MapConfig } from "../config/types";
import type { HttpRequest } from "./httpRequest";
import { formatLocalTime } from "../lua/ngx/ngxTime";

/** What variable lookups need besides the request. */
export interface VariableScope {
  pid: number;
  /** Virtual wall-clock ms since the epoch at this moment. */
  nowMs: number;
  /** Names declared by `set` or set_by_lua anywhere in the config. */
  declared: ReadonlySet<string>;
  /** `map` blocks by the name of the variable each defines. */
  maps?: ReadonlyMap<string, MapConfig>;
}

/**
 * Evaluates a map variable as ngx_http_map_variable does, on every read:
 * an exact key, else the first regex that matches (its captures usable in
 * the value), else the default.
 */
function mapValue(map: MapConfig, r: HttpRequest, scope: VariableScope): string {
  const source = interpolate(map.source, r, scope);
  const exact = map.exact.get(source);
  if (exact !== undefined) return interpolate(exact, r, scope);
  for (const { regex, value } of map.regexes) {
    const match = regex.exec(source);
    if (match) return interpolate(value, r, scope, match.map((part) => part ?? ""));
  }
  return interpolate(map.defaultValue, r, scope);
}

/** Stored for a variable set to nil through ngx.var. */
const NOT_FOUND = "\u0000not found";

/** Built-ins that a handler may assign (others are read-only). */
const WRITABLE_BUILTINS = new Set(["args", "limit_rate", "query_string"]);

/**
 * True when the request has arguments, even empty ones (`/t?`). nginx's
 * $args is "not found" (nil in Lua) only when there is no `?` at all.
 */
function hasQueryMark(r: HttpRequest): boolean {
  return !r.parent && !r.isInternal && r.requestUri.includes("?");
}

function builtin(r: HttpRequest, name: string, scope: VariableScope): string | null {
  const hostHeader = r.header("host") ?? "localhost";
  switch (name) {
    case "uri":
    case "document_uri":
      return r.uri;
    case "request_uri":
      return r.requestUri;
    case "upstream_addr":
      return r.upstream?.addr ?? null;
    case "proxy_host":
      return r.upstream?.proxyHost ?? null;
    case "proxy_port":
      return r.upstream?.proxyPort ?? null;
    case "upstream_status":
      return r.upstreamStatus;
    case "args":
    case "query_string":
      return r.args !== "" || hasQueryMark(r) ? r.args : null;
    case "is_args":
      return r.args ? "?" : "";
    case "request_method":
      return r.method;
    case "host":
      return hostHeader.replace(/:\d+$/, "").toLowerCase();
    case "hostname":
      return "localhost";
    case "remote_addr":
    case "server_addr":
      return "127.0.0.1";
    case "remote_port":
      return "40000";
    case "server_port":
      return String(r.server.listen[0]?.port ?? 80);
    case "server_name":
      return r.server.serverNames[0] ?? "";
    case "server_protocol":
      return r.isHttp10 ? "HTTP/1.0" : "HTTP/1.1";
    case "scheme":
      return "http";
    case "request":
      return `${r.method} ${r.requestUri} HTTP/${r.isHttp10 ? "1.0" : "1.1"}`;
    case "status":
      return String(r.wire.status ?? 0).padStart(3, "0");
    case "body_bytes_sent":
      return String(r.wire.bodyBytesSent);
    case "content_length":
      return r.header("content-length") ?? (r.body !== null ? String(r.body.length) : null);
    case "content_type":
      return r.header("content-type") ?? null;
    case "request_body":
      return r.bodyRead && r.body ? r.body : null;
    case "nginx_version":
      return "1.27.1";
    case "pid":
      return String(scope.pid);
    case "msec":
      return (scope.nowMs / 1000).toFixed(3);
    case "time_local":
      return formatLocalTime(scope.nowMs);
    case "connection":
      return String(r.connection);
    case "connection_requests":
      return "1";
    case "request_time":
      return "0.000";
  }
  return null;
}

function prefixed(r: HttpRequest, name: string): string | null | undefined {
  if (name.startsWith("arg_")) {
    // nginx matches only `name=value` pairs; a bare `name` is skipped.
    const want = name.slice(4).toLowerCase();
    for (const part of r.args.split("&")) {
      const eq = part.indexOf("=");
      if (eq < 0) continue;
      if (part.slice(0, eq).toLowerCase() === want) return part.slice(eq + 1);
    }
    return null;
  }
  if (name.startsWith("http_")) {
    const header = name.slice(5).replace(/_/g, "-");
    return r.header(header) ?? null;
  }
  if (name.startsWith("cookie_")) {
    const cookies = r.header("cookie") ?? "";
    const want = name.slice(7);
    for (const part of cookies.split(/;\s*/)) {
      const eq = part.indexOf("=");
      if (eq > 0 && part.slice(0, eq) === want) return part.slice(eq + 1);
    }
    return null;
  }
  return undefined;
}

/** Reads a variable; null when it does not exist or has no value. */
export function readVariable(
  r: HttpRequest,
  name: string,
  scope: VariableScope,
): string | null {
  const lower = name.toLowerCase();
  const assigned = r.variables.get(lower);
  if (assigned === NOT_FOUND) return null;
  if (assigned !== undefined) return assigned;
  const named = r.namedCaptures[name];
  if (named !== undefined) return named;
  const map = scope.maps?.get(lower);
  if (map) return mapValue(map, r, scope);
  if (scope.declared.has(lower)) return "";
  const prefixedValue = prefixed(r, lower);
  if (prefixedValue !== undefined) return prefixedValue;
  return builtin(r, lower, scope);
}

/** Writes a variable; returns lua-nginx-module's error text on failure. */
export function writeVariable(
  r: HttpRequest,
  name: string,
  value: string | null,
  scope: VariableScope,
): string | null {
  const lower = name.toLowerCase();
  if (scope.declared.has(lower)) {
    // Assigning nil marks the variable "not found", so reads give nil.
    if (value === null) r.variables.set(lower, NOT_FOUND);
    else r.variables.set(lower, value);
    return null;
  }
  if (WRITABLE_BUILTINS.has(lower)) {
    if (lower === "args" || lower === "query_string") r.args = value ?? "";
    return null;
  }
  if (builtin(r, lower, scope) !== null || prefixed(r, lower) !== undefined) {
    return `variable "${name}" not changeable`;
  }
  return (
    `variable "${name}" not found for writing; maybe it is a built-in ` +
    `variable that is not changeable or you forgot to use "set $${name} '';" ` +
    "in the config file to define it first"
  );
}

/** Replaces `$name` and `${name}` in a config value with their values. */
export function interpolate(
  template: string,
  r: HttpRequest,
  scope: VariableScope,
  captures: string[] = [],
): string {
  return template.replace(
    /\$(?:\{(\w+)\}|(\d)|(\w+))/g,
    (_, braced: string | undefined, digit: string | undefined, plain: string | undefined) => {
      if (digit !== undefined) return (captures.length ? captures : r.captures)[Number(digit)] ?? "";
      return readVariable(r, braced ?? plain ?? "", scope) ?? "";
    },
  );
}
