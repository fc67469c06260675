import { reasonPhrase } from "./statusText";

/** What the Server header and error pages name: the OpenResty release. */
export const SERVER_SOFTWARE = "openresty/1.27.1.2";

/**
 * Statuses after which nginx closes the connection instead of keeping it
 * alive (ngx_http_special_response_handler turns keepalive off for them).
 */
const CLOSING_STATUSES = new Set([400, 413, 414, 497, 495, 496, 500, 501]);

/** True when nginx answers this error status with `Connection: close`. */
export function closesConnection(status: number): boolean {
  return CLOSING_STATUSES.has(status);
}

/**
 * The statuses nginx has a built-in page for (ngx_http_error_pages); any
 * other special response goes out with an empty body.
 */
const PAGE_STATUSES = new Set([
  301, 302, 303, 307, 308,
  400, 401, 402, 403, 404, 405, 406, 408, 409, 410, 411, 412, 413, 414, 415, 416, 421, 429,
  494, 495, 496, 497, 498,
  500, 501, 502, 503, 504, 505, 507,
]);

/** Page titles that differ from the status line's reason phrase. */
const PAGE_TITLES: Record<number, string> = {
  302: "302 Found",
  494: "400 Request Header Or Cookie Too Large",
  495: "400 The SSL certificate error",
  496: "400 No required SSL certificate was sent",
  497: "400 The plain HTTP request was sent to HTTPS port",
  498: "404 Not Found",
};

/** True when nginx sends a built-in page for this status. */
export function hasDefaultPage(status: number): boolean {
  return PAGE_STATUSES.has(status);
}

/** Returns nginx's built-in HTML page for an error or redirect status. */
export function defaultErrorPage(status: number): string {
  const reason = reasonPhrase(status);
  const title = PAGE_TITLES[status] ?? (reason ? `${status} ${reason}` : `${status}`);
  return (
    `<html>\r\n<head><title>${title}</title></head>\r\n<body>\r\n` +
    `<center><h1>${title}</h1></center>\r\n` +
    `<hr><center>${SERVER_SOFTWARE}</center>\r\n</body>\r\n</html>\r\n`
  );
}

/** True for statuses nginx sends with no body at all. */
export function hasNoBody(status: number): boolean {
  return status === 204 || status === 304 || (status >= 100 && status < 200);
}
