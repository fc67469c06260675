import { describe, expect, it } from "vitest";
import { evalPerl, PerlValueError } from "./perlValue";

describe("evalPerl", () => {
  it("resolves double-quoted escapes", () => {
    expect(evalPerl('"a\\tb\\n"')).toBe("a\tb\n");
    expect(evalPerl('"\\x41\\x{263A}\\101\\"\\\\"')).toBe('A\u263aA"\\');
  });

  it("keeps single-quoted text raw", () => {
    expect(evalPerl("'a\\nb\\'c\\\\'")).toBe("a\\nb'c\\");
  });

  it("reads q and qq with bracket delimiters", () => {
    expect(evalPerl("qq{a{b}\\n}")).toBe("a{b}\n");
    expect(evalPerl("q(x)")).toBe("x");
  });

  it("concatenates and repeats strings", () => {
    expect(evalPerl('"ab" . "c" x 2')).toBe("abcc");
    expect(evalPerl('"-" x 3 . "\\n"')).toBe("---\n");
  });

  it("reads qr with flags", () => {
    expect(evalPerl("qr/a\\/b/is")).toEqual({ kind: "regex", source: "a/b", flags: "is" });
    expect(evalPerl("qr{\\d+}")).toEqual({ kind: "regex", source: "\\d+", flags: "" });
  });

  it("reads arrays of numbers, strings and patterns", () => {
    expect(evalPerl('[200, "x\\n", qr/y/,]')).toEqual([
      "200",
      "x\n",
      { kind: "regex", source: "y", flags: "" },
    ]);
  });

  it("repeats a list inside an array", () => {
    expect(evalPerl('[("ok\\n") x 3]')).toEqual(["ok\n", "ok\n", "ok\n"]);
    expect(evalPerl("[qw(a b), 'c']")).toEqual(["a", "b", "c"]);
  });

  it("skips comments and a final semicolon", () => {
    expect(evalPerl('# the body\n"x"; # done\n')).toBe("x");
  });

  it("rejects variables with a clear message", () => {
    expect(() => evalPerl('"port $ServerPort"')).toThrow(PerlValueError);
    expect(() => evalPerl('"port $ServerPort"')).toThrow("$ServerPort");
    expect(() => evalPerl("$x")).toThrow("Perl variable");
  });

  it("rejects function calls and trailing text", () => {
    expect(() => evalPerl('join("", "a")')).toThrow("not supported");
    expect(() => evalPerl('"a" "b"')).toThrow("text after the value");
  });
});
