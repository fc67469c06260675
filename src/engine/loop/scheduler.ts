/**
 * The simulation's event queue in virtual time. Every piece of work (a
 * request arriving, a sleep ending, a timer expiring) is a task with a due
 * time; tasks run in (time, sequence) order, so a run never depends on the
 * host's clock or on the order JavaScript happens to call things.
 */

import { RunCounters } from "./runCounters";

/** A unit of work the scheduler runs at or after its due time. */
export interface Task {
  /** Virtual ms when the task becomes runnable. */
  due: number;
  /** Tie-break: tasks due at the same time run in the order queued. */
  seq: number;
  run: () => void;
  label: string;
}

/** A binary min-heap of tasks ordered by (due, seq). */
export class Scheduler {
  private heap: Task[] = [];
  /** Due time of the task running now (virtual ms). */
  now = 0;

  /** `counters` numbers the tasks; processes in threads share one. */
  constructor(private readonly counters = new RunCounters()) {}

  /** Queues `run` to start at virtual time `due` (ms). */
  at(due: number, label: string, run: () => void): Task {
    const task: Task = { due, seq: this.counters.nextSeq(), run, label };
    this.heap.push(task);
    this.siftUp(this.heap.length - 1);
    return task;
  }

  /** The earliest task, without removing it. */
  peek(): Task | undefined {
    return this.heap[0];
  }

  /** Removes and returns the earliest task. */
  pop(): Task | undefined {
    const top = this.heap[0];
    if (top) this.now = top.due;
    const last = this.heap.pop();
    if (this.heap.length > 0 && last !== undefined) {
      this.heap[0] = last;
      this.siftDown(0);
    }
    return top;
  }

  get size(): number {
    return this.heap.length;
  }

  private isBefore(a: Task, b: Task): boolean {
    return a.due < b.due || (a.due === b.due && a.seq < b.seq);
  }

  private siftUp(index: number): void {
    let i = index;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.isBefore(this.heap[i], this.heap[parent])) break;
      [this.heap[i], this.heap[parent]] = [this.heap[parent], this.heap[i]];
      i = parent;
    }
  }

  private siftDown(index: number): void {
    let i = index;
    const n = this.heap.length;
    for (;;) {
      const left = 2 * i + 1;
      const right = left + 1;
      let smallest = i;
      if (left < n && this.isBefore(this.heap[left], this.heap[smallest])) {
        smallest = left;
      }
      if (right < n && this.isBefore(this.heap[right], this.heap[smallest])) {
        smallest = right;
      }
      if (smallest === i) break;
      [this.heap[i], this.heap[smallest]] = [this.heap[smallest], this.heap[i]];
      i = smallest;
    }
  }
}
