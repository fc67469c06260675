/**
 * nginx's error log for one run: entries at or above the configured level,
 * in the order they were written, with the pieces a UI needs to print the
 * full nginx line (time, pid, connection, client trailer).
 */
import type { ErrorLogEntry, ErrorLogLevel } from "../scenario";
import type { SourcePosition } from "../trace/events";
import type { TraceRecorder } from "../trace/recorder";

const SEVERITY: Record<ErrorLogLevel, number> = {
  stderr: 0,
  emerg: 1,
  alert: 2,
  crit: 3,
  error: 4,
  warn: 5,
  notice: 6,
  info: 7,
  debug: 8,
};

/** What an entry is about, beyond its text. */
export interface LogOrigin {
  time: number;
  pid: number;
  /** The Lua line that wrote the entry (ngx.log, print), if any. */
  source?: SourcePosition;
  connection?: number | null;
  /** The subrequest that wrote it, numbered within its main request. */
  subrequest?: number | null;
  trailer?: string;
}

export class ErrorLog {
  readonly entries: ErrorLogEntry[] = [];
  readonly stderr: ErrorLogEntry[] = [];

  constructor(
    private readonly trace: TraceRecorder,
    private level: ErrorLogLevel = "error",
  ) {}

  /** Changes the threshold, as the `error_log` directive sets it. */
  setLevel(level: ErrorLogLevel): void {
    this.level = level;
  }

  /** True when a message at `level` would be written. */
  isEnabled(level: ErrorLogLevel): boolean {
    return SEVERITY[level] <= SEVERITY[this.level];
  }

  /** Writes an entry to the error log (or to stderr before it is open). */
  write(
    level: ErrorLogLevel,
    message: string,
    origin: LogOrigin,
    toStderr = false,
  ): void {
    if (!toStderr && !this.isEnabled(level)) return;
    const entry: ErrorLogEntry = {
      level,
      message,
      time: origin.time,
      pid: origin.pid,
      connection: origin.connection ?? null,
      trailer: origin.trailer ?? "",
    };
    (toStderr ? this.stderr : this.entries).push(entry);
    this.trace.record({
      kind: "log",
      time: origin.time,
      pid: origin.pid,
      connection: origin.connection ?? undefined,
      subrequest: origin.subrequest ?? undefined,
      level,
      message,
      source: origin.source,
    });
  }
}
