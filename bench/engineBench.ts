/**
 * Benchmarks of the simulator on this machine (wall-clock, Node):
 * start-up of a master with 4 workers and the privileged agent, requests
 * per second through a three-phase Lua handler on 1 and 4 workers, and
 * shared dict incr operations per second from 4 workers, in the default
 * one-thread mode and in the real-threads mode (one worker_threads thread
 * per worker, in parallel). It also times the start-up with a thread per
 * process.
 *
 * Run: npx tsx bench/engineBench.ts   (results go in BENCHMARKS.md)
 */
import { performance } from "node:perf_hooks";
import { runScenario } from "../src/engine/run";
import { spawnNodeThread } from "../src/engine/threads/nodeThreads";
import { runScenarioInLockstep } from "../src/engine/threads/lockstepRun";
import { runScenarioInThreads } from "../src/engine/threads/threadedRun";
import { SCENARIO_DEFAULTS, type Scenario, type Step } from "../src/engine/scenario";

function conf(workers: number, http: string, locations: string): string {
  return `worker_processes ${workers};
events { worker_connections 1024; }
http {
    lua_shared_dict counters 10m;
    ${http}
    server {
        listen 8080;
        ${locations}
    }
}
`;
}

function scenario(nginxConf: string, steps: Step[]): Scenario {
  return { ...SCENARIO_DEFAULTS, files: {}, nginxConf, steps, waitAfter: 0 };
}

function get(uri: string, parallel = 1): Step {
  return { step: "request", request: { method: "GET", uri, headers: [], body: null, parallel } };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

function time(fn: () => void, runs: number): number {
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    fn();
    samples.push(performance.now() - start);
  }
  return median(samples);
}

const THREE_PHASES = `location = /t {
            rewrite_by_lua_block { ngx.ctx.n = 1 }
            access_by_lua_block { ngx.ctx.n = ngx.ctx.n + 1 }
            content_by_lua_block { ngx.say("n=", ngx.ctx.n) }
        }`;

function benchStartup(): void {
  const agent = `init_by_lua_block { require("ngx.process").enable_privileged_agent() }`;
  const s = scenario(conf(4, agent, THREE_PHASES), [get("/t")]);
  const ms = time(() => runScenario(s), 7);
  console.log(`start-up, master + 4 workers + agent, to first response: ${ms.toFixed(1)} ms`);
}

/** Times the same start-up with a worker_threads thread per process, taking turns. */
async function benchStartupLockstep(): Promise<void> {
  const agent = `init_by_lua_block { require("ngx.process").enable_privileged_agent() }`;
  const s = scenario(conf(4, agent, THREE_PHASES), [get("/t")]);
  const samples: number[] = [];
  for (let i = 0; i < 5; i++) {
    const start = performance.now();
    await runScenarioInLockstep({ ...s, runMode: "lockstep" }, spawnNodeThread);
    samples.push(performance.now() - start);
  }
  console.log(
    `start-up with a thread per process (lockstep), master + 4 workers + agent, ` +
      `to first response: ${median(samples).toFixed(1)} ms`,
  );
}

function benchRequests(workers: number): void {
  const count = 2000;
  const steps = Array.from({ length: count / 16 }, () => get("/t", 16));
  const s = scenario(conf(workers, "", THREE_PHASES), steps);
  const ms = time(() => runScenario(s), 3);
  console.log(
    `requests through rewrite+access+content Lua, ${workers} worker(s): ` +
      `${Math.round((count / ms) * 1000)} req/s (${count} requests, 16 at a time)`,
  );
}

function incrLocation(perRequest: number): string {
  return `location = /incr {
            content_by_lua_block {
                local d = ngx.shared.counters
                for i = 1, ${perRequest} do d:incr("n", 1, 0) end
                ngx.say(d:get("n"))
            }
        }`;
}

function benchIncr(): void {
  const perRequest = 100_000;
  const s = scenario(conf(4, "", incrLocation(perRequest)), [get("/incr", 4)]);
  let body = "";
  const ms = time(() => {
    body = runScenario(s).responses.map((r) => r.body.trim()).sort().at(-1) ?? "";
  }, 3);
  const ops = 4 * perRequest;
  console.log(
    `shared dict incr from 4 workers: ${Math.round((ops / ms) * 1000)} ops/s ` +
      `(final count ${body}, expected ${ops})`,
  );
}

/**
 * Times incr in the real-threads mode. A run there also loads 4 threads
 * and waits out the 300 ms start-up in real time, so the rate comes from
 * the difference between runs with and without the incr loop.
 */
async function benchIncrThreads(): Promise<void> {
  const perRequest = 200_000;
  const runWith = async (count: number) => {
    const s = scenario(conf(4, "", incrLocation(count)), [get("/incr", 4)]);
    const start = performance.now();
    const result = await runScenarioInThreads({ ...s, runMode: "threads" }, spawnNodeThread);
    const top = result.responses.map((r) => Number(r.body.trim())).sort((a, b) => a - b).at(-1);
    return { ms: performance.now() - start, top };
  };
  const baseline: number[] = [];
  const loaded: number[] = [];
  let top: number | undefined = 0;
  for (let i = 0; i < 3; i++) {
    baseline.push((await runWith(0)).ms);
    const run = await runWith(perRequest);
    loaded.push(run.ms);
    top = run.top;
  }
  const ops = 4 * perRequest;
  const ms = median(loaded) - median(baseline);
  console.log(
    `shared dict incr from 4 worker threads in parallel: ${Math.round((ops / ms) * 1000)} ops/s ` +
      `(final count ${top}, expected ${ops})`,
  );
}

benchStartup();
await benchStartupLockstep();
benchRequests(1);
benchRequests(4);
benchIncr();
await benchIncrThreads();
