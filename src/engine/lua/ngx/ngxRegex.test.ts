import { describe, expect, it } from "vitest";
import { runContent } from "./luaContentRun";

function say(code: string): string {
  const result = runContent(code);
  if (result.status !== 200) throw new Error(result.errorLog.join("\n"));
  return result.body;
}

describe("ngx.re.match", () => {
  it("returns the match, groups and named groups", () => {
    const body = say(`
      local m = ngx.re.match("hello, 1234", "(?<first>[0-9])([0-9]+)(x)?")
      ngx.say(m[0], " ", m[1], " ", m[2], " ", tostring(m[3]), " ", m.first)`);
    expect(body).toBe("1234 1 234 false 1\n");
  });

  it("returns nil when nothing matches", () => {
    expect(say(`ngx.say(ngx.re.match("hello", "[0-9]+") == nil)`)).toBe("true\n");
  });

  it("starts at ctx.pos and moves it past the match", () => {
    const body = say(`
      local ctx = { pos = 3 }
      local m = ngx.re.match("abcabc", "b", "", ctx)
      ngx.say(m[0], " ", ctx.pos)`);
    expect(body).toBe("b 6\n");
  });

  it("fills the res table it is given", () => {
    const body = say(`
      local res = {}
      local m = ngx.re.match("xy", "(x)(y)", "", nil, res)
      ngx.say(m == res, " ", res[0], res[1], res[2])`);
    expect(body).toBe("true xyxy\n");
  });

  it("collects duplicate names into arrays with D", () => {
    const body = say(`
      local m = ngx.re.match("b", "(?<x>a)|(?<x>b)", "D")
      ngx.say(#m.x, " ", m.x[1], " ", tostring(m[1]))`);
    expect(body).toBe("1 b false\n");
  });

  it("reports a compile error as nil and pcre2's message", () => {
    expect(say(`ngx.say(ngx.re.match("a", "("))`)).toBe(
      'nilpcre2_compile() failed: missing closing parenthesis in "("\n',
    );
    expect(say(`ngx.say(ngx.re.match("a", "a)"))`)).toBe(
      'nilpcre2_compile() failed: unmatched closing parenthesis in "a)" at ")"\n',
    );
  });

  it("raises for an unknown option letter", () => {
    const body = say(`ngx.say(select(2, pcall(ngx.re.match, "a", "a", "z")))`);
    expect(body).toBe(
      '/usr/share/lua/5.1/resty/core/regex.lua:624: unknown flag "z" (flags "z")\n',
    );
  });

  it("raises for PCRE constructs the simulator lacks", () => {
    const body = say(`ngx.say(select(2, pcall(ngx.re.match, "a", "(?R)")))`);
    expect(body).toBe(
      "content_by_lua(nginx.conf:7):2: PCRE construct recursion (?R) " +
        "is not supported by the simulator\n",
    );
  });
});

describe("ngx.re options", () => {
  it("folds ASCII case only without u", () => {
    const body = say(`
      ngx.say(ngx.re.match("HeLLo", "hello", "i")[0])
      ngx.say(ngx.re.match("ÉCOLE", "é", "i") == nil)
      ngx.say(ngx.re.match("ÉCOLE", "é", "iu")[0])`);
    expect(body).toBe("HeLLo\ntrue\nÉ\n");
  });

  it("treats bytes as characters without u", () => {
    const body = say(`
      ngx.say(#ngx.re.match("é", ".")[0], " ", #ngx.re.match("é", ".", "u")[0])
      ngx.say(ngx.re.find("日本語abc", "abc", "u"))`);
    expect(body).toBe("1 2\n1012\n");
  });

  it("applies m, s, x and a", () => {
    const body = say(`
      ngx.say(ngx.re.match("a\\nb", "^b$", "m")[0])
      ngx.say(ngx.re.match("a\\nb", "a.b") == nil, ngx.re.match("a\\nb", "a.b", "s") ~= nil)
      ngx.say(ngx.re.match("hello world", "hello \\\\s world # note", "x")[0])
      ngx.say(ngx.re.match("xabc", "abc", "a") == nil)`);
    expect(body).toBe("b\ntruetrue\nhello world\ntrue\n");
  });

  it("matches $ before a final newline as PCRE does", () => {
    const body = say(`
      ngx.say(ngx.re.match("foo\\n", "foo$") ~= nil, ngx.re.match("foo\\n", "foo\\\\z") == nil)`);
    expect(body).toBe("truetrue\n");
  });

  it("makes possessive quantifiers atomic", () => {
    const body = say(`ngx.say(ngx.re.match("aaa", "a++a") == nil, ngx.re.match("aaa", "a+a")[0])`);
    expect(body).toBe("trueaaa\n");
  });

  it("returns the longest alternative in DFA mode", () => {
    const body = say(`
      ngx.say(ngx.re.match("abcd", "a|ab|abc")[0], " ", ngx.re.match("abcd", "a|ab|abc", "d")[0])`);
    expect(body).toBe("a abc\n");
  });
});

describe("ngx.re.find and gmatch", () => {
  it("returns the positions of the match or of group nth", () => {
    const body = say(`
      ngx.say(ngx.re.find("hello, 1234", "[0-9]+"))
      ngx.say(ngx.re.find("hello, 1234", "([a-z]+), ([0-9]+)", "jo", nil, 2))
      ngx.say(ngx.re.find("a", "a", "", nil, 3))`);
    expect(body).toBe("811\n811\nnilnilnth out of bound\n");
  });

  it("iterates over each match, empty ones included", () => {
    const body = say(`
      local it = ngx.re.gmatch("a1b22c333", "[0-9]+")
      ngx.say(type(it))
      for m in it do ngx.say(m[0]) end
      local n = 0
      for m in ngx.re.gmatch("abc", "x*") do n = n + 1 end
      ngx.say(n)`);
    expect(body).toBe("table\n1\n22\n333\n4\n");
  });
});

describe("ngx.re.sub and gsub", () => {
  it("expands $0, $N, \${N} and $$", () => {
    const body = say(`
      ngx.say(ngx.re.gsub("hello world", "o", "[$0]"))
      ngx.say(ngx.re.sub("hello world", "(\\\\w+) (\\\\w+)", "$2 \${1}$$"))`);
    expect(body).toBe("hell[o] w[o]rld2\nworld hello$1\n");
  });

  it("calls a function with the captures table", () => {
    const body = say(`
      ngx.say(ngx.re.gsub("hello world", "[lo]+", function(m) return m[0]:upper() end))`);
    expect(body).toBe("heLLO wOrLd3\n");
  });

  it("advances one byte past an empty match", () => {
    expect(say(`ngx.say(ngx.re.gsub("abc", "b*", "-"))`)).toBe("-a--c-4\n");
  });

  it("rejects named variables in templates and logs why", () => {
    const result = runContent(`ngx.say(ngx.re.gsub("abc", "b", "\${name}"))`);
    expect(result.body).toBe("nilnilfailed to compile the replacement template\n");
    expect(result.errorLog).toContain(
      '[error] attempt to use named capturing variable "name" (named captures not supported yet)',
    );
  });
});

describe("ngx.re.split", () => {
  it("splits as lua-resty-core does", () => {
    const body = say(`
      local split = require("ngx.re").split
      local function show(t) ngx.say(#t, ": ", table.concat(t, "|")) end
      show(split("a,b,,c,,", ","))
      show(split("a,b,c,d", ",", nil, nil, 2))
      show(split("a1b2c", "([0-9])"))`);
    expect(body).toBe("4: a|b||c\n2: a|b,c,d\n5: a|1|b|2|c\n");
  });
});
