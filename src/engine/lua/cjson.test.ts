import { describe, expect, it } from "vitest";
import { runContent } from "./ngx/luaContentRun";

function say(code: string): string {
  const result = runContent(`local cjson = require "cjson"\n${code}`);
  if (result.status !== 200) throw new Error(result.errorLog.join("\n"));
  return result.body;
}

describe("cjson.encode", () => {
  it("encodes arrays, objects and escaped strings", () => {
    expect(say(`ngx.say(cjson.encode({1, 2, "x/y", {a = true}}))`)).toBe(
      '[1,2,"x\\/y",{"a":true}]\n',
    );
    expect(say(`ngx.say(cjson.encode("\\1\\127\\"\\\\\\n"))`)).toBe(
      '"\\u0001\\u007f\\"\\\\\\n"\n',
    );
  });

  it("prints numbers with %.14g", () => {
    const body = say(`
      ngx.say(cjson.encode({3.14159265358979, 1e15, 10 / 2, 2^53, 0.1}))`);
    expect(body).toBe("[3.1415926535898,1e+15,5,9.007199254741e+15,0.1]\n");
  });

  it("encodes empty tables as objects unless configured", () => {
    const body = say(`
      ngx.say(cjson.encode({}), cjson.encode(cjson.empty_array))
      ngx.say(cjson.encode(setmetatable({}, cjson.array_mt)))
      cjson.encode_empty_table_as_object(false)
      ngx.say(cjson.encode({a = {}}))`);
    expect(body).toBe('{}[]\n[]\n{"a":[]}\n');
  });

  it("raises for sparse arrays, functions and deep nesting", () => {
    const body = say(`
      ngx.say(select(2, pcall(cjson.encode, {[1] = 1, [20] = 2})))
      ngx.say(select(2, pcall(cjson.encode, {f = print})))
      local t = {} local cur = t
      for i = 1, 1001 do cur.x = {} cur = cur.x end
      ngx.say(select(2, pcall(cjson.encode, t)))`);
    expect(body).toBe(
      "Cannot serialise table: excessively sparse array\n" +
        "Cannot serialise function: type not supported\n" +
        "Cannot serialise, excessive nesting (1001)\n",
    );
  });

  it("turns sparse arrays into objects when allowed", () => {
    const body = say(`
      cjson.encode_sparse_array(true)
      ngx.say(cjson.encode({[3] = 1, [20] = 2}) ~= nil, cjson.encode({[1] = "a", [2] = "b"}))`);
    expect(body).toBe('true["a","b"]\n');
  });

  it("honours encode_number_precision", () => {
    const body = say(`
      ngx.say(cjson.encode_number_precision(3), " ", cjson.encode(3.14159))`);
    expect(body).toBe("3 3.14\n");
  });
});

describe("cjson.decode", () => {
  it("decodes values with null as ngx.null", () => {
    const body = say(`
      local v = cjson.decode('{"a":[1,2,null],"b":"\\\\u00e9\\\\/"}')
      ngx.say(v.a[2], " ", v.a[3] == ngx.null, " ", v.a[3] == cjson.null, " ", v.b)`);
    expect(body).toBe("2 true true é/\n");
  });

  it("turns big integers into doubles", () => {
    const body = say(`
      local v = cjson.decode('[9007199254740993, 123456789012345678901234]')
      ngx.say(v[1], " ", v[2])`);
    expect(body).toBe("9.007199254741e+15 9.2233720368548e+18\n");
  });

  it("reports syntax errors with the character position", () => {
    const body = say(`
      ngx.say(select(2, pcall(cjson.decode, "abc")))
      ngx.say(select(2, pcall(cjson.decode, "[1,2")))
      ngx.say(select(2, pcall(cjson.decode, '{"a" 1}')))`);
    expect(body).toBe(
      "Expected value but found invalid token at character 1\n" +
        "Expected comma or array end but found T_END at character 5\n" +
        "Expected colon but found T_INTEGER at character 6\n",
    );
  });

  it("marks arrays with array_mt when configured", () => {
    const body = say(`
      cjson.decode_array_with_array_mt(true)
      local v = cjson.decode("[]")
      ngx.say(getmetatable(v) == cjson.array_mt, " ", cjson.encode(v))`);
    expect(body).toBe("true []\n");
  });
});

describe("cjson.safe and cjson.new", () => {
  it("returns nil and the message instead of raising", () => {
    const body = say(`
      local safe = require "cjson.safe"
      ngx.say(safe.decode("{"))
      ngx.say(safe.encode(function() end))`);
    expect(body).toBe(
      "nilExpected object key string but found T_END at character 2\n" +
        "nilCannot serialise function: type not supported\n",
    );
  });

  it("gives each instance its own settings", () => {
    const body = say(`
      cjson.encode_empty_table_as_object(false)
      local other = cjson.new()
      ngx.say(cjson.encode({}), other.encode({}))`);
    expect(body).toBe("[]{}\n");
  });
});
