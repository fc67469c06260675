import { describe, expect, it } from "vitest";
import { runScenario } from "../../run";
import { SCENARIO_DEFAULTS } from "../../scenario";

function body(content: string): string {
  const result = runScenario({
    ...SCENARIO_DEFAULTS,
    files: {},
    nginxConf: `events { worker_connections 1024; }
http { server { listen 8080; location = /t { content_by_lua_block {
${content}
} } } }
`,
    steps: [{ step: "request", request: { method: "GET", uri: "/t", headers: [], body: null, parallel: 1 } }],
  });
  return result.responses[0].body;
}

describe("ngx.semaphore", () => {
  it("wakes a waiting light thread on post", () => {
    expect(
      body(`local sema = require("ngx.semaphore").new()
        local t = ngx.thread.spawn(function() ngx.say("woke: ", sema:wait(1)) end)
        ngx.say("count: ", sema:count())
        sema:post()
        ngx.thread.wait(t)`),
    ).toBe("count: -1\nwoke: true\n");
  });

  it("times out with false and a message", () => {
    expect(body(`local s = require("ngx.semaphore").new() ngx.say(s:wait(0.01))`)).toBe(
      "falsetimeout\n",
    );
  });

  it("takes a free resource without waiting", () => {
    expect(body(`local s = require("ngx.semaphore").new(1) ngx.say(s:wait(0))`)).toBe("true\n");
  });
});
