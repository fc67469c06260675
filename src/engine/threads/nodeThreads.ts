/** Starts process threads as Node worker_threads, for the runner and the tests. */
import { Worker } from "node:worker_threads";
import type { FromThread, SpawnThread } from "./threadProtocol";

export const spawnNodeThread: SpawnThread = () => {
  const worker = new Worker(new URL("./processThread.node.mjs", import.meta.url));
  let handler: (message: FromThread) => void = () => {};
  worker.on("message", (message: FromThread) => handler(message));
  // A thread that crashes reports it like any other failure.
  worker.on("error", (error) => handler({ type: "failed", message: error.message }));
  return {
    post: (message) => worker.postMessage(message),
    onMessage: (next) => {
      handler = next;
    },
    terminate: () => void worker.terminate(),
  };
};
