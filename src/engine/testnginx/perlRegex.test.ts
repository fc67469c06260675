import { describe, expect, it } from "vitest";
import { compilePerlRegex, perlMatch, PerlRegexError } from "./perlRegex";

function matches(source: string, flags: string, text: string): boolean {
  return perlMatch(compilePerlRegex(source, flags), text) !== null;
}

describe("compilePerlRegex", () => {
  it("keeps dot off newlines unless /s", () => {
    expect(matches("a.b", "", "a\nb")).toBe(false);
    expect(matches("a.b", "s", "a\nb")).toBe(true);
  });

  it("lets $ match before a final newline", () => {
    expect(matches("^hello$", "", "hello\n")).toBe(true);
    expect(matches("^hello$", "", "hello\nworld\n")).toBe(false);
  });

  it("anchors ^ and $ at inner lines under /m", () => {
    expect(matches("^world$", "m", "hello\nworld\n")).toBe(true);
    expect(matches("^world$", "", "hello\nworld\n")).toBe(false);
  });

  it("does not match /m ^ after the final newline", () => {
    expect(perlMatch(compilePerlRegex("^", "m"), "a\n")).toBe("");
    expect(matches("\\n^$", "m", "a\n")).toBe(false);
  });

  it("translates \\A, \\z and \\Z", () => {
    expect(matches("\\Aab\\z", "", "ab")).toBe(true);
    expect(matches("\\Aab\\z", "", "ab\n")).toBe(false);
    expect(matches("\\Aab\\Z", "", "ab\n")).toBe(true);
  });

  it("applies a leading (?i) to the whole pattern", () => {
    expect(matches("(?i)hello", "", "HeLLo")).toBe(true);
    expect(matches("hello", "i", "HELLO")).toBe(true);
    expect(matches("hello", "", "HELLO")).toBe(false);
  });

  it("drops whitespace and comments under /x", () => {
    expect(matches("a b  # comment\n c", "x", "abc")).toBe(true);
    expect(matches("[ ]", "x", " ")).toBe(true);
  });

  it("quotes \\Q...\\E text", () => {
    expect(matches("\\Q[error] a.b\\E", "", "x [error] a.b y")).toBe(true);
    expect(matches("\\Q[error] a.b\\E", "", "[error] aXb")).toBe(false);
  });

  it("rewrites POSIX classes and \\h", () => {
    expect(matches("^[[:digit:]]+\\h[[:alpha:]]+$", "", "42 abc")).toBe(true);
    expect(matches("^[[:digit:]]+$", "", "4a")).toBe(false);
  });

  it("reads \\x{...} escapes and named groups", () => {
    expect(matches("\\x{41}", "", "A")).toBe(true);
    expect(matches("(?P<w>a)(?P=w)", "", "aa")).toBe(true);
    expect(matches("(?<w>a)\\g{w}", "", "aa")).toBe(true);
  });

  it("keeps a lazy quantifier", () => {
    expect(perlMatch(compilePerlRegex("a.+?c"), "abcbc")).toBe("abc");
  });

  it.each([
    ["a++", "possessive"],
    ["a*+", "possessive"],
    ["(?>a)", "atomic"],
    ["(?R)", "recursion"],
    ["a(?i:b)", "inline modifier"],
    ["\\G", "\\G"],
    ["[[:^alpha:]]", "negated POSIX"],
  ])("rejects %s clearly", (source, words) => {
    expect(() => compilePerlRegex(source)).toThrow(PerlRegexError);
    expect(() => compilePerlRegex(source)).toThrow(words);
  });

  it("reports an invalid pattern with its source", () => {
    expect(() => compilePerlRegex("a(b")).toThrow("invalid regex /a(b/");
  });

  it("rejects an unknown flag", () => {
    expect(() => compilePerlRegex("a", "q")).toThrow('unknown regex flag "q"');
  });
});
