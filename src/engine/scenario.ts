/**
 * What the simulator takes in (a Scenario) and what one run gives back (a
 * RunResult). The UI, the headless runner and the tests all speak these
 * types; RunResult's response and log shapes follow the oracle's golden
 * records so that the two can be compared field by field.
 */
import type { TraceEvent } from "./trace/events";
import type { RaceFinding } from "./trace/raceDetector";

/** A request as a client sends it. */
export interface RequestSpec {
  method: string;
  /** Path with an optional query string, e.g. `/t?a=1`. */
  uri: string;
  /** Extra request headers in order, as `[name, value]`. */
  headers: Array<[string, string]>;
  body: string | null;
  /** How many copies are sent at once (1 = a single request). */
  parallel: number;
}

/** One step of a run, in order. Only requests exist in the first slice. */
export type Step =
  | { step: "request"; request: RequestSpec; background?: boolean }
  | { step: "sleep"; seconds: number }
  | { step: "reload" }
  | { step: "quit" }
  | { step: "kill-worker" };

export interface Scenario {
  /** The nginx.conf text. */
  nginxConf: string;
  /** How file names appear in messages: `nginx.conf` in the UI,
   * `$PREFIX/conf/nginx.conf` in the oracle-compatible runner. */
  confPath: string;
  /** Workspace files that `require` can load, keyed by path (`foo.lua`). */
  files: Record<string, string>;
  steps: Step[];
  /** Seconds to keep the event loop running after the last response. */
  waitAfter: number;
  /** Seconds after which an unanswered request counts as timed out. */
  requestTimeout: number;
  /** Seeds every choice the scheduler makes; same seed, same trace. */
  seed: number;
  /** Virtual wall-clock time at start, in ms since the Unix epoch. */
  startTimeMs: number;
  /** Cost model: virtual nanoseconds per Lua VM instruction. */
  nsPerInstruction: number;
  /** The User-Agent the simulated client sends (curl's by default). */
  clientUserAgent?: string;
  /**
   * End the run with `nginx -s quit` (pending timers fire with premature =
   * true), as the oracle's runner does. Off by default: nginx keeps running.
   */
  quitAtEnd?: boolean;
  /**
   * Largest random extra delay (virtual ms, drawn from `seed`) added to
   * each client arrival and each wake-up; 0 (the default) adds none.
   * Different seeds then explore different interleavings.
   */
  jitterMs?: number;
  /**
   * CPU cores the host reports (navigator.hardwareConcurrency in the page).
   * `worker_processes auto` starts this many workers, at most 16, and 2
   * when unset: the cores of the machine the oracle was recorded on.
   */
  cpuCount?: number;
  /**
   * "deterministic" (the default) runs every process in one thread in
   * virtual-time order. "lockstep" gives each worker and the privileged
   * agent a thread of its own, and they take turns in the same order, so
   * the trace is the same. "threads" runs those threads in parallel,
   * paced by the wall clock.
   */
  runMode?: RunMode;
  /** The master's policy for picking a connection's worker (round robin by default). */
  balancePolicy?: "round-robin" | "least-busy" | "client-hash";
}

/** A response as a client (curl) saw it; fields as in the golden records. */
export interface ResponseRecord {
  /** Index of the request in the order the requests were sent. */
  requestIndex: number;
  status: number | null;
  status_line: string | null;
  /** Lower-cased names; a repeated header becomes a list. */
  headers: Record<string, string | string[]>;
  /** The headers as sent: original case and order, Server and Date too. */
  rawHeaders?: Array<{ name: string; value: string }>;
  body: string;
  empty_reply: boolean;
  timed_out: boolean;
  curl_exit?: number;
  curl_error?: string;
  /** The connection id, which trace events of this request carry. */
  connection: number;
  /** The pid of the worker that served it. */
  pid: number | null;
}

export type ErrorLogLevel =
  | "stderr"
  | "emerg"
  | "alert"
  | "crit"
  | "error"
  | "warn"
  | "notice"
  | "info"
  | "debug";

/** One error-log entry. `message` has no timestamp, pid or client trailer. */
export interface ErrorLogEntry {
  level: ErrorLogLevel;
  message: string;
  /** Virtual time in ms since the run started. */
  time: number;
  pid: number;
  /** The connection number nginx prints as `*N`, when there is a request. */
  connection: number | null;
  /** The `, client: ..., server: ..., request: "..."` trailer, if any. */
  trailer: string;
}

export interface RunResult {
  /** null, or nginx's message when the configuration could not run. */
  startupError: string | null;
  startupStage: "test" | "start" | null;
  responses: ResponseRecord[];
  errorLog: ErrorLogEntry[];
  /** The lines nginx wrote to stderr while starting (init_by_lua's ngx.log). */
  stderr: ErrorLogEntry[];
  trace: TraceEvent[];
  /** Read-modify-write races on shared dict keys found in the trace. */
  races: RaceFinding[];
  /** Virtual time in ms when the run ended. */
  endTime: number;
  /** The run's scheduling mode; absent means deterministic. */
  runMode?: RunMode;
}

/** The ways a run can schedule its processes; see Scenario.runMode. */
export type RunMode = "deterministic" | "lockstep" | "threads";

/** The defaults a Scenario gets when a caller leaves a field out. */
export const SCENARIO_DEFAULTS = {
  confPath: "nginx.conf",
  files: {},
  waitAfter: 0.3,
  requestTimeout: 10,
  seed: 1,
  startTimeMs: Date.UTC(2026, 0, 1, 12, 0, 0),
  nsPerInstruction: 20,
} as const;
