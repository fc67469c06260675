import { describe, expect, it } from "vitest";
import {
  findKnownDifference,
  parseKnownDifferences,
} from "./knownDifferences";

describe("parseKnownDifferences", () => {
  it("reads entries and skips comments", () => {
    const entries = parseKnownDifferences(
      "# header\n\nexit:3 the page differs # trailing\nvar.t:12 reason two\n",
    );
    expect(entries).toEqual([
      { file: "exit", test: 3, reason: "the page differs" },
      { file: "var", test: 12, reason: "reason two" },
    ]);
  });

  it("rejects an entry without a reason", () => {
    expect(() => parseKnownDifferences("exit:3\n")).toThrow(
      'known-differences.txt:1: expected "FILE:TEST reason", got "exit:3"',
    );
  });

  it("rejects a block listed twice", () => {
    expect(() => parseKnownDifferences("exit:3 a\nexit:3 b\n")).toThrow(
      "known-differences.txt:2: exit:3 is listed twice",
    );
  });

  it("finds an entry by file and test", () => {
    const entries = parseKnownDifferences("exit:3 a\nexit:4 b\n");
    expect(findKnownDifference(entries, "exit", 4)?.reason).toBe("b");
    expect(findKnownDifference(entries, "exit", 5)).toBeUndefined();
  });
});
