import { describe, expect, it } from "vitest";
import { runScenario } from "../run";
import { SCENARIO_DEFAULTS, type Scenario } from "../scenario";

function run(server: string, requests: Array<[string, string]>) {
  const scenario: Scenario = {
    ...SCENARIO_DEFAULTS,
    nginxConf: `error_log logs/error.log notice;
events { worker_connections 1024; }
http { default_type text/plain; server { listen 8080; ${server} } }`,
    steps: requests.map(([method, uri]) => ({
      step: "request" as const,
      request: { method, uri, headers: [], body: null, parallel: 1 },
    })),
  };
  return runScenario(scenario);
}

const FALLBACK = `location = /fallback { content_by_lua_block {
  ngx.say(ngx.req.get_method(), " ", ngx.var.uri, " ", ngx.var.request_uri,
    " ", ngx.status)
} }`;

describe("error_page", () => {
  it("keeps, drops or overrides the status", () => {
    const result = run(
      `location = /plain {
        error_page 404 /fallback;
        content_by_lua_block { ngx.exit(404) }
      }
      location = /eq {
        error_page 404 = /fallback;
        content_by_lua_block { ngx.exit(404) }
      }
      location = /eq200 {
        error_page 404 =200 /fallback;
        content_by_lua_block { ngx.exit(404) }
      }
      ${FALLBACK}`,
      [
        ["GET", "/plain"],
        ["GET", "/eq"],
        ["POST", "/eq200"],
      ],
    );
    const [plain, eq, eq200] = result.responses;
    expect(plain.status).toBe(404);
    expect(plain.body).toBe("GET /fallback /plain 404\n");
    expect(eq.status).toBe(404);
    expect(eq200.status).toBe(200);
    expect(eq200.body).toBe("GET /fallback /eq200 200\n");
  });

  it("is not used when Lua sends its own 404", () => {
    const result = run(
      `error_page 404 /fallback;
      location = /own { content_by_lua_block {
        ngx.status = 404
        ngx.say("own")
      } }
      ${FALLBACK}`,
      [["GET", "/own"]],
    );
    expect(result.responses[0].body).toBe("own\n");
  });

  it("goes to a named location and keeps HEAD", () => {
    const result = run(
      `location = /r { error_page 403 @denied; return 403; }
      location @denied { content_by_lua_block {
        ngx.say("denied ", ngx.req.get_method(), " ", ngx.var.uri)
      } }`,
      [
        ["GET", "/r"],
        ["HEAD", "/r"],
      ],
    );
    expect(result.responses[0].status).toBe(403);
    expect(result.responses[0].body).toBe("denied GET /r\n");
    expect(result.responses[1].status).toBe(403);
  });

  it("redirects to a URL with 302", () => {
    const result = run(
      `location = /r { error_page 404 http://example.com/x; return 404; }`,
      [["GET", "/r"]],
    );
    expect(result.responses[0].status).toBe(302);
    expect(result.responses[0].headers.location).toBe("http://example.com/x");
  });
});

describe("body_filter_by_lua error", () => {
  it("is logged for the chunk and again for the last buffer", () => {
    const result = run(
      `location = /t {
        content_by_lua_block { ngx.say("body") }
        body_filter_by_lua_block { error("body filter failed") }
      }`,
      [["GET", "/t"]],
    );
    const lines = result.errorLog.map((e) => e.message.split("\n")[0]);
    const expected =
      "failed to run body_filter_by_lua*: " +
      "body_filter_by_lua(nginx.conf:5):1: body filter failed";
    expect(lines).toEqual([expected, expected]);
    expect(result.responses[0].empty_reply).toBe(true);
  });
});
