import { describe, expect, it } from "vitest";
import { runLua } from "./luaTestState";

function printed(source: string, files: Record<string, string> = {}): string[] {
  const { output, error } = runLua(source, files);
  expect(error).toBeNull();
  return output;
}

/** The log text of a missing `require "no.such.module"` on real OpenResty. */
const MISSING_MODULE_MESSAGE = [
  "module 'no.such.module' not found:",
  "\tno field package.preload['no.such.module']",
  "\tno file '/usr/share/lua/5.1/no/such/module.lua'",
  "\tno file '/usr/share/lua/5.1/no/such/module.lua'",
  "\tno file './no/such/module.lua'",
  "\tno file '/usr/share/luajit-2.1.0-beta3/no/such/module.lua'",
  "\tno file '/usr/local/share/lua/5.1/no/such/module.lua'",
  "\tno file '/usr/local/share/lua/5.1/no/such/module/init.lua'",
  "\tno file '/usr/share/lua/5.1/no/such/module.lua'",
  "\tno file '/usr/share/lua/5.1/no/such/module/init.lua'",
  "\tno file './no/such/module.so'",
  "\tno file '/usr/local/lib/lua/5.1/no/such/module.so'",
  "\tno file '/usr/lib/x86_64-linux-gnu/lua/5.1/no/such/module.so'",
  "\tno file '/usr/local/lib/lua/5.1/loadall.so'",
  "\tno file './no.so'",
  "\tno file '/usr/local/lib/lua/5.1/no.so'",
  "\tno file '/usr/lib/x86_64-linux-gnu/lua/5.1/no.so'",
  "\tno file '/usr/local/lib/lua/5.1/loadall.so'",
].join("\n");

describe("sandbox escapes", () => {
  const absent = [
    "js", "io", "dofile", "loadfile", "package.loadlib", "debug.getregistry",
    "debug.sethook", "debug.getupvalue", "debug.setupvalue", "os.execute",
    "os.exit", "os.remove", "os.rename", "os.tmpname", "utf8", "rawlen",
    "table.pack", "table.unpack", "string.pack",
  ];
  it.each(absent)("has no %s", (name) => {
    expect(printed(`print(${name} == nil)`)).toEqual(["true"]);
  });

  it("rejects bytecode from string.dump", () => {
    const out = printed("print(load(string.dump(function() return 1 end)))");
    expect(out).toEqual(["nil\tattempt to load chunk with wrong mode"]);
  });

  it("rejects bytecode through loadstring and a reader", () => {
    const out = printed(`
      local code = string.dump(function() end)
      print(loadstring(code))
      local done = false
      print(load(function() if done then return nil end done = true return code end))`);
    expect(out).toEqual([
      "nil\tattempt to load chunk with wrong mode",
      "nil\tattempt to load chunk with wrong mode",
    ]);
  });

  it("finds no JavaScript module through require", () => {
    const out = printed('print(pcall(require, "js"))');
    expect(out[0]).toMatch(/^false\tmodule 'js' not found:/);
  });

  it("keeps debug.traceback", () => {
    expect(printed('print(type(debug.traceback("x")))')).toEqual(["string"]);
  });
});

describe("require", () => {
  it("loads a workspace file once and caches it", () => {
    const files = {
      "./mymod.lua": "count = (count or 0) + 1\nreturn { name = ... }",
    };
    const out = printed(
      `local a = require("mymod")
       local b = require("mymod")
       print(a.name, a == b, package.loaded.mymod == a, count)`,
      files,
    );
    expect(out).toEqual(["mymod\ttrue\ttrue\t1"]);
  });

  it("names the chunk after its path", () => {
    const files = { "./bad.lua": "error('boom')" };
    const { error } = runLua('require("bad")', files);
    expect(error).toBe("./bad.lua:1: boom");
  });

  it("reports a syntax error in a module", () => {
    const files = { "./broken.lua": "x = = 1" };
    const { error } = runLua('require("broken")', files);
    expect(error).toContain("error loading module 'broken' from file './broken.lua':");
  });

  it("lists every searched path for a missing module", () => {
    const { error } = runLua('require "no.such.module"');
    expect(error).toBe("test:1: " + MISSING_MODULE_MESSAGE);
  });

  it("uses package.preload and LuaJIT's package.loaders", () => {
    const out = printed(`
      package.preload.pre = function(name) return { from = name } end
      print(require("pre").from, package.searchers, #package.loaders)`);
    expect(out).toEqual(["pre\tnil\t4"]);
  });

  it("returns the bit module", () => {
    expect(printed('print(require("bit") == bit)')).toEqual(["true"]);
  });
});

describe("bit", () => {
  const cases: Array<[string, string]> = [
    ["bit.tobit(0xffffffff)", "-1"],
    ["bit.tobit(2^32 + 5)", "5"],
    ["bit.tohex(255)", "000000ff"],
    ["bit.tohex(-1, -4)", "FFFF"],
    ["bit.bnot(0)", "-1"],
    ["bit.band(0xff, 0x0f, 0x3)", "3"],
    ["bit.bor(1, 2, 4)", "7"],
    ["bit.bxor(5, 1)", "4"],
    ["bit.lshift(1, 31)", "-2147483648"],
    ["bit.rshift(-1, 28)", "15"],
    ["bit.arshift(-256, 4)", "-16"],
    ["bit.rol(0x12345678, 8)", "878082066"],
    ["bit.ror(0x12345678, 8)", "2014458966"],
    ["bit.bswap(0x12345678)", "2018915346"],
  ];
  it.each(cases)("computes %s", (expression, expected) => {
    expect(printed(`print(${expression})`)).toEqual([expected]);
  });
});

describe("Lua 5.1 compatibility", () => {
  it("provides 5.1 globals", () => {
    const out = printed(`
      print(_VERSION, unpack({1, 2, 3}))
      print(table.getn({1, 2}), table.maxn({1, [10] = 2}), math.pow(2, 10))
      print(math.mod, math.ldexp(0.5, 4), math.log10(1000), math.log(8, 2))
      print(math.frexp(8))
      print(loadstring("return 1 + 1")())`);
    expect(out).toEqual([
      "Lua 5.1\t1\t2\t3",
      "2\t10\t1024",
      "nil\t8\t3\t3",
      "0.5\t4",
      "2",
    ]);
  });

  it("gives getfenv and setfenv their 5.1 meaning", () => {
    const out = printed(`
      local f = function() return x end
      setfenv(f, { x = 5 })
      print(getfenv(1) == _G, getfenv(0) == _G, f(), x)`);
    expect(out).toEqual(["true\ttrue\t5\tnil"]);
  });

  it("keeps table.move and coroutine.isyieldable", () => {
    const out = printed("print(type(table.move), type(coroutine.isyieldable))");
    expect(out).toEqual(["function\tfunction"]);
  });
});

describe("os", () => {
  it("reads time and clock from the host", () => {
    expect(printed("print(os.time(), os.clock(), os.getenv('HOME'))")).toEqual([
      "1700000000\t1.25\tnil",
    ]);
  });

  it("formats dates as strftime in UTC", () => {
    const out = printed(`
      print(os.date("!%Y-%m-%d %H:%M:%S"))
      print(os.date("%a %b %d %j", 0))
      local t = os.date("*t", 86400)
      print(t.year, t.month, t.day, t.hour, t.wday, t.yday, t.isdst)
      print(os.time({ year = 2023, month = 11, day = 14, hour = 22, min = 13, sec = 20 }))`);
    expect(out).toEqual([
      "2023-11-14 22:13:20",
      "Thu Jan 01 001",
      "1970\t1\t2\t0\t6\t2\tfalse",
      "1700000000",
    ]);
  });
});

describe("print", () => {
  it("joins arguments with tabs through the host", () => {
    expect(printed("print(1, nil, true, 'x', 2.5)")).toEqual(["1\tnil\ttrue\tx\t2.5"]);
  });
});
