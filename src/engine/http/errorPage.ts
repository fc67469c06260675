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

/** Returns nginx's built-in HTML page for an error or redirect status. */
export function defaultErrorPage(status: number): string {
  const reason = reasonPhrase(status);
  const title = reason ? `${status} ${reason}` : `${status}`;
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
