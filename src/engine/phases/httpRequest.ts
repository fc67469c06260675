/**
 * One HTTP request inside a worker: what the client sent, the variables
 * and Lua context it carries through the phases, and the response being
 * built. Its lifetime is the request's: ngx.var and ngx.ctx die with it.
 */
import type { Location, Server } from "../config/types";
import type { Wire } from "../http/wire";
import type { PhaseName } from "../trace/events";
import type { SubrequestCapture } from "./subrequest";

export interface OutHeader {
  name: string;
  value: string;
}

export class HttpRequest {
  /** The URI path, decoded, as $uri has it; rewrites change it. */
  uri: string;
  /** The query string without `?`, as $args has it. */
  args: string;
  /**
   * Variables created by `set` or assigned through ngx.var. A subrequest
   * made with share_all_vars uses its parent's map.
   */
  variables = new Map<string, string>();
  /** The client's address ($remote_addr). */
  readonly clientAddress = "127.0.0.1";
  /** Captures of the last regex match ($1..$9, ngx.var[1]). */
  captures: string[] = [];
  /** Named captures of the last regex match, which nginx makes variables. */
  namedCaptures: Record<string, string | undefined> = {};
  /** Registry reference of the ngx.ctx table, created on first use. */
  ctxRef: number | null = null;
  /** ngx.status: 0 until set or until the header is sent. */
  status = 0;
  /** Response headers set by ngx.header, in order. */
  headersOut: OutHeader[] = [];
  contentType: string | null = null;
  /** A special response without a page: nginx sends no Content-Type. */
  hasNoContentType = false;
  contentLength: number | null = null;
  location: Location | null = null;
  phase: PhaseName = "rewrite";
  /** Set once the request has gone through its log phase. */
  isFinalized = false;
  /** Virtual ms when the log phase ended (null until then). */
  endTime: number | null = null;
  /** True while a header filter's own error page is being sent. */
  isFilterFinalizing = false;
  /** Internal redirects so far (nginx allows 10). */
  redirects = 0;
  /** True once ngx.exec or an error_page redirected the request. */
  isInternal = false;
  /** The request that issued this subrequest; null for a main request. */
  parent: HttpRequest | null = null;
  /** The upstream proxy_pass sent this request to: `ip:port` and the URL, for $upstream_addr and logs. */
  upstream: { addr: string; url: string; proxyHost: string; proxyPort: string } | null = null;
  /** $upstream_status: the upstream's status, or 502/504 when it failed. */
  upstreamStatus: string | null = null;
  /** This subrequest's number within its main request; null for a main request. */
  subrequestNumber: number | null = null;
  /** Subrequests issued so far under this main request. */
  subrequestCount = 0;
  /** Where ngx.location.capture collects a subrequest's output. */
  capture: SubrequestCapture | null = null;
  /** True once an error_page redirect happened (no second one follows). */
  hasUsedErrorPage = false;
  /**
   * The status an error_page redirect imposes on the response (nginx's
   * err_status); null to let the new location choose.
   */
  errStatus: number | null = null;
  /** A named location (`@name`) that an error_page redirect goes to. */
  namedLocation: Location | null = null;
  hasEnteredContent = false;
  /** A status passed to ngx.exit inside header_filter_by_lua, if any. */
  headerFilterExit: number | null = null;
  /** Set once ngx.eof or the end of content sent the last buffer. */
  hasSentLast = false;
  /** Start time, virtual ms since the run began. */
  readonly startTime: number;
  bodyRead = false;
  /** Send `Connection: close` (after a quit, or by nginx's choice). */
  closeAfter = false;
  /** True for an HTTP/1.0 request (a cosocket's): no chunked framing. */
  isHttp10 = false;
  /**
   * Lua output held back by lua_http10_buffering until the response ends,
   * so that the header can carry a Content-Length; null when not held.
   */
  http10Body: Uint8Array[] | null = null;

  constructor(
    readonly connection: number,
    readonly requestIndex: number,
    /** Changes to GET when error_page redirects a request other than HEAD. */
    public method: string,
    readonly requestUri: string,
    readonly headers: Array<[string, string]>,
    readonly body: string | null,
    readonly server: Server,
    readonly wire: Wire,
    startTime: number,
  ) {
    const q = requestUri.indexOf("?");
    const path = q >= 0 ? requestUri.slice(0, q) : requestUri;
    const decoded = path.startsWith("/") && !/[\s\x00-\x1f]/.test(requestUri)
      ? decodePath(path)
      : null;
    // nginx responds with 400 to a request line it cannot parse or a path that
    // climbs above the root ("/%2e%2e/x").
    this.isBadRequest = decoded === null;
    this.uri = decoded ?? "/";
    this.args = q >= 0 ? requestUri.slice(q + 1) : "";
    this.startTime = startTime;
  }

  /** True when nginx rejects the request line itself with 400. */
  readonly isBadRequest: boolean;

  /** True once the response header went into the filter chain. */
  get isHeaderSent(): boolean {
    return this.wire.isHeaderQueued;
  }

  /** Returns a request header's value, by case-insensitive name. */
  header(name: string): string | undefined {
    const lower = name.toLowerCase();
    return this.headers.find(([n]) => n.toLowerCase() === lower)?.[1];
  }
}

/**
 * Normalises a request path as nginx does for $uri: %XX escapes decoded,
 * `//` merged, and `.` and `..` segments resolved; null when `..` would
 * climb above the root.
 */
export function decodePath(path: string): string | null {
  let decoded: string;
  try {
    decoded = decodeURIComponent(path);
  } catch {
    decoded = path;
  }
  const out: string[] = [];
  const segments = decoded.replace(/\/+/g, "/").split("/");
  for (let i = 0; i < segments.length; i++) {
    const segment = segments[i];
    const isLast = i === segments.length - 1;
    if (segment === ".") {
      if (isLast) out.push("");
    } else if (segment === "..") {
      if (out.length <= 1) return null;
      out.pop();
      if (isLast) out.push("");
    } else {
      out.push(segment);
    }
  }
  return out.join("/") || "/";
}
