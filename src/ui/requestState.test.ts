import { describe, expect, it } from "vitest";
import { runScenario } from "../engine/run";
import { SCENARIO_DEFAULTS } from "../engine/scenario";
import { requestStateAt, requestsOf } from "./requestState";

describe("request state", () => {
  const result = runScenario({
    ...SCENARIO_DEFAULTS,
    files: {},
    nginxConf: `events { worker_connections 1024; }
http { server { listen 8080; location = /t {
    set $foo "from set";
    rewrite_by_lua_block { ngx.var.foo = "from rewrite" ngx.ctx.seen = { "rewrite" } ngx.ctx.n = 1 }
    content_by_lua_block { ngx.ctx.n = ngx.ctx.n + 1 ngx.say(ngx.var.foo) }
} } }
`,
    steps: [{ step: "request", request: { method: "GET", uri: "/t", headers: [], body: null, parallel: 1 } }],
  });

  it("lists the requests of a run", () => {
    expect(requestsOf(result.trace).map((r) => r.label)).toEqual(["*1 GET /t"]);
  });

  it("shows assigned variables and the last ctx snapshot at the end", () => {
    const state = requestStateAt(result.trace, 1, -1);
    expect(state.variables).toEqual([["foo", "from rewrite"]]);
    expect(state.ctx?.phase).toBe("content");
    expect(Object.fromEntries(state.ctx?.entries ?? [])).toEqual({ seen: "table", n: "2" });
  });

  it("shows the state at an earlier moment", () => {
    const afterSet = result.trace.findIndex((e) => e.kind === "var-set");
    const state = requestStateAt(result.trace, 1, afterSet);
    expect(state.variables).toEqual([["foo", "from set"]]);
    expect(state.ctx).toBeNull();
  });
});
