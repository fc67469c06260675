import { describe, expect, it } from "vitest";
import { runScenario } from "./run";
import { SCENARIO_DEFAULTS, type RequestSpec, type Scenario } from "./scenario";

function conf(locations: string, http = ""): string {
  return `error_log logs/error.log notice;
events { worker_connections 1024; }
http {
    ${http}
    server {
        listen 8080;
        ${locations}
    }
}
`;
}

function request(uri: string, parallel = 1): RequestSpec {
  return { method: "GET", uri, headers: [], body: null, parallel };
}

function run(nginxConf: string, requests: RequestSpec[]) {
  const scenario: Scenario = {
    ...SCENARIO_DEFAULTS,
    files: {},
    nginxConf,
    steps: requests.map((r) => ({ step: "request" as const, request: r })),
  };
  return runScenario(scenario);
}

function messages(result: ReturnType<typeof run>): string[] {
  return result.errorLog.map((e) => `[${e.level}] ${e.message}`);
}

describe("request pipeline", () => {
  it("runs later phases after ngx.say", () => {
    const result = run(
      conf(`location = /t {
            content_by_lua_block { ngx.say("hi") ngx.log(ngx.NOTICE, "after say") }
            log_by_lua_block { ngx.log(ngx.NOTICE, "log ", ngx.status) }
        }`),
      [request("/t")],
    );
    expect(result.responses[0].body).toBe("hi\n");
    expect(messages(result)).toEqual([
      "[notice] [lua] content_by_lua(nginx.conf:8):1: after say",
      "[notice] [lua] log_by_lua(nginx.conf:9):1: log 200 while logging request",
    ]);
  });

  it("continues to content after ngx.exit(ngx.OK) in rewrite", () => {
    const result = run(
      conf(`location = /t {
            rewrite_by_lua_block { ngx.exit(ngx.OK) }
            content_by_lua_block { ngx.say("content") }
        }`),
      [request("/t")],
    );
    expect(result.responses[0].body).toBe("content\n");
  });

  it("closes with no response on ngx.exit(ngx.ERROR) in rewrite", () => {
    const result = run(
      conf(`location = /t {
            rewrite_by_lua "ngx.exit(ngx.ERROR)";
            echo hello;
            log_by_lua_block { ngx.log(ngx.NOTICE, "status=", ngx.status) }
        }`),
      [request("/t")],
    );
    expect(result.responses[0].empty_reply).toBe(true);
    expect(messages(result)[0]).toContain("status=0 while logging request");
  });

  it("answers an error page for ngx.exit(403)", () => {
    const result = run(
      conf(`location = /t { access_by_lua_block { ngx.exit(403) } echo never; }`),
      [request("/t")],
    );
    expect(result.responses[0].status).toBe(403);
    expect(result.responses[0].body).toContain("<title>403 Forbidden</title>");
  });

  it("sends only flushed output before a late ngx.ERROR", () => {
    const flushed = run(
      conf(`location = /t { content_by_lua_block {
            ngx.say("partial") ngx.flush(true) ngx.exit(ngx.ERROR) } }`),
      [request("/t")],
    );
    expect(flushed.responses[0].body).toBe("partial\n");
    expect(flushed.responses[0].curl_exit).toBe(18);
    const buffered = run(
      conf(`location = /t { content_by_lua_block {
            ngx.say("partial") ngx.exit(ngx.ERROR) } }`),
      [request("/t")],
    );
    expect(buffered.responses[0].empty_reply).toBe(true);
  });

  it("reports an unknown directive as nginx -t does", () => {
    const result = run(conf(`location = /t { contnt_by_lua_block { } }`), []);
    expect(result.startupError).toBe(
      'nginx: [emerg] unknown directive "contnt_by_lua_block" in nginx.conf:7\n' +
        "nginx: configuration file nginx.conf test failed",
    );
  });

  it("logs a runtime error with the chunk name and answers 500", () => {
    const result = run(
      conf(`location = /t { content_by_lua_block {
            error("boom") } }`),
      [request("/t")],
    );
    expect(result.responses[0].status).toBe(500);
    expect(messages(result)[0]).toMatch(
      /^\[error\] lua entry thread aborted: runtime error: content_by_lua\(nginx.conf:7\):2: boom\nstack traceback:\ncoroutine 0:/,
    );
  });
});

describe("yields and shared state", () => {
  const counters = `lua_shared_dict counters 1m;`;
  const racy = `location = /racy { content_by_lua_block {
            local d = ngx.shared.counters
            local v = d:get("n") or 0
            ngx.sleep(0.001)
            d:set("n", v + 1)
            ngx.say(d:get("n")) } }
        location = /atomic { content_by_lua_block {
            ngx.say((ngx.shared.counters:incr("n", 1, 0))) } }`;

  it("loses an update when get and set span a sleep", () => {
    const result = run(conf(racy, counters), [request("/racy", 2)]);
    expect(result.responses.map((r) => r.body)).toEqual(["1\n", "1\n"]);
  });

  it("keeps every update with incr", () => {
    const result = run(conf(racy, counters), [request("/atomic", 2)]);
    expect(result.responses.map((r) => r.body).sort()).toEqual(["1\n", "2\n"]);
  });

  it("suspends the request when ngx.sleep runs inside a coroutine", () => {
    const result = run(
      conf(`location = /t { content_by_lua_block {
            local co = coroutine.wrap(function() ngx.sleep(0.05) return "woke" end)
            local t0 = ngx.now()
            ngx.say(co(), " ", ngx.now() - t0 >= 0.049) } }`),
      [request("/t")],
    );
    expect(result.responses[0].body).toBe("woke true\n");
  });

  it("keeps ngx.now cached during CPU work until update_time", () => {
    const result = run(
      conf(`location = /t { content_by_lua_block {
            local t1 = ngx.now()
            local c0 = os.clock()
            while os.clock() - c0 < 0.02 do end
            local t2 = ngx.now()
            ngx.update_time()
            ngx.say(t1 == t2, " ", ngx.now() > t2) } }`),
      [request("/t")],
    );
    expect(result.responses[0].body).toBe("true true\n");
  });

  it("gives the same trace for the same scenario", () => {
    const first = run(conf(racy, counters), [request("/racy", 2)]);
    const second = run(conf(racy, counters), [request("/racy", 2)]);
    expect(JSON.stringify(second.trace)).toBe(JSON.stringify(first.trace));
  });

  it("stops a handler that never yields", () => {
    const result = run(
      conf(`location = /t { content_by_lua_block { while true do end } }`),
      [request("/t"), request("/t")],
    );
    expect(result.responses[0].status).toBeNull();
    expect(result.responses[0].timed_out).toBe(false);
    const log = messages(result);
    expect(log[0]).toMatch(/^\[alert\] the simulator stopped a Lua handler at content_by_lua\(nginx.conf:7\):1 after/);
    expect(log[0]).toContain("here the worker is killed with SIGKILL");
    // The master reaps the killed worker and starts another for the next request.
    expect(log).toContain("[alert] worker process 1001 exited on signal 9");
    expect(log).toContain("[notice] start worker process 1002");
    expect(result.responses[1].pid).toBe(1002);
  });
});

describe("client requests", () => {
  const echoHost = conf(`location / { content_by_lua_block {
            ngx.say(ngx.var.http_host, " ", ngx.var.uri) } }`);

  it("replaces the default Host header with the user's", () => {
    const result = run(echoHost, [
      { method: "GET", uri: "/t", headers: [["Host", "example.com"]], body: null, parallel: 1 },
    ]);
    expect(result.responses[0].body).toBe("example.com /t\n");
  });

  it("answers 400 to a path above the root", () => {
    const result = run(echoHost, [request("/%2e%2e/x")]);
    expect(result.responses[0].status).toBe(400);
    expect(result.responses[0].headers["connection"]).toBe("close");
  });

  it("keeps the header names as sent", () => {
    const result = run(echoHost, [request("/t")]);
    const names = result.responses[0].rawHeaders?.map((h) => h.name);
    expect(names?.slice(0, 3)).toEqual(["Server", "Date", "Content-Type"]);
  });
});

describe("resty.lock", () => {
  it("makes the second request wait for the lock", () => {
    const result = run(
      conf(
        `location = /t { content_by_lua_block {
            local lock = require("resty.lock"):new("locks")
            local elapsed = lock:lock("k")
            local d = ngx.shared.data
            local v = d:get("n") or 0
            ngx.sleep(0.01)
            d:set("n", v + 1)
            lock:unlock()
            ngx.say("n=", d:get("n"), " waited=", elapsed > 0) } }`,
        "lua_shared_dict locks 1m; lua_shared_dict data 1m;",
      ),
      [request("/t", 2)],
    );
    expect(result.responses.map((r) => r.body)).toEqual(["n=1 waited=false\n", "n=2 waited=true\n"]);
  });
});


describe("worker_processes auto", () => {
  function workersStarted(cpuCount: number | undefined): number {
    const result = runScenario({
      ...SCENARIO_DEFAULTS,
      files: {},
      cpuCount,
      nginxConf: `worker_processes auto;\n${conf(`location = /t { return 204; }`)}`,
      steps: [],
    });
    return result.trace.filter((e) => e.kind === "process-start" && e.process === "worker").length;
  }

  it("starts one worker per reported core", () => {
    expect(workersStarted(4)).toBe(4);
  });

  it("starts two without a core count", () => {
    expect(workersStarted(undefined)).toBe(2);
  });

  it("starts at most 16", () => {
    expect(workersStarted(64)).toBe(16);
  });
});

describe("timer log lines", () => {
  it("carry the creating request's client and listening socket", () => {
    const result = run(
      conf(`location = /t { content_by_lua_block {
            ngx.timer.at(0, function()
                ngx.log(ngx.ERR, "from timer")
                ngx.timer.at(0, function() ngx.log(ngx.ERR, "from nested timer") end)
            end)
            ngx.say("ok")
        } }`, `init_worker_by_lua_block {
            ngx.timer.at(0, function() ngx.log(ngx.ERR, "from init_worker timer") end)
        }`),
      [request("/t")],
    );
    const trailerOf = (text: string) => result.errorLog.find((e) => e.message.includes(text))?.trailer;
    expect(trailerOf("from timer")).toBe(", client: 127.0.0.1, server: 0.0.0.0:8080");
    expect(trailerOf("from nested timer")).toBe(", client: 127.0.0.1, server: 0.0.0.0:8080");
    expect(trailerOf("from init_worker timer")).toBe("");
  });
});
