import { describe, expect, it } from "vitest";
import { runLua } from "./luaTestState";

function printed(source: string): string[] {
  const { output, error } = runLua(source);
  expect(error).toBeNull();
  return output;
}

describe("string.rep", () => {
  it("repeats with and without a separator", () => {
    expect(printed(`print(string.rep("ab", 3), ("x"):rep(3, ","), string.rep("x", 0) == "")`)).toEqual([
      "ababab\tx,x,x\ttrue",
    ]);
  });

  it("returns empty for counts past int32", () => {
    expect(printed(`print(#string.rep("x", 2^31), #string.rep("x", 2^40), #string.rep("x", -1))`)).toEqual([
      "0\t0\t0",
    ]);
  });

  it("fails past the simulator's string size limit", () => {
    const { error } = runLua(`local s = string.rep("x", 2^30)`);
    expect(error).toContain("not enough memory (simulator limit");
  });
});
