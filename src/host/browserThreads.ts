/** Starts process threads as Web Workers, from inside the engine's worker. */
import type { FromThread, SpawnThread } from "../engine/threads/threadProtocol";

export const spawnBrowserThread: SpawnThread = () => {
  const worker = new Worker(new URL("../engine/threads/processThread.browser.ts", import.meta.url), {
    type: "module",
  });
  let handler: (message: FromThread) => void = () => {};
  worker.onmessage = (event: MessageEvent<FromThread>) => handler(event.data);
  // A thread that fails to load or crashes reports it like any other failure.
  worker.onerror = (event) => {
    event.preventDefault();
    handler({ type: "failed", message: event.message || "a process thread failed to load" });
  };
  return {
    post: (message) => worker.postMessage(message),
    onMessage: (next) => {
      handler = next;
    },
    terminate: () => worker.terminate(),
  };
};
