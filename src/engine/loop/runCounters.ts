/**
 * The counters every process of a run draws from: the scheduler's task
 * sequence (which breaks ties between tasks due at the same time), the
 * connection numbers and the jitter generator's state. They live in one
 * small buffer, so that processes in threads of their own can share them:
 * when the threads take turns, they draw the same numbers in the same
 * order as processes sharing one thread do.
 */

const SEQ = 0;
const CONNECTION = 1;
const JITTER = 2;
const SLOTS = 3;

export class RunCounters {
  private readonly slots: Uint32Array;

  /** Uses `buffer` (shared between threads) or a new private one. */
  constructor(readonly buffer: SharedArrayBuffer | ArrayBuffer = new ArrayBuffer(SLOTS * 4)) {
    this.slots = new Uint32Array(buffer);
  }

  /** Makes counters in a SharedArrayBuffer, for a run whose processes are threads. */
  static shared(): RunCounters {
    return new RunCounters(new SharedArrayBuffer(SLOTS * 4));
  }

  /** Returns the next task sequence number (0, 1, ...). */
  nextSeq(): number {
    return Atomics.add(this.slots, SEQ, 1);
  }

  /** Returns the next connection number (1, 2, ...). */
  nextConnection(): number {
    return Atomics.add(this.slots, CONNECTION, 1) + 1;
  }

  /** The jitter generator's state (0 before it is seeded). */
  get jitterState(): number {
    return Atomics.load(this.slots, JITTER);
  }

  set jitterState(value: number) {
    Atomics.store(this.slots, JITTER, value);
  }
}
