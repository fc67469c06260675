import { describe, expect, it } from "vitest";
import { exploreInterleavings } from "./explore";
import { SCENARIO_DEFAULTS, type Scenario } from "./scenario";

function scenario(content: string): Scenario {
  return {
    ...SCENARIO_DEFAULTS,
    files: {},
    nginxConf: `events { worker_connections 1024; }
http {
    lua_shared_dict d 1m;
    server {
        listen 8080;
        location = /t { content_by_lua_block { ${content} } }
    }
}
`,
    steps: [
      { step: "request", request: { method: "GET", uri: "/t", headers: [], body: null, parallel: 2 } },
    ],
  };
}

const seeds = Array.from({ length: 16 }, (_, i) => i + 1);

describe("interleaving explorer", () => {
  it("finds orders that lose an update and orders that do not", () => {
    const result = exploreInterleavings(
      scenario(`local d = ngx.shared.d
        local v = d:get("n") or 0
        ngx.sleep(0.001)
        d:set("n", v + 1)
        ngx.say(d:get("n"))`),
      seeds,
    );
    expect(result.runs).toBe(16);
    const lost = result.groups.filter((g) => g.lostUpdates > 0);
    const clean = result.groups.filter((g) => g.lostUpdates === 0);
    expect(lost.length).toBeGreaterThan(0);
    expect(clean.length).toBeGreaterThan(0);
    expect(result.groups.reduce((n, g) => n + g.seeds.length, 0)).toBe(16);
  });

  it("finds one outcome for incr", () => {
    const result = exploreInterleavings(
      scenario(`ngx.sleep(0.001) local n = ngx.shared.d:incr("n", 1, 0) ngx.say(n > 0)`),
      seeds,
    );
    expect(result.groups).toHaveLength(1);
    expect(result.groups[0].lostUpdates).toBe(0);
  });

  it("replays a seed exactly", () => {
    const s = scenario(`local d = ngx.shared.d
      local v = d:get("n") or 0
      ngx.sleep(0.001)
      d:set("n", v + 1)
      ngx.say(d:get("n"))`);
    const first = exploreInterleavings(s, [7]);
    const second = exploreInterleavings(s, [7]);
    expect(second).toEqual(first);
  });
});
