// A worker_threads entry for one nginx process of a real-threads run.
// tsx's loader, registered here, lets it import the TypeScript engine.
import { parentPort } from "node:worker_threads";
import { register } from "tsx/esm/api";

register();
const { ProcessThread } = await import("./processThread.ts");
const { wallClockMs } = await import("./threadProtocol.ts");

const thread = new ProcessThread((message) => parentPort.postMessage(message), wallClockMs);
parentPort.on("message", (message) => thread.handle(message));
parentPort.postMessage({ type: "loaded" });
