/**
 * Parsers for directive argument values (sizes, times, listen addresses),
 * with nginx's rules: ngx_parse_size, ngx_parse_time and ngx_parse_url.
 */
import type { Listen, LogLevel } from "./types";

/** The port the oracle runner listens on; `PORT_N` in its records is this + N. */
export const PLACEHOLDER_BASE_PORT = 18080;

/**
 * Parses an nginx size such as `10m`, `12k` or `4096` into bytes, or
 * returns null when nginx's ngx_parse_size would reject it.
 */
export function parseSize(text: string): number | null {
  const match = /^(\d+)([kKmMgG]?)$/.exec(text);
  if (!match) return null;
  const scale: Record<string, number> = {
    "": 1,
    k: 1024,
    m: 1024 * 1024,
    g: 1024 * 1024 * 1024,
  };
  return Number(match[1]) * scale[match[2].toLowerCase()];
}

/**
 * Parses an nginx time such as `60s`, `1m 30s`, `500ms` or `75` (seconds
 * when no unit is given) into milliseconds, or returns null if invalid.
 */
export function parseTimeMs(text: string): number | null {
  const unitMs: Record<string, number> = {
    ms: 1,
    s: 1000,
    m: 60_000,
    h: 3_600_000,
    d: 86_400_000,
    w: 7 * 86_400_000,
    M: 30 * 86_400_000,
    y: 365 * 86_400_000,
  };
  const parts = text.trim().split(/\s+/);
  let total = 0;
  for (const part of parts) {
    const match = /^(\d+)(ms|s|m|h|d|w|M|y)?$/.exec(part);
    if (!match) return null;
    total += Number(match[1]) * unitMs[match[2] ?? "s"];
  }
  return total;
}

/**
 * Parses a port, accepting the oracle's `PORT` and `PORT_N` placeholders
 * (PLACEHOLDER_BASE_PORT and PLACEHOLDER_BASE_PORT + N), so a recorded
 * golden nginx.conf runs unchanged. Returns null for an invalid port.
 */
export function parsePort(text: string): number | null {
  if (text === "PORT") return PLACEHOLDER_BASE_PORT;
  const placeholder = /^PORT_([1-9])$/.exec(text);
  if (placeholder) return PLACEHOLDER_BASE_PORT + Number(placeholder[1]);
  if (!/^\d+$/.test(text)) return null;
  const port = Number(text);
  return port >= 1 && port <= 65535 ? port : null;
}

/**
 * Parses the address of a `listen` directive (`8080`, `127.0.0.1:8080`,
 * `*:80`, `localhost`, `[::1]:80`). Returns an nginx error message (the
 * part before `of the "listen" directive`) when the value is invalid.
 */
export function parseListenAddress(
  text: string,
): { address: string; port: number } | { error: string } {
  const bracketed = /^\[([0-9a-fA-F:.]+)\](?::(.+))?$/.exec(text);
  let host: string;
  let portText: string | undefined;
  if (bracketed) {
    host = bracketed[1];
    portText = bracketed[2];
  } else if (text.includes(":")) {
    const colon = text.lastIndexOf(":");
    host = text.slice(0, colon);
    portText = text.slice(colon + 1);
  } else if (parsePort(text) !== null || /^\d+$/.test(text)) {
    host = "*";
    portText = text;
  } else {
    host = text;
  }
  let port = 80;
  if (portText !== undefined) {
    const parsed = parsePort(portText);
    if (parsed === null) return { error: `invalid port in "${text}"` };
    port = parsed;
  }
  if (host === "" || host === "*") host = "0.0.0.0";
  if (host === "localhost") host = "127.0.0.1";
  return { address: host, port };
}

/** nginx's default `listen` when a server block has none (run as root). */
export const DEFAULT_LISTEN: Listen = {
  address: "0.0.0.0",
  port: 80,
  isDefaultServer: false,
};

/** nginx's error-log levels, from the least to the most severe. */
export const LOG_LEVELS: readonly LogLevel[] = [
  "debug",
  "info",
  "notice",
  "warn",
  "error",
  "crit",
  "alert",
  "emerg",
];
