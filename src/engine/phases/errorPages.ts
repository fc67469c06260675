/**
 * The `error_page` directive: when nginx would send its own page for a
 * status, an error_page for that status redirects the request instead,
 * as ngx_http_special_response_handler and ngx_http_send_error_page do
 * (nginx 1.27, recursive_error_pages off).
 */
import type { ErrorPage } from "../config/types";
import type { Worker } from "../process/worker";
import { findNamedLocation } from "./findLocation";
import type { HttpRequest } from "./httpRequest";
import { interpolate } from "./variables";

const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);

/**
 * Applies the location's error_page for `status`, if any. Returns
 * "restart" after an internal redirect to a URI or a named location.
 * Otherwise returns the status whose page nginx sends: a redirect code,
 * with a Location header set, when the error_page names a URL.
 */
export function applyErrorPage(
  w: Worker,
  r: HttpRequest,
  status: number,
): "restart" | number {
  // Captured subrequests report the status to Lua before any error page.
  if (r.hasUsedErrorPage || r.capture || r.isHeaderSent) return status;
  const page = r.location?.errorPages.find((p) => p.codes.includes(status));
  if (!page) return status;
  r.hasUsedErrorPage = true;
  const target = interpolate(page.uri, r, w.scope());
  if (target.startsWith("/") || target.startsWith("@")) {
    imposeStatus(r, page, status);
    if (r.method !== "HEAD") r.method = "GET";
    r.isInternal = true;
    r.ctxRef = null;
    if (target.startsWith("@")) {
      const named = findNamedLocation(r.server, target);
      if (!named) return status;
      r.namedLocation = named;
      return "restart";
    }
    const q = target.indexOf("?");
    r.uri = q < 0 ? target : target.slice(0, q);
    r.args = q < 0 ? "" : target.slice(q + 1);
    return "restart";
  }
  const code =
    typeof page.overwrite === "number" &&
    REDIRECT_STATUSES.has(page.overwrite)
      ? page.overwrite
      : 302;
  r.headersOut = [{ name: "Location", value: target }];
  return code;
}

/**
 * Sets the status of the redirected request's response: the original
 * one, or `=CODE`. A bare `=` lets the new location choose, starting
 * from the original status as ngx.status shows it.
 */
function imposeStatus(r: HttpRequest, page: ErrorPage, status: number) {
  if (page.overwrite === "=") {
    r.status = status;
    r.errStatus = null;
  } else if (typeof page.overwrite === "number") {
    r.status = page.overwrite;
    r.errStatus = page.overwrite;
  } else {
    r.status = status;
    r.errStatus = status;
  }
}
