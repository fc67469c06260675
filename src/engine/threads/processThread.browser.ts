/** A Web Worker entry for one nginx process of a real-threads run. */
import { ProcessThread } from "./processThread";
import { wallClockMs, type ToThread } from "./threadProtocol";

const thread = new ProcessThread((message) => self.postMessage(message), wallClockMs);
self.onmessage = (event: MessageEvent<ToThread>) => thread.handle(event.data);
self.postMessage({ type: "loaded" });
