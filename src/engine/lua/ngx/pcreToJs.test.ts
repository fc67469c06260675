import { describe, expect, it } from "vitest";
import { PcreSyntaxError, PcreUnsupportedError, translatePcre, type PcreOptions } from "./pcreToJs";

const NO_OPTIONS: PcreOptions = {
  caseless: false,
  multiline: false,
  dotall: false,
  extended: false,
  utf: false,
  dupnames: false,
};

function translate(pattern: string, options: Partial<PcreOptions> = {}) {
  const codePoints = [...pattern].map((c) => c.codePointAt(0) as number);
  return translatePcre(codePoints, { ...NO_OPTIONS, ...options });
}

function syntaxError(pattern: string): { reason: string; offset: number } {
  try {
    translate(pattern);
  } catch (error) {
    if (error instanceof PcreSyntaxError) return { reason: error.reason, offset: error.offset };
    throw error;
  }
  throw new Error(`${pattern} compiled`);
}

describe("translatePcre", () => {
  it("keeps \\d, \\s and \\w ASCII-only", () => {
    expect(translate("\\d\\s\\w").source).toBe("[0-9][\\x09-\\x0d ][0-9A-Z_a-z]");
  });

  it("folds case itself for ASCII letters", () => {
    expect(translate("a1", { caseless: true }).source).toBe("[Aa]1");
  });

  it("maps named groups to numbers in PCRE's name order", () => {
    const result = translate("(?<b>x)(?P<a>y)");
    expect(result.source).toBe("(x)(y)");
    expect(result.names).toEqual([
      { name: "a", group: 2 },
      { name: "b", group: 1 },
    ]);
  });

  it("renumbers groups around atomic helpers", () => {
    const result = translate("(?>(a))(b)\\2");
    expect(result.groupIndex).toEqual([0, 2, 3]);
    expect(result.source).toBe("(?:(?=((a)))\\1)(b)(?:\\3)");
  });

  it("translates POSIX classes and negations", () => {
    expect(translate("[[:digit:][:^alpha:]]").source).toBe("[\\x00-\\x40\\x5b-\\x60\\x7b-\\xff]");
  });

  it("reports PCRE2's errors and offsets", () => {
    expect(syntaxError("(")).toEqual({ reason: "missing closing parenthesis", offset: 1 });
    expect(syntaxError("a**")).toEqual({
      reason: "quantifier does not follow a repeatable item",
      offset: 2,
    });
    expect(syntaxError("[z-a]")).toEqual({
      reason: "range out of order in character class",
      offset: 3,
    });
    expect(syntaxError("(?<=a+)b")).toEqual({
      reason: "lookbehind assertion is not fixed length",
      offset: 0,
    });
    expect(syntaxError("\\2(a)").reason).toBe("reference to non-existent subpattern");
  });

  it("names constructs it cannot translate", () => {
    for (const pattern of ["(?R)", "(?(1)a|b)", "a\\Kb", "(*UTF)x", "(?|a)"]) {
      expect(() => translate(pattern)).toThrow(PcreUnsupportedError);
    }
  });
});
