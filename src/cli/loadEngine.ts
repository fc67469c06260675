/**
 * Loads the engine's runScenario lazily, so the runner still prints
 * records (each with a startup_error naming the cause) when the engine
 * module is missing or fails to load.
 */
import type { ScenarioRunner } from "../engine/testnginx/record";

/** The module that exports `runScenario(scenario): RunResult`. */
const ENGINE_MODULE = "../engine/run";

/**
 * Returns a runner that runs each process in a worker_threads thread:
 * taking turns ("lockstep") or in parallel ("threads").
 */
export async function loadThreadsRunner(mode: "lockstep" | "threads"): Promise<ScenarioRunner> {
  const { spawnNodeThread } = await import("../engine/threads/nodeThreads");
  if (mode === "lockstep") {
    const { runScenarioInLockstep } = await import("../engine/threads/lockstepRun");
    return (scenario) => runScenarioInLockstep({ ...scenario, runMode: mode }, spawnNodeThread);
  }
  const { runScenarioInThreads } = await import("../engine/threads/threadedRun");
  return (scenario) => runScenarioInThreads({ ...scenario, runMode: mode }, spawnNodeThread);
}

/**
 * Returns the engine's runScenario, or a runner that throws the load error
 * for every block.
 */
export async function loadScenarioRunner(): Promise<ScenarioRunner> {
  try {
    const engine = (await import(/* @vite-ignore */ ENGINE_MODULE)) as {
      runScenario?: ScenarioRunner;
    };
    const runScenario = engine.runScenario;
    if (typeof runScenario !== "function") {
      throw new Error("src/engine/run.ts does not export runScenario");
    }
    return runScenario;
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return () => {
      throw new Error(`the engine could not be loaded: ${reason}`);
    };
  }
}
