import { describe, expect, it } from "vitest";
import { runScenario } from "../run";
import { SCENARIO_DEFAULTS, type Scenario } from "../scenario";
import { runBlockCheck } from "./checkRun";
import {
  exportTestFile,
  logExpectation,
  perlString,
  type ExportWorkspace,
} from "./exportTestFile";
import { evalPerl } from "./perlValue";
import { importBlock } from "./importBlock";
import { selectLogLines } from "./normalize";
import { parseTestFile, sectionText } from "./parseTestFile";
import { orderResponses } from "./record";
import { splitConf } from "./splitConf";

const CONF = `worker_processes 1;
error_log logs/error.log info;

events {
    worker_connections 1024;
}

http {
    lua_shared_dict counts 1m;

    server {
        listen 8080;
        server_name localhost;

        location = /t {
            content_by_lua_block {
                local n = ngx.shared.counts:incr("n", 1, 0)
                ngx.log(ngx.NOTICE, "count=", n)
                ngx.say("n=", n)
            }
        }
    }
}
`;

function workspace(partial: Partial<ExportWorkspace> = {}): ExportWorkspace {
  return {
    title: "Counter",
    nginxConf: CONF,
    request: { method: "GET", uri: "/t", body: null, parallel: 1 },
    headers: [],
    stepsText: "",
    files: {},
    ...partial,
  };
}

describe("splitConf", () => {
  it("splits a playground config into block sections", () => {
    const split = splitConf(CONF);
    expect(split.mainConfig).toBe("");
    expect(split.httpConfig).toBe("lua_shared_dict counts 1m;");
    expect(split.config.split("\n")[0]).toBe("location = /t {");
    expect(split.config).not.toContain("listen");
    expect(split.warnings).toEqual([]);
  });

  it("keeps a second server and moves default_type", () => {
    const conf = `events {}
http {
    default_type application/json;
    server {
        listen 8080;
        location / { return 200; }
    }
    server {
        listen 127.0.0.1:18081;
        location / { return 204; }
    }
}
`;
    const split = splitConf(conf);
    expect(split.config).toBe("default_type application/json;\nlocation / { return 200; }");
    expect(split.httpConfig).toContain("listen 127.0.0.1:$TEST_NGINX_RAND_PORT_1;");
    expect(split.warnings).toContain('"default_type application/json" was moved into the server block');
    expect(split.warnings.join("\n")).toContain("events block was left out");
  });

  it("rejects two statements on one line", () => {
    expect(() => splitConf("events {} http { server { listen 80; } }")).toThrow(
      "put each statement on its own line",
    );
  });
});

describe("exportTestFile", () => {
  it("writes a block that parseTestFile reads back", () => {
    const headers = ["X-Test: 1"];
    const { text } = exportTestFile(workspace({ headers }));
    const [block] = parseTestFile(text);
    expect(block.title).toBe("Counter");
    expect(sectionText(block, "http_config")).toBe("lua_shared_dict counts 1m;");
    expect(sectionText(block, "request")).toBe("GET /t");
    expect(sectionText(block, "more_headers")).toBe("X-Test: 1");
    expect(block.notes).toEqual([]);
  });

  it("writes copies and steps as --- steps", () => {
    const request = { method: "POST", uri: "/t", body: "a=1", parallel: 2 };
    const { text } = exportTestFile(workspace({ request, stepsText: "sleep 1\nreload" }));
    const [block] = parseTestFile(text);
    expect(sectionText(block, "steps")).toBe("x2 POST /t\na=1\nsleep 1\nreload");
  });

  it("survives export, import and export unchanged", () => {
    const first = exportTestFile(workspace({
      stepsText: "x3 GET /t\nkill-worker",
      headers: ["X-A: b"],
      files: { "html/foo.lua": "return 1\n" },
    }));
    const [block] = parseTestFile(first.text);
    const imported = importBlock(block);
    expect(imported.workspace.files).toEqual({ "html/foo.lua": "return 1\n" });
    const second = exportTestFile(imported.workspace);
    expect(second.text).toBe(first.text);
  });

  it("writes bodies in the section form that keeps them exact", () => {
    const response = (body: string) => ({
      status: 200,
      status_line: "HTTP/1.1 200 OK",
      headers: {},
      body,
      empty_reply: false,
      timed_out: false,
    });
    const write = (...bodies: string[]) =>
      exportTestFile(workspace(), { responses: bodies.map(response), logLines: [] }).text;
    expect(write("a\nb\n")).toContain("--- error_code: 200\n--- response_body\na\nb\n");
    expect(write("a")).toContain("--- response_body chomp\na\n");
    expect(write("a\n\n")).toContain('--- response_body eval\n"a\\n\\n"\n');
    expect(write("x\n", "y\n")).toContain('--- error_code eval\n[200, 200]\n--- response_body eval\n["x\\n",\n "y\\n"]');
  });

  it("writes log lines without level and chunk name", () => {
    expect(logExpectation("[notice] [lua] content_by_lua(nginx.conf:17):3: count=1")).toBe(
      "count=1",
    );
    expect(logExpectation("[error] lua entry thread aborted: runtime error: content_by_lua(nginx.conf:5):2: boom\nstack traceback:")).toBe("boom");
    expect(logExpectation("[warn] plain message")).toBe("plain message");
  });
});

describe("perlString", () => {
  it("quotes text that evalPerl reads back", () => {
    const text = 'a"b$c@d\\e\n\t\r\x01ü';
    expect(evalPerl(perlString(text))).toBe(text);
  });
});

describe("exported expectations", () => {
  it("pass when the exported block runs in the engine", async () => {
    const scenario: Scenario = {
      ...SCENARIO_DEFAULTS,
      nginxConf: CONF,
      steps: [{
        step: "request",
        request: { method: "GET", uri: "/t", headers: [], body: null, parallel: 2 },
      }],
    };
    const result = runScenario(scenario);
    const responses = orderResponses(result.responses, [2]);
    const logLines = selectLogLines(result.errorLog, result, scenario);
    expect(responses.map((response) => response.body).sort()).toEqual(["n=1\n", "n=2\n"]);
    const request = { method: "GET", uri: "/t", body: null, parallel: 2 };
    const { text } = exportTestFile(workspace({ request }), { responses, logLines });
    expect(text).toContain("--- error_log\ncount=1\ncount=2\n");
    const [block] = parseTestFile(text);
    const check = await runBlockCheck(block, runScenario, text);
    expect(check.results.filter((entry) => !entry.passed)).toEqual([]);
  });
});
