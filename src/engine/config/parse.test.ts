import { describe, expect, it } from "vitest";
import { formatStartupError, UnsupportedDirectiveError } from "./errors";
import { parseConfig } from "./parse";
import type { Location } from "./types";

/** Wraps `body` in main + events + http + server, starting at line 1. */
function conf(server: string, http = "", main = ""): string {
  return `${main}events {}\nhttp {\n${http}\nserver {\n${server}\n}\n}\n`;
}

function firstLocation(text: string): Location {
  const config = parseConfig(text, "nginx.conf");
  return config.http!.servers[0].locations[0];
}

function errorOf(text: string, confPath = "nginx.conf"): string {
  try {
    parseConfig(text, confPath);
  } catch (error) {
    return (error as Error).message;
  }
  return "(no error)";
}

describe("parseConfig chunk names", () => {
  it("names a block chunk after the directive's line", () => {
    const text = [
      "events {}",
      "http {",
      "  server {",
      "    location = /t {",
      "      content_by_lua_block {",
      '        ngx.say("hi")',
      "      }",
      "    }",
      "  }",
      "}",
    ].join("\n");
    const lua = firstLocation(text).lua.content!;
    expect(lua.chunkName).toBe("content_by_lua(nginx.conf:5)");
    expect(lua.code).toBe('\n        ngx.say("hi")\n      ');
    expect(lua.src).toEqual({ file: "nginx.conf", line: 5 });
  });

  it("uses the basename of confPath in chunk names only", () => {
    const text = "events {}\nhttp {\ninit_by_lua_block { x = 1 }\n}\n";
    const config = parseConfig(text, "$PREFIX/conf/nginx.conf");
    expect(config.http!.initByLua!.chunkName).toBe("init_by_lua(nginx.conf:3)");
    expect(config.http!.initByLua!.src.file).toBe("$PREFIX/conf/nginx.conf");
  });

  it("names string forms like block forms", () => {
    const location = firstLocation(
      conf("location /t {\nrewrite_by_lua 'ngx.exit(ngx.ERROR)';\n}"),
    );
    expect(location.lua.rewrite!.chunkName).toBe("rewrite_by_lua(nginx.conf:6)");
    expect(location.lua.rewrite!.code).toBe("ngx.exit(ngx.ERROR)");
  });

  it("keeps the path of a *_by_lua_file", () => {
    const location = firstLocation(conf("location /t {\ncontent_by_lua_file html/a.lua;\n}"));
    expect(location.lua.content!.filePath).toBe("html/a.lua");
    expect(location.lua.content!.code).toBe("");
  });
});

describe("parseConfig rewrite steps", () => {
  it("keeps set, set_by_lua and rewrite in order", () => {
    const location = firstLocation(
      conf(
        [
          "location /t {",
          "set $a 20;",
          "set_by_lua $res 'return ngx.arg[1] + ngx.arg[2]' $a 22;",
          "set_by_lua_block $b { return 1 }",
          "rewrite ^ /x break;",
          "return 200 'ok';",
          "}",
        ].join("\n"),
      ),
    );
    expect(location.rewrite.map((step) => step.kind)).toEqual([
      "set",
      "set_by_lua",
      "set_by_lua",
      "rewrite",
      "return",
    ]);
    const [, setByLua, block] = location.rewrite;
    if (setByLua.kind !== "set_by_lua" || block.kind !== "set_by_lua") {
      throw new Error("expected set_by_lua steps");
    }
    expect(setByLua.args).toEqual(["$a", "22"]);
    expect(setByLua.variable).toBe("res");
    expect(block.lua.chunkName).toBe("set_by_lua(nginx.conf:8)");
  });

  it("turns a URL-only return into a 302", () => {
    const location = firstLocation(conf("location /t {\nreturn https://example.com/;\n}"));
    expect(location.rewrite[0]).toMatchObject({ kind: "return", code: 302 });
  });
});

describe("parseConfig inheritance", () => {
  const text = conf(
    [
      "rewrite_by_lua_block { server_level() }",
      "add_header X-Server 1;",
      "location /a {",
      "  default_type text/html;",
      "  add_header X-Loc 1;",
      "  location /a/b {",
      "    content_by_lua_block { inner() }",
      "  }",
      "}",
      "location /c {",
      "  rewrite_by_lua_block { own() }",
      "}",
    ].join("\n"),
    "log_by_lua_block { http_level() }\nerror_page 404 /404;",
  );
  const [a, c] = parseConfig(text, "nginx.conf").http!.servers[0].locations;
  const nested = a.locations[0];

  it("inherits Lua handlers from the innermost level that has one", () => {
    expect(a.lua.rewrite!.code).toContain("server_level");
    expect(a.lua.log!.code).toContain("http_level");
    expect(c.lua.rewrite!.code).toContain("own");
  });

  it("never inherits content handlers", () => {
    expect(nested.lua.content!.code).toContain("inner");
    expect(a.lua.content).toBeUndefined();
  });

  it("takes add_header from the innermost level that has any", () => {
    expect(a.addHeaders.map((h) => h.name)).toEqual(["X-Loc"]);
    expect(nested.addHeaders.map((h) => h.name)).toEqual(["X-Loc"]);
    expect(c.addHeaders.map((h) => h.name)).toEqual(["X-Server"]);
  });

  it("inherits default_type and error_page", () => {
    expect(nested.defaultType).toBe("text/html");
    expect(c.defaultType).toBe("text/plain");
    expect(c.errorPages[0]).toMatchObject({ codes: [404], uri: "/404" });
  });
});

describe("parseConfig http and main settings", () => {
  it("reads shared dicts, timers, workers and the error_log level", () => {
    const text = conf(
      "",
      "lua_shared_dict dogs 1m;\nlua_shared_dict cats 12k;\nlua_max_pending_timers 2;",
      "worker_processes 2;\nerror_log logs/error.log info;\n",
    );
    const config = parseConfig(text, "nginx.conf");
    expect(config.workerProcesses).toBe(2);
    expect(config.errorLogLevel).toBe("info");
    expect(config.http!.sharedDicts.map((d) => [d.name, d.size])).toEqual([
      ["dogs", 1048576],
      ["cats", 12288],
    ]);
    expect(config.http!.luaMaxPendingTimers).toBe(2);
    expect(config.http!.luaMaxRunningTimers).toBe(256);
  });

  it("parses listen addresses and the oracle's placeholders", () => {
    const text = conf("listen 127.0.0.1:PORT_1 default_server;\nlisten 8080;");
    const [first, second] = parseConfig(text, "nginx.conf").http!.servers[0].listen;
    expect(first).toEqual({ address: "127.0.0.1", port: 18081, isDefaultServer: true });
    expect(second).toEqual({ address: "0.0.0.0", port: 8080, isDefaultServer: false });
  });

  it("reads echo steps in order", () => {
    const location = firstLocation(conf('location /t {\necho "a";\necho_sleep 0.5;\necho_flush;\n}'));
    expect(location.echo.map((step) => [step.kind, step.args])).toEqual([
      ["echo", ["a"]],
      ["echo_sleep", ["0.5"]],
      ["echo_flush", []],
    ]);
  });
});

describe("parseConfig errors", () => {
  const cases: Array<[string, string, string]> = [
    ["unknown directive", conf("foo bar;"), 'unknown directive "foo" in nginx.conf:5'],
    ["wrong context", conf("lua_shared_dict d 1m;"), '"lua_shared_dict" directive is not allowed here in nginx.conf:5'],
    ["content outside location", conf("content_by_lua_block { }"), '"content_by_lua_block" directive is not allowed here in nginx.conf:5'],
    ["argument count", conf("location /t {\nset_by_lua_block $res $a 22 {\nreturn 1\n}\n}"), 'invalid number of arguments in "set_by_lua_block" directive in nginx.conf:6'],
    ["missing block", conf("location /t;"), 'directive "location" has no opening "{" in nginx.conf:5'],
    ["block where ; belongs", conf("set $a 1 {"), 'directive "set" is not terminated by ";" in nginx.conf:5'],
    ["duplicate flag", "daemon off;\ndaemon on;\nevents {}", '"daemon" directive is duplicate in nginx.conf:2'],
    ["duplicate handler", conf("location /t {\ncontent_by_lua 'a()';\ncontent_by_lua_block { b() }\n}"), '"content_by_lua_block" directive is duplicate in nginx.conf:7'],
    ["bad flag", "master_process yes;\nevents {}", 'invalid value "yes" in "master_process" directive, it must be "on" or "off" in nginx.conf:1'],
    ["bad workers", "worker_processes many;\nevents {}", '"worker_processes" directive invalid value in nginx.conf:1'],
    ["bad dict size", conf("", "lua_shared_dict d 1x;"), 'invalid lua shared dict size "1x" in nginx.conf:3'],
    ["dict too small", conf("", "lua_shared_dict d 100;"), 'invalid lua shared dict size "100" in nginx.conf:3'],
    ["dict twice", conf("", "lua_shared_dict d 1m;\nlua_shared_dict d 1m;"), 'lua_shared_dict "d" is already defined as "d" in nginx.conf:4'],
    ["bad port", conf("listen 127.0.0.1:99999;"), 'invalid port in "127.0.0.1:99999" of the "listen" directive in nginx.conf:5'],
    ["bad log level", "error_log logs/e.log loud;\nevents {}", 'invalid log level "loud" in nginx.conf:1'],
    ["bad return code", conf("return abc;"), 'invalid return code "abc" in nginx.conf:5'],
    ["error_page range", conf("error_page 200 /x;"), 'value "200" must be between 300 and 599 in nginx.conf:5'],
    ["stray }", "events {}\n}", 'unexpected "}" in nginx.conf:2'],
    ["unclosed block", "events {\n", 'unexpected end of file, expecting "}" in nginx.conf:2'],
    ["no events", "worker_processes 1;", 'no "events" section in configuration'],
    ["location outside parent", conf("location /a {\nlocation /b {}\n}"), 'location "/b" is outside location "/a" in nginx.conf:6'],
    ["inside exact", conf("location = /a {\nlocation /a/b {}\n}"), 'location "/a/b" cannot be inside the exact location "/a" in nginx.conf:6'],
    ["duplicate location", conf("location /a {}\nlocation /a {}"), 'duplicate location "/a" in nginx.conf:6'],
    ["include", conf("include mime.types;"), 'open() "$PREFIX/conf/mime.types" failed (2: No such file or directory) in nginx.conf:5'],
  ];

  for (const [title, text, message] of cases) {
    it(`words ${title} as nginx does`, () => {
      const confPath = title === "include" ? "$PREFIX/conf/nginx.conf" : "nginx.conf";
      const expected = message.replace(" in nginx.conf:", ` in ${confPath}:`);
      expect(errorOf(text, confPath)).toBe(expected);
    });
  }

  it("names a directive the simulator does not run", () => {
    let caught: unknown;
    try {
      parseConfig(conf("location /t {\nfastcgi_pass 127.0.0.1:9000;\n}"), "nginx.conf");
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(UnsupportedDirectiveError);
    expect((caught as Error).message).toBe(
      '"fastcgi_pass" directive is not supported by this simulator in nginx.conf:6',
    );
  });

  it.each([
    ["proxy_pass http://b;", 'host not found in upstream "b" in nginx.conf:6'],
    ["proxy_pass ftp://127.0.0.1;", "invalid URL prefix in nginx.conf:6"],
  ])("checks proxy_pass: %s", (directive, message) => {
    expect(() => parseConfig(conf(`location /t {\n${directive}\n}`), "nginx.conf")).toThrow(message);
  });

  it("rejects a URI part in a regex location's proxy_pass", () => {
    expect(() =>
      parseConfig(conf("location ~ ^/t {\nproxy_pass http://127.0.0.1:80/x;\n}"), "nginx.conf"),
    ).toThrow('"proxy_pass" cannot have URI part in location given by regular expression');
  });

  it("formats a startup error as nginx -t prints it", () => {
    let caught: unknown;
    try {
      parseConfig(conf("foo;"), "$PREFIX/conf/nginx.conf");
    } catch (error) {
      caught = error;
    }
    expect(formatStartupError(caught as never, "$PREFIX/conf/nginx.conf")).toBe(
      'nginx: [emerg] unknown directive "foo" in $PREFIX/conf/nginx.conf:5\n' +
        "nginx: configuration file $PREFIX/conf/nginx.conf test failed",
    );
  });
});

describe("map blocks", () => {
  const withMap = (entries: string) =>
    `events { worker_connections 1024; }\nhttp {\nmap $arg_k $v {\n${entries}\n}\nserver { listen 8080; }\n}\n`;

  it("reads exact keys, regexes and the default", () => {
    const config = parseConfig(withMap('default "d";\na x;\n~*^B(\\d) y$1;'), "nginx.conf");
    const map = config.http?.maps.get("v");
    expect(map?.defaultValue).toBe("d");
    expect(map?.exact.get("a")).toBe("x");
    expect(map?.regexes[0].regex.flags).toBe("i");
  });

  it("refuses hostnames, which it cannot match", () => {
    expect(() => parseConfig(withMap("hostnames;"), "nginx.conf")).toThrow(
      '"map hostnames" directive is not supported by this simulator in nginx.conf:4',
    );
  });
});

describe("if blocks", () => {
  const inLocation = (body: string) =>
    `events { worker_connections 1024; }\nhttp {\nserver { listen 8080;\nlocation /t {\n${body}\n}\n}\n}\n`;

  it("keeps the condition and the rewrite directives inside", () => {
    const config = parseConfig(inLocation('if ($arg_a = "1") {\nset $x 1;\nreturn 403;\n}'), "nginx.conf");
    const step = config.http?.servers[0].locations[0].rewrite[0];
    expect(step?.kind).toBe("if");
    expect(step?.kind === "if" && step.steps.map((s) => s.kind)).toEqual(["set", "return"]);
  });

  it("refuses other directives inside if", () => {
    expect(() =>
      parseConfig(inLocation("if ($arg_a) {\ncontent_by_lua_block { ngx.say(1) }\n}"), "nginx.conf"),
    ).toThrow('"content_by_lua_block" inside "if" directive is not supported by this simulator');
  });

  it("refuses file tests", () => {
    expect(() => parseConfig(inLocation("if (-f $request_filename) {\nreturn 204;\n}"), "nginx.conf")).toThrow(
      "is not supported by this simulator",
    );
  });
});
