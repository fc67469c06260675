/**
 * The content handler of `proxy_pass`: forwards the request to one of this
 * nginx's own servers over the simulated network, as ngx_http_proxy_module
 * does with its defaults (HTTP/1.0, `Host: $proxy_host`,
 * `Connection: close`), and sends the upstream's status, headers and body
 * on through this request's filters.
 */
import type { ProxyPass } from "../config/types";
import { utf8 } from "../http/wire";
import { ByteQueue, type LoopbackStream } from "../lua/ngx/cosocket";
import { concatBytes } from "../lua/ngx/outputArgs";
import type { Worker } from "../process/worker";
import { sendBody, sendHeader } from "./filters";
import { decodePath, type HttpRequest } from "./httpRequest";
import type { Wait, Wakeup } from "./luaHandler";
import { finishOutput, finishWithStatus, type Next } from "./pipeline";
import { interpolate } from "./variables";

/** proxy_read_timeout's default, in ms. */
const READ_TIMEOUT_MS = 60_000;

/** Upstream headers the proxy module drops (proxy_hide_header's defaults and hop-by-hop ones). */
const HIDDEN_HEADERS = new Set([
  "date",
  "server",
  "x-pad",
  "x-accel-expires",
  "x-accel-redirect",
  "x-accel-limit-rate",
  "x-accel-buffering",
  "x-accel-charset",
  "connection",
  "keep-alive",
  "transfer-encoding",
]);

/**
 * The proxy module's own `proxy_set_header` defaults: they come after the
 * configured ones they do not replace, and an empty value sends nothing
 * (and keeps the client's header of that name from going through).
 */
const DEFAULT_SET_HEADERS: Array<[string, string]> = [
  ["Host", "$proxy_host"],
  ["Connection", "close"],
  ["Content-Length", "$proxy_internal_body_length"],
  ["Transfer-Encoding", ""],
  ["TE", ""],
  ["Keep-Alive", ""],
  ["Expect", ""],
  ["Upgrade", ""],
];

/** The destination of a proxied request: the upstream address and the URI to send. */
interface ProxyTarget {
  host: string;
  port: number;
  /** The upstream block the host names, if it names one. */
  upstream: string | null;
  /** `$proxy_host`: host, and the port unless it is 80. */
  proxyHost: string;
  uri: string;
}

/** Escapes a decoded URI as ngx_escape_uri(NGX_ESCAPE_URI) does. */
function escapeUri(uri: string): string {
  let out = "";
  for (const byte of utf8(uri)) {
    const isPlain = byte > 0x20 && byte < 0x7f && byte !== 0x23 && byte !== 0x25 && byte !== 0x3f;
    out += isPlain ? String.fromCharCode(byte) : `%${byte.toString(16).toUpperCase().padStart(2, "0")}`;
  }
  return out;
}

/** True while the request line's URI still matches r.uri and r.args. */
function isUnparsedUriValid(r: HttpRequest): boolean {
  if (r.parent || r.isInternal) return false;
  const q = r.requestUri.indexOf("?");
  const path = q < 0 ? r.requestUri : r.requestUri.slice(0, q);
  const args = q < 0 ? "" : r.requestUri.slice(q + 1);
  return (decodePath(path) ?? path) === r.uri && args === r.args;
}

/** Builds the request's own URI for the upstream, as ngx_http_proxy_create_request does. */
function ownUri(r: HttpRequest): string {
  if (isUnparsedUriValid(r)) return r.requestUri;
  return escapeUri(r.uri) + (r.args === "" ? "" : `?${r.args}`);
}

/** Resolves proxy_pass's URL for this request; null when it is not a usable URL. */
function targetOf(w: Worker, r: HttpRequest, proxy: ProxyPass, locationPattern: string): ProxyTarget | null {
  const url = proxy.hasVariables ? interpolate(proxy.url, r, w.scope()) : proxy.url;
  const m = /^http:\/\/(\[[^\]]+\]|[^:/?]+)(?::(\d+))?([/?].*)?$/i.exec(url);
  if (!m) return null;
  const upstream = w.http?.upstreams.has(m[1]) ? m[1] : null;
  const host = m[1] === "localhost" ? "127.0.0.1" : m[1];
  const port = m[2] === undefined ? 80 : Number(m[2]);
  const proxyHost = m[2] === undefined || port === 80 ? m[1] : `${m[1]}:${port}`;
  const urlUri = m[3] ?? "";
  let uri: string;
  if (urlUri === "") {
    uri = ownUri(r);
  } else if (proxy.hasVariables) {
    // With variables, the evaluated URI goes as it is.
    uri = urlUri.startsWith("?") ? `/${urlUri}` : urlUri;
  } else {
    // The part of the URI the location matched is replaced by the URL's URI.
    const rest = r.uri.startsWith(locationPattern) ? r.uri.slice(locationPattern.length) : r.uri;
    uri = urlUri + escapeUri(rest) + (r.args === "" ? "" : `?${r.args}`);
  }
  return { host, port, upstream, proxyHost, uri };
}

/** Smooth weighted round robin state of one upstream in one worker, as ngx_http_upstream_round_robin keeps it. */
const balancers = new WeakMap<Worker, Map<string, number[]>>();

/** fail_timeout's default: a peer that failed is skipped for this long (max_fails=1). */
const FAIL_TIMEOUT_MS = 10_000;

/** Until when (virtual ms) each `ip:port` of an upstream is skipped, per worker. */
const disabledPeers = new WeakMap<Worker, Map<string, number>>();

function disabledUntil(w: Worker): Map<string, number> {
  let byPeer = disabledPeers.get(w);
  if (!byPeer) disabledPeers.set(w, (byPeer = new Map()));
  return byPeer;
}

/**
 * Lists the peers to try for a request, in order: the one the weighted
 * round robin picks first, then the others (proxy_next_upstream tries
 * them after a connect error), then the backup servers.
 */
function peersFor(w: Worker, target: ProxyTarget): Array<{ host: string; port: number }> {
  if (target.upstream === null) return [{ host: target.host, port: target.port }];
  const servers = w.http?.upstreams.get(target.upstream) ?? [];
  const until = disabledUntil(w);
  const isLive = (s: { host: string; port: number }) => (until.get(`${s.host}:${s.port}`) ?? 0) <= w.process.clock;
  const primary = servers.filter((s) => !s.isBackup && !s.isDown && (servers.length === 1 || isLive(s)));
  const backup = servers.filter((s) => s.isBackup && !s.isDown);
  let byWorker = balancers.get(w);
  if (!byWorker) balancers.set(w, (byWorker = new Map()));
  const current = byWorker.get(target.upstream) ?? primary.map(() => 0);
  byWorker.set(target.upstream, current);
  const total = primary.reduce((sum, s) => sum + s.weight, 0);
  let best = -1;
  primary.forEach((server, i) => {
    current[i] += server.weight;
    if (best < 0 || current[i] > current[best]) best = i;
  });
  if (best >= 0) current[best] -= total;
  const ordered = best < 0 ? primary : [...primary.slice(best), ...primary.slice(0, best)];
  return [...ordered, ...backup].map((s) => ({ host: s.host, port: s.port }));
}

/** Builds the request the proxy sends upstream. */
function upstreamRequest(w: Worker, r: HttpRequest, proxy: ProxyPass, target: ProxyTarget): Uint8Array {
  const body = r.body === null ? null : utf8(r.body);
  const configured: Array<[string, string]> = proxy.setHeaders.map((h) => [h.name, h.value]);
  const names = new Set(configured.map(([name]) => name.toLowerCase()));
  const defaults = DEFAULT_SET_HEADERS.filter(([name]) => !names.has(name.toLowerCase()));
  const setHeaders = [...configured, ...defaults];
  for (const [name] of defaults) names.add(name.toLowerCase());
  const lines = [`${r.method} ${target.uri} HTTP/${proxy.httpVersion}`];
  for (const [name, template] of setHeaders) {
    const value =
      template === "$proxy_internal_body_length"
        ? body !== null && body.length > 0
          ? String(body.length)
          : ""
        : interpolate(template, r, w.scope());
    if (value !== "") lines.push(`${name}: ${value}`);
  }
  for (const [name, value] of r.headers) {
    if (!names.has(name.toLowerCase())) lines.push(`${name}: ${value}`);
  }
  const head = utf8(`${lines.join("\r\n")}\r\n\r\n`);
  if (body === null || body.length === 0) return head;
  const out = new Uint8Array(head.length + body.length);
  out.set(head);
  out.set(body, head.length);
  return out;
}

/** An upstream response, parsed; null when its header is not complete or valid. */
interface UpstreamResponse {
  status: number;
  headers: Array<[string, string]>;
  body: Uint8Array;
  /** False when the upstream closed before the body's Content-Length arrived. */
  isComplete: boolean;
}

function decodeChunked(bytes: Uint8Array): { body: Uint8Array; isComplete: boolean } {
  const parts: Uint8Array[] = [];
  let offset = 0;
  const text = new TextDecoder("latin1");
  for (;;) {
    const lineEnd = bytes.indexOf(0x0a, offset);
    if (lineEnd < 0) break;
    const size = parseInt(text.decode(bytes.subarray(offset, lineEnd)).trim(), 16);
    if (!Number.isFinite(size)) break;
    if (size === 0) return { body: concatBytes(parts), isComplete: true };
    parts.push(bytes.subarray(lineEnd + 1, lineEnd + 1 + size));
    offset = lineEnd + 1 + size + 2;
  }
  return { body: concatBytes(parts), isComplete: false };
}

function parseResponse(bytes: Uint8Array, isHead: boolean): UpstreamResponse | null {
  let end = -1;
  for (let i = 0; i + 3 < bytes.length; i++) {
    if (bytes[i] === 13 && bytes[i + 1] === 10 && bytes[i + 2] === 13 && bytes[i + 3] === 10) {
      end = i;
      break;
    }
  }
  if (end < 0) return null;

  const [statusLine, ...lines] = new TextDecoder("latin1").decode(bytes.subarray(0, end)).split("\r\n");
  const m = /^HTTP\/\d\.\d (\d{3})/.exec(statusLine ?? "");
  if (!m) return null;
  const headers: Array<[string, string]> = [];
  for (const line of lines) {
    const colon = line.indexOf(":");
    if (colon > 0) headers.push([line.slice(0, colon).trim(), line.slice(colon + 1).trim()]);
  }
  const header = (name: string) => headers.find(([n]) => n.toLowerCase() === name)?.[1];

  const rest = bytes.subarray(end + 4);
  const status = Number(m[1]);
  if (isHead || status === 204 || status === 304) {
    return { status, headers, body: new Uint8Array(0), isComplete: true };
  }
  if (header("transfer-encoding")?.toLowerCase() === "chunked") {
    return { status, headers, ...decodeChunked(rest) };
  }
  const length = header("content-length");
  if (length !== undefined) {
    const n = Number(length);
    return { status, headers, body: rest.subarray(0, n), isComplete: rest.length >= n };
  }
  return { status, headers, body: rest, isComplete: true };
}

/** Copies the upstream's status and headers onto the client's response. */
function applyHeaders(r: HttpRequest, response: UpstreamResponse): void {
  r.status = response.status;
  for (const [name, value] of response.headers) {
    const lower = name.toLowerCase();
    if (HIDDEN_HEADERS.has(lower)) continue;
    if (lower === "content-type") r.contentType = value;
    else if (lower === "content-length") r.contentLength = Number(value);
    else r.headersOut.push({ name, value });
  }
}

/** Logs an upstream failure as nginx does, and ends the request with `status`. */
function fail(w: Worker, r: HttpRequest, status: number, message: string): Next {
  r.upstreamStatus = String(status === 504 ? 504 : 502);
  w.logFor(r, "error", message);
  return finishWithStatus(w, r, status);
}

/** Runs proxy_pass for a request; returns what the content phase does next. */
export function* runProxyPass(
  w: Worker,
  r: HttpRequest,
  proxy: ProxyPass,
  locationPattern: string,
): Generator<Wait, Next, void> {
  const target = targetOf(w, r, proxy, locationPattern);
  if (!target) return fail(w, r, 500, `invalid URL prefix in "${proxy.url}"`);
  let stream: LoopbackStream | null = null;
  const peers = peersFor(w, target);
  for (const [i, peer] of peers.entries()) {
    r.upstream = {
      addr: `${peer.host}:${peer.port}`,
      url: `http://${peer.host}:${peer.port}${target.uri}`,
      proxyHost: target.proxyHost,
      proxyPort: String(target.port),
    };
    stream = w.network?.connect(peer.host, peer.port, w.process.clock) ?? null;
    if (stream) break;
    const message = "connect() failed (111: Connection refused) while connecting to upstream";
    if (i === peers.length - 1) return fail(w, r, 502, message);
    w.logFor(r, "error", message);
    // With max_fails=1 the peer sits out fail_timeout (a lone peer never does).
    disabledUntil(w).set(r.upstream.addr, w.process.clock + FAIL_TIMEOUT_MS);
    w.logFor(r, "warn", "upstream server temporarily disabled while connecting to upstream");
  }
  if (!stream) return fail(w, r, 502, "no live upstreams while connecting to upstream");
  const inbox = new ByteQueue();
  const wakeup: Wakeup = { notify: null };
  stream.onReadable = (at) => wakeup.notify?.(at);
  stream.send(upstreamRequest(w, r, proxy, target), w.process.clock);
  const deadline = w.process.clock + READ_TIMEOUT_MS;
  for (;;) {
    inbox.push(stream.inbox.take());
    if (stream.isEof) break;
    const remaining = deadline - w.process.clock;
    if (remaining <= 0) {
      stream.close(w.process.clock);
      return fail(w, r, 504, "upstream timed out (110: Connection timed out) while reading response header from upstream");
    }
    yield { kind: "sleep", ms: remaining, wakeup };
  }
  stream.close(w.process.clock);
  const response = parseResponse(inbox.take(), r.method === "HEAD");
  if (!response) {
    return fail(w, r, 502, "upstream prematurely closed connection while reading response header from upstream");
  }
  r.upstreamStatus = String(response.status);
  applyHeaders(r, response);
  sendHeader(w, r);
  if (response.body.length > 0 && !sendBody(w, r, response.body, {})) {
    w.failRequest(r);
    return "stop";
  }
  if (!response.isComplete) {
    w.logFor(r, "error", "upstream prematurely closed connection while reading upstream");
    w.failRequest(r);
    return "stop";
  }
  finishOutput(w, r);
  return "stop";
}
