import { describe, expect, it } from "vitest";
import { runScenario } from "../../run";
import { SCENARIO_DEFAULTS, type Scenario } from "../../scenario";

/** Builds a client-facing server (8080, `/t`) and a backend (8081). */
function conf(handler: string, backend: string, extra = ""): string {
  return `error_log logs/error.log notice;
events { worker_connections 1024; }
http {
    server {
        listen 8080;
        location = /t {
            content_by_lua_block {
${handler}
            }
            ${extra}
        }
    }
    server {
        listen 127.0.0.1:8081;
        ${backend}
    }
}
`;
}

const HELLO = `location = /hello {
    content_by_lua_block { ngx.say("hello ", ngx.var.request_uri) }
}`;

function run(nginxConf: string) {
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
  return runScenario(scenario);
}

function bodyOf(result: ReturnType<typeof run>): string {
  return result.responses[0].body;
}

function errors(result: ReturnType<typeof run>): string[] {
  return result.errorLog
    .filter((e) => e.level === "error")
    .map((e) => e.message);
}

/** Lua that reads one chunked HTTP/1.1 response and prints its body. */
const READ_CHUNKED = `
local function read_response(sock)
    local status = sock:receive("*l")
    repeat local line = sock:receive("*l") until line == ""
    local size = tonumber(sock:receive("*l"), 16)
    local data = sock:receive(size)
    sock:receive("*l")
    assert(sock:receive("*l") == "0")
    assert(sock:receive("*l") == "")
    return status, data
end
`;

describe("ngx.socket.tcp", () => {
  it("reuses a kept-alive HTTP/1.1 connection from the pool", () => {
    const result = run(
      conf(
        `${READ_CHUNKED}
        for i = 1, 2 do
            local sock = ngx.socket.tcp()
            assert(sock:connect("127.0.0.1", 8081))
            ngx.say("reused: ", sock:getreusedtimes())
            sock:send("GET /hello?n=" .. i .. " HTTP/1.1\\r\\nHost: b\\r\\n\\r\\n")
            local status, data = read_response(sock)
            ngx.say(status, " | ", data)
            ngx.say("keepalive: ", sock:setkeepalive())
            ngx.say("after: ", tostring(sock:getreusedtimes()))
        end`,
        HELLO,
      ),
    );
    expect(bodyOf(result)).toBe(
      "reused: 0\nHTTP/1.1 200 OK | hello /hello?n=1\n\nkeepalive: 1\nafter: nil\n" +
        "reused: 1\nHTTP/1.1 200 OK | hello /hello?n=2\n\nkeepalive: 1\nafter: nil\n",
    );
  });

  it("refuses setkeepalive with unread data in the buffer", () => {
    const result = run(
      conf(
        `local sock = ngx.socket.tcp()
        assert(sock:connect("127.0.0.1", 8081))
        sock:send("GET /hello HTTP/1.1\\r\\nHost: b\\r\\n\\r\\n")
        sock:receive("*l")
        ngx.say(sock:setkeepalive())`,
        HELLO,
      ),
    );
    expect(bodyOf(result)).toBe("nilunread data in buffer\n");
  });

  it("records yield and resume for connect and receive", () => {
    const result = run(
      conf(
        `local sock = ngx.socket.tcp()
        assert(sock:connect("127.0.0.1", 8081))
        sock:send("GET /hello HTTP/1.0\\r\\n\\r\\n")
        ngx.say(sock:receive("*a") ~= nil)`,
        HELLO,
      ),
    );
    expect(bodyOf(result)).toBe("true\n");
    const reasons = result.trace.flatMap((e) => (e.kind === "yield" ? [e.reason] : []));
    expect(reasons).toEqual(["socket-connect", "socket-receive"]);
    expect(result.trace.filter((e) => e.kind === "resume")).toHaveLength(2);
  });

  it("sends a table of strings and numbers and returns the byte count", () => {
    const result = run(
      conf(
        `local sock = ngx.socket.tcp()
        assert(sock:connect("127.0.0.1", 8081))
        ngx.say(sock:send({"GET /hello", {" HTTP/1.", 0}, "\\r\\n\\r\\n"}))
        ngx.say(sock:receive("*l"))`,
        HELLO,
      ),
    );
    expect(bodyOf(result)).toBe("23\nHTTP/1.1 200 OK\n");
  });

  it("reads a body with receiveuntil", () => {
    const result = run(
      conf(
        `local sock = ngx.socket.tcp()
        assert(sock:connect("127.0.0.1", 8081))
        sock:send("GET /hello HTTP/1.0\\r\\n\\r\\n")
        local headers = sock:receiveuntil("\\r\\n\\r\\n")
        assert(headers())
        local words = sock:receiveuntil(" ")
        ngx.say("[", words(), "]")
        local reader = sock:receiveuntil("\\n")
        ngx.say("[", reader(3), "][", reader(3), "][", tostring(reader(3)), "]")`,
        `location = /hello { return 200 "hello world\\n"; }`,
      ),
    );
    expect(bodyOf(result)).toBe("[hello]\n[wor][ld][nil]\n");
  });

  it("reports connect errors as lua-nginx-module does", () => {
    const result = run(
      conf(
        `local function try(host, port)
            local ok, err = ngx.socket.tcp():connect(host, port)
            ngx.say(tostring(ok), ", ", err)
        end
        try("127.0.0.1", 8089)
        try("10.0.0.1", 8081)
        try("example.com", 80)
        try("127.0.0.1", 70000)
        try("127.0.0.1")`,
        HELLO,
      ),
    );
    expect(bodyOf(result)).toBe(
      "nil, connection refused\nnil, connection refused\n" +
        'nil, no resolver defined to resolve "example.com"\n' +
        "nil, bad port number: 70000\nnil, missing the port number\n",
    );
    expect(errors(result)).toEqual([
      "connect() failed (111: Connection refused)",
      "connect() failed (111: Connection refused)",
    ]);
  });

  it("ngx.socket.connect returns a connected socket", () => {
    const result = run(
      conf(
        `local sock = assert(ngx.socket.connect("127.0.0.1", 8081))
        sock:send("GET /hello HTTP/1.0\\r\\n\\r\\n")
        ngx.say(sock:receive("*l"))
        ngx.say(ngx.socket.connect("127.0.0.1", 8089))`,
        HELLO,
      ),
    );
    expect(bodyOf(result)).toBe("HTTP/1.1 200 OK\nnilconnection refused\n");
  });

  it("is disabled in header_filter_by_lua", () => {
    const result = run(
      conf(
        `ngx.say("ok")`,
        HELLO,
        `header_filter_by_lua_block {
            local ok, err = pcall(ngx.socket.tcp)
            ngx.header["X-Err"] = err
        }`,
      ),
    );
    expect(result.responses[0].headers["x-err"]).toBe(
      "API disabled in the context of header_filter_by_lua*",
    );
  });

  it("gives socket busy reading to a second reader", () => {
    const result = run(
      conf(
        `local sock = ngx.socket.tcp()
        assert(sock:connect("127.0.0.1", 8081))
        sock:send("GET /slow HTTP/1.0\\r\\n\\r\\n")
        local t = ngx.thread.spawn(function() return sock:receive("*l") end)
        ngx.say(sock:receive("*l"))
        ngx.say(select(2, ngx.thread.wait(t)))`,
        `location = /slow { content_by_lua_block { ngx.sleep(0.1) ngx.say("x") } }`,
      ),
    );
    expect(bodyOf(result)).toBe("nilsocket busy reading\nHTTP/1.1 200 OK\n");
  });

  it("times out a read, logs it, and keeps the connection", () => {
    const result = run(
      conf(
        `local sock = ngx.socket.tcp()
        sock:settimeouts(1000, 1000, 50)
        assert(sock:connect("127.0.0.1", 8081))
        sock:send("GET /slow HTTP/1.0\\r\\n\\r\\n")
        ngx.say(sock:receive("*l"))
        sock:settimeout(1000)
        ngx.say(sock:receive("*l"))`,
        `location = /slow { content_by_lua_block { ngx.sleep(0.2) ngx.say("x") } }`,
      ),
    );
    expect(bodyOf(result)).toBe("niltimeout\nHTTP/1.1 200 OK\n");
    expect(errors(result)).toEqual(["lua tcp socket read timed out"]);
  });
});
