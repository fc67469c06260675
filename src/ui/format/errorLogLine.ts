/**
 * Formats error-log entries the way nginx writes them to error.log:
 * `2026/01/01 12:00:00 [notice] 1001#1001: *1 message, client: ...`.
 */
import type { ErrorLogEntry } from "../../engine/scenario";

const pad = (value: number) => String(value).padStart(2, "0");

/** Formats an epoch time in ms as nginx's `YYYY/MM/DD hh:mm:ss`, in UTC. */
export function formatLogTime(epochMs: number): string {
  const date = new Date(epochMs);
  const day = [date.getUTCFullYear(), pad(date.getUTCMonth() + 1), pad(date.getUTCDate())];
  const time = [date.getUTCHours(), date.getUTCMinutes(), date.getUTCSeconds()];
  return `${day.join("/")} ${time.map(pad).join(":")}`;
}

/**
 * Formats one entry. `startTimeMs` is the scenario's virtual wall-clock
 * start; the entry's `time` counts virtual ms from there. nginx prints the
 * pid twice (pid#tid) because its workers have one thread each.
 */
export function formatErrorLogLine(entry: ErrorLogEntry, startTimeMs: number): string {
  const time = formatLogTime(startTimeMs + entry.time);
  const connection = entry.connection === null ? "" : `*${entry.connection} `;
  const prefix = `${time} [${entry.level}] ${entry.pid}#${entry.pid}: `;
  return `${prefix}${connection}${entry.message}${entry.trailer}`;
}
