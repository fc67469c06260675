import { describe, expect, it } from "vitest";
import { formatLuaNumber, formatNgxNumber } from "./numberFormat";
import { runLua } from "./luaTestState";

const G14_CASES: Array<[string, number, string]> = [
  ["10/2", 10 / 2, "5"],
  ["3.0", 3.0, "3"],
  ["0.1+0.2", 0.1 + 0.2, "0.3"],
  ["1/3", 1 / 3, "0.33333333333333"],
  ["2^53", 2 ** 53, "9.007199254741e+15"],
  ["1e15", 1e15, "1e+15"],
  ["2^63", 2 ** 63, "9.2233720368548e+18"],
  ["1e100", 1e100, "1e+100"],
  ["1/0", 1 / 0, "inf"],
  ["-1/0", -1 / 0, "-inf"],
  ["0/0", NaN, "-nan"],
  ["-0.0", -0, "-0"],
  ["2^31", 2 ** 31, "2147483648"],
  ["1e14", 1e14, "1e+14"],
  ["123456789012", 123456789012, "123456789012"],
  ["123456789012345 (tie to even)", 123456789012345, "1.2345678901234e+14"],
  ["math.pi", Math.PI, "3.1415926535898"],
  ["1e-5", 1e-5, "1e-05"],
  ["0.0001", 0.0001, "0.0001"],
  ["-1.5", -1.5, "-1.5"],
  ["5e-324", 5e-324, "4.9406564584125e-324"],
];

describe("formatLuaNumber", () => {
  it.each(G14_CASES)("formats %s as LuaJIT", (_label, n, expected) => {
    expect(formatLuaNumber(n)).toBe(expected);
  });
});

describe("formatNgxNumber", () => {
  it("prints int32 integral values as integers", () => {
    expect(formatNgxNumber(-0)).toBe("0");
    expect(formatNgxNumber(5)).toBe("5");
    expect(formatNgxNumber(-2147483648)).toBe("-2147483648");
  });

  it("falls back to %.14g outside int32", () => {
    expect(formatNgxNumber(2 ** 31)).toBe("2147483648");
    expect(formatNgxNumber(2 ** 31 + 0.5)).toBe("2147483648.5");
    expect(formatNgxNumber(1e15)).toBe("1e+15");
    expect(formatNgxNumber(0 / 0)).toBe("-nan");
    expect(formatNgxNumber(2.5)).toBe("2.5");
  });
});

describe("patched fengari tostring", () => {
  it("agrees with formatLuaNumber on every case", () => {
    const lines = G14_CASES.map(([, n]) => `print(${luaLiteral(n)})`);
    const { output, error } = runLua(lines.join("\n"));
    expect(error).toBeNull();
    expect(output).toEqual(G14_CASES.map(([, n]) => formatLuaNumber(n)));
  });

  it("agrees on generated values", () => {
    const values: number[] = [];
    for (let i = -40; i <= 40; i++) {
      values.push(1.2345678901234567 * 10 ** i, 7 ** i, -(2 ** i) / 3);
    }
    const source = values.map((n) => `print(${luaLiteral(n)})`).join("\n");
    const { output } = runLua(source);
    expect(output).toEqual(values.map(formatLuaNumber));
  });
});

/** A Lua expression for n that round-trips exactly. */
function luaLiteral(n: number): string {
  if (Number.isNaN(n)) return "0/0";
  if (n === Infinity) return "1/0";
  if (n === -Infinity) return "-1/0";
  if (Object.is(n, -0)) return "-0.0";
  return n.toPrecision(17);
}
