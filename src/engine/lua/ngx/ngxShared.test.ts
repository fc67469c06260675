import { describe, expect, it } from "vitest";
import { runScenario } from "../../run";
import { SCENARIO_DEFAULTS, type Scenario } from "../../scenario";

/** Runs `lua` in a content handler with dict `dogs`; returns the body. */
function content(lua: string): string {
  const nginxConf = `events { worker_connections 1024; }
http {
    lua_shared_dict dogs 1m;
    server {
        listen 8080;
        location = /t {
            content_by_lua_block {
${lua}
            }
        }
    }
}
`;
  const scenario: Scenario = {
    ...SCENARIO_DEFAULTS,
    files: {},
    nginxConf,
    steps: [
      {
        step: "request",
        request: { method: "GET", uri: "/t", headers: [], body: null, parallel: 1 },
      },
    ],
  };
  return runScenario(scenario).responses[0].body ?? "";
}

const RESTY = "/usr/share/lua/5.1/resty/core/shdict.lua";

describe("ngx.shared binding", () => {
  it("returns nil for a dict that is not configured", () => {
    expect(content(`ngx.say(tostring(ngx.shared.nope))`)).toBe("nil\n");
  });

  it("builds dict tables like lua-nginx-module", () => {
    const body = content(`local d = ngx.shared.dogs
      ngx.say(type(d[1]), " ", getmetatable(d).__index == getmetatable(d))`);
    expect(body).toBe("userdata true\n");
  });

  it.each([
    ["set(nil, 1)", `d:set(nil, 1)`, "nil nil key"],
    ["set('', 1)", `d:set("", 1)`, "nil empty key"],
    ["set of a table", `d:set("k", {})`, "nil bad value type"],
    ["get(nil)", `d:get(nil)`, "nil nil key"],
    ["ttl of a missing key", `d:ttl("nope")`, "nil not found"],
    ["expire of a missing key", `d:expire("nope", 1)`, "nil not found"],
    ["lpush without a value", `d:lpush("l")`, "false expecting 3 arguments, but only seen 2"],
    ["get_keys with 3 args", `d:get_keys(1, 2)`, "false expecting 1 or 2 argument(s), but saw 3"],
    ["lpush of a boolean", `d:lpush("l", true)`, "nil bad value type"],
  ])("%s", (_title, call, expected) => {
    const body = content(`local d = ngx.shared.dogs
      local ok, a, b = pcall(function() return ${call} end)
      if ok then ngx.say(tostring(a), " ", tostring(b)) else ngx.say("false ", a) end`);
    expect(body).toBe(`${expected}\n`);
  });

  it.each([
    ["incr by a non-number", `pcall(d.incr, d, "k", "x")`, `${RESTY}:760: cannot convert 'nil' to 'double'`],
    ["string exptime", `pcall(d.set, d, "k", 1, "1")`, `${RESTY}:490: attempt to compare string with number`],
    [
      "string flags",
      `pcall(d.set, d, "k", 1, 0, "x")`,
      `${RESTY}:542: bad argument #10 to 'ngx_lua_ffi_shdict_store' (cannot convert 'string' to 'int')`,
    ],
    [
      "table exptime for expire",
      `pcall(d.expire, d, "k", {})`,
      `${RESTY}:873: attempt to perform arithmetic on local 'exptime' (a table value)`,
    ],
    ["negative exptime via pcall", `pcall(d.set, d, "k", 1, -1)`, `bad "exptime" argument`],
    ["bad zone", `pcall(d.get, {}, "k")`, `bad "zone" argument`],
    ["init_ttl without init", `pcall(d.incr, d, "k", 1, nil, 5)`, `must provide "init" when providing "init_ttl"`],
  ])("raises resty.core's error for %s", (_title, call, expected) => {
    const body = content(`local d = ngx.shared.dogs
      local ok, err = ${call}
      ngx.say(tostring(ok), " ", err)`);
    expect(body).toBe(`false ${expected}\n`);
  });

  it("puts the caller's position on error(msg, 2) messages", () => {
    const body = content(`local d = ngx.shared.dogs
      local ok, err = pcall(function() d:set("k", 1, -1) end)
      ngx.say(err)`);
    expect(body).toBe(`content_by_lua(nginx.conf:7):3: bad "exptime" argument\n`);
  });

  it("returns value, flags and stale from get_stale", () => {
    const body = content(`local d = ngx.shared.dogs
      d:set("k", "v", 0, 3)
      ngx.say(table.concat({tostring(d:get_stale("k"))}, ","), " ", select("#", d:get_stale("k")))
      d:set("k2", 5)
      local v, f, s = d:get_stale("k2")
      ngx.say(v, " ", tostring(f), " ", tostring(s))`);
    expect(body).toBe("v 3\n5 nil false\n");
  });

  it("returns three values from delete and incr with init", () => {
    const body = content(`local d = ngx.shared.dogs
      ngx.say(select("#", d:delete("k")), " ", select("#", d:incr("c", 1, 0)), " ", select("#", d:incr("c", 1)))`);
    expect(body).toBe("3 3 1\n");
  });

  it("records a trace event per operation", () => {
    const nginxConf = `events { worker_connections 1024; }
http {
    lua_shared_dict dogs 1m;
    server {
        listen 8080;
        location = /t {
            content_by_lua_block { local d = ngx.shared.dogs d:set("k", 1) d:get("k") d:incr("k", 2) }
        }
    }
}
`;
    const result = runScenario({
      ...SCENARIO_DEFAULTS,
      files: {},
      nginxConf,
      steps: [
        {
          step: "request",
          request: { method: "GET", uri: "/t", headers: [], body: null, parallel: 1 },
        },
      ],
    });
    const events = result.trace.filter((e) => e.kind === "shdict");
    expect(events.map((e) => e.kind === "shdict" && `${e.op} ${e.key} ${e.result}`)).toEqual([
      "set k ok 1",
      "get k 1",
      "incr k 3",
    ]);
  });
});
