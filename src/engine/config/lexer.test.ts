import { describe, expect, it } from "vitest";
import { ConfLexer, type Statement } from "./lexer";

function statements(text: string): Statement[] {
  const lexer = new ConfLexer(text, "nginx.conf");
  const out: Statement[] = [];
  for (;;) {
    const statement = lexer.readStatement();
    out.push(statement);
    if (statement.kind === "eof") return out;
  }
}

function words(statement: Statement): string[] {
  return statement.kind === "directive"
    ? statement.args.map((word) => word.value)
    : [];
}

describe("ConfLexer.readStatement", () => {
  it("splits words and terminators", () => {
    const [first, second, third] = statements("a b;\nc {\n}\n");
    expect(words(first)).toEqual(["a", "b"]);
    expect(second).toMatchObject({ kind: "directive", end: "{", line: 2 });
    expect(third).toMatchObject({ kind: "block-end", line: 3 });
  });

  it("resolves quotes and escapes as nginx does", () => {
    const [statement] = statements(`echo "a \\"b\\"\\n" 'c d' e\\;f;`);
    // nginx unescapes only \" \' \\ \t \r \n; "\;" keeps its backslash.
    expect(words(statement)).toEqual(["echo", 'a "b"\n', "c d", "e\\;f"]);
  });

  it("keeps a backslash before other characters", () => {
    const [statement] = statements("rewrite ^/a\\.b$ /c;");
    expect(words(statement)).toEqual(["rewrite", "^/a\\.b$", "/c"]);
  });

  it("skips comments but keeps # inside words", () => {
    const [statement] = statements("# note\nset $a b#c; # tail\n");
    expect(words(statement)).toEqual(["set", "$a", "b#c"]);
  });

  it("keeps ${var} braces inside a word", () => {
    const [statement] = statements("set $a ${b}c;");
    expect(words(statement)).toEqual(["set", "$a", "${b}c"]);
  });

  it("rejects text right after a closing quote", () => {
    expect(() => statements('echo "a"b;')).toThrow('unexpected "b" in nginx.conf:1');
  });

  it("reports a missing semicolon at the end of the file", () => {
    expect(() => statements("a b\n\n")).toThrow(
      'unexpected end of file, expecting ";" or "}" in nginx.conf:3',
    );
  });

  it("rejects a } after words", () => {
    expect(() => statements("a b }")).toThrow('unexpected "}" in nginx.conf:1');
  });

  it("rejects a ; with no directive", () => {
    expect(() => statements("\n;")).toThrow('unexpected ";" in nginx.conf:2');
  });
});

describe("ConfLexer.readLuaBlock", () => {
  function luaBlock(text: string): { code: string; line: number; rest: Statement } {
    const lexer = new ConfLexer(text, "nginx.conf");
    lexer.readStatement();
    const block = lexer.readLuaBlock();
    return { ...block, rest: lexer.readStatement() };
  }

  it("returns the code between the braces and the line of {", () => {
    const block = luaBlock("\ncontent_by_lua_block { ngx.say(1) }\nnext;");
    expect(block.code).toBe(" ngx.say(1) ");
    expect(block.line).toBe(2);
    expect(words(block.rest)).toEqual(["next"]);
  });

  it("skips braces in strings, long strings and comments", () => {
    const code = [
      ' local a = "}" .. \'{\' .. "\\"}"',
      " local b = [[ } ]] .. [==[ ]] } ]==]",
      " -- } line comment",
      " --[[ } block comment ]]",
      " local t = { x = { 1 } }",
      " ",
    ].join("\n");
    const block = luaBlock(`x_by_lua_block {${code}}\nnext;`);
    expect(block.code).toBe(code);
    expect(words(block.rest)).toEqual(["next"]);
  });

  it("reports a block that never closes", () => {
    expect(() => luaBlock("x_by_lua_block {\n ngx.say(1)\n")).toThrow(
      'unexpected end of file, expecting "}" in nginx.conf:3',
    );
  });

  it("reports an unclosed long string", () => {
    expect(() => luaBlock("x_by_lua_block { local s = [[ }")).toThrow(
      'missing the closing long bracket "]]"',
    );
  });
});
