import { describe, expect, it } from "vitest";
import { runLua } from "./luaTestState";

function printed(source: string): string[] {
  const { output, error } = runLua(source);
  expect(error).toBeNull();
  return output;
}

describe("numbers are doubles", () => {
  it("never wraps integer arithmetic", () => {
    expect(printed("print(2147483647 + 1, 1700000000 * 1000)")).toEqual([
      "2147483648\t1700000000000",
    ]);
    expect(printed("print(-2147483648 - 1, 2^53 + 1)")).toEqual([
      "-2147483649\t9.007199254741e+15",
    ]);
  });

  it("reads numerals as doubles", () => {
    expect(printed("print(0x10, 0xffffffff, 123456789012, 1e15)")).toEqual([
      "16\t4294967295\t123456789012\t1e+15",
    ]);
  });

  it("converts with tonumber without wrapping", () => {
    const out = printed(
      'print(tonumber("0x10"), tonumber("7fffffffff", 16), tonumber("12z", 10), tonumber(" 12 "))',
    );
    expect(out).toEqual(["16\t549755813887\tnil\t12"]);
  });

  it("has no math.type", () => {
    expect(printed("print(math.type, math.tointeger, math.ult)")).toEqual([
      "nil\tnil\tnil",
    ]);
  });

  it("prints lengths and library results without .0", () => {
    const out = printed(
      'print(#"abc", ("a"):byte(), math.floor(3.7), string.len("xy"), 10/2)',
    );
    expect(out).toEqual(["3\t97\t3\t2\t5"]);
  });

  it("keeps arrays, ipairs and table.insert working", () => {
    const out = printed(`
      local t = {}
      for i = 1, 5 do table.insert(t, i * i) end
      local keys = {}
      for k in pairs(t) do keys[#keys + 1] = tostring(k) end
      local n = 0
      for _, v in ipairs(t) do n = n + v end
      print(#t, t[2], t[2.0], n, table.concat(keys, ","))`);
    expect(out).toEqual(["5\t4\t4\t55\t1,2,3,4,5"]);
  });

  it("uses LuaJIT modulo and integral-float idioms", () => {
    const out = printed(
      "print(-7 % 3, 5.5 % 2, math.fmod(-7, 3), math.max(1, 2.5), 2^31 + 0.5)",
    );
    expect(out).toEqual(["2\t1.5\t-1\t2.5\t2147483648.5"]);
  });

  it("truncates non-integral integer arguments", () => {
    const out = printed('print(("hello"):sub(2.7, 4), ("a"):rep(3.9), ("abc"):sub(1, 1e10))');
    expect(out).toEqual(["ell\taaa\tabc"]);
  });

  it("counts a for loop past 2^31", () => {
    expect(printed("for i = 2147483647, 2147483648 do print(i) end")).toEqual([
      "2147483647",
      "2147483648",
    ]);
  });
});

describe("Lua 5.1 syntax", () => {
  const cases: Array<[string, string]> = [
    ["x = 7 // 2", "test:1: unexpected symbol near '/'"],
    ["x = 1 & 2", "test:1: unexpected symbol near '&'"],
    ["x = 1 | 2", "test:1: unexpected symbol near '|'"],
    ["x = 1 ~ 2", "test:1: unexpected symbol near '~'"],
    ["x = ~1", "test:1: unexpected symbol near '~'"],
    ["x = 1 << 2", "test:1: unexpected symbol near '<'"],
    ["x = 1 >> 2", "test:1: unexpected symbol near '>'"],
  ];
  it.each(cases)("rejects %s", (source, message) => {
    expect(runLua(source).error).toBe(message);
  });

  it("keeps goto, labels and ~=", () => {
    expect(printed("goto skip\nprint(1)\n::skip:: print(1 ~= 2)")).toEqual(["true"]);
  });
});

describe("string.format", () => {
  const cases: Array<[string, string]> = [
    ['"%d", 3.0', "3"],
    ['"%d", 3.7', "3"],
    ['"%d", -3.7', "-3"],
    ['"%5.2f", 1/3', " 0.33"],
    ['"%s", 1/3', "0.33333333333333"],
    ['"%s", 10/2', "5"],
    ['"%g", 2^53', "9.0072e+15"],
    ['"%.14g", 0.1', "0.1"],
    ['"%.17g", 0.1', "0.10000000000000001"],
    ['"%x", 255', "ff"],
    ['"%x", -1', "ffffffffffffffff"],
    ['"%X", 255', "FF"],
    ['"%5s|%-5s", "ab", "cd"', "   ab|cd   "],
    ['"%e", 1e20', "1.000000e+20"],
    ['"%g", 1e20', "1e+20"],
    ['"%.0f", 2.5', "2"],
    ['"%05d", -42', "-0042"],
    ['"%c%c", 72, 105', "Hi"],
    ['"%.3s", "abcdef"', "abc"],
    ['"%d", 2^53', "9007199254740992"],
    ['"%5.1f", 1/0', "  inf"],
  ];
  it.each(cases)("formats %s", (args, expected) => {
    expect(printed(`print(string.format(${args}))`)).toEqual([expected]);
  });

  it("quotes %q as LuaJIT", () => {
    expect(printed('print(string.format("%q", "a\\nb\\"c"))')).toEqual([
      '"a\\\nb\\"c"',
    ]);
  });

  it("names the function '?' when called through pcall", () => {
    expect(printed('print(pcall(string.format, "%d", "x"))')).toEqual([
      "false\tbad argument #2 to '?' (number expected, got string)",
    ]);
  });
});
