import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { runScenario } from "../run";
import { SCENARIO_DEFAULTS, type Scenario, type Step } from "../scenario";
import { parseTestFile } from "../testnginx/parseTestFile";
import { blockToScenario } from "../testnginx/toScenario";
import { traceDigest } from "../trace/traceDigest";
import { runScenarioInLockstep } from "./lockstepRun";
import { spawnNodeThread } from "./nodeThreads";

/** Runs a scenario in one thread and with a thread per process, taking turns. */
async function bothWays(scenario: Scenario) {
  const oneThread = runScenario(scenario);
  const threads = await runScenarioInLockstep({ ...scenario, runMode: "lockstep" }, spawnNodeThread);
  return { oneThread, threads };
}

async function expectSameRun(scenario: Scenario) {
  const { oneThread, threads } = await bothWays(scenario);
  expect(threads.runMode).toBe("lockstep");
  expect(traceDigest(threads.trace)).toBe(traceDigest(oneThread.trace));
  expect(threads.responses).toEqual(oneThread.responses);
  expect(threads.errorLog).toEqual(oneThread.errorLog);
  expect(threads.races).toEqual(oneThread.races);
}

function corpusScenarios(file: string): Array<[string, Scenario]> {
  const text = readFileSync(new URL(`../../../corpus/${file}`, import.meta.url), "utf8");
  return parseTestFile(text).map((block) => [`${file} TEST ${block.test}`, blockToScenario(block)]);
}

const CORPUS = [
  "example-shdict-atomic.t",
  "example-privileged-agent.t",
  "lesson-reload.t",
  "lesson-timers.t",
  "lesson-thread.t",
];

function get(uri: string, parallel = 1): Step {
  return { step: "request", request: { method: "GET", uri, headers: [], body: null, parallel } };
}

describe("lockstep run with a thread per process", () => {
  for (const [name, scenario] of CORPUS.flatMap(corpusScenarios)) {
    it(`gives the one-thread trace: ${name}`, async () => {
      await expectSameRun(scenario);
    }, 60000);
  }

  it("gives the one-thread trace across a SIGKILL, os.exit and respawns", async () => {
    await expectSameRun({
      ...SCENARIO_DEFAULTS,
      files: {},
      quitAtEnd: true,
      nginxConf: `worker_processes 2;
error_log logs/error.log notice;
events { worker_connections 1024; }
http {
    lua_shared_dict d 1m;
    server { listen 8080;
        location = /exit { content_by_lua_block { ngx.say("bye") ngx.flush(true) os.exit(1) } }
        location = /t { content_by_lua_block {
            ngx.timer.at(0.05, function() ngx.shared.d:incr("fired", 1, 0) end)
            ngx.say(ngx.worker.pid(), " ", ngx.shared.d:incr("n", 1, 0))
        } }
    }
}
`,
      steps: [get("/t", 3), { step: "kill-worker" }, get("/exit"), get("/t", 4)],
    });
  }, 60000);

  it("gives the one-thread trace with jitter", async () => {
    const [[, scenario]] = corpusScenarios("example-shdict-atomic.t");
    await expectSameRun({ ...scenario, seed: 7, jitterMs: 3 });
  }, 60000);
});
