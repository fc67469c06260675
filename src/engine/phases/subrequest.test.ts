import { describe, expect, it } from "vitest";
import { runScenario } from "../run";
import { SCENARIO_DEFAULTS, type Scenario } from "../scenario";

function run(locations: string, uris: string[]) {
  const scenario: Scenario = {
    ...SCENARIO_DEFAULTS,
    nginxConf: `error_log logs/error.log notice;
events { worker_connections 1024; }
http { default_type text/plain; server { listen 8080; ${locations} } }`,
    steps: uris.map((uri) => ({
      step: "request" as const,
      request: { method: "GET", uri, headers: [], body: null, parallel: 1 },
    })),
  };
  return runScenario(scenario);
}

describe("ngx.location.capture", () => {
  it("captures status and body of Lua, return and echo", () => {
    const result = run(
      `location = /t { content_by_lua_block {
        local r1 = ngx.location.capture("/missing")
        ngx.say("missing: ", r1.status, " ", #r1.body)
        local r2 = ngx.location.capture("/ret")
        ngx.say("ret: ", r2.status, " ", r2.body, " ", r2.header["Content-Length"])
        local r3 = ngx.location.capture("/echo")
        ngx.say("echo: ", r3.status, " ", r3.body, tostring(r3.truncated))
      } }
      location = /ret { return 201 "returned"; }
      location = /echo { echo "from echo"; }`,
      ["/t"],
    );
    expect(result.responses[0].body).toBe(
      "missing: 404 0\nret: 201 returned 8\necho: 200 from echo\nfalse\n",
    );
  });

  it("reports 500 and truncated for a failed subrequest", () => {
    const result = run(
      `location = /t { content_by_lua_block {
        local res = ngx.location.capture("/fail")
        ngx.say(res.status, " ", tostring(res.truncated), " [", res.body, "]")
      } }
      location = /fail { content_by_lua_block { error("sub failed") } }`,
      ["/t"],
    );
    expect(result.responses[0].body).toBe("500 true []\n");
    expect(result.errorLog[0].message).toContain("sub failed");
  });

  it("gives the subrequest its own ngx.ctx and flags", () => {
    const result = run(
      `location = /t { content_by_lua_block {
        ngx.ctx.who = "parent"
        local a = ngx.location.capture("/sub")
        local b = ngx.location.capture("/sub", { ctx = { who = "given" } })
        ngx.print(a.body, b.body)
        ngx.say("parent: ", ngx.ctx.who, " ", tostring(ngx.is_subrequest))
      } }
      location = /sub { content_by_lua_block {
        ngx.say(tostring(ngx.ctx.who), " ", tostring(ngx.is_subrequest),
          " ", tostring(ngx.req.is_internal()), " ", ngx.var.uri)
      } }`,
      ["/t"],
    );
    expect(result.responses[0].body).toBe(
      "nil true true /sub\ngiven true true /sub\nparent: parent false\n",
    );
  });

  it("runs capture_multi subrequests concurrently", () => {
    const result = run(
      `location = /t { content_by_lua_block {
        local t0 = ngx.now()
        local a, b = ngx.location.capture_multi({
          { "/s", { args = { d = "0.1" } } },
          { "/s?d=0.2", { method = ngx.HTTP_POST, body = "xyz" } },
        })
        ngx.update_time()
        ngx.print(a.body, b.body)
        ngx.say(string.format("%.1f", ngx.now() - t0))
      } }
      location = /s { content_by_lua_block {
        ngx.sleep(tonumber(ngx.var.arg_d))
        ngx.req.read_body()
        ngx.say(ngx.req.get_method(), " ", ngx.var.args, " ",
          tostring(ngx.req.get_body_data()))
      } }`,
      ["/t"],
    );
    expect(result.responses[0].body).toBe(
      "GET d=0.1 nil\nPOST d=0.2 xyz\n0.2\n",
    );
  });

  it("rejects capture outside rewrite, access and content", () => {
    const result = run(
      `location = /t {
        content_by_lua_block { ngx.say("ok") }
        log_by_lua_block {
          local ok, err = pcall(ngx.location.capture, "/x")
          ngx.log(ngx.NOTICE, err)
        }
      }`,
      ["/t"],
    );
    expect(result.errorLog[0].message).toContain(
      "API disabled in the context of log_by_lua*",
    );
  });
});

describe("echo_location", () => {
  it("puts subrequest output in the main response", () => {
    const result = run(
      `location = /main {
        echo "main start";
        echo_location /sub "x=1";
        echo_location /sub "x=2";
        echo "main end";
      }
      location = /sub { content_by_lua_block {
        ngx.say("sub ", tostring(ngx.is_subrequest), " ", ngx.var.args)
      } }`,
      ["/main"],
    );
    expect(result.responses[0].body).toBe(
      "main start\nsub true x=1\nsub true x=2\nmain end\n",
    );
  });
});
