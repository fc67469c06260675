/**
 * An nginx process's clocks. Each process has its own virtual clock (it is
 * busy until then), the CPU time it has used, and nginx's cached time:
 * what ngx.now() returns, refreshed only at an event loop iteration or by
 * ngx.update_time(), exactly as ngx_time_update() refreshes it.
 */
import type { ProcessKind, TimeCause } from "../trace/events";
import type { TraceRecorder } from "../trace/recorder";

export class NginxProcess {
  /** Virtual ms since the run started; the process is busy until then. */
  clock = 0;
  /** The cached time, in virtual ms since the run started. */
  cachedTime = 0;
  /** CPU time used so far, in ms (what os.clock() reports). */
  cpuTime = 0;

  constructor(
    readonly pid: number,
    readonly kind: ProcessKind,
    readonly workerId: number | null,
    private readonly trace: TraceRecorder,
    private readonly nsPerInstruction: number,
  ) {}

  /** Adds the CPU time of `instructions` Lua VM instructions. */
  charge(instructions: number): void {
    const ms = (instructions * this.nsPerInstruction) / 1e6;
    this.clock += ms;
    this.cpuTime += ms;
  }

  /**
   * Starts an event loop iteration for work due at `due`: the process
   * cannot start before it is free, and nginx refreshes its cached time.
   */
  beginIteration(due: number): void {
    this.clock = Math.max(this.clock, due);
    this.updateTime("event-loop");
  }

  /** Refreshes the cached time from the process's clock. */
  updateTime(cause: TimeCause): void {
    // nginx caches time with millisecond resolution.
    const now = Math.floor(this.clock);
    if (now === this.cachedTime && cause === "event-loop") return;
    this.cachedTime = now;
    this.trace.record({
      kind: "cached-time-update",
      time: this.clock,
      pid: this.pid,
      cachedTime: now,
      cause,
    });
  }
}
