/**
 * Seeded timing noise. Real networks and timers never fire at exactly the
 * same moment twice; with jitter on, every client arrival and every wake-up
 * after a sleep or timer gets a small random delay drawn from the run's
 * seed, so different seeds give different interleavings and the same seed
 * always gives the same one.
 */
import { RunCounters } from "./runCounters";

export class Jitter {
  constructor(
    seed: number,
    /** The largest extra delay in virtual ms; 0 turns jitter off. */
    readonly maxMs: number,
    /** Holds the generator's state; processes in threads share one. */
    private readonly counters = new RunCounters(),
  ) {
    if (counters.jitterState !== 0) return;
    // splitmix32 scrambles small consecutive seeds into unrelated states.
    let z = (seed + 0x9e3779b9) >>> 0;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    counters.jitterState = (z ^ (z >>> 16)) >>> 0 || 0x9e3779b9;
  }

  /** Returns the next extra delay in [0, maxMs). */
  next(): number {
    if (this.maxMs <= 0) return 0;
    let x = this.counters.jitterState;
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    this.counters.jitterState = x >>> 0;
    return ((x >>> 0) / 4294967296) * this.maxMs;
  }
}
