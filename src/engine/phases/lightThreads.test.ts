import { describe, expect, it } from "vitest";
import { runScenario } from "../run";
import { SCENARIO_DEFAULTS, type Scenario } from "../scenario";

function run(locations: string, uris: string[], http = "") {
  const scenario: Scenario = {
    ...SCENARIO_DEFAULTS,
    nginxConf: `error_log logs/error.log notice;
events { worker_connections 1024; }
http { default_type text/plain; ${http} server { listen 8080; ${locations} } }`,
    steps: uris.map((uri) => ({
      step: "request" as const,
      request: { method: "GET", uri, headers: [], body: null, parallel: 1 },
    })),
  };
  return runScenario(scenario);
}

function logLines(result: ReturnType<typeof run>): string[] {
  return result.errorLog.map((e) => `[${e.level}] ${e.message}`);
}

describe("ngx.thread", () => {
  it("runs a spawned thread until its first yield", () => {
    const result = run(
      `location = /t { content_by_lua_block {
        local function work(name, delay)
          ngx.say(name, " start")
          ngx.sleep(delay)
          ngx.say(name, " end")
          return name .. " result", delay
        end
        local slow = ngx.thread.spawn(work, "slow", 0.05)
        local fast = ngx.thread.spawn(work, "fast", 0.01)
        ngx.say("main after spawn")
        local ok1, r1, d1 = ngx.thread.wait(slow)
        ngx.say("wait(slow): ", tostring(ok1), " ", r1, " ", d1)
        local ok2, r2 = ngx.thread.wait(fast)
        ngx.say("wait(fast): ", tostring(ok2), " ", r2)
      } }`,
      ["/t"],
    );
    expect(result.responses[0].body).toBe(
      "slow start\nfast start\nmain after spawn\nfast end\nslow end\n" +
        "wait(slow): true slow result 0.05\nwait(fast): true fast result\n",
    );
  });

  it("returns false and the error from wait", () => {
    const result = run(
      `location = /t { content_by_lua_block {
        local th = ngx.thread.spawn(function() error("thread failed") end)
        local ok, err = ngx.thread.wait(th)
        ngx.say("ok=", tostring(ok), " err=", tostring(err))
      } }`,
      ["/t"],
    );
    expect(result.responses[0].body).toBe("ok=false err=thread failed\n");
    const [line] = logLines(result);
    expect(line).toContain(
      "[error] lua user thread aborted: runtime error: " +
        "content_by_lua(nginx.conf:3):2: thread failed",
    );
    expect(line).toContain("coroutine 1:\n\t[C]: in function 'spawn'");
  });

  it("keeps the request until user threads end", () => {
    const result = run(
      `location = /t { content_by_lua_block {
        ngx.thread.spawn(function() ngx.sleep(0.02) ngx.say("child") end)
        ngx.say("entry done")
      } }`,
      ["/t"],
    );
    expect(result.responses[0].body).toBe("entry done\nchild\n");
  });

  it("kills a sleeping thread", () => {
    const result = run(
      `location = /t { content_by_lua_block {
        local t = ngx.thread.spawn(function() ngx.sleep(0.01) ngx.say("x") end)
        ngx.say("kill: ", ngx.thread.kill(t))
        local ok, err = ngx.thread.wait(t)
        ngx.say("wait: ", tostring(ok), " ", err)
      } }`,
      ["/t"],
    );
    expect(result.responses[0].body).toBe(
      "kill: 1\nwait: nil already waited or killed\n",
    );
  });

  it("ends the request on ngx.exit in a user thread", () => {
    const result = run(
      `location = /t { content_by_lua_block {
        ngx.thread.spawn(function() ngx.sleep(0.01) ngx.exit(403) end)
        ngx.thread.spawn(function() ngx.sleep(0.05) ngx.log(ngx.ERR, "B") end)
        ngx.sleep(1)
        ngx.say("never")
      } }`,
      ["/t"],
    );
    expect(result.responses[0].status).toBe(403);
    expect(logLines(result)).toEqual([]);
  });

  it("loses an update between two sleeping threads", () => {
    const result = run(
      `location = /t { content_by_lua_block {
        local d = ngx.shared.dogs
        d:set("n", 0)
        local function bump()
          local v = d:get("n")
          ngx.sleep(0.01)
          d:set("n", v + 1)
        end
        local t1 = ngx.thread.spawn(bump)
        local t2 = ngx.thread.spawn(bump)
        ngx.thread.wait(t1)
        ngx.thread.wait(t2)
        ngx.say("n=", d:get("n"))
      } }`,
      ["/t"],
      "lua_shared_dict dogs 1m;",
    );
    expect(result.responses[0].body).toBe("n=1\n");
  });

  it("rejects spawn in log_by_lua", () => {
    const result = run(
      `location = /t {
        content_by_lua_block { ngx.say("ok") }
        log_by_lua_block {
          local ok, err = pcall(ngx.thread.spawn, function() end)
          ngx.log(ngx.NOTICE, "spawn: ", err)
        }
      }`,
      ["/t"],
    );
    expect(logLines(result)[0]).toContain(
      "spawn: API disabled in the context of log_by_lua*",
    );
  });

  it("rejects wait on a coroutine", () => {
    const result = run(
      `location = /t { content_by_lua_block {
        local co = coroutine.create(function() end)
        local ok, err = pcall(ngx.thread.wait, co)
        ngx.say(err)
      } }`,
      ["/t"],
    );
    expect(result.responses[0].body).toBe(
      "attempt to wait on a coroutine that is not a user thread\n",
    );
  });
});
