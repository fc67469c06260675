import { describe, expect, it } from "vitest";
import { runScenario } from "../run";
import { SCENARIO_DEFAULTS, type RequestSpec } from "../scenario";
import { detectRaces } from "./raceDetector";
import type { TraceEvent } from "./events";

function races(content: string, parallel: number, workers = 1) {
  const nginxConf = `worker_processes ${workers};
events { worker_connections 1024; }
http {
    lua_shared_dict d 1m;
    lua_shared_dict locks 1m;
    server {
        listen 8080;
        location = /t {
            content_by_lua_block {
${content}
            }
        }
    }
}
`;
  const request: RequestSpec = { method: "GET", uri: "/t", headers: [], body: null, parallel };
  const result = runScenario({
    ...SCENARIO_DEFAULTS,
    files: {},
    nginxConf,
    steps: [{ step: "request", request }],
  });
  return detectRaces(result.trace);
}

const GET_SLEEP_SET = `
local d = ngx.shared.d
local v = d:get("n") or 0
ngx.sleep(0.001)
d:set("n", v + 1)`;

describe("race detector", () => {
  it("reports a lost update when two requests interleave", () => {
    const found = races(GET_SLEEP_SET, 2);
    const lost = found.filter((f) => f.kind === "lost update");
    expect(lost).toHaveLength(1);
    expect(lost[0].key).toBe("n");
    expect(lost[0].readSource?.line).toBe(4);
    expect(lost[0].writeSource?.line).toBe(6);
    expect(lost[0].intervening?.actor.label).toMatch(/^request \*\d$/);
    expect(lost[0].suggestion).toContain("incr");
  });

  it("reports a possible race when nothing interleaved", () => {
    const found = races(GET_SLEEP_SET, 1);
    expect(found.map((f) => f.kind)).toEqual(["possible race"]);
  });

  it("finds lost updates across two workers", () => {
    const found = races(GET_SLEEP_SET, 2, 2);
    expect(found.some((f) => f.kind === "lost update")).toBe(true);
  });

  it("reports nothing for incr", () => {
    expect(races(`ngx.shared.d:incr("n", 1, 0) ngx.sleep(0.001)`, 2)).toEqual([]);
  });

  it("reports nothing without a yield between read and write", () => {
    const code = `local d = ngx.shared.d
local v = d:get("n") or 0
d:set("n", v + 1)
ngx.sleep(0.001)`;
    expect(races(code, 2)).toEqual([]);
  });

  it("reports nothing under a resty.lock", () => {
    const code = `local lock = require("resty.lock"):new("locks")
lock:lock("n")
local d = ngx.shared.d
local v = d:get("n") or 0
ngx.sleep(0.001)
d:set("n", v + 1)
lock:unlock()`;
    expect(races(code, 2)).toEqual([]);
  });
});

describe("race detector on module tables", () => {
  function run(handler: string, parallel: number) {
    const nginxConf = `events { worker_connections 1024; }
http {
    lua_package_path "\${prefix}html/?.lua;;";
    server { listen 8080; location = /t { content_by_lua_block {
${handler}
    } } }
}
`;
    const request: RequestSpec = { method: "GET", uri: "/t", headers: [], body: null, parallel };
    const result = runScenario({
      ...SCENARIO_DEFAULTS,
      files: { "html/counter.lua": "local _M = { hits = 0 }\nreturn _M\n" },
      nginxConf,
      steps: [{ step: "request", request }],
    });
    return detectRaces(result.trace);
  }

  it("finds a lost update on a module field across a yield", () => {
    const found = run(`local m = require("counter")
local v = m.hits
ngx.sleep(0.001)
m.hits = v + 1`, 2);
    const lost = found.filter((f) => f.kind === "lost update");
    expect(lost).toHaveLength(1);
    expect(lost[0].dict).toMatch(/^module counter/);
    expect(lost[0].key).toBe("hits");
  });

  it("reports nothing for an increment without a yield", () => {
    expect(run(`local m = require("counter") m.hits = m.hits + 1 ngx.sleep(0.001)`, 2)).toEqual([]);
  });
});

describe("races between parallel workers", () => {
  const base = { dict: "d", key: "n", seq: 0 } as const;
  const trace: TraceEvent[] = [
    { ...base, kind: "shdict", time: 1, pid: 1001, connection: 1, thread: 1, op: "get", result: "1" },
    { ...base, kind: "shdict", time: 2, pid: 1002, connection: 2, thread: 1, op: "get", result: "1" },
    { ...base, kind: "shdict", time: 3, pid: 1001, connection: 1, thread: 1, op: "set", result: "ok" },
    { ...base, kind: "shdict", time: 4, pid: 1002, connection: 2, thread: 1, op: "set", result: "ok" },
  ];

  it("finds none without a yield when workers take turns", () => {
    expect(detectRaces(trace)).toEqual([]);
  });

  it("finds a lost update without a yield in parallel", () => {
    const kinds = detectRaces(trace, { isParallel: true }).map((race) => race.kind);
    expect(kinds).toEqual(["possible race", "lost update"]);
  });
});
