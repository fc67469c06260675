/**
 * A mutex in one Int32 word of a SharedArrayBuffer, the counterpart of
 * nginx's ngx_shmtx_t over a shared zone. It is a futex-style lock with
 * three states (0 free, 1 locked, 2 locked with possible waiters), so an
 * uncontended lock and unlock each cost one atomic operation.
 *
 * Threads that may block (Web Workers, Node worker_threads, Node's main
 * thread) sleep in Atomics.wait. A browser's main thread may not call
 * Atomics.wait, so there the lock spins instead.
 */

const FREE = 0;
const LOCKED = 1;
const CONTENDED = 2;

/** Spins before sleeping, as ngx_shmtx_lock spins before sem_wait. */
const SPIN_TRIES = 64;

export class ShmMutex {
  private canWait = true;

  /**
   * @param words an Int32Array view over the shared buffer
   * @param index the index of the word that contains the lock state
   */
  constructor(
    private readonly words: Int32Array,
    private readonly index: number,
  ) {}

  lock(): void {
    const { words, index } = this;
    for (let i = 0; i < SPIN_TRIES; i++) {
      if (Atomics.compareExchange(words, index, FREE, LOCKED) === FREE) return;
    }
    // Mark the lock contended, so that unlock() wakes a sleeping thread.
    while (Atomics.exchange(words, index, CONTENDED) !== FREE) {
      this.sleep();
    }
  }

  unlock(): void {
    const { words, index } = this;
    if (Atomics.exchange(words, index, FREE) === CONTENDED) {
      Atomics.notify(words, index, 1);
    }
  }

  /** Runs `fn` while holding the lock. */
  hold<T>(fn: () => T): T {
    this.lock();
    try {
      return fn();
    } finally {
      this.unlock();
    }
  }

  private sleep(): void {
    if (!this.canWait) return;
    try {
      Atomics.wait(this.words, this.index, CONTENDED);
    } catch {
      // A browser's main thread throws here; fall back to spinning.
      this.canWait = false;
    }
  }
}
