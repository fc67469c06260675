import { describe, expect, it } from "vitest";
import type { ErrorLogEntry, ResponseRecord, RunResult } from "../scenario";
import { normalizeText } from "./normalize";
import { parseTestFile } from "./parseTestFile";
import { pythonJsonDumps } from "./pythonJson";
import { runBlockRecord } from "./record";

function response(index: number, body: string, extra: Partial<ResponseRecord> = {}): ResponseRecord {
  return {
    requestIndex: index,
    status: 200,
    status_line: "HTTP/1.1 200 OK",
    headers: { "content-type": "text/plain", date: "x", server: "openresty" },
    body,
    empty_reply: false,
    timed_out: false,
    connection: index + 1,
    pid: 100,
    ...extra,
  };
}

function entry(level: ErrorLogEntry["level"], message: string, time = 0, pid = 100): ErrorLogEntry {
  return { level, message, time, pid, connection: null, trailer: "" };
}

function result(partial: Partial<RunResult>): RunResult {
  return {
    startupError: null,
    startupStage: null,
    responses: [],
    errorLog: [],
    stderr: [],
    trace: [],
    races: [],
    endTime: 0,
    ...partial,
  };
}

const BLOCK = `=== TEST 3: demo
--- config
location /t { content_by_lua_block { ngx.say(1) } }
--- requests
GET /a
x3 GET /b
--- sort_error_log
`;

describe("runBlockRecord", () => {
  const [block] = parseTestFile(BLOCK);

  it("orders responses by request and sorts parallel batches", async () => {
    const record = await runBlockRecord(block, () =>
      result({ responses: [response(3, "c"), response(0, "z"), response(1, "b"), response(2, "a")] }),
    );
    expect(record.responses.map((r) => r.body)).toEqual(["z", "a", "b", "c"]);
    expect(record.responses[0].headers).toEqual({ "content-type": "text/plain" });
  });

  it("keeps notice and above, normalised and sorted when asked", async () => {
    const record = await runBlockRecord(block, () =>
      result({
        errorLog: [
          entry("info", "dropped"),
          entry("notice", "z at 127.0.0.1:18081"),
          entry("error", "a 0x7f00aabbccdd process 4242"),
          entry("notice", "start worker process 4243"),
        ],
      }),
    );
    expect(record.error_log).toEqual([
      "[error] a 0xADDR process PID",
      "[notice] z at 127.0.0.1:PORT_1",
    ]);
    expect(record.error_log_sorted).toBe(true);
  });

  it("turns an engine exception into a startup_error", async () => {
    const record = await runBlockRecord(block, () => {
      throw new Error("boom");
    });
    expect(record.startup_error).toBe("simulator: cannot run this block: boom");
    expect(record.nginx_conf).toContain("listen 127.0.0.1:PORT;");
  });

  it("reports a configuration error without running the engine", async () => {
    const [bad] = parseTestFile("=== TEST 1: bad\n--- config\nfoo;\n--- request\nGET /t\n");
    let isRun = false;
    const record = await runBlockRecord(bad, () => {
      isRun = true;
      return result({});
    });
    expect(isRun).toBe(false);
    expect(record.startup_error).toBe(
      'nginx: [emerg] unknown directive "foo" in $PREFIX/conf/nginx.conf:25\n' +
        "nginx: configuration file $PREFIX/conf/nginx.conf test failed",
    );
    expect(record.startup_stage).toBe("test");
  });

  it("copies the engine's startup error and stderr lines", async () => {
    const record = await runBlockRecord(block, () =>
      result({
        startupError: "nginx: [error] init_by_lua error: boom",
        startupStage: "start",
        stderr: [entry("notice", "from init")],
      }),
    );
    expect(record.startup_error).toBe("nginx: [error] init_by_lua error: boom");
    expect(record.startup_stage).toBe("start");
    expect(record.stderr).toEqual(["[notice] from init"]);
  });
});

describe("normalizeText", () => {
  it("replaces ports and nginx %p pointers", () => {
    expect(normalizeText("u:00007F76AABBCCDD, c:0000000000000000 127.0.0.1:18080")).toBe(
      "u:ADDR, c:0000000000000000 127.0.0.1:PORT",
    );
  });
});

describe("pythonJsonDumps", () => {
  it("sorts keys and escapes like Python's json.dumps", () => {
    expect(pythonJsonDumps({ b: [1, true, null], a: "é\n" })).toBe(
      '{"a": "\\u00e9\\n", "b": [1, true, null]}',
    );
  });
});
