import { describe, expect, it } from "vitest";
import { SCENARIO_DEFAULTS, type RequestSpec, type Scenario, type Step } from "../scenario";
import { spawnNodeThread } from "./nodeThreads";
import { runScenarioInThreads } from "./threadedRun";

function get(uri: string, parallel = 1): Step {
  const request: RequestSpec = { method: "GET", uri, headers: [], body: null, parallel };
  return { step: "request", request };
}

function scenario(http: string, steps: Step[], extra: Partial<Scenario> = {}): Scenario {
  return {
    ...SCENARIO_DEFAULTS,
    files: {},
    nginxConf: `worker_processes 4;
error_log logs/error.log notice;
events { worker_connections 1024; }
http {
    lua_shared_dict d 1m;
${http}
}
`,
    steps,
    runMode: "threads",
    ...extra,
  };
}

const COUNTERS = `
    server { listen 8080;
        location = /incr { content_by_lua_block {
            for i = 1, 100 do ngx.shared.d:incr("n", 1, 0) end
            ngx.say(ngx.worker.id())
        } }
        location = /race { content_by_lua_block {
            local v = ngx.shared.d:get("r") or 0
            ngx.sleep(0.01)
            ngx.shared.d:set("r", v + 1)
            ngx.say("ok")
        } }
        location = /get { content_by_lua_block {
            ngx.say(ngx.shared.d:get("n"), " ", ngx.shared.d:get("r"))
        } }
    }`;

describe("real-threads run", () => {
  it("keeps every incr of 4 worker threads", async () => {
    const result = await runScenarioInThreads(scenario(COUNTERS, [get("/incr", 8), get("/get")]), spawnNodeThread);
    expect(result.runMode).toBe("threads");
    expect(result.responses).toHaveLength(9);
    expect(result.responses[8].body).toBe("800 nil\n");
    const workerIds = new Set(result.responses.slice(0, 8).map((r) => r.body));
    expect(workerIds).toEqual(new Set(["0\n", "1\n", "2\n", "3\n"]));
    const pids = result.trace.filter((e) => e.kind === "process-start").map((e) => e.pid);
    expect(pids).toEqual([1000, 1001, 1002, 1003, 1004]);
  }, 60000);

  it("loses updates of get, sleep, set for real", async () => {
    const result = await runScenarioInThreads(scenario(COUNTERS, [get("/race", 8), get("/get")]), spawnNodeThread);
    const [, r] = result.responses[8].body.trim().split(" ").map(Number);
    expect(r).toBeLessThan(8);
    expect(result.races.some((race) => race.kind === "lost update")).toBe(true);
  }, 60000);

  it("forks init_by_lua's globals without repeating its writes", async () => {
    const http = `
    init_by_lua_block {
        ngx.shared.d:incr("boots", 1, 0)
        greeting = "hello from init"
    }
    server { listen 8080;
        location = /t { content_by_lua_block {
            ngx.say(greeting, " ", ngx.shared.d:get("boots"), " ", ngx.worker.count())
        } }
    }`;
    const result = await runScenarioInThreads(scenario(http, [get("/t", 4)]), spawnNodeThread);
    for (const response of result.responses) expect(response.body).toBe("hello from init 1 4\n");
  }, 60000);

  it("runs the privileged agent in its own thread", async () => {
    const http = `
    init_by_lua_block {
        assert(require("ngx.process").enable_privileged_agent())
    }
    init_worker_by_lua_block {
        ngx.shared.d:rpush("types", require("ngx.process").type())
    }
    server { listen 8080;
        location = /t { content_by_lua_block {
            local n = ngx.shared.d:llen("types")
            local agent = 0
            for i = 1, n do
                local t = ngx.shared.d:lpop("types")
                if t == "privileged agent" then agent = agent + 1 end
            end
            ngx.say(n, " ", agent)
        } }
    }`;
    const result = await runScenarioInThreads(scenario(http, [get("/t")]), spawnNodeThread);
    expect(result.responses[0].body).toBe("5 1\n");
    const agent = result.trace.find((e) => e.kind === "process-start" && e.process === "privileged agent");
    expect(agent?.pid).toBe(1005);
  }, 60000);

  it("fires pending timers prematurely on quit", async () => {
    const http = `
    server { listen 8080;
        location = /t { content_by_lua_block {
            ngx.timer.at(100, function(premature)
                ngx.log(ngx.NOTICE, "timer premature: ", premature)
            end)
            ngx.say("ok")
        } }
    }`;
    const result = await runScenarioInThreads(scenario(http, [get("/t")], { quitAtEnd: true }), spawnNodeThread);
    const messages = result.errorLog.map((e) => e.message);
    expect(messages.some((m) => m.includes("timer premature: true"))).toBe(true);
    expect(messages[0]).toBe("signal 3 (SIGQUIT) received, shutting down");
    expect(messages[messages.length - 1]).toBe("exit");
    const master = result.errorLog.filter((e) => e.pid === 1000).map((e) => e.message);
    expect(master.filter((m) => m.startsWith("signal 17 (SIGCHLD)"))).toHaveLength(4);
  }, 60000);

  it("starts a new generation of threads on reload", async () => {
    const result = await runScenarioInThreads(
      scenario(COUNTERS, [get("/incr"), { step: "reload" }, get("/get")]),
      spawnNodeThread,
    );
    expect(result.responses.map((r) => r.body)).toEqual(["0\n", "100 nil\n"]);
    const starts = result.trace.filter((e) => e.kind === "process-start" && e.process === "worker");
    expect(starts.map((e) => e.pid)).toEqual([1001, 1002, 1003, 1004, 1005, 1006, 1007, 1008]);
    const messages = result.errorLog.map((e) => e.message);
    expect(messages).toContain("signal 1 (SIGHUP) received, reconfiguring");
    expect(messages.filter((m) => m === "gracefully shutting down")).toHaveLength(4);
    expect(messages.filter((m) => /^worker process 100[1-4] exited with code 0$/.test(m))).toHaveLength(4);
    expect(result.responses[1].pid).toBeGreaterThan(1004);
  }, 60000);

  it("respawns a worker killed with SIGKILL", async () => {
    const result = await runScenarioInThreads(
      scenario(COUNTERS, [get("/get"), { step: "kill-worker" }, get("/get", 4)]),
      spawnNodeThread,
    );
    const messages = result.errorLog.map((e) => e.message);
    expect(messages).toContain("worker process 1001 exited on signal 9");
    expect(messages).toContain("start worker process 1005");
    expect(result.responses.slice(1).map((r) => r.status)).toEqual([200, 200, 200, 200]);
    expect(result.responses.some((r) => r.pid === 1005)).toBe(true);
  }, 60000);
});
