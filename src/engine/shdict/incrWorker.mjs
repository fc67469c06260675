// Test worker: attaches to a shared dict's buffer and increments one key.
// tsx's loader, registered here, lets it import the TypeScript module.
import { parentPort, workerData } from "node:worker_threads";
import { register } from "tsx/esm/api";

register();
const { SharedDict } = await import("./sharedDict.ts");

const { buffer, size, key, count, start } = workerData;
const dict = new SharedDict("counters", size, () => 0, buffer);
const flag = new Int32Array(start);
// Report readiness, then wait for the start signal so that all workers
// run at once.
parentPort.postMessage({ ready: true });
Atomics.wait(flag, 0, 0);
let last = 0;
for (let i = 0; i < count; i++) {
  last = dict.incr(key, 1, 0).value ?? last;
}
parentPort.postMessage({ last });
