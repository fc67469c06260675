/**
 * A ready-made workspace that shows one point about OpenResty. Its
 * explanation is shown on screen, so it must be true of real OpenResty.
 */
export interface Example {
  id: string;
  title: string;
  /** One paragraph, plain text, shown above the editor. */
  explanation: string;
  nginxConf: string;
  request: ExampleRequest;
  /** How many copies of the request are sent at once (1..16). */
  copies: number;
  /**
   * The real server whose recording of this example's corpus file
   * (corpus/example-<id>.t) matches the simulator in every block; absent
   * when some block differs. A unit test keeps it true.
   */
  verifiedAgainst?: string;
}

/** The server that scripts/diff-record runs, as `verifiedAgainst` names it. */
export const DEBIAN_NGINX = "nginx 1.22.1 + lua-nginx-module 0.10.23 (Debian 12)";

/** The request the composer starts with. */
export interface ExampleRequest {
  method: string;
  uri: string;
  /** `Name: value` lines. */
  headersText: string;
  body: string;
}

/** Wraps `server` lines in the main, events and http blocks every example
 * shares; `httpLines` go inside http before the server block. */
export function nginxConf(httpLines: string, serverLines: string): string {
  const indent = (text: string, spaces: number) =>
    text
      .trim()
      .split("\n")
      .map((line) => (line ? " ".repeat(spaces) + line : line))
      .join("\n");
  const http = httpLines.trim() ? indent(httpLines, 4) + "\n\n" : "";
  return [
    "worker_processes 1;",
    "error_log logs/error.log info;",
    "",
    "events {",
    "    worker_connections 1024;",
    "}",
    "",
    "http {",
    http + "    server {",
    "        listen 8080;",
    "        server_name localhost;",
    "",
    indent(serverLines, 8),
    "    }",
    "}",
    "",
  ].join("\n");
}

/** A GET of `uri` with no extra headers or body. */
export function getRequest(uri: string): ExampleRequest {
  return { method: "GET", uri, headersText: "", body: "" };
}
