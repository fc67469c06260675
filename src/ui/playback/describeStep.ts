/**
 * The one line of text that says what the playback cursor's event is:
 * who, what, where in the source and when, as in
 * `*2 yield (sleep 0.001 s) at content_by_lua(nginx.conf:18):4, 300.21 ms`.
 */
import type { TraceEvent } from "../../engine/trace/events";
import type { ResolvedSource } from "./eventSource";

function yieldText(event: TraceEvent & { kind: "yield" }, next?: TraceEvent): string {
  // The engine records the sleep's length on the event right after it.
  const isSleep =
    event.reason === "sleep" &&
    next?.kind === "sleep" &&
    next.pid === event.pid &&
    next.connection === event.connection;
  return isSleep ? `yield (sleep ${next.seconds} s)` : `yield (${event.reason})`;
}

function actionText(event: TraceEvent, next?: TraceEvent): string {
  switch (event.kind) {
    case "process-start":
      return `${event.process} starts`;
    case "process-exit":
      return `${event.process} exits with code ${event.code}`;
    case "signal":
      return `signal ${event.signal}`;
    case "request-start":
      return `request ${event.method} ${event.uri}`;
    case "request-end":
      return `request ends: ${event.status ?? "no status"}, ${event.outcome}`;
    case "phase-start":
      return `${event.phase} phase starts`;
    case "phase-end":
      return `${event.phase} phase ends (${event.result || "done"})`;
    case "yield":
      return yieldText(event, next);
    case "resume":
      return `resume (${event.phase})`;
    case "sleep":
      return `sleep ${event.seconds} s`;
    case "timer-scheduled":
      return `timer ${event.timerId} scheduled, delay ${event.delay} ms`;
    case "timer-fired":
      return `timer ${event.timerId} fires${event.premature ? " (premature)" : ""}`;
    case "thread-spawn":
      return `ngx.thread.spawn starts light thread ${event.child}`;
    case "thread-exit":
      return `light thread ${event.thread ?? "?"} ${event.outcome === "done" ? "finishes" : event.outcome === "error" ? "fails" : "is killed"}`;
    case "subrequest-start":
      return `subrequest ${event.subrequest ?? "?"} ${event.method} ${event.uri} starts`;
    case "subrequest-end":
      return `subrequest ${event.subrequest ?? "?"} ends with status ${event.status}`;
    case "shdict":
      return `${event.dict}:${event.op}(${event.key ?? ""}) -> ${event.result}`;
    case "var-set":
      return `$${event.name} = ${event.value === null ? "nil" : JSON.stringify(event.value)}`;
    case "ctx-snapshot":
      return `ngx.ctx after ${event.phase}: ${event.entries.length} field(s)`;
    case "race":
      return `${event.race} on ${event.resource}["${event.key}"]`;
    case "lua-table":
      return `${event.op} of module ${event.module}'s field ${event.field}`;
    case "cached-time-update":
      return `cached time set to ${event.cachedTime} ms (${event.cause})`;
    case "log":
      return `log [${event.level}] ${event.message}`;
    case "response-header":
      return `response header, status ${event.status}`;
    case "response-body":
      return `response body, ${event.bytes} bytes${event.isLast ? " (last)" : ""}`;
  }
}

function whereText(resolved: ResolvedSource | null): string {
  if (!resolved) return "";
  const { chunkName, line } = resolved.source;
  return resolved.isExact ? ` at ${chunkName}:${line}` : ` in ${chunkName}`;
}

/** Formats virtual ms with up to 4 decimals (0.1 microsecond). */
export function formatTime(ms: number): string {
  return `${Number(ms.toFixed(4))} ms`;
}

/**
 * Describes `event` in one line. `next` is the event after it in the
 * trace, and `resolved` its source position (see resolveSources).
 */
export function describeStep(
  event: TraceEvent,
  resolved: ResolvedSource | null,
  next?: TraceEvent,
): string {
  const who = event.connection === undefined ? `pid ${event.pid}` : `*${event.connection}`;
  const timer = event.timerId === undefined ? "" : ` timer ${event.timerId}`;
  return `${who}${timer} ${actionText(event, next)}${whereText(resolved)}, ${formatTime(event.time)}`;
}
