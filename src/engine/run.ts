/**
 * Runs a Scenario on a simulated nginx and returns what a client and the
 * error log saw, with the trace of every step. Deterministic: the same
 * scenario gives the same result and trace.
 */
import { parseConfig } from "./config/parse";
import { ConfigError, type MainConfig } from "./config/types";
import { ErrorLog } from "./process/errorLog";
import type { RunResult, Scenario } from "./scenario";
import { driveHere, Simulation } from "./simulation";
import { TraceRecorder } from "./trace/recorder";

/** Builds the run's result when nginx did not start: the error and what was logged. */
export function failedStart(message: string, stage: "test" | "start", trace: TraceRecorder, log: ErrorLog): RunResult {
  return {
    startupError: message,
    startupStage: stage,
    responses: [],
    errorLog: log.entries,
    stderr: log.stderr,
    trace: trace.events,
    races: [],
    endTime: 0,
  };
}

/**
 * Parses the scenario's nginx.conf as `nginx -t` would. Returns the
 * config, or the failed run that reports its error.
 */
export function testConfig(
  scenario: Scenario,
  trace: TraceRecorder,
  errorLog: ErrorLog,
): MainConfig | RunResult {
  try {
    const config = parseConfig(scenario.nginxConf, scenario.confPath);
    errorLog.setLevel(config.errorLogLevel);
    return config;
  } catch (error) {
    if (error instanceof ConfigError) {
      const message =
        `nginx: [emerg] ${error.message}\n` +
        `nginx: configuration file ${scenario.confPath} test failed`;
      return failedStart(message, "test", trace, errorLog);
    }
    throw error;
  }
}

/** Runs a scenario to the end. */
export function runScenario(scenario: Scenario): RunResult {
  const trace = new TraceRecorder();
  const errorLog = new ErrorLog(trace, "info");
  const config = testConfig(scenario, trace, errorLog);
  if ("startupError" in config) return config;
  const sim = new Simulation(scenario, config, trace, errorLog);
  const initError = sim.start();
  if (initError) return failedStart(initError, "start", trace, errorLog);
  return sim.result(driveHere(sim));
}
