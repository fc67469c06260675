/**
 * The simulated client: which server block its requests reach, the
 * request line and headers curl would send, and its timing between steps.
 */
import type { HttpConfig, Server } from "./config/types";
import { PLACEHOLDER_BASE_PORT } from "./config/values";
import { Wire } from "./http/wire";
import { HttpRequest } from "./phases/httpRequest";
import type { RequestSpec, Scenario } from "./scenario";

/** How long after start-up the first request arrives (the oracle waits 0.3 s). */
export const STARTUP_WAIT_MS = 300;

/**
 * Virtual ms between a response and the client's next request. The
 * oracle starts a new curl process for each step, which takes at least
 * that long. So work the last request left behind (a 0-delay timer's
 * cosocket) finishes first, as it does there.
 */
export const CLIENT_TURNAROUND_MS = 1;

/**
 * Picks the server block a client request reaches. That is a block on
 * Test::Nginx's server port when one listens there, because the other
 * blocks are backends for cosockets. Otherwise it is a block on the first
 * port. The port's default server comes first.
 */
export function pickServer(http: HttpConfig): Server | null {
  const first = http.servers[0]?.listen[0]?.port;
  const hasTestPort = http.servers.some((s) =>
    s.listen.some((l) => l.port === PLACEHOLDER_BASE_PORT),
  );
  const port = hasTestPort ? PLACEHOLDER_BASE_PORT : first;
  const onPort = http.servers.filter((s) => s.listen.some((l) => l.port === port));
  const isDefault = (s: Server) =>
    s.listen.some((l) => l.port === port && l.isDefaultServer);
  return onPort.find(isDefault) ?? onPort[0] ?? http.servers[0] ?? null;
}

/**
 * Removes `.` and `..` segments from the raw path as curl does before
 * sending (RFC 3986 remove_dot_segments); escapes stay as typed.
 */
export function clientRequestUri(uri: string): string {
  const q = uri.indexOf("?");
  const path = q >= 0 ? uri.slice(0, q) : uri;
  const query = q >= 0 ? uri.slice(q) : "";
  const out: string[] = [];
  const segments = path.split("/");
  segments.forEach((segment, i) => {
    const isLast = i === segments.length - 1;
    if (segment === "." || segment === "..") {
      if (segment === ".." && out.length > 1) out.pop();
      if (isLast) out.push("");
    } else {
      out.push(segment);
    }
  });
  return (out.join("/") || "/") + query;
}

function clientHeaders(spec: RequestSpec, server: Server, scenario: Scenario): Array<[string, string]> {
  const port = server.listen[0]?.port ?? 80;
  const headers: Array<[string, string]> = [
    ["Host", `127.0.0.1:${port}`],
    ["User-Agent", scenario.clientUserAgent ?? "curl/7.88.1"],
    ["Accept", "*/*"],
  ];
  // As with curl -H, a header the user gives replaces a default of the
  // same name instead of being sent twice.
  for (const [name, value] of spec.headers) {
    const index = headers.findIndex(([n]) => n.toLowerCase() === name.toLowerCase());
    const isDefault = index >= 0 && index < 3;
    if (isDefault) headers[index] = [name, value];
    else headers.push([name, value]);
  }
  if (spec.body !== null) {
    const hasType = spec.headers.some(([n]) => n.toLowerCase() === "content-type");
    headers.push(["Content-Length", String(new TextEncoder().encode(spec.body).length)]);
    if (!hasType) headers.push(["Content-Type", "application/x-www-form-urlencoded"]);
  }
  return headers;
}

/** Builds a client request of a scenario step, as it arrives at `time`. */
export function newClientRequest(
  spec: RequestSpec,
  connection: number,
  requestIndex: number,
  server: Server,
  scenario: Scenario,
  time: number,
): HttpRequest {
  return new HttpRequest(
    connection,
    requestIndex,
    spec.method,
    clientRequestUri(spec.uri),
    clientHeaders(spec, server, scenario),
    spec.body,
    server,
    new Wire(connection),
    time,
  );
}
