import { describe, expect, it } from "vitest";
import { runScenario } from "../../engine/run";
import { SCENARIO_DEFAULTS } from "../../engine/scenario";
import { replayShdicts } from "./shdictReplay";

function run(lua: string, dictSize = "1m") {
  return runScenario({
    ...SCENARIO_DEFAULTS,
    files: {},
    nginxConf: `worker_processes 1;
events { worker_connections 1024; }
http {
    lua_shared_dict d ${dictSize};
    server { listen 8080; location = /t { content_by_lua_block {
${lua}
    } } }
}
`,
    steps: [
      {
        step: "request",
        request: { method: "GET", uri: "/t", headers: [], body: null, parallel: 1 },
      },
    ],
  });
}

describe("replayShdicts on engine traces", () => {
  it("matches values, flags and expiry the engine stored", () => {
    const result = run(`
      local d = ngx.shared.d
      d:set("a", "x", 5, 7)
      d:set("b", 3)
      d:incr("b", 2)
      d:incr("c", 1, 10, 2)
      d:expire("b", 9)
      d:get("a")
      ngx.say(d:capacity(), " ", d:free_space())
    `);
    const [dict] = replayShdicts(result.trace);
    const byKey = Object.fromEntries(dict.entries.map((e) => [e.key, e]));
    expect(dict.entries.map((e) => e.key)).toEqual(["a", "c", "b"]);
    expect(byKey.a.value).toBe('"x"');
    expect(byKey.a.flags).toBe(7);
    expect(byKey.b.value).toBe("5");
    expect(byKey.c.value).toBe("11");
    const start = result.trace.find((e) => e.kind === "shdict")!.time;
    expect(byKey.a.expiresAt! - Math.floor(start)).toBe(5000);
    expect(byKey.c.expiresAt).not.toBeNull();
    expect(byKey.b.expiresAt).not.toBeNull();
    const body = result.responses[0].body.trim().split(" ").map(Number);
    expect(dict.capacity).toBe(body[0]);
    expect(dict.freeSpace).toBe(body[1]);
  });

  it("shows memory use at each point without capacity() calls", () => {
    const result = run(
      `
      local d = ngx.shared.d
      d:set("a", string.rep("v", 3000))
      d:set("b", string.rep("v", 3000))
      ngx.say("ok")
    `,
      "32k",
    );
    const events = result.trace.filter((e) => e.kind === "shdict");
    const afterFirst = replayShdicts(result.trace.slice(0, events[0].seq + 1))[0];
    const afterBoth = replayShdicts(result.trace)[0];
    expect(afterBoth.capacity).toBe(32768);
    expect(afterFirst.freeSpace).not.toBeNull();
    expect(afterBoth.freeSpace!).toBeLessThan(afterFirst.freeSpace!);
  });

  it("agrees with get_keys after LRU evictions", () => {
    const result = run(
      `
      local d = ngx.shared.d
      local big = string.rep("v", 4000)
      for i = 1, 40 do d:set("k" .. i, big) end
      d:get("k1")
      local keys = d:get_keys(0)
      table.sort(keys)
      ngx.say(table.concat(keys, ","))
    `,
      "64k",
    );
    const [dict] = replayShdicts(result.trace);
    expect(dict.forcibleSeqs.length).toBeGreaterThan(0);
    const replayed = dict.entries.map((e) => e.key).sort();
    expect(replayed.join(",")).toBe(result.responses[0].body.trim());
  });
});
