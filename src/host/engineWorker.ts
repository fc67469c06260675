/**
 * The Web Worker that hosts the engine. runScenario is synchronous and
 * user Lua may loop forever, so it runs here, off the page's thread, where
 * the page can terminate it. A real-threads run starts one more Web Worker
 * per nginx process from here; terminating this worker ends them too.
 */
import { runScenario } from "../engine/run";
import { runScenarioInLockstep } from "../engine/threads/lockstepRun";
import { runScenarioInThreads } from "../engine/threads/threadedRun";
import type { Scenario } from "../engine/scenario";
import { spawnBrowserThread } from "./browserThreads";
import type { RunOutcome, RunReplyMessage, RunRequestMessage } from "./protocol";

/** The message for a run with a thread per process on a page without SharedArrayBuffer. */
const NO_SHARED_MEMORY =
  "a thread per process needs SharedArrayBuffer, which this page does not have " +
  "(it is not cross-origin isolated); run the processes in one thread instead";

async function run(scenario: Scenario) {
  const mode = scenario.runMode ?? "deterministic";
  if (mode === "deterministic") return runScenario(scenario);
  if (typeof SharedArrayBuffer === "undefined") {
    throw Object.assign(new Error(NO_SHARED_MEMORY), { code: "THREADS_UNSUPPORTED" });
  }
  if (mode === "lockstep") return runScenarioInLockstep(scenario, spawnBrowserThread);
  return runScenarioInThreads(scenario, spawnBrowserThread);
}

async function runSafely(request: RunRequestMessage): Promise<RunOutcome> {
  try {
    return { ok: true, result: await run(request.scenario) };
  } catch (error) {
    const code =
      error instanceof Error && "code" in error
        ? String(error.code)
        : "ENGINE_ERROR";
    const message = error instanceof Error ? error.message : String(error);
    const text = code === "THREADS_UNSUPPORTED" ? message : `The engine failed: ${message}`;
    return { ok: false, error: { code, message: text } };
  }
}

self.onmessage = async (event: MessageEvent<RunRequestMessage>) => {
  const reply: RunReplyMessage = {
    runId: event.data.runId,
    outcome: await runSafely(event.data),
  };
  self.postMessage(reply);
};
