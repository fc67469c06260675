/**
 * The Web Worker that hosts the engine. runScenario is synchronous and
 * user Lua may loop forever, so it runs here, off the page's thread, where
 * the page can terminate it.
 */
import { runScenario } from "../engine/run";
import type { RunOutcome, RunReplyMessage, RunRequestMessage } from "./protocol";

function runSafely(request: RunRequestMessage): RunOutcome {
  try {
    return { ok: true, result: runScenario(request.scenario) };
  } catch (error) {
    const code =
      error instanceof Error && "code" in error
        ? String(error.code)
        : "ENGINE_ERROR";
    const message = error instanceof Error ? error.message : String(error);
    return { ok: false, error: { code, message: `The engine failed: ${message}` } };
  }
}

self.onmessage = (event: MessageEvent<RunRequestMessage>) => {
  const reply: RunReplyMessage = {
    runId: event.data.runId,
    outcome: runSafely(event.data),
  };
  self.postMessage(reply);
};
