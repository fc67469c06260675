/**
 * The oracle's normalisation of log lines and bodies, so that simulator
 * output compares with golden records: ports as PORT / PORT_N, pointers as
 * 0xADDR and ADDR, pids in "process N" as PID, and nginx's own start/stop
 * chatter dropped.
 */
import { PLACEHOLDER_BASE_PORT } from "../config/values";
import type { ErrorLogEntry, RunResult, Scenario } from "../scenario";

/** The levels golden records keep; info and debug are left out. */
const KEPT_LEVELS = new Set([
  "stderr",
  "emerg",
  "alert",
  "crit",
  "error",
  "warn",
  "notice",
]);

/** nginx's process-lifecycle lines, which the oracle drops. */
const LIFECYCLE = [
  /^using the "\w+" event method$/,
  /^nginx\/\d/,
  /^built by /,
  /^built with /,
  /^OS: /,
  /^getrlimit\(/,
  /^start worker processes?$/,
  /^start worker process \d+$/,
  /^start privileged agent process \d+$/,
  /^start cache (manager|loader) process \d+$/,
  /^signal \d+ \(\w+\) received/,
  /^gracefully shutting down$/,
  /^exiting$/,
  /^exit$/,
  /^(worker|privileged agent|cache manager|cache loader) process \d+ exited with code 0$/,
  /^reopening logs$/,
  /^shutting down$/,
  /^exit \(\d+\)$/,
];

/** The master's lines about its children that count while requests run. */
const MASTER_KEEP =
  /^(start (worker|privileged agent|cache manager|cache loader) process \d+|(worker|privileged agent|cache manager|cache loader) process \d+ exited with code 0)$/;

/** Applies the oracle's text normalisation to a body or a log message. */
export function normalizeText(text: string): string {
  let out = text.replace(/0x[0-9a-f]{6,16}/g, "0xADDR");
  out = out.replace(/(?<=[A-Za-z]:)(?!0{16}\b)[0-9A-F]{16}\b/g, "ADDR");
  out = out.split(`127.0.0.1:${PLACEHOLDER_BASE_PORT}`).join("127.0.0.1:PORT");
  for (let offset = 1; offset <= 9; offset++) {
    out = out
      .split(`127.0.0.1:${PLACEHOLDER_BASE_PORT + offset}`)
      .join(`127.0.0.1:PORT_${offset}`);
  }
  return out;
}

/** The span of virtual time in which the master's child lines are kept. */
interface KeepWindow {
  masterPid: number;
  start: number;
  end: number;
}

/**
 * Finds the window the oracle uses for the master's lines about its
 * children: from the first request until the runner stops nginx.
 */
function keepWindow(result: RunResult, scenario: Scenario): KeepWindow | null {
  const master = result.trace.find(
    (event) => event.kind === "process-start" && event.process === "master",
  );
  const starts = result.trace.filter((event) => event.kind === "request-start");
  if (!master || starts.length === 0) return null;
  const ends = result.trace.filter((event) => event.kind === "request-end");
  const lastEnd = ends.length > 0 ? ends[ends.length - 1].time : starts[0].time;
  // The oracle's window ends when SIGQUIT reaches the master, after
  // `--- wait` or at a `quit` step; the engine records that signal.
  const quit = result.trace.find((event) => event.kind === "signal" && event.signal === "quit");
  return {
    masterPid: master.pid,
    start: starts[0].time,
    end: quit ? quit.time : lastEnd + scenario.waitAfter * 1000,
  };
}

function isKept(entry: ErrorLogEntry, window: KeepWindow | null): boolean {
  if (!KEPT_LEVELS.has(entry.level)) return false;
  if (!LIFECYCLE.some((pattern) => pattern.test(entry.message))) return true;
  return (
    window !== null &&
    entry.pid === window.masterPid &&
    entry.time >= window.start &&
    entry.time < window.end &&
    MASTER_KEEP.test(entry.message)
  );
}

/**
 * Turns error-log entries into golden lines (`[level] message`). Pass the
 * run's result to keep the master's child lines while requests ran; pass
 * null for start-up stderr, where the oracle keeps none of them.
 */
export function selectLogLines(
  entries: ErrorLogEntry[],
  result: RunResult | null,
  scenario: Scenario,
): string[] {
  const window = result ? keepWindow(result, scenario) : null;
  return entries
    .filter((entry) => isKept(entry, window))
    .map((entry) => {
      const message = entry.message.replace(/process \d+/g, "process PID");
      return `[${entry.level}] ${normalizeText(message)}`;
    });
}
