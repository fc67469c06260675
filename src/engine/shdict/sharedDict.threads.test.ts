import { Worker } from "node:worker_threads";
import { describe, expect, it } from "vitest";
import { SharedDict } from "./sharedDict";

const SIZE = 64 * 1024;

interface RunningWorker {
  ready: Promise<void>;
  done: Promise<{ last: number }>;
}

function startWorker(workerData: object): RunningWorker {
  const url = new URL("./incrWorker.mjs", import.meta.url);
  const worker = new Worker(url, { workerData });
  let markReady = () => {};
  const ready = new Promise<void>((resolve) => (markReady = resolve));
  const done = new Promise<{ last: number }>((resolve, reject) => {
    worker.on("message", (message) => {
      if (message.ready) {
        markReady();
        return;
      }
      void worker.terminate();
      resolve(message);
    });
    worker.once("error", reject);
  });
  return { ready, done };
}

function release(start: SharedArrayBuffer): void {
  const flag = new Int32Array(start);
  Atomics.store(flag, 0, 1);
  Atomics.notify(flag, 0);
}

describe("shared dict across worker_threads", () => {
  it("keeps every incr of 4 threads on one key", async () => {
    const dict = new SharedDict("counters", SIZE, () => 0);
    dict.set("filler", { type: "number", value: 1 });
    const start = new SharedArrayBuffer(4);
    const count = 100000;
    const workers = [0, 1, 2, 3].map(() =>
      startWorker({ buffer: dict.buffer, size: SIZE, key: "hits", count, start }),
    );
    await Promise.all(workers.map((w) => w.ready));
    release(start);
    const results = await Promise.all(workers.map((w) => w.done));
    expect(dict.get("hits").value).toEqual({ type: "number", value: 4 * count });
    expect(Math.max(...results.map((r) => r.last))).toBe(4 * count);
    expect(dict.get("filler").value).toEqual({ type: "number", value: 1 });
  }, 60000);

  it("sees a value set by the creating thread", async () => {
    const dict = new SharedDict("counters", SIZE, () => 0);
    dict.set("hits", { type: "number", value: 100 });
    const start = new SharedArrayBuffer(4);
    release(start);
    const result = await startWorker({
      buffer: dict.buffer,
      size: SIZE,
      key: "hits",
      count: 5,
      start,
    }).done;
    expect(result.last).toBe(105);
  }, 60000);
});
