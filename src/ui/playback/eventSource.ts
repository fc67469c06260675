/**
 * Maps trace events to lines of nginx.conf and back. lua-nginx-module
 * names an inline chunk after the config line its code starts on, as in
 * `content_by_lua(nginx.conf:20)`, so chunk line 4 of that chunk is config
 * line 20 + 4 - 1 = 23.
 */
import type { SourcePosition, TraceEvent } from "../../engine/trace/events";

/** Where an event sits in the source, and whether the event said so itself. */
export interface ResolvedSource {
  source: SourcePosition;
  /**
   * false when the event carries no position and this is the start of the
   * phase handler it ran in (the engine records no line for it).
   */
  isExact: boolean;
}

const INLINE_CHUNK = /^[a-z_]+_by_lua\((.+):(\d+)\)$/;

/**
 * Returns the line of `confFile` that `source` points at, or null when
 * the chunk is a Lua file or comes from another config file. `confFile`
 * is compared by its last path component, as chunk names carry only that.
 */
export function configLineOf(source: SourcePosition, confFile: string): number | null {
  const match = INLINE_CHUNK.exec(source.chunkName);
  if (!match) return null;
  const baseName = confFile.slice(confFile.lastIndexOf("/") + 1);
  if (match[1] !== baseName) return null;
  return Number(match[2]) + source.line - 1;
}

function requestKey(event: TraceEvent): string {
  return `${event.pid} ${event.connection ?? "-"} ${event.timerId ?? "-"}`;
}

function innermostSource(open: ReadonlyArray<SourcePosition | null>): SourcePosition | null {
  for (let index = open.length - 1; index >= 0; index--) {
    const source = open[index];
    if (source) return source;
  }
  return null;
}

/**
 * Resolves the source of every event, indexed like the trace. An event
 * without its own position inherits the start of the innermost phase
 * still open in its process and request (or timer); otherwise it is null.
 */
export function resolveSources(trace: readonly TraceEvent[]): Array<ResolvedSource | null> {
  // Per request, the sources of the phases still open; null for a phase
  // that runs no Lua (header_filter without a handler, for one).
  const openPhases = new Map<string, Array<SourcePosition | null>>();
  const resolved: Array<ResolvedSource | null> = [];
  for (const event of trace) {
    const key = requestKey(event);
    const open = openPhases.get(key) ?? [];
    if (event.kind === "phase-start") {
      open.push(event.source ?? null);
      openPhases.set(key, open);
    }
    const enclosing = innermostSource(open);
    if (event.source) resolved.push({ source: event.source, isExact: true });
    else if (enclosing) resolved.push({ source: enclosing, isExact: false });
    else resolved.push(null);
    if (event.kind === "phase-end") open.pop();
  }
  return resolved;
}

/**
 * Returns the index of the first event on `line` of `confFile`, preferring
 * events that carry that position themselves, or -1 if none is there.
 */
export function firstEventAtLine(
  sources: ReadonlyArray<ResolvedSource | null>,
  confFile: string,
  line: number,
): number {
  let inherited = -1;
  for (let index = 0; index < sources.length; index++) {
    const resolved = sources[index];
    if (!resolved || configLineOf(resolved.source, confFile) !== line) continue;
    if (resolved.isExact) return index;
    if (inherited < 0) inherited = index;
  }
  return inherited;
}
