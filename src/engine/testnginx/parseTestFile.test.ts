import { describe, expect, it } from "vitest";
import { parseTestFile } from "./parseTestFile";
import { blockRequests, blockUserFiles, parseSteps, TestBlockError } from "./requests";
import { blockToScenario } from "./toScenario";

const FILE = `use Test::Nginx::Socket;
__DATA__

=== TEST 1: first
--- http_config

lua_shared_dict d 1m;
--- config
location /t { echo hi; }
--- request eval
"GET /t"
--- response_body chomp
hi
--- repeat 3
--- wait: 0.5
--- foo
bar

=== TEST 7:second
--- requests
GET /a
x2 POST /b
a=1

--- more_headers
X-A: 1
--- timeout 2
`;

describe("parseTestFile", () => {
  const [first, second] = parseTestFile(FILE);

  it("reads numbers and titles after __DATA__", () => {
    expect([first.test, first.title, second.test, second.title]).toEqual([1, "first", 7, "second"]);
    expect(first.line).toBe(4);
  });

  it("keeps leading blank lines of config sections only", () => {
    expect(first.sections.http_config.text).toBe("\nlua_shared_dict d 1m;");
    expect(second.sections.requests.text).toBe("GET /a\nx2 POST /b\na=1");
  });

  it("reads inline values and modifiers", () => {
    expect(first.sections.repeat.text).toBe("3");
    expect(first.sections.wait.text).toBe("0.5");
    expect(first.sections.request.modifiers).toEqual(["eval"]);
    expect(first.sections.response_body.modifiers).toEqual(["chomp"]);
  });

  it("notes unsupported sections and modifiers", () => {
    expect(first.notes).toEqual([
      'modifier "eval" of "--- request" is not supported',
      'section "--- foo" is not supported and was ignored',
    ]);
    expect(second.notes).toEqual([]);
  });

  it("turns requests and headers into scenario steps", () => {
    const scenario = blockToScenario(second);
    expect(scenario.requestTimeout).toBe(2);
    expect(scenario.confPath).toBe("$PREFIX/conf/nginx.conf");
    expect(scenario.steps).toEqual([
      { step: "request", request: { method: "GET", uri: "/a", headers: [["X-A", "1"]], body: null, parallel: 1 } },
      { step: "request", request: { method: "POST", uri: "/b", headers: [["X-A", "1"]], body: "a=1", parallel: 2 } },
    ]);
  });
});

describe("block requests", () => {
  function block(sections: string) {
    return parseTestFile(`=== TEST 1: t\n${sections}`)[0];
  }

  it("repeats a request with --- repeat and --- concurrency", () => {
    const requests = blockRequests(block("--- request\nGET /t\n--- repeat 2\n--- concurrency 3"));
    expect(requests).toEqual([
      { parallel: 3, method: "GET", uri: "/t", body: null },
      { parallel: 3, method: "GET", uri: "/t", body: null },
    ]);
  });

  it("reads steps with background requests, sleeps and bodies", () => {
    const steps = parseSteps("GET /a &\nsleep 0.5\nPOST /b\nbody line\nreload\nkill-worker\nquit");
    expect(steps).toEqual([
      { step: "request", parallel: 1, method: "GET", uri: "/a", body: null, background: true },
      { step: "sleep", seconds: 0.5 },
      { step: "request", parallel: 1, method: "POST", uri: "/b", body: "body line" },
      { step: "reload" },
      { step: "kill-worker" },
      { step: "quit" },
    ]);
  });

  it("rejects a step after quit", () => {
    expect(() => parseSteps("quit\nGET /a")).toThrow(TestBlockError);
  });

  it("rejects steps given with a request", () => {
    expect(() => blockRequests(block("--- request\nGET /a\n--- steps\nGET /b"))).toThrow(
      "--- steps replaces --- request(s); give only one",
    );
  });

  it("reads user files with one final newline", () => {
    const files = blockUserFiles(block("--- user_files\n>>> a.lua\nreturn 1\n\n>>> lib/b.lua\nreturn 2"));
    expect(files).toEqual([
      { path: "a.lua", content: "return 1\n" },
      { path: "lib/b.lua", content: "return 2\n" },
    ]);
    expect(blockToScenario(block("--- user_files\n>>> a.lua\nx")).files).toEqual({ "html/a.lua": "x\n" });
  });

  it("rejects user file paths that leave html/", () => {
    expect(() => blockUserFiles(block("--- user_files\n>>> ../x.lua\n1"))).toThrow(
      '--- user_files: invalid path "../x.lua"',
    );
  });

  it("substitutes port variables with numbers for the engine", () => {
    const scenario = blockToScenario(
      block("--- config\nlocation /t { content_by_lua_block { c($TEST_NGINX_RAND_PORT_2) } }\n--- request\nGET /t"),
    );
    expect(scenario.nginxConf).toContain("c(18082)");
    expect(scenario.nginxConf).toContain("listen 127.0.0.1:18080;");
  });
});
